"""One gap formula (planner/core/gap.py) for the solver, the reports, the web app and the comparison."""

import pytest

from planner.core.gap import relative_gap


def test_gap_by_hand():
    """Cost 1,000 with a bound of 950: 50 / 1,000 = 5 %; placement 40 dagdelen against a bound of 44: 10 %."""
    assert relative_gap(1000.0, 950.0) == pytest.approx(0.05)
    assert relative_gap(40, 44) == pytest.approx(0.10)


def test_nothing_to_improve_on_a_zero_objective():
    """An objective of 0 has a gap of 0, whatever the bound (no division by zero)."""
    assert relative_gap(0.0, 0.0) == 0.0 and relative_gap(0, -3) == 0.0
