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
        out.append((f"locatie {pr.location_ids[loc]}", {g for g in range(len(pr.groups)) if pr.group_location[g] == loc}))
    if len(pr.groups) > 1:
        out.append(("twee groepen", set(rng.sample(range(len(pr.groups)), 2))))
    return out


def improve(
    f: Formulation,
    solver: cp_model.CpSolver,
    objective: cp_model.LinearExprT,
    deadline: float,
    seed: int,
    on_better: Callable[[float], None] | None = None,
    step_dtime: float = 1.5,
) -> tuple[dict[int, int], int]:
    """Improve the roster held by `solver` until `deadline` (perf_counter); returns values by var index."""
    rng = random.Random(seed)
    variables = [v for group in (f.x, f.a, f.v, f.p, f.n, f.opened, f.attend) for v in group.values()]
    best = {v.Index(): solver.Value(v) for v in variables}
    best_obj = int(round(solver.ObjectiveValue()))
    days = list(f.problem.days)
    stall = 0
    while time.perf_counter() < deadline - 0.2 and stall < 60:
        kinds = _neighbourhoods(f, rng)
        kind, groups = kinds[rng.randrange(len(kinds))]
        if rng.random() < 0.5:  # two neighbourhoods at once: lets staff and children cross over
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
        s.parameters.max_deterministic_time = step_dtime
        s.parameters.max_time_in_seconds = max(0.1, min(step_dtime * 3, deadline - time.perf_counter()))
        status = s.Solve(sub)
        value = int(round(s.ObjectiveValue())) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else best_obj
        if value < best_obj:
            best = {v.Index(): s.Value(sub.GetIntVarFromProtoIndex(v.Index())) for v in variables}
            best_obj = value
            stall = 0
            if on_better:
                on_better(best_obj / 100)
        else:
            stall += 1
    return best, best_obj
