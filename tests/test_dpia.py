"""The DPIA building block describes the live configuration: where data is, who sees it,
how long it is kept, where the model runs; and leaves the municipality's judgement open."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raadsinzicht.algoritmeregister import build_entry, render_markdown
from raadsinzicht.cli import app
from raadsinzicht.dpia import build_dpia, render_dpia
from raadsinzicht.settings import Settings


def _fields(settings: Settings) -> dict[str, str]:
    return {f.key: f.value for f in build_dpia(settings)}


def test_default_configuration_is_local_and_open_about_access(
    make_settings: Callable[..., Settings],
) -> None:
    fields = _fields(make_settings())
    assert "Alles draait op deze machine" in fields["model"]
    assert "geen login" in fields["toegang"] and "alleen deze computer" in fields["toegang"]
    assert "Alle gebruikers zien alle collecties" in fields["toegang"]
    assert "geen beheerdersgroep" in fields["toegang"]
    assert "730 dagen" in fields["bewaartermijnen"]
    assert "bezwaar" in fields["pseudonimisering"]


def test_configuration_changes_show_up(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(
        llm={"ollama_url": "http://gpu-server.intern:11434"},
        web={"users": {"jansen": "scrypt$x$y"}, "host": "0.0.0.0"},
        privacy={"reveal_users": ["jansen"], "sensitive_collections": ["bezwaar", "jeugd"]},
        retention={"audit_days": 400, "pseudonym_days": 90},
        access={"groups": {"beheerders": ["admin"]}, "collections": {"jeugd": ["jeugdzorg"]}},
    )
    fields = _fields(settings)
    assert (
        "jeugd: jeugdzorg" in fields["toegang"]
        and "Alleen leden van beheerders" in (fields["toegang"])
    )
    assert "Let op" in fields["model"] and "gpu-server.intern" in fields["model"]
    access = fields["toegang"]
    assert "1 gebruiker(s)" in access and "mogen alleen zien: jansen" in access
    assert "bezwaar, jeugd" in fields["pseudonimisering"]
    assert "400 dagen" in fields["bewaartermijnen"] and "90 dagen" in fields["bewaartermijnen"]
    markdown = render_dpia(build_dpia(settings))
    assert markdown.startswith("# DPIA-bouwsteen: raadsinzicht")
    assert "## 8. Rechtsgrond en doelbinding ⚠️ in te vullen" in markdown


def test_dpia_cli_json(make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    settings = make_settings()
    result = CliRunner().invoke(app, ["--home", str(settings.home), "dpia", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"rechtsgrond", "noodzaak", "risicos"} <= set(data["in_te_vullen"])
    assert data["standaard"].startswith("Model DPIA Rijksdienst")
    written = tmp_path / "dpia.md"
    result = CliRunner().invoke(app, ["--home", str(settings.home), "dpia", "-o", str(written)])
    assert result.exit_code == 0 and written.read_text().startswith("# DPIA-bouwsteen")


def test_algoritmeregister_keeps_its_own_heading(make_settings: Callable[..., Settings]) -> None:
    text = render_markdown(build_entry(make_settings()))
    assert text.startswith("# Concept-registratie Algoritmeregister: raadsinzicht")
    assert "verwijderen pas na de bewaartermijn van 730 dagen" in text


def test_the_dpia_is_an_admins_view(make_settings: Callable[..., Settings]) -> None:
    from raadsinzicht.access import AccessDeniedError
    from raadsinzicht.engine import build_engine

    settings = make_settings(
        access={"groups": {"beheerders": ["admin"]}, "collections": {"jeugd": ["jeugdzorg"]}}
    )
    engine = build_engine(settings)
    try:
        assert any("jeugd: jeugdzorg" in f.value for f in engine.dpia(user="admin"))
        with pytest.raises(AccessDeniedError, match="Alleen beheerders"):
            engine.dpia(user="jansen")
    finally:
        engine.close()
