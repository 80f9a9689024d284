"""Tiny hand-checkable instances built in code (the data objects the reader would produce)."""

from __future__ import annotations

from dataclasses import replace

from planner.app.plan import Plan, make_plan_from
from planner.inputs.catalogue import RegionModel, build_model, load_model, model_path, read_model_dict
from planner.inputs.dagdelen import parse_dagdelen
from planner.inputs.data import Child, Group, Location, ProviderData, Staff
from planner.inputs.scenario import SolveSettings

LEIDEN = (52.160, 4.490)


def model(name: str = "westfriesland-2025", **product_changes: dict) -> RegionModel:
    raw = read_model_dict(model_path(name))
    for code, changes in product_changes.items():
        raw["products"][code.replace("_", "-")].update(changes)
    return build_model(raw, name) if product_changes else load_model(name)


def loc(id: str = "L1", lat: float = LEIDEN[0], lon: float = LEIDEN[1], **kw) -> Location:
    return Location(id=id, provider="Test", lat=lat, lon=lon, **kw)


def group(id: str, products: str, capacity: int = 8, location: str = "L1", open: str | None = None, **kw) -> Group:
    return Group(id=id, location_id=location, products=tuple(p.strip() for p in products.split(",")),
                 capacity=capacity, open=tuple(parse_dagdelen(open, ("ochtend", "middag"))) if open else None, **kw)


def staff(id: str, education: str = "HBO", dagdelen: int = 10, available: str | None = None, **kw) -> Staff:
    return Staff(id=id, education=education, dagdelen_per_week=dagdelen,
                 available=tuple(parse_dagdelen(available, ("ochtend", "middag"))) if available else None, **kw)


def child(id: str, product: str, dagdelen: int = 1, available: str | None = None, lat: float = LEIDEN[0] + 0.01,
          lon: float = LEIDEN[1], **kw) -> Child:
    return Child(id=id, municipality="Leiden", lat=lat, lon=lon, product=product, dagdelen_per_week=dagdelen,
                 available=tuple(parse_dagdelen(available, ("ochtend", "middag"))) if available else None, **kw)


def data(locations=None, groups=(), staff_=(), children=(), distances=None) -> ProviderData:
    return ProviderData(tuple(locations or [loc()]), tuple(groups), tuple(staff_), tuple(children), distances or {})


def settings(**kw) -> SolveSettings:
    # deterministic: tests that compare results must not depend on the machine's load
    base = SolveSettings(time_limit_s=10, workers=2, seed=0, deterministic=True)
    return replace(base, **kw)


def plan(model_: RegionModel, data_: ProviderData, **kw) -> Plan:
    """Solve and check; the checker's verdict is asserted by the caller."""
    return make_plan_from(model_, data_, settings(**kw))
