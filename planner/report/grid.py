"""The location sheets of roster.xlsx: one readable A4 landscape page per location, for the wall.

Rows are groups, columns the dagdelen of the week (with their dates when a week is planned).
A cell holds the children by name (the id when there is no name) and the staff with their level;
dagdelen the group is closed are marked "dicht". Fonts are 9 pt and the widths are chosen so the
week fits the page at (nearly) full size; fitToWidth/fitToHeight keep it on one page, the header
row and group column repeat, and the footer gives week, location and print date (&D).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from planner.inputs.dagdelen import split_id
from planner.report.safe import cell_text, sheet_title

if TYPE_CHECKING:
    from planner.app.plan import Plan

PALETTE = ["DDEBF7", "E2EFDA", "FFF2CC", "FCE4D6", "EDE1F5", "D9F2F2", "F8E0E6", "E7E6E6", "DEEAF1", "F2F2D0"]
HEAD = PatternFill("solid", fgColor="1F4E78")
CLOSED = PatternFill("solid", fgColor="BFBFBF")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT_PT = 9
LINE_PT = 12  # row height per line of 9 pt text
CHARS = 13  # characters of 9 pt text per line in a dagdeel column of width COLUMN
COLUMN, FIRST = 10.5, 10  # LibreOffice prints 10 dagdelen of width 11 at 93 %
# A4 landscape, 1 cm margins: about 770 x 500 pt to print on; a row above this is clipped
PAGE_HEIGHT_PT = 500


def write_location_sheets(wb: Workbook, plan: Plan) -> None:
    pr, r = plan.problem, plan.result.roster
    names = {c.id: c.name for c in plan.data.children} | {s.id: s.name for s in plan.data.staff}
    levels = {s.id: s.education for s in plan.data.staff}
    colour = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(plan.model.products)}
    kids: dict[tuple[str, str], list[str]] = defaultdict(list)
    staff: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid, gid, d in sorted(r.children, key=lambda x: names.get(x[0]) or x[0]):
        kids[(gid, d)].append(names.get(cid) or cid)
    for sid, gid, d in r.staff:
        staff[(gid, d)].append(f"{names.get(sid) or sid} ({levels[sid]})")
    for _, level, gid, d in r.vacancies:
        staff[(gid, d)].append(f"vacature {level}")
    dates = plan.period.dates
    week_title = plan.period.title() or "sjabloonweek"
    for loc in plan.data.locations:
        where = f"Locatie {loc.name or loc.id}"
        ws = wb.create_sheet(sheet_title(where, wb.sheetnames))
        header = ["Groep"] + [d + (f"\n{dates[split_id(d)[0]]:%d-%m}" if dates else "") for d in pr.week]
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF", size=FONT_PT)
            cell.fill = HEAD
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.row_dimensions[1].height = LINE_PT * (2 if dates else 1) + 4
        for g in (g for g in plan.data.groups if g.location_id == loc.id):
            shut = g.optional and g.id not in r.opened
            label = f"{g.id}\n{', '.join(g.products)}\nmax {g.capacity}" + ("\nextra groep: dicht" if shut else "")
            ws.append([cell_text(label)] + [""] * len(pr.week))
            row = ws.max_row
            first = ws.cell(row, 1)
            first.font = Font(bold=True, size=FONT_PT)
            first.alignment = Alignment(wrap_text=True, vertical="top")
            first.fill = PatternFill("solid", fgColor=colour.get(g.products[0], "FFFFFF"))
            first.border = BOX
            tallest = label.count("\n") + 1
            for j, d in enumerate(pr.week, start=2):
                cell = ws.cell(row, j)
                cell.border = BOX
                cell.font = Font(size=FONT_PT)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if shut or (g.open and d not in g.open):
                    cell.value, cell.fill = "dicht", CLOSED
                    continue
                here, team = kids.get((g.id, d), []), staff.get((g.id, d), [])
                if not here and not team:
                    continue
                lines = here + ["— begeleiding:"] + team
                cell.value = cell_text("\n".join(lines))
                cell.fill = PatternFill("solid", fgColor=colour.get(g.products[0], "FFFFFF"))
                tallest = max(tallest, sum(math.ceil(max(1, len(x)) / CHARS) for x in lines))
            ws.row_dimensions[row].height = min(LINE_PT * tallest + 4, PAGE_HEIGHT_PT)
        ws.column_dimensions["A"].width = FIRST
        for j in range(2, len(pr.week) + 2):
            ws.column_dimensions[get_column_letter(j)].width = COLUMN
        ws.freeze_panes = "B2"
        _print_page(ws, week_title, where)


def _print_page(ws, week_title: str, where: str) -> None:
    """A4 landscape, the whole week on one page, header row and group column on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.2
    ws.print_title_rows = "1:1"
    ws.print_title_cols = "A:A"
    ws.print_options.horizontalCentered = True
    for part, text in ((ws.oddFooter.left, week_title), (ws.oddFooter.center, where),
                       (ws.oddFooter.right, "afgedrukt &D")):
        part.text = text.replace("&", "&&") if "&D" not in text else text
        part.size = FONT_PT
