"""`planner compare --capacity`: capacity plans of scenarios and sweeps side by side, locally and on Dask."""

from __future__ import annotations

import csv
import subprocess
import sys

import openpyxl
import pytest

from planner.app.compare.capacity import capacity_tasks, run_capacity_comparison, split_vary
from planner.app.compare.outcome import METRICS
from planner.inputs.catalogue import LEVELS
from planner.inputs.errors import InputError
from planner.report.compare_xlsx import write_compare
from tests.conftest import EXAMPLE

BASE = EXAMPLE.parent / "capaciteit.toml"
KINDS = ("dagbehandeling", "dagbesteding", "zorg-onderwijs")
# inflow +100 % on every kind of product, a stricter ratio on the example's biggest product
MORE = [f"inflow_scale.{kind}=2.0" for kind in KINDS]
STRICT = ["products.41A00-1.children_per_staff=3"]


def test_more_inflow_and_a_stricter_ratio_never_cost_less_and_every_metric_is_there():
    """Inflow +100 % and a stricter ratio, each against the base over 4 months: demand P90 up with more
    inflow (exact), the plan's objective (cost plus waiting price) not below the base's beyond both
    gaps, every capacity metric per scenario (cost, hires and peak FTE per level, waiting)."""
    title, items = capacity_tasks([BASE], MORE, months=4)
    assert title == "voorbeeld-capaciteit"
    assert [it.name for it in items] == ["voorbeeld-capaciteit", ", ".join(MORE)]
    assert [it.job.group for it in items] == [0, 1]
    outcomes = run_capacity_comparison(items, parallel=1)
    base, up = outcomes
    assert not base.error and not up.error
    for o in outcomes:
        for key in ("cap_cost_total", "cap_objective", "cap_hired_total", "cap_waiting_mean", "cap_service_months",
                    *(f"cap_peak_fte_{lv}" for lv in LEVELS), *(f"cap_hired_{lv}" for lv in LEVELS)):
            assert key in o.figures and key in METRICS, key
        assert o.cost_margin is not None and o.cost_margin >= 0
    assert up.figures["cap_demand_p90"] > base.figures["cap_demand_p90"]
    assert up.figures["cap_objective"] >= base.figures["cap_objective"] - base.cost_margin - up.cost_margin
    _, strict_items = capacity_tasks([BASE], STRICT, months=4)
    strict = run_capacity_comparison(strict_items, parallel=1)[1]
    assert not strict.error
    assert strict.figures["cap_demand_p90"] == base.figures["cap_demand_p90"]  # same demand, other rules
    assert strict.figures["cap_objective"] >= base.figures["cap_objective"] - base.cost_margin - strict.cost_margin


def test_capacity_and_forecast_keys_sweep_and_the_base_value_is_the_base():
    """--vary capacity.waiting_price=5,25,100: 25 is the base's own value and is left out; the others
    change only the setting; forecast keys vary the [forecast] table; unknown keys are refused."""
    _, items = capacity_tasks([BASE], ["capacity.waiting_price=5,25,100"], months=3)
    assert [it.name for it in items] == ["voorbeeld-capaciteit", "capacity.waiting_price=5",
                                         "capacity.waiting_price=100"]
    assert [it.job.settings.waiting_price for it in items] == [25.0, 5.0, 100.0]
    _, items = capacity_tasks([BASE], ["forecast.inflow.ZO-2=0.4,1.2"], months=3)  # 0.4 is the base's
    assert [it.name for it in items] == ["voorbeeld-capaciteit", "forecast.inflow.ZO-2=1.2"]
    assert items[1].job.demand.p90.sum() > items[0].job.demand.p90.sum()
    with pytest.raises(InputError) as exc:
        capacity_tasks([BASE], ["capacity.wachtprijs=1,2"], months=3)
    assert any("wachtprijs" in str(p) for p in exc.value.problems)
    with pytest.raises(InputError):
        split_vary(["capacity.waiting_price"])


def test_cli_writes_capacity_metrics_side_by_side(tmp_path):
    """`planner compare --capacity BASE --vary ...`: compare.csv has every scenario's capacity metrics with
    difference and verdict; compare.xlsx's Vergelijking names them in Dutch, Antwoord has one line per variant."""
    out = tmp_path / "vergelijking"
    done = subprocess.run([sys.executable, "-m", "planner.cli", "compare", "--capacity", str(BASE), "--months", "6",
                           "--vary", "duration_scale.dagbehandeling=0.25", "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
    with (out / "compare.csv").open() as fh:
        rows = {(r["scenario"], r["metric"]): r for r in csv.DictReader(fh)}
    variant = "duration_scale.dagbehandeling=0.25"
    for name in ("voorbeeld-capaciteit", variant):
        assert (name, "cap_cost_total") in rows and (name, "cap_peak_fte_HBO") in rows
    # new cases of dagbehandeling stay 3 months instead of 12: less demand in months 4-6, exact (no optimisation)
    demand = rows[(variant, "cap_demand_p50")]
    assert float(demand["difference"]) < 0 and demand["verdict"] == "effect" and float(demand["margin"]) == 0
    wb = openpyxl.load_workbook(out / "compare.xlsx")
    labels = [c.value for c in wb["Vergelijking"]["A"]]
    assert "Capaciteit: kosten over de horizon (zonder wachtprijs)" in labels
    assert "Capaciteit: hoogste fte HBO in dienst" in labels
    answer = [c.value for c in wb["Antwoord"]["A"] if c.value]
    assert any(str(v).startswith(f"{variant}: ") for v in answer)


def test_local_pool_and_dask_cluster_give_the_same_file(tmp_path):
    """The same capacity comparison in a local process pool and on a Dask LocalCluster: identical compare.csv."""
    pytest.importorskip("distributed")
    from distributed import LocalCluster  # noqa: PLC0415 -- Dask is an optional extra

    _, items = capacity_tasks([BASE], ["capacity.lead_months=1,3"], months=3)
    local = run_capacity_comparison(items, parallel=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        seen = []
        remote = run_capacity_comparison(items, cluster.scheduler_address, seen.append)
    assert len(seen) == 3
    for where, outcomes in (("lokaal", local), ("dask", remote)):
        write_compare(outcomes, "basis", tmp_path / f"{where}.xlsx", tmp_path / f"{where}.csv")
    assert all(o.status == "optimaal" for o in local)  # stopped at the gap, not the clock: repeatable
    assert (tmp_path / "lokaal.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
