"""Issue 22 follow-up: the minimum run of a group and the place of children already in care."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from fastapi import HTTPException

from planner.app.capacity.check import check_capacity
from planner.app.capacity.demand import Case, case_ends, demand
from planner.app.capacity.model import CapacitySettings, Start, group_types, solve_capacity
from planner.app.capacity.run import first_month, inputs, staffing_for
from planner.app.forecast.model import ForecastSettings
from planner.inputs.catalogue import load_model
from planner.inputs.scenario import load_scenario
from planner.web.capacity import parse_start
from tests.conftest import ROOT, run_cli

MODEL = load_model("holland-rijnland-2025")
FS = ForecastSettings(start=dt.date(2026, 1, 1), months=12, runs=50, seed=1, inflow_dispersion=0.0)
SETTINGS = CapacitySettings(waiting_price=500.0, service_level=0.0, plan_quantile="P50", time_limit_s=20)


def _plan(cases: list[Case], settings: CapacitySettings, groups: int):
    dem = demand(MODEL, cases, FS)
    types = group_types(MODEL, dem, settings, {"41A03-1": None})
    start = Start({"41A03-1": groups}, staffing_for(MODEL, [(types[0], groups)]))
    plan = solve_capacity(MODEL, dem, start, settings, types)
    assert check_capacity(MODEL, plan) == []
    return plan


def _year(n: int) -> list[Case]:
    return [Case("41A03-1", 4, dt.date(2025, 1, 1), dt.date(2026, 12, 31)) for _ in range(n)]


def test_a_group_opened_for_a_one_month_peak_stays_open_its_minimum_run() -> None:
    # one full group (8 seats x 10 dagdelen = 20 children of 4) all year, a second group's worth in April only:
    # the old model opened a group in April and closed one in May ("groups open >= opened lately")
    april = [Case("41A03-1", 4, dt.date(2026, 4, 1), dt.date(2026, 4, 30)) for _ in range(20)]
    plan = _plan(_year(20) + april, SETTINGS, groups=1)
    run = SETTINGS.min_run_months
    k = 0
    assert plan.opened[:, k].sum() >= 1
    for t in np.flatnonzero(plan.opened[:, k]):
        assert plan.closed[max(0, t - run + 1): t + run, k].sum() == 0, (t, plan.closed[:, k])
        assert (plan.groups[t: t + run, k] >= plan.groups[t, k]).all()


def test_checker_refuses_open_and_close_within_the_minimum_run() -> None:
    april = [Case("41A03-1", 4, dt.date(2026, 4, 1), dt.date(2026, 4, 30)) for _ in range(20)]
    plan = _plan(_year(20) + april, SETTINGS, groups=2)  # two groups: nothing to open
    opened, closed, groups = plan.opened.copy(), plan.closed.copy(), plan.groups.copy()
    opened[3, 0] += 1  # open a third group in April, close one in May
    closed[4, 0] += 1
    groups[3, 0] += 1
    broken = replace(plan, opened=opened, closed=closed, groups=groups,
                     places=groups * (plan.types[0].seats * plan.types[0].dd))
    lines = check_capacity(MODEL, broken)
    assert any("minimale looptijd" in line for line in lines), lines


def test_children_in_care_keep_their_place_even_when_waiting_is_free() -> None:
    # two groups of children in care until the end of the year; with waiting_price 0 the old model let
    # every one of them wait and closed the groups
    plan = _plan(_year(40), replace(SETTINGS, waiting_price=0.0), groups=2)
    current = plan.demand.current
    assert current[:, plan.demand.products.index("41A03-1")].min() > 0
    assert (plan.served.sum(axis=2) >= current - 1e-6).all()
    assert plan.waiting.sum() < 1e-6
    assert (plan.groups[:, 0] >= 2).all()


def test_checker_refuses_a_child_in_care_on_the_waiting_list() -> None:
    plan = _plan(_year(40), SETTINGS, groups=2)
    served, waiting = plan.served.copy(), plan.waiting.copy()
    served[5] *= 0.5
    waiting[5] += plan.served[5].sum(axis=1) * 0.5
    lines = check_capacity(MODEL, replace(plan, served=served, waiting=waiting))
    assert any("huidige jeugdigen" in line for line in lines), lines


def test_children_without_end_date_leave_spread_over_a_stay_from_the_peildatum() -> None:

    # the example's kind: every child started on the same day, none has an end date
    cases = [Case("41A03-1", 4, dt.date(2025, 1, 6), None) for _ in range(12)]
    seen = dt.date(2025, 9, 1)
    p = list(MODEL.products).index("41A03-1")
    early = demand(MODEL, cases, replace(FS, start=dt.date(2026, 1, 1), months=24), seen=seen).current[:, p]
    late = demand(MODEL, cases, replace(FS, start=dt.date(2027, 12, 1), months=12), seen=seen).current[:, p]
    assert early[0] > 0 and early[-1] < early[0]
    assert np.abs(np.diff(early)).max() <= 2 * 4 + 1e-9  # no cliff: at most a few children a month
    assert late.sum() < early[:12].sum()  # a later --start sees fewer of today's children
    ends = case_ends(cases, {"41A03-1": 12.0}, seen)
    assert len(set(ends)) == 12 and min(ends) > seen


def test_example_start_later_sees_fewer_children_in_care() -> None:

    sc = load_scenario(ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml")
    now = inputs(sc, months=12, start="2026-01")[1].current.sum(axis=1)
    later = inputs(sc, months=12, start="2027-12")[1].current.sum(axis=1)
    assert later.sum() < now.sum()
    assert np.abs(np.diff(now)).max() < 0.35 * now[0]  # no month where a third of the children leave at once


def _cli(*args: str):

    return run_cli(*args)


def test_unknown_product_or_kind_names_are_refused_exit_2(tmp_path) -> None:

    base = ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml"
    cases = {
        "forecast.inflow.41A00-9": '[forecast]\ninflow = { "41A00-9" = 1.0 }\n',
        "forecast.duration_months.XX": '[forecast]\nduration_months = { "XX" = 6.0 }\n',
        "changes.inflow_scale.dagbehandling": '[changes]\ninflow_scale = { "dagbehandling" = 1.2 }\n',
        "capacity.waitlist.41X99": '[capacity]\nwaitlist = { "41X99" = 2 }\n',
    }
    for key, table in cases.items():
        scenario = tmp_path / "cap.toml"
        scenario.write_text(f'extends = "{base}"\n{table}')
        done = _cli("capacity", str(scenario), "--months", "2", "--out", str(tmp_path / "out"))
        assert done.returncode == 2, (key, done.stdout, done.stderr)
        lines = [line for line in done.stderr.strip().splitlines() if "probleem/problemen" not in line]
        assert "Traceback" not in done.stderr and len(lines) == 1, lines
        assert key in lines[0] and "cap.toml" in lines[0] and "onbekend" in lines[0], lines
        assert not (tmp_path / "out").exists()


def test_compare_vary_unknown_kind_is_refused_exit_2(tmp_path) -> None:

    base = ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml"
    done = _cli("compare", "--capacity", str(base), "--months", "2", "--vary", "inflow_scale.dagbehandling=1.0,1.2",
                "--out", str(tmp_path / "out"))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert any("inflow_scale.dagbehandling" in line and "onbekend" in line for line in done.stderr.splitlines())


def test_start_month_one_validator_for_command_line_and_web_form(tmp_path) -> None:


    assert first_month("2027-12") == dt.date(2027, 12, 1) and parse_start("2027-12") == "2027-12"
    for bad in ("26-01", "1899-01", "2026-13", "2026-1", "abc"):
        with pytest.raises(ValueError):
            first_month(bad)
        with pytest.raises(HTTPException):
            parse_start(bad)
    for bad in ("26-01", "1899-01"):
        done = _cli("capacity", str(ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml"), "--start", bad,
                    "--out", str(tmp_path / "out"))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert [line for line in done.stderr.splitlines() if "--start" in line and bad in line], done.stderr
