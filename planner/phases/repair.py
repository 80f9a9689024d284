"""Phase `repair`: vacancies filled with own staff who are free, where that keeps every rule and costs
less (repair.fill); the filled roster replaces the best one only when its fresh price is lower."""

from __future__ import annotations

from planner.budget import Budget
from planner.phases import State
from planner.problem import ProblemData
from planner.repair import fill


class Repair:
    name = "repair"

    def applies(self, problem: ProblemData) -> bool:
        return problem.settings.vacancies

    def run(self, state: State, budget: Budget) -> None:
        best = state.best
        if best.roster is None or not best.roster.vacancies:
            return
        roster, filled = fill(state.problem, best.roster)
        if filled:
            before = best.roster
            best.offer(state.problem, roster, None, best.source)
            if best.roster is not before:
                state.filled += filled
