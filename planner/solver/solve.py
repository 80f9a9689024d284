"""solve(problem) -> Result: most dagdelen placed, then lowest weekly cost, then fewest soft wishes bent.

The solve is a pipeline of named phases (planner/solver/phases/): the hand planner's roster, the product
pools, the placement, the cost, our neighbourhood search, the soft wishes, the vacancy repair; all
on one Budget (budget.py). The Result is built once, at the end, from a fresh price of the best
roster (price.py), with the best bound proven for its placement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.core.gap import relative_gap
from planner.core.result import Result
from planner.core.roster import Roster
from planner.solver.budget import Budget, Interrupt
from planner.solver.formulation import bounds
from planner.solver.lpbound import lp_bound
from planner.solver.phases import Best, Phase, Progress, State
from planner.solver.phases.cost import Cost
from planner.solver.phases.hand import HandPlanner, previous_roster
from planner.solver.phases.hand import hand_roster as hand_planner_roster
from planner.solver.phases.improve import Improve, Wishes
from planner.solver.phases.placement import Placement, placement_cap
from planner.solver.phases.pools import PoolsPhase
from planner.solver.phases.repair import Repair
from planner.solver.price import price
from planner.solver.problem import ProblemData
from planner.solver.replan import PreviousIndex
from planner.solver.request import SolveRequest

__all__ = ["Budget", "Interrupt", "Progress", "Result", "SolveRequest", "cpsat_solver", "hand_roster", "pipeline",
           "settle", "solve", "solve_job"]


def pipeline() -> list[Phase]:
    """The phases of a solve on one model, in order (phases/)."""
    return [HandPlanner(), PoolsPhase(), Placement(), Cost(), Improve(), Wishes(), Repair()]


def solve(problem: ProblemData, report: Callable[[Progress], None] | None = None,
          budget: Budget | None = None, *, request: SolveRequest | None = None,
          previous: PreviousIndex | None = None) -> Result:
    """Lexicographic: most dagdelen placed, then lowest weekly cost, then fewest soft rules bent.

    `budget`: the clock this solve runs on (default: the `request`'s time limit from now, budget.py);
    wall clock unless the request says `deterministic`. `previous`: the replanning input (pins, hints,
    change penalties; replan.py), None for a plan from scratch. The phases (pipeline(), in this order)
    share the time limit by budget.SHARES, as a point of the span counted from the start ("until") or a
    duration ("for"); the span is the limit in deterministic mode and the time to the deadline on a wall
    clock (Budget.span): the hand planner's roster (no limit: always to the end); the pools, on large
    instances in wall-clock mode only (`pools`: for at most 40 %); placement (`placement`: for at most
    30 %, usually far less; replanning tries again for `placement_retry`: for at most 10 %); cost with
    CP-SAT's full portfolio, for a first roster and the lower bound (`cost`: until 60 %, `cost_min`: at
    least 10 %), the LP bound (`lp`: for at most 10 %); our large neighbourhood search on the cost
    (`improve`: until 90 %); the soft wishes with the cost held (`wishes`: until 100 %); then the repair
    of vacancies. The hand planner's roster is always a candidate: the result places at least as many
    dagdelen and, at equal placement, costs no more.
    """
    if budget is not None:
        return _solve(problem, report, budget, previous)
    with Interrupt() as interrupt:
        clock = Budget.begin(request or SolveRequest(), interrupt, reserve=False)
        return _solve(problem, report, clock, previous)


def solve_job(job: tuple[ProblemData, SolveRequest, PreviousIndex | None]) -> Result:
    """solve() of one (problem, request, previous) triple: what a process pool maps (decompose.py)."""
    problem, request, previous = job
    return solve(problem, request=request, previous=previous)


def _solve(problem: ProblemData, report: Callable[[Progress], None] | None, budget: Budget,
           previous: PreviousIndex | None) -> Result:
    state = State(problem, report, previous=previous)
    for phase in pipeline():
        if state.stop:
            break
        if phase.applies(state, budget):
            phase.run(state, budget)
    return _result(state, budget)


def hand_roster(problem: ProblemData, budget: Budget | None = None,
                previous: PreviousIndex | None = None) -> Roster | None:
    """The hand planner's roster when it is a valid candidate (phases/hand.py); `budget` is not needed:
    it always runs to the end. None when replanning with pins (`previous`)."""
    return hand_planner_roster(problem, previous)


def cpsat_solver(request: SolveRequest, seconds: float) -> cp_model.CpSolver:
    """A solver with the request's seed and workers for `seconds` (extend.py's neighbourhoods):
    deterministic time, at least half a second, in deterministic mode; wall time otherwise."""
    budget = Budget.begin(request, reserve=False)
    return budget.solver(budget.seconds(seconds, 0.5))


def _result(state: State, budget: Budget) -> Result:
    """The Result of the best roster, rebuilt from its fresh price, with the best proven bound for its
    placement: CP-SAT's, the pools', the LP relaxation's (when time is left) or the cost floor's (staff and
    transport, bounds.cost_floor)."""
    problem, best = state.problem, state.best
    interrupted = budget.interrupt.hit
    if best.roster is None or best.price is None:  # no roster at all (the pools' placement unstaffed in time)
        name = state.failure or "UNKNOWN"
        return Result(name, "UNKNOWN" if state.failure is None else name, 0.0, 0.0, 0.0, budget.elapsed,
                      state.failure_first if state.failure else state.first, Roster((), (), (), ()),
                      placed=state.placed, placed_bound=state.placed_bound, interrupted=interrupted)
    p = best.price
    bound, source = state.bound, state.source
    if state.built is not None and state.cost_model and p.cost > bound * 100 and not interrupted:
        seconds = budget.seconds(budget.share("lp"), 0.5) if budget.deterministic else \
            min(budget.share("lp"), max(0.0, budget.wall_left()))
        lp = lp_bound(state.built.model.Proto(), seconds, budget.deterministic)
        if lp is not None and lp / 100 > bound:
            bound, source = lp / 100, "lp"
    floor = bounds.cost_floor(problem, p.placed) / 100
    if floor > bound:
        bound, source = floor, "kostenvloer"
    bound = min(bound, p.cost / 100)  # a bound above the cost would be a bug elsewhere; never report one
    objective = p.cost / 100
    gap = relative_gap(objective, bound)
    placed_bound = max(state.placed_bound, p.placed) if state.placed_bound else placement_cap(problem)
    placement_proven = state.placement_proven and p.placed >= placed_bound
    status = "OPTIMAL" if placement_proven and objective <= bound else "FEASIBLE"
    return Result(
        status=status, placement_status="OPTIMAL" if placement_proven else "FEASIBLE",
        objective=objective, best_bound=bound, gap=gap, solve_seconds=budget.elapsed,
        first_solution_seconds=state.first, roster=best.roster, terms=p.terms, placed=p.placed,
        placed_bound=placed_bound, interrupted=interrupted, filled=state.filled,
        repeatable=budget.deterministic and not interrupted, bound_source=source,
        hand_cost=None if state.hand is None else state.hand.cost / 100,
        hand_placed=0 if state.hand is None else state.hand.placed,
    )


def settle(problem: ProblemData, result: Result, hand: Roster | None, budget: Budget,
           previous: PreviousIndex | None = None) -> Result:
    """The end of a decomposed solve (decompose.py): the result rebuilt from a fresh price, or the hand
    planner's roster of the whole instance when that places more or costs less at equal placement;
    `whole_bound` is a bound for the undivided instance at the result's placement (the cost floor,
    bounds.cost_floor), next to the clusters' bound, which holds for the divided problem only."""
    best = Best()
    best.offer(problem, result.roster, None, "clusters", previous)
    if hand is not None:
        best.offer(problem, hand, None, "handplanner", previous)
    kept = previous_roster(problem, previous)
    if kept is not None:
        best.offer(problem, kept, None, "vorig rooster", previous)
    assert best.price is not None and best.roster is not None
    p = best.price
    whole = bounds.cost_floor(problem, p.placed) / 100
    objective = p.cost / 100
    bound, source = result.best_bound, "clusters"
    if best.source != "clusters" or whole > bound:
        bound, source = whole, "kostenvloer"
    bound = min(bound, objective)
    gap = relative_gap(objective, bound)
    hand_price = price(problem, hand, previous) if hand is not None else None
    return replace(
        result, roster=best.roster, objective=objective, terms=p.terms, placed=p.placed, best_bound=bound,
        gap=gap, bound_source=source, whole_bound=min(whole, objective),
        status=result.status if best.source == "clusters" else "FEASIBLE",
        placed_bound=max(result.placed_bound, p.placed),
        repeatable=budget.deterministic and not result.interrupted,
        hand_cost=None if hand_price is None else hand_price.cost / 100,
        hand_placed=0 if hand_price is None else hand_price.placed,
    )
