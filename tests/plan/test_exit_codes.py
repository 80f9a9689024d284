"""Exit codes a script can trust, and lines a terminal can print safely."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.inputs.errors import Problem, printable
from tests.conftest import copy_case
from tests.plan.test_outdir import csv_scenario, planner_cli


def _patched_plan(scenario: Path, out: Path, status: str) -> subprocess.CompletedProcess:
    """`planner plan` with a solver that ends in `status` and places nothing."""
    script = ("import sys\n"
              "import planner.app.plan as p\n"
              "from planner.core.roster import Roster\n"
              "from planner.solver.solve import Result\n"
              "p.solve = lambda problem, report=None, budget=None, **kw: "
              f"Result({status!r}, {status!r}, 0.0, 0.0, 0.0, 0.1, None, Roster((), (), (), ()))\n"
              "from planner.cli import main\n"
              f"sys.argv = ['planner', 'plan', {str(scenario)!r}, '--out', {str(out)!r}]\n"
              "main()\n")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)


@pytest.mark.parametrize("status, code", [("MODEL_INVALID", 3), ("INFEASIBLE", 5), ("UNKNOWN", 5)])
def test_no_roster_never_exits_0(tmp_path, status, code):
    """A solve ending MODEL_INVALID (exit 3), or INFEASIBLE/UNKNOWN with nothing placed (exit 5), is no plan:
    one line on stderr, nothing written, and never exit 0."""
    scenario = csv_scenario(tmp_path / "in")
    result = _patched_plan(scenario, tmp_path / "out", status)
    assert result.returncode == code, result.stderr
    assert status in result.stderr and "niets geschreven" in result.stderr
    assert "geen overtredingen" not in result.stdout
    assert not (tmp_path / "out").exists()


def test_workers_minus_one_is_not_a_plan(tmp_path):
    """fuzz-08 (workers = -1 reached CP-SAT and was reported as a plan): refused as input (2) or as no plan (3)."""
    scenario = csv_scenario(tmp_path / "in")
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("workers = 1", "workers = -1"), encoding="utf-8")
    result = planner_cli("plan", str(scenario), "--out", str(tmp_path / "out"))
    assert result.returncode in (2, 3), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_fuzz18_escape_sequences_are_shown_escaped(tmp_path):
    """fuzz-18: ESC sequences from a cell never reach the terminal raw: the cell is refused by row and column
    ("ongeldig teken (U+001B)", the readers refuse control characters in fields), one line per problem."""
    case = copy_case("fuzz-18-terminal-escape-in-messages", tmp_path)
    result = planner_cli("check", "scenario.toml", cwd=case)
    assert result.returncode == 2, result.stderr
    assert "\x1b" not in result.stderr and "\x1b" not in result.stdout
    assert "children, row 2, column dagdelen_per_week: ongeldig teken (U+001B)" in result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any("children, row 2, column dagdelen_per_week" in line for line in lines)


def test_problem_is_always_one_safe_line():
    """Newlines, CR, OSC and bidi controls from a cell are escaped; accents stay as they are."""
    text = str(Problem("kinderen\x1b]0;x\x07", "waarde 'a\nb\rc\u202ed' is geen getal: é", 3, "naam\t"))
    assert "\n" not in text and "\r" not in text and "\x1b" not in text and "\u202e" not in text
    assert text == ("kinderen\\x1b]0;x\\x07, row 3, column naam\\t: waarde 'a\\nb\\rc\\u202ed' is geen getal: é")
    assert printable("Zoë, café") == "Zoë, café"


@pytest.mark.parametrize("args, line", [
    (["plan", "s.toml", "--seed", "abc"], "ongeldige waarde 'abc' voor --seed: verwacht een geheel getal"),
    (["plan", "s.toml", "--time-limit=snel"], "ongeldige waarde 'snel' voor --time-limit: verwacht een getal"),
    (["compare", "s.toml", "--workers", "2x"], "ongeldige waarde '2x' voor --workers: verwacht een geheel getal"),
    (["plan", "s.toml", "--sed", "1"], "onbekende optie --sed"),
    (["plan"], "scenario ontbreekt"),
    (["plan", "s.toml", "--seed", "abc", "--workers", "2x"],
     "ongeldige waarde 'abc' voor --seed: verwacht een geheel getal; zie planner plan --help\n"
     "Fout in de opdracht: ongeldige waarde '2x' voor --workers: verwacht een geheel getal"),
])
def test_a_bad_command_line_is_one_dutch_line(monkeypatch, capsys, args, line):
    """User test of issue 16 (and leftover of issue 22): `--seed abc` showed typer's English box. Now
    exit 2 and one Dutch line naming the option and the value, then where the help is; every bad option
    of the line (a second user test: `--seed abc --workers 2x` named only --seed)."""
    monkeypatch.setattr(sys, "argv", ["planner", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == f"Fout in de opdracht: {line}; zie planner {args[0]} --help".splitlines()
