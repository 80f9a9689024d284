"""Forecasts: the monthly claim rule to the cent, the Monte Carlo, cost-based tariffs."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from planner.app.forecast.model import Allocation, ForecastSettings, monthly_claim, municipal_forecast
from planner.app.tariffs import client_hourly, cost_based_tariffs, employer_hourly
from planner.inputs.catalogue import build_model, load_model, model_path, read_model_dict
from tests import builders as b

HR = load_model("holland-rijnland-2025")
ROOT = Path(__file__).resolve().parents[2]
D = dt.date


def test_three_allocations_to_the_cent():
    """Hand-computed: April-May 2025 with Good Friday, Easter Monday, Liberation Day and Ascension off.

    April: 22 weekdays - 18 and 21 April = 20 open days; May: 22 - 5 and 29 May = 20.
    delivered = volume x open days / 5 x 48/52; claim = delivered x tariff.
    A1 41A03-1, 4/wk, all April and May: 4 x 20/5 x 12/13 x 92.10 = 1360.246 a month.
    A2 DB-LICHT, 6/wk, 14-30 April: 11 open days: 6 x 11/5 x 12/13 x 52.40 = 638.474.
    A3 ZO-2, 3/wk, 5-31 May: 18 open days: 3 x 18/5 x 12/13 x 46.90 = 467.557.
    """
    allocations = [Allocation("Leiden", "41A03-1", 4, 16, 2, D(2025, 4, 1), D(2025, 5, 31)),
                   Allocation("Katwijk", "DB-LICHT", 6, 16, 2, D(2025, 4, 14), D(2025, 4, 30)),
                   Allocation("Leiden", "ZO-2", 3, 16, 2, D(2025, 5, 5), D(2025, 5, 31))]
    april = sum(monthly_claim(HR, a, 2025, 4) for a in allocations)
    may = sum(monthly_claim(HR, a, 2025, 5) for a in allocations)
    assert round(april, 2) == 1998.72
    assert round(may, 2) == 1827.80
    assert monthly_claim(HR, allocations[2], 2025, 4) == 0.0


def test_ijw_cap_partial_weeks():
    """The claim never exceeds volume x calendar weeks touched (here 53 weeks a year would exceed it)."""
    model = b.model("holland-rijnland-2025")

    raw = read_model_dict(model_path("holland-rijnland-2025"))
    raw["weeks_per_year"] = 53
    model = build_model(raw, "x")
    a = Allocation("Leiden", "41A03-1", 4, 16, 2, D(2025, 9, 1), D(2025, 9, 5))  # one full week, Mon-Fri
    assert monthly_claim(model, a, 2025, 9) == pytest.approx(4 * 1 * 92.10)  # capped at 1 week x 4


def _settings(**kw) -> ForecastSettings:
    base = dict(start=D(2025, 7, 1), months=12, runs=800, seed=3, inflow={"41A03-1": 2.0, "DB-LICHT": 1.5},
                inflow_volume={"DB-LICHT": 5.0})
    base.update(kw)
    return ForecastSettings(**base)


ALLOCS = [Allocation("Leiden", "41A03-1", 4, 16, 2, D(2025, 1, 6), D(2026, 3, 31)),
          Allocation("Katwijk", "DB-LICHT", 6, 16, 2, D(2025, 3, 1), None),
          Allocation("Katwijk", "41A03-1", 2, 16, 2, D(2025, 5, 1), D(2025, 12, 31))]


def test_monte_carlo_orders_and_converges():
    """P10 <= P50 <= P90 everywhere; with inflow variance to zero, P50 equals the projection."""
    fc = municipal_forecast(HR, ALLOCS, _settings(inflow_dispersion=1.0))
    assert np.all(fc.p10 <= fc.p50 + 1e-6) and np.all(fc.p50 <= fc.p90 + 1e-6)
    assert np.all(fc.total_q[0] <= fc.total_q[1]) and np.all(fc.total_q[1] <= fc.total_q[2])
    assert fc.p90.sum() > fc.p10.sum()  # there is spread
    exact = municipal_forecast(HR, ALLOCS, _settings(inflow_dispersion=0.0))
    np.testing.assert_allclose(exact.p50, exact.expected, rtol=1e-5, atol=0.01)
    gaps = [np.abs(municipal_forecast(HR, ALLOCS, _settings(inflow_dispersion=d)).total_q[1]
                   - exact.expected_total).max() for d in (1.0, 0.1, 0.001)]
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 0.01 * exact.expected_total.max()


def test_policy_levers_lower_spend():
    """Less inflow into dagbesteding and shorter dagbehandeling lower the projection."""
    base = municipal_forecast(HR, ALLOCS, _settings(inflow_dispersion=0.0))
    policy = municipal_forecast(HR, ALLOCS, _settings(inflow_dispersion=0.0, inflow_scale={"dagbesteding": 0.2},
                                                      duration_scale={"dagbehandeling": 0.5}))
    assert policy.expected.sum() < base.expected.sum()
    np.testing.assert_allclose(policy.existing, base.existing)  # current allocations are untouched


def test_hourly_cost_build_up():
    """Employer cost per paid hour and per client hour follow the sector's build-up exactly."""
    # HBO, by hand: 3,700.00 x 1.08 x 1.0125 (Jan, Jul 2024; cost price level 1 July 2024) = 4,045.95 a month
    # x 12 x 1.1633 (holiday 8 %, bonus 8.33 %) x 1.27 (charges) = 71,729.40 / (36 h x 52.1775) = 38.1866 paid
    # hour; / 0.72 productivity = 53.0370 client hour
    assert employer_hourly(HR, "HBO") == pytest.approx(38.1866, abs=1e-4)
    assert client_hourly(HR, "HBO") == pytest.approx(53.0370, abs=1e-4)


def test_cost_based_tariff_of_dagbesteding_zwaar():
    """DB-ZWAAR: 1 HBO for a group of 4, 3.4 children present, plus 2 WO hours a week over 3.4 x 10 dagdelen."""
    cm = HR.cost_model
    row = next(r for r in cost_based_tariffs(HR) if r.product == "DB-ZWAAR")
    # 4 h x 53.0370 (HBO client hour) / 3.4 = 62.3965; 2 h x 66.6546 (WO client hour, 4,650.00 a month by the
    # same steps) / 34 = 3.9209; together 66.3174 per child-dagdeel
    professional = 66.3174
    assert row.professional == pytest.approx(professional, abs=2e-4)
    # (professional + 3.50 other costs) x 1.15 overhead x 1.03 risk x 1.0496 index = 86.8006 (to 1e-3: the
    # professional figure above is rounded to 4 decimals)
    assert row.cost_based == pytest.approx((professional + 3.5) * 1.15 * 1.03 * 1.0496, abs=1e-3)
    assert row.staff_mix == {"HBO": 1.0}
    stricter = next(r for r in cost_based_tariffs(HR) if r.product == "41A03-3")
    looser = next(r for r in cost_based_tariffs(HR) if r.product == "41A03-2")
    assert stricter.cost_based > looser.cost_based  # 1:3 costs more than 1:4 per child
    assert cm.occupancy == 0.85


def test_forecast_command_writes_workbook_with_charts(tmp_path):
    """`planner forecast` writes forecast.xlsx with a native chart and formulas, forecast.csv, tarieven.xlsx."""
    out = tmp_path / "f"
    result = subprocess.run([sys.executable, "-m", "planner.cli", "forecast",
                             str(ROOT / "scenarios/gemeenten/prognose.toml"), "--out", str(out), "--tariffs"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert {"forecast.xlsx", "forecast.csv", "tarieven.xlsx"} <= {p.name for p in out.iterdir()}
    with zipfile.ZipFile(out / "forecast.xlsx") as zf:
        assert any(n.startswith("xl/charts/chart") for n in zf.namelist())

    ws = openpyxl.load_workbook(out / "forecast.xlsx")["Regio per maand"]
    assert str(ws.cell(ws.max_row, 2).value).startswith("=SUM(")
    header = (out / "forecast.csv").read_text().splitlines()[0]
    assert header == "month,municipality,product,existing,expected,p10,p50,p90"


def test_eigen_bijdrage_netted_for_primary_school_only():
    """001: SNO for primary-school children carries an eigen bijdrage; for V(S)O none."""
    hp = load_model("helmond-peel-2025")
    po = Allocation("Helmond", "SNO-PO", 3, 16, 2, D(2025, 9, 1), D(2025, 9, 30), school="PO")
    vso = Allocation("Helmond", "SNO-VSO", 3, 16, 2, D(2025, 9, 1), D(2025, 9, 30), school="VSO")
    # September 2025: 22 open days, no holidays: 3 x 22/5 x 12/13 = 12.18 dagdelen
    units = 3 * 22 / 5 * 12 / 13
    assert monthly_claim(hp, po, 2025, 9) == pytest.approx(units * (58.00 - 9.50))
    assert monthly_claim(hp, vso, 2025, 9) == pytest.approx(units * 58.00)


def test_same_seed_same_quantiles():
    """The Monte Carlo repeats exactly for the same seed."""
    a = municipal_forecast(HR, ALLOCS, _settings())
    b_ = municipal_forecast(HR, ALLOCS, _settings())
    np.testing.assert_array_equal(a.p50, b_.p50)
    np.testing.assert_array_equal(a.total_q, b_.total_q)
