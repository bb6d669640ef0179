"""Ingestion: files → parsed pages → metadata → chunks → catalog (keyword-searchable at
once) → vectors (catching up afterwards, resumable).

Incremental and idempotent: files are identified by content (sha256). Unchanged files
cost one hash; a changed file replaces its old chunks; identical content under two
names is stored once with both names; files gone from a scanned folder are removed.
A bad file is reported in one line and never touches what is already stored, nor stops
the others (a file name that is not valid UTF-8 included).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .cache import PipelineCache
from .child import ChildProcess
from .chunk import Chunk, chunk_document
from .embed import Embedder, in_bulk
from .errors import InputError, RaadsinzichtError
from .inbox import ROOT_COLLECTION, display_name
from .index.bm25 import KeywordIndex
from .index.catalog import Catalog, ChunkTurn, FileRecord
from .index.vector import SharedVectors
from .jobs import BACKGROUND_NICENESS
from .metadata import DocumentMetadata, MetadataRules, extract_metadata
from .motions import MotionFact, extract_motions
from .parse import ParsedDocument, parse_pdf
from .references import Reference, extract_references
from .settings import Settings
from .speakers import Turn, find_turns

__all__ = [
    "ROOT_COLLECTION",
    "FailedFile",
    "IngestReport",
    "Ingestor",
    "ProgressCallback",
    "discover",
]

log = logging.getLogger(__name__)

# stage ("parse" | "embed"), done, total, detail. It is called before each document and
# each embedding batch, and may raise to stop the run there: what is stored stays
# consistent (one transaction per document; vectors marked only once stored).
ProgressCallback = Callable[[str, int, int, str], None]


@dataclass(frozen=True, slots=True)
class FailedFile:
    file: str  # printable (``display_name``)
    error: str


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[FailedFile] = field(default_factory=list)
    # Totals of the index after the run:
    documents: int = 0
    pages: int = 0
    ocr_pages: int = 0
    skipped_pages: int = 0
    chunks: int = 0
    embedded: int = 0  # chunks embedded in this run
    pending_embeddings: int = 0  # chunks still waiting for a vector (keyword-searchable)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 2)
        return data

    def summary_line(self) -> str:
        """How the run went, in one Dutch line (the audit log's answer)."""
        return (
            f"{self.added} nieuw, {self.updated} gewijzigd, {self.unchanged} ongewijzigd, "
            f"{self.removed} verwijderd, {len(self.failed)} mislukt"
        )


@dataclass(frozen=True, slots=True)
class _Candidate:
    path: Path  # absolute
    rel_path: str  # relative to its ingest root, POSIX separators
    root: Path
    collection: str


def _collection_of(rel_path: str) -> str:
    parts = rel_path.split("/")
    return parts[0] if len(parts) > 1 else ROOT_COLLECTION


def discover(
    paths: Iterable[Path], ingest_dir: Path
) -> tuple[list[_Candidate], list[FailedFile], list[Path]]:
    """Expand files and folders into candidate PDFs.

    Paths inside ``ingest_dir`` are taken relative to it (so subfolders stay collections);
    any other folder is its own root, any other file is relative to its own folder.
    Returns the candidates, the arguments that cannot be used, and the folders scanned
    completely (files missing from those are removed from the index).
    """
    inbox = ingest_dir.resolve()
    candidates: dict[Path, _Candidate] = {}
    failed: list[FailedFile] = []
    scanned: list[Path] = []

    def root_for(path: Path, default: Path) -> Path:
        return inbox if path.is_relative_to(inbox) else default

    for given in paths:
        path = given.resolve()
        if path.is_dir():
            root = root_for(path, path)
            scanned.append(path)
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
        elif path.is_file():
            root = root_for(path, path.parent)
            if path.suffix.lower() != ".pdf":
                failed.append(
                    FailedFile(display_name(str(given)), "geen PDF-bestand (extensie is niet .pdf)")
                )
                continue
            files = [path]
        else:
            failed.append(FailedFile(display_name(str(given)), "bestand of map bestaat niet"))
            continue
        for file in files:
            rel = file.relative_to(root).as_posix()
            if not _is_utf8(str(file)):
                # The catalog (and every screen) needs text; such a name cannot be stored.
                failed.append(FailedFile(display_name(rel), _NOT_UTF8))
                continue
            candidates[file] = _Candidate(file, rel, root, _collection_of(rel))
    return list(candidates.values()), failed, scanned


_COMPACT_EVERY = 25  # documents stored between two checks of the keyword index's size

_NOT_UTF8 = (
    "de bestandsnaam is geen geldige UTF-8 (bijvoorbeeld een naam uit een oud Windows-"
    "systeem); geef het bestand een nieuwe naam en indexeer opnieuw"
)


def _is_utf8(name: str) -> bool:
    """False for names with bytes that are not UTF-8 (Python keeps them as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(slots=True)
class PreparedDocument:
    """Everything stored for one document, computed before the single write."""

    parsed: ParsedDocument
    metadata: DocumentMetadata
    chunks: list[Chunk]
    turns: list[Turn] = field(default_factory=list)  # speaker turns (minutes only)
    motions: list[MotionFact] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


def prepare_document(
    path: Path, settings: Settings, *, cache: PipelineCache | None = None
) -> PreparedDocument:
    """Parse, describe and chunk one PDF (touches no index; ``cache`` reuses OCR)."""
    parsed = parse_pdf(
        path,
        ocr=settings.parsing.ocr,
        ocr_language=settings.parsing.ocr_language,
        ocr_dpi=settings.parsing.ocr_dpi,
        cache=cache,
    )
    headings = [b.text for page in parsed.pages[:3] for b in page.blocks if b.kind == "heading"]
    metadata = extract_metadata(
        [page.text for page in parsed.pages],
        headings=headings,
        pdf_metadata=parsed.pdf_metadata,
        rules=MetadataRules.from_settings(settings.metadata),
    )
    if not metadata.title:
        metadata.title = path.stem.replace("_", " ").replace("-", " ")
    # Minutes: speaker turns are structure inside normal-sized chunks (each chunk knows
    # where each turn it holds begins), not chunk boundaries.
    turns = find_turns(parsed.pages) if metadata.kind == "notulen" else []
    chunks = chunk_document(
        parsed, settings.chunking, boundaries=[(turn.page, turn.start) for turn in turns]
    )
    pages = [(page.number, page.text) for page in parsed.pages]
    motions = extract_motions(
        pages,
        kind=metadata.kind,
        title=metadata.title,
        doc_date=metadata.date,
        parties=metadata.parties,
        outcome=metadata.outcome,
        outcome_page=metadata.pages.get("outcome"),
        registration_number=metadata.registration_number,
    )
    references = extract_references(pages, registration_number=metadata.registration_number)
    return PreparedDocument(parsed, metadata, chunks, turns, motions, references)


_child_cache: PipelineCache | None = None  # in a parsing child process: its own connection


def _prepare_in_child(path: Path, settings: Settings) -> PreparedDocument:
    global _child_cache
    if _child_cache is None:
        _child_cache = PipelineCache(settings.pipeline_cache_path)
    return prepare_document(path, settings, cache=_child_cache)


def _background_priority() -> None:
    """Parsing and OCR are background work: at a lower CPU priority the searches and
    answers of the people using the app go first on a machine with few cores."""
    os.nice(BACKGROUND_NICENESS)


class ParsingProcess:
    """Parses documents in a child process. PyMuPDF holds Python's global lock while it
    renders and OCRs a page (2 s per scanned page, measured): in the web app that would
    stall every other request. The child is started once (spawned) and reused; a job
    that is cancelled while the child parses stops it at once."""

    def __init__(self) -> None:
        self._child = ChildProcess(initializer=_background_priority)

    def prepare(
        self, path: Path, settings: Settings, heartbeat: Callable[[], None] | None
    ) -> PreparedDocument:
        """``prepare_document`` in the child; ``heartbeat`` runs every second while it
        works and may raise (a cancel) to stop it."""
        future: Future[PreparedDocument] = self._child.pool().submit(
            _prepare_in_child, path, settings
        )
        try:
            while True:
                try:
                    return future.result(timeout=1.0)
                except TimeoutError:
                    if heartbeat:
                        heartbeat()
        except BrokenProcessPool as exc:
            self.close()
            raise InputError("het lezen van dit bestand liet het leesproces vastlopen") from exc
        except BaseException:
            if not future.done():
                self.close(kill=True)  # cancelled mid-document: do not wait for the page
            raise

    def close(self, *, kill: bool = False) -> None:
        self._child.stop(kill=kill)


def _document_row(doc_id: str, prepared: PreparedDocument, fingerprint: str) -> dict[str, Any]:
    meta = prepared.metadata
    pages = prepared.parsed.pages
    return {
        "doc_id": doc_id,
        "kind": meta.kind,
        "title": meta.title,
        "date": meta.date.isoformat() if meta.date else None,
        "organisation": meta.organisation,
        "registration_number": meta.registration_number,
        "parties": json.dumps(meta.parties, ensure_ascii=False),
        "outcome": meta.outcome,
        "pages": len(pages),
        "ocr_pages": prepared.parsed.ocr_pages,
        "skipped_pages": prepared.parsed.skipped_pages,
        "chunks": len(prepared.chunks),
        "page_labels": json.dumps([page.label for page in pages], ensure_ascii=False),
        "fingerprint": fingerprint,
        "field_pages": json.dumps(meta.pages),
    }


def _chunk_turns(chunk: Chunk, turns: Sequence[Turn]) -> list[ChunkTurn]:
    """The turns ``chunk`` holds, at their offsets in its text (narration and the text
    before the first turn: no speaker)."""
    out: list[ChunkTurn] = []
    for offset, segment in chunk.segments:
        turn = turns[segment] if 0 <= segment < len(turns) else None
        out.append(
            ChunkTurn(offset, turn.speaker, turn.role, turn.party)
            if turn
            else ChunkTurn(offset, None, None, None)
        )
    return out


def _dominant(chunk_turns: Sequence[ChunkTurn], length: int) -> ChunkTurn | None:
    """The turn of the speaker with the most text in the chunk (None: nobody speaks)."""
    if not chunk_turns:
        return None
    spoken: dict[tuple[str, str | None, str | None], int] = {}
    ends = [turn.start for turn in chunk_turns[1:]] + [length]
    for turn, end in zip(chunk_turns, ends, strict=True):
        if turn.speaker:
            key = (turn.speaker, turn.role, turn.party)
            spoken[key] = spoken.get(key, 0) + end - turn.start
    if not spoken:
        return None
    speaker, role, party = max(spoken, key=lambda key: spoken[key])
    return ChunkTurn(0, speaker, role, party)


def _chunk_rows(
    doc_id: str, chunks: Sequence[Chunk], turns: Sequence[Turn] = ()
) -> list[dict[str, Any]]:
    rows = []
    for chunk in chunks:
        chunk_turns = _chunk_turns(chunk, turns) if turns else []
        dominant = _dominant(chunk_turns, len(chunk.text))
        rows.append(
            {
                "chunk_id": f"{doc_id[:24]}-{chunk.seq:05d}",
                "doc_id": doc_id,
                "seq": chunk.seq,
                "text": chunk.text,
                "heading": chunk.heading,
                "page": chunk.pages[0],
                "spans": json.dumps([[s.page, s.start, s.end] for s in chunk.spans]),
                "boxes": json.dumps(
                    [[page, *(round(v, 1) for v in box)] for page, box in chunk.boxes]
                ),
                "tokens": chunk.tokens,
                "speaker": dominant.speaker if dominant else None,
                "speaker_role": dominant.role if dominant else None,
                "speaker_party": dominant.party if dominant else None,
                "turns": chunk_turns,
            }
        )
    return rows


def _fact_rows(
    doc_id: str, prepared: PreparedDocument
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Catalog rows of the motions, votes and references read from a document."""
    motions, votes = [], []
    for number, fact in enumerate(prepared.motions):
        key = f"{doc_id}#{number}"
        motions.append(
            {
                "motion_key": key,
                "doc_id": doc_id,
                "page": fact.page,
                "kind": fact.kind,
                "code": fact.code,
                "title": fact.title,
                "ris_number": fact.ris_number,
                "result": fact.result,
                "votes_for": fact.votes_for,
                "votes_against": fact.votes_against,
                "unanimous": int(fact.unanimous),
                "submitters": json.dumps(fact.submitters, ensure_ascii=False),
                "parties": json.dumps(fact.parties, ensure_ascii=False),
                "meeting_date": fact.meeting_date.isoformat() if fact.meeting_date else None,
                "evidence": fact.evidence,
                "agenda_subject": fact.agenda_subject,
            }
        )
        votes += [
            {"motion_key": key, "option": v.option, "party": v.party, "member": v.member}
            for v in fact.votes
        ]
    references = [
        {
            "doc_id": doc_id,
            "role": r.role,
            "type": r.type,
            "value": r.value,
            "page": r.page,
            "context": r.context,
        }
        for r in prepared.references
    ]
    return motions, votes, references


def embedding_text(title: str, heading: str, text: str) -> str:
    """What the embedder sees for a chunk: its document's title and section give context."""
    parts = [title]
    if heading and heading not in text[:200]:
        parts.append(heading)
    parts.append(text)
    return "\n".join(parts)


def _heartbeat(
    progress: ProgressCallback | None, done: int, total: int, detail: str
) -> Callable[[], None] | None:
    if progress is None:
        return None
    return lambda: progress("parse", done, total, detail)


class Ingestor:
    def __init__(
        self,
        settings: Settings,
        *,
        catalog: Catalog,
        keyword_index: KeywordIndex,
        vectors: SharedVectors,
        embedder: Callable[[], Embedder],
        parsing_process: bool = False,
    ) -> None:
        self._settings = settings
        self._catalog = catalog
        self._keywords = keyword_index
        # Opened lazily: an unchanged re-ingest must not pay for loading models.
        self._vectors = vectors
        self._embedder = embedder
        self._cache: PipelineCache | None = None
        # In a server: parse in a child process (see ParsingProcess).
        self._parsing = ParsingProcess() if parsing_process else None

    @property
    def cache(self) -> PipelineCache:
        if self._cache is None:
            self._cache = PipelineCache(self._settings.pipeline_cache_path)
        return self._cache

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        if self._parsing is not None:
            self._parsing.close(kill=True)  # a server stopping does not wait for a page

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        embed: bool = True,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        candidates, failed, scanned = discover(paths, self._settings.ingest_dir)
        report.failed.extend(failed)
        fingerprint = self._settings.index_fingerprint()
        seen: set[str] = set()
        warned: set[str] = set()

        for done, candidate in enumerate(candidates):
            shown = display_name(candidate.rel_path)
            if progress:  # outside the try: it may raise to stop the run here
                progress("parse", done, len(candidates), shown)
            seen.add(str(candidate.path))
            heartbeat = _heartbeat(progress, done, len(candidates), shown)
            try:
                outcome = self._ingest_file(candidate, fingerprint, report, warned, heartbeat)
            except InputError as exc:
                report.failed.append(FailedFile(shown, str(exc)))
                continue
            except OSError as exc:
                report.failed.append(
                    FailedFile(shown, f"kan niet gelezen worden: {exc.strerror or exc}")
                )
                continue
            except RaadsinzichtError:  # a backend failed, or the run was cancelled: stop
                raise
            except Exception:  # one file's surprise must not stop the batch (or the server)
                log.exception("onverwachte fout bij %s", shown)
                report.failed.append(FailedFile(shown, "onverwachte fout; zie het log"))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "unchanged" and (report.added + report.updated) % _COMPACT_EVERY == 0:
                # A long run keeps the keyword index's delta (re-read by every reader
                # after each document) small: a new base once it outgrew the old one.
                self._keywords.refresh(self._catalog, compact=True)
        if progress:
            progress("parse", len(candidates), len(candidates), "")

        gone = [
            record.abs_path
            for root in scanned
            for record in self._catalog.files_under(str(self._root_key(root)))
            if record.abs_path not in seen and not Path(record.abs_path).exists()
        ]
        if gone:
            self._catalog.unlink_files(gone)
            report.removed = len(gone)

        self._keywords.refresh(self._catalog, compact=True)
        if embed:
            report.embedded = self.embed_pending(progress=progress)
        report.pending_embeddings = self._catalog.count_pending_embeddings()
        for key, value in self._catalog.totals().items():
            setattr(report, key, value)
        report.seconds = time.perf_counter() - started
        return report

    def _root_key(self, path: Path) -> Path:
        inbox = self._settings.ingest_dir.resolve()
        return inbox if path.is_relative_to(inbox) else path

    def _ingest_file(
        self,
        candidate: _Candidate,
        fingerprint: str,
        report: IngestReport,
        warned: set[str],
        heartbeat: Callable[[], None] | None,
    ) -> str:
        """Bring one file up to date; returns 'added', 'updated' or 'unchanged'."""
        stat = candidate.path.stat()
        doc_id = sha256_of(candidate.path)
        existing = self._catalog.file(str(candidate.path))
        record = FileRecord(
            abs_path=str(candidate.path),
            rel_path=candidate.rel_path,
            root=str(candidate.root),
            collection=candidate.collection,
            doc_id=doc_id,
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
        )
        current = self._catalog.document_fingerprint(doc_id) == fingerprint
        if existing and existing.doc_id == doc_id and current:
            if existing.rel_path != record.rel_path or existing.collection != record.collection:
                self._catalog.link_file(record)
            return "unchanged"
        outcome = "updated" if existing else "added"
        if current:
            self._catalog.link_file(record)  # same bytes already stored under another name
            return outcome
        if self._parsing is not None:
            prepared = self._parsing.prepare(candidate.path, self._settings, heartbeat)
        else:
            prepared = prepare_document(candidate.path, self._settings, cache=self.cache)
        for warning in prepared.parsed.warnings:
            if warning not in warned:
                warned.add(warning)
                report.warnings.append(warning)
        motions, votes, references = _fact_rows(doc_id, prepared)
        self._catalog.add_document(
            document=_document_row(doc_id, prepared, fingerprint),
            chunks=_chunk_rows(doc_id, prepared.chunks, prepared.turns),
            file=record,
            motions=motions,
            votes=votes,
            references=references,
        )
        return outcome

    def embed_pending(self, *, progress: ProgressCallback | None = None) -> int:
        """Store vectors for every chunk that has none yet; resumable after any crash."""
        total = self._catalog.count_pending_embeddings()
        tombstones = self._catalog.tombstones()
        if not total and not tombstones:
            return 0
        with self._vectors.writing() as store:
            if tombstones:
                store.delete(tombstones)
                self._catalog.clear_tombstones(tombstones)
            if not total:
                return 0
            embedder = self._embedder()
            batch_size = self._settings.embedding.batch_size
            done = 0
            while True:
                batch = self._catalog.pending_embeddings(batch_size)
                if not batch:
                    break
                if progress:
                    progress("embed", done, total, "")
                texts = [embedding_text(t, heading, text) for _, _, text, heading, t in batch]
                vectors = self._passage_vectors(embedder, texts)
                chunk_ids = [row[0] for row in batch]
                store.upsert(chunk_ids, [row[1] for row in batch], vectors)
                self._catalog.mark_embedded(chunk_ids)
                done += len(batch)
            if progress:
                progress("embed", done, total, "")
            return done

    def _passage_vectors(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts``: from the cache where the same text was embedded before."""
        cached = self.cache.vectors(embedder.name, texts, embedder.dimension)
        missing = [i for i, vector in enumerate(cached) if vector is None]
        if missing:
            with in_bulk(embedder):
                fresh = embedder.embed_passages([texts[i] for i in missing])
            self.cache.store_vectors(embedder.name, [texts[i] for i in missing], fresh)
            for i, vector in zip(missing, fresh, strict=True):
                cached[i] = vector
        return np.stack([v for v in cached if v is not None]).astype(np.float32)
