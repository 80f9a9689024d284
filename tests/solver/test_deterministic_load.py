"""Deterministic mode (issue 16 point 1): the same seed and workers give a byte-identical roster.csv on
any load. Load is simulated, not hoped for: a fake clock that runs fast (every reading of the budget's
clock one second later) stands for a busy machine, and subprocesses with other PYTHONHASHSEED values
stand for Dask workers and spawned processes that order sets of strings differently."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from planner.app.plan import make_plan_from
from planner.report.files import write_plan
from planner.solver import budget as budget_module
from tests import builders as b
from tests.solver.test_decompose import cluster_instance

ROOT = Path(__file__).resolve().parents[2]


def _settings(decompose: str):
    return b.settings(decompose=decompose, cluster_size=2, time_limit_s=3, deterministic=True, seed=3)


def _roster(tmp_path: Path, name: str, decompose: str) -> bytes:
    model, data = cluster_instance()
    plan = make_plan_from(model, data, _settings(decompose))
    assert plan.violations == []
    assert plan.result.clusters == (2 if decompose == "ja" else 0) or decompose == "nee"
    write_plan(plan, tmp_path / name)
    return (tmp_path / name / "roster.csv").read_bytes()


@pytest.mark.parametrize("decompose", ["ja", "nee"])
def test_a_slow_clock_does_not_change_the_roster(tmp_path, monkeypatch, decompose):
    """Decomposed (2 clusters) and whole: with a clock on which every reading is a second later than the
    last (a machine so busy that each step takes seconds), the roster is the idle clock's, byte for byte."""
    idle = _roster(tmp_path, "idle", decompose)
    ticks = itertools.count()
    real = time.perf_counter
    slow = types.SimpleNamespace(**{k: getattr(time, k) for k in dir(time) if not k.startswith("_")})
    slow.perf_counter = lambda: real() + float(next(ticks))
    monkeypatch.setattr(budget_module, "time", slow)
    assert _roster(tmp_path, "busy", decompose) == idle


_SCRIPT = """
import sys
from pathlib import Path
from planner.app.plan import make_plan_from
from planner.report.files import write_plan
from tests import builders as b
from tests.solver.test_decompose import cluster_instance
model, data = cluster_instance()
settings = b.settings(decompose=sys.argv[2], cluster_size=2, time_limit_s=3, deterministic=True, seed=3)
write_plan(make_plan_from(model, data, settings), Path(sys.argv[1]))
"""


@pytest.mark.parametrize("decompose", ["ja", "nee"])
def test_hash_seed_does_not_change_the_roster(tmp_path, decompose):
    """Two processes with different PYTHONHASHSEED (set and dict order of strings differ, as on Dask
    workers and spawned processes) write the same roster.csv, decomposed and whole."""
    rosters = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        out = tmp_path / f"hash-{seed}"
        done = subprocess.run([sys.executable, "-c", _SCRIPT, str(out), decompose], capture_output=True,
                              text=True, env=env, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        rosters.append((out / "roster.csv").read_bytes())
    assert rosters[0] == rosters[1]
