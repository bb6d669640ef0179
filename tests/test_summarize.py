"""Summaries with page citations, map-reduce for long documents, and the CLI end to end
against the fake Ollama server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.engine import build_engine
from raadsinzicht.summarize import FLAG

from .fake_ollama import FakeOllama, default_responder
from .pdfs import write_pdf

MODEL = "gemma3:4b"
NOTULEN = "notulen/denhaag_2024-11-13_notulen-raad.pdf"


def _prompt(body: dict[str, Any]) -> str:
    if "messages" in body:
        return "\n".join(m["content"] for m in body["messages"])
    return str(body.get("prompt", ""))


def page_citing_responder(body: dict[str, Any]) -> str:
    """A model that summarises by quoting the first sentence of the first two pages it is
    shown (map) or repeating the first two points it is given (reduce)."""
    prompt = _prompt(body)
    if "<samenvattingen>" in prompt:
        inner = prompt.split("<samenvattingen>", 1)[1].split("</samenvattingen>", 1)[0]
        points = [line for line in inner.splitlines() if line.startswith("- ")]
        return "\n".join(points[:3])
    inner = prompt.split("<document>", 1)[1].split("</document>", 1)[0]
    points = []
    for match in re.finditer(r"\[p\. (\d+)\] (.*?)(?=\[p\. \d+\]|\Z)", inner, re.DOTALL):
        sentences = [s.strip() for s in re.split(r"(?<=\.)\s+", match.group(2))]
        first = next((s for s in sentences if len(s) >= 20), None)
        if first:
            points.append(f"- {first} [p. {match.group(1)}]")
        if len(points) == 2:
            break
    points.append("- De wethouder trad direct af na een schandaal [p. 1]")
    return "\n".join(points)


@pytest.fixture
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=(MODEL,)) as server:
        server.responder = page_citing_responder
        yield server


def _pages() -> list[str]:
    return [
        f"Hoofdstuk {n}. Het college bespreekt onderwerp {n} met de raad. "
        f"De kosten voor onderwerp {n} bedragen {n} miljoen euro in totaal. " * 8
        for n in range(1, 7)
    ]


def test_short_document_in_one_call_with_valid_page_citations(
    make_settings, tmp_path: Path, ollama: FakeOllama
) -> None:
    path = write_pdf(tmp_path / "ingest" / "nota.pdf", _pages()[:2])
    settings = make_settings(
        llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": MODEL}
    )
    engine = build_engine(settings)
    engine.ingest(embed=False)
    summary = engine.summarize(str(path), template="raadsvoorstel")
    assert summary.parts == 1
    assert summary.pages_cited and set(summary.pages_cited) <= {1, 2}
    # The invented statement is flagged, not shown as fact.
    assert summary.flagged == ["De wethouder trad direct af na een schandaal"]
    assert f"{FLAG} De wethouder" in summary.text
    record = engine.audit.records()[-1]
    assert record.action == "summarize" and record.input == "nota.pdf"
    assert record.prompt_template == "raadsvoorstel" and record.model == f"ollama/{MODEL}"


def test_repeated_points_are_said_once(make_settings, tmp_path: Path, ollama: FakeOllama) -> None:
    """Small models repeat a point (also across map parts); the summary says it once."""

    def repeating(body: dict[str, Any]) -> str:
        first = page_citing_responder(body).splitlines()[0]
        return "\n".join([first, first.replace("- ", "* "), first.upper().lower(), first])

    ollama.responder = repeating
    path = write_pdf(tmp_path / "ingest" / "nota.pdf", _pages()[:2])
    settings = make_settings(
        llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": MODEL}
    )
    engine = build_engine(settings)
    engine.ingest(embed=False)
    summary = engine.summarize(str(path))
    lines = [line for line in summary.text.splitlines() if line.strip()]
    assert len(lines) == 1 and re.search(r"\[p\. 1\]", lines[0]), summary.text


def test_long_document_is_map_reduced_within_the_context(
    make_settings, tmp_path: Path, ollama: FakeOllama
) -> None:
    path = write_pdf(tmp_path / "lang.pdf", _pages())  # not indexed: parsed on the fly
    settings = make_settings(
        llm={
            "provider": "ollama",
            "ollama_url": ollama.url,
            "ollama_model": MODEL,
            "context_tokens": 1400,
        },
        answer={"summary_output_tokens": 200},
    )
    summary = build_engine(settings).summarize(str(path))
    assert summary.parts >= 2
    calls = [body for route, body in ollama.requests if route == "/api/chat"]
    assert any("<samenvattingen>" in _prompt(body) for body in calls)  # a reduce step ran
    for body in calls:
        assert body["options"]["num_ctx"] == 1400
    assert summary.pages_cited and max(summary.pages_cited) <= 6


@pytest.mark.corpus
@pytest.mark.slow
def test_cli_ask_summarize_audit_on_the_corpus(
    corpus_dir: Path, tmp_path: Path, ollama: FakeOllama
) -> None:
    """The issue's done-when commands, through the ollama provider."""
    env = {
        **os.environ,
        "RAADSINZICHT_HOME": str(tmp_path / "home"),
        "RAADSINZICHT_INGEST_DIR": str(corpus_dir),
        "RAADSINZICHT_LLM__PROVIDER": "ollama",
        "RAADSINZICHT_LLM__OLLAMA_URL": ollama.url,
        "RAADSINZICHT_LLM__OLLAMA_MODEL": MODEL,
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "raadsinzicht.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    moties = corpus_dir / "moties"
    ingest = cli("ingest", str(moties), str(corpus_dir / NOTULEN), "--no-embed", "--json")
    assert ingest.returncode == 0, ingest.stderr[-2000:]

    ollama.responder = default_responder  # cites the first passage it is given
    ask = cli("ask", "Welke partij diende de motie over sleutelgeld in?", "--json")
    assert ask.returncode == 0, ask.stderr[-2000:]
    answer = json.loads(ask.stdout)
    assert not answer["refused"]
    assert answer["citations"][0]["file"] == "moties/denhaag_2025_motie_sp_sleutelgeld.pdf"

    refused = json.loads(
        cli("ask", "Wat is de begroting van de gemeente Tilburg voor 2025?", "--json").stdout
    )
    assert refused["refused"] is True and refused["sources"]

    ollama.responder = page_citing_responder
    summary = cli("summarize", str(corpus_dir / NOTULEN), "--json")
    assert summary.returncode == 0, summary.stderr[-2000:]
    data = json.loads(summary.stdout)
    assert data["parts"] > 1 and data["citations"]
    assert all(1 <= c["page"] <= 175 for c in data["citations"])

    records = json.loads(cli("audit", "--json").stdout)
    # The ingest is a write and is audited too (who added which documents).
    assert [r["action"] for r in records] == ["ingest", "ask", "ask", "summarize"]
    assert records[2]["refused"] is True
