"""The optimality gap, one formula for the solver, the reports, the web app and the comparison."""

from __future__ import annotations


def relative_gap(objective: float, bound: float) -> float:
    """How far a roster may still be from the best: |objective - bound| / |objective|, a fraction (0.05 = 5 %).

    `objective` is the roster's value and `bound` the best the solver proved possible, in the same unit
    (EUR per week in the cost phases, cents in the comparison's raw figures, dagdelen in placement; the
    ratio has no unit). 0.0 when the objective is 0 (nothing to improve on: no roster costs less than
    nothing). The absolute value makes it the same for minimising (cost) and maximising (dagdelen
    placed). Raises nothing.
    """
    if not objective:
        return 0.0
    return abs(objective - bound) / abs(objective)
