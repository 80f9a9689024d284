"""The checker's own price of a roster: what the week costs, from the raw inputs alone.

Written from the seeds and the contract (`../shared/spec/contract.md`, "Region models" and "What
`planner plan` writes"), not from the solver's problem (`solver/problem.py`) nor from
`core/costs.py`, so a pricing fault on the solver's side shows up as a mismatch instead of being
repeated here. `planner plan` compares the solver's cost terms with this price term by term
(`compare_terms`); a difference is a checker violation (rule `kosten`).

Every amount is in cents per week (integers; euros only in messages). The terms, named as the
solver names them:

* `personeel`: per rostered staff-dagdeel, the person's hourly cost (data column `hourly_cost`, else
  the model's `[cost] hourly` of their level) x `dagdeel_hours`, rounded to the cent per dagdeel
  (the dagdeel is the billing unit, contract "Words");
* `vacatures`: the same per vacancy-dagdeel at the model's hourly cost of the vacancy's level;
* `specialisten`: `extra_hours_per_week` per level x that level's hourly cost, once per group and
  product that runs in that group at least once in the week (contract: "specialist hours per group,
  costed, not rostered");
* `vervoer`: the fare per attendance day, see `transport_rides`;
* `groepen`: `opening_cost_per_week` of every optional group the roster opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from planner.core.roster import Roster
from planner.inputs.catalogue import RegionModel
from planner.inputs.data import Child, Location, ProviderData
from planner.inputs.geo import straight_km
from planner.verify.check import Violation

TERMS = ("personeel", "vacatures", "specialisten", "vervoer", "groepen")
# data column `transport` -> the transport table's rows (seed 002 lines 475-478: Groep / Individueel)
_ROW_OF = {"groep": "group", "individueel": "individual"}


def to_cents(euros: float) -> int:
    """Euros (a figure as the model or the workbook writes it) -> whole cents, half a cent to even.

    Exact on the decimal the author wrote (Decimal of its shortest repr), so 18.40 is 1840 cents,
    never 1839. Raises nothing for finite input (the readers refuse nan and inf).
    """
    return int(round(Decimal(repr(float(euros))) * 100))


@dataclass(frozen=True)
class Ride:
    """One attendance day of a child with paid transport: distance, band, category and fare."""

    child_id: str
    location_id: str
    day: str  # "ma" .. "zo"
    km: float  # one way, road km
    band: int  # 1-based column of the band table (the last band beyond it, transport_rule last_band)
    mode: str  # "group" | "group_wheelchair" | "individual"
    category: int
    cents: int  # the day's fare: one return trip (per_day) or two trips (per_trip)


@dataclass(frozen=True)
class VerifiedCost:
    """The week's cost by term, in cents per week, with the rides behind `vervoer`."""

    personeel: int
    vacatures: int
    specialisten: int
    vervoer: int
    groepen: int
    rides: tuple[Ride, ...] = ()

    @property
    def total(self) -> int:
        """Cents per week: the sum of the five terms (what the solver minimises as cost)."""
        return self.personeel + self.vacatures + self.specialisten + self.vervoer + self.groepen

    def terms(self) -> dict[str, int]:
        """Term name -> cents per week, in the order of `TERMS`."""
        return {name: getattr(self, name) for name in TERMS}


def road_km(data: ProviderData, child: Child, location: Location, road_factor: float) -> float:
    """One-way road km from a child's home to a location: the `distances` sheet when it names the pair
    (a route planner's figure, seed 002 line 473: "te berekenen via een goede routeplanner"), else the
    straight line x `road_factor` (contract, [transport]). Raises nothing."""
    given = data.distances.get((child.id, location.id))
    if given is not None:
        return given
    return straight_km(child.lat, child.lon, location.lat, location.lon) * road_factor


def band_of(bands_km: list[float], km: float) -> int | None:
    """1-based band of a one-way distance: band 1 is `km < bands_km[0]`, band i is
    `bands_km[i-2] <= km < bands_km[i-1]` (seed 002 line 475: "< 5 km, 5-10 km, 10-20 km, 20-30 km";
    contract: "band 1: < 5 km, band 2: 5-10"); None at or beyond the last edge."""
    for number, edge in enumerate(bands_km, start=1):
        if km < edge:
            return number
    return None


def ride_mode(model: RegionModel, child: Child) -> str | None:
    """The row of the transport table a child rides in, or None when the provider pays no transport.

    None for `transport = eigen` (seed 002 line 417: transport is first the family's own
    responsibility); for a product whose `transport_eligible` is false (seed 002 line 419: only with
    daghulp 41A03); for a mode the model's transport product excludes (seed 004 lines 4321-4326 and 5128,
    08A03: "m.u.v. rolstoelvervoer en noodzaak voor individueel vervoer"). A child in a wheelchair in
    group transport rides in the "Kind rolstoel" row (seed 002 line 477).
    """
    row = _ROW_OF.get(child.transport)
    product = model.products.get(child.product)
    if row is None or product is None or not product.transport_eligible:
        return None
    if row == "group" and child.wheelchair:
        row = "group_wheelchair"
    return None if row in model.transport_rule.excluded_modes else row


def day_fare(model: RegionModel, mode: str, km: float) -> tuple[int, int, int] | None:
    """(band, category, cents) of one attendance day at `km` one way, or None when no fare is due.

    Beyond the band table (`km > max_km` or past the last edge) the model's `transport_rule` decides:
    `last_band` bills the last band, anything else bills nothing (the placement itself is judged by
    the checker's `afstand` rule). `billing = per_day`: one fare per attendance day, the return trip
    (seed 002 line 471: "Tarief per aanwezigheidsdag"); `per_trip`: a fare each way, two a day
    (seed 003 §3.1, lines 308-311: productcodes "voor zowel heen als terug").
    """
    t = model.transport
    band = band_of(list(t.bands_km), km)
    if km > t.max_km or band is None:
        if model.transport_rule.beyond_table != "last_band":
            return None
        band = len(t.bands_km)
    category = t.category[mode][band - 1]  # type: ignore[index]
    trips = 2 if t.billing == "per_trip" else 1
    return band, category, to_cents(t.tariff[str(category)]) * trips


def transport_rides(model: RegionModel, data: ProviderData, roster: Roster) -> list[Ride]:
    """Every paid attendance day of the roster, in roster order: one per (child, day, location).

    A child at two locations on one day rides twice (the checker's `een_locatie_per_dag` rule
    reports it); a wheelchair child at a location without access rides nowhere (rule `rolstoel`).
    Rows naming an unknown child or group are skipped (rule `onbekend`). Raises nothing.
    """
    children = {c.id: c for c in data.children}
    groups = {g.id: g for g in data.groups}
    locations = {loc.id: loc for loc in data.locations}
    seen: set[tuple[str, str, str]] = set()
    rides = []
    for child_id, group_id, dagdeel in roster.children:
        child, group = children.get(child_id), groups.get(group_id)
        if child is None or group is None or group.location_id not in locations:
            continue
        day = dagdeel.partition("-")[0]
        key = (child_id, day, group.location_id)
        if key in seen:
            continue
        seen.add(key)
        mode = ride_mode(model, child)
        location = locations[group.location_id]
        if mode is None or (child.wheelchair and not location.wheelchair_access):
            continue
        km = road_km(data, child, location, model.transport.road_factor)
        fare = day_fare(model, mode, km)
        if fare is not None:
            rides.append(Ride(child_id, location.id, day, km, fare[0], mode, fare[1], fare[2]))
    return rides


def price_roster(model: RegionModel, data: ProviderData, roster: Roster) -> VerifiedCost:
    """The roster's weekly cost by term, in cents per week (module docstring gives each term).

    Shapes: `roster.staff` (staff_id, group_id, dagdeel), `roster.vacancies` (id, level, group_id,
    dagdeel), `roster.children` (child_id, group_id, dagdeel), `roster.opened` group ids. Rows that
    name unknown people or groups add nothing (the checker names them, rule `onbekend`).
    Raises nothing for inputs the readers accepted.
    """
    hours = Decimal(repr(float(model.dagdeel_hours)))

    def dagdeel_wage(hourly: float) -> int:
        return int(round(Decimal(repr(float(hourly))) * hours * 100))

    staff = {s.id: s for s in data.staff}
    personeel = sum(dagdeel_wage(staff[s].hourly_cost or model.cost.hourly[staff[s].education])
                    for s, _, _ in roster.staff if s in staff)
    vacatures = sum(dagdeel_wage(model.cost.hourly[level]) for _, level, _, _ in roster.vacancies)
    children = {c.id: c for c in data.children}
    running = {(group_id, children[c].product) for c, group_id, _ in roster.children if c in children}
    specialisten = 0
    for _, code in sorted(running):
        for level, extra in model.products[code].extra_hours_per_week.items():
            specialisten += to_cents(extra * model.cost.hourly[level])
    rides = tuple(transport_rides(model, data, roster))
    opened = set(roster.opened)
    groepen = sum(to_cents(g.opening_cost_per_week) for g in data.groups if g.optional and g.id in opened)
    return VerifiedCost(personeel, vacatures, specialisten, sum(r.cents for r in rides), groepen, rides)


def euro_nl(cents: int) -> str:
    """Cents -> a Dutch amount: 123456 -> '€ 1.234,56', -5 -> '€ -0,05'."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"€ {sign}{whole:,}".replace(",", ".") + f",{rest:02d}"


def compare_terms(solver_terms: Mapping[str, float], verified: VerifiedCost) -> list[Violation]:
    """One `kosten` violation per cost term where the solver's amount (EUR per week, as `Result.terms`
    holds it) differs from the checker's price by a cent or more, naming the term and both amounts.

    A term the solver did not report counts as € 0,00. Raises nothing.
    """
    out = []
    for name, cents in verified.terms().items():
        theirs = int(round(Decimal(repr(float(solver_terms.get(name, 0.0)))) * 100))
        if theirs != cents:
            out.append(Violation("kosten", f"{name}: oplosser {euro_nl(theirs)}, controle {euro_nl(cents)}"))
    return out
