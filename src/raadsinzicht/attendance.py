"""Who attended a meeting: "Wie was er afwezig bij de raadsvergadering van 13 maart 2025?",
"Wie had zich afgemeld?", "Hoeveel raadsleden waren aanwezig?", "Wie was de voorzitter?".
Read from the first pages of the meeting's minutes or decision list, where the griffie
records it ("Aanwezig zijn 44 leden: …", "Afwezig: Faïd (HSP)", "Bericht van verhindering
is ontvangen van …", "Voorzitter: de burgemeester, … Griffier: …"), and
cited to that line. A question that names a day asks about the meeting of that day only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .dates import dutch_date, find_dates
from .facts import Fact, Recorded
from .index.catalog import ChunkRecord
from .retrieve import SearchFilters, SearchHit, page_at, record_hit

__all__ = ["AttendanceReader", "asks_attendance"]

_I = re.IGNORECASE
_MEETING_KINDS = ("besluitenlijst", "notulen")
_ASKS_ABSENT = re.compile(
    r"\b(?:afwezig|afgemeld|afmeldingen|verhinderd|bericht van verhindering|ontbrak|ontbraken|"
    r"iedereen aanwezig|voltallig)\b|"
    # "Wie stond er als enige niet op de presentielijst …?", "Wie was er niet aanwezig?"
    r"\bniet\b(?:\s+\w+){0,3}?\s+(?:aanwezig|present|op de presentielijst)\b",
    _I,
)
_ASKS_PRESENT = re.compile(r"\baanwezig(?:en)?\b|\bpresentielijst\b", _I)
_ASKS_COUNT = re.compile(r"\bhoeveel\b", _I)
# "|Afwezig|Faïd (HSP)|" (a table row), "Afwezig: De Mos", "Afwezig\n\nKaptheijns (PVV)".
_ABSENT_LABEL = re.compile(
    r"(?:^|\|)[ \t]*Afwezig[ \t]*(?:[|:][ \t]*|(?:[ \t]*\n){1,2}[ \t]*)(?P<value>[^|\n]+)",
    re.M,
)
# "Bericht van verhindering is ontvangen van de heer Van den Goorbergh en van de heer
# Sewtahal in verband met ziekte."
_EXCUSED = re.compile(
    r"\bbericht van verhindering (?:is )?ontvangen van (?P<value>[^.]+?)"
    r"(?:,? in verband met [^.]*)?\.",
    _I,
)
# "Aanwezig zijn 44 leden: Ahraui (PvdA), …", "Aanwezig : Tijs de Bree (provincie …), …"
_PRESENT_LABEL = re.compile(
    r"(?:^|\|)[ \t]*Aanwezig(?: zijn (?P<count>\d+) leden)?[ \t]*:[ \t]*(?P<value>[^|\n]+)",
    re.M,
)
# "Wie was de voorzitter van de raadsvergadering van 12 juni 2025?", "Wie zat de vergadering
# voor?", "Wie was griffier bij …?": who chaired or clerked the meeting, as its minutes'
# header records it ("Voorzitter: de burgemeester, mr. J.H.C. van Zanen Griffier: …").
_ASKS_ROLE = re.compile(
    r"\bwie\b(?=.*(?:vergader|\bnotulen\b|\boverleg\b|\bzitting\b))"
    r".*?\b(?P<role>voorzitter|griffier|secretaris|notulist)\b",
    _I,
)
_ASKS_CHAIRED = re.compile(r"\bwie\s+(?:zat|zit)\b.*\bvoor\b|\bwie\s+(?:leidde|leidt)\b", _I)
_ROLES = "Voorzitter|Griffier|Secretaris|Notulist|Aanwezig|Afwezig"
_NOBODY = re.compile(r"[-–—]|geen|niemand", _I)
_FIRST_PAGES = 3  # attendance stands on a meeting document's first pages
_SEARCHED = 10  # meeting passages searched for the asked meeting
_SHOWN = 240  # characters of a list of people shown in an answer line


def asks_attendance(question: str) -> bool:
    """Whether ``question`` asks who was absent or present at a meeting, or how many."""
    return bool(_ASKS_ABSENT.search(question) or _ASKS_PRESENT.search(question))


def asked_role(question: str) -> str | None:
    """The meeting role ``question`` asks who held ("Voorzitter", "Griffier"), if any."""
    if _ASKS_CHAIRED.search(question):
        return "Voorzitter"
    found = _ASKS_ROLE.search(question)
    return found["role"].capitalize() if found else None


def _role_label(role: str) -> re.Pattern[str]:
    """``role``'s label in a meeting's header (also after another's on its line), up to
    the next role."""
    return re.compile(
        rf"(?:^|\||(?<=[ \t])){role}[ \t]*[:|][ \t]*(?P<value>[^|\n]+?)"
        rf"(?=[ \t]+(?:{_ROLES})[ \t]*:|[ \t]*(?:\||\n|$))",
        re.M,
    )


class AttendanceReader:
    """A meeting's attendance for one user. ``search(query, filters, top_k)``: the hybrid
    search for that user; ``document_chunks``: a document's chunks in order."""

    def __init__(
        self,
        *,
        search: Callable[[str, SearchFilters, int], list[SearchHit]],
        document_chunks: Callable[[str], list[ChunkRecord]],
    ) -> None:
        self._search = search
        self._document_chunks = document_chunks

    def facts(self, question: str) -> Recorded:
        """The attendance of the meeting ``question`` asks about, as one fact; why not,
        when it names a day no indexed meeting document is of. Nothing when it asks no
        attendance, or no meeting document records it."""
        attendance = asks_attendance(question)
        role = None if attendance else asked_role(question)
        if not attendance and role is None:
            return Recorded()
        days = sorted({mention.date for mention in find_dates(question)})
        filters = SearchFilters(
            kinds=_MEETING_KINDS,
            since=days[0] if days else None,
            until=days[-1] if days else None,
        )
        absent = bool(_ASKS_ABSENT.search(question))
        seen: set[str] = set()
        for hit in self._search(question, filters, _SEARCHED):
            if hit.doc_id in seen or (days and hit.document.date not in days):
                continue
            seen.add(hit.doc_id)
            fact = _read(hit, self._document_chunks(hit.doc_id), question, absent, role)
            if fact is not None:
                return Recorded([fact])
        if days and not seen:
            when = " of ".join(dutch_date(day) for day in days)
            return Recorded(
                missing=f"In de gevonden stukken staan geen notulen of besluitenlijst van {when}."
            )
        return Recorded()


def _read(
    hit: SearchHit, chunks: list[ChunkRecord], question: str, absent: bool, role: str | None
) -> tuple[SearchHit, Fact] | None:
    """The attendance line (or ``role``'s line) of the meeting document ``hit`` is from,
    as a cited fact."""
    first = [chunk for chunk in chunks if min(chunk.pages) <= _FIRST_PAGES]
    if role is not None:
        patterns: tuple[re.Pattern[str], ...] = (_role_label(role),)
    else:
        patterns = (_ABSENT_LABEL, _EXCUSED) if absent else (_PRESENT_LABEL,)
    for pattern in patterns:
        for chunk in first:
            found = pattern.search(chunk.text)
            if found is None:
                continue
            value = " ".join(found.group("value").split()).strip(" ,;.")
            value = re.sub(r"\ben van\s+", "en ", value)  # "… en van de heer Sewtahal"
            kind = "persoon"
            count = found.groupdict().get("count")
            if absent and _NOBODY.fullmatch(value):
                value = "niemand afwezig"
            elif count and _ASKS_COUNT.search(question):
                value, kind = f"{count} leden", "aantal"
            elif count:
                value = f"{count} leden: {_shortened(value)}"
            else:
                value = _shortened(value)
            # Quoted from the label (or the sentence's start) to the end of the line.
            start = found.start() + (chunk.text[found.start()] in "|\n")
            if pattern is _EXCUSED:
                text = chunk.text
                start = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1)
            end = chunk.text.find("\n", found.end())
            quoted = chunk.text[start : end if end >= 0 else len(chunk.text)]
            page = page_at(chunk, start)
            fact = Fact("attendance", value, kind, 0, page, chunk, start, quoted)
            return record_hit(hit.document, chunk, page, quoted), fact
    return None


def _shortened(names: str) -> str:
    """A list of people cut after its last whole entry within _SHOWN characters."""
    if len(names) <= _SHOWN:
        return names
    cut = names.rfind(",", 0, _SHOWN)
    return f"{names[: cut if cut > 0 else _SHOWN]}, …"
