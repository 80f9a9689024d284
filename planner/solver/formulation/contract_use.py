"""Minimum contract use (`[solve] min_contract_use`): everyone works at least their required dagdelen.

    sum over (g, d) of a[s, g, d]  >=  required(s)        for every staff member s

`required(s)` comes from the input data alone (planner/inputs/contract_minimum.py: a share of the
contract less leave and closing days, capped at the dagdelen the person could work at all), the same
figure the checker holds the roster to. To make the cap always reachable, a person with a minimum may
stand on a group-dagdeel where no child sits: on one where a child could sit, ratios.py then leaves
out "nobody on an empty group" for them (the ratio only ever gains from an extra person); on one where
no child can ever sit, this module adds their a[s, g, d], charged at their own dagdeel cost (no count
n[g, d, level] exists there) and, on an optional group, opening it. Extra staff never break a ratio,
min_staff or min_count; min_level and min_share hold by education.py where a product runs.
"""

from __future__ import annotations

from collections import defaultdict

from planner.inputs.contract_minimum import minimums
from planner.solver.formulation.container import Formulation, Var
from planner.solver.problem import ProblemData


def required(pr: ProblemData) -> list[int]:
    """Per staff index: the dagdelen they must be rostered (0 everywhere when the option is off)."""
    need = minimums(pr.model, pr.data, pr.rules.min_contract_use)
    return [need[s.id].required if s.id in need else 0 for s in pr.staff]


def may_idle(pr: ProblemData) -> frozenset[int]:
    """Staff indices with a minimum: they may stand on a group-dagdeel without children."""
    return frozenset(s for s, r in enumerate(required(pr)) if r)


def add(f: Formulation) -> None:
    """Everyone with a minimum works at least required(s) dagdelen (hard, plus the wage of idle slots).

    For every staff member s with required(s) > 0 (none when `min_contract_use` is 0):

        sum_{g, d} a[s, g, d]  >=  required(s)                         dagdelen per week

    where a[s, g, d] also exists on the group-dagdelen no child can ever sit on (staff.add leaves those
    out): there it is added here, with sum_g a[s, g, d] <= 1 per dagdeel and the contract cap again
    over all of the person's variables, charged `personeel` at the person's own wage (cents per
    dagdeel; no count n[g, d, level] exists there), and a[s, g, d] <= opened[g] on an optional group
    for all of the person's variables.
    Left out of the pools' relaxation (registry.POOLS), which stays a relaxation without it. Units:
    dagdelen. Not from a seed: the provider's choice (issue 21, `[solve] min_contract_use`)."""
    pr, m = f.problem, f.model
    if not pr.rules.min_contract_use:
        return
    need = required(pr)
    per_staff: dict[int, list[Var]] = defaultdict(list)
    per_dagdeel: dict[tuple[int, int], list[Var]] = defaultdict(list)
    for (s, g, d), var in f.a.items():
        per_staff[s].append(var)
        per_dagdeel[(s, d)].append(var)
        if need[s] and g in f.opened:
            m.AddImplication(var, f.opened[g])
    for s, slots in enumerate(pr.staff_slots):
        if not need[s]:
            continue
        added = False
        for g, d in slots:
            if (s, g, d) in f.a:
                continue
            var = m.NewBoolVar(f"a[{pr.staff[s].id},{pr.groups[g].id},{pr.week[d]}]")
            f.a[(s, g, d)] = var
            f.charge("personeel", pr.staff_cost[s], var)
            if g in f.opened:
                m.AddImplication(var, f.opened[g])
            per_staff[s].append(var)
            per_dagdeel[(s, d)].append(var)
            added = True
        if added:  # staff.py bounded the person's other variables; these join them
            for d in sorted({d for _, d in slots}):
                if len(per_dagdeel[(s, d)]) > 1:
                    m.AddAtMostOne(per_dagdeel[(s, d)])
            m.Add(sum(per_staff[s]) <= pr.staff[s].dagdelen_per_week)
        m.Add(sum(per_staff[s]) >= need[s])
