"""Phase `pools`: the product pools' relaxation (relax.py) for the placement and a bound, staffed by name.

Vacancies on: staff never limit the placement, so the pools' relaxation gives the most dagdelen
placed (proven per pool; a pool not proven in time keeps the most it found, never fewer than the hand
planner's part), a placement, a roster staffed by name that the cost search starts from, and, when
every pool's maximum is proven, a lower bound on the cost. Not with one CP-SAT worker
(clusters side by side, decompose.py): proving each pool's maximum then takes longer than the whole
cluster's placement phase (L: 5.7 s per pool). Not on a wall clock when the instance is too big for
the pools' share (`too_big`). Vacancies off: the cost phase runs the pools for
the bound only (phases/cost.py).
"""

from __future__ import annotations

import os
import time

from planner.solver import relax
from planner.solver.budget import Budget
from planner.solver.flow import placement_flow
from planner.solver.greedy import place_children
from planner.solver.phases import Progress, State
from planner.solver.phases.cpsat import placement_values, restaff, runner

# placement variables the pools can take per second of their share on an idle machine. Since session 7 the
# pools never come back empty for lack of time (a pool not proven keeps the most it found, at least the
# hand planner's part, relax.py), so the rule only keeps them off where their share is too short to
# staff and price what they place: measured idle (session 7), every pool's maximum of family a M (5,909
# variables) in 4.3 s and of family b M-3 (5,818, one pool of 3,062) in 7.0 s; with the pools, a-M-3's
# cost went from +12 % to -22 % against the hand planner and a-L-3's (4 clusters of about 6,500
# variables, 5.5 s of pools each) from +4 % to -17 %. Under load the rate falls with the CPU left:
# session 5 measured (load 9-12 on 2 cores) that the pools proved nothing in their 8 s share on family a
# S (1,556 variables); at load 10 on 2 cores the rule below allows 500 per second.
VARS_PER_SECOND_IDLE = 2500


def vars_per_second(cpus: int | None = None, load: float | None = None) -> float:
    """Placement variables per second the pools can prove now: VARS_PER_SECOND_IDLE times the share of
    the CPUs this process can expect, `cpus / max(cpus, load)` with the 1-minute load average (ours
    included). `cpus`, `load` default to this machine's; a platform without a load average counts as idle."""
    cpus = cpus or os.cpu_count() or 1
    if load is None:
        try:
            load = os.getloadavg()[0]
        except OSError:
            load = 0.0
    return VARS_PER_SECOND_IDLE * cpus / max(float(cpus), load)


def too_big(variables: int, budget: Budget, rate: float | None = None) -> bool:
    """Wall clock only: whether `variables` placement variables are more than the pools can prove in
    their share (SHARES["pools"] of the time to the deadline, at `rate` variables per second, by default
    `vars_per_second()`). Then the pools would return nothing after using their share, and the placement
    and cost phases start from the hand planner's roster at once. Deterministic mode always runs them
    (same result on any load)."""
    if budget.deterministic:
        return False
    return variables > (vars_per_second() if rate is None else rate) * budget.share("pools")


class PoolsPhase:
    name = "pools"

    def applies(self, state: State, budget: Budget) -> bool:
        return state.previous is None and state.problem.rules.vacancies and budget.request.workers >= 2

    def run(self, state: State, budget: Budget) -> None:
        if budget.expired():
            return
        f = state.f
        if too_big(len(f.x), budget):  # the pools cannot finish in their share: hinted search at once
            return
        state.pooled = pooled = relax.solve_pools(state.problem, None, budget.share("pools"), runner(budget),
                                                  budget.floor, place_children(state.problem))
        if pooled is None:
            return
        if not pooled.maxima_proven and state.hand is not None and len(pooled.x_on) < state.hand.placed:
            return  # below the hand planner's (each pool is hinted with its part): the placement phase decides
        # the pools' placement staffed by name; when that fails in time, the placement phase after all
        f.model.Minimize(f.cost())
        placement = placement_values(f, pooled.x_on)
        state.placement = placement
        roster = restaff(f, placement, budget.share("restaff"), budget, force=budget.interrupt.hit)
        if roster is None and not budget.expired():  # a second, longer try
            roster = restaff(f, placement, max(1.0, budget.share("restaff_retry")), budget)
        if roster is None:
            return
        state.pool_roster = roster
        state.placement_proven = pooled.maxima_proven
        state.placed = len(pooled.x_on)
        state.placed_bound = state.placed if pooled.maxima_proven else placement_flow(state.problem).placed
        state.first = state.first or time.perf_counter() - budget.start
        if state.report:  # the first full roster and the pools' bound
            state.report(Progress("kosten", state.first, roster[1] / 100, pooled.bound / 100))
