"""Allocations (toewijzingen) as iJw messages carry them: product, volume, unit, frequency, dates.

iJw 3.2 code lists: eenheid 16 dagdeel, 14 etmaal, 82 stuks (inspanning), 84 stuks (output),
83 euro's; frequentie 1 per dag, 2 per week, 4 per maand, 6 totaal binnen geldigheidsduur.
A care product (unit dagdeel) takes 16 or 83; the region's transport product (42A03 in Holland
Rijnland, 08A03 in Midden-Holland; `[transport_rule] product_code`) is priced per attendance day or
trip by its category and takes 14, 82, 84 or 83.

Units delivered in a period [first, last] inside the allocation (open days: the model's weekdays
without its closed_days; closing weeks spread as weeks_per_year / 52, aanname):

    per week (2):  min(volume x open days / days a week x weeks_per_year / 52, volume x weeks touched)
    per dag (1):   volume x open days x weeks_per_year / 52
    per maand (4): volume x open days in the period / open days in the month
    totaal (6):    volume x open days in the period / open days in the whole allocation

An allocation lasts at most the product's `max_stay_months` (41K04: 9 months, 004 line 4214); a
later or open end is cut there. Prices follow the model's index path after the contract date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.inputs import calendar_nl as cal
from planner.inputs import fields as f
from planner.inputs.catalogue import RegionModel
from planner.inputs.cost_model import index_factor
from planner.inputs.errors import InputError, Problem
from planner.inputs.workbook import read_tables

UNITS = {16: "dagdeel", 14: "etmaal", 82: "stuks (inspanning)", 84: "stuks (output)", 83: "euro's"}
FREQUENCIES = {1: "per dag", 2: "per week", 4: "per maand", 6: "totaal binnen geldigheidsduur"}
CARE_UNITS = (16, 83)
TRANSPORT_UNITS = (14, 82, 84, 83)


@dataclass(frozen=True)
class Allocation:
    municipality: str
    product: str
    volume: float  # units per frequency period
    unit: int  # iJw eenheid
    frequency: int  # iJw frequentie
    start: dt.date
    end: dt.date | None
    school: str = ""  # PO | VSO: eigen bijdrage for PO where the product has one
    category: int | None = None  # transport category (1-based) of a transport allocation


def is_transport(model: RegionModel, product: str) -> bool:
    code = model.transport_rule.product_code
    return bool(code) and product == code


def known_product(model: RegionModel, product: str) -> bool:
    return product in model.products or is_transport(model, product)


def contract_date(model: RegionModel) -> dt.date:
    """The price level of the model's tariffs: the cost model's tariff date, else 1 July of its year."""
    cm = model.cost_model
    if cm is not None:
        return cm.tariff_date or cm.reference_date
    return dt.date(model.year, 7, 1)


def price_index(model: RegionModel, when: dt.date) -> float:
    """Index path steps after the contract date up to `when` (VNG OVA, CAO steps; 1.0 when none)."""
    return index_factor(model.index_path, contract_date(model), when)


def effective_end(model: RegionModel, a: Allocation) -> dt.date | None:
    """The allocation's end, cut at the product's maximum stay (start + max months - 1 day)."""
    product = model.products.get(a.product)
    if product is None or product.max_stay_months is None:
        return a.end
    months = int(product.max_stay_months)
    days = round((product.max_stay_months - months) * 30)
    limit = cal.add_months(a.start, months) + dt.timedelta(days=days - 1)
    return limit if a.end is None or a.end > limit else a.end


def unit_price(model: RegionModel, a: Allocation, when: dt.date) -> float:
    """EUR per unit on a date: euro's 1; transport by category; care net of a PO eigen bijdrage."""
    if a.unit == 83:
        return 1.0
    if is_transport(model, a.product):
        return model.transport.tariff[str(a.category)] * price_index(model, when)
    product = model.products[a.product]
    own = product.eigen_bijdrage if a.school.upper() == "PO" else 0.0
    return product.tariff * price_index(model, when) - own


def units(model: RegionModel, a: Allocation, first: dt.date, last: dt.date) -> float:
    """Units delivered in [first, last] (already inside the allocation), by the module docstring."""
    days = tuple(model.days)
    open_days = cal.open_days(first, last, days, model.closed)
    spread = model.weeks_per_year / 52
    if a.frequency == 2:
        return min(a.volume * open_days / len(days) * spread, a.volume * cal.calendar_weeks(first, last))
    if a.frequency == 1:
        return a.volume * open_days * spread
    if a.frequency == 4:
        month = cal.open_days(cal.month_start(first.year, first.month),
                              cal.month_end(first.year, first.month), days, model.closed)
        return a.volume * open_days / month if month else 0.0
    end = effective_end(model, a)
    assert end is not None, "frequentie 6 vraagt een einddatum"
    whole = cal.open_days(a.start, end, days, model.closed)
    return a.volume * open_days / whole if whole else 0.0


def monthly_claim(model: RegionModel, a: Allocation, year: int, month: int) -> float:
    """EUR one allocation claims in one month: units delivered x the unit price of that month."""
    first, last = cal.overlap(cal.month_start(year, month), cal.month_end(year, month), a.start,
                              effective_end(model, a))
    if last < first:
        return 0.0
    return units(model, a, first, last) * unit_price(model, a, first)


def _row_problems(model: RegionModel, v: dict[str, Any], number: int,
                  missing: frozenset[str] = frozenset()) -> list[Problem]:
    """The allocation checked against its product: unit, frequency, weekly and daily maxima, dates.

    A column in `missing` (reported once as "verplichte kolom ontbreekt") is not checked row by row:
    no follow-on problem for a default the user never wrote."""
    out: list[Problem] = []
    if missing & {"unit", "frequency", "volume"}:
        return out
    code, unit, freq, volume = v["product"], v.get("unit", 16), v.get("frequency", 2), v.get("volume", 0.0)
    transport = is_transport(model, code)
    allowed = TRANSPORT_UNITS if transport else CARE_UNITS
    if unit not in allowed:
        names = ", ".join(f"{u} ({UNITS[u]})" for u in allowed)
        out.append(Problem("allocations", f"eenheid {unit} past niet bij {code} (toegestaan: {names})", number, "unit"))
    if freq not in FREQUENCIES:
        names = ", ".join(f"{k} ({n})" for k, n in FREQUENCIES.items())
        out.append(Problem("allocations", f"onbekende frequentie {freq} (toegestaan: {names})", number,
                           "frequency"))
    if freq == 6 and v.get("end_date") is None:
        out.append(Problem("allocations", "frequentie 6 (totaal) vraagt een einddatum", number, "end_date"))
    if v.get("end_date") is not None and "start_date" in v and v["end_date"] < v["start_date"]:
        out.append(Problem("allocations", "einddatum ligt voor de startdatum", number, "end_date"))
    if transport:
        cats = {str(c) for c in model.transport.tariff}
        if str(v.get("category")) not in cats:
            out.append(Problem("allocations", f"vervoerscategorie ontbreekt of is onbekend (kies uit "
                               f"{', '.join(sorted(cats))})", number, "category"))
        per_day = 2 if model.transport.billing == "per_trip" else 1
        limits = {1: per_day, 2: per_day * len(model.days)}
        what = "ritten" if per_day == 2 else "dagen"
    elif unit == 16:
        p = model.products[code]
        limits = {1: p.max_dagdelen_per_day, 2: p.max_dagdelen_per_week}
        what = "dagdelen"
    else:
        limits, what = {}, ""
    if freq in limits and volume > limits[freq]:
        out.append(Problem("allocations", f"{code}: {volume:g} {what} {FREQUENCIES[freq]}, het product staat er "
                           f"{limits[freq]} toe", number, "volume"))
    return out


def read_allocations(path: Path, model: RegionModel) -> list[Allocation]:
    """The `allocations` sheet (workbook) or allocations.csv (folder), validated with row numbers.

    Columns: municipality, product, volume, unit, frequency, start_date (required), end_date,
    school (PO/VSO), category (transport). Raises InputError with one Problem per cell.
    """
    tables = read_tables(path, ("allocations",))
    if "allocations" not in tables:
        raise InputError([Problem("allocations", "tabblad ontbreekt")])
    table = tables["allocations"]
    columns = {"municipality": f.text, "product": f.text, "volume": f.bounded(f.number, 0, 1_000_000),
               "unit": f.integer, "frequency": f.integer, "start_date": f.date, "end_date": f.date,
               "school": f.text, "category": f.integer}
    absent = [c for c in ("municipality", "product", "volume", "unit", "frequency", "start_date")
              if c not in table.headers]
    missing = frozenset(absent)
    problems = list(table.problems) + [Problem("allocations", "verplichte kolom ontbreekt", 1, c) for c in absent]
    out = []
    for number, row in table.rows:
        values: dict[str, Any] = {}
        bad = False
        for name, parse in columns.items():
            raw = row.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                values[name] = parse(raw)
            except ValueError as exc:
                problems.append(Problem("allocations", str(exc), number, name))
                bad = True
        if "product" in missing:
            continue
        if not known_product(model, values.get("product", "")):
            problems.append(Problem("allocations", f"onbekend product '{values.get('product')}'", number, "product"))
            continue
        row_problems = _row_problems(model, values, number, missing)
        problems += row_problems
        if bad or row_problems:
            continue
        if "start_date" in values and "volume" in values and "municipality" in values:
            out.append(Allocation(values["municipality"], values["product"], values["volume"],
                                  values.get("unit", 16), values.get("frequency", 2), values["start_date"],
                                  values.get("end_date"), values.get("school", ""), values.get("category")))
    if problems:
        raise InputError(problems)
    return out
