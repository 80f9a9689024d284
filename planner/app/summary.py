"""summary.json of `planner plan`: the plan's figures as plain data (contract.md, "summary.json")."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.core.costs import beyond_table, transport_days

if TYPE_CHECKING:
    from planner.app.plan import Plan


def summary(plan: Plan) -> dict:
    """The figures of a plan as a JSON-ready dict: status, objective and bound (EUR per week), gap (a
    fraction), seconds, dagdelen requested and placed, cost and revenue (EUR per week and year),
    vacancies (dagdelen and FTE per level), soft rules bent, checker violations, model warnings and,
    when replanning, the changes against the previous roster."""
    r, model = plan.result, plan.model
    fte = {lv: round(n / model.dagdelen_per_fte, 2) for lv, n in sorted(plan.vacancy_dagdelen().items())}
    weeks = model.weeks_per_year
    return {
        "scenario": plan.scenario.name,
        **({"period": plan.period.as_dict()} if plan.period.label or plan.period.absent else {}),
        "region": f"{model.region} {model.year}",
        "status": r.status,
        "interrupted": r.interrupted,
        "placement_status": r.placement_status,
        "objective": round(r.objective, 2),
        "best_bound": round(r.best_bound, 2),
        "best_bound_source": r.bound_source,
        **({"best_bound_undivided": round(r.whole_bound, 2)} if r.whole_bound is not None else {}),
        "gap": round(r.gap, 6),
        "repeatable": r.repeatable,
        "hand_planner": None if r.hand_cost is None else {"dagdelen_placed": r.hand_placed,
                                                           "objective": round(r.hand_cost, 2)},
        "solve_seconds": round(r.solve_seconds, 2),
        "first_solution_seconds": None if r.first_solution_seconds is None else round(r.first_solution_seconds, 2),
        "seed": plan.scenario.solve.seed,
        "clusters": r.clusters,
        "vacancies_filled_after_solve": r.filled,
        "workers": plan.scenario.solve.workers,
        "children": len(plan.data.children),
        "children_placed": len({c for c, _, _ in r.roster.children}),
        "dagdelen_requested": plan.requested,
        "dagdelen_placed": plan.placed,
        # no roster places more than is asked: a solver bound above the demand says nothing more
        "dagdelen_placed_bound": min(r.placed_bound, plan.requested),
        "staff_dagdelen": len(r.roster.staff),
        "min_contract_use": plan.problem.rules.min_contract_use,  # [solve]; 0: off
        "cost_per_week": plan.cost.euros(),
        "cost_per_year": round(plan.cost.total * weeks / 100, 2),
        "revenue_per_week": plan.cost.revenue / 100,
        "revenue_per_year": round(plan.cost.revenue * weeks / 100, 2),
        "vacancies": {"dagdelen": plan.vacancy_dagdelen(), "fte": fte},
        "groups_opened": list(r.roster.opened),
        "transport_days": len(transport_days(model, plan.data, r.roster)),
        "beyond_transport_table": [{"child_id": c, "location_id": loc, "km": km}  # placed beyond max_km
                                   for c, loc, km in beyond_table(model, plan.data, r.roster)],
        "waitlist": len(plan.waitlist),
        "soft_rules": {k: round(v, 2) for k, v in r.terms.items()
                       if k in ("kind_in_een_groep", "vaste_medewerker_op_groep", "eerlijke_verdeling")},
        "checker_violations": [str(v) for v in plan.violations],
        # allowed but worth a look: "bron ontbreekt", a ratio that looks like a rounded fraction
        "model_warnings": [str(w) for w in model.warnings()],
        **({"changes": {**plan.change_summary.as_dict(), "previous_roster": Path(plan.previous.source).name,
                        "penalty_per_week": round(sum(v for k, v in r.terms.items() if k.startswith("wijziging_")),
                                                  2)}}
           if plan.change_summary is not None and plan.previous is not None else {}),
    }
