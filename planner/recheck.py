"""`planner check S --roster edited.csv`: re-check and re-price a roster a planner edited by hand.

The roster is read in the roster.csv form `planner plan` writes (also re-saved by Excel with `;`
and Windows-1252: the shared CSV reader, tables.read_csv), checked by the independent checker
(check.py) against the scenario's model and data, and priced by costs.week_cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.catalogue import RegionModel
from planner.check import Violation, check_roster
from planner.costs import WeekCost, week_cost
from planner.data import ProviderData
from planner.previous import read_previous
from planner.roster import Roster, number_vacancies

# the checker's rule keys in words a planner reads
RULE_NL = {
    "onbekend": "onbekende jeugdige, medewerker, groep of dagdeel",
    "een_groep_per_dagdeel": "één groep per dagdeel",
    "indicatie": "indicatie (dagdelen per week)",
    "beschikbaarheid": "beschikbaarheid jeugdige",
    "dagdelen_product": "dagdelen van het product",
    "product_groep": "groep biedt het product",
    "groep_open": "groep open",
    "vaste_locatie": "vaste locatie",
    "afstand": "maximale reisafstand",
    "rolstoel": "rolstoeltoegankelijkheid",
    "max_per_dag": "maximum dagdelen per dag",
    "een_locatie_per_dag": "één locatie per dag",
    "niet_samen": "niet samen in een groep",
    "beschikbaarheid_medewerker": "beschikbaarheid medewerker",
    "locatie_medewerker": "locaties van de medewerker",
    "contract": "contract (dagdelen per week)",
    "vacatures_uit": "vacatures staan uit",
    "capaciteit": "ruimte van de groep",
    "groepsgrootte": "groepsmaximum",
    "groepsminimum": "groepsminimum",
    "min_personeel": "minimum aantal medewerkers",
    "mix": "producten mengen",
    "ratio": "personeelsratio",
    "ratio_week": "personeelsratio per week",
    "opleidingsniveau": "opleidingsniveau",
    "opleiding_aantal": "aantal medewerkers per opleidingsniveau",
    "opleidingsmix": "opleidingsaandeel",
}


@dataclass(frozen=True)
class Recheck:
    roster: Roster
    violations: list[Violation]
    cost: WeekCost  # of the rows that name known children, staff and groups

    def lines(self) -> list[str]:
        """One Dutch line per violation: the rule in words, its key, and the place."""
        return [f"regel {RULE_NL.get(v.rule, v.rule)} ({v.rule}): {v.message}" for v in self.violations]


def recheck(model: RegionModel, data: ProviderData, path: Path, vacancies_allowed: bool) -> Recheck:
    """Read `path` (roster.csv form), check every rule, price the week.

    Raises InputError (one Problem per bad row and column) when the file cannot be read as a roster.
    """
    previous = read_previous(path, tuple(model.parts))
    groups = {g.id: g for g in data.groups}
    roster = Roster(previous.children, previous.staff, number_vacancies(previous.vacancies),
                    tuple(sorted({g for _, g, _ in previous.children + previous.staff
                                  if g in groups and groups[g].optional})))
    violations = check_roster(model, data, roster, vacancies_allowed)
    week = set(model.week())
    kids, staff = {c.id for c in data.children}, {s.id for s in data.staff}
    known = Roster(tuple(r for r in roster.children if r[0] in kids and r[1] in groups and r[2] in week),
                   tuple(r for r in roster.staff if r[0] in staff and r[1] in groups and r[2] in week),
                   tuple(r for r in roster.vacancies if r[2] in groups and r[3] in week), roster.opened)
    return Recheck(roster, violations, week_cost(model, data, known))
