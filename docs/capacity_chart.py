"""Make docs/capaciteit.png and docs/personeel.png: sheets of the example's capaciteit.xlsx with their
native Excel charts (demand P50-P90 against places; FTE in service by level), as LibreOffice draws them.

    PYTHONPATH=. .venv/bin/python docs/capacity_chart.py

Plans the example's capacity (scenarios/voorbeeld/capaciteit.toml, 12 months from 2026-01) into a
temporary folder with `planner capacity`'s own code, converts capaciteit.xlsx to PDF with LibreOffice
Calc headless (each sheet on one page: `SinglePageSheets`), and renders the pages of the two sheets with
poppler's `pdftoppm`, cropped to the chart (found by its title with `pdftotext -bbox`). Needs `soffice`
(Debian's libreoffice-calc, as `make print` installs) and `pdftoppm` and `pdftotext` (Debian's
poppler-utils); `make chart` installs both where missing and runs this.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml"
# sheet -> (the first word of its chart's title, picture)
PAGES = {"Vraag en capaciteit": ("Vraag", "capaciteit.png"), "Personeel": ("Fte", "personeel.png")}
DPI = 110
WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
PDF_OPTIONS = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def main() -> None:
    from openpyxl import load_workbook

    from planner.app.capacity.run import run_capacity
    from planner.inputs.scenario import load_scenario

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm, pdftotext = shutil.which("pdftoppm"), shutil.which("pdftotext")
    if soffice is None or pdftoppm is None or pdftotext is None:
        sys.exit("soffice (libreoffice-calc) en pdftoppm (poppler-utils) zijn nodig: make chart")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for line in run_capacity(load_scenario(SCENARIO), tmp / "rapport"):
            print(line)
        xlsx = tmp / "rapport" / "capaciteit.xlsx"
        sheets = load_workbook(xlsx, read_only=True).sheetnames  # page i of the PDF is sheet i
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp / 'lo-profile'}", "--headless",
                        "--convert-to", PDF_OPTIONS, "--outdir", str(tmp), str(xlsx)],
                       check=True, capture_output=True, timeout=300)
        for sheet, (first_word, picture) in PAGES.items():
            page = str(sheets.index(sheet) + 1)
            x, width, height = _chart_box(pdftotext, tmp / "capaciteit.pdf", page, first_word)
            target = ROOT / "docs" / picture
            subprocess.run([pdftoppm, "-png", "-r", str(DPI), "-f", page, "-l", page, "-singlefile",
                            "-x", str(round(x * DPI / 72)), "-y", "0", "-W", str(round(width * DPI / 72)),
                            "-H", str(round(height * DPI / 72)),
                            str(tmp / "capaciteit.pdf"), str(target.with_suffix(""))], check=True, timeout=120)
            print(f"Geschreven: {target}")


def _chart_box(pdftotext: str, pdf: Path, page: str, first_word: str) -> tuple[float, float, float]:
    """(left edge, width, page height) in points of the chart on `page`: its title is centred over it (the largest
    words of the page, on the title's first line), its width is the writer's CHART_CM, plus a margin."""
    from planner.report.capacity_xlsx import CHART_CM

    layout = subprocess.run([pdftotext, "-f", page, "-l", page, "-bbox", str(pdf), "-"], check=True,
                            capture_output=True, text=True, timeout=120).stdout
    words = [(float(a), float(b), float(c), float(d), text) for a, b, c, d, text in WORD.findall(layout)]
    title = max((w for w in words if w[4] == first_word), key=lambda w: w[3] - w[1])
    line = [w for w in words if abs(w[1] - title[1]) < 0.5 and abs((w[3] - w[1]) - (title[3] - title[1])) < 0.5]
    centre = (min(w[0] for w in line) + max(w[2] for w in line)) / 2
    width = CHART_CM[0] / 2.54 * 72 + 16
    height = float(re.search(r'<page width="[0-9.]+" height="([0-9.]+)"', layout)[1])  # type: ignore[index]
    return max(0.0, centre - width / 2), width, height


if __name__ == "__main__":
    main()
