"""Large neighbourhood search on top of CP-SAT, deterministic for a given seed.

CP-SAT's own LNS shares the two cores with its bound workers. Here we free one structured part
of the roster at a time (a pool of groups, a location, a pool at a location, two groups; all
days or two of them), fix the rest to the best roster and let a single-thread CP-SAT repack
the freed part. Each batch runs one neighbourhood per worker in parallel; results are taken in
a fixed order and sub-solves stop on deterministic time, so a run repeats exactly.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from planner.solver.budget import Budget, block_sigint
from planner.solver.formulation import Formulation
from planner.solver.formulation.bounds import pools


def decision_vars(f: Formulation) -> list:
    """Every variable a roster and its objective terms are read from."""
    seen: dict[int, object] = {}
    for table in (f.x, f.a, f.v, f.p, f.n, f.opened, f.attend):
        for var in table.values():
            seen[var.Index()] = var
    for _, _, expr in (*f.cost_terms, *f.soft_terms):
        if hasattr(expr, "Index"):
            seen.setdefault(expr.Index(), expr)
    return list(seen.values())


def _neighbourhoods(f: Formulation) -> list[set[int]]:
    """Group sets to free: each pool, each pool at a location, each location."""
    pr = f.problem
    out = []
    for groups, _ in pools(f.problem):
        out.append(set(groups))
        for loc in sorted({pr.group_location[g] for g in groups}):
            out.append({g for g in groups if pr.group_location[g] == loc})
    for loc in sorted(set(pr.group_location)):
        out.append({g for g in range(len(pr.groups)) if pr.group_location[g] == loc})
    return out


@dataclass(frozen=True)
class _Move:
    groups: frozenset[int]
    days: frozenset[str]
    seed: int


def _draw(f: Formulation, rng: random.Random, size: int) -> _Move:
    kinds = _neighbourhoods(f)
    groups: set[int] = set()
    for _ in range(size):  # several neighbourhoods at once: staff and children cross over
        groups |= kinds[rng.randrange(len(kinds))]
    if len(f.problem.groups) > 1 and rng.random() < 0.2:
        groups |= set(rng.sample(range(len(f.problem.groups)), 2))
    days = list(f.problem.days)
    pair = rng.sample(days, 2) if rng.random() < 0.4 and len(days) > 2 else days
    return _Move(frozenset(groups), frozenset(pair), rng.randrange(1 << 30))


def _solve_move(f: Formulation, move: _Move, best: dict[int, int], variables: list,
                dtime: float, wall: float | None,
                interrupt: Any = None) -> tuple[int, float, dict[int, int] | None, int]:
    """Returns (status, deterministic time, values or None, objective)."""

    def frozen(g: int, d: int) -> bool:
        return g not in move.groups or f.problem.day_of(d) not in move.days

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
    s.parameters.random_seed = move.seed
    s.parameters.max_deterministic_time = dtime
    if wall is not None:
        s.parameters.max_time_in_seconds = wall
    s.parameters.catch_sigint_signal = False
    status = interrupt.solve(s, sub) if interrupt is not None else s.Solve(sub)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, s.deterministic_time, None, 0
    values = {v.Index(): s.Value(sub.GetIntVarFromProtoIndex(v.Index())) for v in variables}
    return status, s.deterministic_time, values, int(round(s.ObjectiveValue()))


def improve(
    f: Formulation,
    start_values: dict[int, int],
    start_objective: int,
    seconds: float,
    budget: Budget,
    on_better: Callable[[float], None] | None = None,
    step_dtime: float = 0.25,
) -> tuple[dict[int, int], int, float]:
    """Improve a roster (values by variable index) within `seconds` of the budget.

    Deterministic mode counts CP-SAT's deterministic time (the longest sub-solve of each parallel
    batch, added to the budget), so the same seed repeats the same moves, with no wall-clock cap;
    otherwise wall time, never past the budget's deadline. Returns values, objective and time spent.
    """
    request = budget.request
    deterministic = request.deterministic
    workers = request.workers
    interrupt = budget.interrupt
    rng = random.Random(request.seed)
    variables = decision_vars(f)
    best, best_obj = dict(start_values), start_objective
    size, stall = 1, 0
    began, ticks = time.perf_counter(), 0.0

    def spent() -> float:
        return ticks if deterministic else time.perf_counter() - began

    def left() -> float:
        return seconds - spent() if deterministic else min(seconds - spent(), budget.wall_left())

    with ThreadPoolExecutor(max_workers=max(1, workers), initializer=block_sigint) as pool:
        while left() > 0.05 and stall < 100 and not interrupt.hit:
            moves = [_draw(f, rng, size) for _ in range(max(1, workers))]
            step = max(0.05, min(step_dtime, seconds - spent()))
            wall = None if deterministic else max(0.01, left())
            jobs = [pool.submit(_solve_move, f, mv, best, variables, step, wall, interrupt) for mv in moves]
            while not all(job.done() for job in jobs):  # short waits: the main thread must see Ctrl-C
                wait(jobs, timeout=0.2)
            results = [job.result() for job in jobs]
            ticks += max(r[1] for r in results)
            improved = False
            for _, _, values, value in results:  # fixed order: deterministic
                if values is not None and value < best_obj:
                    best, best_obj, improved = values, value, True
            # adapt: neighbourhoods solved to optimality are too small, timed-out ones too big
            if all(r[0] == cp_model.OPTIMAL for r in results):
                size = min(size + 1, 4)
            elif not any(r[0] == cp_model.OPTIMAL for r in results):
                size = max(size - 1, 1)
            stall = 0 if improved else stall + 1
            if improved and on_better:
                on_better(best_obj / 100)
    budget.ticks += ticks
    return best, best_obj, spent()
