"""Education: minimum level of everyone on a group, minimum counts, and minimum shares."""

from __future__ import annotations

from collections import defaultdict

from planner.inputs.catalogue import exact, level_rank
from planner.solver.formulation.container import Formulation


def add(f: Formulation) -> None:
    """Levels of the staff where a product runs (hard; no objective term).

    With p[g, d, k] the product's run (group_size.py), S_r[g, d] the staff of at least level rank r
    there, named and vacancies (S_0 = everyone; n[g, d, level] from ratios.py), and a product's
    education rule (min_level L, min_count {level: n}, min_share {level: a/b}):

        a[s, g, d] + p[g, d, k] <= 1              for every person s below L
        v[g, d, level] = 0      if p[g, d, k]     for every vacancy (or counted) level below L
        S_level[g, d] >= n      if p[g, d, k]     per min_count entry
        b x S_level[g, d] >= a x S_0[g, d]   if p[g, d, k]   per min_share entry, share_scope "dagdeel"

    A share over the week (share_scope "week") holds per (location, product, level) over the
    dagdelen the product runs: sum of b x S_level - a x S_0 >= 0, where in a group offering more
    than one product only the dagdelen this product runs count (bounded helpers held to zero when
    it does not run), plus the redundant row b x sum S_level >= a x (dagdelen it runs). Units:
    persons per dagdeel; shares are exact fractions. From the region model (seed 002 lines 162-166:
    "zwaartepunt HBO", encoded as at least 50 % HBO, an assumption; seed 002 line 403: HBO or WO
    for dagbesteding zwaar; seed 004 line 3790: 100 % HBO)."""
    pr, m = f.problem, f.model
    week_share: dict[tuple[int, str, str], list] = defaultdict(list)  # (location, product, level)
    for (g, d, code), run in f.p.items():
        rule = pr.model.products[code].education
        if rule.min_level:
            need = level_rank(rule.min_level)
            for s, var in f.staff_by_gd[(g, d)]:
                if pr.level_of(s) < need:
                    m.AddBoolOr([var.Not(), run.Not()])
            for lv, var in (*f.vac_by_gd[(g, d)], *f.agg_by_gd[(g, d)]):
                if level_rank(lv) < need:
                    m.Add(var == 0).OnlyEnforceIf(run)
        for lv, count in rule.min_count.items():
            if count > 0:
                m.Add(f.staff_count(g, d, level_rank(lv)) >= count).OnlyEnforceIf(run)
        for lv, share in rule.min_share.items():
            fraction = exact(share)
            num, den = fraction.numerator, fraction.denominator
            if num == 0:
                continue
            high, total = f.staff_count(g, d, level_rank(lv)), f.staff_count(g, d)
            if rule.share_scope == "dagdeel":
                m.Add(den * high >= num * total).OnlyEnforceIf(run)
            else:
                week_share[(pr.group_location[g], code, lv)].append((g, d, run, high, total, num, den))
    for entries in week_share.values():
        # redundant, M-free: every dagdeel the product runs has staff, so the level's staff over
        # all those groups' dagdelen cover the share of one person per running dagdeel
        _, _, _, _, _, num, den = entries[0]
        m.Add(den * sum(high for _, _, _, high, _, _, _ in entries) >= num * sum(run for _, _, run, *_ in entries))
        terms = []
        for g, _d, run, high, total, num, den in entries:
            products = [p for p in pr.groups[g].products if p in pr.model.products]
            # single product: every dagdeel's staff count, as the product runs whenever anyone is there;
            # not so when staff may stand on an empty group for their minimum (contract_use.py)
            if len(products) == 1 and not pr.rules.min_contract_use:
                terms.append(den * high - num * total)
                continue
            # mixed group (or idle staff): only the staff of dagdelen where this product runs count
            bound = pr.groups[g].capacity + 2
            high_k = m.NewIntVar(0, bound, "")
            total_k = m.NewIntVar(0, bound, "")
            m.Add(high_k <= high)
            m.Add(high_k == 0).OnlyEnforceIf(run.Not())
            m.Add(total_k >= total).OnlyEnforceIf(run)
            terms.append(den * high_k - num * total_k)
        m.Add(sum(terms) >= 0)
