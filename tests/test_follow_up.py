"""A motion's follow-up ("Is de motie over sleutelgeld uitgevoerd?"): the status the
college's newest letter about it gives, cited to that letter, or why there is none; on
PDFs made with PyMuPDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.engine import Engine
from raadsinzicht.follow_up import asks_follow_up

from .engines import engine_over

_MOTION = (
    "Motie: {title}\n\nIndiener: {submitter}\n\n"
    "De raad van de gemeente Den Haag, in vergadering bijeen op 13 maart 2025, "
    "verzoekt het college {request}.\n\nEn gaat over tot de orde van de dag."
)
DOCUMENTS = {
    "moties/motie_sleutelgeld.pdf": [
        _MOTION.format(
            title="Ga de strijd aan tegen sleutelgeld",
            submitter="Lesley Arp, SP",
            request="huurders die sleutelgeld betaalden te wijzen op het meldpunt",
        )
    ],
    "moties/motie_parkeerdrukmeting.pdf": [
        _MOTION.format(
            title="Altijd parkeerdrukmeting",
            submitter="Arjen Dubbelaar, Hart voor Den Haag",
            request="altijd een parkeerdrukmeting te verrichten",
        )
    ],
    "brieven/afdoening_sleutelgeld.pdf": [
        "Gemeente Den Haag\n\nAan de gemeenteraad\n\nDatum\n27 mei 2025\n\nOnderwerp\n"
        "Afdoening motie: ‘Ga de strijd aan tegen sleutelgeld’\n\n"
        "Uw raad heeft op 13 maart 2025 de motie ‘Ga de strijd aan tegen sleutelgeld’ "
        "aangenomen. De motie verzoekt het college huurders die sleutelgeld betaalden te "
        "wijzen op het meldpunt.",
        "Het college geeft op de volgende manier antwoord op deze motie:\n\n"
        "Studenten horen bij de introductieweek dat sleutelgeld verboden is. Het meldpunt "
        "staat op de website van de gemeente.\n\n"
        "Het college beschouwt de motie hiermee als afgedaan.",
    ],
}


@pytest.fixture
def engine(make_settings: Any, tmp_path: Path) -> Iterator[Engine]:
    with engine_over(make_settings, tmp_path / "inbox", DOCUMENTS) as built:
        yield built


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Is de motie over sleutelgeld uitgevoerd?", True),
        ("Hoe staat het met de motie over hoogbegaafdheid?", True),
        ("Wat heeft het college met de motie over sleutelgeld gedaan?", True),
        ("Wanneer wordt de motie over hoogbegaafdheid afgedaan?", True),
        ("Is de motie over sleutelgeld aangenomen?", False),
        # A name asked about a follow-up letter is not its status.
        ("Wie is de contactpersoon voor de afdoening van de motie over sleutelgeld?", False),
        ("Hoe staat het met de uitvoering van het parkeerbeleid?", False),
    ],
)
def test_asks_follow_up(question: str, asks: bool) -> None:
    assert asks_follow_up(question) is asks


def test_the_follow_up_is_the_status_the_colleges_letter_gives(engine: Engine) -> None:
    # The motion itself says what the council asked; the letter says what became of it.
    extractive = engine.ask("Is de motie over sleutelgeld uitgevoerd?").extractive
    assert extractive is not None and not extractive.refused
    assert extractive.direct is not None
    assert extractive.direct.text == "afgedaan (afdoeningsbrief van 27 mei 2025)"
    assert [(q.file, q.page, q.text) for q in extractive.quotes] == [
        (
            "brieven/afdoening_sleutelgeld.pdf",
            2,
            "Het college beschouwt de motie hiermee als afgedaan.",
        ),
        (
            "brieven/afdoening_sleutelgeld.pdf",
            2,
            "Studenten horen bij de introductieweek dat sleutelgeld verboden is.",
        ),
    ]


def test_a_motion_without_a_letter_is_said_to_have_none(engine: Engine) -> None:
    answer = engine.ask("Is de motie over de parkeerdrukmeting uitgevoerd?")
    assert answer.refused
    assert answer.extractive is not None and answer.extractive.quotes == []
    assert (
        "geen afdoeningsbrief of tussenbericht van het college over de motie "
        "‘Altijd parkeerdrukmeting’" in answer.text
    )
