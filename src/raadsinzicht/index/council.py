"""Council records in the catalog: what a RIS connector synchronised (sync cursors,
entities and their files, meetings with agenda items, motions with votes) and the vote
facts merged from every place a motion is recorded.

A motion is often recorded in several documents at once: its own PDF (title, submitters,
sometimes an outcome stamp), the besluitenlijst (registration number and outcome), the
minutes (the vote: "aangenomen met 42 tegen 2 stemmen") and the RIS (outcome, tally,
per-member votes). ``vote_facts`` joins these rows into one ``VoteFact`` per motion:
rows are the same motion when they share the meeting date and number ("Y.3" on
13 March 2025), the registration number, the RIS entity, or the title on the same date.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..connectors.base import FeedRecord, RisDocument, RisEntity, RisMeeting, RisMotion
from ..dates import MONTH_NAMES, dutch_date, find_periods
from ..references import normalise_title
from ..wordlists import canonical_party, party_pattern
from .bm25 import tokenize_query
from .catalog import Catalog
from .compounds import compound_parts

__all__ = [
    "CouncilStore",
    "EntityRecord",
    "PartyVote",
    "Passage",
    "SyncState",
    "VoteEvidence",
    "VoteFact",
]


@dataclass(frozen=True, slots=True)
class SyncState:
    connector: str
    source: str
    phase: str  # snapshot | changes
    cursor: str | None
    changes_cursor: str | None


@dataclass(frozen=True, slots=True)
class EntityRecord:
    entity_id: str
    entity_type: str
    content_hash: str
    status: str  # ok | failed | skipped
    abs_path: str | None
    url: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class VoteEvidence:
    """Where a motion or its vote is recorded."""

    file: str
    page: int | None
    document_kind: str  # motie, besluitenlijst, notulen, ... or "ris"
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "page": self.page,
            "document_kind": self.document_kind,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class PartyVote:
    party: str | None
    option: str  # voor | tegen
    members: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "option": self.option, "members": self.members}


@dataclass(slots=True)
class VoteFact:
    """One motion, amendment or proposal with its outcome, as recorded anywhere."""

    kind: str
    title: str
    code: str | None
    ris_number: str | None
    result: str | None
    votes_for: int | None
    votes_against: int | None
    unanimous: bool
    submitters: list[str]
    parties: list[str]  # submitting parties
    votes: list[PartyVote]  # per party (or member) where known
    meeting_date: date | None
    meeting: str | None
    evidence: list[VoteEvidence] = field(default_factory=list)
    score: float = 0.0
    # The agenda item it was submitted at, and whether that (not the title) matched the
    # question: "de motie over de rattenplaag in Mariahoeve" is "Rattenvanger van Den Haag".
    agenda_subject: str = ""
    by_agenda_subject: bool = False

    def party_position(self, party: str) -> str | None:
        """'voor'/'tegen' when the records say how ``party`` voted, else None."""
        canon = canonical_party(party)
        options = {v.option for v in self.votes if v.party == canon}
        return options.pop() if len(options) == 1 else None

    @property
    def tally(self) -> str | None:
        if self.unanimous:
            return "met algemene stemmen"
        if self.votes_for is not None and self.votes_against is not None:
            return f"met {self.votes_for} stemmen voor en {self.votes_against} tegen"
        return None

    def summary(self) -> str:
        """One Dutch sentence: what, by whom, outcome, tally, meeting."""
        label = {"motie": "De motie", "amendement": "Het amendement"}.get(self.kind, "Het voorstel")
        name = " ".join(
            p for p in (self.code, f"({', '.join(self.parties)})" if self.parties else "") if p
        )
        title = f" ‘{self.title}’" if self.title else ""
        outcome = {
            "aangenomen": "is aangenomen",
            "verworpen": "is verworpen",
            "ingetrokken": "is ingetrokken",
            "aangehouden": "is aangehouden",
            "staken": "kreeg evenveel stemmen voor als tegen (de stemmen staakten)",
        }.get(self.result or "", "heeft geen bekende uitslag")
        tally = f" {self.tally}" if self.tally and self.result != "staken" else ""
        when = (
            f" in de vergadering van {dutch_date(self.meeting_date)}" if self.meeting_date else ""
        )
        return f"{label} {name}{title} {outcome}{tally}{when}.".replace("  ", " ")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "code": self.code,
            "ris_number": self.ris_number,
            "result": self.result,
            "votes_for": self.votes_for,
            "votes_against": self.votes_against,
            "unanimous": self.unanimous,
            "tally": self.tally,
            "submitters": self.submitters,
            "parties": self.parties,
            "votes": [v.to_dict() for v in self.votes],
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "meeting": self.meeting,
            "summary": self.summary(),
            "evidence": [e.to_dict() for e in self.evidence],
        }


# Words of a vote question that say nothing about its subject.
_VOTE_WORDS = set(
    tokenize_query(
        "gestemd stemde stemden stemmen stemming stemuitslag uitslag motie moties amendement "
        "amendementen aangenomen verworpen voorstel raad gemeenteraad partij fractie fracties "
        "partijen wat hoe is er het de over welke wie heeft hebben uitkomst "
        # Who voted ("Hoeveel raadsleden stemden tegen …") is no subject either.
        "raadslid raadsleden leden hoeveel kreeg kregen steunden "
        # Separable verb particles ("af te schermen") name no subject, nor do ordinals
        # ("de eerste energiestrategie" is no motion "… eerst aan").
        "af mee toe weg terug uit eerste tweede derde laatste enige"
    )
)
_RX_CODE = re.compile(r"\b([A-Z]{1,2}\.(?:\d{1,2}|[A-Z]{1,2}))\b")


def _specific(titles: int) -> int:
    """How many titles a word may be in and still name a motion's subject."""
    return max(3, round(0.02 * titles))


_RX_PARTY_MOTION = re.compile(
    r"\b([\w/]+)-(?:motie|amendement)\b|\b(?:motie|amendement) van (?:de |het )?([\w/]+)", re.I
)
_RX_MOTION_COMPOUND = re.compile(r"\b(\w{4,}?)-?(motie|moties|amendement|amendementen)\b", re.I)
_RX_DATE_WORDS = re.compile(rf"\b(?:\d+|{'|'.join(MONTH_NAMES)})\b", re.I)
# Which record of a motion is trusted first for its outcome.
_RESULT_PRIORITY = {"notulen": 0, "besluitenlijst": 1, "ris": 2, "motie": 3, "amendement": 3}


class CouncilStore:
    """Reads and writes the council tables of a ``Catalog``."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    # -- sync state ------------------------------------------------------------------------

    def sync_state(self, connector: str, source: str) -> SyncState | None:
        rows = self._catalog.read(
            "SELECT phase, cursor, changes_cursor FROM ris_sync WHERE connector = ? AND source = ?",
            (connector, source),
        )
        if not rows:
            return None
        return SyncState(connector, source, rows[0][0], rows[0][1], rows[0][2])

    def save_sync_state(self, state: SyncState) -> None:
        with self._catalog.transaction(searchable=False) as db:
            db.execute(
                "INSERT OR REPLACE INTO ris_sync (connector, source, phase, cursor, "
                "changes_cursor, "
                "updated_at) VALUES (?, ?, ?, ?, ?, datetime('now'))",
                (state.connector, state.source, state.phase, state.cursor, state.changes_cursor),
            )

    # -- entities --------------------------------------------------------------------------

    def entity(self, entity_id: str) -> EntityRecord | None:
        rows = self._catalog.read(
            "SELECT entity_id, entity_type, content_hash, status, abs_path, url, error "
            "FROM ris_entities WHERE entity_id = ?",
            (entity_id,),
        )
        return EntityRecord(*rows[0]) if rows else None

    def entities(self, connector: str, source: str) -> list[EntityRecord]:
        rows = self._catalog.read(
            "SELECT entity_id, entity_type, content_hash, status, abs_path, url, error "
            "FROM ris_entities WHERE connector = ? AND source = ? ORDER BY entity_id",
            (connector, source),
        )
        return [EntityRecord(*row) for row in rows]

    def failed_documents(self, connector: str, source: str) -> list[tuple[FeedRecord, RisDocument]]:
        """Documents whose download or ingest failed, as they were last announced."""
        rows = self._catalog.read(
            "SELECT entity_id, entity_type, content_hash, name, url, document_type, date, "
            "meeting_id FROM ris_entities WHERE connector = ? AND source = ? AND status = 'failed' "
            "AND url IS NOT NULL ORDER BY entity_id",
            (connector, source),
        )
        return [
            (
                FeedRecord("upsert", row[0], row[1], row[2]),
                RisDocument(
                    entity_id=row[0],
                    name=row[3],
                    url=row[4],
                    document_type=row[5],
                    date=date.fromisoformat(row[6]) if row[6] else None,
                    meeting_id=row[7],
                    is_pdf=True,
                ),
            )
            for row in rows
        ]

    def record_entity(
        self,
        connector: str,
        source: str,
        record: FeedRecord,
        entity: RisEntity | None,
        *,
        status: str,
        abs_path: str | None = None,
        error: str | None = None,
    ) -> None:
        """Remember ``record`` (its content hash decides whether the next sync has work)
        and store the meeting or motion it carries, in one transaction."""
        document = entity if isinstance(entity, RisDocument) else None
        with self._catalog.transaction(searchable=False) as db:
            db.execute(
                "INSERT OR REPLACE INTO ris_entities (entity_id, connector, source, entity_type, "
                "content_hash, name, document_type, date, meeting_id, url, abs_path, status, "
                "error, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, datetime('now'))",
                (
                    record.entity_id,
                    connector,
                    source,
                    record.entity_type,
                    record.content_hash,
                    getattr(entity, "name", "") or "",
                    document.document_type if document else None,
                    _iso(getattr(entity, "date", None)),
                    document.meeting_id if document else getattr(entity, "meeting_id", None),
                    document.url if document else None,
                    abs_path,
                    status,
                    error,
                ),
            )
            if isinstance(entity, RisMeeting):
                self._store_meeting(db, entity, source)
            elif isinstance(entity, RisMotion):
                self._store_motion(db, entity, source)

    def store_related(self, source: str, entities: Sequence[RisEntity]) -> None:
        """Meetings and motions learnt from an entity's detail (not feed records)."""
        with self._catalog.transaction(searchable=False) as db:
            for entity in entities:
                if isinstance(entity, RisMeeting):
                    self._store_meeting(db, entity, source)
                elif isinstance(entity, RisMotion):
                    self._store_motion(db, entity, source)

    @staticmethod
    def _store_meeting(db: Any, meeting: RisMeeting, source: str) -> None:
        db.execute(
            "INSERT OR REPLACE INTO meetings (meeting_id, source, name, date, committee) "
            "VALUES (?, ?, ?, ?, ?)",
            (meeting.entity_id, source, meeting.name, _iso(meeting.date), meeting.committee),
        )
        if not meeting.complete:
            return
        db.execute("DELETE FROM agenda_items WHERE meeting_id = ?", (meeting.entity_id,))
        for item in meeting.agenda:
            db.execute(
                "INSERT OR REPLACE INTO agenda_items (item_id, meeting_id, number, title, "
                "position, "
                "parent_id) VALUES (?, ?, ?, ?, ?, ?)",
                (item.item_id, meeting.entity_id, item.number, item.title, item.position,
                 item.parent_id),
            )  # fmt: skip
            db.executemany(
                "INSERT OR IGNORE INTO agenda_documents (item_id, entity_id) VALUES (?, ?)",
                [(item.item_id, doc_id) for doc_id in item.document_ids],
            )

    @staticmethod
    def _store_motion(db: Any, motion: RisMotion, source: str) -> None:
        meeting_date = None
        if motion.meeting_id:
            row = db.execute(
                "SELECT date FROM meetings WHERE meeting_id = ?", (motion.meeting_id,)
            ).fetchone()
            meeting_date = row[0] if row else None
        db.execute("DELETE FROM motions WHERE motion_key = ?", (motion.entity_id,))
        db.execute(
            "INSERT INTO motions (motion_key, origin, kind, title, result, votes_for, "
            "votes_against, submitters, parties, meeting_id, meeting_date, agenda_item_id, "
            "attachment_ids, evidence) VALUES (?, 'ris', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                motion.entity_id,
                motion.kind,
                motion.name,
                motion.result,
                motion.votes_for,
                motion.votes_against,
                json.dumps(list(motion.submitters), ensure_ascii=False),
                json.dumps(
                    [canonical_party(p) for p in motion.parties if canonical_party(p)],
                    ensure_ascii=False,
                ),
                motion.meeting_id,
                meeting_date or _iso(motion.date),
                motion.agenda_item_id,
                json.dumps(list(motion.attachment_ids), ensure_ascii=False),
                motion.vote_summary or f"{source}: {motion.name}",
            ),
        )
        db.executemany(
            "INSERT INTO votes (motion_key, option, party, member) VALUES (?, ?, ?, ?)",
            [
                (motion.entity_id, vote.option, canonical_party(vote.party), vote.member)
                for vote in motion.votes
            ],
        )

    def forget_entity(self, entity_id: str) -> EntityRecord | None:
        """Drop what a tombstone deletes (the file is the caller's); returns what was kept."""
        record = self.entity(entity_id)
        with self._catalog.transaction(searchable=False) as db:
            db.execute("DELETE FROM ris_entities WHERE entity_id = ?", (entity_id,))
            db.execute("DELETE FROM meetings WHERE meeting_id = ?", (entity_id,))
            db.execute("DELETE FROM motions WHERE motion_key = ? AND origin = 'ris'", (entity_id,))
            db.execute("DELETE FROM agenda_documents WHERE entity_id = ?", (entity_id,))
        return record

    def meeting_count(self, source: str | None = None) -> int:
        if source:
            rows = self._catalog.read("SELECT count(*) FROM meetings WHERE source = ?", (source,))
        else:
            rows = self._catalog.read("SELECT count(*) FROM meetings")
        return int(rows[0][0])

    def document_links(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """RIS links of catalog documents: entity, type, meeting (name, date), agenda item."""
        if not doc_ids:
            return {}
        rows = self._catalog.read(
            "SELECT f.doc_id, e.entity_id, e.source, e.document_type, e.meeting_id, m.name, "
            "m.date, ai.item_id, ai.number, ai.title FROM files f "
            "JOIN ris_entities e ON e.abs_path = f.abs_path "
            "LEFT JOIN agenda_documents ad ON ad.entity_id = e.entity_id "
            "LEFT JOIN agenda_items ai ON ai.item_id = ad.item_id "
            "LEFT JOIN meetings m ON m.meeting_id = coalesce(ai.meeting_id, e.meeting_id) "
            f"WHERE f.doc_id IN ({','.join('?' * len(doc_ids))})",
            list(doc_ids),
        )
        links: dict[str, dict[str, Any]] = {}
        for row in rows:
            links.setdefault(
                row[0],
                {
                    "entity_id": row[1],
                    "source": row[2],
                    "document_type": row[3],
                    "meeting_id": row[4],
                    "meeting": row[5],
                    "meeting_date": row[6],
                    "agenda_item_id": row[7],
                    "agenda_item": " ".join(p for p in (row[8], row[9]) if p) or None,
                },
            )
        return links

    # -- vote facts ------------------------------------------------------------------------

    def _motion_rows(self, hidden: Collection[str] = ()) -> list[dict[str, Any]]:
        """Every recorded motion row with its votes; without rows read from documents that
        lie only in the ``hidden`` collections (and naming a visible file of the others)."""
        visible = (
            {d.doc_id: d.file for d in self._catalog.documents(hidden=hidden)} if hidden else None
        )
        rows = self._catalog.read(
            "SELECT m.*, d.kind AS doc_kind, "
            "(SELECT rel_path FROM files f WHERE f.doc_id = m.doc_id ORDER BY rowid LIMIT 1) "
            "AS file, "
            "mt.name AS meeting_name, ai.title AS agenda_title "
            "FROM motions m LEFT JOIN documents d ON d.doc_id = m.doc_id "
            "LEFT JOIN meetings mt ON mt.meeting_id = m.meeting_id "
            "LEFT JOIN agenda_items ai ON ai.item_id = m.agenda_item_id"
        )
        votes: dict[str, list[PartyVote]] = {}
        for row in self._catalog.read("SELECT motion_key, option, party, member FROM votes"):
            votes.setdefault(row[0], []).append(PartyVote(row[2], row[1], row[3]))
        # A RIS attachment that was downloaded is the motion's own PDF.
        attachment_docs = {
            row[0]: row[1]
            for row in self._catalog.read(
                "SELECT e.entity_id, f.doc_id FROM ris_entities e "
                "JOIN files f ON f.abs_path = e.abs_path"
            )
        }
        out = []
        for row in rows:
            item = dict(row)
            if visible is not None and item["doc_id"] is not None:
                if item["doc_id"] not in visible:
                    continue
                item["file"] = visible[item["doc_id"]]
            item["votes"] = votes.get(item["motion_key"], [])
            item["attachment_docs"] = [
                attachment_docs[a]
                for a in json.loads(item["attachment_ids"])
                if a in attachment_docs and (visible is None or attachment_docs[a] in visible)
            ]
            out.append(item)
        return out

    def vote_facts(
        self,
        question: str = "",
        *,
        results: Sequence[str] = (),
        meetings: Sequence[str] = (),
        limit: int = 10,
        hidden: Collection[str] = (),
        found_in: Passage | None = None,
        kinds: Sequence[str] = (),
        parties: Sequence[str] = (),
        subject: str | None = None,
    ) -> list[VoteFact]:
        """Motions (with votes) matching ``question``'s subject words (party names and
        vote vocabulary are not subject words), best match first; all when it has none.
        When no title matches: the motion whose text in ``found_in`` (the search's best
        passage) holds the question's words. Documents only in the ``hidden`` collections
        do not count. ``kinds`` ("motie", "amendement"), ``parties`` (submitting, as well
        as those the question names as submitters) narrow the list; ``subject``: the
        words to match instead of the question's, for a list of motions, which then holds
        only those voted in the period the question names."""
        groups = _group(self._motion_rows(hidden))
        facts = [self._merge(group) for group in groups]
        rows_of = {id(fact): group for fact, group in zip(facts, groups, strict=True)}
        if results:
            facts = [f for f in facts if f.result in results]
        if kinds:
            facts = [f for f in facts if f.kind in kinds]
        if meetings:
            facts = [f for f in facts if f.meeting_date and f.meeting_date.isoformat() in meetings]
        # "Hoe liep in december 2024 de stemming af …": the motions voted on then, when
        # the records hold any (else the question's date is about something else).
        periods = find_periods(question)
        voted_then = [
            f for f in facts if f.meeting_date and any(a <= f.meeting_date <= b for a, b in periods)
        ]
        # A list asked for a period holds that period's motions, also when there are none.
        facts = voted_then if voted_then or (periods and subject is not None) else facts
        codes = set(_RX_CODE.findall(question))
        # "de GroenLinks-motie", "het amendement van de VVD": who submitted it. (A party
        # named elsewhere may be one that voted.)
        submitters = {
            canonical_party(name)
            for pair in _RX_PARTY_MOTION.findall(question)
            for name in pair
            if name and party_pattern().fullmatch(name)
        } | {party for name in parties if (party := canonical_party(name))}
        if submitters:
            facts = [
                f
                for f in facts
                if submitters & {canonical_party(p) for p in f.parties}
                # An unknown submitter may be the one asked for, but a list names only
                # the motions the records say are that party's.
                or (not f.parties and f.kind in ("motie", "amendement") and subject is None)
            ]
        # "de Voorjaarsnota 2026" is not the Voorjaarsnota 2025, though dates say when (and
        # so are left out of the words matched below).
        facts = [f for f in facts if not _other_year(question, f.title)]
        about = question if subject is None else subject
        about = party_pattern().sub(" ", _RX_CODE.sub(" ", about))
        # "sleutelgeldmotie": the subject is what comes before "motie"; dates ("maart 2025")
        # say when, not what (a year in a title matched every motion of that year).
        about = _RX_MOTION_COMPOUND.sub(r"\1 \2", about)
        about = _RX_DATE_WORDS.sub(" ", about)
        terms = [t for t in dict.fromkeys(tokenize_query(about)) if t not in _VOTE_WORDS]
        if terms or codes:
            title_terms = [tokenize_query(fact.title) for fact in facts]
            agenda_terms = {
                a: tokenize_query(a)
                for a in {fact.agenda_subject for fact in facts if fact.agenda_subject}
            }
            if subject is not None:
                terms = _split_unknown(about, terms, [*title_terms, *agenda_terms.values()])
            # A word also matches as the first part of a title's compound ("drukst
            # bezochte" in "drukstbezochte speeltuinen").
            titles = [_with_compound_parts(words, terms) for words in title_terms]
            # The agenda item a motion was submitted at says what it is about when its title
            # says it otherwise: "Rattenvanger van Den Haag", at "Beantwoording schriftelijke
            # vragen Ratten grijpen de macht in Mariahoeve". A list of motions about a
            # subject holds those too (weighed by title and agenda item together); one
            # motion asked about is named by its title first, by its agenda item last.
            agendas = {a: _with_compound_parts(words, terms) for a, words in agenda_terms.items()}
            both = [
                title | agendas.get(fact.agenda_subject, set())
                for fact, title in zip(facts, titles, strict=True)
            ]
            # A word is specific when few titles, or few agenda items, have it (one item
            # holds many motions).
            specific = _specific_terms(titles, terms) | _specific_terms(agendas.values(), terms)
            listing = subject is not None
            # "Welke moties over parkeren …?": a list on one word asks for every motion with
            # it, however many have it ("Haagse" alone names no one motion; all of them is
            # what such a list asks for).
            one_word = listing and len(terms) == 1
            by_title = _coverages(titles, terms, set(terms) if one_word else None)
            by_both = _coverages(both, terms, set(terms) if one_word else specific)
            if listing and any(
                len(term) >= _NAMING_LENGTH and not any(term in text for text in both)
                for term in terms
            ):
                # "Wat heeft de raad besloten over het referendum over parkeren?": no
                # motion or agenda item says "referendum", and the parking motions are
                # not about it.
                by_title = by_both = [0.0] * len(facts)
            for fact, title_score, both_score in zip(facts, by_title, by_both, strict=True):
                fact.score = (both_score if listing else title_score) + (
                    1.0 if fact.code in codes else 0.0
                )
                fact.by_agenda_subject = listing and title_score < 0.5 <= both_score
            matches = [f for f in facts if f.score >= 0.5]
            # The question names the motion in other words than its title ("broedplekken
            # van strandvogels" for "(ont)Zie de Haagse strandbroeders"): the search found
            # its text.
            found = None
            if found_in and not matches:
                found = _motion_in_passage(found_in, facts, rows_of, terms)
                if found is None and not _RX_MOTION_WORD.search(question):
                    found = _proposal_of_section(found_in, facts, rows_of)
            if found is not None:
                found.score = 0.5
                matches = [found]
            if not matches and not listing and _RX_MOTION_WORD.search(question):
                # A list matched title and agenda item at once. One motion is named by its
                # agenda item only when the question asks for a motion: "Met welke
                # stemverhouding stelde de raad de Voorjaarsnota vast?" asks for the
                # proposal, not a motion voted at its item.
                for fact, both_score in zip(facts, by_both, strict=True):
                    fact.score = both_score
                    fact.by_agenda_subject = both_score >= 0.5
                matches = [f for f in facts if f.by_agenda_subject]
            facts = matches
        # Equally matched: the motion whose whole title the question writes ("de motie van
        # afkeuring" is the "Motie van afkeuring", not "Afkeuring over uitspraken van de
        # wethouder"), then one with an outcome, then the newest.
        asked = _term_line(question)  # once, not per motion
        facts.sort(
            key=lambda f: (
                -f.score,
                not _holds_title(asked, f.title),
                f.result is None,
                -(f.meeting_date or date.min).toordinal(),
            )
        )
        return facts[:limit]

    @staticmethod
    def _merge(group: list[dict[str, Any]]) -> VoteFact:
        def rank(row: dict[str, Any]) -> int:
            return _RESULT_PRIORITY.get(row["doc_kind"] or row["origin"], 4)

        by_rank = sorted(group, key=rank)
        own = [r for r in group if r["doc_kind"] in ("motie", "amendement")]
        titled = [r for r in own if r["title"]] or sorted(
            (r for r in group if r["title"]), key=lambda r: (rank(r) != 1, -len(r["title"]))
        )
        kinds = [r["kind"] for r in own] or [r["kind"] for r in group]
        result = next((r["result"] for r in by_rank if r["result"]), None)
        counted = next((r for r in by_rank if r["votes_for"] is not None), None)
        submitters: list[str] = []
        parties: list[str] = []
        votes: list[PartyVote] = []
        evidence: list[VoteEvidence] = []
        # Evidence of the vote first (tally, then outcome), then where the motion stands.
        for row in sorted(
            by_rank, key=lambda r: (r["votes_for"] is None, r["result"] is None, rank(r))
        ):
            submitters += [s for s in json.loads(row["submitters"]) if s not in submitters]
            parties += [p for p in json.loads(row["parties"]) if p and p not in parties]
            votes += [v for v in row["votes"] if v not in votes]
            evidence.append(
                VoteEvidence(
                    file=row["file"] or row["motion_key"],
                    page=row["page"],
                    document_kind=row["doc_kind"] or "ris",
                    text=row["evidence"],
                )
            )
        meeting_date = next((r["meeting_date"] for r in group if r["meeting_date"]), None)
        return VoteFact(
            kind=max(set(kinds), key=kinds.count) if kinds else "motie",
            title=titled[0]["title"] if titled else "",
            code=next((r["code"] for r in group if r["code"]), None),
            ris_number=next((r["ris_number"] for r in by_rank if r["ris_number"]), None),
            result=result,
            votes_for=counted["votes_for"] if counted else None,
            votes_against=counted["votes_against"] if counted else None,
            unanimous=any(r["unanimous"] for r in group),
            submitters=submitters,
            parties=parties,
            votes=votes,
            meeting_date=date.fromisoformat(meeting_date[:10]) if meeting_date else None,
            meeting=next((r["meeting_name"] for r in group if r["meeting_name"]), None),
            evidence=evidence,
            agenda_subject=next(
                (s for r in group if (s := r["agenda_subject"] or r["agenda_title"])), ""
            ),
        )


_RX_NAMED_YEAR = re.compile(r"\b([^\W\d_][\w-]{3,})\s+((?:19|20)\d{2})\b")


def names_title(question: str, title: str) -> bool:
    """Does ``question`` hold a motion's whole ``title`` (as stemmed terms)?"""
    return _holds_title(_term_line(question), title)


def _term_line(text: str) -> str:
    """``text``'s stemmed terms in order, space-delimited on both ends."""
    return f" {' '.join(tokenize_query(text))} "


def _holds_title(term_line: str, title: str) -> bool:
    words = " ".join(tokenize_query(title))
    return bool(words) and f" {words} " in term_line


def _other_year(question: str, title: str) -> bool:
    """Does ``question`` name a thing with a year ("de Voorjaarsnota 2026") that ``title``
    names with another ("Voorjaarsnota 2025")?"""
    for word, year in _RX_NAMED_YEAR.findall(question):
        titled = re.search(rf"\b{re.escape(word)}\s+((?:19|20)\d{{2}})\b", title, re.IGNORECASE)
        if titled is not None and titled.group(1) != year:
            return True
    return False


_NAMING_LENGTH = 6  # a subject word this long that no record has: the list is empty


def _specific_terms(texts: Collection[set[str]], terms: Sequence[str]) -> set[str]:
    """The ``terms`` that few of ``texts`` have: "Haagse" or "bestemmingsplan" alone name no
    motion (a question about a motion that is not in the records got the tally of any
    "Haagse" one)."""
    most = _specific(len(texts))
    return {t for t in terms if 0 < sum(1 for text in texts if t in text) <= most}


def _coverages(
    texts: Sequence[set[str]], terms: Sequence[str], specific: set[str] | None = None
) -> list[float]:
    """Per motion (the terms of its title, or title and agenda item, in ``texts``): the
    share of the question's ``terms`` it holds, each weighted by how rare it is among the
    motions ("hoogbegaafdheid" decides, "raad" hardly); 0 without one of the ``specific``
    terms (by default: those few texts have). Only words some motion has count
    ("besloot", "januari" never do)."""
    document_frequency = {t: sum(1 for text in texts if t in text) for t in terms}
    weights = {t: math.log(1 + len(texts) / df) for t, df in document_frequency.items() if df}
    total = sum(weights.values())
    if specific is None:
        specific = _specific_terms(texts, terms)
    return [
        sum(w for t, w in weights.items() if t in text) / total
        if total and specific & text
        else 0.0
        for text in texts
    ]


def _split_unknown(about: str, terms: list[str], named: Sequence[Sequence[str]]) -> list[str]:
    """``terms`` of a list's subject with a compound no title or agenda item (``named``:
    their terms) holds in its parts, when one of them holds them all ("woningbouw":
    "Woningen bouwen is meer dan stenen stapelen"); not "kabelbaan" for "jeu de boules
    banen"."""
    texts = [set(words) for words in named]
    known = set().union(*texts)
    parts = compound_parts(about, lambda stem: stem in known)
    split = list(dict.fromkeys(stem for part in parts for stem in tokenize_query(part)))
    if not split or not any(set(split) <= text for text in texts):
        return terms
    return list(dict.fromkeys([t for t in terms if t in known or len(t) < 8] + split))


def _with_compound_parts(title_terms: Sequence[str], terms: Sequence[str]) -> set[str]:
    """A title's terms, plus each of ``terms`` (5 letters or more) that begins one of
    them before at least 4 more letters: the first part of a compound ("drukst" in
    "drukstbezocht"), also with the long vowel a verb's stem loses ("parker" of "parkeren"
    in "parkeerplek"). Not its end: "scherm" ends "huurbescherm" but is no part of it."""
    found = set(title_terms)
    found.update(
        term
        for term in terms
        if len(term) >= 5
        and any(
            len(word) >= len(term) + 4 and word.startswith(_modifier_forms(term))
            for word in title_terms
        )
    )
    return found


_VOWELS = "aeiouy"


def _modifier_forms(term: str) -> tuple[str, ...]:
    """``term`` as a compound's first part: as it is, and with its last syllable's vowel
    doubled where the stemmer shortened it ("parker" → "parkeer": "parkeren" is spelled
    "parkeer" before another word, as in "parkeerplek", "parkeergarage")."""
    vowel, last, before = term[-2], term[-1], term[-3]
    if vowel in "aeou" and last not in _VOWELS and before not in _VOWELS:
        return (term, f"{term[:-1]}{vowel}{last}")
    return (term,)


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of an indexed document (a search hit's chunk) where a motion's text may
    stand, with the text before it (the chunk before: where its heading may be)."""

    doc_id: str
    pages: Sequence[int]  # of the passage and of the text before it
    text: str
    preceding: str = ""
    heading: str = ""  # the section it stands in (minutes: the agenda item)


_RX_MOTION_END = re.compile(r"orde\s+van\s+de\s+dag", re.I)


def _motion_in_passage(
    passage: Passage,
    facts: Sequence[VoteFact],
    rows_of: dict[int, list[dict[str, Any]]],
    terms: Sequence[str],
) -> VoteFact | None:
    """The motion whose text in ``passage`` holds more of the question's ``terms`` than
    any other motion's and than the words around them (debate). A motion's text runs from
    its heading ("Motie L.2 GL …", recorded on the passage's pages) to "… en gaat over tot
    de orde van de dag" or the next heading."""
    whole = f"{passage.preceding}\n{passage.text}"
    own_from = len(whole) - len(passage.text)  # what the search found
    headings: list[tuple[int, VoteFact]] = []
    for fact in facts:
        rows = rows_of[id(fact)]
        if not fact.code or not any(
            r["doc_id"] == passage.doc_id and r["page"] in passage.pages for r in rows
        ):
            continue
        heading = re.search(
            rf"\b(?:motie|amendement)\s+{re.escape(fact.code)}(?![\w.])", whole, re.I
        )
        if heading:
            headings.append((heading.start(), fact))
    if not headings or not terms:
        return None
    headings.sort(key=lambda item: item[0])
    wanted = set(terms)

    def coverage(start: int, end: int) -> set[str]:
        return wanted & set(tokenize_query(whole[max(start, own_from) : end]))

    covered: list[tuple[set[str], VoteFact]] = []
    elsewhere = set(tokenize_query(passage.text)) & wanted
    for i, (start, fact) in enumerate(headings):
        stop = headings[i + 1][0] if i + 1 < len(headings) else len(whole)
        end = _RX_MOTION_END.search(whole, start, stop)
        words = coverage(start, end.end() if end else stop)
        covered.append((words, fact))
    inside = set().union(*(words for words, _ in covered))
    # Words only outside every motion's text (debate) speak against all of them.
    elsewhere -= inside
    covered.sort(key=lambda item: -len(item[0]))
    best, fact = covered[0]
    if not best or len(best) <= len(elsewhere):
        return None
    if len(covered) > 1 and len(covered[1][0]) == len(best):
        return None
    return fact


_RX_MOTION_WORD = re.compile(r"(?:motie|amendement)", re.I)
_RX_AGENDA_LETTER = re.compile(r"^\s*[A-Z]{1,2}\.\s+")


def _proposal_of_section(
    passage: Passage, facts: Sequence[VoteFact], rows_of: dict[int, list[dict[str, Any]]]
) -> VoteFact | None:
    """The proposal voted on in the minutes' agenda item whose debate ``passage`` stands in
    (its heading "N. Voorstel van het college inzake …" begins the proposal's title), for
    a question about a proposal in other words than its title."""
    heading = normalise_title(_RX_AGENDA_LETTER.sub("", passage.heading))
    if len(heading) < 20:
        return None  # "Besluit:", "Beraadslaging": no agenda item
    voted = [
        fact
        for fact in facts
        if fact.kind == "voorstel"
        and fact.title
        and normalise_title(fact.title).startswith(heading)
        and any(r["doc_id"] == passage.doc_id for r in rows_of[id(fact)])
    ]
    return voted[0] if len(voted) == 1 else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _group(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows recording the same motion, by shared keys (union-find)."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, ...], int] = {}
    for i, row in enumerate(rows):
        keys: list[tuple[str, ...]] = []
        family = "voorstel" if row["kind"] == "voorstel" else "motie"
        if row["code"] and row["meeting_date"]:
            keys.append(("code", family, row["meeting_date"][:10], row["code"]))
        if row["ris_number"]:
            keys.append(("ris", row["ris_number"]))
        if row["title"] and row["meeting_date"] and family == "motie":
            keys.append(("title", row["meeting_date"][:10], normalise_title(row["title"])))
        if row["origin"] == "pdf" and row["doc_kind"] in ("motie", "amendement"):
            keys.append(("doc", row["doc_id"]))
        keys += [("doc", doc_id) for doc_id in row["attachment_docs"]]
        for key in keys:
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[dict[str, Any]]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(find(i), []).append(row)
    return list(groups.values())
