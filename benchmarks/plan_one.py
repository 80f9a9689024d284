"""One benchmark solve in its own process (so peak memory is its own): prints a JSON line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchmarks.baseline import baseline
from planner.check import check_roster
from planner.costs import week_cost
from planner.plan import make_plan_from, write_plan
from planner.problem import build_problem
from planner.scenario import load_inputs, load_scenario


def main(scenario: str, out: str, which: str) -> None:
    sc = load_scenario(scenario)
    t0 = time.perf_counter()
    model, data = load_inputs(sc)
    requested = sum(c.dagdelen_per_week for c in data.children)
    if which == "baseline":
        roster = baseline(build_problem(model, data, sc.solve))
        seconds = time.perf_counter() - t0
        violations = check_roster(model, data, roster)
        print(json.dumps({"method": "baseline", "placed": len(roster.children), "requested": requested,
                          "cost": week_cost(model, data, roster).total / 100, "status": "-", "bound": None,
                          "gap": None, "first_s": round(seconds, 2), "total_s": round(seconds, 2),
                          "vacancies": len(roster.vacancies),
                          "violations": len(violations)}))
        return
    first: dict[str, float] = {}

    def progress(p) -> None:  # type: ignore[no-untyped-def]
        if p.phase != "plaatsing":
            first.setdefault("cost", p.seconds)

    plan = make_plan_from(model, data, sc.solve, progress, sc)
    total = time.perf_counter() - t0
    t1 = time.perf_counter()
    write_plan(plan, Path(out))
    write_s = time.perf_counter() - t1
    r = plan.result
    print(json.dumps({"method": "planner", "placed": plan.placed, "requested": requested,
                      "cost": plan.cost.total / 100, "status": r.status, "placement": r.placement_status,
                      "bound": round(r.best_bound, 2), "gap": round(r.gap, 4), "clusters": r.clusters,
                      "first_s": round(r.first_solution_seconds or 0, 2),
                      "first_cost_s": round(first.get("cost", 0), 2), "total_s": round(total, 2),
                      "report_s": round(write_s, 2), "violations": len(plan.violations),
                      "vacancies": len(r.roster.vacancies)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
