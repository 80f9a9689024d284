"""Product rules the models misread (issue 19): Midden-Holland 41A03 'tenminste één' MBO4, KDC mixed groups."""

from __future__ import annotations

from tests import builders as b

MH = b.model("midden-holland-2025")


def test_41a03_needs_one_mbo4_not_all():
    """004:3698: at least one of the staff on a 41A03 group is MBO4; an MBO3 colleague may work beside them."""
    kids = [b.child(f"C{i}", "41A03", 2, age=5, available="ma") for i in range(10)]
    staff = [b.staff("S1", "MBO4", 2, available="ma"), b.staff("S2", "MBO3", 2, available="ma")]
    p = b.plan(MH, b.data(groups=[b.group("G1", "41A03", capacity=10)], staff_=staff, children=kids))
    assert p.violations == [] and p.placed == 20
    assert {s for s, _, _ in p.result.roster.staff} == {"S1", "S2"}
    assert MH.products["41A03"].education.min_count == {"MBO4": 1}


def test_kdc_dagbesteding_counts_at_one_in_four():
    """004:3883: dagbesteding in a KDC group counts at 1:4 (41A22-KDC); 41A22 outside the KDC (1:6) does not mix."""
    assert MH.may_mix("41A22-KDC", "41K03") and not MH.may_mix("41A22", "41K03")
    assert MH.products["41A22-KDC"].ratio == 4
    kids = [b.child(f"K{i}", "41K03", 1, age=6, available="ma-ochtend") for i in range(4)]
    kids += [b.child(f"D{i}", "41A22-KDC", 1, age=6, available="ma-ochtend") for i in range(4)]
    staff = [b.staff("S1", "MBO4", 1, available="ma-ochtend"), b.staff("S2", "MBO4", 1, available="ma-ochtend")]
    p = b.plan(MH, b.data(groups=[b.group("G1", "41K03, 41A22-KDC", capacity=8, open="ma-ochtend")],
                          staff_=staff, children=kids))
    assert p.violations == [] and p.placed == 8  # 4/4 + 4/4 = 2 staff
