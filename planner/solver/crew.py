"""The staff split of a decomposed solve: every staff member to one cluster, so that staff follow demand.

Demand: the placement flow (flow.py) seats children on group-dagdelen; packed per location, dagdeel and
product into full groups, each group needs the staff the hand planner's rule gives it (greedy.staff_needs:
the ratio, min_staff, min_level, min_count and min_share of its products). Per cluster and level L
that is D[k, L], the staff-dagdelen that must be of level L or higher. Supply: a staff member of level
l brings min(contract, dagdelen they can work) staff-dagdelen to every level up to l.

Assignment (a small CP-SAT model): x[s, k] = 1 when s works in cluster k (only clusters where s may
work), v[k, L] vacancy-dagdelen of level L the cluster would still need. For every cluster and level,
staff and vacancies of at least L cover D[k, L] (for levels that nest this is also enough: Hall's
condition on a chain). Minimised: the vacancies at their wage plus the vacancy penalty; then a margin
of a fifth over D (the rounding and the days the flow does not see), so spare staff go where they will
most likely be needed; then staying in the cluster where most of one's slots are. No cluster is left
short of a level while another has idle staff of it who may work there: moving them would lower the
objective. Deterministic: one CP-SAT worker, deterministic time, the scenario's seed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.inputs.catalogue import LEVELS, level_rank
from planner.inputs.contract_minimum import minimum, workable
from planner.inputs.data import Staff
from planner.solver.flow import Flow
from planner.solver.greedy import staff_needs
from planner.solver.problem import ProblemData, cents

# spare staff are worth something up to these multiples of a cluster's demand, less the higher the multiple
# (cents per staff-dagdeel short of it): spares spread over the clusters in proportion to their demand
MARGINS = ((1.2, 1000), (1.5, 100), (2.0, 10))
SECONDS = 1.0  # CP-SAT deterministic seconds for the split


def level_demand(pr: ProblemData, flow: Flow, cluster_of_group: Sequence[int], n_clusters: int) -> list[list[int]]:
    """D[k][i]: staff-dagdelen of level LEVELS[i] or higher that cluster k needs for the flow's seats.

    The flow spreads children over the group-dagdelen of a location; a roster packs them: per location,
    dagdeel and product the children seated there are packed into as few groups as the product's
    group_max allows, each staffed by greedy.staff_needs."""
    packed: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    where: dict[tuple[int, int, str], int] = {}
    for (g, d), members in sorted(flow.seats.items()):
        for c in members:
            key = (pr.group_location[g], d, pr.product(c))
            packed[key].append(c)
            where[key] = cluster_of_group[g]
    need = [[0] * len(LEVELS) for _ in range(n_clusters)]
    for key, members in sorted(packed.items()):
        size = pr.model.products[key[2]].group_max
        groups = -(-len(members) // size)
        for j in range(groups):
            count, base, at_least = staff_needs(pr, members[j::groups])
            k = where[key]
            for i, level in enumerate(LEVELS):
                if level_rank(level) <= level_rank(base):
                    need[k][i] += count
                else:
                    need[k][i] += min(count, max((n for lv, n in at_least if level_rank(lv) >= i), default=0))
    return need


def assign_staff(pr: ProblemData, clusters: list[list[str]], flow: Flow, was: dict[str, str],
                 seed: int = 0) -> tuple[dict[int, list[Staff]], list[int]]:
    """Staff to clusters (index -> members, in input order) by the model above, and per cluster the
    vacancy-dagdelen it still needs by this count (0 where its staff cover the flow's demand).

    `clusters`: location ids per cluster; `was`: staff id -> location in the previous roster (kept there
    when that location's cluster is one they may work in); `seed`: CP-SAT's random seed (the plan's)."""
    cluster_of = {loc: i for i, members in enumerate(clusters) for loc in members}
    cluster_of_group = [cluster_of[pr.location_ids[pr.group_location[g]]] for g in range(len(pr.groups))]
    need = level_demand(pr, flow, cluster_of_group, len(clusters))
    m = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    supply, home, choices = [], [], []
    holds = minimum_clusters(pr, clusters)
    for s, slots in enumerate(pr.staff_slots):
        per_cluster = Counter(cluster_of_group[g] for g, _ in slots)
        options = sorted(per_cluster) or [0]
        fits = holds[s]
        if fits is not None:  # [solve] min_contract_use: only where their minimum can be met
            options = [k for k in options if k in fits] or options
        home.append(min(options, key=lambda k: (-per_cluster[k], k)))
        supply.append(min(pr.staff[s].dagdelen_per_week, len({d for _, d in slots})))
        before = cluster_of.get(was.get(pr.staff[s].id, ""))
        if before in options:
            options = [before]
        choices.append(options)
        for k in options:
            x[(s, k)] = m.NewBoolVar(f"x{s}_{k}")
        m.AddExactlyOne(x[(s, k)] for k in options)
    members: dict[int, list[int]] = {k: [s for s in range(len(pr.staff)) if k in choices[s]]
                                      for k in range(len(clusters))}
    penalty = cents(pr.rules.vacancy_penalty)
    terms = []
    short: list[list[cp_model.IntVar]] = []
    for k in range(len(clusters)):
        vacancies: list[cp_model.IntVar] = []
        short.append(vacancies)
        for i in reversed(range(len(LEVELS))):
            v = m.NewIntVar(0, max(need[k][i:]), f"v{k}_{i}")  # shortage, also when vacancies are off
            vacancies.append(v)
            terms.append((pr.level_cost[LEVELS[i]] + penalty) * v)
            cover = sum(supply[s] * x[(s, k)] for s in members[k] if level_rank(pr.staff[s].education) >= i)
            m.Add(cover + sum(vacancies) >= need[k][i])
            for j, (margin, weight) in enumerate(MARGINS):
                spare = m.NewIntVar(0, int(need[k][i] * margin) + 1, f"u{k}_{i}_{j}")
                m.Add(cover + sum(vacancies) + spare >= int(need[k][i] * margin))
                terms.append(weight * spare)
    terms.extend(var for (s, k), var in x.items() if k != home[s])
    m.Minimize(sum(terms))
    for (s, k), var in x.items():  # a start: everyone where most of their slots are
        m.AddHint(var, int(k == home[s]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = SECONDS
    solver.parameters.random_seed = seed
    status = solver.Solve(m)
    solved = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    crew: dict[int, list[Staff]] = {k: [] for k in range(len(clusters))}
    for s, member in enumerate(pr.staff):
        # everyone at home is always a solution; without one in the time, never lose a person
        k = next(k for k in choices[s] if solver.Value(x[(s, k)])) if solved else home[s]
        crew[k].append(member)
    missing = [sum(solver.Value(v) for v in vacancies) if solved else max(need[k]) for k, vacancies in enumerate(short)]
    return crew, missing


def minimum_clusters(pr: ProblemData, clusters: list[list[str]]) -> list[set[int] | None]:
    """[solve] min_contract_use: per staff index, the clusters in which their minimum (contract_minimum.py)
    can be met with the cluster's locations only; None for someone without a minimum. A cluster's problem
    counts the person's minimum on its own locations, and it is at least the whole instance's there."""

    share = pr.rules.min_contract_use
    out: list[set[int] | None] = []
    for person in pr.staff:
        need = minimum(pr.model, pr.data, person, share).required if share else 0
        if not need:
            out.append(None)
            continue
        fits = set()
        for k, members in enumerate(clusters):
            here = set(members)
            local = replace(person, locations=tuple(sorted(here & set(person.locations or here))))
            if local.locations and len(workable(pr.model, pr.data, local)) >= need:
                fits.add(k)
        out.append(fits)
    return out
