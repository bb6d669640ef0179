"""The library API and composition root: ``build_engine(settings)`` wires catalog,
keyword index, vector store, embedder and background jobs; the CLI and the web UI only
call an Engine.

Concurrency is the Engine's: reads (search, answers, lists) run on any thread at any time
and never wait for a writer; writes (ingest, remove) take the writer lock of the data
directory, one at a time across processes. In the web app writes run as background jobs
(``upload``, ``reindex_in_background``, ``remove_in_background``).

Every read operation takes the requesting ``user`` (recorded in the audit log where the
operation is audited), so that per-user access can be enforced here later.

Heavy modules (llama-index, pymupdf, deduce, chromadb, the models) are imported where an
operation needs them: ``raadsinzicht --help`` and a keyword search start fast.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit import AuditLog, AuditRecord, Feedback
from .dates import parse_date
from .errors import InputError, RaadsinzichtError
from .inbox import InboxEntry, add_to_inbox, display_name, move_to_trash, sanitize_collection
from .index.bm25 import KeywordIndex
from .index.catalog import Catalog, DocumentRecord, FileRecord
from .index.vector import UNAVAILABLE_NOTE, VECTORS_STALE, SharedVectors, VectorStore
from .jobs import Job, JobCancelledError, JobContext, JobManager
from .retrieve import HybridRetriever, SearchFilters, SearchHit, truncate_query
from .settings import Settings
from .speakers import SpeakerSummary

if TYPE_CHECKING:
    from .algoritmeregister import RegisterField
    from .answer import Answer, Answerer
    from .bezwaar import BezwaarIntake
    from .dossier import Dossier
    from .embed import Embedder
    from .impact import ImpactReport
    from .index.council import VoteFact
    from .ingest import Ingestor, IngestReport, ProgressCallback
    from .intent import QuestionIntent
    from .llm import LLM
    from .privacy import Pseudonymizer
    from .prompts import PromptLibrary
    from .redact import RedactionReport
    from .retention import PurgeReport
    from .summarize import Summary, SummaryProgress
    from .sync import SyncReport

__all__ = [
    "Engine",
    "IndexStatus",
    "Removal",
    "SearchResults",
    "UploadReceipt",
    "build_engine",
    "parse_day",
    "search_filters",
]

_WRITER_LOCK = "ingest.lock"
_WRITER_POLL_SECONDS = 1.0
_AUDIT_LIMIT = 500


class SearchResults(list["SearchHit"]):
    """Search hits (a list), with notes for the user (e.g. that the query was shortened)."""

    def __init__(self, hits: Sequence[SearchHit] = (), notes: Sequence[str] = ()) -> None:
        super().__init__(hits)
        self.notes = list(notes)


@dataclass(frozen=True, slots=True)
class Removal:
    file: str  # relative path, printable
    trashed: Path | None  # where the file went when it was in the inbox


@dataclass(slots=True)
class UploadReceipt:
    """What ``upload`` did at once: each offered file (taken or refused, with the reason)
    and the background job that indexes the taken ones."""

    entries: list[InboxEntry]
    job: Job | None


@dataclass(slots=True)
class IndexStatus:
    documents: int
    pages: int
    ocr_pages: int
    chunks: int
    pending_embeddings: int
    disk_bytes: int
    active_jobs: list[Job] = field(default_factory=list)
    vectors_unavailable: bool = False  # another process is writing an embedded store


def parse_day(value: str | None, label: str) -> date | None:
    """A date typed by a user (``label`` names the field in the error), or None if blank."""
    if value is None or not value.strip():
        return None
    parsed = parse_date(value.strip())
    if parsed is None:
        raise InputError(f"{label}: '{value}' is geen datum (bijvoorbeeld 2025-01-31).")
    return parsed


def search_filters(
    *,
    kinds: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    collections: Sequence[str] | None = None,
    organisations: Sequence[str] | None = None,
    labels: tuple[str, str] = ("Vanaf", "Tot en met"),
) -> SearchFilters:
    """Filters as typed in either shell, checked (Dutch InputError on a bad value)."""
    from .metadata import DOCUMENT_KINDS

    unknown = [k for k in kinds or () if k not in DOCUMENT_KINDS]
    if unknown:
        raise InputError(
            f"onbekende soort {', '.join(unknown)}; kies uit: {', '.join(DOCUMENT_KINDS)}"
        )
    return SearchFilters(
        kinds=tuple(kinds or ()),
        since=parse_day(since, labels[0]),
        until=parse_day(until, labels[1]),
        collections=tuple(collections or ()),
        organisations=tuple(organisations or ()),
    )

# Audit actions a user can judge with a thumb up or down (answers, summaries, intakes).
JUDGEABLE_ACTIONS = ("ask", "summarize", "bezwaar")
MAX_COMMENT = 2000  # characters of a feedback comment


class Engine:
    """``parsing_process``: parse documents in a child process (a server: see
    ``ingest.ParsingProcess``)."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        llm: LLM | None = None,
        parsing_process: bool = False,
    ) -> None:
        self.settings = settings
        self._parsing_process = parsing_process
        self.home = settings.home
        self.home.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.home / "catalog.sqlite3")
        self.keyword_index = KeywordIndex(self.home)
        self._embedder = embedder
        self._llm = llm
        # Each component is built once, by the first thread that needs it.
        self._component_lock = threading.Lock()
        self._embedder_lock = threading.Lock()
        self._llm_lock = threading.Lock()
        self.vectors = SharedVectors(
            settings.vector_store, home=self.home, catalog=self.catalog, embedder=self.embedder
        )
        self._audit: AuditLog | None = None
        self._prompts: PromptLibrary | None = None
        self._ingestor_: Ingestor | None = None
        self._jobs: JobManager | None = None
        self._writer_holder = threading.local()
        self._chunk_total: tuple[int, int] | None = None  # (catalog generation, chunks)
        self.retriever = HybridRetriever(
            settings.retrieval,
            catalog=self.catalog,
            keyword_index=self.keyword_index,
            vectors=self._searchable_vectors,
        )

    # -- components (lazy: a keyword search or an unchanged re-ingest loads no model) ----

    def embedder(self) -> Embedder:
        with self._embedder_lock:
            if self._embedder is None:
                from .embed import build_embedder

                self._embedder = build_embedder(self.settings.embedding)
            return self._embedder

    def vector_store(self) -> VectorStore:
        return self.vectors.store()

    def llm(self) -> LLM:
        """The language model; only built when an answer or summary is asked for, so
        search keeps working without any model."""
        with self._llm_lock:
            if self._llm is None:
                from .llm import build_llm

                self._llm = build_llm(self.settings.llm, home=self.home)
            return self._llm

    @property
    def audit(self) -> AuditLog:
        with self._component_lock:
            if self._audit is None:
                self._audit = AuditLog(self.home / "audit.sqlite3")
            return self._audit

    @property
    def prompts(self) -> PromptLibrary:
        with self._component_lock:
            if self._prompts is None:
                from .prompts import PromptLibrary

                self._prompts = PromptLibrary(self.settings.prompts_dir)
            return self._prompts

    @property
    def jobs(self) -> JobManager:
        """Background jobs of this data directory (``raadsinzicht jobs``, the Documenten tab)."""
        with self._component_lock:
            if self._jobs is None:
                self._jobs = JobManager(
                    self.home / "jobs.sqlite3",
                    {
                        "upload": self._run_upload,
                        "reindex": self._run_reindex,
                        "remove": self._run_remove,
                    },
                )
            return self._jobs

    def _ingestor(self) -> Ingestor:
        with self._component_lock:
            if self._ingestor_ is None:
                from .ingest import Ingestor

                self._ingestor_ = Ingestor(
                    self.settings,
                    catalog=self.catalog,
                    keyword_index=self.keyword_index,
                    vectors=self.vectors,
                    embedder=self.embedder,
                    parsing_process=self._parsing_process,
                )
            return self._ingestor_

    def _answerer(self) -> Answerer:
        from .answer import Answerer

        return Answerer(
            self.settings,
            search=self.search,
            llm=self.llm,
            audit=self.audit,
            prompts=self.prompts,
            term_weights=self._question_weights,
        )

    def _question_weights(self, question: str) -> dict[str, float]:
        from .grounding import question_weights

        self.keyword_index.refresh(self.catalog)
        return question_weights(question, self.keyword_index.idf, self.keyword_index.max_idf)

    def _has_vectors(self) -> bool:
        """Whether any chunk has its vector stored. The chunk total changes only with the
        catalog's generation and is counted once per generation (a count of every chunk
        took ~25 ms at 1M chunks, twice per search); the pending ones are counted through
        their partial index (none, usually)."""
        total = self._chunk_total
        if total is None or total[0] != self.catalog.generation:
            with self.catalog.reading():
                total = self._chunk_total = (self.catalog.generation, self.catalog.count_chunks())
        return total[1] > self.catalog.count_pending_embeddings()

    def _searchable_vectors(self) -> tuple[VectorStore, Embedder] | None:
        """The vector store and the embedder for a query; None when no chunk has a vector
        yet (no model is loaded) or another process writes into the embedded store."""
        if not self._has_vectors():
            return None
        store = self.vectors.reader()
        return None if store is None else (store, self.embedder())

    # -- the writer lock ----------------------------------------------------------------------

    @contextmanager
    def _writer(self, context: JobContext | None = None) -> Iterator[None]:
        """One writer at a time per data directory, across threads and processes. A job
        waits its turn (and can be cancelled while it waits); anything else is refused
        with a clear message at once."""
        from filelock import FileLock, Timeout

        if getattr(self._writer_holder, "depth", 0):  # this thread holds it already
            self._writer_holder.depth += 1
            try:
                yield
            finally:
                self._writer_holder.depth -= 1
            return
        lock = FileLock(self.home / _WRITER_LOCK)
        while True:
            try:
                lock.acquire(timeout=_WRITER_POLL_SECONDS if context else 0)
                break
            except Timeout as exc:
                if context is None:
                    raise RaadsinzichtError(self._busy_message()) from exc
                context.progress("wait", 0, 0, "")  # raises when cancelled
        self._writer_holder.depth = 1
        try:
            yield
        finally:
            self._writer_holder.depth = 0
            lock.release()

    def _busy_message(self) -> str:
        running = [
            job
            for job in self.jobs.list(limit=10, active_only=True)
            if job.status == "running" and job.pid != os.getpid()  # not this command's own
        ]
        what = f" (taak {running[0].id}: {running[0].description})" if running else ""
        return (
            f"Er loopt al een indexering in {self.home}{what}; wacht tot die klaar is "
            "(`raadsinzicht jobs`)."
        )

    # -- writing ------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        *,
        embed: bool = True,
        reindex: bool = False,
        progress: ProgressCallback | None = None,
        context: JobContext | None = None,
    ) -> IngestReport:
        """Bring the index up to date with ``paths`` (default: the ingest folder).

        ``reindex``: compute every vector again (another embedder). The catalog's flags are
        reset together with a note that the old vectors are to be dropped, in one
        transaction; the drop follows before the first new vector is written, also after a
        kill in between. ``progress`` may raise to stop between documents."""
        with self._writer(context):
            if reindex:
                self.catalog.reset_embeddings(pending_key=VECTORS_STALE)
            return self._ingestor().ingest(
                list(paths) if paths else [self.settings.ingest_dir],
                embed=embed,
                progress=progress or (context.progress if context else None),
            )

    def embed_pending(self, *, progress: ProgressCallback | None = None) -> int:
        with self._writer():
            return self._ingestor().embed_pending(progress=progress)

    def upload(
        self, files: Sequence[tuple[Path, str]], collection: str | None, *, user: str | None
    ) -> UploadReceipt:
        """Take offered PDFs ((temporary path, name offered)) into the inbox under the
        upload rules (safe name, real PDF, size limit, free name) and index them in a
        background job; returns at once."""
        inbox = self.settings.ingest_dir.resolve()
        entries = add_to_inbox(inbox, files, collection, limit_mb=self.settings.web.max_upload_mb)
        taken = [entry for entry in entries if entry.target is not None]
        if not taken:
            return UploadReceipt(entries, None)
        names = ", ".join(display_name(entry.name) for entry in taken)
        job = self.jobs.submit(
            "upload",
            f"Upload: {names[:200]}",
            {
                "files": [
                    {"name": e.name, "path": str(e.target), "created": e.created} for e in taken
                ],
                "collection": sanitize_collection(collection),
            },
            user=user,
        )
        return UploadReceipt(entries, job)

    def _run_upload(self, context: JobContext) -> dict[str, Any]:
        from .ingest import ROOT_COLLECTION

        files = context.params["files"]
        inbox = self.settings.ingest_dir.resolve()
        try:
            report = self.ingest([Path(f["path"]) for f in files], context=context)
        except JobCancelledError as exc:
            # Cancelled uploads leave nothing behind for the next re-index to pick up.
            left = [
                Path(f["path"])
                for f in files
                if f["created"] and self.catalog.file(str(Path(f["path"]).resolve())) is None
            ]
            for path in left:
                path.unlink(missing_ok=True)
            raise JobCancelledError(
                f"{exc} {len(left)} bestand(en) niet geïndexeerd en uit de invoermap gehaald."
            ) from exc
        failed = {f.file: f.error for f in report.failed}
        collection = context.params.get("collection") or ROOT_COLLECTION
        outcomes = []
        for item in files:
            target = Path(item["path"])
            rel = display_name(target.relative_to(inbox).as_posix())
            error = failed.get(rel) or failed.get(display_name(str(target)))
            if error:
                if item["created"]:
                    target.unlink(missing_ok=True)  # no bad file left in the inbox
                outcomes.append({"name": item["name"], "ok": False, "message": error})
                continue
            renamed = f" (opgeslagen als {target.name})" if target.name != item["name"] else ""
            outcomes.append(
                {
                    "name": item["name"],
                    "ok": True,
                    "message": f"geïndexeerd in collectie {collection}{renamed}",
                }
            )
        return {"files": outcomes, "report": report.to_dict()}

    def reindex_in_background(self, *, user: str | None) -> Job:
        """Ingest the whole inbox (new, changed, removed files) in a background job."""
        return self.jobs.submit("reindex", "Invoermap opnieuw indexeren", {}, user=user)

    def _run_reindex(self, context: JobContext) -> dict[str, Any]:
        return {"report": self.ingest(context=context).to_dict()}

    def remove(
        self, path: str, *, user: str | None = None, context: JobContext | None = None
    ) -> list[Removal]:
        """Remove a document by (absolute or relative) path or file name from both indexes;
        a file in the inbox moves to the trash (``<home>/prullenbak``), or the next ingest
        of the inbox would add it again.

        Raises InputError when nothing matches or a bare file name is ambiguous.
        """
        absolute = str(Path(path).resolve())
        files = self.catalog.find_files(absolute) or self.catalog.find_files(path)
        if not files:
            raise InputError(f"{display_name(path)}: staat niet in de index")
        if len({f.abs_path for f in files}) > 1 and "/" not in path:
            names = ", ".join(sorted(display_name(f.rel_path) for f in files))
            raise InputError(
                f"{display_name(path)}: meerdere documenten heten zo ({names}); geef het pad"
            )
        return self._remove_files(files, context)

    def remove_document(
        self, doc_id: str, *, user: str | None = None, context: JobContext | None = None
    ) -> list[Removal]:
        """Remove a document (every file with its content) like ``remove``."""
        return self._remove_files(self._document_files(doc_id), context)

    def remove_in_background(self, doc_id: str, *, user: str | None) -> Job:
        """``remove_document`` as a job: it waits for a running ingest instead of failing."""
        document = self.document(doc_id, user=user)
        if document is None:
            raise InputError("Dit document staat niet (meer) in de index.")
        return self.jobs.submit(
            "remove", f"Verwijderen: {display_name(document.file)}", {"doc_id": doc_id}, user=user
        )

    def _run_remove(self, context: JobContext) -> dict[str, Any]:
        removals = self.remove_document(context.params["doc_id"], context=context)
        return {
            "removed": [
                {"file": r.file, "trashed": str(r.trashed) if r.trashed else None} for r in removals
            ]
        }

    def _remove_files(self, files: list[FileRecord], context: JobContext | None) -> list[Removal]:
        inbox = self.settings.ingest_dir.resolve()
        with self._writer(context):
            # Looked up again under the lock: another writer may have removed them.
            current = [f for f in files if self.catalog.file(f.abs_path) is not None]
            if not current:
                raise InputError("Dit document staat niet (meer) in de index.")
            self.catalog.unlink_files([f.abs_path for f in current])
            self.keyword_index.refresh(self.catalog, compact=True)
            # Vectors follow through the tombstones; do it now when the store is at hand.
            if self.catalog.tombstones():
                self._ingestor().embed_pending()
            removals = []
            for record in current:
                source = Path(record.abs_path)
                trashed = None
                if source.is_file() and source.is_relative_to(inbox):
                    trashed = move_to_trash(source, self.home)
                removals.append(Removal(display_name(record.rel_path), trashed))
        return removals

    # -- reading ------------------------------------------------------------------------------

    def query_note(self, query: str) -> str | None:
        """The note for the user when ``query`` is longer than search can use."""
        _, truncated = truncate_query(query)
        if not truncated:
            return None
        return (
            "Uw vraag is ingekort: alleen het begin (ongeveer 300 woorden) wordt gebruikt om "
            "te zoeken."
        )

    def search(
        self,
        query: str,
        *,
        top_k: int | None = None,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
        user: str | None = None,
    ) -> SearchResults:
        """Best passages for ``query`` (shortened to what search can use, with a note)."""
        notes = [note] if (note := self.query_note(query)) else []
        hits = self.retriever.search(query, top_k=top_k, filters=filters, mode=mode)
        if mode != "keyword" and self.vectors.unavailable() and self._has_vectors():
            notes.append(UNAVAILABLE_NOTE)
        return SearchResults(hits, notes)

    def ask(
        self,
        question: str,
        *,
        filters: SearchFilters | None = None,
        user: str | None = None,
        template: str | None = None,
    ) -> Answer:
        """A cited Dutch answer from the indexed documents (or a refusal); audited. A party
        or speaker the question names becomes a filter (``question_filters``)."""
        question, _ = truncate_query(question)
        filters = self.question_filters(question, filters)
        return self._answerer().ask(question, filters=filters, user=user, template=template)

    def stream_answer(
        self,
        question: str,
        *,
        filters: SearchFilters | None = None,
        user: str | None = None,
        template: str | None = None,
    ) -> Iterator[str | Answer]:
        """Answer text pieces as they are generated, then the checked Answer; audited."""
        question, _ = truncate_query(question)
        filters = self.question_filters(question, filters)
        return self._answerer().stream(question, filters=filters, user=user, template=template)

    def summarize(
        self,
        path: str,
        *,
        template: str = "algemeen",
        user: str | None = None,
        progress: SummaryProgress | None = None,
    ) -> Summary:
        """A page-cited summary of one document (indexed: by path, file name or id; or a
        PDF on disk); audited."""
        from .summarize import Summarizer

        if _is_doc_id(path):  # by id: its file, or its name in the catalog when gone
            document = self.document(path, user=user)
            if document is None:
                raise InputError("Dit document staat niet (meer) in de index.")
            path = str(self.document_path(path, user=user) or document.file)
        summarizer = Summarizer(
            self.settings,
            catalog=self.catalog,
            llm=self.llm,
            audit=self.audit,
            prompts=self.prompts,
        )
        return summarizer.summarize(path, template=template, user=user, progress=progress)

    def documents(self, *, user: str | None = None) -> list[DocumentRecord]:
        return self.catalog.documents()

    def document(self, doc_id: str, *, user: str | None = None) -> DocumentRecord | None:
        found = self.catalog.documents([doc_id])
        return found[0] if found else None

    def _document_files(self, doc_id: str) -> list[FileRecord]:
        document = self.document(doc_id)
        return [
            record
            for rel_path in (document.files if document else [])
            for record in self.catalog.find_files(rel_path)
            if record.doc_id == doc_id
        ]

    def document_path(self, doc_id: str, *, user: str | None = None) -> Path | None:
        """The PDF of an indexed document (its first file that still exists), by id."""
        for record in self._document_files(doc_id):
            if Path(record.abs_path).is_file():
                return Path(record.abs_path)
        return None

    def model_status(self) -> str | None:
        """None when a language model can answer now; else the Dutch reason and what to
        start. Probes a configured Ollama quickly (seconds, not the answer timeout)."""
        from .llm import AUTO_PROBE_TIMEOUT, OllamaLLM

        try:
            llm = self.llm()
            if isinstance(llm, OllamaLLM):
                OllamaLLM(self.settings.llm, timeout=AUTO_PROBE_TIMEOUT).check()
        except RaadsinzichtError as exc:  # LLMError: not running, model missing, ...
            return str(exc)
        return None

    def index_status(self, *, user: str | None = None) -> IndexStatus:
        with self.catalog.reading():
            totals = self.catalog.totals()
            pending = self.catalog.count_pending_embeddings()
        size = 0
        for path in self.home.rglob("*"):
            try:
                size += path.stat().st_size if path.is_file() else 0
            except OSError:  # removed meanwhile (a temporary file)
                continue
        return IndexStatus(
            documents=totals["documents"],
            pages=totals["pages"],
            ocr_pages=totals["ocr_pages"],
            chunks=totals["chunks"],
            pending_embeddings=pending,
            disk_bytes=size,
            active_jobs=self.jobs.list(active_only=True),
            vectors_unavailable=self.vectors.unavailable(),
        )

    def audit_records(
        self,
        *,
        action: str | None = None,
        by_user: str | None = None,
        since: date | None = None,
        text: str | None = None,
        limit: int | None = _AUDIT_LIMIT,
        user: str | None = None,
    ) -> list[AuditRecord]:
        """Audit records, newest first: of one action, of users whose name contains
        ``by_user``, from ``since``, with ``text`` in the question or answer (any case)."""
        needle = (text or "").strip().lower()
        who = (by_user or "").strip().lower()
        # Without filters only the newest ``limit`` are read (the log only grows).
        newest = None if (action or who or needle) else limit
        found: list[AuditRecord] = []
        for record in reversed(self.audit.records(since=since, limit=newest)):
            if action and record.action != action:
                continue
            if who and who not in (record.user or "").lower():
                continue
            if needle and needle not in f"{record.input}\n{record.answer or ''}".lower():
                continue
            found.append(record)
            if limit is not None and len(found) >= limit:
                break
        return found

    def list_jobs(self, *, user: str | None = None, limit: int = 50) -> list[Job]:
        return self.jobs.list(limit=limit)

    def cancel_job(self, job_id: int, *, user: str | None = None) -> Job:
        return self.jobs.request_cancel(job_id)

    def resume_job(self, job_id: int, *, user: str | None = None) -> Job:
        return self.jobs.resume(job_id, user=user)

    # -- council information ---------------------------------------------------------------

    def question_intent(self, question: str) -> QuestionIntent:
        """The parties, speakers and vote/speech wording ``question`` contains."""
        from .intent import recognise

        return recognise(question, known_speakers=[s.name for s in self.speakers()])

    def question_filters(self, question: str, filters: SearchFilters | None) -> SearchFilters:
        """``filters`` plus what the question asks: "Wat zei de SP over ..." searches the
        passages SP members spoke; a vote question ("Hoe stemde de VVD ...") gets no party
        filter (see ``vote_facts``). Explicit party/speaker filters win."""
        intent = self.question_intent(question)
        if intent.spoken and not intent.speakers and not self.catalog.speakers():
            intent = replace(intent, spoken=False)  # an index without speaker turns
        return intent.apply(filters)

    def speakers(self) -> list[SpeakerSummary]:
        """Everyone who speaks in the indexed minutes, most passages first."""
        return [SpeakerSummary(*row) for row in self.catalog.speakers()]

    def vote_facts(
        self,
        question: str = "",
        *,
        results: Sequence[str] = (),
        meetings: Sequence[str] = (),
        limit: int = 10,
    ) -> list[VoteFact]:
        """Motions and amendments with their outcome, tally and per-party votes where
        recorded, each with the file and page it is recorded on, best match for the
        subject of ``question`` first ("Hoe is er gestemd over het amendement over
        badhuisarchitectuur?")."""
        from .index.council import CouncilStore

        return CouncilStore(self.catalog).vote_facts(
            question, results=results, meetings=meetings, limit=limit
        )

    def dossier(self, subject: str) -> Dossier:
        """The documents about the same matter as ``subject`` (an indexed file, by path or
        name, or a search) in date order, each with the evidence that links it."""
        from .dossier import build_dossier

        absolute = str(Path(subject).resolve())
        files = self.catalog.find_files(absolute) or self.catalog.find_files(subject)
        if len({f.doc_id for f in files}) > 1:
            names = ", ".join(sorted(f.rel_path for f in files))
            raise InputError(f"{subject}: meerdere documenten heten zo ({names}); geef het pad")
        if files:
            doc_id = files[0].doc_id
        else:
            hits = self.search(subject, top_k=1)
            if not hits:
                raise InputError(f"{subject}: geen document of zoekresultaat gevonden")
            doc_id = hits[0].doc_id
        return build_dossier(self.catalog, doc_id, subject=subject)

    def sync(
        self,
        connector: str,
        source: str,
        *,
        since: date | None = None,
        base_url: str | None = None,
        embed: bool = True,
        progress: ProgressCallback | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> SyncReport:
        """Bring the collection ``source`` up to date from a council information system
        (``connector``: 'openbesluitvorming'): resumable, incremental, deletes included.
        ``clock``/``sleep`` replace real time for the request pacing (tests)."""
        from .connectors import build_connector
        from .sync import Synchronizer

        hooks: dict[str, Any] = {}
        if clock is not None:
            hooks["clock"] = clock
        if sleep is not None:
            hooks["sleep"] = sleep
        client = build_connector(connector, self.settings.sources, base_url=base_url, **hooks)
        try:
            with self._writer():
                synchronizer = Synchronizer(
                    self.settings,
                    client,
                    catalog=self.catalog,
                    ingest=lambda paths: self._ingestor().ingest(
                        paths, embed=False, progress=progress
                    ),
                    remove=self._forget_files,
                )
                report = synchronizer.run(source, since=since, progress=progress)
                self.keyword_index.refresh(self.catalog)
                if embed:
                    report.embedded = self._ingestor().embed_pending(progress=progress)
        finally:
            client.close()
        return report

    def _forget_files(self, abs_paths: list[str]) -> None:
        """Remove synced files from the index and the disk (the writer lock is held)."""
        self.catalog.unlink_files(abs_paths)
        for path in abs_paths:
            Path(path).unlink(missing_ok=True)

    # -- privacy ----------------------------------------------------------------------------

    @property
    def pseudonymizer(self) -> Pseudonymizer:
        """Consistent placeholders for personal data; the mapping stays in ``home``."""
        from .privacy import Pseudonymizer

        return Pseudonymizer(self.home)

    def reveal(self, text: str, *, user: str | None) -> str:
        """``text`` with its placeholders ([PERSOON-1], ...) replaced by the original values,
        for local display to a user listed in ``privacy.reveal_users`` only. Audited with
        the placeholders revealed, never the values."""
        from .privacy import PLACEHOLDER

        if not user or user not in self.settings.privacy.reveal_users:
            raise RaadsinzichtError(
                f"Gebruiker '{user or 'onbekend'}' mag geen originele persoonsgegevens zien "
                "(instelling privacy.reveal_users)."
            )
        revealed = self.pseudonymizer.reveal(text)
        self.audit.append(
            AuditRecord(
                action="reveal",
                input=", ".join(sorted({m.group(0) for m in PLACEHOLDER.finditer(text)})),
                user=user,
                settings_fingerprint=self.settings.index_fingerprint(),
            )
        )
        return revealed

    def reveal_data(self, data: dict[str, Any], *, user: str | None) -> dict[str, Any]:
        """``reveal`` for a JSON-like result (an answer, summary or intake as a dict)."""
        import json

        revealed: dict[str, Any] = json.loads(
            self.reveal(json.dumps(data, ensure_ascii=False), user=user)
        )
        return revealed

    def bezwaar(
        self, path: Path, *, use_llm: bool = True, user: str | None = None
    ) -> BezwaarIntake:
        """Concept intake of an objection letter: dates, deadline check (Awb), grounds and
        request, always pseudonymised; the model (``use_llm``) only rephrases. Audited."""
        from .bezwaar import BezwaarIntaker

        intaker = BezwaarIntaker(
            self.settings, self.llm if use_llm else None, self.audit, self.pseudonymizer
        )
        return intaker.intake(Path(path), user=user)

    def redact(
        self,
        path: Path,
        output: Path,
        *,
        types: Sequence[str] | None = None,
        ground: str | None = None,
        terms: Sequence[str] = (),
        keep: Sequence[str] = (),
        user: str | None = None,
    ) -> RedactionReport:
        """A redacted copy of ``path`` at ``output`` (lakken for Woo publication), with the
        configured default ground and OCR settings. Audited with masked values only."""
        from .redact import redact_pdf

        record = AuditRecord(
            action="redact",
            input=Path(path).name,
            filters={
                "types": list(types or []),
                "ground": ground,
                "terms": len(terms),
                "keep": len(keep),
            },
            user=user,
            settings_fingerprint=self.settings.index_fingerprint(),
        )
        parsing = self.settings.parsing
        with self.audit.recording(record):
            report = redact_pdf(
                Path(path),
                Path(output),
                types=types or None,
                ground=ground,
                default_ground=self.settings.privacy.woo_ground,
                terms=terms,
                keep=keep,
                ocr=parsing.ocr,
                ocr_language=parsing.ocr_language,
                ocr_dpi=parsing.ocr_dpi,
            )
            record.answer = (
                f"{len(report.redactions)} gelakt op {len(report.per_page())} van "
                f"{report.pages} pagina's"
            )
            # What and where, never the values (not even masked ones).
            record.sources = [
                {"file": Path(path).name, "page": r.page, "type": r.type, "ground": r.ground}
                for r in report.redactions
            ]
        return report

    def collections(self) -> dict[str, int]:
        """Indexed documents per collection (a document may be in more than one)."""
        counts: dict[str, int] = {}
        for record in self.catalog.documents():
            for name in record.collections or [""]:
                counts[name] = counts.get(name, 0) + 1
        return counts

    # -- impact, feedback, accountability ---------------------------------------------------

    def impact(self, since: date | None = None, until: date | None = None) -> ImpactReport:
        """Usage, quality and estimated time saved per week and month from the audit log
        (default: the last 13 weeks up to today); plain data with ``to_dict``/``to_csv``."""
        from .impact import compute_impact

        return compute_impact(self.audit, self.settings.impact, since=since, until=until)

    def feedback(
        self,
        record_id: int,
        verdict: str,
        *,
        comment: str | None = None,
        user: str | None = None,
    ) -> Feedback:
        """A thumb up (``"up"``) or down (``"down"``) with an optional comment on an answer,
        summary or bezwaar intake, appended next to its audit record. Comments on records
        about sensitive collections are pseudonymised like the record itself."""
        if verdict not in ("up", "down"):
            raise InputError(f"Oordeel '{verdict}' onbekend: kies up (duim omhoog) of down.")
        record = self.audit.record(record_id)
        if record is None:
            raise InputError(f"Auditrecord {record_id} bestaat niet (zie `raadsinzicht audit`).")
        if record.action not in JUDGEABLE_ACTIONS:
            raise InputError(
                f"Auditrecord {record_id} is geen antwoord, samenvatting of bezwaar-intake "
                f"maar '{record.action}'."
            )
        comment = (comment or "").strip() or None
        if comment and len(comment) > MAX_COMMENT:
            raise InputError(f"De opmerking is te lang (meer dan {MAX_COMMENT} tekens).")
        if comment and self._is_sensitive_record(record):
            comment = self.pseudonymizer.pseudonymize(comment)
        item = Feedback(record_id, verdict, comment=comment, user=user, action=record.action)
        self.audit.add_feedback(item)
        return item

    def _is_sensitive_record(self, record: AuditRecord) -> bool:
        from .privacy import PLACEHOLDER, is_sensitive

        if record.action == "bezwaar" or PLACEHOLDER.search(f"{record.input} {record.answer}"):
            return True
        files = [str(source.get("file", "")) for source in record.sources]
        return is_sensitive(self.settings, [f.split("/", 1)[0] for f in files if "/" in f])

    def purge(self, before: date | None = None, *, user: str | None = None) -> PurgeReport:
        """Remove audit records, feedback and pseudonyms older than ``before`` and older
        than their retention periods (default: everything expired); logged."""
        from .retention import purge_expired

        return purge_expired(
            self.settings, self.audit, self.pseudonymizer, before=before, user=user
        )

    def dpia(self) -> list[RegisterField]:
        """The DPIA building block from the live configuration (see ``dpia.render_dpia``)."""
        from .dpia import build_dpia

        return build_dpia(self.settings, collections=self.collections() or None)

    def close(self) -> None:
        if self._jobs is not None:
            self._jobs.close()
        if self._ingestor_ is not None:
            self._ingestor_.close()
        self.catalog.close()
        if self._audit is not None:
            self._audit.close()


def _is_doc_id(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def build_engine(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    llm: LLM | None = None,
    parsing_process: bool = False,
) -> Engine:
    return Engine(settings, embedder=embedder, llm=llm, parsing_process=parsing_process)
