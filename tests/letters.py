"""Generated objection letters (bezwaarschriften) as PDFs: fictional people, BSNs and IBANs
with valid checksums, the way office software writes them (embedded font). No real citizen
letters are public; these stand in for them in the privacy, bezwaar and web tests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pymupdf

__all__ = [
    "LETTER_FONT_SIZE",
    "PEOPLE",
    "letter_secrets",
    "logged_text",
    "objection_letter",
    "write_letter",
]

LETTER_FONT_SIZE = 10.5


def write_letter(
    path: Path, pages: Sequence[str], *, metadata: dict[str, str] | None = None
) -> Path:
    """A letter PDF with an embedded font, as office software makes them."""
    doc = pymupdf.open()
    font = pymupdf.Font("helv")
    for text in pages:
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="F0", fontbuffer=font.buffer)
        page.insert_textbox(
            pymupdf.Rect(72, 56, 523, 800), text, fontsize=LETTER_FONT_SIZE, fontname="F0"
        )
    if metadata:
        doc.set_metadata(metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


PEOPLE = {
    "tijdig": {
        "name": "Geertruida van Leeuwenhoek",
        "street": "Kastanjelaan 31",
        "postcode": "2313 AB Leiden",
        "bsn": "111222333",
        "iban": "NL91 ABNA 0417 1643 00",
        "phone": "06-28374650",
        "email": "g.vanleeuwenhoek@ziggo.nl",
    },
    "te laat": {
        "name": "Bartholomeus Kwakernaak",
        "street": "Zeeweg 8",
        "postcode": "1971 HB IJmuiden",
        "bsn": "123456782",
        "iban": "NL02 ABNA 0123 4567 89",
        "phone": "0255-518240",
        "email": "b.kwakernaak@kpnmail.nl",
    },
    "onbekend": {
        "name": "Yasmina Chaouch",
        "street": "Vredenburg 14",
        "postcode": "3511 BA Utrecht",
        "bsn": "999998456",
        "iban": "NL18 RABO 0123 4598 76",
        "phone": "+31 6 55 66 77 88",
        "email": "yasmina.chaouch@gmail.com",
    },
}


def objection_letter(kind: str) -> list[str]:
    p = PEOPLE[kind]
    head = (
        f"{p['name']}\n{p['street']}\n{p['postcode']}\nTelefoon: {p['phone']}\n"
        f"E-mail: {p['email']}\n\n"
        "Aan het college van burgemeester en wethouders\nPostbus 9100\n2300 PC Leiden\n\n"
    )
    if kind == "tijdig":
        return [
            "Ingekomen: 14 april 2025\n\n" + head + "Leiden, 11 april 2025\n\n"
            "Betreft: bezwaar tegen weigering omgevingsvergunning dakkapel\n\n"
            "Geacht college,\n\n"
            "Hierbij maak ik bezwaar tegen uw besluit van 28 februari 2025 met kenmerk "
            "Z-2025-004512, verzonden op 1 maart 2025, waarbij mijn aanvraag om een "
            "omgevingsvergunning voor een dakkapel is geweigerd.\n\n"
            "Gronden van bezwaar\n\n"
            "1. De dakkapel past binnen de regels van het omgevingsplan. Bouwhoogte en "
            "bouwvlak worden niet overschreden.\n\n"
            "2. Het advies van de commissie ruimtelijke kwaliteit is niet gemotiveerd. De "
            "commissie noemt de dakkapel te groot, maar zegt niet waarom.\n\n"
            "3. Op nummer 35 is vorig jaar een gelijke dakkapel vergund. Dat is in strijd "
            "met het gelijkheidsbeginsel.",
            "Verzoek\n\n"
            "Ik verzoek u het besluit te herroepen en de vergunning alsnog te verlenen. Ook "
            f"vraag ik vergoeding van de kosten van bezwaar op rekening {p['iban']}.\n\n"
            "Ik wil graag gehoord worden tijdens een hoorzitting.\n\n"
            f"Mijn burgerservicenummer is {p['bsn']}.\n\n"
            f"Met vriendelijke groet,\n\n{p['name']}",
        ]
    if kind == "te laat":
        return [
            "Ontvangen op 3 april 2025\n\n" + head + "IJmuiden, 2 april 2025\n\n"
            "Betreft: bezwaar WOZ-beschikking\n\nGeachte heer, mevrouw,\n\n"
            "Ik maak bezwaar tegen de WOZ-beschikking van 3 februari 2025 (aanslagnummer "
            "2025.30.771). De waarde van mijn woning is te hoog vastgesteld: vergelijkbare "
            "woningen in de straat zijn voor minder verkocht.\n\n"
            "Ik verzoek u de WOZ-waarde te verlagen. Een hoorzitting is voor mij niet nodig.\n\n"
            f"BSN {p['bsn']}, rekening {p['iban']}.\n\nHoogachtend,\n\n{p['name']}"
        ]
    return [
        head + "Utrecht, 5 mei 2025\n\nGeacht college,\n\n"
        "Ik maak bezwaar tegen de weigering van mijn parkeervergunning, die ik vorige maand "
        "per post ontving. Ik woon al tien jaar in de binnenstad en heb de auto nodig voor "
        "mijn werk in de zorg met wisselende diensten.\n\n"
        "Ik vraag u mij alsnog een parkeervergunning te geven.\n\n"
        f"BSN: {p['bsn']}\n\nMet vriendelijke groet,\n\n{p['name']}"
    ]


def letter_secrets(kind: str) -> list[str]:
    p = PEOPLE[kind]
    first, *_, last = p["name"].split()
    return [
        p["name"], first, last, p["street"], p["postcode"].split()[0], p["bsn"],
        p["iban"], p["iban"].replace(" ", ""), p["phone"], p["email"],
    ]  # fmt: skip


def logged_text(records: Sequence[dict[str, Any]]) -> str:
    """Audit records as JSON without their numbers: a secret's digits (a postcode's "2313")
    also turn up in a duration ("'seconds': 2.95242313…")."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not isinstance(v, int | float)}
        if isinstance(value, list):
            return [strip(v) for v in value if not isinstance(v, int | float)]
        return value

    return json.dumps([strip(r) for r in records], ensure_ascii=False)
