"""forecast.xlsx, forecast.csv and tarieven.xlsx: Dutch labels, native charts, every figure stored as a value
with its Excel formula beside it (figures.py), so readers without Excel get the totals too."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import AreaChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.catalogue import RegionModel
from planner.costs import TariffRow, client_hourly, employer_hourly
from planner.forecast import MunicipalForecast, ProviderMonth
from planner.report.figures import figure, formula_heading, formula_label
from planner.report.safe import cell_text, sheet_title

HEAD = PatternFill("solid", fgColor="1F4E78")
MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
EUR = "#,##0.00"


def _label(year: int, month: int) -> str:
    return f"{MONTHS_NL[month - 1]} {year}"


def _header(ws: Worksheet, names: list[str], widths: list[int] | None = None) -> None:
    ws.append(names)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEAD
    for i, w in enumerate(widths or [16] * len(names), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "B2"


def _band_chart(ws: Worksheet, first_row: int, last_row: int, title: str) -> None:
    """P10-P90 as a shaded band (stacked area: an invisible P10 plus the band) with P50 and
    the deterministic projection as lines."""
    band = AreaChart()
    band.grouping = "stacked"
    band.title, band.y_axis.title, band.x_axis.title = title, "EUR per maand", "maand"
    band.add_data(Reference(ws, min_col=5, max_col=6, min_row=first_row - 1, max_row=last_row), titles_from_data=True)
    band.set_categories(Reference(ws, min_col=1, min_row=first_row, max_row=last_row))
    band.series[0].graphicalProperties.noFill = True
    band.series[0].graphicalProperties.line.noFill = True
    band.series[1].graphicalProperties.solidFill = "BDD7EE"
    band.series[1].graphicalProperties.line.noFill = True
    lines = LineChart()
    lines.add_data(Reference(ws, min_col=2, max_col=3, min_row=first_row - 1, max_row=last_row), titles_from_data=True)
    band += lines
    band.width, band.height = 24, 11
    ws.add_chart(band, f"J{first_row}")


def write_forecast(model: RegionModel, fc: MunicipalForecast | None, provider: list[ProviderMonth] | None,
                   xlsx: Path, csv_path: Path, notes: list[str]) -> None:
    wb = Workbook()
    info = wb.active
    info.title = "Toelichting"
    info["A1"] = f"Prognose {model.region} {model.year}"
    info["A1"].font = Font(bold=True, size=14)
    for line in notes:
        info.append([cell_text(line)])
    info.column_dimensions["A"].width = 120
    if fc is not None:
        _region_sheet(wb, fc)
        _detail_sheet(wb, fc)
        _write_csv(fc, csv_path)
    if provider:
        _provider_sheet(wb, provider)
    wb.save(xlsx)


def _region_sheet(wb: Workbook, fc: MunicipalForecast) -> None:
    ws = wb.create_sheet("Regio per maand")
    _header(ws, ["Maand", "Verwacht (EUR)", "P50", "P10", "P10 (band)", "P90 - P10 (band)", "P90",
                 "Bestaande toewijzingen"], [12, 16, 14, 14, 12, 16, 14, 22])
    existing = fc.existing.sum(axis=(1, 2))
    for t, (y, m) in enumerate(fc.months):
        r = ws.max_row + 1
        p10, p50, p90 = (float(fc.total_q[i, t]) for i in range(3))
        # the band's two series are values too: a chart shows what the file stores
        ws.append([_label(y, m), round(float(fc.expected_total[t]), 2), round(p50, 2), round(p10, 2),
                   round(p10, 2), round(p90 - p10, 2), round(p90, 2), round(float(existing[t]), 2)])
        for col in (2, 3, 4, 5, 6, 7, 8):
            ws.cell(r, col).number_format = EUR
    last = ws.max_row
    _total_rows(ws, last, {2: sum(round(float(v), 2) for v in fc.expected_total),
                           8: sum(round(float(v), 2) for v in existing)})
    _band_chart(ws, 2, last, "Uitgaven jeugdhulp per maand (P10-P90, P50, verwacht)")
    for i, mun in enumerate(fc.municipalities):
        ws2 = wb.create_sheet(sheet_title(f"Gemeente {mun}", wb.sheetnames)) if i < 25 else None
        if ws2 is None:
            continue
        n = len(fc.products)
        _header(ws2, ["Maand"] + list(fc.products) + ["Totaal", formula_label("Totaal")],
                [12] + [11] * n + [14, 16])
        sums = [0.0] * (n + 1)
        for t, (y, m) in enumerate(fc.months):
            r = ws2.max_row + 1
            values = [round(float(fc.expected[t, i, p]), 2) for p in range(n)]
            ws2.append([_label(y, m)] + values)
            figure(ws2.cell(r, n + 2), sum(values), ws2.cell(r, n + 3), f"=SUM(B{r}:{get_column_letter(n + 1)}{r})")
            sums = [a + b for a, b in zip(sums, [*values, sum(values)], strict=True)]
        _total_rows(ws2, ws2.max_row, dict(enumerate(sums, start=2)))


def _detail_sheet(wb: Workbook, fc: MunicipalForecast) -> None:
    ws = wb.create_sheet("Gemeente x product")
    _header(ws, ["Maand", "Gemeente", "Product", "Bestaand", "Verwacht", "P10", "P50", "P90"],
            [12, 18, 12, 14, 14, 14, 14, 14])
    for t, (y, m) in enumerate(fc.months):
        for i, mun in enumerate(fc.municipalities):
            for p, code in enumerate(fc.products):
                if fc.expected[t, i, p] == 0 and fc.p90[t, i, p] == 0:
                    continue
                ws.append([_label(y, m), cell_text(mun), code, round(float(fc.existing[t, i, p]), 2),
                           round(float(fc.expected[t, i, p]), 2), round(float(fc.p10[t, i, p]), 2),
                           round(float(fc.p50[t, i, p]), 2), round(float(fc.p90[t, i, p]), 2)])
    ws.auto_filter.ref = f"A1:H{ws.max_row}"


def _write_csv(fc: MunicipalForecast, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["month", "municipality", "product", "existing", "expected", "p10", "p50", "p90"])
        for t, (y, m) in enumerate(fc.months):
            for i, mun in enumerate(fc.municipalities):
                for p, code in enumerate(fc.products):
                    if fc.expected[t, i, p] == 0 and fc.p90[t, i, p] == 0:
                        continue
                    w.writerow([f"{y}-{m:02d}", cell_text(mun), code] + [
                        f"{float(a[t, i, p]):.2f}" for a in (fc.existing, fc.expected, fc.p10, fc.p50, fc.p90)])


def _total_rows(ws: Worksheet, last: int, totals: dict[int, float]) -> None:
    """Below data rows 2..`last`: a "Totaal" row of stored values per column, then the same totals
    as Excel formulas in a row headed "Totaal (formule)"."""
    ws.cell(last + 1, 1, "Totaal").font = Font(bold=True)
    formula_heading(ws.cell(last + 2, 1), "Totaal")
    for col, total in totals.items():
        letter = get_column_letter(col)
        figure(ws.cell(last + 1, col), total, ws.cell(last + 2, col), f"=SUM({letter}2:{letter}{last})")


def _provider_sheet(wb: Workbook, provider: list[ProviderMonth]) -> None:
    ws = wb.create_sheet("Aanbieder per maand")
    _header(ws, ["Maand", "Kosten", "Opbrengst (declaraties)", "Marge", formula_label("Marge")], [12, 16, 22, 16, 16])
    for pm in provider:
        r = ws.max_row + 1
        ws.append([_label(pm.year, pm.month), round(pm.cost, 2), round(pm.revenue, 2)])
        for col in (2, 3):
            ws.cell(r, col).number_format = EUR
        figure(ws.cell(r, 4), round(pm.revenue, 2) - round(pm.cost, 2), ws.cell(r, 5), f"=C{r}-B{r}")
    last = ws.max_row
    costs, revenue = sum(round(pm.cost, 2) for pm in provider), sum(round(pm.revenue, 2) for pm in provider)
    _total_rows(ws, last, {2: costs, 3: revenue, 4: revenue - costs})
    chart = LineChart()
    chart.title, chart.y_axis.title = "Kosten en opbrengst per maand", "EUR"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 22, 10
    ws.add_chart(chart, "F2")


def write_tariffs(model: RegionModel, rows: list[TariffRow], path: Path) -> None:
    from planner.catalogue import LEVELS

    wb = Workbook()
    ws = wb.active
    ws.title = "Tarieven"
    _header(ws, ["Product", "Naam", "Groepsgrootte (bezet)", "Personeel per groep", "Mix", "Personeel per dagdeel",
                 "Specialisten per dagdeel", "Kostprijs per dagdeel", "Gecontracteerd tarief", "Verschil",
                 "Verschil %", formula_label("Kostprijs"), formula_label("Verschil"), formula_label("Verschil %")],
            [12, 44, 12, 12, 30, 14, 14, 14, 14, 12, 10, 16, 16, 16])
    for row in rows:
        r = ws.max_row + 1
        mix = ", ".join(f"{lv} {n:.2f}" for lv, n in row.staff_mix.items())
        staff, specialists = round(row.staff_cost, 2), round(row.specialist_cost, 2)
        ws.append([row.product, row.name, round(row.group_size, 2), round(row.staff_per_group, 2), mix,
                   staff, specialists, None, row.contracted])
        for col in (6, 7, 9):
            ws.cell(r, col).number_format = EUR
        price = round(staff + specialists, 2)
        difference = round(row.contracted - price, 2)
        figure(ws.cell(r, 8), price, ws.cell(r, 12), f"=F{r}+G{r}")
        figure(ws.cell(r, 10), difference, ws.cell(r, 13), f"=I{r}-H{r}")
        figure(ws.cell(r, 11), difference / price if price else None, ws.cell(r, 14), f"=J{r}/H{r}", "0.0%",
               digits=4)
    chart = LineChart()
    chart.title = "Kostprijs en tarief per dagdeel"
    chart.add_data(Reference(ws, min_col=8, max_col=9, min_row=1, max_row=ws.max_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=ws.max_row))
    ws.add_chart(chart, "B" + str(ws.max_row + 3))
    hours = wb.create_sheet("Uurkosten")
    _header(hours, ["Niveau", "Schaal", "Werkgeverslast per betaald uur", "Kosten per cliënturen"], [10, 8, 28, 24])
    cm = model.cost_model
    for lv in LEVELS:
        hours.append([lv, cm.scales.get(lv) if cm else None, round(employer_hourly(model, lv), 2),
                      round(client_hourly(model, lv), 2)])
    hours.append([])
    if cm is not None:
        for label, value in (("Bron", cm.source), ("Productiviteit", cm.productivity), ("Overhead", cm.overhead),
                             ("Risico en leegstand", cm.risk_margin), ("Bezettingsgraad", cm.occupancy)):
            hours.append([label, cell_text(str(value))])
    wb.save(path)
