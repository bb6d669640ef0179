"""Answer evaluation: ask every question of an evaluation set through ``Engine.ask`` and
score what a user sees.

- **accuracy**: an accepted answer string occurs in the answer, both normalised the same
  way (case, whitespace, diacritics, number formats "1.500" / "1500" / "2,5", units "%" /
  "procent", "mln" / "miljoen", "m²" / "m2", currency signs and words dropped, and dates
  "4 februari 2025" / "04-02-2025" as ISO dates); a refusal is never correct;
- **citation precision**: the share of the answer's citations that point to a gold
  document, and to a gold page;
- **refusals**: the share of unanswerable questions refused (refusal accuracy) and of
  answerable questions refused (false refusals).
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

if TYPE_CHECKING:  # evaluate imports this module
    from .engine import Engine
    from .evaluate import EvalItem

__all__ = [
    "AnswerResult",
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
    """Whether one of the ``accepted`` strings occurs in ``answer`` as whole words."""
    haystack = f" {normalise_answer(answer)} "
    return any(
        (needle := normalise_answer(option)) and f" {needle} " in haystack for option in accepted
    )


@dataclass(slots=True)
class AnswerResult:
    id: str
    kind: str
    text: str
    refused: bool
    correct: bool | None  # None for unanswerable items
    citations: list[tuple[str, int]]  # (file, page) of each citation
    citations_on_gold_document: int
    citations_on_gold_page: int
    seconds: float
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "answer": self.text,
            "refused": self.refused,
            "correct": self.correct,
            "citations": [f"{file} p. {page}" for file, page in self.citations],
            "citations_on_gold_document": self.citations_on_gold_document,
            "citations_on_gold_page": self.citations_on_gold_page,
            "seconds": round(self.seconds, 2),
            "error": self.error,
        }


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
        cited = [(c.file, c.page) for c in answer.citations]
        refused = answer.refused
        results.append(
            AnswerResult(
                id=item.id,
                kind=item.kind,
                text=answer.text,
                refused=refused,
                correct=(not refused and contains_answer(answer.text, item.answers))
                if item.answerable
                else None,
                citations=cited,
                citations_on_gold_document=sum(1 for file, _ in cited if file in files),
                citations_on_gold_page=sum(1 for pair in cited if pair in pages),
                seconds=time.perf_counter() - started,
                error=answer.error,
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
    return {
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
        "per_kind": {
            kind: _share(
                sum(1 for r in answerable if r.kind == kind and r.correct),
                sum(1 for r in answerable if r.kind == kind),
            )
            for kind in kinds
        },
    }
