"""contract_use.add on top of placement, group_size and named staff: everyone works their minimum."""

from planner.solver.formulation.registry import CONTRACT_USE, GROUP_SIZE, PLACEMENT, STAFF
from tests import builders as b
from tests.solver.rules import kit

A1 = "41A00-1"
RULES = (PLACEMENT, GROUP_SIZE, STAFF, CONTRACT_USE)


def _problem(share, available=None):
    """One HBO person (contract 5) and one child who can only come on ma-ochtend."""
    return kit.problem(kit.region(), groups=[b.group("G1", A1)],
                       children=[b.child("C1", A1, 1, "ma-ochtend")],
                       staff=[b.staff("S1", "HBO", 5, available)], min_contract_use=share)


def test_minimum_is_held():
    """80 % of a contract of 5: ceil(0.8 x 5) = 4 dagdelen at least, though only ma-ochtend has a child;
    3 in the week is infeasible."""
    f = kit.model_of(_problem(0.8), *RULES)
    assert len(f.a) == 10  # staff.add: ma-ochtend only; contract_use: the other 9 dagdelen of the week
    assert kit.least(f, sum(f.a.values())) == 4
    g = kit.model_of(_problem(0.8), *RULES)
    g.model.Add(sum(g.a.values()) <= 3)
    assert kit.infeasible(g)


def test_idle_dagdelen_cost_the_own_wage():
    """The 3 dagdelen beyond ma-ochtend are idle: 3 x 4 hours x EUR 40 = EUR 480 = 48,000 cents (ma-ochtend's
    level wage is charged by ratios.py, not here)."""
    f = kit.model_of(_problem(0.8), *RULES)
    assert kit.least(f, f.cost()) == 48_000


def test_minimum_capped_at_availability():
    """Available on 2 dagdelen only: the minimum of 4 is capped at 2."""
    f = kit.model_of(_problem(0.8, "ma-ochtend, di-ochtend"), *RULES)
    assert kit.least(f, sum(f.a.values())) == 2


def test_idle_on_an_optional_group_opens_it():
    """An optional group (EUR 250 a week) beside G1 does not count towards what a person could work (it may
    stay closed), but standing there opens it: with S1 held on G2 di-ochtend the least cost is the 3 idle
    dagdelen, 48,000, plus the opening, 25,000: 73,000 cents."""
    pr = kit.problem(kit.region(), groups=[b.group("G1", A1), b.group("G2", A1, optional=True,
                                                                      opening_cost_per_week=250.0)],
                     children=[b.child("C1", A1, 1, "ma-ochtend")], staff=[b.staff("S1", "HBO", 5)],
                     min_contract_use=0.8)
    f = kit.model_of(pr, *RULES)
    assert kit.least(f, f.cost()) == 48_000  # idle on G1, G2 stays closed
    g = kit.model_of(pr, *RULES)
    kit.fix(g, 1, kit.a(g, "S1", "G2", "di-ochtend"))
    assert kit.least(g, g.cost()) == 73_000


def test_off_adds_nothing():
    """min_contract_use 0: the model is that of the other rules alone."""
    with_rule = kit.model_of(_problem(0.0), *RULES)
    without = kit.model_of(_problem(0.0), PLACEMENT, GROUP_SIZE, STAFF)
    assert str(with_rule.model.Proto()) == str(without.model.Proto())
