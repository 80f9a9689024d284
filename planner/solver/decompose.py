"""Large instances: solve by location cluster, then merge (issue 4: "decompose where a single model is too big").

Locations are grouped into clusters of nearby sites (`cluster_size`, default 3). Every child goes to
one cluster (its fixed location's, else where a maximum flow of children to seats puts most of its
dagdelen with the least distance travelled (flow.py), else its nearest reachable group's), every staff member
to one cluster among those they may work in, so that each cluster has the staff of each level the flow's
placement needs there (crew.py: an assignment model; no cluster short of a level while another has idle
staff of it). Each cluster is then an ordinary, smaller planning problem;
its roster only uses its own locations, children and staff, so the union of the cluster rosters keeps
every rule (the checker re-checks it on the whole instance).

What it costs: a child cannot move to another cluster, a staff member works in one cluster. The gap
reported is against the sum of the cluster bounds, a lower bound for this decomposed problem, not for
the undivided one (which is too big to bound in the time).
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from planner.core.gap import relative_gap
from planner.core.ids import positions
from planner.core.roster import Roster, number_vacancies
from planner.core.trips import distance_km
from planner.inputs.catalogue import RegionModel
from planner.inputs.data import ProviderData
from planner.inputs.geo import straight_km
from planner.solver import dask_clusters
from planner.solver.budget import SHARES
from planner.solver.crew import assign_staff, minimum_clusters
from planner.solver.flow import Flow, placement_flow
from planner.solver.phases.placement import placement_cap
from planner.solver.post.extend import place_more
from planner.solver.problem import ProblemData, build_problem
from planner.solver.replan import PreviousIndex, PreviousRoster, replanning
from planner.solver.request import SolveRequest
from planner.solver.solve import Budget, Progress, Result, hand_roster, settle, solve, solve_job

SEQUENTIAL = SHARES["clusters"]  # one after the other: the clusters' share; the rest for extend.place_more
DETOUR = 10.0  # km: how much farther a seat in a cluster short of staff weighs in the second flow
# wall seconds per cluster below which a decomposed solve does not start the clusters (the flows, the staff
# split and each cluster's model cost about half a second per L cluster on an idle machine, more loaded)
CLUSTER_SETUP_S = 1.0
DECOMPOSE_ABOVE = 20_000  # placement variables: "auto" decomposes above this (given enough locations)


def should_decompose(pr: ProblemData, request: SolveRequest) -> bool:
    """Whether `pr` is solved by location cluster: the request's `decompose` ("ja", "nee", or "auto":
    above DECOMPOSE_ABOVE placement variables) and more locations than one cluster holds."""
    mode = request.decompose
    if mode == "nee" or len(pr.location_ids) <= request.cluster_size:
        return False
    return mode == "ja" or sum(len(s) for s in pr.child_slots) > DECOMPOSE_ABOVE


def location_clusters(data: ProviderData, size: int) -> list[list[str]]:
    """Nearby locations together, `size` at most: repeatedly the site farthest from the centre with its
    nearest unassigned neighbours (deterministic)."""
    locs = {loc.id: (loc.lat, loc.lon) for loc in data.locations}
    lat0 = sum(p[0] for p in locs.values()) / len(locs)
    lon0 = sum(p[1] for p in locs.values()) / len(locs)
    left = sorted(locs)
    clusters = []
    while left:
        seed = max(left, key=lambda x: (straight_km(*locs[x], lat0, lon0), x))
        near = sorted(left, key=lambda x: (straight_km(*locs[x], *locs[seed]), x))[:size]
        clusters.append(sorted(near))
        left = [x for x in left if x not in near]
    return clusters


def split(pr: ProblemData, clusters: list[list[str]], previous: PreviousRoster | None = None,
          flow: Flow | None = None, seed: int = 0) -> list[ProviderData]:
    """Children and staff to clusters; when replanning, where they were in the previous roster.
    `flow`: the instance's placement flow, when the caller has it already; `seed`: the plan's (crew.py)."""
    data, model = pr.data, pr.model
    was = _previous_places(previous, pr)
    cluster_of = {loc: i for i, members in enumerate(clusters) for loc in members}
    loc_index = positions(loc.id for loc in data.locations)
    flow = flow or placement_flow(pr)  # where the seats are: the least-travel maximum flow (flow.py)
    crew, short = assign_staff(pr, clusters, flow, was, seed)  # staff follow the flow's demand per level (crew.py)
    if any(short) and previous is None:
        # children near a cluster short of staff may sit a little farther, where staff are idle: the same
        # maximum flow with the short clusters' seats DETOUR km farther; kept when fewer vacancies remain
        far = {loc_index[loc]: DETOUR for k, members in enumerate(clusters) if short[k] for loc in members}
        other = placement_flow(pr, far)
        crew_other, short_other = assign_staff(pr, clusters, other, was, seed)
        if sum(short_other) < sum(short):
            flow, crew = other, crew_other
    kids: dict[int, list] = defaultdict(list)
    for c, child in enumerate(pr.children):
        reachable = sorted({pr.location_ids[pr.group_location[g]] for g, _ in pr.child_slots[c]})
        if child.location:
            home = child.location
        elif child.id in was and was[child.id] in reachable:
            home = was[child.id]
        elif c in flow.where:  # where the flow seats most of its dagdelen, nearest on a tie
            seats = flow.where[c]
            home = min((pr.location_ids[li] for li in seats),
                       key=lambda x: (-seats[loc_index[x]], distance_km(data, model.transport.road_factor, child,
                                                                        loc_index[x]), x))
        elif reachable:
            home = min(reachable, key=lambda x: (distance_km(data, model.transport.road_factor, child,
                                                             loc_index[x]), x))
        else:  # placeable nowhere: its nearest site's cluster explains why on the waiting list
            home = min(loc_index, key=lambda x: (straight_km(child.lat, child.lon, data.locations[loc_index[x]].lat,
                                                             data.locations[loc_index[x]].lon), x))
        kids[cluster_of[home]].append(child)
    parts = []
    for k, members in enumerate(clusters):
        here = set(members)
        ids = {c.id for c in kids[k]}
        parts.append(replace(
            data,
            locations=tuple(loc for loc in data.locations if loc.id in here),
            groups=tuple(g for g in data.groups if g.location_id in here),
            staff=tuple(replace(s, locations=tuple(sorted(here & set(s.locations or here)))) for s in crew[k]),
            children=tuple(replace(c, not_with=tuple(o for o in c.not_with if o in ids)) for c in kids[k]),
            distances={key: km for key, km in data.distances.items() if key[0] in ids and key[1] in here},
        ))
    return parts


def _previous_places(previous: PreviousRoster | None, pr: ProblemData) -> dict[str, str]:
    """Per person: the location where they had most dagdelen in the previous roster."""
    if previous is None:
        return {}
    location_of = {g.id: g.location_id for g in pr.groups}
    count: dict[str, Counter] = defaultdict(Counter)
    for person, group, _ in (*previous.children, *previous.staff):
        if group in location_of:
            count[person][location_of[group]] += 1
    return {person: max(sorted(c), key=lambda loc: c[loc]) for person, c in count.items()}


def solve_by_clusters(pr: ProblemData, request: SolveRequest, report: Callable[[Progress], None] | None = None,
                      previous: PreviousRoster | None = None, keep: frozenset[str] = frozenset(),
                      budget: Budget | None = None) -> Result:
    """Solve each cluster with its share of the time limit (by size), then merge the rosters.

    With vacancies allowed (not replanning) the clusters run one after the other with every CP-SAT worker,
    so that each can use the product pools. Otherwise, with 2 or more workers, the clusters run side
    by side in spawned processes (one CP-SAT worker each,
    the longest first), each with `workers` times its share of the limit: more search per cluster in
    the same wall time. Progress is then not reported per solution (the processes have no callback).

    Replanning: each cluster gets the part of the previous roster about its own people and groups.
    `budget`: the plan's clock (budget.py); each cluster's solve stays within its deadline."""
    model: RegionModel = pr.model
    began = time.perf_counter()
    whole = replanning(pr, previous, keep)
    clusters = location_clusters(pr.data, request.cluster_size)
    if any(fits == set() for fits in minimum_clusters(pr, clusters)):
        # someone's minimum contract use needs locations of two clusters: only the whole can hold it
        return solve(pr, report, budget, request=request, previous=whole)
    hand = hand_roster(pr, budget or Budget.begin(request, reserve=False), whole)  # always a candidate
    if hand is not None and budget is not None and not budget.deterministic and \
            budget.wall_left() < CLUSTER_SETUP_S * len(clusters):
        # too little time for the clusters to start (splitting, a model per cluster): the hand planner's
        # roster of the whole instance, at once (user test of issue 16: L at a 3-5 s limit ended 1-3 s late)
        early = Result("FEASIBLE", "FEASIBLE", 0.0, 0.0, 0.0, time.perf_counter() - began, 0.0, hand,
                       placed=len(hand.children), placed_bound=placement_cap(pr), clusters=len(clusters))
        return settle(pr, early, hand, budget, whole)
    flow = placement_flow(pr)
    parts = split(pr, clusters, previous, flow, request.seed)
    problems = [build_problem(model, part, pr.rules) for part in parts]
    indexes = [replanning(p, _part_of(previous, part), keep) for p, part in zip(problems, parts, strict=True)]
    sizes = [max(1, sum(len(s) for s in p.child_slots)) for p in problems]
    results = []
    # with vacancies allowed (and not replanning) the clusters run one after the other with every
    # CP-SAT worker, so each can use the product pools (relax.py), which need two workers: L then
    # places 1,588 of 1,588 at EUR 106,291 against 1,585 at EUR 115,727 side by side
    pooled = pr.rules.vacancies and previous is None and request.workers >= 2
    # clusters side by side: `workers` processes of one CP-SAT worker each
    jobs = min(request.workers, len(problems)) if not pooled else 1
    todo: list[tuple[ProblemData, SolveRequest, PreviousIndex | None]] = []
    for p, index, n in zip(problems, indexes, sizes, strict=True):
        if p.children:
            # in parallel each cluster may take `jobs` times its share, less a fifth for starting the
            # processes and for the last cluster's tail
            share = max(2.0, request.time_limit_s * n / sum(sizes) * (jobs * 0.8 if jobs > 1 else SEQUENTIAL))
            todo.append((p, replace(request, time_limit_s=share, workers=max(1, request.workers // jobs)), index))
    client = dask_clusters.current()
    if client is not None:  # planner plan --cluster: the same problems as tasks on a Dask cluster
        results = dask_clusters.solve_all(client, todo, budget.request if budget else request)
    elif jobs > 1:
        order = sorted(range(len(todo)), key=lambda i: -todo[i][1].time_limit_s)  # longest first
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            done = dict(zip(order, pool.map(solve_job, [todo[i] for i in order]), strict=True))
        results = [done[i] for i in range(len(todo))]
    else:
        wall = budget is not None and not budget.deterministic
        sizes_left = sum(max(1, sum(len(s) for s in p.child_slots)) for p, _, _ in todo)
        for p, part_request, index in todo:
            seconds = part_request.time_limit_s
            n = max(1, sum(len(s) for s in p.child_slots))
            if wall and budget is not None:
                # wall clock: each cluster its part (by size) of what is left before the border step's
                # share, when it starts: time an earlier cluster did not use goes to the later ones,
                # and the last cluster is not cut short by the deadline
                seconds = max(0.0, budget.wall_left() - budget.span * (1 - SEQUENTIAL)) * n / sizes_left
            sizes_left -= n
            results.append(solve(p, report, budget.part(seconds) if budget else None, request=part_request,
                                 previous=index))
            if results[-1].interrupted:
                break
    merged = merge(results, time.perf_counter() - began)
    # the cluster bounds hold for the divided problem only; the maximum flow of children to seats
    # (never above each child's own maximum: its arcs carry the same limits) holds for the whole
    cap = flow.placed
    status = "OPTIMAL" if merged.placed >= cap else "FEASIBLE"
    merged = replace(merged, placed_bound=cap, placement_status=status)
    if previous is None and not merged.interrupted:
        # what the borders cost: seats a child of another cluster could have taken (extend.py)
        limit = request.time_limit_s
        left = limit * (1 - SEQUENTIAL) if request.deterministic else limit - (time.perf_counter() - began)
        if budget is not None and not request.deterministic:
            left = budget.wall_left()
        if left > 0 or request.deterministic:
            merged = place_more(pr, merged, cap, left if budget and not request.deterministic else max(1.0, left),
                                request)
    return settle(pr, merged, hand, budget or Budget.begin(request, reserve=False), whole)


def _part_of(previous: PreviousRoster | None, part: ProviderData) -> PreviousRoster | None:
    if previous is None:
        return None
    kids, crew, groups = {c.id for c in part.children}, {s.id for s in part.staff}, {g.id for g in part.groups}
    return replace(previous, children=tuple(r for r in previous.children if r[0] in kids),
                   staff=tuple(r for r in previous.staff if r[0] in crew),
                   vacancies=tuple(v for v in previous.vacancies if v[1] in groups))


def merge(results: list[Result], seconds: float) -> Result:
    children = tuple(sorted(x for r in results for x in r.roster.children))
    staff = tuple(sorted(x for r in results for x in r.roster.staff))
    opened = tuple(sorted(x for r in results for x in r.roster.opened))
    vacancies = number_vacancies(sorted(((lv, g, d) for r in results for _, lv, g, d in r.roster.vacancies),
                                        key=lambda v: (v[2], v[1], v[0])))
    terms: dict[str, float] = defaultdict(float)
    for r in results:
        for k, v in r.terms.items():
            terms[k] += v
    objective = sum(r.objective for r in results)
    bound = sum(r.best_bound for r in results)
    # even when every cluster is solved to optimality, the divided problem's optimum is not proven
    # to be the whole's: the merged roster is a good roster, not a proven optimal one
    status = "FEASIBLE" if children else "UNKNOWN"
    failed = [r.status for r in results if r.status in ("INFEASIBLE", "MODEL_INVALID")]
    if failed:  # e.g. pins that cannot hold in one cluster: say so, do not hide it in the merge
        status = failed[0]
    placement = "OPTIMAL" if {r.placement_status for r in results} == {"OPTIMAL"} else "FEASIBLE"
    firsts = [r.first_solution_seconds for r in results if r.first_solution_seconds is not None]
    placed = sum(len(r.roster.children) for r in results)
    return Result(
        status=status, placement_status=placement, objective=round(objective, 2), best_bound=round(bound, 2),
        gap=relative_gap(objective, bound), solve_seconds=seconds,
        first_solution_seconds=min(firsts) if firsts else None,
        roster=Roster(children, staff, vacancies, opened), terms=dict(terms),
        placed=placed, placed_bound=sum(r.placed_bound for r in results),
        interrupted=any(r.interrupted for r in results), clusters=len(results),
    )
