"""Phase `cost`: the placement held, the lowest weekly cost by CP-SAT's portfolio, from the best roster so far.

A first full roster: the placement staffed greedily, then priced and repaired by CP-SAT (or the
pools' roster). CP-SAT starts from the cheapest roster so far: with it as an upper bound its LP fixes
more by reduced costs, and the lower bound rises (example: 12,312 unhinted -> 12,560). The bound of
this phase is the best of CP-SAT's and the pools'.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from planner import relax
from planner.budget import SHARES, Budget
from planner.formulation import bounds
from planner.phases import State
from planner.phases.cpsat import OK, evaluate, hint_values, restaff, run, runner, values_of
from planner.problem import ProblemData


class Cost:
    name = "cost"

    def applies(self, problem: ProblemData) -> bool:
        return True

    def run(self, state: State, budget: Budget) -> None:
        f, pr = state.f, state.problem
        m = f.model
        bounds.hold_placement(f, state.placed)
        m.Minimize(f.cost())
        state.cost_model = True
        start_roster = state.pool_roster
        if start_roster is None and (budget.interrupt.hit or not budget.expired()):
            start_roster = restaff(f, state.placement, budget.share("restaff"), budget, force=budget.interrupt.hit)
        candidates = state.candidates
        if start_roster:
            candidates.append(start_roster)
            if state.first is None:
                state.first = time.perf_counter() - budget.start
        if state.pooled is None and pr.previous is None and not pr.settings.vacancies and not budget.expired():
            # vacancies off: the pools' relaxation can still bound the cost of this placement
            state.pooled = relax.solve_pools(pr, state.placed, budget.share("pools"), runner(budget), budget.floor)
        pooled = state.pooled
        if candidates:
            hint_values(f, min(candidates, key=lambda vb: vb[1])[0])
        if not budget.expired():
            s2, status2, _ = run(f, "kosten", max(budget.until(SHARES["cost"]), budget.share("cost_min")), budget,
                                 state.report, 100, floor=pooled.bound / 100 if pooled is not None else 0.0)
            if status2 in (*OK, cp_model.UNKNOWN) and s2.BestObjectiveBound() > 0:
                state.bound, state.source = s2.BestObjectiveBound() / 100, "cp-sat"
            if status2 in OK:
                candidates.append((values_of(f, s2), int(round(s2.ObjectiveValue()))))
            state.cost_proven = status2 == cp_model.OPTIMAL
        m.ClearHints()
        if pooled is not None and pooled.bound / 100 > state.bound:
            state.bound, state.source = pooled.bound / 100, "pools"
        if not candidates and len(state.placement) > len(f.x):  # keep the placement phase's roster, priced
            placement = state.placement
            candidates.append((placement, sum(coef * evaluate(expr, placement) for _, coef, expr in f.cost_terms)))
        if candidates:
            state.values, state.objective = min(candidates, key=lambda vb: vb[1])
