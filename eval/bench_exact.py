"""Exact search in memory against Chroma's HNSW graph, on the same vectors in one run.

For each size (synthetic 384-dimensional vectors around one direction, as E5's are, plus
the evaluation index's own vectors when ``--home`` is given; the questions are stored
vectors plus a little noise): load time of the vectors
into ``ExactVectors``, query latency p50/p95 of a raw Chroma query (``ef_search`` 400,
the app's setting) and of the exact search, recall@100 of the graph against the exact
nearest, whether a second process's graph ranks the same, and the memory the matrix takes::

    python eval/bench_exact.py --sizes 3000 20000 50000 --queries 200
    python eval/bench_exact.py --home /tmp/evalhome/eval/<key>/engine --queries 570
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import chromadb
import numpy as np

from raadsinzicht.index.exact import ExactVectors

_PAGE = 5000


def _around_one_direction(seed: int, rows: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    direction = rng.normal(size=384)
    return (direction + 0.5 * rng.normal(size=(rows, 384))).astype(np.float32)


def _near(vectors: np.ndarray) -> np.ndarray:
    """Questions near passages: each passage's vector plus a little noise (a question
    has a neighbourhood of passages that answer it; random ones have none)."""
    rng = np.random.default_rng(5)
    return vectors + 0.02 * rng.normal(size=vectors.shape).astype(np.float32)


def _collection(path: Path, vectors: np.ndarray | None) -> Any:
    client = chromadb.PersistentClient(path=str(path))
    if vectors is None:
        return client.get_collection(client.list_collections()[0].name)
    collection = client.create_collection(
        "bench", configuration={"hnsw": {"space": "cosine", "ef_search": 400}}
    )
    ids = [f"c{i}" for i in range(len(vectors))]
    for start in range(0, len(vectors), _PAGE):
        collection.add(
            ids=ids[start : start + _PAGE],
            embeddings=vectors[start : start + _PAGE],
            metadatas=[
                {"doc_id": f"d{i % 50}"} for i in range(start, min(start + _PAGE, len(ids)))
            ],
        )
    return collection


def _load(collection: Any) -> tuple[ExactVectors, float]:
    started = time.perf_counter()
    exact = ExactVectors.from_collection(collection, 384, int(collection.count()))
    return exact, time.perf_counter() - started


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(values, 50)) * 1000, 2),
        "p95": round(float(np.percentile(values, 95)) * 1000, 2),
    }


def _graph_ranking(path: Path, queries: Path) -> str:
    """The graph's top 100 for every query, from a new process (a hash of them)."""
    code = (
        "import chromadb, hashlib, numpy as np, sys;"
        "c = chromadb.PersistentClient(path=sys.argv[1]);"
        "col = c.get_collection(c.list_collections()[0].name);"
        "h = hashlib.md5();"
        "[h.update(repr(col.query(query_embeddings=[q], n_results=100)['ids'][0]).encode())"
        " for q in np.load(sys.argv[2])];"
        "print(h.hexdigest())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path), str(queries)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def measure(path: Path, vectors: np.ndarray | None, queries: np.ndarray) -> dict[str, Any]:
    collection = _collection(path, vectors)
    exact, load_seconds = _load(collection)
    graph_times: list[float] = []
    exact_times: list[float] = []
    recall: list[float] = []
    for query in queries:
        started = time.perf_counter()
        found = collection.query(query_embeddings=[query], n_results=100)["ids"][0]
        graph_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        nearest = exact.query(query, k=100)
        exact_times.append(time.perf_counter() - started)
        recall.append(len(set(found) & {c for c, _ in nearest}) / max(len(nearest), 1))
    saved = path / "queries.npy"
    np.save(saved, queries)
    rankings = {_graph_ranking(path, saved) for _ in range(3)}
    graph, exact_ms = _ms(graph_times), _ms(exact_times)
    return {
        "vectors": len(exact),
        "load_s": round(load_seconds, 2),
        "matrix_mb": round(len(exact) * 384 * 4 / 2**20, 1),
        "graph_ms": graph,
        "exact_ms": exact_ms,
        "exact_over_graph_p50": round(exact_ms["p50"] / max(graph["p50"], 1e-9), 2),
        "graph_recall_at_100": round(float(np.mean(recall)), 4),
        "graph_recall_worst": round(float(np.min(recall)), 2),
        "graph_rankings_in_3_processes": len(rankings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[3000, 20000, 50000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--home", type=Path, help="an engine home: also its own vectors")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    for size in args.sizes:
        vectors = _around_one_direction(1, size)
        with tempfile.TemporaryDirectory() as tmp:
            report[f"synthetic_{size}"] = measure(
                Path(tmp), vectors, _near(vectors[: args.queries])
            )
        print(json.dumps({f"synthetic_{size}": report[f"synthetic_{size}"]}), flush=True)
    if args.home:
        # A copy: a bench must not write into the index (Chroma may compact on open).
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "chroma"
            subprocess.run(["cp", "-r", str(args.home / "chroma"), str(copy)], check=True)
            collection = _collection(copy, None)
            own = np.asarray(
                collection.get(include=["embeddings"], limit=args.queries)["embeddings"],
                dtype=np.float32,
            )
            report["index"] = measure(copy, None, _near(own))
        print(json.dumps({"index": report["index"]}), flush=True)


if __name__ == "__main__":
    main()
