"""A dated week in the web app (issue 21 point 1, "and in the web app"): the form and the API take an ISO week,
the job plans that week, the roster page and the edit view show its dates and rules, a replan keeps it."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from planner.web.app import create_app
from tests.conftest import EXAMPLE, vg_gedrag_sheets, write_workbook
from tests.e2e.test_web import BASE, wait_for

MODEL = "westfriesland-2025"
WEEK = "2026-W03"  # Monday 12 January .. Friday 16 January 2026


def _workbook(tmp_path):
    """Three VG gedrag children who can come Monday or Tuesday; Tuesday 13 January is a closing day of L1
    and S2 is on leave on Monday 12 January."""
    sheets = vg_gedrag_sheets(["ma-ochtend, ma-middag, di-ochtend"] * 3)
    sheets["leave"] = [["staff_id", "from", "to"], ["S2", "2026-01-12", "2026-01-12"]]
    sheets["closing_days"] = [["date", "location_id"], ["2026-01-13", "L1"]]
    return write_workbook(tmp_path / "week.xlsx", sheets)


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent), base_url=BASE) as c:
        yield c


def _post(client, tmp_path, week, path="/api/jobs"):
    with _workbook(tmp_path).open("rb") as fh:
        return client.post(path, data={"model": MODEL, "time_limit": "2", "week": week},
                           files={"file": ("week.xlsx", fh, "application/octet-stream")})


def _rows(client, job_id, name="roster.csv"):
    return list(csv.DictReader(io.StringIO(client.get(f"/api/jobs/{job_id}/files/{name}").text)))


@pytest.mark.parametrize("week", ["2026-W3", "2026W03", "2026-W54", "volgende week", "2026-W03-1"])
def test_a_bad_week_is_refused_naming_the_field(client, tmp_path, week):
    """422 with one Dutch line naming `week`, for the API and the upload form; no job is kept."""
    answer = _post(client, tmp_path, week)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == f"week: '{week}' is geen ISO-week (verwacht bijv. 2026-W03)"
    page = _post(client, tmp_path, week, "/opdrachten")
    assert page.status_code == 422 and "is geen ISO-week" in page.text
    assert not [p for p in (tmp_path / "web").iterdir() if len(p.name) == 32]


def test_a_dated_week_is_planned_shown_edited_and_replanned(client, tmp_path):
    """The job plans 2026-W03: nobody on the closed Tuesday, S2 not on Monday; the pages show the week and
    its dates; an edit onto Tuesday is refused as a closing day; a replan plans the same week."""
    answer = _post(client, tmp_path, " 2026-W03 ")
    assert answer.status_code == 202, answer.text
    assert answer.json()["week"] == WEEK and answer.json()["period"].startswith("week 3 2026")
    job = wait_for(client, answer.json()["id"])
    assert job["state"] == "done", job["error"]
    assert job["summary"]["period"]["week"] == WEEK and job["summary"]["period"]["dates"]["ma"] == "2026-01-12"
    rows = _rows(client, job["id"])
    assert rows and not any(r["dagdeel"].startswith("di") for r in rows)
    assert not any(r["person_id"] == "S2" and r["dagdeel"].startswith("ma") for r in rows)
    kids = {r["person_id"]: r["dagdeel"] for r in rows if r["role"] == "child"}
    assert set(kids) == {"C1", "C2", "C3"}

    page = client.get(f"/opdrachten/{job['id']}/rooster").text
    assert "week 3 2026 (12-01-2026 t/m 16-01-2026)" in page
    assert "<th>ma 12-01 ochtend</th>" in page and '<option value="di-ochtend">di 13-01 ochtend</option>' in page

    staff = next(r for r in rows if r["role"] == "staff")
    closed = client.post(f"/api/jobs/{job['id']}/edit", json={
        "person_id": staff["person_id"], "role": "staff", "from_group": "G1", "from_dagdeel": staff["dagdeel"],
        "to_dagdeel": "di-ochtend"})
    assert closed.status_code == 200, closed.text
    assert any(v["rule"] == "groep_open" and "sluitingsdag, week 2026-W03" in v["message"]
               for v in closed.json()["violations"]), closed.json()

    other = "ma-middag" if kids["C1"] == "ma-ochtend" else "ma-ochtend"
    kept = client.post(f"/api/jobs/{job['id']}/edit", json={
        "person_id": "C1", "role": "child", "from_group": "G1", "from_dagdeel": kids["C1"],
        "to_dagdeel": other, "keep": True})
    assert kept.status_code == 200 and kept.json()["kept"], kept.text
    again = client.post(f"/api/jobs/{job['id']}/replan")
    assert again.status_code == 202, again.text
    assert again.json()["week"] == WEEK
    done = wait_for(client, again.json()["id"])
    assert done["state"] == "done", done["error"]
    assert done["summary"]["period"]["week"] == WEEK and done["summary"]["checker_violations"] == []
    rows = _rows(client, done["id"])
    assert ("C1", other) in {(r["person_id"], r["dagdeel"]) for r in rows}
    assert not any(r["dagdeel"].startswith("di") for r in rows)
    assert not any(r["person_id"] == "S2" and r["dagdeel"].startswith("ma") for r in rows)
