"""Ingestion into the catalog, BM25 and Chroma: incremental, idempotent, robust."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from raadsinzicht.cli import app
from raadsinzicht.engine import build_engine
from raadsinzicht.errors import InputError
from raadsinzicht.parse import parse_pdf
from raadsinzicht.settings import Settings

from .pdfs import long_text, motie_text, write_pdf

SLEUTELGELD = "moties/denhaag_2025_motie_sp_sleutelgeld.pdf"
SMALL_CORPUS = [
    SLEUTELGELD,
    "moties/denhaag_2025_motie_d66_hoogbegaafdheid.pdf",
    "raadsvoorstellen/denhaag_2025_rv_gr-veiligheidsregio.pdf",
    "raadsvoorstellen/denhaag_2025_rv_presidium_raadsrapporteurs.pdf",
]


@pytest.mark.corpus
def test_corpus_subset_is_searchable_with_provenance(
    make_settings, corpus_dir: Path, embedder
) -> None:
    settings: Settings = make_settings(ingest_dir=corpus_dir)
    engine = build_engine(settings, embedder=embedder)
    report = engine.ingest([corpus_dir / name for name in SMALL_CORPUS])

    assert report.failed == []
    assert report.added == len(SMALL_CORPUS)
    assert report.pending_embeddings == 0 and report.embedded == report.chunks > 0
    assert engine.vector_store().count() == report.chunks

    hits = engine.search("sleutelgeld studenten")
    assert hits[0].file == SLEUTELGELD
    assert hits[0].keyword_rank is not None and hits[0].vector_rank is not None

    # Every chunk points at real text on real pages of its own file.
    for document in engine.documents():
        assert document.file in SMALL_CORPUS
        parsed = parse_pdf(corpus_dir / document.file)
        for chunk in engine.catalog.document_chunks(document.doc_id):
            for page, start, end in chunk.spans:
                page_text = parsed.pages[page - 1].text
                assert 0 <= start < end <= len(page_text)
                assert page_text[start:end].strip()[:40] in chunk.text
            assert chunk.boxes and all(b[0] in {s[0] for s in chunk.spans} for b in chunk.boxes)
    engine.close()


def test_unchanged_reingest_changes_nothing_and_loads_no_model(
    make_settings, tmp_path: Path, embedder
) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "moties" / "a.pdf", [motie_text("fietsparkeren", "GroenLinks")])
    write_pdf(inbox / "b.pdf", long_text("afvalinzameling"))
    settings = make_settings(ingest_dir=inbox)
    first = build_engine(settings, embedder=embedder).ingest()
    assert (first.added, first.failed) == (2, [])
    generation = build_engine(settings).catalog.generation

    engine = build_engine(settings)  # no embedder given: it must not be needed
    second = engine.ingest()
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 0, 2, 0)
    assert second.chunks == first.chunks and second.embedded == 0
    assert engine.catalog.generation == generation
    assert engine._embedder is None  # re-ingest never loaded the embedding model
    collections = {d.file: d.collections for d in engine.documents()}
    assert collections == {"moties/a.pdf": ["moties"], "b.pdf": ["algemeen"]}


def test_changed_file_replaces_its_chunks_everywhere(
    make_settings, tmp_path: Path, embedder
) -> None:
    inbox = tmp_path / "ingest"
    path = write_pdf(inbox / "notitie.pdf", ["De kosten van de kademuren bedragen 12 miljoen."])
    settings = make_settings(ingest_dir=inbox)
    engine = build_engine(settings, embedder=embedder)
    engine.ingest()
    write_pdf(path, ["Het speeltuinbeleid wordt herzien door de wethouder."])
    report = engine.ingest()

    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    assert report.documents == 1
    assert engine.search("kademuren", mode="keyword") == []
    assert all("kademuren" not in hit.chunk.text for hit in engine.search("kademuren"))
    assert engine.search("speeltuinbeleid")[0].file == "notitie.pdf"
    assert engine.vector_store().count() == engine.catalog.count_chunks()


def test_identical_content_is_stored_once_under_both_names(
    make_settings, tmp_path: Path, embedder
) -> None:
    inbox = tmp_path / "ingest"
    original = write_pdf(inbox / "raad" / "origineel.pdf", [motie_text("hondenbelasting", "VVD")])
    shutil.copy(original, inbox / "kopie.pdf")
    engine = build_engine(make_settings(ingest_dir=inbox), embedder=embedder)
    report = engine.ingest()

    assert report.added == 2 and report.documents == 1
    (document,) = engine.documents()
    assert sorted(document.files) == ["kopie.pdf", "raad/origineel.pdf"]
    # By id (what a search reads for its hits): the same names and collections.
    assert engine.document(document.doc_id) == document
    assert engine.search("hondenbelasting")[0].document == document
    assert engine.catalog.count_chunks() == document.chunks

    # Removing one name keeps the document under the other.
    assert [removal.file for removal in engine.remove("kopie.pdf")] == ["kopie.pdf"]
    assert engine.documents()[0].files == ["raad/origineel.pdf"]
    assert engine.search("hondenbelasting")


def test_remove_deletes_from_keyword_and_vector_index(
    make_settings, tmp_path: Path, embedder
) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "moties" / "parkeren.pdf", [motie_text("parkeervergunningen", "CDA")])
    write_pdf(inbox / "moties" / "bomen.pdf", [motie_text("bomenkap", "PvdD")])
    engine = build_engine(make_settings(ingest_dir=inbox), embedder=embedder)
    engine.ingest()
    before = engine.vector_store().count()

    assert [r.file for r in engine.remove("moties/parkeren.pdf")] == ["moties/parkeren.pdf"]
    assert [d.file for d in engine.documents()] == ["moties/bomen.pdf"]
    assert all(hit.file != "moties/parkeren.pdf" for hit in engine.search("parkeervergunningen"))
    assert engine.search("parkeervergunningen", mode="keyword") == []
    assert engine.vector_store().count() == before - 1 == engine.catalog.count_chunks()
    with pytest.raises(InputError, match="staat niet in de index"):
        engine.remove("moties/parkeren.pdf")


def test_deleted_file_is_removed_on_next_folder_ingest(make_settings, tmp_path: Path) -> None:
    inbox = tmp_path / "ingest"
    gone = write_pdf(inbox / "weg.pdf", [motie_text("zwerfafval", "SP")])
    write_pdf(inbox / "blijft.pdf", [motie_text("straatverlichting", "VVD")])
    engine = build_engine(make_settings(ingest_dir=inbox))
    engine.ingest(embed=False)
    gone.unlink()
    report = engine.ingest(embed=False)
    assert (report.removed, report.unchanged, report.documents) == (1, 1, 1)
    assert engine.search("zwerfafval") == []


def _bad_files(folder: Path, good: Path) -> dict[str, str]:
    """Each malformed input next to the reason the report must give."""
    (folder / "leeg.pdf").write_bytes(b"")
    (folder / "tekst.pdf").write_text("Dit is geen PDF maar platte tekst.\n" * 20)
    data = good.read_bytes()
    (folder / "afgekapt.pdf").write_bytes(data[: len(data) // 2])
    doc = pymupdf.open(good)
    doc.save(
        folder / "beveiligd.pdf",
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="geheim",
        owner_pw="geheim",
    )
    doc.close()
    (folder / "nul-paginas.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return {
        "leeg.pdf": "leeg",
        "tekst.pdf": "geen pdf",
        "afgekapt.pdf": "beschadigd",
        "beveiligd.pdf": "wachtwoord",
        "nul-paginas.pdf": "geen pagina",
    }


def test_bad_files_are_reported_and_nothing_stored_is_lost(
    make_settings, tmp_path: Path, embedder
) -> None:
    inbox = tmp_path / "ingest"
    good = write_pdf(inbox / "goed.pdf", [motie_text("woningsplitsing", "D66")])
    engine = build_engine(make_settings(ingest_dir=inbox), embedder=embedder)
    assert engine.ingest().failed == []
    expected = _bad_files(inbox, good)
    # A stored file overwritten with garbage must keep its indexed version.
    good.write_bytes(good.read_bytes()[:300])

    report = engine.ingest()
    reasons = {failure.file: failure.error for failure in report.failed}
    assert set(reasons) == {*expected, "goed.pdf"}
    for name, fragment in expected.items():
        assert fragment in reasons[name].lower(), (name, reasons[name])
        assert "\n" not in reasons[name]
    assert report.documents == 1
    assert engine.search("woningsplitsing")[0].file == "goed.pdf"


def test_documents_from_an_older_pipeline_are_parsed_again(
    make_settings, tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "a.pdf", [motie_text("bomen in de binnenstad", "PvdD")])
    write_pdf(inbox / "b.pdf", [motie_text("fietspaden langs de kust", "D66")])
    engine = build_engine(make_settings(ingest_dir=inbox), embedder=embedder)
    first = engine.ingest()

    monkeypatch.setattr("raadsinzicht.settings.PIPELINE_VERSION", 10_000)
    report = engine.ingest()
    assert (report.updated, report.unchanged, report.documents) == (2, 0, 2)
    assert report.chunks == first.chunks == engine.catalog.count_chunks()
    assert engine.vector_store().count() == report.chunks
    assert engine.catalog.tombstones() == []
    assert engine.ingest().unchanged == 2


def test_reparsed_documents_reuse_their_vectors(
    make_settings, tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new pipeline version re-parses everything; unchanged passages are not embedded
    again (the vector cache), and search still finds them by meaning."""
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "a.pdf", [motie_text("bomen in de binnenstad", "PvdD")])
    engine = build_engine(make_settings(ingest_dir=inbox), embedder=embedder)
    first = engine.ingest()
    assert first.embedded == first.chunks > 0

    calls: list[int] = []
    original = type(embedder).embed_passages

    def counting(self, texts):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return original(self, texts)

    monkeypatch.setattr(type(embedder), "embed_passages", counting)
    monkeypatch.setattr("raadsinzicht.settings.PIPELINE_VERSION", 10_000)
    report = engine.ingest()
    assert report.updated == 1 and report.embedded == first.chunks
    assert calls == []  # every vector came from the cache
    assert engine.search("groen in het centrum", mode="vector")[0].file == "a.pdf"


def test_a_name_that_is_not_utf8_fails_alone_and_the_batch_goes_on(
    make_settings, tmp_path: Path
) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "goed.pdf", [motie_text("de woningsplitsing", "D66")])
    terras = write_pdf(inbox / "terras.pdf", [motie_text("het terras", "VVD")])
    # A Latin-1 name, as from an old Windows share: not valid UTF-8.
    os.rename(os.fsencode(terras), os.fsencode(inbox) + b"/caf\xe9.pdf")
    write_pdf(inbox / "zomer.pdf", [motie_text("het zomerfestival", "GL")])
    engine = build_engine(make_settings(ingest_dir=inbox))
    report = engine.ingest(embed=False)  # before the fix: UnicodeEncodeError, nothing indexed
    assert report.documents == 2
    assert [f.file for f in report.failed] == ["caf\\xe9.pdf"]
    assert "geen geldige UTF-8" in report.failed[0].error
    assert engine.search("zomerfestival", mode="keyword")[0].file == "zomer.pdf"


def test_a_name_with_a_newline_is_indexed_and_reported_on_one_line(
    make_settings, tmp_path: Path
) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "motie\nnieuw.pdf", [motie_text("de wijkagent", "CDA")])
    (inbox / "leeg\nbestand.pdf").write_bytes(b"")
    engine = build_engine(make_settings(ingest_dir=inbox))
    report = engine.ingest(embed=False)
    assert report.documents == 1
    assert engine.search("wijkagent", mode="keyword")[0].file == "motie\nnieuw.pdf"
    assert [f.file for f in report.failed] == ["leeg\\nbestand.pdf"]
    result = CliRunner().invoke(
        app, ["ingest", "--no-embed"], env={"RAADSINZICHT_HOME": str(engine.home),
                                            "RAADSINZICHT_INGEST_DIR": str(inbox)},
    )  # fmt: skip
    failures = [line for line in result.output.splitlines() if "leeg" in line]
    assert len(failures) == 1 and "bestand.pdf" in failures[0], result.output


@pytest.mark.parametrize("by", ["path", "document"])
def test_remove_takes_an_inbox_file_to_the_trash_so_the_next_ingest_keeps_it_out(
    make_settings, tmp_path: Path, by: str
) -> None:
    """The CLI removes by path, the web app by document: both end the same."""
    inbox = tmp_path / "ingest"
    kept = write_pdf(inbox / "blijft.pdf", [motie_text("de straatverlichting", "VVD")])
    write_pdf(inbox / "moties" / "weg.pdf", [motie_text("het zwerfafval", "SP")])
    outside = write_pdf(tmp_path / "elders" / "extern.pdf", [motie_text("de haven", "CDA")])
    engine = build_engine(make_settings(ingest_dir=inbox))
    engine.ingest([inbox, outside], embed=False)
    documents = {d.file: d.doc_id for d in engine.documents()}

    if by == "path":
        result = CliRunner().invoke(
            app, ["remove", "moties/weg.pdf"], env={"RAADSINZICHT_HOME": str(engine.home),
                                                    "RAADSINZICHT_INGEST_DIR": str(inbox)},
        )  # fmt: skip
        assert result.exit_code == 0 and "prullenbak" in result.output, result.output
        removals = engine.remove(str(outside))
    else:
        (removal,) = engine.remove_document(documents["moties/weg.pdf"])
        assert removal.file == "moties/weg.pdf" and removal.trashed is not None
        removals = engine.remove_document(documents["extern.pdf"])

    trash = [p.name for p in (engine.home / "prullenbak").iterdir()]
    assert len(trash) == 1 and trash[0].endswith("-weg.pdf"), trash
    assert not (inbox / "moties" / "weg.pdf").exists() and kept.exists()
    # A file outside the inbox is only forgotten, never moved.
    assert outside.exists() and removals[0].trashed is None
    report = engine.ingest(embed=False)
    assert (report.added, report.documents) == (0, 1)
    assert [d.file for d in engine.documents()] == ["blijft.pdf"]


def test_the_parsing_child_runs_at_background_priority(make_settings, tmp_path: Path) -> None:
    """OCR and parsing in the web app's child yield the CPU to searches and answers."""
    import psutil

    from raadsinzicht.ingest import ParsingProcess
    from raadsinzicht.jobs import BACKGROUND_NICENESS

    pdf = write_pdf(tmp_path / "motie.pdf", [motie_text("Parkeren", "SP")])
    parsing = ParsingProcess()
    try:
        prepared = parsing.prepare(pdf, make_settings(), None)
        assert prepared.chunks
        (child,) = parsing._child.workers()
        expected = min(os.nice(0) + BACKGROUND_NICENESS, 19)
        assert psutil.Process(child.pid).nice() == expected
    finally:
        parsing.close()
