"""Transport is billed per attendance day, so a child's dagdelen go on as few days as possible."""

from planner.app.rows import transport_rows
from tests import builders as b


def test_four_dagdelen_with_paid_transport_on_two_days():
    """A child with 4 dagdelen and group transport is placed on 2 days, not 4."""
    kid = b.child("C1", "41A03-1", 4, transport="groep", age=8)
    p = b.plan(b.model("holland-rijnland-2025"),
               b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1", "MBO4")], children=[kid]))
    assert p.violations == [] and p.placed == 4
    days = {d.split("-")[0] for _, _, d in p.result.roster.children}
    assert len(days) == 2

    (row,) = transport_rows(p)
    assert row[6] == 2  # days_per_week


def test_beyond_max_km_with_paid_transport_waits_with_reason():
    """Beyond the band table (30 km in Holland Rijnland) paid transport has no price: that child waits, with reason."""
    far = b.child("C1", "41A03-1", 2, lat=52.45, lon=4.60, age=8, transport="groep")  # ~33 km straight, x1.3
    p = b.plan(b.model("holland-rijnland-2025"),
               b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1")], children=[far]))
    assert p.placed == 0 and p.waitlist[0].reason == "geen groep met 41A03-1 binnen 30 km"


def test_distance_sheet_overrides_estimate():
    """A route-planner distance from the distances sheet replaces the straight-line estimate."""
    far = b.child("C1", "41A03-1", 2, lat=52.45, lon=4.60, age=8)
    p = b.plan(b.model("holland-rijnland-2025"),
               b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1")], children=[far],
                      distances={("C1", "L1"): 24.0}))
    assert p.violations == [] and p.placed == 2
