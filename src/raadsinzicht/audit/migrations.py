"""Schema migrations of the audit log (applied by ``raadsinzicht.migrations.migrate``).

The log is append-only, enforced by SQLite triggers: records are never updated, and a
record can only be deleted once it is older than the retention period stored in the
database itself (``retention``, at least 183 days; without it nothing can be deleted)."""

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
    Migration(
        "m003_retention",
        """
        CREATE TABLE retention (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            audit_days INTEGER NOT NULL CHECK (audit_days >= 183)  -- AI Act art. 26(6)
        );
        CREATE TRIGGER retention_no_delete BEFORE DELETE ON retention
            BEGIN SELECT RAISE(ABORT, 'de bewaartermijn kan niet verwijderd worden'); END;
        DROP TRIGGER records_no_delete;
        CREATE TRIGGER records_delete_expired_only BEFORE DELETE ON records
            WHEN (SELECT audit_days FROM retention) IS NULL
              OR OLD.time >= strftime('%Y-%m-%dT%H:%M:%S', 'now',
                                      '-' || (SELECT audit_days FROM retention) || ' days')
            BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen-toevoegen binnen de bewaartermijn');
            END;
        """,
    ),
    Migration(
        "m004_feedback",
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            time TEXT NOT NULL,               -- UTC, ISO 8601
            record_id INTEGER NOT NULL,       -- the judged record (records.id)
            action TEXT NOT NULL,             -- its action, kept when the record expires
            verdict TEXT NOT NULL CHECK (verdict IN ('up', 'down')),
            comment TEXT,
            user TEXT
        );
        CREATE INDEX feedback_record ON feedback(record_id);
        CREATE INDEX feedback_time ON feedback(time);
        CREATE TRIGGER feedback_no_update BEFORE UPDATE ON feedback
            BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen-toevoegen'); END;
        CREATE TRIGGER feedback_delete_expired_only BEFORE DELETE ON feedback
            WHEN (SELECT audit_days FROM retention) IS NULL
              OR OLD.time >= strftime('%Y-%m-%dT%H:%M:%S', 'now',
                                      '-' || (SELECT audit_days FROM retention) || ' days')
            BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen-toevoegen binnen de bewaartermijn');
            END;
        """,
    ),
    # The operating-system account of the process that wrote the record: the CLI may act
    # for another user (--user), the web server for its logged-in users.
    Migration("m005_account", "ALTER TABLE records ADD COLUMN account TEXT;"),
    # The direct answer from a document's fields or the council records that a generated
    # answer did not name: the warning the user saw under it.
    Migration("m006_differs", "ALTER TABLE records ADD COLUMN differs TEXT;"),
]
