"""Impact from the audit log (counts per ISO week and month in Dutch local time, latency,
feedback, estimated time saved per team) and feedback on answers: known records spread
over several weeks, checked exactly, through the Engine and the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raadsinzicht.audit import AuditLog, AuditRecord, Feedback
from raadsinzicht.cli import app
from raadsinzicht.engine import build_engine
from raadsinzicht.errors import InputError
from raadsinzicht.settings import Settings

TEAMS = {"jansen": "Juridische Zaken", "pietersen": "Griffie"}


def _record(time: str, action: str, user: str | None, **fields: object) -> AuditRecord:
    return AuditRecord(action=action, input=f"{action} om {time}", user=user, time=time, **fields)  # type: ignore[arg-type]


def _fill_log(path: Path) -> dict[str, int]:
    """Four ISO weeks (2025-W02 .. W05), one without activity; times in UTC."""
    log = AuditLog(path)
    ids = {
        # week 2 (6-12 January)
        "ask1": log.append(_record("2025-01-06T09:00:00+00:00", "ask", "jansen",
                                   flagged=["niet onderbouwd"], seconds=2.0)),
        "ask2": log.append(_record("2025-01-07T10:00:00+00:00", "ask", "jansen",
                                   refused=True, seconds=1.0)),
        "ask3": log.append(_record("2025-01-08T10:00:00+00:00", "ask", "pietersen", seconds=4.0)),
        "sum": log.append(_record("2025-01-09T10:00:00+00:00", "summarize", "pietersen",
                                  seconds=30.0)),
        "err": log.append(_record("2025-01-10T10:00:00+00:00", "ask", "jansen",
                                  error="Geen taalmodel beschikbaar.", seconds=0.5)),
        # Sunday 23:30 UTC is Monday 00:30 in Amsterdam: week 3, not week 2.
        "bezwaar": log.append(_record("2025-01-12T23:30:00+00:00", "bezwaar", "jansen",
                                      seconds=5.0)),
        "redact": log.append(_record("2025-01-14T10:00:00+00:00", "redact", "jansen",
                                     seconds=3.0)),
        "ask4": log.append(_record("2025-01-15T10:00:00+00:00", "ask", "devries", seconds=6.0)),
        "reveal": log.append(_record("2025-01-15T11:00:00+00:00", "reveal", "jansen")),
        # week 4: nothing. Week 5: 31 January 23:30 UTC is 1 February in Amsterdam.
        "ask5": log.append(_record("2025-01-31T23:30:00+00:00", "ask", "pietersen",
                                   seconds=8.0)),
    }  # fmt: skip
    log.add_feedback(Feedback(ids["ask1"], "up", user="jansen", action="ask",
                              time="2025-01-06T12:00:00+00:00"))  # fmt: skip
    # pietersen changes their mind: only the latest verdict (week 3, up) counts.
    log.add_feedback(Feedback(ids["ask3"], "down", comment="Verkeerde pagina", user="pietersen",
                              action="ask", time="2025-01-08T12:00:00+00:00"))  # fmt: skip
    log.add_feedback(Feedback(ids["ask3"], "up", user="pietersen", action="ask",
                              time="2025-01-15T12:00:00+00:00"))  # fmt: skip
    log.add_feedback(Feedback(ids["sum"], "down", comment="Mist de financiën", user="jansen",
                              action="summarize", time="2025-01-16T12:00:00+00:00"))  # fmt: skip
    log.close()
    return ids


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    settings = make_settings(impact={"teams": TEAMS})
    settings.home.mkdir(parents=True)
    return settings


def test_counts_per_week_and_month_are_exact(settings: Settings) -> None:
    _fill_log(settings.home / "audit.sqlite3")
    engine = build_engine(settings)
    try:
        report = engine.impact(date(2025, 1, 6), date(2025, 2, 2))
    finally:
        engine.close()
    assert [w.period for w in report.weeks] == ["2025-W02", "2025-W03", "2025-W04", "2025-W05"]
    w2, w3, w4, w5 = report.weeks
    assert (w2.questions, w2.summaries, w2.intakes, w2.redactions, w2.errors) == (3, 1, 0, 0, 1)
    assert (w2.active_users, w2.refused, w2.flagged_answers) == (2, 1, 1)
    assert w2.refusal_rate == pytest.approx(1 / 3) and w2.flagged_share == pytest.approx(0.5)
    assert (w2.latency["ask"].count, w2.latency["ask"].p50, w2.latency["ask"].p95) == (3, 2.0, 3.8)
    assert (w2.feedback_up, w2.feedback_down) == (1, 0)  # the later "up" replaced the "down"
    assert w2.minutes_saved == 40.0  # 2 answers x 10 + 1 summary x 20; refusal and error: 0
    assert w2.minutes_saved_by_team == {"Griffie": 30.0, "Juridische Zaken": 10.0}

    assert (w3.questions, w3.intakes, w3.redactions, w3.active_users) == (1, 1, 1, 2)
    assert (w3.feedback_up, w3.feedback_down) == (1, 1)
    assert w3.minutes_saved_by_team == {"(zonder team)": 10.0, "Juridische Zaken": 45.0}

    assert (w4.questions, w4.active_users, w4.refusal_rate, w4.minutes_saved) == (0, 0, None, 0)
    assert w4.latency["ask"].p50 is None
    assert (w5.questions, w5.start, w5.end) == (1, date(2025, 1, 27), date(2025, 2, 2))

    january, february = report.months
    assert (january.period, january.questions, january.summaries, january.intakes) == (
        "2025-01", 4, 1, 1)  # fmt: skip
    assert (february.period, february.questions, february.start) == ("2025-02", 1, date(2025, 2, 1))
    assert january.label == "januari 2025"
    total = report.total
    assert (total.questions, total.active_users, total.feedback_up, total.feedback_down) == (
        5, 3, 2, 1)  # fmt: skip
    assert total.minutes_saved == 40 + 55 + 10
    assert report.teams == ["(zonder team)", "Griffie", "Juridische Zaken"]
    # Every judgement is listed (newest first), with what it judged.
    assert [(f.verdict, f.comment) for f in report.feedback] == [
        ("down", "Mist de financiën"), ("up", None), ("down", "Verkeerde pagina"), ("up", None)
    ]  # fmt: skip
    assert report.feedback[0].input == "summarize om 2025-01-09T10:00:00+00:00"
    # Rows for plots: one per week and measure; no value where there is nothing to measure.
    series = {(r["period"], r["measure"]): r["value"] for r in report.series("week")}
    assert series[("2025-W02", "vragen")] == 3 and series[("2025-W04", "vragen")] == 0
    assert series[("2025-W02", "geweigerd")] == 33.3
    assert ("2025-W04", "geweigerd") not in series
    assert series[("2025-W03", "bespaard (schatting)")] == 0.92


def test_window_edges_follow_local_time(settings: Settings) -> None:
    _fill_log(settings.home / "audit.sqlite3")
    engine = build_engine(settings)
    try:
        # 1 February (local) holds only the late-night question of 31 January UTC.
        only = engine.impact(date(2025, 2, 1), date(2025, 2, 1))
        with pytest.raises(InputError, match="na --until"):
            engine.impact(date(2025, 2, 2), date(2025, 2, 1))
    finally:
        engine.close()
    assert (only.total.questions, only.total.summaries) == (1, 0)
    assert [w.period for w in only.weeks] == ["2025-W05"]


def test_impact_cli_json_and_csv(settings: Settings, tmp_path: Path) -> None:
    _fill_log(settings.home / "audit.sqlite3")
    config = tmp_path / "raadsinzicht.toml"
    config.write_text('[impact.teams]\njansen = "Juridische Zaken"\npietersen = "Griffie"\n')
    base = ["--home", str(settings.home), "--config", str(config), "impact"]
    window = ["--since", "2025-01-06", "--until", "2025-02-02"]
    runner = CliRunner()
    result = runner.invoke(app, [*base, *window, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [w["questions"] for w in data["weeks"]] == [3, 1, 0, 1]
    assert data["weeks"][1]["hours_saved"] == pytest.approx(55 / 60, abs=0.05)
    assert data["estimate"]["minutes_per_action"]["ask"] == 10.0

    result = runner.invoke(app, [*base, *window, "--csv", "--per", "maand"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["periode"], r["vragen"], r["duim_omlaag"]) for r in rows] == [
        ("2025-01", "4", "1"), ("2025-02", "1", "0")
    ]  # fmt: skip
    assert rows[0]["bespaarde_uren_schatting_Griffie"] == "0.5"

    text = runner.invoke(app, [*base, *window], env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    assert "week 3 (13–19 jan)" in text.stdout and "Mist de financiën" in text.stdout
    assert "Juridische Zaken 0,9 uur" in text.stdout and "schatting" in text.stdout
    bad = runner.invoke(app, [*base, "--since", "gisteren-ofzo"])
    assert bad.exit_code == 2 and "geen datum" in bad.stderr


def test_feedback_is_appended_next_to_its_record(settings: Settings) -> None:
    ids = _fill_log(settings.home / "audit.sqlite3")
    engine = build_engine(settings)
    try:
        item = engine.feedback(ids["ask4"], "down", comment="  Onvolledig  ", user="devries")
        assert (item.record_id, item.action, item.comment, item.id) == (
            ids["ask4"], "ask", "Onvolledig", 5)  # fmt: skip
        with pytest.raises(InputError, match="bestaat niet"):
            engine.feedback(9999, "up")
        with pytest.raises(InputError, match="reveal"):
            engine.feedback(ids["reveal"], "up")
        with pytest.raises(InputError, match="kies up"):
            engine.feedback(ids["ask4"], "misschien")
        with pytest.raises(InputError, match="te lang"):
            engine.feedback(ids["ask4"], "up", comment="x" * 2001)
        stored = engine.audit.feedback(record_id=ids["ask4"])
    finally:
        engine.close()
    assert [(f.verdict, f.user) for f in stored] == [("down", "devries")]


def test_a_comment_on_a_sensitive_record_is_pseudonymised(settings: Settings) -> None:
    log = AuditLog(settings.home / "audit.sqlite3")
    intake = log.append(AuditRecord(action="bezwaar", input="bezwaarschrift.pdf"))
    log.close()
    engine = build_engine(settings)
    try:
        item = engine.feedback(intake, "down", comment="De heer Jan Jansen is vergeten.")
        revealed = engine.pseudonymizer.reveal(item.comment or "")
    finally:
        engine.close()
    assert "Jansen" not in (item.comment or "") and "[PERSOON-1]" in (item.comment or "")
    assert revealed == "De heer Jan Jansen is vergeten."


def test_feedback_cli(settings: Settings) -> None:
    ids = _fill_log(settings.home / "audit.sqlite3")
    runner = CliRunner()
    base = ["--home", str(settings.home), "feedback"]
    result = runner.invoke(app, [*base, str(ids["sum"]), "up", "--comment", "Precies goed"])
    assert result.exit_code == 0 and "duim omhoog" in result.stdout
    missing = runner.invoke(app, [*base, "424242", "down"])
    assert missing.exit_code == 2 and "bestaat niet" in missing.stderr
    log = AuditLog(settings.home / "audit.sqlite3")
    try:
        assert [f.comment for f in log.feedback(record_id=ids["sum"])][-1] == "Precies goed"
    finally:
        log.close()
