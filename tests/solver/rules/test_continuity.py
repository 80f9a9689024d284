"""continuity.add on top of placement (and named staff): the soft wishes, their exact weight in cents."""

from planner.solver.formulation.registry import CONTINUITY, PLACEMENT, STAFF
from tests import builders as b
from tests.solver.rules import kit

A1 = "41A00-1"
TWO_DAYS = "ma-ochtend, di-ochtend"


def _problem(weights, staff=(), **child):
    kid = b.child("C1", A1, 2, TWO_DAYS, **child)
    return kit.problem(kit.region(), groups=[b.group("G1", A1), b.group("G2", A1)], children=[kid], staff=staff,
                       weights=weights)


def test_child_in_one_group_all_week():
    """child_continuity EUR 5 = 500 cents per group a child sits in: one group both days 500, two groups 1,000."""
    pr = _problem({"child_continuity": 5.0})
    same = kit.model_of(pr, PLACEMENT, CONTINUITY)
    kit.fix(same, 1, kit.x(same, "C1", "G1", "ma-ochtend"), kit.x(same, "C1", "G1", "di-ochtend"))
    assert kit.least(same, kit.soft(same)) == 500
    split = kit.model_of(pr, PLACEMENT, CONTINUITY)
    kit.fix(split, 1, kit.x(split, "C1", "G1", "ma-ochtend"), kit.x(split, "C1", "G2", "di-ochtend"))
    assert kit.least(split, kit.soft(split)) == 1_000


def test_same_staff_on_a_group():
    """staff_continuity EUR 1 = 100 cents per group a person works in: two dagdelen in one group 100, in two 200."""
    pr = _problem({"staff_continuity": 1.0}, staff=[b.staff("S1", "HBO", 5)])
    same = kit.model_of(pr, PLACEMENT, STAFF, CONTINUITY)
    kit.fix(same, 1, kit.a(same, "S1", "G1", "ma-ochtend"), kit.a(same, "S1", "G1", "di-ochtend"))
    assert kit.least(same, kit.soft(same)) == 100
    split = kit.model_of(pr, PLACEMENT, STAFF, CONTINUITY)
    kit.fix(split, 1, kit.a(split, "S1", "G1", "ma-ochtend"), kit.a(split, "S1", "G2", "di-ochtend"))
    assert kit.least(split, kit.soft(split)) == 200


def test_fair_spread_prices_the_highest_contract_use():
    """staff_fairness EUR 0.50 = 50 cents per percentage point of the highest use: two dagdelen on one
    person with a contract of 4 is 50 %, 2,500 cents; one each is 25 %, 1,250 cents."""
    pr = _problem({"staff_fairness": 0.5}, staff=[b.staff("S1", "HBO", 4), b.staff("S2", "HBO", 4)])
    one = kit.model_of(pr, PLACEMENT, STAFF, CONTINUITY)
    kit.fix(one, 1, kit.a(one, "S1", "G1", "ma-ochtend"), kit.a(one, "S1", "G1", "di-ochtend"))
    assert kit.least(one, kit.soft(one)) == 2_500
    spread = kit.model_of(pr, PLACEMENT, STAFF, CONTINUITY)
    kit.fix(spread, 1, kit.a(spread, "S1", "G1", "ma-ochtend"), kit.a(spread, "S2", "G1", "di-ochtend"))
    assert kit.least(spread, kit.soft(spread)) == 1_250


def test_a_weight_of_zero_adds_nothing():
    """All weights 0: no soft term at all."""
    pr = _problem({"child_continuity": 0.0, "staff_continuity": 0.0, "staff_fairness": 0.0},
                  staff=[b.staff("S1", "HBO", 5)])
    f = kit.model_of(pr, PLACEMENT, STAFF, CONTINUITY)
    assert f.soft_terms == []
