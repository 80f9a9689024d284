"""Cost-based tariffs (issue 19): occupancy, the four elements of art. 2.3, treatment staff, one hourly cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.catalogue import build_model, load_model, model_path, read_model_dict
from planner.errors import InputError
from planner.report.tariffs_md import render
from planner.tariffs import (
    client_hourly_of,
    cost_based_tariffs,
    paid_hourly_of,
    price_level,
    product_tariff,
    role_client_hourly,
)

HR = load_model("holland-rijnland-2025")
MH = load_model("midden-holland-2025")
ROOT = Path(__file__).resolve().parent.parent


def test_lower_occupancy_costs_more():
    """Occupancy 70 % gives a higher cost-based tariff than 85 % for every product (empty seats cost money)."""
    for model in (HR, MH):
        for code in model.products:
            assert product_tariff(model, code, 0.70).cost_based > product_tariff(model, code, 0.85).cost_based


def test_staffed_for_group_size():
    """41A03-1 (1:4, group 8): two MBO3 staff per dagdeel for 6.8 children at 85 %, by hand."""
    cm = HR.cost_model
    row = product_tariff(HR, "41A03-1", 0.85)
    assert row.staff_per_group == 2 and row.group_size == pytest.approx(6.8)
    paid = 2 * 4 * paid_hourly_of(cm, "MBO3") / 6.8
    assert row.client_time == pytest.approx(paid)
    assert row.non_client_time == pytest.approx(paid * (1 / cm.productivity - 1))
    treatment = 3 * role_client_hourly(cm, "gedragswetenschapper") / (6.8 * 10)
    assert row.treatment == pytest.approx(treatment)
    base = row.professional + row.other_costs
    assert row.overhead == pytest.approx(base * ((1 + cm.overhead) * (1 + cm.risk_margin) - 1))
    assert row.indexation == pytest.approx((base + row.overhead) * 0.0496)
    assert row.cost_based == pytest.approx((base + row.overhead) * 1.0496)


def test_treatment_staff_at_their_own_rates():
    """A and B differ by their WO support (002); 41K04's psychiatrist is priced above a WO hour (004)."""
    assert product_tariff(HR, "41A03-1").cost_based > product_tariff(HR, "41A00-1").cost_based
    cm = MH.cost_model
    assert role_client_hourly(cm, "psychiater") > client_hourly_of(cm, "WO")
    row = product_tariff(MH, "41K04", 0.85)
    weekly = (10 * role_client_hourly(cm, "psychiater") + 10 * role_client_hourly(cm, "gedragswetenschapper")
              + 12 * role_client_hourly(cm, "systeemtherapeut") + 4 * role_client_hourly(cm, "beeldend_therapeut"))
    assert row.treatment == pytest.approx(weekly / (0.85 * 8 * 10))


def test_one_hourly_cost_paid_and_client_hour():
    """The roster's hourly cost is the cost model's client hour (paid hour / productivity) at the tariff date."""
    cm = HR.cost_model
    for level, hourly in HR.cost.hourly.items():
        assert hourly == pytest.approx(paid_hourly_of(cm, level) / cm.productivity * price_level(HR), abs=1e-4)
        assert paid_hourly_of(cm, level) < hourly


def test_cao_by_sector():
    """A product may follow another sector's CAO table; a missing table is an error naming it."""
    raw = read_model_dict(model_path("midden-holland-2025"))
    salaries = {lv: v * 1.1 for lv, v in raw["cost_model"]["monthly_salary_2023"].items()}
    raw["cost_model"]["other_cao"] = {"gehandicaptenzorg": {
        "monthly_salary_2023": salaries, "holiday_allowance": 0.08, "year_end_bonus": 0.0833,
        "indexations": raw["cost_model"]["indexations"], "source": "test"}}
    raw["products"]["41K03"]["cao"] = "gehandicaptenzorg"
    model = build_model(raw, "test")
    assert paid_hourly_of(model.cost_model, "MBO4", "gehandicaptenzorg") == pytest.approx(
        paid_hourly_of(model.cost_model, "MBO4") * 1.1)
    assert product_tariff(model, "41K03").client_time == pytest.approx(product_tariff(MH, "41K03").client_time * 1.1)
    raw["products"]["41K03"]["cao"] = "ggz"
    with pytest.raises(InputError) as err:
        build_model(raw, "test")
    assert "geen CAO-tabel 'ggz'" in str(err.value.problems[0])


def test_unknown_treatment_role_is_a_model_error():
    """A treatment role without a salary in [cost_model.roles] is refused when the model is read, by key."""
    raw = read_model_dict(model_path("midden-holland-2025"))
    raw["products"]["41K04"]["treatment"][0]["role"] = "logopedist"
    with pytest.raises(InputError) as err:
        build_model(raw, "test")
    assert "onbekende rol 'logopedist'" in str(err.value.problems[0])


def test_published_within_target_or_reason():
    """Every product with a published tariff is within 15 % of it, or the model states why not."""
    reasons = {p.code: p.note for p in HR.published_tariffs}
    checked = 0
    for row in cost_based_tariffs(HR):
        diff = row.published_difference()
        if diff is None:
            continue
        checked += 1
        assert abs(diff) <= 0.15 or reasons[row.published[0].code]
    assert checked == 6
    within = [r for r in cost_based_tariffs(HR) if r.published and abs(r.published_difference() or 1) <= 0.15]
    assert {r.product for r in within} == {"41A00-1", "41A00-2", "41A03-1", "41A03-2"}


def test_docs_table_is_current():
    """docs/tarieven.md is what `python -m planner.report.tariffs_md` generates now (regenerate when this fails)."""
    committed = (ROOT / "docs" / "tarieven.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/tarieven.md is verouderd: python -m planner.report.tariffs_md"


def test_tariff_workbook_has_the_four_elements_with_sources(tmp_path):
    """tarieven.xlsx: (a)-(d) as columns, the total stored, its formula beside it, a source per element, occupancies."""
    import openpyxl

    from planner.report.forecast_xlsx import TARIFF_HEAD, write_tariffs

    write_tariffs(HR, cost_based_tariffs(HR), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    ws = wb["Tarieven"]
    head = [c.value for c in ws[1]]
    assert head[:len(TARIFF_HEAD)] == TARIFF_HEAD
    for element in ("(a) cliëntgebonden tijd", "(a) niet-cliëntgebonden tijd", "(b) overige cliëntgebonden kosten",
                    "(c) overhead en risico", "(d) indexatie", "Bron (a)", "Bron (b)", "Bron (c)", "Bron (d)"):
        assert element in head
    row = {h: c.value for h, c in zip(head, ws[2], strict=True)}
    assert row["Product"] == "41A00-1" and row["Kostprijs per dagdeel (formule)"] == "=SUM(H2:M2)"
    elements = [row[h] for h in TARIFF_HEAD[7:13]]
    assert row["Kostprijs per dagdeel"] == pytest.approx(sum(elements), abs=0.005)  # stored, for readers without Excel
    assert "aanname" in row["Bron (b)"] and "VNG" in row["Bron (d)"]
    assert row["Gepubliceerd tarief (prijspeil tariefdatum)"] == pytest.approx(72.23, abs=0.005)  # 68.82 x 1.0496
    occ = wb["Bezettingsgraad"]
    values = [c.value for c in occ[2]][1:]
    assert values == sorted(values, reverse=True)  # 50 % costs most, 100 % least


def test_product_limits_carry_their_source_in_data():
    """Ages, group maximum and dagdeel maxima of every product have a source or `aanname` in the data, not only
    in a TOML comment (issue 19), so a report can show them."""
    for name in ("holland-rijnland-2025", "midden-holland-2025", "westfriesland-2025", "helmond-peel-2025"):
        for code, p in load_model(name).products.items():
            for key in ("ages", "group_max", "max_dagdelen_per_week", "max_dagdelen_per_day"):
                assert p.sources.get(key), (name, code, key)
