"""ratios.add on top of placement and group_size (and named staff where a test says so).

Staff needed is counted in persons per dagdeel; the children here are all placed by fixing x, so
the least number of vacancies (or the least cost) is what the ratio rows alone demand.
"""

from planner.solver.formulation.registry import GROUP_SIZE, PLACEMENT, RATIOS, STAFF
from tests import builders as b
from tests.solver.rules import kit

A1 = "41A00-1"
PLAIN = {"group_min": 1, "group_max": 12, "min_staff": 1, "ratio_scope": "dagdeel", "extra_hours_per_week": {},
         "education": {"min_level": "MBO3"}}
HBO_ONLY = {"vacancy_levels": ("HBO",)}


def _model(**product):
    return kit.region({A1: {**PLAIN, "children_per_staff": 4, **product}})


def _placed(model, n, when="ma-ochtend", staff=(), **settings):
    """n children of A1 on `when`, all placed, in one group for 12."""
    kids = [b.child(f"C{i}", A1, 1, when) for i in range(n)]
    pr = kit.problem(model, groups=[b.group("G1", A1, capacity=12)], children=kids, staff=staff, **settings)
    rules = (PLACEMENT, GROUP_SIZE, STAFF, RATIOS) if staff else (PLACEMENT, GROUP_SIZE, RATIOS)
    f = kit.model_of(pr, *rules)
    kit.fix(f, 1, *f.x.values())
    return f


def test_one_to_four():
    """1:4 (seed 002 line 162): 4 children need 1 staff member, 5 need 2 (5/4 rounded up)."""
    four = _placed(_model(), 4, **HBO_ONLY)
    assert kit.least(four, sum(four.v.values())) == 1
    five = _placed(_model(), 5, **HBO_ONLY)
    assert kit.least(five, sum(five.v.values())) == 2


def test_ratio_stays_exact():
    """2.5 children per staff member: 5 children need exactly 2, 6 need 3 (6 / 2.5 = 2.4, rounded up)."""
    five = _placed(_model(children_per_staff=2.5), 5, **HBO_ONLY)
    assert kit.least(five, sum(five.v.values())) == 2
    six = _placed(_model(children_per_staff=2.5), 6, **HBO_ONLY)
    assert kit.least(six, sum(six.v.values())) == 3


def test_min_staff_above_the_ratio():
    """min_staff 2: one child (a quarter of a person by ratio) still gets 2."""
    f = _placed(_model(min_staff=2), 1, **HBO_ONLY)
    assert kit.least(f, sum(f.v.values())) == 2


def test_weekly_ratio_counts_over_the_week():
    """1:4 as a week average: 5 children ma-ochtend + 3 di-ochtend need (5 + 3) / 4 = 2 staff-dagdelen in the
    week (one each dagdeel by min_staff); per dagdeel it would be 2 + 1 = 3."""
    def week_of(scope):
        kids = [b.child(f"C{i}", A1, 1, "ma-ochtend") for i in range(5)] + \
            [b.child(f"D{i}", A1, 1, "di-ochtend") for i in range(3)]
        pr = kit.problem(_model(ratio_scope=scope), groups=[b.group("G1", A1, capacity=12)], children=kids, **HBO_ONLY)
        f = kit.model_of(pr, PLACEMENT, GROUP_SIZE, RATIOS)
        kit.fix(f, 1, *f.x.values())
        return kit.least(f, sum(f.v.values()))

    assert week_of("week") == 2
    assert week_of("dagdeel") == 3


def test_named_staff_count_and_nobody_on_an_empty_group():
    """Vacancies off, one person: 4 children are covered, 5 are not; with no child there the person may not work."""
    person = [b.staff("S1", "HBO", 5)]
    assert kit.feasible(_placed(_model(), 4, staff=person, vacancies=False))
    assert kit.infeasible(_placed(_model(), 5, staff=person, vacancies=False))
    pr = kit.problem(_model(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 1, "ma-ochtend")],
                     staff=person, vacancies=False)
    f = kit.model_of(pr, PLACEMENT, GROUP_SIZE, STAFF, RATIOS)
    kit.fix(f, 0, kit.x(f, "C1", "G1", "ma-ochtend"))
    kit.fix(f, 1, kit.a(f, "S1", "G1", "ma-ochtend"))
    assert kit.infeasible(f)


def test_cost_of_own_staff_and_of_a_vacancy():
    """Four children, one HBO needed: own HBO costs the level's wage, 4 x 40 = EUR 160 = 16,000 cents; a
    vacancy costs the same wage plus the penalty, 16,000 + 150 x 100 = 31,000 cents."""
    own = _placed(_model(), 4, staff=[b.staff("S1", "HBO", 5)], vacancy_penalty=150.0, **HBO_ONLY)
    assert kit.least(own, own.cost()) == 16_000
    hired = _placed(_model(), 4, vacancy_penalty=150.0, **HBO_ONLY)
    assert kit.least(hired, hired.cost()) == 31_000
    # the vacancy's wage is charged as `vacatures`, not twice as `personeel`
    kit.fix(hired, 1, *hired.v.values())
    assert kit.least(hired, kit.cost_of(hired, "personeel")) == 0
