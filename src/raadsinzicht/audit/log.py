from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..errors import RaadsinzichtError
from ..migrations import migrate
from ..users import os_account
from .migrations import MIGRATIONS

__all__ = ["Activity", "AuditLog", "AuditRecord", "Feedback", "PurgeCounts"]

VERDICTS = ("up", "down")


@dataclass(slots=True)
class AuditRecord:
    action: str  # 'ask' | 'summarize'
    input: str
    filters: dict[str, Any] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    model: str | None = None
    prompt_template: str | None = None
    prompt_sha256: str | None = None
    answer: str | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)
    refused: bool = False
    flagged: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    user: str | None = None
    settings_fingerprint: str | None = None
    account: str | None = None  # the OS account of the process that wrote it
    abandoned: bool = False  # the client stopped reading before the end
    extractive: str | None = None  # the answer quoted from the sources
    differs: str | None = None  # the direct answer a generated answer did not name
    time: str = ""
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_JSON_FIELDS = ("filters", "sources", "citations", "flagged")


@dataclass(slots=True)
class Feedback:
    """A user's judgement of an answer, summary or intake: appended next to its record."""

    record_id: int
    verdict: str  # 'up' | 'down'
    comment: str | None = None
    user: str | None = None
    action: str = ""  # the judged record's action (kept when that record expires)
    time: str = ""
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Activity:
    """The columns of a record that usage statistics need (no inputs or answers)."""

    time: str
    user: str | None
    action: str
    refused: bool
    flagged: int  # number of flagged sentences
    seconds: float
    error: bool


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    records: int
    feedback: int


def utc_timestamp(moment: datetime) -> str:
    """The form in which the log stores times (UTC, ISO 8601, seconds), so that text
    comparison in SQL orders correctly."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class AuditLog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        migrate(self._db, MIGRATIONS)
        self.account = os_account()

    def append(self, record: AuditRecord) -> int:
        record.time = record.time or utc_timestamp(datetime.now(UTC))
        record.account = record.account or self.account
        values = record.to_dict()
        values.pop("id")
        for name in _JSON_FIELDS:
            values[name] = json.dumps(values[name], ensure_ascii=False)
        values["refused"] = int(record.refused)
        values["abandoned"] = int(record.abandoned)
        columns = ", ".join(values)
        placeholders = ", ".join(f":{name}" for name in values)
        cursor = self._db.execute(
            f"INSERT INTO records ({columns}) VALUES ({placeholders})", values
        )
        record.id = int(cursor.lastrowid or 0)
        return record.id

    @contextmanager
    def recording(self, record: AuditRecord) -> Iterator[AuditRecord]:
        """Append ``record`` when the block ends, with the seconds it took: the one audit
        path of every generated text. Whatever ends the block is logged, then goes on:
        one of our errors (no model, bad input) with its message, any other error as an
        unexpected one, and a stream the client abandoned (``GeneratorExit`` at a
        ``yield`` inside the block, or Ctrl-C) marked ``abandoned``."""
        started = time.perf_counter()
        try:
            yield record
        except RaadsinzichtError as exc:
            record.error = str(exc)
            raise
        except (GeneratorExit, KeyboardInterrupt):
            record.abandoned = True
            record.error = record.error or "afgebroken voordat het antwoord compleet was"
            raise
        except Exception as exc:
            record.error = f"onverwachte fout: {exc.__class__.__name__}: {exc}"
            raise
        finally:
            record.seconds = time.perf_counter() - started
            self.append(record)

    def records(
        self, *, since: date | None = None, limit: int | None = None, user: str | None = None
    ) -> list[AuditRecord]:
        """The newest ``limit`` records (of ``user`` only, when given), oldest first."""
        query = "SELECT * FROM records WHERE time >= ?"
        params: list[Any] = [since.isoformat() if since else ""]
        if user is not None:
            query += " AND user IS ?"
            params.append(user)
        query += " ORDER BY id DESC LIMIT ?"
        params.append(limit or -1)
        return [self._record(row) for row in self._db.execute(query, params)][::-1]

    def mentioned(
        self, needles: Sequence[str], *, actions: Sequence[str], user: str | None = None
    ) -> set[str]:
        """Those of ``needles`` that occur in a record of one of ``actions`` (of ``user``
        only, when given): in its input, answer, sources or citations."""
        found: set[str] = set()
        where = f"action IN ({','.join('?' * len(actions))})"
        params: list[Any] = list(actions)
        if user is not None:
            where += " AND user IS ?"
            params.append(user)
        for needle in needles:
            row = self._db.execute(
                f"SELECT 1 FROM records WHERE {where} AND instr(input || char(10) || "
                "coalesce(answer, '') || char(10) || sources || char(10) || citations, ?) > 0 "
                "LIMIT 1",
                [*params, needle],
            ).fetchone()
            if row:
                found.add(needle)
        return found

    def record(self, record_id: int) -> AuditRecord | None:
        row = self._db.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchone()
        return None if row is None else self._record(row)

    def _record(self, row: sqlite3.Row) -> AuditRecord:
        data = dict(row)
        for name in _JSON_FIELDS:
            data[name] = json.loads(data[name])
        data["refused"] = bool(data["refused"])
        data["abandoned"] = bool(data["abandoned"])
        return AuditRecord(**data)

    def activity(self, *, start: datetime, end: datetime) -> list[Activity]:
        """Every record with ``start <= time < end``, oldest first, light columns only."""
        rows = self._db.execute(
            "SELECT time, user, action, refused, flagged, seconds, error FROM records "
            "WHERE time >= ? AND time < ? ORDER BY time, id",
            (utc_timestamp(start), utc_timestamp(end)),
        )
        return [
            Activity(
                time=row["time"],
                user=row["user"],
                action=row["action"],
                refused=bool(row["refused"]),
                flagged=len(json.loads(row["flagged"])),
                seconds=float(row["seconds"]),
                error=row["error"] is not None,
            )
            for row in rows
        ]

    # -- feedback ---------------------------------------------------------------------------

    def add_feedback(self, feedback: Feedback) -> int:
        if feedback.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}")
        feedback.time = feedback.time or utc_timestamp(datetime.now(UTC))
        values = feedback.to_dict()
        values.pop("id")
        cursor = self._db.execute(
            "INSERT INTO feedback (time, record_id, action, verdict, comment, user) "
            "VALUES (:time, :record_id, :action, :verdict, :comment, :user)",
            values,
        )
        feedback.id = int(cursor.lastrowid or 0)
        return feedback.id

    def feedback(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        record_id: int | None = None,
    ) -> list[Feedback]:
        """Feedback given in ``[start, end)`` (and/or on one record), oldest first."""
        query = "SELECT * FROM feedback WHERE time >= ? AND time < ?"
        params: list[Any] = [
            utc_timestamp(start) if start else "",
            utc_timestamp(end) if end else "9999",
        ]
        if record_id is not None:
            query += " AND record_id = ?"
            params.append(record_id)
        rows = self._db.execute(query + " ORDER BY time, id", params)
        return [Feedback(**dict(row)) for row in rows]

    # -- retention --------------------------------------------------------------------------

    def purge(self, *, before: datetime, retention_days: int) -> PurgeCounts:
        """Remove records and feedback older than ``before``. ``retention_days`` is stored
        in the database first: its triggers refuse to delete anything younger, so asking
        for a later ``before`` than the retention period allows fails as a whole."""
        cutoff = utc_timestamp(before)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(
                "INSERT INTO retention (id, audit_days) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET audit_days = excluded.audit_days",
                (retention_days,),
            )
            feedback = self._db.execute("DELETE FROM feedback WHERE time < ?", (cutoff,))
            records = self._db.execute("DELETE FROM records WHERE time < ?", (cutoff,))
            counts = PurgeCounts(records=records.rowcount, feedback=feedback.rowcount)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return counts

    def close(self) -> None:
        self._db.close()
