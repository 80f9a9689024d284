"""The outcome of a solve as plain data: the roster, its cost and bound, and how it was found.

Built by the solver (solve.py, decompose.py) and read by the commands, reports and the checker's
callers; it holds no solver objects, so it pickles to a worker and back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.core.roster import Roster


@dataclass(frozen=True)
class Result:
    """What a solve hands back: the roster in ids, its status, cost (EUR per week) and the best proven bound
    (`gap` = (objective - best_bound) / objective, a fraction), seconds, and how it was found."""

    status: str
    placement_status: str
    objective: float  # EUR per week: the cost phase's objective (cost only)
    best_bound: float
    gap: float
    solve_seconds: float
    first_solution_seconds: float | None
    roster: Roster
    terms: dict[str, float] = field(default_factory=dict)  # EUR per week by rule name
    placed: int = 0
    placed_bound: int = 0
    interrupted: bool = False  # Ctrl-C: the best roster found until then
    clusters: int = 0  # solved by location cluster (decompose.py): how many; 0 = one model
    filled: int = 0  # vacancies filled with free own staff after the solve (repair.py)
    repeatable: bool = False  # deterministic mode and not interrupted: same seed, workers -> same roster
    bound_source: str = ""  # which proven bound best_bound is: pools, cp-sat, lp, kostenvloer
    hand_cost: float | None = None  # EUR per week of the hand planner's roster (greedy.py), None: none made
    hand_placed: int = 0
    whole_bound: float | None = None  # decomposed: a bound for the undivided instance at this placement
