"""Writes toewijzingen/allocations.csv: fictitious current allocations in Holland Rijnland.

Deterministic (fixed seed). Run: .venv/bin/python scenarios/gemeenten/genereer.py
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
MUNICIPALITIES = {"Leiden": 30, "Katwijk": 14, "Leiderdorp": 6, "Oegstgeest": 5, "Noordwijk": 6,
                  "Alphen aan den Rijn": 22, "Voorschoten": 5, "Teylingen": 8}
PRODUCTS = {"41A00-1": 0.15, "41A00-2": 0.12, "41A00-3": 0.05, "41A03-1": 0.14, "41A03-2": 0.1,
            "41A03-3": 0.05, "ZO-1": 0.06, "ZO-2": 0.08, "DB-LICHT": 0.17, "DB-ZWAAR": 0.08}
DURATION = {"DB": 12, "ZO": 24, "41": 24}
MAX_PER_WEEK = {"ZO": 5, "DB": 8, "41": 10}  # the products' max_dagdelen_per_week (002 ZO lid 6, DB lid 13a)
TRANSPORT_SHARE = 0.4  # aanname: share of dagbehandeling allocations with 42A03 transport


def main() -> None:
    rng = random.Random(2026)
    transport_rng = random.Random(42)  # its own stream: the care allocations stay as they were
    rows = []
    for municipality, count in MUNICIPALITIES.items():
        for _ in range(count):
            product = rng.choices(list(PRODUCTS), list(PRODUCTS.values()))[0]
            months = DURATION[product[:2]]
            start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 540))
            end = start + dt.timedelta(days=int(months * 30.44))
            volume = min(rng.choice([2, 3, 4, 4, 5, 6, 8]), MAX_PER_WEEK[product[:2]])
            rows.append([municipality, product, volume, 16, 2, start.isoformat(), end.isoformat(), ""])
            # 42A03 only with dagbehandeling (model choice, 002:419): days a week, unit 82 (stuks), a category
            if product.startswith("41") and transport_rng.random() < TRANSPORT_SHARE:
                days, category = min(volume, 5), transport_rng.choice([1, 1, 2, 2, 3, 4])
                rows.append([municipality, "42A03", days, 82, 2, start.isoformat(), end.isoformat(), category])
    folder = HERE / "toewijzingen"
    folder.mkdir(exist_ok=True)
    with (folder / "allocations.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["municipality", "product", "volume", "unit", "frequency", "start_date", "end_date", "category"])
        w.writerows(sorted(rows, key=lambda r: (r[0], r[5])))
    print(f"{len(rows)} toewijzingen")


if __name__ == "__main__":
    main()
