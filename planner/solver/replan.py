"""Replanning: last week's roster as the starting point, its assignments as hints, pins and change penalties.

`read_previous` reads a roster.csv as `planner plan` writes it (any roster in that format will do).
`index_previous` turns it into solver indices for today's data: what of it is still possible, and
which of it is pinned (`--keep children`, `--keep staff`, or `pinned = ja` in the data). People,
groups or dagdelen that no longer exist are not errors: `changes.py` reports them with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from planner.inputs.catalogue import LEVELS
from planner.inputs.dagdelen import parse_dagdeel
from planner.inputs.errors import InputError, Problem
from planner.inputs.tables import Unreadable, read_csv
from planner.solver.problem import ProblemData

COLUMNS = ("dagdeel", "location_id", "group_id", "role", "person_id", "product", "education")
KEEP = ("children", "staff")


@dataclass(frozen=True)
class PreviousRoster:
    """A roster.csv in ids. Vacancies are kept by level: their numbers carry no identity."""

    source: str
    children: tuple[tuple[str, str, str], ...]  # (child_id, group_id, dagdeel)
    staff: tuple[tuple[str, str, str], ...]  # (staff_id, group_id, dagdeel)
    vacancies: tuple[tuple[str, str, str], ...]  # (level, group_id, dagdeel)
    locations: dict[str, str]  # group_id -> location_id as the previous roster had it


@dataclass(frozen=True)
class PreviousIndex:
    """The previous roster in today's indices: hints, pins and what a change is measured against.

    The replanning input of a solve, passed beside the ProblemData (solve(..., previous=)): the
    formulation pins and penalises changes with it (formulation/stability.py), the phases hint with
    it, price.py prices the changes."""

    x_on: frozenset[tuple[int, int, int]]  # (child, group, dagdeel) still possible today
    a_on: frozenset[tuple[int, int, int]]  # (staff, group, dagdeel) still possible today
    x_pinned: frozenset[tuple[int, int, int]]
    a_pinned: frozenset[tuple[int, int, int]]
    not_pinned: tuple[tuple[str, str], ...]  # (person_id, why a pin could not be kept)
    # (group, dagdeel) where the previous roster had a vacancy or staff who cannot work there today:
    # its staffing must be made again (phases/hand.previous_roster)
    restaff: frozenset[tuple[int, int]] = frozenset()


def read_previous(path: Path, parts: tuple[str, ...], known: dict[str, frozenset[str]] | None = None,
                  what: str = "vorig rooster") -> PreviousRoster:
    """Read a previous roster.csv; every malformed row is named by row and column, all in one pass
    (the file's own problems, missing values, unknown dagdelen, roles and levels together).

    `known` (check --roster, recheck.py): the ids that exist, by "child", "staff", "group_id",
    "location_id" and "dagdeel" (the model's week); a value not among them is a problem of its row and
    column too. Without it (replanning) people and groups that no longer exist are not errors (changes.py reports them).
    Read like any CSV input (planner.inputs.tables.read_csv: separators, encodings, line ends; a pipe or
    device is refused at once). `what` names the file in a message ("vorig rooster", or "bewerkt
    rooster" for check --roster). Raises InputError with one line per problem.
    """
    if not path.exists():
        raise InputError([Problem(path.name, f"{what} niet gevonden")])
    table = read_csv(path, name=path.name)
    sheet = path.name
    problems = list(table.problems)
    missing = [Problem(sheet, "verplichte kolom ontbreekt", 1, c) for c in COLUMNS[:5] if c not in table.headers]
    if missing:
        raise InputError(problems + missing)
    children, staff, vacancies = set(), set(), []
    locations: dict[str, str] = {}
    for number, row in table.rows:
        unreadable = [(c, v) for c, v in row.items() if isinstance(v, Unreadable)]
        problems += [Problem(sheet, v.message, number, c) for c, v in unreadable]
        values = {c: str(row.get(c) or "").strip() for c in COLUMNS}
        bad = [c for c in COLUMNS[:5] if not values[c]]
        problems += [Problem(sheet, "verplichte waarde ontbreekt", number, c) for c in bad]
        if bad or unreadable:
            continue
        try:
            ids = parse_dagdeel(values["dagdeel"], parts)
        except ValueError as exc:
            hint = str(exc).partition("(")[2]
            problems.append(Problem(sheet, f"'{values['dagdeel']}' onbekend (geen dagdeel; {hint}", number, "dagdeel"))
            continue
        if len(ids) != 1:
            problems.append(Problem(sheet, "één dagdeel per rij verwacht", number, "dagdeel"))
            continue
        key = (values["person_id"], values["group_id"], ids[0])
        locations.setdefault(values["group_id"], values["location_id"])
        role = values["role"].lower()
        if known is not None and ids[0] not in known["dagdeel"]:
            problems.append(Problem(sheet, f"'{values['dagdeel']}' onbekend (geen dagdeel van het model)",
                                    number, "dagdeel"))
            continue
        if known is not None:
            unknown = [(c, values[c]) for c in ("location_id", "group_id") if values[c] not in known[c]]
            if role in ("child", "staff") and values["person_id"] not in known[role]:
                unknown.append(("person_id", values["person_id"]))
            problems += [Problem(sheet, f"'{v}' onbekend", number, c) for c, v in unknown]
        if role == "child":
            children.add(key)
        elif role == "staff":
            staff.add(key)
        elif role == "vacancy":
            level = values["education"].upper()
            if level not in LEVELS:
                problems.append(Problem(sheet, f"onbekend niveau '{values['education']}'", number, "education"))
                continue
            vacancies.append((level, values["group_id"], ids[0]))
        else:
            problems.append(Problem(sheet, f"rol '{values['role']}' onbekend (child, staff of vacancy)",
                                    number, "role"))
    if problems:
        raise InputError(problems)
    return PreviousRoster(str(path), tuple(sorted(children)), tuple(sorted(staff)), tuple(sorted(vacancies)),
                          locations)


def replanning(pr: ProblemData, previous: PreviousRoster | None,
               keep: frozenset[str] = frozenset()) -> PreviousIndex | None:
    """The replanning input of a solve of `pr`: index_previous, or None when there is no previous roster."""
    return None if previous is None else index_previous(pr, previous, keep)


def index_previous(pr: ProblemData, previous: PreviousRoster, keep: frozenset[str]) -> PreviousIndex:
    """Previous assignments that are still allowed today, and the pins among them.

    A person's pins hold only when all of their still-possible assignments fit today's
    indication or contract; otherwise none are pinned and the person is named in `not_pinned`.
    """
    child_index, staff_index, group_index, week_index = pr.ids.child, pr.ids.staff, pr.ids.group, pr.ids.dagdeel
    not_pinned: list[tuple[str, str]] = []

    def still(rows: tuple[tuple[str, str, str], ...], index: Mapping[str, int],
              slots: tuple[tuple[tuple[int, int], ...], ...]) -> dict[int, set[tuple[int, int, int]]]:
        allowed = [set(s) for s in slots]
        per_person: dict[int, set[tuple[int, int, int]]] = {}
        for person, group, dagdeel in rows:
            p, g, d = index.get(person), group_index.get(group), week_index.get(dagdeel)
            if p is None or g is None or d is None or (g, d) not in allowed[p]:
                continue
            per_person.setdefault(p, set()).add((p, g, d))
        return per_person

    kids = still(previous.children, child_index, pr.child_slots)
    workers = still(previous.staff, staff_index, pr.staff_slots)

    def pins(per_person: dict[int, set[tuple[int, int, int]]], people: tuple, everyone: bool) -> set:
        pinned = set()
        for p, keys in sorted(per_person.items()):
            person = people[p]
            if not (everyone or person.pinned):
                continue
            if len(keys) > person.dagdelen_per_week:
                not_pinned.append((person.id, f"{len(keys)} dagdelen in het vorige rooster, nu "
                                              f"{person.dagdelen_per_week} per week"))
                continue
            pinned |= keys
        return pinned

    x_pinned = pins(kids, pr.children, "children" in keep)
    a_pinned = pins(workers, pr.staff, "staff" in keep)
    a_on = frozenset(k for keys in workers.values() for k in keys)
    restaff = set()
    for person, group, dagdeel in previous.staff + previous.vacancies:
        g, d = group_index.get(group), week_index.get(dagdeel)
        if g is not None and d is not None and (staff_index.get(person, -1), g, d) not in a_on:
            restaff.add((g, d))
    return PreviousIndex(
        x_on=frozenset(k for keys in kids.values() for k in keys), a_on=a_on,
        x_pinned=frozenset(x_pinned), a_pinned=frozenset(a_pinned), not_pinned=tuple(not_pinned),
        restaff=frozenset(restaff),
    )
