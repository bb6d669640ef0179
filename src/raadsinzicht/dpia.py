"""A DPIA building block (gegevensbeschermingseffectbeoordeling, AVG art. 35) generated
from the live configuration, next to the Algoritmeregister draft.

It follows the parts of the Model DPIA Rijksdienst that the software can describe itself:
which personal data may be processed, where it is stored, how it is pseudonymised, who
can see what, how long it is kept, and which model runs where. What only the municipality
can judge (legal basis, necessity, risks to data subjects) is marked ``IN TE VULLEN`` so
the block is never mistaken for a finished DPIA.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlparse

from .algoritmeregister import (
    TODO,
    RegisterField,
    render_json,
    render_markdown,
    technical_components,
)
from .privacy import ENTITY_TYPES, TYPE_LABELS
from .settings import Settings

__all__ = ["STANDARD", "build_dpia", "render_dpia"]

STANDARD = "Model DPIA Rijksdienst (bouwsteen: de door de software bekende onderdelen)"
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


def _todo(hint: str) -> str:
    return f"[{TODO}: {hint}]"


def _is_local(url: str) -> bool:
    return (urlparse(url if "://" in url else f"http://{url}").hostname or "") in _LOCAL_HOSTS


def _where_models_run(settings: Settings) -> str:
    llm, embedding, store = settings.llm, settings.embedding, settings.vector_store
    remote = []
    if llm.provider in ("auto", "ollama") and not _is_local(llm.ollama_url):
        remote.append(f"het taalmodel (Ollama op {llm.ollama_url})")
    if embedding.provider == "ollama" and not _is_local(embedding.ollama_url):
        remote.append(f"het embeddingmodel (Ollama op {embedding.ollama_url})")
    if store.host and store.host not in _LOCAL_HOSTS:
        remote.append(f"de vectoropslag (Chroma op {store.host}:{store.port})")
    if remote:
        where = (
            "Let op: " + ", ".join(remote) + " draait op een andere machine; tekst uit "
            "documenten en vragen gaat daarheen over het netwerk. Leg vast wie die machine "
            "beheert en of die binnen de eigen organisatie staat."
        )
    else:
        where = (
            "Alles draait op deze machine: er gaan geen documenten, vragen of antwoorden naar "
            "een andere partij, en tijdens gebruik wordt niets van internet geladen."
        )
    parts = technical_components(settings)
    return (
        f"{where} {parts['taalmodel']} Embedder: {parts['embedder']}. Vectoropslag: "
        f"{parts['vectoropslag']}."
    )


def _who_sees_what(settings: Settings) -> str:
    web, privacy = settings.web, settings.privacy
    if web.users:
        login = (
            f"De webinterface vraagt om in te loggen ({len(web.users)} gebruiker(s) in "
            "[web.users], alleen wachtwoord-hashes opgeslagen); de gebruikersnaam komt in elk "
            "auditrecord."
        )
    else:
        login = (
            "De webinterface heeft geen login ([web.users] is leeg): iedereen die het adres "
            f"{web.host}:{web.port} kan bereiken, kan alles zien en vragen"
            + (" — dat is alleen deze computer." if web.host in _LOCAL_HOSTS else ".")
        )
    reveal = (
        f"Originele waarden achter plaatshouders mogen alleen zien: "
        f"{', '.join(sorted(privacy.reveal_users))} (privacy.reveal_users); elke keer wordt "
        "vastgelegd in het auditlog."
        if privacy.reveal_users
        else "Niemand mag de originele waarden achter plaatshouders zien (privacy.reveal_users "
        "is leeg)."
    )
    access = settings.access
    if access.collections:
        rules = "; ".join(
            f"{name}: {', '.join(groups) or 'niemand'}"
            for name, groups in sorted(access.collections.items())
        )
        collections = (
            f"Toegang per collectie (access.collections, collectie: groepen): {rules}; de "
            "andere collecties zien alle gebruikers. Zoeken, antwoorden, lijsten, PDF's, "
            "samenvattingen en dossiers tonen alleen wat de gebruiker mag zien."
        )
    else:
        collections = "Alle gebruikers zien alle collecties (access.collections is leeg)."
    admins = [group for group in access.admin_groups if group in access.groups]
    roles = (
        f"Alleen leden van {', '.join(admins)} mogen uploaden, verwijderen en herindexeren en "
        "zien het hele auditlog; anderen zien hun eigen auditrecords."
        if admins
        else "Er is geen beheerdersgroep ingesteld: iedere gebruiker mag uploaden, verwijderen "
        "en herindexeren en ziet het hele auditlog."
    )
    return (
        f"{login} {collections} {roles} {reveal} Op de opdrachtregel werkt wie schrijfrechten "
        f"heeft op de datamap {settings.home} (alleen de eigenaar: map 0700, bestanden 0600), "
        "als zichzelf of met --user als een andere gebruiker; het auditlog legt ook het "
        "account van het besturingssysteem vast."
    )


def build_dpia(
    settings: Settings, *, collections: dict[str, int] | None = None
) -> list[RegisterField]:
    """The building block's fields. ``collections``: documents per collection, when known."""
    privacy, retention = settings.privacy, settings.retention
    home = settings.home
    sensitive = ", ".join(privacy.sensitive_collections) or "geen"
    if privacy.sensitive_prefixes:
        sensitive += f" en collecties die beginnen met {', '.join(privacy.sensitive_prefixes)}"
    types = ", ".join(TYPE_LABELS[t] for t in ENTITY_TYPES)
    if collections:
        held = "; ".join(f"{name}: {count}" for name, count in sorted(collections.items()))
        documents = f"Geïndexeerde collecties (aantal documenten): {held}."
    else:
        documents = f"Documenten uit de invoermap {settings.ingest_dir} (submappen = collecties)."
    return [
        RegisterField(
            "verwerking",
            "1. Voorstel en verwerkingen",
            "raadsinzicht maakt eigen raads- en beleidsdocumenten doorzoekbaar en beantwoordt "
            "vragen erover met paginaverwijzingen; daarnaast samenvattingen, een concept-intake "
            "van bezwaarschriften en het lakken van persoonsgegevens voor Woo-publicatie. "
            "Verwerkingen: PDF's lezen (met OCR), indexeren, zoeken, antwoorden en samenvatten "
            "met een taalmodel, pseudonimiseren, lakken, vastleggen in het auditlog, "
            f"gebruiksstatistieken (impact). {documents}",
        ),
        RegisterField(
            "persoonsgegevens",
            "2. Persoonsgegevens",
            f"In documenten kunnen staan: {types}; in bezwaarschriften en Woo-stukken ook "
            "gegevens van indieners en derden, mogelijk bijzondere persoonsgegevens (bijv. "
            "gezondheid) die de software niet apart herkent. Van gebruikers: gebruikersnaam, "
            "hun vragen, gekozen filters, beoordelingen (duim omhoog/omlaag met opmerking) en "
            "tijdstippen. "
            + _todo("welke categorieën van betrokkenen en gegevens verwacht u in de collecties"),
            True,
        ),
        RegisterField(
            "opslag",
            "3. Verwerkingslocaties en opslag",
            f"Alles in de datamap {home}: catalogus met de volledige tekst van de documenten "
            f"(catalog.sqlite3), trefwoord- en vectorindex, cache met OCR-tekst "
            f"({settings.pipeline_cache_path}), auditlog (audit.sqlite3), koppeltabel van "
            f"pseudoniemen (privacy/mapping.sqlite3) en verwijderde bestanden (prullenbak/). "
            f"De originele PDF's staan in {settings.ingest_dir}. Waar de modellen draaien: "
            "zie 7.",
        ),
        RegisterField(
            "pseudonimisering",
            "4. Pseudonimisering",
            f"In de collecties {sensitive} (privacy.sensitive_collections, "
            f"sensitive_prefixes) worden {types} "
            "vervangen door vaste plaatshouders ([PERSOON-1], [BSN-1], ...) voordat tekst het "
            "taalmodel bereikt; vragen, antwoorden en bezwaar-intakes staan alleen "
            "gepseudonimiseerd in het auditlog. Herkenning: deduce (namen, adressen) en "
            "patronen met controlegetal (elfproef voor BSN, mod-97 voor IBAN). De catalogus "
            "en de index bevatten de originele tekst (nodig om te zoeken en te citeren). "
            "Documenten in andere collecties worden niet gepseudonimiseerd.",
        ),
        RegisterField("toegang", "5. Wie kan wat zien", _who_sees_what(settings)),
        RegisterField(
            "bewaartermijnen",
            "6. Bewaartermijnen",
            f"Auditlog en beoordelingen: {retention.audit_days} dagen (retention.audit_days; "
            "minimaal 183 dagen, AI-verordening art. 26 lid 6). Koppeltabel van pseudoniemen: "
            f"{retention.pseudonym_days} dagen (retention.pseudonym_days); daarna zijn "
            "plaatshouders in oudere records niet meer terug te herleiden. `raadsinzicht purge` "
            "verwijdert wat verlopen is en legt dat vast in het auditlog; de database weigert "
            "records binnen de bewaartermijn te wijzigen of te verwijderen. Documenten blijven "
            "in de index zolang ze in de invoermap staan; verwijderen met `raadsinzicht remove` "
            "(de OCR-cache en de prullenbak moeten apart geleegd worden). "
            + _todo("hoe vaak purge draait (bijv. maandelijks) en of dit past bij de Archiefwet"),
            True,
        ),
        RegisterField(
            "model",
            "7. Technieken: het model en waar het draait",
            _where_models_run(settings)
            + " AI adviseert, de mens beslist: elke zin in een antwoord moet steun vinden in "
            "de geciteerde passage, anders wordt hij gemarkeerd of wordt het antwoord "
            "geweigerd.",
        ),
        RegisterField(
            "rechtsgrond",
            "8. Rechtsgrond en doelbinding",
            _todo(
                "grondslag (bijv. AVG art. 6 lid 1 onder e met de Gemeentewet; Awb hoofdstuk 6 "
                "en 7 voor bezwaar; Woo), en of het gebruik past bij het doel waarvoor de "
                "gegevens zijn verzameld"
            ),
            True,
        ),
        RegisterField(
            "noodzaak",
            "9. Noodzaak en evenredigheid",
            _todo(
                "waarom deze verwerking nodig is en waarom minder ingrijpende middelen niet "
                "volstaan"
            ),
            True,
        ),
        RegisterField(
            "rechten",
            "10. Rechten van betrokkenen",
            "Inzage: zoeken op naam vindt documenten en passages; de koppeltabel vindt "
            "plaatshouders terug. Verwijdering: document uit de index halen (`raadsinzicht "
            "remove`) en verlopen records opschonen (`raadsinzicht purge`). "
            + _todo("procedure voor verzoeken van betrokkenen"),
            True,
        ),
        RegisterField(
            "risicos",
            "11. Risico's en maatregelen",
            "Genomen maatregelen: lokaal draaien, geen verbinding met internet nodig, "
            "pseudonimisering van gevoelige collecties, alleen-toevoegen auditlog (afgedwongen "
            "door de database), controle van elke zin tegen de bron, weigeren zonder relevante "
            "bron, bewaartermijnen met purge, bestandsrechten op de koppeltabel. "
            + _todo("beoordeling van de risico's voor betrokkenen en restrisico's"),
            True,
        ),
    ]


def render_dpia(fields: list[RegisterField], *, fmt: str = "md", today: date | None = None) -> str:
    if fmt == "json":
        return render_json(fields, today=today, standard=STANDARD)
    return render_markdown(
        fields,
        today=today,
        heading="DPIA-bouwsteen: raadsinzicht",
        standard=STANDARD,
    )
