"""The solve's docstrings state the time shares budget.SHARES holds (they went stale once: issue 18 point 7)."""

import re

import pytest

from planner.solver import budget, solve

SHARE = re.compile(r"`(\w+)`: (?:for at most|until|at least) (\d+) %")


@pytest.mark.parametrize("doc", [solve.solve.__doc__, budget.__doc__], ids=["solve.solve", "budget"])
def test_docstring_shares_match_the_table(doc):
    """Every "`name`: until/for at most/at least N %" in the docstring is SHARES[name] x 100."""
    stated = SHARE.findall(doc or "")
    assert len(stated) >= 5
    assert {name: int(n) for name, n in stated} == {name: round(budget.SHARES[name] * 100) for name, _ in stated}
