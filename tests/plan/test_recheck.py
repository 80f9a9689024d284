"""`planner check S --roster edited.csv` re-checks and re-prices a hand-edited roster (issue 21 point 2)."""

from __future__ import annotations

from typer.testing import CliRunner

from planner.cli import app
from tests.conftest import write_scenario, write_workbook

runner = CliRunner()
HEADER = "dagdeel;location_id;group_id;role;person_id;product;education"


def _scenario(tmp_path):
    sheets = {
        "locations": [["location_id", "provider", "lat", "lon"], ["L1", "Test", 52.65, 5.05]],
        "groups": [["group_id", "location_id", "products", "capacity"], ["G1", "L1", "DB-VG-GEDRAG", 8]],
        "staff": [["staff_id", "education", "dagdelen_per_week"], ["S1", "MBO4", 8], ["S2", "HBO", 8]],
        "children": [["child_id", "municipality", "lat", "lon", "product", "dagdelen_per_week", "age"]]
        + [[f"C{i}", "Hoorn", 52.651, 5.051, "DB-VG-GEDRAG", 1, 9] for i in range(1, 6)],
    }
    write_workbook(tmp_path / "data.xlsx", sheets)
    return write_scenario(tmp_path, "data.xlsx", model="westfriesland-2025")


def _roster(tmp_path, children: int):
    """As Excel saves a CSV in a Dutch locale: `;` separated, Windows-1252, CRLF."""
    rows = [HEADER] + [f"ma-ochtend;L1;G1;child;C{i};DB-VG-GEDRAG;" for i in range(1, children + 1)]
    rows += ["ma-ochtend;L1;G1;staff;S1;;MBO4", "ma-ochtend;L1;G1;staff;S2;;HBO"]
    path = tmp_path / f"bewerkt-{children}.csv"
    path.write_bytes("\r\n".join(rows).encode("cp1252") + b"\r\n")
    return path


def _expected_cost() -> str:
    """One MBO4 and one HBO dagdeel in westfriesland-2025, by hand: its [cost_model] has Holland
    Rijnland's figures, so the hourly costs are tests/unit/test_tariffs.py's HR_HOURLY:
    MBO4 49.6495 x 4 h = 198.598 -> 198.60; HBO 55.6676 x 4 h = 222.6704 -> 222.67; together 421.27."""
    return "€ 421,27"


def test_fifth_child_in_vg_gedrag_group_breaks_the_group_maximum(tmp_path):
    """Five children in a VG gedrag group of at most 4 (003 §3.4 VG Gedrag): exit 2, the rule and the
    place named, and the week's cost of the edited roster."""
    scenario = _scenario(tmp_path)
    result = runner.invoke(app, ["check", str(scenario), "--roster", str(_roster(tmp_path, 5))])
    assert result.exit_code == 2, result.output
    assert "regel groepsmaximum (groepsgrootte): G1 op ma-ochtend: 5 kinderen, max 4 (DB-VG-GEDRAG)" in result.output
    assert f"Weekkosten {_expected_cost()}" in result.output
    assert "Traceback" not in result.output


def test_four_children_hold_every_rule(tmp_path):
    scenario = _scenario(tmp_path)
    result = runner.invoke(app, ["check", str(scenario), "--roster", str(_roster(tmp_path, 4))])
    assert result.exit_code == 0, result.output
    assert "Alle regels gelden." in result.output and f"Weekkosten {_expected_cost()}" in result.output


def test_unreadable_roster_names_row_and_column(tmp_path):
    scenario = _scenario(tmp_path)
    bad = tmp_path / "kapot.csv"
    bad.write_text(HEADER + "\nzo-nacht;L1;G1;child;C1;;\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(scenario), "--roster", str(bad)])
    assert result.exit_code == 2
    assert "kapot.csv, row 2, column dagdeel" in result.output
