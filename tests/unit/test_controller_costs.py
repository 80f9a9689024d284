"""Costs as the controller sees them: contract hours not rostered are a cost line, euros in Dutch format,
Dutch status words (issue 21 point 4)."""

from __future__ import annotations

import re

import openpyxl
from typer.testing import CliRunner

from planner.cli import app, euro_text
from planner.report.files import write_plan
from tests import builders as b
from tests.conftest import write_scenario, write_workbook


def test_unused_contract_hours_are_a_cost_line(tmp_path):
    """Two children on one morning need one staff member: the rest of both contracts is paid, not rostered."""
    m = b.model("holland-rijnland-2025")
    people = [b.staff("S1", "HBO", 4, name="Anna"), b.staff("S2", "HBO", 6, name="Bram", hourly_cost=50.0)]
    kids = [b.child("C1", "41A03-1", 1, age=9), b.child("C2", "41A03-1", 1, age=9)]
    p = b.plan(m, b.data(groups=[b.group("G1", "41A03-1", open="ma-ochtend")], staff_=people, children=kids),
               time_limit_s=2, workers=1)
    assert p.violations == [] and p.placed == 2 and len(p.result.roster.staff) == 1
    worked = p.result.roster.staff[0][0]
    # cents per dagdeel, by hand: S1 at the model's HBO hour 55.6676 (tests/unit/test_tariffs.py, HR_HOURLY)
    # x 4 h = 222.6704 -> 22267; S2 at its own 50.00 x 4 h = 200.00 -> 20000
    per = {"S1": 22267, "S2": 20000}
    expected = sum(per[s.id] * (s.dagdelen_per_week - (1 if s.id == worked else 0)) for s in people)
    assert p.cost.unused_contract == expected
    assert p.cost.paid == p.cost.total + expected
    write_plan(p, tmp_path / "out")
    wb = openpyxl.load_workbook(tmp_path / "out" / "roster.xlsx")
    overview = wb["Overzicht"]
    found = [row for row in overview.iter_rows() if row[0].value == "Niet ingeroosterde contracturen"]
    assert found and found[0][1].value == expected / 100 and "€" in found[0][1].number_format
    staff = wb["Medewerkers"]
    header = [c.value for c in staff[1]]
    col = header.index("Kosten niet ingeroosterd per week")
    by_id = {r[0].value: r for r in staff.iter_rows(min_row=2)}
    for person in people:
        left = person.dagdelen_per_week - (1 if person.id == worked else 0)
        row = by_id[person.id]
        assert row[col].value == left * per[person.id] / 100 and "€" in row[col].number_format
        assert row[header.index("Niet ingeroosterde contracturen")].value == left * m.dagdeel_hours
    assert overview["B4"].value in ("optimaal", "haalbaar (optimum niet bewezen)")


def test_euro_in_dutch_format():
    assert euro_text(123456) == "€ 1.234,56"
    assert euro_text(5) == "€ 0,05"
    assert euro_text(-100000001) == "-€ 1.000.000,01"


def test_console_speaks_dutch(tmp_path, small_sheets):
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["plan", str(write_scenario(tmp_path, "data.xlsx")), "--out", str(out),
                                      "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Status (optimaal|haalbaar)", result.output)
    assert re.search(r"Kosten € [\d.]+,\d\d per week", result.output)
    assert "niet ingeroosterde contracturen €" in result.output
