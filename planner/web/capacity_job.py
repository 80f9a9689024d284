"""A capacity run of the web app, in its worker process: `planner capacity` on the job's workbook or
bundled scenario, the report files in `rapport/`, and the page's view in `capacity.json`.

The job's `job.json` carries `kind = "capacity"`, `months` (1-120) and `start` ('YYYY-MM' or None);
an uploaded workbook has no [capacity] or [forecast] table, so it is planned with the defaults
(planner/app/capacity/run.py: 12 months, no inflow, no waiting list); a bundled scenario with its own.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from planner.inputs.catalogue import LEVELS
from planner.inputs.errors import InputError
from planner.web.jobs import job_scenario, private, read_json, write_json

VIEW = "capacity.json"
PHASE_NL = {"vraag": "vraag berekenen (Monte Carlo)", "oplossen": "groepen en personeel optimaliseren",
            "afweging": "afwegingscurve kosten en wachten", "schrijven": "rapport schrijven"}


def capacity_view(run: Any, name: str) -> dict[str, Any]:
    """What the capacity page shows, as plain JSON: per month demand P50/P90 (child-dagdelen per week),
    places, groups open, own FTE by level, FTE hired, agency FTE, children waiting, waiting time
    (months) and cost (EUR); totals over the horizon. `run` is a planner.app.capacity.run.CapacityRun."""
    from planner.report.capacity_xlsx import waiting_children, waiting_months  # noqa: PLC0415 (runs in the capacity job's worker process, after its memory limit is set)
    from planner.report.forecast_xlsx import month_label  # noqa: PLC0415 (runs in the capacity job's worker process, after its memory limit is set)

    plan = run.plan
    d = plan.demand
    kids, wait = waiting_children(plan).sum(axis=1), waiting_months(plan)
    cost = sum(plan.cost.values())
    months = []
    for t, (y, m) in enumerate(d.months):
        months.append({
            "month": f"{y}-{m:02d}", "label": month_label(y, m),
            "p50": round(float(d.p50[t].sum()), 1), "p90": round(float(d.p90[t].sum()), 1),
            "places": int(plan.places[t].sum()), "groups": int(plan.groups[t].sum()),
            "opened": int(plan.opened[t].sum()), "closed": int(plan.closed[t].sum()),
            "fte": {lv: round(float(plan.fte[t, li]), 2) for li, lv in enumerate(LEVELS)},
            "hired": round(float(plan.hired[t].sum()), 2), "agency": round(float(plan.agency[t].sum()), 2),
            "waiting": round(float(kids[t]), 1),
            "waiting_months": None if wait[t] != wait[t] else round(float(wait[t]), 2),  # NaN: no inflow
            "cost": round(float(cost[t]), 2),
        })
    return {
        "scenario": name, "region": f"{run.model.region} {run.model.year}",
        "status": plan.status, "months": months, "levels": list(LEVELS),
        "groups": [{"name": gt.name, "open": [int(v) for v in plan.groups[:, k]]} for k, gt in enumerate(plan.types)],
        "total_cost": round(plan.total_cost(False), 2), "objective": round(plan.objective, 2),
        "bound": round(plan.bound, 2),
        "hired": {lv: round(float(plan.hired[:, li].sum()), 2) for li, lv in enumerate(LEVELS)},
        "cost_terms": {k: round(float(v.sum()), 2) for k, v in plan.cost.items()},
        "plan_quantile": plan.settings.plan_quantile, "waiting_price": plan.settings.waiting_price,
        "lead_months": plan.settings.lead_months,
    }


def work_capacity(job_dir: str) -> None:
    """The worker process of a capacity job: plan, check, write; never raises. Owner-only files."""
    os.umask(0o077)
    path = Path(job_dir)
    try:
        meta = read_json(path / "job.json")
        _run(path, meta)
    except KeyboardInterrupt:
        write_json(path / "result.json", {"state": "cancelled", "error": "geannuleerd; geen capaciteitsplan"})
    except InputError as exc:
        write_json(path / "result.json", {"state": "failed", "error": "; ".join(str(p) for p in exc.problems)})
    except Exception as exc:  # one line on the page; the server goes on
        if read_json(path / "job.json").get("cancel_requested"):
            write_json(path / "result.json", {"state": "cancelled", "error": "geannuleerd; geen capaciteitsplan"})
        else:
            write_json(path / "result.json", {"state": "failed", "error": f"rekenen mislukt ({type(exc).__name__})"})
    finally:
        if path.exists():
            private(path)


def _run(path: Path, meta: dict[str, Any]) -> None:
    from planner.app.capacity.run import make_capacity, notes  # noqa: PLC0415 (runs in the capacity job's worker process, after its memory limit is set)
    from planner.report.capacity_xlsx import write_capacity  # noqa: PLC0415 (runs in the capacity job's worker process, after its memory limit is set)
    from planner.report.safe import atomic_dir  # noqa: PLC0415 (runs in the capacity job's worker process, after its memory limit is set)

    began = time.time()

    def progress(phase: str) -> None:
        # a cancel between phases (SCIP handles Ctrl-C itself inside a solve and returns its best plan)
        if read_json(path / "job.json").get("cancel_requested"):
            raise KeyboardInterrupt
        write_json(path / "progress.json", {"phase": phase, "phase_nl": PHASE_NL[phase],
                                             "seconds": round(time.time() - began, 1)})

    sc = job_scenario(path, meta)
    run = make_capacity(sc, meta.get("months"), meta.get("start"), progress)
    progress("schrijven")
    with atomic_dir(path / "rapport") as tmp:
        write_capacity(run.model, run.plan, run.curve, tmp / "capaciteit.xlsx", tmp / "capacity.csv",
                       notes(sc, run.model, run.plan), run.contracted)
    write_json(path / VIEW, capacity_view(run, sc.name))
    write_json(path / "result.json", {"state": "done"})
