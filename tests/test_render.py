"""Page previews: the passage's boxes are highlighted, the source PDF is left untouched."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image

from raadsinzicht.errors import InputError
from raadsinzicht.parse import parse_pdf
from raadsinzicht.render import RenderProcess, boxes_on_page, render_page

from .pdfs import motie_text, write_pdf


def _pixels(image: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(image)).convert("RGB"), dtype=np.int16)


def _line_boxes(pdf: Path, page: int) -> list[tuple[float, float, float, float]]:
    parsed = parse_pdf(pdf, ocr=False)
    return [box for block in parsed.pages[page - 1].blocks for box in block.line_bboxes]


def test_highlight_changes_exactly_the_boxed_area(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "motie.pdf", [motie_text("sleutelgeld", "GroenLinks")] * 2)
    before = hashlib.sha256(pdf.read_bytes()).hexdigest()
    box = _line_boxes(pdf, 2)[1]
    dpi = 72  # one pixel per point: box coordinates are pixel coordinates

    # PNG: exact pixels (the JPEG of a preview differs a little around every edge).
    plain = _pixels(render_page(pdf, 2, [], dpi=dpi, image_format="png"))
    marked = _pixels(render_page(pdf, 2, [box], dpi=dpi, image_format="png"))

    assert plain.shape == marked.shape == (842, 595, 3)
    changed = np.any(plain != marked, axis=2)
    x0, y0, x1, y1 = (round(v) for v in box)
    inside = changed[y0 + 1 : y1 - 1, x0 + 1 : x1 - 1]
    assert inside.mean() > 0.95  # the whole line is tinted
    # Yellow: red and green stay high, blue drops on the (white) background.
    background = (plain[y0:y1, x0:x1] == 255).all(axis=2)
    tinted = marked[y0:y1, x0:x1][background]
    assert tinted[:, 2].mean() < 200 and tinted[:, 0].mean() > 200
    # Outside the box and its margin bar nothing changes.
    changed[y0 - 3 : y1 + 3, :] = False
    assert not changed.any()
    # The source file is never modified.
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == before


def test_page_without_boxes_matches_plain_render(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "doc.pdf", ["Eerste pagina.", "Tweede pagina."])
    png = render_page(pdf, 1, dpi=50, image_format="png")
    reference = pymupdf.open(pdf)[0].get_pixmap(dpi=50, alpha=False)
    assert _pixels(png).shape == (reference.height, reference.width, 3)


def test_preview_is_a_jpeg_that_looks_like_the_exact_render(tmp_path: Path) -> None:
    # The web's previews are JPEGs (a sixth of the PNG's encoding time): the same page, the
    # same highlight, on a corpus-like page of text.
    pdf = write_pdf(tmp_path / "motie.pdf", [motie_text("sleutelgeld", "GroenLinks")])
    box = _line_boxes(pdf, 1)[1]
    jpeg = render_page(pdf, 1, [box], dpi=72)
    png = render_page(pdf, 1, [box], dpi=72, image_format="png")
    assert jpeg.startswith(b"\xff\xd8\xff")
    seen, exact = _pixels(jpeg), _pixels(png)
    assert seen.shape == exact.shape
    assert np.abs(seen - exact).mean() < 3  # out of 255
    x0, y0, x1, y1 = (round(v) for v in box)
    background = (exact[y0:y1, x0:x1] > 240).all(axis=2)  # white paper outside the box
    tinted = seen[y0:y1, x0:x1][(exact[y0:y1, x0:x1, 2] < 200) & ~background]
    assert len(tinted) and tinted[:, 0].mean() > 200 and tinted[:, 2].mean() < 200


def test_rotated_page_highlights_the_text(tmp_path: Path) -> None:
    source = write_pdf(tmp_path / "plat.pdf", [motie_text("woningbouw", "VVD")])
    doc = pymupdf.open(source)
    doc[0].set_rotation(90)
    rotated = tmp_path / "gedraaid.pdf"
    doc.save(rotated)
    box = _line_boxes(rotated, 1)[0]  # stored boxes: unrotated page coordinates
    plain = _pixels(render_page(rotated, 1, [], dpi=72, image_format="png"))
    marked = _pixels(render_page(rotated, 1, [box], dpi=72, image_format="png"))
    assert plain.shape[:2] == (595, 842)  # landscape on screen
    text = (plain < 100).all(axis=2)
    changed = np.any(plain != marked, axis=2)
    # Most dark text pixels of that line lie inside the tinted area.
    rect = pymupdf.Rect(box) * doc[0].rotation_matrix
    x0, y0, x1, y1 = (round(v) for v in rect)
    assert text[y0:y1, x0:x1].sum() > 20
    assert changed[y0:y1, x0:x1].mean() > 0.8


def test_boxes_on_page_selects_the_page() -> None:
    stored = [(1, 10.0, 20.0, 30.0, 40.0), (2, 1.0, 2.0, 3.0, 4.0), [2, 5, 6, 7, 8]]
    assert boxes_on_page(stored, 2) == [(1.0, 2.0, 3.0, 4.0), (5.0, 6.0, 7.0, 8.0)]
    assert boxes_on_page(stored, 3) == []


def test_bad_page_and_bad_file_are_dutch_input_errors(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "kort.pdf", ["Eén pagina."])
    with pytest.raises(InputError, match="pagina 5 bestaat niet"):
        render_page(pdf, 5)
    junk = tmp_path / "kapot.pdf"
    junk.write_bytes(b"dit is geen pdf")
    with pytest.raises(InputError, match="geen leesbare PDF"):
        render_page(junk, 1)
    with pytest.raises(InputError, match="kan niet gelezen worden"):
        render_page(tmp_path / "weg.pdf", 1)


def test_render_process_gives_the_same_page_and_errors_and_survives_a_crash(
    tmp_path: Path,
) -> None:
    """The web app renders in a child process (MuPDF holds the GIL for a whole render): the
    same PNG as in-process, the same one-line errors, and a killed child is replaced."""
    pdf = write_pdf(tmp_path / "motie.pdf", [motie_text("sleutelgeld", "GroenLinks")] * 2)
    box = _line_boxes(pdf, 2)[1]
    renderer = RenderProcess()
    try:
        assert renderer.render(pdf, 2, [box], dpi=60) == render_page(pdf, 2, [box], dpi=60)
        with pytest.raises(InputError, match="pagina 5 bestaat niet"):
            renderer.render(pdf, 5)
        workers = renderer._child.workers()
        assert len(workers) == 1
        for process in workers:
            process.kill()
            process.join()
        assert renderer.render(pdf, 1, dpi=40) == render_page(pdf, 1, dpi=40)
    finally:
        renderer.close()
