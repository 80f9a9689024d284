"""Generated bad inputs for tests/unit/test_fuzz.py: model, scenario and workbook mutations, each with what must happen.

An input is a folder with `model.toml` (the Holland Rijnland model), `in.xlsx` (a tiny workbook) and
`s.toml` (the scenario), one of them mutated. `expect` is "refused" (exit 2, and a line naming `key`),
"warned" (exit 0 with `key` in a warning line) or "clean" (exit 0 or 2 with located problems).
Deterministic: the same index gives the same input on every run.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODEL = Path(__file__).resolve().parents[1] / "models" / "holland-rijnland-2025.toml"

# values that no numeric field of a model or scenario accepts (every one is bounded and finite)
NOT_A_NUMBER = ["abc", "", "\x1b[31mrood\x1b[0m", "\u202e12", float("inf"), float("-inf"), float("nan"),
                1e300, -1e300, 2**70, -(2**70), True, False, [], [1, 2], {}, {"a": 1}, dt.date(2025, 1, 1)]
NOT_TEXT = [5, 2.5, True, [], {}, dt.date(2025, 1, 1), float("nan")]
NOT_A_BOOL = ["nee", "ja", "true", 0, 1, 2.0, [], {}]
NEGATIVE = [-1, -0.5, -1e6]
# keys whose removal leaves a model without a rule it needs
REQUIRED = ["region", "year", "weeks_per_year", "dagdeel_hours", "days", "parts", "products", "cost", "transport",
            "cost.hourly", "transport.max_km", "transport.bands_km", "transport.category", "transport.tariff"]
PRODUCT_REQUIRED = ["name", "kind", "tariff", "group_max", "max_dagdelen_per_week", "children_per_staff"]
# (key, value, what the error line must contain)
DANGLING = [("products.{p}.mix_with", ["NOPE"], "products.{p}.mix_with"),
            ("products.{p}.parts", ["nacht"], "products.{p}.parts"), ("closed_days", ["Sinterklaas"], "Sinterklaas"),
            ("products.{p}.education.min_level", "MBO9", "products.{p}.education.min_level"),
            ("days", ["xx"], "onbekende dagen"), ("parts", ["nacht"], "onbekende dagen"),
            ("products.{p}.kind", "opvang", "products.{p}.kind"),
            ("transport.billing", "per_week", "transport.billing"),
            ("products.{p}.education.min_count", {"MBO9": 1}, "min_count"), ("cost.hourly", {"MBO3": 40.0}, "hourly"),
            ("products.{p}.ratio_scope", "maand", "products.{p}.ratio_scope"),
            ("products.{p}.children_per_staff", "2 op 0", "products.{p}.children_per_staff"),
            ("products.{p}.children_per_staff", "3.33333333", "products.{p}.children_per_staff"),
            ("products.{p}.children_per_staff", "vier", "products.{p}.children_per_staff"),
            ("products.{p}.staff", 2, "products.{p}")]
SOLVE_NUMBERS = ["time_limit_s", "seed", "workers", "vacancy_penalty", "cluster_size", "weights.child_continuity",
                 "weights.staff_continuity", "weights.staff_fairness", "weights.child_change", "weights.staff_change"]
SOLVE_BOOLS = ["vacancies", "log", "deterministic"]
SOLVE_NEGATIVE = ["time_limit_s", "seed", "workers", "vacancy_penalty", "cluster_size", "weights.staff_fairness"]
CHANGES = ["tariff_index", "demand_scale.41A03-1", "staff_scale", "staff_scale.HBO", "inflow_scale.41A03-1",
           "duration_scale.dagbesteding", "weeks_per_year", "products.41A03-1.tariff", "products.41A03-1.group_max",
           "products.41A03-1.children_per_staff", "cost.hourly.HBO", "transport.max_km"]
FORECAST = ["forecast.months", "forecast.runs", "forecast.seed", "forecast.inflow.41A03-1",
            "forecast.inflow_dispersion", "forecast.duration_months.41A03-1"]


@dataclass
class FuzzInput:
    name: str
    kind: str  # model | scenario | workbook
    expect: str  # refused | warned | clean
    key: str = ""
    model: dict[str, Any] = field(default_factory=dict)
    scenario: dict[str, Any] = field(default_factory=dict)
    workbook: list = field(default_factory=list)  # mutations for tests/unit/test_fuzz.py::_apply
    corruption: str = ""  # a damage to the saved file (see corrupt())


def base_model() -> dict[str, Any]:
    with MODEL.open("rb") as fh:
        return tomllib.load(fh)


def base_scenario() -> dict[str, Any]:
    return {"name": "fuzz", "model": "model.toml", "data": "in.xlsx", "peildatum": dt.date(2025, 9, 1),
            "solve": {"time_limit_s": 0.5, "workers": 1, "seed": 0}}


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        tree = tree.setdefault(part, {})
    tree[parts[-1]] = value


def _delete(tree: dict[str, Any], dotted: str) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        tree = tree[part]
    del tree[parts[-1]]


def _numeric_leaves(tree: Any, prefix: str = "") -> list[str]:
    """Dotted keys of every number in the model (list items as key.N)."""
    out = []
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else []
    for k, v in items:
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, bool):
            continue
        if isinstance(v, int | float):
            out.append(key)
        elif isinstance(v, dict | list):
            out.extend(_numeric_leaves(v, key))
    return out


def _set_path(tree: Any, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        tree = tree[int(part)] if isinstance(tree, list) else tree[part]
    last = parts[-1]
    if isinstance(tree, list):
        tree[int(last)] = value
    else:
        tree[last] = value


def _shown_key(dotted: str) -> str:
    """The part of a key an error line must contain: list indices are named by their list."""
    parts = dotted.split(".")
    while parts and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts)


def model_inputs(rng: random.Random, n: int) -> list[FuzzInput]:
    base = base_model()
    leaves = _numeric_leaves(base)
    products = list(base["products"])
    texts = [f"products.{p}.{k}" for p in products for k in ("name", "kind")] + ["region", "transport.billing"]
    out: list[FuzzInput] = []
    for i in range(n):
        raw = copy.deepcopy(base)
        roll = rng.random()
        p = rng.choice(products)
        if roll < 0.55:
            key = rng.choice(leaves)
            _set_path(raw, key, rng.choice(NOT_A_NUMBER))
            expect, shown = "refused", _shown_key(key)
        elif roll < 0.65:
            key = rng.choice(texts)
            _set_path(raw, key, rng.choice(NOT_TEXT))
            expect, shown = "refused", key
        elif roll < 0.75:
            key = rng.choice(REQUIRED + [f"products.{p}.{k}" for k in PRODUCT_REQUIRED])
            _delete(raw, key)
            expect, shown = "refused", key.removesuffix(".children_per_staff")
        elif roll < 0.88:
            template, value, shown = rng.choice(DANGLING)
            _set(raw, template.format(p=p), copy.deepcopy(value))
            expect, shown = "refused", shown.format(p=p)
        else:
            key = rng.choice([f"products.{p}.source", f"products.{p}.tariff_source", "cost.source",
                              "transport.source", "source"])
            _delete(raw, key)
            expect, shown = "warned", key
        out.append(FuzzInput(f"model-{i:03d}", "model", expect, shown, model=raw))
    return out


def scenario_inputs(rng: random.Random, n: int) -> list[FuzzInput]:
    out: list[FuzzInput] = []
    for i in range(n):
        sc = base_scenario()
        roll = rng.random()
        if roll < 0.3:
            key = rng.choice(SOLVE_NUMBERS)
            _set(sc, f"solve.{key}", rng.choice(NOT_A_NUMBER))
            shown = f"solve.{key}"
        elif roll < 0.4:
            key = rng.choice(SOLVE_BOOLS)
            _set(sc, f"solve.{key}", rng.choice(NOT_A_BOOL))
            shown = f"solve.{key}"
        elif roll < 0.5:
            key = rng.choice(SOLVE_NEGATIVE)
            _set(sc, f"solve.{key}", rng.choice(NEGATIVE))
            shown = f"solve.{key}"
        elif roll < 0.72:
            key = rng.choice(CHANGES)
            value = rng.choice(NOT_A_NUMBER + NEGATIVE + [1e5])
            if key == "products.41A03-1.children_per_staff" and isinstance(value, int | float) and value > 0 \
                    and value < 100 and not isinstance(value, bool):
                value = -1
            _set(sc, f"changes.{key}", value)
            shown = key if key.startswith(("products.", "cost.", "transport.", "weeks_per_year")) else f"changes.{key}"
            shown = _shown_key(shown.split(".41A03-1")[0] if shown.startswith("changes.") else shown)
        elif roll < 0.82:
            key = rng.choice(FORECAST)
            _set(sc, key, rng.choice(NOT_A_NUMBER + NEGATIVE))
            shown = key
        elif roll < 0.9:
            key, value = rng.choice([("peildatum", "2025-09-01"), ("peildatum", 20250901), ("name", 5),
                                     ("name", ""), ("model", 5), ("data", []), ("solve", 5), ("changes", "x"),
                                     ("solve.decompose", "misschien"), ("solve.vacancy_levels", ["XYZ"]),
                                     ("solve.vacancy_levels", "HBO"), ("forecast.start", "2026-01-01")])
            _set(sc, key, value)
            shown = key
        else:
            key, value, shown = rng.choice([
                ("model", "bestaat-niet", "bestaat-niet"), ("data", "weg.xlsx", "weg.xlsx"),
                ("extends", "weg.toml", "weg.toml"), ("changes.demand_scale.NOPE", 2.0, "NOPE"),
                ("changes.products.NOPE.tariff", 5.0, "NOPE"), ("solve.weights.geluk", 1.0, "geluk"),
                ("\x1b[2Jonbekend", 1, "onbekend"), ("solve.\u202etijd", 1, "tijd"), ("changes.inflow", 1.0, "inflow"),
                ("model", "../../../../etc/passwd", "passwd")])
            _set(sc, key, value)
        out.append(FuzzInput(f"scenario-{i:03d}", "scenario", "refused", shown, scenario=sc))
    return out


def workbook_inputs(rng: random.Random, n: int, sheets: list[str], weird: list[Any]) -> list[FuzzInput]:
    kinds = ["drop_sheet", "drop_column", "set_cell", "header", "duplicate_row", "blank_rows", "empty_sheet",
             "merge", "extra_column"]
    out = []
    for i in range(n):
        mutations = []
        for _ in range(rng.randint(1, 4)):
            kind = rng.choice(kinds)
            value = rng.choice(weird) if kind in ("set_cell", "header", "extra_column") else None
            row = 0 if kind in ("header", "extra_column") else rng.randint(1, 3)
            mutations.append((kind, rng.choice(sheets), row, rng.randint(0, 20) if kind != "blank_rows"
                              else rng.randint(1, 5), value))
        out.append(FuzzInput(f"workbook-{i:03d}", "workbook", "clean", workbook=mutations))
    return out


CORRUPTIONS = ["stale_dimension", "huge_dimension", "truncated_xml", "bad_row_attribute", "bad_crc", "empty_file",
               "not_a_zip", "missing_sheet_part", "shared_string_out_of_range", "formula_no_value"]


def workbook_file_inputs(rng: random.Random, n: int) -> list[FuzzInput]:
    """Workbooks damaged as files (the file's metadata is not the truth; fuzz-02, fuzz-03, fuzz-04)."""
    return [FuzzInput(f"workbook-file-{i:03d}", "workbook", "clean", corruption=CORRUPTIONS[i % len(CORRUPTIONS)])
            for i in range(n)]


def _sheet_member(zf: zipfile.ZipFile, sheet: str) -> str:
    """The zip member of a sheet by name (openpyxl writes sheetN.xml in workbook order)."""
    names = re.findall(r'<sheet [^>]*name="([^"]+)"', zf.read("xl/workbook.xml").decode())
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def corrupt(path: Path, how: str) -> None:
    """Damage a saved workbook in place (only files the test made itself)."""
    if how == "empty_file":
        path.write_bytes(b"")
        return
    if how == "not_a_zip":
        path.write_text("child_id;naam\nC1;Kim\n", encoding="utf-8")
        return
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
        target = _sheet_member(zf, "children")
    xml = members[target].decode()
    if how == "stale_dimension":
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:B2"/>', xml)
    elif how == "huge_dimension":
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
    elif how == "truncated_xml":
        xml = xml[: len(xml) // 2]
    elif how == "bad_row_attribute":
        xml = xml.replace('<row r="2"', '<row r="x"', 1)
    elif how == "shared_string_out_of_range":
        xml = re.sub(r'<c r="A2"[^>]*>.*?</c>', '<c r="A2" t="s"><v>99999</v></c>', xml, count=1)
    elif how == "formula_no_value":
        xml = re.sub(r'<c r="G2"([^>]*)>.*?</c>', '<c r="G2"><f>2+2</f></c>', xml, count=1)
    if how == "missing_sheet_part":
        del members[target]
    else:
        members[target] = xml.encode()
    compression = zipfile.ZIP_STORED if how == "bad_crc" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    if how == "bad_crc":  # flip one byte of the stored sheet: the CRC no longer matches
        raw = bytearray(path.read_bytes())
        at = raw.find(b"<sheetData>")
        raw[at + 1] = ord("S")
        path.write_bytes(bytes(raw))
