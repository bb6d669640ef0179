"""The library API and composition root: ``build_engine(settings)`` wires catalog,
keyword index, vector store and embedder; the CLI and the web UI only call an Engine."""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .algoritmeregister import RegisterField
from .answer import Answer, Answerer
from .audit import AuditLog, AuditRecord, Feedback
from .bezwaar import BezwaarIntake, BezwaarIntaker
from .dpia import build_dpia
from .embed import Embedder, build_embedder
from .errors import InputError, RaadsinzichtError
from .grounding import question_weights
from .impact import ImpactReport, compute_impact
from .index.bm25 import KeywordIndex
from .index.catalog import Catalog, DocumentRecord
from .index.vector import VectorStore, drop_collection
from .ingest import Ingestor, IngestReport, ProgressCallback
from .llm import LLM, build_llm
from .privacy import PLACEHOLDER, Pseudonymizer, is_sensitive
from .prompts import PromptLibrary
from .redact import RedactionReport, redact_pdf
from .retention import PurgeReport, purge_expired
from .retrieve import HybridRetriever, SearchFilters, SearchHit
from .settings import Settings
from .speakers import SpeakerSummary
from .summarize import Summarizer, Summary, SummaryProgress

if TYPE_CHECKING:  # loaded where used: a search never needs the connectors or dossiers
    from .dossier import Dossier
    from .index.council import VoteFact
    from .intent import QuestionIntent
    from .sync import SyncReport

__all__ = ["Engine", "build_engine"]

# Audit actions a user can judge with a thumb up or down (answers, summaries, intakes).
JUDGEABLE_ACTIONS = ("ask", "summarize", "bezwaar")
MAX_COMMENT = 2000  # characters of a feedback comment


class Engine:
    def __init__(
        self, settings: Settings, *, embedder: Embedder | None = None, llm: LLM | None = None
    ) -> None:
        self.settings = settings
        self.home = settings.home
        self.home.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.home / "catalog.sqlite3")
        self.keyword_index = KeywordIndex(self.home)
        self._embedder = embedder
        self._llm = llm
        self._vector_store: VectorStore | None = None
        self._audit: AuditLog | None = None
        self._prompts: PromptLibrary | None = None
        self._ingestor = Ingestor(
            settings,
            catalog=self.catalog,
            keyword_index=self.keyword_index,
            vector_store=self.vector_store,
            embedder=self.embedder,
        )
        self.retriever = HybridRetriever(
            settings.retrieval,
            catalog=self.catalog,
            keyword_index=self.keyword_index,
            vector_store=self._searchable_vector_store,
            embedder=self._searchable_embedder,
        )

    # -- components (lazy: a keyword search or an unchanged re-ingest loads no model) ----

    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = build_embedder(self.settings.embedding)
        return self._embedder

    def vector_store(self) -> VectorStore:
        if self._vector_store is None:
            embedder = self.embedder()
            self._vector_store = VectorStore(
                self.settings.vector_store,
                home=self.home,
                embedder_name=embedder.name,
                dimension=embedder.dimension,
            )
        return self._vector_store

    def llm(self) -> LLM:
        """The language model; only built when an answer or summary is asked for, so
        search keeps working without any model."""
        if self._llm is None:
            self._llm = build_llm(self.settings.llm, home=self.home)
        return self._llm

    @property
    def audit(self) -> AuditLog:
        if self._audit is None:
            self._audit = AuditLog(self.home / "audit.sqlite3")
        return self._audit

    @property
    def prompts(self) -> PromptLibrary:
        if self._prompts is None:
            self._prompts = PromptLibrary(self.settings.prompts_dir)
        return self._prompts

    def _answerer(self) -> Answerer:
        return Answerer(
            self.settings,
            search=self.search,
            llm=self.llm,
            audit=self.audit,
            prompts=self.prompts,
            term_weights=self._question_weights,
        )

    def _question_weights(self, question: str) -> dict[str, float]:
        self.keyword_index.refresh(self.catalog)
        return question_weights(question, self.keyword_index.idf, self.keyword_index.max_idf)

    def _has_vectors(self) -> bool:
        return self.catalog.count_chunks() > self.catalog.count_pending_embeddings()

    def _searchable_vector_store(self) -> VectorStore | None:
        return self.vector_store() if self._has_vectors() else None

    def _searchable_embedder(self) -> Embedder | None:
        return self.embedder() if self._has_vectors() else None

    # -- operations -----------------------------------------------------------------------

    @contextmanager
    def _writer(self) -> Iterator[None]:
        """One writer at a time: the embedded Chroma store is not multi-process safe."""
        with (self.home / "ingest.lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise RaadsinzichtError(
                    f"Er loopt al een indexering in {self.home}; wacht tot die klaar is."
                ) from exc
            yield

    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        *,
        embed: bool = True,
        reindex: bool = False,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Bring the index up to date with ``paths`` (default: the ingest folder)."""
        with self._writer():
            if reindex:
                drop_collection(self.settings.vector_store, self.home)
                self._vector_store = None
                self.catalog.reset_embeddings()
            return self._ingestor.ingest(
                list(paths) if paths else [self.settings.ingest_dir], embed=embed, progress=progress
            )

    def embed_pending(self, *, progress: ProgressCallback | None = None) -> int:
        with self._writer():
            return self._ingestor.embed_pending(progress=progress)

    def search(
        self,
        query: str,
        *,
        top_k: int | None = None,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
    ) -> list[SearchHit]:
        return self.retriever.search(query, top_k=top_k, filters=filters, mode=mode)

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
        """A page-cited summary of one document (indexed, or a PDF on disk); audited."""
        summarizer = Summarizer(
            self.settings,
            catalog=self.catalog,
            llm=self.llm,
            audit=self.audit,
            prompts=self.prompts,
        )
        return summarizer.summarize(path, template=template, user=user, progress=progress)

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
                    ingest=lambda paths: self._ingestor.ingest(
                        paths, embed=False, progress=progress
                    ),
                    remove=self._forget_files,
                )
                report = synchronizer.run(source, since=since, progress=progress)
                self.keyword_index.refresh(self.catalog)
                if embed:
                    report.embedded = self._ingestor.embed_pending(progress=progress)
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
        return Pseudonymizer(self.home)

    def reveal(self, text: str, *, user: str | None) -> str:
        """``text`` with its placeholders ([PERSOON-1], ...) replaced by the original values,
        for local display to a user listed in ``privacy.reveal_users`` only. Audited with
        the placeholders revealed, never the values."""
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

    def bezwaar(
        self, path: Path, *, use_llm: bool = True, user: str | None = None
    ) -> BezwaarIntake:
        """Concept intake of an objection letter: dates, deadline check (Awb), grounds and
        request, always pseudonymised; the model (``use_llm``) only rephrases. Audited."""
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

    def documents(self) -> list[DocumentRecord]:
        return self.catalog.documents()

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
        if record.action == "bezwaar" or PLACEHOLDER.search(f"{record.input} {record.answer}"):
            return True
        files = [str(source.get("file", "")) for source in record.sources]
        return is_sensitive(self.settings, [f.split("/", 1)[0] for f in files if "/" in f])

    def purge(self, before: date | None = None, *, user: str | None = None) -> PurgeReport:
        """Remove audit records, feedback and pseudonyms older than ``before`` and older
        than their retention periods (default: everything expired); logged."""
        return purge_expired(
            self.settings, self.audit, self.pseudonymizer, before=before, user=user
        )

    def dpia(self) -> list[RegisterField]:
        """The DPIA building block from the live configuration (see ``dpia.render_dpia``)."""
        return build_dpia(self.settings, collections=self.collections() or None)

    def remove(self, path: str) -> list[str]:
        """Remove a document by (absolute or relative) path or file name from both indexes.

        Returns the relative paths removed; raises InputError when nothing matches or a
        bare file name is ambiguous.
        """
        absolute = str(Path(path).resolve())
        files = self.catalog.find_files(absolute) or self.catalog.find_files(path)
        if not files:
            raise InputError(f"{path}: staat niet in de index")
        if len({f.abs_path for f in files}) > 1 and "/" not in path:
            names = ", ".join(sorted(f.rel_path for f in files))
            raise InputError(f"{path}: meerdere documenten heten zo ({names}); geef het pad")
        with self._writer():
            self.catalog.unlink_files([f.abs_path for f in files])
            self.keyword_index.refresh(self.catalog)
            # Vectors follow through the tombstones; do it now when the store is at hand.
            if self.catalog.tombstones():
                self._ingestor.embed_pending()
        return [f.rel_path for f in files]

    def close(self) -> None:
        self._ingestor.close()
        self.catalog.close()
        if self._audit is not None:
            self._audit.close()


def build_engine(
    settings: Settings, *, embedder: Embedder | None = None, llm: LLM | None = None
) -> Engine:
    return Engine(settings, embedder=embedder, llm=llm)
