"""Faults of the user test after issue 15 (repro inputs were /tmp/u15/repro-1..7; rebuilt here)."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import openpyxl
import pytest

from planner.inputs.catalogue import RATIO_RANGE, build_model, model_path, read_model_dict
from planner.inputs.data import read_data
from planner.inputs.errors import InputError
from planner.inputs.fields import number
from planner.inputs.scenario import load_scenario
from planner.inputs.tables import DecimalCommaText, decode, read_csv
from planner.report.outdir import report_dir, scenario_inputs
from planner.report.safe import MARKER
from tests.conftest import CHILDREN, GROUPS, LOCATIONS, STAFF, run_cli, write_workbook
from tests.unit.test_workbook import HR, rewrite_part

# -- 1. numbers: ASCII digits only ------------------------------------------------------------


@pytest.mark.parametrize("written", ["1_0", "１０", "٣", "52,1 6", "1 0", "0x10", "1e", "inf", "nan", "1,2,3",
                                     "--1", "1.2.3,4.5", "½", "1٫5"])
def test_number_refuses_what_python_alone_would_take(written):
    """repro-1/repro-2: underscores, other scripts' digits, spaces inside: 'geen geldig getal'."""
    with pytest.raises(ValueError, match="geen (geldig|bruikbaar) getal"):
        number(written)


@pytest.mark.parametrize(("written", "value"), [
    ("52,238", 52.238), ("52.238", 52.238), ("1.234,5", 1234.5), ("1.234.567", 1234567), (" 3 ", 3),
    ("-2", -2), ("+2,5", 2.5), ("1e3", 1000), ("1,5E-1", 0.15), (",5", 0.5), ("7.", 7)])
def test_number_keeps_every_form_a_person_writes(written, value):
    assert number(written) == pytest.approx(value)


def test_decimal_comma_file_refuses_ambiguous_thousands():
    """repro-2/b: `1.000` in a ';' file is one thousand or one: refused, with both spellings."""
    with pytest.raises(ValueError, match=r"dubbelzinnig getal '1\.000'.*schrijf 1000 of 1,0$"):
        number(DecimalCommaText("1.000"))
    with pytest.raises(ValueError, match="schrijf 2500 of 2,5"):
        number(DecimalCommaText("2.500"))
    assert number(DecimalCommaText("52,16")) == pytest.approx(52.16)
    assert number(DecimalCommaText("1.234,5")) == 1234.5
    assert number("1.000") == 1.0  # a ',' file or a workbook text: a decimal point


def _csv_folder(folder: Path, delimiter: str, dagdelen: str, lat: str = "52,161") -> Path:
    folder.mkdir()
    for sheet, rows in (("locations", LOCATIONS), ("groups", GROUPS), ("staff", STAFF), ("children", CHILDREN)):
        rows = [list(r) for r in rows]
        if sheet == "children":
            rows[1][5], rows[1][2] = dagdelen, lat
        if delimiter == ";":
            rows = [[str(v).replace(".", ",") if isinstance(v, float) else v for v in r] for r in rows]
        with (folder / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, delimiter=delimiter).writerows(rows)
    return folder


@pytest.mark.parametrize(("dagdelen", "lat", "expected"), [
    ("1_0", "52,161", "children, row 2, column dagdelen_per_week: geen geldig getal '1_0'"),
    ("１０", "52,161", "children, row 2, column dagdelen_per_week: geen geldig getal '１０'"),
    ("1.000", "52,161", "children, row 2, column dagdelen_per_week: dubbelzinnig getal '1.000'"),
    ("4", "52,1 6", "children, row 2, column lat: geen geldig getal '52,1 6'"),
])
def test_csv_numbers_exit_2_one_line(tmp_path, dagdelen, lat, expected):
    folder = _csv_folder(tmp_path / "d", ";", dagdelen, lat)
    result = run_cli("check", str(folder), "--model", "holland-rijnland-2025")
    lines = [ln for ln in result.stderr.splitlines() if ln.strip() and "probleem/problemen" not in ln]
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith(expected), result.stderr


def test_semicolon_csv_with_plain_numbers_still_reads(tmp_path):
    data = read_data(_csv_folder(tmp_path / "d", ";", "4"), HR)
    assert data.children[0].dagdelen_per_week == 4 and data.children[0].lat == pytest.approx(52.161)


def _workbook(tmp_path: Path) -> Path:
    sheets = {"locations": LOCATIONS, "groups": GROUPS, "staff": STAFF, "children": CHILDREN}
    return write_workbook(tmp_path / "w.xlsx", sheets)


def _children_part(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{wb.sheetnames.index('children') + 1}.xml"


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: re.sub(rb'<c r="F2"([^>]*)><v>[^<]*</v>', rb'<c r="F2"\1><v>1_0</v>', d),
     "children, row 2, column dagdelen_per_week: geen geldig getal '1_0' in cel F2"),
    (lambda d: re.sub(rb'<c r="F2"([^>]*)><v>[^<]*</v>', '<c r="F2"\\1><v>١٠</v>'.encode(), d),
     "children, row 2, column dagdelen_per_week: geen geldig getal '١٠' in cel F2"),
    (lambda d: re.sub(rb'<c r="F2"([^>]*?)( t="\w+")?>', rb'<c r="F2"\1 t="zz">', d, count=1),
     "children, row 2, column dagdelen_per_week: beschadigde cel F2: onbekend celtype 'zz'"),
])
def test_workbook_cells_refused_by_name(tmp_path, edit, expected):
    """repro-1: a number cell Python would read (`1_0`, Arabic-Indic digits) and an unknown type."""
    path = _workbook(tmp_path)
    rewrite_part(path, _children_part(path), edit)
    with pytest.raises(InputError) as caught:
        read_data(path, HR)
    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_duplicated_row_is_damage_not_a_duplicate_id(tmp_path):
    """`<row r="3">` written twice: the repeat is named as damage, never 'dubbele id (ook in rij 3)' on row 3."""
    path = _workbook(tmp_path)

    def twice(data: bytes) -> bytes:
        row = re.search(rb'<row r="3".*?</row>', data, re.S)
        assert row is not None
        return data[:row.end()] + row.group() + data[row.end():]

    rewrite_part(path, _children_part(path), twice)
    with pytest.raises(InputError) as caught:
        read_data(path, HR)
    lines = [str(p) for p in caught.value.problems]
    assert lines == ["children, row 3: rij 3 staat meer dan eens of niet op volgorde in het bestand "
                     "(beschadigd: open en sla op in Excel)"]


# -- 5. NUL bytes and UTF-16 ---------------------------------------------------------------------


def test_one_nul_in_utf8_is_named_in_its_cell(tmp_path):
    """repro-6/nul: one NUL in a UTF-8 file is not UTF-16; it is named in the cell that holds it."""
    folder = _csv_folder(tmp_path / "d", ",", "4")
    text = (folder / "children.csv").read_text(encoding="utf-8").replace("41A03-1", "41A03\x00-1", 1)
    (folder / "children.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_data(folder, HR)
    assert [str(p) for p in caught.value.problems] == ["children, row 2, column product: ongeldig teken (NUL)"]


def test_utf16_is_told_by_bom_or_by_its_nul_pattern():
    text = "child_id;name\nC1;Zoë\n" * 3
    assert decode(text.encode("utf-16-le"), "x") == text
    assert decode(text.encode("utf-16-be"), "x") == text
    assert decode(text.encode("utf-16"), "x") == text
    assert decode(text.encode() + b"\x00", "x") == text + "\x00"  # a stray NUL: still UTF-8


def test_control_character_in_cp1252_cell(tmp_path):
    (tmp_path / "children.csv").write_bytes(b"child_id;name\nC1;Zo\xeb\x07\n")
    table = read_csv(tmp_path / "children.csv")
    assert str(table.rows[0][1]["name"]) == "ongeldig teken (U+0007)"


# -- 3. and 4. a user's own model ----------------------------------------------------------------


def _model_raw() -> dict:
    return read_model_dict(model_path("holland-rijnland-2025"))


def test_missing_source_of_tariffs_and_index_is_a_warning():
    """repro-3/tariffs-nosrc: no `source` in [[published_tariffs]] / [[index_path]]: 'bron ontbreekt'."""
    raw = _model_raw()
    if not raw.get("published_tariffs") or not raw.get("index_path"):
        pytest.skip("model has no published tariffs or index path")
    for row in [*raw["published_tariffs"], *raw["index_path"]]:
        row.pop("source", None)
    model = build_model(raw, "m.toml")
    columns = [p.column for p in model.warnings() if "bron ontbreekt" in p.message]
    assert "published_tariffs[0].source" in columns and "index_path[0].source" in columns


def test_no_follow_on_error_for_hourly_cost_model():
    """`hourly = "cost_model"` written correctly: only the failing [cost_model] key is named."""
    raw = _model_raw()
    if raw.get("cost", {}).get("hourly") != "cost_model":
        pytest.skip("model does not derive hourly from cost_model")
    raw["cost_model"]["productivity"] = 2
    with pytest.raises(InputError) as caught:
        build_model(raw, "m.toml")
    assert [p.column for p in caught.value.problems] == ["cost_model.productivity"]
    del raw["cost_model"]
    with pytest.raises(InputError) as caught:
        build_model(raw, "m.toml")
    assert any("vraagt een tabel [cost_model]" in p.message for p in caught.value.problems)


@pytest.mark.parametrize(("key", "value", "words"), [
    ("children_per_staff", 0.0001, "niet aannemelijk (toegestaan 0.5 tot 50"),
    ("children_per_staff", 51, "niet aannemelijk"),
    ("children_per_staff", "1 op 200", "niet aannemelijk"),
    ("group_max", 500, "hoogstens"),
    ("min_staff", 40, "hoogstens"),
    ("max_dagdelen_per_week", 99, "hoogstens"),
])
def test_absurd_rule_figures_are_refused(key, value, words):
    """repro-4/model-0.0001: a ratio or group figure outside a sane range of the seeds is refused by key."""
    raw = _model_raw()
    code = next(iter(raw["products"]))
    raw["products"][code][key] = value
    with pytest.raises(InputError) as caught:
        build_model(raw, "m.toml")
    text = "\n".join(str(p) for p in caught.value.problems)
    assert f"products.{code}" in text and words in text, text


def test_absurd_staff_per_pair_is_refused():
    raw = _model_raw()
    code = next(iter(raw["products"]))
    raw["products"][code].pop("children_per_staff", None)
    raw["products"][code].update(staff=1, per=200)
    with pytest.raises(InputError) as caught:
        build_model(raw, "m.toml")
    assert "niet aannemelijk" in str(caught.value.problems[0])


def test_every_shipped_model_is_inside_the_ranges():
    for path in model_path("holland-rijnland-2025").parent.glob("*.toml"):
        model = build_model(tomllib.loads(path.read_text(encoding="utf-8-sig")), path.name)
        assert all(RATIO_RANGE[0] <= p.ratio <= RATIO_RANGE[1] for p in model.products.values())


def test_absurd_ratio_exits_2_in_check(tmp_path):
    raw_text = model_path("holland-rijnland-2025").read_text(encoding="utf-8")
    edited = re.sub(r"(?m)^children_per_staff = [^\n#]*", "children_per_staff = 0.0001", raw_text, count=1)
    assert edited != raw_text
    (tmp_path / "m.toml").write_text(edited, encoding="utf-8")
    result = run_cli("check", str(_csv_folder(tmp_path / "d", ",", "4")), "--model", str(tmp_path / "m.toml"))
    assert result.returncode == 2 and "children_per_staff" in result.stderr, result.stderr


# -- 6. output folders ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["new.xlsx", "plan.CSV", "x.toml", "r.json", "a.txt", "b.pdf"])
def test_out_with_a_file_suffix_is_refused(tmp_path, name):
    with pytest.raises(InputError) as caught:
        report_dir(tmp_path / name, "s")
    assert len(caught.value.problems) == 1 and "bestandsnaam" in str(caught.value.problems[0])
    assert not (tmp_path / name).exists()


def test_extended_base_inside_the_report_is_refused(tmp_path):
    """A scenario whose `extends` base lies inside the report that would be replaced: exit 2."""
    version = tmp_path / ".out.planner-123-abc"  # a report of ours: a link to a version folder
    version.mkdir()
    (version / MARKER).write_text("rapportmap", encoding="utf-8")
    out = tmp_path / "out"
    out.symlink_to(version.name)
    assert report_dir(out, "s") == out
    (out / "base.toml").write_text('model = "holland-rijnland-2025"\n', encoding="utf-8")
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "s"\nextends = "out/base.toml"\n', encoding="utf-8")
    sc = load_scenario(scenario)
    assert (out / "base.toml").resolve() in sc.bases
    with pytest.raises(InputError) as caught:
        report_dir(out, "s", scenario_inputs(sc))
    assert "base.toml" in str(caught.value.problems[0])
