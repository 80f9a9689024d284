"""The scenario file's values with their types and ranges (pydantic, at the input boundary).

Every key of a scenario, its [solve], [changes] and [forecast] tables, and the command line's
--time-limit/--workers/--seed are checked here: a wrong type, a non-finite number, a value out
of range is one Dutch line naming the file and key (fuzz-06 … fuzz-12, fuzz-19). The bounds are
what the solver can run in reasonable time and memory, not policy.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from planner.inputs.errors import Problem
from planner.inputs.messages import problems_of

MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is an int32
MAX_WORKERS = 64
MAX_TIME_S = 7 * 24 * 3600
MAX_SCALE = 20.0  # demand_scale and staff_scale: a what-if, not a new region
MAX_EUR = 1_000_000.0

Level = Literal["MBO3", "MBO4", "HBO", "WO"]
LEVELS: tuple[Level, ...] = ("MBO3", "MBO4", "HBO", "WO")
Factor = Annotated[float, Field(ge=0, le=MAX_SCALE)]


class _Strict(BaseModel):
    # strict: "nee" is no boolean, 1.5 no seed, "abc" no number; TOML's inf and nan are no figures
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Weights(_Strict):
    child_continuity: float = Field(default=5.0, ge=0, le=MAX_EUR)
    staff_continuity: float = Field(default=1.0, ge=0, le=MAX_EUR)
    staff_fairness: float = Field(default=0.5, ge=0, le=MAX_EUR)
    child_change: float = Field(default=1000.0, ge=0, le=MAX_EUR)
    staff_change: float = Field(default=350.0, ge=0, le=MAX_EUR)


class SolveInput(_Strict):
    time_limit_s: float = Field(default=30.0, gt=0, le=MAX_TIME_S)
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    workers: int = Field(default=2, ge=1, le=MAX_WORKERS)
    vacancies: bool = True
    vacancy_penalty: float = Field(default=150.0, ge=0, le=MAX_EUR)
    vacancy_levels: list[Level] = Field(default_factory=lambda: list(LEVELS))
    weights: Weights = Field(default_factory=Weights)
    log: bool = False
    deterministic: bool = False  # wall clock by default (budget.py)
    decompose: Literal["auto", "ja", "nee"] = "auto"
    cluster_size: int = Field(default=3, ge=1, le=1000)
    # every staff member rostered at least this share of their contract dagdelen (contract_minimum.py)
    min_contract_use: float = Field(default=0.0, ge=0, le=1)


class ChangesInput(_Strict):
    products: dict[str, dict[str, Any]] = Field(default_factory=dict)  # checked by rebuilding the model
    transport: dict[str, Any] = Field(default_factory=dict)
    cost: dict[str, Any] = Field(default_factory=dict)
    weeks_per_year: int | None = None
    tariff_index: float | None = Field(default=None, gt=0, le=10)
    demand_scale: dict[str, Factor] = Field(default_factory=dict)
    staff_scale: float | dict[str, float] | None = None  # one factor, or one per level
    inflow_scale: dict[str, Annotated[float, Field(ge=0, le=100)]] = Field(default_factory=dict)
    duration_scale: dict[str, Annotated[float, Field(gt=0, le=100)]] = Field(default_factory=dict)


    @field_validator("staff_scale", mode="before")
    @classmethod
    def _one_or_per_level(cls, value: Any) -> Any:
        """One Dutch line for a wrong staff_scale, not one per form it could have had."""
        def factor(x: Any, key: str) -> None:
            if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
                raise ValueError(f"{key}: verwacht een getal (gegeven: {x!r:.40})")
            if not 0 <= x <= MAX_SCALE:
                raise ValueError(f"factor {x:g} ligt niet tussen 0 en {MAX_SCALE:g} ({key})")

        if isinstance(value, dict):
            for level, x in value.items():
                if level not in LEVELS:
                    raise ValueError(f"onbekend niveau '{level}' (kies uit {', '.join(LEVELS)})")
                factor(x, str(level))
        elif value is not None:
            factor(value, "staff_scale")
        return value


class ForecastInput(_Strict):
    start: dt.date | None = None
    months: int = Field(default=36, ge=1, le=120)
    runs: int = Field(default=2000, ge=1, le=100_000)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)
    allocations: str | None = None
    inflow: dict[str, Annotated[float, Field(ge=0, le=10_000)]] = Field(default_factory=dict)
    inflow_volume: dict[str, Annotated[float, Field(gt=0, le=21)]] = Field(default_factory=dict)
    duration_months: dict[str, Annotated[float, Field(gt=0, le=600)]] = Field(default_factory=dict)
    inflow_dispersion: float = Field(default=1.0, ge=0, le=100)


class ScenarioInput(_Strict):
    """One scenario file's own keys (before `extends` is merged)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    model: str | None = Field(default=None, min_length=1, max_length=1000)
    data: str | None = Field(default=None, min_length=1, max_length=1000)
    postcodes: str | None = Field(default=None, min_length=1, max_length=1000)
    extends: str | None = Field(default=None, min_length=1, max_length=1000)
    description: str | None = None
    peildatum: dt.date | None = None
    solve: SolveInput | None = None
    changes: ChangesInput | None = None
    forecast: ForecastInput | None = None
    capacity: dict[str, Any] | None = None  # checked by planner/capacity_run.CapacityInput


def _run(schema: type[BaseModel], raw: Any, origin: str, prefix: str = "") -> tuple[BaseModel | None, list[Problem]]:
    try:
        return schema.model_validate(raw), []
    except ValidationError as exc:
        return None, problems_of(exc, origin, prefix)


def file_problems(raw: dict[str, Any], origin: str) -> list[Problem]:
    """Every wrong type or range in one scenario file's own keys; TOML datetimes count as dates."""
    if isinstance(raw.get("peildatum"), dt.datetime):
        raw = {**raw, "peildatum": raw["peildatum"].date()}
    return _run(ScenarioInput, raw, origin)[1]


def solve_problems(values: dict[str, Any], origin: str, names: dict[str, str] | None = None) -> list[Problem]:
    """Problems of [solve] values after merging (or of command-line overrides, keys renamed by `names`)."""
    problems = _run(SolveInput, values, origin, "" if names else "solve")[1]
    if names:
        problems = [Problem(p.sheet, p.message, p.row, names.get(p.column or "", p.column)) for p in problems]
    return problems


def changes_problems(changes: Any, origin: str) -> list[Problem]:
    """Problems of a [changes] table as it is applied (after `extends`, or made by `compare --vary`)."""
    return _run(ChangesInput, changes, origin, "changes")[1]
