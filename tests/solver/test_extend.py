"""Placing across cluster borders (extend.py): more dagdelen, nobody loses one, every rule holds, the cost adds up."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from benchmarks.baseline import baseline
from planner.core.costs import week_cost
from planner.inputs.scenario import load_inputs, load_scenario
from planner.solver.flow import placement_flow
from planner.solver.post.extend import place_more
from planner.solver.problem import build_problem, cents
from planner.solver.request import SolveRequest
from planner.solver.solve import Result
from planner.verify.check import check_roster
from tests import builders as b
from tests.plan.test_plan import instances

REQUEST = SolveRequest.of(b.settings())  # deterministic: the same moves on any load


def _hand_planner(pr) -> Result:
    """The spreadsheet roster (benchmarks/baseline.py) as a solve result, its cost from costs.week_cost."""
    roster = baseline(pr)
    cost = week_cost(pr.model, pr.data, roster)
    penalty = cents(pr.rules.vacancy_penalty) * len(roster.vacancies)
    terms = {"personeel": cost.staff / 100, "vacatures": cost.vacancies / 100, "specialisten": cost.specialists / 100,
             "vervoer": cost.transport / 100, "groepen": cost.groups / 100, "vacaturestraf": penalty / 100}
    return Result("FEASIBLE", "FEASIBLE", (cost.total + penalty) / 100, 0.0, 0.0, 1.0, 0.0, roster, terms,
                  placed=len(roster.children), placed_bound=placement_flow(pr).placed)


def _assert_sound(pr, before: Result, after: Result) -> None:
    assert check_roster(pr.model, pr.data, after.roster, pr.rules.vacancies) == []
    assert before.placed <= after.placed == len(after.roster.children) <= after.placed_bound
    old = Counter(c for c, _, _ in before.roster.children)
    new = Counter(c for c, _, _ in after.roster.children)
    assert all(new[c] >= n for c, n in old.items())  # nobody loses a dagdeel
    cost = week_cost(pr.model, pr.data, after.roster)
    penalty = cents(pr.rules.vacancy_penalty) * len(after.roster.vacancies)
    assert round(after.objective * 100) == cost.total + penalty
    named = ("personeel", "vacatures", "specialisten", "vervoer", "groepen")
    assert round(sum(after.terms.get(k, 0.0) for k in named) * 100) == cost.total


def test_a_child_split_over_two_clusters_gets_both_dagdelen():
    """X can only come on Monday at A and on Tuesday at B. The split sends X to A's cluster (nearer),
    where only Monday exists; across the border X gets Tuesday at B too."""
    locations = [b.loc("A", lat=52.10, lon=4.40), b.loc("B", lat=52.20, lon=4.40)]
    groups = [b.group("GA", "DB-VG-GEDRAG", capacity=6, location="A", open="ma-ochtend"),
              b.group("GB", "DB-VG-GEDRAG", capacity=6, location="B", open="di-ochtend")]
    staff = [b.staff("SA", "HBO", 4, locations=("A",)), b.staff("SB", "HBO", 4, locations=("B",))]
    kids = [b.child("X", "DB-VG-GEDRAG", 2, lat=52.14, lon=4.40, transport="eigen", age=9),
            b.child("YA", "DB-VG-GEDRAG", 1, lat=52.10, lon=4.41, transport="eigen", age=9),
            b.child("YB", "DB-VG-GEDRAG", 1, lat=52.20, lon=4.41, transport="eigen", age=9)]
    data = b.data(locations, groups, staff, kids)
    plan = b.plan(b.model(), data, decompose="ja", cluster_size=1, time_limit_s=4)
    assert plan.violations == [] and plan.result.clusters == 2
    assert plan.placed == 4 == plan.result.placed_bound and plan.result.placement_status == "OPTIMAL"
    assert sorted(g for c, g, _ in plan.result.roster.children if c == "X") == ["GA", "GB"]


def test_an_optional_group_is_opened_when_a_child_moves_in():
    """C2 fits only in the optional group G0 (two dagdelen) or beside C0 in G1 (one): found by
    Hypothesis, where the roster put C2 in G0 without opening it."""
    locations = [b.loc("L1"), b.loc("L2", lat=52.2, lon=4.45)]
    groups = [b.group("G0", "DB-VG-ZWAAR", capacity=2, location="L1", open="ma-ochtend, ma-middag", optional=True,
                      opening_cost_per_week=50),
              b.group("G1", "DB-VG-ZWAAR", capacity=2, location="L2", open="ma-middag")]
    kids = [b.child("C0", "DB-VG-ZWAAR", 1, "ma-middag", transport="eigen", age=9),
            b.child("C2", "DB-VG-ZWAAR", 2, "ma-ochtend, ma-middag", transport="eigen", age=9)]
    pr = build_problem(b.model(), b.data(locations, groups, (), kids), b.settings(vacancies=True))
    hand = _hand_planner(pr)
    before = _without_every_other(pr, hand)
    assert before.placed == 1
    after = place_more(pr, before, before.placed_bound, 5.0, REQUEST)
    _assert_sound(pr, before, after)
    assert after.placed == 3 and after.roster.opened == ("G0",)
    assert after.terms["groepen"] == 50.0


def test_the_hand_planners_roster_of_the_example_gets_more_dagdelen():
    scenario = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "voorbeeld" / "voorbeeld.toml")
    model, data = load_inputs(scenario)
    pr = build_problem(model, data, scenario.solve)
    before = _hand_planner(pr)
    after = place_more(pr, before, before.placed_bound, 5.0, SolveRequest.of(scenario.solve))
    assert after.placed > before.placed
    _assert_sound(pr, before, after)


def _without_every_other(pr, result: Result) -> Result:
    """The roster with every other child-dagdeel taken out where its group-dagdeel keeps a child:
    still a valid roster (checked), with room to place more."""
    rows = list(result.roster.children)
    left = Counter((g, d) for _, g, d in rows)
    kept = []
    for i, (c, g, d) in enumerate(rows):
        if i % 2 and left[(g, d)] > 1:
            left[(g, d)] -= 1
        else:
            kept.append((c, g, d))
    roster = replace(result.roster, children=tuple(kept))
    if check_roster(pr.model, pr.data, roster, True):
        return result
    cost = week_cost(pr.model, pr.data, roster)
    penalty = cents(pr.rules.vacancy_penalty) * len(roster.vacancies)
    terms = dict(result.terms, vervoer=cost.transport / 100, specialisten=cost.specialists / 100)
    return replace(result, roster=roster, placed=len(kept), terms=terms, objective=(cost.total + penalty) / 100)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_hand_rosters_stay_sound(instance):
    """From the hand planner's roster with half its dagdelen taken out, at least the hand planner's
    number comes back (its own placement is one answer), and every rule holds."""
    data, _ = instance
    pr = build_problem(b.model(), data, b.settings(vacancies=True))
    hand = _hand_planner(pr)
    before = _without_every_other(pr, hand)
    after = place_more(pr, before, before.placed_bound, 5.0, REQUEST)
    _assert_sound(pr, before, after)
    assert after.placed >= hand.placed
