"""Checks across sheets and against the region model, after each row has been read.

A row may be partial: a required value that is missing (already reported) is None. Every check
skips only what it cannot see, so one missing column never hides the other problems of a sheet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.inputs.catalogue import RegionModel
from planner.inputs.errors import Problem

Entities = dict[str, dict[str, tuple[int | None, Any]]]
Rows = dict[str, list[tuple[int | None, Any]]]


def age_on(birth: dt.date, day: dt.date) -> float:
    """Age in whole years on `day` (the peildatum) for a `birth_date`, as a float to compare with a
    product's `ages` range (contract: children `birth_date` or `age`; seed 000, ages per target group:
    tot 8 jaar, 0-6, 0-18). A birthday counts on the day itself. Raises nothing."""
    years = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return float(years)


def _outside_week(model: RegionModel, dagdelen: tuple[str, ...] | None) -> list[str]:
    week = set(model.week())
    return [d for d in dagdelen or () if d not in week]


def _check_groups(model: RegionModel, e: Entities, rows: Rows, problems: list[Problem]) -> None:
    known = ", ".join(model.products)
    for row, group in rows["groups"]:
        if group is None:
            continue
        if group.location_id is not None and group.location_id not in e["locations"]:
            problems.append(Problem("groups", f"onbekende locatie '{group.location_id}'", row, "location_id"))
        unknown = [p for p in group.products or () if p not in model.products]
        for code in unknown:
            problems.append(Problem("groups", f"onbekend product '{code}' (bekend: {known})", row, "products"))
        if group.products and len(unknown) == len(group.products):
            problems.append(Problem("groups", f"groep '{group.id}' biedt geen product van het model", row, "products"))
        for d in _outside_week(model, group.open):
            problems.append(Problem("groups", f"dagdeel {d} valt buiten de week van het model", row, "open"))


def _check_staff(model: RegionModel, e: Entities, rows: Rows, problems: list[Problem]) -> None:
    for row, person in rows["staff"]:
        if person is None:
            continue
        for loc in person.locations or ():
            if loc not in e["locations"]:
                problems.append(Problem("staff", f"onbekende locatie '{loc}'", row, "locations"))
        for d in _outside_week(model, person.available):
            problems.append(Problem("staff", f"dagdeel {d} valt buiten de week van het model", row, "available"))


def _check_children(model: RegionModel, e: Entities, rows: Rows, peildatum: dt.date,
                    problems: list[Problem]) -> None:
    known = ", ".join(model.products)
    for row, child in rows["children"]:
        if child is None:
            continue
        product = model.products.get(child.product) if child.product is not None else None
        if child.product is None:
            pass
        elif product is None:
            message = f"onbekend product '{child.product}' (bekend: {known})"
            problems.append(Problem("children", message, row, "product"))
        else:
            age = age_on(child.birth_date, peildatum) if child.birth_date else child.age
            low, high = product.ages
            if age is not None and not low <= age <= high:
                column = "birth_date" if child.birth_date else "age"
                problems.append(Problem(
                    "children",
                    f"leeftijd {age:g} valt buiten {child.product} ({low}-{high} jaar)", row, column,
                ))
            if child.dagdelen_per_week is not None and child.dagdelen_per_week > product.max_dagdelen_per_week:
                problems.append(Problem(
                    "children",
                    f"indicatie {child.dagdelen_per_week} dagdelen is meer dan het maximum van "
                    f"{child.product} ({product.max_dagdelen_per_week} per week)", row, "dagdelen_per_week",
                ))
        if child.location and child.location not in e["locations"]:
            problems.append(Problem("children", f"onbekende locatie '{child.location}'", row, "location"))
        for other in child.not_with:
            if other not in e["children"] or other == child.id:
                problems.append(Problem("children", f"onbekende jeugdige '{other}'", row, "not_with"))
        for d in _outside_week(model, child.available):
            problems.append(Problem("children", f"dagdeel {d} valt buiten de week van het model", row, "available"))
        if child.start_date and child.end_date and child.end_date < child.start_date:
            problems.append(Problem("children", "einddatum ligt voor startdatum", row, "end_date"))


def cross_check(
    model: RegionModel,
    e: Entities,
    distance_rows: list[tuple[int, dict]],
    distances: dict[tuple[str, str], float],
    problems: list[Problem],
    peildatum: dt.date,
    rows: Rows | None = None,
) -> None:
    """Cross-sheet and model checks; `e` finds entities by id, `rows` (default: e's) are checked,
    including rows without an id or with a duplicate one, and partial rows (None where missing)."""
    rows = rows or {sheet: list(found.values()) for sheet, found in e.items()}
    _check_groups(model, e, rows, problems)
    _check_staff(model, e, rows, problems)
    _check_children(model, e, rows, peildatum, problems)
    for row, values in distance_rows:
        child, loc = values.get("child_id"), values.get("location_id")
        if child is not None and child not in e["children"]:
            problems.append(Problem("distances", f"onbekende jeugdige '{child}'", row, "child_id"))
        if loc is not None and loc not in e["locations"]:
            problems.append(Problem("distances", f"onbekende locatie '{loc}'", row, "location_id"))
        if child is not None and loc is not None and "km" in values:
            distances[(child, loc)] = values["km"]
