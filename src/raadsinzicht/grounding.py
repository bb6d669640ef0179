"""Checking generated text against its sources: sentence splitting, term support and
question relevance. Shared by answers and summaries, so both apply the same rule: a
statement counts only when its words are found in the passage it cites."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .index.bm25 import tokenize_query

__all__ = [
    "Statement",
    "best_support",
    "coverage",
    "evidence_text",
    "question_weights",
    "split_sentences",
    "support",
    "terms",
]

# A sentence ends at . ! ? followed by space and a capital, quote or bullet (not a digit:
# "art. 6:7", "p. 12", "nr. 3" go on); a newline starting a list item ends one too.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý\"'“‘(•\-*\[])|\n+(?=\s*[-*•\d])|\n{2,}")


# Sentences that address the model rather than the reader (prompt injection). They stay in
# the passage the model sees (content stays content) but never count as evidence, so an
# answer that obeys them is unsupported.
_INSTRUCTION = re.compile(
    r"\b(negeer|vergeet)\b.{0,40}\b(instructies?|opdrachten|regels|prompt)\b"
    r"|\bignore\b.{0,40}\binstructions?\b"
    r"|\b(je|jij) bent (nu|vanaf nu)\b"
    r"|\b(systeemprompt|system prompt)\b",
    re.IGNORECASE,
)


def evidence_text(passage: str) -> str:
    """The passage without sentences that are instructions aimed at a language model."""
    return " ".join(s for s in split_sentences(passage) if not _INSTRUCTION.search(s))


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


def coverage(question: str, text: str, weights: Mapping[str, float] | None = None) -> float:
    """Share of the question's content terms found in ``text``, each term weighted (by its
    IDF, so "gemeente" counts little and "sleutelgeld" much): a relevance signal that,
    unlike fused ranks, is comparable across questions."""
    question_terms = terms(question)
    if not question_terms:
        return 0.0
    weight = weights or {}
    total = sum(weight.get(term, 1.0) for term in question_terms)
    found = sum(weight.get(term, 1.0) for term in question_terms & terms(text))
    return found / total if total else 0.0


_WORD = re.compile(r"\w+")


def question_weights(
    question: str, idf: Callable[[set[str]], Mapping[str, float | None]], max_idf: float
) -> dict[str, float]:
    """How much each question term matters for relevance.

    Terms the documents contain weigh their IDF. A term no document contains matters only
    when it names something: a capitalised word or a number ("Tilburg", "2031") makes a
    question about something the documents lack, and weighs three times the rarest term
    so that a question mostly about it is judged irrelevant; a lowercase one ("diende")
    is usually the question's own phrasing and is ignored.
    """
    stems: dict[str, bool] = {}  # stem -> names something
    for match in _WORD.finditer(question):
        word = match.group()
        for stem in tokenize_query(word):
            names = word[:1].isupper() or any(ch.isdigit() for ch in word)
            stems[stem] = stems.get(stem, False) or names
    known = idf(set(stems))
    weights = {}
    for stem, names in stems.items():
        value = known.get(stem)
        if value is not None:
            weights[stem] = value
        elif names:
            weights[stem] = 3 * max_idf
        else:
            weights[stem] = 0.0
    return weights


@dataclass(slots=True)
class Statement:
    """One sentence of generated text with the sources it (now) cites."""

    text: str  # without citation markers
    cited: list[int]
    supported: bool
    score: float
