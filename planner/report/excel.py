"""roster.xlsx: the week roster for a person, in Dutch, print-ready."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.app.rows import distance_source, transport_notes, transport_rows
from planner.app.summary import summary
from planner.core.costs import beyond_table, contract_use
from planner.core.nl import euro
from planner.report.figures import figure, formula_heading
from planner.report.grid import PALETTE as PALETTE  # the web grid uses the same colours
from planner.report.grid import write_location_sheets
from planner.report.safe import cell_text

if TYPE_CHECKING:
    from planner.app.plan import Plan

HEAD = PatternFill("solid", fgColor="1F4E78")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
STATUS_NL = {"OPTIMAL": "optimaal", "FEASIBLE": "haalbaar (optimum niet bewezen)",
             "INFEASIBLE": "onmogelijk", "UNKNOWN": "geen rooster gevonden", "MODEL_INVALID": "modelfout"}
# euros as a Dutch planner reads them (€ 1.234,56): Excel shows the separators of its own locale
EURO = '"€ "#,##0.00'

# the soft rules' keys (plan.soft_bent, price.py) in words a planner reads
SOFT_NL = {"kind_in_een_groep": "Jeugdige in één groep", "vaste_medewerker_op_groep": "Vaste medewerker op een groep",
           "eerlijke_verdeling": "Eerlijke verdeling van dagdelen"}
MODE_NL = {"group": "groep", "group_wheelchair": "groep (rolstoel)", "individual": "individueel",
           "eigen": "eigen vervoer"}
COST_NL = {"staff": "Personeel", "vacancies": "Vacatures", "specialists": "Specialistische uren",
           "transport": "Vervoer", "groups": "Extra groepen"}


# printing (issue 21 point 3, user test): LibreOffice fits about 100 characters of column width on A4
# landscape at 100 %; text must stay >= 8 pt of 11 pt (73 %), so a sheet is at most ~130 characters wide:
# the widest columns are narrowed to fit and wrap their text (tests/plan/test_print.py measures the PDF)
MAX_WIDTH = 130
PORTRAIT_WIDTH = 95  # total column width (characters) that still prints >= 8 pt on A4 portrait


def _euro_text(euros: float) -> str:
    """150.0 -> '€ 150,00'; 1234.5 -> '€ 1.234,50' (Dutch separators, for text; cells use EURO)."""
    return euro(euros, 2)


def table(ws: Worksheet, header: list[str], rows: list[list], widths: list[int] | None = None) -> None:
    """Write a header row (bold, white on the house colour) and `rows` below it; `widths` in characters."""
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([cell_text(v) for v in row])
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths or [16] * len(header), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(ws.max_row, 1)}"
    _print_setup(ws)


def _print_setup(ws: Worksheet) -> None:
    """A4; columns narrowed (text wrapped) to at most MAX_WIDTH characters in all; landscape when wider
    than portrait holds; fit to the page's width only (a long list runs over as many pages as it needs,
    never shrunk onto one); the header row on every page."""
    letters = [get_column_letter(i) for i in range(1, ws.max_column + 1)]
    widths = [ws.column_dimensions[x].width or 13 for x in letters]
    cap = max(widths, default=13)
    while sum(min(w, cap) for w in widths) > MAX_WIDTH and cap > 12:
        cap -= 1
    for i, (letter, width) in enumerate(zip(letters, widths, strict=True), start=1):
        if width > cap:
            ws.column_dimensions[letter].width = cap
            for (cell,) in ws.iter_rows(min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(min(w, cap) for w in widths) > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _overview(wb: Workbook, plan: Plan) -> None:
    s = summary(plan)
    ws = wb.active
    ws.title = "Overzicht"
    ws["A1"] = f"Weekrooster {plan.scenario.name}" + (f", {plan.period.title()}" if plan.period.label else "")
    ws["A1"].font = Font(bold=True, size=14)
    weeks = plan.model.weeks_per_year
    penalty = plan.problem.rules.vacancy_penalty
    vacancy_days = len(plan.result.roster.vacancies)
    lines = [
        ("Regio en jaar", s["region"]),
        ("Status oplosser", STATUS_NL.get(s["status"], s["status"])
         + (" — onderbroken: beste rooster tot dan" if s["interrupted"] else "")),
        ("Plaatsing", STATUS_NL.get(s["placement_status"], s["placement_status"])),
        ("Kosten per week (oplosser)", round(s["objective"], 2)),
        ("Ondergrens kosten per week", round(s["best_bound"], 2)),
        ("Verschil met Totaal kosten", f"de oplosser telt per vacature-dagdeel {_euro_text(penalty)} strafkosten "
         f"(vacancy_penalty) en de zachte wensen mee ({vacancy_days} vacature-dagdelen); Totaal kosten "
         "hieronder is wat de week kost"),
        ("Afstand tot ondergrens (gap)", s["gap"]),
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
        cell = ws.cell(i, 2, value)
        if label.endswith("(gap)") and isinstance(value, int | float):
            cell.number_format = "0.00%"  # a number Excel can compute with, shown as 10.17%
        if label in ("Kosten per week (oplosser)", "Ondergrens kosten per week"):
            cell.number_format = EURO
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
        figure(ws.cell(i, 2), cents[key] / 100, None, None, EURO)
        figure(ws.cell(i, 3), cents[key] * weeks / 100, ws.cell(i, 5), f"=B{i}*{weeks}", EURO)
    last = first + len(COST_NL) - 1
    total, revenue, margin = last + 1, last + 2, last + 3
    week_total, week_revenue = sum(cents.values()), plan.cost.revenue
    ws.cell(total, 1, "Totaal kosten").font = Font(bold=True)
    figure(ws.cell(total, 2), week_total / 100, ws.cell(total, 4), f"=SUM(B{first}:B{last})", EURO)
    figure(ws.cell(total, 3), week_total * weeks / 100, ws.cell(total, 5), f"=SUM(C{first}:C{last})", EURO)
    ws.cell(revenue, 1, "Opbrengst (tarief x dagdelen)")
    figure(ws.cell(revenue, 2), week_revenue / 100, None, None, EURO)
    figure(ws.cell(revenue, 3), week_revenue * weeks / 100, ws.cell(revenue, 5), f"=B{revenue}*{weeks}", EURO)
    ws.cell(margin, 1, "Marge").font = Font(bold=True)
    figure(ws.cell(margin, 2), (week_revenue - week_total) / 100, ws.cell(margin, 4), f"=B{revenue}-B{total}", EURO)
    figure(ws.cell(margin, 3), (week_revenue - week_total) * weeks / 100, ws.cell(margin, 5),
           f"=C{revenue}-C{total}", EURO)
    # the controller's view: contracts are paid whether rostered, on leave or not used
    unused, leave, paid = margin + 1, margin + 2, margin + 3
    for line, label, amount in ((unused, "Niet ingeroosterde contracturen", plan.cost.unused_contract),
                                (leave, "Verlof (doorbetaalde contracturen)", plan.cost.leave)):
        ws.cell(line, 1, label)
        figure(ws.cell(line, 2), amount / 100, None, None, EURO)
        figure(ws.cell(line, 3), amount * weeks / 100, ws.cell(line, 5), f"=B{line}*{weeks}", EURO)
    ws.cell(paid, 1, "Totaal betaald (kosten + contracturen + verlof)").font = Font(bold=True)
    figure(ws.cell(paid, 2), plan.cost.paid / 100, ws.cell(paid, 4), f"=B{total}+B{unused}+B{leave}", EURO)
    figure(ws.cell(paid, 3), plan.cost.paid * weeks / 100, ws.cell(paid, 5),
           f"=C{total}+C{unused}+C{leave}", EURO)
    bent = plan.soft_bent()
    row = paid + 2
    ws.cell(row, 1, "Gebogen wensen (zachte regels)").font = Font(bold=True, size=12)
    for i, (rule, who) in enumerate(bent or [("geen", "")], start=row + 1):
        ws.cell(i, 1, SOFT_NL.get(rule, rule))
        ws.cell(i, 2, cell_text(who))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 22
    ws.column_dimensions["D"].width = 20
    ws.column_dimensions["E"].width = 20
    _print_setup(ws)


def _children(wb: Workbook, plan: Plan) -> None:
    ws = wb.create_sheet("Jeugdigen")
    slots: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cid, gid, d in plan.result.roster.children:
        slots[cid].append((d, gid))
    order = plan.problem.ids.dagdeel
    rows = []
    notes = transport_notes(plan)
    for c in plan.data.children:
        mine = sorted(slots.get(c.id, []), key=lambda x: order[x[0]])
        groups = sorted({g for _, g in mine})
        transport = notes.get(c.id, c.transport)
        rows.append([c.id, c.name, c.product, c.municipality, c.dagdelen_per_week, len(mine),
                     ", ".join(d for d, _ in mine), ", ".join(groups), transport])
    table(ws, ["Jeugdige", "Naam", "Product", "Gemeente", "Indicatie (dagdelen)", "Geplaatst",
                "Dagdelen", "Groep(en)", "Vervoer"], rows, [10, 22, 11, 18, 12, 10, 60, 18, 40])


def _staff(wb: Workbook, plan: Plan) -> None:
    ws = wb.create_sheet("Medewerkers")
    worked: dict[str, list[str]] = defaultdict(list)
    for sid, gid, d in plan.result.roster.staff:
        worked[sid].append(f"{d} ({gid})")
    hours = plan.model.dagdeel_hours
    use = contract_use(plan.model, plan.data, plan.result.roster, plan.period)
    rows = []
    # everyone under contract, also who is on leave all week (plan.period.away): they are paid
    for s in tuple(plan.data.staff) + plan.period.away:
        n = len(worked.get(s.id, []))
        u = use[s.id]
        rate = s.dagdelen_per_week
        rows.append([s.id, s.name, s.education, rate, n, rate * hours, n * hours,
                     n / rate if rate else 0, u.leave * hours, u.unused * hours,
                     u.unused_cost / 100, u.leave_cost / 100, ", ".join(worked.get(s.id, []))])
    vac: dict[str, int] = defaultdict(int)
    for _, lv, _, _ in plan.result.roster.vacancies:
        vac[lv] += 1
    for lv, n in sorted(vac.items()):
        rows.append([f"vacature {lv}", "(te werven)", lv, "", n, "", n * hours,
                     f"{n / plan.model.dagdelen_per_fte:.2f} fte", "", "", "", "", ""])
    table(ws, ["Medewerker", "Naam", "Niveau", "Contract (dagdelen)", "Ingeroosterd", "Contracturen",
                "Uren ingeroosterd", "Benutting", "Verlof (uren)", "Niet ingeroosterde contracturen",
                "Kosten niet ingeroosterd per week", "Kosten verlof per week", "Dagdelen"], rows,
           [10, 20, 7, 9, 9, 9, 9, 8, 8, 11, 11, 11, 60])
    for row_cells in ws.iter_rows(min_row=2, min_col=8, max_col=12):
        for cell in row_cells:
            if cell.column == 8 and isinstance(cell.value, float):
                cell.number_format = "0%"
            elif cell.column in (11, 12):
                cell.number_format = EURO


def write_roster_xlsx(plan: Plan, path: Path) -> None:
    wb = Workbook()
    _overview(wb, plan)
    write_location_sheets(wb, plan)  # one A4 page per location (grid.py)
    _children(wb, plan)
    _staff(wb, plan)
    beyond = {(c, loc) for c, loc, _ in beyond_table(plan.model, plan.data, plan.result.roster)}
    table(wb.create_sheet("Vervoer"), ["Jeugdige", "Locatie", "Km (enkele reis)", "Band", "Vorm",
                                       "Categorie", "Dagen per week", "Kosten per week", "Opmerking",
                                       "Afstand uit"],
          [[r[0], r[1], float(r[2]), r[3], MODE_NL.get(r[4], r[4]), r[5], r[6], float(r[7]),
            ("buiten de vervoerstabel: " + ("eigen vervoer" if r[4] == "eigen" else "laatste band"))
            if (r[0], r[1]) in beyond else "", distance_source(plan, r[0], r[1])]
           for r in transport_rows(plan)], [10, 14, 14, 8, 16, 10, 14, 14, 40, 36])
    table(wb.create_sheet("Wachtlijst"), ["Jeugdige", "Product", "Gevraagd", "Geplaatst", "Reden"],
          [[w.child_id, w.product, w.requested, w.placed, w.reason] for w in plan.waitlist],
          [10, 11, 10, 10, 80])
    wb.save(path)
