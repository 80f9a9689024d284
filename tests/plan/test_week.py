"""A dated week (issue 21 point 1): indication periods, closing days, leave, week and dates on the output."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.inputs.errors import InputError
from planner.inputs.week import parse_week, parse_weeks
from tests.conftest import CASES, plan_sheets, write_scenario, write_workbook

runner = CliRunner()


def _rows(folder: Path) -> list[dict]:
    with (folder / "roster.csv").open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_fuzz_13_ended_and_future_indications_are_not_planned(tmp_path):
    """fuzz-13-start-end-date-ignored: J001 ended in 2024 and J002 starts in 2026; peildatum 2025-09-01."""
    source = CASES / "fuzz-13-start-end-date-ignored"
    if not source.is_dir():
        pytest.skip("case fuzz-13-start-end-date-ignored not present")
    folder = Path(shutil.copytree(source, tmp_path / source.name))
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(folder / "scenario.toml"), "--out", str(out), "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    people = {r["person_id"] for r in _rows(out)}
    assert "J001" not in people and "J002" not in people
    assert "J001: indicatie beëindigd op 31-12-2024" in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "J002: indicatie nog niet gestart (start 01-06-2026)" in summary["period"]["not_in_period"]


@pytest.fixture
def week_sheets(small_sheets):
    """C1 starts on Wednesday 14 January 2026, C2 always; S1 on leave Monday and Tuesday, S2 never."""
    s = small_sheets
    s["children"][0] += ["start_date", "available"]
    s["children"][1] += ["2026-01-14", ""]
    s["children"][2] += ["", ""]
    s["staff"].append(["S2", "HBO", 10])
    s["leave"] = [["staff_id", "from", "to", "dagdelen"], ["S1", "2026-01-12", "2026-01-13", None]]
    s["closing_days"] = [["date", "location_id"], ["2026-01-16", "L1"]]
    return s


def test_week_with_start_date_leave_and_closing_day(tmp_path, week_sheets):
    result, out = plan_sheets(tmp_path, week_sheets, "--week", "2026-W03", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    c1 = {r["dagdeel"] for r in rows if r["person_id"] == "C1"}
    assert c1 and all(d.split("-")[0] in ("wo", "do") for d in c1)  # from Wednesday, Friday closed
    assert not any(r["dagdeel"].startswith("vr") for r in rows)
    assert not any(r["person_id"] == "S1" and r["dagdeel"][:2] in ("ma", "di") for r in rows)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["period"]["week"] == "2026-W03"
    assert summary["period"]["dates"]["ma"] == "2026-01-12"
    assert "Gepland: week 3 2026 (12-01-2026 t/m 16-01-2026)" in result.output


def test_new_years_day_is_closed(tmp_path, small_sheets):
    """2026-W01: Thursday 1 January (Nieuwjaarsdag, the model's closed_days): nobody on Thursday."""
    result, out = plan_sheets(tmp_path, small_sheets, "--week", "2026-W01", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert rows and not any(r["dagdeel"].startswith("do") for r in rows)


def test_weeks_give_a_roster_per_week_replanned_from_the_last(tmp_path, small_sheets):
    result, out = plan_sheets(tmp_path, small_sheets, "--weeks", "2026-W03..2026-W04", "--time-limit", "1")
    assert result.exit_code == 0, result.output
    assert (out / "2026-W03" / "roster.csv").is_file() and (out / "2026-W04" / "changes.csv").is_file()
    # nothing changed between the two weeks, so the second keeps the first's roster
    first = sorted(tuple(r.values()) for r in _rows(out / "2026-W03"))
    assert sorted(tuple(r.values()) for r in _rows(out / "2026-W04")) == first


def test_bad_week_and_bad_leave_row_are_named(tmp_path, week_sheets):
    with pytest.raises(InputError):
        parse_week("2026-W54")
    assert parse_weeks("2026-W52..2027-W01") == [(2026, 52), (2026, 53), (2027, 1)]
    week_sheets["leave"].append(["S2", "morgen", None, None])
    write_workbook(tmp_path / "data.xlsx", week_sheets)
    result = runner.invoke(app, ["plan", str(write_scenario(tmp_path, "data.xlsx")), "--out",
                                 str(tmp_path / "out"), "--week", "2026-W03", "--time-limit", "1"])
    assert result.exit_code == 2
    assert "leave, row 3, column from" in result.output and "Traceback" not in result.output


def test_children_not_in_the_week_are_pseudonymised_too(tmp_path, monkeypatch):
    """--pseudonymise: a child left out of the week (ended indication) is not named in summary.json."""
    source = CASES / "fuzz-13-start-end-date-ignored"
    if not source.is_dir():
        pytest.skip("case fuzz-13-start-end-date-ignored not present")
    folder = Path(shutil.copytree(source, tmp_path / source.name))
    monkeypatch.setenv("PLANNER_SALT", "test-zout")
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(folder / "scenario.toml"), "--out", str(out), "--time-limit", "1",
                                 "--pseudonymise"])
    assert result.exit_code == 0, result.output
    summary = (out / "summary.json").read_text(encoding="utf-8")
    assert "J001" not in summary and "indicatie beëindigd op 31-12-2024" in summary
