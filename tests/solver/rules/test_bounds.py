"""bounds.py and the cuts (registry.CUTS): pools, child totals, hold_placement, and rows that cut off no roster.

The cuts are redundant for CP-SAT's integer model; what they change is the LP (lpbound.py) and
propagation. So a test shows both: the least cost is the same with and without them, and the LP
bound rises where a cut binds.
"""

import pytest

from planner.solver.formulation import bounds, hold_placement
from planner.solver.formulation.registry import (
    CHILD_TOTALS,
    DAY_ROWS,
    GROUP_SIZE,
    OCCUPIED_ROWS,
    PLACEMENT,
    POOL_ROWS,
    RATIOS,
    TRANSPORT,
)
from planner.solver.lpbound import lp_bound
from tests import builders as b
from tests.solver.rules import kit

A1, A2, DB = "41A00-1", "41A00-2", "DB-LICHT"
PLAIN = {"group_min": 1, "group_max": 12, "min_staff": 1, "ratio_scope": "dagdeel", "children_per_staff": 4,
         "extra_hours_per_week": {}, "education": {"min_level": "MBO3"}}
HIRE_HBO = {"vacancy_levels": ("HBO",), "vacancy_penalty": 150.0}  # a vacancy: 16,000 + 15,000 = 31,000 cents
RULES = (PLACEMENT, GROUP_SIZE, RATIOS)


def _problem(n, when="ma-ochtend", **settings):
    kids = [b.child(f"C{i}", A1, 1, when) for i in range(n)]
    return kit.problem(kit.region({A1: PLAIN}), groups=[b.group("G1", A1, capacity=12)], children=kids, **settings)


def test_pools_link_groups_that_share_a_product():
    """G1 (A1) and G2 (A1, A2) share A1: one pool; G3 (DB-LICHT) is a pool of its own."""
    pr = kit.problem(kit.region(), groups=[b.group("G1", A1), b.group("G2", f"{A1},{A2}"), b.group("G3", DB)])
    assert sorted(bounds.pools(pr), key=lambda p: min(p[0])) == [({0, 1}, {A1, A2}), ({2}, {DB})]


def test_child_totals_count_the_placed_dagdelen():
    """T[c] = the child's placed dagdelen: two of its three fixed on, T = 2."""
    kid = [b.child("C1", A1, 3, "ma-ochtend, di-ochtend, wo-ochtend")]
    pr = kit.problem(kit.region({A1: PLAIN}), groups=[b.group("G1", A1)], children=kid)
    f = kit.model_of(pr, PLACEMENT, CHILD_TOTALS)
    kit.fix(f, 1, kit.x(f, "C1", "G1", "ma-ochtend"), kit.x(f, "C1", "G1", "di-ochtend"))
    kit.fix(f, 0, kit.x(f, "C1", "G1", "wo-ochtend"))
    assert kit.least(f, f.totals[0]) == 2 and kit.most(f, f.totals[0]) == 2


def test_hold_placement_binds():
    """Three children, one dagdeel each, room for all: holding 3 placed is feasible, holding 4 is not."""
    held = kit.model_of(_problem(3, **HIRE_HBO), *RULES)
    hold_placement(held, 3, (CHILD_TOTALS,))
    assert kit.feasible(held)
    over = kit.model_of(_problem(3, **HIRE_HBO), *RULES)
    hold_placement(over, 4, (CHILD_TOTALS,))
    assert kit.infeasible(over)


def test_cuts_cut_off_no_roster():
    """Five children at 1:4 on one dagdeel need 2 vacancies, 2 x 31,000 = 62,000 cents, with or without the cuts."""
    for cuts in ((), (CHILD_TOTALS, OCCUPIED_ROWS, POOL_ROWS)):
        f = kit.model_of(_problem(5, **HIRE_HBO), *RULES)
        hold_placement(f, 5, cuts)
        assert kit.least(f, f.cost()) == 62_000, cuts


def test_occupied_rows_lift_the_lp_bound():
    """One child at 1:4: the LP staffs a quarter of a vacancy, 31,000 / 4 = 7,750 cents; with the occupied
    rows (a child there means at least one person) a whole one, 31,000."""
    def lp(cuts):
        f = kit.model_of(_problem(1, **HIRE_HBO), *RULES)
        hold_placement(f, 1, cuts)
        f.model.Minimize(f.cost())
        return lp_bound(f.model.Proto(), 10.0, deterministic=True)

    assert lp(()) == 7_750
    assert lp((OCCUPIED_ROWS,)) == 31_000


def test_day_rows_lift_the_lp_bound():
    """Paid group transport, EUR 18.40 a day: two dagdelen on Monday. The LP may leave the attendance day at
    0 (x implies attend only under an enforcement literal, which the LP leaves out); with the day rows,
    2 x attend >= 2 placed dagdelen: one whole day, 1,840 cents."""
    def lp(cuts):
        kid = [b.child("C1", A1, 2, "ma-ochtend, ma-middag", transport="groep")]
        pr = kit.problem(kit.region({A1: PLAIN}), groups=[b.group("G1", A1)], children=kid)
        f = kit.model_of(pr, PLACEMENT, TRANSPORT)
        hold_placement(f, 2, cuts)
        f.model.Minimize(f.cost())
        return lp_bound(f.model.Proto(), 10.0, deterministic=True)

    assert lp(()) == 0
    assert lp((DAY_ROWS,)) == 1_840


def test_pool_rows_need_the_child_totals():
    """The registry refuses a cut whose variables are not there yet."""
    f = kit.model_of(_problem(1), *RULES)
    with pytest.raises(ValueError, match="child_totals"):
        hold_placement(f, 1, (POOL_ROWS,))


def test_staff_floor_in_closed_form():
    """Five child-dagdelen at 1:4 need 5/4 staff-dagdelen, whole: 2; the cheapest wage is the HBO at EUR 30
    an hour, 120 a dagdeel: 2 x 12,000 = 24,000 cents. Four need 1: 12,000. None: 0."""
    staff = [b.staff("S1", "HBO", 10, hourly_cost=30.0)]
    kids = [b.child(f"C{i}", A1, 1, "ma-ochtend") for i in range(5)]
    pr = kit.problem(kit.region({A1: PLAIN}), groups=[b.group("G1", A1, capacity=12)], children=kids, staff=staff,
                     **HIRE_HBO)
    assert bounds.staff_floor(pr, 5) == 24_000
    assert bounds.staff_floor(pr, 4) == 12_000
    assert bounds.staff_floor(pr, 0) == 0


def test_staff_floor_fills_from_the_cheapest_capacity():
    """Nine child-dagdelen at 1:4 need 3 staff-dagdelen. The EUR 30 colleague has a contract of one
    dagdeel, so the other two are the EUR 40 colleague's: 12,000 + 2 x 16,000 = 44,000 cents (the single
    cheapest wage times 3 would say 36,000)."""
    staff = [b.staff("S1", "HBO", 1, hourly_cost=30.0), b.staff("S2", "HBO", 10, hourly_cost=40.0)]
    kids = [b.child(f"C{i}", A1, 1, "ma-ochtend") for i in range(9)]
    pr = kit.problem(kit.region({A1: PLAIN}), groups=[b.group("G1", A1, capacity=12)], children=kids, staff=staff)
    assert bounds.staff_floor(pr, 9) == 44_000
    assert bounds.staff_floor(pr, 4) == 12_000


def test_transport_floor_counts_the_cheapest_days():
    """One child with own transport (free) and one with group transport for two dagdelen on Monday (one
    day, at most two dagdelen a day): one dagdeel placed costs nothing, three cost at least one day of the
    cheapest trip, and the whole floor adds the staff floor."""
    kids = [b.child("C1", A1, 1, "ma-ochtend"),
            b.child("C2", A1, 2, "ma-ochtend, ma-middag", transport="groep")]
    pr = kit.problem(kit.region({A1: PLAIN}), groups=[b.group("G1", A1, capacity=12)], children=kids,
                     staff=[b.staff("S1", "HBO", 10, hourly_cost=30.0)])
    day = min(trip.cost_per_day for trip in pr.trips[1].values())
    assert day > 0
    assert bounds.transport_floor(pr, 1) == 0
    assert bounds.transport_floor(pr, 3) == day
    assert bounds.transport_floor(pr, 2) == day // 2
    assert bounds.cost_floor(pr, 3) == bounds.staff_floor(pr, 3) + day
