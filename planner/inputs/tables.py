"""Raw sheets from a workbook or a folder of CSV files: header names and rows with their numbers.

Reading is defensive: the file comes from a person's Excel, LibreOffice or a municipal export and
may hold anything. What the reader cannot read as the person sees it becomes an `Unreadable` cell
(a formula without a stored result, an Excel error value, a damaged cell, a value longer than Excel
allows): the parsers in `planner.inputs.fields` turn it into a problem naming sheet, row and column, so a
value is never dropped in silence. Workbooks are read by `planner.inputs.workbook` (and `read_tables` there
chooses between a workbook and a folder); CSV files here.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.inputs.errors import InputError, Problem


@dataclass(frozen=True)
class Unreadable:
    """A cell whose value cannot be read as shown; `message` says why and what to do (Dutch)."""

    message: str

    def __str__(self) -> str:
        return self.message


class DecimalCommaText(str):
    """Text from a file whose numbers use a decimal comma (a `;`-separated CSV, Dutch Excel's
    default). There `1.000` may be one thousand or 1,0: `fields.number` refuses it, not guesses."""


Cell = str | int | float | dt.date | dt.datetime | Unreadable | None
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a real provider workbook is a few MB; refuse zip bombs
MAX_CSV_BYTES = 50 * 1024 * 1024  # a CSV of 6,000 children is under 1 MB
MAX_ROWS = 100_000  # rows holding values; blank (formatted) rows do not count
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
UTF16_NUL_SHARE = 0.3  # share of odd or even bytes that are NUL above which a file is UTF-16


@dataclass
class Table:
    """One sheet: normalised header names and its non-blank rows as (row number, {header: value}).

    Row numbers are those a person sees (Excel's row, or the CSV record with the header as row 1).
    `problems` holds what is wrong with the sheet itself (a header twice, an unreadable header);
    readers add them to their own problems.
    """

    sheet: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalise_header(value: Any) -> str:
    return str(value).strip().lower().replace(" ", "_") if value is not None else ""


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(value: Cell) -> Cell:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return Unreadable(f"waarde van {len(value)} tekens is langer dan {MAX_CELL_CHARS} (de grens van Excel)")
    return value


def build_table(
    sheet: str, rows: Iterable[tuple[int, list[tuple[int, Cell]]]], skip: Collection[int] = (),
    spill: str | None = None,
) -> Table:
    """A Table from sparse rows `(row number, [(0-based column, value), ...])`.

    The header is the first row holding a value; columns after its last named column are not kept
    (a sheet that claims 16,384 columns costs nothing). Blank rows are skipped however many there
    are; more than MAX_ROWS rows holding values is refused. Rows in `skip` (totals rows of an Excel
    Table) are not data. With `spill`, values right of the header's last column are a problem
    (in a CSV file they mean the row was split wrongly); `spill` names the separator.
    """
    table = Table(sheet, [])
    width = 0
    count = 0
    last = 0
    for number, cells in rows:
        if number <= last:  # a damaged sheet: <row r="3"> twice, or out of order
            table.problems.append(Problem(sheet, f"rij {number} staat meer dan eens of niet op volgorde in het "
                                                 "bestand (beschadigd: open en sla op in Excel)", number))
            continue
        last = number
        if number in skip or all(is_blank(v) for _, v in cells):
            continue
        if not table.headers and width == 0:
            named = {col: v for col, v in cells if not is_blank(v)}
            width = max(named) + 1
            table.headers = [""] * width
            seen: dict[str, str] = {}
            for col, value in sorted(named.items()):
                letter = _column_letter(col)
                if isinstance(value, Unreadable):
                    table.problems.append(Problem(sheet, f"kopregel: {value.message}", number, letter))
                    continue
                name = normalise_header(_cell(value))
                if name in seen:
                    table.problems.append(
                        Problem(sheet, f"kolom '{name}' staat er twee keer (ook in kolom {seen[name]})", number, letter)
                    )
                    continue
                seen[name] = letter
                table.headers[col] = name
            continue
        if spill is not None and any(col >= width and not is_blank(v) for col, v in cells):
            table.problems.append(Problem(sheet, f"meer waarden dan kolommen in de kopregel ({spill})", number))
        kept = {table.headers[col]: _cell(v) for col, v in cells if col < width and table.headers[col]}
        if all(is_blank(v) for v in kept.values()):
            continue  # values only under columns without a name: not a column of the contract
        count += 1
        if count > MAX_ROWS:
            raise InputError([Problem(sheet, f"meer dan {MAX_ROWS} rijen met gegevens")])
        table.rows.append((number, {h: kept.get(h) for h in table.headers if h}))
    return table


def open_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    A named pipe, device or socket is refused at once (opened non-blocking, so a pipe without a
    writer never blocks). Raises InputError with one line naming the file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError([Problem(path.name, "bestand niet gevonden")]) from None
    except OSError as exc:
        raise InputError([Problem(path.name, f"kan bestand niet openen ({exc.strerror})")]) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError([Problem(path.name, "geen gewoon bestand (een pipe, apparaat of socket); geweigerd")])
        if info.st_size > limit:
            raise InputError([Problem(path.name, f"bestand is {info.st_size // 2**20} MB, meer dan "
                                                 f"{limit // 2**20} MB; geweigerd")])
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise InputError([Problem(path.name, f"bestand is meer dan {limit // 2**20} MB; geweigerd")])
    return data


# CSV --------------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(raw: bytes, name: str) -> str:
    """Text of a CSV file: a BOM decides; else UTF-16 by its NUL bytes; else UTF-8 (strict); else
    Windows-1252, what Dutch Excel's "CSV (gescheiden door lijstscheidingsteken)" writes.

    A statistical guesser (charset-normalizer) is not used: on a short Dutch file it may pick a
    Central-European code page, and these four cover what spreadsheet programs write.
    """
    encodings = [enc for bom, enc in _BOMS if raw.startswith(bom)][:1]
    if not encodings:
        # UTF-16 without BOM: mostly-ASCII text has a NUL in every other byte. One stray NUL in a
        # UTF-8 file is not that pattern; it is reported in its cell (see read_csv).
        head = raw[:4096]
        half = max(len(head) // 2, 1)
        even, odd = head[0::2].count(0) / half, head[1::2].count(0) / half
        if max(even, odd) > UTF16_NUL_SHARE:
            encodings = ["utf-16-le" if odd > even else "utf-16-be"]
    encodings = encodings or ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([Problem(name, "tekst is geen UTF-8, UTF-16 of Windows-1252; sla op als CSV UTF-8")])


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_NAMES = {"\x00": "NUL", "\x7f": "DEL"}


def _csv_cell(value: str, decimal_comma: bool) -> Cell:
    """A CSV field as a cell: a control character (NUL, ...) makes it unreadable, named; in a
    decimal-comma file the text is marked so `fields.number` can refuse an ambiguous `1.000`."""
    bad = _CONTROL.search(value)
    if bad:
        char = bad.group()
        return Unreadable(f"ongeldig teken ({_CONTROL_NAMES.get(char, f'U+{ord(char):04X}')})")
    return DecimalCommaText(value) if decimal_comma else value


_SEP_LINE = re.compile(r'\A"?sep=(.)"?[^\r\n]*(\r\n|\r|\n|\Z)', re.IGNORECASE)


def sniff_delimiter(text: str) -> tuple[str, str]:
    """The delimiter (and rest of the text) of a CSV file, read from the header line only.

    Excel's `sep=;` first line decides when present. Otherwise csv.Sniffer looks at the first line:
    column names hold no separators, while data rows do (lists "ma-ochtend, di-ochtend", decimal
    commas), so sniffing only the header cannot be outvoted by them. A header of one column is ','.
    clevercsv would also find the dialect, from the whole file, but is a compiled dependency for what
    the header line alone decides here.
    """
    hint = _SEP_LINE.match(text)
    if hint and hint.group(1) in ";,\t|":
        return hint.group(1), text[hint.end():]
    header = next((line for line in re.split(r"\r\n|\r|\n", text[:65536]) if line.strip()), "")
    try:
        sniffed = csv.Sniffer().sniff(header, delimiters=";,\t|").delimiter
    except csv.Error:
        return ",", text
    # the Sniffer breaks ties by preference (',' first): a header "a;b;c,d;e" is ';' with a comma
    # in one (unknown) column name, so among separators it accepts, the one giving most columns wins
    def width(delimiter: str) -> int:
        return len(next(csv.reader([header], delimiter=delimiter), []))

    return max([sniffed, *(d for d in ";,\t|" if d != sniffed)], key=width), text


def read_csv(path: Path, name: str | None = None) -> Table:
    """One CSV file as a table named after the file (or `name`).

    Separator `;` `,` tab or `|` (see sniff_delimiter), any line ends (CR, LF, CR LF), encodings as
    in `decode`. Raises InputError naming the file (and row) when it cannot be read at all.
    """
    sheet = name or path.stem
    text = decode(open_regular(path, MAX_CSV_BYTES), path.name)
    delimiter, text = sniff_delimiter(text)
    # fields up to the file's own size; the per-cell limit is checked (and named) in build_table
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    decimal_comma = delimiter == ";"  # Dutch Excel: list separator ';' because ',' is the decimal sign
    position = [0]

    def records() -> Iterable[tuple[int, list[tuple[int, Cell]]]]:
        for number, record in enumerate(reader, start=1):
            position[0] = number
            yield number, [(col, _csv_cell(v, decimal_comma)) for col, v in enumerate(record)]

    try:
        return build_table(sheet, records(), spill=f"scheidingsteken '{delimiter}'")
    except csv.Error as exc:
        raise InputError([Problem(sheet, f"CSV niet leesbaar ({exc})", position[0] + 1)]) from None


def read_csv_folder(folder: Path, sheets: Collection[str] | None = None) -> dict[str, Table]:
    """The CSV files of a folder named after the wanted sheets (any case, `.csv` or `.CSV`)."""
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise InputError([Problem(folder.name, f"kan map niet lezen ({exc.strerror})")]) from None
    for path in entries:
        key = path.stem.strip().lower()
        if path.suffix.lower() != ".csv" or (sheets is not None and key not in sheets):
            continue
        if key in tables:
            problems.append(Problem(path.name, f"tweede bestand voor tabblad {key}"))
            continue
        try:
            tables[key] = read_csv(path)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return tables
