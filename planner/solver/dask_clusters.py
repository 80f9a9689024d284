"""`planner plan --cluster tcp://HOST:8786`: the clusters of a decomposed solve as tasks on a Dask cluster.

The command connects once (`connect`), then solves inside `using(client)`; decompose.solve_by_clusters
asks `current()` and, when a client is there, sends each cluster's problem (the same problems, with the
same settings, as the local run) to the workers with `client.map(solve, ...)` and gathers the results in
cluster order. The merge, the border step (extend.py) and the checker run here, as locally; with
`deterministic = true` the roster is therefore the same as the local run's for the same seed.

Workers need `planner` installed (the same version): they unpickle ProblemData and run solve.solve.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from planner.inputs.errors import InputError, Problem
from planner.solver.budget import Budget
from planner.solver.problem import ProblemData
from planner.solver.replan import PreviousIndex
from planner.solver.request import SolveRequest
from planner.solver.solve import Result, solve

TIMEOUT = "10s"  # how long to try to reach the scheduler
_client: ContextVar[Any] = ContextVar("planner_dask_client", default=None)


def connect(address: str, timeout: str = TIMEOUT) -> Any:
    """A dask.distributed Client on `address` (e.g. tcp://127.0.0.1:8786).

    Raises InputError (one problem, column --cluster) when Dask is not installed or the scheduler
    cannot be reached in `timeout`."""
    try:
        from distributed import Client  # noqa: PLC0415 -- Dask is an optional extra
    except ImportError:
        raise InputError([Problem("opdrachtregel", "Dask ontbreekt: installeer met pip install 'planner[dask]'",
                                  column="--cluster")]) from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:  # refused, timed out, or not an address
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError([Problem("opdrachtregel", f"geen Dask-scheduler bereikbaar op {address}: {reason}",
                                  column="--cluster")]) from None


@contextmanager
def using(client: Any) -> Iterator[None]:
    """Within this block decomposed solves send their clusters to `client`."""
    token = _client.set(client)
    try:
        yield
    finally:
        _client.reset(token)


def current() -> Any:
    """The client set by `using`, or None (solve locally)."""
    return _client.get()


def solve_part(job: tuple[ProblemData, SolveRequest, PreviousIndex | None], request: SolveRequest) -> Result:
    """One cluster (problem, its own request, its replanning input) on a worker, on the clock the local
    run gives it: the plan's budget (whole-instance `request`) narrowed to the cluster's share (its own
    request's `time_limit_s`) from now."""
    problem, own, previous = job
    budget = Budget.begin(request, reserve=False).part(own.time_limit_s)
    return solve(problem, None, budget, previous=previous)


def solve_all(client: Any, jobs: list[tuple[ProblemData, SolveRequest, PreviousIndex | None]],
              request: SolveRequest) -> list[Result]:
    """solve_part of every cluster as a Dask task; results in the order of `jobs`.
    `request`: the whole instance's search settings."""
    futures = client.map(solve_part, jobs, request=request, pure=False)
    return list(client.gather(futures))
