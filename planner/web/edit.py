"""Hand edits of a planned roster in the web app (issue 21 point 2), re-checked at once.

An edit moves one child or staff member from a (group, dagdeel) to another, or removes them there.
The job's roster is `rapport/roster.csv` with the kept edits (`edits.json`, in order) applied; a new
edit is applied on top, checked by the independent checker and priced (planner.app.recheck), and only
written when `keep` is set: then it joins `edits.json` and the edited roster is written as
`rapport/roster-bewerkt.csv`. A replan is a new job that starts from the edited roster with every
person an edit touched pinned (as `pinned = ja` in the data: their assignments in the edited roster
hold; planner.solver.replan), and lets the optimiser plan the rest around them.
"""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
from dataclasses import replace
from typing import Any

from fastapi import HTTPException
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from planner.app.recheck import RULE_NL, Recheck, recheck_previous
from planner.inputs.dagdelen import parse_dagdeel
from planner.inputs.errors import InputError
from planner.report.safe import atomic_file
from planner.solver.replan import COLUMNS, PreviousRoster, read_previous
from planner.web.jobs import JobStore, job_data, read_json, write_json
from planner.web.nl import euro_cents

EDITS, EDITED, PREVIOUS = "edits.json", "roster-bewerkt.csv", "vorig-rooster.csv"


ROLES = ("child", "staff")


class EditIn(BaseModel):
    person_id: str = Field(min_length=1, max_length=100)
    # checked by Editor.check (a Dutch 422 naming the field), not by pydantic (an English list)
    role: str = Field(max_length=20, description="child of staff", json_schema_extra={"enum": list(ROLES)})
    from_group: str = Field(min_length=1, max_length=100)
    from_dagdeel: str = Field(min_length=1, max_length=40, description="bijv. ma-ochtend")
    to_group: str | None = Field(None, max_length=100, description="leeg: dezelfde groep")
    to_dagdeel: str | None = Field(None, max_length=40, description="leeg: hetzelfde dagdeel")
    remove: bool = Field(False, description="verwijder de persoon van dit dagdeel in deze groep")
    keep: bool = Field(False, description="bewaar de wijziging (wordt vastgezet bij herplannen)")


class ViolationOut(BaseModel):
    rule: str
    rule_nl: str
    message: str


class EditOut(BaseModel):
    violations: list[ViolationOut]
    lines: list[str] = Field(description="één Nederlandse regel per overtreding: regel en plaats")
    cost_per_week: float = Field(description="EUR per week van het bewerkte rooster")
    cost_text: str = Field(description="bijv. € 1.234,56")
    cost_before: float = Field(description="EUR per week voor deze wijziging")
    kept: bool
    edits_kept: int = Field(description="aantal bewaarde wijzigingen van deze opdracht")


class Editor:
    """Edits of the jobs in `store`; every method raises HTTPException (404/409/422) with a Dutch detail."""

    def __init__(self, store: JobStore):
        self.store = store

    def _inputs(self, job_id: str) -> tuple[Any, Any, Any, PreviousRoster, Any]:
        """(model, the data of the job's week, its solve settings, the roster with the kept edits, the
        Period: the dated week or the template week)."""
        folder = self.store.folder(job_id)
        if folder is None:
            raise HTTPException(404, "onbekende opdracht")
        report = self.store.report(job_id)
        if report is None or "roster.csv" not in self.store.files(job_id):
            raise HTTPException(409, "deze opdracht heeft nog geen rooster")
        try:
            sc, model, data, period = job_data(folder, self.store.meta(job_id))
            roster = read_previous(report / "roster.csv", tuple(model.parts))
        except InputError as exc:
            raise HTTPException(409, "; ".join(str(p) for p in exc.problems)) from None
        for edit in self.kept(job_id):
            roster = self._apply(model, roster, EditIn(**edit))
        return model, data, sc.solve, roster, period

    def kept(self, job_id: str) -> list[dict[str, Any]]:
        return list(read_json(self.store.root / job_id / EDITS).get("edits", []))

    @staticmethod
    def _dagdeel(model: Any, text: str) -> str:
        try:
            ids = parse_dagdeel(text, tuple(model.parts))
        except ValueError as exc:
            raise HTTPException(422, f"dagdeel '{text}': {exc}") from None
        if len(ids) != 1 or ids[0] not in model.week():
            raise HTTPException(422, f"dagdeel '{text}' is geen dagdeel van de week")
        return ids[0]

    def _apply(self, model: Any, roster: PreviousRoster, edit: EditIn) -> PreviousRoster:
        """The roster with `edit` applied; 422 when the person is not at the `from` place."""
        src = (edit.person_id, edit.from_group, self._dagdeel(model, edit.from_dagdeel))
        rows = set(roster.children if edit.role == "child" else roster.staff)
        if src not in rows:
            who = "jeugdige" if edit.role == "child" else "medewerker"
            raise HTTPException(422, f"{who} {src[0]} staat niet in groep {src[1]} op {src[2]}")
        rows.discard(src)
        if not edit.remove:
            target = (edit.person_id, edit.to_group or edit.from_group,
                      self._dagdeel(model, edit.to_dagdeel) if edit.to_dagdeel else src[2])
            if target == src:
                raise HTTPException(422, "kies een andere groep of een ander dagdeel")
            if target in rows:
                raise HTTPException(422, f"{target[0]} staat al in groep {target[1]} op {target[2]}")
            rows.add(target)
        moved = tuple(sorted(rows))
        return replace(roster, children=moved) if edit.role == "child" else replace(roster, staff=moved)

    def check(self, job_id: str, edit: EditIn | None) -> dict[str, Any]:
        """Apply `edit` (None: only the kept ones) to the job's roster, check and price it; with
        `edit.keep` store it. Returns the EditOut fields."""
        model, data, settings, roster, period = self._inputs(job_id)
        rules = (settings.vacancies, period, settings.min_contract_use)
        before = recheck_previous(model, data, roster, *rules)
        found = before
        if edit is not None:
            if edit.role not in ROLES:
                raise HTTPException(422, f"role: '{edit.role[:20]}' onbekend (child of staff)")
            groups = {g.id for g in data.groups} | {g for g, _ in (period.closed if period else ())}
            if edit.to_group and edit.to_group not in groups:
                raise HTTPException(422, f"to_group: groep '{edit.to_group[:100]}' onbekend")
            roster = self._apply(model, roster, edit)
            found = recheck_previous(model, data, roster, *rules)
            if edit.keep:
                stored = edit.model_dump(exclude={"keep"})
                stored["from_dagdeel"] = self._dagdeel(model, edit.from_dagdeel)
                if edit.to_dagdeel:
                    stored["to_dagdeel"] = self._dagdeel(model, edit.to_dagdeel)
                kept = self.kept(job_id) + [stored]
                write_json(self.store.root / job_id / EDITS, {"edits": kept})
                self._write(job_id, model, data, roster)
        return _out(found, before, bool(edit and edit.keep), len(self.kept(job_id)))

    def undo(self, job_id: str) -> dict[str, Any]:
        """Take back the last kept edit; 409 when there is none."""
        kept = self.kept(job_id)
        if self.store.folder(job_id) is None:
            raise HTTPException(404, "onbekende opdracht")
        if not kept:
            raise HTTPException(409, "er is geen bewaarde wijziging om ongedaan te maken")
        write_json(self.store.root / job_id / EDITS, {"edits": kept[:-1]})
        model, data, _, roster, _ = self._inputs(job_id)
        if kept[:-1]:
            self._write(job_id, model, data, roster)
        else:
            report = self.store.report(job_id)
            if report is not None:
                (report / EDITED).unlink(missing_ok=True)
        return self.check(job_id, None)

    def _write(self, job_id: str, model: Any, data: Any, roster: PreviousRoster) -> None:
        report = self.store.report(job_id)
        assert report is not None  # _inputs checked it
        text = roster_csv(data, roster)
        atomic_file(report / EDITED, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def replan(self, job_id: str) -> str:
        """A new valid job planning from the edited roster with the edited people pinned; its id."""
        model, data, _, roster, _ = self._inputs(job_id)
        meta = self.store.meta(job_id)
        pins: dict[str, list[str]] = {"child": [], "staff": []}
        for edit in self.kept(job_id):
            if edit["person_id"] not in pins[edit["role"]]:
                pins[edit["role"]].append(edit["person_id"])
        keys = ("scenario", "model", "input", "time_limit", "seed", "region", "counts", "week", "period")
        new = {k: meta[k] for k in keys if k in meta}
        new.update(name=f"{meta.get('name', '')} (herpland)"[:80], previous=PREVIOUS, pins=pins, replan_of=job_id)
        new_id, folder = self.store.create(new)
        if meta.get("input"):
            shutil.copyfile(self.store.root / job_id / meta["input"], folder / meta["input"])
        text = roster_csv(data, roster)
        atomic_file(folder / PREVIOUS, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        self.store.update(new_id, state="valid")
        return new_id


def roster_csv(data: Any, roster: PreviousRoster) -> str:
    """The roster in roster.csv's columns (planner.solver.replan.COLUMNS), `,`-separated UTF-8."""
    location = {g.id: g.location_id for g in data.groups}
    product = {c.id: c.product for c in data.children}
    education = {s.id: s.education for s in data.staff}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows: list[tuple[str, ...]] = [
        (d, location.get(g, roster.locations.get(g, "")), g, "child", p, product.get(p, ""), "")
        for p, g, d in roster.children]
    rows += [(d, location.get(g, roster.locations.get(g, "")), g, "staff", p, "", education.get(p, ""))
             for p, g, d in roster.staff]
    rows += [(d, location.get(g, roster.locations.get(g, "")), g, "vacancy", f"vacature-{i + 1}", "", lv)
             for i, (lv, g, d) in enumerate(roster.vacancies)]
    rows.sort(key=lambda r: (r[2], r[0], r[3], r[4]))
    writer.writerows(rows)
    return out.getvalue()


def _out(found: Recheck, before: Recheck, kept: bool, count: int) -> dict[str, Any]:
    return {"violations": [{"rule": v.rule, "rule_nl": RULE_NL.get(v.rule, v.rule), "message": v.message}
                           for v in found.violations],
            "lines": found.lines(), "cost_per_week": found.cost.total / 100, "cost_text": euro_cents(found.cost.total),
            "cost_before": before.cost.total / 100, "kept": kept, "edits_kept": count}


def mount(app: Any, store: JobStore, submit: Any, state: Any, job_out: Any) -> None:
    """The edit API and the roster page's form posts, on `app` (behind its Host/Origin guard)."""


    editor = Editor(store)

    @app.post("/api/jobs/{job_id}/edit", response_model=EditOut, tags=["api"],
              responses={404: {"description": "onbekend"}, 409: {"description": "nog geen rooster"},
                         422: {"description": "persoon staat daar niet, onbekend dagdeel"}})
    async def api_edit(job_id: str, edit: EditIn) -> Any:
        """Move a child or staff member to another group or dagdeel, or remove them there: every rule the
        edited roster breaks (Dutch, rule and place) and its new weekly cost. The job's files change only
        with `keep`: then the edit is stored (and pinned when replanning) and `roster-bewerkt.csv` written."""
        return await asyncio.to_thread(editor.check, job_id, edit)

    @app.get("/api/jobs/{job_id}/edit", response_model=EditOut, tags=["api"],
             responses={404: {"description": "onbekend"}, 409: {"description": "nog geen rooster"}})
    async def api_edits(job_id: str) -> Any:
        """The roster with the kept edits: its violations and weekly cost."""
        return await asyncio.to_thread(editor.check, job_id, None)

    @app.post("/api/jobs/{job_id}/edit/undo", response_model=EditOut, tags=["api"],
              responses={404: {"description": "onbekend"}, 409: {"description": "niets te herstellen"}})
    async def api_undo(job_id: str) -> Any:
        """Take back the last kept edit."""
        return await asyncio.to_thread(editor.undo, job_id)

    @app.post("/api/jobs/{job_id}/replan", status_code=202, tags=["api"],
              responses={404: {"description": "onbekend"}, 409: {"description": "nog geen rooster"},
                         429: {"description": "wachtrij vol; zie Retry-After"}})
    async def api_replan(job_id: str) -> Any:
        """A new job: plan again from the edited roster, with every person a kept edit touched pinned.
        Poll `GET /api/jobs/{new id}`."""
        new_id = await asyncio.to_thread(editor.replan, job_id)
        try:
            await asyncio.to_thread(submit, new_id)
        except HTTPException:
            store.delete(new_id)
            raise
        return job_out(state(new_id))

    @app.post("/opdrachten/{job_id}/herplannen", include_in_schema=False)
    async def replan_page(job_id: str) -> Any:
        new = await api_replan(job_id)
        return RedirectResponse(f"/opdrachten/{new['id']}", status_code=303)


def on_grid(grid: dict[str, Any], edits: list[dict[str, Any]]) -> dict[str, Any]:
    """The roster page's grid (views.grid_view) with the kept edits applied: each person's chip moved to
    its new cell or taken out. The counts in a cell are the planned ones; the checker's answer is on the page."""
    cells = {(g["id"], c["dagdeel"]): c for loc in grid["locations"] for g in loc["groups"] for c in g["cells"]}
    for edit in edits:
        key = "children" if edit["role"] == "child" else "staff"
        source = cells.get((edit["from_group"], edit["from_dagdeel"]), {})
        entry = next((p for p in source.get(key, []) if p["id"] == edit["person_id"]), None)
        if entry is None:
            continue
        source[key].remove(entry)
        if edit.get("remove"):
            continue
        target = cells.get((edit.get("to_group") or edit["from_group"], edit.get("to_dagdeel") or edit["from_dagdeel"]))
        if target is None:
            continue
        if not target.get("open"):
            target.update(open=True, children=[], staff=[], vacancies=[], seats="", needed=0, headroom=None)
        target.setdefault(key, []).append(entry)
    return grid
