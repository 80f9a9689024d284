"""Large neighbourhood search on top of CP-SAT, deterministic for a given seed.

CP-SAT's own LNS shares two cores with its bound workers. Here we free one structured part
of the roster at a time (a pool of groups, a location, two days, a random third of the
children), fix the rest to the best roster and let a single-thread CP-SAT repack the freed
part. Sub-solves stop on deterministic time, so a run is repeatable.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.formulation import Formulation
from planner.formulation.bounds import pools


def _neighbourhoods(f: Formulation, rng: random.Random) -> list[tuple[str, set[int]]]:
    """Group sets to free: a pool, a location, a pool at a location, two random groups."""
    pr = f.problem
    out = []
    for groups, codes in pools(f):
        out.append((f"pool {'/'.join(sorted(codes))}", set(groups)))
        for loc in sorted({pr.group_location[g] for g in groups}):
            out.append(("pool op locatie", {g for g in groups if pr.group_location[g] == loc}))
    for loc in sorted(set(pr.group_location)):
        here = {g for g in range(len(pr.groups)) if pr.group_location[g] == loc}
        out.append((f"locatie {pr.location_ids[loc]}", here))
    if len(pr.groups) > 1:
        out.append(("twee groepen", set(rng.sample(range(len(pr.groups)), 2))))
    return out


def decision_vars(f: Formulation) -> list:
    """Every variable a roster and its objective terms are read from."""
    extra = [expr for _, _, expr in (*f.cost_terms, *f.soft_terms) if hasattr(expr, "Index")]
    seen: dict[int, object] = {}
    for table in (f.x, f.a, f.v, f.p, f.n, f.opened, f.attend):
        for var in table.values():
            seen[var.Index()] = var
    for var in extra:
        seen.setdefault(var.Index(), var)
    return list(seen.values())


def restaff(f: Formulation, values: dict[int, int], objective: cp_model.LinearExprT,
            dtime: float, seed: int) -> tuple[dict[int, int], int] | None:
    """Keep every child where it is and find the cheapest staffing for that placement."""
    variables = decision_vars(f)
    sub = f.model.Clone()
    sub.ClearHints()
    for var in f.x.values():
        sub.Add(sub.GetBoolVarFromProtoIndex(var.Index()) == values[var.Index()])
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.random_seed = seed
    s.parameters.max_deterministic_time = dtime
    status = s.Solve(sub)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return ({v.Index(): s.Value(sub.GetIntVarFromProtoIndex(v.Index())) for v in variables},
            int(round(s.ObjectiveValue())))


def improve(
    f: Formulation,
    start_values: dict[int, int],
    start_objective: int,
    objective: cp_model.LinearExprT,
    budget: float,
    deterministic: bool,
    seed: int,
    on_better: Callable[[float], None] | None = None,
    step_dtime: float = 1.5,
) -> tuple[dict[int, int], int, float]:
    """Improve a roster (values by variable index) within `budget` seconds.

    Deterministic runs count CP-SAT's deterministic time, so the same seed repeats the same
    sequence of neighbourhoods and moves; otherwise wall time. Returns values, objective, time spent.
    """
    rng = random.Random(seed)
    variables = decision_vars(f)
    best, best_obj = dict(start_values), start_objective
    days = list(f.problem.days)
    stall, size = 0, 1
    began, ticks = time.perf_counter(), 0.0

    def spent() -> float:
        return ticks if deterministic else time.perf_counter() - began

    # a wall-clock cap of twice the budget still holds on a slow or busy machine
    while spent() < budget - 0.05 and stall < 200 and time.perf_counter() - began < 2 * budget:
        kinds = _neighbourhoods(f, rng)
        kind, groups = kinds[rng.randrange(len(kinds))]
        for _ in range(size - 1):  # several neighbourhoods at once: staff and children cross over
            other_kind, other = kinds[rng.randrange(len(kinds))]
            kind, groups = f"{kind} + {other_kind}", groups | other
        pair = set(rng.sample(days, 2)) if rng.random() < 0.4 and len(days) > 2 else set(days)

        def frozen(g: int, d: int) -> bool:
            return g not in groups or f.problem.day_of(d) not in pair  # noqa: B023

        sub = f.model.Clone()
        for table in (f.x, f.a):
            for key, var in table.items():
                if frozen(key[1], key[2]):
                    sub.Add(sub.GetBoolVarFromProtoIndex(var.Index()) == best[var.Index()])
        for (g, d, _), var in f.v.items():
            if frozen(g, d):
                sub.Add(sub.GetIntVarFromProtoIndex(var.Index()) == best[var.Index()])
        sub.ClearHints()
        for var in variables:
            sub.AddHint(sub.GetIntVarFromProtoIndex(var.Index()), best[var.Index()])
        s = cp_model.CpSolver()
        s.parameters.num_workers = 1
        s.parameters.random_seed = rng.randrange(1 << 30)
        s.parameters.max_deterministic_time = max(0.05, min(step_dtime, budget - spent()))
        if not deterministic:
            s.parameters.max_time_in_seconds = max(0.05, budget - spent())
        status = s.Solve(sub)
        ticks += s.deterministic_time
        value = int(round(s.ObjectiveValue())) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else best_obj
        # adapt: a neighbourhood solved to optimality is too small, one that timed out too big
        size = min(size + 1, 4) if status == cp_model.OPTIMAL else max(size - 1, 1)
        if value < best_obj:
            best = {v.Index(): s.Value(sub.GetIntVarFromProtoIndex(v.Index())) for v in variables}
            best_obj = value
            stall = 0
            if on_better:
                on_better(best_obj / 100)
        else:
            stall += 1
    return best, best_obj, spent()
