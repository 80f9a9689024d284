"""A worker the test holds: it waits until the file named by PLANNER_TEST_GATE exists, then plans as
the web app's own worker does. Module level, so a spawned worker process can import it by name."""

from __future__ import annotations

import os
import time
from pathlib import Path

from planner.web.jobs import work


def gated_work(job_dir: str) -> None:
    """Wait for the gate (no time limit: the test opens it), then `planner.web.jobs.work(job_dir)`."""

    gate = Path(os.environ["PLANNER_TEST_GATE"])
    while not gate.exists():
        time.sleep(0.05)
    work(job_dir)
