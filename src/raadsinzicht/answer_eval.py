"""Answer evaluation: ask every question of an evaluation set through ``Engine.ask`` and
score what a user sees (``shown_answer``: the model's checked answer, or, when the model
gave none while the sources did answer, the extractive answer shown above it), and the
model's own text apart (**model accuracy**).

- **accuracy**: an accepted answer string occurs in the answer, both normalised the same
  way (case, whitespace, diacritics, number formats "1.500" / "1500" / "2,5", units "%" /
  "procent", "mln" / "miljoen", "m²" / "m2", currency signs and words dropped, and dates
  "4 februari 2025" / "04-02-2025" as ISO dates); a refusal is never correct;
- **citation precision**: the share of the answer's citations that point to a gold
  document, and to a gold page;
- **refusals**: the share of unanswerable questions refused (refusal accuracy) and of
  answerable questions refused (false refusals).

The answer quoted from the sources (``extractive``, computed for every question, with or
without a model) is also scored on its own, in two parts so that quoting more text can
never buy accuracy: **span accuracy**, the direct answer line alone, over the questions
whose form asks for one (``spans.question_type``: wie, welke partij, wanneer, hoeveel,
welk bedrag, welke grond, ...); and **evidence accuracy**, the quoted sentences alone (at
most 3 sentences and 600 characters in all). Its own latency (the step beyond retrieval)
is reported apart.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .dates import find_dates
from .errors import RaadsinzichtError
from .spans import question_type
from .wordlists import parties, party_aliases

if TYPE_CHECKING:  # evaluate imports this module
    from .answer import Answer
    from .engine import Engine
    from .evaluate import EvalItem

__all__ = [
    "EVIDENCE_CHARS",
    "EVIDENCE_SENTENCES",
    "AnswerResult",
    "ExtractiveResult",
    "answer_metrics",
    "contains_answer",
    "normalise_answer",
    "run_answers",
]

_UNITS = (
    (re.compile(r"%"), " procent "),
    (re.compile(r"€|\beur(?:o|os)?\b"), " "),  # "€ 150.000" = "150.000 euro"
    (re.compile(r"\bmln\b\.?"), " miljoen "),
    (re.compile(r"\b(?:mld|mrd)\b\.?"), " miljard "),
)
# "." or a (narrow) no-break space between digit groups; a plain space is not a thousands
# separator ("in 2025 200 woningen").
_THOUSANDS = re.compile(r"(?<=\d)[.\u00a0\u202f](?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_NOT_WORD = re.compile(r"[^\w.:/-]+")
_EDGE_PUNCT = re.compile(r"(?<!\S)[.:/-]+|[.:/-]+(?!\S)")


def normalise_answer(text: str) -> str:
    """``text`` in the canonical form both answers and accepted strings are compared in."""
    parts: list[str] = []
    cursor = 0
    for mention in find_dates(text):  # before lower-casing: the date patterns need the text
        parts += [text[cursor : mention.start], f" {mention.date.isoformat()} "]
        cursor = mention.end
    parts.append(text[cursor:])
    text = "".join(parts)
    previous = None
    while previous != text:  # 1.234.567 -> 1234567 (one separator per pass)
        previous, text = text, _THOUSANDS.sub("", text)
    text = unicodedata.normalize("NFKD", text)  # also m² -> m2
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    for pattern, replacement in _UNITS:
        text = pattern.sub(replacement, text)
    text = _DECIMAL_COMMA.sub(".", text)
    text = _NOT_WORD.sub(" ", text)
    text = _EDGE_PUNCT.sub(" ", text)
    return " ".join(text.split())


def contains_answer(answer: str, accepted: Sequence[str]) -> bool:
    """Whether one of the ``accepted`` strings occurs in ``answer`` as whole words; a
    party by any of its names ("PvdD" is "Partij voor de Dieren")."""
    haystack = f" {normalise_answer(answer)} "
    return any(
        (needle := normalise_answer(option)) and f" {needle} " in haystack
        for option in _with_party_names(accepted)
    )


def _with_party_names(accepted: Sequence[str]) -> list[str]:
    aliases = party_aliases()
    names = parties()
    found = [option.strip() for option in accepted if option.strip() in aliases]
    return [*accepted, *(name for option in found for name in names[aliases[option]])]


EVIDENCE_SENTENCES = 3
EVIDENCE_CHARS = 600
SPAN_KINDS = ("factoid", "lookup", "ocr")


@dataclass(slots=True)
class ExtractiveResult:
    """How the answer quoted from the sources did on one question."""

    typed: bool  # the question's form asks for a direct answer
    span: str | None  # the direct answer line's value
    span_correct: bool | None  # None: unanswerable, or no direct answer asked for
    evidence: list[str]  # the quotes scored (at most 3 sentences, 600 characters)
    evidence_correct: bool | None  # None for unanswerable items
    refused: bool
    citations: list[tuple[str, int]]
    citations_on_gold_document: int
    citations_on_gold_page: int
    seconds: float  # the extractive step alone

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span,
            "span_correct": self.span_correct,
            "evidence": self.evidence,
            "evidence_correct": self.evidence_correct,
            "refused": self.refused,
            "citations": [f"{file} p. {page}" for file, page in self.citations],
            "seconds": round(self.seconds, 3),
        }


def _evidence(quotes: Sequence[str]) -> list[str]:
    """The quotes as scored: at most EVIDENCE_SENTENCES, EVIDENCE_CHARS in all."""
    kept: list[str] = []
    used = 0
    for quote in quotes[:EVIDENCE_SENTENCES]:
        if used + len(quote) > EVIDENCE_CHARS:
            kept.append(quote[: EVIDENCE_CHARS - used])
            break
        kept.append(quote)
        used += len(quote)
    return kept


def _shown(extractive: Any) -> list[str]:
    """The lines an extractive answer gives as its evidence: the quotes, or a list's items
    (the motions the records list, each cited to the sentence that records it)."""
    return [item.text for item in extractive.listing] or [q.text for q in extractive.quotes]


def score_extractive(
    item: EvalItem, extractive: Any, files: set[str], pages: set[tuple[str, int]]
) -> ExtractiveResult:
    """Score an ``extractive.ExtractiveAnswer`` against an item's accepted answers."""
    typed = question_type(item.question) is not None
    direct = extractive.direct
    evidence = [] if extractive.refused else _evidence(_shown(extractive))
    cited = [] if extractive.refused else [(q.file, q.page) for q in extractive.quotes]
    span_correct: bool | None = None
    evidence_correct: bool | None = None
    if item.answerable:
        evidence_correct = not extractive.refused and contains_answer(
            " ".join(evidence), item.answers
        )
        if typed:
            span_correct = (
                not extractive.refused
                and direct is not None
                and contains_answer(direct.text, item.answers)
            )
    return ExtractiveResult(
        typed=typed,
        span=direct.text if direct is not None and not extractive.refused else None,
        span_correct=span_correct,
        evidence=evidence,
        evidence_correct=evidence_correct,
        refused=extractive.refused,
        citations=cited,
        citations_on_gold_document=sum(1 for file, _ in cited if file in files),
        citations_on_gold_page=sum(1 for pair in cited if pair in pages),
        seconds=extractive.seconds,
    )


MODEL = "model"
SOURCES = "bronnen"
REFUSED = "weigering"


@dataclass(slots=True)
class AnswerResult:
    id: str
    kind: str
    text: str  # what was scored (see ``shown_answer``)
    refused: bool
    correct: bool | None  # None for unanswerable items
    citations: list[tuple[str, int]]  # (file, page) of each citation
    citations_on_gold_document: int
    citations_on_gold_page: int
    seconds: float
    error: str | None = None
    extractive: ExtractiveResult | None = None
    generation: dict[str, Any] | None = None  # the model's token counts and speeds
    answered_by: str = REFUSED  # MODEL, SOURCES (the extractive answer) or REFUSED
    model_text: str | None = None  # the model's checked answer (None: no model asked)
    model_correct: bool | None = None  # that text alone; None: unanswerable or no model

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "extractive": self.extractive.to_dict() if self.extractive else None,
            "generation": self.generation,
            "answer": self.text,
            "answered_by": self.answered_by,
            "model_answer": self.model_text,
            "model_correct": self.model_correct,
            "refused": self.refused,
            "correct": self.correct,
            "citations": [f"{file} p. {page}" for file, page in self.citations],
            "citations_on_gold_document": self.citations_on_gold_document,
            "citations_on_gold_page": self.citations_on_gold_page,
            "seconds": round(self.seconds, 2),
            "error": self.error,
        }


def shown_answer(answer: Answer) -> tuple[str, str, list[tuple[str, int]]]:
    """(who answered, the text scored, its citations) of an ``answer.Answer``, as the CLI
    and the web show it: the model's checked answer when it gave one; when the model gave
    none that the sources support (it refused, or the grounding check rejected every
    sentence) while the extractive answer did answer, the user reads that extractive
    answer ("Beoordeel de zinnen uit de bronnen hierboven zelf"), scored as its direct
    answer line when it has one, else as its quotes (at most 3 sentences, 600
    characters); else the refusal."""
    if not answer.refused:
        cited = [(c.file, c.page) for c in answer.citations]
        return (MODEL if answer.generated else SOURCES), answer.text, cited
    extractive = answer.extractive
    if answer.generated and extractive is not None and not extractive.refused:
        direct = extractive.direct
        if direct is not None:
            quote = next((q for q in extractive.quotes if q.n == direct.n), None)
            cited = [(quote.file, quote.page)] if quote is not None else []
            return SOURCES, direct.text, cited
        evidence = _evidence(_shown(extractive))
        cited = [(q.file, q.page) for q in extractive.quotes[: len(evidence)]]
        return SOURCES, " ".join(evidence), cited
    return REFUSED, answer.text, []


def run_answers(
    engine: Engine,
    items: Sequence[EvalItem],
    gold: Mapping[str, tuple[set[str], set[tuple[str, int]]]],
    *,
    progress: Any = None,
) -> list[AnswerResult]:
    """Ask every item. ``gold`` maps an item id to its gold files and (file, page) pairs,
    as relative paths of the evaluated index. A failing answer (model error) is recorded
    with its error and counts as wrong, so one time-out does not end a long run."""
    results: list[AnswerResult] = []
    for done, item in enumerate(items):
        if progress:
            progress("answers", done, len(items), item.id)
        started = time.perf_counter()
        try:
            answer = engine.ask(item.question)
        except RaadsinzichtError as exc:
            correct = False if item.answerable else None
            seconds = time.perf_counter() - started
            results.append(
                AnswerResult(item.id, item.kind, "", False, correct, [], 0, 0, seconds, str(exc))
            )
            continue
        files, pages = gold.get(item.id, (set(), set()))
        answered_by, text, cited = shown_answer(answer)
        refused = answered_by == REFUSED
        extractive = (
            score_extractive(item, answer.extractive, files, pages)
            if answer.extractive is not None
            else None
        )
        model_text = answer.text if answer.generated else None
        results.append(
            AnswerResult(
                id=item.id,
                kind=item.kind,
                text=text,
                refused=refused,
                correct=(not refused and contains_answer(text, item.answers))
                if item.answerable
                else None,
                citations=cited,
                citations_on_gold_document=sum(1 for file, _ in cited if file in files),
                citations_on_gold_page=sum(1 for pair in cited if pair in pages),
                seconds=time.perf_counter() - started,
                error=answer.error,
                extractive=extractive,
                generation=answer.generation.to_dict() if answer.generation else None,
                answered_by=answered_by,
                model_text=model_text,
                model_correct=(not answer.refused and contains_answer(answer.text, item.answers))
                if item.answerable and answer.generated
                else None,
            )
        )
    if progress:
        progress("answers", len(items), len(items), "")
    return results


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def answer_metrics(results: Sequence[AnswerResult], *, model: str | None) -> dict[str, Any]:
    """The answer metrics of a run, overall and per kind (None where nothing to measure).
    Latency percentiles are added by the caller (``evaluate.percentile``)."""
    answerable = [r for r in results if r.correct is not None]
    unanswerable = [r for r in results if r.correct is None]
    citations = sum(len(r.citations) for r in answerable)
    kinds = sorted({r.kind for r in answerable})
    metrics: dict[str, Any] = {
        "model": model,
        "questions": len(results),
        "accuracy": _share(sum(1 for r in answerable if r.correct), len(answerable)),
        "citation_precision_document": _share(
            sum(r.citations_on_gold_document for r in answerable), citations
        ),
        "citation_precision_page": _share(
            sum(r.citations_on_gold_page for r in answerable), citations
        ),
        "citations": citations,
        "answers_without_citation": sum(1 for r in answerable if not r.refused and not r.citations),
        "refusal_accuracy": _share(sum(1 for r in unanswerable if r.refused), len(unanswerable)),
        "false_refusals": _share(sum(1 for r in answerable if r.refused), len(answerable)),
        "errors": sum(1 for r in results if r.error),
        "answered_by": {
            who: sum(1 for r in results if r.answered_by == who)
            for who in (MODEL, SOURCES, REFUSED)
        },
        "per_kind": {
            kind: _share(
                sum(1 for r in answerable if r.kind == kind and r.correct),
                sum(1 for r in answerable if r.kind == kind),
            )
            for kind in kinds
        },
    }
    if any(r.model_text is not None for r in results):
        # The model's own checked text alone, over the same questions: one it refused, it
        # left to the extractive answer or was not asked (the extractive refusal) is wrong.
        metrics["model_accuracy"] = _share(
            sum(1 for r in answerable if r.model_correct), len(answerable)
        )
    speeds = [r.generation for r in results if r.generation]
    if speeds:
        metrics["generation"] = {
            name: _median([s[name] for s in speeds if s.get(name) is not None])
            for name in (
                "prompt_tokens",
                "generated_tokens",
                "prompt_tokens_per_second",
                "tokens_per_second",
            )
        }
    extractive = [r for r in results if r.extractive is not None]
    if extractive:
        metrics["extractive"] = extractive_metrics(extractive)
    return metrics


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return round(value, 1)


def extractive_metrics(results: Sequence[AnswerResult]) -> dict[str, Any]:
    """Span and evidence accuracy, citation precision and refusals of the extractive
    answers; span accuracy over the answerable factoid/lookup/ocr questions whose form
    asks for a direct answer (and, stricter, over all of them)."""
    scored = [(r, r.extractive) for r in results if r.extractive is not None]
    answerable = [(r, e) for r, e in scored if r.correct is not None]
    unanswerable = [(r, e) for r, e in scored if r.correct is None]
    span_items = [(r, e) for r, e in answerable if r.kind in SPAN_KINDS]
    typed = [(r, e) for r, e in span_items if e.typed]
    citations = sum(len(e.citations) for _, e in answerable)
    kinds = sorted({r.kind for r, _ in answerable})
    return {
        "evidence_accuracy": _share(
            sum(1 for _, e in answerable if e.evidence_correct), len(answerable)
        ),
        "evidence_accuracy_factoid_lookup_ocr": _share(
            sum(1 for _, e in span_items if e.evidence_correct), len(span_items)
        ),
        "span_accuracy": _share(sum(1 for _, e in typed if e.span_correct), len(typed)),
        "span_questions": len(typed),
        "span_accuracy_all_factoid_lookup_ocr": _share(
            sum(1 for _, e in typed if e.span_correct), len(span_items)
        ),
        "spans_given": sum(1 for _, e in typed if e.span is not None),
        "citation_precision_document": _share(
            sum(e.citations_on_gold_document for _, e in answerable), citations
        ),
        "citation_precision_page": _share(
            sum(e.citations_on_gold_page for _, e in answerable), citations
        ),
        "citations": citations,
        "refusal_accuracy": _share(sum(1 for _, e in unanswerable if e.refused), len(unanswerable)),
        "false_refusals": _share(sum(1 for _, e in answerable if e.refused), len(answerable)),
        "per_kind": {
            kind: {
                "evidence": _share(
                    sum(1 for r, e in answerable if r.kind == kind and e.evidence_correct),
                    sum(1 for r, _ in answerable if r.kind == kind),
                ),
                "span": _share(
                    sum(1 for r, e in typed if r.kind == kind and e.span_correct),
                    sum(1 for r, _ in typed if r.kind == kind),
                ),
            }
            for kind in kinds
        },
        "seconds": [round(e.seconds, 4) for _, e in scored],
    }
