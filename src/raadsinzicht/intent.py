"""What a question asks for, beyond its words: parties, speakers, votes.

"Wat zei de PVV over parkeren?" asks for passages spoken by PVV members; "Hoe stemde de
VVD over de Pier?" asks for a vote (the party is a voter, not a speaker: the vote facts
answer it); "Wat vond wethouder Balster van ..." names a speaker. ``recognise`` finds
these; ``QuestionIntent.apply`` turns them into search filters, unless the user set
party or speaker filters explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .index.bm25 import tokenize_query
from .retrieve import SearchFilters
from .wordlists import canonical_party, parties, party_pattern

__all__ = ["QuestionIntent", "recognise", "speech_terms"]

_RX_VOTE = re.compile(
    r"\b(?:stem(?:de|den|t|men)|gestemd|stemming(?:en)?|stemuitslag|stemgedrag|stemverhouding"
    r"|aangenomen|verworpen|uitslag|ingetrokken|aangehouden)\b",
    re.IGNORECASE,
)
# The verbs that ask what someone said: in the question's frame, not its subject.
_SPEECH_VERBS = (
    r"zei|zeiden|zegt|zeggen|gezegd|sprak|spraken|gesproken|vond|vonden|vindt|vinden"
    r"|betoog(?:de|den|t)?|vroeg|vroegen|pleitte(?:n)?"
)
_RX_SPEECH_VERB = re.compile(rf"\b(?:{_SPEECH_VERBS})\b", re.IGNORECASE)
_RX_SPOKEN = re.compile(
    rf"\b(?:{_SPEECH_VERBS}|inbreng|standpunt(?:en)?|woordvoerders?|bijdrage|debat|"
    r"bracht(?:en)? (?:naar voren|in)|merkte(?:n)? op)\b",
    re.IGNORECASE,
)


def speech_terms(question: str) -> frozenset[str]:
    """The (stemmed) verbs of ``question`` that ask what someone said ("Wat vond de PvdA
    van …?"): under a speaker or party filter they say nothing about which turn answers
    ("Ik vond uw schets kort door de bocht" holds "vond")."""
    return frozenset(
        stem for m in _RX_SPEECH_VERB.finditer(question) for stem in tokenize_query(m.group())
    )


# Asks what a party submitted: its motions and amendments are where the answer is.
_RX_SUBMITTED = re.compile(
    r"\b(?:dien(?:de|den|t)\b[^?]*\bin\b|ingediend|indieners?|"
    r"(?:motie|moties|amendement|amendementen|initiatiefvoorstel) van)\b",
    re.IGNORECASE,
)
_RX_TITLE = r"(?:wethouder|burgemeester|gedeputeerde|mevrouw|meneer|de heer|raadslid)"
# Party spellings that are also ordinary Dutch words: only in their own capitals.
_WORD_LIKE = {"denk", "volt"}


@dataclass(frozen=True, slots=True)
class QuestionIntent:
    parties: tuple[str, ...] = ()  # canonical party names in the question
    speakers: tuple[str, ...] = ()  # known speakers named in the question
    votes: bool = False  # asks how was voted or what the outcome was
    spoken: bool = False  # asks what someone said
    submitted: bool = False  # asks what a party submitted (motions, amendments)

    def apply(self, filters: SearchFilters | None) -> SearchFilters:
        """``filters`` with the question's party/speaker filter added. A vote question
        gets none: its party voted, it did not speak."""
        base = filters or SearchFilters()
        if base.parties or base.speakers or base.spoken or self.votes:
            return base
        if self.speakers:
            return replace(base, speakers=self.speakers, spoken=True)
        # A party named in any other question ("Welke wijken wil Hart voor Den Haag ...?")
        # is only a search word: its answer may be in a document the party is not recorded
        # on (an initiative proposal, a letter), which a filter would hide.
        if self.parties and (self.spoken or self.submitted):
            return replace(base, parties=self.parties, spoken=self.spoken)
        return base

    def to_dict(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "speakers": list(self.speakers),
            "votes": self.votes,
            "spoken": self.spoken,
            "submitted": self.submitted,
        }


def _parties_in(question: str) -> list[str]:
    found = [canonical_party(m.group(1)) for m in party_pattern().finditer(question)]
    lowered = question.lower()
    for canon, aliases in parties().items():
        for alias in (canon, *aliases):
            if alias.lower() in _WORD_LIKE or not re.search(r"[A-Z]{2}", alias):
                continue
            if re.search(rf"(?<![\w/-]){re.escape(alias.lower())}(?![\w/-])", lowered):
                found.append(canon)
    return [p for p in dict.fromkeys(found) if p]


def _speakers_in(
    question: str,
    known_speakers: Sequence[str],
    *,
    spoken: bool = False,
    roles: Mapping[str, str | None] | None = None,
) -> list[str]:
    """The known speakers ``question`` names: by full name, by a title and surname
    ("wethouder Balster"), or, when it asks what someone said (``spoken``), by the
    surname alone as a name is written ("Wat zei Arp over …?", "Wat vond De Vuyst …?"),
    or by their office alone ("Wat zei de wethouder over …?": every speaker whose
    ``roles`` entry is that office)."""
    found = _named_speakers(question, known_speakers, spoken)
    if not found and spoken and roles:
        office = _RX_OFFICE.search(question)
        if office is not None:
            asked = office.group(1).lower()
            found = [name for name in known_speakers if roles.get(name) == asked]
    return found


# "Wat zei de wethouder over …?", "Wat antwoordde de burgemeester …?": an office, no name.
_RX_OFFICE = re.compile(
    r"\b(?:de|het)\s+(wethouder|burgemeester|voorzitter|griffier)\b(?!\s+(?-i:[A-Z]))",
    re.IGNORECASE,
)


def _named_speakers(question: str, known_speakers: Sequence[str], spoken: bool) -> list[str]:
    lowered = question.lower()
    found = []
    for name in known_speakers:
        words = name.lower().split()
        if name.lower().startswith("de ") and len(words) <= 2:
            continue  # "De voorzitter", not a person's name
        full = re.escape(name.lower())
        surname = re.escape(words[-1])
        if (
            (len(words) >= 2 and re.search(rf"\b{full}\b", lowered))
            or re.search(rf"\b{_RX_TITLE}\s+(?:\w+\s+){{0,2}}{surname}\b", lowered)
            or (spoken and _names_surname(question, name))
        ):
            found.append(name)
    return found


# Where a surname alone names who spoke: "Wat zei Arp …", "de bijdrage van De Vuyst".
# Elsewhere a capitalised word may be a place or thing ("het Haagse Bos", "de Maas") that
# is also someone's surname.
_RX_BEFORE_SPEAKER = r"\b(?:zei|zegt|vond|vindt|sprak|vroeg|betoogde|pleitte|heeft|had|van)\s+"


def _names_surname(question: str, name: str) -> bool:
    """Whether ``question`` names the surname of ``name`` (all but a first name: "De
    Vuyst" of "Maarten De Vuyst") as the one who spoke, capitalised as a name is."""
    words = name.split()
    surname = " ".join(words[1:] if len(words) > 1 else words)
    pattern = rf"{_RX_BEFORE_SPEAKER}({re.escape(surname)})(?![\w-])"
    return any(
        match.group(1).split()[-1][:1].isupper() for match in re.finditer(pattern, question, re.I)
    )


def recognise(
    question: str,
    *,
    known_speakers: Sequence[str] = (),
    roles: Mapping[str, str | None] | None = None,
) -> QuestionIntent:
    """The parties, speakers and kind of question in ``question``; ``known_speakers`` are
    the speaker names of the index (``Catalog.speakers``), ``roles`` their offices."""
    spoken = bool(_RX_SPOKEN.search(question))
    return QuestionIntent(
        parties=tuple(_parties_in(question)),
        speakers=tuple(_speakers_in(question, known_speakers, spoken=spoken, roles=roles)),
        votes=bool(_RX_VOTE.search(question)),
        spoken=spoken,
        submitted=bool(_RX_SUBMITTED.search(question)),
    )
