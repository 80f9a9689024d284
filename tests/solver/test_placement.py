"""Children: indication, availability, per-day maximum, fixed location, not_with."""

from tests import builders as b


def test_not_with_children_are_kept_apart():
    """Two children who may not meet sit in different groups on the same dagdeel."""
    kids = [b.child("A", "DB-VG-GEDRAG", 1, "ma-ochtend", not_with=("B",)),
            b.child("B", "DB-VG-GEDRAG", 1, "ma-ochtend")]
    groups = [b.group("G1", "DB-VG-GEDRAG", open="ma-ochtend"), b.group("G2", "DB-VG-GEDRAG", open="ma-ochtend")]
    p = b.plan(b.model(), b.data(groups=groups, staff_=[b.staff("S1", "MBO4"), b.staff("S2", "MBO4")], children=kids))
    assert p.violations == [] and p.placed == 2
    assert len({g for _, g, _ in p.result.roster.children}) == 2


def test_naschools_only_afternoons_one_per_day():
    """003 VG naschools runs in the middag only, one dagdeel a day: 3 dagdelen on 3 days."""
    p = b.plan(b.model(), b.data(groups=[b.group("G1", "DB-VG-NASCHOOLS")], staff_=[b.staff("S1", "MBO4")],
                                 children=[b.child("C1", "DB-VG-NASCHOOLS", 3, age=9)]))
    assert p.violations == [] and p.placed == 3
    assert all(d.endswith("middag") for _, _, d in p.result.roster.children)
    assert len({d.split("-")[0] for _, _, d in p.result.roster.children}) == 3


def test_availability_limits_and_is_explained():
    """A child available on one dagdeel only gets that one; the waiting list explains the rest."""
    p = b.plan(b.model(), b.data(groups=[b.group("G1", "DB-VG-GEDRAG")], staff_=[b.staff("S1", "MBO4")],
                                 children=[b.child("C1", "DB-VG-GEDRAG", 3, "di-middag")]))
    assert p.violations == [] and p.placed == 1
    assert p.waitlist[0].reason.startswith("beschikbaarheid en openingstijden laten 1 dagdelen toe")


def test_fixed_location_is_kept():
    """A child with a fixed location is only placed there, even when another site is closer."""
    locs = [b.loc("NEAR"), b.loc("FAR", lat=52.20, lon=4.49)]
    groups = [b.group("G1", "DB-VG-GEDRAG", location="NEAR"), b.group("G2", "DB-VG-GEDRAG", location="FAR")]
    p = b.plan(b.model(), b.data(locations=locs, groups=groups, staff_=[b.staff("S1", "MBO4")],
                                 children=[b.child("C1", "DB-VG-GEDRAG", 2, location="FAR", transport="groep")]))
    assert p.violations == [] and {g for _, g, _ in p.result.roster.children} == {"G2"}


def test_staff_contract_and_availability():
    """Staff work at most their contract and only when available; the rest is a vacancy."""
    kids = [b.child(f"C{i}", "DB-VG-GEDRAG", 4) for i in range(2)]
    p = b.plan(b.model(), b.data(groups=[b.group("G1", "DB-VG-GEDRAG")],
                                 staff_=[b.staff("S1", "MBO4", dagdelen=2, available="ma, di")], children=kids))
    assert p.violations == [] and p.placed == 8
    worked = [d for s, _, d in p.result.roster.staff if s == "S1"]
    assert len(worked) == 2 and all(d[:2] in ("ma", "di") for d in worked)
    assert len(p.result.roster.vacancies) >= 2
