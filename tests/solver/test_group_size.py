"""Room capacity, group maxima and minima, mixing of products, optional groups."""

from collections import Counter

from tests import builders as b


def test_room_capacity_below_group_max():
    """A room for 3 takes 3 children even though the product allows 8; the rest wait, groups full."""
    kids = [b.child(f"C{i}", "41A03-1", 1, "ma-ochtend", age=8) for i in range(5)]
    p = b.plan(b.model("holland-rijnland-2025"),
               b.data(groups=[b.group("G1", "41A03-1", capacity=3)], staff_=[b.staff("S1"), b.staff("S2")],
                      children=kids))
    assert p.violations == [] and p.placed == 3
    assert {w.reason for w in p.waitlist} == {"groepen vol op ma-ochtend"}


def test_group_minimum_dagbesteding_licht():
    """002 dagbesteding licht runs from 5 children: 4 children alone cannot form a group."""
    hr = b.model("holland-rijnland-2025")
    four = [b.child(f"C{i}", "DB-LICHT", 1, "ma-ochtend", age=12) for i in range(4)]
    groups = [b.group("G1", "DB-LICHT")]
    p = b.plan(hr, b.data(groups=groups, staff_=[b.staff("S1")], children=four))
    assert p.violations == [] and p.placed == 0
    assert "groepsminimum" in p.waitlist[0].reason
    five = four + [b.child("C9", "DB-LICHT", 1, "ma-ochtend", age=12)]
    p5 = b.plan(hr, b.data(groups=groups, staff_=[b.staff("S1")], children=five))
    assert p5.violations == [] and p5.placed == 5


def test_products_that_may_not_mix_get_separate_dagdelen():
    """A group offering two products that may not mix never holds both on one dagdeel."""
    kids = [b.child("A", "DB-VG-ZWAAR", 1, "ma-ochtend"), b.child("B", "DB-GGZ", 1, "ma-ochtend")]
    p = b.plan(b.model(), b.data(groups=[b.group("G1", "DB-VG-ZWAAR, DB-GGZ", open="ma-ochtend")],
                                 staff_=[b.staff("S1"), b.staff("S2")], children=kids))
    assert p.violations == [] and p.placed == 1


def test_mixed_categories_share_a_group_with_summed_ratio():
    """41A00 categories may mix; staff covers the sum of 1/ratio (3 x 1/4 + 2 x 1/3 = 1.42 -> 2)."""
    kids = [b.child(f"A{i}", "41A00-1", 1, "ma-ochtend", age=8) for i in range(3)] + \
        [b.child(f"B{i}", "41A00-3", 1, "ma-ochtend", age=8) for i in range(2)]
    p = b.plan(b.model("holland-rijnland-2025"),
               b.data(groups=[b.group("G1", "41A00-1, 41A00-3")], staff_=[b.staff(f"S{i}") for i in range(3)],
                      children=kids))
    assert p.violations == [] and p.placed == 5
    assert len(p.result.roster.staff) == 2


def test_optional_group_opens_when_it_pays():
    """An optional group opens (at its weekly cost) when the fixed groups are full."""
    kids = [b.child(f"C{i}", "DB-VG-GEDRAG", 1, "ma-ochtend") for i in range(6)]
    groups = [b.group("G1", "DB-VG-GEDRAG", open="ma-ochtend"),
              b.group("G2", "DB-VG-GEDRAG", open="ma-ochtend", optional=True, opening_cost_per_week=100)]
    p = b.plan(b.model(), b.data(groups=groups, staff_=[b.staff(f"S{i}", "MBO4") for i in range(4)], children=kids))
    assert p.violations == [] and p.placed == 6
    assert p.result.roster.opened == ("G2",)
    assert sorted(Counter(g for _, g, _ in p.result.roster.children).values()) == [2, 4]
    assert p.cost.groups == 10000
