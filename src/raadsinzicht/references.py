"""References a document makes to other documents, and its own numbers: the raw material
of dossiers. Found in the text with the page they are on:

- RIS numbers ("RIS321674", "(RIS 319455)") of the council information system;
- kenmerken ("Ons kenmerk DSO/10880335", "onder kenmerk AU15.05274", "Uw kenmerk ...");
- zaaknummers ("Zaaknummer: Z-21-123456"), kept as kenmerken: one number space;
- Kamerstukken ("kst-32545-143", "Kamerstuk 32545, nr. 143");
- quoted titles of motions, amendments and proposals ("motie ‘Ga de strijd aan tegen
  sleutelgeld’").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Reference", "extract_references", "normalise_title"]


@dataclass(frozen=True, slots=True)
class Reference:
    role: str  # self | mention
    type: str  # ris | kenmerk (also zaaknummers) | kamerstuk | title
    value: str
    page: int
    context: str


_RX_RIS = re.compile(r"(?<![\w-])RIS[ -]?(\d{6})\b")
_RX_KENMERK = re.compile(
    r"\b(?P<label>Ons kenmerk|Onze referentie|Uw kenmerk|Kenmerk|onder kenmerk|met kenmerk)"
    r"\s*:?\s*(?P<value>[A-Z0-9][\w./-]*\d[\w./-]*)",
    re.IGNORECASE,
)
_RX_ZAAK = re.compile(r"\bzaak(?:nummer|nr\.?)\s*:?\s*(?P<value>Z?[-\d][\w./-]{4,20})", re.I)
_RX_KST = re.compile(
    r"\bkst-(?P<a>\d{5,6})-(?P<b>\d{1,4})\b|\bKamerstuk(?:ken)?\s+(?P<c>\d{5,6}),?\s+nr\.?\s*(?P<d>\d{1,4})"
)
_RX_QUOTED_TITLE = re.compile(
    r"\b(?:motie|amendement|initiatiefvoorstel|voorstel|raadsvoorstel)\s+(?:van\s+[^‘'“\"]{2,60}\s+)?"
    r"[‘'“\"](?P<title>[^’'”\"\n]{6,160})[’'”\"]",
    re.IGNORECASE,
)
_STOP = re.compile(r"[^\w\s]")


def normalise_title(title: str) -> str:
    """Lower case, no punctuation or quotes, single spaces: how titles are compared."""
    return re.sub(r"\s+", " ", _STOP.sub(" ", title.lower())).strip()


def _context(text: str, start: int, end: int) -> str:
    return re.sub(r"\s+", " ", text[max(0, start - 60) : end + 60]).strip()


def extract_references(
    pages: Sequence[tuple[int, str]], *, registration_number: str | None = None
) -> list[Reference]:
    """References in ``pages`` ((number, text) pairs) plus the document's own
    ``registration_number`` as a 'self' reference."""
    found: dict[tuple[str, str, str], Reference] = {}

    def add(role: str, kind: str, value: str, page: int, context: str) -> None:
        key = (role, kind, value)
        if value and key not in found:
            found[key] = Reference(role, kind, value, page, context)

    if registration_number:
        own = registration_number.strip()
        m = re.fullmatch(r"RIS\s?-?(\d{6})", own, re.I)
        if m:
            add("self", "ris", m.group(1), 1, own)
        elif re.match(r"kst-", own):
            add("self", "kamerstuk", own[4:], 1, own)
        else:
            add("self", "kenmerk", own.upper(), 1, own)
    for number, text in pages:
        for m in _RX_RIS.finditer(text):
            add("mention", "ris", m.group(1), number, _context(text, m.start(), m.end()))
        for m in _RX_KENMERK.finditer(text):
            value = m.group("value").rstrip("./-").upper()
            if len(value) >= 5 and not re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}", value):
                add("mention", "kenmerk", value, number, _context(text, m.start(), m.end()))
        for m in _RX_ZAAK.finditer(text):
            # One number space with kenmerken: a document's own number is stored as
            # "kenmerk" whatever its label, and others cite it as "zaaknummer".
            add("mention", "kenmerk", m.group("value").upper(), number,
                _context(text, m.start(), m.end()))  # fmt: skip
        for m in _RX_KST.finditer(text):
            value = f"{m.group('a') or m.group('c')}-{m.group('b') or m.group('d')}"
            add("mention", "kamerstuk", value, number, _context(text, m.start(), m.end()))
        for m in _RX_QUOTED_TITLE.finditer(text):
            title = normalise_title(m.group("title"))
            if len(title.split()) >= 2:
                add("mention", "title", title, number, _context(text, m.start(), m.end()))
    return list(found.values())
