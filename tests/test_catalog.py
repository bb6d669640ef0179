"""The catalog's reads: what a search sees after writes by this or another process."""

from __future__ import annotations

from pathlib import Path

import pytest

from raadsinzicht.index.catalog import Catalog


def _store(catalog: Catalog, text: str) -> None:
    """One document with one chunk, written the way a (re-)ingest writes: a transaction."""
    with catalog.transaction() as db:
        db.execute("DELETE FROM chunks")
        db.execute("DELETE FROM documents")
        db.execute(
            "INSERT INTO documents (doc_id, kind, title, pages, ocr_pages, skipped_pages, chunks,"
            " fingerprint) VALUES ('d1', 'motie', 'Motie', 1, 0, 0, 1, 'x')"
        )
        db.execute(
            "INSERT INTO chunks (chunk_id, doc_id, seq, text, heading, page, spans, boxes, "
            "tokens) VALUES ('d1-00000', 'd1', 0, ?, '', 1, '[[1, 0, 9]]', '[]', 2)",
            (text,),
        )


def test_chunk_records_follow_a_rewrite_by_another_process(tmp_path: Path) -> None:
    """A re-parse keeps a chunk's id (document and sequence number) and changes its text:
    the records a search reads must be those of the catalog now, also when another
    process (the CLI next to the web app) wrote them."""
    path = tmp_path / "catalog.sqlite3"
    web, cli = Catalog(path), Catalog(path)
    try:
        _store(cli, "Oude tekst over sleutelgeld.")
        assert web.chunks(["d1-00000"])["d1-00000"].text == "Oude tekst over sleutelgeld."
        assert web.chunks(["d1-00000"])["d1-00000"].pages == [1]

        _store(cli, "Nieuwe tekst over parkeren.")
        found = web.chunks(["d1-00000", "d2-00000"])
        assert list(found) == ["d1-00000"]
        assert found["d1-00000"].text == "Nieuwe tekst over parkeren."

        with cli.transaction() as db:
            db.execute("DELETE FROM chunks")
        assert web.chunks(["d1-00000"]) == {}
    finally:
        web.close()
        cli.close()


def test_chunk_records_read_inside_a_write_are_not_kept(tmp_path: Path) -> None:
    """A write sees its own uncommitted rows; when it is rolled back, no later read (of this
    or another thread) may be served them."""
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    try:
        _store(catalog, "Vastgestelde tekst.")
        assert catalog.chunks(["d1-00000"])["d1-00000"].text == "Vastgestelde tekst."
        with pytest.raises(RuntimeError), catalog.transaction() as db:
            db.execute("UPDATE chunks SET text = 'Nooit vastgesteld.'")
            assert catalog.chunks(["d1-00000"])["d1-00000"].text == "Nooit vastgesteld."
            raise RuntimeError("ingest afgebroken")
        assert catalog.chunks(["d1-00000"])["d1-00000"].text == "Vastgestelde tekst."
    finally:
        catalog.close()
