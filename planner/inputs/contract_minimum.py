"""The minimum contract use (`[solve] min_contract_use`): how many dagdelen each staff member must work.

Staff are paid their contract whether rostered or not (the controller's "niet ingeroosterde
contracturen", issue 21 point 4); a provider may therefore ask that everyone is rostered at least a
share of their contract. Per staff member, in dagdelen of the week:

    base      = contract (dagdelen_per_week) - off_dagdelen (leave, sickness and closing days of a
                dated week, week.py; 0 in the template week), at least 0
    wanted    = ceil(share x base), exact (0.8 x 5 = 4; 0.8 x 4 = 3.2 -> 4)
    possible  = dagdelen on which the person could stand on a group at all: available, a
                non-optional group open then at a location they may work at, and not below the
                minimum level of every product that group offers (the rule problem.py's staff_slots
                follow; optional groups are left out because they may stay closed)
    required  = min(wanted, possible)

`required` never asks more than the person can give; when `possible < wanted`, `planner check` warns
and names the person (`warnings`). The rule is the same for the solver (formulation/contract_use.py,
greedy.py) and the independent checker (verify/check.py), which both read it from the input data
alone, so a roster of a decomposed solve is held to the same figure as the whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from planner.inputs.catalogue import RegionModel, level_rank
from planner.inputs.data import ProviderData, Staff
from planner.inputs.errors import Problem


@dataclass(frozen=True)
class Minimum:
    """One staff member's minimum for the week, in dagdelen."""

    base: int  # contract less leave and closing days
    wanted: int  # ceil(share x base)
    possible: int  # dagdelen they could work at all
    required: int  # min(wanted, possible)


def workable(model: RegionModel, data: ProviderData, person: Staff, optional: bool = False) -> set[str]:
    """The dagdelen (ids of model.week()) on which `person` could stand on a group: available, a group
    open then at a location they may work at (every location when `locations` is empty), and not below
    every offered product's minimum level; `optional` groups count only when asked."""
    week = model.week()
    available = set(person.available or week) & set(week)
    allowed = set(person.locations) if person.locations else {loc.id for loc in data.locations}
    rank = level_rank(person.education)
    out: set[str] = set()
    for group in data.groups:
        if group.location_id not in allowed or (group.optional and not optional):
            continue
        known = [p for p in group.products if p in model.products]
        if not known or all(rank < level_rank(model.products[p].education.min_level or "MBO3") for p in known):
            continue
        out |= available & set(group.open or week)
    return out


def minimum(model: RegionModel, data: ProviderData, person: Staff, share: float) -> Minimum:
    """`person`'s minimum for the week at `share` (0..1) of their contract (module docstring)."""
    base = max(0, person.dagdelen_per_week - person.off_dagdelen)
    wanted = min(person.dagdelen_per_week, math.ceil(Fraction(str(share)) * base))
    possible = len(workable(model, data, person)) if wanted else 0
    return Minimum(base, wanted, possible, min(wanted, possible))


def minimums(model: RegionModel, data: ProviderData, share: float) -> dict[str, Minimum]:
    """Per staff id: the week's minimum; {} when `share` is 0 (the option is off)."""
    if not share:
        return {}
    return {s.id: minimum(model, data, s, share) for s in data.staff}


def warnings(model: RegionModel, data: ProviderData, share: float) -> list[Problem]:
    """A warning per staff member whose availability is below the minimum: the requirement is capped."""
    out = []
    for s in data.staff:
        m = minimum(model, data, s, share) if share else None
        if m is not None and m.possible < m.wanted:
            who = f"{s.id} ({s.name})" if s.name else s.id
            out.append(Problem("staff", f"{who}: minimaal {m.wanted} dagdelen ingeroosterd "
                               f"({_pct(share)} van {m.base}), maar beschikbaar op hoogstens {m.possible}; "
                               f"de eis wordt {m.possible}", column="available"))
    return out


def _pct(share: float) -> str:
    """0.8 -> '80%'; 0.125 -> '12,5%'."""
    return f"{share * 100:.4g}%".replace(".", ",")
