"""Distances between homes and locations."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088


def straight_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in km between two points in degrees (WGS84 lat/lon), on a sphere of
    EARTH_RADIUS_KM. The transport rules take road km as this x the model's `road_factor` unless the
    `distances` sheet gives one (contract, [transport]; seed 002 line 473). Raises nothing for finite input."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
