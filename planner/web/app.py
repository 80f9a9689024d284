"""The web app: pages for a planner (Dutch) and a small JSON API for a provider's own systems.

Guards (planner.web.security): Host and Origin checks in every mode, a login session in token mode,
security headers, the upload cap on the request stream. Work (planner.web.queue): validation in a
limited worker process, solves in a bounded queue. Data (planner.web.jobs): owner-only job folders,
deleted on request or after `keep_days`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import io
import math
import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from planner.inputs.catalogue import MODELS_DIR, load_model
from planner.inputs.scenario import load_scenario
from planner.report.template import build_template
from planner.web import capacity, edit, nl, security
from planner.web.jobs import STATES_DONE, JobStore, parse_week_field, read_json
from planner.web.queue import JobQueue, QueueFull, Validator, default_max_jobs

HERE = Path(__file__).resolve().parent
STATE_NL = {"new": "nieuw", "invalid": "invoer bevat fouten", "valid": "invoer in orde",
            "queued": "in de wachtrij", "running": "bezig", "done": "klaar",
            "cancelled": "geannuleerd (beste rooster tot dan)", "failed": "mislukt"}
PHASE_NL = {"plaatsing": "kinderen plaatsen", "kosten": "kosten verlagen", "verbeteren": "rooster verbeteren",
            "wensen": "wensen (continuïteit)"}
CHUNK = 1 << 20
TIME_LIMIT = (1.0, 3600.0)
SEED_MAX = 2**31 - 1
DEFAULT_MODEL = "holland-rijnland-2025"  # the model of the bundled example workbook
PLAIN_NUMBER = re.compile(r"[0-9]{1,9}(\.[0-9]{1,9})?")  # no sign, exponent, '_', spaces or other digits


class ProblemOut(BaseModel):
    sheet: str
    row: int | None = None
    column: str | None = None
    message: str


class JobOut(BaseModel):
    id: str
    state: str = Field(description="valid | invalid | queued | running | done | cancelled | failed")
    name: str = ""
    week: str | None = Field(None, description="de geplande ISO-week, bijv. 2026-W03; leeg: de sjabloonweek")
    period: str = Field("", description="bijv. 'week 3 2026 (12-01-2026 t/m 16-01-2026)'")
    queue_position: int | None = Field(None, description="1 = de volgende die start; alleen bij queued")
    problems: list[ProblemOut] = []
    progress: dict[str, Any] = {}
    summary: dict[str, Any] = Field(default_factory=dict, description="summary.json of the plan when done")
    files: list[str] = []
    error: str = ""


class ProblemsOut(BaseModel):
    detail: str
    problems: list[ProblemOut]


def _models() -> list[str]:
    return sorted(p.stem for p in MODELS_DIR.glob("*.toml"))


def _scenarios(folder: Path) -> dict[str, Path]:
    """Bundled scenarios with provider data (scenarios/<x>/<y>.toml with a `data` key), by name."""

    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*/*.toml")):
        try:
            sc = load_scenario(path)
        except Exception:
            continue
        if sc.data_path is not None:
            out.setdefault(sc.name, path)
    return out


def parse_time_limit(text: str | None) -> float | None:
    """Seconds of solving asked for: empty -> None (the scenario's own), else a finite number in 1-3600;
    raises HTTPException 422 otherwise (inf, nan, 0, negative, 1e9, text, and what Python's float() takes
    but a person does not write: '1_0', ' 2', '٣'). Only plain decimals like `20` or `2.5` pass."""
    if text is None or not text.strip():
        return None
    value = float(text) if PLAIN_NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value) or not TIME_LIMIT[0] <= value <= TIME_LIMIT[1]:
        raise HTTPException(422, f"rekentijd moet een getal van {TIME_LIMIT[0]:g} tot {TIME_LIMIT[1]:g} seconden zijn")
    return value


def parse_seed(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    if not re.fullmatch(r"[0-9]{1,12}", text) or int(text) > SEED_MAX:
        raise HTTPException(422, f"seed moet een geheel getal van 0 tot {SEED_MAX} zijn")
    return int(text)


def create_app(root: Path, token: str | None = None, max_upload_mb: float = 20.0,
               scenarios_dir: Path | None = None, *, host: str = "127.0.0.1", allow_hosts: tuple[str, ...] = (),
               max_jobs: int | None = None, queue_size: int = 10, keep_days: float = 14.0,
               session_hours: float = 8.0, validate_seconds: float = 120.0, validate_mb: int = 2048,
               sweep_every: float = 3600.0) -> FastAPI:
    """The app; raises ValueError for a token shorter than security.MIN_TOKEN or keep_days <= 0."""
    security.check_token(token)
    if not keep_days > 0:
        raise ValueError("--keep-days moet groter dan 0 zijn")
    store = JobStore(root)
    jobs = JobQueue(store, max_jobs or default_max_jobs(), queue_size)
    validator = Validator(store, jobs.max_jobs, validate_seconds, validate_mb)
    hosts = security.allowed_hosts(host, allow_hosts)
    sessions, throttle = security.Sessions(session_hours), security.Throttle()
    bundled = _scenarios(scenarios_dir) if scenarios_dir and scenarios_dir.exists() else {}
    too_big = f"upload groter dan {max_upload_mb:g} MB"

    def sweep() -> list[str]:
        """Remove jobs older than keep_days and an older version's leftovers; the ids removed."""
        gone = store.expired(keep_days)
        for job_id in gone:
            jobs.stop(job_id)
            store.delete(job_id)
        for folder in store.leftovers():
            shutil.rmtree(folder, ignore_errors=True)
        return gone

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        sweep()

        async def tick() -> None:
            last = asyncio.get_running_loop().time()
            while True:
                await asyncio.sleep(1.0)
                await asyncio.to_thread(jobs.pump)
                if asyncio.get_running_loop().time() - last >= sweep_every:
                    last = asyncio.get_running_loop().time()
                    await asyncio.to_thread(sweep)

        task = asyncio.create_task(tick())
        try:
            yield
        finally:
            task.cancel()
            jobs.shutdown()

    app = FastAPI(title="planner", version="0.1.0", lifespan=lifespan,
                  description="Roosterplanner jeugdhulp: werkmap controleren, rooster maken, rapporten ophalen.")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(STATE_NL=STATE_NL, PHASE_NL=PHASE_NL, keep_days=keep_days, token=bool(token))
    # one Dutch formatting for every page (nl.py): euro, percent, numbers, the solver's status
    templates.env.filters.update(euro=nl.euro, euro_cents=nl.euro_cents, nl=nl.number, percent=nl.percent,
                                 status=nl.status)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.store, app.state.jobs, app.state.sweep, app.state.sessions = store, jobs, sweep, sessions

    def _api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path in ("/openapi.json", "/docs", "/redoc")

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        refused = security.foreign_request(request.method, request.headers, hosts, request.url.scheme)
        if refused:
            return _refusal(request, 403, refused)
        request.state.signed_in = bool(token) and sessions.valid(request.cookies.get(security.COOKIE, ""))
        if token and not request.url.path.startswith(("/static/", "/login")) and not request.state.signed_in:
            client = request.client.host if request.client else "?"
            wait = throttle.retry_after(client)  # while throttled no token is compared, right or wrong
            if wait is not None:
                return _refusal(request, 429, "te veel mislukte pogingen", {"Retry-After": str(wait)})
            given = security.bearer(request.headers.get("authorization", ""))
            if given is not None and hmac.compare_digest(given.encode(), token.encode()):
                return await call_next(request)
            if _api(request):
                if request.headers.get("authorization"):
                    throttle.fail(client)
                return JSONResponse({"detail": "token ontbreekt of is onjuist"}, status_code=401)
            return RedirectResponse("/login", status_code=303)
        return await call_next(request)

    def _refusal(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        """JSON for programs and the API, the Dutch error page for a browser page (Accept: text/html)."""
        if not _api(request) and security.wants_html(request.headers, request.url.path):
            return templates.TemplateResponse(request, "error.html", {"message": message},
                                              status_code=status, headers=headers)
        return JSONResponse({"detail": message}, status_code=status, headers=headers)

    app.add_middleware(security.BodyLimit, limit=int(max_upload_mb * 1024 * 1024) + 64 * 1024, message=too_big)
    build_stack = app.build_middleware_stack  # headers around everything, Starlette's own 500 included
    app.build_middleware_stack = lambda: security.SecureHeaders(build_stack())  # type: ignore[method-assign]

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        page = request.method == "GET" or request.url.path.startswith("/opdrachten")
        if _api(request) or not page and not security.wants_html(request.headers, request.url.path):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return templates.TemplateResponse(request, "error.html", {"message": exc.detail},
                                          status_code=exc.status_code, headers=exc.headers)

    async def _save_upload(upload: UploadFile, target: Path) -> bool:
        """Copy the upload into the job (0600); False when the file alone is over the cap."""

        size = 0
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as fh:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > max_upload_mb * 1024 * 1024:
                    return False
                fh.write(chunk)
        return True

    async def _new_job(model: str, upload: UploadFile | None, scenario: str, time_limit: str | None,
                       seed: str | None, week: str | None = None) -> dict[str, Any]:
        meta: dict[str, Any] = {"time_limit": parse_time_limit(time_limit), "seed": parse_seed(seed),
                                "week": parse_week_field(week)}
        if scenario:
            if scenario not in bundled:
                raise HTTPException(404, f"onbekend scenario '{scenario}'")
            meta.update(scenario=str(bundled[scenario]), name=scenario)
        else:
            if upload is None or not upload.filename:
                raise HTTPException(400, "kies een werkmap (.xlsx) of een voorbeeldscenario")
            if model not in _models():
                raise HTTPException(400, f"onbekend regiomodel '{model}'")
            suffix = Path(upload.filename).suffix.lower()
            if suffix not in (".xlsx", ".xlsm"):
                raise HTTPException(400, "verwacht een Excel-werkmap (.xlsx)")
            meta.update(model=model, input=f"invoer{suffix}", name=Path(upload.filename).stem[:60])
        job_id, folder = store.create(meta)
        if upload is not None and not scenario and not await _save_upload(upload, folder / meta["input"]):
            store.delete(job_id)
            raise HTTPException(413, too_big)
        return await validator.validate(job_id)

    def _state(job_id: str) -> dict[str, Any]:
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        jobs.pump()
        return store.state(job_id, jobs.alive(job_id), jobs.position(job_id))

    def _submit(job_id: str) -> None:
        try:
            jobs.submit(job_id)
        except QueueFull as exc:
            raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
        except ValueError as exc:
            raise HTTPException(409, str(exc)) from None

    def _delete(job_id: str) -> None:
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        jobs.stop(job_id)
        store.delete(job_id)

    # ---------------------------------------------------------------- pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {
            "models": _models(), "default_model": DEFAULT_MODEL,
            "scenarios": sorted(bundled, key=lambda n: (n != "voorbeeld", n)),
            "max_mb": max_upload_mb, "deleted": request.query_params.get("verwijderd") == "1"})

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request) -> Response:
        return templates.TemplateResponse(request, "login.html", {"wrong": False})

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token_field: str = Form("", alias="token")) -> Response:
        client = request.client.host if request.client else "?"
        wait = throttle.retry_after(client)
        if wait is not None:
            return templates.TemplateResponse(request, "login.html", {"wrong": True, "wait": wait},
                                              status_code=429, headers={"Retry-After": str(wait)})
        if token and hmac.compare_digest(token_field.encode(), token.encode()):
            throttle.clear(client)
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(security.COOKIE, sessions.new(), max_age=int(sessions.seconds), httponly=True,
                                samesite="strict", secure=request.url.scheme == "https", path="/")
            return response
        throttle.fail(client)
        return templates.TemplateResponse(request, "login.html", {"wrong": True}, status_code=401)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        sessions.drop(request.cookies.get(security.COOKIE, ""))
        response = RedirectResponse("/login" if token else "/", status_code=303)
        response.delete_cookie(security.COOKIE, path="/")
        return response

    @app.post("/opdrachten", include_in_schema=False)
    async def upload_page(model: str = Form(""), time_limit: str = Form(""), scenario: str = Form(""),
                          week: str = Form(""), file: UploadFile | None = File(None)) -> Response:
        meta = await _new_job(model, file, scenario, time_limit, None, week)
        return RedirectResponse(f"/opdrachten/{meta['id']}", status_code=303)

    @app.get("/opdrachten/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: str) -> Response:
        job = _state(job_id)
        if job.get("kind") == "capacity" and job["state"] not in ("valid", "invalid"):
            return RedirectResponse(f"/opdrachten/{job_id}/capaciteit", status_code=303)
        if job["state"] in ("done", "cancelled") and (store.root / job_id / "grid.json").exists():
            return RedirectResponse(f"/opdrachten/{job_id}/rooster", status_code=303)
        return templates.TemplateResponse(request, "job.html", {"job": job})

    @app.post("/opdrachten/{job_id}/plannen", include_in_schema=False)
    def plan_page(job_id: str) -> Response:
        _state(job_id)
        _submit(job_id)
        return RedirectResponse(f"/opdrachten/{job_id}", status_code=303)

    @app.post("/opdrachten/{job_id}/verwijderen", include_in_schema=False)
    def delete_page(job_id: str) -> Response:
        _delete(job_id)
        return RedirectResponse("/?verwijderd=1", status_code=303)

    @app.get("/opdrachten/{job_id}/rooster", response_class=HTMLResponse, include_in_schema=False)
    def roster_page(request: Request, job_id: str) -> Response:
        job = _state(job_id)
        grid = read_json(store.root / job_id / "grid.json")
        if not grid:
            return RedirectResponse(f"/opdrachten/{job_id}", status_code=303)
        edits = edit.Editor(store).kept(job_id)
        return templates.TemplateResponse(request, "roster.html", {"job": job, "grid": edit.on_grid(grid, edits),
                                                                   "s": grid["summary"], "edits": edits})

    @app.get("/sjabloon", include_in_schema=False)
    def template_download(model: str = "holland-rijnland-2025") -> Response:
        """The empty workbook, made in memory: nothing is left on disk."""

        if model not in _models():
            raise HTTPException(404, "onbekend regiomodel")
        buffer = io.BytesIO()
        build_template(load_model(model)).save(buffer)
        return Response(buffer.getvalue(), media_type="application/vnd.openxmlformats-officedocument."
                        "spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="invulwerkmap-{model}.xlsx"'})

    # ------------------------------------------------------------------ API
    answers: dict[int | str, dict[str, Any]] = {
        422: {"model": ProblemsOut, "description": "de invoer bevat fouten, of rekentijd/seed/week"},
        400: {"description": "geen werkmap, onbekend model"}, 413: {"description": "upload te groot"},
        429: {"description": "wachtrij vol; zie Retry-After"}}

    @app.post("/api/jobs", status_code=202, response_model=JobOut, tags=["api"], responses=answers)
    @app.post("/api/plan", status_code=202, response_model=JobOut, tags=["api"], responses=answers)
    async def api_plan(file: UploadFile | None = File(None, description="werkmap (.xlsx) volgens het contract"),
                       model: str = Form("", description="regiomodel, bijv. holland-rijnland-2025"),
                       scenario: str = Form("", description="of: een meegeleverd scenario"),
                       time_limit: str | None = Form(None, description="rekentijd in seconden, 1-3600"),
                       seed: str | None = Form(None, description=f"0-{SEED_MAX}"),
                       week: str | None = Form(None, description="ISO-week, bijv. 2026-W03: plan die week "
                                               "(indicaties, feest- en sluitingsdagen, verlof); leeg: "
                                               "de sjabloonweek")) -> Any:
        """Check a workbook and, when it is clean, queue it for planning (optionally a dated week).
        Poll `GET /api/jobs/{id}`. The same at `POST /api/jobs` and `POST /api/plan`."""
        meta = await _new_job(model, file, scenario, time_limit, seed, week)
        if meta["state"] == "invalid":
            return JSONResponse({"detail": f"{len(meta['problems'])} probleem/problemen in de invoer",
                                 "problems": meta["problems"], "id": meta["id"]}, status_code=422)
        try:
            await asyncio.to_thread(_submit, meta["id"])  # starting a worker process: off the event loop
        except HTTPException:
            store.delete(meta["id"])  # not kept: the caller sends it again after Retry-After
            raise
        return _job_out(_state(meta["id"]))

    @app.get("/api/jobs/{job_id}", response_model=JobOut, tags=["api"], responses={404: {"description": "onbekend"}})
    def api_job(job_id: str) -> Any:
        """State, place in the queue, progress (phase, best cost, bound, gap), and when done the summary
        and file names."""
        return _job_out(_state(job_id))

    @app.post("/api/jobs/{job_id}/cancel", response_model=JobOut, tags=["api"],
              responses={404: {"description": "onbekend"}})
    def api_cancel(job_id: str) -> Any:
        """Stop the search; the best roster found so far is written and the job ends as `cancelled`."""
        _state(job_id)
        jobs.cancel(job_id)
        return _job_out(_state(job_id))

    @app.delete("/api/jobs/{job_id}", status_code=204, tags=["api"], responses={404: {"description": "onbekend"}})
    def api_delete(job_id: str) -> Response:
        """Stop the job if it runs and remove its upload, report files and everything else it stored."""
        _delete(job_id)
        return Response(status_code=204)

    @app.get("/api/jobs/{job_id}/files/{name}", tags=["api"],
             responses={200: {"description": "het bestand"}, 404: {"description": "onbekend"}})
    def api_file(job_id: str, name: str) -> Any:
        """A report file: roster.xlsx, roster.csv, transport.csv, waitlist.csv, summary.json."""
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        content = store.read_file(job_id, name)
        if content is None:
            raise HTTPException(404, f"geen bestand '{name}' bij deze opdracht")
        kind = "application/json" if name.endswith(".json") else (
            "text/csv; charset=utf-8" if name.endswith(".csv") else
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if name.endswith(".xlsx")
            else "application/octet-stream")
        return Response(content, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    edit.mount(app, store, _submit, _state, _job_out)
    capacity.mount(app, store, templates, _state, _submit)
    app.state.done_states = STATES_DONE
    return app


def _job_out(job: dict[str, Any]) -> dict[str, Any]:
    return {k: job.get(k, default) for k, default in (
        ("id", ""), ("state", ""), ("name", ""), ("week", None), ("period", ""),
        ("queue_position", None), ("problems", []), ("progress", {}),
        ("summary", {}), ("files", []), ("error", ""))}
