"""Replanning says what happened: console line, summary.json and changes.xlsx agree with changes.csv
(issue 21 point 5)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import replace

import openpyxl

from planner.app.plan import make_plan_from
from planner.report.files import write_plan
from planner.solver.replan import read_previous
from tests import builders as b


def test_removed_staff_member_counts_agree_with_changes_csv(tmp_path):
    """S1 leaves: changes.csv has S1 'gestopt' and someone 'erbij'; the summary's line and
    summary.json count exactly those rows, and changes.xlsx has the names beside the ids."""
    m = b.model("holland-rijnland-2025")
    kids = [b.child(f"C{i}", "41A03-1", 2, age=9, name=f"Kind {i}") for i in range(1, 5)]
    people = [b.staff("S1", "HBO", 4, name="Anna de Vries", hourly_cost=30.0),
              b.staff("S2", "HBO", 10, name="Bram Smit", hourly_cost=45.0)]
    data = b.data(groups=[b.group("G1", "41A03-1", open="ma-ochtend, di-ochtend, wo-ochtend, do-ochtend")],
                  staff_=people, children=kids)
    base = make_plan_from(m, data, b.settings(time_limit_s=2, workers=1))
    assert base.violations == [] and any(s == "S1" for s, _, _ in base.result.roster.staff)
    write_plan(base, tmp_path / "vorige")
    previous = read_previous(tmp_path / "vorige" / "roster.csv", ("ochtend", "middag"))

    plan = make_plan_from(m, replace(data, staff=(people[1],)), b.settings(time_limit_s=2, workers=1),
                          previous=previous)
    assert plan.violations == []
    write_plan(plan, tmp_path / "nieuw")
    with (tmp_path / "nieuw" / "changes.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    counted = Counter((r["role"], r["change"]) for r in rows)
    s = plan.change_summary
    assert s is not None
    stopped = counted[("staff", "gestopt")]
    added = counted[("staff", "erbij")]
    assert stopped >= 1 and added == stopped
    assert s.rows["staff"] == {"gestopt": stopped, "erbij": added}
    assert s.people["staff"] == len({r["person_id"] for r in rows if r["role"] == "staff"}) == 2
    assert s.line() == f"medewerkers: 2 ({stopped + added} dagdelen: {stopped} erbij, {stopped} gestopt)"
    summary = json.loads((tmp_path / "nieuw" / "summary.json").read_text(encoding="utf-8"))
    assert summary["changes"]["rows"] == {"staff": {"gestopt": stopped, "erbij": added}}
    sheet = openpyxl.load_workbook(tmp_path / "nieuw" / "changes.xlsx")["Wijzigingen"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Persoon", "Naam", "Rol"]
    names = {(r[0], r[1]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert ("S2", "Bram Smit") in names
    overview = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "nieuw" / "changes.xlsx")["Overzicht"]
                .iter_rows(values_only=True) if r[0]}
    assert overview["Dagdelen van medewerkers gewijzigd"] == stopped + added
    # the old keys mean the same as changes.csv (repro-5 of the user test: they disagreed)
    assert summary["changes"]["staff_changed"] == 2 and summary["changes"]["staff_dagdelen_changed"] == stopped + added
    assert summary["changes"]["children_changed"] == s.people.get("child", 0)
    assert summary["changes"]["child_dagdelen_changed"] == sum(s.rows.get("child", {}).values())
    # S1 is no longer in the data: the name column says so instead of staying empty
    assert ("S1", "(gestopt)") in names
