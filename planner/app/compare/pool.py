"""Where the solves of `planner compare` run: a local process pool or a Dask cluster, same function, same data.

Both send each `SolveJob` (plain data) to `compare_solve.run_solve` and put the results back in job
order, whatever order they finish in; the solve is deterministic (CP-SAT deterministic time, fixed
seed and workers), so the two paths give equal rosters.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from planner.app.compare.solve import Solved, SolveJob, run_solve
from planner.inputs.errors import InputError, Problem


def run_local(jobs: list[SolveJob], parallel: int, done: Callable[[Solved], None] | None = None) -> list[Solved]:
    """Each job in its own spawned process (no solver state shared), `parallel` at a time; one at a time
    (parallel 1 or a single job) runs in this process."""
    if parallel <= 1 or len(jobs) <= 1:
        results = []
        for job in jobs:
            results.append(run_solve(job))
            if done:
                done(results[-1])
        return results
    out: dict[int, Solved] = {}
    with ProcessPoolExecutor(max_workers=parallel, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(run_solve, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                out[i] = future.result()
            except Exception as exc:  # a worker process died
                out[i] = Solved(jobs[i].group, jobs[i].settings.seed, status="FOUT", error=f"proces: {exc}")
            if done:
                done(out[i])
    return [out[i] for i in range(len(jobs))]


def run_dask(jobs: list[SolveJob], address: str, done: Callable[[Solved], None] | None = None) -> list[Solved]:
    """The same jobs on a Dask distributed cluster (`pip install planner[dask]`); InputError when Dask
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
        futures = client.map(run_solve, jobs, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        out: dict[int, Solved] = {}
        for future in as_completed(futures):
            i = index[future.key]
            try:
                out[i] = future.result()
            except Exception as exc:  # the task itself never raises; a lost worker might
                out[i] = Solved(jobs[i].group, jobs[i].settings.seed, status="FOUT", error=f"cluster: {exc}")
            if done:
                done(out[i])
    return [out[i] for i in range(len(jobs))]
