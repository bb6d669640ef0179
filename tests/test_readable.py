"""Table rows, stored as Markdown cells, read as their cells wherever text is shown."""

from __future__ import annotations

from raadsinzicht.readable import readable


def test_table_rows_read_as_their_cells() -> None:
    assert readable("|321257|Motie T.1 VVD Pilot kabelgoottegels|Verworpen|") == (
        "321257 · Motie T.1 VVD Pilot kabelgoottegels · Verworpen"
    )
    # Empty cells and the header rule are left out; an escaped bar inside a cell is a bar.
    assert readable("|Kolom|Waarde|\n|---|---|\n|L||\n|a \\| b|c|") == (
        "Kolom · Waarde\nL\na | b · c"
    )
    # Quotes joined with " … " (the page preview's passage) stay apart.
    assert readable("|1|Motie A|Aangenomen| … |2|Motie B|Verworpen|") == (
        "1 · Motie A · Aangenomen … 2 · Motie B · Verworpen"
    )
    # Text that is no table is left as it is, a bar in a sentence too.
    for text in ("Gewone zin.", "Een | los streepje", "**vet** en |"):
        assert readable(text) == text
