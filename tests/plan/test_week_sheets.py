"""The `leave` and `closing_days` sheets are validated with the rest of the workbook, week or no week
(issue 21, user test of /work/try21: unknown ids ignored, `check` never read the sheets)."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from planner.app.recheck import recheck
from planner.cli import app
from planner.inputs.catalogue import load_model
from planner.inputs.data import read_data
from planner.inputs.week import dated_data, parse_week
from tests.conftest import write_scenario, write_workbook

runner = CliRunner()


def _bad_week_sheets(sheets):
    """Every kind of bad row of both sheets, and one bad cell in the staff sheet."""
    sheets["staff"].append(["S2", "HBO", "veel"])
    sheets["leave"] = [["staff_id", "from", "to", "dagdelen"],
                       ["M99", "2026-01-12", "2026-01-13", None],      # row 2: unknown staff
                       ["S1", "2026-01-14", "2026-01-13", None],       # row 3: to before from
                       ["S1", "morgen", None, None],                   # row 4: text date
                       ["S1", None, None, "zo-nacht"]]                  # row 5: no such dagdeel
    sheets["closing_days"] = [["date", "location_id"],
                              ["32-01-2026", None],                     # row 2: no such date
                              ["2026-01-16", "NERGENS"]]                # row 3: unknown location
    return sheets


EXPECTED = ["leave, row 2, column staff_id: onbekende medewerker M99",
            "leave, row 3, column to: to (13-01-2026) ligt voor from (14-01-2026)",
            "leave, row 4, column from: 'morgen' is geen datum",
            "leave, row 5, column dagdelen:",
            "closing_days, row 2, column date: '32-01-2026' is geen datum",
            "closing_days, row 3, column location_id: onbekende locatie NERGENS",
            "staff, row 3, column dagdelen_per_week"]


def test_plan_week_names_every_bad_week_row_with_the_workbooks_other_problems(tmp_path, small_sheets):
    write_workbook(tmp_path / "data.xlsx", _bad_week_sheets(small_sheets))
    result = runner.invoke(app, ["plan", str(write_scenario(tmp_path, "data.xlsx")), "--out", str(tmp_path / "o"),
                                 "--week", "2026-W03", "--time-limit", "1"])
    assert result.exit_code == 2, result.output
    for line in EXPECTED:
        assert line in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


def test_check_reads_the_week_sheets_without_a_week(tmp_path, small_sheets):
    write_workbook(tmp_path / "data.xlsx", _bad_week_sheets(small_sheets))
    result = runner.invoke(app, ["check", str(write_scenario(tmp_path, "data.xlsx"))])
    assert result.exit_code == 2, result.output
    for line in EXPECTED:
        assert line in result.output, result.output
    assert "Invoer in orde" not in result.output


def test_unknown_ids_alone_are_refused(tmp_path, small_sheets):
    """The first fault alone: exit 0 before (the rows were silently ignored)."""
    small_sheets["leave"] = [["staff_id", "from", "to"], ["M99", "2026-01-12", None]]
    small_sheets["closing_days"] = [["date", "location_id"], ["2026-01-16", "NERGENS"]]
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    result = runner.invoke(app, ["check", str(write_scenario(tmp_path, "data.xlsx")), "--week", "2026-W03"])
    assert result.exit_code == 2, result.output
    assert "leave, row 2, column staff_id: onbekende medewerker M99" in result.output
    assert "closing_days, row 2, column location_id: onbekende locatie NERGENS" in result.output


def test_check_week_checks_the_dated_week_before_solving(tmp_path, small_sheets):
    """`check --week` without --roster: the week's title, who is not in it, and a child that cannot be
    placed that week because the only group is closed on its only available dagdeel (a closing day)."""
    small_sheets["children"][0] += ["available", "end_date"]
    small_sheets["children"][1][5] = 1
    small_sheets["children"][1] += ["do-ochtend", None]
    small_sheets["children"][2] += [None, "2025-12-19"]
    small_sheets["closing_days"] = [["date", "location_id"], ["2026-01-15", "L1"]]
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    scenario = write_scenario(tmp_path, "data.xlsx")
    plain = runner.invoke(app, ["check", str(scenario)])
    assert "jeugdige C1 is niet" not in plain.output, plain.output
    result = runner.invoke(app, ["check", str(scenario), "--week", "2026-W03"])
    assert result.exit_code == 0, result.output
    assert "week 3 2026 (12-01-2026 t/m 16-01-2026)" in result.output
    assert "niet in deze week: C2: indicatie beëindigd op 19-12-2025" in result.output
    assert "waarschuwing: jeugdige C1 is niet (volledig) te plaatsen" in result.output


HEADER = "dagdeel,location_id,group_id,role,person_id,product,education"


def test_check_roster_small_faults(tmp_path, small_sheets):
    """Without --week no '(week None)'; a missing edited roster is not called the previous one."""
    small_sheets["children"][0] += ["end_date"]
    small_sheets["children"][1] += [None]
    small_sheets["children"][2] += ["2025-12-19"]
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    scenario = write_scenario(tmp_path, "data.xlsx", extra="peildatum = 2026-01-05\n")
    roster = tmp_path / "bewerkt.csv"
    roster.write_text("\n".join([HEADER, "ma-ochtend,L1,G1,staff,S1,,HBO", "ma-ochtend,L1,G1,child,C1,41A03-1,",
                                 "ma-ochtend,L1,G1,child,C2,41A03-1,"]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(scenario), "--roster", str(roster)])
    assert "C2 in G1 op ma-ochtend: indicatie beëindigd op 19-12-2025" in result.output, result.output
    assert "None" not in result.output
    missing = runner.invoke(app, ["check", str(scenario), "--roster", str(tmp_path / "weg.csv")])
    assert missing.exit_code == 2 and "weg.csv: bewerkt rooster niet gevonden" in missing.output


def test_staff_rostered_on_leave_all_week_is_counted_and_paid(tmp_path, small_sheets):

    small_sheets["leave"] = [["staff_id", "from", "to"], ["S1", "2026-01-12", "2026-01-16"]]
    path = write_workbook(tmp_path / "data.xlsx", small_sheets)
    model = load_model("holland-rijnland-2025")
    data, period = dated_data(model, read_data(path, model), path, (2026, 3), None)
    assert dict(period.leave) == {"S1": 8}  # leave capped at the contract (8), not the week's 10 dagdelen
    roster = tmp_path / "bewerkt.csv"
    roster.write_text("\n".join([HEADER, "ma-ochtend,L1,G1,staff,S1,,HBO", "ma-ochtend,L1,G1,child,C1,41A03-1,"])
                      + "\n", encoding="utf-8")
    found = recheck(model, data, roster, True, period)
    assert any(v.rule == "beschikbaarheid_medewerker" for v in found.violations)
    assert len(found.roster.staff) == 1 and found.cost.staff > 0
    assert found.cost.leave > 0 and found.cost.unused_contract == 0


def test_lower_case_week_and_template_week_sheets(tmp_path):


    assert parse_week("2026-w03") == parse_week("2026-W03") == (2026, 3)
    result = runner.invoke(app, ["template", str(tmp_path / "leeg.xlsx")])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "leeg.xlsx")
    assert [c.value for c in wb["leave"][1]] == ["staff_id", "from", "to", "dagdelen"]
    assert [c.value for c in wb["closing_days"][1]] == ["date", "location_id"]
    lines = [r[0] for r in wb["instructies"].iter_rows(values_only=True) if r[0]]
    assert any(line.startswith("  leave: verlof") for line in lines)
    assert any(line.startswith("  closing_days: eigen sluitingsdagen") for line in lines)
