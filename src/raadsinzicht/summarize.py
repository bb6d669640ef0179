"""Cited summaries of one document: with a language model map-reduced by it, without one
extractive and structured by the document's kind (``outline``).

The document's text goes to the model as page-tagged paragraphs ("[p. 12] ..."). Each
statement in the output must carry a page reference that exists in the text it was made
from and whose words are found on that page (``grounding.GroundingChecker``, the same
check as for answers); a statement without a valid reference gets the page that
supports it best when that support is strong enough, and is flagged otherwise. Long
documents (the 175-page notulen) are summarised part by part (map), then the partial
summaries are merged (reduce, repeated until they fit).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .audit import AuditLog, AuditRecord
from .chunk import page_blocks
from .errors import InputError, RaadsinzichtError
from .grounding import FLAG, PAGE_CITATION, GroundingChecker, split_sentences
from .index.catalog import Catalog, ChunkRecord
from .ingest import prepare_document
from .llm import LLM, Prompt
from .outline import EXTRACTIVE_MODEL, DocumentFields, outline_summary
from .parse import PageText
from .privacy import protect_document
from .prompts import PromptLibrary, PromptTemplate
from .settings import Settings

__all__ = ["FLAG", "Summarizer", "Summary"]

_PAGE_REF = PAGE_CITATION

# stage ("map" | "reduce"), done, total
SummaryProgress = Callable[[str, int, int], None]


@dataclass(slots=True)
class Summary:
    file: str
    title: str
    template: str
    text: str
    pages_cited: list[int]
    flagged: list[str]
    model: str
    prompt_sha256: str
    parts: int  # map calls (1 = the document fitted in one call)
    seconds: float = 0.0
    page_labels: list[str] = field(default_factory=list)
    audit_id: int | None = None  # the audit record, for feedback on this summary

    def to_dict(self) -> dict[str, Any]:
        def label(page: int) -> str:
            return self.page_labels[page - 1] if 0 < page <= len(self.page_labels) else ""

        return {
            "file": self.file,
            "name": self.file.rsplit("/", 1)[-1],
            "title": self.title,
            "template": self.template,
            "summary": self.text,
            "citations": [
                {"file": self.file, "page": page, "page_label": label(page)}
                for page in self.pages_cited
            ],
            "flagged": self.flagged,
            "model": self.model,
            "prompt_template": self.template,
            "parts": self.parts,
            "seconds": round(self.seconds, 2),
            "audit_id": self.audit_id,
        }


class Summarizer:
    def __init__(
        self,
        settings: Settings,
        *,
        catalog: Catalog,
        llm: Callable[[], LLM | None],
        audit: AuditLog,
        prompts: PromptLibrary,
        recorded_outcome: Callable[[str], str | None] | None = None,
    ) -> None:
        """``recorded_outcome``: a motion's or amendment's outcome as the council records
        give it, by the document's file (relative to the ingest root), with where."""
        self._settings = settings
        self._catalog = catalog
        self._llm = llm
        self._audit = audit
        self._prompts = prompts
        self._recorded_outcome = recorded_outcome

    def _document(self, path: str) -> tuple[str, str, list[ChunkRecord], list[str], DocumentFields]:
        """(file, title, chunks, page labels, metadata fields) of an indexed document, or of
        a PDF on disk."""
        files = self._catalog.find_files(str(Path(path).resolve())) or self._catalog.find_files(
            path
        )
        if files:
            (document,) = self._catalog.documents([files[0].doc_id])
            return (
                files[0].rel_path,
                document.title,
                self._catalog.document_chunks(document.doc_id),
                document.page_labels,
                DocumentFields(
                    document.kind,
                    document.parties,
                    document.outcome,
                    document.field_pages,
                    self._recorded_outcome(files[0].rel_path)
                    if self._recorded_outcome
                    and document.kind in ("motie", "amendement")
                    and not document.outcome
                    else None,
                ),
            )
        if not Path(path).is_file():
            raise InputError(f"{path}: niet gevonden (geen bestand en niet in de index)")
        prepared = prepare_document(Path(path), self._settings)
        chunks = [
            ChunkRecord(
                chunk_id=str(c.seq),
                doc_id="",
                seq=c.seq,
                text=c.text,
                heading=c.heading,
                page=c.pages[0],
                spans=[(s.page, s.start, s.end) for s in c.spans],
                boxes=[],
                tokens=c.tokens,
            )
            for c in prepared.chunks
        ]
        labels = [page.label for page in prepared.parsed.pages]
        meta = prepared.metadata
        fields = DocumentFields(meta.kind, meta.parties, meta.outcome, meta.pages)
        return Path(path).name, meta.title, chunks, labels, fields

    def summarize(
        self,
        path: str,
        *,
        template: str = "algemeen",
        user: str | None = None,
        progress: SummaryProgress | None = None,
    ) -> Summary:
        started = time.perf_counter()
        instructions = self._prompts.get(template, task="summary")
        record = AuditRecord(
            action="summarize",
            input=path,
            prompt_template=instructions.name,
            prompt_sha256=instructions.sha256,
            user=user,
            settings_fingerprint=self._settings.index_fingerprint(),
        )
        with self._audit.recording(record):
            file, title, chunks, labels, fields = self._document(path)
            fields = _with_decision(fields, chunks)
            # Privacy by design: a document in a sensitive collection reaches the model
            # (and the audit log) pseudonymised only.
            title, chunks = protect_document(self._settings, self._catalog, path, title, chunks)
            record.input = file
            segments = page_blocks(chunks)
            if not segments:
                raise InputError(f"{file}: het document bevat geen tekst om samen te vatten")
            llm = self._llm()
            if llm is None:  # no language model: the document's own sentences, by kind
                text, pages = outline_summary(segments, fields)
                summary = Summary(
                    file=file,
                    title=title,
                    template=f"extractief-{fields.kind}",
                    text=text,
                    pages_cited=pages,
                    flagged=[],
                    model=EXTRACTIVE_MODEL,
                    prompt_sha256="",
                    parts=1,
                    page_labels=labels,
                )
                record.prompt_template, record.prompt_sha256 = summary.template, None
            else:
                record.model = llm.name
                text, flagged, parts = self._map_reduce(
                    llm, title, instructions, segments, progress
                )
                summary = Summary(
                    file=file,
                    title=title,
                    template=instructions.name,
                    text=text,
                    pages_cited=sorted({int(m.group(1)) for m in _PAGE_REF.finditer(text)}),
                    flagged=flagged,
                    model=llm.name,
                    prompt_sha256=instructions.sha256,
                    parts=parts,
                    page_labels=labels,
                )
            summary.seconds = time.perf_counter() - started
            record.model = summary.model
            record.answer = summary.text
            record.citations = summary.to_dict()["citations"]
            record.flagged = summary.flagged
            record.sources = [{"file": file, "page": p} for p in summary.pages_cited]
        summary.audit_id = record.id
        return summary

    def _map_reduce(
        self,
        llm: LLM,
        title: str,
        instructions: PromptTemplate,
        segments: list[PageText],
        progress: SummaryProgress | None,
    ) -> tuple[str, list[str], int]:
        """(checked summary text, flagged statements, map calls)."""
        map_template = self._prompts.first("summary-map")
        reduce_template = self._prompts.first("summary-reduce")
        groups = self._groups(llm, map_template, title, instructions.body, segments)
        partials: list[str] = []
        flagged: list[str] = []
        for done, group in enumerate(groups):
            if progress:
                progress("map", done, len(groups))
            context = "\n\n".join(f"[p. {s.page}] {s.text}" for s in group)
            raw = self._generate(
                llm,
                map_template,
                title=title,
                instructions=instructions.body.strip(),
                context=context,
            )
            text, bad = _ground(raw, group, self._settings.answer.min_support)
            partials.append(text)
            flagged += bad
        if progress:
            progress("map", len(groups), len(groups))
        if len(partials) == 1:
            return partials[0], flagged, len(groups)
        text = self._reduce(
            llm,
            reduce_template,
            title,
            instructions.body.strip(),
            partials,
            segments,
            flagged,
        )
        return text, flagged, len(groups)

    def _budget(self, llm: LLM, template: PromptTemplate, **values: str) -> int:
        """Tokens left for the document text in one call of ``template``."""
        empty = template.system + template.render(**values)
        return (
            llm.context_tokens
            - llm.count_tokens(empty)
            - self._settings.answer.summary_output_tokens
            - 64  # margin: token estimates are estimates
        )

    def _groups(
        self,
        llm: LLM,
        template: PromptTemplate,
        title: str,
        instructions: str,
        segments: list[PageText],
    ) -> list[list[PageText]]:
        budget = self._budget(llm, template, title=title, instructions=instructions, context="")
        if budget < 200:
            raise RaadsinzichtError(
                f"Het contextvenster van het model ({llm.context_tokens} tokens) is te klein "
                "om samen te vatten; kies een model met een groter venster."
            )
        groups: list[list[PageText]] = [[]]
        used = 0
        for segment in segments:
            cost = llm.count_tokens(f"[p. {segment.page}] {segment.text}") + 2
            # One enormous page is split by sentences.
            pieces = _split_to_fit(segment, budget, llm) if cost > budget else [segment]
            for piece in pieces:
                piece_cost = llm.count_tokens(f"[p. {piece.page}] {piece.text}") + 2
                if used + piece_cost > budget and groups[-1]:
                    groups.append([])
                    used = 0
                groups[-1].append(piece)
                used += piece_cost
        return groups

    def _generate(self, llm: LLM, template: PromptTemplate, **values: str) -> str:
        prompt = Prompt(system=template.system, user=template.render(**values))
        return "".join(
            llm.stream(
                prompt,
                max_tokens=self._settings.answer.summary_output_tokens,
                temperature=self._settings.llm.temperature,
            )
        )

    def _reduce(
        self,
        llm: LLM,
        template: PromptTemplate,
        title: str,
        instructions: str,
        partials: list[str],
        segments: list[PageText],
        flagged: list[str],
    ) -> str:
        """Merge partial summaries, in rounds while they do not fit one call."""
        budget = self._budget(llm, template, title=title, instructions=instructions, partials="")
        while True:
            rounds: list[list[str]] = [[]]
            used = 0
            for partial in partials:
                cost = llm.count_tokens(partial) + 2
                if used + cost > budget and rounds[-1]:
                    rounds.append([])
                    used = 0
                rounds[-1].append(partial)
                used += cost
            merged = []
            for group in rounds:
                raw = self._generate(
                    llm,
                    template,
                    title=title,
                    instructions=instructions,
                    partials="\n\n".join(group),
                )
                text, bad = _ground(raw, segments, self._settings.answer.min_support)
                merged.append(text)
                flagged += bad
            if len(merged) == 1:
                return merged[0]
            partials = merged


def _split_to_fit(segment: PageText, budget: int, llm: LLM) -> list[PageText]:
    pieces: list[PageText] = [PageText(segment.page, "")]
    for sentence in split_sentences(segment.text):
        candidate = f"{pieces[-1].text} {sentence}".strip()
        if pieces[-1].text and llm.count_tokens(candidate) > budget - 16:
            pieces.append(PageText(segment.page, sentence))
        else:
            pieces[-1].text = candidate
    return pieces


def _ground(raw: str, segments: list[PageText], min_support: float) -> tuple[str, list[str]]:
    """Check each statement's page references against the pages it was made from."""
    pages: dict[int, str] = {}
    for segment in segments:
        pages[segment.page] = f"{pages.get(segment.page, '')}\n{segment.text}"
    checker = GroundingChecker(pages, min_support=min_support, citation=PAGE_CITATION)
    checked = checker.check(raw)
    return checked.render(lambda page: f"[p. {page}]"), checked.flagged


def _with_decision(fields: DocumentFields, chunks: list[ChunkRecord]) -> DocumentFields:
    """``fields`` with a council proposal's outcome from the stamp under its decision."""
    from .facts import STAMPED_KINDS, decision_stamp

    stamp = decision_stamp(chunks) if fields.kind in STAMPED_KINDS else None
    if stamp is None:
        return fields
    page = stamp.fact("decision", stamp.value, "voorstel").page
    return replace(fields, decision=stamp.value, pages={**fields.pages, "decision": page})
