"""The `planner` command."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
import typer.main
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as ProgressBar
from rich.table import Table

from planner.app.capacity.run import month_count, run_capacity
from planner.app.compare.capacity import capacity_tasks, run_capacity_comparison, scenario_files
from planner.app.compare.driver import plan_tasks, run_comparison
from planner.app.compare.explain import nl
from planner.app.compare.solve import Solved
from planner.app.diagnose import not_with_conflicts, unplaceable
from planner.app.forecast.model import forecast_settings, read_allocations, settings_warnings
from planner.app.forecast.run import run_forecast
from planner.app.plan import make_plan, no_roster
from planner.app.privacy import pseudonymise as hide
from planner.app.privacy import salt
from planner.app.recheck import recheck
from planner.app.sanity import capacity_table
from planner.app.summary import summary
from planner.core.gap import relative_gap
from planner.core.nl import euro
from planner.inputs.catalogue import load_model, transport_warnings
from planner.inputs.contract_minimum import warnings as contract_warnings
from planner.inputs.errors import InputError, Problem, printable
from planner.inputs.scenario import load_inputs, load_model_of, load_scenario, open_scenario, with_overrides
from planner.inputs.scenario_schema import solve_problems
from planner.inputs.week import dated_data, parse_week, parse_weeks, year_warning
from planner.report.compare_xlsx import write_compare
from planner.report.excel import STATUS_NL
from planner.report.files import write_plan
from planner.report.outdir import folder_name, report_dir, scenario_inputs
from planner.report.safe import atomic_dir
from planner.report.template import write_scenario, write_template
from planner.solver import dask_clusters
from planner.solver.budget import process_start
from planner.solver.problem import build_problem
from planner.solver.replan import KEEP
from planner.solver.solve import Progress

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Capaciteits- en roosterplanner voor jeugdhulp dagbesteding en dagbehandeling.")
console = Console()
err = Console(stderr=True)


# Exit codes (README, *Exitcodes*): a script can trust them.
OK, ALL_FAILED, BAD_INPUT, PLANNER_ERROR, INTERRUPTED, NO_ROSTER, INTERRUPTED_EARLY = 0, 1, 2, 3, 4, 5, 130


def _say(text: str, to: Console = console) -> None:
    """One line for the terminal: text from input files is shown escaped, never run (no markup either)."""
    to.print(printable(text), markup=False, highlight=False, soft_wrap=True)


def _fail(exc: InputError) -> None:
    for problem in exc.problems:
        _say(str(problem), err)
    _say(f"{len(exc.problems)} probleem/problemen gevonden.", err)
    raise typer.Exit(BAD_INPUT)


MODEL_HELP = "regiomodel (naam in models/ of pad naar .toml); nodig bij een werkmap zonder scenario"


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        _say(f"waarschuwing: {problem}", err)


@app.command()
def check(
    scenario: Path = typer.Argument(..., help="scenario-bestand (.toml), of een werkmap/CSV-map met --model"),
    model_name: str | None = typer.Option(None, "--model", help=MODEL_HELP),
    roster: Path | None = typer.Option(None, "--roster", help="een met de hand bewerkt rooster (roster.csv-vorm): "
                                       "controleer elke regel en bereken de weekkosten opnieuw"),
    week: str | None = typer.Option(None, "--week", help="controleer als echte week, bijv. 2026-W03 (feest- en "
                                    "sluitingsdagen, verlof, indicatieperiodes), met of zonder --roster"),
) -> None:
    """Controleer model en invoer; toon per product vraag, plaatsen en personeel."""
    try:
        sc = open_scenario(scenario, model_name)
        if sc.data_path is None:  # a scenario that only forecasts: model, changes and [forecast]
            _check_forecast_only(sc)
            return
        model, data = load_inputs(sc)
    except InputError as exc:
        _fail(exc)
        return

    _warn(model.warnings() + transport_warnings(model, data.children))

    try:
        dated = parse_week(week) if week is not None else None
        data, period = dated_data(model, data, sc.data_path, dated, None if dated else sc.peildatum)
    except InputError as exc:
        _fail(exc)
        return
    if roster is not None:
        _warn(year_warning(model, dated) + contract_warnings(model, data, sc.solve.min_contract_use))
        _recheck(model, data, sc.solve, roster, period)
        return
    _warn(year_warning(model, dated))
    _say(f"{sc.name}: {model.region} {model.year}{', ' + period.title() if period.label else ''}, "
         f"{len(data.locations)} locaties, "
         f"{len(data.groups)} groepen, {len(data.staff)} medewerkers, "
         f"{len(data.children)} jeugdigen. Invoer in orde.")
    table = Table(title="Capaciteit per product (per week)")
    for header in ("product", "jeugdigen", "gevraagd (dagdelen)", "plaatsen",
                   "personeel nodig", "personeel beschikbaar", "min. niveau"):
        table.add_column(header, justify="right" if header != "product" else "left")
    for row in capacity_table(model, data):
        short = row.seats < row.demand or row.staff_available < row.staff_needed
        style = "red" if short else None
        table.add_row(escape(printable(row.product)), str(row.children), str(row.demand), str(row.seats),
                      str(row.staff_needed), str(row.staff_available), row.min_level, style=style)
    console.print(table)
    console.print("Personeel beschikbaar telt iedereen van het niveau; medewerkers worden gedeeld "
                  "tussen producten, dus de kolommen tellen niet op.")
    for child_id, why in period.absent:
        _say(f"{'niet in deze week' if period.label else 'niet op de peildatum'}: {child_id}: {why}", err)
    _warn_unplaceable(model, data, sc.solve)
    _warn(contract_warnings(model, data, sc.solve.min_contract_use))


def _recheck(model: Any, data: Any, settings: Any, path: Path, period: Any = None) -> None:
    """`check --roster`: every violated rule in Dutch, the new weekly cost; exit 2 on a violation."""
    try:
        found = recheck(model, data, path, settings.vacancies, period, settings.min_contract_use)
    except InputError as exc:
        _fail(exc)
        return
    c = found.cost
    if period is not None and period.label:
        _say(f"Gecontroleerd als {period.title()}.")
    _say(f"Rooster {path.name}: {len(found.roster.children)} dagdelen jeugdigen, "
         f"{len(found.roster.staff)} dagdelen medewerkers. Weekkosten {euro_text(c.total)} "
         f"(personeel {euro_text(c.staff)}, vacatures {euro_text(c.vacancies)}, vervoer {euro_text(c.transport)}, "
         f"specialisten {euro_text(c.specialists)}, groepen {euro_text(c.groups)}).")
    for line in found.lines():
        _say(line, err)
    if found.violations:
        _say(f"{len(found.violations)} regel(s) overtreden.", err)
        raise typer.Exit(BAD_INPUT)
    _say("Alle regels gelden.")


def euro_text(cents: int) -> str:
    """Cents as Dutch euros: 123456 -> '€ 1.234,56', -5 -> '-€ 0,05' (core/nl.py)."""
    return euro(cents / 100, 2)


def _warn_unplaceable(model: Any, data: Any, settings: Any) -> None:
    """Before any solve: children no roster can place, with the reason the waiting list gives."""
    pr = build_problem(model, data, settings)
    lost = unplaceable(pr)
    for child_id, reason in lost:
        _say(f"waarschuwing: jeugdige {child_id} is niet (volledig) te plaatsen: {reason}", err)
    pairs = not_with_conflicts(pr)
    for who, reason in pairs:
        _say(f"waarschuwing: jeugdigen {who} {reason}", err)
    count = len(lost) + len(pairs)
    if count:
        _say(f"{count} {'jeugdige komt' if count == 1 else 'jeugdigen komen'} hoe dan ook (deels) op de "
             "wachtlijst.", err)


def _check_forecast_only(sc: Any) -> None:
    """`check` of a scenario without data: the model with its changes, the [forecast] settings, the allocations."""
    model = load_model_of(sc)
    settings = forecast_settings(sc, model)
    found = ""
    if sc.forecast.get("allocations"):
        allocations = read_allocations(Path(sc.forecast["allocations"]), model)
        found = f", {len(allocations)} toewijzingen"
    _warn(model.warnings() + settings_warnings(model, settings))
    _say(f"{sc.name}: {model.region} {model.year}, prognose vanaf {settings.start:%Y-%m}, "
         f"{settings.months} maanden{found}. Invoer in orde (geen werkmap: alleen prognose).")


@app.command()
def plan(
    scenario: Path = typer.Argument(..., help="scenario-bestand (.toml), of een werkmap/CSV-map met --model"),
    model_name: str | None = typer.Option(None, "--model", help=MODEL_HELP),
    out: Path | None = typer.Option(None, "--out", help="map voor het rapport (standaard reports/<scenario>)"),
    time_limit: float | None = typer.Option(None, "--time-limit", help="rekentijd in seconden"),
    workers: int | None = typer.Option(None, "--workers", help="aantal CP-SAT-workers"),
    seed: int | None = typer.Option(None, "--seed", help="random seed van de oplosser"),
    pseudonymise: bool = typer.Option(False, "--pseudonymise", help="vervang namen en id's van jeugdigen door "
                                      "vaste pseudoniemen (zout: PLANNER_SALT of reports/.planner-salt)"),
    previous: Path | None = typer.Option(None, "--previous", help="vorig rooster (roster.csv): herplannen met zo "
                                         "min mogelijk wijzigingen; schrijft ook changes.xlsx en changes.csv"),
    keep: list[str] = typer.Option([], "--keep", help="met --previous: houd toewijzingen vast van 'children' "
                                   "en/of 'staff' (herhaal de optie voor beide)"),
    week: str | None = typer.Option(None, "--week", help="plan een echte week, bijv. 2026-W03: indicatieperiodes, "
                                    "feest- en sluitingsdagen, verlof (tabblad leave)"),
    weeks: str | None = typer.Option(None, "--weeks", help="een rooster per week, bijv. 2026-W03..2026-W06, elk "
                                     "herpland vanuit de week ervoor; in <out>/<week>/"),
    cluster: str | None = typer.Option(None, "--cluster", envvar="PLANNER_DASK_SCHEDULER",
                                       help="Dask-scheduler (tcp://HOST:8786): los de deelgebieden van een "
                                       "opgedeeld probleem daar op"),
) -> None:
    """Maak het weekrooster: plaatsing, personeel, kosten, wachtlijst; schrijf reports/<scenario>/."""
    overrides: dict[str, Any] = {k: v for k, v in (("time_limit_s", time_limit), ("workers", workers), ("seed", seed))
                                 if v is not None}
    try:
        sc = with_overrides(open_scenario(scenario, model_name), overrides)
    except InputError as exc:
        _fail(exc)
        return

    wrong = [k for k in keep if k not in KEEP]
    if wrong or (keep and previous is None):
        why = (f"--keep kent alleen {' en '.join(KEEP)}, niet {', '.join(wrong)}" if wrong
               else "--keep werkt alleen samen met --previous")
        _fail(InputError([Problem("opdrachtregel", why, column="--keep")]))
    try:
        if week and weeks:
            raise InputError([Problem("opdrachtregel", "geef --week of --weeks, niet allebei", column="--weeks")])
        dated = parse_weeks(weeks) if weeks else [parse_week(week)] if week else [None]
    except InputError as exc:
        _fail(exc)
        return

    if cluster:  # decomposed solves send their clusters to this Dask scheduler (dask_clusters.py)
        try:
            client = dask_clusters.connect(cluster)
        except InputError as exc:  # one line, exit 2: the scheduler is part of the command line
            err.print(str(exc.problems[0]), markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        with client, dask_clusters.using(client):
            _plan_weeks(sc, out, previous, keep, dated, pseudonymise)
        return
    _plan_weeks(sc, out, previous, keep, dated, pseudonymise)


def _plan_weeks(sc: Any, out: Path | None, previous: Path | None, keep: list[str],
                dated: Sequence[tuple[int, int] | None], pseudonymise: bool) -> None:
    """One week, or a roster per week, each replanned from the one before."""
    if len(dated) == 1:
        # one new week: its time limit counts from the command's start (imports included); replanning
        # not (with pins the hand planner's roster is no fallback when start-up has eaten the limit)

        _plan_week(sc, out, previous, keep, dated[0], pseudonymise, COMMAND_START if previous is None else None)
        return
    # a roster per week, each replanned from the one before: as few changes as the rules allow

    base = out or Path("reports") / folder_name(sc.name)
    before = previous
    for one in dated:
        assert one is not None
        label = f"{one[0]}-W{one[1]:02d}"
        _say(f"Week {label}:")
        before = _plan_week(sc, base / label, before, keep if before is not None else [], one, pseudonymise)


def _plan_week(sc: Any, out: Path | None, previous: Path | None, keep: list[str], week: tuple[int, int] | None,
               pseudonymise: bool, started: float | None = None) -> Path:
    """Plan one (dated or template) week, check it, write the report folder and say what it holds;
    returns the roster.csv written."""
    try:  # where the report goes is settled before the solve, not after it
        target = report_dir(out, sc.name, scenario_inputs(sc), [previous] if previous else [])
    except InputError as exc:
        _fail(exc)
        raise
    with console.status("Rooster maken ...") as status:
        def show(p: Progress) -> None:
            gap = relative_gap(p.objective, p.bound)
            unit = "dagdelen" if p.phase == "plaatsing" else "EUR/week"
            status.update(f"[{p.seconds:5.1f} s] fase {p.phase}: beste {p.objective:,.2f} {unit}, "
                          f"grens {p.bound:,.2f}, gap {gap:.1%}")

        try:
            result = make_plan(sc, show, previous, frozenset(keep), week, started)
            _warn(result.model.warnings() + contract_warnings(result.model, result.data, sc.solve.min_contract_use))
        except InputError as exc:
            _fail(exc)
            raise
        except KeyboardInterrupt:
            _say("Onderbroken voordat er een rooster was; er is niets geschreven.", err)
            raise typer.Exit(INTERRUPTED_EARLY) from None
    if result.violations:
        _say("FOUT IN DE PLANNER: het rooster breekt regels (dit is een bug, meld het):", err)
        for v in result.violations:
            _say(f"  {v}", err)
        raise typer.Exit(PLANNER_ERROR)
    not_a_roster = no_roster(result)
    if not_a_roster is not None:
        _say(not_a_roster + " Er is niets geschreven.", err)
        raise typer.Exit(PLANNER_ERROR if result.result.status == "MODEL_INVALID" else NO_ROSTER)
    if pseudonymise:

        result = hide(result, salt(target.parent))
    try:
        write_plan(result, target)
    except InputError as exc:  # the folder changed during the solve: still nothing overwritten
        _fail(exc)
    except KeyboardInterrupt:
        _say("Onderbroken tijdens het schrijven; het vorige rapport is heel gebleven.", err)
        raise typer.Exit(INTERRUPTED_EARLY) from None
    s = summary(result)
    state = STATUS_NL.get(s["status"], s["status"]) + (", onderbroken" if s["interrupted"] else "")
    gap = f"{s['gap']:.2%}".replace(".", ",")  # Dutch: 43,32%
    _say(f"Status {state} (gap {gap}, {s['solve_seconds']} s). "
         f"Geplaatst {s['dagdelen_placed']} van {s['dagdelen_requested']} dagdelen; "
         f"{s['waitlist']} jeugdigen op de wachtlijst. "
         f"Kosten {euro_text(round(s['cost_per_week']['total'] * 100))} per week, "
         f"{euro_text(round(s['cost_per_year'] * 100))} per jaar; niet ingeroosterde contracturen "
         f"{euro_text(round(s['cost_per_week']['unused_contract'] * 100))} per week"
         + (f", verlof {euro_text(round(s['cost_per_week']['leave'] * 100))} per week"
            if s["cost_per_week"]["leave"] else "")
         + ".")
    if "changes" in s:
        ch = s["changes"]
        assert result.change_summary is not None
        _say(f"Wijzigingen t.o.v. {ch['previous_roster']}: {result.change_summary.line()}. Zie changes.xlsx.")
        for line in ch["not_pinned"]:
            _say(f"niet vastgezet: {line}", err)
    if result.period.label:
        _say(f"Gepland: {result.period.title()}.")

        _warn(year_warning(result.model, week))
    for child_id, why in result.period.absent:
        _say(f"niet in deze week: {child_id}: {why}", err)
    for child_id, why in result.period.prorated:
        _say(f"deels in deze week: {child_id}: {why}", err)
    _say(f"Rooster gecontroleerd: geen overtredingen. Rapport: {target}/")
    if result.result.interrupted:
        _say(f"Onderbroken (Ctrl-C): het beste rooster tot dan is geschreven en gemarkeerd als onderbroken "
             f"(exitcode {INTERRUPTED}).", err)
        raise typer.Exit(INTERRUPTED)
    return target / "roster.csv"


@app.command()
def forecast(
    scenario: Path = typer.Argument(..., help="scenario-bestand (.toml)"),
    out: Path | None = typer.Option(None, "--out", help="map voor het rapport (standaard reports/<scenario>)"),
    tariffs: bool = typer.Option(False, "--tariffs", help="schrijf ook tarieven.xlsx: kostprijs tegen tarief"),
    roster: Path | None = typer.Option(None, "--roster", help="roster.csv voor de aanbiedersprognose"),
) -> None:
    """Prognose: uitgaven per gemeente en product per maand (P10/P50/P90) en de jaarrekening van een rooster."""
    try:
        sc = load_scenario(scenario)
        target = report_dir(out, sc.name, scenario_inputs(sc), [roster] if roster else [])
        written = run_forecast(sc, target, tariffs, roster)
    except InputError as exc:
        _fail(exc)
        return
    for line in written:
        _say(line, err if line.startswith("waarschuwing: ") else console)


@app.command()
def capacity(
    scenario: Path = typer.Argument(..., help="scenario-bestand (.toml) met \\[capacity] (en \\[forecast] voor "
                                    "instroom)"),
    months: str | None = typer.Option(None, "--months", help="aantal maanden, 1-120 (standaard 12)"),
    start: str | None = typer.Option(None, "--start", help="eerste maand, bijv. 2026-01"),
    out: Path | None = typer.Option(None, "--out", help="map voor het rapport (standaard reports/<scenario>)"),
    week_check: bool = typer.Option(False, "--weektoets", help="plan ook een voorbeeldweek van de eerste maand "
                                    "met de weekplanner: is de capaciteit als rooster te maken?"),
) -> None:
    """Capaciteit per maand: groepen, personeel per niveau, werving, wachtlijst; capaciteit.xlsx en capacity.csv."""
    try:
        try:  # our own Dutch line, not typer's English box
            count = None if months is None else month_count(months)
        except ValueError as exc:
            raise InputError([Problem("opdrachtregel", str(exc), column="--months")]) from None
        if scenario.suffix.lower() != ".toml":  # a workbook has no [capacity]; capacity has no --model
            raise InputError([Problem(scenario.name, "capacity neemt een scenario-bestand (.toml), geen werkmap: "
                                      "schrijf een scenario met model = ..., data = ... en [capacity]")])
        sc = load_scenario(scenario)
        written = run_capacity(sc, report_dir(out, sc.name, scenario_inputs(sc)), count, start, week_check)
    except InputError as exc:
        _fail(exc)
        return
    for line in written:
        _say(line)


@app.command()
def compare(
    scenarios: list[Path] = typer.Argument(..., help="basis-scenario, dan varianten (.toml)"),
    vary: list[str] = typer.Option([], "--vary", help="sweep over de basis: sleutel=waarde1,waarde2, bijv. "
                                   "products.41A03-3.children_per_staff=3,4 of tariff_index=1.00,1.05 (herhaalbaar: "
                                   "alle combinaties)"),
    out: Path | None = typer.Option(None, "--out", help="map voor het rapport (standaard reports/compare-<basis>)"),
    cluster: str | None = typer.Option(None, "--cluster", envvar="PLANNER_DASK_SCHEDULER",
                                       help="Dask-scheduler, bijv. tcp://host:8786 (standaard: lokale processen)"),
    time_limit: float | None = typer.Option(None, "--time-limit", help="rekentijd per scenario in seconden "
                                               "(standaard die van het scenario, zoals plan)"),
    workers: int | None = typer.Option(None, "--workers", help="CP-SAT-workers per scenario (standaard die "
                                       "van het scenario, zoals plan)"),
    seed: int | None = typer.Option(None, "--seed", help="random seed van de oplosser "
                                    "(standaard die van het scenario)"),
    seeds: int = typer.Option(1, "--seeds", help="reken elk scenario met zoveel seeds (seed, seed+1, ...): het beste "
                              "rooster telt, de spreiding staat in het blad Spreiding"),
    capacity_mode: bool = typer.Option(False, "--capacity", help="vergelijk capaciteitsplannen (planner capacity) "
                                       "in plaats van weekroosters: kosten, werving, fte per niveau, wachten"),
    months: int | None = typer.Option(None, "--months", help="met --capacity: aantal maanden"),
    start: str | None = typer.Option(None, "--start", help="met --capacity: eerste maand, bijv. 2026-01"),
) -> None:
    """Vergelijk scenario's (rooster, kosten, personeel, vervoer, tarieven) naast elkaar: compare.xlsx, compare.csv."""
    if capacity_mode:
        _compare_capacity(scenarios, vary, out, cluster, time_limit, months, start)
        return
    given = {k: v for k, v in (("time_limit_s", time_limit), ("workers", workers), ("seed", seed)) if v is not None}
    wrong = solve_problems(given, "opdrachtregel", {"time_limit_s": "--time-limit", "workers": "--workers",
                                                     "seed": "--seed"})
    if wrong:
        _fail(InputError(wrong))
    try:
        comparison = plan_tasks(scenarios, vary, time_limit, workers, seed, seeds=seeds)
        inputs: list[Path] = []
        for path in scenarios:
            try:
                inputs += scenario_inputs(load_scenario(path))
            except InputError:  # listed as a failed scenario in the comparison
                inputs.append(path)
        target = report_dir(out, f"compare-{comparison.title}", inputs)
    except InputError as exc:
        _fail(exc)
        return
    jobs = comparison.solve_jobs()
    where = f"Dask-cluster {cluster}" if cluster else f"{comparison.jobs} tegelijk op deze machine"
    console.print(f"{len(comparison.items)} scenario's, {len(jobs)} berekeningen; rekenen: {where}.")
    names: dict[int, list[str]] = {}
    for task in comparison.tasks():
        names.setdefault(task.group, []).append(task.name)
    with ProgressBar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                     console=console) as bar:
        job = bar.add_task("berekeningen", total=len(jobs))

        def done(s: Solved) -> None:
            state = f"FOUT: {s.error}" if s.error else f"{s.status}, kosten € {nl(s.objective, 2)} per week"
            _say(f"  {', '.join(names.get(s.group, []))} (seed {s.seed}): {state}", bar.console)
            bar.advance(job)

        try:
            outcomes = run_comparison(comparison, cluster, done)
        except InputError as exc:
            _fail(exc)
            return
    try:
        with atomic_dir(target) as tmp:
            write_compare(outcomes, comparison.title, tmp / "compare.xlsx", tmp / "compare.csv")
    except InputError as exc:
        _fail(exc)
    failed = [o for o in outcomes if o.error]
    _say(f"Vergelijking geschreven: {target}/compare.xlsx, compare.csv"
         + (f"; {len(failed)} scenario('s) mislukt" if failed else ""))
    if failed and len(failed) == len(outcomes):
        raise typer.Exit(ALL_FAILED)


def _compare_capacity(scenarios: list[Path], vary: list[str], out: Path | None, cluster: str | None,
                      time_limit: float | None, months: int | None, start: str | None) -> None:
    """`planner compare --capacity`: capacity plans side by side (planner/app/compare/capacity.py)."""
    try:
        title, items = capacity_tasks(scenarios, vary, months, start, time_limit)
        target = report_dir(out, f"compare-{title}", scenario_files(scenarios))
        where = f"Dask-cluster {cluster}" if cluster else "lokale processen"
        console.print(f"{len(items)} capaciteitsscenario's; rekenen: {where}.")
        outcomes = run_capacity_comparison(items, cluster, lambda s: _say(
            f"  berekening {s.group + 1}: " + (f"FOUT: {s.error}" if s.error or s.plan is None else
                                               f"{s.plan.status}, doelwaarde € {nl(s.plan.objective)}")))
        with atomic_dir(target) as tmp:
            write_compare(outcomes, title, tmp / "compare.xlsx", tmp / "compare.csv")
    except InputError as exc:
        _fail(exc)
        return
    failed = [o for o in outcomes if o.error]
    _say(f"Vergelijking geschreven: {target}/compare.xlsx, compare.csv"
         + (f"; {len(failed)} scenario('s) mislukt" if failed else ""))
    if failed and len(failed) == len(outcomes):
        raise typer.Exit(ALL_FAILED)


@app.command()
def template(
    path: Path = typer.Argument(..., help="nieuw .xlsx-bestand"),
    model: str = typer.Option("holland-rijnland-2025", help="regiomodel voor de productlijst"),
    force: bool = typer.Option(False, help="overschrijf een bestaand bestand"),
    scenario: bool = typer.Option(False, "--scenario", help="schrijf ook een scenario (.toml met dezelfde naam) "
                                  "naast de werkmap, klaar voor planner plan"),
) -> None:
    """Schrijf een lege invulwerkmap met koppen, keuzelijsten en instructies (en desgewenst een scenario)."""
    targets = [path] + ([path.with_suffix(".toml")] if scenario else [])
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        for t in existing:
            _say(f"{t}: bestaat al; kies een andere naam of gebruik --force", err)
        raise typer.Exit(BAD_INPUT)
    try:
        region = load_model(model)
    except InputError as exc:
        _fail(exc)
        return
    write_template(region, path)
    _say(f"Sjabloon geschreven: {path}")
    if scenario:
        write_scenario(model, path, targets[1])
        _say(f"Scenario geschreven: {targets[1]} (planner plan {targets[1]})")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="adres; anders dan 127.0.0.1 alleen met --token"),
    port: int = typer.Option(8000, "--port", help="poort"),
    token: str | None = typer.Option(None, "--token", envvar="PLANNER_TOKEN",
                                     help="toegangscode (minstens 16 tekens); verplicht buiten 127.0.0.1"),
    reports: Path = typer.Option(Path("reports"), "--reports", help="map voor opdrachten en rapporten"),
    scenarios: Path = typer.Option(Path("scenarios"), "--scenarios", help="map met voorbeeldscenario's"),
    max_upload_mb: float = typer.Option(20.0, "--max-upload-mb", help="grootste werkmap die wordt aangenomen"),
    max_jobs: int | None = typer.Option(None, "--max-jobs", help="roosters tegelijk (standaard: helft kernen)"),
    queue: int = typer.Option(10, "--queue", help="opdrachten die mogen wachten; daarna 429"),
    keep_days: float = typer.Option(14.0, "--keep-days", help="dagen dat uploads en rapporten bewaard blijven"),
    allow_host: list[str] = typer.Option([], "--allow-host", help="extra hostnaam (bijv. achter een proxy)"),
    behind_proxy: bool = typer.Option(False, "--behind-proxy",
                                      help="vertrouw X-Forwarded-Proto/-For van een proxy op 127.0.0.1"),
    certfile: Path | None = typer.Option(None, "--certfile", help="TLS-certificaat (dan https)"),
    keyfile: Path | None = typer.Option(None, "--keyfile", help="TLS-sleutel bij --certfile"),
) -> None:
    """Start de webapp: werkmap uploaden, controleren, plannen met voortgang, rooster bekijken, downloaden."""
    # the web stack is loaded only by `planner serve`
    import uvicorn  # noqa: PLC0415

    from planner.web.app import create_app  # noqa: PLC0415
    from planner.web.security import serve_problems  # noqa: PLC0415

    problems = serve_problems(port, max_upload_mb, max_jobs, queue, keep_days)
    if (certfile is None) != (keyfile is None):
        problems.append("--certfile en --keyfile horen bij elkaar: geef ze allebei of geen van beide")
    problems += [f"{name} {path}: bestand bestaat niet" for name, path in (("--certfile", certfile),
                 ("--keyfile", keyfile)) if path is not None and not path.is_file()]
    for line in problems:
        _say(line, err)
    if problems:
        raise typer.Exit(2)
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        err.print(f"--host {host} maakt de app bereikbaar voor anderen: geef ook --token (of PLANNER_TOKEN).",
                  markup=False)
        raise typer.Exit(2)
    try:
        web = create_app(reports / "web", token, max_upload_mb, scenarios, host=host, allow_hosts=tuple(allow_host),
                         max_jobs=max_jobs, queue_size=queue, keep_days=keep_days)
    except ValueError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    shown = f"[{host}]" if ":" in host else host
    scheme = "https" if certfile else "http"
    console.print(f"Planner draait op {scheme}://{shown}:{port}/  (API-documentatie: /docs; stoppen met Ctrl-C)",
                  markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=behind_proxy,
                ssl_certfile=str(certfile) if certfile else None, ssl_keyfile=str(keyfile) if keyfile else None)


# When this process runs as the `planner` command (main), the instant the process started: a plan's time
# limit then counts its start-up too (budget.process_start). None when the commands are called in-process
# (tests through typer's runner, other Python code), where the process started long before the command.
COMMAND_START: float | None = None


TYPE_NL = {"int": "een geheel getal", "float": "een getal", "bool": "ja of nee", "str": "tekst", "Path": "een pad"}


def usage_nl(err: typer.TyperException, argv: Sequence[str]) -> str | None:
    """One Dutch line for a bad command line (an option's value of the wrong type, an unknown or missing
    option), naming the option and the value given; None for other usage errors (click shows them)."""
    command = " ".join(["planner", *(argv[:1] if argv and not argv[0].startswith("-") else [])])
    hint = f"zie {command} --help"
    kind = type(err).__name__  # typer's own copy of click's exceptions: only BadParameter is public
    param = getattr(err, "param", None)
    if kind == "NoSuchOption":
        return f"onbekende optie {getattr(err, 'option_name', '')}; {hint}"
    if kind == "MissingParameter" and param is not None:
        return f"{param.opts[0] if param.opts else param.name} ontbreekt; {hint}"
    if isinstance(err, typer.BadParameter) and err.param is not None:
        names = err.param.opts or [str(err.param.name)]
        given = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in names), None)
        given = given or next((a.split("=", 1)[1] for a in argv if a.split("=", 1)[0] in names and "=" in a), None)
        annotation = getattr(getattr(err.param, "type_descriptor", None), "annotation", None)
        want = TYPE_NL.get(getattr(annotation, "__name__", ""), "een geldige waarde")
        shown = f" {given!r}" if given is not None else ""
        return f"ongeldige waarde{shown} voor {names[0]}: verwacht {want}; {hint}"
    return None


def _parse_only(args: list[str]) -> None:
    """Parse a command line as `planner` would, without running the command (usage errors raise)."""
    group = typer.main.get_command(app)
    ctx = group.make_context("planner", list(args))
    rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
    resolve = getattr(group, "resolve_command", None)  # a group of commands (planner's is)
    if rest and resolve is not None:
        name, command, tail = resolve(ctx, rest)
        if command is not None and name is not None:
            command.make_context(name, tail, parent=ctx)


def usage_lines(err: typer.TyperException, argv: Sequence[str]) -> list[str]:
    """Every bad option of a command line, one Dutch line each (usage_nl): after the first, the offending
    option is taken out and the rest parsed again (user test of issue 16: `--seed abc --workers 2x` named
    only --seed). Empty when the first error is not one usage_nl words."""
    lines: list[str] = []
    args = list(argv)
    error: Any = err
    for _ in range(20):
        line = usage_nl(error, args) if getattr(error, "exit_code", 1) == 2 else None
        if line is None or line in lines:
            break
        lines.append(line)
        param = getattr(error, "param", None)
        names = set(param.opts) if param is not None and param.opts else {getattr(error, "option_name", "")}
        kept: list[str] = []
        skip = False
        for i, token in enumerate(args):
            if skip:
                skip = False
                continue
            if token in names:
                skip = type(error).__name__ == "BadParameter" and i + 1 < len(args)  # its value goes too
                continue
            if token.split("=", 1)[0] in names:
                continue
            kept.append(token)
        if kept == args:
            break
        args = kept
        try:
            _parse_only(args)
            break
        except typer.TyperException as again:
            error = again
    return lines


def main() -> None:
    """The `planner` command (console script and `python -m planner.cli`). A bad command line (an option
    value of the wrong type, an unknown option) is exit 2 with one Dutch line (usage_nl), not typer's
    English box."""
    global COMMAND_START
    COMMAND_START = process_start()
    argv = sys.argv[1:]
    try:
        code = app(args=argv, standalone_mode=False)
    except typer.Abort:
        print("Afgebroken.", file=sys.stderr)
        sys.exit(1)
    except typer.TyperException as err:  # a usage error (click's, as typer carries it)
        lines = usage_lines(err, argv)
        if not lines:
            show = getattr(err, "show", None)
            if show is None:
                raise
            show()
        for line in lines:
            print(f"Fout in de opdracht: {line}", file=sys.stderr)
        sys.exit(getattr(err, "exit_code", 1))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
