"""Speaker turns, council search filters, question intent, motions and votes, vote facts and
dossiers — on PDFs made with PyMuPDF (the corpus versions are in test_council_corpus.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raadsinzicht.chunk import chunk_document
from raadsinzicht.cli import app
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.extractive import ExtractiveAnswer
from raadsinzicht.facts import MotionList, asks_submitter, motion_list, submitter_value, titled
from raadsinzicht.index.catalog import ChunkRecord
from raadsinzicht.index.council import VoteFact
from raadsinzicht.intent import recognise
from raadsinzicht.motions import extract_motions
from raadsinzicht.parse import parse_pdf
from raadsinzicht.recorded import asks_proposed_decision, asks_reason, asks_request
from raadsinzicht.retrieve import SearchFilters
from raadsinzicht.speakers import find_turns
from raadsinzicht.web.format import extractive_markdown

from .engines import engine_over
from .fake_ollama import FakeOllama
from .pdfs import write_pdf

MINUTES_1 = "\n\n".join(
    [
        (
            "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden "
            "op donderdag 13 maart 2025."
        ),
        "Voorzitter: de burgemeester. Aanwezig zijn 21 leden.",
        "De voorzitter. Ik open de vergadering. Aan de orde is het parkeerbeleid.",
        (
            "Lesley Arp (SP). Voorzitter. Het parkeertarief in de binnenstad treft vooral "
            "bewoners met een krappe beurs. Wij vragen het college om een bewonerskorting op "
            "parkeren."
        ),
        "Voorzitter. Dan de fietsenstalling bij het station, die is altijd vol.",
        (
            "Marieke van Doorn (D66). Is de SP bereid om mee te betalen aan de korting op "
            "parkeren? Lesley Arp (SP). Ja, de korting op parkeren betalen we uit de "
            "parkeerreserve."
        ),
        "Wethouder Balster (PvdA). Het college ziet weinig in een korting voor parkeren.",
    ]
)
MINUTES_2 = "\n\n".join(
    [
        "De heer Jansen (VVD): De VVD wil juist meer parkeerplaatsen in de wijk.",
        "Mevrouw De Vries: Als bewoner vraag ik om meer groen in plaats van parkeren.",
        "De heer Roos (L). Ik spreek in namens de ondernemers over de parkeerdruk.",
        "In stemming komt motie A.1 SP.",
        "De voorzitter. De motie wordt verworpen met 9 tegen 12 stemmen.",
    ]
)
MOTIE = "\n\n".join(
    [
        ("GEMEENTERAAD\nMotie: Korting op parkeren voor bewoners\nIndiener: Lesley Arp, SP"),
        (
            "De raad van de gemeente Testdorp, in vergadering bijeen op 13 maart 2025, ter "
            "bespreking van het parkeerbeleid (RIS 319001),"
        ),
        "constaterende dat het parkeertarief bewoners met een krappe beurs treft;",
        "verzoekt het college een bewonerskorting op parkeren in te voeren,",
        "en gaat over tot de orde van de dag.",
        ("Lesley Arp\nSP"),
        "A.1 SP",
    ]
)
BESLUITENLIJST = "\n\n".join(
    [
        "Besluitenlijst van de raadsvergadering van 13 maart 2025",
        "Punt A Parkeerbeleid (RIS319001)",
        "321999 Motie A.1 SP Korting op parkeren voor bewoners Verworpen",
        "321998 Motie A.2 VVD Meer parkeerplaatsen in de wijk Aangenomen",
    ]
)
LETTER = "\n\n".join(
    [
        "Gemeente Testdorp",
        "Aan de gemeenteraad",
        ("Datum 2 juni 2025\nOns kenmerk DSO/555"),
        "Onderwerp Reactie op motie 'Korting op parkeren voor bewoners' (RIS321999)",
        "Geachte leden van de raad,",
        (
            "Hoewel uw raad de motie 'Korting op parkeren voor bewoners' (RIS321999) heeft "
            "verworpen, informeert het college u over de parkeertarieven."
        ),
        ("Met vriendelijke groet,\nhet college van burgemeester en wethouders"),
    ]
)
UNRELATED = "\n\n".join(
    [
        "Gemeente Testdorp",
        "Aan de gemeenteraad",
        "Datum 4 april 2025",
        "Onderwerp Speeltuinen in de wijk Oost",
        "Geachte leden van de raad,",
        "Het college vernieuwt de speeltuinen in de wijk Oost in het voorjaar.",
        "Met vriendelijke groet",
    ]
)


def test_turn_forms() -> None:
    class Page:
        def __init__(self, number: int, text: str) -> None:
            self.number, self.text = number, text

    turns = find_turns([Page(1, MINUTES_1.replace("\n\n", "\n")), Page(2, MINUTES_2)])
    assert [(t.speaker, t.role, t.party) for t in turns] == [
        ("De voorzitter", "voorzitter", None),
        ("Lesley Arp", "raadslid", "SP"),
        ("Marieke van Doorn", "raadslid", "D66"),  # a party with digits
        ("Lesley Arp", "raadslid", "SP"),  # after a sentence end inside a line
        ("Balster", "wethouder", "PvdA"),
        ("Jansen", "raadslid", "VVD"),  # colon forms of other minutes
        ("De Vries", None, None),
        ("Roos", "inspreker", None),  # an agenda letter, not a party
        (None, None, None),  # narration: "In stemming komt ..."
        ("De voorzitter", "voorzitter", None),
    ]
    # "Voorzitter." opening a paragraph is the speaker addressing the chair, not a turn;
    # the attendance line "Voorzitter: de burgemeester" is not one either.
    assert not any(t.header.startswith("Voorzitter") for t in turns)


def test_a_speakers_own_words_before_a_colon_open_no_turn() -> None:
    class Page:
        def __init__(self, number: int, text: str) -> None:
            self.number, self.text = number, text

    minutes = (
        "Judith Klokkenburg (ChristenUnie/SGP). Wij steunen de begroting.\n"
        "Afrondend: de ChristenUnie/SGP ziet uit naar de begroting 2026-2029.\n"
        "Vergadering-id: 12345\n"
        "De heer Van Zanen. Voorzitter. Ik zal drie vragen beantwoorden.\n"
        "De heer J.W. de Vries. Ik sluit mij daarbij aan.\n"
        "Harrie: gesprek is verhelderend\n"
    )
    turns = find_turns([Page(1, minutes)])
    assert [(t.speaker, t.role) for t in turns] == [
        ("Judith Klokkenburg", "raadslid"),  # her conclusion stays hers
        ("Van Zanen", None),
        ("J.W. de Vries", None),  # a dot after an initial is part of the name
        ("Harrie", None),  # a first name with a colon still opens a remark,
        (None, None),  # which ends with its line
    ]


def write_council_documents(inbox: Path) -> None:
    """The minutes, the motion, the decision list, the letter that answers the motion and
    an unrelated letter, as PDFs in ``inbox``."""
    write_pdf(inbox / "raad" / "notulen.pdf", [MINUTES_1, MINUTES_2])
    write_pdf(inbox / "raad" / "motie-korting.pdf", [MOTIE])
    write_pdf(inbox / "raad" / "besluitenlijst.pdf", [BESLUITENLIJST])
    write_pdf(inbox / "brieven" / "reactie-motie.pdf", [LETTER])
    write_pdf(inbox / "brieven" / "speeltuinen.pdf", [UNRELATED])


@pytest.fixture
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=("gemma3:4b", "bge-m3")) as server:
        yield server


@pytest.fixture
def engine(make_settings, tmp_path: Path, ollama: FakeOllama) -> Iterator[Engine]:
    inbox = tmp_path / "ingest"
    write_council_documents(inbox)
    settings = make_settings(
        ingest_dir=inbox,
        embedding={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": "bge-m3"},
        llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": "gemma3:4b"},
    )
    engine = build_engine(settings)
    report = engine.ingest()
    assert report.failed == [] and report.embedded == report.chunks
    yield engine
    engine.close()


def _offset(chunk: ChunkRecord, words: str) -> int:
    at = chunk.text.find(words)
    assert at >= 0, words
    return at


def test_minutes_chunks_keep_their_size_and_know_their_turns(engine: Engine) -> None:
    (minutes,) = [d for d in engine.documents() if d.file.endswith("notulen.pdf")]
    chunks = engine.catalog.document_chunks(minutes.doc_id)
    # Turns are structure, not chunk boundaries: the chunks are those of any document.
    parsed = parse_pdf(engine.settings.ingest_dir / minutes.file)
    assert [c.text for c in chunks] == [
        c.text for c in chunk_document(parsed, engine.settings.chunking)
    ]
    (whole,) = [c for c in chunks if "Wethouder Balster" in c.text]
    assert len([t for t in whole.turns if t.speaker]) >= 4  # several turns in one chunk
    headers = (
        "De voorzitter.",
        "Lesley Arp (SP).",
        "Marieke van Doorn (D66).",
        "Wethouder Balster (PvdA).",
        "De heer Jansen (VVD):",
        "Mevrouw De Vries:",
        "De heer Roos (L).",
        "In stemming komt",
    )
    for turn in whole.turns[1:]:  # each turn begins where the minutes give the word
        assert whole.text[turn.start :].startswith(headers), whole.text[turn.start :][:40]

    def who(words: str) -> tuple[str | None, str | None, str | None]:
        chunk = next(c for c in chunks if words in c.text)
        turn = chunk.turn_at(_offset(chunk, words))
        return (turn.speaker, turn.role, turn.party) if turn else (None, None, None)

    assert who("Ik open de vergadering") == ("De voorzitter", "voorzitter", None)
    # "Voorzitter. Dan de fietsenstalling ..." continues Lesley Arp's turn.
    assert who("fietsenstalling") == ("Lesley Arp", "raadslid", "SP")
    assert who("Is de SP bereid") == ("Marieke van Doorn", "raadslid", "D66")
    assert who("Ja, de korting op parkeren") == ("Lesley Arp", "raadslid", "SP")
    assert who("ziet weinig in een korting") == ("Balster", "wethouder", "PvdA")
    assert who("meer parkeerplaatsen in de wijk") == ("Jansen", "raadslid", "VVD")
    assert who("In stemming komt") == (None, None, None)  # narration
    assert {s.name for s in engine.speakers()} >= {"Lesley Arp", "Balster", "Jansen", "De Vries"}


def test_speakers_follow_changes_made_by_another_process(engine: Engine) -> None:
    # Every question reads the speaker list, so the engine keeps it per index generation;
    # a removal by another engine on the same data (the CLI next to the app) must show.
    assert "Jansen" in {s.name for s in engine.speakers()}
    other = build_engine(engine.settings)
    try:
        assert other.remove("raad/notulen.pdf")
    finally:
        other.close()
    assert engine.speakers() == []


def test_a_hits_speaker_is_the_turn_where_the_query_terms_are(engine: Engine) -> None:
    def speaker(query: str) -> str | None:
        hit = next(h for h in engine.search(query, mode="keyword") if h.file == "raad/notulen.pdf")
        assert hit.to_dict()["speaker"] == (hit.turn.speaker if hit.turn else None)
        return hit.turn.speaker if hit.turn else None

    # The same chunk, three speakers: each query finds the one who said its words.
    assert speaker("fietsenstalling station vol") == "Lesley Arp"
    assert speaker("college ziet weinig in korting") == "Balster"
    assert speaker("bereid mee te betalen") == "Marieke van Doorn"


@pytest.mark.parametrize("mode", ["keyword", "vector", "hybrid"])
def test_party_and_speaker_filters_hold_for_every_ranker(engine: Engine, mode: str) -> None:
    spoken = engine.search(
        "korting op parkeren",
        mode=mode,
        top_k=20,
        filters=SearchFilters(parties=("SP",), spoken=True),
    )
    # The chunk opens with the heading and the chair, and holds Marieke van Doorn and
    # Balster too: the SP turns in its middle admit it, and the hit is such a turn.
    assert spoken and {h.file for h in spoken} == {"raad/notulen.pdf"}
    assert all(h.turn and h.turn.party == "SP" for h in spoken)
    assert all(h.quotable and h.quotable[0][0] > 0 for h in spoken)  # not the chunk's start
    by_name = engine.search(
        "parkeren", mode=mode, top_k=20, filters=SearchFilters(speakers=("balster",))
    )
    assert by_name and all(h.turn and h.turn.speaker == "Balster" for h in by_name)
    assert all(h.quotable and h.quotable[0][0] > 0 for h in by_name)  # not the chunk's start
    # Without `spoken`, a party also finds what it submitted: the SP motion.
    party = engine.search(
        "korting op parkeren", mode=mode, top_k=20, filters=SearchFilters(parties=("SP",))
    )
    assert {h.file for h in party} == {"raad/notulen.pdf", "raad/motie-korting.pdf"}
    assert engine.search("parkeren", mode=mode, filters=SearchFilters(speakers=("Onbekend",))) == []


def test_extractive_answer_quotes_only_the_asked_partys_turns(engine: Engine) -> None:
    def quoted_parties(question: str, party: str) -> set[str | None]:
        assert engine.question_filters(question, None) == SearchFilters(
            parties=(party,), spoken=True
        )
        extractive = engine.ask(question).extractive
        assert extractive is not None and extractive.quotes, question
        chunks = engine.catalog.chunks([q.chunk_id for q in extractive.quotes])
        turns = [chunks[q.chunk_id].turn_at(q.offset) for q in extractive.quotes]
        return {turn.party if turn else None for turn in turns}

    # D66's "Is de SP bereid ... de korting op parkeren?" in the same chunk names the SP
    # and the question's words: it is not what the SP said.
    assert quoted_parties("Wat zei de SP over de korting op parkeren?", "SP") == {"SP"}
    assert quoted_parties("Wat zei de PvdA over de korting voor parkeren?", "PvdA") == {"PvdA"}


def test_chunk_filters_while_vectors_are_still_pending(engine: Engine) -> None:
    minutes = [
        "Notulen van de vergadering van de gemeenteraad van Testdorp, gehouden op donderdag "
        "3 april 2025.",
        "De voorzitter. Aan de orde is de korting op parkeren.",
        "Lesley Arp (SP). De SP blijft strijden voor een korting op parkeren.",
    ]
    later = write_pdf(engine.settings.ingest_dir / "raad" / "notulen-2.pdf", ["\n\n".join(minutes)])
    assert engine.ingest([later], embed=False).pending_embeddings > 0
    hits = engine.search("korting op parkeren", filters=SearchFilters(parties=("SP",), spoken=True))
    assert hits and all(h.turn and h.turn.party == "SP" for h in hits)
    assert "raad/notulen-2.pdf" in {h.file for h in hits}  # found by keyword meanwhile


def test_search_json_carries_speaker_and_party(engine: Engine, tmp_path: Path) -> None:
    settings = engine.settings
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(settings.home),
            "search",
            "bewonerskorting parkeren",
            "--party",
            "SP",
            "--speaker",
            "Lesley Arp",
            "--json",
        ],
        env={
            "RAADSINZICHT_INGEST_DIR": str(settings.ingest_dir),
            "RAADSINZICHT_EMBEDDING__PROVIDER": "ollama",
            "RAADSINZICHT_EMBEDDING__OLLAMA_URL": settings.embedding.ollama_url,
        },
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert hits and all((h["speaker"], h["party"]) == ("Lesley Arp", "SP") for h in hits)


def test_question_intent() -> None:
    said = recognise("Wat zei de PVV over parkeren?")
    assert (said.parties, said.spoken, said.votes) == (("PVV",), True, False)
    assert said.apply(None) == SearchFilters(parties=("PVV",), spoken=True)
    voted = recognise("Hoe stemde de VVD over de Pier?")
    assert voted.votes and voted.parties == ("VVD",) and voted.apply(None) == SearchFilters()
    assert recognise("wat zei de sp over sleutelgeld").parties == ("SP",)
    assert recognise("Welke moties diende GroenLinks in over bomen?").apply(None).parties == (
        "GroenLinks",
    )
    named = recognise(
        "Wat vond wethouder Balster van de korting?", known_speakers=["Balster", "De voorzitter"]
    )
    assert named.speakers == ("Balster",) and named.apply(None).speakers == ("Balster",)
    # What someone said, asked by surname alone: as the name is written, not as a word.
    council = ["Lesley Arp", "Maarten De Vuyst", "Isabel Bos", "De voorzitter"]
    assert recognise("Wat zei Arp over fruitstruikjes?", known_speakers=council).speakers == (
        "Lesley Arp",
    )
    assert recognise("Wat vond De Vuyst van het balkon?", known_speakers=council).speakers == (
        "Maarten De Vuyst",
    )
    assert recognise("Hoeveel struikjes wil Arp uitdelen?", known_speakers=council).speakers == ()
    bos = "Wat vonden omwonenden van de kap in het Haagse Bos?"  # a wood, not Isabel Bos
    assert recognise(bos, known_speakers=council).speakers == ()
    assert recognise("Wat zei de vuyst-fractie over bomen?", known_speakers=council).speakers == ()
    assert recognise("Ik denk dat de volt-meter kapot is").parties == ()  # words, not parties
    # A party named in a question about something else is a search word, not a filter:
    # the answer may be in a document the party is not recorded on.
    wish = recognise("In welke wijken wil Hart voor Den Haag een bus laten langskomen?")
    assert wish.parties == ("Hart voor Den Haag",) and wish.apply(None) == SearchFilters()
    assert recognise("Hoeveel mensen wachten volgens de motie van DENK?").apply(None).parties == (
        "DENK",
    )
    explicit = SearchFilters(parties=("CDA",))
    assert said.apply(explicit) is explicit  # the user's own filter wins
    # An office without a name: everyone who spoke in it.
    roles = {"Balster": "wethouder", "Lesley Arp": "raadslid", "De voorzitter": "voorzitter"}
    known = list(roles)
    office = recognise("Wat zei de wethouder over de korting?", known_speakers=known, roles=roles)
    assert office.speakers == ("Balster",)
    assert not recognise(
        "Hoeveel wethouders heeft Testdorp?", known_speakers=known, roles=roles
    ).speakers


def test_what_an_office_holder_said_is_read_from_their_turns(engine: Engine) -> None:
    said = engine.ask("Wat zei de wethouder over de korting voor parkeren?").extractive
    assert said is not None and not said.refused
    assert [(q.speaker, q.text) for q in said.quotes][:1] == [
        ("wethouder Balster (PvdA)", "Het college ziet weinig in een korting voor parkeren.")
    ]
    # The turn's label alone ("Wethouder Balster (PvdA).") says nothing of the station.
    silent = engine.ask("Wat zei de wethouder over de fietsenstalling?").extractive
    assert silent is not None and silent.refused and silent.quotes == []
    assert silent.reason == "In de gevonden notulen zegt Balster hier niets over."


def test_ask_applies_the_party_in_the_question(engine: Engine, ollama: FakeOllama) -> None:
    answer = engine.ask("Wat zei de SP over het parkeertarief voor bewoners?")
    assert answer.citations and all(c.file == "raad/notulen.pdf" for c in answer.citations)
    (record,) = [r for r in engine.audit.records() if r.action == "ask"]
    assert record.filters["parties"] == ["SP"] and record.filters["spoken"] is True
    prompt = json.dumps(ollama.generation_requests()[-1])
    assert "bewonerskorting" in prompt and "Jansen" not in prompt


def test_vote_facts_join_every_record_of_a_motion(engine: Engine) -> None:
    (fact,) = engine.vote_facts("Hoe is er gestemd over de korting op parkeren?")
    assert (fact.kind, fact.code, fact.ris_number, fact.result) == (
        "motie",
        "A.1",
        "321999",
        "verworpen",
    )
    assert (fact.votes_for, fact.votes_against) == (9, 12)
    assert fact.meeting_date == date(2025, 3, 13) and fact.submitters == ["Lesley Arp"]
    assert fact.evidence[0].file == "raad/notulen.pdf" and fact.evidence[0].page == 2  # the vote
    assert {e.file for e in fact.evidence} == {
        "raad/notulen.pdf",
        "raad/besluitenlijst.pdf",
        "raad/motie-korting.pdf",
    }
    assert "verworpen met 9 stemmen voor en 12 tegen" in fact.summary()
    assert [f.code for f in engine.vote_facts(results=("aangenomen",))] == ["A.2"]

    # The same records filter searches: the motion PDF itself says nothing about the outcome.
    rejected = engine.search("parkeren", filters=SearchFilters(results=("verworpen",)))
    assert {h.file for h in rejected} == {"raad/motie-korting.pdf"}
    signed = engine.search("parkeren", filters=SearchFilters(submitters=("arp",)))
    assert {h.file for h in signed} == {"raad/motie-korting.pdf"}
    meeting = engine.search("parkeren", filters=SearchFilters(meetings=("2025-03-13",)), top_k=20)
    assert {h.file for h in meeting} == {
        "raad/notulen.pdf",
        "raad/motie-korting.pdf",
        "raad/besluitenlijst.pdf",
    }


def test_who_voted_is_no_subject_of_the_motion_asked_about(make_settings, tmp_path: Path) -> None:
    # "Hoeveel raadsleden stemden tegen …" had matched the motion titled "… voor raadsleden".
    decisions = "\n\n".join(
        [
            "Besluitenlijst van de raadsvergadering van 13 maart 2025",
            "Punt A Raadszaken (RIS319001)",
            "322840 Motie A.1 GL Een betere verlofregeling voor raadsleden Aangenomen",
            "322841 Motie A.2 SP Ga de strijd aan tegen sleutelgeld Aangenomen",
        ]
    )
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "raad" / "besluitenlijst.pdf", [decisions])
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    try:
        assert engine.ingest(embed=False).failed == []
        facts = engine.vote_facts("Hoeveel raadsleden stemden tegen de motie over sleutelgeld?")
        assert [fact.code for fact in facts] == ["A.2"]
    finally:
        engine.close()


def test_a_motions_summary_gives_its_outcome_from_the_council_records(
    make_settings, tmp_path: Path
) -> None:
    # A motion seldom states its own outcome; the minutes and the decision list do. Who may
    # not see the minutes gets the outcome from what they may see.
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "notulen" / "notulen.pdf", [MINUTES_1, MINUTES_2])
    write_pdf(inbox / "raad" / "motie-korting.pdf", [MOTIE])
    write_pdf(inbox / "raad" / "besluitenlijst.pdf", [BESLUITENLIJST])
    access = {"groups": {"griffie": ["griffier"]}, "collections": {"notulen": ["griffie"]}}
    settings = make_settings(ingest_dir=inbox, llm={"provider": "extractive"}, access=access)
    engine = build_engine(settings)
    try:
        assert engine.ingest(embed=False).failed == []
        outcome = engine.summarize("motie-korting.pdf", user="griffier").text.splitlines()[-1]
        assert outcome.startswith(
            "- Uitkomst: De motie A.1 (SP) ‘Korting op parkeren voor bewoners’ is verworpen "
            "met 9 stemmen voor en 12 tegen in de vergadering van 13 maart 2025"
        )
        assert outcome.endswith("(notulen/notulen.pdf, p. 2).")
        other = engine.summarize("motie-korting.pdf", user="raadslid").text.splitlines()[-1]
        assert "is verworpen" in other and "notulen" not in other and "9 stemmen" not in other
        assert other.endswith("(raad/besluitenlijst.pdf, p. 1).")
    finally:
        engine.close()


def test_dossier_of_a_motion(engine: Engine) -> None:
    dossier = engine.dossier("motie-korting.pdf")
    files = [e.file for e in dossier.entries]
    assert files[0] == "raad/motie-korting.pdf" and dossier.entries[0].start
    assert files[-1] == "brieven/reactie-motie.pdf"  # the later letter, last in date order
    assert "brieven/speeltuinen.pdf" not in files
    dates = [e.date for e in dossier.entries if e.date]
    assert dates == sorted(dates)
    letter = dossier.entries[-1]
    assert {link.type for link in letter.links} >= {"verwijzing", "titel"}
    assert any("RIS321999" in link.evidence for link in letter.links)
    assert dossier.entries[0].outcome == "verworpen"  # from the decision list and the vote
    # By document id (the web's source and search hits), the same dossier.
    by_id = engine.dossier(dossier.entries[0].doc_id)
    assert [e.file for e in by_id.entries] == files and by_id.entries[0].start
    as_json = CliRunner().invoke(
        app,
        ["--home", str(engine.settings.home), "dossier", "motie-korting.pdf", "--json"],
        env={"RAADSINZICHT_INGEST_DIR": str(engine.settings.ingest_dir)},
    )
    assert as_json.exit_code == 0, as_json.output
    assert [e["file"] for e in json.loads(as_json.output)["entries"]] == files


def test_vote_lines_of_other_councils(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "Besluitenlijst raadsvergadering 29 juni 2015",
            "7. Motie over de kermis.",
            "Voor: VVD, CDA en D66 (27) Tegen: SP, PvdA (18)",
            "8. Voorstel over de haven.",
            (
                "De fractie van de ChristenUnie dient een amendement (A8.1) in. De raad "
                "besluit in meerderheid het amendement te aanvaarden. Tegen het amendement "
                "stemden de fracties van het CDA, de PvdA en de VVD."
            ),
        ]
    )
    pdf = write_pdf(tmp_path / "besluiten.pdf", [text])
    pages = [(p.number, p.text) for p in parse_pdf(pdf, ocr=False).pages]
    facts = extract_motions(pages, kind="besluitenlijst", doc_date=date(2015, 6, 29))
    kermis = next(f for f in facts if "kermis" in f.title)
    assert (kermis.votes_for, kermis.votes_against, kermis.result) == (27, 18, "aangenomen")
    assert {(v.option, v.party) for v in kermis.votes} == {
        ("voor", "VVD"),
        ("voor", "CDA"),
        ("voor", "D66"),
        ("tegen", "SP"),
        ("tegen", "PvdA"),
    }
    haven = next(f for f in facts if f.code == "A8.1")
    assert haven.kind == "amendement" and haven.result == "aangenomen"
    assert {v.party for v in haven.votes if v.option == "tegen"} == {"CDA", "PvdA", "VVD"}


def test_decision_rows_with_motions_numbered_per_party(tmp_path: Path) -> None:
    # Den Haag's decision list of 9 July 2025: the code names the party ("VVD.3",
    # "HvDH.12", "GL.4"), and the title follows it directly.
    text = "Besluitenlijst van de vergadering van de gemeenteraad van 9 juli 2025\n\n" + "\n".join(
        [
            "322837", "Motie VVD.3 Elke parkeerplek telt in het Zeeheldenkwartier", "Aangenomen",
            "322832", "Motie HvDH.12 Versnel proces Henri Faasdreef", "Aangenomen",
            "322842", "Motie GL.4 Haal de EuroGames terug naar Den Haag", "Aangenomen",
            "322843", "Motie GL.5 Keti Koti 1 Juli Vrij", "Stemmen staken",
            "321674", "Motie Y.3 SP Ga de strijd aan tegen sleutelgeld", "Aangenomen",
            "321675", "Motie Y.4 De titel zonder partij", "Verworpen",
            "321676", "Motie A.2 GBLT Een lokale partij", "Verworpen",
            "321677", "Motie Art.3 Geen code van een partij", "Verworpen",
        ]
    )  # fmt: skip
    pdf = write_pdf(tmp_path / "besluitenlijst.pdf", [text])
    pages = [(p.number, p.text) for p in parse_pdf(pdf, ocr=False).pages]
    facts = extract_motions(pages, kind="besluitenlijst", doc_date=date(2025, 7, 9))
    found = {f.code: (f.parties, f.title, f.result, f.ris_number) for f in facts}
    assert found["VVD.3"] == (
        ["VVD"],
        "Elke parkeerplek telt in het Zeeheldenkwartier",
        "aangenomen",
        "322837",
    )
    assert found["HvDH.12"][:2] == (["Hart voor Den Haag"], "Versnel proces Henri Faasdreef")
    assert found["GL.4"][:2] == (["GroenLinks"], "Haal de EuroGames terug naar Den Haag")
    assert found["GL.5"][2] == "staken"
    # The classic form: a letter code, then the party; a title's first word is no party,
    # a local party's abbreviation is.
    assert found["Y.3"][:2] == (["SP"], "Ga de strijd aan tegen sleutelgeld")
    assert found["Y.4"][:2] == ([], "De titel zonder partij")
    assert found["A.2"][:2] == (["GBLT"], "Een lokale partij")
    assert "Art.3" not in found


def test_decision_rows_keep_the_agenda_item_they_were_submitted_at(tmp_path: Path) -> None:
    # Den Haag's decision lists: the agenda section's letter on a line (or in a table cell)
    # of its own, then its subject; its motions are numbered with that letter. A section
    # may run on over the next page.
    first = "\n".join(
        [
            "Gestaakte stemmen raadsvergadering 19 december 2024",
            "321067", "Motie J.3 (HvDH) Watertappunt in drukstbezochte speeltuinen", "Aangenomen",
            "S", "Beantwoording schriftelijke vragen Ratten grijpen de macht in Mariahoeve "
            "(RIS318022)",
            "321256", "Motie S.1 HSP Rattenvanger van Den Haag", "Aangenomen",
            "T", "Werkagenda duurzame mobiliteit (RIS318678)",
            "321257", "Motie T.1 VVD Pilot kabelgoottegels", "Verworpen",
        ]
    )  # fmt: skip
    second = "\n".join(
        [
            "321258", "Motie T.2 PvdD Duurzaam, duurzamer, duurzaamst", "Verworpen",
            "U", "Huisvesting culturele en maatschappelijke organisaties  NIET BEHANDELD",
            "V", "Motie V.1 SP Een rij die geen sectie is", "Verworpen",
        ]
    )  # fmt: skip
    pdf = write_pdf(tmp_path / "besluitenlijst.pdf", [first, second])
    pages = [(p.number, p.text) for p in parse_pdf(pdf, ocr=False).pages]
    facts = extract_motions(pages, kind="besluitenlijst", doc_date=date(2025, 1, 23))
    subjects = {f.code: f.agenda_subject for f in facts}
    assert subjects == {
        "J.3": "",  # no section above it
        "S.1": "Beantwoording schriftelijke vragen Ratten grijpen de macht in Mariahoeve",
        "T.1": "Werkagenda duurzame mobiliteit",
        "T.2": "Werkagenda duurzame mobiliteit",
        "V.1": "",  # a letter followed by a motion row opens no section
    }


def test_ask_answers_a_vote_from_the_council_records(engine: Engine) -> None:
    question = "Met welke stemverhouding werd de motie over korting op parkeren verworpen?"
    answer = engine.ask(question)
    assert answer.extractive is not None and not answer.extractive.refused
    direct = answer.extractive.direct
    assert direct is not None and direct.origin == "stemming"
    assert direct.text == "verworpen met 9 tegen 12 stemmen"
    counted = engine.ask("Hoeveel stemmen voor kreeg de motie over korting op parkeren?")
    assert counted.extractive is not None and counted.extractive.direct is not None
    assert counted.extractive.direct.text == "verworpen met 9 tegen 12 stemmen"
    # Cited to the page of the minutes where the vote is recorded, quoting that sentence.
    quote = answer.extractive.quotes[0]
    assert (quote.file, quote.page) == ("raad/notulen.pdf", 2)
    assert "verworpen met 9 tegen 12 stemmen" in quote.text
    assert answer.sources[0].file == "raad/notulen.pdf"


def test_only_questions_about_the_vote_are_answered_from_vote_records() -> None:
    from raadsinzicht.facts import asks_vote

    assert asks_vote("Hoe stemde de VVD over de motie over parkeren?")
    assert asks_vote("Met welke stemverhouding werd het bestemmingsplan aangenomen?")
    assert asks_vote("Is het amendement over badhuisarchitectuur aangenomen?")
    assert asks_vote("Wat besloot de raad op 23 januari 2025 over de motie over hoogbegaafdheid?")
    # Mentioning an adopted motion is not asking how it was voted on.
    assert not asks_vote("Welke bouwstijl moet volgens het aangenomen VVD-amendement leidend zijn?")
    assert not asks_vote("Hoe heette de aangenomen HSP-motie over de rattenplaag?")
    # Why a party voted so is in its vote explanation, not in the records.
    assert not asks_vote("Waarom stemde de SP tegen de Voorjaarsnota?")
    # When it was adopted: the vote's meeting date (``vote_value``); a yes/no question
    # needs the verb first.
    assert asks_vote("Wat gebeurde er met de FVD-motie over AI?")  # aangehouden
    assert asks_vote("Wat is er met het amendement over parkeren gebeurd?")
    assert not asks_vote("Wat gebeurde er met de subsidie voor het buurthuis?")
    assert asks_vote("Wat deed Hart voor Den Haag uiteindelijk met zijn motie over het park?")
    assert not asks_vote("Wat deed de wethouder met het advies over het park?")
    assert asks_vote("Wanneer is de motie over hoogbegaafdheid aangenomen?")
    assert not asks_vote("Waar is de motie over hoogbegaafdheid aangenomen?")
    assert asks_vote("Hoe liep in december 2024 de stemming over drinkwaterkranen af?")
    assert asks_vote("Hoe is het amendement over parkeren afgelopen?")
    assert not asks_vote("Hoe liep de discussie over de begroting af?")
    assert asks_vote("Hoeveel stemmen voor kreeg de motie over sleutelgeld?")
    assert asks_vote("Met hoeveel stemmen werd het amendement over parkeren aangenomen?")
    # Other votes than on a motion or amendment are not in the records.
    assert not asks_vote("Met hoeveel stemmen drong de raad aan op het verdelen van taken?")


def test_vote_value_gives_what_the_question_asks() -> None:
    from raadsinzicht.facts import asks_vote, vote_value
    from raadsinzicht.index.council import PartyVote, VoteFact

    fact = VoteFact(
        kind="amendement",
        title="GGD Hollands Noorden",
        code="A.1",
        ris_number=None,
        result="verworpen",
        votes_for=12,
        votes_against=15,
        unanimous=False,
        submitters=[],
        parties=["ChristenUnie"],
        votes=[PartyVote("VVD", "tegen"), PartyVote("CDA", "tegen"), PartyVote("D66", "voor")],
        meeting_date=None,
        meeting=None,
    )
    assert vote_value("Hoe stemde de VVD over het amendement?", fact) == (
        "VVD stemde tegen",
        "partij",
    )
    assert vote_value("Welke fracties stemden tegen het amendement?", fact) == (
        "CDA, VVD",
        "partij",
    )
    # A question asking who (a party, a council) is not answered by the outcome.
    who = "Welke partij liet weten dat haar fractie verdeeld had gestemd over het amendement?"
    assert asks_vote(who) and vote_value(who, fact) is None
    # Who voted that way, when the records give only the tally (or a unanimous vote).
    fact.votes = []
    assert vote_value("Welke partijen stemden tegen het amendement?", fact) == (
        "niet per fractie vastgelegd; verworpen met 12 tegen 15 stemmen",
        "uitkomst",
    )
    assert vote_value("Wie stemde er voor het amendement?", fact) == (
        "niet per fractie vastgelegd; verworpen met 12 tegen 15 stemmen",
        "uitkomst",
    )
    # How a named party voted, when only the tally is recorded: not the outcome alone, as if
    # it answered.
    assert vote_value("Hoe stemde de VVD over het amendement?", fact) == (
        "niet per fractie vastgelegd; verworpen met 12 tegen 15 stemmen",
        "uitkomst",
    )
    fact.votes_for, fact.votes_against = None, None
    assert vote_value("Hoe stemde de PVV over het amendement?", fact) == (
        "niet per fractie vastgelegd; verworpen",
        "uitkomst",
    )
    fact.unanimous = True
    assert vote_value("Welke fracties stemden tegen?", fact) == (
        "verworpen met algemene stemmen",
        "uitkomst",
    )
    fact.unanimous, fact.votes_for, fact.votes_against = False, 12, 15
    fact.votes = [PartyVote("VVD", "tegen"), PartyVote("CDA", "tegen"), PartyVote("D66", "voor")]
    # One party voting that way is still a party, not an outcome.
    assert vote_value("Welke fracties stemden voor het amendement?", fact) == ("D66", "partij")
    assert vote_value("Met welke stemverhouding werd het amendement verworpen?", fact) == (
        "verworpen met 12 tegen 15 stemmen",
        "uitkomst",
    )

    # "When": the date of the meeting that voted, or the outcome when it was not the one
    # the question assumed; nothing without a known meeting date.
    when = "Wanneer is het amendement over de GGD verworpen?"
    assert asks_vote(when) and vote_value(when, fact) is None
    fact.meeting_date = date(2025, 1, 23)
    assert vote_value(when, fact) == ("23 januari 2025", "datum")
    assert vote_value("Wanneer werd het amendement aangenomen?", fact) == (
        "verworpen op 23 januari 2025",
        "uitkomst",
    )


def test_minutes_record_tied_votes_and_agenda_subjects_over_two_lines(tmp_path: Path) -> None:
    # The forms of Den Haag's minutes: the agenda subject's dash on its own line and its
    # title over two lines; a tie told in a sentence broken over two lines, or as a bare
    # tally; "het gewijzigd amendement" without the inflection.
    text = "\n\n".join(
        [
            "-\nVoorstel van het college inzake Verzoek om bindend advies omgevingsvergunning\n"
            "tijdelijke portakabins bij het Catshuis (RIS320913).",
            "In stemming komt het voorstel.",
            "De voorzitter. Het voorstel wordt aangenomen met 24 tegen 20 stemmen.",
            "In stemming komt motie L.2 GL.",
            "De voorzitter. Aangezien 22 leden tegen en 22 leden voor de motie hebben gestemd, "
            "staken de\nstemmen, zodat er in de volgende raadsvergadering nog een keer over "
            "gestemd zal worden.",
            "In stemming komt motie J.4 D66.",
            "De voorzitter. 22 stemmen voor en 22 stemmen tegen, dus ook deze motie komt terug.",
            "In stemming komt het gewijzigd amendement O.B VVD.",
            "De voorzitter. Het gewijzigd amendement wordt aangenomen met 26 tegen 18 stemmen.",
            # Held or withdrawn during the debate: no vote, an outcome all the same.
            "De voorzitter. Aangezien motie F.8 FVD is aangehouden, maakt zij geen onderdeel "
            "meer uit van de\nberaadslaging.",
            "De voorzitter. Aangezien amendement O.A. PVV is ingetrokken, maakt zij geen "
            "onderdeel meer uit van de beraadslaging.",
            # "RIS 322212" with a space (the Voorjaarsnota of 12 June 2025).
            "-\nVoorstel van het college inzake Voorjaarsnota 2025 (RIS 322212).",
            "In stemming komt het voorstel.",
            "De voorzitter. Het voorstel wordt aangenomen met 27 tegen 16 stemmen.",
        ]
    )
    pdf = write_pdf(tmp_path / "notulen.pdf", [text])
    pages = [(p.number, p.text) for p in parse_pdf(pdf, ocr=False).pages]
    facts = {
        (f.code or f.title): f
        for f in extract_motions(pages, kind="notulen", doc_date=date(2025, 3, 13))
    }
    proposal = facts[
        "Voorstel van het college inzake Verzoek om bindend advies omgevingsvergunning "
        "tijdelijke portakabins bij het Catshuis"
    ]
    assert (proposal.ris_number, proposal.result, proposal.votes_for) == (
        "320913",
        "aangenomen",
        24,
    )
    budget = facts["Voorstel van het college inzake Voorjaarsnota 2025"]
    assert (budget.ris_number, budget.votes_for, budget.votes_against) == ("322212", 27, 16)
    # A thing named with another year is another thing.
    from raadsinzicht.index.council import _other_year

    title = budget.title
    assert _other_year("Met welke stemverhouding stelde de raad de Voorjaarsnota 2026 vast?", title)
    assert not _other_year("Hoe is over de Voorjaarsnota 2025 gestemd?", title)
    assert not _other_year("Hoe stemde de raad in 2026 over de Voorjaarsnota?", title)
    assert (facts["L.2"].result, facts["L.2"].votes_for, facts["L.2"].votes_against) == (
        "staken",
        22,
        22,
    )
    assert (facts["J.4"].result, facts["J.4"].votes_for) == ("staken", 22)
    assert (facts["O.B"].result, facts["O.B"].votes_for) == ("aangenomen", 26)
    assert (facts["F.8"].kind, facts["F.8"].result, facts["F.8"].parties) == (
        "motie",
        "aangehouden",
        ["FVD"],
    )
    assert (facts["O.A"].kind, facts["O.A"].result) == ("amendement", "ingetrokken")


STRAND_MINUTES = [
    "\n\n".join(
        [
            "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden "
            "op donderdag 13 maart 2025.",
            "Voorzitter: de burgemeester. Aanwezig zijn 20 leden.",
            "De voorzitter. Ik open de vergadering. Aan de orde is de strandvisie.",
        ]
    ),
    "\n\n".join(
        [
            "Marieke van Doorn (D66). Voorzitter. De zeereep is kwetsbaar; de duinen en de "
            "strandvogels verdienen rust.",
            "De voorzitter. Door de heer Bom wordt de volgende motie (B.1 GL) ingediend:",
            "Motie B.1 GL Zie de strandbroeders",
            "De raad, overwegende dat het broedseizoen voor strandvogels een stressvolle tijd "
            "is en loslopende honden aan die stress bijdragen, verzoekt het college de "
            "broedplekken van strandvogels af te schermen voor loslopende honden, en gaat over "
            "tot de orde van de dag.",
            "Motie B.2 VVD Meer strandtenten",
            "De raad verzoekt het college meer strandtenten toe te staan op het noordstrand, en "
            "gaat over tot de orde van de dag.",
        ]
    ),
    "\n\n".join(
        [
            "-\nVoorstel van het college inzake de Strandvisie 2025-2035 (RIS320288).",
            "In stemming komt motie B.1 GL.",
            "De voorzitter. Aangezien 10 leden tegen en 10 leden voor de motie hebben gestemd, "
            "staken de stemmen.",
            "In stemming komt motie B.2 VVD.",
            "De voorzitter. De motie wordt verworpen met 8 tegen 12 stemmen.",
            "In stemming komt het voorstel.",
            "De voorzitter. Het voorstel wordt aangenomen met 12 tegen 8 stemmen.",
        ]
    ),
]


def test_a_vote_found_through_the_motions_text(make_settings, tmp_path: Path) -> None:
    # The question names the motion in other words than its title: the vote is that of the
    # motion whose text the search found, not of one whose heading merely shares its page.
    inbox = tmp_path / "ingest"
    # The debate stands under its agenda item, a bold heading as in the minutes.
    agenda_item = {2: "L. Voorstel van het college inzake de Strandvisie 2025-2035"}
    write_pdf(inbox / "raad" / "notulen-strand.pdf", STRAND_MINUTES, headings=agenda_item)
    # Small chunks, as a long minutes' are: the heading, the motion's words and the vote
    # stand in different passages.
    chunking = {"target_tokens": 64, "max_tokens": 80, "min_tokens": 0, "overlap_tokens": 8}
    settings = make_settings(ingest_dir=inbox, llm={"provider": "extractive"}, chunking=chunking)
    engine = build_engine(settings)
    try:
        engine.ingest()
        question = (
            "Wat was de uitkomst van de stemming over de motie om broedplekken van "
            "strandvogels af te schermen voor loslopende honden?"
        )
        answer = engine.ask(question)
        assert answer.extractive is not None
        direct = answer.extractive.direct
        assert direct is not None and direct.origin == "stemming"
        assert direct.text == "stemmen staken (10 voor, 10 tegen)"
        assert (answer.extractive.quotes[0].file, answer.extractive.quotes[0].page) == (
            "raad/notulen-strand.pdf",
            3,
        )
        # Search shows the page of the vote first as well.
        assert engine.search(question, top_k=3)[0].page == 3
        # A proposal asked about in the words of its debate: the proposal of the agenda
        # item that debate stands under.
        proposal = engine.ask(
            "Met welke stemverhouding stemde de raad in met rust voor de zeereep?"
        )
        assert proposal.extractive is not None and proposal.extractive.direct is not None
        assert proposal.extractive.direct.text == "aangenomen met 12 tegen 8 stemmen"
        # Quoted from its own verdict, not from the motion's "8 tegen 12" above it.
        assert "aangenomen met 12 tegen 8 stemmen" in proposal.extractive.quotes[0].text
    finally:
        engine.close()


def test_a_motion_is_known_by_its_text_not_by_the_debate_around_it(engine: Engine) -> None:
    from raadsinzicht.index.council import CouncilStore, Passage

    (minutes,) = [d for d in engine.documents() if d.file.endswith("notulen.pdf")]
    store = CouncilStore(engine.catalog)
    # The heading in the chunk before; the motion's words, then debate, in the passage.
    passage = Passage(
        minutes.doc_id,
        [1, 2],
        "verzoekt het college de tarieven voor inwoners met een krappe beurs te verlagen, en "
        "gaat over tot de orde van de dag. De heer Jansen (VVD): de fietsenstalling bij het "
        "station is altijd vol, en de ondernemers en inwoners klagen.",
        preceding="Motie A.1 SP Korting op parkeren voor bewoners",
    )
    # Not by title (no word of it): by the motion's text the search found.
    asked = "Hoe is er gestemd over lagere tarieven voor inwoners met een krappe beurs?"
    assert [f.code for f in store.vote_facts(asked, found_in=passage)] == ["A.1"]
    assert store.vote_facts(asked) == []
    # Words the debate holds more of than the motion: no motion is named.
    debate = "Hoe is er gestemd over de volle fietsenstalling van inwoners bij het station?"
    assert store.vote_facts(debate, found_in=passage) == []
    # Without the heading, the words belong to no known motion.
    alone = Passage(minutes.doc_id, [2], passage.text)
    assert store.vote_facts(asked, found_in=alone) == []


def _minutes(day: str, motions: list[tuple[str, str, str]]) -> list[str]:
    """Minutes of one meeting: each motion (code and party, title, verdict) submitted on
    page 2 and voted on page 3."""
    submitted = [f"De voorzitter. Door de heer Bom wordt de volgende motie ({code}) ingediend:"
                 f"\n\nMotie {code} {title}\n\nDe raad verzoekt het college dit te regelen, en "
                 "gaat over tot de orde van de dag." for code, title, _ in motions]  # fmt: skip
    voted = [f"In stemming komt motie {code}.\n\nDe voorzitter. {verdict}"
             for code, _, verdict in motions]  # fmt: skip
    opening = (
        "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden op "
        f"{day}.\n\nVoorzitter: de burgemeester. Aanwezig zijn 44 leden.\n\nDe voorzitter. "
        "Ik open de vergadering."
    )
    return [opening, "\n\n".join(submitted), "\n\n".join(voted)]


def test_a_list_on_one_word_holds_every_motion_with_it_also_in_a_compound(
    make_settings, tmp_path: Path
) -> None:
    # As the corpus's parking motions of 2025: "parkeren" is spelled "parkeer" before
    # another word, and more titles hold it than a word that names one motion may; a list
    # about it had held only "Parkeren in de winter".
    adopted = "De motie wordt aangenomen met 30 tegen 14 stemmen."
    rejected = "De motie wordt verworpen met 14 tegen 30 stemmen."
    motions = [
        ("K.1 CDA", "Parkeren in de winter", adopted),
        ("K.2 VVD", "Geen parkeerplek weg zonder zekerheid voor compensatie", adopted),
        ("K.3 SP", "Tijdelijke ruimte voor parkeerplaatsen op de Binckhorst", adopted),
        ("K.4 HvDH", "Onderzoek uitbreiding parkeergarage Haagse Markt", rejected),
        ("K.5 GL", "Structurele parkeercompensatie bij herinrichting", rejected),
        ("K.6 D66", "Meer bomen in de Schilderswijk", adopted),
        ("K.7 PvdA", "Gratis zwemles voor ieder kind", adopted),
    ]
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "raad" / "notulen-juni.pdf", _minutes("donderdag 12 juni 2025", motions))
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    try:
        engine.ingest()
        answer = engine.ask("Welke moties over parkeren zijn aangenomen?").extractive
        assert answer is not None
        assert sorted(item.text.split(" ")[1] for item in answer.listing) == ["K.1", "K.2", "K.3"]
    finally:
        engine.close()


def test_a_compound_no_title_holds_is_matched_by_its_parts_together(
    make_settings, tmp_path: Path
) -> None:
    # The corpus's "Woningen bouwen is meer dan stenen stapelen" for "woningbouw" (the list
    # had been refused); "kabelbaan" is no "jeu de boules banen" (dev5-010 stays refused).
    adopted = "De motie wordt aangenomen met 30 tegen 14 stemmen."
    rejected = "De motie wordt verworpen met 14 tegen 30 stemmen."
    motions = [
        ("E.3 CU", "Woningen bouwen is meer dan stenen stapelen", adopted),
        ("J.2 HvDH", "Inventarisatie jeu de boules banen", rejected),
        ("K.6 D66", "Meer bomen in de Schilderswijk", adopted),
    ]
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "raad" / "notulen-december.pdf", _minutes("19 december 2024", motions))
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    try:
        engine.ingest()
        built = engine.ask("Welke motie over woningbouw is aangenomen?").extractive
        assert built is not None
        assert [item.text.split(" ")[1] for item in built.listing] == ["E.3"]
        cable = engine.ask("Welke moties over een kabelbaan zijn verworpen?").extractive
        assert cable is not None and cable.refused and not cable.listing
    finally:
        engine.close()


def test_motions_voted_in_minutes_carry_the_agenda_item_their_letter_names(
    make_settings, tmp_path: Path
) -> None:
    # Den Haag numbers a motion by its agenda item: "F.3" was submitted at item F, which the
    # minutes' agenda on their first page names. The votes say nothing more of it.
    from raadsinzicht.motions import _agenda_items

    agenda = (
        "Agenda\n\nA. Vaststelling agenda\nB. Stad in de raad\nC. Voorstel van het college "
        "inzake Voorjaarsnota 2025 (RIS322212)\nD. Voorstel van het college inzake de Strandvisie "
        "(RIS321152)"
    )
    assert _agenda_items([(1, agenda)])["C"] == "Voorstel van het college inzake Voorjaarsnota 2025"
    # Initials in a list of those present are no agenda.
    assert _agenda_items([(1, "Aanwezig:\nJ. Jansen Pietersen\nK. Smit Bakker\nL. Vos")]) == {}
    adopted = "De motie wordt aangenomen met 30 tegen 14 stemmen."
    minutes = _minutes(
        "donderdag 12 juni 2025",
        [
            ("C.1 SP", "Financiële reserve voor woonwagenstandplaatsen", adopted),
            ("C.2 VVD", "Geen aannames met veiligheid", adopted),
            ("D.1 PvdD", "Meer natuur op het strand", adopted),
        ],
    )
    minutes[0] += "\n\n" + agenda
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "raad" / "notulen-juni.pdf", minutes)
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    try:
        engine.ingest()
        answer = engine.ask("Welke moties zijn ingediend bij de voorjaarsnota?").extractive
        assert answer is not None and not answer.refused
        assert sorted(item.text.split(" ‘")[0] for item in answer.listing) == [
            "Motie C.1 (SP)",
            "Motie C.2 (VVD)",
        ]
        assert "(bij agendapunt ‘Voorstel van het college inzake Voorjaarsnota 2025’)" in (
            answer.listing[0].text
        )
    finally:
        engine.close()


def test_a_vote_question_naming_a_month_gets_that_meetings_motion(
    make_settings, tmp_path: Path
) -> None:
    inbox = tmp_path / "ingest"
    adopted = "De motie wordt aangenomen met 30 tegen 14 stemmen."
    write_pdf(
        inbox / "raad" / "notulen-december.pdf",
        _minutes(
            "donderdag 19 december 2024",
            [
                ("J.8 PvdA", "Gelijkwaardig onderhoud van speeltuinen", adopted),
                (
                    "J.3 HvDH",
                    "Watertappunt in drukstbezochte speeltuinen",
                    "22 stemmen voor en 22 stemmen tegen, dus deze motie komt terug.",
                ),
                ("J.9 GL", "Pak de grootste energieslurpers eerst aan", adopted),
            ],
        ),
    )
    write_pdf(
        inbox / "raad" / "notulen-maart.pdf",
        _minutes(
            "donderdag 13 maart 2025",
            [("K.6 HvDH", "Meer schaduw in speeltuinen door het plaatsen van bomen", adopted)],
        ),
    )
    engine = build_engine(make_settings(ingest_dir=inbox))
    try:
        engine.ingest()

        def codes(question: str) -> list[str | None]:
            return [fact.code for fact in engine.vote_facts(question)]

        # Every title says "speeltuinen": the month of the vote decides.
        assert codes("Hoe stemde de raad in maart 2025 over de motie over speeltuinen?") == ["K.6"]
        # The motions of that meeting only; "drukst bezochte" is the first part of the
        # title's "drukstbezochte" (and "plaatsen" names the other meeting's motion).
        asked = (
            "Hoe liep in december 2024 de stemming af over het voorstel om drinkwaterkranen "
            "te plaatsen in de drukst bezochte speeltuinen?"
        )
        assert codes(asked)[0] == "J.3"
        # A month without any vote in the records says nothing about which motion.
        assert set(codes("Hoe stemde de raad in juni 2023 over de motie over speeltuinen?")) == {
            "J.3",
            "J.8",
            "K.6",
        }
        # An ordinal names no subject: "de eerste energiestrategie" is no motion "… eerst aan".
        assert codes("Welke raad stemde als enige niet in met de eerste energiestrategie?") == []
        assert codes("Hoe is er gestemd over de motie over de grootste energieslurpers?") == ["J.9"]
    finally:
        engine.close()


def test_motion_list_questions() -> None:
    """What a question for a list of motions asks; other questions are no list."""
    huisvesting = motion_list("Welke moties over huisvesting zijn aangenomen?")
    assert huisvesting == MotionList(
        ("motie",), ("aangenomen",), (), None, "huisvesting", (), (), "huisvesting"
    )
    groenlinks = motion_list("Welke GroenLinks-moties zijn in 2025 afgewezen?")
    assert groenlinks is not None
    assert (groenlinks.parties, groenlinks.results, groenlinks.years) == (
        ("GroenLinks",),
        ("verworpen",),
        (2025,),
    )
    for rejected in ("haalden geen meerderheid", "zijn niet aangenomen", "werden weggestemd"):
        asked = motion_list(f"Welke moties van de SP {rejected}?")
        assert asked is not None and asked.results == ("verworpen",), rejected
    # A year in the subject names the subject, not when it was voted.
    begroting = motion_list("Welke amendementen op de begroting 2025 zijn aangenomen?")
    assert begroting is not None and begroting.kinds == ("amendement",)
    assert (begroting.subject, begroting.years) == ("de begroting 2025", ())
    both = motion_list("Noem de moties en amendementen van de VVD over veiligheid")
    assert both is not None and both.kinds == ("motie", "amendement")
    assert (both.parties, both.position, both.subject) == (("VVD",), None, "veiligheid")
    against = motion_list("Welke moties tegen sleutelgeld heeft de raad aangenomen?")
    assert against is not None and (against.subject, against.position) == ("sleutelgeld", None)
    voted = motion_list("Welke moties stemde de PVV tegen?")
    assert voted is not None and (voted.parties, voted.position) == (("PVV",), "tegen")
    # The council's decisions need a subject, a time or a party: all of them is no answer.
    decided = motion_list("Wat heeft de raad besloten over parkeren in 2025?")
    assert decided is not None and "voorstel" in decided.kinds
    assert motion_list("Wat heeft de raad besloten?") is None
    # The subject or time may stand before the verb, as Dutch word order has it.
    before = motion_list("Wat heeft de raad in 2025 over parkeren besloten?")
    assert before is not None and (before.subject, before.years) == ("parkeren", (2025,))
    on_day = motion_list("Wat heeft de gemeenteraad op 13 maart 2025 besloten?")
    assert on_day is not None and (on_day.subject, on_day.asked) == ("", "13 maart 2025")
    assert motion_list("Wat heeft de raad toen besloten?") is None
    # One motion asked for by who submitted it is a list of theirs.
    theirs = motion_list("Welke motie heeft de SP ingediend over sloopsubsidie?")
    assert theirs is not None and (theirs.parties, theirs.subject) == (("SP",), "sloopsubsidie")
    assert motion_list("Welke motie over sloopsubsidie is de beste?") is None
    # "moties van afkeuring": a kind of motion by name, not a party's.
    kind = motion_list("Welke moties van afkeuring zijn ingediend?")
    assert kind is not None and (kind.subject, kind.parties) == ("afkeuring", ())
    # "sinds 2024" is 2024 and after, "in 2024" that year alone.
    since = motion_list("Welke moties over parkeren zijn sinds 2024 aangenomen?")
    assert since is not None and (since.years, since.since) == ((), 2024)

    def voted_on(day: date) -> VoteFact:
        return VoteFact(
            "motie", "Parkeren in de winter", "CDA.3", None, "aangenomen", None, None, False,
            [], ["CDA"], [], day, None,
        )  # fmt: skip

    assert since.selects(voted_on(date(2025, 7, 9)))
    assert not since.selects(voted_on(date(2023, 11, 9)))
    within = motion_list("Welke moties over parkeren zijn in 2024 aangenomen?")
    assert within is not None and not within.selects(voted_on(date(2025, 7, 9)))
    # One motion asked for by its outcome is a list; asked for by its content it is not.
    one = motion_list("Welke GroenLinks-motie over de Haagse Markt is aangenomen?")
    assert one is not None and (one.kinds, one.results, one.parties) == (
        ("motie",),
        ("aangenomen",),
        ("GroenLinks",),
    )
    assert one.asked == "de Haagse Markt"
    amendment = motion_list("Welk amendement over de begroting werd verworpen?")
    assert amendment is not None and amendment.kinds == ("amendement",)
    assert motion_list("Welke motie vroeg het college om meer handhaving?") is None
    on_a_day = motion_list("Welke moties zijn op 19 december 2024 aangenomen?")
    assert on_a_day is not None and on_a_day.subject == ""  # the day says when
    assert (
        motion_list("Welke motie van Provinciale Staten ligt ten grondslag aan het plan?") is None
    )
    assert motion_list("Wat zei de SP over de moties?") is None


def test_a_list_of_motions_is_answered_from_the_council_records(
    make_settings, tmp_path: Path
) -> None:
    inbox = tmp_path / "ingest"
    adopted = "De motie wordt aangenomen met 30 tegen 14 stemmen."
    rejected = "De motie wordt verworpen met 14 tegen 30 stemmen."
    write_pdf(
        inbox / "raad" / "notulen-december.pdf",
        _minutes(
            "donderdag 19 december 2024",
            [
                ("J.8 PvdA", "Gelijkwaardig onderhoud van speeltuinen", adopted),
                ("J.4 VVD", "Geen hekken om speeltuinen", rejected),
                ("J.9 GL", "Pak de grootste energieslurpers eerst aan", adopted),
            ],
        ),
    )
    write_pdf(
        inbox / "raad" / "notulen-maart.pdf",
        _minutes(
            "donderdag 13 maart 2025",
            [("K.6 HvDH", "Meer schaduw in speeltuinen door het plaatsen van bomen", adopted)],
        ),
    )
    for month, letter in (("april", "L"), ("mei", "M")):
        benches = [(f"{letter}.{n} SP", f"Een bankje bij halte {n}", adopted) for n in range(5)]
        write_pdf(inbox / "raad" / f"notulen-{month}.pdf", _minutes(f"8 {month} 2025", benches))
    # A motion whose vote no indexed document records.
    write_pdf(
        inbox / "moties" / "sleutelgeld.pdf",
        [
            "Motie: Ga de strijd aan tegen sleutelgeld\nIndiener: Lesley Arp, SP\n\nDe raad van "
            "de gemeente Den Haag, in vergadering bijeen op 13 maart 2025,\n\nverzoekt het "
            "college een meldpunt in te richten.\n\nEn gaat over tot de orde van de dag."
        ],
    )
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    try:
        engine.ingest()

        def listed(question: str) -> ExtractiveAnswer:
            answer = engine.ask(question)
            assert answer.extractive is not None
            return answer.extractive

        speeltuinen = listed("Welke moties over speeltuinen zijn aangenomen?")
        assert [item.text for item in speeltuinen.listing] == [
            "Motie K.6 (Hart voor Den Haag) ‘Meer schaduw in speeltuinen door het plaatsen van "
            "bomen’: aangenomen met 30 tegen 14 stemmen, 13 maart 2025",
            "Motie J.8 (PvdA) ‘Gelijkwaardig onderhoud van speeltuinen’: aangenomen met 30 "
            "tegen 14 stemmen, 19 december 2024",
        ]
        # Each line cites the page that records its vote, and quotes that sentence.
        cited = {q.n: (q.file, q.page, q.text) for q in speeltuinen.quotes}
        march, december = (cited[item.n] for item in speeltuinen.listing)
        assert march == ("raad/notulen-maart.pdf", 3, adopted)
        assert december == ("raad/notulen-december.pdf", 3, adopted)
        assert speeltuinen.render().startswith("Moties (2):\n- Motie K.6")
        assert "**Moties (2):**" in extractive_markdown(speeltuinen)

        assert [
            i.text.split(" ‘")[0] for i in listed("Welke VVD-moties zijn verworpen?").listing
        ] == ["Motie J.4 (VVD)"]
        december_only = listed("Welke moties zijn in december 2024 aangenomen?")
        assert [item.text.split(" ")[1] for item in december_only.listing] == ["J.8", "J.9"]
        # Eight lines; the records hold the rest.
        sp = listed("Welke moties diende de SP in?")
        assert len(sp.listing) == 8 and sp.unlisted == 3
        assert sp.listing_heading == "Moties (8, en nog 3 in de stemmingen)"
        # "Hoeveel …?" asks how long the list is.
        counted = listed("Hoeveel moties diende de SP in?")
        assert (
            counted.listing_heading == "Aantal: 11 moties in de vastgelegde stemmingen, de eerste 8"
        )
        assert (
            listed("Hoeveel moties over speeltuinen zijn aangenomen?")
            .render()
            .startswith("Aantal: 2 moties in de vastgelegde stemmingen:\n- Motie K.6")
        )
        # One is one motie ("Aantal: 1 moties" had read as a typo).
        assert listed("Hoeveel VVD-moties zijn verworpen?").listing_heading == (
            "Aantal: 1 motie in de vastgelegde stemmingen"
        )

        # Its outcome is not known: it is listed as such, not denied.
        unknown = listed("Welke moties over sleutelgeld zijn aangenomen?")
        assert [item.text for item in unknown.listing] == [
            "Motie (SP) ‘Ga de strijd aan tegen sleutelgeld’: geen uitslag vastgelegd, "
            "13 maart 2025"
        ]
        none = listed("Welke moties over hondenbelasting zijn aangenomen?")
        assert none.refused and none.listing == []
        assert none.reason == (
            "In de vastgelegde moties en stemmingen staat geen motie over hondenbelasting die "
            "is aangenomen."
        )
        # A day the records hold no vote on is named, not only its year.
        day = listed("Welke moties zijn aangenomen op 14 februari 2025?")
        assert day.refused and day.reason == (
            "In de vastgelegde moties en stemmingen staat geen motie die is aangenomen op "
            "14 februari 2025."
        )
        # None was adopted, one was rejected: it is listed, under why none fits.
        hekken = listed("Welke motie over hekken is aangenomen?")
        assert not hekken.refused and [i.text.split(" ‘")[0] for i in hekken.listing] == [
            "Motie J.4 (VVD)"
        ]
        assert hekken.listing_heading == (
            "In de vastgelegde moties en stemmingen staat geen motie over hekken die is "
            "aangenomen. Wel: moties (1)"
        )
        assert "verworpen met 14 tegen 30 stemmen" in hekken.listing[0].text
        # A member by name: the motions the records give as theirs; one they never name
        # as a submitter has none (the list had held every motion).
        arp = listed("Welke moties heeft Lesley Arp ingediend?")
        assert [item.text.split(" ‘")[1] for item in arp.listing] == [
            "Ga de strijd aan tegen sleutelgeld’: geen uitslag vastgelegd, 13 maart 2025"
        ]
        assert len(listed("Welke moties heeft Arp ingediend?").listing) == 1
        unknown_member = listed("Welke moties van Rutger de Ridder zijn aangenomen?")
        assert unknown_member.refused and unknown_member.reason == (
            "In de vastgelegde moties en stemmingen staat geen motie van Rutger de Ridder die "
            "is aangenomen."
        )
        per_party = listed("Welke moties steunde de PvdA?")
        assert per_party.refused
        assert (
            per_party.reason == "De vastgelegde stemmingen zeggen niet per motie hoe PvdA stemde."
        )
    finally:
        engine.close()


def test_who_submitted_a_motion_from_its_record() -> None:
    amendment = VoteFact(
        "amendement", "Badhuisarchitectuur als drager voor nieuwe ontwikkeling Badhuisweg",
        "L.A", None, "aangenomen", None, None, False, ["Rutger de Ridder"],
        ["VVD", "CDA", "D66"], [], date(2025, 1, 23), None,
    )  # fmt: skip
    who = "Wie is de indiener van het amendement over badhuisarchitectuur?"
    assert asks_submitter(who)
    assert submitter_value(who, amendment) == (
        "Rutger de Ridder (VVD), mede ingediend door CDA en D66",
        "persoon",
    )
    party = "Welke fractie diende het amendement over badhuisarchitectuur in?"
    assert submitter_value(party, amendment) == ("VVD, mede ingediend door CDA en D66", "partij")
    # Co-submitters alone, or that there are none (not the submitter as if it were one).
    along = "Welke partijen dienden het amendement over badhuisarchitectuur mede in?"
    assert submitter_value(along, amendment) == ("CDA en D66", "partij")
    alone = replace(amendment, parties=["VVD"])
    co = "Wie waren de mede-indieners van het amendement over badhuisarchitectuur?"
    assert submitter_value(co, alone) == ("geen; alleen ingediend door VVD", "partij")
    assert not asks_submitter("Wat vraagt het amendement over badhuisarchitectuur?")
    weights = {"badhuisarchitectuur": 6.0, "amendement": 1.0, "indiener": 2.0, "beter": 1.5}
    assert titled(who, amendment, weights)
    # A paraphrase that shares one common word with the title names no motion.
    other = VoteFact(
        "motie", "Faciliteer mantelzorgwoningen eerder en beter", "V.1", None, "aangenomen",
        None, None, False, [], ["ChristenUnie/SGP"], [], date(2025, 3, 13), None,
    )  # fmt: skip
    paraphrase = "Welke partij diende een motie in om studenten beter te beschermen?"
    weights |= {"student": 5.0, "bescherm": 3.0}
    assert not titled(paraphrase, other, weights)


def test_what_the_council_decided_on_a_subject_lists_the_proposal_first(
    make_settings, tmp_path: Path
) -> None:
    # "Wat heeft de raad besloten over …?" (the product's first example question): the
    # proposal's vote, then the amendment and the motion voted at the same agenda item.
    minutes = [
        "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden op "
        "donderdag 13 maart 2025.\n\nVoorzitter: de burgemeester.",
        "De voorzitter. Door de heer Bom wordt het volgende amendement (P.A VVD) ingediend:\n\n"
        "Amendement P.A VVD Het Speeltuinenplan ook voor Loosduinen\n\nDe raad besluit het "
        "voorstel aldus te wijzigen.\n\nDe voorzitter. Door de heer Bom wordt de volgende "
        "motie (P.1 PvdA) ingediend:\n\nMotie P.1 PvdA Schaduw in het Speeltuinenplan\n\nDe "
        "raad verzoekt het college dit te regelen, en gaat over tot de orde van de dag.",
        "-\nVoorstel van het college inzake het Speeltuinenplan 2025 (RIS999001).\n\n"
        "In stemming komt het gewijzigd amendement P.A VVD.\n\nDe voorzitter. Het gewijzigd "
        "amendement wordt aangenomen met 26 tegen 18 stemmen.\n\nIn stemming komt het "
        "voorstel.\n\nDe voorzitter. Het voorstel wordt aangenomen met 30 tegen 14 stemmen."
        "\n\nIn stemming komt motie P.1 PvdA.\n\nDe voorzitter. De motie wordt verworpen met "
        "14 tegen 30 stemmen.",
    ]
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "raad" / "notulen-maart.pdf", minutes)
    engine = build_engine(make_settings(ingest_dir=inbox, llm={"provider": "extractive"}))
    try:
        engine.ingest()
        answer = engine.ask("Wat heeft de raad besloten over het Speeltuinenplan?").extractive
        assert answer is not None and not answer.refused
        assert answer.listing_heading == "Besluiten (3)"
        assert [item.text.split(":")[0].split(" (")[0] for item in answer.listing] == [
            "Voorstel van het college inzake het Speeltuinenplan 2025",
            "Amendement P.A",
            "Motie P.1",
        ]
        assert "aangenomen met 30 tegen 14 stemmen" in answer.listing[0].text
        inverted = engine.ask("Wat heeft de raad over het Speeltuinenplan besloten?").extractive
        assert inverted is not None and inverted.listing == answer.listing
        on_day = engine.ask("Wat heeft de raad op 13 maart 2025 besloten?").extractive
        assert on_day is not None and on_day.listing_heading == "Besluiten (3)"
        assert engine.ask("Wat heeft de raad op 14 maart 2025 besloten?").extractive.listing == []
        none = engine.ask("Wat heeft de raad besloten over hondenbelasting?").extractive
        assert none is not None and none.refused
        assert (
            none.reason
            == "In de vastgelegde moties en stemmingen staat geen besluit over hondenbelasting."
        )
        # A proposal on the subject whose vote the records do not hold: its decision as
        # proposed, said to be unvoted, cited to its page.
        write_pdf(
            inbox / "raadsvoorstellen" / "hondenbelasting.pdf",
            [
                "Voorstel van het college inzake afschaffing hondenbelasting 2026\n\n"
                "Datum 4 februari 2025\n\nDe raad van de gemeente Testdorp,\n\nbesluit:\n\n"
                "I. de Verordening hondenbelasting 2026 in te trekken;\n"
                "II. de dekking te zoeken in de algemene middelen.\n\n"
                "Het college stelt voor de hondenbelasting af te schaffen, omdat de opbrengst "
                "niet aan honden wordt besteed."
            ],
        )
        engine.ingest()
        proposed = engine.ask("Wat heeft de raad besloten over hondenbelasting?").extractive
        assert proposed is not None and not proposed.refused
        assert [item.text for item in proposed.listing] == [
            "Voorstel van het college inzake afschaffing hondenbelasting 2026 (4 februari "
            "2025): voorgesteld besluit, geen stemming vastgelegd"
        ]
        assert proposed.quotes[0].text.startswith("I. de Verordening hondenbelasting 2026")
        # A subject word no motion, proposal or agenda item has: the Speeltuinenplan's
        # decisions are not about a referendum on it.
        asked = "Wat heeft de raad besloten over het referendum over het Speeltuinenplan?"
        other = engine.ask(asked).extractive
        assert other is not None and other.refused and other.listing == []
        assert other.reason == (
            "In de vastgelegde moties en stemmingen staat geen besluit over het referendum "
            "over het Speeltuinenplan."
        )
    finally:
        engine.close()


def test_a_proposals_decision_stamp_gives_the_councils_outcome(
    make_settings, tmp_path: Path
) -> None:
    # The griffie stamps a council proposal's decision ("Aldus verworpen in de openbare
    # raadsvergadering van …"): that is the council's outcome, where no minutes record the
    # vote; a motion that merely shares a word of its title ("parkeren") does not answer.
    decisions = "\n\n".join(
        [
            "Besluitenlijst van de raadsvergadering van 9 juli 2025",
            "Punt A Raadszaken (RIS319001)",
            "322905 Motie CDA.3 Parkeren in de winter Aangenomen",
        ]
    )
    documents = {
        "raad/besluitenlijst.pdf": [decisions],
        "raadsvoorstellen/referendum.pdf": [
            "Voorstel van het college inzake startnotitie referendum betaald parkeren\n\n"
            "Datum 27 januari 2025\n\nDe raad van de gemeente Testdorp,\n\nbesluit:\n\n"
            "I. vast te stellen de Startnotitie referendum betaald parkeren;\n"
            "II. een referendum te houden op 21 mei 2025.\n\n"
            "Aldus verworpen in de openbare raadsvergadering van 13 februari 2025.\n\n"
            "De griffier, De voorzitter,"
        ],
        "raadsvoorstellen/nadeelcompensatie.pdf": [
            "Voorstel van het college inzake de Verordening nadeelcompensatie Testdorp 2025\n\n"
            "Datum 17 december 2024\n\nDe raad van de gemeente Testdorp,\n\nbesluit:\n\n"
            "vast te stellen de Verordening nadeelcompensatie Testdorp 2025.",
            "Artikel 1. Deze verordening treedt in werking op 1 februari 2025.\n\n"
            "*Aldus geamendeerd besloten in de openbare raadsvergadering van 23 januari 2025.",
        ],
    }
    with engine_over(make_settings, tmp_path / "ingest", documents) as engine:
        voted = engine.ask("Is de startnotitie referendum parkeren aangenomen?").extractive
        assert voted is not None and voted.direct is not None
        assert voted.direct.text == "verworpen in de raadsvergadering van 13 februari 2025"
        assert voted.quotes[0].text == (
            "Aldus verworpen in de openbare raadsvergadering van 13 februari 2025."
        )
        assert Path(voted.sources[voted.direct.n - 1].file).name == "referendum.pdf"
        listed = engine.ask("Wat heeft de raad besloten over het referendum over parkeren?")
        assert listed.extractive is not None
        assert [item.text for item in listed.extractive.listing] == [
            "Voorstel van het college inzake startnotitie referendum betaald parkeren (27 "
            "januari 2025): verworpen in de raadsvergadering van 13 februari 2025"
        ]
        # Among the motions the records hold on the subject: first, not left out.
        year = engine.ask("Wat heeft de raad besloten over parkeren in 2025?").extractive
        assert year is not None
        assert [item.text.split(" (")[0] for item in year.listing] == [
            "Voorstel van het college inzake startnotitie referendum betaald parkeren",
            "Motie CDA.3",
        ]
        assert year.unlisted == 0
        # The council's decision date, not the proposal's own or the date it takes effect.
        asked = "Wanneer heeft de raad de verordening nadeelcompensatie vastgesteld?"
        when = engine.ask(asked).extractive
        assert when is not None and when.direct is not None
        assert (when.direct.text, when.direct.kind) == ("23 januari 2025", "datum")
        stamp = when.quotes[0]
        assert (Path(stamp.file).name, stamp.page) == ("nadeelcompensatie.pdf", 2)
        assert stamp.text.startswith("Aldus geamendeerd besloten")
        # Search shows the page that answers first; by its words alone the proposal's
        # first page ranks first.
        first = engine.search(asked, records_first=False)[0]
        assert (Path(first.file).name, first.page) == ("nadeelcompensatie.pdf", 1)
        first = engine.search(asked)[0]
        assert (Path(first.file).name, first.page) == ("nadeelcompensatie.pdf", 2)
        # A summary without a model gives the council's decision beside the proposed one.
        lines = engine.summarize("nadeelcompensatie.pdf").text.splitlines()
        decided = "geamendeerd aangenomen in de raadsvergadering van 23 januari 2025 [p. 2]"
        assert f"- Besluit van de raad: {decided}" in lines
        # Another proposal's stamp does not answer ("Verordening" alone names none).
        other = engine.ask("Wanneer is de Verordening Afvalstoffenheffing vastgesteld?").extractive
        assert other is not None
        assert other.direct is None or other.direct.text != "23 januari 2025"
        # A when-question that assumes adoption of a rejected proposal is told so.
        assumed = engine.ask("Wanneer is de startnotitie referendum parkeren vastgesteld?")
        assert assumed.extractive is not None and assumed.extractive.direct is not None
        assert assumed.extractive.direct.text == "verworpen op 13 februari 2025"
        # The motion the records do name by its title still answers from them; a tally
        # they do not hold is said to be missing.
        motion = engine.ask("Is de motie over parkeren in de winter aangenomen?").extractive
        assert motion is not None and motion.direct is not None
        assert motion.direct.text == "aangenomen"
        tally = "Hoeveel raadsleden stemden voor de motie over parkeren in de winter?"
        counted = engine.ask(tally).extractive
        assert counted is not None and counted.direct is not None
        assert counted.direct.text == "stemverhouding niet vastgelegd; aangenomen"


def test_a_proposal_is_about_what_its_opening_says_too(make_settings, tmp_path: Path) -> None:
    # The corpus's startnotitie is titled "… referendum uitbreiding gereguleerd parkeren";
    # a councillor asks about "het referendum over betaald parkeren", the words of the
    # citizens' initiative its opening cites. It was refused: no title said "betaald".
    documents = {
        "raadsvoorstellen/referendum.pdf": [
            "Voorstel van het college inzake startnotitie referendum uitbreiding gereguleerd "
            "parkeren\n\nDatum 27 januari 2025\n\nOp 28 november 2024 heeft de raad "
            "ingestemd met het burgerinitiatief ‘uitbreiding betaald parkeren’.\n\n"
            "De raad van de gemeente Testdorp,\n\nbesluit:\n\n"
            "I. het referendum te houden op 21 mei 2025.\n\n"
            "Aldus verworpen in de openbare raadsvergadering van 13 februari 2025.",
        ],
        "raadsvoorstellen/normen.pdf": [
            "Voorstel van het college inzake parkeernormen voor het referendumplein\n\n"
            "Datum 3 maart 2025\n\nDe parkeernormen gelden voor nieuwbouw.\n\n"
            "De raad van de gemeente Testdorp,\n\nbesluit:\n\n"
            "I. vast te stellen de parkeernormen.\n\n"
            "Aldus besloten in de openbare raadsvergadering van 20 maart 2025.",
        ],
    }
    with engine_over(make_settings, tmp_path / "ingest", documents) as engine:
        asked = "Wat heeft de raad besloten over het referendum over betaald parkeren?"
        listed = engine.ask(asked).extractive
        assert listed is not None and not listed.refused
        assert [item.text for item in listed.listing] == [
            "Voorstel van het college inzake startnotitie referendum uitbreiding gereguleerd "
            "parkeren (27 januari 2025): verworpen in de raadsvergadering van 13 februari 2025"
        ]
        # Half the subject in a title, and the rest nowhere at its start: not about it.
        asked = "Wat heeft de raad besloten over het referendum over de parkeernormen?"
        other = engine.ask(asked).extractive
        assert other is not None and other.listing == []


def test_a_vote_question_names_the_kind_of_record_it_asks_about(
    make_settings, tmp_path: Path
) -> None:
    decisions = "\n\n".join(
        [
            "Besluitenlijst van de raadsvergadering van 9 juli 2025",
            "Punt K Pletterijkade 50 (RIS322800)",
            "322854 Amendement K.A CDA Duidelijk plan Pletterijkade 50 met en voor de buurt "
            "Aangenomen",
            "322855 Motie K.1 PVV Gemotoriseerd verkeer linksaf de Pletterijkade op Verworpen",
        ]
    )
    with engine_over(make_settings, tmp_path / "ingest", {"raad/lijst.pdf": [decisions]}) as engine:
        for question, outcome in (
            ("Is de motie over de Pletterijkade aangenomen?", "verworpen"),
            ("Is het amendement over de Pletterijkade aangenomen?", "aangenomen"),
        ):
            answer = engine.ask(question).extractive
            assert answer is not None and answer.direct is not None
            assert answer.direct.text == outcome, question


def test_the_motion_asked_for_by_its_submitter_may_be_an_amendment(
    make_settings, tmp_path: Path
) -> None:
    decisions = "\n\n".join(
        [
            "Besluitenlijst van de raadsvergadering van 13 februari 2025",
            "Punt A Uitbreiding zero-emissiezone (RIS320645)",
            "322001 Amendement A.A SP Verleng sloopsubsidie Aangenomen",
            "322002 Motie A.1 VVD Sloopsubsidie ook voor bestelbussen Verworpen",
        ]
    )
    documents = {"raad/besluitenlijst.pdf": [decisions]}
    with engine_over(make_settings, tmp_path / "ingest", documents) as engine:
        answer = engine.ask("Welke motie heeft de SP ingediend over sloopsubsidie?").extractive
        assert answer is not None and not answer.refused
        assert [item.text.split(":")[0] for item in answer.listing] == [
            "Amendement A.A (SP) ‘Verleng sloopsubsidie’"
        ]
        assert answer.listing_note == (
            "In de vastgelegde moties en stemmingen staat geen motie over sloopsubsidie van SP."
        )
        vvd = engine.ask("Welke motie diende de VVD in over sloopsubsidie?").extractive
        assert vvd is not None and vvd.listing_note is None
        assert [item.text.split(":")[0] for item in vvd.listing] == [
            "Motie A.1 (VVD) ‘Sloopsubsidie ook voor bestelbussen’"
        ]


def test_a_motion_of_censure_keeps_its_title(make_settings, tmp_path: Path) -> None:
    inbox = tmp_path / "ingest"
    censure = [
        "L.2 CU.SGP\n\nMotie van afkeuring\n\nIndiener: Judith Klokkenburg, "
        "ChristenUnie/SGP\n\nDe raad van de gemeente Testdorp, in vergadering bijeen op 13 "
        "februari 2025,\n\nconstaterende, dat het college geheime informatie verstrekte;\n\n"
        "spreekt haar afkeuring uit over de handelwijze van het college,\n\nen gaat over tot "
        "de orde van de dag.\n\nJudith Klokkenburg\nChristenUnie/SGP"
    ]
    with engine_over(make_settings, inbox, {"moties/motie-afkeuring.pdf": censure}) as engine:
        assert [fact.title for fact in engine.vote_facts("motie van afkeuring")] == [
            "Motie van afkeuring"
        ]
        listed = engine.ask("Welke moties van afkeuring zijn ingediend?").extractive
        assert listed is not None and len(listed.listing) == 1
        assert "Motie van afkeuring" in listed.listing[0].text
        # Another motion of censure, later and voted on: "de motie van afkeuring" is still
        # the one titled so, and its missing outcome is said, not the other's given.
        decisions = "\n\n".join(
            [
                "Besluitenlijst van de raadsvergadering van 13 maart 2025",
                "Punt X Schrappen voorrang statushouders (RIS321001)",
                "321671 Motie X.3 HvDH Afkeuring over uitspraken van de wethouder Verworpen",
            ]
        )
        write_pdf(inbox / "raad" / "besluitenlijst.pdf", [decisions])
        assert engine.ingest(embed=False).failed == []
        who = engine.ask("Wie heeft de motie van afkeuring ingediend?").extractive
        assert who is not None and who.direct is not None
        assert who.direct.text.startswith("Judith Klokkenburg (ChristenUnie/SGP)")
        voted = engine.ask("Is de motie van afkeuring aangenomen?").extractive
        assert voted is not None and voted.refused
        assert voted.reason == (
            "Van de motie ‘Motie van afkeuring’ (L.2, ChristenUnie/SGP) is geen uitslag vastgelegd."
        )
        other = engine.ask("Is de motie over uitspraken van de wethouder aangenomen?").extractive
        assert other is not None and other.direct is not None
        assert other.direct.text == "verworpen"


def test_an_amendment_named_by_its_subject_without_an_outcome_says_so(
    make_settings, tmp_path: Path
) -> None:
    amendment = [
        "Amendement: sociale veiligheid mag geen sluitpost zijn\n\nIndiener: Lotte van Basten "
        "Batenburg, Haagse VVD\n\nDe raad van de gemeente Testdorp, in vergadering bijeen op 3 "
        "april 2025,\n\nBesluit:\n\nDictum I aan te vullen: de budgetten voor veiligheid mogen "
        "niet als sluitpost worden gebruikt.\n\nLotte van Basten Batenburg\nHaagse VVD"
    ]
    decisions = "\n\n".join(
        [
            "Besluitenlijst van de raadsvergadering van 9 juli 2025",
            "Punt B Huisvesting statushouders (RIS322800)",
            "322830 Motie HvDH.10 Stoppen met voorrang voor statushouder op sociale "
            "huurwoningen Verworpen",
        ]
    )
    documents = {
        "moties/amendement-sociale-veiligheid.pdf": amendment,
        "raad/besluitenlijst.pdf": [decisions],
    }
    with engine_over(make_settings, tmp_path / "ingest", documents) as engine:
        # Only the amendment's title holds "sociale veiligheid"; the motion shares "sociale".
        voted = engine.ask(
            "Welke fracties stemden tegen het amendement over sociale veiligheid?"
        ).extractive
        assert voted is not None and voted.refused
        assert voted.reason == (
            "Van het amendement ‘sociale veiligheid mag geen sluitpost zijn’ (VVD) "
            "is geen uitslag vastgelegd."
        )
        other = engine.ask("Is de motie over voorrang voor statushouders aangenomen?").extractive
        assert other is not None and other.direct is not None
        assert other.direct.text == "verworpen"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Wat vraagt de motie over hoogbegaafdheid van het college?", True),
        ("Wat wil de SP met de motie over sleutelgeld?", True),
        ("Wat houdt het amendement over badhuisarchitectuur in?", True),
        ("Wat is het verzoek van de motie over parkeerdrukmeting?", True),
        # Why it asks is in its considerations; how much it wants is an amount.
        ("Waarom vraagt de motie over hoogbegaafdheid om gesprekken?", False),
        ("Hoeveel geld wil de motie over de Holocaust reserveren?", False),
        ("Wat vraagt het college aan de raad?", False),
    ],
)
def test_asks_request(question: str, asks: bool) -> None:
    assert asks_request(question) is asks


def test_when_the_council_debated_is_the_day_of_its_minutes(make_settings, tmp_path: Path) -> None:
    # The corpus's Voorjaarsnota: "Wanneer besprak de raad …?" had answered the college's
    # proposal date (20 mei 2025), not the meeting's.
    proposal = [
        "Voorstel van het college inzake Voorjaarsnota 2025\n\nMet deze voorjaarsnota stelt de "
        "raad het budgettaire kader vast.\n\nDe raad van de gemeente Testdorp, gezien het "
        "voorstel van het college van 20 mei 2025, besluit: het budgettair kader vast te "
        "stellen."
    ]
    minutes = [
        "Notulen van de openbare vergadering van de gemeenteraad van Testdorp, gehouden op "
        "donderdag 12 juni 2025.\n\nDe voorzitter. Aan de orde is de Voorjaarsnota 2025.\n\n"
        "Lesley Arp (SP). Dit is de eerste keer dat we als raad op deze manier de "
        "Voorjaarsnota behandelen."
    ]
    documents = {
        "raadsvoorstellen/voorjaarsnota.pdf": proposal,
        "notulen/notulen-juni.pdf": minutes,
    }
    with engine_over(make_settings, tmp_path / "ingest", documents) as engine:
        answer = engine.ask("Wanneer besprak de raad de Voorjaarsnota 2025?").extractive
        assert answer is not None and answer.direct is not None
        assert answer.direct.text == "12 juni 2025"
        assert answer.sources[answer.direct.n - 1].file == "notulen/notulen-juni.pdf"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Wat is het voorgestelde besluit over het bestemmingsplan Strand?", True),
        ("Wat stelt het presidium voor over de raadsrapporteurs?", True),
        ("Wat zijn de beslispunten van het voorstel over de verordening nadeelcompensatie?", True),
        # A motion's dictum is what it asks (``asks_request``); why is in the considerations.
        ("Wat is het dictum van de motie over sleutelgeld?", False),
        ("Waarom stelt het college een nieuwe verordening voor?", False),
    ],
)
def test_asks_proposed_decision(question: str, asks: bool) -> None:
    assert asks_proposed_decision(question) is asks


def test_what_a_proposal_proposes_is_read_from_its_dictum(make_settings, tmp_path: Path) -> None:
    # As the corpus's raadsrapporteurs proposal: the introduction and the nominations come
    # first, the dictum under "Besluit" (the answer had quoted "Er is aanleiding …").
    proposal = [
        "Datum\n6 februari 2025\n\nVoorstel van het presidium inzake benoeming "
        "raadsrapporteurs Den Haag Zuidwest\n\nEr is aanleiding over te gaan tot de "
        "benoeming van twee raadsrapporteurs. Er is een uitvraag gedaan onder de raadsleden. "
        "Vanuit de fractie van Hart voor Den Haag is de heer Martini voorgedragen.\n\n"
        "Gelet op het bovenstaande wordt de raad voorgesteld het volgende besluit te nemen:\n\n"
        "Besluit\n\n- Over te gaan tot benoeming van de leden Van den Bos en Martini tot "
        "raadsrapporteurs op het dossier Den Haag Zuidwest;\n- Het raadsrapporteurschap te "
        "laten eindigen gelijktijdig met het aflopen van de huidige raadsperiode.",
    ]
    documents = {"raadsvoorstellen/presidium-raadsrapporteurs.pdf": proposal}
    with engine_over(make_settings, tmp_path / "ingest", documents) as engine:
        answer = engine.ask("Wat stelt het presidium voor over de raadsrapporteurs?").extractive
        assert answer is not None and not answer.refused and answer.direct is None
        assert [quote.text for quote in answer.quotes] == [
            "Over te gaan tot benoeming van de leden Van den Bos en Martini tot "
            "raadsrapporteurs op het dossier Den Haag Zuidwest;",
            "Het raadsrapporteurschap te laten eindigen gelijktijdig met het aflopen van de "
            "huidige raadsperiode.",
        ]
        assert {quote.page for quote in answer.quotes} == {1}


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Waarom wil de SP de sloopsubsidie verlengen?", True),
        ("Waarom vraagt de motie over hoogbegaafdheid om gesprekken?", True),
        # Why a party voted so is its explanation in the debate; why it was held over, the
        # debate's too.
        ("Waarom stemde de SP tegen de Voorjaarsnota?", False),
        ("Waarom is de motie over demonstreren aangehouden?", False),
        ("Wat vraagt de motie over hoogbegaafdheid?", False),
    ],
)
def test_asks_reason(question: str, asks: bool) -> None:
    assert asks_reason(question) is asks


def test_why_a_motion_asks_is_read_from_its_considerations(make_settings, tmp_path: Path) -> None:
    # As the corpus's parkeerdrukmeting motion: "Waarom …?" had quoted a besluitenlijst's
    # row and the debate; the motion gives its reasons before its request.
    motion = [
        "Motie: Altijd parkeerdrukmeting\n\nIndiener: Ralf Sluijs, Hart voor Den Haag\n\n"
        "De raad van de gemeente Testdorp, in vergadering bijeen op 3 april 2025,\n\n"
        "Overwegende dat:\n- veel inwoners en ondernemers van de auto afhankelijk zijn;\n- er "
        "weinig volwaardige alternatieven zijn voor de auto.\n\nVerzoekt het college:\n- bij "
        "elke herinrichting eerst een parkeerdrukmeting te doen.\n\nEn gaat over tot de orde "
        "van de dag.\n\nRalf Sluijs\nHart voor Den Haag"
    ]
    documents = {"moties/motie-parkeerdrukmeting.pdf": motion}
    with engine_over(make_settings, tmp_path / "ingest", documents) as engine:
        asked = "Waarom wil Hart voor Den Haag altijd een parkeerdrukmeting?"
        answer = engine.ask(asked).extractive
        assert answer is not None and not answer.refused and answer.direct is None
        assert [quote.text for quote in answer.quotes] == [
            "veel inwoners en ondernemers van de auto afhankelijk zijn;",
            "er weinig volwaardige alternatieven zijn voor de auto.",
        ]
        assert {(quote.file, quote.page) for quote in answer.quotes} == {
            ("moties/motie-parkeerdrukmeting.pdf", 1)
        }


def test_what_a_motion_asks_is_read_from_its_dictum(make_settings, tmp_path: Path) -> None:
    motion = [
        "Motie: Veranker hoogbegaafdheid in Haags onderwijsbeleid\n\nIndiener: Caroline "
        "Verduin, D66\n\nDe raad van de gemeente Testdorp, in vergadering bijeen op 23 "
        "januari 2025,\n\nConstaterende dat:\n- twee tot drie procent van de kinderen "
        "hoogbegaafd is;\n\nVerzoekt het college:\n- de actiepunten uit het actieplan te "
        "bespreken met de samenwerkingsverbanden passend onderwijs;\n- de raad hierover te "
        "informeren.\n\nEn gaat over tot de orde van de dag.\n\nCaroline Verduin\nD66"
    ]
    letter = [
        "Gemeente Testdorp\n\nAan de gemeenteraad\n\nDatum\n27 mei 2025\n\nOnderwerp\n"
        "Tussenbericht motie: ‘Veranker hoogbegaafdheid in Haags onderwijsbeleid’\n\n"
        "Op 23 januari 2025 heeft de raad de motie over hoogbegaafdheid aangenomen. Het "
        "college vraagt meer tijd voor de motie over hoogbegaafdheid, omdat gesprekken met "
        "het onderwijs nodig zijn."
    ]
    documents = {"moties/motie-hoogbegaafdheid.pdf": motion, "brieven/tussenbericht.pdf": letter}
    with engine_over(make_settings, tmp_path / "ingest", documents) as engine:
        answer = engine.ask("Wat vraagt de motie over hoogbegaafdheid van het college?").extractive
        assert answer is not None and not answer.refused and answer.direct is None
        # The request lines, from the motion: not the letter that restates it.
        assert [quote.text for quote in answer.quotes] == [
            "de actiepunten uit het actieplan te bespreken met de samenwerkingsverbanden "
            "passend onderwijs;",
            "de raad hierover te informeren.",
        ]
        assert {(quote.file, quote.page) for quote in answer.quotes} == {
            ("moties/motie-hoogbegaafdheid.pdf", 1)
        }
