"""CP-SAT helpers the phases share: run a phase's search on the budget, staff a placement, hints, values."""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.core.roster import Roster, number_vacancies
from planner.solver import lns, relax
from planner.solver.budget import Budget, Interrupt
from planner.solver.formulation import Formulation
from planner.solver.greedy import place_children
from planner.solver.hints import OnRoster, hint_on, roster_on
from planner.solver.phases import Progress
from planner.solver.problem import ProblemData

OK = (cp_model.OPTIMAL, cp_model.FEASIBLE)
STATUS = {
    cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN",
}


class Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, phase: str, start: float, report: Callable[[Progress], None] | None, scale: float):
        super().__init__()
        self.phase, self.start, self.report, self.scale = phase, start, report, scale
        self.first: float | None = None
        self.interrupt: Interrupt | None = None
        self.floor = 0.0  # a bound already proven elsewhere (the pools'): never report less

    def on_solution_callback(self) -> None:
        if self.interrupt is not None and self.interrupt.hit:
            self.StopSearch()
            return
        now = time.perf_counter() - self.start
        if self.first is None:
            self.first = now
        if self.report:
            self.report(Progress(self.phase, now, self.ObjectiveValue() / self.scale,
                                 max(self.floor, self.BestObjectiveBound() / self.scale)))


def runner(budget: Budget) -> relax.Runner:
    """Solve a side model (relax.py) with the plan's settings, on the plan's clock."""
    def run(model: cp_model.CpModel, seconds: float) -> tuple[cp_model.CpSolver, int, float]:
        solver = budget.solver(budget.seconds(seconds, 0.5))
        before = budget.spent
        status = budget.run(solver, model)
        return solver, status, budget.spent - before
    return run


def extract(f: Formulation, values: dict[int, int]) -> Roster:
    pr = f.problem

    def on(var: cp_model.IntVar) -> int:
        return values[var.Index()]

    children = tuple(sorted((pr.children[c].id, pr.groups[g].id, pr.week[d])
                            for (c, g, d), var in f.x.items() if on(var)))
    staff = tuple(sorted((pr.staff[s].id, pr.groups[g].id, pr.week[d])
                         for (s, g, d), var in f.a.items() if on(var)))
    in_order = sorted(f.v.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]))  # dagdeel, group, level
    vacancies = number_vacancies((lv, pr.groups[g].id, pr.week[d]) for (g, d, lv), var in in_order
                                 for _ in range(on(var)))
    opened = tuple(sorted(pr.groups[g].id for g, var in f.opened.items() if on(var)))
    return Roster(children, staff, vacancies, opened)


def evaluate(expr: cp_model.LinearExprT, values: dict[int, int]) -> int:
    if isinstance(expr, int):
        return expr
    if hasattr(expr, "Index") and expr.Index() in values:
        return values[expr.Index()]
    raise KeyError(expr)


def run(f: Formulation, phase: str, seconds: float, budget: Budget, report: Callable[[Progress], None] | None,
         scale: float, floor: float = 0.0, owed: bool = False) -> tuple[cp_model.CpSolver, int, Watcher]:
    """CP-SAT on the formulation's model for `seconds` (at least half a second in deterministic mode);
    `owed`: `seconds` also past the deadline (Budget.owed)."""
    solver = budget.owed(seconds) if owed else budget.solver(budget.seconds(seconds, 0.5))
    watch = Watcher(phase, budget.start, report, scale)
    watch.floor = floor
    watch.interrupt = budget.interrupt
    status = budget.run(solver, f.model, watch, owed)
    return solver, status, watch


def restaff(f: Formulation, placed: dict[int, int], dtime: float, budget: Budget,
             force: bool = False) -> tuple[dict[int, int], int] | None:
    """Keep the placement's children where they are; staff them as the hand planner would, then let
    CP-SAT find the cheapest staffing from there. None when that fails (e.g. vacancies off and staff
    short).

    The hint is the whole roster (staff, vacancies and every derived variable), so CP-SAT starts from
    it instead of searching for a first staffing (M on a wall clock: none found in 1.5 s). When CP-SAT
    still returns nothing in time, the greedy staffing itself, completed with every main variable
    fixed (`complete`), is the roster: a placement staffed is never lost for lack of time."""
    pr = f.problem
    kids = kids_of(f, placed)
    sub = f.model.Clone()
    sub.ClearHints()
    for var in f.x.values():
        sub.Add(sub.GetBoolVarFromProtoIndex(var.Index()) == placed[var.Index()])
    staffed = None
    if f.previous is not None:  # replanning: last week's staff where they still fit, CP-SAT repairs the rest
        for staff_key, var in f.a.items():
            sub.AddHint(sub.GetBoolVarFromProtoIndex(var.Index()), int(staff_key in f.previous.a_on))
        for var in f.v.values():
            sub.AddHint(sub.GetIntVarFromProtoIndex(var.Index()), 0)
    else:
        staffed = roster_on(pr, kids, {g for g, _ in kids if pr.groups[g].optional})
        hint_on(f, staffed, sub)
    if force:  # after Ctrl-C: a roster is still owed, within a few seconds
        solver = budget.solver(budget.seconds(dtime, 0.5))
        solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds or 3.0, 3.0)
        status = solver.Solve(sub)
        budget.ticks += solver.deterministic_time
    else:
        solver = budget.solver(budget.seconds(dtime, 0.5))
        status = budget.run(solver, sub)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if staffed is None or budget.expired():
            return None
        return complete(f, staffed, dtime, budget)
    values = {v.Index(): solver.Value(sub.GetIntVarFromProtoIndex(v.Index())) for v in lns.decision_vars(f)}
    return values, int(round(solver.ObjectiveValue()))


def kids_of(f: Formulation, placed: dict[int, int]) -> dict[tuple[int, int], list[int]]:
    """The children per (group, dagdeel) of placement values (by variable index)."""
    kids: dict[tuple[int, int], list[int]] = {}
    for (c, g, d), var in f.x.items():
        if placed[var.Index()]:
            kids.setdefault((g, d), []).append(c)
    return kids


def greedy_on(pr: ProblemData) -> OnRoster:
    """The hand planner's roster (greedy.py) in index space (OnRoster)."""
    kids, opened = place_children(pr)
    return roster_on(pr, kids, opened)


def hint_greedy(f: Formulation, model: cp_model.CpModel | None = None) -> None:
    """Hint every main variable of `model` (default: the formulation's) with the hand planner's roster
    (placement, staff, vacancies, derived); `model` a clone of the formulation's model."""
    hint_on(f, greedy_on(f.problem), model)


def hand_values(f: Formulation, seconds: float, budget: Budget) -> tuple[dict[int, int], int] | None:
    """The hand planner's roster as a full CP-SAT solution of the formulation's current model (`complete`).
    None when the model refuses it (e.g. it places fewer than the held placement) or no time is left."""
    return complete(f, greedy_on(f.problem), seconds, budget)


def complete(f: Formulation, roster: OnRoster, seconds: float, budget: Budget) -> tuple[dict[int, int], int] | None:
    """`roster` as a full CP-SAT solution of the formulation's current model (every variable
    lns.decision_vars reads, by index) and its objective in the model's units (cents for the cost
    phase): its placement, staff and vacancies fixed, the derived variables found by CP-SAT (one
    worker, `seconds` at most). A hint and a start for the search (cost phase, LNS) that is feasible
    by construction. None when the model refuses it or no time is left."""
    got = complete_full(f, roster, seconds, budget)
    return None if got is None else got[:2]


def complete_full(f: Formulation, roster: OnRoster, seconds: float, budget: Budget
                  ) -> tuple[dict[int, int], int, list[int]] | None:
    """`complete`, and the value of every variable of the model (by index): a complete hint, which
    CP-SAT takes as its first solution (a hint of the main variables only it often left: restaffing
    an M placement returned EUR 60,385 from a hint worth EUR 55,405, loaded machine)."""
    x_on, a_on, vac, _, _, _, _ = roster
    sub = f.model.Clone()
    sub.ClearHints()
    for table, on in ((f.x, x_on), (f.a, a_on)):
        for key, v in table.items():
            sub.Add(sub.GetBoolVarFromProtoIndex(v.Index()) == int(key in on))
    for vkey, v in f.v.items():
        sub.Add(sub.GetIntVarFromProtoIndex(v.Index()) == vac.get(vkey, 0))
    hint_on(f, roster, sub)
    solver = budget.solver(budget.seconds(seconds, 0.5), workers=1)
    status = budget.run(solver, sub)
    if status not in OK:
        return None
    values = {v.Index(): solver.Value(sub.GetIntVarFromProtoIndex(v.Index())) for v in lns.decision_vars(f)}
    return values, int(round(solver.ObjectiveValue())), list(solver.ResponseProto().solution)


def hint_full(f: Formulation, solution: list[int]) -> None:
    """Hint every variable of the formulation's model with `solution` (complete_full)."""
    m = f.model
    m.ClearHints()
    for i, value in enumerate(solution):
        m.AddHint(m.GetIntVarFromProtoIndex(i), value)


def hint_previous(f: Formulation) -> None:
    """Hint placement and staff with the previous roster (what of it is still allowed)."""
    prev = f.previous
    assert prev is not None
    for table, on in ((f.x, prev.x_on), (f.a, prev.a_on)):
        for key, var in table.items():
            f.model.AddHint(var, int(key in on))


def values_of(f: Formulation, solver: cp_model.CpSolver) -> dict[int, int]:
    return {v.Index(): solver.Value(v) for v in lns.decision_vars(f)}


def hint_values(f: Formulation, values: dict[int, int]) -> None:
    for var in lns.decision_vars(f):
        f.model.AddHint(var, values[var.Index()])


def placement_values(f: Formulation, on: frozenset[tuple[int, int, int]]) -> dict[int, int]:
    """Placement values (by variable index) of the children's assignments `on`."""
    return {var.Index(): int(key in on) for key, var in f.x.items()}

