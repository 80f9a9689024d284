"""Model fields for money (issue 19): tariffs, forecasts and transport rules, read with the model.

Imported by planner/inputs/catalogue.py after its bases are defined (`_Frozen`, `Level`), so the region's
model classes inherit these fields: `Product(ProductMoney)`, `CostModel(CostModelMoney)`,
`RegionModel(RegionMoney)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, ValidationError, model_validator

from planner.inputs.catalogue import LEVELS, Level, _Frozen
from planner.inputs.errors import Problem

if TYPE_CHECKING:
    from planner.inputs.catalogue import RegionModel

Sector = Literal["jeugdzorg", "gehandicaptenzorg", "ggz"]


class Treatment(_Frozen):
    """Treatment staff per group per week at a role's own rate (tariff build-up only)."""

    role: str
    hours_per_week: float = Field(ge=0)
    source: str


class ProductMoney(_Frozen):
    """Fields of a product used by tariffs, forecasts and transport (all optional)."""

    ijw_code: str = ""  # iJw product code (5 characters, category 41/42/08)
    treatment: list[Treatment] = Field(default_factory=list)
    other_costs: float | None = Field(default=None, ge=0)  # EUR per child-dagdeel, art. 2.3 (b)
    occupancy: float | None = Field(default=None, gt=0, le=1)
    cao: Sector | None = None
    mean_stay_months: float | None = Field(default=None, gt=0)
    max_stay_months: float | None = Field(default=None, gt=0)
    transport_eligible: bool = True

    @model_validator(mode="after")
    def _stay(self) -> ProductMoney:
        if self.mean_stay_months and self.max_stay_months and self.mean_stay_months > self.max_stay_months:
            raise ValueError(f"mean_stay_months {self.mean_stay_months:g} > max_stay_months "
                             f"{self.max_stay_months:g}")
        return self


class Role(_Frozen):
    """A treatment role's monthly salary (1-1-2023 base, indexed like the levels) and sector."""

    monthly_salary_2023: float = Field(gt=0)
    level: Level = "WO"  # the level the roster costs it at (extra_hours_per_week)
    source: str


class SalaryStep(_Frozen):
    """A CAO increase of another sector's table (the shape of catalogue.Indexation)."""

    date: dt.date
    percent: float


class CaoTable(_Frozen):
    """One sector's salary table: CAO Jeugdzorg, Gehandicaptenzorg or GGZ."""

    monthly_salary_2023: dict[str, float]
    indexations: list[SalaryStep] = Field(default_factory=list)
    holiday_allowance: float = Field(ge=0, le=1)
    year_end_bonus: float = Field(ge=0, le=1)
    source: str

    @model_validator(mode="after")
    def _levels(self) -> CaoTable:
        from planner.inputs.catalogue import _every_level

        _every_level(self.monthly_salary_2023, "monthly_salary_2023")
        return self


class CostModelMoney(_Frozen):
    cao: Sector = "jeugdzorg"  # the sector of the top-level salary table
    other_cao: dict[Sector, CaoTable] = Field(default_factory=dict)
    roles: dict[str, Role] = Field(default_factory=dict)
    other_costs: dict[str, float] = Field(default_factory=dict)  # kind -> EUR per child-dagdeel
    other_costs_source: str = ""
    tariff_date: dt.date | None = None  # price level the tariff is for; (d) indexes up to it


class PublishedTariff(_Frozen):
    """A published tariff to compare with (never invented: a date required; a missing source is
    the warning "bron ontbreekt", as everywhere in the model)."""

    code: str  # iJw product code as published (41A00)
    products: list[str] = Field(default_factory=list)  # the model's products it applies to
    amount: float = Field(gt=0)
    unit: Literal["dagdeel", "dag", "uur", "etmaal"]
    year: int
    kind: str  # "PGB-maximum", "ZIN-tarief", ...
    source: str = ""
    date: dt.date
    note: str = ""


class IndexStep(_Frozen):
    """A price or wage index on a date (VNG OVA, CAO step), percent, marked by source."""

    date: dt.date
    percent: float = Field(gt=-50, lt=100)
    kind: str
    source: str = ""  # missing: warning "bron ontbreekt"


class TransportRule(_Frozen):
    """What happens beyond the band table: a placement is allowed, priced as the model says."""

    beyond_table: Literal["own_transport", "last_band", "refuse"] = "own_transport"
    product_code: str = ""  # the transport product of allocations (42A03, 08A03), priced by category
    excluded_modes: list[Literal["group", "group_wheelchair", "individual"]] = Field(default_factory=list)
    source: str = "aanname: de seeds verbieden geen opvang verder weg; zonder eigen vervoer geldt de laatste band"


class RegionMoney(_Frozen):
    published_tariffs: list[PublishedTariff] = Field(default_factory=list)
    index_path: list[IndexStep] = Field(default_factory=list)
    transport_rule: TransportRule = Field(default_factory=TransportRule)

    @model_validator(mode="after")
    def _money_references(self) -> RegionMoney:
        """Published tariffs name known products; treatment roles and CAO tables exist in [cost_model]."""
        products = getattr(self, "products", {})
        for i, pub in enumerate(self.published_tariffs):
            for code in pub.products:
                if code not in products and not code.startswith("transport:"):
                    raise ValueError(f"published_tariffs[{i}]: onbekend product '{code}'")
        cm = getattr(self, "cost_model", None)
        for code, p in products.items():
            if cm is None:
                continue
            if p.cao is not None and p.cao != cm.cao and p.cao not in cm.other_cao:
                raise ValueError(f"products.{code}.cao: geen CAO-tabel '{p.cao}' in [cost_model.other_cao]")
            for t in p.treatment:
                if t.role not in cm.roles:
                    raise ValueError(f"products.{code}.treatment: onbekende rol '{t.role}' (bekend: "
                                     f"{', '.join(sorted(cm.roles)) or 'geen'})")
        return self


def derived_hourly(raw: dict[str, Any]) -> dict[str, Any]:
    """`[cost] hourly = "cost_model"`: the roster's hourly cost is the cost model's client hour
    (paid hour / productivity; 003 lines 166-195: indirect time is paid, not billable)."""
    cost = raw.get("cost")
    cm = raw.get("cost_model")
    if not isinstance(cost, dict) or cost.get("hourly") != "cost_model" or not isinstance(cm, dict):
        return raw
    from planner.app.tariffs import client_hourly_of, index_factor
    from planner.inputs.catalogue import CostModel

    try:
        cost_model = CostModel.model_validate(cm)
        steps = [IndexStep.model_validate(s) for s in raw.get("index_path", [])]
    except (ValidationError, TypeError):
        return raw  # the RegionModel validation reports it, by key
    # prices of the tariff date: the cost price level indexed like element (d) of the tariff
    level = index_factor(steps, cost_model.reference_date, cost_model.tariff_date or cost_model.reference_date)
    out = dict(raw)
    out["cost"] = {**cost, "hourly": {lv: round(client_hourly_of(cost_model, lv) * level, 4) for lv in LEVELS}}
    return out


MODE_OF = {"groep": "group", "individueel": "individual"}


def paid_mode(model: RegionModel, product: str, transport: str, wheelchair: bool) -> str | None:
    """The paid transport mode of a child, or None when it comes by own transport: `eigen`, a product
    without `transport_eligible` (002:419), or a mode the transport product excludes (004 08A03)."""
    if transport not in MODE_OF or not model.products[product].transport_eligible:
        return None
    mode = MODE_OF[transport]
    if mode == "group" and wheelchair:
        mode = "group_wheelchair"
    return None if mode in model.transport_rule.excluded_modes else mode


def beyond_table_allowed(model: RegionModel, mode: str | None) -> bool:
    """May a child attend beyond the band table (`max_km`)? A transport rule, not a placement ban:
    own transport always unless the model says `refuse`; paid transport only with `last_band`."""
    rule = model.transport_rule.beyond_table
    return rule != "refuse" and (mode is None or rule == "last_band")


def transport_warnings(model: RegionModel, children: Iterable[Any]) -> list[Problem]:
    """A warning per child (data.Child: id, product, transport, wheelchair) that asks for transport its
    product does not pay (`transport_eligible = false`, 002:419) or a mode the transport product
    excludes (004 08A03): the child is planned with own transport, the report says so."""
    out = []
    for c in children:
        if c.transport == "eigen" or c.product not in model.products:
            continue
        if paid_mode(model, c.product, c.transport, c.wheelchair) is not None:
            continue
        why = ("geen vergoed vervoer voor dit product" if not model.products[c.product].transport_eligible
               else "deze vorm valt buiten het vervoersproduct")
        out.append(Problem("children", f"jeugdige {c.id} ({c.product}): transport = {c.transport}, maar {why}; "
                           "gepland met eigen vervoer", column="transport"))
    return out
