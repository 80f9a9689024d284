"""`planner compare`: plan several scenarios (or a sweep of one) and set their figures side by side.

The driver reads every scenario (model with its changes, the workbook) and groups them by what the
solver reads (compare_solve.solve_key): scenarios that differ only in prices share one solve, a
variant equal to the base is the base. Each group is solved once per seed, as a `SolveJob` of plain
data, in deterministic mode with the scenario's own time limit, seed and CP-SAT workers (those of
`planner plan`, unless --time-limit, --seed or --workers say otherwise): in a local process pool or
on a Dask cluster, which run the same function on the same data and so give the same rosters. The
driver then gives every scenario the best checked roster found (compare_figures.choose), prices it
with the scenario's own model and data, and judges each difference against the two rosters' gaps
(compare_explain). A scenario that fails (bad input, a solver error, a checker violation) is listed
with its error and does not stop the others.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from planner.app.compare.assemble import outcome_of
from planner.app.compare.outcome import Outcome, Task
from planner.app.compare.pool import run_dask, run_local
from planner.app.compare.solve import Solved, SolveJob, solve_key, with_seed
from planner.app.forecast.model import forecast_settings, read_allocations
from planner.inputs.errors import InputError, Problem
from planner.inputs.scenario import (
    CHANGE_KEYS,
    Scenario,
    SolveSettings,
    load_inputs,
    load_model_of,
    load_scenario,
    merge_tables,
)


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
        out.append((key, [vary_value(v) for v in values.split(",") if v.strip()]))
    if problems:
        raise InputError(problems)
    return out


def vary_value(text: str) -> Any:
    """A --vary value as TOML would read it: an integer, a number, ja/nee/true/false, else the text."""
    text = text.strip()
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            continue
    return {"ja": True, "nee": False, "true": True, "false": False}.get(text.lower(), text)


def nested_change(path: str, value: Any) -> dict[str, Any]:
    """`products.X.tariff`, 5 -> {"products": {"X": {"tariff": 5}}}: a dotted key as nested tables."""
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
            changes = merge_tables(changes, nested_change(key, value))
            words.append(f"{key.removeprefix('products.')}={value}")
        name = ", ".join(words)
        out.append((replace(base, name=name, changes=changes), name))
    return out


def describe_changes(changes: dict[str, Any], prefix: str = "") -> list[str]:
    """`key=value` per changed leaf of nested tables (the `products.` prefix left out), in table order."""
    words = []
    for key, value in changes.items():
        if isinstance(value, dict):
            words += describe_changes(value, f"{prefix}{key}.")
        else:
            words.append(f"{prefix}{key}={value}".removeprefix("products."))
    return words


def pool_size(workers: int, cores: int | None = None) -> int:
    """Solves at once on this machine: each solve keeps its CP-SAT workers (as `plan` has them), and
    together they use the cores, not more; at least one."""
    cores = cores or os.cpu_count() or 1
    return max(1, cores // max(1, workers))


def make_task(scenario: Scenario, description: str, settings: SolveSettings, notes: tuple[str, ...] = ()) -> Task:
    if scenario.data_path is None:  # a municipal scenario: allocations only, no provider roster
        model, data = load_model_of(scenario), None
    else:
        model, data = load_inputs(scenario)
    fs = replace(forecast_settings(scenario, model), months=12)
    path = scenario.forecast.get("allocations")
    allocations = tuple(read_allocations(Path(path), model)) if path else ()
    return Task(scenario.name, description, model, data, settings, fs, allocations, notes=notes)


@dataclass(frozen=True)
class Comparison:
    """What to compare: the base first, then the variants (tasks, or outcomes of unreadable scenarios)."""

    title: str
    items: list[Task | Outcome]
    seeds: int = 1
    jobs: int = 1  # solves at once on this machine

    def solve_jobs(self) -> list[SolveJob]:
        """One job per solve group and seed, in order: the first member of a group stands for it."""
        out: list[SolveJob] = []
        for task in self.tasks():
            if task.data is None or any(j.group == task.group for j in out):
                continue
            job = SolveJob(task.group, task.model, task.data, task.settings)
            out += [with_seed(job, task.settings.seed + i) for i in range(self.seeds)]
        return out

    def tasks(self) -> list[Task]:
        return [it for it in self.items if isinstance(it, Task)]


def _weaker(own: SolveSettings, used: SolveSettings) -> tuple[str, ...]:
    notes = []
    if used.time_limit_s < own.time_limit_s:
        notes.append(f"rekentijd {used.time_limit_s:g} s in plaats van {own.time_limit_s:g} s van plan: "
                     "het rooster kan duurder zijn dan dat van plan (zie gap)")
    if used.workers < own.workers:
        notes.append(f"{used.workers} CP-SAT-workers in plaats van {own.workers} van plan")
    return tuple(notes)


SAME_CHANGES = "zelfde wijzigingen als de basis"


def read_others(base: Scenario, paths: list[Any]) -> tuple[list[tuple[Scenario, list[str]]], list[Problem]]:
    """The scenarios compared with `base`, read and validated, each with its changes against the base in
    words (describe_changes), and the problems of the files that could not be read (those are left out)."""
    others: list[tuple[Scenario, list[str]]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            other = load_scenario(path)
        except InputError as exc:
            problems += exc.problems
            continue
        extra = {k: v for k, v in other.changes.items() if base.changes.get(k) != v}
        others.append((other, describe_changes(extra)))
    return others, problems


def numbered(name: str, seen: dict[str, int]) -> str:
    """`name` the first time, then 'name (2)', 'name (3)' …: every compared scenario its own row."""
    seen[name] = seen.get(name, 0) + 1
    return name if seen[name] == 1 else f"{name} ({seen[name]})"


def plan_tasks(paths: list[Any], vary: list[str], time_limit: float | None = None, workers: int | None = None,
               seed: int | None = None, cores: int | None = None, seeds: int = 1) -> Comparison:
    """The scenarios to compare (files, then the sweep of the first), as tasks grouped by solve.

    Every scenario (base, files, each sweep combination) is read and validated as `planner check` does,
    before anything is solved; a sweep combination equal to the base is the base (left out). Raises
    InputError with every problem found (one line each, repeats once) for a bad --vary, file or model."""
    if seeds < 1:
        raise InputError([Problem("--seeds", f"{seeds}: verwacht 1 of meer")])
    base = load_scenario(paths[0])  # without a readable base there is nothing to compare against
    others, problems = read_others(base, paths[1:])
    entries: list[tuple[Scenario, str, str, bool]] = [(base, base.name, "basis", False)]
    entries += [(other, other.name, ", ".join(words) or SAME_CHANGES, False) for other, words in others]
    varied = parse_vary(vary) if vary else []
    unknown: list[str] = []
    products = [key.split(".")[1] for key, _ in varied if key.startswith("products.") and key.count(".") >= 2]
    if products:

        known = load_model_of(base).products
        unknown = [code for code in products if code not in known]
        problems += [Problem("--vary", f"onbekend product '{code}' (het model kent {', '.join(sorted(known))})")
                     for code in unknown]
    if varied and not unknown:  # no --vary: no sweep (the product of nothing would be one nameless variant)
        entries += [(variant, name, name, True) for variant, name in sweep(base, varied)]
    seen: dict[str, int] = {}
    keys: dict[str, int] = {}
    items: list[Task | Outcome] = []
    for sc, name, description, swept in entries:
        name = numbered(name, seen)
        # repeatable: CP-SAT deterministic time, the scenario's seed and workers (as plan), whatever the machine
        overrides: dict[str, Any] = {k: v for k, v in (("time_limit_s", time_limit), ("seed", seed),
                                                       ("workers", workers)) if v is not None}
        settings = replace(sc.solve, deterministic=True, **overrides)
        try:
            task = make_task(replace(sc, name=name), description, settings, _weaker(sc.solve, settings))
        except InputError as exc:
            problems += [replace(p, sheet=f"--vary {name}: {p.sheet}") if swept else p for p in exc.problems]
            continue
        if swept and items and isinstance(items[0], Task) and same_scenario(task, items[0]):
            continue  # the base itself: no phantom variant
        if task.data is not None:
            task = replace(task, group=keys.setdefault(solve_key(task.model, task.data, settings), len(keys)))
        items.append(task)
    if problems:
        raise InputError(list({str(p): p for p in problems}.values()))
    per_solve = max((t.settings.workers for t in items if isinstance(t, Task) and t.data is not None), default=1)
    return Comparison(base.name, items, seeds, pool_size(per_solve, cores))


def same_scenario(a: Task, b: Task) -> bool:
    """Equal rules, prices, data, forecast and solve settings: one scenario under two names."""
    return (a.model.model_dump() == b.model.model_dump() and a.data == b.data and a.settings == b.settings
            and a.forecast == b.forecast and a.allocations == b.allocations)


def run_solves(jobs: list[SolveJob], parallel: int, cluster: str | None = None,
               done: Callable[[Solved], None] | None = None) -> list[Solved]:
    """Every solve job, locally (`parallel` processes) or on the Dask cluster; results in job order."""
    return run_dask(jobs, cluster, done) if cluster else run_local(jobs, parallel, done)


def run_comparison(comparison: Comparison, cluster: str | None = None,
                   done: Callable[[Solved], None] | None = None) -> list[Outcome]:
    """Solve every group, then give each scenario its roster and figures: outcomes in the order given."""
    solved = run_solves(comparison.solve_jobs(), comparison.jobs, cluster, done)
    return assemble(comparison, solved)


def assemble(comparison: Comparison, solved: list[Solved]) -> list[Outcome]:
    """Outcomes from the solves: pure and on the driver, so the pool and a cluster give the same file."""
    first_of: dict[int, Task] = {}
    for task in comparison.tasks():
        first_of.setdefault(task.group, task)
    return [outcome_of(it, solved, first_of) if isinstance(it, Task) else it for it in comparison.items]
