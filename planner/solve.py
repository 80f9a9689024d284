"""solve(problem) -> Result: two CP-SAT phases, most dagdelen placed, then lowest cost.

Phase 1 maximises placed dagdelen. Phase 2 keeps that number and minimises the weekly cost
plus the weighted soft wishes, starting from phase 1's roster. The gap reported is phase 2's.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner import lns, relax
from planner.formulation import Formulation, bounds, build
from planner.problem import ProblemData
from planner.roster import Roster, number_vacancies

STATUS = {
    cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN",
}


@dataclass(frozen=True)
class Progress:
    phase: str
    seconds: float
    objective: float
    bound: float


@dataclass(frozen=True)
class Result:
    status: str
    placement_status: str
    objective: float  # EUR per week: the cost phase's objective (cost only)
    best_bound: float
    gap: float
    solve_seconds: float
    first_solution_seconds: float | None
    roster: Roster
    terms: dict[str, float] = field(default_factory=dict)  # EUR per week by rule name
    placed: int = 0
    placed_bound: int = 0
    interrupted: bool = False  # Ctrl-C: the best roster found until then
    clusters: int = 0  # solved by location cluster (decompose.py): how many; 0 = one model
    filled: int = 0  # vacancies filled with free own staff after the solve (repair.py)


LARGE = 8000  # placement variables above which phase 1 starts from the greedy roster
PORTFOLIO = 0.6  # the cost phase's CP-SAT portfolio runs until this share of the time limit
POOLS = 0.4  # at most this share of the time limit for the pools' relaxation (relax.py)


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, phase: str, start: float, report: Callable[[Progress], None] | None, scale: float):
        super().__init__()
        self.phase, self.start, self.report, self.scale = phase, start, report, scale
        self.first: float | None = None
        self.interrupt: Interrupt | None = None
        self.floor = 0.0  # a bound already proven elsewhere (the pools'): never report less

    def on_solution_callback(self) -> None:
        if self.interrupt is not None and self.interrupt.hit:
            self.StopSearch()
            return
        now = time.perf_counter() - self.start
        if self.first is None:
            self.first = now
        if self.report:
            self.report(Progress(self.phase, now, self.ObjectiveValue() / self.scale,
                                 max(self.floor, self.BestObjectiveBound() / self.scale)))


def _runner(problem: ProblemData, clock: _Clock) -> relax.Runner:
    """Solve a side model (relax.py) with the plan's settings, on the plan's clock."""
    def run(model: cp_model.CpModel, seconds: float) -> tuple[cp_model.CpSolver, int, float]:
        solver = _solver(problem, seconds)
        before = clock.spent
        status = clock.interrupt.solve(solver, model)
        clock.add(solver)
        return solver, status, clock.spent - before
    return run


def _solver(problem: ProblemData, seconds: float) -> cp_model.CpSolver:
    s = problem.settings
    solver = cp_model.CpSolver()
    if s.deterministic:
        solver.parameters.max_deterministic_time = max(0.5, seconds)
        solver.parameters.max_time_in_seconds = max(1.0, 5 * seconds)
    else:
        solver.parameters.max_time_in_seconds = max(0.5, seconds)
    solver.parameters.num_workers = s.workers
    solver.parameters.random_seed = s.seed
    # interleaved search makes parallel workers deterministic (same seed, same roster), at a price:
    # an M pool's maximum is proven in 3.5 s instead of 1.2; with wall-clock limits runs differ anyway
    solver.parameters.interleave_search = s.workers > 1 and s.deterministic
    solver.parameters.log_search_progress = s.log
    solver.parameters.catch_sigint_signal = False  # our Interrupt stops the search and keeps the roster
    return solver


def _extract(f: Formulation, values: dict[int, int]) -> Roster:
    pr = f.problem

    def on(var: cp_model.IntVar) -> int:
        return values[var.Index()]

    children = tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d])
                            for (c, g, d), var in f.x.items() if on(var)))
    staff = tuple(sorted((pr.staff[s].id, pr.groups[g].id, pr.week[d])
                         for (s, g, d), var in f.a.items() if on(var)))
    in_order = sorted(f.v.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]))  # dagdeel, group, level
    vacancies = number_vacancies((lv, pr.groups[g].id, pr.week[d]) for (g, d, lv), var in in_order
                                 for _ in range(on(var)))
    opened = tuple(sorted(pr.groups[g].id for g, var in f.opened.items() if on(var)))
    return Roster(children, staff, vacancies, opened)


def _terms(f: Formulation, values: dict[int, int]) -> dict[str, float]:
    """Objective terms in EUR per week by rule name, evaluated on the roster's values."""
    totals: dict[str, float] = {}
    for name, coef, expr in (*f.cost_terms, *f.soft_terms):
        totals[name] = totals.get(name, 0.0) + coef * _evaluate(expr, values) / 100
    return totals


def _evaluate(expr: cp_model.LinearExprT, values: dict[int, int]) -> int:
    if isinstance(expr, int):
        return expr
    if hasattr(expr, "Index") and expr.Index() in values:
        return values[expr.Index()]
    raise KeyError(expr)


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

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel, callback: object = None) -> int:
        """Solve; after Ctrl-C return at once (a zero-time solve, so the response exists).

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
            with ThreadPoolExecutor(max_workers=1, initializer=_block_sigint) as pool:
                job = pool.submit(solver.Solve, *args)
                while True:
                    try:
                        return job.result(timeout=0.2)
                    except FutureTimeout:
                        continue
        finally:
            self.running = None


def _block_sigint() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


class _Clock:
    """Time spent so far: CP-SAT deterministic time when the run must be repeatable, else wall time."""

    def __init__(self, deterministic: bool, interrupt: Interrupt):
        self.deterministic = deterministic
        self.interrupt = interrupt
        self.start = time.perf_counter()
        self.ticks = 0.0

    def add(self, solver: cp_model.CpSolver) -> None:
        self.ticks += solver.deterministic_time

    @property
    def spent(self) -> float:
        return self.ticks if self.deterministic else time.perf_counter() - self.start


def _run(f: Formulation, phase: str, seconds: float, clock: _Clock, report: Callable[[Progress], None] | None,
         scale: float, floor: float = 0.0) -> tuple[cp_model.CpSolver, int, _Watcher]:
    solver = _solver(f.problem, seconds)
    watch = _Watcher(phase, clock.start, report, scale)
    watch.floor = floor
    watch.interrupt = clock.interrupt
    status = clock.interrupt.solve(solver, f.model, watch)
    clock.add(solver)
    return solver, status, watch


def solve(problem: ProblemData, report: Callable[[Progress], None] | None = None) -> Result:
    """Lexicographic: most dagdelen placed, then lowest weekly cost, then fewest soft rules bent.

    Phases share the time limit: placement (up to 30%, usually far less); cost with CP-SAT's full portfolio, for a
    first roster and the lower bound (to 40%, at least 15%); our large neighbourhood search on the cost (to
    90%); then the soft wishes with the cost held (the rest).
    """
    with Interrupt() as interrupt:
        return _solve(problem, report, interrupt)


def _solve(problem: ProblemData, report: Callable[[Progress], None] | None, interrupt: Interrupt) -> Result:
    clock = _Clock(problem.settings.deterministic, interrupt)
    start = clock.start
    limit = problem.settings.time_limit_s
    ok = (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def until(share: float) -> float:
        return limit * share - clock.spent

    f = build(problem)
    m = f.model
    prev = problem.previous
    pooled = None
    first: float | None = None
    if prev is None and problem.settings.vacancies and problem.settings.workers >= 2 and not interrupt.hit:
        # vacancies on: staff never limit the placement, so the pools' relaxation (relax.py) gives
        # the most dagdelen placed (proven per pool), a placement, and a lower bound on the cost.
        # Not with one CP-SAT worker (clusters side by side, decompose.py): proving each pool's
        # maximum then takes longer than the whole cluster's placement phase (L: 5.7 s per pool)
        pooled = relax.solve_pools(problem, None, limit * POOLS, _runner(problem, clock))
    pool_roster = None
    if pooled is not None:
        # the pools' placement staffed by name; when that fails in time, phase 1 below after all
        m.Minimize(f.cost())
        placement = _placement(f, pooled.x_on)
        pool_roster = _restaff(f, placement, max(0.5, limit * 0.05), clock, force=interrupt.hit)
        if pool_roster is None and not interrupt.hit:
            pool_roster = _restaff(f, placement, max(1.0, limit * 0.1), clock)  # a second, longer try
    if pool_roster is not None and pooled is not None:
        status1 = cp_model.OPTIMAL
        best_placed = placed_bound = len(pooled.x_on)
        first = time.perf_counter() - start
        if report:  # the first full roster and the pools' bound
            report(Progress("kosten", first, pool_roster[1] / 100, pooled.bound / 100))
    elif interrupt.hit:  # Ctrl-C before any placement: the hand planner's, staffed below
        from planner.greedy import place_children

        status1 = cp_model.FEASIBLE
        on = frozenset((c, g, d) for (g, d), members in place_children(problem)[0].items() for c in members)
        best_placed = placed_bound = len(on)
        placement = _placement(f, on)
    else:
        # replanning: among rosters with the most dagdelen placed, prefer those keeping the previous one
        # (a second term worth less than one dagdeel)
        weight = len(prev.x_on) + 1 if prev is not None else 1
        second = sum(f.x[k] for k in sorted(prev.x_on) if k in f.x) if prev is not None else 0
        m.Maximize(weight * f.placed() + second)
        large = len(f.x) > LARGE
        if prev is not None:  # replanning: start from last week's roster
            _hint_previous(f)
        elif large:  # big instances: start from the hand-planner roster and improve on it
            _hint_greedy(f)
        s1, status1, w1 = _run(f, "plaatsing", limit * 0.3, clock, report, weight)
        if large or prev is not None:
            m.ClearHints()
        upper = s1.BestObjectiveBound() if status1 in ok else None
        if status1 != cp_model.OPTIMAL and not interrupt.hit:
            # not proven maximal (or no roster at all) in time, typical for one CP-SAT worker: try
            # again from the hand-planner roster and keep the better of the two
            _hint_greedy(f)
            s1b, status1b, w1b = _run(f, "plaatsing", max(1.0, limit * 0.1), clock, report, weight)
            m.ClearHints()
            if status1b in ok and (status1 not in ok or s1b.ObjectiveValue() > s1.ObjectiveValue()):
                s1, status1, w1 = s1b, status1b, w1b
            if status1b in ok:
                upper = s1b.BestObjectiveBound() if upper is None else min(upper, s1b.BestObjectiveBound())
        if status1 not in ok:
            name = STATUS.get(status1, "UNKNOWN")
            return Result(name, name, 0.0, 0.0, 0.0, time.perf_counter() - start, w1.first, Roster((), (), (), ()))
        placement = _values(f, s1)
        best_placed = sum(placement[var.Index()] for var in f.x.values())
        placed_bound = int(upper if upper is not None else s1.BestObjectiveBound()) // weight
        if placed_bound > best_placed and not interrupt.hit:
            # still not proven: our neighbourhood search on the placement (as a minimisation)
            m.Minimize(-(weight * f.placed() + second))
            start_obj = -int(round(s1.ObjectiveValue()))
            placement, _, spent = lns.improve(f, placement, start_obj, max(0.5, limit * 0.1),
                                              problem.settings.deterministic, problem.settings.seed,
                                              problem.settings.workers, interrupt=interrupt)
            clock.ticks += spent
            best_placed = sum(placement[var.Index()] for var in f.x.values())
        # the placement status speaks of placed dagdelen only: proven when the bound allows no more
        status1 = cp_model.OPTIMAL if placed_bound <= best_placed else cp_model.FEASIBLE
        first = w1.first

    bounds.hold_placement(f, best_placed)
    cost = f.cost()
    m.Minimize(cost)
    seed = problem.settings.seed
    objective = bound = 0.0
    status = status1
    # a first full roster: the placement staffed greedily, then priced and repaired by CP-SAT
    start_roster = pool_roster or _restaff(f, placement, max(0.5, limit * 0.05), clock, force=interrupt.hit)
    candidates = [start_roster] if start_roster else []
    if first is None and start_roster is not None:
        first = time.perf_counter() - start
    if pooled is None and prev is None and not problem.settings.vacancies and not interrupt.hit:
        # vacancies off: the pools' relaxation can still bound the cost of this placement
        pooled = relax.solve_pools(problem, best_placed, limit * POOLS, _runner(problem, clock))
    if candidates:
        _hint_values(f, min(candidates, key=lambda vb: vb[1])[0])
    # CP-SAT from the best roster so far: with that roster as an upper bound its LP fixes more by
    # reduced costs, and the lower bound rises (example: 12,312 unhinted -> 12,560)
    s2, status2, _ = _run(f, "kosten", max(until(PORTFOLIO), limit * 0.1), clock, report, 100,
                          floor=pooled.bound / 100 if pooled is not None else 0.0)
    m.ClearHints()
    bound = max(0.0, s2.BestObjectiveBound() / 100) if status2 in (*ok, cp_model.UNKNOWN) else 0.0
    if pooled is not None:
        bound = max(bound, pooled.bound / 100)
    if status2 in ok:
        candidates.append((_values(f, s2), int(round(s2.ObjectiveValue()))))
    if not candidates and len(placement) > len(f.x):  # keep phase 1's roster, priced
        candidates.append((placement, sum(coef * _evaluate(expr, placement) for _, coef, expr in f.cost_terms)))
    if not candidates:  # the pools' placement could not be staffed in time
        return Result("UNKNOWN", STATUS.get(status1, "UNKNOWN"), 0.0, 0.0, 0.0, time.perf_counter() - start,
                      first, Roster((), (), (), ()), placed=best_placed, placed_bound=placed_bound,
                      interrupted=interrupt.hit)
    values, best = min(candidates, key=lambda vb: vb[1])
    if status2 != cp_model.OPTIMAL:
        def better(value: float) -> None:
            if report:
                report(Progress("verbeteren", time.perf_counter() - start, value, bound))

        values, best, spent = lns.improve(f, values, best, until(0.9), problem.settings.deterministic,
                                          seed, problem.settings.workers, better, interrupt=interrupt)
        clock.ticks += spent
    status = cp_model.OPTIMAL if best <= int(round(bound * 100)) else cp_model.FEASIBLE
    objective, final = best / 100, values
    m.ClearHints()
    _hint_values(f, values)
    m.Add(cost <= best)
    m.Minimize(sum(coef * expr for _, coef, expr in f.soft_terms))
    s3, status3, _ = _run(f, "wensen", until(1.0), clock, report, 100)
    if status3 in ok:
        final = _values(f, s3)
    gap = abs(objective - bound) / max(abs(objective), 1e-9) if objective else 0.0
    combined = STATUS.get(status, "UNKNOWN")
    if status1 != cp_model.OPTIMAL and combined == "OPTIMAL":
        combined = "FEASIBLE"  # cost is optimal for a placement that is not proven maximal
    values = final
    return Result(
        status=combined, placement_status=STATUS.get(status1, "UNKNOWN"), objective=objective,
        best_bound=bound, gap=gap, solve_seconds=time.perf_counter() - start,
        first_solution_seconds=first, roster=_extract(f, values), terms=_terms(f, values),
        placed=best_placed, placed_bound=placed_bound, interrupted=interrupt.hit,
    )


def _restaff(f: Formulation, placed: dict[int, int], dtime: float, clock: _Clock,
             force: bool = False) -> tuple[dict[int, int], int] | None:
    """Keep phase 1's children where they are; staff them greedily, then let CP-SAT find the
    cheapest staffing from there. None when that fails (e.g. vacancies off and staff short)."""
    from planner.greedy import staff_by_index

    pr = f.problem
    kids: dict[tuple[int, int], list[int]] = {}
    for (c, g, d), var in f.x.items():
        if placed[var.Index()]:
            kids.setdefault((g, d), []).append(c)
    if pr.previous is not None:  # replanning: last week's staff where they still fit, CP-SAT repairs the rest
        on: set[tuple[int, int, int]] = set(pr.previous.a_on)
        vac: dict[tuple[int, int, str], int] = {}
    else:
        on, vac = staff_by_index(pr, kids)
    sub = f.model.Clone()
    sub.ClearHints()
    for var in f.x.values():
        sub.Add(sub.GetBoolVarFromProtoIndex(var.Index()) == placed[var.Index()])
    for staff_key, var in f.a.items():
        sub.AddHint(sub.GetBoolVarFromProtoIndex(var.Index()), int(staff_key in on))
    for vac_key, var in f.v.items():
        sub.AddHint(sub.GetIntVarFromProtoIndex(var.Index()), vac.get(vac_key, 0))
    solver = _solver(pr, dtime)
    if force:  # after Ctrl-C: a roster is still owed, within a few seconds
        solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds, 3.0)
        status = solver.Solve(sub)
    else:
        status = clock.interrupt.solve(solver, sub)
    clock.add(solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = {v.Index(): solver.Value(sub.GetIntVarFromProtoIndex(v.Index())) for v in lns.decision_vars(f)}
    return values, int(round(solver.ObjectiveValue()))


def _hint_greedy(f: Formulation) -> None:
    """Hint every main variable with the greedy roster (placement, staff, vacancies, derived)."""
    from planner.greedy import place_children, staff_by_index

    pr = f.problem
    kids, opened = place_children(pr)
    a_on, vac = staff_by_index(pr, kids)
    x_on = {(c, g, d) for (g, d), members in kids.items() for c in members}
    count: dict[tuple[int, int, str], int] = dict(vac)
    for s_, g, d in a_on:
        key = (g, d, pr.staff[s_].education)
        count[key] = count.get(key, 0) + 1
    runs = {(g, d, pr.product(c)) for c, g, d in x_on}
    attend: set[tuple[int, str, int]] = {(c, pr.day_of(d), pr.group_location[g]) for c, g, d in x_on}
    tables: list[tuple[dict, set]] = [(f.x, x_on), (f.a, a_on), (f.p, runs), (f.attend, attend)]
    for table, on in tables:
        for key, var in table.items():
            f.model.AddHint(var, int(key in on))
    for key, var in f.v.items():
        f.model.AddHint(var, vac.get(key, 0))
    for key, var in f.n.items():
        f.model.AddHint(var, count.get(key, 0))
    for g, var in f.opened.items():
        f.model.AddHint(var, int(g in opened))


def _hint_previous(f: Formulation) -> None:
    """Hint placement and staff with the previous roster (what of it is still allowed)."""
    prev = f.problem.previous
    assert prev is not None
    for table, on in ((f.x, prev.x_on), (f.a, prev.a_on)):
        for key, var in table.items():
            f.model.AddHint(var, int(key in on))


def _values(f: Formulation, solver: cp_model.CpSolver) -> dict[int, int]:
    return {v.Index(): solver.Value(v) for v in lns.decision_vars(f)}


def _hint_values(f: Formulation, values: dict[int, int]) -> None:
    for var in lns.decision_vars(f):
        f.model.AddHint(var, values[var.Index()])


def _placement(f: Formulation, on: frozenset[tuple[int, int, int]]) -> dict[int, int]:
    """Placement values (by variable index) of the children's assignments `on`."""
    return {var.Index(): int(key in on) for key, var in f.x.items()}
