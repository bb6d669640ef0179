"""Many users at once: readers never wait for a writer, one writer at a time across
processes, the keyword index follows one document without a rebuild, and the vector store
stays usable in a process while another process writes or re-indexes (embedded Chroma)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.errors import RaadsinzichtError
from raadsinzicht.index import bm25
from raadsinzicht.index.bm25 import KeywordIndex
from raadsinzicht.index.vector import UNAVAILABLE_NOTE, VECTOR_WRITER
from raadsinzicht.settings import Settings

from .pdfs import long_text, motie_text, write_pdf

SUBJECTS = ("hondenbelasting", "parkeervergunningen", "bomenkap")


def _inbox(folder: Path, *, report: bool = True) -> Path:
    for number, subject in enumerate(SUBJECTS):
        write_pdf(folder / "moties" / f"motie-{number}.pdf", [motie_text(subject, "SP")])
    if report:
        write_pdf(folder / "rapporten" / "fietsen.pdf", long_text("fietsparkeren bij het station"))
    return folder


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAADSINZICHT_")}
    env |= {
        "RAADSINZICHT_HOME": str(settings.home),
        "RAADSINZICHT_INGEST_DIR": str(settings.ingest_dir),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    return env


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "raadsinzicht.cli", *args],
        env=_env(settings),
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def engine(make_settings, tmp_path: Path, embedder) -> Iterator[Engine]:
    """Three one-chunk motions, embedded."""
    settings = make_settings(ingest_dir=_inbox(tmp_path / "ingest", report=False))
    engine = build_engine(settings, embedder=embedder)
    report = engine.ingest()
    assert report.documents == len(SUBJECTS) and not report.failed
    yield engine
    engine.close()


# -- the keyword index --------------------------------------------------------------------


def test_one_new_document_is_searchable_without_a_rebuild_and_scores_as_a_rebuild(
    make_settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Five documents: one more moves their average chunk length more than one document
    # moves a real index's (the next test); here only the delta is tested.
    monkeypatch.setattr(bm25, "_MAX_LENGTH_DRIFT", 1.0)
    inbox = _inbox(tmp_path / "ingest")
    engine = build_engine(make_settings(ingest_dir=inbox))
    engine.ingest(embed=False)
    saved = sorted(p.name for p in engine.home.glob("bm25-*"))

    write_pdf(inbox / "moties" / "nieuw.pdf", [motie_text("de hondenbelasting afschaffen", "VVD")])
    engine.ingest([inbox / "moties" / "nieuw.pdf"], embed=False)
    engine.remove("moties/motie-1.pdf")  # parkeervergunningen: masked out of the base
    queries = ["hondenbelasting", "parkeervergunningen", "fietsparkeren station", "motie raad"]
    incremental = {q: engine.search(q, mode="keyword", top_k=20) for q in queries}

    assert sorted(p.name for p in engine.home.glob("bm25-*")) == saved  # base untouched
    assert {h.file for h in incremental["hondenbelasting"][:2]} == {
        "moties/nieuw.pdf",
        "moties/motie-0.pdf",
    }
    assert incremental["parkeervergunningen"] == []
    # A fresh index built from scratch over the same catalog finds the same chunks with
    # the same scores (up to the base's older average chunk length).
    fresh = KeywordIndex(tmp_path / "fresh")
    (tmp_path / "fresh").mkdir()
    fresh.refresh(engine.catalog)
    for query, hits in incremental.items():
        rebuilt = fresh.search(query, k=40)
        scores = dict(rebuilt)
        assert {hit.chunk_id for hit in hits} <= set(scores), query
        for hit in hits:
            assert hit.keyword_score == pytest.approx(scores[hit.chunk_id], rel=0.03), query
    engine.close()


def test_a_delta_that_moves_the_average_chunk_length_gets_a_new_base(
    make_settings, tmp_path: Path
) -> None:
    """Few chunks (far below ``_DELTA_MIN``) but long ones: the base's average chunk length
    would drift from the collection's, so the writer builds a new base, and every score is
    a rebuilt index's."""
    inbox = tmp_path / "ingest"
    for number, subject in enumerate(SUBJECTS):
        write_pdf(inbox / "moties" / f"motie-{number}.pdf", [motie_text(subject, "SP")])
    engine = build_engine(make_settings(ingest_dir=inbox))
    engine.ingest(embed=False)
    first = {p.name for p in engine.home.glob("bm25-*")}
    write_pdf(inbox / "rapporten" / "fietsen.pdf", long_text("fietsparkeren bij het station"))
    engine.ingest(embed=False)
    assert {p.name for p in engine.home.glob("bm25-*")}.isdisjoint(first)
    fresh = KeywordIndex(tmp_path / "fresh")
    (tmp_path / "fresh").mkdir()
    fresh.refresh(engine.catalog)
    for query in ("hondenbelasting", "fietsparkeren station", "motie raad"):
        hits = engine.search(query, mode="keyword", top_k=20)
        scores = dict(fresh.search(query, k=40))
        assert hits and {hit.chunk_id for hit in hits} <= set(scores), query
        for hit in hits:
            assert hit.keyword_score == pytest.approx(scores[hit.chunk_id], rel=1e-5), query
    engine.close()


def test_a_base_built_in_batches_scores_exactly_as_bm25s_index() -> None:
    """The lean base builder (arrays per batch, not bm25s' Python token lists) gives the
    score matrix and vocabulary of ``bm25s.BM25.index`` over the same tokens."""
    import bm25s
    import numpy as np

    texts = [motie_text(subject, party) for subject in SUBJECTS for party in ("SP", "VVD")]
    texts += [*long_text("fietsparkeren bij het station"), "", "de het een wat"]
    rows = [(f"c{n}", f"d{n % 4}", text, f"Titel {n % 4}") for n, text in enumerate(texts)]
    builder = bm25._BaseBuilder()
    for start in range(0, len(rows), 3):  # several batches: one vocabulary across them
        builder.add(rows[start : start + 3])
    ours, lengths = builder.finish()
    assert ours is not None and builder.chunk_ids == [row[0] for row in rows]

    tokens = bm25._tokenize([bm25._keyword_text(title, text) for _, _, text, title in rows])
    reference = bm25s.BM25(k1=bm25._K1, b=bm25._B, method="lucene")
    reference.index(tokens, show_progress=False)
    assert lengths.tolist() == [len(t) for t in tokens]
    assert set(ours.vocab_dict) == set(reference.vocab_dict)
    for term in reference.vocab_dict.keys() - {""}:
        columns = []
        for index in (ours, reference):
            token, indptr = index.vocab_dict[term], index.scores["indptr"]
            span = slice(int(indptr[token]), int(indptr[token + 1]))
            columns.append((index.scores["indices"][span], index.scores["data"][span]))
        np.testing.assert_array_equal(columns[0][0], columns[1][0], err_msg=term)
        np.testing.assert_allclose(columns[0][1], columns[1][1], rtol=1e-6, err_msg=term)
    for query in ("hondenbelasting onderzoeken", "fietsparkeren station budget", "titel"):
        terms = bm25.tokenize_query(query)
        np.testing.assert_allclose(ours.get_scores(terms), reference.get_scores(terms), rtol=1e-5)
    assert bm25._BaseBuilder().finish() == (None, pytest.approx(np.zeros(0)))


def test_a_large_change_builds_a_new_base_for_every_process(
    make_settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bm25, "_DELTA_MIN", 0)  # a large change is more than 5 % of the base
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "eerste.pdf", [motie_text("de kermis", "CDA")])
    engine = build_engine(make_settings(ingest_dir=inbox))
    engine.ingest(embed=False)
    first = {p.name for p in engine.home.glob("bm25-*")}
    _inbox(inbox)  # many more chunks than the first base holds: a new base at the end
    engine.ingest(embed=False)
    assert {p.name for p in engine.home.glob("bm25-*")}.isdisjoint(first)
    other = build_engine(make_settings(ingest_dir=inbox))  # another process: loads it
    assert other.search("bomenkap", mode="keyword")[0].file == "moties/motie-2.pdf"
    other.close()
    engine.close()


@pytest.mark.parametrize("stale", ["older_format", "other_bm25_parameters"])
def test_a_saved_index_that_does_not_fit_is_rebuilt_once(
    make_settings, tmp_path: Path, caplog: pytest.LogCaptureFixture, stale: str
) -> None:
    """A base saved by an older version (without lengths), or scored with other k1 and b
    (its scores hold them: it would rank by them until the next large ingest), is rebuilt
    by the first process that loads it, and saved for the others."""
    engine = build_engine(make_settings(ingest_dir=_inbox(tmp_path / "ingest", report=False)))
    engine.ingest(embed=False)
    engine.close()
    (saved,) = engine.home.glob("bm25-*")
    if stale == "older_format":
        for name in ("meta.json", "lengths.npy"):  # what the previous version did not save
            (saved / name).unlink()
    else:
        meta = json.loads((saved / "meta.json").read_text())
        (saved / "meta.json").write_text(json.dumps({**meta, "k1": bm25._K1 + 0.6}))
    for _ in range(2):
        again = build_engine(engine.settings)
        assert again.search("bomenkap", mode="keyword")[0].file == "moties/motie-2.pdf"
        again.close()
    rebuilt = [r for r in caplog.records if "opnieuw opgebouwd" in r.getMessage()]
    assert len(rebuilt) == 1
    (saved,) = engine.home.glob("bm25-*")
    assert json.loads((saved / "meta.json").read_text())["k1"] == bm25._K1


# -- readers and writers ------------------------------------------------------------------


def test_searches_and_lists_run_while_an_ingest_holds_the_writer_lock(engine: Engine) -> None:
    inbox = engine.settings.ingest_dir
    for number in range(3):
        subject = f"wegwerkzaamheden{number}"
        write_pdf(inbox / "extra" / f"notitie-{number}.pdf", [motie_text(subject, "SP")])
    inside, release = threading.Event(), threading.Event()

    def slow_progress(stage: str, done: int, total: int, detail: str) -> None:
        if stage == "parse" and done == 1:
            inside.set()
            assert release.wait(60), "the test never released the writer"

    writer = threading.Thread(target=lambda: engine.ingest(progress=slow_progress))
    writer.start()
    try:
        assert inside.wait(60)
        # The writer is mid-ingest (one new document stored, two to go) and holds the lock.
        assert engine.search("bomenkap")[0].file == "moties/motie-2.pdf"
        assert engine.search("wegwerkzaamheden0", mode="keyword")[0].file.startswith("extra/")
        assert len(engine.documents()) == len(SUBJECTS) + 1
        with pytest.raises(RaadsinzichtError, match="Er loopt al een indexering"):
            engine.remove("moties/motie-0.pdf")  # a second writer is refused, not queued
        assert writer.is_alive()
    finally:
        release.set()
        writer.join(120)
    assert len(engine.documents()) == len(SUBJECTS) + 3


@pytest.mark.slow  # runs the CLI in another process
def test_the_writer_lock_holds_across_processes(engine: Engine) -> None:
    release = threading.Event()
    inside = threading.Event()
    write_pdf(engine.settings.ingest_dir / "nog-een.pdf", [motie_text("de markt", "D66")])

    def blocked(stage: str, done: int, total: int, detail: str) -> None:
        inside.set()
        assert release.wait(120)

    writer = threading.Thread(target=lambda: engine.ingest(embed=False, progress=blocked))
    writer.start()
    try:
        assert inside.wait(60)
        cli = _cli(engine.settings, "ingest", "--no-embed")
        search = _cli(engine.settings, "search", "bomenkap", "--json")
    finally:
        release.set()
        writer.join(120)
    assert cli.returncode == 2 and "Er loopt al een indexering" in cli.stderr, cli.stderr
    assert "opdrachtregel" not in cli.stderr  # it names the other job, not itself
    assert search.returncode == 0 and "motie-2.pdf" in search.stdout, search.stderr


# -- vectors across processes ---------------------------------------------------------------


@pytest.mark.slow  # runs the CLI in another process
def test_searches_during_another_process_writing_vectors_then_its_vectors_are_found(
    engine: Engine,
) -> None:
    assert engine.search("bomenkap", mode="vector")  # this process has its store open
    inbox = engine.settings.ingest_dir
    write_pdf(inbox / "moties" / "later.pdf", [motie_text("de aanleg van een skatepark", "GL")])
    for number in range(3):
        write_pdf(inbox / "rapporten" / f"rapport-{number}.pdf", long_text(f"thema{number}"))
    writer = subprocess.Popen(  # embeds in another process, for a while
        [sys.executable, "-m", "raadsinzicht.cli", "ingest"],
        env=_env(engine.settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    searches, notes = 0, 0
    while writer.poll() is None:  # the embedded store is not safe across processes
        hits = engine.search("parkeervergunningen")  # must never fail
        assert hits[0].file == "moties/motie-1.pdf"
        searches += 1
        notes += bool(hits.notes)
    _, stderr = writer.communicate()
    assert writer.returncode == 0, stderr
    assert searches > 0
    hits = engine.search("aanleg van een skatepark", mode="vector", top_k=3)
    assert hits and hits[0].file == "moties/later.pdf"
    assert not engine.search("parkeervergunningen").notes


@pytest.mark.slow  # runs the CLI in another process
def test_cli_reindex_leaves_a_running_app_working(engine: Engine) -> None:
    before = engine.search("parkeervergunningen")
    assert before[0].vector_rank is not None
    result = _cli(engine.settings, "ingest", "--reindex")
    assert result.returncode == 0, result.stderr
    # Before the fix: "Collection [...] does not exist" until the server restarted.
    after = engine.search("parkeervergunningen")
    assert after[0].file == before[0].file and after[0].vector_rank is not None
    assert engine.vector_store().count() == engine.catalog.count_chunks()


def test_while_another_process_writes_vectors_search_is_keyword_only_with_a_note(
    engine: Engine,
) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        engine.catalog.set_state(VECTOR_WRITER, str(other.pid))
        hits = engine.search("parkeervergunningen")
        assert hits[0].file == "moties/motie-1.pdf"
        assert all(hit.vector_rank is None for hit in hits)
        assert hits.notes == [UNAVAILABLE_NOTE]
    finally:
        other.kill()
        other.wait()
    # The writer died without clearing its mark: it does not block vectors any longer.
    hits = engine.search("parkeervergunningen")
    assert hits[0].vector_rank is not None and not hits.notes


_KILL_AFTER_DROP = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from raadsinzicht.engine import build_engine
    from raadsinzicht.index import vector
    from raadsinzicht.settings import load_settings

    real_drop = vector.drop_collection

    def drop_then_die(*args, **kwargs):
        real_drop(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)  # killed between dropping and re-embedding

    vector.drop_collection = drop_then_die
    engine = build_engine(load_settings())
    engine.ingest(reindex=True)
    """
)


@pytest.mark.slow  # runs the CLI in another process
def test_a_reindex_killed_after_dropping_the_vectors_is_repaired_by_the_next_run(
    engine: Engine,
) -> None:
    chunks = engine.catalog.count_chunks()
    engine.close()
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AFTER_DROP],
        env=_env(engine.settings),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # Before the fix the flags were reset after the drop: chunks stayed marked embedded
    # without vectors, and a plain ingest repaired nothing.
    result = _cli(engine.settings, "ingest", "--json")
    assert result.returncode == 0, result.stderr
    again = build_engine(engine.settings)
    try:
        assert again.catalog.count_pending_embeddings() == 0
        assert again.vector_store().count() == chunks
        assert again.search("bomenkap", mode="vector")[0].file == "moties/motie-2.pdf"
    finally:
        again.close()


def test_concurrent_first_searches_in_many_threads(make_settings, tmp_path: Path) -> None:
    """No shared sqlite connection, no half-built keyword index: 8 threads at once."""
    engine = build_engine(make_settings(ingest_dir=_inbox(tmp_path / "ingest")))
    engine.ingest(embed=False)
    engine.close()
    (engine.home / "bm25.json").unlink()  # every thread finds no saved index
    fresh = build_engine(engine.settings)
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def search(number: int) -> None:
        try:
            subject = SUBJECTS[number % len(SUBJECTS)]
            results[number] = fresh.search(subject, mode="keyword")[0].file
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=search, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    fresh.close()
    assert not errors, errors
    assert results == {n: f"moties/motie-{n % len(SUBJECTS)}.pdf" for n in range(8)}


def test_a_worker_process_ends_when_the_app_that_started_it_is_killed(tmp_path: Path) -> None:
    """The parsing and rendering children outlived a killed web app (``kill -9``, the OOM
    killer): a process pool's worker holds both ends of its task pipe and never sees its
    parent go. Each stayed, idle, with 180 MB."""
    import time

    import psutil

    from raadsinzicht.child import PARENT_CHECK_SECONDS

    app = tmp_path / "app.py"
    app.write_text(
        textwrap.dedent(
            """
            import os, sys
            from raadsinzicht.child import ChildProcess
            if __name__ == "__main__":  # the spawned child imports this file too
                child = ChildProcess()
                print(child.pool().submit(os.getpid).result(), flush=True)
                sys.stdin.read()  # until killed
            """
        )
    )
    process = subprocess.Popen(
        [sys.executable, str(app)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    worker = int(process.stdout.readline())
    assert psutil.pid_exists(worker)
    process.kill()
    process.wait(timeout=10)

    def running() -> bool:
        try:
            return psutil.Process(worker).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 10 * PARENT_CHECK_SECONDS + 5
    while running() and time.monotonic() < deadline:
        time.sleep(0.1)
    if running():
        psutil.Process(worker).kill()  # leave no orphan behind, then fail
        pytest.fail(f"worker {worker} still runs after its parent was killed")
