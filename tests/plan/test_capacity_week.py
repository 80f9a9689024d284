"""A month of a capacity plan is realisable: its sample week plans with every placeable dagdeel placed."""

from __future__ import annotations

from planner.app.capacity.model import solve_capacity
from planner.app.capacity.run import inputs
from planner.app.capacity.week import check_month, sample_week
from planner.inputs.scenario import load_scenario
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml"


def _example():
    model, dem, start, settings, types, data = inputs(load_scenario(SCENARIO), months=7)
    plan = solve_capacity(model, dem, start, settings, types)
    return model, data, plan


def test_sample_week_follows_the_plan_groups_staff_and_ending_children() -> None:
    model, data, plan = _example()
    for t in (0, 6):
        week = sample_week(model, data, plan, t)
        assert len(week.groups) == plan.groups[t].sum()
        # the week holds every child the demand counts this month (a child there part of the month, fully)
        asked = sum(c.dagdelen_per_week for c in week.children)
        assert asked >= plan.demand.current[t].sum() - 1e-6
        staff_dd = sum(s.dagdelen_per_week for s in week.staff)
        assert staff_dd >= plan.staff_dd[t].sum() - 1e-6  # the plan's staff-dagdelen are there as people
    assert sum(c.dagdelen_per_week for c in sample_week(model, data, plan, 6).children) < \
        sum(c.dagdelen_per_week for c in sample_week(model, data, plan, 0).children)


def test_a_month_of_the_example_is_realisable_as_a_week_roster() -> None:
    model, data, plan = _example()
    check = check_month(model, data, plan, 3, time_limit_s=15)
    assert check.violations == 0
    assert check.requested > 0 and check.placed >= check.placeable > 0, check.waiting
    assert check.realisable
