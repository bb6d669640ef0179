"""Calibrate the extractive answerer on development sets (eval/dev.jsonl, or several
together with ``--dataset``; never on a held-out set): the score weights by coordinate
search (evidence accuracy plus span accuracy, no refusals); then the refusal: for each
setting of the refusal's evidence weights (``REFUSAL_GRID``) the threshold
(``answer.min_evidence_score``) that keeps false refusals at or below
``--max-false-refusals`` (the highest such), and of those settings the one that refuses
the most unanswerable questions, then cites the gold documents most precisely.

It measures what ``raadsinzicht eval --provider extractive`` measures: the passages come
through ``Engine.answer_evidence`` (the path of ``Engine.ask``: the question's party and
speaker filters, a vote question's recorded vote, pseudonymisation) and every answer is
scored by ``answer_eval`` (evidence at most 3 sentences and 600 characters, span, citation
precision). An answerable question with a fact from metadata or a vote is never refused,
so the threshold is chosen among the others. ``--home`` is the evaluation's ``--home``
(its corpus already indexed by ``raadsinzicht eval``). Retrieval runs once per question;
sentence vectors are cached, so each weight setting costs milliseconds per question::

    python eval/calibrate_extractive.py --home /tmp/evalhome --corpus ../shared/corpus --json

``--measure`` keeps the current weights (no search) and calibrates the threshold only;
``--refusal`` keeps the score weights and fits the refusal (its weights and threshold);
``--dump FILE`` writes each question's answer and score as JSON lines.
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

from raadsinzicht.answer import AnswerEvidence
from raadsinzicht.answer_eval import AnswerResult, extractive_metrics, score_extractive
from raadsinzicht.embed import Embedder
from raadsinzicht.engine import build_engine
from raadsinzicht.evaluate import (
    EvalItem,
    answer_gold,
    eval_home,
    evaluation_settings,
    load_dataset,
)
from raadsinzicht.extractive import ExtractiveAnswer, ExtractiveAnswerer, ScoreWeights
from raadsinzicht.settings import AnswerSettings, load_settings

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
# The refusal's evidence: its coverage weight stays (the threshold absorbs the scale).
REFUSAL_GRID: dict[str, Sequence[float]] = {
    "refusal_context": (0.0, 0.1, 0.2, 0.3, 0.5),
    "refusal_vector": (0.3, 0.6, 1.0, 1.5),
}
Gold = tuple[set[str], set[tuple[str, int]]]
Case = tuple[EvalItem, AnswerEvidence]


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
    cases: list[Case],
    gold: dict[str, Gold],
    make: Any,
    answer_settings: AnswerSettings,
    weights: ScoreWeights,
) -> dict[str, Any]:
    """The eval's extractive metrics of one setting, plus each answer (``answers``)."""
    answerer: ExtractiveAnswerer = make(answer_settings, weights)
    results: list[AnswerResult] = []
    answers: list[ExtractiveAnswer] = []
    for item, evidence in cases:
        answer = answerer.answer(
            evidence.question,
            evidence.hits,
            facts=evidence.facts,
            missing=evidence.missing,
            settled=evidence.settled,
        )
        files, pages = gold[item.id]
        scored = score_extractive(item, answer, files, pages)
        correct = (
            (not answer.refused and bool(scored.evidence_correct)) if item.answerable else None
        )
        results.append(
            AnswerResult(
                item.id, item.kind, "", answer.refused, correct, [], 0, 0, 0.0, extractive=scored
            )
        )
        answers.append(answer)
    metrics = extractive_metrics(results)
    metrics.pop("seconds")
    metrics["answers"] = answers
    return metrics


def gain(metrics: dict[str, Any]) -> float:
    """What the weights are fitted to: evidence plus span accuracy (factoid/lookup/ocr)."""
    return float(metrics["evidence_accuracy_factoid_lookup_ocr"] + metrics["span_accuracy"])


def refusal_threshold(cases: list[Case], answers: list[ExtractiveAnswer], limit: float) -> float:
    """The ``min_evidence_score`` that refuses at most ``limit`` of the answerable
    questions (those answered by a fact, from metadata or a vote, are never refused):
    midway between the last score it refuses and the first it answers, so that a score
    a hair from the threshold (rounding, another run) does not flip the answer."""
    answerable = [a for case, a in zip(cases, answers, strict=True) if case[0].answerable]
    scores = sorted(
        a.score for a in answerable if a.refused or a.direct is None or a.direct.origin == "tekst"
    )
    allowed = int(limit * len(answerable))
    if allowed >= len(scores):
        return max(scores, default=0.0) + 0.01
    below = scores[allowed - 1] if allowed else 0.0
    return (below + scores[allowed]) / 2


def choose_refusal(
    cases: list[Case],
    gold: dict[str, Gold],
    make: Any,
    answer_settings: AnswerSettings,
    weights: ScoreWeights,
    limit: float,
) -> tuple[ScoreWeights, float]:
    """The refusal's evidence weights and threshold (see the module's docstring)."""
    best: tuple[tuple[float, float, float], ScoreWeights, float] | None = None
    for context in REFUSAL_GRID["refusal_context"]:
        for vector in REFUSAL_GRID["refusal_vector"]:
            trial = dataclasses.replace(weights, refusal_context=context, refusal_vector=vector)
            unrefused = measure(cases, gold, make, answer_settings, trial)
            threshold = refusal_threshold(cases, unrefused["answers"], limit)
            result = measure(
                cases,
                gold,
                make,
                answer_settings.model_copy(update={"min_evidence_score": threshold}),
                trial,
            )
            key = (
                result["refusal_accuracy"] or 0.0,
                result["citation_precision_document"] or 0.0,
                -(result["false_refusals"] or 0.0),
            )
            if best is None or key > best[0]:
                best = (key, trial, threshold)
    assert best is not None
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="the evaluation's --home")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument(
        "--dataset",
        type=Path,
        nargs="+",
        default=[Path("eval/dev.jsonl")],
        help="tuning sets, calibrated on together (e.g. eval/dev.jsonl eval/dev2.jsonl)",
    )
    parser.add_argument("--max-false-refusals", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--measure", action="store_true", help="keep the current weights")
    parser.add_argument(
        "--refusal", action="store_true", help="keep the score weights, fit the refusal only"
    )
    parser.add_argument("--dump", type=Path, help="each question's answer, as JSON lines")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if any("heldout" in path.name for path in args.dataset):
        sys.exit("Kalibreer nooit op de held-out-set.")
    settings = load_settings(home=args.home, llm={"provider": "extractive"})
    if not (eval_home(settings, args.corpus) / "engine").is_dir():
        sys.exit(f"{args.home}: geen evaluatie-index; draai eerst raadsinzicht eval")
    engine = build_engine(evaluation_settings(settings, args.corpus))
    embedder = CachedEmbedder(engine.embedder())
    items = [item for path in args.dataset for item in load_dataset(path)]
    gold = answer_gold(engine, items)
    cases: list[Case] = [(item, engine.answer_evidence(item.question)) for item in items]
    facts = engine.extractive_answerer()._facts  # the engine's fact finder

    def make(answer_settings: AnswerSettings, weights: ScoreWeights) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(
            answer_settings,
            term_weights=engine._question_weights,
            part_weights=engine._compound_weights,
            embedder=lambda: embedder,
            query_vector=embedder.embed_query,
            facts=facts,
            weights=weights,
        )

    current = engine.settings.answer
    weights = ScoreWeights()
    trail = []
    no_refusal = current.model_copy(update={"min_evidence_score": 0.0})
    best = measure(cases, gold, make, no_refusal, weights)
    ratio = current.quote_ratio
    keep_scoring = args.measure or args.refusal
    for _ in range(0 if keep_scoring else args.rounds):
        for name, values in GRID.items():
            for value in values:
                trial = dataclasses.replace(weights, **{name: value})
                result = measure(cases, gold, make, no_refusal, trial)
                if gain(result) > gain(best) + 1e-9:
                    weights, best = trial, result
                    trail.append({name: value, "evidence+span": round(gain(result), 4)})
    # How close to the best sentence a further quote must score.
    for value in () if keep_scoring else QUOTE_RATIOS:
        trial_settings = no_refusal.model_copy(update={"quote_ratio": value})
        result = measure(cases, gold, make, trial_settings, weights)
        if gain(result) > gain(best) + 1e-9:
            ratio, best = value, result
            trail.append({"quote_ratio": value})
    no_refusal = no_refusal.model_copy(update={"quote_ratio": ratio})
    if args.measure:
        # The refusal threshold for the current weights: as high as false refusals allow.
        threshold = refusal_threshold(cases, best["answers"], args.max_false_refusals)
    else:
        weights, threshold = choose_refusal(
            cases, gold, make, no_refusal, weights, args.max_false_refusals
        )
    final = measure(
        cases, gold, make, no_refusal.model_copy(update={"min_evidence_score": threshold}), weights
    )
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for (item, evidence), answer in zip(cases, final["answers"], strict=True):
                found = evidence.facts
                row = {"id": item.id, "fact": found[0].field if found else None, **answer.to_dict()}
                row["passages"] = [f"{h.file} p. {h.page}" for h in evidence.hits]
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    report = {
        "dataset": [str(path) for path in args.dataset],
        "weights": dataclasses.asdict(weights),
        "min_evidence_score": round(threshold, 4),
        "quote_ratio": ratio,
        "trail": trail,
        **{k: v for k, v in final.items() if k != "answers"},
    }
    print(json.dumps(report, indent=2) if args.json else report)


if __name__ == "__main__":
    main()
