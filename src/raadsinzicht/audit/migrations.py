"""Schema migrations of the audit log (applied by ``raadsinzicht.migrations.migrate``)."""

from __future__ import annotations

from ..migrations import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS: list[Migration] = [
    Migration(
        "m001_initial",
        """
        CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            time TEXT NOT NULL,               -- UTC, ISO 8601
            user TEXT,                        -- user name when known (web login)
            action TEXT NOT NULL,             -- 'ask' | 'summarize'
            input TEXT NOT NULL,              -- the question, or the document's file
            filters TEXT NOT NULL,            -- JSON
            sources TEXT NOT NULL,            -- JSON [{chunk_id, file, page, score}]
            model TEXT,
            prompt_template TEXT,
            prompt_sha256 TEXT,               -- hash of the template text used
            answer TEXT,
            citations TEXT NOT NULL,          -- JSON
            refused INTEGER NOT NULL,
            flagged TEXT NOT NULL,            -- JSON list of unsupported sentences
            seconds REAL NOT NULL,
            error TEXT,
            settings_fingerprint TEXT
        );
        CREATE INDEX records_time ON records(time);
        CREATE TRIGGER records_no_update BEFORE UPDATE ON records
            BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen-toevoegen'); END;
        CREATE TRIGGER records_no_delete BEFORE DELETE ON records
            BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen-toevoegen'); END;
        """,
    ),
    # abandoned: the client stopped reading the answer before its end (the question had
    # reached the model); extractive: the answer quoted from the sources, shown with or
    # instead of the generated one.
    Migration(
        "m002_abandoned_extractive",
        """
        ALTER TABLE records ADD COLUMN abandoned INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE records ADD COLUMN extractive TEXT;
        """,
    ),
]
