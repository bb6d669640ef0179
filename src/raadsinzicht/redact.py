"""Lakken: redacted copies of PDFs for Woo publication.

Real redactions, not black boxes drawn on top: PyMuPDF's ``apply_redactions`` removes the
characters under each box from the page's content stream (and blanks image pixels under
it, for scans), metadata is scrubbed, and the file is rewritten without unused objects so
no old copy of the text survives in the file. Each box carries its Woo ground (5.1.2e:
privacy; BSN: 5.1.1e). After saving, the output is read back and every redacted string is
looked for again: one that can still be extracted is an error, not a warning.

What is redacted comes from ``privacy.find_personal_data`` on the page's own characters,
so each finding maps to the exact character boxes; a value found anywhere in the document
is redacted on every page where it occurs.

Web interface (not built yet, the web UI is developed separately): the Documenten view
should call ``redact_pdf`` into a temporary file, show its pages as a preview
(``page.get_pixmap``) with ``RedactionReport.to_dict()`` beside them, and only then offer
the PDF and ``write_csv`` report for download.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from .errors import InputError, RaadsinzichtError
from .parse import tesseract_available
from .privacy import ENTITY_TYPES, TYPE_LABELS, Entity, find_personal_data, mask

__all__ = ["WOO_GROUNDS", "Redaction", "RedactionReport", "redact_pdf"]

WOO_GROUNDS: dict[str, str] = {
    "5.1.1c": "vertrouwelijke bedrijfs- en fabricagegegevens (art. 5.1 lid 1 onder c Woo)",
    "5.1.1d": "bijzondere persoonsgegevens (art. 5.1 lid 1 onder d Woo)",
    "5.1.1e": "nationaal identificatienummer (BSN) (art. 5.1 lid 1 onder e Woo)",
    "5.1.2a": "internationale betrekkingen (art. 5.1 lid 2 onder a Woo)",
    "5.1.2c": "opsporing en vervolging van strafbare feiten (art. 5.1 lid 2 onder c Woo)",
    "5.1.2d": "inspectie, controle en toezicht (art. 5.1 lid 2 onder d Woo)",
    "5.1.2e": "eerbiediging van de persoonlijke levenssfeer (art. 5.1 lid 2 onder e Woo)",
    "5.1.2f": "concurrentiegevoelige bedrijfs- en fabricagegegevens (art. 5.1 lid 2 onder f Woo)",
    "5.1.2h": "beveiliging van personen en bedrijven (art. 5.1 lid 2 onder h Woo)",
    "5.1.2i": "goed functioneren van de staat (art. 5.1 lid 2 onder i Woo)",
    "5.2": "persoonlijke beleidsopvattingen in intern beraad (art. 5.2 Woo)",
}
# The BSN has its own absolute ground; everything else defaults to privacy.
_GROUND_BY_TYPE = {"BSN": "5.1.1e"}
MANUAL = "HANDMATIG"  # a string the user asked to redact (--term)
_MIN_TEXT = 20  # fewer non-space characters: a page without a text layer
_TEXT_FLAGS = pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_PRESERVE_WHITESPACE
# pymupdf.PDF_REDACT_IMAGE_PIXELS, PDF_REDACT_LINE_ART_NONE, PDF_REDACT_TEXT_REMOVE (the
# type stubs do not know these names).
_IMAGE_PIXELS, _LINE_ART_NONE, _TEXT_REMOVE = 2, 0, 0


@dataclass(slots=True)
class Redaction:
    page: int
    type: str
    masked: str
    ground: str
    rects: list[tuple[float, float, float, float]]

    @property
    def reason(self) -> str:
        what = TYPE_LABELS.get(self.type, "op verzoek gelakt")
        return f"{what}; {WOO_GROUNDS.get(self.ground, 'Woo-grond ' + self.ground)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pagina": self.page,
            "soort": self.type,
            "gemaskeerd": self.masked,
            "woo_grond": self.ground,
            "toelichting": self.reason,
            "vakken": [[round(v, 1) for v in rect] for rect in self.rects],
        }


@dataclass(slots=True)
class RedactionReport:
    source: str
    output: str
    pages: int
    redactions: list[Redaction] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    unreadable_pages: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def per_page(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for redaction in self.redactions:
            counts[redaction.page] = counts.get(redaction.page, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "bron": self.source,
            "uitvoer": self.output,
            "paginas": self.pages,
            "gelakt": len(self.redactions),
            "per_pagina": {str(k): v for k, v in sorted(self.per_page().items())},
            "ocr_paginas": self.ocr_pages,
            "niet_gelezen_paginas": self.unreadable_pages,
            "waarschuwingen": self.warnings,
            "lakkingen": [r.to_dict() for r in self.redactions],
        }

    def write_csv(self, path: Path) -> None:
        """One row per redaction: page, type, masked value (never the value), Woo ground."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["pagina", "soort", "gemaskeerd", "woo_grond", "toelichting"])
            for r in self.redactions:
                writer.writerow([r.page, r.type, r.masked, r.ground, r.reason])


@dataclass(slots=True)
class _PageText:
    """A page's text rebuilt from its characters, with each character's box."""

    number: int
    text: str
    boxes: list[tuple[float, float, float, float] | None]  # None for separators
    lines: list[int]  # line id per character (rects are made per line)
    ocr: bool = False
    # OCR pages: Tesseract's word boxes; character positions inside a word are estimates,
    # so boxes there cover whole words.
    words: list[pymupdf.Rect] = field(default_factory=list)


def _page_text(page: pymupdf.Page, textpage: pymupdf.TextPage | None = None) -> _PageText:
    data = page.get_text("rawdict", flags=_TEXT_FLAGS, textpage=textpage)
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float] | None] = []
    lines: list[int] = []
    line_id = 0
    for block in data["blocks"]:
        if block.get("type") != 0:
            continue
        for line in block["lines"]:
            line_id += 1
            for span in line["spans"]:
                for char in span["chars"]:
                    chars.append(char["c"])
                    x0, y0, x1, y1 = char["bbox"]
                    boxes.append((x0, y0, x1, y1))
                    lines.append(line_id)
            chars.append("\n")
            boxes.append(None)
            lines.append(-1)
        chars.append("\n")
        boxes.append(None)
        lines.append(-1)
    return _PageText(page.number + 1, "".join(chars), boxes, lines)


def _rects(page_text: _PageText, start: int, end: int) -> list[pymupdf.Rect]:
    """One box per line the finding covers, slightly inside the characters' boxes so the
    neighbouring lines and words are not touched.

    The box also takes the space before the finding: MuPDF (1.28) loses the advance of
    the first removed glyph when a removal starts inside a text string, which moves the
    rest of the line left by that glyph's width, up to under the box. Starting with the
    space limits the move to one space width, which the space after the box absorbs."""
    per_line: dict[int, pymupdf.Rect] = {}
    text, lines = page_text.text, page_text.lines
    if start > 0 and text[start - 1] == " " and lines[start - 1] == lines[start]:
        box = page_text.boxes[start - 1]
        if box is not None:
            per_line[lines[start]] = pymupdf.Rect(box)
    for index in range(start, end):
        box = page_text.boxes[index]
        if box is None or not page_text.text[index].strip():
            continue
        rect = pymupdf.Rect(box)
        line = page_text.lines[index]
        per_line[line] = per_line[line] | rect if line in per_line else rect
    out = []
    for rect in per_line.values():
        if page_text.ocr:
            for word in page_text.words:
                if (word & rect).get_area() > 0:
                    rect |= word
            out.append(pymupdf.Rect(rect.x0 - 2, rect.y0 - 1, rect.x1 + 2, rect.y1 + 1))
            continue
        inset_y = rect.height * 0.2
        inset_x = min(0.4, rect.width * 0.05)
        out.append(
            pymupdf.Rect(rect.x0 + inset_x, rect.y0 + inset_y, rect.x1 - inset_x, rect.y1 - inset_y)
        )
    return out


def _label_size(label: str, rect: pymupdf.Rect) -> float:
    size = min(8.0, rect.height * 0.62)
    width = pymupdf.get_text_length(label, fontname="helv", fontsize=size)
    if width > rect.width - 1:
        size *= (rect.width - 1) / width
    return size if size >= 3.5 else 0.0


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _occurrences(text: str, value: str) -> list[tuple[int, int]]:
    """Every occurrence of ``value`` as a whole word, whitespace-insensitive."""
    words = [re.escape(w) for w in value.split()]
    if not words:
        return []
    pattern = re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _ocr_textpage(page: pymupdf.Page, language: str, dpi: int) -> pymupdf.TextPage | None:
    try:
        return page.get_textpage_ocr(
            flags=_TEXT_FLAGS,
            language=language,
            dpi=dpi,
            full=True,
            tessdata=pymupdf.get_tessdata(os.environ.get("TESSDATA_PREFIX")),
        )
    except (RuntimeError, ValueError):
        return None


def redact_pdf(
    source: Path,
    output: Path,
    *,
    types: Collection[str] | None = None,
    ground: str | None = None,
    default_ground: str = "5.1.2e",
    terms: Sequence[str] = (),
    keep: Sequence[str] = (),
    ocr: bool = True,
    ocr_language: str = "nld",
    ocr_dpi: int = 300,
) -> RedactionReport:
    """Write a redacted copy of ``source`` to ``output``.

    ``types``: which kinds of personal data (default all); ``ground``: one Woo ground for
    every box (default: BSN 5.1.1e, the rest ``default_ground``); ``terms``: extra strings
    to redact; ``keep``: values never to redact (e.g. the names of public officials)."""
    source, output = Path(source), Path(output)
    wanted = [t.upper() for t in (types or ENTITY_TYPES)]
    unknown = [t for t in wanted if t not in ENTITY_TYPES]
    if unknown:
        raise InputError(
            f"Onbekende soort {', '.join(unknown)}; kies uit: {', '.join(ENTITY_TYPES)}"
        )
    if source.resolve() == output.resolve():
        raise InputError("Het gelakte bestand moet een ander bestand zijn dan het origineel.")
    try:
        doc = pymupdf.open(source)
    except (RuntimeError, ValueError) as exc:
        raise InputError(f"{source.name}: geen leesbaar PDF-bestand ({exc})") from exc
    with doc:
        if doc.needs_pass:
            raise InputError(f"{source.name}: het PDF-bestand is met een wachtwoord beveiligd")
        report = RedactionReport(str(source), str(output), doc.page_count)
        can_ocr = ocr and tesseract_available(ocr_language)
        kept = {_normal(k) for k in keep}
        pages: list[_PageText] = []
        found: list[list[Entity]] = []
        for index in range(doc.page_count):
            page = doc[index]
            page_text = _page_text(page)
            if len(re.sub(r"\s", "", page_text.text)) < _MIN_TEXT and page.get_images():
                textpage = _ocr_textpage(page, ocr_language, ocr_dpi) if can_ocr else None
                if textpage is None:
                    report.unreadable_pages.append(page.number + 1)
                else:
                    page_text = _page_text(page, textpage)
                    page_text.ocr = True
                    page_text.words = [
                        pymupdf.Rect(w[:4]) for w in page.get_text("words", textpage=textpage)
                    ]
                    report.ocr_pages.append(page.number + 1)
            entities = [
                e for e in find_personal_data(page_text.text, types=wanted)
                if _normal(e.text) not in kept
            ]  # fmt: skip
            for term in terms:
                entities += [
                    Entity(MANUAL, s, e, page_text.text[s:e])
                    for s, e in _occurrences(page_text.text, term)
                ]
            pages.append(page_text)
            found.append(entities)
        # A value found on one page is redacted wherever it occurs (a surname alone on
        # page 3 where its context was on page 1).
        values = {(e.type, e.text) for entities in found for e in entities if len(e.text) >= 4}
        for page_text, entities in zip(pages, found, strict=True):
            for kind, value in values:
                for s, e in _occurrences(page_text.text, value):
                    if not any(x.start < e and s < x.end for x in entities):
                        entities.append(Entity(kind, s, e, page_text.text[s:e]))
        for page_text, entities in zip(pages, found, strict=True):
            page = doc[page_text.number - 1]
            for entity in sorted(entities, key=lambda x: x.start):
                rects = _rects(page_text, entity.start, entity.end)
                if not rects:
                    continue
                box_ground = ground or _GROUND_BY_TYPE.get(entity.type, default_ground)
                for number, rect in enumerate(rects):
                    label = box_ground if number == 0 else ""
                    size = _label_size(label, rect) if label else 0.0
                    page.add_redact_annot(
                        rect,
                        text=label if size else None,
                        fontname="helv",
                        fontsize=size or 8,
                        align=pymupdf.TEXT_ALIGN_CENTER,
                        fill=(0, 0, 0),
                        text_color=(1, 1, 1),
                        cross_out=False,
                    )
                report.redactions.append(
                    Redaction(
                        page_text.number,
                        entity.type,
                        mask(entity),
                        box_ground,
                        [(r.x0, r.y0, r.x1, r.y1) for r in rects],
                    )
                )
            if entities:
                page.apply_redactions(
                    images=_IMAGE_PIXELS,  # scans: blank the pixels under the box too
                    graphics=_LINE_ART_NONE,  # keep table rulings
                    text=_TEXT_REMOVE,
                )
        # Metadata, embedded files, scripts and thumbnails may hold the same data.
        doc.scrub(
            attached_files=True,
            clean_pages=True,
            embedded_files=True,
            hidden_text=False,  # keeps OCR text layers (already redacted above)
            javascript=True,
            metadata=True,
            redactions=False,  # applied above, per page
            remove_links=False,
            reset_fields=True,
            reset_responses=True,
            thumbnails=True,
            xml_metadata=True,
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        # garbage=4 drops unreferenced objects (the old content streams) from the file.
        doc.save(output, garbage=4, deflate=True, clean=True)
    if report.ocr_pages:
        report.warnings.append(
            "Gescande pagina's (gelezen met OCR): "
            + ", ".join(map(str, report.ocr_pages))
            + ". OCR kan woorden verkeerd lezen of aan elkaar plakken; wat niet goed gelezen "
            "is, is niet gevonden. Controleer deze pagina's extra zorgvuldig."
        )
    if report.unreadable_pages:
        report.warnings.append(
            "Pagina's zonder tekstlaag die niet konden worden gelezen (geen OCR): "
            + ", ".join(map(str, report.unreadable_pages))
            + ". Controleer en lak deze handmatig."
        )
    _verify(output, pages, found)
    return report


def _verify(output: Path, pages: list[_PageText], found: list[list[Entity]]) -> None:
    """Read the output back: no redacted string may still be extractable on its page."""
    with pymupdf.open(output) as doc:
        for page_text, entities in zip(pages, found, strict=True):
            if not entities or page_text.ocr:
                continue  # an OCR page has no text layer to leak from
            text = doc[page_text.number - 1].get_text("text")
            left = []
            for value in {e.text for e in entities}:
                # Occurrences that were not found as personal data may stay ("Bos" in
                # "het Haagse Bos"); any more than those is a leak.
                unredacted = [
                    (s, t)
                    for s, t in _occurrences(page_text.text, value)
                    if not any(e.start < t and s < e.end for e in entities)
                ]
                if len(_occurrences(text, value)) > len(unredacted):
                    left.append(value)
            if left:
                output.unlink(missing_ok=True)
                raise RaadsinzichtError(
                    f"Lakken mislukt op pagina {page_text.number}: {len(left)} gelakte tekst(en) "
                    "nog leesbaar; er is geen uitvoer geschreven."
                )
