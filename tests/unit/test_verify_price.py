"""verify/price.py: the checker's own price of a roster, term by term, against figures worked out by hand."""

from __future__ import annotations

from typer.testing import CliRunner

import planner.core.costs as costs
from planner.cli import app
from planner.core.roster import Roster
from planner.verify.price import band_of, compare_terms, day_fare, euro_nl, price_roster, ride_mode, to_cents
from tests import builders as b
from tests.conftest import write_scenario, write_workbook

HR = b.model("holland-rijnland-2025")  # 42A03: per attendance day; cat 1-5 = 18.40, 27.60, 39.80, 56.20, 74.50
WF = b.model("westfriesland-2025")  # per trip: cat 2 = 11.40 a trip
MH = b.model("midden-holland-2025")  # 08A03: no wheelchair or individual transport


def _instance():
    locations = [b.loc("L1"), b.loc("L2", wheelchair_access=False)]
    groups = [b.group("G1", "41A03-1"), b.group("G2", "DB-LICHT", optional=True, opening_cost_per_week=125.50),
              b.group("G3", "41A03-1", location="L2", optional=True, opening_cost_per_week=99.0)]
    staff = [b.staff("S1", "HBO"), b.staff("S2", "HBO", hourly_cost=50.0)]
    kids = [b.child("C1", "41A03-1", 3, transport="groep"),
            b.child("C2", "41A03-1", transport="groep", wheelchair=True),
            b.child("C3", "41A03-1", transport="individueel"), b.child("C4", "41A03-1"),
            b.child("C5", "DB-LICHT", transport="groep"), b.child("C6", "41A03-1", transport="groep"),
            b.child("C7", "41A03-1", transport="groep", wheelchair=True)]
    km = {"C1": 7.0, "C2": 3.0, "C3": 25.0, "C4": 7.0, "C5": 7.0, "C6": 35.0}
    distances = {(c, "L1"): d for c, d in km.items()} | {("C7", "L2"): 3.0}
    data = b.data(locations, groups, staff, kids, distances)
    roster = Roster(
        children=(("C1", "G1", "ma-ochtend"), ("C1", "G1", "ma-middag"), ("C1", "G1", "di-ochtend"),
                  ("C2", "G1", "ma-ochtend"), ("C3", "G1", "ma-ochtend"), ("C4", "G1", "ma-ochtend"),
                  ("C5", "G2", "ma-ochtend"), ("C6", "G1", "wo-ochtend"), ("C7", "G3", "ma-ochtend")),
        staff=(("S1", "G1", "ma-ochtend"), ("S2", "G2", "ma-ochtend")),
        vacancies=(("vacature-MBO4-1", "MBO4", "G1", "ma-middag"),), opened=("G2",))
    return data, roster


def test_every_term_by_hand():
    """Holland Rijnland, worked out by hand (hourly costs from tests/unit/test_tariffs.py HR_HOURLY)."""
    data, roster = _instance()
    cost = price_roster(HR, data, roster)
    # staff: S1 HBO 55.6676 x 4 h = 222.6704 -> 22,267; S2 own 50.00 x 4 h = 20,000
    assert cost.personeel == 22267 + 20000
    # one MBO4 vacancy-dagdeel: 49.6495 x 4 h = 198.598 -> 19,860
    assert cost.vacatures == 19860
    # DB-LICHT runs in G2: 1 HBO hour a week, 55.6676 -> 5,567 (41A03-1 has no specialist hours)
    assert cost.specialisten == 5567
    # C1 7 km, group: band 2 (5-10 km), cat 2, 27.60 on two days (ma, di) = 5,520; C2 3 km, group with
    # wheelchair: band 1, cat 2 = 2,760; C3 25 km individual: band 4, cat 5 = 7,450; C4 own transport, C5
    # DB-LICHT (no paid transport, 002:419), C6 35 km (beyond the table: own transport), C7 at L2 without
    # wheelchair access: nothing
    assert cost.vervoer == 5520 + 2760 + 7450 and len(cost.rides) == 4
    # G2 opened at 125.50; G3 is not opened
    assert cost.groepen == 12550
    assert cost.total == 42267 + 19860 + 5567 + 15730 + 12550


def test_per_trip_billing_pays_both_ways():
    """Westfriesland bills per trip (003 §3.1): a 7 km group ride is band 2, cat 2, 11.40 twice a day."""
    assert day_fare(WF, "group", 7.0) == (2, 2, 2280)


def test_bands_and_excluded_modes():
    """Bands are half-open at the edges (< 5 is band 1, 5 is band 2); beyond the last edge there is none;
    Midden-Holland's 08A03 pays no wheelchair or individual transport (004 line 5128)."""
    edges = [5.0, 10.0, 20.0, 30.0]
    assert [band_of(edges, km) for km in (0.0, 4.99, 5.0, 19.99, 20.0, 29.99, 30.0)] == [1, 1, 2, 3, 4, 4, None]
    assert ride_mode(MH, b.child("A", "41A22", transport="groep")) == "group"
    assert ride_mode(MH, b.child("B", "41A22", transport="individueel")) is None
    assert ride_mode(MH, b.child("C", "41A22", transport="groep", wheelchair=True)) is None
    assert ride_mode(HR, b.child("D", "41A03-1", transport="groep", wheelchair=True)) == "group_wheelchair"


def test_money_in_cents_and_dutch_euros():
    """18.40 is 1,840 cents (never 1,839); amounts read as a Dutch reader writes them."""
    assert to_cents(18.40) == 1840 and to_cents(0.285) == 28
    assert euro_nl(123456) == "€ 1.234,56" and euro_nl(-5) == "€ -0,05"


def test_a_solver_term_off_by_a_cent_is_named_with_both_amounts():
    """compare_terms names the term and both amounts in euro; equal terms give nothing."""
    data, roster = _instance()
    cost = price_roster(HR, data, roster)
    same = {name: cents / 100 for name, cents in cost.terms().items()}
    assert compare_terms(same, cost) == []
    off = compare_terms({**same, "vervoer": same["vervoer"] + 0.01}, cost)
    assert [str(v) for v in off] == ["kosten: vervoer: oplosser € 157,31, controle € 157,30"]


def test_plan_exits_3_when_the_solver_prices_transport_wrong(tmp_path, monkeypatch):
    """A pricing fault on the solver's side (a transport fare doubled in core/costs) is caught by verify's own
    price: `planner plan` exits 3 and names the term and both amounts."""
    real = costs.trips_for

    def doubled(model, data, child):  # type: ignore[no-untyped-def]
        return {i: type(t)(t.km, t.band, t.mode, t.category, 2 * t.cost_per_day) for i, t in
                real(model, data, child).items()}

    sheets = {
        "locations": [["location_id", "provider", "lat", "lon"], ["L1", "Test", 52.16, 4.49]],
        "groups": [["group_id", "location_id", "products", "capacity"], ["G1", "L1", "41A03-1", 8]],
        "staff": [["staff_id", "education", "dagdelen_per_week"], ["S1", "HBO", 8]],
        "children": [["child_id", "municipality", "lat", "lon", "product", "dagdelen_per_week", "age", "transport"],
                     ["C1", "Leiden", 52.20, 4.49, "41A03-1", 1, 9, "groep"]],
        "distances": [["child_id", "location_id", "km"], ["C1", "L1", 7.0]],
    }
    write_workbook(tmp_path / "data.xlsx", sheets)
    monkeypatch.setattr(costs, "trips_for", doubled)
    result = CliRunner().invoke(app, ["plan", str(write_scenario(tmp_path, "data.xlsx")), "--out",
                                      str(tmp_path / "out"), "--time-limit", "2"])
    assert result.exit_code == 3, result.output
    # 7 km, group: band 2, cat 2 = 27.60 a day; the solver's doubled fare 55.20
    assert "kosten: vervoer: oplosser € 55,20, controle € 27,60" in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()
