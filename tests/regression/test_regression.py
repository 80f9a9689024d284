"""Stored rosters re-checked and re-priced on every run (never re-solved): a change in the rules or in the
pricing shows here at once. Cases and how to remake them: tests/regression/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.app.recheck import recheck
from planner.inputs.scenario import load_inputs, load_scenario
from tests.regression.regenerate import CASES, INTENDED, verdict

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("name", CASES)
def test_stored_roster_keeps_its_verdict_and_price(name):
    """The case's roster gets the stored checker verdict (violations by rule id) and weekly price (cents)."""
    case = HERE / name
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    found = verdict(case)
    assert found["violations"] == expected["violations"]
    assert found["cost_per_week_cents"] == expected["cost_per_week_cents"]
    assert found["transport_days"] == expected["transport_days"]


@pytest.mark.parametrize("name", CASES)
def test_the_two_pricers_agree_on_stored_rosters(name):
    """verify's own price and core.costs (what the reports show) give the same weekly total to the cent."""
    case = HERE / name
    scenario = load_scenario(case / "scenario.toml")
    model, data = load_inputs(scenario)
    found = recheck(model, data, case / "roster.csv", scenario.solve.vacancies)
    assert found.cost.total == verdict(case)["cost_per_week_cents"]["total"]


def test_the_broken_roster_names_its_faults():
    """regels-gebroken lists the rules its roster breaks on purpose, by id."""
    expected = json.loads((HERE / "regels-gebroken" / "expected.json").read_text(encoding="utf-8"))
    assert set(INTENDED) <= set(expected["violations"])
    for name in ("voorbeeld", "hand-a-S", "hand-b-S"):
        assert json.loads((HERE / name / "expected.json").read_text(encoding="utf-8"))["violations"] == {}, name
