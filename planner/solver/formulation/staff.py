"""Staff: who works where, by name (the model) or counted per level (the pools' relaxation).

Either rule fills the staff side of a group-dagdelen that ratios.py then holds to the ratio; the
named rule is the model, the counted one enlarges its feasible set and lowers its cost, so it is
only ever used for a lower bound and for a placement to start from (relax.py).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from planner.inputs.catalogue import LEVELS
from planner.solver.formulation.container import Formulation, Var


def add(f: Formulation) -> None:
    """Named staff: a[s, g, d] in {0, 1} per person and allowed slot (hard, plus a wage difference).

    A variable exists only where ProblemData allows the person (`staff_slots`: available that
    dagdeel, at one of their locations, not below every offered product's minimum level) and where
    some child could sit. For every staff member s:

        sum_g a[s, g, d]       <= 1                   per dagdeel d
        sum_{g, d} a[s, g, d]  <= contract(s)         dagdelen per week

    Cost `personeel`: only the difference, in cents per dagdeel, between the person's own wage
    (an hourly_cost override x dagdeel hours) and their level's wage, per a[s, g, d]; the level's
    wage itself is charged on the count n[g, d, level] (ratios.py), which the LP cuts work on.
    Fills `a`, `staff_by_gd`."""
    pr, m = f.problem, f.model
    per_staff_dagdeel: dict[tuple[int, int], list[Var]] = defaultdict(list)
    per_staff: dict[int, list[Var]] = defaultdict(list)
    for s, slots in enumerate(pr.staff_slots):
        for g, d in slots:
            if not f.by_gd.get((g, d)):
                continue  # no child can ever be there
            var = m.NewBoolVar(f"a[{pr.staff[s].id},{pr.groups[g].id},{pr.week[d]}]")
            f.a[(s, g, d)] = var
            f.staff_by_gd[(g, d)].append((s, var))
            per_staff_dagdeel[(s, d)].append(var)
            per_staff[s].append(var)
            extra = pr.staff_cost[s] - pr.level_cost[pr.staff[s].education]
            if extra:
                f.charge("personeel", extra, var)
    for vars_ in per_staff_dagdeel.values():
        if len(vars_) > 1:
            m.AddAtMostOne(vars_)
    for s, vars_ in per_staff.items():
        if len(vars_) > pr.staff[s].dagdelen_per_week:
            m.Add(sum(vars_) <= pr.staff[s].dagdelen_per_week)


def add_by_level(f: Formulation) -> None:
    """Staff counted per level, not named: c[g, d, level] in 0..(people of that level allowed there).

    A relaxation of `add` (a valid bound): any named roster gives counts that satisfy these rows.
    For every level, every set W of locations (all subsets up to 4 locations, otherwise each one and
    all together) and every dagdeel d:

        sum_{g at W} c[g, d, level]             <= people of the level who could work at W on d
        sum_{d, g at W} c[g, d, level]          <= sum over those people of
                                                   min(contract, dagdelen they could work at W)

    Cost `personeel`: the cheapest wage of the level minus the level's wage, in cents per dagdeel
    per count (the level's wage is charged on n[g, d, level] in ratios.py), so the bound stays
    below the named model's optimum. Fills `agg_by_gd`."""
    pr, m = f.problem, f.model
    can: dict[tuple[int, int], set[int]] = defaultdict(set)  # (staff, dagdeel) -> locations
    for s, slots in enumerate(pr.staff_slots):
        for g, d in slots:
            can[(s, d)].add(pr.group_location[g])
    counts: dict[tuple[int, int, str], Var] = {}
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
                    f.charge("personeel", cheapest - pr.level_cost[lv], var)
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
