"""What a question asks for, beyond its words: parties, speakers, votes.

"Wat zei de PVV over parkeren?" asks for passages spoken by PVV members; "Hoe stemde de
VVD over de Pier?" asks for a vote (the party is a voter, not a speaker: the vote facts
answer it); "Wat vond wethouder Balster van ..." names a speaker. ``recognise`` finds
these; ``QuestionIntent.apply`` turns them into search filters, unless the user set
party or speaker filters explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .retrieve import SearchFilters
from .wordlists import canonical_party, parties, party_pattern

__all__ = ["QuestionIntent", "recognise"]

_RX_VOTE = re.compile(
    r"\b(?:stem(?:de|den|t|men)|gestemd|stemming(?:en)?|stemuitslag|stemgedrag|stemverhouding"
    r"|aangenomen|verworpen|uitslag|ingetrokken|aangehouden)\b",
    re.IGNORECASE,
)
_RX_SPOKEN = re.compile(
    r"\b(?:zei|zeiden|zegt|zeggen|gezegd|sprak|spraken|gesproken|vond|vonden|vindt|vinden"
    r"|betoog(?:de|den|t)?|inbreng|standpunt(?:en)?|woordvoerders?|bijdrage|debat|"
    r"bracht(?:en)? (?:naar voren|in)|merkte(?:n)? op|vroeg|vroegen|pleitte(?:n)?|wilde(?:n)?)\b",
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

    def apply(self, filters: SearchFilters | None) -> SearchFilters:
        """``filters`` with the question's party/speaker filter added. A vote question
        gets none: its party voted, it did not speak."""
        base = filters or SearchFilters()
        if base.parties or base.speakers or base.spoken or self.votes:
            return base
        if self.speakers:
            return replace(base, speakers=self.speakers, spoken=True)
        if self.parties:
            return replace(base, parties=self.parties, spoken=self.spoken)
        return base

    def to_dict(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "speakers": list(self.speakers),
            "votes": self.votes,
            "spoken": self.spoken,
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


def _speakers_in(question: str, known_speakers: Sequence[str]) -> list[str]:
    lowered = question.lower()
    found = []
    for name in known_speakers:
        words = name.lower().split()
        if name.lower().startswith("de ") and len(words) <= 2:
            continue  # "De voorzitter", not a person's name
        full = re.escape(name.lower())
        surname = re.escape(words[-1])
        if (len(words) >= 2 and re.search(rf"\b{full}\b", lowered)) or re.search(
            rf"\b{_RX_TITLE}\s+(?:\w+\s+){{0,2}}{surname}\b", lowered
        ):
            found.append(name)
    return found


def recognise(question: str, *, known_speakers: Sequence[str] = ()) -> QuestionIntent:
    """The parties, speakers and kind of question in ``question``; ``known_speakers`` are
    the speaker names of the index (``Catalog.speakers``)."""
    return QuestionIntent(
        parties=tuple(_parties_in(question)),
        speakers=tuple(_speakers_in(question, known_speakers)),
        votes=bool(_RX_VOTE.search(question)),
        spoken=bool(_RX_SPOKEN.search(question)),
    )
