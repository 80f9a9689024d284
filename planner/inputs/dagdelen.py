"""Dagdeel (half day) notation: Dutch and English spellings to the canonical `ma-ochtend`."""

from __future__ import annotations

import re

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
PARTS = ("ochtend", "middag", "avond")

DAY_NAMES = {
    "ma": "ma", "maandag": "ma", "mon": "ma", "monday": "ma", "mo": "ma",
    "di": "di", "dinsdag": "di", "tue": "di", "tues": "di", "tuesday": "di", "tu": "di",
    "wo": "wo", "woensdag": "wo", "wed": "wo", "wednesday": "wo", "we": "wo",
    "do": "do", "donderdag": "do", "thu": "do", "thur": "do", "thursday": "do", "th": "do",
    "vr": "vr", "vrijdag": "vr", "fri": "vr", "friday": "vr", "fr": "vr",
    "za": "za", "zaterdag": "za", "sat": "za", "saturday": "za", "sa": "za",
    "zo": "zo", "zondag": "zo", "sun": "zo", "sunday": "zo", "su": "zo",
}
PART_NAMES = {
    "ochtend": "ochtend", "o": "ochtend", "och": "ochtend", "morning": "ochtend", "am": "ochtend",
    "middag": "middag", "m": "middag", "mid": "middag", "afternoon": "middag", "pm": "middag",
    "avond": "avond", "a": "avond", "av": "avond", "evening": "avond", "eve": "avond",
}

_SPLIT = re.compile(r"[\s\-_/.:]+")


def dagdeel_id(day: str, part: str) -> str:
    """The canonical id of a dagdeel, `ma` + `ochtend` -> `ma-ochtend` (contract "Words": dagdeel, half a
    day of care and the billing unit). No check: the caller passes known names. Raises nothing."""
    return f"{day}-{part}"


def split_id(dagdeel: str) -> tuple[str, str]:
    """A canonical id back to (day, part): `ma-ochtend` -> ("ma", "ochtend"). Raises ValueError on a text
    without `-` (only canonical ids come here; written ones go through `parse_dagdeel`)."""
    day, part = dagdeel.split("-", 1)
    return day, part


def parse_dagdeel(text: str, parts: tuple[str, ...] = PARTS) -> list[str]:
    """One written dagdeel to canonical ids; a day alone means every part in `parts`.

    Raises ValueError with the accepted spellings when the text is not a dagdeel.
    """
    tokens = [t for t in _SPLIT.split(text.strip().lower()) if t]
    if len(tokens) == 1 and tokens[0] in DAY_NAMES:
        return [dagdeel_id(DAY_NAMES[tokens[0]], p) for p in parts]
    if len(tokens) == 2 and tokens[0] in DAY_NAMES and tokens[1] in PART_NAMES:
        return [dagdeel_id(DAY_NAMES[tokens[0]], PART_NAMES[tokens[1]])]
    raise ValueError(
        f"'{text.strip()}' is geen dagdeel (verwacht bijv. ma-ochtend, maandag middag, mon-am, MA-O)"
    )


def parse_dagdelen(text: str, parts: tuple[str, ...] = PARTS) -> list[str]:
    """A comma or semicolon separated list of dagdelen, in week order, without duplicates."""
    found: set[str] = set()
    for item in re.split(r"[,;]", text):
        if item.strip():
            found.update(parse_dagdeel(item, parts))
    return sort_dagdelen(found)


def sort_dagdelen(ids: set[str] | list[str]) -> list[str]:
    """Canonical ids in week order (ma-ochtend, ma-middag, ..., zo-avond), duplicates dropped.
    Raises ValueError on an id whose day or part is not in DAYS / PARTS."""

    def key(d: str) -> tuple[int, int]:
        day, part = split_id(d)
        return DAYS.index(day), PARTS.index(part)

    return sorted(set(ids), key=key)


def week(days: tuple[str, ...], parts: tuple[str, ...]) -> list[str]:
    """Every dagdeel of a model's week, days outer and parts inner: (ma, di) x (ochtend, middag) ->
    [ma-ochtend, ma-middag, di-ochtend, di-middag] (contract, `days` and `parts` of a model). Raises nothing."""
    return [dagdeel_id(d, p) for d in days for p in parts]


YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0", ""}


def parse_yes_no(text: str) -> bool:
    """A ja/nee cell (contract: `wheelchair_access`, `optional`, `wheelchair`, `pinned`): ja, j, yes, true,
    waar, 1, x -> True; nee, n, no, false, onwaar, 0 or empty -> False; any case. Raises ValueError (Dutch,
    with the text) otherwise."""
    t = text.strip().lower()
    if t in YES:
        return True
    if t in NO:
        return False
    raise ValueError(f"'{text.strip()}' is geen ja/nee")
