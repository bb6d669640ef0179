"""Vector store: Chroma, embedded (``PersistentClient`` under ``<home>/chroma``) or a
Chroma server (``HttpClient``). Vectors are always computed by our own embedder and
passed in: the collection has no embedding function, so Chroma's default (which
downloads a model) can never run. The collection records the embedder's name and
dimension; opening it with another embedder is an error, never a silent mix.

Search. Up to ``exact_limit`` passages the vectors are also held in memory and every
query is compared with all of them (``exact.ExactVectors``: exact, and the same in every
process); beyond it Chroma's HNSW graph searches.

Concurrency. Within a process one ``VectorStore`` serves every thread: queries share it,
and a write (upsert, delete: milliseconds each) briefly excludes them, because Chroma
errors on a query that meets a concurrent delete. Across processes (the CLI and the web
app on one data directory) ``SharedVectors`` coordinates through the catalog's state:

- A writer marks itself (``vector_writer`` = its pid) for as long as it writes vectors and
  bumps ``vector_epoch`` when it starts and when it ends.
- A reader in another process reopens its store when the epoch moved (an embedded store
  keeps what it loaded in memory and a re-index makes a new collection; both are stale).
- The embedded store (``PersistentClient``) is not safe across processes: a query while
  another process writes fails ("Error finding id"), measured. So while another live
  process is writing, readers leave vectors out (keyword search only, with a note) and
  pick the new vectors up once it is done. A Chroma server has no such limit: use one
  (``[vector_store] host``) when the CLI and the web app write at the same time.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fasteners
import numpy as np

from ..errors import BackendError, EmbedderMismatchError
from ..settings import VectorStoreSettings
from .catalog import Catalog
from .exact import ExactVectors

__all__ = ["SharedVectors", "VectorStore", "drop_collection"]

log = logging.getLogger(__name__)

# Catalog state keys (shared by every process on the data directory).
VECTOR_EPOCH = "vector_epoch"  # bumped when a writer starts and when it ends
VECTOR_WRITER = "vector_writer"  # pid of the process writing vectors, "" when none
VECTORS_STALE = "vectors_stale"  # "1": drop the collection before writing (re-index)
# A writer waits this long after marking itself before it touches an embedded store, so a
# reader that checked just before can finish opening it.
_WRITER_GRACE_SECONDS = 0.5
UNAVAILABLE_NOTE = (
    "Zoeken op betekenis is even niet beschikbaar: een indexering in een ander proces "
    "schrijft vectoren. Deze resultaten komen alleen uit het zoeken op trefwoord."
)


def _client(settings: VectorStoreSettings, home: Path, *, fresh: bool = False) -> tuple[Any, str]:
    import chromadb

    # Telemetry off: nothing leaves the machine.
    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.host:
        client = chromadb.HttpClient(
            host=settings.host, port=settings.port, settings=chroma_settings
        )
        return client, f"http://{settings.host}:{settings.port}"
    path = home / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    if fresh:
        # chromadb keeps one System per path and process; a new one reads what other
        # processes wrote. Stores opened before keep working on the old one.
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings), str(path)


def drop_collection(settings: VectorStoreSettings, home: Path) -> None:
    """Delete the vector collection whatever embedder made it (for a full re-index)."""
    client, _ = _client(settings, home)
    try:
        client.delete_collection(settings.collection)
    except Exception as exc:  # absent collection: chromadb raises NotFoundError/ValueError
        if not _is_not_found(exc):
            raise BackendError(f"Vectorcollectie kan niet verwijderd worden: {exc}") from exc


def _is_not_found(exc: Exception) -> bool:
    return "does not exist" in str(exc) or "not found" in str(exc).lower()


def _from_chroma(exc: Exception) -> bool:
    return type(exc).__module__.startswith(("chromadb", "httpx", "urllib3"))


class VectorStore:
    def __init__(
        self,
        settings: VectorStoreSettings,
        *,
        home: Path,
        embedder_name: str,
        dimension: int,
        fresh: bool = False,
    ) -> None:
        self._settings = settings
        self._home = home
        self._embedder_name = embedder_name
        self._dimension = dimension
        self._lock = fasteners.ReaderWriterLock()
        # Exact search (``ExactVectors``) while the collection is small, loaded at the
        # first query; None when it is too large (or the limit is 0).
        self._exact: ExactVectors | None = None
        self._exact_loaded = False
        self._open(fresh=fresh)

    def _open(self, *, fresh: bool) -> None:
        settings = self._settings
        embedder_name, dimension = self._embedder_name, self._dimension
        try:
            self._client, self.location = _client(settings, self._home, fresh=fresh)
            self._collection = self._client.get_or_create_collection(
                settings.collection,
                embedding_function=None,
                metadata={"embedder": embedder_name, "dimension": dimension},
                configuration={"hnsw": {"space": "cosine", "ef_search": settings.search_ef}},
            )
            self._tune_search(settings.search_ef)
        except ValueError as exc:
            if "could not connect" in str(exc).lower():
                raise BackendError(
                    f"Chroma is niet bereikbaar op {self._where(settings)}; start de server met "
                    f"`chroma run --path DATAMAP --host {settings.host} --port {settings.port}` "
                    "of laat [vector_store] host leeg voor de ingebouwde opslag."
                ) from exc
            raise BackendError(
                f"Chroma kan niet geopend worden ({self._where(settings)}): {exc}"
            ) from exc
        except Exception as exc:  # chromadb raises many transport-specific errors
            if type(exc).__module__.startswith(("chromadb", "httpx", "urllib3")):
                raise BackendError(
                    f"Chroma is niet bereikbaar ({self._where(settings)}): {exc}"
                ) from exc
            raise
        self._exact, self._exact_loaded = None, False
        stored = self._collection.metadata or {}
        if stored.get("embedder") != embedder_name or stored.get("dimension") != dimension:
            raise EmbedderMismatchError(
                f"De vectorindex '{settings.collection}' is gemaakt met embedder "
                f"{stored.get('embedder')} (dimensie {stored.get('dimension')}), maar de "
                f"instelling is nu {embedder_name} (dimensie {dimension}). Herindexeer met "
                "`raadsinzicht ingest --reindex` of zet de oude embedder terug."
            )

    def _tune_search(self, search_ef: int) -> None:
        """Give a collection made with another ef_search (before this setting, or with
        another value) the configured one. Chroma stores it with the collection; a process
        that has the index loaded keeps its old value until it opens the store anew."""
        hnsw = (self._collection.configuration_json or {}).get("hnsw") or {}
        if hnsw.get("ef_search") == search_ef:
            return
        try:
            with warnings.catch_warnings():
                # Chroma calls a collection without an embedding function (ours: vectors
                # are always passed in) "legacy" when it rewrites the configuration.
                warnings.filterwarnings("ignore", "legacy embedding function", DeprecationWarning)
                self._collection.modify(configuration={"hnsw": {"ef_search": search_ef}})
        except Exception as exc:  # a read-only server, an older Chroma: search still works
            if not _from_chroma(exc):
                raise
            log.warning("ef_search van de vectorindex niet aangepast: %s", exc)

    @staticmethod
    def _where(settings: VectorStoreSettings) -> str:
        return f"{settings.host}:{settings.port}" if settings.host else "lokaal"

    def reopen(self, *, fresh: bool = True) -> None:
        """Open the collection again (``fresh``: with a new embedded client that reads
        what other processes wrote); after a re-index made a new collection."""
        with self._lock.write_lock():
            self._open(fresh=fresh)

    def count(self) -> int:
        with self._lock.read_lock():
            return int(self._collection.count())

    def upsert(self, chunk_ids: Sequence[str], doc_ids: Sequence[str], vectors: np.ndarray) -> None:
        with self._lock.write_lock():
            self._collection.upsert(
                ids=list(chunk_ids),
                embeddings=vectors.astype(np.float32),
                metadatas=[{"doc_id": doc_id} for doc_id in doc_ids],
            )
            if self._exact is not None:
                self._exact.upsert(chunk_ids, doc_ids, vectors)
                if len(self._exact) > self._settings.exact_limit:
                    self._exact = None  # grown too large: the HNSW graph from now on

    def delete(self, chunk_ids: Sequence[str]) -> None:
        for start in range(0, len(chunk_ids), 1000):
            with self._lock.write_lock():
                self._collection.delete(ids=list(chunk_ids[start : start + 1000]))
                if self._exact is not None:
                    self._exact.delete(chunk_ids[start : start + 1000])

    def _exact_vectors(self) -> ExactVectors | None:
        """The collection in memory for exact search, loaded once (None: too large)."""
        if not self._exact_loaded:
            with self._lock.write_lock():
                if not self._exact_loaded:
                    self._exact = self._load_exact_or_none()
                    self._exact_loaded = True
        return self._exact

    def _load_exact_or_none(self) -> ExactVectors | None:
        try:
            return self._load_exact()
        except Exception as exc:
            if not _from_chroma(exc):
                raise
        # An embedded client opened before another process wrote can fail to read all
        # vectors ("Error finding id") where a graph query still works: read them with a
        # new client, and search the graph when even that fails.
        try:
            self._open(fresh=not self._settings.host)
            return self._load_exact()
        except Exception as exc:
            if not _from_chroma(exc):
                raise
            log.warning("exact zoeken niet mogelijk, de HNSW-graaf zoekt: %s", exc)
            return None

    def _load_exact(self) -> ExactVectors | None:
        limit = self._settings.exact_limit
        if not limit:
            return None
        count = int(self._collection.count())
        if count > limit:
            return None
        return ExactVectors.from_collection(self._collection, self._dimension, count)

    def query(
        self,
        vector: np.ndarray,
        *,
        k: int,
        allowed_docs: set[str] | None = None,
        allowed_chunks: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest ``k`` chunks as (chunk_id, cosine similarity), only from ``allowed_docs``
        and among ``allowed_chunks`` when given (Chroma's ``ids`` subset); a collection that
        another process replaced is opened again once."""
        try:
            return self._query(
                vector, k=k, allowed_docs=allowed_docs, allowed_chunks=allowed_chunks
            )
        except Exception as exc:
            if not (_from_chroma(exc) and _is_not_found(exc)):
                raise
        # The same client finds the new collection; fresh data comes with the epoch.
        self.reopen(fresh=False)
        return self._query(vector, k=k, allowed_docs=allowed_docs, allowed_chunks=allowed_chunks)

    def _query(
        self,
        vector: np.ndarray,
        *,
        k: int,
        allowed_docs: set[str] | None,
        allowed_chunks: set[str] | None,
    ) -> list[tuple[str, float]]:
        if any(allowed is not None and not allowed for allowed in (allowed_docs, allowed_chunks)):
            return []
        exact = self._exact_vectors()
        if exact is not None:
            with self._lock.read_lock():
                return exact.query(
                    vector, k=k, allowed_docs=allowed_docs, allowed_chunks=allowed_chunks
                )
        where: dict[str, Any] | None = None
        if allowed_docs is not None:
            where = {"doc_id": {"$in": sorted(allowed_docs)}}
        # No count() first: Chroma returns what it holds when that is fewer than asked
        # (nothing for an empty collection), and a count per query cost more than the
        # query itself (1.8 vs 0.9 ms at 22,000 vectors; it grows with the collection).
        with self._lock.read_lock():
            result = self._collection.query(
                query_embeddings=[vector.astype(np.float32)],
                ids=sorted(allowed_chunks) if allowed_chunks is not None else None,
                n_results=k if allowed_chunks is None else min(k, len(allowed_chunks)),
                where=where,
                include=["distances"],
            )
        ids = result["ids"][0]
        distances = result["distances"][0] if result["distances"] else [1.0] * len(ids)
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances, strict=True)]


class SharedVectors:
    """The process's vector store, kept coherent with other processes on the same data
    directory (see the module's docstring)."""

    def __init__(
        self,
        settings: VectorStoreSettings,
        *,
        home: Path,
        catalog: Catalog,
        embedder: Callable[[], Any],
    ) -> None:
        self._settings = settings
        self._home = home
        self._catalog = catalog
        self._embedder = embedder
        self._store: VectorStore | None = None
        self._epoch_seen: int | None = None
        self._lock = threading.RLock()
        self._writing = 0  # nesting depth of ``writing()`` in this process

    def _epoch(self) -> int:
        return int(self._catalog.state(VECTOR_EPOCH) or 0)

    def _open(self, *, fresh: bool) -> VectorStore:
        embedder = self._embedder()
        return VectorStore(
            self._settings,
            home=self._home,
            embedder_name=embedder.name,
            dimension=embedder.dimension,
            fresh=fresh,
        )

    def foreign_writer(self) -> int | None:
        """The pid of another live process writing vectors now, if any."""
        value = self._catalog.state(VECTOR_WRITER) or ""
        if not value.isdigit() or int(value) == os.getpid():
            return None
        pid = int(value)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None  # it died; its epoch bump makes readers reopen
        except PermissionError:
            pass  # alive, another user's process
        return pid

    def unavailable(self) -> bool:
        """Readers must leave the embedded store alone now (another process writes)."""
        return not self._settings.host and self.foreign_writer() is not None

    def reader(self) -> VectorStore | None:
        """The store for a query, reopened when another process changed the vectors;
        None while another process writes into an embedded store."""
        if self.unavailable():
            return None
        with self._lock:
            epoch = self._epoch()  # under the lock: this process's own bumps are seen
            if self._store is None:
                self._store = self._open(fresh=False)
                self._epoch_seen = epoch
            elif epoch != self._epoch_seen and not self._writing:
                # Another process wrote: a new store (in-flight queries keep the old one).
                self._store = self._open(fresh=True)
                self._epoch_seen = epoch
            return self._store

    def store(self) -> VectorStore:
        """The store for writing (inside ``writing()``) or for counting."""
        with self._lock:
            if self._store is None:
                self._store = self._open(fresh=False)
                self._epoch_seen = self._epoch()
            return self._store

    def _bump(self) -> None:
        with self._lock:
            self._epoch_seen = self._catalog.increment_state(VECTOR_EPOCH)

    @contextmanager
    def writing(self) -> Iterator[VectorStore]:
        """Mark this process as the vector writer for the block (callers hold the
        engine's writer lock, so there is only one); drops the collection first when a
        re-index asked for that (``VECTORS_STALE``), also when a killed run did."""
        with self._lock:
            self._writing += 1
            outermost = self._writing == 1
        try:
            if outermost:
                foreign_writes = self._epoch() != self._epoch_seen
                self._catalog.set_state(VECTOR_WRITER, str(os.getpid()))
                self._bump()
                if not self._settings.host:
                    time.sleep(_WRITER_GRACE_SECONDS)
                if self._catalog.state(VECTORS_STALE) == "1":
                    # Before opening it: the old collection may be another embedder's.
                    drop_collection(self._settings, self._home)
                    self._catalog.set_state(VECTORS_STALE, "0")
                    self._store = None
                elif self._store is not None and foreign_writes:
                    # Another process wrote since this one opened its store.
                    self._store.reopen(fresh=not self._settings.host)
            yield self.store()
        finally:
            with self._lock:
                self._writing -= 1
                if self._writing == 0:
                    self._bump()
                    self._catalog.set_state(VECTOR_WRITER, "")
