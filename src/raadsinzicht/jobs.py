"""Background jobs: uploads, re-indexes and removals run one after another in a worker
thread of the process that submitted them (the web app), so no request waits for an
ingest; a CLI ingest is recorded the same way while it runs in the foreground.

Jobs are rows in ``<home>/jobs.sqlite3`` with their status, progress and result, so every
process (``raadsinzicht jobs``, the Documenten tab) sees them, and a cancel request from
any of them reaches the job: it stops between two documents (or embedding batches), where
the index is consistent (the catalog writes one transaction per document). A job whose
process died is shown as interrupted ("onderbroken") and can be resumed: ingesting is
idempotent, so the resumed job skips what the first one finished.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import InputError, RaadsinzichtError
from .migrations import Migration, migrate
from .progress import ProgressTracker, remaining_text

__all__ = [
    "JOB_MIGRATIONS",
    "Job",
    "JobCancelledError",
    "JobContext",
    "JobManager",
    "process_alive",
]

log = logging.getLogger(__name__)

JOB_MIGRATIONS: list[Migration] = [
    Migration(
        "m001_jobs",
        """
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,               -- 'upload' | 'reindex' | 'remove' | 'ingest'
        description TEXT NOT NULL,        -- Dutch, for lists
        status TEXT NOT NULL,             -- see STATUS_LABELS
        user TEXT,
        params TEXT NOT NULL DEFAULT '{}',
        stage TEXT NOT NULL DEFAULT '',
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT '',
        result TEXT,                      -- JSON, when finished
        error TEXT,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        pid INTEGER NOT NULL,             -- the process that runs (or ran) it
        created TEXT NOT NULL,
        started TEXT,
        finished TEXT
    );
    CREATE INDEX jobs_status ON jobs(status);
    """,
    ),
    Migration(
        "m002_job_remaining",
        """
    ALTER TABLE jobs ADD COLUMN remaining REAL;  -- estimated seconds left in the stage
    """,
    ),
]

STATUS_LABELS = {
    "queued": "in de wachtrij",
    "running": "bezig",
    "done": "klaar",
    "failed": "mislukt",
    "cancelled": "geannuleerd",
    "interrupted": "onderbroken",
}
ACTIVE = ("queued", "running")
# Stages reported by the engine's operations (ingest, summaries), in Dutch.
STAGE_LABELS = {
    "wait": "Wachten op een andere indexering",
    "parse": "Lezen en knippen",
    "embed": "Vectoren berekenen",
    "remove": "Verwijderen",
    "map": "Delen samenvatten",
}
_PROGRESS_INTERVAL = 0.5  # seconds between progress writes of one job


class JobCancelledError(RaadsinzichtError):
    """The job was cancelled on request; what it finished before stays stored."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class Job:
    id: int
    kind: str
    description: str
    status: str
    user: str | None
    params: dict[str, Any]
    stage: str
    done: int
    total: int
    detail: str
    result: dict[str, Any] | None
    error: str | None
    cancel_requested: bool
    pid: int
    created: str
    started: str | None
    finished: str | None
    remaining: float | None = None  # estimated seconds left in the stage (while running)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def status_label(self) -> str:
        if self.status == "running" and self.cancel_requested:
            return "wordt geannuleerd"
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def progress_label(self) -> str:
        """E.g. "Lezen en knippen 3/10, nog ongeveer 2 minuten: motie.pdf" while running
        (the time left once the stage's pace can be estimated)."""
        if self.status != "running" or not self.stage:
            return ""
        text = STAGE_LABELS.get(self.stage, self.stage)
        if self.total:
            text += f" {self.done}/{self.total}"
            if self.remaining is not None and self.done < self.total:
                text += f", {remaining_text(self.remaining)}"
        return text + (f": {self.detail}" if self.detail else "")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status_label"] = self.status_label
        data["progress"] = self.progress_label
        return data


def _row_to_job(row: sqlite3.Row) -> Job:
    data = dict(row)
    data["params"] = json.loads(data["params"])
    data["result"] = json.loads(data["result"]) if data["result"] else None
    data["cancel_requested"] = bool(data["cancel_requested"])
    return Job(**data)


# Background work (the jobs' worker thread, the parsing child) runs this much nicer than
# the requests of the people using the app.
BACKGROUND_NICENESS = 10


def lower_thread_priority(increment: int) -> None:
    """Raise the calling thread's niceness by ``increment``: a background job (and the
    OpenMP threads its embedding starts, which inherit it) yields the CPU to searches and
    answers. Linux schedules each thread on its own; elsewhere the call would lower the
    whole process, so it does nothing there."""
    if increment <= 0 or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + increment)
    except OSError:  # a sandbox that forbids it: the job still runs, only less politely
        log.warning("de prioriteit van de takenthread kon niet verlaagd worden")


def process_alive(pid: int) -> bool:
    """Is process ``pid`` still running (also when it belongs to another account)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobContext:
    """What a running job's code gets: progress reports (which also carry out a cancel
    request, by raising ``JobCancelledError`` at the next report) and its parameters."""

    def __init__(
        self, manager: JobManager, job: Job, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._manager = manager
        self.job = job
        self.result: dict[str, Any] = {}  # set by foreground work: stored when it ends
        self._clock = clock
        self._last_write = -_PROGRESS_INTERVAL
        self._tracker = ProgressTracker(clock=clock)

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def cancelled(self) -> bool:
        return self._manager.cancel_requested(self.job.id)

    def progress(self, stage: str, done: int, total: int, detail: str = "") -> None:
        """Record progress (at most every half second, and always at a stage's end);
        raise ``JobCancelledError`` when a cancel was requested."""
        if self.cancelled():
            raise JobCancelledError("Geannuleerd op verzoek.")
        status = self._tracker.update(stage, done, total, detail)
        now = self._clock()
        if now - self._last_write >= _PROGRESS_INTERVAL or done >= total:
            self._last_write = now
            self._manager.update_progress(
                self.job.id, stage, done, total, detail, remaining=status.remaining
            )


Handler = Callable[[JobContext], dict[str, Any]]


class JobManager:
    """The jobs table and this process's worker thread."""

    def __init__(
        self, path: Path, handlers: dict[str, Handler], *, worker_niceness: int = 0
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._handlers = handlers
        self._worker_niceness = worker_niceness
        self._local = threading.local()
        self._wake = threading.Condition()
        self._worker: threading.Thread | None = None
        self._stopping = False
        migrate(self._db, JOB_MIGRATIONS)
        self._mark_interrupted()

    @property
    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
        return db

    # -- the table ------------------------------------------------------------------------

    def _mark_interrupted(self) -> None:
        """Jobs of processes that are gone: interrupted (resumable), not running forever."""
        for row in self._db.execute(
            "SELECT id, pid FROM jobs WHERE status IN ('queued', 'running')"
        ).fetchall():
            if not process_alive(row["pid"]):
                self._finish(row["id"], "interrupted", error="Het proces stopte voordat de "
                             "taak klaar was; hervat de taak om verder te gaan.")  # fmt: skip

    def create(
        self,
        kind: str,
        description: str,
        params: dict[str, Any],
        *,
        user: str | None,
        status: str = "queued",
    ) -> Job:
        cursor = self._db.execute(
            "INSERT INTO jobs (kind, description, status, user, params, pid, created, started) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                description,
                status,
                user,
                json.dumps(params, ensure_ascii=False),
                os.getpid(),
                _now(),
                _now() if status == "running" else None,
            ),
        )
        job = self.get(int(cursor.lastrowid or 0))
        assert job is not None
        return job

    def get(self, job_id: int) -> Job | None:
        row = self._db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _row_to_job(row) if row else None

    def list(self, *, limit: int = 50, active_only: bool = False) -> list[Job]:
        """Newest first."""
        where = "WHERE status IN ('queued', 'running')" if active_only else ""
        rows = self._db.execute(f"SELECT * FROM jobs {where} ORDER BY id DESC LIMIT ?", (limit,))
        return [_row_to_job(row) for row in rows]

    def update_progress(
        self,
        job_id: int,
        stage: str,
        done: int,
        total: int,
        detail: str,
        *,
        remaining: float | None = None,
    ) -> None:
        self._db.execute(
            "UPDATE jobs SET stage = ?, done = ?, total = ?, detail = ?, remaining = ? "
            "WHERE id = ?",
            (stage, done, total, detail[-120:], remaining, job_id),
        )

    def cancel_requested(self, job_id: int) -> bool:
        row = self._db.execute(
            "SELECT cancel_requested FROM jobs WHERE id = ?", (job_id,)
        ).fetchone()
        return bool(row and row[0])

    def request_cancel(self, job_id: int) -> Job:
        """Cancel a queued job at once; ask a running one to stop at its next step."""
        job = self.get(job_id)
        if job is None:
            raise InputError(f"Taak {job_id} bestaat niet.")
        if not job.active:
            raise InputError(f"Taak {job_id} is al {job.status_label}.")
        self._db.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = ?", (job_id,))
        self._db.execute(
            "UPDATE jobs SET status = 'cancelled', finished = ? WHERE id = ? AND status = 'queued'",
            (_now(), job_id),
        )
        updated = self.get(job_id)
        assert updated is not None
        return updated

    def _finish(
        self,
        job_id: int,
        status: str,
        *,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        self._db.execute(
            "UPDATE jobs SET status = ?, result = ?, error = ?, finished = ? WHERE id = ?",
            (
                status,
                json.dumps(result, ensure_ascii=False) if result is not None else None,
                error,
                _now(),
                job_id,
            ),
        )

    # -- running --------------------------------------------------------------------------

    def submit(
        self, kind: str, description: str, params: dict[str, Any], *, user: str | None
    ) -> Job:
        """Queue a job for this process's worker thread; returns at once."""
        if kind not in self._handlers:
            raise ValueError(f"unknown job kind {kind!r}")
        job = self.create(kind, description, params, user=user)
        with self._wake:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._work, name="raadsinzicht-jobs", daemon=True
                )
                self._worker.start()
            self._wake.notify()
        return job

    @contextmanager
    def foreground(
        self, kind: str, description: str, params: dict[str, Any], *, user: str | None
    ) -> Iterator[JobContext]:
        """Record work done in the current thread (a CLI command) as a running job."""
        job = self.create(kind, description, params, user=user, status="running")
        context = JobContext(self, job)
        try:
            yield context
        except JobCancelledError as exc:
            self._finish(job.id, "cancelled", error=str(exc))
            raise
        except BaseException as exc:
            message = str(exc) if isinstance(exc, RaadsinzichtError) else "afgebroken"
            self._finish(job.id, "failed", error=message)
            raise
        else:
            self._finish(job.id, "done", result=context.result)

    def resume(self, job_id: int, *, user: str | None) -> Job:
        """Submit an interrupted, failed or cancelled job again with its parameters."""
        job = self.get(job_id)
        if job is None:
            raise InputError(f"Taak {job_id} bestaat niet.")
        if job.active or job.status == "done":
            raise InputError(f"Taak {job_id} is {job.status_label}; hervatten kan niet.")
        return self.submit(job.kind, job.description, job.params, user=user)

    def _next(self) -> Job | None:
        row = self._db.execute(
            "SELECT * FROM jobs WHERE status = 'queued' AND pid = ? ORDER BY id LIMIT 1",
            (os.getpid(),),
        ).fetchone()
        return _row_to_job(row) if row else None

    def _work(self) -> None:
        lower_thread_priority(self._worker_niceness)
        while not self._stopping:
            job = self._next()
            if job is None:
                with self._wake:
                    self._wake.wait(timeout=1.0)
                continue
            self._run(job)

    def _run(self, job: Job) -> None:
        claimed = self._db.execute(
            "UPDATE jobs SET status = 'running', started = ? WHERE id = ? AND status = 'queued'",
            (_now(), job.id),
        ).rowcount
        if not claimed:  # cancelled meanwhile
            return
        context = JobContext(self, job)
        try:
            result = self._handlers[job.kind](context)
        except JobCancelledError as exc:
            self._finish(job.id, "cancelled", error=str(exc))
        except RaadsinzichtError as exc:
            self._finish(job.id, "failed", error=str(exc))
        except Exception:  # a job must never take the worker (or the server) down
            log.exception("taak %s (%s) mislukt", job.id, job.kind)
            self._finish(job.id, "failed", error="onverwachte fout; zie het serverlog")
        else:
            self._finish(job.id, "done", result=result)

    def close(self) -> None:
        self._stopping = True
        with self._wake:
            self._wake.notify_all()
