"""What a planner does by hand in a spreadsheet, as a baseline for the optimiser.

First-fit: children by product, least flexible first, into the nearest location's groups on
the first dagdelen that fit; then each group-dagdeel is staffed by the ratio (per dagdeel, as
a spreadsheet does) with the cheapest qualified colleague who is free, or a vacancy.
The result must pass the same checker as the optimiser's roster.
"""

from __future__ import annotations

from collections import defaultdict

from planner.greedy import staff_groups
from planner.problem import ProblemData
from planner.roster import Roster


def _limit(pr: ProblemData, g: int, products: set[str]) -> int:
    return min([pr.groups[g].capacity] + [pr.model.products[p].group_max for p in products])


def place_children(pr: ProblemData) -> tuple[dict[tuple[int, int], list[int]], set[int]]:
    kids: dict[tuple[int, int], list[int]] = defaultdict(list)
    products: dict[tuple[int, int], set[str]] = defaultdict(set)
    opened: set[int] = set()
    order = sorted(range(len(pr.children)), key=lambda c: (pr.product(c), len(pr.child_slots[c]), c))
    for c in order:
        child = pr.children[c]
        rule = pr.model.products[child.product]
        want = min(child.dagdelen_per_week, rule.max_dagdelen_per_week)
        taken: list[tuple[int, int]] = []
        day_loc: dict[str, int] = {}
        by_loc = sorted({pr.group_location[g] for g, _ in pr.child_slots[c]}, key=lambda li: pr.trips[c][li].km)
        for optional_pass in (False, True):  # a planner opens an extra group only when needed
            for li in by_loc:
                for g, d in pr.child_slots[c]:
                    if len(taken) >= want:
                        break
                    if pr.group_location[g] != li or pr.groups[g].optional != optional_pass:
                        continue
                    day = pr.day_of(d)
                    if any(dd == d for _, dd in taken) or day_loc.get(day, li) != li:
                        continue
                    if sum(1 for _, dd in taken if pr.day_of(dd) == day) >= rule.max_dagdelen_per_day:
                        continue
                    present = products[(g, d)] | {child.product}
                    if any(not pr.model.may_mix(a, child.product) for a in products[(g, d)]):
                        continue
                    if len(kids[(g, d)]) + 1 > _limit(pr, g, present):
                        continue
                    if any(pr.children[o].id in child.not_with or child.id in pr.children[o].not_with
                           for o in kids[(g, d)]):
                        continue
                    kids[(g, d)].append(c)
                    products[(g, d)].add(child.product)
                    taken.append((g, d))
                    day_loc[day] = li
                    if pr.groups[g].optional:
                        opened.add(g)
    # a group-dagdeel below a product's minimum cannot run: those children wait
    for key in list(kids):
        need = max(pr.model.products[pr.product(c)].group_min for c in kids[key])
        if len(kids[key]) < need:
            del kids[key]
    used = {g for g, _ in kids}
    return kids, opened & used


def baseline(pr: ProblemData) -> Roster:
    kids, opened = place_children(pr)
    staff_rows, vacancies = staff_groups(pr, kids)
    children = tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d])
                            for (g, d), members in kids.items() for c in members))
    return Roster(children, tuple(sorted(staff_rows)), tuple(vacancies),
                  tuple(sorted(pr.groups[g].id for g in opened)))
