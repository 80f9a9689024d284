"""verify/pins.py: a pinned person keeps exactly their pinned assignments (rule `vastgezet`), on hand-made rosters."""

from __future__ import annotations

from dataclasses import replace

from planner.core.roster import Roster
from planner.verify.pins import check_pins, pinned_rows
from tests import builders as b

WF = b.model()
DATA = b.data(groups=[b.group("G1", "DB-VG-GEDRAG", open="ma"), b.group("G2", "DB-VG-GEDRAG", open="ma")],
              staff_=[b.staff("S1", "HBO"), b.staff("S2", "MBO4")],
              children=[b.child("C0", "DB-VG-GEDRAG", 2, "ma"), b.child("C1", "DB-VG-GEDRAG", 1, "ma")])
BEFORE = Roster(children=(("C0", "G1", "ma-ochtend"), ("C0", "G1", "ma-middag"), ("C1", "G1", "ma-ochtend")),
                staff=(("S1", "G1", "ma-ochtend"), ("S1", "G1", "ma-middag")), vacancies=(), opened=())


def test_kept_roster_holds_every_pin():
    """The previous roster itself keeps every pin, with --keep children and staff."""
    assert check_pins(WF, DATA, BEFORE, BEFORE, ("children", "staff")) == []


def test_a_moved_and_a_dropped_pin_are_named():
    """With --keep children: C0 moved to G2 on ma-middag and C1 dropped are two violations, in Dutch."""
    now = Roster((("C0", "G1", "ma-ochtend"), ("C0", "G2", "ma-middag")), BEFORE.staff, (), ())
    found = [str(v) for v in check_pins(WF, DATA, now, BEFORE, ("children",))]
    assert found == ["vastgezet: jeugdige C0 is vastgezet in G1 op ma-middag (vorig rooster), maar staat nu in G2",
                     "vastgezet: jeugdige C1 is vastgezet in G1 op ma-ochtend (vorig rooster), maar staat daar nu "
                     "nergens"]


def test_only_the_pinned_are_held():
    """Without --keep nobody is pinned; `pinned = ja` on S1 pins S1 alone (children may move)."""
    empty = Roster((), (), (), ())
    assert check_pins(WF, DATA, empty, BEFORE) == []
    data = replace(DATA, staff=(replace(DATA.staff[0], pinned=True), DATA.staff[1]))
    assert {v.message.split(" is ")[0] for v in check_pins(WF, data, empty, BEFORE)} == {"medewerker S1"}
    assert check_pins(WF, data, Roster((), BEFORE.staff, (), ()), BEFORE) == []


def test_rows_today_forbids_are_not_pinned():
    """A row the inputs no longer allow (C1 now only available on ma-middag; G1 closed on ma-middag for staff)
    is not pinned, so not holding it is no violation."""
    data = replace(DATA, children=(DATA.children[0], replace(DATA.children[1], available=("ma-middag",))))
    pins, _ = pinned_rows(WF, data, BEFORE, ("children",))
    assert pins["child"] == {("C0", "G1", "ma-ochtend"), ("C0", "G1", "ma-middag")}
    closed = replace(DATA, groups=(b.group("G1", "DB-VG-GEDRAG", open="ma-ochtend"), DATA.groups[1]))
    pins, _ = pinned_rows(WF, closed, BEFORE, ("staff",))
    assert pins["staff"] == {("S1", "G1", "ma-ochtend")}


def test_more_pins_than_the_indication_pins_nobody():
    """C0's indication dropped to 1 while the previous roster had 2 dagdelen: C0 is not pinned, and the reason
    says so (README, Replanning)."""
    data = replace(DATA, children=(replace(DATA.children[0], dagdelen_per_week=1), DATA.children[1]))
    pins, refused = pinned_rows(WF, data, BEFORE, ("children",))
    assert pins["child"] == {("C1", "G1", "ma-ochtend")}
    assert refused == [("C0", "2 dagdelen in het vorige rooster, nu 1 per week")]
