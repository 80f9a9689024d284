"""`planner compare --capacity`: capacity plans of several scenarios (or a sweep of one) side by side.

Every scenario (base, files, each combination of `--vary`) is read and validated as `planner capacity`
reads it (demand, starting point, [capacity] settings, group types) before anything is solved; a
sweep combination equal to the base is the base, and scenarios with equal inputs share one solve.
Each solve is a `CapacityJob` of plain data, run by `run_capacity_job` in a local process pool or on
a Dask cluster (compare.pool: same function, same data; SCIP single-threaded, so the same plan unless
a solve stops at its time limit). The driver re-checks every plan with the independent checker
(capacity/check.py) and turns it into `Outcome` figures (driver.METRICS, keys `cap_*`), written by
report/compare_xlsx.py like any comparison: the margin of the costs is the sum of both plans'
(objective − bound), the demand figures are exact.

`--vary` takes the change keys of `planner compare` (`inflow_scale.dagbehandeling=1.0,1.2`,
`duration_scale.dagbesteding=0.75`, `products.41A00-1.children_per_staff=3`) and also keys of the
scenario's [capacity] and [forecast] tables (`capacity.waiting_price=10,50`, `forecast.inflow.ZO-2=0.4,0.8`).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from planner.app.capacity.check import check_capacity, fits
from planner.app.capacity.demand import Demand
from planner.app.capacity.model import CapacityPlan, CapacitySettings, GroupType, Start, solve_capacity
from planner.app.capacity.run import inputs
from planner.app.compare.driver import SAME_CHANGES, nested_change, numbered, parse_vary, read_others, vary_value
from planner.app.compare.outcome import Outcome
from planner.app.compare.pool import map_dask, map_local
from planner.core.gap import relative_gap
from planner.inputs.catalogue import LEVELS, RegionModel
from planner.inputs.errors import InputError, Problem
from planner.inputs.scenario import Scenario, load_scenario, merge_tables
from planner.report.capacity_xlsx import waiting_children
from planner.report.outdir import scenario_inputs

TABLES = ("capacity", "forecast")  # --vary keys that change a scenario's own tables, not its [changes]


@dataclass(frozen=True)
class CapacityJob:
    """One capacity solve: what `planner capacity` solves, as plain data."""

    group: int
    model: RegionModel
    demand: Demand
    start: Start
    settings: CapacitySettings
    types: list[GroupType]


@dataclass(frozen=True)
class CapacitySolved:
    group: int
    plan: CapacityPlan | None = None
    error: str = ""


@dataclass(frozen=True)
class CapacityTask:
    name: str
    description: str
    job: CapacityJob


def run_capacity_job(job: CapacityJob) -> CapacitySolved:
    """Solve one capacity plan on a worker and check it (capacity/check.py). Never raises: an error or
    a broken rule comes back as `error` (Dutch)."""
    try:
        plan = solve_capacity(job.model, job.demand, job.start, job.settings, job.types)
    except Exception as exc:  # a failing scenario is reported, the others go on
        return CapacitySolved(job.group, error=traceback.format_exception_only(type(exc), exc)[-1].strip())
    broken = check_capacity(job.model, plan)
    if broken:
        return CapacitySolved(job.group, error="controle: " + "; ".join(broken[:3]))
    return CapacitySolved(job.group, plan)


def _failed(job: CapacityJob, message: str) -> CapacitySolved:
    return CapacitySolved(job.group, error=message)


def job_key(job: CapacityJob) -> str:
    """A digest of everything the capacity model reads: equal keys give the same plan."""
    d = job.demand
    arrays = b"".join(np.ascontiguousarray(a, dtype=float).tobytes()
                      for a in (d.p50, d.p90, d.expected, d.inflow, d.volume, d.stays))
    text = repr((job.model.model_dump(mode="json"), d.months, d.products, job.start, job.settings, job.types))
    return hashlib.sha256(text.encode("utf-8") + arrays).hexdigest()


def split_vary(items: list[str]) -> tuple[list[tuple[str, list[Any]]], list[tuple[str, list[Any]]]]:
    """(change keys as parse_vary reads them, [capacity]/[forecast] keys); InputError for bad items."""
    own, changes, problems = [], [], []
    for item in items:
        key, sep, values = item.partition("=")
        if key.strip().split(".")[0] not in TABLES:
            changes.append(item)
        elif not sep or key.strip().count(".") < 1 or not values.strip():
            problems.append(Problem("--vary", f"'{item}': verwacht sleutel=waarde1,waarde2"))
        else:
            own.append((key.strip(), [vary_value(v) for v in values.split(",") if v.strip()]))
    try:
        parsed = parse_vary(changes) if changes else []
    except InputError as exc:
        problems += exc.problems
        parsed = []
    if problems:
        raise InputError(problems)
    return parsed, own


def capacity_sweep(base: Scenario, vary: list[tuple[str, list[Any]]]) -> list[tuple[Scenario, str]]:
    """The cartesian product of the --vary values, each a scenario named after its changes."""
    out = []
    for combo in itertools.product(*(values for _, values in vary)):
        sc, words = base, []
        for (key, _), value in zip(vary, combo, strict=True):
            table, _, rest = key.partition(".")
            if table == "capacity":
                sc = replace(sc, capacity=merge_tables(sc.capacity, nested_change(rest, value)))
            elif table == "forecast":
                sc = replace(sc, forecast=merge_tables(sc.forecast, nested_change(rest, value)))
            else:
                sc = replace(sc, changes=merge_tables(sc.changes, nested_change(key, value)))
            words.append(f"{key.removeprefix('products.')}={value}")
        name = ", ".join(words)
        out.append((replace(sc, name=name), name))
    return out


def capacity_tasks(paths: list[Any], vary: list[str], months: int | None = None, start: str | None = None,
                   time_limit: float | None = None) -> tuple[str, list[CapacityTask | Outcome]]:
    """The base's name and the scenarios to compare (files, then the sweep of the first) as tasks with
    their solve groups. Raises InputError with every problem found, before any solve."""
    base = load_scenario(paths[0])
    others, problems = read_others(base, paths[1:])
    entries: list[tuple[Scenario, str, bool]] = [(base, "basis", False)]
    for other, words in others:
        words += [f"{t}: eigen tabel" for t in TABLES if getattr(other, t) != getattr(base, t)]
        entries.append((other, ", ".join(words) or SAME_CHANGES, False))
    changes, own = split_vary(vary)
    entries += [(sc, name, True) for sc, name in capacity_sweep(base, changes + own)] if vary else []
    items: list[CapacityTask | Outcome] = []
    keys: dict[str, int] = {}
    seen: dict[str, int] = {}
    for sc, description, swept in entries:
        name = numbered(sc.name, seen)
        if time_limit is not None:
            sc = replace(sc, capacity={**sc.capacity, "time_limit_s": time_limit})
        try:
            model, dem, first, settings, types, _ = inputs(sc, months, start)
        except InputError as exc:
            problems += [replace(p, sheet=f"--vary {name}: {p.sheet}") if swept else p for p in exc.problems]
            continue
        job = CapacityJob(-1, model, dem, first, settings, types)
        key = job_key(job)
        if swept and items and key in keys and keys[key] == 0:
            continue  # the base itself: no phantom variant
        items.append(CapacityTask(name, description, replace(job, group=keys.setdefault(key, len(keys)))))
    if problems:
        raise InputError(list({str(p): p for p in problems}.values()))
    return base.name, items


def run_capacity_comparison(items: list[CapacityTask | Outcome], cluster: str | None = None,
                            done: Callable[[CapacitySolved], None] | None = None,
                            parallel: int | None = None) -> list[Outcome]:
    """One solve per group (locally, one per core, or on the Dask cluster), then an outcome per task."""
    tasks = [t for t in items if isinstance(t, CapacityTask)]
    jobs: list[CapacityJob] = []
    for t in tasks:
        if all(j.group != t.job.group for j in jobs):
            jobs.append(t.job)
    if cluster:
        solved = map_dask(run_capacity_job, jobs, cluster, _failed, done)
    else:
        solved = map_local(run_capacity_job, jobs, parallel or os.cpu_count() or 1, _failed, done)
    by_group = {s.group: s for s in solved}
    first: dict[int, str] = {}
    for t in tasks:
        first.setdefault(t.job.group, t.name)
    return [capacity_outcome(it, by_group[it.job.group], first[it.job.group]) if isinstance(it, CapacityTask)
            else it for it in items]


def capacity_outcome(task: CapacityTask, solved: CapacitySolved, source: str) -> Outcome:
    """The task's figures from its group's plan, re-checked under its own model. Never raises."""
    if solved.plan is None:
        return Outcome(task.name, task.description, status="FOUT", error=solved.error or "geen plan",
                       group=task.job.group)
    broken = check_capacity(task.job.model, solved.plan)
    if broken:
        return Outcome(task.name, task.description, status="FOUT", error="controle: " + "; ".join(broken[:3]),
                       group=task.job.group)
    plan = solved.plan
    notes: tuple[str, ...] = ()
    if source != task.name:
        notes += (f"gelijk aan '{source}': één berekening, dezelfde cijfers",)
    if plan.status != "optimaal":
        notes += (f"gestopt op de rekentijd ({plan.settings.time_limit_s:g} s): zie gap en marge",)
    return Outcome(task.name, task.description, capacity_figures(plan), plan.status, group=task.job.group,
                   roster_of=source, cost_margin=round(max(0.0, plan.objective - plan.bound), 2), notes=notes)


def capacity_figures(plan: CapacityPlan) -> dict[str, float]:
    """driver.METRICS keys `cap_*` (EUR over the horizon, FTE, children, child-dagdelen per week), and gap."""
    d, cost = plan.demand, plan.cost
    kids = waiting_children(plan).sum(axis=1)
    serv = d.quantile(plan.settings.service_quantile)
    out = {
        "cap_demand_p50": float(d.p50.sum(axis=1).mean()), "cap_demand_p90": float(d.p90.sum(axis=1).max()),
        "cap_cost_staff": float(cost["personeel"].sum()), "cap_cost_agency": float(cost["inhuur"].sum()),
        "cap_cost_hiring": float(cost["werving"].sum()), "cap_cost_groups": float(cost["groepen"].sum()),
        "cap_cost_total": plan.total_cost(False), "cap_cost_waiting": float(cost["wachten"].sum()),
        "cap_objective": plan.objective,
        **{f"cap_hired_{lv}": float(plan.hired[:, li].sum()) for li, lv in enumerate(LEVELS)},
        "cap_hired_total": float(plan.hired.sum()),
        **{f"cap_peak_fte_{lv}": float(plan.fte[:, li].max()) for li, lv in enumerate(LEVELS)},
        "cap_peak_agency": float(plan.agency.sum(axis=1).max()),
        "cap_groups_peak": float(plan.groups.sum(axis=1).max()), "cap_groups_opened": float(plan.opened.sum()),
        "cap_waiting_mean": float(kids.mean()), "cap_waiting_peak": float(kids.max()),
        "cap_waiting_dagdelen": float(plan.waiting.sum()),
        # months in which all service-quantile demand fits the places (Hall's condition, as the checker)
        "cap_service_months": float(sum(fits(serv[t], plan, t) for t in range(len(d.months)))),
        "gap": relative_gap(plan.objective, min(plan.bound, plan.objective)),  # a bound past the cost: 0
    }
    return {k: round(v, 6) for k, v in out.items()}


def scenario_files(paths: list[Path]) -> list[Path]:
    """The input files of the scenarios (for report_dir: the report may not hold them)."""
    out: list[Path] = []
    for path in paths:
        try:
            out += scenario_inputs(load_scenario(path))
        except InputError:
            out.append(path)
    return out
