"""Why a child is (partly) on the waiting list: the first reason that explains it, in Dutch."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.catalogue import level_rank
from planner.problem import ProblemData, possible_dagdelen
from planner.roster import Roster


@dataclass(frozen=True)
class WaitRow:
    child_id: str
    product: str
    requested: int
    placed: int
    reason: str


def waitlist(pr: ProblemData, roster: Roster) -> list[WaitRow]:
    placed: dict[str, int] = defaultdict(int)
    for child_id, _, _ in roster.children:
        placed[child_id] += 1
    size: dict[tuple[str, str], int] = defaultdict(int)
    for _, group_id, dagdeel in roster.children:
        size[(group_id, dagdeel)] += 1
    busy: dict[tuple[str, str], int] = defaultdict(int)  # (staff, dagdeel)
    for staff_id, _, dagdeel in roster.staff:
        busy[(staff_id, dagdeel)] += 1
    worked: dict[str, int] = defaultdict(int)
    for staff_id, _, _ in roster.staff:
        worked[staff_id] += 1
    rows = []
    for c, child in enumerate(pr.children):
        got = placed.get(child.id, 0)
        if got >= child.dagdelen_per_week:
            continue
        reason = _reason(pr, c, roster, size, busy, worked)
        rows.append(WaitRow(child.id, child.product, child.dagdelen_per_week, got, reason))
    return rows


def _reason(pr: ProblemData, c: int, roster: Roster, size: dict, busy: dict, worked: dict) -> str:
    child = pr.children[c]
    product = pr.model.products[child.product]
    offering = [g for g, grp in enumerate(pr.groups) if child.product in grp.products]
    if not offering:
        return f"geen groep met {child.product}"
    max_km = pr.model.transport.max_km
    reachable = [g for g in offering if pr.group_location[g] in pr.trips[c]]
    if not reachable:
        if child.wheelchair:
            return f"geen rolstoeltoegankelijke groep met {child.product} binnen {max_km:g} km"
        return f"geen groep met {child.product} binnen {max_km:g} km"
    if child.location and not any(pr.groups[g].location_id == child.location for g in reachable):
        return f"geen groep met {child.product} op vaste locatie {child.location}"
    if not pr.child_slots[c]:
        return "beschikbaarheid valt niet samen met openingstijden"
    possible = possible_dagdelen(pr, c)
    if possible < child.dagdelen_per_week:
        return (f"beschikbaarheid en openingstijden laten {possible} dagdelen toe "
                f"(max {product.max_dagdelen_per_day} per dag)")
    if product.group_min > 1:
        mine_groups = {g for g, _ in pr.child_slots[c]}
        peers = sum(1 for o, slots in enumerate(pr.child_slots)
                    if pr.children[o].product == child.product and {g for g, _ in slots} & mine_groups)
        if peers < product.group_min:
            return f"te weinig jeugdigen voor het groepsminimum van {child.product} ({product.group_min})"
    open_slots = [(g, d) for g, d in pr.child_slots[c]
                  if not (pr.groups[g].optional and pr.groups[g].id not in roster.opened)]
    mine = {(gid, dd) for cid, gid, dd in roster.children if cid == child.id}
    candidates = [(g, d) for g, d in open_slots if (pr.groups[g].id, pr.week[d]) not in mine]
    full = []
    for g, d in candidates:
        limit = min([pr.groups[g].capacity] + [pr.model.products[p].group_max for p in pr.groups[g].products
                                               if p in pr.model.products])
        if size[(pr.groups[g].id, pr.week[d])] >= limit:
            full.append(pr.week[d])
    if candidates and len(full) == len(candidates):
        return "groepen vol op " + ", ".join(sorted(set(full), key=list(pr.week).index))
    if not pr.settings.vacancies:
        short = _staff_short(pr, c, candidates, busy, worked)
        if short:
            return short
    if child.not_with:
        return f"niet samen met {', '.join(child.not_with)}: geen groep zonder hen"
    if product.group_min > 1:
        return f"geen dagdeel met genoeg jeugdigen voor het groepsminimum van {child.product} ({product.group_min})"
    return "geen plek binnen de regels (groepsgrootte, mix van producten)"


def _staff_short(pr: ProblemData, c: int, candidates: list, busy: dict, worked: dict) -> str | None:
    """The level missing at the child's locations when no free qualified staff member is left."""
    product = pr.model.products[pr.children[c].product]
    level: str = product.education.min_level or "MBO3"
    for lv in product.education.min_count:
        if level_rank(lv) > level_rank(level):
            level = lv
    locations = []
    for g, d in candidates:
        free = [s for s, slots in enumerate(pr.staff_slots)
                if (g, d) in slots and not busy.get((pr.staff[s].id, pr.week[d]))
                and worked.get(pr.staff[s].id, 0) < pr.staff[s].dagdelen_per_week
                and level_rank(pr.staff[s].education) >= level_rank(level)]
        if free:
            return None
        locations.append(pr.groups[g].location_id)
    if not locations:
        return None
    names = {loc.id: loc.name or loc.id for loc in pr.data.locations}
    where = ", ".join(sorted({names[x] for x in locations}))
    return f"tekort {level} op locatie {where}"
