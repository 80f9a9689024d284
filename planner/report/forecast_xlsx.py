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

from planner.app.forecast.model import MunicipalForecast, ProviderMonth
from planner.app.tariffs import TariffRow, client_hourly, product_tariff, tariff_date
from planner.inputs.catalogue import LEVELS, RegionModel
from planner.inputs.cost_model import paid_hourly_of
from planner.report.figures import figure, formula_heading, formula_label
from planner.report.safe import cell_text, sheet_title

HEAD = PatternFill("solid", fgColor="1F4E78")
MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
EUR = "#,##0.00"


def month_label(year: int, month: int) -> str:
    """(2025, 3) -> 'mrt 2025'."""
    return f"{MONTHS_NL[month - 1]} {year}"


def header_row(ws: Worksheet, names: list[str], widths: list[int] | None = None) -> None:
    """Append a bold header row of `names` in the house colour; `widths` in characters."""
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
        info.append([])
        info.append([cell_text("Jaar per gemeente: " + ANNUAL_NOTE)])
        _region_sheet(wb, fc)
        _annual_sheet(wb, fc)
        _detail_sheet(wb, fc)
        _write_csv(fc, csv_path)
    if provider:
        _provider_sheet(wb, provider)
    wb.save(xlsx)


def _region_sheet(wb: Workbook, fc: MunicipalForecast) -> None:
    ws = wb.create_sheet("Regio per maand")
    header_row(ws, ["Maand", "Verwacht (EUR)", "P50", "P10", "P10 (band)", "P90 - P10 (band)", "P90",
                 "Bestaande toewijzingen"], [12, 16, 14, 14, 12, 16, 14, 22])
    existing = fc.existing.sum(axis=(1, 2))
    for t, (y, m) in enumerate(fc.months):
        r = ws.max_row + 1
        p10, p50, p90 = (float(fc.total_q[i, t]) for i in range(3))
        # the band's two series are values too: a chart shows what the file stores
        ws.append([month_label(y, m), round(float(fc.expected_total[t]), 2), round(p50, 2), round(p10, 2),
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
        header_row(ws2, ["Maand"] + list(fc.products) + ["Totaal", formula_label("Totaal")],
                [12] + [11] * n + [14, 16])
        sums = [0.0] * (n + 1)
        for t, (y, m) in enumerate(fc.months):
            r = ws2.max_row + 1
            values = [round(float(fc.expected[t, i, p]), 2) for p in range(n)]
            ws2.append([month_label(y, m)] + values)
            figure(ws2.cell(r, n + 2), sum(values), ws2.cell(r, n + 3), f"=SUM(B{r}:{get_column_letter(n + 1)}{r})")
            sums = [a + b for a, b in zip(sums, [*values, sum(values)], strict=True)]
        _total_rows(ws2, ws2.max_row, dict(enumerate(sums, start=2)))


ANNUAL_NOTE = ("P10, P50 en P90 komen uit de simulatie van hele jaren: in 10 % van de gesimuleerde jaren "
               "zijn de uitgaven van de gemeente lager dan P10, in de helft lager dan P50 en in 90 % lager dan "
               "P90 (dus 1 op 10 kans op meer dan P90).")


def _annual_sheet(wb: Workbook, fc: MunicipalForecast) -> None:
    """Per municipality and calendar year: expected spend and P10/P50/P90 of the runs' annual sums."""
    ws = wb.create_sheet("Jaar per gemeente")
    header_row(ws, ["Gemeente", "Jaar", "Maanden in prognose", "Verwacht (EUR)", "P10", "P50", "P90"],
            [24, 8, 12, 16, 14, 14, 14])
    expected = fc.annual_expected()
    counts = {y: sum(1 for yy, _ in fc.months if yy == y) for y in fc.years}
    for i, mun in enumerate(fc.municipalities):
        for y, year in enumerate(fc.years):
            ws.append([cell_text(mun), year, counts[year], round(float(expected[y, i]), 2)]
                      + [round(float(fc.annual_q[q, y, i]), 2) for q in range(3)])
            for col in (4, 5, 6, 7):
                ws.cell(ws.max_row, col).number_format = EUR
    ws.auto_filter.ref = f"A1:G{max(2, ws.max_row)}"  # the table alone: pandas.read_excel reads it clean


def _detail_sheet(wb: Workbook, fc: MunicipalForecast) -> None:
    ws = wb.create_sheet("Gemeente x product")
    header_row(ws, ["Maand", "Gemeente", "Product", "Bestaand", "Verwacht", "P10", "P50", "P90"],
            [12, 18, 12, 14, 14, 14, 14, 14])
    for t, (y, m) in enumerate(fc.months):
        for i, mun in enumerate(fc.municipalities):
            for p, code in enumerate(fc.products):
                if fc.expected[t, i, p] == 0 and fc.p90[t, i, p] == 0:
                    continue
                ws.append([month_label(y, m), cell_text(mun), code, round(float(fc.existing[t, i, p]), 2),
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
    header_row(ws, ["Maand", "Kosten", "Opbrengst (declaraties)", "Marge", formula_label("Marge")],
               [12, 16, 22, 16, 16])
    for pm in provider:
        r = ws.max_row + 1
        ws.append([month_label(pm.year, pm.month), round(pm.cost, 2), round(pm.revenue, 2)])
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


TARIFF_HEAD = ["Product", "iJw-code", "Naam", "Bezettingsgraad", "Kinderen aanwezig (gem.)", "Personeel per groep",
               "Mix", "(a) cliëntgebonden tijd", "(a) niet-cliëntgebonden tijd", "(a) behandelaars",
               "(a) overige specialisten en achtervang", "(b) overige cliëntgebonden kosten", "(c) overhead en risico",
               "(d) indexatie",
               "Kostprijs per dagdeel", "Gecontracteerd tarief", "Verschil", "Verschil %",
               "Gepubliceerd tarief (prijspeil tariefdatum)", "Gepubliceerd: bron", "Kostprijs t.o.v. gepubliceerd",
               "Bron (a)", "Bron behandelaars", "Bron overige uren", "Bron (b)", "Bron (c)", "Bron (d)"]
OCCUPANCIES = (0.5, 0.7, 0.85, 1.0)


def write_tariffs(model: RegionModel, rows: list[TariffRow], path: Path) -> None:
    """tarieven.xlsx: per product the cost-based tariff with the four elements of Besluit Jeugdwet
    art. 2.3 as columns (each with its source), the contracted and published tariffs; the price at
    several occupancies; the hourly costs (paid hour, client hour)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tarieven"
    head = TARIFF_HEAD + [formula_label(h) for h in ("Kostprijs per dagdeel", "Verschil", "Verschil %",
                                                      "Kostprijs t.o.v. gepubliceerd")]
    header_row(ws, head, [12, 9, 40, 10, 10, 10, 24] + [13] * 14 + [40, 40, 40, 30, 30, 40] + [16] * 4)
    cols = {h: get_column_letter(i) for i, h in enumerate(TARIFF_HEAD, start=1)}
    first, last = cols["(a) cliëntgebonden tijd"], cols["(d) indexatie"]
    price_c, contracted_c, diff_c = cols["Kostprijs per dagdeel"], cols["Gecontracteerd tarief"], cols["Verschil"]
    pub_c = cols["Gepubliceerd tarief (prijspeil tariefdatum)"]
    n_head = len(TARIFF_HEAD)
    for row in rows:
        r = ws.max_row + 1
        mix = ", ".join(f"{lv} {n:.2f}" for lv, n in row.staff_mix.items())
        pub = row.published[0] if row.published else None
        # elements to 6 decimals (shown in cents) so the stored total is round(cost_based, 2) and
        # the SUM formula beside it agrees with it and with docs/tarieven.md
        ws.append([row.product, row.ijw_code, cell_text(row.name), row.occupancy, round(row.group_size, 2),
                   round(row.staff_per_group, 2), mix] + [round(v, 6) for v in (
                       row.client_time, row.non_client_time, row.treatment, row.support, row.other_costs,
                       row.overhead, row.indexation)] + [
                   None, row.contracted, None, None,
                   round(pub.indexed, 2) if pub else None,
                   cell_text(f"{pub.kind} {pub.year} {pub.code} EUR {pub.amount:.2f}: {pub.source}") if pub else None,
                   None]
                  + [cell_text(row.sources.get(k, "")) for k in ("a", "behandeling", "overig", "b", "c", "d")])
        price = round(row.cost_based, 2)
        difference = round(row.contracted - price, 2)
        figure(ws[f"{price_c}{r}"], price, ws.cell(r, n_head + 1), f"=SUM({first}{r}:{last}{r})")
        figure(ws[f"{diff_c}{r}"], difference, ws.cell(r, n_head + 2), f"={contracted_c}{r}-{price_c}{r}")
        figure(ws[f"{cols['Verschil %']}{r}"], difference / price if price else None, ws.cell(r, n_head + 3),
               f"={diff_c}{r}/{price_c}{r}", "0.0%", digits=4)
        if pub:
            figure(ws[f"{cols['Kostprijs t.o.v. gepubliceerd']}{r}"],
                   price / round(pub.indexed, 2) - 1 if pub.indexed else None, ws.cell(r, n_head + 4),
                   f"={price_c}{r}/{pub_c}{r}-1", "0.0%", digits=4)
        ws.cell(r, 4).number_format = "0%"
        for c in range(ws[f"{first}{r}"].column, ws[f"{diff_c}{r}"].column + 1):
            ws.cell(r, c).number_format = EUR
        ws[f"{pub_c}{r}"].number_format = EUR
    price_col = ws[f"{price_c}1"].column
    chart = LineChart()
    chart.title = "Kostprijs en tarief per dagdeel"
    chart.add_data(Reference(ws, min_col=price_col, max_col=price_col + 1, min_row=1, max_row=ws.max_row),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=ws.max_row))
    ws.add_chart(chart, "C" + str(ws.max_row + 3))
    occ = wb.create_sheet("Bezettingsgraad")
    header_row(occ, ["Product"] + [f"Kostprijs bij {o:.0%}" for o in OCCUPANCIES], [14] + [18] * len(OCCUPANCIES))
    for row in rows:
        occ.append([row.product] + [round(product_tariff(model, row.product, o).cost_based, 2) for o in OCCUPANCIES])
        for col in range(2, 2 + len(OCCUPANCIES)):
            occ.cell(occ.max_row, col).number_format = EUR
    occ.append([])
    occ.append([cell_text("Een groep wordt bemenst voor zijn omvang: lege plaatsen kosten geld, dus een lagere "
                          "bezettingsgraad geeft een hogere kostprijs per dagdeel.")])
    hours = wb.create_sheet("Uurkosten")
    header_row(hours, ["Niveau", "Schaal", "Betaald uur (werkgeverslast)", "Cliëntuur (betaald uur / productiviteit)",
                    "Roosteruur [cost].hourly"], [10, 8, 28, 34, 24])
    cm = model.cost_model
    for lv in LEVELS:
        hours.append([lv, cm.scales.get(lv) if cm else None,
                      round(paid_hourly_of(cm, lv), 2) if cm else None,
                      round(client_hourly(model, lv), 2) if cm else None, model.cost.hourly[lv]])
    hours.append([])
    if cm is not None:
        for label, value in (("Bron", cm.source), ("CAO", cm.cao), ("Prijspeil kostprijs", cm.reference_date),
                             ("Tariefdatum", tariff_date(model)), ("Productiviteit", cm.productivity),
                             ("Overhead", cm.overhead), ("Risico", cm.risk_margin),
                             ("Bezettingsgraad", cm.occupancy), ("Roosteruur", model.cost.source)):
            hours.append([label, cell_text(str(value))])
    wb.save(path)
