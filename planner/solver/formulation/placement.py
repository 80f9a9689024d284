"""Children: at most the indication, one group per dagdeel, per-day and per-week maxima, not_with."""

from __future__ import annotations

from collections import defaultdict

from planner.solver.formulation.container import Formulation


def add(f: Formulation) -> None:
    """The placement variables and every limit on one child's dagdelen (hard; no objective term).

    x[c, g, d] in {0, 1} exists only for the slots ProblemData allows (`child_slots`: a group that
    offers the child's product, at a location the child can reach (and its own location when it
    names one), open on a dagdeel the child is available for, in the product's parts of the day). For every child c:

        sum_g x[c, g, d]                  <= 1                          per dagdeel d
        sum_{g, d on day t} x[c, g, d]    <= max_dagdelen_per_day       per day t (product)
        sum_{g, d} x[c, g, d]             <= min(indication, max_dagdelen_per_week)

    and for every not_with pair {c, o} (either child may name the other), on every (g, d):
    x[c, g, d] + x[o, g, d] <= 1. Units: dagdelen. The limits are the region model's per product
    (models/*.toml, each with its seed line, e.g. seed 002 lines 92-250 for Dagbehandeling A and B);
    the indication is the allocation's dagdelen per week. Fills `x`, `by_child`, `by_gd`."""
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
