"""Wall time of `planner capacity`'s solve (demand, MIP, checker; trade-off curve apart) for 12 and
36 months on the example and on the regional scenario. Run: .venv/bin/python benchmarks/capacity_bench.py"""

from __future__ import annotations

import time
from pathlib import Path

from planner.app.capacity.check import check_capacity
from planner.app.capacity.model import solve_capacity, trade_off
from planner.app.capacity.run import inputs
from planner.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    print("| scenario | months | demand s | solve + check s | status | gap | curve (7 prices) s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in ("voorbeeld/capaciteit.toml", "gemeenten/capaciteit.toml"):
        for months in (12, 36):
            t0 = time.perf_counter()
            model, dem, start, settings, types, _ = inputs(load_scenario(ROOT / "scenarios" / name), months=months)
            t1 = time.perf_counter()
            plan = solve_capacity(model, dem, start, settings, types)
            assert check_capacity(model, plan) == []
            t2 = time.perf_counter()
            trade_off(model, dem, start, settings, types)
            t3 = time.perf_counter()
            gap = (plan.objective - plan.bound) / max(abs(plan.objective), 1e-9)
            print(f"| {name} | {months} | {t1 - t0:.1f} | {t2 - t1:.1f} | {plan.status} | {gap:.2%} | {t3 - t2:.1f} |",
                  flush=True)


if __name__ == "__main__":
    main()
