"""Jobs of the web app: an upload or a bundled scenario, validated, then planned in a worker process.

Everything of a job lives in its folder under `reports/web/<id>/` (0700, files 0600): `job.json` (what
to plan, state, problems), the upload `invoer.xlsx`, `progress.json` (written by the worker while CP-SAT
runs), `result.json` (how it ended), `grid.json` (the roster page's view) and `rapport/` (the report
files, written whole by write_plan). A job is removed whole by `JobStore.delete` (the API's DELETE, the
page's delete button) or by `JobStore.sweep` once it is older than the retention period.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from planner.core.gap import relative_gap
from planner.inputs.errors import InputError, Problem
from planner.inputs.scenario import Scenario, SolveSettings, load_inputs, load_scenario
from planner.inputs.week import dated_data, parse_week
from planner.report.safe import atomic_file

ID = re.compile(r"^[0-9a-f]{32}$")
STATES_DONE = ("done", "cancelled", "failed")
DIR_MODE, FILE_MODE = 0o700, 0o600


def write_json(path: Path, value: Any) -> None:
    """Write JSON whole (mode 0600): a reader polling the file never sees half of it."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    atomic_file(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError):
        return {}


def problem_rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message} for p in problems]


def private(path: Path) -> None:
    """Make every folder under `path` 0700 and every file 0600; symbolic links are left alone."""
    for folder, dirs, files in os.walk(path):
        os.chmod(folder, DIR_MODE)
        for name in files:
            full = os.path.join(folder, name)
            if not os.path.islink(full):
                os.chmod(full, FILE_MODE)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]


class JobStore:
    """The job folders under `root` (created 0700). No process handles: those live in the JobQueue."""

    def __init__(self, root: Path):
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, DIR_MODE)

    def folder(self, job_id: str) -> Path | None:
        if not ID.match(job_id):
            return None
        path = self.root / job_id
        return path if (path / "job.json").exists() and not path.is_symlink() else None

    def create(self, meta: dict[str, Any]) -> tuple[str, Path]:
        job_id = uuid.uuid4().hex
        path = self.root / job_id
        path.mkdir(mode=DIR_MODE)
        os.chmod(path, DIR_MODE)
        write_json(path / "job.json", {**meta, "id": job_id, "created": time.time(), "state": "new"})
        return job_id, path

    def meta(self, job_id: str) -> dict[str, Any]:
        return read_json(self.root / job_id / "job.json")

    def update(self, job_id: str, **values: Any) -> dict[str, Any]:
        meta = self.meta(job_id)
        meta.update(values)
        write_json(self.root / job_id / "job.json", meta)
        return meta

    def state(self, job_id: str, alive: bool, position: int | None) -> dict[str, Any]:
        """job.json with result, progress, summary and files merged in; `alive`: the worker runs."""
        path = self.root / job_id
        meta = read_json(path / "job.json")
        result = read_json(path / "result.json")
        if result:
            meta["state"] = result["state"]
            meta["error"] = result.get("error", "")
        elif meta.get("state") in ("running", "queued") and not alive and position is None:
            if meta.get("cancel_requested"):
                meta.update(state="cancelled", error="geannuleerd voor er een rooster was")
            else:
                meta.update(state="failed", error="het rekenproces is gestopt zonder resultaat")
        meta["queue_position"] = position
        meta["progress"] = read_json(path / "progress.json")
        meta["summary"] = read_json(path / "rapport" / "summary.json") if result and self.report(job_id) else {}
        meta["files"] = self.files(job_id)
        return meta

    def report(self, job_id: str) -> Path | None:
        """The job's report folder (a link written by atomic_dir), only if it resolves inside the job."""
        job = (self.root / job_id).resolve()
        try:
            folder = (job / "rapport").resolve(strict=True)
        except (FileNotFoundError, RuntimeError, OSError):
            return None
        return folder if folder.parent == job and folder.is_dir() else None

    def files(self, job_id: str) -> list[str]:
        folder = self.report(job_id)
        if folder is None:
            return []
        return sorted(p.name for p in folder.iterdir()
                      if not p.name.startswith(".") and stat.S_ISREG(p.lstat().st_mode))

    def read_file(self, job_id: str, name: str) -> bytes | None:
        """A report file's bytes; never through a symbolic link (O_NOFOLLOW) nor outside the job."""
        folder = self.report(job_id)
        if folder is None or name not in self.files(job_id):
            return None
        try:
            fd = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            return fh.read()

    def delete(self, job_id: str) -> bool:
        """Remove the job's folder and everything in it (links are removed, not followed)."""
        if not ID.match(job_id):
            return False
        path = self.root / job_id
        if path.is_symlink():
            path.unlink()
            return True
        if not path.is_dir():
            return False
        shutil.rmtree(path)
        return True

    def expired(self, keep_days: float, now: float | None = None) -> list[str]:
        """Job ids older than `keep_days` (by job.json's `created`, else the folder's time)."""
        limit = (now if now is not None else time.time()) - keep_days * 86400
        old = []
        for entry in self.root.iterdir():
            if not ID.match(entry.name):
                continue
            created = read_json(entry / "job.json").get("created")
            if not isinstance(created, (int, float)):
                created = entry.lstat().st_mtime
            if created < limit:
                old.append(entry.name)
        return old

    def leftovers(self) -> list[Path]:
        """Folders an older version left behind (one per template download, `sjabloon-*`)."""
        return [p for p in self.root.glob("sjabloon-*") if p.is_dir() and not p.is_symlink()]


def parse_week_field(text: str | None) -> str | None:
    """The form's or the API's `week`: empty -> None (the template week), else an ISO week such as
    2026-W03, returned as written canonically; raises HTTPException 422 naming the field otherwise
    (week.parse_week: '2026-W3', '2026W03', '2026-W54' are refused)."""


    if text is None or not text.strip():
        return None
    try:
        year, week = parse_week(text, "week")
    except InputError:
        shown = text.strip()[:20]
        raise HTTPException(422, f"week: '{shown}' is geen ISO-week (verwacht bijv. 2026-W03)") from None
    return f"{year}-W{week:02d}"


def load_job_inputs(path: Path, meta: dict[str, Any]):  # -> (RegionModel, ProviderData)
    """Model and the data of the job's week (job_data); raises InputError."""
    _, model, data, _ = job_data(path, meta)
    return model, data


def job_week(meta: dict[str, Any]) -> tuple[int, int] | None:
    """The job's dated week as (ISO year, week) from meta["week"] ("2026-W03"), None: the template week."""

    return parse_week(meta["week"], "week") if meta.get("week") else None


def job_data(path: Path, meta: dict[str, Any]):  # -> (Scenario, RegionModel, ProviderData, Period)
    """The job's scenario, model and the data of its week: the dated week (week.dated_data: indications,
    holidays and closing days, the `leave` sheet) when the job has one, else the template week on the
    scenario's peildatum. The same for validating, planning, editing and replanning a job.
    Raises InputError (sheet, row, column) for bad input."""

    sc = job_scenario(path, meta)
    model, data = load_inputs(sc)
    data, period = dated_data(model, data, sc.data_path, job_week(meta), sc.peildatum)
    return sc, model, data, period


def job_scenario(path: Path, meta: dict[str, Any]):  # -> Scenario

    if meta.get("scenario"):
        sc = load_scenario(meta["scenario"])
    else:
        sc = Scenario(name=meta.get("name", "upload"), path=path / "scenario.toml", model_ref=meta["model"],
                      data_path=path / meta["input"], solve=SolveSettings(), changes={})
    overrides = {k: v for k, v in (("time_limit_s", meta.get("time_limit")), ("seed", meta.get("seed")))
                 if v is not None}
    return replace(sc, solve=replace(sc.solve, **overrides))


def work(job_dir: str) -> None:
    """The worker process: plan, check, write the report and the roster view; never raises.

    Files it writes are owner-only (umask 077, and the report folder made 0700/0600 afterwards).
    """
    os.umask(0o077)
    path = Path(job_dir)
    try:
        meta = read_json(path / "job.json")
        if meta.get("cancel_requested"):
            raise KeyboardInterrupt
        _plan(path, meta)
    except KeyboardInterrupt:
        write_json(path / "result.json", {"state": "cancelled", "error": "geannuleerd voor er een rooster was"})
    except InputError as exc:
        write_json(path / "result.json", {"state": "failed", "error": "; ".join(str(p) for p in exc.problems)})
    except Exception as exc:  # shown on the page as one line; the server goes on
        if read_json(path / "job.json").get("cancel_requested"):  # Ctrl-C came while modules were loading
            write_json(path / "result.json", {"state": "cancelled", "error": "geannuleerd voor er een rooster was"})
        else:
            write_json(path / "result.json", {"state": "failed", "error": f"rekenen mislukt ({type(exc).__name__})"})
    finally:
        if path.exists():
            private(path)


def _plan(path: Path, meta: dict[str, Any]) -> None:
    from planner.app.plan import make_plan  # noqa: PLC0415 (runs in the job's worker process, after its memory and CPU limits are set)
    from planner.report.files import write_plan  # noqa: PLC0415 (runs in the job's worker process, after its memory and CPU limits are set)
    from planner.web import nl  # noqa: PLC0415 (runs in the job's worker process, after its memory and CPU limits are set)
    from planner.web.views import grid_view  # noqa: PLC0415 (runs in the job's worker process, after its memory and CPU limits are set)

    began = time.time()
    last: dict[str, Any] = {}

    def progress(p: Any) -> None:
        if p.phase == "wensen":  # the soft wishes' own score means nothing to a reader: keep the cost shown
            last.update(phase=p.phase, seconds=round(time.time() - began, 1))
        else:
            gap = relative_gap(p.objective, p.bound) if p.phase != "plaatsing" else None
            last.update(phase=p.phase, seconds=round(time.time() - began, 1), objective=round(p.objective, 2),
                        bound=round(p.bound, 2), gap=None if gap is None else round(gap, 4),
                        # as the pages write them (nl.py): the page shows these, it does not format
                        gap_text=nl.percent(gap),
                        objective_text=None if gap is None else nl.euro(p.objective, 2),
                        bound_text=None if gap is None else nl.euro(p.bound, 2))
        write_json(path / "progress.json", last)

    if meta.get("previous"):  # a replan from a hand-edited roster (planner.web.edit)
        plan = _replan(path, meta, progress)
    else:
        plan = make_plan(job_scenario(path, meta), progress, week=job_week(meta))
    if plan.violations:
        write_json(path / "result.json", {"state": "failed", "error": "controle: " +
                                          "; ".join(str(v) for v in plan.violations[:5])})
        return
    write_plan(plan, path / "rapport")
    write_json(path / "grid.json", grid_view(plan))
    write_json(path / "result.json", {"state": "cancelled" if plan.result.interrupted else "done"})


def _replan(path: Path, meta: dict[str, Any], progress: Any) -> Any:  # -> Plan
    """Plan from `meta["previous"]` (the edited roster) with the people in `meta["pins"]` pinned."""
    from planner.app.plan import make_plan_from  # noqa: PLC0415 (runs in the job's worker process, after its memory and CPU limits are set)
    from planner.solver.replan import read_previous  # noqa: PLC0415 (runs in the job's worker process, after its memory and CPU limits are set)

    started = time.perf_counter()
    sc, model, data, period = job_data(path, meta)  # the job's week: a replan keeps it
    pins = meta.get("pins", {})
    data = replace(data, children=tuple(replace(c, pinned=True) if c.id in pins.get("child", []) else c
                                        for c in data.children),
                   staff=tuple(replace(s, pinned=True) if s.id in pins.get("staff", []) else s for s in data.staff))
    previous = read_previous(path / meta["previous"], tuple(model.parts))
    return make_plan_from(model, data, sc.solve, progress, sc, previous, frozenset(), started, period)
