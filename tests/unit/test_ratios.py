"""Staff-to-child ratios bind, exactly, per dagdeel and averaged over the week."""

from collections import Counter

from tests import builders as b


def staff_on(plan, group_id, dagdeel=None):
    return [s for s, g, d in plan.result.roster.staff if g == group_id and (dagdeel is None or d == dagdeel)] + \
        [v for v, _, g, d in plan.result.roster.vacancies if g == group_id and (dagdeel is None or d == dagdeel)]


def test_vg_gedrag_four_children_need_two_staff():
    """003 VG gedrag, 2.5 per worker: 4 children need 2 staff (4 / 2.5 = 1.6), not 1."""
    kids = [b.child(f"C{i}", "DB-VG-GEDRAG", 1, "ma-ochtend") for i in range(4)]
    staff = [b.staff(f"S{i}", "MBO4") for i in range(3)]
    p = b.plan(b.model(), b.data(groups=[b.group("G1", "DB-VG-GEDRAG", open="ma-ochtend")], staff_=staff,
                                 children=kids))
    assert p.violations == []
    assert p.placed == 4
    assert len(staff_on(p, "G1", "ma-ochtend")) == 2


def test_fifth_child_goes_to_another_group():
    """VG gedrag has at most 4 per group: a fifth child is placed in a second group."""
    kids = [b.child(f"C{i}", "DB-VG-GEDRAG", 1, "ma-ochtend") for i in range(5)]
    groups = [b.group("G1", "DB-VG-GEDRAG", open="ma-ochtend"), b.group("G2", "DB-VG-GEDRAG", open="ma-ochtend")]
    p = b.plan(b.model(), b.data(groups=groups, staff_=[b.staff(f"S{i}", "MBO4") for i in range(4)], children=kids))
    assert p.violations == [] and p.placed == 5
    sizes = Counter(g for _, g, _ in p.result.roster.children)
    assert len(sizes) == 2 and max(sizes.values()) <= 4
    assert len(p.result.roster.staff) == 3  # 4+1 or 3+2 children: 2 + 1 staff either way


def test_weekly_average_ratio():
    """'Gemiddeld 2,5 per begeleider' is averaged over the week: 3 + 3 children need 3 staff-dagdelen, not 4."""
    kids = [b.child(f"A{i}", "DB-VG-GEDRAG", 1, "ma-ochtend") for i in range(3)] + \
        [b.child(f"B{i}", "DB-VG-GEDRAG", 1, "ma-middag") for i in range(3)]
    data = b.data(groups=[b.group("G1", "DB-VG-GEDRAG", open="ma")],
                  staff_=[b.staff(f"S{i}", "MBO4") for i in range(3)], children=kids)
    weekly = b.plan(b.model(), data)
    assert weekly.violations == [] and weekly.placed == 6
    assert len(weekly.result.roster.staff) == 3
    strict = b.plan(b.model(DB_VG_GEDRAG={"ratio_scope": "dagdeel"}), data)
    assert strict.violations == [] and len(strict.result.roster.staff) == 4


def test_two_staff_minimum():
    """004 41A03 (2 medewerkers op 9-10): even one child gets two staff."""
    p = b.plan(b.model("midden-holland-2025"),
               b.data(groups=[b.group("G1", "41A03", open="ma-ochtend")],
                      staff_=[b.staff(f"S{i}", "MBO4") for i in range(3)],
                      children=[b.child("C1", "41A03", 1, "ma-ochtend", age=5)]))
    assert p.violations == [] and len(p.result.roster.staff) == 2


def test_vacancy_when_staff_is_short():
    """Without staff the plan adds a vacancy of the cheapest allowed level and reports it as FTE."""
    p = b.plan(b.model(), b.data(groups=[b.group("G1", "DB-VG-GEDRAG", open="ma-ochtend")],
                                 children=[b.child("C1", "DB-VG-GEDRAG", 1, "ma-ochtend")]))
    assert p.violations == [] and p.placed == 1
    assert [(lv, g) for _, lv, g, _ in p.result.roster.vacancies] == [("MBO4", "G1")]
    assert p.vacancy_dagdelen() == {"MBO4": 1}


def test_vacancies_off_means_waiting_list_with_staff_reason():
    """With vacancies switched off, a child without staff waits, and the reason names the shortage."""
    p = b.plan(b.model(), b.data(groups=[b.group("G1", "DB-VG-GEDRAG", open="ma-ochtend")],
                                 children=[b.child("C1", "DB-VG-GEDRAG", 1, "ma-ochtend")]), vacancies=False)
    assert p.violations == [] and p.placed == 0
    assert p.waitlist[0].reason.startswith("tekort MBO4 op locatie")
