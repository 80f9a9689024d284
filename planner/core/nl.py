"""Dutch number formats for text the user reads (terminal lines, Toelichting, web pages), via babel nl_NL."""

from __future__ import annotations

from babel.numbers import format_currency, format_decimal


def euro(value: float | None, decimals: int = 0) -> str:
    """'€ 1.317.634' or with `decimals` 2 '€ 1.317.634,32' (Dutch, babel nl_NL); '' for None."""
    if value is None:
        return ""
    pattern = "¤ #,##0" + ("." + "0" * decimals if decimals else "")
    return format_currency(round(value, decimals) + 0.0, "EUR", format=pattern, locale="nl_NL",
                           currency_digits=False)


def number(value: float | None, decimals: int = 1) -> str:
    """'1.234,5' (Dutch); '' for None."""
    if value is None:
        return ""
    return format_decimal(round(value, decimals) + 0.0, format="#,##0" + ("." + "0" * decimals if decimals else ""),
                          locale="nl_NL")
