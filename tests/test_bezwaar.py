"""Bezwaar intake: the Awb deadline as a pure function (6:7, 6:8, 6:9, Algemene
termijnenwet), generated objection letters (fictional people, valid-checksum BSN and IBAN)
through the CLI and the fake Ollama server without any personal data reaching the model,
and the real beslissingen op bezwaar of the corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raadsinzicht import privacy
from raadsinzicht.bezwaar import beoordeel_termijn
from raadsinzicht.cli import app
from raadsinzicht.engine import build_engine
from raadsinzicht.settings import load_settings
from raadsinzicht.termijnen import atw_verlenging, awb_termijn, easter_sunday, public_holidays

from .fake_ollama import FakeOllama
from .letters import PEOPLE, letter_secrets, logged_text, objection_letter, write_letter

MODEL = "gemma3:4b"


@pytest.fixture(scope="session")
def detector() -> None:
    privacy.load_detector()  # once per session: ~20 s


# -- the deadline, pure ---------------------------------------------------------------------


def test_six_weeks_start_the_day_after_sending() -> None:
    # The Awb example: sent 1 March, the period starts 2 March, the last day is 12 April.
    assert awb_termijn(date(2024, 3, 1)) == (date(2024, 3, 2), date(2024, 4, 12), date(2024, 4, 12))


@pytest.mark.parametrize(
    ("sent", "statutory", "extended"),
    [
        (date(2025, 3, 1), date(2025, 4, 12), date(2025, 4, 14)),  # Saturday -> Monday
        (date(2024, 12, 5), date(2025, 1, 16), date(2025, 1, 16)),  # Thursday: no change
        (date(2025, 3, 10), date(2025, 4, 21), date(2025, 4, 22)),  # tweede Paasdag
        (date(2025, 4, 17), date(2025, 5, 29), date(2025, 5, 30)),  # Hemelvaartsdag
        (date(2025, 3, 24), date(2025, 5, 5), date(2025, 5, 6)),  # 5 mei, also in 2025
        (date(2025, 11, 13), date(2025, 12, 25), date(2025, 12, 29)),  # Kerst + weekend
        (date(2026, 3, 16), date(2026, 4, 27), date(2026, 4, 28)),  # Koningsdag (Monday)
        (date(2025, 3, 7), date(2025, 4, 18), date(2025, 4, 18)),  # Goede Vrijdag: no holiday
    ],
)
def test_algemene_termijnenwet_extends_to_the_next_working_day(
    sent: date, statutory: date, extended: date
) -> None:
    _, last, real = awb_termijn(sent)
    assert (last, real) == (statutory, extended)


def test_holidays() -> None:
    assert [easter_sunday(y) for y in (2000, 2024, 2025, 2026, 2038)] == [
        date(2000, 4, 23), date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5),
        date(2038, 4, 25),
    ]  # fmt: skip
    assert public_holidays(2025)[date(2025, 4, 26)] == "Koningsdag"  # 27 April is a Sunday
    assert date(2024, 5, 20) in public_holidays(2024)  # tweede Pinksterdag
    assert atw_verlenging(date(2025, 12, 24)) == (date(2025, 12, 24), [])
    day, reasons = atw_verlenging(date(2025, 12, 25))
    assert day == date(2025, 12, 29) and len(reasons) == 4


def test_timeliness_receipt_letter_and_post() -> None:
    sent = date(2025, 3, 4)  # last day 15 April 2025 (Tuesday)
    ok = beoordeel_termijn(bekendgemaakt=sent, ontvangen=date(2025, 4, 15))
    assert (ok.oordeel, ok.grondslag) == ("tijdig", "ontvangstdatum")
    assert ok.laatste_dag == date(2025, 4, 15)
    late = beoordeel_termijn(bekendgemaakt=sent, ontvangen=date(2025, 4, 23))
    assert late.oordeel == "te laat" and any("6:11" in line for line in late.toelichting)
    # Awb 6:9 lid 2: posted in time, received within a week after the end.
    posted = beoordeel_termijn(
        bekendgemaakt=sent, ontvangen=date(2025, 4, 18), ter_post=date(2025, 4, 15)
    )
    assert (posted.oordeel, posted.grondslag) == ("tijdig", "datum ter post bezorgd")
    # Only the letter's date says it may have been posted in time: for a jurist to check.
    maybe = beoordeel_termijn(
        bekendgemaakt=sent, ontvangen=date(2025, 4, 18), dagtekening=date(2025, 4, 14)
    )
    assert maybe.oordeel == "onbekend" and any("poststempel" in t for t in maybe.toelichting)
    by_letter = beoordeel_termijn(bekendgemaakt=sent, dagtekening=date(2025, 4, 10))
    assert (by_letter.oordeel, by_letter.grondslag) == ("tijdig", "dagtekening bezwaarschrift")
    assert beoordeel_termijn(bekendgemaakt=sent, dagtekening=date(2025, 5, 1)).oordeel == "te laat"
    assert beoordeel_termijn(bekendgemaakt=None, ontvangen=date(2025, 4, 1)).oordeel == "onbekend"
    assert beoordeel_termijn(bekendgemaakt=sent).oordeel == "onbekend"


# -- generated objection letters --------------------------------------------------------------


@pytest.fixture
def letters(tmp_path: Path) -> dict[str, Path]:
    return {kind: write_letter(tmp_path / f"{kind.replace(' ', '_')}.pdf", objection_letter(kind))
            for kind in PEOPLE}  # fmt: skip


def test_generated_letters_without_model(
    letters: dict[str, Path], make_settings, detector: None
) -> None:
    engine = build_engine(make_settings())
    try:
        on_time = engine.bezwaar(letters["tijdig"], use_llm=False).to_dict()
        late = engine.bezwaar(letters["te laat"], use_llm=False).to_dict()
        unknown = engine.bezwaar(letters["onbekend"], use_llm=False).to_dict()
    finally:
        engine.close()
    assert on_time["termijn"]["oordeel"] == "tijdig"
    assert on_time["termijn"]["laatste_dag_wettelijk"] == "2025-04-12"  # a Saturday
    assert on_time["termijn"]["laatste_dag"] == "2025-04-14"
    assert on_time["termijn"]["grondslag"] == "ontvangstdatum"
    assert late["termijn"]["oordeel"] == "te laat"
    assert late["bestreden_besluit"]["datum"]["datum"] == "2025-02-03"
    assert late["datum_ontvangst"]["datum"] == "2025-04-03"
    assert any("dagtekening" in note for note in late["opmerkingen"])  # sending date assumed
    assert late["hoorzitting"]["status"] == "afgezien"
    # Without a "Gronden" heading the reasons follow the objection in the same paragraph.
    assert [g["pagina"] for g in late["gronden"]] == [1]
    assert "te hoog vastgesteld" in late["gronden"][0]["tekst"]
    assert any("auto nodig" in g["citaat"] for g in unknown["gronden"])
    assert unknown["termijn"]["oordeel"] == "onbekend"
    assert unknown["bestreden_besluit"]["datum"] is None
    assert unknown["datum_bezwaarschrift"]["datum"] == "2025-05-05"
    assert unknown["verzoek"]["pagina"] == 1
    for kind, data in (("tijdig", on_time), ("te laat", late), ("onbekend", unknown)):
        text = json.dumps(data, ensure_ascii=False)
        assert data["indiener"] and data["indiener"].startswith("[PERSOON-")
        for secret in letter_secrets(kind):
            assert secret not in text, (kind, secret)


@pytest.fixture
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=(MODEL,)) as server:
        yield server


def test_cli_bezwaar_json_through_the_model_without_personal_data(
    letters: dict[str, Path], tmp_path: Path, ollama: FakeOllama, detector: None
) -> None:
    """The issue's done-when: dates, deadline verdict, and nothing personal sent."""
    env = {
        "RAADSINZICHT_LLM__PROVIDER": "ollama",
        "RAADSINZICHT_LLM__OLLAMA_URL": ollama.url,
        "RAADSINZICHT_LLM__OLLAMA_MODEL": MODEL,
    }
    home = tmp_path / "home"
    result = CliRunner().invoke(
        app, ["--home", str(home), "bezwaar", str(letters["tijdig"]), "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    besluit, termijn = data["bestreden_besluit"], data["termijn"]
    assert besluit["datum"]["datum"] == "2025-02-28" and besluit["datum"]["pagina"] == 1
    assert besluit["verzonden_of_bekendgemaakt"]["datum"] == "2025-03-01"
    assert besluit["kenmerk"] == "Z-2025-004512"
    assert data["datum_bezwaarschrift"]["datum"] == "2025-04-11"
    assert data["datum_ontvangst"]["datum"] == "2025-04-14"
    assert (termijn["oordeel"], termijn["eerste_dag"], termijn["laatste_dag"]) == (
        "tijdig", "2025-03-02", "2025-04-14"
    )  # fmt: skip
    assert set(termijn["gebruikte_datums"]) == {
        "verzending/bekendmaking besluit", "ontvangst bezwaarschrift", "dagtekening bezwaarschrift"
    }  # fmt: skip
    assert [g["pagina"] for g in data["gronden"]] == [1, 1, 1]
    assert "omgevingsplan" in data["gronden"][0]["tekst"]
    assert data["verzoek"]["pagina"] == 2 and "herroepen" in data["verzoek"]["citaat"]
    assert data["hoorzitting"]["status"] == "gevraagd"
    assert data["model"] == f"ollama/{MODEL}"
    assert any(g["geformuleerd_door"] == "model" for g in data["gronden"])
    # Nothing personal reached the model, the output or the audit log.
    assert ollama.generation_requests(), "the model was not asked"
    sent = "\n".join(json.dumps(body, ensure_ascii=False) for _, body in ollama.requests)
    engine = build_engine(load_settings(home=home))
    try:
        record = logged_text([r.to_dict() for r in engine.audit.records()])
    finally:
        engine.close()
    for secret in letter_secrets("tijdig"):
        assert secret not in sent, secret
        assert secret not in result.stdout, secret
        assert secret not in record, secret
    assert "[PERSOON-" in json.dumps(data)


# -- the real decisions on objections -----------------------------------------------------------


@pytest.mark.corpus
def test_real_beslissingen_op_bezwaar(corpus_dir: Path, make_settings, detector: None) -> None:
    engine = build_engine(make_settings())
    results = {}
    try:
        for path in sorted((corpus_dir / "bezwaar").glob("*.pdf")):
            results[path.name] = engine.bezwaar(path, use_llm=False).to_dict()
    finally:
        engine.close()
    assert len(results) >= 5
    for name, data in results.items():
        found = data["bestreden_besluit"]["datum"]
        assert data["termijn"]["oordeel"] in ("tijdig", "te laat", "onbekend"), name
        if found is None:
            assert (
                data["termijn"]["oordeel"] == "onbekend"
                or data["bestreden_besluit"]["verzonden_of_bekendgemaakt"]
            ), name
        else:
            assert found["citaat"] and found["pagina"] >= 1, name
    abdup = results["rijk_2021_beslissing-op-bezwaar_wob-abdup-overleg.pdf"]
    assert abdup["bestreden_besluit"]["datum"]["datum"] == "2019-04-18"
    assert abdup["datum_bezwaarschrift"]["datum"] == "2019-05-29"
    concept = results["rijk_2021_beslissing-op-bezwaar_wob-conceptrapport.pdf"]
    assert concept["bestreden_besluit"]["datum"]["datum"] == "2020-12-24"
    assert concept["bestreden_besluit"]["kenmerk"] == "2020-0000255631"
    assert any("Pro-forma" in note for note in concept["opmerkingen"])
    crkbo = results["rijk_2021_beslissing-op-bezwaar_wob-crkbo.pdf"]
    assert crkbo["bestreden_besluit"]["verzonden_of_bekendgemaakt"]["datum"] == "2020-11-28"
    assert crkbo["datum_ontvangst"]["datum"] == "2020-12-18"
    # Published 28 Nov 2020: six weeks end Saturday 9 Jan 2021, so Monday 11 Jan counts.
    assert (crkbo["termijn"]["oordeel"], crkbo["termijn"]["laatste_dag"]) == (
        "tijdig", "2021-01-11"
    )  # fmt: skip
    stationsweg = results[
        "denhaag_2025_beslissing-op-bezwaar_herziening-omgevingsplan-stationsweg.pdf"
    ]
    assert stationsweg["bestreden_besluit"]["datum"]["datum"] == "2024-06-17"
    assert stationsweg["termijn"]["oordeel"] == "tijdig"
    inventory = results["rijk_2021_inventarislijst-beslissing-op-bezwaar_schiphol.pdf"]
    assert inventory["termijn"]["oordeel"] == "onbekend"
