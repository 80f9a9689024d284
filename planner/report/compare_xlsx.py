"""compare.xlsx and compare.csv: the answer first, then scenarios side by side with margins and reasons.

Every figure is written as a value (pandas and any reader see numbers, not formulas without a cached
result); the differences also as Excel formulas beside them, in "(formule)" columns (report/figures.py).
Excel shows them with Dutch number formats in a Dutch Excel.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.app.compare.explain import HEADER, WITHIN, differences, headline
from planner.app.compare.outcome import METRICS, Outcome
from planner.report.figures import NOT_APPLICABLE, figure, formula_label
from planner.report.safe import cell_text

HEAD = PatternFill("solid", fgColor="1F4E78")
FAIL = PatternFill("solid", fgColor="F8E0E6")
QUIET = PatternFill("solid", fgColor="EDEDED")
FORMAT = {"EUR": "#,##0", "fte": "0.00", "%": "0.0%", "km": "#,##0", "aantal": "0", "dagdelen": "0",
          "jeugdigen": "0.0", "maanden": "0"}
COST_KEYS = ["cost_staff", "cost_vacancies", "cost_specialists", "cost_transport", "cost_groups"]
CAP_COST_KEYS = ["cap_cost_staff", "cap_cost_agency", "cap_cost_hiring", "cap_cost_groups", "cap_cost_waiting"]
NA = NOT_APPLICABLE
BLOCK = ("Verschil", formula_label("Verschil"), "Verschil %", formula_label("Verschil %"), "Marge (±)", "Oordeel",
         "Waarom")  # per variant, on Vergelijking


def write_compare(outcomes: list[Outcome], title: str, xlsx: Path, csv_path: Path) -> None:
    """Write compare.csv (HEADER columns, one row per scenario and metric; a failed scenario as one row
    with metric `error`) and compare.xlsx. Same outcomes, same bytes in compare.csv."""
    rows = differences(outcomes)
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        for r in rows:
            writer.writerow(["" if r[k] is None else cell_text(r[k]) for k in HEADER])
        for o in outcomes:
            if o.error:
                writer.writerow([cell_text(o.name), "error", *[""] * 6, "fout", cell_text(o.error), "", ""])
    _workbook(outcomes, title, rows).save(xlsx)


def _head(ws: Worksheet, row: int, values: list[Any]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=cell_text(value))
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEAD


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _answer(wb: Workbook, outcomes: list[Outcome], title: str, rows: list[dict[str, Any]]) -> None:
    ws = wb.active
    ws.title = "Antwoord"
    ws["A1"] = cell_text(f"Scenariovergelijking: {title}")
    ws["A1"].font = Font(bold=True, size=14)
    base = outcomes[0]
    ws["A2"] = cell_text(f"Wat verandert er ten opzichte van de basis '{base.name}'? Bedragen per jaar "
                         "(capaciteit: over de horizon); "
                         "resultaat = opbrengst − kosten. Vergelijking: eerste kolom de basis, per variant "
                         "verschil, verschil in %, marge van de optimalisatie, oordeel en waarom.")
    r = 4
    if base.error:
        ws.cell(row=r, column=1, value=cell_text(f"De basis is mislukt ({base.error}): geen verschillen te geven."))
        r += 1
    else:
        for o in outcomes[1:]:
            ws.cell(row=r, column=1, value=cell_text(headline(base, o, rows))).font = Font(bold=True)
            r += 1
        if len(outcomes) == 1:
            ws.cell(row=r, column=1, value="Alleen de basis: niets om mee te vergelijken.")
            r += 1
    r += 1
    ws.cell(row=r, column=1, value=cell_text(
        "Marge van de optimalisatie: elk rooster kan tot (kosten − ondergrens) duurder zijn dan het beste rooster "
        "van zijn scenario; "
        f"een verschil binnen de som van die twee is '{WITHIN}', geen effect. Scenario's met dezelfde regels en "
        "gegevens delen hun rooster: hun verschil is exact."))
    ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[r].height = 45
    r += 2
    _head(ws, r, ["Scenario", "Status", "Gap", "Marge van de optimalisatie op de kosten (± per jaar)", "Seeds (aantal)",
              "Eerste seed", "Rooster van", "Opmerkingen"])
    for o in outcomes:
        r += 1
        values: list[Any] = [o.name, o.status, o.figures.get("gap", NA if not o.error else None),
                             NA if o.cost_margin is None else o.cost_margin, len(o.seeds) if o.seeds else None,
                             o.seeds[0] if o.seeds else None,
                             o.roster_of, "; ".join((*o.notes, o.error) if o.error else o.notes)]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=cell_text(value))
            if o.error:
                cell.fill = FAIL
        ws.cell(row=r, column=3).number_format = "0.00%"
        ws.cell(row=r, column=4).number_format = "#,##0"
    _widths(ws, [110, 12, 10, 24, 14, 12, 24, 90])


def _comparison(wb: Workbook, outcomes: list[Outcome], title: str, rows: list[dict[str, Any]]) -> tuple[Any, dict]:
    """Metrics × scenarios, then per variant: difference, %, margin, verdict and why; one row per metric and
    every column named in row 1 (no title rows: pandas reads it with its default header=0)."""
    ws = wb.create_sheet("Vergelijking")
    n = len(outcomes)
    keys = [k for k in METRICS if any(k in o.figures for o in outcomes)]
    keys = [k for k in keys if not k.startswith("transport_band_") or any(o.figures.get(k) for o in outcomes)]
    base = outcomes[0]
    variants = [] if base.error else outcomes[1:]
    extra = [f"{what}: {o.name}" for o in variants for what in BLOCK]
    _head(ws, 1, ["Kenmerk", *[o.name for o in outcomes], "Eenheid", *extra])
    by = {(r["scenario"], r["metric"]): r for r in rows}
    row_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        r = 2 + i
        row_of[key] = r
        label, unit = METRICS[key]
        fmt = FORMAT.get(unit, "General")
        ws.cell(row=r, column=1, value=label)
        for j, o in enumerate(outcomes, start=2):
            if key in o.figures:
                ws.cell(row=r, column=j, value=o.figures[key]).number_format = fmt
            else:
                ws.cell(row=r, column=j, value=NA).fill = FAIL if o.error else QUIET
        ws.cell(row=r, column=n + 2, value=unit)
        for v, o in enumerate(variants):
            first = n + 3 + len(BLOCK) * v
            found = by.get((o.name, key))
            if found is None:
                for c in range(first, first + len(BLOCK)):
                    ws.cell(row=r, column=c, value=NA).fill = FAIL if o.error else QUIET
                continue
            # values for every reader, the formula beside them for Excel (report/figures.py)
            b_ref, v_ref = f"$B{r}", f"{get_column_letter(outcomes.index(o) + 2)}{r}"
            figure(ws.cell(row=r, column=first), found["difference"], ws.cell(row=r, column=first + 1),
                   f"=IF(OR(ISTEXT({v_ref}),ISTEXT({b_ref})),\"{NA}\",{v_ref}-{b_ref})", fmt, 6)
            figure(ws.cell(row=r, column=first + 2), found["difference_pct"], ws.cell(row=r, column=first + 3),
                   f"=IF(OR(ISTEXT({v_ref}),ISTEXT({b_ref}),{b_ref}=0),\"{NA}\",({v_ref}-{b_ref})/ABS({b_ref}))",
                   "0.0%", 6)
            figure(ws.cell(row=r, column=first + 4), found["margin"], None, None, fmt, 2)
            ws.cell(row=r, column=first + 5, value=cell_text(found["verdict"]))
            ws.cell(row=r, column=first + 6, value=cell_text(found["explanation"]))
            if found["verdict"] == WITHIN:
                for c in (first, first + 2, first + 4, first + 5):
                    ws.cell(row=r, column=c).fill = QUIET
    for v in range(len(variants)):
        for offset in (1, 3):
            ws.cell(row=1, column=n + 3 + len(BLOCK) * v + offset).font = Font(italic=True, bold=True, color="FFFFFF")
    _widths(ws, [40, *[18] * n, 10, *[14, 14, 11, 11, 14, 30, 60] * len(variants)])
    ws.freeze_panes = "B2"
    return ws, row_of


def _scenarios(wb: Workbook, outcomes: list[Outcome]) -> None:
    info = wb.create_sheet("Scenario's")
    _head(info, 1, ["Scenario", "Wijzigingen t.o.v. basis", "Status", "Rooster van", "Fout", "Opmerkingen"])
    for o in outcomes:
        info.append([cell_text(v) for v in (o.name, o.description, o.status, o.roster_of, o.error,
                                            "; ".join(o.notes))])
        if o.error:
            for cell in info[info.max_row]:
                cell.fill = FAIL
    _widths(info, [40, 50, 12, 24, 60, 90])


def _tariffs(wb: Workbook, outcomes: list[Outcome]) -> None:
    ws = wb.create_sheet("Tarieven")
    _head(ws, 1, ["Product", "Scenario", "Gecontracteerd tarief", "Kostprijs per dagdeel", "Verschil"])
    for o in outcomes:
        for product, (contracted, cost) in sorted(o.tariffs.items()):
            ws.append([product, cell_text(o.name), contracted, cost, round(contracted - cost, 2)])
            for c in (3, 4, 5):
                ws.cell(row=ws.max_row, column=c).number_format = "#,##0.00"
    _widths(ws, [14, 40, 20, 20, 14])
    ws.freeze_panes = "A2"


def _spread(wb: Workbook, outcomes: list[Outcome]) -> None:
    if not any(o.spread for o in outcomes):
        return
    ws = wb.create_sheet("Spreiding")
    ws["A1"] = "Spreiding over de seeds (--seeds): elk scenario opnieuw berekend met andere seeds"
    ws["A1"].font = Font(bold=True)
    _head(ws, 3, ["Scenario", "Kenmerk", "Laagste", "Hoogste", "Verschil", "Seeds", "Eenheid"])
    for o in outcomes:
        for key, (low, high) in o.spread.items():
            if key in METRICS:
                ws.append([cell_text(o.name), METRICS[key][0], low, high, round(high - low, 6),
                           ", ".join(map(str, o.seeds)), METRICS[key][1]])
                for c in (3, 4, 5):
                    ws.cell(row=ws.max_row, column=c).number_format = FORMAT.get(METRICS[key][1], "General")
    _widths(ws, [40, 40, 16, 16, 16, 16, 10])


def _charts(wb: Workbook, ws: Worksheet, outcomes: list[Outcome], row_of: dict[str, int]) -> None:
    charts = wb.create_sheet("Grafieken")
    n = len(outcomes)

    def bar(keys_: list[str], title_: str, unit: str, anchor: str, stacked: bool = False) -> None:
        """A native bar chart of some rows of the comparison, one bar group per scenario."""
        chart = BarChart()
        chart.type, chart.title, chart.y_axis.title = "col", title_, unit
        if stacked:
            chart.grouping, chart.overlap = "stacked", 100
        for key in keys_:
            chart.add_data(Reference(ws, min_col=1, max_col=n + 1, min_row=row_of[key]), from_rows=True,
                           titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, max_col=n + 1, min_row=1))
        chart.width, chart.height = 22, 11
        if chart.series:
            charts.add_chart(chart, anchor)

    bar([k for k in COST_KEYS if k in row_of], "Kosten per jaar per scenario", "EUR", "A1", stacked=True)
    bar([k for k in row_of if k.startswith(("fte_", "vacancy_fte_")) and not k.endswith("total")
         and any(o.figures.get(k) for o in outcomes)],
        "Personeel per niveau (fte), inclusief vacatures apart", "fte", "A24")
    bar([k for k in ("cost_total", "revenue", "margin") if k in row_of], "Kosten, opbrengst en resultaat per jaar",
        "EUR", "P1")
    bar([k for k in ("municipal_12m",) if k in row_of], "Gemeenten: uitgaven komende 12 maanden", "EUR", "P24")
    # planner compare --capacity: the same places, as a comparison holds either rosters or capacity plans
    bar([k for k in CAP_COST_KEYS if k in row_of], "Capaciteit: kosten over de horizon per scenario", "EUR", "A1",
        stacked=True)
    bar([k for k in row_of if k.startswith("cap_peak_fte_") and any(o.figures.get(k) for o in outcomes)],
        "Capaciteit: hoogste fte in dienst per niveau", "fte", "A24")
    bar([k for k in row_of if k.startswith("cap_hired_") and k != "cap_hired_total"
         and any(o.figures.get(k) for o in outcomes)], "Capaciteit: aangenomen fte per niveau", "fte", "P1")
    bar([k for k in ("cap_waiting_mean", "cap_waiting_peak") if k in row_of], "Capaciteit: wachtende jeugdigen",
        "jeugdigen", "P24")


def _workbook(outcomes: list[Outcome], title: str, rows: list[dict[str, Any]]) -> Workbook:
    wb = Workbook()
    _answer(wb, outcomes, title, rows)
    ws, row_of = _comparison(wb, outcomes, title, rows)
    _scenarios(wb, outcomes)
    _tariffs(wb, outcomes)
    _spread(wb, outcomes)
    _charts(wb, ws, outcomes, row_of)
    wb.active = 0
    return wb

