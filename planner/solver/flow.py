"""An upper bound on the dagdelen that can be placed at all: a maximum flow.

source -> child (its indication, at most the product's dagdelen a week)
       -> (child, day) (the product's dagdelen a day) -> (child, dagdeel) (1: one group a dagdeel)
       -> (group, dagdeel) (the room, and at most the largest group maximum of the group's products)
       -> sink.

Every roster is such a flow, so the maximum flow bounds the placement of the whole, undivided
instance. It leaves out not_with pairs, which products may mix, one location a day and staff (with
vacancies allowed staff never limit the placement), so it can be higher than what is reachable;
where a roster reaches it, that roster places every placeable dagdeel. It is exact arithmetic on
integers and takes well under a second on XL (1,500 children, 240,000 allowed slots).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

from planner.solver.problem import ProblemData


@dataclass(frozen=True)
class Flow:
    placed: int  # the maximum flow: no roster places more dagdelen
    where: dict[int, Counter]  # child -> location index -> dagdelen the flow puts there
    # (group, dagdeel) -> the children the flow seats there: what the staff split (crew.py) prices
    seats: dict[tuple[int, int], list[int]] = field(default_factory=dict)


def placement_flow(pr: ProblemData, detour: dict[int, float] | None = None) -> Flow:
    """The maximum flow, and among those the one with the least distance travelled (children near
    home, as the transport cost wants), so decompose.py can send each child where it fits.

    `detour`: location index -> km added to every seat there (decompose.py: locations of clusters
    short of staff weigh as that much farther away); the maximum stays the same."""
    detour = detour or {}
    graph = min_cost_flow.SimpleMinCostFlow()
    nodes: dict[tuple, int] = {}

    def node(key: tuple) -> int:
        if key not in nodes:
            nodes[key] = len(nodes)
        return nodes[key]

    source, sink = node(("source",)), node(("sink",))
    used_slots: set[tuple[int, int]] = set()
    seat_arcs: list[tuple[int, int, int, int]] = []  # (arc, child, group, dagdeel)
    supply = 0
    for c, child in enumerate(pr.children):
        if not pr.child_slots[c]:
            continue
        product = pr.model.products[child.product]
        most = min(child.dagdelen_per_week, product.max_dagdelen_per_week)
        supply += most
        graph.add_arc_with_capacity_and_unit_cost(source, node(("child", c)), most, 0)
        for day in sorted({pr.day_of(d) for _, d in pr.child_slots[c]}):
            graph.add_arc_with_capacity_and_unit_cost(node(("child", c)), node(("day", c, day)),
                                                      product.max_dagdelen_per_day, 0)
        for d in sorted({d for _, d in pr.child_slots[c]}):
            graph.add_arc_with_capacity_and_unit_cost(node(("day", c, pr.day_of(d))), node(("dagdeel", c, d)), 1, 0)
        for g, d in pr.child_slots[c]:
            km = pr.trips[c][pr.group_location[g]].km + detour.get(pr.group_location[g], 0.0)
            arc = graph.add_arc_with_capacity_and_unit_cost(node(("dagdeel", c, d)), node(("seat", g, d)), 1,
                                                            int(round(km * 10)))
            seat_arcs.append((arc, c, g, d))
            used_slots.add((g, d))
    for g, d in sorted(used_slots):
        group = pr.groups[g]
        most = max((pr.model.products[p].group_max for p in group.products if p in pr.model.products),
                   default=group.capacity)
        graph.add_arc_with_capacity_and_unit_cost(node(("seat", g, d)), sink, min(group.capacity, most), 0)
    graph.set_node_supply(source, supply)
    graph.set_node_supply(sink, -supply)
    if supply == 0:
        return Flow(0, {})
    if graph.solve_max_flow_with_min_cost() != graph.OPTIMAL:
        raise RuntimeError("maximum flow failed")
    where: dict[int, Counter] = {}
    seats: dict[tuple[int, int], list[int]] = {}
    for arc, c, g, d in seat_arcs:
        if graph.flow(arc):
            where.setdefault(c, Counter())[pr.group_location[g]] += 1
            seats.setdefault((g, d), []).append(c)
    return Flow(int(graph.maximum_flow()), where, seats)
