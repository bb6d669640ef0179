"""Keyword index: BM25 (bm25s) over Dutch-stemmed tokens (Snowball via PyStemmer) without
Dutch stop words. Derived from the catalog and rebuilt when the catalog's generation
changes; saved under ``<home>/bm25-<generation>/`` and switched atomically through a
small pointer file, so a crash mid-save never leaves a half-written index in use.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

from .catalog import Catalog

__all__ = ["KeywordIndex", "stem_word", "tokenize_query"]

log = logging.getLogger(__name__)

_POINTER = "bm25.json"
# Words that carry no meaning in council questions, on top of bm25s' Dutch stop words.
_EXTRA_STOPWORDS = ("welke", "wat", "wie", "waar", "wanneer", "hoe", "waarom", "welk")
_STOPWORDS = sorted(set(STOPWORDS_DUTCH) | set(_EXTRA_STOPWORDS))


_STOPWORD_SET = frozenset(_STOPWORDS)
_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # bm25s.tokenize's default token pattern
_local = threading.local()  # a PyStemmer object must not be shared between threads


def _stemmer() -> Stemmer.Stemmer:
    stemmer: Stemmer.Stemmer | None = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("dutch")
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


@dataclass(slots=True)
class _Loaded:
    generation: int
    retriever: bm25s.BM25 | None  # None when the catalog holds no chunks
    chunk_ids: list[str]
    doc_ids: np.ndarray  # doc id per chunk position (object array)

    @property
    def chunk_array(self) -> np.ndarray:
        return np.array(self.chunk_ids, dtype=object)


class KeywordIndex:
    def __init__(self, home: Path) -> None:
        self._home = home
        self._loaded: _Loaded | None = None

    def refresh(self, catalog: Catalog) -> None:
        """Make the index match the catalog: load the saved one or rebuild it."""
        generation = catalog.generation
        if self._loaded and self._loaded.generation == generation:
            return
        saved = self._read_pointer()
        if saved and saved.get("generation") == generation:
            try:
                self._loaded = self._load(self._home / str(saved["directory"]), generation)
                return
            except (OSError, ValueError, KeyError) as exc:  # damaged: rebuild below
                log.warning("BM25-index onleesbaar (%s); wordt opnieuw opgebouwd", exc)
        self._loaded = self._build(catalog, generation)

    def _read_pointer(self) -> dict[str, object] | None:
        try:
            data = json.loads((self._home / _POINTER).read_text())
            return data if isinstance(data, dict) else None
        except (OSError, ValueError):
            return None

    def _build(self, catalog: Catalog, generation: int) -> _Loaded:
        rows = catalog.all_chunks()
        chunk_ids = [row[0] for row in rows]
        doc_ids = np.array([row[1] for row in rows], dtype=object)
        # The title goes into every chunk's keyword text: questions often name the subject.
        texts = [f"{title}\n{text}" for _, _, text, title in rows]
        retriever: bm25s.BM25 | None = None
        directory = self._home / f"bm25-{generation}"
        if texts:
            retriever = bm25s.BM25()
            retriever.index(_tokenize(texts), show_progress=False)
            tmp = self._home / f"bm25-{generation}.tmp{os.getpid()}"
            shutil.rmtree(tmp, ignore_errors=True)
            retriever.save(tmp, show_progress=False)
            (tmp / "chunk_ids.json").write_text(json.dumps(chunk_ids))
            (tmp / "doc_ids.json").write_text(json.dumps(doc_ids.tolist()))
            shutil.rmtree(directory, ignore_errors=True)
            tmp.rename(directory)
        pointer_tmp = self._home / f"{_POINTER}.tmp{os.getpid()}"
        pointer_tmp.write_text(
            json.dumps({"generation": generation, "directory": directory.name, "empty": not texts})
        )
        os.replace(pointer_tmp, self._home / _POINTER)
        for old in self._home.glob("bm25-*"):
            if old != directory:
                shutil.rmtree(old, ignore_errors=True)
        return _Loaded(generation, retriever, chunk_ids, doc_ids)

    @staticmethod
    def _load(directory: Path, generation: int) -> _Loaded:
        if not directory.exists():
            return _Loaded(generation, None, [], np.array([], dtype=object))
        retriever = bm25s.BM25.load(directory, show_progress=False)
        chunk_ids = json.loads((directory / "chunk_ids.json").read_text())
        doc_ids = np.array(json.loads((directory / "doc_ids.json").read_text()), dtype=object)
        return _Loaded(generation, retriever, chunk_ids, doc_ids)

    def idf(self, terms: set[str]) -> dict[str, float | None]:
        """BM25 inverse document frequency per (stemmed) term; None for a term no chunk
        contains. ``rarest`` (a term in one chunk) is ``max_idf``."""
        loaded = self._loaded
        if not loaded or loaded.retriever is None:
            return dict.fromkeys(terms)
        total = len(loaded.chunk_ids)
        vocab = loaded.retriever.vocab_dict
        indptr = loaded.retriever.scores["indptr"]
        weights: dict[str, float | None] = {}
        for term in terms:
            token = vocab.get(term)
            if token is None:
                weights[term] = None
                continue
            frequency = int(indptr[token + 1] - indptr[token])  # chunks containing the term
            weights[term] = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        return weights

    @property
    def max_idf(self) -> float:
        total = len(self._loaded.chunk_ids) if self._loaded else 0
        return math.log(1 + (total - 0.5) / 1.5)

    @property
    def size(self) -> int:
        return len(self._loaded.chunk_ids) if self._loaded else 0

    def search(
        self,
        query: str,
        *,
        k: int,
        allowed_docs: set[str] | None = None,
        allowed_chunks: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Best ``k`` chunks as (chunk_id, score), only from ``allowed_docs`` and only the
        ``allowed_chunks`` when given (a per-chunk weight mask: other chunks score 0)."""
        loaded = self._loaded
        if loaded is None:
            raise RuntimeError("KeywordIndex.refresh() must run before search()")
        if loaded.retriever is None or any(
            allowed is not None and not allowed for allowed in (allowed_docs, allowed_chunks)
        ):
            return []
        terms = tokenize_query(query)
        if not terms:
            return []
        mask = None
        if allowed_docs is not None:
            mask = np.isin(loaded.doc_ids, list(allowed_docs)).astype(np.float32)
        if allowed_chunks is not None:
            chunk_mask = np.isin(loaded.chunk_array, list(allowed_chunks)).astype(np.float32)
            mask = chunk_mask if mask is None else mask * chunk_mask
        scores = loaded.retriever.get_scores(terms, weight_mask=mask)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(loaded.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]
