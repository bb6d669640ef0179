"""Answers quoted from the sources (no language model), direct answers and facts from
metadata, on real PDFs made with PyMuPDF; and the one audit path for every generated
text (abandoned streams, unexpected errors) through the fake Ollama server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.answer import Answer, GenerationStatus, unnamed_direct_answer
from raadsinzicht.chunk import page_texts
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.extractive import REFUSAL, DirectAnswer, ExtractiveAnswer, _repeats
from raadsinzicht.facts import (
    _wants_date,
    _wants_deadline,
    _wants_objection_outcome,
    asked_remedy,
    asks_objector,
    asks_requester,
    asks_signer,
    find_signatures,
    objector_sentences,
    remedy_clauses,
)
from raadsinzicht.grounding import coverage
from raadsinzicht.intent import speech_terms
from raadsinzicht.privacy import contact_details
from raadsinzicht.retrieve import SearchFilters
from raadsinzicht.spans import find_spans, leading_question_type, parties_in, question_type
from raadsinzicht.web.format import extractive_markdown

from .fake_ollama import FakeOllama
from .pdfs import write_pdf

MODEL = "gemma3:4b"

SLEUTELGELD = (
    "Motie: Ga de strijd aan tegen sleutelgeld\n"
    "Indiener: Lesley Arp, SP\n\n"
    "De raad van de gemeente Den Haag, in vergadering bijeen op 13 maart 2025,\n\n"
    "constaterende dat huurders bij het tekenen van een huurcontract sleutelgeld moeten "
    "betalen en dat sleutelgeld verboden is;\n\n"
    "verzoekt het college om een meldpunt voor sleutelgeld in te richten en verhuurders "
    "die sleutelgeld vragen een boete van 5.000 euro op te leggen.\n\n"
    "En gaat over tot de orde van de dag.\n\nLesley Arp\nSP"
)
HOOGBEGAAFD = (
    "Motie: Veranker hoogbegaafdheid in het onderwijs\n\n"
    "De raad van de gemeente Den Haag, in vergadering bijeen op 23 januari 2025,\n\n"
    "constaterende dat naar schatting 25% van de thuiszitters hoogbegaafd is;\n\n"
    "verzoekt het college om hoogbegaafde leerlingen een passende onderwijsplek te bieden."
)
HOOGBEGAAFD_SIGNED = "En gaat over tot de orde van de dag.\n\nCaroline Verduin\nD66\n\naangenomen"
BRIEF = (
    "Brief over de speeltuinen in de wijk Transvaal\n\n"
    "De speeltuinen in Transvaal zijn verouderd en onveilig. Het college vervangt in 2026 "
    "vier speeltoestellen. De kosten bedragen 240.000 euro en worden gedekt uit het "
    "wijkbudget.\n\nDe werkzaamheden starten op 1 april 2026 en duren zes weken."
)

# A Wob decision: the letterhead and the request on page 1, the answer on page 2.
WOB_REQUEST = (
    "Besluit op uw Wob-verzoek over percelen in Drachten\n\n"
    "Mandemaat 3 Assen Postbus 40225 8004 DE ZWOLLE\nT 088 042 42 42\n\n"
    "U heeft met een beroep op de Wet openbaarheid van bestuur gevraagd om informatie over "
    "het gebruik van de percelen in Drachten door hun pachters."
)
WOB_DECISION = (
    "Inventarisatie\n\nNaar aanleiding van uw verzoek is één document aangetroffen. "
    "Het document wordt gedeeltelijk openbaar gemaakt."
)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "ingest"
    write_pdf(folder / "moties" / "sleutelgeld.pdf", [SLEUTELGELD])
    write_pdf(folder / "moties" / "hoogbegaafd.pdf", [HOOGBEGAAFD, HOOGBEGAAFD_SIGNED])
    write_pdf(folder / "brieven" / "speeltuinen.pdf", [BRIEF])
    write_pdf(folder / "woo" / "percelen.pdf", [WOB_REQUEST, WOB_DECISION])
    return folder


@pytest.fixture
def engine(make_settings, inbox: Path) -> Iterator[Engine]:
    """No language model at all (provider extractive), keyword search only."""
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    assert engine.ingest(embed=False).failed == []
    yield engine
    engine.close()


def _page_text(engine: Engine, file: str, page: int) -> str:
    (document,) = [d for d in engine.documents() if d.file == file]
    return page_texts(engine.catalog.document_chunks(document.doc_id))[page]


def test_party_question_is_answered_from_metadata_with_its_page(engine: Engine) -> None:
    answer = engine.ask("Welke partij diende de motie over sleutelgeld in?")
    assert answer.model is None and not answer.refused
    extractive = answer.extractive
    assert extractive is not None and extractive.direct is not None
    assert extractive.direct.text == "SP"
    # The motion's record (its title names the motion) gives the party.
    assert (extractive.direct.origin, extractive.direct.field) == ("metadata", "submitter")
    quote = extractive.quotes[0]
    assert quote.n == extractive.direct.n
    assert (quote.file, quote.page) == ("moties/sleutelgeld.pdf", 1)
    assert "Lesley Arp" in quote.text
    assert answer.text.splitlines()[0] == f"Partij: SP [{quote.n}]"
    assert answer.citations[0].file == "moties/sleutelgeld.pdf"
    data = answer.to_dict()
    assert data["extractive"]["direct"]["text"] == "SP" and data["answer"] == answer.text
    assert data["model"] is None and data["generation"] is None


def test_a_council_member_question_is_answered_with_the_submitters_name(engine: Engine) -> None:
    """The motion's party field answers "welke fractie"; "welk raadslid" is answered by
    the name on the line that shows it, cited to that page."""
    member = engine.ask("Welk raadslid diende de motie over hoogbegaafdheid in het onderwijs in?")
    assert member.extractive is not None and member.extractive.direct is not None
    assert member.extractive.direct.text == "Caroline Verduin"
    assert member.extractive.direct.kind == "persoon"
    assert member.citations[0].file == "moties/hoogbegaafd.pdf" and member.citations[0].page == 2


def test_field_found_on_page_two_is_cited_on_page_two(engine: Engine) -> None:
    (document,) = [d for d in engine.documents() if d.file == "moties/hoogbegaafd.pdf"]
    assert document.field_pages["parties"] == 2 and document.field_pages["outcome"] == 2
    answer = engine.ask("Welke fractie diende de motie over hoogbegaafdheid in het onderwijs in?")
    assert answer.extractive is not None and answer.extractive.direct is not None
    assert answer.extractive.direct.text == "D66"
    assert answer.citations[0].page == 2
    outcome = engine.ask("Wat gebeurde er met de motie over hoogbegaafdheid in het onderwijs?")
    assert outcome.extractive is not None and outcome.extractive.direct is not None
    assert outcome.extractive.direct.text == "aangenomen"
    assert outcome.extractive.quotes[0].page == 2


def test_a_letterhead_is_no_answer(engine: Engine) -> None:
    """An address block matched a question's words best and was quoted as the answer
    ("Postbus 12600 T 14070 Spui 70 2500 DJ Den Haag www.denhaag.nl"): it answers
    nothing, so the answer is the refusal; asked for an address, it is the answer."""
    question = "Waarom zit Mandemaat in Assen en niet in Zwolle?"
    answer = engine.ask(question)
    assert answer.refused, answer.text
    address = engine.ask("Op welk adres zit Mandemaat in Assen?")
    assert not address.refused and address.extractive is not None
    assert "Postbus 40225" in address.extractive.quotes[0].text


def test_amount_and_date_come_from_the_quoted_sentence(engine: Engine) -> None:
    amount = engine.ask("Hoeveel kost het vervangen van de speeltoestellen in Transvaal?")
    assert amount.extractive is not None and amount.extractive.direct is not None
    assert amount.extractive.direct.text == "240.000 euro"
    assert amount.extractive.direct.origin == "tekst"
    assert "240.000 euro" in amount.extractive.quotes[0].text
    start = engine.ask("Wanneer starten de werkzaamheden aan de speeltuinen in Transvaal?")
    assert start.extractive is not None and start.extractive.direct is not None
    assert start.extractive.direct.text == "1 april 2026"


def test_quote_offsets_and_boxes_locate_the_sentence_on_its_page(engine: Engine) -> None:
    answer = engine.ask("Wanneer starten de werkzaamheden aan de speeltuinen in Transvaal?")
    assert answer.extractive is not None
    quote = next(q for q in answer.extractive.quotes if "1 april 2026" in q.text)
    page_text = _page_text(engine, quote.file, quote.page)
    assert page_text[quote.start : quote.end] == quote.text
    citation = next(c for c in answer.citations if c.quote == quote.text)
    assert (citation.start, citation.end) == (quote.start, quote.end)
    # The last paragraph's line is highlighted, below the first paragraph's lines.
    first = engine.ask("Hoe staat het met de speeltuinen in Transvaal, zijn ze veilig?")
    assert first.extractive is not None
    top = next(q for q in first.extractive.quotes if "verouderd" in q.text)
    assert quote.boxes and top.boxes
    assert min(b[1] for b in quote.boxes) > max(b[1] for b in top.boxes)
    assert all(0 <= b[0] < b[2] <= 595 and 0 <= b[1] < b[3] <= 842 for b in quote.boxes)


def test_the_answer_is_quoted_from_its_page_not_from_the_title_or_letterhead(
    engine: Engine,
) -> None:
    answer = engine.ask("Hoeveel documenten vond men bij het Wob-verzoek over Drachten?")
    extractive = answer.extractive
    assert extractive is not None and not extractive.refused
    assert extractive.direct is not None and extractive.direct.text == "één document"
    quote = extractive.quotes[0]
    assert (quote.file, quote.page) == ("woo/percelen.pdf", 2)
    assert "één document aangetroffen" in quote.text
    quoted = " ".join(q.text for q in extractive.quotes)
    assert "Besluit op uw Wob-verzoek" not in quoted  # the title again says nothing new
    assert "Postbus" not in quoted and "088" not in quoted


def test_agenda_items_and_figures_are_no_counts() -> None:
    asked = "Hoeveel inwoners heeft Den Helder?"
    for sentence in (
        "De fractie van D66 dient een amendement in bij agendapunt 9 Voorstel over het rapport.",
        "Visser als wethouder aan de agenda toegevoegd onder punt 15.",
        "Zie tabel 4 en figuur 2 voor de cijfers.",
    ):
        assert find_spans("aantal", sentence, asked) == [], sentence
    assert [s.text for s in find_spans("aantal", "Den Helder telt 56.000 inwoners.", asked)] == [
        "56.000 inwoners"
    ]
    # A share is no count (the corpus's minutes: "Hoeveel inwoners heeft Den Haag?" had
    # answered "vier inwoners").
    for share in (
        "In sommige wijken van onze stad is een op de vier inwoners een Europese arbeidsmigrant.",
        "Twee op de drie inwoners fietst naar het werk.",
    ):
        assert find_spans("aantal", share, asked) == [], share


def test_item_numbers_and_web_addresses_are_no_counts() -> None:
    asked = "Hoeveel documenten zijn er gevonden?"
    for sentence in (
        "|8.|Diverse documenten|Vindplaats: https://amsterdam.archiefweb.eu|",
        "8. Diverse documenten zijn reeds openbaar.",
        "Vindplaats: https://zoek.officielebekendmakingen.nl/gmb-2019-97450.html documenten",
        # Any domain; in a table cell the PDF wrapped the address with spaces.
        "Opvragen via https://archief.amsterdam/details/keywords/project%20centrum%20",
        "|4.|Vragen over de sloop|Vindplaats: https://noord.raadsinformatie.nl/mo dules/"
        "4/schriftelijke%20vragen/4241 98|",
        # A publication's number.
        "|10.|Gemeenteblad 2020, 176762: Gemeente Amsterdam - Besluit tot onttrekking|",
        # An inventory's numbers (the corpus's Wob decision on the Holocaust monument).
        "Ik heb besloten de document 1 openbaar te maken.",
    ):
        assert find_spans("aantal", sentence, asked) == [], sentence
    outside = find_spans("aantal", "Zie www.denhaag.nl/woo voor de 12 documenten.", asked)
    assert [s.text for s in outside] == ["12 documenten"]
    listed = "4° de btw-aangiften; 5° de omzetcijfers van de 3 volle jaren"
    assert [s.text for s in find_spans("aantal", listed, "Hoeveel jaren?")] == ["3"]
    counted = find_spans("aantal", "12) Er zijn drie documenten gevonden.", asked)
    assert [s.text for s in counted] == ["drie documenten"]


def test_a_measurement_has_its_unit() -> None:
    asked = "Wat is de minimale afstand van windturbines tot woningen?"
    assert find_spans("aantal", "Voor elk van de twee typen zijn afstanden berekend.", asked) == []
    assert find_spans("aantal", "Woningen 400 560 2x tiphoogte", asked) == []
    spans = find_spans("aantal", "De ashoogte is 120 m en de afstand 400 meter.", asked)
    assert [s.text for s in spans] == ["120 m", "400 meter"]
    # A multiple of the turbine's height (the corpus's Overijssel wind policy: "Wat is de
    # minimale afstand …?" had answered ProRail's "7,85 meter" to the rails).
    norm = "Voor woningen is een vaste afstandsnorm opgenomen van 2 maal de tiphoogte."
    assert [s.text for s in find_spans("aantal", norm, asked)] == ["2 maal de tiphoogte"]
    rail = "de ruimte van twee maal de rotordiameter"
    assert [s.text for s in find_spans("aantal", rail, asked)] == ["twee maal de rotordiameter"]
    # A count or a share asked with a measurement's word is no measurement.
    clusters = "Bij hoeveel windclusters met een tiphoogte van 200 meter is er overlap?"
    assert [s.text for s in find_spans("aantal", "Bij 27 clusters is er overlap.", clusters)] == [
        "27"
    ]


def test_a_measure_counts_no_things_and_a_form_answers_its_own_question() -> None:
    # The corpus's kapmelding for landgoed Baasdam: the applicant's answer follows the
    # form's question; "om de 5 meter" (where to replant) had answered with strength 4.
    asked = "Hoeveel bomen worden gekapt op landgoed Baasdam?"
    replant = "Om de 5 meter een boom terugplanten met maat 10-12 met boompaal"
    assert find_spans("aantal", replant, asked) == []
    threshold = "een houtopstand kleiner dan 1000 m2 of 21 bomen in een rij"
    assert [s.text for s in find_spans("aantal", threshold, asked)] == ["21 bomen"]
    (felled,) = find_spans("aantal", "Rijbeplanting: Hoeveel bomen gaat u verwijderen? 56", asked)
    assert felled.text == "56" and felled.strength > 1
    # A form's question about something else does not make its answer a count of trees.
    (age,) = find_spans("aantal", "Hoeveel jaar is de eigenaar eigenaar? 56", asked)
    assert age.strength <= 1
    # The corpus's Koersbesluit Maatschappelijke Opvang: a share, one of many, a note's
    # marker and a footnote's number count no people or places ("Hoeveel mensen meldden zich
    # …?" had answered "80%", "1").
    people = "Hoeveel mensen meldden zich in 2015 aan voor de Maatschappelijke Opvang?"
    for sentence in (
        "L 80% van de mensen die in de opvang verblijven",
        "in 2020 20 procent gedaald",
        "een plek in één van de passantenpensions",
        "Het uitgangspunt is zo zelfstandig mogelijk wonen (2).",
        "1 Onder mensen verstaan we de groep kwetsbare volwassenen uit de regio Amsterdam.",
    ):
        assert find_spans("aantal", sentence, people) == [], sentence
    (count,) = find_spans("aantal", "In 2015 meldden zich 1517 mensen aan.", people)
    assert count.text == "1517 mensen"
    # The CU/SGP motion of afkeuring: a footnote's marker glued to its sentence and the
    # footnote citing a web site ("Hoeveel raadsleden steunden …?" had answered "1").
    members = "Hoeveel raadsleden steunden de motie van afkeuring over de geheimhouding?"
    for sentence in (
        "de verplichting tot geheimhouding ‘wordt vermeld op het stuk’;1",
        "1 wetten.nl - Regeling - Gemeentewet - BWBR0005416 artikel 89, lid 1",
    ):
        assert find_spans("aantal", sentence, members) == [], sentence
    assert [s.text for s in find_spans("aantal", "steun van 23 raadsleden", members)] == [
        "23 raadsleden"
    ]
    # A measure answers a question for one.
    assert [s.text for s in find_spans("aantal", replant, "Hoeveel meter staat er tussen?")] == [
        "5 meter"
    ]
    assert [s.text for s in find_spans("aantal", threshold, "Hoeveel grond is het?")] == [
        "1000 m2",
        "21",
    ]


def test_a_day_of_a_month_is_no_count() -> None:
    # The corpus's Stadionplein decision: "Hoeveel documenten stuurde stadsdeel Zuid mee
    # …?" (dev4-B23, unanswerable) had answered "15" from "Op 15 mei trekt stadsdeel Zuid …".
    asked = "Hoeveel documenten stuurde stadsdeel Zuid mee bij het besluit?"
    day = "Op 15 mei trekt stadsdeel Zuid het positieve advies voor de naamswijziging in."
    assert find_spans("aantal", day, asked) == []
    sent = "Stadsdeel Zuid stuurde op 12 dec. 15 documenten mee."
    assert [s.text for s in find_spans("aantal", sent, asked)] == ["15 documenten"]


def test_a_year_is_no_part_of_a_code() -> None:
    # The Tweede Kamer's procedure list writes a bill as "34417-(R2068)": "In welk jaar
    # …?" had answered 2068 (dev6-b06).
    asked = "In welk jaar zou het belastingverdrag met het Verenigd Koninkrijk gelden?"
    bill = "Verdrag inzake belastingen (Trb. 2009) - 34417-(R2068) Besluit: aanmelden."
    assert [s.text for s in find_spans("jaar", bill, asked)] == ["2009"]
    assert [s.text for s in find_spans("jaar", "Het verdrag geldt vanaf 2011.", asked)] == ["2011"]


def test_a_count_of_another_thing_is_no_answer() -> None:
    """ "16 stemmen" counts votes: it answers a question about votes, not about inhabitants."""
    vote = "De raad besluit in meerderheid (16 stemmen voor en 14 stemmen tegen)"
    assert find_spans("aantal", vote, "Hoeveel inwoners heeft Den Helder?") == []
    voted = find_spans("aantal", vote, "Hoeveel raadsleden stemden voor het voorstel?")
    assert [s.text for s in voted] == ["16 stemmen", "14 stemmen"]
    homes = "In 2025 komen er 1.200 woningen bij."
    assert [s.text for s in find_spans("aantal", homes, "Hoeveel huizen komen erbij?")] == [
        "1.200 woningen"
    ]
    assert find_spans("aantal", homes, "Hoeveel bewoners komen erbij?") == []
    # A period counts no documents; it answers a question for a period.
    waiting = "Als na twee weken geen bezwaar is gemaakt, zenden wij u de documenten toe."
    assert find_spans("aantal", waiting, "Hoeveel documenten zijn openbaar gemaakt?") == []
    assert [s.text for s in find_spans("aantal", waiting, "Na hoeveel weken volgt het?")] == [
        "twee weken"
    ]
    # The thing counted may follow a number the span does not hold.
    rooms = "In Den Haag mogen maximaal acht mensen in een studentenhuis wonen."
    assert find_spans("aantal", rooms, "Hoeveel woningen wil Den Haag bouwen?") == []
    assert [s.text for s in find_spans("aantal", rooms, "Hoeveel studenten wonen er?")] == [
        "maximaal acht"
    ]
    # People answer many ways of asking.
    people = "Er kwamen 300 mensen naar de avond."
    assert [s.text for s in find_spans("aantal", people, "Hoeveel bezoekers kwamen er?")] == [
        "300 mensen"
    ]


def test_a_number_next_to_a_name_the_question_names_is_no_typical_count() -> None:
    # "Amsterdam" says where the question is about, not what it counts: the publication
    # number before "Gemeente Amsterdam" had outranked the stalling's "ca. 1000 plaatsen".
    asked = "Hoeveel plaatsen krijgt de fietsenstalling bij de Tolhuistuin in Amsterdam-Noord?"
    row = "|10.|Gemeenteblad 2020, 176762: Gemeente Amsterdam - Besluit tot onttrekking|"
    assert all(span.strength <= 1 for span in find_spans("aantal", row, asked))
    stalling = "Mogelijk komt er een ondergrondse fietsenstalling voor ca. 1000 plaatsen."
    (count,) = find_spans("aantal", stalling, asked)
    assert count.text == "ca. 1000" and count.strength > 1


def test_letterhead_numbers_are_no_counts() -> None:
    question = "Hoeveel documenten trof RVO aan bij het Wob-verzoek?"
    letterhead = "Mandemaat 3 Assen Postbus 40225 8004 DE ZWOLLE T 088 042 42 42 wob@rvo.nl"
    assert {s.text for s in find_spans("aantal", letterhead, question)} <= {"3"}
    found = find_spans("aantal", "Er is één document aangetroffen.", question)
    assert [s.text for s in found] == ["één document"]
    # Nor are a reference's numbers ("artikel 20", "bijlage 3").
    cited = "Op grond van artikel 20 van de Wob en bijlage 3 zijn twee documenten geweigerd."
    assert [s.text for s in find_spans("aantal", cited, question)] == ["twee documenten"]
    # Nor the numbers of a dotted code: Woo grounds, a section.
    codes = "Gedeeltelijk openbaar | 10.2e en 5.1.2e, zie 4.3; 1.250 documenten beoordeeld."
    assert [s.text for s in find_spans("aantal", codes, question)] == ["1.250 documenten"]
    assert [letterhead[a:b] for a, b in sorted(contact_details(letterhead))] == [
        "Postbus 40225",
        "8004 DE ZWOLLE",
        "088 042 42 42",
        "wob@rvo.nl",
    ]


def test_a_number_counts_as_an_answer_next_to_what_the_question_counts() -> None:
    question = "Hoeveel mensen meldden zich in 2015 aan voor de opvang?"
    (people,) = find_spans("aantal", "In 2015 hebben zich 1517 mensen aangemeld.", question)
    (weekly,) = find_spans("aantal", "Het bestand wordt 1x per week gedownload.", question)
    assert (people.text, weekly.text) == ("1517 mensen", "1x per week")
    # "tien jaar" is a period: no count of people, an answer when the question counts years.
    decade = "We bouwen voort op de afgelopen tien jaar."
    assert find_spans("aantal", decade, question) == []
    (years,) = find_spans("aantal", decade, "Hoe lang bestaat de opvang?")
    (term,) = find_spans(
        "aantal", "Binnen vijf jaar moeten er standplaatsen zijn.", "Binnen hoeveel jaar?"
    )
    assert (years.text, term.text) == ("tien jaar", "vijf jaar") and term.strength > 1


def test_a_count_says_what_it_counts_when_the_question_does() -> None:
    asked = "Hoeveel documenten vond Amsterdam over de doorbetaling van ritten?"
    (found,) = find_spans("aantal", "Er zijn drie documenten gevonden.", asked)
    assert found.text == "drie documenten"  # "drie" alone does not say what
    # Only words the question names join the number.
    (found,) = find_spans("aantal", "Er zijn drie documenten gevonden.", "Hoeveel zijn gevonden?")
    assert found.text == "drie"
    # Also when "hoeveel" asks about someone else: the question names the zienswijze.
    asked = "Hoeveel derde-belanghebbenden reageerden met een zienswijze op het voornemen?"
    (found,) = find_spans("aantal", "Er is één zienswijze ontvangen.", asked)
    assert found.text == "één zienswijze"
    # A verb the question names does not join it.
    asked = "Binnen hoeveel dagen werd het besluit genomen?"
    (found,) = find_spans("aantal", "Het besluit werd binnen twee dagen genomen.", asked)
    assert found.text == "twee dagen"
    visitors = "Volgens de VVD komen er ruim 1,25 miljoen mensen per maand."
    (found,) = find_spans("aantal", visitors, "Hoeveel mensen bezoeken de mall per maand?")
    assert found.text == "ruim 1,25 miljoen mensen"  # the scale word is part of the count
    # A stop word after "hoeveel" counts nothing ("kan" and "een" both stem to nothing).
    asked = "Binnen hoeveel weken kan beroep worden ingesteld tegen de beslissing op bezwaar?"
    (found,) = find_spans(
        "aantal", "Dan kunt u binnen zes weken een beroepschrift indienen.", asked
    )
    assert found.text == "zes weken"


def test_number_words_also_compounds_are_counts() -> None:
    asked = "Hoeveel inwoners van Overijssel worden boven de norm blootgesteld aan geluid?"
    sentence = "Daarbij worden ruim negenduizend inwoners boven de norm blootgesteld."
    (found,) = find_spans("aantal", sentence, asked)
    assert found.text == "ruim negenduizend inwoners"
    asked = "Hoeveel zienswijzen kwamen er binnen?"
    (found,) = find_spans("aantal", "Er kwamen drieëntwintig zienswijzen binnen.", asked)
    assert found.text == "drieëntwintig zienswijzen"
    # "een" is mostly the article; a scale word alone counts nothing.
    assert find_spans("aantal", "Er is een zienswijze ontvangen.", asked) == []
    assert find_spans("aantal", "Het kost miljoenen, niet miljoen.", asked) == []
    # A number the question names is no answer, in words as in digits.
    asked = "Hoeveel van de twaalf gemeenten deden mee?"
    found = find_spans("aantal", "Van de twaalf gemeenten deden er negen aan mee.", asked)
    assert [s.text for s in found] == ["negen"]
    # "acht" before a pronoun or conjunction is the verb "achten" (the corpus's minutes).
    asked = "Hoeveel woningen wil Den Haag bouwen?"
    verb = "Kan de wethouder aangeven hoe realistisch hij de kans acht dat de gemeente bouwt?"
    assert find_spans("aantal", verb, asked) == []
    (found,) = find_spans("aantal", "Er komen acht nieuwe woningen.", asked)
    assert found.text == "acht"


@pytest.mark.parametrize(
    ("kind", "sentence", "expected"),
    [
        # A range is one amount, with its scale.
        ("bedrag", "Er is ongeveer €0,4-€0,5 miljoen nodig.", ["€0,4-€0,5 miljoen"]),
        ("bedrag", "Een marge van minimaal 1.000.000,- tot maximaal 1.500.000,- euro.",
         ["1.000.000,- tot maximaal 1.500.000,- euro"]),
        ("bedrag", "Van € 250.000,- tot later € 2.500.000,-.", ["€ 250.000,-", "€ 2.500.000,-"]),
        # The codes written on blacked-out passages (Woo, Wob) and "lid 2" for "tweede lid".
        ("grond", "Onleesbaar gemaakt onder vermelding van; 5.1.2.e.", ["5.1.2.e"]),
        ("grond", "Gelakt met code 10.2.a en 11.1.", ["10.2.a", "11.1"]),
        ("grond", "Op grond van artikel 10, lid 2, sub g van de Wob.",
         ["artikel 10, lid 2, sub g van de Wob"]),
        ("grond", "Op grond van de artikelen 10 en 11 van de Wob is geweigerd.",
         ["artikelen 10 en 11 van de Wob"]),
        ("grond", "Zie artikel 5.1, 5.2 of 5.3 van de Woo.",
         ["artikel 5.1, 5.2 of 5.3 van de Woo"]),
        ("grond", "Op grond van artikel 10, 2e lid, onder e, Wob.",
         ["artikel 10, 2e lid, onder e, Wob"]),
        # A second article after the first's member, and two letters of one member.
        ("grond", "Met een beroep op de artikelen 10 tweede lid, onder g, en 11 van de Wob.",
         ["artikelen 10 tweede lid, onder g, en 11 van de Wob"]),
        ("grond", "Zie artikel 10, tweede lid, onder e en g, van de Wob.",
         ["artikel 10, tweede lid, onder e en g, van de Wob"]),
        ("grond", "Op grond van artikel 4, eerste lid, en 40 woningen per jaar.",
         ["artikel 4, eerste lid"]),
        # The interest a refusal names is a ground as much as its article.
        ("grond", "Openbaarmaking kan de veiligheid van de Staat in gevaar brengen.",
         ["veiligheid van de Staat"]),
        ("grond", "Ter voorkoming van onevenredige benadeling (artikel 10, tweede lid, onder g).",
         ["onevenredige benadeling", "artikel 10, tweede lid, onder g"]),
        ("grond", "Het betreft de eerbiediging van de persoonlijke levenssfeer.",
         ["eerbiediging van de persoonlijke levenssfeer"]),
        ("uitkomst", "De stemmen staken; de motie komt terug.", ["de stemmen staken"]),
        # Numbers beside "en" or "voor" count votes only with "stemmen", "voor" or "tegen".
        ("stemuitslag", "Vast te stellen de begroting (bijlage 1 en 2).", []),
        ("stemuitslag", "Herbestemd in programma 1 voor een raadsfonds.", []),
        ("stemuitslag", "De motie kreeg 22 voor, 22 tegen.", ["22 voor, 22 tegen"]),
    ],
)  # fmt: skip
def test_span_forms(kind: str, sentence: str, expected: list[str]) -> None:
    assert [s.text for s in find_spans(kind, sentence)] == expected


def test_person_spans_are_people_not_things() -> None:
    question = "Wie wil kabels en leidingen bundelen?"
    plan = "In de uitwerking van het Programma Ondergrond een actieplan op te stellen."
    assert find_spans("persoon", plan, question) == []
    place = "De bijlagen over het voormalig Haga-complex Sportlaan, gevraagd door M.E. Goldbach."
    assert [s.text for s in find_spans("persoon", place, question)] == ["M.E. Goldbach"]
    married = "Het bezwaar is ingediend door mevrouw Jansen-de Vries."
    assert [s.text for s in find_spans("persoon", married, question)] == ["mevrouw Jansen-de Vries"]
    signed = "De Staatssecretaris van Veiligheid en Justitie, F. Teeven"
    best = max(find_spans("persoon", signed, question), key=lambda s: s.strength)
    assert best.text == "F. Teeven"  # initials: as sure a person as a title
    # A title before the question's own words is no person; before a name it is.
    asked = "Wie is de wethouder van financiën in Den Haag?"
    echo = "Graag een reactie daarop, ook van de wethouder Financiën."
    assert "wethouder Financiën" not in [s.text for s in find_spans("persoon", echo, asked)]
    named = "De wethouder Financiën, de heer Kapteijns, reageert."
    assert "de heer Kapteijns" in [s.text for s in find_spans("persoon", named, asked)]
    # Buildings, bodies and agenda items are no people, nor is an abbreviation in brackets
    # being defined ("(Acb)").
    for thing in (
        "Wij vinden het jammer dat er geen Eschermuseum komt.",
        "Het advies van de Ministeriële Commissie Crisisbeheersing is geweigerd.",
        "I.3 Voorstel van het college met betrekking tot de beslissing op bezwaar.",
        "Namens deze, de directeur van de directie Juridische Zaken.",
        "Het bezwaar is behandeld door de Adviescommissie bezwaarschriften (Acb).",
        "Dat volgt uit het genomen Voorkeursbesluit Sprong over het IJ.",
    ):
        assert find_spans("persoon", thing, question) == [], thing
    # A publication cited is no author.
    cited = "De minister heeft in zijn brief (Kamerstukken II 2009/10, nr. 30) dit aangekondigd."
    assert "Kamerstukken II" not in [s.text for s in find_spans("persoon", cited, question)]
    # Inside a sentence a particle begins a surname; a name in brackets is named.
    colleague = "Deze motie dien ik mede in namens collega Van Esch."
    assert [s.text for s in find_spans("persoon", colleague, question)] == ["Van Esch"]
    owner = "De eigenaar (Staedion) en de huurder hebben rechten opgebouwd."
    assert [s.text for s in find_spans("persoon", owner, question)] == ["Staedion"]
    # Capitalised words in a row are a name when one of them is a known first name or
    # surname (deduce's lists), or after a title or initials.
    for heading in (
        "Reikwijdte Haags beleidskader Jeugd 2025-2028",
        "De laatste wijziging maakt het noodzakelijk de huidige GR van de VRH te wijzigen.",
        "Directoraat Generaal Curatieve Zorg is verantwoordelijk voor fase 1.",
    ):
        assert all(" " not in s.text for s in find_spans("persoon", heading, question)), heading
    # "het" is a particle only after "van": "I." before it numbers a list item.
    item = "I. het Haags beleidskader Jeugd 2025-2028 vaststellen"
    assert "I. het Haags" not in [s.text for s in find_spans("persoon", item, question)]
    proposed = "De motie is ingediend door Jan van het Hof."
    assert [s.text for s in find_spans("persoon", proposed, question)] == ["Jan van het Hof"]
    # A signature row's names are one person each, split where a first name follows a
    # surname; two first names in a row are one person's.
    signers = "Coen Bom Damiën Zeller"
    assert [s.text for s in find_spans("persoon", signers, question)] == [
        "Coen Bom",
        "Damiën Zeller",
    ]
    double = "Jan Peter Balkenende zei het."
    assert [s.text for s in find_spans("persoon", double, question)] == ["Jan Peter Balkenende"]


def test_who_submitted_in_the_plural_gets_everyone_on_the_signature_row(
    make_settings: Any, tmp_path: Path
) -> None:
    # As the corpus's initiatiefvoorstel: its two signers stand on one line.
    pages = [
        "Initiatiefvoorstel Gezonde jongeren in beweging\n\nDe indieners vragen de raad om "
        "een beweegprogramma voor jongeren vast te stellen.\n\nCoen Bom Damiën Zeller"
    ]
    pdf = tmp_path / "ingest" / "raadsvoorstellen" / "initiatiefvoorstel.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        direct, _ = _direct(engine, "Wie dienden het initiatiefvoorstel over gezonde jongeren in?")
        assert direct.text == "Coen Bom en Damiën Zeller"
    # Only the people: not a capitalised first word or a party the sentence also names.
    pages = [
        "Voorstel van het presidium inzake benoeming raadsrapporteurs\n\nVanuit de fractie "
        "van Hart voor Den Haag is de heer Martini voorgedragen als raadsrapporteur."
    ]
    pdf = tmp_path / "other" / "ingest" / "raadsvoorstellen" / "raadsrapporteurs.pdf"
    home = tmp_path / "other" / "home"
    with _engine_over(make_settings, pdf, pages, home=home) as engine:
        direct, _ = _direct(engine, "Wie zijn voorgedragen als raadsrapporteur?")
        assert direct.text == "de heer Martini"


def test_who_proposes_a_council_proposal_is_read_from_its_opening_line(
    make_settings: Any, tmp_path: Path
) -> None:
    # As the corpus's proposal on the Veiligheidsregio: a question for who proposed it had
    # answered "GR van de VRH" and, after that was no name, another municipality's mayor.
    pages = [
        "Gemeente Den Haag\n\nVoorstel van het college inzake Gemeenschappelijke regeling "
        "Veiligheidsregio Haaglanden 2025\n\nDe laatste wijziging van de Wet gemeenschappelijke "
        "regelingen maakt het noodzakelijk de huidige GR van de VRH te wijzigen. Het Algemeen "
        "Bestuur heeft de regeling op 6 december 2024 vastgesteld."
    ]
    pdf = tmp_path / "ingest" / "raadsvoorstellen" / "gr-veiligheidsregio.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        (document,) = engine.documents()
        assert document.kind == "raadsvoorstel"
        for question in (
            "Wie heeft de gemeenschappelijke regeling Veiligheidsregio Haaglanden voorgesteld "
            "te wijzigen?",
            "Van wie komt het voorstel over de gemeenschappelijke regeling Veiligheidsregio?",
        ):
            proposer, answer = _direct(engine, question)
            assert proposer.text == "het college", question
            cited = [q for q in answer.quotes if q.n == proposer.n]
            assert cited[0].page == 1 and cited[0].text.startswith("Voorstel van het college")
        # Who is responsible for something is not who proposed the proposal about it.
        responsible = engine.ask("Wie is verantwoordelijk voor de Veiligheidsregio?").extractive
        assert responsible is not None
        assert responsible.direct is None or responsible.direct.text != "het college"


def test_the_person_a_question_names_is_not_its_answer() -> None:
    question = "Namens welk raadslid diende Partiman (CDA) de motie over de ambassade mede in?"
    said = "Kavish Partiman (CDA) diende de motie mede in namens collega Van Esch."
    assert [s.text for s in find_spans("persoon", said, question)] == ["Van Esch"]
    # A party answers "wie diende … in?", not a question for a council member.
    line = "Indiener: Lesley Arp, SP"
    assert [s.text for s in find_spans("persoon", line, "Wie diende de motie in?")] == [
        "Lesley Arp",
        "SP",
    ]
    signed = "Caroline Verduin\nD66"
    assert [s.text for s in find_spans("persoon", signed, "Welk raadslid tekende?")] == [
        "Caroline Verduin"
    ]
    assert [s.text for s in find_spans("persoon", line, "Welk raadslid diende de motie in?")] == [
        "Lesley Arp"
    ]


def test_a_title_alone_names_nobody() -> None:
    # A pseudonymised name after a title leaves the title, which is no answer.
    absent = "Mevrouw [PERSOON-177] is, net als mevrouw [PERSOON-69], wegens ziekte afwezig."
    assert find_spans("persoon", absent, "Wie was er afwezig?") == []
    named = "Mevrouw De Groot en wethouder Balster waren afwezig."
    assert [s.text for s in find_spans("persoon", named, "Wie was er afwezig?")] == [
        "Mevrouw De Groot",
        "wethouder Balster",
    ]


def test_calibration_sees_what_ask_answers_from(engine: Engine) -> None:
    """``answer_evidence`` is the path of ``ask``: the same passages and answer."""
    question = "Welke partij diende de motie over sleutelgeld in?"
    evidence = engine.answer_evidence(question)
    asked, hits, beside = evidence.question, evidence.hits, evidence.beside
    answer = engine.ask(question)
    assert answer.extractive is not None
    # The sources are the passages, and of those read beside them the quoted ones.
    quoted = {answer.sources[q.n - 1].chunk_id for q in answer.extractive.quotes}
    assert {h.chunk_id for h in hits} - (beside - quoted) == {h.chunk_id for h in answer.sources}
    again = engine.extractive_answerer().answer(
        asked, hits, facts=evidence.facts, missing=evidence.missing, settled=evidence.settled
    )
    assert sorted(q.text for q in again.quotes) == sorted(q.text for q in answer.extractive.quotes)
    assert again.direct is not None and answer.extractive.direct is not None
    assert again.direct.text == answer.extractive.direct.text == "SP"


@contextmanager
def _engine_over(
    make_settings: Any, pdf: Path, text: str | list[str], home: Path | None = None
) -> Iterator[Engine]:
    """An engine without a model or vectors over one PDF of these pages (one page: a
    string) in its inbox (the folder above ``pdf``'s collection folder); ``home``: a data
    directory of its own (a second engine in one test)."""
    write_pdf(pdf, [text] if isinstance(text, str) else text)
    homed = {"home": home} if home is not None else {}
    engine = build_engine(
        make_settings(ingest_dir=pdf.parent.parent, llm={"provider": "extractive"}, **homed)
    )
    try:
        assert engine.ingest(embed=False).failed == []
        yield engine
    finally:
        engine.close()


def test_a_sentence_over_lines_stored_apart_is_quoted_whole(
    make_settings: Any, tmp_path: Path
) -> None:
    # Each line its own block, as some PDF writers store them (a BNC fiche of the corpus):
    # the sentence, not the line, is quoted, and it maps back onto the page text.
    lines = [
        "Zij moeten voorzieningen treffen om die handelsdata te verstrekken aan de",
        "CTP. De eenmalige kosten daarvan worden door de Commissie geschat op",
        "250.000 euro voor kleine partijen en 500.000 euro tot 1 miljoen euro voor grote.",
        "Financiering",
        "- de kosten worden gedragen door de partijen zelf",
    ]
    pdf = tmp_path / "inbox" / "beleid" / "fiche.pdf"
    with _engine_over(make_settings, pdf, "\n\n".join(lines)) as engine:
        page_text = _page_text(engine, "beleid/fiche.pdf", 1)
        assert all(line in page_text.split("\n\n") for line in lines)  # blocks apart
        question = "Op hoeveel schat de Commissie de eenmalige kosten voor kleine partijen?"
        extractive = engine.ask(question).extractive
        assert extractive is not None and not extractive.refused
        quote = extractive.quotes[0]
        assert quote.text == (
            "De eenmalige kosten daarvan worden door de Commissie geschat op 250.000 euro "
            "voor kleine partijen en 500.000 euro tot 1 miljoen euro voor grote."
        )
        assert " ".join(page_text[quote.start : quote.end].split()) == quote.text
        assert len(quote.boxes) == 2  # both lines highlighted
        quoted = [q.text for q in extractive.quotes]
        # A heading and a list item stay lines of their own.
        assert not any("Financiering" in q and "grote" in q for q in quoted)


def _direct(engine: Engine, question: str) -> tuple[DirectAnswer, ExtractiveAnswer]:
    """The direct answer line ``ask`` gives (there must be one), with its quotes."""
    extractive = engine.ask(question).extractive
    assert extractive is not None and extractive.direct is not None
    return extractive.direct, extractive


def test_the_date_asked_is_the_one_the_question_words_stand_by(
    make_settings, tmp_path: Path
) -> None:
    # A decision on an objection dates the objection, the contested decision and the
    # hearing; the sentence that best matches the question dates the first two.
    letter = (
        "Beslissing op uw bezwaar over het ABDUP-overleg\n\n"
        "Per brief van 29 mei 2019 hebt u bezwaar gemaakt tegen het besluit van "
        "18 april 2019 over uw verzoek om informatie over het ABDUP-overleg. "
        "De hoorzitting over uw bezwaar heeft plaatsgevonden op 18 juli 2019, "
        "telefonisch. Uw bezwaar over het ABDUP-overleg is ongegrond."
    )
    pdf = tmp_path / "ingest" / "bezwaar" / "abdup.pdf"
    with _engine_over(make_settings, pdf, letter) as engine:
        heard, quoted = _direct(
            engine,
            "Wanneer werd de maker van het bezwaar over het ABDUP-overleg telefonisch gehoord?",
        )
        assert heard.text == "18 juli 2019"
        cited = [q.text for q in quoted.quotes if q.n == heard.n]
        assert any("18 juli 2019" in text for text in cited)
        # The same sentences, another question: the date the word "besluit" stands by.
        contested, _ = _direct(
            engine,
            "Wanneer werd het besluit over het ABDUP-overleg genomen waartegen bezwaar is gemaakt?",
        )
        assert contested.text == "18 april 2019"


@pytest.mark.parametrize(
    "cited",
    [
        # As the corpus's Stationsweg decision and VWS Woo decision cite rulings.
        "Die bevoegdheid is voorbehouden aan de raad (AbRvS, 19 oktober 2022, "
        "ECLI:NL:RVS:2022:3004, rechtsoverweging 8.2).",
        "1 Zie ook: ABRvS 20 oktober 2021, ECLI:NL:RVS:2021:2348.",
        "Dat volgt uit de uitspraak van de Raad van State van 3 mei 2021.",
    ],
)
def test_the_date_of_a_cited_ruling_is_no_answer(cited: str) -> None:
    asked = "Wanneer is het bezwaarschrift ingediend?"
    assert find_spans("datum", cited, asked) == []
    (found,) = find_spans("datum", f"Op 28 juli 2024 is bezwaar gemaakt. {cited}", asked)
    assert found.text == "28 juli 2024"


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("Wanneer is de motie ingediend?", True),
        ("Wanneer is de motie van afkeuring van CU-SGP ingediend?", True),
        ("Wanneer is het amendement over sloopsubsidie ingediend?", True),
        ("Wanneer is de brief over het definitieve windbeleid verstuurd?", True),
        # A vote's date is the records', an objection's filing date its decision's.
        ("Wanneer is de motie over sleutelgeld aangenomen?", False),
        ("Wanneer is het bezwaarschrift tegen de vergunning ingediend?", False),
    ],
)
def test_a_question_for_a_documents_own_date(question: str, wanted: bool) -> None:
    assert _wants_date(question, "datum") is wanted


def test_the_date_of_an_act_in_a_document_is_not_the_document_date(
    make_settings: Any, tmp_path: Path
) -> None:
    # As in the Voorjaarsnota of the corpus: the college's proposal is dated 21 May, the
    # council's decision on page 2 was signed by the griffier on 18 June. A question about
    # the signing is answered from that line, not from the document's date field.
    pages = [
        "Gemeente Den Haag\n\nDatum\n21 mei 2025\n\nVoorstel van het college inzake "
        "Voorjaarsnota 2025\n\nVoor u ligt de Voorjaarsnota 2025 met het budgettaire kader.",
        "Besluit: het budgettair kader 2025-2029 vast te stellen.\n\nAldus besloten in de "
        "openbare raadsvergadering van 12 juni 2025.\n\nDe griffier,\n\n"
        "ValidSigned door De Griffier L. Blankwaard op 18-06-2025",
    ]
    pdf = tmp_path / "ingest" / "raadsvoorstellen" / "voorjaarsnota.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        (document,) = engine.documents()
        assert str(document.date) == "2025-05-21"
        signed, quoted = _direct(
            engine,
            "Op welke datum heeft de griffier het raadsbesluit over de Voorjaarsnota 2025 "
            "digitaal ondertekend?",
        )
        assert signed.text == "18-06-2025"
        cited = [q for q in quoted.quotes if q.n == signed.n]
        assert cited[0].page == 2 and "18-06-2025" in cited[0].text
        # Asked for the document's own date, the date field answers.
        dated, quoted = _direct(engine, "Van welke datum is het voorstel over de Voorjaarsnota?")
        assert dated.text == "21 mei 2025"
        cited = [q for q in quoted.quotes if q.n == dated.n]
        assert cited[0].page == 1 and "21 mei 2025" in cited[0].text


def test_the_end_of_the_appeal_period_is_computed_from_the_decision_date(
    make_settings, tmp_path: Path
) -> None:
    # Six weeks from the day after 14 November 2025 end on Friday 26 December, tweede
    # Kerstdag: the Algemene termijnenwet moves the last day past the weekend.
    letter = (
        "Beslissing op bezwaar over de omgevingsvergunning Laan van Meerdervoort\n\n"
        "Den Haag, 14 november 2025\n\n"
        "Bij brief van 3 juni 2025 heeft u bezwaar gemaakt tegen de omgevingsvergunning. "
        "Wij verklaren uw bezwaar ongegrond. Tegen deze beslissing kunt u binnen zes weken "
        "beroep instellen bij de rechtbank Den Haag."
    )
    pdf = tmp_path / "ingest" / "bezwaar" / "vergunning.pdf"
    with _engine_over(make_settings, pdf, letter) as engine:
        (document,) = engine.documents()
        assert document.kind == "beslissing_op_bezwaar"
        for question in (
            "Wanneer eindigt de beroepstermijn tegen de beslissing over de omgevingsvergunning?",
            "Tot wanneer kan beroep worden ingesteld tegen de beslissing over de vergunning?",
        ):
            deadline, quoted = _direct(engine, question)
            assert deadline.text.startswith("29 december 2025 (berekend:")
            assert "14 november 2025" in deadline.text and "26 december 2025" in deadline.text
            cited = [q for q in quoted.quotes if q.n == deadline.n]
            assert cited and "14 november 2025" in cited[0].text and cited[0].page == 1
        # The decision period is not the appeal period.
        assert not _wants_deadline("Tot wanneer moest op het bezwaar worden beslist?", None)
        assert _wants_deadline("Tot wanneer kan ik bezwaar maken tegen het besluit?", None)
        # The period itself is the duration the letter gives.
        period, quoted = _direct(
            engine, "Binnen welke termijn kan beroep worden ingesteld tegen de beslissing?"
        )
        assert (period.label, period.text) == ("Termijn", "zes weken")
        assert "binnen zes weken beroep instellen" in quoted.quotes[0].text
        # When the objection was made is a date in the letter, not a computed period.
        made, _ = _direct(engine, "Wanneer werd bezwaar gemaakt tegen de omgevingsvergunning?")
        assert made.text == "3 juni 2025"


def test_how_an_objection_was_decided_is_read_from_the_decisions_dictum(
    make_settings: Any, tmp_path: Path
) -> None:
    # As the corpus's Stationsweg decision: the dictum's sentences broken over PDF blocks,
    # one part founded and one not; the committee's advice is no decision.
    decision = [
        "Beslissing op bezwaar over het omgevingsplan aan de Stationsweg\n\nDatum 21 februari "
        "2025\n\nDe commissie adviseert het bezwaar ongegrond te verklaren.",
        "De raad besluit:",
        "I. het bezwaarschrift voor zover dat gericht is tegen de weigering van het verzoek",
        "tot herziening van het omgevingsplan, gegrond te verklaren;",
        "II. het bezwaarschrift voor het overige ongegrond",
        "te verklaren.",
    ]
    pdf = tmp_path / "ingest" / "besluiten" / "stationsweg.pdf"
    with _engine_over(make_settings, pdf, "\n".join(decision)) as engine:
        outcome, quoted = _direct(
            engine, "Hoe is op het bezwaar over het omgevingsplan aan de Stationsweg beslist?"
        )
        assert (outcome.text, outcome.kind, outcome.origin) == (
            "gedeeltelijk gegrond",
            "uitkomst",
            "metadata",
        )
        # The first declaring sentence, whole and on one line.
        cited = [q.text for q in quoted.quotes if q.n == outcome.n]
        assert cited[0] == f"{decision[2]} {decision[3]}"
    # A question that names the outcome or the decision to ask for something else is not
    # asking for the outcome.
    assert not _wants_objection_outcome(
        "Welke kostenvergoeding kende de minister toe nadat het bezwaar gegrond was verklaard?",
        "bedrag",
    )
    assert not _wants_objection_outcome(
        "Wat is het kenmerk van de beslissing op bezwaar over de Stationsweg?", None
    )
    assert _wants_objection_outcome("Wat werd er besloten over het bezwaar?", None)


@pytest.mark.parametrize(
    ("objection", "verdict", "reason", "day"),
    [
        # Six weeks from 19 April 2019 end on 30 May 2019, Hemelvaartsdag: the Algemene
        # termijnenwet moves the last day to 31 May.
        ("Per brief van 29 mei 2019 hebt u bezwaar gemaakt tegen het besluit van 18 april 2019.",
         "tijdig", "Hemelvaartsdag", "29 mei 2019"),
        ("Bij brief van 10 februari 2021 heeft u bezwaar gemaakt tegen mijn besluit van 24 "
         "december 2020.", "te laat", "verschoonbaar", "10 februari 2021"),
        # Received, not dated: the day it came in decides, and is when it was made.
        ("Op 18 december 2020 heb ik van u een bezwaarschrift ontvangen tegen mijn besluit van "
         "28 november 2020.", "tijdig", "Ontvangen op 18 december 2020", "18 december 2020"),
    ],
)  # fmt: skip
def test_whether_an_objection_was_in_time_is_computed_from_the_documents_dates(
    make_settings: Any, tmp_path: Path, objection: str, verdict: str, reason: str, day: str
) -> None:
    letter = (
        "Beslissing op bezwaar over het Wob-verzoek over de Waddenweg\n\nDatum 23 april 2021\n\n"
        f"{objection} Ik verklaar uw bezwaar ongegrond."
    )
    pdf = tmp_path / "ingest" / "besluiten" / "bezwaar.pdf"
    with _engine_over(make_settings, pdf, letter) as engine:
        (document,) = engine.documents()
        assert document.kind == "beslissing_op_bezwaar"
        answer, quoted = _direct(engine, "Is het bezwaar over de Waddenweg op tijd ingediend?")
        assert answer.kind == "termijn" and answer.origin == "metadata"
        assert answer.text.startswith(f"{verdict} (berekend: ") and reason in answer.text
        # Quoted where the objection's date stands, once.
        cited = [q.text for q in quoted.quotes if q.n == answer.n]
        assert cited[0] == objection and cited.count(objection) == 1
        # Without asking about the period, the objection's date is the answer (not the
        # decision's own date, nor the contested decision's), quoted where it stands.
        made, quoted = _direct(engine, "Wanneer werd bezwaar gemaakt over de Waddenweg?")
        assert (made.text, made.kind, made.origin) == (day, "datum", "metadata")
        assert quoted.quotes[0].text == objection
        received, _ = _direct(engine, "Wanneer is het bezwaarschrift over de Waddenweg ontvangen?")
        assert received.text == day


@pytest.mark.parametrize(
    ("collection", "text", "question", "expected"),
    [
        pytest.param(
            "woo",
            "Besluit op uw Wob-verzoek over percelen in Drachten\n\n"
            "In uw e-mail van 5 oktober 2020 heeft u verzocht om informatie over het gebruik "
            "van percelen in Drachten. De ontvangst van uw verzoek is bevestigd bij brief van "
            "15 oktober 2020. In die brief is de beslistermijn met vier weken verdaagd tot "
            "30 november 2020.",
            "Tot wanneer nam de minister extra tijd voor het verzoek over percelen in Drachten?",
            "30 november 2020",
            id="until-when-asks-for-the-date-after-tot",
        ),
        # As the corpus's objects permit for the Haarlemmerdijk: "t/m" bounds the period
        # (it had answered with the day the application came in).
        pytest.param(
            "besluiten",
            "Plaatsing object(en) Haarlemmerdijk 145\n\nOp 8 november 2018 heeft het stadsdeel "
            "uw aanvraag om vergunning voor het plaatsen van een steiger ter hoogte van de "
            "Haarlemmerdijk 145 ontvangen.\n\nTijdelijke objectvergunning\n\nObject(en): Vaste "
            "Steiger (18 x 15 x 1)\nDatum: van 16 november 2018 t/m 11 januari 2019\n",
            "Tot wanneer mag de steiger aan de Haarlemmerdijk blijven staan?",
            "11 januari 2019",
            id="until-when-also-after-t-m",
        ),
        # An inventory's row applies two grounds; a question for grounds gets both (it had
        # answered with the first).
        pytest.param(
            "woo",
            "Inventarislijst Wob-besluit biofuel-programma\n\n"
            "|Nr.|Document|Beoordeling|Weigeringsgrond|\n|---|---|---|---|\n"
            "|1.|Agreement on the KLM corporate biofuel programme|Deels openbaar|10.1.d 10.2.g|\n",
            "Welke weigeringsgronden noemt het Wob-besluit over het biofuel-programma?",
            "10.1.d en 10.2.g",
            id="grounds-asked-are-all-the-rows-grounds",
        ),
        # (The sentence of the amendment in the corpus.) Both numbers stand as near to the
        # start of "uiteindelijk", but it is said right before the second.
        pytest.param(
            "moties",
            "Amendement sloopregeling bestelauto's\n\n"
            "Het afgelopen jaar is de Subsidieregeling demontage bestelauto's ondernemers Den "
            "Haag 2024 (RIS318565) meermaals opgehoogd (RIS319174, RIS319772, RIS320204) van "
            "€ 250.000,- tot uiteindelijk € 2.500.000,-. "
            "Daarmee konden 700 oude vervuilende bestelauto's worden gesloopt.",
            "Hoe groot werd het budget voor de sloop van bestelbusjes in 2024 uiteindelijk?",
            "2.500.000",
            id="of-two-values-the-one-the-question-words-stand-by",
        ),
        # As the corpus's Sixhaven decision: the contact under another label, and the next
        # label on the same line (it had answered "Voorkeursbesluit Sprong").
        pytest.param(
            "woo",
            "Gemeente Amsterdam\n\nBehandeld door Mariette van Baaren, Ruimte & Duurzaamheid "
            "Bijlage Inventarislijst\n\nOnderwerp Beslissing op Wob-verzoek inzake de Sixhaven"
            "\n\nIn uw brief verzoekt u om alle conceptversies van het Voorkeursbesluit Sprong.",
            "Wie is de contactpersoon voor het Wob-besluit over de Sixhaven?",
            "Mariette van Baaren, Ruimte & Duurzaamheid",
            id="the-contact-person-may-be-labelled-behandeld-door",
        ),
    ],
)  # fmt: skip
def test_direct_answer_of_a_letter(
    make_settings, tmp_path: Path, collection: str, text: str, question: str, expected: str
) -> None:
    pdf = tmp_path / "ingest" / collection / "brief.pdf"
    with _engine_over(make_settings, pdf, text) as engine:
        assert _direct(engine, question)[0].text == expected


def test_how_often_asks_for_a_frequency(make_settings, tmp_path: Path) -> None:
    # The best sentence counts something (two notes); the next one says how often.
    minutes = (
        "Verslag van de werkgroep\n\n"
        "De werkgroep fiscale zaken overlegt met de directie over 2 notities. Dat gebeurt "
        "eens per kwartaal, met een open agenda."
    )
    pdf = tmp_path / "ingest" / "verslagen" / "werkgroep.pdf"
    with _engine_over(make_settings, pdf, minutes) as engine:
        asked = "Hoe vaak overlegt de werkgroep fiscale zaken met de directie?"
        assert _direct(engine, asked)[0].text == "eens per kwartaal"
        # A question that counts still gets the count.
        counted = "Over hoeveel notities overlegt de werkgroep fiscale zaken met de directie?"
        assert _direct(engine, counted)[0].text == "2 notities"


def test_who_signed_a_letter_is_read_from_its_signature_block(
    make_settings, tmp_path: Path
) -> None:
    pages = [
        "Kamerbrief over de speeltuinen in Transvaal\n\n"
        "Hierbij informeer ik uw Kamer over de staat van de speeltuinen in Transvaal. "
        "Wethouder Jansen heeft de speeltuinen in 2024 laten keuren.",
        "De keuring wees uit dat drie toestellen vervangen moeten worden. Ik houd uw "
        "Kamer op de hoogte.\n\nDe Staatssecretaris van Binnenlandse Zaken,\n\n"
        "A.B. de Vries-Bakker\n\nBijlage: keuringsrapport speeltuinen Transvaal",
    ]
    pdf = tmp_path / "ingest" / "brieven" / "speeltuinen.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        signer, answer = _direct(engine, "Wie ondertekende de brief over de speeltuinen?")
        assert (signer.text, signer.origin, signer.field) == (
            "A.B. de Vries-Bakker",
            "metadata",
            "signer",
        )
        (quote,) = answer.quotes  # the signature block alone, cited to its page
        assert quote.page == 2 and "De Staatssecretaris van Binnenlandse Zaken" in quote.text
        # Who did something in the letter is no question about its signer.
        other, _ = _direct(engine, "Wie liet de speeltuinen in Transvaal keuren?")
        assert other.field is None and other.text != "A.B. de Vries-Bakker"
    # In a sensitive collection the signer, read from a page no retrieved passage holds,
    # is pseudonymised as the passages are: the placeholder, never the name.
    secret = tmp_path / "geheim" / "bezwaar" / "speeltuinen.pdf"
    with _engine_over(make_settings, secret, pages, home=tmp_path / "home-bezwaar") as engine:
        signer, answer = _direct(engine, "Wie ondertekende de brief over de speeltuinen?")
        assert signer.field == "signer" and signer.text.startswith("[PERSOON-")
        assert all("Vries" not in quote.text for quote in answer.quotes)


def test_what_a_decision_does_not_give_is_not_taken_from_its_other_sentences(
    make_settings, tmp_path: Path
) -> None:
    # As the corpus's presidium decision on the businesscase: no signature and no appeal
    # clause. Who signed is read from a signature block only (the alderman the letter
    # speaks of, or a speaker in a debate about it, did not sign it); its sentences on the
    # secrecy are no answer to "Wat is de beroepstermijn …?".
    letter = (
        "Besluit op bezwaar over de geheimhouding van de businesscase\n\n"
        "Wethouder Jansen heeft de businesscase voor het ziekenhuis op 19 december 2024 "
        "geheim verklaard. Het presidium adviseert het bezwaar tegen de geheimhouding "
        "ongegrond te verklaren."
    )
    pdf = tmp_path / "ingest" / "bezwaar" / "businesscase.pdf"
    # Another decision on an objection to secrecy, signed: its signer did not sign this one.
    other = (
        "Besluit op bezwaar over de geheimhouding van de grondexploitatie\n\nHet bezwaar "
        "tegen de geheimhouding is ongegrond.\n\nHoogachtend,\n\nJ. de Wit"
    )
    write_pdf(tmp_path / "ingest" / "bezwaar" / "grondexploitatie.pdf", [other])
    with _engine_over(make_settings, pdf, letter) as engine:
        signed = engine.ask(
            "Wie ondertekende het besluit op bezwaar over de geheimhouding van de businesscase?"
        ).extractive
        assert signed is not None and signed.direct is None
        period = engine.ask(
            "Wat is de beroepstermijn bij het besluit op bezwaar over de geheimhouding van "
            "de businesscase?"
        )
        assert period.refused
        assert period.extractive is not None and period.extractive.quotes == []


@pytest.mark.parametrize(
    ("question", "signer"),
    [
        ("Wie ondertekende de Kamerbrief over draagmoederschap?", True),
        # Who wrote a letter is who signed it.
        ("Welke minister schreef de Kamerbrief over draagmoederschap?", True),
        ("Welke brief schreef de minister over draagmoederschap?", False),
        ("Door wie is het besluit getekend?", True),
        ("Welke brief ondertekende de minister?", False),
        # Objecting is no signing.
        ("Wie tekende bezwaar aan tegen het besluit over de businesscase?", False),
        ("Wie heeft beroep aangetekend tegen de vergunning?", False),
    ],
)
def test_asks_signer(question: str, signer: bool) -> None:
    assert asks_signer(question) is signer


@pytest.mark.parametrize(
    ("text", "signer"),
    [
        ("kopie mee.\n\nDE MINISTER VAN FINANCIËN,\n\nNamens deze,\n\n"
         "Bas van den Dungen secretaris-generaal", "Bas van den Dungen"),
        # The close, a sentence about the signing, then the name.
        ("De minister van Buitenlandse Zaken,\nnamens deze,\nde Coördinator van het "
         "Wob-cluster, Dit besluit is geaccordeerd in een gedigitaliseerd proces en om die "
         "reden niet ondertekend.\nH.D. Streef\nBelanghebbenden kunnen", "H.D. Streef"),
        ("Hoogachtend,\nHet college van burgemeester en wethouders van Amsterdam,\n"
         "namens dezen,\nMw. T. Sommeijer", "Mw. T. Sommeijer"),
        # A pseudonymised collection: the placeholder, which may be revealed.
        ("Namens deze,\n\n[PERSOON-68] secretaris-generaal", "[PERSOON-68]"),
        # A council's decision: the griffie's close, signed electronically below it.
        ("Aldus besloten in de openbare raadsvergadering van 9 juli 2025.\n\nDe griffier,\n\n"
         "De voorzitter,\n\nBijlage:\n1. Advies van de Adviescommissie bezwaarschriften\n"
         "ValidSigned door De Griffier L. Blankwaard\n op 09-07-2025", "L. Blankwaard"),
        # A close without a name is no signature.
        ("Met vriendelijke groet,\nTeam Wob van de gemeente", None),
    ],
)  # fmt: skip
def test_signature_blocks(text: str, signer: str | None) -> None:
    found = [name for _, _, name in find_signatures(text)]
    assert found == ([signer] if signer else [])


def test_who_says_a_sentence_in_the_minutes_is_its_speaker(make_settings, tmp_path: Path) -> None:
    # Vote explanations: each speaker says "wij"/"onze fractie"; the sentence that answers
    # names another party (the SP of the motion), which the question names too.
    minutes = (
        "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden "
        "op donderdag 12 juni 2025.\n\nDe voorzitter. Ik geef gelegenheid voor "
        "stemverklaringen achteraf.\n\nIsabel Bos (GroenLinks). Voorzitter. Wij hebben "
        "tegen alle moties van Hart voor Den Haag over het verkeersnet gestemd.\n\n"
        "Robin Smit (PvdD). Voorzitter. Onze fractie heeft over de motie van de SP over "
        "het verkeersnet per ongeluk verdeeld gestemd.\n\nDe voorzitter. Dank u wel.\n\n"
        "Robin Smit (PvdD). Voorzitter. Mijn idee: als onze burgemeester Van Zanen en het "
        "college daar zin in hebben, steun de motie over het verkeersnet."
    )
    pdf = tmp_path / "ingest" / "notulen" / "notulen-12-juni.pdf"
    with _engine_over(make_settings, pdf, minutes) as engine:
        party, extractive = _direct(
            engine,
            "Welke partij liet weten dat haar fractie per ongeluk verdeeld had gestemd over "
            "de SP-motie over het verkeersnet?",
        )
        assert party.text == "Partij voor de Dieren"
        assert "verdeeld gestemd" in extractive.quotes[0].text
        # The quote says who says it, so the party can be checked against it.
        assert extractive.quotes[0].speaker == "Robin Smit (Partij voor de Dieren)"
        assert extractive.quotes[0].to_dict()["speaker"] == "Robin Smit (Partij voor de Dieren)"
        assert "Robin Smit (Partij voor de Dieren): “Onze fractie" in extractive.render()
        assert "*Robin Smit (Partij voor de Dieren):* “Onze fractie" in extractive_markdown(
            extractive
        )
        who, _ = _direct(
            engine, "Wie liet weten dat zijn fractie per ongeluk verdeeld had gestemd?"
        )
        assert who.text == "Robin Smit"
        # Who holds a role is not whoever speaks of it in the first person.
        mayor, _ = _direct(engine, "Wie is de burgemeester van Testdorp?")
        assert mayor.text == "burgemeester Van Zanen"


def test_who_reads_out_a_motions_request_wants_it(make_settings, tmp_path: Path) -> None:
    # As in the corpus's minutes of 19 December 2024 (dev2-B15): a member reads out the
    # request of the motion they submit; "Wie wil …?" had answered "Europese Unie", named at
    # the request's end. A request the chair reads out is not the chair's.
    minutes = (
        "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden "
        "op donderdag 19 december 2024.\n\nNoud Dumoulin (VVD). Voorzitter. Het is een "
        "warboel in de grond. Daarom een motie met als dictum: verzoekt het college een "
        "actieplan op te stellen voor het bundelen van kabels en leidingen in goten en voor "
        "de financiering bijdragen te zoeken vanuit de Europese Unie. Deze motie dien ik "
        "mede in namens collega Van Esch.\n\nDe voorzitter. "
        "Door mevrouw Gerritsen wordt de volgende motie (G.2 PvdD) ingediend:\n\n"
        "verzoekt het college de personele capaciteit voor de ondergrond in kaart te brengen "
        "met hulp van de Vereniging Ondergrond."
    )
    pdf = tmp_path / "ingest" / "notulen" / "notulen-19-december.pdf"
    with _engine_over(make_settings, pdf, minutes) as engine:
        who, extractive = _direct(engine, "Wie wil kabels en leidingen in goten bundelen?")
        assert who.text == "Noud Dumoulin"
        assert "bundelen van kabels" in extractive.quotes[0].text
        # The speaker the question names is not who it asks for.
        asked = "Namens welk raadslid diende Dumoulin zijn motie mede in?"
        member, _ = _direct(engine, asked)
        assert member.text == "Van Esch"
        asked = "Wie wil de personele capaciteit voor de ondergrond in kaart brengen?"
        read = engine.ask(asked).extractive
        assert read is not None and read.quotes
        assert read.direct is None or "voorzitter" not in read.direct.text.lower()


def test_a_signature_answers_who_signed_only(make_settings, tmp_path: Path) -> None:
    # The corpus's verordening nadeelcompensatie: "Wie beslist over een aanvraag om
    # nadeelcompensatie?" had answered the griffier's digital signature stamp.
    proposal = (
        "Voorstel van het college inzake Verordening nadeelcompensatie Testdorp 2025\n\n"
        "Een aanvraag om nadeelcompensatie wordt schriftelijk ingediend.\n\n"
        "Aldus besloten in de openbare raadsvergadering van 30 januari 2025.\n\n"
        "De griffier, De voorzitter,\n\n"
        "ValidSigned door De Griffier L. Blankwaard Rombouts op 03-02-2025"
    )
    pdf = tmp_path / "ingest" / "raadsvoorstellen" / "nadeelcompensatie.pdf"
    with _engine_over(make_settings, pdf, proposal) as engine:
        decides = engine.ask("Wie beslist over een aanvraag om nadeelcompensatie?").extractive
        assert decides is not None
        assert decides.direct is None or "Blankwaard" not in decides.direct.text
        signed, _ = _direct(engine, "Wie heeft het voorstel over nadeelcompensatie ondertekend?")
        assert "Blankwaard" in signed.text


def test_no_relevant_sentence_is_the_refusal_with_closest_sources(engine: Engine) -> None:
    answer = engine.ask("Wat is de begroting van de gemeente voor ruimtevaart in 2031?")
    assert answer.refused and answer.text == REFUSAL and answer.sources
    assert answer.extractive is not None and answer.extractive.quotes == []
    record = engine.audit.records()[-1]
    assert record.refused and record.model is None and record.extractive == REFUSAL


def test_a_question_about_another_municipality_is_refused_and_says_so(engine: Engine) -> None:
    # The motion on sleutelgeld is Den Haag's: it holds every other word of the question
    # and the fine it asks for.
    asked = "Welke boete wil de gemeente Rotterdam verhuurders opleggen die sleutelgeld vragen?"
    answer = engine.ask(asked)
    assert answer.refused and answer.sources
    assert answer.extractive is not None and answer.extractive.quotes == []
    assert answer.text == f"{REFUSAL} De gevonden documenten gaan niet over Rotterdam."
    assert engine.audit.records()[-1].refused
    for about_the_city in ("de gemeente Den Haag", "de Haagse raad"):
        answered = engine.ask(asked.replace("de gemeente Rotterdam", about_the_city))
        assert answered.extractive is not None and answered.extractive.direct is not None
        assert answered.extractive.direct.text == "5.000 euro"


def test_a_refusal_says_the_documents_are_not_about_a_place_only_when_none_is(
    make_settings: Any, tmp_path: Path
) -> None:
    zwolle = "Gemeente Zwolle\n\nMonitor wonen\n\nDe gemeente telt in 2024 ruim 130.000 inwoners."
    write_pdf(tmp_path / "ingest" / "beleid" / "monitor.pdf", [zwolle])
    helder = (
        "Gemeente Den Helder\n\nBesluitenlijst raadsvergadering 29 juni 2015\n\nDe raad "
        "besluit in meerderheid (16 stemmen voor en 14 stemmen tegen)."
    )
    with _engine_over(make_settings, tmp_path / "ingest" / "besluiten" / "lijst.pdf", helder) as e:
        # The best sentence is Zwolle's, but a retrieved document is Den Helder's: it holds
        # no count of inhabitants ("16 stemmen" counts votes).
        answer = e.ask("Hoeveel inwoners telt de gemeente Den Helder in 2024?")
        assert {hit.file for hit in answer.sources} == {"beleid/monitor.pdf", "besluiten/lijst.pdf"}
        assert answer.refused and answer.text == REFUSAL
        answer = e.ask("Hoeveel inwoners telt de gemeente Amersfoort in 2024?")
        assert answer.text == f"{REFUSAL} De gevonden documenten gaan niet over Amersfoort."


def test_a_value_no_quoted_sentence_holds_is_the_refusal(engine: Engine) -> None:
    # The letter on the playgrounds holds the question's words, numbers, an amount and a
    # date, but no percentage.
    asked = engine.ask("Welk percentage van de speeltuinen in Transvaal is onveilig?")
    assert asked.refused and asked.extractive is not None and asked.extractive.quotes == []
    assert asked.sources  # with the closest sources
    # The amount it does hold is the answer ("wat heeft … gekost" asks for an amount).
    amount = engine.ask("Wat heeft de vervanging van de speeltoestellen in Transvaal gekost?")
    assert amount.extractive is not None and amount.extractive.direct is not None
    assert amount.extractive.direct.text == "240.000 euro"


def test_stream_gives_the_extractive_answer_first(engine: Engine) -> None:
    events = list(engine.stream_answer("Welke partij diende de motie over sleutelgeld in?"))
    assert isinstance(events[0], ExtractiveAnswer) and isinstance(events[-1], Answer)
    assert len(events) == 2  # no model: nothing generated
    assert events[-1].extractive is events[0]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Welke partij diende de motie over sleutelgeld in?", "partij"),
        ("Wie heeft de motie over sleutelgeld ingediend?", "partij"),
        ("Tot uiterlijk wanneer stelt het college de afhandeling uit?", "datum"),
        ("Hoeveel geld wil de motie reserveren?", "bedrag"),
        ("Wat heeft de sloop van het viaduct gekost?", "bedrag"),
        ("Welk percentage van de thuiszitters is hoogbegaafd?", "percentage"),
        ("Hoeveel bomen worden gekapt?", "aantal"),
        # "Hoe hoog" of a sum of money asks for an amount, of a thing for a number.
        ("Hoe hoog is de last onder dwangsom?", "bedrag"),
        ("Hoe hoog is de tegemoetkoming in de schade?", "bedrag"),
        ("Hoeveel nadeelcompensatie krijgt de aanvrager?", "bedrag"),
        ("Wat is de hoogte van de dwangsom?", "bedrag"),
        ("Hoe hoog wordt de nieuwe windturbine?", "aantal"),
        ("Hoe ver moeten windturbines van woningen staan?", "aantal"),
        ("Met welke stemverhouding nam de raad de motie aan?", "stemuitslag"),
        ("Op grond van welk artikel van de Woo is informatie geweigerd?", "grond"),
        ("Wat gebeurde er met de GroenLinks-motie over demonstreren?", "uitkomst"),
        ("Wat deed de PvdD met haar motie over pootjebaden?", "uitkomst"),
        ("Is de motie over hoogbegaafdheid aangenomen?", "uitkomst"),
        ("Wanneer is de motie over hoogbegaafdheid aangenomen?", "datum"),
        ("Wie is eigenaar van het pand aan de Stationsweg?", "persoon"),
        ("Welke secretaris-generaal tekende de beslissing op bezwaar?", "persoon"),
        # "lid" is a het-word: "welk raadslid", not "welke".
        ("Welk raadslid diende de motie over sleutelgeld in?", "persoon"),
        ("Welk Kamerlid nam het initiatief voor een rondetafelgesprek?", "persoon"),
        ("Welke topambtenaar tekende namens de minister?", "persoon"),
        ("Welke dagtekening heeft de brief over de speeltuinen?", "datum"),
        ("Welke hoeveelheid duurzame energie wil de regio opwekken?", "aantal"),
        # A period in law asks for a duration ("zes weken"), not a count or a date.
        ("Binnen welke termijn kan beroep worden ingesteld?", "termijn"),
        ("Wat is de beslistermijn voor een Woo-verzoek?", "termijn"),
        ("Hoe lang is de bezwaartermijn?", "termijn"),
        # The grounds of an objection are its arguments, not a Woo ground.
        ("Welke gronden voert de bezwaarmaker aan tegen het Wob-besluit?", None),
        ("Wat zijn de bezwaargronden tegen het verkeersbesluit?", None),
        ("Op welke gronden weigerde de minister de stukken openbaar te maken?", "grond"),
        ("Waarom kunnen inwoners niet via internet stemmen?", None),
        ("Hoe wil het college huurders ondersteunen?", None),
        # A document's or case's number.
        ("Welk RIS-kenmerk heeft de brief over investeringsgebieden?", "kenmerk"),
        ("Wat is het zaaknummer van het beeldkwaliteitsplan?", "kenmerk"),
        ("Onder welke registratienummers zijn de vergunningen aangevraagd?", "kenmerk"),
        ("Welk Kamerstuknummer heeft het wetsvoorstel?", "kenmerk"),
        ("Welk rekeningnummer noemt de brief?", None),
    ],
)
def test_question_types(question: str, kind: str | None) -> None:
    assert question_type(question) == kind


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        # A scan's OCR read the thousands point of "€ 2.500,-" as a comma: whole euros
        # (",-") have no decimals.
        ("wordt een dwangsom van € 2,500,”- (zegge: vijfentwintighonderd euro)", "€ 2.500"),
        ("een dwangsom van € 2.500,- per week", "€ 2.500,-"),
        ("het tarief is € 0,125 per kWh", "€ 0,125"),
        ("een bijdrage van € 2,50.", "€ 2,50"),
    ],
)
def test_an_amount_is_shown_as_a_dutch_reader_reads_it(sentence: str, amount: str) -> None:
    spans = find_spans("bedrag", sentence, "Hoe hoog is de dwangsom?")
    assert [span.text for span in spans] == [amount]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hoeveel bomen worden gekapt?", "aantal"),
        # "Hoe hoog" of a sum of money asks for an amount, of a thing for a number.
        ("Hoe hoog is de last onder dwangsom?", "bedrag"),
        ("Hoe hoog is de tegemoetkoming in de schade?", "bedrag"),
        ("Hoe hoog wordt de nieuwe windturbine?", "aantal"),
        ("Voor hoeveel woningen is een vergunning verleend?", "aantal"),
        ("Met welke stemverhouding nam de raad de motie aan?", "stemuitslag"),
        ("Wat is het maximumbedrag van de dwangsom?", "bedrag"),
        # The number is asked of in a clause; the question asks for an interest.
        ("Welk belang wordt geschaad als openbaar wordt hoeveel de vervoerders kregen?", None),
        ("Welke gemeente won de wedstrijd, en hoeveel kilo viel er in te zamelen?", None),
    ],
)
def test_leading_question_types(question: str, kind: str | None) -> None:
    assert leading_question_type(question) == kind


def test_span_finders_skip_what_the_question_already_says() -> None:
    sentence = "In 2024 zijn 700 bestelauto's gesloopt; in 2025 volgen er naar schatting 300."
    spans = [
        s.text for s in find_spans("aantal", sentence, "Hoeveel busjes zijn in 2024 gesloopt?")
    ]
    assert "700" in spans and "2024" not in spans
    tally = find_spans("stemuitslag", "De motie is met 29 tegen 15 stemmen aangenomen.")
    assert [s.text for s in tally] == ["29 tegen 15"]
    parties = find_spans("partij", "Ingediend door GL/PvdA en de SP, gesteund door de VVD.", "VVD")
    assert [s.text for s in parties] == ["GroenLinks-PvdA", "SP"]


def _cli(
    tmp_path: Path, inbox: Path, settings: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """``raadsinzicht ARGS`` in a fresh process with its own home and ``settings``."""
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": ":".join(sys.path),
        "RAADSINZICHT_HOME": str(tmp_path / "home"),
        "RAADSINZICHT_INGEST_DIR": str(inbox),
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "raadsinzicht.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# -- the one audit path --------------------------------------------------------------------


@pytest.fixture
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=(MODEL,)) as server:
        yield server


@pytest.fixture
def model_engine(make_settings, inbox: Path, ollama: FakeOllama) -> Iterator[Engine]:
    settings = make_settings(
        ingest_dir=inbox,
        llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": MODEL},
    )
    engine = build_engine(settings)
    engine.ingest(embed=False)
    yield engine
    engine.close()


def test_with_a_model_the_stream_is_extractive_status_text_answer(
    model_engine: Engine, ollama: FakeOllama
) -> None:
    events = list(model_engine.stream_answer("Welke partij diende de motie over sleutelgeld in?"))
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "ExtractiveAnswer" and kinds[1] == "GenerationStatus"
    assert kinds[-1] == "Answer" and "str" in kinds
    answer = events[-1]
    assert isinstance(answer, Answer) and answer.model == f"ollama/{MODEL}"
    status = answer.generation
    assert isinstance(status, GenerationStatus) and status.stage == "done"
    assert status.prompt_tokens > 0 and status.generated_tokens == len(
        [e for e in events if isinstance(e, str)]
    )
    assert "tokens" in status.describe()
    # The model got the quoted passage first, numbered [1], and at most model_passages.
    prompt = ollama.generation_requests()[-1][1]["messages"][-1]["content"]
    assert prompt.index("[1] (sleutelgeld.pdf") < prompt.index("</context>")
    assert answer.extractive is not None and answer.extractive.quotes[0].n == 1
    assert answer.model_passages <= model_engine.settings.answer.model_passages
    record = model_engine.audit.records()[-1]
    assert record.model == f"ollama/{MODEL}" and record.extractive and not record.abandoned


def test_an_abandoned_stream_is_audited_as_abandoned(
    model_engine: Engine, ollama: FakeOllama
) -> None:
    ollama.reply = "De SP diende de motie in [1]. Het gaat om sleutelgeld bij huurcontracten [1]."
    events = model_engine.stream_answer("Welke partij diende de motie over sleutelgeld in?")
    for event in events:
        if isinstance(event, str):
            break  # the client leaves after the first piece of text
    events.close()  # what the web server does when the browser goes away
    record = model_engine.audit.records()[-1]
    assert record.abandoned and record.error and "afgebroken" in record.error
    assert record.model == f"ollama/{MODEL}" and record.input.startswith("Welke partij")
    assert record.extractive and "SP" in record.extractive
    assert ollama.generation_requests()  # the question had reached the model


def test_an_unexpected_error_is_audited_and_raised(
    model_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = model_engine.llm()

    def broken(*args: Any, **kwargs: Any) -> Iterator[str]:
        yield "De SP "
        raise KeyError("kapot")

    monkeypatch.setattr(llm, "stream", broken)
    with pytest.raises(KeyError):
        model_engine.ask("Welke partij diende de motie over sleutelgeld in?")
    record = model_engine.audit.records()[-1]
    assert record.error == "onverwachte fout: KeyError: 'kapot'" and not record.abandoned


def test_cli_ask_json_without_a_model_carries_both_parts(inbox: Path, tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return _cli(tmp_path, inbox, {"RAADSINZICHT_LLM__PROVIDER": "extractive"}, *args)

    assert cli("ingest", "--no-embed").returncode == 0
    result = cli("ask", "Welke partij diende de motie over sleutelgeld in?", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["extractive"]["direct"]["text"] == "SP" and data["answer"].startswith("Partij: SP")
    assert data["citations"][0]["file"] == "moties/sleutelgeld.pdf"
    assert data["citations"][0]["page"] == 1
    shown = cli("ask", "Welke partij diende de motie over sleutelgeld in?")
    assert shown.returncode == 0 and "Antwoord uit de bronnen" in shown.stdout
    assert "Partij: SP" in shown.stdout
    # Two quotes from one page: that page is listed once under the answer.
    quotes = data["extractive"]["quotes"]
    assert len(quotes) > len({(q["n"], q["page"]) for q in quotes})
    assert shown.stdout.count("[1] moties/sleutelgeld.pdf, p. 1") == 1


def _ollama_env(ollama: FakeOllama) -> dict[str, str]:
    return {
        "RAADSINZICHT_LLM__PROVIDER": "ollama",
        "RAADSINZICHT_LLM__OLLAMA_URL": ollama.url,
        "RAADSINZICHT_LLM__OLLAMA_MODEL": MODEL,
    }


def test_cli_ask_with_a_model_shows_status_lines_and_both_answers(
    inbox: Path, tmp_path: Path, ollama: FakeOllama
) -> None:
    model = _ollama_env(ollama)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return _cli(tmp_path, inbox, model, *args)

    assert cli("ingest", "--no-embed").returncode == 0
    result = cli("ask", "Welke partij diende de motie over sleutelgeld in?")
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"ollama/{MODEL}: prompt" in result.stderr and "tokens/s" in result.stderr
    extractive_at = result.stdout.index("Antwoord uit de bronnen")
    generated_at = result.stdout.index(f"Antwoord van ollama/{MODEL}")
    assert extractive_at < generated_at
    data = json.loads(
        cli("ask", "Welke partij diende de motie over sleutelgeld in?", "--json").stdout
    )
    assert data["model"] == f"ollama/{MODEL}" and data["extractive"]["direct"]["text"] == "SP"
    assert data["generation"]["prompt_tokens"] > 0 and data["answer"]


def test_cli_ask_says_so_when_the_model_refuses_what_the_sources_answer(
    inbox: Path, tmp_path: Path, ollama: FakeOllama
) -> None:
    model = _ollama_env(ollama)
    assert _cli(tmp_path, inbox, model, "ingest", "--no-embed").returncode == 0
    ollama.reply = "Dit staat niet in de geïndexeerde documenten."
    question = "Welke partij diende de motie over sleutelgeld in?"
    result = _cli(tmp_path, inbox, model, "ask", question)
    assert result.returncode == 0, result.stderr[-2000:]
    generated = result.stdout[result.stdout.index(f"Antwoord van ollama/{MODEL}") :]
    # Under sentences from the documents that answer, the model's refusal does not read as
    # "the documents hold nothing".
    assert "Partij: SP" in result.stdout
    assert "Dit staat niet in de geïndexeerde documenten" not in generated
    assert "geen antwoord dat de bronnen onderbouwen" in " ".join(generated.split())
    # A grounded answer that does not name who the records say submitted it is marked.
    ollama.reply = "De raad van de gemeente Den Haag diende de motie over sleutelgeld in [1]."
    member = _cli(
        tmp_path, inbox, model, "ask", "Welk raadslid diende de motie over sleutelgeld in?"
    )
    assert member.returncode == 0, member.stderr[-2000:]
    assert "taalmodel noemt dat niet" in " ".join(member.stdout.split())


def test_a_generated_answer_that_names_another_person_than_the_records_is_marked(
    model_engine: Engine, ollama: FakeOllama
) -> None:
    """The check against the sources passes a sentence the passage holds; whether it
    answers "who" as the motion's own field does is another question."""
    question = "Welk raadslid diende de motie over sleutelgeld in?"
    ollama.reply = "De raad van de gemeente Den Haag diende de motie over sleutelgeld in [1]."
    answer = model_engine.ask(question)
    assert answer.extractive is not None and answer.extractive.direct is not None
    assert answer.extractive.direct.text == "Lesley Arp (SP)" and not answer.refused
    assert answer.differs == "Lesley Arp (SP)" == answer.to_dict()["differs"]
    # The audit log keeps the warning the user saw.
    assert model_engine.audit.records()[-1].differs == "Lesley Arp (SP)"
    from raadsinzicht.web.format import answer_markdown

    assert "taalmodel noemt dat niet" in answer_markdown(answer)
    ollama.reply = "Het raadslid Arp van de SP diende de motie over sleutelgeld in [1]."
    assert model_engine.ask(question).differs is None
    # A party the records give is named by any of its names.
    ollama.reply = "De Socialistische Partij diende de motie over sleutelgeld in [1]."
    party = model_engine.ask("Welke partij diende de motie over sleutelgeld in?")
    assert party.extractive is not None and party.extractive.direct is not None
    assert party.extractive.direct.text == "SP" and party.differs is None


@pytest.mark.parametrize(
    ("direct", "kind", "generated", "differs"),
    [
        # The model said "Ja, … gegrond verklaard" of a decision that declares it unfounded.
        ("ongegrond", "uitkomst", "Ja, het bezwaar is gegrond verklaard [1].", "ongegrond"),
        ("ongegrond", "uitkomst", "Nee, het bezwaar is ongegrond verklaard [1].", None),
        ("gedeeltelijk gegrond", "uitkomst", "Het bezwaar is deels gegrond [1].", None),
        ("aangenomen met 42 tegen 2 stemmen", "uitkomst", "De motie is verworpen [1].",
         "aangenomen"),
        ("tijdig (berekend: …)", "termijn", "Ja, het is binnen de termijn gemaakt [1].", None),
        ("tijdig (berekend: …)", "termijn", "Het bezwaar is te laat ingediend [1].", "tijdig"),
        ("te laat (berekend: …)", "termijn", "Het is niet tijdig ingediend [1].", None),
        ("te laat (berekend: …)", "termijn", "Het is ingediend op 10 februari [1].", "te laat"),
    ],
)  # fmt: skip
def test_a_generated_answer_that_contradicts_an_outcome_or_a_period_is_marked(
    direct: str, kind: str, generated: str, differs: str | None
) -> None:
    extractive = ExtractiveAnswer(
        "Is het bezwaar gegrond verklaard?", None, DirectAnswer(direct, kind, 1, "metadata"),
        [], False, 1.0,
    )  # fmt: skip
    assert unnamed_direct_answer(extractive, generated) == differs


def test_how_long_asks_for_a_duration(make_settings, tmp_path: Path) -> None:
    # A table row holds a number next to the question's words (its dates); the sentence
    # that says how long is the answer.
    letter = (
        "Windbeleid: openstelling van gebieden\n\n"
        "Zwolle: 150 hectare, open van 16 oktober 2024 tot 15 februari 2025 voor "
        "windinitiatieven.\n\n"
        "De eerste gebieden stellen we per 15 oktober 2024 open, voor een periode van "
        "minimaal drie maanden."
    )
    pdf = tmp_path / "ingest" / "beleid" / "wind.pdf"
    with _engine_over(make_settings, pdf, letter) as engine:
        asked = (
            "Hoe lang worden de eerste gebieden voor windinitiatieven vanaf 15 oktober 2024 "
            "opengesteld?"
        )
        assert _direct(engine, asked)[0].text == "minimaal drie maanden"


def test_a_sentence_about_another_party_is_not_the_answer(make_settings, tmp_path: Path) -> None:
    # The question names the HSP; the sentence with more of its words is about the VVD.
    notes = (
        "Verslag van de commissie Leefomgeving\n\n"
        "De VVD stelt voor de ratten in Mariahoeve met vallen te bestrijden. "
        "De HSP stelt voor een rattenvanger aan te stellen."
    )
    pdf = tmp_path / "ingest" / "verslagen" / "commissie.pdf"
    with _engine_over(make_settings, pdf, notes) as engine:
        extractive = engine.ask("Wat stelt de HSP voor tegen de ratten in Mariahoeve?").extractive
        assert extractive is not None and not extractive.refused
        assert "rattenvanger" in extractive.quotes[0].text


def test_a_party_named_in_a_compound_is_the_asked_party(make_settings, tmp_path: Path) -> None:
    # "de HSP-fractie" names the HSP, as "de HSP-motie" in a question does: the sentence
    # is about the asked party, even with the VVD beside it, and loses nothing.
    assert parties_in("De VVD en de HSP-fractie") == {"VVD", "Haagse Stadspartij"}
    notes = (
        "Verslag van de commissie Leefomgeving\n\n"
        "Het college stelt voor de ratten in Mariahoeve met vallen te bestrijden. "
        "De HSP-fractie stelt, net als de VVD, voor de ratten in Mariahoeve met een "
        "rattenvanger te vangen."
    )
    pdf = tmp_path / "ingest" / "verslagen" / "commissie.pdf"
    with _engine_over(make_settings, pdf, notes) as engine:
        extractive = engine.ask("Wat stelt de HSP voor tegen de ratten in Mariahoeve?").extractive
        assert extractive is not None and not extractive.refused
        assert "rattenvanger" in extractive.quotes[0].text


def test_a_documents_number_is_read_after_its_label(make_settings, tmp_path: Path) -> None:
    # Each line as in the corpus (a Woo decision's letterhead, a council decision list, a
    # Tweede Kamer procedure list, a zienswijze cited in a motion).
    for sentence, numbers in (
        ("Datum 8 november 2018 Ons kenmerk 203.81008MH Uw kenmerk", ["203.81008MH"]),
        ("Commissiebrief inzake Nieuwe investeringsgebieden (RIS319429)", ["RIS319429"]),
        ("Zaaknummer: 297473", ["297473"]),
        ("zienswijze (RIS317701, kenmerk DSO/10674767) forse", ["RIS317701", "DSO/10674767"]),
        ("Samenvoeging van de gemeenten Helden en Meijel - 31817 Besluit: Aanmelden", ["31817"]),
        ("Op 8 november 2018 is 1 aanvraag ontvangen, zie bijlage 2.", []),
    ):
        found = find_spans("kenmerk", sentence, "Welk kenmerk heeft het besluit?")
        assert [span.text for span in found] == numbers, sentence
    # Asked for several, every number of the sentence answers (the corpus's Holocaust
    # monument decision); asked for one, the first.
    pages = [
        "Besluit op uw Wob-verzoek over het Namenmonument\n\nOnderwerp Beslissing op uw "
        "verzoek betreffende de bouw van het Namenmonument (vergunningen OLO-nummer 3210991 "
        "en OLO-nummer 3220267)\n\nIk maak de documenten over het Namenmonument openbaar."
    ]
    pdf = tmp_path / "ingest" / "woo" / "namenmonument.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        asked = "Onder welke OLO-nummers is de bouw van het Namenmonument aangevraagd?"
        direct, _ = _direct(engine, asked)
        assert (direct.kind, direct.text) == ("kenmerk", "3210991 en 3220267")
        asked = "Wat is het OLO-nummer van de bouw van het Namenmonument?"
        assert _direct(engine, asked)[0].text == "3210991"


def test_a_web_address_question_is_answered_from_the_text_not_the_letterhead(
    make_settings, tmp_path: Path
) -> None:
    assert question_type("Via welk webadres kan ik digitaal bezwaar maken?") == "webadres"
    assert question_type("Op welke website staan de stukken?") == "webadres"
    assert question_type("Naar welk e-mailadres stuur ik het verzoek?") == "webadres"
    found = find_spans("webadres", "Mail woo@denhaag.nl of zie https://www.denhaag.nl/woo.")
    assert [s.text for s in found] == ["woo@denhaag.nl", "https://www.denhaag.nl/woo"]
    assert find_spans("webadres", "Zie besluit.pdf en artikel 5.1.2e van de Wob.") == []
    pages = [
        "Besluit op uw Wob-verzoek over percelen in Drachten\n\n"
        "Mandemaat 3 Assen Postbus 40225 8004 DE ZWOLLE www.rvo.nl\n\n"
        "U heeft gevraagd om informatie over het gebruik van de percelen in Drachten.",
        "Bezwaar\n\nBent u het niet eens met dit besluit, dan kunt u bezwaar maken. Een "
        "digitaal bezwaarschrift tegen het besluit kunt u indienen via mijn.rvo.nl/bezwaar.",
    ]
    pdf = tmp_path / "ingest" / "woo" / "percelen.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        asked = engine.ask("Digitaal bezwaar Wob-besluit percelen Drachten: welk webadres?")
        extractive = asked.extractive
        assert extractive is not None and extractive.direct is not None
        assert extractive.direct.text == "mijn.rvo.nl/bezwaar"
        assert asked.citations[0].page == 2
    # The letterhead's "www.rvo.nl" is the sender's site, not an address asked for.
    letter = tmp_path / "brief" / "woo" / "inventaris.pdf"
    with _engine_over(make_settings, letter, pages[0], home=tmp_path / "home-brief") as engine:
        other = engine.ask("Op welke website staat het besluit over de percelen in Drachten?")
        assert other.extractive is not None and other.extractive.direct is None


def test_an_answer_reads_the_other_passages_on_a_retrieved_page(
    make_settings: Any, tmp_path: Path
) -> None:
    # Search gives one passage per page, the one most like the question. As on page 1 of the
    # corpus's Stationsweg decision, that is the passage on the mandate, and the sentence
    # that answers stands in the page's other passage.
    mandate = (
        "Het mandaat van de raad aan het college om over een ingediend bezwaarschrift tegen de "
        "weigering van de herziening van het omgevingsplan Stationsweg te beslissen, ontbreekt. "
    )
    filler = (
        "De commissie heeft de stukken van het dossier bestudeerd en de partijen gehoord over "
        "de gevolgen voor de buurt en de bewoners van het gebied. "
    )
    page = "\n\n".join(
        [mandate * 6, filler * 8 + "Op 28 juli 2024 heeft de aanvrager een bezwaarschrift "
         "ingediend.", filler * 8]
    )  # fmt: skip
    pdf = tmp_path / "ingest" / "bezwaar" / "stationsweg.pdf"
    with _engine_over(make_settings, pdf, page) as engine:
        (document,) = engine.documents()
        assert len(engine.catalog.page_chunks(document.doc_id, 1)) >= 3
        question = "Wanneer is het bezwaarschrift tegen de weigering van de herziening ingediend?"
        searched = engine.search(question, top_k=6)
        assert all("28 juli 2024" not in hit.chunk.text for hit in searched)
        date, extractive = _direct(engine, question)
        assert date.text == "28 juli 2024"
        assert "bezwaarschrift ingediend" in extractive.quotes[0].text
        answer = engine.ask(question)
        # Of the passages read beside the search hits, only the quoted one is a source.
        assert len(answer.sources) == len(searched) + 1
        assert "28 juli 2024" in answer.sources[0].chunk.text


_MINUTES_INTRO = "Notulen van de openbare vergadering van de gemeenteraad van Testdorp.\n\n"
_SAID_BEFORE = "Dit punt is eerder in de commissie besproken en daar toegelicht. "  # filler


def test_under_a_speaker_filter_the_page_is_read_for_the_asked_speakers_turns_only(
    make_settings: Any, tmp_path: Path
) -> None:
    # Minutes: the passage search returns holds Arp's words on housing without a number;
    # the page's next passage holds her number, the one after it another member's.
    asked = "Lesley Arp (SP). Wij maken ons zorgen over het bouwen van woningen in Laak. " * 7
    hers = (
        "De voorzitter. Dank u wel. "
        + _SAID_BEFORE * 16
        + "\n\nLesley Arp (SP). Wij willen dat er 500 woningen in Laak komen."
    )
    other = "Robin Smit (PvdD). Wij willen dat er 900 woningen in Laak komen. " + _SAID_BEFORE * 8
    pdf = tmp_path / "ingest" / "notulen" / "notulen.pdf"
    with _engine_over(
        make_settings, pdf, "\n\n".join([_MINUTES_INTRO + asked, hers, other])
    ) as engine:
        question = "Hoeveel woningen wil Lesley Arp in Laak bouwen?"
        filters = SearchFilters(speakers=("Lesley Arp",), spoken=True)
        searched = engine.search(question, top_k=6, filters=filters)
        assert all("500 woningen" not in hit.chunk.text for hit in searched)
        count, extractive = _direct(engine, question)
        assert count.text == "500 woningen"
        assert all("900" not in quote.text for quote in extractive.quotes)


def test_a_speaker_the_question_names_is_no_evidence_that_a_turn_answers(
    make_settings: Any, tmp_path: Path
) -> None:
    # Under "Wat zei Lesley Arp over …?" every passage is Arp's turn: her name in the
    # speaker's label had made "Lesley Arp (SP)." the answer to a subject she never spoke to
    # (another member did, on the next page).
    filler = _SAID_BEFORE * 24
    hers = (
        "Lesley Arp (SP). Wij steunen de motie over fruitstruikjes voor mensen met een "
        "kleine beurs. Komen de fruitstruikjes uit het vergroeningsbudget?\n\n"
        "De voorzitter. Dank u wel. " + filler
    )
    other = (
        "Robin Smit (PvdD). De sloopsubsidie voor oude schuren is te laag. Wij willen dat "
        "de sloopsubsidie omhoog gaat.\n\nDe voorzitter. Dank u wel. " + filler
    )
    pdf = tmp_path / "ingest" / "notulen" / "notulen.pdf"
    with _engine_over(make_settings, pdf, [_MINUTES_INTRO + hers, other]) as engine:
        unspoken = engine.ask("Wat zei Lesley Arp over sloopsubsidie?")
        assert unspoken.refused
        assert unspoken.extractive is not None and unspoken.extractive.quotes == []
        assert "zegt Lesley Arp hier niets over" in unspoken.text
        spoken = engine.ask("Wat zei Lesley Arp over fruitstruikjes?").extractive
        assert spoken is not None and not spoken.refused
        assert "motie over fruitstruikjes" in spoken.quotes[0].text
        assert all(quote.text != "Lesley Arp (SP)." for quote in spoken.quotes)


def test_a_question_word_as_the_head_of_a_compound_is_found(make_settings, tmp_path: Path) -> None:
    # "stalling" is the thing a "fietsenstalling" is; a word that merely starts another
    # ("stallingsplaats"), or a short one ending a longer word ("raad" in "voorraad"), is not.
    asked = "Hoeveel fietsen kan de ondergrondse stalling bij de Tolhuistuin ongeveer bergen?"
    answer = "Mogelijk komt er een ondergrondse fietsenstalling (ca. 1000 plaatsen)."
    assert coverage(asked, answer) > coverage(asked, answer.replace("stalling", "hal"))
    other = answer.replace("fietsenstalling", "stallingsplaats")
    assert coverage(asked, other) == coverage(asked, other.replace("stallingsplaats", "hal"))
    assert coverage("Wat zegt de raad?", "de voorraad") == 0.0
    plan = (
        "Gebiedsplan Tolhuistuin\n\n"
        "De belangrijkste maatregelen voor het deelgebied Tolhuistuin zijn de volgende.\n\n"
        "a. Een snelle herinrichting van het pontplein van het Buiksloterwegveer.\n\n"
        f"b. Een definitieve herinrichting van de openbare ruimte. {answer}\n\n"
        "c. Vernieuwing van het groengebied, met nieuwe entrees en hekwerken."
    )
    pdf = tmp_path / "ingest" / "raadsvoorstellen" / "tolhuistuin.pdf"
    with _engine_over(make_settings, pdf, plan) as engine:
        direct, _ = _direct(engine, asked)
        assert direct.text == "ca. 1000"


def test_the_remedy_period_is_read_from_the_clause_wherever_it_stands(
    make_settings, tmp_path: Path
) -> None:
    assert asked_remedy("Wat is de beroepstermijn bij de beslissing?") == "beroep"
    assert asked_remedy("Binnen welke termijn kan ik bezwaar maken tegen het besluit?") == "bezwaar"
    assert asked_remedy("Hoe lang heb ik om in beroep te gaan tegen de beslissing op bezwaar?") == (
        "beroep"
    )
    assert asked_remedy("Wanneer eindigt de beroepstermijn?") is None  # a date: computed
    told = "U heeft binnen zes weken bezwaar gemaakt. U kunt binnen zes weken beroep instellen."
    assert [period for *_, period in remedy_clauses(told, "bezwaar")] == []
    assert [told[a:b] for a, b, _ in remedy_clauses(told, "beroep")] == [
        "U kunt binnen zes weken beroep instellen."
    ]
    pages = [
        "Beslissing op bezwaar kapvergunning Zorgvliet\n\nDatum 3 februari 2022\n\n"
        "U heeft op 2 november 2021 bezwaar gemaakt tegen de kapvergunning voor drie eiken "
        "aan de Zorgvlietstraat. De bomen zijn ziek. Wij verklaren uw bezwaar ongegrond.",
        "Rechtsmiddelenclausule\n\nTegen deze beslissing kan een belanghebbende beroep "
        "instellen bij de rechtbank Den Haag. Het beroepschrift moet binnen zes weken na de "
        "dag van verzending van deze beslissing door de rechtbank zijn ontvangen.",
    ]
    pdf = tmp_path / "ingest" / "besluiten" / "kapvergunning.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        asked = "Wat is de beroepstermijn bij de beslissing op bezwaar over de kapvergunning?"
        direct, extractive = _direct(engine, asked)
        assert (direct.text, direct.label) == ("zes weken", "Termijn")
        quote = next(q for q in extractive.quotes if q.n == direct.n)
        assert quote.page == 2 and quote.text.startswith("Het beroepschrift moet binnen zes weken")
        dated = _direct(
            engine, "Wanneer is de beslissing op bezwaar over de kapvergunning genomen?"
        )
        assert dated[0].text == "3 februari 2022"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Wie heeft bezwaar gemaakt tegen het omgevingsplan Stationsweg?", True),
        ("Door wie is het bezwaarschrift tegen de kapvergunning ingediend?", True),
        ("Wie tekende bezwaar aan tegen het besluit over de businesscase?", True),
        ("Wie maakte bezwaar tegen het Wob-besluit?", True),
        ("Wie is de bezwaarmaker?", True),
        ("Wie heeft op het bezwaar beslist?", False),
        ("Wie ondertekende de beslissing op bezwaar?", False),
        ("Wanneer is bezwaar gemaakt tegen de kapvergunning?", False),
    ],
)
def test_asks_objector(question: str, asks: bool) -> None:
    assert asks_objector(question) is asks


def test_objector_sentences() -> None:
    def objectors(text: str) -> list[str]:
        return [who for *_, who in objector_sentences(text)]

    clause = "Tegen dit besluit kunt u bezwaar maken. Bezwaar kan worden ingediend."
    assert objectors(clause) == []
    lodged = "Op 2 mei heeft de aanvrager een bezwaarschrift ingediend."
    assert objectors(lodged) == ["de aanvrager"]
    assert objectors("Bezwaarmaker is tegen dit besluit in bezwaar gekomen.") == ["de bezwaarmaker"]
    named = (
        "Per brief van 29 mei 2019 hebt u bezwaar gemaakt tegen het besluit. "
        "Het bezwaarschrift van de heer M.E. Goldbach van 10 februari 2025 ongegrond te verklaren."
    )
    assert objectors(named) == ["de heer M.E. Goldbach", "de geadresseerde"]
    letter = "Geachte\nOp 18 december heb ik van u een bezwaarschrift ontvangen inzake uw cliënt."
    ((start, end, who),) = objector_sentences(letter)
    assert who == "de geadresseerde, namens een cliënt"
    assert letter[start:end].startswith("Op 18 december")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Wie heeft het Wob-verzoek over de Durgerdammerdijk ingediend?", True),
        ("Wie is de verzoeker in het Wob-besluit over Genhoes?", True),
        ("Wie vroeg om de notulen van de ministerraad?", True),
        ("Wie heeft bezwaar gemaakt tegen het Wob-besluit?", False),  # the objector
        ("Wanneer is het Wob-verzoek ingediend?", False),
    ],
)
def test_asks_requester(question: str, asks: bool) -> None:
    assert asks_requester(question) is asks


def test_who_made_a_woo_request_is_read_from_the_decision_on_it(
    make_settings, tmp_path: Path
) -> None:
    # The one name on the page is the signer's; the request was the addressee's.
    pages = [
        "Besluit op uw Wob-verzoek over de Genhoes\n\nDatum 4 augustus 2020\n\n"
        "Op 13 juli 2020 ontvingen wij uw brief waarin u ons vraagt om alle documenten over "
        "de locatie Genhoes 19. Voor deze documenten gelden geen uitzonderingsgronden.\n\n"
        "Met vriendelijke groet,\n\nDe directeur,\nP.J. Verbeek",
    ]
    pdf = tmp_path / "ingest" / "woo" / "genhoes.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        direct, extractive = _direct(engine, "Wie heeft het Wob-verzoek over de Genhoes ingediend?")
        assert direct.text == "de geadresseerde"
        quote = next(q for q in extractive.quotes if q.n == direct.n)
        assert quote.text.startswith("Op 13 juli 2020 ontvingen wij uw brief waarin u ons vraagt")


def test_who_objected_is_read_from_the_sentence_that_lodged_the_objection(
    make_settings, tmp_path: Path
) -> None:
    # The decision names the objector only by the role it defines; its signer, the one
    # name on the page, objected to nothing.
    pages = [
        "Beslissing op bezwaar herziening omgevingsplan Dorpsstraat\n\nDatum 3 februari 2025\n\n"
        "Op 17 april 2024 heeft de bewoner van Dorpsstraat 4 (hierna: aanvrager) verzocht "
        "het omgevingsplan Dorpsstraat te wijzigen. Bij besluit van 17 juni 2024 is dat "
        "verzoek afgewezen. Tegen dit besluit heeft de aanvrager op 28 juli 2024 een "
        "bezwaarschrift ingediend.",
        "Wij verklaren het bezwaar tegen het omgevingsplan Dorpsstraat ongegrond.\n\n"
        "Hoogachtend,\n\nDe griffier,\nJ.P. Blankenstein",
    ]
    pdf = tmp_path / "ingest" / "besluiten" / "dorpsstraat.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        asked = "Wie heeft bezwaar gemaakt tegen het omgevingsplan Dorpsstraat?"
        direct, extractive = _direct(engine, asked)
        assert direct.text == "de aanvrager (de bewoner van Dorpsstraat 4)"
        quote = next(q for q in extractive.quotes if q.n == direct.n)
        assert quote.page == 1 and quote.text.startswith("Tegen dit besluit heeft de aanvrager")
        signed = _direct(engine, "Wie ondertekende de beslissing op bezwaar over de Dorpsstraat?")
        assert signed[0].text == "J.P. Blankenstein"


def test_a_woo_decisions_grounds_are_those_it_applies_not_the_laws(
    make_settings, tmp_path: Path
) -> None:
    # The request names "bijzondere persoonsgegevens" and the appended law lists every
    # ground; the decision applies one, under a heading with its article.
    pages = [
        "Besluit op uw Woo-verzoek over de kermis op het Malieveld\n\nDatum 4 april 2024\n\n"
        "U heeft gevraagd om alle documenten over de kermis op het Malieveld, ook documenten "
        "met bijzondere persoonsgegevens van standhouders. Ik maak de documenten over de "
        "kermis gedeeltelijk openbaar.",
        "Weigeringsgronden\n\n"
        "Eerbiediging van de persoonlijke levenssfeer (artikel 5.1, tweede lid, onder e, van "
        "de Woo)\n\nIn de documenten over de kermis staan namen en telefoonnummers van "
        "standhouders. Die maak ik niet openbaar.\n\n"
        "Hoogachtend,\n\nDe burgemeester van Den Haag,\nJ. van Zanen",
        "Bijlage 1 Relevante artikelen uit de Woo\n\nArtikel 5.1\n\n"
        "2. Het openbaar maken van informatie blijft eveneens achterwege voor zover het "
        "belang daarvan niet opweegt tegen de volgende belangen: a. de betrekkingen van "
        "Nederland met andere staten; d. inspectie, controle en toezicht; e. de eerbiediging "
        "van de persoonlijke levenssfeer.",
    ]
    pdf = tmp_path / "ingest" / "woo" / "kermis.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        asked = "Welke weigeringsgronden zijn gebruikt in het Woo-besluit over de kermis?"
        direct, extractive = _direct(engine, asked)
        assert direct.text == (
            "Eerbiediging van de persoonlijke levenssfeer (artikel 5.1, tweede lid, onder e, "
            "van de Woo)"
        )
        quote = next(q for q in extractive.quotes if q.n == direct.n)
        assert quote.page == 2 and quote.text.startswith("Eerbiediging van de persoonlijke")


def test_a_woo_decision_that_refuses_nothing_has_no_grounds(make_settings, tmp_path: Path) -> None:
    pages = [
        "Besluit op uw Woo-verzoek over de bomenkap in het Zuiderpark\n\nDatum 4 april 2024\n\n"
        "U heeft gevraagd om alle documenten over de bomenkap in het Zuiderpark. Voor deze "
        "documenten gelden geen uitzonderingsgronden. Ik maak ze geheel openbaar.",
        "Bijlage 1 Relevante artikelen uit de Woo\n\nArtikel 5.1\n\n"
        "2. Het openbaar maken van informatie blijft achterwege voor zover het belang daarvan "
        "niet opweegt tegen de eerbiediging van de persoonlijke levenssfeer (artikel 5.1, "
        "tweede lid, onder e).",
    ]
    pdf = tmp_path / "ingest" / "woo" / "zuiderpark.pdf"
    with _engine_over(make_settings, pdf, pages) as engine:
        asked = "Op welke gronden is informatie geweigerd in het Woo-besluit over het Zuiderpark?"
        direct, extractive = _direct(engine, asked)
        assert direct.text == "geen"
        quote = next(q for q in extractive.quotes if q.n == direct.n)
        assert quote.text == "Voor deze documenten gelden geen uitzonderingsgronden."


def test_a_letterhead_field_is_read_from_its_label(make_settings, tmp_path: Path) -> None:
    # "Wie is de contactpersoon …?" had answered the council member the letter names.
    letter = (
        "Gemeente Den Haag\n\nOns kenmerk\n\nDSO/10880335\n\nContactpersoon\n\n"
        "Jordy Wehrmann\n\nDienst\n\nDienst Stedelijke Ontwikkeling\n\nDatum\n\n27 mei 2025"
        "\n\nOnderwerp\n\nAfdoening motie: ‘Ga de strijd aan tegen sleutelgeld’\n\n"
        "Uw raad heeft de door het raadslid mevrouw Arp ingediende motie ‘Ga de strijd aan "
        "tegen sleutelgeld’ aangenomen. Hierbij informeert het college de raad over de "
        "afdoening van de motie."
    )
    pdf = tmp_path / "ingest" / "brieven" / "afdoening.pdf"
    with _engine_over(make_settings, pdf, letter) as engine:
        asked = "Wie is de contactpersoon voor de afdoening van de motie over sleutelgeld?"
        direct, extractive = _direct(engine, asked)
        assert (direct.text, direct.label) == ("Jordy Wehrmann", "Wie")
        assert [quote.text for quote in extractive.quotes] == ["Contactpersoon Jordy Wehrmann"]
        marked = _direct(engine, "Wat is het kenmerk van de brief over sleutelgeld?")[0]
        assert (marked.text, marked.label) == ("DSO/10880335", "Kenmerk")
        dated = _direct(engine, "Wat is de datum van de brief over sleutelgeld?")[0]
        assert (dated.text, dated.label) == ("27 mei 2025", "Datum")


def test_a_quote_that_starts_another_is_not_quoted_again() -> None:
    line = "IV. bij de jaarrekening 2024 een voorziening van €2.250.000 voor de kosten te"
    assert _repeats(line, {f"{line} ValidSigned door De Griffier"})
    assert _repeats(f"{line} ValidSigned door De Griffier", {line})
    assert not _repeats("IV. bij de", {"IV. bij de jaarrekening"})  # too short to tell
    assert not _repeats(line, {"Het referendum wordt gehouden op 21 mei 2025."})


def test_a_number_in_an_awb_article_or_a_time_counts_nothing() -> None:
    asked = "Hoeveel bezwaarschriften zijn er ingediend tegen het omgevingsplan?"
    article = "Op grond van artikel 10:3, derde lid, van de Awb wordt geen mandaat verleend."
    assert find_spans("aantal", article, asked) == []
    timed = "Om 14:30 uur waren 4 bezwaarschriften binnen."
    assert [s.text for s in find_spans("aantal", timed, asked)] == ["4 bezwaarschriften"]
    tested = "Hierbij wordt getoetst aan de artikelen 10 en 11 van de Wob."
    assert find_spans("aantal", tested, "Hoeveel documenten zijn openbaar gemaakt?") == []


@pytest.mark.parametrize(
    ("sentence", "ground"),
    [
        (
            "g. milieu-informatie: wat wordt verstaan in artikel 19.1a van de Wet milieubeheer;",
            "artikel 19.1a van de Wet milieubeheer",
        ),
        (
            "Ik weiger dit op grond van artikel 5.1, tweede lid, onder e, van de Wet open "
            "overheid bij alle documenten.",
            "artikel 5.1, tweede lid, onder e, van de Wet open overheid",
        ),
        (
            "Artikel 10 van de Wet openbaarheid van bestuur is van toepassing.",
            "Artikel 10 van de Wet openbaarheid van bestuur",
        ),
    ],
)
def test_an_article_ground_names_its_law_in_whole_words(sentence: str, ground: str) -> None:
    found = find_spans("grond", sentence, "Op welke grond is informatie geweigerd?")
    assert [span.text for span in found] == [ground]


def test_who_voted_is_not_answered_by_a_party_that_did_not_vote(
    make_settings, tmp_path: Path
) -> None:
    # Only the motion is indexed, no vote: its submitting party is no answer to who voted
    # against it, a party that says how it votes is.
    motion = (
        "Motie Ga de strijd aan tegen sleutelgeld\n\n"
        "De raad van de gemeente Den Haag, in vergadering bijeen op 13 maart 2025, "
        "verzoekt het college een meldpunt voor sleutelgeld in te richten.\n\n"
        "Indiener: Lesley Arp, SP"
    )
    pdf = tmp_path / "ingest" / "moties" / "sleutelgeld.pdf"
    with _engine_over(make_settings, pdf, motion) as engine:
        asked = engine.ask("Welke partijen stemden tegen de motie over sleutelgeld?")
        extractive = asked.extractive
        assert extractive is not None and extractive.refused and extractive.direct is None
        # The motion the question names is known: that its outcome is not recorded.
        assert extractive.reason == (
            "Van de motie ‘Ga de strijd aan tegen sleutelgeld’ (SP) is geen uitslag vastgelegd."
        )
        submitted = _direct(engine, "Welke partij diende de motie over sleutelgeld in?")[0]
        assert submitted.text == "SP"


def test_a_woo_ground_asked_as_one_word_asks_for_a_ground() -> None:
    assert question_type("Welke Woo-weigeringsgronden zijn gebruikt in het besluit?") == "grond"
    assert question_type("Op welke Wob-grond is de voordracht deels openbaar gemaakt?") == "grond"
    # The grounds of an objection are its sentences, not a Woo ground.
    assert question_type("Welke gronden voert de bezwaarmaker aan?") is None
    assert question_type("Op welke gronden is bezwaar gemaakt tegen de herziening?") is None
    assert question_type("Op welke gronden maakte de aanvrager bezwaar?") is None
    assert question_type("Op welke grond is het bezwaar niet-ontvankelijk verklaard?") == "grond"


def test_a_motions_meeting_date_answers_only_a_question_about_the_meeting() -> None:
    formula = (
        "De raad van de gemeente Den Haag, in vergadering bijeen op 13 maart 2025, "
        "constaterende dat het college per 1 juni 2025 betaald parkeren gaat invoeren;"
    )
    starts = "Wanneer gaat betaald parkeren in Morgenstond in?"
    assert [s.text for s in find_spans("datum", formula, starts)] == ["1 juni 2025"]
    met = "Op welke datum is de motie over betaald parkeren in Morgenstond ingediend?"
    assert [s.text for s in find_spans("datum", formula, met)] == ["13 maart 2025", "1 juni 2025"]


def test_the_verb_that_asks_what_was_said_is_no_evidence_under_a_speaker_filter(
    make_settings: Any, tmp_path: Path
) -> None:
    # "Ik vond uw schets kort" holds "vond", as "Wat vond Lesley Arp van …?" does: her
    # turn says nothing of the asked subject.
    assert speech_terms("Wat vond de PvdA van het Haagse Bos?")
    assert speech_terms("Welke bomen staan in het Haagse Bos?") == frozenset()
    filler = _SAID_BEFORE * 24
    hers = (
        "Lesley Arp (SP). Ik vond uw schets van de begroting wel een beetje kort door de "
        "bocht. Wij steunen de motie over fruitstruikjes.\n\nDe voorzitter. Dank u wel. " + filler
    )
    other = (
        "Robin Smit (PvdD). De bomenkap in het Westbroekpark moet stoppen, de bomenkap is "
        "onnodig.\n\nDe voorzitter. Dank u wel. " + filler
    )
    pdf = tmp_path / "ingest" / "notulen" / "notulen.pdf"
    with _engine_over(make_settings, pdf, [_MINUTES_INTRO + hers, other]) as engine:
        unspoken = engine.ask("Wat vond Lesley Arp van de bomenkap?")
        assert unspoken.refused and "zegt Lesley Arp hier niets over" in unspoken.text


def test_a_municipality_is_nobody() -> None:
    asked = "Wie heeft bezwaar gemaakt tegen het omgevingsplan?"
    plan = "Het verzoek geeft geen aanleiding het omgevingsplan Den Haag te wijzigen."
    assert find_spans("persoon", plan, asked) == []
    signed = "Het bezwaar van Geertruida van Leeuwenhoek over het omgevingsplan Den Haag."
    assert [s.text for s in find_spans("persoon", signed, asked)] == ["Geertruida van Leeuwenhoek"]


@pytest.mark.parametrize(
    ("text", "question", "office", "naming", "name"),
    [
        (
            "Verslag van de commissie Bestuur\n\nMevrouw Van Doorn zegt dat de commissie over "
            "de financiën van de gemeente heeft gesproken. De financiën staan onder druk door "
            "de hogere rente.",
            "Wie is de wethouder van financiën?",
            "wethouder",
            "Wethouder van financiën Jan de Boer licht de begroting toe.",
            "Jan de Boer",
        ),
        # "Welke wethouder …?" asks the same; a member on the subject is not the answer.
        (
            "Verslag van de commissie Bestuur\n\nDe heer Baboeram zegt dat de financiën van "
            "de gemeente onder druk staan door de hogere rente.",
            "Welke wethouder is verantwoordelijk voor de financiën van de gemeente?",
            "wethouder",
            "Wethouder van financiën Jan de Boer licht de begroting toe.",
            "Jan de Boer",
        ),
        # As the corpus's effect report: "Gedeputeerde Staten" is the provincial executive,
        # and "Wie is gedeputeerde …?" (no article) asks for a person: it had answered
        # "Nieuwe Omgevingsvisie" and "Klimaat Overijsssel".
        (
            "Omgevingseffectrapport windenergie\n\nOp 11 januari 2022 hebben de Gedeputeerde "
            "Staten van Overijssel besloten om de Nieuwe Omgevingsvisie voor energie in twee "
            "fasen tot stand te brengen.",
            "Wie is gedeputeerde voor energie in Overijssel?",
            "gedeputeerde",
            "Gedeputeerde Tijs de Bree licht de omgevingsvisie voor energie toe.",
            "Gedeputeerde Tijs de Bree",
        ),
    ],
)
def test_who_holds_an_office_is_answered_only_where_the_office_is_named(
    make_settings: Any,
    tmp_path: Path,
    text: str,
    question: str,
    office: str,
    naming: str,
    name: str,
) -> None:
    pdf = tmp_path / "ingest" / "verslagen" / "verslag.pdf"
    with _engine_over(make_settings, pdf, text) as engine:
        unnamed = engine.ask(question).extractive
        assert unnamed is not None and unnamed.refused
        assert unnamed.reason == f"De gevonden stukken noemen de {office} niet bij naam."
    other = tmp_path / "other" / "ingest" / "verslagen" / "verslag.pdf"
    home = tmp_path / "other" / "home"
    with _engine_over(make_settings, other, f"{text} {naming}", home=home) as engine:
        assert _direct(engine, question)[0].text == name
