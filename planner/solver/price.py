"""A roster's price without the solver: the objective the solve minimises, term by term.

The same terms the formulation charges (formulation/*.py), computed from the roster's rows, so a
Result is always rebuilt from a fresh price instead of being patched after a change (repair.py,
extend.py) and rosters from anywhere (the hand planner's, a cluster merge) compare on one scale:

* cost (cents per week, what the cost phase minimises): `personeel`, `vacatures`, `specialisten`,
  `vervoer`, `groepen` as costs.week_cost; `vacaturestraf` = the scenario's vacancy_penalty per
  vacancy-dagdeel; when replanning `wijziging_kind` / `wijziging_medewerker` = weight per previous
  assignment still possible today that the roster does not repeat (formulation/stability.py);
* soft wishes (not cost): `kind_in_een_groep` per group a child uses, for children who could sit
  in two or more groups; `vaste_medewerker_op_groep` per (staff, group) pair used;
  `eerlijke_verdeling` = the highest contract use in whole percent (formulation/continuity.py).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from planner.core.costs import week_cost
from planner.core.roster import Roster
from planner.solver.problem import ProblemData, cents
from planner.solver.replan import PreviousIndex

COST_TERMS = ("personeel", "vacatures", "specialisten", "vervoer", "groepen", "vacaturestraf",
              "wijziging_kind", "wijziging_medewerker")


@dataclass(frozen=True)
class Price:
    cost: int  # cents per week: the sum of the cost terms (the solve's objective)
    terms: dict[str, float]  # EUR per week by rule name (cost terms and soft wishes)
    placed: int  # dagdelen placed

    def better_than(self, other: Price) -> bool:
        """More dagdelen placed, or as many at a lower cost."""
        return (self.placed, -self.cost) > (other.placed, -other.cost)


def price(pr: ProblemData, roster: Roster, previous: PreviousIndex | None = None) -> Price:
    """The roster's price; rows must use the problem's ids (KeyError otherwise). `previous`: when
    replanning, every previous assignment the roster does not keep costs its change weight."""
    week = week_cost(pr.model, pr.data, roster)
    terms_c: dict[str, int] = {"personeel": week.staff, "vacatures": week.vacancies,
                               "specialisten": week.specialists, "vervoer": week.transport,
                               "groepen": week.groups}
    if pr.rules.vacancies or roster.vacancies:
        terms_c["vacaturestraf"] = cents(pr.rules.vacancy_penalty) * len(roster.vacancies)
    terms_c.update(_changes(pr, roster, previous))
    cost = sum(terms_c.values())
    terms_c.update(_wishes(pr, roster))
    terms = {name: value / 100 for name, value in terms_c.items()}
    return Price(cost, terms, len(roster.children))


def _changes(pr: ProblemData, roster: Roster, prev: PreviousIndex | None) -> dict[str, int]:
    if prev is None:
        return {}
    weights = pr.rules.weights
    x_now = pr.ids.placements(roster.children)
    a_now = pr.ids.duties(roster.staff)
    child_gd = {gd for slots in pr.child_slots for gd in slots}
    x_possible = {(c, g, d) for c, slots in enumerate(pr.child_slots) for g, d in slots}
    a_possible = {(s, g, d) for s, slots in enumerate(pr.staff_slots) for g, d in slots if (g, d) in child_gd}
    out: dict[str, int] = {}
    for rule, weight, on, now, possible in (
        ("wijziging_kind", cents(weights.get("child_change", 0)), prev.x_on, x_now, x_possible),
        ("wijziging_medewerker", cents(weights.get("staff_change", 0)), prev.a_on, a_now, a_possible),
    ):
        if weight:
            out[rule] = weight * sum(1 for key in on if key in possible and key not in now)
    return out


def _wishes(pr: ProblemData, roster: Roster) -> dict[str, int]:
    weights = pr.rules.weights
    out: dict[str, int] = {}
    w_child = cents(weights.get("child_continuity", 0))
    if w_child:
        ci = pr.ids.child
        choice = {c for c, slots in enumerate(pr.child_slots) if len({g for g, _ in slots}) >= 2}
        used = {(c, g) for c, g, _ in roster.children if ci[c] in choice}
        out["kind_in_een_groep"] = w_child * len(used)
    w_staff = cents(weights.get("staff_continuity", 0))
    if w_staff:
        out["vaste_medewerker_op_groep"] = w_staff * len({(s, g) for s, g, _ in roster.staff})
    w_fair = cents(weights.get("staff_fairness", 0))
    if w_fair:
        worked = Counter(s for s, _, _ in roster.staff)
        contract = {s.id: s.dagdelen_per_week for s in pr.staff}
        use = [math.ceil(100 * n / contract[s]) for s, n in worked.items() if contract[s] > 0]
        out["eerlijke_verdeling"] = w_fair * max(use, default=0)
    return out

