"""Waiting-list reasons come from the rules that bind (binding.py), and `planner check` warns
before solving about children no roster can place (issue 21 point 6)."""

from __future__ import annotations

import csv
from collections import defaultdict

from typer.testing import CliRunner

from planner.app.diagnose import _full_dagdelen
from planner.cli import app
from planner.core.roster import Roster
from planner.solver.problem import build_problem
from tests import builders as b
from tests.conftest import copy_case, write_scenario, write_workbook

runner = CliRunner()
_case = copy_case


def test_hunt_23_reasons_name_the_binding_rule(tmp_path):
    """hunt-23-waitlist-wrong-reason: a not_with pair and a missing HBO share, not 'tekort MBO3'
    and 'groepsgrootte, mix van producten'."""
    folder = _case("hunt-23-waitlist-wrong-reason", tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(folder / "scenario.toml"), "--out", str(out), "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    with (out / "waitlist.csv").open(encoding="utf-8-sig") as fh:
        reasons = {r["child_id"]: r["reason"] for r in csv.DictReader(fh)}
    assert reasons["J4"] == "niet samen met J3: geen groep zonder hen"
    assert reasons["J5"] == "geen HBO-medewerker voor het HBO-aandeel van 41A00-2"


def test_mixing_rule_is_named_when_it_binds():
    """One group, one dagdeel, one staff member: 41A03-1 and a product it may not mix with both
    want the same morning; the one left out waits for the mixing rule, not a staff shortage."""
    m = b.model("holland-rijnland-2025")
    other = next(code for code in m.products if not m.may_mix("41A03-1", code)
                 and m.products[code].group_min == 1 and not m.products[code].education.min_share
                 and not m.products[code].education.min_count and m.products[code].parts is None)
    kids = [b.child("C1", "41A03-1", 1, age=9), b.child("C2", other, 1, age=9)]
    p = b.plan(m, b.data(groups=[b.group("G1", f"41A03-1,{other}", open="ma-ochtend")],
                         staff_=[b.staff("S1", "HBO")], children=kids), vacancies=False, time_limit_s=2)
    assert p.violations == [] and p.placed == 1
    (row,) = p.waitlist
    assert row.reason.startswith("geen groep zonder producten die niet met")


def test_real_staff_shortage_names_level_and_location():
    """Two children, one staff member who works one dagdeel: the second child waits for staff."""
    kids = [b.child("C1", "41A03-1", 1, age=9, available="ma-ochtend"),
            b.child("C2", "41A03-1", 1, age=9, available="di-ochtend")]
    p = b.plan(b.model("holland-rijnland-2025"),
               b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1", "MBO4", dagdelen=1)],
                      children=kids), vacancies=False, time_limit_s=2)
    assert p.violations == [] and p.placed == 1
    (row,) = p.waitlist
    assert row.reason.startswith("tekort ") and "op locatie L1" in row.reason


def test_check_warns_before_solving(tmp_path, small_sheets):
    """`planner check` names a child whose product no group offers and one whose availability misses
    every opening."""
    small_sheets["groups"][0] += ["open"]
    small_sheets["groups"][0][4:] = ["open"]
    small_sheets["groups"][1] = ["G1", "L1", "41A03-1", 8, "ma-ochtend, di-ochtend"]
    small_sheets["children"][0] += ["available"]
    small_sheets["children"][1] += ["wo-middag"]
    small_sheets["children"][2] = ["C2", "Leiden", 52.162, 4.492, "41A03-2", 2, 10, ""]
    small_sheets["children"].append(["C3", "Leiden", 52.161, 4.491, "41A03-1", 2, 10, ""])
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    result = runner.invoke(app, ["check", str(write_scenario(tmp_path, "data.xlsx"))])
    assert result.exit_code == 0, result.output
    assert "jeugdige C1 is niet (volledig) te plaatsen: beschikbaarheid valt niet samen met openingstijden" \
        in result.output
    assert "jeugdige C2 is niet (volledig) te plaatsen: geen groep met 41A03-2" in result.output
    assert "C3" not in result.output.split("Invoer in orde")[1]


def test_a_mixed_group_full_for_a_smaller_maximum_says_so():
    """User test of issue 16: a 41A00-3 child (group maximum 6) next to a mixed group already holding 8
    children of 41A00-1 (maximum 8) waited for "overig" (the relaxation raised its maximum to 7 only);
    the group is full for its product, and the reason says so."""
    m = b.model("holland-rijnland-2025")
    kids = [b.child(f"C{i}", "41A00-1", 1, age=9, available="ma-ochtend") for i in range(8)]
    kids.append(b.child("X", "41A00-3", 1, age=9, available="ma-ochtend"))
    staff = [b.staff(f"S{i}", "HBO", available="ma-ochtend") for i in range(4)]
    p = b.plan(m, b.data(groups=[b.group("G1", "41A00-1,41A00-2,41A00-3", capacity=8)], staff_=staff,
                         children=kids), vacancies=True, time_limit_s=5)
    assert p.violations == [] and p.placed == 8
    (row,) = p.waitlist
    assert row.child_id == "X" and row.reason.startswith("groepen vol"), row.reason


def test_full_dagdelen_leave_out_the_dagdelen_the_child_has():
    """User test of issue 16: "groepen vol op di-ochtend, di-middag, wo-ochtend" for a child sitting on
    di-ochtend and di-middag in a group with room (another group those dagdelen was full). X sits in G2 on
    ma-ochtend; G1 (one seat) is full on both dagdelen and G2 is full on di-ochtend: only di-ochtend."""
    m = b.model("holland-rijnland-2025")
    kids = [b.child("X", "41A03-1", 2, age=9, available="ma-ochtend, di-ochtend"),
            b.child("A", "41A03-1", 2, age=9, available="ma-ochtend, di-ochtend"),
            b.child("B", "41A03-1", 1, age=9, available="di-ochtend")]
    data = b.data(groups=[b.group("G1", "41A03-1", capacity=1), b.group("G2", "41A03-1", capacity=1)],
                  staff_=[b.staff("S1", "HBO")], children=kids)
    pr = build_problem(m, data, b.settings(vacancies=True))
    roster = Roster((("A", "G1", "ma-ochtend"), ("A", "G1", "di-ochtend"), ("B", "G2", "di-ochtend"),
                     ("X", "G2", "ma-ochtend")), (), (), ())
    size: dict[tuple[str, str], int] = defaultdict(int)
    for _, group, dagdeel in roster.children:
        size[(group, dagdeel)] += 1
    assert _full_dagdelen(pr, 0, roster, size) == ["di-ochtend"]
