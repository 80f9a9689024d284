"""Phase `pools`: the product pools' relaxation (relax.py) for the placement and a bound, staffed by name.

Vacancies on: staff never limit the placement, so the pools' relaxation gives the most dagdelen
placed (proven per pool), a placement, and a lower bound on the cost. Not with one CP-SAT worker
(clusters side by side, decompose.py): proving each pool's maximum then takes longer than the whole
cluster's placement phase (L: 5.7 s per pool). Vacancies off: the cost phase runs the pools for
the bound only (phases/cost.py).
"""

from __future__ import annotations

import time

from planner import relax
from planner.budget import Budget
from planner.phases import Progress, State
from planner.phases.cpsat import placement_values, restaff, runner
from planner.problem import ProblemData


class PoolsPhase:
    name = "pools"

    def applies(self, problem: ProblemData) -> bool:
        return problem.previous is None and problem.settings.vacancies and problem.settings.workers >= 2

    def run(self, state: State, budget: Budget) -> None:
        if budget.expired():
            return
        f = state.f
        state.pooled = pooled = relax.solve_pools(state.problem, None, budget.share("pools"), runner(budget),
                                                  budget.floor)
        if pooled is None:
            return
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
        state.placement_proven = True
        state.placed = state.placed_bound = len(pooled.x_on)
        state.first = state.first or time.perf_counter() - budget.start
        if state.report:  # the first full roster and the pools' bound
            state.report(Progress("kosten", state.first, roster[1] / 100, pooled.bound / 100))
