"""Upload-to-searchable benchmark: how long after one PDF is added it can be found, on an
existing index (the corpus index, or one scaled to ``--chunks`` by replicating its chunks),
next to what a full rebuild of the keyword index would cost at that size.

    python eval/bench_upload.py --home COPY_OF_ENGINE_HOME --pdf some.pdf [--chunks 100000]

Target (multi-user issue): <= 5 s from upload to searchable. Measured steps:
- ``rebuild_s``: building the keyword index of the whole catalog from scratch (bm25s), the
  cost every upload paid before the incremental index;
- ``ingest_s``: parsing, chunking and storing the PDF (one transaction), keyword index
  applied (``Engine.ingest(embed=False)``, the writer's side);
- ``reader_first_search_ms``: the first search of another process after that write (it
  applies the change to its own index), and ``reader_search_ms`` the next one;
- ``upload_to_keyword_searchable_s``: from the start of the ingest to the reader finding it;
- with ``--embed`` (an index with vectors): ``embed_s`` and ``upload_to_vector_searchable_s``.

The source home is never written: its catalog is copied with SQLite's backup API (read
only) and, with ``--embed``, its Chroma folder is copied. Numbers on a shared machine are
pessimistic; the load average is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from raadsinzicht.engine import build_engine
from raadsinzicht.index.bm25 import KeywordIndex
from raadsinzicht.settings import load_settings

sys.path.insert(0, str(Path(__file__).parent))
from bench_query import perturb


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def copy_catalog(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()


def scale_catalog(path: Path, chunks: int, *, seed: int = 7, vectors: bool = False) -> int:
    """Replicate documents and chunks (perturbed text, keyword only) to >= ``chunks``.
    ``vectors``: the original chunks keep their vectors and the copies count as embedded
    (they have none: embedding 100k copies would take hours, and the vector store's size
    is measured in ``bench_query.py``), so only the new document is embedded."""
    db = sqlite3.connect(path)
    rng = np.random.default_rng(seed)
    docs = db.execute("SELECT * FROM documents").fetchall()
    doc_cols = [d[0] for d in db.execute("SELECT * FROM documents LIMIT 0").description]
    rows = db.execute("SELECT * FROM chunks").fetchall()
    cols = [d[0] for d in db.execute("SELECT * FROM chunks LIMIT 0").description]
    di, ci, ti = cols.index("doc_id"), cols.index("chunk_id"), cols.index("text")
    si, ei = cols.index("seq"), cols.index("embedded")
    vocabulary = sorted({w for r in rows[:3000] for w in str(r[ti]).split() if len(w) > 3})
    copies = -(-chunks // len(rows)) - 1
    for copy in range(1, copies + 1):
        mapping = {d[0]: hashlib.sha256(f"{d[0]}:{copy}".encode()).hexdigest() for d in docs}
        marks = ",".join("?" * len(doc_cols))
        db.executemany(
            f"INSERT INTO documents VALUES ({marks})",
            [(mapping[d[0]], *d[1:]) for d in docs],
        )
        new = []
        for row in rows:
            values = list(row)
            values[di] = mapping[row[di]]
            values[ci] = f"{values[di][:24]}-{row[si]:05d}"
            values[ti] = perturb(str(row[ti]), rng, vocabulary)
            values[ei] = int(vectors)
            new.append(tuple(values))
        # (No file rows for the copies: searching does not need them.)
        db.executemany(f"INSERT INTO chunks VALUES ({','.join('?' * len(cols))})", new)
    if not vectors:
        db.execute("UPDATE chunks SET embedded = 0")
    db.execute("DELETE FROM tombstones")
    db.execute("UPDATE state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    db.commit()
    total = int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
    db.close()
    return total


def stamped_copy(pdf: Path, target: Path) -> str:
    """``pdf`` as a new document: one page added with a word nothing else holds (its other
    pages unchanged, so a scanned PDF is still OCR'd: new bytes miss the OCR cache)."""
    import pymupdf

    marker = "kenmerk" + "".join(chr(ord("a") + b % 26) for b in os.urandom(10))
    with pymupdf.open(pdf) as document:
        page = document.new_page()
        page.insert_text((72, 100), f"Bijlage met {marker}.", fontsize=11)
        document.save(target)
    return marker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="engine home to copy from")
    parser.add_argument("--pdf", type=Path, required=True, help="the PDF to add")
    parser.add_argument("--chunks", type=int, default=0, help="scale the catalog to this")
    parser.add_argument("--embed", action="store_true", help="also embed (index has vectors)")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: temp)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-upload-"))
    home, inbox = work / "home", work / "inbox"
    shutil.rmtree(work, ignore_errors=True)
    home.mkdir(parents=True)
    inbox.mkdir()
    copy_catalog(args.home / "catalog.sqlite3", home / "catalog.sqlite3")
    if args.embed:
        shutil.copytree(args.home / "chroma", home / "chroma")
    result: dict[str, Any] = {"load_average": os.getloadavg()[0]}
    if args.chunks:
        started = time.perf_counter()
        result["chunks"] = scale_catalog(home / "catalog.sqlite3", args.chunks, vectors=args.embed)
        result["scale_s"] = round(time.perf_counter() - started, 1)
        log(f"catalogus geschaald naar {result['chunks']} fragmenten")
    settings = load_settings(home=home, ingest_dir=inbox)

    writer = build_engine(settings)
    started = time.perf_counter()
    writer.keyword_index.refresh(writer.catalog)  # the base the running app already has
    result["rebuild_s"] = round(time.perf_counter() - started, 2)
    result["chunks"] = writer.catalog.count_chunks()
    log(f"volledige opbouw trefwoordindex: {result['rebuild_s']} s")
    reader = build_engine(settings)  # the web app: another process on the same data
    reader.search("gemeente", mode="keyword")
    if args.embed:
        reader.search("gemeente")  # vectors open, model loaded
        writer.embedder()

    target = inbox / f"nieuw-{args.pdf.name}"
    phrase = stamped_copy(args.pdf, target)
    started = time.perf_counter()
    report = writer.ingest([target], embed=False)
    result["ingest_s"] = round(time.perf_counter() - started, 2)
    assert report.added == 1 and not report.failed, report.to_dict()
    doc_id = writer.catalog.file(str(target.resolve())).doc_id  # type: ignore[union-attr]
    first = time.perf_counter()
    hits = reader.search("gemeente", mode="keyword")  # applies the change
    result["reader_first_search_ms"] = round((time.perf_counter() - first) * 1000, 1)
    again = time.perf_counter()
    hits = reader.search(phrase, mode="keyword", top_k=5)
    result["reader_search_ms"] = round((time.perf_counter() - again) * 1000, 1)
    assert hits and hits[0].doc_id == doc_id
    result["upload_to_keyword_searchable_s"] = round(
        result["ingest_s"] + result["reader_first_search_ms"] / 1000, 2
    )
    result["new_chunks"] = len(writer.catalog.document_chunks(doc_id))
    if args.embed:
        embed_started = time.perf_counter()
        writer.embed_pending()
        result["embed_s"] = round(time.perf_counter() - embed_started, 2)
        # A passage of the new document, found by its vector (its original may tie).
        passage = writer.catalog.document_chunks(doc_id)[0].text[:300]
        vector_started = time.perf_counter()
        hits = reader.search(passage, mode="vector", top_k=5)
        result["reader_vector_search_after_write_ms"] = round(
            (time.perf_counter() - vector_started) * 1000, 1
        )
        assert any(hit.doc_id == doc_id for hit in hits), [h.file for h in hits]
        result["upload_to_vector_searchable_s"] = round(
            result["ingest_s"] + result["embed_s"] + result["reader_vector_search_after_write_ms"]
            / 1000, 2
        )  # fmt: skip
    reader.close()
    writer.close()
    fresh = KeywordIndex(work / "rebuilt")
    (work / "rebuilt").mkdir()
    engine = build_engine(settings)
    started = time.perf_counter()
    fresh.refresh(engine.catalog)
    result["rebuild_after_upload_s"] = round(time.perf_counter() - started, 2)
    engine.close()
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
