"""Cited answers. Every question first gets the answer quoted from the sources
(``extractive``: at once, no model needed); when a language model is configured, it then
writes an answer from the passages the extractive scorer ranked best, in a delimited
context block, and every citation and sentence of it is checked against those passages
(``grounding.GroundingChecker``) before anything is shown as fact.

Rules (after paper-qa): no sentence that answers well enough (the extractive refusal,
calibrated on eval/dev.jsonl) → a fixed refusal without calling the model;
a citation [n] to a passage the model was not given is removed and flagged; a sentence
whose words are not found in its cited passage is flagged, not shown as fact; an answer
with no supported sentence at all is a refusal. Every ask is audited through one path
(``AuditLog.recording``): answers, refusals, errors, unexpected failures and streams the
client abandoned.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from .audit import AuditLog, AuditRecord
from .errors import RaadsinzichtError
from .extractive import REFUSAL, ExtractiveAnswer, ExtractiveAnswerer, Quote, quote_boxes
from .facts import Fact, Recorded
from .grounding import (
    ANSWER_CITATION,
    FLAG,
    GroundingChecker,
    split_sentences,
    support,
    terms,
)
from .index.bm25 import term_matches
from .index.catalog import ChunkRecord
from .intent import speech_terms
from .llm import LLM, Prompt
from .metadata import find_parties
from .privacy import Pseudonymizer, protect_hits, sensitive_hit
from .prompts import PromptLibrary, PromptTemplate
from .retrieve import (
    SearchFilters,
    SearchHit,
    TurnFilter,
    hits_first,
    make_snippet,
    page_at,
    turn_ranges,
)
from .settings import Settings
from .spans import surname

__all__ = [
    "FLAG",
    "REFUSAL",
    "Answer",
    "AnswerEvent",
    "Answerer",
    "Citation",
    "GenerationStatus",
]

# Phrases with which models say the context does not hold the answer.
_MODEL_REFUSALS = (
    "staat niet in de geïndexeerde",
    "niet in de passages",
    "staat niet in de passages",
    "geen informatie",
    "niet te vinden",
    "kan ik niet beantwoorden",
)
_STATUS_EVERY = 5.0  # seconds between status events while the model writes
_CHARS_PER_TOKEN = 3  # Dutch text, roughly, for cutting excerpts before counting tokens

Searcher = Callable[..., list[SearchHit]]


@dataclass(slots=True)
class Citation:
    n: int
    chunk_id: str
    file: str
    page: int
    quote: str
    # Where the quote stands on the page (page-text offsets, line boxes), when known.
    start: int | None = None
    end: int | None = None
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "file": self.file,
            "name": self.file.rsplit("/", 1)[-1],
            "page": self.page,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "boxes": [[round(v, 1) for v in box] for box in self.boxes],
        }

    @classmethod
    def from_quote(cls, quote: Quote) -> Citation:
        return cls(
            quote.n, quote.chunk_id, quote.file, quote.page, quote.text, quote.start,
            quote.end, list(quote.boxes),
        )  # fmt: skip


@dataclass(slots=True)
class GenerationStatus:
    """Progress of the language model: what the CLI and the web show while it works."""

    model: str
    prompt_tokens: int
    stage: str  # "prompt": reading the prompt; "answer": writing; "done"
    generated_tokens: int = 0
    prompt_seconds: float = 0.0  # until the first token (prompt processing)
    answer_seconds: float = 0.0  # since the first token

    @property
    def prompt_tokens_per_second(self) -> float | None:
        if not self.prompt_seconds:
            return None
        return self.prompt_tokens / self.prompt_seconds

    @property
    def tokens_per_second(self) -> float | None:
        if self.generated_tokens < 2 or not self.answer_seconds:
            return None
        return (self.generated_tokens - 1) / self.answer_seconds

    def describe(self) -> str:
        """One Dutch status line."""
        line = f"{self.model}: prompt {self.prompt_tokens} tokens"
        if self.stage == "prompt":
            return line + " — het model leest de bronnen…"
        if self.prompt_tokens_per_second:
            line += f" ({self.prompt_tokens_per_second:.0f} tokens/s)"
        line += f", antwoord {self.generated_tokens} tokens"
        if self.tokens_per_second:
            line += f" ({self.tokens_per_second:.1f} tokens/s)"
        return line + (" — klaar" if self.stage == "done" else "…")

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "prompt_tokens": self.prompt_tokens,
            "generated_tokens": self.generated_tokens,
            "prompt_seconds": round(self.prompt_seconds, 2),
            "answer_seconds": round(self.answer_seconds, 2),
            "prompt_tokens_per_second": _rounded(self.prompt_tokens_per_second),
            "tokens_per_second": _rounded(self.tokens_per_second),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass(slots=True)
class Answer:
    question: str
    text: str  # what to show: the checked generated answer, else the extractive one
    citations: list[Citation]
    refused: bool
    sources: list[SearchHit]  # citation n = position here (1-based); model passages first
    model: str | None  # None: no language model (extractive answer only)
    prompt_template: str
    prompt_sha256: str
    seconds: float = 0.0
    flagged: list[str] = field(default_factory=list)
    invalid_citations: list[int] = field(default_factory=list)
    raw_text: str = ""
    error: str | None = None
    audit_id: int | None = None  # the audit record, for feedback on this answer
    extractive: ExtractiveAnswer | None = None
    generation: GenerationStatus | None = None
    model_passages: int = 0  # sources[:model_passages] were given to the model
    # Who or which party a field or the council records give (the extractive direct
    # answer), when the generated answer does not name it: a small model sometimes
    # names another person from another passage, and the check against the sources
    # cannot see that.
    differs: str | None = None

    @property
    def generated(self) -> bool:
        return self.model is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "refused": self.refused,
            "flagged": self.flagged,
            "invalid_citations": self.invalid_citations,
            "model": self.model,
            "prompt_template": self.prompt_template,
            "extractive": self.extractive.to_dict() if self.extractive else None,
            "generation": self.generation.to_dict() if self.generation else None,
            "differs": self.differs,
            "sources": [
                {"n": n, "file": h.file, "name": h.name, "page": h.page, "score": round(h.score, 5)}
                for n, h in enumerate(self.sources, start=1)
            ],
            "seconds": round(self.seconds, 2),
            "error": self.error,
            "audit_id": self.audit_id,
        }


# What ``Answerer.stream`` yields: the extractive answer (first, at once), the model's
# progress and text pieces (with a model), then the final checked Answer.
AnswerEvent = ExtractiveAnswer | GenerationStatus | str | Answer


def _passage_header(number: int, hit: SearchHit) -> str:
    title = hit.document.title[:100]
    name = "document" if hit.private else hit.name
    return f"[{number}] ({name}, p. {hit.page}; {title})"


def _best_quote(claim: str, passage: str) -> tuple[str, int]:
    """The passage sentence that supports ``claim`` best, with its offset in the passage."""
    best, best_offset, best_score = "", 0, -1.0
    cursor = 0
    for sentence in split_sentences(passage):
        offset = passage.find(sentence, cursor)
        cursor = max(cursor, offset)
        score = support(claim, sentence)
        if score > best_score:
            best, best_offset, best_score = sentence, max(offset, 0), score
    return best[:300], best_offset


_GAP = "\n\n…\n\n"  # between the excerpts of one passage (a sentence break)


@dataclass(frozen=True, slots=True)
class _Passage:
    """What the model sees of a hit: its chunk text, or excerpts of it."""

    hit: SearchHit
    windows: tuple[tuple[int, int], ...]  # (start, end) offsets in the chunk text, in order

    @property
    def text(self) -> str:
        return _GAP.join(self.hit.chunk.text[start:end] for start, end in self.windows)

    def chunk_offset(self, offset: int) -> int:
        """The chunk-text offset of ``offset`` in ``text``."""
        position = 0
        for start, end in self.windows:
            if offset < position + end - start:
                return start + max(offset - position, 0)
            position += end - start + len(_GAP)
        return self.windows[-1][1]


def _window(text: str, focus: tuple[int, int], size: int) -> tuple[int, int]:
    """About ``size`` characters of ``text`` holding ``focus`` (a quoted sentence), a third
    of the room before it and the rest after, widened to the line or sentence start before
    (else a word start) and cut at a line or sentence end after (else a word end): a
    word cut in half confuses a small model."""
    quote_start, quote_end = focus
    room = max(size - (quote_end - quote_start), 0)
    start = max(0, quote_start - room // 3)
    end = min(len(text), quote_end + room - room // 3)
    if start:
        cut = max(text.rfind("\n", 0, start + 1), text.rfind(". ", 0, start + 1) + 1)
        if cut <= start - size // 4:
            cut = text.rfind(" ", 0, start + 1)
        start = cut + 1 if 0 <= cut <= quote_start else start
    if end < len(text):
        cut = max(text.rfind("\n", quote_end, end), text.rfind(". ", quote_end, end) + 1)
        end = cut if cut > quote_end else max(text.rfind(" ", quote_end, end), quote_end)
    return start, end


def _densest(text: str, stems: set[str], size: int) -> int:
    """Where the most distinct question terms stand within ``size`` characters (0 when
    the text holds none): the part of an unquoted passage most about the question."""
    found = [(start, stem) for start, _, stem in term_matches(text, stems)]
    best, best_count = 0, 0
    for position, _ in found:
        count = len({stem for other, stem in found if position <= other < position + size})
        if count > best_count:
            best, best_count = position, count
    return best


def _excerpt(
    hit: SearchHit, focus: Sequence[tuple[int, int]], max_tokens: int, stems: set[str]
) -> _Passage:
    """The chunk text, or about ``max_tokens`` of it: a window around each quoted sentence
    in ``focus`` (chunk offsets; all of the extractive answer's quotes from this passage,
    so the model sees every sentence the key sentences name), else around the densest run
    of the question's terms (``stems``)."""
    text = hit.chunk.text
    max_chars = max_tokens * _CHARS_PER_TOKEN
    if len(text) <= max_chars:
        return _Passage(hit, ((0, len(text)),))
    if not focus:
        start = _densest(text, stems, max_chars // 2)
        focus = [(start, start)]
    size = max_chars // len(focus)
    windows: list[tuple[int, int]] = []
    for start, end in sorted(_window(text, span, size) for span in focus):
        if windows and start <= windows[-1][1]:  # overlapping: one window
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return _Passage(hit, tuple(windows))


def _key_sentences(extractive: ExtractiveAnswer | None, passages: int) -> str:
    """The extractive answer's direct answer and quotes from the given passages, as a
    block the model reads before the passages."""
    if extractive is None or extractive.refused:
        return ""
    lines = [
        f"- {q.text} [{q.n}]" for q in extractive.quotes if q.n <= passages and len(q.text) > 3
    ]
    direct = extractive.direct
    if direct is not None and direct.n <= passages:
        lines.insert(0, f"- {direct.label}: {direct.text} [{direct.n}]")
    if extractive.listing:  # the records' list: its lines, not the recording sentences
        lines = [f"- {item.text} [{item.n}]" for item in extractive.listing if item.n <= passages]
        if extractive.listing_note and lines:  # none has the asked outcome: say so first
            lines.insert(0, f"- {extractive.listing_note}")
    if not lines:
        return ""
    return "Kernzinnen uit de passages (letterlijk):\n" + "\n".join(lines)


def _reorder(extractive: ExtractiveAnswer, order: Sequence[int]) -> None:
    """Renumber the extractive citations after the sources were put in ``order``."""
    number = {old + 1: new + 1 for new, old in enumerate(order)}
    for quote in extractive.quotes:
        quote.n = number[quote.n]
    for direct in [extractive.direct, *extractive.listing]:
        if direct is not None:
            direct.n = number[direct.n]


def _protected_fact(fact: Fact, hit: SearchHit, pseudonymize: Callable[[str], str]) -> Fact:
    """``fact`` as its pseudonymised hit shows it: its value and sentence pseudonymised,
    the sentence found again in the hit's pseudonymised passage."""
    sentence = pseudonymize(fact.sentence)
    return replace(
        fact,
        value=pseudonymize(fact.value),
        sentence=sentence,
        chunk=hit.chunk,
        offset=max(hit.chunk.text.find(sentence), 0),
    )


class AnswerEvidence(NamedTuple):
    """What an extractive answer is chosen from (``Answerer.evidence``)."""

    question: str  # pseudonymised where the passages are sensitive
    hits: list[SearchHit]
    facts: list[Fact]  # from the council records, each in ``hits[fact.source]``
    missing: str | None  # why the records hold nothing of the list the question asks for
    # The passages read beside the search hits (``Answerer._beside``): sources only when
    # quoted.
    beside: frozenset[str] = frozenset()
    # The question's words the speaker or party filter settles (``SearchFilters.
    # settled_terms``): no evidence that a passage answers.
    settled: frozenset[str] = frozenset()


_PAGE_CHUNKS_OF = 3  # hits whose pages' other passages an answer also reads


class Answerer:
    def __init__(
        self,
        settings: Settings,
        *,
        search: Searcher,
        llm: Callable[[], LLM | None],
        audit: AuditLog,
        prompts: PromptLibrary,
        extractive: ExtractiveAnswerer,
        council: Callable[[str, Sequence[SearchHit]], Recorded] | None = None,
        page_chunks: Callable[[SearchHit], Sequence[ChunkRecord]] | None = None,
    ) -> None:
        self._settings = settings
        self._page_chunks = page_chunks
        self._search = search
        self._llm = llm
        self._audit = audit
        self._prompts = prompts
        self._extractive = extractive
        self._council = council

    def ask(
        self,
        question: str,
        *,
        filters: SearchFilters | None = None,
        user: str | None = None,
        template: str | None = None,
    ) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, filters=filters, user=user, template=template):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        *,
        filters: SearchFilters | None = None,
        user: str | None = None,
        template: str | None = None,
    ) -> Iterator[AnswerEvent]:
        """Yield the extractive answer, then (with a model) status events and the answer
        text pieces as the model produces them, then the checked Answer."""
        started = time.perf_counter()
        filters = filters or SearchFilters()
        prompt_template = (
            self._prompts.get(template, task="answer")
            if template
            else self._prompts.first("answer")
        )
        record = AuditRecord(
            action="ask",
            input=question,
            filters=filters.to_dict(),
            prompt_template=prompt_template.name,
            prompt_sha256=prompt_template.sha256,
            user=user,
            settings_fingerprint=self._settings.index_fingerprint(),
        )
        with self._audit.recording(record):
            evidence = self.evidence(question, filters=filters)
            question, hits = evidence.question, evidence.hits
            record.input = question
            extractive = self._extractive.answer(
                question,
                hits,
                facts=evidence.facts,
                missing=evidence.missing,
                settled=evidence.settled,
            )
            if extractive.refused and extractive.reason is None and filters.speakers:
                # Not "not in the documents": others may well have spoken of it.
                extractive.reason = _said_nothing(filters.speakers)
            order = self._passage_order(extractive, hits, evidence.beside)
            sources = [hits[i] for i in order]
            _reorder(extractive, order)
            extractive.sources = sources
            answer = Answer(
                question=question,
                text=extractive.render(),
                citations=[Citation.from_quote(q) for q in extractive.quotes],
                refused=extractive.refused,
                sources=sources,
                model=None,
                prompt_template=prompt_template.name,
                prompt_sha256=prompt_template.sha256,
                extractive=extractive,
            )
            self._fill_record(record, answer)
            yield extractive
            # No sentence answers well enough (the calibrated refusal): the model is not
            # asked either; it would only guess.
            if not extractive.refused:
                llm = self._llm()
                if llm is not None:
                    yield from self._generate(llm, prompt_template, question, answer, record)
            answer.seconds = time.perf_counter() - started
            self._fill_record(record, answer)
        # After the block: the record is written, so the answer carries its id (feedback).
        answer.audit_id = record.id
        yield answer

    def evidence(self, question: str, *, filters: SearchFilters) -> AnswerEvidence:
        """What the extractive answer is chosen from: the question (pseudonymised where
        the passages are sensitive), the retrieved passages, and what the council records
        say (the vote a question asks about, or the motions of a list), their pages first
        among the passages."""
        hits = self._search(question, top_k=self._settings.answer.passages, filters=filters)
        beside = self._beside(question, hits, filters)
        hits = [*hits, *beside]
        recorded = self._council(question, hits) if self._council else Recorded()
        hits = hits_first([hit for hit, _ in recorded.facts], hits)
        index: dict[tuple[str, int], int] = {}
        for i, hit in enumerate(hits):
            index.setdefault((hit.doc_id, hit.page), i)
        facts = [replace(fact, source=index[hit.doc_id, hit.page]) for hit, fact in recorded.facts]
        # Privacy by design: with passages from a sensitive collection, the model, the
        # answer and the audit log see the question and passages pseudonymised only.
        question, hits = protect_hits(self._settings, question, hits, filters)
        if any(sensitive_hit(self._settings, hits[fact.source]) for fact in facts):
            # A listed title or a recorded line of a sensitive document is as private as
            # its passage.
            pseudonymize = Pseudonymizer(self._settings.home).pseudonymize
            facts = [
                _protected_fact(fact, hits[fact.source], pseudonymize)
                if sensitive_hit(self._settings, hits[fact.source])
                else fact
                for fact in facts
            ]
        added = frozenset(hit.chunk_id for hit in beside)
        settled = filters.settled_terms()
        if filters.chunk_level:
            settled |= speech_terms(question)
        return AnswerEvidence(question, hits, facts, recorded.missing, added, settled)

    def _beside(
        self, question: str, hits: Sequence[SearchHit], filters: SearchFilters
    ) -> list[SearchHit]:
        """The other passages on the pages of the first few hits: search gives one passage
        per page, the one most like the question, and the sentence that answers may stand
        in the page's other passage ("… heeft de aanvrager op 28 juli 2024 een bezwaarschrift
        ingediend" beside the passage on the mandate). On dev … dev6 this raised the right
        quoted answers from 202 to 208 and lowered false refusals from 17 to 14 (stop 38).
        Under a speaker or party filter only the asked turns of such a passage are quoted,
        as in the hit (a passage without one is not read)."""
        if self._page_chunks is None:
            return []
        asked = TurnFilter.of(filters)
        held = {hit.chunk_id for hit in hits}
        extra: list[SearchHit] = []
        for hit in hits[:_PAGE_CHUNKS_OF]:
            for chunk in self._page_chunks(hit):
                if chunk.chunk_id in held:
                    continue
                held.add(chunk.chunk_id)
                quotable = None
                if hit.quotable is not None:
                    quotable = [(a, b) for turn, a, b in turn_ranges(chunk) if asked.matches(turn)]
                    if not quotable:
                        continue
                extra.append(
                    replace(
                        hit,
                        chunk_id=chunk.chunk_id,
                        chunk=chunk,
                        pages=list(chunk.pages),
                        keyword_rank=None,
                        vector_rank=None,
                        keyword_score=None,
                        vector_score=None,
                        turn=None,
                        quotable=quotable,
                        snippet=make_snippet(chunk.text, question),
                    )
                )
        return extra

    @staticmethod
    def _passage_order(
        extractive: ExtractiveAnswer, hits: Sequence[SearchHit], beside: frozenset[str]
    ) -> list[int]:
        """Hit indexes in the order the model gets them: the quoted passages first (best
        quote first), then the rest by retrieval rank; a passage read beside the hits only
        when quoted."""
        quoted = list(dict.fromkeys(q.n - 1 for q in extractive.quotes))
        rest = [i for i in range(len(hits)) if i not in quoted and hits[i].chunk_id not in beside]
        return quoted + rest

    def _generate(
        self,
        llm: LLM,
        template: PromptTemplate,
        question: str,
        answer: Answer,
        record: AuditRecord,
    ) -> Iterator[AnswerEvent]:
        answer.model = record.model = llm.name
        passages = self._fit_passages(llm, template, question, answer.sources, answer.extractive)
        answer.model_passages = len(passages)
        context = self._context(passages)
        key = _key_sentences(answer.extractive, len(passages))
        if key:  # the extractive answer, nearest the question: a small model copies well
            context = f"{context}\n\n{key}"
        prompt = Prompt(
            system=template.system,
            user=template.render(context=context, question=question),
        )
        status = GenerationStatus(
            llm.name, llm.count_tokens(prompt.system + "\n" + prompt.user), "prompt"
        )
        answer.generation = status
        yield status
        pieces: list[str] = []
        asked = time.perf_counter()
        first = last_status = 0.0
        stream = llm.stream(
            prompt,
            max_tokens=self._settings.llm.max_answer_tokens,
            temperature=self._settings.llm.temperature,
        )
        try:
            for piece in stream:
                now = time.perf_counter()
                if not pieces:
                    first = last_status = now
                    status.prompt_seconds = now - asked
                    status.stage = "answer"
                pieces.append(piece)
                status.generated_tokens = len(pieces)
                status.answer_seconds = now - first
                if len(pieces) == 1 or now - last_status >= _STATUS_EVERY:
                    last_status = now
                    yield status
                yield piece
        finally:  # an abandoned answer stops the model at once
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        status.stage = "done"
        yield status
        self._check("".join(pieces), passages, answer)

    def _fit_passages(
        self,
        llm: LLM,
        template: PromptTemplate,
        question: str,
        hits: list[SearchHit],
        extractive: ExtractiveAnswer | None,
    ) -> list[_Passage]:
        """The first passages (best first, at most ``answer.model_passages``), each cut to
        about ``answer.model_passage_tokens`` around its quoted sentence, that fit the
        model's context with room to answer: a short prompt is a fast answer on a CPU."""
        budget = llm.context_tokens - self._settings.llm.max_answer_tokens
        overhead = llm.count_tokens(
            template.system + template.render(context="", question=question)
        )
        focus: dict[int, list[tuple[int, int]]] = {}  # hit index -> its quotes' chunk spans
        for quote in extractive.quotes if extractive else []:
            length = len(quote.text.strip("…"))
            focus.setdefault(quote.n - 1, []).append((quote.offset, quote.offset + length))
        stems = terms(question)
        chosen: list[_Passage] = []
        used = overhead
        for index, hit in enumerate(hits[: self._settings.answer.model_passages]):
            passage = _excerpt(
                hit, focus.get(index, []), self._settings.answer.model_passage_tokens, stems
            )
            cost = llm.count_tokens(_passage_header(len(chosen) + 1, hit) + "\n" + passage.text)
            if used + cost > budget:
                break
            chosen.append(passage)
            used += cost
        if not chosen and hits:
            # Not even one passage fits: give the first one, cut to the space there is.
            room = max(budget - overhead, 0)
            if room < 64:
                raise RaadsinzichtError(
                    "Het contextvenster van het model is te klein voor een vraag met bron "
                    f"({llm.context_tokens} tokens); kies een model met een groter venster."
                )
            chosen.append(_excerpt(hits[0], focus.get(0, [])[:1], room, stems))
        return chosen

    @staticmethod
    def _context(passages: list[_Passage]) -> str:
        return "\n\n".join(
            f"{_passage_header(number, passage.hit)}\n{passage.text.strip()}"
            for number, passage in enumerate(passages, start=1)
        )

    def _check(self, raw: str, passages: list[_Passage], answer: Answer) -> None:
        """Keep only verifiable statements; fill citations, flags and the refusal state."""
        answer.raw_text = raw
        checker = GroundingChecker(
            # What the model saw of each passage: its header's title and the excerpt.
            {n: f"{p.hit.document.title}\n{p.text}" for n, p in enumerate(passages, start=1)},
            min_support=self._settings.answer.min_support,
            citation=ANSWER_CITATION,
            refusals=_MODEL_REFUSALS,
            given=answer.question,  # a restated question needs no support; the answer does
        )
        checked = checker.check(raw)
        answer.invalid_citations = checked.invalid
        answer.flagged = checked.flagged
        claims = checked.first_claims()
        if not claims:  # nothing verifiable: the model refused or invented
            answer.refused = True
            answer.text = REFUSAL
            answer.citations = []
            return
        quoted = {q.n for q in answer.extractive.quotes} if answer.extractive else set()
        min_coverage = self._settings.answer.min_coverage
        if not any(
            n in quoted
            or self._extractive.covers(answer.question, passages[n - 1].hit) >= min_coverage
            for n in claims
        ):
            # Supported only by passages about something else ("Ja, dit staat in de motie
            # [2]" with [2] an unrelated motion): no answer to this question.
            answer.refused = True
            answer.text = REFUSAL
            answer.citations = []
            return
        answer.refused = False
        answer.text = checked.render(lambda n: f"[{n}]")
        answer.differs = unnamed_direct_answer(answer.extractive, answer.text)
        answer.citations = []
        for n, claim in claims.items():
            passage = passages[n - 1]
            quote, offset = _best_quote(claim, passage.text)
            hit = passage.hit
            start = passage.chunk_offset(offset)
            page = page_at(hit.chunk, start)
            # The quoted sentence's own lines, for the highlight in the page preview.
            boxes = quote_boxes(hit.chunk, start, start + len(quote))
            answer.citations.append(
                Citation(n, hit.chunk_id, hit.file, page, quote, boxes=list(boxes))
            )

    def _fill_record(self, record: AuditRecord, answer: Answer) -> None:
        record.sources = [
            {"n": n, "chunk_id": h.chunk_id, "file": h.file, "page": h.page, "score": h.score}
            for n, h in enumerate(answer.sources, start=1)
        ]
        record.answer = answer.text
        record.citations = [c.to_dict() for c in answer.citations]
        record.refused = answer.refused
        record.flagged = answer.flagged
        record.extractive = answer.extractive.render() if answer.extractive else None
        record.differs = answer.differs


def differs_note(direct: str) -> str:
    """The warning under a generated answer that does not name the direct answer."""
    return (
        f"Let op: volgens de gegevens van het document is het antwoord “{direct}”; het "
        "taalmodel noemt dat niet. Controleer de bronnen."
    )


# Outcomes as a decision or the records word them, the most specific first.
_OUTCOMES = (
    ("gedeeltelijk gegrond", r"(?:gedeeltelijk|deels) gegrond"),
    ("niet-ontvankelijk", r"niet[- ]ontvankelijk"),
    ("ongegrond", "ongegrond"),
    ("gegrond", "gegrond"),
    ("aangenomen", "aangenomen"),
    ("verworpen", "verworpen"),
    ("ingetrokken", "ingetrokken"),
    ("aangehouden", "aangehouden"),
)
# How a text says an objection was, or was not, made in time.
_SAYS_LATE = re.compile(
    r"\b(?:te laat|niet (?:tijdig|op tijd|binnen de \w*termijn)|buiten de \w*termijn|na "
    r"(?:afloop|het einde) van de \w*termijn|termijn\w* (?:is |werd )?overschreden)\b",
    re.IGNORECASE,
)
_SAYS_IN_TIME = re.compile(r"\b(?:tijdig|op tijd|binnen de \w*termijn)\b", re.IGNORECASE)


def _word_in(pattern: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){pattern}(?![\w-])", text, re.IGNORECASE) is not None


def unnamed_direct_answer(extractive: ExtractiveAnswer | None, text: str) -> str | None:
    """The direct answer of a field or the council records (who submitted, which party,
    an outcome, whether an objection was in time) when ``text`` does not name it: its
    party, its person's surname (before a bracket: "Lesley Arp (SP), mede ingediend door
    …" is named by "Arp"), its outcome ("ongegrond": "gegrond" does not name it), its
    verdict on the period ("tijdig", "te laat"). A direct answer read from a quoted
    sentence is no firmer than the model's, and other kinds (dates, amounts) have other
    spellings: None for those."""
    direct = extractive.direct if extractive is not None else None
    if direct is None or direct.origin == "tekst":
        return None
    if direct.kind == "uitkomst":
        outcome = next(
            ((name, said) for name, said in _OUTCOMES if _word_in(said, direct.text)), None
        )
        return None if outcome is None or _word_in(outcome[1], text) else outcome[0]
    if direct.kind == "termijn":
        late = direct.text.startswith("te laat")
        if not late and not direct.text.startswith("tijdig"):
            return None
        says_late = _SAYS_LATE.search(text) is not None
        says_in_time = _SAYS_IN_TIME.search(_SAYS_LATE.sub("", text)) is not None
        agrees = says_late and not says_in_time if late else says_in_time and not says_late
        return None if agrees else ("te laat" if late else "tijdig")
    if direct.kind == "partij":
        wanted = [name for _, _, name in find_parties(direct.text)][:1]
        named = {name for _, _, name in find_parties(text)}
        return direct.text if wanted and wanted[0] not in named else None
    if direct.kind == "persoon":
        last = surname(direct.text)
        if last is None:
            return None
        said = re.search(rf"(?<!\w){re.escape(last)}(?!\w)", text, re.IGNORECASE)
        return None if said else direct.text
    return None


def _said_nothing(speakers: Sequence[str]) -> str:
    """Why a question about what ``speakers`` said is refused: they did not say it in the
    minutes found. An office ("de wethouder") stands for all who held it, not each named."""
    if len(speakers) > 3:
        many = len(speakers)
        return f"In de gevonden notulen zegt geen van de {many} gevraagde sprekers hier iets over."
    return f"In de gevonden notulen zegt {' of '.join(speakers)} hier niets over."
