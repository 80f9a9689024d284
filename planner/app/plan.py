"""`planner plan`: solve, check, cost, explain, and write the report folder whole."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.app.changes import Change, ChangeSummary, diff
from planner.app.diagnose import WaitRow, waitlist
from planner.core.costs import WeekCost, week_cost
from planner.core.roster import Roster
from planner.inputs.catalogue import RegionModel
from planner.inputs.data import ProviderData
from planner.inputs.errors import InputError, Problem
from planner.inputs.scenario import Scenario, SolveSettings, load_inputs
from planner.inputs.week import Period, dated_data
from planner.solver.decompose import should_decompose, solve_by_clusters
from planner.solver.post.repair import fill_vacancies
from planner.solver.problem import ModelRules, ProblemData, build_problem
from planner.solver.replan import PreviousRoster, read_previous, replanning
from planner.solver.request import SolveRequest
from planner.solver.solve import Budget, Interrupt, Progress, Result, solve
from planner.verify.check import Violation, check_roster
from planner.verify.pins import check_pins
from planner.verify.price import compare_terms, price_roster


@dataclass(frozen=True)
class Plan:
    scenario: Scenario
    model: RegionModel
    data: ProviderData
    problem: ProblemData
    result: Result
    cost: WeekCost
    waitlist: list[WaitRow]
    violations: list[Violation]
    previous: PreviousRoster | None = None  # replanning: the roster this one started from
    changes: tuple[Change, ...] = ()
    change_summary: ChangeSummary | None = None
    period: Period = Period()  # the dated week (--week), or the template week

    @property
    def requested(self) -> int:
        return sum(c.dagdelen_per_week for c in self.data.children)

    @property
    def placed(self) -> int:
        return len(self.result.roster.children)

    def vacancy_dagdelen(self) -> dict[str, int]:
        return dict(Counter(lv for _, lv, _, _ in self.result.roster.vacancies))

    def soft_bent(self) -> list[tuple[str, str]]:
        """Named soft rules the plan bent: (rule, who), readable for a planner."""
        roster = self.result.roster
        bent = [("kind_in_een_groep", f"{child_id} in {len(groups)} groepen: {', '.join(sorted(groups))}")
                for child_id, groups in _several_groups(roster.children)]
        bent += [("vaste_medewerker_op_groep", f"{staff_id} op {len(groups)} groepen")
                 for staff_id, groups in _several_groups(roster.staff)]
        return bent


def _several_groups(rows: tuple[tuple[str, str, str], ...]) -> list[tuple[str, set[str]]]:
    """People (by id, sorted) who appear in more than one group over the week."""
    groups_of: dict[str, set[str]] = defaultdict(set)
    for person, group_id, _ in rows:
        groups_of[person].add(group_id)
    return [(person, groups) for person, groups in sorted(groups_of.items()) if len(groups) > 1]


def make_plan(scenario: Scenario, report: Callable[[Progress], None] | None = None,
              previous: Path | None = None, keep: frozenset[str] = frozenset(),
              week: tuple[int, int] | None = None, started: float | None = None) -> Plan:
    """Plan a scenario; with `previous` (a roster.csv) replan from it with as few changes as possible;
    with `week` (ISO year, week) plan that dated week (week.py), else the template week on the peildatum.
    `started`: the perf_counter() instant the time limit counts from (the command line: the process's
    start, budget.process_start); default now: reading the inputs is part of it."""
    started = time.perf_counter() if started is None else started
    model, data = load_inputs(scenario)
    data, period = dated_data(model, data, scenario.data_path, week, scenario.peildatum)
    before = read_previous(previous, tuple(model.parts)) if previous is not None else None
    return make_plan_from(model, data, scenario.solve, report, scenario, before, keep, started, period)


def make_plan_from(model: RegionModel, data: ProviderData, settings: SolveSettings,
                   report: Callable[[Progress], None] | None = None, scenario: Scenario | None = None,
                   previous: PreviousRoster | None = None, keep: frozenset[str] = frozenset(),
                   started: float | None = None, period: Period | None = None) -> Plan:
    """Solve, then re-check every rule and recompute the cost without the solver. `started`: the
    perf_counter() instant the time limit counts from (default: now; budget.py); `period`: the dated
    week the data was cut to (week.py)."""
    request = SolveRequest.of(settings)
    with Interrupt() as interrupt:
        budget = Budget.begin(request, interrupt, started)
        problem = build_problem(model, data, ModelRules.of(settings))
        index = replanning(problem, previous, keep)
        if should_decompose(problem, request):
            result = solve_by_clusters(problem, request, report, previous, keep, budget=budget)
        else:
            result = solve(problem, report, budget, previous=index)
    result = fill_vacancies(problem, result, index)
    pins = index is not None and (index.x_pinned or index.a_pinned)
    if pins and result.status == "INFEASIBLE":
        raise InputError([Problem(Path(previous.source).name if previous else "vorig rooster",
                                  "de vastgezette toewijzingen (--keep of kolom pinned) kunnen niet samen "
                                  "gelden met de regels en de nieuwe gegevens; zet minder vast")])
    violations = check_roster(model, data, result.roster, settings.vacancies, settings.min_contract_use)
    if previous is not None:
        before = Roster(previous.children, previous.staff, (), ())
        violations += check_pins(model, data, result.roster, before, keep)
    cost = week_cost(model, data, result.roster, period)
    if result.objective:  # the solver's price against the checker's own, term by term (verify/price.py)
        violations += compare_terms(result.terms, price_roster(model, data, result.roster))
    scenario = scenario or Scenario("test", Path("test.toml"), model.region, Path("."), settings, {})
    changes: tuple[Change, ...] = ()
    change_summary = None
    if previous is not None:
        found, change_summary = diff(problem, previous, result.roster, index)
        changes = tuple(found)
    waiting = waitlist(problem, result.roster, budget.diagnosis_seconds(), request.seed, budget.deterministic)
    return Plan(scenario, model, data, problem, result, cost, waiting, violations,
                previous, changes, change_summary, period or Period())


def no_roster(plan: Plan) -> str | None:
    """Why this plan is no roster to hand out (one Dutch line), or None when it is one.

    MODEL_INVALID means the planner built a model CP-SAT refuses (a bug: settings are validated
    before the solve); INFEASIBLE or UNKNOWN with nothing placed means no roster was found at all.
    A roster with some dagdelen placed is a plan, whatever waits. The CLI exits 3 or 5 on these.
    """
    status = plan.result.status
    if status == "MODEL_INVALID":
        return ("FOUT IN DE PLANNER: de oplosser noemt het model ongeldig (MODEL_INVALID); dit is een bug, "
                "meld het met het scenario.")
    if status in ("INFEASIBLE", "UNKNOWN") and plan.placed == 0 and plan.requested > 0:
        if status == "INFEASIBLE":
            return ("Geen rooster: de regels en gegevens laten samen geen rooster toe (INFEASIBLE); "
                    "kijk met planner check naar de capaciteit.")
        return (f"Geen rooster gevonden binnen de rekentijd (UNKNOWN, {plan.result.solve_seconds:.0f} s); "
                "geef meer tijd met --time-limit.")
    return None
