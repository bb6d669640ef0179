"""Checking generated text against its sources: sentence splitting, term support and
question relevance. Shared by answers and summaries, so both apply the same rule: a
statement counts only when its words are found in the passage it cites."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .index.bm25 import tokenize_query

__all__ = [
    "Statement",
    "best_support",
    "coverage",
    "evidence_text",
    "injection_form",
    "is_instruction",
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
# answer that obeys them is unsupported. Matched on ``injection_form`` of the sentence (no
# soft hyphens or invisible characters, no accents, lower case), in their common Dutch and
# English forms: telling the model to forget or ignore what it was told, a message
# addressed to the model, "you are now ...", fixed answers ("antwoord altijd dat ...",
# "... en antwoord: ..."). "Vergeet niet ..." and a Q&A's "Antwoord:" are no instructions.
_MODEL = (
    r"(?:ai[- ]?(?:assistent|assistant|model|chatbot|systeem|system)|taalmodel|chatbot"
    r"|language model|llm|assistant|assistent|chatgpt|gpt|ai(?![-\w]))"
)
_INSTRUCTION = re.compile(
    "|".join(
        [
            # forget / ignore what came before, or the instructions
            r"\b(?:negeer|vergeet|ignore|disregard|forget|override)\b(?! niet\b)[^.!?]{0,50}?"
            r"\b(?:instructies?|opdrachten?|regels|richtlijnen|prompts?|hierboven|bovenstaande"
            r"|voorgaande|eerdere?|vorige|alles|wat (?:je|jij|u) (?:is|werd|wordt) (?:gezegd"
            r"|verteld|gevraagd|opgedragen)|instructions?|rules|above|previous|prior|earlier"
            r"|everything)\b",
            # a message addressed to the model
            r"\b(?:mededeling|bericht|boodschap|instructies?|opdracht|notitie|note|message"
            rf"|instructions?)\s+(?:aan|voor|to|for)\s+(?:de |het |the |this |deze )?{_MODEL}",
            r"(?:^|\b(?:aan|voor|to|for|hey|hallo|beste|dear)\s+(?:de |het |the )?)"
            rf"{_MODEL}\s*[:,]",
            # a new role or new rules
            # ("U bent nu ..." is how letters and chairs address people: not matched.)
            r"\b(?:je|jij) (?:bent|bevindt je) (?:nu|vanaf nu)\b|\byou are now\b"
            r"|\bvanaf nu (?:ben|moet|antwoord|zeg)|\bfrom now on\b",
            r"\b(?:systeemprompt|system ?prompt|nieuwe instructies|new instructions)\b",
            # a fixed answer
            r"\b(?:antwoord|reageer|zeg|schrijf|respond|answer|reply|say|write)\b[^.!?]{0,20}?"
            r"\b(?:altijd|alleen|uitsluitend|enkel|always|only)\b[^.!?]{0,20}?"
            r"\b(?:met|dat|with|that)\b",
            r"(?:\ben\b|\band\b|[;,])\s*(?:antwoord|schrijf|zeg|answer|write|say|respond)\s*:",
        ]
    )
)
# Characters that split a word for a reader-less filter but not for a model.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def injection_form(text: str) -> str:
    """``text`` as the injection filter reads it: no soft hyphens or zero-width
    characters, a word hyphenated at a line end joined, compatibility forms folded (NFKC),
    accents dropped, lower case, single spaces."""
    text = re.sub(r"(?<=\w)-\n\s*(?=\w)", "", text.translate(_INVISIBLE))
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def is_instruction(sentence: str) -> bool:
    """Is ``sentence`` an instruction aimed at a language model (prompt injection)?"""
    return _INSTRUCTION.search(injection_form(sentence)) is not None


def evidence_text(passage: str) -> str:
    """The passage without sentences that are instructions aimed at a language model."""
    return " ".join(s for s in split_sentences(passage) if not is_instruction(s))


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
