"""Coordinates from a postcode when `lat`/`lon` are empty: the centroid of the PC6 or PC4 area.

The table is the user's own CSV (scenario key `postcodes = "pc4.csv"`), columns `postcode`, `lat`,
`lon` (WGS84), PC4 ("2311") or PC6 ("2311AB") rows, read with the shared CSV reader (`;` or `,`,
decimal commas as Excel writes them). Open data with PC4 centroids: CBS "Kerncijfers per
postcode" with the PC4 areas of PDOK, or the Dutch postal-code extract of GeoNames (CC BY 4.0,
`NL.txt`: postcode, place, ..., latitude, longitude), cut to these three columns. No package on
PyPI ships the data itself (pgeocode downloads GeoNames at run time), so the file is the user's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.inputs import fields as f
from planner.inputs.errors import InputError, Problem
from planner.inputs.tables import read_csv

PC = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})?\s*$")
LAT, LON = f.NL_LAT, f.NL_LON  # one rule for coordinates (fields.coordinate), as the workbook's


def normalise(postcode: str) -> tuple[str, str] | None:
    """'2311 ab' -> ('2311AB', '2311'); '2311' -> ('2311', '2311'); None when it is no Dutch postcode."""
    m = PC.match(postcode or "")
    if not m:
        return None
    return m.group(1) + (m.group(2) or "").upper(), m.group(1)


def read_postcodes(path: Path) -> dict[str, tuple[float, float]]:
    """Postcode (PC6 or PC4, normalised) -> (lat, lon). InputError naming row and column per bad row."""
    if not path.is_file():
        raise InputError([Problem(path.name, "postcodetabel niet gevonden", column="postcodes")])
    table = read_csv(path)
    missing = [c for c in ("postcode", "lat", "lon") if c not in table.headers]
    if missing:
        raise InputError([Problem(table.sheet, "verplichte kolom ontbreekt", 1, c) for c in missing])
    out: dict[str, tuple[float, float]] = {}
    problems = []
    for number, row in table.rows:
        key = normalise(str(row.get("postcode") or ""))
        if key is None:
            problems.append(Problem(table.sheet, f"'{row.get('postcode')}' is geen postcode", number, "postcode"))
            continue
        found = []
        for column, parse in (("lat", LAT), ("lon", LON)):
            try:
                found.append(parse(row.get(column)))
            except ValueError as exc:
                problems.append(Problem(table.sheet, str(exc), number, column))
        if len(found) == 2:
            out[key[0]] = (found[0], found[1])
    if problems:
        raise InputError(problems)
    return out


def fill(sheet: str, rows: list[tuple[int | None, Any]], table: dict[str, tuple[float, float]] | None,
         problems: list[Problem], headers: list[str]) -> dict[int | None, Any]:
    """Row number -> the entity with the centroid of its postcode (PC6, else PC4) for every entity
    without lat/lon; a problem naming sheet, row and column when there is none (without a table:
    a missing lat/lon column is named once, as any required column)."""
    out: dict[int | None, Any] = {}
    absent = [c for c in ("lat", "lon") if c not in headers]
    if absent and table is None:
        problems.extend(Problem(sheet, "verplichte kolom ontbreekt", 1, c) for c in absent)
        return out
    named = {(p.row, p.column) for p in problems if p.sheet == sheet}  # a lat/lon already refused
    for number, item in rows:
        if item.lat is not None and item.lon is not None:
            continue
        column = "lat" if item.lat is None else "lon"
        if (number, "lat") in named or (number, "lon") in named:
            continue  # written but not a number: that line says so, no follow-on "ontbreekt"
        if table is None:
            hint = (f"; lat/lon mag leeg blijven bij postcode '{item.postcode}' als het scenario een "
                    "postcodetabel noemt (postcodes = \"pc4.csv\", planner plan); de webapp neemt geen "
                    "postcodetabel: vul hier lat/lon in") if item.postcode else ""
            problems.append(Problem(sheet, "verplichte waarde ontbreekt" + hint, number, column))
            continue
        key = normalise(item.postcode or "")
        found = None if key is None else table.get(key[0]) or table.get(key[1])
        if found is None:
            why = "geen lat/lon" + (f" en postcode '{item.postcode}' niet in de postcodetabel" if item.postcode
                                    else " en geen postcode")
            problems.append(Problem(sheet, why, number, "postcode" if item.postcode else column))
            continue
        out[number] = replace(item, lat=found[0], lon=found[1], from_postcode=True)
    return out
