"""Hand edits through the web API (issue 21 point 2): `POST /api/jobs/{id}/edit` re-checks and re-prices,
changes nothing unless `keep`, and `POST /api/jobs/{id}/replan` plans again around the kept edits."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from planner.web.app import create_app
from tests.conftest import EXAMPLE, vg_gedrag_sheets, write_workbook
from tests.e2e.test_web import BASE, wait_for

MODEL = "westfriesland-2025"


def _workbook(tmp_path):
    """One VG gedrag group (product maximum 4, 003 §3.4 VG Gedrag) in a room for 8; C1-C4 can only come on
    ma-ochtend, C5 on ma-ochtend or di-ochtend: a plan puts four on ma-ochtend and C5 on di-ochtend."""
    sheets = vg_gedrag_sheets(["ma-ochtend"] * 4 + ["ma-ochtend, di-ochtend"])
    return write_workbook(tmp_path / "vg.xlsx", sheets)


@pytest.fixture
def planned(tmp_path):
    with TestClient(create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent), base_url=BASE) as client:
        with _workbook(tmp_path).open("rb") as fh:
            answer = client.post("/api/plan", data={"model": MODEL, "time_limit": "2"},
                                 files={"file": ("vg.xlsx", fh, "application/octet-stream")})
        assert answer.status_code == 202, answer.text
        job = wait_for(client, answer.json()["id"])
        assert job["state"] in ("done", "cancelled"), job
        yield client, job["id"]


def _roster(client, job_id, name="roster.csv"):
    text = client.get(f"/api/jobs/{job_id}/files/{name}").text
    return [r for r in csv.DictReader(io.StringIO(text), delimiter=",")]


# EUR per staff-dagdeel in westfriesland-2025, by hand: the hourly costs of tests/unit/test_tariffs.py
# (HR_HOURLY: the same [cost_model] figures) x 4 h, to the cent: 45.8882 x 4 = 183.5528, 49.6495 x 4 = 198.598,
# 55.6676 x 4 = 222.6704, 69.9607 x 4 = 279.8428
DAGDEEL_EUR = {"MBO3": 183.55, "MBO4": 198.60, "HBO": 222.67, "WO": 279.84}


def _cost(staff_dagdelen: dict[str, int]) -> float:
    """The week's cost of these staff dagdelen (no transport: own transport), from DAGDEEL_EUR."""
    return round(sum(n * DAGDEEL_EUR[lv] for lv, n in staff_dagdelen.items()), 2)


def test_fifth_child_in_vg_gedrag_group_of_four_breaks_the_group_maximum(planned):
    client, job_id = planned
    rows = _roster(client, job_id)
    kids = {r["person_id"]: r["dagdeel"] for r in rows if r["role"] == "child"}
    assert kids == {"C1": "ma-ochtend", "C2": "ma-ochtend", "C3": "ma-ochtend", "C4": "ma-ochtend",
                    "C5": "di-ochtend"}
    before = client.get(f"/api/jobs/{job_id}/files/roster.csv").content
    answer = client.post(f"/api/jobs/{job_id}/edit", json={
        "person_id": "C5", "role": "child", "from_group": "G1", "from_dagdeel": "di-ochtend",
        "to_dagdeel": "ma-ochtend"})
    assert answer.status_code == 200, answer.text
    out = answer.json()
    rules = {v["rule"] for v in out["violations"]}
    assert "groepsgrootte" in rules
    assert "regel groepsmaximum (groepsgrootte): G1 op ma-ochtend: 5 kinderen, max 4 (DB-VG-GEDRAG)" in out["lines"]
    # the new cost: the staff the roster still has, priced by the model (own transport costs nothing here)
    staff = [r for r in rows if r["role"] == "staff"]
    levels: dict[str, int] = {}
    for r in staff:
        levels[r["education"]] = levels.get(r["education"], 0) + 1
    assert out["cost_per_week"] == pytest.approx(_cost(levels))
    assert out["cost_text"].startswith("€ ") and "," in out["cost_text"]
    assert out["kept"] is False and out["edits_kept"] == 0
    # nothing of the job changed
    assert client.get(f"/api/jobs/{job_id}/files/roster.csv").content == before
    assert "roster-bewerkt.csv" not in client.get(f"/api/jobs/{job_id}").json()["files"]


def test_keep_undo_and_replan_around_a_kept_move(planned):
    client, job_id = planned
    original = client.get(f"/api/jobs/{job_id}/files/roster.csv").content
    staff_di = sorted(r["person_id"] for r in _roster(client, job_id) if r["role"] == "staff"
                      and r["dagdeel"] == "di-ochtend")
    # removing every staff member from di-ochtend, kept one by one: C5 is left without staff there
    for person in staff_di:
        kept = client.post(f"/api/jobs/{job_id}/edit", json={
            "person_id": person, "role": "staff", "from_group": "G1", "from_dagdeel": "di-ochtend", "remove": True,
            "keep": True}).json()
        assert kept["kept"] is True
    assert kept["edits_kept"] == len(staff_di)
    assert any("min_personeel" in line and "G1 op di-ochtend" in line for line in kept["lines"])
    edited = _roster(client, job_id, "roster-bewerkt.csv")
    assert not [r for r in edited if r["role"] == "staff" and r["dagdeel"] == "di-ochtend"]
    assert client.get(f"/api/jobs/{job_id}/files/roster.csv").content == original  # the plan itself stays
    for _ in staff_di:
        undone = client.post(f"/api/jobs/{job_id}/edit/undo").json()
    assert undone["violations"] == [] and undone["edits_kept"] == 0
    assert "roster-bewerkt.csv" not in client.get(f"/api/jobs/{job_id}").json()["files"]
    assert client.post(f"/api/jobs/{job_id}/edit/undo").status_code == 409
    # keep C5 on ma-ochtend (it breaks the group maximum there) and replan: the pin holds, the optimiser
    # plans the rest around it, so one of C1-C4 (ma-ochtend only) has to wait; the new plan breaks no rule
    kept = client.post(f"/api/jobs/{job_id}/edit", json={
        "person_id": "C5", "role": "child", "from_group": "G1", "from_dagdeel": "di-ochtend",
        "to_dagdeel": "ma-ochtend", "keep": True}).json()
    assert kept["edits_kept"] == 1 and any("groepsgrootte" in line for line in kept["lines"])
    answer = client.post(f"/api/jobs/{job_id}/replan")
    assert answer.status_code == 202, answer.text
    job = wait_for(client, answer.json()["id"])
    assert job["state"] in ("done", "cancelled"), job
    kids = {(r["person_id"], r["dagdeel"]) for r in _roster(client, job["id"]) if r["role"] == "child"}
    assert ("C5", "ma-ochtend") in kids and len([k for k in kids if k[1] == "ma-ochtend"]) == 4
    assert job["summary"]["changes"]["previous_roster"] == "vorig-rooster.csv"


def test_bad_edits_are_refused_in_dutch(planned):
    client, job_id = planned
    cases = [({"person_id": "C9", "role": "child", "from_group": "G1", "from_dagdeel": "ma-ochtend",
               "to_dagdeel": "di-ochtend"}, "staat niet in groep"),
             ({"person_id": "C1", "role": "child", "from_group": "G1", "from_dagdeel": "zo-nacht",
               "to_dagdeel": "di-ochtend"}, "dagdeel"),
             ({"person_id": "C1", "role": "child", "from_group": "G1", "from_dagdeel": "ma-ochtend"},
              "andere groep"),
             # user test of issue 21: an English pydantic list, and a 200 with an "onbekend" violation
             ({"person_id": "C1", "role": "kind", "from_group": "G1", "from_dagdeel": "ma-ochtend",
               "to_dagdeel": "di-ochtend"}, "role: 'kind' onbekend (child of staff)"),
             ({"person_id": "C1", "role": "child", "from_group": "G1", "from_dagdeel": "ma-ochtend",
               "to_group": "G99"}, "to_group: groep 'G99' onbekend")]
    for body, words in cases:
        answer = client.post(f"/api/jobs/{job_id}/edit", json=body)
        assert answer.status_code == 422 and words in answer.json()["detail"], answer.text
        assert isinstance(answer.json()["detail"], str)  # one Dutch line
    assert client.post("/api/jobs/" + "0" * 32 + "/edit", json=cases[0][0]).status_code == 404
    # a foreign page cannot post an edit (the app's Origin guard)
    answer = client.post(f"/api/jobs/{job_id}/edit", json=cases[0][0], headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403
