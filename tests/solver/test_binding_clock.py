"""The waiting list's diagnosis keeps to its time (binding.Clock): no solve gets more than is left, a
deterministic plan's diagnosis never looks at the wall clock, and a question that got no answer in time
never becomes a reason (user test of issue 16: a 0.5 s budget ran to 5.8 s, and two repeatable runs gave
different waiting lists)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver import binding
from planner.solver.binding import Clock, Diagnosis
from tests import builders as b


def _tiny() -> cp_model.CpModel:
    m = cp_model.CpModel()
    x = m.NewIntVar(0, 10, "x")
    m.Add(x >= 3)
    m.Minimize(x)
    return m


def test_no_solve_gets_more_than_is_left(monkeypatch):
    wall = Clock(0.3)
    solver = cp_model.CpSolver()
    assert wall.solve(solver, _tiny()) == cp_model.OPTIMAL
    assert 0 < solver.parameters.max_time_in_seconds <= 0.3
    steady = Clock(0.5, deterministic=True)
    solver = cp_model.CpSolver()
    steady.solve(solver, _tiny())
    assert solver.parameters.max_deterministic_time <= 0.5
    assert steady.left() == 0.5 - solver.deterministic_time
    # a minute of wall time later: the wall clock is out and solves nothing, the deterministic one is not
    now = binding.time.monotonic()
    monkeypatch.setattr(binding.time, "monotonic", lambda: now + 60.0)
    assert wall.out() and wall.solve(cp_model.CpSolver(), _tiny()) == cp_model.UNKNOWN
    assert not steady.out()


class _Answers(Clock):
    """A deterministic clock that answers the first `n` questions and then has no time left."""

    def __init__(self, n: int):
        super().__init__(30.0, deterministic=True)
        self.n = n

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> int:
        self.n -= 1
        if self.n < 0:
            self.ticks = 0.0
            return cp_model.UNKNOWN
        return super().solve(solver, model)


def test_a_question_without_an_answer_is_no_reason():
    """C2 waits for staff (one colleague, one dagdeel). With every question answered the reason is the
    staff; when time runs out after the first question (the child does not fit as the rules stand), the
    reason is not determined (None, "onbepaald"), never "overig"."""
    kids = [b.child("C1", "41A03-1", 1, age=9, available="ma-ochtend"),
            b.child("C2", "41A03-1", 1, age=9, available="di-ochtend")]
    p = b.plan(b.model("holland-rijnland-2025"),
               b.data(groups=[b.group("G1", "41A03-1")], staff_=[b.staff("S1", "MBO4", dagdelen=1)],
                      children=kids), vacancies=False, time_limit_s=2)
    waiting = next(c for c, ch in enumerate(p.problem.children) if ch.id == "C2")
    full = Diagnosis(p.problem, p.result.roster, 30.0, 0, deterministic=True)
    assert full.reason(waiting)[0] == "personeel"
    assert full.reasons(waiting, 1)[0][0] == "personeel"
    for asked in (1, 2, 3):
        cut = Diagnosis(p.problem, p.result.roster, 30.0, 0, deterministic=True)
        cut.clock = _Answers(asked)
        assert cut.reason(waiting) in (None, ("personeel", full.reason(waiting)[1]))
        cut = Diagnosis(p.problem, p.result.roster, 30.0, 0, deterministic=True)
        cut.clock = _Answers(asked)
        found = cut.reasons(waiting, 1)
        assert found is None or found[0][0] in ("personeel", "onbepaald")
