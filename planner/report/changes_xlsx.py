"""changes.xlsx: what the new roster changes for each person, and why, in Dutch."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from planner.report.excel import table

if TYPE_CHECKING:
    from planner.app.plan import Plan

ROLE_NL = {"child": "jeugdige", "staff": "medewerker", "vacancy": "vacature"}
KIND_FILL = {"nieuw": "E2EFDA", "erbij": "E2EFDA", "gestopt": "F8E0E6", "vervallen": "F8E0E6",
             "andere groep": "FFF2CC", "andere locatie": "FCE4D6", "ander dagdeel": "FFF2CC", "verplaatst": "FCE4D6"}


def write_changes_xlsx(plan: Plan, path: Path) -> None:
    s = plan.change_summary
    assert s is not None and plan.previous is not None
    wb = Workbook()
    ws = wb.active
    ws.title = "Overzicht"
    ws["A1"] = f"Wijzigingen t.o.v. vorig rooster — {plan.scenario.name}"
    ws["A1"].font = Font(bold=True, size=14)
    # the same counts as changes.csv (ChangeSummary.rows / people) and the console line
    lines = [
        ("Vorig rooster", Path(plan.previous.source).name),
        ("Jeugdigen met een wijziging", s.people.get("child", 0)),
        ("Dagdelen van jeugdigen gewijzigd", sum(s.rows.get("child", {}).values())),
        ("Medewerkers met een wijziging", s.people.get("staff", 0)),
        ("Dagdelen van medewerkers gewijzigd", sum(s.rows.get("staff", {}).values())),
        ("Vacature-dagdelen gewijzigd", sum(s.rows.get("vacancy", {}).values())),
        ("Nieuwe jeugdigen", s.children_new),
        ("Jeugdigen gestopt", s.children_ended),
        ("Nieuwe medewerkers", s.staff_new),
        ("Medewerkers niet meer beschikbaar", s.staff_gone),
    ]
    for i, (label, value) in enumerate(lines, start=3):
        ws.cell(row=i, column=1, value=label).font = Font(bold=True)
        ws.cell(row=i, column=2, value=value)
    row = len(lines) + 4
    ws.cell(row=row, column=1, value="Soort wijziging").font = Font(bold=True)
    ws.cell(row=row, column=2, value="Aantal").font = Font(bold=True)
    for kind, n in sorted(Counter((ROLE_NL[c.role], c.change) for c in plan.changes).items()):
        row += 1
        ws.cell(row=row, column=1, value=f"{kind[0]}: {kind[1]}")
        ws.cell(row=row, column=2, value=n)
    for person, why in s.not_pinned:
        row += 2
        ws.cell(row=row, column=1, value=f"Niet vastgezet: {person}")
        ws.cell(row=row, column=2, value=why)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 30

    detail = wb.create_sheet("Wijzigingen")
    header = ["Persoon", "Naam", "Rol", "Wijziging", "Dagdeel was", "Locatie was", "Groep was",
              "Dagdeel wordt", "Locatie wordt", "Groep wordt", "Reden"]
    names = _names(plan)
    rows = []
    for c in plan.changes:
        r = c.row()
        r[1] = ROLE_NL[c.role]
        # someone no longer in the data has no name there (roster.csv holds ids only): say why
        missing = "(gestopt)" if c.change == "gestopt" else ""
        rows.append([r[0], names.get((c.role, c.person_id), missing), *r[1:]])
    table(detail, header, rows, [14, 22, 12, 15, 13, 13, 11, 13, 13, 11, 45])
    for i, c in enumerate(plan.changes, start=2):
        detail.cell(row=i, column=4).fill = PatternFill("solid", fgColor=KIND_FILL.get(c.change, "FFFFFF"))
    wb.save(path)


def _names(plan: Plan) -> dict[tuple[str, str], str]:
    """(role, id) -> name for children and staff of the new data; location names for nobody else."""
    out = {("child", c.id): c.name for c in plan.data.children if c.name}
    out.update({("staff", m.id): m.name for m in tuple(plan.data.staff) + plan.period.away if m.name})
    return out
