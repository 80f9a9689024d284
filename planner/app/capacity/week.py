"""Is a month of a capacity plan realisable as a week roster? Build that month's sample week, plan it.

The sample week of month t holds the workbook's children in care that month (start and end dates),
the plan's open groups (the workbook's own groups first, copies of a group of the product where the
plan opens more), and the plan's staff: the workbook's staff minus contracts ended, plus hired and
agency FTE as new staff members of a full contract (dagdelen_per_fte) per level. The week planner
(planner.app.plan.make_plan_from, CP-SAT, deterministic, short limit, no vacancies) then plans it and
the independent checker re-checks it; the month is realisable when every dagdeel that capacity can
place is placed (see check_month).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from planner.app.capacity.demand import Case, case_ends
from planner.app.capacity.model import CapacityPlan
from planner.app.plan import make_plan_from
from planner.inputs import calendar_nl as cal
from planner.inputs.catalogue import LEVELS, RegionModel
from planner.inputs.data import Child, Group, ProviderData, Staff
from planner.inputs.scenario import SolveSettings


@dataclass(frozen=True)
class WeekCheck:
    month: str
    requested: int      # dagdelen the month's children ask for
    placeable: int      # placed with the workbook's own groups (optional ones open) and vacancies allowed
    placed: int         # placed with the plan's groups and staff, no vacancies
    violations: int     # independent checker's findings (a bug if not 0)
    groups: int
    staff: int
    waiting: tuple[str, ...] = ()  # 'child: reason' of the plan's week

    @property
    def realisable(self) -> bool:
        """Every dagdeel that capacity can place is placed, and the roster keeps every rule."""
        return self.placed >= self.placeable and self.violations == 0


def _children(data: ProviderData, plan: CapacityPlan, t: int) -> tuple[Child, ...]:
    """The workbook's children in care in month t, ended as the demand model ends them (case_ends)."""
    d = plan.demand
    y, m = d.months[t]
    first, last = cal.month_start(y, m), cal.month_end(y, m)
    cases = [Case(c.product, c.dagdelen_per_week, c.start_date, c.end_date) for c in data.children]
    ends = case_ends(cases, dict(zip(d.products, d.stays.tolist(), strict=True)), d.seen)
    out = []
    for c, end in zip(data.children, ends, strict=True):
        if (c.start_date is None or c.start_date <= last) and end >= first:
            out.append(c)
    return tuple(out)


def _groups(data: ProviderData, plan: CapacityPlan, t: int) -> tuple[Group, ...]:
    out: list[Group] = []
    for k, gt in enumerate(plan.types):
        want = int(plan.groups[t, k])
        own = [g for g in data.groups if "+".join(g.products) == gt.name]
        out += [replace(g, optional=False) for g in own[:want]]
        template = own[0] if own else next((g for g in data.groups if set(gt.products) & set(g.products)), None)
        if template is None:
            continue
        out += [replace(template, id=f"{template.id}-extra{i + 1}", products=gt.products, capacity=gt.seats,
                        optional=False) for i in range(max(0, want - len(own)))]
    return tuple(out)


def _staff(model: RegionModel, data: ProviderData, plan: CapacityPlan, t: int) -> tuple[Staff, ...]:
    out: list[Staff] = []
    for li, lv in enumerate(LEVELS):
        own = [s for s in data.staff if s.education == lv]
        ended = plan.start.fte.get(lv, 0.0) - plan.fte[t, li] + plan.hired[: t + 1, li].sum()
        budget = ended * model.dagdelen_per_fte + 1e-6
        while own and own[-1].dagdelen_per_week <= budget:  # contracts ended: whole people
            budget -= own.pop().dagdelen_per_week
        out += own
        extra = plan.hired[: t + 1, li].sum() + plan.agency[t, li]
        out += [Staff(f"NIEUW-{lv}-{i + 1}", lv, model.dagdelen_per_fte, name=f"nieuw {lv} {i + 1}")
                for i in range(math.ceil(extra - 1e-6))]
    return tuple(out)


def sample_week(model: RegionModel, data: ProviderData, plan: CapacityPlan, t: int) -> ProviderData:
    """The provider data of month `t`'s sample week (see the module docstring)."""
    return replace(data, children=_children(data, plan, t), groups=_groups(data, plan, t),
                   staff=_staff(model, data, plan, t))


def check_month(model: RegionModel, data: ProviderData, plan: CapacityPlan, t: int,
                time_limit_s: float = 15.0, seed: int = 0) -> WeekCheck:
    """Plan month `t`'s sample week with the week planner (deterministic CP-SAT, one worker, no
    vacancies, `time_limit_s` deterministic seconds per solve) and compare with what the workbook's
    own set-up places for the same children (all its groups open, vacancies allowed): dagdelen that
    no capacity places (no group of the product within reach, a group minimum no one else fills)
    do not count against the plan."""
    week = sample_week(model, data, plan, t)
    settings = SolveSettings(time_limit_s=time_limit_s, seed=seed, workers=1, vacancies=False, deterministic=True)
    result = make_plan_from(model, week, settings)
    own = replace(week, groups=tuple(replace(g, optional=False) for g in data.groups), staff=data.staff)
    reference = make_plan_from(model, own, replace(settings, vacancies=True))
    y, m = plan.demand.months[t]
    return WeekCheck(f"{y}-{m:02d}", result.requested, reference.placed, result.placed, len(result.violations),
                     len(week.groups), len(week.staff), tuple(f"{w.child_id}: {w.reason}" for w in result.waitlist))
