"""`planner template`: an empty input workbook with headers, drop-down lists and instructions."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planner.inputs.catalogue import LEVELS, RegionModel
from planner.inputs.dagdelen import week
from planner.inputs.data import schemas
from planner.inputs.week_sheets import WEEK_TEMPLATE
from planner.report.safe import atomic_file

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
REQUIRED_FILL = PatternFill("solid", fgColor="C00000")

INSTRUCTIONS = [
    "Invulwerkmap voor planner",
    "",
    "Vul per tabblad één rij per locatie, groep, medewerker of jeugdige. De eerste rij (koppen) niet wijzigen.",
    "Rode koppen zijn verplicht. Lijsten scheidt u met komma's (bijv. 41A03-1, 41A03-2).",
    "Dagdelen schrijft u als ma-ochtend, maandag middag, mon-am of MA-O; een dag alleen (ma) = alle dagdelen.",
    "Ja/nee-kolommen: ja of nee. Decimalen mogen met komma of punt.",
    "Coördinaten in graden (WGS84), bijv. 52.16 en 4.49 voor Leiden.",
    "Tabblad distances is optioneel: afstanden uit een routeplanner gaan voor de schatting (hemelsbreed x factor).",
    "Controleer de werkmap met: planner check SCENARIO",
    "",
    "Kolommen per tabblad:",
]


def _lists_sheet(wb: Workbook, model: RegionModel) -> dict[str, str]:
    ws = wb.create_sheet("lijsten")
    columns = {
        "products": list(model.products),
        "education": list(LEVELS),
        "dagdelen": week(tuple(model.days), tuple(model.parts)),
        "ja_nee": ["ja", "nee"],
        "transport": ["eigen", "groep", "individueel"],
    }
    refs = {}
    for i, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(i)
        ws.cell(1, i, name).font = Font(bold=True)
        for j, value in enumerate(values, start=2):
            ws.cell(j, i, value)
        refs[name] = f"lijsten!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return refs


DROPDOWNS = {
    ("children", "product"): "products",
    ("staff", "education"): "education",
    ("children", "transport"): "transport",
    ("children", "wheelchair"): "ja_nee",
    ("groups", "optional"): "ja_nee",
    ("locations", "wheelchair_access"): "ja_nee",
    ("groups", "products"): "products",
}


def build_template(model: RegionModel) -> Workbook:
    wb = Workbook()
    info = wb.active
    info.title = "instructies"
    for line in INSTRUCTIONS + [f"  {sheet}: " + ", ".join(
            c.name + ("*" if c.required else "") for c in cols) for sheet, cols in schemas().items()]:
        info.append([line])
    info.append([])
    info.append([f"Regiomodel: {model.region} {model.year}. Producten:"])
    for code, product in model.products.items():
        info.append([f"  {code}: {product.name} (max {product.group_max} per groep, "
                     f"{product.ratio_text} per medewerker)"])
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 110
    refs = _lists_sheet(wb, model)
    for sheet, columns in schemas(tuple(model.parts)).items():
        ws = wb.create_sheet(sheet, index=len(wb.sheetnames) - 1)
        for i, col in enumerate(columns, start=1):
            cell = ws.cell(1, i, col.name)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
            ws.column_dimensions[get_column_letter(i)].width = max(14, len(col.name) + 4)
            key = DROPDOWNS.get((sheet, col.name))
            if key:
                dv = DataValidation(type="list", formula1=refs[key], allow_blank=True,
                                    showErrorMessage=key != "products" or sheet != "groups")
                dv.prompt, dv.showInputMessage = col.help, True
                dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}1000")
                ws.add_data_validation(dv)
            else:
                dv = DataValidation(allow_blank=True, showInputMessage=True, prompt=col.help)
                dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}1000")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"

    info.append([])
    info.append(["Optionele tabbladen voor een echte week (leeg laten mag):"])
    for sheet, purpose, week_columns in WEEK_TEMPLATE:
        info.append([f"  {sheet}: {purpose}; kolommen "
                     + ", ".join(name + ("*" if required else "") for name, required, _ in week_columns)])
        ws = wb.create_sheet(sheet, index=len(wb.sheetnames) - 1)
        for i, (name, required, help_text) in enumerate(week_columns, start=1):
            cell = ws.cell(1, i, name)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = REQUIRED_FILL if required else HEADER_FILL
            ws.column_dimensions[get_column_letter(i)].width = max(14, len(name) + 4)
            dv = DataValidation(allow_blank=True, showInputMessage=True, prompt=help_text)
            dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}1000")
            ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    return wb


def write_template(model: RegionModel, path: Path) -> None:
    wb = build_template(model)
    atomic_file(path, lambda tmp: wb.save(tmp))


def write_scenario(model: str, workbook: Path, path: Path) -> None:
    """A scenario file beside a new workbook: its name, the model and the workbook, default settings.

    A model given as a path is written relative to the scenario when it can be."""
    ref = model
    if model.endswith(".toml"):
        target = Path(model).resolve()
        try:
            ref = str(target.relative_to(path.resolve().parent))
        except ValueError:
            ref = str(target)
    text = (
        f"# Scenario bij {workbook.name}: vul de werkmap in, dan `planner check {path.name}` "
        f"en `planner plan {path.name}`.\n"
        f"name = {json.dumps(workbook.stem)}\n"
        f"model = {json.dumps(ref)}\n"
        f"data = {json.dumps(workbook.name)}\n"
        "\n[solve]\ntime_limit_s = 30\nseed = 0\n"
        "\n[changes]\n# wat-als, bijv. tariff_index = 1.05 of staff_scale = 0.9\n"
    )
    atomic_file(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
