"""Answers from the council records: the motions a list question asks for, the vote on a
motion, who submitted it. Each fact comes with the passage (as a search hit) of the page
that records it, so an answer cites and quotes it like any other source.

Reads the motions ``CouncilStore`` merges from every document that records them, for one
user: documents in collections the user may not see record nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial

from .dates import dutch_date
from .facts import (
    LIST_SHOWN,
    Fact,
    MotionList,
    Recorded,
    about_motion,
    asks_submitter,
    asks_vote,
    decision_stamp,
    locate_submitter,
    locate_text,
    locate_vote,
    missing_motions,
    motion_item,
    motion_list,
    names_proposal,
    submitter_evidence,
    submitter_value,
    titled,
    vote_value,
)
from .grounding import coverage
from .index.catalog import Catalog, ChunkRecord, DocumentRecord
from .index.council import VoteEvidence, VoteFact, names_title
from .metadata import find_parties
from .places import another_municipality, places_named
from .retrieve import SearchHit, page_at, record_hit

__all__ = ["CouncilAnswers"]


# A proposal is about a list's subject when its title holds this share of the subject's
# weighted words.
_TITLE_SUBJECT = 0.75
_TITLE_HALF = 0.5  # … or this share, and its opening passage the rest


def _named_submitters(question: str, motions: Sequence[VoteFact]) -> set[str]:
    """The submitters of ``motions`` whose surname the question writes as a name ("Arp",
    "de Ridder": capitalised), with their first name where it gives one."""
    names = {s for vote in motions for s in vote.submitters}
    return {name for name in names if _names_member(question, name)}


def _names_member(question: str, name: str) -> bool:
    """Does ``question`` name the member ``name`` ("Lesley Arp"): their surname as a
    capitalised word, and no other first name right before it."""
    words = name.split()
    if len(words) < 2:
        return False
    found = re.search(rf"(?:\b(\w+)\s+)?\b{re.escape(words[-1])}\b", question)
    if found is None or not words[-1][:1].isupper():
        return False
    before = found.group(1)
    return (
        before is None or not before[:1].isupper() or before in words or before in _QUESTION_OPENERS
    )


# "heeft Rutger de Ridder ingediend", "van Jan Arp": a person named as the one who submitted.
_MEMBER = re.compile(
    r"\b(?:heeft|hebben|van|door)\s+(?P<name>[A-Z][\w'’-]+(?:\s+(?:van|de|der|den|ter|ten)){0,2}"
    r"\s+[A-Z][\w'’-]+)"
)


# "Wat vraagt de motie over hoogbegaafdheid (van het college)?", "Wat wil de SP met de
# motie over sleutelgeld?", "Wat houdt het amendement over badhuisarchitectuur in?": what
# its dictum asks, not the sentences that restate the motion (a letter about it, a debate).
_REQUEST_VERBS = (
    r"vraagt|vroeg|verzoekt|verzocht|wil|wilde|beoogt|beoogde|eist|eiste|houdt|hield|wijzigt|"
    r"wijzigde"
)
_ASKS_REQUEST = re.compile(
    rf"^\s*wat\s+(?:(?:{_REQUEST_VERBS})\b[^?]*\b(?:motie|amendement)\b|(?:is|was)\s+(?:het\s+"
    r"verzoek|de\s+strekking|het\s+dictum)\b[^?]*\b(?:motie|amendement)\b)",
    re.IGNORECASE,
)
# The asking words say nothing of which motion: they do not weigh in matching its title.
_REQUEST_WORDS = re.compile(
    rf"\b(?:{_REQUEST_VERBS}|verzoek|strekking|dictum|in|college|regering|burgemeester)\b",
    re.IGNORECASE,
)
# The summary point that holds a motion's request, an amendment's change (``outline``).
_REQUEST_LABELS = {"motie": "Verzoek", "amendement": "Wijziging"}


# "Wat is het voorgestelde besluit over het bestemmingsplan Strand?", "Wat zijn de
# beslispunten van …?", "Wat stelt het college voor in het raadsvoorstel over …?": a council
# proposal's dictum.
_ASKS_PROPOSED = re.compile(
    r"^\s*wat\s+(?:(?:is|was|zijn|waren)\s+(?:het|de)\s+(?:voorgestelde?\s+besluit|"
    r"ontwerpbesluit|beslispunten|dictum)\b|(?:stelt|stelde|stellen|stelden)\s+(?:het\s+"
    r"college|het\s+presidium|de\s+burgemeester|b\s*(?:&|en)\s*w|gs|gedeputeerde\s+staten)\b"
    r"[^?]*\bvoor\b)",
    re.IGNORECASE,
)
# The asking words say nothing of which proposal: they do not weigh in matching its title.
_PROPOSAL_WORDS = re.compile(
    r"\b(?:voorgestelde?|besluit|ontwerpbesluit|beslispunten|dictum|stelt|stelde|stellen|"
    r"stelden|voor|college|presidium|burgemeester|raadsvoorstel|voorstel|collegevoorstel|"
    r"statenvoorstel|in|over|van)\b",
    re.IGNORECASE,
)
_POINT_SHOWN = 3  # sentences quoted of a motion's request or reasons, a proposal's dictum


def asks_proposed_decision(question: str) -> bool:
    """Whether ``question`` asks what a council proposal proposes to decide (not what a
    motion asks: ``asks_request``)."""
    return _ASKS_PROPOSED.search(question) is not None and not any(
        word.search(question) for word in _KIND_WORDS.values()
    )


# "Waarom wil de SP de sloopsubsidie verlengen?", "Waarom diende de VVD het amendement over
# badhuisarchitectuur in?": why a motion or amendment asks what it asks. Not why a party
# voted as it did (its explanation in the debate).
_ASKS_REASON = re.compile(
    r"^\s*waarom\b(?![^?]*\b(?:stemde|stemden|stemt|stemmen|gestemd|aangenomen|verworpen|"
    r"ingetrokken|aangehouden)\b)",
    re.IGNORECASE,
)
# A motion's or amendment's reasons (``outline.REASONS``).
_REASON_LABELS = {"motie": "Overwegingen", "amendement": "Toelichting"}


def asks_reason(question: str) -> bool:
    """Whether ``question`` asks why, not why a vote went as it did: answered from a
    motion's or amendment's reasons when it names one (``CouncilAnswers._requested``)."""
    return _ASKS_REASON.search(question) is not None


def asks_request(question: str) -> bool:
    """Whether ``question`` asks what a motion or amendment asks for, or changes."""
    return _ASKS_REQUEST.search(question) is not None


def _without_parties(text: str) -> str:
    """``text`` without the parties it names: "Waarom wil Hart voor Den Haag altijd een
    parkeerdrukmeting?" names the motion by "altijd parkeerdrukmeting", its submitter by
    the party."""
    for start, end, _ in sorted(find_parties(text), reverse=True):
        text = f"{text[:start]} {text[end:]}"
    return text


def _same_title(recorded: str, title: str) -> bool:
    """Does a vote record's title name the same proposal as a document's title (one holds
    the other: "Voorjaarsnota 2025" and "Voorstel van het college inzake Voorjaarsnota 2025")?"""
    return bool(recorded) and (names_title(title, recorded) or names_title(recorded, title))


def _named(vote: VoteFact) -> str:
    """ "de motie ‘Motie van afkeuring’ (L.2, ChristenUnie/SGP)"."""
    said = ", ".join(part for part in (vote.code, *vote.parties[:1]) if part)
    article = "het" if vote.kind == "amendement" else "de"
    return f"{article} {vote.kind} ‘{vote.title}’" + (f" ({said})" if said else "")


_KIND_WORDS = {
    "motie": re.compile(r"\bmoties?\b", re.IGNORECASE),
    "amendement": re.compile(r"\bamendement(?:en)?\b", re.IGNORECASE),
}


def _asked_kind(question: str) -> str | None:
    """The one kind of council record ``question`` names ("motie" or "amendement"), if one."""
    named = [kind for kind, word in _KIND_WORDS.items() if word.search(question)]
    return named[0] if len(named) == 1 else None


def _alone_titled(question: str, votes: Sequence[VoteFact], weights: Mapping[str, float]) -> bool:
    """Is the first of ``votes`` the only one whose title holds what ``question`` asks about?"""
    first, *others = votes
    return titled(question, first, weights) and not any(
        titled(question, other, weights) for other in others
    )


def _asked_member(question: str) -> str | None:
    """A person's name (two words or more, not a party or a place) the question gives as
    a motion's submitter ("Welke moties heeft Rutger de Ridder ingediend?")."""
    found = _MEMBER.search(question)
    if found is None:
        return None
    name = found.group("name")
    if find_parties(name) or places_named(name):
        return None
    return name


_QUESTION_OPENERS = frozenset({"Welke", "Wat", "Wie", "Hoeveel", "Heeft", "Hebben"})
# A list of the council's decisions shows the proposals first.
_DECISION_ORDER = {"voorstel": 0, "amendement": 1, "motie": 2}


class CouncilAnswers:
    """The council records' answers for one user. ``vote_facts``: ``Engine.vote_facts``
    for that user; ``question_weights``: a question's words weighted by their IDF;
    ``hidden``: the collections the user may not see."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        vote_facts: Callable[..., list[VoteFact]],
        question_weights: Callable[[str], dict[str, float]],
        hidden: frozenset[str],
    ) -> None:
        self._catalog = catalog
        self._vote_facts = vote_facts
        self._question_weights = question_weights
        self._hidden = hidden

    def facts(self, question: str, hits: Sequence[SearchHit]) -> Recorded:
        """Facts from the council records, each with the passage that records it. For a
        question for a list of motions ("Welke moties over huisvesting zijn
        aangenomen?"): those that fit, most relevant and newest first (or why none does,
        when the records hold motions of the asked kind). For a question about a vote:
        the best matching motion's vote (by title, else the motion whose text is the best
        of ``hits``), with what it shows (outcome and tally, or party positions). For a
        question who submitted a motion: its submitters and party, from the page that
        names them. Nothing when the question asks none of these, or the records do not
        hold it."""
        listing = motion_list(question)
        if listing is not None:
            recorded = self._listed(question, listing)
            if recorded.facts or recorded.missing:
                return recorded
        voted = asks_vote(question)
        if not voted and asks_request(question):
            return self._requested(question, hits)
        if not voted and asks_reason(question):
            return self._requested(question, hits, _REASON_LABELS)
        if not voted and asks_proposed_decision(question):
            return self._proposed(question, hits)
        if not voted and not asks_submitter(question):
            return Recorded()
        # A motion named in other words than its title is the one whose text the search
        # found, for a vote; who submitted it is then read from that text (``FactFinder``).
        found_in = hits[0] if hits and voted else None
        # Whether a motion's title names it weighs the question's words (once, not per motion).
        weights = self._question_weights(question)
        votes = self._vote_facts(question, limit=3, found_in=found_in)
        asked = _asked_kind(question)
        if asked is not None:
            # "de motie over de Pletterijkade": a motion whose title names it before an
            # amendment on it, when both are recorded.
            votes.sort(
                key=lambda vote: not (vote.kind == asked and titled(question, vote, weights))
            )
        if (
            voted
            and not about_motion(question)
            and not (votes and titled(question, votes[0], weights))
        ):
            # "Is de startnotitie referendum parkeren aangenomen?": no record's title names
            # it, and a proposal the search found is stamped with the council's outcome.
            stamped = self._stamped(hits, question, weights)
            if stamped.facts:
                return stamped
        for vote in votes:
            if voted:
                answer = vote_value(question, vote)
                if (
                    answer is None
                    and vote is votes[0]
                    and vote.result is None
                    and (
                        names_title(question, vote.title) or _alone_titled(question, votes, weights)
                    )
                ):
                    # The motion the question names (by its whole title, or the only one whose
                    # title holds what it asks about) has no recorded outcome: that, not the
                    # outcome of the next best match ("het amendement over sociale veiligheid"
                    # is not the motion on "sociale huurwoningen").
                    return Recorded(missing=f"Van {_named(vote)} is geen uitslag vastgelegd.")
            elif titled(question, vote, weights):
                answer = submitter_value(question, vote)
            else:
                continue
            if answer is None:
                continue
            value, kind = answer
            if voted:
                located = self._recorded(vote, question, partial(locate_vote, value=value))
            else:
                located = self._recorded(
                    vote,
                    question,
                    partial(locate_submitter, fact=vote),
                    submitter_evidence(vote),
                )
            if located is not None:
                hit, (page, chunk, offset, sentence) = located
                field = "vote" if voted else "submitter"
                fact = Fact(field, value, kind, 0, page, chunk, offset, sentence)
                return Recorded([(hit, fact)])
        return Recorded()

    def _listed(self, question: str, listing: MotionList) -> Recorded:
        """The motions a list question asks for (at most LIST_SHOWN, each with the passage
        that records it); why none, when the records hold motions of the asked kinds."""
        named = list(listing.places)
        owners: dict[str, bool] = {}

        def elsewhere(vote: VoteFact) -> bool:
            """Recorded only in another municipality's documents than the one(s) named."""
            for evidence in vote.evidence:
                if evidence.file not in owners:
                    d = self._document(evidence)
                    owners[evidence.file] = d is None or another_municipality(
                        named, d.organisation, d.title, d.file
                    )
                if not owners[evidence.file]:
                    return False
            return True

        voters = listing.position is not None
        # "Welke moties heeft Lesley Arp ingediend?": the members the question names among
        # the records' submitters.
        # Every motion of the asked kinds, read once: the submitters a question may name,
        # and what the records hold when none fits.
        every = self._vote_facts(kinds=listing.kinds, limit=10_000)
        members = _named_submitters(question, every)
        # A member the records never name as a submitter: nothing is theirs.
        asked_member = None if members else _asked_member(question)

        def matching(results: Sequence[str]) -> list[VoteFact]:
            return [
                vote
                for vote in self._vote_facts(
                    question,
                    results=results,
                    kinds=listing.kinds,
                    parties=() if voters else listing.parties,
                    subject=listing.subject,
                    limit=10_000,
                )
                if listing.selects(vote)
                and not (named and elsewhere(vote))
                and (not members or members & set(vote.submitters))
                and asked_member is None
            ]

        decisions = "voorstel" in listing.kinds
        listed = matching(listing.results)
        if decisions:
            # The council's decisions on a subject: each proposal before the amendments and
            # motions that came with it (stable: most relevant and newest first within); a
            # record with neither title nor code says nothing of what was decided.
            listed = [vote for vote in listed if vote.title or vote.code]
            listed.sort(key=lambda vote: _DECISION_ORDER.get(vote.kind, len(_DECISION_ORDER)))
        recorded = Recorded()
        if not listed and listing.results:
            # "Welke moties over sleutelgeld zijn aangenomen?" with only the motion itself
            # indexed: it is listed with "geen uitslag vastgelegd", not denied.
            unrecorded = matching(())
            listed = [vote for vote in unrecorded if vote.result is None]
            if not listed:
                # "Welke motie over de Haagse Markt is aangenomen?": none was, but one was
                # rejected; that is listed, under why none fits.
                listed = unrecorded
                if listed:
                    recorded.missing = missing_motions(listing, 0, len(listed))
        # The proposals on the subject whose outcome no vote record holds (the council's
        # stamp under the decision gives it: "Wat heeft de raad besloten over parkeren in
        # 2025?" had listed the motions and left out the rejected startnotitie).
        proposals = (
            self._proposals(question, listing, listed)
            if decisions and listing.subject and not listing.results
            else []
        )
        for vote in listed:
            if len(proposals) + len(recorded.facts) >= LIST_SHOWN:
                break
            text, outcome = motion_item(vote)
            located = self._recorded(vote, question, partial(locate_vote, value=outcome))
            if located is not None:
                hit, (page, chunk, offset, sentence) = located
                fact = Fact(
                    "decision" if decisions else "motion",
                    text,
                    vote.kind,
                    0,
                    page,
                    chunk,
                    offset,
                    sentence,
                    len(listed),
                )
                recorded.facts.append((hit, fact))
        if proposals:
            total = len(proposals) + len(listed)
            recorded.facts = [
                (hit, replace(fact, listed=total)) for hit, fact in [*proposals, *recorded.facts]
            ]
            if not listed:
                return recorded
        if not listed and (members or asked_member):
            who = " of ".join(sorted(members)) if members else asked_member
            recorded.missing = (
                f"In de vastgelegde moties en stemmingen staat geen "
                f"{' of '.join(listing.kinds)} van {who}"
                f"{' die is ' + ' of '.join(listing.results) if listing.results else ''}."
            )
            return recorded
        if not listed and listing.kinds == ("motie",) and listing.position is None:
            # "Welke motie diende de SP in over sloopsubsidie?" when the SP's proposal on
            # it was an amendment: that, under why no motion fits.
            amended = self._listed(question, replace(listing, kinds=("amendement",)))
            if amended.facts and not amended.missing:
                amended.missing = missing_motions(listing, 0, len(every))
                return amended
        if not listed and every:
            positions = sum(1 for v in every if all(v.party_position(p) for p in listing.parties))
            recorded.missing = missing_motions(listing, positions, len(every))
        return recorded

    def _requested(
        self,
        question: str,
        hits: Sequence[SearchHit],
        labels: Mapping[str, str] = _REQUEST_LABELS,
    ) -> Recorded:
        """What the motion (or amendment) the question names asks, from its own text: the
        lines of its dictum ("Verzoekt het college: …"), each cited to its page; with
        ``_REASON_LABELS``, why: its considerations ("Overwegende dat: …"). Nothing when no
        motion whose title names it has its text indexed, or the text says none."""
        subject = _without_parties(_REQUEST_WORDS.sub(" ", question))
        weights = self._question_weights(subject)
        found_in = hits[0] if hits else None
        for vote in self._vote_facts(subject, limit=3, found_in=found_in):
            if not titled(subject, vote, weights):
                continue
            for evidence in vote.evidence:
                document = self._document(evidence)
                if document is None or document.kind not in labels:
                    continue
                recorded = self._quoted_point(document, labels[document.kind], "verzoek")
                if recorded.facts:
                    return recorded
        return Recorded()

    def _quoted_point(self, document: DocumentRecord, label: str, kind: str) -> Recorded:
        """The first sentences ``document``'s summary gives for its point ``label``
        (``outline.aspect_units``), each as a quoted fact cited to its page."""
        from .chunk import page_blocks
        from .outline import aspect_units

        chunks = self._catalog.document_chunks(document.doc_id)
        recorded = Recorded()
        for unit in aspect_units(page_blocks(chunks), document.kind, label)[:_POINT_SHOWN]:
            located = locate_text(chunks, unit.page, unit.text)
            if located is None:
                continue
            chunk, start, end = located
            page, sentence = page_at(chunk, start), chunk.text[start:end]
            fact = Fact("request", "", kind, 0, page, chunk, start, sentence)
            recorded.facts.append((record_hit(document, chunk, page, sentence), fact))
        return recorded

    def _proposed(self, question: str, hits: Sequence[SearchHit]) -> Recorded:
        """What the council proposal the question names proposes to decide: the first lines
        of its dictum ("I. vast te stellen …"), each cited to its page. Nothing when none of
        the first hits is a proposal whose title names it."""
        subject = _PROPOSAL_WORDS.sub(" ", question)
        weights = self._question_weights(subject)
        for hit in hits[:3]:
            if names_proposal(subject, hit.document, weights):
                recorded = self._quoted_point(hit.document, "Voorgesteld besluit", "voorstel")
                if recorded.facts:
                    return recorded
        return Recorded()

    def _stamped(
        self, hits: Sequence[SearchHit], question: str, weights: dict[str, float]
    ) -> Recorded:
        """The council's outcome on the proposal among the first hits whose title names
        what the question asks about, from the stamp under its decision."""
        for hit in hits[:3]:
            document = hit.document
            if not names_proposal(question, document, weights):
                continue
            stamp = decision_stamp(self._catalog.document_chunks(document.doc_id))
            if stamp is not None:
                fact = stamp.fact("vote", *stamp.answer(question))
                return Recorded(
                    [(record_hit(document, fact.chunk, fact.page, fact.sentence), fact)]
                )
        return Recorded()

    def _proposals(
        self, question: str, listing: MotionList, voted: Sequence[VoteFact]
    ) -> list[tuple[SearchHit, Fact]]:
        """The council proposals whose title holds the list's subject and that no record of
        ``voted`` lists, newest first (at most LIST_SHOWN), each with the council's outcome
        its decision stamp gives (quoted), else the first line of its proposed decision,
        said to be unvoted (cited to its page)."""
        from .chunk import page_blocks
        from .outline import aspect_units

        weights = self._question_weights(listing.subject)
        ids = self._catalog.filter_documents(kinds=("raadsvoorstel",), hidden=self._hidden)
        documents = [
            document
            for document in (self._catalog.documents(ids, hidden=self._hidden) if ids else [])
            if (not listing.years or (document.date and document.date.year in listing.years))
            and self._proposal_about(document, listing.subject, weights)
            and not any(_same_title(vote.title, document.title) for vote in voted)
        ]
        proposals: list[tuple[SearchHit, Fact]] = []
        for document in documents[:LIST_SHOWN]:
            chunks = self._catalog.document_chunks(document.doc_id)
            stamp = decision_stamp(chunks)
            day = f" ({dutch_date(document.date)})" if document.date else ""
            if stamp is not None:
                # The griffie's stamp under the decision gives the council's outcome, quoted
                # ("Aldus verworpen in de openbare raadsvergadering van 13 februari 2025.").
                fact = stamp.fact("decision", f"{document.title}{day}: {stamp.value}", "voorstel")
            else:
                # Unvoted as far as the documents say: the decision as proposed.
                units = aspect_units(page_blocks(chunks), "raadsvoorstel", "Voorgesteld besluit")
                located = locate_text(chunks, units[0].page, units[0].text) if units else None
                if located is None:
                    continue
                chunk, start, end = located
                value = f"{document.title}{day}: voorgesteld besluit, geen stemming vastgelegd"
                fact = Fact("decision", value, "voorstel", 0, page_at(chunk, start), chunk,
                            start, chunk.text[start:end])  # fmt: skip
            fact = replace(fact, listed=min(len(documents), LIST_SHOWN))
            proposals.append((record_hit(document, fact.chunk, fact.page, fact.sentence), fact))
        return proposals

    def _proposal_about(
        self, document: DocumentRecord, subject: str, weights: dict[str, float]
    ) -> bool:
        """Is the proposal about ``subject``: its title holds most of it, or half of it and
        its opening passage the rest ("het referendum over betaald parkeren" is the
        "startnotitie referendum uitbreiding gereguleerd parkeren", which opens with the
        citizens' initiative "uitbreiding betaald parkeren")."""
        held = coverage(subject, document.title, weights)
        if held >= _TITLE_SUBJECT:
            return True
        if held < _TITLE_HALF:
            return False
        chunks = self._catalog.document_chunks(document.doc_id)
        opening = chunks[0].text if chunks else ""
        return coverage(subject, f"{document.title}\n{opening}", weights) >= _TITLE_SUBJECT

    def _document(self, evidence: VoteEvidence) -> DocumentRecord | None:
        """The indexed document a motion's record was read from, when the user may see it."""
        files = self._catalog.find_files(evidence.file, hidden=self._hidden)
        documents = self._catalog.documents({f.doc_id for f in files[:1]}, hidden=self._hidden)
        return documents[0] if documents else None

    def _recorded(
        self,
        vote: VoteFact,
        question: str,
        locate: Callable[[VoteEvidence, list[ChunkRecord]], tuple[ChunkRecord, int, str] | None],
        evidences: Sequence[VoteEvidence] | None = None,
    ) -> tuple[SearchHit, tuple[int, ChunkRecord, int, str]] | None:
        """The first of the motion's evidence pages (``evidences``, else the vote's in
        order) where ``locate`` finds the sentence, as a search hit, with that sentence."""
        for evidence in vote.evidence if evidences is None else evidences:
            document = self._document(evidence)
            if evidence.page is None or document is None:
                continue
            chunks = self._catalog.page_chunks(document.doc_id, evidence.page)
            found = locate(evidence, chunks)
            if found is None:
                continue
            chunk, offset, sentence = found
            hit = record_hit(document, chunk, evidence.page, question)
            return hit, (evidence.page, chunk, offset, sentence)
        return None
