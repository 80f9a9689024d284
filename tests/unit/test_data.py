"""Reading and validating the workbook / CSV folder."""

from __future__ import annotations

import openpyxl

from planner.inputs.catalogue import load_model
from planner.inputs.data import read_data
from planner.inputs.errors import InputError
from planner.inputs.fields import number
from planner.report.template import write_template
from tests.conftest import EXAMPLE, run_cli, write_scenario, write_workbook

HR = load_model("holland-rijnland-2025")


def test_example_passes_check():
    """The bundled example passes `planner check` with exit 0."""
    result = run_cli("check", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "Invoer in orde" in result.stdout


def test_four_faults_one_line_each(tmp_path, small_sheets):
    """Missing column, unknown product, duplicate id, negative indication: 4 lines, exit 2."""
    sheets = small_sheets
    sheets["locations"] = [["location_id", "provider", "lat"], ["L1", "Test", 52.16]]  # no lon
    sheets["children"].append(["C1", "Leiden", 52.16, 4.49, "41A03-1", 2, 9])  # duplicate
    sheets["children"].append(["C3", "Leiden", 52.16, 4.49, "41A99", 2, 9])  # unknown product
    sheets["children"].append(["C4", "Leiden", 52.16, 4.49, "41A03-1", -1, 9])  # negative
    write_workbook(tmp_path / "in.xlsx", sheets)
    result = run_cli("check", str(write_scenario(tmp_path, "in.xlsx")))
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()][:-1]  # last line is the count
    assert len(lines) == 4, result.stderr
    assert "locations, row 1, column lon: verplichte kolom ontbreekt" in lines
    assert any(ln.startswith("children, row 4, column child_id: dubbele id 'C1'") for ln in lines)
    assert any(ln.startswith("children, row 5, column product: onbekend product '41A99'") for ln in lines)
    assert any(ln.startswith("children, row 6, column dagdelen_per_week:") for ln in lines)
    assert "Traceback" not in result.stderr


def test_cross_sheet_checks(tmp_path, small_sheets):
    """Unknown location, age outside product, indication above weekly maximum are reported."""
    sheets = small_sheets
    sheets["groups"].append(["G2", "NOWHERE", "41A03-1", 8])
    sheets["groups"].append(["G3", "L1", "XX1, XX2", 8])
    sheets["children"].append(["C5", "Leiden", 52.16, 4.49, "ZO-1", 2, 2])  # ZO 4-18
    sheets["children"].append(["C6", "Leiden", 52.16, 4.49, "DB-LICHT", 9, 12])  # max 8
    write_workbook(tmp_path / "in.xlsx", sheets)
    try:
        read_data(tmp_path / "in.xlsx", HR)
        raise AssertionError("expected InputError")
    except InputError as exc:
        text = "\n".join(str(p) for p in exc.problems)
    assert "groups, row 3, column location_id: onbekende locatie 'NOWHERE'" in text
    assert "groep 'G3' biedt geen product van het model" in text
    assert "children, row 4, column age: leeftijd 2 valt buiten ZO-1 (4-18 jaar)" in text
    assert "children, row 5, column dagdelen_per_week: indicatie 9 dagdelen" in text


def test_csv_folder_with_dutch_spellings(tmp_path):
    """A CSV folder with semicolons, decimal commas and Dutch dagdelen reads like a workbook."""
    d = tmp_path / "data"
    d.mkdir()
    (d / "locations.csv").write_text("location_id;provider;lat;lon\nL1;T;52,16;4,49\n", encoding="cp1252")
    (d / "groups.csv").write_text("group_id;location_id;products;capacity;open\n"
                                  "G1;L1;41A03-1;8;maandag ochtend, di\n", encoding="utf-8")
    (d / "staff.csv").write_text("staff_id;education;dagdelen_per_week;available\nS1;mbo 4;8;MA-O\n")
    (d / "children.csv").write_text("child_id;municipality;lat;lon;product;dagdelen_per_week;wheelchair\n"
                                    "C1;Leiden;52,161;4,491;41A03-1;2;Ja\n")
    data = read_data(d, HR)
    assert data.groups[0].open == ("ma-ochtend", "di-ochtend", "di-middag")
    assert data.staff[0].education == "MBO4" and data.staff[0].available == ("ma-ochtend",)
    assert data.children[0].wheelchair and data.locations[0].lat == 52.16


def test_template_round_trip(tmp_path):
    """The template has the contract sheets and drop-downs; filled in, the reader accepts it."""
    path = tmp_path / "t.xlsx"
    write_template(HR, path)
    wb = openpyxl.load_workbook(path)
    assert {"instructies", "locations", "groups", "staff", "children", "distances"} <= set(wb.sheetnames)
    assert wb["children"].freeze_panes == "A2"
    assert any("lijsten" in dv.formula1 for dv in wb["children"].data_validations.dataValidation
               if dv.formula1)
    header = [c.value for c in wb["children"][1]]
    assert header[:2] == ["child_id", "name"]
    rows = {
        "locations": ["L1", "P", "Loc", "2311AB", 52.16, 4.49, "ja"],
        "groups": ["G1", "L1", "41A03-1", 8, "ma, di", "nee", 0],
        "staff": ["S1", "Naam", "HBO", 8, "", "L1", None],
        "children": ["C1", "Kind", None, 9, "Leiden", "", 52.16, 4.49, "41A03-1", 2, "", "groep",
                     "nee", "", "", None, None],
    }
    for sheet, row in rows.items():
        wb[sheet].append(row)
    wb.save(path)
    data = read_data(path, HR)
    assert [c.id for c in data.children] == ["C1"] and data.children[0].transport == "groep"
    assert data.groups[0].open == ("ma-ochtend", "ma-middag", "di-ochtend", "di-middag")


def test_template_refuses_to_overwrite(tmp_path):
    """`planner template` never overwrites an existing file without --force."""
    path = tmp_path / "bestaand.xlsx"
    path.write_bytes(b"keep")
    result = run_cli("template", str(path))
    assert result.returncode == 2 and path.read_bytes() == b"keep"


def test_numbers_dutch_and_english():
    """Decimal commas, thousands dots with a comma, and a plain 52.238 all read as meant."""
    assert number("52,238") == 52.238 and number("52.238") == 52.238
    assert number("1.234,5") == 1234.5 and number("1.234.567") == 1234567
    assert number(" 3 ") == 3.0
