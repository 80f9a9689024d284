"""Transport and attendance days: one location a day, paid transport billed per attendance day."""

from __future__ import annotations

from collections import defaultdict

from planner.formulation import Formulation


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
