from __future__ import annotations

from pathlib import Path

import pytest

from raadsinzicht.errors import ConfigError
from raadsinzicht.settings import load_settings


def test_toml_then_environment_then_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "raadsinzicht.toml"
    config.write_text(
        'home = "/data/uit-toml"\n[retrieval]\ntop_k = 5\n[embedding]\nbatch_size = 8\n'
    )
    assert load_settings(config).home == Path("/data/uit-toml")
    monkeypatch.setenv("RAADSINZICHT_HOME", "/data/uit-env")
    monkeypatch.setenv("RAADSINZICHT_EMBEDDING__PROVIDER", "ollama")
    settings = load_settings(config)
    assert settings.home == Path("/data/uit-env")
    assert settings.embedding.provider == "ollama" and settings.embedding.batch_size == 8
    assert settings.retrieval.top_k == 5
    assert load_settings(config, home=tmp_path).home == tmp_path


def test_config_found_in_working_directory(tmp_path: Path) -> None:
    (tmp_path / "raadsinzicht.toml").write_text("[chunking]\ntarget_tokens = 300\n")
    assert load_settings().chunking.target_tokens == 300  # cwd is tmp_path (conftest)


def test_bad_configuration_is_one_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "fout.toml"
    config.write_text('[embedding]\nprovider = "openai"\n')
    with pytest.raises(ConfigError, match=r"embedding\.provider"):
        load_settings(config)
    with pytest.raises(ConfigError, match="niet gevonden"):
        load_settings(tmp_path / "bestaat-niet.toml")
    config.write_text("dit is [geen toml")
    with pytest.raises(ConfigError):
        load_settings(config)
