"""What the report folder shows, as rows: roster.csv, the previous roster, transport.csv and its notes.

Plain lists of cell values in the contract's column order (../shared/spec/contract.md); the writers
in planner.report (files.py for CSV, excel.py for roster.xlsx) only lay them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.core.costs import beyond_table, transport_days
from planner.core.roster import number_vacancies
from planner.inputs.catalogue import paid_mode

if TYPE_CHECKING:
    from planner.app.plan import Plan

ROSTER_COLUMNS = ["dagdeel", "location_id", "group_id", "role", "person_id", "product", "education"]


def roster_rows(plan: Plan) -> list[list]:
    """One row per person per dagdeel, in week order: the contract's roster.csv."""
    groups = {g.id: g for g in plan.data.groups}
    children = {c.id: c for c in plan.data.children}
    staff = {s.id: s for s in plan.data.staff}
    r = plan.result.roster
    rows = []
    for cid, gid, d in r.children:
        rows.append([d, groups[gid].location_id, gid, "child", cid, children[cid].product, ""])
    for sid, gid, d in r.staff:
        rows.append([d, groups[gid].location_id, gid, "staff", sid, "", staff[sid].education])
    for vid, lv, gid, d in r.vacancies:
        rows.append([d, groups[gid].location_id, gid, "vacancy", vid, "", lv])
    return _in_week_order(rows, plan.problem.week)


def _in_week_order(rows: list[list], week: tuple[str, ...]) -> list[list]:
    rank = {d: i for i, d in enumerate(week)}
    order = {"child": 1, "staff": 0, "vacancy": 0}
    return sorted(rows, key=lambda row: (rank.get(row[0], len(rank)), row[1], row[2], order[row[3]], row[4]))


def previous_rows(plan: Plan) -> list[list]:
    """The previous roster in roster.csv form (vacancies numbered again)."""
    prev = plan.previous
    assert prev is not None
    children = {c.id: c.product for c in plan.data.children}
    staff = {s.id: s.education for s in plan.data.staff}
    rows = [[d, prev.locations.get(g, ""), g, "child", c, children.get(c, ""), ""] for c, g, d in prev.children]
    rows += [[d, prev.locations.get(g, ""), g, "staff", s, "", staff.get(s, "")] for s, g, d in prev.staff]
    rows += [[d, prev.locations.get(g, ""), g, "vacancy", vid, "", lv]
             for vid, lv, g, d in number_vacancies(prev.vacancies)]
    return _in_week_order(rows, plan.problem.week)


def transport_rows(plan: Plan) -> list[list]:
    """Rows of transport.csv (contract columns): one per child and location with paid transport, and one
    per placement beyond the band table with own transport (mode `eigen`, band len(bands_km) + 1, cost 0),
    so a placement beyond the table is never only in summary.json (README, Transport rules)."""
    days: dict[tuple[str, str], list] = {}
    for child_id, _, loc, trip in transport_days(plan.model, plan.data, plan.result.roster):
        entry = days.setdefault((child_id, loc), [trip, 0])
        entry[1] += 1
    rows = []
    for (child_id, loc), (trip, n) in days.items():
        rows.append([child_id, loc, f"{trip.km:.1f}", trip.band, trip.mode, trip.category, n,
                     f"{trip.cost_per_day * n / 100:.2f}"])
    groups = {g.id: g.location_id for g in plan.data.groups}
    attended: dict[tuple[str, str], set[str]] = {}
    for child_id, group_id, dagdeel in plan.result.roster.children:
        attended.setdefault((child_id, groups[group_id]), set()).add(dagdeel.split("-")[0])
    band = len(plan.model.transport.bands_km) + 1
    for child_id, loc, km in beyond_table(plan.model, plan.data, plan.result.roster):
        if (child_id, loc) not in days:
            rows.append([child_id, loc, f"{km:.1f}", band, "eigen", "", len(attended.get((child_id, loc), ())),
                         "0.00"])
    return sorted(rows, key=lambda r: (r[0], r[1]))


def transport_notes(plan: Plan) -> dict[str, str]:
    """Per child id a Dutch note on its transport for the report: beyond the band table, or a product
    without paid transport (`transport_eligible = false`) although the workbook asks for it."""
    out = {}
    for c in plan.data.children:
        if c.transport == "eigen" or paid_mode(plan.model, c.product, c.transport, c.wheelchair) is not None:
            continue
        out[c.id] = ("geen vergoed vervoer voor dit product (eigen vervoer)"
                     if not plan.model.products[c.product].transport_eligible
                     else f"vorm '{c.transport}' valt buiten het vervoersproduct (eigen vervoer)")
    for child_id, _, km in beyond_table(plan.model, plan.data, plan.result.roster):
        child = next(c for c in plan.data.children if c.id == child_id)
        paid = paid_mode(plan.model, child.product, child.transport, child.wheelchair) is not None
        out[child_id] = (f"buiten de vervoerstabel ({km:.1f} km): "
                         + ("vervoer tegen de laatste band" if paid else "eigen vervoer"))
    return out


def distance_source(plan: Plan, child_id: str, location_id: str) -> str:
    """Where a transport distance comes from: the distances sheet, coordinates, or a postcode centroid
    (postcodes.py); in roster.xlsx (Vervoer, "Afstand uit") and transport.csv (`distance_source`)."""
    if (child_id, location_id) in plan.data.distances:
        return "afstandentabel"
    child = next(c for c in plan.data.children if c.id == child_id)
    loc = next(x for x in plan.data.locations if x.id == location_id)
    guessed = [who for who, item in (("jeugdige", child), ("locatie", loc)) if item.from_postcode]
    if guessed:
        return "postcodecentroïde (" + " en ".join(guessed) + ")"
    return "coördinaten"
