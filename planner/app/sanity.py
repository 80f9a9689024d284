"""The sanity table `planner check` prints: demand against seats and staff, per product."""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.inputs.catalogue import RegionModel, level_rank
from planner.inputs.data import ProviderData


@dataclass(frozen=True)
class CapacityRow:
    product: str
    children: int
    demand: int          # indicated dagdelen per week
    seats: int           # group-dagdelen x seats, in the product's parts, if all went to it
    staff_needed: int    # staff-dagdelen the ratio rule asks for the full demand
    staff_available: int  # contract dagdelen of staff qualified for the product
    min_level: str


def capacity_table(model: RegionModel, data: ProviderData) -> list[CapacityRow]:
    week = model.week()
    rows = []
    for code, product in model.products.items():
        kids = [c for c in data.children if c.product == code]
        parts = set(model.product_parts(code))
        seats = 0
        for g in data.groups:
            if code in g.products:
                open_ = [d for d in (g.open or week) if d.split("-")[1] in parts]
                seats += len(open_) * min(g.capacity, product.group_max)
        demand = sum(c.dagdelen_per_week for c in kids)
        needed = math.ceil(demand * product.staff_per_child) if demand else 0
        level = product.education.min_level or "MBO3"
        available = sum(
            min(s.dagdelen_per_week, len(s.available or week))
            for s in data.staff
            if level_rank(s.education) >= level_rank(level)
        )
        if kids or seats:
            rows.append(CapacityRow(code, len(kids), demand, seats, needed, available, level))
    return rows
