"""The time of one solve: one object owns the limit, the clock, the phases' shares, Ctrl-C and CP-SAT's parameters.

Two modes (`deterministic` in [solve]):

* wall clock (the default): `time_limit_s` is the wall time of the whole solve, from the moment the
  budget starts (before the problem is built) to the roster: every CP-SAT call gets at most the wall
  time that is left, and loops without a CP-SAT limit (the LNS, the pools, the phases) ask `expired()`.
  One exception: the hand planner's roster (greedy.py, 0.1 s on the example, 3.8 s on 1,500 children)
  always runs to the end, as it is the floor every result must reach.
  A busy machine gives a worse roster, never a later one. Runs are not repeatable.
* deterministic: limits in CP-SAT's deterministic time (about seconds on 2 cores), no wall-clock cap
  anywhere, fixed worker count: the same scenario, seed and workers give the same roster on any
  load, however long that takes on a busy machine.

Shares, in one table (`SHARES`) instead of literals spread over the modules, are parts of the span
(`Budget.span`: the limit in deterministic mode, the time to the deadline on a wall clock) of two kinds: a
point a phase runs until, counted from the start of the solve (`Budget.until`: `cost`: until 60 %,
`improve`: until 90 %, `wishes`: until 100 %), or a duration a phase may use (`Budget.share`: `pools`: for
at most 40 %, `placement`: for at most 30 %, `lp`: for at most 10 %, `restaff`: for at most 5 %,
`hand_values`: for at most 5 %). `pools_maxima` and `pools_cost` divide the pools' own time. In wall-clock
mode `report` (5 %) and `diagnosis` (10 %, at most DIAGNOSIS_MAX_S) are kept back for the work after
the solve: the checker, the costing and the waiting list's reasons.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.inputs.scenario import SolveSettings
from planner.solver.request import SolveRequest

# the solve's phases, each until this share of the limit (or for this share, where it says "for")
SHARES = {
    "pools": 0.4,  # the pools' relaxation (relax.py), for at most this share
    "pools_maxima": 0.7,  # of the pools' time: their maxima, smallest pool first
    "pools_cost": 0.9,  # of the pools' time: until here their cost, then a second round for the unproven
    "restaff": 0.05,  # the pools' placement staffed by name, for this share (a second try: `restaff_retry`)
    "restaff_retry": 0.1,
    "placement": 0.3,  # CP-SAT on the placement, for at most this share
    "placement_retry": 0.1,  # replanning: again from the hand planner's roster, when not proven
    "hand_values": 0.05,  # the hand planner's roster completed to a CP-SAT solution, for at most this share
    "placement_lns": 0.1,  # our neighbourhood search on the placement
    "cost": 0.6,  # CP-SAT's portfolio on the cost, until this share (at least `cost_min` of the limit)
    "cost_min": 0.1,
    "lp": 0.1,  # the LP relaxation's bound (GLOP), for at most this share
    "improve": 0.9,  # our neighbourhood search on the cost, until this share
    "wishes": 1.0,  # the soft wishes with the cost held, until the end
    "clusters": 0.92,  # decomposed: the clusters' share; the rest for extend.place_more
    "report": 0.05,  # wall clock: kept back for the checker and the costing after the solve
    "diagnosis": 0.1,  # wall clock: kept back for the waiting list's reasons (binding.py), at most 30 s
}
DIAGNOSIS_MAX_S = 30.0
# deterministic mode: the least a CP-SAT call gets (it needs a moment to load the model). In wall-clock
# mode the same floors, but never above FLOOR_SHARE of the limit nor above what is left
FLOOR_SHARE = 0.05
# wall clock: a CP-SAT call of fewer seconds than this presolves lightly (Budget.solver)
LIGHT_PRESOLVE_BELOW = 10.0


def process_start() -> float:
    """The perf_counter() instant this process started (Linux: /proc/self/stat), so that a command's
    time limit counts its start-up too (importing OR-Tools, pandas and openpyxl: about 1 s idle, 6-12 s
    on a loaded machine). Elsewhere, or when it cannot be read: now."""
    now = time.perf_counter()
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start time, ticks since boot
        up = time.clock_gettime(time.CLOCK_BOOTTIME)
    except (OSError, ValueError, IndexError, AttributeError):
        return now
    return now - min(max(0.0, up - started), 3600.0)


class Interrupt:
    """Ctrl-C during a solve: stop the running CP-SAT search, skip what is left, keep the best roster."""

    def __init__(self) -> None:
        self.hit = False
        self.running: cp_model.CpSolver | None = None
        self._previous: object = None

    def __enter__(self) -> Interrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]

    def _handle(self, signum: int, frame: object) -> None:
        self.hit = True
        if self.running is not None:
            self.running.StopSearch()

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel, callback: object = None,
              deadline: float = math.inf) -> int:
        """Solve; after Ctrl-C return at once (a zero-time solve, so the response exists); past
        `deadline` (perf_counter) the search is asked to stop.

        On the main thread the solve runs in a helper thread with SIGINT blocked (CP-SAT's own
        threads inherit that), while the main thread waits in short steps: Ctrl-C reaches our
        handler, which stops the search. Neighbourhood solves in worker threads end on their
        own short limit; the search loop stops once `hit` is set.
        """
        if self.hit:
            solver.parameters.max_time_in_seconds = 0.0
            solver.parameters.max_deterministic_time = 0.0
        args = (model, callback) if callback is not None else (model,)
        if threading.current_thread() is not threading.main_thread():
            return solver.Solve(*args)
        self.running = solver
        try:
            with ThreadPoolExecutor(max_workers=1, initializer=block_sigint) as pool:
                job = pool.submit(solver.Solve, *args)
                while True:
                    try:
                        return job.result(timeout=0.2)
                    except FutureTimeout:
                        if time.perf_counter() > deadline:  # CP-SAT past its own limit (a busy machine)
                            solver.StopSearch()
        finally:
            self.running = None


def block_sigint() -> None:
    """Worker threads (and the CP-SAT threads they start) leave Ctrl-C to the main thread."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


@dataclass
class Budget:
    """The clock of one solve. `limit`: seconds (wall, or deterministic); `start`: perf_counter() when
    the solve began; `deadline`: the wall-clock instant at which everything must be done (wall mode;
    infinite in deterministic mode). `ticks`: deterministic seconds spent so far. `span`: the seconds
    the phases' shares are parts of: the limit in deterministic mode, the time from `start` to the
    deadline in wall mode (what is kept back for the checker and the diagnosis is no phase's)."""

    request: SolveRequest
    limit: float
    start: float
    deadline: float
    interrupt: Interrupt
    ticks: float = 0.0
    span: float = 0.0

    def __post_init__(self) -> None:
        if not self.span:
            self.span = self.limit if math.isinf(self.deadline) else max(0.0, self.deadline - self.start)

    @classmethod
    def begin(cls, request: SolveRequest | SolveSettings, interrupt: Interrupt | None = None,
              start: float | None = None, reserve: bool = True) -> Budget:
        """A budget of `request.time_limit_s` from `start` (default: now); a scenario's [solve] settings
        give their search part (SolveRequest.of). Wall mode keeps SHARES["report"] of the limit back for
        the work after the solve (checker, cost) and the diagnosis's share (the waiting list's reasons,
        `diagnosis_seconds`) when `reserve`."""
        if isinstance(request, SolveSettings):
            request = SolveRequest.of(request)
        began = time.perf_counter() if start is None else start
        limit = float(request.time_limit_s)
        keep = (SHARES["report"] + min(SHARES["diagnosis"], DIAGNOSIS_MAX_S / limit)) if reserve else 0.0
        deadline = math.inf if request.deterministic else began + limit * (1 - keep)
        return cls(request, limit, began, deadline, interrupt or Interrupt())

    def diagnosis_seconds(self) -> float:
        """Seconds for the waiting list's reasons after the solve. Wall mode: what is left of the limit
        minus the report's share (the diagnosis's share was kept back by `begin`), so the whole plan
        stays within the limit. Deterministic mode: 2 ... 30 deterministic seconds of its own, counted over
        the diagnosis's solves (binding.Clock), so the waiting list repeats with the roster."""
        if self.deterministic:
            return max(2.0, min(DIAGNOSIS_MAX_S, self.limit))
        left = self.start + self.limit * (1 - SHARES["report"]) - time.perf_counter()
        return max(0.0, min(DIAGNOSIS_MAX_S, left))

    def part(self, seconds: float, workers: int | None = None) -> Budget:
        """A sub-budget of `seconds` from now (a cluster of a decomposed solve), never past this deadline.
        Deterministic mode: no deadline at all (`seconds` are deterministic seconds); a wall deadline here
        made `expired()` skip phases on a busy machine, so a cluster's roster depended on the load."""
        now = time.perf_counter()
        request = self.request
        if workers is not None:
            request = replace(request, workers=workers)
        deadline = math.inf if self.deterministic else min(self.deadline, now + seconds)
        return Budget(request, seconds, now, deadline, self.interrupt)

    @property
    def deterministic(self) -> bool:
        return self.request.deterministic

    @property
    def elapsed(self) -> float:
        """Wall seconds since the start."""
        return time.perf_counter() - self.start

    @property
    def spent(self) -> float:
        """What counts against the limit: deterministic seconds, or wall seconds."""
        return self.ticks if self.deterministic else self.elapsed

    def wall_left(self) -> float:
        """Wall seconds to the deadline (infinite in deterministic mode)."""
        return self.deadline - time.perf_counter()

    def expired(self) -> bool:
        """Nothing more may start: the deadline passed (wall mode) or Ctrl-C was pressed."""
        return self.interrupt.hit or self.wall_left() <= 0

    def until(self, share: float) -> float:
        """Seconds to the point `share` of the span."""
        return self.span * share - self.spent

    def share(self, name: str) -> float:
        """The span times the named share (SHARES): in wall mode the shares end at the deadline, not
        past it (with a fifth of the limit kept back, the improve phase's 90 % was past the deadline
        and the wishes had nothing)."""
        return self.span * SHARES[name]

    def floor(self, seconds: float) -> float:
        """The least a CP-SAT call gets: `seconds` in deterministic mode; in wall mode at most
        FLOOR_SHARE of the limit (a 2 s solve cannot give every pool a second)."""
        return seconds if self.deterministic else min(seconds, self.limit * FLOOR_SHARE)

    def seconds(self, want: float, floor: float = 0.0) -> float:
        """A phase's limit: `want`, at least `floor()` of `floor`; in wall mode never more than the wall
        time left."""
        if self.deterministic:
            return max(floor, want)
        return max(0.0, min(max(self.floor(floor), want), self.wall_left()))

    def solver(self, seconds: float, workers: int | None = None) -> cp_model.CpSolver:
        """A CP-SAT solver with the plan's seed, workers and logging, limited to `seconds` (already
        passed through `seconds()`): deterministic time in deterministic mode, else wall time."""
        s = self.request
        solver = cp_model.CpSolver()
        n = s.workers if workers is None else workers
        if self.deterministic:
            solver.parameters.max_deterministic_time = seconds
        else:
            solver.parameters.max_time_in_seconds = max(0.0, min(seconds, self.wall_left()))
        solver.parameters.num_workers = n
        solver.parameters.random_seed = s.seed
        # interleaved search makes parallel workers deterministic (same seed, same roster), at a price:
        # an M pool's maximum is proven in 3.5 s instead of 1.2; with wall-clock limits runs differ anyway
        solver.parameters.interleave_search = n > 1 and self.deterministic
        solver.parameters.log_search_progress = s.log
        solver.parameters.catch_sigint_signal = False  # our Interrupt stops the search and keeps the roster
        if not self.deterministic and seconds < LIGHT_PRESOLVE_BELOW:
            # a short call on a wall clock: the search, not the presolve. Measured on family a M (15,169
            # variables, loaded machine, 8 s): full presolve had not finished (no placement at all),
            # one presolve pass without probing and symmetry started the search at 2.0 s (561 placed)
            solver.parameters.max_presolve_iterations = 1
            solver.parameters.cp_model_probing_level = 0
            solver.parameters.symmetry_level = 0
        return solver

    def owed(self, seconds: float) -> cp_model.CpSolver:
        """A solver for a roster that is owed whatever the clock says (no candidate at all yet: replanning
        with pins, where the hand planner's roster is none): `seconds` also past the deadline. Run it
        with `run(..., owed=True)`."""
        solver = self.solver(seconds)
        if not self.deterministic:
            solver.parameters.max_time_in_seconds = seconds
        return solver

    def run(self, solver: cp_model.CpSolver, model: cp_model.CpModel, callback: object = None,
            owed: bool = False) -> int:
        """Solve under Ctrl-C handling (wall mode: stopped at the deadline should CP-SAT overrun its own
        limit) and count the deterministic time spent."""
        status = self.interrupt.solve(solver, model, callback, math.inf if owed else self.deadline)
        self.ticks += solver.deterministic_time
        return status
