"""The web app writes money, fractions and the solver's status in Dutch, through one helper
(planner/web/nl.py), on the rendered roster page (issue 21 point 4, user test of /work/try21)."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from planner.web import nl
from planner.web.app import create_app
from tests.conftest import EXAMPLE
from tests.e2e.test_web import BASE, MODEL, WORKBOOK, wait_for


def test_helper_formats_dutch():
    assert nl.euro(14154.56, 2) == "€ 14.154,56" and nl.euro(777309.6) == "€ 777.310"
    assert nl.euro_cents(-123456) == "-€ 1.234,56"
    assert nl.percent(0.365) == "36,5%" and nl.percent(None) == "–"
    assert nl.status("FEASIBLE", 0.2) == "haalbaar" and nl.status("OPTIMAL", 0.0) == "optimaal"
    assert nl.status("FEASIBLE", 0.0) == "optimaal" and nl.status("FEASIBLE", 0.1, True) == "haalbaar, onderbroken"


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    with TestClient(create_app(root / "web", scenarios_dir=EXAMPLE.parent.parent), base_url=BASE) as client:
        with WORKBOOK.open("rb") as fh:
            r = client.post("/api/plan", data={"model": MODEL, "time_limit": "2"},
                            files={"file": ("voorbeeld.xlsx", fh, "application/octet-stream")})
        assert r.status_code == 202, r.text
        job = wait_for(client, r.json()["id"])
        assert job["state"] == "done", job["error"]
        yield client, job["id"]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_roster_page_is_dutch(planned):
    client, job_id = planned
    page = client.get(f"/opdrachten/{job_id}/rooster")
    assert page.status_code == 200
    text = _text(page.text)
    s = client.get(f"/api/jobs/{job_id}").json()["summary"]
    assert "FEASIBLE" not in text and "OPTIMAL" not in text and "gap" not in text
    assert f"Personeel {nl.euro(s['cost_per_week']['staff'], 2)}" in text
    assert re.search(r"Personeel € \d{1,3}(\.\d{3})+,\d\d", text), text  # thousands dot, decimal comma
    assert f"Niet ingeroosterde contracturen {nl.euro(s['cost_per_week']['unused_contract'], 2)}" in text
    assert "Verlof (doorbetaalde contracturen) € 0,00" in text
    assert f"afstand tot ondergrens {nl.percent(s['gap'])}" in text
    assert nl.status(s["status"], s["gap"]) in ("optimaal", "haalbaar")


def test_a_roster_at_its_bound_is_optimal_on_the_page(planned):
    """A replanned job whose cost equals the bound (gap 0) but whose last solve said FEASIBLE."""
    client, job_id = planned
    path = client.app.state.store.root / job_id / "grid.json"
    grid = json.loads(path.read_text(encoding="utf-8"))
    grid["summary"].update(status="FEASIBLE", gap=0.0, objective=16193.95, best_bound=16193.95)
    grid["summary"]["cost_per_week"].update(staff=14154.56, leave=3713.18)
    path.write_text(json.dumps(grid), encoding="utf-8")
    text = _text(client.get(f"/opdrachten/{job_id}/rooster").text)
    assert "Status optimaal" in text and "afstand tot ondergrens 0,0%" in text
    assert "Personeel € 14.154,56" in text and "Verlof (doorbetaalde contracturen) € 3.713,18" in text
