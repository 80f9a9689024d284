"""Soft wishes: a child in one group all week, the same staff on a group, fair spread of work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from planner.solver.formulation import Formulation
from planner.solver.problem import cents


def add(f: Formulation) -> None:
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
        f.soft_terms.append(("eerlijke_verdeling", w_fair, peak))


def _charge_use(f: Formulation, rule: str, weight: int, var_sets: Iterable[list]) -> None:
    """One soft term per set of literals that is used at all (a group for a child, a group for staff)."""
    for vars_ in var_sets:
        used = f.model.NewBoolVar("")
        f.model.AddMaxEquality(used, list(vars_))
        f.soft_terms.append((rule, weight, used))
