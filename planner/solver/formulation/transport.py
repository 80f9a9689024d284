"""Transport and attendance days: one location a day, paid transport billed per attendance day."""

from __future__ import annotations

from collections import defaultdict

from planner.solver.formulation.container import Formulation


def add(f: Formulation) -> None:
    """Attendance days: one location a day, and paid transport billed per attendance day (hard, cost).

    For a child with paid transport, or with own transport but groups at two or more locations,
    attend[c, t, l] in {0, 1} per day t and location l it could sit at, equal to "any dagdeel that
    day there" (x[c, g, d] <= attend[c, t, l] for each such slot, attend <= their sum), and

        sum_l attend[c, t, l] <= 1                 per day: no transfers between sites

    Cost `vervoer`: the trip's price per attendance day (cents; both ways when the model bills per
    trip, problem.trips_for) x attend[c, t, l] for paid transport; own transport costs nothing.
    Units: days. The price table (band x mode) is the region model's (seed 002 lines 457-490:
    "een vast bedrag per cliënt per dag", by distance band and group, wheelchair or individual
    transport). Fills `attend`."""
    pr, m = f.problem, f.model
    for c, entries in f.by_child.items():
        trips = pr.trips[c]
        paid = pr.children[c].transport != "eigen"
        per_day_loc: dict[tuple[str, int], list] = defaultdict(list)
        for g, d, var in entries:
            per_day_loc[(pr.day_of(d), pr.group_location[g])].append(var)
        locations = {loc for _, loc in per_day_loc}
        if not paid and len(locations) < 2:
            continue
        per_day: dict[str, list] = defaultdict(list)
        for (day, loc), vars_ in per_day_loc.items():
            come = m.NewBoolVar(f"attend[{pr.children[c].id},{day},{pr.location_ids[loc]}]")
            f.attend[(c, day, loc)] = come
            for var in vars_:
                m.AddImplication(var, come)
            m.Add(come <= sum(vars_))
            per_day[day].append(come)
            if paid:
                f.charge("vervoer", trips[loc].cost_per_day, come)
        for vars_ in per_day.values():
            if len(vars_) > 1:
                m.AddAtMostOne(vars_)  # one location a day: no transfers between sites


def day_rows(f: Formulation) -> None:
    """A cut (registry.CUTS) per child with paid transport: a day holds at most K of its dagdelen
    (K = min(max_dagdelen_per_day, its dagdelen that day)), so

        K x sum_l attend[c, t, l]  >= sum_{g, d on t} x[c, g, d]       per day t
        K* x (days attended)       >= sum_{g, d} x[c, g, d]            over the week, K* the largest K > 1

    with the days attended an integer, so whole days are rounded up. The implications alone let the
    LP attend half a day per dagdeel spread over groups. Valid for every roster. Units: days."""
    pr = f.problem
    comes: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for (c, day, _), come in f.attend.items():
        comes[c][day].append(come)
    for c, entries in f.by_child.items():
        if pr.children[c].transport == "eigen":
            continue
        per_day = comes[c]
        placed_on: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for _, d, var in entries:
            placed_on[pr.day_of(d)][d].append(var)
        _day_rows(f, c, per_day, placed_on)


def _day_rows(f: Formulation, c: int, per_day: dict[str, list], placed_on: dict[str, dict[int, list]]) -> None:
    pr, m = f.problem, f.model
    per_day_max = pr.model.products[pr.product(c)].max_dagdelen_per_day
    week_cap = 0
    for day, comes in per_day.items():
        dagdelen = placed_on[day]
        k = min(per_day_max, len(dagdelen))
        week_cap = max(week_cap, k)
        m.Add(k * sum(comes) >= sum(var for vars_ in dagdelen.values() for var in vars_))
    if week_cap > 1:
        days = m.NewIntVar(0, len(per_day), f"days[{pr.children[c].id}]")
        m.Add(days == sum(var for comes in per_day.values() for var in comes))
        m.Add(week_cap * days >= sum(var for _, _, var in f.by_child[c]))
