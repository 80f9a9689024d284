"""Product pools solved one at a time on a relaxation: a lower bound and a roster to start from.

Groups that share products form a pool (`bounds.pools`); a child only ever sits in a group of its
own product, so in one pool. Count staff per level instead of naming them (registry.POOLS, with
staff.add_by_level: per level at the cheapest wage, no more than the people of that level who
could be there) and the pools no longer share anything: each is a small model that CP-SAT
often solves to optimality within a second. Then:

* the sum of the pools' lower bounds is a lower bound of the whole cost: each pool's part of any
  roster is a solution of that pool's relaxation, and the pools' costs add up to the weekly cost; a
  pool's bound is the better of its relaxation's (CP-SAT) and its cost floor at its maximum
  (bounds.cost_floor: the floor per pool knows which children and groups are in it, the whole
  instance's does not);
* the pools' placements, staffed by name afterwards (phases/cpsat.restaff), are a roster the cost
  search starts from; on the example it is better than what the search finds on its own.

The bound holds only when every pool's maximum is proven (then every roster with the most dagdelen
places each pool's maximum), otherwise the relaxation could trade dagdelen between pools. A pool whose
maximum is not proven in time keeps the most it found, never fewer than the hand planner places in it
(the hand planner's roster is its hint), and its cost is still searched: the pools' placement and
roster stay a start for the cost search, with no bound (`Pools.maxima_proven` false, `bound` 0).
Measured (idle, family a M-3, session 7): one pool short of proof after its share made the pools
return nothing, and the cost search started from the greedy staffing (EUR 54,839 against the
pools' EUR 35,934 on M-1 where every pool was proven).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.solver.budget import SHARES
from planner.solver.flow import placement_flow
from planner.solver.formulation import POOLS, bounds, build, hold_placement
from planner.solver.hints import OnRoster, hint_on, roster_on
from planner.solver.problem import ProblemData, build_problem

# run(model, seconds) -> (solver, status, time spent): the caller's solver settings and clock
Runner = Callable[[cp_model.CpModel, float], tuple[cp_model.CpSolver, int, float]]


@dataclass(frozen=True)
class Pools:
    bound: int  # cents per week: a lower bound of the cost at the most dagdelen placed; 0 unless maxima_proven
    x_on: frozenset[tuple[int, int, int]]  # (child, group, dagdeel) in the whole problem's indices
    pools: int
    proven: int  # pools whose relaxation was solved to optimality
    maxima_proven: bool = True  # every pool's maximum placement proven: x_on places the instance's maximum


def solve_pools(problem: ProblemData, placed: int | None, seconds: float, run: Runner,
                floor: Callable[[float], float] = lambda s: s,
                hand: tuple[dict[tuple[int, int], list[int]], set[int]] | None = None) -> Pools | None:
    """Solve each pool's relaxation: most dagdelen placed, then lowest cost.

    `placed`: the placement the caller holds (named staff limit it; vacancies off), None when staff
    cannot limit it (vacancies allowed). `hand`: the hand planner's placement in the whole problem's
    indices ({(group, dagdeel): [child]}, optional groups opened; greedy.place_children), each pool's
    hint and the least it keeps. `floor(s)`: the least a pool's step gets when `s` is asked
    (Budget.floor: lower on a short wall-clock limit).

    Returns None when a pool has no solution in time, or `placed` is given and the pools' maxima are
    not proven or do not add up to it. A pool's maximum not proven in time: its best placement is
    held (Pools.maxima_proven false, no bound)."""
    pr = problem
    parts = []
    for groups, codes in bounds.pools(pr):
        kids = tuple(ch for ch in pr.children if ch.product in codes)
        if kids:
            parts.append(replace(pr.data, groups=tuple(pr.groups[g] for g in sorted(groups)), children=kids))
    child_index, group_index = pr.ids.child, pr.ids.group
    found = sorted((_Pool(build_problem(pr.model, sub, pr.rules)) for sub in parts), key=lambda p: p.size)
    if hand is not None:
        for pool in found:
            pool.hint = _hand_part(pr, pool.problem, hand)
    total = max(1, sum(p.size for p in found))
    spent = 0.0
    # the pools' maxima (proven, or the most found in time), then their cost; each step by size,
    # smallest first, so what a small pool leaves goes to the larger ones
    left, left_size = seconds * SHARES["pools_maxima"], total
    for pool in found:
        used = pool.place(run, max(floor(1.0), left * pool.size / max(1, left_size)))
        spent += used
        left, left_size = max(0.0, left - used), left_size - pool.size
        if pool.most is None or (placed is not None and not pool.most_proven):
            return None  # not even the hint: nothing to hold; or a bound is asked for and there is none
    maxima = all(p.most_proven for p in found)
    if placed is not None and (not maxima or sum(p.most or 0 for p in found) != placed):
        return None  # a bound for `placed` is all the caller asks, and there is none
    left, left_size = max(0.0, seconds * SHARES["pools_cost"] - spent), total
    for pool in found:
        used = pool.improve(run, max(floor(0.5), left * pool.size / max(1, left_size)))
        spent += used
        left, left_size = max(0.0, left - used), left_size - pool.size
    # second round: what is left to the pools not proven, by size, from their best roster; a pool with no
    # roster yet (its cost step found none in its share) first and for at least a second
    open_ = sorted((p for p in found if not p.proven), key=lambda p: p.solution is not None)
    left_size = sum(p.size for p in open_)
    for pool in open_:
        share = max(0.0, seconds - spent) * pool.size / max(1, left_size)
        left_size -= pool.size
        if pool.solution is None:
            share = max(share, floor(1.0))
        if share >= floor(0.5) and share > 0:
            spent += pool.improve(run, share)
    if any(p.solution is None for p in found):
        return None
    x_on = {(child_index[p.problem.children[c].id], group_index[p.problem.groups[g].id], d)
            for p in found for c, g, d in p.x_on()}
    # each pool's part of any roster's cost is at least its relaxation's bound and its own cost floor at
    # its maximum (bounds.cost_floor on the pool: its children, its groups, everyone who may work there)
    bound = sum(max(p.bound, bounds.cost_floor(p.problem, p.most or 0)) for p in found) if maxima else 0
    return Pools(bound, frozenset(x_on), len(found), sum(p.proven for p in found), maxima)


def _hand_part(pr: ProblemData, sub: ProblemData, hand: tuple[dict[tuple[int, int], list[int]], set[int]]
               ) -> OnRoster:
    """The hand planner's roster restricted to the pool `sub` (its children in its groups), in `sub`'s
    indices, staffed as the hand planner staffs: a complete hint of the pool's relaxation."""
    kids, opened = hand
    child, group = sub.ids.child, sub.ids.group
    part: dict[tuple[int, int], list[int]] = {}
    for (g, d), members in kids.items():
        gid = pr.groups[g].id
        if gid in group:
            part[(group[gid], d)] = [child[pr.children[c].id] for c in members if pr.children[c].id in child]
    return roster_on(sub, {k: v for k, v in part.items() if v},
                     {group[pr.groups[g].id] for g in opened if pr.groups[g].id in group})


class _Pool:
    """One pool's relaxation and the best found for it."""

    def __init__(self, problem: ProblemData):
        self.problem = problem
        self.size = sum(len(slots) for slots in problem.child_slots)  # its placement variables
        self.f = build(problem, rules=POOLS)
        self.hint: OnRoster | None = None  # the hand planner's part of the pool (solve_pools' `hand`)
        self.most: int | None = None  # the most dagdelen held: proven (most_proven) or the most found
        self.most_proven = False
        self.start: list[int] | None = None  # the placement step's solution: the cost step's first hint
        self.solution: list[int] | None = None
        self.objective = 0
        self.bound = 0
        self.proven = False

    def place(self, run: Runner, seconds: float) -> float:
        """The most dagdelen: CP-SAT with the pool's maximum flow as a row (flow.py, exact: a placement
        that reaches it is proven at once) from the hand planner's part; what it found when not proven
        in `seconds`, at least the hand planner's count. Returns the time spent."""
        m = self.f.model
        m.Maximize(self.f.placed())
        m.Add(self.f.placed() <= placement_flow(self.problem).placed)
        m.ClearHints()
        if self.hint is not None:
            hint_on(self.f, self.hint)
        solver, status, spent = run(m, seconds)
        m.ClearHints()
        least = len(self.hint[0]) if self.hint is not None else None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and \
                (least is None or int(round(solver.ObjectiveValue())) >= least):
            self.most = int(round(solver.ObjectiveValue()))
            self.most_proven = status == cp_model.OPTIMAL
            self.start = list(solver.ResponseProto().solution)
        elif least is not None:  # nothing better in time: the hand planner's part, hinted again for the cost
            self.most = least
        if self.most is not None:
            hold_placement(self.f, self.most)
            m.Minimize(self.f.cost())
        return spent

    def improve(self, run: Runner, seconds: float) -> float:
        m = self.f.model
        m.ClearHints()
        start = self.solution if self.solution is not None else self.start
        if start is not None:
            for i, value in enumerate(start):
                m.AddHint(m.GetIntVarFromProtoIndex(i), value)
        elif self.hint is not None:
            hint_on(self.f, self.hint)
        solver, status, spent = run(m, seconds)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            objective = int(round(solver.ObjectiveValue()))
            if self.solution is None or objective < self.objective:
                self.solution = list(solver.ResponseProto().solution)
                self.objective = objective
            self.bound = max(self.bound, int(round(solver.BestObjectiveBound())))
            self.proven = self.bound >= self.objective
        return spent

    def x_on(self) -> list[tuple[int, int, int]]:
        assert self.solution is not None
        return [key for key, var in self.f.x.items() if self.solution[var.Index()]]

