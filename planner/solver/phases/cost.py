"""Phase `cost`: the placement held, the lowest weekly cost by CP-SAT's portfolio, from the best roster so far.

A first full roster: the placement staffed greedily, then priced and repaired by CP-SAT (or the
pools' roster). CP-SAT starts from the cheapest roster so far: with it as an upper bound its LP fixes
more by reduced costs, and the lower bound rises (example: 12,312 unhinted -> 12,560). The bound of
this phase is the best of CP-SAT's and the pools'.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from planner.core.roster import Roster, number_vacancies
from planner.solver import relax
from planner.solver.budget import SHARES, Budget
from planner.solver.formulation import hold_placement
from planner.solver.greedy import staff_groups
from planner.solver.hints import roster_on
from planner.solver.phases import State
from planner.solver.phases.cpsat import (
    OK,
    complete_full,
    evaluate,
    greedy_on,
    hint_full,
    hint_values,
    kids_of,
    restaff,
    run,
    runner,
    values_of,
)
from planner.verify.check import check_roster


class Cost:
    name = "cost"

    def applies(self, state: State, budget: Budget) -> bool:
        return True

    def run(self, state: State, budget: Budget) -> None:
        f, pr = state.f, state.problem
        m = f.model
        hold_placement(f, state.placed)
        m.Minimize(f.cost())
        state.cost_model = True
        start_roster = state.pool_roster
        full: dict[int, list[int]] = {}  # a candidate's cost -> every variable's value (a complete hint)
        tried = start_roster is None and state.previous is None and not budget.expired()
        if tried:
            # the placement staffed as the hand planner staffs, completed to a full solution: a start
            # that is feasible by construction and a complete hint, in one CP-SAT call with every main
            # variable fixed (restaffing by CP-SAT from a partial hint often ended worse than its hint)
            kids = kids_of(f, state.placement)
            got = complete_full(f, roster_on(pr, kids, {g for g, _ in kids if pr.groups[g].optional}),
                                budget.share("restaff_retry"), budget)
            if got is not None:
                start_roster, full[got[1]] = got[:2], got[2]
        if start_roster is None and not tried and (budget.interrupt.hit or not budget.expired()):
            start_roster = restaff(f, state.placement, budget.share("restaff"), budget, force=budget.interrupt.hit)
        candidates = state.candidates
        if state.hand is not None and state.hand.placed >= state.placed and not budget.expired():
            # the hand planner's roster as a full solution: the search starts from it (hint, LNS)
            hand = complete_full(f, greedy_on(pr), budget.share("hand_values"), budget)
            if hand is not None:
                candidates.append(hand[:2])
                full[hand[1]] = hand[2]
        if start_roster:
            candidates.append(start_roster)
            if state.first is None:
                state.first = time.perf_counter() - budget.start
        if state.pooled is None and state.previous is None and not pr.rules.vacancies and not budget.expired():
            # vacancies off: the pools' relaxation can still bound the cost of this placement
            state.pooled = relax.solve_pools(pr, state.placed, budget.share("pools"), runner(budget), budget.floor)
        pooled = state.pooled
        if candidates:
            values, cost = min(candidates, key=lambda vb: vb[1])
            if cost in full:
                hint_full(f, full[cost])
            else:
                hint_values(f, values)
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
        hand_staffed(state)


def hand_staffed(state: State) -> None:
    """The placement staffed as the hand planner staffs (greedy.staff_groups), a candidate without CP-SAT:
    when CP-SAT had no time to staff a placement that places more than the hand planner's, the
    placement phase's own staffing can be far worse (example on a busy machine: EUR 82,639 for 202
    dagdelen against the hand planner's 16,580 for 201)."""
    pr, f = state.problem, state.f
    kids: dict[tuple[int, int], list[int]] = {}
    for (c, g, d), var in f.x.items():
        if state.placement.get(var.Index()):
            kids.setdefault((g, d), []).append(c)
    if not kids or state.previous is not None:
        return
    staff_rows, vacancies = staff_groups(pr, kids)
    if vacancies and not pr.rules.vacancies:
        return
    opened = sorted({pr.groups[g].id for g, _ in kids if pr.groups[g].optional})
    roster = Roster(tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d])
                                 for (g, d), members in kids.items() for c in members)),
                    tuple(sorted(staff_rows)), number_vacancies((lv, g, d) for _, lv, g, d in vacancies),
                    tuple(opened))
    if not check_roster(pr.model, pr.data, roster, pr.rules.vacancies, pr.rules.min_contract_use):
        state.best.offer(pr, roster, None, "handplanner", state.previous)
