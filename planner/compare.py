"""`planner compare`: plan several scenarios (or a sweep of one) and set their figures side by side.

The driver reads every scenario (model with its changes, the workbook) and sends each as a `Task`
of plain data to a worker: a local process pool sized to the machine, or a Dask cluster. The worker
builds the CP-SAT model, solves, checks and returns `Outcome`: figures as plain numbers. A scenario
that fails (bad input, a solver error, a checker violation) comes back as an outcome with an error
and does not stop the others.
"""

from __future__ import annotations

import itertools
import os
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from planner.catalogue import LEVELS, RegionModel
from planner.data import ProviderData
from planner.errors import InputError, Problem
from planner.scenario import CHANGE_KEYS, Scenario, SolveSettings, _merge, load_inputs

SCHEDULER_ENV = "PLANNER_DASK_SCHEDULER"


@dataclass(frozen=True)
class Task:
    """One scenario to plan, as data: sent to the worker, which builds the model there."""

    name: str
    description: str  # what differs from the base, in words
    model: RegionModel
    data: ProviderData | None  # None: a municipal scenario, forecast only
    settings: SolveSettings
    forecast: Any = None  # ForecastSettings for the next 12 months
    allocations: tuple = ()  # the municipalities' allocations, when the scenario names them


@dataclass(frozen=True)
class Outcome:
    """What comes back: figures by metric key (see METRICS), or the error that stopped the scenario."""

    name: str
    description: str
    figures: dict[str, float] = field(default_factory=dict)
    status: str = ""
    error: str = ""
    tariffs: dict[str, tuple[float, float]] = field(default_factory=dict)  # product -> (contracted, cost based)


# metric key -> (Dutch label, unit); the order is the order of the comparison sheet
METRICS: dict[str, tuple[str, str]] = {
    "cost_staff": ("Kosten personeel per jaar", "EUR"),
    "cost_vacancies": ("Kosten vacatures per jaar", "EUR"),
    "cost_specialists": ("Kosten specialistische uren per jaar", "EUR"),
    "cost_transport": ("Kosten vervoer per jaar", "EUR"),
    "cost_groups": ("Kosten extra groepen per jaar", "EUR"),
    "cost_total": ("Kosten totaal per jaar", "EUR"),
    "revenue": ("Opbrengst per jaar", "EUR"),
    "margin": ("Marge per jaar", "EUR"),
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
    "gap": ("Afstand tot ondergrens (gap)", "%"),
}


def parse_vary(items: Iterable[str]) -> list[tuple[str, list[Any]]]:
    """`key.path=v1,v2` -> (key.path, [v1, v2]); the first part must be a scenario change key."""
    out, problems = [], []
    for item in items:
        key, sep, values = item.partition("=")
        key = key.strip()
        if not sep or not key or not values.strip():
            problems.append(Problem("--vary", f"'{item}': verwacht sleutel=waarde1,waarde2"))
            continue
        if key.split(".")[0] not in CHANGE_KEYS:
            problems.append(Problem("--vary", f"'{key}': onbekende sleutel; kies uit {', '.join(sorted(CHANGE_KEYS))}"))
            continue
        out.append((key, [_value(v) for v in values.split(",") if v.strip()]))
    if problems:
        raise InputError(problems)
    return out


def _value(text: str) -> Any:
    text = text.strip()
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            continue
    return {"ja": True, "nee": False, "true": True, "false": False}.get(text.lower(), text)


def _nested(path: str, value: Any) -> dict[str, Any]:
    parts = path.split(".")
    out: dict[str, Any] = {parts[-1]: value}
    for part in reversed(parts[:-1]):
        out = {part: out}
    return out


def sweep(base: Scenario, vary: list[tuple[str, list[Any]]]) -> list[tuple[Scenario, str]]:
    """The cartesian product of the --vary values, each a scenario named after its changes."""
    out = []
    for combo in itertools.product(*(values for _, values in vary)):
        changes = dict(base.changes)
        words = []
        for (key, _), value in zip(vary, combo, strict=True):
            changes = _merge(changes, _nested(key, value))
            words.append(f"{key.removeprefix('products.')}={value}")
        name = ", ".join(words)
        out.append((replace(base, name=name, changes=changes), name))
    return out


def pool_size(tasks: int, cores: int | None = None) -> tuple[int, int]:
    """(parallel solves, CP-SAT workers per solve) so that together they use the cores, not more."""
    cores = cores or os.cpu_count() or 1
    jobs = max(1, min(tasks, cores))
    return jobs, max(1, cores // jobs)


def make_task(scenario: Scenario, description: str, settings: SolveSettings) -> Task:
    from planner.forecast import read_allocations
    from planner.scenario import forecast_settings, load_model_of

    if scenario.data_path is None:  # a municipal scenario: allocations only, no provider roster
        model, data = load_model_of(scenario), None
    else:
        model, data = load_inputs(scenario)
    fs = replace(forecast_settings(scenario, model), months=12)
    path = scenario.forecast.get("allocations")
    allocations = tuple(read_allocations(Path(path), model)) if path else ()
    return Task(scenario.name, description, model, data, settings, fs, allocations)


def run_task(task: Task) -> Outcome:
    """Plan one scenario and return its figures; runs on a worker. Never raises."""
    from planner.plan import make_plan_from

    if task.data is None:
        return _municipal_only(task)
    try:
        plan = make_plan_from(task.model, task.data, task.settings)
    except InputError as exc:
        return Outcome(task.name, task.description, status="FOUT", error="; ".join(str(p) for p in exc.problems))
    except Exception as exc:  # a failing scenario is reported, the others go on
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Outcome(task.name, task.description, status="FOUT", error=detail)
    if plan.violations:
        return Outcome(task.name, task.description, status="FOUT",
                       error="controle: " + "; ".join(str(v) for v in plan.violations[:3]))
    if not plan.result.roster.children and plan.result.status not in ("OPTIMAL", "FEASIBLE"):
        return Outcome(task.name, task.description, status=plan.result.status, error="geen rooster gevonden")
    found = figures(plan)
    if task.forecast is not None:
        found.update(_forecast(task, plan))
    return Outcome(task.name, task.description, found, plan.result.status, tariffs=_tariffs(plan.model))


def _forecast(task: Task, plan: Any) -> dict[str, float]:
    """The next 12 months: the provider's from the roster (calendar, holidays) and, when the scenario
    has allocations, the municipalities' expected spend and its P90 in month 12."""
    from planner.forecast import municipal_forecast, provider_forecast

    assert task.data is not None
    months = provider_forecast(task.model, task.data, list(plan.result.roster.children), plan.cost.total / 100,
                               task.forecast)
    out = {"forecast_cost_12m": round(sum(m.cost for m in months), 2),
           "forecast_revenue_12m": round(sum(m.revenue for m in months), 2)}
    if task.allocations:
        fc = municipal_forecast(task.model, list(task.allocations), task.forecast)
        out["municipal_12m"] = round(float(fc.expected_total.sum()), 2)
        out["municipal_12m_p90"] = round(float(fc.total_q[2][-1]), 2)
    return out


def _municipal_only(task: Task) -> Outcome:
    from planner.forecast import municipal_forecast

    if not task.allocations:
        return Outcome(task.name, task.description, status="FOUT",
                       error="het scenario heeft geen werkmap (data) en geen [forecast] allocations")
    try:
        fc = municipal_forecast(task.model, list(task.allocations), task.forecast)
    except Exception as exc:
        return Outcome(task.name, task.description, status="FOUT", error=f"{type(exc).__name__}: {exc}")
    found = {"municipal_12m": round(float(fc.expected_total.sum()), 2),
             "municipal_12m_p90": round(float(fc.total_q[2][-1]), 2)}
    return Outcome(task.name, task.description, found, "PROGNOSE", tariffs=_tariffs(task.model))


def figures(plan: Any) -> dict[str, float]:
    """The comparison's metrics for one plan, from the checked roster (not from the solver)."""
    from planner.costs import transport_days

    model, data, roster = plan.model, plan.data, plan.result.roster
    weeks = model.weeks_per_year
    c = plan.cost
    out: dict[str, float] = {
        "cost_staff": c.staff * weeks / 100, "cost_vacancies": c.vacancies * weeks / 100,
        "cost_specialists": c.specialists * weeks / 100, "cost_transport": c.transport * weeks / 100,
        "cost_groups": c.groups * weeks / 100, "cost_total": c.total * weeks / 100,
    }
    # revenue exactly, in decimals: a 5 % higher tariff gives exactly 5 % more, to the cent
    tariff = {c.id: Decimal(str(model.products[c.product].tariff)) for c in data.children}
    revenue = sum((tariff[child] for child, _, _ in roster.children), Decimal(0)) * weeks
    out["revenue"] = float(revenue)
    out["margin"] = float(revenue - Decimal(c.total * weeks) / 100)
    level_of = {s.id: s.education for s in data.staff}
    per_fte = model.dagdelen_per_fte
    for lv in LEVELS:
        out[f"fte_{lv}"] = sum(1 for s, _, _ in roster.staff if level_of[s] == lv) / per_fte
        out[f"vacancy_fte_{lv}"] = sum(1 for _, v, _, _ in roster.vacancies if v == lv) / per_fte
    out["fte_total"] = len(roster.staff) / per_fte
    out["vacancy_fte_total"] = len(roster.vacancies) / per_fte
    placed_children = {ch for ch, _, _ in roster.children}
    out["children"] = len(data.children)
    out["children_placed"] = len(placed_children)
    out["children_waiting"] = len(plan.waitlist)
    out["dagdelen_requested"] = plan.requested
    out["dagdelen_placed"] = plan.placed
    out["dagdelen_waiting"] = plan.requested - plan.placed
    days = transport_days(model, data, roster)
    out["transport_km"] = sum(2 * trip.km for *_, trip in days)
    for band in range(1, 7):
        out[f"transport_band_{band}"] = sum(trip.cost_per_day for *_, trip in days if trip.band == band) * weeks / 100
    out["utilisation"] = _utilisation(plan)
    out["gap"] = plan.result.gap
    return {k: round(v, 6) for k, v in out.items()}


def _utilisation(plan: Any) -> float:
    """Child-dagdelen placed over the seats of the group-dagdelen that run (room and product maxima)."""
    seats = 0
    groups = {g.id: g for g in plan.data.groups}
    kids: dict[tuple[str, str], list[str]] = {}
    for child, g, d in plan.result.roster.children:
        kids.setdefault((g, d), []).append(child)
    product_of = {c.id: c.product for c in plan.data.children}
    for (g, _), members in kids.items():
        limit = min(plan.model.products[product_of[m]].group_max for m in members)
        seats += min(groups[g].capacity, limit)
    return len(plan.result.roster.children) / seats if seats else 0.0


def _tariffs(model: RegionModel) -> dict[str, tuple[float, float]]:
    if model.cost_model is None:
        return {}
    from planner.costs import cost_based_tariffs

    return {r.product: (round(r.contracted, 2), round(r.cost_based, 2)) for r in cost_based_tariffs(model)}


def run_local(tasks: list[Task], jobs: int, done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Each task in its own process (spawned: no solver state shared), `jobs` at a time."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    if jobs <= 1 or len(tasks) <= 1:
        results = []
        for task in tasks:
            results.append(run_task(task))
            if done:
                done(results[-1])
        return results
    outcomes: dict[int, Outcome] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(run_task, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                outcomes[i] = future.result()
            except Exception as exc:  # a worker process died
                outcomes[i] = Outcome(tasks[i].name, tasks[i].description, status="FOUT", error=f"proces: {exc}")
            if done:
                done(outcomes[i])
    return [outcomes[i] for i in range(len(tasks))]


def run_dask(tasks: list[Task], address: str, done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """The same tasks on a Dask distributed cluster (`pip install planner[dask]`)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError([Problem("--cluster", "Dask ontbreekt: installeer met pip install 'planner[dask]'")]) from None
    try:
        client = Client(address, timeout="20s")
    except OSError as exc:
        raise InputError([Problem("--cluster", f"geen Dask-scheduler op {address}: {exc}")]) from None
    with client:
        futures = client.map(run_task, tasks, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        outcomes: dict[int, Outcome] = {}
        for future in as_completed(futures):
            i = index[future.key]
            try:
                outcomes[i] = future.result()
            except Exception as exc:  # the task itself never raises; a lost worker might
                outcomes[i] = Outcome(tasks[i].name, tasks[i].description, status="FOUT", error=f"cluster: {exc}")
            if done:
                done(outcomes[i])
    return [outcomes[i] for i in range(len(tasks))]


def differences(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Long rows for compare.csv: each metric of each scenario with the base (the first) and the difference."""
    base = outcomes[0].figures if outcomes and not outcomes[0].error else {}
    rows = []
    for o in outcomes:
        for key, (label, unit) in METRICS.items():
            if key not in o.figures:
                continue
            value, ref = o.figures[key], base.get(key)
            diff = None if ref is None else round(value - ref, 6)
            pct = None if ref in (None, 0) or diff is None else round(diff / abs(ref), 6)
            rows.append({"scenario": o.name, "metric": key, "label": label, "unit": unit, "value": value,
                         "base": ref, "difference": diff, "difference_pct": pct})
    return rows


def _describe(changes: dict[str, Any], prefix: str = "") -> list[str]:
    words = []
    for key, value in changes.items():
        if isinstance(value, dict):
            words += _describe(value, f"{prefix}{key}.")
        else:
            words.append(f"{prefix}{key}={value}".removeprefix("products."))
    return words


def plan_tasks(paths: list[Any], vary: list[str], time_limit: float | None = None, workers: int | None = None,
               seed: int | None = None, cores: int | None = None) -> tuple[str, list[Task | Outcome], int]:
    """The scenarios to compare (files, then the sweep of the first), as tasks; a scenario that cannot be
    read becomes a failed outcome in its place. Returns (title, items, parallel solves)."""
    from planner.scenario import load_scenario

    base = load_scenario(paths[0])  # without a readable base there is nothing to compare against
    entries: list[tuple[Scenario | None, str, str, str]] = [(base, base.name, "basis", "")]
    for path in paths[1:]:
        try:
            other = load_scenario(path)
            extra = {k: v for k, v in other.changes.items() if base.changes.get(k) != v}
            entries.append((other, other.name, ", ".join(_describe(extra)) or "zelfde wijzigingen als de basis", ""))
        except InputError as exc:
            entries.append((None, str(path), "", "; ".join(str(p) for p in exc.problems)))
    varied = parse_vary(vary) if vary else []
    products = [key.split(".")[1] for key, _ in varied if key.startswith("products.") and key.count(".") >= 2]
    if products:
        from planner.scenario import load_model_of

        known = load_model_of(base).products
        unknown = [code for code in products if code not in known]
        if unknown:
            raise InputError([Problem("--vary", f"onbekend product '{code}' (het model kent "
                                                f"{', '.join(sorted(known))})") for code in unknown])
    for variant, name in sweep(base, varied):
        entries.append((variant, name, name, ""))
    seen: dict[str, int] = {}
    jobs, per_solve = pool_size(len(entries), cores)
    items: list[Task | Outcome] = []
    for sc, name, description, error in entries:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} ({seen[name]})"
        if sc is None:
            items.append(Outcome(name, description, status="FOUT", error=error))
            continue
        overrides: dict[str, Any] = {k: v for k, v in (("time_limit_s", time_limit), ("seed", seed)) if v is not None}
        settings = replace(sc.solve, workers=workers or per_solve, **overrides)
        try:
            items.append(make_task(replace(sc, name=name), description, settings))
        except InputError as exc:
            items.append(Outcome(name, description, status="FOUT", error="; ".join(str(p) for p in exc.problems)))
    return base.name, items, jobs


def run_items(items: list[Task | Outcome], jobs: int, cluster: str | None = None,
              done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Run the tasks (locally or on the cluster) and put the outcomes back in order."""
    tasks = [it for it in items if isinstance(it, Task)]
    for it in items:
        if isinstance(it, Outcome) and done:
            done(it)
    ran = run_dask(tasks, cluster, done) if cluster else run_local(tasks, jobs, done)
    by_name = {o.name: o for o in ran}
    return [by_name[it.name] if isinstance(it, Task) else it for it in items]
