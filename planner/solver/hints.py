"""A roster in index space (OnRoster) and how it becomes a CP-SAT hint: shared by the phases (phases/cpsat.py)
and the pools' relaxation (relax.py), which hints each pool with the hand planner's part of it."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.formulation import Formulation
from planner.solver.greedy import staff_by_index
from planner.solver.problem import ProblemData

__all__ = ["OnRoster", "hint_on", "roster_on"]

# a roster in index space (roster_on): children (child, group, dagdeel) placed, staff (staff, group,
# dagdeel) on duty, vacancies per (group, dagdeel, level), product runs (group, dagdeel, product),
# attendance (child, day, location), staff count per (group, dagdeel, level), optional groups opened
OnRoster = tuple[set, set, dict, set, set, dict, set]


def roster_on(pr: ProblemData, kids: dict[tuple[int, int], list[int]], opened: set[int]) -> OnRoster:
    """The children `kids` per (group, dagdeel) staffed as the hand planner staffs (greedy.staff_groups),
    in index space (OnRoster)."""
    a_on, vac = staff_by_index(pr, kids)
    x_on = {(c, g, d) for (g, d), members in kids.items() for c in members}
    count: dict[tuple[int, int, str], int] = dict(vac)
    for s_, g, d in a_on:
        key = (g, d, pr.staff[s_].education)
        count[key] = count.get(key, 0) + 1
    runs = {(g, d, pr.product(c)) for c, g, d in x_on}
    attend = {(c, pr.day_of(d), pr.group_location[g]) for c, g, d in x_on}
    return x_on, a_on, vac, runs, attend, count, opened


def hint_on(f: Formulation, roster: OnRoster, model: cp_model.CpModel | None = None) -> None:
    """Hint every main variable of `model` (default: the formulation's) with `roster` (index space)."""
    x_on, a_on, vac, runs, attend, count, opened = roster
    m = f.model if model is None else model

    def var(v: cp_model.IntVar) -> cp_model.IntVar:
        return v if model is None else model.GetIntVarFromProtoIndex(v.Index())

    tables: list[tuple[dict, set]] = [(f.x, x_on), (f.a, a_on), (f.p, runs), (f.attend, attend)]
    for table, on in tables:
        for key, v in table.items():
            m.AddHint(var(v), int(key in on))
    for key, v in f.v.items():
        m.AddHint(var(v), vac.get(key, 0))
    for key, v in f.n.items():
        m.AddHint(var(v), count.get(key, 0))
    for g, v in f.opened.items():
        m.AddHint(var(v), int(g in opened))
