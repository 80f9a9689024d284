"""Scenario files: model + data + what-if changes + solve settings, with `extends`."""

from __future__ import annotations

import copy
import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planner.inputs.catalogue import LEVELS, RegionModel, build_model, model_path, read_model_dict
from planner.inputs.data import ProviderData, read_data
from planner.inputs.errors import InputError, Problem
from planner.inputs.scenario_schema import changes_problems, file_problems, solve_problems
from planner.inputs.validate import Entities, cross_check

CHANGE_KEYS = {"products", "transport", "cost", "weeks_per_year", "tariff_index", "demand_scale",
               "staff_scale", "inflow_scale", "duration_scale"}


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
    # 0..1: every staff member rostered at least this share of their contract dagdelen, less leave and
    # closing days, capped at what their availability allows (planner/inputs/contract_minimum.py)
    min_contract_use: float = 0.0


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
    capacity: dict[str, Any] = field(default_factory=dict)  # [capacity]: planner capacity
    bases: tuple[Path, ...] = ()  # the files its `extends` chain read (inputs too)
    postcodes: Path | None = None  # postcode table (postcode, lat, lon) for empty lat/lon


def merge_tables(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `base` with `over` laid on top: tables merged key by key, other values replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_tables(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


_BASES = "\x00bases"  # the files of the extends chain, carried through _read (no TOML key can hold NUL)
# problems of [solve] and [changes] found while reading, their keys taken out so that the rest of the
# scenario, the model and the data are still checked: every problem in one pass (user test of issue 16)
_FOUND = "\x00problems"
_DEFERRED = ("solve.", "changes.")


def _take_out(raw: dict[str, Any], column: str) -> bool:
    """Remove the value at a dotted key path (`changes.products.41A03-1.children_per_staff`); whether it was there."""
    node: Any = raw
    parts = column.split(".")
    for i, part in enumerate(parts):
        if not isinstance(node, dict) or part not in node:
            return False
        if i == len(parts) - 1 or not isinstance(node[part], dict):  # the value, or the list holding it
            del node[part]
            return True
        node = node[part]
    return False
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def _read(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise InputError([Problem(path.name, f"kringverwijzing in extends: {chain}", column="extends")])
    if path.suffix.lower() in WORKBOOK_SUFFIXES or path.is_dir():
        raise InputError([Problem(path.name, "dit is een werkmap, geen scenario: geef het regiomodel erbij, "
                                  "bijv. --model holland-rijnland-2025")])
    if not path.is_file():
        raise InputError([Problem(path.name, "scenario niet gevonden")])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(path.name, f"geen geldige TOML: {exc}")]) from None
    problems = file_problems(raw, path.name)
    if problems:
        if not all((p.column or "").startswith(_DEFERRED) for p in problems):
            raise InputError(problems)
        for problem in problems:
            _take_out(raw, problem.column or "")
        raw[_FOUND] = problems
    # paths are relative to the file that names them
    for key in ("data", "postcodes"):
        if key in raw:
            raw[key] = str((path.parent / raw[key]).resolve())
    if "allocations" in raw.get("forecast", {}):
        raw["forecast"]["allocations"] = str((path.parent / raw["forecast"]["allocations"]).resolve())
    if "model" in raw and raw["model"].endswith(".toml"):
        raw["model"] = str((path.parent / raw["model"]).resolve())
    if "extends" in raw:
        base_file = (path.parent / raw.pop("extends")).resolve()
        base = _read(base_file, (*seen, path))
        files = [base_file, *base.pop(_BASES, [])]
        found = [*base.pop(_FOUND, []), *raw.pop(_FOUND, [])]
        raw = merge_tables(base, raw)
        raw[_BASES] = files
        if found:
            raw[_FOUND] = found
    return raw


def solve_settings(values: dict[str, Any], origin: str) -> SolveSettings:
    """The [solve] table as settings, every value checked (scenario_schema.SolveInput)."""
    problems = solve_problems(values, origin)
    if problems:
        raise InputError(problems)
    defaults = SolveSettings()
    weights = {**defaults.weights, **values.get("weights", {})}
    rest = {k: v for k, v in values.items() if k != "weights"}
    if "vacancy_levels" in rest:
        rest["vacancy_levels"] = tuple(rest["vacancy_levels"])
    return replace(defaults, weights=weights, **rest)


def with_overrides(sc: Scenario, overrides: dict[str, Any]) -> Scenario:
    """The scenario with command-line solve settings (--time-limit, --workers, --seed), checked like the file's."""
    if not overrides:
        return sc
    names = {"time_limit_s": "--time-limit", "workers": "--workers", "seed": "--seed"}
    problems = solve_problems(overrides, "opdrachtregel", names)
    if problems:
        raise InputError(problems)
    return replace(sc, solve=replace(sc.solve, **overrides))


def load_scenario(path: Path | str) -> Scenario:
    """A scenario file with its `extends` chain merged; every key checked for type and range.

    Raises InputError (one Problem per wrong key, naming file and key)."""
    path = Path(path)
    raw = _read(path, ())
    bases = tuple(raw.pop(_BASES, []))
    found: list[Problem] = list(raw.pop(_FOUND, []))
    if "model" not in raw:
        raise InputError([*found, Problem(path.name, "verplichte sleutel ontbreekt", column="model")])
    try:
        solve = solve_settings(dict(raw.get("solve", {})), path.name)
    except InputError as err:
        found += [p for p in err.problems if p not in found]
        solve = SolveSettings()
    peildatum = raw.get("peildatum")
    if isinstance(peildatum, dt.datetime):
        peildatum = peildatum.date()
    scenario = _scenario(path, raw, solve, peildatum, bases)
    if found:  # the rest checked too: the model with the other changes, and the data
        if "data" in raw:
            try:
                load_inputs(scenario)
            except InputError as err:
                found += [p for p in err.problems if p not in found]
        raise InputError(found)
    return scenario


def _scenario(path: Path, raw: dict[str, Any], solve: SolveSettings, peildatum: dt.date | None,
              bases: tuple[Path, ...]) -> Scenario:
    return Scenario(
        name=str(raw.get("name", path.stem)),
        path=path.resolve(),
        model_ref=str(raw["model"]),
        data_path=Path(raw["data"]) if "data" in raw else None,
        solve=solve,
        changes=raw.get("changes", {}),
        peildatum=peildatum,
        forecast=raw.get("forecast", {}),
        capacity=raw.get("capacity", {}),
        bases=bases,
        postcodes=Path(raw["postcodes"]) if "postcodes" in raw else None,
    )


def workbook_scenario(data: Path, model: str) -> Scenario:
    """A scenario for a workbook (or CSV folder) and a model name or path, with default settings:
    `planner check WERKMAP.xlsx --model NAME` needs no scenario file."""
    data = data.resolve()
    if not data.exists():
        raise InputError([Problem(data.name, "werkmap niet gevonden")])
    ref = model
    if model.endswith(".toml"):
        ref = str(Path(model).resolve())
    return Scenario(name=data.stem, path=data, model_ref=ref, data_path=data, solve=SolveSettings(), changes={})


def open_scenario(path: Path, model: str | None) -> Scenario:
    """What the command line names: a scenario file, or a workbook/CSV folder with --model.

    With both a scenario and --model, the scenario's model is replaced."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES or path.is_dir():
        if model is None:
            raise InputError([Problem(path.name, "dit is een werkmap, geen scenario: geef het regiomodel erbij, "
                                      "bijv. --model holland-rijnland-2025", column="--model")])
        return workbook_scenario(path, model)
    sc = load_scenario(path)
    if model is not None:
        ref = str(Path(model).resolve()) if model.endswith(".toml") else model
        sc = replace(sc, model_ref=ref)
    return sc


MAX_CHILDREN = 20_000  # after demand_scale: beyond this no solve ends in reasonable time


def apply_model_changes(raw: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The model dictionary with the scenario's model changes merged in (products, transport, cost,
    weeks_per_year; tariff_index multiplies every tariff). A changed ratio replaces the model's form of it."""
    out = merge_tables(raw, {k: changes[k] for k in ("products", "transport", "cost", "weeks_per_year")
                       if k in changes})
    for code, changed in changes.get("products", {}).items():
        product = out.get("products", {}).get(code)
        if not isinstance(product, dict) or not isinstance(changed, dict):
            continue
        if "children_per_staff" in changed:
            for key in ("staff", "per"):
                if key not in changed:
                    product.pop(key, None)
        elif "staff" in changed or "per" in changed:
            product.pop("children_per_staff", None)
    index = changes.get("tariff_index")
    if index is not None:
        for product in out.get("products", {}).values():
            if isinstance(product, dict) and isinstance(product.get("tariff"), int | float):
                product["tariff"] = round(product["tariff"] * float(index), 6)
    return out


def apply_data_changes(data: ProviderData, changes: dict[str, Any]) -> ProviderData:
    """The data with a scenario's what-if changes on people (contract "Scenarios", [changes]):
    `demand_scale` {product: factor} keeps round(n x factor) children of that product (the first ones,
    a scale above 1 adds copies under new ids `<id>-x2`, ...); `staff_scale` scales every contract
    (dagdelen per week, rounded down), all levels (a number) or per level ({level: factor}). Factors are
    validated before (scenario_schema); raises nothing."""
    children = list(data.children)
    for code, factor in changes.get("demand_scale", {}).items():
        of_product = [c for c in children if c.product == code]
        target = max(0, round(len(of_product) * float(factor)))
        kept = of_product[:target]
        copies = 1
        while of_product and len(kept) < target:  # more demand: copies of existing children, new ids
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


def _change_problems(scenario: Scenario, products: dict[str, Any]) -> list[Problem]:
    """Product codes in [changes] that the model does not know (before merging would invent them)."""
    origin = scenario.path.name
    known = ", ".join(products)
    out = []
    for table in ("products", "demand_scale"):
        for code in scenario.changes.get(table, {}):
            if code not in products:
                out.append(Problem(origin, f"onbekend product '{code}' (het model kent {known})",
                                   column=f"changes.{table}.{code}"))
    return out


def load_model_of(scenario: Scenario) -> RegionModel:
    """The scenario's region model with its model changes applied, validated like a written model.

    Raises InputError naming the model file (and the scenario when its changes made the value)."""
    path = model_path(scenario.model_ref, scenario.path.parent)
    wrong = changes_problems(scenario.changes, scenario.path.name)
    raw = read_model_dict(path)
    products = raw.get("products")
    known = products if isinstance(products, dict) else {}
    unknown = wrong + _change_problems(scenario, known)
    # a change with a wrong value and unknown product codes are left out so that the rest is still
    # validated: every problem of the scenario in one pass (user tests of issue 16: three problems took
    # three runs to find; a staff_scale out of range hid the rest)
    bad = {(p.column or "").split(".")[1] for p in wrong if (p.column or "").startswith("changes.")}
    if wrong and not bad:
        raise InputError(wrong)
    changes = {key: ({code: v for code, v in value.items() if code in known}
                     if key in ("products", "demand_scale") and isinstance(value, dict) else value)
               for key, value in scenario.changes.items() if key not in bad}
    touched = any(k in changes for k in ("products", "transport", "cost", "weeks_per_year", "tariff_index"))
    origin = f"{path.name} (met [changes] van {scenario.path.name})" if touched else path.name
    try:
        model = build_model(apply_model_changes(raw, changes), origin)
    except InputError as err:
        raise InputError(unknown + err.problems) from None
    if unknown:
        raise InputError(unknown)
    return model


def _bounds_after_changes(data: ProviderData, origin: str) -> list[Problem]:
    """The written sheets' bounds applied to changed data (a what-if is validated like input)."""
    out = []
    for s in data.staff:
        if not 0 <= s.dagdelen_per_week <= 14:
            out.append(Problem(f"staff (na wijzigingen van {origin})",
                               f"{s.id}: contract {s.dagdelen_per_week} dagdelen ligt buiten 0 tot 14; "
                               "kies een kleinere staff_scale", column="dagdelen_per_week"))
    if len(data.children) > MAX_CHILDREN:
        out.append(Problem(origin, f"{len(data.children):,} jeugdigen na demand_scale, meer dan {MAX_CHILDREN:,}; "
                           "kies een kleinere factor", column="changes.demand_scale"))
    return out


def load_inputs(scenario: Scenario) -> tuple[RegionModel, ProviderData]:
    """The model and data with the scenario's changes applied, validated like written input.

    (RegionModel, ProviderData) as `load_model_of` and `data.read_data` give them, after
    `apply_data_changes`; the data's bounds are checked again after a change. Raises InputError, one
    Problem per wrong key, sheet, row or column (a scenario without `data` names the missing key)."""
    if scenario.data_path is None:
        load_model_of(scenario)
        raise InputError([Problem(scenario.path.name, "verplichte sleutel ontbreekt (werkmap of map met CSV's)",
                                  column="data")])
    try:
        model = load_model_of(scenario)
    except InputError as err:  # the data still checked, against the model without the changes: all in one pass
        problems = list(err.problems)
        try:
            base = build_model(read_model_dict(model_path(scenario.model_ref, scenario.path.parent)),
                               scenario.model_ref)
        except InputError:  # the model itself is wrong: its problems are already there
            raise InputError(problems) from None
        try:
            read_data(scenario.data_path, base, scenario.peildatum, scenario.postcodes)
        except InputError as more:
            problems += [p for p in more.problems if p not in problems]
        raise InputError(problems) from None
    data = read_data(scenario.data_path, model, scenario.peildatum, scenario.postcodes)
    if any(k in scenario.changes for k in ("demand_scale", "staff_scale")):
        data = apply_data_changes(data, scenario.changes)
        problems = _bounds_after_changes(data, scenario.path.name)
        if problems:
            raise InputError(problems)
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
