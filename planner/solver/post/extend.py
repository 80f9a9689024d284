"""After a decomposed solve: place the dagdelen the clusters could not, across cluster borders.

A cluster only sees its own children and groups, so a child sent to one cluster cannot take a free
seat in a group of the next, and a child of the next cannot make room for it. When the merged roster
places fewer dagdelen than the maximum flow allows (flow.py), this step looks at the whole instance
around each child who is short, one at a time:

* the NEAR groups nearest its home that it could sit in, and every child who sits in one of them, may
  be moved (within their own allowed slots); everything else stays where it is (on XL a neighbourhood
  of about 3,300 variables: all short children of a product in one model gave 83,000, from which CP-SAT
  found nothing in 8 s);
* a small CP-SAT model (registry.EXTEND: placement, group sizes and mixing, not_with, one location a
  day) places as many dagdelen as possible, with nobody losing a dagdeel, every occupied group-dagdeel
  staying occupied (its staff keep a reason to be there) and as few moves as possible;
* group-dagdelen whose children changed get the staff their children need on top of who is there
  (the cheapest free colleague of the needed level, otherwise a vacancy), per greedy.staff_needs;
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

from planner.core.costs import week_cost
from planner.core.gap import relative_gap
from planner.core.roster import Roster, number_vacancies
from planner.inputs.catalogue import level_rank
from planner.solver.formulation import EXTEND, Formulation, build
from planner.solver.greedy import Staffing, staff_needs
from planner.solver.problem import ProblemData, build_problem, cents, possible_dagdelen
from planner.solver.request import SolveRequest
from planner.solver.solve import Interrupt, Result, cpsat_solver
from planner.verify.check import check_roster

NEAR = 4  # groups around a short child whose children may move to make room
STEP = 0.1  # seconds each neighbourhood counts at least (deterministic time leaves out its Python work)
MOVE = 1000  # one more dagdeel placed is worth more than any number of moves (at most a few hundred)


def place_more(pr: ProblemData, result: Result, most: int, seconds: float, request: SolveRequest) -> Result:
    """`most`: no roster places more dagdelen (the flow). The result with more placed, or as it was.
    `seconds`: wall seconds, or deterministic seconds when the request is deterministic (its seed and
    workers too).

    One short child at a time, each with an equal share of the time left; none is started once
    `seconds` are spent (the last may overrun by its minimum CP-SAT time and its Python work)."""
    if len(result.roster.children) >= most or not pr.rules.vacancies:
        return result
    todo = [c for codes in sorted(pr.model.products) for c in _short_children(pr, result.roster, {codes})]
    spent = 0.0
    with Interrupt() as interrupt:  # Ctrl-C: stop here and keep what is placed so far
        for i, c in enumerate(todo):
            # the time is the whole step's: each neighbourhood costs Python time to build, check and
            # price on top of CP-SAT's, so without this stop hundreds of short children (family b XL)
            # ran minutes past the limit
            if len(result.roster.children) >= most or interrupt.hit or spent >= seconds:
                break
            if c not in _short_children(pr, result.roster, {pr.product(c)}):
                continue  # placed meanwhile, by another child's moves
            share = (seconds - spent) / (len(todo) - i)
            result, used = _place_near(pr, result, most, c, share, interrupt, request)
            spent += max(used, STEP)
    return replace(result, interrupted=True) if interrupt.hit else result


def _short_children(pr: ProblemData, roster: Roster, codes: frozenset[str] | set[str]) -> list[int]:
    """Children of these products below their week and below what they could get alone (problem.py)."""
    count = Counter(c for c, _, _ in roster.children)
    return [c for c, ch in enumerate(pr.children) if ch.product in codes
            and count[ch.id] < min(ch.dagdelen_per_week, possible_dagdelen(pr, c))]


def _place_near(pr: ProblemData, result: Result, most: int, child: int, seconds: float,
                interrupt: Interrupt, request: SolveRequest) -> tuple[Result, float]:
    """The neighbourhood of one short child: the NEAR groups it could sit in nearest its home, and
    everyone who sits in them; (result, seconds used: deterministic or wall)."""
    began = time.perf_counter()
    roster = result.roster
    now = pr.ids.placements(roster.children)
    count = Counter(c for c, _, _ in now)
    options = sorted({g for g, _ in pr.child_slots[child]},
                     key=lambda g: (pr.trips[child][pr.group_location[g]].km, g))
    near = set(options[:NEAR])
    free = sorted({child} | {c for c, g, _ in now if g in near})
    groups = sorted(near)
    # what a free child keeps outside these groups: its dagdelen there are fixed, and count towards
    # its week, its days and its one location a day
    outside: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for c, g, d in sorted(now):
        if g not in near:
            outside[c].append((g, d))
    kids = []
    ids = {pr.children[c].id for c in free}
    for c in free:
        ch = pr.children[c]
        most_c = min(ch.dagdelen_per_week, pr.model.products[ch.product].max_dagdelen_per_week)
        kids.append(replace(ch, dagdelen_per_week=max(0, most_c - len(outside[c])),
                            not_with=tuple(o for o in ch.not_with if o in ids)))
    sub = replace(pr.data, groups=tuple(pr.groups[g] for g in groups), children=tuple(kids))
    sp = build_problem(pr.model, sub, pr.rules)
    f = build(sp, rules=EXTEND)
    m = f.model
    to_whole = {(c, g, d): (free[c], groups[g], d) for c, g, d in f.x}
    moves = []
    for key, var in f.x.items():
        on = to_whole[key] in now
        m.AddHint(var, int(on))
        moves.append(1 - var if on else var)
    _keep_outside(pr, f, free, groups, outside)
    _keep_staff_rules(pr, f, groups, roster, now)
    for c, entries in f.by_child.items():
        m.Add(sum(var for _, _, var in entries) >= count[free[c]] - len(outside[free[c]]))
    for (g, d), members in f.by_gd.items():
        if any(to_whole[(c, g, d)] in now for c, _ in members):
            m.Add(sum(var for _, var in members) >= 1)
    placed_here = sum(count[c] - len(outside[c]) for c in free)
    m.Add(f.placed() <= placed_here + most - len(roster.children))
    m.Maximize(MOVE * f.placed() - sum(moves))
    left = seconds if request.deterministic else seconds - (time.perf_counter() - began)
    solver = cpsat_solver(request, left)
    status = interrupt.solve(solver, m)

    def used() -> float:
        return solver.deterministic_time if request.deterministic else time.perf_counter() - began

    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return result, used()
    after = {to_whole[key] for key, var in f.x.items() if solver.Value(var)}
    inside = {x for x in now if x[0] in set(free) and x[1] in near}
    if len(after) <= len(inside):
        return result, used()
    changed_gd = {(g, d) for _, g, d in after ^ inside}
    children = sorted((now - inside) | after)
    new = _staff_changes(pr, roster, children, changed_gd)
    child_rows = tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d]) for c, g, d in children))
    # an optional group a child now sits in is opened (its opening cost is in the recomputed cost)
    opened = set(roster.opened) | {pr.groups[g].id for _, g, _ in children if pr.groups[g].optional}
    candidate = replace(roster, children=child_rows, staff=new.staff, vacancies=new.vacancies,
                        opened=tuple(sorted(opened)))
    if check_roster(pr.model, pr.data, candidate, pr.rules.vacancies, pr.rules.min_contract_use):
        return result, used()  # a rule this step does not model: keep the roster as it was
    return _with_roster(pr, result, candidate, time.perf_counter() - began), used()


def _keep_outside(pr: ProblemData, f: Formulation, free: list[int], groups: list[int],
                  outside: dict[int, list[tuple[int, int]]]) -> None:
    """A free child's fixed dagdelen elsewhere: not twice on a dagdeel, the day's maximum, one location a day."""
    m = f.model
    for c, entries in f.by_child.items():
        there = outside[free[c]]
        if not there:
            continue
        taken = {d for _, d in there}
        per_day = Counter(pr.day_of(d) for _, d in there)
        where = {pr.day_of(d): pr.group_location[g] for g, d in there}
        limit = pr.model.products[pr.children[free[c]].product].max_dagdelen_per_day
        on_day: dict[str, list] = defaultdict(list)
        for g, d, var in entries:
            day = pr.day_of(d)
            if d in taken or (day in where and pr.group_location[groups[g]] != where[day]):
                m.Add(var == 0)
            else:
                on_day[day].append(var)
        for day, vars_ in on_day.items():
            if per_day[day]:
                m.Add(sum(vars_) <= max(0, limit - per_day[day]))


def _keep_staff_rules(pr: ProblemData, f: Formulation, groups: list[int], roster: Roster,
                      now: set[tuple[int, int, int]]) -> None:
    """No product may join where the staff already there would break its rules: a minimum level above
    someone on that group-dagdeel, or an education share or count for a group that did not have it
    this week (its other dagdelen were staffed without it)."""
    m = f.model
    on_duty = _levels_on_duty(pr, roster)
    lowest = {key: min(level_rank(lv) for lv in levels) for key, levels in on_duty.items()}
    staffed = {g for g, _ in on_duty}
    runs = {(g, d, pr.product(c)) for c, g, d in now}
    week = {(g, pr.product(c)) for c, g, _ in now}
    for (g, d, code), run in f.p.items():
        whole = groups[g]
        if (whole, d, code) in runs:
            continue
        edu = pr.model.products[code].education
        low = lowest.get((whole, d))
        if low is not None and level_rank(edu.min_level or "MBO3") > low:
            m.Add(run == 0)
        elif (edu.min_share or edu.min_count) and whole in staffed and (whole, code) not in week:
            m.Add(run == 0)


def _staff_changes(pr: ProblemData, roster: Roster, children: list[tuple[int, int, int]],
                   changed: set[tuple[int, int]]) -> Roster:
    """Staff on the changed group-dagdelen raised to what their children need: the cheapest free
    colleague of the needed level, otherwise a vacancy of that level (repair.py fills it later when
    someone is free)."""
    di, si = pr.ids.dagdeel, pr.ids.staff
    members: dict[tuple[int, int], list[int]] = defaultdict(list)
    for c, g, d in children:
        members[(g, d)].append(c)
    levels = _levels_on_duty(pr, roster)
    state = Staffing(pr)  # the hand planner's pick: the cheapest free colleague, else a vacancy
    for person, _, dagdeel in roster.staff:
        state.busy.add((si[person], di[dagdeel]))
        state.worked[si[person]] += 1
    staff = list(roster.staff)
    for g, d in sorted(changed, key=lambda k: (k[1], k[0])):
        if not members.get((g, d)):
            continue
        need, base, at_least = staff_needs(pr, members[(g, d)])
        need = max(need, _weekly_need(pr, g, d, members, levels))
        top = max([base] + [lv for lv, _ in at_least], key=level_rank)  # never lowers a share
        here = levels[(g, d)]
        chosen: list[int] = []
        while _short(here, need, at_least):
            state.pick(g, d, top, chosen, here)
        for s in chosen:
            state.busy.add((s, d))
            state.worked[s] += 1
            staff.append((pr.staff[s].id, pr.groups[g].id, pr.week[d]))
    vacancies = [(lv, g, d) for _, lv, g, d in (*roster.vacancies, *state.vacancies)]
    ordered = sorted(vacancies, key=lambda v: (di[v[2]], v[1], v[0]))
    return replace(roster, staff=tuple(sorted(staff)), vacancies=number_vacancies(ordered))


def _levels_on_duty(pr: ProblemData, roster: Roster) -> defaultdict[tuple[int, int], list[str]]:
    """Per (group, dagdeel): the levels of the staff and vacancies there."""
    gi, di = pr.ids.group, pr.ids.dagdeel
    level = {s.id: s.education for s in pr.staff}
    out: defaultdict[tuple[int, int], list[str]] = defaultdict(list)
    for person, group, dagdeel in roster.staff:
        out[(gi[group], di[dagdeel])].append(level[person])
    for _, lv, group, dagdeel in roster.vacancies:
        out[(gi[group], di[dagdeel])].append(lv)
    return out


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
    penalty = cents(pr.rules.vacancy_penalty)
    terms = dict(result.terms)
    for name, a, b in (("personeel", old.staff, new.staff), ("vacatures", old.vacancies, new.vacancies),
                       ("specialisten", old.specialists, new.specialists), ("vervoer", old.transport, new.transport),
                       ("groepen", old.groups, new.groups),
                       ("vacaturestraf", penalty * len(result.roster.vacancies), penalty * len(roster.vacancies))):
        if a != b:
            terms[name] = round(terms.get(name, 0.0) + (b - a) / 100, 2)
    delta = new.total - old.total + penalty * (len(roster.vacancies) - len(result.roster.vacancies))
    objective = round(result.objective + delta / 100, 2)
    gap = relative_gap(objective, result.best_bound)
    placed = len(roster.children)
    return replace(result, roster=roster, objective=objective, terms=terms, gap=gap, placed=placed,
                   solve_seconds=result.solve_seconds + seconds,
                   placement_status="OPTIMAL" if placed >= result.placed_bound else result.placement_status)
