"""`make bench`: for each family, size and seed, the baseline and `planner plan`, measured.

Writes benchmarks/results.csv and the results table in BENCHMARKS.md (between markers).
    python -m benchmarks.run [SIZES] [--seeds 1,2,3] [--family a,b] [--limit SECONDS] [--label TEXT]
e.g. python -m benchmarks.run S,M --seeds 1 --family b --limit 10 --label "loaded machine"
Family a is generate.py, family b generate_b.py (another structure); both by default, seeds 1-3.
`--limit` overrides every size's time limit (short checks); `--label` is written above the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.generate_b import generate_b

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIELDS = ["family", "size", "seed", "method", "requested", "placed", "cost", "status", "placement", "bound", "gap",
          "clusters", "vacancies", "first_s", "first_cost_s", "total_s", "report_s", "peak_mb", "violations"]
CHILDREN = {"S": 60, "M": 150, "L": 400, "XL": 1500}
FAMILIES = {"a": generate, "b": generate_b}
VARIABLES = {"S": "1,516", "M": "5,723", "L": "25,888", "XL": "241,775"}  # x[child, group, dagdeel], seed 1


def run_one(scenario: Path, out: Path, which: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.plan_one", str(scenario), str(out), which],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    stdout = proc.stdout.read() if proc.stdout else ""
    if status != 0:
        err = proc.stderr.read() if proc.stderr else ""
        return {"method": which, "status": f"FOUT: {err.strip().splitlines()[-1] if err.strip() else status}"}
    row = json.loads(stdout.strip().splitlines()[-1])
    row["peak_mb"] = round(usage.ru_maxrss / 1024)
    return row


def table(rows: list[dict]) -> str:
    lines = ["| family | size | seed | method | placed / requested | weekly cost € | € per placed dagdeel | "
             "vacancy-dagdelen | status | bound € | gap | clusters | first roster s | total s | report s | peak MB | "
             "checker |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        gap = "" if r.get("gap") in (None, "") else f"{float(r['gap']):.1%}"
        placed = f"{r.get('placed', '')} / {r.get('requested', '')}"
        per = float(r.get("cost") or 0) / max(1, int(r.get("placed") or 0))
        clusters = r.get("clusters") if str(r.get("clusters")) not in ("0", "None", "") else ""
        lines.append(f"| {r.get('family') or 'a'} | {r['size']} | {r['seed']} | {r['method']} | {placed} | "
                     f"{float(r.get('cost') or 0):,.0f} | {per:,.2f} | {r.get('vacancies', '')} | "
                     f"{r.get('status', '')} | "
                     f"{r.get('bound') or ''} | "
                     f"{gap} | {clusters} | {r.get('first_s', '')} | {r.get('total_s', '')} | "
                     f"{r.get('report_s') or ''} | {r.get('peak_mb', '')} | "
                     f"{'ok' if str(r.get('violations')) == '0' else r.get('violations', '?')} |")
    return "\n".join(lines)


def growth(rows: list[dict]) -> str:
    """How the planner's time and memory grow with the instance, with log-log slopes between sizes.

    Per family and size the median over the seeds run. Total time is the size's time limit (wall seconds)
    plus reading and reporting; the time to the first full roster of the cost search and peak memory are
    what grow by themselves."""
    import math
    import statistics

    by_size: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        if r["method"] == "planner" and r.get("total_s"):
            by_size.setdefault((r.get("family") or "a", r["size"]), []).append(r)

    def median(runs: list[dict], key: str) -> float:
        return statistics.median(float(r.get(key) or 0) for r in runs)

    lines = ["| family | size | children | seeds | placement variables | first full roster s (median) | slope | "
             "total s (median) | peak MB (median) | slope |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    previous = None
    for (family, size), runs in sorted(by_size.items(), key=lambda kv: (kv[0][0], CHILDREN[kv[0][1]])):
        n = CHILDREN[size]
        if previous is not None and family != previous[3]:
            previous = None  # slopes within a family
        variables = VARIABLES.get(size, "") if family == "a" else ""
        first, peak = median(runs, "first_cost_s"), median(runs, "peak_mb")
        s1 = s2 = ""
        if previous is not None and first and previous[1]:
            s1 = f"{math.log(first / previous[1]) / math.log(n / previous[0]):.2f}"
        if previous is not None and peak and previous[2]:
            s2 = f"{math.log(peak / previous[2]) / math.log(n / previous[0]):.2f}"
        lines.append(f"| {family} | {size} | {n} | {len(runs)} | {variables} | {first or '–'} | {s1} | "
                     f"{median(runs, 'total_s')} | {peak:.0f} | {s2} |")
        previous = (n, first, peak, family)
    return "\n".join(lines)


def render(rows: list[dict], argv: list[str]) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    label = argv[argv.index("--label") + 1] if "--label" in argv else ""
    if label:
        machine += f" ({label})"
    block = (f"<!-- results:start -->\nRun `python -m benchmarks.run {shlex.join(argv)}` on "
             f"{dt.date.today().isoformat()}, {machine}:\n\n{table(rows)}\n\n"
             f"Growth with size (planner; the slope is d ln(y) / d ln(children) from the size above):\n\n"
             f"{growth(rows)}\n<!-- results:end -->")
    bench = ROOT / "BENCHMARKS.md"
    text = bench.read_text(encoding="utf-8")
    if "<!-- results:start -->" in text:
        head, rest = text.split("<!-- results:start -->", 1)
        text = head + block + rest.split("<!-- results:end -->", 1)[1]
    else:
        text += "\n## Benchmark suite (issue 4)\n\n" + block + "\n"
    bench.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--render":  # only rewrite the table in BENCHMARKS.md from results.csv
        with (HERE / "results.csv").open(encoding="utf-8") as fh:
            render(list(csv.DictReader(fh)), argv[1:])
        return
    sizes = (argv[0] if argv and not argv[0].startswith("--") else "S,M,L,XL").split(",")

    def option(name: str, default: str) -> str:
        return argv[argv.index(name) + 1] if name in argv else default

    seeds = [int(s) for s in option("--seeds", "1,2,3").split(",")]
    families = option("--family", "a,b").split(",")
    limit = float(option("--limit", "0")) or None
    rows = []
    for family in families:
        for size in sizes:
            for seed in seeds:
                folder = HERE / "instances" / (f"{size}-{seed}" if family == "a" else f"{family}-{size}-{seed}")
                scenario = FAMILIES[family](size, seed, folder, limit)
                for which in ("baseline", "planner"):
                    row = {"family": family, "size": size, "seed": seed,
                           **run_one(scenario, folder / f"report-{which}", which)}
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    with (HERE / "results.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, FIELDS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    render(rows, argv)


if __name__ == "__main__":
    main(sys.argv[1:])
