"""Which rules make which model: every rule list of the solver, in one place.

    FULL     the model the phases solve (phases/, lns.py, binding.py): placement -> group_size -> staff ->
             ratios -> education -> contract_use -> transport -> continuity -> stability
    POOLS    the pools' relaxation (relax.py): FULL with staff counted per level (staff.add_by_level)
             instead of named and without contract_use (no names to hold to a minimum), a valid
             lower bound that CP-SAT solves per product pool
    EXTEND   the extension step after a decomposed solve (post/extend.py): children only (placement,
             group sizes and mixing, one location a day); staff follow by the hand planner's rule
    CUTS     redundant rows for the cost phase's bound (hold_placement), added once the placement is
             known; lpbound.py reads the cost phase's model with them

A `Rule` names the rules it builds on (`needs`: their variables); `add` refuses a rule whose needs
are not in the model yet, or one already there, so a hand-made list for a test (the rule under test
plus the minimum it needs) fails loudly when it is not enough. The order of a list is the order the
model is built in, which the solver's deterministic mode depends on: do not reorder FULL lightly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.solver.formulation import (
    bounds,
    continuity,
    contract_use,
    education,
    group_size,
    placement,
    ratios,
    stability,
    staff,
    transport,
)
from planner.solver.formulation.container import Formulation
from planner.solver.problem import ProblemData
from planner.solver.replan import PreviousIndex


@dataclass(frozen=True)
class Rule:
    """One step of a model: `add(f)` adds its variables, constraints and terms to `f`."""

    name: str
    add: Callable[[Formulation], None]
    needs: tuple[str, ...] = ()


PLACEMENT = Rule("placement", placement.add)
GROUP_SIZE = Rule("group_size", group_size.add, ("placement",))
STAFF = Rule("staff", staff.add, ("placement",))
STAFF_BY_LEVEL = Rule("staff_by_level", staff.add_by_level, ("placement",))
RATIOS = Rule("ratios", ratios.add, ("group_size",))  # without a staff rule: vacancies only
EDUCATION = Rule("education", education.add, ("ratios",))
CONTRACT_USE = Rule("contract_use", contract_use.add, ("staff", "group_size"))
TRANSPORT = Rule("transport", transport.add, ("placement",))
CONTINUITY = Rule("continuity", continuity.add, ("placement",))
STABILITY = Rule("stability", stability.add, ("placement",))
CHILD_TOTALS = Rule("child_totals", bounds.child_totals, ("placement",))
OCCUPIED_ROWS = Rule("occupied_rows", ratios.occupied_rows, ("ratios",))
DAY_ROWS = Rule("day_rows", transport.day_rows, ("transport",))
POOL_ROWS = Rule("pool_rows", bounds.pool_rows, ("child_totals", "ratios"))

FULL = (PLACEMENT, GROUP_SIZE, STAFF, RATIOS, EDUCATION, CONTRACT_USE, TRANSPORT, CONTINUITY, STABILITY)
POOLS = (PLACEMENT, GROUP_SIZE, STAFF_BY_LEVEL, RATIOS, EDUCATION, TRANSPORT, CONTINUITY, STABILITY)
EXTEND = (PLACEMENT, GROUP_SIZE, TRANSPORT)
CUTS = (CHILD_TOTALS, OCCUPIED_ROWS, DAY_ROWS, POOL_ROWS)


def add(f: Formulation, rules: Iterable[Rule]) -> Formulation:
    """Adds `rules` to `f` in order and returns it. ValueError when a rule is already in the model or
    one it needs is not (yet)."""
    for rule in rules:
        if rule.name in f.rules:
            raise ValueError(f"rule {rule.name!r} is already in the model")
        missing = [need for need in rule.needs if need not in f.rules]
        if missing:
            raise ValueError(f"rule {rule.name!r} needs {', '.join(missing)} first (model has: {f.rules})")
        rule.add(f)
        f.rules.append(rule.name)
    return f


def build(problem: ProblemData, rules: Iterable[Rule] = FULL, previous: PreviousIndex | None = None) -> Formulation:
    """A new formulation of `problem` made of `rules` (default: the full model); `previous`: the
    replanning input (pins and change penalties, stability.py), passed beside the problem. ValueError
    as `add`."""
    return add(Formulation(problem, previous=previous), rules)


def hold_placement(f: Formulation, placed: int, cuts: Iterable[Rule] = CUTS) -> None:
    """The cost phase: at least `placed` dagdelen (a count over all children), with the redundant
    rows that tighten its bound; with child_totals among the cuts their sum is held too, which lets
    propagation fix the placed dagdelen per child. ValueError as `add`."""
    add(f, cuts)
    f.model.Add(f.placed() >= placed)
    if CHILD_TOTALS.name in f.rules:
        f.model.Add(sum(f.totals.values()) >= placed)
