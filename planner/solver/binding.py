"""Which rule keeps a waiting child out: relax one rule family at a time and re-solve.

For a child that got fewer dagdelen than its indication, a small CP-SAT model asks: can the
child get one dagdeel more while nobody else loses one? The model is the child's product pool
(groups linked by shared products, `bounds.pools`): children only sit in groups of their own
product, so the pool's children are all there; staff keep what the roster gives them outside
the pool (those dagdelen are taken out of their availability and contract). Then each rule
family is relaxed on its own for that child (its not_with pairs, its product's education rule,
its product's mixing, its group minimum, the group maxima and room sizes, the staff on hand
via vacancies); the first family whose relaxation places the child is the reason. This follows
the "find the constraints that bind" advice of OR-Tools (google/or-tools#973): a reason is what
the rules say, not a guess from counts.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.core.roster import Roster
from planner.inputs.catalogue import Education, RegionModel
from planner.inputs.data import ProviderData
from planner.solver.formulation import bounds, build
from planner.solver.problem import ProblemData, build_problem

MAX_VARIABLES = 20_000  # placement variables of a pool above which the diagnosis is not tried
SOLVE_SECONDS = 1.0  # deterministic time per feasibility solve


@dataclass(frozen=True)
class Relaxation:
    family: str  # rule family, Dutch, as the checker names it
    apply: Callable[[RegionModel, ProviderData, str], tuple[RegionModel, ProviderData, bool]]


def _without_not_with(model: RegionModel, data: ProviderData, child_id: str) -> tuple[RegionModel, ProviderData, bool]:
    me = next(c for c in data.children if c.id == child_id)
    involved = bool(me.not_with) or any(child_id in c.not_with for c in data.children)
    kids = tuple(replace(c, not_with=()) if c.id == child_id
                 else replace(c, not_with=tuple(x for x in c.not_with if x != child_id)) for c in data.children)
    return model, replace(data, children=kids), involved


def _product_change(**update: object) -> Callable[[RegionModel, ProviderData, str],
                                                   tuple[RegionModel, ProviderData, bool]]:
    def apply(model: RegionModel, data: ProviderData, child_id: str) -> tuple[RegionModel, ProviderData, bool]:
        code = next(c.product for c in data.children if c.id == child_id)
        product = model.products[code]
        changes = {k: (v(model, code) if callable(v) else v) for k, v in update.items()}
        if all(getattr(product, k) == v for k, v in changes.items()):
            return model, data, False
        products = {**model.products, code: product.model_copy(update=changes)}
        return model.model_copy(update={"products": products}), data, True
    return apply


def _roomier(model: RegionModel, data: ProviderData, child_id: str) -> tuple[RegionModel, ProviderData, bool]:
    """Group sizes relaxed: every room one seat more, and no product's group maximum below that (a mixed
    group already at a larger product's size is full for a product with a smaller maximum: user test of
    issue 16, a 41A00-3 child (max 6) beside 8 children of 41A00-1/-2 got "overig" when its maximum
    only rose to 7)."""
    biggest = max((g.capacity for g in data.groups), default=0) + 1
    products = {k: p.model_copy(update={"group_max": max(p.group_max + 1, biggest)}) for k, p in model.products.items()}
    groups = tuple(replace(g, capacity=g.capacity + 1) for g in data.groups)
    return model.model_copy(update={"products": products}), replace(data, groups=groups), True


FAMILIES = (
    Relaxation("niet_samen", _without_not_with),
    Relaxation("opleiding", _product_change(education=Education())),
    Relaxation("mix", _product_change(mix_with=lambda m, code: sorted(set(m.products) - {code}))),
    Relaxation("groepsminimum", _product_change(group_min=1)),
    Relaxation("groepsgrootte", _roomier),
)


class Clock:
    """The diagnosis's time for all its solves together: `seconds` of wall time from now, or, when
    `deterministic`, of CP-SAT's deterministic time counted over the solves, with no wall clock at all, so
    that a repeatable plan's waiting list repeats too (user test of issue 16: two deterministic runs gave
    different reasons). Every solve gets at most what is left (wall: also at most 5 s; deterministic: at
    most SOLVE_SECONDS); a user test found a 0.5 s wall budget run to 5.8 s when each solve took its own
    5 s whatever was left."""

    def __init__(self, seconds: float, deterministic: bool = False):
        self.deterministic = deterministic
        self.ticks = seconds  # deterministic seconds left
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left: deterministic or wall."""
        return self.ticks if self.deterministic else self.deadline - time.monotonic()

    def out(self) -> bool:
        return self.left() <= 0.0

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> int:
        """`solver` on `model` within what is left; UNKNOWN at once when nothing is."""
        left = self.left()
        if left <= 0.0:
            return cp_model.UNKNOWN
        if self.deterministic:
            solver.parameters.max_deterministic_time = min(SOLVE_SECONDS, left)
        else:
            solver.parameters.max_deterministic_time = SOLVE_SECONDS
            solver.parameters.max_time_in_seconds = min(5 * SOLVE_SECONDS, left)
        status = solver.Solve(model)
        self.ticks -= solver.deterministic_time
        return status


class Diagnosis:
    """Feasibility questions about one roster, on the pools of one problem, within a time budget
    (`budget_s`: wall seconds, or deterministic seconds when `deterministic`; Clock)."""

    def __init__(self, pr: ProblemData, roster: Roster, budget_s: float = 30.0, seed: int = 0,
                 deterministic: bool = False):
        self.pr, self.roster, self.seed = pr, roster, seed
        self.clock = Clock(budget_s, deterministic)
        self.placed: dict[str, int] = defaultdict(int)
        for child_id, _, _ in roster.children:
            self.placed[child_id] += 1
        self.pool_of: dict[str, tuple[set[int], set[str]]] = {}
        for groups, codes in bounds.pools(pr):
            for code in codes:
                self.pool_of[code] = (groups, codes)

    def reason(self, c: int) -> tuple[str, dict] | None:
        """(family, detail) of the first relaxed rule family that places child `c` one dagdeel
        more; ("geen", {}) when the child fits without relaxing anything (the solve missed it),
        ("meerdere", {}) when only several families together do; None when not determined
        (pool too large, time budget spent, or a solve that did not finish)."""
        child = self.pr.children[c]
        if self.clock.out() or child.product not in self.pool_of:
            return None
        model, data = self._pool_data(child.product)
        if sum(len(s) for s in build_problem(model, data, self.pr.rules).child_slots) > MAX_VARIABLES:
            return None
        base = self._fits(model, data, child.id, self.pr.rules.vacancies)
        if base is None:
            return None
        if base:
            return "geen", {}
        relaxed_model, relaxed_data = model, data
        unknown = False  # a family whose question got no answer (time out): "overig" cannot be said then
        for family in FAMILIES:
            m2, d2, changed = family.apply(model, data, child.id)
            if not changed:
                continue
            relaxed_model, relaxed_data, _ = family.apply(relaxed_model, relaxed_data, child.id)
            fits = self._fits(m2, d2, child.id, self.pr.rules.vacancies)
            if fits:
                return family.family, self._detail(family.family, model, data, child.id)
            unknown = unknown or fits is None
        if not self.pr.rules.vacancies:
            levels = self._vacancies_needed(model, data, child.id)
            if levels:
                return "personeel", {"levels": levels}
        together = self._fits(relaxed_model, relaxed_data, child.id, True)
        if together:
            return "meerdere", {}
        return None if unknown or together is None else ("overig", {})

    def reasons(self, c: int, short: int) -> list[tuple[str, dict, int]] | None:
        """The whole shortfall of child `c` (`short` dagdelen beyond what the roster gives it), split by
        cause: [(family, detail, dagdelen)], the counts adding up to `short`. First the dagdelen that fit
        without relaxing anything ("geen": the search was too short), then, cumulatively, the first rule
        family (FAMILIES order) whose relaxation places more and how many more it places, and so on;
        what no family places is "personeel" (without vacancies) or "overig". None when not determined
        (pool too large, budget spent before anything was found)."""
        child = self.pr.children[c]
        if self.clock.out() or child.product not in self.pool_of:
            return None
        model, data = self._pool_data(child.product)
        if sum(len(x) for x in build_problem(model, data, self.pr.rules).child_slots) > MAX_VARIABLES:
            return None
        vac = self.pr.rules.vacancies
        out: list[tuple[str, dict, int]] = []
        got = 0

        unknown = False  # a question that got no answer (time out): what is left is "onbepaald", not "overig"

        def more(m: RegionModel, d: ProviderData) -> int:
            nonlocal unknown
            n = 0
            while got + n < short:
                fits = self._fits(m, d, child.id, vac, got + n + 1)
                unknown = unknown or fits is None
                if not fits:
                    break
                n += 1
            return n

        free = more(model, data)
        if free:
            out.append(("geen", {}, free))
            got += free
        while got < short:
            if self.clock.out():
                return out + [("onbepaald", {}, short - got)] if out else None
            unknown = False
            for family in FAMILIES:
                m2, d2, changed = family.apply(model, data, child.id)
                n = more(m2, d2) if changed else 0
                if n:
                    out.append((family.family, self._detail(family.family, model, data, child.id), n))
                    got += n
                    model, data = m2, d2
                    break
            else:
                levels = {} if vac else self._vacancies_needed(model, data, child.id, got + 1)
                if levels:
                    out.append(("personeel", {"levels": levels}, short - got))
                elif unknown or self.clock.out():
                    return out + [("onbepaald", {}, short - got)] if out else None
                else:
                    out.append(("overig", {}, short - got))
                break
        return out

    def _detail(self, family: str, model: RegionModel, data: ProviderData, child_id: str) -> dict:
        """For education: which part (min_share, min_count, min_level) alone keeps the child out."""
        if family != "opleiding":
            return {}
        code = next(ch.product for ch in data.children if ch.id == child_id)
        rule = model.products[code].education
        for part, empty in (("min_share", {}), ("min_count", {}), ("min_level", None)):
            if not getattr(rule, part):
                continue
            m2 = _product_change(education=rule.model_copy(update={part: empty}))(model, data, child_id)[0]
            if self._fits(m2, data, child_id, self.pr.rules.vacancies):
                return {"part": part, "rule": rule}
        return {"rule": rule}

    def _pool_data(self, code: str) -> tuple[RegionModel, ProviderData]:
        """The pool's groups and children; staff without what the roster gives them elsewhere."""
        pr = self.pr
        groups, codes = self.pool_of[code]
        ids = {pr.groups[g].id for g in groups}
        busy: dict[str, set[str]] = defaultdict(set)
        for staff_id, group_id, dagdeel in self.roster.staff:
            if group_id not in ids:
                busy[staff_id].add(dagdeel)
        staff = tuple(replace(s, available=tuple(d for d in (s.available or pr.week) if d not in busy[s.id]),
                              dagdelen_per_week=max(0, s.dagdelen_per_week - len(busy[s.id])))
                      if busy[s.id] else s for s in pr.data.staff)
        data = replace(pr.data, groups=tuple(pr.groups[g] for g in sorted(groups)),
                       children=tuple(ch for ch in pr.data.children if ch.product in codes), staff=staff)
        return pr.model, data

    def _formulation(self, model: RegionModel, data: ProviderData, child_id: str, vacancies: bool, extra: int = 1):
        rules = replace(self.pr.rules, vacancies=vacancies)
        f = build(build_problem(model, data, rules))
        m = f.model
        on = {(cid, gid, d) for cid, gid, d in self.roster.children}
        for (k, g, d), var in f.x.items():
            m.AddHint(var, (f.problem.children[k].id, f.problem.groups[g].id, f.problem.week[d]) in on)
        for k, ch in enumerate(f.problem.children):
            need = self.placed.get(ch.id, 0) + (extra if ch.id == child_id else 0)
            if need:
                m.Add(sum(var for _, _, var in f.by_child.get(k, [])) >= need)
        return f

    def _solve(self, m: cp_model.CpModel) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        # one worker: the pool models are small, and the answer is then the same on every run
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = self.seed
        # one presolve pass, no probing or symmetry: the questions are feasibility questions from a hinted
        # roster. Measured (b-M-43 of a user test, deterministic, 10 s): full presolve took 72 s of wall for
        # 10 deterministic seconds and left 4 reasons undetermined; light, 14 s and every reason found
        solver.parameters.max_presolve_iterations = 1
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        return solver, self.clock.solve(solver, m)

    def _fits(self, model: RegionModel, data: ProviderData, child_id: str, vacancies: bool,
              extra: int = 1) -> bool | None:
        if self.clock.out():
            return None
        f = self._formulation(model, data, child_id, vacancies, extra)
        _, status = self._solve(f.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True
        return False if status == cp_model.INFEASIBLE else None

    def _vacancies_needed(self, model: RegionModel, data: ProviderData, child_id: str,
                          extra: int = 1) -> dict[str, set[str]]:
        """With vacancies allowed, the cheapest that place the child: level -> location ids ({} when none
        or no time is left)."""
        if self.clock.out():
            return {}
        f = self._formulation(model, data, child_id, True, extra)
        f.model.Minimize(sum(f.problem.level_cost[lv] * var for (_, _, lv), var in f.v.items()))
        solver, status = self._solve(f.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return {}
        out: dict[str, set[str]] = defaultdict(set)
        for (g, _, level), var in f.v.items():
            if solver.Value(var):
                out[level].add(f.problem.groups[g].location_id)
        return dict(out)
