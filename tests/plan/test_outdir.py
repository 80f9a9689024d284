"""Output folders: a user's folder is never emptied, renamed or replaced; names from input never leave reports/."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.inputs.errors import InputError
from planner.report.outdir import folder_name, report_dir
from planner.report.safe import MARKER, UNFINISHED, atomic_dir, atomic_file, clean_stale, report_version
from tests.conftest import CHILDREN, GROUPS, LOCATIONS, STAFF, copy_case


def planner_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env=env)


def _hashes(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones and subfolders too) with its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def csv_scenario(folder: Path, name: str = "csv-plan") -> Path:
    """A small scenario whose data is a CSV folder beside it."""
    data = folder / "data"
    data.mkdir(parents=True)
    for sheet, rows in (("locations", LOCATIONS), ("groups", GROUPS), ("staff", STAFF), ("children", CHILDREN)):
        with (data / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    path = folder / "scenario.toml"
    path.write_text(f'name = "{name}"\nmodel = "holland-rijnland-2025"\ndata = "data"\n'
                    "[solve]\ntime_limit_s = 1\nworkers = 1\n", encoding="utf-8")
    return path


def _one_line_exit_2(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    problems = [line for line in result.stderr.splitlines() if "probleem/problemen" not in line]
    assert len(problems) == 1, result.stderr
    assert "Traceback" not in result.stderr and all(w in problems[0] for w in words), problems[0]


def test_hunt01_plan_into_users_folder_keeps_every_file(tmp_path):
    """hunt-01: `plan --out werkmap` (and `--out .`) puts the report in werkmap/<scenario>/; nothing else moves."""
    case = copy_case("hunt-01-out-folder-wiped", tmp_path)
    werkmap = case / "werkmap"
    before = _hashes(werkmap)
    for _ in range(2):  # the second run replaces the first report, and only that
        result = planner_cli("plan", "werkmap/scenario.toml", "--out", "werkmap", "--time-limit", "2", cwd=case)
        assert result.returncode == 0, result.stderr
    assert "werkmap/hunt-01/" in result.stdout
    assert report_version(werkmap / "hunt-01") is not None
    assert (werkmap / "hunt-01" / "roster.xlsx").is_file()
    after = _hashes(werkmap)
    assert {k: after[k] for k in before} == before
    assert not werkmap.is_symlink()
    # --out . in the user's folder: a subfolder, the folder's own files untouched, no traceback
    result = planner_cli("plan", "scenario.toml", "--out", ".", "--time-limit", "2", cwd=werkmap)
    assert result.returncode == 0, result.stderr
    assert {k: v for k, v in _hashes(werkmap).items() if k in before} == before


def test_plan_compare_forecast_leave_a_users_folder_byte_identical(tmp_path):
    """plan, compare and forecast with --out on a folder of the user's (subfolders, a CSV input folder, hidden
    files) leave every file in it byte-identical."""
    werk = tmp_path / "werk"
    scenario = csv_scenario(werk)
    (werk / "oud" / "diep").mkdir(parents=True)
    (werk / "oud" / "notities.txt").write_text("niet weggooien\n", encoding="utf-8")
    (werk / "oud" / "diep" / "data.bin").write_bytes(bytes(range(256)))
    (werk / ".verborgen").write_text("x", encoding="utf-8")
    (werk / "forecast.xlsx").write_bytes(b"mijn eigen prognose")  # the names we write, held by the user
    (werk / "roster.csv").write_text("mijn rooster\n", encoding="utf-8")
    before = _hashes(werk)
    runs = [("plan", str(scenario), "--out", str(werk), "--time-limit", "1"),
            ("compare", str(scenario), "--out", str(werk), "--time-limit", "1", "--workers", "1"),
            ("forecast", str(scenario), "--out", str(werk), "--tariffs")]
    for args in runs:
        result = planner_cli(*args)
        assert result.returncode == 0, (args[0], result.stderr)
        after = _hashes(werk)
        assert {k: after[k] for k in before} == before, args[0]
    assert {"roster.csv", "forecast.xlsx", "tarieven.xlsx"} <= {p.name for p in (werk / "csv-plan").iterdir()}
    assert (werk / "compare-csv-plan" / "compare.csv").is_file()
    assert (werk / "data" / "children.csv").is_file()


def test_fuzz01_scenario_name_cannot_leave_reports(tmp_path):
    """fuzz-01: name = "../victim" or an absolute path plans into reports/<safe name>/; the victim stays whole."""
    case = copy_case("fuzz-01-scenario-name-path-escape", tmp_path)
    victim = case / "victim"
    (victim / "sub").mkdir(parents=True)
    (victim / "sub" / "keep.txt").write_text("keep\n", encoding="utf-8")
    (victim / ".hidden").write_text("x\n", encoding="utf-8")
    elsewhere = tmp_path / "elders" / "victim"
    shutil.copytree(victim, elsewhere)
    before, before_elsewhere = _hashes(victim), _hashes(elsewhere)
    result = planner_cli("plan", "scenario.toml", "--time-limit", "1", "--workers", "1", cwd=case)
    assert result.returncode == 0, result.stderr
    assert (case / "reports" / "victim" / "roster.csv").is_file()
    text = (case / "scenario.toml").read_text(encoding="utf-8").replace('"../victim"', f'"{elsewhere}"')
    (case / "scenario.toml").write_text(text, encoding="utf-8")
    result = planner_cli("plan", "scenario.toml", "--time-limit", "1", "--workers", "1", cwd=case)
    assert result.returncode == 0, result.stderr
    assert not victim.is_symlink() and not elsewhere.is_symlink()
    assert _hashes(victim) == before and _hashes(elsewhere) == before_elsewhere
    assert sorted(p.name for p in (case / "reports").iterdir() if not p.name.startswith(".")) == [
        folder_name(str(elsewhere)), "victim"]


@pytest.mark.parametrize("name, expected", [("../victim", "victim"), ("/tmp/a/b", "tmp-a-b"), ("..", "rapport"),
                                            ("a\x1b[31mb", "a-[31mb"), ("Najaar 2025/26", "Najaar 2025-26"),
                                            (".planner-report", "planner-report"), ("CON", "CON_")])
def test_folder_name_is_one_safe_name(name, expected):
    """A scenario name becomes one folder name: no separators, no leading dots, no control characters."""
    assert folder_name(name) == expected


def test_fuzz14_out_is_a_file_refused_before_the_solve(tmp_path):
    """fuzz-14: --out data.xlsx (a file) exits 2 with one line before solving; nothing is left beside the input."""
    case = copy_case("fuzz-14-out-is-input-file", tmp_path)
    before = sorted(p.name for p in case.iterdir())
    data = (case / "data.xlsx").read_bytes()
    result = planner_cli("plan", "scenario.toml", "--time-limit", "3", "--out", "data.xlsx", cwd=case)
    _one_line_exit_2(result, "--out", "data.xlsx", "bestand")
    assert "Status" not in result.stdout  # refused before the solve
    assert sorted(p.name for p in case.iterdir()) == before and (case / "data.xlsx").read_bytes() == data
    for command in ("forecast", "compare"):
        _one_line_exit_2(planner_cli(command, "scenario.toml", "--out", "data.xlsx", cwd=case), "--out", "bestand")


def test_foreign_link_and_foreign_subfolder_are_refused(tmp_path):
    """--out a link that is not ours is never followed; a subfolder of the user's with the report's name is
    never replaced: exit 2, one line, files unchanged."""
    scenario = csv_scenario(tmp_path / "in")
    mine = tmp_path / "mijn"
    (mine / "sub").mkdir(parents=True)
    (mine / "sub" / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "koppeling").symlink_to(mine)
    before = _hashes(mine)
    _one_line_exit_2(planner_cli("plan", str(scenario), "--out", str(tmp_path / "koppeling")), "--out", "koppeling")
    (tmp_path / "werk" / "csv-plan").mkdir(parents=True)  # the user's folder that happens to have our name
    (tmp_path / "werk" / "csv-plan" / "b.txt").write_text("b", encoding="utf-8")
    _one_line_exit_2(planner_cli("plan", str(scenario), "--out", str(tmp_path / "werk")), "csv-plan", "geen rapport")
    assert _hashes(mine) == before and (tmp_path / "werk" / "csv-plan" / "b.txt").read_text() == "b"
    assert (tmp_path / "koppeling").is_symlink()


def test_inputs_inside_the_report_are_refused(tmp_path):
    """A workbook, CSV folder or scenario inside the report folder that would be replaced: exit 2, one line;
    a roster of that report read with --previous is allowed (the new report keeps it)."""
    scenario = csv_scenario(tmp_path / "in")
    out = tmp_path / "out"
    assert planner_cli("plan", str(scenario), "--out", str(out), "--time-limit", "1").returncode == 0
    shutil.copytree(tmp_path / "in", out / "invoer")
    _one_line_exit_2(planner_cli("plan", str(out / "invoer" / "scenario.toml"), "--out", str(out)), "invoer", "--out")
    assert (out / "invoer" / "data" / "children.csv").is_file()
    result = planner_cli("plan", str(scenario), "--out", str(out), "--time-limit", "1",
                         "--previous", str(out / "roster.csv"))
    assert result.returncode == 0, result.stderr
    assert (out / "roster.previous.csv").is_file() and (out / "invoer" / "data" / "children.csv").is_file()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temp_folders_of_ours_are_cleaned_and_nothing_else(tmp_path):
    """Unfinished temp folders of ended runs (our name, unfinished marker or empty, dead pid, no link) are removed
    on the next run; a live report, a finished one whose link moved, a look-alike with a user's file stay."""
    dead = _dead_pid()
    stale = tmp_path / f".r.planner-{dead}-ab12"
    stale.mkdir()
    (stale / MARKER).write_text("x", encoding="utf-8")
    (stale / UNFINISHED).touch()
    (stale / "roster.xlsx").write_bytes(b"half")
    finished = tmp_path / f".q.planner-{dead}-9a9a"  # a whole report whose link was moved away: kept
    finished.mkdir()
    (finished / MARKER).write_text("x", encoding="utf-8")
    (finished / "roster.xlsx").write_bytes(b"heel")
    empty = tmp_path / f".r.planner-{dead}-cd34"
    empty.mkdir()
    lookalike = tmp_path / f".r.planner-{dead}-ef56"
    lookalike.mkdir()
    (lookalike / "mijn.txt").write_text("van mij", encoding="utf-8")
    (tmp_path / f".r.planner-link-{dead}-0a0a").symlink_to("nergens")
    (tmp_path / "gewoon").mkdir()
    with atomic_dir(tmp_path / "r") as folder:
        (folder / "a.csv").write_text("1\n", encoding="utf-8")
    live = report_version(tmp_path / "r")
    assert live is not None and (live / MARKER).is_file() and (tmp_path / "r" / "a.csv").read_text() == "1\n"
    assert not stale.exists() and not empty.exists() and not (tmp_path / f".r.planner-link-{dead}-0a0a").is_symlink()
    assert (lookalike / "mijn.txt").read_text() == "van mij" and (tmp_path / "gewoon").is_dir()
    assert (finished / "roster.xlsx").read_bytes() == b"heel" and not (live / UNFINISHED).exists()
    assert clean_stale(tmp_path) == []  # the live report's folder is linked: kept


def test_swap_carries_over_what_the_run_does_not_write(tmp_path):
    """A second write replaces the report whole, keeps files (and a subfolder) the user put in it, and removes
    the previous version folder."""
    target = tmp_path / "r"
    with atomic_dir(target) as folder:
        (folder / "roster.csv").write_text("oud\n", encoding="utf-8")
        (folder / "forecast.xlsx").write_bytes(b"prognose")
    first = report_version(target)
    (target / "notities").mkdir()
    (target / "notities" / "n.txt").write_text("n", encoding="utf-8")
    with atomic_dir(target) as folder:
        (folder / "roster.csv").write_text("nieuw\n", encoding="utf-8")
    assert (target / "roster.csv").read_text() == "nieuw\n" and (target / "forecast.xlsx").read_bytes() == b"prognose"
    assert (target / "notities" / "n.txt").read_text() == "n"
    assert first is not None and not first.exists()


def test_atomic_dir_refuses_a_real_folder(tmp_path):
    """atomic_dir itself never swaps a folder that is not a report link of ours (second line of defence)."""
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "x").write_text("x", encoding="utf-8")
    with pytest.raises(InputError), atomic_dir(tmp_path / "r"):
        pass
    assert (tmp_path / "r" / "x").read_text() == "x"
    assert [p.name for p in tmp_path.iterdir()] == ["r"]
    with pytest.raises(InputError):
        report_dir(tmp_path / "r" / "x", "s")


def test_report_of_an_older_planner_is_recognised(tmp_path):
    """A report written before the marker (link to .NAME.<8 chars> with only report files) is swapped as ours;
    the same link shape over a folder holding anything else is not."""
    old = tmp_path / ".r.ab12cd34"
    old.mkdir()
    (old / "roster.csv").write_text("oud\n", encoding="utf-8")
    (old / "summary.json").write_text("{}", encoding="utf-8")
    (tmp_path / "r").symlink_to(old.name)
    assert report_version(tmp_path / "r") == old
    with atomic_dir(tmp_path / "r") as folder:
        (folder / "roster.csv").write_text("nieuw\n", encoding="utf-8")
    assert (tmp_path / "r" / "roster.csv").read_text() == "nieuw\n" and not old.exists()
    other = tmp_path / ".s.ab12cd34"
    other.mkdir()
    (other / "roster.csv").write_text("x", encoding="utf-8")
    (other / "scriptie.docx").write_bytes(b"van mij")
    (tmp_path / "s").symlink_to(other.name)
    assert report_version(tmp_path / "s") is None
    with pytest.raises(InputError), atomic_dir(tmp_path / "s"):
        pass
    assert (other / "scriptie.docx").read_bytes() == b"van mij"


def test_atomic_file_cleans_its_own_stale_temp_files(tmp_path):
    """A temporary file of the same target left by an ended process is removed; others' files stay."""
    dead = _dead_pid()
    stale = tmp_path / f".job.json.planner-{dead}-x1y2z3"
    stale.write_text("{", encoding="utf-8")
    other = tmp_path / f".andere.json.planner-{dead}-x1y2z3"
    other.write_text("{", encoding="utf-8")
    atomic_file(tmp_path / "job.json", lambda p: p.write_text("{}", encoding="utf-8"))
    assert (tmp_path / "job.json").read_text() == "{}" and not stale.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "job.json"]
