"""Schema migrations for the audit log, in the style of simonw/llm: each change is a
numbered script, applied once, never edited afterwards."""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[tuple[str, str]] = [
    (
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
]


def migrate(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    for name, script in MIGRATIONS:
        if name in done:
            continue
        db.executescript(
            f"BEGIN; {script}; INSERT INTO _migrations VALUES ('{name}', datetime('now')); COMMIT;"
        )
