"""Checking generated text against its sources: sentence splitting, term support and
question relevance. Shared by answers and summaries, so both apply the same rule: a
statement counts only when its words are found in the passage it cites."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .index.bm25 import tokenize_query

__all__ = ["Statement", "best_support", "coverage", "split_sentences", "support", "terms"]

# A sentence ends at . ! ? followed by space and a capital, digit, quote or bullet; a
# newline starting a list item ends one too.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9\"'“‘(•\-*])|\n+(?=\s*[-*•\d])|\n{2,}")


def terms(text: str) -> set[str]:
    """Stemmed content words (Dutch stop words removed), as the keyword index sees them."""
    return set(tokenize_query(text))


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def support(claim: str, source: str | set[str]) -> float:
    """Share of the claim's content terms that occur in the source (0..1)."""
    claim_terms = terms(claim)
    if not claim_terms:
        return 1.0  # nothing to check ("Ja.", a bare number)
    source_terms = source if isinstance(source, set) else terms(source)
    return len(claim_terms & source_terms) / len(claim_terms)


def best_support(claim: str, sources: Iterable[tuple[int, set[str]]]) -> tuple[int | None, float]:
    """The source key supporting ``claim`` best, and how well."""
    best_key, best = None, 0.0
    for key, source_terms in sources:
        score = support(claim, source_terms)
        if score > best:
            best_key, best = key, score
    return best_key, best


def coverage(question: str, text: str) -> float:
    """Share of the question's content terms found in ``text``: a calibrated-enough
    relevance signal that, unlike fused ranks, is comparable across questions."""
    question_terms = terms(question)
    if not question_terms:
        return 0.0
    return len(question_terms & terms(text)) / len(question_terms)


@dataclass(slots=True)
class Statement:
    """One sentence of generated text with the sources it (now) cites."""

    text: str  # without citation markers
    cited: list[int]
    supported: bool
    score: float
