"""Schema migrations for every SQLite database of raadsinzicht: the catalog, the audit log
and the pseudonym mapping. In the style of simonw/llm: each schema change is a named
script, applied once and in order, atomically together with its row in ``_migrations``;
a migration is never edited after it shipped (add a new one instead).

Safe when two processes open the same database at once: each script runs inside
``BEGIN IMMEDIATE``; the loser of a race fails on its own CREATE or INSERT, rolls back,
sees the migration recorded and goes on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Migration", "applied_migrations", "migrate"]


@dataclass(frozen=True, slots=True)
class Migration:
    name: str  # e.g. "m002_fields"; unique per database, never renamed
    script: str  # SQL statements; no BEGIN/COMMIT (added here)


def applied_migrations(db: sqlite3.Connection) -> set[str]:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
    return {row[0] for row in db.execute("SELECT name FROM _migrations")}


def migrate(
    db: sqlite3.Connection, migrations: Sequence[Migration], *, legacy_user_version: bool = False
) -> list[str]:
    """Apply the migrations ``db`` lacks; returns the names applied now.

    ``legacy_user_version``: the database used to count applied migrations in
    ``PRAGMA user_version`` (the catalog before this module); the first that many
    migrations are recorded as applied instead of being run again.
    """
    names = [m.name for m in migrations]
    if len(set(names)) != len(names):
        raise ValueError("migration names must be unique")
    done = applied_migrations(db)
    if legacy_user_version and not done:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        for migration in migrations[:version]:
            db.execute(
                "INSERT OR IGNORE INTO _migrations VALUES (?, datetime('now'))", (migration.name,)
            )
        done = applied_migrations(db)
    ran: list[str] = []
    for migration in migrations:
        if migration.name in done:
            continue
        try:
            db.executescript(
                f"BEGIN IMMEDIATE; {migration.script};\n"
                f"INSERT INTO _migrations VALUES ('{migration.name}', datetime('now')); COMMIT;"
            )
        except sqlite3.Error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if migration.name not in applied_migrations(db):  # not a lost race: a real error
                raise
            continue
        ran.append(migration.name)
    return ran
