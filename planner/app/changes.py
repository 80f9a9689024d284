"""What changed between the previous roster and the new one, per person, and why.

Works on ids only (no solver): per person the previous (group, dagdeel) set against the new one.
Lost and gained assignments are paired as moves — same dagdeel first (another group or location),
then the same group (another dagdeel), then any — and what is left is dropped or added.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from planner.core.costs import week_cost
from planner.core.roster import Roster
from planner.inputs.data import ProviderData
from planner.solver.phases.hand import previous_roster
from planner.solver.problem import ProblemData
from planner.solver.replan import PreviousIndex, PreviousRoster

HEADER = ["person_id", "role", "change", "dagdeel_before", "location_before", "group_before",
          "dagdeel_after", "location_after", "group_after", "reason"]


@dataclass(frozen=True)
class Change:
    person_id: str
    role: str  # child | staff | vacancy
    change: str  # nieuw, gestopt, andere groep, andere locatie, ander dagdeel, verplaatst, vervallen, erbij
    before: tuple[str, str, str] | None  # (dagdeel, location_id, group_id)
    after: tuple[str, str, str] | None
    reason: str

    def row(self) -> list[str]:
        b = self.before or ("", "", "")
        a = self.after or ("", "", "")
        return [self.person_id, self.role, self.change, *b, *a, self.reason]


@dataclass(frozen=True)
class ChangeSummary:
    children_changed: int  # children with at least one row in changes.csv (new and stopped ones too)
    child_dagdelen_changed: int  # rows of children in changes.csv
    staff_changed: int
    staff_dagdelen_changed: int
    children_new: int
    children_ended: int
    staff_new: int
    staff_gone: int
    not_pinned: tuple[tuple[str, str], ...] = ()
    # what changes.csv holds, counted: role -> change -> rows (dagdelen), and role -> people
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "not_pinned"}
        d["not_pinned"] = [f"{p}: {why}" for p, why in self.not_pinned]
        return d

    def line(self) -> str:
        """One Dutch line with the counts of changes.csv, e.g. 'medewerkers: 2 (10 dagdelen: 5 gestopt,
        5 erbij)'; 'geen wijzigingen' when the roster is the same."""
        parts = []
        for role, label in (("child", "jeugdigen"), ("staff", "medewerkers"), ("vacancy", "vacatures")):
            kinds = self.rows.get(role)
            if not kinds:
                continue
            detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
            who = f"{self.people[role]} " if role != "vacancy" else ""
            parts.append(f"{label}: {who}({sum(kinds.values())} dagdelen: {detail})")
        return "; ".join(parts) or "geen wijzigingen"


def tally(changes: list[Change]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Rows of changes.csv per role and kind of change, and the people per role who have one."""
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[str, set[str]] = defaultdict(set)
    for c in changes:
        rows[c.role][c.change] += 1
        people[c.role].add(c.person_id)
    return {r: dict(k) for r, k in rows.items()}, {r: len(p) for r, p in people.items()}


def diff(pr: ProblemData, previous: PreviousRoster, roster: Roster,
         index: PreviousIndex | None = None) -> tuple[list[Change], ChangeSummary]:
    """What moved from `previous` to `roster`, one Change per person and dagdeel, with the reason;
    `index`: the replanning input the solve had (its pins that could not be kept are named)."""
    data = pr.data
    why = _Reasons(pr, previous, roster, index)
    loc_now = {g.id: g.location_id for g in data.groups}

    def where(group: str, dagdeel: str) -> tuple[str, str, str]:
        return (dagdeel, loc_now.get(group) or previous.locations.get(group, ""), group)

    changes: list[Change] = []
    counts: dict[str, list[int]] = {}
    for role, before_rows, after_rows, present in (
        ("child", previous.children, roster.children, {c.id for c in data.children}),
        ("staff", previous.staff, roster.staff, {s.id for s in data.staff}),
    ):
        before, after = _by_person(before_rows), _by_person(after_rows)
        changed = dagdelen = new = gone = 0
        for person in sorted(set(before) | set(after)):
            old, now = before.get(person, set()), after.get(person, set())
            if person not in before:
                new += 1
                changes += [Change(person, role, "nieuw", None, where(g, d), why.new(role))
                            if role == "child" else
                            Change(person, role, "erbij", None, where(g, d), why.gained(role, person, g, d))
                            for g, d in _ordered(now, pr)]
                continue
            if person not in present:
                gone += 1
                changes += [Change(person, role, "gestopt", where(g, d), None, why.gone(role))
                            for g, d in _ordered(old, pr)]
                continue
            lost, gained = old - now, now - old
            if lost:
                changed += 1
                dagdelen += len(lost)
            pairs = _pairs(lost, gained, pr)
            for (g0, d0), pair in pairs:
                if pair is None:
                    changes.append(Change(person, role, "vervallen", where(g0, d0), None,
                                          why.lost(role, person, g0, d0)))
                    continue
                g1, d1 = pair
                kind = ("ander dagdeel" if g0 == g1 else
                        "verplaatst" if d0 != d1 else
                        "andere groep" if where(g0, d0)[1] == where(g1, d1)[1] else "andere locatie")
                changes.append(Change(person, role, kind, where(g0, d0), where(g1, d1),
                                      why.lost(role, person, g0, d0)))
            used = {pair for _, pair in pairs if pair is not None}
            changes += [Change(person, role, "erbij", None, where(g, d), why.gained(role, person, g, d))
                        for g, d in _ordered(gained - used, pr)]
        counts[role] = [changed, dagdelen, new, gone]
    changes += _vacancy_changes(previous, roster, where, pr)
    # the "changed" counts mean what changes.csv holds: people with a row, and their rows (dagdelen)
    for role in ("child", "staff"):
        mine = [c for c in changes if c.role == role]
        counts[role][0], counts[role][1] = len({c.person_id for c in mine}), len(mine)
    summary = ChangeSummary(counts["child"][0], counts["child"][1], counts["staff"][0], counts["staff"][1],
                            counts["child"][2], counts["child"][3], counts["staff"][2], counts["staff"][3],
                            index.not_pinned if index else (), *tally(changes))
    return changes, summary


def _by_person(rows: tuple[tuple[str, str, str], ...]) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for person, group, dagdeel in rows:
        out[person].add((group, dagdeel))
    return out


def _rank(pr: ProblemData, dagdeel: str) -> int:
    return pr.week.index(dagdeel) if dagdeel in pr.week else len(pr.week)


def _ordered(items: set[tuple[str, str]], pr: ProblemData) -> list[tuple[str, str]]:
    return sorted(items, key=lambda gd: (_rank(pr, gd[1]), gd[0]))


def _pairs(lost: set[tuple[str, str]], gained: set[tuple[str, str]], pr: ProblemData
           ) -> list[tuple[tuple[str, str], tuple[str, str] | None]]:
    """Each lost assignment with the gained one it became (same dagdeel, then same group, then any)."""
    free = _ordered(gained, pr)
    out: list[tuple[tuple[str, str], tuple[str, str] | None]] = []
    rest = []
    for g0, d0 in _ordered(lost, pr):
        match = next((gd for gd in free if gd[1] == d0), None)
        if match:
            free.remove(match)
            out.append(((g0, d0), match))
        else:
            rest.append((g0, d0))
    later = []
    for g0, d0 in rest:
        match = next((gd for gd in free if gd[0] == g0), None) or (free[0] if free else None)
        if match:
            free.remove(match)
        later.append(((g0, d0), match))
    return sorted(out + later, key=lambda p: (_rank(pr, p[0][1]), p[0][0]))


def _vacancy_changes(previous: PreviousRoster, roster: Roster, where, pr: ProblemData) -> list[Change]:
    before = Counter(previous.vacancies)
    after = Counter((lv, g, d) for _, lv, g, d in roster.vacancies)
    out = []
    for key in sorted(set(before) | set(after), key=lambda k: (_rank(pr, k[2]), k[1], k[0])):
        lv, g, d = key
        delta = after[key] - before[key]
        for _ in range(abs(delta)):
            if delta > 0:
                out.append(Change(f"vacature-{lv}", "vacancy", "erbij", None, where(g, d),
                                  "eigen personeel tekort"))
            else:
                out.append(Change(f"vacature-{lv}", "vacancy", "vervallen", where(g, d), None,
                                  "niet meer nodig"))
    return out


def _solver_reason(pr: ProblemData, roster: Roster, index: PreviousIndex | None) -> str:
    """Why the solver changed what it did not have to: measured against last week's roster laid on this
    week and repaired (phases/hand.previous_roster), the candidate every replan had. "kosten" only when
    the new roster's weekly cost is lower than that candidate's; "meer dagdelen geplaatst" when it places
    more; otherwise the change bought neither, and says so. `index`: the replanning input the solve had."""
    kept = previous_roster(pr, index)
    if kept is None:
        return "vorig rooster past deze week niet meer"
    if len(roster.children) > len(kept.children):
        return "meer dagdelen geplaatst"
    if week_cost(pr.model, pr.data, roster).total < week_cost(pr.model, pr.data, kept).total:
        return "kosten"
    return "herschikt zonder kostenwinst"


class _Reasons:
    """Why a person lost or gained an assignment, in words a planner uses."""

    def __init__(self, pr: ProblemData, previous: PreviousRoster, roster: Roster, index: PreviousIndex | None):
        data: ProviderData = pr.data
        self.pr = pr
        self.children = {c.id: c for c in data.children}
        self.staff = {s.id: s for s in data.staff}
        self.groups = {g.id: g for g in data.groups}
        self.prev_children = {c for c, _, _ in previous.children}
        self.prev_count = Counter(c for c, _, _ in previous.children)
        self.kids_now: dict[tuple[str, str], set[str]] = defaultdict(set)
        for c, g, d in roster.children:
            self.kids_now[(g, d)].add(c)
        self.kids_before: dict[tuple[str, str], set[str]] = defaultdict(set)
        for c, g, d in previous.children:
            self.kids_before[(g, d)].add(c)
        staff_now = {(s, g, d) for s, g, d in roster.staff}
        self.left_gd = {(g, d): s for s, g, d in previous.staff if (s, g, d) not in staff_now}
        self.child_slots = {c.id: {(pr.groups[g].id, pr.week[d]) for g, d in pr.child_slots[i]}
                            for i, c in enumerate(pr.children)}
        self.staff_slots = {s.id: {(pr.groups[g].id, pr.week[d]) for g, d in pr.staff_slots[i]}
                            for i, s in enumerate(pr.staff)}
        self.otherwise = _solver_reason(pr, roster, index)

    @staticmethod
    def new(role: str) -> str:
        return "nieuwe jeugdige (of van de wachtlijst)" if role == "child" else "nieuwe medewerker"

    @staticmethod
    def gone(role: str) -> str:
        return "indicatie beëindigd" if role == "child" else "medewerker niet meer beschikbaar"

    def lost(self, role: str, person: str, group: str, dagdeel: str) -> str:
        slots = self.child_slots if role == "child" else self.staff_slots
        if (group, dagdeel) not in slots[person]:
            return self._impossible(role, person, group, dagdeel)
        if role == "child":
            child = self.children[person]
            if child.dagdelen_per_week < self.prev_count[person]:
                return f"indicatie verlaagd naar {child.dagdelen_per_week} dagdelen"
            if self.kids_now[(group, dagdeel)] - self.prev_children:
                return f"plaats nodig voor nieuwe jeugdige in {group} op {dagdeel}"
            return self.otherwise
        if not self.kids_now[(group, dagdeel)]:
            return f"geen kinderen meer in {group} op {dagdeel}"
        return self.otherwise

    def gained(self, role: str, person: str, group: str, dagdeel: str) -> str:
        if role == "child":
            if self.children[person].dagdelen_per_week > self.prev_count[person]:
                return "indicatie verhoogd"
            return self.otherwise
        if (group, dagdeel) in self.left_gd:
            return f"vervangt {self.left_gd[(group, dagdeel)]}"
        if len(self.kids_now[(group, dagdeel)]) > len(self.kids_before[(group, dagdeel)]):
            return f"meer kinderen in {group} op {dagdeel}"
        return self.otherwise

    def _impossible(self, role: str, person: str, group: str, dagdeel: str) -> str:
        g = self.groups.get(group)
        if g is None:
            return f"groep {group} bestaat niet meer"
        if dagdeel not in self.pr.week:
            return f"{dagdeel} valt buiten de week van het model"
        if g.open and dagdeel not in g.open:
            return f"groep {group} niet open op {dagdeel}"
        if role == "child":
            child = self.children[person]
            if child.product not in g.products:
                return f"groep {group} biedt {child.product} niet"
            if child.available and dagdeel not in child.available:
                return f"jeugdige niet beschikbaar op {dagdeel}"
            if child.location and child.location != g.location_id:
                return f"vaste locatie {child.location}"
            return f"locatie {g.location_id} niet bereikbaar (afstand of rolstoel)"
        member = self.staff[person]
        if member.available and dagdeel not in member.available:
            return f"medewerker niet beschikbaar op {dagdeel}"
        if member.locations and g.location_id not in member.locations:
            return f"medewerker niet inzetbaar op locatie {g.location_id}"
        return f"opleiding {member.education} te laag voor groep {group}"
