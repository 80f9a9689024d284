"""Phase `repair`: vacancies filled with own staff who are free, where that keeps every rule and costs
less (repair.fill); the filled roster replaces the best one only when its fresh price is lower."""

from __future__ import annotations

from planner.solver.budget import Budget
from planner.solver.phases import State
from planner.solver.post.repair import fill


class Repair:
    name = "repair"

    def applies(self, state: State, budget: Budget) -> bool:
        return state.problem.rules.vacancies

    def run(self, state: State, budget: Budget) -> None:
        best = state.best
        if best.roster is None or not best.roster.vacancies:
            return
        roster, filled = fill(state.problem, best.roster)
        if filled:
            before = best.roster
            best.offer(state.problem, roster, None, best.source, state.previous)
            if best.roster is not before:
                state.filled += filled
