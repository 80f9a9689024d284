"""One codec between the ids of the inputs and the positions the solver counts in.

The roster, the checker and the reports speak in ids (child, staff member, group, location,
dagdeel); the solver's problem in positions (index 0 … n-1 in input order). `IdIndex` holds the five
id -> position maps once, so no module rebuilds its own `{x.id: i for i, x in enumerate(...)}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def positions(ids: Iterable[str]) -> dict[str, int]:
    """id -> its position in `ids` (0-based, input order); a repeated id keeps its last position."""
    return {x: i for i, x in enumerate(ids)}


@dataclass(frozen=True)
class IdIndex:
    """id -> position of the children, staff, groups, locations and dagdelen (the week) of one problem.

    A lookup of an unknown id raises KeyError ([] access) or gives None (`.get`), as with any Mapping."""

    child: Mapping[str, int]
    staff: Mapping[str, int]
    group: Mapping[str, int]
    location: Mapping[str, int]
    dagdeel: Mapping[str, int]

    @classmethod
    def of(cls, children: Iterable[str], staff: Iterable[str], groups: Iterable[str], locations: Iterable[str],
           week: Iterable[str]) -> IdIndex:
        """The codec of five id sequences, each in its input order."""
        return cls(positions(children), positions(staff), positions(groups), positions(locations),
                   positions(week))

    def placements(self, rows: Iterable[tuple[str, str, str]]) -> set[tuple[int, int, int]]:
        """Roster rows (child_id, group_id, dagdeel) as (child, group, dagdeel) positions; KeyError on an
        unknown id."""
        return {(self.child[c], self.group[g], self.dagdeel[d]) for c, g, d in rows}

    def duties(self, rows: Iterable[tuple[str, str, str]]) -> set[tuple[int, int, int]]:
        """Roster rows (staff_id, group_id, dagdeel) as (staff, group, dagdeel) positions; KeyError on an
        unknown id."""
        return {(self.staff[s], self.group[g], self.dagdeel[d]) for s, g, d in rows}
