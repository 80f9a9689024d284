"""What the roster page shows, computed once by the worker from the checked plan: plain JSON."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from planner.app.summary import summary
from planner.report.excel import PALETTE

if TYPE_CHECKING:
    from planner.app.plan import Plan


def grid_view(plan: Plan) -> dict[str, Any]:
    model, data, roster = plan.model, plan.data, plan.result.roster
    colour = {code: "#" + PALETTE[i % len(PALETTE)] for i, code in enumerate(sorted(model.products))}
    children = {c.id: c for c in data.children}
    staff = {s.id: s for s in data.staff}
    kids: dict[tuple[str, str], list[str]] = defaultdict(list)
    on: dict[tuple[str, str], list[str]] = defaultdict(list)
    vac: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid, gid, d in roster.children:
        kids[(gid, d)].append(cid)
    for sid, gid, d in roster.staff:
        on[(gid, d)].append(sid)
    for _, lv, gid, d in roster.vacancies:
        vac[(gid, d)].append(lv)
    week = list(plan.problem.week)
    locations = []
    for loc in data.locations:
        groups = []
        for g in (g for g in data.groups if g.location_id == loc.id):
            cells = []
            for d in week:
                if g.open and d not in g.open:
                    cells.append({"dagdeel": d, "open": False})
                    continue
                members = sorted(kids[(g.id, d)])
                limit = min([g.capacity] + [model.products[children[c].product].group_max for c in members])
                products = {children[c].product for c in members}
                needed = max([Fraction(0)] + [Fraction(model.products[p].min_staff) for p in products])
                needed = max(needed, sum((model.products[children[c].product].staff_per_child for c in members),
                                         Fraction(0)))
                present = len(on[(g.id, d)]) + len(vac[(g.id, d)])
                cells.append({
                    "dagdeel": d, "open": True,
                    "children": [{"id": c, "name": children[c].name, "product": children[c].product,
                                  "colour": colour.get(children[c].product, "#ffffff")} for c in members],
                    "staff": [{"id": s, "name": staff[s].name, "education": staff[s].education}
                              for s in sorted(on[(g.id, d)])],
                    "vacancies": sorted(vac[(g.id, d)]),
                    "seats": f"{len(members)}/{limit}",
                    "needed": round(float(needed), 2),
                    "headroom": round(present - float(needed), 2) if members else None,
                })
            groups.append({"id": g.id, "products": list(g.products), "capacity": g.capacity, "cells": cells})
        if groups:
            locations.append({"id": loc.id, "name": loc.name or loc.id, "groups": groups})
    facts = summary(plan)
    return {
        "scenario": plan.scenario.name, "region": facts["region"], "week": week,
        # a dated week (week.py): its ISO label, title and each dagdeel's date ("ma 12-01 ochtend");
        # the template week: no label, the dagdeel ids as they are
        "period": {"week": plan.period.label, "title": plan.period.title(),
                   "dates": {d: x.strftime("%d-%m-%Y") for d, x in plan.period.dates.items()}},
        "labels": {d: _label(d, plan.period.dates) for d in week},
        "legend": [{"product": p, "name": model.products[p].name, "colour": colour[p]}
                   for p in sorted({c.product for c in data.children} & set(model.products))],
        "locations": locations,
        "waitlist": [{"child_id": w.child_id, "product": w.product, "requested": w.requested, "placed": w.placed,
                      "reason": w.reason} for w in plan.waitlist],
        "summary": facts,
    }


def _label(dagdeel: str, dates: dict) -> str:
    """'ma-ochtend' -> 'ma 12-01 ochtend' in a dated week, 'ma-ochtend' in the template week."""
    day, _, part = dagdeel.partition("-")
    return f"{day} {dates[day]:%d-%m} {part}" if day in dates else dagdeel
