"""Computed figures in a workbook that every reader gets, with or without a spreadsheet program.

openpyxl cannot store a formula's result, so a formula cell reads as empty (NaN) in pandas, Power BI
or a file previewer until Excel recalculates it. Every computed figure is therefore written twice:
the value, stored, in the cell a reader looks at (and charts point at), and beside it the Excel
formula that recomputes it from the stored values, in a column or row headed "(formule)" and set in
grey italics. In Excel both show the same number; a reader without Excel gets the value.

Used by roster.xlsx, forecast.xlsx and tarieven.xlsx; compare.xlsx can use it the same way.
"""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from planner.report.safe import cell_text

EUR = "#,##0.00"
FORMULA_FONT = Font(italic=True, color="7F7F7F")
NOT_APPLICABLE = "n.v.t."  # a figure with no meaning here (a percentage of a base of 0)


def formula_label(text: str) -> str:
    """The heading of a column or row of formulas beside the values headed `text`."""
    return f"{text} (formule)"


def figure(value_cell: Cell, value: Any, formula_cell: Cell | None, formula: str | None,
           number_format: str = EUR, digits: int | None = 2) -> None:
    """Write a computed figure both ways: `value` stored in `value_cell`, `formula` (starting with
    `=`, over stored values) in `formula_cell`. A number (int, float, numpy, Decimal) is stored as a
    float rounded to `digits`; a non-finite
    number or None is written as "n.v.t." (and so is its formula's place left empty), a text
    value goes through `cell_text`. Raises ValueError for a formula that does not start with `=`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        value_cell.value = cell_text(value) if value is not None else NOT_APPLICABLE
    elif not math.isfinite(value):
        value_cell.value = NOT_APPLICABLE
    else:  # numpy and Decimal numbers too, stored as a plain float (a Decimal rounded half up, as money is)
        if isinstance(value, Decimal) and digits is not None:
            value = value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
        value_cell.value = round(float(value), digits) if digits is not None else float(value)
        value_cell.number_format = number_format
    if formula_cell is None or formula is None:
        return
    if not formula.startswith("="):
        raise ValueError(f"geen formule: {formula!r}")
    if value_cell.value == NOT_APPLICABLE:
        return
    formula_cell.value = formula
    formula_cell.number_format = number_format
    formula_cell.font = FORMULA_FONT


def formula_heading(cell: Cell, text: str, bold: bool = True) -> None:
    """A heading over a column (or before a row) of formulas: "<text> (formule)", grey italics."""
    cell.value = formula_label(text)
    cell.font = Font(italic=True, bold=bold, color="7F7F7F")
