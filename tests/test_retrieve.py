"""Which page of a document a search hit cites: the page holding the answer, not the
first page that restates the title and the request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raadsinzicht.embed import Embedder
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.index import bm25
from raadsinzicht.index.catalog import ChunkRecord
from raadsinzicht.index.compounds import compound_parts
from raadsinzicht.retrieve import best_page, order_within_documents

from .pdfs import long_text, write_pdf

TITLE = "Wob-besluit Principenota Havenkwartier"
QUESTION = (
    "Waarom waren er bij het Wob-verzoek over de Principenota Havenkwartier geen documenten "
    "uit 2015?"
)

# A Woo decision as they come: page 1 restates the request in the question's words, page 2
# holds the answer. Each page is long enough to be its own passage.
REQUEST_PAGE = (
    "Verzoek\n\n"
    "Op 3 april 2018 heeft u een verzoek ingediend op grond van de Wet openbaarheid van "
    "bestuur (Wob). U vraagt om openbaarmaking van alle documenten over de totstandkoming "
    "van de Principenota Havenkwartier en omgeving. Uw Wob-verzoek over de Principenota "
    "Havenkwartier is op 4 april 2018 ontvangen en geregistreerd.\n\n"
    "Wettelijk kader\n\n"
    + "Uitgangspunt van de Wob is dat er, in het belang van een goede en democratische "
    "bestuursvoering, voor degene die om informatie verzoekt een recht op openbaarmaking "
    "van informatie bestaat. De openbaarmaking ziet op gegevens die zijn vastgelegd in "
    "documenten voor zover deze documenten niet al openbaar zijn.\n\n" * 6
)
ANSWER_PAGE = (
    "Inventarisatie\n\n"
    "Op basis van uw verzoek zijn in totaal 28 documenten aangetroffen en opgenomen in een "
    "inventarisatielijst. Uit 2015 zijn geen documenten aangetroffen: het project is pas in "
    "het voorjaar van 2016 gestart, toen het college de eerste verkenning liet uitvoeren.\n\n"
    "Beslistermijn\n\n"
    + "Op 29 mei 2018 heeft u een brief ontvangen waarmee de wettelijke termijn van "
    "beantwoording met vier weken is verdaagd, vanwege het nog niet beschikbaar zijn van "
    "de gevraagde gegevens bij de betrokken afdelingen van het stadsdeel.\n\n" * 6
)
CLOSING_PAGE = (
    "Wijze van openbaarmaking\n\n"
    + "De stukken worden digitaal toegezonden en gepubliceerd op de website van de gemeente. "
    "Tegen dit besluit kunt u binnen zes weken bezwaar maken bij het college. " * 4
)


def write_corpus(inbox: Path) -> None:
    """The Woo decision among other documents, so that its title words are rare in the
    index, as in a real one."""
    write_pdf(inbox / "wob-besluit.pdf", [REQUEST_PAGE, ANSWER_PAGE, CLOSING_PAGE], title=TITLE)
    for topic in ("de begroting", "het parkeerbeleid", "de jeugdzorg", "de afvalinzameling"):
        write_pdf(inbox / f"{topic.split()[-1]}.pdf", long_text(topic))


@pytest.fixture(scope="module")
def woo_engine(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Engine]:
    """The corpus above, indexed with vectors."""
    from raadsinzicht.settings import load_settings

    root = tmp_path_factory.mktemp("woo")
    write_corpus(root / "ingest")
    engine = build_engine(
        load_settings(home=root / "home", ingest_dir=root / "ingest"), embedder=embedder
    )
    assert engine.ingest().failed == []
    yield engine
    engine.close()


@pytest.mark.slow
def test_the_answer_page_ranks_above_the_page_restating_the_request(woo_engine: Engine) -> None:
    chunks = woo_engine.catalog.document_chunks(
        next(h.doc_id for h in woo_engine.search(TITLE) if h.name == "wob-besluit.pdf")
    )
    # The request page is a passage of its own; the next one (overlapping it) holds page 2.
    assert chunks[0].pages == [1] and 2 in chunks[1].pages

    first = next(h for h in woo_engine.search(QUESTION) if h.name == "wob-besluit.pdf")
    assert first.page == 2 and first.vector_rank is not None


def _first_page(woo_engine: Engine, question: str, **retrieval: float) -> int:
    """The page of the Woo decision's first hit for ``question``, with these retrieval
    settings."""
    settings = woo_engine.settings.model_copy(
        update={"retrieval": woo_engine.settings.retrieval.model_copy(update=retrieval)}
    )
    engine = build_engine(settings, embedder=woo_engine.embedder())
    try:
        return next(h.page for h in engine.search(question) if h.name == "wob-besluit.pdf")
    finally:
        engine.close()


@pytest.mark.slow
def test_the_ordering_cites_the_answer_page_where_keywords_favour_repetition(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case the ordering exists for. With bm25s' k1 of 1.5, the request page's many
    repetitions of the question's words rank it first: the keyword baseline and plain
    fusion cite page 1, as measured; the hybrid's ordering within the document cites page
    2. (With k1 0.9 the keyword ranking itself puts page 2 first.)"""
    from raadsinzicht.settings import load_settings

    monkeypatch.setattr(bm25, "_K1", 1.5)
    write_corpus(tmp_path / "ingest")
    settings = load_settings(home=tmp_path / "home", ingest_dir=tmp_path / "ingest")
    engine = build_engine(settings, embedder=embedder)
    try:
        assert engine.ingest().failed == []
        keyword = [h.page for h in engine.search(QUESTION, mode="keyword")]
        assert keyword[0] == 1
        assert _first_page(engine, QUESTION, page_evidence=0.0) == 1
        assert _first_page(engine, QUESTION) == 2
    finally:
        engine.close()


@pytest.mark.slow
def test_an_answer_to_a_count_question_reads_the_page_that_holds_the_count(
    woo_engine: Engine,
) -> None:
    """Page 1 restates the request in more of this question's words; page 2 says "28
    documenten aangetroffen". For an answer, a passage holding a value of the asked type
    (a count of documents) goes first within its document; search, which this would cost
    time, and an answer with ``page_answer_type`` 0 keep page 1 first."""
    question = (
        "Hoeveel documenten zijn aangetroffen op het Wob-verzoek over de totstandkoming van "
        "de Principenota Havenkwartier?"
    )

    def answer_page(engine: Engine) -> int:
        hits = engine.answer_evidence(question).hits
        return next(h.page for h in hits if h.name == "wob-besluit.pdf")

    assert answer_page(woo_engine) == 2
    assert _first_page(woo_engine, question) == 1
    settings = woo_engine.settings.model_copy(
        update={
            "retrieval": woo_engine.settings.retrieval.model_copy(update={"page_answer_type": 0.0})
        }
    )
    plain = build_engine(settings, embedder=woo_engine.embedder())
    try:
        assert answer_page(plain) == 1
    finally:
        plain.close()


def _chunk(chunk_id: str, doc_id: str, spans: list[tuple[int, str]]) -> ChunkRecord:
    text = "\n\n".join(part for _, part in spans)
    ranges, offset = [], 0
    for page, part in spans:
        ranges.append((page, offset, offset + len(part)))
        offset += len(part) + 2
    return ChunkRecord(chunk_id, doc_id, 0, text, "", spans[0][0], ranges, [], 100)


def test_a_term_without_weight_chooses_no_page() -> None:
    """How the hybrid keeps title words from choosing a multi-page chunk's page."""
    chunk = _chunk(
        "c",
        "d",
        [(1, "Principenota Havenkwartier: het Wob-verzoek"), (2, "Uit 2015 geen documenten.")],
    )
    weights = {"principenota": 4.0, "havenkwartier": 4.0, "wob": 2.0, "2015": 3.0}
    assert best_page(chunk, QUESTION, weights) == 1
    without_title = {
        t: None if t in {"principenota", "havenkwartier", "wob"} else w for t, w in weights.items()
    }
    assert best_page(chunk, QUESTION, without_title) == 2


@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.sampled_from(["2015 documenten", "wob", "niets"])),
        min_size=1,
        max_size=12,
    ),
    st.floats(min_value=0, max_value=5),
)
def test_no_document_moves(passages: list[tuple[str, str]], evidence_weight: float) -> None:
    """Re-ordering a document's passages never changes which document holds which rank."""
    chunks = {
        f"c{i}": _chunk(f"c{i}", doc_id, [(i + 1, text)])
        for i, (doc_id, text) in enumerate(passages)
    }
    ordered = list(chunks)
    scores = {chunk_id: 1.0 / (i + 1) for i, chunk_id in enumerate(ordered)}
    result = list(
        order_within_documents(
            ordered,
            chunks,
            {"a": {"wob"}},
            scores,
            QUESTION,
            {"2015": 3.0, "document": 2.0, "wob": 2.0},
            evidence_weight=evidence_weight,
        )
    )
    assert sorted(result) == sorted(ordered)
    assert [chunks[c].doc_id for c in result] == [chunks[c].doc_id for c in ordered]
    if evidence_weight == 0:
        assert result == ordered


_WORDS = ["De", "raad", "parkeren", "parkeertarief", "financiële", "gevolgen", "van", "het", "é"]


@given(
    st.lists(st.sampled_from(_WORDS), max_size=40),
    st.lists(st.sets(st.sampled_from(_WORDS), max_size=4), min_size=1, max_size=3),
)
def test_term_matches_finds_every_word_of_the_asked_terms(
    words: list[str], asked: list[set[str]]
) -> None:
    import re

    from raadsinzicht.index.bm25 import stem_word, term_matches

    text = " ".join(words) + "."
    # The same text asked for other terms (a passage returns for many questions).
    for question_words in asked:
        stems = {stem_word(w) for w in question_words} - {""}
        expected = [
            (m.start(), m.end(), stem_word(m.group()))
            for m in re.finditer(r"\w+", text)
            if stem_word(m.group()) in stems
        ]
        assert term_matches(text, stems) == expected


def test_a_compound_is_split_into_parts_the_index_knows() -> None:
    known = {"vergun", "parker", "bewoner", "soort", "boom", "middel", "corona", "hulpmiddel"}
    parts = compound_parts(
        "Hoeveel kost een parkeervergunning voor bewoners, welke boomsoort, en welke "
        "coronahulpmiddelen? Was het procedureel?",
        known.__contains__,
    )
    # The longest known head after a known modifier (a verb's stem as its verb); known
    # words, short words and words that only end like a known one stay whole.
    assert parts == ["vergunning", "parkeren", "soort", "boom", "hulpmiddelen", "corona"]
    assert compound_parts("parkeervergunning", lambda term: term == "vergun") == []


def test_hybrid_search_finds_a_compound_by_its_parts(make_settings, tmp_path: Path) -> None:
    """The question's compound is in no document; its parts are in the right one. The
    keyword baseline stays plain BM25."""
    inbox = tmp_path / "ingest"
    write_pdf(
        inbox / "vergunning.pdf",
        [
            "Bewoners met een auto kunnen een vergunning aanvragen om in hun straat te parkeren. "
            "Die vergunning kost 60 euro per jaar."
        ],
    )
    write_pdf(
        inbox / "meldingen.pdf",
        [
            "Wat kost een melding? Een melding kost niets: bewoners kunnen kosteloos een "
            "melding doen van overlast en krijgen binnen een week antwoord."
        ],
    )
    for topic in ("de begroting", "de jeugdzorg", "de afvalinzameling"):
        write_pdf(inbox / f"{topic.split()[-1]}.pdf", long_text(topic))
    question = "Wat kost een parkeervergunning?"
    engine = build_engine(make_settings(ingest_dir=inbox))
    try:
        assert engine.ingest(embed=False).failed == []
        hybrid = [hit.file for hit in engine.search(question)]
        keyword = [hit.file for hit in engine.search(question, mode="keyword")]
    finally:
        engine.close()
    assert hybrid[0] == "vergunning.pdf"
    assert keyword[0] != "vergunning.pdf"


def test_an_answer_counts_a_compounds_parts_found_and_never_their_absence(
    make_settings, tmp_path: Path
) -> None:
    from raadsinzicht.grounding import coverage

    question = "Welke wijken bezoekt de bus met sportmateriaal?"
    # Parts found add to the share; missing, they take nothing away; at most all of it.
    weights = {"wijk": 1.0, "bezoekt": 1.0, "bus": 1.0, "sportmateriaal": 0.0}
    parts = {"sport": 0.5, "materiaal": 0.5}
    text = "De bus brengt materiaal voor sport naar de wijken."
    assert coverage(question, text, weights) == pytest.approx(2 / 3)
    assert coverage(question, text, weights, parts) == pytest.approx(1.0)
    assert coverage(question, "De bus rijdt door de wijken.", weights, parts) == pytest.approx(
        2 / 3
    )
    # Through the engine: the parts the index holds, weighed as the search weighs them
    # ("zaterdag": a word the index holds and the bus passage does not).
    asked = "Welke wijken bezoekt de bus met sportmateriaal op zaterdag?"
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "bus.pdf", [text + " Hij rijdt elke woensdag."])
    write_pdf(inbox / "stadhuis.pdf", ["Op zaterdag is het stadhuis gesloten."])
    engine = build_engine(make_settings(ingest_dir=inbox))
    try:
        assert engine.ingest(embed=False).failed == []
        hit = engine.search(asked)[0]
        passage = f"{hit.document.title}\n{hit.chunk.heading}\n{hit.chunk.text}"
        plain = coverage(asked, passage, engine._question_weights(asked))
        assert hit.file == "bus.pdf"
        assert engine.extractive_answerer().covers(asked, hit) > plain
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("documents", "query", "marked"),
    [
        # The Wob became the Woo in 2022: users ask "Woo-verzoek" of older decisions.
        (
            {
                "wob-besluit.pdf": "Besluit op uw Wob-verzoek\n\nIn uw e-mail van 31 augustus "
                "2021 heeft u een Wob-verzoek ingediend over wapencontroles in de binnenstad.",
                "woo-besluit.pdf": "Besluit op uw verzoek\n\nU heeft een verzoek ingediend over "
                "de inzameling van afval en de binnenstad.",
            },
            "Woo-verzoek binnenstad",
            "**Wob**-**verzoek**",
        ),
        # A decision writes "OLO-nummer 3210991" (the Omgevingsloket online); a user asks
        # for the number "in het Omgevingsloket" (dev6-b01 was refused).
        (
            {
                "monument.pdf": "Besluit op uw verzoek over de bouw van het Namenmonument "
                "(vergunningen OLO-nummer 3210991 en OLO-nummer 3220267).",
                "loket.pdf": "Het monument staat op het plein. Het nummer van een aanvraag "
                "staat in de brief van het stadsdeel.",
            },
            "nummer in het Omgevingsloket monument",
            "**OLO**-",
        ),
    ],
)
def test_words_a_reader_takes_for_the_same_are_one_keyword_term(
    make_settings, tmp_path: Path, documents: dict[str, str], query: str, marked: str
) -> None:
    """The keyword index takes both words for one term (as a quote marks it): the first
    document, which has the other word, is found before the second, which shares more of
    the query's other words."""
    inbox = tmp_path / "ingest"
    for name, text in documents.items():
        write_pdf(inbox / name, [text])
    for topic in ("de begroting", "de jeugdzorg", "de afvalinzameling"):
        write_pdf(inbox / f"{topic.split()[-1]}.pdf", long_text(topic))
    engine = build_engine(make_settings(ingest_dir=inbox))
    try:
        assert engine.ingest(embed=False).failed == []
        (hit, *_) = engine.search(query, mode="keyword")
    finally:
        engine.close()
    assert hit.file == next(iter(documents))
    assert marked in hit.snippet
