"""stability.add on top of placement (and named staff): pins hold, each lost previous dagdeel costs its weight.

The previous roster is given in today's indices (replan.PreviousIndex), as replan.index_previous
makes it, so only the rule is under test.
"""

from planner.solver.formulation.registry import PLACEMENT, STABILITY, STAFF
from planner.solver.replan import PreviousIndex
from tests import builders as b
from tests.solver.rules import kit

A1 = "41A00-1"
MA, DI = "ma-ochtend", "di-ochtend"


def _problem(weights=None, staff=()):
    return kit.problem(kit.region(), groups=[b.group("G1", A1), b.group("G2", A1)],
                     children=[b.child("C1", A1, 2, f"{MA}, {DI}")], staff=staff,
                     weights=weights or {"child_change": 1000.0, "staff_change": 350.0})


def _previous(pr, x_on=(), a_on=(), x_pinned=(), a_pinned=()):
    """The replanning input in `pr`'s indices, passed beside the problem (kit.model_of(..., previous=))."""
    def keys(rows):  # (person 0, group, dagdeel): the one child or the one staff member
        return frozenset((0, pr.ids.group[group], pr.ids.dagdeel[d]) for group, d in rows)
    return PreviousIndex(keys(x_on), keys(a_on), keys(x_pinned), keys(a_pinned), ())


def test_no_previous_roster_adds_nothing():
    """Without a previous roster the rule adds no row and no term: the model is placement's alone."""
    f = kit.model_of(_problem(), PLACEMENT, STABILITY)
    assert f.cost_terms == []
    assert str(f.model.Proto()) == str(kit.model_of(_problem(), PLACEMENT).model.Proto())


def test_child_change_costs_per_lost_dagdeel():
    """Last week C1 was in G1 on ma- and di-ochtend; child_change EUR 1,000 = 100,000 cents per dagdeel
    not repeated: both kept 0, one moved to G2 100,000, both dropped 200,000."""
    pr = _problem()
    prev = _previous(pr, x_on=[("G1", MA), ("G1", DI)])
    kept = kit.model_of(pr, PLACEMENT, STABILITY, previous=prev)
    kit.fix(kept, 1, kit.x(kept, "C1", "G1", MA), kit.x(kept, "C1", "G1", DI))
    assert kit.least(kept, kept.cost()) == 0
    moved = kit.model_of(pr, PLACEMENT, STABILITY, previous=prev)
    kit.fix(moved, 1, kit.x(moved, "C1", "G1", MA), kit.x(moved, "C1", "G2", DI))
    assert kit.least(moved, moved.cost()) == 100_000
    dropped = kit.model_of(pr, PLACEMENT, STABILITY, previous=prev)
    kit.fix(dropped, 0, *dropped.x.values())
    assert kit.least(dropped, dropped.cost()) == 200_000


def test_new_dagdelen_are_not_a_change():
    """Last week only ma-ochtend; a di-ochtend added this week costs nothing."""
    pr = _problem()
    f = kit.model_of(pr, PLACEMENT, STABILITY, previous=_previous(pr, x_on=[("G1", MA)]))
    kit.fix(f, 1, kit.x(f, "C1", "G1", MA), kit.x(f, "C1", "G2", DI))
    assert kit.least(f, f.cost()) == 0


def test_pinned_child_stays():
    """A pinned previous dagdeel must be repeated: leaving it out is infeasible."""
    pr = _problem()
    f = kit.model_of(pr, PLACEMENT, STABILITY, previous=_previous(pr, x_on=[("G1", MA)], x_pinned=[("G1", MA)]))
    kit.fix(f, 0, kit.x(f, "C1", "G1", MA))
    assert kit.infeasible(f)


def test_staff_change_and_pin():
    """staff_change EUR 350 = 35,000 cents for S1's lost G1 ma-ochtend; pinned, it cannot be lost."""
    person = [b.staff("S1", "HBO", 5)]
    pr = _problem(staff=person)
    f = kit.model_of(pr, PLACEMENT, STAFF, STABILITY, previous=_previous(pr, a_on=[("G1", MA)]))
    kit.fix(f, 0, *f.a.values())
    assert kit.least(f, f.cost()) == 35_000
    g = kit.model_of(pr, PLACEMENT, STAFF, STABILITY,
                     previous=_previous(pr, a_on=[("G1", MA)], a_pinned=[("G1", MA)]))
    kit.fix(g, 0, kit.a(g, "S1", "G1", MA))
    assert kit.infeasible(g)


def test_weight_zero_pins_still_hold():
    """child_change 0: no cost term, the pin holds all the same."""
    pr = _problem({"child_change": 0.0, "staff_change": 0.0})
    f = kit.model_of(pr, PLACEMENT, STABILITY, previous=_previous(pr, x_on=[("G1", MA)], x_pinned=[("G1", MA)]))
    assert f.cost_terms == []
    kit.fix(f, 0, kit.x(f, "C1", "G1", MA))
    assert kit.infeasible(f)
