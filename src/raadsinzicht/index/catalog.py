"""The catalog: documents, their file names and their chunks in one SQLite database.

It is the source of truth. A document and all its chunks are written in one transaction,
so after a crash (even SIGKILL) a document is either wholly present or absent. The BM25
index and the Chroma vectors are derived from it: BM25 is rebuilt when the catalog's
generation changed, and chunks carry an ``embedded`` flag that is set only after their
vectors are stored, so a killed run's embeddings are simply redone. Chunks deleted from
the catalog leave a tombstone until their vectors are deleted from Chroma.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..migrations import Migration, migrate

__all__ = ["MIGRATIONS", "Catalog", "ChunkRecord", "DocumentRecord", "FileRecord"]

MIGRATIONS: list[Migration] = [
    Migration(
        "m001_initial",
        """
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,          -- sha256 of the file's bytes
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        date TEXT,                        -- ISO date or NULL
        organisation TEXT,
        registration_number TEXT,
        parties TEXT NOT NULL DEFAULT '[]',
        outcome TEXT,
        pages INTEGER NOT NULL,
        ocr_pages INTEGER NOT NULL,
        skipped_pages INTEGER NOT NULL,
        chunks INTEGER NOT NULL,
        page_labels TEXT NOT NULL DEFAULT '[]',
        fingerprint TEXT NOT NULL,
        added_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE files (
        abs_path TEXT PRIMARY KEY,
        rel_path TEXT NOT NULL,           -- relative to the ingest root
        root TEXT NOT NULL,
        collection TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id),
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        added_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX files_doc ON files(doc_id);
    CREATE INDEX files_root ON files(root);
    CREATE TABLE chunks (
        chunk_id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id),
        seq INTEGER NOT NULL,
        text TEXT NOT NULL,
        heading TEXT NOT NULL,
        page INTEGER NOT NULL,            -- first physical page
        spans TEXT NOT NULL,              -- [[page, start, end], ...]
        boxes TEXT NOT NULL,              -- [[page, x0, y0, x1, y1], ...]
        tokens INTEGER NOT NULL,
        embedded INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX chunks_doc ON chunks(doc_id);
    CREATE INDEX chunks_pending ON chunks(embedded) WHERE embedded = 0;
    CREATE TABLE tombstones (chunk_id TEXT PRIMARY KEY);
    CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO state VALUES ('generation', '0');
    """,
    ),
    # The physical page each metadata field was found on, so answers can cite it:
    # {"title": 1, "date": 1, "parties": 2, ...} (documents stored before: {} until the
    # next ingest re-parses them under the new pipeline version).
    Migration(
        "m002_field_pages",
        "ALTER TABLE documents ADD COLUMN field_pages TEXT NOT NULL DEFAULT '{}'",
    ),
]


@dataclass(slots=True)
class DocumentRecord:
    doc_id: str
    kind: str
    title: str
    date: date | None
    organisation: str | None
    registration_number: str | None
    parties: list[str]
    outcome: str | None
    pages: int
    ocr_pages: int
    skipped_pages: int
    chunks: int
    page_labels: list[str]
    fingerprint: str
    files: list[str]  # relative paths, first added first
    collections: list[str]
    field_pages: dict[str, int] = field(default_factory=dict)  # metadata field -> page

    @property
    def file(self) -> str:
        return self.files[0] if self.files else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "files": self.files,
            "name": Path(self.file).name,
            "collections": self.collections,
            "kind": self.kind,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "organisation": self.organisation,
            "registration_number": self.registration_number,
            "parties": self.parties,
            "outcome": self.outcome,
            "field_pages": self.field_pages,
            "pages": self.pages,
            "ocr_pages": self.ocr_pages,
            "chunks": self.chunks,
            "sha256": self.doc_id,
        }


@dataclass(slots=True)
class FileRecord:
    abs_path: str
    rel_path: str
    root: str
    collection: str
    doc_id: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class ChunkRecord:
    chunk_id: str
    doc_id: str
    seq: int
    text: str
    heading: str
    page: int
    spans: list[tuple[int, int, int]]
    boxes: list[tuple[int, float, float, float, float]]
    tokens: int


def _row_to_file(row: sqlite3.Row) -> FileRecord:
    return FileRecord(**{name: row[name] for name in FileRecord.__slots__})


def _row_to_chunk(row: sqlite3.Row) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=row["chunk_id"],
        doc_id=row["doc_id"],
        seq=row["seq"],
        text=row["text"],
        heading=row["heading"],
        page=row["page"],
        spans=[tuple(s) for s in json.loads(row["spans"])],
        boxes=[tuple(b) for b in json.loads(row["boxes"])],
        tokens=row["tokens"],
    )


class Catalog:
    """SQLite catalog in ``<home>/catalog.sqlite3``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # isolation_level=None: we open transactions explicitly (BEGIN IMMEDIATE).
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        # Catalogs made before the shared migration table counted in user_version.
        migrate(self._db, MIGRATIONS, legacy_user_version=True)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; bumps the generation so derived indexes know to refresh."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute(
                "UPDATE state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    # -- reading -------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        row = self._db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()
        return int(row[0])

    def file(self, abs_path: str) -> FileRecord | None:
        row = self._db.execute("SELECT * FROM files WHERE abs_path = ?", (abs_path,)).fetchone()
        return _row_to_file(row) if row else None

    def files_under(self, root: str) -> list[FileRecord]:
        rows = self._db.execute("SELECT * FROM files WHERE root = ?", (root,)).fetchall()
        return [_row_to_file(row) for row in rows]

    def find_files(self, path_or_name: str) -> list[FileRecord]:
        """Files whose absolute path, relative path or file name equals ``path_or_name``."""
        rows = self._db.execute(
            "SELECT * FROM files WHERE abs_path = ? OR rel_path = ? OR rel_path LIKE ? ESCAPE '\\'",
            (path_or_name, path_or_name, "%/" + _escape_like(path_or_name)),
        ).fetchall()
        return [_row_to_file(row) for row in rows]

    def document_fingerprint(self, doc_id: str) -> str | None:
        """The pipeline fingerprint a document was stored with; None when not stored."""
        row = self._db.execute(
            "SELECT fingerprint FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def documents(self, doc_ids: Iterable[str] | None = None) -> list[DocumentRecord]:
        names: dict[str, list[tuple[str, str]]] = {}
        for row in self._db.execute(
            "SELECT doc_id, rel_path, collection FROM files ORDER BY rowid"
        ):
            names.setdefault(row["doc_id"], []).append((row["rel_path"], row["collection"]))
        query = "SELECT * FROM documents"
        params: tuple[str, ...] = ()
        if doc_ids is not None:
            ids = tuple(doc_ids)
            query += f" WHERE doc_id IN ({','.join('?' * len(ids))})"
            params = ids
        records = []
        for row in self._db.execute(query + " ORDER BY date DESC, title", params):
            files = names.get(row["doc_id"], [])
            records.append(
                DocumentRecord(
                    doc_id=row["doc_id"],
                    kind=row["kind"],
                    title=row["title"],
                    date=date.fromisoformat(row["date"]) if row["date"] else None,
                    organisation=row["organisation"],
                    registration_number=row["registration_number"],
                    parties=json.loads(row["parties"]),
                    outcome=row["outcome"],
                    pages=row["pages"],
                    ocr_pages=row["ocr_pages"],
                    skipped_pages=row["skipped_pages"],
                    chunks=row["chunks"],
                    page_labels=json.loads(row["page_labels"]),
                    fingerprint=row["fingerprint"],
                    files=[name for name, _ in files],
                    collections=sorted({collection for _, collection in files}),
                    field_pages=json.loads(row["field_pages"]),
                )
            )
        return records

    def filter_documents(
        self,
        *,
        kinds: Sequence[str] = (),
        since: date | None = None,
        until: date | None = None,
        collections: Sequence[str] = (),
        organisations: Sequence[str] = (),
    ) -> set[str]:
        """Ids of the documents matching every given filter (documents without a date never
        match a date filter)."""
        clauses, params = [], []
        if kinds:
            clauses.append(f"kind IN ({','.join('?' * len(kinds))})")
            params += list(kinds)
        if since:
            clauses.append("date >= ?")
            params.append(since.isoformat())
        if until:
            clauses.append("date <= ?")
            params.append(until.isoformat())
        if organisations:
            clauses.append(f"lower(organisation) IN ({','.join('?' * len(organisations))})")
            params += [o.lower() for o in organisations]
        if collections:
            clauses.append(
                "doc_id IN (SELECT doc_id FROM files WHERE collection IN "
                f"({','.join('?' * len(collections))}))"
            )
            params += list(collections)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        return {row[0] for row in self._db.execute(f"SELECT doc_id FROM documents{where}", params)}

    def all_chunks(self) -> list[tuple[str, str, str, str]]:
        """(chunk_id, doc_id, search text, title) for every chunk, in a stable order."""
        rows = self._db.execute(
            "SELECT c.chunk_id, c.doc_id, c.text, c.heading, d.title FROM chunks c "
            "JOIN documents d USING (doc_id) ORDER BY c.doc_id, c.seq"
        )
        return [(r[0], r[1], r[2] if not r[3] else f"{r[3]}\n{r[2]}", r[4]) for r in rows]

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, ChunkRecord]:
        found: dict[str, ChunkRecord] = {}
        for start in range(0, len(chunk_ids), 500):
            part = chunk_ids[start : start + 500]
            rows = self._db.execute(
                f"SELECT * FROM chunks WHERE chunk_id IN ({','.join('?' * len(part))})", part
            )
            found.update((row["chunk_id"], _row_to_chunk(row)) for row in rows)
        return found

    def document_chunks(self, doc_id: str) -> list[ChunkRecord]:
        rows = self._db.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY seq", (doc_id,))
        return [_row_to_chunk(row) for row in rows]

    def pending_embeddings(self, limit: int) -> list[tuple[str, str, str, str, str]]:
        """(chunk_id, doc_id, text, heading, title) of chunks without a stored vector."""
        rows = self._db.execute(
            "SELECT c.chunk_id, c.doc_id, c.text, c.heading, d.title FROM chunks c "
            "JOIN documents d USING (doc_id) WHERE c.embedded = 0 ORDER BY c.doc_id, c.seq "
            "LIMIT ?",
            (limit,),
        ).fetchall()
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def count_pending_embeddings(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM chunks WHERE embedded = 0").fetchone()[0])

    def count_chunks(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def totals(self) -> dict[str, int]:
        row = self._db.execute(
            "SELECT count(*), coalesce(sum(pages), 0), coalesce(sum(ocr_pages), 0), "
            "coalesce(sum(skipped_pages), 0), coalesce(sum(chunks), 0) FROM documents"
        ).fetchone()
        names = ("documents", "pages", "ocr_pages", "skipped_pages", "chunks")
        return dict(zip(names, row, strict=True))

    def tombstones(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT chunk_id FROM tombstones")]

    # -- writing -------------------------------------------------------------------------

    def add_document(
        self,
        *,
        document: dict[str, Any],
        chunks: Sequence[dict[str, Any]],
        file: FileRecord,
    ) -> None:
        """Store a document with its chunks and link ``file`` to it, atomically.

        A stored version of the same document (same content, older pipeline) is replaced.
        When ``file`` pointed at another document, that link is replaced and the old
        document is dropped if no other file refers to it.
        """
        with self.transaction() as db:
            # Its files keep pointing at the doc_id while the row is replaced.
            db.execute("PRAGMA defer_foreign_keys = ON")
            self._drop_chunks(db, document["doc_id"])
            db.execute("DELETE FROM documents WHERE doc_id = ?", (document["doc_id"],))
            db.execute(
                "INSERT INTO documents (doc_id, kind, title, date, organisation, "
                "registration_number, parties, outcome, pages, ocr_pages, skipped_pages, "
                "chunks, page_labels, fingerprint, field_pages) VALUES (:doc_id, :kind, :title, "
                ":date, :organisation, :registration_number, :parties, :outcome, :pages, "
                ":ocr_pages, :skipped_pages, :chunks, :page_labels, :fingerprint, :field_pages)",
                document,
            )
            db.executemany(
                "INSERT INTO chunks (chunk_id, doc_id, seq, text, heading, page, spans, boxes, "
                "tokens) VALUES (:chunk_id, :doc_id, :seq, :text, :heading, :page, :spans, "
                ":boxes, :tokens)",
                chunks,
            )
            self._link(db, file)

    def link_file(self, file: FileRecord) -> None:
        """Point ``file`` at an already stored document (same content, another name)."""
        with self.transaction() as db:
            self._link(db, file)

    def unlink_files(self, abs_paths: Sequence[str]) -> int:
        """Forget files; documents no file refers to any more are deleted. Returns docs deleted."""
        with self.transaction() as db:
            doc_ids = {
                row[0]
                for path in abs_paths
                for row in db.execute("SELECT doc_id FROM files WHERE abs_path = ?", (path,))
            }
            db.executemany("DELETE FROM files WHERE abs_path = ?", [(p,) for p in abs_paths])
            return sum(self._drop_if_orphan(db, doc_id) for doc_id in doc_ids)

    def mark_embedded(self, chunk_ids: Sequence[str]) -> None:
        # Not a content change: no generation bump needed, but harmless and keeps one path.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "UPDATE chunks SET embedded = 1 WHERE chunk_id = ?", [(c,) for c in chunk_ids]
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def reset_embeddings(self) -> None:
        """Mark every chunk as needing a vector (after the vector collection was dropped)."""
        self._db.execute("UPDATE chunks SET embedded = 0")
        self._db.execute("DELETE FROM tombstones")

    def clear_tombstones(self, chunk_ids: Sequence[str]) -> None:
        self._db.executemany("DELETE FROM tombstones WHERE chunk_id = ?", [(c,) for c in chunk_ids])

    def _link(self, db: sqlite3.Connection, file: FileRecord) -> None:
        previous = db.execute(
            "SELECT doc_id FROM files WHERE abs_path = ?", (file.abs_path,)
        ).fetchone()
        db.execute(
            "INSERT OR REPLACE INTO files (abs_path, rel_path, root, collection, doc_id, size, "
            "mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                file.abs_path,
                file.rel_path,
                file.root,
                file.collection,
                file.doc_id,
                file.size,
                file.mtime_ns,
            ),
        )
        if previous and previous[0] != file.doc_id:
            self._drop_if_orphan(db, previous[0])

    @staticmethod
    def _drop_if_orphan(db: sqlite3.Connection, doc_id: str) -> bool:
        if db.execute("SELECT 1 FROM files WHERE doc_id = ?", (doc_id,)).fetchone():
            return False
        Catalog._drop_chunks(db, doc_id)
        db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return True

    @staticmethod
    def _drop_chunks(db: sqlite3.Connection, doc_id: str) -> None:
        db.execute(
            "INSERT OR IGNORE INTO tombstones SELECT chunk_id FROM chunks WHERE doc_id = ?",
            (doc_id,),
        )
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
