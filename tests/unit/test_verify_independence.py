"""planner/verify/ shares nothing with the solver side but the input readers (issue 18 point 3)."""

from __future__ import annotations

import pytest

from tests.closure import ROOT, import_closure

FORBIDDEN = ("planner.solver", "ortools", "planner.app", "planner.core.costs", "planner.report")
SHARED = ("planner.inputs", "planner.core.roster", "planner.verify")  # what verify may read


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


VERIFY = sorted(f"planner.verify.{p.stem}" for p in (ROOT / "planner" / "verify").glob("*.py")
                if p.stem != "__init__") + ["planner.verify"]


@pytest.mark.parametrize("module", VERIFY)
def test_verify_imports_no_solver_app_costs_or_reports(module):
    """The import closure of every verify/ module (its own function-level imports included) holds no
    solver, ortools, app, core.costs or report module, and no planner module outside inputs/, core/roster
    and verify/."""
    closure = import_closure(module, into_functions="planner.verify")
    assert not sorted(m for m in closure if _under(m, FORBIDDEN)), module
    ours = {m for m in closure if m.startswith("planner.")}
    assert not sorted(m for m in ours if not _under(m, SHARED) and m not in ("planner.core",)), module


def test_the_closure_sees_through_modules_and_functions():
    """The helper is not blind: a web job reaches ortools through the plan command and the solver, and a
    function-level import inside the followed package counts (the web worker imports the plan command
    inside the job; the rest of the package has no hidden imports, tests/unit/test_architecture.py)."""
    job = import_closure("planner.web.jobs", into_functions="planner.web")
    assert "ortools.sat.python.cp_model" in job or "ortools" in {m.split(".")[0] for m in job}
    assert "planner.app.plan" in job  # imported inside jobs._plan
    assert "planner.app.plan" not in import_closure("planner.web.jobs")
