"""planner capacity: demand, the MIP over groups and staff, its checker, the report, realisability."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from planner.app.capacity.check import check_capacity
from planner.app.capacity.demand import Case, demand
from planner.app.capacity.model import CapacitySettings, Start, group_types, solve_capacity, trade_off
from planner.app.capacity.run import inputs, staffing_for
from planner.app.forecast.model import ForecastSettings
from planner.inputs.catalogue import load_model
from planner.inputs.scenario import load_scenario
from tests.conftest import ROOT, run_cli

MODEL = load_model("holland-rijnland-2025")
START = dt.date(2026, 1, 1)
SETTINGS = CapacitySettings(waiting_price=100.0, service_level=0.0, plan_quantile="P50", time_limit_s=20)


def _forecast(inflow: float = 0.0, scale: float = 1.0, dispersion: float = 0.0, months: int = 12) -> ForecastSettings:
    return ForecastSettings(start=START, months=months, runs=400, seed=1, inflow={"41A03-1": inflow},
                            inflow_scale={"41A03-1": scale}, inflow_dispersion=dispersion)


def _plan(cases: list[Case], fs: ForecastSettings, settings: CapacitySettings = SETTINGS, groups: int = 3):
    dem = demand(MODEL, cases, fs)
    types = group_types(MODEL, dem, settings, {"41A03-1": None})
    start = Start({"41A03-1": groups}, staffing_for(MODEL, [(types[0], groups)]))
    plan = solve_capacity(MODEL, dem, start, settings, types)
    assert check_capacity(MODEL, plan) == []  # every solve is checked independently
    return plan


def test_demand_counts_children_until_their_end_date_and_inflow_per_month() -> None:
    cases = [Case("41A03-1", 4, dt.date(2025, 6, 1), dt.date(2026, 3, 31))]
    dem = demand(MODEL, cases, _forecast(inflow=1.0))
    p = dem.products.index("41A03-1")
    assert dem.current[:3, p].tolist() == [4, 4, 4] and dem.current[3:, p].sum() == 0
    # one new child of 4 dagdelen a month, dagbehandeling stays 24 months: 4, 8, 12, ...
    assert np.allclose(dem.expected[:, p] - dem.current[:, p], 4.0 * np.arange(1, 13))
    assert np.allclose(dem.p50, dem.expected) and np.allclose(dem.p90, dem.expected)  # dispersion 0


def test_no_inflow_and_children_ending_capacity_falls_and_no_one_is_hired() -> None:
    ends = [dt.date(2026, 1 + i % 6, 28) for i in range(18)]
    cases = [Case("41A03-1", 4, dt.date(2025, 1, 1), end) for end in ends]
    plan = _plan(cases, _forecast(), replace(SETTINGS, min_run_months=1))
    assert plan.places[-1].sum() < plan.places[0].sum()
    assert plan.fte[-1].sum() < plan.fte[0].sum()
    assert plan.hired.sum() == pytest.approx(0.0, abs=1e-6)


def test_inflow_plus_20_percent_hires_more_and_hires_a_lead_time_ahead() -> None:
    cases = [Case("41A03-1", 4, dt.date(2025, 9, 1), None) for _ in range(16)]
    settings = replace(SETTINGS, lead_months=2, waiting_price=500.0)  # growth is served, not left waiting
    base = _plan(cases, _forecast(inflow=3.0, months=24), settings, groups=1)
    more = _plan(cases, _forecast(inflow=3.0, scale=1.2, months=24), settings, groups=1)
    assert more.hired.sum() > base.hired.sum() > 0
    for plan in (base, more):
        assert plan.hired[: settings.lead_months].sum() == 0  # recruitment started before the horizon is not assumed
        # growth that lasts is carried by own staff, hired (recruitment started lead_months earlier) by
        # the month it is needed; a one-month peak may go to agency staff
        need = plan.staff_dd.sum(axis=(1, 2)) / MODEL.dagdelen_per_fte
        own = plan.fte.sum(axis=1)
        for t in range(settings.lead_months, len(need) - 4):
            assert own[t] >= need[t:].min() - 1e-6, t
        first_hire = int(np.argmax(plan.hired.sum(axis=1) > 1e-6))
        first_short = int(np.argmax(need > sum(plan.start.fte.values()) + 1e-6))
        assert first_hire <= max(first_short, settings.lead_months)  # hired by the month it is needed
        assert first_hire - settings.lead_months >= 0  # recruitment starts lead_months before


def test_p90_plan_holds_more_capacity_than_p50_plan() -> None:
    cases = [Case("41A03-1", 4, dt.date(2025, 9, 1), None) for _ in range(10)]
    fs = _forecast(inflow=4.0, dispersion=2.0)  # P90 needs a 4th group in month 12, P50 does not
    p50 = _plan(cases, fs, replace(SETTINGS, plan_quantile="P50", service_quantile="P50", service_level=1.0))
    p90 = _plan(cases, fs, replace(SETTINGS, plan_quantile="P90", service_quantile="P90", service_level=1.0))
    assert (p90.demand.p90 >= p90.demand.p50).all()
    assert p90.places.sum() > p50.places.sum()
    assert p90.staff_dd.sum() > p50.staff_dd.sum()


def test_checker_finds_a_plan_short_of_staff() -> None:
    cases = [Case("41A03-1", 4, dt.date(2025, 9, 1), None) for _ in range(10)]
    plan = _plan(cases, _forecast(inflow=1.0))
    broken = replace(plan, staff_dd=plan.staff_dd * 0.5)
    assert any("personeelsdagdelen" in line for line in check_capacity(MODEL, broken))


def test_waiting_price_trades_cost_against_waiting() -> None:
    cases = [Case("41A03-1", 4, dt.date(2025, 9, 1), None) for _ in range(20)]  # a full group
    dem = demand(MODEL, cases, _forecast(inflow=2.0, months=6))
    types = group_types(MODEL, dem, SETTINGS, {"41A03-1": None})
    start = Start({"41A03-1": 1}, staffing_for(MODEL, [(types[0], 1)]))
    curve = trade_off(MODEL, dem, start, replace(SETTINGS, waiting_prices=(0.0, 1000.0)), types)
    assert curve[0].waiting > curve[1].waiting and curve[0].cost < curve[1].cost


def test_capacity_command_writes_workbook_with_charts_and_tidy_csv(tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    out.mkdir()
    (out / "mijn-notities.txt").write_text("van de gebruiker")
    done = run_cli("capacity", str(ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml"), "--months", "3",
                   "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "mijn-notities.txt").read_text() == "van de gebruiker"  # nothing of the user's is lost
    out = out / "voorbeeld-capaciteit"  # a folder of the user's: the report goes inside it
    xlsx = out / "capaciteit.xlsx"
    wb = openpyxl.load_workbook(xlsx)
    for sheet in ("Vraag en capaciteit", "Personeel", "Wachtlijst", "Afweging"):
        assert wb[sheet]._charts, sheet  # noqa: SLF001 -- openpyxl lists a sheet's charts only here
    assert wb["Personeel"]["B1"].value == "fte MBO3" and isinstance(wb["Personeel"]["B2"].value, float)
    with (out / "capacity.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"month", "product", "metric", "value"}
    assert {r["month"] for r in rows} == {"2026-01", "2026-02", "2026-03"}
    assert any(r["metric"] == "fte_HBO" for r in rows) and any(r["metric"] == "vraag_p90" for r in rows)


def test_capacity_bad_input_exit_2_one_line_per_problem(tmp_path: Path) -> None:
    scenario = tmp_path / "cap.toml"
    scenario.write_text(f'extends = "{ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml"}"\n'
                        '[capacity]\nwaitlist = { "41X99" = 2 }\nlead_months = -1\n')
    done = run_cli("capacity", str(scenario), "--start", "2026-13", "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert any("--start" in line for line in lines) and any("capacity.lead_months" in line for line in lines)
    assert not (tmp_path / "out").exists()


def test_regional_capacity_from_allocations_against_contracted_groups(tmp_path: Path) -> None:
    sc = load_scenario(ROOT / "scenarios" / "gemeenten" / "capaciteit.toml")
    model, dem, start, settings, types, data = inputs(sc, months=6)
    assert data is None and start.groups["41A00-1"] == 2 and start.fte["HBO"] > 0
    plan = solve_capacity(model, dem, start, replace(settings, time_limit_s=10, waiting_prices=()), types)
    assert check_capacity(model, plan) == []
    assert (dem.p90 >= dem.p50 - 1e-9).all() and dem.current.sum() > 0
