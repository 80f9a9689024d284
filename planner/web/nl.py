"""Numbers, money, fractions and solver states as a Dutch planner reads them, for every page of the web
app (babel, locale nl_NL; euro and number are core/nl.py's, the ones the terminal and Toelichting
use): one place, so the roster page, the edit answers and the capacity page agree.

Registered as Jinja filters by app.py: `euro`, `euro_cents`, `nl`, `percent`, `status`.
"""

from __future__ import annotations

from babel.numbers import format_percent

from planner.core.nl import euro, number

# the solver's status as the report and console say it (issue 21 point 4: optimaal, haalbaar, onderbroken)
STATUS_NL = {"OPTIMAL": "optimaal", "FEASIBLE": "haalbaar", "INFEASIBLE": "onmogelijk",
             "UNKNOWN": "geen rooster gevonden", "MODEL_INVALID": "modelfout"}


def euro_cents(cents: int) -> str:
    """Whole cents as euros: 123456 -> '€ 1.234,56'."""
    return euro(cents / 100, 2)


def percent(fraction: float | None, decimals: int = 1) -> str:
    """A fraction as a Dutch percentage: 0.365 -> '36,5%'; '–' for None."""
    if fraction is None:
        return "–"
    return format_percent(fraction, format="#,##0" + ("." + "0" * decimals if decimals else "") + "%",
                          locale="nl_NL")


def status(code: str, gap: float | None = None, interrupted: bool = False) -> str:
    """The solver's status in Dutch: 'optimaal', 'haalbaar', with ', onderbroken' when stopped on request.

    A roster whose cost equals the proven bound (gap 0) is optimal whatever status the last solve
    reported (a replan that starts from the optimum and proves it again says FEASIBLE)."""
    word = "optimaal" if code == "FEASIBLE" and gap == 0 else STATUS_NL.get(code, code)
    return word + (", onderbroken" if interrupted else "")

__all__ = ["STATUS_NL", "euro", "euro_cents", "number", "percent", "status"]
