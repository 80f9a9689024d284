"""Greedy staffing of a placement: the ratio per dagdeel, the cheapest qualified free colleague.

Used by the solver for a first full roster (so the search starts from real staff, not from
vacancies) and by the hand-planner baseline in benchmarks/. Per group-dagdeel it keeps every
rule on its own: staff >= min_staff and the summed 1/ratio, min_level, min_count, and each
min_share rounded up within the dagdeel (so the weekly shares hold too); a vacancy fills what
no colleague can.
"""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

from planner.catalogue import LEVELS, level_rank
from planner.problem import ProblemData


def _needs(pr: ProblemData, members: list[int]) -> tuple[int, str, list[tuple[str, int]]]:
    """(staff count, minimum level, [(level, at least this many of that level or higher)])."""
    codes = {pr.product(c) for c in members}
    staff = max(max(pr.model.products[p].min_staff for p in codes),
                math.ceil(sum((pr.model.products[pr.product(c)].staff_per_child for c in members), Fraction(0))))
    base = max((pr.model.products[p].education.min_level or "MBO3" for p in codes), key=level_rank)
    levels: list[tuple[str, int]] = []
    for p in codes:
        edu = pr.model.products[p].education
        for lv, n in edu.min_count.items():
            staff = max(staff, n)
            levels.append((lv, n))
        for lv, share in edu.min_share.items():
            levels.append((lv, math.ceil(Fraction(str(share)) * staff)))
    return staff, base, levels


class _Staffing:
    """Who is busy when, and the rows written so far."""

    def __init__(self, pr: ProblemData):
        self.pr = pr
        self.busy: set[tuple[int, int]] = set()
        self.worked: dict[int, int] = defaultdict(int)
        self.slots = [set(s) for s in pr.staff_slots]
        self.staff_rows: list[tuple[str, str, str]] = []
        self.vacancies: list[tuple[str, str, str, str]] = []
        self.numbers: dict[tuple[int, str], int] = defaultdict(int)

    def pick(self, g: int, d: int, minimum: str, chosen: list[int], levels: list[str]) -> None:
        """The cheapest free colleague of at least `minimum` level, or a vacancy of that level."""
        pr = self.pr
        free = [s for s in range(len(pr.staff)) if (g, d) in self.slots[s] and (s, d) not in self.busy
                and self.worked[s] < pr.staff[s].dagdelen_per_week and s not in chosen
                and level_rank(pr.staff[s].education) >= level_rank(minimum)]
        if free:
            s = min(free, key=lambda x: (pr.staff_cost[x], pr.staff[x].id))
            chosen.append(s)
            levels.append(pr.staff[s].education)
            return
        self.numbers[(d, minimum)] += 1
        self.vacancies.append((f"vacature-{minimum}-{self.numbers[(d, minimum)]}", minimum, pr.groups[g].id,
                               pr.week[d]))
        levels.append(minimum)


def staff_groups(pr: ProblemData, kids: dict[tuple[int, int], list[int]]) -> tuple[list, list]:
    """Staff rows (staff_id, group_id, dagdeel) and vacancies for every group-dagdeel with children."""
    state = _Staffing(pr)
    for g, d in sorted(kids, key=lambda k: (k[1], k[0])):
        count, base, levels = _needs(pr, kids[(g, d)])
        chosen: list[int] = []
        chosen_levels: list[str] = []
        for lv, n in sorted(levels, key=lambda x: -level_rank(x[0])):
            lv = max(lv, base, key=level_rank)
            while sum(1 for x in chosen_levels if level_rank(x) >= level_rank(lv)) < n:
                state.pick(g, d, lv, chosen, chosen_levels)
        while len(chosen_levels) < count:
            state.pick(g, d, base, chosen, chosen_levels)
        for s in chosen:
            state.busy.add((s, d))
            state.worked[s] += 1
            state.staff_rows.append((pr.staff[s].id, pr.groups[g].id, pr.week[d]))
    assert all(lv in LEVELS for _, lv, _, _ in state.vacancies)
    return state.staff_rows, state.vacancies
