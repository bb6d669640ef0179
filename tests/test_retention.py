"""Retention: the audit log stays append-only for everything younger than the retention
period — enforced by SQLite's own triggers, tested with raw SQL — and `purge` removes
only what expired, retires pseudonym numbers and is itself logged."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raadsinzicht.audit import AuditLog, AuditRecord, Feedback
from raadsinzicht.cli import app
from raadsinzicht.engine import build_engine
from raadsinzicht.privacy import Entity, Pseudonymizer
from raadsinzicht.settings import Settings

OLD = "2020-03-01T10:00:00+00:00"


def _young() -> str:
    return (datetime.now(UTC) - timedelta(days=10)).isoformat(timespec="seconds")


def _log_with_old_and_young(path: Path) -> tuple[int, int]:
    log = AuditLog(path)
    old = log.append(AuditRecord(action="ask", input="oude vraag", time=OLD))
    young = log.append(AuditRecord(action="ask", input="nieuwe vraag", time=_young()))
    log.add_feedback(Feedback(old, "down", action="ask", time=OLD))
    log.add_feedback(Feedback(young, "up", action="ask", time=_young()))
    log.close()
    return old, young


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_triggers_refuse_raw_updates_and_deletes_of_young_records(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    old, young = _log_with_old_and_young(path)
    db = _raw(path)
    # Without a retention period in the database nothing at all can be deleted.
    with pytest.raises(sqlite3.IntegrityError, match="alleen-toevoegen"):
        db.execute("DELETE FROM records WHERE id = ?", (old,))
    db.execute("INSERT INTO retention VALUES (1, 183)")
    for statement, params in [
        ("DELETE FROM records WHERE id = ?", (young,)),
        ("DELETE FROM records", ()),  # all or nothing: the young one blocks the statement
        ("UPDATE records SET answer = 'herschreven' WHERE id = ?", (old,)),
        ("UPDATE records SET time = ? WHERE id = ?", (OLD, young)),
        ("DELETE FROM feedback WHERE record_id = ?", (young,)),
        ("UPDATE feedback SET verdict = 'up' WHERE record_id = ?", (old,)),
        ("UPDATE retention SET audit_days = 30", ()),  # below six months: refused by CHECK
        ("DELETE FROM retention", ()),
    ]:
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(statement, params)
    assert db.execute("SELECT COUNT(*) FROM records").fetchone() == (2,)
    # An expired record can go.
    db.execute("DELETE FROM feedback WHERE record_id = ?", (old,))
    db.execute("DELETE FROM records WHERE id = ?", (old,))
    assert [r[0] for r in db.execute("SELECT input FROM records")] == ["nieuwe vraag"]
    db.close()


def test_purge_removes_only_expired_and_is_logged(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(retention={"audit_days": 183, "pseudonym_days": 30})
    settings.home.mkdir(parents=True)
    _log_with_old_and_young(settings.home / "audit.sqlite3")
    pseudonymizer = Pseudonymizer(settings.home)
    old_name, new_name = Entity("PERSOON", 0, 9, "Jan Smit"), Entity("PERSOON", 0, 9, "Ans Berg")
    assert pseudonymizer.placeholders([old_name, new_name]) == ["[PERSOON-1]", "[PERSOON-2]"]
    with sqlite3.connect(pseudonymizer.path) as db:  # the mapping itself is not append-only
        db.execute("UPDATE mapping SET created = ? WHERE original = 'Ans Berg'", (OLD,))

    engine = build_engine(settings)
    try:
        report = engine.purge(date.today() + timedelta(days=1), user="beheer")
        records = engine.audit.records()
        feedback = engine.audit.feedback()
    finally:
        engine.close()
    assert (report.records, report.feedback, report.pseudonyms) == (1, 1, 1)
    assert report.limited  # tomorrow was asked for; the retention periods held it back
    assert [r.input for r in records[:-1]] == ["nieuwe vraag"]
    purge_record = records[-1]
    assert purge_record.action == "purge" and purge_record.user == "beheer"
    assert "1 auditrecords" in (purge_record.answer or "")
    assert purge_record.filters["audit_days"] == 183
    assert [f.verdict for f in feedback] == ["up"]
    # The forgotten value gets a new number: [PERSOON-2] never points at someone else.
    assert pseudonymizer.reveal("[PERSOON-1] en [PERSOON-2]") == "Jan Smit en [PERSOON-2]"
    assert pseudonymizer.placeholders([Entity("PERSOON", 0, 9, "Kees Dam")]) == ["[PERSOON-3]"]


def test_purge_cli_respects_an_earlier_date(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    settings.home.mkdir(parents=True)
    _log_with_old_and_young(settings.home / "audit.sqlite3")
    runner = CliRunner()
    base = ["--home", str(settings.home), "purge", "--json"]
    nothing = runner.invoke(app, [*base, "--before", "2019-01-01"])
    assert nothing.exit_code == 0, nothing.output
    assert json.loads(nothing.stdout)["records"] == 0
    result = runner.invoke(app, [*base, "--before", "2021-01-01"])
    data = json.loads(result.stdout)
    assert (data["records"], data["feedback"], data["limited"]) == (1, 1, False)
    text = runner.invoke(app, ["--home", str(settings.home), "purge"])
    assert text.exit_code == 0 and "0 auditrecords" in text.stdout
    log = AuditLog(settings.home / "audit.sqlite3")
    try:
        actions = [r.action for r in log.records()]
    finally:
        log.close()
    assert actions == ["ask", "purge", "purge", "purge"]
