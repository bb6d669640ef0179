"""The catalog: documents, their file names and their chunks in one SQLite database.

It is the source of truth. A document and all its chunks are written in one transaction,
so after a crash (even SIGKILL) a document is either wholly present or absent. The BM25
index and the Chroma vectors are derived from it: every write bumps the catalog's
generation and stamps the documents it (re)writes with that generation (``revision``), so
the keyword index can apply just what changed; chunks carry an ``embedded`` flag that is
set only after their vectors are stored, so a killed run's embeddings are simply redone.
Chunks deleted from the catalog leave a tombstone until their vectors are deleted from
Chroma.

Concurrency: every thread gets its own connection (WAL: readers never wait for the one
writer; writers queue on SQLite's busy timeout). Multi-statement reads that must agree
with each other run inside ``reading()``, one snapshot.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..migrations import Migration, migrate

__all__ = [
    "MIGRATIONS",
    "Catalog",
    "ChunkRecord",
    "ChunkTurn",
    "DocumentRecord",
    "FileRecord",
    "KeywordChanges",
]

# Seconds a writer waits for another writer's transaction (another thread or process).
_BUSY_TIMEOUT = 60.0
# Chunk records kept between searches (about 4 KB each).
_CHUNK_RECORDS_KEPT = 8192

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
    # The generation that last (re)wrote a document: the keyword index applies only the
    # documents changed since it was built. 0 = before this migration (in every saved index).
    Migration(
        "m002_document_revision",
        """
    ALTER TABLE documents ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX documents_revision ON documents(revision);
    """,
    ),
    Migration(
        "m003_council",
        """
    -- Council information: what a RIS connector synchronised (meetings, agenda items,
    -- motions with votes, documents and their files) and what was read from the PDFs
    -- themselves (motions and votes, references). Facts read from a document go with it.
    CREATE TABLE ris_sync (
        connector TEXT NOT NULL,
        source TEXT NOT NULL,
        phase TEXT NOT NULL,              -- 'snapshot' | 'changes'
        cursor TEXT,                      -- where the next page starts (NULL: the beginning)
        changes_cursor TEXT,              -- the change feed's start, from the first snapshot page
        updated_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (connector, source)
    );
    CREATE TABLE ris_entities (
        entity_id TEXT PRIMARY KEY,
        connector TEXT NOT NULL,
        source TEXT NOT NULL,
        entity_type TEXT NOT NULL,        -- Document | Meeting | Motion
        content_hash TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        document_type TEXT,
        date TEXT,
        meeting_id TEXT,
        url TEXT,
        abs_path TEXT,                    -- the downloaded file (documents only)
        status TEXT NOT NULL,             -- ok | failed | skipped
        error TEXT,
        updated_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX ris_entities_path ON ris_entities(abs_path);
    CREATE INDEX ris_entities_source ON ris_entities(connector, source);
    CREATE TABLE meetings (
        meeting_id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        name TEXT NOT NULL,
        date TEXT,
        committee TEXT
    );
    CREATE TABLE agenda_items (
        item_id TEXT PRIMARY KEY,
        meeting_id TEXT NOT NULL REFERENCES meetings(meeting_id) ON DELETE CASCADE,
        number TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL,
        parent_id TEXT
    );
    CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id);
    CREATE TABLE agenda_documents (
        item_id TEXT NOT NULL REFERENCES agenda_items(item_id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (item_id, entity_id)
    );
    CREATE INDEX agenda_documents_entity ON agenda_documents(entity_id);
    CREATE TABLE motions (
        motion_key TEXT PRIMARY KEY,      -- RIS entity id, or '<doc_id>#<n>' when read from a PDF
        origin TEXT NOT NULL,             -- ris | pdf
        doc_id TEXT REFERENCES documents(doc_id) ON DELETE CASCADE,
        page INTEGER,                     -- page of doc_id where it is recorded
        kind TEXT NOT NULL,               -- motie | amendement | voorstel
        code TEXT,                        -- number in its meeting: 'Y.3', 'L.A', 'A8.1'
        title TEXT NOT NULL DEFAULT '',
        ris_number TEXT,                  -- its registration number ('321674')
        result TEXT,                      -- aangenomen | verworpen | ingetrokken | aangehouden
                                          -- | staken | overig
        votes_for INTEGER,
        votes_against INTEGER,
        unanimous INTEGER NOT NULL DEFAULT 0,
        submitters TEXT NOT NULL DEFAULT '[]',
        parties TEXT NOT NULL DEFAULT '[]',
        meeting_id TEXT,
        meeting_date TEXT,
        agenda_item_id TEXT,
        attachment_ids TEXT NOT NULL DEFAULT '[]',
        evidence TEXT NOT NULL DEFAULT '' -- the words that record it
    );
    CREATE INDEX motions_doc ON motions(doc_id);
    CREATE INDEX motions_code ON motions(meeting_date, code);
    CREATE INDEX motions_ris ON motions(ris_number);
    CREATE TABLE votes (
        motion_key TEXT NOT NULL REFERENCES motions(motion_key) ON DELETE CASCADE,
        option TEXT NOT NULL,             -- voor | tegen
        party TEXT,
        member TEXT
    );
    CREATE INDEX votes_motion ON votes(motion_key);
    CREATE TABLE doc_references (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        role TEXT NOT NULL,               -- self (its own number) | mention
        type TEXT NOT NULL,               -- ris | kenmerk | zaaknummer | motion | title
        value TEXT NOT NULL,
        page INTEGER NOT NULL,
        context TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX doc_references_value ON doc_references(type, value);
    CREATE INDEX doc_references_doc ON doc_references(doc_id);
    """,
    ),
    Migration(
        "m004_chunk_speakers",
        """
    -- Who speaks in a chunk of minutes (a chunk never crosses a speaker turn).
    ALTER TABLE chunks ADD COLUMN speaker TEXT;
    ALTER TABLE chunks ADD COLUMN speaker_role TEXT;
    ALTER TABLE chunks ADD COLUMN speaker_party TEXT;
    CREATE INDEX chunks_speaker_party ON chunks(speaker_party) WHERE speaker_party IS NOT NULL;
    """,
    ),
    # The physical page each metadata field was found on, so answers can cite it:
    # {"title": 1, "date": 1, "parties": 2, ...} (documents stored before: {} until the
    # next ingest re-parses them under the new pipeline version).
    Migration(
        "m005_field_pages",
        "ALTER TABLE documents ADD COLUMN field_pages TEXT NOT NULL DEFAULT '{}'",
    ),
    # Speaker turns as structure next to normal-sized chunks (pipeline 4): every turn a
    # chunk of minutes holds, from ``start`` (offset in the chunk text) to the next row;
    # ``speaker`` NULL for narration. The m004 columns now hold the chunk's dominant
    # speaker (most text); filters and hits read the turns.
    Migration(
        "m006_chunk_turns",
        """
    CREATE TABLE chunk_turns (
        chunk_id TEXT NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        speaker TEXT,
        speaker_role TEXT,
        speaker_party TEXT,
        PRIMARY KEY (chunk_id, start)
    ) WITHOUT ROWID;
    CREATE INDEX chunk_turns_speaker ON chunk_turns(speaker) WHERE speaker IS NOT NULL;
    CREATE INDEX chunk_turns_party ON chunk_turns(speaker_party) WHERE speaker_party IS NOT NULL;
    -- Chunks stored by pipelines 2-3 hold exactly one turn each: their own, from the start
    -- (the filters keep working until the next ingest re-chunks them).
    INSERT INTO chunk_turns
        SELECT chunk_id, 0, speaker, speaker_role, speaker_party FROM chunks
        WHERE speaker IS NOT NULL;
    """,
    ),
    # The agenda item a decision list records a motion under (pipeline 8); '' for motions
    # stored before, until the next ingest re-parses their document.
    Migration(
        "m007_motion_agenda_subject",
        "ALTER TABLE motions ADD COLUMN agenda_subject TEXT NOT NULL DEFAULT ''",
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
    # Collections of its other files, which the reader may not see: never shown, only
    # kept so that a copy in a sensitive collection still counts for the privacy rules.
    withheld: list[str] = field(default_factory=list)
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


SpeakerRow = tuple[str, str | None, str | None, int]  # speaker, role, party, chunks


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
    speaker: str | None = None  # who speaks most of the chunk (minutes only)
    speaker_role: str | None = None
    speaker_party: str | None = None
    turns: list[ChunkTurn] = field(default_factory=list)  # every turn it holds, in order

    @property
    def pages(self) -> list[int]:
        """The physical pages its text comes from, in order."""
        return sorted({span[0] for span in self.spans})

    def turn_at(self, offset: int) -> ChunkTurn | None:
        """The turn the character at ``offset`` of the text belongs to (None outside turns)."""
        current = None
        for turn in self.turns:
            if turn.start > offset:
                break
            current = turn
        return current


@dataclass(frozen=True, slots=True)
class ChunkTurn:
    """A speaker turn (or narration: ``speaker`` None) in a chunk's text, from ``start`` up
    to the next turn of the chunk."""

    start: int
    speaker: str | None
    role: str | None
    party: str | None


@dataclass(frozen=True, slots=True)
class KeywordChanges:
    """What a keyword index built at ``base`` generation must apply to match ``generation``."""

    generation: int
    kept: frozenset[str]  # documents unchanged since ``base``
    # Documents (re)written after ``base``: (doc_id, revision) -> rows as in ``all_chunks``.
    changed: dict[tuple[str, int], list[tuple[str, str, str, str]]]


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
        speaker=row["speaker"],
        speaker_role=row["speaker_role"],
        speaker_party=row["speaker_party"],
    )


class Catalog:
    """SQLite catalog in ``<home>/catalog.sqlite3``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        # Speakers per generation and hidden collections: every question reads them (it
        # may name a speaker), and the aggregate over all turns only changes with chunks.
        self._speakers: dict[tuple[int, tuple[str, ...]], list[SpeakerRow]] = {}
        self._speakers_lock = threading.Lock()
        # Chunk records of the current generation: searches read the same passages as the
        # searches before them, and making a record (its spans and boxes are JSON) was a
        # tenth of a search's Python time with 20 users.
        self._chunk_records: OrderedDict[str, ChunkRecord] = OrderedDict()
        self._chunk_records_generation = -1
        self._chunk_records_lock = threading.Lock()
        self._migrate()

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection (a sqlite3 connection must not serve two threads at once)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            # isolation_level=None: we open transactions explicitly (BEGIN IMMEDIATE).
            # check_same_thread=False only so that close() may close it from another thread.
            db = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=_BUSY_TIMEOUT
            )
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
            self._local.depth = 0
            with self._connections_lock:
                self._connections.append(db)
        return db

    def close(self) -> None:
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for db in connections:
            db.close()
        self._local = threading.local()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot for several reads (nested blocks share it)."""
        db = self._db
        if self._local.depth or db.in_transaction:
            self._local.depth += 1
            try:
                yield db
            finally:
                self._local.depth -= 1
            return
        db.execute("BEGIN")
        self._local.depth = 1
        try:
            yield db
        finally:
            self._local.depth = 0
            db.execute("COMMIT")

    def _migrate(self) -> None:
        # Catalogs made before the shared migration table counted in user_version.
        migrate(self._db, MIGRATIONS, legacy_user_version=True)

    @contextmanager
    def transaction(self, *, searchable: bool = True) -> Iterator[sqlite3.Connection]:
        """One atomic write; bumps the generation so derived indexes know to refresh
        (``searchable=False``: the write touches no chunk, e.g. council records)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            if searchable:
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

    def state(self, key: str) -> str | None:
        """A value of the catalog's small key-value state table (shared by processes)."""
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_state(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def increment_state(self, key: str) -> int:
        """Add one to a counter in the state table (created at 1); returns the new value."""
        row = self._db.execute(
            "INSERT INTO state (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE "
            "SET value = CAST(value AS INTEGER) + 1 RETURNING value",
            (key,),
        ).fetchone()
        return int(row[0])

    def file(self, abs_path: str) -> FileRecord | None:
        row = self._db.execute("SELECT * FROM files WHERE abs_path = ?", (abs_path,)).fetchone()
        return _row_to_file(row) if row else None

    def files_under(self, root: str) -> list[FileRecord]:
        rows = self._db.execute("SELECT * FROM files WHERE root = ?", (root,)).fetchall()
        return [_row_to_file(row) for row in rows]

    def find_files(self, path_or_name: str, *, hidden: Collection[str] = ()) -> list[FileRecord]:
        """Files whose absolute path, relative path or file name equals ``path_or_name``,
        outside the ``hidden`` collections."""
        rows = self._db.execute(
            "SELECT * FROM files WHERE abs_path = ? OR rel_path = ? OR rel_path LIKE ? ESCAPE '\\'",
            (path_or_name, path_or_name, "%/" + _escape_like(path_or_name)),
        ).fetchall()
        return [_row_to_file(row) for row in rows if row["collection"] not in hidden]

    def collection_names(self) -> set[str]:
        """Every collection that holds a file."""
        return {row[0] for row in self._db.execute("SELECT DISTINCT collection FROM files")}

    def document_fingerprint(self, doc_id: str) -> str | None:
        """The pipeline fingerprint a document was stored with; None when not stored."""
        row = self._db.execute(
            "SELECT fingerprint FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def documents(
        self, doc_ids: Iterable[str] | None = None, *, hidden: Collection[str] = ()
    ) -> list[DocumentRecord]:
        """Documents (all, or those of ``doc_ids``), newest first. With ``hidden``
        collections: only documents with a file outside them, each listing only those
        files (a user is never shown a name from a collection they may not see)."""
        where = ""
        params: tuple[str, ...] = ()
        if doc_ids is not None:
            params = tuple(doc_ids)
            where = f" WHERE doc_id IN ({','.join('?' * len(params))})"
        names: dict[str, list[tuple[str, str]]] = {}
        withheld: dict[str, set[str]] = {}
        with self.reading() as db:  # files and documents of one moment
            # Only the files of the documents asked for: a search asks for a few dozen, and
            # reading every file row took 17 ms per search at 3,300 documents.
            for row in db.execute(
                f"SELECT doc_id, rel_path, collection FROM files{where} ORDER BY rowid", params
            ):
                if row["collection"] in hidden:
                    withheld.setdefault(row["doc_id"], set()).add(row["collection"])
                else:
                    names.setdefault(row["doc_id"], []).append((row["rel_path"], row["collection"]))
            rows = db.execute(
                f"SELECT * FROM documents{where} ORDER BY date DESC, title", params
            ).fetchall()
        records = []
        for row in rows:
            files = names.get(row["doc_id"], [])
            if hidden and not files:
                continue
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
                    withheld=sorted(withheld.get(row["doc_id"], ())),
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
        parties: Sequence[str] = (),
        submitters: Sequence[str] = (),
        results: Sequence[str] = (),
        meetings: Sequence[str] = (),
        hidden: Collection[str] = (),
    ) -> set[str]:
        """Ids of the documents matching every given filter (documents without a date never
        match a date filter), with a file outside the ``hidden`` collections.

        Council filters: ``parties`` (canonical names) submitted the motion/amendment;
        ``submitters`` (a name, case-insensitive part) signed it; ``results``
        (aangenomen, verworpen, ...) is its outcome as recorded anywhere (the motion's own
        stamp, a besluitenlijst, the minutes' vote, the RIS); ``meetings`` (ISO dates or RIS
        meeting ids) it was decided, discussed or recorded in."""
        clauses, params = [], []
        council_clauses, council_params = _council_filters(parties, submitters, results, meetings)
        clauses += council_clauses
        params += council_params
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
            # Only a visible file puts a document in a collection (a copy in a hidden
            # collection must not show through a filter on that collection).
            wanted = [c for c in collections if c not in hidden]
            clauses.append(
                "doc_id IN (SELECT doc_id FROM files WHERE collection IN "
                f"({','.join('?' * len(wanted))}))"
            )
            params += wanted
        if hidden:
            clauses.append(_visible_clause(hidden))
            params += sorted(hidden)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        return {row[0] for row in self._db.execute(f"SELECT doc_id FROM documents{where}", params)}

    def filter_chunks(
        self,
        *,
        doc_ids: set[str] | None = None,
        speaker_parties: Sequence[str] = (),
        party_docs: set[str] | None = None,
        speakers: Sequence[str] = (),
        spoken: bool = False,
    ) -> set[str]:
        """Ids of the chunks spoken by a member of ``speaker_parties`` (or lying in one of
        ``party_docs``: documents those parties submitted), by one of ``speakers`` (exact
        stored names), or, with ``spoken``, by anyone at all; within ``doc_ids``."""
        where, params = ["1"], []
        if doc_ids is not None:
            if not doc_ids:
                return set()
            where.append(f"doc_id IN ({','.join('?' * len(doc_ids))})")
            params += sorted(doc_ids)
        # A chunk matches when it holds a turn of the speaker or party, wherever in it.
        turn_clauses: list[str] = []
        if speakers:
            turn_clauses.append(f"speaker IN ({','.join('?' * len(speakers))})")
            params += list(speakers)
        if speaker_parties:
            turn_clauses.append(f"speaker_party IN ({','.join('?' * len(speaker_parties))})")
            params += list(speaker_parties)
        if spoken:
            turn_clauses.append("speaker IS NOT NULL")
        if turn_clauses:
            turns = (
                f"chunk_id IN (SELECT chunk_id FROM chunk_turns WHERE {' AND '.join(turn_clauses)})"
            )
            if party_docs:
                turns = f"({turns} OR doc_id IN ({','.join('?' * len(party_docs))}))"
                params += sorted(party_docs)
            where.append(turns)
        rows = self._db.execute(f"SELECT chunk_id FROM chunks WHERE {' AND '.join(where)}", params)
        return {row[0] for row in rows}

    def embedded(self, chunk_ids: set[str]) -> set[str]:
        """Those of ``chunk_ids`` whose vector is stored (a vector store can only be
        restricted to ids it holds)."""
        ids = sorted(chunk_ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = self._db.execute(
                f"SELECT chunk_id FROM chunks WHERE embedded = 1 AND chunk_id IN "
                f"({','.join('?' * len(part))})",
                part,
            )
            found.update(row[0] for row in rows)
        return found

    def speakers(self, *, hidden: Collection[str] = ()) -> list[SpeakerRow]:
        """(speaker, role, party, chunks) for every speaker in the minutes (outside the
        ``hidden`` collections), most chunks (that hold a turn of theirs) first."""
        key = (self.generation, tuple(sorted(hidden)))
        with self._speakers_lock:
            cached = self._speakers.get(key)
        if cached is not None:
            return list(cached)
        visible = f"AND {_visible_clause(hidden)} " if hidden else ""
        rows = self._db.execute(
            "SELECT t.speaker, t.speaker_role, t.speaker_party, count(DISTINCT t.chunk_id) "
            "FROM chunk_turns t JOIN chunks USING (chunk_id) "
            f"WHERE t.speaker IS NOT NULL {visible}GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1",
            key[1],
        )
        found = [(r[0], r[1], r[2], int(r[3])) for r in rows]
        # Read after the generation: at worst newer than its key, and replaced next time.
        with self._speakers_lock:
            if any(generation != key[0] for generation, _ in self._speakers):
                self._speakers.clear()
            self._speakers[key] = found
        return list(found)

    def all_chunks(self) -> list[tuple[str, str, str, str]]:
        """(chunk_id, doc_id, search text, title) for every chunk, in a stable order."""
        return self._chunk_rows("")

    @contextmanager
    def chunks_at(self) -> Iterator[tuple[int, Iterator[tuple[str, str, str, str]]]]:
        """The generation and ``all_chunks()`` of one snapshot, read row by row while the
        block runs (a million chunks' text never has to be in memory at once)."""
        with self.reading():
            yield self.generation, self._iter_chunk_rows("")

    def keyword_changes(self, base: int) -> KeywordChanges:
        """What changed since generation ``base``, read from one snapshot: the documents
        kept as they were, and the rows of every document (re)written after ``base``."""
        with self.reading() as db:
            kept, changed = set(), {}
            for doc_id, revision in db.execute("SELECT doc_id, revision FROM documents"):
                if revision <= base:
                    kept.add(doc_id)
                else:
                    changed[(doc_id, revision)] = self._chunk_rows("WHERE c.doc_id = ?", doc_id)
            return KeywordChanges(self.generation, frozenset(kept), changed)

    def _chunk_rows(self, where: str, *params: str) -> list[tuple[str, str, str, str]]:
        return list(self._iter_chunk_rows(where, *params))

    def _iter_chunk_rows(self, where: str, *params: str) -> Iterator[tuple[str, str, str, str]]:
        rows = self._db.execute(
            "SELECT c.chunk_id, c.doc_id, c.text, c.heading, d.title FROM chunks c "
            f"JOIN documents d USING (doc_id) {where} ORDER BY c.doc_id, c.seq",
            params,
        )
        return ((r[0], r[1], r[2] if not r[3] else f"{r[3]}\n{r[2]}", r[4]) for r in rows)

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, ChunkRecord]:
        """The records of ``chunk_ids`` that exist. They are shared between calls (the
        records of the current generation are kept): read them, never change them."""
        db = self._db
        if db.in_transaction and not self._local.depth:
            # Inside a write: its rows are not committed, and other threads must not see them.
            return self._read_chunks(chunk_ids)
        with self.reading():
            generation = self.generation
            with self._chunk_records_lock:
                if generation != self._chunk_records_generation:
                    self._chunk_records.clear()
                    self._chunk_records_generation = generation
                found: dict[str, ChunkRecord] = {}
                for chunk_id in chunk_ids:
                    record = self._chunk_records.get(chunk_id)
                    if record is not None:
                        self._chunk_records.move_to_end(chunk_id)
                        found[chunk_id] = record
            read = self._read_chunks([c for c in chunk_ids if c not in found])
        with self._chunk_records_lock:
            if generation == self._chunk_records_generation:
                self._chunk_records.update(read)
                while len(self._chunk_records) > _CHUNK_RECORDS_KEPT:
                    self._chunk_records.popitem(last=False)
        found.update(read)
        return found

    def _read_chunks(self, chunk_ids: Sequence[str]) -> dict[str, ChunkRecord]:
        found: dict[str, ChunkRecord] = {}
        for start in range(0, len(chunk_ids), 500):
            part = chunk_ids[start : start + 500]
            rows = self._db.execute(
                f"SELECT * FROM chunks WHERE chunk_id IN ({','.join('?' * len(part))})", part
            )
            found.update((row["chunk_id"], _row_to_chunk(row)) for row in rows)
        self._load_turns(found)
        return found

    def document_chunks(self, doc_id: str) -> list[ChunkRecord]:
        rows = self._db.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY seq", (doc_id,))
        chunks = {row["chunk_id"]: _row_to_chunk(row) for row in rows}
        self._load_turns(chunks)
        return list(chunks.values())

    def chunk_before(self, chunk: ChunkRecord) -> ChunkRecord | None:
        """The chunk that precedes ``chunk`` in its document (without speaker turns)."""
        row = self._db.execute(
            "SELECT * FROM chunks WHERE doc_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1",
            (chunk.doc_id, chunk.seq),
        ).fetchone()
        return _row_to_chunk(row) if row else None

    def page_chunks(self, doc_id: str, page: int) -> list[ChunkRecord]:
        """The chunks of ``doc_id`` with text on physical ``page``, in order: those that
        start on it and the two that start before it (a chunk ends where the next one
        begins, give or take its overlap), without reading the rest of a long document."""
        rows = self._db.execute(
            "SELECT * FROM chunks WHERE doc_id = ? AND page <= ? AND seq >= COALESCE(("
            "  SELECT seq FROM chunks WHERE doc_id = ? AND page < ? ORDER BY seq DESC LIMIT 1"
            ") - 1, 0) ORDER BY seq",
            (doc_id, page, doc_id, page),
        )
        chunks = {
            row["chunk_id"]: chunk for row in rows if page in (chunk := _row_to_chunk(row)).pages
        }
        self._load_turns(chunks)
        return list(chunks.values())

    def _load_turns(self, chunks: Mapping[str, ChunkRecord]) -> None:
        """Fill in the speaker turns of ``chunks``: only chunks with a (dominant) speaker
        have any worth reading."""
        ids = [cid for cid, chunk in chunks.items() if chunk.speaker is not None]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = self._db.execute(
                "SELECT chunk_id, start, speaker, speaker_role, speaker_party FROM chunk_turns "
                f"WHERE chunk_id IN ({','.join('?' * len(part))}) ORDER BY chunk_id, start",
                part,
            )
            for row in rows:
                chunks[row[0]].turns.append(ChunkTurn(row[1], row[2], row[3], row[4]))

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
        motions: Sequence[dict[str, Any]] = (),
        votes: Sequence[dict[str, Any]] = (),
        references: Sequence[dict[str, Any]] = (),
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
            # revision: the generation this transaction commits (it bumps it by one).
            db.execute(
                "INSERT INTO documents (doc_id, kind, title, date, organisation, "
                "registration_number, parties, outcome, pages, ocr_pages, skipped_pages, "
                "chunks, page_labels, fingerprint, field_pages, revision) VALUES (:doc_id, :kind, "
                ":title, :date, :organisation, :registration_number, :parties, :outcome, :pages, "
                ":ocr_pages, :skipped_pages, :chunks, :page_labels, :fingerprint, :field_pages, "
                "(SELECT CAST(value AS INTEGER) + 1 FROM state WHERE key = 'generation'))",
                document,
            )
            db.executemany(
                "INSERT INTO chunks (chunk_id, doc_id, seq, text, heading, page, spans, boxes, "
                "tokens, speaker, speaker_role, speaker_party) VALUES (:chunk_id, :doc_id, :seq, "
                ":text, :heading, :page, :spans, :boxes, :tokens, :speaker, :speaker_role, "
                ":speaker_party)",
                [
                    {"speaker": None, "speaker_role": None, "speaker_party": None, **c}
                    for c in chunks
                ],
            )
            db.executemany(
                "INSERT INTO chunk_turns (chunk_id, start, speaker, speaker_role, speaker_party) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (c["chunk_id"], turn.start, turn.speaker, turn.role, turn.party)
                    for c in chunks
                    for turn in c.get("turns", ())
                ],
            )
            self._add_facts(db, motions, votes, references)
            self._link(db, file)

    @staticmethod
    def _add_facts(
        db: sqlite3.Connection,
        motions: Sequence[dict[str, Any]],
        votes: Sequence[dict[str, Any]],
        references: Sequence[dict[str, Any]],
    ) -> None:
        """Motions, votes and references read from the document (its old ones went with
        the document row: ON DELETE CASCADE)."""
        db.executemany(
            "INSERT INTO motions (motion_key, origin, doc_id, page, kind, code, title, "
            "ris_number, result, votes_for, votes_against, unanimous, submitters, parties, "
            "meeting_date, evidence, agenda_subject) VALUES (:motion_key, 'pdf', :doc_id, :page, "
            ":kind, :code, :title, :ris_number, :result, :votes_for, :votes_against, :unanimous, "
            ":submitters, :parties, :meeting_date, :evidence, :agenda_subject)",
            motions,
        )
        db.executemany(
            "INSERT INTO votes (motion_key, option, party, member) "
            "VALUES (:motion_key, :option, :party, :member)",
            votes,
        )
        db.executemany(
            "INSERT INTO doc_references (doc_id, role, type, value, page, context) "
            "VALUES (:doc_id, :role, :type, :value, :page, :context)",
            references,
        )

    def read(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Rows of a read-only query (for the council and dossier queries built on the
        catalog's tables)."""
        return self._db.execute(sql, params).fetchall()

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

    def reset_embeddings(self, *, pending_key: str) -> None:
        """Mark every chunk as needing a vector and set the state flag ``pending_key``, in
        one transaction: until the flag is cleared, the old vectors are to be dropped (a
        kill before that leaves a flag the next run acts on, never chunks marked embedded
        without vectors)."""
        with self.transaction() as db:
            db.execute("UPDATE chunks SET embedded = 0")
            db.execute("DELETE FROM tombstones")
            self.set_state(pending_key, "1")

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
        # Only chunks with a vector need one deleted (so a keyword-only index never opens
        # the vector store). A vector stored by a run killed before it set the flag stays
        # behind; the catalog decides what exists, so retrieval never shows it.
        db.execute(
            "INSERT OR IGNORE INTO tombstones "
            "SELECT chunk_id FROM chunks WHERE doc_id = ? AND embedded = 1",
            (doc_id,),
        )
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))


def _marks(values: Sequence[str]) -> str:
    return ",".join("?" * len(values))


def _visible_clause(hidden: Collection[str]) -> str:
    """SQL: the row's ``doc_id`` has a file outside the hidden collections (parameters:
    ``sorted(hidden)``)."""
    return (
        "doc_id IN (SELECT doc_id FROM files WHERE collection NOT IN "
        f"({','.join('?' * len(hidden))}))"
    )


def _council_filters(
    parties: Sequence[str],
    submitters: Sequence[str],
    results: Sequence[str],
    meetings: Sequence[str],
) -> tuple[list[str], list[Any]]:
    """SQL clauses (on ``documents``) for the council filters of ``filter_documents``."""
    clauses: list[str] = []
    params: list[Any] = []
    # A RIS document's catalog doc_id: through the file it was downloaded to.
    ris_docs = (
        "SELECT f.doc_id, e.entity_id, e.meeting_id FROM files f "
        "JOIN ris_entities e ON e.abs_path = f.abs_path"
    )
    if parties:
        clauses.append(
            "(EXISTS (SELECT 1 FROM json_each(documents.parties) "
            f"WHERE value IN ({_marks(parties)}))"
            " OR doc_id IN (SELECT r.doc_id FROM (" + ris_docs + ") r JOIN motions m"
            " ON m.origin = 'ris' AND instr(m.attachment_ids, '\"' || r.entity_id || '\"')"
            f" JOIN json_each(m.parties) p WHERE p.value IN ({_marks(parties)})))"
        )
        params += list(parties) * 2
    for name in submitters:
        pattern = f"%{_escape_like(name.lower())}%"
        clauses.append(
            "doc_id IN (SELECT m.doc_id FROM motions m JOIN documents d ON d.doc_id = m.doc_id"
            " WHERE d.kind IN ('motie', 'amendement') AND lower(m.submitters) LIKE ? ESCAPE '\\'"
            " UNION SELECT r.doc_id FROM (" + ris_docs + ") r JOIN motions m ON m.origin = 'ris'"
            " AND instr(m.attachment_ids, '\"' || r.entity_id || '\"')"
            " WHERE lower(m.submitters) LIKE ? ESCAPE '\\')"
        )
        params += [pattern, pattern]
    if results:
        marks = _marks(results)
        clauses.append(
            f"(outcome IN ({marks}) OR doc_id IN ("
            # the motion's own row, and every row that records the same motion elsewhere
            "SELECT own.doc_id FROM motions own JOIN documents d ON d.doc_id = own.doc_id"
            " JOIN motions other ON ((own.code IS NOT NULL AND other.code = own.code"
            " AND other.meeting_date = own.meeting_date) OR (own.ris_number IS NOT NULL"
            f" AND other.ris_number = own.ris_number)) AND other.result IN ({marks})"
            " WHERE d.kind IN ('motie', 'amendement')"
            " UNION SELECT r.doc_id FROM (" + ris_docs + ") r JOIN motions m ON m.origin = 'ris'"
            " AND instr(m.attachment_ids, '\"' || r.entity_id || '\"')"
            f" WHERE m.result IN ({marks})))"
        )
        params += list(results) * 3
    if meetings:
        marks = _marks(meetings)
        clauses.append(
            "doc_id IN ("
            "SELECT doc_id FROM documents WHERE kind IN ('notulen', 'besluitenlijst') "
            f"AND date IN ({marks})"
            " UNION SELECT m.doc_id FROM motions m JOIN documents d ON d.doc_id = m.doc_id"
            f" WHERE d.kind IN ('motie', 'amendement') AND m.meeting_date IN ({marks})"
            " UNION SELECT r.doc_id FROM (" + ris_docs + ") r LEFT JOIN meetings mt"
            f" ON mt.meeting_id = r.meeting_id WHERE r.meeting_id IN ({marks})"
            f" OR mt.date IN ({marks})"
            " UNION SELECT r.doc_id FROM (" + ris_docs + ") r JOIN agenda_documents ad"
            " ON ad.entity_id = r.entity_id JOIN agenda_items ai ON ai.item_id = ad.item_id"
            f" JOIN meetings mt ON mt.meeting_id = ai.meeting_id WHERE mt.meeting_id IN ({marks})"
            f" OR mt.date IN ({marks}))"
        )
        params += list(meetings) * 6
    return clauses, params


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
