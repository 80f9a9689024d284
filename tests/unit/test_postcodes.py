"""Addresses instead of coordinates (issue 21 point 7): empty lat/lon from the postcode table."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.inputs import fields as f
from planner.inputs.postcodes import normalise, read_postcodes
from planner.inputs.tables import DecimalCommaText
from tests.conftest import write_scenario, write_workbook

runner = CliRunner()


def _sheets(small_sheets, postcode: str):
    s = small_sheets
    s["children"][0] += ["postcode", "transport"]
    s["children"][1] = ["C1", "Leiden", None, None, "41A03-1", 2, 9, postcode, "groep"]
    s["children"][2] += ["", "eigen"]
    return s


def _pc4(tmp_path):
    # as Excel writes it in a Dutch locale: ';' and decimal commas
    text = "postcode;lat;lon\r\n2311;52,1601;4,4931\r\n2312;52,155;4,5\r\n"
    (tmp_path / "pc4.csv").write_bytes(text.encode("cp1252"))


def test_child_without_coordinates_is_placed_from_its_postcode(tmp_path, small_sheets):
    write_workbook(tmp_path / "data.xlsx", _sheets(small_sheets, "2311 ab"))
    _pc4(tmp_path)
    scenario = write_scenario(tmp_path, "data.xlsx", extra='postcodes = "pc4.csv"\n')
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(scenario), "--out", str(out), "--time-limit", "1"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out / "roster.xlsx")["Vervoer"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)]
    (c1,) = [r for r in rows if r["Jeugdige"] == "C1"]
    assert c1["Afstand uit"] == "postcodecentroïde (jeugdige)"


def test_missing_coordinates_and_unknown_postcode_are_named(tmp_path, small_sheets):
    write_workbook(tmp_path / "data.xlsx", _sheets(small_sheets, "9999 ZZ"))
    _pc4(tmp_path)
    scenario = write_scenario(tmp_path, "data.xlsx", extra='postcodes = "pc4.csv"\n')
    result = runner.invoke(app, ["check", str(scenario)])
    assert result.exit_code == 2
    assert "children, row 2, column postcode: geen lat/lon en postcode '9999 ZZ' niet in de postcodetabel" \
        in result.output
    no_table = write_scenario(tmp_path, "data.xlsx")
    result = runner.invoke(app, ["check", str(no_table)])
    assert result.exit_code == 2 and "children, row 2, column lat: verplichte waarde ontbreekt" in result.output


def test_postcode_forms():
    assert normalise("2311 ab") == ("2311AB", "2311")
    assert normalise(" 2311") == ("2311", "2311")
    assert normalise("23111") is None


def test_three_decimal_coordinates_are_decimals_in_every_coordinate_column(tmp_path, small_sheets):
    """User test of issue 21: `2351;52.158;4.529` in a semicolon PC4 table was refused as 'dubbelzinnig
    getal'; a coordinate never has thousands groups. The workbook's lat/lon read the same way; the
    ambiguity rule stays for other numbers (a capacity of '1.000' in a decimal-comma file)."""

    (tmp_path / "pc4.csv").write_text("postcode;lat;lon\n2351;52.158;4.529\n2311;52,1601;4,4931\n",
                                      encoding="utf-8")
    assert read_postcodes(tmp_path / "pc4.csv") == {"2351": (52.158, 4.529), "2311": (52.1601, 4.4931)}
    assert f.NL_LAT(DecimalCommaText("52.158")) == 52.158 and f.NL_LON("4.529") == 4.529
    with pytest.raises(ValueError, match="dubbelzinnig"):
        f.number(DecimalCommaText("1.000"))
    small_sheets["children"][1][2:4] = ["52.161", "4.491"]  # text cells, as a CSV export pasted in
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    result = runner.invoke(app, ["check", str(write_scenario(tmp_path, "data.xlsx"))])
    assert result.exit_code == 0, result.output


def test_empty_coordinates_without_a_table_say_what_would_help(tmp_path, small_sheets):
    write_workbook(tmp_path / "data.xlsx", _sheets(small_sheets, "2311AB"))
    result = runner.invoke(app, ["check", str(write_scenario(tmp_path, "data.xlsx"))])
    assert result.exit_code == 2, result.output
    line = next(x for x in result.output.splitlines() if "children, row 2" in x)
    assert "verplichte waarde ontbreekt" in line and "postcodetabel" in line and "webapp" in line
