"""Solving by location cluster: every rule still holds on the merged roster, nobody is in two clusters."""

from __future__ import annotations

from collections import Counter

from planner.decompose import location_clusters, should_decompose, split
from planner.problem import build_problem
from tests import builders as b

SITES = {"A1": (52.10, 4.40), "A2": (52.11, 4.41), "B1": (52.30, 4.70), "B2": (52.31, 4.71)}


def _instance():
    model = b.model()
    locations = [b.loc(k, lat=lat, lon=lon) for k, (lat, lon) in SITES.items()]
    groups = [b.group(f"G{k}", "DBS-MIDDEN, DB-VG-GEDRAG", capacity=6, location=k, open="ma, di, wo")
              for k in SITES]
    staff = [b.staff(f"S{i}", "HBO" if i % 2 else "MBO4", 6) for i in range(8)]
    kids = [b.child(f"C{k}{i}", "DBS-MIDDEN" if i % 2 else "DB-VG-GEDRAG", 2, lat=lat + 0.004 * i, lon=lon)
            for k, (lat, lon) in SITES.items() for i in range(3)]
    return model, b.data(locations, groups, staff, kids)


def test_clusters_are_near_and_bounded():
    model, data = _instance()
    assert location_clusters(data, 2) == [["A1", "A2"], ["B1", "B2"]]
    assert all(len(c) <= 3 for c in location_clusters(data, 3))


def test_split_gives_each_person_one_cluster_and_balances_staff():
    model, data = _instance()
    pr = build_problem(model, data, b.settings(decompose="ja", cluster_size=2))
    assert should_decompose(pr)
    parts = split(pr, location_clusters(data, 2))
    kids = Counter(c.id for p in parts for c in p.children)
    crew = Counter(s.id for p in parts for s in p.staff)
    assert set(kids) == {c.id for c in data.children} and max(kids.values()) == 1
    assert set(crew) == {s.id for s in data.staff} and max(crew.values()) == 1
    assert [len(p.staff) for p in parts] == [4, 4]  # equal demand, equal staff
    assert {c.id[1] for c in parts[0].children} == {"A"}  # children stay near home
    for p in parts:
        here = {loc.id for loc in p.locations}
        assert all(set(s.locations) <= here for s in p.staff)


def test_decomposed_plan_passes_the_checker():
    model, data = _instance()
    plan = b.plan(model, data, decompose="ja", cluster_size=2, time_limit_s=4)
    assert plan.violations == []
    assert plan.result.clusters == 2
    assert plan.placed == sum(c.dagdelen_per_week for c in data.children)
    # every child's own maximum reached: the placement is proven maximal for the whole instance
    assert plan.result.placed_bound == plan.placed and plan.result.placement_status == "OPTIMAL"
    assert plan.result.best_bound <= plan.result.objective + 0.01
    whole = b.plan(model, data, decompose="nee", time_limit_s=4)
    assert whole.result.clusters == 0 and whole.violations == []


def test_decomposed_replan_of_the_unchanged_instance_changes_nothing(tmp_path):
    from planner.plan import make_plan_from, write_plan
    from planner.previous import read_previous

    model, data = _instance()
    settings = b.settings(decompose="ja", cluster_size=2, time_limit_s=3)
    first = make_plan_from(model, data, settings)
    write_plan(first, tmp_path / "vorige")
    previous = read_previous(tmp_path / "vorige" / "roster.csv", ("ochtend", "middag"))
    again = make_plan_from(model, data, settings, previous=previous)
    assert again.violations == [] and again.result.clusters == 2
    assert again.changes == ()
    # one staff member leaves: only their dagdelen change hands, children stay
    gone = first.result.roster.staff[0][0]
    fewer = b.data(data.locations, data.groups, [s for s in data.staff if s.id != gone], data.children)
    third = make_plan_from(model, fewer, settings, previous=previous)
    assert third.violations == [] and third.change_summary.children_changed == 0
    assert third.change_summary.staff_changed == 0 and third.change_summary.staff_gone == 1
