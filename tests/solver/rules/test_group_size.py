"""group_size.add on top of placement: rooms, group maxima and minima, mixing, opening and specialist costs."""

from planner.solver.formulation.registry import GROUP_SIZE, PLACEMENT
from tests import builders as b
from tests.solver.rules import kit

A1, A2, DB = "41A00-1", "41A00-2", "DB-LICHT"  # A1 and A2 may mix (model's mix_with); DB mixes with neither
PLAIN = {"group_min": 1, "extra_hours_per_week": {}, "education": {"min_level": "MBO3"}}


def _model(**products):
    return kit.region({A1: {**PLAIN, "group_max": 8}, A2: {**PLAIN, "group_max": 8}, DB: {**PLAIN, "group_max": 10},
                       **products})


def _kids(n, product=A1, prefix="C", when="ma-ochtend"):
    return [b.child(f"{prefix}{i}", product, 1, when) for i in range(n)]


def test_room_capacity():
    """Three children for one dagdeel in a room for 2: 2 placed."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1, capacity=2)], children=_kids(3))
    f = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    assert kit.most(f, f.placed()) == 2


def test_group_max_of_the_only_product():
    """Room for 8, product group maximum 3, five children: 3 placed."""
    pr = kit.problem(_model(**{A1: {**PLAIN, "group_max": 3}}), groups=[b.group("G1", A1)], children=_kids(5))
    f = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    assert kit.most(f, f.placed()) == 3


def test_group_max_holds_when_its_product_is_present():
    """A1 (maximum 8) and A2 (maximum 3) share a room for 8: four A1 children alone give 4; with the A2
    child there the group holds at most 3 in all."""
    model = _model(**{A2: {**PLAIN, "group_max": 3}})
    pr = kit.problem(model, groups=[b.group("G1", f"{A1},{A2}")], children=_kids(4) + _kids(1, A2, "D"))
    f = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    assert kit.most(f, f.placed()) == 4  # the four A1 children; with D0 it would be 3
    g = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    kit.fix(g, 1, kit.x(g, "D0", "G1", "ma-ochtend"))
    assert kit.most(g, g.placed()) == 3  # D0 + 2 of A1


def test_group_min():
    """Dagbesteding licht from 5 children (seed 002 line 399): four children make no group, five do."""
    model = _model(**{DB: {**PLAIN, "group_min": 5, "group_max": 10}})
    four = kit.problem(model, groups=[b.group("G1", DB, capacity=10)], children=_kids(4, DB))
    f = kit.model_of(four, PLACEMENT, GROUP_SIZE)
    assert kit.most(f, f.placed()) == 0
    five = kit.problem(model, groups=[b.group("G1", DB, capacity=10)], children=_kids(5, DB))
    g = kit.model_of(five, PLACEMENT, GROUP_SIZE)
    assert kit.most(g, g.placed()) == 5


def test_products_that_may_not_mix():
    """A1 and DB-LICHT in one group: not on one dagdeel, fine on two."""
    kids = [b.child("C1", A1, 1, "ma-ochtend, di-ochtend"), b.child("C2", DB, 1, "ma-ochtend, di-ochtend")]
    pr = kit.problem(_model(), groups=[b.group("G1", f"{A1},{DB}")], children=kids)
    same = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    kit.fix(same, 1, kit.x(same, "C1", "G1", "ma-ochtend"), kit.x(same, "C2", "G1", "ma-ochtend"))
    assert kit.infeasible(same)
    apart = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    kit.fix(apart, 1, kit.x(apart, "C1", "G1", "ma-ochtend"), kit.x(apart, "C2", "G1", "di-ochtend"))
    assert kit.feasible(apart)


def test_product_runs_exactly_when_one_of_its_children_is_there():
    """p[g, d, k] follows the children: 1 with a child of k there, 0 without."""
    pr = kit.problem(_model(), groups=[b.group("G1", f"{A1},{A2}")], children=_kids(1))
    f = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    g, d = kit.gd(f, "G1", "ma-ochtend")
    kit.fix(f, 1, kit.x(f, "C0", "G1", "ma-ochtend"))
    assert kit.least(f, f.p[(g, d, A1)]) == 1
    assert kit.most(f, f.p[(g, d, A2)]) == 0  # no A2 child may sit there
    empty = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    kit.fix(empty, 0, kit.x(empty, "C0", "G1", "ma-ochtend"))
    assert kit.most(empty, empty.p[(g, d, A1)]) == 0


def test_optional_group_costs_its_opening():
    """An optional group at EUR 250 a week: 25,000 cents once a child sits there, on any number of dagdelen."""
    kid = [b.child("C1", A1, 2, "ma-ochtend, di-ochtend")]
    pr = kit.problem(_model(), groups=[b.group("G1", A1, optional=True, opening_cost_per_week=250.0)], children=kid)
    f = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    kit.fix(f, 1, *f.x.values())
    assert kit.least(f, f.cost()) == 25_000
    closed = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    kit.fix(closed, 0, *closed.x.values())
    assert kit.least(closed, closed.cost()) == 0


def test_specialist_hours_once_a_week_per_group_and_product():
    """2 WO hours a week (EUR 50 an hour) when the product runs: 2 x 50 = EUR 100 = 10,000 cents, charged
    once for two dagdelen, not twice."""
    model = _model(**{A1: {**PLAIN, "group_max": 8, "extra_hours_per_week": {"WO": 2}}})
    pr = kit.problem(model, groups=[b.group("G1", A1)], children=[b.child("C1", A1, 2, "ma-ochtend, di-ochtend")])
    f = kit.model_of(pr, PLACEMENT, GROUP_SIZE)
    kit.fix(f, 1, *f.x.values())
    assert kit.least(f, kit.cost_of(f, "specialisten")) == 10_000
