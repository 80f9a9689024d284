"""Benchmark family b: instances with another structure than generate.py's, seeded, in the contract's format.

Written from the contract (shared/spec/contract.md, "Data") and models/midden-holland-2025.toml, not from
family a. What differs, and why it is hard:

* product mix of Midden-Holland (004): HBO-only products (41A04, 41K04 with `min_count = {HBO = 2}`),
  60 % MBO4 or HBO shares, and mixed groups of dagbehandeling and dagbesteding (41K03 with 41A22, 41A24);
* a region of towns: children live around town centres, not around the sites, and some towns are
  staff-short (half their need) while others have staff to spare who may work in the towns nearby;
* few wheelchair-accessible locations (about one in five), more children in a wheelchair;
* narrow availability: many children on two fixed days or mornings only, staff with fixed days,
  groups open on part of the week only;
* one big single site per ten locations (a third of the region's groups there);
* fixed groups cover four fifths of demand; the rest is in optional groups that must open.

    python -m benchmarks.generate_b XL 1 benchmarks/instances/b-XL-1
"""

from __future__ import annotations

import csv
import math
import random
import sys
from pathlib import Path

from planner.inputs.catalogue import load_model

MODEL = "midden-holland-2025"
SIZES = {"S": (60, 3), "M": (150, 5), "L": (400, 10), "XL": (1500, 25)}
LIMITS = {"S": 20, "M": 30, "L": 60, "XL": 300}
PRODUCTS = {"41K03": 0.2, "41A22": 0.16, "41A24": 0.1, "41A03": 0.12, "41A04": 0.08, "41K03-ZWAAR": 0.08,
            "41K04": 0.06, "41A23": 0.2}
# which products share a room: the mixed dagbehandeling/dagbesteding group of 004 41K03, the rest alone
ROOMS = (("41K03", "41A22", "41A24"), ("41K03-ZWAAR", "41K03"), ("41A03",), ("41A04",), ("41K04",), ("41A23",))
LEVELS = {"MBO3": 0.12, "MBO4": 0.38, "HBO": 0.44, "WO": 0.06}
DAYS = ("ma", "di", "wo", "do", "vr")
ORIGIN = (52.01, 4.71)  # Gouda
DEG_LAT, DEG_LON = 1 / 111.2, 1 / 68.6  # degrees per km


def _rows(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def _at(centre: tuple[float, float], km: float, rng: random.Random) -> tuple[float, float]:
    angle = rng.uniform(0, 2 * math.pi)
    return (round(centre[0] + km * math.sin(angle) * DEG_LAT, 5), round(centre[1] + km * math.cos(angle) * DEG_LON, 5))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot((a[0] - b[0]) / DEG_LAT, (a[1] - b[1]) / DEG_LON)


def _window(rng: random.Random) -> tuple[str, int]:
    """A child's availability (contract: `available`, dagdelen or days) and how many dagdelen it allows."""
    draw = rng.random()
    if draw < 0.4:  # two fixed days
        days = sorted(rng.sample(DAYS, 2), key=DAYS.index)
        return ", ".join(days), 4
    if draw < 0.6:  # mornings only
        return ", ".join(f"{d}-ochtend" for d in DAYS), 5
    return "", 10


def generate_b(size: str, seed: int, folder: Path, time_limit: float | None = None) -> Path:
    """Write folder/data/*.csv and folder/scenario.toml for family b; returns the scenario path."""
    n_children, n_locations = SIZES[size]
    rng = random.Random(f"b/{size}/{seed}")
    model = load_model(MODEL)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    n_towns = 1 + n_locations // 4
    towns = [_at(ORIGIN, 14 * math.sqrt(rng.random()) * math.sqrt(n_towns), rng) for _ in range(n_towns)]
    weight = [rng.uniform(0.5, 2.0) for _ in towns]  # population
    staffing = [rng.choice([0.5, 0.8, 1.1, 1.4]) for _ in towns]  # staff per unit of demand
    # sites: spread over the towns, a big single site per ten locations
    sites = []
    for i in range(n_locations):
        t = i % n_towns if i < n_towns else rng.choices(range(n_towns), weight)[0]
        sites.append({"id": f"B{i + 1:02d}", "town": t, "at": _at(towns[t], rng.uniform(0.5, 5), rng),
                      "wheelchair": rng.random() < 0.2, "big": i < max(1, n_locations // 10) and n_locations >= 5})
    if not any(s["wheelchair"] for s in sites):
        sites[rng.randrange(n_locations)]["wheelchair"] = True
    children, demand = [], [[0] * len(ROOMS) for _ in sites]
    products = list(PRODUCTS)
    for c in range(n_children):
        code = rng.choices(products, [PRODUCTS[p] for p in products])[0]
        rule = model.products[code]
        t = rng.choices(range(n_towns), weight)[0]
        home = _at(towns[t], rng.uniform(32, 45) if rng.random() < 0.03 else abs(rng.gauss(0, 4)), rng)
        available, most = _window(rng)
        want = min(rng.randint(2, 7), most, rule.max_dagdelen_per_week)
        wheelchair = rng.random() < 0.08
        children.append([f"J{c + 1:05d}", "", "", rng.randint(max(rule.ages[0], 2), min(rule.ages[1], 17)),
                         f"Gemeente {t + 1}", "", home[0], home[1], code, want, available,
                         rng.choices(["eigen", "groep", "individueel"], [4, 5, 1])[0],
                         "ja" if wheelchair else "nee", "", ""])
        near = min(range(n_locations), key=lambda i: (_km(home, sites[i]["at"]) / (3 if sites[i]["big"] else 1), i))
        room = next(r for r, codes in enumerate(ROOMS) if code in codes)
        demand[near][room] += want
    for _ in range(max(1, n_children // 30)):  # pairs who may not meet
        a, b = rng.sample(range(n_children), 2)
        children[a][13] = children[b][0]
    groups, need = [], [0.0] * n_towns
    for i, site in enumerate(sites):
        for r, codes in enumerate(ROOMS):
            if not demand[i][r]:
                continue
            rule = model.products[codes[0]]
            seats = min(rule.group_max, 10)
            narrow = rng.random() < 0.3  # open on mornings or three days only
            week = 5 if narrow else 10
            count = math.ceil(demand[i][r] * 1.25 / (seats * week))
            fixed = max(1, math.floor(count * 0.8)) if count > 1 else 1
            for g in range(count):
                opened = ""
                if narrow:
                    opened = ", ".join(f"{d}-ochtend" for d in DAYS) if g % 2 else \
                        ", ".join(f"{d}-{part}" for d in sorted(rng.sample(DAYS, 3), key=DAYS.index)[:2]
                                  for part in ("ochtend", "middag")) + ", vr-ochtend"
                optional = g >= fixed
                groups.append([f"{site['id']}-{codes[0]}-{g + 1}", site["id"], ", ".join(codes), seats, opened,
                               "ja" if optional else "nee", rng.choice([300, 450, 600]) if optional else 0])
            extra = (rule.min_staff - 1) * week * count  # a second colleague on small groups
            need[site["town"]] += demand[i][r] * float(rule.staff_per_child) * 1.35 + extra
    staff: list[list] = []
    levels = list(LEVELS)
    for t in range(n_towns):
        here = [s["id"] for s in sites if _km(s["at"], towns[t]) <= 12]
        here = here or [min(sites, key=lambda s: _km(s["at"], towns[t]))["id"]]
        supply = 0
        while supply < need[t] * staffing[t]:
            contract = rng.choice([4, 6, 6, 8, 9, 9])
            available = ""
            if rng.random() < 0.5:  # fixed days
                days = sorted(rng.sample(DAYS, max(2, math.ceil(contract / 2))), key=DAYS.index)
                available, contract = ", ".join(days), min(contract, 2 * len(days))
            staff.append([f"P{len(staff) + 1:05d}", "", rng.choices(levels, [LEVELS[lv] for lv in levels])[0],
                          contract, available, ", ".join(sorted(here)), ""])
            supply += contract
    data = folder / "data"
    _rows(data / "locations.csv", ["location_id", "provider", "name", "postcode", "lat", "lon", "wheelchair_access"],
          [[s["id"], "Familie B", f"Locatie {s['id']}", "", s["at"][0], s["at"][1], "ja" if s["wheelchair"] else "nee"]
           for s in sites])
    _rows(data / "groups.csv", ["group_id", "location_id", "products", "capacity", "open", "optional",
                                "opening_cost_per_week"], groups)
    _rows(data / "staff.csv", ["staff_id", "name", "education", "dagdelen_per_week", "available", "locations",
                               "hourly_cost"], staff)
    _rows(data / "children.csv", ["child_id", "name", "birth_date", "age", "municipality", "postcode", "lat", "lon",
                                  "product", "dagdelen_per_week", "available", "transport", "wheelchair",
                                  "not_with", "location"], children)
    scenario = folder / "scenario.toml"
    scenario.write_text(f'name = "bench-b-{size}-{seed}"\nmodel = "{MODEL}"\ndata = "data"\n'
                        f"[solve]\ntime_limit_s = {time_limit or LIMITS[size]}\nseed = {seed}\nworkers = 2\n"
                        "deterministic = false\n", encoding="utf-8")
    return scenario


if __name__ == "__main__":
    print(generate_b(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])))
