"""Transport and attendance days: one location a day, paid transport billed per attendance day."""

from __future__ import annotations

from collections import defaultdict

from planner.solver.formulation import Formulation


def add(f: Formulation) -> None:
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
                f.cost_terms.append(("vervoer", trips[loc].cost_per_day, come))
        for vars_ in per_day.values():
            if len(vars_) > 1:
                m.AddAtMostOne(vars_)  # one location a day: no transfers between sites


def day_rows(f: Formulation) -> None:
    """Redundant rows for the cost bound (bounds.py adds them after the placement phase): a day
    holds at most K of a child's dagdelen, so K x (days attended) >= dagdelen placed, per day and
    over the week (whole days, rounded up). The implications alone let the LP attend half a day
    per dagdeel spread over groups."""
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
