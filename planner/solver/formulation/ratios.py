"""Vacancies, the staff-to-child ratio and the minimum staff per group (who works where: staff.py).

Ratios are exact: every child needs `1/children_per_staff` staff, scaled by the common
denominator so 2.5 and 3.5 children per worker stay exact integers.
"""

from __future__ import annotations

import math
from collections import defaultdict

from planner.inputs.catalogue import LEVELS, level_rank
from planner.solver.formulation.container import Expr, Formulation
from planner.solver.formulation.contract_use import may_idle
from planner.solver.formulation.group_size import running
from planner.solver.problem import cents


def _allowed_levels(f: Formulation, g: int) -> list[str]:
    """Vacancy levels not below every offered product's minimum level."""
    pr = f.problem
    lowest = min(level_rank(pr.model.products[p].education.min_level or "MBO3")
                 for p in pr.groups[g].products if p in pr.model.products)
    return [lv for lv in LEVELS if level_rank(lv) >= lowest and lv in pr.rules.vacancy_levels]


def add(f: Formulation) -> None:
    """Vacancies, staff counts per level, the staff-to-child ratio and the minimum staff (hard, costs).

    On every open group-dagdelen where a child could sit, with vacancies allowed, v[g, d, level] in
    0..ceil(capacity x heaviest child weight / W) + 2 for each vacancy level not below the lowest
    minimum level of the group's products; n[g, d, level] = named (or counted) staff of the level +
    its vacancies. With S[g, d] = sum_level n[g, d, level] (staff present, in persons) and the
    ratio made exact by the common denominator W (`staff_weight`; a child of a 1:4 product weighs
    w_c = W/4, of a 2.5 one W x 2/5):

        W x S[g, d]              >= sum_c w_c x[c, g, d]    over children of products whose ratio
                                                            holds per dagdeel
        W x sum_d S[g, d]        >= sum_{c, d} w_c x[c, g, d]   over all children of a group that
                                                            offers a product whose ratio is a weekly
                                                            average ("gemiddeld"), over its week
                                                            (staff of running dagdelen only)
        S[g, d]                  >= min_staff(k)            if p[g, d, k]
        a[s, g, d], v[g, d, lv]  = 0                        unless some product runs there (a person
                                                            with a minimum contract use may stand
                                                            there all the same: contract_use.py)

    Costs in cents per dagdeel: `personeel` = the level's wage x n[g, d, level] minus it again on the
    vacancies (they are charged apart); `vacatures` = the level's wage x v; `vacaturestraf` = the
    scenario's vacancy penalty x v (hiring is hard: plan with own staff first). Units: persons per
    dagdeel. The ratios are the region model's (seed 002 lines 162-166: Dagbehandeling A 1:4 and
    1:3; lines 228-236: B; lines 327-331: zorg-onderwijs 1:8 and 1:6). Fills `v`, `n`, `vac_by_gd`."""
    pr, m = f.problem, f.model
    penalty = cents(pr.rules.vacancy_penalty)
    max_weight = max((pr.child_weight(c) for c in range(len(pr.children))), default=0)
    idle = may_idle(pr)
    for g, d in f.group_dagdelen():
        kids = f.by_gd.get((g, d), [])
        if not kids:
            continue
        if pr.rules.vacancies:
            bound = math.ceil(pr.groups[g].capacity * max_weight / pr.staff_weight) + 2
            for lv in _allowed_levels(f, g):
                var = m.NewIntVar(0, bound, f"v[{pr.groups[g].id},{pr.week[d]},{lv}]")
                f.v[(g, d, lv)] = var
                f.vac_by_gd[(g, d)].append((lv, var))
                f.charge("vacatures", pr.level_cost[lv], var)
                f.charge("vacaturestraf", penalty, var)  # hiring is hard: plan with own staff first
        _counts(f, g, d)
        runs = running(f, g, d)
        for s, var in f.staff_by_gd[(g, d)]:
            if s not in idle:  # nobody is rostered on an empty group, unless their minimum asks (contract_use.py)
                m.Add(var <= sum(runs))
        for _, var in f.agg_by_gd[(g, d)]:
            m.Add(var <= len(pr.staff) * sum(runs))
        for _, var in f.vac_by_gd[(g, d)]:
            # nor a vacancy: one on an empty dagdeel would count towards a weekly education share
            m.Add(var <= (pr.groups[g].capacity + 2) * sum(runs))
        staff = f.staff_count(g, d)
        strict = [(c, var) for c, var in kids if pr.model.products[pr.product(c)].ratio_scope == "dagdeel"]
        if strict:
            m.Add(pr.staff_weight * staff >= sum(pr.child_weight(c) * var for c, var in strict))
        for (gg, dd, code), run in f.p.items():
            if (gg, dd) == (g, d):
                m.Add(staff >= pr.model.products[code].min_staff).OnlyEnforceIf(run)
    _weekly_ratio(f)


def occupied_rows(f: Formulation) -> None:
    """A cut (registry.CUTS): S[g, d] >= x[c, g, d] for every child c that could sit on (g, d).

    Any child there means a product runs there, so min_staff >= 1 person is present; the ratio row
    alone lets the LP staff a fraction of a person (a quarter for one child at 1:4). Valid for every
    roster, so it cuts off none. Units: persons per dagdeel."""
    for (g, d), kids in f.by_gd.items():
        if kids:
            staff = f.staff_count(g, d)
            for _, var in kids:
                f.model.Add(staff >= var)


def _weekly_ratio(f: Formulation) -> None:
    """Products whose ratio is an average ("gemiddeld"): staff over the week per group."""
    pr, m = f.problem, f.model
    idle = may_idle(pr)
    for g, group in enumerate(pr.groups):
        if not any(pr.model.products[p].ratio_scope == "week" for p in group.products if p in pr.model.products):
            continue
        dagdelen = [d for d in sorted(pr.group_open[g]) if f.by_gd.get((g, d))]
        demand = [pr.child_weight(c) * var for d in dagdelen for c, var in f.by_gd[(g, d)]]
        if demand:
            m.Add(pr.staff_weight * sum(_running_staff(f, g, d, idle) for d in dagdelen) >= sum(demand))


def _running_staff(f: Formulation, g: int, d: int, idle: frozenset[int]) -> Expr:
    """Staff on a group-dagdeel as the weekly ratio counts them: only while a product runs there (the
    checker's count). The same as staff_count unless someone may stand on an empty group (contract_use.py)."""
    staff = f.staff_count(g, d)
    if not idle:
        return staff
    bound = len(f.problem.staff) + f.problem.groups[g].capacity + 2
    counted = f.model.NewIntVar(0, bound, "")
    f.model.Add(counted <= staff)
    f.model.Add(counted <= bound * sum(running(f, g, d)))
    return counted


def _counts(f: Formulation, g: int, d: int) -> None:
    """n[g, d, level] = named staff of that level + vacancies of that level, charged at level cost."""
    pr, m = f.problem, f.model
    named: dict[str, list] = defaultdict(list)
    for s, var in f.staff_by_gd[(g, d)]:
        named[pr.staff[s].education].append(var)
    for lv, var in f.agg_by_gd[(g, d)]:
        named[lv].append(var)
    vacant = dict(f.vac_by_gd[(g, d)])
    for lv in LEVELS:
        members = named.get(lv, [])
        if not members and lv not in vacant:
            continue
        bound = len(pr.staff) + (pr.groups[g].capacity + 2 if lv in vacant else 0)
        count = m.NewIntVar(0, bound, f"n[{pr.groups[g].id},{pr.week[d]},{lv}]")
        m.Add(count == sum(members) + (vacant[lv] if lv in vacant else 0))
        f.n[(g, d, lv)] = count
        f.charge("personeel", pr.level_cost[lv], count)
        if lv in vacant:
            f.charge("personeel", -pr.level_cost[lv], vacant[lv])
