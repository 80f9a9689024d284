"""Soft wishes: a child in one group all week, the same staff on a group, fair spread of work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from planner.solver.formulation.container import Formulation, Var
from planner.solver.problem import cents


def add(f: Formulation) -> None:
    """Soft wishes, each weighted by the scenario's `weights` (EUR, charged in cents; not money).

    * `kind_in_een_groep` (child_continuity): per child whose slots lie in two or more groups, one
      term per such group g: used[c, g] = max_d x[c, g, d], so w per group the child sits in (one
      group all week: w, two groups: 2w); a child that can only ever sit in one group is not counted.
    * `vaste_medewerker_op_groep` (staff_continuity): per (person, group) pair with a variable,
      used[s, g] = max_d a[s, g, d]: w per group a person works in.
    * `eerlijke_verdeling` (staff_fairness): peak in 0..100 with contract(s) x peak >= 100 x
      sum a[s, ., .] for every person with a contract and a variable: w per percentage point of the highest
      contract use in the team.

    A weight of 0 adds nothing. Units: groups, percent. Not from a seed: the provider's wishes."""
    pr, m = f.problem, f.model
    weights = pr.rules.weights
    w_child = cents(weights.get("child_continuity", 0))
    if w_child:
        for entries in f.by_child.values():
            groups: dict[int, list] = defaultdict(list)
            for g, _, var in entries:
                groups[g].append(var)
            if len(groups) >= 2:
                _charge_use(f, "kind_in_een_groep", w_child, groups.values())
    w_staff = cents(weights.get("staff_continuity", 0))
    if w_staff:
        pairs: dict[tuple[int, int], list] = defaultdict(list)
        for (s, g, _), var in f.a.items():
            pairs[(s, g)].append(var)
        _charge_use(f, "vaste_medewerker_op_groep", w_staff, pairs.values())
    w_fair = cents(weights.get("staff_fairness", 0))
    if w_fair:
        # the highest contract use in percent; lowering it spreads dagdelen over the team
        peak = m.NewIntVar(0, 100, "peak_use")
        per_staff: dict[int, list] = defaultdict(list)
        for (s, _, _), var in f.a.items():
            per_staff[s].append(var)
        for s, vars_ in per_staff.items():
            contract = pr.staff[s].dagdelen_per_week
            if contract > 0:
                m.Add(contract * peak >= 100 * sum(vars_))
        f.wish("eerlijke_verdeling", w_fair, peak)


def _charge_use(f: Formulation, rule: str, weight: int, var_sets: Iterable[list[Var]]) -> None:
    """One soft term per set of literals that is used at all (a group for a child, a group for staff)."""
    for vars_ in var_sets:
        used = f.model.NewBoolVar("")
        f.model.AddMaxEquality(used, list(vars_))
        f.wish(rule, weight, used)
