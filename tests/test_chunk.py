"""Chunking on real parsed pages: size, boundaries, provenance, nothing lost."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from raadsinzicht.chunk import chunk_document, estimate_tokens
from raadsinzicht.parse import parse_pdf
from raadsinzicht.settings import ChunkingSettings

from .pdfs import write_pdf

SETTINGS = ChunkingSettings()


@pytest.mark.corpus
def test_corpus_document_chunks_are_sized_and_cover_all_text(corpus_dir: Path) -> None:
    parsed = parse_pdf(corpus_dir / "raadsvoorstellen/denhaag_2025_rv_bestemmingsplan-strand.pdf")
    chunks = chunk_document(parsed, SETTINGS)
    sizes = [chunk.tokens for chunk in chunks]
    assert max(sizes) <= SETTINGS.max_tokens + SETTINGS.overlap_tokens
    # Most chunks are in the intended band; short ones end a section or the document.
    in_band = [s for s in sizes if s >= 200]
    assert len(in_band) >= 0.6 * len(sizes), sizes

    covered: dict[int, list[tuple[int, int]]] = {}
    for chunk in chunks:
        assert chunk.pages == sorted(chunk.pages)
        for span in chunk.spans:
            covered.setdefault(span.page, []).append((span.start, span.end))
    for page in parsed.pages:
        for block in page.blocks:
            if block.text.strip():
                assert any(
                    s <= block.start and block.end <= e for s, e in covered[page.number]
                ) or any(s < block.end and block.start < e for s, e in covered[page.number]), (
                    page.number,
                    block.text[:60],
                )


def test_headings_start_chunks_and_sentences_are_not_cut(tmp_path: Path) -> None:
    doc = pymupdf.open()
    sections = {
        "Inleiding": "Het college legt de raad een voorstel voor over de haven. " * 30,
        "Financiën": "De kosten bedragen twee miljoen euro per jaar voor onderhoud. " * 30,
        "Planning": "De uitvoering start in het voorjaar en duurt drie jaar lang. " * 30,
    }
    for heading, body in sections.items():
        page = doc.new_page()
        page.insert_text((72, 72), heading, fontsize=20, fontname="hebo")
        page.insert_textbox(pymupdf.Rect(72, 100, 520, 800), body, fontsize=9)
    path = tmp_path / "secties.pdf"
    doc.save(path)

    chunks = chunk_document(parse_pdf(path), SETTINGS)
    starts = {chunk.text.split("\n", 1)[0].strip() for chunk in chunks}
    assert set(sections) <= starts
    for chunk in chunks:
        assert chunk.text.rstrip().endswith((".", "jaar", "lang")), chunk.text[-40:]
        assert len(chunk.pages) == 1  # each section is on its own page
        assert chunk.heading in sections


def test_estimate_tokens_tracks_the_e5_tokenizer(embedder) -> None:
    text = (
        "De gemeenteraad van 's-Gravenhage heeft op 13 maart 2025 het bestemmingsplan "
        "Strand vastgesteld, inclusief de nota van zienswijzen en de ambtshalve wijzigingen."
    )
    exact = embedder.token_count(text)
    assert 0.75 * exact <= estimate_tokens(text) <= 1.25 * exact


def test_speaker_turns_are_structure_inside_normal_chunks(tmp_path: Path) -> None:
    """Boundaries (speaker turns) leave the chunks as they are and are found back exactly,
    also mid-paragraph and in text a chunk repeats as overlap."""
    speech = (
        "De gemeente onderzoekt de gevolgen van het parkeerbeleid voor bewoners en "
        "ondernemers in de binnenstad en rapporteert daarover aan de raad. "
    )
    pages = [
        "\n\n".join(
            f"{name} ({party}). Voorzitter. " + speech * 3 + f"Lesley Arp (SP). Punt {p}. " + speech
            for p, (name, party) in enumerate([("Coen Bom", "HvDH"), ("Isabel Bos", "GL")] * 2)
        )
        for _ in range(3)
    ]
    parsed = parse_pdf(write_pdf(tmp_path / "notulen.pdf", pages))
    starts = [
        (page.number, m.start())
        for page in parsed.pages
        for m in re.finditer(r"(?:Coen Bom|Isabel Bos|Lesley Arp) \(", page.text)
    ]
    plain = chunk_document(parsed, SETTINGS)
    chunks = chunk_document(parsed, SETTINGS, boundaries=starts)
    assert [c.text for c in chunks] == [c.text for c in plain] and len(chunks) > 3
    assert all(c.segments == [] for c in plain)
    text_of = {page.number: page.text for page in parsed.pages}
    found = set()
    for chunk in chunks:
        offsets = [offset for offset, _ in chunk.segments]
        assert offsets[0] == 0 and offsets == sorted(offsets)
        assert len(chunk.segments) > 1  # several turns in one chunk
        for offset, index in chunk.segments:
            page, start = starts[index]
            following = [s for p, s in starts[index + 1 :] if p == page]
            end = following[0] if following else len(text_of[page])
            # The chunk's text there lies in that turn on the page: at its start, or
            # (when a repeated overlap re-enters the turn) further into it.
            piece = chunk.text[offset:].split("\n\n")[0][:30]
            at = text_of[page].find(piece, start)
            assert start <= at < end, (piece, text_of[page][start : start + 30])
            if at == start:
                found.add(index)
    assert found == set(range(len(starts)))  # every turn start is found in some chunk
