"""Lakken: after redaction the personal data cannot be extracted from the output by any
text extraction PyMuPDF offers, nor found in the file's streams, while the rest of the
page survives in place; each box carries its Woo ground and the report says what and why."""

from __future__ import annotations

import csv
import html
import re
import time
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from raadsinzicht import privacy
from raadsinzicht.cli import app
from raadsinzicht.engine import build_engine
from raadsinzicht.errors import InputError, RaadsinzichtError
from raadsinzicht.redact import RedactionReport, redact_pdf

from .letters import LETTER_FONT_SIZE, write_letter

PERSON = "Hendrika Zwanenburg-Okafor"
SECRETS = [
    PERSON,
    "Populierenlaan 17",
    "2341 KT Oegstgeest",
    "111222333",
    "NL91 ABNA 0417 1643 00",
    "06-44556677",
    "h.zwanenburg@ziggo.nl",
    "14 februari 1961",
    "12-ABC-3",
]
SURVIVORS = [
    "Bezwaarschrift",
    "omgevingsvergunning",
    "gelijkheidsbeginsel",
    "Z-2025-004512",
    "13 maart 2025",
    "Geacht college",
    "Aan het college van burgemeester en wethouders van Leiden",
]


@pytest.fixture(scope="session")
def detector() -> float:
    started = time.perf_counter()
    privacy.load_detector()
    return time.perf_counter() - started


def letter_pdf(path: Path) -> Path:
    """A two-page objection letter with an embedded font, like real office documents."""
    pages = [
        f"{PERSON}\nPopulierenlaan 17\n2341 KT Oegstgeest\n\n"
        "Aan het college van burgemeester en wethouders van Leiden\n\n"
        "Oegstgeest, 2 april 2025\n\nBetreft: Bezwaarschrift omgevingsvergunning\n\n"
        "Geacht college,\n\nHierbij maak ik bezwaar tegen uw besluit van 13 maart 2025 met "
        "kenmerk Z-2025-004512. Mijn burgerservicenummer is 111222333 en ik ben geboren op "
        "14 februari 1961. U kunt mij bellen op 06-44556677 of mailen naar "
        "h.zwanenburg@ziggo.nl.\n\nDe weigering is in strijd met het gelijkheidsbeginsel.",
        "Kosten kunnen worden overgemaakt op NL91 ABNA 0417 1643 00. Mijn auto met kenteken "
        f"12-ABC-3 staat voor de deur.\n\nMet vriendelijke groet,\n\n{PERSON}",
    ]
    return write_letter(path, pages, metadata={"author": PERSON, "title": f"Bezwaar {PERSON}"})


def _extractions(page: pymupdf.Page) -> dict[str, str]:
    """The page's text by every extraction mode, as plain text."""
    raw = page.get_text("rawdict")
    rawtext = "\n".join(
        "".join(c["c"] for span in line["spans"] for c in span["chars"])
        for block in raw["blocks"]
        for line in block.get("lines", [])
    )
    xml = page.get_text("xml")
    return {
        "text": page.get_text("text"),
        "words": " ".join(w[4] for w in page.get_text("words")),
        "rawdict": rawtext,
        "html": html.unescape(re.sub(r"<[^>]+>", "", page.get_text("html"))),
        "xml": html.unescape("".join(re.findall(r' c="([^"]*)"', xml))),
    }


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def assert_gone(output: Path, secrets: list[str]) -> None:
    with pymupdf.open(output) as doc:
        for page in doc:
            for mode, text in _extractions(page).items():
                for secret in secrets:
                    assert _squash(secret) not in _squash(text), (page.number, mode, secret)
            for secret in secrets:
                assert page.search_for(secret) == [], (page.number, "search_for", secret)
        # Not hidden in the file either: every stream, decompressed, and the metadata.
        for xref in range(1, doc.xref_length()):
            data = (doc.xref_stream(xref) or b"") if doc.xref_is_stream(xref) else b""
            data += doc.xref_object(xref).encode("latin-1", "replace")
            for secret in secrets:
                for needle in (secret.encode(), secret.encode().hex().encode()):
                    assert needle.lower() not in data.lower(), (xref, secret)
        assert PERSON not in str(doc.metadata)


def test_generated_letter_is_redacted_for_real(tmp_path: Path, detector: float) -> None:
    source = letter_pdf(tmp_path / "bezwaar.pdf")
    output = tmp_path / "gelakt.pdf"
    report = redact_pdf(source, output)
    assert_gone(output, SECRETS)
    with pymupdf.open(output) as doc:
        text = " ".join(page.get_text() for page in doc)
        for word in SURVIVORS:
            assert word in " ".join(text.split()), word
        assert "5.1.2e" in text and "5.1.1e" in text  # boxes labelled with their ground
    kinds = {(r.page, r.type) for r in report.redactions}
    expected = {(1, "PERSOON"), (1, "ADRES"), (1, "BSN"), (1, "TELEFOON"), (1, "EMAIL"),
                (1, "GEBOORTEDATUM"), (2, "IBAN"), (2, "KENTEKEN"), (2, "PERSOON")}  # fmt: skip
    assert expected <= kinds
    assert next(r for r in report.redactions if r.type == "BSN").ground == "5.1.1e"


def test_untouched_text_stays_in_place(tmp_path: Path, detector: float) -> None:
    """The words after a box keep their position, up to one space width per box before
    them on their line: MuPDF 1.28 moves the rest of a line by the first removed glyph's
    width; the box starts at the space before the value to keep that to a space."""
    source = letter_pdf(tmp_path / "bezwaar.pdf")
    output = tmp_path / "gelakt.pdf"
    report = redact_pdf(source, output)
    space = pymupdf.get_text_length(" ", fontname="helv", fontsize=LETTER_FONT_SIZE)
    with pymupdf.open(source) as before, pymupdf.open(output) as after:
        for number in range(before.page_count):
            old = {w[4]: w[:4] for w in before[number].get_text("words")}
            new = {w[4]: w[:4] for w in after[number].get_text("words")}
            boxes = [r.rects for r in report.redactions if r.page == number + 1]
            for word in ("college", "kenmerk", "gelijkheidsbeginsel", "bellen", "staat"):
                if word not in old:
                    continue
                x0, y0, _, y1 = old[word]
                before_it = sum(
                    1 for rects in boxes for a, b, c, d in rects
                    if c <= x0 and b < (y0 + y1) / 2 < d
                )  # fmt: skip
                assert abs(new[word][0] - x0) <= before_it * space + 0.6, (word, before_it)
            for word, (x0, y0, x1, y1) in new.items():
                if re.fullmatch(r"5\.1\.[12]e", word) or not word.isalpha():
                    continue
                cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                assert not any(
                    a < cx < c and b < cy < d for rects in boxes for a, b, c, d in rects
                ), f"{word} lies under a box"


def test_report_csv_and_ground_option(tmp_path: Path, detector: float) -> None:
    source = letter_pdf(tmp_path / "bezwaar.pdf")
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["redact", str(source), "-o", str(tmp_path / "uit.pdf"),
         "--report", str(tmp_path / "verslag.csv"), "--ground", "5.1.2e"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with (tmp_path / "verslag.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["pagina", "soort", "gemaskeerd", "woo_grond", "toelichting"]
    assert {row["woo_grond"] for row in rows} == {"5.1.2e"}  # --ground applies to every box
    assert {row["pagina"] for row in rows} == {"1", "2"}
    report_text = (tmp_path / "verslag.csv").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in report_text, secret
    assert "persoonlijke levenssfeer" in report_text
    assert_gone(tmp_path / "uit.pdf", SECRETS)


def test_types_terms_and_keep(tmp_path: Path, detector: float) -> None:
    source = letter_pdf(tmp_path / "bezwaar.pdf")
    output = tmp_path / "uit.pdf"
    report = redact_pdf(source, output, types=["BSN"], terms=["Oegstgeest, 2 april"], keep=[PERSON])
    assert {r.type for r in report.redactions} == {"BSN", "HANDMATIG"}
    with pymupdf.open(output) as doc:
        text = " ".join(" ".join(page.get_text() for page in doc).split())
    assert "111222333" not in text and "Oegstgeest, 2 april" not in text
    assert PERSON in text and "06-44556677" in text
    with pytest.raises(InputError):
        redact_pdf(source, source)
    with pytest.raises(InputError):
        redact_pdf(source, output, types=["SCHOENMAAT"])


@pytest.mark.parametrize(
    ("relative", "page", "secrets"),
    [
        ("bezwaar/denhaag_2025_besluit-op-bezwaar_geheimhouding-businesscase.pdf", 2,
         ["M.E. Goldbach"]),
        ("moties/denhaag_2025_afdoening_motie-sleutelgeld.pdf", 1,
         ["jordy.wehrmann@denhaag.nl"]),
    ],
)  # fmt: skip
@pytest.mark.corpus
def test_real_corpus_pages(
    corpus_dir: Path, tmp_path: Path, detector: float, relative: str, page: int,
    secrets: list[str],
) -> None:  # fmt: skip
    source = corpus_dir / relative
    with pymupdf.open(source) as doc:
        original = doc[page - 1].get_text()
    assert all(s in original for s in secrets)
    output = tmp_path / "gelakt.pdf"
    report: RedactionReport = redact_pdf(source, output)
    assert report.per_page().get(page)
    assert_gone(output, secrets)
    # Most of the page's words survive (only personal data was taken out).
    with pymupdf.open(output) as doc:
        after = doc[page - 1].get_text()
    personal = " ".join(e.text for e in privacy.find_personal_data(original))
    words = [w for w in re.findall(r"[a-z]{6,}", original) if w not in personal]
    kept = sum(w in after for w in words)
    assert kept / len(words) > 0.95


def test_failed_redaction_and_intake_are_audited_with_their_error(
    make_settings, tmp_path: Path
) -> None:
    """A bad file gets one clear error, and the audit log records the attempt and why."""
    not_a_pdf = tmp_path / "brief.pdf"
    not_a_pdf.write_text("dit is geen pdf")
    engine = build_engine(make_settings())
    try:
        with pytest.raises(InputError, match="geen leesbaar PDF-bestand"):
            engine.redact(not_a_pdf, tmp_path / "uit.pdf", user="jurist")
        with pytest.raises(RaadsinzichtError, match="bestand niet gevonden"):
            engine.bezwaar(tmp_path / "ontbreekt.pdf", use_llm=False, user="jurist")
        records = engine.audit.records()
    finally:
        engine.close()
    assert [(r.action, r.user) for r in records] == [("redact", "jurist"), ("bezwaar", "jurist")]
    assert "geen leesbaar PDF-bestand" in (records[0].error or "")
    assert "bestand niet gevonden" in (records[1].error or "")
    assert all(r.seconds >= 0 and r.answer is None for r in records)
    assert not (tmp_path / "uit.pdf").exists()
