"""Product pools solved one at a time on a relaxation: a lower bound and a roster to start from.

Groups that share products form a pool (`bounds.pools`); a child only ever sits in a group of its
own product, so in one pool. Count staff per level instead of naming them (registry.POOLS, with
staff.add_by_level: per level at the cheapest wage, no more than the people of that level who
could be there) and the pools no longer share anything: each is a small model that CP-SAT
often solves to optimality within a second. Then:

* the sum of the pools' lower bounds is a lower bound of the whole cost: each pool's part of any
  roster is a solution of that pool's relaxation, and the pools' costs add up to the weekly cost;
* the pools' placements, staffed by name afterwards (phases/cpsat.restaff), are a roster the cost
  search starts from; on the example it is better than what the search finds on its own.

Only when every pool can reach its own maximum together (the pools' maxima add up to the
placement of phase 1), otherwise the relaxation could trade dagdelen between pools.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.solver.budget import SHARES
from planner.solver.formulation import POOLS, bounds, build, hold_placement
from planner.solver.problem import ProblemData, build_problem

# run(model, seconds) -> (solver, status, time spent): the caller's solver settings and clock
Runner = Callable[[cp_model.CpModel, float], tuple[cp_model.CpSolver, int, float]]


@dataclass(frozen=True)
class Pools:
    bound: int  # cents per week: a lower bound of the cost for the given placement
    x_on: frozenset[tuple[int, int, int]]  # (child, group, dagdeel) in the whole problem's indices
    pools: int
    proven: int  # pools whose relaxation was solved to optimality


def solve_pools(problem: ProblemData, placed: int | None, seconds: float, run: Runner,
                floor: Callable[[float], float] = lambda s: s) -> Pools | None:
    """Solve each pool's relaxation: most dagdelen placed, then lowest cost. None when a pool's
    maximum is not proven in time, or the pools together place more than `placed` (named staff
    limit the placement; None: they cannot, vacancies are allowed). `floor(s)`: the least a pool's
    step gets when `s` is asked (Budget.floor: lower on a short wall-clock limit)."""
    pr = problem
    parts = []
    for groups, codes in bounds.pools(pr):
        kids = tuple(ch for ch in pr.children if ch.product in codes)
        if kids:
            parts.append(replace(pr.data, groups=tuple(pr.groups[g] for g in sorted(groups)), children=kids))
    child_index, group_index = pr.ids.child, pr.ids.group
    found = sorted((_Pool(build_problem(pr.model, sub, pr.rules)) for sub in parts), key=lambda p: p.size)
    total = max(1, sum(p.size for p in found))
    spent = 0.0
    # the pools' maxima (proven, or no pools at all), then their cost; each step by size, smallest
    # first, so what a small pool leaves goes to the larger ones
    left, left_size = seconds * SHARES["pools_maxima"], total
    for pool in found:
        used = pool.place(run, max(floor(1.0), left * pool.size / max(1, left_size)))
        spent += used
        left, left_size = left - used, left_size - pool.size
        if pool.most is None:
            return None  # the pool's maximum is not known: the bound would not hold
    left, left_size = seconds * SHARES["pools_cost"] - spent, total
    for pool in found:
        used = pool.improve(run, max(floor(0.5), left * pool.size / max(1, left_size)))
        spent += used
        left, left_size = left - used, left_size - pool.size
        if pool.solution is None:
            return None
    # second round: what is left to the pools not proven, by size, from their best roster
    open_ = [p for p in found if not p.proven]
    left_size = sum(p.size for p in open_)
    for pool in open_:
        share = max(0.0, seconds - spent) * pool.size / max(1, left_size)
        left_size -= pool.size
        if share >= floor(0.5) and share > 0:
            spent += pool.improve(run, share)
    if placed is not None and sum(p.most or 0 for p in found) != placed:
        return None
    x_on = {(child_index[p.problem.children[c].id], group_index[p.problem.groups[g].id], d)
            for p in found for c, g, d in p.x_on()}
    return Pools(sum(p.bound for p in found), frozenset(x_on), len(found), sum(p.proven for p in found))


class _Pool:
    """One pool's relaxation and the best found for it."""

    def __init__(self, problem: ProblemData):
        self.problem = problem
        self.size = sum(len(slots) for slots in problem.child_slots)  # its placement variables
        self.f = build(problem, rules=POOLS)
        self.most: int | None = None
        self.solution: list[int] | None = None
        self.objective = 0
        self.bound = 0
        self.proven = False

    def place(self, run: Runner, seconds: float) -> float:
        m = self.f.model
        m.Maximize(self.f.placed())
        solver, status, spent = run(m, seconds)
        if status == cp_model.OPTIMAL:
            self.most = int(round(solver.ObjectiveValue()))
            hold_placement(self.f, self.most)
            m.Minimize(self.f.cost())
        return spent

    def improve(self, run: Runner, seconds: float) -> float:
        m = self.f.model
        m.ClearHints()
        if self.solution is not None:
            for i, value in enumerate(self.solution):
                m.AddHint(m.GetIntVarFromProtoIndex(i), value)
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

