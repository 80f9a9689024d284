"""Remake the regression cases: their rosters, and the verdict and price each roster has today.

    PYTHONPATH=. .venv/bin/python -m tests.regression.regenerate verdicts [CASE ...]
    PYTHONPATH=. .venv/bin/python -m tests.regression.regenerate rosters [CASE ...]

`verdicts` rewrites only `expected.json` of each case from the stored scenario and roster: the
checker's violations counted by rule id and the week's cost from verify's own price. Run it after a
deliberate change of a rule or of the pricing, and read the diff of the json files before committing
it: every changed figure is a changed behaviour.

`rosters` first makes the cases' inputs and rosters again, then their verdicts:

* `voorbeeld`: the example (scenarios/voorbeeld) solved by `planner plan` in deterministic mode;
* `hand-a-S`, `hand-b-S`: instance family a resp. b, size S, seed 1 (benchmarks/generate*.py), with
  the hand planner's roster (benchmarks/baseline.py), as the benchmarks compare it;
* `regels-gebroken`: the `voorbeeld` roster with four deliberate faults (see `_break`), so that the
  verdict lists broken rules by id; the script refuses to write it when one of them goes unnoticed.

Nothing here runs in the test suite (tests/regression/test_regression.py only re-checks and re-prices).
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.baseline import baseline
from benchmarks.generate import generate
from benchmarks.generate_b import generate_b
from planner.app.plan import make_plan
from planner.app.recheck import recheck
from planner.inputs.scenario import load_inputs, load_scenario
from planner.report.files import write_plan
from planner.solver.problem import build_problem
from planner.verify.price import price_roster

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = ("voorbeeld", "hand-a-S", "hand-b-S", "regels-gebroken")
HEADER = ["dagdeel", "location_id", "group_id", "role", "person_id", "product", "education"]
# regels-gebroken: the rules its faults break on purpose (more may follow from them)
INTENDED = ("een_groep_per_dagdeel", "ratio", "product_groep", "indicatie")


def verdict(case: Path) -> dict:
    """The case's checker verdict (violations by rule id) and verify's weekly price, in cents."""
    scenario = load_scenario(case / "scenario.toml")
    model, data = load_inputs(scenario)
    found = recheck(model, data, case / "roster.csv", scenario.solve.vacancies)
    price = price_roster(model, data, found.roster)
    return {"violations": dict(sorted(Counter(v.rule for v in found.violations).items())),
            "cost_per_week_cents": {**price.terms(), "total": price.total},
            "transport_days": len(price.rides)}


def write_verdict(case: Path) -> None:
    about = json.loads((case / "expected.json").read_text(encoding="utf-8")).get("about", "") \
        if (case / "expected.json").exists() else ""
    found = verdict(case)
    (case / "expected.json").write_text(json.dumps({"about": about, **found}, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")


def _write_roster(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def _voorbeeld(case: Path) -> None:
    shutil.copy(ROOT / "scenarios" / "voorbeeld" / "voorbeeldaanbieder.xlsx", case / "voorbeeldaanbieder.xlsx")
    text = (ROOT / "scenarios" / "voorbeeld" / "voorbeeld.toml").read_text(encoding="utf-8")
    (case / "scenario.toml").write_text(text.replace("[solve]\n", "[solve]\ndeterministic = true\n"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        plan = make_plan(load_scenario(case / "scenario.toml"))
        assert not plan.violations, plan.violations
        write_plan(plan, Path(tmp) / "out")
        shutil.copy(Path(tmp) / "out" / "roster.csv", case / "roster.csv")
    _set_about(case, "the example (scenarios/voorbeeld) as planner plan solves it in deterministic mode")


def _hand(case: Path, family: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        made = {"a": generate, "b": generate_b}[family]("S", 1, Path(tmp))
        shutil.rmtree(case / "data", ignore_errors=True)
        shutil.copytree(made.parent / "data", case / "data")
        shutil.copy(made, case / "scenario.toml")
    scenario = load_scenario(case / "scenario.toml")
    model, data = load_inputs(scenario)
    roster = baseline(build_problem(model, data, scenario.solve))
    where = {g.id: g.location_id for g in data.groups}
    product = {c.id: c.product for c in data.children}
    level = {s.id: s.education for s in data.staff}
    rows = [[d, where[g], g, "child", c, product[c], ""] for c, g, d in roster.children]
    rows += [[d, where[g], g, "staff", s, "", level[s]] for s, g, d in roster.staff]
    rows += [[d, where[g], g, "vacancy", v, "", lv] for v, lv, g, d in roster.vacancies]
    _write_roster(case / "roster.csv", rows)
    _set_about(case, f"family {family}, size S, seed 1 (benchmarks/generate{'' if family == 'a' else '_b'}.py) "
                     "with the hand planner's roster (benchmarks/baseline.py)")


def _break(case: Path) -> None:
    """The example's roster with four faults: a staff member on two groups in one dagdeel, a
    group-dagdeel without its staff, a child in a group that does not offer its product, a child
    on more dagdelen than its indication."""
    source = HERE / "voorbeeld"
    for name in ("scenario.toml", "voorbeeldaanbieder.xlsx"):
        shutil.copy(source / name, case / name)
    with (source / "roster.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    staff = [r for r in rows if r[3] == "staff"]
    kids = [r for r in rows if r[3] == "child"]
    first = staff[0]  # 1. the first staff member also on another group on the same dagdeel
    other = next(r for r in rows if r[0] == first[0] and r[2] != first[2])
    rows.append([first[0], other[1], other[2], "staff", first[4], "", first[6]])
    # 2. the last group-dagdeel with children loses its staff and vacancies
    d, g = kids[-1][0], kids[-1][2]
    rows = [r for r in rows if not (r[0] == d and r[2] == g and r[3] in ("staff", "vacancy"))]
    # 3. a child in a group of another product, on a dagdeel it has free
    products = {r[2]: set() for r in rows}
    for r in kids:
        products[r[2]].add(r[5])
    child = kids[0]
    busy = {r[0] for r in kids if r[4] == child[4]}
    wrong = next(r for r in rows if r[3] == "child" and child[5] not in products[r[2]] and r[0] not in busy)
    rows.append([wrong[0], wrong[1], wrong[2], "child", child[4], child[5], ""])
    # 4. a child on every dagdeel of its group's week it is not yet on: beyond its indication
    extra = kids[1]
    busy = {r[0] for r in rows if r[4] == extra[4]}
    rows += [[r[0], extra[1], extra[2], "child", extra[4], extra[5], ""] for r in rows
             if r[2] == extra[2] and r[0] not in busy and r[3] == "staff"][:3]
    _write_roster(case / "roster.csv", rows)
    _set_about(case, "the voorbeeld roster with four deliberate faults (tests/regression/regenerate.py, _break)")
    missing = [rule for rule in INTENDED if rule not in verdict(case)["violations"]]
    if missing:
        raise SystemExit(f"regels-gebroken: the checker did not see {', '.join(missing)}")


def _set_about(case: Path, text: str) -> None:
    path = case / "expected.json"
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    path.write_text(json.dumps({**old, "about": text}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in ("verdicts", "rosters"):
        raise SystemExit(__doc__)
    names = argv[1:] or list(CASES)
    for name in names:
        case = HERE / name
        case.mkdir(exist_ok=True)
        if argv[0] == "rosters":
            {"voorbeeld": _voorbeeld, "hand-a-S": lambda c: _hand(c, "a"), "hand-b-S": lambda c: _hand(c, "b"),
             "regels-gebroken": _break}[name](case)
        write_verdict(case)
        print(f"{name}: {json.loads((case / 'expected.json').read_text(encoding='utf-8'))['violations'] or 'geldig'}")


if __name__ == "__main__":
    main(sys.argv[1:])
