"""An .xlsx workbook read as a person sees it in Excel.

openpyxl reads the workbook's parts (sheet names, shared strings, styles); each wanted worksheet is
then streamed row by row with openpyxl's own worksheet parser, extended in `_SheetParser` so that:

- the sheet's `<dimension>` is never trusted: rows are read as they are in the file, not padded or
  cut to what the sheet claims (a stale dimension once hid 51 of 60 children; a claimed 16,384
  columns cost 13 GB); rows hold only their own cells, and only up to the header's last column;
- a formula without a stored result (a script or web export wrote it, no spreadsheet program
  computed it) is not read as empty but as `Unreadable`, as are Excel error values (`#REF!`) and
  damaged cells; a damaged worksheet (bad XML, bad checksum) is one line, never a traceback;
- an integer shown through a zero-padding number format (`0000`: 101 shown as 0101) is read as the
  text shown; a date-time at midnight is a date;
- the totals row of an Excel Table is not data;
- a workbook saved as Strict Open XML is read after renaming its namespaces to the transitional
  ones (the same elements under other names, ISO/IEC 29500-1 §A and part 4).

openpyxl's worksheet parser and a few workbook attributes it keeps private (`_archive`,
`_date_formats`) are used; `tests/unit/test_workbook.py` pins the behaviour.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import warnings
import zipfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring

from planner.inputs.errors import InputError, Problem
from planner.inputs.tables import (
    MAX_UNPACKED_BYTES,
    Cell,
    Table,
    Unreadable,
    build_table,
    open_regular,
    read_csv_folder,
)

NO_RESULT = "formule zonder berekende waarde: open en sla op in Excel"

# ISO/IEC 29500 strict namespaces -> the transitional ones openpyxl (and most readers) know
_STRICT = (
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/", b"http://schemas.openxmlformats.org/officeDocument/2006/"),
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/", b"http://schemas.openxmlformats.org/drawingml/2006/"),
)


class _SheetDamaged(Exception):
    """The worksheet part cannot be read at all; the message is Dutch and names what is wrong."""


def _check_zip(path: Path, handle: IO[bytes]) -> zipfile.ZipFile:
    if handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2: an old .xls or a password-protected workbook
        raise InputError([Problem(path.name, "werkmap met wachtwoord of oud .xls-formaat: sla op als gewone "
                                             "Excel-werkmap (.xlsx) zonder wachtwoord")])
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError([Problem(path.name, "geen geldig Excel-bestand (.xlsx)")]) from None
    if total > MAX_UNPACKED_BYTES:
        raise InputError([Problem(path.name, f"uitgepakt {total // 2**20} MB, meer dan toegestaan; geweigerd")])
    return archive


def _transitional(archive: zipfile.ZipFile) -> IO[bytes] | None:
    """A transitional copy of a Strict Open XML workbook (spooled to disk when large), else None."""
    try:
        rels = archive.read("_rels/.rels")
    except KeyError:
        return None
    if b"purl.oclc.org/ooxml" not in rels:
        return None
    copy = tempfile.SpooledTemporaryFile(max_size=16 * 2**20)
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith((".xml", ".rels", ".vml")):
                for strict, transitional in _STRICT:
                    data = data.replace(strict, transitional)
                data = data.replace(b' conformance="strict"', b"")
            out.writestr(info.filename, data)
    copy.seek(0)
    return copy


_FORMAT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|(0+)')


def displayed_integer(value: int, number_format: str) -> str | None:
    """The text Excel shows for a non-negative integer under a zero-padding format, else None.

    `0000` shows 101 as `0101`; literal text around the zeros is kept (`"NL-"0000` -> `NL-0101`).
    Other formats (General, `0`, `0.00`, dates) are not zero padding: None.
    """
    first = number_format.split(";")[0]
    parts: list[str | None] = []
    zeros, position = 0, 0
    for match in _FORMAT_TOKEN.finditer(first):
        if match.start() != position or (match.group(3) and zeros):
            return None
        position = match.end()
        if match.group(3):
            zeros = len(match.group(3))
            parts.append(None)
        else:
            parts.append(match.group(1) if match.group(1) is not None else match.group(2))
    if position != len(first) or zeros < 2 or value < 0:
        return None
    digits = str(value).zfill(zeros)
    return "".join(digits if part is None else part for part in parts)


_CELL_TYPES = frozenset({"n", "s", "str", "b", "inlineStr", "d", "e"})  # ECMA-376 ST_CellType
_XML_NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)  # xsd:double as Excel writes


def _sheet_rows(wb: Any, ws: Any, formats: dict[int, str]) -> Iterator[tuple[int, list[tuple[int, Cell]]]]:
    formula_tag, value_tag = f"{{{SHEET_MAIN_NS}}}f", f"{{{SHEET_MAIN_NS}}}v"

    class _SheetParser(WorkSheetParser):
        def parse_row(self, row: Any) -> Any:
            try:
                return super().parse_row(row)
            except (ValueError, TypeError):
                raise _SheetDamaged(f"ongeldig rijnummer '{row.get('r')}'") from None

        def unreadable(self, element: Any, column: int, message: str) -> dict[str, Any]:
            self.col_counter = column
            if element.get("r"):
                try:
                    self.col_counter = column_index_from_string(coordinate_from_string(element.get("r"))[0])
                except ValueError:
                    pass
            return {"row": self.row_counter, "column": self.col_counter, "value": Unreadable(message),
                    "data_type": "e", "style_id": 0}

        def parse_cell(self, element: Any) -> dict[str, Any]:
            column = int(getattr(self, "col_counter", 0)) + 1
            where = element.get("r") or ""
            written = "".join(c for c in element.findtext(value_tag) or "" if c.isprintable())[:20]
            kind = element.get("t", "n")
            if kind not in _CELL_TYPES:
                return self.unreadable(element, column, f"beschadigde cel {where}: onbekend celtype '{kind[:10]}' "
                                                        "(open en sla op in Excel)")
            if kind == "n" and element.findtext(value_tag) and not _XML_NUMBER.fullmatch(element.findtext(value_tag)):
                # int()/float() also take `1_0` and other scripts' digits; Excel never writes them
                return self.unreadable(element, column, f"geen geldig getal '{written}' in cel {where} "
                                                        "(beschadigde cel: open en sla op in Excel)")
            try:
                cell: dict[str, Any] = super().parse_cell(element)
            except (ValueError, TypeError, IndexError, KeyError):
                return self.unreadable(element, column,
                                       f"beschadigde cel {where} ('{written}'): open en sla op in Excel")
            if cell["value"] is None and element.find(formula_tag) is not None and element.get("t") != "str":
                # no <v>, or an empty one (what openpyxl and other scripts write): never computed;
                # a formula whose result is the empty text is t="str" with an empty <v>
                cell["value"] = Unreadable(NO_RESULT)
            elif cell["data_type"] == "e":
                cell["value"] = Unreadable(f"foutwaarde {cell['value']} in de cel: herstel de formule")
            return cell

    def shown(cell: dict[str, Any]) -> Cell:
        value = cell["value"]
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date()
        if isinstance(value, dt.time | dt.timedelta):
            return str(value)
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15)
        if cell["data_type"] == "n" and whole and cell["style_id"]:
            style = cell["style_id"]
            if style not in formats:
                try:
                    formats[style] = ReadOnlyCell(ws, 0, 0, None, "n", style).number_format or ""
                except (IndexError, KeyError, TypeError):  # a style the file does not define
                    formats[style] = ""
            text = displayed_integer(int(value), formats[style])
            return text if text is not None else value
        return value

    # openpyxl has no public API for its sheet parser: these are its read-only workbook's own parts
    # (the archive, the sheet's path, shared strings, date formats); tests/unit/test_workbook.py pins them
    with wb._archive.open(ws._worksheet_path) as source:  # noqa: SLF001
        parser = _SheetParser(source, ws._shared_strings, data_only=True, epoch=wb.epoch,  # noqa: SLF001
                              date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)  # noqa: SLF001
        for number, cells in parser.parse():
            yield number, [(c["column"] - 1, shown(c)) for c in cells if c["value"] is not None]


def _totals_rows(wb: Any, ws: Any) -> set[int]:
    """Row numbers of the totals rows of the sheet's Excel Tables (ListObjects)."""
    # openpyxl's read-only mode does not load Tables: read their parts from its archive (no public API)
    rels_path = get_rels_path(ws._worksheet_path)  # noqa: SLF001
    if rels_path not in wb._archive.namelist():  # noqa: SLF001
        return set()
    rows: set[int] = set()
    for rel in get_dependents(wb._archive, rels_path).find(ExcelTable._rel_type):  # noqa: SLF001
        table = ExcelTable.from_tree(fromstring(wb._archive.read(rel.target)))  # noqa: SLF001
        count = table.totalsRowCount or 0
        _, _, _, last = range_boundaries(table.ref)
        rows.update(range(last - count + 1, last + 1))
    return rows


def read_workbook(path: Path, sheets: Collection[str] | None = None) -> dict[str, Table]:
    """The wanted sheets (lower-case names; None = all) of an .xlsx workbook as Tables.

    Other sheets are not parsed. Raises InputError with one line per problem when the file or a
    wanted worksheet cannot be read (not a zip, zip bomb, damaged part).
    """
    handle: IO[bytes] = io.BytesIO(open_regular(path, MAX_UNPACKED_BYTES))
    archive = _check_zip(path, handle)
    try:
        strict = _transitional(archive)
    except Exception as exc:  # a damaged part met while renaming namespaces
        raise InputError([Problem(path.name, f"kan werkmap niet lezen ({type(exc).__name__}): "
                                             "open en sla op in Excel")]) from None
    with warnings.catch_warnings():  # openpyxl warns about features it drops; none matter here
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(strict or handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types on a damaged file
            raise InputError([Problem(path.name, f"kan werkmap niet lezen ({type(exc).__name__}): "
                                                 "open en sla op in Excel")]) from None
        tables: dict[str, Table] = {}
        problems: list[Problem] = []
        formats: dict[int, str] = {}
        try:
            for ws in wb.worksheets:
                key = ws.title.strip().lower()
                if (sheets is not None and key not in sheets) or key in tables:
                    continue
                try:
                    tables[key] = build_table(ws.title, _sheet_rows(wb, ws, formats), skip=_totals_rows(wb, ws))
                except _SheetDamaged as exc:
                    problems.append(Problem(ws.title, f"werkblad beschadigd ({exc}): open en sla op in Excel"))
                except InputError:
                    raise
                except Exception as exc:  # truncated XML, bad CRC, a part that is missing
                    problems.append(Problem(ws.title, f"werkblad beschadigd ({type(exc).__name__}): "
                                                      "open en sla op in Excel"))
        finally:
            wb.close()
    if problems:
        raise InputError(problems)
    return tables


def read_tables(path: Path, sheets: Collection[str] | None = None) -> dict[str, Table]:
    """The wanted sheets (lower-case names; None = all) of a workbook or a folder of CSV files.

    Raises InputError with one line per problem when the file itself cannot be read.
    """
    if path.is_dir():
        return read_csv_folder(path, sheets)
    if not path.exists():
        raise InputError([Problem(path.name, "bestand niet gevonden")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(path, sheets)
    raise InputError([Problem(path.name, "verwacht een .xlsx-werkmap of een map met CSV-bestanden")])
