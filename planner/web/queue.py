"""Bounded work for the web app: a queue of solves with a fixed number of worker processes, and
workbook validation in a separate process with its own time and memory limit.

Solves: at most `max_jobs` run at once (default: half the machine's cores, at least 1); up to
`queue_size` more wait in order; beyond that `submit` raises QueueFull (the app answers 429 with
Retry-After). Validation: one spawned process per upload (at most `max_jobs` at once), its address
space capped with RLIMIT_AS and its CPU time with RLIMIT_CPU, killed when it overruns the wall-clock
limit; whatever goes wrong ends as one problem line, never as an exception in the server.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from planner.web.capacity_job import work_capacity
from planner.web.jobs import JobStore, private, problem_rows, read_json, work, write_json

SPAWN = multiprocessing.get_context("spawn")  # the server's threads and sockets stay out of the workers


def default_max_jobs() -> int:
    """Half the cores this process may use (CP-SAT itself runs several threads), at least one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2)
    return max(1, cores // 2)


class QueueFull(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"wachtrij vol; probeer het over {retry_after} s opnieuw")
        self.retry_after = retry_after


class JobQueue:
    """Solves in worker processes, `max_jobs` at a time, `queue_size` waiting. Thread-safe."""

    def __init__(self, store: JobStore, max_jobs: int, queue_size: int):
        if max_jobs < 1 or queue_size < 0:
            raise ValueError("max_jobs >= 1 en queue_size >= 0")
        self.store, self.max_jobs, self.queue_size = store, max_jobs, queue_size
        self.waiting: deque[str] = deque()
        self.running: dict[str, multiprocessing.process.BaseProcess] = {}
        self.lock = threading.RLock()
        self.grace = 300.0  # a worker still running 2 x its time limit + this many seconds is stopped


    def submit(self, job_id: str) -> None:
        """Queue a valid job; raises ValueError when it is not valid, QueueFull when no place is left."""
        with self.lock:
            self.pump()
            meta = self.store.meta(job_id)
            if meta.get("state") != "valid":
                raise ValueError(f"opdracht is niet klaar om te plannen ({meta.get('state')})")
            if len(self.running) >= self.max_jobs and len(self.waiting) >= self.queue_size:
                raise QueueFull(self.retry_after())
            self.store.update(job_id, state="queued", queued=time.time())
            self.waiting.append(job_id)
            self.pump()

    def pump(self) -> None:
        """Forget finished workers, stop overdue ones, and start waiting jobs while slots are free."""
        with self.lock:
            for job_id, process in list(self.running.items()):
                if process.is_alive() and self._overdue(job_id):
                    process.kill()
                    process.join(10)
                    write_json(self.store.root / job_id / "result.json",
                               {"state": "failed", "error": "gestopt: het rekenproces liep ver over zijn rekentijd"})
                if not process.is_alive():
                    process.join(0)
                    del self.running[job_id]
            while self.waiting and len(self.running) < self.max_jobs:
                job_id = self.waiting.popleft()
                if self.store.folder(job_id) is None:
                    continue
                meta = self.store.update(job_id, state="running", started=time.time())
                target = work_capacity if meta.get("kind") == "capacity" else work
                process = SPAWN.Process(target=target, args=(str(self.store.root / job_id),), daemon=True)
                process.start()
                self.running[job_id] = process

    def _overdue(self, job_id: str) -> bool:
        meta = self.store.meta(job_id)
        limit = meta.get("time_limit") or 3600
        return time.time() - meta.get("started", time.time()) > 2 * limit + self.grace

    def position(self, job_id: str) -> int | None:
        """1 for the next job to start; None when the job is not waiting."""
        with self.lock:
            try:
                return self.waiting.index(job_id) + 1
            except ValueError:
                return None

    def alive(self, job_id: str) -> bool:
        with self.lock:
            process = self.running.get(job_id)
            return process is not None and process.is_alive()

    def retry_after(self) -> int:
        """Seconds until a place is likely free: the shortest time a running job still has, at least 1."""
        left = []
        for job_id in self.running:
            meta = self.store.meta(job_id)
            limit = meta.get("time_limit") or 60
            left.append(limit - (time.time() - meta.get("started", time.time())))
        return max(1, int(min(left, default=5)) + 1)

    def cancel(self, job_id: str) -> bool:
        """A waiting job ends `cancelled` at once; a running one gets Ctrl-C (CP-SAT stops, the best
        roster so far is written, marked). The request is recorded first, so a worker that has not
        started solving yet stops before it begins."""
        with self.lock:
            if job_id in self.waiting:
                self.waiting.remove(job_id)
                self.store.update(job_id, cancel_requested=True)
                write_json(self.store.root / job_id / "result.json",
                           {"state": "cancelled", "error": "geannuleerd voor het plannen begon"})
                return True
            process = self.running.get(job_id)
            if process is None or not process.is_alive() or process.pid is None:
                return False
            self.store.update(job_id, cancel_requested=True)
            os.kill(process.pid, signal.SIGINT)
            return True

    def stop(self, job_id: str) -> None:
        """Take the job out of the queue and kill its worker (before its folder is deleted)."""
        with self.lock:
            if job_id in self.waiting:
                self.waiting.remove(job_id)
            process = self.running.pop(job_id, None)
        if process is not None and process.is_alive():
            process.kill()
            process.join(10)

    def shutdown(self) -> None:
        for job_id in list(self.running):
            self.stop(job_id)


def validate_job(job_dir: str, memory_mb: int, cpu_s: int) -> None:
    """The validation process: limits first, then read model and workbook as `planner plan` would;
    the problems (or the input's size) go to job.json. Never raises."""
    import resource  # noqa: PLC0415 (the validation process imports after its limits are set; resource is POSIX-only)

    os.umask(0o077)
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 2))
    path = Path(job_dir)
    meta = read_json(path / "job.json")
    try:
        from planner.inputs.errors import InputError  # noqa: PLC0415 (the validation process imports after its limits are set; resource is POSIX-only)
        from planner.web.jobs import job_data  # noqa: PLC0415 (the validation process imports after its limits are set; resource is POSIX-only)

        _, model, data, period = job_data(path, meta)  # a dated week: its leave and closing days too
    except InputError as exc:
        meta.update(state="invalid", problems=problem_rows(exc.problems))
    except MemoryError:
        meta.update(state="invalid", problems=[_one(meta, f"werkmap vraagt meer dan {memory_mb} MB om te lezen")])
    except Exception as exc:  # a damaged workbook: one line, the reason's kind, no traceback
        meta.update(state="invalid", problems=[_one(meta, f"kan werkmap niet lezen ({type(exc).__name__})")])
    else:
        meta.update(state="valid", problems=[], region=f"{model.region} {model.year}", period=period.title(),
                    counts={"locaties": len(data.locations), "groepen": len(data.groups),
                            "medewerkers": len(data.staff), "jeugdigen": len(data.children),
                            "dagdelen gevraagd": sum(c.dagdelen_per_week for c in data.children)})
    write_json(path / "job.json", meta)


def _one(meta: dict[str, Any], message: str) -> dict[str, Any]:
    return {"sheet": meta.get("input") or meta.get("name", "werkmap"), "row": None, "column": None,
            "message": message}


class Validator:
    """Runs validate_job in a spawned process per upload, off the event loop, bounded in number."""

    def __init__(self, store: JobStore, concurrent: int, seconds: float, memory_mb: int):
        self.store, self.seconds, self.memory_mb = store, seconds, memory_mb
        self.concurrent = concurrent
        self._gate: asyncio.Semaphore | None = None

    async def validate(self, job_id: str) -> dict[str, Any]:
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.concurrent)
        path = self.store.root / job_id
        async with self._gate:
            process = SPAWN.Process(target=validate_job, daemon=True,
                                    args=(str(path), self.memory_mb, max(1, int(self.seconds))))
            await asyncio.to_thread(process.start)
            deadline = time.monotonic() + self.seconds
            while process.is_alive() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            if process.is_alive():
                process.kill()
            await asyncio.to_thread(process.join, 10)
        meta = self.store.meta(job_id)
        if meta.get("state") not in ("valid", "invalid"):  # killed, or out of memory before it could say
            reason = (f"controle duurde langer dan {self.seconds:g} s" if process.exitcode in
                      (-signal.SIGKILL, -signal.SIGXCPU) else "werkmap kon niet worden gecontroleerd")
            meta = self.store.update(job_id, state="invalid", problems=[_one(meta, reason)])
        private(path)
        return meta
