"""`planner capacity`: read the scenario's [capacity] and [forecast], build demand, solve, check, write.

A provider scenario (with a workbook) starts from its groups and staff and its children; a
municipal scenario (allocations, no workbook) starts from `[capacity] contracted` groups per
product (gecontracteerd), staffed as the rules ask, and its allocations as the current cases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
from planner.core.nl import euro, number
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


MONTH = re.compile(r"(20[0-9]{2})-(0[1-9]|1[0-2])")  # 2000-01 .. 2099-12, as <input type="month"> sends it


def first_month(text: str) -> dt.date:
    """'YYYY-MM' (years 2000-2099) -> the first day of that month; ValueError with a Dutch sentence
    otherwise. The one validator of --start on the command line and the web form."""
    found = MONTH.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"'{text}' is geen maand van 2000-01 t/m 2099-12, schrijf bijv. 2026-01")
    return dt.date(int(found[1]), int(found[2]), 1)


def month_count(text: str) -> int:
    """A number of months 1-120 as typed; ValueError with a Dutch sentence otherwise (the command line's
    --months and the web form's field)."""
    if not re.fullmatch(r"[0-9]{1,3}", text.strip()) or not 1 <= int(text) <= 120:
        raise ValueError(f"'{text}' is geen aantal maanden: een geheel getal van 1 tot 120")
    return int(text)


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
            first = first_month(start)
        except ValueError as exc:
            problems.append(Problem("opdrachtregel", str(exc), column="--start"))
    try:
        ci = CapacityInput.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems + problems_of(exc, origin, "capacity")) from None
    known = ", ".join(model.products)
    for key in ("group_size", "waitlist", "contracted"):
        for code in getattr(ci, key):
            if code not in model.products:
                problems.append(Problem(origin, f"onbekend product '{code}' (het model kent {known})",
                                        column=f"capacity.{key}.{code}"))
    problems += name_problems(sc, model)
    first = first or ci.start or sc.forecast.get("start") or dt.date(model.year + 1, 1, 1)
    if problems:
        raise InputError(problems)
    return ci, dt.date(first.year, first.month, 1)


def name_problems(sc: Scenario, model: RegionModel) -> list[Problem]:
    """One Problem per unknown product code in [forecast] inflow, inflow_volume and duration_months, and
    per unknown product or kind in [changes] inflow_scale and duration_scale (these would be ignored).
    Known: the model's products and its transport product (the forecast's, e.g. 42A03), the kinds and
    'vervoer'."""
    origin, out = sc.path.name, []
    ride = model.transport_rule.product_code
    codes = [*model.products, *([ride] if ride else [])]
    kinds = sorted({p.kind for p in model.products.values()} | ({"vervoer"} if ride else set()))
    for key in ("inflow", "inflow_volume", "duration_months"):
        table = sc.forecast.get(key, {})
        for code in table if isinstance(table, dict) else ():
            if code not in codes:
                out.append(Problem(origin, f"onbekend product '{code}' (het model kent {', '.join(codes)})",
                                   column=f"forecast.{key}.{code}"))
    for key in ("inflow_scale", "duration_scale"):
        table = sc.changes.get(key, {})
        for code in table if isinstance(table, dict) else ():
            if code not in codes and code not in kinds:
                out.append(Problem(origin, f"onbekend product of soort '{code}' (soorten: {', '.join(kinds)}; "
                                   f"producten: {', '.join(codes)})", column=f"changes.{key}.{code}"))
    return out


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
    # peildatum of the cases, not --start: a later planning start sees fewer of today's children
    seen = sc.peildatum or ci.start or sc.forecast.get("start") or first
    dem = demand(model, cases, fs, settings.waitlist, seen)
    types = group_types(model, dem, settings, {k: v or None for k, v in existing.items()})
    return model, dem, start_state, settings, types, data


@dataclass(frozen=True)
class CapacityRun:
    """A solved and checked capacity plan with its trade-off curve; `data` is None for a region."""

    model: RegionModel
    plan: CapacityPlan
    curve: list[CurvePoint]
    data: Any
    contracted: dict[str, float] = field(default_factory=dict)  # region: product -> places per week


def contracted_places(sc: Scenario, plan: CapacityPlan) -> dict[str, float]:
    """A region's `[capacity] contracted` groups as places per product (child-dagdelen per week: groups x
    seats x open dagdelen of the product's own group type); empty for a provider (its groups are its own)."""
    if sc.data_path is not None:
        return {}
    by_name = {gt.name: gt for gt in plan.types}
    return {code: float(n * by_name[code].seats * by_name[code].dd)
            for code, n in sc.capacity.get("contracted", {}).items() if code in by_name}


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
    return CapacityRun(model, plan, curve, data, contracted_places(sc, plan))


def run_capacity(sc: Scenario, out: Path, months: int | None = None, start: str | None = None,
                 week_check: bool = False) -> list[str]:
    """Solve, check and write capaciteit.xlsx and capacity.csv into `out` (one atomic folder swap);
    with `week_check`, also plan the sample week of the first month (capacity_week.check_month)."""
    run = make_capacity(sc, months, start)
    model, plan, data, dem = run.model, run.plan, run.data, run.plan.demand
    with atomic_dir(out) as tmp:
        write_capacity(model, plan, run.curve, tmp / "capaciteit.xlsx", tmp / "capacity.csv", notes(sc, model, plan),
                       run.contracted)
    first, last = dem.months[0], dem.months[-1]
    checked = []
    if week_check and data is not None:

        wc = check_month(model, data, plan, 0)
        verdict = "realiseerbaar" if wc.realisable else "NIET realiseerbaar"
        checked = [f"Weektoets {wc.month}: {wc.placed} van {wc.requested} dagdelen geplaatst ({wc.placeable} "
                   f"plaatsbaar met de eigen groepen); {verdict}."]
        checked += [f"  wacht: {line}" for line in wc.waiting]
    return checked + [f"Capaciteitsplan {first[0]}-{first[1]:02d} t/m {last[0]}-{last[1]:02d}: status {plan.status}; "
            f"kosten {euro(plan.total_cost(False))} zonder wachtprijs, {euro(plan.objective)} met "
            f"(ondergrens {euro(plan.bound)}); aangenomen {number(max(0.0, plan.hired.sum()))} fte; "
            "gecontroleerd: geen overtredingen.",
            f"Geschreven: {out / 'capaciteit.xlsx'}", f"Geschreven: {out / 'capacity.csv'}"]


def notes(sc: Scenario, model: RegionModel, plan: CapacityPlan) -> list[str]:
    s = plan.settings
    return [
        f"Scenario: {sc.name}. Regio: {model.region} {model.year}.",
        "Vraag in kind-dagdelen per week: huidige jeugdigen tot hun einddatum, de wachtlijst, en instroom uit "
        "het prognosemodel (Monte Carlo, P50 en P90). Huidige jeugdigen houden hun plek tot hun einde en "
        "wachten nooit; alleen wachtlijst en instroom kunnen wachten.",
        f"Jeugdigen zonder einddatum (aanname): per product gelijk gespreid over een gemiddelde verblijfsduur "
        f"vanaf de peildatum {plan.demand.seen:%Y-%m-%d}, de oudste start eerst.",
        f"Plan op {s.plan_quantile}-vraag; servicegraad: in {s.service_level:.0%} van de maanden alle "
        f"{s.service_quantile}-vraag geplaatst.",
        f"Wachtprijs {euro(s.waiting_price, 2)} per kind-dagdeel per week wachten; wervingstijd {s.lead_months} "
        f"maanden; kosten per aanname {euro(s.hire_cost)} per fte; inhuur x {number(s.agency_factor, 2)}.",
        f"Groep: openen {euro(s.opening_cost)}, {euro(s.group_cost_per_week)} per week, minimaal "
        f"{s.min_run_months} maanden open (geen sluiting binnen {s.min_run_months - 1} maanden voor of na een "
        f"opening van hetzelfde type). Contracten die per maand mogen eindigen: {number(100 * s.release_share)} % "
        "(aanname).",
        "Personeel per groep-dagdeel voor een volle groep: max(min_staff, ratio naar boven afgerond), met "
        "opleidingseisen (min_level, min_count, min_share) als in het weekmodel.",
        "Afwegingscurve: kosten tegen wachten bij verschillende wachtprijzen (zonder servicegraad).",
    ]


def curve_rows(curve: list[CurvePoint]) -> list[tuple[float, float, float]]:
    return [(c.waiting_price, round(c.cost, 2), round(c.waiting, 1)) for c in curve]
