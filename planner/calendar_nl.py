"""Care calendar: open days per month with Dutch public holidays, and the iJw weekly cap."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

DAY_INDEX = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("NL", years=[year]))


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def open_days(first: dt.date, last: dt.date, days: tuple[str, ...]) -> int:
    """Days of the model's week (ma-vr) from first to last inclusive, public holidays excluded."""
    weekdays = {DAY_INDEX[d] for d in days}
    count, day = 0, first
    while day <= last:
        if day.weekday() in weekdays and day not in public_holidays(day.year):
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
