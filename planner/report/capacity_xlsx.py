"""capaciteit.xlsx and capacity.csv: Dutch labels, values (no formula-only figures), native charts."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import SupportsFloat

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import AreaChart, LineChart, Reference, ScatterChart, Series
from openpyxl.worksheet.worksheet import Worksheet

from planner.app.capacity.model import CapacityPlan, CurvePoint
from planner.core.nl import euro
from planner.inputs.catalogue import LEVELS, RegionModel
from planner.report.forecast_xlsx import EUR, header_row, month_label
from planner.report.safe import cell_text

CHART_CM = (24, 11)  # width and height of the monthly charts (docs/capacity_chart.py crops the picture to it)


def waiting_children(plan: CapacityPlan) -> np.ndarray:
    """(month, product) children waiting: waiting dagdelen / dagdelen per week of a new case."""
    return plan.waiting / np.maximum(plan.demand.volume, 1e-9)[None, :]


def waiting_months(plan: CapacityPlan) -> np.ndarray:
    """(month,) expected waiting time in months (Little: waiting children / new cases a month)."""
    inflow = float(plan.demand.inflow.sum())
    total = waiting_children(plan).sum(axis=1)
    return total / inflow if inflow > 0 else np.where(total > 0, np.nan, 0.0)


def tidy_rows(plan: CapacityPlan) -> list[tuple[str, str, str, float]]:
    """(month, product, metric, value): per product demand, placed, waiting; per group type (product
    column: its products joined by '+') groups, places, occupancy;
    per level ('totaal' rows) FTE employed, hired, recruitment started, contracts ended, agency; costs."""
    d, s = plan.demand, plan.settings
    rows: list[tuple[str, str, str, float]] = []
    kids = waiting_children(plan)
    wait_time = waiting_months(plan)
    for t, (y, m) in enumerate(d.months):
        month = f"{y}-{m:02d}"
        for p, code in enumerate(d.products):
            if not d.p90[:, p].any():
                continue
            for metric, value in (("vraag_p50", d.p50[t, p]), ("vraag_p90", d.p90[t, p]),
                                  ("vraag_verwacht", d.expected[t, p]), ("geplaatst", plan.served[t, p].sum()),
                                  ("wachtend_dagdelen", plan.waiting[t, p]), ("wachtend_jeugdigen", kids[t, p])):
                rows.append((month, code, metric, _tidy(value, 4)))
        for k, gt in enumerate(plan.types):
            places = plan.places[t, k]
            occupancy = plan.served[t, :, k].sum() / places if places else 0.0
            for metric, value in (("groepen_open", plan.groups[t, k]), ("groepen_geopend", plan.opened[t, k]),
                                  ("groepen_gesloten", plan.closed[t, k]), ("plaatsen", places),
                                  ("bezetting", occupancy)):
                rows.append((month, gt.name, metric, _tidy(value, 4)))
        for li, lv in enumerate(LEVELS):
            later = t + s.lead_months
            recruit = plan.hired[later, li] if later < len(d.months) else 0.0
            for metric, value in (("fte", plan.fte[t, li]), ("aangenomen_fte", plan.hired[t, li]),
                                  ("werving_gestart_fte", recruit), ("uitstroom_fte", plan.released[t, li]),
                                  ("inhuur_fte", plan.agency[t, li])):
                rows.append((month, "totaal", f"{metric}_{lv}", _tidy(value, 4)))
        for term, values in plan.cost.items():
            rows.append((month, "totaal", f"kosten_{term}", _tidy(values[t], 2)))
        rows.append((month, "totaal", "wachttijd_maanden", _tidy(wait_time[t], 4)))
    return rows


def _tidy(value: SupportsFloat, digits: int) -> float:
    """Rounded, with the solver's -0.0 (and -1e-9 that rounds to it) written as 0.0."""
    return round(float(value), digits) + 0.0


def _line(ws: Worksheet, title: str, y_title: str, cols: tuple[int, int], rows: int, anchor: str,
          area: bool = False) -> None:
    chart = AreaChart() if area else LineChart()
    if area:
        chart.grouping = "stacked"
    chart.title, chart.y_axis.title, chart.x_axis.title = title, y_title, "maand"
    chart.add_data(Reference(ws, min_col=cols[0], max_col=cols[1], min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    for series in chart.series:
        series.smooth = False  # monthly figures: straight lines between months, no curve overshooting them
    chart.width, chart.height = CHART_CM
    ws.add_chart(chart, anchor)


def contracted_rows(plan: CapacityPlan, contracted: dict[str, float]) -> list[tuple[str, str, float, float, float]]:
    """(month, product, demand P50, demand P90, contracted places) in child-dagdelen per week, for the
    products with contracted places or demand; empty without `contracted` (a provider)."""
    d = plan.demand
    out: list[tuple[str, str, float, float, float]] = []
    if not contracted:
        return out
    for t, (y, m) in enumerate(d.months):
        for p, code in enumerate(d.products):
            if code in contracted or d.p90[:, p].any():
                out.append((f"{y}-{m:02d}", code, _tidy(d.p50[t, p], 1), _tidy(d.p90[t, p], 1),
                            _tidy(contracted.get(code, 0.0), 1)))
    return out


def write_capacity(model: RegionModel, plan: CapacityPlan, curve: list[CurvePoint], xlsx: Path, csv_path: Path,
                   notes: list[str], contracted: dict[str, float] | None = None) -> None:
    """Both files; sheets Toelichting, Vraag en capaciteit, Personeel, Wachtlijst, Per product, Groepen,
    Kosten, Afweging, and for a region (`contracted`: product -> contracted places, child-dagdelen per
    week) Regio: needed places at P50/P90 against contracted per product and month (csv metric
    `gecontracteerd_plaatsen`)."""
    d = plan.demand
    labels = [month_label(y, m) for y, m in d.months]
    t_n = len(labels)
    wb = Workbook()
    info = wb.active
    info.title = "Toelichting"
    info.column_dimensions["A"].width = 120
    info.append([f"Capaciteitsplan {model.region} {model.year}: status {plan.status}"])
    info.append([f"Kosten over de horizon (zonder wachtprijs): {euro(plan.total_cost(False), 2)}; "
                 f"doelwaarde {euro(plan.objective, 2)}, ondergrens {euro(plan.bound, 2)}"])
    for line in notes:
        info.append([cell_text(line)])

    ws = wb.create_sheet("Vraag en capaciteit")
    header_row(ws, ["maand", "vraag P50", "vraag P90", "plaatsen", "vraag verwacht", "wachtend (dagdelen)"])
    for t in range(t_n):
        ws.append([labels[t], round(float(d.p50[t].sum()), 1), round(float(d.p90[t].sum()), 1),
                   int(plan.places[t].sum()), round(float(d.expected[t].sum()), 1),
                   round(float(plan.waiting[t].sum()), 1)])
    _line(ws, "Vraag (P50-P90) tegen plaatsen, kind-dagdelen per week", "dagdelen per week", (2, 4), t_n, "H2")

    ws = wb.create_sheet("Personeel")
    heads = [f"fte {lv}" for lv in LEVELS] + [f"aangenomen {lv}" for lv in LEVELS] + [f"inhuur {lv}" for lv in LEVELS]
    header_row(ws, ["maand", *heads])
    for t in range(t_n):
        ws.append([labels[t], *(round(float(v), 2) for v in (*plan.fte[t], *plan.hired[t], *plan.agency[t]))])
    _line(ws, "Fte in dienst per opleidingsniveau", "fte", (2, 1 + len(LEVELS)), t_n, "O2", area=True)

    ws = wb.create_sheet("Wachtlijst")
    header_row(ws, ["maand", "wachtende jeugdigen", "wachtend (dagdelen per week)", "wachttijd (maanden)"])
    kids, wait_time = waiting_children(plan).sum(axis=1), waiting_months(plan)
    for t in range(t_n):
        time = None if np.isnan(wait_time[t]) else round(float(wait_time[t]), 2)
        ws.append([labels[t], round(float(kids[t]), 1), round(float(plan.waiting[t].sum()), 1), time])
    _line(ws, "Verwachte wachtlijst", "jeugdigen", (2, 2), t_n, "F2")

    ws = wb.create_sheet("Per product")
    header_row(ws, ["maand", "product", "vraag P50", "vraag P90", "geplaatst", "wachtend (dagdelen)",
                 "plaatsen in groepen met dit product"], [12, 12, 12, 12, 12, 18, 30])
    for t in range(t_n):
        for p, code in enumerate(d.products):
            if d.p90[:, p].any():
                ws.append([labels[t], code, round(float(d.p50[t, p]), 1), round(float(d.p90[t, p]), 1),
                           round(float(plan.served[t, p].sum()), 1), round(float(plan.waiting[t, p]), 1),
                           int(plan.places_of(code)[t])])

    ws = wb.create_sheet("Groepen")
    header_row(ws, ["maand", "groepstype", "open", "geopend", "gesloten", "plaatsen", "bezetting"], [12, 24])
    for t in range(t_n):
        for k, gt in enumerate(plan.types):
            places = int(plan.places[t, k])
            occ = plan.served[t, :, k].sum() / places if places else 0.0
            ws.append([labels[t], gt.name, int(plan.groups[t, k]), int(plan.opened[t, k]), int(plan.closed[t, k]),
                       places, round(float(occ), 3)])
            ws.cell(ws.max_row, 7).number_format = "0%"

    ws = wb.create_sheet("Kosten")
    terms = list(plan.cost)
    header_row(ws, ["maand", *terms, "totaal"])
    for t in range(t_n):
        values = [round(float(plan.cost[k][t]), 2) for k in terms]
        ws.append([labels[t], *values, round(sum(values), 2)])
        for col in range(2, len(terms) + 3):
            ws.cell(ws.max_row, col).number_format = EUR

    regional = contracted_rows(plan, contracted or {})
    if regional:
        ws = wb.create_sheet("Regio")
        header_row(ws, ["maand", "product", "nodig P50", "nodig P90", "gecontracteerd", "tekort P50", "tekort P90"],
                [12, 12, 12, 12, 16, 12, 12])
        for month, code, p50, p90, have in regional:
            ws.append([month, code, p50, p90, have, _tidy(max(0.0, p50 - have), 1), _tidy(max(0.0, p90 - have), 1)])

    ws = wb.create_sheet("Afweging")
    header_row(ws, ["wachtprijs (EUR per kind-dagdeel per week)", "kosten zonder wachten (EUR)",
                 "wachten (kind-dagdelen per week, opgeteld over de maanden)"], [24, 24, 24])
    for c in curve:
        ws.append([c.waiting_price, round(c.cost, 2), round(c.waiting, 1)])
    if curve:  # waiting_prices = []: no curve, no chart (an empty range breaks the file)
        _curve_chart(ws, len(curve))
    wb.save(xlsx)

    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["month", "product", "metric", "value"])
        writer.writerows(tidy_rows(plan))
        writer.writerows((month, code, "gecontracteerd_plaatsen", have) for month, code, _, _, have in regional)


def _curve_chart(ws: Worksheet, n: int) -> None:
    chart = ScatterChart()
    chart.title, chart.x_axis.title, chart.y_axis.title = "Afweging kosten en wachten", "wachten", "kosten (EUR)"
    chart.style = 13
    series = Series(Reference(ws, min_col=2, min_row=2, max_row=n + 1),
                    Reference(ws, min_col=3, min_row=2, max_row=n + 1), title="kosten bij wachtprijs")
    series.marker.symbol = "circle"
    chart.series.append(series)
    chart.width, chart.height = 20, 11
    ws.add_chart(chart, "E2")
