"""The figures of `planner compare`, recomputed on the driver from checked rosters.

Every scenario is priced with its own model and data: the cost from the roster (costs.py), the
revenue in decimals (so 5 % higher tariffs on the same roster give exactly 5 % more), FTE by level,
placement, transport, the next 12 months. Which roster a scenario gets (`choose`) is decided here
too: the best of every roster the comparison found that the independent checker accepts under that
scenario's rules, so a looser rule never ends up dearer than a stricter one for want of search time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from planner.app.compare.solve import Solved
from planner.app.forecast.model import municipal_forecast, provider_forecast
from planner.app.tariffs import cost_based_tariffs
from planner.core.costs import transport_days, week_cost
from planner.core.gap import relative_gap
from planner.core.roster import Roster
from planner.inputs.catalogue import LEVELS, RegionModel
from planner.inputs.data import ProviderData
from planner.verify.check import check_roster


@dataclass(frozen=True)
class Priced:
    """One roster priced for one scenario: metric -> value (see compare.METRICS), and what explains them."""

    figures: dict[str, float]
    detail: dict[str, Any] = field(default_factory=dict)


def price(model: RegionModel, data: ProviderData, roster: Roster, gap: float | None,
          forecast: Any = None) -> Priced:
    """The comparison's metrics for `roster` under `model` and `data`.

    Money per year in EUR (`model.weeks_per_year` weeks), FTE from `model.dagdelen_per_fte`, gap as a
    fraction (None: unknown, left out). `forecast` (ForecastSettings) adds the next 12 months.
    """
    weeks = model.weeks_per_year
    c = week_cost(model, data, roster)
    out: dict[str, float] = {
        "cost_staff": c.staff * weeks / 100, "cost_vacancies": c.vacancies * weeks / 100,
        "cost_specialists": c.specialists * weeks / 100, "cost_transport": c.transport * weeks / 100,
        "cost_groups": c.groups * weeks / 100, "cost_total": c.total * weeks / 100,
    }
    # revenue exactly, in decimals: a 5 % higher tariff gives exactly 5 % more, to the cent
    tariff = {ch.id: Decimal(str(model.products[ch.product].tariff)) for ch in data.children}
    revenue = sum((tariff[child] for child, _, _ in roster.children), Decimal(0)) * weeks
    out["revenue"] = float(revenue)
    out["margin"] = float(revenue - Decimal(c.total * weeks) / 100)
    level_of = {s.id: s.education for s in data.staff}
    staff_by_level = Counter(level_of[s] for s, _, _ in roster.staff)
    vacancies_by_level = Counter(lv for _, lv, _, _ in roster.vacancies)
    per_fte = model.dagdelen_per_fte
    for lv in LEVELS:
        out[f"fte_{lv}"] = staff_by_level[lv] / per_fte
        out[f"vacancy_fte_{lv}"] = vacancies_by_level[lv] / per_fte
    out["fte_total"] = len(roster.staff) / per_fte
    out["vacancy_fte_total"] = len(roster.vacancies) / per_fte
    placed = Counter(ch for ch, _, _ in roster.children)
    waiting = sorted(ch.id for ch in data.children if placed[ch.id] < ch.dagdelen_per_week)
    requested = sum(ch.dagdelen_per_week for ch in data.children)
    out["children"] = len(data.children)
    out["children_placed"] = len(placed)
    out["children_waiting"] = len(waiting)
    out["dagdelen_requested"] = requested
    out["dagdelen_placed"] = len(roster.children)
    out["dagdelen_waiting"] = requested - len(roster.children)
    days = transport_days(model, data, roster)
    out["transport_km"] = sum(2 * trip.km for *_, trip in days)
    for band in range(1, 7):
        out[f"transport_band_{band}"] = sum(trip.cost_per_day for *_, trip in days if trip.band == band) * weeks / 100
    running = {(g, d) for _, g, d in roster.children}
    out["utilisation"] = _utilisation(model, data, roster)
    if gap is not None:
        out["gap"] = gap
    if forecast is not None:
        out.update(_provider_forecast(model, data, roster, c.total, forecast))
    detail = {"staff_dagdelen": dict(staff_by_level), "vacancy_dagdelen": dict(vacancies_by_level),
              "opened": list(roster.opened), "waiting": waiting, "transport_days": len(days),
              "group_dagdelen": len(running), "cost_week_cents": c.total}
    return Priced({k: round(v, 6) for k, v in out.items()}, detail)


def _utilisation(model: RegionModel, data: ProviderData, roster: Roster) -> float:
    """Child-dagdelen placed over the seats of the group-dagdelen that run (room and product maxima)."""
    groups = {g.id: g for g in data.groups}
    product_of = {c.id: c.product for c in data.children}
    kids: dict[tuple[str, str], list[str]] = {}
    for child, g, d in roster.children:
        kids.setdefault((g, d), []).append(child)
    seats = sum(min(groups[g].capacity, min(model.products[product_of[m]].group_max for m in members))
                for (g, _), members in kids.items())
    return len(roster.children) / seats if seats else 0.0


def _provider_forecast(model: RegionModel, data: ProviderData, roster: Roster, week_cents: int,
                       settings: Any) -> dict[str, float]:
    """The provider's next 12 months from the roster (calendar, public holidays)."""
    months = provider_forecast(model, data, list(roster.children), week_cents / 100, settings)
    return {"forecast_cost_12m": round(sum(m.cost for m in months), 2),
            "forecast_revenue_12m": round(sum(m.revenue for m in months), 2)}


def municipal(model: RegionModel, allocations: list[Any], settings: Any) -> dict[str, float]:
    """The municipalities' expected spend over the next 12 months and the P90 of month 12 (EUR)."""
    fc = municipal_forecast(model, allocations, settings)
    return {"municipal_12m": round(float(fc.expected_total.sum()), 2),
            "municipal_12m_p90": round(float(fc.total_q[2][-1]), 2)}


def tariffs(model: RegionModel) -> dict[str, tuple[float, float]]:
    """Product -> (contracted tariff, cost-based tariff) in EUR per dagdeel; empty without a cost model."""
    if model.cost_model is None:
        return {}

    return {r.product: (round(r.contracted, 2), round(r.cost_based, 2)) for r in cost_based_tariffs(model)}


@dataclass(frozen=True)
class Choice:
    """The roster a scenario gets: `solved` (whose group and seed say where it came from), with the
    proven bounds of the scenario's own solves (None when they do not apply to this roster)."""

    solved: Solved
    cost_cents: int
    bound_cents: int | None
    placed_bound: int | None


def choose(model: RegionModel, data: ProviderData, vacancies: bool, group: int,
           found: list[Solved], min_contract_use: float = 0.0) -> Choice | None:
    """The best roster for a scenario among all rosters found: most dagdelen placed, then lowest cost,
    then its own solves before others', then by group and seed. A roster of another scenario counts only
    when the independent checker accepts it under this scenario's rules and data. None: nothing fits.
    """
    own = [s for s in found if s.group == group and s.roster is not None and not s.error]
    ranked = []
    for s in found:
        if s.roster is None or s.error:
            continue
        if s.group != group:
            try:
                if check_roster(model, data, s.roster, vacancies, min_contract_use):
                    continue
            except (KeyError, ValueError):  # ids of another scenario's data
                continue
        cost = week_cost(model, data, s.roster).total
        ranked.append(((-len(s.roster.children), cost, s.group != group, s.group, s.seed), s, cost))
    if not ranked:
        return None
    _, best, cost = min(ranked, key=lambda item: item[0])
    if not own or len(best.roster.children) != max(len(s.roster.children) for s in own):  # type: ignore
        return Choice(best, cost, None, None)  # own bounds hold for the own maximum placement only
    bound = max(round(s.bound * 100) for s in own)
    return Choice(best, cost, min(bound, cost), min(s.placed_bound for s in own))


def seed_spread(model: RegionModel, data: ProviderData, group: int, found: list[Solved],
                forecast: Any) -> dict[str, tuple[float, float]]:
    """Metric -> (lowest, highest) over the rosters of this scenario's own seeds (one seed: empty)."""
    own = [s for s in found if s.group == group and s.roster is not None and not s.error]
    if len(own) < 2:
        return {}
    seen = [price(model, data, s.roster, _gap(s), forecast).figures for s in own]  # type: ignore[arg-type]
    return {k: (min(f[k] for f in seen), max(f[k] for f in seen)) for k in seen[0] if all(k in f for f in seen)}


def _gap(s: Solved) -> float:
    return relative_gap(s.objective, s.bound)


def with_gap(priced: Priced, choice: Choice) -> Priced:
    """The figures with the chosen roster's gap against the scenario's best proven bound."""
    if choice.bound_cents is None or not choice.cost_cents:
        return priced
    gap = round(relative_gap(choice.cost_cents, choice.bound_cents), 6)
    return replace(priced, figures={**priced.figures, "gap": gap})
