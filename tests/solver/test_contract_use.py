"""Minimum contract use, `[solve] min_contract_use` (issue 21 point 4): solver, hand planner, decomposition,
post steps and the independent checker hold every staff member to the same minimum."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from typer.testing import CliRunner

from planner.app.plan import make_plan_from
from planner.cli import app
from planner.core.roster import Roster
from planner.inputs.contract_minimum import Minimum, minimum, minimums, warnings
from planner.inputs.scenario import load_inputs, load_scenario
from planner.inputs.week import dated_data
from planner.solver.crew import minimum_clusters
from planner.solver.decompose import location_clusters
from planner.solver.phases.hand import hand_roster
from planner.solver.post.repair import fill
from planner.solver.problem import build_problem
from planner.solver.replan import PreviousRoster
from planner.verify.check import check_roster
from tests import builders as b
from tests.conftest import write_scenario, write_workbook

HR = "holland-rijnland-2025"


def _two_on_monday():
    """Two children on Monday morning need one staff member; S1 and S2 have a contract of 4 dagdelen each."""
    m = b.model(HR)
    people = [b.staff("S1", "HBO", 4, name="Anna"), b.staff("S2", "HBO", 4, name="Bram")]
    kids = [b.child("C1", "41A03-1", 1, age=9, available="ma-ochtend"),
            b.child("C2", "41A03-1", 1, age=9, available="ma-ochtend")]
    groups = [b.group("G1", "41A03-1", open="ma, di"), b.group("G2", "41A03-1", open="ma, di")]
    return m, b.data(groups=groups, staff_=people, children=kids)


def _worked(roster: Roster) -> Counter:
    return Counter(s for s, _, _ in roster.staff)


def test_minimum_binds_and_costs_more():
    """Without the option one staff dagdeel covers the week; at 0.5 both work 2 of 4 dagdelen, the roster
    costs more and the unused contract hours fall by as much."""
    m, data = _two_on_monday()
    free = b.plan(m, data, time_limit_s=3, workers=1)
    assert free.violations == [] and free.placed == 2
    assert sum(_worked(free.result.roster).values()) == 1  # someone is rostered 0 of 4
    held = b.plan(m, data, time_limit_s=3, workers=1, min_contract_use=0.5)
    assert held.violations == [] and held.placed == 2
    assert _worked(held.result.roster) == Counter({"S1": 2, "S2": 2})
    assert held.cost.total > free.cost.total
    assert free.cost.unused_contract - held.cost.unused_contract == held.cost.staff - free.cost.staff
    assert held.cost.paid == free.cost.paid  # paid their contract either way: only the rostering changes


def test_checker_names_the_person_and_the_shortfall():
    """A roster where Bram works 0 of a required 2 dagdelen breaks rule contractgebruik, in Dutch."""
    m, data = _two_on_monday()
    roster = Roster((("C1", "G1", "ma-ochtend"), ("C2", "G1", "ma-ochtend")), (("S1", "G1", "ma-ochtend"),),
                    (), ())
    assert check_roster(m, data, roster) == []
    found = check_roster(m, data, roster, True, 0.5)
    assert [v.rule for v in found] == ["contractgebruik", "contractgebruik"]
    bram = next(v.message for v in found if v.message.startswith("S2"))
    assert bram == ("S2 (Bram): 0 dagdelen ingeroosterd, minimaal 2 (50% van 4 contractdagdelen); "
                    "tekort 2 dagdelen")


def test_minimum_is_capped_at_availability_with_a_warning():
    """Cas may work only on Tuesday afternoon, when no child comes: his minimum is 1 (not 4 of 5), planner
    check warns by name, and the plan stands him on an open group without children."""
    m, data = _two_on_monday()
    cas = b.staff("S3", "MBO3", 5, name="Cas", available="di-middag")
    data = replace(data, staff=data.staff + (cas,))
    assert minimum(m, data, cas, 0.8) == Minimum(base=5, wanted=4, possible=1, required=1)
    said = [str(w) for w in warnings(m, data, 0.8)]
    assert len(said) == 1 and "S3 (Cas)" in said[0] and "hoogstens 1" in said[0]
    plan = b.plan(m, data, time_limit_s=3, workers=1, min_contract_use=0.8)
    assert plan.violations == []
    assert [(g, d) for s, g, d in plan.result.roster.staff if s == "S3"] in ([("G1", "di-middag")],
                                                                           [("G2", "di-middag")])
    assert all(_worked(plan.result.roster)[s.id] >= 4 for s in data.staff if s.id != "S3")


def test_leave_and_closing_days_lower_the_minimum():
    """4 dagdelen of a contract of 8 lost to leave: 0.75 x (8 - 4) = 3 dagdelen, not 6."""
    m = b.model(HR)
    person = b.staff("S1", "HBO", 8, off_dagdelen=4)
    data = b.data(groups=[b.group("G1", "41A03-1")], staff_=[person])
    assert minimum(m, data, person, 0.75).required == 3
    assert minimum(m, data, replace(person, off_dagdelen=0), 0.75).required == 6


def test_hand_planner_meets_the_minimum():
    """The hand planner's roster is a candidate with the option on: everyone at their minimum, checker clean."""
    m, data = _two_on_monday()
    pr = build_problem(m, data, b.settings(min_contract_use=0.75))
    roster = hand_roster(pr)
    assert roster is not None
    need = minimums(m, data, 0.75)
    assert all(_worked(roster)[k] >= v.required == 3 for k, v in need.items())
    assert check_roster(m, data, roster, True, 0.75) == []


def test_filling_vacancies_keeps_the_minimum():
    """repair.fill only adds own staff: a roster that met the minimum still does after it."""
    m, data = _two_on_monday()
    pr = build_problem(m, data, b.settings(min_contract_use=0.5))
    roster = Roster((("C1", "G1", "ma-ochtend"), ("C2", "G1", "ma-ochtend")),
                    (("S1", "G2", "di-ochtend"), ("S1", "G2", "di-middag"), ("S2", "G2", "ma-middag"),
                     ("S2", "G1", "di-middag")), (("vacature-HBO-1", "HBO", "G1", "ma-ochtend"),), ())
    filled, n = fill(pr, roster)
    assert n == 1 and not filled.vacancies
    assert all(_worked(filled)[s] >= _worked(roster)[s] for s in ("S1", "S2"))
    assert check_roster(m, data, filled, True, 0.5) == []


def test_replanning_with_a_pin_keeps_the_minimum():
    """Replanning from last week's roster with Anna pinned to her Monday morning: the pin holds and both
    still reach their minimum of 2 dagdelen."""
    m, data = _two_on_monday()
    data = replace(data, staff=(replace(data.staff[0], pinned=True), data.staff[1]))
    before = PreviousRoster("vorig.csv", (("C1", "G1", "ma-ochtend"), ("C2", "G1", "ma-ochtend")),
                            (("S1", "G1", "ma-ochtend"),), (), {"G1": "L1", "G2": "L1"})
    plan = make_plan_from(m, data, b.settings(time_limit_s=3, workers=1, min_contract_use=0.5), previous=before)
    assert plan.violations == []
    assert ("S1", "G1", "ma-ochtend") in plan.result.roster.staff
    assert _worked(plan.result.roster) == Counter({"S1": 2, "S2": 2})


SITES = {"A1": (52.10, 4.40), "A2": (52.11, 4.41), "B1": (52.30, 4.70), "B2": (52.31, 4.71)}


def _clustered(open_b: str = "ma, di, wo"):
    model = b.model()
    locations = [b.loc(k, lat=lat, lon=lon) for k, (lat, lon) in SITES.items()]
    groups = [b.group(f"G{k}", "DBS-MIDDEN, DB-VG-GEDRAG", capacity=6, location=k,
                      open="ma, di, wo" if k.startswith("A") else open_b) for k in SITES]
    staff = [b.staff(f"S{i}", "HBO" if i % 2 else "MBO4", 6) for i in range(8)]
    kids = [b.child(f"C{k}{i}", "DBS-MIDDEN" if i % 2 else "DB-VG-GEDRAG", 2, lat=lat + 0.004 * i, lon=lon)
            for k, (lat, lon) in SITES.items() for i in range(3)]
    return model, b.data(locations, groups, staff, kids)


def test_decomposed_plan_keeps_everyones_minimum():
    """Solved by cluster, each person's minimum holds inside their cluster and on the merged roster."""
    model, data = _clustered()
    plan = b.plan(model, data, decompose="ja", cluster_size=2, time_limit_s=8, min_contract_use=0.8)
    assert plan.result.clusters == 2
    assert plan.violations == []
    need = minimums(model, data, 0.8)
    assert all(_worked(plan.result.roster)[k] >= v.required == 5 for k, v in need.items())


def test_minimum_needing_two_clusters_is_solved_whole():
    """A person who can meet their minimum only across both clusters: no cluster holds it, so the
    instance is solved undivided, and the minimum holds."""
    model, data = _clustered(open_b="do, vr")
    data = replace(data, staff=data.staff + (b.staff("S9", "HBO", 10, name="Dirk"),))
    pr = build_problem(model, data, b.settings(decompose="ja", cluster_size=2, min_contract_use=1.0))
    fits = minimum_clusters(pr, location_clusters(data, 2))
    assert fits[-1] == set() and all(f for f in fits[:-1])
    plan = b.plan(model, data, decompose="ja", cluster_size=2, time_limit_s=8, min_contract_use=1.0)
    assert plan.result.clusters == 0 and plan.violations == []
    assert _worked(plan.result.roster)["S9"] == 10


def test_bad_value_is_one_dutch_line_and_exit_2(tmp_path, small_sheets):
    """min_contract_use outside 0..1 or not a number: planner check names file and key, exit 2."""
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    for value, words in (("1.5", "mag hoogstens 1"), ("-0.1", "moet minstens 0"),
                         ('"veel"', "verwacht een getal")):
        path = write_scenario(tmp_path, "data.xlsx", extra=f"[solve]\nmin_contract_use = {value}\n")
        result = CliRunner().invoke(app, ["check", str(path)])
        assert result.exit_code == 2, result.output
        lines = [x for x in result.output.splitlines() if "min_contract_use" in x]
        assert len(lines) == 1 and words in lines[0] and "scenario.toml" in lines[0], result.output
        assert "Traceback" not in result.output


def test_a_dated_week_takes_leave_and_closing_days_off_the_base(tmp_path, small_sheets):
    """2026-W03: S1 (contract 8) on leave Monday and Tuesday, L1 closed on Friday: 6 workable dagdelen lost,
    so at 0.5 the minimum is 1 (not 4); the plan of that week meets it and says the option in summary.json."""

    small_sheets["leave"] = [["staff_id", "from", "to"], ["S1", "2026-01-12", "2026-01-13"]]
    small_sheets["closing_days"] = [["date", "location_id"], ["2026-01-16", "L1"]]
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    path = write_scenario(tmp_path, "data.xlsx", extra="[solve]\nmin_contract_use = 0.5\n")
    sc = load_scenario(path)
    model, data = load_inputs(sc)
    week, _ = dated_data(model, data, sc.data_path, (2026, 3), None)
    s1 = week.staff[0]
    assert s1.off_dagdelen == 6
    assert minimum(model, week, s1, 0.5) == Minimum(base=2, wanted=1, possible=4, required=1)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["plan", str(path), "--week", "2026-W03", "--out", str(out),
                                      "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["min_contract_use"] == 0.5 and summary["checker_violations"] == []
    assert summary["staff_dagdelen"] >= 1


def test_planner_check_warns_when_availability_is_below_the_minimum(tmp_path, small_sheets):
    """S1 (contract 8) is available on Monday morning only: at 0.8 `planner check` names S1, exit 0."""
    small_sheets["staff"] = [["staff_id", "education", "dagdelen_per_week", "available"],
                             ["S1", "HBO", 8, "ma-ochtend"]]
    write_workbook(tmp_path / "data.xlsx", small_sheets)
    path = write_scenario(tmp_path, "data.xlsx", extra="[solve]\nmin_contract_use = 0.8\n")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert ("waarschuwing: staff, column available: S1: minimaal 7 dagdelen ingeroosterd (80% van 8), maar "
            "beschikbaar op hoogstens 1; de eis wordt 1") in " ".join(result.output.split())
