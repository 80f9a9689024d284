"""Staffing ratios as the product books write them, kept exact.

"3 begeleiders op 10 jeugdigen" is 10/3 children per staff member: no decimal holds it (3.33
makes 10 children need 3.003 staff, so 4). A model writes a ratio as a number (`4`, `2.5`), a
fraction (`"10/3"`), the seeds' words (`"2 op 9"`: 2 staff on 9 children, seed 004 line 3784), or
as `staff = 2, per = 9`. CP-SAT needs integers, so the formulation scales every ratio by the common
denominator of all products' staff-per-child fractions; `MAX_TERM` and `MAX_WEIGHT` keep those
integers small enough to solve (and far from int64).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

# Plausible children per staff member. The seeds give 1 staff on 1 to 10 children (002 lines 164-166,
# 232-236, 329-331: "1 medewerker op maximaal 3/4/6/8 kinderen"; 403: groups up to 4); a wide margin
# around that, but 0.0001 (380,000 staff for 38 children) or 1 on 200 is a typing error.
MIN_RATIO = Fraction(1, 2)
MAX_RATIO = 50
MAX_TERM = 10_000  # numerator and denominator of one ratio in lowest terms
MAX_WEIGHT = 1_000_000  # common denominator of all products' staff per child
_OP = re.compile(r"^\s*(\d{1,6})\s+op\s+(\d{1,6})\s*$", re.IGNORECASE)
_FRACTION = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*$")
_DECIMAL = re.compile(r"^\s*\d{1,6}([.,]\d{1,20})?\s*$")
_HOW = "schrijf een getal (4 of 2.5), een breuk (\"10/3\") of de tekst van het productboek (\"2 op 9\")"


def _decimal_text(value: Any) -> str | None:
    """The decimal as the author wrote it ("3.33"), or None when it is not a plain decimal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, str) and _DECIMAL.match(value):
        return value.strip().replace(",", ".")
    return None


def parse_ratio(value: Any) -> Fraction:
    """Children per staff member as an exact Fraction.

    Accepts int, finite float, "10/3", "2 op 9" (staff op children), "3,5". Raises ValueError
    with a Dutch sentence for anything else, a ratio outside MIN_RATIO..MAX_RATIO, or one whose
    lowest terms exceed MAX_TERM (a decimal such as 3.3333333: "te fijn")."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"geen eindig getal ({value}); {_HOW}")
    text = _decimal_text(value)
    if text is not None:
        try:
            ratio = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"'{value}' is geen ratio; {_HOW}") from None
    elif isinstance(value, str) and (m := _OP.match(value)):
        staff, children = int(m.group(1)), int(m.group(2))
        if staff == 0:
            raise ValueError(f"'{value}': 0 medewerkers kan niet; {_HOW}")
        ratio = Fraction(children, staff)
    elif isinstance(value, str) and (m := _FRACTION.match(value)):
        if int(m.group(2)) == 0:
            raise ValueError(f"'{value}': deling door 0; {_HOW}")
        ratio = Fraction(int(m.group(1)), int(m.group(2)))
    else:
        raise ValueError(f"'{str(value)[:40]}' is geen ratio; {_HOW}")
    if not MIN_RATIO <= ratio <= MAX_RATIO:
        raise ValueError(f"{value}: {ratio_text(ratio) if ratio > 0 else value} kinderen per medewerker is niet "
                         f"aannemelijk (toegestaan {float(MIN_RATIO):g} tot {MAX_RATIO}; productboeken: 1 tot 10)")
    if ratio.numerator > MAX_TERM or ratio.denominator > MAX_TERM:
        raise ValueError(f"{value}: ratio te fijn om exact mee te rekenen; schrijf een breuk, bijv. \"10/3\" "
                         f"voor 3 begeleiders op 10 jeugdigen, of staff = 3, per = 10")
    return ratio


def repeating_guess(value: Any, max_denominator: int = 12) -> str | None:
    """A small fraction that `value` looks like a rounded form of ("10/3" for 3.33), else None.

    Only decimals with at least two digits after the point are suspected; an exact value
    (2.25 = 9/4) is never."""
    text = _decimal_text(value)
    if text is None or "." not in text or len(text.split(".")[1]) < 2:
        return None
    written = Fraction(text)
    digits = len(text.split(".")[1])
    half_step = Fraction(1, 2 * 10**digits)
    for q in range(2, max_denominator + 1):
        guess = Fraction(round(written * q), q)
        if guess.denominator == q and guess != written and abs(guess - written) <= half_step:
            return f"{guess.numerator}/{guess.denominator}"
    return None


def ratio_text(ratio: Fraction) -> str:
    """4, 2.5 or 10/3: the shortest exact way to show a ratio."""
    if ratio.denominator == 1:
        return str(ratio.numerator)
    if 10**6 % ratio.denominator == 0:
        return f"{float(ratio):g}"
    return f"{ratio.numerator}/{ratio.denominator}"
