from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..errors import RaadsinzichtError
from ..migrations import migrate
from .migrations import MIGRATIONS

__all__ = ["AuditLog", "AuditRecord"]


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
    abandoned: bool = False  # the client stopped reading before the end
    extractive: str | None = None  # the answer quoted from the sources
    time: str = ""
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_JSON_FIELDS = ("filters", "sources", "citations", "flagged")


class AuditLog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        migrate(self._db, MIGRATIONS)

    def append(self, record: AuditRecord) -> int:
        record.time = record.time or datetime.now(UTC).isoformat(timespec="seconds")
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

    def records(self, *, since: date | None = None, limit: int | None = None) -> list[AuditRecord]:
        # Newest ``limit`` records, returned oldest first.
        query = "SELECT * FROM records WHERE time >= ? ORDER BY id DESC LIMIT ?"
        params: list[Any] = [since.isoformat() if since else "", limit or -1]
        out = []
        for row in self._db.execute(query, params):
            data = dict(row)
            for name in _JSON_FIELDS:
                data[name] = json.loads(data[name])
            data["refused"] = bool(data["refused"])
            data["abandoned"] = bool(data["abandoned"])
            out.append(AuditRecord(**data))
        return out[::-1]

    def close(self) -> None:
        self._db.close()
