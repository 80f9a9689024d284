"""The web app's capacity page, through FastAPI's test client: a checked job planned as capacity for some
months, the months shown with Dutch labels and euros, the report files downloaded, the same guards."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import stat

import openpyxl
import pytest
from fastapi.testclient import TestClient

from planner.inputs.catalogue import LEVELS
from planner.web.app import create_app
from planner.web.nl import euro, number
from tests.conftest import EXAMPLE
from tests.e2e.test_web import BASE, MODEL, WORKBOOK, wait_for

TOKEN = "een-lang-geheim-token-1234"


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent), base_url=BASE) as c:
        yield c


def _checked_job(client, **form) -> str:
    r = client.post("/opdrachten", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    job_id = r.headers["location"].rsplit("/", 1)[-1]
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "valid"
    return job_id


def _cells(page: str, month: str) -> list[str]:
    row = re.search(rf'<tr data-month="{month}">(.*?)</tr>', page, re.S)
    assert row, month
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", row[1], re.S)]


def _dutch(text: str) -> float:
    """'€ 1.234,5' -> 1234.5"""
    return float(text.removeprefix("€ ").replace(".", "").replace(",", "."))


def test_dutch_numbers():
    """Euros and numbers the Dutch way: € 1.234,50, 1.234,6."""
    assert euro(1234.5, 2) == "€ 1.234,50"
    assert euro(1234567.4) == "€ 1.234.567"
    assert number(1234.56) == "1.234,6"
    assert euro(None) == "" and number(None) == ""


def test_capacity_from_the_bundled_scenario(client):
    """voorbeeld-capaciteit for 3 months from 2026-02: the page lists feb-apr 2026 with demand P50/P90,
    groups, FTE per level, hires, waiting and cost in euros, agreeing with capacity.csv; capaciteit.xlsx and
    capacity.csv download; the job page leads to the capacity page; every file of the job is owner-only."""
    job_id = _checked_job(client, scenario="voorbeeld-capaciteit")
    form = client.get(f"/opdrachten/{job_id}").text
    assert f'action="/opdrachten/{job_id}/capaciteit"' in form and 'id="capacity"' in form
    r = client.post(f"/opdrachten/{job_id}/capaciteit", data={"months": "3", "start": "2026-02"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/opdrachten/{job_id}/capaciteit"
    job = wait_for(client, job_id)
    assert job["state"] == "done", job["error"]
    assert set(job["files"]) == {"capaciteit.xlsx", "capacity.csv"}
    assert client.get(f"/opdrachten/{job_id}", follow_redirects=False).headers["location"].endswith("/capaciteit")
    page = client.get(f"/opdrachten/{job_id}/capaciteit").text
    assert re.findall(r'data-month="([0-9-]+)"', page) == ["2026-02", "2026-03", "2026-04"]
    for head in ("Vraag P50", "Vraag P90", "Groepen open", "Fte HBO", "Aangenomen (fte)", "Wachtend (jeugdigen)",
                 "Kosten"):
        assert head in page
    text = client.get(f"/api/jobs/{job_id}/files/capacity.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))

    def total(month: str, metric: str) -> float:
        return sum(float(r["value"]) for r in rows if r["month"] == month and r["metric"] == metric)

    cells = _cells(page, "2026-03")
    assert cells[0] == "mrt 2026"
    # the page rounds the month's own figures, the csv each product's: equal within the page's last digit
    assert abs(_dutch(cells[1]) - total("2026-03", "vraag_p50")) <= 0.051
    assert abs(_dutch(cells[2]) - total("2026-03", "vraag_p90")) <= 0.051
    hbo = 5 + list(LEVELS).index("HBO")  # month, P50, P90, places, groups, then FTE per level
    assert abs(_dutch(cells[hbo]) - total("2026-03", "fte_HBO")) <= 0.0051
    cost = sum(total("2026-03", f"kosten_{k}") for k in ("personeel", "inhuur", "werving", "groepen", "wachten"))
    assert cells[-1].startswith("€ ") and abs(_dutch(cells[-1]) - cost) <= 0.51
    xlsx = client.get(f"/api/jobs/{job_id}/files/capaciteit.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "Vraag en capaciteit" in openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    folder = client.app.state.store.root / job_id
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_capacity_from_an_uploaded_workbook_with_defaults(client):
    """An uploaded workbook has no [capacity]: 12 months of the defaults, no inflow, from the model's next year."""
    with WORKBOOK.open("rb") as fh:
        r = client.post("/opdrachten", data={"model": MODEL}, files={"file": ("werkmap.xlsx", fh)},
                        follow_redirects=False)
    job_id = r.headers["location"].rsplit("/", 1)[-1]
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "valid"
    assert client.post(f"/opdrachten/{job_id}/capaciteit", data={}, follow_redirects=False).status_code == 303
    job = wait_for(client, job_id)
    assert job["state"] == "done", job["error"]
    months = re.findall(r'data-month="([0-9-]+)"', client.get(f"/opdrachten/{job_id}/capaciteit").text)
    assert len(months) == 12 and months[0].endswith("-01")


def test_bad_months_or_start_are_refused_and_the_job_stays_plannable(client):
    """Months outside 1-120 or not a whole number, a first month that is no month: 422 with a Dutch page,
    nothing queued; a job already run cannot be run again (409); an unknown job is 404."""
    job_id = _checked_job(client, scenario="voorbeeld-capaciteit")
    for form in ({"months": "0"}, {"months": "121"}, {"months": "1e2"}, {"months": "-3"}, {"months": "3.5"},
                 {"start": "2026-13"}, {"start": "26-01"}, {"start": "2026-1"}, {"start": "maart"}):
        r = client.post(f"/opdrachten/{job_id}/capaciteit", data=form, headers={"Accept": "text/html"})
        assert r.status_code == 422, form
        assert "maand" in r.text
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "valid"
    assert client.post(f"/opdrachten/{'0' * 32}/capaciteit", data={"months": "2"}).status_code == 404
    assert client.post(f"/opdrachten/{job_id}/capaciteit", data={"months": "1"}).status_code == 200  # followed
    wait_for(client, job_id)
    assert client.post(f"/opdrachten/{job_id}/capaciteit", data={"months": "1"}).status_code == 409


def test_capacity_routes_keep_the_guards(tmp_path, client):
    """A cross-site post is refused (403); in token mode the page asks for a login, the post too."""
    job_id = _checked_job(client, scenario="voorbeeld-capaciteit")
    r = client.post(f"/opdrachten/{job_id}/capaciteit", data={"months": "2"},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "valid"
    r = client.get(f"/opdrachten/{job_id}/capaciteit")
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert "<script src=\"/static/capacity.js\"></script>" in r.text and "<script>" not in r.text
    with TestClient(create_app(tmp_path / "web2", token=TOKEN), base_url=BASE) as c:
        for response in (c.get(f"/opdrachten/{job_id}/capaciteit", follow_redirects=False),
                         c.post(f"/opdrachten/{job_id}/capaciteit", data={"months": "2"}, follow_redirects=False)):
            assert response.status_code == 303 and response.headers["location"] == "/login"
