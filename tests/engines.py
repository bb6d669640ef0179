"""Engines over PDFs made with PyMuPDF, without a model or vectors (the extractive path)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from raadsinzicht.engine import Engine, build_engine

from .pdfs import write_pdf


@contextmanager
def engine_over(
    make_settings: Any, inbox: Path, documents: Mapping[str, Sequence[str]]
) -> Iterator[Engine]:
    """An engine whose inbox holds ``documents`` (a path in the inbox, its collection
    folder first -> the text of each page), ingested without vectors; closed after."""
    for name, pages in documents.items():
        write_pdf(inbox / name, pages)
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    try:
        assert engine.ingest(embed=False).failed == []
        yield engine
    finally:
        engine.close()
