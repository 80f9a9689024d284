"""What a comparison means: each difference with its margin, a verdict, a reason, and the answer in one line.

The margin of a cost difference comes from the two rosters' gaps: each roster's cost is at most
(cost − bound) above the best roster its scenario has, so the true difference of the two scenarios
lies within (cost − bound) of the base plus (cost − bound) of the variant of the difference shown.
A difference no larger than that margin is "binnen de marge van de optimalisatie", not an effect.
Scenarios that share a solve (equal rules and data, other prices) share the roster: their
difference is exact (margin 0). Numbers in text are Dutch (babel, locale nl_NL): € 52.000, 1,1 fte.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from planner.app.compare.outcome import METRICS, Outcome
from planner.core.nl import euro as euro_amount
from planner.core.nl import number
from planner.inputs.catalogue import LEVELS

WITHIN = "binnen de marge van de optimalisatie"
EFFECT = "effect"
SAME = "geen verschil"
COST_KEYS = ("cost_total", "forecast_cost_12m", "cap_objective")  # bounded by the gaps (EUR per year; capacity:
# EUR over the horizon, cost plus waiting price, which is what the MIP's bound bounds)
# bounded by the proven maximum placement (dagdelen per week; a child not placed misses at least one)
PLACEMENT_KEYS = ("dagdelen_placed", "dagdelen_waiting", "children_placed", "children_waiting")
REVENUE_KEYS = ("revenue", "forecast_revenue_12m")  # placed dagdelen at their tariffs: the placement margin
EXACT_KEYS = ("children", "dagdelen_requested", "municipal_12m", "municipal_12m_p90", "cap_demand_p50",
              "cap_demand_p90")  # no optimisation in them
COMPONENTS = ("cost_staff", "cost_vacancies", "cost_specialists", "cost_transport", "cost_groups")
HEADER = ["scenario", "metric", "unit", "value", "base", "difference", "difference_pct", "margin", "verdict",
          "explanation", "seeds_min", "seeds_max"]


def nl(value: float, decimals: int = 0) -> str:
    """A number the Dutch way: 52.000 and 1,1."""
    return number(value, decimals)


def euro(value: float) -> str:
    """An amount without its sign, whole euros: '€ 52.000' (the sign goes apart, `signed`)."""
    return euro_amount(abs(value))


def signed(value: float, text: str) -> str:
    """'+ € 52.000' or '− 1,1 fte': the sign apart, as a reader says it."""
    return f"{'−' if value < 0 else '+'} {text}"


def _dec(value: float) -> Decimal:
    return Decimal(repr(value))


def differences(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Long rows (HEADER keys, plus `label`) for compare.csv and the workbook: every metric of every
    scenario against the base (the first), exact in decimals; `margin` in the metric's unit or None."""
    base = outcomes[0] if outcomes and not outcomes[0].error else None
    rows = []
    for o in outcomes:
        verdict_of_cost = _verdict_cost(base, o)
        for key, (label, unit) in METRICS.items():
            if key not in o.figures:
                continue
            value = o.figures[key]
            ref = base.figures.get(key) if base is not None else None
            diff = None if ref is None else _dec(value) - _dec(ref)
            pct = None if diff is None or not ref else (diff / abs(_dec(ref))).quantize(Decimal("0.000001"))
            margin, verdict = _judge(base, o, key, diff, verdict_of_cost)
            low, high = o.spread.get(key, (None, None))
            rows.append({"scenario": o.name, "metric": key, "label": label, "unit": unit, "value": value,
                         "base": ref, "difference": None if diff is None else float(diff),
                         "difference_pct": None if pct is None else float(pct), "margin": margin,
                         "verdict": verdict, "explanation": explain(base, o, key) if base is not None else "",
                         "seeds_min": low, "seeds_max": high})
    return rows


def _margin(base: Outcome, o: Outcome, key: str) -> float | None:
    if o.group >= 0 and o.group == base.group or key in EXACT_KEYS:
        return 0.0
    if key in COST_KEYS:
        if base.cost_margin is None or o.cost_margin is None:
            return None
        return round(base.cost_margin + o.cost_margin, 2)
    if key in PLACEMENT_KEYS:
        if base.placed_margin is None or o.placed_margin is None:
            return None
        return float(base.placed_margin + o.placed_margin)
    if key in REVENUE_KEYS:
        if base.revenue_margin is None or o.revenue_margin is None:
            return None
        return round(base.revenue_margin + o.revenue_margin, 2)
    if key == "margin":  # profit: revenue minus cost, so both margins
        cost, revenue = _margin(base, o, "cost_total"), _margin(base, o, "revenue")
        return None if cost is None or revenue is None else round(cost + revenue, 2)
    return None


def _verdict_cost(base: Outcome | None, o: Outcome) -> str:
    """The scenario's verdict on its total cost: it also holds for figures that follow from the roster."""
    key = "cost_total" if "cost_total" in o.figures else "cap_objective"
    if base is None or key not in o.figures or key not in base.figures:
        return ""
    diff = abs(_dec(o.figures[key]) - _dec(base.figures[key]))
    margin = _margin(base, o, key)
    if margin is None:
        return "marge onbekend"
    return EFFECT if diff > _dec(margin) else WITHIN


def _judge(base: Outcome | None, o: Outcome, key: str, diff: Decimal | None,
           verdict_of_cost: str) -> tuple[float | None, str]:
    if base is None or diff is None:
        return None, ""
    if o is base:
        return None, "basis"
    if key == "gap":
        return None, ""
    margin = _margin(base, o, key)
    if diff == 0:
        return margin, SAME
    if margin is None:  # a figure that follows from the roster: as certain as its cost
        return None, verdict_of_cost or EFFECT
    return margin, EFFECT if abs(diff) > _dec(margin) else WITHIN


def _levels(before: dict[str, int], after: dict[str, int], what: str) -> str:
    parts = []
    for lv in LEVELS:
        delta = after.get(lv, 0) - before.get(lv, 0)
        if delta:
            noun = what if abs(delta) > 1 else what.replace("dagdelen", "dagdeel")
            parts.append(f"{abs(delta)} {noun} {lv} {'meer' if delta > 0 else 'minder'}")
    return ", ".join(parts)


def _ids(ids: list[str], limit: int = 5) -> str:
    return ", ".join(ids[:limit]) + (f" en {len(ids) - limit} meer" if len(ids) > limit else "")


def explain(base: Outcome, o: Outcome, key: str) -> str:
    """One Dutch line on why `key` differs from the base, where the cause is known; '' otherwise."""
    if o is base or key == "gap" or base.figures.get(key) == o.figures.get(key):
        return ""
    b, v = base.detail, o.detail
    if not b or not v:
        return ""
    same = o.group >= 0 and o.group == base.group
    if key in ("cost_staff", "fte_total") or key.startswith("fte_"):
        return _levels(b["staff_dagdelen"], v["staff_dagdelen"], "personeel-dagdelen")
    if key in ("cost_vacancies", "vacancy_fte_total") or key.startswith("vacancy_fte_"):
        return _levels(b["vacancy_dagdelen"], v["vacancy_dagdelen"], "vacature-dagdelen")
    if key == "cost_groups":
        opened = sorted(set(v["opened"]) - set(b["opened"]))
        closed = sorted(set(b["opened"]) - set(v["opened"]))
        return "; ".join([*(f"groep {g} geopend" for g in opened), *(f"groep {g} niet geopend" for g in closed)])
    if key in ("children_waiting", "children_placed", "dagdelen_placed", "dagdelen_waiting"):
        new = sorted(set(v["waiting"]) - set(b["waiting"]))
        gone = sorted(set(b["waiting"]) - set(v["waiting"]))
        parts = ([f"wachten nu: {_ids(new)}"] if new else []) + ([f"geplaatst nu: {_ids(gone)}"] if gone else [])
        return "; ".join(parts) or "zelfde jeugdigen wachten, met andere aantallen dagdelen"
    if key in ("children", "dagdelen_requested"):
        return "andere vraag (demand_scale)"
    if key.startswith(("cost_transport", "transport_")):
        delta = v["transport_days"] - b["transport_days"]
        return f"{abs(delta)} vervoersdagen per week {'meer' if delta > 0 else 'minder'}" if delta else \
            "andere locaties of vervoerswijzen"
    if key == "utilisation":
        delta = v["group_dagdelen"] - b["group_dagdelen"]
        return f"{abs(delta)} groep-dagdelen {'meer' if delta > 0 else 'minder'} open" if delta else ""
    if key in ("revenue", "forecast_revenue_12m"):
        if same or base.figures.get("dagdelen_placed") == o.figures.get("dagdelen_placed"):
            ratio = o.figures[key] / base.figures[key] - 1 if base.figures.get(key) else 0.0
            return f"zelfde plaatsing, tarieven {signed(ratio, nl(abs(ratio) * 100, 1))} %"
        delta = int(o.figures["dagdelen_placed"] - base.figures["dagdelen_placed"])
        return f"{abs(delta)} dagdelen per week {'meer' if delta > 0 else 'minder'} geplaatst"
    if key == "margin":
        revenue = o.figures["revenue"] - base.figures["revenue"]
        cost = o.figures["cost_total"] - base.figures["cost_total"]
        return f"opbrengst {signed(revenue, euro(revenue))}, kosten {signed(cost, euro(cost))}"
    if key == "cost_total":
        parts = [f"{METRICS[k][0].removeprefix('Kosten ').removesuffix(' per jaar')} "
                 f"{signed(o.figures[k] - base.figures[k], euro(o.figures[k] - base.figures[k]))}"
                 for k in COMPONENTS if k in o.figures and k in base.figures and o.figures[k] != base.figures[k]]
        return ", ".join(parts) or ("zelfde rooster" if same else "")
    return ""


def headline(base: Outcome, o: Outcome, rows: list[dict[str, Any]]) -> str:
    """The answer for one variant, e.g. 'strengere-ratio: + € 52.000 per jaar, + 1,1 fte HBO'."""
    if o.error:
        return f"{o.name}: mislukt ({o.error})"
    mine = {r["metric"]: r for r in rows if r["scenario"] == o.name}
    if "cap_objective" in mine:
        return _capacity_headline(o, mine)
    if "cost_total" not in mine:
        parts = [f"{signed(r['difference'], euro(r['difference']))} {r['label'].lower()}"
                 for k, r in mine.items() if k.startswith("municipal") and r["difference"] is not None]
        return f"{o.name}: " + (", ".join(parts) or "geen verschil")
    cost = mine["cost_total"]
    if all(r["difference"] in (0, None) for k, r in mine.items() if k != "gap"):
        return f"{o.name}: geen verschil met de basis" + (" (zelfde rooster)" if o.group == base.group else "")
    if cost["difference"]:
        parts = [f"{signed(cost['difference'], euro(cost['difference']))} per jaar"]
    else:
        parts = ["kosten gelijk" + (" (zelfde rooster)" if o.group == base.group else "")]
    for lv in LEVELS:
        delta = sum(mine[k]["difference"] or 0 for k in (f"fte_{lv}", f"vacancy_fte_{lv}") if k in mine)
        if round(delta, 1):
            parts.append(f"{signed(delta, nl(abs(delta), 1))} fte {lv}")
    for key, what in (("revenue", "opbrengst"), ("margin", "resultaat")):
        diff = mine.get(key, {}).get("difference")
        if diff:
            parts.append(f"{what} {signed(diff, euro(diff))}")
    waiting = mine.get("dagdelen_waiting", {}).get("difference")
    if waiting:
        parts.append(f"{signed(waiting, nl(abs(waiting)))} dagdelen op de wachtlijst")
    text = f"{o.name}: " + ", ".join(parts)
    if cost["verdict"] == WITHIN:
        text += f" — kosten {WITHIN} (± {euro(cost['margin'])})"
    elif cost["margin"] is not None and cost["margin"] > 0:
        text += f" (marge van de optimalisatie ± {euro(cost['margin'])})"
    return text


def _capacity_headline(o: Outcome, mine: dict[str, dict[str, Any]]) -> str:
    """'inflow_scale.dagbehandeling=1.2: + € 61.000 over de horizon, + 1,3 fte HBO aangenomen, ...'."""
    if all(r["difference"] in (0, None) for k, r in mine.items() if k != "gap"):
        return f"{o.name}: geen verschil met de basis"
    cost = mine["cap_cost_total"]["difference"] or 0.0
    parts = [f"kosten {signed(cost, euro(cost))} over de horizon" if cost else "kosten gelijk"]
    for lv in LEVELS:
        delta = mine.get(f"cap_hired_{lv}", {}).get("difference") or 0.0
        if round(delta, 1):
            parts.append(f"{signed(delta, nl(abs(delta), 1))} fte {lv} aangenomen")
    for key, what, decimals in (("cap_groups_peak", "groepen op het hoogste punt", 0),
                                ("cap_waiting_mean", "wachtende jeugdigen gemiddeld", 1)):
        diff = mine.get(key, {}).get("difference")
        if diff and round(diff, decimals):
            parts.append(f"{signed(diff, nl(abs(diff), decimals))} {what}")
    text = f"{o.name}: " + ", ".join(parts)
    objective = mine["cap_objective"]
    if objective["verdict"] == WITHIN:
        text += f" — doelwaarde {WITHIN} (± {euro(objective['margin'])})"
    elif objective["margin"]:
        text += f" (marge van de optimalisatie ± {euro(objective['margin'])})"
    return text
