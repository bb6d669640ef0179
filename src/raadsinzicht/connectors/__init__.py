"""Connectors to council information systems (RIS). Each source is one module that
implements ``Connector``; ``CONNECTORS`` names them for the CLI and the settings.

Available: ``openbesluitvorming`` (openbesluitvorming.nl: Notubiz, iBabs,
GemeenteOplossingen and Parlaeus municipalities, provinces and water boards).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ConfigError
from ..settings import SourcesSettings
from .base import (
    Connector,
    FeedPage,
    FeedRecord,
    RisAgendaItem,
    RisDocument,
    RisEntity,
    RisMeeting,
    RisMotion,
    RisVote,
)
from .http import PoliteClient, TokenBucket, repair_url
from .openbesluitvorming import OpenBesluitvorming

__all__ = [
    "CONNECTORS",
    "Connector",
    "FeedPage",
    "FeedRecord",
    "PoliteClient",
    "RisAgendaItem",
    "RisDocument",
    "RisEntity",
    "RisMeeting",
    "RisMotion",
    "RisVote",
    "TokenBucket",
    "build_connector",
    "repair_url",
]

USER_AGENT = "raadsinzicht/0.1 (lokale raadsinformatie-index; https://github.com/raadsinzicht)"


def _openbesluitvorming(
    settings: SourcesSettings, base_url: str | None, **client: Any
) -> Connector:
    http = PoliteClient(
        base_url=base_url or settings.openbesluitvorming_url,
        per_minute=settings.requests_per_minute,
        max_retries=settings.max_retries,
        timeout=settings.timeout,
        user_agent=USER_AGENT,
        **client,
    )
    return OpenBesluitvorming(http)


CONNECTORS: dict[str, Callable[..., Connector]] = {"openbesluitvorming": _openbesluitvorming}


def build_connector(
    name: str, settings: SourcesSettings, *, base_url: str | None = None, **client: Any
) -> Connector:
    """The connector ``name`` configured from ``settings``; ``client`` passes test hooks
    (``clock``, ``sleep``) to the HTTP client."""
    factory = CONNECTORS.get(name)
    if factory is None:
        raise ConfigError(f"Onbekende bron '{name}'; beschikbaar: {', '.join(sorted(CONNECTORS))}")
    return factory(settings, base_url, **client)
