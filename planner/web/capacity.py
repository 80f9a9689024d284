"""The capacity page of the web app: from a checked workbook or bundled scenario, start `planner
capacity` (months, first month) in the job queue, follow it, and read the months: demand P50/P90,
groups, FTE by level, hires, waiting and cost, with capaciteit.xlsx and capacity.csv to download.

The routes sit behind the app's guards like every page (Host, Origin, token or session, headers, the
body cap); the run itself is a worker process of the same queue (planner/web/capacity_job.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from planner.app.capacity.run import first_month, month_count
from planner.web.capacity_job import PHASE_NL, VIEW
from planner.web.jobs import JobStore, read_json

MONTHS = (1, 120)


def parse_months(text: str) -> int | None:
    """Months asked for: empty -> None (the scenario's own), else a whole number 1-120; 422 otherwise."""
    if not text.strip():
        return None

    try:
        return month_count(text)
    except ValueError:
        raise HTTPException(422, f"maanden moet een geheel getal van {MONTHS[0]} tot {MONTHS[1]} zijn") from None


def parse_start(text: str) -> str | None:
    """First month 'YYYY-MM' (2000-2099): empty -> None (the scenario's own); 422 otherwise."""
    if not text.strip():
        return None

    try:
        first_month(text)
    except ValueError as exc:
        raise HTTPException(422, f"eerste maand: {exc}") from None
    return text.strip()


def mount(app: Any, store: JobStore, templates: Any, state: Any, submit: Any) -> None:
    """The capacity routes on `app`; `state(job_id)` and `submit(job_id)` are the app's own (404, 409, 429)."""

    @app.post("/opdrachten/{job_id}/capaciteit", include_in_schema=False)
    def start_capacity(job_id: str, months: str = Form(""), start: str = Form("")) -> Response:
        """Queue the job as a capacity run (only a checked job that has not run yet)."""
        job = state(job_id)
        wanted_months, wanted_start = parse_months(months), parse_start(start)
        if job["state"] != "valid":
            raise HTTPException(409, f"opdracht is niet klaar om te plannen ({job['state']})")
        store.update(job_id, kind="capacity", months=wanted_months, start=wanted_start)
        try:
            submit(job_id)
        except HTTPException:
            store.update(job_id, kind=None, months=None, start=None)  # the job can still be planned
            raise
        return RedirectResponse(f"/opdrachten/{job_id}/capaciteit", status_code=303)

    @app.get("/opdrachten/{job_id}/capaciteit", include_in_schema=False)
    def capacity_page(request: Request, job_id: str) -> Response:
        job = state(job_id)
        if job["state"] == "invalid" or job.get("kind") != "capacity" and job["state"] != "valid":
            return RedirectResponse(f"/opdrachten/{job_id}", status_code=303)
        view = read_json(store.root / job_id / VIEW) if job["state"] == "done" else {}
        return templates.TemplateResponse(request, "capacity.html", {
            "job": job, "view": view, "phase": PHASE_NL.get(job.get("progress", {}).get("phase", ""), "starten …")})
