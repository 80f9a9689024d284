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
from planner.inputs.scenario import SolveSettings
from planner.solver.budget import Budget
from planner.solver.problem import ProblemData
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


def solve_part(problem: ProblemData, settings: SolveSettings) -> Result:
    """One cluster on a worker, on the clock the local run gives it: the plan's budget (whole-instance
    `settings`) narrowed to the cluster's share (`problem.settings.time_limit_s`) from now."""
    budget = Budget.begin(settings, reserve=False).part(problem.settings.time_limit_s)
    return solve(problem, None, budget)


def solve_all(client: Any, problems: list[ProblemData], settings: SolveSettings) -> list[Result]:
    """solve_part of every problem as a Dask task; results in the order of `problems`.
    `settings`: the whole instance's solve settings."""
    futures = client.map(solve_part, problems, settings=settings, pure=False)
    return list(client.gather(futures))
