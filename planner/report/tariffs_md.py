"""docs/tarieven.md: the cost-based tariff of every product of every model, generated, never typed.

    python -m planner.report.tariffs_md [PATH]      (default docs/tarieven.md; `make tarieven`)

tests/unit/test_tariffs.py regenerates the text and fails when the committed file differs.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path

from planner.app.tariffs import cost_based_tariffs, price_level, tariff_date
from planner.inputs.catalogue import MODELS_DIR, RegionModel, load_model
from planner.inputs.cost_model import index_factor

TARGET = 0.15  # issue 19: within +-15 % of a published tariff, or a stated reason


def _eur(x: float) -> str:
    return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _pct(x: float) -> str:
    return f"{x * 100:+.1f} %".replace(".", ",")


def rounded_parts(values: list[float]) -> list[float]:
    """`values` in cents such that they add up to round(sum(values), 2): each rounded down, and the
    missing cents given to the largest remainders (Hamilton), so a table's elements add up to its total."""
    cents = [v * 100 for v in values]
    total = round(sum(values) * 100)
    floors = [math.floor(c + 1e-9) for c in cents]
    order = sorted(range(len(cents)), key=lambda i: cents[i] - floors[i], reverse=True)
    for i in order[:max(0, total - sum(floors))]:
        floors[i] += 1
    return [f / 100 for f in floors]


def _model_section(model: RegionModel) -> list[str]:
    cm = model.cost_model
    assert cm is not None
    out = [f"## {model.region} {model.year}", "",
           f"Prijspeil kostprijs {cm.reference_date:%d-%m-%Y}, tariefdatum {tariff_date(model):%d-%m-%Y} "
           f"(index {_pct(price_level(model) - 1)}), CAO {cm.cao}, productiviteit {cm.productivity:.0%}, "
           f"overhead {cm.overhead:.0%}, risico {cm.risk_margin:.0%}.", "",
           "| Product | iJw | Bezetting | Kostprijs | (a) personeel | waarvan behandelaars | waarvan overige uren "
           "| (b) overig | (c) overhead | (d) index | Gecontracteerd | Gepubliceerd | Verschil | Toelichting |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |"]
    notes = {pub.code: pub.note for pub in model.published_tariffs}
    for row in cost_based_tariffs(model):
        pub = row.published[0] if row.published else None
        diff = row.published_difference()
        if pub is None:
            published, difference, note = "geen", "", ""
        else:
            published = (f"{_eur(pub.indexed)} ({pub.kind} {pub.year} {_eur(pub.amount)}, "
                         f"geïndexeerd; {pub.source})")
            difference = _pct(diff) if diff is not None else ""
            note = ("binnen ±15 %" if diff is not None and abs(diff) <= TARGET
                    else f"buiten ±15 %: {notes.get(pub.code) or 'geen reden vastgelegd'}")
        staff, treat, support, costs_b, overhead, index = rounded_parts(
            [row.client_time + row.non_client_time, row.treatment, row.support, row.other_costs, row.overhead,
             row.indexation])
        out.append(f"| {row.product} | {row.ijw_code or '–'} | {row.occupancy:.0%} | {_eur(row.cost_based)} "
                   f"| {_eur(staff + treat + support)} | {_eur(treat)} | {_eur(support)} | {_eur(costs_b)} "
                   f"| {_eur(overhead)} | {_eur(index)} | {_eur(row.contracted)} (indicatief) | {published} "
                   f"| {difference} | {note} |")
    out += ["", "Bronnen per element:", ""]
    first = cost_based_tariffs(model)[0]
    out.append(f"- (a) personeel: {cm.source}; productiviteit {model.sources.get('productivity', 'aanname')}; "
               "behandelaars per product in het model (`treatment`, rol en uren met bron, tegen het eigen tarief "
               "van de rol); overige uren zijn achtervang en andere specialisten (`extra_hours_per_week`, "
               "tegen het tarief van het niveau). Elementen afgerond zodat ze optellen tot de kostprijs.")
    out.append(f"- (b) overige cliëntgebonden kosten: {first.sources['b']}.")
    out.append(f"- (c) overhead en risico: {first.sources['c']}.")
    out.append(f"- (d) indexatie: {first.sources['d']}.")
    for other in model.published_tariffs:
        if other.unit != "dagdeel":
            indexed = other.amount * index_factor(model.index_path, _year_end(other.year), tariff_date(model))
            cats = ", ".join(f"cat. {k} {_eur(v)}" for k, v in model.transport.tariff.items())
            out.append(f"- {other.code} per {other.unit}: gepubliceerd {_eur(other.amount)} ({other.kind} "
                       f"{other.year}; {other.source}), geïndexeerd {_eur(indexed)}; "
                       f"het model rekent {cats} (indicatief). "
                       "Geen kostprijsopbouw: de seeds geven voor vervoer geen personeel of kilometerkosten.")
    return out + [""]


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def render(models: list[RegionModel] | None = None) -> str:
    """The whole page, in Markdown, for every model in models/ that has a [cost_model]."""
    if models is None:
        models = [load_model(p.stem) for p in sorted(MODELS_DIR.glob("*.toml"))]
    lines = ["# Reële tarieven per product", "",
             "Gegenereerd door `python -m planner.report.tariffs_md` (niet met de hand bewerken; "
             "`tests/unit/test_tariffs.py` faalt als dit bestand verouderd is).", "",
             "Kostprijs per kind per dagdeel in euro bij de bezettingsgraad van het model, opgebouwd uit de vier "
             "elementen van Besluit Jeugdwet art. 2.3: (a) de beroepskracht, cliëntgebonden en niet-cliëntgebonden "
             "tijd, met behandelaars tegen hun eigen tarief; (b) overige cliëntgebonden kosten; (c) overhead en "
             "risico; (d) indexatie naar de tariefdatum. Een groep wordt bemenst voor zijn omvang: lege plaatsen "
             "kosten geld. Gepubliceerde tarieven zijn met het indexpad van het model naar de tariefdatum gebracht; "
             "verschil = kostprijs / gepubliceerd - 1. Gecontracteerde tarieven in de modellen zijn indicatief "
             "(`tariff_source`).", ""]
    for model in models:
        if model.cost_model is not None:
            lines += _model_section(model)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("docs/tarieven.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(render(), encoding="utf-8")
    tmp.replace(target)
    print(f"Geschreven: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
