"""Engine operations both shells use: filters as typed, the audit log with filters, the
model and index status, a document's PDF by id."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raadsinzicht.audit import AuditRecord
from raadsinzicht.cli import app
from raadsinzicht.engine import build_engine, search_filters
from raadsinzicht.errors import InputError
from raadsinzicht.retrieve import EMPTY_QUERY, EMPTY_QUESTION

from .fake_ollama import FakeOllama
from .pdfs import motie_text, write_pdf


def test_filters_as_typed_in_either_shell() -> None:
    filters = search_filters(kinds=["motie"], since="1 januari 2025", until=" ", collections=["b"])
    assert filters.kinds == ("motie",) and filters.since == date(2025, 1, 1)
    assert filters.until is None and filters.collections == ("b",)
    with pytest.raises(InputError, match="--since: 'gisteren' is geen datum"):
        search_filters(since="gisteren", labels=("--since", "--until"))
    with pytest.raises(InputError, match="onbekende soort taart"):
        search_filters(kinds=["taart"])


def test_audit_records_with_filters_newest_first(make_settings) -> None:
    engine = build_engine(make_settings())
    for action, user, question in [
        ("ask", "jansen", "Wat kost het sleutelgeld?"),
        ("summarize", "pietersen", "motie.pdf"),
        ("ask", "pietersen", "Wie diende de motie over bomen in?"),
    ]:
        engine.audit.append(AuditRecord(action=action, input=question, user=user))
    newest = engine.audit_records()
    assert [r.input for r in newest] == [
        "Wie diende de motie over bomen in?",
        "motie.pdf",
        "Wat kost het sleutelgeld?",
    ]
    assert [r.user for r in engine.audit_records(action="ask", by_user="PIETER")] == ["pietersen"]
    assert [r.input for r in engine.audit_records(text="SLEUTELGELD")] == [
        "Wat kost het sleutelgeld?"
    ]
    assert len(engine.audit_records(limit=1)) == 1
    result = CliRunner().invoke(
        app, ["audit", "--action", "ask", "--by", "jansen", "--json"],
        env={"RAADSINZICHT_HOME": str(engine.home)},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Wat kost het sleutelgeld?" in result.output and "bomen" not in result.output
    engine.close()


def test_model_index_status_and_document_path(make_settings, tmp_path: Path) -> None:
    inbox = tmp_path / "ingest"
    pdf = write_pdf(inbox / "motie.pdf", [motie_text("de hondenbelasting", "VVD")])
    with FakeOllama(models=("bge-m3",)) as ollama:  # running, without the chat model
        engine = build_engine(
            make_settings(
                ingest_dir=inbox,
                llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": "gemma3:4b"},
            )
        )
        problem = engine.model_status()
        assert problem and "ollama pull gemma3:4b" in problem
        ollama.models.append("gemma3:4b")
        assert engine.model_status() is None
        engine.ingest(embed=False)
        status = engine.index_status()
        assert (status.documents, status.pending_embeddings) == (1, status.chunks)
        assert status.disk_bytes > 0 and status.active_jobs == []
        assert not status.vectors_unavailable
        shown = CliRunner().invoke(
            app, ["status", "--json"], env={"RAADSINZICHT_HOME": str(engine.home),
            "RAADSINZICHT_LLM__PROVIDER": "ollama", "RAADSINZICHT_LLM__OLLAMA_URL": ollama.url},
        )  # fmt: skip
        assert shown.exit_code == 0, shown.output
        assert '"documents": 1' in shown.output and '"model": "ollama/gemma3:4b"' in shown.output
    (document,) = engine.documents()
    assert engine.document_path(document.doc_id) == pdf.resolve()
    assert engine.document_path("0" * 64) is None
    pdf.unlink()
    assert engine.document_path(document.doc_id) is None
    engine.close()


@pytest.mark.parametrize("query", ["", "   ", "?!", "🙂"])
def test_a_query_with_nothing_to_search_for_is_one_dutch_line_in_both_shells(
    make_settings, tmp_path: Path, query: str
) -> None:
    # Before, both shells searched for it: its embedding ranked every passage and the
    # CLI listed them as results (the web only warned on an empty box).
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "motie.pdf", [motie_text("de hondenbelasting", "VVD")])
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    engine.ingest(embed=False)
    logged = len(engine.audit_records())
    with pytest.raises(InputError, match=rf"^{re.escape(EMPTY_QUERY)}$"):
        engine.search(query)
    with pytest.raises(InputError, match=rf"^{re.escape(EMPTY_QUESTION)}$"):
        engine.ask(query)
    with pytest.raises(InputError, match=rf"^{re.escape(EMPTY_QUESTION)}$"):
        next(iter(engine.stream_answer(query)))
    assert len(engine.audit_records()) == logged  # nothing was asked
    assert engine.search("hondenbelasting")[0].file == "motie.pdf"
    env = {"RAADSINZICHT_HOME": str(engine.home), "RAADSINZICHT_INGEST_DIR": str(inbox)}
    for command, message in (("search", EMPTY_QUERY), ("ask", EMPTY_QUESTION)):
        shown = CliRunner().invoke(app, [command, query], env=env)
        assert shown.exit_code == 2 and message in shown.output, shown.output
    engine.close()


def test_an_answer_the_cli_stops_printing_is_audited_while_the_engine_is_open(
    make_settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `raadsinzicht ask ... | head -1`: the pipe closes after the first line. Before, the
    # stream was left to the garbage collector, which ran after the engine had closed
    # its audit log: the record was lost ("Cannot operate on a closed database").
    from raadsinzicht import cli

    inbox = tmp_path / "ingest"
    write_pdf(inbox / "motie.pdf", [motie_text("de hondenbelasting", "VVD")])
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    engine.ingest(embed=False)

    def closed_pipe(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr(cli, "_print_extractive", closed_pipe)
    with pytest.raises(BrokenPipeError) as stopped:
        cli._stream_answer(engine.stream_answer("Wie diende de motie in?"), show=True)
    record = engine.audit_records(action="ask")[0]
    assert record.abandoned and record.input == "Wie diende de motie in?"
    del stopped
    engine.close()
