"""Validate a question set (``dev.jsonl``, ``heldout.jsonl``, ``heldout2.jsonl``) against
the corpus text. This reads page text only; it never runs retrieval.

Checks: the format of every entry (``evaluate.parse_item``'s rules, and a few more),
unique ids, that every listed file and page exists, and that on every listed page at least
one accepted answer occurs after the scoring's normalisation
(``answer_eval.normalise_answer``). It also lists the other pages of the
corpus that hold the canonical (first) answer, so that an author can decide whether they
answer the same question and belong in ``sources``.

Pages without a text layer (``scanned/``) are read from an engine catalog's chunks, the
same OCR text the engine indexed (``--catalog .../engine/catalog.sqlite3``); without one
they are reported as unchecked.

    python eval/check_heldout.py eval/heldout2.jsonl --catalog PATH [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from raadsinzicht.answer_eval import normalise_answer
from raadsinzicht.chunk import page_texts
from raadsinzicht.evaluate import EvalItem, parse_item
from raadsinzicht.index.catalog import ChunkRecord

FIELDS = {"id", "question", "kind", "answers", "sources", "paraphrased", "note"}
MAX_OTHER_PAGES = 8  # a short canonical answer ("2") is on hundreds of pages: show a few


@dataclass
class Corpus:
    """Every page's normalised text, keyed by (path relative to the corpus, 1-based page)."""

    pages: dict[tuple[str, int], str] = field(default_factory=dict)
    page_counts: dict[str, int] = field(default_factory=dict)
    unread: set[tuple[str, int]] = field(default_factory=set)  # no text layer, no OCR text


def _ocr_pages(catalog: sqlite3.Connection, rel_path: str) -> dict[int, str]:
    """The page texts the engine stored for ``rel_path`` (empty if it was not indexed)."""
    row = catalog.execute("SELECT doc_id FROM files WHERE rel_path = ?", (rel_path,)).fetchone()
    if row is None:
        return {}
    chunks = [
        ChunkRecord(chunk_id, row[0], seq, text, "", page, json.loads(spans), [], 0)
        for chunk_id, seq, text, page, spans in catalog.execute(
            "SELECT chunk_id, seq, text, page, spans FROM chunks WHERE doc_id = ? ORDER BY seq",
            (row[0],),
        )
    ]
    return page_texts(chunks)


_LINE_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)")


def read_corpus(corpus_dir: Path, catalog_path: Path | None) -> Corpus:
    catalog = sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True) if catalog_path else None
    corpus = Corpus()
    for path in sorted(corpus_dir.rglob("*.pdf")):
        rel = path.relative_to(corpus_dir).as_posix()
        with pymupdf.open(path) as doc:
            texts = [page.get_text() for page in doc]
        corpus.page_counts[rel] = len(texts)
        ocr: dict[int, str] | None = None
        for number, text in enumerate(texts, start=1):
            if not text.strip():
                if ocr is None:
                    ocr = _ocr_pages(catalog, rel) if catalog else {}
                text = ocr.get(number, "")
                if not text.strip():
                    corpus.unread.add((rel, number))
            # A word hyphenated over a line break ("Leidschendam-\nVoorburg") is one word.
            corpus.pages[(rel, number)] = normalise_answer(_LINE_HYPHEN.sub("-", text))
    if catalog:
        catalog.close()
    return corpus


def _extra_problems(entry: dict[str, Any]) -> list[str]:
    """What a held-out set must also get right beyond ``evaluate.parse_item``'s rules: no
    unknown fields, a boolean ``paraphrased`` (never on an unanswerable question), no empty
    accepted answer."""
    problems: list[str] = []
    if unknown := entry.keys() - FIELDS:
        problems.append(f"unknown fields {sorted(unknown)}")
    if "paraphrased" in entry and not isinstance(entry["paraphrased"], bool):
        problems.append("paraphrased must be true or false")
    if entry.get("kind") == "unanswerable" and entry.get("paraphrased"):
        problems.append("unanswerable entry is marked paraphrased")
    if any(answer == "" for answer in entry.get("answers") or []):
        problems.append("an accepted answer is empty")
    return problems


def check_entry(item: EvalItem, corpus: Corpus) -> tuple[list[str], list[str]]:
    """(problems, notes) of one parsed entry: problems make the file fail, notes are for
    reading."""
    problems: list[str] = []
    notes: list[str] = []
    if not item.answerable:
        return problems, notes
    wanted = [normalise_answer(answer) for answer in item.answers]
    listed: set[tuple[str, int]] = set()
    for source in item.sources:
        name = source.file
        if name not in corpus.page_counts:
            problems.append(f"file not in the corpus: {name}")
            continue
        for page in source.pages:
            listed.add((name, page))
            if not 1 <= page <= corpus.page_counts[name]:
                problems.append(f"{name} has no page {page}")
            elif (name, page) in corpus.unread:
                notes.append(f"unchecked (no text layer, no OCR text): {name} p. {page}")
            elif not any(answer in corpus.pages[(name, page)] for answer in wanted):
                problems.append(f"no accepted answer on {name} p. {page}")
    listed_texts = [corpus.pages.get(key, "") for key in listed]
    for answer, normalised in zip(item.answers, wanted, strict=True):
        if not any(normalised in text for text in listed_texts):
            notes.append(f"accepted answer {answer!r} is on no listed page")
    others = [key for key, text in corpus.pages.items() if key not in listed and wanted[0] in text]
    if others:
        shown = ", ".join(f"{name} p. {page}" for name, page in others[:MAX_OTHER_PAGES])
        more = f" (+{len(others) - MAX_OTHER_PAGES} more)" if len(others) > MAX_OTHER_PAGES else ""
        notes.append(f"canonical answer {item.answers[0]!r} also on {shown}{more}")
    return problems, notes


def check_file(path: Path, corpus: Corpus, out: Any = sys.stdout) -> int:
    """Print every problem and note of the dataset at ``path``; the number of problems."""
    seen: set[str] = set()
    failures = 0
    entries = 0
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        entries += 1
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{path.name}:{line_number}: PROBLEM invalid JSON: {exc}", file=out)
            failures += 1
            continue
        # The format as the evaluation reads it (the same rules), then what a set needs more.
        try:
            item = parse_item(entry, line_number)
        except ValueError as exc:
            print(f"{path.name}:{line_number}: PROBLEM {exc}", file=out)
            failures += 1
            continue
        label = f"{path.name}:{item.id}"
        problems = _extra_problems(entry)
        notes: list[str] = []
        if not problems:  # the page checks need a well-formed entry
            problems, notes = check_entry(item, corpus)
        if item.id in seen:
            problems.append("duplicate id")
        seen.add(item.id)
        failures += len(problems)
        _print_all(out, label, "PROBLEM", problems)
        _print_all(out, label, "note", notes)
    print(f"{path.name}: {entries} entries, {failures} problems", file=out)
    return failures


def _print_all(out: Any, label: str, level: str, lines: Iterable[str]) -> None:
    for line in lines:
        print(f"{label}: {level} {line}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path, help="JSON-lines question sets")
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus"))
    parser.add_argument(
        "--catalog", type=Path, default=None, help="engine catalog.sqlite3 (OCR page texts)"
    )
    args = parser.parse_args(argv)
    corpus = read_corpus(args.corpus, args.catalog)
    failures = sum(check_file(path, corpus) for path in args.datasets)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
