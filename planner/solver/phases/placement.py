"""Phase `placement`: the most dagdelen placed, by CP-SAT, starting from the hand planner's roster
(every variable hinted; replanning: from the previous roster, keeping as much of it as possible, then
again from the hand planner's when not proven), then our neighbourhood search while the maximum is
not proven. Skipped when the pools' placement is staffed; after Ctrl-C or past the deadline the hand
planner's placement is used."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver import lns
from planner.solver.budget import Budget
from planner.solver.flow import placement_flow
from planner.solver.greedy import place_children
from planner.solver.phases import State
from planner.solver.phases.cpsat import OK, STATUS, hint_greedy, hint_previous, placement_values, run, values_of
from planner.solver.problem import ProblemData, possible_dagdelen


def placement_cap(pr: ProblemData) -> int:
    """Dagdelen no roster can exceed: each child's own maximum (problem.possible_dagdelen), summed."""
    return sum(min(ch.dagdelen_per_week, possible_dagdelen(pr, c)) for c, ch in enumerate(pr.children))


OWED_S = 3.0  # wall seconds CP-SAT gets past the deadline when no roster exists at all (Budget.owed)


class Placement:
    name = "placement"

    def applies(self, state: State, budget: Budget) -> bool:
        return True

    def run(self, state: State, budget: Budget) -> None:
        if state.pool_roster is not None:
            return
        f = state.f
        # no time left and no roster at all (replanning with pins: the hand planner's is none, and its
        # placement would break the pins): CP-SAT gets a few seconds anyway, a roster is owed
        owed = budget.expired() and state.best.roster is None and not budget.interrupt.hit
        if budget.expired() and not owed:  # Ctrl-C or no time before any placement: the hand planner's
            self.hand_placement(state)
            return
        prev = state.previous
        m = f.model
        # replanning: among rosters with the most dagdelen placed, prefer those keeping the previous one
        # (a second term worth less than one dagdeel)
        weight = len(prev.x_on) + 1 if prev is not None else 1
        second = sum(f.x[k] for k in sorted(prev.x_on) if k in f.x) if prev is not None else 0
        m.Maximize(weight * f.placed() + second)
        # no roster places more than the maximum flow of children to seats (flow.py, exact, well under
        # a second): with it as a row CP-SAT's bound starts there, and a placement that reaches it is
        # proven at once instead of after the phase's whole share
        cap = placement_flow(state.problem).placed
        m.Add(f.placed() <= cap)
        if prev is not None:  # replanning: start from last week's roster
            hint_previous(f)
        else:  # start from the hand planner's roster (all variables hinted) and improve on it
            hint_greedy(f)
        s1, status1, w1 = run(f, "plaatsing", min(OWED_S, budget.limit) if owed else budget.share("placement"), budget,
                              state.report, weight, owed=owed)
        m.ClearHints()
        upper = s1.BestObjectiveBound() if status1 in OK else None
        if status1 != cp_model.OPTIMAL and prev is not None and not budget.expired():
            # replanning, not proven maximal (or no roster at all) in time: try again from the
            # hand-planner roster and keep the better of the two
            hint_greedy(f)
            s1b, status1b, w1b = run(f, "plaatsing", max(1.0, budget.share("placement_retry")), budget,
                                     state.report, weight)
            m.ClearHints()
            if status1b in OK and (status1 not in OK or s1b.ObjectiveValue() > s1.ObjectiveValue()):
                s1, status1, w1 = s1b, status1b, w1b
            if status1b in OK:
                upper = s1b.BestObjectiveBound() if upper is None else min(upper, s1b.BestObjectiveBound())
        if status1 not in OK:  # no placement from CP-SAT in time: the hand planner's, if any, costed next
            if state.best.roster is None:
                state.stop = True
                state.placed_bound = placement_cap(state.problem)
                state.failure, state.failure_first = STATUS.get(status1, "UNKNOWN"), w1.first
            else:
                self.hand_placement(state)
            return
        placement = values_of(f, s1)
        state.placed = sum(placement[var.Index()] for var in f.x.values())
        state.placed_bound = min(cap, int(upper if upper is not None else s1.BestObjectiveBound()) // weight)
        if state.placed_bound > state.placed and not budget.expired():
            # still not proven: our neighbourhood search on the placement (as a minimisation)
            m.Minimize(-(weight * f.placed() + second))
            start = -int(round(s1.ObjectiveValue()))
            placement, _, _ = lns.improve(f, placement, start, budget.seconds(budget.share("placement_lns"), 0.5),
                                          budget)
            state.placed = sum(placement[var.Index()] for var in f.x.values())
        state.placement = placement
        if prev is None and state.hand is not None and state.hand.placed > state.placed:
            # CP-SAT's placement (short of time: a loaded machine spends it presolving) below the hand
            # planner's: the cost phase holds the better of the two (a-M-1, load 11: 490 against 522)
            bound = state.placed_bound
            self.hand_placement(state)
            state.placed_bound = bound
        # the placement status speaks of placed dagdelen only: proven when the bound allows no more
        state.placement_proven = state.placed_bound <= state.placed
        state.first = state.first or w1.first

    @staticmethod
    def hand_placement(state: State) -> None:
        """Set `state`'s placement to the hand planner's (greedy.place_children), not proven maximal: the
        placement a deadline leaves (also used by tests/solver/test_hints.py)."""
        kids = place_children(state.problem)[0]
        on = frozenset((c, g, d) for (g, d), members in kids.items() for c in members)
        state.placed = len(on)
        state.placed_bound = placement_cap(state.problem)
        state.placement = placement_values(state.f, on)
