"""Page previews: one PDF page rendered as an image (JPEG, or PNG for exact pixels) with
passages highlighted.

The highlight is drawn on an in-memory copy of the document (opened from its bytes and
never saved), so the source PDF is never modified. Boxes are the line boxes stored with
each chunk, in PDF points of the unrotated page (as PyMuPDF extracts and draws them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Literal

import pymupdf

from .child import ChildProcess
from .errors import InputError

__all__ = ["HIGHLIGHT_FILL", "HIGHLIGHT_MARK", "RenderProcess", "boxes_on_page", "render_page"]

Box = tuple[float, float, float, float]
ImageFormat = Literal["jpeg", "png"]

HIGHLIGHT_FILL = (1.0, 0.84, 0.0)  # marker yellow, drawn semi-transparent over the text
HIGHLIGHT_MARK = (0.78, 0.16, 0.0)  # dark orange bar in the margin: visible without colour
_FILL_OPACITY = 0.38
_PAD = 1.5  # points around each line box
_MAX_PIXELS = 2400  # longest side of the image; huge pages are rendered at a lower dpi
# Pillow's JPEG encoder took 5 ms for a corpus page at 110 dpi where MuPDF's PNG took 32 of
# the preview's 56 ms (30 corpus pages, this machine); at this quality text and highlight
# look the same on screen, and the files were smaller (160 against 212 KB on average).
_JPEG_QUALITY = 85


def boxes_on_page(boxes: Iterable[Sequence[float]], page: int) -> list[Box]:
    """The (x0, y0, x1, y1) of the stored ``(page, x0, y0, x1, y1)`` boxes on ``page``."""
    return [
        (float(b[1]), float(b[2]), float(b[3]), float(b[4]))
        for b in boxes
        if len(b) == 5 and int(b[0]) == page
    ]


def render_page(
    pdf: Path,
    page: int,
    boxes: Iterable[Sequence[float]] = (),
    *,
    dpi: int = 110,
    image_format: ImageFormat = "jpeg",
) -> bytes:
    """JPEG (or PNG) bytes of physical page ``page`` (1-based) of ``pdf`` with ``boxes``
    ((x0, y0, x1, y1) in PDF points) highlighted."""
    try:
        data = Path(pdf).read_bytes()
    except OSError as exc:
        raise InputError(f"{Path(pdf).name}: kan niet gelezen worden ({exc.strerror})") from exc
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise InputError(f"{Path(pdf).name}: geen leesbare PDF") from exc
    with doc:
        if not 1 <= page <= doc.page_count:
            raise InputError(f"{Path(pdf).name}: pagina {page} bestaat niet (1-{doc.page_count})")
        sheet = doc.load_page(page - 1)
        rects = [
            pymupdf.Rect(x0 - _PAD, y0 - _PAD, x1 + _PAD, y1 + _PAD)
            for x0, y0, x1, y1 in (tuple(map(float, box)) for box in boxes)
            if x1 > x0 and y1 > y0
        ]
        if rects:
            # One shape, committed once: each commit rewrites the page's content stream
            # (a draw_rect per line cost a third of a preview's CPU on long passages).
            shape = sheet.new_shape()
            for rect in rects:
                shape.draw_rect(rect)
            shape.finish(color=None, fill=HIGHLIGHT_FILL, fill_opacity=_FILL_OPACITY)
            # A bar in the left margin next to the passage, for readers who cannot tell
            # the yellow apart (and on dark scans, where yellow hardly shows).
            left = max(min(r.x0 for r in rects) - 8, 2)
            top, bottom = min(r.y0 for r in rects), max(r.y1 for r in rects)
            shape.draw_line((left, top), (left, bottom))
            shape.finish(color=HIGHLIGHT_MARK, width=3)
            shape.commit(overlay=True)
        longest = max(sheet.rect.width, sheet.rect.height) or 1.0
        dpi = max(36, min(dpi, int(_MAX_PIXELS * 72 / longest)))
        pixmap = sheet.get_pixmap(dpi=dpi, alpha=False)
        if image_format == "png":
            return pixmap.tobytes("png")
        return pixmap.pil_tobytes(format="JPEG", quality=_JPEG_QUALITY)


class RenderProcess:
    """``render_page`` in a child process. MuPDF holds Python's global lock for a whole
    render (40 ms for a page at 110 dpi here): in the web app, where every search is
    followed by the preview of its first result, the other users' searches waited for it
    (20 users during an ingest: search p95 180 ms without previews, 650 ms with them
    rendered in the app's process; eval/bench_load.py). A crashed child is replaced once
    per call."""

    def __init__(self) -> None:
        self._child = ChildProcess()

    def render(
        self, pdf: Path, page: int, boxes: Iterable[Sequence[float]] = (), *, dpi: int = 110
    ) -> bytes:
        """As ``render_page`` (a JPEG); its errors are raised here."""
        boxes = [tuple(map(float, box)) for box in boxes]
        for _attempt in range(2):
            pool = self._child.pool()
            try:
                return pool.submit(render_page, Path(pdf), page, boxes, dpi=dpi).result()
            except BrokenProcessPool:
                self._child.stop(pool, wait=False)
        raise InputError(f"{Path(pdf).name}: pagina {page} kon niet getoond worden")

    def close(self) -> None:
        self._child.stop()
