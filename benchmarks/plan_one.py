"""One benchmark solve in its own process (so peak memory is its own): prints a JSON line.

    python -m benchmarks.plan_one SCENARIO OUT baseline|planner
    python -m benchmarks.plan_one --family b SIZE SEED OUT baseline|planner [--limit SECONDS]
The second form generates the instance of that family, size and seed into OUT/instance first.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchmarks.baseline import baseline
from planner.app.plan import make_plan_from
from planner.core.costs import week_cost
from planner.inputs.scenario import load_inputs, load_scenario
from planner.report.files import write_plan
from planner.solver.problem import build_problem
from planner.verify.check import check_roster


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


def cli(argv: list[str]) -> None:
    if argv and argv[0] == "--family":
        from benchmarks.generate import generate
        from benchmarks.generate_b import generate_b

        family, size, seed, out, which = argv[1:6]
        limit = float(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
        scenario = {"a": generate, "b": generate_b}[family](size, int(seed), Path(out) / "instance", limit)
        main(str(scenario), str(Path(out) / f"report-{which}"), which)
        return
    main(argv[0], argv[1], argv[2])


if __name__ == "__main__":
    cli(sys.argv[1:])
