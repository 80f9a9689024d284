"""CSV as Dutch offices write it (planner/inputs/tables.py), with the cases of issue 15."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.inputs.catalogue import load_model
from planner.inputs.data import read_data
from planner.inputs.errors import InputError
from planner.inputs.tables import decode, read_csv, sniff_delimiter
from planner.solver.replan import read_previous
from tests.conftest import run_cli
from tests.unit.test_workbook import case

HR = load_model("holland-rijnland-2025")
WEEK = "ma-ochtend, ma-middag, di-ochtend, di-middag, wo-ochtend, do-ochtend, do-middag, vr-ochtend"
SHEETS = {
    "locations": [["location_id", "provider", "name", "lat", "lon"], ["L1", "Zorg & Co", "Café Zoë", "52,16", "4,49"]],
    "groups": [["group_id", "location_id", "products", "capacity", "open"],
               ["G1", "L1", "41A03-1, DB-LICHT", "8", WEEK]],
    "staff": [["staff_id", "name", "education", "dagdelen_per_week", "available"]]
    + [[f"S{i}", f"Medewerker {i}", "HBO", "8", WEEK] for i in range(1, 10)],
    "children": [["child_id", "name", "municipality", "lat", "lon", "product", "dagdelen_per_week", "age",
                  "birth_date", "not_with"],
                 ["C1", "Renée", "Kaag en Braassem", "52,161", "4,491", "41A03-1", "4", "", "14-03-2016", "C2"],
                 ["C2", "Noël", "Leiden", "52,162", "4,492", "41A03-1", "2", "9,5", "", ""]],
}


def write_folder(folder: Path, encoding: str, delimiter: str, newline: str, sep_line: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for sheet, rows in SHEETS.items():
        buffer = io.StringIO()
        if sep_line:
            buffer.write(f"sep={delimiter}{newline}")
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
        (folder / f"{sheet}.csv").write_bytes(buffer.getvalue().encode(encoding))
    return folder


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_every_writing_reads_the_same(tmp_path, encoding, delimiter):
    """Separator, encoding (BOM or not), line ends and a `sep=` line change nothing read."""
    reference = read_data(write_folder(tmp_path / "ref", "utf-8", ";", "\n", False), HR)
    assert reference.locations[0].name == "Café Zoë" and reference.children[1].age == 9.5
    assert len(reference.staff) == 9 and len(reference.staff[0].available or ()) == 8
    for newline in ("\r\n", "\r", "\n"):
        for sep_line in (False, True):
            folder = write_folder(tmp_path / f"{len(newline)}{newline == chr(13)}{sep_line}", encoding, delimiter,
                                  newline, sep_line)
            assert read_data(folder, HR) == reference, (newline, sep_line)


def test_hunt08_semicolons_with_comma_lists(tmp_path):
    """hunt-08: a ';' file whose rows hold more commas (lists) than semicolons reads as ';'."""
    folder = case("hunt-08-csv-semicolon-misdetected", tmp_path)
    result = run_cli("check", str(folder / "scenario.toml"))
    assert result.returncode == 0, result.stderr
    assert "Invoer in orde" in result.stdout
    data = read_data(folder / "data", HR)
    assert len(data.staff) == 8 and all(len(s.available or ()) == 8 for s in data.staff)


@pytest.mark.parametrize("scenario", ["scenario.toml", "scenario-utf16.toml"])
def test_hunt10_carriage_returns_and_utf16(tmp_path, scenario):
    """hunt-10: CR-only line ends (Excel for Mac) and a UTF-16 tab-separated export read like any CSV."""
    folder = case("hunt-10-csv-mac-cr", tmp_path)
    result = run_cli("check", str(folder / scenario))
    assert result.returncode == 0, result.stderr
    assert "Invoer in orde" in result.stdout


def test_fuzz15_long_field_is_one_line(tmp_path):
    """fuzz-15: a 200,000-character field in a CSV folder and in --previous: exit 2, one line each."""
    folder = case("fuzz-15-csv-field-limit-traceback", tmp_path)
    message = "waarde van 200000 tekens is langer dan 32767 (de grens van Excel)"
    result = run_cli("check", str(folder / "scenario.toml"))
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == f"children, row 2, column name: {message}"
    result = run_cli("plan", str(folder / "scenario-xlsx.toml"), "--previous", str(folder / "prev.csv"),
                     "--time-limit", "2", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == f"prev.csv, row 2, column person_id: {message}"
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_long_field_does_not_hide_other_problems(tmp_path):
    """Beyond the csv module's own limit (131,072), a long value is named and the rest still read."""
    folder = write_folder(tmp_path / "d", "utf-8", ";", "\n", False)
    rows = [row[:] for row in SHEETS["children"]]
    rows[1][1] = "x" * 200_000
    rows[2][5] = "41A99"
    (folder / "children.csv").write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_data(folder, HR)
    lines = [str(p) for p in caught.value.problems]
    assert lines[0].startswith("children, row 2, column name: waarde van 200000 tekens")
    assert lines[1].startswith("children, row 3, column product: onbekend product '41A99'")


def test_more_fields_than_header_is_named(tmp_path):
    """A row split into more fields than the header has (an unquoted separator) is named, not cut."""
    folder = write_folder(tmp_path / "d", "utf-8", ";", "\n", False)
    text = (folder / "staff.csv").read_text(encoding="utf-8").replace("S3;Medewerker 3;", "S3;Medewerker;3;")
    (folder / "staff.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_data(folder, HR)
    lines = [str(p) for p in caught.value.problems]
    assert "staff, row 4: meer waarden dan kolommen in de kopregel (scheidingsteken ';')" in lines


@pytest.mark.parametrize("raw", [b"child_id;name\nC1;\x81\x8d\x9d\n",
                                 b"\xff\xfe" + "a;b".encode("utf-16-le") + b"\x00"])
def test_undecodable_text_is_one_line(tmp_path, raw):
    """Bytes that are no UTF-8, UTF-16 or Windows-1252 text are refused in one line (a stray NUL
    is not: it is named in its cell, test_fix15_readers)."""
    (tmp_path / "children.csv").write_bytes(raw)
    with pytest.raises(InputError) as caught:
        read_csv(tmp_path / "children.csv")
    assert [str(p) for p in caught.value.problems] == [
        "children.csv: tekst is geen UTF-8, UTF-16 of Windows-1252; sla op als CSV UTF-8"]


def test_decode_order():
    """BOM first, then UTF-16 by its NULs, then strict UTF-8, then Windows-1252."""
    assert decode("Zoë".encode("utf-8-sig"), "x") == "Zoë"
    assert decode("Zoë;a".encode("utf-16-be"), "x") == "Zoë;a"
    assert decode("Zoë".encode(), "x") == "Zoë"
    assert decode("Zoë €5".encode("cp1252"), "x") == "Zoë €5"


def test_sniffing_reads_only_the_header():
    """The separator comes from `sep=` or the header line, never from commas in the data rows."""
    rows = "\n".join(f"S{i};{WEEK};1,5" for i in range(50))
    assert sniff_delimiter(f"staff_id;available;hours\n{rows}")[0] == ";"
    assert sniff_delimiter("sep=|\nstaff_id,available")[0] == "|"
    assert sniff_delimiter('"staff_id";"a, b";"c"\n1,2,3,4,5,6')[0] == ";"
    assert sniff_delimiter("staff_id\nS1")[0] == ","


def test_unclosed_quote_no_traceback(tmp_path):
    """An unclosed quote swallows the rest of the file into one value: problems, not a traceback."""
    folder = write_folder(tmp_path / "d", "utf-8", ";", "\n", False)
    text = (folder / "children.csv").read_text(encoding="utf-8").replace("C2;Noël", 'C2;"Noël')
    (folder / "children.csv").write_text(text + "C3;x;Leiden\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_data(folder, HR)
    assert all(p.sheet == "children" and p.row == 3 for p in caught.value.problems)


def test_previous_roster_as_dutch_excel_saves_it(tmp_path):
    """--previous accepts a roster re-saved by Dutch Excel: ';', Windows-1252, CR LF, a sep= line."""
    lines = ["sep=;", "dagdeel;location_id;group_id;role;person_id;product;education",
             "ma-ochtend;L1;G1;child;C1;41A03-1;", "ma-ochtend;L1;G1;staff;S1;;HBO",
             "ma-ochtend;L1;G1;vacancy;vacature-HBO-1;;HBO"]
    path = tmp_path / "roster.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    previous = read_previous(path, ("ochtend", "middag"))
    assert previous.children == (("C1", "G1", "ma-ochtend"),)
    assert previous.staff == (("S1", "G1", "ma-ochtend"),) and previous.vacancies == (("HBO", "G1", "ma-ochtend"),)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet=st.sampled_from(list(SHEETS)), edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    [b"", b'"', b";", b",", b"\r", b"\n", b"\x00", b"\xff\xfe", b"sep=;\n", b"\t", b"=A1", b"1e309", b"-5",
     b"\xef\xbb\xbf", b"\x81"]), st.integers(0, 20)), min_size=1, max_size=6))
def test_mutated_csv_never_a_traceback(tmp_path, sheet, edits):
    """Any byte edit of a CSV file ends in data or in InputError lines, never another exception."""
    folder = write_folder(tmp_path / "d", "utf-8", ";", "\r\n", False)
    raw = (folder / f"{sheet}.csv").read_bytes()
    for where, insert, cut in edits:
        at = int(where * len(raw))
        raw = raw[:at] + insert + raw[at + cut:]
    (folder / f"{sheet}.csv").write_bytes(raw)
    for action in (lambda: read_data(folder, HR), lambda: read_previous(folder / f"{sheet}.csv", ("ochtend",))):
        try:
            action()
        except InputError as exc:
            assert exc.problems and all(str(p).strip() for p in exc.problems)
