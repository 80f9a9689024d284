"""The web app: pages for a planner (Dutch) and a small JSON API for a provider's own systems."""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from planner.catalogue import MODELS_DIR
from planner.web.jobs import STATES_DONE, JobStore, read_json

HERE = Path(__file__).resolve().parent
STATE_NL = {"new": "nieuw", "invalid": "invoer bevat fouten", "valid": "invoer in orde", "running": "bezig",
            "done": "klaar", "cancelled": "geannuleerd (beste rooster tot dan)", "failed": "mislukt"}
PHASE_NL = {"plaatsing": "kinderen plaatsen", "kosten": "kosten verlagen", "verbeteren": "rooster verbeteren",
            "wensen": "wensen (continuïteit)"}
CHUNK = 1 << 20


class ProblemOut(BaseModel):
    sheet: str
    row: int | None = None
    column: str | None = None
    message: str


class JobOut(BaseModel):
    id: str
    state: str = Field(description="valid | invalid | running | done | cancelled | failed")
    name: str = ""
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
    from planner.scenario import load_scenario

    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*/*.toml")):
        try:
            sc = load_scenario(path)
        except Exception:
            continue
        if sc.data_path is not None:
            out.setdefault(sc.name, path)
    return out


def create_app(root: Path, token: str | None = None, max_upload_mb: float = 20.0,
               scenarios_dir: Path | None = None) -> FastAPI:
    app = FastAPI(title="planner", version="0.1.0",
                  description="Roosterplanner jeugdhulp: werkmap controleren, rooster maken, rapporten ophalen.")
    store = JobStore(root)
    bundled = _scenarios(scenarios_dir) if scenarios_dir and scenarios_dir.exists() else {}
    limit = int(max_upload_mb * 1024 * 1024)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(STATE_NL=STATE_NL, PHASE_NL=PHASE_NL)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.store = store

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit + 64 * 1024:
            return JSONResponse({"detail": f"upload groter dan {max_upload_mb:g} MB"}, status_code=413)
        if token and not request.url.path.startswith(("/static/", "/login")):
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            given = given or request.cookies.get("planner_token", "")
            if not hmac.compare_digest(given.encode(), token.encode()):
                if request.url.path.startswith("/api/") or request.url.path in ("/openapi.json", "/docs"):
                    return JSONResponse({"detail": "token ontbreekt of is onjuist"}, status_code=401)
                return RedirectResponse("/login", status_code=303)
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    async def _save_upload(upload: UploadFile, target: Path) -> None:
        size = 0
        with target.open("wb") as fh:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    fh.close()
                    target.unlink(missing_ok=True)
                    raise HTTPException(413, f"upload groter dan {max_upload_mb:g} MB")
                fh.write(chunk)

    async def _new_job(model: str | None, upload: UploadFile | None, scenario: str | None,
                       time_limit: float | None, seed: int | None) -> dict[str, Any]:
        meta: dict[str, Any] = {"time_limit": time_limit, "seed": seed}
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
        if upload is not None and not scenario:
            await _save_upload(upload, folder / meta["input"])
        return store.validate(job_id)

    # ---------------------------------------------------------------- pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {
            "models": _models(), "scenarios": sorted(bundled, key=lambda n: (n != "voorbeeld", n)),
            "max_mb": max_upload_mb})

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request) -> Response:
        return templates.TemplateResponse(request, "login.html", {"wrong": False})

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token_field: str = Form("", alias="token")) -> Response:
        if token and hmac.compare_digest(token_field.encode(), token.encode()):
            response = RedirectResponse("/", status_code=303)
            response.set_cookie("planner_token", token_field, httponly=True, samesite="strict")
            return response
        return templates.TemplateResponse(request, "login.html", {"wrong": True}, status_code=401)

    @app.post("/opdrachten", include_in_schema=False)
    async def upload_page(model: str = Form(""), time_limit: float = Form(20.0), scenario: str = Form(""),
                          file: UploadFile | None = File(None)) -> Response:
        meta = await _new_job(model, file, scenario or None, time_limit, None)
        return RedirectResponse(f"/opdrachten/{meta['id']}", status_code=303)

    @app.get("/opdrachten/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: str) -> Response:
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        job = store.state(job_id)
        if job["state"] in ("done", "cancelled") and (store.root / job_id / "grid.json").exists():
            return RedirectResponse(f"/opdrachten/{job_id}/rooster", status_code=303)
        return templates.TemplateResponse(request, "job.html", {"job": job})

    @app.post("/opdrachten/{job_id}/plannen", include_in_schema=False)
    def plan_page(job_id: str) -> Response:
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        try:
            store.start(job_id)
        except ValueError as exc:
            raise HTTPException(409, str(exc)) from None
        return RedirectResponse(f"/opdrachten/{job_id}", status_code=303)

    @app.get("/opdrachten/{job_id}/rooster", response_class=HTMLResponse, include_in_schema=False)
    def roster_page(request: Request, job_id: str) -> Response:
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        grid = read_json(store.root / job_id / "grid.json")
        if not grid:
            return RedirectResponse(f"/opdrachten/{job_id}", status_code=303)
        return templates.TemplateResponse(request, "roster.html", {
            "job": store.state(job_id), "grid": grid, "s": grid["summary"]})

    @app.get("/sjabloon", include_in_schema=False)
    def template_download(model: str = "holland-rijnland-2025") -> Response:
        from planner.catalogue import load_model
        from planner.report.template import write_template

        if model not in _models():
            raise HTTPException(404, "onbekend regiomodel")
        folder = Path(tempfile.mkdtemp(prefix="sjabloon-", dir=store.root))
        path = folder / f"invulwerkmap-{model}.xlsx"
        write_template(load_model(model), path)
        return FileResponse(path, filename=path.name)

    # ------------------------------------------------------------------ API
    @app.post("/api/plan", status_code=202, response_model=JobOut, tags=["api"],
              responses={422: {"model": ProblemsOut, "description": "de invoer bevat fouten"},
                         400: {"description": "geen werkmap, onbekend model"},
                         413: {"description": "upload te groot"}})
    async def api_plan(file: UploadFile | None = File(None, description="werkmap (.xlsx) volgens het contract"),
                       model: str = Form("", description="regiomodel, bijv. holland-rijnland-2025"),
                       scenario: str = Form("", description="of: een meegeleverd scenario"),
                       time_limit: float | None = Form(None, description="rekentijd in seconden"),
                       seed: int | None = Form(None)) -> Any:
        """Check a workbook and, when it is clean, start planning it. Poll `GET /api/jobs/{id}`."""
        meta = await _new_job(model, file, scenario or None, time_limit, seed)
        if meta["state"] == "invalid":
            return JSONResponse({"detail": f"{len(meta['problems'])} probleem/problemen in de invoer",
                                 "problems": meta["problems"], "id": meta["id"]}, status_code=422)
        store.start(meta["id"])
        return _job_out(store.state(meta["id"]))

    @app.get("/api/jobs/{job_id}", response_model=JobOut, tags=["api"], responses={404: {"description": "onbekend"}})
    def api_job(job_id: str) -> Any:
        """State, progress (phase, best cost, bound, gap), and when done the summary and file names."""
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        return _job_out(store.state(job_id))

    @app.post("/api/jobs/{job_id}/cancel", response_model=JobOut, tags=["api"],
              responses={404: {"description": "onbekend"}})
    def api_cancel(job_id: str) -> Any:
        """Stop the search; the best roster found so far is written and the job ends as `cancelled`."""
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        store.cancel(job_id)
        return _job_out(store.state(job_id))

    @app.get("/api/jobs/{job_id}/files/{name}", tags=["api"],
             responses={200: {"description": "het bestand"}, 404: {"description": "onbekend"}})
    def api_file(job_id: str, name: str) -> Any:
        """A report file: roster.xlsx, roster.csv, transport.csv, waitlist.csv, summary.json."""
        if store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        path = store.file(job_id, name)
        if path is None:
            raise HTTPException(404, f"geen bestand '{name}' bij deze opdracht")
        return FileResponse(path, filename=name)

    app.state.done_states = STATES_DONE
    return app


def _job_out(job: dict[str, Any]) -> dict[str, Any]:
    return {k: job.get(k, default) for k, default in (
        ("id", ""), ("state", ""), ("name", ""), ("problems", []), ("progress", {}), ("summary", {}),
        ("files", []), ("error", ""))}
