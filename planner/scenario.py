"""Scenario files: model + data + what-if changes + solve settings, with `extends`."""

from __future__ import annotations

import copy
import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planner.catalogue import LEVELS, RegionModel, build_model, model_path, read_model_dict
from planner.data import ProviderData, read_data
from planner.errors import InputError, Problem
from planner.validate import Entities, cross_check

TOP_KEYS = {"name", "model", "data", "extends", "solve", "changes", "peildatum", "description", "forecast"}
FORECAST_KEYS = {"start", "months", "runs", "seed", "allocations", "inflow", "inflow_volume", "duration_months",
                 "inflow_dispersion"}
SOLVE_KEYS = {
    "time_limit_s", "seed", "workers", "vacancies", "vacancy_penalty", "vacancy_levels", "weights",
    "log", "deterministic", "decompose", "cluster_size",
}
CHANGE_KEYS = {"products", "transport", "cost", "weeks_per_year", "tariff_index", "demand_scale",
               "staff_scale", "inflow_scale", "duration_scale"}
WEIGHT_KEYS = {"child_continuity", "staff_continuity", "staff_fairness", "child_change", "staff_change"}


@dataclass(frozen=True)
class SolveSettings:
    time_limit_s: float = 30.0
    seed: int = 0
    workers: int = 2
    vacancies: bool = True
    vacancy_penalty: float = 150.0  # EUR per vacancy-dagdeel on top of its wage: hiring is hard
    vacancy_levels: tuple[str, ...] = LEVELS
    # soft wishes, EUR per unit bent: an extra group for a child, an extra staff-group pair, ...
    weights: dict[str, float] = field(default_factory=lambda: {
        "child_continuity": 5.0, "staff_continuity": 1.0, "staff_fairness": 0.5,
        # replanning (--previous): EUR per week for each dagdeel of the previous roster a person
        # no longer has (moved to another group, location or dagdeel, or dropped); children's
        # fixed faces and days weigh most. High on purpose: a staff change must save more than a
        # staff-dagdeel's wage, a child's change far more, before the plan makes it.
        "child_change": 1000.0, "staff_change": 350.0,
    })
    log: bool = False
    # false (default): time_limit_s is the wall time of the whole solve, on an idle or a busy machine;
    # true: limits in CP-SAT's deterministic time (about seconds on 2 cores) and no wall-clock cap,
    # so the same seed and workers give the same roster on any load (budget.py)
    deterministic: bool = False
    # large instances: "auto" solves by location cluster above 20,000 placement variables,
    # "ja" always, "nee" never (decompose.py); clusters of at most this many locations
    decompose: str = "auto"
    cluster_size: int = 3


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    model_ref: str
    data_path: Path | None
    solve: SolveSettings
    changes: dict[str, Any]
    peildatum: dt.date | None = None
    forecast: dict[str, Any] = field(default_factory=dict)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise InputError([Problem(path.name, f"kringverwijzing in extends: {chain}", column="extends")])
    if not path.is_file():
        raise InputError([Problem(path.name, "scenario niet gevonden")])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(path.name, f"geen geldige TOML: {exc}")]) from None
    problems = [Problem(path.name, "onbekende sleutel", column=k) for k in raw if k not in TOP_KEYS]
    problems += [Problem(path.name, "onbekende sleutel", column=f"solve.{k}")
                 for k in raw.get("solve", {}) if k not in SOLVE_KEYS]
    problems += [Problem(path.name, "onbekende sleutel", column=f"changes.{k}")
                 for k in raw.get("changes", {}) if k not in CHANGE_KEYS]
    problems += [Problem(path.name, "onbekende sleutel", column=f"forecast.{k}")
                 for k in raw.get("forecast", {}) if k not in FORECAST_KEYS]
    problems += [Problem(path.name, "onbekend gewicht", column=f"solve.weights.{k}")
                 for k in raw.get("solve", {}).get("weights", {}) if k not in WEIGHT_KEYS]
    if problems:
        raise InputError(problems)
    # paths are relative to the file that names them
    for key in ("data",):
        if key in raw:
            raw[key] = str((path.parent / raw[key]).resolve())
    if "allocations" in raw.get("forecast", {}):
        raw["forecast"]["allocations"] = str((path.parent / raw["forecast"]["allocations"]).resolve())
    if "model" in raw and raw["model"].endswith(".toml"):
        raw["model"] = str((path.parent / raw["model"]).resolve())
    if "extends" in raw:
        base = _read(path.parent / raw.pop("extends"), (*seen, path))
        raw = _merge(base, raw)
    return raw


def load_scenario(path: Path | str) -> Scenario:
    path = Path(path)
    raw = _read(path, ())
    missing = [k for k in ("model",) if k not in raw]
    if missing:
        raise InputError([Problem(path.name, "verplichte sleutel ontbreekt", column=k) for k in missing])
    solve_raw = dict(raw.get("solve", {}))
    defaults = SolveSettings()
    weights = {**defaults.weights, **solve_raw.pop("weights", {})}
    if "vacancy_levels" in solve_raw:
        solve_raw["vacancy_levels"] = tuple(solve_raw["vacancy_levels"])
    try:
        solve = replace(defaults, weights=weights, **solve_raw)
    except TypeError as exc:
        raise InputError([Problem(path.name, str(exc), column="solve")]) from None
    if solve.decompose not in ("auto", "ja", "nee"):
        raise InputError([Problem(path.name, f"'{solve.decompose}': kies auto, ja of nee", column="solve.decompose")])
    peildatum = raw.get("peildatum")
    return Scenario(
        name=str(raw.get("name", path.stem)),
        path=path.resolve(),
        model_ref=str(raw["model"]),
        data_path=Path(raw["data"]) if "data" in raw else None,
        solve=solve,
        changes=raw.get("changes", {}),
        peildatum=peildatum if isinstance(peildatum, dt.date) else None,
        forecast=raw.get("forecast", {}),
    )


def apply_model_changes(raw: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = _merge(raw, {k: changes[k] for k in ("products", "transport", "cost", "weeks_per_year")
                       if k in changes})
    index = changes.get("tariff_index")
    if index is not None:
        for product in out.get("products", {}).values():
            product["tariff"] = round(product["tariff"] * float(index), 6)
    return out


def apply_data_changes(data: ProviderData, changes: dict[str, Any]) -> ProviderData:
    children = list(data.children)
    for code, factor in changes.get("demand_scale", {}).items():
        of_product = [c for c in children if c.product == code]
        target = max(0, round(len(of_product) * float(factor)))
        kept = of_product[:target]
        copies = 1
        while len(kept) < target:  # more demand: copies of existing children, new ids
            copies += 1
            for c in of_product[: target - len(kept)]:
                kept.append(replace(c, id=f"{c.id}-x{copies}", name="", not_with=()))
        ids = {c.id for c in kept}
        children = [c for c in children if c.product != code] + kept
        children = [replace(c, not_with=tuple(o for o in c.not_with if o in ids or o not in
                                              {x.id for x in of_product})) for c in children]
    staff = list(data.staff)
    scale = changes.get("staff_scale")
    if scale is not None:
        factors = scale if isinstance(scale, dict) else {lv: scale for lv in LEVELS}
        staff = [replace(s, dagdelen_per_week=math.floor(s.dagdelen_per_week * float(factors.get(s.education, 1))))
                 for s in staff]
    return replace(data, children=tuple(children), staff=tuple(staff))


def load_model_of(scenario: Scenario) -> RegionModel:
    """The scenario's region model with its model changes applied."""
    path = model_path(scenario.model_ref, scenario.path.parent)
    return build_model(apply_model_changes(read_model_dict(path), scenario.changes), path.name)


def load_inputs(scenario: Scenario) -> tuple[RegionModel, ProviderData]:
    """The model and data with the scenario's changes applied, validated like written input."""
    path = model_path(scenario.model_ref, scenario.path.parent)
    raw = apply_model_changes(read_model_dict(path), scenario.changes)
    model = build_model(raw, path.name)
    if scenario.data_path is None:
        raise InputError([Problem(scenario.path.name, "verplichte sleutel ontbreekt (werkmap of map met CSV's)",
                                  column="data")])
    data = read_data(scenario.data_path, model, scenario.peildatum)
    if any(k in scenario.changes for k in ("demand_scale", "staff_scale")):
        data = apply_data_changes(data, scenario.changes)
        problems: list[Problem] = []
        entities: Entities = {
            "locations": {x.id: (None, x) for x in data.locations},
            "groups": {x.id: (None, x) for x in data.groups},
            "staff": {x.id: (None, x) for x in data.staff},
            "children": {x.id: (None, x) for x in data.children},
        }
        cross_check(model, entities, [], {}, problems, scenario.peildatum or dt.date(model.year, 1, 1))
        if problems:
            raise InputError([replace(p, sheet=f"{p.sheet} (na wijzigingen)") for p in problems])
    return model, data


def forecast_settings(scenario: Scenario, model: RegionModel):  # -> ForecastSettings
    """The scenario's [forecast] table with its policy levers from [changes]."""
    from planner.forecast import ForecastSettings

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
