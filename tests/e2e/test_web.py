"""The web app's JSON API, queue and data handling, through FastAPI's test client (solves and validation
run in worker processes). Waiting is on states with generous timeouts, never on wall time."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from planner.cli import app
from planner.web import queue
from planner.web.app import create_app, parse_seed, parse_time_limit
from planner.web.jobs import JobStore
from planner.web.queue import JobQueue
from tests.conftest import CASES, EXAMPLE, run_cli, write_workbook
from tests.e2e.gate import gated_work

WORKBOOK = EXAMPLE.parent / "voorbeeldaanbieder.xlsx"
MODEL = "holland-rijnland-2025"
BASE = "http://localhost"


def case(name: str) -> Path:
    folder = CASES / name
    if not folder.is_dir():
        pytest.skip(f"case folder {name} not present")
    return folder


def broken_workbook(tmp_path, sheets):
    """The four-fault workbook of test_data: no lon column, a duplicate, an unknown product, a negative."""
    sheets["locations"] = [["location_id", "provider", "lat"], ["L1", "Test", 52.16]]
    sheets["children"].append(["C1", "Leiden", 52.16, 4.49, "41A03-1", 2, 9])
    sheets["children"].append(["C3", "Leiden", 52.16, 4.49, "41A99", 2, 9])
    sheets["children"].append(["C4", "Leiden", 52.16, 4.49, "41A03-1", -1, 9])
    return write_workbook(tmp_path / "kapot.xlsx", sheets)


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent), base_url=BASE) as c:
        yield c


def wait_for(client, job_id, until=("done", "cancelled", "failed"), timeout=300.0):
    """Poll until the job reaches one of `until`; the timeout only guards against a hang."""
    deadline = time.monotonic() + timeout
    job = client.get(f"/api/jobs/{job_id}").json()
    while job["state"] not in until:
        assert time.monotonic() < deadline, f"job {job_id} still {job['state']}"
        time.sleep(0.2)
        job = client.get(f"/api/jobs/{job_id}").json()
    return job


def post_scenario(client, seconds="1"):
    return client.post("/api/plan", data={"scenario": "voorbeeld", "time_limit": seconds})


def test_plan_poll_and_fetch_files(client):
    with WORKBOOK.open("rb") as fh:
        r = client.post("/api/plan", data={"model": MODEL, "time_limit": "2"},
                        files={"file": ("voorbeeld.xlsx", fh, "application/octet-stream")})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["state"] in ("running", "queued") and len(job["id"]) == 32
    done = wait_for(client, job["id"])
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
    # AVG: the job's folder and everything in it is the owner's only
    folder = client.app.state.store.root / job["id"]
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    modes = {}
    for dirpath, _dirs, files in os.walk(folder):
        modes[dirpath] = stat.S_IMODE(os.lstat(dirpath).st_mode)
        for name in files:
            full = os.path.join(dirpath, name)
            if not os.path.islink(full):
                modes[full] = stat.S_IMODE(os.lstat(full).st_mode)
    assert any(p.endswith("invoer.xlsx") for p in modes) and any(p.endswith("roster.xlsx") for p in modes)
    assert {p: m for p, m in modes.items() if m != (0o700 if os.path.isdir(p) else 0o600)} == {}


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
    assert client.delete("/api/jobs/" + "0" * 32).status_code == 404
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


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e9", "-5", "0", "0.5", "3601", "tien"])
def test_time_limit_outside_1_to_3600_is_refused(client, value):
    """fuzz-20: a 1e9 or inf time limit would run until cancelled; nothing is created for it."""
    r = post_scenario(client, value)
    assert r.status_code == 422 and "rekentijd" in r.json()["detail"]
    assert [p for p in client.app.state.store.root.iterdir()] == []


def test_seed_beyond_cp_sat_range_is_refused(client):
    r = client.post("/api/plan", data={"scenario": "voorbeeld", "time_limit": "1", "seed": str(2**70)})
    assert r.status_code == 422 and "seed" in r.json()["detail"]


def test_queue_limits_concurrent_solves_and_answers_429_when_full(tmp_path, monkeypatch):
    """fuzz-20: one solve at a time, one waiting, the third request gets 429 with Retry-After.
    The first job is held by a gate the test opens (tests/e2e/gate.py), so it cannot finish before the
    third request is answered, however loaded the machine (it did under load with a 2-second job)."""

    case("fuzz-20-web-unbounded-jobs")
    gate = tmp_path / "gate-open"
    monkeypatch.setenv("PLANNER_TEST_GATE", str(gate))
    monkeypatch.setattr(queue, "work", gated_work)
    app = create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent, max_jobs=1, queue_size=1)
    with TestClient(app, base_url=BASE) as c:
        first, second = post_scenario(c, "1").json(), post_scenario(c, "1").json()
        assert first["state"] == "running"
        assert second["state"] == "queued" and second["queue_position"] == 1
        full = post_scenario(c, "1")
        assert full.status_code == 429 and int(full.headers["Retry-After"]) >= 1
        assert len(list(app.state.store.root.iterdir())) == 2  # the refused job is not kept
        page = c.get(f"/opdrachten/{second['id']}")
        assert 'id="queued"' in page.text and 'id="position">1<' in page.text
        assert c.get(f"/api/jobs/{first['id']}").json()["state"] == "running"  # still held
        gate.touch()
        states = []
        while True:
            now = [c.get(f"/api/jobs/{j['id']}").json()["state"] for j in (first, second)]
            states.append(now)
            assert now.count("running") <= 1 and len(app.state.jobs.running) <= 1
            if all(s in ("done", "failed", "cancelled") for s in now):
                break
            assert len(states) < 1500, states[-1]
            time.sleep(0.2)
        assert now == ["done", "done"]
        assert ["done", "running"] in states or ["done", "queued"] in states  # the second ran after the first


def test_cancel_a_waiting_and_a_running_job(tmp_path):
    """Cancel does not depend on timing: a waiting job is cancelled at once; a running one is asked to
    stop before it can finish (the request is recorded first, then Ctrl-C)."""
    app = create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent, max_jobs=1, queue_size=2)
    with TestClient(app, base_url=BASE) as c:
        running, waiting = post_scenario(c, "2").json(), post_scenario(c, "1").json()
        assert waiting["state"] == "queued"
        r = c.post(f"/api/jobs/{waiting['id']}/cancel")
        assert r.json()["state"] == "cancelled" and r.json()["queue_position"] is None
        c.post(f"/api/jobs/{running['id']}/cancel")
        job = wait_for(c, running["id"])
        assert job["state"] == "cancelled", job["error"]
        if job["files"]:  # it had a roster when the stop came: that roster is kept, marked
            assert job["summary"]["interrupted"] is True and job["summary"]["checker_violations"] == []
        assert c.post(f"/api/jobs/{running['id']}/cancel").status_code == 200  # twice is fine


def test_a_worker_far_over_its_time_is_stopped(tmp_path):
    app = create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent, max_jobs=1, queue_size=1)
    with TestClient(app, base_url=BASE) as c:
        first, second = post_scenario(c, "2").json(), post_scenario(c, "1").json()
        app.state.store.update(first["id"], started=time.time() - 10_000)  # as if it had hung for hours
        job = c.get(f"/api/jobs/{first['id']}").json()
        assert job["state"] == "failed" and "rekentijd" in job["error"]
        assert wait_for(c, second["id"])["state"] == "done"  # its place went to the next job


def test_delete_removes_every_file_and_stops_the_worker(client):
    r = post_scenario(client, "1")
    job_id = r.json()["id"]
    folder = client.app.state.store.root / job_id
    done = wait_for(client, job_id)
    assert done["files"] and (folder / "invoer.xlsx").exists() is False  # a scenario has no upload
    assert client.delete(f"/api/jobs/{job_id}").status_code == 204
    assert not folder.exists() and list(client.app.state.store.root.iterdir()) == []
    assert client.get(f"/api/jobs/{job_id}").status_code == 404
    running = post_scenario(client, "2").json()["id"]
    assert client.delete(f"/api/jobs/{running}").status_code == 204  # a running job: its worker is killed
    assert running not in client.app.state.jobs.running
    assert list(client.app.state.store.root.iterdir()) == []


def test_retention_removes_old_jobs_at_start_and_when_swept(tmp_path, small_sheets):
    root = tmp_path / "web"
    with TestClient(create_app(root, keep_days=14), base_url=BASE) as c:
        path = broken_workbook(tmp_path, small_sheets)
        ids = []
        for _ in range(2):
            with path.open("rb") as fh:
                ids.append(c.post("/api/plan", data={"model": MODEL}, files={"file": ("k.xlsx", fh)}).json()["id"])
        old = root / ids[0] / "job.json"
        meta = json.loads(old.read_text())
        meta["created"] = time.time() - 15 * 86400
        old.write_text(json.dumps(meta))
        (root / "sjabloon-abc123").mkdir()  # an older version's template folder
        assert c.app.state.sweep() == [ids[0]]
        assert sorted(p.name for p in root.iterdir()) == [ids[1]]
        assert {p.name for p in (root / ids[1]).iterdir()} >= {"job.json", "invoer.xlsx"}
    meta = json.loads((root / ids[1] / "job.json").read_text())
    meta["created"] = time.time() - 2 * 86400
    (root / ids[1] / "job.json").write_text(json.dumps(meta))
    with TestClient(create_app(root, keep_days=1), base_url=BASE):
        assert list(root.iterdir()) == []  # swept when the server starts


def test_symlinks_in_a_job_are_not_followed(client, tmp_path):
    """fuzz-23: a link planted in a report folder must not serve a file from elsewhere."""
    case("fuzz-23-web-hygiene")
    job_id = post_scenario(client, "1").json()["id"]
    wait_for(client, job_id)
    store = client.app.state.store
    secret = tmp_path / "geheim.csv"
    secret.write_text("niet van deze opdracht")
    report = (store.root / job_id / "rapport").resolve()
    (report / "evil.csv").symlink_to(secret)
    assert "evil.csv" not in client.get(f"/api/jobs/{job_id}").json()["files"]
    assert client.get(f"/api/jobs/{job_id}/files/evil.csv").status_code == 404
    (store.root / job_id / "rapport").unlink()
    (store.root / job_id / "rapport").symlink_to(tmp_path)  # the report folder itself points outside
    assert client.get(f"/api/jobs/{job_id}/files/geheim.csv").status_code == 404
    assert client.get(f"/api/jobs/{job_id}").json()["files"] == []
    assert client.delete(f"/api/jobs/{job_id}").status_code == 204 and secret.exists()  # links not followed


def test_template_download_leaves_nothing_behind(client):
    before = list(client.app.state.store.root.iterdir())
    r = client.get("/sjabloon?model=westfriesland-2025")
    assert r.status_code == 200 and "invulwerkmap-westfriesland-2025.xlsx" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert {"locations", "groups", "staff", "children"} <= set(wb.sheetnames)
    assert client.get("/sjabloon?model=nergens").status_code == 404
    assert list(client.app.state.store.root.iterdir()) == before


@pytest.mark.parametrize("name", ["data.xlsx", "data-crc.xlsx", "data-badrow.xlsx", "data-badnum.xlsx"])
def test_damaged_workbook_upload_is_a_422_with_one_line(client, name):
    """fuzz-04 through the upload: never a 500, one problem line, no traceback text."""
    path = case("fuzz-04-damaged-sheet-traceback") / name
    with path.open("rb") as fh:
        r = client.post("/api/plan", data={"model": MODEL}, files={"file": ("data.xlsx", fh)})
    assert r.status_code == 422, r.text
    problems = r.json()["problems"]
    assert len(problems) >= 1 and all("Traceback" not in p["message"] for p in problems)
    assert client.get("/").status_code == 200


def test_only_the_contract_sheets_are_read(client, tmp_path):
    """fuzz-21: extra sheets were parsed in full. An extra sheet whose XML is broken is now never opened."""
    case("fuzz-21-web-event-loop-blocked")
    wb = openpyxl.load_workbook(WORKBOOK)
    wb.create_sheet("notities").append(["alleen voor de planner"])
    padded = tmp_path / "met-notities.xlsx"
    wb.save(padded)
    broken = tmp_path / "kapotte-notities.xlsx"
    part = f"xl/worksheets/sheet{len(wb.sheetnames)}.xml"
    with zipfile.ZipFile(padded) as src, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as dst:
        assert part in src.namelist()
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == part else data)
    with broken.open("rb") as fh:
        r = client.post("/api/plan", data={"model": MODEL, "time_limit": "1"}, files={"file": ("n.xlsx", fh)})
    assert r.status_code == 202, r.text
    client.delete(f"/api/jobs/{r.json()['id']}")


def test_dimension_bomb_upload_is_bounded(tmp_path):
    """fuzz-02 through the upload: the validation process has its own memory and time limit."""
    path = case("fuzz-02-dimension-memory-bomb") / "data.xlsx"
    app = create_app(tmp_path / "web", validate_mb=768, validate_seconds=60)
    with TestClient(app, base_url=BASE) as c, path.open("rb") as fh:
        r = c.post("/api/plan", data={"model": MODEL}, files={"file": ("data.xlsx", fh)})
        assert r.status_code == 422, r.text
        assert len(r.json()["problems"]) >= 1
        assert c.get("/").status_code == 200


def test_upload_cap(tmp_path):
    with TestClient(create_app(tmp_path / "web", max_upload_mb=0.01), base_url=BASE) as small:
        with WORKBOOK.open("rb") as fh:
            r = small.post("/api/plan", data={"model": MODEL}, files={"file": ("v.xlsx", fh)})
    assert r.status_code == 413
    assert list((tmp_path / "web").iterdir()) == []


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/plan", "/api/jobs/{job_id}", "/api/jobs/{job_id}/files/{name}"} <= set(paths)
    assert "422" in paths["/api/plan"]["post"]["responses"] and "429" in paths["/api/plan"]["post"]["responses"]
    assert "delete" in paths["/api/jobs/{job_id}"]


def test_serve_refuses_open_host_without_a_long_token():
    refused = run_cli("serve", "--host", "0.0.0.0")
    assert refused.returncode == 2 and "--token" in refused.stderr
    short = run_cli("serve", "--host", "0.0.0.0", "--token", "x")
    assert short.returncode == 2 and "16 tekens" in short.stderr



def test_home_page_title_is_plain_text(client):
    """User test of issue 17: the retention paragraph sat inside <title> (the browser tab showed markup)."""
    for url in ("/", "/?verwijderd=1"):
        page = client.get(url).text
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title is not None and title.group(1) == "Nieuw rooster — roosterplanner jeugdhulp", url
        assert 'id="retention"' in page.split("</head>")[1]


def test_upload_form_defaults_to_the_example_model(client):
    """User test of issue 17: the form preselected the alphabetically first model, not the example's."""
    page = client.get("/").text
    assert f'<option value="{MODEL}" selected>' in page
    assert page.count(" selected>") == 1 and f"/sjabloon?model={MODEL}" in page


@pytest.mark.parametrize("value", ["1_0", " 2", "2 ", "+2", "1e1", "0x10", "\u0663", "2.", ".5", "2,5"])
def test_time_limit_is_a_plain_decimal(client, value):
    """User test of issue 17: Python's float() took '1_0' and ' 2'; only plain decimals are accepted."""
    r = post_scenario(client, value)
    assert r.status_code == 422 and "rekentijd" in r.json()["detail"]
    assert list(client.app.state.store.root.iterdir()) == []


def test_time_limit_and_seed_parsing():
    assert parse_time_limit("20") == 20.0 and parse_time_limit("2.5") == 2.5 and parse_time_limit("") is None
    assert parse_seed("7") == 7 and parse_seed("") is None
    for bad in ("\u00b2", " 7", "7_0", "-1"):
        with pytest.raises(HTTPException):
            parse_seed(bad)


@pytest.mark.parametrize("args,option", [
    (["--max-upload-mb", "inf"], "--max-upload-mb"), (["--max-upload-mb", "nan"], "--max-upload-mb"),
    (["--max-upload-mb", "0"], "--max-upload-mb"), (["--max-upload-mb", "-1"], "--max-upload-mb"),
    (["--max-upload-mb", "1e6"], "--max-upload-mb"), (["--port", "70000"], "--port"), (["--port", "0"], "--port"),
    (["--max-jobs", "0"], "--max-jobs"), (["--queue", "-1"], "--queue"), (["--keep-days", "inf"], "--keep-days"),
    (["--keep-days", "0"], "--keep-days"), (["--certfile", "geen.pem"], "--certfile")])
def test_serve_options_are_validated(tmp_path, args, option):
    """User test of issue 17: inf gave a traceback, nan a raw Python error, port 70000 a traceback, and
    0/-1 MB started a server that refused every upload. Now: one Dutch line per problem, exit 2."""
    result = CliRunner().invoke(app, ["serve", "--reports", str(tmp_path / "r"), *args])
    assert result.exit_code == 2, result.output
    assert option in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r").exists()  # no server was started, nothing was created


def test_serve_reports_every_bad_option(tmp_path):
    result = CliRunner().invoke(app, ["serve", "--reports", str(tmp_path / "r"), "--port", "70000",
                                      "--max-upload-mb", "nan", "--max-jobs", "0", "--queue", "-3"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == ["--port", "--max-upload-mb", "--max-jobs", "--queue"]


def test_retry_after_is_the_shortest_remaining_time_limit(tmp_path):
    """Retry-After of a full queue: the least time a running job still has (at least 1 s)."""
    store = JobStore(tmp_path / "web")
    queue = JobQueue(store, 2, 0)
    for limit, ago in ((300.0, 100.0), (60.0, 20.0)):
        job_id, _ = store.create({"time_limit": limit})
        store.update(job_id, started=time.time() - ago)
        queue.running[job_id] = None  # type: ignore[assignment]
    assert 35 <= queue.retry_after() <= 42
    job_id, _ = store.create({"time_limit": 1.0})
    store.update(job_id, started=time.time() - 50)
    queue.running[job_id] = None  # type: ignore[assignment]
    assert queue.retry_after() == 1
