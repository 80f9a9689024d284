"""The search starts from the hand planner's roster (issue 16: on wall-clock limits CP-SAT's phases
often found nothing better than the hand planner in time).

Checked here: the hint every CP-SAT phase gets (phases/cpsat.hint_greedy) is a complete, feasible
solution of the formulation; the hand planner's roster completed to a CP-SAT solution
(phases/cpsat.hand_values) is the hand planner's roster at its price, on the example and on an
instance of each benchmark family; the cost phase keeps it as a candidate, so the neighbourhood
search has a start even when no CP-SAT phase produced a roster; and the pools step aside on a wall
clock when the instance is too big for their share.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ortools.sat.python import cp_model

from benchmarks.generate import generate
from benchmarks.generate_b import generate_b
from planner.inputs.scenario import load_inputs, load_scenario
from planner.solver import lns
from planner.solver.budget import Budget
from planner.solver.formulation import build, hold_placement
from planner.solver.phases import State
from planner.solver.phases.cost import Cost
from planner.solver.phases.cpsat import extract, hand_values, hint_greedy
from planner.solver.phases.hand import HandPlanner
from planner.solver.phases.placement import Placement
from planner.solver.phases.pools import VARS_PER_SECOND_IDLE, too_big, vars_per_second
from planner.solver.price import price
from planner.solver.problem import build_problem
from planner.solver.solve import hand_roster
from tests.conftest import EXAMPLE


def _settings(scenario: Path, deterministic: bool = True, limit: float = 5.0):  # type: ignore[no-untyped-def]
    return replace(load_scenario(scenario).solve, deterministic=deterministic, time_limit_s=limit, workers=1)


def _problem(scenario: Path, deterministic: bool = True, limit: float = 5.0):  # type: ignore[no-untyped-def]
    model, data = load_inputs(load_scenario(scenario))
    return build_problem(model, data, _settings(scenario, deterministic, limit))


def _instances(tmp_path: Path) -> list[Path]:
    return [EXAMPLE, generate("S", 1, tmp_path / "a"), generate_b("S", 2, tmp_path / "b")]


def test_hand_hint_is_complete_and_feasible(tmp_path: Path) -> None:
    """Every variable the hint names, fixed to its hinted value, leaves a feasible model: CP-SAT can
    start from the hand planner's roster instead of searching for a first one."""
    for scenario in _instances(tmp_path):
        pr = _problem(scenario)
        if hand_roster(pr) is None:
            continue
        f = build(pr)
        hint_greedy(f)
        proto = f.model.Proto()
        assert len(proto.solution_hint.vars) >= len(f.x) + len(f.a)
        fixed = f.model.Clone()
        for var, value in zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True):
            fixed.Add(fixed.GetIntVarFromProtoIndex(var) == value)
        fixed.ClearHints()
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = 10.0
        assert solver.Solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE), scenario


def test_hand_values_are_the_hand_roster_at_its_price(tmp_path: Path) -> None:
    """The completed solution is the hand planner's roster (children, staff, vacancies) and its objective
    in the cost phase's model is the roster's fresh price (cents)."""
    for scenario in _instances(tmp_path):
        pr = _problem(scenario)
        hand = hand_roster(pr)
        if hand is None:
            continue
        f = build(pr)
        expected = price(pr, hand)
        hold_placement(f, expected.placed)
        f.model.Minimize(f.cost())
        got = hand_values(f, 5.0, Budget.begin(_settings(scenario), reserve=False))
        assert got is not None, scenario
        values, cost = got
        roster = extract(f, values)
        assert (roster.children, roster.staff) == (hand.children, hand.staff)
        assert len(roster.vacancies) == len(hand.vacancies)
        assert cost == expected.cost
        assert set(values) == {v.Index() for v in lns.decision_vars(f)}


def test_cost_phase_starts_from_the_hand_roster_when_nothing_else_came() -> None:
    """No pools' roster, no placement from CP-SAT: the cost phase still has the hand planner's roster as a
    full candidate, so the neighbourhood search (improve) starts from it; the result never costs more."""
    pr = _problem(EXAMPLE)
    budget = Budget.begin(_settings(EXAMPLE), reserve=False)
    state = State(pr)
    HandPlanner().run(state, budget)
    assert state.hand is not None

    Placement.hand_placement(state)  # the placement a deadline would leave: the hand planner's
    Cost().run(state, budget)
    assert state.values is not None
    assert state.objective <= state.hand.cost
    assert any(cost == state.hand.cost for _, cost in state.candidates)


def test_pools_step_aside_only_on_a_wall_clock() -> None:
    """Too big for the pools' share: skipped on a wall clock, always run in deterministic mode (the same
    roster on any load)."""
    wall = Budget.begin(_settings(EXAMPLE, deterministic=False, limit=2.0), reserve=False)
    assert too_big(10**7, wall)
    assert not too_big(10, wall)
    steady = Budget.begin(_settings(EXAMPLE, deterministic=True, limit=2.0), reserve=False)
    assert not too_big(10**7, steady)


def test_pools_rate_follows_the_cpu_left() -> None:
    """Idle: the full rate; load 10 on 2 cores: a fifth (session 5's loaded measurement, 100 per second);
    a load below the CPU count is idle; an explicit rate decides `too_big` on a wall clock."""
    assert vars_per_second(2, 0.5) == VARS_PER_SECOND_IDLE
    assert vars_per_second(2, 10.0) == VARS_PER_SECOND_IDLE / 5
    assert vars_per_second(4, 8.0) == VARS_PER_SECOND_IDLE / 2
    wall = Budget.begin(_settings(EXAMPLE, deterministic=False, limit=30.0), reserve=False)
    share = wall.share("pools")
    assert not too_big(int(0.9 * 400 * share), wall, rate=400)  # the share shrinks as the clock runs
    assert too_big(int(1.1 * 400 * share) + 1, wall, rate=400)
