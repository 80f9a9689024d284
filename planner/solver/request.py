"""How to search, apart from what to solve: the time limit, seed, CP-SAT workers and mode of one solve.

A `SolveRequest` travels beside the `ProblemData` (problem.py), never inside it: the same problem can
be solved with another time limit, seed or worker count (a cluster of a decomposed solve, a compare
seed) without being rebuilt, and nothing the model holds depends on how long it is searched.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.inputs.scenario import SolveSettings


@dataclass(frozen=True)
class SolveRequest:
    """The search settings of one solve (budget.py turns them into a clock and CP-SAT parameters).

    time_limit_s: seconds for the whole solve, wall clock, or CP-SAT deterministic time when
    `deterministic`; seed and workers: CP-SAT's random seed and thread count; log: CP-SAT's search
    log; decompose ("auto", "ja", "nee") and cluster_size: whether and how a large instance is
    solved by location cluster (decompose.py)."""

    time_limit_s: float = 30.0
    seed: int = 0
    workers: int = 2
    deterministic: bool = False
    log: bool = False
    decompose: str = "auto"
    cluster_size: int = 3

    @classmethod
    def of(cls, settings: SolveSettings) -> SolveRequest:
        """The search part of a scenario's `[solve]` table."""
        return cls(time_limit_s=float(settings.time_limit_s), seed=settings.seed, workers=settings.workers,
                   deterministic=settings.deterministic, log=settings.log, decompose=settings.decompose,
                   cluster_size=settings.cluster_size)
