"""How a passage's stored text reads for a person. A table row is stored as Markdown cells
("|321257|Motie T.1 VVD Pilot kabelgoottegels|Verworpen|", see ``parse``); shown, it is
its cells: "321257 · Motie T.1 VVD Pilot kabelgoottegels · Verworpen". Display only: a
quote keeps its verbatim text, offsets and page boxes for highlighting and scoring."""

from __future__ import annotations

import re

__all__ = ["readable"]

_CELLS = re.compile(r"(?<!\\)\|[^\n]*(?<!\\)\|")  # a line part between two cell borders
_BORDER = re.compile(r"\s*(?<!\\)\|\s*")
_RULE = re.compile(r"[\s|:-]*-{3}[\s|:-]*")  # the header rule: |---|---|


def readable(text: str) -> str:
    """``text`` with its table rows as cells joined by " · " (empty cells and header rules
    left out); other text as it is."""
    if "|" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        if _RULE.fullmatch(line):
            continue
        if _CELLS.search(line):
            cells = (cell.replace("\\|", "|") for cell in _BORDER.split(line))
            # Quotes joined with " … " stay so.
            line = " · ".join(cell for cell in cells if cell).replace(" · … · ", " … ")
        lines.append(line)
    return "\n".join(lines)
