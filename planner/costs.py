"""Money from a roster, without the solver: staff, vacancies, specialists, transport, groups, revenue.

All sums are in cents and converted to euros at the edge, so totals match to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.catalogue import RegionModel
from planner.data import ProviderData
from planner.problem import Trip, cents, trips_for
from planner.roster import Roster


@dataclass(frozen=True)
class WeekCost:
    staff: int  # cents per week
    vacancies: int
    specialists: int
    transport: int
    groups: int
    revenue: int
    # staff are paid their contract: contract dagdelen not rostered, at the person's dagdeel cost
    # (the controller's "niet ingeroosterde contracturen"); not in `total`, which is what the
    # roster uses and the solver minimises, but in `paid`
    unused_contract: int = 0

    @property
    def total(self) -> int:
        return self.staff + self.vacancies + self.specialists + self.transport + self.groups

    @property
    def paid(self) -> int:
        """Cents per week paid out: the roster's cost plus the contract hours not rostered."""
        return self.total + self.unused_contract

    def euros(self) -> dict[str, float]:
        return {"staff": self.staff / 100, "vacancies": self.vacancies / 100,
                "specialists": self.specialists / 100, "transport": self.transport / 100,
                "groups": self.groups / 100, "total": self.total / 100,
                "unused_contract": self.unused_contract / 100, "paid_total": self.paid / 100}


def unused_contract(model: RegionModel, data: ProviderData, roster: Roster) -> dict[str, tuple[int, int]]:
    """Per staff id: (contract dagdelen not rostered, their cost in cents per week)."""
    per_staff = staff_dagdeel_cost(model, data)
    worked: dict[str, int] = defaultdict(int)
    for staff_id, _, _ in roster.staff:
        worked[staff_id] += 1
    out = {}
    for s in data.staff:
        left = max(0, s.dagdelen_per_week - worked.get(s.id, 0))
        out[s.id] = (left, left * per_staff[s.id])
    return out


def staff_dagdeel_cost(model: RegionModel, data: ProviderData) -> dict[str, int]:
    return {s.id: cents((s.hourly_cost or model.cost.hourly[s.education]) * model.dagdeel_hours)
            for s in data.staff}


def transport_days(model: RegionModel, data: ProviderData, roster: Roster) -> list[tuple[str, str, str, Trip]]:
    """(child, day, location, trip) for each attendance day of a child with paid transport."""
    groups = {g.id: g for g in data.groups}
    children = {c.id: c for c in data.children}
    loc_index = {loc.id: i for i, loc in enumerate(data.locations)}
    seen = set()
    out = []
    for child_id, group_id, dagdeel in roster.children:
        child = children[child_id]
        if child.transport == "eigen":
            continue
        loc = groups[group_id].location_id
        day = dagdeel.split("-")[0]
        if (child_id, day, loc) in seen:
            continue
        seen.add((child_id, day, loc))
        trip = trips_for(model, data, child).get(loc_index[loc])
        if trip is not None and trip.mode != "eigen":  # own transport: not eligible or an excluded mode
            out.append((child_id, day, loc, trip))
    return out


def beyond_table(model: RegionModel, data: ProviderData, roster: Roster) -> list[tuple[str, str, float]]:
    """(child, location, km) of children placed beyond the transport band table (`max_km`): allowed by the
    model's transport rule (own transport, or paid at the last band), reported, never silently."""
    groups = {g.id: g for g in data.groups}
    children = {c.id: c for c in data.children}
    loc_index = {loc.id: i for i, loc in enumerate(data.locations)}
    out = set()
    for child_id, group_id, _ in roster.children:
        loc = groups[group_id].location_id
        trip = trips_for(model, data, children[child_id]).get(loc_index[loc])
        if trip is not None and (trip.km > model.transport.max_km or model.transport.band(trip.km) is None):
            out.add((child_id, loc, round(trip.km, 1)))
    return sorted(out)


def week_cost(model: RegionModel, data: ProviderData, roster: Roster) -> WeekCost:
    per_staff = staff_dagdeel_cost(model, data)
    staff = sum(per_staff[s] for s, _, _ in roster.staff)
    vacancies = sum(cents(model.cost.hourly[lv] * model.dagdeel_hours) for _, lv, _, _ in roster.vacancies)
    transport = sum(trip.cost_per_day for *_, trip in transport_days(model, data, roster))
    children = {c.id: c for c in data.children}
    running: dict[str, set[str]] = defaultdict(set)
    revenue = 0
    for child_id, group_id, _ in roster.children:
        product = children[child_id].product
        running[group_id].add(product)
        revenue += cents(model.products[product].tariff)
    specialists = 0
    for products in running.values():
        for code in products:
            for lv, hours in model.products[code].extra_hours_per_week.items():
                specialists += cents(hours * model.cost.hourly[lv])
    opened = set(roster.opened)
    groups = sum(cents(g.opening_cost_per_week) for g in data.groups if g.optional and g.id in opened)
    unused = sum(c for _, c in unused_contract(model, data, roster).values())
    return WeekCost(staff, vacancies, specialists, transport, groups, revenue, unused)


# --- reële tarieven: the calculator lives in planner/tariffs.py; these names stay importable here.
from planner.tariffs import (  # noqa: E402
    TariffRow,
    client_hourly,
    cost_based_tariffs,
    employer_hourly,
    salary_index,
)

__all__ = ["TariffRow", "WeekCost", "client_hourly", "cost_based_tariffs", "employer_hourly", "salary_index",
           "beyond_table", "staff_dagdeel_cost", "transport_days", "week_cost"]
