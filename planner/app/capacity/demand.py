"""Demand per month and product for `planner capacity`, in child-dagdelen per week.

Three sources, added per month:

- current cases (children of the workbook, or a region's allocations) until their end date; the
  cases of a product without an end date end spread evenly over one mean stay from the peildatum
  (the date the data describes; else the scenario's first month), the oldest start first (aanname:
  under the forecast's stay model a case seen at a random moment of its stay has a remaining stay
  uniform between 0 and the mean stay). The planning start (--start) does not move these ends;
- the waiting list (`[capacity] waitlist`, children per product), who start in the first month;
- expected inflow: the forecast's inflow model and Monte Carlo (planner/app/forecast/model.py), fed with
  dagdelen per week instead of euros, so P50 and P90 come from the same simulation as the budget.

Mean stays come from `forecast.stay_months` (scenario `duration_months`, else the product's
`mean_stay_months`, else the kind's default; never above `max_stay_months`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from planner.app.forecast import model as fc
from planner.inputs import calendar_nl as cal
from planner.inputs.catalogue import RegionModel

DEFAULT_VOLUME = 4.0  # dagdelen per week of a new case without inflow_volume (app/forecast/model.py's default)


@dataclass(frozen=True)
class Case:
    """One child or allocation as demand: product, dagdelen per week, dates (None: unknown)."""

    product: str
    volume: float
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Demand:
    """Child-dagdelen per week, arrays shaped (month, product)."""

    months: list[tuple[int, int]]
    products: list[str]
    current: np.ndarray    # children and allocations of today, as they end
    waitlist: np.ndarray   # the waiting list, starting in the first month
    expected: np.ndarray   # current + waitlist + mean inflow
    p50: np.ndarray
    p90: np.ndarray
    inflow: np.ndarray     # (product,) mean new cases per month
    volume: np.ndarray     # (product,) dagdelen per week of a new case
    stays: np.ndarray      # (product,) mean stay in months
    seen: dt.date          # peildatum: cases without an end date end spread from here (case_ends)

    def quantile(self, name: str) -> np.ndarray:
        """'P50', 'P90' or 'verwacht' (the mean)."""
        return {"P50": self.p50, "P90": self.p90, "verwacht": self.expected}[name]


def stay(model: RegionModel, settings: fc.ForecastSettings, code: str) -> float:
    """Mean stay of a case of `code` in months: forecast.stay_months (scenario `duration_months`, the
    product's `mean_stay_months`, the kind's default; never above `max_stay_months`)."""
    return float(fc.stay_months(model, settings, code))


def _active_share(case: Case, end: dt.date, year: int, month: int) -> float:
    """Share of the month's days the case is in care."""
    first, last = cal.month_start(year, month), cal.month_end(year, month)
    lo, hi = cal.overlap(first, last, case.start, end)
    return max(0, (hi - lo).days + 1) / ((last - first).days + 1)


def case_ends(cases: list[Case], stays: dict[str, float], seen: dt.date) -> list[dt.date]:
    """End date per case (same order): its own end date, else the n cases of its product without one
    end at seen + mean stay x (i + 0.5) / n, i = 0 for the oldest start (no start date: last).
    `stays`: product -> mean stay in months; raises KeyError for a product not in it."""
    out = [c.end for c in cases]
    open_ends: dict[str, list[int]] = {}
    for i, c in enumerate(cases):
        if c.end is None:
            open_ends.setdefault(c.product, []).append(i)
    for code, idx in open_ends.items():
        idx.sort(key=lambda i: (cases[i].start or dt.date.max, i))
        for rank, i in enumerate(idx):
            out[i] = _plus_months(seen, stays[code] * (rank + 0.5) / len(idx))
    return [e for e in out if e is not None]


def _plus_months(day: dt.date, months: float) -> dt.date:
    whole = int(months)
    return cal.add_months(day, whole) + dt.timedelta(days=round((months - whole) * 30.4)) - dt.timedelta(days=1)


def _monte_carlo(lam: np.ndarray, kernel: np.ndarray, existing: np.ndarray,
                  settings: fc.ForecastSettings) -> tuple[np.ndarray, np.ndarray]:
    """P50 and P90 per (month, 1, product) from forecast.monte_carlo (one year bucket: the annual
    sums it also keeps are not used here)."""
    out = fc.monte_carlo(lam, kernel, existing, settings, np.zeros(kernel.shape[1], dtype=int), 1)
    return out[1], out[2]


def demand(model: RegionModel, cases: list[Case], settings: fc.ForecastSettings,
           waitlist: dict[str, float] | None = None, seen: dt.date | None = None) -> Demand:
    """Demand per month and product (shapes in `Demand`), for `settings.months` months from `settings.start`.

    Products: the model's, in its order. Inflow per product is `settings.inflow` (new cases per
    month) times `inflow_scale`, each case `inflow_volume` dagdelen per week (default 4); with
    `inflow_dispersion` 0 the quantiles equal the mean. `seen`: the peildatum of the cases (default
    the first month) from which cases without an end date end (case_ends). Raises KeyError for a case of an unknown
    product (the readers have refused those before).
    """
    months = fc.months(settings)
    prods = list(model.products)
    t_n, p_n = len(months), len(prods)
    stays = np.array([stay(model, settings, code) for code in prods])
    current = np.zeros((t_n, p_n))
    seen = seen or settings.start
    ends = case_ends(cases, dict(zip(prods, stays.tolist(), strict=True)), seen)
    for case, end in zip(cases, ends, strict=True):
        pi = prods.index(case.product)
        for ti, (y, mo) in enumerate(months):
            current[ti, pi] += case.volume * _active_share(case, end, y, mo)
    volume = np.array([settings.inflow_volume.get(code, DEFAULT_VOLUME) for code in prods])
    waiting = np.zeros((t_n, p_n))
    for code, children in (waitlist or {}).items():
        pi = prods.index(code)
        waiting[:, pi] = children * volume[pi] * fc.survival(stays[pi], t_n)
    lam = np.array([settings.inflow.get(code, 0.0) * fc.scale_of(settings.inflow_scale, code,
                                                               model.products[code].kind) for code in prods])
    kernel = np.zeros((p_n, t_n, t_n))
    for pi in range(p_n):
        surv = fc.survival(stays[pi], t_n) * volume[pi]
        for ti in range(t_n):
            kernel[pi, : ti + 1, ti] = surv[ti::-1]
    base = current + waiting
    expected = base + np.einsum("p,pkt->tp", lam, kernel)
    p50, p90 = _monte_carlo(lam[None, :], kernel, base[:, None, :], settings)
    return Demand(months, prods, current, waiting, expected, p50[:, 0, :], p90[:, 0, :], lam, volume, stays,
                  seen)
