"""Replanning: pins hold, and every dagdeel a person loses from the previous roster costs a penalty.

A change is counted per previous assignment (person, group, dagdeel) that the new roster does not
repeat: a move to another group, location or dagdeel, or a dagdeel dropped. New assignments are not
counted (a new child, an extra dagdeel), so the term is linear: weight x (1 - x) per previous
assignment. Assignments that are impossible today are not counted: no roster can keep them.
"""

from __future__ import annotations

from planner.solver.formulation.container import Formulation
from planner.solver.problem import cents


def add(f: Formulation) -> None:
    """Pins and change penalties against the previous roster (hard pins, cost terms).

    For every previous assignment key = (child, group, dagdeel) or (staff, group, dagdeel) that has
    a variable y (x or a) today: y = 1 when the key is pinned (`--keep`, `pinned = ja`), and, with
    weight w (EUR per lost dagdeel: child_change, staff_change), the cost w x (1 - y) in cents,
    written as the constant w plus -w x y. Nothing without a previous roster (Formulation.previous).
    Units: dagdelen of the previous roster."""
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
                f.charge(rule, weight, 1)
                f.charge(rule, -weight, var)
