"""The solves behind `planner compare`: which scenarios need their own roster, and one solve as plain data.

Two scenarios share a solve when everything the solver reads is equal: the region model with its
rules (ratios, group sizes, education, wages, transport), the provider's data and the solve
settings. Prices that only turn a roster into revenue (a product's `tariff`, its `eigen_bijdrage`,
the `tariff_index` that scales tariffs, the cost model behind cost-based tariffs) are left out of
that key: a variant that differs from the base only in prices gets the base's roster, re-priced,
and a variant equal to the base gets the base's roster and so its figures. A field not named here
counts as a rule, so an unknown difference costs a solve of its own, never a wrong comparison.
"""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass, replace
from typing import Any

from planner.app.plan import make_plan_from
from planner.core.roster import Roster
from planner.inputs.catalogue import RegionModel
from planner.inputs.data import ProviderData
from planner.inputs.errors import InputError
from planner.inputs.scenario import SolveSettings

# product fields that price a roster but do not shape it (the solver never reads them)
PRICE_FIELDS = frozenset({"tariff", "tariff_source", "tariff_date", "eigen_bijdrage", "source", "sources", "note",
                          "ijw_code", "mean_stay_months", "max_stay_months"})
# model fields that price, forecast or document, but do not constrain, a roster (catalogue_money.py)
MODEL_PRICE_FIELDS = frozenset({"cost_model", "source", "sources", "note", "indexation", "tariff_index",
                                "published_tariffs", "index_path"})


def solve_key(model: RegionModel, data: ProviderData, settings: SolveSettings) -> str:
    """A digest of what the solver reads: equal keys give the same roster (deterministic mode).

    Shapes: model and data as validated by `load_inputs`, settings as sent to the worker.
    Returns a hex string; raises nothing.
    """
    rules = model.model_dump(mode="json", exclude=set(MODEL_PRICE_FIELDS))
    for product in rules["products"].values():
        for name in PRICE_FIELDS:
            product.pop(name, None)
    text = repr((sorted(_items(rules)), repr(data), repr(settings)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _items(tree: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A nested dict as sorted (dotted key, repr of value) pairs: insensitive to key order."""
    if isinstance(tree, dict):
        return [item for k in sorted(tree) for item in _items(tree[k], f"{prefix}{k}.")]
    return [(prefix, repr(tree))]


@dataclass(frozen=True)
class SolveJob:
    """One solve: a solve group's model (any member's: they differ only in prices), data, settings."""

    group: int
    model: RegionModel
    data: ProviderData
    settings: SolveSettings


@dataclass(frozen=True)
class Solved:
    """A solve's outcome as plain data, the same wherever it ran: no wall time in it.

    `objective` and `bound` are EUR per week (the roster's cost and the proven lower bound on any
    roster's cost with that placement); `placed_bound` is the proven maximum of dagdelen placed.
    """

    group: int
    seed: int
    roster: Roster | None = None
    status: str = ""
    placement_status: str = ""
    objective: float = 0.0
    bound: float = 0.0
    placed: int = 0
    placed_bound: int = 0
    repeatable: bool = True
    error: str = ""


def with_seed(job: SolveJob, seed: int) -> SolveJob:
    return replace(job, settings=replace(job.settings, seed=seed))


def run_solve(job: SolveJob) -> Solved:
    """Plan one solve group on a worker and check the roster (planner/verify/check.py). Never raises.

    A checker violation, an input error or a solver failure comes back as `error` (Dutch).
    """
    seed = job.settings.seed
    try:
        plan = make_plan_from(job.model, job.data, job.settings)
    except InputError as exc:
        return Solved(job.group, seed, status="FOUT", error="; ".join(str(p) for p in exc.problems))
    except Exception as exc:  # a failing scenario is reported, the others go on
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Solved(job.group, seed, status="FOUT", error=detail)
    r = plan.result
    if plan.violations:
        return Solved(job.group, seed, status="FOUT",
                      error="controle: " + "; ".join(str(v) for v in plan.violations[:3]))
    if not r.roster.children and r.status not in ("OPTIMAL", "FEASIBLE"):
        return Solved(job.group, seed, status=r.status, error="geen rooster gevonden")
    # wall-clock safety caps in the solver can end a deterministic run early; the solver says so
    repeatable = bool(getattr(r, "repeatable", True)) and not r.interrupted
    return Solved(job.group, seed, r.roster, r.status, r.placement_status, round(r.objective, 2),
                  round(r.best_bound, 2), r.placed, r.placed_bound, repeatable)
