"""A child's transport to each location, priced: distance, band, category and cents per attendance day.

The model's `[transport]` table (distance bands, categories, tariffs) applied to the
provider's data; shared by the solver's problem (which slots a child may take) and the money of a
roster (core/costs.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.inputs.catalogue import RegionModel, beyond_table_allowed, paid_mode
from planner.inputs.data import Child, ProviderData
from planner.inputs.geo import straight_km


def cents(euros: float) -> int:
    """Euros to whole cents, rounded half to even (Python's round)."""
    return int(round(euros * 100))


@dataclass(frozen=True)
class Trip:
    """A child's transport to one location: distance, band, category and price per attendance day."""

    km: float
    band: int
    mode: str
    category: int
    cost_per_day: int  # cents, return trip


def distance_km(data: ProviderData, road_factor: float, child: Child, loc_index: int) -> float:
    """Km from a child's home to location number `loc_index`: the data's given distance, else straight
    line x road_factor."""
    loc = data.locations[loc_index]
    given = data.distances.get((child.id, loc.id))
    if given is not None:
        return given
    return straight_km(child.lat, child.lon, loc.lat, loc.lon) * road_factor


def trips_for(model: RegionModel, data: ProviderData, child: Child) -> dict[int, Trip]:
    """Location index -> Trip for every location the child may reach (wheelchair access, the model's
    rule beyond the band table); own transport costs 0, paid transport its category's tariff."""
    t = model.transport
    mode = paid_mode(model, child.product, child.transport, child.wheelchair)
    out = {}
    for li, loc in enumerate(data.locations):
        km = distance_km(data, t.road_factor, child, li)
        band = t.band(km)
        if km > t.max_km or band is None:  # beyond the table: the model's transport rule decides
            if not beyond_table_allowed(model, mode):
                continue
            band = len(t.bands_km) + (1 if mode is None else 0)  # own: "beyond"; paid: the last band's price
        if child.wheelchair and not loc.wheelchair_access:
            continue
        if mode is None:
            out[li] = Trip(km, band, "eigen", 0, 0)
            continue
        category = t.category[mode][band - 1]  # type: ignore[index]
        per_trip = cents(t.tariff[str(category)])
        out[li] = Trip(km, band, mode, category, per_trip * (2 if t.billing == "per_trip" else 1))
    return out
