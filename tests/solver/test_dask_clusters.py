"""`planner plan --cluster`: a decomposed solve on a Dask cluster gives the local roster; no scheduler, exit 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from benchmarks.generate_b import generate_b
from planner.app.plan import make_plan_from
from planner.report.files import write_plan
from planner.solver import dask_clusters
from tests import builders as b
from tests.conftest import run_cli
from tests.solver.test_decompose import cluster_instance

distributed = pytest.importorskip("distributed")


def _scenario(tmp_path):
    """Family b, S (60 children, 3 locations) as a scenario file, forced to decompose into clusters of one."""
    path = generate_b("S", 1, tmp_path / "b-S-1", time_limit=2)
    text = path.read_text(encoding="utf-8").replace("deterministic = false", "deterministic = true")
    path.write_text(text + 'decompose = "ja"\ncluster_size = 1\n', encoding="utf-8")
    return path


def test_local_cluster_gives_the_local_roster(tmp_path):
    """Same seed, deterministic mode, forced to decompose into 2 clusters: roster.csv of the Dask run is
    byte-identical to the local run's (each cluster small enough to be solved to the end on any load)."""
    model, data = cluster_instance()
    settings = b.settings(decompose="ja", cluster_size=2, time_limit_s=4, deterministic=True, seed=3)
    local = make_plan_from(model, data, settings)
    assert local.result.clusters == 2 and local.violations == []
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        with dask_clusters.using(client), distributed.get_task_stream(client) as tasks:
            remote = make_plan_from(model, data, settings)
    assert len(tasks.data) == 2  # the two clusters ran as tasks on the cluster
    assert remote.violations == [] and remote.result.clusters == 2
    write_plan(local, tmp_path / "lokaal")
    write_plan(remote, tmp_path / "dask")
    assert (tmp_path / "lokaal" / "roster.csv").read_bytes() == (tmp_path / "dask" / "roster.csv").read_bytes()


def test_no_client_outside_using():
    """Outside `using` decomposed solves stay local."""
    assert dask_clusters.current() is None
    with dask_clusters.using("x"):
        assert dask_clusters.current() == "x"
    assert dask_clusters.current() is None


def test_unreachable_scheduler_exits_2_with_one_line(tmp_path):
    """A port nobody listens on: exit 2, one line on stderr naming --cluster, no traceback, no report."""
    scenario = _scenario(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "rapport"
    done = run_cli("plan", str(scenario), "--out", str(out), "--cluster", f"tcp://127.0.0.1:{port}")
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "--cluster" in lines[0] and "Traceback" not in done.stderr
    assert not out.exists()


def test_scheduler_from_the_environment(tmp_path):
    """PLANNER_DASK_SCHEDULER is read like --cluster (here: port 1, where no scheduler listens)."""
    scenario = _scenario(tmp_path)
    env = dict(os.environ, PLANNER_DASK_SCHEDULER="tcp://127.0.0.1:1")
    done = subprocess.run([sys.executable, "-m", "planner.cli", "plan", str(scenario), "--out",
                           str(tmp_path / "r")], capture_output=True, text=True, env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len([x for x in done.stderr.splitlines() if x.strip()]) == 1

