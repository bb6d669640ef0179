"""Exact nearest neighbours for a collection small enough to hold in memory.

Why: Chroma's HNSW graph is approximate, and its embedded store is not even reproducible
from one process to the next. The vectors added since its last save (up to its
``sync_threshold``, 1,000) are added to the graph again each time a process loads it,
and in another order each time. On the evaluation corpus (3,207 passages, 183 of them
not yet saved) four processes gave four different rankings for the same 570 questions:
0.1 % of the exact top 10 was missing, and for one question its best passage (the page a
user gets cited). An answer must not change because the server restarted. Up to
``[vector_store] exact_limit`` passages (50,000: 77 MB of float32 at 384 dimensions,
a few milliseconds per query) every query compares the question with every passage;
beyond it the HNSW graph does, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["ExactVectors"]

_LOAD_PAGE = 5000  # vectors per request when reading a collection


class ExactVectors:
    """All vectors of a collection as unit rows of one matrix, with their chunk and
    document ids. Not thread-safe: ``VectorStore`` queries under its read lock and
    changes it under its write lock."""

    def __init__(self, dimension: int, capacity: int = 1024) -> None:
        self._matrix = np.zeros((capacity, dimension), dtype=np.float32)
        self._size = 0
        self._chunk_ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._doc_codes = np.zeros(capacity, dtype=np.int32)
        self._codes: dict[str, int] = {}  # doc_id -> small integer, for filtering

    @classmethod
    def from_collection(cls, collection: Any, dimension: int, count: int) -> ExactVectors:
        """All ``count`` vectors of a Chroma collection (with their ``doc_id`` metadata)."""
        exact = cls(dimension, capacity=max(count, 1024))
        for offset in range(0, count, _LOAD_PAGE):
            page = collection.get(
                include=["embeddings", "metadatas"], limit=_LOAD_PAGE, offset=offset
            )
            if not page["ids"]:
                break
            doc_ids = [str((meta or {}).get("doc_id", "")) for meta in page["metadatas"]]
            exact.upsert(page["ids"], doc_ids, np.asarray(page["embeddings"], dtype=np.float32))
        return exact

    def __len__(self) -> int:
        return self._size

    def upsert(self, chunk_ids: Sequence[str], doc_ids: Sequence[str], vectors: np.ndarray) -> None:
        """Add or replace these rows (vectors are normalised to unit length)."""
        units = _unit_rows(vectors)
        for chunk_id, doc_id, vector in zip(chunk_ids, doc_ids, units, strict=True):
            row = self._rows.get(chunk_id)
            if row is None:
                row = self._append(chunk_id)
            self._matrix[row] = vector
            self._doc_codes[row] = self._codes.setdefault(doc_id, len(self._codes))

    def delete(self, chunk_ids: Iterable[str]) -> None:
        """Remove these rows; the last row moves into each freed place."""
        for chunk_id in chunk_ids:
            row = self._rows.pop(chunk_id, None)
            if row is None:
                continue
            last = self._size - 1
            if row != last:
                moved = self._chunk_ids[last]
                self._matrix[row] = self._matrix[last]
                self._doc_codes[row] = self._doc_codes[last]
                self._chunk_ids[row] = moved
                self._rows[moved] = row
            self._chunk_ids.pop()
            self._size = last

    def query(
        self,
        vector: np.ndarray,
        *,
        k: int,
        allowed_docs: set[str] | None = None,
        allowed_chunks: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The ``k`` rows most similar to ``vector`` as (chunk_id, cosine), best first;
        equal cosines in row order, so the same store always answers the same."""
        if not self._size or k <= 0:
            return []
        query = _unit_rows(np.asarray(vector, dtype=np.float32).reshape(1, -1))[0]
        scores = self._matrix[: self._size] @ query
        candidates = np.arange(self._size)
        if allowed_docs is not None:
            wanted = [self._codes[d] for d in allowed_docs if d in self._codes]
            allowed = np.zeros(len(self._codes), dtype=bool)
            allowed[wanted] = True
            candidates = candidates[allowed[self._doc_codes[: self._size]]]
        if allowed_chunks is not None:
            rows = [self._rows[c] for c in allowed_chunks if c in self._rows]
            candidates = np.intersect1d(candidates, np.array(rows, dtype=np.intp))
        if len(candidates) > k:
            # The k best (in any order), then sorted; a stable sort keeps row order on ties.
            kept = np.argpartition(-scores[candidates], k - 1)[:k]
            candidates = np.sort(candidates[kept])
        order = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [(self._chunk_ids[row], float(scores[row])) for row in order]

    def _append(self, chunk_id: str) -> int:
        if self._size == len(self._matrix):
            grown = max(1024, 2 * len(self._matrix))
            self._matrix = _grow(self._matrix, grown)
            self._doc_codes = _grow(self._doc_codes, grown)
        row = self._size
        self._size += 1
        self._chunk_ids.append(chunk_id)
        self._rows[chunk_id] = row
        return row


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    rows = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)


def _grow(array: np.ndarray, rows: int) -> np.ndarray:
    grown = np.zeros((rows, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown
