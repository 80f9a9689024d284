"""Writes voorbeeldaanbieder.xlsx: a realistic, fictitious provider around Leiden (Holland Rijnland).

Deterministic (fixed seed). Run: .venv/bin/python scenarios/voorbeeld/genereer.py
The workbook is built on `planner template`, so the example is also a filled-in template.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from planner.inputs.catalogue import load_model
from planner.report.template import build_template

HERE = Path(__file__).resolve().parent
rng = random.Random(2025)

LOCATIONS = [
    ("LDN-NOORD", "De Vlieger", "Leiden-Noord", "2321 KA", 52.1705, 4.4862, "ja"),
    ("LEIDERDORP", "De Vlieger", "Leiderdorp Hoofdstraat", "2351 AA", 52.1581, 4.5288, "ja"),
    ("KATWIJK", "De Vlieger", "Katwijk Zeeweg", "2224 BA", 52.2007, 4.4177, "nee"),
]
GROUPS = [
    ("NRD-A", "LDN-NOORD", "41A00-1, 41A00-2", 8, "", "nee", 0),
    ("NRD-A3", "LDN-NOORD", "41A00-3", 6, "", "nee", 0),
    ("NRD-LICHT", "LDN-NOORD", "DB-LICHT", 10, "ma, di, do, vr", "nee", 0),
    ("LDP-B", "LEIDERDORP", "41A03-1, 41A03-2", 8, "", "nee", 0),
    ("LDP-B3", "LEIDERDORP", "41A03-3", 6, "", "nee", 0),
    ("LDP-ZWAAR", "LEIDERDORP", "DB-ZWAAR", 4, "", "nee", 0),
    ("KTW-ZO", "KATWIJK", "ZO-2", 8, "ma-ochtend, di-ochtend, wo-ochtend, do-ochtend, vr-ochtend", "nee", 0),
    ("KTW-A", "KATWIJK", "41A00-1, 41A00-2", 8, "", "nee", 0),
    ("KTW-B", "KATWIJK", "41A03-1, 41A03-2", 8, "", "ja", 420),
]
STAFF = [  # id, name, level, contract dagdelen, available, locations
    ("M01", "Anouk de Vries", "HBO", 9, "", ""),
    ("M02", "Bram Jansen", "MBO4", 8, "", "LDN-NOORD, LEIDERDORP"),
    ("M03", "Chantal Bakker", "HBO", 8, "ma, di, wo, do", ""),
    ("M04", "Daan Visser", "MBO3", 6, "", "LDN-NOORD"),
    ("M05", "Esra Yilmaz", "HBO", 9, "", "LEIDERDORP, KATWIJK"),
    ("M06", "Femke Smit", "MBO4", 7, "", ""),
    ("M07", "Gijs Mulder", "HBO", 6, "di, wo, do", ""),
    ("M08", "Hanna de Boer", "MBO4", 9, "", "KATWIJK"),
    ("M09", "Ilse Meijer", "WO", 4, "ma, do", ""),
    ("M10", "Jesse de Graaf", "MBO3", 8, "", "LEIDERDORP"),
    ("M11", "Kim Bos", "HBO", 7, "", "LDN-NOORD, KATWIJK"),
    ("M12", "Lars Vos", "MBO4", 8, "", ""),
    ("M13", "Mila Peters", "HBO", 8, "ma, di, wo, vr", ""),
    ("M14", "Noah Hendriks", "MBO3", 9, "", "KATWIJK, LDN-NOORD"),
    ("M15", "Olga Dekker", "MBO4", 6, "wo, do, vr", ""),
    ("M16", "Pim van Dijk", "HBO", 8, "", "LEIDERDORP"),
]
PRODUCTS = [  # product, count, indication range, age range
    ("41A00-1", 10, (2, 6), (4, 12)), ("41A00-2", 7, (2, 6), (4, 12)), ("41A00-3", 4, (2, 4), (4, 12)),
    ("41A03-1", 8, (2, 6), (5, 14)), ("41A03-2", 6, (2, 6), (5, 14)), ("41A03-3", 4, (2, 4), (5, 14)),
    ("DB-LICHT", 8, (2, 6), (10, 17)), ("DB-ZWAAR", 5, (2, 4), (8, 17)), ("ZO-2", 7, (2, 4), (6, 12)),
]
TOWNS = [  # municipality, lat, lon, spread in degrees
    ("Leiden", 52.160, 4.490, 0.02), ("Leiderdorp", 52.158, 4.530, 0.01),
    ("Oegstgeest", 52.180, 4.470, 0.01), ("Katwijk", 52.200, 4.420, 0.015),
    ("Noordwijk", 52.240, 4.440, 0.01), ("Voorschoten", 52.127, 4.447, 0.01),
    ("Alphen aan den Rijn", 52.129, 4.656, 0.015), ("Teylingen", 52.215, 4.510, 0.01),
]
FIRST = ["Sem", "Emma", "Liam", "Julia", "Daan", "Tess", "Finn", "Sara", "Luuk", "Nora", "Milan",
         "Zoë", "Levi", "Lotte", "Bram", "Evi", "Noud", "Fleur", "Jayden", "Yara", "Mohammed", "Aya"]
LAST = ["Bakker", "Koster", "El Amrani", "Hoekstra", "Kaya", "Verbeek", "Brouwer", "Groen",
        "Prins", "Postma", "Kok", "Jacobs", "de Wit", "Willems", "van Leeuwen", "Sahin"]
PEILDATUM = dt.date(2025, 9, 1)


def _child_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    number = 0
    for product, count, (lo, hi), (age_lo, age_hi) in PRODUCTS:
        for _ in range(count):
            number += 1
            town, lat, lon, spread = rng.choice(TOWNS)
            lat += rng.uniform(-spread, spread)
            lon += rng.uniform(-spread, spread) * 1.6
            age = rng.randint(age_lo, age_hi)
            birth = PEILDATUM - dt.timedelta(days=int(365.25 * age) + rng.randint(30, 300))
            indication = rng.randint(lo, hi)
            transport = rng.choices(["eigen", "groep", "individueel"], [5, 4, 1])[0]
            available = ""
            if product == "ZO-2":
                available = "ma-ochtend, di-ochtend, wo-ochtend, do-ochtend, vr-ochtend"
            elif rng.random() < 0.25:
                days = sorted(rng.sample(["ma", "di", "wo", "do", "vr"], 3), key="ma di wo do vr".index)
                available = ", ".join(days)
            wheelchair = "ja" if product == "DB-ZWAAR" and rng.random() < 0.5 else "nee"
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            rows.append([f"J{number:03d}", name, birth, None, town, "", round(lat, 5),
                         round(lon, 5), product, indication, available, transport, wheelchair,
                         "", "", dt.date(2025, 1, 6), None])
    # one child from Haarlem: beyond 30 km road distance, so it must land on the waiting list
    rows.append(["J061", "Ravi Bakker", dt.date(2014, 5, 2), None, "Haarlem", "2011 AB",
                 52.3810, 4.6370, "41A03-1", 4, "", "groep", "nee", "", "", None, None])
    rows[3][13] = "J005"  # two children who should not share a group
    rows[22][14] = "LEIDERDORP"  # keep this child at its current location
    return rows


def main() -> None:
    model = load_model("holland-rijnland-2025")
    wb = build_template(model)
    for row in LOCATIONS:
        wb["locations"].append(list(row))
    for row in GROUPS:
        wb["groups"].append(list(row))
    for row in STAFF:
        wb["staff"].append([row[0], row[1], row[2], row[3], row[4], row[5], None])
    for row in _child_rows():
        wb["children"].append(row)
    # one distance from a route planner, overriding the straight-line estimate
    wb["distances"].append(["J001", "LDN-NOORD", 3.4])
    out = HERE / "voorbeeldaanbieder.xlsx"
    wb.save(out)
    print(f"{out.name}: {wb['children'].max_row - 1} jeugdigen")


if __name__ == "__main__":
    main()
