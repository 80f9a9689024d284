"""Vacancies left by a solve are filled with own staff who are free, when every rule still holds."""

from __future__ import annotations

from planner.core.costs import week_cost
from planner.core.roster import Roster
from planner.solver.post.repair import fill_vacancies
from planner.solver.problem import build_problem
from planner.solver.solve import Result
from planner.verify.check import check_roster
from tests import builders as b


def _case(staff):
    model = b.model()
    data = b.data(groups=[b.group("G1", "DB-VG-GEDRAG", open="ma-ochtend")], staff_=staff,
                  children=[b.child("C1", "DB-VG-GEDRAG", 1, "ma-ochtend")])
    pr = build_problem(model, data, b.settings())
    roster = Roster((("C1", "G1", "ma-ochtend"),), (), (("vacature-HBO-1", "HBO", "G1", "ma-ochtend"),), ())
    cost = week_cost(model, data, roster).total / 100
    penalty = pr.rules.vacancy_penalty
    result = Result("FEASIBLE", "OPTIMAL", cost + penalty, 0.0, 1.0, 1.0, 0.1, roster,
                    {"vacatures": cost, "vacaturestraf": penalty})
    return model, data, pr, result


def test_a_free_colleague_of_the_level_takes_the_vacancy():
    model, data, pr, result = _case([b.staff("S1", "MBO3"), b.staff("S2", "WO"), b.staff("S3", "HBO")])
    assert check_roster(model, data, result.roster) == []
    filled = fill_vacancies(pr, result)
    assert filled.roster.vacancies == () and filled.filled == 1
    assert filled.roster.staff == (("S3", "G1", "ma-ochtend"),)  # HBO is cheaper than WO; MBO3 is too low
    assert check_roster(model, data, filled.roster) == []
    assert filled.objective < result.objective
    assert round(filled.terms["personeel"] * 100) == week_cost(model, data, filled.roster).staff


def test_nobody_free_keeps_the_vacancy():
    model, data, pr, result = _case([b.staff("S1", "HBO", available="di-ochtend"), b.staff("S2", "MBO4")])
    assert fill_vacancies(pr, result) is result
