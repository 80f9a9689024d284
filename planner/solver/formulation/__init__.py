"""The CP-SAT formulation, one module per rule family.

    container.py   Formulation: the model, its variables by meaning, its named objective terms
    registry.py    Rule and the rule lists (FULL, POOLS, EXTEND, CUTS); build(problem, rules=FULL)
    placement.py · group_size.py · staff.py · ratios.py · education.py · contract_use.py ·
    transport.py · continuity.py · stability.py · bounds.py (cuts, pools, a staff cost floor)

Each rule module adds its constraints to a `Formulation` and charges its objective terms, named so
that the report can say which soft rules the plan bent. Rule modules import only container.py (and
each other), never this package or the registry, so there is no import cycle.
"""

from __future__ import annotations

from planner.solver.formulation.container import Formulation, Term
from planner.solver.formulation.registry import CUTS, EXTEND, FULL, POOLS, Rule, build, hold_placement

__all__ = ["CUTS", "EXTEND", "FULL", "POOLS", "Formulation", "Rule", "Term", "build", "hold_placement"]
