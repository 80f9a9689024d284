"""Groups and staff per month: the capacity optimisation behind `planner capacity`.

Solver choice: a MIP through OR-Tools' pywraplp (SCIP, CBC when SCIP is missing), not CP-SAT.
Almost everything here is continuous (FTE per level, staff-dagdelen, agency FTE, child-dagdelen
waiting); only groups opened, closed and open are integers, plus one binary per month for the
service level. A MIP keeps FTE fractional without scaling every figure to integers, its LP bound
is tight on such a model (the gap is reported), and SCIP single-threaded is deterministic: the
same input gives the same plan on any load. The week planner stays CP-SAT.

Model per month t, group type k (a mix of products, as the workbook's groups have them; a product
without a group gets a type of its own), product p and education level l (shapes and units):

- g[t,k] groups open (integer), op/cl opened/closed; g[t] = g[t-1] + op[t] - cl[t]. Minimum run
  (run = `min_run_months`): a group opened in month t stays open through t+run-1. Groups of one
  type are interchangeable, so "open one, close another" is the same short-lived group: binaries
  yo[t,k] (opens in t) and yc[t,k] (closes in t) with op <= M yo, cl <= M yc and yo[t] + yc[j] <= 1
  for |t - j| <= run-1, i.e. no closing of a type in the run-1 months after an opening and no
  opening in the run-1 months after a closing (a close-and-reopen never dodges the opening cost);
  also cl[t] <= g[t-1] - sum of op over the last run-1 months. M: today's groups plus the groups
  the largest demand of the type's products could fill.
- current children keep their place until their end: placed s[t,p] >= current[t,p] (a hard lower
  bound, never waiting-priced); only the waiting list and inflow may wait.
- places C[t,k] = g x seats_k x dd_k child-dagdelen per week (seats: the fewest group_max of its
  products, or `group_size`; dd: open group-dagdelen per week); demand placed s[t,p,k] only in types
  that take p, sum_p s[t,p,k] <= C[t,k].
- staff-dagdelen x[t,k,l] >= 0, only for l >= the strictest min_level; aggregated soundly from the
  week model's per-dagdeel rules: sum_l x >= g x dd x need_k, need_k = max(min_staff, ceil(seats x
  staff_per_child)) over its products with the exact Fraction ratio; min_count {L: n}: sum_{l>=L} x
  >= g x dd x n; min_share {L: s}: sum_{l>=L} x >= g x dd x ceil(s x need_k) (dagdeel scope) or
  s x g x dd x need_k (week scope).
- own staff E[t,l] FTE = E[t-1,l] + H[t,l] - R[t,l]; a hire H starts `lead_months` after its
  recruitment starts, so H[t] = 0 for t < lead; R (contracts ending) at most `release_share` of
  the starting FTE per month; agency A[t,l] FTE the expensive fallback; sum_k x[t,k,l] <=
  dagdelen_per_fte x (E + A).
- waiting w[t,p] >= demand(plan quantile) - sum_k s[t,p,k]; service level: in at least
  `service_level` of the months all demand at the service quantile can be placed (a second set of
  placement variables, one binary per month).

Objective, EUR over the horizon: own staff and agency (x agency_factor) at the model's hourly
cost for dagdelen_per_fte x dagdeel_hours a week, weeks_per_year / 12 weeks a month; cost per
hire; group running cost per week and opening cost; `waiting_price` per child-dagdeel per week
waiting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.linear_solver import pywraplp

from planner.app.capacity.demand import Demand
from planner.inputs.catalogue import LEVELS, RegionModel, exact, level_rank


@dataclass(frozen=True)
class CapacitySettings:
    """[capacity] of a scenario; every default is an aanname the report names."""

    waiting_price: float = 25.0       # EUR per child-dagdeel per week waiting
    waiting_prices: tuple[float, ...] = (0.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0)  # trade-off curve
    plan_quantile: str = "P90"        # demand the waiting price is charged on: P50, P90, verwacht
    service_quantile: str = "P90"
    service_level: float = 0.95       # share of months with all service-quantile demand placed
    lead_months: int = 2              # recruitment lead time
    hire_cost: float = 4000.0         # EUR per FTE hired (werving, inwerken)
    release_share: float = 0.03       # share of today's FTE whose contract may end per month
    agency_factor: float = 1.6        # agency / vacancy hour against own staff hour
    opening_cost: float = 5000.0      # EUR per group opened
    group_cost_per_week: float = 300.0  # EUR per open group per week (ruimte, materiaal)
    min_run_months: int = 6
    group_size: dict[str, int] = field(default_factory=dict)
    waitlist: dict[str, float] = field(default_factory=dict)  # children per product waiting today
    time_limit_s: float = 20.0
    gap: float = 0.005                # relative MIP gap at which the solve stops (0.5 %)


@dataclass(frozen=True)
class Start:
    """Today: groups open per group type (product codes joined by '+') and own staff FTE per level."""

    groups: dict[str, int]
    fte: dict[str, float]


@dataclass(frozen=True)
class GroupType:
    """A kind of group: the products it takes, seats, group-dagdelen a week, staff per group-dagdeel."""

    name: str
    products: tuple[str, ...]
    seats: int
    dd: int
    need: int                   # staff per group-dagdeel of a full group
    at_least: dict[str, float]  # level -> staff per group-dagdeel at or above it
    min_level: str


def group_type(model: RegionModel, products: tuple[str, ...], settings: CapacitySettings,
               dd: int | None = None) -> GroupType:
    """The strictest of its products' rules (sound for any mix of them): fewest seats, the highest
    ratio need with the exact Fraction rounded up per group-dagdeel, every education rule."""
    rules = [model.products[c] for c in products]
    seats = min(min(settings.group_size.get(c, p.group_max), p.group_max) for c, p in zip(products, rules, strict=True))
    need = max(max(p.min_staff for p in rules), max(math.ceil(seats * p.staff_per_child) for p in rules))
    at_least: dict[str, float] = {}
    for p in rules:
        for lv, k in p.education.min_count.items():
            at_least[lv] = max(at_least.get(lv, 0), k)
        for lv, s in p.education.min_share.items():
            share = exact(s) * need
            at_least[lv] = max(at_least.get(lv, 0), float(share) if p.education.share_scope == "week"
                               else math.ceil(share))
    low = max((p.education.min_level or "MBO3" for p in rules), key=level_rank)
    if dd is None:
        dd = min(len(model.days) * len(model.product_parts(c)) for c in products)
    return GroupType("+".join(products), products, seats, dd, need, at_least, low)


def group_types(model: RegionModel, demand: Demand, settings: CapacitySettings,
                existing: dict[str, int | None] | None = None) -> list[GroupType]:
    """The workbook's group types (`existing`: name -> open group-dagdelen a week), plus a group of
    its own for each product with demand that no existing type takes."""
    out = [group_type(model, tuple(name.split("+")), settings, dd) for name, dd in (existing or {}).items()]
    covered = {c for t in out for c in t.products}
    for p, code in enumerate(demand.products):
        if code not in covered and demand.p90[:, p].any():
            out.append(group_type(model, (code,), settings))
    return out


@dataclass(frozen=True)
class CapacityPlan:
    """The solved plan; arrays (month, type), (month, product), (month, product, type) or
    (month, level); money in EUR."""

    settings: CapacitySettings
    demand: Demand
    types: list[GroupType]
    start: Start
    status: str
    objective: float
    bound: float
    groups: np.ndarray
    opened: np.ndarray
    closed: np.ndarray
    places: np.ndarray       # (month, type) child-dagdelen per week
    served: np.ndarray       # (month, product, type) plan-quantile demand placed
    staff_dd: np.ndarray     # (month, type, level) staff-dagdelen per week
    fte: np.ndarray          # own staff employed
    hired: np.ndarray        # FTE starting this month (recruitment lead_months earlier)
    released: np.ndarray
    agency: np.ndarray
    waiting: np.ndarray      # (month, product) child-dagdelen per week, plan quantile
    cost: dict[str, np.ndarray]  # per month: personeel, inhuur, werving, groepen, wachten

    def total_cost(self, with_waiting: bool = True) -> float:
        return float(sum(v.sum() for k, v in self.cost.items() if with_waiting or k != "wachten"))

    def places_of(self, product: str) -> np.ndarray:
        """(month,) places of the group types that take `product` (shared places count for each)."""
        cols = [k for k, gt in enumerate(self.types) if product in gt.products]
        return self.places[:, cols].sum(axis=1) if cols else np.zeros(len(self.demand.months))


def solve_capacity(model: RegionModel, demand: Demand, start: Start, settings: CapacitySettings,
                   types: list[GroupType] | None = None) -> CapacityPlan:
    """Solve the model of the module docstring; raises RuntimeError when no MIP solver is available
    or the solver finds no plan (the model always has one: agency staff and waiting)."""
    solver = pywraplp.Solver.CreateSolver("SCIP") or pywraplp.Solver.CreateSolver("CBC")
    if solver is None:
        raise RuntimeError("geen MIP-oplosser (SCIP of CBC) in OR-Tools")
    solver.SetTimeLimit(int(settings.time_limit_s * 1000))
    types = types if types is not None else group_types(model, demand, settings)
    prods, months = demand.products, demand.months
    t_n, p_n, k_n, l_n = len(months), len(prods), len(types), len(LEVELS)
    inf = solver.infinity()
    wpm = model.weeks_per_year / 12
    fte_week = model.dagdelen_per_fte * model.dagdeel_hours
    plan_d, serv_d = demand.quantile(settings.plan_quantile), demand.quantile(settings.service_quantile)
    takes = [[k for k, gt in enumerate(types) if code in gt.products] for code in prods]
    top = np.maximum(np.maximum(plan_d, serv_d), demand.current).max(axis=0) if t_n else np.zeros(p_n)
    big = [start.groups.get(gt.name, 0) + 1
           + math.ceil(sum(float(top[p]) for p, c in enumerate(prods) if c in gt.products) / (gt.seats * gt.dd))
           for gt in types]
    g = [[solver.IntVar(0, big[k], f"g{t}_{k}") for k in range(k_n)] for t in range(t_n)]
    op = [[solver.IntVar(0, big[k], f"op{t}_{k}") for k in range(k_n)] for t in range(t_n)]
    cl = [[solver.IntVar(0, big[k], f"cl{t}_{k}") for k in range(k_n)] for t in range(t_n)]
    yo = [[solver.BoolVar(f"yo{t}_{k}") for k in range(k_n)] for t in range(t_n)]
    yc = [[solver.BoolVar(f"yc{t}_{k}") for k in range(k_n)] for t in range(t_n)]
    run = settings.min_run_months
    s = [[{k: solver.NumVar(0, inf, f"s{t}_{p}_{k}") for k in takes[p]} for p in range(p_n)] for t in range(t_n)]
    x = [[[solver.NumVar(0, inf if level_rank(lv) >= level_rank(gt.min_level) else 0, f"x{t}_{k}_{li}")
           for li, lv in enumerate(LEVELS)] for k, gt in enumerate(types)] for t in range(t_n)]
    e = [[solver.NumVar(0, inf, f"e{t}_{li}") for li in range(l_n)] for t in range(t_n)]
    h = [[solver.NumVar(0, inf if t >= settings.lead_months else 0, f"h{t}_{li}") for li in range(l_n)]
         for t in range(t_n)]
    r = [[solver.NumVar(0, settings.release_share * start.fte.get(lv, 0.0), f"r{t}_{li}")
          for li, lv in enumerate(LEVELS)] for t in range(t_n)]
    a = [[solver.NumVar(0, inf, f"a{t}_{li}") for li in range(l_n)] for t in range(t_n)]
    w = [[solver.NumVar(0, inf, f"w{t}_{p}") for p in range(p_n)] for t in range(t_n)]
    months_met = max(0, math.ceil(settings.service_level * t_n - 1e-9))
    met = [solver.BoolVar(f"m{t}") for t in range(t_n)] if months_met else []
    for t in range(t_n):
        u = [{k: solver.NumVar(0, inf, f"u{t}_{p}_{k}") for k in takes[p]} for p in range(p_n)] if met else []
        for k, gt in enumerate(types):
            before = g[t - 1][k] if t else start.groups.get(gt.name, 0)
            solver.Add(g[t][k] == before + op[t][k] - cl[t][k])
            solver.Add(cl[t][k] <= before - sum(op[j][k] for j in range(max(0, t - run + 1), t)))
            solver.Add(op[t][k] <= big[k] * yo[t][k])
            solver.Add(cl[t][k] <= big[k] * yc[t][k])
            for j in range(max(0, t - run + 1), min(t_n, t + run)):
                solver.Add(yo[t][k] + yc[j][k] <= 1)
            places = gt.seats * gt.dd * g[t][k]
            solver.Add(sum(s[t][p][k] for p in range(p_n) if k in s[t][p]) <= places)
            if met:
                solver.Add(sum(u[p][k] for p in range(p_n) if k in u[p]) <= places)
            solver.Add(sum(x[t][k]) >= gt.need * gt.dd * g[t][k])
            for lv, n in gt.at_least.items():
                solver.Add(sum(x[t][k][li] for li, m in enumerate(LEVELS) if level_rank(m) >= level_rank(lv))
                           >= n * gt.dd * g[t][k])
        for p in range(p_n):
            solver.Add(sum(s[t][p].values()) <= float(plan_d[t, p]))
            floor = min(float(demand.current[t, p]), float(plan_d[t, p]))
            if floor > 0:
                solver.Add(sum(s[t][p].values()) >= floor)
            solver.Add(w[t][p] >= float(plan_d[t, p]) - sum(s[t][p].values()))
            if met:
                solver.Add(sum(u[p].values()) >= float(serv_d[t, p]) * met[t])
        for li, lv in enumerate(LEVELS):
            before = e[t - 1][li] if t else start.fte.get(lv, 0.0)
            solver.Add(e[t][li] == before + h[t][li] - r[t][li])
            solver.Add(sum(x[t][k][li] for k in range(k_n)) <= model.dagdelen_per_fte * (e[t][li] + a[t][li]))
    if met:
        solver.Add(sum(met) >= months_met)
    hourly = [model.cost.hourly[lv] * fte_week * wpm for lv in LEVELS]  # EUR per FTE-month
    terms = {
        "personeel": [sum(hourly[li] * e[t][li] for li in range(l_n)) for t in range(t_n)],
        "inhuur": [sum(settings.agency_factor * hourly[li] * a[t][li] for li in range(l_n)) for t in range(t_n)],
        "werving": [settings.hire_cost * sum(h[t]) for t in range(t_n)],
        "groepen": [settings.group_cost_per_week * wpm * sum(g[t]) + settings.opening_cost * sum(op[t])
                    for t in range(t_n)],
        "wachten": [settings.waiting_price * wpm * sum(w[t]) for t in range(t_n)],
    }
    solver.Minimize(sum(sum(v) for v in terms.values()))
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, settings.gap)
    code = solver.Solve(params)
    if code not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise RuntimeError(f"capaciteitsmodel zonder oplossing (status {code})")

    def val(var: object) -> float:
        return float(var.solution_value())  # type: ignore[attr-defined]

    def grid(rows: list[list[object]], whole: bool = False) -> np.ndarray:
        return np.array([[round(val(v)) if whole else val(v) for v in row] for row in rows],
                        dtype=int if whole else float).reshape(t_n, -1)

    groups = grid(g, whole=True)
    served = np.zeros((t_n, p_n, k_n))
    for t in range(t_n):
        for p in range(p_n):
            for k, var in s[t][p].items():
                served[t, p, k] = val(var)
    return CapacityPlan(
        settings=settings, demand=demand, types=types, start=start,
        status="optimaal" if code == pywraplp.Solver.OPTIMAL else "haalbaar",
        objective=float(solver.Objective().Value()), bound=float(solver.Objective().BestBound()),
        groups=groups, opened=grid(op, whole=True), closed=grid(cl, whole=True),
        places=groups * np.array([gt.seats * gt.dd for gt in types], dtype=int)[None, :],
        served=served,
        staff_dd=np.array([[[val(v) for v in lv] for lv in row] for row in x]).reshape(t_n, k_n, l_n),
        fte=grid(e), hired=grid(h), released=grid(r), agency=grid(a), waiting=grid(w),
        cost={k: np.array([float(expr.solution_value()) if hasattr(expr, "solution_value") else float(expr)
                           for expr in v]) for k, v in terms.items()},
    )


@dataclass(frozen=True)
class CurvePoint:
    waiting_price: float
    cost: float             # EUR over the horizon without the waiting price
    waiting: float          # child-dagdelen per week waiting, summed over months


def trade_off(model: RegionModel, demand: Demand, start: Start, settings: CapacitySettings,
              types: list[GroupType] | None = None) -> list[CurvePoint]:
    """Cost against waiting for each of `settings.waiting_prices` (service level off, so the price
    alone sets how much waiting the plan accepts); each point gets a share of the time limit and
    stops at a 1 % gap: a curve, not a decision."""
    out = []
    share = settings.time_limit_s / max(2, len(settings.waiting_prices))
    for price in settings.waiting_prices:
        plan = solve_capacity(model, demand, start, replace(settings, waiting_price=price, service_level=0.0,
                                                            time_limit_s=share, gap=0.01),
                              types)
        out.append(CurvePoint(price, plan.total_cost(with_waiting=False), float(plan.waiting.sum())))
    return out
