"""What every solve promises (issue 16): never worse than the hand planner, always a proven bound.

Over random small instances (tests/test_plan.instances), deterministic mode, short limits, and
with a budget that has already run out (the timeout case).
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, assume, given, settings
from ortools.sat.python import cp_model

from planner.app.plan import make_plan_from
from planner.app.summary import summary
from planner.inputs.scenario import load_inputs, load_scenario
from planner.solver.budget import Budget, Interrupt
from planner.solver.formulation import bounds, build, hold_placement
from planner.solver.lpbound import lp_bound
from planner.solver.price import price
from planner.solver.problem import build_problem
from planner.solver.solve import hand_roster, solve
from planner.verify.check import check_roster
from tests import builders as b
from tests.conftest import EXAMPLE
from tests.plan.test_plan import instances
from tests.solver.test_decompose import cluster_instance


def _optimum(pr) -> tuple[int, int] | None:
    """(most dagdelen placed, lowest weekly cost in cents for it), proven by CP-SAT; None if not proven."""
    f = build(pr)
    f.model.Maximize(f.placed())
    s = cp_model.CpSolver()
    s.parameters.num_workers = 2
    s.parameters.max_deterministic_time = 20
    if s.Solve(f.model) != cp_model.OPTIMAL:
        return None
    most = int(round(s.ObjectiveValue()))
    hold_placement(f, most)
    f.model.Minimize(f.cost())
    if s.Solve(f.model) != cp_model.OPTIMAL:
        return None
    return most, int(round(s.ObjectiveValue()))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_never_worse_than_the_hand_planner(instance):
    """Every result places at least as many dagdelen as the hand planner and, at equal placement, costs
    no more; also when the budget has run out before the solve."""
    data, vacancies = instance
    model = b.model()
    config = b.settings(time_limit_s=1, vacancies=vacancies)
    pr = build_problem(model, data, config)
    hand = hand_roster(pr, Budget.begin(config))
    plan = make_plan_from(model, data, config)
    assert plan.violations == []
    wall = b.settings(time_limit_s=1, vacancies=vacancies, deterministic=False)
    spent = solve(build_problem(model, data, wall), None,
                  Budget.begin(wall, Interrupt(), start=time.perf_counter() - 100))
    for result in (plan.result, spent):
        assert check_roster(model, data, result.roster, vacancies) == []
        if hand is not None:
            mine, theirs = price(pr, result.roster), price(pr, hand)
            assert mine.placed >= theirs.placed
            assert mine.placed > theirs.placed or mine.cost <= theirs.cost


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_solve_has_a_proven_bound(instance):
    """The reported bound is above zero whenever something is placed, never above the cost, and never
    above the proven optimum for that placement; the LP relaxation and the staff floor on their own too;
    also for a solve whose wall-clock budget ran out."""
    data, vacancies = instance
    model = b.model()
    config = b.settings(time_limit_s=1, vacancies=vacancies)
    pr = build_problem(model, data, config)
    plan = make_plan_from(model, data, config)
    wall = b.settings(time_limit_s=1, vacancies=vacancies, deterministic=False)
    late = solve(build_problem(model, data, wall), None,
                 Budget.begin(wall, Interrupt(), start=time.perf_counter() - 100))
    for r in (plan.result, late):
        if r.placed and r.objective:
            assert 0 < r.best_bound <= r.objective
            assert abs(r.gap - (r.objective - r.best_bound) / r.objective) < 1e-9
    best = _optimum(pr)
    assume(best is not None)
    assert best is not None
    most, cost = best
    if plan.result.placed == most:
        assert plan.result.best_bound <= cost / 100 + 1e-9
    assert bounds.cost_floor(pr, most) <= cost
    f = build(pr)
    hold_placement(f, most)
    f.model.Minimize(f.cost())
    lp = lp_bound(f.model.Proto(), 10.0, True)
    assert lp is not None and lp <= cost


def test_example_bound_with_no_time_left():
    """The example with its budget spent before the solve: the hand planner's roster, and still a bound
    above zero (the staff floor) and below its cost."""
    sc = load_scenario(EXAMPLE)
    model, data = load_inputs(sc)
    pr = build_problem(model, data, sc.solve)
    r = solve(pr, None, Budget.begin(sc.solve, Interrupt(), start=time.perf_counter() - 100))
    assert r.bound_source == "kostenvloer" and 0 < r.best_bound < r.objective
    assert r.placed == r.hand_placed and r.objective == r.hand_cost


def test_decomposed_solve_has_both_bounds_and_beats_the_hand_planner():
    """A decomposed solve reports the clusters' bound (for the divided problem) and, labelled apart, a bound
    for the undivided instance; both above zero and at most the cost; never worse than the hand planner."""
    model, data = cluster_instance()
    plan = b.plan(model, data, decompose="ja", cluster_size=2, time_limit_s=3)
    r = plan.result
    assert plan.violations == [] and r.clusters == 2
    assert r.bound_source in ("clusters", "kostenvloer")
    assert r.whole_bound is not None and 0 < r.whole_bound <= r.objective
    assert 0 < r.best_bound <= r.objective
    hand = hand_roster(plan.problem)
    assert hand is not None
    assert (r.placed, -r.objective) >= (price(plan.problem, hand).placed, -price(plan.problem, hand).cost / 100)

    s = summary(plan)
    assert s["best_bound_source"] == r.bound_source and s["best_bound_undivided"] == round(r.whole_bound, 2)
