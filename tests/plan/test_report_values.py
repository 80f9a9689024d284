"""Reports readable without a spreadsheet program: every figure is stored as a value, its formula beside it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planner.report.figures import NOT_APPLICABLE, figure
from tests.conftest import copy_case
from tests.plan.test_outdir import planner_cli


def _formulas_only_in_formula_places(path: Path) -> int:
    """Every formula cell sits in a column or row headed "(formule)"; returns how many there are."""
    wb = openpyxl.load_workbook(path)
    seen = 0
    for ws in wb.worksheets:
        headings = {cell.column for row in ws.iter_rows() for cell in row
                    if isinstance(cell.value, str) and cell.value.endswith("(formule)") and cell.column > 1}
        for row in ws.iter_rows():
            label = row[0].value if isinstance(row[0].value, str) else ""
            for cell in row:
                if cell.data_type == "f":
                    seen += 1
                    assert cell.column in headings or label.endswith("(formule)"), (ws.title, cell.coordinate)
    return seen


@pytest.fixture(scope="module")
def hunt24(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("h24")
    case = copy_case("hunt-24-output-formulas-no-values", tmp)
    plan = planner_cli("plan", "scenario.toml", "--out", str(tmp / "plan"), "--time-limit", "3", cwd=case)
    assert plan.returncode == 0, plan.stderr
    forecast = planner_cli("forecast", "prognose.toml", "--out", str(tmp / "prognose"), "--tariffs", cwd=case)
    assert forecast.returncode == 0, forecast.stderr
    return tmp / "plan", tmp / "prognose"


def test_hunt24_roster_overview_totals_are_stored_values(hunt24):
    """hunt-24: pandas reads the Overzicht's totals, margin and per-year column as numbers equal to summary.json."""
    plan, _ = hunt24
    summary = json.loads((plan / "summary.json").read_text(encoding="utf-8"))
    sheet = pd.read_excel(plan / "roster.xlsx", "Overzicht", header=None)
    rows = {str(r[0]): r for r in sheet.itertuples(index=False) if isinstance(r[0], str)}
    total, revenue, margin = rows["Totaal kosten"], rows["Opbrengst (tarief x dagdelen)"], rows["Marge"]
    assert total[1] == pytest.approx(summary["cost_per_week"]["total"])
    assert total[2] == pytest.approx(summary["cost_per_year"])
    assert revenue[2] == pytest.approx(summary["revenue_per_year"])
    assert margin[2] == pytest.approx(summary["revenue_per_year"] - summary["cost_per_year"])
    for label in ("Personeel", "Vervoer", "Vacatures", "Specialistische uren", "Extra groepen"):
        assert not pd.isna(rows[label][2]), label
    assert _formulas_only_in_formula_places(plan / "roster.xlsx") >= 9


def test_hunt24_forecast_totals_are_stored_values(hunt24):
    """hunt-24: forecast.xlsx Totaal column and row (per municipality, region, provider) read as numbers."""
    _, prognose = hunt24
    wb = openpyxl.load_workbook(prognose / "forecast.xlsx")
    municipal = [name for name in wb.sheetnames if name.startswith("Gemeente ") and name != "Gemeente x product"]
    assert municipal
    for name in municipal:
        sheet = pd.read_excel(prognose / "forecast.xlsx", name)
        months = sheet[~sheet["Maand"].astype(str).str.startswith("Totaal")]
        products = [c for c in sheet.columns if c not in ("Maand", "Totaal", "Totaal (formule)")]
        assert months["Totaal"].notna().all()
        assert months["Totaal"].tolist() == pytest.approx(months[products].sum(axis=1).tolist())
        totals = sheet[sheet["Maand"] == "Totaal"].iloc[0]
        assert totals["Totaal"] == pytest.approx(months["Totaal"].sum())
    region = pd.read_excel(prognose / "forecast.xlsx", "Regio per maand")
    in_months = region[~region["Maand"].astype(str).str.startswith("Totaal")]
    assert len(in_months) == 2 and in_months[["P10 (band)", "P90 - P10 (band)", "P90"]].notna().all().all()
    assert region[region["Maand"] == "Totaal"]["Verwacht (EUR)"].notna().all()
    assert _formulas_only_in_formula_places(prognose / "forecast.xlsx") > 0
    tariffs = pd.read_excel(prognose / "tarieven.xlsx", "Tarieven")
    assert tariffs["Kostprijs per dagdeel"].notna().all() and tariffs["Verschil"].notna().all()
    _formulas_only_in_formula_places(prognose / "tarieven.xlsx")


def test_figure_writes_value_and_formula_or_nvt():
    """figure(): the value stored and rounded, the formula beside it; a missing or infinite value is n.v.t."""
    ws = openpyxl.Workbook().active
    figure(ws["B1"], 2 / 3, ws["C1"], "=A1/3")
    assert ws["B1"].value == 0.67 and ws["C1"].value == "=A1/3"
    figure(ws["B2"], float("inf"), ws["C2"], "=A2/0")
    assert ws["B2"].value == NOT_APPLICABLE and ws["C2"].value is None
    with pytest.raises(ValueError):
        figure(ws["B3"], 1, ws["C3"], "A3")


def test_figure_takes_numpy_and_decimal_numbers():
    """numpy and Decimal figures are stored as floats (a Decimal rounded half up, as money)."""
    ws = openpyxl.Workbook().active
    figure(ws["A1"], np.int64(3), ws["B1"], "=1+2")
    figure(ws["A2"], Decimal("1.005"), None, None)
    assert ws["A1"].value == 3.0 and isinstance(ws["A1"].value, float) and ws["A2"].value == 1.01


def test_overview_gap_is_a_percent_number(hunt24):
    """The gap in roster.xlsx Overzicht is a number shown as a percentage, not the text '10.17%'."""
    plan, _ = hunt24
    summary = json.loads((plan / "summary.json").read_text(encoding="utf-8"))
    ws = openpyxl.load_workbook(plan / "roster.xlsx")["Overzicht"]
    cell = next(row[1] for row in ws.iter_rows() if row[0].value == "Afstand tot ondergrens (gap)")
    assert isinstance(cell.value, int | float) and cell.number_format == "0.00%"
    assert cell.value == pytest.approx(summary["gap"])
