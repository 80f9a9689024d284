"""`planner check S --roster edited.csv`: re-check and re-price a roster a planner edited by hand.

The roster is read in the roster.csv form `planner plan` writes (also re-saved by Excel with `;`
and Windows-1252: the shared CSV reader, tables.read_csv), checked by the independent checker
(check.py) against the scenario's model and data, and priced by costs.week_cost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from planner.core.costs import WeekCost, week_cost
from planner.core.roster import Roster, number_vacancies
from planner.inputs.catalogue import RegionModel
from planner.inputs.data import ProviderData
from planner.inputs.week import Period
from planner.solver.replan import PreviousRoster, read_previous
from planner.verify.check import Violation, check_roster

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
    "contractgebruik": "minimaal gebruik van het contract",
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
    "vastgezet": "vastgezette toewijzing",
    "kosten": "kosten van de oplosser tegen de eigen prijs van de controle",
}


@dataclass(frozen=True)
class Recheck:
    roster: Roster
    violations: list[Violation]
    cost: WeekCost  # of the rows that name known children, staff and groups

    def lines(self) -> list[str]:
        """One Dutch line per violation: the rule in words, its key, and the place."""
        return [f"regel {RULE_NL.get(v.rule, v.rule)} ({v.rule}): {v.message}" for v in self.violations]


def recheck(model: RegionModel, data: ProviderData, path: Path, vacancies_allowed: bool,
            period: Period | None = None, min_contract_use: float = 0.0) -> Recheck:
    """Read `path` (roster.csv form), check every rule, price the week.

    `data` is the week's data when `period` is a dated week (week.dated_data, `check --week`): holidays
    and closing days are closed dagdelen of the groups, leave is unavailability; a child outside their
    indication or a staff member on leave all week is named with the reason (rules "indicatie" and
    "beschikbaarheid_medewerker") rather than as unknown.
    Raises InputError (one Problem per bad row and column) when the file cannot be read as a roster.
    """
    period = period or Period()
    ids = {"child": frozenset({c.id for c in data.children} | {c for c, _ in period.absent}),
             "staff": frozenset({s.id for s in data.staff} | {s.id for s in period.away}),
             # groups closed all week are still groups of the provider (their rows are violations)
             "group_id": frozenset({g.id for g in data.groups} | {g for g, _ in period.closed}),
             "location_id": frozenset(loc.id for loc in data.locations),
             "dagdeel": frozenset(model.week())}
    edited = read_previous(path, tuple(model.parts), ids, "bewerkt rooster")
    return recheck_previous(model, data, edited, vacancies_allowed, period, min_contract_use)


def recheck_previous(model: RegionModel, data: ProviderData, previous: PreviousRoster,
                     vacancies_allowed: bool, period: Period | None = None,
                     min_contract_use: float = 0.0) -> Recheck:
    """As `recheck`, for a roster already read (the web app's hand edits, planner.web.edit);
    `min_contract_use`: the scenario's [solve] minimum (rule `contractgebruik`)."""
    period = period or Period()
    gone = dict(period.absent)
    away = {s.id for s in period.away}
    week_label = f" (week {period.label})" if period.label else ""
    early = [Violation("indicatie", f"{c} in {g} op {d}: {gone[c]}{week_label}")
             for c, g, d in previous.children if c in gone]
    early += [Violation("beschikbaarheid_medewerker", f"{s} in {g} op {d}: de hele week verlof{week_label}")
              for s, g, d in previous.staff if s in away]
    on_leave_rows = tuple(r for r in previous.staff if r[0] in away)
    if early:  # those rows are reported with their reason, the rest of the roster is checked as usual
        previous = replace(previous, children=tuple(r for r in previous.children if r[0] not in gone),
                           staff=tuple(r for r in previous.staff if r[0] not in away))
    groups = {g.id: g for g in data.groups}
    roster = Roster(previous.children, previous.staff, number_vacancies(previous.vacancies),
                    tuple(sorted({g for _, g, _ in previous.children + previous.staff
                                  if g in groups and groups[g].optional})))
    violations = early + [_why_closed(v, period) for v in check_roster(model, data, roster, vacancies_allowed,
                                                                         min_contract_use)]
    week = set(model.week())
    kids, staff = {c.id for c in data.children}, {s.id for s in data.staff} | away
    # a staff member rostered while on leave all week is flagged above and still counted and paid as
    # rostered: their rows are in the cost, they are staff of the week for it
    rows = tuple(sorted(roster.staff + on_leave_rows))
    known = Roster(tuple(r for r in roster.children if r[0] in kids and r[1] in groups and r[2] in week),
                   tuple(r for r in rows if r[0] in staff and r[1] in groups and r[2] in week),
                   tuple(r for r in roster.vacancies if r[2] in groups and r[3] in week), roster.opened)
    if on_leave_rows:
        data = replace(data, staff=tuple(data.staff) + tuple(x for x in period.away if x.id in away))
        period = replace(period, away=())
    return Recheck(replace(roster, staff=rows), violations, week_cost(model, data, known, period))


def _why_closed(v: Violation, period: Period) -> Violation:
    """A 'groep dicht' on a dagdeel the dated week closed (holiday or closing day) says so."""
    if v.rule != "groep_open" or not period.label:
        return v
    for group_id, why in period.closed:
        shut = why.split(" (")[0].split(", ")
        if any(f" in {group_id} op {d}:" in v.message for d in shut):
            return Violation(v.rule, f"{v.message} (feest- of sluitingsdag, week {period.label})")
    return v

