"""A motion's follow-up: what the college did with a motion the council adopted ("Is de
motie over hoogbegaafdheid uitgevoerd?", "Hoe staat het met de motie over sleutelgeld?"),
read from the college's letters about it: an "afdoening" (done, and how) or a
"tussenbericht" (not yet, and by when). The newest letter's status sentence is the answer,
quoted from its page, so it is cited like any other source. Without such a letter, for a
motion the records hold, the answer says none was found rather than quoting the motion
itself as if it were its execution.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .dates import dutch_date, find_dates
from .facts import Fact, Recorded, sentence_around
from .grounding import coverage, terms
from .index.catalog import Catalog, ChunkRecord, DocumentRecord
from .retrieve import SearchFilters, SearchHit, page_at, record_hit
from .spans import question_type

__all__ = ["FollowUps", "asks_follow_up"]

_I = re.IGNORECASE
# "Is de motie … uitgevoerd?", "Hoe staat het met de uitvoering van de motie …?", "Wat heeft
# het college met de motie … gedaan?", "Wanneer wordt de motie … afgedaan?"
_ASKS_FOLLOW_UP = re.compile(
    r"\b(?:uitgevoerd|uitvoering|afgedaan|afdoening|afgehandeld|opvolging|opgevolgd|"
    r"stand van zaken|hoe staat het met|(?:wat|hoe) (?:heeft|doet|deed|gaat) het college\b"
    r"[^?]*\bmet\b)",
    _I,
)
_MOTION = re.compile(r"\bmoties?\b", _I)
# The follow-up's words weigh nothing in matching a letter: every letter speaks of them.
_FOLLOW_UP_WORDS = terms(
    "motie moties uitgevoerd uitvoering afgedaan afdoening afgehandeld opvolging opgevolgd "
    "stand zaken staat college gedaan wanneer"
)
# A letter about a motion's follow-up, by its title: "Afdoening motie: ‘Ga de strijd aan
# tegen sleutelgeld’", "Tussenbericht motie: ‘Veranker hoogbegaafdheid …’".
_LETTER_TITLE = re.compile(
    r"\b(?P<kind>afdoening|tussenbericht|voortgang|uitvoering)\b[^\n]*\bmoties?\b", _I
)
_LETTER_KINDS = {
    "afdoening": "afdoeningsbrief",
    "tussenbericht": "tussenbericht",
    "voortgang": "voortgangsbrief",
    "uitvoering": "brief over de uitvoering",
}
# "Het college beschouwt de motie hiermee als afgedaan."
_DONE = re.compile(
    r"\bbeschouw\w*\b[^.]*\bmotie\b[^.]*\bafgedaan\b|\bmotie\b[^.]*\b(?:is|wordt)\s+"
    r"(?:hiermee\s+|daarmee\s+)?afgedaan\b|\bhiermee\s+(?:is|wordt)\s+de\s+motie\b[^.]*\bafgedaan\b",
    _I,
)
# "Wij verwachten de motie op uiterlijk 31 mei 2025 af te doen.", "Afdoening zal daarom
# later plaatsvinden dan de gestelde 6 weken."
_PENDING = re.compile(
    r"\b(?:verwacht\w*|zal|zullen|kunnen)\b[^.]*\b(?:af\s+te\s+doen|afdoen|afgedaan|afdoening)\b|"
    r"\bafdoening\b[^.]*\b(?:later|uitgesteld|vertraagd)\b",
    _I,
)
_SEARCHED = 20  # passages searched for the letters
# The question types a status answers: none ("Is de motie … uitgevoerd?"), an outcome, or
# a date ("Wanneer wordt de motie … afgedaan?": by when it is expected).
_STATUS_TYPES = (None, "uitkomst", "datum")


class FollowUps:
    """Motion follow-ups for one user. ``search(query, filters, top_k)``: the hybrid search
    for that user; ``question_weights``: a question's words weighted by their IDF;
    ``motions(question)``: the titles of the motions the records hold that the question
    names (to say that no letter was found about one)."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        search: Callable[[str, SearchFilters | None, int], list[SearchHit]],
        question_weights: Callable[[str], dict[str, float]],
        motions: Callable[[str], list[str]],
        min_coverage: float,
    ) -> None:
        self._catalog = catalog
        self._search = search
        self._question_weights = question_weights
        self._motions = motions
        self._min_coverage = min_coverage

    def facts(self, question: str) -> Recorded:
        """The status the newest follow-up letter of the motion ``question`` asks about
        gives, with the sentence that gives it; nothing when the question asks no
        follow-up; why none, when no letter speaks of a motion the records hold."""
        if not asks_follow_up(question):
            return Recorded()
        weights = {
            term: 0.0 if term in _FOLLOW_UP_WORDS else weight
            for term, weight in self._question_weights(question).items()
        }
        if not any(weights.values()):
            return Recorded()  # "Is de motie uitgevoerd?": which motion is not said
        letters: dict[str, DocumentRecord] = {}
        for hit in self._search(f"{question} afdoening tussenbericht", None, _SEARCHED):
            document = hit.document
            if (
                hit.doc_id not in letters
                and _LETTER_TITLE.search(document.title)
                and coverage(question, document.title, weights) >= self._min_coverage
            ):
                letters[hit.doc_id] = document
        newest = sorted(letters.values(), key=_date_key, reverse=True)
        for document in newest:
            status = self._status(document)
            if status:
                return Recorded(status)
        titles = self._motions(question)
        if titles:
            return Recorded(
                missing=f"In de gevonden stukken staat geen afdoeningsbrief of tussenbericht "
                f"van het college over de motie ‘{titles[0]}’."
            )
        return Recorded()

    def _status(self, document: DocumentRecord) -> list[tuple[SearchHit, Fact]]:
        """The letter's status sentence ("… beschouwt de motie hiermee als afgedaan.", "Wij
        verwachten de motie op uiterlijk 31 mei 2025 af te doen.") as a fact, and the
        first sentence of the college's answer to the motion where the letter has one
        (it restates the motion first); each with the passage of its page."""
        chunks = self._catalog.document_chunks(document.doc_id)
        found = [
            (_STATUS_ORDER.index(status), bool(find_dates(chunk.text[a:b])), chunk, a, b, status)
            for chunk in chunks
            for pattern, status in ((_DONE, "afgedaan"), (_PENDING, "nog niet afgedaan"))
            for match in pattern.finditer(chunk.text)
            for a, b in [sentence_around(chunk.text, match.start(), match.end())]
        ]
        if not found:
            return []
        # Done before pending; of the pending, the one that says by when.
        _, _, chunk, start, end, status = min(found, key=lambda f: (f[0], not f[1]))
        dates = find_dates(chunk.text[start:end])
        if status != "afgedaan" and dates:
            status += f", verwacht uiterlijk {dutch_date(dates[-1].date)}"
        kind = _LETTER_TITLE.search(document.title)
        letter = _LETTER_KINDS[kind.group("kind").lower()] if kind else "brief"
        if document.date is not None:
            letter += f" van {dutch_date(document.date)}"
        facts = [_fact(document, chunk, start, end, f"{status} ({letter})")]
        for chunk in chunks:
            answered = _ANSWERS.search(chunk.text)
            if answered is not None:
                first = re.search(r"\S", chunk.text[answered.end() :])
                if first is not None:
                    at = answered.end() + first.start()
                    a, b = sentence_around(chunk.text, at, at + 1)
                    a = max(a, at)  # not the formula that announces it
                    if (chunk.chunk_id, a) != (facts[0][1].chunk.chunk_id, start):
                        facts.append(_fact(document, chunk, a, b, ""))
                break
        return facts


_STATUS_ORDER = ("afgedaan", "nog niet afgedaan")
# "Het college geeft op de volgende manier antwoord op deze motie:"
_ANSWERS = re.compile(r"\bantwoord\s+op\s+(?:deze|de)\s+motie\s*:", _I)


def _fact(
    document: DocumentRecord, chunk: ChunkRecord, start: int, end: int, value: str
) -> tuple[SearchHit, Fact]:
    """The sentence ``start:end`` of ``chunk`` as a follow-up fact, with the passage of its page."""
    sentence = chunk.text[start:end]
    page = page_at(chunk, start)
    located = record_hit(document, chunk, page, sentence)
    return located, Fact("follow_up", value, "afdoening", 0, page, chunk, start, sentence)


def asks_follow_up(question: str) -> bool:
    """Whether ``question`` asks what became of a motion ("Is de motie … uitgevoerd?");
    "Wie is de contactpersoon voor de afdoening …?" asks a name."""
    return bool(
        _ASKS_FOLLOW_UP.search(question)
        and _MOTION.search(question)
        and question_type(question) in _STATUS_TYPES
    )


def _date_key(document: DocumentRecord) -> Any:
    return (document.date is not None, document.date)
