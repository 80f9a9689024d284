"""Education rules: minimum level, minimum count per group-dagdeel, minimum share over the week."""

from collections import Counter

from ortools.sat.python import cp_model

from planner.solver.formulation import build
from planner.solver.problem import build_problem
from tests import builders as b


def levels(plan):
    edu = {s.id: s.education for s in plan.data.staff}
    return Counter(edu[s] for s, _, _ in plan.result.roster.staff) + \
        Counter(lv for _, lv, _, _ in plan.result.roster.vacancies)


def test_min_level_hbo_for_dagbesteding_zwaar():
    """002 dagbesteding zwaar needs HBO/WO: the cheaper MBO4 colleague is not rostered there."""
    kids = [b.child(f"C{i}", "DB-ZWAAR", 1, "ma-ochtend", age=12) for i in range(2)]
    p = b.plan(b.model("holland-rijnland-2025"),
               b.data(groups=[b.group("G1", "DB-ZWAAR")], staff_=[b.staff("M", "MBO4"), b.staff("H", "HBO")],
                      children=kids))
    assert p.violations == [] and p.placed == 2
    assert [s for s, _, _ in p.result.roster.staff] == ["H"]


def test_min_share_hbo_over_the_week():
    """41A00-2 (zwaartepunt HBO, >= 50% per week): of two staff-dagdelen at least one is HBO."""
    kids = [b.child(f"A{i}", "41A00-2", 1, "ma-ochtend", age=8) for i in range(4)] + \
        [b.child(f"B{i}", "41A00-2", 1, "di-ochtend", age=8) for i in range(4)]
    staff = [b.staff("M1", "MBO3"), b.staff("M2", "MBO3"), b.staff("H1", "HBO")]
    hr = b.model("holland-rijnland-2025")
    p = b.plan(hr, b.data(groups=[b.group("G1", "41A00-2")], staff_=staff, children=kids))
    assert p.violations == [] and p.placed == 8
    assert levels(p) == {"MBO3": 1, "HBO": 1}
    cheap = b.plan(b.model("holland-rijnland-2025", **{"41A00-1": {}}),
                   b.data(groups=[b.group("G1", "41A00-1")], staff_=staff,
                          children=[b.child(k.id, "41A00-1", 1, k.available[0], age=8) for k in kids]))
    assert levels(cheap) == {"MBO3": 2}  # category 1 has no HBO share: the cheap team suffices


def test_min_count_two_hbo_for_groepsbehandeling_plus():
    """004 41K04 needs 2 HBO on the group: two HBO are rostered even for one child."""
    staff = [b.staff("M1", "MBO4"), b.staff("H1", "HBO"), b.staff("H2", "HBO"), b.staff("W1", "WO")]
    p = b.plan(b.model("midden-holland-2025"),
               b.data(groups=[b.group("G1", "41K04")], staff_=staff,
                      children=[b.child("C1", "41K04", 1, "ma-ochtend", age=10)]))
    assert p.violations == [] and levels(p) == {"HBO": 2}


def test_no_vacancy_on_an_empty_dagdeel_to_meet_a_weekly_share():
    """Staff and vacancies only sit where children are: a weekly HBO share cannot be met off-group.

    Regression: an HBO vacancy on an empty dagdeel once balanced an MBO3 vacancy beside a ZO-2
    child in the model, and the checker rejected the roster.
    """
    hr = b.model("holland-rijnland-2025")
    data = b.data(groups=[b.group("G1", "ZO-2", open="ma-ochtend, di-ochtend")],
                  children=[b.child("C1", "ZO-2", 1, "ma-ochtend, di-ochtend", age=8)])
    f = build(build_problem(hr, data, b.settings()))
    f.model.Add(f.x[(0, 0, 0)] == 1)  # the child on ma-ochtend
    f.model.Add(f.v[(0, 0, "MBO3")] == 1)  # an MBO3 vacancy beside it
    f.model.Add(f.v[(0, 2, "HBO")] == 1)  # and an HBO vacancy on the empty di-ochtend (week index 2)
    assert cp_model.CpSolver().Solve(f.model) == cp_model.INFEASIBLE
