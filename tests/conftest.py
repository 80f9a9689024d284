"""Shared helpers: write small workbooks and scenarios for tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "voorbeeld" / "voorbeeld.toml"

LOCATIONS = [["location_id", "provider", "lat", "lon"], ["L1", "Test", 52.16, 4.49]]
GROUPS = [["group_id", "location_id", "products", "capacity"], ["G1", "L1", "41A03-1", 8]]
STAFF = [["staff_id", "education", "dagdelen_per_week"], ["S1", "HBO", 8]]
CHILDREN = [
    ["child_id", "municipality", "lat", "lon", "product", "dagdelen_per_week", "age"],
    ["C1", "Leiden", 52.161, 4.491, "41A03-1", 4, 9],
    ["C2", "Leiden", 52.162, 4.492, "41A03-1", 2, 10],
]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True)


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def write_scenario(folder: Path, data: str, model: str = "holland-rijnland-2025", extra: str = "") -> Path:
    path = folder / "scenario.toml"
    path.write_text(f'name = "test"\nmodel = "{model}"\ndata = "{data}"\n{extra}', encoding="utf-8")
    return path


@pytest.fixture
def small_sheets() -> dict[str, list[list]]:
    return {"locations": [r[:] for r in LOCATIONS], "groups": [r[:] for r in GROUPS],
            "staff": [r[:] for r in STAFF], "children": [r[:] for r in CHILDREN]}
