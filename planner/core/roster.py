"""The roster as plain ids: what the solver hands to the checker and the reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Roster:
    """A week roster in ids: the only thing the checker and the reports need from a solve.

    One row per person per dagdeel (contract: roster.csv); a vacancy is staff the plan had to add, with
    its level, counting towards ratios like staff. `opened`: ids of optional groups (data column
    `optional = ja`) the plan opens; their `opening_cost_per_week` is paid."""

    children: tuple[tuple[str, str, str], ...]  # (child_id, group_id, dagdeel)
    staff: tuple[tuple[str, str, str], ...]  # (staff_id, group_id, dagdeel)
    vacancies: tuple[tuple[str, str, str, str], ...]  # (vacancy_id, level, group_id, dagdeel)
    opened: tuple[str, ...]  # optional groups the plan opens


def number_vacancies(ordered: Iterable[tuple[str, str, str]]) -> tuple[tuple[str, str, str, str], ...]:
    """(level, group_id, dagdeel), in the caller's order -> (vacature-LEVEL-n, level, group_id, dagdeel),
    numbered per dagdeel and level: the id a vacancy has in roster.csv."""
    numbers: dict[tuple[str, str], int] = {}
    out = []
    for level, group, dagdeel in ordered:
        numbers[(dagdeel, level)] = numbers.get((dagdeel, level), 0) + 1
        out.append((f"vacature-{level}-{numbers[(dagdeel, level)]}", level, group, dagdeel))
    return tuple(out)
