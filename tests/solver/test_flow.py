"""The placement bound (flow.py): no roster places more, and where seats are short it binds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from planner.app.plan import make_plan_from
from planner.solver.flow import placement_flow
from planner.solver.problem import build_problem, possible_dagdelen
from tests import builders as b
from tests.plan.test_plan import instances


def test_seats_bound_the_placement():
    """Six children want ma-ochtend in one group of 4 seats: the flow and the plan both say 4,
    while each child alone could have its dagdeel (6)."""
    data = b.data(groups=[b.group("G1", "DB-VG-GEDRAG", capacity=4, open="ma-ochtend")],
                  staff_=[b.staff("S1", "HBO"), b.staff("S2", "HBO")],
                  children=[b.child(f"C{i}", "DB-VG-GEDRAG", 1, "ma-ochtend", transport="eigen", age=9)
                            for i in range(6)])
    pr = build_problem(b.model(), data, b.settings())
    flow = placement_flow(pr)
    assert sum(possible_dagdelen(pr, c) for c in range(6)) == 6
    assert flow.placed == 4 and sum(sum(w.values()) for w in flow.where.values()) == 4
    plan = make_plan_from(b.model(), data, b.settings(time_limit_s=3))
    assert plan.violations == [] and plan.placed == 4


def test_flow_prefers_the_nearer_location():
    """Two locations with room: every child's dagdelen go to the one nearer home."""
    near, far = b.loc("L1"), b.loc("L2", lat=52.25, lon=4.60)
    data = b.data(locations=[near, far],
                  groups=[b.group("G1", "DB-VG-GEDRAG", capacity=4, location="L1"),
                          b.group("G2", "DB-VG-GEDRAG", capacity=4, location="L2")],
                  children=[b.child(f"C{i}", "DB-VG-GEDRAG", 2, transport="eigen", age=9) for i in range(3)])
    flow = placement_flow(build_problem(b.model(), data, b.settings()))
    assert flow.placed == 6 and all(set(w) == {0} for w in flow.where.values())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_no_roster_places_more_than_the_flow(instance):
    data, vacancies = instance
    plan = make_plan_from(b.model(), data, b.settings(time_limit_s=1, vacancies=vacancies))
    assert plan.violations == []
    assert plan.placed <= placement_flow(plan.problem).placed
