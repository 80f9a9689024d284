"""Phase `hand`: the hand planner's roster (greedy.py), always a candidate and the floor of every result;
when replanning, last week's roster repaired for this week is a candidate too (`previous_roster`)."""

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


def previous_roster(problem: ProblemData, previous: PreviousIndex | None = None) -> Roster | None:
    """When replanning: last week's roster laid on this week, repaired where it no longer fits, as a
    candidate like the hand planner's, so a replan is never worse than keeping what still holds.

    Every child keeps its previous (group, dagdeel) places that are still possible and keep the rules
    (greedy.place_children with `start`); missing dagdelen are filled first-fit; a group-dagdeel with
    the same children and its whole team keeps that team, elsewhere staff keep their previous places
    first (greedy.staff_groups with `kept`, `prefer`), the rest by the ratio, cheapest first,
    vacancies where no colleague fits. None without a previous roster, when a pin is not kept, when it
    needs a vacancy with vacancies off, or when the checker refuses it. `previous`: the replanning
    input, passed beside the problem."""
    pr, prev = problem, previous
    if prev is None:
        return None
    start: dict[int, list[tuple[int, int]]] = {}
    for c, g, d in sorted(prev.x_on, key=lambda k: (k[0], k[2], k[1])):
        start.setdefault(c, []).append((g, d))
    kids, opened = place_children(pr, start)
    placed = {(c, g, d) for (g, d), members in kids.items() for c in members}
    before: dict[tuple[int, int], set[int]] = {}
    for c, g, d in prev.x_on:
        before.setdefault((g, d), set()).add(c)
    team: dict[tuple[int, int], list[int]] = {}
    for s, g, d in sorted(prev.a_on):
        team.setdefault((g, d), []).append(s)
    # the same children and the whole team still there: the same staff; elsewhere staffed again
    kept = {gd: team[gd] for gd, members in kids.items()
            if gd in team and gd not in prev.restaff and set(members) == before.get(gd)}
    staff_rows, vacancies = staff_groups(pr, kids, prev.a_on, kept)
    if vacancies and not pr.rules.vacancies:
        return None
    on = pr.ids.duties(staff_rows)
    if not prev.x_pinned <= placed or not prev.a_pinned <= on:
        return None
    roster = Roster(tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d]) for c, g, d in placed)),
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
        kept = previous_roster(state.problem, state.previous)
        if kept is not None:
            state.best.offer(state.problem, kept, None, "vorig rooster", state.previous)
            state.first = state.first or time.perf_counter() - budget.start
        if budget.expired() and state.best.roster is not None:  # no time left: the hand planner's roster
            state.stop = True
