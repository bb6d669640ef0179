"""The municipalities and provinces a question names, and whether a document speaks of
them (the refusal of questions about another place than the documents)."""

from __future__ import annotations

import pytest

from raadsinzicht.places import mentions, places_named
from raadsinzicht.wordlists import municipalities


def test_the_municipalities_are_written_as_dutch_writes_them() -> None:
    names = municipalities()
    assert len(names) > 340  # 342 in 2025, plus the places deduce lists under two names
    assert {"Den Haag", "Aa en Hunze", "'s-Hertogenbosch", "Bergen op Zoom"} <= set(names)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Hoeveel laadpalen plaatste de gemeente Eindhoven in 2024?", ["Eindhoven"]),
        ("Wat besloot de Haagse raad over parkeren?", ["Den Haag"]),
        (
            "Welke afspraken maakte Alphen aan den Rijn met Leiden?",
            ["Alphen aan den Rijn", "Leiden"],
        ),
        ("Wat vinden Leidse en Amsterdamse huurders?", ["Leiden", "Amsterdam"]),
        (
            "Hoeveel windmolens staan er in Overijssel en in de Zeeuwse polders?",
            ["Overijssel", "Zeeland"],
        ),
        ("Wat zegt het besluit in ’s-Gravenhage?", ["Den Haag"]),
        # Words that are also place names, and names that only open the question.
        ("Welke maatregelen leiden tot minder parkeerdruk?", []),
        ("Wat is de beste aanpak van buren met overlast?", []),
        ("Best: wat besloot de raad?", []),
    ],
)
def test_places_named(question: str, named: list[str]) -> None:
    assert places_named(question) == named


def test_mentions_any_form_the_document_uses() -> None:
    assert mentions(["GEMEENTE DEN HAAG", "Raadsvoorstel"], "Den Haag")
    assert mentions(["Het college van burgemeester en wethouders van ’s-Gravenhage"], "Den Haag")
    assert mentions(["Haagse ondernemers"], "Den Haag")
    assert mentions(["geen plaatsnaam"], "Den Haag", file="notulen/denhaag_2025_notulen.pdf")
    assert not mentions(["Deze maatregelen leiden tot minder parkeerdruk."], "Leiden")
    assert not mentions(["De gemeente Den Haag"], "Rotterdam", file="besluiten/denhaag.pdf")
