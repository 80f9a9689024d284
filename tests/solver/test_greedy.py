"""The greedy staffing and the hand-planner baseline give rosters the checker accepts."""

from benchmarks.baseline import baseline
from planner.core.costs import week_cost
from planner.inputs.scenario import load_inputs, load_scenario
from planner.solver.problem import build_problem
from planner.verify.check import check_roster
from tests.conftest import EXAMPLE


def test_baseline_on_the_example_passes_the_checker():
    """First-fit children and greedy staff break no rule; it places fewer dagdelen than requested."""
    sc = load_scenario(EXAMPLE)
    model, data = load_inputs(sc)
    roster = baseline(build_problem(model, data, sc.solve))
    assert check_roster(model, data, roster) == []
    assert 150 < len(roster.children) <= sum(c.dagdelen_per_week for c in data.children)
    assert week_cost(model, data, roster).total > 0
