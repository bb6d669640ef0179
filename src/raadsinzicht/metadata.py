"""Rule-based metadata for Dutch government documents: kind, title, date, body,
registration number, and for moties/amendementen the parties and the outcome.

Content only: file and folder names are never used (users name files anything).
Cheap by design: regexes over the first pages plus a bounded scan of a few more
pages (signatures, "De raad van de gemeente ..."), typically 1-5 ms per document.

The rules work on raw PDF text (one visual line per text line) as well as on
paragraph text (lines of a block joined by spaces), because "Datum 13 maart 2025"
may arrive as one line or as two.

Kind decision list (first rule that fires wins; the order encodes priorities,
e.g. a raadsvoorstel that mentions moties stays a raadsvoorstel, a letter that
decides on a Wob request is a woo_besluit, not a brief):

 1. brief            e-mail header at the top (Van/From + Verzonden/Sent + Onderwerp/Subject)
 2. inventarislijst  title "Inventarislijst"/"Inventarisatielijst" at the very top, or a
                     table header "Nr | Datum | Document/Titel | Beoordeling"
 3. motie/amendement "Motie:"/"Amendement:"/"Motie van afkeuring"/"MOTIE VAN DE LEDEN ..." at
                     the top, before any letter field, plus council wording ("in vergadering
                     bijeen", "orde van de dag", "Indiener", "gehoord de beraadslaging",
                     "verzoekt het college", ...). "Afdoening motie: ..." in a letter: no.
 4. overig           a meeting agenda ("Agenda ..." as the first line)
 5. besluitenlijst   "Besluitenlijst" as a title at the top
 6. notulen          "Notulen"/"Verslag"/"Vergadering" as the title plus meeting wording
                     ("gehouden op", "aanwezig", "voorzitter"), or "Vergaderdatum ... Aanwezig"
 7. beslissing_op_bezwaar  "beslissing/besluit op (uw) bezwaar(schrift)" in the subject area
                     (also when wrapped in a raadsvoorstel: the kind follows the legal act)
 8. raadsvoorstel    title "Raadsvoorstel", "Statenvoorstel", "Voorstel van het college/
                     presidium", "Gewijzigd/Geamendeerd voorstel", "Initiatiefvoorstel",
                     "(Concept-)Voordracht", "Oplegger"
 9. woo_besluit      Wob/Woo in the subject area plus a decision word ("besluit",
                     "beslissing", "deelbesluit", "besloten"); a mere acknowledgement or
                     extension of the term stays a brief
10. besluit          title "Beschikking"/"Besluit"/"Raadsbesluit"/"Nota GS-mandaat"/
                     "...vergunning"; decision formulas ("Wij besluiten", "U hebt
                     toestemming", "Het college besluit:", "Gedeputeerde Staten hebben
                     besloten", "heb ik besloten" on an "aanvraag"); a verordening text
11. overig           internal nota ("(ter beslissing)", "Aanleiding voor deze nota")
12. brief            letter features ("Geachte", "Retouradres", "Aan de gemeenteraad",
                     Datum + Onderwerp/Betreft + kenmerk)
13. beleidsnota      report structure ("Inhoudsopgave", "Colofon", "Voorwoord") or a policy
                     title word (nota, visie, programma, beleidskader, rapport, fiche, ...)
14. raadsvoorstel    "De raad van de gemeente X, gezien/gelezen ..." anywhere in the scan
15. overig           everything else
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from raadsinzicht import wordlists
from raadsinzicht.dates import DateMention, find_dates, find_day_months
from raadsinzicht.settings import MetadataSettings

__all__ = [
    "DOCUMENT_KINDS",
    "OUTCOMES",
    "DocumentMetadata",
    "MetadataRules",
    "extract_metadata",
    "find_parties",
]

DOCUMENT_KINDS: dict[str, str] = {
    "raadsvoorstel": "Raadsvoorstel",
    "motie": "Motie",
    "amendement": "Amendement",
    "notulen": "Notulen / verslag",
    "besluitenlijst": "Besluitenlijst",
    "besluit": "Besluit",
    "beslissing_op_bezwaar": "Beslissing op bezwaar",
    "woo_besluit": "Woo-/Wob-besluit",
    "inventarislijst": "Inventarislijst",
    "beleidsnota": "Beleidsnota",
    "brief": "Brief",
    "overig": "Overig",
}

# Headings of a list of documents of one kind ("Welke beslissingen op bezwaar …?").
DOCUMENT_KINDS_PLURAL: dict[str, str] = {
    "raadsvoorstel": "Raadsvoorstellen",
    "notulen": "Notulen en verslagen",
    "besluitenlijst": "Besluitenlijsten",
    "beslissing_op_bezwaar": "Beslissingen op bezwaar",
    "woo_besluit": "Woo- en Wob-besluiten",
    "inventarislijst": "Inventarislijsten",
    "beleidsnota": "Beleidsnota's",
    "brief": "Brieven",
}


def in_sentence(name: str) -> str:
    """A heading as written inside a sentence: "beslissingen op bezwaar", but a name keeps
    its capital ("Woo- en Wob-besluiten")."""
    return name if name.startswith("Woo") else name[:1].lower() + name[1:]


OUTCOMES = ("aangenomen", "verworpen", "ingetrokken", "aangehouden")


@dataclass
class DocumentMetadata:
    kind: str
    title: str
    date: datetime.date | None
    organisation: str | None
    registration_number: str | None
    parties: list[str] = field(default_factory=list)
    outcome: str | None = None
    # Physical page (1-based) each field was found on: {"date": 1, "parties": 2, ...}.
    pages: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly: the date as ISO string, plus the Dutch label of the kind."""
        return {
            "kind": self.kind,
            "kind_label": DOCUMENT_KINDS.get(self.kind, self.kind),
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "organisation": self.organisation,
            "registration_number": self.registration_number,
            "parties": list(self.parties),
            "outcome": self.outcome,
            "pages": dict(self.pages),
        }


@dataclass(frozen=True)
class MetadataRules:
    """What differs per municipality, from ``[metadata]`` in the settings (the defaults
    are those of Den Haag, where the corpus comes from)."""

    # Official place names -> the name an organisation is known by ("Gemeente <name>").
    place_names: tuple[tuple[str, str], ...] = (
        ("'s-Gravenhage", "Den Haag"),
        ("’s-Gravenhage", "Den Haag"),
    )
    # Registration-number prefix (followed by six digits on page 1) -> the organisation
    # whose council information system issues it, when the text names no sender.
    registration_owners: tuple[tuple[str, str], ...] = (("RIS", "Gemeente Den Haag"),)
    # Local parties: name -> other spellings, on top of raadsinzicht/data/parties.json.
    local_parties: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_settings(cls, settings: MetadataSettings) -> MetadataRules:
        return cls(
            place_names=tuple(settings.place_names.items()),
            registration_owners=tuple(settings.registration_owners.items()),
            local_parties=tuple(
                (name, tuple(aliases)) for name, aliases in settings.local_parties.items()
            ),
        )


# ---------------------------------------------------------------------------
# Reference lists: data files in raadsinzicht/data/ (see raadsinzicht.wordlists)

_PROVINCES = wordlists.provinces()
# Ministry names as they follow "Ministerie van"/"De minister van", including recent
# historic names because older documents use them.
_MINISTRIES = wordlists.ministries()
# E-mail/web domains that identify a ministry (letterheads, e-mail headers).
_MINISTRY_DOMAINS = wordlists.ministry_domains()
# Other bodies recognised by name: regex -> canonical name ("" = keep the matched text).
_AGENCIES = wordlists.agencies()
# Party canonical name -> accepted spellings (case-sensitive: "SP" must not match "sp").
_PARTIES = wordlists.parties()
_PARTY_ALIAS = {alias: canon for canon, aliases in _PARTIES.items() for alias in aliases}
_PARTY_RX = re.compile(
    r"(?<![\w/.-])("
    + "|".join(re.escape(a) for a in sorted(_PARTY_ALIAS, key=len, reverse=True))
    + r")(?![\w/-])"
)


def find_parties(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of every political party named in ``text``."""
    return [(m.start(), m.end(), _PARTY_ALIAS[m.group(1)]) for m in _PARTY_RX.finditer(text)]


def _words_rx(name: str) -> str:
    """Regex for a multi-word name that tolerates line breaks (or lost spaces) between words."""
    return r",?\s*".join(re.escape(w.rstrip(",")) for w in name.split())


_MINISTRY_ALT = "|".join(_words_rx(m) for m in sorted(_MINISTRIES, key=len, reverse=True))
_MINISTRY_CANON = {re.sub(r"\W", "", m).lower(): m for m in _MINISTRIES}
_PROVINCE_ALT = "|".join(_PROVINCES)

# ---------------------------------------------------------------------------
# Text preparation

_I = re.IGNORECASE
_M = re.MULTILINE
_WS = re.compile(r"\s+")


def _flat(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _lines(s: str) -> list[str]:
    return [ln.strip() for ln in s.splitlines() if ln.strip()]


@dataclass
class _Doc:
    pages: list[str]  # raw text of the first pages
    scan: list[str]  # raw text of the bounded scan (first pages + last pages)
    p1: str  # raw page 1 (first page with text)
    p1_lines: list[str]
    p1_flat: str
    head: str  # raw first pages joined
    head_flat: str
    headings: list[str]
    subject: str | None = None  # "Onderwerp"/"Betreft" value, filled in by _prepare
    rules: MetadataRules = field(default_factory=MetadataRules)


_HEAD_PAGES = 3
_SCAN_PAGES = 10  # first pages for the bounded scan ...
_SCAN_TAIL = 2  # ... plus the last ones (signatures)
_SCAN_CHARS = 60_000
_PAGE_CHARS = 30_000  # a "page" of a badly split text can be a whole book


def _prepare(
    page_texts: Sequence[str], headings: Sequence[str], rules: MetadataRules | None = None
) -> _Doc:
    n = len(page_texts)

    def page(i: int) -> str:  # normalise only the pages we look at (notulen run to 600k chars)
        return page_texts[i][:_PAGE_CHARS].replace("\u00a0", " ").replace("\u00ad", "")

    # A leading empty page (cover image, blank) must not hide the real first page.
    start = next((i for i in range(min(n, 5)) if page_texts[i].strip()), 0)
    first = [page(i) for i in range(start, min(n, start + _HEAD_PAGES))]
    scan_idx = list(range(start, min(n, start + _SCAN_PAGES)))
    scan_idx += [i for i in range(max(0, n - _SCAN_TAIL), n) if i not in scan_idx]
    scan: list[str] = []
    total = 0
    for i in scan_idx:
        if total > _SCAN_CHARS:
            break
        scan.append(page(i))
        total += len(scan[-1])
    p1 = first[0] if first else ""
    head = "\n".join(first)
    doc = _Doc(
        pages=first,
        scan=scan,
        p1=p1,
        p1_lines=_lines(p1),
        p1_flat=_flat(p1),
        head=head,
        head_flat=_flat(head),
        headings=[_flat(h) for h in itertools.islice((h for h in headings if h.strip()), 20)],
        rules=rules or MetadataRules(),
    )
    doc.subject = _subject(doc)
    return doc


def _is_title_line(ln: str) -> bool:
    """Title lines start with a capital; wrapped body lines usually start lower case."""
    first = next((c for c in ln if c.isalpha()), "")
    return first.isupper()


def _title_match(rx: re.Pattern[str], ln: str) -> re.Match[str] | None:
    return rx.match(ln) if _is_title_line(ln) else None


# ---------------------------------------------------------------------------
# Kind

_RX_EMAIL = (
    re.compile(r"\b(?:Van|From)\s*:", _I),
    re.compile(r"\b(?:Verzonden|Sent)\s*:", _I),
    re.compile(r"\b(?:Onderwerp|Subject)\s*:", _I),
)
_RX_INV_TITLE = re.compile(r"\binventari(?:s|satie)lijst\b", _I)
_RX_INV_TABLE = re.compile(
    r"^\W*(?:nr|no|volgnum\s*mer|nummer|doc\.?\s*nr)\b.{0,60}\bdatum\b.{0,120}"
    r"\b(?:beoordeling|openbaar|weigeringsgrond)",
    _I,
)
# Title of a motion at the start of a line (raw text) ...
_RX_MOTIE_LINE = re.compile(
    r"^(?:(?:nader\s+)?gewijzigde?\s+)?(motie|amendement)\b\s*"
    r"(?::|van\b|vreemd\b|inzake\b|[A-Z‘'\"“]|$)",
    _I,
)
# ... or anywhere near the top (paragraph text); case-sensitive so "afdoening motie:" is no title.
_RX_MOTIE_INLINE = re.compile(
    r"(?<![\w‘’'])(?:(?:Nader\s+)?Gewijzigde?\s+)?(Motie|Amendement|MOTIE|AMENDEMENT)"
    r"(?:\s*:|\s+van\s+(?:afkeuring|wantrouwen|treurnis|het\s+lid|de\s+leden)"
    r"|\s+vreemd\b|\s+VAN\s+(?:HET\s+LID|DE\s+LEDEN))"
)
_RX_LETTER_FIELD_POS = re.compile(
    r"\b(?:Onderwerp|Betreft|Retouradres|Ons kenmerk|Geachte|Aan de (?:gemeenteraad|raad))\b"
)
_RX_COUNCIL = re.compile(
    r"in vergadering bijeen|orde van de dag|gehoord de beraadslaging|\bindiener|ingediend door"
    r"|verzoekt (?:het college|de regering|het presidium|de burgemeester)|roept .{0,40}\bop\b"
    r"|draagt .{0,30}\bop\b|spreekt (?:uit|haar|zijn)|\bbesluit\s*(?:om)?\s*:",
    _I,
)
_RX_BESLUITENLIJST_LINE = re.compile(r"^(?:document\s*:\s*)?(?:concept[- ]?)?besluitenlijst\b", _I)
_RX_BESLUITENLIJST_INLINE = re.compile(r"(?<!de )(?<!De )\b(?:Besluitenlijst|BESLUITENLIJST)\b")
# "Vergadering-id: 312 468 835" is the dial-in of an online meeting, no minutes' title.
_NOT_A_MEETING_ID = r"(?!\s*-\s*id\b)"
_RX_NOTULEN_LINE = re.compile(
    r"^(?:\d+\s+)?(?:concept[- ]?)?(?:notulen|verslag|vergadering|handelingen)\b"
    + _NOT_A_MEETING_ID,
    _I,
)
_RX_MEETING = re.compile(
    r"gehouden op|\baanwezig|\bvoorzitter\b|vergaderdatum|\bopening\b|\bafwezig", _I
)
_RX_BEZWAAR = re.compile(
    r"\b(?:beslissing|besluit)\s+op\s+(?:uw\s+|het\s+|de\s+|dit\s+)?(?:pro\s+forma\s+)?"
    r"bezwaar(?:schrift)?",
    _I,
)
_RX_VOORSTEL_LINE = re.compile(
    r"^(?:concept[- ]?)?(?:(?:gewijzigd|geamendeerd|aangepast|nader)\s+)?(?:"
    r"raadsvoorstel|statenvoorstel|collegevoorstel|voorstel\s+van\s+(?:het|de|burgemeester)\b"
    r"|voordracht\b|initiatiefvoorstel|ini(?:ti|\W)a(?:ti|\W)efvoorstel|oplegger\b)",
    _I,
)
_RX_VOORSTEL_INLINE = re.compile(
    r"(?<!bespreking van het )(?<!bespreking van )\b(?:Raadsvoorstel|Statenvoorstel|"
    r"(?:Gewijzigd|Geamendeerd)\s+voorstel\s+van|Voorstel\s+van\s+(?:het|de)\s+"
    r"(?:college|presidium|burgemeester|agendacommissie)|Initiatiefvoorstel|Concept-Voordracht)\b"
)
_RX_WOO = re.compile(r"\b(?:wob|woo)\b|wet openbaarheid van bestuur|wet open overheid", _I)
_RX_DECISION = re.compile(
    r"\b(?:besluit|besloten|beslissing|deelbesluit|(?:wob|woo)-?besluit|besluit ik|beslis ik)\b",
    _I,
)
_RX_BESLUIT_TITLE = re.compile(
    r"^(?:beschikking|besluit\b(?!\s*:)|raadsbesluit|nota gs-mandaat|aanwijzingsbesluit"
    r"|(?:tijdelijke\s+)?(?:omgevings|object|evenementen|exploitatie)?vergunning\b)",
    _I,
)
# Applied to lower-cased text: IGNORECASE makes Python's re several times slower here.
_RX_BESLUIT_FORMULA = re.compile(
    r"\bwij besluiten\b|\bbesluiten wij\b|\bik besluit\b|u hebt toestemming|u heeft toestemming"
    r"|\bverlenen wij\b|\bverleen ik\b|wordt (?:de |u )?(?:gevraagde )?vergunning verleend"
    r"|het college (?:van [^.:]{0,60})?besluit\s*:"
    r"|(?:gedeputeerde|provinciale) staten hebben besloten|\bgs-mandaat\b"
)
_RX_ARTIKEL = re.compile(r"(?:^|\s)artikel\s+\d+(?:\.\d+)?\s*(?:\(|$|\n|lid\b)", _I | _M)
_RX_NOTA_INTERNAL = re.compile(
    r"\(ter (?:beslissing|informatie|advisering|ondertekening)\)|aanleiding voor deze nota", _I
)
_RX_LETTER = re.compile(
    r"\bgeachte\b|\bgeacht college\b|\bretouradres\b|\bhoogachtend\b|met vriendelijke groet"
    r"|\baan de (?:gemeenteraad|leden van de raad|voorzitter)|toezending aan"
    r"|\bbeste (?:heer|mevrouw)",
    _I,
)
_RX_LETTER_FIELDS = (
    re.compile(r"\bdatum\b", _I),
    re.compile(r"\b(?:onderwerp|betreft)\b", _I),
    re.compile(r"\b(?:kenmerk|referentie)\b", _I),
)
_RX_REPORT = re.compile(r"(?:^|\n)[ \t]*(?:inhoudsopgave|inhoud|colofon|voorwoord)\b", _I)
_RX_POLICY_TITLE = re.compile(
    r"\b(?:nota|beleidsnota|visie|omgevingsvisie|programma|beleidskader|beleidsplan|koersbesluit"
    r"|rapport|rapportage|omgevingseffectrapport\w*|strategie|fiche|tussenstand|evaluatie|plan"
    r"|uitvoeringsagenda|actieplan|nota van uitgangspunten)\b",
    _I,
)
_RX_RAAD_FORMULA = re.compile(
    r"de raad van de gemeente [^,\n]{2,40},?\s+(?:gezien|gelezen|gelet)", _I
)


def _is_email(doc: _Doc) -> bool:
    top600 = doc.p1_flat[:600]
    return all(rx.search(top600) for rx in _RX_EMAIL)


def _motion_kind(doc: _Doc) -> str | None:
    """ "motie"/"amendement" when the document itself is one (not a letter about one)."""
    found: str | None = None
    for ln in doc.p1_lines[:30] + doc.headings[:3]:
        m = _title_match(_RX_MOTIE_LINE, ln)
        if m:
            found = m.group(1).lower()
            break
    if found is None:
        top = doc.p1_flat[:1000]
        m = _RX_MOTIE_INLINE.search(top)
        if m:
            letter = _RX_LETTER_FIELD_POS.search(top)
            if letter is None or letter.start() > m.start():
                found = m.group(1).lower()
    # The council wording is the expensive check, so it comes last.
    if found and _RX_COUNCIL.search(doc.head_flat[:12000]):
        return found
    return None


def _meeting_title(doc: _Doc) -> re.Match[str] | None:
    """Where the title of minutes/decision lists starts (raw lines or paragraph text)."""
    top = doc.p1_flat[:1500]
    m = _RX_BESLUITENLIJST_INLINE.search(top)
    if m:
        return m
    m = re.match(
        r"(?:\d+\s+)?(?:Concept-?\s?)?(?:Notulen|Verslag|Vergadering|Handelingen)\b"
        + _NOT_A_MEETING_ID,
        top,
    )
    if m:
        return m
    for ln in doc.p1_lines[:40]:
        if _title_match(_RX_NOTULEN_LINE, ln):
            return re.search(re.escape(_flat(ln[:40])), top)
    return None


def _kind(doc: _Doc) -> str:
    if _is_email(doc):
        return "brief"

    top_lines = doc.p1_lines[:40]
    if (
        any(_RX_INV_TITLE.search(ln) and len(ln) < 120 for ln in top_lines[:4] + doc.headings[:2])
        or _RX_INV_TITLE.search(doc.p1_flat[:80])
        or _RX_INV_TABLE.search(doc.p1_flat[:300])
    ):
        return "inventarislijst"

    motion = _motion_kind(doc)
    if motion:
        return motion

    if any(re.match(r"agenda\b", ln, _I) for ln in doc.p1_lines[:3]):
        return "overig"  # a meeting agenda (no kind of its own), not the minutes

    if any(_title_match(_RX_BESLUITENLIJST_LINE, ln) for ln in doc.p1_lines[:80]) or (
        _RX_BESLUITENLIJST_INLINE.search(doc.p1_flat[:1500])
    ):
        return "besluitenlijst"
    title = _meeting_title(doc)
    if title and _RX_MEETING.search(doc.head_flat):
        return "notulen"
    if re.search(r"\bvergader(?:datum|plaats)\b", doc.p1_flat, _I) and re.search(
        r"\baanwezig", doc.p1_flat, _I
    ):
        return "notulen"  # report header "Vergaderdatum ... Aanwezig" without a title line

    subject = _subject_zone(doc)
    if _RX_BEZWAAR.search(subject):
        return "beslissing_op_bezwaar"

    if any(_title_match(_RX_VOORSTEL_LINE, ln) for ln in top_lines + doc.headings[:3]):
        return "raadsvoorstel"
    m = _RX_VOORSTEL_INLINE.search(doc.p1_flat[:1500])
    if m:
        letter = _RX_LETTER_FIELD_POS.search(doc.p1_flat[:1500])
        if letter is None or letter.start() > m.start():
            return "raadsvoorstel"

    if _RX_WOO.search(subject):
        # "beslistermijn"/"beslist" belong to acknowledgements too; they decide nothing.
        head_no_termijn = re.sub(r"beslist\w*", " ", doc.head_flat, flags=_I)
        if _RX_DECISION.search(head_no_termijn):
            return "woo_besluit"

    if any(_title_match(_RX_BESLUIT_TITLE, ln) for ln in top_lines[:30] + doc.headings[:3]):
        return "besluit"
    low = doc.head_flat.lower()
    if any(k in low for k in ("besl", "toestemming", "verle", "gs-mandaat")) and (
        _RX_BESLUIT_FORMULA.search(low)
    ):
        return "besluit"
    if "verordening" in doc.p1_flat[:200].lower() and len(_RX_ARTIKEL.findall(doc.head)) >= 2:
        return "besluit"
    if re.search(r"\b(?:heb ik|hebben wij)\s+besloten\b", low) and "aanvraag" in low:
        return "besluit"  # decision letter on an application (beschikking)

    if _RX_NOTA_INTERNAL.search(doc.p1_flat):
        return "overig"

    p1 = doc.p1_flat
    if _RX_LETTER.search(p1) or all(rx.search(p1) for rx in _RX_LETTER_FIELDS):
        return "brief"

    title_zone = top_lines[:6] + doc.headings[:2]
    if _RX_REPORT.search(doc.head) or any(_RX_POLICY_TITLE.search(ln[:150]) for ln in title_zone):
        return "beleidsnota"

    if any(_RX_RAAD_FORMULA.search(p) for p in doc.scan):
        return "raadsvoorstel"
    return "overig"


# ---------------------------------------------------------------------------
# Subject / title

_RX_SUBJECT_LABEL = re.compile(r"^(?:onderwerp|betreft|subject|inzake)\s*:?\s*(.*)$", _I)
_RX_SUBJECT_INLINE = re.compile(r"\b(?:Onderwerp|Betreft|Subject)\b\s*:?\s*")
_LABEL_WORDS = re.compile(
    r"^(?:datum|ons kenmerk|uw kenmerk|kenmerk|bijlage\(?n?\)?|pagina|contactpersoon"
    r"|behandeld door|telefoon|e-?mail|inlichtingen|kopie aan|uw brief|zaaknummer"
    r"|registratienummer|geachte|beste|datum verzending|toezending|retouradres|aan\b|van\b"
    r"|verzonden|sent|to|from|cc|received|categorie|doel|status)\b",
    _I,
)
# Where an inline subject value ends in paragraph text.
_RX_SUBJECT_END = re.compile(
    r"\s(?:Geachte|Geacht|Beste|Datum|Ons kenmerk|Uw kenmerk|Kenmerk|Bijlage\(?n?\)?|Pagina"
    r"|Inleiding|Toelichting|Aanleiding|Contactpersoon|Behandeld door|Uw brief|Zaaknummer"
    r"|Categorie[eë]n|Aan|Van|Cc|To|From|Received)\b"
)

_CONT_WORDS = {
    "de", "het", "een", "van", "over", "inzake", "en", "of", "op", "voor", "met", "tot", "aan",
    "in", "te", "bij", "naar", "om", "uit", "betreffende", "omtrent",
}  # fmt: skip


_TABLE_SEPARATOR = re.compile(r"^:?-{3,}:?$")


def _cells(lines: Sequence[str]) -> list[str]:
    """``lines`` with a table row (as parsing writes it: "|Raad||") taken apart into its
    cells, one per line, and separator rows left out: a title is a cell, never the row."""
    out: list[str] = []
    for ln in lines:
        if ln.startswith("|") and ln.endswith("|"):
            cells = [cell.strip() for cell in ln[1:-1].split("|")]
            out += [cell for cell in cells if cell and not _TABLE_SEPARATOR.match(cell)]
        else:
            out.append(ln)
    return out


def _continues(text: str) -> bool:
    """Does a wrapped title/subject line continue on the next line?"""
    words = text.split()
    return bool(words) and (
        text.endswith(("-", ",")) or len(text) >= 55 or words[-1].lower() in _CONT_WORDS
    )


def _cut_subject(value: str) -> str:
    m = _RX_SUBJECT_END.search(value)
    if m and m.start() >= 4:
        value = value[: m.start()]
    return value[:200].strip(" :")


def _subject(doc: _Doc) -> str | None:
    """The value of an "Onderwerp:"/"Betreft:" field on page 1 (joined over wrapped lines,
    or the next cell of a table row)."""
    lines = _cells(doc.p1_lines[:80])
    for i, ln in enumerate(lines):
        m = _RX_SUBJECT_LABEL.match(ln)
        if not m:
            continue
        parts = [m.group(1).strip()] if m.group(1).strip() else []
        for nxt in lines[i + 1 : i + 5]:
            if parts and not _continues(parts[-1]):
                break
            if _LABEL_WORDS.match(nxt) or len(" ".join(parts)) > 160:
                break
            if find_dates(nxt) and len(nxt) < 25:  # a date column interleaved with the subject
                continue
            parts.append(nxt)
        value = _cut_subject(_flat(" ".join(parts)))
        if len(value) >= 4:
            return value
    m = _RX_SUBJECT_INLINE.search(doc.p1_flat[:2500])
    if m:
        value = _cut_subject(doc.p1_flat[m.end() : m.end() + 300])
        if len(value) >= 4:
            return value
    return None


def _subject_zone(doc: _Doc) -> str:
    """Where a document states what it is about: subject field, title lines, top of page 1."""
    parts = [doc.p1_flat[:1200]]
    subject = doc.subject
    if subject:
        parts.append(subject)
    parts.extend(doc.headings[:3])
    return " \n ".join(parts)


_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|excel|powerpoint)|untitled|naamloos|document\d*$|brief met logo"
    r"|sjabloon|template|toelichting invullen)"
    r"|\.(?:docx?|xlsx?|pptx?|pdf|rtf|odt|msg|eml)\s*$|tmp|~|^[\w.-]+$",
    _I,
)
_SKIP_TITLE_LINE = re.compile(
    r"^(?:\d+|pagina\s+\d+.*|\d+\s*(?:/|van)\s*\d+|gemeente\s*\S*|gemeenteraad|postbus.*"
    r"|\d{4}\s?[a-z]{2}\b.*|www\..*|retouradres.*|typ tekst.*|ris-?nummer:?.*|stuknummer:?.*"
    r"|uitslag stemming:?.*|[A-Z]\.\d+.*|bezoekadres.*|telefoon.*|t \d.*|x|\W*)$",
    _I,
)
# A line with the access codes of an online meeting is never (part of) a title: a title
# is shown in every result list.
_CREDENTIALS = re.compile(
    r"\b(?:wachtwoord(?:code)?|toegangscode|pincode|passcode|password|vergader(?:ing)?-?id"
    r"|meeting[- ]?id|webinar[- ]?id)\b",
    _I,
)
_PARTICLES = {"van", "de", "der", "den", "en", "het", "ter", "ten", "te", "'t", "in"}
_RX_STATUS_LINE = re.compile(r"^(?:definitief|concept|versie\b|ontwerp$|pagina\b)", _I)


# Where a title taken from a line or field runs on into what follows it.
_TITLE_END = re.compile(
    # the letter's first sentence after a quoted name ("… ‘Ga de strijd aan tegen
    # sleutelgeld’ (RIS321674) Uw raad heeft …")
    r"(?<=[’”)])\s+(?=(?:Op|Uw|In|De|Het|Hierbij|Naar|Met|Bij|Tijdens|Zoals|Graag)\s)"
    r"|\s(?:Indieners?|Ingediend door)\s*:"  # a motion's submitter
    r"|\s(?:\d{4}\s?[A-Z]{2}\s|Postbus\s|www\.)"  # a letterhead's address
    r"|\s(?:\d\.?\s)?(?:Inleiding|Toelichting|Aanleiding)$"  # the first section's heading
)


def _clean_title(s: str) -> str:
    # A missing "ti" ligature glyph comes out as "%" in some PDFs ("Ini%a%efvoorstel").
    s = re.sub(r"(?<=[a-z])%(?=[a-z])", "ti", s)
    s = _flat(s)
    credentials = _CREDENTIALS.search(s)
    if credentials:
        s = s[: credentials.start()]
    end = _TITLE_END.search(s)
    if end and end.start() >= 6:
        s = s[: end.start()]
    # OCR reads a scan's rules and smudges before the first word as "__" or "% ".
    s = s.lstrip("_%*#~^|•·=+<>").strip(" :;,.-–")
    s = s.strip("‘’'\"“”").strip()
    if s.count("‘") > s.count("’"):  # the quoted name it ends in keeps its closing quote
        s += "’"
    return s[:200].rstrip()


def _join_wrapped(lines: list[str], i: int, *, max_lines: int = 3) -> str:
    parts = [lines[i]]
    for nxt in lines[i + 1 : i + max_lines]:
        if not _continues(parts[-1]) and not nxt[:1].islower():
            break
        # A wrapped title ends in a short line; a long one is the body starting.
        if _LABEL_WORDS.match(nxt) or (len(nxt) > 60 and not nxt[:1].islower()):
            break
        parts.append(nxt)
    return " ".join(parts)


def _cover_title(lines: list[str]) -> str | None:
    """Title on a cover page: the policy-title line plus the short lines that follow it."""
    top = [ln for ln in lines[:8] if not _SKIP_TITLE_LINE.match(ln)]
    start = next((i for i, ln in enumerate(top) if _RX_POLICY_TITLE.search(ln[:150])), None)
    if start is None:
        return None
    parts = [top[start][:150]]
    for nxt in top[start + 1 : start + 3]:
        if len(nxt) > 70 or _RX_STATUS_LINE.match(nxt) or find_dates(nxt):
            break
        if _LABEL_WORDS.match(nxt) or _RX_REPORT.match(nxt) or re.fullmatch(r"[\d\s.,-]+", nxt):
            break
        if nxt.lower().startswith(("uitgave", "foto", "opmaak")):
            break
        parts.append(nxt)
    return " ".join(parts)


def _names_case(s: str) -> str:
    """ "INGE VAN DIJK EN GRINWIS" -> "Inge van Dijk en Grinwis"."""
    return " ".join(w.lower() if w.lower() in _PARTICLES else w.capitalize() for w in s.split())


_RX_MOTION_TITLE_FLAT = re.compile(
    r"(?<![\w‘’'])(?:(?:Nader\s+)?Gewijzigde?\s+)?(Motie|Amendement)\s*:\s*(.{3,160}?)"
    r"(?=\s+(?:Indiener|Ingediend|De raad|De Kamer)\b|$)"
)
_RX_MOTION_LEDEN = re.compile(
    r"((?:GEWIJZIGDE\s+)?(?:MOTIE|AMENDEMENT)\s+VAN\s+(?:HET\s+LID|DE\s+LEDEN))\s+"
    r"((?:[A-Z][A-Z'’.-]*\s+){0,8}?[A-Z][A-Z'’.-]*)(?=\s+(?:Voorgesteld|[A-Z][a-z])|$)"
)


def _motion_title(doc: _Doc) -> str | None:
    for ln in doc.p1_lines[:30]:
        if not _title_match(_RX_MOTIE_LINE, ln) or len(ln) > 200:
            continue
        if ":" in ln[:25]:
            kind_word, _, rest = ln.partition(":")
            if rest.strip():
                return f"{kind_word.strip().capitalize()}: {rest}"
        if ln.isupper():
            break  # handled below
        return ln
    top = doc.p1_flat[:1000]
    m = _RX_MOTION_LEDEN.search(top)
    if m:  # "MOTIE VAN DE LEDEN INGE VAN DIJK EN GRINWIS"
        return m.group(1).capitalize() + " " + _names_case(m.group(2))
    m = _RX_MOTION_TITLE_FLAT.search(top)
    if m:
        return f"{m.group(1)}: {m.group(2)}"
    m = re.search(r"\bMotie van (?:afkeuring|wantrouwen|treurnis)\b", top)
    return m.group(0) if m else None


# A list's column headers before its title in one table cell ("Datum TITEL AANGEPASTE
# INVENTARISLIJST …"), and the headings of a report's front matter: no title.
_COLUMN_WORDS = re.compile(r"^(?:(?:nr|nummer|datum|titel|kenmerk|omschrijving)\.?\s+)+", _I)
_FRONT_MATTER = re.compile(r"^(?:inhoudsopgave|inhoud|voorwoord|colofon)\b", _I)


def _title(doc: _Doc, kind: str, pdf_metadata: Mapping[str, str] | None) -> str:
    lines = [ln for ln in _cells(doc.p1_lines[:60]) if not _CREDENTIALS.search(ln)]
    headings = [h for h in doc.headings if not _CREDENTIALS.search(h)]
    subject = doc.subject
    if kind in ("motie", "amendement"):
        t = _motion_title(doc)
        if t:
            return _clean_title(t)
    if kind in ("raadsvoorstel", "beslissing_op_bezwaar"):
        for i, ln in enumerate(lines):
            if _title_match(_RX_VOORSTEL_LINE, ln):
                text = _join_wrapped(lines, i)[:250]
                # "Raadsvoorstel" / "Statenvoorstel nr. PS24-..." says little: use the subject.
                if subject and not re.search(
                    r"\b(?:inzake|betreffende|met betrekking tot|tot|over)\b", text, _I
                ):
                    return _clean_title(subject)
                return _clean_title(text)
    if kind in ("notulen", "besluitenlijst"):
        for i, ln in enumerate(lines[:80]):
            if ln.lower().startswith(("aanwezig", "afwezig")):
                break  # the attendance list: what follows are agenda items, not the title
            if _title_match(_RX_BESLUITENLIJST_LINE, ln) or _title_match(_RX_NOTULEN_LINE, ln):
                parts = [re.sub(r"^document\s*:\s*", "", ln, flags=_I)]
                for nxt in lines[i + 1 : i + 4]:
                    if (
                        len(" ".join(parts)) > 60
                        or _LABEL_WORDS.match(nxt)
                        or nxt.lower().startswith(
                            ("(geopend", "voorzitter", "locatie", "aanwezig", "agenda")
                        )
                    ):
                        break
                    parts.append(nxt)
                return _clean_title(re.split(r"\s\((?:Geopend|geopend)", " ".join(parts))[0][:160])
    if kind == "inventarislijst":
        for ln in lines[:8]:
            if _RX_INV_TITLE.search(ln) and len(ln) < 160:
                return _clean_title(_COLUMN_WORDS.sub("", ln))
        return "Inventarislijst"
    if kind == "besluit":
        # Its title at the top, or (a scan whose letterhead OCR reads as noise) the first
        # heading that is one.
        top = list(range(min(3, len(lines)))) + [
            i for i, ln in enumerate(lines[3:20], start=3) if ln in headings and " " in ln
        ]
        for i in top:
            ln = lines[i]
            if _title_match(_RX_BESLUIT_TITLE, ln):
                nxt = lines[i + 1] if i + 1 < len(lines) else ""
                if subject and _RX_SUBJECT_LABEL.match(nxt):  # "NOTA GS-MANDAAT / Onderwerp: ..."
                    return _clean_title(subject)
                if nxt and len(nxt) < 80 and not _LABEL_WORDS.match(nxt):
                    return _clean_title(f"{ln} {nxt}")
                return _clean_title(ln)
    if subject:
        return _clean_title(subject)
    for h in headings:
        if _FRONT_MATTER.match(h):
            break  # the table of contents' entries follow
        if len(h) >= 6 and not _SKIP_TITLE_LINE.match(h):
            return _clean_title(h)
    if kind == "beleidsnota":
        cover = _cover_title(lines)
        if cover:
            return _clean_title(cover)
    meta_title = (pdf_metadata or {}).get("title", "").strip()
    if len(meta_title) >= 8 and not _JUNK_TITLE.search(meta_title) and " " in meta_title:
        return _clean_title(meta_title)
    for ln in lines:
        if len(ln) >= 6 and not _SKIP_TITLE_LINE.match(ln) and not find_dates(ln):
            return _clean_title(ln[:160])
    return ""


# ---------------------------------------------------------------------------
# Date

# "Datum" as a field label: at the start of a line (raw text) ...
_RX_DATUM_LABEL = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?:d\s?atum|dagtekening)(?![\w-])(?:[ \t]+en[ \t]+tijd)?"
    r"(?![ \t]*:?[ \t]*(?:verzending|ontvangst|collegevergadering|raadsvergadering|document"
    r"|besluit|beslissing|inwerkingtreding|van\b|:\s*van\b|bovenaan))",
    _I,
)
# ... or inside paragraph text, then the date must follow closely ("Datum Kenmerk 20 oktober").
_RX_DATUM_INLINE = re.compile(
    r"(?<![\w-])(?:Datum|DATUM|Dagtekening)(?![\w-])(?:\s+en\s+tijd)?"
    r"(?!\s*:?\s*(?:verzending|ontvangst|collegevergadering|raadsvergadering|document|Titel"
    r"|besluit|beslissing|inwerkingtreding|van\b|:\s*van\b|bovenaan))"
)
_RX_BODY_START = re.compile(r"\b(?:geachte|beste|in uw|bij brief|op \d{1,2} \w+ \d{4})\b", _I)
_RX_MONTH_YEAR = re.compile(
    r"^\s*:?\s*(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november"
    r"|december)\s+\d{4}",
    _I,
)
_RX_PLACE_DATE = re.compile(r"(?m)^[ \t]*(?:[A-Z’'][\w’'.-]*(?:[ \t]+[\w’'.-]+){0,3}),[ \t]*(?=\S)")
_RX_US_SENT = re.compile(
    r"\b(?:sent|received|date)\s*:\s*(?:mon|tue|wed|thu|thur|fri|sat|sun)[a-z]*,?\s*"
    r"(\d{1,2})/(\d{1,2})/(\d{4})",
    _I,
)
_RX_SENT = re.compile(r"\b(?:verzonden|sent|datum|date)\s*:\s*", _I)
_RX_GEHOUDEN = re.compile(r"gehouden\s+op\s*:?", _I)
_RX_DATUM_TIJD = re.compile(r"(?:datum\s+en\s+tijd|vergaderdatum(?:\s+en\s+-?tijd)?)\s*:?", _I)
_RX_DD = re.compile(r"\bd\.d\.\s*:?", _I)
_RX_BIJEEN = re.compile(r"in\s+vergadering\s+bijeen\s+(?:op\s+)?", _I)
_RX_VOORGESTELD = re.compile(r"\bvoorgesteld\s+(?:op\s+)?", _I)
_RX_ALDUS = re.compile(
    r"aldus\s+(?:\w+\s+){0,2}(?:besloten|aangenomen|verworpen|vastgesteld)\s+in\s+de\s+"
    r"(?:\w+\s+){0,2}vergadering\s+(?:van|op)\s+",
    _I,
)
_RX_GEZIEN = re.compile(
    r"gezien\s+het\s+voorstel\s+van\s+(?:het\s+college|burgemeester[^,]{0,40})\s+van\s+", _I
)
_RX_VERSIE = re.compile(
    r"\b(?:definitieve\s+versie|versie|gegenereerd\s+op|vastgesteld\s+op)\s*,?\s*", _I
)
_RX_GENERATED = re.compile(r"\b(?:gegenereerd|aangemaakt|afgedrukt)\s+op\s*", _I)
_RX_INGEDIEND = re.compile(r"\bingediend\s+op\s*", _I)


def _first_date(
    text: str, start: int, window: int, *, tight: int | None = None
) -> DateMention | None:
    """First date starting within ``window`` chars after ``start`` (within ``tight`` if given)."""
    for dm in find_dates(text[start : start + window]):
        if tight is not None and dm.start > tight:
            return None
        return dm
    return None


def _anchored(rx: re.Pattern[str], text: str, *, window: int = 40) -> datetime.date | None:
    for m in rx.finditer(text):
        dm = _first_date(text, m.end(), window + 40, tight=window)
        if dm:
            return dm.date
    return None


def _datum_label_date(text: str, *, first_page: bool = True) -> tuple[bool, datetime.date | None]:
    """Date after a "Datum" label. Returns (label_seen, date).

    On later pages (``first_page=False``) only tight label-date pairs count: a "Datum"
    column header of a table must not yield the first row's date.
    """
    seen = False
    hits = [(m.end(), 260 if first_page else 30) for m in _RX_DATUM_LABEL.finditer(text)]
    hits += [(m.end(), 30) for m in _RX_DATUM_INLINE.finditer(text)]
    for end, window in sorted(set(hits)):
        seen = True
        after = text[end : end + window]
        if _RX_MONTH_YEAR.match(after):
            return True, None  # "Datum december 2020": the day is missing; do not guess
        stop = _RX_BODY_START.search(after)
        if stop:
            after = after[: stop.start()]
        dms = find_dates(after)
        if dms and not re.search(r"\bdatum\b", after[: dms[0].start], _I):
            return True, dms[0].date
    return seen, None


def _title_block_date(doc: _Doc, n: int = 6) -> datetime.date | None:
    block = "\n".join(doc.p1_lines[:n])[:300]
    dms = find_dates(block)
    return dms[0].date if dms else None


def _years(text: str) -> list[int]:
    counts = Counter(dm.date.year for dm in find_dates(text))
    counts.update(int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", text))
    return [y for y, _ in counts.most_common()]


def _yearless_date(text: str, context: str) -> datetime.date | None:
    """ "Donderdag 8 februari": the year (among those in the document) that fits the weekday."""
    return next((d for _pos, d in _yearless_dates(text, context)), None)


def _yearless_dates(text: str, context: str) -> list[tuple[int, datetime.date]]:
    full = [(dm.start, dm.end) for dm in find_dates(text)]
    out: list[tuple[int, datetime.date]] = []
    for day, month, start, _end, weekday in find_day_months(text):
        if weekday is None or any(s <= start < e for s, e in full):
            continue
        for year in _years(context):
            try:
                d = datetime.date(year, month, day)
            except ValueError:
                continue
            if d.weekday() == weekday:
                out.append((start, d))
                break
    return out


def _earliest_date(window: str, context: str) -> datetime.date | None:
    """First date in a title window, counting "Donderdag 8 februari" (year from context)."""
    found = [(dm.start, dm.date) for dm in find_dates(window)]
    found += _yearless_dates(window, context)
    return min(found)[1] if found else None


def _meeting_title_date(doc: _Doc) -> datetime.date | None:
    lines = doc.p1_lines[:80]
    for i, ln in enumerate(lines):
        if _title_match(_RX_BESLUITENLIJST_LINE, ln) or _title_match(_RX_NOTULEN_LINE, ln):
            d = _earliest_date("\n".join(lines[i : i + 4])[:300], doc.head)
            if d:
                return d
    m = _meeting_title(doc)
    if m:  # paragraph text: the date follows the title within a couple of lines
        return _earliest_date(doc.p1_flat[m.start() : m.start() + 200], doc.head)
    return None


def _email_date(doc: _Doc) -> datetime.date | None:
    """Send date from an e-mail header; the earliest header wins (the message itself)."""
    top = doc.p1[:3000]
    best: tuple[int, datetime.date] | None = None
    m = _RX_US_SENT.search(top)
    if m:  # Outlook export "Sent: Thur 9/10/2020" is month/day/year
        try:
            best = (m.start(), datetime.date(int(m.group(3)), int(m.group(1)), int(m.group(2))))
        except ValueError:
            best = None
    for m in _RX_SENT.finditer(top):
        dm = _first_date(top, m.end(), 60, tight=20)
        if dm:
            if best is None or m.start() < best[0]:
                best = (m.start(), dm.date)
            break
    return best[1] if best else None


def _aldus_anywhere(doc: _Doc) -> datetime.date | None:
    for page in doc.scan:
        d = _anchored(_RX_ALDUS, page, window=5)
        if d:
            return d
    return None


def _place_date(doc: _Doc) -> datetime.date | None:
    """Letter date written as "Den Haag, 3 april 2009" near the top."""
    top = "\n".join(doc.p1_lines[:40])
    for m in _RX_PLACE_DATE.finditer(top):
        dm = _first_date(top, m.end(), 40, tight=0)
        if dm:
            return dm.date
    return None


def _date(doc: _Doc, kind: str) -> datetime.date | None:
    head = doc.head
    if kind == "inventarislijst":
        # Only a date in the title ("Inventarislijst bij besluit van ..."): the table below
        # is full of document dates that are not the list's own.
        title = next((ln for ln in doc.p1_lines[:5] if _RX_INV_TITLE.search(ln)), "")
        dms = find_dates(title[:200])
        return dms[0].date if dms else None
    if kind in ("motie", "amendement"):
        return (
            _anchored(_RX_BIJEEN, head)
            or _anchored(_RX_VOORGESTELD, head, window=5)
            or _anchored(_RX_ALDUS, head, window=5)
            or _datum_label_date(head)[1]
        )
    if kind in ("notulen", "besluitenlijst"):
        return (
            _meeting_title_date(doc)
            or _anchored(_RX_GEHOUDEN, head)
            or _anchored(_RX_DATUM_TIJD, head)
            or _anchored(_RX_DD, head, window=5)
            or _datum_label_date(head)[1]
            or _title_block_date(doc)
            or _yearless_date("\n".join(doc.p1_lines[:6])[:300], head)
        )
    if _is_email(doc):
        return _email_date(doc)
    seen, d = _datum_label_date(doc.pages[0] if doc.pages else "")
    if not (d or seen) and len(doc.pages) > 1:
        seen, d = _datum_label_date(doc.pages[1], first_page=False)
    if d or seen:
        return d
    top8 = "\n".join(doc.p1_lines[:8])[:400]
    if kind == "raadsvoorstel":
        return (
            _anchored(_RX_VERSIE, top8, window=5)
            or _title_block_date(doc)
            or _anchored(_RX_GENERATED, doc.p1, window=3)
            or _anchored(_RX_GEZIEN, head, window=5)
            or _aldus_anywhere(doc)
        )
    return (
        _place_date(doc)
        or _anchored(_RX_INGEDIEND, doc.p1, window=3)
        or _anchored(_RX_VERSIE, top8, window=5)
        or _title_block_date(doc)
        or _aldus_anywhere(doc)
    )


# ---------------------------------------------------------------------------
# Organisation

# Place names: capitalised words, optionally joined by particles ("Alphen aan den Rijn").
# Case-sensitive on purpose; the patterns below scope IGNORECASE to their fixed words.
_NAME_WORD = r"[A-Z](?:[^\W_]|['’-])+(?![\w/])"  # no "Den_Haag" from URLs
_NAME = (
    rf"((?:['’]s-)?{_NAME_WORD}"
    rf"(?:[ \t]+(?:(?:aan|den|de|op|van|der|en|bij|ter|ten)[ \t]+)?{_NAME_WORD}){{0,2}})"
)
_RX_GEMEENTE_HEAD = re.compile(
    r"(?<![A-Za-zÀ-ÿ])(?:Gemeente|GEMEENTE)(?:[ \t]*\n[ \t]*|[ \t]+)" + _NAME
)
_RX_PROVINCIE = re.compile(
    rf"\b(?:provincie|provinciale\s+staten\s+van|gedeputeerde\s+staten\s+van)\s+"
    rf"({_PROVINCE_ALT})\b",
    _I,
)
_RX_MINISTERIE = re.compile(rf"\bministerie\s+van\s+({_MINISTRY_ALT})", _I)
# Signature "De minister van X," / "DE MINISTER VAN FINANCIËN," / "De staatssecretaris van X –".
_RX_SIGNATURE = re.compile(
    rf"(?:^|(?<=\n)|(?<=[.:;,]\s))[ \t]*(?:De|DE|Het|HET)[ \t]+(?i:minister|staatssecretaris)"
    rf"[ \t]+(?i:van|voor)\s+(?i:({_MINISTRY_ALT}))\b[ \t]*(?:,|–|-|\n|$|(?i:namens))"
)
# "Het ministerie van VWS (hierna: mijn ministerie)": the letter speaks for that ministry.
_RX_MY_MINISTRY = re.compile(
    rf"\bministerie\s+van\s+({_MINISTRY_ALT})\s*\(hierna:?\s*(?:mijn|ons)\s+ministerie\)", _I
)
_RX_BW = re.compile(
    r"(?i:burg\w*meester\s+en\s+wethouders|raad\s+van\s+de\s+gemeente)\s+(?i:van\s+)?" + _NAME
)
_RX_ROLE_GEMEENTE = re.compile(
    r"\b(?i:wethouder|burgemeester|griffier|college|raad|rekenkamercommissie)\s+van\s+de\s+"
    r"(?i:gemeente)\s+" + _NAME
)
_RX_GEMEENTE_LINE = re.compile(r"(?m)^[ \t]*(?i:gemeente)[ \t]+" + _NAME + r"[ \t]*$")
_RX_GEMEENTERAAD_TOP = re.compile(r"\bgemeenteraad\s+(?:van\s+)?" + _NAME)
_RX_GEMEENTE_ANY = re.compile(r"\bgemeente\s+" + _NAME)
_RX_NL_TLD = re.compile(r"\.nl\b", _I)
_DOMAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


def _domains(text: str) -> list[tuple[int, str]]:
    """Dutch web/e-mail domains ("www.denhaag.nl", "x@minvws.nl") as (position, "denhaag").

    Found by walking back from ".nl": a regex with a free-running domain part is slow.
    """
    out = []
    for m in _RX_NL_TLD.finditer(text):
        i = m.start()
        while i > 0 and m.start() - i < 60 and text[i - 1].lower() in _DOMAIN_CHARS:
            i -= 1
        domain = text[i : m.start()].lower().strip(".-")
        if domain.startswith("www."):
            domain = domain[4:]
        if domain:
            out.append((i, domain))
    return out


_RX_NAME_ANY = re.compile(_NAME)
_RX_POSTAL = re.compile(r"\b\d{4}\s?[A-Z]{2}\s+" + _NAME)
_RX_STATEN = re.compile(
    r"provinciale staten|gedeputeerde staten|statenvoorstel|statenbrief|\bGS\b", _I
)
_RX_RES = re.compile(
    r"\bRES[ \t]+((?:regio[ \t]+)?[A-Z][a-z]+(?:-[A-Z][a-z]+)+|(?:regio[ \t]+)?[A-Z][a-z]+)\b"
)
_RX_RIS = re.compile(r"(?<![(\w])RIS[ -]?(\d{6})\b")

_NAME_STOP = {
    "Postbus", "Telefoon", "Bezoekadres", "Spui", "Amstel", "Datum", "Retouradres",
    "Contactpersoon",
    "Dienst", "Afdeling", "Ons", "Kenmerk", "Behandeld", "Onderwerp", "Betreft", "Pagina", "Aan",
    "Van", "Het", "De", "Een", "In", "Op", "Voor", "Met", "Bij", "Uw", "Wij", "Zij", "Dit", "Deze",
    "T", "E", "F", "Tel", "Fax", "Website", "Email", "E-mail", "Typ", "Bekendmakingen",
    "Bekendmaking", "Nieuws", "Informatie", "Gemeenteblad",
}  # fmt: skip


def _gemeente(name: str) -> str | None:
    words = name.split()
    cut = next((i for i, w in enumerate(words) if w in _NAME_STOP), len(words))
    words = words[:cut]
    while words and words[-1].islower():  # trailing particle
        words.pop()
    if not words:
        return None
    n = " ".join(words)
    if len(n) < 3 or (n.isupper() and len(n) > 4):  # "GEMEENTERAAD"-style headings
        return None
    return f"Gemeente {n}"


def _ministry(raw: str) -> str:
    key = re.sub(r"\W", "", raw).lower()
    return "Ministerie van " + _MINISTRY_CANON.get(key, _flat(raw))


def _province(raw: str) -> str:
    return next((p for p in _PROVINCES if p.lower() == raw.lower()), raw)


def _slug(s: str) -> str:
    return re.sub(r"[^a-z]", "", s.lower())


def _top_region(doc: _Doc) -> str:
    """Letterhead area: page 1 up to the salutation (max 1500 chars)."""
    p1 = doc.p1[:2500]
    m = re.search(r"\b(?:Geachte|Beste|Geacht)\b", p1)
    end = m.start() if m and m.start() < 1500 else 1500
    return p1[:end]


def _candidates(text: str) -> list[tuple[int, str]]:
    """Bodies named in a letterhead-like text, with their positions."""
    out: list[tuple[int, str]] = []
    for m in _RX_GEMEENTE_HEAD.finditer(text):
        g = _gemeente(m.group(1))
        if g:
            out.append((m.start(), g))
    for m in _RX_PROVINCIE.finditer(text):
        # Lower-case "provincie X" is body text unless it is right at the top (attendee lists).
        if m.group(0)[0].isupper() or m.start() < 600:
            out.append((m.start(), "Provincie " + _province(m.group(1))))
    for m in _RX_MINISTERIE.finditer(text):
        out.append((m.start(), _ministry(m.group(1))))
    for rx, canon in _AGENCIES:
        for m in rx.finditer(text):
            out.append((m.start(), canon or _flat(m.group(0))))
    domains = _domains(text)
    for pos, domain in domains:
        for label in domain.split("."):
            if label in _MINISTRY_DOMAINS:
                out.append((pos, "Ministerie van " + _MINISTRY_DOMAINS[label]))
    for pos, domain in domains:
        for label in domain.split("."):
            prov = next((p for p in _PROVINCES if _slug(p) == label), None)
            if prov:  # www.overijssel.nl: the sender, even when only the addressee is named
                out.append((pos + 10_000, f"Provincie {prov}"))
            if label.startswith("gemeente") and len(label) > 10:  # gemeentedenhaag.<...>.nl
                town = next((n for n in _RX_NAME_ANY.findall(text) if _slug(n) == label[8:]), None)
                if town and _gemeente(town):
                    out.append((pos + 10_000, f"{_gemeente(town)}"))
    # Municipal letterhead: the postal-address town is also the web domain ("2500 DJ Den Haag"
    # + "www.denhaag.nl"); ministries and provinces use other domains, so they do not match.
    labels = {lab for _pos, d in domains for lab in d.split(".")}
    for m in _RX_POSTAL.finditer(text):
        g = _gemeente(m.group(1))
        if g and _slug(g.removeprefix("Gemeente ")) in labels:
            out.append((m.start() + 10_000, g))  # weaker than a named body: sorts after them
    out.sort()
    return out


def _pick(cands: list[tuple[int, str]], text: str) -> str | None:
    """Prefer the body whose name is also the web/e-mail domain (sender, not addressee)."""
    if not cands:
        return None
    labels = {_slug(lab) for _pos, d in _domains(text) for lab in d.split(".")}
    for _pos, name in cands:
        core = _slug(name.split(" ", 1)[-1].removeprefix("van "))
        if core and core in labels:
            return name
    return cands[0][1]


def _organisation(doc: _Doc, kind: str) -> str | None:
    if kind in ("motie", "amendement", "raadsvoorstel", "beslissing_op_bezwaar"):
        # "De raad van de gemeente X, in vergadering bijeen" names the body; the body text may
        # mention other authorities first.
        m = _RX_BW.search(doc.head)
        if m and _gemeente(m.group(1)):
            return _gemeente(m.group(1))
    top = _top_region(doc)
    org = _pick(_candidates(top), top)
    if org or kind == "inventarislijst":
        return org
    # Running page headers of pages 2-3 ("Gemeente Amsterdam", colofon "Uitgave Provincie X").
    for page in doc.pages[1:3]:
        org = _pick(_candidates(page[:400]), page[:400])
        if org:
            return org
    m = _RX_GEMEENTERAAD_TOP.search(doc.p1_flat[:300])
    if m and _gemeente(m.group(1)):
        return _gemeente(m.group(1))
    scan = doc.scan
    for page in scan:
        m = _RX_GEMEENTE_LINE.search(page)  # closing "stadsdeel Nieuw-West / gemeente Amsterdam"
        if m and _gemeente(m.group(1)):
            return _gemeente(m.group(1))
    for page in scan:
        m = _RX_SIGNATURE.search(page)
        if m:
            return _ministry(m.group(1))
    m = _RX_MY_MINISTRY.search(doc.head)
    if m:
        return _ministry(m.group(1))
    for page in scan:
        for rx in (_RX_BW, _RX_ROLE_GEMEENTE):
            m = rx.search(page)
            if m and _gemeente(m.group(1)):
                return _gemeente(m.group(1))
    if _RX_STATEN.search(doc.head):
        provs = {_province(p) for p in re.findall(rf"\b({_PROVINCE_ALT})\b", doc.head, _I)}
        if len(provs) == 1:
            return "Provincie " + provs.pop()
    for page in scan[:3]:
        m = _RX_RES.search(page)
        if m:
            return "RES " + m.group(1)
    counts: Counter[str] = Counter()
    for page in scan:
        for m in _RX_GEMEENTE_ANY.finditer(page):
            g = _gemeente(m.group(1))
            if g:
                counts[g] += 1
    if counts:
        name, n = counts.most_common(1)[0]
        if n >= 2:
            return name
    for prefix, owner in doc.rules.registration_owners:
        # Council information systems number their documents ("RIS321674" in Den Haag).
        if re.search(rf"(?<![(\w]){re.escape(prefix)}[ -]?\d{{6}}\b", doc.p1_flat[:1500]):
            return owner
    return None


# ---------------------------------------------------------------------------
# Registration number

_KENMERK_LABELS = (
    "ons kenmerk", "onze referentie", "kenmerk", "registratienummer", "registratiekenmerk",
    "zaaknummer", "zaaknr", "nummer zaakdossier", "gs-kenmerk", "documentnummer", "referentie",
)  # fmt: skip
# (in priority order: "Ons kenmerk" beats "Zaaknummer")
_RX_KENMERK_LABEL = re.compile(
    r"^("
    + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in _KENMERK_LABELS)
    + r")\.?\b\s*:?\s*(.*)$",
    _I,
)
_RX_KENMERK_INLINE = re.compile(
    r"(?<![\w-])(Ons kenmerk|Onze referentie|Kenmerk|Registratienummer|Registratiekenmerk"
    r"|Zaaknummer|Nummer zaakdossier)\s*:?\s*([A-Z0-9][\w./-]*\d[\w./-]*)"
)
_RX_VALUE = re.compile(r"^[A-Za-z0-9][\w./-]{2,40}(?: \d[\w./-]{0,10})?$")
_RX_NUMBERED = re.compile(
    r"\b(?:statenvoorstel|raadsvoorstel|voordracht)\s+nr\.?\s*([A-Z]{0,4}\d[\w-]{3,20})", _I
)
_RX_KST = re.compile(r"\bkst-\d{5,6}-[\w-]+\b")
_RX_ZAAK_ANY = re.compile(r"\bzaaknummer\s*:?\s*(Z?\d{4}-\d{5,10}|Z-?\d{2}-\d{3,8}|\d{5,})", _I)
_RX_STAMP = re.compile(r"(?<!\d)(\d{6})\s+(aangenomen|verworpen|ingetrokken|aangehouden)\b", _I)


def _label_value(label_rest: str, following: list[str]) -> str | None:
    for value in [label_rest, *following]:
        value = value.strip(" :")
        if not value:
            continue
        if find_dates(value) or _LABEL_WORDS.match(value):
            continue  # "Datum / Kenmerk / 20 oktober 2020 / 2020-2182814": skip the date column
        if _RX_VALUE.match(value) and re.search(r"\d", value):
            return value
        first = value.split()[0]  # paragraph text: "DSO/10880335 RIS321674 Contactpersoon ..."
        if re.search(r"\d", first) and _RX_VALUE.match(first):
            return first
        return None
    return None


def _registration(doc: _Doc, kind: str) -> str | None:
    if kind in ("motie", "amendement"):
        # Den Haag: "RIS-nummer:" is often empty; the griffie stamp puts the number right
        # before the outcome ("321255 / aangenomen").
        m = _RX_STAMP.search(doc.p1)
        if m:
            return f"RIS{m.group(1)}"
        m = re.search(r"ris-?nummer\s*:?[ \t]*(RIS\s?\d{6}|\d{6})", doc.p1, _I)
        if m:
            return "RIS" + re.sub(r"\D", "", m.group(1))
        m = _RX_KST.search(doc.head)
        return m.group(0) if m else None
    m = _RX_RIS.search(doc.p1_flat[:700])
    if m:
        return f"RIS{m.group(1)}"
    m = _RX_NUMBERED.search(doc.p1_flat[:400])
    if m:
        return m.group(1)
    found: dict[str, str] = {}
    lines = doc.p1_lines[:80]
    for i, ln in enumerate(lines):
        lm = _RX_KENMERK_LABEL.match(ln)
        if lm:
            label = _flat(lm.group(1)).lower()
            value = _label_value(lm.group(2), lines[i + 1 : i + 4])
            if value and label not in found:
                found[label] = value
    for im in _RX_KENMERK_INLINE.finditer(doc.p1_flat[:2500]):
        label = im.group(1).lower()
        if label not in found and not find_dates(im.group(2)):
            found[label] = im.group(2)
    for label in _KENMERK_LABELS:
        if label in found:
            return found[label]
    m = _RX_KST.search(doc.head)
    if m:
        return m.group(0)
    for page in doc.scan:
        m = _RX_ZAAK_ANY.search(page)
        if m:
            return m.group(1)
    return None


# ---------------------------------------------------------------------------
# Parties and outcome (moties/amendementen)

_RX_INDIENER = re.compile(
    r"\b(?:Indiener|Indieners|Ingediend door)\s*:?\s*([^\n]{0,120}?)"
    r"(?=\s+(?:De raad|De Kamer|Het college)\b|\n|$)",
    _I,
)
_RX_OUTCOME_STAMP = re.compile(
    r"(?:uitslag\s+stemming|stemuitslag|besluit)\s*:\s*(aangenomen|verworpen|ingetrokken|aangehouden)"
    r"|aldus\s+(aangenomen|verworpen)\s+in\s+de"
    r"|\b(?:de\s+)?(?:motie|het\s+amendement|amendement)\s+(?:is|wordt)\s+"
    r"(aangenomen|verworpen|ingetrokken|aangehouden)",
    _I,
)


_RX_LOWER_WORD = re.compile(r"^[a-zà-ÿ][a-zà-ÿ'’-]*[,;:]?$")
# Name particles ("Hinke de Groot"), list words and stamp words do not make a sentence.
_NEUTRAL_WORDS = {"en", "of", "van", "de", "der", "den", "ter", "ten", "te", "het", *OUTCOMES}
_RX_PAGE_NO = re.compile(r"\b(?:pagina|blz\.?)\s+\d+\s*(?:van|/)\s*\d+", _I)


def _is_signature(text: str, start: int, end: int, party_rx: re.Pattern[str] = _PARTY_RX) -> bool:
    """A party name signs the motion unless it sits inside a sentence ("maar de SP signalen").

    Works for raw lines and for paragraph text: signatures are runs of names and parties,
    so the neighbouring words are capitalised names, other parties, stamps or numbers,
    while in a sentence a lower-case word precedes or follows the party.
    """
    before = text[max(0, start - 40) : start].split()
    if before and _RX_LOWER_WORD.match(before[-1]) and before[-1] not in _NEUTRAL_WORDS:
        return False
    after = party_rx.sub(" ", text[end : end + 120]).split()
    words = [w for w in after if re.search(r"[A-Za-zÀ-ÿ]", w) and "." not in w.rstrip(".,;:")]
    # Only the next word: after a signature block comes anything ("ValidSigned door ...").
    return not (words and _RX_LOWER_WORD.match(words[0]) and words[0] not in _NEUTRAL_WORDS)


def _parties(doc: _Doc) -> list[str]:
    """Submitting parties: the "Indiener:" line first, then the signatures in text order."""
    found: list[str] = []
    party_rx = wordlists.party_pattern(doc.rules.local_parties)
    aliases = wordlists.party_aliases(doc.rules.local_parties)

    def add(names: Iterable[str]) -> None:
        for n in names:
            canon = aliases.get(n)
            if canon and canon not in found:
                found.append(canon)

    text = _RX_PAGE_NO.sub(" ", doc.head[:8000])
    for m in _RX_INDIENER.finditer(text):
        add(party_rx.findall(m.group(1)))
    add(
        m.group(1)
        for m in party_rx.finditer(text)
        if _is_signature(text, m.start(), m.end(), party_rx)
    )
    return found


def _outcome(doc: _Doc) -> str | None:
    for ln in doc.p1_lines + _lines("\n".join(doc.pages[1:])):
        low = ln.lower().strip(" .:!")
        if low in OUTCOMES:
            return low
    m = _RX_STAMP.search(doc.head)
    if m:
        return m.group(2).lower()
    m = _RX_OUTCOME_STAMP.search(doc.head_flat)
    if m:
        return next(g for g in m.groups() if g).lower()
    return None


# ---------------------------------------------------------------------------


def extract_metadata(
    page_texts: Sequence[str],
    *,
    headings: Sequence[str] = (),
    pdf_metadata: Mapping[str, str] | None = None,
    rules: MetadataRules | None = None,
) -> DocumentMetadata:
    """Metadata of one document from its page texts (page 1 first).

    ``headings`` are heading texts in document order (e.g. parse blocks of kind
    "heading"); ``pdf_metadata`` the PDF info dict, used only for a sensible title;
    ``rules`` what differs per municipality (default: Den Haag's).
    """
    doc = _prepare(page_texts, headings, rules)
    kind = _kind(doc)
    is_motion = kind in ("motie", "amendement")
    organisation = _organisation(doc, kind)
    for official, known_as in doc.rules.place_names:
        if organisation == f"Gemeente {official}":
            organisation = f"Gemeente {known_as}"
    metadata = DocumentMetadata(
        kind=kind,
        title=_title(doc, kind, pdf_metadata),
        date=_date(doc, kind),
        organisation=organisation,
        registration_number=_registration(doc, kind),
        parties=_parties(doc) if is_motion else [],
        outcome=_outcome(doc) if is_motion else None,
    )
    metadata.pages = _field_pages(page_texts, metadata, doc.rules.place_names)
    return metadata


def _field_pages(
    page_texts: Sequence[str],
    metadata: DocumentMetadata,
    place_names: Sequence[tuple[str, str]] = (),
) -> dict[str, int]:
    """The physical page each field was read from: the first page, in the order the rules
    above read them (the first pages, then the last ones), that shows the value."""
    n = len(page_texts)
    start = next((i for i in range(min(n, 5)) if page_texts[i].strip()), 0)
    order = list(range(start, min(n, start + _SCAN_PAGES)))
    order += [i for i in range(max(0, n - _SCAN_TAIL), n) if i not in order]
    texts = {
        i: page_texts[i][:_PAGE_CHARS].replace("\u00a0", " ").replace("\u00ad", "") for i in order
    }

    def first(shows: Callable[[str], bool]) -> int | None:
        return next((i + 1 for i in order if shows(texts[i])), None)

    found: dict[str, int | None] = {}
    if metadata.title:
        head = _flat(metadata.title)[:40].lower()
        found["title"] = first(lambda t: head in _flat(t).lower()) or start + 1
    if metadata.date:
        day = metadata.date
        found["date"] = first(lambda t: any(m.date == day for m in find_dates(t)))
    if metadata.parties:
        wanted = set(metadata.parties)

        def names_party(t: str) -> bool:
            return any(_PARTY_ALIAS[p] in wanted for p in _PARTY_RX.findall(t))

        found["parties"] = first(
            lambda t: any(names_party(m.group(1)) for m in _RX_INDIENER.finditer(t))
        ) or first(names_party)
    if metadata.outcome:
        outcome = re.compile(rf"\b{metadata.outcome}\b", _I)
        found["outcome"] = first(lambda t: bool(outcome.search(t)))
    if metadata.organisation:
        core = metadata.organisation.split(" ", 1)[-1].removeprefix("van ").lower()
        names = {core} | {k.lower() for k, v in place_names if v.lower() == core}
        found["organisation"] = first(lambda t: any(name in t.lower() for name in names))
    if metadata.registration_number:
        number = metadata.registration_number.removeprefix("RIS")
        found["registration_number"] = first(lambda t: number in t)
    return {name: page for name, page in found.items() if page is not None}
