"""Independent roster checker: re-checks every rule on a roster, knowing nothing of the solver.

It never imports ortools. `planner plan` runs it after every solve; a violation is a bug.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from planner.core.roster import Roster
from planner.inputs.catalogue import RegionModel, beyond_table_allowed, exact, level_rank, paid_mode
from planner.inputs.contract_minimum import minimums
from planner.inputs.dagdelen import split_id
from planner.inputs.data import ProviderData
from planner.inputs.geo import straight_km


@dataclass(frozen=True)
class Violation:
    """One broken rule: `rule` the stable id (RULE_NL in app/recheck.py has its words), `message` the
    place in Dutch (`G1 op ma-ochtend: 5 kinderen, max 4 (DB-VG-GEDRAG)`)."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class _Checker:
    def __init__(self, model: RegionModel, data: ProviderData, roster: Roster, vacancies_allowed: bool):
        self.model, self.data, self.roster = model, data, roster
        self.vacancies_allowed = vacancies_allowed
        self.children = {c.id: c for c in data.children}
        self.groups = {g.id: g for g in data.groups}
        self.staff = {s.id: s for s in data.staff}
        self.locations = {loc.id: loc for loc in data.locations}
        self.week = model.week()
        self.out: list[Violation] = []
        # per group-dagdeel: children and staff levels present
        self.kids_at: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.levels_at: dict[tuple[str, str], list[str]] = defaultdict(list)

    def fail(self, rule: str, message: str) -> None:
        self.out.append(Violation(rule, message))

    def km(self, child_id: str, location_id: str) -> float:
        given = self.data.distances.get((child_id, location_id))
        if given is not None:
            return given
        c, loc = self.children[child_id], self.locations[location_id]
        return straight_km(c.lat, c.lon, loc.lat, loc.lon) * self.model.transport.road_factor

    def group_open(self, group_id: str, dagdeel: str) -> bool:
        g = self.groups[group_id]
        return dagdeel in (g.open or self.week) and (not g.optional or group_id in self.roster.opened)

    def check_children(self) -> None:
        per_child: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for child_id, group_id, dagdeel in self.roster.children:
            if child_id not in self.children or group_id not in self.groups or dagdeel not in self.week:
                self.fail("onbekend", f"rij ({child_id}, {group_id}, {dagdeel}) verwijst naar iets onbekends")
                continue
            per_child[child_id].append((group_id, dagdeel))
            self.kids_at[(group_id, dagdeel)].append(child_id)
        for child_id, slots in per_child.items():
            self._check_child(child_id, slots)

    def _check_child(self, child_id: str, slots: list[tuple[str, str]]) -> None:
        child = self.children[child_id]
        product = self.model.products[child.product]
        dagdelen = [d for _, d in slots]
        if len(set(dagdelen)) < len(dagdelen):
            self.fail("een_groep_per_dagdeel", f"{child_id} staat twee keer op één dagdeel")
        if len(slots) > min(child.dagdelen_per_week, product.max_dagdelen_per_week):
            self.fail("indicatie", f"{child_id}: {len(slots)} dagdelen, indicatie {child.dagdelen_per_week}")
        per_day: dict[str, set[str]] = defaultdict(set)
        day_count: dict[str, int] = defaultdict(int)
        parts = self.model.product_parts(child.product)
        for group_id, dagdeel in slots:
            group = self.groups[group_id]
            day, part = split_id(dagdeel)
            day_count[day] += 1
            per_day[day].add(group.location_id)
            if child.available and dagdeel not in child.available:
                self.fail("beschikbaarheid", f"{child_id} op {dagdeel}, niet beschikbaar")
            if part not in parts:
                self.fail("dagdelen_product", f"{child_id} op {dagdeel}: {child.product} niet in het {part}")
            if child.product not in group.products:
                self.fail("product_groep", f"{child_id} in {group_id}, die {child.product} niet biedt")
            if not self.group_open(group_id, dagdeel):
                self.fail("groep_open", f"{child_id} in {group_id} op {dagdeel}: groep dicht")
            if child.location and group.location_id != child.location:
                self.fail("vaste_locatie", f"{child_id} hoort op {child.location}, staat op {group.location_id}")
            km = self.km(child_id, group.location_id)
            beyond = km > self.model.transport.max_km or self.model.transport.band(km) is None
            mode = paid_mode(self.model, child.product, child.transport, child.wheelchair)
            if beyond and not beyond_table_allowed(self.model, mode):
                self.fail("afstand", f"{child_id} naar {group.location_id}: {km:.1f} km")
            if child.wheelchair and not self.locations[group.location_id].wheelchair_access:
                self.fail("rolstoel", f"{child_id} (rolstoel) op {group.location_id} zonder toegang")
        for day, n in day_count.items():
            if n > product.max_dagdelen_per_day:
                self.fail("max_per_dag", f"{child_id}: {n} dagdelen op {day}")
        for day, locs in per_day.items():
            if len(locs) > 1:
                self.fail("een_locatie_per_dag", f"{child_id} op {day} op {', '.join(sorted(locs))}")

    def check_not_with(self) -> None:
        for (group_id, dagdeel), kids in self.kids_at.items():
            present = set(kids)
            for child_id in kids:
                for other in self.children[child_id].not_with:
                    if other in present:
                        self.fail("niet_samen", f"{child_id} en {other} samen in {group_id} op {dagdeel}")

    def check_staff(self) -> None:
        per_staff: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for staff_id, group_id, dagdeel in self.roster.staff:
            if staff_id not in self.staff or group_id not in self.groups or dagdeel not in self.week:
                self.fail("onbekend", f"rij ({staff_id}, {group_id}, {dagdeel}) verwijst naar iets onbekends")
                continue
            person = self.staff[staff_id]
            per_staff[staff_id].append((group_id, dagdeel))
            self.levels_at[(group_id, dagdeel)].append(person.education)
            if person.available and dagdeel not in person.available:
                self.fail("beschikbaarheid_medewerker", f"{staff_id} op {dagdeel}, niet beschikbaar")
            if person.locations and self.groups[group_id].location_id not in person.locations:
                self.fail("locatie_medewerker", f"{staff_id} op {self.groups[group_id].location_id}")
            if not self.group_open(group_id, dagdeel):
                self.fail("groep_open", f"{staff_id} in {group_id} op {dagdeel}: groep dicht")
        for staff_id, slots in per_staff.items():
            dagdelen = [d for _, d in slots]
            if len(set(dagdelen)) < len(dagdelen):
                self.fail("een_groep_per_dagdeel", f"{staff_id} staat twee keer op één dagdeel")
            if len(slots) > self.staff[staff_id].dagdelen_per_week:
                contract = self.staff[staff_id].dagdelen_per_week
                self.fail("contract", f"{staff_id}: {len(slots)} dagdelen, contract {contract}")
        for vacancy_id, level, group_id, dagdeel in self.roster.vacancies:
            if not self.vacancies_allowed:
                self.fail("vacatures_uit", f"{vacancy_id} op {group_id} {dagdeel} terwijl vacatures uit staan")
            self.levels_at[(group_id, dagdeel)].append(level)

    def check_groups(self) -> None:
        week_need: dict[str, Fraction] = defaultdict(Fraction)
        week_staff: dict[str, int] = defaultdict(int)
        share: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])  # hi, total
        for key in set(self.kids_at) | set(self.levels_at):
            group_id, dagdeel = key
            kids, levels = self.kids_at.get(key, []), self.levels_at.get(key, [])
            group = self.groups[group_id]
            products = sorted({self.children[c].product for c in kids})
            where = f"{group_id} op {dagdeel}"
            if len(kids) > group.capacity:
                self.fail("capaciteit", f"{where}: {_kinderen(len(kids))}, ruimte voor {group.capacity}")
            for code in products:
                rule = self.model.products[code]
                if len(kids) > rule.group_max:
                    self.fail("groepsgrootte", f"{where}: {_kinderen(len(kids))}, max {rule.group_max} ({code})")
                if len(kids) < rule.group_min:
                    self.fail("groepsminimum", f"{where}: {_kinderen(len(kids))}, min {rule.group_min} ({code})")
                if len(levels) < rule.min_staff:
                    self.fail("min_personeel", f"{where}: {_medewerkers(len(levels))}, min {rule.min_staff} ({code})")
                self._education(code, where, levels)
                for lv in rule.education.min_share:
                    if rule.education.share_scope == "week":
                        tally = share[(group.location_id, code, lv)]
                        tally[0] += sum(1 for x in levels if level_rank(x) >= level_rank(lv))
                        tally[1] += len(levels)
            for i, a in enumerate(products):
                for b in products[i + 1:]:
                    if not self.model.may_mix(a, b):
                        self.fail("mix", f"{where}: {a} en {b} mogen niet samen")
            if kids and not levels:
                self.fail("ratio", f"{where}: kinderen zonder begeleiding")
            strict = sum((self.model.products[self.children[c].product].staff_per_child for c in kids
                          if self.model.products[self.children[c].product].ratio_scope == "dagdeel"), Fraction(0))
            if len(levels) < strict:
                self.fail("ratio", f"{where}: {_medewerkers(len(levels))}, nodig {_nl(strict)}")
            if kids and any(self.model.products[p].ratio_scope == "week" for p in group.products
                            if p in self.model.products):
                week_need[group_id] += sum(self.model.products[self.children[c].product].staff_per_child for c in kids)
                week_staff[group_id] += len(levels)
        for group_id, need in week_need.items():
            if week_staff[group_id] < need:
                message = f"{group_id}: {week_staff[group_id]} medewerker-dagdelen, nodig {_nl(need)}"
                self.fail("ratio_week", message)
        for (location, code, lv), (high, total) in share.items():
            minimum = exact(self.model.products[code].education.min_share[lv])
            if high < minimum * total:
                message = f"{location}, {code}: {high} van {total} minstens {lv}, nodig {_nl(minimum * 100, 0)}%"
                self.fail("opleidingsmix", message)

    def _education(self, code: str, where: str, levels: list[str]) -> None:
        rule = self.model.products[code].education
        if rule.min_level and any(level_rank(x) < level_rank(rule.min_level) for x in levels):
            self.fail("opleidingsniveau", f"{where}: iemand onder {rule.min_level} ({code})")
        for lv, count in rule.min_count.items():
            if sum(1 for x in levels if level_rank(x) >= level_rank(lv)) < count:
                self.fail("opleiding_aantal", f"{where}: minder dan {count} x {lv} ({code})")
        for lv, share in rule.min_share.items():
            if rule.share_scope == "dagdeel":
                high = sum(1 for x in levels if level_rank(x) >= level_rank(lv))
                if high < exact(share) * len(levels):
                    self.fail("opleidingsmix", f"{where}: {high} van {len(levels)} minstens {lv} ({code})")


def _nl(value: Fraction | float, places: int = 2) -> str:
    """A figure as a Dutch reader writes it: 2.25 -> '2,25'; 0.5 -> '0,50'."""
    return f"{float(value):.{places}f}".replace(".", ",")


def _kinderen(n: int) -> str:
    return "1 kind" if n == 1 else f"{n} kinderen"


def _medewerkers(n: int) -> str:
    return "1 medewerker" if n == 1 else f"{n} medewerkers"


def check_roster(model: RegionModel, data: ProviderData, roster: Roster,
                 vacancies_allowed: bool = True, min_contract_use: float = 0.0) -> list[Violation]:
    """Every rule of the model and the data, re-checked on the roster; empty when all hold.

    One Violation (stable rule id, Dutch message naming person, group and dagdeel) per broken rule and
    place, from the raw inputs only (no solver code: tests/unit/test_verify_independence.py). The rules
    and their seeds: indication and product dagdelen, availability, one group and one location per
    dagdeel and day (contract "Data"); group maximum, minimum and ratio, exact fractions, per dagdeel or
    averaged per week (seed 002 lines 92-250, 003 lines 463-741, 004 lines 3613-3883); education level,
    counts and shares (004 lines 4674-5160); products that may mix (004 lines 4166-4228, KDC); distance
    and wheelchair access (002 lines 409-490); contracts and vacancies (`vacancies_allowed`: the
    scenario's `[solve] vacancies`); `min_contract_use` (0..1, scenario [solve]): everyone rostered at
    least that share of their contract, as planner/inputs/contract_minimum.py counts it (rule
    `contractgebruik`). Rows naming unknown ids are rule `onbekend`. Raises nothing."""
    checker = _Checker(model, data, roster, vacancies_allowed)
    checker.check_children()
    checker.check_not_with()
    checker.check_staff()
    checker.check_groups()
    checker.out.extend(contract_use(model, data, roster, min_contract_use))
    return checker.out


def contract_use(model: RegionModel, data: ProviderData, roster: Roster, share: float) -> list[Violation]:
    """`contractgebruik`: a staff member rostered fewer dagdelen than their minimum (contract_minimum.py)."""
    worked: dict[str, int] = defaultdict(int)
    for staff_id, _, _ in roster.staff:
        worked[staff_id] += 1
    out = []
    every = minimums(model, data, share)
    for s in data.staff:
        need = every.get(s.id)
        if need is None or worked[s.id] >= need.required:
            continue
        who = f"{s.id} ({s.name})" if s.name else s.id
        capped = f", beschikbaar op {need.possible}" if need.possible < need.wanted else ""
        out.append(Violation("contractgebruik", f"{who}: {worked[s.id]} dagdelen ingeroosterd, minimaal "
                             f"{need.required} ({_nl(share * 100, 0)}% van {need.base} contractdagdelen{capped}); "
                             f"tekort {need.required - worked[s.id]} dagdelen"))
    return out
