"""Realistic benchmark instances in the contract's format (a folder of CSVs + a scenario), seeded.

Children live around the provider's locations (some beyond max_km), products follow a
Holland Rijnland mix, a quarter has restricted availability, transport modes and wheelchairs
vary, a few pairs may not meet; staff have an education mix and part-time contracts; groups
are sized near demand.

    python -m benchmarks.generate M 1 benchmarks/instances/M-1
"""

from __future__ import annotations

import csv
import math
import random
import sys
from pathlib import Path

from planner.inputs.catalogue import load_model

SIZES = {"S": (60, 3), "M": (150, 5), "L": (400, 10), "XL": (1500, 25)}
MIX = {"41A00-1": 0.13, "41A00-2": 0.10, "41A00-3": 0.05, "41A03-1": 0.13, "41A03-2": 0.10, "41A03-3": 0.05,
       "ZO-1": 0.06, "ZO-2": 0.06, "DB-LICHT": 0.22, "DB-ZWAAR": 0.10}
FAMILIES = [("41A00-1", "41A00-2", "41A00-3"), ("41A03-1", "41A03-2", "41A03-3"), ("ZO-1",), ("ZO-2",),
            ("DB-LICHT",), ("DB-ZWAAR",)]
LEVELS = (("MBO3", 0.2), ("MBO4", 0.35), ("HBO", 0.4), ("WO", 0.05))
DAYS = ["ma", "di", "wo", "do", "vr"]
CENTRE = (52.16, 4.49)  # Leiden
KM_LAT, KM_LON = 1 / 111.0, 1 / 68.5


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def generate(size: str, seed: int, folder: Path, time_limit: float | None = None) -> Path:
    """Write folder/data/*.csv and folder/scenario.toml; returns the scenario path."""
    n_children, n_locations = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    model = load_model("holland-rijnland-2025")
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    spread_km = 6 + 3 * math.sqrt(n_locations)  # a region grows with its number of sites
    locations = []
    for i in range(n_locations):
        r, a = spread_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        locations.append((f"LOC{i + 1:02d}", CENTRE[0] + r * math.sin(a) * KM_LAT, CENTRE[1] + r * math.cos(a) * KM_LON,
                          rng.random() < 0.8))
    # children
    children = []
    demand: dict[tuple[int, str], int] = {}
    for c in range(n_children):
        product = rng.choices(list(MIX), list(MIX.values()))[0]
        home_loc = rng.randrange(n_locations)
        far = rng.random() < 0.04
        r = rng.uniform(31, 40) if far else abs(rng.gauss(0, 5))
        a = rng.uniform(0, 2 * math.pi)
        lat = locations[home_loc][1] + r / 1.3 * math.sin(a) * KM_LAT
        lon = locations[home_loc][2] + r / 1.3 * math.cos(a) * KM_LON
        p = model.products[product]
        low, high = max(p.ages[0], 4), min(p.ages[1], 17)
        indication = rng.randint(2, min(6, p.max_dagdelen_per_week))
        available = ""
        if product.startswith("ZO"):
            available = ", ".join(f"{d}-ochtend" for d in DAYS)
        elif rng.random() < 0.25:
            available = ", ".join(sorted(rng.sample(DAYS, 3), key=DAYS.index))
        transport = rng.choices(["eigen", "groep", "individueel"], [5, 4, 1])[0]
        wheelchair = "ja" if rng.random() < 0.05 else "nee"
        children.append([f"K{c + 1:04d}", "", "", rng.randint(low, high), "Gemeente", "", round(lat, 5), round(lon, 5),
                         product, indication, available, transport, wheelchair, "", "", "", ""])
        demand[(home_loc, product)] = demand.get((home_loc, product), 0) + indication
    for _ in range(max(1, n_children // 40)):  # a few pairs who may not meet
        a_, b_ = rng.sample(range(n_children), 2)
        children[a_][13] = children[b_][0]
    # groups sized near demand: per location and product family
    groups = []
    needed_staff = 0.0
    for li in range(n_locations):
        for family in FAMILIES:
            fam_demand = sum(demand.get((li, p), 0) for p in family)
            if not fam_demand:
                continue
            rule = model.products[family[0]]
            seats_per_group = min(rule.group_max, 8) * len(model.week())
            count = max(1, math.ceil(fam_demand * 1.15 / seats_per_group))
            for g in range(count):
                optional = g == count - 1 and count > 1 and rng.random() < 0.5
                groups.append([f"{locations[li][0]}-{family[0][:5]}-{g + 1}", locations[li][0], ", ".join(family),
                               min(rule.group_max, 8) + rng.choice([0, 0, 1]), "", "ja" if optional else "nee",
                               rng.choice([250, 350, 450]) if optional else 0])
            needed_staff += fam_demand / rule.children_per_staff * 1.4
    # staff: contracts, education mix, part-time, home location plus a neighbour
    staff = []
    total = 0
    while total < needed_staff * 1.15:
        level = rng.choices([lv for lv, _ in LEVELS], [w for _, w in LEVELS])[0]
        contract = rng.choice([4, 5, 6, 7, 8, 9, 9])
        li = rng.randrange(n_locations)
        allowed = {locations[li][0], locations[(li + 1) % n_locations][0]}
        available = ", ".join(sorted(rng.sample(DAYS, 4), key=DAYS.index)) if rng.random() < 0.3 else ""
        staff.append([f"M{len(staff) + 1:04d}", "", level, contract, available, ", ".join(sorted(allowed)), ""])
        total += contract
    _write(data / "locations.csv", ["location_id", "provider", "name", "postcode", "lat", "lon", "wheelchair_access"],
           [[loc[0], "Benchmark", loc[0], "", round(loc[1], 5), round(loc[2], 5), "ja" if loc[3] else "nee"]
            for loc in locations])
    _write(data / "groups.csv", ["group_id", "location_id", "products", "capacity", "open", "optional",
                                 "opening_cost_per_week"], groups)
    _write(data / "staff.csv", ["staff_id", "name", "education", "dagdelen_per_week", "available", "locations",
                                "hourly_cost"], staff)
    _write(data / "children.csv", ["child_id", "name", "birth_date", "age", "municipality", "postcode", "lat", "lon",
                                   "product", "dagdelen_per_week", "available", "transport", "wheelchair",
                                   "not_with", "location", "start_date", "end_date"], children)
    limit = time_limit or {"S": 20, "M": 30, "L": 60, "XL": 300}[size]
    scenario = folder / "scenario.toml"
    scenario.write_text(f'name = "bench-{size}-{seed}"\nmodel = "holland-rijnland-2025"\ndata = "data"\n'
                        f"[solve]\ntime_limit_s = {limit}\nseed = {seed}\nworkers = 2\n"
                        # the targets are wall seconds: measure with wall-clock limits, not deterministic time
                        "deterministic = false\n", encoding="utf-8")
    return scenario


if __name__ == "__main__":
    print(generate(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])))
