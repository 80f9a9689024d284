"""Model fields for money (issue 19): tariffs, forecasts and transport rules, read with the model.

Built on catalogue_base.py (`Frozen`, `Level`); catalogue.py and cost_model.py import it, so the region's
model classes inherit these fields: `Product(ProductMoney)`, `CostModel(CostModelMoney)`,
`RegionModel(RegionMoney)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from planner.inputs.catalogue_base import Frozen, Level, every_level

Sector = Literal["jeugdzorg", "gehandicaptenzorg", "ggz"]


class Treatment(Frozen):
    """Treatment staff per group per week at a role's own rate (tariff build-up only)."""

    role: str
    hours_per_week: float = Field(ge=0)
    source: str


class ProductMoney(Frozen):
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


class Role(Frozen):
    """A treatment role's monthly salary (1-1-2023 base, indexed like the levels) and sector."""

    monthly_salary_2023: float = Field(gt=0)
    level: Level = "WO"  # the level the roster costs it at (extra_hours_per_week)
    source: str


class SalaryStep(Frozen):
    """A CAO increase of another sector's table (the shape of catalogue.Indexation)."""

    date: dt.date
    percent: float


class CaoTable(Frozen):
    """One sector's salary table: CAO Jeugdzorg, Gehandicaptenzorg or GGZ."""

    monthly_salary_2023: dict[str, float]
    indexations: list[SalaryStep] = Field(default_factory=list)
    holiday_allowance: float = Field(ge=0, le=1)
    year_end_bonus: float = Field(ge=0, le=1)
    source: str

    @model_validator(mode="after")
    def _levels(self) -> CaoTable:
        every_level(self.monthly_salary_2023, "monthly_salary_2023")
        return self


class CostModelMoney(Frozen):
    cao: Sector = "jeugdzorg"  # the sector of the top-level salary table
    other_cao: dict[Sector, CaoTable] = Field(default_factory=dict)
    roles: dict[str, Role] = Field(default_factory=dict)
    other_costs: dict[str, float] = Field(default_factory=dict)  # kind -> EUR per child-dagdeel
    other_costs_source: str = ""
    tariff_date: dt.date | None = None  # price level the tariff is for; (d) indexes up to it


class PublishedTariff(Frozen):
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


class IndexStep(Frozen):
    """A price or wage index on a date (VNG OVA, CAO step), percent, marked by source."""

    date: dt.date
    percent: float = Field(gt=-50, lt=100)
    kind: str
    source: str = ""  # missing: warning "bron ontbreekt"


class TransportRule(Frozen):
    """What happens beyond the band table: a placement is allowed, priced as the model says."""

    beyond_table: Literal["own_transport", "last_band", "refuse"] = "own_transport"
    product_code: str = ""  # the transport product of allocations (42A03, 08A03), priced by category
    excluded_modes: list[Literal["group", "group_wheelchair", "individual"]] = Field(default_factory=list)
    source: str = "aanname: de seeds verbieden geen opvang verder weg; zonder eigen vervoer geldt de laatste band"


class RegionMoney(Frozen):
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
