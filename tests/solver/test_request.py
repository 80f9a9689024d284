"""Point 4 of issue 18: the problem holds what changes the model; search settings and replanning travel beside it."""

from __future__ import annotations

from dataclasses import fields, replace

from planner.core.ids import IdIndex, positions
from planner.inputs.scenario import SolveSettings
from planner.solver.problem import ModelRules, ProblemData, build_problem
from planner.solver.replan import PreviousRoster, replanning
from planner.solver.request import SolveRequest
from tests import builders as b


def _problem(**kw) -> ProblemData:
    groups = [b.group("G1", "DBS-MIDDEN", capacity=4, open="ma-ochtend, di-ochtend"),
              b.group("G2", "DBS-MIDDEN", capacity=4, open="ma-ochtend")]
    staff = [b.staff("S1", "HBO", 4), b.staff("S2", "MBO4", 4)]
    kids = [b.child("C1", "DBS-MIDDEN", 2), b.child("C2", "DBS-MIDDEN", 1)]
    return build_problem(b.model(), b.data(None, groups, staff, kids), b.settings(**kw))


def test_every_solve_setting_is_either_the_models_or_the_searchs():
    """Each field of [solve] lands in exactly one of ModelRules (changes the model) and SolveRequest (how
    long and how to search): none is dropped, none is in both."""
    rules = {f.name for f in fields(ModelRules)}
    search = {f.name for f in fields(SolveRequest)}
    assert rules.isdisjoint(search)
    assert rules | search == {f.name for f in fields(SolveSettings)}


def test_problem_holds_no_search_settings_and_no_previous_roster():
    """ProblemData has no time limit, seed, workers, mode or previous roster; only the model's rules."""
    names = {f.name for f in fields(ProblemData)}
    assert names.isdisjoint({"settings", "previous", *(f.name for f in fields(SolveRequest))})
    assert "rules" in names


def test_the_same_problem_whatever_the_search():
    """Two scenarios that differ only in time limit, seed, workers or mode give equal problems (one
    build serves every search); a model rule (vacancies) gives another problem."""
    base = _problem()
    assert _problem(time_limit_s=99, seed=7, workers=1, deterministic=False, decompose="nee") == base
    assert _problem(vacancies=False) != base
    request = SolveRequest.of(b.settings(seed=7, workers=1))
    assert (request.seed, request.workers, request.deterministic) == (7, 1, True)


def test_codec_maps_ids_to_positions_and_back():
    """pr.ids: every child, staff member, group, location and dagdeel at its input position; roster rows
    become index triples and name the same people, groups and dagdelen."""
    pr = _problem()
    assert [pr.ids.child[c.id] for c in pr.children] == list(range(len(pr.children)))
    assert [pr.ids.staff[s.id] for s in pr.staff] == list(range(len(pr.staff)))
    assert [pr.ids.group[g.id] for g in pr.groups] == list(range(len(pr.groups)))
    assert [pr.ids.location[x] for x in pr.location_ids] == list(range(len(pr.location_ids)))
    assert [pr.ids.dagdeel[d] for d in pr.week] == list(range(len(pr.week)))
    rows = (("C2", "G2", "ma-ochtend"), ("C1", "G1", "di-ochtend"))
    assert {(pr.children[c].id, pr.groups[g].id, pr.week[d]) for c, g, d in pr.ids.placements(rows)} == set(rows)
    assert pr.ids.duties([("S2", "G1", "ma-ochtend")]) == {(1, 0, pr.week.index("ma-ochtend"))}
    assert IdIndex.of(["a"], [], [], [], []).child.get("b") is None
    assert positions(["x", "y"]) == {"x": 0, "y": 1}


def test_replanning_input_is_built_beside_the_problem():
    """The previous roster is indexed against the problem (hints and pins) without changing it; no
    previous roster, no replanning input."""
    pr = _problem()
    before = replace(pr)
    previous = PreviousRoster("vorig.csv", (("C1", "G1", "ma-ochtend"),), (("S1", "G1", "ma-ochtend"),), (),
                              {"G1": "L1"})
    index = replanning(pr, previous, frozenset({"children"}))
    assert index is not None and pr == before
    c1, g1, ma = pr.ids.child["C1"], pr.ids.group["G1"], pr.ids.dagdeel["ma-ochtend"]
    assert index.x_on == {(c1, g1, ma)} and index.x_pinned == {(c1, g1, ma)} and not index.a_pinned
    assert replanning(pr, None) is None
