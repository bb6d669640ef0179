"""Facts from metadata: questions about a motion's or amendment's submitters (parties) and
outcome, a document's date or its organisation are answered from the fields
``metadata.py`` extracted, each cited to the page where the field was found (stored per
field in the catalog, ``DocumentRecord.field_pages``). When the period for bezwaar or
beroep against a decision ends is computed from the decision's date (``termijnen``), and
said to be computed.

Entry point: ``FactFinder.find(question, question_type, hits, weights)``. One rule per
field (``_RULES``). Who signed a letter or decision comes from its signature block
(``find_signatures``), read from the document's passages when asked; who lodged an
objection from the sentence of a decision that tells it (``objector_sentences``); who
proposes a council proposal from its opening line. Votes ("Hoe stemde
de VVD over ...?", "Met welke stemverhouding ...?") come from the council records instead
(``asks_vote``, ``vote_value``, ``locate_vote``): the outcome, tally or party positions of
the best matching motion, quoted from the page where the vote is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from .chunk import page_blocks
from .dates import MONTH_NAMES, dutch_date, find_dates
from .grounding import coverage, split_sentences, terms
from .index.catalog import ChunkRecord, DocumentRecord
from .metadata import find_parties
from .places import places_named, without_places
from .retrieve import SearchHit, page_at
from .spans import NAMED_GROUND, asks_person_role, find_spans
from .termijnen import awb_termijn
from .wordlists import canonical_party

if TYPE_CHECKING:
    from .bezwaar import DateFinding
    from .index.council import VoteEvidence, VoteFact
    from .outline import TextUnit

__all__ = [
    "Fact",
    "FactFinder",
    "MotionList",
    "Recorded",
    "asks_objector",
    "asks_requester",
    "asks_signer",
    "asks_submitter",
    "asks_vote",
    "find_signatures",
    "locate_submitter",
    "locate_text",
    "locate_vote",
    "motion_item",
    "motion_list",
    "objector_sentences",
    "sentence_around",
    "submitter_value",
    "titled",
    "vote_value",
]

_I = re.IGNORECASE
_MOTION_KINDS = ("motie", "amendement")
_ABOUT_MOTION = re.compile(r"\b(?:motie|moties|amendement|amendementen)\b", _I)
_SUBMITTED = re.compile(r"\b(?:diende|dienden|ingediend|indiener|indieners|stelde voor|wil)\b", _I)
# A document, as a question names it: "de brief", "het Wob-besluit", "deze beschikking".
_DOCUMENT_NOUN = (
    r"[\w-]*(?:brief|besluit|beslissing|beschikking|document|stuk|motie|amendement|"
    r"voorstel|verslag|notulen|besluitenlijst|nota|advies|rapport|mail|bezwaarschrift)\b"
)
# "Wanneer is het besluit genomen?", "Van welke datum is de brief?". The date of an act
# inside a document ("Op welke datum heeft de griffier het raadsbesluit ondertekend?")
# is not the document's date: the quoted sentence answers that.
_DOCUMENT_DATE = re.compile(
    rf"\b(?:van wanneer|welke datum) (?:is|heeft|draagt) (?:het|de|dit|deze) {_DOCUMENT_NOUN}|"
    rf"\bwat (?:is|was) de (?:datum|dagtekening) van (?:het|de|dit|deze) {_DOCUMENT_NOUN}|"
    r"\bwanneer (?:is|werd) (?:het|de|dit|deze) \w+ (?:genomen|verzonden|verstuurd|"
    r"ondertekend|vastgesteld|ingediend|gedateerd)\b|\bgedateerd\b|"
    # "Wanneer is de motie van afkeuring van CU-SGP ingediend?": a motion or letter named
    # by more words than one (an objection's filing date is read from its decision).
    r"\bwanneer (?:is|werd) (?:het|de|dit|deze) [\w-]*(?:motie|amendement|brief|voorstel)\b"
    r"[^?]*\b(?:ingediend|verzonden|verstuurd|ondertekend|gedateerd)\b|"
    # "Wanneer is de beslissing op bezwaar over het ABDUP-overleg genomen?"; the decision
    # an objection contests ("… genomen waartegen bezwaar is gemaakt?") is another's.
    r"\bwanneer (?![^?]*\b(?:waartegen|bestreden|primaire?|oorspronkelijke?)\b)"
    r"(?:is|werd) (?:het|de|dit|deze) [\w-]*(?:besluit|beslissing|beschikking|brief)\b"
    r"[^?]*\b(?:genomen|verzonden|verstuurd|ondertekend|vastgesteld)\b",
    _I,
)
# "Welke gemeente stuurde ...", "Van welke organisatie komt de brief?"
_ORGANISATION = re.compile(
    r"\b(?:welke|van welke) (?:gemeente|provincie|organisatie|instantie|ministerie|"
    r"overheid|bestuursorgaan) (?:stuurde|schreef|verstuurde|nam|kwam|komt|is|besloot)\b",
    _I,
)
# "Wanneer eindigt de beroepstermijn …?", "Tot wanneer kan bezwaar worden gemaakt tegen …?"
_ASKS_DEADLINE = re.compile(
    r"\b(?:bezwaar|beroeps?|bezwaarschrift)termijn\b[^?]*\b(?:eindig|verloop|verstrijk|afloop|"
    r"loopt\s+af|loopt\s+tot)|\b(?:wanneer|welke\s+datum)\b[^?]*\b(?:bezwaar|beroeps?)termijn\b|"
    # The act of objecting or appealing: "tot wanneer moest op het bezwaar worden beslist?"
    # asks for the decision period.
    r"\b(?:tot\s+wanneer|uiterlijk\s+wanneer|tot\s+welke\s+datum)\b[^?]*\b(?:bezwaar|beroep)\s+"
    r"(?:\w+\s+){0,2}?(?:maken|instellen|indienen|aantekenen|gemaakt|ingesteld|ingediend|"
    r"aangetekend)\b",
    _I,
)
_DECISION_KINDS = ("besluit", "beslissing_op_bezwaar", "woo_besluit")
_PAGE_CHUNKS = Callable[[str], list[ChunkRecord]]


@dataclass(slots=True)
class Fact:
    # "parties" | "outcome" | "date" | "deadline" | "organisation" | "signer" | "timeliness"
    # | "objection_outcome" | "remedy_period" | "objector" | "woo_grounds" | "vote"
    # | "follow_up" | "motion" | "decision" | "document" | "letterhead" | "attendance"
    # | "stamp" | "request" | "debate" | "timeline"
    field: str
    value: str  # as shown
    kind: str  # answer type (spans.ANSWER_TYPES key, or "organisatie")
    source: int  # index of the hit of that document
    page: int  # where the field was found
    chunk: ChunkRecord  # the chunk holding the quoted sentence on that page
    offset: int  # of the sentence in the chunk text
    sentence: str  # the sentence on the field's page that shows the value
    listed: int = 0  # a list's item ("motion", "decision"): how many the list holds in all


class FactFinder:
    """Answers from document fields; ``document_chunks`` reads a document's chunks in
    order (to quote the field's page when no retrieved passage covers it, and to find its
    signature block)."""

    def __init__(
        self,
        document_chunks: _PAGE_CHUNKS,
        *,
        min_coverage: float,
        protect: Callable[[ChunkRecord], ChunkRecord] | None = None,
    ) -> None:
        """``protect``: the pseudonymised copy of a chunk. A private hit's passage is
        pseudonymised (``privacy.protect_hits``); the other pages of its document read
        here must be too, and without ``protect`` they are not read."""
        self._document_chunks = document_chunks
        self._min_coverage = min_coverage
        self._protect = protect

    def _chunks(
        self, hit: SearchHit, wanted: Callable[[ChunkRecord], bool]
    ) -> Iterator[ChunkRecord]:
        """The chunks of ``hit``'s document that ``wanted`` picks (read as stored), in the
        document's order; pseudonymised when the hit is."""
        if hit.private and self._protect is None:
            return
        for chunk in self._document_chunks(hit.doc_id):
            if wanted(chunk):
                yield self._protect(chunk) if hit.private and self._protect else chunk

    def find(
        self,
        question: str,
        question_type: str | None,
        hits: Sequence[SearchHit],
        weights: Mapping[str, float],
    ) -> Fact | None:
        for name, kind, wanted in _RULES:
            if not wanted(question, question_type):
                continue
            for index, hit in enumerate(hits[:3]):
                document = hit.document
                value = _value(document, name)  # None for what is read when asked
                if name not in _READ_WHEN_ASKED and (not value or (name in ("parties", "outcome")
                                          and document.kind not in _MOTION_KINDS)):  # fmt: skip
                    continue
                if (
                    name in ("timeliness", "objector", "objection_date")
                    and document.kind not in _OBJECTION_KINDS
                ):
                    continue
                if name == "requester" and document.kind not in _REQUEST_KINDS:
                    continue
                if name == "objection_outcome" and document.kind != "beslissing_op_bezwaar":
                    continue
                if name == "remedy_period" and document.kind not in _DECISION_KINDS:
                    continue
                if name == "woo_grounds" and document.kind != "woo_besluit":
                    continue
                if name == "stamp" and not names_proposal(question, document, weights):
                    continue
                if name == "debate" and document.kind != "notulen":
                    continue
                if name == "proposer" and document.kind != "raadsvoorstel":
                    continue
                text = f"{document.title}\n{hit.chunk.heading}\n{hit.chunk.text}"
                if coverage(question, text, weights) < self._min_coverage:
                    continue
                if name == "signer":
                    fact = self._signer(hit, index)
                elif name == "timeliness":
                    fact = self._timeliness(hit, index)
                elif name == "objection_date":
                    fact = self._objection_date(hit, index, question)
                elif name == "objection_outcome":
                    fact = self._objection_outcome(hit, index)
                elif name == "remedy_period":
                    fact = self._remedy_period(hit, index, asked_remedy(question) or "beroep")
                elif name in ("objector", "requester"):
                    fact = self._objector(hit, index, _LODGED if name == "objector" else _REQUESTED)
                elif name == "woo_grounds":
                    fact = self._woo_grounds(hit, index, question, weights)
                elif name == "letterhead":
                    fact = self._letterhead(hit, index, question)
                elif name == "proposer":
                    fact = self._proposer(hit, index)
                elif name == "debate":
                    fact = self._debated(hit, index, question, weights)
                elif name == "stamp":
                    stamp = decision_stamp(list(self._chunks(hit, lambda c: True)))
                    fact = None if stamp is None else replace(
                        stamp.fact("stamp", *stamp.answer(question)), source=index
                    )  # fmt: skip
                else:
                    fact = self._locate(hit, index, name, kind, value or "")
                if fact is not None and name == "parties" and asks_person_role(question):
                    # "Welk raadslid diende … in?": the submitter's line names them.
                    names = find_spans("persoon", fact.sentence, question)
                    fact = replace(fact, value=names[0].text, kind="persoon") if names else None
                if fact is not None:
                    return fact
                if name in _ONE_DOCUMENT:
                    break  # another decision's grounds or parties do not answer for this one
        return None

    def _locate(self, hit: SearchHit, index: int, field: str, kind: str, value: str) -> Fact | None:
        """The sentence showing ``value`` on the page where the field was found."""
        located = "date" if field == "deadline" else field  # a deadline is shown by its start
        page = hit.document.field_pages.get(located)
        if page is None:
            return None
        chunks = [hit.chunk] if page in hit.chunk.pages else []
        chunks += self._chunks(hit, lambda c: page in c.pages and c.chunk_id != hit.chunk_id)
        found = [
            (chunk, offset, sentence)
            for chunk in chunks
            for offset, sentence in _sentences_showing(chunk, page, located, hit.document)
        ]
        if field == "parties":
            # The submitter's line names the submitting party; co-signers' parties follow
            # in the signatures.
            found = [f for f in found if _SUBMITTER_LINE.search(f[2])] or found
        if not found:
            return None
        chunk, offset, sentence = found[0]
        if field == "parties":
            named = {name for _, _, name in find_parties(sentence)}
            value = ", ".join(p for p in hit.document.parties if p in named) or value
        return Fact(field, value, kind, index, page, chunk, offset, sentence)

    def _timeliness(self, hit: SearchHit, index: int) -> Fact | None:
        """Whether the objection was made in time, computed (Awb 6:7-6:9, Algemene
        termijnenwet) from the dates the document gives for the contested decision and the
        objection, quoted where the objection's date stands."""
        from .bezwaar import extract_intake  # its rules only, no model

        chunks = list(self._chunks(hit, lambda chunk: True))
        intake = extract_intake(hit.file, page_blocks(chunks))
        termijn = intake.termijn
        used = termijn.gebruikt.get("ontvangst bezwaarschrift") or termijn.gebruikt.get(
            "dagtekening bezwaarschrift"
        )
        if termijn.oordeel == "onbekend" or used is None:
            return None
        located = _intake_sentence(chunks, used)
        if located is None:
            return None
        chunk, offset, sentence = located
        # The intake's other notes (grounds, a pro-forma objection) are not about the period.
        notes = [note for note in intake.opmerkingen if _ABOUT_DATES.search(note)]
        value = f"{termijn.oordeel} (berekend: {' '.join([*termijn.toelichting, *notes])})"
        return Fact("timeliness", value, "termijn", index, used.page, chunk, offset, sentence)

    def _objection_date(self, hit: SearchHit, index: int, question: str) -> Fact | None:
        """When the objection was made (the date of the objector's letter) or, asked so,
        received, as the decision on it states them (``bezwaar.extract_intake``); the other
        when the asked one is not stated, and only from a sentence about the objection
        (a letter's own date line is no date of the objection)."""
        from .bezwaar import extract_intake  # its rules only, no model

        chunks = list(self._chunks(hit, lambda chunk: True))
        used = extract_intake(hit.file, page_blocks(chunks)).termijn.gebruikt
        roles = ["dagtekening bezwaarschrift", "ontvangst bezwaarschrift"]
        if _RECEIVED.search(question):
            roles.reverse()
        for role in roles:
            finding = used.get(role)
            if finding is None or not _OBJECTION.search(finding.quote):
                continue
            located = _intake_sentence(chunks, finding)
            if located is not None:
                chunk, offset, sentence = located
                value = dutch_date(finding.date)
                return Fact("objection_date", value, "datum", index, finding.page, chunk, offset,
                            sentence)  # fmt: skip
        return None

    def _debated(
        self, hit: SearchHit, index: int, question: str, weights: Mapping[str, float]
    ) -> Fact | None:
        """The day of the meeting whose minutes ``hit`` is from, quoting the sentence of the
        passage's page that holds most of the question's words."""
        sentences = _sentences_on(hit.chunk, hit.page, lambda _: True)
        if not sentences or hit.document.date is None:
            return None
        offset, sentence = max(sentences, key=lambda s: coverage(question, s[1], weights))
        day = dutch_date(hit.document.date)
        return Fact("debate", day, "datum", index, hit.page, hit.chunk, offset, sentence)

    def _objection_outcome(self, hit: SearchHit, index: int) -> Fact | None:
        """How a decision on an objection decided it, from the sentences that declare the
        objection (un)founded ("Ik verklaar uw bezwaar gedeeltelijk gegrond", "… ongegrond
        te verklaren"); quoted from the first of them. A decision that declares parts of it
        founded and others not is "gedeeltelijk gegrond"."""
        declared: list[tuple[ChunkRecord, int, str, str]] = []
        for chunk in self._chunks(hit, lambda c: bool(_DECLARES.search(" ".join(c.text.split())))):
            for page in chunk.pages:
                sentences = _sentences_on(chunk, page, lambda _: True)
                for (offset, sentence), following in zip(
                    sentences, [*sentences[1:], None], strict=True
                ):
                    if (
                        following is not None
                        and _GOES_ON.search(sentence)
                        and following[1][:1].islower()
                    ):
                        # "… ongegrond" / "te verklaren.": a PDF broke the sentence in two.
                        sentence = chunk.text[offset : following[0] + len(following[1])]
                    outcome = _DECLARES.search(" ".join(sentence.split()))
                    if outcome is not None and not _ADVISES.search(sentence):
                        declared.append((chunk, offset, sentence, _outcome_word(outcome)))
        if not declared:
            return None
        chunk, offset, sentence, value = declared[0]
        if {"gegrond", "ongegrond"} <= {outcome for *_, outcome in declared}:
            value = "gedeeltelijk gegrond"  # founded in part, unfounded in another
        page = page_at(chunk, offset)
        return Fact("objection_outcome", value, "uitkomst", index, page, chunk, offset, sentence)

    def _remedy_period(self, hit: SearchHit, index: int, remedy: str) -> Fact | None:
        """The period the decision's remedy clause gives for ``remedy`` ("beroep",
        "bezwaar"), wherever in the document it stands (mostly its last page, which the
        search rarely finds for the question's words)."""
        for chunk in self._chunks(hit, lambda c: remedy in c.text.lower()):
            for start, end, period in remedy_clauses(chunk.text, remedy):
                page = page_at(chunk, start)
                return Fact("remedy_period", period, "termijn", index, page, chunk, start,
                            chunk.text[start:end])  # fmt: skip
        return None

    def _objector(self, hit: SearchHit, index: int, act: re.Pattern[str]) -> Fact | None:
        """Who lodged the objection a decision decides on (or made the Woo request, by
        ``act``), from the sentence that tells it; a role the decision defines ("de
        bewoner van [adres] (hierna: aanvrager)") is given with its definition."""
        chunks = list(self._chunks(hit, lambda c: bool(act.search(c.text))))
        found = [(chunk, *s) for chunk in chunks for s in objector_sentences(chunk.text, act)]
        if not found:
            return None
        named = [f for f in found if _NAMED_OBJECTOR.fullmatch(f[3])]
        chunk, start, end, who = (named or found)[0]
        role = who.split()[-1]
        for text in (c.text for c in self._chunks(hit, lambda c: "hierna:" in c.text)):
            defined = re.search(
                rf"\b((?:de|het|een)\s+(?:\S+\s+){{0,4}}?\S+)\s*\(hierna:\s*(?:de\s+)?"
                rf"{re.escape(role)}\)",
                " ".join(text.split()),
                _I,
            )
            if defined and defined.group(1).lower() != who.lower():
                who = f"{who} ({defined.group(1)})"
                break
        page = page_at(chunk, start)
        field = "requester" if act is _REQUESTED else "objector"
        return Fact(field, who, "persoon", index, page, chunk, start, chunk.text[start:end])

    def _woo_grounds(
        self, hit: SearchHit, index: int, question: str, weights: Mapping[str, float]
    ) -> Fact | None:
        """The grounds a Woo or Wob decision refused information on: the interests its
        own sentences name ("persoonlijke levenssfeer"), each with the refusing article
        beside it, else those articles; not the legal framework ("… met inachtneming van
        de artikelen 10 en 11") nor the law it appends. Quoted from the first sentence
        that names one; "geen" from the sentence that says none applies."""
        from .outline import body_units

        chunks = list(self._chunks(hit, lambda chunk: True))
        if not _asks_all_grounds(question, weights, hit.document, chunks):
            return None  # the ground of one passage: the sentence about it answers
        units = body_units(page_blocks(chunks))
        grounds: list[str] = []
        quoted: TextUnit | None = None
        articled: list[tuple[TextUnit, str]] = []
        cited: set[str] = set()  # one ground per article: "… met internationale organisaties"
        for unit in units:
            if _FRAMEWORK.search(unit.text):
                continue
            spans = find_spans("grond", unit.text, question)
            # A ground this decision applies stands with the article that refuses on it
            # ("Eerbiediging persoonlijke levenssfeer (artikel 10, tweede lid, onder e, van
            # de Wob)"); the request and the law's own list name grounds without one.
            articles = [s for s in spans if _REFUSING_ARTICLE.search(s.text)]
            if not articles:
                continue
            named = [s for s in spans if not _ARTICLE_WORD.match(s.text)]
            for span in named:
                after = next((a for a in articles if a.start > span.end), articles[0])
                if not any(_same_ground(span.text, known) for known in grounds) and (
                    _article_key(after.text) not in cited
                ):
                    grounds.append(f"{span.text} ({after.text})")
                    cited.add(_article_key(after.text))
            if named and quoted is None:
                quoted = unit
            articled += [(unit, a.text) for a in articles]
        if not grounds and articled:
            # Only articles ("op grond van artikel 5.1, tweede lid, onder e, van de Woo").
            quoted = articled[0][0]
            grounds = list(dict.fromkeys(text for _, text in articled))
        value = "; ".join(grounds)
        if quoted is None and not any(NAMED_GROUND.search(u.text) for u in units):
            # No ground named anywhere but the law: "geen", where the decision says so.
            quoted = next((u for u in units if _NONE_REFUSED.search(u.text)), None)
            value = "geen"
        located = locate_text(chunks, quoted.page, quoted.text) if quoted else None
        if located is None:
            return None
        chunk, start, end = located
        return Fact("woo_grounds", value, "grond", index, page_at(chunk, start), chunk, start,
                    chunk.text[start:end])  # fmt: skip

    def _letterhead(self, hit: SearchHit, index: int, question: str) -> Fact | None:
        """The value of the letterhead field ``question`` asks for ("Wie is de
        contactpersoon …?", "Wat is het kenmerk …?"): the line after the field's label on
        the document's first pages ("Ons kenmerk\nDSO/10880335")."""
        asked = _ASKS_LETTERHEAD.search(question)
        if asked is None:
            return None
        label = asked.group("label").lower()
        pattern = _LETTERHEAD_FIELDS[_LETTERHEAD_LABELS.get(label, label)]
        for chunk in self._chunks(hit, lambda c: min(c.pages) <= 2):
            for found in pattern.finditer(chunk.text):
                value = " ".join(found.group("value").split())
                # The next label may share the value's line ("… @amsterdam.nl Bijlage …").
                value = _NEXT_LABEL.split(value, 1)[0].rstrip(" ,;")
                if value and not _IS_LABEL.match(value):
                    kind = "persoon" if label in ("contactpersoon", "behandeld door") else "kenmerk"
                    page = page_at(chunk, found.start())
                    return Fact("letterhead", value, kind, index, page, chunk, found.start(),
                                chunk.text[found.start() : found.end()])  # fmt: skip
        return None

    def _proposer(self, hit: SearchHit, index: int) -> Fact | None:
        """Who proposes a council proposal, as its opening line says ("Voorstel van het
        college inzake …", "Voorstel van het presidium inzake …")."""
        for chunk in self._chunks(hit, lambda c: min(c.pages) <= 2):
            found = _PROPOSED_BY.search(chunk.text)
            if found is not None:
                who = " ".join(found.group("who").lower().split())
                return Fact("proposer", who, "persoon", index, page_at(chunk, found.start()),
                            chunk, found.start(), found.group())  # fmt: skip
        return None

    def _signer(self, hit: SearchHit, index: int) -> Fact | None:
        """The first signature block of the document (a letter's or decision's own; its
        appendices come after it)."""
        # Only a chunk with a signature block is pseudonymised (deduce reads the text).
        for chunk in self._chunks(hit, lambda c: bool(find_signatures(c.text))):
            for start, end, name in find_signatures(chunk.text):
                page = page_at(chunk, start)
                return Fact("signer", name, "persoon", index, page, chunk, start,
                            chunk.text[start:end])  # fmt: skip
        return None


# "Wie heeft de regeling … voorgesteld te wijzigen?", "Wie stelt de Voorjaarsnota voor?",
# "Van wie komt het voorstel over …?": who proposes a council proposal.
_ASKS_PROPOSER = re.compile(
    # Not "Wie is verantwoordelijk voor …?": "voor" only with "stellen".
    r"^\s*(?:en\s+)?(?:door\s+)?wie\s+(?:(?:heeft|hebben|is|werd)\b[^?]*\bvoorgesteld|"
    r"(?:stelt|stelde|stellen|stelden)\b[^?]*\bvoor)\b|"
    r"\bvan wie (?:is|komt|kwam) (?:het|dit) (?:raads)?voorstel\b",
    _I,
)
# A council proposal's opening line: "Voorstel van het college inzake …", "Gewijzigd en
# geamendeerd voorstel van het presidium inzake …".
_PROPOSED_BY = re.compile(
    r"^[ \t]*(?:(?:gewijzigd|geamendeerd)\s+(?:en\s+(?:gewijzigd|geamendeerd)\s+)?)?"
    r"voorstel\s+van\s+(?P<who>(?:het|de)\s+(?:college|presidium|burgemeester|"
    r"agendacommissie|werkgeverscommissie|auditcommissie))\b[^\n]*",  # to the line's end
    _I | re.M,
)
_ARTICLE_WORD = re.compile(r"artikel|\d", _I)
# "Ingevolge artikel 3, vijfde lid, van de Wob, wordt een verzoek … ingewilligd met
# inachtneming van het bepaalde in de artikelen 10 en 11": the law, not this decision.
_FRAMEWORK = re.compile(r"\bartikel\s+3\b|\binachtneming\b", _I)
# "Voor deze documenten gelden geen uitzonderingsgronden", "De gevonden documenten zijn
# reeds openbaar."
_NONE_REFUSED = re.compile(
    r"\bgeen\s+(?:uitzonderings|weigerings)gronden\b|\breeds\s+openbaar\b|"
    r"\b(?:volledig|geheel)\s+openbaar\b",
    _I,
)
_REFUSING_ARTICLE = re.compile(
    r"\bartikel\s+(?:5\.[12]|10|11)\b.*\b(?:lid|onder|sub)\b|^(?:5\.[12]|1[01]\.[12])\.?\s?[a-i]?$",
    _I,
)


# The words of a question for a decision's grounds that do not say which passage.
_GROUND_TERMS = terms(
    "grond gronden weigeringsgrond weigeringsgronden uitzonderingsgrond uitzonderingsgronden "
    "wob woo besluit beslissing deelbesluit informatie documenten stukken geweigerd weigeren "
    "weigerde weggelakt openbaar gemaakt maken gebruikt toegepast paste gelden genoemd"
)


def _intake_sentence(
    chunks: Sequence[ChunkRecord], finding: DateFinding
) -> tuple[ChunkRecord, int, str] | None:
    """The sentence the intake read ``finding`` from, as the passages split it (so that it
    is quoted once): the one holding the quote's start or end (the quote may open with a
    salutation the passages keep apart: "Geachte\nOp 18 december 2020 heb ik …")."""
    quote = " ".join(finding.quote.split())
    ends = (quote[:50], quote[-40:])

    def holds(sentence: str) -> bool:
        return any(end in " ".join(sentence.split()) for end in ends)

    for chunk in chunks:
        if finding.page in chunk.pages:
            for offset, sentence in _sentences_on(chunk, finding.page, holds):
                return chunk, offset, sentence
    return None


def _asks_all_grounds(
    question: str,
    weights: Mapping[str, float],
    document: DocumentRecord,
    chunks: Sequence[ChunkRecord],
) -> bool:
    """Whether ``question`` asks for all the grounds of a decision it names by what its
    title and opening pages say ("Welke weigeringsgronden zijn gebruikt in het Wob-besluit
    over de zwarte lijsten van de FSV?"), not for the ground of one passage ("… de passages
    over het aanvragen van landingsrechten …", which the opening does not name)."""
    asked = {t: w for t, w in weights.items() if w > 0 and t not in _GROUND_TERMS}
    if not asked:
        return True
    opening = terms(" ".join([document.title, *(c.text for c in chunks if min(c.pages) <= 2)]))
    named = sum(w for t, w in asked.items() if t in opening)
    return named >= _OPENING_SHARE * sum(asked.values())


_OPENING_SHARE = 0.8


def _article_key(article: str) -> str:
    """ "artikel 10, tweede lid onder g" and "Artikel 10, tweede lid, aanhef en onder g, van
    de Wob" are one article."""
    words = re.findall(r"\w+", article.lower().replace("aanhef en ", ""))
    return " ".join(word for word in words if word not in ("van", "de", "wob", "woo"))


def _same_ground(ground: str, known: str) -> bool:
    """ "persoonlijke levenssfeer" is "eerbiediging van de persoonlijke levenssfeer (…)"."""
    return ground.lower() in known.lower() or known.split(" (")[0].lower() in ground.lower()


def locate_text(
    chunks: Sequence[ChunkRecord], page: int, text: str
) -> tuple[ChunkRecord, int, int] | None:
    """Where ``text`` (as a summary read it: its lines joined) stands in the chunks of
    ``page``: the chunk, start and end."""
    words = text.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    for chunk in chunks:
        if page in chunk.pages and (found := pattern.search(chunk.text)):
            return chunk, found.start(), found.end()
    return None


# A letter's head: "Ons kenmerk\nDSO/10880335", "Contactpersoon\nJordy Wehrmann",
# "Behandeld door: mr. J. Jansen"; the value on the label's line or the next.
def _field(label: str) -> re.Pattern[str]:
    return re.compile(
        rf"^[ \t]*(?:{label})[ \t]*:?(?:[ \t]*\n){{0,2}}[ \t]*(?P<value>[^\n]+)", _I | re.M
    )


# Who handles the case, under either label: "Contactpersoon", "Behandeld door".
_HANDLED_BY = _field(r"contactpersoon|behandeld\s+door")


_LETTERHEAD_FIELDS = {
    "contactpersoon": _HANDLED_BY,
    "behandeld door": _HANDLED_BY,
    "kenmerk": _field(r"ons\s+kenmerk|kenmerk"),
    "uw kenmerk": _field(r"uw\s+kenmerk"),
    "zaaknummer": _field(r"zaaknummer|dossiernummer|registratienummer"),
}
_LETTERHEAD_LABELS = {"dossiernummer": "zaaknummer", "registratienummer": "zaaknummer"}
_ASKS_LETTERHEAD = re.compile(
    r"^\s*(?:en\s+)?(?:wie|wat|welk|welke)\b[^?]*?\b(?:de|het|het\s+ons|ons)?\s*"
    r"(?P<label>contactpersoon|behandeld\s+door|uw\s+kenmerk|kenmerk|zaaknummer|"
    r"dossiernummer|registratienummer)\b",
    _I,
)
_NEXT_LABEL = re.compile(
    r"\s+(?=(?:Bijlagen?|Datum|Ons kenmerk|Uw kenmerk|Kenmerk|Onderwerp|Betreft|Telefoon|"
    r"Pagina)\b)"
)
# A label without its value: the next label stands on the value's line.
_IS_LABEL = re.compile(
    r"^(?:ons\s+|uw\s+)?(?:kenmerk|contactpersoon|behandeld\s+door|datum|telefoon\w*|"
    r"e-?mail\w*|dienst|afdeling|bijlage\w*|onderwerp|betreft|pagina)\b",
    _I,
)


# The close of a letter or decision, after which its signer's name follows: "Hoogachtend,",
# "namens deze,", "De Staatssecretaris van Veiligheid en Justitie," on a line of its own.
_CLOSING = re.compile(
    r"\b(?:hoogachtend|met vriendelijke groet(?:en)?|namens (?:deze|dezen|hen|haar|hem)\b)"
    r"[ \t]*,?|^[ \t]*(?:de|het) (?:staatssecretaris|minister|college|burgemeester|"
    r"dagelijks bestuur|algemeen bestuur|secretaris-generaal|griffier|voorzitter|"
    r"(?:gemeente)?secretaris)\b[^\n]{0,90},[ \t]*$|"
    # An electronic signature: "ValidSigned door De Griffier L. Blankwaard Rombouts".
    r"\b(?:validsigned|digitaal ondertekend|elektronisch ondertekend)\s+door\b",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE_WINDOW = 350  # characters after the close where the name stands
_PREFIX = r"(?:van der|van den|van de|van|de|der|den|ter|ten|in 't|in het|op de|'t)"
_SURNAME = rf"(?:{_PREFIX}\s+)?[A-Z][a-zà-ÿ]+(?:-(?:{_PREFIX}-)?[A-Z]?[a-zà-ÿ]+)?"
# "F. Teeven", "mr. drs. E.J.M. Plasmeijer", "mevrouw A. de Vries-Bakker".
_INITIALS_NAME = re.compile(
    rf"(?:(?:[Mm]r|[Dd]rs|[Dd]r|[Ii]r|[Ii]ng|[Pp]rof)\.?\s+)*"
    rf"(?:(?:[Mm]evrouw|[Dd]e heer|[Mm]w\.|[Dd]hr\.)\s+)?"
    rf"(?:[A-Z]\.\s?){{1,5}}\s*{_SURNAME}\b"
)
# "Bas van den Dungen secretaris-generaal": a full name, then the signer's office.
_OFFICE = (
    r"(?:secretaris-generaal|(?:plaatsvervangend\s+)?directeur|gemeentesecretaris|"
    r"stadsdeelsecretaris|griffier|burgemeester|wethouder|hoofd|manager|co[öo]rdinator|"
    r"teamleider|afdelingshoofd|minister|staatssecretaris|voorzitter|secretaris)\b"
)
# In a pseudonymised collection the name is a placeholder, which a user with the right
# to see names can reveal.
_PSEUDONYM = re.compile(r"\[PERSOON-\d+\]")
_FULL_NAME_OFFICE = re.compile(rf"\b([A-Z][a-zà-ÿ]+\s+{_SURNAME})[ \t]*,?\s*{_OFFICE}")


def find_signatures(text: str) -> list[tuple[int, int, str]]:
    """The signature blocks in ``text``: (start of the close, end of the name, the signer's
    name), in text order."""
    found: list[tuple[int, int, str]] = []
    cursor = 0
    for close in _CLOSING.finditer(text):
        if close.start() < cursor:
            continue  # "Hoogachtend, namens deze," is one block
        window = text[close.end() : close.end() + _SIGNATURE_WINDOW]
        names = [
            (m.start(), m.end(), m.group().strip())
            for pattern in (_INITIALS_NAME, _PSEUDONYM)
            for m in pattern.finditer(window)
        ] + [(m.start(1), m.end(1), m.group(1)) for m in _FULL_NAME_OFFICE.finditer(window)]
        if not names:
            continue
        _, end, name = min(names)
        found.append((close.start(), close.end() + end, name))
        cursor = close.end() + end
    return found


def _value(document: DocumentRecord, field: str) -> str | None:
    if field == "parties":
        return ", ".join(document.parties) or None
    if field == "outcome":
        return document.outcome
    if field == "date":
        return dutch_date(document.date) if document.date else None
    if field == "organisation":
        return document.organisation
    if field == "deadline":
        return _deadline(document)
    return None


def _deadline(document: DocumentRecord) -> str | None:
    """The last day for bezwaar or beroep against a decision, computed from its date: the
    date on a decision is the best guess of the day it was sent, and the answer says so."""
    if document.kind not in _DECISION_KINDS or document.date is None:
        return None
    _, statutory, last = awb_termijn(document.date)
    moved = ""
    if last != statutory:
        moved = f", verschoven van {dutch_date(statutory)} (Algemene termijnenwet)"
    return (
        f"{dutch_date(last)} (berekend: zes weken vanaf de dag na de besluitdatum "
        f"{dutch_date(document.date)}, art. 6:7 en 6:8 Awb{moved}; de termijn loopt vanaf "
        "de verzending, controleer die datum)"
    )


def _shows(sentence: str, field: str, document: DocumentRecord) -> bool:
    if field == "parties":
        return any(name in document.parties for _, _, name in find_parties(sentence))
    if field == "outcome":
        return bool(document.outcome and document.outcome in sentence.lower())
    if field == "date":
        return any(m.date == document.date for m in find_dates(sentence))
    if field == "organisation" and document.organisation:
        core = document.organisation.split(" ", 1)[-1].removeprefix("van ")
        return core.lower() in sentence.lower()
    return False


_SUBMITTER_LINE = re.compile(r"\b(?:indiener|indieners|ingediend door)\b", _I)


def _sentences_showing(
    chunk: ChunkRecord, page: int, field: str, document: DocumentRecord
) -> list[tuple[int, str]]:
    return _sentences_on(chunk, page, lambda sentence: _shows(sentence, field, document))


def _sentences_on(
    chunk: ChunkRecord, page: int, shows: Callable[[str], bool]
) -> list[tuple[int, str]]:
    """(offset in the chunk text, sentence) of the sentences on ``page`` that ``shows``."""
    out: list[tuple[int, str]] = []
    position = 0
    for span_page, start, end in chunk.spans:
        length = end - start
        if span_page == page:
            text = chunk.text[position : position + length]
            cursor = 0
            for line in text.splitlines():
                for sentence in split_sentences(line):
                    found = text.find(sentence, cursor)
                    if found < 0:
                        continue
                    cursor = found + len(sentence)
                    if shows(sentence):
                        out.append((position + found, sentence))
        position += length + 2
    return out


def _wants_parties(question: str, question_type: str | None) -> bool:
    if question_type == "partij":
        return True
    return question_type == "persoon" and bool(
        _ABOUT_MOTION.search(question) and _SUBMITTED.search(question)
    )


def about_motion(question: str) -> bool:
    """Whether ``question`` speaks of a motion or an amendment (not a council proposal)."""
    return bool(_ABOUT_MOTION.search(question))


def _wants_outcome(question: str, question_type: str | None) -> bool:
    return question_type == "uitkomst" and bool(_ABOUT_MOTION.search(question))


def _wants_date(question: str, question_type: str | None) -> bool:
    return question_type == "datum" and bool(_DOCUMENT_DATE.search(question))


# "Wanneer heeft de raad de verordening nadeelcompensatie vastgesteld?": the council's
# decision, not the proposal's own date (the college's); the rule reads proposals only.
_COUNCIL_DECIDED = re.compile(
    r"\b(?:vastgesteld|aangenomen|besloten|verworpen|ingestemd|goedgekeurd)\b", _I
)


def _wants_stamp(question: str, question_type: str | None) -> bool:
    return question_type == "datum" and bool(_COUNCIL_DECIDED.search(question))


# "Wanneer besprak de raad de Voorjaarsnota 2025?", "Op welke datum debatteerde de
# gemeenteraad over …?": the day of the meeting whose minutes hold the debate, not a date
# the proposal gives (the college's "voorstel van 20 mei 2025").
_DEBATED = re.compile(
    r"\b(?:besprak|bespraken|besproken|behandelde|behandelden|behandeld|debatteerde|"
    r"debatteerden|gedebatteerd|vergaderde|vergaderden|sprak|spraken)\b",
    _I,
)
_COUNCIL = re.compile(r"\b(?:raad|gemeenteraad|staten)\b", _I)


def _wants_debate(question: str, question_type: str | None) -> bool:
    return (
        question_type == "datum"
        and bool(_DEBATED.search(question))
        and bool(_COUNCIL.search(question))
    )


def _wants_deadline(question: str, question_type: str | None) -> bool:
    return bool(_ASKS_DEADLINE.search(question))


def _wants_organisation(question: str, question_type: str | None) -> bool:
    return bool(_ORGANISATION.search(question))


# "Wie ondertekende de Kamerbrief …?", "Door wie is het besluit getekend?", "Welke
# secretaris-generaal tekende namens de minister …?"
_SIGNED = re.compile(
    r"\b(?:onderteken(?:de|den|d|t|aar|ing)|getekend|tekende|tekenden)\b|"
    # Who wrote a letter is who signed it: "Welke minister schreef de Kamerbrief over …?"
    r"\b(?:schreef|schreven|geschreven)\b[^?]*brief\b|brief\b[^?]*\bgeschreven\b",
    _I,
)
# "tekende bezwaar aan", "heeft beroep aangetekend": objected, signed nothing.
_OBJECTED = re.compile(
    r"\btekenden?\s+(?:\w+\s+){0,3}?(?:bezwaar|beroep)\s+aan\b"
    r"|\b(?:bezwaar|beroep)\s+(?:\w+\s+){0,2}?aangetekend\b",
    _I,
)
# "Welke brief ondertekende de minister?" asks for a document, not for its signer.
_ASKS_WHO_SIGNED = re.compile(
    r"^\s*(?:en\s+)?(?:wie|door wie|welke (?!(?:brief|brieven|besluit|besluiten|"
    r"documenten|document|stukken)\b))",
    _I,
)


# "Is het bezwaar tegen … op tijd ingediend?", "Was het bezwaarschrift tijdig?"
_ASKS_TIMELY = re.compile(
    r"\b(?:op tijd|tijdig|te laat|(?:binnen|buiten) de (?:bezwaar|beroeps?)?termijn|"
    r"termijn\w* (?:overschreden|gehaald))\b",
    _I,
)
_OBJECTION = re.compile(r"\b(?:bezwaar\w*|beroep\w*)\b", _I)
_OBJECTION_KINDS = ("beslissing_op_bezwaar", "brief")
_ABOUT_DATES = re.compile(r"\b(?:verzend|ontvang|poststempel|termijn|datum)", _I)


# "Wat is de beslissing op het bezwaar over …?", "Is het bezwaar … gegrond verklaard?"
# ("Welke kostenvergoeding … nadat het bezwaar gegrond was verklaard?" asks for an amount.)
_ASKS_OBJECTION_OUTCOME = re.compile(
    r"\b(?:wat (?:is|was|werd)|hoe (?:is|werd|luidt|luidde)) (?:er )?(?:de |het )?(?:beslissing|"
    r"besluit|besloten|uitkomst|afloop)\b[^?]*\bbezwaar|"
    r"^\s*(?:en\s+)?(?:is|was|werd|wordt|heeft|hebben|had)\b[^?]*\bbezwaar\w*\b[^?]*\b(?:gegrond|"
    r"ongegrond|niet[- ]ontvankelijk)\b|"
    r"\bhoe (?:is|werd) (?:er )?(?:op|over) (?:het|dit|dat) bezwaar\b",
    _I,
)
# A sentence that declares the objection (un)founded: "verklaar(t|en) … gegrond", "…
# ongegrond te verklaren". The dictum, not the committee's advice about it.
_DECLARES = re.compile(
    r"\bverkla+r\w*\b[^.;]*?\b(?P<outcome>(?:deels |gedeeltelijk )?(?:on)?gegrond|"
    r"niet[- ]ontvankelijk)\b|\b(?P<before>(?:deels |gedeeltelijk )?(?:on)?gegrond|"
    r"niet[- ]ontvankelijk)\b(?:\s+(?:te|wordt|is|worden))?\s+verkla+r",
    _I,
)
# A sentence that ends in a word, not in punctuation: the next line may go on with it.
_GOES_ON = re.compile(r"[^\W\d_]\s*$")
_ADVISES = re.compile(r"\b(?:advies|adviseert|adviseerde|commissie stelt voor)\b", _I)


def _outcome_word(match: re.Match[str]) -> str:
    word = (match.group("outcome") or match.group("before")).lower()
    return word.replace("deels ", "gedeeltelijk ").replace("niet ontvankelijk", "niet-ontvankelijk")


def _wants_objection_outcome(question: str, question_type: str | None) -> bool:
    return question_type in (None, "uitkomst") and bool(_ASKS_OBJECTION_OUTCOME.search(question))


# "Wat is de beroepstermijn?", "Binnen welke termijn kan ik bezwaar maken?", "Hoe lang heb ik
# om in beroep te gaan?" (the end date is ``_ASKS_DEADLINE``'s).
_ASKS_REMEDY_PERIOD = re.compile(
    r"\b(?P<term>bezwaar|beroeps?)termijn\b|\b(?:binnen\s+welke\s+termijn|hoe\s+lang|hoeveel\s+"
    r"(?:weken|dagen|tijd))\b[^?]*?\b(?P<act>bezwaar|beroep)",
    _I,
)
# The remedy clause's period: "binnen zes weken", "binnen een termijn van zes weken".
_REMEDY_DURATION = re.compile(
    r"\bbinnen\s+(?:een\s+termijn\s+van\s+)?((?:\d+|een|twee|drie|vier|vijf|zes|zeven|acht|"
    r"negen|tien|twaalf)\s+(?:weken|week|dagen|dag|maanden|maand))\b",
    _I,
)
# What the clause says the reader can or must do; "U heeft binnen zes weken bezwaar
# gemaakt" tells what happened, not the period.
_CLAUSE = re.compile(r"\b(?:kunt|kan|kunnen|moet|moeten|dient|dienen)\b", _I)
# Not after an initial: "de heer M.E. Goldbach" is one name.
_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])[.!?](?=\s)|\n\s*\n")


def asked_remedy(question: str) -> str | None:
    """Which remedy's period ``question`` asks for: "beroep" or "bezwaar" (None: none)."""
    found = _ASKS_REMEDY_PERIOD.search(question)
    if found is None or _ASKS_DEADLINE.search(question):
        return None
    word = (found.group("term") or found.group("act")).lower()
    return "bezwaar" if word == "bezwaar" else "beroep"


def _wants_remedy_period(question: str, question_type: str | None) -> bool:
    return asked_remedy(question) is not None


def remedy_clauses(text: str, remedy: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, period) of each sentence in ``text`` that says within which period
    ``remedy`` ("beroep", "bezwaar") can or must be lodged: "Het beroepschrift moet binnen
    zes weken … zijn ontvangen."."""
    for found in _REMEDY_DURATION.finditer(text):
        start, end = sentence_around(text, found.start(), found.end())
        sentence = text[start:end].lower()
        if remedy in sentence and _CLAUSE.search(sentence):
            yield start, end, " ".join(found.group(1).split())


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence of ``text`` that holds ``start:end``, across the line
    breaks of a PDF's lines (a paragraph break or a full stop ends it)."""
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)]
    left = breaks[-1] if breaks else 0
    left += len(text[left:]) - len(text[left:].lstrip())
    ending = _SENTENCE_BREAK.search(text, end)
    return left, ending.start() + 1 if ending else len(text)


# "Wie heeft bezwaar gemaakt tegen …?", "Door wie is het bezwaarschrift ingediend?", "Wie
# tekende bezwaar aan …?", "Wie is de bezwaarmaker?"
_ASKS_OBJECTOR = re.compile(
    r"^\s*(?:en\s+)?(?:wie|door wie|namens wie|van wie)\b"
    r"(?:(?=[^?]*\bbezwaar(?:schrift)?\b)(?=[^?]*\b(?:gemaakt|maakte|maakten|ingediend|diende|"
    r"dienden|aangetekend|tekende|tekenden|ingesteld|stelde|gekomen|kwam|kwamen)\b)|"
    r"\s+(?:is|zijn|was|waren)\s+(?:de\s+)?(?:bezwaarmakers?|indieners?\s+van\s+het\s+"
    r"bezwaar(?:schrift)?)\b)",
    _I,
)
# A sentence that tells who lodged the objection: "Tegen dit besluit heeft de aanvrager op
# 28 juli 2024 een bezwaarschrift ingediend.", "Per brief van 29 mei 2019 hebt u bezwaar
# gemaakt …", "Het bezwaarschrift van de heer M.E. Goldbach van 10 februari 2025 …".
_LODGED = re.compile(
    r"\b(?:bezwaar\s+(?:\w+\s+){0,2}?(?:gemaakt|ingesteld|aangetekend|ingediend)|"
    r"bezwaarschrift\s+(?:\w+\s+){0,2}?(?:ingediend|ontvangen|gestuurd)|in\s+bezwaar\s+gekomen|"
    r"(?:het|een|uw)\s+bezwaarschrift\s+van)\b",
    _I,
)
# Who objected, as a decision names them: a (pseudonymised) name, a role it defines
# ("(hierna: aanvrager)"), or the addressee ("u") and the client they act for.
_NAMED_OBJECTOR = re.compile(
    r"\[PERSOON-\d+\]|\b(?:[Dd]e heer|[Mm]evrouw|[Mm]evr\.|[Dd]hr\.)\s+(?:[A-Z]\.\s?)*"
    r"(?:(?:van|de|der|den|ter|ten)\s+)*[A-Z][\w'’-]+"
)
_ROLE_OBJECTOR = re.compile(
    r"\b(?:(?:de|het)\s+)?(?:aanvrager|bezwaarmaker|verzoeker|appellant|belanghebbende|"
    r"bewoner|eigenaar|gemachtigde|omwonende|huurder)s?\b",
    _I,
)
_SALUTATION = re.compile(r"(?:geachte|beste)\b[^\n.]*\n\s*", _I)
_CLIENT = re.compile(r"\buw\s+cli[eë]nt(?:e|en)?\b", _I)
_ADDRESSEE = re.compile(r"\b(?:u|uw)\b")


# "Wie heeft het Wob-verzoek over … ingediend?", "Wie is de verzoeker?", "Door wie is om de
# documenten verzocht?"
_ASKS_REQUESTER = re.compile(
    r"^\s*(?:en\s+)?(?:wie|door wie|namens wie|van wie)\b"
    r"(?:(?=[^?]*\b(?:(?:woo|wob)-?)?verzoek\b)(?=[^?]*\b(?:ingediend|diende|dienden|gedaan|deed|"
    r"deden|gestuurd|stuurde|ingestuurd)\b)|[^?]*\b(?:verzocht|vroeg|vroegen|gevraagd)\b|"
    r"\s+(?:is|zijn|was|waren)\s+(?:de\s+)?(?:verzoekers?|aanvragers?)\b)",
    _I,
)
# A sentence that tells who asked: "In uw brief van 29 juni 2020 … heeft u … informatie
# verzocht", "Bij e-mail van … heeft [PERSOON-2] gevraagd om …".
_REQUESTED = re.compile(
    r"\b(?:(?:heeft|hebt|hebben)\b[^.]{0,160}?\b(?:verzocht|gevraagd)\b|"
    r"(?:uw|het|een)\s+(?:(?:woo|wob)-?)?verzoek\s+van\b|"
    # "… uw brief waarin u ons vraagt om alle stukken …"
    r"(?:u|uw\s+cli[eë]nt|\[PERSOON-\d+\])\s+(?:ons\s+|mij\s+)?(?:vraagt|vroeg|verzoekt))\b",
    _I,
)
_REQUEST_KINDS = ("woo_besluit", "brief")
# Rules that read the first fitting document only: when it does not say, the next one's
# objector, requester or grounds are another matter's.
_ONE_DOCUMENT = ("objector", "requester", "woo_grounds", "objection_date", "signer")


def asks_requester(question: str) -> bool:
    """Whether ``question`` asks who made a Woo request ("Wie heeft het Wob-verzoek
    ingediend?"); who objected is ``asks_objector``'s."""
    return bool(_ASKS_REQUESTER.search(question)) and not asks_objector(question)


def asks_objector(question: str) -> bool:
    """Whether ``question`` asks who lodged an objection ("Wie heeft bezwaar gemaakt …?")."""
    return bool(_ASKS_OBJECTOR.search(question))


def objector_sentences(
    text: str, act: re.Pattern[str] | None = None
) -> Iterator[tuple[int, int, str]]:
    """(start, end, who) of each sentence of ``text`` that tells who lodged an objection
    (or, with ``act`` ``_REQUESTED``, who made a Woo request), those that name the person
    first ("[PERSOON-3]", "de heer M.E. Goldbach"), then those that give a role ("de
    aanvrager") or the addressee ("u", "uw cliënt")."""
    named: list[tuple[int, int, str]] = []
    other: list[tuple[int, int, str]] = []
    seen: set[int] = set()
    for lodged in (act or _LODGED).finditer(text):
        start, end = sentence_around(text, lodged.start(), lodged.end())
        if salutation := _SALUTATION.match(text, start, end):
            start = salutation.end()  # "Geachte" whose name was blacked out, on its own line
        sentence = " ".join(text[start:end].split())
        if start in seen or _CLAUSE.search(sentence):
            continue  # "Tegen dit besluit kunt u bezwaar maken": the remedy clause
        seen.add(start)
        if name := _NAMED_OBJECTOR.search(sentence):
            named.append((start, end, name.group()))
        elif role := _ROLE_OBJECTOR.search(sentence):
            who = role.group()
            other.append((start, end, who if " " in who else f"de {who.lower()}"))
        elif _ADDRESSEE.search(sentence):
            client = _CLIENT.search(sentence)
            who = "de geadresseerde, namens een cliënt" if client else "de geadresseerde"
            other.append((start, end, who))
    yield from named
    yield from other


# "Welke weigeringsgronden zijn gebruikt …?", "Op welke grond is informatie geweigerd …?";
# not an article ("Op grond van welk artikel van de Aanbestedingswet …?").
_ASKS_GROUNDS = re.compile(
    r"\b(?:welke|op welke)\s+(?:(?:woo|wob)-?)?(?:weigerings|uitzonderings)?gronde?n?\b", _I
)


def _wants_woo_grounds(question: str, question_type: str | None) -> bool:
    return question_type == "grond" and bool(_ASKS_GROUNDS.search(question))


# "Wanneer is het bezwaarschrift ontvangen?", "Wanneer heeft X bezwaar gemaakt tegen …?"
_OBJECTION_MADE = re.compile(
    r"\bbezwaar(?:schrift)?\b[^?]*\b(?:gemaakt|ingediend|ingesteld|aangetekend|ontvangen|"
    r"binnengekomen|ingekomen|gedagtekend|verstuurd|gestuurd)\b|\b(?:maakte|maakten|diende|"
    r"dienden|tekende|tekenden)\b[^?]*\bbezwaar",
    _I,
)
_RECEIVED = re.compile(r"\b(?:ontvangen|binnengekomen|ingekomen)\b", _I)
# "Wanneer werd het besluit genomen waartegen bezwaar is gemaakt?" asks the contested
# decision's date.
_CONTESTED = re.compile(r"\bwaartegen\b|\b(?:bestreden|primaire)\s+besluit", _I)


def _wants_objection_date(question: str, question_type: str | None) -> bool:
    return (
        question_type == "datum"
        and bool(_OBJECTION_MADE.search(question))
        and not _CONTESTED.search(question)
    )


def _wants_timeliness(question: str, question_type: str | None) -> bool:
    return bool(_ASKS_TIMELY.search(question) and _OBJECTION.search(question))


def asks_signer(question: str, question_type: str | None = None) -> bool:
    """Whether ``question`` asks who signed a document ("Wie ondertekende het besluit?");
    "Wie tekende bezwaar aan …?" asks who objected."""
    return bool(
        _SIGNED.search(question)
        and _ASKS_WHO_SIGNED.search(question)
        and not _OBJECTED.search(question)
    )


# (field, answer type, does the question ask for it?)
_RULES: tuple[tuple[str, str, Callable[[str, str | None], bool]], ...] = (
    ("parties", "partij", _wants_parties),
    ("outcome", "uitkomst", _wants_outcome),
    ("stamp", "datum", _wants_stamp),
    ("debate", "datum", _wants_debate),
    ("objection_date", "datum", _wants_objection_date),
    ("date", "datum", _wants_date),
    ("deadline", "datum", _wants_deadline),
    ("organisation", "organisatie", _wants_organisation),
    ("objector", "persoon", lambda question, _: asks_objector(question)),
    ("requester", "persoon", lambda question, _: asks_requester(question)),
    ("signer", "persoon", asks_signer),
    ("proposer", "persoon", lambda question, _: bool(_ASKS_PROPOSER.search(question))),
    ("timeliness", "termijn", _wants_timeliness),
    ("objection_outcome", "uitkomst", _wants_objection_outcome),
    ("remedy_period", "termijn", _wants_remedy_period),
    ("woo_grounds", "grond", _wants_woo_grounds),
    ("letterhead", "kenmerk", lambda question, _: bool(_ASKS_LETTERHEAD.search(question))),
)
# Fields no document record holds: read from its text when a question asks for them.
_READ_WHEN_ASKED = (
    "stamp",
    "debate",
    "objection_date",
    "signer",
    "timeliness",
    "objection_outcome",
    "remedy_period",
    "objector",
    "requester",
    "woo_grounds",
    "letterhead",
    "proposer",
)


# -- a council proposal's decision stamp -------------------------------------------------------

# "Aldus besloten in de openbare raadsvergadering van 13 maart 2025.", "*Aldus geamendeerd
# besloten in …", "Aldus verworpen in …": the griffie's stamp under a council proposal's
# decision, the council's outcome on it.
_DECISION_STAMP = re.compile(
    r"\bAldus\s+(?P<how>(?:geamendeerd\s+)?(?:besloten|vastgesteld|aangenomen)|verworpen)"
    r"\s+in\s+de\s+openbare\s+(?:raads|staten)?vergadering\s+van\s+(?P<day>[^.\n]{6,30}?\d{4})",
    _I,
)
STAMPED_KINDS = ("raadsvoorstel",)  # the kinds of document a decision stamp is read from


@dataclass(frozen=True, slots=True)
class DecisionStamp:
    """The council's outcome on a proposal as the stamp under its decision gives it."""

    outcome: str  # "aangenomen" | "geamendeerd aangenomen" | "verworpen"
    day: date
    chunk: ChunkRecord
    start: int
    end: int

    @property
    def value(self) -> str:
        return f"{self.outcome} in de raadsvergadering van {dutch_date(self.day)}"

    def answer(self, question: str) -> tuple[str, str]:
        """What the stamp answers to ``question``, with its answer type: the day for a
        when-question ("Wanneer is … vastgesteld?"), with the outcome where it is not the
        one the question assumes (the proposal was rejected); else the outcome."""
        if not asks_when(question):
            return self.value, "uitkomst"
        adopted = self.outcome != "verworpen"
        assumed = re.search(r"\bverworpen\b", question, _I) is None
        day = dutch_date(self.day)
        return (day, "datum") if adopted == assumed else (f"{self.outcome} op {day}", "uitkomst")

    def fact(self, field: str, value: str, kind: str) -> Fact:
        page = page_at(self.chunk, self.start)
        sentence = self.chunk.text[self.start : self.end]
        return Fact(field, value, kind, 0, page, self.chunk, self.start, sentence)


def names_proposal(question: str, document: DocumentRecord, weights: Mapping[str, float]) -> bool:
    """Is ``document`` a council proposal whose title names what ``question`` asks about
    ("bestemmingsplan Stationsbuurt" is not the bestemmingsplan Strand)?"""
    return (
        document.kind in STAMPED_KINDS
        and coverage(question, document.title, weights) >= MIN_TITLE_COVERAGE
    )


def asks_when(question: str) -> bool:
    """Whether ``question`` asks when ("Wanneer …?", "Op welke datum …?")."""
    return bool(_ASKS_WHEN.search(question))


def decision_stamp(chunks: Sequence[ChunkRecord]) -> DecisionStamp | None:
    """The decision stamp of a council proposal (its chunks, in order), if it has one."""
    for chunk in chunks:
        for found in _DECISION_STAMP.finditer(chunk.text):
            days = find_dates(found.group("day"))
            if not days:
                continue
            how = " ".join(found.group("how").lower().split())
            outcome = "verworpen" if how == "verworpen" else (
                "geamendeerd aangenomen" if how.startswith("geamendeerd") else "aangenomen"
            )  # fmt: skip
            end = chunk.text.find(".", found.end())
            end = end + 1 if end >= 0 else found.end()
            return DecisionStamp(outcome, days[0].date, chunk, found.start(), end)
    return None


# -- votes ----------------------------------------------------------------------------------

# "Wanneer is de motie … aangenomen?": the date of the meeting that voted.
_WHEN = r"^\s*(?:en\s+)?(?:wanneer|op welke (?:datum|dag))\b"
_ASKS_WHEN = re.compile(_WHEN, _I)
# Asks how was voted, not merely about an adopted motion ("het aangenomen amendement").
_ASKS_VOTE = re.compile(
    r"\b(?:stemverhouding|stemuitslag|stemgedrag|stemde|stemden|gestemd|"
    # A yes/no question; "Wanneer is de motie … aangenomen?" asks for a date.
    r"^\s*(?:en\s+)?(?:is|werd|zijn|werden) (?:de|het|deze|die) \w+(?: \w+){0,6} "
    r"(?:aangenomen|verworpen)\?|"
    r"aangenomen of verworpen|uitkomst van de stemming|"
    rf"{_WHEN}[^?]*\b(?:aangenomen|verworpen|vastgesteld|goedgekeurd)\b|"
    # "Wat besloot de raad op 23 januari over de motie over hoogbegaafdheid?"
    r"wat (?:besloot|heeft) (?:de|het) (?:\w+ )?(?:raad|staten|bestuur)\b[^?]*"
    r"\b(?:motie|amendement)\b|"
    # "Wat gebeurde er met de FVD-motie over AI?" (aangehouden, ingetrokken, …)
    # "Wat gebeurde er op 23 januari 2025 met de GroenLinks-motie …?"
    r"\bwat (?:gebeurde|is) er (?:[^?\s]+ ){0,5}?met (?:de|het) [^?]*\b(?:motie|amendement)\b|"
    # "Wat deed Hart voor Den Haag uiteindelijk met zijn motie over …?" (aangehouden)
    r"\bwat deed\b[^?]*\bmet (?:zijn|haar|hun|de|het) [^?]*\b(?:motie|amendement)\b|"
    # "Hoeveel stemmen voor kreeg de motie …?", "Met hoeveel stemmen werd het amendement
    # … aangenomen?" (of a motion: other votes are not in the records)
    r"\bhoeveel stemmen\b[^?]*\b(?:motie|amendement)\b|"
    # "Hoe liep de stemming over het voorstel van Hart voor Den Haag af?"
    r"\bhoe (?:liep|is)\b[^?]*\b(?:stemming|motie|amendement)\b[^?]*\baf(?:gelopen)?\b)",
    _I,
)
_AGAINST = re.compile(r"\btegen\b", _I)
_PARTY_VOTED = re.compile(r"\b(?:stemde|stemden|gestemd|stemgedrag)\b", _I)
# "Welke partijen stemden tegen …?", "Wie stemde er voor …?": who voted one way.
_ASKS_WHO_VOTED = re.compile(r"\bstemden?\s+(?:er\s+)?(?:voor|tegen)\b", _I)
_ASKS_WHO = re.compile(
    r"^\s*(?:en\s+)?(?:wie|welke (?:politieke )?(?:partij|partijen|fractie|fracties|"
    r"raadsleden|raadslid|wethouder|persoon|personen|gemeente|gemeenten|gemeenteraad|"
    r"gemeenteraden))\b",
    _I,
)
_VOTE_WORDS = re.compile(
    r"\b(?:aangenomen|verworpen|ingetrokken|aangehouden|stemm?en|staken)\b", _I
)


# "Waarom stemde de SP tegen …?": the reasons stand in the minutes' vote explanations, the
# records hold only how it ended.
_ASKS_WHY = re.compile(r"^\s*(?:en\s+)?(?:waarom|om welke reden|wat was de reden)\b", _I)


def asks_vote(question: str) -> bool:
    return bool(_ASKS_VOTE.search(question)) and not _ASKS_WHY.search(question)


def asks_who_voted(question: str) -> bool:
    """ "Welke partijen stemden tegen …?", "Wie stemde er voor …?"."""
    return bool(_ASKS_WHO.search(question) and _ASKS_WHO_VOTED.search(question))


def vote_value(question: str, fact: VoteFact) -> tuple[str, str] | None:
    """What the question asks of this motion, with its answer type: the positions of the
    parties it names (or every party voting one way, for "welke fracties stemden
    tegen/voor"), else outcome and tally."""
    named = [name for _, _, name in find_parties(question)]
    positions = [(p, fact.party_position(p)) for p in named]
    known = [f"{party} stemde {position}" for party, position in positions if position]
    if known:
        return "; ".join(known), "partij"
    if re.search(r"\bwelke (?:partijen|fracties)\b", question, _I) and fact.votes:
        option = "tegen" if _AGAINST.search(question) else "voor"
        parties = sorted({v.party for v in fact.votes if v.option == option and v.party})
        if parties:
            return ", ".join(parties), "partij"
    asks_who = _ASKS_WHO.search(question) is not None
    asks_how_voted = bool(named and _PARTY_VOTED.search(question))  # "Hoe stemde de VVD …?"
    if fact.result is not None and (
        (asks_who and _ASKS_WHO_VOTED.search(question)) or asks_how_voted
    ):
        # Who voted that way, or how the named party did, is not in the records (the
        # minutes give only the tally): say so with the outcome, instead of leaving the
        # question to a sentence that names a party for another reason (its submitter).
        if fact.unanimous:
            return f"{fact.result} met algemene stemmen", "uitkomst"
        # Without a tally too ("Hoe stemde de PVV over het amendement …?" of an amendment
        # recorded only as "aangenomen"): the outcome alone read as the party's vote.
        return f"niet per fractie vastgelegd; {_outcome(fact, fact.result)}", "uitkomst"
    if fact.result is None or asks_who:
        # "Welke partij liet weten dat haar fractie verdeeld had gestemd …": it asks who,
        # and an outcome is not who.
        return None
    if _ASKS_WHEN.search(question):
        if fact.meeting_date is None:
            return None
        day = dutch_date(fact.meeting_date)
        asked = _VOTE_WORDS.search(question)
        word = asked.group().lower() if asked else "aangenomen" if _ADOPTED.search(question) else ""
        if word and word != fact.result.lower():
            return f"{fact.result} op {day}", "uitkomst"  # not what the question assumed
        return day, "datum"
    if _ASKS_TALLY.search(question) and not fact.unanimous and fact.votes_for is None:
        # "Hoeveel raadsleden stemden voor …?" of a motion recorded only as "aangenomen".
        return f"stemverhouding niet vastgelegd; {fact.result}", "uitkomst"
    return _outcome(fact, fact.result), "uitkomst"


# "Wanneer is de Voorjaarsnota vastgesteld?" assumes it was adopted.
_ADOPTED = re.compile(r"\b(?:vastgesteld|goedgekeurd)\b", _I)
# "Hoeveel raadsleden stemden voor …?", "Met welke stemverhouding …?": the tally.
_ASKS_TALLY = re.compile(
    r"\bhoeveel (?:stemmen|raadsleden|leden|fracties)\b|\bstem(?:verhouding|uitslag)\b", _I
)


def _outcome(fact: VoteFact, result: str) -> str:
    """The ``result`` of the vote with its tally where recorded ("aangenomen met 25 tegen 19
    stemmen", "stemmen staken (22 voor, 22 tegen)")."""
    counted = fact.votes_for is not None and fact.votes_against is not None
    if result == "staken":  # a tie: the motion returns in the next meeting
        tally = f" ({fact.votes_for} voor, {fact.votes_against} tegen)" if counted else ""
        return f"stemmen staken{tally}"
    if counted:
        return f"{result} met {fact.votes_for} tegen {fact.votes_against} stemmen"
    return f"{result} met algemene stemmen" if fact.unanimous else result


def locate_vote(
    evidence: VoteEvidence, chunks: Sequence[ChunkRecord], value: str
) -> tuple[ChunkRecord, int, str] | None:
    """The sentence on the evidence's page that records the vote: its recorded words, else
    one naming the outcome or the tally."""
    if evidence.page is None:
        return None
    recorded = " ".join(evidence.text.split()).lower()
    head = recorded[:60]
    numbers = re.findall(r"\d+", value)
    # The tally in its order: "24 tegen 20" is not "20 tegen 24" (the next vote's).
    if len(numbers) >= 2:
        shown = re.compile(rf"\b{numbers[0]}\b\D{{1,30}}\b{numbers[1]}\b")
    elif numbers:
        shown = re.compile(rf"\b{numbers[0]}\b")
    else:
        shown = _VOTE_WORDS

    def mentions(sentence: str) -> bool:
        return bool(shown.search(sentence))

    def records(sentence: str) -> bool:
        flat = " ".join(sentence.split()).lower()
        # The recorded words begin the sentence, or the sentence is the verdict within
        # them ("In stemming komt het voorstel. De voorzitter. Het voorstel wordt …").
        return bool(head and head in flat) or (
            len(flat) >= 20 and flat.rstrip(".") in recorded and mentions(sentence)
        )

    return _first_sentence(chunks, evidence.page, (records, mentions))


def _first_sentence(
    chunks: Sequence[ChunkRecord], page: int, tests: Sequence[Callable[[str], bool]]
) -> tuple[ChunkRecord, int, str] | None:
    """(chunk, offset, sentence) of the first sentence on ``page`` that passes a test,
    trying the tests in order (the strictest first)."""
    for shows in tests:
        for chunk in chunks:
            found = _sentences_on(chunk, page, shows)
            if found:
                offset, sentence = found[0]
                return chunk, offset, sentence
    return None


# -- who submitted a motion -----------------------------------------------------------------

# "Wie diende de motie over sleutelgeld in?", "Door wie is het amendement … ingediend?",
# "Welke fractie is de indiener van …?"
_ASKS_WHO_SUBMITTED = re.compile(r"^\s*(?:en\s+)?(?:door\s+)?(?:wie|welke|welk)\b", _I)
_ASKS_PARTY = re.compile(r"\bwelke\s+(?:politieke\s+)?(?:partij|partijen|fractie|fracties)\b", _I)
# The motion itself names its submitter, the minutes say who submitted it, a decision list
# only its code and party.
_SUBMITTER_SOURCES = ("motie", "amendement", "notulen")


def asks_submitter(question: str) -> bool:
    return bool(
        _ASKS_WHO_SUBMITTED.search(question)
        and _ABOUT_MOTION.search(question)
        and _SUBMITTED.search(question)
    )


_SUBMISSION_WORDS = re.compile(
    rf"{_ABOUT_MOTION.pattern}|{_SUBMITTED.pattern}|\b(?:heeft|hebben|is|zijn|werd|door|in)\b",
    _I,
)
MIN_TITLE_COVERAGE = 0.5


def titled(question: str, fact: VoteFact, weights: Mapping[str, float]) -> bool:
    """Does the motion's title hold most of what the question says about it (by the
    question's term weights, leaving out the words for motions and submitting)? A long
    paraphrase shares a common word with many titles ("beter"): that names no motion."""
    subject = _SUBMISSION_WORDS.sub(" ", question)
    return coverage(subject, fact.title, weights) >= MIN_TITLE_COVERAGE


def submitter_value(question: str, fact: VoteFact) -> tuple[str, str] | None:
    """Who submitted the motion, with the answer type: its parties for "welke partij",
    else its submitters with their party ("Lesley Arp (SP)"), else its parties."""
    if not fact.parties:
        if fact.submitters and not _ASKS_PARTY.search(question):
            return ", ".join(fact.submitters), "persoon"
        return None
    # The first party is the submitter's; the others signed with it.
    party, *others = fact.parties
    if _ASKS_CO_SUBMITTERS.search(question):
        # "Wie waren de mede-indieners …?": the others, or that the records name none.
        if others:
            return _dutch_list(others), "partij"
        return f"geen; alleen ingediend door {party}", "partij"
    along = f", mede ingediend door {_dutch_list(others)}" if others else ""
    if fact.submitters and not _ASKS_PARTY.search(question):
        return f"{', '.join(fact.submitters)} ({party}){along}", "persoon"
    return f"{party}{along}", "partij"


# "Wie waren de mede-indieners …?", "Welke partijen dienden … mede in?"
_ASKS_CO_SUBMITTERS = re.compile(
    r"\bmede-?(?:indieners?|ondertekenaars?|ingediend)\b|\bmede\s+(?:in|ondertekend)\b", _I
)


def _dutch_list(items: Sequence[str]) -> str:
    """ "A, B en C"."""
    return " en ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else items[0]


def submitter_evidence(fact: VoteFact) -> list[VoteEvidence]:
    """The motion's evidence pages, those most likely to name its submitter first."""
    rank = {kind: i for i, kind in enumerate(_SUBMITTER_SOURCES)}
    return sorted(fact.evidence, key=lambda e: rank.get(e.document_kind, len(rank)))


def locate_submitter(
    evidence: VoteEvidence, chunks: Sequence[ChunkRecord], fact: VoteFact
) -> tuple[ChunkRecord, int, str] | None:
    """The sentence on the evidence's page that names the motion's submitter ("Indiener:
    Lesley Arp, SP", "Door mevrouw Arp wordt de volgende motie (Y.3 SP) ingediend"), or
    its code with its party ("Motie GL.4 Haal de EuroGames terug …")."""
    if evidence.page is None:
        return None
    surnames = [re.compile(rf"\b{re.escape(name.split()[-1])}\b") for name in fact.submitters]

    def names_submitter(sentence: str) -> bool:
        return any(surname.search(sentence) for surname in surnames)

    def names_party(sentence: str) -> bool:
        return fact.parties[:1] == [n for _, _, n in find_parties(sentence)][:1] and bool(
            _SUBMITTER_LINE.search(sentence) or (fact.code and fact.code in sentence)
        )

    tests = (names_submitter, names_party) if fact.parties else (names_submitter,)
    return _first_sentence(chunks, evidence.page, tests)


# -- lists of motions -----------------------------------------------------------------------

_LIST_START = (
    r"^\s*(?:en\s+)?(?:welke|hoeveel|wat (?:zijn|waren) de|noem (?:de |alle )?|"
    r"(?:geef )?(?:een )?overzicht van (?:de |alle )?)"
)
# "Welke moties over huisvesting zijn aangenomen?", "Welke GroenLinks-moties …",
# "Noem de amendementen en moties van de VVD": a list, answered from the council records;
# "Hoeveel moties zijn in maart 2025 aangenomen?": how long that list is.
_ASKS_MOTION_LIST = re.compile(
    rf"{_LIST_START}\s*(?:[\w/]+[\s-]+)?"
    r"(?P<kinds>(?:moties|amendementen)(?:\s+(?:en|of)\s+(?:moties|amendementen))?)\b",
    _I,
)
# "Welke motie over de Haagse Markt is aangenomen?": one motion asked for by its outcome is
# a list too (of one, or of all that fit); without an outcome it asks about its content.
_ASKS_ONE_MOTION = re.compile(
    r"^\s*(?:en\s+)?welke?\s+(?:[\w/]+[\s-]+)?(?P<kinds>motie|amendement)\b",
    _I,
)
# "Wat heeft de raad besloten over parkeren in 2025?": the council's decisions on the
# subject, proposals, motions and amendments alike; a question about one motion or
# amendment ("Wat besloot de raad over de motie over …?") asks for its vote instead.
# ``inner``: what the question says before the verb ("Wat heeft de raad over parkeren
# besloten?", "… op 13 maart 2025 besloten?").
_ASKS_DECISIONS = re.compile(
    r"^\s*(?:en\s+)?(?:wat (?:heeft|hebben) (?:de|het) (?:gemeente)?(?:raad|staten)\b"
    r"(?P<inner>[^?]*?)\bbesloten|wat besloot (?:de|het) (?:gemeente)?(?:raad|staten)|"
    r"welke besluiten (?:heeft|hebben|nam|namen) (?:de|het) (?:gemeente)?(?:raad|staten))\b"
    r"(?![^?]*\b(?:motie|amendement)\b)",
    _I,
)
_DECISION_LIST_KINDS: tuple[str, ...] = ("voorstel", "motie", "amendement")
_LIST_RESULTS = {
    "niet aangenomen": "verworpen",  # before "aangenomen"
    "geen meerderheid": "verworpen",
    "weggestemd": "verworpen",
    "verworpen": "verworpen",
    "afgewezen": "verworpen",
    "aangenomen": "aangenomen",
    "een meerderheid": "aangenomen",
    "ingetrokken": "ingetrokken",
    "aangehouden": "aangehouden",
}
_LIST_RESULT = re.compile(rf"\b(?:{'|'.join(_LIST_RESULTS)})\b", _I)
# "… over huisvesting zijn aangenomen": what the motions are about, up to the verb or the
# submitter.
_LIST_SUBJECT = re.compile(
    # "moties tegen sleutelgeld", "amendementen voor meer groen": right after the kind;
    # "moties van afkeuring" (or wantrouwen, treurnis, orde): a kind of motion by name.
    r"(?:^\s*(?:tegen|voor)|^\s*van(?=\s+(?:afkeuring|wantrouwen|treurnis|orde)\b)|"
    r"\b(?:over|inzake|betreffende|rondom|rond|met betrekking tot|op het gebied van|op|"
    # "bij de voorjaarsnota 2025", "bij de behandeling van de begroting"; not "bij de
    # stemming" or "bij de raadsvergadering", which say when.
    r"bij(?:\s+de\s+behandeling\s+van)?(?=\s+(?:de|het)\s+(?!stemming|vergadering|raad\b|"
    r"raadsvergadering|gemeenteraad)\w)))\s+"
    r"(?P<subject>.+?)\s*(?:\b(?:zijn|waren|werden|werd|is|heeft|hebben|hadden|had|diende|"
    r"dienden|ingediend|aangenomen|verworpen|afgewezen|ingetrokken|aangehouden|door|"
    r"van (?:de|het)|in (?:de|het) (?:raad|vergadering|gemeenteraad)|"
    rf"(?:in|uit|sinds|vanaf) (?:\d{{4}}|{'|'.join(MONTH_NAMES)}))\b|[?.!]|$)",
    _I,
)
_LIST_SUBMITTED = re.compile(r"\b(?:ingediend|indiende|diende|dienden)\b", _I)
# "Welke moties steunde de VVD?", "… waar stemde de PVV tegen?": parties as voters.
_LIST_VOTED = re.compile(r"\b(?:stemde|stemden|steunde|steunden|gestemd|gesteund)\b", _I)
# "in 2025", "uit 2024": when voted ("de begroting 2025" is a subject).
_LIST_YEAR = re.compile(
    r"\b(?:in|uit|sinds|vanaf|tijdens)\s+(?:het jaar\s+)?((?:19|20)\d{2})\b", _I
)
# "sinds 2024": that year and the ones after.
_LIST_SINCE = re.compile(r"\b(?:sinds|vanaf)\s+(?:het jaar\s+)?((?:19|20)\d{2})\b", _I)
# "GroenLinks-moties": the submitter (party names end at a hyphen elsewhere).
_PARTY_COMPOUND = re.compile(r"([\w/]+)-(?:moties?|amendement(?:en)?)\b", _I)
LIST_SHOWN = 8  # motions listed in an answer; the records hold the rest


@dataclass(frozen=True, slots=True)
class MotionList:
    """What a question for a list of motions asks: which kinds, outcomes, submitting or
    voting parties, subject and years."""

    kinds: tuple[str, ...]
    results: tuple[str, ...]
    parties: tuple[str, ...]  # canonical
    position: str | None  # "voor"/"tegen": ``parties`` are how they voted, not submitters
    subject: str  # without the places
    years: tuple[int, ...]
    places: tuple[str, ...]  # the municipalities whose council voted
    asked: str = ""  # the subject in the question's words ("de Haagse Markt")
    since: int | None = None  # "sinds 2024": this year and later
    days: tuple[date, ...] = ()  # "op 13 november 2024": the meeting's day, as asked

    def selects(self, fact: VoteFact) -> bool:
        """The fact fits what vote_facts cannot filter on: years, party positions."""
        year = fact.meeting_date.year if fact.meeting_date is not None else None
        if self.years and year not in self.years:
            return False
        if self.since is not None and (year is None or year < self.since):
            return False
        if self.position is not None:
            return all(fact.party_position(p) == self.position for p in self.parties)
        return True


def motion_list(question: str) -> MotionList | None:
    """The list a question asks for ("Welke moties over huisvesting zijn aangenomen?"),
    or None when it asks something else."""
    listed = _ASKS_MOTION_LIST.search(question)
    asked = listed or _ASKS_ONE_MOTION.search(question)
    decisions = _ASKS_DECISIONS.search(question) if asked is None else None
    if asked is None:
        if decisions is None:
            return None
        asked, kinds = decisions, _DECISION_LIST_KINDS
    else:
        kinds = tuple(k for k in ("motie", "amendement") if k in asked.group("kinds").lower())
    rest = question[asked.end() :]
    if decisions is not None and decisions["inner"]:
        rest = f"{decisions['inner']} {rest}"
    results = tuple(
        dict.fromkeys(
            _LIST_RESULTS[" ".join(m.lower().split())] for m in _LIST_RESULT.findall(rest)
        )
    )
    if (
        listed is None
        and decisions is None
        and not results
        and not (_LIST_SUBMITTED.search(rest) and find_parties(question))
    ):
        # One motion, asked for neither by its outcome nor by who submitted it ("Welke
        # motie diende de SP in over sloopsubsidie?" asks for the SP's: a list).
        return None
    if decisions is not None and not (
        _LIST_SUBJECT.search(rest)
        or _LIST_YEAR.search(rest)
        or find_dates(rest)
        or find_parties(question)
    ):
        return None  # "Wat heeft de raad besloten?": about what, or when?
    voted = _LIST_VOTED.search(rest)
    named = [name for _, _, name in find_parties(question)]
    named += [party for m in _PARTY_COMPOUND.finditer(question) if (party := canonical_party(m[1]))]
    parties = tuple(dict.fromkeys(named))
    position = ("tegen" if _AGAINST.search(rest) else "voor") if voted and parties else None
    subject = _LIST_SUBJECT.search(rest)
    since = _LIST_SINCE.search(rest)
    return MotionList(
        kinds,
        results,
        parties,
        position,
        _subject(subject.group("subject")) if subject else "",
        tuple(
            sorted({int(m[1]) for m in _LIST_YEAR.finditer(rest) if not _LIST_SINCE.match(m[0])})
        ),
        tuple(places_named(question)),
        subject.group("subject").strip() if subject else "",
        int(since[1]) if since else None,
        tuple(mention.date for mention in find_dates(rest)),
    )


def _subject(text: str) -> str:
    """What the motions are about, without the places ("parkeren in Den Haag": the place
    says whose council voted) and dates ("op 19 december 2024": when)."""
    for mention in reversed(find_dates(text)):
        text = text[: mention.start] + text[mention.end :]
    words = without_places(text).split()
    while words and words[-1].lower() in ("in", "te", "van", "bij", "voor"):
        words.pop()
    return " ".join(words)


@dataclass(slots=True)
class Recorded:
    """What the council records say to a question: facts, each with the passage (a search
    hit) that records it; or, for a list they hold nothing of, why (``missing``). Both: no
    motion has the asked outcome, and the facts are those on the subject with another."""

    facts: list[tuple[SearchHit, Fact]] = field(default_factory=list)
    missing: str | None = None


def missing_motions(listing: MotionList, positions: int, total: int) -> str:
    """Why the records list nothing: what was looked for, in Dutch. ``positions``: of how
    many of the ``total`` motions the records say how the asked parties voted (minutes
    mostly give only the tally)."""
    parties = " en ".join(listing.parties)
    if listing.position is not None:
        if not positions:
            return f"De vastgelegde stemmingen zeggen niet per motie hoe {parties} stemde."
        return (
            f"Hoe {parties} stemde, staat bij {positions} van de {total} vastgelegde moties "
            f"en amendementen; bij geen daarvan stemde {parties} {listing.position}."
        )
    noun = "besluit" if "voorstel" in listing.kinds else " of ".join(listing.kinds)
    about = f" over {listing.asked or listing.subject}" if listing.subject else ""
    by = f" van {parties}" if parties else ""
    result = f" die is {' of '.join(listing.results)}" if listing.results else ""
    years = f" in {' of '.join(map(str, listing.years))}" if listing.years else ""
    if listing.days:
        # A day says more than its year: "geen motie die is aangenomen op 13 november 2024".
        years = f" op {' of '.join(dutch_date(day) for day in listing.days)}"
    years += f" sinds {listing.since}" if listing.since is not None else ""
    places = f" in {' of '.join(listing.places)}" if listing.places else ""
    asked = f"{noun}{about}{by}{result}{years}{places}"
    return f"In de vastgelegde moties en stemmingen staat geen {asked}."


def motion_item(fact: VoteFact) -> tuple[str, str]:
    """A motion as one list line ("Motie E.22 (PvdA) ‘Humane huisvesting …’: aangenomen
    met 25 tegen 19 stemmen, 19 december 2024"), and its outcome alone (to find the
    sentence that records it)."""
    named_kind = fact.title.lower().startswith(fact.kind)
    name = " ".join(
        part
        for part in (
            # "Voorstel van het college inzake …" names its kind itself.
            None if named_kind else fact.kind.capitalize(),
            fact.code,
            f"({', '.join(fact.parties)})" if fact.parties else None,
            fact.title.rstrip(". ")
            if named_kind
            else f"‘{fact.title.rstrip('. ')}’"
            if fact.title
            else None,
            # Why it is listed when its title does not say it.
            f"(bij agendapunt ‘{fact.agenda_subject}’)" if fact.by_agenda_subject else None,
        )
        if part
    )
    outcome = _outcome(fact, fact.result) if fact.result else ""
    when = f", {dutch_date(fact.meeting_date)}" if fact.meeting_date else ""
    return f"{name}: {outcome or 'geen uitslag vastgelegd'}{when}", outcome
