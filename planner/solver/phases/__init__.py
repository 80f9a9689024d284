"""The solve as a pipeline of named phases, each behind one interface.

    hand -> pools -> placement -> cost -> improve -> wishes -> repair

A phase says whether it `applies(problem)` at all (the pools need vacancies and two CP-SAT workers;
repair needs vacancies) and then `run(state, budget)`s: it reads and extends the `State` the phases
share (the formulation, the placement, the candidate rosters, the proven bounds) and takes its time
from the `Budget` (budget.py), which owns the shares, the clock, Ctrl-C and CP-SAT's parameters. A
phase that finds nothing more can be done (no time, no placement) sets `state.stop`. The Result is
built once, at the end, from a fresh price of the best roster (solve.py, where `pipeline()` lists the
phases). Extend (extend.py) is the decomposed solve's last phase and runs on the merged result
(decompose.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from planner.core.roster import Roster
from planner.solver.budget import Budget
from planner.solver.formulation import Formulation, build
from planner.solver.price import Price, price
from planner.solver.problem import ProblemData
from planner.solver.relax import Pools
from planner.solver.replan import PreviousIndex


@dataclass(frozen=True)
class Progress:
    phase: str
    seconds: float
    objective: float
    bound: float


@dataclass
class Best:
    """The best roster so far: its price and, when it came from CP-SAT, its variable values."""

    price: Price | None = None
    roster: Roster | None = None
    values: dict[int, int] | None = None
    source: str = ""

    def offer(self, pr: ProblemData, roster: Roster, values: dict[int, int] | None, source: str,
              previous: PreviousIndex | None = None) -> None:
        """Keep `roster` when it places more, or as many at a lower cost (Price.better_than); `previous`:
        the replanning input its changes are priced against."""
        p = price(pr, roster, previous)
        if self.price is None or p.better_than(self.price):
            self.price, self.roster, self.values, self.source = p, roster, values, source


@dataclass
class State:
    """What the phases share. Values are CP-SAT solutions by variable index (lns.decision_vars)."""

    problem: ProblemData
    report: Callable[[Progress], None] | None = None
    previous: PreviousIndex | None = None  # replanning: pins, hints, what a change is measured against
    best: Best = field(default_factory=Best)
    hand: Price | None = None  # the hand planner's roster's price
    first: float | None = None  # wall seconds to the first full roster
    _f: Formulation | None = None
    pooled: Pools | None = None  # the pools' relaxation: placement and bound
    pool_roster: tuple[dict[int, int], int] | None = None  # the pools' placement staffed by name, its cost
    placement: dict[int, int] = field(default_factory=dict)  # placement values (at least f.x)
    placed: int = 0  # dagdelen the placement places
    placed_bound: int = 0  # no roster places more (proven)
    placement_proven: bool = False
    candidates: list[tuple[dict[int, int], int]] = field(default_factory=list)  # (values, cost in cents)
    bound: float = 0.0  # EUR per week: proven lower bound of the cost at this placement
    source: str = ""  # where `bound` comes from
    cost_model: bool = False  # the formulation minimises the cost with the placement held (cost phase)
    cost_proven: bool = False  # CP-SAT proved the cost phase optimal
    values: dict[int, int] | None = None  # the best CP-SAT roster after improve
    objective: int = 0  # its cost in cents
    stop: bool = False  # nothing more can be done: build the result from what there is
    failure: str | None = None  # CP-SAT's status when there is no roster at all
    failure_first: float | None = None
    filled: int = 0  # vacancies filled with free own staff (repair phase)

    @property
    def f(self) -> Formulation:
        """The formulation, built on first use."""
        if self._f is None:
            self._f = build(self.problem, previous=self.previous)
        return self._f

    @property
    def built(self) -> Formulation | None:
        return self._f


class Phase(Protocol):
    name: str

    def applies(self, state: State, budget: Budget) -> bool:
        """Whether this phase is part of the solve of `state.problem` at all (under `budget`'s request)."""

    def run(self, state: State, budget: Budget) -> None:
        """Extend `state` within `budget`."""
