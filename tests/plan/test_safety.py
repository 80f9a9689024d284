"""Safe files: no formula injection, whole-or-nothing reports, interrupts, pseudonyms, repeatable CSVs."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.conftest import EXAMPLE

EVIL = '=HYPERLINK("http://x","klik")'


def _instance(tmp_path: Path, child_name: str = "Kim", child_id: str = "C1", others: int = 6) -> Path:
    sheets = {
        "locations": [["location_id", "provider", "name", "lat", "lon"], ["L1", "T", EVIL, 52.16, 4.49]],
        "groups": [["group_id", "location_id", "products", "capacity"], ["G1", "L1", "41A03-1", 4]],
        "staff": [["staff_id", "name", "education", "dagdelen_per_week"], ["S1", EVIL, "HBO", 8]],
        "children": [["child_id", "name", "municipality", "lat", "lon", "product", "dagdelen_per_week", "age",
                      "transport"]]
        + [[child_id, child_name, EVIL, 52.161, 4.491, "41A03-1", 2, 9, "groep"]]
        + [[f"K{i}", f"Kind {i}", "Leiden", 52.162, 4.49, "41A03-1", 3, 9, "eigen"] for i in range(others)],
    }
    data = tmp_path / "data"  # CSV: a cell starting with = is text there, as a user would type it
    data.mkdir(exist_ok=True)
    for name, rows in sheets.items():
        with (data / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "veilig"\nmodel = "holland-rijnland-2025"\ndata = "data"\n'
                        "[solve]\ntime_limit_s = 2\ndeterministic = true\n", encoding="utf-8")
    return scenario


def _plan(scenario: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", "plan", str(scenario), "--out", str(out), *extra],
                          capture_output=True, text=True)


def test_formula_names_stay_text_everywhere(tmp_path):
    """A child named =HYPERLINK(...) (and a staff name, a location name) is plain text in every output."""
    result = _plan(_instance(tmp_path, child_name=EVIL, child_id=EVIL), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    wb = openpyxl.load_workbook(out / "roster.xlsx")
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    seen += 1
                    assert cell.data_type == "s" and not cell.value.startswith("="), (ws.title, cell.value)
    assert seen >= 3  # the child, the staff member, the location
    for name in ("roster.csv", "transport.csv", "waitlist.csv"):
        with (out / name).open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                assert not any(v.startswith(("=", "+", "-", "@")) for v in row), (name, row)
    # summary.json is data, not a sheet: it parses, and any string in it that carries the formula-like name
    # carries it verbatim (nothing half-quoted or cut)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"] == "veilig" and summary["checker_violations"] == []
    assert all(text == EVIL for text in _strings(summary) if "HYPERLINK" in text)


def _strings(value: object) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_second_run_replaces_atomically_and_kill_keeps_previous(tmp_path):
    """A run killed while writing leaves the previous report whole; a finished run replaces it whole."""
    scenario = _instance(tmp_path)
    out = tmp_path / "out"
    assert _plan(scenario, out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    killer = ("import os, signal, sys\n"
              "import planner.report.excel as x\n"
              "real = x.write_roster_xlsx\n"
              "def dying(plan, path):\n"
              "    path.write_bytes(b'half a workbook')\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n"
              "x.write_roster_xlsx = dying\n"
              "from planner.cli import main\n"
              f"sys.argv = ['planner', 'plan', {str(scenario)!r}, '--out', {str(out)!r}]\n"
              "main()\n")
    killed = subprocess.run([sys.executable, "-c", killer], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert len(list(tmp_path.glob(".out.planner-*"))) == 2  # the live version and the killed run's leftover
    assert _plan(scenario, out, "--seed", "3").returncode == 0
    assert json.loads((out / "summary.json").read_text())["seed"] == 3
    assert [p.name for p in tmp_path.glob(".out.planner-*")] == [os.readlink(out)]  # leftover cleaned
    assert openpyxl.load_workbook(out / "roster.xlsx")  # whole


def test_same_seed_byte_identical_csv(tmp_path):
    """Same scenario, seed and workers: roster.csv, transport.csv and waitlist.csv are byte-identical."""
    scenario = _instance(tmp_path)
    assert _plan(scenario, tmp_path / "a").returncode == 0
    assert _plan(scenario, tmp_path / "b").returncode == 0
    for name in ("roster.csv", "transport.csv", "waitlist.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_pseudonymise_hides_names_and_ids(tmp_path):
    """--pseudonymise replaces child names and ids in every file with stable salted pseudonyms."""
    scenario = _instance(tmp_path, child_name="Geheime Naam", child_id="GEHEIM-1")
    env = dict(os.environ, PLANNER_SALT="test-zout")
    runs = []
    for out in ("p1", "p2"):
        result = subprocess.run([sys.executable, "-m", "planner.cli", "plan", str(scenario), "--out",
                                 str(tmp_path / out), "--pseudonymise"], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        runs.append(tmp_path / out)
    for folder in runs:
        for path in folder.iterdir():
            if path.name == ".planner-report":
                continue
            if path.suffix == ".xlsx":
                wb = openpyxl.load_workbook(path)
                text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row)
            else:
                text = path.read_text(encoding="utf-8")
            assert "Geheime" not in text and "GEHEIM-1" not in text, path.name
    assert (runs[0] / "roster.csv").read_bytes() == (runs[1] / "roster.csv").read_bytes()
    assert "J-" in (runs[0] / "roster.csv").read_text()


FIRST_ROSTER = "EERSTE-ROOSTER"
# `planner plan` as the CLI runs it, with one addition: the first progress report of the solve (every phase
# reports only when it holds a roster) prints FIRST_ROSTER on stdout, so the test knows a roster exists.
_TELL_FIRST_ROSTER = f"""
import sys
import planner.cli as cli

real = cli.make_plan  # the name the command calls (imported at the top of cli.py)
def make_plan(scenario, report=None, *args, **kwargs):
    told = []
    def tell(progress):
        if report is not None:
            report(progress)
        if not told:
            told.append(progress)
            print("{FIRST_ROSTER}", flush=True)
    return real(scenario, tell, *args, **kwargs)
cli.make_plan = make_plan
cli.app(sys.argv[1:], prog_name="planner")
"""


def test_ctrl_c_writes_best_roster_marked_interrupted(tmp_path):
    """Ctrl-C during a long solve ends the search, writes the best roster so far marked as such, exits 4."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _TELL_FIRST_ROSTER, "plan", str(EXAMPLE), "--out", str(out),
                             "--time-limit", "120"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:  # wait for the event, not for a clock: the solve has reported a roster
        if line.strip() == FIRST_ROSTER:
            break
    else:
        raise AssertionError(f"no roster was reported: {proc.communicate()[1]}")
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 4, stderr  # documented: interrupted, best roster written
    assert "Onderbroken" in stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True and summary["checker_violations"] == []
    assert summary["dagdelen_placed"] > 0


def test_overfull_input_still_gives_a_roster_with_reasons(tmp_path):
    """More children than seats (49 dagdelen for 40 seats): the roster is written, the rest waits with reasons."""
    scenario = _instance(tmp_path, others=16)
    out = tmp_path / "out"
    assert _plan(scenario, out).returncode == 0
    with (out / "waitlist.csv").open(encoding="utf-8") as fh:
        waiting = list(csv.DictReader(fh))
    assert waiting and all(w["reason"] for w in waiting)
