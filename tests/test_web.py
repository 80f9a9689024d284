"""The web app's JSON API and its guards, through FastAPI's test client (solves run in worker processes)."""

from __future__ import annotations

import io
import time

import openpyxl
import pytest
from fastapi.testclient import TestClient

from planner.web.app import create_app
from tests.conftest import EXAMPLE, run_cli, write_workbook

WORKBOOK = EXAMPLE.parent / "voorbeeldaanbieder.xlsx"
MODEL = "holland-rijnland-2025"


def broken_workbook(tmp_path, sheets):
    """The four-fault workbook of test_data: no lon column, a duplicate, an unknown product, a negative."""
    sheets["locations"] = [["location_id", "provider", "lat"], ["L1", "Test", 52.16]]
    sheets["children"].append(["C1", "Leiden", 52.16, 4.49, "41A03-1", 2, 9])
    sheets["children"].append(["C3", "Leiden", 52.16, 4.49, "41A99", 2, 9])
    sheets["children"].append(["C4", "Leiden", 52.16, 4.49, "41A03-1", -1, 9])
    return write_workbook(tmp_path / "kapot.xlsx", sheets)


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent)) as c:
        yield c


def _wait(client, job_id, until=("done", "cancelled", "failed"), timeout=120.0):
    began = time.time()
    while time.time() - began < timeout:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in until:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} still {job['state']} after {timeout} s")


def test_plan_poll_and_fetch_files(client):
    with WORKBOOK.open("rb") as fh:
        r = client.post("/api/plan", data={"model": MODEL, "time_limit": "2"},
                        files={"file": ("voorbeeld.xlsx", fh, "application/octet-stream")})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["state"] == "running" and len(job["id"]) == 32
    done = _wait(client, job["id"])
    assert done["state"] == "done", done["error"]
    assert done["summary"]["checker_violations"] == []
    assert done["summary"]["dagdelen_placed"] > 0
    assert set(done["files"]) == {"roster.csv", "roster.xlsx", "summary.json", "transport.csv", "waitlist.csv"}
    xlsx = client.get(f"/api/jobs/{job['id']}/files/roster.xlsx")
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Overzicht"
    assert client.get(f"/api/jobs/{job['id']}/files/job.json").status_code == 404  # only report files
    assert client.get(f"/api/jobs/{job['id']}/files/..%2Fjob.json").status_code == 404
    page = client.get(f"/opdrachten/{job['id']}/rooster")
    assert page.status_code == 200 and "Locatie Leiden-Noord" in page.text and "J061" in page.text


def test_bad_upload_is_a_422_with_the_problems_by_row(client, tmp_path, small_sheets):
    path = broken_workbook(tmp_path, small_sheets)
    with path.open("rb") as fh:
        r = client.post("/api/plan", data={"model": MODEL}, files={"file": ("kapot.xlsx", fh)})
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert len(problems) == 4
    assert {"sheet": "locations", "row": 1, "column": "lon", "message": "verplichte kolom ontbreekt"} in problems
    assert {(p["sheet"], p["row"], p["column"]) for p in problems} >= {
        ("children", 4, "child_id"), ("children", 5, "product"), ("children", 6, "dagdelen_per_week")}
    job = client.get(f"/api/jobs/{r.json()['id']}").json()
    assert job["state"] == "invalid" and job["files"] == []  # nothing ran


def test_other_bad_requests(client, tmp_path):
    assert client.get("/api/jobs/" + "0" * 32).status_code == 404
    assert client.get("/api/jobs/not-an-id").status_code == 404
    assert client.get("/api/jobs/" + "0" * 32 + "/files/roster.xlsx").status_code == 404
    text = tmp_path / "rooster.txt"
    text.write_text("geen excel")
    with text.open("rb") as fh:
        assert client.post("/api/plan", data={"model": MODEL}, files={"file": ("rooster.txt", fh)}).status_code == 400
    with WORKBOOK.open("rb") as fh:
        r = client.post("/api/plan", data={"model": "nergens-2025"}, files={"file": ("v.xlsx", fh)})
    assert r.status_code == 400 and "nergens-2025" in r.json()["detail"]
    assert client.post("/api/plan", data={"model": MODEL}).status_code == 400
    fake = tmp_path / "nep.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a workbook")
    with fake.open("rb") as fh:
        r = client.post("/api/plan", data={"model": MODEL}, files={"file": ("nep.xlsx", fh)})
    assert r.status_code == 422 and "geen geldig Excel-bestand" in r.json()["problems"][0]["message"]


def test_upload_cap(tmp_path):
    with TestClient(create_app(tmp_path / "web", max_upload_mb=0.01)) as small:
        with WORKBOOK.open("rb") as fh:
            r = small.post("/api/plan", data={"model": MODEL}, files={"file": ("v.xlsx", fh)})
    assert r.status_code == 413


def test_token_guards_api_and_pages(tmp_path):
    with TestClient(create_app(tmp_path / "web", token="geheim")) as c:
        assert c.get("/api/jobs/" + "0" * 32).status_code == 401
        assert c.get("/openapi.json").status_code == 401
        assert c.get("/", follow_redirects=False).headers["location"] == "/login"
        auth = {"Authorization": "Bearer geheim"}
        assert c.get("/api/jobs/" + "0" * 32, headers=auth).status_code == 404
        assert c.post("/login", data={"token": "fout"}).status_code == 401
        assert c.post("/login", data={"token": "geheim"}, follow_redirects=False).status_code == 303
        assert c.get("/").status_code == 200  # the login cookie
    refused = run_cli("serve", "--host", "0.0.0.0")
    assert refused.returncode == 2 and "--token" in refused.stderr


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/plan", "/api/jobs/{job_id}", "/api/jobs/{job_id}/files/{name}"} <= set(paths)
    assert "422" in paths["/api/plan"]["post"]["responses"]


def test_cancel_keeps_the_best_roster(client):
    r = client.post("/api/plan", data={"scenario": "voorbeeld", "time_limit": "120"})
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    began = time.time()
    while client.get(f"/api/jobs/{job_id}").json()["progress"].get("phase") in (None, "plaatsing"):
        assert time.time() - began < 60
        time.sleep(0.2)
    client.post(f"/api/jobs/{job_id}/cancel")
    job = _wait(client, job_id, timeout=60)
    assert job["state"] == "cancelled"
    assert job["summary"]["interrupted"] is True and job["summary"]["checker_violations"] == []
    assert "roster.xlsx" in job["files"]
    assert time.time() - began < 60  # far below the 120 s asked for


def test_empty_workbook_download(client):
    r = client.get("/sjabloon?model=westfriesland-2025")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert {"locations", "groups", "staff", "children"} <= set(wb.sheetnames)
    assert client.get("/sjabloon?model=nergens").status_code == 404
