"""Monte Carlo benchmark: 10,000 runs x 36 months x 20 municipalities x 15 products.

Run: .venv/bin/python benchmarks/forecast_bench.py   (prints one line; add it to BENCHMARKS.md)
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import time

from planner.app.forecast.model import Allocation, ForecastSettings, municipal_forecast
from planner.inputs.catalogue import build_model, model_path, read_model_dict


def model_with_15_products():
    raw = read_model_dict(model_path("holland-rijnland-2025"))
    products = raw["products"]
    extra = 15 - len(products)
    template = products["41A03-1"]
    for i in range(extra):
        products[f"EXTRA-{i}"] = dict(template, name=f"Extra {i}")
    return build_model(raw, "bench")


def main() -> None:
    model = model_with_15_products()
    rng = random.Random(1)
    codes = list(model.products)
    allocations = [Allocation(f"Gemeente {m:02d}", rng.choice(codes), rng.choice([2, 4, 6]), 16, 2,
                              dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 500)), None)
                   for m in range(20) for _ in range(15)]
    settings = ForecastSettings(start=dt.date(2026, 1, 1), months=36, runs=10_000, seed=0,
                                inflow={c: 1.0 for c in codes})
    start = time.perf_counter()
    fc = municipal_forecast(model, allocations, settings)
    seconds = time.perf_counter() - start
    cells = fc.p50.size
    print(f"{settings.runs} runs x {settings.months} months x {len(fc.municipalities)} municipalities x "
          f"{len(fc.products)} products ({cells} cells): {seconds:.2f} s on {os.cpu_count()} cores, "
          f"{platform.processor() or platform.machine()}, numpy threads default")


if __name__ == "__main__":
    main()
