"""Lists of documents from the catalog ("Welke beslissingen op bezwaar zijn in 2021
genomen?"): what a list question asks, and the cited list or the refusal an answer gives,
per user's access and pseudonymised where the collection is sensitive; on PDFs made with
PyMuPDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.listing import asked_timeline, document_list

from .pdfs import write_pdf

DECISIONS = {
    "bezwaar/beslissing_parkeren_2021.pdf": (
        "Beslissing op bezwaar parkeervergunning Laakkwartier\n\n"
        "Datum 12 maart 2021\n\n"
        "Geachte heer Bartholomeus Kwakernaak,\n\n"
        "U heeft bezwaar gemaakt tegen de weigering van een parkeervergunning voor de "
        "Hoefkade. De parkeervergunning is terecht geweigerd: in het parkeergebied "
        "Laakkwartier geldt een plafond voor parkeervergunningen. Wij verklaren uw bezwaar "
        "ongegrond. Tegen deze beslissing op bezwaar kunt u binnen zes weken beroep instellen."
    ),
    "bezwaar/beslissing_kapvergunning_2022.pdf": (
        "Beslissing op bezwaar kapvergunning Zorgvliet\n\n"
        "Datum 3 februari 2022\n\n"
        "U heeft bezwaar gemaakt tegen de kapvergunning voor drie eiken aan de "
        "Zorgvlietstraat. De bomen zijn ziek; de kapvergunning blijft in stand. Wij "
        "verklaren uw bezwaar ongegrond. Tegen deze beslissing op bezwaar kunt u binnen zes "
        "weken beroep instellen."
    ),
    "woo/besluit_woo_parkeren_2021.pdf": (
        "Besluit op uw Woo-verzoek over parkeertarieven\n\n"
        "Datum 5 mei 2021\n\n"
        "U heeft op grond van de Wet open overheid gevraagd om documenten over de "
        "parkeertarieven. Wij maken de documenten gedeeltelijk openbaar."
    ),
}


@pytest.fixture
def engine(make_settings: Any, tmp_path: Path) -> Any:
    for name, text in DECISIONS.items():
        write_pdf(tmp_path / "ingest" / name, [text])
    engine = build_engine(
        make_settings(
            llm={"provider": "extractive"},
            access={"groups": {"juristen": ["jurist"]}, "collections": {"bezwaar": ["juristen"]}},
        )
    )
    assert engine.ingest(embed=False).failed == []
    yield engine
    engine.close()


def test_a_list_question_is_read_for_its_kind_period_place_and_subject() -> None:
    asked = document_list("Welke beslissingen op bezwaar zijn er in 2021 genomen?")
    assert asked is not None and asked.kind == "beslissing_op_bezwaar"
    assert (asked.since, asked.until, asked.subject) == (
        date(2021, 1, 1),
        date(2021, 12, 31),
        set(),
    )
    asked = document_list("Hoeveel Wob-besluiten van Amsterdam gaan over de Noord/Zuidlijn?")
    assert asked is not None and asked.kind == "woo_besluit" and asked.counted
    assert asked.places == ("Amsterdam",) and asked.since is None
    assert asked.subject_words == "Noord/Zuidlijn" or "zuidlijn" in " ".join(asked.subject)
    periods = {
        "na 2020": (date(2021, 1, 1), None),
        "voor 2021": (None, date(2020, 12, 31)),
        "tot en met 2021": (None, date(2021, 12, 31)),
        "tussen 2019 en 2021": (date(2019, 1, 1), date(2021, 12, 31)),
    }
    for words, period in periods.items():
        listed = document_list(f"Welke brieven zijn {words} verstuurd?")
        assert listed is not None and (listed.since, listed.until) == period, words
    asked = document_list("Welke raadsvoorstellen zijn er sinds 2024 over parkeren?")
    assert asked is not None and (asked.since, asked.until) == (date(2024, 1, 1), None)
    assert asked.subject_words == "parkeren"
    # One document's facts, a count inside one, the council's motions: no list of documents.
    assert (
        document_list("Welke beslissing op bezwaar over de kapvergunning noemt de eiken?") is None
    )
    assert document_list("Hoeveel documenten vond stadsdeel Zuid bij het Wob-verzoek?") is None
    assert document_list("Welke moties over parkeren zijn aangenomen?") is None


def test_documents_of_a_kind_and_year_are_listed_with_their_dated_page(engine: Engine) -> None:
    extractive = engine.ask(
        "Welke beslissingen op bezwaar zijn er in 2021 genomen?", user="jurist"
    ).extractive
    assert extractive is not None and not extractive.refused
    assert [item.field for item in extractive.listing] == ["document"]
    (item,) = extractive.listing
    assert "parkeervergunning Laakkwartier" in item.text and "12 maart 2021" in item.text
    (quote,) = extractive.quotes
    assert quote.n == item.n and quote.page == 1 and "12 maart 2021" in quote.text
    assert quote.file == "bezwaar/beslissing_parkeren_2021.pdf"
    assert extractive.render().startswith("Beslissingen op bezwaar (1):")


def test_a_subject_keeps_the_documents_about_it(engine: Engine) -> None:
    extractive = engine.ask(
        "Welke beslissingen op bezwaar gaan over de kapvergunning?", user="jurist"
    ).extractive
    assert extractive is not None and not extractive.refused
    assert [i.text.split(" (")[0] for i in extractive.listing] == [
        "Beslissing op bezwaar kapvergunning Zorgvliet"
    ]
    counted = engine.ask("Hoeveel beslissingen op bezwaar zijn er?", user="jurist").extractive
    assert counted is not None and counted.listing_heading.startswith("Aantal: 2 beslissingen")


def test_no_document_of_the_asked_kind_says_what_was_looked_for(engine: Engine) -> None:
    none = engine.ask(
        "Welke beslissingen op bezwaar zijn er in 2019 genomen?", user="jurist"
    ).extractive
    assert none is not None and none.refused and not none.listing
    assert none.reason == ("Er zijn geen beslissingen op bezwaar uit 2019 geïndexeerd.")
    other = engine.ask(
        "Welke beslissingen op bezwaar gaan over windturbines?", user="jurist"
    ).extractive
    assert other is not None and other.refused
    assert other.reason == "Geen van de 2 beslissingen op bezwaar gaat over windturbines."


def test_a_list_holds_only_what_the_user_may_see(engine: Engine) -> None:
    seen = engine.ask("Welke beslissingen op bezwaar zijn er in 2021 genomen?", user="griffie")
    assert seen.extractive is not None and seen.extractive.refused
    assert "Kwakernaak" not in seen.extractive.render()
    woo = engine.ask("Welke Woo-besluiten zijn er in 2021 genomen?", user="griffie").extractive
    assert woo is not None and [i.text.split(" (")[0] for i in woo.listing] == [
        "Besluit op uw Woo-verzoek over parkeertarieven"
    ]


def test_a_listed_line_of_a_sensitive_collection_is_pseudonymised(
    make_settings: Any, tmp_path: Path
) -> None:
    letter = (
        "Beslissing op bezwaar van Bartholomeus Kwakernaak\n\n"
        "Datum 12 maart 2021\n\n"
        "Bartholomeus Kwakernaak heeft bezwaar gemaakt tegen de weigering van een "
        "parkeervergunning. Wij verklaren het bezwaar ongegrond."
    )
    write_pdf(tmp_path / "ingest" / "bezwaar" / "beslissing.pdf", [letter])
    engine = build_engine(make_settings(llm={"provider": "extractive"}))
    try:
        assert engine.ingest(embed=False).failed == []
        answer = engine.ask("Welke beslissingen op bezwaar zijn er in 2021 genomen?")
        extractive = answer.extractive
        assert extractive is not None and len(extractive.listing) == 1
        assert "Kwakernaak" not in extractive.render()
        assert "[PERSOON-" in extractive.listing[0].text
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("question", "matter"),
    [
        ("Hoe heeft de discussie over sleutelgeld zich ontwikkeld?", "sleutelgeld"),
        ("Wat is de voorgeschiedenis van de motie over hoogbegaafdheid?",
         "de motie over hoogbegaafdheid"),
        ("Geef een tijdlijn van het referendum over parkeren", "het referendum over parkeren"),
        ("Tijdlijn rond de Voorjaarsnota 2025", "de Voorjaarsnota 2025"),
        # Other questions: a vote, a motion's outcome, what happened in one meeting.
        ("Hoe verliep de stemming over de motie over sleutelgeld?", None),
        ("Wat is er gebeurd met de motie over hoogbegaafdheid?", None),
        ("Hoe heeft de raad over de motie gestemd?", None),
    ],
)  # fmt: skip
def test_a_timeline_question_names_its_matter(question: str, matter: str | None) -> None:
    assert asked_timeline(question) == matter


TIMELINE = {
    "moties/motie_sleutelgeld.pdf": (
        "Motie: Ga de strijd aan tegen sleutelgeld\n\n"
        "De raad van de gemeente Testdorp, in vergadering bijeen op 13 maart 2025,\n\n"
        "verzoekt het college het innen van sleutelgeld actief tegen te gaan.\n\n"
        "Indiener: Lesley Arp, SP"
    ),
    "brieven/afdoening_sleutelgeld.pdf": (
        "Afdoening motie 'Ga de strijd aan tegen sleutelgeld'\n\nDatum 27 mei 2025\n\n"
        "Met de motie 'Ga de strijd aan tegen sleutelgeld' verzocht de raad het college het "
        "innen van sleutelgeld tegen te gaan. Het college beschouwt de motie als afgedaan."
    ),
    "raadsvoorstellen/referendum.pdf": (
        "Voorstel van het college inzake startnotitie referendum parkeren\n\n"
        "Datum 27 januari 2025\n\nDe raad van de gemeente Testdorp,\n\nbesluit:\n\n"
        "I. een referendum over parkeren te houden op 21 mei 2025.\n\n"
        "Aldus verworpen in de openbare raadsvergadering van 13 februari 2025."
    ),
    "beleid/begroting.pdf": (
        "Begroting 2025\n\nDatum 1 oktober 2024\n\nDe begroting gaat over de jeugdzorg, de "
        "wegen en de bibliotheek van Testdorp."
    ),
}


def test_a_timeline_lists_a_matters_documents_in_date_order(
    make_settings: Any, tmp_path: Path
) -> None:
    for name, text in TIMELINE.items():
        write_pdf(tmp_path / "ingest" / name, [text])
    engine = build_engine(make_settings(llm={"provider": "extractive"}))
    try:
        assert engine.ingest(embed=False).failed == []
        asked = "Hoe heeft de discussie over sleutelgeld zich ontwikkeld?"
        timeline = engine.ask(asked).extractive
        assert timeline is not None and not timeline.refused
        assert [item.field for item in timeline.listing] == ["timeline", "timeline"]
        first, letter = timeline.listing
        assert first.text.startswith("13 maart 2025: Motie: Ga de strijd aan tegen sleutelgeld")
        assert letter.text.startswith("27 mei 2025: Afdoening motie")
        assert timeline.listing_heading == "Tijdlijn (2)"
        assert timeline.quotes[letter.n - 1].file == "brieven/afdoening_sleutelgeld.pdf"
        # A proposal's decision stamp is the council's step, on its own day.
        proposal = engine.ask("Geef een tijdlijn van het referendum over parkeren").extractive
        assert proposal is not None
        assert [item.text for item in proposal.listing] == [
            "27 januari 2025: Voorstel van het college inzake startnotitie referendum parkeren "
            "(raadsvoorstel)",
            "13 februari 2025: Voorstel van het college inzake startnotitie referendum "
            "parkeren (verworpen door de raad)",
        ]
        # Both on the proposal's page, each step quoting its own line there.
        assert [(q.n, q.text) for q in proposal.quotes] == [
            (1, "Datum 27 januari 2025"),
            (1, "Aldus verworpen in de openbare raadsvergadering van 13 februari 2025."),
        ]
        # A matter no document is about: said so, not the nearest document's dossier.
        unknown = engine.ask("Hoe heeft de kabelbaan zich ontwikkeld?").extractive
        assert unknown is not None and unknown.refused and not unknown.listing
        assert unknown.reason == "Er is geen dossier over de kabelbaan gevonden."
    finally:
        engine.close()
