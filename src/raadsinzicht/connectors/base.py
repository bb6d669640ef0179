"""What every council-information source provides, in source-neutral types.

A connector pages through a source's current state (snapshot) and its change feed, and
turns each record into a ``RisDocument``, ``RisMeeting`` or ``RisMotion``; downloading,
ingesting, tombstones and cursors are the synchroniser's job (``raadsinzicht.sync``), so
a second source (ORI's Elasticsearch, a vendor API) is one more small module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol

__all__ = [
    "Connector",
    "FeedPage",
    "FeedRecord",
    "RisAgendaItem",
    "RisDocument",
    "RisEntity",
    "RisMeeting",
    "RisMotion",
    "RisVote",
]


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """One line of a source's export: an upsert with a payload, or a tombstone."""

    op: Literal["upsert", "delete"]
    entity_id: str
    entity_type: str
    content_hash: str
    payload: dict[str, Any] = field(default_factory=dict)
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class FeedPage:
    records: list[FeedRecord]
    next_cursor: str
    has_more: bool
    changes_cursor: str | None = None  # snapshot only: where the change feed starts


@dataclass(frozen=True, slots=True)
class RisDocument:
    entity_id: str
    name: str
    url: str | None  # the original file (repaired), None when the source gives none
    document_type: str | None  # the source's classification ("Motie", "Raadsvoorstel", ...)
    date: date | None  # the meeting where it was (last) discussed, else last modified
    meeting_id: str | None
    is_pdf: bool


@dataclass(frozen=True, slots=True)
class RisAgendaItem:
    item_id: str
    number: str
    title: str
    position: int
    parent_id: str | None
    document_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RisMeeting:
    entity_id: str
    name: str
    date: date | None
    committee: str | None
    agenda: tuple[RisAgendaItem, ...]
    complete: bool  # False: the payload had no agenda; the entity detail has to be asked


@dataclass(frozen=True, slots=True)
class RisVote:
    option: Literal["voor", "tegen"]
    member: str | None
    party: str | None


@dataclass(frozen=True, slots=True)
class RisMotion:
    entity_id: str
    name: str
    kind: Literal["motie", "amendement"]
    result: str | None  # aangenomen, verworpen, ingetrokken, aangehouden, overig
    votes_for: int | None
    votes_against: int | None
    votes: tuple[RisVote, ...]
    submitters: tuple[str, ...]
    parties: tuple[str, ...]
    meeting_id: str | None
    agenda_item_id: str | None
    date: date | None
    attachment_ids: tuple[str, ...]
    vote_summary: str | None


RisEntity = RisDocument | RisMeeting | RisMotion


class Connector(Protocol):
    """A council-information source. Implementations raise ``RemoteSourceError``."""

    name: str

    @property
    def waited_seconds(self) -> float:
        """Seconds spent waiting for the source (pacing, Retry-After) so far."""
        ...

    def snapshot(self, source: str, cursor: str | None, *, limit: int) -> FeedPage:
        """A page of the current state of ``source`` (cursor None: the first page)."""
        ...

    def changes(self, source: str, cursor: str | None, *, limit: int) -> FeedPage:
        """A page of the change feed of ``source`` from ``cursor``."""
        ...

    def parse(self, record: FeedRecord) -> RisEntity | None:
        """The entity of an upsert record (None for kinds raadsinzicht does not keep)."""
        ...

    def detail(self, entity: RisEntity) -> list[RisEntity]:
        """What the record left out, asked from the source: a meeting's agenda and motions,
        a document's file URL. Returns the completed entity first, then related ones."""
        ...

    def download(self, url: str, target: Path, *, max_bytes: int) -> int:
        """Write the file at ``url`` to ``target`` whole or not at all; returns its size."""
        ...

    def close(self) -> None: ...
