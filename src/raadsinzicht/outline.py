"""Extractive summaries without a language model: per document kind the points a reader
looks for (raadsvoorstel: voorgesteld besluit, besluit van de raad, financiën, planning;
motie/amendement: verzoek, indieners, uitkomst; beslissing op bezwaar: bestreden besluit,
gronden, beslissing, beroepstermijn; Woo-besluit: verzoek, besluit, weigeringsgronden),
each as the document's own sentences with the page they stand on.

A point is found two ways: the sentences under a heading or label that opens its section
("Voorgesteld besluit", "Verzoekt het college:", "Gronden van het bezwaar"), else
sentences that state it wherever they stand (a cue: "gegrond", "zes weken", "artikel
5.1"). A motion's submitters and outcome come from the metadata fields and their pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .grounding import split_sentences
from .parse import PageText

__all__ = [
    "EXTRACTIVE_MODEL",
    "OUTLINES",
    "Aspect",
    "DocumentFields",
    "TextUnit",
    "aspect_units",
    "body_units",
    "outline_summary",
]

EXTRACTIVE_MODEL = "extractief (geen taalmodel)"
_I = re.IGNORECASE
_MAX_SENTENCE = 300
_MIN_SENTENCE = 25
# A motion's closing formula: it asks nothing, and what follows it (the signatures) is no
# part of the request.
_MOTION_END = re.compile(r"^(?:en )?gaat over tot de orde van de dag\b", re.IGNORECASE)
# A letter's or decision's closing formula states nothing: "Aldus besloten in de openbare
# raadsvergadering van …", "De griffier, De voorzitter,".
_CLOSING = re.compile(
    r"^(?:aldus (?:besloten|vastgesteld)|(?:de )?(?:griffier|voorzitter|secretaris)\b|"
    rf"hoogachtend|met vriendelijke groet|namens deze|validsigned|{_MOTION_END.pattern[1:]})",
    re.IGNORECASE,
)


def _states(text: str) -> bool:
    """Is ``text`` long enough to state a point, and no closing formula?"""
    return len(text) >= _MIN_SENTENCE and _CLOSING.match(text) is None


@dataclass(frozen=True, slots=True)
class DocumentFields:
    """The metadata an outline needs (from the catalog, or a PDF parsed on the fly)."""

    kind: str
    parties: list[str] = field(default_factory=list)
    outcome: str | None = None
    pages: dict[str, int] = field(default_factory=dict)  # field -> page it was found on
    # A motion's outcome as the council records give it, with where (another document:
    # a motion seldom states its own outcome); used when ``outcome`` is not in the text.
    recorded_outcome: str | None = None
    # A council proposal's outcome as the stamp under its decision gives it ("verworpen in
    # de raadsvergadering van 13 februari 2025"), its page in ``pages["decision"]``.
    decision: str | None = None


@dataclass(frozen=True, slots=True)
class Aspect:
    label: str
    section: re.Pattern[str] | None = None  # a heading or label that opens its section
    cue: re.Pattern[str] | None = None  # a sentence that states it, anywhere
    # Of the cued sentences, those that also match this come first (the one that gives
    # the period, not a footnote that cites a court).
    prefer: re.Pattern[str] | None = None
    limit: int = 2
    field: str | None = None  # answered from a metadata field ("parties", "outcome")
    lead: bool = False  # else the document's first sentences


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


_AMOUNT = r"(?:€\s?\d|\d[\d.,]*\s?(?:euro|mln|miljoen|miljard))"
# A Woo request as its decision restates it: "heeft u, met een beroep op de Wob, verzocht
# om …", "verzoekt u om …", "waarin u ons vraagt om …".
_ASKED = (
    r"\b(?:u|uw cliënt)\b[^.]{0,160}\b(?:verzocht|verzoekt|gevraagd|vraagt)\s+(?:u\s+)?"
    r"(?:ons\s+)?om\b|\bheeft u\b[^.]{0,160}\b(?:verzocht|gevraagd)\b|"
    r"\b(?:verzoekt|vraagt) u\b"
)
_GENERAL = (
    Aspect("Onderwerp", _rx(r"^(?:onderwerp|betreft|inleiding|aanleiding|samenvatting)\b"),
           limit=2, lead=True),
    Aspect("Besluit of conclusie", _rx(r"^(?:besluit|conclusies?|advies|beslispunten)\b"),
           _rx(r"\b(?:besluit(?:en)?|besloten|stelt (?:de raad )?voor|concluderen)\b"), limit=2),
    Aspect("Bedragen", None, _rx(_AMOUNT), limit=1),
)  # fmt: skip

OUTLINES: dict[str, tuple[Aspect, ...]] = {
    "raadsvoorstel": (
        Aspect(
            "Voorgesteld besluit",
            _rx(
                r"^(?:(?:ontwerp|voorgesteld|concept)[- ]?)?(?:raads)?besluit\b|"
                # "Voorstel" as a section's heading, not a title's first word ("Voorstel
                # van het presidium inzake …").
                r"^beslispunten|^(?:de raad )?besluit\s*:|^voorstel(?:\s+aan\s+de\s+raad)?\s*"
                r"(?::|$)|^gevraagd besluit"
            ),
            _rx(
                r"\b(?:in te stemmen met|vast te stellen|kennis te nemen|beschikbaar te "
                r"stellen|de raad wordt (?:gevraagd|voorgesteld))\b"
            ),
            limit=3,
        ),
        Aspect("Besluit van de raad", field="decision"),
        Aspect(
            "Financiën",
            _rx(r"^(?:financi(?:ële|en|ën)|kosten|dekking|budget)"),
            # An amount with a word of money ("het budgettaire kader … € 39,5 miljoen"), or
            # that it costs nothing ("Aan de uitvoering zijn geen kosten verbonden").
            _rx(
                rf"{_AMOUNT}.*\b(?:kosten|budget\w*|dekking|begroting|krediet|reserve)|"
                rf"\b(?:kosten|budget\w*|dekking|begroting|krediet)\b.*{_AMOUNT}|"
                r"\bgeen (?:extra |aanvullende )?(?:kosten|financiële (?:gevolgen|"
                r"consequenties))\b"
            ),
            limit=2,
        ),
        Aspect(
            "Planning",
            _rx(
                r"^(?:planning|vervolg|tijdpad|uitvoering|communicatie en "
                r"vervolg)"
            ),
            # What happens next and when: a sentence about 2010 or "een goede start" is
            # no planning.
            _rx(
                r"\b(?:planning|tijdpad|fasering|vervolgstappen?|gereed|uiterlijk|kwartaal|"
                r"voor de zomer|na (?:het )?(?:besluit|raadsbesluit|vaststelling|instemming)|"
                r"vóór \d|oplevering|in werking (?:treden|treedt)|inwerkingtreding)\b|"
                r"\b(?:wordt|worden|zal|zullen|gaat|gaan|start|starten|volgt|volgen)\b[^.;]*"
                r"\b(?:in|vanaf|per|medio|eind|begin|najaar|voorjaar|zomer) (?:\w+ )?20\d{2}\b"
            ),
            limit=2,
        ),
    ),
    "motie": (
        Aspect("Indieners", field="parties"),
        Aspect(
            "Verzoek",
            _rx(
                r"^(?:verzoekt|draagt|roept)\b.*\b(?:op|college|burgemeester|"
                r"regering|presidium)\b|^(?:en )?spreekt uit|^besluit"
            ),
            _rx(r"\bverzoekt (?:het college|de regering|de burgemeester|het presidium)\b"),
            limit=3,
        ),
        Aspect("Uitkomst", field="outcome"),
    ),
    "beslissing_op_bezwaar": (
        Aspect(
            "Bestreden besluit",
            _rx(
                r"^(?:het )?bestreden besluit|^(?:het )?primaire "
                r"besluit|^(?:het )?besluit waartegen"
            ),
            _rx(
                r"\b(?:bestreden besluit|primaire besluit|bezwaar(?:schrift)? "
                r"(?:is )?(?:gericht )?tegen|bezwaar gemaakt tegen)\b|"
                r"\btegen (?:dit|dat|het|uw|mijn|ons) besluit\b[^.]*\bbezwaar"
            ),
            limit=1,
        ),
        Aspect(
            "Gronden",
            _rx(
                r"^(?:de )?gronden van (?:het |uw |zijn |haar )?bezwaar|^(?:uw )?bezwaargronden|"
                r"^standpunt van (?:de )?(?:bezwaarmaker|indiener)|"
                # A label that opens the list: "Samengevat heeft u de volgende gronden van
                # bezwaar aangevoerd:".
                r"\b(?:volgende )?gronden van (?:het |uw )?bezwaar\b.*:$"
            ),
            _rx(
                r"\b(?:u voert aan|u stelt|u betoogt|betoogt u|geeft u aan|(?:bezwaarmaker|"
                r"aanvrager|appellant) (?:stelt|betoogt|voert aan)|in (?:uw|het) "
                r"bezwaarschrift)\b"
            ),
            limit=3,
        ),
        Aspect(
            "Beslissing",
            _rx(r"^(?:beslissing|besluit|conclusie)\b"),
            _rx(r"\b(?:gegrond|ongegrond|niet-ontvankelijk|niet ontvankelijk)\b"),
            limit=2,
        ),
        Aspect(
            "Beroepstermijn",
            _rx(r"^(?:beroep|rechtsmiddel|bent u het niet eens)"),
            _rx(
                r"\bberoep\b.*\b(?:zes|6) weken\b|\b(?:zes|6) weken\b.*\bberoep\b|"
                r"\bberoepschrift\b|\brechtbank\b"
            ),
            limit=1,
            prefer=_rx(r"\b(?:zes|6) weken\b"),
        ),
    ),
    "woo_besluit": (
        Aspect(
            "Verzoek",
            _rx(r"^(?:uw )?(?:wob|woo)?-?verzoek\b|^(?:het )?verzoek\b"),
            _rx(rf"\b(?:uw verzoek|(?:wob|woo)-verzoek)\b|{_ASKED}"),
            limit=2,
            # What was asked, not that its receipt was confirmed or its term extended.
            prefer=_rx(_ASKED),
        ),
        Aspect(
            "Besluit",
            _rx(r"^(?:besluit|beslissing|mijn besluit|ons besluit)\b"),
            _rx(
                r"\b(?:besluit|besloten|besluiten)\b.{0,80}\b(?:openbaar|gedeeltelijk|"
                r"weiger|niet openbaar|toe te kennen|in te willigen)"
            ),
            limit=2,
        ),
        Aspect(
            "Weigeringsgronden",
            _rx(
                r"^(?:weigerings|uitzonderings)gronden|^(?:motivering|"
                r"overwegingen)\b"
            ),
            _rx(
                r"\bartikel\s+(?:5\.[12]|10|11)\b|\b(?:weigerings|uitzonderings)grond|"
                r"\bpersoonlijke levenssfeer\b|\bbedrijfs- en fabricagegegevens\b"
            ),
            limit=3,
        ),
    ),
}
OUTLINES["amendement"] = (
    Aspect("Indieners", field="parties"),
    Aspect(
        "Wijziging",
        # Or a label that ends a line: the stored text may join "Besluit om:" to the
        # sentence before it ("De raad …, ter bespreking van …, Besluit om:"), and a label
        # names the change ("Aan dictum I het volgende toe te voegen:").
        _rx(
            r"^besluit\b|^(?:het )?(?:ontwerp)?besluit (?:als volgt )?te "
            r"wijzigen|\bbesluit(?: om)?:$|\b(?:toe te voegen|te wijzigen|aan te vullen|"
            r"te vervangen|te schrappen|komt te luiden):$"
        ),
        _rx(r"\b(?:te wijzigen|toe te voegen|te schrappen|te vervangen|komt te luiden)\b"),
        limit=3,
    ),
    Aspect("Uitkomst", field="outcome"),
)


@dataclass(slots=True)
class TextUnit:
    page: int
    text: str
    heading: bool  # a heading or a label line ("Verzoekt het college:")
    statute: bool = False  # in an appendix that quotes the law ("Bijlage 1 – Relevante …")


# A list item's mark ("o " is Word's second-level bullet), not the "o" of "op" or "Oslo".
_BULLET = re.compile(r"^(?:[•▪*-]+|o(?=\s))\s*")
# A line that ends in a word: the next one, in lower case, goes on with its sentence. A
# line that ends in punctuation ("De raad van de gemeente Den Haag," before "besluit:")
# or in a number (a page's reference, "DSO/10840638") stays apart.
_LINE_GOES_ON = re.compile(r"[^\W\d_][)’'”\"]?\s*$")


# A line this long or shorter without closing punctuation is a heading; a longer one is a
# heading only by its colon, and then a sentence that opens a list.
_HEADING_LENGTH = 80


def _lines(text: str) -> list[str]:
    """``text``'s lines, a sentence broken over two of them joined again: a PDF may put
    "I. het bezwaarschrift … van het verzoek" and "tot herziening …, gegrond te
    verklaren;" in blocks of their own."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = _BULLET.sub("", raw.strip())
        if not line:
            continue
        if lines and _LINE_GOES_ON.search(lines[-1]) and line[0].islower():
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


# An appendix that quotes the law: its "persoonlijke levenssfeer" is a ground the law
# knows, not one this decision used.
_STATUTE_APPENDIX = re.compile(
    r"^bijlage\b.*\b(?:artikelen|wettekst|regelgeving|bepalingen|wet)\b", re.IGNORECASE
)
_APPENDIX = re.compile(r"^bijlage\b", re.IGNORECASE)


def _units(segments: Sequence[PageText]) -> list[TextUnit]:
    units: list[TextUnit] = []
    statute = False
    first_page = segments[0].page if segments else 0
    for segment in segments:
        for line in _lines(segment.text):
            heading = (
                len(line) <= _HEADING_LENGTH and not line.endswith((".", ";", ","))
            ) or line.endswith(":")
            # On the first page "Bijlage(n) 1. Relevante artikelen …" lists the enclosures
            # in a letterhead; an appendix starts later.
            if heading and segment.page > first_page and _APPENDIX.match(line):
                statute = _STATUTE_APPENDIX.match(line) is not None
            pieces = [line] if heading else split_sentences(line)
            units += [
                TextUnit(segment.page, piece, heading, statute) for piece in pieces if piece.strip()
            ]
    return units


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _MAX_SENTENCE:
        return text
    cut = text.rfind(" ", 0, _MAX_SENTENCE)
    return text[: cut if cut > 0 else _MAX_SENTENCE] + " …"


def _section(units: list[TextUnit], aspect: Aspect) -> list[TextUnit]:
    """Sentences under the first heading or label that opens the aspect's section (the
    document's first line is its title, not a section)."""
    if aspect.section is None:
        return []
    for index, unit in enumerate(units[1:], start=1):
        if not (unit.heading and aspect.section.search(unit.text)):
            continue
        body: list[TextUnit] = []
        # A label with its text on the same line ("Besluit: de raad stemt in ...").
        rest = unit.text.split(":", 1)[1].strip() if ":" in unit.text else ""
        if _states(rest):
            body.append(TextUnit(unit.page, rest, False))
        elif _states_itself(unit, units[index + 1 : index + 2], aspect):
            body.append(TextUnit(unit.page, unit.text.rstrip(" :"), False))
        for following in units[index + 1 :]:
            if len(body) >= aspect.limit or _MOTION_END.match(following.text):
                break
            if following.heading:
                if _opens_list(following) and _NUMBERED_POINT.match(following.text):
                    # "I. het Haags beleidskader Jeugd 2025-2028 vaststellen en daarmee de
                    # volgende ambities:": a point that opens its list.
                    body.append(TextUnit(following.page, following.text.rstrip(" :"), False))
                elif body and len(following.text) < 60:
                    break  # the next section
                continue
            if _states(following.text):
                body.append(following)
        if body:
            return body
    return []


_NUMBERED_POINT = re.compile(r"^[IVX]{1,4}\.\s")


def _opens_list(heading: TextUnit) -> bool:
    """Is ``heading`` a sentence that opens a list (it ends in a colon), not a short label
    ("Verzoekt het college:")?"""
    text = heading.text.rstrip()
    return text.endswith(":") and len(text.split()) >= 6


def _states_itself(heading: TextUnit, following: Sequence[TextUnit], aspect: Aspect) -> bool:
    """Does ``heading`` state the aspect's point itself, opening headed parts ("besluit vast
    te stellen de Verordening nadeelcompensatie Den Haag 2025:" before "Artikel 1.
    Toepassingsbereik")?"""
    return (
        _opens_list(heading)
        and aspect.cue is not None
        and aspect.cue.search(heading.text) is not None
        and bool(following)
        and following[0].heading
    )


def _cued(units: list[TextUnit], aspect: Aspect, taken: set[str]) -> list[TextUnit]:
    if aspect.cue is None:
        return []
    # A subject or label line names the topic, it does not state it; a sentence that opens
    # a list does ("heeft u … verzocht om informatie over het volgende:").
    cued = [
        u
        for u in units
        if (not u.heading or len(u.text) > _HEADING_LENGTH)
        and not u.statute
        and _states(u.text)
        and u.text not in taken
        and aspect.cue.search(u.text)
    ]
    if aspect.prefer is not None:
        prefer = aspect.prefer
        cued.sort(key=lambda u: prefer.search(u.text) is None)  # stable: in document order
    return cued[: aspect.limit]


def _field_line(aspect: Aspect, fields: DocumentFields) -> tuple[str, int | None]:
    page = fields.pages.get(aspect.field or "")
    if aspect.field == "parties":
        value = ", ".join(fields.parties)
    elif aspect.field == "outcome":
        if not fields.outcome and fields.recorded_outcome:
            return fields.recorded_outcome, None  # cited to the record's own document
        value = fields.outcome or ""
    elif aspect.field == "decision":
        value = fields.decision or ""
    else:
        value = ""
    if not value:
        return "niet vermeld in het document", None
    return value, page


def outline_summary(segments: Sequence[PageText], fields: DocumentFields) -> tuple[str, list[int]]:
    """The summary text ("- Label: sentence [p. N]" per line) and the pages cited."""
    units = _units(segments)
    lines: list[str] = []
    pages: set[int] = set()
    taken: set[str] = set()
    for aspect in OUTLINES.get(fields.kind, _GENERAL):
        if aspect.field:
            value, page = _field_line(aspect, fields)
            lines.append(f"- {aspect.label}: {value}" + (f" [p. {page}]" if page else ""))
            if page:
                pages.add(page)
            continue
        found = _aspect_units(units, aspect, taken)
        if not found and aspect.lead:
            found = [u for u in units if not u.heading and _states(u.text)]
            found = found[: aspect.limit]
        found = [u for u in found if u.text not in taken]
        if not found:
            lines.append(f"- {aspect.label}: niet gevonden in het document")
            continue
        for unit in found:
            taken.add(unit.text)
            pages.add(unit.page)
            lines.append(f"- {aspect.label}: {_shorten(unit.text)} [p. {unit.page}]")
    return "\n".join(lines), sorted(pages)


def body_units(segments: Sequence[PageText]) -> list[TextUnit]:
    """The document's sentences and headings with their pages, without its title and
    without an appendix that quotes the law (whose "persoonlijke levenssfeer" is a ground
    the law knows, not one the document used)."""
    return [unit for unit in _units(segments)[1:] if not unit.statute]


# Why a motion or amendment asks what it asks: the considerations before its request, the
# explanation after an amendment's change. No summary point (a summary gives what it asks),
# but what "Waarom …?" about it is answered from.
REASONS: dict[str, Aspect] = {
    "motie": Aspect("Overwegingen", _rx(r"^(?:overwegende|constaterende|van mening)\b"), limit=3),
    "amendement": Aspect("Toelichting", _rx(r"^toelichting\b"), limit=3),
}


def aspect_units(segments: Sequence[PageText], kind: str, label: str) -> list[TextUnit]:
    """The sentences a summary of a document of ``kind`` gives for its point ``label``
    ("Voorgesteld besluit"; or a motion's "Overwegingen", ``REASONS``), with their pages,
    outside an appended law."""
    aspects = (*OUTLINES.get(kind, ()), *([REASONS[kind]] if kind in REASONS else []))
    aspect = next((a for a in aspects if a.label == label), None)
    if aspect is None:
        return []
    return [u for u in _aspect_units(_units(segments), aspect, set()) if not u.statute]


def _aspect_units(units: list[TextUnit], aspect: Aspect, taken: set[str]) -> list[TextUnit]:
    """The sentences of the aspect's section, else those that state it anywhere; the
    sentences the aspect prefers win over a section that has none ("Verzoek" of a Woo
    decision: its heading may open the receipt of the request, not the request)."""
    section = _section(units, aspect)
    prefer = aspect.prefer
    if prefer is not None and not any(prefer.search(unit.text) for unit in section):
        preferred = [u for u in _cued(units, aspect, taken) if prefer.search(u.text)]
        if preferred:
            return preferred
    return section or _cued(units, aspect, taken)
