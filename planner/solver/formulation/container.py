"""The formulation container: one CP-SAT model, its variables by meaning, its named objective terms.

Rules (the modules beside this one) read and extend it; the registry (registry.py) says which rules,
in which order. This module imports no rule, so a rule module never imports the package back.

Variable tables, all indices into ProblemData (children, groups, staff, week):

    x[c, g, d]       bool   child c sits in group g on dagdeel d              placement
    p[g, d, k]       bool   product k runs in group g on dagdeel d            group_size
    opened[g]        bool   optional group g is opened this week              group_size
    a[s, g, d]       bool   staff member s works in group g on dagdeel d      staff (named)
    v[g, d, level]   int    vacancies (staff to hire) of a level there        ratios
    n[g, d, level]   int    staff of exactly that level there, named + vacant  ratios
    attend[c, day, l] bool  child c comes to location l that day              transport
    totals[c]        int    dagdelen placed for child c                       bounds (cuts only)

Objective terms are `Term(rule, coef, expr)`: `coef` in cents per unit of `expr`; `cost_terms` are
money (the weekly cost), `soft_terms` are wishes priced in cents but not paid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple, TypeAlias

from ortools.sat.python import cp_model

from planner.inputs.catalogue import LEVELS, level_rank
from planner.solver.problem import ProblemData
from planner.solver.replan import PreviousIndex

Var: TypeAlias = cp_model.IntVar
Expr: TypeAlias = cp_model.LinearExprT
GD: TypeAlias = tuple[int, int]  # (group, dagdeel)


class Term(NamedTuple):
    """One objective term: `coef` cents per unit of `expr`, charged under a rule's Dutch name."""

    rule: str
    coef: int
    expr: Expr


def _table() -> defaultdict:
    return defaultdict(list)


@dataclass
class Formulation:
    """A CP-SAT model under construction for one problem; `rules` names the rules added so far."""

    problem: ProblemData
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    rules: list[str] = field(default_factory=list)
    previous: PreviousIndex | None = None  # replanning: pins and what a change is measured against
    x: dict[tuple[int, int, int], Var] = field(default_factory=dict)
    a: dict[tuple[int, int, int], Var] = field(default_factory=dict)
    v: dict[tuple[int, int, str], Var] = field(default_factory=dict)
    p: dict[tuple[int, int, str], Var] = field(default_factory=dict)
    n: dict[tuple[int, int, str], Var] = field(default_factory=dict)
    opened: dict[int, Var] = field(default_factory=dict)
    attend: dict[tuple[int, str, int], Var] = field(default_factory=dict)
    totals: dict[int, Var] = field(default_factory=dict)
    # the same variables by owner: child -> [(group, dagdeel, x)], (group, dagdeel) -> [(child, x)]
    by_child: defaultdict[int, list[tuple[int, int, Var]]] = field(default_factory=_table)
    by_gd: defaultdict[GD, list[tuple[int, Var]]] = field(default_factory=_table)
    # (group, dagdeel) -> [(staff, a)], [(level, vacancies)], [(level, staff counted by level)]
    staff_by_gd: defaultdict[GD, list[tuple[int, Var]]] = field(default_factory=_table)
    vac_by_gd: defaultdict[GD, list[tuple[str, Var]]] = field(default_factory=_table)
    agg_by_gd: defaultdict[GD, list[tuple[str, Var]]] = field(default_factory=_table)
    cost_terms: list[Term] = field(default_factory=list)
    soft_terms: list[Term] = field(default_factory=list)

    def group_dagdelen(self) -> list[GD]:
        """Every (group, dagdeel) the group is open, by group then dagdeel."""
        return [(g, d) for g in range(len(self.problem.groups)) for d in sorted(self.problem.group_open[g])]

    def staff_count(self, g: int, d: int, min_rank: int = 0) -> Expr:
        """Staff on a group-dagdeel, named and vacancies, of at least a level rank (0: everyone)."""
        return sum(self.n[(g, d, lv)] for lv in LEVELS
                   if (g, d, lv) in self.n and level_rank(lv) >= min_rank)

    def placed(self) -> Expr:
        """Dagdelen placed, over all children."""
        return sum(self.x.values())

    def cost(self) -> Expr:
        """The weekly cost in cents: every cost term (soft wishes are not cost)."""
        return sum(coef * expr for _, coef, expr in self.cost_terms)

    def charge(self, rule: str, coef: int, expr: Expr) -> None:
        """A cost term: `coef` cents per unit of `expr`."""
        self.cost_terms.append(Term(rule, coef, expr))

    def wish(self, rule: str, coef: int, expr: Expr) -> None:
        """A soft term: `coef` cents (of weight, not money) per unit of `expr`."""
        self.soft_terms.append(Term(rule, coef, expr))
