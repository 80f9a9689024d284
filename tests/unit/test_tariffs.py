"""Cost-based tariffs (issue 19): occupancy, the four elements of art. 2.3, treatment staff, one hourly cost."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from planner.app.tariffs import cost_based_tariffs, product_tariff
from planner.inputs.catalogue import build_model, load_model, model_path, read_model_dict
from planner.inputs.cost_model import client_hourly_of, paid_hourly_of, role_client_hourly
from planner.inputs.errors import InputError
from planner.report.forecast_xlsx import TARIFF_HEAD, write_tariffs
from planner.report.tariffs_md import render, rounded_parts

HR = load_model("holland-rijnland-2025")
MH = load_model("midden-holland-2025")
ROOT = Path(__file__).resolve().parents[2]


def test_lower_occupancy_costs_more():
    """Occupancy 70 % gives a higher cost-based tariff than 85 % for every product (empty seats cost money)."""
    for model in (HR, MH):
        for code in model.products:
            assert product_tariff(model, code, 0.70).cost_based > product_tariff(model, code, 0.85).cost_based


# Holland Rijnland's [cost_model], by hand (models/holland-rijnland-2025.toml):
#   month 2023 x 1.08 x 1.0125 (CAO +8 % Jan 2024, +1.25 % Jul 2024: steps up to reference_date 2024-07-01)
#   x 12 x (1 + 0.08 holiday + 0.0833 bonus) x 1.27 employer charges / (36 h x 52.1775 weeks = 1,878.39 h)
#   MBO3 3,050.00: 3,335.175 a month, 46,557.71 a year, 59,128.29 with charges -> 31.4782 per paid hour
#   MBO4 3,300.00: 3,608.550 a month, 50,373.91 a year, 63,974.87 with charges -> 34.0584
#   HBO  3,700.00: 4,045.950 a month, 56,479.84 a year, 71,729.40 with charges -> 38.1866
#   WO   4,650.00: 5,084.775 a month, 70,981.43 a year, 90,146.41 with charges -> 47.9913
#   client hour = paid hour / 0.72 productivity: 43.7197, 47.3033, 53.0370, 66.6546;
#   the roster's hourly cost is that at the tariff date 2025-07-01: x 1.0496 (VNG 2025, the only
#   index_path step after 2024-07-01) = 45.8882, 49.6495, 55.6676, 69.9607
HR_PAID = {"MBO3": 31.4782, "MBO4": 34.0584, "HBO": 38.1866, "WO": 47.9913}
HR_HOURLY = {"MBO3": 45.8882, "MBO4": 49.6495, "HBO": 55.6676, "WO": 69.9607}


def test_staffed_for_group_size():
    """41A03-1 (1:4, group 8): two MBO3 staff per dagdeel for 6.8 children at 85 %, by hand."""
    cm = HR.cost_model
    row = product_tariff(HR, "41A03-1", 0.85)
    assert row.staff_per_group == 2 and row.group_size == pytest.approx(6.8)
    # 2 staff x 4 h x 31.4782 (MBO3 paid hour, above) / 6.8 children present = 37.0332 per child-dagdeel
    assert row.client_time == pytest.approx(37.0332, rel=1e-4)
    # indirect time: 37.0332 x (1 / 0.72 - 1) = 37.0332 x 0.388889 = 14.4018
    assert row.non_client_time == pytest.approx(14.4018, rel=1e-4)
    # gedragswetenschapper 3 h a week at 4,650.00 (as WO): 66.6546 client hour; 3 x 66.6546 / (6.8 x 10 dagdelen)
    assert row.treatment == pytest.approx(2.9406, rel=1e-4)
    base = row.professional + row.other_costs
    # overhead 15 % and risk 3 %: 1.15 x 1.03 - 1 = 0.1845
    assert row.overhead == pytest.approx(base * 0.1845)
    assert row.indexation == pytest.approx((base + row.overhead) * 0.0496)
    assert row.cost_based == pytest.approx((base + row.overhead) * 1.0496)
    assert cm is not None and cm.productivity == 0.72  # the figure the hand sums above use


def test_treatment_staff_at_their_own_rates():
    """A and B differ by their WO support (002); 41K04's psychiatrist is priced above a WO hour (004)."""
    assert product_tariff(HR, "41A03-1").cost_based > product_tariff(HR, "41A00-1").cost_based
    cm = MH.cost_model
    assert role_client_hourly(cm, "psychiater") > client_hourly_of(cm, "WO")
    row = product_tariff(MH, "41K04", 0.85)
    # by hand, Midden-Holland's [cost_model] (the steps of HR_PAID above): a client hour is the month 2023 x
    # 1.08 x 1.0125 x 12 x 1.1633 x 1.27 / 1,878.39 h / 0.72 = month x 0.01433432: psychiater 8,200.00 ->
    # 117.5415, gedragswetenschapper 4,650.00 -> 66.6546, systeemtherapeut 4,900.00 -> 70.2382, beeldend
    # therapeut 3,900.00 -> 55.9039; a week 10 x 117.5415 + 10 x 66.6546 + 12 x 70.2382 + 4 x 55.9039 =
    # 2,908.4344, over 0.85 x 8 children x 10 dagdelen = 42.7711 per child-dagdeel
    assert role_client_hourly(cm, "psychiater") == pytest.approx(117.5415, abs=1e-4)
    assert row.treatment == pytest.approx(42.7711, abs=1e-4)


def test_one_hourly_cost_paid_and_client_hour():
    """The roster's hourly cost is the cost model's client hour (paid hour / productivity) at the tariff date,
    by hand (HR_PAID and HR_HOURLY above)."""
    cm = HR.cost_model
    for level, hourly in HR.cost.hourly.items():
        assert hourly == pytest.approx(HR_HOURLY[level], abs=1e-4)
        assert paid_hourly_of(cm, level) == pytest.approx(HR_PAID[level], abs=1e-4)
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
    write_tariffs(HR, cost_based_tariffs(HR), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    ws = wb["Tarieven"]
    head = [c.value for c in ws[1]]
    assert head[:len(TARIFF_HEAD)] == TARIFF_HEAD
    for element in ("(a) cliëntgebonden tijd", "(a) niet-cliëntgebonden tijd", "(b) overige cliëntgebonden kosten",
                    "(c) overhead en risico", "(d) indexatie", "Bron (a)", "Bron (b)", "Bron (c)", "Bron (d)"):
        assert element in head
    row = {h: c.value for h, c in zip(head, ws[2], strict=True)}
    assert row["Product"] == "41A00-1" and row["Kostprijs per dagdeel (formule)"] == "=SUM(H2:N2)"
    elements = [row[h] for h in TARIFF_HEAD[7:14]]
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


def _tariff_sheet(model, tmp_path):
    rows = cost_based_tariffs(model)
    write_tariffs(model, rows, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["Tarieven"]
    head = [c.value for c in ws[1]]
    return rows, [{h: c.value for h, c in zip(head, r, strict=True)} for r in ws.iter_rows(min_row=2)
                  if r[0].value in {row.product for row in rows}]


@pytest.mark.parametrize("name", ["holland-rijnland-2025", "midden-holland-2025", "westfriesland-2025",
                                  "helmond-peel-2025"])
def test_treatment_and_other_hours_sources_are_sources(name, tmp_path):
    """Bron behandelaars / Bron overige uren: a source with a seed line, an `aanname`, or "geen ...";
    never the name of a model field (user test: the literal text `extra_hours_per_week`)."""
    _, sheet = _tariff_sheet(load_model(name), tmp_path)
    for row in sheet:
        for col, amount in (("Bron behandelaars", "(a) behandelaars"),
                            ("Bron overige uren", "(a) overige specialisten en achtervang")):
            text = row[col]
            assert text and text.strip() != "extra_hours_per_week", (row["Product"], col)
            if row[amount] == 0:
                assert text.startswith("geen"), (row["Product"], col, text)
            else:
                assert "aanname" in text or any(ch.isdigit() for ch in text), (row["Product"], col, text)


def test_treatment_staff_apart_from_backup_hours():
    """Midden-Holland 41A03: diagnostiek by a gedragswetenschapper and therapists where needed (004 regels
    3639-3645) are treatment at their own rates; the HBO back-up (004 regel 3703) is not. Holland Rijnland
    dagbesteding (DB-LICHT, DB-ZWAAR) has supervision hours, no treatment staff."""
    mh = {r.product: r for r in cost_based_tariffs(MH)}
    assert mh["41A03"].treatment > 0 and mh["41A03"].support > 0
    assert "004 regel 3639-3641" in mh["41A03"].sources["behandeling"] and "3703" in mh["41A03"].sources["overig"]
    for code in ("41A04", "41K03", "41K03-ZWAAR", "41K04"):
        assert mh[code].treatment > 0, code
    assert mh["41K04"].support == 0  # its extra_hours_per_week are exactly its treatment roles
    hr = {r.product: r for r in cost_based_tariffs(HR)}
    for code in ("DB-LICHT", "DB-ZWAAR"):
        assert hr[code].treatment == 0 and hr[code].support > 0, code
        assert hr[code].sources["behandeling"] == "geen behandelaars"
    for code in ("ZO-1", "ZO-2", "ZO-3"):
        assert hr[code].treatment == hr[code].support == 0


def test_dagbehandeling_not_cheaper_than_dagbesteding_at_equal_ratio():
    """Midden-Holland: a dagbehandeling product (41K03, 41K03-ZWAAR, 41K04) costs at least as much as a
    dagbesteding product with the same children per staff and group size (41A22-KDC, 41A24, 1:4, 004 regel
    3883) at the same occupancy: treatment comes on top of the group. 41A03 (2 op 10, 004 regel 3692) is
    cheaper than those for its ratio, the reason in its `note`."""
    model = MH
    rows = {r.product: r for r in cost_based_tariffs(model, 0.85)}
    pairs = [(a, b) for a, pa in model.products.items() for b, pb in model.products.items()
             if pa.kind == "dagbehandeling" and pb.kind == "dagbesteding"
             and pa.staff_per_child == pb.staff_per_child and pa.group_max == pb.group_max]
    assert len(pairs) >= 6
    for a, b in pairs:
        assert rows[a].cost_based >= rows[b].cost_based, (a, b)
    assert "3692" in (model.products["41A03"].note or "")


@pytest.mark.parametrize("name", ["holland-rijnland-2025", "midden-holland-2025"])
def test_stored_total_is_the_rounded_cost_price(name, tmp_path):
    """User test: the Tarieven sheet showed EUR 70.13 (a sum of rounded elements) where Bezettingsgraad and
    docs showed 70.14. Elements are stored to 6 decimals, the total is round(cost_based, 2), and the sum
    of the stored elements (what the formula beside it computes) rounds to the same cents."""
    rows, sheet = _tariff_sheet(load_model(name), tmp_path)
    for row, cells in zip(rows, sheet, strict=True):
        assert cells["Kostprijs per dagdeel"] == round(row.cost_based, 2)
        assert round(sum(cells[h] for h in TARIFF_HEAD[7:14]), 2) == round(row.cost_based, 2)
        parts = rounded_parts([row.client_time + row.non_client_time, row.treatment, row.support,
                               row.other_costs, row.overhead, row.indexation])
        assert round(sum(parts), 2) == round(row.cost_based, 2)
    assert rounded_parts([0.005, 0.005, 0.0]) == [0.01, 0.0, 0.0]
