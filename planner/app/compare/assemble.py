"""A scenario's outcome in `planner compare`: its roster chosen from the solves, checked, priced, explained."""

from __future__ import annotations

from planner.app.compare.figures import choose, municipal, price, seed_spread, tariffs, with_gap
from planner.app.compare.outcome import Outcome, Task
from planner.app.compare.solve import Solved
from planner.verify.check import check_roster


def outcome_of(task: Task, solved: list[Solved], first_of: dict[int, Task]) -> Outcome:
    """The outcome of `task` given every solve of the comparison (`first_of`: the task that stands for
    each solve group). Pure: the same solves give the same outcome, wherever they ran. Never raises."""
    if task.data is None:
        return _municipal_only(task)
    own = [s for s in solved if s.group == task.group]
    failed = [s for s in own if s.error]
    found = [s for s in solved if s.roster is not None and not s.error]
    choice = choose(task.model, task.data, task.settings.vacancies, task.group, found, task.settings.min_contract_use)
    info = tariffs(task.model)
    if choice is None or choice.solved.roster is None:
        first = failed[0] if failed else Solved(task.group, task.settings.seed, status="FOUT",
                                                error="geen rooster gevonden")
        return Outcome(task.name, task.description, status=first.status or "FOUT", error=first.error,
                       tariffs=info, group=task.group, notes=task.notes)
    roster = choice.solved.roster
    # the independent checker under this scenario's own rules, also for a roster it shares or takes over
    violations = check_roster(task.model, task.data, roster, task.settings.vacancies,
                              task.settings.min_contract_use)
    if violations:
        return Outcome(task.name, task.description, status="FOUT", tariffs=info, group=task.group,
                       error="controle: " + "; ".join(str(v) for v in violations[:3]))
    priced = with_gap(price(task.model, task.data, roster, None, task.forecast), choice)
    figures = dict(priced.figures)
    if task.allocations:
        figures.update(municipal(task.model, list(task.allocations), task.forecast))
    weeks = task.model.weeks_per_year
    cost_margin = (None if choice.bound_cents is None
                   else round((choice.cost_cents - choice.bound_cents) * weeks / 100, 2))
    placed_margin = None if choice.placed_bound is None else max(0, choice.placed_bound - len(roster.children))
    top = max((p.tariff for p in task.model.products.values()), default=0.0)
    revenue_margin = None if placed_margin is None else round(placed_margin * top * weeks, 2)
    source = first_of[choice.solved.group]
    ok_own = [s for s in own if not s.error]
    return Outcome(
        task.name, task.description, figures, (ok_own or [choice.solved])[0].status, tariffs=info,
        group=task.group, roster_of=source.name, cost_margin=cost_margin, placed_margin=placed_margin,
        revenue_margin=revenue_margin,
        spread=seed_spread(task.model, task.data, task.group, found, task.forecast),
        seeds=tuple(s.seed for s in ok_own), detail=priced.detail,
        notes=task.notes + _notes(task, source, choice.solved.group, own))


def _notes(task: Task, source: Task, group: int, own: list[Solved]) -> tuple[str, ...]:
    notes = []
    if group != task.group:
        notes.append(f"het rooster van '{source.name}' voldoet ook aan de regels van dit scenario en is beter "
                     "dan wat de eigen berekening vond: overgenomen (gecontroleerd)")
    elif source.name != task.name:
        if source.model.model_dump() == task.model.model_dump():
            notes.append(f"gelijk aan '{source.name}': één berekening, dezelfde cijfers")
        else:
            notes.append(f"zelfde regels en gegevens als '{source.name}', alleen andere prijzen: "
                         "zelfde rooster, opnieuw geprijsd")
    if any(not s.repeatable for s in own if not s.error):
        notes.append("niet herhaalbaar: de oplosser stopte op zijn wandkloklimiet (drukke machine); "
                     "een herhaling kan een ander rooster geven")
    notes += [f"seed {s.seed}: {s.error}" for s in own if s.error]
    return tuple(notes)


def _municipal_only(task: Task) -> Outcome:
    if not task.allocations:
        return Outcome(task.name, task.description, status="FOUT",
                       error="het scenario heeft geen werkmap (data) en geen [forecast] allocations")
    try:
        found = municipal(task.model, list(task.allocations), task.forecast)
    except Exception as exc:  # a failing scenario is reported, the others go on
        return Outcome(task.name, task.description, status="FOUT", error=f"{type(exc).__name__}: {exc}")
    return Outcome(task.name, task.description, found, "PROGNOSE", tariffs=tariffs(task.model))
