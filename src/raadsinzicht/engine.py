"""The library API and composition root: ``build_engine(settings)`` wires catalog,
keyword index, vector store and embedder; the CLI and the web UI only call an Engine."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .answer import Answer, Answerer, AnswerEvent
from .audit import AuditLog, AuditRecord
from .bezwaar import BezwaarIntake, BezwaarIntaker
from .embed import Embedder, build_embedder
from .errors import InputError, RaadsinzichtError
from .extractive import ExtractiveAnswerer
from .facts import FactFinder
from .grounding import question_weights
from .index.bm25 import KeywordIndex
from .index.catalog import Catalog, DocumentRecord
from .index.vector import VectorStore, drop_collection
from .ingest import Ingestor, IngestReport, ProgressCallback
from .llm import LLM, no_model_error, resolve_llm
from .privacy import PLACEHOLDER, Pseudonymizer
from .prompts import PromptLibrary
from .redact import RedactionReport, redact_pdf
from .retrieve import HybridRetriever, SearchFilters, SearchHit
from .settings import Settings
from .summarize import Summarizer, Summary, SummaryProgress

__all__ = ["Engine", "build_engine"]


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
        self._llm_resolved = llm is not None
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

    @property
    def models_dir(self) -> Path:
        """Where the embedded model is assembled (next to the pipeline cache, so every
        evaluation home shares one copy)."""
        return self.settings.pipeline_cache_path.parent / "models"

    def language_model(self) -> LLM | None:
        """The language model for answers and summaries, or None (extractive answers and
        summaries); resolved once, at the first answer or summary, so search keeps
        working without any model."""
        if not self._llm_resolved:
            self._llm = resolve_llm(self.settings.llm, home=self.home, models_dir=self.models_dir)
            self._llm_resolved = True
        return self._llm

    def llm(self) -> LLM:
        """The language model; raises LLMError (what to start or install) without one."""
        llm = self.language_model()
        if llm is None:
            raise no_model_error(self.settings.llm)
        return llm

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
            llm=self.language_model,
            audit=self.audit,
            prompts=self.prompts,
            extractive=self.extractive_answerer(),
        )

    def extractive_answerer(self) -> ExtractiveAnswerer:
        """Picks the sentences that answer a question from retrieved passages."""
        return ExtractiveAnswerer(
            self.settings.answer,
            term_weights=self._question_weights,
            embedder=self._searchable_embedder,
            query_vector=self.retriever.query_vector,
            facts=FactFinder(
                self.catalog.document_chunks, min_coverage=self.settings.answer.min_coverage
            ),
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
        """A cited Dutch answer from the indexed documents (or a refusal); audited. Without
        a language model the answer is quoted from the sources (never fails for want of a
        model)."""
        return self._answerer().ask(question, filters=filters, user=user, template=template)

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
        return self._answerer().stream(question, filters=filters, user=user, template=template)

    def summarize(
        self,
        path: str,
        *,
        template: str = "algemeen",
        user: str | None = None,
        progress: SummaryProgress | None = None,
    ) -> Summary:
        """A page-cited summary of one document (indexed, or a PDF on disk); audited. With
        a language model map-reduced by it; without, extractive and structured by the
        document's kind."""
        summarizer = Summarizer(
            self.settings,
            catalog=self.catalog,
            llm=self.language_model,
            audit=self.audit,
            prompts=self.prompts,
        )
        return summarizer.summarize(path, template=template, user=user, progress=progress)

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
