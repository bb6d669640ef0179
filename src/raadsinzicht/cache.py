"""Content-addressed caches for the two slow, deterministic steps of ingestion: OCR of a
scanned page (seconds per page) and the embedding of a passage (the bulk of an ingest).

A new pipeline version re-parses every document and gives every chunk a new id; with
these caches that costs the cheap parts only: an OCR'd page is keyed by the file's bytes,
the page, language and resolution; a vector by the embedder and the exact text embedded.
Both live in one SQLite file in the data directory (owner-only: it holds document text).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["PipelineCache"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ocr (key TEXT PRIMARY KEY, blocks TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL);
"""


def _key(*parts: object) -> str:
    return hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()


class PipelineCache:
    """OCR blocks and passage vectors, shared by every ingest that uses ``path``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        if new:
            os.chmod(path, 0o600)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    # -- OCR ----------------------------------------------------------------------------

    @staticmethod
    def ocr_key(file_sha256: str, page: int, language: str, dpi: int, reader: str) -> str:
        return _key("ocr", file_sha256, page, language, dpi, reader)

    def ocr_blocks(self, key: str) -> list[dict[str, Any]] | None:
        with self._lock:
            row = self._db.execute("SELECT blocks FROM ocr WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def store_ocr_blocks(self, key: str, blocks: list[dict[str, Any]]) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO ocr VALUES (?, ?)", (key, json.dumps(blocks)))

    # -- vectors ------------------------------------------------------------------------

    def vectors(
        self, embedder: str, texts: Sequence[str], dimension: int
    ) -> list[np.ndarray | None]:
        """The cached vector of each text, None where there is none."""
        keys = [_key("vector", embedder, text) for text in texts]
        found: dict[str, bytes] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})",
                    part,
                )
                found.update((row[0], row[1]) for row in rows)
        out: list[np.ndarray | None] = []
        for key in keys:
            blob = found.get(key)
            vector = np.frombuffer(blob, dtype=np.float32) if blob is not None else None
            out.append(vector if vector is not None and vector.size == dimension else None)
        return out

    def store_vectors(self, embedder: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (_key("vector", embedder, text), np.asarray(vector, dtype=np.float32).tobytes())
            for text, vector in zip(texts, vectors, strict=True)
        ]
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            self._db.execute("COMMIT")
