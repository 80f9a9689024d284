"""Models and scenarios as users write them: exact ratios, optional sources, no TOML needed, fixed calendars,
every value checked (issue 15 kinds 4-7 and the value cases fuzz-06 ... fuzz-19)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.app.plan import make_plan
from planner.app.tariffs import cost_based_tariffs
from planner.cli import app
from planner.inputs import calendar_nl as cal
from planner.inputs.catalogue import MODELS_DIR, build_model, load_model, model_path, read_model_dict
from planner.inputs.errors import InputError
from planner.inputs.ratio import parse_ratio, repeating_guess
from planner.inputs.scenario import load_scenario
from tests.conftest import CASES, write_workbook

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def case(name: str, tmp_path: Path) -> Path:
    """A copy of a case folder (never run in /work/shared); skip when the cases are not there."""
    found = sorted(CASES.glob(f"{name}*")) if CASES.is_dir() else []
    if not found:
        pytest.skip(f"case {name} not present")
    return Path(shutil.copytree(found[0], tmp_path / found[0].name))


def invoke(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def refused(result, *keys: str) -> list[str]:
    """Exit 2, and one problem line per key naming it."""
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip() and "problemen gevonden" not in ln]
    for key in keys:
        assert any(key in ln for ln in lines), (key, result.output)
    return lines


# --- kind 4: ratios as the product books write them ---------------------------------------------

def test_ratio_forms_are_exact():
    """10/3 written as "10/3", "3 op 10" or a decimal 3.5 are exact Fractions; bad forms are refused."""
    assert parse_ratio("10/3") == parse_ratio("3 op 10") == Fraction(10, 3)
    assert parse_ratio("2 op 9") == Fraction(9, 2) and parse_ratio(2.5) == Fraction(5, 2) and parse_ratio(4) == 4
    assert parse_ratio("3,5") == Fraction(7, 2)
    for bad in ("abc", "0 op 4", "4/0", float("inf"), float("nan"), -1, 0, 1e300, "3.14159265358979"):
        with pytest.raises(ValueError):
            parse_ratio(bad)


def test_repeating_decimals_are_suspected():
    """3.33, 3.333 and 2.67 look like rounded 10/3 and 8/3; exact decimals do not."""
    assert repeating_guess(3.33) == repeating_guess(3.333) == repeating_guess("3,33") == "10/3"
    assert repeating_guess(2.67) == "8/3"
    assert [repeating_guess(x) for x in (2.5, 4, 2.25, 3.5, "10/3", 3.1416)] == [None] * 6


def test_hunt13_exact_ratio_needs_three_staff(tmp_path):
    """hunt-13-ratio-decimal-overstaff: 3.33 is warned about; "10/3", "3 op 10" and staff/per plan 3 staff for 10."""
    folder = case("hunt-13", tmp_path)
    scenario = folder / "scenario.toml"
    warned = invoke("check", scenario)
    assert warned.exit_code == 0 and "10/3" in warned.output and "waarschuwing" in warned.output
    written = scenario.read_text()
    for form in ('children_per_staff = "10/3"', 'children_per_staff = "3 op 10"', "staff = 3\nper = 10"):
        scenario.write_text(written.replace("children_per_staff = 3.33", form))
        plan = make_plan(load_scenario(scenario))
        assert plan.violations == []
        on_duty = [s for s in plan.result.roster.staff if s[2] == "ma-ochtend"]
        assert len({c for c, _, d in plan.result.roster.children if d == "ma-ochtend"}) == 10
        assert len(on_duty) + sum(1 for v in plan.result.roster.vacancies if v[3] == "ma-ochtend") == 3, form
        assert plan.model.products["DB-LICHT"].ratio == Fraction(10, 3)


def test_hunt14_check_refuses_what_plan_cannot_build(tmp_path):
    """hunt-14-ratio-decimal-overflow: three ratios too fine to scale are refused by check and plan, one line each."""
    folder = case("hunt-14", tmp_path)
    for command in ("check", "plan"):
        lines = refused(invoke(command, folder / "scenario.toml"), "41A00-1.children_per_staff",
                        "41A00-3.children_per_staff", "DB-ZWAAR.children_per_staff")
        assert len(lines) == 3


def test_fuzz16_ratio_precision_refused(tmp_path):
    """fuzz-16-ratio-precision-silent: 3.14159265358979 is refused ("ratio te fijn"), not planned badly."""
    folder = case("fuzz-16", tmp_path)
    assert "te fijn" in refused(invoke("check", folder / "scenario.toml"), "children_per_staff")[0]


def test_common_denominator_is_bounded():
    """Ratios that are each fine but together need a denominator above MAX_WEIGHT are refused with one line."""
    raw = read_model_dict(model_path("holland-rijnland-2025"))
    raw["products"]["41A03-1"]["children_per_staff"] = "9973/3000"
    raw["products"]["41A03-2"]["children_per_staff"] = "9967/3000"
    with pytest.raises(InputError) as info:
        build_model(raw, "m.toml")
    assert len(info.value.problems) == 1 and "gemene noemer" in str(info.value.problems[0])


def test_cost_based_tariff_keeps_the_fraction():
    """The cost-based tariff's staff per group uses the exact ratio (3 staff for a full group of 10 at 10/3)."""
    raw = read_model_dict(model_path("holland-rijnland-2025"))
    raw["products"]["DB-LICHT"]["children_per_staff"] = "3 op 10"
    raw["products"]["DB-LICHT"]["group_max"] = 10
    raw["cost_model"]["occupancy"] = 1.0
    row = next(r for r in cost_based_tariffs(build_model(raw, "m.toml")) if r.product == "DB-LICHT")
    assert row.staff_per_group == 3.0


# --- kind 5: a user's own model ------------------------------------------------------------------

CONTRACT_MODEL = '''
region = "Westfriesland"
year = 2025
weeks_per_year = 48
dagdeel_hours = 4
days = ["ma", "di", "wo", "do", "vr"]
parts = ["ochtend", "middag"]

[products.DB-VG-GEDRAG]
name = "Dagbehandeling VG gedrag"
kind = "dagbehandeling"
unit = "dagdeel"
tariff = 95.0
group_max = 4
group_min = 1
children_per_staff = 2.5
ratio_scope = "dagdeel"
min_staff = 1
parts = ["ochtend", "middag"]
max_dagdelen_per_day = 2
max_dagdelen_per_week = 8
ages = [0, 18]
mix_with = []
extra_hours_per_week = { WO = 0 }
[products.DB-VG-GEDRAG.education]
min_level = "MBO4"
min_count = { HBO = 0 }
min_share = { HBO = 0.0 }
share_scope = "week"

[cost]
hourly = { MBO3 = 40.0, MBO4 = 45.0, HBO = 55.0, WO = 70.0 }

[transport]
max_km = 30
road_factor = 1.3
bands_km = [5, 10, 20, 30]
billing = "per_day"
[transport.category]
group = [1, 2, 3, 4]
group_wheelchair = [2, 3, 4, 5]
individual = [3, 3, 4, 5]
[transport.tariff]
"1" = 10.0
"2" = 15.0
"3" = 20.0
"4" = 25.0
"5" = 30.0
'''


def test_contract_example_model_plans_with_warnings(tmp_path):
    """A model written after the contract's example (no sources) plans from a workbook; 'bron ontbreekt' is listed
    by check and plan and lands in summary.json and the report."""
    model = tmp_path / "eigen-model.toml"
    model.write_text(CONTRACT_MODEL, encoding="utf-8")
    book = write_workbook(tmp_path / "werkmap.xlsx", {
        "locations": [["location_id", "provider", "lat", "lon"], ["L1", "Eigen", 52.64, 5.06]],
        "groups": [["group_id", "location_id", "products", "capacity"], ["G1", "L1", "DB-VG-GEDRAG", 4]],
        "staff": [["staff_id", "education", "dagdelen_per_week"], ["S1", "HBO", 8], ["S2", "MBO4", 8]],
        "children": [["child_id", "municipality", "lat", "lon", "product", "dagdelen_per_week", "age"],
                     ["C1", "Hoorn", 52.641, 5.061, "DB-VG-GEDRAG", 2, 9],
                     ["C2", "Hoorn", 52.642, 5.062, "DB-VG-GEDRAG", 2, 11]]})
    checked = invoke("check", book, "--model", model)
    assert checked.exit_code == 0, checked.output
    assert "bron ontbreekt" in checked.output and "products.DB-VG-GEDRAG.tariff_source" in checked.output
    out = tmp_path / "rapport"
    planned = invoke("plan", book, "--model", model, "--time-limit", "2", "--workers", "1", "--out", out)
    assert planned.exit_code == 0, planned.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dagdelen_placed"] == 4 and summary["checker_violations"] == []
    assert any("bron ontbreekt" in w for w in summary["model_warnings"])
    overview = openpyxl.load_workbook(out / "roster.xlsx")["Overzicht"]
    assert any("bron ontbreekt" in str(c.value) for row in overview.iter_rows() for c in row)


def test_shipped_models_keep_their_sources():
    """Every model in models/ names a source for itself, each product, its tariff, cost and transport,
    and writes its closing days out."""
    for path in sorted(MODELS_DIR.glob("*.toml")):
        model = load_model(path.stem)
        assert model.warnings() == [], (path.name, [str(w) for w in model.warnings()])
        assert model.closed_days, path.name


# --- kind 6: no TOML needed ----------------------------------------------------------------------

def test_check_and_plan_a_workbook_by_model_name(tmp_path):
    """`check WERKMAP.xlsx --model NAME` works; without --model one line says what to add (no TOML error)."""
    book = tmp_path / "werkmap.xlsx"
    shutil.copy(ROOT / "scenarios" / "voorbeeld" / "voorbeeldaanbieder.xlsx", book)
    ok = invoke("check", book, "--model", "holland-rijnland-2025")
    assert ok.exit_code == 0 and "Invoer in orde" in ok.output
    lines = refused(invoke("check", book), "--model")
    assert len(lines) == 1 and "TOML" not in lines[0]
    unknown = refused(invoke("check", book, "--model", "atlantis-2099"), "atlantis-2099")
    assert "bekend" in unknown[0]


def test_template_writes_a_scenario_beside_the_workbook(tmp_path):
    """`template X.xlsx --scenario` writes X.toml that checks; neither file is overwritten without --force."""
    book = tmp_path / "nieuw.xlsx"
    made = invoke("template", book, "--model", "westfriesland-2025", "--scenario")
    assert made.exit_code == 0 and book.exists()
    text = (tmp_path / "nieuw.toml").read_text()
    assert 'model = "westfriesland-2025"' in text and 'data = "nieuw.xlsx"' in text
    assert invoke("check", tmp_path / "nieuw.toml").exit_code == 0
    (tmp_path / "nieuw.toml").write_text("# eigen werk\n")
    book.unlink()
    again = invoke("template", book, "--scenario")
    assert again.exit_code == 2 and not book.exists()
    assert (tmp_path / "nieuw.toml").read_text() == "# eigen werk\n"


def test_forecast_only_scenario_passes_check():
    """scenarios/gemeenten/kortere-trajecten.toml (no data) checks its model, changes, [forecast] and allocations."""
    result = invoke("check", ROOT / "scenarios" / "gemeenten" / "kortere-trajecten.toml")
    assert result.exit_code == 0 and "toewijzingen" in result.output


# --- kind 7: reproducible calendars --------------------------------------------------------------

def test_hunt05_closing_days_are_the_models_decision(tmp_path):
    """hunt-05-holidays-version: the forecast does not depend on an installed holidays package; Good Friday is
    closed because the model says so (April 2026 = 1,615.29), and open when the model leaves it out (1,700.31);
    both x 1.037, the index path's CAO step of 1-1-2026 (issue 19)."""
    folder = case("hunt-05", tmp_path)
    assert not hasattr(cal, "holidays")
    assert invoke("forecast", folder / "scenario.toml", "--out", tmp_path / "a").exit_code == 0
    assert "2026-04,Leiden,41A03-1,1675.06" in (tmp_path / "a" / "forecast.csv").read_text()
    raw = (MODELS_DIR / "holland-rijnland-2025.toml").read_text()
    (folder / "open-goede-vrijdag.toml").write_text(raw.replace('"Goede Vrijdag", ', ""))
    scenario = folder / "scenario.toml"
    scenario.write_text(scenario.read_text().replace('model = "holland-rijnland-2025"',
                                                     'model = "open-goede-vrijdag.toml"'))
    assert invoke("forecast", scenario, "--out", tmp_path / "b").exit_code == 0
    assert "2026-04,Leiden,41A03-1,1763.22" in (tmp_path / "b" / "forecast.csv").read_text()


def test_rule_table_dates():
    """Easter-based days, Koningsdag on the Saturday when the 27th is a Sunday, lustrum Bevrijdingsdag, dates."""
    days = cal.closed_dates(cal.DEFAULT_CLOSED, 2025)
    for d in ((4, 18), (4, 20), (4, 21), (4, 26), (5, 5), (5, 29), (6, 8), (6, 9), (1, 1), (12, 25), (12, 26)):
        assert dt.date(2025, *d) in days
    assert len(days) == 11 and dt.date(2026, 5, 5) not in cal.closed_dates(cal.DEFAULT_CLOSED, 2026)
    assert cal.closed_dates(("Goede Vrijdag", dt.date(2026, 12, 24)), 2026) == {dt.date(2026, 4, 3),
                                                                              dt.date(2026, 12, 24)}
    raw = read_model_dict(model_path("holland-rijnland-2025"))
    raw["closed_days"] = ["Goede Vrijdag", "Sinterklaas"]
    with pytest.raises(InputError, match="Sinterklaas"):
        build_model(raw, "m.toml")


# --- every value validated (fuzz-06 ... fuzz-19) ------------------------------------------------

@pytest.mark.parametrize("variant,key", [
    ("model-cps-inf.toml", "children_per_staff"), ("model-dagdeel-hours-1e300.toml", "dagdeel_hours"),
    ("model-dagdeel-hours-inf.toml", "dagdeel_hours"), ("model-extra-hours-nan.toml", "extra_hours_per_week.WO"),
    ("model-hourly-1e300.toml", "cost.hourly.MBO3"), ("model-hourly-nan.toml", "cost.hourly.MBO3"),
    ("model-tariff-inf.toml", "tariff")])
def test_fuzz06_nonfinite_model_values(tmp_path, variant, key):
    """fuzz-06-model-nonfinite-traceback: inf, nan and 1e300 in a model: check and plan exit 2 naming the key."""
    folder = case("fuzz-06", tmp_path)
    shutil.copy(folder / variant, folder / "model.toml")
    for command in ("check", "plan"):
        assert len(refused(invoke(command, folder / "scenario.toml"), "model.toml", key)) == 1


@pytest.mark.parametrize("name,folder_case,key", [
    ("scenario-seed-float.toml", "fuzz-07-solve-settings-traceback", "solve.seed"),
    ("scenario-seed-huge.toml", "fuzz-07-solve-settings-traceback", "solve.seed"),
    ("scenario-time-limit-text.toml", "fuzz-07-solve-settings-traceback", "solve.time_limit_s"),
    ("scenario-vacancy-penalty-nan.toml", "fuzz-07-solve-settings-traceback", "solve.vacancy_penalty"),
    ("scenario-weight-nan.toml", "fuzz-07-solve-settings-traceback", "solve.weights.staff_fairness"),
    ("scenario-weight-text.toml", "fuzz-07-solve-settings-traceback", "solve.weights.staff_fairness"),
    ("scenario-workers-text.toml", "fuzz-07-solve-settings-traceback", "solve.workers"),
    ("scenario-time-limit-neg.toml", "fuzz-08-solve-settings-silently-wrong", "solve.time_limit_s"),
    ("scenario-vacancies-nee-text.toml", "fuzz-08-solve-settings-silently-wrong", "solve.vacancies"),
    ("scenario-vacancy-levels-unknown.toml", "fuzz-08-solve-settings-silently-wrong", "solve.vacancy_levels"),
    ("scenario-vacancy-penalty-neg.toml", "fuzz-08-solve-settings-silently-wrong", "solve.vacancy_penalty"),
    ("scenario-workers-neg.toml", "fuzz-08-solve-settings-silently-wrong", "solve.workers"),
    ("scenario.toml", "fuzz-09-cluster-size-0-hang", "solve.cluster_size"),
    ("scenario.toml", "fuzz-10-demand-scale-huge-hang", "changes.demand_scale"),
    ("scenario-staff-scale-huge.toml", "fuzz-12-changes-not-revalidated", "changes.staff_scale"),
    ("scenario-staff-scale-neg.toml", "fuzz-12-changes-not-revalidated", "changes.staff_scale"),
    ("scenario.toml", "fuzz-19-peildatum-text-ignored", "peildatum"),
])
def test_fuzz_scenario_values(tmp_path, name, folder_case, key):
    """fuzz-07 (types), fuzz-08 (ranges), fuzz-09 (cluster_size 0), fuzz-10 (demand_scale 1e5), fuzz-12 (staff_scale),
    fuzz-19 (peildatum as text): check and plan exit 2 with one line naming the key, nothing written."""
    folder = case(folder_case, tmp_path)
    for command in ("check", "plan"):
        extra = ["--out", str(tmp_path / "out")] if command == "plan" else []
        assert len(refused(invoke(command, folder / name, *extra), key)) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option,value", [("--seed", "99999999999"), ("--workers", "-2"), ("--workers", "1000"),
                                          ("--time-limit", "nan"), ("--time-limit", "-3"), ("--time-limit", "0")])
def test_command_line_solve_values(tmp_path, option, value):
    """fuzz-07/fuzz-08: --seed beyond int32, --workers -2 or 1000, --time-limit nan/-3/0 are refused by plan."""
    folder = case("fuzz-08", tmp_path)
    shutil.copy(folder / "scenario-workers-neg.toml", folder / "ok.toml")
    text = re.sub(r"^workers = .*$", "", (folder / "ok.toml").read_text(), flags=re.M)
    (folder / "ok.toml").write_text(text)
    assert len(refused(invoke("plan", folder / "ok.toml", option, value, "--out", tmp_path / "o"), option)) == 1


def test_changes_are_validated_like_a_written_model(tmp_path):
    """A [changes] ratio, tariff or unknown product is checked after merging: one line naming scenario and key."""
    folder = case("fuzz-12", tmp_path)
    base = (folder / "scenario-staff-scale-neg.toml").read_text()
    base = re.sub(r"(?ms)^\[changes\].*?(?=^\[|\Z)", "", base)
    for change, key in (('[changes.products.41A00-1]\nchildren_per_staff = "abc"\n', "children_per_staff"),
                        ('[changes.products.41A00-1]\ntariff = -5\n', "tariff"),
                        ('[changes]\ntariff_index = nan\n', "tariff_index"),
                        ('[changes.demand_scale]\nNOPE = 2\n', "demand_scale.NOPE"),
                        ('[changes.products.NOPE]\ntariff = 5\n', "products.NOPE")):
        path = folder / "changed.toml"
        path.write_text(base + "\n" + change)
        assert len(refused(invoke("check", path), key)) == 1, change


def test_model_with_bom_and_compare_overrides(tmp_path):
    """fuzz-19 (also noted): a model saved with a UTF-8 BOM is read; compare checks --seed like plan does."""
    raw = (MODELS_DIR / "westfriesland-2025.toml").read_bytes()
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + raw)
    assert load_model(str(tmp_path / "bom.toml")).region == "Westfriesland"
    example = ROOT / "scenarios" / "voorbeeld" / "voorbeeld.toml"
    assert len(refused(invoke("compare", example, "--seed", "99999999999", "--out", tmp_path / "c"), "--seed")) == 1
    assert not (tmp_path / "c").exists()
