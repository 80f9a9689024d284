"""What `planner compare` passes around: a scenario to compare (`Task`), its figures (`Outcome`) and the
metrics they are keyed by (`METRICS`), as plain data that pickles to a worker and back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.inputs.catalogue import LEVELS, RegionModel
from planner.inputs.data import ProviderData
from planner.inputs.scenario import SolveSettings


@dataclass(frozen=True)
class Task:
    """One scenario to compare, as data: its model and data with the changes applied, its solve settings."""

    name: str
    description: str  # what differs from the base, in words
    model: RegionModel
    data: ProviderData | None  # None: a municipal scenario, forecast only
    settings: SolveSettings
    forecast: Any = None  # ForecastSettings for the next 12 months
    allocations: tuple = ()  # the municipalities' allocations, when the scenario names them
    group: int = -1  # solve group: tasks with the same group share their solves (-1: no solve)
    notes: tuple[str, ...] = ()  # Dutch remarks on how it was solved (shorter than plan, ...)


@dataclass(frozen=True)
class Outcome:
    """A scenario's figures by metric key (see METRICS), or the error that stopped it.

    `cost_margin` is EUR per year the roster may lie above the best roster of its scenario (cost −
    bound), `placed_margin` dagdelen per week below the proven maximum, `revenue_margin` EUR per year those
    dagdelen could bring at the scenario's highest tariff; None when unknown. `spread`
    holds (lowest, highest) per metric over the seeds (--seeds), `detail` what explains the figures.
    """

    name: str
    description: str
    figures: dict[str, float] = field(default_factory=dict)
    status: str = ""
    error: str = ""
    tariffs: dict[str, tuple[float, float]] = field(default_factory=dict)  # product -> (contracted, cost based)
    group: int = -1
    roster_of: str = ""  # the scenario whose solve gave the roster
    cost_margin: float | None = None
    placed_margin: int | None = None
    revenue_margin: float | None = None  # EUR per year: placed_margin dagdelen at the highest tariff
    spread: dict[str, tuple[float, float]] = field(default_factory=dict)
    seeds: tuple[int, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


# metric key -> (Dutch label, unit); the order is the order of the comparison sheet
METRICS: dict[str, tuple[str, str]] = {
    "cost_staff": ("Kosten personeel per jaar", "EUR"),
    "cost_vacancies": ("Kosten vacatures per jaar", "EUR"),
    "cost_specialists": ("Kosten specialistische uren per jaar", "EUR"),
    "cost_transport": ("Kosten vervoer per jaar", "EUR"),
    "cost_groups": ("Kosten extra groepen per jaar", "EUR"),
    "cost_total": ("Kosten totaal per jaar", "EUR"),
    "revenue": ("Opbrengst per jaar", "EUR"),
    "margin": ("Resultaat per jaar (opbrengst − kosten)", "EUR"),
    **{f"fte_{lv}": (f"Personeel {lv} (fte)", "fte") for lv in LEVELS},
    "fte_total": ("Personeel totaal (fte)", "fte"),
    **{f"vacancy_fte_{lv}": (f"Vacatures {lv} (fte)", "fte") for lv in LEVELS},
    "vacancy_fte_total": ("Vacatures totaal (fte)", "fte"),
    "children": ("Jeugdigen", "aantal"),
    "children_placed": ("Jeugdigen geplaatst", "aantal"),
    "children_waiting": ("Jeugdigen op de wachtlijst", "aantal"),
    "dagdelen_requested": ("Dagdelen gevraagd per week", "dagdelen"),
    "dagdelen_placed": ("Dagdelen geplaatst per week", "dagdelen"),
    "dagdelen_waiting": ("Dagdelen niet geplaatst per week", "dagdelen"),
    "transport_km": ("Vervoer km per week", "km"),
    **{f"transport_band_{b}": (f"Vervoer band {b} per jaar", "EUR") for b in range(1, 7)},
    "utilisation": ("Bezetting groepen", "%"),
    "forecast_cost_12m": ("Prognose kosten komende 12 maanden", "EUR"),
    "forecast_revenue_12m": ("Prognose opbrengst komende 12 maanden (kalender, feestdagen)", "EUR"),
    "municipal_12m": ("Gemeenten: verwachte uitgaven komende 12 maanden", "EUR"),
    "municipal_12m_p90": ("Gemeenten: P90 uitgaven in maand 12", "EUR"),
    # planner compare --capacity (compare/capacity.py): over the scenario's horizon, not per year
    "cap_demand_p50": ("Capaciteit: vraag P50, gemiddeld per maand (kind-dagdelen per week)", "dagdelen"),
    "cap_demand_p90": ("Capaciteit: vraag P90, hoogste maand (kind-dagdelen per week)", "dagdelen"),
    "cap_cost_staff": ("Capaciteit: kosten eigen personeel over de horizon", "EUR"),
    "cap_cost_agency": ("Capaciteit: kosten inhuur over de horizon", "EUR"),
    "cap_cost_hiring": ("Capaciteit: kosten werving over de horizon", "EUR"),
    "cap_cost_groups": ("Capaciteit: kosten groepen over de horizon", "EUR"),
    "cap_cost_total": ("Capaciteit: kosten over de horizon (zonder wachtprijs)", "EUR"),
    "cap_cost_waiting": ("Capaciteit: wachtprijs over de horizon", "EUR"),
    "cap_objective": ("Capaciteit: kosten met wachtprijs (doelwaarde)", "EUR"),
    **{f"cap_hired_{lv}": (f"Capaciteit: aangenomen {lv} (fte)", "fte") for lv in LEVELS},
    "cap_hired_total": ("Capaciteit: aangenomen totaal (fte)", "fte"),
    **{f"cap_peak_fte_{lv}": (f"Capaciteit: hoogste fte {lv} in dienst", "fte") for lv in LEVELS},
    "cap_peak_agency": ("Capaciteit: hoogste inhuur (fte)", "fte"),
    "cap_groups_peak": ("Capaciteit: hoogste aantal open groepen", "aantal"),
    "cap_groups_opened": ("Capaciteit: groepen geopend", "aantal"),
    "cap_waiting_mean": ("Capaciteit: wachtende jeugdigen, gemiddeld per maand", "jeugdigen"),
    "cap_waiting_peak": ("Capaciteit: wachtende jeugdigen, hoogste maand", "jeugdigen"),
    "cap_waiting_dagdelen": ("Capaciteit: wachtend, kind-dagdelen per week opgeteld over de maanden", "dagdelen"),
    "cap_service_months": ("Capaciteit: maanden met alle vraag van de servicegraad geplaatst", "maanden"),
    "gap": ("Afstand tot ondergrens (gap)", "%"),
}
