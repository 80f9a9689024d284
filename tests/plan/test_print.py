"""roster.xlsx prints: one A4 landscape page per location, text at least 8 pt (issue 21 point 3).

Converted with LibreOffice (Debian's libreoffice-calc, installed by `make print`) and read with
pypdf; skipped when soffice is not installed."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace

import openpyxl
import pytest

from planner.app.plan import make_plan_from
from planner.inputs.scenario import load_inputs, load_scenario
from planner.report.excel import write_roster_xlsx
from tests.conftest import EXAMPLE

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _font_sizes(page) -> list[float]:
    """Effective size of every piece of text: the Tf size scaled by the text and graphics matrices."""
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(abs(size * tm[3] * cm[3]) if tm[3] and cm[3] else abs(size * tm[0] * cm[0]))

    page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed: make print")
def test_location_sheets_print_one_readable_page_each(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    sc = load_scenario(EXAMPLE)
    model, data = load_inputs(sc)
    plan = make_plan_from(model, data, replace(sc.solve, time_limit_s=1), scenario=sc)
    assert plan.violations == []
    write_roster_xlsx(plan, tmp_path / "roster.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "roster.xlsx")
    for name in [n for n in wb.sheetnames if not n.startswith("Locatie")]:
        del wb[name]
    locations = list(wb.sheetnames)
    assert len(locations) == len(data.locations)
    for ws in wb.worksheets:  # names, not ids, in the grid; header row and group column repeat
        text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
        assert any(ch.name in text for ch in data.children if ch.name)
        assert ws.print_title_rows == "$1:$1" and int(ws.page_setup.paperSize) == 9  # A4
    wb.save(tmp_path / "locaties.xlsx")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "locaties.xlsx")],
                   check=True, capture_output=True, timeout=300)
    reader = pypdf.PdfReader(tmp_path / "locaties.pdf")
    assert len(reader.pages) == len(locations)
    for page, sheet in zip(reader.pages, locations, strict=True):
        box = page.mediabox
        assert float(box.width) > float(box.height)  # landscape
        assert round(float(box.width)) in (841, 842)  # A4
        text = page.extract_text()
        assert sheet in text and "afgedrukt" in text  # footer: location and print date
        sizes = _font_sizes(page)
        assert sizes and min(sizes) >= 8.0, min(sizes)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed: make print")
def test_every_sheet_prints_a4_and_readable(tmp_path):
    """User test of issue 21: the non-location sheets printed on Letter at 3.8-5.1 pt. Every page of the
    whole roster.xlsx is A4 with text >= 8 pt; every sheet is A4, fits the width only, repeats its header."""
    pypdf = pytest.importorskip("pypdf")
    sc = load_scenario(EXAMPLE)
    model, data = load_inputs(sc)
    plan = make_plan_from(model, data, replace(sc.solve, time_limit_s=1), scenario=sc)
    write_roster_xlsx(plan, tmp_path / "roster.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "roster.xlsx")
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.print_title_rows == "$1:$1", ws.title
        if not ws.title.startswith("Locatie"):  # long lists: as many pages down as they need
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "roster.xlsx")],
                   check=True, capture_output=True, timeout=300)
    reader = pypdf.PdfReader(tmp_path / "roster.pdf")
    assert len(reader.pages) >= len(wb.worksheets)
    for number, page in enumerate(reader.pages, start=1):
        sides = sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height))))
        assert sides[0] in (594, 595) and sides[1] in (841, 842), (number, sides)  # A4, either way round
        sizes = _font_sizes(page)
        assert sizes and min(sizes) >= 8.0, (number, min(sizes))
