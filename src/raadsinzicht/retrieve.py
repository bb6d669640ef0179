"""Hybrid retrieval: BM25 (Dutch stemming) and vector search, fused by weighted
reciprocal rank, with metadata filters resolved once in the catalog.

Why weighted: on this corpus plain BM25 beats plain vector retrieval (doc hit@5 0.85 vs
0.75), so the keyword ranking carries the larger weight and vectors mostly re-order and
rescue paraphrased questions. Chunks without a vector yet are still found by keyword.

Why the right page: chunk vectors carry their document's title, so vector ranks say
"this document" more than "this page". With the classic fusion constant (60) the first
keyword hit weighed barely more than the tenth, and a document's other pages, lifted by
their vectors, pushed the right page down (issue 14: hybrid page hit@5 0.853 against
BM25's 0.922 on a held-out set). A constant of 20 keeps a confident keyword rank on top;
a multi-page chunk's page is the one holding the question's rarest terms (IDF), not the
most occurrences.

Why passages are re-ordered within their document: the title is part of every chunk's
keyword and embedding text, and a letter's first page restates its subject (a Woo
decision repeats the request, a permit the address), so that page wins both rankers
while the answer is on the next one. A document therefore keeps the ranks the fusion
gives it, but which of its passages fills them is decided by the fused score together
with the passage's own evidence: the query terms in its text that are not in the title,
by IDF, each weighed down the more of the document's candidate passages share it. For
the same reason title words do not choose a multi-page chunk's page. On dev: page hit@1
0.701 -> 0.738, page MRR 0.801 -> 0.820, hit@5 and every document-level number unchanged.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from .chunk import token_limit_offset
from .embed import Embedder
from .index.bm25 import KeywordIndex, stem_word, term_matches, tokenize_query
from .index.catalog import Catalog, ChunkRecord, ChunkTurn, DocumentRecord
from .index.compounds import compound_parts
from .index.vector import VectorStore
from .places import another_municipality, places_named
from .settings import RetrievalSettings
from .spans import find_spans, leading_question_type
from .speakers import speaker_matches
from .wordlists import canonical_party

__all__ = [
    "EMBEDDER_TOKENS",
    "EMPTY_QUERY",
    "EMPTY_QUESTION",
    "MAX_QUERY_TOKENS",
    "HybridRetriever",
    "SearchFilters",
    "SearchHit",
    "TurnFilter",
    "best_turn",
    "fit_embedder",
    "hits_first",
    "make_snippet",
    "named_places_first",
    "order_within_documents",
    "page_at",
    "searchable",
    "truncate_query",
]

# multilingual-e5-small reads 512 tokens (our estimate of a question's tokens runs up to
# 20 % low), and BM25 gains nothing from more words than that. A longer query only costs
# time (100,000 characters took 91 s to embed) and memory.
MAX_QUERY_TOKENS = 400
EMBEDDER_TOKENS = 500  # what the embedder is given at most ("query: " and markers aside)


# What a query without a letter or digit ("", "  ", "?", "🙂") gets instead of results: its
# embedding would still rank every passage, as if the first passages answered it.
EMPTY_QUERY = "Typ eerst waar u naar zoekt."
EMPTY_QUESTION = "Typ eerst een vraag."
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def searchable(query: str) -> bool:
    """Whether ``query`` holds anything to search for (a letter or digit)."""
    return _LETTER_OR_DIGIT.search(query) is not None


def truncate_query(query: str, max_tokens: int = MAX_QUERY_TOKENS) -> tuple[str, bool]:
    """The beginning of ``query`` that search uses (about ``max_tokens`` E5 tokens, cut at a
    word), and whether anything was cut."""
    # Cheap bound first, so a huge input is never scanned whole (a token is >= 1 character).
    head = query[: max_tokens * 16]
    cut = token_limit_offset(head, max_tokens)
    if cut is not None:
        return head[: cut or max_tokens * 4].rstrip(), True  # (one giant "word": its start)
    return head, len(head) < len(query)


def fit_embedder(query: str, embedder: Embedder) -> str:
    """``query`` cut at a word to what the embedder reads, counted by its own tokenizer."""
    while embedder.token_count(query) > EMBEDDER_TOKENS and " " in query.strip():
        query = query[: int(len(query) * 0.9)].rsplit(" ", 1)[0]
    return query


_SPEAKER_TITLES = ("wethouder", "burgemeester", "voorzitter", "griffier", "gedeputeerde",
                   "raadslid", "mevrouw", "heer")  # fmt: skip


@dataclass(frozen=True, slots=True)
class SearchFilters:
    kinds: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    collections: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    # Council filters. ``parties``: passages spoken by a member of the party, and documents
    # (motions, amendments) it submitted; with ``spoken`` only the spoken passages.
    parties: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()  # "Lesley Arp", "Arp": every word must be in the name
    spoken: bool = False  # only passages of minutes with a known speaker
    submitters: tuple[str, ...] = ()  # who signed the motion/amendment
    results: tuple[str, ...] = ()  # aangenomen, verworpen, ingetrokken, aangehouden, staken
    meetings: tuple[str, ...] = ()  # ISO meeting dates or RIS meeting ids

    @property
    def active(self) -> bool:
        return bool(
            self.kinds
            or self.since
            or self.until
            or self.collections
            or self.organisations
            or self.submitters
            or self.results
            or self.meetings
            or self.chunk_level
        )

    @property
    def chunk_level(self) -> bool:
        """Filters that select passages, not whole documents."""
        return bool(self.parties or self.speakers or self.spoken)

    def settled_terms(self) -> frozenset[str]:
        """The (stemmed) words of the speakers and parties this filter asks for: every
        passage it lets through is theirs, so in a question ("Wat zei Lesley Arp over …?")
        these words say nothing about which passage answers."""
        names = (*self.speakers, *self.parties)
        if self.speakers:
            # A speaker's office and title ("Wat zei de wethouder …?", "Wat zei wethouder
            # Balster …?") stand in their turns' labels, not in what they said.
            names += _SPEAKER_TITLES
        return frozenset(stem for name in names for stem in tokenize_query(name))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "collections": list(self.collections),
            "organisations": list(self.organisations),
            "parties": list(self.parties),
            "speakers": list(self.speakers),
            "spoken": self.spoken,
            "submitters": list(self.submitters),
            "results": list(self.results),
            "meetings": list(self.meetings),
        }


@dataclass(slots=True)
class SearchHit:
    chunk_id: str
    doc_id: str
    file: str  # relative to the ingest root
    page: int  # physical page (1-based) where the match is strongest
    score: float
    document: DocumentRecord
    chunk: ChunkRecord
    snippet: str
    keyword_rank: int | None = None
    vector_rank: int | None = None
    keyword_score: float | None = None  # BM25 score
    vector_score: float | None = None  # cosine similarity
    pages: list[int] = field(default_factory=list)
    # The speaker turn at the hit's best position (minutes only): where the query's terms
    # are, within a turn the speaker/party filter asks for.
    turn: ChunkTurn | None = None
    # Chunk-text ranges (start, end) of the turns the speaker/party filter matches: an
    # answer quotes only from these. None: no such filter, all of the chunk.
    quotable: list[tuple[int, int]] | None = None
    # Pseudonymised for the model (privacy-sensitive collection): its file name, which may
    # name a person ("bezwaar-jansen.pdf"), is not shown to the model either.
    private: bool = False

    @property
    def name(self) -> str:
        return Path(self.file).name

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "name": self.name,
            "page": self.page,
            "page_label": _label(self.document, self.page),
            "score": round(self.score, 5),
            "kind": self.document.kind,
            "date": self.document.date.isoformat() if self.document.date else None,
            "title": self.document.title,
            "organisation": self.document.organisation,
            "snippet": self.snippet,
            "chunk_id": self.chunk_id,
            "keyword_rank": self.keyword_rank,
            "vector_rank": self.vector_rank,
            "speaker": self.turn.speaker if self.turn else None,
            "speaker_role": self.turn.role if self.turn else None,
            "party": self.turn.party if self.turn else None,
        }


def record_hit(document: DocumentRecord, chunk: ChunkRecord, page: int, quoted: str) -> SearchHit:
    """A record's passage as a search hit: the page of ``chunk`` that a fact read from the
    records or the catalog (a vote, a listed document, a letter's status) is quoted from,
    so that an answer cites it like any retrieved passage."""
    return SearchHit(
        chunk_id=chunk.chunk_id,
        doc_id=document.doc_id,
        file=document.file,
        page=page,
        score=0.0,
        document=document,
        chunk=chunk,
        snippet=make_snippet(chunk.text, quoted),
        pages=chunk.pages,
    )


def hits_first(firsts: Sequence[SearchHit], hits: Sequence[SearchHit]) -> list[SearchHit]:
    """``firsts`` (the first of each page) ahead of ``hits`` (without the hits of their
    pages there), as many as ``hits`` or as the pages of ``firsts``, if more."""
    pages: dict[tuple[str, int], SearchHit] = {}
    for hit in firsts:
        pages.setdefault((hit.doc_id, hit.page), hit)
    others = [h for h in hits if (h.doc_id, h.page) not in pages]
    return [*pages.values(), *others[: max(len(hits) - len(pages), 0)]]


def _label(document: DocumentRecord, page: int) -> str:
    labels = document.page_labels
    return labels[page - 1] if 0 < page <= len(labels) else ""


TermMatches = list[tuple[int, int, str]]  # (start, end, stem) of the query's words in a text
_QUERY_VECTORS = 32
_SPACE_RE = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _query_matches(text: str, query: str) -> TermMatches:
    return term_matches(text, set(tokenize_query(query)))


def named_places_first(
    ordered: Sequence[str],
    chunks: Mapping[str, ChunkRecord],
    documents: Mapping[str, DocumentRecord],
    query: str,
) -> list[str]:
    """``ordered`` with the passages of another municipality's documents than the query
    names after all others, each part in its order: "Haagse ondernemers" asks about Den
    Haag's rules, not Amsterdam's, however well Amsterdam's share the other words."""
    named = places_named(query)
    if not named:
        return list(ordered)
    elsewhere = {
        doc_id
        for doc_id, document in documents.items()
        if another_municipality(named, document.organisation, document.title, document.file)
    }
    if not elsewhere:
        return list(ordered)
    return [c for c in ordered if chunks[c].doc_id not in elsewhere] + [
        c for c in ordered if chunks[c].doc_id in elsewhere
    ]


class _MatchesPerPassage:
    """The query's term matches in each passage, found once per search: the order within a
    document, the page, the turn and the snippet all need them (scanning each passage's
    words three or four times was the largest share of a search's Python time)."""

    def __init__(self, query: str) -> None:
        self._stems = set(tokenize_query(query))
        self._found: dict[str, TermMatches] = {}

    def __call__(self, chunk: ChunkRecord) -> TermMatches:
        found = self._found.get(chunk.chunk_id)
        if found is None:
            found = self._found[chunk.chunk_id] = term_matches(chunk.text, self._stems)
        return found


def make_snippet(
    text: str, query: str, *, width: int = 240, matches: TermMatches | None = None
) -> str:
    """The window of ``text`` with the most query terms, terms marked **like this**.
    ``matches``: the query's term matches in ``text``, when already found."""
    if matches is None:
        matches = _query_matches(text, query)
    positions = [(start, end) for start, end, _ in matches]
    if not positions:
        return _one_line(text[:width]) + ("…" if len(text) > width else "")
    best_start, best_count = positions[0][0], 0
    for start, _ in positions:
        count = sum(1 for s, _ in positions if start <= s < start + width)
        if count > best_count:
            best_start, best_count = start, count
    begin = max(0, best_start - width // 4)
    space = text.rfind(" ", 0, begin)
    begin = space + 1 if begin and space >= 0 else begin
    end = min(len(text), begin + width)
    out, cursor = [], begin
    for start, stop in positions:
        if start < begin or stop > end:
            continue
        out.append(text[cursor:start])
        out.append(f"**{text[start:stop]}**")
        cursor = stop
    out.append(text[cursor:end])
    snippet = _one_line("".join(out))
    return ("…" if begin else "") + snippet + ("…" if end < len(text) else "")


def page_at(chunk: ChunkRecord, offset: int) -> int:
    """The physical page of the character at ``offset`` in the chunk's text."""
    position = 0
    for page, start, end in chunk.spans:
        position += end - start + 2  # spans are joined by "\n\n"
        if offset < position:
            return page
    return chunk.spans[-1][0] if chunk.spans else chunk.page


def _term_merit(words: Sequence[str], weights: Mapping[str, float | None] | None) -> float:
    """How much of the query a stretch of text with these query-term stems holds: distinct
    terms by IDF (occurrences only break ties), or occurrences without weights."""
    if weights is None:
        return float(len(words))
    return sum(weights.get(word) or 0.0 for word in set(words)) + 1e-3 * len(words)


# The answer types a passage can be checked for while searching: patterns, no name
# recognition (which is for the answer step).
_SEARCH_ANSWER_TYPES = frozenset({"aantal", "bedrag", "percentage", "datum", "jaar"})


class _AnswerTypePerPassage:
    """How typical an answer of the type the query asks for a passage holds (0-1: the
    strongest span's strength / 3, as the extractive answer weighs it), once per
    passage: "Hoeveel leges …?" prefers the page with the amount over the page that
    repeats the request."""

    def __init__(self, query: str) -> None:
        self._query = query
        kind = leading_question_type(query)
        self._kind = kind if kind in _SEARCH_ANSWER_TYPES else None
        self._strength: dict[str, float] = {}

    def __call__(self, chunk: ChunkRecord) -> float:
        if self._kind is None:
            return 0.0
        if chunk.chunk_id not in self._strength:
            spans = find_spans(self._kind, chunk.text, self._query)
            strongest = max((span.strength for span in spans), default=0)
            self._strength[chunk.chunk_id] = min(1.0, strongest / 3)
        return self._strength[chunk.chunk_id]


def best_page(
    chunk: ChunkRecord,
    query: str,
    weights: Mapping[str, float | None] | None = None,
    *,
    within: tuple[int, int] | None = None,
    matches: TermMatches | None = None,
) -> int:
    """The page of a multi-page chunk that holds most of the query's terms: distinct terms
    weighted by their IDF when ``weights`` are given (a page with "sleutelgeld" beats one
    that says "gemeente" three times), else occurrences. ``within``: only that range of
    the chunk's text counts (a speaker's turn); its first page when it has no term.
    ``matches``: the query's term matches in the chunk's text, when already found."""
    if len(chunk.pages) <= 1:
        return chunk.page
    low, high = within or (0, len(chunk.text))
    if matches is None:
        matches = _query_matches(chunk.text, query)
    # Map chunk-text positions back to pages in span order (spans are joined by "\n\n",
    # which no word crosses).
    found: dict[int, list[str]] = {}
    offset = 0
    for page, start, end in chunk.spans:
        length = end - start
        found.setdefault(page, []).extend(
            stem for a, _, stem in matches if offset <= a < offset + length and low <= a < high
        )
        offset += length + 2
    fallback = page_at(chunk, low) if within else chunk.page
    counts = {page: _term_merit(words, weights) for page, words in found.items()}
    best = max(counts.items(), key=lambda item: (item[1], -item[0]))
    return best[0] if best[1] > 0 else fallback


def _passage_evidence(
    found: Mapping[str, Sequence[str]], weights: Mapping[str, float | None]
) -> dict[str, float]:
    """Evidence of each passage of one document from the query-term stems ``found`` in
    it: IDF of its distinct terms, each scaled by how few of the passages hold it (1 for a
    term in one passage, log 2 / log(n + 1) for a term in all n)."""
    count = len(found)
    holders = Counter(word for words in found.values() for word in set(words))
    rarity = {
        word: math.log(1 + count / held) / math.log(1 + count) if count > 1 else 1.0
        for word, held in holders.items()
    }
    return {
        chunk_id: _term_merit(
            words, {word: (weights.get(word) or 0.0) * rarity[word] for word in set(words)}
        )
        for chunk_id, words in found.items()
    }


def order_within_documents(
    ordered: Sequence[str],
    chunks: Mapping[str, ChunkRecord],
    title_terms: Mapping[str, Collection[str]],
    scores: Mapping[str, float],
    query: str,
    weights: Mapping[str, float | None],
    *,
    evidence_weight: float,
    matches: Callable[[ChunkRecord], TermMatches] | None = None,
    answer_weight: float = 0.0,
    answers: Callable[[ChunkRecord], float] | None = None,
) -> Iterator[str]:
    """``ordered`` (chunk ids, best first, all in ``chunks``) with each document's passages
    re-ordered among the ranks that document holds, so no document moves. A passage's
    merit: its fused score over the document's best, plus ``evidence_weight`` times its
    evidence over the document's best evidence (query terms in its text, leaving out the
    stems of the document's title in ``title_terms``, by IDF ``weights`` and rarity among
    the document's passages here), plus ``answer_weight`` times that evidence share times
    ``answers`` (0-1: how typical an answer of the asked type the passage holds). ``matches``:
    the query's term matches per passage.

    Lazy: a document is re-ordered when its first rank is reached (its other ranks all
    come later), so a search that stops after ``top_k`` hits never reads the passages of
    documents below them."""
    query_stems = set(tokenize_query(query))
    matches = matches or _MatchesPerPassage(query)
    slots: dict[str, list[int]] = {}
    for position, chunk_id in enumerate(ordered):
        slots.setdefault(chunks[chunk_id].doc_id, []).append(position)
    result = list(ordered)
    for position in range(len(result)):
        doc_id = chunks[result[position]].doc_id
        positions = slots[doc_id]
        if position == positions[0] and len(positions) > 1:
            members = [ordered[p] for p in positions]
            wanted = query_stems.difference(title_terms.get(doc_id, ()))
            found = {
                chunk_id: [stem for _, _, stem in matches(chunks[chunk_id]) if stem in wanted]
                for chunk_id in members
            }
            evidence = _passage_evidence(found, weights)
            best_score = max(scores[chunk_id] for chunk_id in members) or 1.0
            best_evidence = max(evidence.values()) or 1.0
            share = {chunk_id: evidence[chunk_id] / best_evidence for chunk_id in members}
            merit = {
                chunk_id: scores[chunk_id] / best_score
                + evidence_weight * share[chunk_id]
                # Only a passage that also holds the question's terms: a long document has
                # numbers on every page.
                + (answer_weight * share[chunk_id] * answers(chunks[chunk_id]) if answers else 0)
                for chunk_id in members
            }
            # A stable sort: equal merit keeps the fused order.
            for slot, chunk_id in zip(
                positions, sorted(members, key=lambda c: -merit[c]), strict=True
            ):
                result[slot] = chunk_id
        yield result[position]


@dataclass(frozen=True, slots=True)
class TurnFilter:
    """Which speaker turns a speaker/party filter asks for: speakers by the names as asked
    ("Arp" names "Lesley Arp"), canonical parties; all given conditions hold for one turn.
    What ``search`` cites and lets an answer quote of a chunk, and what an answer reads
    beside it."""

    speakers: tuple[str, ...] = ()
    parties: frozenset[str] = frozenset()
    spoken: bool = False

    @classmethod
    def of(cls, filters: SearchFilters) -> TurnFilter:
        parties = frozenset(canonical_party(p) or p for p in filters.parties)
        return cls(filters.speakers, parties, filters.spoken)

    def matches(self, turn: ChunkTurn) -> bool:
        return (
            (not self.speakers or any(speaker_matches(s, turn.speaker) for s in self.speakers))
            and (not self.parties or turn.party in self.parties)
            and (not self.spoken or turn.speaker is not None)
        )


def turn_ranges(chunk: ChunkRecord) -> list[tuple[ChunkTurn, int, int]]:
    """Each turn of the chunk with its (start, end) in the chunk's text."""
    if not chunk.turns:
        return []
    ends = [turn.start for turn in chunk.turns[1:]] + [len(chunk.text)]
    return [(turn, turn.start, end) for turn, end in zip(chunk.turns, ends, strict=True)]


def best_turn(
    chunk: ChunkRecord,
    query: str,
    weights: Mapping[str, float | None] | None = None,
    *,
    wanted: TurnFilter | None = None,
    matches: TermMatches | None = None,
) -> tuple[ChunkTurn, int, int] | None:
    """The turn (with its range in the chunk text) holding most of the query's terms,
    scored like ``best_page``; among the turns ``wanted`` matches when given. Without any
    term: the first such turn with a speaker. None when the chunk has no such turn.
    ``matches``: the query's term matches in the chunk's text, when already found."""
    ranges = [r for r in turn_ranges(chunk) if wanted is None or wanted.matches(r[0])]
    if not ranges:
        return None
    if matches is None:
        matches = _query_matches(chunk.text, query)
    positions = [(a, stem) for a, _, stem in matches]

    def merit(turn_range: tuple[ChunkTurn, int, int]) -> float:
        words = [word for at, word in positions if turn_range[1] <= at < turn_range[2]]
        return _term_merit(words, weights)

    scored = [(merit(r), -index, r) for index, r in enumerate(ranges)]
    best_score, _, best = max(scored, key=lambda item: item[:2])
    if best_score > 0:
        return best
    return next((r for r in ranges if r[0].speaker is not None), ranges[0])


class HybridRetriever:
    def __init__(
        self,
        settings: RetrievalSettings,
        *,
        catalog: Catalog,
        keyword_index: KeywordIndex,
        vectors: Callable[[], tuple[VectorStore, Embedder] | None],
    ) -> None:
        """``vectors``: the vector store and embedder for a query, or None (keyword only)."""
        self._settings = settings
        self._catalog = catalog
        self._keywords = keyword_index
        self._vectors = vectors
        # The last queries' vectors: an answer re-scores sentences against the vector its
        # search already computed.
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_vectors_lock = threading.Lock()

    def query_vector(self, query: str) -> np.ndarray | None:
        """The query's embedding (cached for the last few queries); None without vectors."""
        vector = self._cached_query_vector(query)
        if vector is not None:
            return vector
        vectors = self._vectors()
        return None if vectors is None else self._embed_query(query, vectors[1])

    def _cached_query_vector(self, query: str) -> np.ndarray | None:
        with self._query_vectors_lock:
            vector = self._query_vectors.get(query)
            if vector is not None:
                self._query_vectors.move_to_end(query)
            return vector

    def _embed_query(self, query: str, embedder: Embedder) -> np.ndarray:
        vector = self._cached_query_vector(query)
        if vector is not None:
            return vector
        vector = embedder.embed_query(fit_embedder(query, embedder))
        with self._query_vectors_lock:
            self._query_vectors[query] = vector
            while len(self._query_vectors) > _QUERY_VECTORS:
                self._query_vectors.popitem(last=False)
        return vector

    def search(
        self,
        query: str,
        *,
        top_k: int | None = None,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
        hidden: Collection[str] = (),
        answer_types: bool = False,
    ) -> list[SearchHit]:
        """Best chunks for ``query``; one hit per (document, page). ``mode`` is
        'hybrid', 'keyword' or 'vector' (the latter two for evaluation baselines).
        ``hidden``: collections the user may not see; both rankers only ever see the
        other documents (the access rule, applied where the filters are).
        ``answer_types``: for an answer, a passage holding a value of the type the question
        asks for goes first within its document ([retrieval] page_answer_type; it reads
        every candidate passage, 12 ms a typed question: not for search)."""
        query, _ = truncate_query(query)
        top_k = top_k or self._settings.top_k
        filters = filters or SearchFilters()
        allowed, allowed_chunks, wanted_turns = self._allowed(filters, hidden)
        candidates = max(self._settings.candidates, top_k * 3)
        rankings: list[tuple[str, float, list[str]]] = []
        raw_scores: dict[str, dict[str, float]] = {"keyword": {}, "vector": {}}
        if mode in ("hybrid", "keyword"):
            self._keywords.refresh(self._catalog)
            parts: dict[str, float] = {}
            if mode == "hybrid" and self._settings.compound_parts:
                # The plain keyword baseline stays plain BM25, as it is measured.
                for part in compound_parts(query, self._keywords.knows):
                    parts[stem_word(part)] = self._settings.compound_parts
            keyword = self._keywords.search(
                query,
                k=candidates,
                allowed_docs=allowed,
                allowed_chunks=allowed_chunks,
                extra_terms=parts,
            )
            rankings.append(("keyword", self._settings.bm25_weight, [cid for cid, _ in keyword]))
            raw_scores["keyword"] = dict(keyword)
        if mode in ("hybrid", "vector"):
            vectors = self._vectors()
            if vectors is not None:
                store, embedder = vectors
                query_vector = self._embed_query(query, embedder)
                vector = store.query(
                    query_vector,
                    k=candidates,
                    allowed_docs=allowed,
                    # Chroma refuses ids it does not hold: only chunks with a vector.
                    allowed_chunks=self._catalog.embedded(allowed_chunks)
                    if allowed_chunks is not None
                    else None,
                )
                rankings.append(
                    ("vector", self._settings.vector_weight, [cid for cid, _ in vector])
                )
                raw_scores["vector"] = dict(vector)
        return self._fuse(
            query,
            rankings,
            raw_scores,
            top_k,
            hidden,
            wanted_turns,
            within_documents=mode == "hybrid",
            answer_types=answer_types,
        )

    def _allowed(
        self, filters: SearchFilters, hidden: Collection[str] = ()
    ) -> tuple[set[str] | None, set[str] | None, TurnFilter | None]:
        """The documents and the passages the filters and the access rule allow (None:
        no restriction), and the speaker turns a speaker/party filter asks for."""
        if not filters.active and not hidden:
            return None, None, None
        parties = tuple(dict.fromkeys(canonical_party(p) or p for p in filters.parties))
        doc_filters = replace(filters, parties=(), speakers=(), spoken=False)
        allowed = (
            self._catalog.filter_documents(
                kinds=filters.kinds,
                since=filters.since,
                until=filters.until,
                collections=filters.collections,
                organisations=filters.organisations,
                submitters=filters.submitters,
                results=filters.results,
                meetings=filters.meetings,
                hidden=hidden,
            )
            if doc_filters.active or hidden
            else None
        )
        if not filters.chunk_level:
            return allowed, None, None
        speakers = [
            name
            for name, _, _, _ in self._catalog.speakers()
            if any(speaker_matches(wanted, name) for wanted in filters.speakers)
        ]
        if filters.speakers and not speakers:
            return allowed, set(), None
        party_docs = (
            self._catalog.filter_documents(parties=parties)
            if parties and not filters.spoken and not speakers
            else None  # a named speaker asks for spoken text, not the party's motions
        )
        chunks = self._catalog.filter_chunks(
            doc_ids=allowed,
            speaker_parties=parties,
            party_docs=party_docs,
            speakers=speakers,
            spoken=filters.spoken,
        )
        return allowed, chunks, TurnFilter.of(filters)

    def _fuse(
        self,
        query: str,
        rankings: Sequence[tuple[str, float, list[str]]],
        raw_scores: dict[str, dict[str, float]],
        top_k: int,
        hidden: Collection[str],
        wanted_turns: TurnFilter | None = None,
        *,
        within_documents: bool = False,
        answer_types: bool = False,
    ) -> list[SearchHit]:
        """The hits from the rankings; ``within_documents``: each document's passages
        re-ordered by their own evidence and a chunk's page chosen without its title's
        words (hybrid search; the single-ranker modes stay the plain baselines they are
        measured as)."""
        scores: dict[str, float] = {}
        ranks: dict[str, dict[str, int]] = {}
        for name, weight, ids in rankings:
            for rank, chunk_id in enumerate(ids, start=1):
                scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (
                    self._settings.rrf_k + rank
                )
                ranks.setdefault(chunk_id, {})[name] = rank
        ordered = sorted(scores, key=lambda cid: -scores[cid])
        # Vectors of deleted chunks may linger in Chroma until the next ingest: the
        # catalog decides what exists.
        chunks = self._catalog.chunks(ordered[: top_k * 4])
        documents = {
            d.doc_id: d
            for d in self._catalog.documents({c.doc_id for c in chunks.values()}, hidden=hidden)
        }
        ordered = [cid for cid in ordered if cid in chunks and chunks[cid].doc_id in documents]
        if within_documents:
            ordered = named_places_first(ordered, chunks, documents, query)
        weights = self._keywords.idf(set(tokenize_query(query)))
        # Title words are in every passage of a document: they say which document, not
        # which page (hybrid only; the single-ranker baselines stay as measured).
        title_terms = (
            {doc_id: set(tokenize_query(d.title)) for doc_id, d in documents.items()}
            if within_documents
            else {}
        )
        matches = _MatchesPerPassage(query)
        candidates: Iterator[str] | list[str] = ordered
        if within_documents and self._settings.page_evidence > 0:
            candidates = order_within_documents(
                ordered,
                chunks,
                title_terms,
                scores,
                query,
                weights,
                evidence_weight=self._settings.page_evidence,
                matches=matches,
                answer_weight=self._settings.page_answer_type,
                answers=_AnswerTypePerPassage(query)
                if answer_types and self._settings.page_answer_type > 0
                else None,
            )
        hits: list[SearchHit] = []
        seen_pages: set[tuple[str, int]] = set()
        idf = weights if self._settings.page_idf else None
        for chunk_id in candidates:
            chunk = chunks[chunk_id]
            turn, quotable, within = None, None, None
            if chunk.turns:
                found = best_turn(chunk, query, idf, wanted=wanted_turns, matches=matches(chunk))
                turn = found[0] if found else None
                if wanted_turns is not None and found is not None:
                    # Cite and quote the asked speaker's turn, not the chunk's others.
                    within = (found[1], found[2])
                    quotable = [(a, b) for t, a, b in turn_ranges(chunk) if wanted_turns.matches(t)]
            page_weights = (
                {t: None if t in title_terms[chunk.doc_id] else w for t, w in idf.items()}
                if idf is not None and within_documents
                else idf
            )
            page = best_page(chunk, query, page_weights, within=within, matches=matches(chunk))
            if (chunk.doc_id, page) in seen_pages:
                continue
            seen_pages.add((chunk.doc_id, page))
            document = documents[chunk.doc_id]
            hits.append(
                SearchHit(
                    chunk_id=chunk_id,
                    doc_id=chunk.doc_id,
                    file=document.file,
                    page=page,
                    score=scores[chunk_id],
                    document=document,
                    chunk=chunk,
                    snippet=make_snippet(chunk.text, query, matches=matches(chunk)),
                    keyword_rank=ranks[chunk_id].get("keyword"),
                    vector_rank=ranks[chunk_id].get("vector"),
                    keyword_score=raw_scores["keyword"].get(chunk_id),
                    vector_score=raw_scores["vector"].get(chunk_id),
                    pages=chunk.pages,
                    turn=turn,
                    quotable=quotable,
                )
            )
            if len(hits) == top_k:
                break
        return hits
