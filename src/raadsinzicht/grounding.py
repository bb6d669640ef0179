"""Checking generated text against its sources: sentence splitting, term support and
question relevance. One checker (``GroundingChecker``) serves answers and summaries, so
both apply the same rule: a statement counts only when its words are found in the source
it cites (a passage ``[n]`` or a page ``[p. n]``); an uncited or miscited statement gets
the source that supports it best when that support is strong enough, and is flagged
otherwise."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .index.bm25 import tokenize_query

__all__ = [
    "ANSWER_CITATION",
    "FLAG",
    "PAGE_CITATION",
    "CheckedText",
    "GroundingChecker",
    "Statement",
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
# ... except after a title or initials before a name ("mr. drs. E.J.M. Plasmeijer",
# "De griffier L. Blankwaard", "Luchtvaartmaatschappij N.V. (verder: KLM)"). A lone capital
# after a word that is no name or office ends one: "zie bijlage B. Daarna …".
_NAME_PART_END = re.compile(
    r"(?:\b(?:[Mm]r|[Dd]rs?|[Ii]r|[Ii]ng|[Pp]rof|[Dd]hr|[Mm]w|[Mm]evr)\.|(?:\b[A-Z]\.){2,}|"
    r"\b(?:heer|mevrouw|griffier|burgemeester|wethouder|minister|staatssecretaris|voorzitter|"
    r"directeur|secretaris|[A-Z][\w-]*)\s+[A-Z]\.)$"
)


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
    parts, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if "\n\n" not in end.group() and _NAME_PART_END.search(text, start, end.start()):
            continue
        parts.append(text[start : end.start()])
        start = end.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def support(claim: str | set[str], source: str | set[str]) -> float:
    """Share of the claim's content terms that occur in the source (0..1)."""
    claim_terms = claim if isinstance(claim, set) else terms(claim)
    if not claim_terms:
        return 1.0  # nothing to check ("Ja.", a bare number)
    source_terms = source if isinstance(source, set) else terms(source)
    return len(claim_terms & source_terms) / len(claim_terms)


def coverage(
    question: str,
    text: str,
    weights: Mapping[str, float] | None = None,
    parts: Mapping[str, float] | None = None,
) -> float:
    """Share of the question's content terms found in ``text``, each term weighted (by its
    IDF, so "gemeente" counts little and "sleutelgeld" much): a relevance signal that,
    unlike fused ranks, is comparable across questions. ``parts``: the weights of the
    parts of a compound the question uses and no document does ("sportmateriaal":
    "sport", "materiaal"); found, they add to the share, missing, they take nothing from
    it (the compound itself weighs nothing: no document holds it). A question word that
    ``text`` holds only as the head of a compound counts as found: a "fietsenstalling" is
    a "stalling" (Dutch puts the thing last)."""
    question_terms = terms(question)
    if not question_terms:
        return 0.0
    weight = weights or {}
    text_terms = terms(text)
    # fsum: exactly rounded whatever the order of a set's terms (which changes from run to
    # run with string hashing), so equal sentences score equal and ties break the same way.
    total = math.fsum(weight.get(term, 1.0) for term in question_terms)
    found = math.fsum(weight.get(term, 1.0) for term in question_terms & text_terms)
    if parts:
        found += math.fsum(
            weight
            for term, weight in parts.items()
            if term in text_terms and term not in question_terms
        )
    missing = question_terms - text_terms
    if missing:
        found += math.fsum(
            weight.get(term, 1.0) for term in _compound_heads(question, text, missing)
        )
    return min(1.0, found / total) if total else 0.0


_MIN_HEAD = 5  # letters: shorter words end too many unrelated ones ("raad" in "voorraad")
_MIN_MODIFIER = 3


@lru_cache(maxsize=64)
def _head_words(question: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The question's words that may head a compound, with their stems (once per question:
    ``coverage`` runs for every candidate sentence)."""
    words = {w for w in _WORD.findall(question.lower()) if len(w) >= _MIN_HEAD}
    return tuple((word, frozenset(tokenize_query(word))) for word in sorted(words))


def _compound_heads(question: str, text: str, wanted: set[str]) -> set[str]:
    """The stems in ``wanted`` of question words that ``text`` holds as the last part of a
    longer word ("stalling" in "fietsenstalling")."""
    heads = [(word, stems & wanted) for word, stems in _head_words(question) if stems & wanted]
    if not heads:
        return set()
    text_words = {w for w in _WORD.findall(text.lower()) if len(w) >= _MIN_HEAD + _MIN_MODIFIER}
    found: set[str] = set()
    for word, stems in heads:
        if any(
            other.endswith(word) and len(other) >= len(word) + _MIN_MODIFIER for other in text_words
        ):
            found |= stems
    return found


_WORD = re.compile(r"\w+")
# Question words: rare in documents (high IDF) but they say nothing about the subject.
_QUESTION_WORDS = frozenset(
    [
        "hoeveel",
        "hoeveelste",
        "welke",
        "welk",
        "wanneer",
        "waarom",
        "hoe",
        "wie",
        "wiens",
        "wat",
        "waar",
        "waardoor",
        "waarmee",
        "waarvoor",
        "waarop",
        "waarin",
        "waaruit",
        "vanaf",
    ]
)


# "Op welke datum …", "Welk bedrag …": the noun names what kind of answer is asked for;
# in a document it labels a letterhead line ("Datum 21 mei 2025") more often than it
# stands by the answer asked for.
_ANSWER_TYPE_NOUNS = frozenset(["datum", "dag", "jaar", "bedrag"])


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
    form = set(_QUESTION_WORDS)  # the question's form, not its subject
    previous = ""
    for match in _WORD.finditer(question):
        word = match.group()
        if previous in ("welke", "welk") and word.lower() in _ANSWER_TYPE_NOUNS:
            form.add(word.lower())
        previous = word.lower()
        if previous in form:
            continue
        for stem in tokenize_query(word):
            names = word[:1].isupper() or any(ch.isdigit() for ch in word)
            stems[stem] = stems.get(stem, False) or names
    known = idf(set(stems))
    weights = dict.fromkeys((stem for word in form for stem in tokenize_query(word)), 0.0)
    for stem, names in stems.items():
        value = known.get(stem)
        if value is not None:
            weights[stem] = value
        elif names:
            weights[stem] = 3 * max_idf
        else:
            weights[stem] = 0.0
    return weights


# -- the one checker for generated text ------------------------------------------------------

FLAG = "[niet onderbouwd]"
# "[1]", "[1, 3]" (answers: passage numbers) and "[p. 12]", "[pagina 3-4]" (summaries).
ANSWER_CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
PAGE_CITATION = re.compile(
    r"\[\s*(?:p|pag|pagina)\.?\s*(\d+)(?:\s*[-–]\s*(\d+))?\s*\]", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*([-*•]|\d+[.)])\s+")


@dataclass(slots=True)
class Statement:
    """One sentence of generated text with the sources it (now) cites."""

    text: str  # without citation markers
    cited: list[int]  # source keys that support it (empty: unsupported or nothing to check)
    supported: bool
    score: float
    line: int = 0  # output line the sentence came from
    bullet: bool = False  # that line was a list item


@dataclass(slots=True)
class CheckedText:
    statements: list[Statement]
    invalid: list[int] = field(default_factory=list)  # cited keys that are not sources

    @property
    def flagged(self) -> list[str]:
        return [s.text for s in self.statements if not s.supported]

    def first_claims(self) -> dict[int, str]:
        """Each cited source key with the first statement citing it, in key order."""
        claims: dict[int, str] = {}
        for statement in self.statements:
            for key in statement.cited:
                claims.setdefault(key, statement.text)
        return dict(sorted(claims.items()))

    def render(self, marker: Callable[[int], str]) -> str:
        """The checked text: lines and list items kept, each statement followed by its
        citation markers, unsupported ones prefixed with FLAG."""
        lines: dict[int, list[str]] = {}
        bullets: dict[int, bool] = {}
        for statement in self.statements:
            if statement.supported:
                markers = "".join(marker(key) for key in statement.cited)
                text, end = statement.text, ""
                if markers and text[-1:] in ".!?":  # "... aan [1]." reads as one sentence
                    text, end = text[:-1], text[-1]
                piece = f"{text} {markers}{end}" if markers else text
            else:
                piece = f"{FLAG} {statement.text}"
            lines.setdefault(statement.line, []).append(piece)
            bullets[statement.line] = bullets.get(statement.line, False) or statement.bullet
        out = [("- " if bullets[n] else "") + " ".join(parts) for n, parts in lines.items()]
        return _fix_spacing("\n".join(out))


def _fix_spacing(text: str) -> str:
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]+", " ", text)).strip()


def _citation_keys(match: re.Match[str]) -> list[int]:
    """The source keys of one citation marker: "[1, 3]" -> [1, 3]; "[p. 12-13]" -> [12]."""
    if match.re is PAGE_CITATION:
        return [int(match.group(1))]
    return [int(n) for n in re.split(r"[,;]", match.group(1))]


class GroundingChecker:
    """Turns raw model text plus the sources it was given into checked statements.

    ``sources`` maps a citation key (passage number or page) to the source text. A
    statement is supported when at least ``min_support`` of its content terms occur in a
    source it cites, or (uncited or miscited) in the best-supporting source, which it is
    then attributed to. Terms of ``given`` (the user's question) are the user's own words:
    a statement that restates the question ("De commissie wilde de CTIVD laten onderzoeken
    hoe ...") is also supported when the terms it adds come from the source. Sentences
    that say "not in the documents" (``refusals``) are dropped; repeated statements are
    said once; sentences in a source that address a model (prompt injection) never count
    as evidence.
    """

    def __init__(
        self,
        sources: Mapping[int, str],
        *,
        min_support: float,
        citation: re.Pattern[str] = ANSWER_CITATION,
        refusals: Iterable[str] = (),
        given: str = "",
    ) -> None:
        self._terms = {key: terms(evidence_text(text)) for key, text in sources.items()}
        self._given = terms(given)
        self._min_support = min_support
        self._citation = citation
        self._refusals = tuple(r.lower() for r in refusals)
        # "... zin. [1]" -> "... zin [1]." so a marker stays with its own sentence.
        self._trailing = re.compile(rf"([.!?])\s*((?:{citation.pattern}\s*)+)", citation.flags)

    def check(self, raw: str) -> CheckedText:
        statements: list[Statement] = []
        invalid: set[int] = set()
        seen: set[str] = set()
        for number, line in enumerate(raw.strip().splitlines()):
            bullet = _BULLET.match(line)
            body = line[bullet.end() :] if bullet else line
            body = self._trailing.sub(lambda m: f" {m.group(2).strip()}{m.group(1)}", body)
            for sentence in split_sentences(body):
                statement = self._statement(sentence, invalid)
                if statement is None:
                    continue
                normalized = " ".join(statement.text.lower().split())
                if normalized in seen:
                    continue  # small models repeat themselves; say everything once
                seen.add(normalized)
                statement.line, statement.bullet = number, bool(bullet)
                statements.append(statement)
        return CheckedText(statements, sorted(invalid))

    @staticmethod
    def _support(claim: set[str], added: set[str], source: set[str]) -> float:
        """How well ``source`` supports a claim: the share of all its terms, or of the terms
        it adds to the question, whichever is higher."""
        return max(support(claim, source), support(added, source) if added else 0.0)

    def _statement(self, sentence: str, invalid: set[int]) -> Statement | None:
        keys = [key for m in self._citation.finditer(sentence) for key in _citation_keys(m)]
        claim = self._citation.sub("", sentence).strip()
        claim = re.sub(r"\s+([.,;:!?])", r"\1", claim).lstrip("-*• ").strip()
        if not claim:
            return None
        valid = [key for key in keys if key in self._terms]
        invalid.update(key for key in keys if key not in self._terms)
        claim_terms = terms(claim)
        added = claim_terms - self._given
        scores = {key: self._support(claim_terms, added, self._terms[key]) for key in valid}
        good = [key for key in dict.fromkeys(valid) if scores[key] >= self._min_support]
        if not good and not claim_terms:
            return Statement(claim, [], True, 1.0)  # nothing to check ("Ja.")
        if not good and any(marker in claim.lower() for marker in self._refusals):
            return None  # the model's own "not in the documents"
        if not good:
            key, score = max(
                ((k, self._support(claim_terms, added, t)) for k, t in self._terms.items()),
                key=lambda pair: pair[1],
                default=(None, 0.0),
            )
            if key is not None and score >= self._min_support:
                return Statement(claim, [key], True, score)
            return Statement(claim, [], False, max(scores.values(), default=score))
        return Statement(claim, sorted(good), True, max(scores[key] for key in good))
