"""A dated week: the template week of the model laid on the calendar (`planner plan --week 2026-W03`).

Everything here turns the data into the data of one week, before the problem is built, so the
solver and the checker see only what that week allows:

* children only on the dagdelen that fall inside their indication (`start_date` .. `end_date`);
  a child with none left is not in the week at all (named in `Period.absent`);
* groups closed on the model's closing days (`closed_days`, calendar_nl.py) and on the provider's
  own closing days (optional sheet `closing_days`: `date`, optional `location_id`);
* staff not on the dagdelen of their leave or sickness (optional sheet `leave`: `staff_id`, and
  `from` .. `to` dates, and/or `dagdelen` of the week such as "ma-ochtend, di").

Without a week (the template week) only the scenario's peildatum applies: a child whose
indication has ended before it, or starts after it, is not planned.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from planner.inputs.calendar_nl import DAY_INDEX, closed_dates
from planner.inputs.catalogue import RegionModel
from planner.inputs.contract_minimum import workable
from planner.inputs.dagdelen import split_id
from planner.inputs.data import ProviderData, Staff
from planner.inputs.errors import InputError, Problem
from planner.inputs.tables import Table
from planner.inputs.week_sheets import WEEK_SHEETS, closing_rows, leave_rows
from planner.inputs.workbook import read_tables

# strict ISO 8601 week: "2026-W03" (surrounding spaces and a lower-case w allowed); not "2026-W3" nor "2026W03"
WEEK = re.compile(r"^\s*(\d{4})-[Ww](\d{2})\s*$")


@dataclass(frozen=True)
class Period:
    """The week planned: its ISO label and the date of each day of the model's week (None: template)."""

    label: str | None = None  # "2026-W03"
    dates: dict[str, dt.date] = field(default_factory=dict)  # day code (ma, di, ...) -> date
    absent: tuple[tuple[str, str], ...] = ()  # (child_id, why not in this week)
    closed: tuple[tuple[str, str], ...] = ()  # (group_id or "alle groepen", dagdelen closed and why)
    leave: tuple[tuple[str, int], ...] = ()  # (staff_id, dagdelen of leave)
    # staff on leave for every dagdeel they could work: not in the week's data (nothing to roster),
    # but still paid their contract, so kept here for the costs and the Medewerkers sheet
    away: tuple[Staff, ...] = ()
    prorated: tuple[tuple[str, str], ...] = ()  # (child_id, why fewer dagdelen this week: start or end inside it)

    def title(self) -> str:
        """'week 3 2026 (12-01-2026 t/m 16-01-2026)', or '' for the template week."""
        if not self.label:
            return ""
        first, last = min(self.dates.values()), max(self.dates.values())
        year, week = self.label.split("-W")
        return f"week {int(week)} {year} ({first:%d-%m-%Y} t/m {last:%d-%m-%Y})"

    def as_dict(self) -> dict:
        return {"week": self.label, "dates": {d: x.isoformat() for d, x in self.dates.items()},
                "not_in_period": [f"{c}: {why}" for c, why in self.absent],
                "closed": [f"{g}: {why}" for g, why in self.closed],
                "leave_dagdelen": dict(self.leave),
                "prorated": [f"{c}: {why}" for c, why in self.prorated]}


def parse_week(text: str, origin: str = "--week") -> tuple[int, int]:
    """'2026-W03' -> (2026, 3); InputError naming the option otherwise."""
    m = WEEK.match(text or "")
    if m:
        year, week = int(m.group(1)), int(m.group(2))
        try:
            dt.date.fromisocalendar(year, week, 1)
            return year, week
        except ValueError:
            pass
    raise InputError([Problem("opdrachtregel", f"'{text}' is geen ISO-week (verwacht bijv. 2026-W03)",
                              column=origin)])


def year_warning(model: RegionModel, week: tuple[int, int] | None) -> list[Problem]:
    """A warning when a dated week's year is not the model's year (its tariffs, holidays and rules
    are those of model.year); [] otherwise or without a week."""
    if week is None or week[0] == model.year:
        return []
    return [Problem("opdrachtregel", f"week {week[0]}-W{week[1]:02d} ligt buiten het modeljaar {model.year}: "
                    "tarieven en regels van het model gelden mogelijk niet", column="--week")]


def parse_weeks(text: str) -> list[tuple[int, int]]:
    """'2026-W03..2026-W06' -> the weeks from the first to the last, inclusive (at most 53)."""
    first, sep, last = text.partition("..")
    start = parse_week(first, "--weeks")
    end = parse_week(last, "--weeks") if sep else start
    day = dt.date.fromisocalendar(*start, 1)
    stop = dt.date.fromisocalendar(*end, 1)
    if stop < day or (stop - day).days > 52 * 7:
        raise InputError([Problem("opdrachtregel", f"'{text}': de tweede week moet na de eerste komen, "
                                  "hoogstens 53 weken verder", column="--weeks")])
    out = []
    while day <= stop:
        iso = day.isocalendar()
        out.append((iso[0], iso[1]))
        day += dt.timedelta(days=7)
    return out


def dated_data(model: RegionModel, data: ProviderData, data_path: Path | None, week: tuple[int, int] | None,
               peildatum: dt.date | None) -> tuple[ProviderData, Period]:
    """The data of one week (see the module docstring), and what was taken out and why.

    Raises InputError for a bad row in the `leave` or `closing_days` sheet (sheet, row, column)."""
    if week is None:
        if peildatum is None:
            return data, Period()
        kids, absent = [], []
        for c in data.children:
            why = _outside(c.start_date, c.end_date, peildatum, peildatum)
            if why:
                absent.append((c.id, why))
            else:
                kids.append(c)
        return replace(data, children=tuple(kids)), Period(absent=tuple(absent))
    dates = {d: dt.date.fromisocalendar(week[0], week[1], DAY_INDEX[d] + 1) for d in model.days}
    template = model.week()
    date_of = {d: dates[split_id(d)[0]] for d in template}
    # only these sheets are opened: an extra sheet of the workbook is never read (as data.py)
    tables = read_tables(data_path, WEEK_SHEETS) if data_path is not None else {}
    problems: list[Problem] = []
    leave = _leave(tables.get("leave"), tuple(model.parts), date_of, {s.id for s in data.staff}, problems)
    closing = closing_rows(tables.get("closing_days") or tables.get("sluitingsdagen"),
                           {x.id for x in data.locations}, problems)
    if problems:  # normally found already by data.read_data, with the workbook's other problems
        raise InputError(problems)
    model_closed: set[dt.date] = set()
    for year in {x.year for x in dates.values()}:
        model_closed |= closed_dates(model.closed, year)

    kids, absent, prorated = [], [], []
    first, last = min(dates.values()), max(dates.values())
    for c in data.children:
        inside = [d for d in (c.available or template) if d in date_of
                  and (c.start_date is None or date_of[d] >= c.start_date)
                  and (c.end_date is None or date_of[d] <= c.end_date)]
        if not inside:
            absent.append((c.id, _outside(c.start_date, c.end_date, first, last) or "geen dagdeel in de indicatie"))
            continue
        whole = [d for d in (c.available or template) if d in date_of]
        if len(inside) == len(whole):
            kids.append(c)
            continue
        # the indication starts or ends within the week: its dagdelen are prorated to the dagdelen inside
        # it (half up), so a child whose indication ends on Wednesday does not wait for Thursday
        demand = min(c.dagdelen_per_week, len(inside),
                     max(1, int(c.dagdelen_per_week * len(inside) / max(1, len(whole)) + 0.5)))
        kids.append(replace(c, available=tuple(inside), dagdelen_per_week=demand))
        if demand < c.dagdelen_per_week:
            edge = (f"indicatie eindigt op {c.end_date:%d-%m-%Y}" if c.end_date is not None and c.end_date <= last
                    else f"indicatie start op {c.start_date:%d-%m-%Y}" if c.start_date is not None else "indicatie")
            prorated.append((c.id, f"{edge}: {demand} van {c.dagdelen_per_week} dagdelen deze week"))

    groups, closed = [], []
    for g in data.groups:
        shut = {d for d in (g.open or template) if date_of[d] in model_closed
                or (None, date_of[d]) in closing or (g.location_id, date_of[d]) in closing}
        if shut:
            closed.append((g.id, ", ".join(d for d in template if d in shut) + " (feest- of sluitingsdag)"))
        still = tuple(d for d in (g.open or template) if d not in shut)
        if still:
            groups.append(g if not shut else replace(g, open=still))
    staff, on_leave, away = [], [], []
    for s in data.staff:
        off = leave.get(s.id, set())
        still = tuple(d for d in (s.available or template) if d not in off)
        if off:  # at most the contract, as the hours are (costs.contract_use)
            on_leave.append((s.id, min(s.dagdelen_per_week, len(off & set(s.available or template)))))
        if still:
            staff.append(s if not off else replace(s, available=still))
        else:
            away.append(s)
    # what the week takes from each person's workable dagdelen (leave, closing days): lowers their
    # minimum contract use (contract_minimum.py), never the contract itself
    this_week = replace(data, groups=tuple(groups))
    before = {s.id: s for s in data.staff}
    staff = [replace(s, off_dagdelen=lost) if (lost := len(workable(model, data, before[s.id]))
                                               - len(workable(model, this_week, s))) > 0 else s for s in staff]
    out = replace(data, children=tuple(kids), groups=tuple(groups), staff=tuple(staff))
    label = f"{week[0]}-W{week[1]:02d}"
    return out, Period(label, dates, tuple(absent), tuple(closed), tuple(on_leave), tuple(away), tuple(prorated))


def _outside(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> str | None:
    if end is not None and end < first:
        return f"indicatie beëindigd op {end:%d-%m-%Y}"
    if start is not None and start > last:
        return f"indicatie nog niet gestart (start {start:%d-%m-%Y})"
    return None


def _leave(table: Table | None, parts: tuple[str, ...], date_of: dict[str, dt.date],
           staff_ids: set[str], problems: list[Problem]) -> dict[str, set[str]]:
    """staff_id -> dagdelen of this week on leave; from/to dates (inclusive) and/or dagdelen."""
    out: dict[str, set[str]] = {}
    for row in leave_rows(table, parts, staff_ids, problems):
        days: set[str] = set()
        if row.start is not None and row.end is not None:
            days = {d for d, x in date_of.items() if row.start <= x <= row.end}
        if row.dagdelen is not None:
            days = (days & row.dagdelen) if row.start is not None else set(row.dagdelen)
        out.setdefault(row.staff_id, set()).update(days)
    return out
