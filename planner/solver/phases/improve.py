"""Phases `improve` (our neighbourhood search on the cost, lns.py) and `wishes` (the soft wishes with the
cost held), on the best CP-SAT roster of the cost phase."""

from __future__ import annotations

import time

from planner.solver import lns
from planner.solver.budget import SHARES, Budget
from planner.solver.phases import Progress, State
from planner.solver.phases.cpsat import OK, extract, hint_values, run, values_of


class Improve:
    name = "improve"

    def applies(self, state: State, budget: Budget) -> bool:
        return True

    def run(self, state: State, budget: Budget) -> None:
        if state.values is None or state.cost_proven or state.objective <= state.bound * 100 or budget.expired():
            return

        def better(value: float) -> None:
            if state.report:
                state.report(Progress("verbeteren", time.perf_counter() - budget.start, value, state.bound))

        state.values, state.objective, _ = lns.improve(state.f, state.values, state.objective,
                                                       budget.until(SHARES["improve"]), budget, better)


class Wishes:
    name = "wishes"

    def applies(self, state: State, budget: Budget) -> bool:
        return True

    def run(self, state: State, budget: Budget) -> None:
        if state.values is None:
            return
        f = state.f
        m = f.model
        values = state.values
        m.ClearHints()
        if not budget.expired():
            hint_values(f, values)
            m.Add(f.cost() <= state.objective)
            m.Minimize(sum(coef * expr for _, coef, expr in f.soft_terms))
            s3, status3, _ = run(f, "wensen", budget.until(SHARES["wishes"]), budget, state.report, 100)
            if status3 in OK:
                values = values_of(f, s3)
        state.best.offer(state.problem, extract(f, values), values, "cp-sat", state.previous)
