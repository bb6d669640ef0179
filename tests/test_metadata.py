"""Metadata extraction: hand labels on the real corpus plus synthetic Dutch texts.

Labelling rules for tests/data/metadata_labels.jsonl (one JSON object per line;
"note" is free text). Labels come from reading the document text, never from the
extractor and never from the file or folder name (the corpus names say e.g.
"_ingetrokken", but if the text does not say so the outcome is null).

kind — what the document itself is, by its legal act / genre:
  raadsvoorstel   a proposal asking a governing body to decide: raadsvoorstel,
                  statenvoorstel, voorstel van het college/presidium, initiatiefvoorstel,
                  (concept-)voordracht for the college, oplegger of a raadsvoorstel.
                  Also when signed "Aldus besloten"; a raadsvoorstel that mentions moties
                  stays a raadsvoorstel.
  motie / amendement  the motion text itself ("Motie: ...", "Amendement: ...",
                  "MOTIE VAN DE LEDEN ..."), with or without vote stamp.
  notulen         minutes and verslagen of meetings (raad, bestuurlijk overleg, internal).
  besluitenlijst  decision lists of a meeting (raad, Kamercommissie procedurevergadering).
  besluit         decisions that are not Wob/Woo or bezwaar: beschikkingen, permits,
                  GS-mandaatbesluiten, texts of verordeningen (besluit van algemene strekking).
  beslissing_op_bezwaar  decisions on an objection, also when wrapped in a raadsvoorstel
                  (the kind follows the legal act, not the wrapper).
  woo_besluit     letters deciding (partly) on a Wob/Woo request; a mere acknowledgement or
                  extension of the term is a brief.
  inventarislijst document inventories attached to Wob/Woo/bezwaar decisions.
  beleidsnota     policy documents and reports: nota, programma, visie, koersbesluit, OER,
                  tussenstand, BNC-fiche.
  brief           letters and e-mails that are none of the above (raadsbrieven, afdoening or
                  tussenbericht of a motie, preadvies, kamerbrief, covering letters).
  overig          the rest: internal notities and beslisnota's, forms (meldingen), agendas.

date — the document's own date, ISO, or null when the text states none (do not guess):
  letters, besluiten, woo/bezwaar decisions, raadsvoorstellen: the "Datum" header
    (not "Datum verzending", not the decision date under "Aldus besloten", not dates in
    the body); otherwise "Plaats, <datum>", the version date in the title block
    ("Definitieve versie, ...", "gegenereerd op ..."), or the e-mail's sent date.
  notulen / besluitenlijsten: the meeting date ("gehouden op", "procedurevergadering van",
    "Datum en tijd"); a weekday without year ("Donderdag 8 februari") gets the year of the
    document that fits the weekday.
  moties / amendementen: the meeting date ("in vergadering bijeen op", "Voorgesteld ...");
    typos are labelled as written (see the note on the HvDH amendement).
  month + year only ("december 2020", "Januari 2023") -> null.

organisation — the body that issued the document, canonical names:
  "Gemeente <Naam>" ('s-Gravenhage = Den Haag), "Provincie <Naam>",
  "Ministerie van <naam zoals in het document>" (Volksgezondheid, Welzijn en Sport;
  Veiligheid en Justitie for 2011), otherwise the body's name ("Tweede Kamer der
  Staten-Generaal", "Rijksdienst voor Ondernemend Nederland", "Belastingdienst",
  "RES West-Overijssel"). Stadsdelen count as their gemeente. null when the text does
  not name it (addressees and participants do not count; "Gedeputeerde" without a
  province name is null).

parties / outcome — only for moties/amendementen, else [] / null:
  parties: the "Indiener" first, then co-signers in reading order, canonical names
  ("Haagse VVD" -> VVD, "CU/SGP" -> "ChristenUnie/SGP"); outcome only when the text
  states it (stamp "aangenomen", "Aldus aangenomen in ...", "Stemuitslag: ...").
"""

from __future__ import annotations

import datetime
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from raadsinzicht.metadata import (
    DOCUMENT_KINDS,
    OUTCOMES,
    DocumentMetadata,
    extract_metadata,
)
from raadsinzicht.parse import parse_pdf

LABELS = Path(__file__).parent / "data" / "metadata_labels.jsonl"
FIELDS = ("kind", "date", "organisation")
MIN_ACCURACY = 0.90


def _labels() -> list[dict[str, Any]]:
    with LABELS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------------------
# Hand labels on the corpus


def test_labels_file_is_well_formed() -> None:
    rows = _labels()
    assert len(rows) >= 36
    assert len({r["file"] for r in rows}) == len(rows)
    folders = {r["file"].split("/")[0] for r in rows}
    assert folders >= {
        "raadsvoorstellen", "notulen", "besluiten", "moties", "beleid", "bezwaar", "woo",
    }  # fmt: skip
    for r in rows:
        assert r["kind"] in DOCUMENT_KINDS, r
        assert r["date"] is None or datetime.date.fromisoformat(r["date"])
        assert r["outcome"] is None or r["outcome"] in OUTCOMES, r
        if r["kind"] not in ("motie", "amendement"):
            assert r["parties"] == [] and r["outcome"] is None, r


@dataclass
class _Result:
    label: dict[str, Any]
    got: DocumentMetadata
    seconds: float  # extract_metadata only (parsing excluded)


@pytest.fixture(scope="module")
def corpus_results(corpus_dir: Path) -> list[_Result]:
    results = []
    for label in _labels():
        doc = parse_pdf(corpus_dir / label["file"])
        pages = [p.text for p in doc.pages]
        headings = [b.text for p in doc.pages[:3] for b in p.blocks if b.kind == "heading"]
        start = time.perf_counter()
        got = extract_metadata(pages, headings=headings, pdf_metadata=doc.pdf_metadata)
        results.append(_Result(label, got, time.perf_counter() - start))
    return results


def _value(md: DocumentMetadata, fieldname: str) -> object:
    value = getattr(md, fieldname)
    return value.isoformat() if isinstance(value, datetime.date) else value


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_accuracy(corpus_results: list[_Result]) -> None:
    n = len(corpus_results)
    table = [f"{'field':14} {'correct':>7} {'total':>5} {'accuracy':>8}"]
    mismatches: list[str] = []
    accuracy: dict[str, float] = {}
    for name in FIELDS:
        ok = 0
        for r in corpus_results:
            got = _value(r.got, name)
            if got == r.label[name]:
                ok += 1
            else:
                mismatches.append(
                    f"{name:12} {r.label['file']}: expected {r.label[name]!r}, got {got!r}"
                )
        accuracy[name] = ok / n
        table.append(f"{name:14} {ok:7d} {n:5d} {accuracy[name]:8.3f}")
    ms = sorted(1000 * r.seconds for r in corpus_results)
    table.append(f"extract_metadata: median {statistics.median(ms):.2f} ms, max {ms[-1]:.2f} ms")
    print("\n" + "\n".join(table))
    print(
        "mismatches:" + "".join(f"\n  {m}" for m in mismatches) if mismatches else "no mismatches"
    )
    failed = {k: round(v, 3) for k, v in accuracy.items() if v < MIN_ACCURACY}
    assert not failed, f"accuracy below {MIN_ACCURACY}: {failed}; see the printed mismatches"
    # Generous bound: the target is a few ms; this only catches pathological regexes.
    assert statistics.median(ms) < 25


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_parties_and_outcome(corpus_results: list[_Result]) -> None:
    motions = [r for r in corpus_results if r.label["kind"] in ("motie", "amendement")]
    assert motions
    problems = []
    for r in motions:
        if set(r.got.parties) != set(r.label["parties"]):
            problems.append(f"{r.label['file']}: parties {r.label['parties']} != {r.got.parties}")
        if r.got.outcome != r.label["outcome"]:
            problems.append(f"{r.label['file']}: outcome {r.label['outcome']} != {r.got.outcome}")
    print("\n".join(problems) or "parties/outcome: all match")
    assert not problems


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_titles_are_sensible(corpus_results: list[_Result]) -> None:
    for r in corpus_results:
        title = r.got.title
        assert 3 <= len(title) <= 200, (r.label["file"], title)
        assert not title.lower().startswith("microsoft word"), (r.label["file"], title)


# ---------------------------------------------------------------------------
# Synthetic documents

MOTIE = """GEMEENTERAAD
Stuknummer:
Uitslag stemming:
Pagina 1 van 1
RIS-nummer:
Motie: Meer bomen in de wijk
Indiener: Anna de Vries, GroenLinks
De raad van de gemeente Den Haag, in vergadering bijeen op donderdag 6 maart 2025, ter bespreking
van het Voorstel van het college inzake Groenbeleid (RIS320001),
Constaterende, dat:
• de SP signalen ontvangt dat er te weinig bomen zijn;
Verzoekt het college:
• in 2026 duizend bomen te planten.
En gaat over tot de orde van de dag.
Anna de Vries
Piet Jansen
Karel van der Berg
GroenLinks
PvdA
Haagse Stadspartij
B.3 GL
321999
aangenomen
Aldus aangenomen in de openbare raadsvergadering van 6 maart 2025
"""


def test_motie_with_vote_stamp() -> None:
    md = extract_metadata([MOTIE])
    assert md.kind == "motie"
    assert md.title == "Motie: Meer bomen in de wijk"
    assert md.date == datetime.date(2025, 3, 6)
    assert md.organisation == "Gemeente Den Haag"
    assert md.parties == ["GroenLinks", "PvdA", "Haagse Stadspartij"]  # not the SP in the text
    assert md.outcome == "aangenomen"
    assert md.registration_number == "RIS321999"


def test_motie_as_paragraph_text() -> None:
    """Parsers may join the lines of a paragraph: the same answers are expected."""
    paragraphs = [" ".join(block.split("\n")) for block in MOTIE.split("\nConstaterende")]
    md = extract_metadata(["\n\nConstaterende".join(paragraphs)])
    assert (md.kind, md.date, md.organisation, md.outcome) == (
        "motie",
        datetime.date(2025, 3, 6),
        "Gemeente Den Haag",
        "aangenomen",
    )
    assert set(md.parties) == {"GroenLinks", "PvdA", "Haagse Stadspartij"}


def test_amendement_without_outcome() -> None:
    text = (
        "Amendement: Extra geld voor speeltuinen\n"
        "Indiener: Jan Smit, CDA\n"
        "De raad van de gemeente Utrecht, in vergadering bijeen op 12 juni 2024, ter bespreking "
        "van de Voorjaarsnota,\nBesluit:\n• dictum I aan te vullen met speeltuinen.\n"
        "Toelichting\nSpelen is belangrijk voor kinderen.\n\nJan Smit\nEva Bos\nCDA\nVolt\n"
    )
    md = extract_metadata([text])
    assert md.kind == "amendement"
    assert md.date == datetime.date(2024, 6, 12)
    assert md.organisation == "Gemeente Utrecht"
    assert md.parties == ["CDA", "Volt"]
    assert md.outcome is None


def test_tweede_kamer_motie() -> None:
    text = (
        "Tweede Kamer der Staten-Generaal\nVergaderjaar 2020–2021\n32 545\n"
        "Nr. 143\nMOTIE VAN DE LEDEN INGE VAN DIJK EN GRINWIS\nVoorgesteld 6 juli 2021\n"
        "De Kamer,\ngehoord de beraadslaging,\nverzoekt de regering, ...\n"
        "en gaat over tot de orde van de dag.\nInge van Dijk\nGrinwis\nkst-32545-143\n"
    )
    md = extract_metadata([text])
    assert md.kind == "motie"
    assert md.title == "Motie van de leden Inge van Dijk en Grinwis"
    assert md.date == datetime.date(2021, 7, 6)
    assert md.organisation == "Tweede Kamer der Staten-Generaal"
    assert md.registration_number == "kst-32545-143"
    assert md.parties == []


BEZWAAR = """Ministerie van Volksgezondheid,
Welzijn en Sport
> Retouradres Postbus 20350 2500 EJ Den Haag
Ons kenmerk
3456789-1011
Datum
12 mei 2023
Betreft
Beslissing op uw bezwaarschrift tegen het besluit van
2 februari 2023
Geachte heer Jansen,
Bij brief van 1 maart 2023 heeft u bezwaar gemaakt tegen mijn besluit van 2 februari 2023.
Ik verklaar uw bezwaar ongegrond.
De minister van Volksgezondheid, Welzijn en Sport,
namens deze,
"""


def test_beslissing_op_bezwaar_letter() -> None:
    md = extract_metadata([BEZWAAR])
    assert md.kind == "beslissing_op_bezwaar"
    assert md.date == datetime.date(2023, 5, 12)  # the letter date, not the first date
    assert md.organisation == "Ministerie van Volksgezondheid, Welzijn en Sport"
    assert md.registration_number == "3456789-1011"
    assert md.title.startswith("Beslissing op uw bezwaarschrift tegen het besluit van")
    assert md.parties == [] and md.outcome is None


def test_woo_besluit_versus_acknowledgement() -> None:
    head = (
        "Gemeente Zwolle\nPostbus 10007\n8000 GA Zwolle\nwww.zwolle.nl\n"
        "Datum\n3 april 2024\nOns kenmerk\nZ2024-001234\n"
    )
    besluit = extract_metadata(
        [
            head + "Onderwerp\nBesluit op uw Woo-verzoek over de fietsbrug\nGeachte mevrouw,\n"
            "Op 1 februari 2024 ontvingen wij uw verzoek op grond van de Wet open overheid.\n"
            "Besluit\nWij hebben besloten de documenten deels openbaar te maken.\n"
        ]
    )
    assert (besluit.kind, besluit.date, besluit.organisation) == (
        "woo_besluit",
        datetime.date(2024, 4, 3),
        "Gemeente Zwolle",
    )
    assert besluit.registration_number == "Z2024-001234"
    ack = extract_metadata(
        [
            head + "Onderwerp\nUw Woo-verzoek over de fietsbrug\nGeachte mevrouw,\n"
            "Hierbij bevestigen wij de ontvangst van uw verzoek. Wij verdagen de beslistermijn "
            "met twee weken.\nMet vriendelijke groet,\n"
        ]
    )
    assert ack.kind == "brief"


def test_raadsvoorstel_mentioning_moties_stays_raadsvoorstel() -> None:
    text = (
        "Gemeente Den Haag\nPostbus 12600\n2500 DJ Den Haag\nwww.denhaag.nl\n"
        "Datum\n3 februari 2025\nOns Kenmerk\nDSO/10835665\nRIS321152\n"
        "Voorstel van het college inzake vaststelling bestemmingsplan Strand Den Haag\n"
        "In de motie 'Strand voor iedereen' verzocht de raad ... Het amendement van de VVD ...\n"
        "De raad van de gemeente Den Haag,\ngezien het voorstel van het college van 3 februari "
        "2025,\nbesluit:\nI. vast te stellen het bestemmingsplan.\n"
        "Aldus besloten in de openbare raadsvergadering van 13 maart 2025.\n"
    )
    md = extract_metadata([text])
    assert md.kind == "raadsvoorstel"
    assert md.date == datetime.date(2025, 2, 3)  # proposal date, not the decision date
    assert md.organisation == "Gemeente Den Haag"
    assert md.registration_number == "RIS321152"
    assert md.title == (
        "Voorstel van het college inzake vaststelling bestemmingsplan Strand Den Haag"
    )


def test_letter_about_a_motie_is_a_brief() -> None:
    text = (
        "Gemeente Den Haag\nRetouradres: Postbus 12600, 2500 DJ Den Haag\n"
        "Aan de gemeenteraad\nOns kenmerk\nDSO/1\nRIS321674\nDatum\n27 mei 2025\n"
        "Onderwerp\nAfdoening motie: ‘Ga de strijd aan tegen sleutelgeld’\n"
        "De motie luidt als volgt: Verzoekt het college: ... En gaat over tot de orde van de dag.\n"
    )
    md = extract_metadata([text])
    assert md.kind == "brief"
    assert md.title == "Afdoening motie: ‘Ga de strijd aan tegen sleutelgeld’"
    assert md.date == datetime.date(2025, 5, 27)


def test_titles_are_cells_not_table_rows() -> None:
    decisions = (
        "Besluitenlijst\n|Raad||\n|---|---|\n|Datum en tijd|23 januari 2025, 13.30 uur|\n"
        "|Locatie|Raadzaal|\n\nPunt Omschrijving Besluit\nA Vaststelling agenda Conform\n"
    )
    assert extract_metadata([decisions]).title == "Besluitenlijst Raad"
    proposal = (
        "Raadsvoorstel\nZaaknummer: 297473\nOplegger gemeenteraad.\n"
        "|Onderwerp|Beeldkwaliteitsplan Den Haag Centraal|\n|---|---|\n"
        "|Waarom dit raadsvoorstel?|De raad wordt gevraagd het Beeldkwaliteitsplan vast te "
        "stellen.|\n"
    )
    md = extract_metadata([proposal])
    assert (md.kind, md.title) == ("raadsvoorstel", "Beeldkwaliteitsplan Den Haag Centraal")
    cover = "||BUURTHUIS|\n|---|---|\n|Thuis in de wijk Koersbesluit Opvang en Wonen 2016-2020||\n"
    # The table of contents' headings are no title.
    md = extract_metadata([cover, "Inhoud"], headings=["Inhoudsopgave", "Deel 1: Aanpak 8"])
    assert md.title == "Thuis in de wijk Koersbesluit Opvang en Wonen 2016-2020"


def test_a_title_stops_where_the_text_after_it_begins() -> None:
    amendment = (
        "Amendement: Verleng sloopsubsidie Indiener: Lesley Arp, SP\n"
        "De raad van de gemeente Den Haag, in vergadering bijeen op 6 februari 2025,\n"
        "besluit het raadsvoorstel als volgt te wijzigen:\n"
    )
    assert extract_metadata([amendment]).title == "Amendement: Verleng sloopsubsidie"
    letter = (
        "Gemeente Den Haag\nAan de gemeenteraad\nDatum\n27 mei 2025\nOnderwerp: Tussenbericht "
        "motie: ‘Veranker hoogbegaafdheid in Haags onderwijsbeleid’ Op 23 januari 2025 is door de "
        "raad de motie aangenomen.\n"
    )
    assert extract_metadata([letter]).title == (
        "Tussenbericht motie: ‘Veranker hoogbegaafdheid in Haags onderwijsbeleid’"
    )
    proposal = (
        "Voorstel van het college inzake Verordening nadeelcompensatie Den Haag 2025\n"
        "Toelichting\nDe raad wordt gevraagd de verordening vast te stellen.\n"
    )
    assert extract_metadata([proposal]).title == (
        "Voorstel van het college inzake Verordening nadeelcompensatie Den Haag 2025"
    )


def test_a_title_never_holds_the_access_code_of_an_online_meeting() -> None:
    """A scanned agenda's title was its dial-in line ("Vergadering-id: 312 468 835 37
    Wachtwoordcode: 4b2YaW Betreft: …"), shown in every result list; after the attendance
    list come agenda items, not the title."""
    agenda = (
        "Der Agenda bestuurlijk overleg En\n\nEnergiegebied Almelo Tubbergen Twenterand (ATT)\n"
        "\nd.d. 20 juni 2024\n\nDatum: 20 juni 2024\n\nTijd: 17:15 - 18:00 uur\n\n"
        "Locatie: Digitaal, teams\nVergadering-id: 312 468 835 37 Wachtwoordcode: 4b2YaW\n\n"
        "Betreft: Voortgang energiegebied ATT\n\n"
        "Aanwezig: gedeputeerde (provincie Overijssel), wethouder (gemeente Almelo)\n\n"
        "Verslag bestuurlijk overleg ATT 21 mei 2024 (bijlage 1) Ter vaststelling\n"
    )
    title = extract_metadata([agenda]).title
    assert "4b2YaW" not in title and "Wachtwoord" not in title
    assert "21 mei" not in title


def test_a_scanned_decision_takes_its_title_from_its_heading() -> None:
    """The OCR of a letterhead reads as noise; the decision's heading is its title."""
    notice = (
        "Jen\n\nEa Bern\nAj EI TTE\n\nÀ kaste Bekendmakingen\n\nBesluit evenementenvergunning"
        "\n\nMuseumplein\n\nStadsdeel Zuid, 27 augustus 2018\n\nVerleend\n\nMuseumplein, "
        "1071 DJ: voor het houden van het evenement op het Museumplein.\n"
    )
    headings = ["À kaste Bekendmakingen", "Besluit evenementenvergunning", "Museumplein"]
    md = extract_metadata([notice], headings=headings)
    assert (md.kind, md.title) == ("besluit", "Besluit evenementenvergunning Museumplein")


def test_notulen_with_yearless_weekday_date() -> None:
    text = (
        "Verslag bestuurlijk overleg wind\nDonderdag 8 februari 08.30 – 09.30 uur\n"
        "Aanwezig: gedeputeerde (provincie Overijssel), wethouder (gemeente Zwolle)\n"
        "1. Opening; verslag overleg 10 januari 2024 wordt vastgesteld.\n"
    )
    md = extract_metadata([text])
    assert md.kind == "notulen"
    assert md.date == datetime.date(2024, 2, 8)  # 8 Feb 2024 is a Thursday
    assert md.organisation == "Provincie Overijssel"


def test_besluitenlijst_uses_meeting_date() -> None:
    text = (
        "Den Haag, 3 april 2009\nVoortouwcommissie:\nvaste commissie voor Financiën\n"
        "Document:\nBesluitenlijst van de procedurevergadering van donderdag 2 april 2009\n"
        "1. Agendapunt: Besluitenlijst van de vergadering van 19 maart 2009\n"
    )
    md = extract_metadata([text])
    assert md.kind == "besluitenlijst"
    assert md.date == datetime.date(2009, 4, 2)
    assert md.organisation == "Tweede Kamer der Staten-Generaal"


def test_email_with_outlook_us_date() -> None:
    text = (
        "To: a@minvws.nl\nFrom: b@minvws.nl\nSent: Thur 9/10/2020 1:08:39 PM\n"
        "Subject: RE: motie Jetten\nHelder, ik wacht even af.\n"
    )
    md = extract_metadata([text])
    assert md.kind == "brief"
    assert md.date == datetime.date(2020, 9, 10)
    assert md.organisation == "Ministerie van Volksgezondheid, Welzijn en Sport"
    assert md.title == "RE: motie Jetten"


def test_organisation_canonical_names() -> None:
    gravenhage = extract_metadata(
        ["Burgemeester en wethouders van 's-Gravenhage,\nDatum 1 mei 2020\nBesluit\n"]
    )
    assert gravenhage.organisation == "Gemeente Den Haag"
    provincie = extract_metadata(["Provincie Overijssel\nPostbus 10078\nDatum\n06.12.2022\n"])
    assert provincie.organisation == "Provincie Overijssel"
    assert provincie.date == datetime.date(2022, 12, 6)
    unknown = extract_metadata(["Bevindingen uit de interviews\nHet dashboard werkt goed.\n"])
    assert unknown.organisation is None
    assert unknown.kind == "overig"
    assert unknown.date is None


def test_month_and_year_only_gives_no_date() -> None:
    text = (
        "Rijksdienst voor\nOndernemend Nederland\nDatum december 2020\n"
        "Betreft Besluit op uw Wob-verzoek\nGeachte,\nIn uw e-mail van 5 oktober 2020 ...\n"
    )
    md = extract_metadata([text])
    assert md.kind == "woo_besluit"
    assert md.date is None
    assert md.organisation == "Rijksdienst voor Ondernemend Nederland"


def test_title_ignores_junk_pdf_metadata() -> None:
    text = "Koersbesluit Maatschappelijke Opvang\nen Beschermd Wonen 2016-2020\n"
    junk = extract_metadata([text], pdf_metadata={"title": "Microsoft Word - x.docx"})
    assert junk.title == "Koersbesluit Maatschappelijke Opvang en Beschermd Wonen 2016-2020"
    assert junk.kind == "beleidsnota"
    good = extract_metadata(["1\n"], pdf_metadata={"title": "Nota Grondbeleid 2024 en verder"})
    assert good.title == "Nota Grondbeleid 2024 en verder"


def test_a_title_does_not_start_with_ocr_smudges() -> None:
    # As OCR read a scanned Wob decision of the corpus.
    md = extract_metadata(["Onderwerp: __Uw Wob-verzoek d.d. 8 september 2020\nGeachte heer,\n"])
    assert md.title == "Uw Wob-verzoek d.d. 8 september 2020"


def test_headings_are_used() -> None:
    md = extract_metadata(
        ["Dit stuk beschrijft de aanpak.\n"], headings=["Programma Wonen 2025", "Inleiding"]
    )
    assert md.title == "Programma Wonen 2025"
    assert md.kind == "beleidsnota"


def test_zaaknummer_anywhere() -> None:
    pages = ["Melding kappen\nIngediend bij\nProvincie Overijssel\n", "Zaaknummer Z2024-00005714\n"]
    md = extract_metadata(pages)
    assert md.registration_number == "Z2024-00005714"


def test_empty_document() -> None:
    md = extract_metadata(["", "  \n"])
    assert md == DocumentMetadata("overig", "", None, None, None, [], None)


def test_to_dict_is_json_friendly() -> None:
    d = extract_metadata([MOTIE]).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["date"] == "2025-03-06"
    assert d["kind"] == "motie" and d["kind_label"] == DOCUMENT_KINDS["motie"]


def test_kinds_and_outcomes() -> None:
    assert set(DOCUMENT_KINDS) == {
        "raadsvoorstel", "motie", "amendement", "notulen", "besluitenlijst", "besluit",
        "beslissing_op_bezwaar", "woo_besluit", "inventarislijst", "beleidsnota", "brief",
        "overig",
    }  # fmt: skip
    assert OUTCOMES == ("aangenomen", "verworpen", "ingetrokken", "aangehouden")
