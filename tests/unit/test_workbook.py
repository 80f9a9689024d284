"""Workbooks read as a person sees them in Excel (planner/inputs/workbook.py), with the cases of issue 15."""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import PatternFill
from openpyxl.worksheet.table import Table as ExcelTable

from planner.inputs.catalogue import load_model
from planner.inputs.data import read_data
from planner.inputs.errors import InputError
from planner.inputs.workbook import read_tables
from planner.solver.replan import read_previous
from tests.conftest import CASES, run_cli, write_workbook

HR = load_model("holland-rijnland-2025")


def case(name: str, tmp_path: Path) -> Path:
    """A copy of a case folder (cases are never written), or a clean skip when absent."""
    source = CASES / name
    if not source.is_dir():
        pytest.skip(f"case folder {name} not present")
    target = tmp_path / name
    shutil.copytree(source, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_data(path, HR)
    return [str(p) for p in caught.value.problems]


def rewrite_part(path: Path, member: str, edit) -> None:
    """Rewrite one part of an .xlsx in place (to make what openpyxl cannot write)."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    parts[member] = edit(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _sheet_part(path: Path, title: str) -> str:
    wb = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{wb.sheetnames.index(title) + 1}.xml"


# kind 2: the value the user sees --------------------------------------------------------------

def test_hunt02_formula_without_result_is_named(tmp_path):
    """hunt-02: formulas with no stored result are refused by sheet, row and column, not read as empty."""
    folder = case("hunt-02-formula-no-cached-value", tmp_path)
    result = run_cli("check", str(folder / "scenario.toml"))
    assert result.returncode == 2, result.stdout
    lines = result.stderr.splitlines()
    message = "formule zonder berekende waarde: open en sla op in Excel"
    assert f"staff, row 3, column available: {message}" in lines
    assert f"children, row 3, column not_with: {message}" in lines
    assert "Traceback" not in result.stderr


def test_formula_with_stored_result_is_read(tmp_path, small_sheets):
    """A formula whose result Excel stored is read as that result; an error value is named."""
    sheets = small_sheets
    sheets["children"][0].append("not_with")
    sheets["children"][1].append("=A3")
    sheets["children"][2].append("=1/0")
    path = write_workbook(tmp_path / "in.xlsx", sheets)
    part = _sheet_part(path, "children")
    rewrite_part(path, part, lambda xml: xml.replace(b"<f>A3</f><v></v>", b"<f>A3</f><v>C2</v>")
             .replace(b"<f>A3</f><v />", b"<f>A3</f><v>C2</v>")
             .replace(b"<f>1/0</f><v></v>", b"<f>1/0</f><v>#DIV/0!</v>")
             .replace(b"<f>1/0</f><v />", b"<f>1/0</f><v>#DIV/0!</v>"))
    xml = zipfile.ZipFile(path).read(part)
    assert b"<v>C2</v>" in xml and b"#DIV/0!" in xml
    rewrite_part(path, part, lambda xml: xml.replace(b'<c r="H3"', b'<c r="H3" t="e"')
             .replace(b'<c r="H2"', b'<c r="H2" t="str"'))
    lines = problems_of(path)
    assert lines == ["children, row 3, column not_with: foutwaarde #DIV/0! in de cel: herstel de formule"]


def test_hunt03_formatted_rows_far_below_are_not_rows(tmp_path):
    """hunt-03: a coloured empty cell in row 120000 does not make a 3-child workbook too long."""
    folder = case("hunt-03-formatted-empty-rows", tmp_path)
    result = run_cli("check", str(folder / "scenario.toml"))
    assert result.returncode == 0, result.stderr
    assert "3 jeugdigen. Invoer in orde." in " ".join(result.stdout.split())


def test_row_limit_counts_rows_with_values(tmp_path, small_sheets, monkeypatch):
    """Formatted blank rows never count towards the row limit; rows with values do."""
    monkeypatch.setattr("planner.inputs.tables.MAX_ROWS", 3)
    path = write_workbook(tmp_path / "in.xlsx", small_sheets)
    wb = openpyxl.load_workbook(path)
    wb["children"].cell(500_000, 1).fill = PatternFill("solid", fgColor="FFFF00")
    wb["children"].cell(400_000, 3).value = "   "
    wb.save(path)
    assert len(read_data(path, HR).children) == 2
    wb["children"].append(["C3", "Leiden", 52.16, 4.49, "41A03-1", 2, 9])
    wb["children"].append(["C4", "Leiden", 52.16, 4.49, "41A03-1", 2, 9])
    wb.save(path)
    assert problems_of(path) == ["children: meer dan 3 rijen met gegevens"]


def test_ids_with_leading_zeros_read_as_shown(tmp_path, small_sheets):
    """Ids stored as numbers under a '0000' format are read as shown (0101), so references match."""
    sheets = small_sheets
    sheets["children"][0].append("not_with")
    sheets["children"][1][0], sheets["children"][2][0] = 101, 102
    sheets["children"][1].append("0102")
    sheets["locations"][1][0] = 7
    sheets["groups"][1][1] = "NL-0007"
    path = write_workbook(tmp_path / "in.xlsx", sheets)
    wb = openpyxl.load_workbook(path)
    wb["children"]["A2"].number_format = wb["children"]["A3"].number_format = "0000"
    wb["locations"]["A2"].number_format = '"NL-"0000'
    wb["children"]["F2"].number_format = "00"  # a count shown as 04 is still 4
    wb.save(path)
    data = read_data(path, HR)
    assert [c.id for c in data.children] == ["0101", "0102"]
    assert data.children[0].not_with == ("0102",) and data.children[0].dagdelen_per_week == 4
    assert data.locations[0].id == "NL-0007" and data.groups[0].location_id == "NL-0007"


def test_excel_table_totals_row_is_not_a_child(tmp_path, small_sheets):
    """The totals row of an Excel Table (Totaal, SUM) is not read as a child."""
    sheets = small_sheets
    sheets["children"].append(["Totaal", None, None, None, None, "=SUBTOTAL(109,F2:F3)", None])
    path = write_workbook(tmp_path / "in.xlsx", sheets)
    wb = openpyxl.load_workbook(path)
    table = ExcelTable(displayName="Jeugdigen", ref="A1:G4", totalsRowCount=1)
    wb["children"].add_table(table)
    wb.save(path)
    assert [c.id for c in read_data(path, HR).children] == ["C1", "C2"]
    wb["children"].tables["Jeugdigen"].totalsRowCount = None  # without it, the row is data: refused
    wb.save(path)
    assert any(line.startswith("children, row 4") for line in problems_of(path))


def test_hunt22_strict_open_xml_is_read(tmp_path):
    """hunt-22: a workbook saved as Strict Open XML is read like the ordinary one."""
    folder = case("hunt-22-strict-ooxml", tmp_path)
    result = run_cli("check", str(folder / "scenario.toml"))
    assert result.returncode == 0, result.stderr
    assert "3 jeugdigen. Invoer in orde." in " ".join(result.stdout.split())
    assert "Warning" not in result.stderr


def test_strict_namespaces_read_like_transitional(tmp_path, small_sheets):
    """Any workbook turned into strict namespaces reads the same as the original."""
    path = write_workbook(tmp_path / "in.xlsx", small_sheets)
    before = read_data(path, HR)
    strict = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
              b"http://schemas.openxmlformats.org/officeDocument/2006/": b"http://purl.oclc.org/ooxml/officeDocument/"}
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    for name, data in parts.items():
        for transitional, new in strict.items():
            data = data.replace(transitional, new)
        parts[name] = data
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert b"purl.oclc.org" in zipfile.ZipFile(path).read("xl/workbook.xml")
    assert read_data(path, HR) == before


def test_dates_with_zero_time_are_dates(tmp_path, small_sheets):
    """A date-time at midnight is a date; one with a time of day is named, not cut."""
    sheets = small_sheets
    sheets["children"][0] += ["birth_date", "start_date"]
    sheets["children"][1] += [dt.datetime(2016, 3, 14), "2025-09-01 00:00:00"]
    sheets["children"][2] += [dt.date(2015, 1, 2), dt.datetime(2025, 9, 1, 9, 30)]
    path = write_workbook(tmp_path / "in.xlsx", sheets)
    lines = problems_of(path)
    assert lines == ["children, row 3, column start_date: '01-09-2025 09:30' heeft een tijdstip; "
                     "verwacht alleen een datum"]
    tables = read_tables(path, ("children",))
    assert tables["children"].rows[0][1]["birth_date"] == dt.date(2016, 3, 14)


def test_header_twice_is_named(tmp_path, small_sheets):
    """A column name written twice is a problem, not the last one silently winning."""
    sheets = small_sheets
    sheets["children"][0].append("lat")
    for row in sheets["children"][1:]:
        row.append(10.0)
    lines = problems_of(write_workbook(tmp_path / "in.xlsx", sheets))
    assert lines == ["children, row 1, column H: kolom 'lat' staat er twee keer (ook in kolom C)"]


# the file's metadata is not the truth ----------------------------------------------------------

def test_fuzz03_understated_dimension_reads_every_child(tmp_path):
    """fuzz-03: a sheet claiming A1:Q10 still gives all 60 children."""
    folder = case("fuzz-03-dimension-understated-drops-children", tmp_path)
    result = run_cli("check", str(folder / "scenario.toml"))
    assert result.returncode == 0, result.stderr
    assert "60 jeugdigen. Invoer in orde." in " ".join(result.stdout.split())


def test_row_beyond_dimension_is_read(tmp_path, small_sheets):
    """A child in row 1048576, beyond a dimension of A1:G3, is read."""
    sheets = small_sheets
    path = write_workbook(tmp_path / "in.xlsx", sheets)
    wb = openpyxl.load_workbook(path)
    for col, value in enumerate(["C9", "Leiden", 52.16, 4.49, "41A03-1", 2, 9], start=1):
        wb["children"].cell(1_048_576, col).value = value
    wb.save(path)
    rewrite_part(path, _sheet_part(path, "children"),
             lambda xml: xml.replace(b'<dimension ref="A1:G1048576"/>', b'<dimension ref="A1:G3"/>'))
    assert [c.id for c in read_data(path, HR).children] == ["C1", "C2", "C9"]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def test_fuzz02_claimed_16384_columns_cost_nothing(tmp_path):
    """fuzz-02: <dimension ref="A1:XFD1048576"> and a cell in row 99,999: exit 2 naming that row, in 3 GB."""
    folder = case("fuzz-02-dimension-memory-bomb", tmp_path)
    result = subprocess.run([sys.executable, "-m", "planner.cli", "check", str(folder / "scenario.toml")],
                            capture_output=True, text=True, preexec_fn=_limit_memory)
    assert result.returncode == 2, result.stderr
    assert "children, row 99999, column lat: verplichte waarde ontbreekt" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


@pytest.mark.parametrize("variant", ["data.xlsx", "data-crc.xlsx", "data-badrow.xlsx", "data-badnum.xlsx"])
def test_fuzz04_damaged_worksheet_is_one_line(tmp_path, variant):
    """fuzz-04: truncated XML, bad CRC, a row numbered 'drie', a number cell 'abc': exit 2, one line."""
    folder = case("fuzz-04-damaged-sheet-traceback", tmp_path)
    if variant != "data.xlsx":
        shutil.copy(folder / variant, folder / "data.xlsx")
    result = run_cli("check", str(folder / "scenario.toml"))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 2 and lines[0].startswith("children") and "open en sla op in Excel" in lines[0], lines
    assert "Traceback" not in result.stderr


def test_zip_bomb_refused(tmp_path, small_sheets, monkeypatch):
    """A workbook that unpacks beyond the limit is refused before it is parsed."""
    monkeypatch.setattr("planner.inputs.workbook.MAX_UNPACKED_BYTES", 2**20)
    path = write_workbook(tmp_path / "in.xlsx", small_sheets)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (2 * 2**20))
    assert os.path.getsize(path) < 2**20
    assert problems_of(path) == ["in.xlsx: uitgepakt 2 MB, meer dan toegestaan; geweigerd"]


def test_other_sheets_are_not_parsed(tmp_path, small_sheets):
    """A damaged sheet the contract does not name (notes, pivots) is never parsed."""
    sheets = {**small_sheets, "notities": [["tekst"], ["iets"]]}
    path = write_workbook(tmp_path / "in.xlsx", sheets)
    notes, children = _sheet_part(path, "notities"), _sheet_part(path, "children")
    rewrite_part(path, notes, lambda xml: xml[: len(xml) // 2])
    assert len(read_data(path, HR).children) == 2
    rewrite_part(path, children, lambda xml: xml[: len(xml) // 2])
    assert problems_of(path) == ["children: werkblad beschadigd (ParseError): open en sla op in Excel"]


def _finishes(action, seconds: float = 20) -> BaseException | None:
    """Run `action` in a thread; it must end (not block) within `seconds`; returns what it raised."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            action()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, "reading blocked"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_refused_at_once(tmp_path):
    """A named pipe as workbook, as CSV in a folder or as previous roster is refused, never waited on."""
    os.mkfifo(tmp_path / "data.xlsx")
    (tmp_path / "csv").mkdir()
    os.mkfifo(tmp_path / "csv" / "children.csv")
    os.mkfifo(tmp_path / "roster.csv")
    for action in (lambda: read_tables(tmp_path / "data.xlsx"), lambda: read_tables(tmp_path / "csv"),
                   lambda: read_previous(tmp_path / "roster.csv", ("ochtend", "middag"))):
        raised = _finishes(action)
        assert isinstance(raised, InputError), raised
        assert "geen gewoon bestand" in str(raised)


# kind 8: all problems in one pass -------------------------------------------------------------

def test_missing_column_hides_nothing(tmp_path, small_sheets):
    """Issue 15 kind 8: no municipality column, an unknown product, a duplicate id, a negative
    indication and a row without id: every problem is reported, the unknown products too."""
    sheets = small_sheets
    sheets["children"] = [[c for i, c in enumerate(row) if i != 1] for row in sheets["children"]]
    sheets["children"].append(["C3", 52.16, 4.49, "41A99", 2, 9])  # unknown product
    sheets["children"].append(["C1", 52.16, 4.49, "41A03-1", 2, 9])  # duplicate id
    sheets["children"].append(["C4", 52.16, 4.49, "41A03-1", -1, 9])  # negative indication
    sheets["children"].append([None, 52.16, 4.49, "41A98", 2, 9])  # no id, unknown product
    lines = problems_of(write_workbook(tmp_path / "in.xlsx", sheets))
    assert lines[0] == "children, row 1, column municipality: verplichte kolom ontbreekt"
    assert lines[1].startswith("children, row 4, column product: onbekend product '41A99'")
    assert lines[2].startswith("children, row 5, column child_id: dubbele id 'C1'")
    assert lines[3].startswith("children, row 6, column dagdelen_per_week: -1 is te klein")
    assert "children, row 7, column child_id: verplichte waarde ontbreekt" in lines
    assert any(line.startswith("children, row 7, column product: onbekend product '41A98'") for line in lines)
    assert len(lines) == 6, lines


def test_password_protected_or_xls_refused(tmp_path):
    """An OLE2 file named .xlsx (a workbook with a password, or an old .xls) is one line saying what to do."""
    path = tmp_path / "in.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError) as caught:
        read_tables(path)
    assert [str(p) for p in caught.value.problems] == [
        "in.xlsx: werkmap met wachtwoord of oud .xls-formaat: sla op als gewone Excel-werkmap (.xlsx) "
        "zonder wachtwoord"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    [b"", b'"', b"<", b"&", b' r="x"', b' t="e"', b' t="s"', b"<v>99999</v>", b"<f>A1</f>", b' s="99"',
     b"\xff", b'<row r="0">', b"<c/>", b"</row>"]), st.integers(0, 40)), min_size=1, max_size=5))
def test_mutated_sheet_never_a_traceback(tmp_path, small_sheets, edits):
    """Any byte edit of a worksheet part ends in data or in InputError lines, never another exception."""
    path = write_workbook(tmp_path / "in.xlsx", small_sheets)
    part = _sheet_part(path, "children")

    def mutate(xml: bytes) -> bytes:
        for where, insert, cut in edits:
            at = int(where * len(xml))
            xml = xml[:at] + insert + xml[at + cut:]
        return xml

    rewrite_part(path, part, mutate)
    try:
        read_data(path, HR)
    except InputError as exc:
        assert exc.problems and all(str(p).strip() for p in exc.problems)
