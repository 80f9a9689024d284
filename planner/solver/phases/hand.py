"""Phase `hand`: the hand planner's roster (greedy.py), always a candidate and the floor of every result."""

from __future__ import annotations

import time

from planner.core.roster import Roster, number_vacancies
from planner.solver.budget import Budget
from planner.solver.greedy import place_children, staff_groups
from planner.solver.phases import State
from planner.solver.problem import ProblemData
from planner.solver.replan import PreviousIndex
from planner.verify.check import check_roster


def hand_roster(problem: ProblemData, previous: PreviousIndex | None = None) -> Roster | None:
    """The hand planner's roster when it is a valid candidate: not when replanning with pins, nor with
    vacancies off when it needs one, nor when the checker refuses it.

    It always runs to the end, also past the deadline or after Ctrl-C: it is the floor every result
    must reach, and it is fast (example: 0.1 s; 1,500 children: 3.8 s, BENCHMARKS.md)."""
    pr, prev = problem, previous
    if prev is not None and (prev.x_pinned or prev.a_pinned):
        return None
    kids, opened = place_children(pr)
    staff_rows, vacancies = staff_groups(pr, kids)
    if vacancies and not pr.rules.vacancies:
        return None
    roster = Roster(tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d])
                                 for (g, d), members in kids.items() for c in members)),
                    tuple(sorted(staff_rows)), number_vacancies((lv, g, d) for _, lv, g, d in vacancies),
                    tuple(sorted(pr.groups[g].id for g in opened)))
    if check_roster(pr.model, pr.data, roster, pr.rules.vacancies, pr.rules.min_contract_use):
        return None
    return roster


class HandPlanner:
    name = "hand"

    def applies(self, state: State, budget: Budget) -> bool:
        return True

    def run(self, state: State, budget: Budget) -> None:
        hand = hand_roster(state.problem, state.previous)
        if hand is not None:
            state.best.offer(state.problem, hand, None, "handplanner", state.previous)
            state.hand = state.best.price
            state.first = time.perf_counter() - budget.start
        if budget.expired() and state.best.roster is not None:  # no time left: the hand planner's roster
            state.stop = True
