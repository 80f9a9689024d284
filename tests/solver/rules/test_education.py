"""education.add on top of what it reads: placement, group_size (the product runs), staff and ratios (the counts).

All children are placed by fixing x; the least number of vacancies of a level is what the
education rows demand beyond the ratio.
"""

from planner.solver.formulation.registry import EDUCATION, GROUP_SIZE, PLACEMENT, RATIOS, STAFF
from tests import builders as b
from tests.solver.rules import kit

A1, A2 = "41A00-1", "41A00-2"  # may mix (the model's mix_with)
PLAIN = {"group_min": 1, "group_max": 12, "min_staff": 1, "ratio_scope": "dagdeel", "children_per_staff": 4,
         "extra_hours_per_week": {}, "education": {"min_level": "MBO3"}}
RULES = (PLACEMENT, GROUP_SIZE, STAFF, RATIOS, EDUCATION)


def _model(**education):
    return kit.region({A1: PLAIN, A2: {**PLAIN, "education": {"min_level": "MBO3", **education}}})


def _placed(model, kids, staff=(), **settings):
    pr = kit.problem(model, groups=[b.group("G1", f"{A1},{A2}", capacity=12)], children=kids, staff=staff, **settings)
    f = kit.model_of(pr, *RULES)
    kit.fix(f, 1, *f.x.values())
    return f


def _level(f, level):
    return sum(var for (_, _, lv), var in f.v.items() if lv == level)


def test_min_level_keeps_a_lower_level_off_the_group():
    """A2 needs HBO: where an A2 child sits the MBO4 colleague may not work, where only A1 children sit he may."""
    model = _model(min_level="HBO")
    person = [b.staff("M1", "MBO4", 5)]
    with_a2 = _placed(model, [b.child("C1", A2, 1, "ma-ochtend")], person, vacancies=False)
    kit.fix(with_a2, 1, kit.a(with_a2, "M1", "G1", "ma-ochtend"))
    assert kit.infeasible(with_a2)
    only_a1 = _placed(model, [b.child("C1", A1, 1, "ma-ochtend")], person, vacancies=False)
    kit.fix(only_a1, 1, kit.a(only_a1, "M1", "G1", "ma-ochtend"))
    assert kit.feasible(only_a1)


def test_min_level_holds_for_vacancies_too():
    """With an A2 child there, an MBO4 vacancy is not allowed (the group's A1 would allow one)."""
    f = _placed(_model(min_level="HBO"), [b.child("C1", A2, 1, "ma-ochtend")])
    g, d = kit.gd(f, "G1", "ma-ochtend")
    kit.fix(f, 1, f.v[(g, d, "MBO4")])
    assert kit.infeasible(f)


def test_min_count():
    """Two HBO or higher wherever A2 runs: one child (a quarter of a person by ratio) gets 2 of them."""
    f = _placed(_model(min_count={"HBO": 2}), [b.child("C1", A2, 1, "ma-ochtend")])
    assert kit.least(f, _level(f, "HBO") + _level(f, "WO")) == 2


def test_min_share_per_dagdeel():
    """Half HBO on each dagdeel: 9 children at 1:4 need 3 staff, of whom 2 HBO (3 / 2 = 1.5, rounded up)."""
    kids = [b.child(f"C{i}", A2, 1, "ma-ochtend") for i in range(9)]
    f = _placed(_model(min_share={"HBO": 0.5}, share_scope="dagdeel"), kids, vacancy_levels=("MBO3", "HBO"))
    assert kit.least(f, sum(f.v.values())) == 3
    g = _placed(_model(min_share={"HBO": 0.5}, share_scope="dagdeel"), kids, vacancy_levels=("MBO3", "HBO"))
    assert kit.least(g, _level(g, "HBO")) == 2


def test_min_share_over_the_week():
    """Half HBO over the week ("zwaartepunt HBO", seed 002 line 164): four children on ma-ochtend and four on
    di-ochtend need one staff member each; over the week 1 of the 2 must be HBO, per dagdeel it would be 2."""
    kids = [b.child(f"C{i}", A2, 1, "ma-ochtend") for i in range(4)] + \
        [b.child(f"D{i}", A2, 1, "di-ochtend") for i in range(4)]
    levels = {"vacancy_levels": ("MBO3", "HBO")}
    week = _placed(_model(min_share={"HBO": 0.5}, share_scope="week"), kids, **levels)
    assert kit.least(week, _level(week, "HBO")) == 1
    dagdeel = _placed(_model(min_share={"HBO": 0.5}, share_scope="dagdeel"), kids, **levels)
    assert kit.least(dagdeel, _level(dagdeel, "HBO")) == 2


def test_weekly_share_counts_only_the_dagdelen_the_product_runs():
    """In a mixed group an A1-only dagdeel does not weigh against A2's weekly share: A2 on ma-ochtend (one
    child, one staff) and five A1 children on di-ochtend with two MBO3 need just 1 HBO (1 of 1 on A2's
    dagdelen); were di-ochtend counted, 1 HBO of 3 staff would be below half and 2 would be needed."""
    kids = [b.child("C1", A2, 1, "ma-ochtend")] + [b.child(f"D{i}", A1, 1, "di-ochtend") for i in range(5)]
    f = _placed(_model(min_share={"HBO": 0.5}, share_scope="week"), kids, vacancy_levels=("MBO3", "HBO"))
    kit.fix(f, 2, f.v[(*kit.gd(f, "G1", "di-ochtend"), "MBO3")])
    assert kit.least(f, _level(f, "HBO")) == 1
