"""parse_pdf on real PDFs: generated with PyMuPDF for the edge cases, the corpus for the rest."""

from __future__ import annotations

import logging
from pathlib import Path

import pymupdf
import pytest

from raadsinzicht import parse
from raadsinzicht.errors import InputError
from raadsinzicht.parse import ParsedDocument, parse_pdf, tesseract_available

BODY = (
    "De gemeenteraad heeft het voorstel van het college besproken en besluit de "
    "begroting voor het komende jaar vast te stellen met inachtneming van de motie."
)
INSTALL = "sudo apt-get install tesseract-ocr tesseract-ocr-nld"


def save(doc: pymupdf.Document, path: Path) -> Path:
    doc.save(path)
    doc.close()
    return path


def assert_offsets(document: ParsedDocument) -> None:
    for page in document.pages:
        for block in page.blocks:
            assert page.text[block.start : block.end] == block.text
            assert block.line_bboxes
        assert page.text == "\n\n".join(block.text for block in page.blocks)


def image_only_pdf(path: Path, texts: list[str]) -> Path:
    """Pages that are pictures of text, like a scan: render a text page, insert the image."""
    doc = pymupdf.open()
    for text in texts:
        source = pymupdf.open()
        page = source.new_page(width=420, height=200)
        page.insert_textbox(pymupdf.Rect(20, 20, 400, 180), text, fontsize=16, fontname="helv")
        pixmap = page.get_pixmap(dpi=150)
        source.close()
        doc.new_page(width=420, height=200).insert_image(
            pymupdf.Rect(0, 0, 420, 200), pixmap=pixmap
        )
    return save(doc, path)


# --- layout: headings, tables, headers/footers, labels, line joining ----------------------


def test_heading_in_larger_bold_font_and_paragraphs(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "Besluitvorming over de begroting", fontsize=18, fontname="hebo")
    page.insert_textbox(pymupdf.Rect(72, 120, 523, 400), f"{BODY} {BODY}", fontsize=11)
    page.insert_text((72, 430), "Financiële gevolgen", fontsize=11, fontname="hebo")
    page.insert_textbox(pymupdf.Rect(72, 440, 523, 700), BODY, fontsize=11)
    document = parse_pdf(save(doc, tmp_path / "kop.pdf"))

    blocks = [(b.kind, b.text) for b in document.pages[0].blocks]
    assert blocks[0] == ("heading", "Besluitvorming over de begroting")
    assert blocks[1][0] == "paragraph" and blocks[1][1].startswith("De gemeenteraad heeft")
    assert ("heading", "Financiële gevolgen") in blocks  # bold, short, no full stop
    assert blocks[-1] == ("paragraph", BODY)
    assert_offsets(document)


def test_table_drawn_with_lines_becomes_one_markdown_block(tmp_path: Path) -> None:
    rows = [
        ["Agendapunt", "Onderwerp", "Besluit"],
        ["A", "Vaststelling agenda", "Conform"],
        ["B", "Motie sleutelgeld", "Aangenomen"],
    ]
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "Besluitenlijst van de raad", fontsize=16, fontname="hebo")
    xs, ys = [72, 172, 372, 523], [100, 125, 150, 175]
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.8)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.8)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            page.insert_text((xs[c] + 4, ys[r] + 17), cell, fontsize=10)
    page.insert_textbox(pymupdf.Rect(72, 200, 523, 400), BODY, fontsize=11)
    document = parse_pdf(save(doc, tmp_path / "tabel.pdf"))

    page_out = document.pages[0]
    assert [b.kind for b in page_out.blocks] == ["heading", "table", "paragraph"]
    table = page_out.blocks[1]
    assert table.text == (
        "|Agendapunt|Onderwerp|Besluit|\n"
        "|---|---|---|\n"
        "|A|Vaststelling agenda|Conform|\n"
        "|B|Motie sleutelgeld|Aangenomen|"
    )
    assert page_out.text.count("Motie sleutelgeld") == 1  # table text is not repeated
    assert table.bbox == pytest.approx((72, 100, 523, 175), abs=1)
    assert len(table.line_bboxes) == 3
    assert_offsets(document)


def test_repeated_header_and_footer_are_dropped(tmp_path: Path) -> None:
    doc = pymupdf.open()
    for number in range(1, 5):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 40), "Gemeente Voorbeeldstad - Raadsvoorstel 2025/12", fontsize=9)
        page.insert_textbox(
            pymupdf.Rect(72, 120, 523, 700), f"Hoofdstuk {number}. {BODY}", fontsize=11
        )
        page.insert_text((72, 815), f"Pagina {number} van 4", fontsize=9)
    document = parse_pdf(save(doc, tmp_path / "kopvoet.pdf"))

    texts = [page.text for page in document.pages]
    assert all(f"Hoofdstuk {n}. De gemeenteraad" in texts[n - 1] for n in range(1, 5))
    assert not any("Pagina" in text for text in texts)
    assert "Gemeente Voorbeeldstad" in texts[0]  # page 1 keeps its letterhead
    assert not any("Gemeente Voorbeeldstad" in text for text in texts[1:])


def test_bare_page_number_in_margin_is_dropped_in_short_documents(tmp_path: Path) -> None:
    doc = pymupdf.open()
    for number in (1, 2):
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(72, 100, 523, 400), BODY, fontsize=11)
        page.insert_text((290, 815), f"- {number} -", fontsize=9)
    document = parse_pdf(save(doc, tmp_path / "nummers.pdf"))
    assert [page.text for page in document.pages] == [BODY, BODY]


def test_page_labels_and_metadata(tmp_path: Path) -> None:
    doc = pymupdf.open()
    for _ in range(4):
        doc.new_page().insert_text((72, 100), "Tekst op de pagina", fontsize=11)
    doc.set_page_labels(
        [
            {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
            {"startpage": 2, "prefix": "B-", "style": "D", "firstpagenum": 1},
        ]
    )
    doc.set_metadata({"title": "Raadsvoorstel begroting", "author": "", "subject": "  "})
    document = parse_pdf(save(doc, tmp_path / "labels.pdf"))

    assert [page.label for page in document.pages] == ["i", "ii", "B-1", "B-2"]
    assert [page.number for page in document.pages] == [1, 2, 3, 4]
    assert document.pdf_metadata["title"] == "Raadsvoorstel begroting"
    assert "author" not in document.pdf_metadata and "subject" not in document.pdf_metadata
    assert all(value for value in document.pdf_metadata.values())


def test_no_page_labels_gives_empty_label(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 100), "Tekst", fontsize=11)
    assert parse_pdf(save(doc, tmp_path / "zonder.pdf")).pages[0].label == ""


def test_words_broken_at_line_end_are_joined(tmp_path: Path) -> None:
    doc = pymupdf.open()
    lines = [
        "Het college stelt het nieuwe beleids-",
        "kader vast voor de provincie Noord-",
        "Holland en de gemeente- en provincie-",
        "besturen; de mede-",
        "eigenaar betaalt de BTW-",
        "nummer kosten.",
    ]
    doc.new_page().insert_text((72, 100), "\n".join(lines), fontsize=11)
    text = parse_pdf(save(doc, tmp_path / "afbreken.pdf")).pages[0].text
    assert text == (
        "Het college stelt het nieuwe beleidskader vast voor de provincie Noord-Holland en de "
        "gemeente- en provinciebesturen; de mede-eigenaar betaalt de BTW-nummer kosten."
    )


def test_list_items_start_new_lines(tmp_path: Path) -> None:
    doc = pymupdf.open()
    text = "Verzoekt het college:\n- de raad te informeren;\n- een plan te maken."
    doc.new_page().insert_text((72, 100), text, fontsize=11)
    out = parse_pdf(save(doc, tmp_path / "lijst.pdf")).pages[0].text
    assert out == "Verzoekt het college:\n- de raad te informeren;\n- een plan te maken."


# --- OCR ---------------------------------------------------------------------------------


@pytest.mark.skipif(not tesseract_available("nld"), reason="Tesseract met taal nld ontbreekt")
def test_image_only_page_is_read_with_ocr(tmp_path: Path) -> None:
    path = image_only_pdf(tmp_path / "scan.pdf", ["De gemeenteraad besluit over de begroting"])
    document = parse_pdf(path, ocr_dpi=150)

    page = document.pages[0]
    assert page.ocr and not page.skipped and document.ocr_pages == 1
    words = page.text.lower().split()
    assert {"gemeenteraad", "besluit", "begroting"} <= set(words)
    assert document.warnings == []
    assert_offsets(document)


def test_missing_tesseract_skips_pages_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    empty = tmp_path / "tessdata"
    empty.mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty))  # PyMuPDF looks for nld.traineddata here
    parse._log_once.cache_clear()
    assert not tesseract_available("nld")
    path = image_only_pdf(tmp_path / "scan.pdf", ["Eerste pagina", "Tweede pagina"])

    with caplog.at_level(logging.WARNING, logger="raadsinzicht.parse"):
        first = parse_pdf(path)
        second = parse_pdf(path)

    for document in (first, second):
        assert [(p.skipped, p.ocr, p.text, p.blocks) for p in document.pages] == [
            (True, False, "", []),
            (True, False, "", []),
        ]
        assert len(document.warnings) == 1
        assert INSTALL in document.warnings[0]
    assert len([r for r in caplog.records if INSTALL in r.getMessage()]) == 1  # once per process


def test_ocr_off_skips_pages_without_text_layer(tmp_path: Path) -> None:
    path = image_only_pdf(tmp_path / "scan.pdf", ["Eerste pagina"])
    document = parse_pdf(path, ocr=False)
    assert document.skipped_pages == 1 and document.ocr_pages == 0
    assert document.pages[0].text == ""
    assert len(document.warnings) == 1 and "OCR staat uit" in document.warnings[0]


# --- bad input ---------------------------------------------------------------------------


def zero_page_pdf() -> bytes:
    """PyMuPDF refuses to save a document without pages, so write the bytes by hand."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def text_pdf_bytes() -> bytes:
    doc = pymupdf.open()
    for _ in range(3):
        doc.new_page().insert_textbox(pymupdf.Rect(72, 72, 523, 700), BODY * 3, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


def write_bad(path: Path, case: str) -> Path:
    if case == "empty":
        path.write_bytes(b"")
    elif case == "not_pdf":
        path.write_text("Dit is platte tekst met de extensie .pdf\n", encoding="utf-8")
    elif case == "truncated":
        data = text_pdf_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif case == "password":
        doc = pymupdf.open(stream=text_pdf_bytes(), filetype="pdf")
        doc.save(
            path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="geheim", owner_pw="eigenaar"
        )
        doc.close()
    else:
        path.write_bytes(zero_page_pdf())
    return path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("empty", "leeg bestand (0 bytes)"),
        ("not_pdf", "geen PDF-bestand"),
        ("truncated", "beschadigd of afgekapt PDF-bestand"),
        ("password", "PDF is met een wachtwoord beveiligd"),
        ("zero_pages", "PDF bevat geen pagina's"),
    ],
)
def test_bad_input_raises_input_error_with_one_dutch_line(
    tmp_path: Path, case: str, message: str
) -> None:
    path = write_bad(tmp_path / f"{case}.pdf", case)
    with pytest.raises(InputError) as caught:
        parse_pdf(path)
    assert str(caught.value) == message


def test_complete_generated_pdf_is_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "heel.pdf"
    path.write_bytes(text_pdf_bytes())
    assert len(parse_pdf(path).pages) == 3


def test_signature_stamp_follows_the_text_it_is_drawn_beside(tmp_path: Path) -> None:
    # As on the Den Haag proposals: the stamp of a signature field ends above the bottom of
    # the paragraph it stands beside, and MuPDF sorts blocks by their bottom edge.
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text(
        (72, 90), "IV. een voorziening voor de kosten van het referendum te", fontsize=9
    )
    page.insert_textbox(
        pymupdf.Rect(72, 93, 500, 140),
        "treffen. Aldus verworpen in de openbare raadsvergadering van 13 februari 2025. "
        "De griffier, de voorzitter, en verder nog wat tekst om de regel te vullen.",
        fontsize=9,
    )
    field = pymupdf.Widget()
    field.field_type = pymupdf.PDF_WIDGET_TYPE_SIGNATURE
    field.field_name = "handtekening"
    field.rect = pymupdf.Rect(300, 92, 480, 112)
    page.add_widget(field)
    page.insert_text((302, 100), "ValidSigned door De Griffier L. Blankwaard Rombouts", fontsize=5)
    page.insert_text((302, 106), "op 18-02-2025", fontsize=5)
    path = tmp_path / "ondertekend.pdf"
    doc.save(path)

    text = " ".join(parse_pdf(path).pages[0].text.split())

    assert "referendum te treffen." in text
    stamp = text.index("ValidSigned door De Griffier L. Blankwaard Rombouts op 18-02-2025")
    assert stamp > text.index("De griffier, de voorzitter")


# --- the real corpus ---------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_motion_text(corpus_dir: Path) -> None:
    document = parse_pdf(corpus_dir / "moties/denhaag_2025_motie_sp_sleutelgeld.pdf")
    assert len(document.pages) == 1
    text = document.pages[0].text
    assert "sleutelgeld" in text
    assert "▪ Huurders die toch sleutelgeld hebben betaald" in text  # bullet kept with its item
    assert document.pdf_metadata.get("creator", "").startswith("Microsoft")


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "besluiten/denhaag_2025-01-23_besluitenlijst-raad.pdf",
        "raadsvoorstellen/denhaag_2025_rv_bestemmingsplan-strand.pdf",
        "woo/amsterdam_2021_inventarislijst-wob-meervaart.pdf",
        "beleid/overijssel_2024_ppe-college-oktober.pdf",
    ],
)
def test_corpus_offsets_hold_on_every_block(corpus_dir: Path, name: str) -> None:
    document = parse_pdf(corpus_dir / name, ocr=False)
    assert document.pages and not document.warnings
    assert_offsets(document)
    for page in document.pages:
        assert page.width > 0 and page.height > 0
        for block in page.blocks:
            x0, y0, x1, y1 = block.bbox
            assert x0 <= x1 and y0 <= y1


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.skipif(not tesseract_available("nld"), reason="Tesseract met taal nld ontbreekt")
def test_corpus_scan_keeps_the_spaces_between_words(corpus_dir: Path) -> None:
    # A scan turned a quarter (/Rotate 270): PyMuPDF's OCR text page had read "U exploiteert
    # op hetadres Jodenbreestraatzzeenwinkel", which no search or answer finds.
    name = "scanned/amsterdam_2018_besluit-last-onder-dwangsom_scan.pdf"
    document = parse_pdf(corpus_dir / name, ocr_dpi=300)
    first = document.pages[0]
    assert first.ocr and document.ocr_pages == 4
    text = " ".join(first.text.split())
    assert "U exploiteert op het adres Jodenbreestraat" in text
    assert "Op vrijdag 14 juli" in text
    assert_offsets(document)
    for block in first.blocks:  # boxes on the unrotated page, as its text layer has them
        x0, y0, x1, y1 = block.bbox
        assert 0 <= x0 <= x1 <= first.width + 1 and 0 <= y0 <= y1 <= first.height + 1


@pytest.mark.corpus
def test_corpus_vote_tables_and_letterhead(corpus_dir: Path) -> None:
    votes = parse_pdf(corpus_dir / "besluiten/denhaag_2025-01-23_besluitenlijst-raad.pdf")
    tables = [b.text for page in votes.pages for b in page.blocks if b.kind == "table"]
    assert any(
        "|321225|Motie I.1 HvDH Gelijke behandeling ondernemers Zeeheldenkwartier|Verworpen|" in t
        for t in tables
    )

    proposal = parse_pdf(corpus_dir / "raadsvoorstellen/denhaag_2025_rv_bestemmingsplan-strand.pdf")
    with_reference = [page.number for page in proposal.pages if "ons kenmerk" in page.text.lower()]
    assert with_reference == [1]  # running letterhead only on page 1


@pytest.mark.skipif(not tesseract_available("nld"), reason="Tesseract met taal nld ontbreekt")
def test_ocr_cache_gives_the_same_page_without_tesseract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from raadsinzicht.cache import PipelineCache

    path = image_only_pdf(tmp_path / "scan.pdf", ["De gemeenteraad besluit over de begroting"])
    cache = PipelineCache(tmp_path / "cache" / "pipeline.sqlite3")
    first = parse_pdf(path, ocr_dpi=150, cache=cache)

    def no_tesseract(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR ran although the page is cached")

    monkeypatch.setattr(parse, "_tesseract_blocks", no_tesseract)
    second = parse_pdf(path, ocr_dpi=150, cache=cache)
    assert [(p.text, p.ocr, [b.text for b in p.blocks]) for p in second.pages] == [
        (p.text, p.ocr, [b.text for b in p.blocks]) for p in first.pages
    ]
    assert second.pages[0].ocr and "gemeenteraad" in second.pages[0].text.lower()
    with pytest.raises(AssertionError):  # another resolution is another cache entry
        parse_pdf(path, ocr_dpi=200, cache=cache)
