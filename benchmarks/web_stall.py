"""How long `GET /` waits while a big workbook is uploaded and validated (issue 17, case fuzz-21).

    PYTHONPATH=. .venv/bin/python -m benchmarks.web_stall [--mb 15]

Builds a workbook of about `--mb` MB (the example plus three 100,000-row extra sheets, as in fuzz-21,
and 20,000 extra children so the contract's own sheets take a while to check), starts the app with
uvicorn on a free loopback port, polls `GET /` every 50 ms from one thread while another uploads the
workbook, and prints the page's latency when idle and during the upload (median and worst), and how
long the upload took. Figures depend on the machine's load: say so when you quote them.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import openpyxl
import uvicorn

from planner.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "scenarios" / "voorbeeld" / "voorbeeldaanbieder.xlsx"


def build(path: Path, mb: float) -> Path:
    """The example workbook padded with extra sheets up to about `mb` MB (written streaming)."""
    source = openpyxl.load_workbook(WORKBOOK)
    wb = openpyxl.Workbook(write_only=True)
    for ws in source.worksheets:
        out = wb.create_sheet(ws.title)
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        for row in rows:
            out.append(row)
        if ws.title == "children":
            for i in range(20000):
                out.append([f"X{i:06d}", *rows[1][1:]])
    # about 3.8 MB per 100,000-row sheet of six short columns (compressed)
    for sheet in range(max(1, round(mb / 3.8))):
        ws = wb.create_sheet(f"extra{sheet}")
        for i in range(100_000):
            ws.append([i, f"regel {i} van blad {sheet}", i * 1.5, f"tekst {i % 977}", i % 7, f"x{i:07d}"])
    wb.save(path)
    return path


def measure(mb: float) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="web-stall-"))
    big = build(folder / "groot.xlsx", mb)
    app = create_app(folder / "web", max_upload_mb=max(20.0, mb + 1))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    idle, busy = [], []
    uploading = threading.Event()
    finished = threading.Event()

    def poll() -> None:
        with httpx.Client() as c:
            while not finished.is_set():
                began = time.perf_counter()
                c.get(url + "/", timeout=600)
                (busy if uploading.is_set() else idle).append(time.perf_counter() - began)
                time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(2)
    uploading.set()
    began = time.perf_counter()
    with big.open("rb") as fh:
        r = httpx.post(url + "/api/plan", data={"model": "holland-rijnland-2025", "time_limit": "1"},
                       files={"file": ("groot.xlsx", fh)}, timeout=900)
    upload_s = time.perf_counter() - began
    finished.set()
    poller.join()
    for job in app.state.store.root.iterdir():
        app.state.jobs.stop(job.name)
    server.should_exit = True
    shutil.rmtree(folder, ignore_errors=True)  # the workbook and the job: nothing left behind
    return {"workbook_mb": round(big.stat().st_size / 1024 / 1024, 1), "status": r.status_code,
            "upload_and_validation_s": round(upload_s, 2),
            "idle_median_s": round(statistics.median(idle), 4), "idle_max_s": round(max(idle), 4),
            "busy_median_s": round(statistics.median(busy), 4), "busy_max_s": round(max(busy), 4),
            "busy_requests": len(busy)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=15.0)
    figures = measure(parser.parse_args().mb)
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
