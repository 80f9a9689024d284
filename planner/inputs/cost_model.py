"""The cost model: the sector's build-up of an hourly cost (reële tarieven, Besluit Jeugdwet art. 2.3).

The figures a model derives from `[cost_model]` (seed 003 §2.3, lines 166-195): a level's paid hour
(salary, allowances, employer charges) and client hour (paid hour / productivity), CAO indexation
and index steps between two dates. `planner.app.tariffs` builds the tariffs on them; the region
model (catalogue.py) uses them to derive `[cost] hourly = "cost_model"`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import Field, ValidationError, model_validator

from planner.inputs.catalogue_base import LEVELS, Frozen, every_level
from planner.inputs.catalogue_money import CaoTable, CostModelMoney, IndexStep


class Indexation(Frozen):
    date: dt.date
    percent: float = Field(ge=-50, le=100)


class CostModel(CostModelMoney):
    """The sector's build-up of an hourly cost (reële tarieven, Besluit Jeugdwet art. 2.3)."""

    source: str = ""
    hours_per_week: float = Field(gt=0, le=80)
    reference_date: dt.date
    scales: dict[str, Annotated[int, Field(strict=True, ge=1, le=100)]]
    monthly_salary_2023: dict[str, Annotated[float, Field(strict=True, gt=0, le=100_000)]]
    indexations: list[Indexation] = Field(default_factory=list)
    holiday_allowance: float = Field(ge=0, le=1)
    year_end_bonus: float = Field(ge=0, le=1)
    employer_charges: float = Field(ge=0, le=2)
    productivity: float = Field(gt=0, le=1)
    overhead: float = Field(ge=0, le=2)
    risk_margin: float = Field(ge=0, le=1)
    occupancy: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _levels(self) -> CostModel:
        every_level(self.monthly_salary_2023, "monthly_salary_2023")
        return self


WEEKS_PER_YEAR_CALENDAR = 52.1775  # 365.2425 / 7


def _table(cm: CostModel, cao: str | None) -> CaoTable | None:
    """The other sector's table, or None for the cost model's own (top-level) table."""
    if cao is None or cao == cm.cao:
        return None
    table = cm.other_cao.get(cao)  # type: ignore[call-overload]
    if table is None:
        raise ValueError(f"geen CAO-tabel '{cao}' in [cost_model.other_cao] (wel: {cm.cao}"
                         + "".join(f", {k}" for k in cm.other_cao) + ")")
    return table


def salary_index(cm: CostModel, cao: str | None = None) -> float:
    """Cumulative CAO increases from the 2023 salary base up to the cost model's reference date."""
    table = _table(cm, cao)
    factor = 1.0
    for step in (table.indexations if table else cm.indexations):
        if step.date <= cm.reference_date:
            factor *= 1 + step.percent / 100
    return factor


def _paid(cm: CostModel, monthly_2023: float, cao: str | None) -> float:
    table = _table(cm, cao)
    holiday = table.holiday_allowance if table else cm.holiday_allowance
    bonus = table.year_end_bonus if table else cm.year_end_bonus
    yearly = monthly_2023 * salary_index(cm, cao) * 12 * (1 + holiday + bonus) * (1 + cm.employer_charges)
    return yearly / (cm.hours_per_week * WEEKS_PER_YEAR_CALENDAR)


def paid_hourly_of(cm: CostModel, level: str, cao: str | None = None) -> float:
    """EUR per paid hour of a level at the reference date: salary, allowances, employer charges."""
    table = _table(cm, cao)
    salaries = table.monthly_salary_2023 if table else cm.monthly_salary_2023
    return _paid(cm, salaries[level], cao)


def client_hourly_of(cm: CostModel, level: str, cao: str | None = None) -> float:
    """EUR per client hour (paid hour / productivity): what a rostered hour costs, without overhead."""
    return paid_hourly_of(cm, level, cao) / cm.productivity


def role_client_hourly(cm: CostModel, role: str) -> float:
    """EUR per client hour of a treatment role (psychiater, systeemtherapeut, ...) at its own salary."""
    if role not in cm.roles:
        raise ValueError(f"onbekende rol '{role}' (bekend: {', '.join(sorted(cm.roles))})")
    return _paid(cm, cm.roles[role].monthly_salary_2023, None) / cm.productivity


def index_factor(steps: Iterable[IndexStep], after: dt.date, until: dt.date) -> float:
    """Product of (1 + percent/100) of the index steps dated in (after, until]."""
    factor = 1.0
    for step in steps:
        if after < step.date <= until:
            factor *= 1 + step.percent / 100
    return factor


def derived_hourly(raw: dict[str, Any]) -> dict[str, Any]:
    """`[cost] hourly = "cost_model"`: the roster's hourly cost is the cost model's client hour
    (paid hour / productivity; 003 lines 166-195: indirect time is paid, not billable)."""
    cost = raw.get("cost")
    cm = raw.get("cost_model")
    if not isinstance(cost, dict) or cost.get("hourly") != "cost_model" or not isinstance(cm, dict):
        return raw
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
