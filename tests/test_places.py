"""The municipalities and provinces a question names, and whether a document speaks of
them (the refusal of questions about another place than the documents)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.engine import build_engine
from raadsinzicht.places import another_municipality, mentions, places_named
from raadsinzicht.wordlists import municipalities

from .pdfs import write_pdf


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


def test_a_question_about_one_municipality_prefers_its_documents(
    make_settings: Any, tmp_path: Path
) -> None:
    # Amsterdam's rule shares more of the question's words; the question is about Den Haag.
    inbox = tmp_path / "ingest"
    write_pdf(
        inbox / "regels" / "nadeelcompensatie-amsterdam.pdf",
        [
            "Gemeente Amsterdam\n\nVerordening nadeelcompensatie voor ondernemers\n\n"
            "Een ondernemer die schade lijdt door werkzaamheden aan de weg overlegt zijn "
            "winst-en-verliesgegevens over de laatste drie jaar bij zijn aanvraag om "
            "nadeelcompensatie."
        ],
    )
    write_pdf(
        inbox / "regels" / "nadeelcompensatie-den-haag.pdf",
        [
            "Gemeente Den Haag\n\nVerordening nadeelcompensatie\n\n"
            "Bij de aanvraag legt de aanvrager de jaarstukken over van de vijf jaren "
            "voorafgaand aan de schade."
        ],
    )
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    try:
        assert engine.ingest(embed=False).failed == []
        asked = (
            "Over hoeveel jaar legt een ondernemer zijn winst-en-verliesgegevens over voor "
            "nadeelcompensatie?"
        )
        (first, *_) = engine.search(asked)
        assert first.file == "regels/nadeelcompensatie-amsterdam.pdf"  # no place named
        for about in ("een Haagse ondernemer", "een ondernemer in Den Haag"):
            hits = engine.search(asked.replace("een ondernemer", about))
            assert [h.file for h in hits] == [
                "regels/nadeelcompensatie-den-haag.pdf",
                "regels/nadeelcompensatie-amsterdam.pdf",
            ]
        # A province's document is no other municipality's.
        assert not another_municipality(["Hardenberg"], "Provincie Overijssel", "Windbeleid", "")
        assert not another_municipality(["Overijssel"], "Gemeente Hellendoorn", "Wind", "")
    finally:
        engine.close()
