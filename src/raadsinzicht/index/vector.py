"""Vector store: Chroma, embedded (``PersistentClient`` under ``<home>/chroma``) or a
Chroma server (``HttpClient``). Vectors are always computed by our own embedder and
passed in: the collection has no embedding function, so Chroma's default (which
downloads a model) can never run. The collection records the embedder's name and
dimension; opening it with another embedder is an error, never a silent mix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BackendError, EmbedderMismatchError
from ..settings import VectorStoreSettings

__all__ = ["VectorStore", "drop_collection"]


def _client(settings: VectorStoreSettings, home: Path) -> tuple[Any, str]:
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
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings), str(path)


def drop_collection(settings: VectorStoreSettings, home: Path) -> None:
    """Delete the vector collection whatever embedder made it (for a full re-index)."""
    client, _ = _client(settings, home)
    try:
        client.delete_collection(settings.collection)
    except Exception as exc:  # absent collection: chromadb raises NotFoundError/ValueError
        if "does not exist" not in str(exc) and "not found" not in str(exc).lower():
            raise BackendError(f"Vectorcollectie kan niet verwijderd worden: {exc}") from exc


class VectorStore:
    def __init__(
        self,
        settings: VectorStoreSettings,
        *,
        home: Path,
        embedder_name: str,
        dimension: int,
    ) -> None:
        try:
            self._client, self.location = _client(settings, home)
            self._collection = self._client.get_or_create_collection(
                settings.collection,
                embedding_function=None,
                metadata={"embedder": embedder_name, "dimension": dimension},
                configuration={"hnsw": {"space": "cosine"}},
            )
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
        stored = self._collection.metadata or {}
        if stored.get("embedder") != embedder_name or stored.get("dimension") != dimension:
            raise EmbedderMismatchError(
                f"De vectorindex '{settings.collection}' is gemaakt met embedder "
                f"{stored.get('embedder')} (dimensie {stored.get('dimension')}), maar de "
                f"instelling is nu {embedder_name} (dimensie {dimension}). Herindexeer met "
                "`raadsinzicht ingest --reindex` of zet de oude embedder terug."
            )
        self._settings = settings

    @staticmethod
    def _where(settings: VectorStoreSettings) -> str:
        return f"{settings.host}:{settings.port}" if settings.host else "lokaal"

    def count(self) -> int:
        return int(self._collection.count())

    def upsert(self, chunk_ids: Sequence[str], doc_ids: Sequence[str], vectors: np.ndarray) -> None:
        self._collection.upsert(
            ids=list(chunk_ids),
            embeddings=vectors.astype(np.float32),
            metadatas=[{"doc_id": doc_id} for doc_id in doc_ids],
        )

    def delete(self, chunk_ids: Sequence[str]) -> None:
        for start in range(0, len(chunk_ids), 1000):
            self._collection.delete(ids=list(chunk_ids[start : start + 1000]))

    def query(
        self,
        vector: np.ndarray,
        *,
        k: int,
        allowed_docs: set[str] | None = None,
        allowed_chunks: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest ``k`` chunks as (chunk_id, cosine similarity), only from ``allowed_docs``
        and among ``allowed_chunks`` when given (Chroma's ``ids`` subset)."""
        if any(allowed is not None and not allowed for allowed in (allowed_docs, allowed_chunks)):
            return []
        where: dict[str, Any] | None = None
        if allowed_docs is not None:
            where = {"doc_id": {"$in": sorted(allowed_docs)}}
        count = self.count() if allowed_chunks is None else len(allowed_chunks)
        if count == 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector.astype(np.float32)],
            ids=sorted(allowed_chunks) if allowed_chunks is not None else None,
            n_results=min(k, count),
            where=where,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result["distances"] else [1.0] * len(ids)
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances, strict=True)]
