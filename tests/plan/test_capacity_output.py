"""Issue 22 follow-up: capacity output details (regional view, numbers, charts, command line)."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import openpyxl

from planner.app.capacity.check import check_capacity
from planner.app.capacity.model import solve_capacity
from planner.app.capacity.run import contracted_places, inputs, notes
from planner.core.nl import euro, number
from planner.inputs.scenario import load_scenario
from planner.report.capacity_xlsx import write_capacity
from tests.conftest import ROOT, run_cli


def _region(months: int = 3):

    sc = load_scenario(ROOT / "scenarios" / "gemeenten" / "capaciteit.toml")
    model, dem, start, settings, types, _ = inputs(sc, months=months)
    plan = solve_capacity(model, dem, start, replace(settings, time_limit_s=10, waiting_prices=()), types)
    assert check_capacity(model, plan) == []
    return sc, model, plan, contracted_places(sc, plan)


def test_regional_view_needed_places_against_contracted_per_product_and_month(tmp_path: Path) -> None:

    sc, model, plan, contracted = _region()
    gt = next(t for t in plan.types if t.name == "41A00-1")
    assert contracted["41A00-1"] == 2 * gt.seats * gt.dd  # [capacity] contracted = 2 groups
    write_capacity(model, plan, [], tmp_path / "c.xlsx", tmp_path / "c.csv", notes(sc, model, plan), contracted)
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx")["Regio"]
    head = [c.value for c in ws[1]]
    assert head[:5] == ["maand", "product", "nodig P50", "nodig P90", "gecontracteerd"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "41A00-1"]
    assert len(rows) == 3 and all(r[4] == contracted["41A00-1"] for r in rows)
    p = plan.demand.products.index("41A00-1")
    assert abs(rows[0][3] - plan.demand.p90[0, p]) <= 0.051
    assert rows[0][6] == max(0.0, round(rows[0][3] - rows[0][4], 1))
    with (tmp_path / "c.csv").open(encoding="utf-8") as fh:
        tidy = [r for r in csv.DictReader(fh) if r["metric"] == "gecontracteerd_plaatsen"]
    assert len({r["month"] for r in tidy}) == 3
    assert any(r["product"] == "41A00-1" and float(r["value"]) == contracted["41A00-1"] for r in tidy)


def test_no_waiting_prices_no_curve_chart_and_no_negative_zero(tmp_path: Path) -> None:

    sc, model, plan, contracted = _region(months=2)
    plan = replace(plan, released=plan.released - 1e-12)  # what the solver writes as -0.0
    write_capacity(model, plan, [], tmp_path / "c.xlsx", tmp_path / "c.csv", notes(sc, model, plan), contracted)
    wb = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert wb["Afweging"]._charts == [] and wb["Afweging"].max_row == 1  # noqa: SLF001 -- openpyxl lists a sheet's charts only here
    text = (tmp_path / "c.csv").read_text(encoding="utf-8")
    assert ",-0.0\n" not in text and ",-0\n" not in text


def test_dutch_numbers_in_toelichting_and_terminal() -> None:

    assert euro(1317634.321, 2) == "€ 1.317.634,32" and number(1.24) == "1,2"
    sc, model, plan, _ = _region(months=2)
    text = " ".join(notes(sc, model, plan))
    assert "€ 5.000" in text and "EUR" not in text


def test_capacity_help_shows_table_names_and_a_workbook_gets_no_model_hint(tmp_path: Path) -> None:
    done = run_cli("capacity", "--help")
    assert done.returncode == 0 and "[capacity]" in done.stdout and "[forecast]" in done.stdout
    book = tmp_path / "werkmap.xlsx"
    openpyxl.Workbook().save(book)
    done = run_cli("capacity", str(book), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--model" not in done.stderr and "scenario" in done.stderr


def test_months_not_a_number_is_one_dutch_line_exit_2(tmp_path: Path) -> None:
    scenario = str(ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml")
    for bad in ("abc", "0", "121"):
        done = run_cli("capacity", scenario, "--months", bad, "--out", str(tmp_path / "out"))
        assert done.returncode == 2 and "Traceback" not in done.stderr and "Usage" not in done.stderr
        assert any("--months" in line and bad in line for line in done.stderr.splitlines()), done.stderr
    assert not (tmp_path / "out").exists()
