"""After a solve: fill vacancies with own staff who are free, where that keeps every rule and costs less.

A vacancy of level L on a group-dagdeel is replaced by a staff member of level L or higher who may work
at that location, is available on that dagdeel, works nowhere else then and has contract left. Ratios
and minimum staff are unchanged (one for one); min_count and min_share count staff of at least a level,
so a replacement of at least the vacancy's level keeps them; min_level holds because the vacancy met it.
Replaced only when the person's cost is below the vacancy's wage plus its penalty. Deterministic: the
vacancies in week order, the cheapest eligible person first. Useful after a decomposed solve (a person
assigned to one cluster can fill a vacancy in another) and whenever the search left one in place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from planner.core.gap import relative_gap
from planner.core.result import Result
from planner.core.roster import Roster, number_vacancies
from planner.inputs.catalogue import level_rank
from planner.solver.price import price
from planner.solver.problem import ProblemData, cents
from planner.solver.replan import PreviousIndex


def fill_vacancies(pr: ProblemData, result: Result, previous: PreviousIndex | None = None) -> Result:
    """The result with vacancies filled (`fill`), rebuilt from the new roster's price (its changes priced
    against `previous` when replanning); unchanged when none is."""
    roster, filled = fill(pr, result.roster)
    if not filled:
        return result
    fresh = price(pr, roster, previous)  # the Result rebuilt from the new roster's price, not patched
    objective = fresh.cost / 100
    gap = relative_gap(objective, result.best_bound)
    return replace(result, roster=roster, terms=fresh.terms, objective=objective, gap=gap,
                   filled=result.filled + filled)


def fill(pr: ProblemData, roster: Roster) -> tuple[Roster, int]:
    """(the roster with vacancies filled by free own staff, how many were filled)."""
    if not roster.vacancies:
        return roster, 0
    group_index, week_index = pr.ids.group, pr.ids.dagdeel
    busy = {(s, d) for s, _, d in roster.staff}
    worked = Counter(s for s, _, _ in roster.staff)
    allowed = [set(slots) for slots in pr.staff_slots]
    penalty = cents(pr.rules.vacancy_penalty)
    staff = list(roster.staff)
    kept = []
    order = sorted(range(len(pr.staff)), key=lambda s: (pr.staff_cost[s], pr.staff[s].id))
    for vacancy in sorted(roster.vacancies, key=lambda v: (week_index.get(v[3], 0), v[2], v[1], v[0])):
        _, level, group, dagdeel = vacancy
        g, d = group_index[group], week_index[dagdeel]
        wage = pr.level_cost[level]
        chosen = None
        for s in order:
            person = pr.staff[s]
            if (level_rank(person.education) < level_rank(level) or (g, d) not in allowed[s]
                    or (person.id, dagdeel) in busy or worked[person.id] >= person.dagdelen_per_week
                    or pr.staff_cost[s] >= wage + penalty):
                continue
            chosen = s
            break
        if chosen is None:
            kept.append(vacancy)
            continue
        person = pr.staff[chosen]
        staff.append((person.id, group, dagdeel))
        busy.add((person.id, dagdeel))
        worked[person.id] += 1
    if len(kept) == len(roster.vacancies):
        return roster, 0
    vacancies = number_vacancies((lv, group, dagdeel) for _, lv, group, dagdeel in
                                 sorted(kept, key=lambda v: (week_index.get(v[3], 0), v[2], v[1])))
    return replace(roster, staff=tuple(sorted(staff)), vacancies=vacancies), len(roster.vacancies) - len(kept)
