"""Motions, amendments and votes as a document records them.

Read from the text of the PDFs themselves (the connector adds what the RIS publishes):

- a motie/amendement: its number and party from the griffie stamp ("Y.3 SP", "L.A VVD"),
  its registration number ("321236"), submitters ("Indiener: Rutger de Ridder, Haagse
  VVD"), the outcome stamp ("aangenomen", "Aldus aangenomen in de openbare
  raadsvergadering van 23 januari 2025") and the meeting it was submitted in;
- a besluitenlijst row: "321674 | Motie Y.3 SP Ga de strijd aan tegen sleutelgeld |
  Aangenomen" (also "Aangehouden Motie W.1 …", "Ingetrokken Amendement O.A …",
  "Stemmen staken");
- minutes: "In stemming komt motie Y.3 SP." followed by "De voorzitter. De motie wordt
  aangenomen met 42 tegen 2 stemmen." (or "met algemene stemmen", "De stemmen staken"),
  and "Aangezien motie F.8 FVD is aangehouden, …" (or "ingetrokken");
- vote lines of other councils: "De raad besluit in meerderheid (16 stemmen voor en 14
  stemmen tegen)", "Voor de motie stemden: Stadspartij Den Helder: …; CDA: …", "Tegen het
  amendement stemden de fracties van het CDA, … en de VVD", "Voor: VVD, CDA (27) Tegen:
  SP, PvdA (18)", and "De fractie van X … geacht … te hebben gestemd tegen voorstel D.3".

Every fact keeps the page and the words that record it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from string import ascii_uppercase

from .wordlists import canonical_party, party_pattern

__all__ = ["MotionFact", "VoteRecord", "extract_motions", "normalise_result"]


@dataclass(frozen=True, slots=True)
class VoteRecord:
    option: str  # voor | tegen
    party: str | None
    member: str | None = None


@dataclass(slots=True)
class MotionFact:
    kind: str  # motie | amendement | voorstel
    page: int
    evidence: str
    code: str | None = None
    title: str = ""
    ris_number: str | None = None
    result: str | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    unanimous: bool = False
    submitters: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    meeting_date: date | None = None
    votes: list[VoteRecord] = field(default_factory=list)
    # The agenda item it was submitted at ("Beantwoording schriftelijke vragen Ratten
    # grijpen de macht in Mariahoeve"): what it is about when its title says it otherwise
    # ("Rattenvanger van Den Haag").
    agenda_subject: str = ""


_RESULTS = {
    "aangenomen": "aangenomen",
    "aanvaard": "aangenomen",
    "aanvaarden": "aangenomen",
    "verworpen": "verworpen",
    "verwerpen": "verworpen",
    "ingetrokken": "ingetrokken",
    "aangehouden": "aangehouden",
    "stemmen staken": "staken",
    "staken": "staken",
}


def normalise_result(text: str | None) -> str | None:
    """'Aangenomen', 'Motie verworpen', 'Stemmen staken' -> aangenomen/verworpen/staken."""
    if not text:
        return None
    low = re.sub(r"\s+", " ", text.lower()).strip(" .:-")
    for words, result in _RESULTS.items():
        if re.search(rf"\b{words}\b", low):
            return result
    return None


_CODE = r"[A-Z]{1,2}\.(?:\d{1,2}|[A-Z]{1,2})"
_RX_STAMP_CODE = re.compile(rf"(?m)^[ \t]*({_CODE})[ \t]+(\S[^\n]{{0,40}}?)[ \t]*$")
_RX_STAMP_RIS = re.compile(r"(?m)^[ \t]*(\d{6})[ \t]*$")
_RX_INDIENER = re.compile(r"\bIndieners?\s*:\s*([^\n]{2,200})", re.IGNORECASE)
_RX_ALDUS = re.compile(
    r"Aldus\s+(aangenomen|verworpen)\s+in\s+de\s+(?:openbare\s+)?(?:raads)?vergadering"
    r"(?:\s+van\s+(\d{1,2}\s+\w+\s+\d{4}))?",
    re.IGNORECASE,
)
_RX_OUTCOME_LINE = re.compile(
    r"(?m)^[ \t]*(aangenomen|verworpen|ingetrokken|aangehouden)[ \t]*$", re.IGNORECASE
)
# "Motie: …", "Gewijzigde motie van de leden …"; a "Motie van afkeuring" is titled so.
_RX_TITLE_PREFIX = re.compile(
    r"^(?!motie\s+van\s+(?:afkeuring|wantrouwen|treurnis|orde)\b)"
    r"(?:(?:nader\s+)?gewijzigde?\s+)?(?:motie|amendement)\s*(?::|van\s+)?\s*",
    re.IGNORECASE,
)

# Motions numbered per party ("Motie VVD.3", "Motie HvDH.10"; Den Haag's decision lists
# from 2025 on): the code names the submitting party. Only a known party's abbreviation
# counts (``_code_party``).
_PARTY_CODE = r"[A-Z][A-Za-z0-9/]{1,7}\.\d{1,2}"
# A decision row: "[321674] [Gewijzigde|Aangehouden|Ingetrokken] Motie Y.3 SP Titel [Result]"
_RX_ROW = re.compile(
    rf"^(?:(?P<ris>\d{{6}})\s+)?(?P<pre>(?:(?:Nader\s+)?Gewijzigde?|Aangehouden|Ingetrokken)\s+)?"
    rf"(?P<kind>Motie|Amendement|motie|amendement)\s+(?P<code>{_CODE}|{_PARTY_CODE})\s+(?P<rest>.+?)"
    r"(?:\s+(?P<res>Aangenomen|Verworpen|Ingetrokken|Aangehouden|Stemmen staken))?\s*$"
)
# A decision list's agenda section: its letter on a line (or table cell) of its own, then
# its subject ("S", "Beantwoording schriftelijke vragen … (RIS318022)"); the motions
# submitted at it are numbered with that letter ("Motie S.1 …").
_RX_SECTION_LETTER = re.compile(r"^[A-Z]{1,2}(?:\.\d{1,2})?$")  # "S", "AB", "I.1"
_RX_SUBJECT_TAIL = re.compile(
    r"\s*(?:\(RIS\d{6}\)(?:\s+\d{6}$)?|\bNIET BEHANDELD\b"
    r"|\b(?:Aangenomen|Verworpen|Aangehouden)$)\s*"
)
_RX_RESULT_ONLY = re.compile(
    r"^(Aangenomen|Verworpen|Ingetrokken|Aangehouden|Stemmen staken|-)$", re.IGNORECASE
)

# Minutes: "In stemming komt motie Y.3 SP." / "... het aldus gewijzigde voorstel."
_RX_IN_STEMMING = re.compile(
    rf"In stemming (?:komt|komen)\s+(?:de\s+|het\s+)?(?P<what>(?:(?:nader\s+)?gewijzigde?\s+)?"
    rf"(?:motie|amendement)\s+(?P<code>{_CODE})(?:\s+(?P<party>[^.\n]{{1,40}}?))?"
    r"|(?:(?:aldus\s+)?(?:gewijzigde|geamendeerde|gewijzigd en geamendeerde)\s+)?"
    r"voorstel[^.\n]{0,80})\.",
    re.IGNORECASE,
)
_TIE_TALLY = r"(?P<tie>\d+)\s+stemmen\s+voor\s+en\s+(?P=tie)\s+stemmen\s+tegen"
_RX_VERDICT = re.compile(
    r"(?:De (?:(?:nader\s+)?gewijzigde?\s+)?motie|Het (?:(?:nader\s+)?gewijzigde?\s+)?amendement"
    r"|Het (?:aldus\s+)?(?:gewijzigde\s+|geamendeerde\s+)?voorstel"
    r"|Dit voorstel|Deze motie|Dit amendement)\s+wordt\s+(?P<res>aangenomen|verworpen)"
    r"(?:\s+met\s+(?:(?P<unan>algemene stemmen)"
    r"|(?P<a>\d+)\s+(?:stemmen\s+)?tegen\s+(?P<b>\d+)\s+stem(?:men)?"
    r"|(?P<c>\d+)\s+stemmen\s+voor\s+en\s+(?P<d>\d+)\s+(?:stemmen\s+)?tegen))?"
    r"|(?:Aangezien\s+(?P<x>\d+)\s+leden\s+(?P<xo>voor|tegen)\s+en\s+(?P<y>\d+)\s+leden\s+"
    r"(?P<yo>voor|tegen)[^.]{0,60}?gestemd,\s+)?"
    r"(?P<staken>(?:De\s+stemmen\s+staken|staken\s+de\s+stemmen"
    # "22 stemmen voor en 22 stemmen tegen, dus ook deze motie komt terug"
    rf"|{_TIE_TALLY}))",
    re.IGNORECASE,
)
_RX_TIE_TALLY = re.compile(_TIE_TALLY, re.IGNORECASE)
# "Aangezien motie F.8 FVD is aangehouden, maakt zij geen onderdeel meer uit van de
# beraadslaging." (also "amendement O.A. PVV is ingetrokken")
_RX_HELD = re.compile(
    rf"Aangezien\s+(?:de\s+)?(?:(?:nader\s+)?gewijzigde?\s+)?(?P<kind>motie|amendement)\s+"
    rf"(?P<code>{_CODE})\.?\s+(?:(?P<party>[^,\n]{{1,30}}?)\s+)?is\s+"
    r"(?P<res>aangehouden|ingetrokken)",
    re.IGNORECASE,
)
# "- Voorstel van het college inzake … (RIS320913)." The dash may stand on its own line, the
# title run over two, and "RIS 322212" be written with a space.
_RX_AGENDA_SUBJECT = re.compile(
    r"(?m)^[ \t]*-[ \t]*\n?[ \t]*(?P<title>[^\n-][^\n]{2,200}?(?:\n[^\n]{1,200}?)?)"
    r"\s*\(RIS[ \t]?(?P<ris>\d{6})\)\.?\s*$"
)

# Other councils' vote lines.
_RX_TALLY_FOR_AGAINST = re.compile(
    r"\((?P<for>\d+)\s+stemmen\s+voor\s+en\s+(?P<against>\d+)\s+(?:stemmen\s+)?tegen\)", re.I
)
_RX_AGAINST_LIST = re.compile(
    r"Tegen\s+(?P<what>het amendement|de motie|het voorstel)\s+stemden\s+"
    r"(?:de\s+fracties?\s+van\s+)?(?P<list>[^.\n]{2,300})\.",
    re.IGNORECASE,
)
_RX_FOR_BLOCK = re.compile(
    r"(?P<option>Voor|Tegen)\s+(?:de motie|het amendement|het voorstel)\s+stemden\s*:\s*"
    r"(?P<body>.+?)(?=(?:Voor|Tegen)\s+(?:de motie|het amendement|het voorstel)\s+stemden"
    r"|\n\s*\d+\.\s|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_RX_VOOR_TEGEN_LINE = re.compile(
    r"Voor\s*:\s*(?P<for>[^\n()]{1,300}?)\s*\((?P<n_for>\d+)\)\s*[,;]?\s*"
    r"Tegen\s*:\s*(?P<against>[^\n()]{1,300}?)\s*\((?P<n_against>\d+)\)",
    re.IGNORECASE,
)
_RX_SECTION = re.compile(r"(?m)^[ \t]*(\d{1,2})\.[ \t]+(?P<title>[A-Z][^\n]{3,200})$")
_RX_SECTION_CODE = re.compile(
    r"\b(amendement|motie)\s*\((?P<code>[A-Z]{1,2}\d{1,2}\.\d{1,2})\)", re.I
)
_RX_SECTION_VERDICT = re.compile(
    r"(?:het\s+(?:amendement|voorstel)|de\s+motie)\s+(?:te\s+)?(?P<res>aanvaarden|verwerpen"
    r"|aangenomen|verworpen)",
    re.IGNORECASE,
)
_RX_AANTEKENING = re.compile(
    rf"De fractie van (?P<party>[^\n]{{2,60}}?) wordt op (?:haar|zijn) verzoek aantekening verleend"
    rf" dat zij geacht wenst te worden (?:te hebben gestemd\s+)?(?P<option>voor|tegen)\s+"
    rf"(?:te hebben gestemd\s+)?(?:voorstel|motie|amendement)\s+(?P<code>{_CODE})",
    re.IGNORECASE,
)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _party_list(text: str) -> list[str]:
    """Parties named in "de fracties van het CDA, Helder Onafhankelijk!, de PvdA en de VVD"."""
    parts = re.split(r",|\s+en\s+|;", text)
    out: list[str] = []
    for part in parts:
        name = re.sub(r"^\s*(?:de|het)\s+", "", part.strip(), flags=re.I).strip(" .:")
        name = re.sub(r"^fractie\s+", "", name, flags=re.I)
        canon = canonical_party(name)
        if canon and canon not in out:
            out.append(canon)
    return out


def _code_party(code: str) -> str | None:
    """The party a per-party code names ("VVD.3" -> VVD, "GL.1" -> GroenLinks), if any."""
    prefix = code.rsplit(".", 1)[0]
    return canonical_party(prefix) if party_pattern().fullmatch(prefix) else None


def _split_party(rest: str, code_party: str | None = None) -> tuple[str | None, str]:
    """'SP Ga de strijd aan tegen sleutelgeld' -> ('SP', 'Ga de strijd ...'). Without a
    known party first: the party the code names, and the whole rest is the title ("Motie
    GL.4 Haal de EuroGames terug naar Den Haag"); else a first word written as an
    abbreviation (a local party: "GBLT", "HvB"), not a title's first word ("De", "Haal")."""
    rest = re.sub(r"^\(ondt\)\s*", "", rest.strip())
    m = party_pattern().match(rest)
    if m:
        title = re.sub(r"^\s*\(ondt\)\s*", "", rest[m.end() :]).strip()
        return canonical_party(m.group(1)), title
    if code_party is not None:
        return code_party, rest
    head, _, tail = rest.partition(" ")
    letters = [c for c in head if c.isalpha()]
    if not tail or not letters or 2 * sum(c.isupper() for c in letters) <= len(letters):
        return None, rest
    return canonical_party(head), re.sub(r"^\(ondt\)\s*", "", tail).strip()


def _submitters(text: str) -> tuple[list[str], list[str]]:
    """Names and parties from 'Indiener: Rutger de Ridder, Haagse VVD' lines."""
    names: list[str] = []
    found_parties: list[str] = []
    for m in _RX_INDIENER.finditer(text):
        value = re.split(r"\s+(?:De raad|De Kamer)\b", m.group(1))[0]
        for part in re.split(r",|;|\s+en\s+", value):
            part = part.strip(" .")
            if not part:
                continue
            if party_pattern().fullmatch(part) or canonical_party(part) in found_parties:
                canon = canonical_party(part)
                if canon and canon not in found_parties:
                    found_parties.append(canon)
            elif re.fullmatch(r"[A-ZÀ-Þ][\w'’.-]*(?:\s+[\w'’.-]+){0,5}", part):
                names.append(part)
    return names, found_parties


def _motion_document(
    pages: Sequence[tuple[int, str]],
    kind: str,
    title: str,
    doc_date: date | None,
    parties: Sequence[str],
    outcome: str | None,
    outcome_page: int | None,
    registration_number: str | None,
) -> MotionFact | None:
    if not pages:
        return None
    number, text = pages[0]
    fact = MotionFact(
        kind=kind,
        # The outcome's page is where the vote is recorded ("aangenomen" stamped on the
        # second page): what an answer about it cites.
        page=outcome_page if outcome and outcome_page else number,
        evidence=_flat(title)[:200],
        title=re.split(r"\s+Indieners?\s*:", _RX_TITLE_PREFIX.sub("", _flat(title)))[0].strip(" :")
        or _flat(title),
        meeting_date=doc_date,
        result=outcome,
        parties=list(parties),
    )
    stamp = _RX_STAMP_CODE.search(text)
    if stamp and canonical_party(stamp.group(2)):
        fact.code = stamp.group(1)
        party = canonical_party(stamp.group(2))
        if party and party not in fact.parties:
            fact.parties.insert(0, party)
        fact.evidence = f"{stamp.group(1)} {stamp.group(2)}"
    ris = _RX_STAMP_RIS.search(text)
    if ris:
        fact.ris_number = ris.group(1)
    elif registration_number and re.fullmatch(r"RIS\d{6}", registration_number):
        fact.ris_number = registration_number[3:]
    names, named_parties = _submitters(text)
    fact.submitters = names
    for party in named_parties:
        if party not in fact.parties:
            fact.parties.append(party)
    aldus = _RX_ALDUS.search(_flat(text))
    if aldus:
        fact.result = normalise_result(aldus.group(1))
        fact.evidence = aldus.group(0)
    elif fact.result is None:
        line = _RX_OUTCOME_LINE.search(text)
        if line:
            fact.result = normalise_result(line.group(1))
            fact.evidence = line.group(0).strip()
    return fact


def _decision_rows(
    pages: Sequence[tuple[int, str]], doc_date: date | None, *, strict: bool
) -> list[MotionFact]:
    """Rows of a decision list; ``strict`` (minutes): only headings that name a known party
    and a title, not "Motie K.8 van Hart voor Den Haag, …" in running speech."""
    facts: list[MotionFact] = []
    section, subject = "", ""  # the agenda section last seen (it may go on on the next page)
    for number, text in pages:
        lines = [ln.strip(" |") for ln in re.split(r"\n|\|", text)]
        lines = [ln for ln in lines if ln.strip()]
        for i, line in enumerate(lines):
            if _RX_SECTION_LETTER.match(line):
                following = _section_subject(lines[i + 1 : i + 7])
                if following:
                    section, subject = line, following
                continue
            m = _RX_ROW.match(line)
            if not m:
                continue
            code = m.group("code")
            code_party = _code_party(code)
            if code_party is None and not re.fullmatch(_CODE, code):
                continue  # "Motie Art.3 …": no party's code
            party, title = _split_party(m.group("rest"), code_party)
            title = re.split(r"\s+De raad van de\b", title)[0].strip()
            if strict and (
                not party_pattern().match(m.group("rest").lstrip("("))
                or not re.match(r"[A-ZÀ-Þ‘'\"(]", title)
            ):
                continue
            ris = m.group("ris")
            if ris is None and i > 0 and re.fullmatch(r"\d{6}", lines[i - 1]):
                ris = lines[i - 1]
            result = normalise_result(m.group("res"))
            if result is None and i + 1 < len(lines) and _RX_RESULT_ONLY.match(lines[i + 1]):
                result = normalise_result(lines[i + 1])
            pre = (m.group("pre") or "").lower()
            if "aangehouden" in pre:
                result = "aangehouden"
            elif "ingetrokken" in pre:
                result = "ingetrokken"
            # A letter-numbered motion belongs to its letter's section; one numbered per
            # party ("VVD.3") to the section it stands in.
            at_section = code.split(".")[0] == section.split(".")[0] or code_party is not None
            facts.append(
                MotionFact(
                    kind=m.group("kind").lower(),
                    page=number,
                    evidence=line[:240],
                    code=code,
                    title=title,
                    ris_number=ris,
                    result=result,
                    parties=[party] if party else [],
                    meeting_date=doc_date,
                    agenda_subject=subject if at_section else "",
                )
            )
    return facts


def _section_subject(lines: Sequence[str]) -> str:
    """The subject of an agenda section from the lines after its letter: the first, with
    what continues it (a subject runs over two lines, or table rows), up to its "(RIS…)"
    number, a registration number or a motion row; "" when the letter opens no subject."""
    parts: list[str] = []
    for line in lines:
        if re.fullmatch(r"-{3,}", line):
            continue  # a table's header rule
        if (
            _RX_ROW.match(line)
            or _RX_RESULT_ONLY.match(line)
            or _RX_SECTION_LETTER.match(line)
            or re.fullmatch(r"\d{6}|[-\s]+", line)
            # A subject goes on in lower case or with a number ("gemeente Den Haag
            # (RIS320934)", "2026 (RIS…)"); "Geen moties ingediend, …" is a remark.
            or (parts and not re.match(r"[a-zà-ÿ0-9(]", line))
        ):
            break
        parts.append(line)
        if "(RIS" in line:
            break
    subject = _RX_SUBJECT_TAIL.sub(" ", " ".join(parts)).strip()
    return " ".join(subject.split()) if re.match(r"[A-ZÀ-Þ]\w", subject) else ""


def _joined(pages: Sequence[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """All pages as one text (a vote may be announced at the foot of a page and decided at
    the top of the next) with (start offset, page number) per page."""
    parts, starts, offset = [], [], 0
    for number, text in pages:
        starts.append((offset, number))
        parts.append(text)
        offset += len(text) + 2
    return "\n\n".join(parts), starts


def _page_at(starts: list[tuple[int, int]], offset: int) -> int:
    number = starts[0][1] if starts else 1
    for start, page in starts:
        if start > offset:
            break
        number = page
    return number


# The minutes' agenda on their first pages: "F. Voorstel van het college inzake
# Voorjaarsnota 2025 (RIS322212)", "W. Aanstaand betaald parkeren in Morgenstond".
_RX_AGENDA_ITEM = re.compile(
    r"(?m)^[ \t]*(?P<letter>[A-Z]{1,2})\.[ \t]+(?P<title>[A-Z][^\n]{2,200})$"
)
_RX_AGENDA_TAIL = re.compile(r"\s*\((?:RIS\s?\d{6}|agendapunt\b)[^\n]*$", re.IGNORECASE)
_AGENDA_PAGES = 3
_AGENDA_LETTERS = [*ascii_uppercase, *(f"A{letter}" for letter in ascii_uppercase)]
_MIN_AGENDA_ITEMS = 3


def _agenda_items(pages: Sequence[tuple[int, str]]) -> dict[str, str]:
    """The minutes' agenda, letter -> subject, from its first pages: a motion numbered
    "F.3" was submitted at item F (the votes record no more than its number). Only items
    lettered A, B, C … in order make an agenda ("J. Jansen" in a list of those present
    does not)."""
    items: dict[str, str] = {}
    letters = iter(_AGENDA_LETTERS)
    expected = next(letters)
    for _, text in pages[:_AGENDA_PAGES]:
        for m in _RX_AGENDA_ITEM.finditer(text):
            if m.group("letter") != expected:
                continue
            items[expected] = _RX_AGENDA_TAIL.sub("", m.group("title")).strip()
            expected = next(letters, "")
    return items if len(items) >= _MIN_AGENDA_ITEMS else {}


def _votes_in_minutes(pages: Sequence[tuple[int, str]], doc_date: date | None) -> list[MotionFact]:
    facts: list[MotionFact] = []
    text, starts = _joined(pages)
    for m in _RX_IN_STEMMING.finditer(text):
        window = text[m.end() : m.end() + 600]
        nxt = _RX_IN_STEMMING.search(window)
        if nxt:
            window = window[: nxt.start()]
        verdict = _RX_VERDICT.search(window)
        what = m.group("what")
        code = m.group("code")
        fact = MotionFact(
            kind="amendement"
            if "amendement" in what.lower()
            else ("motie" if code else "voorstel"),
            page=_page_at(starts, m.start()),
            evidence=_flat(m.group(0) + " " + (window[: verdict.end()] if verdict else "")),
            code=code,
            meeting_date=doc_date,
        )
        if m.group("party"):
            party = canonical_party(m.group("party"))
            fact.parties = [party] if party else []
        if code is None:  # the proposal of the agenda subject announced above
            subjects = list(_RX_AGENDA_SUBJECT.finditer(text, max(0, m.start() - 3000), m.start()))
            if subjects:
                fact.title = _flat(subjects[-1].group("title")).strip()
                fact.ris_number = subjects[-1].group("ris")
        if verdict:
            if verdict.group("staken"):
                fact.result = "staken"
                counts = {
                    verdict.group("xo"): verdict.group("x"),
                    verdict.group("yo"): verdict.group("y"),
                }
                if counts.get("voor") and counts.get("tegen"):
                    fact.votes_for, fact.votes_against = int(counts["voor"]), int(counts["tegen"])
                elif tie := _RX_TIE_TALLY.search(window):
                    fact.votes_for = fact.votes_against = int(tie.group("tie"))
            else:
                fact.result = normalise_result(verdict.group("res"))
                fact.unanimous = bool(verdict.group("unan"))
                a = verdict.group("a") or verdict.group("c")
                b = verdict.group("b") or verdict.group("d")
                if a and b:
                    fact.votes_for, fact.votes_against = int(a), int(b)
        facts.append(fact)
    for m in _RX_HELD.finditer(text):
        party = canonical_party(m.group("party") or "")
        facts.append(
            MotionFact(
                kind=m.group("kind").lower(),
                page=_page_at(starts, m.start()),
                evidence=_flat(m.group(0)),
                code=m.group("code"),
                parties=[party] if party else [],
                result=m.group("res").lower(),
                meeting_date=doc_date,
            )
        )
    for number, page_text in pages:
        for m in _RX_AANTEKENING.finditer(_flat(page_text)):
            party = canonical_party(m.group("party"))
            facts.append(
                MotionFact(
                    kind="voorstel",
                    page=number,
                    evidence=m.group(0),
                    code=m.group("code"),
                    meeting_date=doc_date,
                    votes=[VoteRecord(m.group("option").lower(), party)],
                )
            )
    return facts


def _member_votes(body: str, option: str) -> list[VoteRecord]:
    """'Stadspartij Den Helder: de dames Pater en Vorstman en de heren Assorgia, ...;' ->
    one record per party (members are kept as the written list)."""
    votes = []
    for entry in re.split(r";\s*|\n", body):
        party, sep, members = entry.partition(":")
        if not sep:
            continue
        canon = canonical_party(party)
        if canon:
            votes.append(VoteRecord(option, canon, _flat(members).strip(" .") or None))
    return votes


def _council_sections(pages: Sequence[tuple[int, str]], doc_date: date | None) -> list[MotionFact]:
    """Agenda-numbered decision lists (Den Helder style) and "Voor: … (27) Tegen: … (18)"."""
    facts: list[MotionFact] = []
    for number, text in pages:
        sections: list[re.Match[str] | None] = list(_RX_SECTION.finditer(text)) or [None]
        starts = [m.start() if m else 0 for m in sections] + [len(text)]
        for i, head in enumerate(sections):
            start, end = starts[i], starts[i + 1]
            body = text[start:end]
            against = list(_RX_AGAINST_LIST.finditer(body))
            blocks = list(_RX_FOR_BLOCK.finditer(body))
            tally = _RX_TALLY_FOR_AGAINST.search(body)
            line = _RX_VOOR_TEGEN_LINE.search(body)
            if not (against or blocks or tally or line):
                continue
            title = head.group("title").strip() if head else ""
            code_m = _RX_SECTION_CODE.search(body)
            kind = "voorstel"
            evidence = ""
            if against:
                kind = {"het amendement": "amendement", "de motie": "motie"}.get(
                    against[0].group("what").lower(), "voorstel"
                )
                evidence = against[0].group(0)
            elif re.match(r"motie\b", title, re.I) or (
                blocks and "motie" in blocks[0].group(0).lower()
            ):
                kind = "motie"
            fact = MotionFact(
                kind=kind,
                page=number,
                evidence=evidence,
                code=code_m.group("code") if code_m and kind == "amendement" else None,
                title=title,
                meeting_date=doc_date,
            )
            verdict = _RX_SECTION_VERDICT.search(body)
            if verdict:
                fact.result = normalise_result(verdict.group("res"))
            elif re.search(r"De raad besluit (?:in meerderheid|unaniem|bij acclamatie)", body):
                fact.result = "aangenomen"
            for m in against:
                fact.votes += [VoteRecord("tegen", p) for p in _party_list(m.group("list"))]
            for m in blocks:
                fact.votes += _member_votes(m.group("body"), m.group("option").lower())
                fact.evidence = fact.evidence or _flat(m.group(0))[:240]
            if tally:
                fact.votes_for, fact.votes_against = (
                    int(tally.group("for")),
                    int(tally.group("against")),
                )
                fact.evidence = fact.evidence or tally.group(0)
            if line:
                fact.votes += [VoteRecord("voor", p) for p in _party_list(line.group("for"))]
                fact.votes += [VoteRecord("tegen", p) for p in _party_list(line.group("against"))]
                fact.votes_for = int(line.group("n_for"))
                fact.votes_against = int(line.group("n_against"))
                fact.evidence = _flat(line.group(0))
                if fact.result is None:
                    fact.result = (
                        "aangenomen" if fact.votes_for > fact.votes_against else "verworpen"
                    )
            fact.evidence = fact.evidence or title
            facts.append(fact)
    return facts


def extract_motions(
    pages: Sequence[tuple[int, str]],
    *,
    kind: str,
    title: str = "",
    doc_date: date | None = None,
    parties: Sequence[str] = (),
    outcome: str | None = None,
    outcome_page: int | None = None,
    registration_number: str | None = None,
) -> list[MotionFact]:
    """The motions and votes recorded in a document of ``kind`` (pages: (number, text));
    ``outcome``: the one its metadata found, on ``outcome_page``."""
    if kind in ("motie", "amendement"):
        own = _motion_document(
            pages, kind, title, doc_date, parties, outcome, outcome_page, registration_number
        )
        return [own] if own else []
    facts: list[MotionFact] = []
    if kind in ("besluitenlijst", "notulen"):
        facts += _decision_rows(pages, doc_date, strict=kind == "notulen")
    if kind == "notulen":
        facts += _votes_in_minutes(pages, doc_date)
    if kind in ("besluitenlijst", "notulen"):
        facts += _council_sections(pages, doc_date)
    if kind == "notulen":
        agenda = _agenda_items(pages)
        for fact in facts:
            if fact.code and not fact.agenda_subject:
                fact.agenda_subject = agenda.get(fact.code.split(".")[0], "")
    return facts
