"""Ingestion as background jobs: uploads under the upload rules, progress, cancel (the
index stays consistent), a crashed job shown as interrupted and resumable, the CLI's
``jobs`` command, and parsing in a child process for the web app."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from raadsinzicht.cli import app
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.jobs import Job, JobCancelledError

from .pdfs import long_text, motie_text, write_pdf


def _wait(engine: Engine, job: Job, seconds: float = 120) -> Job:
    """The job once it is no longer queued or running."""
    deadline = time.monotonic() + seconds
    current: Job | None = job
    while current is not None and current.active and time.monotonic() < deadline:
        time.sleep(0.05)  # polling interval, not a fixed wait
        current = engine.jobs.get(job.id)
    assert current is not None and not current.active, current
    return current


@pytest.fixture
def engine(make_settings, tmp_path: Path) -> Engine:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "moties" / "bestaand.pdf", [motie_text("de hondenbelasting", "VVD")])
    engine = build_engine(make_settings(ingest_dir=inbox))
    engine.ingest(embed=False)
    return engine


def test_upload_takes_pdfs_under_the_rules_and_indexes_them_in_the_background(
    engine: Engine, tmp_path: Path
) -> None:
    offered = tmp_path / "aangeboden"
    good = write_pdf(offered / "bomen.pdf", [motie_text("de bomenkap in het stadspark", "PvdD")])
    text = offered / "notitie.txt"
    text.write_text("geen pdf")
    fake = offered / "kapot.pdf"
    fake.write_bytes(b"<html>nee</html>")
    # A PDF header but nothing behind it: accepted, then it fails in the job.
    broken = offered / "afgekapt.pdf"
    broken.write_bytes(good.read_bytes()[:400])

    receipt = engine.upload(
        [
            (good, "../../buiten/bomen motie?.pdf"),
            (text, "notitie.txt"),
            (fake, "kapot.pdf"),
            (broken, "afgekapt.pdf"),
        ],
        "Bomen",
        user="jansen",
    )
    refused = {e.name: e.problem for e in receipt.entries if e.target is None}
    assert set(refused) == {"notitie.txt", "kapot.pdf"}
    assert "alleen PDF" in (refused["notitie.txt"] or "")
    assert "geen PDF" in (refused["kapot.pdf"] or "")
    assert receipt.job is not None and receipt.job.user == "jansen"

    job = _wait(engine, receipt.job)
    assert job.status == "done", job
    outcome = {item["name"]: item for item in (job.result or {})["files"]}
    assert outcome["../../buiten/bomen motie?.pdf"]["ok"]
    assert "collectie Bomen" in outcome["../../buiten/bomen motie?.pdf"]["message"]
    assert not outcome["afgekapt.pdf"]["ok"]
    inbox = engine.settings.ingest_dir
    stored = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*.pdf"))
    # Safe base name in the collection's folder; the failed upload is not left behind.
    assert stored == ["Bomen/bomen motie.pdf", "moties/bestaand.pdf"]
    assert engine.search("bomenkap stadspark", mode="keyword")[0].file == "Bomen/bomen motie.pdf"


def test_cancel_stops_between_documents_and_a_resume_finishes(engine: Engine) -> None:
    inbox = engine.settings.ingest_dir
    for number in range(4):
        write_pdf(inbox / "rapporten" / f"rapport-{number}.pdf", long_text(f"onderwerp{number}"))
    with pytest.raises(JobCancelledError):  # noqa: SIM117 - the job is the inner context
        with engine.jobs.foreground("ingest", "test", {}, user=None) as context:

            def cancel_after_two(stage: str, done: int, total: int, detail: str) -> None:
                if stage == "parse" and done == 2:
                    engine.cancel_job(context.job.id)
                context.progress(stage, done, total, detail)

            engine.ingest(embed=False, progress=cancel_after_two)
    cancelled = engine.jobs.get(context.job.id)
    assert cancelled is not None and cancelled.status == "cancelled"
    # Consistent: what was stored is whole and searchable; the writer lock is free.
    stored = {d.file for d in engine.documents()}
    assert stored == {"moties/bestaand.pdf", "rapporten/rapport-0.pdf"}
    assert engine.catalog.count_chunks() == sum(d.chunks for d in engine.documents())
    assert engine.search("onderwerp0", mode="keyword")
    report = engine.ingest(embed=False)
    assert (report.added, report.unchanged, report.documents) == (3, 2, 5)


def test_a_queued_job_is_cancelled_at_once(engine: Engine) -> None:
    first = engine.reindex_in_background(user=None)
    second = engine.reindex_in_background(user=None)
    cancelled = engine.cancel_job(second.id)
    assert cancelled.status in ("cancelled", "running")  # the worker may have begun it
    assert _wait(engine, first).status == "done"
    final = _wait(engine, second)
    assert final.status == "cancelled", final


def test_a_job_of_a_process_that_died_is_interrupted_and_can_be_resumed(
    engine: Engine, tmp_path: Path
) -> None:
    write_pdf(engine.settings.ingest_dir / "later.pdf", [motie_text("de kermis", "CDA")])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert engine.list_jobs() == []  # creates the jobs table
    with sqlite3.connect(engine.home / "jobs.sqlite3") as db:
        db.execute(
            "INSERT INTO jobs (kind, description, status, params, pid, created) "
            "VALUES ('reindex', 'Invoermap opnieuw indexeren', 'running', '{}', ?, "
            "'2025-01-01T00:00:00+00:00')",
            (dead.pid,),
        )
    engine.close()
    again = build_engine(engine.settings)
    (crashed,) = [job for job in again.list_jobs() if job.pid == dead.pid]
    assert crashed.status == "interrupted" and "hervat" in (crashed.error or "")
    resumed = _wait(again, again.resume_job(crashed.id, user="jansen"))
    assert resumed.status == "done"
    assert "later.pdf" in {d.file for d in again.documents()}
    again.close()


def test_cli_jobs_lists_and_cancels(engine: Engine) -> None:
    job = _wait(engine, engine.reindex_in_background(user="jansen"))
    env = {"RAADSINZICHT_HOME": str(engine.home), "COLUMNS": "200"}
    runner = CliRunner()
    listed = runner.invoke(app, ["jobs", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    assert '"status": "done"' in listed.output and '"user": "jansen"' in listed.output
    table = runner.invoke(app, ["jobs"], env=env)
    assert "Invoermap opnieuw indexeren" in table.output and "klaar" in table.output
    refused = runner.invoke(app, ["jobs", "--cancel", str(job.id)], env=env)
    assert refused.exit_code == 2 and "is al klaar" in refused.output


def test_cli_ingest_shows_as_a_job(engine: Engine) -> None:
    env = {"RAADSINZICHT_HOME": str(engine.home), "RAADSINZICHT_INGEST_DIR": str(
        engine.settings.ingest_dir)}  # fmt: skip
    result = CliRunner().invoke(app, ["ingest", "--no-embed"], env=env)
    assert result.exit_code == 0, result.output
    (job, *_) = engine.list_jobs()
    assert job.kind == "ingest" and job.status == "done" and job.user
    assert (job.result or {})["report"]["unchanged"] == 1


@pytest.mark.slow  # starts a Python child process that imports the parser
def test_a_server_parses_in_a_child_process(make_settings, tmp_path: Path) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "goed.pdf", [motie_text("de woningsplitsing", "D66")])
    (inbox / "leeg.pdf").write_bytes(b"")
    engine = build_engine(make_settings(ingest_dir=inbox), parsing_process=True)
    try:
        report = engine.ingest(embed=False)
        children = [p for p in _children(os.getpid()) if "python" in p]
        assert engine.search("woningsplitsing", mode="keyword")[0].file == "goed.pdf"
    finally:
        engine.close()
    assert report.documents == 1 and [f.file for f in report.failed] == ["leeg.pdf"]
    assert "leeg" in report.failed[0].error
    assert children, "no child process parsed the documents"


def _children(pid: int) -> list[str]:
    import psutil

    return [" ".join(child.cmdline()) for child in psutil.Process(pid).children(recursive=True)]


def test_a_cancelled_upload_leaves_its_unindexed_files_out_of_the_inbox(
    engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "aangeboden"
    offered = [
        (write_pdf(folder / f"rapport-{n}.pdf", long_text(f"thema{n}")), f"r{n}.pdf")
        for n in range(3)
    ]
    original = engine._ingest  # what the upload job runs
    started = []

    def cancel_at_the_second(paths: Any = None, **kwargs: Any) -> Any:
        context = kwargs["context"]

        def progress(stage: str, done: int, total: int, detail: str = "") -> None:
            if stage == "parse" and done == 1 and not started:
                started.append(done)
                engine.cancel_job(context.job.id)
            context.progress(stage, done, total, detail)

        return original(paths, progress=progress, **kwargs)

    engine._ingest = cancel_at_the_second  # type: ignore[method-assign]
    receipt = engine.upload(offered, None, user=None)
    assert receipt.job is not None
    job = _wait(engine, receipt.job)
    assert job.status == "cancelled" and "2 bestand(en) niet geïndexeerd" in (job.error or "")
    inbox = engine.settings.ingest_dir
    assert sorted(p.name for p in inbox.glob("*.pdf")) == ["r0.pdf"]
    assert "r0.pdf" in {d.file for d in engine.documents()}


def test_a_running_job_shows_the_time_left_from_its_pace(tmp_path: Path) -> None:
    from raadsinzicht.jobs import JobContext, JobManager

    manager = JobManager(tmp_path / "jobs.sqlite3", {})
    job = manager.create("upload", "2 PDF's indexeren", {}, user=None, status="running")
    now = [100.0]
    context = JobContext(manager, job, clock=lambda: now[0])
    context.progress("parse", 0, 10, "a.pdf")
    first = manager.get(job.id)
    assert first is not None and first.remaining is None  # no pace yet
    assert first.progress_label == "Lezen en knippen 0/10: a.pdf"
    now[0] += 20.0  # 4 documents in 20 s: 6 left take about 30 s
    context.progress("parse", 4, 10, "e.pdf")
    running = manager.get(job.id)
    assert running is not None and running.remaining == pytest.approx(30.0)
    assert running.progress_label == "Lezen en knippen 4/10, nog ongeveer 30 seconden: e.pdf"
    assert running.to_dict()["progress"] == running.progress_label


def test_background_jobs_run_at_a_lower_cpu_priority_than_requests(tmp_path: Path) -> None:
    """The worker thread (and what it starts) yields the CPU to searches and answers;
    the threads serving requests keep their priority."""
    from raadsinzicht.jobs import BACKGROUND_NICENESS, JobContext, JobManager

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    seen: dict[str, int] = {}

    def record(context: JobContext) -> dict[str, Any]:
        seen["worker"] = niceness()
        return {}

    before = niceness()
    manager = JobManager(
        tmp_path / "jobs.sqlite3", {"upload": record}, worker_niceness=BACKGROUND_NICENESS
    )
    try:
        job = manager.submit("upload", "1 PDF indexeren", {}, user=None)
        deadline = time.monotonic() + 30
        while (current := manager.get(job.id)) is not None and current.active:
            assert time.monotonic() < deadline
            time.sleep(0.05)  # polling interval, not a fixed wait
        assert current is not None and current.status == "done"
    finally:
        manager.close()
    if sys.platform.startswith("linux"):
        assert seen["worker"] == min(before + BACKGROUND_NICENESS, 19)
    assert niceness() == before
