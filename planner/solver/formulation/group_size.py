"""Groups: room capacity, group maxima of the products present, group minima, mixing, opening."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from planner.solver.formulation.container import Formulation
from planner.solver.problem import cents


def add(f: Formulation) -> None:
    """Product runs, group sizes, mixing, optional groups and specialist hours (hard, plus two costs).

    p[g, d, k] in {0, 1} per product k the group offers: the product runs there exactly when one
    of its children sits there (x[c, g, d] <= p[g, d, k] for each child c of k, and p <= their sum;
    p = 0 when no child of k may sit there). With N[g, d] = sum_c x[c, g, d] (children present):

        N[g, d] <= capacity(g)                                          the room
        N[g, d] <= group_max(k)          if p[g, d, k]                  (unconditional when k is the
                                                                        group's only product)
        N[g, d] >= group_min(k)          if p[g, d, k]                  (only when group_min > 1)
        p[g, d, k] + p[g, d, k'] <= 1    unless the model lets k and k' mix
        p[g, d, k] <= opened[g]          for an optional group

    Costs, in cents per week: `groepen` = opening_cost_per_week x opened[g]; `specialisten` = the
    product's extra hours per week x the hourly wage of their level, once per (group, product) that
    runs on any dagdeel of the week. Units: children, dagdelen. The figures are the region model's
    (e.g. seed 002 lines 92-250: group sizes of Dagbehandeling A and B; seed 004 lines 4319-4362:
    mixed KDC groups). Fills `p`, `opened`."""
    pr, m = f.problem, f.model
    for g, group in enumerate(pr.groups):
        if group.optional:
            f.opened[g] = m.NewBoolVar(f"open[{group.id}]")
            f.charge("groepen", cents(group.opening_cost_per_week), f.opened[g])
    for g, d in f.group_dagdelen():
        group = pr.groups[g]
        kids = f.by_gd.get((g, d), [])
        by_product: dict[str, list] = defaultdict(list)
        for c, var in kids:
            by_product[pr.product(c)].append(var)
        products = [p for p in group.products if p in pr.model.products]
        for code in products:
            run = m.NewBoolVar(f"p[{group.id},{pr.week[d]},{code}]")
            f.p[(g, d, code)] = run
            members = by_product.get(code, [])
            for var in members:
                m.AddImplication(var, run)
            # a product only runs when one of its children is there
            if members:
                m.Add(run <= sum(members))
            else:
                m.Add(run == 0)
            if g in f.opened:
                m.AddImplication(run, f.opened[g])
        total = sum(var for _, var in kids)
        if not kids:
            continue
        m.Add(total <= group.capacity)
        for code in products:
            rule = pr.model.products[code]
            run = f.p[(g, d, code)]
            if rule.group_max < group.capacity:
                if len(products) == 1:
                    m.Add(total <= rule.group_max)
                else:
                    m.Add(total <= rule.group_max).OnlyEnforceIf(run)
            if rule.group_min > 1:
                m.Add(total >= rule.group_min).OnlyEnforceIf(run)
        for a, b in combinations(products, 2):
            if not pr.model.may_mix(a, b):
                m.AddBoolOr([f.p[(g, d, a)].Not(), f.p[(g, d, b)].Not()])
    _specialist_hours(f)


def _specialist_hours(f: Formulation) -> None:
    """Specialist hours per group and week (e.g. a gedragswetenschapper) when the product runs."""
    pr, m = f.problem, f.model
    runs: dict[tuple[int, str], list] = defaultdict(list)
    for (g, _, code), var in f.p.items():
        runs[(g, code)].append(var)
    for (g, code), vars_ in runs.items():
        hours = pr.model.products[code].extra_hours_per_week
        price = sum(cents(h * pr.model.cost.hourly[lv]) for lv, h in hours.items())
        if price:
            week = m.NewBoolVar(f"runs[{pr.groups[g].id},{code}]")
            m.AddMaxEquality(week, vars_)
            f.charge("specialisten", price, week)


def running(f: Formulation, g: int, d: int) -> list:
    """The product-run literals of a group-dagdeel."""
    return [var for (gg, dd, _), var in f.p.items() if (gg, dd) == (g, d)]
