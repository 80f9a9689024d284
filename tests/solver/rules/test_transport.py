"""transport.add on top of placement: one location a day, paid transport per attendance day."""

from planner.solver.formulation.registry import PLACEMENT, TRANSPORT
from tests import builders as b
from tests.solver.rules import kit

A1 = "41A00-1"  # transport_eligible in the Holland Rijnland model (seed 002 line 419)
TWO_SITES = [b.loc("L1"), b.loc("L2", lat=b.LEIDEN[0] + 0.02)]  # both within 5 km of the children


def _model():
    return kit.region({A1: {"max_dagdelen_per_day": 2}})


def test_one_location_a_day():
    """Groups at two sites: Monday morning at one and afternoon at the other is not allowed, both at one is."""
    kid = [b.child("C1", A1, 2, "ma-ochtend, ma-middag")]
    groups = [b.group("G1", A1, location="L1"), b.group("G2", A1, location="L2")]
    pr = kit.problem(_model(), groups=groups, children=kid, locations=TWO_SITES)
    split = kit.model_of(pr, PLACEMENT, TRANSPORT)
    kit.fix(split, 1, kit.x(split, "C1", "G1", "ma-ochtend"), kit.x(split, "C1", "G2", "ma-middag"))
    assert kit.infeasible(split)
    one_site = kit.model_of(pr, PLACEMENT, TRANSPORT)
    kit.fix(one_site, 1, kit.x(one_site, "C1", "G1", "ma-ochtend"), kit.x(one_site, "C1", "G1", "ma-middag"))
    assert kit.feasible(one_site)


def test_paid_transport_per_attendance_day():
    """Group transport under 5 km is band 1, category 1: EUR 18.40 a day (seed 002 lines 471-490, billed per
    day). Three dagdelen on two days (ma-ochtend, ma-middag, di-ochtend) cost 2 x 1,840 = 3,680 cents."""
    kid = [b.child("C1", A1, 3, "ma-ochtend, ma-middag, di-ochtend", transport="groep")]
    pr = kit.problem(_model(), groups=[b.group("G1", A1)], children=kid)
    assert pr.trips[0][0].cost_per_day == 1_840  # the price table as ProblemData has it
    f = kit.model_of(pr, PLACEMENT, TRANSPORT)
    kit.fix(f, 1, *f.x.values())
    assert kit.least(f, kit.cost_of(f, "vervoer")) == 3_680
    nothing = kit.model_of(pr, PLACEMENT, TRANSPORT)
    kit.fix(nothing, 0, *nothing.x.values())
    assert kit.least(nothing, kit.cost_of(nothing, "vervoer")) == 0


def test_own_transport_to_one_site_adds_nothing():
    """Own transport and groups at one site only: no attendance variable, no cost."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 2, "ma-ochtend, di-ochtend")])
    f = kit.model_of(pr, PLACEMENT, TRANSPORT)
    assert f.attend == {} and f.cost_terms == []


def test_own_transport_still_one_site_a_day():
    """Own transport with groups at two sites: still no change of site within a day."""
    kid = [b.child("C1", A1, 2, "ma-ochtend, ma-middag")]
    groups = [b.group("G1", A1, location="L1"), b.group("G2", A1, location="L2")]
    pr = kit.problem(_model(), groups=groups, children=kid, locations=TWO_SITES)
    f = kit.model_of(pr, PLACEMENT, TRANSPORT)
    kit.fix(f, 1, kit.x(f, "C1", "G1", "ma-ochtend"), kit.x(f, "C1", "G2", "ma-middag"))
    assert kit.infeasible(f)
