"""Jobs of the web app: an upload or a bundled scenario, validated, then planned in a worker process.

Everything of a job lives in its folder under `reports/web/<id>/`: `job.json` (what to plan, state,
problems), `progress.json` (written by the worker while CP-SAT runs), `result.json` (how it ended),
`grid.json` (the roster page's view) and `rapport/` (the report files, written whole by write_plan).
The server keeps only the worker process handles in memory; a restarted server still shows old jobs.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.errors import InputError, Problem
from planner.report.safe import atomic_file

ID = re.compile(r"^[0-9a-f]{32}$")
STATES_DONE = ("done", "cancelled", "failed")


def write_json(path: Path, value: Any) -> None:
    """Write JSON whole: a reader polling the file never sees half of it."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    atomic_file(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def problem_rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message} for p in problems]


class JobStore:
    def __init__(self, root: Path):
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.processes: dict[str, multiprocessing.process.BaseProcess] = {}

    def folder(self, job_id: str) -> Path | None:
        if not ID.match(job_id):
            return None
        path = self.root / job_id
        return path if (path / "job.json").exists() else None

    def create(self, meta: dict[str, Any]) -> tuple[str, Path]:
        job_id = uuid.uuid4().hex
        path = self.root / job_id
        path.mkdir(parents=True)
        write_json(path / "job.json", {**meta, "id": job_id, "created": time.time(), "state": "new"})
        return job_id, path

    def validate(self, job_id: str) -> dict[str, Any]:
        """Read model and data as `planner plan` would; store the problems or the input's size."""
        path = self.root / job_id
        meta = read_json(path / "job.json")
        try:
            model, data = load_job_inputs(path, meta)
        except InputError as exc:
            meta.update(state="invalid", problems=problem_rows(exc.problems))
        else:
            meta.update(state="valid", problems=[], region=f"{model.region} {model.year}",
                        counts={"locaties": len(data.locations), "groepen": len(data.groups),
                                "medewerkers": len(data.staff), "jeugdigen": len(data.children),
                                "dagdelen gevraagd": sum(c.dagdelen_per_week for c in data.children)})
        write_json(path / "job.json", meta)
        return meta

    def start(self, job_id: str) -> None:
        path = self.root / job_id
        meta = read_json(path / "job.json")
        if meta.get("state") != "valid":
            raise ValueError(f"opdracht {job_id} is niet klaar om te plannen ({meta.get('state')})")
        meta["state"] = "running"
        meta["started"] = time.time()
        write_json(path / "job.json", meta)
        # spawned, not forked: the server's threads and sockets stay out of the solver's process
        process = multiprocessing.get_context("spawn").Process(target=work, args=(str(path),), daemon=True)
        process.start()
        self.processes[job_id] = process

    def cancel(self, job_id: str) -> bool:
        """Ctrl-C for the worker: CP-SAT stops and the best roster so far is written, marked."""
        process = self.processes.get(job_id)
        if process is None or not process.is_alive() or process.pid is None:
            return False
        os.kill(process.pid, signal.SIGINT)
        return True

    def state(self, job_id: str) -> dict[str, Any]:
        path = self.root / job_id
        meta = read_json(path / "job.json")
        result = read_json(path / "result.json")
        if result:
            meta["state"] = result["state"]
            meta["error"] = result.get("error", "")
        elif meta.get("state") == "running":
            process = self.processes.get(job_id)
            if process is None or not process.is_alive():
                meta["state"] = "failed"
                meta["error"] = "het rekenproces is gestopt zonder resultaat"
        meta["progress"] = read_json(path / "progress.json")
        meta["summary"] = read_json(path / "rapport" / "summary.json") if result else {}
        meta["files"] = self.files(job_id)
        return meta

    def files(self, job_id: str) -> list[str]:
        folder = self.root / job_id / "rapport"
        if not folder.exists():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def file(self, job_id: str, name: str) -> Path | None:
        return self.root / job_id / "rapport" / name if name in self.files(job_id) else None


def load_job_inputs(path: Path, meta: dict[str, Any]):  # -> (RegionModel, ProviderData)
    from planner.scenario import load_inputs

    return load_inputs(job_scenario(path, meta))


def job_scenario(path: Path, meta: dict[str, Any]):  # -> Scenario
    from planner.scenario import Scenario, SolveSettings, load_scenario

    if meta.get("scenario"):
        sc = load_scenario(meta["scenario"])
    else:
        sc = Scenario(name=meta.get("name", "upload"), path=path / "scenario.toml", model_ref=meta["model"],
                      data_path=path / meta["input"], solve=SolveSettings(), changes={})
    overrides = {k: v for k, v in (("time_limit_s", meta.get("time_limit")), ("seed", meta.get("seed")))
                 if v is not None}
    return replace(sc, solve=replace(sc.solve, **overrides))


def work(job_dir: str) -> None:
    """The worker process: plan, check, write the report and the roster view; never raises."""
    path = Path(job_dir)
    meta = read_json(path / "job.json")
    began = time.time()

    last: dict[str, Any] = {}

    def progress(p: Any) -> None:
        if p.phase == "wensen":  # the soft wishes' own score means nothing to a reader: keep the cost shown
            last.update(phase=p.phase, seconds=round(time.time() - began, 1))
        else:
            gap = abs(p.objective - p.bound) / max(abs(p.objective), 1e-9) if p.phase != "plaatsing" else None
            last.update(phase=p.phase, seconds=round(time.time() - began, 1), objective=round(p.objective, 2),
                        bound=round(p.bound, 2), gap=None if gap is None else round(gap, 4))
        write_json(path / "progress.json", last)

    try:
        from planner.plan import make_plan, write_plan
        from planner.web.views import grid_view

        plan = make_plan(job_scenario(path, meta), progress)
        if plan.violations:
            write_json(path / "result.json", {"state": "failed", "error": "controle: " +
                                              "; ".join(str(v) for v in plan.violations[:5])})
            return
        write_plan(plan, path / "rapport")
        write_json(path / "grid.json", grid_view(plan))
        write_json(path / "result.json", {"state": "cancelled" if plan.result.interrupted else "done"})
    except KeyboardInterrupt:
        write_json(path / "result.json", {"state": "cancelled", "error": "geannuleerd voor er een rooster was"})
    except InputError as exc:
        write_json(path / "result.json", {"state": "failed", "error": "; ".join(str(p) for p in exc.problems)})
    except Exception as exc:  # shown on the page; the server goes on
        write_json(path / "result.json", {"state": "failed", "error": f"{type(exc).__name__}: {exc}"})
