"""Cited answers: retrieve passages, give them to the model in a delimited context block,
then check every citation and sentence against the passages before anything is shown.

Rules (after paper-qa): no relevant passage → a fixed refusal without calling the model;
a citation [n] to a passage the model was not given is removed and flagged; a sentence
whose words are not found in its cited passage is flagged, not shown as fact; an answer
with no supported sentence at all is a refusal. Every ask is appended to the audit log,
errors included.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .audit import AuditLog, AuditRecord
from .errors import RaadsinzichtError
from .grounding import best_support, coverage, evidence_text, split_sentences, support, terms
from .llm import LLM, Prompt
from .privacy import protect_hits
from .prompts import PromptLibrary, PromptTemplate
from .retrieve import SearchFilters, SearchHit, page_at
from .settings import Settings

__all__ = ["REFUSAL", "Answer", "Answerer", "Citation"]

REFUSAL = "Dit staat niet in de geïndexeerde documenten."
FLAG = "[niet onderbouwd]"
# Phrases with which models say the context does not hold the answer.
_MODEL_REFUSALS = (
    "staat niet in de geïndexeerde",
    "niet in de passages",
    "staat niet in de passages",
    "geen informatie",
    "niet te vinden",
    "kan ik niet beantwoorden",
)
_CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# "... zin. [1]" → "... zin [1]." so the marker stays with its own sentence.
_TRAILING_MARKER = re.compile(r"([.!?])\s*((?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+)")

Searcher = Callable[..., list[SearchHit]]


@dataclass(slots=True)
class Citation:
    n: int
    chunk_id: str
    file: str
    page: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "file": self.file,
            "name": self.file.rsplit("/", 1)[-1],
            "page": self.page,
            "quote": self.quote,
        }


@dataclass(slots=True)
class Answer:
    question: str
    text: str
    citations: list[Citation]
    refused: bool
    sources: list[SearchHit]
    model: str | None
    prompt_template: str
    prompt_sha256: str
    seconds: float = 0.0
    flagged: list[str] = field(default_factory=list)
    invalid_citations: list[int] = field(default_factory=list)
    raw_text: str = ""
    error: str | None = None
    audit_id: int | None = None  # the audit record, for feedback on this answer

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "refused": self.refused,
            "flagged": self.flagged,
            "invalid_citations": self.invalid_citations,
            "model": self.model,
            "prompt_template": self.prompt_template,
            "sources": [
                {"file": h.file, "name": h.name, "page": h.page, "score": round(h.score, 5)}
                for h in self.sources
            ],
            "seconds": round(self.seconds, 2),
            "error": self.error,
            "audit_id": self.audit_id,
        }


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


class Answerer:
    def __init__(
        self,
        settings: Settings,
        *,
        search: Searcher,
        llm: Callable[[], LLM],
        audit: AuditLog,
        prompts: PromptLibrary,
        term_weights: Callable[[str], dict[str, float]] | None = None,
    ) -> None:
        self._settings = settings
        self._search = search
        self._term_weights = term_weights or (lambda question: dict.fromkeys(terms(question), 1.0))
        self._llm = llm
        self._audit = audit
        self._prompts = prompts

    def relevant(self, question: str, hit: SearchHit) -> bool:
        """Does this passage plausibly address the question? (calibrated on eval/dev.jsonl)"""
        text = f"{hit.document.title}\n{hit.chunk.text}"
        weights = self._term_weights(question)
        if coverage(question, text, weights) >= self._settings.answer.min_coverage:
            return True
        return (hit.vector_score or 0.0) >= self._settings.answer.min_similarity

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
    ) -> Iterator[str | Answer]:
        """Yield answer text pieces as the model produces them, then the checked Answer."""
        started = time.perf_counter()
        filters = filters or SearchFilters()
        prompt_template = (
            self._prompts.get(template, task="answer")
            if template
            else self._prompts.first("answer")
        )
        hits = self._search(question, top_k=self._settings.answer.passages, filters=filters)
        # Privacy by design: with passages from a sensitive collection, the model, the answer
        # and the audit log see the question and passages pseudonymised only.
        question, hits = protect_hits(self._settings, question, hits, filters)
        answer = Answer(
            question=question,
            text=REFUSAL,
            citations=[],
            refused=True,
            sources=hits,
            model=None,
            prompt_template=prompt_template.name,
            prompt_sha256=prompt_template.sha256,
        )
        try:
            if any(self.relevant(question, hit) for hit in hits):
                llm = self._llm()
                answer.model = llm.name
                passages = self._fit_passages(llm, prompt_template, question, hits)
                prompt = Prompt(
                    system=prompt_template.system,
                    user=prompt_template.render(context=self._context(passages), question=question),
                )
                pieces: list[str] = []
                for piece in llm.stream(
                    prompt,
                    max_tokens=self._settings.llm.max_answer_tokens,
                    temperature=self._settings.llm.temperature,
                ):
                    pieces.append(piece)
                    yield piece
                answer.sources = passages
                self._check("".join(pieces), passages, answer)
        except RaadsinzichtError as exc:
            answer.error = str(exc)
            answer.seconds = time.perf_counter() - started
            self._log(answer, filters, user)
            raise
        answer.seconds = time.perf_counter() - started
        self._log(answer, filters, user)
        yield answer

    def _fit_passages(
        self, llm: LLM, template: PromptTemplate, question: str, hits: list[SearchHit]
    ) -> list[SearchHit]:
        """As many passages (best first) as fit the model's context with room to answer."""
        budget = llm.context_tokens - self._settings.llm.max_answer_tokens
        overhead = llm.count_tokens(
            template.system + template.render(context="", question=question)
        )
        chosen: list[SearchHit] = []
        used = overhead
        for hit in hits:
            cost = llm.count_tokens(_passage_header(len(chosen) + 1, hit) + "\n" + hit.chunk.text)
            if used + cost > budget:
                break
            chosen.append(hit)
            used += cost
        if not chosen and hits:
            # Not even one passage fits: give the first one, cut to the space there is.
            room = max(budget - overhead, 0)
            if room < 64:
                raise RaadsinzichtError(
                    "Het contextvenster van het model is te klein voor een vraag met bron "
                    f"({llm.context_tokens} tokens); kies een model met een groter venster."
                )
            chosen.append(hits[0])
        return chosen

    @staticmethod
    def _context(passages: list[SearchHit]) -> str:
        return "\n\n".join(
            f"{_passage_header(number, hit)}\n{hit.chunk.text.strip()}"
            for number, hit in enumerate(passages, start=1)
        )

    def _check(self, raw: str, passages: list[SearchHit], answer: Answer) -> None:
        """Keep only verifiable statements; fill citations, flags and the refusal state."""
        answer.raw_text = raw
        passage_terms = [
            (n, terms(evidence_text(hit.chunk.text))) for n, hit in enumerate(passages, start=1)
        ]
        text = _TRAILING_MARKER.sub(lambda m: f" {m.group(2).strip()}{m.group(1)}", raw.strip())
        kept: list[str] = []
        cited_numbers: dict[int, str] = {}  # passage number -> first claim citing it
        invalid: set[int] = set()
        flagged: list[str] = []
        min_support = self._settings.answer.min_support
        seen_claims: set[str] = set()
        for sentence in split_sentences(text):
            numbers = [
                int(n) for group in _CITATION.findall(sentence) for n in re.split(r"[,;]", group)
            ]
            claim = _CITATION.sub("", sentence).strip()
            claim = re.sub(r"\s+([.,;:!?])", r"\1", claim).lstrip("-*• ").strip()
            normalized = " ".join(claim.lower().split())
            if not claim or normalized in seen_claims:
                continue  # small models repeat themselves; say everything once
            seen_claims.add(normalized)
            valid = [n for n in numbers if 1 <= n <= len(passages)]
            invalid.update(n for n in numbers if not 1 <= n <= len(passages))
            scored = [(n, support(claim, passage_terms[n - 1][1])) for n in valid]
            good = [n for n, score in scored if score >= min_support]
            if not good and not terms(claim):
                kept.append(claim)  # no content words to check ("Ja.")
                continue
            if not good and _is_refusal(claim):
                continue  # the model's own "not in the documents" sentence
            if not good:
                # Uncited or miscited: attribute only when a given passage truly supports it.
                key, score = best_support(claim, passage_terms)
                if key is not None and score >= min_support:
                    good = [key]
            if good:
                for n in good:
                    cited_numbers.setdefault(n, claim)
                kept.append(f"{claim} {''.join(f'[{n}]' for n in good)}")
            else:
                flagged.append(claim)
                kept.append(f"{FLAG} {claim}")
        answer.invalid_citations = sorted(invalid)
        answer.flagged = flagged
        if not cited_numbers:  # nothing verifiable: the model refused or invented
            answer.refused = True
            answer.text = REFUSAL
            answer.citations = []
            return
        if not any(self.relevant(answer.question, passages[n - 1]) for n in cited_numbers):
            # Supported only by passages about something else ("Ja, dit staat in de motie
            # [2]" with [2] an unrelated motion): no answer to this question.
            answer.refused = True
            answer.text = REFUSAL
            answer.citations = []
            return
        answer.refused = False
        answer.text = _fix_spacing(" ".join(kept))
        answer.citations = []
        for n in sorted(cited_numbers):
            hit = passages[n - 1]
            quote, offset = _best_quote(cited_numbers[n], hit.chunk.text)
            answer.citations.append(
                Citation(n, hit.chunk_id, hit.file, page_at(hit.chunk, offset), quote)
            )

    def _log(self, answer: Answer, filters: SearchFilters, user: str | None) -> None:
        answer.audit_id = self._audit.append(
            AuditRecord(
                action="ask",
                input=answer.question,
                filters=filters.to_dict(),
                sources=[
                    {"chunk_id": h.chunk_id, "file": h.file, "page": h.page, "score": h.score}
                    for h in answer.sources
                ],
                model=answer.model,
                prompt_template=answer.prompt_template,
                prompt_sha256=answer.prompt_sha256,
                answer=answer.text,
                citations=[c.to_dict() for c in answer.citations],
                refused=answer.refused,
                flagged=answer.flagged,
                seconds=answer.seconds,
                error=answer.error,
                user=user,
                settings_fingerprint=self._settings.index_fingerprint(),
            )
        )


def _is_refusal(sentence: str) -> bool:
    lowered = sentence.lower()
    return any(marker in lowered for marker in _MODEL_REFUSALS)


def _fix_spacing(text: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]+", " ", text)).strip()
