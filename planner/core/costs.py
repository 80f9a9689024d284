"""Money from a roster, without the solver: staff, vacancies, specialists, transport, groups, revenue.

All sums are in cents and converted to euros at the edge, so totals match to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.core.ids import positions
from planner.core.roster import Roster
from planner.core.trips import Trip, cents, trips_for
from planner.inputs.catalogue import RegionModel
from planner.inputs.data import ProviderData
from planner.inputs.week import Period


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
    # contract dagdelen on leave (week.py, sheet `leave`): paid, neither rostered nor "unused";
    # not in `total` either, but in `paid`
    leave: int = 0

    @property
    def total(self) -> int:
        return self.staff + self.vacancies + self.specialists + self.transport + self.groups

    @property
    def paid(self) -> int:
        """Cents per week paid out: the roster's cost plus the contract hours not rostered plus leave."""
        return self.total + self.unused_contract + self.leave

    def euros(self) -> dict[str, float]:
        return {"staff": self.staff / 100, "vacancies": self.vacancies / 100,
                "specialists": self.specialists / 100, "transport": self.transport / 100,
                "groups": self.groups / 100, "total": self.total / 100,
                "unused_contract": self.unused_contract / 100, "leave": self.leave / 100,
                "paid_total": self.paid / 100}


@dataclass(frozen=True)
class ContractUse:
    """One staff member's contract in a week, in dagdelen and cents: rostered + leave + unused covers it."""

    rostered: int
    leave: int  # contract dagdelen on leave (at most the contract)
    leave_cost: int
    unused: int  # contract dagdelen neither rostered nor on leave
    unused_cost: int


def contract_use(model: RegionModel, data: ProviderData, roster: Roster,
                 period: Period | None = None) -> dict[str, ContractUse]:
    """Per staff id (the week's staff and `period.away`, those on leave all week): how the contract
    (dagdelen_per_week) is used. Leave (period.leave, week.py) is paid but neither rostered nor unused:
    leave = min(leave dagdelen, contract), unused = max(0, contract - rostered - leave)."""
    staff = tuple(data.staff) + (period.away if period is not None else ())
    per_staff = {s.id: cents((s.hourly_cost or model.cost.hourly[s.education]) * model.dagdeel_hours)
                 for s in staff}
    on_leave = dict(period.leave) if period is not None else {}
    worked: dict[str, int] = defaultdict(int)
    for staff_id, _, _ in roster.staff:
        worked[staff_id] += 1
    out = {}
    for s in staff:
        n = worked.get(s.id, 0)
        leave = min(on_leave.get(s.id, 0), max(0, s.dagdelen_per_week - n))
        left = max(0, s.dagdelen_per_week - n - leave)
        out[s.id] = ContractUse(n, leave, leave * per_staff[s.id], left, left * per_staff[s.id])
    return out


def unused_contract(model: RegionModel, data: ProviderData, roster: Roster,
                    period: Period | None = None) -> dict[str, tuple[int, int]]:
    """Per staff id: (contract dagdelen neither rostered nor on leave, their cost in cents per week)."""
    return {k: (u.unused, u.unused_cost) for k, u in contract_use(model, data, roster, period).items()}


def staff_dagdeel_cost(model: RegionModel, data: ProviderData) -> dict[str, int]:
    """Staff id -> cents per rostered dagdeel: the person's `hourly_cost` (else the model's `[cost] hourly`
    of their level, EUR) x `dagdeel_hours`, rounded to the cent (contract, [cost]; seed 003 lines 166-195
    for the client hour behind `hourly = "cost_model"`). Raises KeyError on a level the model lacks."""
    return {s.id: cents((s.hourly_cost or model.cost.hourly[s.education]) * model.dagdeel_hours)
            for s in data.staff}


def transport_days(model: RegionModel, data: ProviderData, roster: Roster) -> list[tuple[str, str, str, Trip]]:
    """(child, day, location, trip) for each attendance day of a child with paid transport: one per
    child, day and location (seed 002 line 471: "Tarief per aanwezigheidsdag"); `trip.cost_per_day` in
    cents is one return trip, or two trips with `billing = per_trip` (seed 003 §3.1). Children with own
    transport, or whose product pays none (002 line 419), are left out. Raises KeyError on unknown ids."""
    groups = {g.id: g for g in data.groups}
    children = {c.id: c for c in data.children}
    loc_index = positions(loc.id for loc in data.locations)
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
    loc_index = positions(loc.id for loc in data.locations)
    out = set()
    for child_id, group_id, _ in roster.children:
        loc = groups[group_id].location_id
        trip = trips_for(model, data, children[child_id]).get(loc_index[loc])
        if trip is not None and (trip.km > model.transport.max_km or model.transport.band(trip.km) is None):
            out.add((child_id, loc, round(trip.km, 1)))
    return sorted(out)


def week_cost(model: RegionModel, data: ProviderData, roster: Roster, period: Period | None = None) -> WeekCost:
    """The week's cost in cents; with a dated week (`period`, week.py) leave is paid as its own line.

    WeekCost in cents per week: `staff` (rostered staff-dagdelen at `staff_dagdeel_cost`), `vacancies`
    (at the level's model cost), `specialists` (`extra_hours_per_week` once per group and product that
    runs there), `transport` (fare per attendance day, `transport_days`; seed 002 lines 409-490, 003
    §3.1), `groups` (optional groups opened), `revenue` (tariff per child-dagdeel), `unused_contract` and
    `leave` (paid, not in `total`). Raises KeyError on rows naming unknown ids (the checker names them;
    recheck.py prices only the known rows). The checker prices the same roster on its own
    (verify/price.py) and `planner plan` compares both."""
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
    use = contract_use(model, data, roster, period).values()
    unused, leave = sum(u.unused_cost for u in use), sum(u.leave_cost for u in use)
    return WeekCost(staff, vacancies, specialists, transport, groups, revenue, unused, leave)
