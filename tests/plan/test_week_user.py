"""Faults a user test of the dated week found (issue 21, second round): leave in the costs, `check --week`,
edited-roster problems in one pass, strict ISO weeks."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.app.diagnose import not_with_conflicts, waitlist
from planner.cli import app
from planner.core.costs import contract_use, week_cost
from planner.core.roster import Roster
from planner.inputs.catalogue import load_model
from planner.inputs.data import read_data
from planner.inputs.errors import InputError
from planner.inputs.week import dated_data, parse_week, year_warning
from planner.solver.problem import build_problem
from planner.verify.check import check_roster
from tests import builders as b
from tests.conftest import plan_sheets, write_scenario, write_workbook

runner = CliRunner()
HEADER = "dagdeel,location_id,group_id,role,person_id,product,education"


@pytest.fixture
def leave_sheets(small_sheets):
    """S1 (8 dagdelen) on leave all of week 2026-W03; S2 (10 dagdelen) on leave Monday only."""
    s = small_sheets
    s["staff"].append(["S2", "HBO", 10])
    s["leave"] = [["staff_id", "from", "to"], ["S1", "2026-01-12", "2026-01-16"], ["S2", "2026-01-12", None]]
    return s


def test_leave_is_paid_neither_rostered_nor_unused(tmp_path, leave_sheets):
    """Leave all week keeps the person (period.away) and their contract as leave; partial leave is not
    counted as unused contract hours; paid = roster cost + unused + leave."""
    path = write_workbook(tmp_path / "data.xlsx", leave_sheets)
    model = load_model("holland-rijnland-2025")
    data, period = dated_data(model, read_data(path, model), path, (2026, 3), None)
    assert [s.id for s in period.away] == ["S1"] and [s.id for s in data.staff] == ["S2"]
    roster = Roster((), (("S2", "G1", "di-ochtend"),), (), ())
    use = contract_use(model, data, roster, period)
    assert (use["S1"].leave, use["S1"].unused) == (8, 0)
    assert (use["S2"].rostered, use["S2"].leave, use["S2"].unused) == (1, 2, 7)
    cost = week_cost(model, data, roster, period)
    assert cost.leave == use["S1"].leave_cost + use["S2"].leave_cost > 0
    assert cost.paid == cost.total + cost.unused_contract + cost.leave


def test_staff_on_leave_all_week_stay_on_the_medewerkers_sheet(tmp_path, leave_sheets):
    result, out = plan_sheets(tmp_path, leave_sheets, "--week", "2026-W03", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out / "roster.xlsx")
    ws = wb["Medewerkers"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    hours = load_model("holland-rijnland-2025").dagdeel_hours
    assert rows["S1"]["Verlof (uren)"] == 8 * hours and rows["S1"]["Niet ingeroosterde contracturen"] == 0
    assert rows["S2"]["Verlof (uren)"] == 2 * hours
    overview = {r[0]: r[1] for r in wb["Overzicht"].iter_rows(values_only=True) if r and r[0]}
    paid = overview["Totaal betaald (kosten + contracturen + verlof)"]
    assert paid == pytest.approx(overview["Totaal kosten"] + overview["Niet ingeroosterde contracturen"]
                                 + overview["Verlof (doorbetaalde contracturen)"])
    assert overview["Verlof (doorbetaalde contracturen)"] > 0
    # transport.csv: the contract's columns, in order, then the distance source (an extension)
    header = (out / "transport.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == ["child_id", "location_id", "km", "band", "mode", "category", "days_per_week",
                      "cost_per_week", "distance_source"]


def _week_roster(tmp_path, lines: list[str]):
    path = tmp_path / "bewerkt.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_check_week_finds_a_child_on_new_years_day(tmp_path, small_sheets):
    """2026-W01: Thursday 1 January is Nieuwjaarsdag, closed (calendar_nl); C2's indication ended."""
    small_sheets["children"][0] += ["end_date"]
    small_sheets["children"][1] += [None]
    small_sheets["children"][2] += ["2025-12-19"]
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    scenario = write_scenario(tmp_path, "data.xlsx")
    roster = _week_roster(tmp_path, ["do-ochtend,L1,G1,staff,S1,,HBO", "do-ochtend,L1,G1,child,C1,41A03-1,",
                                     "vr-ochtend,L1,G1,staff,S1,,HBO", "vr-ochtend,L1,G1,child,C2,41A03-1,"])
    plain = runner.invoke(app, ["check", str(scenario), "--roster", str(roster)])
    assert "groep dicht" not in plain.output
    result = runner.invoke(app, ["check", str(scenario), "--roster", str(roster), "--week", "2026-W01"])
    assert result.exit_code == 2, result.output
    assert "C1 in G1 op do-ochtend: groep dicht (feest- of sluitingsdag, week 2026-W01)" in result.output
    assert "C2 in G1 op vr-ochtend: indicatie beëindigd op 19-12-2025" in result.output
    assert "Traceback" not in result.output


def test_edited_roster_problems_in_one_pass_by_row_and_column(tmp_path, small_sheets):
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    roster = _week_roster(tmp_path, ["ma-ochtend,L1,G1,staff,S1,,HBO", "ma-avond,L1,G1,child,C1,41A03-1,",
                                     "ma-ochtend,L1,G1,kind,C2,41A03-1,", "ma-ochtend,L1,G1,child,X959,41A03-1,",
                                     "ma-ochtend,L1,G9,staff,S1,,HBO", "ma-ochtend,L1,G1,child,C2,41A03-1,,extra"])
    result = runner.invoke(app, ["check", str(write_scenario(tmp_path, "data.xlsx")), "--roster", str(roster)])
    assert result.exit_code == 2, result.output
    for place in ("row 3, column dagdeel: 'ma-avond' onbekend", "row 4, column role: rol 'kind' onbekend",
                  "row 5, column person_id: 'X959' onbekend", "row 6, column group_id: 'G9' onbekend",
                  "row 7"):
        assert f"bewerkt.csv, {place}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text", ["2026-W3", "2026W03", "26-W03", "2026-W033"])
def test_week_strings_are_strict_iso(text):
    with pytest.raises(InputError):
        parse_week(text)


def test_week_with_spaces_and_year_warning():
    assert parse_week(" 2026-W03 ") == (2026, 3)
    model = load_model("holland-rijnland-2025")
    assert year_warning(model, (model.year, 3)) == [] and year_warning(model, None) == []
    assert "buiten het modeljaar" in str(year_warning(model, (model.year + 1, 3))[0])


def test_not_with_pair_sharing_their_only_group_is_warned_before_solving():
    """repro-6 (klein.toml): K3 and K4 both only ma-ochtend, not_with each other, one group: one waits.
    With a second group open on ma-ochtend both fit and there is no warning."""
    m = b.model("holland-rijnland-2025")
    kids = [b.child("K3", "41A03-1", 1, available="ma-ochtend", not_with=("K4",)),
            b.child("K4", "41A03-1", 1, available="ma-ochtend")]
    one = b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1", "HBO", 10)], children=kids)
    found = not_with_conflicts(build_problem(m, one, b.settings()))
    assert found == [("K3 en K4", "mogen niet samen in een groep, maar kunnen op ma-ochtend alleen in dezelfde "
                                  "groep: samen hooguit 1 van 2 dagdelen")]
    two = b.data(groups=[b.group("G1", "41A03-1"), b.group("G2", "41A03-1")],
                 staff_=[b.staff("S1", "HBO", 10)], children=kids)
    assert not_with_conflicts(build_problem(m, two, b.settings())) == []


def test_indication_ending_mid_week_prorates_the_demand(tmp_path, small_sheets):
    """repro-1 waitlist.csv: C1 (4 dagdelen, every dagdeel) ends on Wednesday 14 January 2026: 6 of its
    10 dagdelen lie inside, so 2 (4 x 6/10, half up) are asked this week, not 4; C2 is untouched."""
    small_sheets["children"][0] += ["end_date"]
    small_sheets["children"][1] += ["2026-01-14"]
    small_sheets["children"][2] += [None]
    path = write_workbook(tmp_path / "data.xlsx", small_sheets)
    model = load_model("holland-rijnland-2025")
    data, period = dated_data(model, read_data(path, model), path, (2026, 3), None)
    kids = {c.id: c for c in data.children}
    assert kids["C1"].dagdelen_per_week == 2 and kids["C2"].dagdelen_per_week == 2
    assert all(d[:2] in ("ma", "di", "wo") for d in kids["C1"].available)
    assert period.prorated == (("C1", "indicatie eindigt op 14-01-2026: 2 van 4 dagdelen deze week"),)


def test_checker_messages_read_as_dutch():
    """User test: '2.25', "['KATWIJK', 'LDN-NOORD']" and '1 kinderen' in check output."""
    m = b.model("holland-rijnland-2025")
    locations = [b.loc("L1"), b.loc("L2")]
    data = b.data(locations=locations, groups=[b.group("G1", "DB-LICHT"), b.group("G2", "DB-LICHT", location="L2")],
                  staff_=[b.staff("S1", "HBO", 10)], children=[b.child("C1", "DB-LICHT", 2)])
    roster = Roster((("C1", "G1", "ma-ochtend"), ("C1", "G2", "ma-middag")), (), (), ())
    text = "\n".join(v.message for v in check_roster(m, data, roster))
    assert "C1 op ma op L1, L2" in text and "[" not in text
    assert "G1 op ma-ochtend: 1 kind, min 5 (DB-LICHT)" in text
    assert "G1 op ma-ochtend: 0 medewerkers, nodig 0," in text


def test_waiting_reason_explains_the_whole_shortfall():
    """repro-6b (J047: 5 asked, 2 placed, reason named 1): every cause with its count of dagdelen, the
    counts adding up to the shortfall; what fits within the rules is said to be the search time."""
    m = b.model("holland-rijnland-2025")
    data = b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1", "HBO", 10)],
                  children=[b.child("C1", "41A03-1", 3, available="ma-ochtend, ma-middag")])
    pr = build_problem(m, data, b.settings(time_limit_s=2, workers=1))
    (row,) = waitlist(pr, Roster((), (), (), ()), budget_s=20)
    assert (row.requested, row.placed) == (3, 0)
    assert row.reason == ("beschikbaarheid en openingstijden laten 2 dagdelen toe (max 2 per dag) (1 dagdeel); "
                          "past wel binnen de regels; de zoektijd was te kort (2 dagdelen)")
