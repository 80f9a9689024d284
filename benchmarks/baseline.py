"""What a planner does by hand in a spreadsheet, as a baseline for the optimiser.

First-fit: children by product, least flexible first, into the nearest location's groups on
the first dagdelen that fit; then each group-dagdeel is staffed by the ratio (per dagdeel, as
a spreadsheet does) with the cheapest qualified colleague who is free, or a vacancy.
The result must pass the same checker as the optimiser's roster.
"""

from __future__ import annotations

from planner.core.roster import Roster
from planner.solver.greedy import place_children, staff_groups
from planner.solver.problem import ProblemData


def baseline(pr: ProblemData) -> Roster:
    kids, opened = place_children(pr)
    staff_rows, vacancies = staff_groups(pr, kids)
    children = tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d])
                            for (g, d), members in kids.items() for c in members))
    return Roster(children, tuple(sorted(staff_rows)), tuple(vacancies),
                  tuple(sorted(pr.groups[g].id for g in opened)))
