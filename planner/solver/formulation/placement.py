"""Children: at most the indication, one group per dagdeel, per-day and per-week maxima, not_with."""

from __future__ import annotations

from collections import defaultdict

from planner.solver.formulation import Formulation


def add(f: Formulation) -> None:
    pr, m = f.problem, f.model
    for c, slots in enumerate(pr.child_slots):
        for g, d in slots:
            var = m.NewBoolVar(f"x[{pr.children[c].id},{pr.groups[g].id},{pr.week[d]}]")
            f.x[(c, g, d)] = var
            f.by_child[c].append((g, d, var))
            f.by_gd[(g, d)].append((c, var))
    for c, entries in f.by_child.items():
        child = pr.children[c]
        product = pr.model.products[child.product]
        per_dagdeel: dict[int, list] = defaultdict(list)
        per_day: dict[str, list] = defaultdict(list)
        for _, d, var in entries:
            per_dagdeel[d].append(var)
            per_day[pr.day_of(d)].append(var)
        for vars_ in per_dagdeel.values():
            if len(vars_) > 1:
                m.AddAtMostOne(vars_)
        for vars_ in per_day.values():
            if len(vars_) > product.max_dagdelen_per_day:
                m.Add(sum(vars_) <= product.max_dagdelen_per_day)
        m.Add(sum(var for _, _, var in entries) <= min(child.dagdelen_per_week, product.max_dagdelen_per_week))
    for c, o in not_with_pairs(f):
        for g, d, var in f.by_child.get(c, []):
            other = f.x.get((o, g, d))
            if other is not None:
                m.AddBoolOr([var.Not(), other.Not()])


def not_with_pairs(f: Formulation) -> set[tuple[int, int]]:
    """Unordered pairs of children who may not share a group-dagdeel (either side may say so)."""
    ids = f.problem.ids.child
    pairs = set()
    for c, child in enumerate(f.problem.children):
        for other_id in child.not_with:
            o = ids.get(other_id)
            if o is not None and o != c:
                pairs.add((min(c, o), max(c, o)))
    return pairs
