"""Redundant rows that make the bound tight; they cut off no roster.

Children of a product only sit in groups that offer it, so the staff-dagdelen on a *pool* of
groups (groups linked by shared products) must cover the ratio need of every child placed in
it. With the placed dagdelen per product as integer variables T_k whose sum is held at the
phase 1 optimum, propagation fixes T_k and rounds the pool's staff up to a whole number: the
"ceil" an LP relaxation otherwise misses.
"""

from __future__ import annotations

import math
from collections import defaultdict

from planner.formulation import Formulation


def pools(f: Formulation) -> list[tuple[set[int], set[str]]]:
    """Connected groups and products: (group indices, product codes)."""
    pr = f.problem
    parent = list(range(len(pr.groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_group: dict[str, int] = {}
    for g, group in enumerate(pr.groups):
        for code in group.products:
            if code in first_group:
                parent[find(g)] = find(first_group[code])
            else:
                first_group[code] = g
    found: dict[int, tuple[set[int], set[str]]] = {}
    for g, group in enumerate(pr.groups):
        groups, codes = found.setdefault(find(g), (set(), set()))
        groups.add(g)
        codes.update(group.products)
    return list(found.values())


def add(f: Formulation) -> dict[str, object]:
    """Adds T_k and the pool rows; returns T_k so the solver can hold their sum."""
    pr, m = f.problem, f.model
    by_product: dict[str, list] = defaultdict(list)
    caps: dict[str, int] = defaultdict(int)
    for c, entries in f.by_child.items():
        code = pr.product(c)
        by_product[code].extend(var for _, _, var in entries)
        caps[code] += min(pr.children[c].dagdelen_per_week, _possible(f, c))
    totals = {}
    for code, vars_ in by_product.items():
        t = m.NewIntVar(0, caps[code], f"T[{code}]")
        m.Add(t == sum(vars_))
        totals[code] = t
    for groups, codes in pools(f):
        staff = [f.staff_count(g, d) for g in sorted(groups) for d in sorted(pr.group_open[g])
                 if f.by_gd.get((g, d))]
        demand = [int(pr.model.products[k].staff_per_child * pr.staff_weight) * totals[k]
                  for k in codes if k in totals]
        if not staff or not demand:
            continue
        bound = sum(len(pr.staff) + pr.groups[g].capacity + 2 for g in groups) * len(pr.week)
        s = m.NewIntVar(0, bound, "")
        m.Add(s == sum(staff))
        m.Add(pr.staff_weight * s >= sum(demand))
    return totals


def _possible(f: Formulation, c: int) -> int:
    pr = f.problem
    product = pr.model.products[pr.product(c)]
    per_day: dict[str, set[int]] = defaultdict(set)
    for _, d in pr.child_slots[c]:
        per_day[pr.day_of(d)].add(d)
    total = sum(min(len(ds), product.max_dagdelen_per_day) for ds in per_day.values())
    return min(total, product.max_dagdelen_per_week, math.inf)  # type: ignore[type-var]
