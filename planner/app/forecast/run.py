"""`planner forecast`: gather allocations, roster and settings, compute, write the files."""

from __future__ import annotations

from pathlib import Path

from planner.app.forecast.model import (
    forecast_settings,
    municipal_forecast,
    provider_forecast,
    read_allocations,
    settings_warnings,
)
from planner.app.tariffs import cost_based_tariffs
from planner.core.costs import week_cost
from planner.core.roster import Roster, number_vacancies
from planner.inputs.allocations import contract_date, effective_end
from planner.inputs.errors import InputError, Problem
from planner.inputs.scenario import Scenario, load_inputs, load_model_of
from planner.report.forecast_xlsx import write_forecast, write_tariffs
from planner.report.safe import atomic_dir
from planner.solver.replan import read_previous


def _read_roster(path: Path, parts: tuple[str, ...]) -> Roster:
    """A roster.csv as planner plan writes it, read (and checked by row) by the replanning reader."""
    prev = read_previous(path, parts)
    return Roster(prev.children, prev.staff, number_vacancies(prev.vacancies), tuple(sorted(prev.locations)))


def run_forecast(sc: Scenario, out: Path, tariffs: bool, roster_path: Path | None) -> list[str]:
    model = load_model_of(sc)
    settings = forecast_settings(sc, model)
    notes = [
        f"Scenario: {sc.name}. Regio: {model.region} {model.year}. Start {settings.start:%Y-%m}, "
        f"{settings.months} maanden, {settings.runs} simulaties (seed {settings.seed}).",
        "Per toewijzing per maand: geleverd = volume per week x open dagen / 5 x "
        f"{model.weeks_per_year}/52 (feestdagen tellen niet);",
        "plafond (iJw) = volume per week x aantal (deels) geraakte kalenderweken; declaratie = min(geleverd, plafond) "
        "x (tarief - eigen bijdrage).",
        "Instroom per maand: gemiddelde uit het scenario, verdeeld over gemeenten naar hun huidige aandeel; "
        f"spreiding Gamma met variantie = {settings.inflow_dispersion:g} x gemiddelde.",
        "Duur van nieuwe toewijzingen: de gemiddelde verblijfsduur per product (mean_stay_months, met bron in het "
        "model), nooit boven het maximum (max_stay_months); lopende toewijzingen eindigen uiterlijk op het maximum.",
        "Prijzen: tarieven van het model, geïndexeerd met het indexpad na "
        f"{contract_date(model):%d-%m-%Y}: " + ("; ".join(f"{s.kind} {s.percent:g} % per {s.date:%d-%m-%Y} ({s.source})"
                                                     for s in model.index_path if s.date > contract_date(model))
                                           or "geen index"),
        "Eenheden (iJw): 16 dagdeel, 14 etmaal, 82/84 stuks, 83 euro's; frequentie 1 per dag, 2 per week, "
        "4 per maand, 6 totaal binnen de geldigheidsduur. Vervoer (" + (model.transport_rule.product_code or "geen")
        + ") telt mee in de uitgaven; nieuwe ritten (instroom) tegen de gemiddelde categorieprijs van de "
        "huidige, zo lang als de zorg waarmee ze komen.",
        "Beleid (changes): " + (", ".join(f"instroom {k} x {v:g}" for k, v in settings.inflow_scale.items())
                                + ", ".join(f"duur {k} x {v:g}" for k, v in settings.duration_scale.items()) or "geen"),
        "Bedragen in euro; tarieven uit het regiomodel (deels indicatief, zie 'tariff_source').",
        "Gemeentelijke uitkomsten bevatten geen namen van jeugdigen.",
    ]
    warnings = [f"waarschuwing: {w}" for w in settings_warnings(model, settings)]
    notes += [w.removeprefix("waarschuwing: ").capitalize() for w in warnings]
    fc = None
    allocations_path = sc.forecast.get("allocations")
    if allocations_path:
        allocations = read_allocations(Path(allocations_path), model)
        cut = [a for a in allocations if effective_end(model, a) != a.end]
        if cut:
            notes.append(f"{len(cut)} toewijzing(en) langer dan het productmaximum zijn op dat maximum afgekapt "
                         f"({', '.join(sorted({a.product for a in cut}))}).")
        fc = municipal_forecast(model, allocations, settings)
    provider = None
    roster_file = roster_path or (out / "roster.csv")
    if sc.data_path is not None and roster_file.exists():
        model, data = load_inputs(sc)
        roster = _read_roster(roster_file, tuple(model.parts))
        known = {c.id for c in data.children}
        unknown = sorted({c for c, _, _ in roster.children} - known)
        if unknown:
            raise InputError([Problem(roster_file.name, f"onbekende jeugdige(n) {', '.join(unknown[:5])}")])
        provider = provider_forecast(model, data, list(roster.children),
                                     week_cost(model, data, roster).total / 100, settings)
    if tariffs and model.cost_model is None:
        raise InputError([Problem(sc.path.name, "het regiomodel heeft geen [cost_model]", column="model")])
    if fc is None and provider is None and not tariffs:
        raise InputError([Problem(sc.path.name, "niets te doen: geef [forecast] allocations, een roster.csv "
                                  "(planner plan) of --tariffs", column="forecast")])
    written = list(warnings)
    with atomic_dir(out) as tmp:  # the whole report folder at once; files of a plan there are kept
        if fc is not None or provider is not None:
            write_forecast(model, fc, provider, tmp / "forecast.xlsx", tmp / "forecast.csv", notes)
            if (tmp / "forecast.csv").exists():
                written.append(f"Geschreven: {out / 'forecast.csv'}")
            written.append(f"Geschreven: {out / 'forecast.xlsx'}")
            if fc is not None:
                year = sum(float(x) for x in fc.expected_total[:12])
                written.append(f"Verwachte uitgaven eerste 12 maanden: EUR {year:,.2f}")
            if provider is not None:
                written.append(f"Aanbieder: kosten EUR {sum(p.cost for p in provider):,.2f}, opbrengst EUR "
                               f"{sum(p.revenue for p in provider):,.2f} over {len(provider)} maanden")
        if tariffs:
            write_tariffs(model, cost_based_tariffs(model), tmp / "tarieven.xlsx")
            written.append(f"Geschreven: {out / 'tarieven.xlsx'}")
    return written
