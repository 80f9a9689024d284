"""After a decomposed solve: place the dagdelen the clusters could not, across cluster borders.

A cluster only sees its own children and groups, so a child sent to one cluster cannot take a free
seat in a group of the next, and a child of the next cannot make room for it. When the merged roster
places fewer dagdelen than the maximum flow allows (flow.py), this step looks at the whole instance
around the children who are short:

* the groups those children could sit in, and every child who sits in one of them, may be moved
  (within their own allowed slots); everything else stays where it is;
* a small CP-SAT model (placement, group sizes and mixing, not_with, one location a day) places as
  many dagdelen as possible, with nobody losing a dagdeel, every occupied group-dagdeel staying
  occupied (its staff keep a reason to be there) and as few moves as possible;
* group-dagdelen whose children changed get the staff their children need on top of who is there
  (the cheapest free colleague of the needed level, otherwise a vacancy), per greedy._needs;
* the whole roster then goes through the independent checker; a change that breaks any rule is
  not taken (the merged roster stays as it was), and the cost is recomputed without the solver.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import replace
from fractions import Fraction

from ortools.sat.python import cp_model

from planner.catalogue import level_rank
from planner.check import check_roster
from planner.costs import week_cost
from planner.formulation import Formulation, group_size, placement, transport
from planner.greedy import _needs
from planner.problem import ProblemData, build_problem, cents
from planner.roster import Roster, number_vacancies
from planner.solve import Result, _solver

MOVE = 1000  # one more dagdeel placed is worth more than any number of moves (at most a few hundred)


def place_more(pr: ProblemData, result: Result, most: int, seconds: float) -> Result:
    """`most`: no roster places more dagdelen (the flow). The result with more placed, or as it was.
    `seconds`: wall seconds, or deterministic seconds when the settings are deterministic."""
    roster = result.roster
    if len(roster.children) >= most or not pr.settings.vacancies:
        return result
    began = time.perf_counter()
    ci = {ch.id: i for i, ch in enumerate(pr.children)}
    gi = {gr.id: i for i, gr in enumerate(pr.groups)}
    di = {d: i for i, d in enumerate(pr.week)}
    now = {(ci[c], gi[g], di[d]) for c, g, d in roster.children}
    count = Counter(c for c, _, _ in now)
    short = [c for c, ch in enumerate(pr.children) if pr.child_slots[c] and count[c] < min(
        ch.dagdelen_per_week, pr.model.products[ch.product].max_dagdelen_per_week)]
    near = {g for c in short for g, _ in pr.child_slots[c]}
    free = sorted(set(short) | {c for c, g, _ in now if g in near})
    groups = sorted(near | {g for c, g, _ in now if c in set(free)})
    kids = [pr.children[c] for c in free]
    ids = {ch.id for ch in kids}
    sub = replace(pr.data, groups=tuple(pr.groups[g] for g in groups),
                  children=tuple(replace(ch, not_with=tuple(o for o in ch.not_with if o in ids)) for ch in kids))
    sp = build_problem(pr.model, sub, pr.settings)
    f = Formulation(sp)
    placement.add(f)
    group_size.add(f)
    transport.add(f)
    m = f.model
    to_whole = {(c, g, d): (free[c], groups[g], d) for c, g, d in f.x}
    inside = {groups.index(g) for g in near}
    moves = []
    for key, var in f.x.items():
        on = to_whole[key] in now
        m.AddHint(var, int(on))
        if key[1] not in inside:
            m.Add(var == int(on))  # outside the short children's groups nothing moves
        elif on:
            moves.append(1 - var)
        else:
            moves.append(var)
    for c, entries in f.by_child.items():
        m.Add(sum(var for _, _, var in entries) >= count[free[c]])
    for (g, d), members in f.by_gd.items():
        if any(to_whole[(c, g, d)] in now for c, _ in members):
            m.Add(sum(var for _, var in members) >= 1)
    placed_here = sum(count[c] for c in free)
    m.Add(f.placed() <= placed_here + most - len(roster.children))
    m.Maximize(MOVE * f.placed() - sum(moves))
    left = seconds if pr.settings.deterministic else seconds - (time.perf_counter() - began)
    solver = _solver(pr, left)
    status = solver.Solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return result
    after = {to_whole[key] for key, var in f.x.items() if solver.Value(var)}
    before = {x for x in now if x[0] in set(free)}
    if len(after) <= len(before):
        return result
    changed_gd = {(g, d) for _, g, d in after ^ before}
    children = sorted((now - before) | after)
    new = _staff_changes(pr, roster, children, changed_gd)
    child_rows = tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d]) for c, g, d in children))
    candidate = replace(roster, children=child_rows, staff=new.staff, vacancies=new.vacancies)
    if check_roster(pr.model, pr.data, candidate, pr.settings.vacancies):
        return result  # a rule this step does not model: keep the merged roster
    return _with_roster(pr, result, candidate, time.perf_counter() - began)


def _staff_changes(pr: ProblemData, roster: Roster, children: list[tuple[int, int, int]],
                   changed: set[tuple[int, int]]) -> Roster:
    """Staff on the changed group-dagdelen raised to what their children need: the cheapest free
    colleague of the needed level, otherwise a vacancy of that level (repair.py fills it later when
    someone is free)."""
    gi = {gr.id: i for i, gr in enumerate(pr.groups)}
    di = {d: i for i, d in enumerate(pr.week)}
    si = {s.id: i for i, s in enumerate(pr.staff)}
    members: dict[tuple[int, int], list[int]] = defaultdict(list)
    for c, g, d in children:
        members[(g, d)].append(c)
    levels: dict[tuple[int, int], list[str]] = defaultdict(list)
    busy: set[tuple[int, int]] = set()
    worked: Counter = Counter()
    for person, group, dagdeel in roster.staff:
        levels[(gi[group], di[dagdeel])].append(pr.staff[si[person]].education)
        busy.add((si[person], di[dagdeel]))
        worked[si[person]] += 1
    for _, level, group, dagdeel in roster.vacancies:
        levels[(gi[group], di[dagdeel])].append(level)
    allowed = [set(slots) for slots in pr.staff_slots]
    staff = list(roster.staff)
    vacancies = [(lv, g, d) for _, lv, g, d in roster.vacancies]
    for g, d in sorted(changed, key=lambda k: (k[1], k[0])):
        if not members.get((g, d)):
            continue
        need, base, at_least = _needs(pr, members[(g, d)])
        need = max(need, _weekly_need(pr, g, d, members, levels))
        top = max([base] + [lv for lv, _ in at_least], key=level_rank)  # never lowers a share
        here = levels[(g, d)]

        while _short(here, need, at_least):
            pick = [s for s in range(len(pr.staff)) if (g, d) in allowed[s] and (s, d) not in busy
                    and worked[s] < pr.staff[s].dagdelen_per_week
                    and level_rank(pr.staff[s].education) >= level_rank(top)]
            if pick:
                s = min(pick, key=lambda x: (pr.staff_cost[x], pr.staff[x].id))
                busy.add((s, d))
                worked[s] += 1
                staff.append((pr.staff[s].id, pr.groups[g].id, pr.week[d]))
                here.append(pr.staff[s].education)
            else:
                vacancies.append((top, pr.groups[g].id, pr.week[d]))
                here.append(top)
    ordered = sorted(vacancies, key=lambda v: (di[v[2]], v[1], v[0]))
    return replace(roster, staff=tuple(sorted(staff)), vacancies=number_vacancies(ordered))


def _short(here: list[str], need: int, at_least: list[tuple[str, int]]) -> bool:
    """Fewer staff than needed, or fewer of at least some level than a rule asks."""
    return len(here) < need or any(sum(1 for x in here if level_rank(x) >= level_rank(lv)) < n for lv, n in at_least)


def _weekly_need(pr: ProblemData, g: int, d: int, members: dict[tuple[int, int], list[int]],
                 levels: dict[tuple[int, int], list[str]]) -> int:
    """Products whose ratio is a weekly average: staff on (g, d) so the group's week adds up."""
    weekly = [c for dd in pr.group_open[g] for c in members.get((g, dd), [])
              if pr.model.products[pr.product(c)].ratio_scope == "week"]
    if not weekly:
        return 0
    demand = math.ceil(sum((pr.model.products[pr.product(c)].staff_per_child for c in weekly), Fraction(0)))
    others = sum(len(levels[(g, dd)]) for dd in pr.group_open[g] if dd != d)
    return demand - others


def _with_roster(pr: ProblemData, result: Result, roster: Roster, seconds: float) -> Result:
    """The result with the new roster, its cost recomputed without the solver."""
    old, new = week_cost(pr.model, pr.data, result.roster), week_cost(pr.model, pr.data, roster)
    penalty = cents(pr.settings.vacancy_penalty)
    terms = dict(result.terms)
    for name, a, b in (("personeel", old.staff, new.staff), ("vacatures", old.vacancies, new.vacancies),
                       ("specialisten", old.specialists, new.specialists), ("vervoer", old.transport, new.transport),
                       ("groepen", old.groups, new.groups),
                       ("vacaturestraf", penalty * len(result.roster.vacancies), penalty * len(roster.vacancies))):
        if a != b:
            terms[name] = round(terms.get(name, 0.0) + (b - a) / 100, 2)
    delta = new.total - old.total + penalty * (len(roster.vacancies) - len(result.roster.vacancies))
    objective = round(result.objective + delta / 100, 2)
    gap = abs(objective - result.best_bound) / max(abs(objective), 1e-9) if objective else 0.0
    placed = len(roster.children)
    return replace(result, roster=roster, objective=objective, terms=terms, gap=gap, placed=placed,
                   solve_seconds=result.solve_seconds + seconds,
                   placement_status="OPTIMAL" if placed >= result.placed_bound else result.placement_status)
