"""Who spoke about a subject in the minutes ("Welke raadsleden spraken over de Haagse
Markt?"): one cited line per speaker (or party) whose turns speak of it; on minutes made
with PyMuPDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.engine import Engine
from raadsinzicht.spoken import asked_speakers

from .engines import engine_over

_FILLER = "Dit punt is eerder in de commissie besproken en daar toegelicht. " * 12
MINUTES = [
    "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden op "
    "donderdag 13 maart 2025.\n\n"
    "De voorzitter. Aan de orde is de toekomst van de Haagse Markt.\n\n"
    "Lesley Arp (SP). De Haagse Markt verdient een overkapping voor de kramen. " + _FILLER,
    "Robin Smit (PvdD). Wij willen minder plastic in de supermarkt. Haagse ondernemers "
    "verdienen steun. " + _FILLER + "\n\n"
    "Wethouder Balster (PvdA). Het college onderzoekt een overkapping van de Haagse Markt. "
    + _FILLER,
    "Isabel Bos (GroenLinks). Ook GroenLinks wil een overkapping op de Haagse Markt, zodat "
    "de markt het hele jaar open kan. " + _FILLER,
    # Den Haag marks a resident who speaks in (inspreker) with the agenda item's letter.
    "De heer Roos (F). Ik sta al dertig jaar op de Haagse Markt en vraag u om een "
    "overkapping. " + _FILLER,
]


@pytest.fixture
def engine(make_settings: Any, tmp_path: Path) -> Iterator[Engine]:
    documents = {"notulen/notulen-maart.pdf": MINUTES}
    with engine_over(make_settings, tmp_path / "inbox", documents) as built:
        yield built


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Welke raadsleden spraken over de Haagse Markt?", "de Haagse Markt"),
        ("Wie sprak er namens de SP over sleutelgeld?", "sleutelgeld"),
        ("Welke partijen hebben gesproken over het Haagse Bos?", "het Haagse Bos"),
        ("Wat zei de SP over sleutelgeld?", None),
        ("Wie hebben er ingesproken over de Haagse Markt?", "de Haagse Markt"),
        ("Wie diende de motie over de Haagse Markt in?", None),
    ],
)
def test_asked_speakers(question: str, subject: str | None) -> None:
    assert asked_speakers(question) == subject


def test_the_speakers_on_a_subject_are_listed_with_their_words(engine: Engine) -> None:
    # The chair announcing it, a member saying "Haagse" and "supermarkt", and the alderman
    # (no member) are not listed.
    extractive = engine.ask("Welke raadsleden spraken over de Haagse Markt?").extractive
    assert extractive is not None and not extractive.refused
    assert extractive.listing_heading == "Sprekers (2)"
    assert sorted(item.text for item in extractive.listing) == [
        "Isabel Bos (GroenLinks), 13 maart 2025",
        "Lesley Arp (SP), 13 maart 2025",
    ]
    assert {quote.text for quote in extractive.quotes} == {
        "De Haagse Markt verdient een overkapping voor de kramen.",
        "Ook GroenLinks wil een overkapping op de Haagse Markt, zodat de markt het hele jaar "
        "open kan.",
    }
    parties = engine.ask("Welke partijen spraken over de Haagse Markt?").extractive
    assert parties is not None
    assert sorted(item.text for item in parties.listing) == [
        "GroenLinks: Isabel Bos, 13 maart 2025",
        "PvdA: wethouder Balster, 13 maart 2025",
        "SP: Lesley Arp, 13 maart 2025",
    ]


def test_who_spoke_in_are_the_residents(engine: Engine) -> None:
    # "inspreken": the resident who spoke in the inspraak, not the members or the alderman.
    for question in (
        "Wie sprak er in over de Haagse Markt?",
        "Wie hebben er ingesproken over de Haagse Markt?",
    ):
        answer = engine.ask(question).extractive
        assert answer is not None and not answer.refused, question
        assert [item.text for item in answer.listing] == ["inspreker Roos, 13 maart 2025"]
    everyone = engine.ask("Wie sprak er over de Haagse Markt?").extractive
    assert everyone is not None and len(everyone.listing) == 4


def test_the_insprekers_of_a_meeting_day_are_listed_in_order(engine: Engine) -> None:
    # No subject, a day: "Welke insprekers waren er op …?" had quoted a member saying "Er
    # zijn ook insprekers op."
    for question in (
        "Welke insprekers waren er op 13 maart 2025?",
        "Wie sprak er in bij de raadsvergadering van 13 maart 2025?",
    ):
        answer = engine.ask(question).extractive
        assert answer is not None and not answer.refused, question
        assert [item.text for item in answer.listing] == ["inspreker Roos, 13 maart 2025"]
        (quote,) = answer.quotes
        assert quote.text.startswith("Ik sta al dertig jaar op de Haagse Markt") and quote.page == 4
    counted = engine.ask("Hoeveel insprekers waren er op 13 maart 2025?").extractive
    assert counted is not None and counted.listing_heading == "Aantal: 1 inspreker"
    other_day = engine.ask("Welke insprekers waren er op 14 maart 2025?")
    assert other_day.refused
    assert "In de gevonden stukken staan geen notulen van 14 maart 2025." in other_day.text


def test_a_long_list_of_insprekers_shows_the_first_and_counts_all(
    make_settings: Any, tmp_path: Path
) -> None:
    # As the corpus's budget debate of 13 November 2024 (46 insprekers): the first eight,
    # as a list of motions shows them, and how many there were.
    names = ["Celtik", "Monkhorst", "Smith", "Rooselaar", "Mellema", "Mertens", "Budhan",
             "Theos", "Drijver", "Vollebregt"]  # fmt: skip
    turns = "\n\n".join(
        f"De heer {name} (F). Ik woon al twintig jaar in de wijk en vraag u om steun."
        for name in names
    )
    minutes = [
        "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden op "
        "woensdag 13 november 2024.\n\nDe voorzitter. Er zijn tien insprekers.\n\n" + turns
    ]
    documents = {"notulen/notulen-november.pdf": minutes}
    with engine_over(make_settings, tmp_path / "inbox", documents) as engine:
        listed = engine.ask("Welke insprekers waren er op 13 november 2024?").extractive
        assert (
            listed is not None and listed.listing_heading == "Sprekers (8, en nog 2 in de notulen)"
        )
        assert [item.text.split(",")[0] for item in listed.listing] == [
            f"inspreker {name}" for name in names[:8]
        ]
        counted = engine.ask("Hoeveel insprekers waren er op 13 november 2024?").extractive
        assert counted is not None
        assert counted.listing_heading == "Aantal: 10 insprekers, de eerste 8"


def test_nobody_speaking_of_it_is_said(engine: Engine) -> None:
    answer = engine.ask("Wie sprak er namens de VVD over de Haagse Markt?")
    assert answer.refused
    assert "In de notulen sprak niemand namens VVD over de Haagse Markt." in answer.text
