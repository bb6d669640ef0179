"""The first run (`raadsinzicht demo`): index the example documents shipped in
``examples/`` into the normal data directory (so `serve` shows them afterwards) and answer
one question for each kind of user, with citations.

Answers come from a language model only when one was chosen explicitly (``--provider``,
or ``[llm] provider`` in the configuration): with the default settings the demo must
finish in seconds, not minutes, so it asks for the answer quoted from the sources
(``provider = "extractive"``). A build without extractive answers shows the cited search
results instead of calling a model.
"""

from __future__ import annotations

import logging
import threading
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .answer import Answer
from .engine import Engine
from .errors import InputError
from .ingest import IngestReport
from .privacy import is_sensitive, load_detector
from .progress import ProgressReporter
from .retrieve import SearchFilters, SearchHit
from .settings import LLMSettings, Settings

__all__ = [
    "EXAMPLE_QUESTIONS",
    "ExampleAnswer",
    "ExampleQuestion",
    "answer_examples",
    "answer_settings",
    "find_examples",
    "index_examples",
    "providers",
    "start_privacy_warmup",
]

logger = logging.getLogger(__name__)

EXTRACTIVE = "extractive"


@dataclass(frozen=True, slots=True)
class ExampleQuestion:
    group: str  # who would ask it (Dutch)
    question: str
    collections: tuple[str, ...]  # where that user looks (a collection = a subfolder)


# One question per kind of user, each answerable from the examples (see examples/SOURCES.md).
EXAMPLE_QUESTIONS: tuple[ExampleQuestion, ...] = (
    ExampleQuestion(
        "Raadslid",
        "Welke partij diende de motie over sleutelgeld in?",
        ("moties",),
    ),
    ExampleQuestion(
        "Griffie",
        "Wat besloot de raad op 23 januari 2025 over de motie over hoogbegaafdheid?",
        ("besluiten",),
    ),
    ExampleQuestion(
        "Beleidsadviseur",
        "Wanneer treedt de Verordening nadeelcompensatie Den Haag 2025 in werking?",
        ("raadsvoorstellen", "besluiten"),
    ),
    ExampleQuestion(
        "Woo-coördinator",
        "Voor welk evenement is een vergunning verleend op het Museumplein?",
        ("besluiten", "woo"),
    ),
    # Last: the bezwaar collection is pseudonymised, which loads the name recogniser
    # (deduce) once; see the README for what that costs on a new machine.
    ExampleQuestion(
        "Jurist bezwaar en beroep",
        "Binnen hoeveel weken kan beroep worden ingesteld tegen de beslissing op bezwaar "
        "over de Stationsweg?",
        ("bezwaar",),
    ),
)


@dataclass(slots=True)
class ExampleAnswer:
    question: ExampleQuestion
    answer: Answer | None  # None: no answering mode without a model in this build
    hits: list[SearchHit]  # what the answer was built from (or the search results)


def providers() -> tuple[str, ...]:
    """The answer providers this build knows (``[llm] provider``)."""
    annotation = LLMSettings.model_fields["provider"].annotation
    return tuple(str(value) for value in typing.get_args(annotation))


def find_examples(given: Path | None = None) -> Path:
    """``given``, else ``./examples``, else the examples next to the source checkout."""
    candidates = [given] if given else [Path("examples"), Path(__file__).parents[2] / "examples"]
    for candidate in candidates:
        if candidate is not None and candidate.is_dir() and any(candidate.rglob("*.pdf")):
            return candidate
    raise InputError(
        f"Geen voorbeelddocumenten gevonden in {candidates[0]}; geef de map met --examples."
    )


def answer_settings(settings: Settings, provider: str | None = None) -> Settings | None:
    """The settings the demo answers with. A model only when one was chosen: ``provider``
    here, or ``[llm] provider`` set in the configuration or environment; otherwise the
    extractive answer. None when this build has no way to answer without a model (then
    the demo shows search results)."""
    chosen = provider or (
        settings.llm.provider if "provider" in settings.llm.model_fields_set else None
    )
    if chosen is None:
        if EXTRACTIVE not in providers():
            return None
        chosen = EXTRACTIVE
    if chosen not in providers():
        raise InputError(f"Onbekende provider '{chosen}'; kies uit: {', '.join(providers())}.")
    llm = settings.llm.model_copy(update={"provider": chosen})
    return settings.model_copy(update={"llm": llm})


def start_privacy_warmup(settings: Settings, examples: Path) -> threading.Thread | None:
    """Load the name recogniser (deduce) in the background when an example collection is
    pseudonymised: on a new machine deduce first builds its lookup cache (about two
    minutes of one CPU), which then overlaps with indexing instead of following it.
    Join the thread before exiting: deduce writes that cache in place."""
    collections = [p.name for p in examples.iterdir() if p.is_dir()]
    if not is_sensitive(settings, collections):
        return None

    def warm() -> None:
        try:
            load_detector()
        except Exception:  # the question that needs deduce meets (and reports) the same error
            logger.debug("deduce laden op de achtergrond mislukt", exc_info=True)

    thread = threading.Thread(target=warm, name="deduce-laden")
    thread.start()
    return thread


def index_examples(
    engine: Engine, examples: Path, *, progress: ProgressReporter | None = None
) -> IngestReport:
    """Index the example folder (its subfolders are the collections); idempotent."""
    return engine.ingest([examples], progress=progress)


def answer_examples(
    engine: Engine,
    *,
    answering: bool,
    user: str | None = None,
    before: Callable[[ExampleQuestion], None] | None = None,
) -> Iterator[ExampleAnswer]:
    """Each example question answered (audited like any question) or, without an
    answering mode, the three best search hits. ``before`` is called with each question
    before it is asked (the CLI says there why a question waits)."""
    for item in EXAMPLE_QUESTIONS:
        if before is not None:
            before(item)
        filters = SearchFilters(collections=item.collections)
        if answering:
            answer = engine.ask(item.question, filters=filters, user=user)
            yield ExampleAnswer(item, answer, answer.sources)
        else:
            yield ExampleAnswer(item, None, engine.search(item.question, top_k=3, filters=filters))
