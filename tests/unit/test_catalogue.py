"""Region models hold the seed figures (one test per product family)."""

from fractions import Fraction

import pytest

from planner.inputs.catalogue import build_model, load_model, model_path, read_model_dict
from planner.inputs.errors import InputError


@pytest.fixture(scope="module")
def hr():
    return load_model("holland-rijnland-2025")


@pytest.fixture(scope="module")
def wf():
    return load_model("westfriesland-2025")


@pytest.fixture(scope="module")
def mh():
    return load_model("midden-holland-2025")


def test_every_product_and_figure_is_sourced(hr, wf, mh):
    """Each product names its seed or assumption, tariffs are marked, no silent zeros."""
    for model in (hr, wf, mh):
        assert model.source.endswith(".txt") or "txt" in model.source
        for code, p in model.products.items():
            assert p.source and p.tariff_source, code
            assert p.tariff > 0, code
        assert all(v > 0 for v in model.cost.hourly.values())
        assert "aanname" in model.cost.source
        assert all(v > 0 for v in model.transport.tariff.values())


def test_hr_dagbehandeling_a_and_b(hr):
    """002: 41A00 and 41A03 in three categories, 1:4, 1:4 (HBO-weighted), 1:3; 48 weeks."""
    assert hr.weeks_per_year == 48
    for base in ("41A00", "41A03"):
        c1, c2, c3 = (hr.products[f"{base}-{i}"] for i in (1, 2, 3))
        assert (c1.children_per_staff, c2.children_per_staff, c3.children_per_staff) == (4, 4, 3)
        assert not c1.education.min_share
        assert c2.education.min_share == {"HBO": 0.5} == c3.education.min_share
        assert c1.kind == "dagbehandeling"


def test_hr_zorg_onderwijs(hr):
    """002: zorg-onderwijsarrangementen 1:8, 1:8, 1:6."""
    assert [hr.products[f"ZO-{i}"].children_per_staff for i in (1, 2, 3)] == [8, 8, 6]


def test_hr_dagbesteding(hr):
    """002: licht group 5-10, 2 a day, 8 a week; zwaar max 4, HBO/WO."""
    licht, zwaar = hr.products["DB-LICHT"], hr.products["DB-ZWAAR"]
    assert (licht.group_min, licht.group_max) == (5, 10)
    assert (licht.max_dagdelen_per_day, licht.max_dagdelen_per_week) == (2, 8)
    assert zwaar.group_max == 4 and zwaar.education.min_level == "HBO"
    assert zwaar.max_dagdelen_per_day == 2


def test_hr_transport_table(hr):
    """002 vervoer 42A03: band x mode categories, billed per attendance day."""
    t = hr.transport
    assert t.bands_km == [5, 10, 20, 30] and t.billing == "per_day"
    assert t.category["group"] == [1, 2, 3, 4]
    assert t.category["group_wheelchair"] == [2, 3, 4, 5]
    assert t.category["individual"] == [3, 3, 4, 5]
    assert t.band(4.9) == 1 and t.band(5) == 2 and t.band(29.9) == 4 and t.band(30) is None


def test_wf_dagbesteding(wf):
    """003: dagbesteding midden max 6, 5 per begeleider; hoog max 4, 4; averaged over the week."""
    m, h = wf.products["DBS-MIDDEN"], wf.products["DBS-HOOG"]
    assert (m.group_max, m.children_per_staff, m.ratio_scope) == (6, 5, "week")
    assert (h.group_max, h.children_per_staff) == (4, 4)


def test_wf_dagbehandeling(wf):
    """003: VG naschools (8, 4), VG zwaar (4, 3.5), VG gedrag (4, 2.5), GGZ (5)."""
    p = wf.products
    assert (p["DB-VG-NASCHOOLS"].group_max, p["DB-VG-NASCHOOLS"].children_per_staff) == (8, 4)
    assert p["DB-VG-NASCHOOLS"].parts == ["middag"] and p["DB-VG-NASCHOOLS"].ages == (4, 18)
    assert (p["DB-VG-ZWAAR"].group_max, p["DB-VG-ZWAAR"].staff_per_child) == (4, Fraction(2, 7))
    assert (p["DB-VG-GEDRAG"].group_max, p["DB-VG-GEDRAG"].staff_per_child) == (4, Fraction(2, 5))
    assert p["DB-GGZ"].children_per_staff == 5


def test_wf_transport(wf):
    """003: group and individual transport with six distance intensities, per trip."""
    assert len(wf.transport.bands_km) == 6 and wf.transport.billing == "per_trip"
    assert len(set(wf.transport.category["group"])) == 6


def test_mh_dagbesteding(mh):
    """004: 41A22 (6, >=60% MBO4), 41A23 (3, >=60% HBO), 41A24 (4, >=50% HBO)."""
    p = mh.products
    assert p["41A22"].children_per_staff == 6 and p["41A22"].education.min_share == {"MBO4": 0.6}
    assert p["41A23"].children_per_staff == 3 and p["41A23"].education.min_share == {"HBO": 0.6}
    assert p["41A24"].children_per_staff == 4 and p["41A24"].education.min_share == {"HBO": 0.5}


def test_mh_groepsbehandeling_and_kdc(mh):
    """004: 41A03 2 on 9-10, 41A04 2 on 9 all HBO, 41K03 1:4 mixed, 41K04 2 on 6-8 with 2 HBO."""
    p = mh.products
    assert (p["41A03"].min_staff, p["41A03"].group_max) == (2, 10)
    assert (p["41A04"].min_staff, p["41A04"].group_max, p["41A04"].education.min_level) == (2, 9, "HBO")
    assert p["41K03"].ratio == 4 and "41A22-KDC" in p["41K03"].mix_with
    assert p["41A22-KDC"].ratio == 4 and p["41A22-KDC"].ijw_code == "41A22"  # 004:3883
    assert (p["41A03"].ratio, p["41A04"].ratio, p["41K04"].ratio) == (5, Fraction(9, 2), 4)  # "2 op 10/9/8"
    assert mh.may_mix("41A24", "41K03") and not mh.may_mix("41A22", "41A23")
    assert p["41K03-ZWAAR"].education.min_count == {"HBO": 2}
    assert (p["41K04"].min_staff, p["41K04"].group_max, p["41K04"].education.min_count) == (2, 8, {"HBO": 2})
    assert p["41A03"].ages == (2, 13)


def test_broken_model_names_the_key():
    """An invalid figure in a model is reported with its dotted key."""
    raw = read_model_dict(model_path("holland-rijnland-2025"))
    raw["products"]["41A03-1"]["group_max"] = 0
    raw["products"]["41A03-1"]["mix_with"] = ["NOPE"]
    with pytest.raises(InputError) as info:
        build_model(raw, "x.toml")
    assert any("products.41A03-1.group_max" in str(p) for p in info.value.problems)
