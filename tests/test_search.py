"""Search over the real corpus (keyword part), the CLI's JSON contract, and queries of any
length."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from raadsinzicht.embed import Embedder
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.retrieve import SearchFilters, make_snippet

from .pdfs import motie_text, write_pdf

SLEUTELGELD = "moties/denhaag_2025_motie_sp_sleutelgeld.pdf"


@pytest.fixture(scope="module")
def moties_engine(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The corpus's moties folder, keyword-indexed only (vectors are tested elsewhere)."""
    from raadsinzicht.settings import load_settings

    home = tmp_path_factory.mktemp("moties-home")
    engine = build_engine(load_settings(home=home, ingest_dir=corpus_dir))
    report = engine.ingest([corpus_dir / "moties"], embed=False)
    assert report.failed == [] and report.pending_embeddings == report.chunks
    return engine


@pytest.mark.corpus
def test_keyword_search_works_before_embeddings(moties_engine: Engine) -> None:
    hits = moties_engine.search("sleutelgeld studenten")
    assert hits[0].file == SLEUTELGELD
    assert hits[0].vector_rank is None and hits[0].keyword_rank == 1
    assert "**sleutelgeld**" in hits[0].snippet.lower()


@pytest.mark.corpus
def test_kind_and_date_filters(moties_engine: Engine) -> None:
    filters = SearchFilters(kinds=("motie",), since=date(2025, 1, 1))
    hits = moties_engine.search("motie", top_k=50, filters=filters)
    assert hits
    for hit in hits:
        assert hit.document.kind == "motie"
        assert hit.document.date is not None and hit.document.date >= date(2025, 1, 1)
    # The 2021 Tweede Kamer motion exists but is filtered out by date.
    unfiltered = moties_engine.search("motie", top_k=50, filters=SearchFilters(kinds=("motie",)))
    assert any(h.document.date and h.document.date.year < 2025 for h in unfiltered)

    until = moties_engine.search("motie", top_k=50, filters=SearchFilters(until=date(2024, 12, 31)))
    assert all(h.document.date and h.document.date <= date(2024, 12, 31) for h in until)


@pytest.mark.corpus
def test_collection_filter(moties_engine: Engine) -> None:
    assert moties_engine.search("sleutelgeld", filters=SearchFilters(collections=("moties",)))
    assert moties_engine.search("sleutelgeld", filters=SearchFilters(collections=("woo",))) == []


def test_snippet_marks_stemmed_terms() -> None:
    text = "De gemeenteraad besprak de parkeertarieven. Parkeren wordt duurder voor bewoners."
    snippet = make_snippet(text, "parkeer bewoner")
    assert "**bewoners**" in snippet


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "raadsinzicht.cli", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_passage_with_both_asked_words_outranks_one_repeating_one(tmp_path: Path) -> None:
    """Term frequency saturates: ten times "hondenbelasting" does not beat "hondenbelasting"
    and "afschaffen" once each (k1 0.9; with bm25s' 1.5 the repetition ranked first)."""
    from raadsinzicht.settings import load_settings

    filler = " ".join(f"woord{n}" for n in range(25))
    inbox = tmp_path / "ingest"
    texts = {
        "herhaling": " ".join(["hondenbelasting"] * 10),
        "beide": "hondenbelasting afschaffen",
        "ander": "afschaffen",
    }
    for name, text in texts.items():
        write_pdf(inbox / f"{name}.pdf", [f"{text} {filler}"], title="Notitie")
    engine = build_engine(load_settings(home=tmp_path / "home", ingest_dir=inbox))
    engine.ingest(embed=False)
    hits = engine.search("hondenbelasting afschaffen", mode="keyword")
    assert [hit.file for hit in hits] == ["beide.pdf", "herhaling.pdf", "ander.pdf"]
    engine.close()


@pytest.mark.corpus
def test_query_terms_match_the_index_tokenizer(moties_engine: Engine) -> None:
    """Snippets, grounding and queries stem with our fast tokenizer; the index is built by
    bm25s.tokenize. On every chunk of the real motions both give the same terms."""
    import bm25s

    from raadsinzicht.index import bm25 as keyword

    texts = [text for _, _, text, _ in moties_engine.catalog.all_chunks()]
    assert len(texts) > 20
    expected = bm25s.tokenize(
        texts,
        stopwords=keyword._STOPWORDS,
        stemmer=keyword._stemmer(),
        return_ids=False,
        show_progress=False,
    )
    assert [keyword.tokenize_query(text) for text in texts] == expected
    assert keyword.stem_word("Studenten") == keyword.stem_word("student") != ""
    assert keyword.stem_word("welke") == keyword.stem_word("a") == ""


@pytest.mark.corpus
def test_cli_json_contract(corpus_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    files = [
        str(corpus_dir / SLEUTELGELD),
        str(corpus_dir / "moties/denhaag_2025_motie_d66_hoogbegaafdheid.pdf"),
    ]
    ingest = _cli("ingest", *files, "--no-embed", "--json", home=home)
    assert ingest.returncode == 0, ingest.stderr
    report = json.loads(ingest.stdout)
    for key in (
        "added",
        "updated",
        "unchanged",
        "removed",
        "failed",
        "documents",
        "pages",
        "ocr_pages",
        "chunks",
        "seconds",
    ):
        assert key in report
    assert report["added"] == 2 and report["failed"] == []

    search = _cli("search", "sleutelgeld", "--json", "--top", "3", home=home)
    assert search.returncode == 0, search.stderr
    hits = json.loads(search.stdout)
    assert {"file", "name", "page", "score", "kind", "date", "title", "snippet"} <= set(hits[0])
    assert hits[0]["name"] == Path(SLEUTELGELD).name

    listing = json.loads(_cli("documents", "--json", home=home).stdout)
    assert len(listing) == 2 and all(d["pages"] >= 1 and d["chunks"] >= 1 for d in listing)

    bad = _cli("search", "x", "--kind", "onzin", home=home)
    assert bad.returncode == 2 and "onbekende soort" in bad.stderr

    missing = _cli("ingest", str(tmp_path / "bestaat-niet.pdf"), "--json", home=home)
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["failed"][0]["error"] == "bestand of map bestaat niet"

    removed = _cli("remove", Path(SLEUTELGELD).name, home=home)
    assert removed.returncode == 0 and "denhaag_2025_motie_sp_sleutelgeld.pdf" in removed.stdout
    assert len(json.loads(_cli("documents", "--json", home=home).stdout)) == 1


@pytest.mark.corpus
@pytest.mark.slow
def test_whole_corpus_ingests_and_answers_the_issue_queries(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """All 104 corpus PDFs (15 scans, OCR'd) ingest without a failure; keyword search alone
    ranks the sleutelgeld motion first and the motion filter keeps only 2025 motions."""
    from raadsinzicht.settings import load_settings

    engine = build_engine(load_settings(home=tmp_path / "home", ingest_dir=corpus_dir))
    report = engine.ingest([corpus_dir], embed=False)
    assert report.failed == []
    assert report.documents == len(list(corpus_dir.rglob("*.pdf")))
    assert report.ocr_pages > 0 and report.skipped_pages == 0

    assert engine.search("sleutelgeld studenten")[0].file == SLEUTELGELD
    hits = engine.search(
        "motie", top_k=50, filters=SearchFilters(kinds=("motie",), since=date(2025, 1, 1))
    )
    assert hits and all(
        h.document.kind == "motie" and h.document.date and h.document.date.year == 2025
        for h in hits
    )
    again = engine.ingest([corpus_dir], embed=False)
    assert again.unchanged == report.documents and again.added == again.updated == 0


class _GuardedEmbedder:
    """The real embedder, refusing a query longer than e5's 512 tokens (it would embed it,
    in minutes: 100,000 characters took 91 s in the web app)."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.name, self.dimension = inner.name, inner.dimension
        self.queries: list[str] = []

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        self.queries.append(text)
        tokens = self._inner.token_count(text[:20_000])
        assert tokens <= 512, f"query of {len(text)} characters reached the embedder"
        return self._inner.embed_query(text)

    def token_count(self, text: str) -> int:
        return self._inner.token_count(text)


@pytest.mark.parametrize("length", [20_000, 100_000, 1_000_000])
def test_a_query_of_any_length_is_shortened_with_a_note(
    make_settings, tmp_path: Path, embedder: Embedder, length: int
) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "sleutelgeld.pdf", [motie_text("het sleutelgeld voor studenten", "SP")])
    guarded = _GuardedEmbedder(embedder)
    engine = build_engine(make_settings(ingest_dir=inbox), embedder=guarded)
    engine.ingest()
    words = "Welke motie gaat over het sleutelgeld voor studenten in de stad? "
    query = (words * (length // len(words) + 1))[:length]

    hits = engine.search(query)
    assert hits and hits[0].file == "sleutelgeld.pdf" and hits[0].vector_rank is not None
    assert len(hits.notes) == 1 and "ingekort" in hits.notes[0]
    assert len(guarded.queries[-1]) < 4000
    assert engine.search(words).notes == []
    engine.close()


def test_vectors_are_asked_exactly_when_some_chunk_has_one(
    make_settings, tmp_path: Path, embedder: Embedder
) -> None:
    """Hybrid search embeds the query only when a chunk has a vector; the chunk total it
    compares with is counted once per catalog generation, so it follows every write."""
    from raadsinzicht.index.vector import VECTORS_STALE

    inbox = tmp_path / "ingest"
    write_pdf(inbox / "honden.pdf", [motie_text("de hondenbelasting afschaffen", "SP")])
    counting = _GuardedEmbedder(embedder)
    engine = build_engine(make_settings(ingest_dir=inbox), embedder=counting)
    engine.ingest(embed=False)
    assert engine.search("hondenbelasting")[0].vector_rank is None
    assert counting.queries == []  # nothing to compare with: the model is not even asked

    engine.embed_pending()
    assert engine.search("hondenbelasting")[0].vector_rank == 1
    # A new document without its vector (a new generation): the first one's still counts.
    write_pdf(inbox / "parkeren.pdf", [motie_text("parkeervergunningen in de binnenstad", "VVD")])
    engine.ingest([inbox / "parkeren.pdf"], embed=False)
    hits = engine.search("parkeervergunningen hondenbelasting")
    assert {h.file for h in hits} == {"parkeren.pdf", "honden.pdf"}
    assert [h.vector_rank for h in hits if h.file == "honden.pdf"] == [1]
    # A re-index marks every chunk pending: keyword results only, no query embedded.
    engine.catalog.reset_embeddings(pending_key=VECTORS_STALE)
    asked = len(counting.queries)
    assert all(h.vector_rank is None for h in engine.search("hondenbelasting"))
    assert len(counting.queries) == asked
    engine.close()
