"""Calibrate the extractive answerer on a development set (eval/dev.jsonl; never on the
held-out set): the score weights by coordinate search (evidence accuracy plus span
accuracy, no refusals), then the refusal threshold (``answer.min_evidence_score``): the
highest that keeps false refusals at or below ``--max-false-refusals``.

It runs against an already indexed evaluation engine (``--home``: the ``engine`` folder of
an evaluation home, e.g. ``<home>/eval/<key>/engine``). Retrieval runs once per question;
sentence vectors are cached, so each weight setting costs milliseconds per question::

    python eval/calibrate_extractive.py --home /tmp/evalhome/eval/<key>/engine \\
        --corpus ../shared/corpus --json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from raadsinzicht.answer_eval import contains_answer
from raadsinzicht.embed import Embedder
from raadsinzicht.engine import build_engine
from raadsinzicht.evaluate import EvalItem, load_dataset
from raadsinzicht.extractive import ExtractiveAnswerer, ScoreWeights
from raadsinzicht.privacy import protect_hits
from raadsinzicht.retrieve import SearchFilters, SearchHit
from raadsinzicht.settings import AnswerSettings, load_settings
from raadsinzicht.spans import question_type

SPAN_KINDS = ("factoid", "lookup", "ocr")
GRID: dict[str, Sequence[float]] = {
    "answer_type": (0.2, 0.45, 0.6, 0.8, 1.0),
    "sentence": (0.05, 0.15, 0.25, 0.35, 0.5),
    "context": (0.0, 0.1, 0.2, 0.35),
    "passage": (0.1, 0.2, 0.35, 0.5),
    "rank": (0.0, 0.05, 0.1, 0.2, 0.3),
    "vector": (0.0, 0.3, 0.6, 1.0, 1.5),
    "neighbour": (0.0, 0.1, 0.2, 0.4),
}
QUOTE_RATIOS = (0.5, 0.6, 0.7, 0.85)


class CachedEmbedder:
    """The engine's embedder with every vector remembered (sentences recur per setting)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[tuple[str, str], np.ndarray] = {}
        self.name = embedder.name
        self.dimension = embedder.dimension

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in texts if ("p", t) not in self._vectors]
        if missing:
            for text, vector in zip(missing, self._embedder.embed_passages(missing), strict=True):
                self._vectors[("p", text)] = vector
        return np.stack([self._vectors[("p", t)] for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        if ("q", text) not in self._vectors:
            self._vectors[("q", text)] = self._embedder.embed_query(text)
        return self._vectors[("q", text)]

    def token_count(self, text: str) -> int:
        return self._embedder.token_count(text)


def measure(
    items: list[tuple[EvalItem, str, list[SearchHit]]],
    make: Any,
    answer_settings: AnswerSettings,
    weights: ScoreWeights,
) -> dict[str, Any]:
    answerer: ExtractiveAnswerer = make(answer_settings, weights)
    answerable = evidence = typed = spans = refused_right = unanswerable = false_refusals = 0
    scores: list[tuple[float, bool]] = []  # (evidence score, answerable)
    for item, question, hits in items:
        result = answerer.answer(question, hits)
        scores.append((result.score, item.answerable))
        if not item.answerable:
            unanswerable += 1
            refused_right += result.refused
            continue
        answerable += 1
        false_refusals += result.refused
        quoted = " ".join(q.text for q in result.quotes)
        evidence += not result.refused and contains_answer(quoted, item.answers)
        if item.kind in SPAN_KINDS and question_type(item.question):
            typed += 1
            spans += (
                not result.refused
                and result.direct is not None
                and contains_answer(result.direct.text, item.answers)
            )
    return {
        "evidence_accuracy": evidence / max(answerable, 1),
        "span_accuracy": spans / max(typed, 1),
        "false_refusals": false_refusals / max(answerable, 1),
        "refusal_accuracy": refused_right / max(unanswerable, 1),
        "scores": scores,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="an evaluation engine folder")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--dataset", type=Path, default=Path("eval/dev.jsonl"))
    parser.add_argument("--max-false-refusals", type=float, default=0.04)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if "heldout" in args.dataset.name:
        sys.exit("Kalibreer nooit op de held-out-set.")
    settings = load_settings(
        home=args.home, ingest_dir=args.corpus.resolve(), llm={"provider": "extractive"}
    )
    engine = build_engine(settings)
    embedder = CachedEmbedder(engine.embedder())
    items = []
    for item in load_dataset(args.dataset):
        hits = engine.search(item.question, top_k=settings.answer.passages)
        question, hits = protect_hits(settings, item.question, hits, SearchFilters())
        items.append((item, question, hits))
    facts = engine.extractive_answerer()._facts  # the engine's fact finder

    def make(answer_settings: AnswerSettings, weights: ScoreWeights) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(
            answer_settings,
            term_weights=engine._question_weights,
            embedder=lambda: embedder,
            query_vector=embedder.embed_query,
            facts=facts,
            weights=weights,
        )

    no_refusal = settings.answer.model_copy(update={"min_evidence_score": -10.0})
    weights = ScoreWeights()
    best = measure(items, make, no_refusal, weights)
    trail = []
    for _ in range(args.rounds):
        for name, values in GRID.items():
            for value in values:
                trial = dataclasses.replace(weights, **{name: value})
                result = measure(items, make, no_refusal, trial)
                gain = result["evidence_accuracy"] + result["span_accuracy"]
                if gain > best["evidence_accuracy"] + best["span_accuracy"] + 1e-9:
                    weights, best = trial, result
                    trail.append({name: value, "evidence+span": round(gain, 4)})
    # How close to the best sentence a further quote must score.
    ratio = no_refusal.quote_ratio
    for value in QUOTE_RATIOS:
        trial_settings = no_refusal.model_copy(update={"quote_ratio": value})
        result = measure(items, make, trial_settings, weights)
        if result["evidence_accuracy"] + result["span_accuracy"] > (
            best["evidence_accuracy"] + best["span_accuracy"] + 1e-9
        ):
            ratio, best = value, result
            trail.append({"quote_ratio": value})
    no_refusal = no_refusal.model_copy(update={"quote_ratio": ratio})
    # The refusal threshold: as high as false refusals allow.
    answerable_scores = sorted(s for s, answerable in best["scores"] if answerable)
    allowed = int(args.max_false_refusals * len(answerable_scores))
    threshold = answerable_scores[allowed] - 1e-6 if answerable_scores else 0.0
    final = measure(
        items, make, no_refusal.model_copy(update={"min_evidence_score": threshold}), weights
    )
    report = {
        "dataset": str(args.dataset),
        "weights": dataclasses.asdict(weights),
        "min_evidence_score": round(threshold, 4),
        "quote_ratio": ratio,
        "trail": trail,
        **{k: round(v, 4) for k, v in final.items() if k != "scores"},
    }
    print(json.dumps(report, indent=2) if args.json else report)


if __name__ == "__main__":
    main()
