"""solve(problem) -> Result: most dagdelen placed, then lowest weekly cost, then fewest soft wishes bent.

Phases on one Budget (budget.py): the hand planner's roster (greedy.py) first, always a candidate;
the product pools' relaxation (relax.py) for the placement and a bound; or CP-SAT on the placement;
then the cost with CP-SAT's portfolio, the LP relaxation's bound (lpbound.py), our neighbourhood
search (lns.py), and the soft wishes with the cost held. The Result is rebuilt from a fresh price
of the chosen roster (price.py); its bound is the best proven one for that placement.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner import lns, relax
from planner.budget import SHARES, Budget, Interrupt
from planner.formulation import Formulation, bounds, build
from planner.lpbound import lp_bound
from planner.price import Price, price
from planner.problem import ProblemData, possible_dagdelen
from planner.roster import Roster, number_vacancies

__all__ = ["Budget", "Interrupt", "Progress", "Result", "solve"]

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
    repeatable: bool = False  # deterministic mode and not interrupted: same seed, workers -> same roster
    bound_source: str = ""  # which proven bound best_bound is: pools, cp-sat, lp, personeelsvloer
    hand_cost: float | None = None  # EUR per week of the hand planner's roster (greedy.py), None: none made
    hand_placed: int = 0
    whole_bound: float | None = None  # decomposed: a bound for the undivided instance at this placement


LARGE = 8000  # placement variables above which phase 1 starts from the greedy roster


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


def _runner(budget: Budget) -> relax.Runner:
    """Solve a side model (relax.py) with the plan's settings, on the plan's clock."""
    def run(model: cp_model.CpModel, seconds: float) -> tuple[cp_model.CpSolver, int, float]:
        solver = budget.solver(budget.seconds(seconds, 0.5))
        before = budget.spent
        status = budget.run(solver, model)
        return solver, status, budget.spent - before
    return run


def _solver(problem: ProblemData, seconds: float) -> cp_model.CpSolver:
    """A solver with the plan's settings for `seconds` (extend.py's neighbourhoods): deterministic time,
    at least half a second, in deterministic mode; wall time otherwise."""
    budget = Budget.begin(problem.settings, reserve=False)
    return budget.solver(budget.seconds(seconds, 0.5))


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


def _run(f: Formulation, phase: str, seconds: float, budget: Budget, report: Callable[[Progress], None] | None,
         scale: float, floor: float = 0.0) -> tuple[cp_model.CpSolver, int, _Watcher]:
    """CP-SAT on the formulation's model for `seconds` (at least half a second in deterministic mode)."""
    solver = budget.solver(budget.seconds(seconds, 0.5))
    watch = _Watcher(phase, budget.start, report, scale)
    watch.floor = floor
    watch.interrupt = budget.interrupt
    status = budget.run(solver, f.model, watch)
    return solver, status, watch


def solve(problem: ProblemData, report: Callable[[Progress], None] | None = None,
          budget: Budget | None = None) -> Result:
    """Lexicographic: most dagdelen placed, then lowest weekly cost, then fewest soft rules bent.

    `budget`: the clock this solve runs on (default: `time_limit_s` from now, budget.py); wall clock
    unless the settings say `deterministic`. Phases share the time limit (budget.SHARES): placement
    (up to 30 %, usually far less); cost with CP-SAT's full portfolio, for a first roster and the lower
    bound (to 60 %, at least 10 %); our large neighbourhood search on the cost (to 90 %); then the soft
    wishes with the cost held (the rest). The hand planner's roster is always a candidate: the result
    places at least as many dagdelen and, at equal placement, costs no more.
    """
    if budget is not None:
        return _solve(problem, report, budget)
    with Interrupt() as interrupt:
        return _solve(problem, report, Budget.begin(problem.settings, interrupt, reserve=False))


@dataclass
class _Best:
    """The best roster so far: its price and, when it came from CP-SAT, its variable values."""

    price: Price | None = None
    roster: Roster | None = None
    values: dict[int, int] | None = None
    source: str = ""

    def offer(self, pr: ProblemData, roster: Roster, values: dict[int, int] | None, source: str) -> None:
        p = price(pr, roster)
        if self.price is None or p.better_than(self.price):
            self.price, self.roster, self.values, self.source = p, roster, values, source


def hand_roster(problem: ProblemData, budget: Budget) -> Roster | None:
    """The hand planner's roster (greedy.py) when it is a valid candidate: not when replanning with pins,
    nor with vacancies off when it needs one, nor when the checker refuses it."""
    from planner.check import check_roster
    from planner.greedy import place_children, staff_groups

    prev = problem.previous
    if prev is not None and (prev.x_pinned or prev.a_pinned):
        return None
    # always to the end, also past the deadline or after Ctrl-C: the hand roster is the floor every
    # result must reach, and it is fast (example: 0.1 s; 1,500 children: 3.8 s, benchmarks/)
    kids, opened = place_children(problem)
    staff_rows, vacancies = staff_groups(problem, kids)
    if vacancies and not problem.settings.vacancies:
        return None
    pr = problem
    roster = Roster(tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d])
                                 for (g, d), members in kids.items() for c in members)),
                    tuple(sorted(staff_rows)), number_vacancies((lv, g, d) for _, lv, g, d in vacancies),
                    tuple(sorted(pr.groups[g].id for g in opened)))
    if check_roster(pr.model, pr.data, roster, pr.settings.vacancies):
        return None
    return roster


def _solve(problem: ProblemData, report: Callable[[Progress], None] | None, budget: Budget) -> Result:
    interrupt = budget.interrupt
    start = budget.start
    ok = (cp_model.OPTIMAL, cp_model.FEASIBLE)
    best = _Best()
    first: float | None = None
    hand = hand_roster(problem, budget)
    if hand is not None:
        best.offer(problem, hand, None, "handplanner")
        first = time.perf_counter() - start
    hand_price = best.price
    if budget.expired() and best.roster is not None:  # no time left: the hand planner's roster
        return _result(problem, best, budget, None, 0.0, "", _placement_cap(problem), "FEASIBLE", first, hand_price)

    f = build(problem)
    m = f.model
    prev = problem.previous
    pooled = None
    if prev is None and problem.settings.vacancies and problem.settings.workers >= 2 and not budget.expired():
        # vacancies on: staff never limit the placement, so the pools' relaxation (relax.py) gives
        # the most dagdelen placed (proven per pool), a placement, and a lower bound on the cost.
        # Not with one CP-SAT worker (clusters side by side, decompose.py): proving each pool's
        # maximum then takes longer than the whole cluster's placement phase (L: 5.7 s per pool)
        pooled = relax.solve_pools(problem, None, budget.share("pools"), _runner(budget), budget.floor)
    pool_roster = None
    if pooled is not None:
        # the pools' placement staffed by name; when that fails in time, phase 1 below after all
        m.Minimize(f.cost())
        placement = _placement(f, pooled.x_on)
        pool_roster = _restaff(f, placement, budget.share("restaff"), budget, force=interrupt.hit)
        if pool_roster is None and not budget.expired():  # a second, longer try
            pool_roster = _restaff(f, placement, max(1.0, budget.share("restaff_retry")), budget)
    if pool_roster is not None and pooled is not None:
        status1 = cp_model.OPTIMAL
        best_placed = placed_bound = len(pooled.x_on)
        first = first or time.perf_counter() - start
        if report:  # the first full roster and the pools' bound
            report(Progress("kosten", first, pool_roster[1] / 100, pooled.bound / 100))
    elif budget.expired():  # Ctrl-C or no time before any placement: the hand planner's, staffed below
        from planner.greedy import place_children

        status1 = cp_model.FEASIBLE
        kids = place_children(problem)[0]
        on = frozenset((c, g, d) for (g, d), members in kids.items() for c in members)
        best_placed = len(on)
        placed_bound = _placement_cap(problem)
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
        s1, status1, w1 = _run(f, "plaatsing", budget.share("placement"), budget, report, weight)
        if large or prev is not None:
            m.ClearHints()
        upper = s1.BestObjectiveBound() if status1 in ok else None
        if status1 != cp_model.OPTIMAL and not budget.expired():
            # not proven maximal (or no roster at all) in time, typical for one CP-SAT worker: try
            # again from the hand-planner roster and keep the better of the two
            _hint_greedy(f)
            s1b, status1b, w1b = _run(f, "plaatsing", max(1.0, budget.share("placement_retry")), budget, report,
                                      weight)
            m.ClearHints()
            if status1b in ok and (status1 not in ok or s1b.ObjectiveValue() > s1.ObjectiveValue()):
                s1, status1, w1 = s1b, status1b, w1b
            if status1b in ok:
                upper = s1b.BestObjectiveBound() if upper is None else min(upper, s1b.BestObjectiveBound())
        if status1 not in ok:
            if best.roster is not None:  # no placement from CP-SAT in time: the hand planner's roster
                return _result(problem, best, budget, None, 0.0, "", _placement_cap(problem), "FEASIBLE", first,
                               hand_price)
            name = STATUS.get(status1, "UNKNOWN")
            return Result(name, name, 0.0, 0.0, 0.0, time.perf_counter() - start, w1.first, Roster((), (), (), ()),
                          interrupted=interrupt.hit)
        placement = _values(f, s1)
        best_placed = sum(placement[var.Index()] for var in f.x.values())
        placed_bound = int(upper if upper is not None else s1.BestObjectiveBound()) // weight
        if placed_bound > best_placed and not budget.expired():
            # still not proven: our neighbourhood search on the placement (as a minimisation)
            m.Minimize(-(weight * f.placed() + second))
            start_obj = -int(round(s1.ObjectiveValue()))
            placement, _, _ = lns.improve(f, placement, start_obj, budget.seconds(budget.share("placement_lns"), 0.5),
                                          budget)
            best_placed = sum(placement[var.Index()] for var in f.x.values())
        # the placement status speaks of placed dagdelen only: proven when the bound allows no more
        status1 = cp_model.OPTIMAL if placed_bound <= best_placed else cp_model.FEASIBLE
        first = first or w1.first

    bounds.hold_placement(f, best_placed)
    cost = f.cost()
    m.Minimize(cost)
    bound, source = 0.0, ""
    # a first full roster: the placement staffed greedily, then priced and repaired by CP-SAT
    start_roster = pool_roster
    if start_roster is None and (interrupt.hit or not budget.expired()):
        start_roster = _restaff(f, placement, budget.share("restaff"), budget, force=interrupt.hit)
    candidates = [start_roster] if start_roster else []
    if first is None and start_roster is not None:
        first = time.perf_counter() - start
    if pooled is None and prev is None and not problem.settings.vacancies and not budget.expired():
        # vacancies off: the pools' relaxation can still bound the cost of this placement
        pooled = relax.solve_pools(problem, best_placed, budget.share("pools"), _runner(budget), budget.floor)
    if candidates:
        _hint_values(f, min(candidates, key=lambda vb: vb[1])[0])
    # CP-SAT from the best roster so far: with that roster as an upper bound its LP fixes more by
    # reduced costs, and the lower bound rises (example: 12,312 unhinted -> 12,560)
    status2 = cp_model.UNKNOWN
    if not budget.expired():
        s2, status2, _ = _run(f, "kosten", max(budget.until(SHARES["cost"]), budget.share("cost_min")), budget,
                              report, 100, floor=pooled.bound / 100 if pooled is not None else 0.0)
        if status2 in (*ok, cp_model.UNKNOWN) and s2.BestObjectiveBound() > 0:
            bound, source = s2.BestObjectiveBound() / 100, "cp-sat"
        if status2 in ok:
            candidates.append((_values(f, s2), int(round(s2.ObjectiveValue()))))
    m.ClearHints()
    if pooled is not None and pooled.bound / 100 > bound:
        bound, source = pooled.bound / 100, "pools"
    if not candidates and len(placement) > len(f.x):  # keep phase 1's roster, priced
        candidates.append((placement, sum(coef * _evaluate(expr, placement) for _, coef, expr in f.cost_terms)))
    status = status1
    if candidates:
        values, objective = min(candidates, key=lambda vb: vb[1])
        if status2 != cp_model.OPTIMAL and objective > bound * 100 and not budget.expired():
            def better(value: float) -> None:
                if report:
                    report(Progress("verbeteren", time.perf_counter() - start, value, bound))

            values, objective, _ = lns.improve(f, values, objective, budget.until(SHARES["improve"]), budget, better)
        status = cp_model.OPTIMAL if objective <= int(round(bound * 100)) else cp_model.FEASIBLE
        m.ClearHints()
        _hint_values(f, values)
        m.Add(cost <= objective)
        m.Minimize(sum(coef * expr for _, coef, expr in f.soft_terms))
        if not budget.expired():
            s3, status3, _ = _run(f, "wensen", budget.until(SHARES["wishes"]), budget, report, 100)
            if status3 in ok:
                values = _values(f, s3)
        best.offer(problem, _extract(f, values), values, "cp-sat")
    if best.roster is None:  # the pools' placement could not be staffed in time, and no hand roster
        return Result("UNKNOWN", STATUS.get(status1, "UNKNOWN"), 0.0, 0.0, 0.0, time.perf_counter() - start,
                      first, Roster((), (), (), ()), placed=best_placed, placed_bound=placed_bound,
                      interrupted=interrupt.hit)
    combined = STATUS.get(status, "UNKNOWN")
    if status1 != cp_model.OPTIMAL and combined == "OPTIMAL":
        combined = "FEASIBLE"  # cost is optimal for a placement that is not proven maximal
    if best.source != "cp-sat":
        combined = "FEASIBLE"
    return _result(problem, best, budget, f, bound, source, placed_bound, STATUS.get(status1, "UNKNOWN"),
                   first, hand_price, combined)


def _placement_cap(pr: ProblemData) -> int:
    """Dagdelen no roster can exceed: each child's own maximum (problem.possible_dagdelen), summed."""
    return sum(min(ch.dagdelen_per_week, possible_dagdelen(pr, c)) for c, ch in enumerate(pr.children))


def _result(problem: ProblemData, best: _Best, budget: Budget, f: Formulation | None, bound: float, source: str,
            placed_bound: int, placement_status: str, first: float | None, hand: Price | None,
            status: str = "FEASIBLE") -> Result:
    """The Result of the best roster, rebuilt from its fresh price, with the best proven bound for its
    placement: CP-SAT's, the pools', the LP relaxation's (when time is left) or the staff floor's."""
    assert best.price is not None and best.roster is not None
    p = best.price
    if f is not None and p.cost > bound * 100 and not budget.interrupt.hit:
        seconds = budget.seconds(budget.share("lp"), 0.5) if budget.deterministic else \
            min(budget.share("lp"), max(0.0, budget.wall_left()))
        lp = lp_bound(f.model.Proto(), seconds, budget.deterministic)
        if lp is not None and lp / 100 > bound:
            bound, source = lp / 100, "lp"
    floor = bounds.staff_floor(problem, p.placed) / 100
    if floor > bound:
        bound, source = floor, "personeelsvloer"
    bound = min(bound, p.cost / 100)  # a bound above the cost would be a bug elsewhere; never report one
    objective = p.cost / 100
    gap = (objective - bound) / max(abs(objective), 1e-9) if objective else 0.0
    if status == "FEASIBLE" and objective and gap <= 0 and placement_status == "OPTIMAL":
        status = "OPTIMAL"
    return Result(
        status=status, placement_status=placement_status if p.placed <= placed_bound else "FEASIBLE",
        objective=objective, best_bound=bound, gap=gap, solve_seconds=time.perf_counter() - budget.start,
        first_solution_seconds=first, roster=best.roster, terms=p.terms, placed=p.placed,
        placed_bound=max(placed_bound, p.placed), interrupted=budget.interrupt.hit,
        repeatable=budget.deterministic and not budget.interrupt.hit, bound_source=source,
        hand_cost=None if hand is None else hand.cost / 100, hand_placed=0 if hand is None else hand.placed,
    )


def _restaff(f: Formulation, placed: dict[int, int], dtime: float, budget: Budget,
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
    if force:  # after Ctrl-C: a roster is still owed, within a few seconds
        solver = budget.solver(budget.seconds(dtime, 0.5))
        solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds or 3.0, 3.0)
        status = solver.Solve(sub)
        budget.ticks += solver.deterministic_time
    else:
        solver = budget.solver(budget.seconds(dtime, 0.5))
        status = budget.run(solver, sub)
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


def settle(problem: ProblemData, result: Result, hand: Roster | None, budget: Budget | None) -> Result:
    """The end of a decomposed solve (decompose.py): the result rebuilt from a fresh price, or the hand
    planner's roster of the whole instance when that places more or costs less at equal placement;
    `whole_bound` is a bound for the undivided instance at the result's placement (the staff floor,
    bounds.staff_floor), next to the clusters' bound, which holds for the divided problem only."""
    best = _Best()
    best.offer(problem, result.roster, None, "clusters")
    if hand is not None:
        best.offer(problem, hand, None, "handplanner")
    assert best.price is not None and best.roster is not None
    p = best.price
    whole = bounds.staff_floor(problem, p.placed) / 100
    objective = p.cost / 100
    bound, source = result.best_bound, "clusters"
    if best.source != "clusters" or whole > bound:
        bound, source = whole, "personeelsvloer"
    bound = min(bound, objective)
    gap = (objective - bound) / max(abs(objective), 1e-9) if objective else 0.0
    hand_price = price(problem, hand) if hand is not None else None
    return replace(
        result, roster=best.roster, objective=objective, terms=p.terms, placed=p.placed, best_bound=bound,
        gap=gap, bound_source=source, whole_bound=min(whole, objective),
        status=result.status if best.source == "clusters" else "FEASIBLE",
        placed_bound=max(result.placed_bound, p.placed),
        repeatable=budget is not None and budget.deterministic and not result.interrupted,
        hand_cost=None if hand_price is None else hand_price.cost / 100,
        hand_placed=0 if hand_price is None else hand_price.placed,
    )
