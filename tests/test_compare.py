"""`planner compare`: scenarios side by side, sweeps, the local pool and a Dask cluster giving equal results."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from planner.compare import parse_vary, plan_tasks, pool_size, run_items
from planner.errors import InputError
from tests.conftest import EXAMPLE, write_scenario, write_workbook

VARIANTS = EXAMPLE.parent


def _read_csv(path):
    with path.open() as fh:
        return {(r["scenario"], r["metric"]): r for r in csv.DictReader(fh)}


def test_example_stricter_ratio_and_higher_tariffs_against_the_base(tmp_path):
    """1:3 instead of 1:4 for 41A00-1/2 costs more staff; 5 % higher tariffs give exactly 5 % more revenue."""
    out = tmp_path / "vergelijking"
    result = subprocess.run(
        [sys.executable, "-m", "planner.cli", "compare", str(EXAMPLE), str(VARIANTS / "strengere-ratio.toml"),
         str(VARIANTS / "tarief-plus-5.toml"), "--time-limit", "10", "--out", str(out)],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    rows = _read_csv(out / "compare.csv")

    def value(scenario, metric):
        return Decimal(rows[(scenario, metric)]["value"])

    assert value("strengere-ratio", "fte_total") + value("strengere-ratio", "vacancy_fte_total") > \
        value("voorbeeld", "fte_total") + value("voorbeeld", "vacancy_fte_total")
    assert value("strengere-ratio", "cost_total") > value("voorbeeld", "cost_total")
    assert Decimal(rows[("strengere-ratio", "cost_total")]["difference"]) > 0
    # same roster (same seed and workers), tariffs x 1.05: revenue exactly 5 % more, to the cent
    assert value("tarief-plus-5", "dagdelen_placed") == value("voorbeeld", "dagdelen_placed")
    assert value("tarief-plus-5", "revenue") == (value("voorbeeld", "revenue") * Decimal("1.05")).quantize(
        Decimal("0.01"))
    assert Decimal(rows[("tarief-plus-5", "revenue")]["difference_pct"]) == Decimal("0.05")
    wb = openpyxl.load_workbook(out / "compare.xlsx")
    assert wb.sheetnames == ["Vergelijking", "Scenario's", "Tarieven", "Grafieken"]
    ws = wb["Vergelijking"]
    assert [c.value for c in ws[4]][:4] == ["Kenmerk", "voorbeeld", "strengere-ratio", "tarief-plus-5"]
    labels = {ws.cell(row=r, column=1).value: r for r in range(5, 40)}
    r = labels["Kosten totaal per jaar"]
    assert ws.cell(row=r, column=3).value > ws.cell(row=r, column=2).value
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any("-$B" in f for f in formulas)  # differences to the base are formulas
    assert len(wb["Grafieken"]._charts) >= 2


def _tiny(tmp_path):
    sheets = {
        "locations": [["location_id", "provider", "lat", "lon"], ["L1", "Test", 52.16, 4.49],
                      ["L2", "Test", 52.18, 4.47]],
        "groups": [["group_id", "location_id", "products", "capacity", "open"],
                   ["G1", "L1", "41A03-1, 41A03-2", 8, "ma, di, wo"], ["G2", "L2", "41A03-1", 6, "ma, wo"]],
        "staff": [["staff_id", "education", "dagdelen_per_week"], ["S1", "HBO", 6], ["S2", "MBO4", 6],
                  ["S3", "HBO", 4]],
        "children": [["child_id", "municipality", "lat", "lon", "product", "dagdelen_per_week", "age", "transport"],
                     *[[f"C{i}", "Leiden", 52.16 + i * 0.003, 4.49, "41A03-1" if i % 3 else "41A03-2", 2 + i % 3, 9,
                        "groep" if i % 2 else "eigen"] for i in range(9)]],
    }
    write_workbook(tmp_path / "klein.xlsx", sheets)
    return write_scenario(tmp_path, "klein.xlsx", extra="[solve]\ntime_limit_s = 1\nseed = 3\n")


SWEEP = ["tariff_index=1.0,1.05,1.1", "staff_scale=1.0,0.5", "products.41A03-1.children_per_staff=4,3"]


def test_twelve_variant_sweep_local_pool_and_dask_cluster_agree(tmp_path):
    from distributed import LocalCluster

    scenario = _tiny(tmp_path)
    title, items, jobs = plan_tasks([scenario], SWEEP, workers=1)
    assert len(items) == 13  # the base and 3 x 2 x 2 variants
    assert items[1].name == "tariff_index=1.0, staff_scale=1.0, 41A03-1.children_per_staff=4"
    local = run_items(items, jobs)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        seen = []
        remote = run_items(items, jobs, cluster.scheduler_address, seen.append)
    assert len(seen) == 13
    assert [o.name for o in remote] == [o.name for o in local]
    assert all(not o.error for o in local), [o.error for o in local]
    assert [(o.figures, o.status, o.tariffs) for o in remote] == [(o.figures, o.status, o.tariffs) for o in local]
    by_name = {o.name: o.figures for o in local}
    # the levers act: half the staff contract means fewer or equal own staff; stricter ratio more staff
    strict = by_name["tariff_index=1.0, staff_scale=1.0, 41A03-1.children_per_staff=3"]
    loose = by_name["tariff_index=1.0, staff_scale=1.0, 41A03-1.children_per_staff=4"]
    assert strict["fte_total"] + strict["vacancy_fte_total"] >= loose["fte_total"] + loose["vacancy_fte_total"]
    dearer = by_name["tariff_index=1.1, staff_scale=1.0, 41A03-1.children_per_staff=4"]
    assert dearer["revenue"] == pytest.approx(loose["revenue"] * 1.1, abs=0.005)
    # the forecast: the roster's next 12 months on the calendar (holidays off), tariffs included
    assert 0 < loose["forecast_revenue_12m"] < loose["revenue"]
    assert dearer["forecast_revenue_12m"] == pytest.approx(loose["forecast_revenue_12m"] * 1.1, rel=1e-3)


def test_a_failing_scenario_is_reported_and_the_others_run(tmp_path):
    scenario = _tiny(tmp_path)
    broken = tmp_path / "kapot.toml"
    broken.write_text('name = "kapot"\nmodel = "holland-rijnland-2025"\ndata = "bestaat-niet.xlsx"\n')
    bad_ratio = tmp_path / "onmogelijk.toml"
    bad_ratio.write_text(f'name = "onmogelijk"\nextends = "{scenario.name}"\n'
                         '[changes.products.41A03-1]\nchildren_per_staff = -1\n')
    out = tmp_path / "uit"
    result = subprocess.run([sys.executable, "-m", "planner.cli", "compare", str(scenario), str(broken),
                             str(bad_ratio), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "2 scenario('s) mislukt" in result.stdout.replace("\n", " ")
    wb = openpyxl.load_workbook(out / "compare.xlsx")
    status = {row[0]: (row[2], row[3]) for row in wb["Scenario's"].iter_rows(min_row=2, values_only=True)}
    assert status["test"][0] in ("OPTIMAL", "FEASIBLE")
    assert status["kapot"][0] == "FOUT" and "niet gevonden" in status["kapot"][1]
    assert status["onmogelijk"][0] == "FOUT" and "children_per_staff" in status["onmogelijk"][1]


def test_vary_keys_are_checked_and_pool_sized_to_the_machine():
    assert parse_vary(["products.41A03-3.children_per_staff=3,4"]) == [
        ("products.41A03-3.children_per_staff", [3, 4])]
    with pytest.raises(InputError) as exc:
        parse_vary(["ratio=3", "tariff_index"])
    assert len(exc.value.problems) == 2
    with pytest.raises(InputError) as exc:
        plan_tasks([EXAMPLE], ["products.XYZ.children_per_staff=3"])
    assert "onbekend product 'XYZ'" in str(exc.value)
    assert pool_size(12, cores=2) == (2, 1)
    assert pool_size(1, cores=8) == (1, 8)
    assert pool_size(3, cores=8) == (3, 2)


def test_municipal_policy_variant(tmp_path):
    """A municipal analyst's comparison (allocations only): less inflow and shorter trajectories cost less."""
    gemeenten = EXAMPLE.parent.parent / "gemeenten"
    out = tmp_path / "beleid"
    result = subprocess.run([sys.executable, "-m", "planner.cli", "compare", str(gemeenten / "prognose.toml"),
                             str(gemeenten / "kortere-trajecten.toml"), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    rows = _read_csv(out / "compare.csv")
    base = Decimal(rows[("prognose-holland-rijnland", "municipal_12m")]["value"])
    policy = Decimal(rows[("prognose-kortere-trajecten", "municipal_12m")]["value"])
    assert 0 < policy < base
    assert Decimal(rows[("prognose-kortere-trajecten", "municipal_12m")]["difference"]) == policy - base
