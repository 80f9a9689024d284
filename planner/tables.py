"""Raw sheets from a workbook or a folder of CSV files: header names and rows with their numbers.

Reading is defensive: the file comes from a person's Excel and may hold anything. openpyxl uses
defusedxml when it is installed (it is a dependency), which refuses XML entity bombs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError, Problem

Cell = str | int | float | dt.date | dt.datetime | None
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a real provider workbook is a few MB; refuse zip bombs
MAX_ROWS = 100_000


@dataclass
class Table:
    sheet: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)


def _normalise_header(value: Any) -> str:
    return str(value).strip().lower().replace(" ", "_") if value is not None else ""


def _is_blank(values: list[Cell]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _table(sheet: str, header: list[Any], body: list[tuple[int, list[Cell]]]) -> Table:
    headers = [_normalise_header(h) for h in header]
    table = Table(sheet, headers)
    for number, values in body:
        if _is_blank(values):
            continue
        row = {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers) if h}
        table.rows.append((number, row))
    return table


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError([Problem(path.name, "geen geldig Excel-bestand (.xlsx)")]) from None
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            [Problem(path.name, f"uitgepakt {total // 2**20} MB, meer dan toegestaan; geweigerd")]
        )


def read_workbook(path: Path, sheets: Collection[str] | None = None) -> dict[str, Table]:
    """The worksheets of a workbook as tables, by lower-case title; only `sheets` when given
    (other sheets are never parsed: an extra 100,000-row sheet costs nothing)."""
    import openpyxl  # reading only; the writers live in planner.report

    _check_zip(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on a damaged file
        raise InputError([Problem(path.name, f"kan werkmap niet lezen: {type(exc).__name__}")]) from None
    tables: dict[str, Table] = {}
    try:
        for ws in wb.worksheets:
            if sheets is not None and ws.title.strip().lower() not in sheets:
                continue
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                tables[ws.title.strip().lower()] = Table(ws.title, [])
                continue
            body = []
            for number, values in enumerate(rows, start=2):
                if number > MAX_ROWS:
                    raise InputError([Problem(ws.title, f"meer dan {MAX_ROWS} rijen")])
                body.append((number, list(values)))
            tables[ws.title.strip().lower()] = _table(ws.title, list(header), body)
    finally:
        wb.close()
    return tables


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([Problem(name, "tekst is geen UTF-8 of Windows-1252")])


def read_csv(path: Path) -> Table:
    """One CSV file as a table named after the file; `;` or `,` separated, UTF-8 or Windows-1252."""
    text = _decode(path.read_bytes(), path.name)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(lines) > MAX_ROWS:
        raise InputError([Problem(path.stem, f"meer dan {MAX_ROWS} rijen")])
    if not lines:
        return Table(path.stem, [])
    body: list[tuple[int, list[Cell]]] = [
        (i, [c if c.strip() else None for c in line]) for i, line in enumerate(lines[1:], 2)
    ]
    return _table(path.stem, list(lines[0]), body)


def read_csv_folder(folder: Path) -> dict[str, Table]:
    return {path.stem.lower(): read_csv(path) for path in sorted(folder.glob("*.csv"))}


def read_tables(path: Path, sheets: Collection[str] | None = None) -> dict[str, Table]:
    if path.is_dir():
        return read_csv_folder(path)
    if not path.exists():
        raise InputError([Problem(path.name, "bestand niet gevonden")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(path, sheets)
    raise InputError([Problem(path.name, "verwacht een .xlsx-werkmap of een map met CSV-bestanden")])
