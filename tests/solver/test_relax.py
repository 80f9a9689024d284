"""The pools' relaxation (relax.py): its placement is the maximum, its bound is below the optimum."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from ortools.sat.python import cp_model

from planner.solver import relax, solve
from planner.solver.formulation import build, hold_placement
from planner.solver.phases.cpsat import runner
from planner.solver.problem import build_problem
from tests import builders as b
from tests.plan.test_plan import instances


def _optimum(pr) -> tuple[int, int]:
    """Most dagdelen placed and the lowest weekly cost (cents) for it, by CP-SAT on the whole model."""
    f = build(pr)
    f.model.Maximize(f.placed())
    s = cp_model.CpSolver()
    s.parameters.num_workers = 2
    s.parameters.max_time_in_seconds = 20
    assert s.Solve(f.model) == cp_model.OPTIMAL
    most = int(round(s.ObjectiveValue()))
    hold_placement(f, most)
    f.model.Minimize(f.cost())
    status = s.Solve(f.model)
    assume(status == cp_model.OPTIMAL)
    return most, int(round(s.ObjectiveValue()))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_pools_place_the_maximum_and_bound_the_cost(instance):
    data, _ = instance
    config = b.settings(time_limit_s=5, vacancies=True)
    pr = build_problem(b.model(), data, config)
    pooled = relax.solve_pools(pr, None, 5.0, runner(solve.Budget.begin(config, reserve=False)))
    assert pooled is not None  # tiny pools: every maximum is proven
    most, cost = _optimum(pr)
    assert len(pooled.x_on) == most
    assert pooled.bound <= cost

