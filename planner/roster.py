"""The roster as plain ids: what the solver hands to the checker and the reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Roster:
    """A week roster in ids: the only thing the checker and the reports need from a solve."""

    children: tuple[tuple[str, str, str], ...]  # (child_id, group_id, dagdeel)
    staff: tuple[tuple[str, str, str], ...]  # (staff_id, group_id, dagdeel)
    vacancies: tuple[tuple[str, str, str, str], ...]  # (vacancy_id, level, group_id, dagdeel)
    opened: tuple[str, ...]  # optional groups the plan opens
