"""compare.xlsx and compare.csv: scenarios side by side, differences to the base as Excel formulas, charts."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.compare import METRICS, Outcome, differences
from planner.report.safe import cell_text

HEAD = PatternFill("solid", fgColor="1F4E78")
FAIL = PatternFill("solid", fgColor="F8E0E6")
FORMAT = {"EUR": "#,##0", "fte": "0.00", "%": "0.0%", "km": "#,##0", "aantal": "0", "dagdelen": "0"}
COST_KEYS = ["cost_staff", "cost_vacancies", "cost_specialists", "cost_transport", "cost_groups"]


def write_compare(outcomes: list[Outcome], title: str, xlsx: Path, csv_path: Path) -> None:
    rows = differences(outcomes)
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        header = ["scenario", "metric", "unit", "value", "base", "difference", "difference_pct"]
        writer.writerow(header)
        for r in rows:
            writer.writerow([cell_text(r[k]) if r[k] is not None else "" for k in header])
        for o in outcomes:
            if o.error:
                writer.writerow([cell_text(o.name), "error", "", cell_text(o.error), "", "", ""])
    _workbook(outcomes, title).save(xlsx)


def _head(ws, row: int, values: list) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=cell_text(value))
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEAD


def _workbook(outcomes: list[Outcome], title: str) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Vergelijking"
    n = len(outcomes)
    ws["A1"] = f"Scenariovergelijking: {title}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Eerste kolom is de basis. Bedragen in euro per jaar; verschillen als Excel-formules."
    keys = [k for k in METRICS if any(k in o.figures for o in outcomes)]
    keys = [k for k in keys if not k.startswith("transport_band_") or any(o.figures.get(k) for o in outcomes)]
    unit_col = n + 2
    _head(ws, 4, ["Kenmerk", *[o.name for o in outcomes], "Eenheid"])
    first = 5
    row_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        r = first + i
        row_of[key] = r
        label, unit = METRICS[key]
        ws.cell(row=r, column=1, value=label)
        for j, o in enumerate(outcomes, start=2):
            if key in o.figures:
                cell = ws.cell(row=r, column=j, value=o.figures[key])
                cell.number_format = FORMAT.get(unit, "General")
            elif o.error:
                ws.cell(row=r, column=j).fill = FAIL
        ws.cell(row=r, column=unit_col, value=unit)
    # differences to the base, absolute and in percent: formulas, so an analyst can follow them
    for block_title, pct in (("Verschil met de basis", False), ("Verschil met de basis in %", True)):
        block = ws.max_row + 3
        ws.cell(row=block - 1, column=1, value=block_title).font = Font(bold=True)
        _head(ws, block, ["Kenmerk", *[o.name for o in outcomes]])
        for i, key in enumerate(keys):
            r, src = block + 1 + i, first + i
            ws.cell(row=r, column=1, value=METRICS[key][0])
            for j in range(2, n + 2):
                col = get_column_letter(j)
                if pct:
                    formula = (f'=IF(OR({col}{src}="",$B{src}="",$B{src}=0),"",'
                               f'({col}{src}-$B{src})/ABS($B{src}))')
                else:
                    formula = f'=IF(OR({col}{src}="",$B{src}=""),"",{col}{src}-$B{src})'
                cell = ws.cell(row=r, column=j, value=formula)
                cell.number_format = "0.0%" if pct else FORMAT.get(METRICS[key][1], "General")
    ws.column_dimensions["A"].width = 38
    for j in range(2, n + 3):
        ws.column_dimensions[get_column_letter(j)].width = 18
    ws.freeze_panes = "B5"

    info = wb.create_sheet("Scenario's")
    _head(info, 1, ["Scenario", "Wijzigingen t.o.v. basis", "Status", "Fout"])
    for o in outcomes:
        info.append([cell_text(o.name), cell_text(o.description), o.status, cell_text(o.error)])
        if o.error:
            for cell in info[info.max_row]:
                cell.fill = FAIL
    for col, width in zip("ABCD", (40, 50, 12, 70), strict=True):
        info.column_dimensions[col].width = width

    tariffs = wb.create_sheet("Tarieven")
    _head(tariffs, 1, ["Product", "Scenario", "Gecontracteerd tarief", "Kostprijs per dagdeel", "Verschil"])
    for o in outcomes:
        for product, (contracted, cost) in sorted(o.tariffs.items()):
            tariffs.append([product, cell_text(o.name), contracted, cost, None])
            r = tariffs.max_row
            tariffs.cell(row=r, column=5, value=f"=C{r}-D{r}")
            for c in (3, 4, 5):
                tariffs.cell(row=r, column=c).number_format = "#,##0.00"
    for col, width in zip("ABCDE", (14, 40, 20, 20, 14), strict=True):
        tariffs.column_dimensions[col].width = width
    tariffs.freeze_panes = "A2"

    charts = wb.create_sheet("Grafieken")

    def bar(keys_: list[str], title_: str, unit: str, anchor: str, stacked: bool = False) -> None:
        """A native bar chart of some rows of the comparison, one bar group per scenario."""
        chart = BarChart()
        chart.type, chart.title, chart.y_axis.title = "col", title_, unit
        if stacked:
            chart.grouping, chart.overlap = "stacked", 100
        for key in keys_:
            chart.add_data(Reference(ws, min_col=1, max_col=n + 1, min_row=row_of[key]), from_rows=True,
                           titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, max_col=n + 1, min_row=4))
        chart.width, chart.height = 22, 11
        if chart.series:
            charts.add_chart(chart, anchor)

    bar([k for k in COST_KEYS if k in row_of], "Kosten per jaar per scenario", "EUR", "A1", stacked=True)
    bar([k for k in keys if k.startswith(("fte_", "vacancy_fte_")) and not k.endswith("total")
         and any(o.figures.get(k) for o in outcomes)],
        "Personeel per niveau (fte), inclusief vacatures apart", "fte", "A24")
    bar([k for k in ("cost_total", "revenue", "margin") if k in row_of], "Kosten, opbrengst en marge per jaar",
        "EUR", "P1")
    bar([k for k in ("municipal_12m",) if k in row_of], "Gemeenten: uitgaven komende 12 maanden", "EUR", "P24")
    return wb
