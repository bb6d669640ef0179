"""Documents of other councils than the corpus's (Soest, Zwolle, Provincie Gelderland,
Waterschap Vallei en Veluwe), written after the formats those bodies publish, made into
real PDFs with PyMuPDF. The fake OpenBesluitvorming server serves them as a second source,
and they form the generated part of the held-out metadata and dossier sets in ``eval/``:
no metadata or dossier rule was written or tuned with them.

Every document carries the labels a reader gives it (kind, date, organisation, the
labelling rules of tests/test_metadata.py) and the documents it belongs with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .pdfs import write_pdf


@dataclass(frozen=True)
class FixtureDocument:
    name: str  # file name
    pages: tuple[str, ...]
    kind: str
    date: str | None
    organisation: str | None
    related: tuple[str, ...] = ()  # names of documents of the same dossier
    classification: str = "Document"  # how the RIS classifies it
    extra: dict[str, str] = field(default_factory=dict)


RV = "soest_raadsvoorstel_van-weedestraat.pdf"
AMENDEMENT = "soest_amendement_bomen.pdf"
MOTIE = "soest_motie_parkeren.pdf"
BESLUITENLIJST = "soest_besluitenlijst_2025-03-06.pdf"
BRIEF = "soest_raadsinformatiebrief_van-weedestraat.pdf"
COMMISSIE = "soest_verslag_commissie-ruimte.pdf"
ZW_VOORSTEL = "zwolle_voorstel_fietsparkeren.pdf"
ZW_MOTIE = "zwolle_motie_vreemd_fietsenstalling.pdf"
ZW_BESLUITENLIJST = "zwolle_besluitenlijst_2025-02-10.pdf"
ZW_WOO = "zwolle_woo-besluit_evenementen.pdf"
ZW_ONTVANGST = "zwolle_ontvangstbevestiging_woo.pdf"
GLD_STATENVOORSTEL = "gelderland_statenvoorstel_res-achterhoek.pdf"
GLD_BRIEF = "gelderland_brief_voortgang-res.pdf"

DOCUMENTS: tuple[FixtureDocument, ...] = (
    FixtureDocument(
        RV,
        (
            "Raadsvoorstel\n\n"
            "Onderwerp: Herinrichting Van Weedestraat\n"
            "Zaaknummer: Z-24-081234\n"
            "Datum: 4 februari 2025\n"
            "Portefeuillehouder: wethouder P. de Vries\n"
            "Datum raadsvergadering: 6 maart 2025\n\n"
            "Beslispunten\n"
            "1. In te stemmen met het definitief ontwerp voor de herinrichting van de Van "
            "Weedestraat.\n"
            "2. Een krediet van EUR 2.450.000 beschikbaar te stellen voor de uitvoering.\n\n"
            "Aanleiding\n"
            "De Van Weedestraat is het winkelhart van Soest. De bestrating is verouderd, de "
            "stoepen zijn smal en de straat is voor fietsers onveilig. Ondernemers en bewoners "
            "hebben in drie avonden meegedacht over het ontwerp.\n\n"
            "Burgemeester en wethouders van Soest,\n"
            "de secretaris, de burgemeester,",
            "Raadsbesluit\n\n"
            "De raad van de gemeente Soest,\n"
            "gelezen het voorstel van burgemeester en wethouders van 4 februari 2025 "
            "(zaaknummer Z-24-081234),\n"
            "besluit:\n"
            "1. in te stemmen met het definitief ontwerp voor de herinrichting van de Van "
            "Weedestraat;\n"
            "2. een krediet van EUR 2.450.000 beschikbaar te stellen.",
        ),
        "raadsvoorstel",
        "2025-02-04",
        "Gemeente Soest",
        related=(AMENDEMENT, MOTIE, BESLUITENLIJST, BRIEF, COMMISSIE),
        classification="Raadsvoorstel",
    ),
    FixtureDocument(
        AMENDEMENT,
        (
            "Amendement A1\n"
            "Onderwerp: Bomen blijven staan in de Van Weedestraat\n"
            "Indieners: Karin Bakker (VVD), Youssef Amrani (CDA)\n\n"
            "De raad van de gemeente Soest, in vergadering bijeen op 6 maart 2025,\n"
            "gelezen het raadsvoorstel Herinrichting Van Weedestraat (zaaknummer Z-24-081234),\n\n"
            "besluit het ontwerpbesluit als volgt te wijzigen:\n"
            'aan beslispunt 1 toe te voegen: "met dien verstande dat de twaalf lindebomen '
            'behouden blijven".\n\n'
            "Toelichting\n"
            "De lindebomen geven de straat haar karakter en schaduw op warme dagen. Het "
            "ontwerp kan om de bomen heen worden gelegd.\n\n"
            "Karin Bakker, VVD\n"
            "Youssef Amrani, CDA",
        ),
        "amendement",
        "2025-03-06",
        "Gemeente Soest",
        related=(RV, BESLUITENLIJST, BRIEF),
        classification="Amendement",
    ),
    FixtureDocument(
        MOTIE,
        (
            "Motie M1: Parkeren voor bewoners Van Weedestraat\n"
            "Indiener: Anja Smit, GroenLinks\n\n"
            "De raad van de gemeente Soest, in vergadering bijeen op 6 maart 2025, ter "
            "bespreking van het raadsvoorstel Herinrichting Van Weedestraat "
            "(zaaknummer Z-24-081234),\n\n"
            "constaterende dat bewoners van de Van Weedestraat na de herinrichting minder "
            "parkeerplaatsen hebben;\n\n"
            "verzoekt het college om in overleg met bewoners een parkeervergunning voor de "
            "straat in te voeren,\n\n"
            "en gaat over tot de orde van de dag.\n\n"
            "Anja Smit\n"
            "GroenLinks",
        ),
        "motie",
        "2025-03-06",
        "Gemeente Soest",
        related=(RV, BESLUITENLIJST),
        classification="Motie",
    ),
    FixtureDocument(
        BESLUITENLIJST,
        (
            "Besluitenlijst van de openbare vergadering van de gemeenteraad van Soest, "
            "gehouden op donderdag 6 maart 2025\n\n"
            "Voorzitter: R.H.A. Metz, burgemeester\n"
            "Griffier: J. van Dam\n"
            "Aanwezig: 23 leden\n\n"
            "1. Opening\n"
            "De voorzitter opent de vergadering om 19.30 uur.\n\n"
            "2. Vaststelling van de agenda\n"
            "De agenda wordt ongewijzigd vastgesteld.\n\n"
            "3. Herinrichting Van Weedestraat (zaaknummer Z-24-081234)\n"
            "Amendement A1 Bomen blijven staan in de Van Weedestraat (VVD, CDA): aangenomen.\n"
            "Voor: VVD, CDA, GroenLinks, PvdA (17) Tegen: D66 (6)\n"
            "Motie M1 Parkeren voor bewoners Van Weedestraat (GroenLinks): verworpen.\n"
            "Het geamendeerde raadsvoorstel wordt unaniem aangenomen.\n\n"
            "4. Sluiting\n"
            "De voorzitter sluit de vergadering om 22.10 uur.",
        ),
        "besluitenlijst",
        "2025-03-06",
        "Gemeente Soest",
        related=(RV, AMENDEMENT, MOTIE),
        classification="Besluitenlijst",
    ),
    FixtureDocument(
        BRIEF,
        (
            "Gemeente Soest\n"
            "Postbus 2000, 3760 CA Soest\n"
            "www.soest.nl\n\n"
            "Raadsinformatiebrief\n\n"
            "Aan: de gemeenteraad\n"
            "Datum: 10 juni 2025\n"
            "Zaaknummer: Z-25-090011\n"
            "Onderwerp: Voortgang herinrichting Van Weedestraat\n\n"
            "Geachte leden van de raad,\n\n"
            "Op 6 maart 2025 heeft uw raad het voorstel voor de herinrichting van de Van "
            "Weedestraat (zaaknummer Z-24-081234) vastgesteld, met het amendement 'Bomen "
            "blijven staan in de Van Weedestraat'. Met deze brief informeren wij u over de "
            "voortgang. De aanbesteding is afgerond; de werkzaamheden starten na de zomer en "
            "de twaalf lindebomen blijven behouden.\n\n"
            "Met vriendelijke groet,\n"
            "burgemeester en wethouders van Soest",
        ),
        "brief",
        "2025-06-10",
        "Gemeente Soest",
        related=(RV, AMENDEMENT),
        classification="Raadsinformatiebrief",
    ),
    FixtureDocument(
        COMMISSIE,
        (
            "Verslag van de vergadering van de commissie Ruimte van de gemeente Soest, "
            "gehouden op dinsdag 18 februari 2025\n\n"
            "Aanwezig: mevrouw A. Smit (voorzitter), de heer K. Bakker, de heer Y. Amrani, "
            "mevrouw L. Verhoef, wethouder P. de Vries\n\n"
            "1. Opening\n"
            "De voorzitter: Ik open de vergadering en heet iedereen welkom.\n\n"
            "2. Raadsvoorstel Herinrichting Van Weedestraat (zaaknummer Z-24-081234)\n"
            "De heer Bakker (VVD): De VVD is blij met het ontwerp, maar de lindebomen moeten "
            "blijven staan. Wij overwegen een amendement.\n"
            "Mevrouw Verhoef (D66): D66 steunt het ontwerp zoals het er ligt; het behoud van "
            "de bomen maakt de straat te smal voor de markt.\n"
            "Wethouder De Vries: Het college onderzoekt of de bomen kunnen blijven. Ik kom "
            "daar voor de raadsvergadering op terug.\n\n"
            "3. Sluiting\n"
            "De voorzitter: Ik sluit de vergadering.",
        ),
        "notulen",
        "2025-02-18",
        "Gemeente Soest",
        related=(RV,),
        classification="Verslag",
    ),
    FixtureDocument(
        "soest_besluit_omgevingsvergunning.pdf",
        (
            "Gemeente Soest\n"
            "Postbus 2000, 3760 CA Soest\n"
            "www.soest.nl\n\n"
            "Datum: 14 april 2025\n"
            "Ons kenmerk: OLO 9876543\n"
            "Onderwerp: Besluit op uw aanvraag omgevingsvergunning Steenhoffstraat 12\n\n"
            "Geachte heer Pietersen,\n\n"
            "Op 3 maart 2025 hebben wij uw aanvraag voor een omgevingsvergunning voor het "
            "bouwen van een dakkapel ontvangen. Wij besluiten de omgevingsvergunning te "
            "verlenen onder de voorwaarden in de bijlage.\n\n"
            "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken bezwaar maken.\n\n"
            "Met vriendelijke groet,\n"
            "burgemeester en wethouders van Soest",
        ),
        "besluit",
        "2025-04-14",
        "Gemeente Soest",
        classification="Besluit",
    ),
    FixtureDocument(
        ZW_VOORSTEL,
        (
            "Voorstel aan de raad\n\n"
            "Onderwerp Fietsparkeren binnenstad\n"
            "Registratienummer 2025-0412\n"
            "Datum collegebesluit 14 januari 2025\n"
            "Raadsvergadering 10 februari 2025\n"
            "Portefeuillehouder M. Jansen\n\n"
            "Voorgesteld besluit\n"
            "De raad besluit:\n"
            "1. het uitvoeringsprogramma Fietsparkeren binnenstad 2025-2028 vast te stellen;\n"
            "2. hiervoor EUR 1,2 miljoen beschikbaar te stellen.\n\n"
            "Samenvatting\n"
            "In de Zwolse binnenstad staan dagelijks meer dan 3.000 fietsen buiten de "
            "rekken. Het college stelt voor twee bewaakte stallingen te bouwen.\n\n"
            "Burgemeester en wethouders van Zwolle",
        ),
        "raadsvoorstel",
        "2025-01-14",
        "Gemeente Zwolle",
        related=(ZW_BESLUITENLIJST, ZW_MOTIE),
        classification="Raadsvoorstel",
    ),
    FixtureDocument(
        ZW_MOTIE,
        (
            "Motie vreemd aan de orde van de dag\n"
            "Titel: Gratis fietsenstalling bij het station\n\n"
            "De gemeenteraad van Zwolle, in vergadering bijeen op 10 februari 2025,\n\n"
            "constaterende dat reizigers bij het station betalen voor een bewaakte "
            "fietsenstalling;\n"
            "overwegende dat gratis stallen het fietsen naar het station stimuleert;\n\n"
            "verzoekt het college met ProRail in gesprek te gaan over een gratis "
            "fietsenstalling bij het station,\n\n"
            "en gaat over tot de orde van de dag.\n\n"
            "ChristenUnie, GroenLinks",
        ),
        "motie",
        "2025-02-10",
        "Gemeente Zwolle",
        related=(ZW_BESLUITENLIJST,),
        classification="Motie",
    ),
    FixtureDocument(
        ZW_BESLUITENLIJST,
        (
            "Besluitenlijst raadsvergadering 10 februari 2025\n"
            "Gemeenteraad van Zwolle\n\n"
            "Aanwezig: 39 leden\n"
            "Voorzitter: de burgemeester\n\n"
            "Agendapunt 5: Fietsparkeren binnenstad (2025-0412)\n"
            "Besluit: aangenomen met 33 stemmen voor en 6 tegen.\n\n"
            "Agendapunt 6: Motie vreemd aan de orde van de dag 'Gratis fietsenstalling bij "
            "het station' (ChristenUnie, GroenLinks)\n"
            "Besluit: verworpen.",
        ),
        "besluitenlijst",
        "2025-02-10",
        "Gemeente Zwolle",
        related=(ZW_VOORSTEL, ZW_MOTIE),
        classification="Besluitenlijst",
    ),
    FixtureDocument(
        ZW_WOO,
        (
            "Gemeente Zwolle\n"
            "Postbus 10007, 8000 GA Zwolle\n"
            "www.zwolle.nl\n\n"
            "Datum 20 maart 2025\n"
            "Ons kenmerk WOO-2025-031\n"
            "Onderwerp Besluit op uw Woo-verzoek over evenementenvergunningen\n\n"
            "Geachte mevrouw Hofman,\n\n"
            "Op 3 februari 2025 hebt u op grond van de Wet open overheid (Woo) gevraagd om "
            "alle documenten over de evenementenvergunningen voor het Havenfestival 2024. "
            "Wij hebben besloten uw verzoek gedeeltelijk toe te wijzen. Persoonsgegevens "
            "maken wij niet openbaar (artikel 5.1, tweede lid, onder e, Woo).\n\n"
            "Met vriendelijke groet,\n"
            "burgemeester en wethouders van Zwolle",
        ),
        "woo_besluit",
        "2025-03-20",
        "Gemeente Zwolle",
        related=(ZW_ONTVANGST,),
        classification="Besluit",
    ),
    FixtureDocument(
        ZW_ONTVANGST,
        (
            "Gemeente Zwolle\n"
            "Postbus 10007, 8000 GA Zwolle\n"
            "www.zwolle.nl\n\n"
            "Datum 6 februari 2025\n"
            "Ons kenmerk WOO-2025-031\n"
            "Onderwerp Ontvangstbevestiging van uw Woo-verzoek\n\n"
            "Geachte mevrouw Hofman,\n\n"
            "Op 3 februari 2025 hebben wij uw verzoek op grond van de Wet open overheid "
            "ontvangen. Wij beslissen binnen vier weken; als dat niet lukt, laten wij u dat "
            "weten.\n\n"
            "Met vriendelijke groet,\n"
            "namens burgemeester en wethouders van Zwolle",
        ),
        "brief",
        "2025-02-06",
        "Gemeente Zwolle",
        related=(ZW_WOO,),
        classification="Brief",
    ),
    FixtureDocument(
        GLD_STATENVOORSTEL,
        (
            "Statenvoorstel\n\n"
            "Datum 2 april 2025\n"
            "Zaaknummer 2025-004321\n"
            "Onderwerp Regionale energiestrategie Achterhoek 2.0\n\n"
            "Aan Provinciale Staten van Gelderland\n\n"
            "Wij stellen u voor de Regionale energiestrategie Achterhoek 2.0 vast te stellen "
            "als bouwsteen voor het provinciale energiebeleid.\n\n"
            "Gedeputeerde Staten van Gelderland,\n"
            "voorzitter, secretaris",
        ),
        "raadsvoorstel",
        "2025-04-02",
        "Provincie Gelderland",
        related=(GLD_BRIEF,),
        classification="Statenvoorstel",
    ),
    FixtureDocument(
        GLD_BRIEF,
        (
            "Provincie Gelderland\n"
            "Postbus 9090, 6800 GX Arnhem\n"
            "www.gelderland.nl\n\n"
            "Aan Provinciale Staten van Gelderland\n"
            "Datum 3 juni 2025\n"
            "Zaaknummer 2025-006789\n"
            "Onderwerp Voortgang Regionale energiestrategie Achterhoek\n\n"
            "Geachte Statenleden,\n\n"
            "Naar aanleiding van het statenvoorstel over de Regionale energiestrategie "
            "Achterhoek 2.0 (zaaknummer 2025-004321) informeren wij u over de voortgang van "
            "de zoekgebieden voor windenergie.\n\n"
            "Hoogachtend,\n"
            "Gedeputeerde Staten van Gelderland",
        ),
        "brief",
        "2025-06-03",
        "Provincie Gelderland",
        related=(GLD_STATENVOORSTEL,),
        classification="Brief",
    ),
    FixtureDocument(
        "gelderland_besluit_subsidie-dorpshuis.pdf",
        (
            "Provincie Gelderland\n"
            "Postbus 9090, 6800 GX Arnhem\n"
            "www.gelderland.nl\n\n"
            "Datum 12 mei 2025\n"
            "Zaaknummer 2025-005555\n"
            "Onderwerp Beschikking subsidie verduurzaming dorpshuis De Linde\n\n"
            "Geachte bestuurders van Stichting Dorpshuis De Linde,\n\n"
            "Op 14 maart 2025 hebben wij uw aanvraag ontvangen. Wij besluiten u een subsidie "
            "te verlenen van ten hoogste EUR 48.000 voor de verduurzaming van het dorpshuis.\n\n"
            "Met vriendelijke groet,\n"
            "Gedeputeerde Staten van Gelderland",
        ),
        "besluit",
        "2025-05-12",
        "Provincie Gelderland",
        classification="Besluit",
    ),
    FixtureDocument(
        "vallei-veluwe_watervergunning.pdf",
        (
            "Waterschap Vallei en Veluwe\n"
            "Postbus 4142, 7320 AC Apeldoorn\n"
            "www.vallei-veluwe.nl\n\n"
            "Datum 30 januari 2025\n"
            "Ons kenmerk 1234567\n"
            "Onderwerp Besluit watervergunning onttrekken grondwater Voorthuizen\n\n"
            "Geachte heer Van Ark,\n\n"
            "U hebt op 2 december 2024 een watervergunning aangevraagd voor het onttrekken "
            "van grondwater voor de bouw van een kelder. Wij verlenen u de vergunning onder "
            "de voorschriften in de bijlage.\n\n"
            "Met vriendelijke groet,\n"
            "het dagelijks bestuur van Waterschap Vallei en Veluwe",
        ),
        "besluit",
        "2025-01-30",
        "Waterschap Vallei en Veluwe",
        classification="Besluit",
    ),
)


def write_documents(folder: Path) -> list[Path]:
    """All fixture documents as PDFs in ``folder``."""
    return [write_pdf(folder / doc.name, list(doc.pages)) for doc in DOCUMENTS]
