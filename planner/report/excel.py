"""roster.xlsx: the week roster for a person, in Dutch, print-ready."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.costs import beyond_table
from planner.report.figures import figure, formula_heading
from planner.report.files import transport_notes, transport_rows
from planner.report.safe import cell_text, sheet_title

if TYPE_CHECKING:
    from planner.plan import Plan

PALETTE = ["DDEBF7", "E2EFDA", "FFF2CC", "FCE4D6", "EDE1F5", "D9F2F2", "F8E0E6", "E7E6E6", "DEEAF1", "F2F2D0"]
HEAD = PatternFill("solid", fgColor="1F4E78")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
STATUS_NL = {"OPTIMAL": "optimaal (bewezen)", "FEASIBLE": "goed rooster, optimum niet bewezen",
             "INFEASIBLE": "onmogelijk", "UNKNOWN": "geen rooster gevonden", "MODEL_INVALID": "modelfout"}
MODE_NL = {"group": "groep", "group_wheelchair": "groep (rolstoel)", "individual": "individueel",
           "eigen": "eigen vervoer"}
COST_NL = {"staff": "Personeel", "vacancies": "Vacatures", "specialists": "Specialistische uren",
           "transport": "Vervoer", "groups": "Extra groepen"}


def _table(ws: Worksheet, header: list[str], rows: list[list], widths: list[int] | None = None) -> None:
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEAD
    for row in rows:
        ws.append([cell_text(v) for v in row])
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths or [16] * len(header), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(ws.max_row, 1)}"
    _print_setup(ws)


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _overview(wb: Workbook, plan: Plan) -> None:
    from planner.plan import summary

    s = summary(plan)
    ws = wb.active
    ws.title = "Overzicht"
    ws["A1"] = f"Weekrooster {plan.scenario.name}"
    ws["A1"].font = Font(bold=True, size=14)
    weeks = plan.model.weeks_per_year
    lines = [
        ("Regio en jaar", s["region"]),
        ("Status oplosser", STATUS_NL.get(s["status"], s["status"])
         + (" — ONDERBROKEN: beste rooster tot dan" if s["interrupted"] else "")),
        ("Plaatsing", STATUS_NL.get(s["placement_status"], s["placement_status"])),
        ("Kosten per week (oplosser)", round(s["objective"], 2)),
        ("Ondergrens kosten per week", round(s["best_bound"], 2)),
        ("Afstand tot ondergrens (gap)", f"{s['gap']:.2%}"),
        ("Rekentijd (s)", s["solve_seconds"]),
        ("Jeugdigen", s["children"]),
        ("Jeugdigen geplaatst", s["children_placed"]),
        ("Dagdelen gevraagd per week", s["dagdelen_requested"]),
        ("Dagdelen geplaatst per week", s["dagdelen_placed"]),
        ("Medewerker-dagdelen per week", s["staff_dagdelen"]),
        ("Vacatures (fte)", ", ".join(f"{k}: {v}" for k, v in s["vacancies"]["fte"].items()) or "geen"),
        ("Geopende extra groepen", ", ".join(s["groups_opened"]) or "geen"),
        ("Wachtlijst (jeugdigen)", s["waitlist"]),
        ("Controle van het rooster", "geen overtredingen" if not plan.violations else
         f"{len(plan.violations)} overtredingen: zie summary.json"),
        ("Waarschuwingen bij het model", cell_text("; ".join(s["model_warnings"])) or "geen"),
    ]
    for i, (label, value) in enumerate(lines, start=3):
        ws.cell(i, 1, label).font = Font(bold=True)
        ws.cell(i, 2, value)
    row = len(lines) + 4
    ws.cell(row, 1, "Kosten").font = Font(bold=True, size=12)
    # values stored (every reader gets them), the Excel formulas beside them (figures.py)
    ws.cell(row + 1, 1, "Onderdeel").font = Font(bold=True)
    ws.cell(row + 1, 2, "Per week (EUR)").font = Font(bold=True)
    ws.cell(row + 1, 3, f"Per jaar ({weeks} weken)").font = Font(bold=True)
    formula_heading(ws.cell(row + 1, 4), "Per week")
    formula_heading(ws.cell(row + 1, 5), "Per jaar")
    first = row + 2
    cents = {key: getattr(plan.cost, key) for key in COST_NL}
    for i, key in enumerate(COST_NL, start=first):
        ws.cell(i, 1, COST_NL[key])
        figure(ws.cell(i, 2), cents[key] / 100, None, None)
        figure(ws.cell(i, 3), cents[key] * weeks / 100, ws.cell(i, 5), f"=B{i}*{weeks}")
    last = first + len(COST_NL) - 1
    total, revenue, margin = last + 1, last + 2, last + 3
    week_total, week_revenue = sum(cents.values()), plan.cost.revenue
    ws.cell(total, 1, "Totaal kosten").font = Font(bold=True)
    figure(ws.cell(total, 2), week_total / 100, ws.cell(total, 4), f"=SUM(B{first}:B{last})")
    figure(ws.cell(total, 3), week_total * weeks / 100, ws.cell(total, 5), f"=SUM(C{first}:C{last})")
    ws.cell(revenue, 1, "Opbrengst (tarief x dagdelen)")
    figure(ws.cell(revenue, 2), week_revenue / 100, None, None)
    figure(ws.cell(revenue, 3), week_revenue * weeks / 100, ws.cell(revenue, 5), f"=B{revenue}*{weeks}")
    ws.cell(margin, 1, "Marge").font = Font(bold=True)
    figure(ws.cell(margin, 2), (week_revenue - week_total) / 100, ws.cell(margin, 4), f"=B{revenue}-B{total}")
    figure(ws.cell(margin, 3), (week_revenue - week_total) * weeks / 100, ws.cell(margin, 5),
           f"=C{revenue}-C{total}")
    bent = plan.soft_bent()
    row = margin + 2
    ws.cell(row, 1, "Gebogen wensen (zachte regels)").font = Font(bold=True, size=12)
    for i, (rule, who) in enumerate(bent or [("geen", "")], start=row + 1):
        ws.cell(i, 1, rule)
        ws.cell(i, 2, cell_text(who))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 22
    ws.column_dimensions["D"].width = 20
    ws.column_dimensions["E"].width = 20
    _print_setup(ws)


def _grids(wb: Workbook, plan: Plan) -> None:
    pr, r = plan.problem, plan.result.roster
    names = {c.id: c.name for c in plan.data.children} | {s.id: s.name for s in plan.data.staff}
    levels = {s.id: s.education for s in plan.data.staff}
    product_colour = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(plan.model.products)}
    cell_kids: dict[tuple[str, str], list[str]] = defaultdict(list)
    cell_staff: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid, gid, d in r.children:
        cell_kids[(gid, d)].append(f"{cid} {names.get(cid, '')}".strip())
    for sid, gid, d in r.staff:
        cell_staff[(gid, d)].append(f"{sid} {names.get(sid, '')} ({levels[sid]})".replace("  ", " "))
    for vid, _, gid, d in r.vacancies:
        cell_staff[(gid, d)].append(vid)
    for loc in plan.data.locations:
        ws = wb.create_sheet(sheet_title(f"Locatie {loc.name or loc.id}", wb.sheetnames))
        ws.append(["Groep"] + list(pr.week))
        for cell in ws[1]:
            cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEAD
        for g in (g for g in plan.data.groups if g.location_id == loc.id):
            label = f"{g.id}\n{', '.join(g.products)}\nmax {g.capacity}"
            if g.optional:
                label += "\n(extra groep: " + ("geopend" if g.id in r.opened else "dicht") + ")"
            ws.append([label] + [""] * len(pr.week))
            row = ws.max_row
            ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(row, 1).fill = PatternFill("solid", fgColor=product_colour.get(g.products[0], "FFFFFF"))
            tallest = 3
            for j, d in enumerate(pr.week, start=2):
                kids, staff = cell_kids.get((g.id, d), []), cell_staff.get((g.id, d), [])
                cell = ws.cell(row, j)
                cell.border = BOX
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if not kids and not staff:
                    continue
                text = "\n".join(kids) + f"\n— begeleiding ({len(staff)}):\n" + "\n".join(staff)
                cell.value = cell_text(text)
                cell.fill = PatternFill("solid", fgColor=product_colour.get(g.products[0], "FFFFFF"))
                tallest = max(tallest, len(kids) + len(staff) + 1)
            ws.row_dimensions[row].height = 15 * tallest
        ws.column_dimensions["A"].width = 22
        for j in range(2, len(pr.week) + 2):
            ws.column_dimensions[get_column_letter(j)].width = 26
        ws.freeze_panes = "B2"
        _print_setup(ws)


def _children(wb: Workbook, plan: Plan) -> None:
    ws = wb.create_sheet("Jeugdigen")
    slots: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cid, gid, d in plan.result.roster.children:
        slots[cid].append((d, gid))
    order = {d: i for i, d in enumerate(plan.problem.week)}
    rows = []
    notes = transport_notes(plan)
    for c in plan.data.children:
        mine = sorted(slots.get(c.id, []), key=lambda x: order[x[0]])
        groups = sorted({g for _, g in mine})
        transport = notes.get(c.id, c.transport)
        rows.append([c.id, c.name, c.product, c.municipality, c.dagdelen_per_week, len(mine),
                     ", ".join(d for d, _ in mine), ", ".join(groups), transport])
    _table(ws, ["Jeugdige", "Naam", "Product", "Gemeente", "Indicatie (dagdelen)", "Geplaatst",
                "Dagdelen", "Groep(en)", "Vervoer"], rows, [10, 22, 11, 18, 12, 10, 60, 18, 40])


def _staff(wb: Workbook, plan: Plan) -> None:
    ws = wb.create_sheet("Medewerkers")
    worked: dict[str, list[str]] = defaultdict(list)
    for sid, gid, d in plan.result.roster.staff:
        worked[sid].append(f"{d} ({gid})")
    hours = plan.model.dagdeel_hours
    rows = []
    for s in plan.data.staff:
        n = len(worked.get(s.id, []))
        use = n / s.dagdelen_per_week if s.dagdelen_per_week else 0
        rows.append([s.id, s.name, s.education, s.dagdelen_per_week, n, s.dagdelen_per_week * hours,
                     n * hours, f"{use:.0%}", ", ".join(worked.get(s.id, []))])
    vac: dict[str, int] = defaultdict(int)
    for _, lv, _, _ in plan.result.roster.vacancies:
        vac[lv] += 1
    for lv, n in sorted(vac.items()):
        rows.append([f"vacature {lv}", "(te werven)", lv, "", n, "", n * hours,
                     f"{n / plan.model.dagdelen_per_fte:.2f} fte", ""])
    _table(ws, ["Medewerker", "Naam", "Niveau", "Contract (dagdelen)", "Ingeroosterd", "Contracturen",
                "Uren ingeroosterd", "Benutting", "Dagdelen"], rows, [12, 22, 8, 12, 12, 12, 12, 10, 80])


def write_roster_xlsx(plan: Plan, path: Path) -> None:
    wb = Workbook()
    _overview(wb, plan)
    _grids(wb, plan)
    _children(wb, plan)
    _staff(wb, plan)
    beyond = {(c, loc) for c, loc, _ in beyond_table(plan.model, plan.data, plan.result.roster)}
    _table(wb.create_sheet("Vervoer"), ["Jeugdige", "Locatie", "Km (enkele reis)", "Band", "Vorm",
                                        "Categorie", "Dagen per week", "Kosten per week", "Opmerking"],
           [[r[0], r[1], float(r[2]), r[3], MODE_NL.get(r[4], r[4]), r[5], r[6], float(r[7]),
             ("buiten de vervoerstabel: " + ("eigen vervoer" if r[4] == "eigen" else "laatste band"))
             if (r[0], r[1]) in beyond else ""]
            for r in transport_rows(plan)], [10, 14, 14, 8, 16, 10, 14, 14, 40])
    _table(wb.create_sheet("Wachtlijst"), ["Jeugdige", "Product", "Gevraagd", "Geplaatst", "Reden"],
           [[w.child_id, w.product, w.requested, w.placed, w.reason] for w in plan.waitlist],
           [10, 11, 10, 10, 80])
    wb.save(path)
