"""Bezwaar intake: a concept overview of an objection letter for a jurist to check.

Everything that decides something is rule-based: dates come from ``dates.find_dates`` and
the words around them, the deadline check is the pure function ``beoordeel_termijn``
(Awb 6:7, 6:8, 6:9 and the Algemene termijnenwet). The language model only rephrases the
grounds, the request and the contested decision as short items, and only ever sees the
letter pseudonymised; a phrasing its source does not support is replaced by the source's
own first sentence.

Deadline rules implemented (the periods themselves in ``termijnen.py``, which answers
use too):

* Awb 6:7/6:8: six weeks, starting the day after the decision was sent or published
  (sent 1 March → starts 2 March → last day 12 April: ``bekendgemaakt + 42 days``).
* Algemene termijnenwet art. 1 and 3: a period ending on a Saturday, Sunday or recognised
  public holiday (Nieuwjaarsdag, tweede Paasdag, Hemelvaartsdag, tweede Pinksterdag,
  Koningsdag, 5 mei, both Christmas days — not Goede Vrijdag) runs to the next day that
  is none of those.
* Awb 6:9: in time when received before the end of the period; by post also when posted
  before the end and received no more than a week late. A letter's date is not its
  posting date: when only that points to 6:9(2), the verdict is ``onbekend``.

Web interface (not built yet, the web UI is developed separately): a view should call
``Engine.bezwaar(path, user=...)`` and render ``BezwaarIntake.to_dict()``; originals only
through ``Engine.reveal(text, user=...)``, which checks ``privacy.reveal_users``.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from .audit import AuditLog, AuditRecord
from .dates import MONTHS, dutch_date, find_dates
from .errors import RaadsinzichtError
from .grounding import split_sentences, support
from .llm import LLM, Prompt
from .parse import PageText, parse_pdf
from .privacy import PLACEHOLDER, Pseudonymizer
from .settings import Settings
from .termijnen import atw_verlenging, awb_termijn

__all__ = [
    "BezwaarIntake",
    "DateFinding",
    "Termijn",
    "beoordeel_termijn",
    "extract_intake",
    "intake_markdown",
]

Verdict = Literal["tijdig", "te laat", "onbekend"]
POST_GRACE = timedelta(weeks=1)  # Awb 6:9 lid 2


@dataclass(slots=True)
class DateFinding:
    """A date read from the letter, where it was found and the words around it."""

    date: date
    page: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {"datum": self.date.isoformat(), "pagina": self.page, "citaat": self.quote}


@dataclass(slots=True)
class Termijn:
    oordeel: Verdict
    grondslag: str  # which date decided it: "ontvangstdatum", "dagtekening bezwaarschrift", ...
    bekendgemaakt: date | None = None
    eerste_dag: date | None = None
    laatste_dag_wettelijk: date | None = None
    laatste_dag: date | None = None  # after the Algemene termijnenwet
    toelichting: list[str] = field(default_factory=list)
    gebruikt: dict[str, DateFinding] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def iso(day: date | None) -> str | None:
            return day.isoformat() if day else None

        return {
            "oordeel": self.oordeel,
            "grondslag": self.grondslag,
            "bekendgemaakt": iso(self.bekendgemaakt),
            "eerste_dag": iso(self.eerste_dag),
            "laatste_dag_wettelijk": iso(self.laatste_dag_wettelijk),
            "laatste_dag": iso(self.laatste_dag),
            "toelichting": self.toelichting,
            "gebruikte_datums": {role: f.to_dict() for role, f in self.gebruikt.items()},
        }


def beoordeel_termijn(
    *,
    bekendgemaakt: date | None,
    ontvangen: date | None = None,
    dagtekening: date | None = None,
    ter_post: date | None = None,
    bekendmaking_grondslag: str = "verzending/bekendmaking van het besluit",
) -> Termijn:
    """Was the objection made in time? Pure: the dates in, a verdict with reasons out.

    ``ontvangen`` is the day the objection was received, ``dagtekening`` the date on the
    letter, ``ter_post`` the postmark when known. The receipt date decides when known
    (art. 6:9(1)); the letter date only when nothing better is there, and said so."""
    if bekendgemaakt is None:
        return Termijn(
            "onbekend",
            "geen",
            toelichting=[
                "De datum van verzending of bekendmaking van het bestreden besluit is niet "
                "gevonden; de termijn (art. 6:7 en 6:8 Awb) kan niet worden berekend."
            ],
        )
    start, wettelijk, laatste = awb_termijn(bekendgemaakt)
    toelichting = [
        f"Termijn van zes weken (art. 6:7 Awb) begint op de dag na {bekendmaking_grondslag} "
        f"({dutch_date(bekendgemaakt)}), dus op {dutch_date(start)} (art. 6:8 Awb), en eindigt op "
        f"{dutch_date(wettelijk)}."
    ]
    if laatste != wettelijk:
        _, reasons = atw_verlenging(wettelijk)
        toelichting.append(
            f"{'; '.join(reasons)}: de termijn loopt door tot en met {dutch_date(laatste)} "
            "(art. 1 Algemene termijnenwet)."
        )
    result = Termijn(
        "onbekend",
        "geen",
        bekendgemaakt=bekendgemaakt,
        eerste_dag=start,
        laatste_dag_wettelijk=wettelijk,
        laatste_dag=laatste,
        toelichting=toelichting,
    )
    te_laat_hint = "Beoordeel of de termijnoverschrijding verschoonbaar is (art. 6:11 Awb)."
    if ontvangen is not None:
        result.grondslag = "ontvangstdatum"
        if ontvangen <= laatste:
            result.oordeel = "tijdig"
            toelichting.append(
                f"Ontvangen op {dutch_date(ontvangen)}, binnen de termijn (art. 6:9 lid 1 Awb)."
            )
        elif ontvangen <= laatste + POST_GRACE and ter_post is not None and ter_post <= laatste:
            result.oordeel, result.grondslag = "tijdig", "datum ter post bezorgd"
            toelichting.append(
                f"Ontvangen op {dutch_date(ontvangen)}, na de termijn maar binnen een week, en op "
                f"{dutch_date(ter_post)} ter post bezorgd: tijdig (art. 6:9 lid 2 Awb)."
            )
        elif ontvangen <= laatste + POST_GRACE and (dagtekening is None or dagtekening <= laatste):
            result.oordeel = "onbekend"
            toelichting.append(
                f"Ontvangen op {dutch_date(ontvangen)}, binnen een week na de termijn. Tijdig als "
                "het bezwaarschrift vóór het einde van de termijn ter post is bezorgd (art. 6:9 "
                "lid 2 Awb): controleer de poststempel."
            )
        else:
            result.oordeel = "te laat"
            toelichting += [f"Ontvangen op {dutch_date(ontvangen)}, na de termijn.", te_laat_hint]
    elif dagtekening is not None:
        result.grondslag = "dagtekening bezwaarschrift"
        if dagtekening > laatste:
            result.oordeel = "te laat"
            toelichting += [
                f"Het bezwaarschrift is gedateerd {dutch_date(dagtekening)}, na het einde van de "
                "termijn; een ontvangstdatum is niet vermeld.",
                te_laat_hint,
            ]
        else:
            result.oordeel = "tijdig"
            toelichting.append(
                f"Het bezwaarschrift is gedateerd {dutch_date(dagtekening)}, binnen de termijn. "
                "Een ontvangstdatum is niet vermeld: controleer de ontvangststempel (art. 6:9 Awb)."
            )
    else:
        result.toelichting.append(
            "Geen ontvangstdatum en geen dagtekening van het bezwaarschrift gevonden."
        )
    reference = ontvangen or dagtekening
    if reference is not None and reference < bekendgemaakt:
        toelichting.append(
            "Het bezwaar is van vóór de bekendmaking van het besluit; het is niet om die reden "
            "niet-ontvankelijk als het besluit toen al bestond (art. 6:10 Awb)."
        )
    return result


# -- extraction ----------------------------------------------------------------------------

# The words around a date that say what the date is.
_SENT = re.compile(
    r"(?:verzonden|verstuurd|bekendgemaakt|bekend\s+gemaakt|gepubliceerd|verzenddatum|"
    r"datum\s+(?:van\s+)?verzending|ter\s+inzage\s+gelegd|publicatiedatum|uitgereikt)"
    r"(?:\s+(?:op|d\.d\.|per))?\s*:?\s*$",
    re.I,
)
_SENT_AFTER = re.compile(
    r"^\s*(?:is\s+|werd\s+|zijn\s+)?(?:verzonden|verstuurd|bekendgemaakte?|bekend\s+gemaakte?|"
    r"gepubliceerde?)\b",
    re.I,
)
_DECISION_NOUN = r"[\w-]*(?:besluit|beschikking|beslissing|aanslag|dwangbevel)"
_DECISION = re.compile(
    rf"\b(?P<noun>{_DECISION_NOUN})\b[^.\n]{{0,40}}?"
    r"(?:van|d\.d\.|gedateerd|met\s+dagtekening|gedagtekend|op|datum)\s*:?\s*$",
    re.I,
)
_LETTER = re.compile(
    r"(?:bezwaarschrift|brief|bezwaar|e-mail|mail)\s+(?:van|d\.d\.|gedateerd)\s*:?\s*$", re.I
)
_RECEIVED = re.compile(
    r"(?:ontvangen|ontvangst(?:datum)?|ingekomen|binnengekomen|datum\s+ontvangst)"
    r"(?:\s+(?:op|d\.d\.|per))?\s*:?\s*$",
    re.I,
)
_RECEIVED_AFTER = re.compile(
    r"^\s*(?:\S+\s+){0,8}?(?:ontvangen|binnengekomen|ingekomen|ontving)\b", re.I
)
_SUBMITTED_AFTER = re.compile(
    r"^\s*(?:\S+\s+){0,6}?(?:een\s+|het\s+)?(?:pro[\s-]?forma\s+)?bezwaar(?:schrift)?\s+"
    r"(?:ingediend|gemaakt|aangetekend|ingesteld)",
    re.I,
)
_POSTED = re.compile(r"(?:ter\s+post\s+bezorgd|poststempel|gepost)(?:\s+op)?\s*:?\s*$", re.I)
_LETTER_DATE = re.compile(r"(?:^|\n)[ \t]*(?:datum\s*:?\s*|[A-Z][\w' -]{1,30},[ \t]*)$", re.I)
_KENMERK = re.compile(
    r"(?P<label>(?:uw\s+|ons\s+)?(?:kenmerk|zaaknummer|registratienummer|dossiernummer|"
    r"referentie|aanslagnummer|beschikkingsnummer))\s*(?:\(kenmerk\))?\s*[:.]?\s*"
    r"(?P<value>[A-Z0-9][A-Z0-9./-]*\d[A-Z0-9./-]*)",
    re.I,
)
_BEZWAAR_TEGEN = re.compile(r"bezwaar\b[^.]{0,60}?\btegen\b", re.I)
_GROUNDS_START = re.compile(
    r"^\s*(?:(?:de\s+)?gronden(?:\s+van\s+(?:(?:mijn|het|ons)\s+)?bezwaar)?|motivering|"
    r"toelichting|redenen|(?:mijn|onze)\s+bezwaren)\s*:?\s*$"
    r"|(?:om\s+de\s+volgende\s+redenen|de\s+volgende\s+gronden|gronden\s+van\s+(?:mijn|het|ons)"
    r"\s+bezwaar\s+(?:zijn|luiden)|ik\s+ben\s+het\s+(?:hier\s+)?(?:niet\s+eens|oneens))",
    re.I,
)
_GROUNDS_END = re.compile(
    r"^\s*(?:verzoek|conclusie|hoorzitting|slot|ik\s+verzoek|wij\s+verzoeken|"
    r"gelet\s+op\s+het\s+voorgaande|op\s+grond\s+van\s+het\s+voorgaande|om\s+deze\s+redenen|"
    r"met\s+vriendelijke\s+groet|hoogachtend|ondertekening|bijlage)",
    re.I,
)
_REQUEST = re.compile(
    r"\b(?:(?:ik|wij)\s+(?:verzoek(?:en)?|vraag|vragen)\s+(?:u|het\s+college|de\s+commissie|uw)|"
    r"(?:verzoek|vraag)\s+(?:ik|wij)\s+(?:u|het\s+college|de\s+commissie)|verzoeken\s+wij|"
    r"(?:ik|wij)\s+(?:wil|willen)\s+(?:graag\s+)?dat)",
    re.I,
)
_HEARING = re.compile(r"hoorzitting|gehoord\s+(?:te\s+)?worden|word\s+ik\s+gehoord|\bhoren\b", re.I)
_HEARING_WAIVED = re.compile(
    r"\b(?:geen|niet|af\s+van|afzien|zie\s+af|ziet\s+af)\b[^.]{0,40}(?:hoorzitting|gehoord|horen)|"
    r"(?:hoorzitting|gehoord|horen)[^.]{0,30}\b(?:niet\s+nodig|geen\s+behoefte|niet\s+gewenst)",
    re.I,
)
_HEARING_ASKED = re.compile(r"\b(?:verzoek|vraag|wil|graag|wens|verzoeken|willen)\b", re.I)
# A sentence about the objection itself ("Tegen dit besluit heeft X bezwaar gemaakt").
_ABOUT_OBJECTION = re.compile(r"(?=[\s\S]*\bbezwaar)(?=[\s\S]*\btegen\b)", re.I)
_SUBJECT_LINE = re.compile(r"\s*(?:betreft|onderwerp)\b", re.I)
_SALUTATION = re.compile(
    r"\s*(?:geachte?|beste|hallo|goede(?:morgen|middag)|dag)\b[^.\n]{0,40},?\s*$", re.I
)
_PRO_FORMA = re.compile(r"\bpro[\s-]?forma\b", re.I)
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_LIST_ITEM = re.compile(r"(?:^|\n)\s*(?:\d{1,2}[.)]|[a-z][.)]|[-•●▪*–])\s+")


@dataclass(slots=True)
class _Mention:
    role: str  # besluit | verzonden | ontvangen | besluit_ontvangen | brief | ter_post | overig
    finding: DateFinding
    in_bezwaar_sentence: bool
    start: int


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(
        (m.end() for m in re.finditer(r"[.!?](?=\s+[A-Z(\[])|\n\s*\n", text[:start])),
        default=0,
    )
    right_match = re.search(r"[.!?](?=\s|$)|\n\s*\n", text[end:])
    right = end + right_match.end() if right_match else len(text)
    return left, right


def _quote(text: str, start: int, end: int) -> str:
    left, right = _sentence_bounds(text, start, end)
    left = max(left, start - 160)
    right = min(right, end + 160)
    return " ".join(text[left:right].split())


def _classify(text: str, start: int, end: int) -> str:
    left, _ = _sentence_bounds(text, start, end)
    before = text[max(left, start - 80) : start]
    after = text[end : end + 80]
    if _POSTED.search(before):
        return "ter_post"
    sentence = text[left : _sentence_bounds(text, start, end)[1]]
    if _SENT.search(before) or _SENT_AFTER.match(after):
        # Only about the decision: "Verzonden:" in an attached e-mail's header is not.
        if re.search(rf"{_DECISION_NOUN}|bezwaar", sentence, re.I):
            return "verzonden"
        return "overig"
    if _SUBMITTED_AFTER.match(after):
        return "brief"  # "op 28 juli 2024 een bezwaarschrift ingediend"
    if _RECEIVED.search(before) or _RECEIVED_AFTER.match(after):
        subject = re.search(r"bezwaar|uw\s+brief|uw\s+e-?mail|uw\s+verzoek", sentence, re.I)
        decision = re.search(rf"{_DECISION_NOUN}", sentence, re.I)
        if decision and not subject:
            return "besluit_ontvangen"  # the objector received the decision on this day
        return "ontvangen"
    if _LETTER.search(before):
        return "brief"
    decision = _DECISION.search(before)
    if decision and not re.search(r"beslissing\s+op\s+(?:het\s+|uw\s+)?bezwaar", before, re.I):
        return "besluit"
    if _LETTER_DATE.search(text[max(0, start - 40) : start]):
        return "dagtekening"
    return "overig"


def _mentions(blocks: list[PageText]) -> list[_Mention]:
    out: list[_Mention] = []
    pages: dict[int, str] = {}
    for block in blocks:
        joint = "\n\n" if block.page in pages else ""
        pages[block.page] = pages.get(block.page, "") + joint + block.text
    for page, text in sorted(pages.items()):
        for mention in find_dates(text):
            role = _classify(text, mention.start, mention.end)
            left, right = _sentence_bounds(text, mention.start, mention.end)
            out.append(
                _Mention(
                    role,
                    DateFinding(mention.date, page, _quote(text, mention.start, mention.end)),
                    bool(_ABOUT_OBJECTION.search(text[left:right])),
                    mention.start,
                )
            )
    return out


@dataclass(slots=True)
class Item:
    """One ground (or the request) with its page citation."""

    tekst: str
    pagina: int
    citaat: str
    geformuleerd_door: str = "regels"  # "model" when the language model's phrasing was kept

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class BezwaarIntake:
    """The concept intake; every text is pseudonymised."""

    file: str
    indiener: str | None
    indiener_pagina: int | None
    datum_bezwaarschrift: DateFinding | None
    datum_ontvangst: DateFinding | None
    besluit_omschrijving: Item | None
    besluit_datum: DateFinding | None
    besluit_verzonden: DateFinding | None
    besluit_kenmerk: str | None
    besluit_kenmerk_pagina: int | None
    gronden: list[Item]
    verzoek: Item | None
    hoorzitting: str  # "gevraagd" | "afgezien" | "niet gevraagd"
    hoorzitting_bron: Item | None
    termijn: Termijn
    opmerkingen: list[str] = field(default_factory=list)
    model: str | None = None
    seconds: float = 0.0
    audit_id: int | None = None  # the audit record, for feedback on this intake

    def to_dict(self) -> dict[str, Any]:
        def opt(value: Any) -> Any:
            return value.to_dict() if value is not None else None

        return {
            "file": self.file,
            "status": "concept — controle door een jurist vereist",
            "indiener": self.indiener,
            "indiener_pagina": self.indiener_pagina,
            "datum_bezwaarschrift": opt(self.datum_bezwaarschrift),
            "datum_ontvangst": opt(self.datum_ontvangst),
            "bestreden_besluit": {
                "omschrijving": opt(self.besluit_omschrijving),
                "datum": opt(self.besluit_datum),
                "verzonden_of_bekendgemaakt": opt(self.besluit_verzonden),
                "kenmerk": self.besluit_kenmerk,
                "kenmerk_pagina": self.besluit_kenmerk_pagina,
            },
            "gronden": [g.to_dict() for g in self.gronden],
            "verzoek": opt(self.verzoek),
            "hoorzitting": {"status": self.hoorzitting, "bron": opt(self.hoorzitting_bron)},
            "termijn": self.termijn.to_dict(),
            "opmerkingen": self.opmerkingen,
            "model": self.model,
            "seconds": round(self.seconds, 2),
            "audit_id": self.audit_id,
        }


def _md(text: str) -> str:
    """Letter text inside Markdown: no markup, no HTML, one line."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", " ".join(text.split()))


def intake_markdown(data: dict[str, Any]) -> str:
    """The concept intake (``BezwaarIntake.to_dict()``, possibly revealed) as Dutch
    Markdown, for the terminal and the web interface alike."""
    besluit, termijn = data["bestreden_besluit"], data["termijn"]

    def day(finding: dict[str, Any] | None) -> str:
        if not finding:
            return "niet gevonden"
        return f"{dutch_date(date.fromisoformat(finding['datum']))} (p. {finding['pagina']})"

    def item(found: dict[str, Any] | None) -> str:
        return f"{_md(found['tekst'])} [p. {found['pagina']}]" if found else "niet gevonden"

    lines = [
        f"### Concept-intake bezwaarschrift — {_md(data['file'])}",
        "",
        f"- **Indiener:** {_md(data['indiener'] or 'niet gevonden')}",
        f"- **Datum bezwaarschrift:** {day(data['datum_bezwaarschrift'])}",
        f"- **Datum ontvangst:** {day(data['datum_ontvangst'])}",
        f"- **Bestreden besluit:** {item(besluit['omschrijving'])}",
        f"  - datum: {day(besluit['datum'])}",
        f"  - verzonden of bekendgemaakt: {day(besluit['verzonden_of_bekendgemaakt'])}",
        f"  - kenmerk: {_md(besluit['kenmerk'] or 'niet gevonden')}",
        f"- **Verzoek:** {item(data['verzoek'])}",
        f"- **Hoorzitting:** {data['hoorzitting']['status']}",
        "",
        "#### Gronden",
    ]
    lines += [f"{n}. {item(g)}" for n, g in enumerate(data["gronden"], start=1)] or [
        "Geen gronden gevonden."
    ]
    verdict = {"tijdig": "tijdig", "te laat": "**te laat**"}.get(
        termijn["oordeel"], f"**{termijn['oordeel']}**"
    )
    last = termijn["laatste_dag"]
    lines += [
        "",
        "#### Termijn (art. 6:7 en 6:8 Awb)",
        f"Oordeel: {verdict}, op basis van de {termijn['grondslag']}"
        + (f"; laatste dag {dutch_date(date.fromisoformat(last))}." if last else "."),
    ]
    lines += [f"- {_md(line)}" for line in termijn["toelichting"] + data["opmerkingen"]]
    lines += [
        "",
        "*Concept: een jurist controleert deze intake. AI adviseert, de mens beslist.*",
    ]
    return "\n".join(lines)


def _first(mentions: list[_Mention], *roles: str, prefer_bezwaar: bool = False) -> _Mention | None:
    chosen = [m for m in mentions if m.role in roles]
    if prefer_bezwaar:
        chosen.sort(key=lambda m: (not m.in_bezwaar_sentence, m.finding.page, m.start))
    return chosen[0] if chosen else None


def _indiener(blocks: list[PageText]) -> tuple[str | None, int | None]:
    """The sender: the name after the closing formula, else the first name in the letter
    head (before "Geachte"), else the name in "Ondergetekende, [PERSOON-1]"."""
    closing = re.compile(
        r"(?:met\s+vriendelijke\s+groet(?:en)?|hoogachtend|vriendelijke\s+groet(?:en)?|"
        r"groet(?:en)?),?\s*(?:[^\n]*\n){0,3}?[^\n]*?\[(PERSOON-\d+)\]",
        re.I,
    )
    for index in range(len(blocks) - 1, -1, -1):
        # The signature may be a paragraph of its own after the closing formula.
        following = "\n".join(b.text for b in blocks[index : index + 3])
        found = closing.match(following) or closing.search(blocks[index].text)
        if found:
            return f"[{found.group(1)}]", blocks[index].page
    for block in blocks:
        if re.search(r"\b(?:geacht|beste|hierbij)\b", block.text, re.I):
            break
        found = re.search(r"\[(PERSOON-\d+)\]", block.text)
        if found:
            return f"[{found.group(1)}]", block.page
    for block in blocks:
        found = re.search(r"(?:ondergetekende|ik),?\s+\[(PERSOON-\d+)\]", block.text, re.I)
        if found:
            return f"[{found.group(1)}]", block.page
    return None, None


def _kenmerk(blocks: list[PageText], decision: _Mention | None) -> tuple[str | None, int | None]:
    candidates: list[tuple[int, int, str, int]] = []  # (rank, order, value, page)
    for order, block in enumerate(blocks):
        text = re.sub(r"(\d)-\s+(\d)", r"\1-\2", block.text)  # "2020-\n0000255631"
        for m in _KENMERK.finditer(text):
            label, value = m.group("label").lower(), m.group("value").rstrip(".,-")
            if label.startswith("ons"):
                continue  # the writer's own reference, not the contested decision's
            if len(value) < 4 or re.match(rf"\s*(?:{_MONTH_ALT})\b", text[m.end() :], re.I):
                continue  # a day of a date ("Registratienummer 24 juni 2025")
            # Best: the reference in the sentence that names the contested decision.
            in_decision = (
                decision is not None
                and decision.finding.page == block.page
                and m.group("value") in decision.finding.quote
            )
            rank = 0 if in_decision else 1
            candidates.append((rank, order, value, block.page))
    if not candidates:
        return None, None
    best = min(candidates)
    return best[2], best[3]


def _short(text: str, limit: int = 240) -> str:
    sentences = split_sentences(" ".join(text.split()))
    first = sentences[0] if sentences else text.strip()
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _grounds(blocks: list[PageText]) -> list[Item]:
    start = None
    for index, block in enumerate(blocks):
        if _GROUNDS_START.search(block.text):
            start = index
            break
    if start is None:
        # No heading: the paragraphs after the one that says what is objected to.
        start = next(
            (
                i
                for i, b in enumerate(blocks)
                if _BEZWAAR_TEGEN.search(b.text) and not _SUBJECT_LINE.match(b.text)
            ),
            None,
        )
        if start is None:
            return []
    items: list[Item] = []
    first = blocks[start]
    head = _GROUNDS_START.search(first.text)
    if head:
        remainder = first.text[head.end() :]
    else:
        # "Ik maak bezwaar tegen ... . De waarde is te hoog ...": the reasons can follow in
        # the same paragraph.
        objection = _BEZWAAR_TEGEN.search(first.text)
        remainder = (
            first.text[_sentence_bounds(first.text, *objection.span())[1] :] if objection else ""
        )
    candidates = ([PageText(first.page, remainder)] if remainder.strip(" :\n") else []) + blocks[
        start + 1 :
    ]
    for block in candidates:
        if _GROUNDS_END.search(block.text) or _REQUEST.search(block.text[:120]):
            break
        if (_HEARING.search(block.text) and len(block.text) < 200) or _SALUTATION.match(block.text):
            continue
        if len(block.text) < 40 and not re.search(r"[.;:!?]", block.text):
            continue  # a heading
        parts = [p for p in _LIST_ITEM.split(block.text) if p.strip(" :\n")]
        for part in parts:
            text = " ".join(part.split())
            if len(text) < 15 or re.fullmatch(r"[^a-z]*", text):
                continue  # headings and stray numbers
            items.append(Item(_short(text), block.page, text[:600]))
    return items[:12]


def _request(blocks: list[PageText]) -> Item | None:
    """The first paragraph that asks something (not only a hearing); its asking
    sentences together."""
    for block in blocks:
        sentences = [
            " ".join(s.split())
            for s in split_sentences(block.text)
            if (_REQUEST.search(s) or re.search(r"\b(?:ook|tevens)\s+(?:vraag|verzoek)", s, re.I))
            and not _HEARING.search(s)
        ]
        if sentences:
            text = " ".join(sentences)
            return Item(_short(sentences[0], 300), block.page, text[:600])
    return None


def _hearing(blocks: list[PageText]) -> tuple[str, Item | None]:
    for block in blocks:
        for sentence in split_sentences(block.text):
            if not _HEARING.search(sentence):
                continue
            text = " ".join(sentence.split())
            if _HEARING_WAIVED.search(sentence):
                return "afgezien", Item(_short(text, 300), block.page, text[:600])
            if _HEARING_ASKED.search(sentence):
                return "gevraagd", Item(_short(text, 300), block.page, text[:600])
    return "niet gevraagd", None


def _description(blocks: list[PageText], decision: _Mention | None) -> Item | None:
    for block in blocks[:12]:
        subject = re.search(r"(?im)^\s*(?:betreft|onderwerp)\s*:?\s*(.+)$", block.text)
        if subject and len(subject.group(1).strip()) > 8:
            text = re.split(
                r"\s+(?:uw|ons)?\s*(?:kenmerk|zaaknummer|datum)\b",
                " ".join(subject.group(1).split()),
                maxsplit=1,
                flags=re.I,
            )[0]
            return Item(text, block.page, text)
    for block in blocks:
        for sentence in split_sentences(block.text):
            if _BEZWAAR_TEGEN.search(sentence):
                text = " ".join(sentence.split())
                return Item(_short(text, 300), block.page, text[:600])
    if decision is not None:
        return Item(decision.finding.quote, decision.finding.page, decision.finding.quote)
    return None


def extract_intake(file: str, blocks: list[PageText]) -> BezwaarIntake:
    """The rule-based intake of pseudonymised blocks (no model)."""
    mentions = _mentions(blocks)
    decision = _first(mentions, "besluit", prefer_bezwaar=True)
    sent = _first(mentions, "verzonden", prefer_bezwaar=True)
    received = _first(mentions, "ontvangen")
    decision_received = _first(mentions, "besluit_ontvangen")
    posted = _first(mentions, "ter_post")
    # "Bij brief van ... bezwaar gemaakt" names the objection's date (also in a decision on
    # the objection, whose own date heads the page); else the date in the letter head.
    letter = next((m for m in mentions if m.role == "brief" and m.in_bezwaar_sentence), None)
    letter = letter or _first(mentions, "dagtekening") or _first(mentions, "brief")
    notes: list[str] = []
    used: dict[str, DateFinding] = {}
    if sent is not None:
        bekendgemaakt, grondslag = sent.finding.date, "verzending/bekendmaking van het besluit"
        used["verzending/bekendmaking besluit"] = sent.finding
    elif decision is not None:
        bekendgemaakt, grondslag = decision.finding.date, "de dagtekening van het besluit"
        used["dagtekening besluit"] = decision.finding
        notes.append(
            "Verzenddatum van het besluit niet vermeld: aangenomen dat het is verzonden op de "
            "dagtekening. Controleer de verzenddatum in het dossier."
        )
    elif decision_received is not None:
        bekendgemaakt, grondslag = (
            decision_received.finding.date,
            "de ontvangst van het besluit door de indiener",
        )
        used["ontvangst besluit door indiener"] = decision_received.finding
        notes.append(
            "Alleen de datum waarop de indiener het besluit ontving is gevonden; de termijn "
            "begint na verzending, die eerder kan liggen. Controleer de verzenddatum."
        )
    else:
        bekendgemaakt, grondslag = None, ""
    if received is not None:
        used["ontvangst bezwaarschrift"] = received.finding
    if letter is not None:
        used["dagtekening bezwaarschrift"] = letter.finding
    if posted is not None:
        used["ter post bezorgd"] = posted.finding
    termijn = beoordeel_termijn(
        bekendgemaakt=bekendgemaakt,
        ontvangen=received.finding.date if received else None,
        dagtekening=letter.finding.date if letter else None,
        ter_post=posted.finding.date if posted else None,
        bekendmaking_grondslag=grondslag or "verzending/bekendmaking van het besluit",
    )
    termijn.gebruikt = used
    if any(_PRO_FORMA.search(b.text) for b in blocks):
        notes.append(
            "Pro-forma bezwaar: de gronden ontbreken nog; geef gelegenheid tot herstel "
            "(art. 6:5 en 6:6 Awb)."
        )
    indiener, indiener_page = _indiener(blocks)
    kenmerk, kenmerk_page = _kenmerk(blocks, decision)
    grounds = _grounds(blocks)
    if not grounds:
        notes.append("Geen gronden van bezwaar gevonden (art. 6:5 lid 1 onder d Awb).")
    hearing, hearing_source = _hearing(blocks)
    return BezwaarIntake(
        file=file,
        indiener=indiener,
        indiener_pagina=indiener_page,
        datum_bezwaarschrift=letter.finding if letter else None,
        datum_ontvangst=received.finding if received else None,
        besluit_omschrijving=_description(blocks, decision),
        besluit_datum=decision.finding if decision else None,
        besluit_verzonden=sent.finding if sent else None,
        besluit_kenmerk=kenmerk,
        besluit_kenmerk_pagina=kenmerk_page,
        gronden=grounds,
        verzoek=_request(blocks),
        hoorzitting=hearing,
        hoorzitting_bron=hearing_source,
        termijn=termijn,
        opmerkingen=notes,
    )


# -- phrasing by the model -----------------------------------------------------------------

SYSTEM = (
    "Je bent juridisch medewerker bij een Nederlandse gemeente. Je herschrijft tekst uit een "
    "bezwaarschrift kort en zakelijk. Gebruik alleen de gegeven tekst, verzin niets, en laat "
    "plaatshouders zoals [PERSOON-1] of [ADRES-2] ongewijzigd staan."
)
INSTRUCTION = (
    "Herschrijf elk genummerd onderdeel hieronder als één korte, zakelijke zin van hooguit 25 "
    "woorden. Antwoord met precies één regel per onderdeel, in de vorm `N. zin`, in dezelfde "
    "volgorde.\n\n<context>\n$items\n</context>"
)
PROMPT_NAME = "bezwaar-intake"
PROMPT_SHA256 = hashlib.sha256(f"{SYSTEM}\n{INSTRUCTION}".encode()).hexdigest()
_NUMBERED = re.compile(r"^\s*(?:\[(\d+)\]|(\d+)[.)])\s*(.+?)\s*$")
_TRAILING_CITATION = re.compile(r"^(.*?)\s*\[(\d+)\]\s*\.?\s*$")


def _phrase(llm: LLM, items: list[Item], settings: Settings) -> None:
    """Let the model rephrase the items in place; keep its phrasing only where the source
    supports it."""
    if not items:
        return
    context = "\n\n".join(f"[{n}] (p. {item.pagina})\n{item.citaat}" for n, item in
                          enumerate(items, start=1))  # fmt: skip
    prompt = Prompt(system=SYSTEM, user=INSTRUCTION.replace("$items", context))
    raw = "".join(
        llm.stream(
            prompt,
            max_tokens=min(60 * len(items) + 40, settings.answer.summary_output_tokens * 2),
            temperature=settings.llm.temperature,
        )
    )
    phrased: dict[int, str] = {}
    for line in raw.splitlines():
        numbered = _NUMBERED.match(line)
        if numbered:
            phrased.setdefault(int(numbered.group(1) or numbered.group(2)), numbered.group(3))
            continue
        cited = _TRAILING_CITATION.match(line.strip())
        if cited and cited.group(1):
            phrased.setdefault(int(cited.group(2)), cited.group(1))
    for number, item in enumerate(items, start=1):
        text = re.sub(r"\s*\[\d+\]\s*$", "", phrased.get(number, "")).strip()
        if not text:
            continue
        # The model saw only placeholders; a new placeholder or an unsupported claim is
        # not kept.
        new_placeholders = set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(item.citaat))
        if new_placeholders or support(text, item.citaat) < settings.answer.min_support:
            continue
        item.tekst = text if text.endswith((".", "?", "!")) else text + "."
        item.geformuleerd_door = "model"


@dataclass(slots=True)
class BezwaarIntaker:
    settings: Settings
    llm: Callable[[], LLM] | None
    audit: AuditLog
    pseudonymizer: Pseudonymizer

    def intake(self, path: Path, *, user: str | None = None) -> BezwaarIntake:
        started = time.perf_counter()
        record = AuditRecord(
            action="bezwaar",
            input=path.name,
            prompt_template=PROMPT_NAME,
            prompt_sha256=PROMPT_SHA256,
            user=user,
            settings_fingerprint=self.settings.index_fingerprint(),
        )
        with self.audit.recording(record):
            intake = self._intake(path, record)
            intake.seconds = time.perf_counter() - started
            # The audit log keeps the pseudonymised concept only.
            record.answer = json.dumps(intake.to_dict(), ensure_ascii=False)
            record.sources = [{"file": intake.file, "page": g.pagina} for g in intake.gronden]
        intake.audit_id = record.id
        return intake

    def _intake(self, path: Path, record: AuditRecord) -> BezwaarIntake:
        if not path.is_file():
            raise RaadsinzichtError(f"{path}: bestand niet gevonden")
        parsed = parse_pdf(
            path,
            ocr=self.settings.parsing.ocr,
            ocr_language=self.settings.parsing.ocr_language,
            ocr_dpi=self.settings.parsing.ocr_dpi,
        )
        blocks: list[PageText] = []
        for page in parsed.pages:
            # Always pseudonymised, whatever the collection: this is an objection letter.
            text = self.pseudonymizer.pseudonymize(page.text)
            blocks += [PageText(page.number, part) for part in text.split("\n\n") if part.strip()]
        if not blocks:
            raise RaadsinzichtError(f"{path.name}: het document bevat geen leesbare tekst")
        intake = extract_intake(path.name, blocks)
        if self.llm is not None:
            llm = self.llm()
            intake.model = record.model = llm.name
            items = list(intake.gronden)
            if intake.verzoek is not None:
                items.append(intake.verzoek)
            _phrase(llm, items, self.settings)
        return intake
