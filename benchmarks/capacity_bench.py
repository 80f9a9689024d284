"""Wall time of `planner capacity` for 12 and 36 months: the example, the municipal scenario and the
region-sized instance (benchmarks/generate.py size XL: 1,500 children, 25 locations).

    PYTHONPATH=. .venv/bin/python -m benchmarks.capacity_bench [--only voorbeeld,gemeenten,region] [--months 12,36]
        [--profile]

Per run: demand (case list, inflow kernel, Monte Carlo), solve + the independent checker (the MIP,
stops at the scenario's gap or `time_limit_s`), the gap, and the trade-off curve (one solve per
waiting price). The region-sized scenario is generated into benchmarks/instances/capacity-XL-1/
(not committed): the XL provider's groups and staff, inflow per product such that its children are
replaced at their mean stay (children of a product / mean stay in months, + 10 %: a growing region),
a waiting list of 2 % of its children, and the example's [capacity] costs.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from pathlib import Path

from benchmarks.generate import generate
from planner.app.capacity.check import check_capacity
from planner.app.capacity.model import solve_capacity, trade_off
from planner.app.capacity.run import inputs
from planner.inputs.catalogue import load_model
from planner.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
REGION = ROOT / "benchmarks" / "instances" / "capacity-XL-1"


def region_scenario(folder: Path = REGION) -> Path:
    """Generate the XL instance (seed 1) and a capacity scenario over it; returns the scenario path."""
    base = generate("XL", 1, folder)
    model = load_model("holland-rijnland-2025")
    with (folder / "data" / "children.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    count = Counter(r["product"] for r in rows)
    volume = {code: sum(float(r["dagdelen_per_week"]) for r in rows if r["product"] == code) / n
              for code, n in count.items()}
    inflow = {code: round(1.1 * n / (model.products[code].mean_stay_months or 12), 2) for code, n in count.items()}
    waitlist = {code: max(1, round(0.02 * n)) for code, n in count.items()}

    def table(values: dict[str, float]) -> str:
        return "{ " + ", ".join(f'"{k}" = {v}' for k, v in sorted(values.items())) + " }"

    path = folder / "capaciteit.toml"
    path.write_text(
        f'extends = "{base.name}"\nname = "capaciteit-XL-1"\n'
        "[forecast]\nruns = 1000\nseed = 0\ninflow_dispersion = 1.0\n"
        f"inflow = {table(inflow)}\ninflow_volume = {table({k: round(v, 2) for k, v in volume.items()})}\n"
        "[capacity]\nstart = 2026-01-01\nwaiting_price = 25.0\n"
        "waiting_prices = [0.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0]\n"
        'plan_quantile = "P90"\nservice_quantile = "P90"\nservice_level = 0.95\nlead_months = 2\n'
        "hire_cost = 4000.0\nrelease_share = 0.03\nagency_factor = 1.6\nopening_cost = 5000.0\n"
        "group_cost_per_week = 300.0\nmin_run_months = 6\n"
        f"waitlist = {table(waitlist)}\ntime_limit_s = 60\n", encoding="utf-8")
    return path


def measure(path: Path, months: int) -> str:
    """One row of the table in BENCHMARKS.md."""
    t0, c0 = time.perf_counter(), time.process_time()
    model, dem, start, settings, types, data = inputs(load_scenario(path), months=months)
    t1, c1 = time.perf_counter(), time.process_time()
    plan = solve_capacity(model, dem, start, settings, types)
    broken = check_capacity(model, plan)
    t2, c2 = time.perf_counter(), time.process_time()
    curve = trade_off(model, dem, start, settings, types)
    t3, c3 = time.perf_counter(), time.process_time()
    gap = (plan.objective - plan.bound) / max(abs(plan.objective), 1e-9)
    size = f"{len(data.children)} children, " if data is not None else ""
    # wall seconds (CPU seconds of this process): SCIP's time limit is wall time, so on a loaded machine
    # the CPU it got before the limit is what decided the gap
    return (f"| {path.relative_to(ROOT)} ({size}{len(types)} group types) | {months} | {t1 - t0:.1f} ({c1 - c0:.1f}) | "
            f"{t2 - t1:.1f} ({c2 - c1:.1f}) | {settings.time_limit_s:g} | {plan.status} | {gap:.2%} | "
            f"{'none' if not broken else len(broken)} | {t3 - t2:.1f} ({c3 - c2:.1f}), {len(curve)} prices |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="voorbeeld,gemeenten,region", help="voorbeeld, gemeenten, region")
    parser.add_argument("--months", default="12,36")
    parser.add_argument("--profile", action="store_true", help="cProfile each run: the 15 costliest functions")
    args = parser.parse_args()
    names = args.only.split(",")
    paths = [ROOT / "scenarios" / name / "capaciteit.toml" for name in ("voorbeeld", "gemeenten") if name in names]
    if "region" in names:
        paths.append(region_scenario())
    print("| scenario | months | demand s (CPU) | solve + check s (CPU) | limit s | status | gap | checker | "
          "curve s (CPU) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for path in paths:
        for months in (int(m) for m in args.months.split(",")):
            if not args.profile:
                print(measure(path, months), flush=True)
                continue
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            row = profiler.runcall(measure, path, months)
            print(row, flush=True)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
