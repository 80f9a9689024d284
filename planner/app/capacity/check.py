"""Independent check of a capacity plan: every rule re-derived from the model, no solver imported.

Follows the same seed rules as planner/verify/check.py does for a week (ratio per dagdeel with the exact
Fraction, min_staff, min_level, min_count, min_share), applied to a full group of each open group,
plus the plan's own bookkeeping (groups and staff carried month to month, hires only after the
lead time, contracts ending within the allowed share, waiting and service level), the minimum run
(a group opened in month t open through t+run-1: no closing of that type within run-1 months of an
opening, either side) and children already in care placed until their end (never waiting).
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np

from planner.app.capacity.model import CapacityPlan
from planner.inputs.catalogue import LEVELS, RegionModel, exact, level_rank

TOL = 1e-5


def fits(demand: np.ndarray, plan: CapacityPlan, t: int) -> bool:
    """Hall's condition: every set of products asks no more than the groups that take any of them."""
    active = [p for p in range(len(demand)) if demand[p] > TOL]
    for size in range(1, len(active) + 1):
        for subset in combinations(active, size):
            names = {plan.demand.products[p] for p in subset}
            room = sum(plan.places[t, k] for k, gt in enumerate(plan.types) if names & set(gt.products))
            if sum(demand[p] for p in subset) > room + TOL:
                return False
    return True


def _type_problems(model: RegionModel, plan: CapacityPlan, k: int, month: str, t: int) -> list[str]:
    gt, out = plan.types[k], []
    rules = [model.products[c] for c in gt.products]
    if any(gt.seats > p.group_max for p in rules):
        out.append(f"{gt.name}: {gt.seats} plaatsen, meer dan group_max")
    g = int(plan.groups[t, k])
    need = max(max(p.min_staff for p in rules), max(math.ceil(gt.seats * p.staff_per_child) for p in rules))
    staff = plan.staff_dd[t, k]
    if staff.sum() < need * gt.dd * g - TOL:
        out.append(f"{month} {gt.name}: {staff.sum():.1f} personeelsdagdelen, nodig {need * gt.dd * g}")
    for p in rules:
        low = [lv for li, lv in enumerate(LEVELS)
               if staff[li] > TOL and level_rank(lv) < level_rank(p.education.min_level or "MBO3")]
        if low:
            out.append(f"{month} {gt.name}: inzet onder {p.education.min_level} ({', '.join(low)})")
        levels = [(lv, float(n)) for lv, n in p.education.min_count.items()]
        levels += [(lv, float(exact(x) * need) if p.education.share_scope == "week"
                    else float(math.ceil(exact(x) * need))) for lv, x in p.education.min_share.items()]
        for lv, per in levels:
            high = sum(staff[li] for li, m in enumerate(LEVELS) if level_rank(m) >= level_rank(lv))
            if high < per * gt.dd * g - TOL:
                out.append(f"{month} {gt.name}: {high:.1f} dagdelen minstens {lv}, nodig {per * gt.dd * g:g}")
    if plan.places[t, k] != gt.seats * gt.dd * g:
        out.append(f"{month} {gt.name}: plaatsen {plan.places[t, k]} != {gt.seats} x {gt.dd} x {g}")
    if plan.served[t, :, k].sum() > plan.places[t, k] + TOL:
        out.append(f"{month} {gt.name}: meer geplaatst dan plaatsen")
    return out


def check_capacity(model: RegionModel, plan: CapacityPlan) -> list[str]:
    """Dutch lines, one per broken rule; empty when the plan keeps every rule."""
    out: list[str] = []
    s, d = plan.settings, plan.demand
    months = [f"{y}-{m:02d}" for y, m in d.months]
    plan_d = d.quantile(s.plan_quantile)
    for k, gt in enumerate(plan.types):
        before = plan.start.groups.get(gt.name, 0)
        for t, month in enumerate(months):
            g = int(plan.groups[t, k])
            if g != before + plan.opened[t, k] - plan.closed[t, k] or g < 0:
                out.append(f"{month} {gt.name}: groepen kloppen niet ({before} + open - dicht != {g})")
            run = s.min_run_months
            if plan.closed[t, k] > before - plan.opened[max(0, t - run + 1): t, k].sum():
                out.append(f"{month} {gt.name}: groep dicht binnen de minimale looptijd van {run} maanden")
            near = plan.closed[max(0, t - run + 1): t + run, k].sum()
            if plan.opened[t, k] > 0 and near > 0:
                out.append(f"{month} {gt.name}: groep geopend terwijl binnen {run - 1} maanden ervoor of erna "
                           "een groep van dit type sluit (minimale looptijd)")
            before = g
            out += _type_problems(model, plan, k, month, t)
    for p, code in enumerate(d.products):
        for t, month in enumerate(months):
            wrong = [plan.types[k].name for k in range(len(plan.types))
                     if plan.served[t, p, k] > TOL and code not in plan.types[k].products]
            if wrong:
                out.append(f"{month} {code}: geplaatst in een groep die het product niet neemt ({', '.join(wrong)})")
            served = plan.served[t, p].sum()
            keep = min(d.current[t, p], plan_d[t, p])
            if served < keep - TOL:
                out.append(f"{month} {code}: {keep - served:.1f} dagdelen van huidige jeugdigen niet geplaatst "
                           "(zij houden hun plek tot hun einddatum)")
            if served > plan_d[t, p] + TOL or plan.waiting[t, p] < plan_d[t, p] - served - TOL:
                out.append(f"{month} {code}: wachtlijst {plan.waiting[t, p]:.1f} klopt niet met vraag en plaatsing")
    for li, lv in enumerate(LEVELS):
        fte_before = float(plan.start.fte.get(lv, 0.0))
        for t, month in enumerate(months):
            if abs(plan.fte[t, li] - (fte_before + plan.hired[t, li] - plan.released[t, li])) > TOL:
                out.append(f"{month} {lv}: fte klopt niet met instroom en uitstroom")
            if t < s.lead_months and plan.hired[t, li] > TOL:
                out.append(f"{month} {lv}: aangenomen binnen de wervingstijd van {s.lead_months} maanden")
            if plan.released[t, li] > s.release_share * plan.start.fte.get(lv, 0.0) + TOL:
                out.append(f"{month} {lv}: meer contracten beeindigd dan toegestaan")
            used = plan.staff_dd[t, :, li].sum()
            if used > model.dagdelen_per_fte * (plan.fte[t, li] + plan.agency[t, li]) + TOL:
                out.append(f"{month} {lv}: {used:.1f} dagdelen ingezet, meer dan in dienst en ingehuurd")
            fte_before = float(plan.fte[t, li])
    need_months = math.ceil(s.service_level * len(months) - 1e-9)
    serv = d.quantile(s.service_quantile)
    met = sum(1 for t in range(len(months)) if fits(serv[t], plan, t))
    if met < need_months:
        out.append(f"servicegraad: {met} van {len(months)} maanden {s.service_quantile}-vraag geplaatst, "
                   f"nodig {need_months}")
    return out
