"""OpenBesluitvorming (openbesluitvorming.nl, the successor of Open Raadsinformatie):
bulk export (``/api/export/snapshot``, ``/api/export/changes``, NDJSON with
``X-Next-Cursor``/``X-Has-More``/``X-Changes-Cursor``) and entity detail
(``/api/entities/{id}``), as described in the API.md and ``schemas/`` of
github.com/ontola/openbesluitvorming. Free, read-only, no key; 60 units a minute.

Field names follow the export's compact payloads: a Document has ``name``,
``classification``, ``original_url``, ``file_name``, ``content_type``,
``last_discussed_at``, ``date_modified``, ``is_referenced_by`` and ``media_urls``; a
Meeting ``name``, ``start_date``, ``committee`` and ``agenda`` (items with ``id``,
``number``, ``title``, ``order``, ``documents`` and nested ``agenda_items``); a Motion
``name``, ``motion_type``, ``result``, ``tally`` (``in_favour``/``against``), ``votes``
(``option``, ``voter_name``, ``group_name``), ``proposers``, ``parties``, ``meeting``,
``agenda_item`` and ``attachment``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from ..errors import RemoteSourceError
from .base import (
    FeedPage,
    FeedRecord,
    RisAgendaItem,
    RisDocument,
    RisEntity,
    RisMeeting,
    RisMotion,
    RisVote,
)
from .http import PoliteClient, repair_url

__all__ = ["OpenBesluitvorming"]

_LOCAL = ZoneInfo("Europe/Amsterdam")  # the API's timestamps are UTC; meetings are Dutch time
_NOT_PDF_EXTENSIONS = (".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".mp4", ".jpg",
                       ".png", ".msg", ".eml", ".zip", ".txt", ".html")  # fmt: skip


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace(" ", "T", 1)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(_LOCAL)
    return moment.date()


def _first_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return next((v.strip() for v in value if isinstance(v, str) and v.strip()), None)
    return None


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list):
        return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())
    return ()


def _ref(value: Any) -> str | None:
    """An entity reference: a string id, or an object carrying ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _looks_like_pdf(content_type: str | None, *names: str | None) -> bool:
    if content_type:
        return "pdf" in content_type.lower()
    for name in names:
        if name:
            lowered = name.lower().split("?")[0]
            if lowered.endswith(".pdf"):
                return True
            if lowered.endswith(_NOT_PDF_EXTENSIONS):
                return False
    return True  # unknown: the download's first bytes decide


def _document(entity_id: str, payload: dict[str, Any]) -> RisDocument:
    media = payload.get("media_urls") or []
    first_media = media[0] if media and isinstance(media[0], dict) else {}
    raw_url = first_media.get("url") or payload.get("original_url")
    url = repair_url(raw_url if isinstance(raw_url, str) else None)
    content_type = first_media.get("content_type") or payload.get("content_type")
    referenced_by = _ref(payload.get("is_referenced_by"))
    return RisDocument(
        entity_id=entity_id,
        name=_first_text(payload.get("name")) or _first_text(payload.get("file_name")) or entity_id,
        url=url,
        document_type=_first_text(payload.get("classification")),
        date=_day(payload.get("last_discussed_at")) or _day(payload.get("date_modified")),
        meeting_id=referenced_by
        if referenced_by and referenced_by.startswith("meeting:")
        else None,
        is_pdf=_looks_like_pdf(
            content_type if isinstance(content_type, str) else None,
            payload.get("file_name") if isinstance(payload.get("file_name"), str) else None,
            url,
        ),
    )


def _agenda_items(
    items: Iterable[Any], parent: str | None, counter: list[int]
) -> list[RisAgendaItem]:
    out: list[RisAgendaItem] = []
    for item in items:
        if not isinstance(item, dict) or not _ref(item.get("id")):
            continue
        counter[0] += 1
        item_id = _ref(item.get("id")) or ""
        documents = tuple(
            doc_id
            for doc in item.get("documents") or []
            if (doc_id := _ref(doc.get("id") if isinstance(doc, dict) else doc))
        )
        out.append(
            RisAgendaItem(
                item_id=item_id,
                number=str(item.get("number") or "").strip(),
                title=_first_text(item.get("title")) or "",
                position=counter[0],
                parent_id=parent or _ref(item.get("parent")),
                document_ids=documents,
            )
        )
        out.extend(_agenda_items(item.get("agenda_items") or [], item_id, counter))
    return out


def _meeting(entity_id: str, payload: dict[str, Any]) -> RisMeeting:
    agenda = payload.get("agenda")
    return RisMeeting(
        entity_id=entity_id,
        name=_first_text(payload.get("name")) or _first_text(payload.get("title")) or entity_id,
        date=_day(payload.get("start_date")) or _day(payload.get("sortDate")),
        committee=_ref(payload.get("committee")),
        agenda=tuple(_agenda_items(agenda or [], None, [0])),
        complete=isinstance(agenda, list),
    )


def _motion(entity_id: str, payload: dict[str, Any], meeting_id: str | None = None) -> RisMotion:
    name = _first_text(payload.get("name")) or entity_id
    label = f"{payload.get('motion_type') or ''} {name}".lower()
    raw_tally = payload.get("tally")
    tally: dict[str, Any] = raw_tally if isinstance(raw_tally, dict) else {}
    votes = tuple(
        RisVote(
            option="voor" if str(v.get("option")).lower() == "voor" else "tegen",
            member=_first_text(v.get("voter_name")),
            party=_first_text(v.get("group_name")),
        )
        for v in payload.get("votes") or []
        if isinstance(v, dict) and str(v.get("option")).lower() in ("voor", "tegen")
    )
    result = _first_text(payload.get("result"))
    attachments = _texts(payload.get("attachment"))
    if not attachments and _ref(payload.get("attachment_id")):
        attachments = (_ref(payload.get("attachment_id")) or "",)
    return RisMotion(
        entity_id=entity_id,
        name=name,
        kind="amendement" if "amendement" in label else "motie",
        result=result.lower() if result else None,
        votes_for=tally.get("in_favour") if isinstance(tally.get("in_favour"), int) else None,
        votes_against=tally.get("against") if isinstance(tally.get("against"), int) else None,
        votes=votes,
        submitters=_texts(payload.get("proposers")) + _texts(payload.get("co_proposers")),
        parties=_texts(payload.get("parties")),
        meeting_id=_ref(payload.get("meeting")) or meeting_id,
        agenda_item_id=_ref(payload.get("agenda_item")),
        date=_day(payload.get("date")) or _day(payload.get("last_discussed_at")),
        attachment_ids=attachments,
        vote_summary=_first_text(payload.get("vote_summary")),
    )


class OpenBesluitvorming:
    """The OpenBesluitvorming API at ``base_url`` (default the public host)."""

    name = "openbesluitvorming"

    def __init__(self, client: PoliteClient) -> None:
        self._client = client
        self.base_url = client.base_url

    def close(self) -> None:
        self._client.close()

    @property
    def waited_seconds(self) -> float:
        return sum(self._client.slept)

    def _page(self, path: str, source: str, cursor: str | None, limit: int) -> FeedPage:
        params: dict[str, Any] = {"source": source, "limit": min(max(limit, 1), 1000)}
        if cursor:
            params["cursor"] = cursor
        lines, headers = self._client.get_lines(f"{self.base_url}{path}", params)
        records = []
        for number, line in enumerate(lines, start=1):
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RemoteSourceError(f"{path}: regel {number} is geen JSON") from exc
            record = self._record(raw)
            if record is not None:
                records.append(record)
        next_cursor = headers.get("X-Next-Cursor") or cursor or ""
        return FeedPage(
            records=records,
            next_cursor=next_cursor,
            has_more=(headers.get("X-Has-More") or "").strip().lower() == "true",
            changes_cursor=headers.get("X-Changes-Cursor"),
        )

    @staticmethod
    def _record(raw: Any) -> FeedRecord | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("entity_id"), str):
            return None
        op: Literal["upsert", "delete"] = "delete" if raw.get("op") == "delete" else "upsert"
        raw_payload = raw.get("payload")
        payload: dict[str, Any] = raw_payload if isinstance(raw_payload, dict) else {}
        entity_type = str(raw.get("entity_type") or payload.get("type") or "")
        return FeedRecord(
            op=op,
            entity_id=raw["entity_id"],
            entity_type=entity_type,
            content_hash=str(raw.get("content_hash") or ""),
            payload=payload,
            seq=raw.get("seq") if isinstance(raw.get("seq"), int) else None,
        )

    def snapshot(self, source: str, cursor: str | None, *, limit: int) -> FeedPage:
        return self._page("/api/export/snapshot", source, cursor, limit)

    def changes(self, source: str, cursor: str | None, *, limit: int) -> FeedPage:
        return self._page("/api/export/changes", source, cursor, limit)

    def parse(self, record: FeedRecord) -> RisEntity | None:
        kind = record.entity_type or str(record.payload.get("type") or "")
        if kind in ("Document", "MediaObject", "Report"):
            return _document(record.entity_id, record.payload)
        if kind == "Meeting":
            return _meeting(record.entity_id, record.payload)
        if kind == "Motion":
            return _motion(record.entity_id, record.payload)
        return None  # Committee, Person, Party, Recording, Vote: not kept

    def _entity(self, entity_id: str) -> dict[str, Any]:
        data = self._client.get_json(f"{self.base_url}/api/entities/{quote(entity_id, safe='')}")
        if not isinstance(data, dict):
            raise RemoteSourceError(f"entiteit {entity_id}: onverwacht antwoord")
        return data

    def detail(self, entity: RisEntity) -> list[RisEntity]:
        data = self._entity(entity.entity_id)
        if isinstance(entity, RisMeeting):
            meeting = _meeting(entity.entity_id, {"name": entity.name, **data})
            if meeting.date is None and entity.date is not None:
                meeting = RisMeeting(
                    meeting.entity_id, meeting.name, entity.date, meeting.committee,
                    meeting.agenda, meeting.complete,
                )  # fmt: skip
            motions: list[RisEntity] = [
                _motion(_ref(m.get("id")) or "", m, entity.entity_id)
                for m in data.get("motions") or []
                if isinstance(m, dict) and _ref(m.get("id"))
            ]
            return [meeting, *motions]
        if isinstance(entity, RisDocument):
            url = repair_url(data.get("pdfUrl") or data.get("downloadUrl"))
            content_type = data.get("contentType")
            return [
                RisDocument(
                    entity_id=entity.entity_id,
                    name=entity.name,
                    url=url or entity.url,
                    document_type=entity.document_type,
                    date=entity.date or _day(data.get("sortDate")),
                    meeting_id=entity.meeting_id or _ref(data.get("meetingId")),
                    is_pdf=bool(data.get("pdfUrl"))
                    or _looks_like_pdf(
                        content_type if isinstance(content_type, str) else None, url
                    ),
                )
            ]
        return [entity]

    def download(self, url: str, target: Path, *, max_bytes: int) -> int:
        return self._client.download(url, target, max_bytes=max_bytes)
