"""The CP-SAT formulation, one module per rule family.

Each module adds its constraints to a shared `Formulation` and returns its objective terms,
named so that the report can say which soft rules the plan bent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.inputs.catalogue import LEVELS, level_rank
from planner.solver.problem import ProblemData
from planner.solver.replan import PreviousIndex


@dataclass
class Formulation:
    problem: ProblemData
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    previous: PreviousIndex | None = None  # replanning: pins and what a change is measured against
    # x[child, group, dagdeel]: the child sits there
    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    # a[staff, group, dagdeel]: the staff member works there
    a: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    # v[group, dagdeel, level]: vacancies (virtual staff) of that level
    v: dict[tuple[int, int, str], cp_model.IntVar] = field(default_factory=dict)
    # p[group, dagdeel, product]: the product runs in that group-dagdeel
    p: dict[tuple[int, int, str], cp_model.IntVar] = field(default_factory=dict)
    opened: dict[int, cp_model.IntVar] = field(default_factory=dict)
    # attend[child, day, location]: the child comes to that location that day
    attend: dict[tuple[int, str, int], cp_model.IntVar] = field(default_factory=dict)
    by_child: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    by_gd: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    staff_by_gd: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    vac_by_gd: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    # aggregated mode: staff counted per level instead of named (a relaxation, see ratios.py)
    aggregated: bool = False
    agg_by_gd: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    # n[group, dagdeel, level]: staff of exactly that level there, named plus vacancies
    n: dict[tuple[int, int, str], cp_model.IntVar] = field(default_factory=dict)
    # objective terms in cents: (rule name, coefficient, expression)
    cost_terms: list[tuple[str, int, cp_model.LinearExprT]] = field(default_factory=list)
    soft_terms: list[tuple[str, int, cp_model.LinearExprT]] = field(default_factory=list)

    def group_dagdelen(self) -> list[tuple[int, int]]:
        return [(g, d) for g in range(len(self.problem.groups)) for d in sorted(self.problem.group_open[g])]

    def staff_count(self, g: int, d: int, min_rank: int = 0) -> cp_model.LinearExprT:
        """Staff on a group-dagdeel, named and vacancies, of at least a level rank."""
        return sum(var for (gg, dd, lv), var in self._n_at(g, d) if level_rank(lv) >= min_rank)

    def _n_at(self, g: int, d: int) -> list:
        return [((g, d, lv), self.n[(g, d, lv)]) for lv in LEVELS if (g, d, lv) in self.n]

    def placed(self) -> cp_model.LinearExprT:
        return sum(self.x.values())

    def cost(self) -> cp_model.LinearExprT:
        """The weekly cost in cents: every cost term (soft wishes are not cost)."""
        return sum(coef * expr for _, coef, expr in self.cost_terms)


def build(problem: ProblemData, aggregated: bool = False, previous: PreviousIndex | None = None) -> Formulation:
    from planner.solver.formulation import (  # noqa: PLC0415 -- the rule modules import Formulation from here
        continuity,
        education,
        group_size,
        placement,
        ratios,
        stability,
        transport,
    )
    from planner.solver.formulation.contract_use import add as contract_minimum  # noqa: PLC0415 -- same

    f = Formulation(problem, aggregated=aggregated, previous=previous)
    placement.add(f)
    group_size.add(f)
    ratios.add(f)
    education.add(f)
    contract_minimum(f)
    transport.add(f)
    continuity.add(f)
    stability.add(f)
    return f
