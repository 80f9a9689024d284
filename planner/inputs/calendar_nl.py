"""Care calendar: open days per month with the model's closing days, and the iJw weekly cap.

Which days a provider is closed is the region model's decision (`closed_days`), not a library's:
a list of named rules from `RULES` below and/or explicit dates. The rules are our own small table;
only Easter (the computus) comes from `dateutil.easter`, which has not changed in decades. So the
same model gives the same calendar on every install.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import lru_cache

from dateutil.easter import easter

DAY_INDEX = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}


def _easter(offset: int) -> Callable[[int], dt.date | None]:
    return lambda year: easter(year) + dt.timedelta(days=offset)


def _kings_day(year: int) -> dt.date:
    """27 April (30 April before 2014, Koninginnedag); a Sunday moves it to the Saturday before."""
    day = dt.date(year, 4, 27 if year >= 2014 else 30)
    return day - dt.timedelta(days=1) if day.weekday() == 6 else day


# name -> the date in a year (None: not that year). Names as Dutch calendars write them.
RULES: dict[str, Callable[[int], dt.date | None]] = {
    "Nieuwjaarsdag": lambda y: dt.date(y, 1, 1),
    "Goede Vrijdag": _easter(-2),
    "Eerste Paasdag": _easter(0),
    "Tweede Paasdag": _easter(1),
    "Koningsdag": _kings_day,
    "Bevrijdingsdag": lambda y: dt.date(y, 5, 5),
    # the national day off only in lustrum years (CAO's often follow this)
    "Bevrijdingsdag (lustrum)": lambda y: dt.date(y, 5, 5) if y % 5 == 0 else None,
    "Hemelvaartsdag": _easter(39),
    "Eerste Pinksterdag": _easter(49),
    "Tweede Pinksterdag": _easter(50),
    "Eerste Kerstdag": lambda y: dt.date(y, 12, 25),
    "Tweede Kerstdag": lambda y: dt.date(y, 12, 26),
}

# what a model without `closed_days` gets: the national holidays, Good Friday closed and
# Liberation Day in lustrum years (as the forecasts were made before this became explicit)
DEFAULT_CLOSED: tuple[str, ...] = (
    "Nieuwjaarsdag", "Goede Vrijdag", "Eerste Paasdag", "Tweede Paasdag", "Koningsdag",
    "Bevrijdingsdag (lustrum)", "Hemelvaartsdag", "Eerste Pinksterdag", "Tweede Pinksterdag",
    "Eerste Kerstdag", "Tweede Kerstdag",
)

ClosedDays = tuple[str | dt.date, ...]


def unknown_rules(items: Iterable[str | dt.date]) -> list[str]:
    """Names in a `closed_days` list that are not in RULES."""
    return [x for x in items if isinstance(x, str) and x not in RULES]


@lru_cache(maxsize=256)
def closed_dates(closed: ClosedDays, year: int) -> frozenset[dt.date]:
    """The closing days of one year: named rules evaluated for the year, plus explicit dates in it.

    Raises KeyError for an unknown rule name (the model validator refuses those first)."""
    out = set()
    for item in closed:
        if isinstance(item, dt.date):
            if item.year == year:
                out.add(item)
            continue
        day = RULES[item](year)
        if day is not None:
            out.add(day)
    return frozenset(out)


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def open_days(first: dt.date, last: dt.date, days: tuple[str, ...], closed: ClosedDays) -> int:
    """Days of the model's week (ma-vr) from first to last inclusive, the model's closing days excluded."""
    weekdays = {DAY_INDEX[d] for d in days}
    count, day = 0, first
    while day <= last:
        if day.weekday() in weekdays and day not in closed_dates(closed, day.year):
            count += 1
        day += dt.timedelta(days=1)
    return count


def calendar_weeks(first: dt.date, last: dt.date) -> int:
    """ISO weeks touched by the period: the iJw cap counts a partial week as a week."""
    if last < first:
        return 0
    weeks = set()
    day = first
    while day <= last:
        weeks.add(day.isocalendar()[:2])
        day += dt.timedelta(days=1)
    return len(weeks)


def overlap(first: dt.date, last: dt.date, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    return max(first, start or first), min(last, end or last)
