"""Who spoke about a subject in the council's minutes ("Welke raadsleden spraken over de
Haagse Markt?", "Wie sprak er namens de VVD over sleutelgeld?"): one line per speaker
whose turns speak of it, most turns first, each cited to (and quoting) the first sentence
of theirs that does. The passages' speaker turns come from ``speakers.find_turns`` at
ingest; only turns the question's party, when it names one, spoke count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .dates import dutch_date, find_dates
from .facts import LIST_SHOWN, Fact, Recorded
from .grounding import coverage, split_sentences
from .index.catalog import ChunkRecord
from .metadata import find_parties
from .retrieve import SearchFilters, SearchHit, page_at, record_hit, turn_ranges
from .speakers import speaker_label
from .wordlists import canonical_party

__all__ = ["SpeakerLister", "asked_speakers"]

_I = re.IGNORECASE
# "Welke raadsleden spraken over …?", "Wie sprak er namens D66 over …?", "Welke partijen
# hebben gesproken over …?"; the subject is what follows "over".
_ASKS_SPEAKERS = re.compile(
    r"^\s*(?:en\s+)?(?:wie|welke\s+(?:raadsleden|raadslid|sprekers?|fracties|partijen|"
    r"wethouders?|leden|insprekers?))\s+(?:hebben\s+|heeft\s+)?(?:er\s+)?"
    r"(?:sprak|spraken|(?:in)?gesproken|spreekt|spreken|debatteerden?|zei|zeiden|gezegd)\b"
    r"[^?]*?\bover\s+(?P<subject>[^?]+?)\s*\??\s*$",
    _I,
)
_ASKS_PARTIES = re.compile(r"^\s*(?:en\s+)?welke\s+(?:fracties|partijen)\b", _I)
_ASKS_ROLE = re.compile(
    r"^\s*(?:en\s+)?welke\s+(raadsleden|raadslid|leden|wethouders?|insprekers?)\b", _I
)
_SPOKE_IN = re.compile(r"\b(?:sprak|spraken|spreekt|spreken)\s+(?:er\s+)?in\b|\bingesproken\b", _I)
# "Welke insprekers waren er op 13 november 2024?", "Wie sprak er in bij de raadsvergadering
# van …?": the residents who spoke at the meeting of that day, whatever about.
_ASKS_INSPREKERS = re.compile(r"\binsprekers?\b|\binspraak\b", _I)
_PRESIDING = ("voorzitter", "griffier")
_ARTICLE = re.compile(r"^(?:de|het|een)\s+", _I)
_SEARCHED = 60  # spoken passages searched for the subject
_MIN_SUBJECT = 0.75  # share of the subject's weighted words a turn must hold


def asked_speakers(question: str) -> str | None:
    """The subject ``question`` asks the speakers of ("de Haagse Markt"), or None."""
    found = _ASKS_SPEAKERS.search(question)
    return found.group("subject") if found else None


class SpeakerLister:
    """Speakers on a subject for one user. ``search(query, filters, top_k)``: the hybrid
    search for that user; ``question_weights``: a question's words weighted by their IDF."""

    def __init__(
        self,
        *,
        search: Callable[[str, SearchFilters, int], list[SearchHit]],
        question_weights: Callable[[str], dict[str, float]],
        document_chunks: Callable[[str], list[ChunkRecord]] | None = None,
    ) -> None:
        self._search = search
        self._question_weights = question_weights
        self._document_chunks = document_chunks

    def facts(self, question: str) -> Recorded:
        """One fact per speaker whose turns speak of the subject ``question`` asks about,
        most turns first; why none, when no turn does. For a question about the
        insprekers of a meeting day: each of them, in the order they spoke. Nothing when it
        asks no such list."""
        subject = asked_speakers(question)
        if subject is None:
            return self._insprekers(question)
        parties = tuple(dict.fromkeys(name for _, _, name in find_parties(question)))
        party_names = {canonical_party(p) or p for p in parties}
        weights = self._question_weights(subject)
        if not any(weights.values()):
            return Recorded()
        filters = SearchFilters(parties=parties, spoken=True)
        by_party = _ASKS_PARTIES.search(question) is not None
        speaks_of = _subject_test(subject, weights)
        first: dict[str, tuple[SearchHit, Fact]] = {}
        turns: dict[str, int] = {}
        names: dict[str, list[str]] = {}
        seen: set[tuple[str, int]] = set()
        for hit in self._search(subject, filters, _SEARCHED):
            for turn, start, end in turn_ranges(hit.chunk):
                if turn.speaker is None or (hit.chunk_id, start) in seen:
                    continue
                if turn.role in _PRESIDING or (party_names and turn.party not in party_names):
                    continue  # the chair announces the subject, not speaks about it
                if (by_party and not turn.party) or not _is_asked_role(turn.role, question):
                    continue
                text = hit.chunk.text[start:end]
                if not speaks_of(text):
                    continue
                seen.add((hit.chunk_id, start))
                label = speaker_label(turn.speaker, turn.role, turn.party)
                key = turn.party or label if by_party else label
                turns[key] = turns.get(key, 0) + 1
                names.setdefault(key, [])
                if label not in names[key]:
                    names[key].append(label)
                if key not in first:
                    first[key] = _first_sentence(hit, start, text, speaks_of)
        if not first:
            by = f" namens {' of '.join(parties)}" if parties else ""
            return Recorded(missing=f"In de notulen sprak niemand{by} over {subject}.")
        ordered = sorted(first, key=lambda key: -turns[key])
        listed: list[tuple[SearchHit, Fact]] = []
        for key in ordered:
            hit, fact = first[key]
            # "GroenLinks: Maarten De Vuyst, Isabel Bos", or "Lesley Arp (SP)"; the date of
            # the first turn quoted.
            who = f"{key}: {', '.join(_without_party(n) for n in names[key])}" if by_party else key
            day = hit.document.date
            value = f"{who}, {dutch_date(day)}" if day else who
            listed.append((hit, replace(fact, value=value, listed=len(first))))
        return Recorded(listed)

    def _insprekers(self, question: str) -> Recorded:
        """The insprekers of the meeting(s) of the day(s) ``question`` names, one fact each
        in the order they spoke, cited to their first words."""
        days = sorted({mention.date for mention in find_dates(question)})
        asked = _ASKS_INSPREKERS.search(question) or _SPOKE_IN.search(question)
        if not days or asked is None or self._document_chunks is None:
            return Recorded()
        filters = SearchFilters(kinds=("notulen",), since=days[0], until=days[-1], spoken=True)
        when = " of ".join(dutch_date(day) for day in days)
        listed: dict[str, tuple[SearchHit, Fact]] = {}
        seen: set[str] = set()
        for hit in self._search(question, filters, _SEARCHED):
            if hit.doc_id in seen or hit.document.date not in days:
                continue
            seen.add(hit.doc_id)
            for chunk in self._document_chunks(hit.doc_id):
                for turn, start, end in turn_ranges(chunk):
                    label = speaker_label(turn.speaker, turn.role, turn.party)
                    if turn.role != "inspreker" or not turn.speaker or label in listed:
                        continue
                    text = chunk.text[start:end]
                    # Their first words, not the label that opens the turn ("De heer
                    # Roos (F).").
                    sentences = split_sentences(text)
                    sentence = next((t for t in sentences if len(t.split()) > 5), text[:200])
                    offset = start + max(text.find(sentence), 0)
                    page = page_at(chunk, offset)
                    day = dutch_date(hit.document.date) if hit.document.date else when
                    fact = Fact("speaker", f"{label}, {day}", "spreker", 0, page, chunk, offset,
                                sentence)  # fmt: skip
                    listed[label] = (record_hit(hit.document, chunk, page, sentence), fact)
        if not seen:
            return Recorded(missing=f"In de gevonden stukken staan geen notulen van {when}.")
        if not listed:
            return Recorded(missing=f"In de notulen van {when} staan geen insprekers.")
        # The first LIST_SHOWN, as a list of motions shows them; the heading counts the rest.
        shown = list(listed.values())[:LIST_SHOWN]
        return Recorded([(hit, replace(fact, listed=len(listed))) for hit, fact in shown])


def _is_asked_role(role: str | None, question: str) -> bool:
    """ "Welke raadsleden …": members, not the aldermen or the residents who spoke in the
    inspraak; "Welke wethouders …", "Welke insprekers …", "Wie sprak er in …": those
    alone."""
    asked = _ASKS_ROLE.search(question)
    if asked is None:
        # "Wie sprak er in over …?", "Wie hebben ingesproken …?": the residents who did.
        return not _SPOKE_IN.search(question) or role == "inspreker"
    word = asked.group(1).lower()
    if word.startswith(("raadsle", "leden")):
        return role not in ("inspreker", "wethouder", "burgemeester")
    return role == ("wethouder" if word.startswith("wethouder") else "inspreker")


def _without_party(label: str) -> str:
    return label.split(" (")[0]


def _subject_test(subject: str, weights: dict[str, float]) -> Callable[[str], bool]:
    """Does a text speak of ``subject``: a name ("de Haagse Markt", "het Haagse Bos") as
    written, its words together (not "Bos" of a member's name, "markt" of "supermarkt");
    else most of its weighted words."""
    core = _ARTICLE.sub("", subject.strip())
    if any(word[:1].isupper() for word in core.split()):
        phrase = re.compile(r"\b" + r"\s+".join(map(re.escape, core.split())) + r"\b", _I)
        return lambda text: phrase.search(text) is not None
    return lambda text: coverage(subject, text, weights) >= _MIN_SUBJECT


def _first_sentence(
    hit: SearchHit, start: int, text: str, speaks_of: Callable[[str], bool]
) -> tuple[SearchHit, Fact]:
    """The turn's first sentence that speaks of the subject (else its first), as a fact
    with the passage of its page."""
    sentences = split_sentences(text)
    best = next((s for s in sentences if speaks_of(s)), sentences[0] if sentences else text)
    offset = start + max(text.find(best), 0)
    page = page_at(hit.chunk, offset)
    fact = Fact("speaker", "", "spreker", 0, page, hit.chunk, offset, best)
    return replace(hit, page=page), fact
