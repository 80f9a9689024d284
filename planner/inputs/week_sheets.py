"""The optional sheets of a dated week, `leave` and `closing_days` (sluitingsdagen), read and validated.

Validated with the rest of the workbook (data.read_data), week or no week, so `planner check` and
`planner plan` name every bad row at once: a date that is not a date, a `to` before its `from`,
dagdelen that do not exist, a staff member or location that is not in the workbook.
week.py lays the rows on the dated week's days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from planner.inputs import fields as f
from planner.inputs.dagdelen import parse_dagdelen
from planner.inputs.errors import Problem
from planner.inputs.tables import Table

WEEK_SHEETS = ("leave", "closing_days", "sluitingsdagen")
# the optional sheets as the template writes them: (sheet, what it is for, [(column, required, help)])
WEEK_TEMPLATE = (
    ("leave", "verlof en ziekte van medewerkers in een echte week (planner plan --week): per rij een "
              "staff_id met from/to (datums, to leeg = één dag) en/of dagdelen",
     [("staff_id", True, "medewerker (staff_id uit het tabblad staff)"),
      ("from", False, "eerste dag, bijv. 2026-01-12"), ("to", False, "laatste dag (leeg: alleen from)"),
      ("dagdelen", False, "bijv. ma-ochtend, di; met from/to: alleen die dagdelen")]),
    ("closing_days", "eigen sluitingsdagen (feestdagen van het model gelden altijd): per rij een datum, "
                     "optioneel alleen voor één locatie",
     [("date", True, "datum, bijv. 2026-01-16"), ("location_id", False, "leeg: alle locaties")]),
)


@dataclass(frozen=True)
class LeaveRow:
    """One row of `leave`: dates inclusive (`end` = `start` when `to` is empty), and/or dagdelen ids."""

    staff_id: str
    start: dt.date | None
    end: dt.date | None
    dagdelen: frozenset[str] | None  # None: every dagdeel between start and end


def _rows(table: Table, key: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    """The numbered rows of a week sheet; none when its key column is missing (one Problem appended)."""
    if key not in table.headers:
        problems.append(Problem(table.sheet, "verplichte kolom ontbreekt", 1, key))
        return []
    return list(table.rows)


def _date(table: Table, number: int, row: dict, column: str, problems: list[Problem],
          required: bool = False) -> dt.date | None:
    """The date in `column` (None when empty and not `required`); a Problem and None when it is no date."""
    if row.get(column) is None and not required:
        return None
    try:
        return f.date(row.get(column))
    except ValueError as exc:
        problems.append(Problem(table.sheet, str(exc), number, column))
        return None


def leave_rows(table: Table | None, parts: tuple[str, ...], staff_ids: Collection[str] | None,
               problems: list[Problem]) -> list[LeaveRow]:
    """The good rows of the `leave` sheet; one Problem (sheet, row, column) per bad cell appended to
    `problems`. `staff_ids`: the workbook's staff (None: not checked)."""
    out: list[LeaveRow] = []
    if table is None:
        return out
    for number, row in _rows(table, "staff_id", problems):
        staff_id = f.text(row.get("staff_id")) if row.get("staff_id") is not None else ""
        bad = len(problems)
        if not staff_id:
            problems.append(Problem(table.sheet, "verplichte waarde ontbreekt", number, "staff_id"))
        elif staff_ids is not None and staff_id not in staff_ids:
            problems.append(Problem(table.sheet, f"onbekende medewerker {staff_id}", number, "staff_id"))
        start = _date(table, number, row, "from", problems)
        end = _date(table, number, row, "to", problems) if row.get("to") is not None else start
        listed = f.text(row.get("dagdelen")) if row.get("dagdelen") is not None else ""
        if row.get("from") is None and not listed:
            problems.append(Problem(table.sheet, "geef from (en to) of dagdelen", number, "from"))
        if start is not None and end is not None and end < start:
            problems.append(Problem(table.sheet, f"to ({end:%d-%m-%Y}) ligt voor from ({start:%d-%m-%Y})",
                                    number, "to"))
        chosen = None
        if listed:
            try:
                chosen = frozenset(parse_dagdelen(listed, parts))
            except ValueError as exc:
                problems.append(Problem(table.sheet, str(exc), number, "dagdelen"))
        if len(problems) == bad:
            out.append(LeaveRow(staff_id, start, end, chosen))
    return out


def closing_rows(table: Table | None, location_ids: Collection[str] | None,
                 problems: list[Problem]) -> set[tuple[str | None, dt.date]]:
    """(location_id or None for every location, date) of the provider's own closing days; one Problem
    per bad cell appended to `problems`. `location_ids`: the workbook's locations (None: not checked)."""
    out: set[tuple[str | None, dt.date]] = set()
    if table is None:
        return out
    for number, row in _rows(table, "date", problems):
        bad = len(problems)
        day = _date(table, number, row, "date", problems, required=True)
        loc = row.get("location_id")
        where = f.text(loc) if loc is not None and f.text(loc) else None
        if where is not None and location_ids is not None and where not in location_ids:
            problems.append(Problem(table.sheet, f"onbekende locatie {where}", number, "location_id"))
        if len(problems) == bad and day is not None:
            out.add((where, day))
    return out


def check_week_sheets(tables: dict[str, Table], parts: tuple[str, ...], staff_ids: Collection[str],
                      location_ids: Collection[str]) -> list[Problem]:
    """Every problem of the `leave` and `closing_days` sheets of `tables` (absent sheets: none)."""
    problems: list[Problem] = []
    leave_rows(tables.get("leave"), parts, staff_ids, problems)
    closing_rows(tables.get("closing_days") or tables.get("sluitingsdagen"), location_ids, problems)
    return problems
