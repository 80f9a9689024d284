"""Greedy rosters, as a planner would make them by hand in a spreadsheet.

place_children: first-fit, children by product and least flexible first, into the nearest
location's groups on the first dagdelen that fit. staff_groups: the ratio per dagdeel, the
cheapest qualified free colleague. The solver starts phase 1 from this roster (so it always
has one) and the benchmark's baseline is exactly this. Per group-dagdeel it keeps every
rule on its own: staff >= min_staff and the summed 1/ratio, min_level, min_count, and each
min_share rounded up within the dagdeel (so the weekly shares hold too); a vacancy fills what
no colleague can.
"""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

from planner.inputs.catalogue import LEVELS, level_rank
from planner.inputs.contract_minimum import minimums
from planner.solver.problem import ProblemData


def staff_needs(pr: ProblemData, members: list[int]) -> tuple[int, str, list[tuple[str, int]]]:
    """The staff a group-dagdeel with children `members` (problem indices) needs, by the hand planner's rule:
    (staff count: the products' min_staff and the summed exact ratio rounded up, at least each min_count;
    minimum level; [(level, at least this many of that level or higher)] from min_count and min_share).
    Used by the hand planner, crew.py and extend.py alike."""
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


class Staffing:
    """Who is busy when, and the rows written so far."""

    def __init__(self, pr: ProblemData, prefer: frozenset[tuple[int, int, int]] = frozenset()):
        self.pr = pr
        self.prefer = prefer  # (staff, group, dagdeel) to keep where they fit: last week's roster
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
            s = min(free, key=lambda x: ((x, g, d) not in self.prefer, pr.staff_cost[x], pr.staff[x].id))
            chosen.append(s)
            levels.append(pr.staff[s].education)
            return
        self.numbers[(d, minimum)] += 1
        self.vacancies.append((f"vacature-{minimum}-{self.numbers[(d, minimum)]}", minimum, pr.groups[g].id,
                               pr.week[d]))
        levels.append(minimum)


def staff_groups(pr: ProblemData, kids: dict[tuple[int, int], list[int]],
                 prefer: frozenset[tuple[int, int, int]] = frozenset(),
                 kept: dict[tuple[int, int], list[int]] | None = None) -> tuple[list, list]:
    """Staff rows (staff_id, group_id, dagdeel) and vacancies for every group-dagdeel with children;
    `kept` {(group, dagdeel): [staff]} are staffed as given (a replan keeps last week's team where its
    children are the same), `prefer` (staff, group, dagdeel) are chosen first elsewhere where they qualify."""
    state = Staffing(pr, prefer)
    kept = kept or {}
    for (g, d), team in sorted(kept.items(), key=lambda k: (k[0][1], k[0][0])):
        for s in team:
            state.busy.add((s, d))
            state.worked[s] += 1
            state.staff_rows.append((pr.staff[s].id, pr.groups[g].id, pr.week[d]))
    for g, d in sorted(kids, key=lambda k: (k[1], k[0])):
        if (g, d) in kept:
            continue
        count, base, levels = staff_needs(pr, kids[(g, d)])
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
    _top_up(pr, state, kids)
    assert all(lv in LEVELS for _, lv, _, _ in state.vacancies)
    return state.staff_rows, state.vacancies


def _top_up(pr: ProblemData, state: Staffing, kids: dict[tuple[int, int], list[int]]) -> None:
    """[solve] min_contract_use: everyone below their minimum (planner/inputs/contract_minimum.py) gets
    free dagdelen until they reach it: first on a group-dagdeel with children where one more person keeps
    every rule (the ratio and minimum counts only gain; at least each product's min_level and every level
    a min_share asks, so a share only grows), else alone on an open group without children (an optional
    group only when it is opened anyway). Dagdelen in week order, running groups first."""
    need = minimums(pr.model, pr.data, pr.rules.min_contract_use)
    used = {g for g, _ in kids}
    for s, person in enumerate(pr.staff):
        want = need[person.id].required if person.id in need else 0
        if state.worked[s] >= want:
            continue
        options = sorted((0 if kids.get((g, d)) else 1, d, g) for g, d in pr.staff_slots[s]
                         if (kids.get((g, d)) and _may_join(pr, s, kids[(g, d)]))
                         or (not kids.get((g, d)) and (not pr.groups[g].optional or g in used)))
        for _, d, g in options:
            if state.worked[s] >= want:
                break
            if (s, d) in state.busy:
                continue
            state.busy.add((s, d))
            state.worked[s] += 1
            state.staff_rows.append((person.id, pr.groups[g].id, pr.week[d]))


def _may_join(pr: ProblemData, s: int, members: list[int]) -> bool:
    """One more person of staff `s`'s level keeps every education rule of the products present."""
    rank = pr.level_of(s)
    for code in {pr.product(c) for c in members}:
        edu = pr.model.products[code].education
        asked = [lv for lv, share in edu.min_share.items() if share] + [edu.min_level or "MBO3"]
        if any(rank < level_rank(lv) for lv in asked):
            return False
    return True


def staff_by_index(pr: ProblemData, kids: dict[tuple[int, int], list[int]]
                   ) -> tuple[set[tuple[int, int, int]], dict[tuple[int, int, str], int]]:
    """staff_groups in index space: (staff, group, dagdeel) on duty, vacancies per (group, dagdeel, level)."""
    staff_rows, vacancies = staff_groups(pr, kids)
    group_ix, week_ix = pr.ids.group, pr.ids.dagdeel
    on = pr.ids.duties(staff_rows)
    vac: dict[tuple[int, int, str], int] = defaultdict(int)
    for _, lv, g, d in vacancies:
        vac[(group_ix[g], week_ix[d], lv)] += 1
    return on, dict(vac)


def _limit(pr: ProblemData, g: int, products: set[str]) -> int:
    return min([pr.groups[g].capacity] + [pr.model.products[p].group_max for p in products])


def place_children(pr: ProblemData, start: dict[int, list[tuple[int, int]]] | None = None
                   ) -> tuple[dict[tuple[int, int], list[int]], set[int]]:
    """First-fit placement: {(group, dagdeel): [child]} and the optional groups opened.

    `start` {child: [(group, dagdeel)]} are placed first, each where it still keeps every rule checked
    here (a replan starts from last week's roster, replan.py); the rest is filled first-fit."""
    kids: dict[tuple[int, int], list[int]] = defaultdict(list)
    products: dict[tuple[int, int], set[str]] = defaultdict(set)
    opened: set[int] = set()
    order = sorted(range(len(pr.children)), key=lambda c: (pr.product(c), len(pr.child_slots[c]), c))
    first = start or {}
    for c in [c for c in order if c in first] + [c for c in order if c not in first]:
        child = pr.children[c]
        rule = pr.model.products[child.product]
        want = min(child.dagdelen_per_week, rule.max_dagdelen_per_week)
        taken: list[tuple[int, int]] = []
        day_loc: dict[str, int] = {}
        slots = [gd for gd in first.get(c, []) if gd in set(pr.child_slots[c])]
        slots += [gd for gd in pr.child_slots[c] if gd not in slots]
        by_loc = sorted({pr.group_location[g] for g, _ in pr.child_slots[c]}, key=lambda li: pr.trips[c][li].km)
        for optional_pass in (False, True):  # a planner opens an extra group only when needed
            for li in ([None] if c in first else []) + by_loc:
                for g, d in slots:
                    if len(taken) >= want:
                        break
                    loc = pr.group_location[g]
                    if li is None:  # last week's own places first, wherever they are, opened or not
                        if optional_pass or (g, d) not in first[c]:
                            continue
                    elif loc != li or pr.groups[g].optional != optional_pass:
                        continue
                    day = pr.day_of(d)
                    if any(dd == d for _, dd in taken) or day_loc.get(day, loc) != loc:
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
                    day_loc[day] = loc
                    if pr.groups[g].optional:
                        opened.add(g)
    # a group-dagdeel below a product's minimum cannot run: those children wait
    for key in list(kids):
        need = max(pr.model.products[pr.product(c)].group_min for c in kids[key])
        if len(kids[key]) < need:
            del kids[key]
    used = {g for g, _ in kids}
    return kids, opened & used
