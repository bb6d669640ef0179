"""Who attended a meeting ("Wie was er afwezig bij de raadsvergadering van 13 maart 2025?"):
read from the first page of its minutes or decision list and cited there; on documents made
with PyMuPDF, two meetings apart by their day."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.attendance import asked_role, asks_attendance
from raadsinzicht.engine import Engine

from .engines import engine_over

_MEMBERS = ", ".join(f"Lid{n} (VVD)" for n in range(1, 45))
DECISIONS_MARCH = [
    "Besluitenlijst\n\nRaad\n\nDatum en tijd\n13 maart 2025, 13.30 uur\n\nLocatie\nStadhuis\n\n"
    f"Deelnemers vergadering\nAanwezig zijn 44 leden: {_MEMBERS}\n\nAfwezig: Faïd (HSP)\n\n"
    "A Vaststelling agenda Conform\nB Voorstel van het college inzake de Strandvisie "
    "Aangenomen",
]
DECISIONS_JANUARY = [
    "Besluitenlijst\n\nRaad\n\nDatum en tijd\n23 januari 2025, 13.30 uur\n\n"
    f"Deelnemers vergadering\nAanwezig zijn 45 leden: {_MEMBERS}, Faïd (HSP)\n\nAfwezig\n\n-\n\n"
    "A Vaststelling agenda Conform\nB Voorstel van het college inzake het Speeltuinenplan "
    "Aangenomen",
]
MINUTES_NOVEMBER = [
    "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden op "
    "woensdag 13 november 2024.\n\nVoorzitter: de burgemeester.\n\n"
    "De voorzitter. Aangezien het vereiste aantal leden aanwezig is, kan de vergadering "
    "voortgang vinden. Bericht van verhindering is ontvangen van de heer Van den Goorbergh "
    "en van de heer Sewtahal in verband met ziekte. Mevrouw De Groot is vanaf 16.00 uur "
    "aanwezig.\n\nAan de orde is de begroting 2025.",
]
# As the corpus's minutes of 12 June 2025: the header names chair and clerk on one line; a
# deputy chairs part of the meeting later on.
MINUTES_JUNE = [
    "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden op "
    "donderdag 12 juni 2025.\n\nVoorzitter: de burgemeester, mr. J.H.C. van Zanen Griffier: "
    "drs. C.G.C.M. Blankwaard-Rombouts\n\nDe voorzitter. Aangezien het vereiste aantal leden "
    "aanwezig is, kan de vergadering voortgang vinden.\n\nAan de orde is de Voorjaarsnota.",
    "Voorzitter: de heer Sluijs.\n\nDe voorzitter. Aan de orde is de stemming over de "
    "Voorjaarsnota.",
]


@pytest.fixture
def engine(make_settings: Any, tmp_path: Path) -> Iterator[Engine]:
    documents = {
        "raad/besluitenlijst-maart.pdf": DECISIONS_MARCH,
        "raad/besluitenlijst-januari.pdf": DECISIONS_JANUARY,
        "raad/notulen-november.pdf": MINUTES_NOVEMBER,
        "raad/notulen-juni.pdf": MINUTES_JUNE,
    }
    with engine_over(make_settings, tmp_path / "inbox", documents) as built:
        yield built


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Wie was er afwezig bij de raadsvergadering van 13 maart 2025?", True),
        ("Hoeveel raadsleden waren aanwezig?", True),
        ("Wie had zich afgemeld voor de vergadering?", True),
        ("Was de raad voltallig?", True),
        ("Wie stond er als enige niet op de presentielijst van de zitting?", True),
        ("Wie ontbrak er bij de raadsvergadering?", True),
        ("Wie diende de motie over sleutelgeld in?", False),
        ("Welke raadsleden spraken over de Haagse Markt?", False),
    ],
)
def test_asks_attendance(question: str, asked: bool) -> None:
    assert asks_attendance(question) is asked


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Wie was de voorzitter van de raadsvergadering van 12 juni 2025?", "Voorzitter"),
        ("Wie zat de raadsvergadering van 13 maart 2025 voor?", "Voorzitter"),
        ("Wie was griffier bij de raadsvergadering van 19 december 2024?", "Griffier"),
        ("Wie was voorzitter van het bestuurlijk overleg over ZSDZ?", "Voorzitter"),
        # No meeting: its minutes do not say who chairs a committee or the Raad van State.
        ("Wie is de voorzitter van de Adviescommissie bezwaarschriften?", None),
        ("Wie is de voorzitter van de Raad van State?", None),
        ("Wie is de voorzitter van de SP?", None),
        ("Wie was er afwezig bij de raadsvergadering?", None),
    ],
)
def test_asked_role(question: str, role: str | None) -> None:
    assert asked_role(question) == role


def test_who_chaired_or_clerked_is_read_from_the_minutes_header(engine: Engine) -> None:
    asked = "Wie was de voorzitter van de raadsvergadering van 12 juni 2025?"
    text, file, quotes = _answer(engine, asked)
    assert (text, file) == ("de burgemeester, mr. J.H.C. van Zanen", "notulen-juni.pdf")
    assert quotes[0].startswith("Voorzitter: de burgemeester, mr. J.H.C. van Zanen")
    asked = "Wie was griffier bij de raadsvergadering van 12 juni 2025?"
    text, file, quotes = _answer(engine, asked)
    assert (text, file) == ("drs. C.G.C.M. Blankwaard-Rombouts", "notulen-juni.pdf")
    assert quotes[0] == "Griffier: drs. C.G.C.M. Blankwaard-Rombouts"


def _answer(engine: Engine, question: str) -> tuple[str | None, str, list[str]]:
    """The answer line, the file of its citation and the quotes."""
    answer = engine.ask(question).extractive
    assert answer is not None and not answer.refused, question
    assert answer.direct is not None, question
    cited = answer.sources[answer.direct.n - 1]
    return answer.direct.text, Path(cited.file).name, [q.text for q in answer.quotes]


def test_who_was_absent_is_read_from_the_meeting_of_the_asked_day(engine: Engine) -> None:
    text, file, quotes = _answer(
        engine, "Wie was er afwezig bij de raadsvergadering van 13 maart 2025?"
    )
    assert (text, file) == ("Faïd (HSP)", "besluitenlijst-maart.pdf")
    assert quotes == ["Afwezig: Faïd (HSP)"]
    text, _, _ = _answer(
        engine, "Wie stond er als enige niet op de presentielijst van de raad op 13 maart 2025?"
    )
    assert text == "Faïd (HSP)"
    # Another day's decision list says nobody was: not the March absentee.
    text, file, _ = _answer(
        engine, "Was iedereen aanwezig bij de raadsvergadering van 23 januari 2025?"
    )
    assert (text, file) == ("niemand afwezig", "besluitenlijst-januari.pdf")
    # Minutes without the label: the chair's sentence, quoted whole.
    text, file, quotes = _answer(
        engine, "Wie had zich afgemeld voor de raadsvergadering van 13 november 2024?"
    )
    assert (text, file) == ("de heer Van den Goorbergh en de heer Sewtahal", "notulen-november.pdf")
    assert quotes[0].startswith("Bericht van verhindering is ontvangen van de heer Van den")


def test_how_many_were_present_is_the_recorded_count(engine: Engine) -> None:
    text, file, quotes = _answer(engine, "Hoeveel raadsleden waren aanwezig op 13 maart 2025?")
    assert (text, file) == ("44 leden", "besluitenlijst-maart.pdf")
    assert quotes[0].startswith("Aanwezig zijn 44 leden: Lid1 (VVD), Lid2 (VVD)")
    # Who was present: the list, cut after a whole entry.
    text, _, _ = _answer(engine, "Wie waren aanwezig bij de raadsvergadering van 23 januari 2025?")
    assert text is not None and text.startswith("45 leden: Lid1 (VVD), ") and text.endswith(", …")
    assert len(text) < 270


def test_a_day_without_a_meeting_document_is_said_so(engine: Engine) -> None:
    answer = engine.ask("Wie was afwezig bij de raadsvergadering van 14 februari 2025?").extractive
    assert answer is not None and answer.refused and answer.direct is None
    assert answer.reason == (
        "In de gevonden stukken staan geen notulen of besluitenlijst van 14 februari 2025."
    )
