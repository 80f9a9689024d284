"""Redundant rows that make the cost bound tight; they cut off no roster. Also the product pools
and closed-form floors of the staff and transport cost.

Children of a product only sit in groups that offer it, so the staff-dagdelen on a *pool* of
groups (groups linked by shared products) must cover the ratio need of every child placed in
it. With the placed dagdelen per child as integer variables T_c whose sum is held at the
phase 1 optimum, propagation fixes T_c and rounds the pool's staff up to a whole number: the
"ceil" an LP relaxation otherwise misses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction

from planner.solver.formulation.container import Formulation, Var
from planner.solver.problem import ProblemData, cents, possible_dagdelen


def pools(pr: ProblemData) -> list[tuple[set[int], set[str]]]:
    """Connected groups and products: (group indices, product codes)."""
    parent = list(range(len(pr.groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_group: dict[str, int] = {}
    for g, group in enumerate(pr.groups):
        for code in group.products:
            if code in first_group:
                parent[find(g)] = find(first_group[code])
            else:
                first_group[code] = g
    found: dict[int, tuple[set[int], set[str]]] = {}
    for g, group in enumerate(pr.groups):
        groups, codes = found.setdefault(find(g), (set(), set()))
        groups.add(g)
        codes.update(group.products)
    return list(found.values())


def child_totals(f: Formulation) -> None:
    """A cut (registry.CUTS): T[c] = sum_{g, d} x[c, g, d] in 0..min(indication, possible dagdelen),
    per child with a slot; no row of its own, the pool rows and hold_placement work on it.
    Units: dagdelen. Fills `totals`."""
    pr, m = f.problem, f.model
    for c, entries in f.by_child.items():
        cap = min(pr.children[c].dagdelen_per_week, possible_dagdelen(pr, c))
        t = m.NewIntVar(0, cap, f"T[{pr.children[c].id}]")
        m.Add(t == sum(var for _, _, var in entries))
        f.totals[c] = t


def pool_rows(f: Formulation) -> None:
    """A cut (registry.CUTS): staff over a set of groups covers the children who can only sit there.

    For every group set G (each group alone, a pool's groups per location, a whole pool; bounds.pools)
    and the children K whose every slot lies in G, with S[g, d] the staff present (ratios.py), W the
    common denominator and w_c a child's weight:

        W x sum_{g in G, d open} S[g, d]  >=  sum_{c in K} w_c x T[c]

    through an integer total, so that with T fixed propagation rounds the staff up to whole persons.
    Valid for every roster (the ratio rows summed), so it cuts off none. Units: staff-dagdelen."""
    pr = f.problem
    homes = {c: frozenset(g for g, _, _ in entries) for c, entries in f.by_child.items()}
    everything = frozenset(range(len(pr.week)))
    for groups in _group_sets(f):
        _row(f, groups, everything, [c for c, home in homes.items() if home <= groups], f.totals)


def _row(f: Formulation, groups: frozenset[int], window: frozenset[int], kids: list[int],
         totals: dict[int, Var]) -> None:
    """Staff on `groups` during `window` covers the children who can only be there then."""
    pr, m = f.problem, f.model
    demand = [pr.child_weight(c) * totals[c] for c in kids]
    staff = [f.staff_count(g, d) for g in sorted(groups) for d in sorted(pr.group_open[g] & window)
             if f.by_gd.get((g, d))]
    if staff and demand:
        bound = (len(pr.staff) + sum(pr.groups[g].capacity + 2 for g in groups)) * len(window)
        total = m.NewIntVar(0, bound, "")
        m.Add(total == sum(staff))
        m.Add(pr.staff_weight * total >= sum(demand))


def _group_sets(f: Formulation) -> list[frozenset[int]]:
    """Single groups, a pool's groups per location, and whole pools."""
    pr = f.problem
    sets: set[frozenset[int]] = set()
    for groups, _ in pools(f.problem):
        sets.add(frozenset(groups))
        by_location: dict[int, set[int]] = defaultdict(set)
        for g in groups:
            sets.add(frozenset({g}))
            by_location[pr.group_location[g]].add(g)
        sets.update(frozenset(x) for x in by_location.values())
    return sorted(sets, key=lambda x: (len(x), sorted(x)))


def cheapest(offers: Sequence[tuple[Fraction | int, int]], amount: int) -> Fraction:
    """The least `amount` units cost when (price per unit, units on offer) are taken cheapest first: the
    floors below in closed form. Fewer on offer than `amount`: what is on offer."""
    total, left = Fraction(0), amount
    for price, count in sorted(offers):
        if left <= 0:
            break
        take = min(count, left)
        total += price * take
        left -= take
    return total


def staff_floor(pr: ProblemData, placed: int) -> int:
    """A lower bound (cents per week) of the staff cost of any roster placing `placed` dagdelen, in closed form.

    Every placed dagdeel of a child needs `staff_per_child` of a staff-dagdeel (the ratio rows summed
    over a group-dagdeel, or over a group's week for weekly ratios) and staff come in whole dagdelen, so
    the `placed` least demanding child-dagdelen (each child at most its own maximum) need at least U
    staff-dagdelen. Each person gives at most min(contract, dagdelen they are available for) of them at
    their own wage, a vacancy (when allowed) any number at its level's wage plus the penalty: the U
    cheapest of those is the floor (session 7; before, U times the single cheapest wage, which a
    staff-short region with a few cheap part-timers left far too low). Instant on any size."""
    if placed <= 0:
        return 0
    need = [(pr.child_weight(c), min(ch.dagdelen_per_week, possible_dagdelen(pr, c)))
            for c, ch in enumerate(pr.children)]
    units = int(cheapest(need, placed))
    offers = [(pr.staff_cost[s], min(pr.staff[s].dagdelen_per_week, len({d for _, d in slots})))
              for s, slots in enumerate(pr.staff_slots)]
    if pr.rules.vacancies:
        penalty = cents(pr.rules.vacancy_penalty)
        wages = [pr.level_cost[lv] + penalty for lv in pr.rules.vacancy_levels if lv in pr.level_cost]
        if wages:
            offers.append((min(wages), placed * len(pr.week)))  # more than any roster can need
    return int(cheapest(offers, -(-units // pr.staff_weight)))  # whole staff-dagdelen: rounded up


def transport_floor(pr: ProblemData, placed: int) -> int:
    """A lower bound (cents per week) of the transport cost of any roster placing `placed` dagdelen.

    A child with paid transport attending k dagdelen comes on at least k / K days (K: its product's
    most dagdelen a day), each at least its cheapest trip's price per day (core/trips.py; seed 002
    lines 457-490: a fixed amount per client per day by distance band); own transport costs nothing.
    So the cost is at least the `placed` cheapest child-dagdelen at those prices, each child at most its
    own maximum, rounded down to whole cents."""
    if placed <= 0:
        return 0
    per: list[tuple[Fraction, int]] = []
    for c, ch in enumerate(pr.children):
        most = min(ch.dagdelen_per_week, possible_dagdelen(pr, c))
        if most <= 0:
            continue
        if ch.transport == "eigen" or not pr.trips[c]:
            per.append((Fraction(0), most))
        else:
            day = min(trip.cost_per_day for trip in pr.trips[c].values())
            per.append((Fraction(day, pr.model.products[ch.product].max_dagdelen_per_day), most))
    return int(cheapest(per, placed))


def cost_floor(pr: ProblemData, placed: int) -> int:
    """staff_floor + transport_floor (cents per week): both are parts of the weekly cost, each at least its
    own floor, and the other parts (specialists, groups opened) are never negative. The bound a solve
    reports when nothing better is proven in its time ("kostenvloer")."""
    return staff_floor(pr, placed) + transport_floor(pr, placed)
