"""The councillor's questions of issue 12 on the real corpus: how was voted on the
badhuisarchitectuur amendment, what the SP said about sleutelgeld (speaker turns), and the
dossier of the sleutelgeld motion."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.facts import asks_vote
from raadsinzicht.settings import load_settings

from .fake_ollama import FakeOllama

pytestmark = pytest.mark.corpus

FILES = (
    "moties/denhaag_2025_motie_sp_sleutelgeld.pdf",
    "moties/denhaag_2025_afdoening_motie-sleutelgeld.pdf",
    "besluiten/denhaag_2025-03-13_besluitenlijst-raad.pdf",
    "notulen/denhaag_2025-03-13_notulen-raad.pdf",
    "moties/denhaag_2025_amendement_vvd_badhuisarchitectuur_met-stemuitslag.pdf",
    "besluiten/denhaag_2025-01-23_besluitenlijst-raad.pdf",
)


@pytest.fixture(scope="module")
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=("gemma3:4b",)) as server:
        yield server


@pytest.fixture(scope="module")
def engine(
    corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory, ollama: FakeOllama
) -> Iterator[Engine]:
    home = tmp_path_factory.mktemp("council-corpus")
    settings = load_settings(
        home=home / "home",
        ingest_dir=home / "inbox",
        llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": "gemma3:4b"},
    )
    engine = build_engine(settings)
    report = engine.ingest([corpus_dir / f for f in FILES], embed=False)
    assert report.failed == [] and report.added == len(FILES)
    yield engine
    engine.close()


def test_vote_on_the_badhuisarchitectuur_amendment(engine: Engine) -> None:
    fact = engine.vote_facts("Hoe is er gestemd over het amendement over badhuisarchitectuur?")[0]
    assert (fact.kind, fact.code, fact.ris_number) == ("amendement", "L.A", "321236")
    assert fact.result == "aangenomen" and fact.meeting_date == date(2025, 1, 23)
    assert fact.title.startswith("Badhuisarchitectuur als drager") and "Indiener" not in fact.title
    assert fact.submitters == ["Rutger de Ridder"] and fact.parties[0] == "VVD"
    where = {(e.file, e.page) for e in fact.evidence}
    assert ("denhaag_2025-01-23_besluitenlijst-raad.pdf", 3) in where  # "Aangenomen" in the list
    assert ("denhaag_2025_amendement_vvd_badhuisarchitectuur_met-stemuitslag.pdf", 1) in where
    # The corpus holds no minutes of 23 January 2025: no tally is invented.
    assert (
        fact.tally is None and "aangenomen in de vergadering van 23 januari 2025" in fact.summary()
    )


def test_vote_on_the_sleutelgeld_motion_has_its_tally_and_page(engine: Engine) -> None:
    fact = engine.vote_facts("Hoe stemde de raad over de motie tegen sleutelgeld?")[0]
    assert (fact.code, fact.result, fact.votes_for, fact.votes_against) == (
        "Y.3",
        "aangenomen",
        42,
        2,
    )
    first = fact.evidence[0]
    assert (first.file, first.page) == ("denhaag_2025-03-13_notulen-raad.pdf", 153)
    assert "42 tegen 2 stemmen" in first.text
    assert fact.ris_number == "321674"  # from the besluitenlijst

    # A compound and a date, as people type them: the subject is "sleutelgeld"; the
    # month and year are no subject words (a year in a title matched every motion then).
    (typed, *_) = engine.vote_facts("Stemuitslag sleutelgeldmotie SP maart 2025?")
    assert (typed.code, typed.votes_for, typed.votes_against) == ("Y.3", 42, 2)
    # A motion the records do not hold, named next to a word every Haagse title has: no
    # record's tally is given for it.
    assert (
        engine.vote_facts(
            "Met welke stemverhouding stelde de Haagse raad de Voorjaarsnota 2026 vast?"
        )
        == []
    )


def test_a_motion_named_by_its_party_is_that_partys_motion(engine: Engine) -> None:
    asked = "Wat was de uitkomst van de stemming over de {}-motie over honden op het strand?"
    assert asks_vote(asked.format("VVD"))
    assert [f.code for f in engine.vote_facts(asked.format("VVD"))][:1] == ["L.C"]
    # GroenLinks's motion on dogs at the beach is L.2 "(ont)Zie de Haagse strandbroeders"
    # (loose dogs kept from the birds' nests), found by the first part of its compound;
    # VVD's is never the answer.
    codes = [f.code for f in engine.vote_facts(asked.format("GroenLinks"))]
    assert codes[:1] == ["L.2"] and "L.C" not in codes


def test_search_for_a_vote_shows_the_page_that_records_it_first(engine: Engine) -> None:
    question = "Met welke stemverhouding werd de SP-motie tegen sleutelgeld aangenomen?"
    first = engine.search(question)[0]
    assert (first.name, first.page) == ("denhaag_2025-03-13_notulen-raad.pdf", 153)
    assert "42 tegen 2" in first.chunk.text
    # Not a question about the vote: ranked by its words as always.
    other = engine.search("Wat is sleutelgeld?")[0]
    assert (other.name, other.page) != ("denhaag_2025-03-13_notulen-raad.pdf", 153)


def test_page_chunks_are_the_chunks_with_text_on_that_page(engine: Engine) -> None:
    """``page_chunks`` reads a few rows where ``document_chunks`` reads the whole
    document; they agree on every page of every document here (155-page minutes too)."""
    checked = 0
    for document in engine.documents():
        chunks = engine.catalog.document_chunks(document.doc_id)
        for page in sorted({p for c in chunks for p in c.pages}):
            expected = [c.chunk_id for c in chunks if page in c.pages]
            found = engine.catalog.page_chunks(document.doc_id, page)
            assert [c.chunk_id for c in found] == expected, (document.file, page)
            checked += 1
    assert checked > 170
    assert engine.catalog.page_chunks("no-such-document", 1) == []


def test_minutes_chunks_have_normal_sizes(engine: Engine) -> None:
    (minutes,) = [d for d in engine.documents() if d.kind == "notulen"]
    chunks = engine.catalog.document_chunks(minutes.doc_id)
    sizes = sorted(c.tokens for c in chunks)
    # Chunked per turn (pipeline 2-3) the median was about 100 tokens, hundreds under 60.
    assert sizes[len(sizes) // 2] >= 250 and sum(s < 60 for s in sizes) <= 5, sizes[:20]
    # About 950 turns, in 414 chunks: most chunks hold several, and every turn is known.
    assert sum(len(c.turns) > 1 for c in chunks) > len(chunks) / 2
    assert sum(len(c.turns) for c in chunks) >= 900


def test_what_the_sp_said_about_sleutelgeld(engine: Engine) -> None:
    question = "Wat zei de SP over sleutelgeld?"
    filters = engine.question_filters(question, None)
    assert filters.parties == ("SP",) and filters.spoken
    hits = engine.search(question, filters=filters, top_k=5)
    assert hits and all(h.turn and h.turn.party == "SP" for h in hits)
    assert (hits[0].file, hits[0].page, hits[0].to_dict()["speaker"]) == (
        "denhaag_2025-03-13_notulen-raad.pdf",
        124,
        "Lesley Arp",
    )
    # Those chunks hold other speakers' turns too; the answer quotes only the SP's.
    assert any(len({t.speaker for t in h.chunk.turns}) > 1 for h in hits)
    answer = engine.ask(question)
    assert answer.citations and answer.extractive and answer.extractive.quotes
    assert all(c.file == "denhaag_2025-03-13_notulen-raad.pdf" for c in answer.citations)
    chunks = engine.catalog.chunks([q.chunk_id for q in answer.extractive.quotes])
    for quote in answer.extractive.quotes:
        turn = chunks[quote.chunk_id].turn_at(quote.offset)
        assert turn and turn.party == "SP", quote.text
    cited = {c.page for c in answer.citations}
    spoken_pages = {h.page for h in engine.search(question, filters=filters, top_k=20)}
    assert cited <= spoken_pages


def test_dossier_of_the_sleutelgeld_motion(engine: Engine) -> None:
    dossier = engine.dossier("denhaag_2025_motie_sp_sleutelgeld.pdf")
    entries = [(e.file, e.date) for e in dossier.entries]
    files = [f for f, _ in entries]
    motie = files.index("denhaag_2025_motie_sp_sleutelgeld.pdf")
    afdoening = files.index("denhaag_2025_afdoening_motie-sleutelgeld.pdf")
    assert motie < afdoening  # the motion, then its afdoening letter
    assert set(files) == {
        "denhaag_2025_motie_sp_sleutelgeld.pdf",
        "denhaag_2025-03-13_besluitenlijst-raad.pdf",
        "denhaag_2025-03-13_notulen-raad.pdf",
        "denhaag_2025_afdoening_motie-sleutelgeld.pdf",
    }
    dates = [d for _, d in entries]
    assert dates == sorted(dates) and dates[-1] == date(2025, 5, 27)
    letter = dossier.entries[afdoening]
    assert any(link.type == "verwijzing" and "321674" in link.value for link in letter.links)
    assert dossier.entries[motie].outcome == "aangenomen"


def test_ask_answers_vote_questions_from_the_records(engine: Engine) -> None:
    badhuis = engine.ask("Hoe is er gestemd over het amendement over badhuisarchitectuur?")
    assert badhuis.extractive is not None and badhuis.extractive.direct is not None
    direct = badhuis.extractive.direct
    assert (direct.origin, direct.text) == ("stemming", "aangenomen")
    quote = badhuis.extractive.quotes[0]
    assert (quote.file, quote.page) in {
        ("denhaag_2025-01-23_besluitenlijst-raad.pdf", 3),
        ("denhaag_2025_amendement_vvd_badhuisarchitectuur_met-stemuitslag.pdf", 1),
    }
    sleutelgeld = engine.ask("Met welke stemverhouding werd de motie tegen sleutelgeld aangenomen?")
    assert sleutelgeld.extractive is not None and sleutelgeld.extractive.direct is not None
    assert sleutelgeld.extractive.direct.text == "aangenomen met 42 tegen 2 stemmen"
    quote = sleutelgeld.extractive.quotes[0]
    assert (quote.file, quote.page) == ("denhaag_2025-03-13_notulen-raad.pdf", 153)
    assert "42 tegen 2 stemmen" in quote.text


def test_a_list_question_names_each_motion_with_its_recorded_vote(engine: Engine) -> None:
    listed = engine.ask("Welke moties over sleutelgeld zijn aangenomen?").extractive
    assert listed is not None and not listed.refused
    assert [item.text for item in listed.listing] == [
        "Motie Y.3 (SP) ‘Ga de strijd aan tegen sleutelgeld’: aangenomen met 42 tegen 2 "
        "stemmen, 13 maart 2025"
    ]
    quote = listed.quotes[0]
    assert (quote.n, quote.file, quote.page) == (
        listed.listing[0].n,
        "denhaag_2025-03-13_notulen-raad.pdf",
        153,
    )
    # Den Haag's council voted on it: naming the place keeps it.
    in_den_haag = engine.ask("Welke moties over sleutelgeld zijn in Den Haag aangenomen?")
    assert in_den_haag.extractive is not None
    assert in_den_haag.extractive.listing[0].text == listed.listing[0].text


def test_who_submitted_a_motion_is_answered_from_the_records(engine: Engine) -> None:
    sleutelgeld = engine.ask("Wie heeft de motie over sleutelgeld ingediend?").extractive
    assert sleutelgeld is not None and sleutelgeld.direct is not None
    assert (sleutelgeld.direct.text, sleutelgeld.direct.origin) == ("Lesley Arp (SP)", "metadata")
    quote = sleutelgeld.quotes[0]
    assert (quote.file, quote.page, quote.text) == (
        "denhaag_2025_motie_sp_sleutelgeld.pdf",
        1,
        "Indiener: Lesley Arp, SP",
    )
    badhuis = engine.ask("Welke partij diende het amendement over badhuisarchitectuur in?")
    assert badhuis.extractive is not None and badhuis.extractive.direct is not None
    assert badhuis.extractive.direct.text.startswith("VVD, mede ingediend door ")


def test_motions_are_found_by_the_agenda_item_they_were_submitted_at(engine: Engine) -> None:
    # Den Haag's decision list of 23 January 2025: "S | Beantwoording schriftelijke vragen
    # Ratten grijpen de macht in Mariahoeve (RIS318022)", then "Motie S.1 HSP Rattenvanger
    # van Den Haag | Aangenomen". The title alone does not say what the motion is about.
    rats = engine.vote_facts(kinds=("motie",), subject="ratten in Mariahoeve", limit=10)
    assert [(f.code, f.title, f.by_agenda_subject) for f in rats] == [
        ("S.1", "Rattenvanger van Den Haag", True)
    ]
    assert rats[0].agenda_subject == (
        "Beantwoording schriftelijke vragen Ratten grijpen de macht in Mariahoeve"
    )
    listed = engine.ask("Welke moties over duurzame mobiliteit werden verworpen?").extractive
    assert listed is not None and not listed.refused
    assert [item.text for item in listed.listing] == [
        f"Motie {code} ({party}) ‘{title}’ (bij agendapunt ‘Werkagenda duurzame mobiliteit’): "
        "verworpen, 23 januari 2025"
        for code, party, title in (
            ("T.1", "VVD", "Pilot kabelgoottegels"),
            ("T.2", "Partij voor de Dieren", "Duurzaam, duurzamer, duurzaamst"),
        )
    ]
    assert {(q.file, q.page) for q in listed.quotes} == {
        ("denhaag_2025-01-23_besluitenlijst-raad.pdf", 5)
    }
    # A motion asked about by the words of its title is still named by its title alone.
    badhuis = engine.vote_facts("Hoe is er gestemd over het amendement over badhuisarchitectuur?")
    assert badhuis[0].code == "L.A" and not badhuis[0].by_agenda_subject


def test_a_quoted_decision_list_row_reads_as_its_cells(engine: Engine) -> None:
    from raadsinzicht.web.format import extractive_markdown

    answer = engine.ask("Hoe is er gestemd over de motie R.1 over hoogbegaafdheid?").extractive
    assert answer is not None and answer.direct is not None
    assert answer.direct.text == "aangenomen"
    quote = answer.quotes[0]
    assert (quote.file, quote.page) == ("denhaag_2025-01-23_besluitenlijst-raad.pdf", 5)
    # The quote keeps the stored text (its offsets and boxes are the row's) ...
    assert quote.text.startswith("|321255|Motie R.1 D66")
    # ... and shows as the row's cells, in the CLI and on the web.
    row = "321255 · Motie R.1 D66 Veranker hoogbegaafdheid in Haags onderwijsbeleid · Aangenomen"
    assert f"“{row}” [{quote.n}]" in answer.render()
    assert f"“{row}”" in extractive_markdown(answer)
