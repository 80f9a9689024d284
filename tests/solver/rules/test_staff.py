"""staff.add (named) and staff.add_by_level (counted per level) on top of placement, nothing else."""

from planner.solver.formulation.registry import PLACEMENT, STAFF, STAFF_BY_LEVEL
from tests import builders as b
from tests.solver.rules import kit

A1 = "41A00-1"
WEEK = "ma-ochtend, di-ochtend, wo-ochtend"


def _model():
    return kit.region({A1: {"education": {"min_level": "MBO3"}, "extra_hours_per_week": {}}})


def test_variables_only_where_a_child_could_be():
    """A person available ma- and di-ochtend, children only ever on ma-ochtend: one variable."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 1, "ma-ochtend")],
                     staff=[b.staff("S1", "HBO", 5, "ma-ochtend, di-ochtend")])
    f = kit.model_of(pr, PLACEMENT, STAFF)
    assert list(f.a) == [(0, 0, pr.week.index("ma-ochtend"))]


def test_one_group_per_dagdeel():
    """Two groups with a child each on ma-ochtend: one person cannot work in both."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1), b.group("G2", A1)],
                     children=[b.child("C1", A1, 1, "ma-ochtend"), b.child("C2", A1, 1, "ma-ochtend")],
                     staff=[b.staff("S1", "HBO", 5)])
    f = kit.model_of(pr, PLACEMENT, STAFF)
    kit.fix(f, 1, kit.a(f, "S1", "G1", "ma-ochtend"), kit.a(f, "S1", "G2", "ma-ochtend"))
    assert kit.infeasible(f)


def test_contract_caps_the_week():
    """Contract 2 dagdelen, three dagdelen with children: at most 2 worked."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 3, WEEK)],
                     staff=[b.staff("S1", "HBO", 2)])
    f = kit.model_of(pr, PLACEMENT, STAFF)
    assert kit.most(f, sum(f.a.values())) == 2


def test_own_wage_above_the_level_costs_the_difference():
    """HBO at EUR 45 an hour against the level's 40: (45 - 40) x 4 hours = EUR 20 = 2,000 cents a
    dagdeel on top (the level's wage is charged by ratios.py); at the level's wage, nothing."""
    pr = kit.problem(_model(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 1, "ma-ochtend")],
                     staff=[b.staff("S1", "HBO", 5, hourly_cost=45.0), b.staff("S2", "HBO", 5)])
    f = kit.model_of(pr, PLACEMENT, STAFF)
    kit.fix(f, 1, kit.a(f, "S1", "G1", "ma-ochtend"), kit.a(f, "S2", "G1", "ma-ochtend"))
    assert kit.least(f, kit.cost_of(f, "personeel")) == 2_000


def _counts(f, group, dagdeel):
    return dict(f.agg_by_gd[kit.gd(f, group, dagdeel)])


def test_counted_per_level_no_more_than_the_people_there():
    """Two HBO (H1 all week, H2 only ma-ochtend, contract 1 each): ma-ochtend up to 2, di-ochtend up to 1,
    and 2 in the week (1 + 1 contract dagdelen)."""
    staff = [b.staff("H1", "HBO", 1), b.staff("H2", "HBO", 1, "ma-ochtend")]
    pr = kit.problem(_model(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 2, WEEK)], staff=staff)
    f = kit.model_of(pr, PLACEMENT, STAFF_BY_LEVEL)
    assert set(_counts(f, "G1", "ma-ochtend")) == {"HBO"}  # no MBO or WO person, no count
    assert kit.most(f, _counts(f, "G1", "ma-ochtend")["HBO"]) == 2
    assert kit.most(f, _counts(f, "G1", "di-ochtend")["HBO"]) == 1
    week = kit.model_of(pr, PLACEMENT, STAFF_BY_LEVEL)
    kit.fix(week, 2, _counts(week, "G1", "ma-ochtend")["HBO"])
    kit.fix(week, 1, _counts(week, "G1", "di-ochtend")["HBO"])
    assert kit.infeasible(week)  # 3 staff-dagdelen against contracts of 1 + 1


def test_counted_per_level_at_the_cheapest_wage():
    """HBO at EUR 36 and 44 an hour: counted at the cheaper, (36 - 40) x 4 = -1,600 cents against the level."""
    staff = [b.staff("H1", "HBO", 5, hourly_cost=36.0), b.staff("H2", "HBO", 5, hourly_cost=44.0)]
    pr = kit.problem(_model(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 1, "ma-ochtend")], staff=staff)
    f = kit.model_of(pr, PLACEMENT, STAFF_BY_LEVEL)
    kit.fix(f, 1, _counts(f, "G1", "ma-ochtend")["HBO"])
    assert kit.least(f, kit.cost_of(f, "personeel")) == -1_600
