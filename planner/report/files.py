"""The report folder of `planner plan`: five files, written to a temporary folder and moved whole."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

from planner.app.changes import HEADER
from planner.app.rows import ROSTER_COLUMNS, distance_source, previous_rows, roster_rows, transport_rows
from planner.app.summary import summary
from planner.report.changes_xlsx import write_changes_xlsx
from planner.report.excel import write_roster_xlsx
from planner.report.safe import atomic_dir, cell_text

if TYPE_CHECKING:
    from planner.app.plan import Plan


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([cell_text(v) for v in row])


def write_plan(plan: Plan, out: Path) -> None:
    """Write the report folder of a plan whole (roster.csv, transport.csv, waitlist.csv, summary.json,
    roster.xlsx; when replanning changes.csv, changes.xlsx, roster.previous.csv): into a temporary
    folder first, then moved to `out` (report/safe.py: atomic_dir); OSError if that cannot be done."""
    with atomic_dir(out) as tmp:
        _csv(tmp / "roster.csv", ROSTER_COLUMNS, roster_rows(plan))
        # the contract's columns first; distance_source added at the end (contract.md: extending is allowed)
        _csv(tmp / "transport.csv", ["child_id", "location_id", "km", "band", "mode", "category",
                                     "days_per_week", "cost_per_week", "distance_source"],
             [[*r, distance_source(plan, r[0], r[1])] for r in transport_rows(plan)])
        _csv(tmp / "waitlist.csv", ["child_id", "product", "dagdelen_requested", "dagdelen_placed", "reason"],
             [[w.child_id, w.product, w.requested, w.placed, w.reason] for w in plan.waitlist])
        (tmp / "summary.json").write_text(json.dumps(summary(plan), indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
        write_roster_xlsx(plan, tmp / "roster.xlsx")
        if plan.previous is not None:
            _csv(tmp / "changes.csv", HEADER, [c.row() for c in plan.changes])
            write_changes_xlsx(plan, tmp / "changes.xlsx")
            # the roster this one started from, kept beside it: the input is never lost
            _csv(tmp / "roster.previous.csv", ROSTER_COLUMNS, previous_rows(plan))
