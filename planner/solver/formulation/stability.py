"""Replanning: pins hold, and every dagdeel a person loses from the previous roster costs a penalty.

A change is counted per previous assignment (person, group, dagdeel) that the new roster does not
repeat: a move to another group, location or dagdeel, or a dagdeel dropped. New assignments are not
counted (a new child, an extra dagdeel), so the term is linear: weight x (1 - x) per previous
assignment. Assignments that are impossible today are not counted: no roster can keep them.
"""

from __future__ import annotations

from planner.solver.formulation import Formulation
from planner.solver.problem import cents


def add(f: Formulation) -> None:
    prev = f.previous
    if prev is None:
        return
    weights = f.problem.rules.weights
    for rule, weight, on, pinned, table in (
        ("wijziging_kind", cents(weights.get("child_change", 0)), prev.x_on, prev.x_pinned, f.x),
        ("wijziging_medewerker", cents(weights.get("staff_change", 0)), prev.a_on, prev.a_pinned, f.a),
    ):
        for key in sorted(on):
            var = table.get(key)
            if var is None:
                continue
            if key in pinned:
                f.model.Add(var == 1)
            if weight:
                f.cost_terms.append((rule, weight, 1))
                f.cost_terms.append((rule, -weight, var))
