"""A lower bound of the cost from the LP relaxation of the CP-SAT model itself (GLOP).

The cost phase's model (placement held at the placed dagdelen, formulation.hold_placement) is read
from its proto: every variable becomes continuous within its domain's hull; linear rows,
at_most_one, exactly_one and bool_or become LP rows; every other constraint, and every constraint
with an enforcement literal, is left out. Leaving constraints out and relaxing integrality only
enlarge the feasible set, so the LP's optimum is at most the model's optimum: a proven lower bound
of the cost for this placement, available in a fraction of a second on the example and within the
limit for the instances one model is used for. Its weakness: the ratio rows let the LP staff a
fraction of a person; bounds.py adds the rows that round that up per pool.
"""

from __future__ import annotations

import math

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model_helper

HUGE = 1 << 62  # CP-SAT's "unbounded" domain ends


def lp_bound(proto: cp_model_helper.CpModelProto, seconds: float, deterministic: bool) -> int | None:
    """Lower bound (cents, rounded up: the objective's coefficients are whole cents on integers) of the
    minimisation objective of `proto` (0 when it has none); None when GLOP does not prove its optimum
    within `seconds` (GLOP's deterministic time in deterministic mode, wall time otherwise)."""
    if seconds <= 0:
        return None
    if not proto.has_objective():
        return 0  # a constant objective: nothing to pay
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    infinity = solver.infinity()

    def ends(lo: int, hi: int) -> tuple[float, float]:
        return (-infinity if lo <= -HUGE else float(lo), infinity if hi >= HUGE else float(hi))

    xs = []
    for i, var in enumerate(proto.variables):
        domain = list(var.domain)  # (the wrapped proto's fields do not index from the end)
        lo, hi = domain[0], domain[-1]
        xs.append(solver.NumVar(*ends(lo, hi), f"v{i}"))

    def term(ref: int) -> tuple[pywraplp.Variable, float, float]:
        """(variable, coefficient, constant) of a literal: NOT x is 1 - x."""
        return (xs[ref], 1.0, 0.0) if ref >= 0 else (xs[-ref - 1], -1.0, 1.0)

    def integer(ref: int) -> tuple[pywraplp.Variable, float]:
        """In linear expressions a negative reference is the variable negated: -x."""
        return (xs[ref], 1.0) if ref >= 0 else (xs[-ref - 1], -1.0)

    def row(literals: list[int], lo: float, hi: float) -> None:
        constant = sum(term(r)[2] for r in literals)
        ct = solver.RowConstraint(lo - constant, hi - constant, "")
        for r in literals:
            x, coef, _ = term(r)
            ct.SetCoefficient(x, ct.GetCoefficient(x) + coef)

    for c in proto.constraints:
        if len(c.enforcement_literal):
            continue
        if c.has_linear():
            domain = list(c.linear.domain)
            lo, hi = domain[0], domain[-1]
            ct = solver.RowConstraint(*ends(lo, hi), "")
            for v, coef in zip(c.linear.vars, c.linear.coeffs, strict=True):
                x, sign = integer(v)
                ct.SetCoefficient(x, ct.GetCoefficient(x) + sign * coef)
        elif c.has_at_most_one():
            row(list(c.at_most_one.literals), -infinity, 1.0)
        elif c.has_exactly_one():
            row(list(c.exactly_one.literals), 1.0, 1.0)
        elif c.has_bool_or():
            row(list(c.bool_or.literals), 1.0, infinity)
    objective = solver.Objective()
    for v, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        x, sign = integer(v)
        objective.SetCoefficient(x, objective.GetCoefficient(x) + sign * coef)
    objective.SetOffset(objective.offset() + proto.objective.offset)
    objective.SetMinimization()
    if deterministic:
        solver.SetSolverSpecificParametersAsString(f"max_deterministic_time: {seconds}")
    else:
        solver.SetTimeLimit(max(1, int(seconds * 1000)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    scale = proto.objective.scaling_factor or 1.0
    value = objective.Value() * scale
    # floating point: a hair below the LP optimum, then up to whole cents (integral objective)
    return max(0, math.ceil(value - 1e-6 * max(1.0, abs(value))))
