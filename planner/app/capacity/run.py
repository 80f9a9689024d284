"""`planner capacity`: read the scenario's [capacity] and [forecast], build demand, solve, check, write.

A provider scenario (with a workbook) starts from its groups and staff and its children; a
municipal scenario (allocations, no workbook) starts from `[capacity] contracted` groups per
product (gecontracteerd), staffed as the rules ask, and its allocations as the current cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planner.app.capacity.check import check_capacity
from planner.app.capacity.demand import Case, Demand, demand
from planner.app.capacity.model import (
    CapacityPlan,
    CapacitySettings,
    CurvePoint,
    GroupType,
    Start,
    group_type,
    group_types,
    solve_capacity,
    trade_off,
)
from planner.app.capacity.week import check_month
from planner.app.forecast.model import forecast_settings, read_allocations
from planner.inputs.allocations import Allocation, effective_end
from planner.inputs.catalogue import LEVELS, RegionModel, level_rank
from planner.inputs.errors import InputError, Problem
from planner.inputs.messages import problems_of
from planner.inputs.scenario import Scenario, load_inputs, load_model_of
from planner.report.capacity_xlsx import write_capacity
from planner.report.safe import atomic_dir

Quantile = Literal["P50", "P90", "verwacht"]
Money = Annotated[float, Field(ge=0, le=1_000_000)]


class CapacityInput(BaseModel):
    """The [capacity] table, checked like the rest of a scenario (one Dutch line per wrong key)."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
    start: dt.date | None = None
    months: int = Field(default=12, ge=1, le=120)
    waiting_price: Money = 25.0
    waiting_prices: list[Money] = Field(default_factory=lambda: [0.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0],
                                        max_length=20)
    plan_quantile: Quantile = "P90"
    service_quantile: Quantile = "P90"
    service_level: float = Field(default=0.95, ge=0, le=1)
    lead_months: int = Field(default=2, ge=0, le=24)
    hire_cost: Money = 4000.0
    release_share: float = Field(default=0.03, ge=0, le=1)
    agency_factor: float = Field(default=1.6, ge=1, le=10)
    opening_cost: Money = 5000.0
    group_cost_per_week: Money = 300.0
    min_run_months: int = Field(default=6, ge=1, le=120)
    group_size: dict[str, Annotated[int, Field(ge=1, le=100)]] = Field(default_factory=dict)
    waitlist: dict[str, Annotated[float, Field(ge=0, le=10_000)]] = Field(default_factory=dict)
    contracted: dict[str, Annotated[int, Field(ge=0, le=10_000)]] = Field(default_factory=dict)
    time_limit_s: float = Field(default=20.0, gt=0, le=3600)
    gap: float = Field(default=0.005, ge=0, le=1)


def capacity_input(sc: Scenario, model: RegionModel, months: int | None,
                   start: str | None) -> tuple[CapacityInput, dt.date]:
    """The [capacity] table and the command line's --months/--start, every problem as one line."""
    origin = sc.path.name
    raw = dict(sc.capacity)
    problems: list[Problem] = []
    if months is not None:
        raw["months"] = months
    first = None
    if start is not None:
        try:
            year, month = (int(x) for x in start.split("-"))
            first = dt.date(year, month, 1)
        except ValueError:
            problems.append(Problem("opdrachtregel", f"'{start}' is geen maand, schrijf bijv. 2026-01",
                                    column="--start"))
    try:
        ci = CapacityInput.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems + problems_of(exc, origin, "capacity")) from None
    for key in ("group_size", "waitlist", "contracted"):
        for code in getattr(ci, key):
            if code not in model.products:
                problems.append(Problem(origin, f"onbekend product '{code}'", column=f"capacity.{key}"))
    first = first or ci.start or sc.forecast.get("start") or dt.date(model.year + 1, 1, 1)
    if problems:
        raise InputError(problems)
    return ci, dt.date(first.year, first.month, 1)


def settings_of(ci: CapacityInput) -> CapacitySettings:
    fields = ci.model_dump(exclude={"start", "months", "contracted"})
    fields["waiting_prices"] = tuple(fields["waiting_prices"])
    return CapacitySettings(**fields)


def allocation_case(model: RegionModel, a: Allocation) -> Case | None:
    """An allocation as dagdelen per week (iJw unit 16; frequency 2 per week, 1 per day, 4 per month,
    6 in total over its validity); None for transport, euros and other units: no group capacity."""
    if a.unit != 16 or a.product not in model.products:
        return None
    end = effective_end(model, a)
    if a.frequency == 2:
        volume = a.volume
    elif a.frequency == 1:
        volume = a.volume * len(model.days)
    elif a.frequency == 4:
        volume = a.volume * 12 / 52
    elif end is not None and end > a.start:
        volume = a.volume / max(1.0, (end - a.start).days / 7)
    else:
        return None
    return Case(a.product, volume, a.start, end)


def staffing_for(model: RegionModel, groups: list[tuple[GroupType, int]]) -> dict[str, float]:
    """FTE per level that staffs `groups` exactly as the rules ask: the education rules' minimum at
    their level, the rest at the type's minimum level."""
    fte = dict.fromkeys(LEVELS, 0.0)
    for gt, n in groups:
        placed = 0.0
        for lv in sorted(gt.at_least, key=level_rank, reverse=True):
            extra = max(0.0, gt.at_least[lv] - placed)
            fte[lv] += extra * gt.dd * n / model.dagdelen_per_fte
            placed += extra
        fte[gt.min_level] += max(0.0, gt.need - placed) * gt.dd * n / model.dagdelen_per_fte
    return fte


def inputs(sc: Scenario, months: int | None = None, start: str | None = None
           ) -> tuple[RegionModel, Demand, Start, CapacitySettings, list[GroupType], Any]:
    """Model, demand, starting point, settings and group types of a scenario; data (None for a region)."""
    model = load_model_of(sc)
    ci, first = capacity_input(sc, model, months, start)
    settings = settings_of(ci)
    fs = replace(forecast_settings(sc, model), start=first, months=ci.months)
    data = None
    if sc.data_path is not None:
        model, data = load_inputs(sc)
        cases = [Case(c.product, c.dagdelen_per_week, c.start_date, c.end_date) for c in data.children]
        week = len(model.week())
        existing: dict[str, int] = {}
        groups: dict[str, int] = {}
        for g in data.groups:
            name = "+".join(g.products)
            existing[name] = max(existing.get(name, 0), len(g.open or ()) or week)
            if not g.optional:
                groups[name] = groups.get(name, 0) + 1
        fte = {lv: sum(s.dagdelen_per_week for s in data.staff if s.education == lv) / model.dagdelen_per_fte
               for lv in LEVELS}
        start_state = Start(groups, fte)
    elif sc.forecast.get("allocations"):
        allocations = read_allocations(Path(sc.forecast["allocations"]), model)
        cases = [case for a in allocations if (case := allocation_case(model, a)) is not None]
        existing = {code: 0 for code in ci.contracted}
        contracted = [(group_type(model, (code,), settings), n) for code, n in ci.contracted.items()]
        start_state = Start(dict(ci.contracted), staffing_for(model, contracted))
    else:
        raise InputError([Problem(sc.path.name, "geen werkmap (data) en geen [forecast] allocations: "
                                  "er is geen vraag om capaciteit voor te plannen", column="capacity")])
    dem = demand(model, cases, fs, settings.waitlist)
    types = group_types(model, dem, settings, {k: v or None for k, v in existing.items()})
    return model, dem, start_state, settings, types, data


@dataclass(frozen=True)
class CapacityRun:
    """A solved and checked capacity plan with its trade-off curve; `data` is None for a region."""

    model: RegionModel
    plan: CapacityPlan
    curve: list[CurvePoint]
    data: Any


def make_capacity(sc: Scenario, months: int | None = None, start: str | None = None,
                  progress: Callable[[str], None] | None = None) -> CapacityRun:
    """Demand, the MIP, the independent checker, the trade-off curve. `progress` hears the phase
    ('vraag', 'oplossen', 'afweging'). Raises InputError for bad input (one Problem per fault) and
    RuntimeError when the checker finds a broken rule in the solved plan (a bug) or no solver answers."""
    tell = progress or (lambda phase: None)
    tell("vraag")
    model, dem, start_state, settings, types, data = inputs(sc, months, start)
    tell("oplossen")
    plan = solve_capacity(model, dem, start_state, settings, types)
    broken = check_capacity(model, plan)
    if broken:
        raise RuntimeError("capaciteitsplan breekt regels (bug): " + "; ".join(broken[:5]))
    tell("afweging")
    curve = trade_off(model, dem, start_state, settings, types)
    return CapacityRun(model, plan, curve, data)


def run_capacity(sc: Scenario, out: Path, months: int | None = None, start: str | None = None,
                 week_check: bool = False) -> list[str]:
    """Solve, check and write capaciteit.xlsx and capacity.csv into `out` (one atomic folder swap);
    with `week_check`, also plan the sample week of the first month (capacity_week.check_month)."""
    run = make_capacity(sc, months, start)
    model, plan, data, dem = run.model, run.plan, run.data, run.plan.demand
    with atomic_dir(out) as tmp:
        write_capacity(model, plan, run.curve, tmp / "capaciteit.xlsx", tmp / "capacity.csv", notes(sc, model, plan))
    first, last = dem.months[0], dem.months[-1]
    checked = []
    if week_check and data is not None:

        wc = check_month(model, data, plan, 0)
        verdict = "realiseerbaar" if wc.realisable else "NIET realiseerbaar"
        checked = [f"Weektoets {wc.month}: {wc.placed} van {wc.requested} dagdelen geplaatst ({wc.placeable} "
                   f"plaatsbaar met de eigen groepen); {verdict}."]
        checked += [f"  wacht: {line}" for line in wc.waiting]
    return checked + [f"Capaciteitsplan {first[0]}-{first[1]:02d} t/m {last[0]}-{last[1]:02d}: status {plan.status}; "
            f"kosten EUR {plan.total_cost(False):,.0f} zonder wachtprijs, EUR {plan.objective:,.0f} met "
            f"(ondergrens {plan.bound:,.0f}); aangenomen {max(0.0, plan.hired.sum()):.1f} fte; "
            "gecontroleerd: geen overtredingen.",
            f"Geschreven: {out / 'capaciteit.xlsx'}", f"Geschreven: {out / 'capacity.csv'}"]


def notes(sc: Scenario, model: RegionModel, plan: CapacityPlan) -> list[str]:
    s = plan.settings
    return [
        f"Scenario: {sc.name}. Regio: {model.region} {model.year}.",
        "Vraag in kind-dagdelen per week: huidige jeugdigen tot hun einddatum (zonder einddatum: gemiddelde "
        "verblijfsduur), de wachtlijst, en instroom uit het prognosemodel (Monte Carlo, P50 en P90).",
        f"Plan op {s.plan_quantile}-vraag; servicegraad: in {s.service_level:.0%} van de maanden alle "
        f"{s.service_quantile}-vraag geplaatst.",
        f"Wachtprijs EUR {s.waiting_price:g} per kind-dagdeel per week wachten; wervingstijd {s.lead_months} "
        f"maanden; kosten per aanname EUR {s.hire_cost:,.0f} per fte; inhuur x {s.agency_factor:g}.",
        f"Groep: openen EUR {s.opening_cost:,.0f}, EUR {s.group_cost_per_week:,.0f} per week, minimaal "
        f"{s.min_run_months} maanden open. Contracten die per maand mogen eindigen: {s.release_share:.0%} (aanname).",
        "Personeel per groep-dagdeel voor een volle groep: max(min_staff, ratio naar boven afgerond), met "
        "opleidingseisen (min_level, min_count, min_share) als in het weekmodel.",
        "Afwegingscurve: kosten tegen wachten bij verschillende wachtprijzen (zonder servicegraad).",
    ]


def curve_rows(curve: list[CurvePoint]) -> list[tuple[float, float, float]]:
    return [(c.waiting_price, round(c.cost, 2), round(c.waiting, 1)) for c in curve]
