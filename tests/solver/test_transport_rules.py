"""Transport rules from the model (issue 19): eligibility per product, modes a transport product excludes,
and max_km as a transport rule instead of a placement ban."""

from __future__ import annotations

import openpyxl

from planner.app.rows import transport_rows
from planner.core.costs import beyond_table, transport_days, week_cost
from planner.inputs.catalogue import build_model, model_path, paid_mode, read_model_dict, transport_warnings
from planner.report.excel import write_roster_xlsx
from planner.solver.problem import trips_for
from tests import builders as b

HR = b.model("holland-rijnland-2025")


def test_dagbesteding_child_with_group_transport_gets_no_42a03():
    """Holland Rijnland: 42A03 only with dagbehandeling (002:419, model choice); a DB-LICHT child with
    transport = groep is placed but gets no 42A03 tariff, a 41A03 child with groep does."""
    kids = [b.child(f"C{i}", "DB-LICHT", 2, transport="groep", age=10) for i in range(5)]
    kids.append(b.child("B1", "41A03-1", 2, transport="groep", age=8))
    groups = [b.group("G1", "DB-LICHT", capacity=10), b.group("G2", "41A03-1")]
    p = b.plan(HR, b.data(groups=groups, staff_=[b.staff("S1", dagdelen=10), b.staff("S2", dagdelen=10)],
                          children=kids))
    assert p.violations == [] and p.placed == 12
    paid = {child for child, *_ in transport_days(HR, p.data, p.result.roster)}
    assert paid == {"B1"}
    assert week_cost(HR, p.data, p.result.roster).transport == 1840  # B1: 2 dagdelen on one day, category 1
    assert paid_mode(HR, "DB-LICHT", "groep", False) is None
    assert paid_mode(HR, "41A03-1", "groep", True) == "group_wheelchair"


def test_child_at_36_km_with_own_transport_is_placed():
    """A child 36 km away (beyond the 30 km table) with own transport is placed; the checker agrees."""
    far = b.child("C1", "41A03-1", 2, age=8)
    p = b.plan(HR, b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1")], children=[far],
                          distances={("C1", "L1"): 36.0}))
    assert p.violations == [] and p.placed == 2
    (trip,) = trips_for(HR, p.data, far).values()
    assert trip.km == 36.0 and trip.mode == "eigen" and trip.band == 5 and trip.cost_per_day == 0
    assert beyond_table(HR, p.data, p.result.roster) == [("C1", "L1", 36.0)]  # reported


def test_beyond_table_rules():
    """`refuse` keeps the old ban; `last_band` places paid transport beyond the table at the last band's price."""
    raw = read_model_dict(model_path("holland-rijnland-2025"))
    far = b.child("C1", "41A03-1", 2, age=8, transport="groep")
    data = b.data(groups=[b.group("G1", "41A03-1")], children=[far], distances={("C1", "L1"): 36.0})
    raw["transport_rule"]["beyond_table"] = "refuse"
    assert trips_for(build_model(raw, "t"), data, far) == {}
    assert trips_for(build_model(raw, "t"), data, b.child("C1", "41A03-1", 2, age=8)) == {}
    raw["transport_rule"]["beyond_table"] = "last_band"
    (trip,) = trips_for(build_model(raw, "t"), data, far).values()
    assert trip.band == 4 and trip.category == 4 and trip.cost_per_day == 5620


def test_08a03_excludes_wheelchair_and_individual():
    """Midden-Holland 08A03 excludes wheelchair and individual transport (004 lines 4327-4328)."""
    mh = b.model("midden-holland-2025")
    assert paid_mode(mh, "41A22", "groep", False) == "group"
    assert paid_mode(mh, "41A22", "groep", True) is None
    assert paid_mode(mh, "41A22", "individueel", False) is None


def test_beyond_table_placement_has_a_trip_row(tmp_path):
    """User test: a child at 36 km with own transport appeared only in summary.json. transport.csv gets a
    row (mode eigen, band len(bands_km) + 1, cost 0, README "Transport rules") and roster.xlsx says
    "buiten de vervoerstabel: eigen vervoer" on Vervoer and Jeugdigen."""
    far = b.child("C1", "41A03-1", 2, age=8)
    p = b.plan(HR, b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1")], children=[far],
                          distances={("C1", "L1"): 36.0}))
    assert p.violations == []
    days = len({d.split("-")[0] for c, _, d in p.result.roster.children if c == "C1"})
    assert transport_rows(p) == [["C1", "L1", "36.0", len(HR.transport.bands_km) + 1, "eigen", "", days, "0.00"]]
    write_roster_xlsx(p, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    (_, row) = list(wb["Vervoer"].values)
    assert row[0] == "C1" and row[2] == 36.0 and row[8] == "buiten de vervoerstabel: eigen vervoer"
    assert row[-1] == "afstandentabel"  # "Afstand uit", the last column since the postcode work
    kids = {r[0]: r for r in wb["Jeugdigen"].values}
    assert kids["C1"][-1] == "buiten de vervoerstabel (36.0 km): eigen vervoer"


def test_group_transport_for_a_product_without_paid_transport_is_said(tmp_path):
    """Holland Rijnland DB-LICHT (transport_eligible = false) with transport = groep: check warns and the
    report says "geen vergoed vervoer voor dit product" instead of "groep" as if paid."""
    kids = [b.child(f"C{i}", "DB-LICHT", 2, transport="groep", age=10) for i in range(5)]
    kids.append(b.child("B1", "41A03-1", 2, transport="groep", age=8))
    data = b.data(groups=[b.group("G1", "DB-LICHT", capacity=10), b.group("G2", "41A03-1")],
                  staff_=[b.staff("S1", dagdelen=10), b.staff("S2", dagdelen=10)], children=kids)
    warnings = transport_warnings(HR, data.children)
    assert sorted(w.message.split()[1] for w in warnings) == [f"C{i}" for i in range(5)]
    assert all("geen vergoed vervoer voor dit product" in w.message and w.column == "transport" for w in warnings)
    p = b.plan(HR, data)
    write_roster_xlsx(p, tmp_path / "r.xlsx")
    kids_sheet = {r[0]: r for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["Jeugdigen"].values}
    assert kids_sheet["C0"][-1] == "geen vergoed vervoer voor dit product (eigen vervoer)"
    assert kids_sheet["B1"][-1] == "groep"
