"""Where the solves of `planner compare` run: a local process pool or a Dask cluster, same function, same data.

Both send each job (plain data) to one function (`compare_solve.run_solve` for rosters,
`compare.capacity.run_capacity_job` for capacity plans) and put the results back in job order,
whatever order they finish in; the solves are deterministic (CP-SAT deterministic time, fixed seed and
workers; SCIP single-threaded), so the two paths give equal results.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

from planner.app.compare.solve import Solved, SolveJob, run_solve
from planner.inputs.errors import InputError, Problem

J = TypeVar("J")
R = TypeVar("R")


def _failed(job: SolveJob, message: str) -> Solved:
    return Solved(job.group, job.settings.seed, status="FOUT", error=message)


def run_local(jobs: list[SolveJob], parallel: int, done: Callable[[Solved], None] | None = None) -> list[Solved]:
    """Each roster solve in its own spawned process, `parallel` at a time (see map_local)."""
    return map_local(run_solve, jobs, parallel, _failed, done)


def run_dask(jobs: list[SolveJob], address: str, done: Callable[[Solved], None] | None = None) -> list[Solved]:
    """The same roster solves on a Dask cluster (see map_dask)."""
    return map_dask(run_solve, jobs, address, _failed, done)


def map_local(fn: Callable[[J], R], jobs: list[J], parallel: int, failed: Callable[[J, str], R],
              done: Callable[[R], None] | None = None) -> list[R]:
    """`fn` on each job in its own spawned process (no solver state shared), `parallel` at a time; one
    at a time (parallel 1 or a single job) runs in this process. A worker process that dies gives
    `failed(job, message)`; `fn` itself must not raise."""
    if parallel <= 1 or len(jobs) <= 1:
        results = []
        for job in jobs:
            results.append(fn(job))
            if done:
                done(results[-1])
        return results
    out: dict[int, R] = {}
    with ProcessPoolExecutor(max_workers=parallel, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(fn, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                out[i] = future.result()
            except Exception as exc:  # a worker process died
                out[i] = failed(jobs[i], f"proces: {exc}")
            if done:
                done(out[i])
    return [out[i] for i in range(len(jobs))]


def map_dask(fn: Callable[[J], R], jobs: list[J], address: str, failed: Callable[[J, str], R],
             done: Callable[[R], None] | None = None) -> list[R]:
    """`fn` on each job on a Dask distributed cluster (`pip install planner[dask]`); InputError when Dask
    is missing or no scheduler answers at `address`."""
    try:
        from distributed import Client, as_completed  # noqa: PLC0415 -- Dask is an optional extra
    except ImportError:
        raise InputError([Problem("--cluster", "Dask ontbreekt: installeer met pip install 'planner[dask]'")]) from None
    try:
        client = Client(address, timeout="20s")
    except OSError as exc:
        raise InputError([Problem("--cluster", f"geen Dask-scheduler op {address}: {exc}")]) from None
    with client:
        futures = client.map(fn, jobs, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        out: dict[int, R] = {}
        for future in as_completed(futures):
            i = index[future.key]
            try:
                out[i] = future.result()
            except Exception as exc:  # the task itself never raises; a lost worker might
                out[i] = failed(jobs[i], f"cluster: {exc}")
            if done:
                done(out[i])
    return [out[i] for i in range(len(jobs))]
