"""PDF → pages. PyMuPDF only: text per physical page in reading order, headings, tables as
Markdown, repeated headers/footers removed, OCR (Tesseract, Dutch) for pages without text.

The data types below are the contract with chunking; keep them stable.

Speed: one TextPage per page gives the text (``extractDICT(sort=True)``) and the vector
paths (``TEXT_COLLECT_VECTORS``). Tables are found from those paths by a small line-grid
finder (ruled tables, the same "lines" idea as ``page.find_tables()``): ``find_tables()`` +
``to_markdown()`` cost 0.1-0.5 s per table page in pure Python (character lists, a full
rawdict per cell, header pixmaps), and with ~9 % table pages in council PDFs that alone is
several times the cost of reading every page's text.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import shutil
import subprocess
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import pymupdf

from .cache import PipelineCache
from .errors import InputError

BBox = tuple[float, float, float, float]
BlockKind = Literal["heading", "paragraph", "table"]


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A paragraph, heading or table on one page.

    ``start``/``end`` are character offsets of ``text`` inside ``Page.text``
    (``page.text[start:end] == text``). ``line_bboxes`` are the boxes of the
    block's lines in PDF points (for highlighting); ``bbox`` is their union.
    """

    text: str
    start: int
    end: int
    kind: BlockKind
    bbox: BBox
    line_bboxes: tuple[BBox, ...]


@dataclass(slots=True)
class PageText:
    """A piece of text and the physical page it comes from: what summaries and the
    bezwaar intake cite as [p. N]."""

    page: int
    text: str


@dataclass(slots=True)
class Page:
    number: int  # 1-based physical page number
    label: str  # printed page label from the PDF's page labels, "" when none
    text: str  # the blocks' texts joined by "\n\n"
    blocks: list[TextBlock]
    width: float
    height: float
    ocr: bool = False  # text came from Tesseract OCR
    skipped: bool = False  # needed OCR but could not get it (e.g. Tesseract missing)


@dataclass(slots=True)
class ParsedDocument:
    path: Path
    pages: list[Page]
    pdf_metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ocr_pages(self) -> int:
        return sum(p.ocr for p in self.pages)

    @property
    def skipped_pages(self) -> int:
        return sum(p.skipped for p in self.pages)


logger = logging.getLogger(__name__)

# Ligatures expanded ("ﬁ" → "fi") and whitespace normalised so words stay searchable; no
# images: decoding them is the slowest part of a "dict" extraction and we never use them.
_TEXT_FLAGS = pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_CID_FOR_UNKNOWN_UNICODE
_OCR_READER = "tesseract-tsv-psm4"  # in the OCR cache's key: another reader reads anew
_OCR_TIMEOUT = 300  # seconds for one page: a hung Tesseract fails the page, not the ingest
_PAGE_FLAGS = _TEXT_FLAGS | pymupdf.TEXT_COLLECT_VECTORS  # vector paths for the table finder
_BOLD = pymupdf.TEXT_FONT_BOLD
_PDF_ERRORS = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)

_DAMAGED = "beschadigd of afgekapt PDF-bestand"
_OCR_OFF = "OCR staat uit: pagina's zonder tekstlaag zijn overgeslagen."

_MIN_TEXT_CHARS = 20  # fewer non-space characters than this: "no text layer"
_MIN_IMAGE_SHARE = 0.3  # ... and images cover at least this share of the page: a scan
_MARGIN = 0.1  # top/bottom share of the page where running headers and footers live
_HEADING_SCALE = 1.12  # a font this much larger than the body font marks a heading
_OCR_HEADING_SCALE = 1.5  # OCR font sizes are estimates that vary ±10 % per line
_SNAP = 3.0  # points: rulings closer than this are one line (PyMuPDF's snap tolerance)

_SENTENCE_END = (".", ",", ";", "!", "?")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"(?:pagina|blz\.?|bladzijde|page|p\.)?\s*[-–]?\s*\d{1,4}\s*[-–]?"
    r"(?:\s*(?:van|/|of)\s*\d{1,4})?",
    re.IGNORECASE,
)
_MARKER = re.compile(r"[•●▪■◦○·*–—-]|\(?(?:\d{1,3}|[a-zA-Z]|[ivx]{1,4})[.)]")  # list bullets
_LIST_ITEM = re.compile(rf"(?:{_MARKER.pattern})(?:\s|$)")
_CONJUNCTIONS = frozenset({"en", "of", "tot", "noch", "t/m"})  # "gemeente- en provinciebestuur"
# A hyphen between these vowels is spelling, not a line break: "na-ijlen", "mede-eigenaar".
_VOWEL_CLASH = frozenset(
    ["aa", "ai", "au", "ee", "ei", "eu", "ie", "ii", "ij", "oe", "oi", "oo", "ou", "ui", "uu"]
)


@dataclass(slots=True)
class _Line:
    text: str
    bbox: BBox
    size: float  # font size of the line's longest span
    bold: bool  # every span is bold


@dataclass(slots=True)
class _Table:
    bbox: BBox
    markdown: str
    row_bboxes: tuple[BBox, ...]


@dataclass(slots=True)
class _RawPage:
    """A page before the document-wide passes (headers/footers, body font size)."""

    page: Page
    items: list[list[_Line] | _Table]  # MuPDF blocks and tables in reading order


def tesseract_available(language: str = "nld") -> bool:
    """True when Tesseract can OCR in ``language`` (e.g. "nld" or "nld+eng").

    Cached per language and ``TESSDATA_PREFIX``, which is honoured like PyMuPDF does: point
    it at a folder without ``nld.traineddata`` and OCR counts as unavailable.
    """
    return _tessdata(language, os.environ.get("TESSDATA_PREFIX")) is not None


@functools.cache
def _tessdata(language: str, prefix: str | None) -> str | None:
    """The tessdata folder that holds ``language``, None when it or the ``tesseract``
    program is missing."""
    try:
        folder = pymupdf.get_tessdata(prefix)  # else asks `tesseract --list-langs`
    except RuntimeError:
        return None
    # Check the files first: a failing Tesseract prints its own errors on stderr.
    if not all((Path(folder) / f"{lang}.traineddata").is_file() for lang in language.split("+")):
        return None
    if shutil.which("tesseract") is None:
        return None
    return folder


def _missing_ocr_warning(language: str) -> str:
    packages = " ".join(f"tesseract-ocr-{lang}" for lang in language.split("+"))
    return (
        f"OCR niet mogelijk: Tesseract met taal '{language}' ontbreekt, pagina's zonder "
        f"tekstlaag zijn overgeslagen. Installeer met: sudo apt-get install tesseract-ocr "
        f"{packages}"
    )


@functools.cache
def _log_once(message: str) -> None:
    logger.warning(message)


def parse_pdf(
    path: Path,
    *,
    ocr_language: str = "nld",
    ocr_dpi: int = 300,
    ocr: bool = True,
    cache: PipelineCache | None = None,
) -> ParsedDocument:
    """Read a PDF into pages of blocks. Raises InputError (one Dutch line) for unusable files.
    With a ``cache``, OCR output is reused for the same file bytes, page and settings."""
    path = Path(path)
    doc = _open(path)
    warnings: list[str] = []
    file_sha256: str | None = None
    with doc:
        has_labels = bool(doc.get_page_labels())  # get_label() per page costs more than this
        has_fields = bool(doc.is_form_pdf)  # widgets() per page costs more than this
        raw: list[_RawPage] = []
        for index in range(doc.page_count):
            try:
                page = doc.load_page(index)
                textpage = page.get_textpage(flags=_PAGE_FLAGS)
                content = textpage.extractDICT(sort=True)
                label = page.get_label() if has_labels else ""
            except _PDF_ERRORS as exc:
                raise InputError(_DAMAGED) from exc
            width, height = page.rect.width, page.rect.height
            if page.rotation % 180:  # text coordinates are those of the unrotated page
                width, height = height, width
            result = Page(index + 1, label, "", [], width, height)
            blocks = _attach_markers([_lines(b) for b in content["blocks"] if b["type"] == 0])
            if has_fields:
                blocks = _signature_stamps_last(page, blocks)
            items: list[list[_Line] | _Table]
            if _needs_ocr(page, blocks, pymupdf.Rect(0, 0, width, height)):
                cache_key = None
                if cache is not None:
                    file_sha256 = file_sha256 or hashlib.sha256(path.read_bytes()).hexdigest()
                    cache_key = cache.ocr_key(
                        file_sha256, index, ocr_language, ocr_dpi, _OCR_READER
                    )
                ocr_blocks, warning = _ocr(
                    page, result, ocr_language, ocr_dpi, enabled=ocr, cache=cache, key=cache_key
                )
                items = list(ocr_blocks)
                if warning and warning not in warnings:
                    warnings.append(warning)
            else:
                tables = _find_tables([b for b in content["blocks"] if b["type"] == 3], textpage)
                items = [lines for lines in _outside(blocks, tables) if lines]
                for table in tables:  # before the first block that starts below its top
                    at = next((i for i, it in enumerate(items) if _top(it) >= table.bbox[1]), None)
                    items.insert(len(items) if at is None else at, table)
            raw.append(_RawPage(result, items))
        metadata = {k: v.strip() for k, v in (doc.metadata or {}).items() if v and v.strip()}
    _drop_headers_and_footers(raw)
    body = _body_font_size(raw)
    return ParsedDocument(path, [_compose(r, body) for r in raw], metadata, warnings)


def _ocr(
    page: pymupdf.Page,
    result: Page,
    language: str,
    dpi: int,
    *,
    enabled: bool,
    cache: PipelineCache | None = None,
    key: str | None = None,
) -> tuple[list[list[_Line]], str | None]:
    """OCR blocks of a page without a text layer, or none and the reason as a warning."""
    cached = cache.ocr_blocks(key) if cache is not None and key and enabled else None
    if cached is not None:
        result.ocr = True
        return _ocr_lines(cached), None
    tessdata = _tessdata(language, os.environ.get("TESSDATA_PREFIX")) if enabled else None
    if tessdata is None:
        result.skipped = True
        if not enabled:
            return [], _OCR_OFF
        message = _missing_ocr_warning(language)
        _log_once(message)
        return [], message
    try:
        raw_blocks = _tesseract_blocks(page, language, dpi, tessdata)
    except (*_PDF_ERRORS, OSError, subprocess.SubprocessError) as exc:
        result.skipped = True
        return [], f"OCR mislukt op pagina {result.number}: {exc}"
    result.ocr = True
    if cache is not None and key:
        cache.store_ocr_blocks(key, raw_blocks)
    return _ocr_lines(raw_blocks), None


def _tesseract_blocks(
    page: pymupdf.Page, language: str, dpi: int, tessdata: str
) -> list[dict[str, Any]]:
    """The page's words as Tesseract reads them (its TSV: paragraphs, lines, word boxes),
    as the text blocks ``_lines`` reads, in page coordinates. Tesseract itself, not
    PyMuPDF's OCR text page: that one places glyphs from Tesseract's output and lost most
    spaces on the corpus's scans ("U exploiteert op hetadres Jodenbreestraatzzeenwinkel"
    where Tesseract reads "op het adres Jodenbreestraat zz een winkel")."""
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    command = ["tesseract", "stdin", "stdout", "-l", language, "--tessdata-dir", tessdata]
    read = subprocess.run(
        # One column of lines of any size, as a letter is: the automatic layout split a
        # letterhead's "Datum:" from its "0 9 AUG 2022" into blocks of their own.
        [*command, "--dpi", str(dpi), "--psm", "4", "tsv"],
        input=pixmap.tobytes("png"),
        capture_output=True,
        check=True,
        timeout=_OCR_TIMEOUT,
        # One thread: Tesseract's OpenMP threads made a page 4x slower on 2 cores (5.4 s
        # against 1.4 s at 300 dpi), and a server has other work for the other core.
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    scale = 72 / dpi
    to_page = page.derotation_matrix  # the pixmap shows the page as rotated for display
    paragraphs: dict[tuple[int, int], dict[int, list[tuple[str, pymupdf.Rect]]]] = {}
    for row in read.stdout.decode("utf-8", "replace").splitlines()[1:]:
        fields = row.split("\t")
        # level, page, block, paragraph, line, word, left, top, width, height, conf, text
        if len(fields) != 12 or fields[0] != "5" or not fields[11].strip():
            continue
        left, top, width, height = (int(value) * scale for value in fields[6:10])
        paragraph = paragraphs.setdefault((int(fields[2]), int(fields[3])), {})
        box = pymupdf.Rect(left, top, left + width, top + height)
        paragraph.setdefault(int(fields[4]), []).append((fields[11].strip(), box))
    shown: list[tuple[pymupdf.Rect, dict[str, Any]]] = []  # a block's first line, the block
    for lines in paragraphs.values():
        block_lines, boxes = [], []
        for words in lines.values():
            box = pymupdf.Rect(words[0][1])
            for _, word_box in words[1:]:
                box |= word_box
            text = " ".join(word for word, _ in words)
            span = {"text": text, "size": box.height, "flags": 0, "char_flags": 0}
            block_lines.append({"bbox": list(box * to_page), "spans": [span]})
            boxes.append(box)
        shown.append((boxes[0], {"lines": block_lines}))
    # Top to bottom as the page is read (before turning boxes back to the unrotated page),
    # and left to right where blocks start on one line, as MuPDF sorts a text layer:
    # Tesseract puts a fragment it split off a line ("Openbare Ruimte geconstate" | "rd dat
    # uw winkel …") after the paragraph below.
    shown.sort(key=lambda item: item[0].y0)
    rows: list[int] = []  # per block, the row of lines it starts on
    top = bottom = -1.0
    for line, _ in shown:
        if line.y0 >= (top + bottom) / 2:  # below the middle of the row's first line
            top, bottom = line.y0, line.y1
            rows.append(len(rows) and rows[-1] + 1)
        else:
            rows.append(rows[-1])
    order = sorted(range(len(shown)), key=lambda i: (rows[i], shown[i][0].x0))
    return [shown[i][1] for i in order]


def _ocr_lines(raw_blocks: list[dict[str, Any]]) -> list[list[_Line]]:
    blocks = [
        # OCR turns specks and rules into lines like "|" or "_—": drop them
        [line for line in _lines(block) if any(c.isalnum() for c in line.text)]
        for block in raw_blocks
    ]
    return _attach_markers([lines for lines in blocks if lines])


def _open(path: Path) -> pymupdf.Document:
    """Open ``path`` as a PDF or raise InputError saying why it cannot be read."""
    size = path.stat().st_size
    if size == 0:
        raise InputError("leeg bestand (0 bytes)")
    with path.open("rb") as file:
        head = file.read(1024)  # the spec allows the header anywhere in the first KB
        file.seek(max(0, size - 1024))
        tail = file.read()
    if b"%PDF-" not in head:
        raise InputError("geen PDF-bestand")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except _PDF_ERRORS as exc:
        raise InputError(_DAMAGED) from exc
    reason = ""
    if doc.needs_pass:
        reason = "PDF is met een wachtwoord beveiligd"
    elif doc.is_repaired and b"%%EOF" not in tail:
        # MuPDF silently rebuilds a truncated file from what is left: refuse it, its
        # last pages are missing. A repaired file that still ends properly is kept.
        reason = _DAMAGED
    elif doc.page_count == 0:
        reason = "PDF bevat geen pagina's"
    if reason:
        doc.close()
        raise InputError(reason)
    return doc


def _lines(block: dict[str, Any]) -> list[_Line]:
    lines = []
    for line in block["lines"]:
        spans = line["spans"]
        if not spans:
            continue
        text = "".join([s["text"] for s in spans]).strip() if len(spans) > 1 else spans[0]["text"]
        if not text or text.isspace():
            continue
        if "  " in text or text[0] == " " or text[-1] == " ":
            text = " ".join(text.split())
        main = max(spans, key=lambda s: len(s["text"])) if len(spans) > 1 else spans[0]
        bold = all(s["flags"] & _BOLD or s["char_flags"] & 8 or s["text"].isspace() for s in spans)
        lines.append(_Line(text, tuple(line["bbox"]), main["size"], bold))
    return lines


def _same_row(left: _Line, right: _Line) -> bool:
    """``right`` continues ``left`` on the same text line."""
    return (
        right.bbox[1] < left.bbox[3] - 1
        and left.bbox[1] < right.bbox[3] - 1
        and right.bbox[0] >= left.bbox[2] - 1
    )


def _attach_markers(blocks: list[list[_Line]]) -> list[list[_Line]]:
    """Put a list bullet that MuPDF gave a block of its own in front of its item."""
    result: list[list[_Line]] = []
    for lines in blocks:
        before = result[-1] if result else []
        if (
            lines
            and len(before) == 1
            and _MARKER.fullmatch(before[0].text)
            and _same_row(before[0], lines[0])
        ):
            marker, first = before[0], lines[0]
            box = (
                marker.bbox[0],
                min(marker.bbox[1], first.bbox[1]),
                first.bbox[2],
                max(marker.bbox[3], first.bbox[3]),
            )
            merged = _Line(f"{marker.text} {first.text}", box, first.size, first.bold)
            result[-1] = [merged, *lines[1:]]
        else:
            result.append(lines)
    return result


def _signature_stamps_last(page: pymupdf.Page, blocks: list[list[_Line]]) -> list[list[_Line]]:
    """A digital signature's stamp ("ValidSigned door De Griffier … op 18-02-2025", the
    text of a signature field) as one block after the page's text. MuPDF sorts blocks by
    their bottom edge, and the stamp ends above the paragraph it is drawn beside: it cut
    "… voor de kosten van het referendum te" from its "treffen." in every quote."""
    fields = [
        widget.rect
        for widget in page.widgets(types=[pymupdf.mupdf.PDF_WIDGET_TYPE_SIGNATURE])
        if not widget.rect.is_empty
    ]
    if not fields:
        return blocks

    def in_field(line: _Line) -> bool:
        middle = pymupdf.Point((line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2)
        return any(middle in rect for rect in fields)

    kept = [lines for lines in blocks if not lines or not all(map(in_field, lines))]
    stamp = [line for lines in blocks if lines and all(map(in_field, lines)) for line in lines]
    return [*kept, stamp] if stamp else blocks


def _needs_ocr(page: pymupdf.Page, blocks: list[list[_Line]], rect: pymupdf.Rect) -> bool:
    """No (or almost no) text but an image over a good part of the page: a scan.
    ``rect`` is the unrotated page, the space image boxes are given in."""
    chars = 0
    for lines in blocks:
        chars += sum(len(line.text) - line.text.count(" ") for line in lines)
        if chars >= _MIN_TEXT_CHARS:  # the usual case, decided by the first block or two
            return False
    covered = sum(abs(pymupdf.Rect(image["bbox"]) & rect) for image in page.get_image_info())
    return abs(rect) > 0 and covered >= _MIN_IMAGE_SHARE * abs(rect)


def _top(item: list[_Line] | _Table) -> float:
    return item.bbox[1] if isinstance(item, _Table) else item[0].bbox[1]


def _outside(blocks: list[list[_Line]], tables: list[_Table]) -> list[list[_Line]]:
    """The blocks without the lines that a table block already holds."""
    if not tables:
        return blocks

    def inside(box: BBox) -> bool:
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return any(t[0] - 1 <= x <= t[2] + 1 and t[1] - 1 <= y <= t[3] + 1 for t in boxes)

    boxes = [table.bbox for table in tables]
    return [[line for line in lines if not inside(line.bbox)] for lines in blocks]


# --- tables: a grid of ruling lines with text in at least 2 rows and 2 columns ---------

Segment = tuple[float, float, float]  # position across, start, end along the line


def _find_tables(vectors: list[dict[str, Any]], textpage: pymupdf.TextPage) -> list[_Table]:
    horizontal, vertical = _rulings(vectors)
    if len(horizontal) < 3 or len(vertical) < 3:  # cheap exit: no 2×2 grid possible
        return []
    tables = []
    words: list[tuple[Any, ...]] | None = None
    for hs, vs in _grids(horizontal, vertical):
        if len(hs) < 3 or len(vs) < 3:  # a 2×2 grid needs 3 rulings each way
            continue
        if words is None:  # same TextPage, only on pages with a grid
            words = textpage.extractWORDS()
        table = _table(hs, vs, words)
        if table:
            tables.append(table)
    return tables


def _rulings(vectors: list[dict[str, Any]]) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical ruling lines from thin paths and the sides of rectangles."""
    horizontal: list[Segment] = []
    vertical: list[Segment] = []
    for vector in vectors:
        if not vector["stroked"] and vector["color"] == 0xFFFFFF:
            continue  # white fills (e.g. behind each text line) draw no visible line
        x0, y0, x1, y1 = vector["bbox"]
        if y1 - y0 <= _SNAP < x1 - x0:
            horizontal.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= _SNAP < y1 - y0:
            vertical.append(((x0 + x1) / 2, y0, y1))
        elif vector["isrect"] and x1 - x0 > _SNAP and y1 - y0 > _SNAP:  # a cell or frame
            horizontal += [(y0, x0, x1), (y1, x0, x1)]
            vertical += [(x0, y0, y1), (x1, y0, y1)]
    return _merge(horizontal), _merge(vertical)


def _merge(segments: list[Segment]) -> list[Segment]:
    """Snap nearly collinear segments together and join the ones that touch."""
    merged: list[Segment] = []
    segments.sort()
    group: list[Segment] = []
    for segment in [*segments, (float("inf"), 0.0, 0.0)]:
        if group and segment[0] - group[0][0] > _SNAP:
            at = sum(s[0] for s in group) / len(group)
            start, end = group[0][1], group[0][2]
            for _, s0, s1 in sorted(group, key=lambda s: s[1])[1:]:
                if s0 > end + _SNAP:
                    merged.append((at, start, end))
                    start = s0
                end = max(end, s1)
            merged.append((at, start, end))
            group = []
        group.append(segment)
    return merged


def _grids(
    horizontal: list[Segment], vertical: list[Segment]
) -> list[tuple[list[Segment], list[Segment]]]:
    """Connected sets of crossing rulings (union-find over the crossings)."""
    parent = list(range(len(horizontal) + len(vertical)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    xs = [v[0] for v in vertical]  # sorted by _merge
    for i, (y, x0, x1) in enumerate(horizontal):
        for j in range(bisect_right(xs, x0 - _SNAP - 1e-9), bisect_right(xs, x1 + _SNAP)):
            _, y0, y1 = vertical[j]
            if y0 - _SNAP <= y <= y1 + _SNAP:
                parent[root(i)] = root(len(horizontal) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = defaultdict(lambda: ([], []))
    for i, segment in enumerate(horizontal):
        groups[root(i)][0].append(segment)
    for j, segment in enumerate(vertical):
        groups[root(len(horizontal) + j)][1].append(segment)
    return list(groups.values())


def _table(hs: list[Segment], vs: list[Segment], words: list[tuple[Any, ...]]) -> _Table | None:
    """Words into the grid's cells; a row's cells end only where a ruling crosses that row,
    so the text of merged cells stays together."""
    ys = sorted({h[0] for h in hs})
    xs = sorted({v[0] for v in vs})
    if len(ys) < 3 or len(xs) < 3:
        return None
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    bounds = []
    for top, bottom in pairwise(ys):
        middle = (top + bottom) / 2
        bounds.append(sorted({x for x, y0, y1 in vs if y0 - _SNAP <= middle <= y1 + _SNAP}))
    cells: dict[tuple[int, int], list[tuple[Any, ...]]] = defaultdict(list)
    for word in words:
        x, y = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
        if not (bbox[0] < x < bbox[2] and bbox[1] < y < bbox[3]):
            continue
        row = bisect_right(ys, y) - 1
        k = bisect_right(bounds[row], x) - 1
        if 0 <= k < len(bounds[row]) - 1:
            column = xs.index(bounds[row][k])
        else:  # a row the rulings only partly cross: the full grid's column, lose no text
            column = bisect_right(xs, x) - 1
        cells[row, column].append(word)
    rows = sorted({r for r, _ in cells})
    columns = sorted({c for _, c in cells})
    if len(rows) < 2 or len(columns) < 2:
        return None

    def text(row: int, column: int) -> str:
        found = sorted(cells.get((row, column), []), key=lambda w: (w[5], w[6], w[7]))
        return " ".join(w[4] for w in found).replace("|", "\\|")

    grid = [[text(r, c) for c in columns] for r in rows]
    markdown = "\n".join(
        [
            "|" + "|".join(grid[0]) + "|",
            "|" + "|".join("---" for _ in columns) + "|",
            *("|" + "|".join(row) + "|" for row in grid[1:]),
        ]
    )
    row_bboxes = tuple((bbox[0], ys[r], bbox[2], ys[r + 1]) for r in rows)
    return _Table(bbox, markdown, row_bboxes)


# --- document-wide passes and block building --------------------------------------------


def _drop_headers_and_footers(raw: list[_RawPage]) -> None:
    """Remove margin lines that repeat on half the pages (digits ignored) and bare page
    numbers in the margins. Page 1 keeps its copy of a repeated line: a letterhead there
    ("Gemeente Den Haag", "Ons kenmerk ...") is what metadata extraction and readers need."""
    margins: list[list[tuple[_Line, str]]] = []
    for r in raw:
        top, bottom = _MARGIN * r.page.height * 2, (1 - _MARGIN) * r.page.height * 2
        margins.append(
            [
                (line, _DIGITS.sub("#", line.text.lower()))
                for item in r.items
                if not isinstance(item, _Table)
                for line in item
                if not top < line.bbox[1] + line.bbox[3] < bottom  # middle, doubled
            ]
        )
    counts = Counter(key for lines in margins for key in {key for _, key in lines})
    repeated = {k for k, n in counts.items() if 2 * n >= len(raw)} if len(raw) >= 3 else set()
    for index, (r, lines) in enumerate(zip(raw, margins, strict=True)):
        drop = {
            id(line)
            for line, key in lines
            if (index and key in repeated) or _PAGE_NUMBER.fullmatch(line.text)
        }
        if drop:
            items = [
                item if isinstance(item, _Table) else [ln for ln in item if id(ln) not in drop]
                for item in r.items
            ]
            r.items = [item for item in items if item]


def _body_font_size(raw: list[_RawPage]) -> float:
    """The most common font size, weighted by characters."""
    sizes: Counter[float] = Counter()
    for r in raw:
        for item in r.items:
            if not isinstance(item, _Table):
                for line in item:
                    sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _compose(raw: _RawPage, body: float) -> Page:
    """Blocks with offsets into the page text; a block is split where heading style starts
    or ends (MuPDF often keeps a heading and its paragraph in one block)."""
    page = raw.page
    large = body * (_OCR_HEADING_SCALE if page.ocr else _HEADING_SCALE)
    offset = 0
    for item in raw.items:
        if isinstance(item, _Table):
            groups: list[tuple[str, BlockKind, tuple[BBox, ...]]] = [
                (item.markdown, "table", item.row_bboxes)
            ]
        else:
            groups = []
            start = 0
            styles = [line.bold or line.size >= large for line in item]
            for i in range(len(item) - 2, -1, -1):  # a bullet takes the style of its text
                if len(item[i].text) <= 3 and not any(c.isalnum() for c in item[i].text):
                    styles[i] = styles[i + 1]
            for i in range(1, len(item) + 1):
                if i == len(item) or styles[i] != styles[i - 1]:
                    groups.append(_part(item[start:i], styles[i - 1], large))
                    start = i
        for text, kind, boxes in groups:
            x0, y0, x1, y1 = boxes[0]
            for box in boxes[1:]:
                x0, y0, x1, y1 = min(x0, box[0]), min(y0, box[1]), max(x1, box[2]), max(y1, box[3])
            end = offset + len(text)
            page.blocks.append(TextBlock(text, offset, end, kind, (x0, y0, x1, y1), boxes))
            offset = end + 2
    page.text = "\n\n".join([block.text for block in page.blocks])
    return page


def _part(
    lines: list[_Line], heading_style: bool, large: float
) -> tuple[str, BlockKind, tuple[BBox, ...]]:
    text = _join(lines) if len(lines) > 1 else lines[0].text
    # a heading: larger than the body font, or bold, short and without closing punctuation
    heading = (
        heading_style
        and len(lines) <= 3
        and len(text) <= 200
        and any(c.isalpha() for c in text)
        and (lines[0].size >= large or (len(lines) <= 2 and not text.endswith(_SENTENCE_END)))
    )
    kind: BlockKind = "heading" if heading else "paragraph"
    return text, kind, tuple([line.bbox for line in lines])


def _join(lines: list[_Line]) -> str:
    """The lines of one block as text: words broken at a line end are joined, a line that
    ends well before the block's right edge or a list item starts a new line, the rest is
    joined with spaces."""
    left = min(line.bbox[0] for line in lines)
    right = max(line.bbox[2] for line in lines)
    short = right - max(40.0, 0.2 * (right - left))
    text = lines[0].text
    for prev, line in pairwise(lines):
        following = line.text
        first = following.split(" ", 1)[0]
        same_row = _same_row(prev, line)
        if text.endswith("\u00ad"):  # soft hyphen: always a word break
            text = text[:-1] + following
        elif (
            text.endswith("-")
            and text[-2:-1].isalpha()
            and following[:1].isalpha()
            and first not in _CONJUNCTIONS
        ):
            # "beleids-" + "kader" → "beleidskader"; keep the hyphen in "Noord-Holland",
            # "BTW-nummer" and "na-ijlen"
            keep = (
                following[0].isupper()
                or not text[-2].islower()
                or (text[-2] + following[0]).lower() in _VOWEL_CLASH
            )
            text = (text if keep else text[:-1]) + following
        elif not same_row and (prev.bbox[2] < short or _LIST_ITEM.match(following)):
            text += "\n" + following
        else:
            text += " " + following
    return text
