"""Tools for testing one rule on its own: a region whose wages a person can read, a tiny problem,
a model made of only the rules asked for, and CP-SAT's answer (feasible or not, a least value).

Wages (HOURLY) x 4 hours per dagdeel (the Holland Rijnland model's dagdeel_hours):
MBO3 EUR 120 = 12,000 cents, MBO4 14,000, HBO 16,000, WO 20,000 per dagdeel.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from planner.inputs.catalogue import RegionModel, build_model, model_path, read_model_dict
from planner.solver.formulation import Formulation, Rule, build
from planner.solver.formulation.container import Expr, Var
from planner.solver.problem import ProblemData, build_problem
from planner.solver.replan import PreviousIndex
from tests import builders as b

HOURLY = {"MBO3": 30.0, "MBO4": 35.0, "HBO": 40.0, "WO": 50.0}  # EUR per hour
REGION = "holland-rijnland-2025"


def region(products: dict[str, dict[str, Any]] | None = None) -> RegionModel:
    """The Holland Rijnland model with HOURLY wages and `products` (code -> fields) changed."""
    raw = read_model_dict(model_path(REGION))
    raw["cost"] = {**raw["cost"], "hourly": dict(HOURLY)}
    for code, changes in (products or {}).items():
        raw["products"][code].update(changes)
    return build_model(raw, REGION)


def problem(model: RegionModel, groups=(), children=(), staff=(), locations=None, **settings: Any) -> ProblemData:
    """A problem of hand-made groups, children and staff; `settings` change builders.settings()."""
    return build_problem(model, b.data(locations, groups, staff, children), b.settings(**settings))


def model_of(pr: ProblemData, *rules: Rule, previous: PreviousIndex | None = None) -> Formulation:
    """A formulation made of exactly `rules`, in this order; `previous`: the replanning input, passed
    beside the problem as a solve passes it (replan.PreviousIndex)."""
    return build(pr, rules, previous)


def x(f: Formulation, child: str, group: str, dagdeel: str) -> Var:
    """The placement variable of a child in a group on a dagdeel, by ids."""
    pr = f.problem
    return f.x[(pr.ids.child[child], pr.ids.group[group], pr.ids.dagdeel[dagdeel])]


def a(f: Formulation, person: str, group: str, dagdeel: str) -> Var:
    """The assignment variable of a staff member, by ids."""
    pr = f.problem
    return f.a[(pr.ids.staff[person], pr.ids.group[group], pr.ids.dagdeel[dagdeel])]


def gd(f: Formulation, group: str, dagdeel: str) -> tuple[int, int]:
    """(group, dagdeel) indices, by ids."""
    return f.problem.ids.group[group], f.problem.ids.dagdeel[dagdeel]


def fix(f: Formulation, value: int, *variables: Var) -> None:
    for var in variables:
        f.model.Add(var == value)


def _solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # the same answer on every run
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 30.0  # the models here are solved in milliseconds
    return solver


def status(f: Formulation) -> int:
    """CP-SAT's status for the model as it stands (no objective): FEASIBLE/OPTIMAL or INFEASIBLE."""
    result = _solver().Solve(f.model)
    assert result != cp_model.UNKNOWN, "a tiny model was not decided"
    return result


def feasible(f: Formulation) -> bool:
    return status(f) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def infeasible(f: Formulation) -> bool:
    return status(f) == cp_model.INFEASIBLE


def least(f: Formulation, expr: Expr) -> int:
    """The proven least value of `expr` over the model (it must be feasible)."""
    f.model.Minimize(expr)
    solver = _solver()
    assert solver.Solve(f.model) == cp_model.OPTIMAL
    return int(round(solver.ObjectiveValue()))


def most(f: Formulation, expr: Expr) -> int:
    """The proven greatest value of `expr` over the model (it must be feasible)."""
    return -least(f, -expr)


def soft(f: Formulation) -> Expr:
    """The soft terms' total in cents of weight."""
    return sum(coef * expr for _, coef, expr in f.soft_terms)


def cost_of(f: Formulation, rule: str) -> Expr:
    """The cost terms of one rule name (`vervoer`, `groepen`, ...) in cents."""
    return sum(coef * expr for name, coef, expr in f.cost_terms if name == rule)

