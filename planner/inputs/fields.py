"""Cell parsers: one written value to a typed value, or a ValueError saying what would be right."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from planner.inputs.catalogue import LEVELS
from planner.inputs.dagdelen import parse_dagdelen, parse_yes_no
from planner.inputs.tables import DecimalCommaText, Unreadable

Parser = Callable[[Any], Any]


def text(value: Any) -> str:
    if isinstance(value, Unreadable):  # a formula without result, an error value: say so, never ''
        raise ValueError(value.message)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# What a person writes for a number: ASCII digits only (Python's float() also takes `1_0`, `１０`
# and `٣`, which no spreadsheet means as a number), an optional sign, one decimal separator (`.` or
# `,`), thousands groups of three with dots (`1.234,5`, `1.234.567`) and an optional exponent.
_PLAIN = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?", re.ASCII)
_DOT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+|[+-]?\d{1,3}(\.\d{3}){2,}", re.ASCII)
_ONE_DOT_GROUP = re.compile(r"[+-]?\d{1,3}\.\d{3}", re.ASCII)


def number(value: Any) -> float:
    """A finite number of at most 1e9 in size from a cell: int/float as stored, or text written
    with ASCII digits, an optional sign, one decimal point or comma, dotted thousands groups
    (`1.234,5`) and an exponent (`1e3`). Raises ValueError (Dutch) for anything else, naming the
    text as written: underscores, other scripts' digits, spaces inside the number, and `1.000`
    in a decimal-comma file (one thousand or one?)."""
    if isinstance(value, Unreadable):
        raise ValueError(value.message)
    if isinstance(value, bool):
        raise ValueError("verwacht een getal")
    if isinstance(value, int | float):
        result = float(value)
    else:
        written = str(value).strip()
        if isinstance(value, DecimalCommaText) and _ONE_DOT_GROUP.fullmatch(written):
            decimal = written.replace(".", ",").rstrip("0")
            decimal += "0" if decimal.endswith(",") else ""
            raise ValueError(f"dubbelzinnig getal '{written}' (duizendtal of decimaal?): "
                             f"schrijf {written.replace('.', '')} of {decimal}")
        if _DOT_THOUSANDS.fullmatch(written):
            written = written.replace(".", "")
        elif not _PLAIN.fullmatch(written):
            raise ValueError(f"geen geldig getal '{value}'")
        try:
            result = float(written.replace(",", "."))
        except ValueError:
            raise ValueError(f"geen geldig getal '{value}'") from None
    if not math.isfinite(result) or abs(result) > 1e9:
        raise ValueError(f"'{value}' is geen bruikbaar getal")
    return result


_DOT_DECIMAL = re.compile(r"[+-]?\d{1,3}\.\d+", re.ASCII)


def coordinate(value: Any) -> float:
    """A latitude or longitude in degrees: as `number`, except that one dot followed by digits is always
    the decimal point (`52.158`, `4.529`): coordinates are never written with thousands groups, so the
    ambiguity `number` refuses elsewhere (`1.000` in a decimal-comma file) does not exist here.
    Raises ValueError (Dutch) as `number`."""
    if isinstance(value, str) and _DOT_DECIMAL.fullmatch(value.strip()):
        return number(float(value.strip()))
    return number(value)


def integer(value: Any) -> int:
    result = number(value)
    if not result.is_integer():
        raise ValueError(f"'{value}' is geen geheel getal")
    return int(result)


def bounded(parse: Parser, low: float | None = None, high: float | None = None) -> Parser:
    def check(value: Any) -> Any:
        result = parse(value)
        if low is not None and result < low:
            raise ValueError(f"{result:g} is te klein (minimaal {low:g})")
        if high is not None and result > high:
            raise ValueError(f"{result:g} is te groot (maximaal {high:g})")
        return result

    return check


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return parse_yes_no(text(value))


def id_list(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in re.split(r"[,;]", text(value)) if t.strip()))


def dagdelen(parts: tuple[str, ...]) -> Parser:
    """A dagdeel list parser; a day written alone means the model's parts of that day."""

    def parse(value: Any) -> tuple[str, ...]:
        return tuple(parse_dagdelen(text(value), parts))

    return parse


_LEVEL_ALIASES = {
    "mbo3": "MBO3", "mbo-3": "MBO3", "mbo 3": "MBO3", "mbo niveau 3": "MBO3",
    "mbo4": "MBO4", "mbo-4": "MBO4", "mbo 4": "MBO4", "mbo niveau 4": "MBO4",
    "hbo": "HBO", "wo": "WO", "universitair": "WO",
}


def education(value: Any) -> str:
    key = text(value).lower()
    if key in _LEVEL_ALIASES:
        return _LEVEL_ALIASES[key]
    raise ValueError(f"onbekend opleidingsniveau '{text(value)}' (kies uit {', '.join(LEVELS)})")


_MODES = {
    "eigen": "eigen", "own": "eigen", "geen": "eigen", "": "eigen",
    "groep": "groep", "group": "groep", "groepsvervoer": "groep",
    "individueel": "individueel", "individual": "individueel", "individueel vervoer": "individueel",
}


def transport_mode(value: Any) -> str:
    key = text(value).lower()
    if key in _MODES:
        return _MODES[key]
    raise ValueError(f"onbekende vervoersvorm '{text(value)}' (kies uit eigen, groep, individueel)")


def date(value: Any) -> dt.date:
    """A date as written: a date cell (a date-time at midnight too), 2025-01-31, 31-01-2025,
    31/01/2025, 31.01.2025, each optionally followed by a zero time (00:00 or 00:00:00)."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError(f"'{value:%d-%m-%Y %H:%M}' heeft een tijdstip; verwacht alleen een datum")
        return value.date()
    if isinstance(value, dt.date):
        return value
    written = text(value)
    bare = re.sub(r"[ T]0{1,2}:00(:00(\.0+)?)?$", "", written)
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(bare, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{written}' is geen datum (verwacht 2025-01-31 of 31-01-2025)")


# a latitude and longitude in the Netherlands (WGS84, with a margin): the workbook's and the postcode table's
NL_LAT = bounded(coordinate, 50.7, 53.7)
NL_LON = bounded(coordinate, 3.2, 7.3)
