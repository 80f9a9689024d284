"""Money from a roster, without the solver: staff, vacancies, specialists, transport, groups, revenue.

All sums are in cents and converted to euros at the edge, so totals match to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from planner.catalogue import RegionModel, exact
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

    @property
    def total(self) -> int:
        return self.staff + self.vacancies + self.specialists + self.transport + self.groups

    def euros(self) -> dict[str, float]:
        return {"staff": self.staff / 100, "vacancies": self.vacancies / 100,
                "specialists": self.specialists / 100, "transport": self.transport / 100,
                "groups": self.groups / 100, "total": self.total / 100}


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
        if trip is not None:
            out.append((child_id, day, loc, trip))
    return out


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
    return WeekCost(staff, vacancies, specialists, transport, groups, revenue)


# --- reële tarieven: hourly cost build-up and cost-based tariffs ------------------------------

WEEKS_PER_YEAR_CALENDAR = 52.1775  # 365.2425 / 7


def salary_index(model: RegionModel) -> float:
    """Cumulative CAO increases from the 2023 salary base up to the model's reference date."""
    cm = model.cost_model
    assert cm is not None
    factor = 1.0
    for step in cm.indexations:
        if step.date <= cm.reference_date:
            factor *= 1 + step.percent / 100
    return factor


def employer_hourly(model: RegionModel, level: str) -> float:
    """Employer cost of one paid hour: salary, holiday allowance, year-end bonus, charges."""
    cm = model.cost_model
    assert cm is not None
    yearly = cm.monthly_salary_2023[level] * salary_index(model) * 12
    yearly *= 1 + cm.holiday_allowance + cm.year_end_bonus
    yearly *= 1 + cm.employer_charges
    return yearly / (cm.hours_per_week * WEEKS_PER_YEAR_CALENDAR)


def client_hourly(model: RegionModel, level: str) -> float:
    """Cost of one billable client hour: paid hours / productivity, plus overhead and risk."""
    cm = model.cost_model
    assert cm is not None
    return employer_hourly(model, level) / cm.productivity * (1 + cm.overhead) * (1 + cm.risk_margin)


@dataclass(frozen=True)
class TariffRow:
    product: str
    name: str
    group_size: float
    staff_per_group: float
    staff_mix: dict[str, float]  # level -> staff per group-dagdeel
    staff_cost: float  # EUR per child-dagdeel
    specialist_cost: float
    cost_based: float
    contracted: float

    @property
    def difference(self) -> float:
        return self.contracted - self.cost_based


def _staff_mix(model: RegionModel, code: str, staff: float) -> dict[str, float]:
    from planner.catalogue import LEVELS, level_rank

    edu = model.products[code].education
    base = edu.min_level or "MBO3"
    mix: dict[str, float] = {}
    for lv, count in edu.min_count.items():
        mix[lv] = mix.get(lv, 0.0) + float(count)
    for lv, share in edu.min_share.items():
        have = sum(v for k, v in mix.items() if level_rank(k) >= level_rank(lv))
        need = share * staff - have
        if need > 0:
            mix[lv] = mix.get(lv, 0.0) + need
    rest = staff - sum(mix.values())
    if rest > 0:
        mix[base] = mix.get(base, 0.0) + rest
    return {lv: mix[lv] for lv in LEVELS if lv in mix}


def cost_based_tariffs(model: RegionModel) -> list[TariffRow]:
    """Per product: what a dagdeel costs from its ratio, group size, education mix and specialists."""
    cm = model.cost_model
    assert cm is not None, "het model heeft geen [cost_model]"
    rows = []
    for code, p in model.products.items():
        # the ratio is exact (10/3 stays 10/3): the staff count is a Fraction until it meets the wages
        exact_size = max(Fraction(1), exact(cm.occupancy) * p.group_max)
        size = float(exact_size)
        staff = float(max(Fraction(p.min_staff), exact_size * p.staff_per_child,
                          Fraction(sum(p.education.min_count.values()))))
        mix = _staff_mix(model, code, staff)
        per_group = sum(n * client_hourly(model, lv) for lv, n in mix.items()) * model.dagdeel_hours
        dagdelen_per_week = len(model.days) * len(model.product_parts(code))
        specialists = sum(h * client_hourly(model, lv) for lv, h in p.extra_hours_per_week.items())
        specialist_per_child = specialists / (size * dagdelen_per_week)
        staff_per_child = per_group / size
        rows.append(TariffRow(code, p.name, size, staff, mix, staff_per_child, specialist_per_child,
                              staff_per_child + specialist_per_child, p.tariff))
    return rows
