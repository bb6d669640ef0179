"""Keyword index: BM25 (bm25s) over Dutch-stemmed tokens (Snowball via PyStemmer) without
Dutch stop words, derived from the catalog.

A *base* index (bm25s, the whole catalog at one generation) is saved under
``<home>/bm25-<generation>/`` and switched atomically through a small pointer file, so a
crash mid-save never leaves a half-written index in use. Documents written after the base
was built form a small in-memory *delta*, scored with the same (Lucene) BM25 formula;
documents removed or replaced since are masked out of the base. Every score uses the
current collection (base without the masked chunks, plus the delta) for its IDF, so the
ranking is that of a rebuilt index, except that base chunks keep the average chunk length
of their base in the length normalisation (a drift of well under 1 % for one document in
a large index). Adding or removing one document so costs milliseconds instead of a rebuild
(about a minute at 100,000 chunks); a writer builds a new base once the delta outgrows
``_DELTA_SHARE`` of it, or once that drift passes ``_MAX_LENGTH_DRIFT``.

Thread safety: searches read one immutable snapshot; a refresh builds the next snapshot
(without holding up searches that still use the previous one) and swaps it in.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

from .catalog import Catalog, KeywordChanges

__all__ = ["KeywordIndex", "stem_word", "term_matches", "tokenize_query"]

log = logging.getLogger(__name__)

_POINTER = "bm25.json"
_META = "meta.json"
_LENGTHS = "lengths.npy"
# Words that carry no meaning in council questions, on top of bm25s' Dutch stop words.
_EXTRA_STOPWORDS = ("welke", "wat", "wie", "waar", "wanneer", "hoe", "waarom", "welk")
_STOPWORDS = sorted(set(STOPWORDS_DUTCH) | set(_EXTRA_STOPWORDS))
# Lucene BM25 (bm25s' method "lucene"); the delta is scored with exactly these. k1 = 0.9
# (Anserini's default) rather than bm25s' 1.5: term frequency saturates sooner, so a passage
# that repeats one question word does not outrank one holding more of them. Chosen on the
# development sets (k1 0.45-2.0 x b 0.3-0.9: page hit@1 228-233 of 287, 0.75-0.9 a plateau).
# A saved base built with other values is rebuilt.
_K1, _B = 0.9, 0.75
# A new base is built when the delta holds more chunks than this share of the base
# (and more than _DELTA_MIN): tokenising the delta once per process stays cheap.
_DELTA_SHARE = 0.05
_DELTA_MIN = 2000
# ... or when the base's average chunk length, which its chunks keep in the length
# normalisation, is this far from the collection's: ranking then drifts from a rebuild's.
# (Measured on the corpus: an ingest that saved its base after 75 of 104 documents left a
# 4.2 % drift, and one or two questions per evaluation set ranked otherwise than on a
# rebuild.)
_MAX_LENGTH_DRIFT = 0.01
_BUILD_BATCH = 5000  # chunks read and tokenised at a time when a base is built


_STOPWORD_SET = frozenset(_STOPWORDS)
_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # bm25s.tokenize's default token pattern
_local = threading.local()  # a PyStemmer object must not be shared between threads


# Words a Dutch reader takes for the same, one index term: the Wet openbaarheid van bestuur
# (Wob) became the Wet open overheid (Woo) in May 2022, and "Woo-verzoek" is asked of Wob
# decisions (and the reverse); a permit's "OLO-nummer" is its number in the Omgevingsloket
# online.
_SAME_TERM = {"wob": "woo", "olo": "omvingsloket"}  # Snowball's stem of "omgevingsloket"


class _DutchStemmer:
    """Dutch Snowball, with the terms of ``_SAME_TERM`` made one (for the index and the
    query alike: ``bm25s.tokenize`` calls ``stemWords``)."""

    def __init__(self) -> None:
        self._snowball = Stemmer.Stemmer("dutch")

    def stemWords(self, words: list[str]) -> list[str]:  # bm25s's (and PyStemmer's) name
        return [_SAME_TERM.get(stem, stem) for stem in self._snowball.stemWords(words)]


def _stemmer() -> _DutchStemmer:
    stemmer: _DutchStemmer | None = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = _DutchStemmer()
    return stemmer


def _tokenize(texts: list[str]) -> list[list[str]]:
    tokens = bm25s.tokenize(
        texts, stopwords=_STOPWORDS, stemmer=_stemmer(), return_ids=False, show_progress=False
    )
    return tokens


def tokenize_query(query: str) -> list[str]:
    """Stemmed terms of ``query`` exactly as ``bm25s.tokenize`` makes them for the index
    (lower case, its token pattern, stop words dropped, Dutch Snowball), without its
    per-call overhead: snippets and grounding call this for every word they show."""
    words = [w for w in _TOKEN_RE.findall(query.lower()) if w not in _STOPWORD_SET]
    return _stemmer().stemWords(words) if words else []


@lru_cache(maxsize=1 << 16)
def stem_word(word: str) -> str:
    """The index term of one word ("" for a stop word or a one-letter word)."""
    terms = tokenize_query(word)
    return terms[0] if terms else ""


_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class _Words:
    """The index terms of a text's words, where they stand: ``terms`` (distinct, in
    order of first use), and per word its term's number and its start and end."""

    terms: tuple[str, ...]
    term: np.ndarray
    start: np.ndarray
    end: np.ndarray


@lru_cache(maxsize=4096)
def _words(text: str) -> _Words:
    # Scanning and stemming a passage's words is the bulk of a search's Python time, and
    # the same passages come back for question after question (and user after user).
    numbers: dict[str, int] = {}
    term, start, end = [], [], []
    for w in _WORD.finditer(text):
        stem = stem_word(w.group())
        if stem:
            term.append(numbers.setdefault(stem, len(numbers)))
            start.append(w.start())
            end.append(w.end())
    return _Words(
        tuple(numbers),
        np.array(term, dtype=np.int32),
        np.array(start, dtype=np.int32),
        np.array(end, dtype=np.int32),
    )


def term_matches(text: str, stems: Collection[str]) -> list[tuple[int, int, str]]:
    """(start, end, stem) of the words in ``text`` whose index term is one of ``stems``:
    where a query's terms stand in a passage (snippets, pages, turns, quotes)."""
    if not stems:
        return []
    words = _words(text)
    wanted = np.fromiter(
        (term in stems for term in words.terms), dtype=bool, count=len(words.terms)
    )
    if not wanted.any():
        return []
    # A lookup per word: np.isin sorts both arrays, several times slower on a passage.
    found = np.flatnonzero(wanted[words.term])
    return [
        (int(words.start[i]), int(words.end[i]), words.terms[words.term[i]]) for i in found.tolist()
    ]


def _keyword_text(title: str, text: str) -> str:
    # The title goes into every chunk's keyword text: questions often name the subject.
    return f"{title}\n{text}"


def _idf(frequency: float, total: float) -> float:
    """bm25s' Lucene IDF."""
    return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))


class _DocumentColumn:
    """The document of each chunk position, as integer codes: masks by document are one
    array lookup (``np.isin`` over 100,000 string ids took 25 s)."""

    def __init__(self, doc_ids: Sequence[str]) -> None:
        self._index: dict[str, int] = {}
        codes = [self._index.setdefault(doc_id, len(self._index)) for doc_id in doc_ids]
        self.codes = np.array(codes, dtype=np.int32)

    def __len__(self) -> int:
        return len(self.codes)

    def mask(self, doc_ids: Iterable[str]) -> np.ndarray:
        """1.0 at the positions of chunks of ``doc_ids``, else 0.0."""
        lookup = np.zeros(len(self._index), dtype=np.float32)
        found = [self._index[d] for d in doc_ids if d in self._index]
        lookup[found] = 1.0
        return lookup[self.codes] if len(self.codes) else np.zeros(0, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class _Pointer:
    """``bm25.json``: which saved base is current."""

    generation: int
    directory: str
    empty: bool


@dataclass(slots=True)
class _Base:
    """A saved bm25s index of the whole catalog at ``generation``."""

    generation: int
    retriever: bm25s.BM25 | None  # None when the catalog held no chunks
    chunk_ids: list[str]
    documents: _DocumentColumn
    lengths: np.ndarray  # tokens per chunk
    average_length: float  # as the base's own scores were normalised with

    def column(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The chunks (positions) that contain ``term`` and their precomputed scores: a
        column of bm25s' sparse score matrix."""
        if self.retriever is None:
            return None
        token = self.retriever.vocab_dict.get(term)
        if token is None:
            return None
        scores = self.retriever.scores
        start, end = int(scores["indptr"][token]), int(scores["indptr"][token + 1])
        return scores["indices"][start:end], scores["data"][start:end]


@dataclass(slots=True)
class _DocumentTerms:
    """One document's chunks as the delta needs them: term counts and lengths."""

    chunk_ids: list[str]
    counts: list[Counter[str]]
    lengths: list[int]


@dataclass(slots=True)
class _Snapshot:
    generation: int
    base: _Base
    live: np.ndarray | None  # 1/0 per base chunk; None when every base chunk is current
    delta_ids: list[str] = field(default_factory=list)
    delta_docs: _DocumentColumn = field(default_factory=lambda: _DocumentColumn([]))
    delta_lengths: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.float32))
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    size: int = 0  # chunks that can be found: the live base and the delta
    average_length: float = 0.0  # tokens per chunk over those

    def frequency(self, term: str) -> int:
        """Chunks that can be found and contain ``term``."""
        count = 0
        column = self.base.column(term)
        if column is not None:
            rows = column[0]
            count += len(rows) if self.live is None else int(np.count_nonzero(self.live[rows]))
        found = self.postings.get(term)
        return count + (len(found[0]) if found else 0)


def _empty_base(generation: int) -> _Base:
    return _Base(generation, None, [], _DocumentColumn([]), np.array([], dtype=np.float32), 0.0)


class KeywordIndex:
    def __init__(self, home: Path) -> None:
        self._home = home
        self._snapshot: _Snapshot | None = None
        self._refreshing = threading.Lock()
        # Tokenised documents of the delta, by (doc_id, revision): tokenised once per process.
        self._terms: dict[tuple[str, int], _DocumentTerms] = {}

    # -- keeping up with the catalog --------------------------------------------------------

    def refresh(self, catalog: Catalog, *, compact: bool = False) -> None:
        """Make the index match the catalog: apply what changed since the loaded base, or
        load a newer base another process saved. A search that finds another thread
        refreshing keeps using the previous snapshot instead of waiting.

        ``compact`` (for writers, after their changes): wait for the refresh, and build a
        new base when the changes outgrew the old one, so readers never have to."""
        current = self._snapshot
        if current is not None and current.generation == catalog.generation and not compact:
            return
        if not self._refreshing.acquire(blocking=current is None or compact):
            return
        try:
            current = self._snapshot
            generation = catalog.generation
            if current is not None and current.generation == generation and not compact:
                return
            base = current.base if current is not None else None
            saved = self._read_pointer()
            if saved is not None and (base is None or saved.generation > base.generation):
                base = self._load_saved(saved) or base
            snapshot = self._apply(catalog, base, limit=compact) if base is not None else None
            if snapshot is None:  # no usable base yet, or compacting a large delta
                snapshot = self._apply(catalog, self._build(catalog), limit=False)
                assert snapshot is not None
            self._snapshot = snapshot
        finally:
            self._refreshing.release()

    def _apply(self, catalog: Catalog, base: _Base, *, limit: bool) -> _Snapshot | None:
        """The snapshot of ``base`` plus the changes since; with ``limit``, None when the
        changes are too many to keep as a delta, or moved the average chunk length."""
        changes: KeywordChanges = catalog.keyword_changes(base.generation)
        delta_chunks = sum(len(rows) for rows in changes.changed.values())
        if limit and delta_chunks > max(_DELTA_MIN, int(len(base.chunk_ids) * _DELTA_SHARE)):
            return None
        live = None
        if len(base.chunk_ids):
            mask = base.documents.mask(changes.kept)
            live = None if mask.all() else mask
        terms = {key: self._document_terms(key, rows) for key, rows in changes.changed.items()}
        self._terms = terms  # forget documents that left the delta
        snapshot = _Snapshot(changes.generation, base, live)
        positions: dict[str, list[int]] = {}
        frequencies: dict[str, list[int]] = {}
        doc_ids: list[str] = []
        lengths: list[int] = []
        for (doc_id, _), document in terms.items():
            for chunk_id, counts, length in zip(
                document.chunk_ids, document.counts, document.lengths, strict=True
            ):
                position = len(snapshot.delta_ids)
                snapshot.delta_ids.append(chunk_id)
                doc_ids.append(doc_id)
                lengths.append(length)
                for term, count in counts.items():
                    positions.setdefault(term, []).append(position)
                    frequencies.setdefault(term, []).append(count)
        snapshot.delta_docs = _DocumentColumn(doc_ids)
        snapshot.delta_lengths = np.array(lengths, dtype=np.float32)
        live_lengths = base.lengths if live is None else base.lengths[live > 0]
        snapshot.size = len(live_lengths) + len(lengths)
        total_length = float(live_lengths.sum()) + float(sum(lengths))
        snapshot.average_length = total_length / snapshot.size if snapshot.size else 0.0
        if limit and base.average_length and snapshot.average_length:
            drift = abs(base.average_length / snapshot.average_length - 1)
            if drift > _MAX_LENGTH_DRIFT:
                return None  # before the postings are built: a new base replaces them
        snapshot.postings = {
            term: (np.array(positions[term]), np.array(frequencies[term], dtype=np.float32))
            for term in positions
        }
        return snapshot

    def _document_terms(
        self, key: tuple[str, int], rows: list[tuple[str, str, str, str]]
    ) -> _DocumentTerms:
        known = self._terms.get(key)
        if known is not None:
            return known
        texts = [_keyword_text(title, text) for _, _, text, title in rows]
        tokens = _tokenize(texts) if texts else []
        return _DocumentTerms(
            [row[0] for row in rows], [Counter(t) for t in tokens], [len(t) for t in tokens]
        )

    def _read_pointer(self) -> _Pointer | None:
        try:
            data = json.loads((self._home / _POINTER).read_text())
            return _Pointer(int(data["generation"]), str(data["directory"]), bool(data["empty"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _load_saved(self, saved: _Pointer) -> _Base | None:
        generation = saved.generation
        directory = self._home / saved.directory
        try:
            if saved.empty:
                return _empty_base(generation)
            meta = json.loads((directory / _META).read_text())
            if not _built_here(meta):
                raise ValueError(f"gebouwd met k1={meta.get('k1')}, b={meta.get('b')}")
            # Memory-mapped: loading is quick and processes share the pages.
            retriever = bm25s.BM25.load(directory, mmap=True, show_progress=False)
            chunk_ids = json.loads((directory / "chunk_ids.json").read_text())
            documents = _DocumentColumn(json.loads((directory / "doc_ids.json").read_text()))
            lengths = np.load(directory / _LENGTHS)
            return _Base(
                generation, retriever, chunk_ids, documents, lengths, float(meta["average_length"])
            )
        except (OSError, ValueError, KeyError) as exc:  # damaged or older format: rebuild
            log.warning("Trefwoordindex wordt opnieuw opgebouwd (de opgeslagen is onleesbaar "
                        "of van een oudere versie: %s)", exc)  # fmt: skip
            return None

    def _build(self, catalog: Catalog) -> _Base:
        """A new base of the whole catalog, saved for every process and the next start."""
        builder = _BaseBuilder()
        with catalog.chunks_at() as (generation, rows):
            while batch := list(islice(rows, _BUILD_BATCH)):
                builder.add(batch)
        chunk_ids, doc_ids = builder.chunk_ids, builder.doc_ids
        retriever, lengths = builder.finish()
        average = float(lengths.mean()) if len(lengths) else 0.0
        directory = self._home / f"bm25-{generation}"
        # pid and thread: two processes (or threads) may build the same generation at once.
        suffix = f"{os.getpid()}-{threading.get_ident()}"
        if retriever is not None:
            tmp = self._home / f"bm25-{generation}.tmp{suffix}"
            shutil.rmtree(tmp, ignore_errors=True)
            retriever.save(tmp, show_progress=False)
            (tmp / "chunk_ids.json").write_text(json.dumps(chunk_ids))
            (tmp / "doc_ids.json").write_text(json.dumps(doc_ids))
            (tmp / _META).write_text(json.dumps({"average_length": average, "k1": _K1, "b": _B}))
            np.save(tmp / _LENGTHS, lengths)
            if directory.exists() and not _saved_by_this_version(directory):
                shutil.rmtree(directory, ignore_errors=True)
            try:
                tmp.rename(directory)
            except OSError:  # another process saved this generation first: theirs is the same
                shutil.rmtree(tmp, ignore_errors=True)
        saved = self._read_pointer()
        if saved is None or saved.generation <= generation:
            pointer_tmp = self._home / f"{_POINTER}.tmp{suffix}"
            pointer_tmp.write_text(
                json.dumps(
                    {
                        "generation": generation,
                        "directory": directory.name,
                        "empty": retriever is None,
                    }
                )
            )
            os.replace(pointer_tmp, self._home / _POINTER)
        _remove_older(self._home, generation)
        return _Base(generation, retriever, chunk_ids, _DocumentColumn(doc_ids), lengths, average)

    # -- reading ----------------------------------------------------------------------------

    def idf(self, terms: set[str]) -> dict[str, float | None]:
        """BM25 inverse document frequency per (stemmed) term; None for a term no chunk
        contains. ``rarest`` (a term in one chunk) is ``max_idf``."""
        snapshot = self._snapshot
        if snapshot is None or not snapshot.size:
            return dict.fromkeys(terms)
        total = snapshot.size
        weights: dict[str, float | None] = {}
        for term in terms:
            frequency = snapshot.frequency(term)
            weights[term] = _idf(frequency, total) if frequency else None
        return weights

    def knows(self, term: str) -> bool:
        """Does some passage that can be found hold this (stemmed) term?"""
        snapshot = self._snapshot
        return snapshot is not None and snapshot.frequency(term) > 0

    @property
    def max_idf(self) -> float:
        return _idf(1, self._snapshot.size if self._snapshot else 0)

    @property
    def size(self) -> int:
        return self._snapshot.size if self._snapshot else 0

    def search(
        self,
        query: str,
        *,
        k: int,
        allowed_docs: set[str] | None = None,
        allowed_chunks: set[str] | None = None,
        extra_terms: Mapping[str, float] | None = None,
    ) -> list[tuple[str, float]]:
        """Best ``k`` chunks as (chunk_id, score), only from ``allowed_docs`` and only the
        ``allowed_chunks`` when given (a per-chunk weight mask: other chunks score 0).
        ``extra_terms``: (stemmed) terms searched besides the query's, each with its weight
        (a query term's is 1)."""
        snapshot = self._snapshot
        if snapshot is None:
            raise RuntimeError("KeywordIndex.refresh() must run before search()")
        if any(allowed is not None and not allowed for allowed in (allowed_docs, allowed_chunks)):
            return []
        # Repeated query terms count again, as in bm25s; IDFs of the current collection.
        weights: dict[str, float] = dict(Counter(tokenize_query(query)))
        for term, weight in (extra_terms or {}).items():
            weights[term] = weights.get(term, 0.0) + weight
        if not weights:
            return []
        idf = {term: _idf(snapshot.frequency(term), snapshot.size) for term in weights}
        found: list[tuple[str, float]] = []
        base = snapshot.base
        if base.retriever is not None:
            scores = self._base_scores(snapshot, weights, idf)
            if snapshot.live is not None:
                scores *= snapshot.live
            if allowed_docs is not None:
                scores *= base.documents.mask(allowed_docs)
            if allowed_chunks is not None:
                scores *= _chunk_mask(base.chunk_ids, allowed_chunks)
            found += _top(scores, k, base.chunk_ids)
        if snapshot.delta_ids:
            scores = self._delta_scores(snapshot, weights, idf)
            if allowed_docs is not None:
                scores *= snapshot.delta_docs.mask(allowed_docs)
            if allowed_chunks is not None:
                scores *= _chunk_mask(snapshot.delta_ids, allowed_chunks)
            found += _top(scores, k, snapshot.delta_ids)
        found.sort(key=lambda item: -item[1])
        return found[:k]

    @staticmethod
    def _base_scores(
        snapshot: _Snapshot, weights: Mapping[str, float], idf: dict[str, float]
    ) -> np.ndarray:
        """The base's precomputed scores (IDF x length-normalised term frequency), each
        term's rescaled from the base's IDF to the current one."""
        base = snapshot.base
        scores = np.zeros(len(base.chunk_ids), dtype=np.float32)
        for term, count in weights.items():
            column = base.column(term)
            if column is None:
                continue
            rows, values = column
            rescale = count * idf[term] / _idf(len(rows), len(base.chunk_ids))
            scores[rows] += values * np.float32(rescale)
        return scores

    @staticmethod
    def _delta_scores(
        snapshot: _Snapshot, weights: Mapping[str, float], idf: dict[str, float]
    ) -> np.ndarray:
        """Lucene BM25 of the delta's chunks over the current collection."""
        scores = np.zeros(len(snapshot.delta_ids), dtype=np.float32)
        norm = _K1 * ((1 - _B) + _B * snapshot.delta_lengths / max(snapshot.average_length, 1e-9))
        for term, count in weights.items():
            found = snapshot.postings.get(term)
            if found is None:
                continue
            positions, frequencies = found
            scores[positions] += count * idf[term] * frequencies / (norm[positions] + frequencies)
        return scores


class _BaseBuilder:
    """Builds a base's bm25s index batch by batch: the catalog's chunks are tokenised
    exactly as ``bm25s.tokenize`` does (its ids per batch, mapped to one vocabulary) and
    only each chunk's distinct terms and their counts are kept, as arrays. bm25s' own
    ``index`` needs every chunk's token list as Python objects at once: about 8 KB per
    chunk (measured: 9 GB at 1M chunks, kept by the process afterwards); this stays near
    16 bytes per (chunk, distinct term) at its peak. The scores are bm25s' Lucene
    scores (IDF x length-normalised term frequency) in its CSC layout (term x chunk), so
    the result loads, searches and saves as a ``bm25s.BM25`` (see the equivalence test)."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self.chunk_ids: list[str] = []
        self.doc_ids: list[str] = []
        self._terms: list[np.ndarray] = []  # each chunk's distinct term ids, chunk by chunk
        self._counts: list[np.ndarray] = []  # how often each occurs in its chunk
        self._distinct: list[np.ndarray] = []  # distinct terms per chunk
        self._lengths: list[np.ndarray] = []  # tokens per chunk

    def add(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        """Chunks as (chunk_id, doc_id, search text, title)."""
        texts = [_keyword_text(title, text) for _, _, text, title in rows]
        tokenized = bm25s.tokenize(
            texts, stopwords=_STOPWORDS, stemmer=_stemmer(), return_ids=True, show_progress=False
        )
        to_global = np.zeros(len(tokenized.vocab), dtype=np.int64)
        for term, local in tokenized.vocab.items():
            to_global[local] = self.vocabulary.setdefault(term, len(self.vocabulary))
        lengths = np.fromiter(map(len, tokenized.ids), dtype=np.int64, count=len(texts))
        flat = np.fromiter(chain.from_iterable(tokenized.ids), np.int64, int(lengths.sum()))
        width = max(len(self.vocabulary), 1)
        chunk = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        keys, counts = np.unique(chunk * width + to_global[flat], return_counts=True)
        self._terms.append((keys % width).astype(np.int32))
        self._counts.append(counts.astype(np.float32))
        self._distinct.append(np.bincount(keys // width, minlength=len(texts)))
        self._lengths.append(lengths.astype(np.float32))
        self.chunk_ids += [row[0] for row in rows]
        self.doc_ids += [row[1] for row in rows]

    def finish(self) -> tuple[bm25s.BM25 | None, np.ndarray]:
        """The index (None without chunks) and the tokens per chunk."""
        lengths = _concatenate(self._lengths, np.float32)
        if not len(lengths):
            return None, lengths
        terms = _concatenate(self._terms, np.int32)
        counts = _concatenate(self._counts, np.float32)
        distinct = _concatenate(self._distinct, np.int64)
        size, width = len(lengths), len(self.vocabulary)
        rows = np.zeros(size + 1, dtype=np.int64)  # each chunk's span in terms and counts
        np.cumsum(distinct, out=rows[1:])
        frequency = np.bincount(terms, minlength=width)
        idf = np.log1p((size - frequency + 0.5) / (frequency + 0.5))  # _idf, vectorised
        average = float(lengths.mean())
        scores = np.empty(len(terms), dtype=np.float32)
        step = 100_000  # chunks per slice: the temporaries stay small
        for start in range(0, size, step):
            low, high = rows[start], rows[min(start + step, size)]
            norm = _K1 * ((1 - _B) + _B * lengths[start : start + step] / average)
            found = counts[low:high]
            expanded = np.repeat(norm, distinct[start : start + step])
            scores[low:high] = idf[terms[low:high]] * found / (expanded + found)
        del counts
        # Chunk-major to term-major (CSC), chunks in order within each term.
        order = np.argsort(terms, kind="stable")
        del terms
        data = scores[order]
        del scores
        indices = np.repeat(np.arange(size, dtype=np.int32), distinct)[order]
        del order
        columns = np.zeros(width + 1, dtype=np.int64)
        np.cumsum(frequency, out=columns[1:])
        retriever = bm25s.BM25(k1=_K1, b=_B, method="lucene")
        # What bm25s.BM25.index sets (create_empty_token: "" after the real terms).
        retriever.scores = {"data": data, "indices": indices, "indptr": columns, "num_docs": size}
        retriever.vocab_dict = {**self.vocabulary, "": width}
        retriever.unique_token_ids_set = set(retriever.vocab_dict.values())
        retriever.nonoccurrence_array = None
        return retriever, lengths


def _built_here(meta: Mapping[str, object]) -> bool:
    """Whether a saved base's meta says it was scored with this version's k1 and b."""
    return (meta.get("k1"), meta.get("b")) == (_K1, _B)


def _saved_by_this_version(directory: Path) -> bool:
    """Whether the base saved in ``directory`` can be loaded as it is (older versions
    saved no lengths, or scored with other BM25 parameters)."""
    try:
        meta = json.loads((directory / _META).read_text())
    except (OSError, ValueError):
        return False
    return (directory / _LENGTHS).exists() and isinstance(meta, dict) and _built_here(meta)


def _concatenate(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """One array of ``parts``, which is emptied (the parts are freed as soon as possible)."""
    whole: np.ndarray = (
        np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)
    )
    parts.clear()
    return whole


_SAVED_NAME = re.compile(r"bm25-(\d+)(\.tmp.*)?$")
_STALE_TMP_SECONDS = 3600


def _remove_older(home: Path, generation: int) -> None:
    """Saved bases older than ``generation``, and temporary folders of crashed builds."""
    for path in home.glob("bm25-*"):
        found = _SAVED_NAME.match(path.name)
        if not found:
            continue
        try:
            stale = found.group(2) and time.time() - path.stat().st_mtime > _STALE_TMP_SECONDS
        except OSError:
            continue
        if (not found.group(2) and int(found.group(1)) < generation) or stale:
            shutil.rmtree(path, ignore_errors=True)


def _chunk_mask(chunk_ids: Sequence[str], allowed: set[str]) -> np.ndarray:
    """1.0 at the positions of the ``allowed`` chunks (speaker/party filters), else 0.0."""
    flags = (cid in allowed for cid in chunk_ids)
    return np.fromiter(flags, dtype=np.float32, count=len(chunk_ids))


def _top(scores: np.ndarray, k: int, chunk_ids: list[str]) -> list[tuple[str, float]]:
    k = min(k, len(scores))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]
