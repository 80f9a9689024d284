"""The frozen, index-based problem the solver sees: what may go where, and what it costs.

Everything that does not depend on the solver is decided here once: which child may sit in
which group on which dagdeel (product, availability, opening hours, distance, wheelchair,
fixed location), which staff member may work where, and prices in cents.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from planner.core.ids import IdIndex, positions
from planner.core.trips import Trip, cents, trips_for
from planner.inputs.catalogue import LEVELS, MODE_OF, RegionModel, level_rank
from planner.inputs.dagdelen import split_id
from planner.inputs.data import Child, Group, ProviderData, Staff
from planner.inputs.scenario import SolveSettings

MODE_KEY = MODE_OF  # data spelling -> model key


@dataclass(frozen=True)
class ModelRules:
    """The part of a scenario's [solve] table that changes the model: whether vacancies (virtual staff)
    may fill a shortfall, at which levels and at what penalty (EUR per vacancy-dagdeel on top of its
    wage), the weights (EUR per unit) of the soft wishes and, when replanning, of each change, and the
    share of each contract that must be rostered (min_contract_use).
    How long and how the model is searched is not here (request.py: SolveRequest)."""

    vacancies: bool
    vacancy_penalty: float
    vacancy_levels: tuple[str, ...]
    weights: Mapping[str, float]
    min_contract_use: float  # 0..1 of each contract rostered at least (contract_minimum.py); 0: off

    @classmethod
    def of(cls, settings: SolveSettings) -> ModelRules:
        """The model part of a scenario's [solve] settings."""
        return cls(settings.vacancies, settings.vacancy_penalty, tuple(settings.vacancy_levels),
                   dict(settings.weights), settings.min_contract_use)


@dataclass(frozen=True)
class ProblemData:
    """What the solver sees, index-based and frozen: who may sit or work where (slots), distances and
    prices in cents, and the model rules. No search settings (SolveRequest) and no previous roster
    (replan.PreviousIndex): both are passed beside it."""

    model: RegionModel
    data: ProviderData
    rules: ModelRules
    week: tuple[str, ...]
    days: tuple[str, ...]
    children: tuple[Child, ...]
    groups: tuple[Group, ...]
    staff: tuple[Staff, ...]
    location_ids: tuple[str, ...]
    group_location: tuple[int, ...]
    group_open: tuple[frozenset[int], ...]
    child_slots: tuple[tuple[tuple[int, int], ...], ...]  # per child: (group, dagdeel) allowed
    staff_slots: tuple[tuple[tuple[int, int], ...], ...]  # per staff: (group, dagdeel) allowed
    trips: tuple[dict[int, Trip], ...]  # per child: location index -> trip (reachable only)
    staff_cost: tuple[int, ...]  # cents per dagdeel
    level_cost: dict[str, int]  # cents per dagdeel, for vacancies
    staff_weight: int  # common denominator of 1/children_per_staff over all products

    @cached_property
    def ids(self) -> IdIndex:
        """The id <-> position codec of this problem's children, staff, groups, locations and week."""
        return IdIndex.of((c.id for c in self.children), (s.id for s in self.staff), (g.id for g in self.groups),
                          self.location_ids, self.week)

    def product(self, child: int) -> str:
        return self.children[child].product

    def day_of(self, dagdeel: int) -> str:
        return split_id(self.week[dagdeel])[0]

    def child_weight(self, child: int) -> int:
        """Staff needed by one child, in units of 1/staff_weight (exact: 2.5 -> 2/5)."""
        frac = self.model.products[self.product(child)].staff_per_child * self.staff_weight
        assert frac.denominator == 1
        return int(frac)

    def level_of(self, staff: int) -> int:
        return level_rank(self.staff[staff].education)


def build_problem(model: RegionModel, data: ProviderData, rules: ModelRules | SolveSettings) -> ProblemData:
    """The index-based problem of a model and data under `rules` (or the model part of [solve] settings).

    Slots: a child may sit in a group on a dagdeel when the group offers its product, is open, and its
    location is reachable (core/trips.py) and allowed; a staff member may work where available and
    not below every offered product's minimum level. Replanning is added beside it (replan.py)."""
    if isinstance(rules, SolveSettings):
        rules = ModelRules.of(rules)
    week = tuple(model.week())
    index = positions(week)
    loc_index = positions(loc.id for loc in data.locations)
    group_location = tuple(loc_index[g.location_id] for g in data.groups)
    group_open = tuple(frozenset(index[d] for d in (g.open or week) if d in index) for g in data.groups)

    trips = tuple(trips_for(model, data, c) for c in data.children)
    child_slots = []
    for ci, child in enumerate(data.children):
        parts = set(model.product_parts(child.product))
        available = {index[d] for d in (child.available or week) if d in index and split_id(d)[1] in parts}
        slots: list[tuple[int, int]] = []
        for gi, group in enumerate(data.groups):
            if child.product not in group.products or group_location[gi] not in trips[ci]:
                continue
            if child.location and data.groups[gi].location_id != child.location:
                continue
            slots.extend((gi, d) for d in sorted(group_open[gi] & available))
        child_slots.append(tuple(slots))

    staff_slots = []
    for staff in data.staff:
        available = {index[d] for d in (staff.available or week) if d in index}
        allowed_locs = {loc_index[x] for x in staff.locations} if staff.locations else set(loc_index.values())
        rank = level_rank(staff.education)
        slots = []
        for gi, group in enumerate(data.groups):
            if group_location[gi] not in allowed_locs:
                continue
            # a staff member below every offered product's minimum level can never work here
            if all(rank < level_rank(model.products[p].education.min_level or "MBO3")
                   for p in group.products if p in model.products):
                continue
            slots.extend((gi, d) for d in sorted(group_open[gi] & available))
        staff_slots.append(tuple(slots))

    hours = model.dagdeel_hours
    staff_cost = tuple(cents((s.hourly_cost or model.cost.hourly[s.education]) * hours) for s in data.staff)
    level_cost = {lv: cents(model.cost.hourly[lv] * hours) for lv in LEVELS}
    denominators = [p.staff_per_child.denominator for p in model.products.values()]
    weight = math.lcm(*denominators) if denominators else 1
    assert all((p.staff_per_child * weight) == Fraction(int(p.staff_per_child * weight))
               for p in model.products.values())
    return ProblemData(
        model=model, data=data, rules=rules, week=week, days=tuple(model.days),
        children=data.children, groups=data.groups, staff=data.staff,
        location_ids=tuple(loc.id for loc in data.locations), group_location=group_location,
        group_open=group_open, child_slots=tuple(child_slots), staff_slots=tuple(staff_slots),
        trips=trips, staff_cost=staff_cost, level_cost=level_cost, staff_weight=weight,
    )


def possible_dagdelen(pr: ProblemData, c: int) -> int:
    """Dagdelen a child could get at most, alone: allowed slots x per-day and per-week limits."""
    product = pr.model.products[pr.children[c].product]
    per_day: dict[str, set[int]] = defaultdict(set)
    for _, d in pr.child_slots[c]:
        per_day[pr.day_of(d)].add(d)
    total = sum(min(len(ds), product.max_dagdelen_per_day) for ds in per_day.values())
    return min(total, product.max_dagdelen_per_week)
