"""The pin rule, re-checked: a pinned person keeps exactly their pinned assignments.

Replanning (README "Replanning: --previous") pins people: every child with `--keep children`,
every staff member with `--keep staff`, and anyone with `pinned = ja` in the workbook. A pinned
person's assignments are their rows of the previous roster (person, group, dagdeel) that today's
inputs still allow. The new roster must hold each of them unchanged: the same group on the same
dagdeel. New dagdelen besides them are allowed (an indication that grew).

Written from that rule and the checker, not from the solver's `replan.index_previous`:

* a previous row is still allowed when the checker finds no fault with the person alone in that
  group on that dagdeel (`check_roster` on a one-row roster, the rules about the person and the row:
  indication, availability, product, opening, fixed location, distance, wheelchair; for staff
  availability, locations, opening, contract), and, for staff, when some product of the group admits
  their level (contract: `education.min_level`, "every staff member on the group at least this level");
  an optional group counts as open on its opening dagdelen (a pin may be what opens it);
* a person with more allowed rows than their indication or contract (`dagdelen_per_week`) is not
  pinned at all: no roster can keep them all (README: "is not pinned, and the report says so").

Rule id `vastgezet`; one violation per pinned row the new roster does not hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from planner.core.roster import Roster
from planner.inputs.catalogue import RegionModel, level_rank
from planner.inputs.data import ProviderData
from planner.verify.check import Violation, check_roster

# the checker's rules about one person in one row (the rest are about a whole group-dagdeel)
_CHILD_ROW_RULES = frozenset({"onbekend", "indicatie", "beschikbaarheid", "dagdelen_product", "product_groep",
                              "groep_open", "vaste_locatie", "afstand", "rolstoel", "max_per_dag"})
_STAFF_ROW_RULES = frozenset({"onbekend", "beschikbaarheid_medewerker", "locatie_medewerker", "groep_open",
                              "contract"})
KEEP = ("children", "staff")


def _level_fits(model: RegionModel, data: ProviderData, staff_id: str, group_id: str) -> bool:
    """Some product of the group admits this staff member's level (no min_level counts as MBO3)."""
    person = next(s for s in data.staff if s.id == staff_id)
    group = next(g for g in data.groups if g.id == group_id)
    mins = [model.products[p].education.min_level or "MBO3" for p in group.products if p in model.products]
    return any(level_rank(person.education) >= level_rank(m) for m in mins)


def still_allowed(model: RegionModel, data: ProviderData, role: str, row: tuple[str, str, str]) -> bool:
    """Whether today's inputs allow one previous row (person_id, group_id, dagdeel) of `role`
    ("child" or "staff"): the checker finds no fault with that person alone there (module docstring).

    Raises nothing: unknown people, groups or dagdelen are simply not allowed.
    """
    person, group_id, dagdeel = row
    known = {g.id for g in data.groups}
    people = {c.id for c in data.children} if role == "child" else {s.id for s in data.staff}
    if person not in people or group_id not in known or dagdeel not in model.week():
        return False
    opened = tuple(g.id for g in data.groups if g.optional)
    alone = (Roster((row,), (), (), opened) if role == "child" else Roster((), (row,), (), opened))
    rules = _CHILD_ROW_RULES if role == "child" else _STAFF_ROW_RULES
    if any(v.rule in rules for v in check_roster(model, data, alone)):
        return False
    return role == "child" or _level_fits(model, data, person, group_id)


def pinned_rows(model: RegionModel, data: ProviderData, previous: Roster,
                keep: Iterable[str] = ()) -> tuple[dict[str, set[tuple[str, str, str]]], list[tuple[str, str]]]:
    """The pins of a replan: (role -> pinned rows (person_id, group_id, dagdeel), [(person_id, why not
    pinned)]). `previous` holds last week's rows in `children` and `staff`; `keep` any of "children",
    "staff" (the `--keep` option); `pinned = ja` in the data pins that person alone. Raises nothing.
    """
    keep = set(keep)
    pinned: dict[str, set[tuple[str, str, str]]] = {"child": set(), "staff": set()}
    refused: list[tuple[str, str]] = []
    for role, rows, people, everyone in (("child", previous.children, data.children, "children" in keep),
                                         ("staff", previous.staff, data.staff, "staff" in keep)):
        wanted = {p.id: p.dagdelen_per_week for p in people if everyone or p.pinned}
        per_person: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        for row in rows:
            if row[0] in wanted and still_allowed(model, data, role, row):
                per_person[row[0]].add(row)
        for person, allowed in sorted(per_person.items()):
            if len(allowed) > wanted[person]:
                refused.append((person, f"{len(allowed)} dagdelen in het vorige rooster, nu {wanted[person]} "
                                        "per week"))
                continue
            pinned[role] |= allowed
    return pinned, refused


def check_pins(model: RegionModel, data: ProviderData, roster: Roster, previous: Roster,
               keep: Iterable[str] = ()) -> list[Violation]:
    """One `vastgezet` violation per pinned row (see `pinned_rows`) the new roster does not hold, in
    Dutch, naming the person, group and dagdeel and where the person is on that dagdeel now.
    Empty when every pin holds or nothing is pinned. Raises nothing.
    """
    pinned, _ = pinned_rows(model, data, previous, keep)
    out = []
    for role, now_rows, word in (("child", roster.children, "jeugdige"), ("staff", roster.staff, "medewerker")):
        now = set(now_rows)
        where = {(p, d): g for p, g, d in now_rows}
        for person, group_id, dagdeel in sorted(pinned[role] - now):
            there = where.get((person, dagdeel))
            instead = f"staat nu in {there}" if there else "staat daar nu nergens"
            out.append(Violation("vastgezet", f"{word} {person} is vastgezet in {group_id} op {dagdeel} "
                                              f"(vorig rooster), maar {instead}"))
    return out
