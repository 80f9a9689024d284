"""Why a child is (partly) on the waiting list, in Dutch: a reason that holds before any solve, or the
rule family that binds (binding.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.core.roster import Roster
from planner.inputs.catalogue import level_rank
from planner.solver.binding import Diagnosis
from planner.solver.problem import ProblemData, possible_dagdelen


@dataclass(frozen=True)
class WaitRow:
    child_id: str
    product: str
    requested: int
    placed: int
    reason: str


def waitlist(pr: ProblemData, roster: Roster, budget_s: float = 30.0, seed: int = 0,
             deterministic: bool = False) -> list[WaitRow]:
    """Children placed fewer dagdelen than their indication, each with the rule that keeps them
    out: a reason that holds before any solve (`static_reason`), else the rule family whose
    relaxation places the child one dagdeel more (binding.py, CP-SAT on the child's pool, at
    most `budget_s` seconds for all children together, CP-SAT's random seed `seed`; wall seconds, or
    deterministic seconds when `deterministic`, so that a repeatable plan's waiting list repeats)."""
    placed: dict[str, int] = defaultdict(int)
    for child_id, _, _ in roster.children:
        placed[child_id] += 1
    size: dict[tuple[str, str], int] = defaultdict(int)
    for _, group_id, dagdeel in roster.children:
        size[(group_id, dagdeel)] += 1
    diagnosis: Diagnosis | None = None
    rows = []
    for c, child in enumerate(pr.children):
        got = placed.get(child.id, 0)
        if got >= child.dagdelen_per_week:
            continue
        parts: list[tuple[str, int]] = []  # (reason, dagdelen it explains)
        static = _static(pr, c)
        cap = child.dagdelen_per_week
        if static is not None:
            reason, cap = static
            parts.append((reason, child.dagdelen_per_week - cap))
        rest = cap - got
        if rest > 0:
            diagnosis = diagnosis or Diagnosis(pr, roster, budget_s, seed, deterministic)
            found = diagnosis.reasons(c, rest) if rest > 1 or static is not None else None
            if found:
                parts += [(_binding_reason(pr, c, roster, size, (family, detail), several=len(found) > 1
                                           or static is not None), n) for family, detail, n in found]
            else:
                parts.append((_binding_reason(pr, c, roster, size, diagnosis.reason(c)), rest))
        rows.append(WaitRow(child.id, child.product, child.dagdelen_per_week, got, _compose(parts)))
    return rows


def _compose(parts: list[tuple[str, int]]) -> str:
    """One cause: its reason as it is; several: each with the dagdelen it explains, adding up to the
    whole shortfall (user test of issue 21: a reason that explained 1 of 3 missing dagdelen)."""
    parts = [(why, n) for why, n in parts if n > 0]
    if len(parts) == 1:
        return parts[0][0]
    return "; ".join(f"{why} ({n} {'dagdeel' if n == 1 else 'dagdelen'})" for why, n in parts)


def unplaceable(pr: ProblemData) -> list[tuple[str, str]]:
    """(child id, reason) for every child no roster can place at all: `planner check` warns
    before solving, with the reason the waiting list would give."""
    out = []
    for c, child in enumerate(pr.children):
        reason = static_reason(pr, c)
        if reason is not None:
            out.append((child.id, reason))
    return out


def not_with_conflicts(pr: ProblemData) -> list[tuple[str, str]]:
    """("K3 en K4", reason) for each not_with pair (seed 003, "niet samen met") that no roster can give both
    children their full indication: on a dagdeel where they share the only group(s) open to them, at most
    one of the two is placed. A sound upper bound per pair (dagdelen with two different groups count
    twice), so a warning means a waiting child whatever the solver does."""
    index = pr.ids.child
    pairs = sorted({tuple(sorted((child.id, other))) for child in pr.children for other in child.not_with
                    if other in index and other != child.id})
    out = []
    for a_id, b_id in pairs:
        a, b = index[a_id], index[b_id]
        groups_a: dict[int, set[int]] = defaultdict(set)
        groups_b: dict[int, set[int]] = defaultdict(set)
        for g, d in pr.child_slots[a]:
            groups_a[d].add(g)
        for g, d in pr.child_slots[b]:
            groups_b[d].add(g)
        bound, clash = 0, []
        for d in sorted(set(groups_a) | set(groups_b)):
            ga, gb = groups_a.get(d, set()), groups_b.get(d, set())
            apart = bool(ga) and bool(gb) and any(x != y for x in ga for y in gb)
            bound += (bool(ga) + bool(gb)) if apart or not (ga and gb) else 1
            if ga and gb and not apart:
                clash.append(pr.week[d])
        bound = min(bound, possible_dagdelen(pr, a) + possible_dagdelen(pr, b))
        need = pr.children[a].dagdelen_per_week + pr.children[b].dagdelen_per_week
        if clash and bound < need:
            out.append((f"{a_id} en {b_id}", f"mogen niet samen in een groep, maar kunnen op "
                        f"{', '.join(clash)} alleen in dezelfde groep: samen hooguit {bound} van {need} dagdelen"))
    return out


def static_reason(pr: ProblemData, c: int) -> str | None:
    """Why child `c` cannot get its full indication whatever the solver does, or None: no group
    of its product (within reach, wheelchair-accessible, on its fixed location), availability
    outside every opening, fewer possible dagdelen than indicated, or too few children of its
    product sharing its groups to reach the group minimum."""
    found = _static(pr, c)
    return found[0] if found is not None else None


def _static(pr: ProblemData, c: int) -> tuple[str, int] | None:
    """static_reason and the most dagdelen any roster can give the child under it."""
    found = _static_text(pr, c)
    if found is None:
        return None
    return found if isinstance(found, tuple) else (found, 0)


def _static_text(pr: ProblemData, c: int) -> str | tuple[str, int] | None:
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
                f"(max {product.max_dagdelen_per_day} per dag)", possible)
    if product.group_min > 1:
        # a group-dagdeel fewer children could ever share than the group minimum is no place
        sharing: dict[tuple[int, int], int] = defaultdict(int)
        for slots in pr.child_slots:
            for slot in slots:
                sharing[slot] += 1
        usable: dict[str, set[int]] = defaultdict(set)
        for g, d in pr.child_slots[c]:
            if sharing[(g, d)] >= product.group_min:
                usable[pr.day_of(d)].add(d)
        reach = min(product.max_dagdelen_per_week,
                    sum(min(len(ds), product.max_dagdelen_per_day) for ds in usable.values()))
        if reach < child.dagdelen_per_week:
            return (f"te weinig jeugdigen voor het groepsminimum van {child.product} ({product.group_min}): "
                    f"{reach} dagdelen haalbaar", reach)
    return None


def _binding_reason(pr: ProblemData, c: int, roster: Roster, size: dict, found: tuple[str, dict] | None,
                    several: bool = False) -> str:
    child = pr.children[c]
    product = pr.model.products[child.product]
    if found is None:
        full = _full_dagdelen(pr, c, roster, size)
        if full:
            return "groepen vol op " + ", ".join(full)
        return "geen plek binnen de regels (reden niet bepaald: diagnose te groot of tijd op)"
    family, detail = found
    if family == "geen":
        if several:
            return "past wel binnen de regels; de zoektijd was te kort"
        return "past wel binnen de regels, niet gevonden binnen de rekentijd (meer rekentijd helpt)"
    if family == "onbepaald":
        return "reden niet bepaald (tijd voor de diagnose op)"
    if family == "niet_samen":
        others = sorted(set(child.not_with) | {o.id for o in pr.children if child.id in o.not_with})
        return f"niet samen met {', '.join(others)}: geen groep zonder hen"
    if family == "opleiding":
        rule = detail["rule"]
        part = detail.get("part")
        if part == "min_share":
            share = "/".join(sorted(rule.min_share))
            return f"geen {share}-medewerker voor het {share}-aandeel van {child.product}"
        if part == "min_count":
            need = ", ".join(f"{n} x {lv}" for lv, n in sorted(rule.min_count.items()))
            return f"geen medewerkers voor het vereiste aantal ({need}) van {child.product}"
        if part == "min_level":
            return f"geen medewerker van minstens {rule.min_level} vrij voor {child.product}"
        return f"opleidingseisen van {child.product} (niveau, aantal en aandeel samen)"
    if family == "mix":
        return f"geen groep zonder producten die niet met {child.product} mogen mengen"
    if family == "groepsminimum":
        return (f"geen dagdeel met genoeg jeugdigen voor het groepsminimum van {child.product} "
                f"({product.group_min})")
    if family == "groepsgrootte":
        full = _full_dagdelen(pr, c, roster, size)
        return "groepen vol op " + ", ".join(full) if full else "groepen vol (groepsgrootte of ruimte)"
    if family == "personeel":
        names = {loc.id: loc.name or loc.id for loc in pr.data.locations}
        levels: dict[str, set[str]] = detail["levels"]
        parts = [f"{lv} op locatie {', '.join(sorted(names[x] for x in locs))}"
                 for lv, locs in sorted(levels.items(), key=lambda kv: level_rank(kv[0]))]
        return "tekort " + "; ".join(parts)
    if family == "meerdere":
        return "geen plek: alleen met meer dan één regel tegelijk losser (groepen, opleiding, personeel)"
    return "geen plek binnen de regels (dagdelen per dag, één locatie per dag, vervoer)"


def _full_dagdelen(pr: ProblemData, c: int, roster: Roster, size: dict) -> list[str]:
    """The child's dagdelen where every open group of its product is at its maximum, leaving out the
    dagdelen the child already has (a user test of issue 16 found "groepen vol op di-ochtend" for a child
    sitting on di-ochtend in a group with room, because another group that morning was full)."""
    child = pr.children[c]
    mine = {dd for cid, _, dd in roster.children if cid == child.id}
    candidates = [(g, d) for g, d in pr.child_slots[c]
                  if not (pr.groups[g].optional and pr.groups[g].id not in roster.opened)
                  and pr.week[d] not in mine]
    full = []
    for g, d in candidates:
        limit = min([pr.groups[g].capacity] + [pr.model.products[p].group_max for p in pr.groups[g].products
                                               if p in pr.model.products])
        if size[(pr.groups[g].id, pr.week[d])] >= limit:
            full.append(pr.week[d])
    if not candidates or len(full) < len(candidates):
        return []
    return sorted(set(full), key=list(pr.week).index)
