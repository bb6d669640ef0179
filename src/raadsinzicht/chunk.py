"""Pages → chunks. Structure-aware: a chunk never crosses documents, starts at a heading
when it can, ends at block (paragraph/table) boundaries, and splits an over-long block
only between sentences (llama-index's SentenceSplitter). Each chunk remembers exactly
where its text lives: page numbers, character offsets in the page text, line boxes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .settings import ChunkingSettings

if TYPE_CHECKING:  # llama-index takes seconds to import: only when a block must be split
    from llama_index.core.node_parser import SentenceSplitter

    from .index.catalog import ChunkRecord
    from .parse import BBox, PageText, ParsedDocument, TextBlock

__all__ = [
    "Chunk",
    "PageSpan",
    "chunk_document",
    "estimate_tokens",
    "page_blocks",
    "page_texts",
    "token_limit_offset",
]

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_LONG_WORD = 7


def estimate_tokens(text: str) -> int:
    """Approximate XLM-R (multilingual-e5) token count, ~100x faster than tokenizing.

    Dutch words average ~1.4 sentencepiece tokens; long compounds split into more.
    """
    count = 0
    for match in _TOKEN_RE.finditer(text):
        word = match.group()
        count += 1 + len(word) // _LONG_WORD
    return count


def token_limit_offset(text: str, max_tokens: int) -> int | None:
    """The offset of the first word beyond ``max_tokens`` (estimated as above); None when
    all of ``text`` fits."""
    count = 0
    for match in _TOKEN_RE.finditer(text):
        count += 1 + len(match.group()) // _LONG_WORD
        if count > max_tokens:
            return match.start()
    return None


@dataclass(frozen=True, slots=True)
class PageSpan:
    page: int  # 1-based physical page
    start: int  # character offsets in Page.text
    end: int


@dataclass(slots=True)
class Chunk:
    seq: int
    text: str
    spans: list[PageSpan]
    boxes: list[tuple[int, BBox]]  # (page, line box) for highlighting
    tokens: int
    heading: str = ""  # the nearest heading above the chunk's start
    # (offset in ``text``, boundary index) wherever a new segment (e.g. a speaker turn)
    # begins, the first at offset 0; -1 is the stretch before the first boundary. Empty
    # when the document has no boundaries.
    segments: list[tuple[int, int]] = field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        return sorted({span.page for span in self.spans})


@dataclass(slots=True)
class _Unit:
    """A piece of one block: the smallest thing a chunk is made of."""

    page: int
    start: int
    end: int
    text: str
    kind: str
    boxes: list[BBox]
    tokens: int
    heading: str = field(default="")


@cache
def _sentence_splitter(chunk_size: int, overlap: int) -> SentenceSplitter:
    from llama_index.core.node_parser import SentenceSplitter

    # Our own token counter: llama-index's default (tiktoken) is neither E5's tokenizer nor fast.
    tokenizer: Callable[[str], list[str]] = _TOKEN_RE.findall
    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=overlap, tokenizer=tokenizer)


def _line_boxes_for(block: TextBlock, start: int, end: int) -> list[BBox]:
    """Line boxes covering block-relative [start, end): lines are assumed evenly filled."""
    lines = block.line_bboxes or (block.bbox,)
    length = max(len(block.text), 1)
    first = min(int(start / length * len(lines)), len(lines) - 1)
    last = min(int(max(end - 1, start) / length * len(lines)), len(lines) - 1)
    return list(lines[first : last + 1])


def _units(document: ParsedDocument, settings: ChunkingSettings) -> Iterator[_Unit]:
    heading = ""
    for page in document.pages:
        for block in page.blocks:
            if not block.text.strip():
                continue
            if block.kind == "heading":
                heading = block.text.strip()
            tokens = estimate_tokens(block.text)
            if tokens <= settings.max_tokens:
                yield _Unit(
                    page.number,
                    block.start,
                    block.end,
                    block.text,
                    block.kind,
                    list(block.line_bboxes or (block.bbox,)),
                    tokens,
                    heading,
                )
                continue
            splitter = _sentence_splitter(settings.target_tokens, settings.overlap_tokens)
            cursor = 0
            for piece in splitter.split_text(block.text):
                found = block.text.find(piece, cursor)
                offset = found if found >= 0 else cursor
                cursor = offset + 1
                yield _Unit(
                    page.number,
                    block.start + offset,
                    block.start + offset + len(piece),
                    piece,
                    block.kind,
                    _line_boxes_for(block, offset, offset + len(piece)),
                    estimate_tokens(piece),
                    heading,
                )


def _tail_overlap(unit: _Unit, budget: int) -> _Unit | None:
    """The last sentences of ``unit`` within ``budget`` tokens, carried into the next chunk."""
    if budget <= 0 or unit.kind == "table":
        return None
    if unit.tokens <= budget:
        return unit
    boundaries = [m.end() for m in re.finditer(r"[.!?;:]\s+", unit.text)]
    for cut in boundaries:
        tail = unit.text[cut:]
        if estimate_tokens(tail) <= budget:
            if not tail.strip():
                return None
            share = cut / max(len(unit.text), 1)
            first_box = min(int(share * len(unit.boxes)), max(len(unit.boxes) - 1, 0))
            return _Unit(
                unit.page,
                unit.start + cut,
                unit.end,
                tail,
                unit.kind,
                unit.boxes[first_box:],
                estimate_tokens(tail),
                unit.heading,
            )
    return None


def _make_chunk(seq: int, units: list[_Unit], starts: Sequence[tuple[int, int]] = ()) -> Chunk:
    spans: list[PageSpan] = []
    for unit in units:
        last = spans[-1] if spans else None
        if last and last.page == unit.page and unit.start <= last.end + 2:
            spans[-1] = PageSpan(unit.page, last.start, max(last.end, unit.end))
        else:
            spans.append(PageSpan(unit.page, unit.start, unit.end))
    texts = [unit.text.strip() for unit in units]
    segments: list[tuple[int, int]] = []
    offset = 0  # of the unit's text in the chunk text
    for unit, text in zip(units, texts, strict=True):
        # ``unit.text`` is ``page.text[unit.start:unit.end]``: a boundary inside it maps
        # to an exact offset in the chunk text.
        first = unit.start + len(unit.text) - len(unit.text.lstrip())
        segment = bisect.bisect_right(starts, (unit.page, first)) - 1
        if starts and (not segments or segments[-1][1] != segment):
            segments.append((offset, segment))
        inside = bisect.bisect_left(starts, (unit.page, first + len(text)))
        for index in range(segment + 1, inside):
            segments.append((offset + starts[index][1] - first, index))
        offset += len(text) + 2  # units are joined by "\n\n"
    return Chunk(
        seq=seq,
        text="\n\n".join(texts),
        spans=spans,
        boxes=[(unit.page, box) for unit in units for box in unit.boxes],
        tokens=sum(unit.tokens for unit in units),
        heading=units[0].heading,
        segments=segments,
    )


def chunk_document(
    document: ParsedDocument,
    settings: ChunkingSettings,
    *,
    boundaries: Sequence[tuple[int, int]] = (),
) -> list[Chunk]:
    """Split one parsed document into chunks of roughly target..max tokens.

    ``boundaries`` are (page, offset in page text) positions where a segment starts, such
    as a speaker turn in minutes. They are structure, not chunk boundaries: the chunks are
    the same as without them (chunking per speaker turn made hundreds of tiny chunks and
    cost retrieval quality), and each chunk's ``segments`` say where in its text each
    segment it holds begins."""
    starts = sorted(boundaries)
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    current_tokens = 0
    fresh = 0  # units in ``current`` that are not overlap from the previous chunk

    def flush(*, overlap: bool = True) -> None:
        nonlocal current, current_tokens, fresh
        # A heading never ends a chunk: it moves on with the text it introduces.
        headings: list[_Unit] = []
        while len(current) > 1 and current[-1].kind == "heading":
            headings.insert(0, current.pop())
            fresh -= 1
        if fresh > 0:
            groups.append(current)
            carry = _tail_overlap(current[-1], settings.overlap_tokens)
            current = ([carry] if carry and overlap and not headings else []) + headings
        else:
            current = headings
        fresh = len(headings)
        current_tokens = sum(unit.tokens for unit in current)

    for unit in _units(document, settings):
        starts_section = unit.kind == "heading" and current_tokens >= settings.min_tokens
        if starts_section:
            flush(overlap=False)  # no overlap across a section boundary
        elif fresh and current_tokens + unit.tokens > settings.max_tokens:
            flush()
        current.append(unit)
        current_tokens += unit.tokens
        fresh += 1
        if current_tokens >= settings.target_tokens and unit.kind != "heading":
            flush()
    if fresh:
        groups.append(current)

    # A tiny last chunk reads better merged into its predecessor when that still fits.
    if len(groups) >= 2:
        last_tokens = sum(u.tokens for u in groups[-1])
        prev_tokens = sum(u.tokens for u in groups[-2])
        if (
            last_tokens < settings.min_tokens // 2
            and prev_tokens + last_tokens <= settings.max_tokens
        ):
            tail = [u for u in groups.pop() if u not in groups[-1]]
            groups[-1].extend(tail)
    return [_make_chunk(seq, units, starts) for seq, units in enumerate(groups)]


def page_texts(chunks: Sequence[ChunkRecord]) -> dict[int, str]:
    """A document's page texts, rebuilt from its chunks' spans.

    Each span is (page, start, end) in the parser's page text and its text is the next
    ``end - start`` characters of the chunk text (spans are joined by a blank line, as
    ``retrieve.best_page`` assumes). Overlapping spans (chunk overlap) are cut where the
    previous one ended, so every part of a page appears once.
    """
    pieces: dict[int, list[tuple[int, int, str]]] = {}
    for chunk in chunks:
        offset = 0
        for page, start, end in chunk.spans:
            length = end - start
            pieces.setdefault(page, []).append((start, end, chunk.text[offset : offset + length]))
            offset += length + 2
    pages: dict[int, str] = {}
    for page, spans in pieces.items():
        parts: list[str] = []
        covered = 0
        for start, end, text in sorted(spans, key=lambda span: (span[0], -span[1])):
            if end <= covered:
                continue
            parts.append(text[max(0, covered - start) :].strip())
            covered = end
        pages[page] = "\n\n".join(part for part in parts if part)
    return pages


def page_blocks(chunks: Sequence[ChunkRecord]) -> list[PageText]:
    """``page_texts`` in page order, as the pieces summaries and the bezwaar intake read."""
    from .parse import PageText  # PyMuPDF: not for the chunker's other callers

    return [PageText(page, text) for page, text in sorted(page_texts(chunks).items()) if text]
