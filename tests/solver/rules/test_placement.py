"""placement.add alone: the placement variables and the limits on one child's dagdelen."""

from planner.solver.formulation.registry import PLACEMENT
from tests import builders as b
from tests.solver.rules import kit

A1 = "41A00-1"  # Dagbehandeling A cat. 1; the figures a test relies on are set in the test


def _model(**product):
    return kit.region({A1: {"max_dagdelen_per_day": 2, "max_dagdelen_per_week": 10, **product}})


def test_variables_only_where_the_child_may_sit():
    """A slot exists only in a group offering the product, on a dagdeel the child and group share."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1, open="ma-ochtend, di-ochtend"), b.group("G2", "41A03-1")],
                     children=[b.child("C1", A1, 2, "ma-ochtend, wo-ochtend")])
    f = kit.model_of(pr, PLACEMENT)
    # G1 open ma/di-ochtend, C1 available ma/wo-ochtend: only ma-ochtend; G2 does not offer 41A00-1
    assert sorted(f.x) == [(0, 0, pr.week.index("ma-ochtend"))]


def test_indication_caps_the_week():
    """Three free dagdelen, indication 2: at most 2 placed, all three is infeasible."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1)],
                     children=[b.child("C1", A1, 2, "ma-ochtend, ma-middag, di-ochtend")])
    f = kit.model_of(pr, PLACEMENT)
    assert kit.most(f, f.placed()) == 2  # min(indication 2, week max 10, 3 slots)
    g = kit.model_of(pr, PLACEMENT)
    kit.fix(g, 1, *g.x.values())
    assert kit.infeasible(g)


def test_product_week_maximum_below_the_indication():
    """Indication 5, product maximum 3 per week: 3 placed."""
    pr = kit.problem(_model(max_dagdelen_per_week=3), groups=[b.group("G1", A1)],
                     children=[b.child("C1", A1, 5, "ma-ochtend, di-ochtend, wo-ochtend, do-ochtend, vr-ochtend")])
    f = kit.model_of(pr, PLACEMENT)
    assert kit.most(f, f.placed()) == 3  # min(5, 3)


def test_day_maximum():
    """One dagdeel a day (product): four free dagdelen on two days give 2; both of Monday's, none."""
    pr = kit.problem(_model(max_dagdelen_per_day=1), groups=[b.group("G1", A1)],
                     children=[b.child("C1", A1, 4, "ma-ochtend, ma-middag, di-ochtend, di-middag")])
    f = kit.model_of(pr, PLACEMENT)
    assert kit.most(f, f.placed()) == 2  # 1 per day x 2 days
    g = kit.model_of(pr, PLACEMENT)
    kit.fix(g, 1, kit.x(g, "C1", "G1", "ma-ochtend"), kit.x(g, "C1", "G1", "ma-middag"))
    assert kit.infeasible(g)


def test_one_group_per_dagdeel():
    """Two groups open on the child's one dagdeel, indication 2: 1 placed; in both at once, infeasible."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1), b.group("G2", A1)],
                     children=[b.child("C1", A1, 2, "ma-ochtend")])
    f = kit.model_of(pr, PLACEMENT)
    assert kit.most(f, f.placed()) == 1
    g = kit.model_of(pr, PLACEMENT)
    kit.fix(g, 1, kit.x(g, "C1", "G1", "ma-ochtend"), kit.x(g, "C1", "G2", "ma-ochtend"))
    assert kit.infeasible(g)


def test_not_with_keeps_two_children_apart():
    """C1 may not be with C2 (named on one side only): not in one group on one dagdeel, fine in two groups."""
    kids = [b.child("C1", A1, 1, "ma-ochtend", not_with=("C2",)), b.child("C2", A1, 1, "ma-ochtend")]
    pr = kit.problem(_model(), groups=[b.group("G1", A1), b.group("G2", A1)], children=kids)
    same = kit.model_of(pr, PLACEMENT)
    kit.fix(same, 1, kit.x(same, "C1", "G1", "ma-ochtend"), kit.x(same, "C2", "G1", "ma-ochtend"))
    assert kit.infeasible(same)
    apart = kit.model_of(pr, PLACEMENT)
    kit.fix(apart, 1, kit.x(apart, "C1", "G1", "ma-ochtend"), kit.x(apart, "C2", "G2", "ma-ochtend"))
    assert kit.feasible(apart)
