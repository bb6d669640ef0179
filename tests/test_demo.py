"""The first run: `raadsinzicht demo` indexes the shipped examples into the normal data
directory and answers one question per user group, without ever starting a generative
model unless one was chosen."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raadsinzicht import cli as cli_module
from raadsinzicht import demo as demo_module
from raadsinzicht import llm as llm_module
from raadsinzicht.cli import app
from raadsinzicht.demo import EXAMPLE_QUESTIONS, answer_settings, find_examples, providers
from raadsinzicht.engine import build_engine
from raadsinzicht.errors import InputError
from raadsinzicht.settings import Settings, load_settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_examples_are_small_and_listed_with_their_source() -> None:
    pdfs = sorted(EXAMPLES.rglob("*.pdf"))
    assert 0 < len(pdfs) <= 8
    assert sum(p.stat().st_size for p in pdfs) <= 5 * 1024 * 1024
    sources = (EXAMPLES / "SOURCES.md").read_text(encoding="utf-8")
    for pdf in pdfs:
        assert f"`{pdf.relative_to(EXAMPLES).as_posix()}`" in sources
    collections = {p.parent.name for p in pdfs}
    for question in EXAMPLE_QUESTIONS:
        assert set(question.collections) <= collections, question
    assert find_examples(EXAMPLES) == EXAMPLES
    with pytest.raises(InputError, match="Geen voorbeelddocumenten"):
        find_examples(EXAMPLES.parent / "prompts")


def test_a_model_answers_only_when_one_was_chosen(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    default = answer_settings(make_settings())
    if "extractive" in providers():
        assert default is not None and default.llm.provider == "extractive"
    else:  # this build cannot answer without a model: the demo shows search results
        assert default is None
    chosen = answer_settings(make_settings(), "ollama")
    assert chosen is not None and chosen.llm.provider == "ollama"
    config = tmp_path / "raadsinzicht.toml"
    config.write_text('[llm]\nprovider = "llamacpp"\n')
    configured = answer_settings(load_settings(config, home=tmp_path / "h"))
    assert configured is not None and configured.llm.provider == "llamacpp"
    with pytest.raises(InputError, match="Onbekende provider"):
        answer_settings(make_settings(), "gpt-5")


@pytest.mark.slow
def test_demo_indexes_the_examples_and_answers_every_group(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("de demo mag zonder gekozen model geen taalmodel starten")

    # Neither language model may be loaded, asked or even probed.
    monkeypatch.setattr(llm_module.LlamaCppLLM, "_load", no_model)
    monkeypatch.setattr(llm_module.LlamaCppLLM, "stream", no_model)
    monkeypatch.setattr(llm_module.OllamaLLM, "check", no_model)
    monkeypatch.setattr(llm_module.OllamaLLM, "stream", no_model)
    # As on a new machine: the name recogniser is still being built (in the background)
    # when the pseudonymised bezwaar question comes; the demo says why it waits.
    four_shown = threading.Event()
    shown: list[object] = []

    def slow_recogniser() -> None:
        four_shown.wait(timeout=120)
        time.sleep(2)

    def count_shown(item: object) -> None:
        print_example(item)
        shown.append(item)
        if len(shown) == len(EXAMPLE_QUESTIONS) - 1:
            four_shown.set()

    print_example = cli_module._print_example
    monkeypatch.setattr(demo_module, "load_detector", slow_recogniser)
    monkeypatch.setattr(cli_module, "_print_example", count_shown)
    settings = make_settings()
    args = ["--home", str(settings.home), "demo", "--examples", str(EXAMPLES)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    for question in EXAMPLE_QUESTIONS:
        assert question.group in result.stdout and question.question in result.stdout
    # The motion about sleutelgeld is cited under the councillor's question.
    councillor = result.stdout.split(EXAMPLE_QUESTIONS[1].group)[0]
    assert "moties/denhaag_2025_motie_sp_sleutelgeld.pdf, p. 1" in councillor
    if answer_settings(settings) is not None:
        before_jurist = result.stdout.split(EXAMPLE_QUESTIONS[-1].group)[0]
        waiting = before_jurist.split(EXAMPLE_QUESTIONS[-2].question)[1]
        assert "Namenherkenning (deduce) wordt eenmalig opgebouwd" in waiting
    engine = build_engine(settings)  # the normal data directory: `serve` shows the examples
    try:
        assert engine.collections() == {
            "besluiten": 2, "bezwaar": 2, "moties": 2, "raadsvoorstellen": 1, "woo": 1
        }  # fmt: skip
        asked = [r.input for r in engine.audit.records() if r.action == "ask"]
    finally:
        engine.close()
    answering = answer_settings(settings) is not None
    assert len(asked) == (len(EXAMPLE_QUESTIONS) if answering else 0)
    again = CliRunner().invoke(app, args)  # a second run changes nothing in the index
    assert again.exit_code == 0 and "Index: 8 documenten" in again.stdout
