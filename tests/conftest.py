"""Shared helpers: write small workbooks and scenarios for tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "voorbeeld" / "voorbeeld.toml"


def _cases() -> Path:
    """The handed failing inputs: $PLANNER_CASES, else the first `shared/cases` above the checkout
    (/work/main -> /work/shared/cases; a worktree one level deeper finds the same); absent in a clone
    elsewhere, where the case tests skip."""
    if os.environ.get("PLANNER_CASES"):
        return Path(os.environ["PLANNER_CASES"])
    return next((p / "shared" / "cases" for p in ROOT.parents if (p / "shared" / "cases").is_dir()),
                ROOT.parent / "shared" / "cases")


CASES = _cases()


def copy_case(name: str, tmp_path: Path) -> Path:
    """A writable copy of the case folder `name` under `tmp_path` (the shared folder is never written),
    or a clean skip when the cases are not here."""
    source = CASES / name
    if not source.is_dir():
        pytest.skip(f"case {name} not present")
    target = tmp_path / name
    shutil.copytree(source, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    return target

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


def vg_gedrag_sheets(availability: list[str]) -> dict[str, list[list]]:
    """The web tests' workbook: one VG gedrag group G1 (product maximum 4, 003 §3.4) in a room for 8 at L1,
    staff S1 MBO4, S2 HBO, S3 MBO4 (8 dagdelen each), and a child C1, C2, … for each entry of
    `availability` (its dagdelen), 1 dagdeel a week, age 9, living near L1."""
    kids = [[f"C{i}", "Hoorn", 52.651, 5.051, "DB-VG-GEDRAG", 1, 9, available]
            for i, available in enumerate(availability, start=1)]
    return {
        "locations": [["location_id", "provider", "lat", "lon"], ["L1", "Test", 52.65, 5.05]],
        "groups": [["group_id", "location_id", "products", "capacity"], ["G1", "L1", "DB-VG-GEDRAG", 8]],
        "staff": [["staff_id", "education", "dagdelen_per_week"], ["S1", "MBO4", 8], ["S2", "HBO", 8],
                  ["S3", "MBO4", 8]],
        "children": [["child_id", "municipality", "lat", "lon", "product", "dagdelen_per_week", "age",
                      "available"]] + kids,
    }


def write_scenario(folder: Path, data: str, model: str = "holland-rijnland-2025", extra: str = "") -> Path:
    path = folder / "scenario.toml"
    path.write_text(f'name = "test"\nmodel = "{model}"\ndata = "{data}"\n{extra}', encoding="utf-8")
    return path


@pytest.fixture
def small_sheets() -> dict[str, list[list]]:
    return {"locations": [r[:] for r in LOCATIONS], "groups": [r[:] for r in GROUPS],
            "staff": [r[:] for r in STAFF], "children": [r[:] for r in CHILDREN]}


def plan_sheets(tmp_path: Path, sheets: dict[str, list[list]], *args: str):
    """Write `sheets` as data.xlsx with a scenario beside it and run `planner plan` in-process with `args`
    (e.g. "--week", "2026-W03", "--time-limit", "2"); returns (typer Result, the --out folder)."""
    write_workbook(tmp_path / "data.xlsx", sheets)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["plan", str(write_scenario(tmp_path, "data.xlsx")), "--out", str(out), *args])
    return result, out
