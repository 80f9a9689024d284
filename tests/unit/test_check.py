"""The independent checker catches each broken rule on a hand-made roster (and knows no solver)."""

import pytest

from planner.core.roster import Roster
from planner.verify.check import check_roster
from tests import builders as b
from tests.closure import import_closure

WF = b.model()
DATA = b.data(
    groups=[b.group("G1", "DB-VG-GEDRAG", open="ma"), b.group("G2", "DB-VG-ZWAAR, DB-GGZ", open="ma")],
    staff_=[b.staff("S1", "MBO4", dagdelen=1, available="ma-ochtend"), b.staff("S2", "MBO3"), b.staff("S3", "HBO")],
    children=[b.child(f"C{i}", "DB-VG-GEDRAG", 2, "ma") for i in range(5)]
    + [b.child("Z", "DB-VG-ZWAAR", 1), b.child("G", "DB-GGZ", 1), b.child("N", "DB-VG-GEDRAG", 1, not_with=("C0",))],
)


def rules(roster, vacancies=True):
    return {v.rule for v in check_roster(WF, DATA, roster, vacancies)}


def test_valid_roster_passes():
    """Four children with two MBO4-level staff on one dagdeel break no rule."""
    roster = Roster(children=tuple(("C" + str(i), "G1", "ma-ochtend") for i in range(4)),
                    staff=(("S1", "G1", "ma-ochtend"),), vacancies=(("vacature-MBO4-1", "MBO4", "G1", "ma-ochtend"),),
                    opened=())
    assert rules(roster) == set()


@pytest.mark.parametrize("roster, broken", [
    (Roster(tuple((f"C{i}", "G1", "ma-ochtend") for i in range(4)), (("S1", "G1", "ma-ochtend"),), (), ()),
     "ratio_week"),  # 4 / 2.5 = 1.6 staff needed, 1 present (VG gedrag is averaged per week)
    (Roster(tuple((f"C{i}", "G1", "ma-ochtend") for i in range(5)),
            (("S1", "G1", "ma-ochtend"), ("S3", "G1", "ma-ochtend")), (("v", "MBO4", "G1", "ma-ochtend"),), ()),
     "groepsgrootte"),  # five in a VG gedrag group of at most four
    (Roster((("C0", "G1", "ma-ochtend"), ("N", "G1", "ma-ochtend")), (("S3", "G1", "ma-ochtend"),), (), ()),
     "niet_samen"),
    (Roster((("C0", "G1", "ma-ochtend"),), (("S2", "G1", "ma-ochtend"),), (), ()), "opleidingsniveau"),
    (Roster((("C0", "G1", "ma-middag"),), (("S1", "G1", "ma-middag"),), (), ()), "beschikbaarheid_medewerker"),
    (Roster((("C0", "G1", "ma-ochtend"), ("C0", "G1", "ma-middag"), ("C0", "G1", "ma-middag")),
            (("S3", "G1", "ma-ochtend"), ("S3", "G1", "ma-middag")), (), ()), "een_groep_per_dagdeel"),
    (Roster((("C0", "G1", "di-ochtend"),), (("S3", "G1", "di-ochtend"),), (), ()), "groep_open"),
    (Roster((("Z", "G2", "ma-ochtend"), ("G", "G2", "ma-ochtend")),
            (("S3", "G2", "ma-ochtend"), ("S1", "G2", "ma-ochtend")), (), ()), "mix"),
    (Roster((("C0", "G1", "ma-ochtend"),), (), (("v", "MBO4", "G1", "ma-ochtend"),), ()), "vacatures_uit"),
    (Roster((("Z", "G1", "ma-ochtend"),), (("S3", "G1", "ma-ochtend"),), (), ()), "product_groep"),
])
def test_each_broken_rule_is_named(roster, broken):
    """A roster breaking one rule yields a violation with that rule's name."""
    assert broken in rules(roster, vacancies=broken != "vacatures_uit")


def test_contract_maximum():
    """Working more dagdelen than the contract is a violation."""
    roster = Roster((("C0", "G1", "ma-ochtend"), ("C1", "G1", "ma-middag")),
                    (("S1", "G1", "ma-ochtend"), ("S1", "G1", "ma-middag")), (), ())
    assert "contract" in rules(roster)


def test_checker_never_imports_ortools():
    """check.py's whole import closure (computed with ast, tests/closure.py) holds no ortools and no solver."""
    closure = import_closure("planner.verify.check", into_functions="planner.verify")
    assert not [m for m in closure if m.split(".")[0] == "ortools" or m.startswith("planner.solver")]
