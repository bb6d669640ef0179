"""One migration mechanism for the catalog, the audit log and the pseudonym mapping:
tested from a blank database and from the oldest schema each database shipped with."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from raadsinzicht.audit import AuditLog, AuditRecord
from raadsinzicht.audit.migrations import MIGRATIONS as AUDIT_MIGRATIONS
from raadsinzicht.index.catalog import MIGRATIONS as CATALOG_MIGRATIONS
from raadsinzicht.index.catalog import Catalog, ChunkTurn
from raadsinzicht.migrations import Migration, applied_migrations, migrate
from raadsinzicht.privacy import PSEUDONYM_MIGRATIONS, Entity, Pseudonymizer


def _names(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return applied_migrations(db)


def test_blank_databases_get_every_migration(tmp_path: Path) -> None:
    Catalog(tmp_path / "catalog.sqlite3").close()
    AuditLog(tmp_path / "audit.sqlite3").close()
    Pseudonymizer(tmp_path).placeholders([Entity("PERSOON", 0, 10, "Jan Jansen")])
    assert _names(tmp_path / "catalog.sqlite3") == {m.name for m in CATALOG_MIGRATIONS}
    assert _names(tmp_path / "audit.sqlite3") == {m.name for m in AUDIT_MIGRATIONS}
    assert _names(tmp_path / "privacy" / "mapping.sqlite3") == {
        m.name for m in PSEUDONYM_MIGRATIONS
    }


def test_oldest_catalog_schema_is_adopted_not_rebuilt(tmp_path: Path) -> None:
    """The first catalogs recorded their schema in PRAGMA user_version only."""
    path = tmp_path / "catalog.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(CATALOG_MIGRATIONS[0].script)
        db.execute(
            "INSERT INTO documents (doc_id, kind, title, pages, ocr_pages, skipped_pages, chunks,"
            " fingerprint) VALUES ('d1', 'motie', 'Oude motie', 1, 0, 0, 0, 'x')"
        )
        db.execute("PRAGMA user_version = 1")
    catalog = Catalog(path)
    try:
        assert [d.title for d in catalog.documents()] == ["Oude motie"]
    finally:
        catalog.close()
    assert {m.name for m in CATALOG_MIGRATIONS} == _names(path)


def test_per_turn_chunks_of_pipeline_3_keep_their_speaker(tmp_path: Path) -> None:
    """Chunks stored per speaker turn (m004 columns) become one-turn chunks in
    chunk_turns (m006): speaker filters work before the next ingest re-chunks them."""
    path = tmp_path / "catalog.sqlite3"
    m006 = [m.name for m in CATALOG_MIGRATIONS].index("m006_chunk_turns")
    with sqlite3.connect(path) as db:
        migrate(db, CATALOG_MIGRATIONS[:m006])
        db.execute(
            "INSERT INTO documents (doc_id, kind, title, pages, ocr_pages, skipped_pages, chunks,"
            " fingerprint) VALUES ('d1', 'notulen', 'Notulen', 1, 0, 0, 2, 'x')"
        )
        db.executemany(
            "INSERT INTO chunks (chunk_id, doc_id, seq, text, heading, page, spans, boxes, "
            "tokens, speaker, speaker_role, speaker_party) VALUES (?, 'd1', ?, ?, '', 1, '[]', "
            "'[]', 9, ?, ?, ?)",
            [
                ("c0", 0, "Lesley Arp (SP). Voorzitter.", "Lesley Arp", "raadslid", "SP"),
                ("c1", 1, "In stemming komt motie A.1.", None, None, None),
            ],
        )
    catalog = Catalog(path)
    try:
        assert catalog.filter_chunks(speaker_parties=["SP"]) == {"c0"}
        assert catalog.filter_chunks(spoken=True) == {"c0"}
        assert catalog.chunks(["c0"])["c0"].turns == [ChunkTurn(0, "Lesley Arp", "raadslid", "SP")]
        assert catalog.speakers() == [("Lesley Arp", "raadslid", "SP", 1)]
    finally:
        catalog.close()


def test_oldest_audit_and_mapping_keep_their_rows(tmp_path: Path) -> None:
    audit_path = tmp_path / "audit.sqlite3"
    with sqlite3.connect(audit_path) as db:  # the audit log always had _migrations
        applied_migrations(db)
        db.executescript(AUDIT_MIGRATIONS[0].script)
        db.execute("INSERT INTO _migrations VALUES ('m001_initial', datetime('now'))")
    log = AuditLog(audit_path)
    log.append(AuditRecord(action="ask", input="Oude vraag"))
    assert [r.input for r in log.records()] == ["Oude vraag"]
    log.close()

    mapping = tmp_path / "privacy" / "mapping.sqlite3"
    mapping.parent.mkdir()
    with sqlite3.connect(mapping) as db:  # the first mappings had no migration table
        db.execute(PSEUDONYM_MIGRATIONS[0].script)
        db.execute(
            "INSERT INTO mapping VALUES ('PERSOON', 'jan jansen', 1, 'Jan Jansen', '2025-01-01')"
        )
    pseudonymizer = Pseudonymizer(tmp_path)
    assert pseudonymizer.placeholders([Entity("PERSOON", 0, 10, "Jan Jansen")]) == ["[PERSOON-1]"]
    assert _names(mapping) == {m.name for m in PSEUDONYM_MIGRATIONS}


def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    good = Migration("m001_a", "CREATE TABLE a (x INTEGER)")
    bad = Migration("m002_b", "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1)")
    with pytest.raises(sqlite3.OperationalError):
        migrate(db, [good, bad])
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "a" in tables and "b" not in tables
    assert applied_migrations(db) == {"m001_a"}


def test_concurrent_openers_do_not_collide(tmp_path: Path) -> None:
    path = tmp_path / "race.sqlite3"
    migrations = [Migration(f"m{n:03d}", f"CREATE TABLE t{n} (x INTEGER)") for n in range(20)]
    errors: list[BaseException] = []

    def open_and_migrate() -> None:
        try:
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            migrate(db, migrations)
            db.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_migrate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _names(path) == {m.name for m in migrations}
