"""Real PDFs made with PyMuPDF for edge cases (no mocks of the parser)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pymupdf


def write_pdf(
    path: Path,
    pages: Sequence[str],
    *,
    title: str | None = None,
    headings: Mapping[int, str] | None = None,
) -> Path:
    """A text PDF with one string per page (a first line ending without '.' is a heading);
    ``title`` in large bold on page 1, ``headings`` (page number -> text) in bold above a
    page's text."""
    doc = pymupdf.open()
    for number, text in enumerate(pages, start=1):
        page = doc.new_page(width=595, height=842)
        y = 72.0
        if title and number == 1:
            page.insert_text((72, y), title, fontsize=18, fontname="hebo")
            y += 36
        if headings and number in headings:
            page.insert_text((72, y), headings[number], fontsize=11, fontname="hebo")
            y += 24
        rect = pymupdf.Rect(72, y, 523, 770)
        if page.insert_textbox(rect, text, fontsize=10, fontname="helv") < 0:
            raise ValueError(f"text of page {number} does not fit the page")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def motie_text(subject: str, party: str, extra: str = "") -> str:
    return (
        f"Motie {subject}\n\nDe raad, in vergadering bijeen op 13 maart 2025, "
        f"constaterende dat {subject} de inwoners van de gemeente raakt, "
        f"verzoekt het college om {subject} te onderzoeken en de raad te informeren. "
        f"{extra}\n\nen gaat over tot de orde van de dag.\n\n{party}"
    )


def long_text(topic: str, paragraphs: int = 4) -> list[str]:
    """Several pages of distinct Dutch sentences about ``topic``."""
    sentence = (
        f"Het college rapporteert over {topic} in paragraaf {{n}}. De gemeente onderzoekt "
        f"de gevolgen voor bewoners, ondernemers en het budget van jaar {{n}}. "
    )
    return [
        "\n\n".join(sentence.format(n=f"{page}.{p}") * 4 for p in range(paragraphs))
        for page in range(1, 4)
    ]
