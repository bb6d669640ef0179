"""Who speaks where in minutes: speaker turns found at the start of a line.

Forms handled (all seen in the corpus, or the issue's examples of other municipalities):

- ``Lesley Arp (SP). Voorzitter. …``               raadslid with party (Den Haag notulen)
- ``Wethouder Balster (PvdA). …``                  role + name + party
- ``De heer Kharagjitsing (F). …``, ``De heer Roos (L). …``
                                                   an inspreker on agenda item F or L, not a
                                                   party (Den Haag)
- ``De voorzitter. …``                             the chair
- ``De heer Jansen (VVD): …``, ``Mevrouw De Vries: …``, ``De voorzitter: …``
                                                   colon forms of other minutes
- ``Harrie: gesprek is verhelderend``, ``Tijs : we denken …``
                                                   first-name colon forms (bestuurlijk overleg)

``Voorzitter.`` at the start of a paragraph is the speaker addressing the chair, not a new
turn. Procedural narration (``In stemming komt motie …``, ``De motie maakt onderdeel uit
van de verdere beraadslaging``) ends a turn: what follows has no speaker until the next one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .wordlists import canonical_party, parties

__all__ = ["SpeakerSummary", "Turn", "find_turns", "speaker_label", "speaker_matches"]


class _PageLike(Protocol):
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Turn:
    """A speaker turn (or a stretch of narration, ``speaker`` None) from ``page``/``start``
    (offset in that page's text) up to the next turn."""

    page: int
    start: int
    speaker: str | None
    role: str | None  # voorzitter | raadslid | wethouder | burgemeester | inspreker | ...
    party: str | None
    header: str  # the words that open the turn


_UPPER = "A-ZÀ-ÖØ-Þ"
_PARTICLE = r"(?:van|de|der|den|het|ter|ten|te|in|'t|’t|el|al|da|di|du|le|la|op|von|zu|bin)"
_NAME_WORD = rf"[{_UPPER}][\w'’.-]*"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}|{_NAME_WORD})){{0,5}}"
_ROLE_WORDS = {
    "wethouder": "wethouder",
    "burgemeester": "burgemeester",
    "gedeputeerde": "gedeputeerde",
    "staatssecretaris": "staatssecretaris",
    "minister": "minister",
    "griffier": "griffier",
    "commissaris": "commissaris",
    "de heer": None,  # a member or a guest; the party (or its absence) says which
    "mevrouw": None,
    "dhr.": None,
    "mw.": None,
}
_ROLE = (
    r"(?:Wethouder|Burgemeester|Gedeputeerde|Staatssecretaris|Minister|Griffier|Commissaris"
    r"|De heer|Mevrouw|Dhr\.|Mw\.)"
)
# A parenthesised agenda letter instead of a party: Den Haag marks an inspreker with the
# agenda item they speak on ("De heer Roos (L).").
_RX_AGENDA_MARKER = re.compile(r"[A-Z]{1,2}(?:\.\d+)?")

# "Lesley Arp (SP). ", "Wethouder Balster (PvdA). ", "De heer Van den Berg (F). "
_RX_PARTY_DOT = re.compile(
    rf"(?P<role>{_ROLE}[ \t]+)?(?P<name>{_NAME})[ \t]*"
    r"\((?P<party>(?!RIS)[^()\n]{1,40})\)\.(?=[ \t]|$)"
)
# "De heer Van Zanen. ", "Mevrouw Heerekop. ": a guest or the mayor without a party. A
# dot inside the name only after an initial: "De heer Van Zanen. Voorzitter. Ik …" is Van
# Zanen addressing the chair, not a "Van Zanen. Voorzitter".
_INITIALS_OR_WORD = rf"(?:(?:[{_UPPER}]\.)+|[{_UPPER}][\w'’-]*)"
_RX_ROLE_NAME_DOT = re.compile(
    rf"(?P<role>De heer|Mevrouw|Wethouder|Burgemeester|Gedeputeerde)[ \t]+"
    rf"(?P<name>{_INITIALS_OR_WORD}(?:[ \t]+(?:{_PARTICLE}|{_INITIALS_OR_WORD})){{0,3}})"
    r"\.(?=[ \t]|$)"
)
_RX_NEXT_CAPITAL = re.compile(rf"[ \t]+[{_UPPER}‘'\"“…(]")
# Where a sentence inside a line ends and the next may open a turn.
_RX_SENTENCE_END = re.compile(r"[.?!…:;]['’\"”)]?[ \t]+(?=[{_UPPER}])".replace("{_UPPER}", _UPPER))
# "De voorzitter. ", "De burgemeester. ", "De plaatsvervangend voorzitter. "
_RX_CHAIR_DOT = re.compile(
    r"(?P<name>De (?:plaatsvervangend(?:e)? )?voorzitter|De burgemeester|De griffier)\.(?=[ \t]|$)"
)
# "De heer Jansen (VVD): ", "Mevrouw De Vries: ", "Wethouder Smit: ", "De voorzitter: "
_RX_COLON = re.compile(
    rf"(?:(?P<chair>De (?:plaatsvervangend(?:e)? )?voorzitter|De burgemeester)"
    rf"|(?P<role>{_ROLE})[ \t]+(?P<name>{_NAME}))"
    r"[ \t]*(?:\((?P<party>(?!RIS)[^()\n]{1,40})\))?[ \t]*:(?=[ \t]|$)"
)
# "Harrie: ", "Tijs : ", "Andre en Arjan: ", "Jan Carlo: "
_RX_FIRST_NAME_COLON = re.compile(
    rf"(?P<name>[{_UPPER}][a-zà-ÿ'’-]+(?:[ \t]+(?:en|&)[ \t]+[{_UPPER}][a-zà-ÿ'’-]+)?"
    rf"(?:[ \t]+[{_UPPER}][a-zà-ÿ'’-]+)?)[ \t]?:(?=[ \t]+\S)"
)
# Labels that look like a first name followed by a colon.
_LABELS = frozenset(
    """
    aanleiding aanwezig aanwezigen actie acties actiepunt actiepunten adres advies
    afspraak afspraken afwezig afwezigen agenda agendapunt antwoord bijlage bijlagen
    besluit besluiten betreft conclusie conclusies constaterende datum deelnemers doel
    gevraagd griffier inhoud kenmerk kopie locatie mededelingen notulen notulist
    onderwerp opening opmerking opmerkingen overwegende plaats resultaat rondvraag
    samenvatting sluiting stand status tijd toelichting vervolg verslag verslaglegging
    voorstel voorzitter vraag vragen wat waar wanneer wie let noot tel telefoon email
    indiener indieners bron dictum motie amendement
    aan van cc bcc ter
    """.split()  # noqa: SIM905
)
# Procedural narration: the minutes speaking, not a person.
_RX_NARRATION = re.compile(
    r"(?:In stemming (?:komt|komen)\b|De motie maakt onderdeel|De moties maken onderdeel"
    r"|Het amendement maakt onderdeel|De amendementen maken onderdeel"
    r"|Niets meer aan de orde zijnde|De vergadering wordt (?:geschorst|heropend|gesloten)"
    r"|\(?Schorsing\b|Aan de orde (?:is|zijn)\b|Aanwezig zijn \d+ leden|Presentielijst\b)"
)


def _role_of(word: str | None) -> str | None:
    return _ROLE_WORDS.get(word.strip().lower()) if word else None


def _party_and_role(marker: str | None, role: str | None) -> tuple[str | None, str | None]:
    if marker is None:
        return None, role
    marker = marker.strip()
    if _RX_AGENDA_MARKER.fullmatch(marker) and not _known_party(marker):
        return None, "inspreker"
    return canonical_party(marker), role or "raadslid"


def _known_party(marker: str) -> bool:
    canon = canonical_party(marker)
    return canon is not None and canon in parties()


def _turn_at(text: str, pos: int, page: int, *, line_start: bool = True) -> Turn | None:
    """The turn opened at ``pos``, or None. After a sentence end inside a line (the parser
    joins the lines of a paragraph) only the unmistakable forms count: a name with a party
    and a full stop, or "De voorzitter.", followed by a capital."""
    if not line_start:
        for rx in (_RX_CHAIR_DOT, _RX_PARTY_DOT):
            m = rx.match(text, pos)
            if m and _RX_NEXT_CAPITAL.match(text, m.end()):
                return _turn_at(text, pos, page)
        return None
    if _RX_NARRATION.match(text, pos):
        end = text.find("\n", pos)
        return Turn(page, pos, None, None, None, text[pos : end if end >= 0 else pos + 60][:60])
    m = _RX_CHAIR_DOT.match(text, pos)
    if m:
        name = m.group("name")
        role = "griffier" if "griffier" in name else "voorzitter"
        speaker = "De griffier" if role == "griffier" else "De voorzitter"
        return Turn(page, pos, speaker, role, None, m.group(0))
    m = _RX_PARTY_DOT.match(text, pos)
    if m:
        marker = m.group("party").strip()
        # A party name has few words and no long numbers ("(RIS311821)", "(10906605)").
        if len(marker.split()) <= 5 and not re.search(r"\d{3}", marker):
            party, turn_role = _party_and_role(marker, _role_of(m.group("role")))
            return Turn(page, pos, _clean_name(m.group("name")), turn_role, party, m.group(0))
    m = _RX_ROLE_NAME_DOT.match(text, pos)
    if m and _RX_NEXT_CAPITAL.match(text, m.end()):
        guest_role = _role_of(m.group("role"))
        return Turn(page, pos, _clean_name(m.group("name")), guest_role, None, m.group(0))
    m = _RX_COLON.match(text, pos)
    if m:
        if m.group("chair"):
            return Turn(page, pos, "De voorzitter", "voorzitter", None, m.group(0))
        party, turn_role = _party_and_role(m.group("party"), _role_of(m.group("role")))
        return Turn(page, pos, _clean_name(m.group("name")), turn_role, party, m.group(0))
    m = _RX_FIRST_NAME_COLON.match(text, pos)
    if m and not any(_is_label(w) for w in m.group("name").split()):
        return Turn(page, pos, _clean_name(m.group("name")), None, None, m.group(0))
    return None


def _is_label(word: str) -> bool:
    """A word before a colon that is no first name: a heading word ("Besluit:"), an adverb
    of the speaker's own ("Afrondend:", "Samenvattend:", which go on the speaker's turn)
    or a field name ("Vergadering-id:")."""
    lowered = word.lower()
    return (
        lowered in _LABELS
        or (len(lowered) > 5 and lowered.endswith("end"))
        or (re.search(r"-[a-z]", word) is not None)
    )


def _ends_with_line(turn: Turn) -> bool:
    """A first-name colon turn ("Harrie: gesprek is verhelderend") is one remark in
    otherwise reported minutes: it ends with its line."""
    return (
        turn.role is None
        and turn.party is None
        and turn.header.rstrip().endswith(":")
        and (not turn.header.startswith(("De ", "Mevrouw", "Wethouder", "Burgemeester")))
    )


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" .,")


def _line_starts(text: str) -> Iterable[int]:
    yield 0
    for m in re.finditer(r"\n[ \t]*", text):
        yield m.end()


def find_turns(pages: Sequence[_PageLike]) -> list[Turn]:
    """Every speaker turn and narration break, in document order. Apply to minutes only:
    the line-start forms also occur in other documents (attendance lists, signatures)."""
    turns: list[Turn] = []
    for page in pages:
        starts = {pos: True for pos in _line_starts(page.text)}
        for m in _RX_SENTENCE_END.finditer(page.text):
            starts.setdefault(m.end(), False)
        for pos in sorted(starts):
            turn = _turn_at(page.text, pos, page.number, line_start=starts[pos])
            if turn is not None:
                turns.append(turn)
            elif (
                turns
                and _ends_with_line(turns[-1])
                and starts[pos]
                and turns[-1].page == page.number
            ):
                turns.append(Turn(page.number, pos, None, None, None, ""))
    return turns


def speaker_label(name: str | None, role: str | None, party: str | None) -> str:
    """'Lesley Arp (SP)', 'wethouder Balster (PvdA)', 'De voorzitter'; '' without a name."""
    if not name:
        return ""
    shown = f"{role} {name}" if role in ("wethouder", "burgemeester", "inspreker") else name
    return f"{shown} ({party})" if party else shown


def speaker_matches(query: str, speaker: str | None) -> bool:
    """Does a ``--speaker`` value name this speaker? Every word of the query must be a word
    of the name, case-insensitively ("Arp" and "lesley arp" name "Lesley Arp")."""
    if not speaker:
        return False
    words = set(re.findall(r"\w+", speaker.lower()))
    wanted = re.findall(r"\w+", query.lower())
    return bool(wanted) and all(w in words for w in wanted)


@dataclass(frozen=True, slots=True)
class SpeakerSummary:
    """A speaker as the index knows them (for filter lists in the CLI and the web)."""

    name: str
    role: str | None
    party: str | None
    passages: int

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "role": self.role,
            "party": self.party,
            "passages": self.passages,
        }
