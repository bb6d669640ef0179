"""Lists of documents a question asks for, from the catalog's document fields: "Welke
beslissingen op bezwaar zijn in 2021 genomen?", "Welke Woo-besluiten gaan over Schiphol?";
and the timeline of a matter, from its dossier: "Hoe heeft de motie over sleutelgeld zich
ontwikkeld?".

Sentences answer what a document says; which documents there are is what the catalog
knows (kind, date, organisation). A list question is answered with one cited line per
document (its title and date, quoting the line on the page its date was read from), as
the council records answer a list of motions (``recorded.py``). A subject in the question
("over Schiphol") keeps the documents whose passages the search finds that hold it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .dates import dutch_date, find_dates
from .dossier import build_dossier
from .extractive import chunk_location
from .facts import LIST_SHOWN, STAMPED_KINDS, Fact, Recorded, decision_stamp
from .grounding import coverage, terms
from .index.catalog import Catalog, ChunkRecord, DocumentRecord
from .metadata import DOCUMENT_KINDS, DOCUMENT_KINDS_PLURAL, in_sentence
from .places import mentions, places_named, without_places
from .retrieve import SearchFilters, SearchHit, record_hit

__all__ = ["LISTED_KINDS", "DocumentList", "DocumentLister", "asked_timeline", "document_list"]

# The kinds a question can list, by how Dutch names them in the plural. Motions and
# amendments are listed from the council records (``recorded.py``); "besluiten" alone are
# the council's decisions there too.
LISTED_KINDS: dict[str, str] = {
    "beslissing_op_bezwaar": r"beslissingen\s+op\s+(?:de\s+)?(?:bezwaren|bezwaarschriften|bezwaar)",
    "woo_besluit": r"(?:woo|wob)[-\s]?(?:besluiten|beslissingen|verzoeken)"
    r"|(?:besluiten|beslissingen)\s+op\s+(?:woo|wob)[-\s]?verzoeken",
    "raadsvoorstel": r"raadsvoorstellen|statenvoorstellen|collegevoordrachten",
    "besluitenlijst": r"besluitenlijsten",
    "inventarislijst": r"inventarislijsten",
    "beleidsnota": r"beleidsnota'?s|beleidsstukken",
    "brief": r"brieven|raadsinformatiebrieven|kamerbrieven",
    "notulen": r"notulen|vergaderverslagen",
}
_ASKS = re.compile(
    r"^\s*(?:en\s+)?(?P<count>welke|hoeveel)\s+(?:(?:andere|eerdere|recente)\s+)?"
    r"(?P<kind>" + "|".join(f"(?P<{k}>{p})" for k, p in LISTED_KINDS.items()) + r")\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_FROM_ON = re.compile(
    r"\b(?:(?P<on>sinds|vanaf)|na)\s+(?:(?:begin|eind)\s+)?((?:19|20)\d{2})\b", re.I
)
_UP_TO = re.compile(
    r"\b(?:voor|vóór|tot|(?P<through>tot\s+en\s+met|t/m))\s+(?:(?:begin|eind)\s+)?"
    r"((?:19|20)\d{2})\b",
    re.I,
)
# Words of a list question that say nothing of its subject.
_FILLER = frozenset(
    terms(
        "genomen nam neemt namen gepubliceerd verschenen verstuurd gestuurd ontvangen "
        "ingediend vastgesteld opgesteld behandeld besproken gaan gaat ging gingen over "
        "zijn is er heeft hebben had hadden raad college gemeente provincie index "
        "welke hoeveel jaar periode sinds vanaf na voor tot tussen begin eind"
    )
)
# Of the subject's weight, the share a document's passages must hold.
_MIN_SUBJECT = 0.5
_SEARCHED = 40  # passages searched for a subject
_ABOUT_SHARE = 0.2  # of a document's passages that hold the subject: it is about it


@dataclass(frozen=True, slots=True)
class DocumentList:
    """What a list question asks for: a kind of document, a period, the municipalities
    named, and the subject's (stemmed) words."""

    kind: str
    since: date | None
    until: date | None
    places: tuple[str, ...]
    subject: frozenset[str]
    counted: bool  # "Hoeveel …?"
    subject_words: str = ""  # the subject as asked ("Schiphol")

    def described(self) -> str:
        """The list in Dutch, for a refusal: "beslissingen op bezwaar uit 2021"."""
        parts = [in_sentence(DOCUMENT_KINDS_PLURAL[self.kind])]
        if self.since and self.until and self.since.year == self.until.year:
            parts.append(f"uit {self.since.year}")
        else:
            if self.since:
                parts.append(f"vanaf {self.since.year}")
            if self.until:
                parts.append(f"tot en met {self.until.year}")
        if self.places:
            parts.append(f"van {' of '.join(self.places)}")
        return " ".join(parts)


def document_list(question: str) -> DocumentList | None:
    """The list of documents ``question`` asks for, or None when it asks something else."""
    asked = _ASKS.search(question)
    if asked is None:
        return None
    kind = next(k for k in LISTED_KINDS if asked.group(k))
    rest = question[: asked.start()] + " " + question[asked.end() :]
    since, until = _period(rest)
    places = tuple(places_named(question))
    words = [
        word
        for word in re.findall(r"\w[\w'-]*", _YEAR.sub(" ", without_places(rest)))
        if terms(word) - _FILLER
    ]
    return DocumentList(
        kind,
        since,
        until,
        places,
        frozenset(terms(" ".join(words))),
        asked.group("count").lower() == "hoeveel",
        " ".join(words),
    )


def _period(text: str) -> tuple[date | None, date | None]:
    """The years a question names as its period: "in 2021", "sinds 2020", "tussen 2019
    en 2021"."""
    if found := _FROM_ON.search(text):  # "na 2020": from 2021
        return date(int(found.group(2)) + (0 if found.group("on") else 1), 1, 1), None
    if found := _UP_TO.search(text):  # "voor 2021": up to 2020, "tot en met 2021": 2021
        return None, date(int(found.group(2)) - (0 if found.group("through") else 1), 12, 31)
    years = sorted({int(y) for y in _YEAR.findall(text)})
    if not years:
        return None, None
    return date(years[0], 1, 1), date(years[-1], 12, 31)


# "Hoe heeft de discussie over sleutelgeld zich ontwikkeld?", "Wat is de voorgeschiedenis
# van de motie over hoogbegaafdheid?", "Geef een tijdlijn van …": how a matter went, document
# by document (its dossier), not the sentences most like the question ("ontwikkeld" had
# found a member on how the city develops).
_TIMELINE = re.compile(
    r"^\s*(?:(?:en\s+)?hoe\s+(?:heeft|hebben)\s+(?P<developed>.+?)\s+zich\s+ontwikkeld"
    r"|(?:wat\s+(?:is|was)\s+)?(?:(?:geef|maak)\s+)?(?:de|het|een)?\s*"
    r"(?:voorgeschiedenis|tijdlijn|verloop)\s+(?:van|rond|rondom)\s+(?P<history>.+?))"
    r"\s*[?.!]?\s*$",
    re.IGNORECASE,
)
# Words that say the question is about a matter, not what the matter is.
_MATTER = re.compile(
    r"^(?:(?:de|het)\s+)?(?:discussie|debat|besluitvorming|dossier|onderwerp|zaak|kwestie)"
    r"\s+(?:over|rond|rondom|van)\s+",
    re.IGNORECASE,
)


def asked_timeline(question: str) -> str | None:
    """The matter whose timeline ``question`` asks for ("de motie over sleutelgeld"), or
    None for another question."""
    found = _TIMELINE.match(question)
    if found is None:
        return None
    matter = _MATTER.sub("", (found.group("developed") or found.group("history")).strip())
    return matter or None


class DocumentLister:
    """Lists of documents for one user. ``search``: the hybrid search under filters (the
    user's access applied); ``question_weights``: a question's words by their IDF;
    ``hidden``: the collections the user may not see."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        search: Callable[[str, SearchFilters, int], list[SearchHit]],
        question_weights: Callable[[str], dict[str, float]],
        hidden: Collection[str],
    ) -> None:
        self._catalog = catalog
        self._search = search
        self._question_weights = question_weights
        self._hidden = hidden

    def facts(self, question: str) -> Recorded:
        """The documents a list question asks for, newest first (with a subject: those
        whose passages hold it, most relevant first), each with the passage of the page
        its date was read from; why none, when none fits. Nothing for another question."""
        asked = document_list(question)
        if asked is None:
            return Recorded()
        documents = self._documents(asked)
        of_kind = len(documents)
        if asked.subject and documents:
            documents = self._about(question, asked, documents)
        recorded = Recorded()
        for document in documents:
            located = self._located(document)
            if located is not None:
                hit, (page, chunk, offset, sentence) = located
                value = _item(document)
                fact = Fact(
                    "document", value, document.kind, 0, page, chunk, offset, sentence,
                    len(documents),
                )  # fmt: skip
                recorded.facts.append((hit, fact))
            if len(recorded.facts) == LIST_SHOWN:
                break
        if not recorded.facts:
            recorded.missing = (
                f"Geen van de {of_kind} {asked.described()} gaat over {asked.subject_words}."
                if of_kind
                else f"Er zijn geen {asked.described()} geïndexeerd."
            )
        return recorded

    def timeline(self, matter: str) -> Recorded:
        """The documents of the dossier of the document the search finds first for
        ``matter``, in date order, each dated and quoted from the page its date was read
        from (a motion with its outcome); a council proposal's decision stamp is a step of
        its own, on the council's day. Why none, when no document is about ``matter``."""
        found = self._search(matter, SearchFilters(), 1)
        weights = self._question_weights(matter)
        if not found or coverage(matter, _text_of(found[0]), weights) < _MATTER_HELD:
            return Recorded(missing=f"Er is geen dossier over {matter} gevonden.")
        dossier = build_dossier(self._catalog, found[0].doc_id, subject=matter, hidden=self._hidden)
        ids = [entry.doc_id for entry in dossier.entries]
        documents = {d.doc_id: d for d in self._catalog.documents(ids, hidden=self._hidden)}
        steps: list[tuple[date, tuple[SearchHit, Fact]]] = []
        for entry in dossier.entries:
            document = documents.get(entry.doc_id)
            located = self._located(document) if document is not None else None
            if document is None or located is None:
                continue
            hit, (page, chunk, offset, sentence) = located
            value = _timeline_item(document, entry.outcome)
            fact = Fact("timeline", value, entry.kind, 0, page, chunk, offset, sentence)
            steps.append((document.date or date.max, (hit, fact)))
            stamp = (
                decision_stamp(self._catalog.document_chunks(document.doc_id))
                if document.kind in STAMPED_KINDS
                else None
            )
            if stamp is not None:
                value = f"{dutch_date(stamp.day)}: {document.title} ({stamp.outcome} door de raad)"
                decided = stamp.fact("timeline", value, entry.kind)
                hit = record_hit(document, decided.chunk, decided.page, decided.sentence)
                steps.append((stamp.day, (hit, decided)))
        steps.sort(key=lambda step: step[0])  # stable: the dossier's order within a day
        return Recorded(
            [(hit, replace(fact, listed=len(steps))) for _, (hit, fact) in steps[:LIST_SHOWN]]
        )

    def _documents(self, asked: DocumentList) -> list[DocumentRecord]:
        """The visible documents of the asked kind and period, of the municipalities
        named, newest first."""
        ids = self._catalog.filter_documents(
            kinds=(asked.kind,), since=asked.since, until=asked.until, hidden=self._hidden
        )
        documents = self._catalog.documents(ids, hidden=self._hidden) if ids else []
        return [
            d
            for d in documents
            if not asked.places
            or any(mentions([d.organisation or "", d.title], p, d.file) for p in asked.places)
        ]

    def _about(
        self, question: str, asked: DocumentList, documents: list[DocumentRecord]
    ) -> list[DocumentRecord]:
        """Of ``documents``, those about the subject, in the order the search found them:
        its title holds it, or a fifth of its passages do (a budget that names parking
        once in 300 passages is not about parking)."""
        weights = self._question_weights(question)
        # A word no passage holds weighs nothing in search, but a list about it is empty.
        subject = {term: weights.get(term) or 1.0 for term in asked.subject}
        wanted = {d.doc_id: d for d in documents}
        filters = SearchFilters(kinds=(asked.kind,), since=asked.since, until=asked.until)
        holding: dict[str, int] = {}
        for hit in self._search(question, filters, _SEARCHED):
            if hit.doc_id in wanted:
                held = _holds(subject, hit.chunk.text)
                holding[hit.doc_id] = holding.get(hit.doc_id, 0) + held
        return [
            wanted[doc]
            for doc, count in holding.items()
            if _holds(subject, wanted[doc].title)
            or count >= _ABOUT_SHARE * max(wanted[doc].chunks, 1)
        ]

    def _located(
        self, document: DocumentRecord
    ) -> tuple[SearchHit, tuple[int, ChunkRecord, int, str]] | None:
        """The page the document's date was read from (else its first), the passage on it
        and the line quoted there: the one with the date, else the page's first."""
        page = document.field_pages.get("date", 1)
        lines = [
            (chunk, offset, line)
            for chunk in self._catalog.page_chunks(document.doc_id, page)
            for offset, line in _lines(chunk)
            if chunk_location(chunk, offset)[0] == page
        ]
        if not lines:
            return None
        dated = [
            found
            for found in lines
            if document.date and any(m.date == document.date for m in find_dates(found[2]))
        ]
        chunk, offset, line = (dated or lines)[0]
        hit = record_hit(document, chunk, page, line)
        return hit, (page, chunk, offset, line)


def _holds(subject: Mapping[str, float], text: str) -> bool:
    """Whether ``text`` holds the subject's words (by weight)."""
    held = terms(text)
    total = math.fsum(subject.values())
    found = math.fsum(w for term, w in subject.items() if term in held)
    return total <= 0 or found / total >= _MIN_SUBJECT


def _item(document: DocumentRecord) -> str:
    """A list line: the title, with its date and organisation, else its file's name (an
    undated "Inventarislijst" says nothing of which)."""
    details = [dutch_date(document.date)] if document.date else []
    if document.organisation:
        details.append(document.organisation)
    return f"{document.title} ({', '.join(details or [Path(document.file).name])})"


_MATTER_HELD = 0.75  # share of the matter's weighted words the first passage found must hold


def _text_of(hit: SearchHit) -> str:
    return f"{hit.document.title}\n{hit.chunk.text}"


def _timeline_item(document: DocumentRecord, outcome: str | None) -> str:
    """A timeline line: the date, the title, and what kind of document it is ("13 maart
    2025: Ga de strijd aan tegen sleutelgeld (motie, aangenomen)")."""
    kind = in_sentence(DOCUMENT_KINDS.get(document.kind, "document"))
    details = ", ".join([kind, *([outcome] if outcome else [])])
    when = dutch_date(document.date) if document.date else "zonder datum"
    return f"{when}: {document.title} ({details})"


def _lines(chunk: ChunkRecord) -> list[tuple[int, str]]:
    """The chunk's non-empty lines with their offsets in its text."""
    found, offset = [], 0
    for line in chunk.text.split("\n"):
        stripped = line.strip()
        if stripped:
            found.append((offset + len(line) - len(line.lstrip()), stripped))
        offset += len(line) + 1
    return found
