"""Allocations (issue 19): iJw units and frequencies, checks against the product, maximum stays, transport."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planner.app.forecast.model import ForecastSettings, municipal_forecast, settings_warnings, stay_months
from planner.inputs import calendar_nl as cal
from planner.inputs.allocations import Allocation, effective_end, monthly_claim, price_index, read_allocations
from planner.inputs.catalogue import load_model
from planner.inputs.errors import InputError
from planner.report.forecast_xlsx import ANNUAL_NOTE, write_forecast
from tests.conftest import run_cli

HR = load_model("holland-rijnland-2025")
MH = load_model("midden-holland-2025")
D = dt.date
SEPT = 3 * 22 / 5 * 12 / 13  # 3 a week in September 2025: 22 open days, 48/52 weeks


def _csv(tmp_path, rows, name="toewijzingen",
         header="municipality,product,volume,unit,frequency,start_date,end_date,category"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "allocations.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def test_zo1_eight_a_week_refused_by_row(tmp_path):
    """A ZO-1 allocation of 8 dagdelen a week is refused on its row and column; the product allows 5 (002 ZO lid 6)."""
    folder = _csv(tmp_path, ["Leiden,ZO-1,5,16,2,2025-01-01,2025-12-31,",
                             "Leiden,ZO-1,8,16,2,2025-01-01,2025-12-31,",
                             "Katwijk,ZO-1,3,16,1,2025-01-01,2025-12-31,"])
    with pytest.raises(InputError) as err:
        read_allocations(folder, HR)
    rows = {(p.row, p.column) for p in err.value.problems}
    assert rows == {(3, "volume"), (4, "volume")}  # 8 a week; 3 a day (max 2 a day)
    assert any("8 dagdelen per week" in p.message and "5" in p.message for p in err.value.problems)


def test_unit_and_frequency_codes(tmp_path):
    """Units 16/14/82/84/83 and frequencies 1/2/4/6 are accepted where they fit; others are refused by row."""
    folder = _csv(tmp_path, ["Leiden,41A03-1,4,16,2,2025-09-01,2025-09-30,",
                             "Leiden,41A03-1,2,16,1,2025-09-01,2025-09-30,",
                             "Leiden,41A03-1,20,16,4,2025-09-01,2025-09-30,",
                             "Leiden,41A03-1,40,16,6,2025-09-01,2025-10-31,",
                             "Leiden,41A03-1,900,83,4,2025-09-01,2025-09-30,",
                             "Leiden,42A03,3,82,2,2025-09-01,2025-09-30,2",
                             "Leiden,42A03,3,14,2,2025-09-01,2025-09-30,1",
                             "Leiden,42A03,1,84,1,2025-09-01,2025-09-30,3"])
    allocations = read_allocations(folder, HR)
    assert [a.unit for a in allocations] == [16, 16, 16, 16, 83, 82, 14, 84]
    bad = _csv(tmp_path, ["Leiden,41A03-1,4,14,2,2025-09-01,2025-09-30,",
                "Leiden,41A03-1,4,16,3,2025-09-01,2025-09-30,",
                "Leiden,41A03-1,4,16,6,2025-09-01,,",
                "Leiden,42A03,3,16,2,2025-09-01,2025-09-30,2",
                "Leiden,42A03,3,82,2,2025-09-01,2025-09-30,",
                "Leiden,42A03,6,82,2,2025-09-01,2025-09-30,1"], name="fout")
    with pytest.raises(InputError) as err:
        read_allocations(bad, HR)
    assert {(p.row, p.column) for p in err.value.problems} == {
        (2, "unit"), (3, "frequency"), (4, "end_date"), (5, "unit"), (6, "category"), (7, "volume")}


def test_claims_per_frequency_to_the_cent():
    """September 2025 (22 open days): per week, per day, per month, total over two months, euro's."""
    tariff = 92.10
    week = Allocation("L", "41A03-1", 3, 16, 2, D(2025, 9, 1), D(2025, 9, 30))
    day = Allocation("L", "41A03-1", 1, 16, 1, D(2025, 9, 1), D(2025, 9, 30))
    month = Allocation("L", "41A03-1", 10, 16, 4, D(2025, 9, 1), D(2025, 9, 30))
    total = Allocation("L", "41A03-1", 45, 16, 6, D(2025, 9, 1), D(2025, 10, 31))  # 22 + 23 open days
    euros = Allocation("L", "41A03-1", 900, 83, 4, D(2025, 9, 1), D(2025, 9, 30))
    assert monthly_claim(HR, week, 2025, 9) == pytest.approx(SEPT * tariff)
    assert monthly_claim(HR, day, 2025, 9) == pytest.approx(22 * 12 / 13 * tariff)
    assert monthly_claim(HR, month, 2025, 9) == pytest.approx(10 * tariff)
    assert monthly_claim(HR, total, 2025, 9) == pytest.approx(45 * 22 / 45 * tariff)
    assert monthly_claim(HR, euros, 2025, 9) == pytest.approx(900)


def test_41k04_never_longer_than_nine_months():
    """Every 41K04 allocation ends at most 9 months after its start (004 line 4214); no claim after that."""
    for start in (D(2025, 1, 6), D(2025, 3, 31), D(2025, 8, 15), D(2026, 2, 28)):
        for end in (None, D(2027, 12, 31), start + dt.timedelta(days=100)):
            a = Allocation("Gouda", "41K04", 4, 16, 2, start, end)
            last = effective_end(MH, a)
            assert last is not None and last < cal.add_months(start, 9)
            if end is not None:
                assert last <= end
            months = [(y, m) for y in (2025, 2026, 2027, 2028) for m in range(1, 13)]
            claimed = [ym for ym in months if monthly_claim(MH, a, *ym) > 0]
            assert len(claimed) <= 10  # 9 months touch at most 10 calendar months
    settings = ForecastSettings(start=D(2025, 1, 1), duration_months={"41K04": 24.0})
    assert stay_months(MH, settings, "41K04") == 9  # a longer scenario duration is cut too
    assert stay_months(MH, ForecastSettings(start=D(2025, 1, 1)), "41K04") == 6  # the model's mean stay


def test_transport_allocation_in_the_forecast():
    """A 42A03 allocation (days a week, category 2) is part of the municipality's spend, to the cent."""
    care = Allocation("Leiden", "41A03-1", 3, 16, 2, D(2025, 9, 1), D(2025, 9, 30))
    ride = Allocation("Leiden", "42A03", 3, 82, 2, D(2025, 9, 1), D(2025, 9, 30), category=2)
    fc = municipal_forecast(HR, [care, ride], ForecastSettings(start=D(2025, 9, 1), months=1, runs=50))
    assert "42A03" in fc.products
    spend = fc.existing[0, 0, fc.products.index("42A03")]
    assert spend == pytest.approx(SEPT * HR.transport.tariff["2"])
    assert fc.expected_total[0] == pytest.approx(SEPT * (92.10 + HR.transport.tariff["2"]))


def test_index_path_forward():
    """Months after 1-1-2026 are priced with the CAO step of the index path (+3.7 %), earlier months not."""
    assert price_index(HR, D(2025, 12, 1)) == 1.0
    assert price_index(HR, D(2026, 2, 1)) == pytest.approx(1.037)
    a = Allocation("Leiden", "41A03-1", 3, 16, 2, D(2025, 1, 1), D(2026, 12, 31))
    feb25, feb26 = monthly_claim(HR, a, 2025, 2), monthly_claim(HR, a, 2026, 2)
    days25 = cal.open_days(D(2025, 2, 1), D(2025, 2, 28), tuple(HR.days), HR.closed)
    days26 = cal.open_days(D(2026, 2, 1), D(2026, 2, 28), tuple(HR.days), HR.closed)
    assert feb26 / days26 == pytest.approx(feb25 / days25 * 1.037)


def test_annual_quantiles_from_the_simulation():
    """Annual P10 <= P50 <= P90 per municipality; without inflow variance P50 is the expected year."""
    allocs = [Allocation("Leiden", "41A03-1", 4, 16, 2, D(2025, 1, 6), D(2026, 3, 31)),
              Allocation("Katwijk", "DB-LICHT", 6, 16, 2, D(2025, 3, 1), None)]
    base = dict(start=D(2025, 7, 1), months=18, runs=600, seed=1, inflow={"41A03-1": 2.0, "DB-LICHT": 1.0})
    fc = municipal_forecast(HR, allocs, ForecastSettings(**base, inflow_dispersion=1.0))
    assert fc.years == [2025, 2026] and fc.annual_q.shape == (3, 2, 2)
    assert np.all(fc.annual_q[0] <= fc.annual_q[1]) and np.all(fc.annual_q[1] <= fc.annual_q[2])
    assert np.all(fc.annual_q[2] > fc.annual_q[0])
    # the annual P90 is not the sum of monthly P90s (those would all be bad months at once)
    monthly_p90 = np.array([[fc.p90[t, m].sum() for m in range(2)] for t in range(18)])
    summed = np.array([monthly_p90[[t for t, (y, _) in enumerate(fc.months) if y == yr]].sum(axis=0)
                       for yr in fc.years])
    assert np.all(fc.annual_q[2] <= summed + 0.01)
    exact = municipal_forecast(HR, allocs, ForecastSettings(**base, inflow_dispersion=0.0))
    np.testing.assert_allclose(exact.annual_q[1], exact.annual_expected(), rtol=1e-5)


def test_forecast_command_refuses_by_row(tmp_path):
    """`planner forecast` with a ZO-1 allocation of 8 a week: exit 2, one Dutch line naming sheet, row and column."""
    _csv(tmp_path, ["Leiden,ZO-1,8,16,2,2025-01-01,2025-12-31,"])
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "s"\nmodel = "holland-rijnland-2025"\n[forecast]\nallocations = "toewijzingen"\n'
                        "start = 2025-01-01\nmonths = 3\nruns = 20\n", encoding="utf-8")
    result = run_cli("forecast", str(scenario), "--out", str(tmp_path / "uit"))
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    lines = [ln for ln in (result.stderr + result.stdout).splitlines() if "ZO-1" in ln]
    assert len(lines) == 1 and "allocations" in lines[0] and "row 2, column volume" in lines[0]
    assert not (tmp_path / "uit").exists()


def test_transport_inflow_is_projected():
    """New 42A03 rides (inflow) are projected at the current rides' mean category price, for as long as the care."""
    care = Allocation("Leiden", "41A03-1", 4, 16, 2, D(2025, 1, 6), D(2026, 12, 31))
    rides = [Allocation("Leiden", "42A03", 3, 82, 2, D(2025, 1, 6), D(2026, 12, 31), category=2),
             Allocation("Leiden", "42A03", 1, 82, 2, D(2025, 1, 6), D(2026, 12, 31), category=4)]
    base = dict(start=D(2025, 9, 1), months=1, runs=20, inflow_dispersion=0.0, inflow={"41A03-1": 1.0})
    without = municipal_forecast(HR, [care, *rides], ForecastSettings(**base))
    settings = ForecastSettings(**{**base, "inflow": {"41A03-1": 1.0, "42A03": 2.0}})
    with_rides = municipal_forecast(HR, [care, *rides], settings)
    t = with_rides.products.index("42A03")
    price = (3 * HR.transport.tariff["2"] + 1 * HR.transport.tariff["4"]) / 4
    added = with_rides.expected[0, 0, t] - without.expected[0, 0, t]
    assert added == pytest.approx(2.0 * 3.0 * 22 / 5 * 12 / 13 * price)  # 2 new rides of 3 days in September


def test_missing_unit_column_gives_one_line_no_follow_on(tmp_path):
    """User test: a missing `unit` column gave "verplichte kolom ontbreekt" and then a line "eenheid 16 past
    niet bij 42A03" per row, for a default the user never typed. Only the missing column is reported; a
    value the user did write (an unknown product) still is."""
    folder = _csv(tmp_path, ["Leiden,42A03,10,2,2025-01-01,2025-12-31,1",
                             "Leiden,41A03-1,3,2,2025-01-01,2025-12-31,",
                             "Leiden,XYZ,3,2,2025-01-01,2025-12-31,"],
                  header="municipality,product,volume,frequency,start_date,end_date,category")
    with pytest.raises(InputError) as err:
        read_allocations(folder, HR)
    found = [(p.row, p.column, p.message) for p in err.value.problems]
    assert found[0] == (1, "unit", "verplichte kolom ontbreekt")
    assert [f for f in found if "eenheid" in f[2]] == []
    assert [(r, c) for r, c, _ in found[1:]] == [(4, "product")]


def test_duration_above_the_maximum_is_a_warning():
    """A [forecast] duration_months of 12 for 41K04 (at most 9 months, 004 regel 4214) is capped to 9, and
    said so: a warning line for check and forecast, not silently."""
    settings = ForecastSettings(start=D(2025, 7, 1), duration_months={"41K04": 12.0, "41A03": 12.0})
    assert stay_months(MH, settings, "41K04") == 9
    (warning,) = settings_warnings(MH, settings)
    assert warning.column == "duration_months.41K04" and "12" in warning.message and "9" in warning.message


def test_annual_sheet_is_a_clean_table(tmp_path):
    """User test: the sentence on P10/P50/P90 sat inside the "Jaar per gemeente" table (pandas read a NaN row
    and Jaar as float). The sheet is the table alone, header on row 1; the sentence is on Toelichting."""
    allocs = [Allocation("Leiden", "41A03-1", 4, 16, 2, D(2025, 1, 6), D(2026, 3, 31)),
              Allocation("Katwijk", "DB-LICHT", 6, 16, 2, D(2025, 3, 1), None)]
    fc = municipal_forecast(HR, allocs, ForecastSettings(start=D(2025, 7, 1), months=18, runs=50, seed=1))
    write_forecast(HR, fc, None, tmp_path / "f.xlsx", tmp_path / "f.csv", ["noot"])
    table = pd.read_excel(tmp_path / "f.xlsx", sheet_name="Jaar per gemeente")
    assert len(table) == 4 and not table.isna().any().any()
    assert table["Jaar"].dtype.kind == "i" and set(table["Jaar"]) == {2025, 2026}
    info = openpyxl.load_workbook(tmp_path / "f.xlsx")["Toelichting"]
    assert any(ANNUAL_NOTE in str(c.value) for c in info["A"])
