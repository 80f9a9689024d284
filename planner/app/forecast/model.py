"""Budget forecasts: a provider's year from a roster, a municipality's months from allocations.

The monthly rule, one place for both (all amounts in EUR, rounded to cents at the end):

    delivered = volume_per_week x open_days / days_per_week x weeks_per_year / 52
    cap       = volume_per_week x calendar weeks touched (iJw: a partial week counts)
    claim     = min(delivered, cap) x (tariff - eigen_bijdrage)

open_days are the model's weekdays in the month and period, the model's closed_days excluded;
weeks_per_year / 52 spreads the closing weeks (48 of 52) evenly over the year (aanname).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planner.inputs import calendar_nl as cal
from planner.inputs.allocations import Allocation, effective_end, monthly_claim, price_index, read_allocations
from planner.inputs.catalogue import RegionModel
from planner.inputs.errors import InputError, Problem
from planner.inputs.scenario import Scenario

__all__ = ["Allocation", "ForecastSettings", "MunicipalForecast", "effective_end", "forecast_settings",
           "monthly_claim", "municipal_forecast", "provider_forecast", "read_allocations", "settings_warnings",
           "stay_months"]

DEFAULT_DURATION = {"dagbesteding": 12, "dagbehandeling": 24, "naschools": 12, "zorg-onderwijs": 24}


@dataclass(frozen=True)
class ForecastSettings:
    start: dt.date
    months: int = 36
    runs: int = 2000
    seed: int = 0
    inflow: dict[str, float] = field(default_factory=dict)  # product -> new allocations per month
    inflow_volume: dict[str, float] = field(default_factory=dict)  # product -> dagdelen per week
    duration_months: dict[str, float] = field(default_factory=dict)
    inflow_dispersion: float = 1.0  # variance / mean of monthly inflow; 0 = deterministic
    inflow_scale: dict[str, float] = field(default_factory=dict)  # policy lever per product or kind
    duration_scale: dict[str, float] = field(default_factory=dict)


def forecast_settings(scenario: Scenario, model: RegionModel) -> ForecastSettings:
    """The scenario's [forecast] table with its policy levers from [changes].

    Raises InputError (sheet: the scenario file, column `forecast` or `forecast.start`) on a bad value."""
    fc = scenario.forecast
    start = fc.get("start", dt.date(model.year, 1, 1))
    if not isinstance(start, dt.date):
        raise InputError([Problem(scenario.path.name, "verwacht een datum, bijv. 2025-01-01", column="forecast.start")])
    try:
        return ForecastSettings(
            start=dt.date(start.year, start.month, 1), months=int(fc.get("months", 36)),
            runs=int(fc.get("runs", 2000)), seed=int(fc.get("seed", scenario.solve.seed)),
            inflow={k: float(v) for k, v in fc.get("inflow", {}).items()},
            inflow_volume={k: float(v) for k, v in fc.get("inflow_volume", {}).items()},
            duration_months={k: float(v) for k, v in fc.get("duration_months", {}).items()},
            inflow_dispersion=float(fc.get("inflow_dispersion", 1.0)),
            inflow_scale={k: float(v) for k, v in scenario.changes.get("inflow_scale", {}).items()},
            duration_scale={k: float(v) for k, v in scenario.changes.get("duration_scale", {}).items()},
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise InputError([Problem(scenario.path.name, str(exc), column="forecast")]) from None


def months(settings: ForecastSettings) -> list[tuple[int, int]]:
    first = settings.start
    return [((d := cal.add_months(first, i)).year, d.month) for i in range(settings.months)]


def survival(duration: float, horizon: int) -> np.ndarray:
    """Share of an intake still in care `age` months later: the month of intake counts fully."""
    age = np.arange(horizon)
    return np.clip(duration - age, 0.0, 1.0)


def scale_of(table: dict[str, float], code: str, kind: str) -> float:
    """A policy lever for a product: its own entry in `table`, else its kind's, else 1.0."""
    return table.get(code, table.get(kind, 1.0))


def stay_months(model: RegionModel, settings: ForecastSettings, code: str) -> float:
    """Mean stay of a new allocation in months: scenario, else the product's `mean_stay_months`, else
    the kind's default; times the policy scale; never above the product's `max_stay_months`."""
    product = model.products[code]
    duration = settings.duration_months.get(code, product.mean_stay_months or DEFAULT_DURATION[product.kind])
    duration *= scale_of(settings.duration_scale, code, product.kind)
    return min(duration, product.max_stay_months) if product.max_stay_months else duration


def settings_warnings(model: RegionModel, settings: ForecastSettings) -> list[Problem]:
    """A warning per [forecast] duration_months above the product's max_stay_months (the forecast
    uses the maximum instead: 41K04 at most 9 months, 004 line 4214); an empty list when none is."""
    out = []
    for code, months in settings.duration_months.items():
        product = model.products.get(code)
        if product is not None and product.max_stay_months and months > product.max_stay_months:
            out.append(Problem("scenario [forecast]", f"duration_months {code} = {months:g} ligt boven het maximum "
                               f"van het product ({product.max_stay_months:g} maanden); de prognose rekent met "
                               f"{product.max_stay_months:g}", column=f"duration_months.{code}"))
    return out


TRANSPORT_DAYS = 3.0  # aanname: attendance days a week of a new ride (inflow_volume overrides)


def _transport_terms(model: RegionModel, allocations: list[Allocation], settings: ForecastSettings,
                     code: str) -> tuple[float, float]:
    """(EUR per ride unit, mean stay in months) of new transport allocations: the volume-weighted category
    price of the current ones (else the group mode's first band), as long as the care it comes with
    (the inflow-weighted mean stay of the transport-eligible products, or the scenario's duration)."""
    current = [a for a in allocations if a.product == code and a.unit != 83 and a.category is not None]
    if current:
        tariff = sum(a.volume * model.transport.tariff[str(a.category)] for a in current) / sum(
            a.volume for a in current)
    else:
        tariff = model.transport.tariff[str(model.transport.category["group"][0])]
    eligible = {c: settings.inflow.get(c, 0.0) for c, p in model.products.items() if p.transport_eligible}
    weight = sum(eligible.values())
    stay = (sum(w * stay_months(model, settings, c) for c, w in eligible.items()) / weight if weight
            else 12.0)
    return tariff, settings.duration_months.get(code, stay)


@dataclass(frozen=True)
class MunicipalForecast:
    months: list[tuple[int, int]]
    municipalities: list[str]
    products: list[str]
    existing: np.ndarray  # (month, municipality, product) EUR from current allocations
    expected: np.ndarray  # deterministic projection incl. inflow
    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    total_q: np.ndarray  # (3, month): P10/P50/P90 of the region's total per month
    years: list[int] = field(default_factory=list)  # calendar years the forecast touches
    annual_q: np.ndarray = field(default_factory=lambda: np.zeros((3, 0, 0)))  # (3, year, municipality)

    @property
    def expected_total(self) -> np.ndarray:
        return self.expected.sum(axis=(1, 2))

    def annual_expected(self) -> np.ndarray:
        """(year, municipality): the expected spend of each calendar year (months in the forecast only)."""
        out = np.zeros((len(self.years), len(self.municipalities)))
        for t, (y, _) in enumerate(self.months):
            out[self.years.index(y)] += self.expected[t].sum(axis=1)
        return out


def municipal_forecast(model: RegionModel, allocations: list[Allocation],
                       settings: ForecastSettings) -> MunicipalForecast:
    """Monthly spend per municipality x product: current allocations plus projected inflow.

    Inflow of new allocations per month is Gamma distributed with mean `inflow` (split over
    municipalities by their share of current allocations of the product) and variance
    `dispersion x mean`; with dispersion 0 every run equals the deterministic projection. A new
    allocation stays `stay_months` on average; prices follow the model's index path. Annual
    quantiles are taken over the runs' annual sums (not summed monthly quantiles).
    """
    cal_months = months(settings)
    muns = sorted({a.municipality for a in allocations})
    prods = sorted(set(model.products) | {a.product for a in allocations})
    t_n, m_n, p_n = len(cal_months), len(muns), len(prods)
    existing = np.zeros((t_n, m_n, p_n))
    share = np.zeros((m_n, p_n))
    for a in allocations:
        mi, pi = muns.index(a.municipality), prods.index(a.product)
        share[mi, pi] += a.volume
        for ti, (y, mo) in enumerate(cal_months):
            existing[ti, mi, pi] += monthly_claim(model, a, y, mo)
    totals = share.sum(axis=0, keepdims=True)
    share = np.where(totals > 0, share / np.where(totals > 0, totals, 1), 1.0 / max(m_n, 1))
    # value of one new allocation per month of age, per product: volume x weeks x tariff x index
    mean_inflow = np.zeros(p_n)
    kernel = np.zeros((p_n, t_n, t_n))  # (product, intake month, month)
    for pi, code in enumerate(prods):
        if code in model.products:
            product = model.products[code]
            mean_inflow[pi] = settings.inflow.get(code, 0.0) * scale_of(settings.inflow_scale, code, product.kind)
            volume = settings.inflow_volume.get(code, 4.0)
            tariff, stay = product.tariff, stay_months(model, settings, code)
        else:  # the transport product: new rides at the current allocations' mean category price
            mean_inflow[pi] = settings.inflow.get(code, 0.0) * scale_of(settings.inflow_scale, code, "vervoer")
            volume = settings.inflow_volume.get(code, TRANSPORT_DAYS)
            tariff, stay = _transport_terms(model, allocations, settings, code)
        surv = survival(stay, t_n)
        for ti, (y, mo) in enumerate(cal_months):
            first, last = cal.month_start(y, mo), cal.month_end(y, mo)
            days = cal.open_days(first, last, tuple(model.days), model.closed)
            per_month = min(volume * days / len(model.days) * model.weeks_per_year / 52,
                            volume * cal.calendar_weeks(first, last)) * tariff * price_index(model, first)
            for k in range(ti + 1):
                kernel[pi, k, ti] = surv[ti - k] * per_month
    lam = mean_inflow[None, :] * share  # (municipality, product)
    expected = existing + np.einsum("mp,pkt->tmp", lam, kernel)
    years = sorted({y for y, _ in cal_months})
    year_of = np.array([years.index(y) for y, _ in cal_months])
    p10, p50, p90, total_q, annual_q = monte_carlo(lam, kernel, existing, settings, year_of, len(years))
    return MunicipalForecast(cal_months, muns, prods, existing, expected, p10, p50, p90, total_q, years, annual_q)


def monte_carlo(lam: np.ndarray, kernel: np.ndarray, existing: np.ndarray, settings: ForecastSettings,
                year_of: np.ndarray, n_years: int, chunk: int = 500) -> tuple[np.ndarray, ...]:
    """Vectorised: inflow (run, month, municipality, product) through the kernels, quantiles per cell.

    Chunks of runs go to two threads (numpy releases the GIL in sampling, einsum and partition),
    each chunk with its own generator spawned from the seed: results do not depend on threads.
    Samples are float32 and stored cell-major, so the quantiles are one partition per cell.
    Each run's annual sum per municipality is kept too: its quantiles are the annual P10/P50/P90.
    """
    t_n = kernel.shape[1]
    m_n, p_n = lam.shape
    runs = max(1, settings.runs)
    cells = t_n * m_n * p_n
    spend = np.empty((cells, runs), dtype=np.float32)
    totals = np.empty((t_n, runs))  # region total per month and run, before cells are partitioned
    annual = np.zeros((n_years, m_n, runs))  # per year and municipality, per run
    disp = settings.inflow_dispersion
    kernel32 = kernel.astype(np.float32)
    shape = np.where(lam > 0, lam / disp, 0.0).astype(np.float32) if disp > 0 else None
    starts = list(range(0, runs, chunk))
    seeds = np.random.SeedSequence(settings.seed).spawn(len(starts))

    def one(i: int) -> None:
        lo = starts[i]
        n = min(chunk, runs - lo)
        if shape is not None:
            rng = np.random.default_rng(seeds[i])
            inflow = rng.standard_gamma(np.broadcast_to(shape, (n, t_n, m_n, p_n)), dtype=np.float32)
            inflow *= np.float32(disp)
        else:
            inflow = np.broadcast_to(lam.astype(np.float32), (n, t_n, m_n, p_n))
        # spend[r, t, m, p] = sum_k inflow[r, k, m, p] * kernel[p, k, t]
        block = np.einsum("rkmp,pkt->rtmp", inflow, kernel32, optimize=True) + existing.astype(np.float32)
        spend[:, lo:lo + n] = block.reshape(n, cells).T
        totals[:, lo:lo + n] = block.sum(axis=(2, 3), dtype=np.float64).T
        per_mun = block.sum(axis=3, dtype=np.float64)  # (run, month, municipality)
        for y in range(n_years):
            annual[y, :, lo:lo + n] = per_mun[:, year_of == y, :].sum(axis=1).T

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, range(len(starts))))
    k10, k50, k90 = (min(runs - 1, max(0, int(round(q * (runs - 1))))) for q in (0.1, 0.5, 0.9))
    ks = sorted({k10, k50, k90})

    def part(rows: slice) -> None:
        spend[rows].partition(ks, axis=1)

    half = cells // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(part, [slice(0, half), slice(half, cells)]))
    shaped = (t_n, m_n, p_n)
    p10, p50, p90 = (spend[:, k].reshape(shaped).astype(np.float64) for k in (k10, k50, k90))
    total_q = np.quantile(totals, [0.1, 0.5, 0.9], axis=1, method="nearest")
    annual_q = np.quantile(annual, [0.1, 0.5, 0.9], axis=2, method="nearest")
    return p10, p50, p90, total_q, annual_q


@dataclass(frozen=True)
class ProviderMonth:
    year: int
    month: int
    cost: float
    revenue: float


def provider_forecast(model: RegionModel, data: Any, roster_children: list[tuple[str, str, str]],
                      week_cost_total: float, settings: ForecastSettings) -> list[ProviderMonth]:
    """Cost and claims per month from a week roster: each child's placed dagdelen as its weekly
    volume from its start to end date; the roster's weekly cost spread over open days."""
    placed: dict[str, int] = {}
    for child_id, _, _ in roster_children:
        placed[child_id] = placed.get(child_id, 0) + 1
    allocations = [Allocation(c.municipality, c.product, placed[c.id], 16, 2, c.start_date or settings.start,
                              c.end_date) for c in data.children if c.id in placed]
    out = []
    for y, mo in months(settings):
        first, last = cal.month_start(y, mo), cal.month_end(y, mo)
        days = cal.open_days(first, last, tuple(model.days), model.closed)
        share = days / len(model.days) * model.weeks_per_year / 52
        revenue = sum(monthly_claim(model, a, y, mo) for a in allocations)
        out.append(ProviderMonth(y, mo, round(week_cost_total * share, 2), round(revenue, 2)))
    return out
