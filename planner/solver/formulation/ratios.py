"""Staff: who works where, vacancies, the staff-to-child ratio and the minimum staff per group.

Ratios are exact: every child needs `1/children_per_staff` staff, scaled by the common
denominator so 2.5 and 3.5 children per worker stay exact integers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from itertools import combinations
from typing import Any

from planner.inputs.catalogue import LEVELS, level_rank
from planner.solver.formulation import Formulation
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
    if f.aggregated:
        _aggregated_staff(f)
    else:
        _named_staff(f)
    _ratio_rules(f)


def _named_staff(f: Formulation) -> None:
    """a[s, g, d] per person: one group per dagdeel, availability, locations, contract."""
    pr, m = f.problem, f.model
    per_staff_dagdeel: dict[tuple[int, int], list] = defaultdict(list)
    per_staff: dict[int, list] = defaultdict(list)
    for s, slots in enumerate(pr.staff_slots):
        for g, d in slots:
            if not f.by_gd.get((g, d)):
                continue  # no child can ever be there
            var = m.NewBoolVar(f"a[{pr.staff[s].id},{pr.groups[g].id},{pr.week[d]}]")
            f.a[(s, g, d)] = var
            f.staff_by_gd[(g, d)].append((s, var))
            per_staff_dagdeel[(s, d)].append(var)
            per_staff[s].append(var)
            # an hourly_cost override is the difference to its level's cost; the level cost
            # itself is charged on the count n[g, d, level] below, which the LP cuts work on
            extra = pr.staff_cost[s] - pr.level_cost[pr.staff[s].education]
            if extra:
                f.cost_terms.append(("personeel", extra, var))
    for vars_ in per_staff_dagdeel.values():
        if len(vars_) > 1:
            m.AddAtMostOne(vars_)
    for s, vars_ in per_staff.items():
        if len(vars_) > pr.staff[s].dagdelen_per_week:
            m.Add(sum(vars_) <= pr.staff[s].dagdelen_per_week)


def _ratio_rules(f: Formulation) -> None:
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
                f.cost_terms.append(("vacatures", pr.level_cost[lv], var))
                f.cost_terms.append(("vacaturestraf", penalty, var))  # hiring is hard: plan with own staff first
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
    """Redundant rows for the cost bound (bounds.py adds them after the placement phase): any child
    on a group-dagdeel means a product runs there, so min_staff >= 1 person (the ratio row alone
    lets the LP staff a fraction of a person)."""
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


def _running_staff(f: Formulation, g: int, d: int, idle: frozenset[int]) -> Any:
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
        f.cost_terms.append(("personeel", pr.level_cost[lv], count))
        if lv in vacant:
            f.cost_terms.append(("personeel", -pr.level_cost[lv], vacant[lv]))


def _aggregated_staff(f: Formulation) -> None:
    """Staff counted per level, not named: a relaxation of the named model (valid bound).

    Per dagdeel and level, the count on the groups of a set of locations cannot exceed the
    people of that level who could be there; per week, their contracts. Charged at the
    cheapest wage of the level, so the bound stays below the named model's optimum.
    """
    pr, m = f.problem, f.model
    can: dict[tuple[int, int], set[int]] = defaultdict(set)  # (staff, dagdeel) -> locations
    for s, slots in enumerate(pr.staff_slots):
        for g, d in slots:
            can[(s, d)].add(pr.group_location[g])
    counts: dict[tuple[int, int, str], Any] = {}
    for g, d in f.group_dagdelen():
        if not f.by_gd.get((g, d)):
            continue
        for lv in LEVELS:
            ub = sum(1 for s, slots in enumerate(pr.staff_slots)
                     if pr.staff[s].education == lv and (g, d) in slots)
            if ub:
                var = m.NewIntVar(0, ub, f"c[{pr.groups[g].id},{pr.week[d]},{lv}]")
                counts[(g, d, lv)] = var
                f.agg_by_gd[(g, d)].append((lv, var))
                cheapest = min(pr.staff_cost[s] for s in range(len(pr.staff)) if pr.staff[s].education == lv)
                if cheapest != pr.level_cost[lv]:
                    f.cost_terms.append(("personeel", cheapest - pr.level_cost[lv], var))
    locs = sorted(set(pr.group_location))
    subsets = [set(c) for r in range(1, len(locs) + 1) for c in combinations(locs, r)] \
        if len(locs) <= 4 else [{x} for x in locs] + [set(locs)]
    for lv in LEVELS:
        people = [s for s in range(len(pr.staff)) if pr.staff[s].education == lv]
        for where in subsets:
            weekly = []
            for d in range(len(pr.week)):
                here = [var for (g, dd, lvl), var in counts.items()
                        if dd == d and lvl == lv and pr.group_location[g] in where]
                if here:
                    m.Add(sum(here) <= sum(1 for s in people if can[(s, d)] & where))
                    weekly.extend(here)
            if weekly:
                m.Add(sum(weekly) <= sum(min(pr.staff[s].dagdelen_per_week,
                                             sum(1 for d in range(len(pr.week)) if can[(s, d)] & where))
                                         for s in people))
