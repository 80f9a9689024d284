"""Make docs/capaciteit.png and docs/personeel.png: sheets of the example's capaciteit.xlsx with their
native Excel charts (demand P50-P90 against places; FTE in service by level), as LibreOffice draws them.

    PYTHONPATH=. .venv/bin/python docs/capacity_chart.py

Plans the example's capacity (scenarios/voorbeeld/capaciteit.toml, 12 months from 2026-01) into a
temporary folder with `planner capacity`'s own code, converts capaciteit.xlsx to PDF with LibreOffice
Calc headless (each sheet on one page: `SinglePageSheets`), and renders the pages of the two sheets with
poppler's `pdftoppm`. Needs `soffice` (Debian's libreoffice-calc, as `make print` installs) and
`pdftoppm` (Debian's poppler-utils); `make chart` installs both where missing and runs this.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "voorbeeld" / "capaciteit.toml"
PAGES = {"Vraag en capaciteit": "capaciteit.png", "Personeel": "personeel.png"}  # sheet -> picture
PDF_OPTIONS = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def main() -> None:
    from openpyxl import load_workbook

    from planner.app.capacity.run import run_capacity
    from planner.inputs.scenario import load_scenario

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
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
        for sheet, picture in PAGES.items():
            page = str(sheets.index(sheet) + 1)
            target = ROOT / "docs" / picture
            subprocess.run([pdftoppm, "-png", "-r", "110", "-f", page, "-l", page, "-singlefile",
                            str(tmp / "capaciteit.pdf"), str(target.with_suffix(""))], check=True, timeout=120)
            print(f"Geschreven: {target}")


if __name__ == "__main__":
    main()
