"""A provider's input: locations, groups, staff, children and distances, read and validated.

Every problem is collected in one pass and raised together as an InputError, each naming its
sheet, row and column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.inputs import fields as f
from planner.inputs.catalogue import RegionModel
from planner.inputs.errors import InputError, Problem
from planner.inputs.postcodes import fill, read_postcodes
from planner.inputs.tables import Table
from planner.inputs.validate import cross_check
from planner.inputs.week_sheets import WEEK_SHEETS, check_week_sheets
from planner.inputs.workbook import read_tables


@dataclass(frozen=True)
class Location:
    id: str
    provider: str
    lat: float
    lon: float
    name: str = ""
    postcode: str = ""
    wheelchair_access: bool = True
    from_postcode: bool = False  # lat/lon are the centroid of the postcode (postcodes.py)


@dataclass(frozen=True)
class Group:
    id: str
    location_id: str
    products: tuple[str, ...]
    capacity: int
    open: tuple[str, ...] | None = None
    optional: bool = False
    opening_cost_per_week: float = 0.0


@dataclass(frozen=True)
class Staff:
    id: str
    education: str
    dagdelen_per_week: int
    name: str = ""
    available: tuple[str, ...] | None = None
    locations: tuple[str, ...] | None = None
    hourly_cost: float | None = None
    pinned: bool = False  # replanning: keep this person's assignments from the previous roster
    # a dated week (week.py): workable dagdelen taken by leave, sickness or closing days; lowers the
    # minimum contract use (contract_minimum.py), not the contract
    off_dagdelen: int = 0


@dataclass(frozen=True)
class Child:
    id: str
    municipality: str
    lat: float
    lon: float
    product: str
    dagdelen_per_week: int
    name: str = ""
    age: float | None = None
    birth_date: dt.date | None = None
    postcode: str = ""
    available: tuple[str, ...] | None = None
    transport: str = "eigen"
    wheelchair: bool = False
    not_with: tuple[str, ...] = ()
    location: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    pinned: bool = False  # replanning: keep this child's assignments from the previous roster
    from_postcode: bool = False  # lat/lon are the centroid of the postcode (postcodes.py)


@dataclass(frozen=True)
class ProviderData:
    locations: tuple[Location, ...]
    groups: tuple[Group, ...]
    staff: tuple[Staff, ...]
    children: tuple[Child, ...]
    distances: dict[tuple[str, str], float] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    name: str
    parse: f.Parser
    required: bool = False
    attr: str | None = None
    help: str = ""


NL_LAT, NL_LON = f.NL_LAT, f.NL_LON

def schemas(parts: tuple[str, ...] = ("ochtend", "middag")) -> dict[str, list[Column]]:
    """Columns per sheet; dagdeel lists are read against the model's parts of a day."""
    return {
        "locations": [
            Column("location_id", f.text, True, "id", "unieke code van de locatie"),
            Column("provider", f.text, True, help="naam van de zorgaanbieder"),
            Column("name", f.text, help="naam van de locatie"),
            Column("postcode", f.text, help="postcode, bijv. 2311 AB"),
            Column("lat", NL_LAT, help="breedtegraad (WGS84), bijv. 52.16; leeg: uit de postcode"),
            Column("lon", NL_LON, help="lengtegraad (WGS84), bijv. 4.49; leeg: uit de postcode"),
            Column("wheelchair_access", f.yes_no, help="rolstoeltoegankelijk: ja/nee"),
        ],
        "groups": [
            Column("group_id", f.text, True, "id", "unieke code van de groep"),
            Column("location_id", f.text, True, help="locatie van de groep"),
            Column("products", f.id_list, True, help="productcodes, komma-gescheiden"),
            Column("capacity", f.bounded(f.integer, 1, 100), True, help="maximaal aantal kinderen"),
            Column("open", f.dagdelen(parts), help="dagdelen open, bijv. ma-ochtend, di; leeg = hele week"),
            Column("optional", f.yes_no, help="ja: kandidaat-groep die de planner mag openen"),
            Column("opening_cost_per_week", f.bounded(f.number, 0), help="kosten per week als open"),
        ],
        "staff": [
            Column("staff_id", f.text, True, "id", "unieke code van de medewerker"),
            Column("name", f.text, help="naam"),
            Column("education", f.education, True, help="MBO3, MBO4, HBO of WO"),
            Column("dagdelen_per_week", f.bounded(f.integer, 0, 14), True, help="contract in dagdelen"),
            Column("available", f.dagdelen(parts), help="beschikbare dagdelen; leeg = alle"),
            Column("locations", f.id_list, help="locaties waar inzetbaar; leeg = alle"),
            Column("hourly_cost", f.bounded(f.number, 0, 500), help="uurkosten; leeg = model"),
            Column("pinned", f.yes_no, help="ja: bij herplannen dezelfde groepen en dagdelen houden"),
        ],
        "children": [
            Column("child_id", f.text, True, "id", "unieke code van de jeugdige"),
            Column("name", f.text, help="naam (komt niet in logboeken)"),
            Column("birth_date", f.date, help="geboortedatum, bijv. 2016-03-14"),
            Column("age", f.bounded(f.number, 0, 30), help="leeftijd in jaren (als geen geboortedatum)"),
            Column("municipality", f.text, True, help="gemeente van herkomst"),
            Column("postcode", f.text, help="postcode woonadres"),
            Column("lat", NL_LAT, help="breedtegraad woonadres; leeg: uit de postcode"),
            Column("lon", NL_LON, help="lengtegraad woonadres; leeg: uit de postcode"),
            Column("product", f.text, True, help="productcode van de indicatie"),
            Column("dagdelen_per_week", f.bounded(f.integer, 1, 14), True, help="geïndiceerde dagdelen"),
            Column("available", f.dagdelen(parts), help="beschikbare dagdelen; leeg = alle van het product"),
            Column("transport", f.transport_mode, help="eigen, groep of individueel"),
            Column("wheelchair", f.yes_no, help="rolstoel: ja/nee"),
            Column("not_with", f.id_list, help="niet in dezelfde groep als (child_id's)"),
            Column("location", f.text, help="vaste locatie (location_id)"),
            Column("start_date", f.date, help="startdatum"),
            Column("end_date", f.date, help="einddatum"),
            Column("pinned", f.yes_no, help="ja: bij herplannen dezelfde groepen en dagdelen houden"),
        ],
        "distances": [
            Column("child_id", f.text, True, help="jeugdige"),
            Column("location_id", f.text, True, help="locatie"),
            Column("km", f.bounded(f.number, 0, 500), True, help="afstand enkele reis in km"),
        ],
    }
REQUIRED_SHEETS = ("locations", "groups", "staff", "children")
SHEET_ORDER = (*REQUIRED_SHEETS, "distances")
ENTITY = {"locations": Location, "groups": Group, "staff": Staff, "children": Child}


def _parse_table(table: Table, schema: list[Column], problems: list[Problem]) -> list[tuple[int, dict]]:
    missing = [c.name for c in schema if c.required and c.name not in table.headers]
    for name in missing:
        problems.append(Problem(table.sheet, "verplichte kolom ontbreekt", 1, name))
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, row in table.rows:
        values: dict[str, Any] = {}
        for column in schema:
            raw = row.get(column.name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if column.required and column.name not in missing:
                    problems.append(Problem(table.sheet, "verplichte waarde ontbreekt", number, column.name))
                continue
            try:
                values[column.attr or column.name] = column.parse(raw)
            except ValueError as exc:
                problems.append(Problem(table.sheet, str(exc), number, column.name))
        parsed.append((number, values))
    return parsed


def _build(
    sheet: str, parsed: list[tuple[int, dict]], problems: list[Problem],
) -> tuple[dict[str, tuple[int | None, Any]], list[tuple[int | None, Any]]]:
    """Entities by id (the first row of an id; duplicates reported) and every row as an entity.

    A row missing a required value (reported already) becomes a partial entity with None there:
    it is still cross-checked, so that one missing column does not hide the sheet's other problems,
    and it never reaches ProviderData because its problem is raised first.
    """
    entity = ENTITY[sheet]
    id_column = schemas()[sheet][0].name
    required = [f.name for f in dataclasses.fields(entity) if f.default is dataclasses.MISSING]
    built: dict[str, tuple[int | None, Any]] = {}
    rows: list[tuple[int | None, Any]] = []
    for number, values in parsed:
        item = entity(**{**dict.fromkeys(required), **values})
        rows.append((number, item))
        ident = values.get("id")
        if ident is None:
            continue
        if ident in built:
            problems.append(Problem(sheet, f"dubbele id '{ident}' (ook in rij {built[ident][0]})", number, id_column))
            continue
        built[ident] = (number, item)
    return built, rows


def read_data(path: Path, model: RegionModel, peildatum: dt.date | None = None,
              postcodes: Path | None = None) -> ProviderData:
    """Read and validate the workbook or CSV folder against a region model; empty lat/lon of a
    location or child come from its postcode in the `postcodes` table (postcodes.py).

    Sheets and columns as contract "Data: the workbook (or CSV folder)"; `peildatum` is the day ages
    are counted on. Returns ProviderData: tuples of Location, Group, Staff, Child and `distances`
    {(child_id, location_id): road km}; dagdelen as canonical ids, money in EUR, contracts and
    indications in dagdelen per week. Raises InputError with every problem at once, each naming sheet,
    row and column (Dutch), never a traceback."""
    tables = read_tables(path, (*SHEET_ORDER, *WEEK_SHEETS))
    problems: list[Problem] = [p for table in tables.values() for p in table.problems]
    entities: dict[str, dict[str, tuple[int | None, Any]]] = {}
    rows: dict[str, list[tuple[int | None, Any]]] = {}
    schema = schemas(tuple(model.parts))
    for sheet in REQUIRED_SHEETS:
        if sheet not in tables:
            problems.append(Problem(sheet, f"tabblad ontbreekt (verwacht: {', '.join(REQUIRED_SHEETS)})"))
            entities[sheet], rows[sheet] = {}, []
            continue
        entities[sheet], rows[sheet] = _build(sheet, _parse_table(tables[sheet], schema[sheet], problems), problems)

    table = read_postcodes(postcodes) if postcodes is not None else None
    for sheet in ("locations", "children"):
        headers = tables[sheet].headers if sheet in tables else ["lat", "lon"]
        found = fill(sheet, rows.get(sheet, []), table, problems, headers)
        if found:
            rows[sheet] = [(n, found.get(n, item)) for n, item in rows[sheet]]
            entities[sheet] = {k: (n, found.get(n, item)) for k, (n, item) in entities[sheet].items()}
    distances: dict[tuple[str, str], float] = {}
    distance_rows: list[tuple[int, dict]] = []
    if "distances" in tables:
        distance_rows = _parse_table(tables["distances"], schema["distances"], problems)

    cross_check(model, entities, distance_rows, distances, problems, peildatum or dt.date(model.year, 1, 1), rows)
    # the dated week's optional sheets, week or no week (week_sheets.py): every problem in this one pass
    problems += check_week_sheets(tables, tuple(model.parts), entities["staff"], entities["locations"])
    if problems:
        order = {name: i for i, name in enumerate((*SHEET_ORDER, *WEEK_SHEETS))}
        problems.sort(key=lambda p: (order.get(p.sheet, 99), p.row or 0))
        raise InputError(problems)
    return ProviderData(
        locations=tuple(e for _, e in entities["locations"].values()),
        groups=tuple(e for _, e in entities["groups"].values()),
        staff=tuple(e for _, e in entities["staff"].values()),
        children=tuple(e for _, e in entities["children"].values()),
        distances=distances,
    )
