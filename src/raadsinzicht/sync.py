"""Synchronising a council information source into the index.

The first run pages through the source's snapshot, keeping the change-feed cursor of the
first page; later runs follow the change feed. The cursor is stored in the catalog after
every page whose records are all handled, so an interrupted run (network, API, Ctrl-C)
resumes at that page and loses nothing already stored. A record whose ``content_hash``
is unchanged costs nothing; a tombstone removes the entity and its file.

Documents are downloaded (always the original PDF: the source's own text stops after 40
pages) into ``<ingest_dir>/<source>/`` and go through the normal ingest pipeline, so they
form a collection named after the source; meetings, agenda items and motions with their
votes are stored as council records that keep the RIS links.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .connectors.base import Connector, FeedPage, FeedRecord, RisDocument, RisMeeting, RisMotion
from .errors import RemoteSourceError
from .index.catalog import Catalog
from .index.council import CouncilStore, SyncState
from .ingest import IngestReport, ProgressCallback, sha256_of
from .settings import Settings

__all__ = ["SyncFailure", "SyncReport", "Synchronizer"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncFailure:
    entity_id: str
    name: str
    error: str


@dataclass(slots=True)
class SyncReport:
    connector: str
    source: str
    phase: str = "snapshot"  # where the run ended: snapshot (not finished) or changes
    pages: int = 0
    records: int = 0
    unchanged: int = 0
    meetings: int = 0
    motions: int = 0
    documents_added: int = 0
    documents_updated: int = 0
    deleted: int = 0
    skipped: int = 0  # not a PDF, no file, or older than --since
    failed: list[SyncFailure] = field(default_factory=list)
    embedded: int = 0
    waited_seconds: float = 0.0  # pacing and Retry-After
    seconds: float = 0.0
    error: str | None = None  # why the run stopped early (resume with the next run)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 2)
        data["waited_seconds"] = round(self.waited_seconds, 2)
        return data

    def summary(self) -> str:
        """The one-line Dutch summary the CLI prints."""
        state = "bijgewerkt" if self.error is None else "onderbroken"
        line = (
            f"{self.source}: {state} — {self.records} records in {self.pages} pagina's; "
            f"{self.documents_added} documenten nieuw, {self.documents_updated} gewijzigd, "
            f"{self.deleted} verwijderd, {self.unchanged} ongewijzigd, "
            f"{self.skipped} overgeslagen, "
            f"{len(self.failed)} mislukt; {self.meetings} vergaderingen, {self.motions} moties; "
            f"{self.seconds:.1f} s"
        )
        if self.waited_seconds >= 1:
            line += f" (waarvan {self.waited_seconds:.0f} s wachten op de bron)"
        return line


_PDF_MAGIC = b"%PDF-"


def _previous(target: Path) -> Path:
    return target.with_name(f".{target.name}.vorige")


def _slug(text: str, limit: int = 70) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "document"


class Synchronizer:
    def __init__(
        self,
        settings: Settings,
        connector: Connector,
        *,
        catalog: Catalog,
        ingest: Callable[[list[Path]], IngestReport],
        remove: Callable[[list[str]], None],
    ) -> None:
        self._settings = settings
        self._connector = connector
        self._catalog = catalog
        self._store = CouncilStore(catalog)
        self._ingest = ingest
        self._remove = remove

    def folder(self, source: str) -> Path:
        """Where the files of ``source`` are kept: a collection of the ingest folder."""
        return self._settings.ingest_dir.resolve() / _slug(source, 40)

    def run(
        self, source: str, *, since: date | None = None, progress: ProgressCallback | None = None
    ) -> SyncReport:
        started = time.perf_counter()
        name = self._connector.name
        report = SyncReport(connector=name, source=source)
        state = self._store.sync_state(name, source) or SyncState(
            name, source, "snapshot", None, None
        )
        limit = self._settings.sources.page_size
        try:
            self._retry_failed(source, report)
            while True:
                first = state.phase == "snapshot" and state.cursor is None
                if state.phase == "snapshot":
                    page = self._connector.snapshot(source, state.cursor, limit=limit)
                else:
                    page = self._connector.changes(source, state.cursor, limit=limit)
                report.pages += 1
                self._handle_page(source, page, since, report, progress)
                if state.phase == "snapshot":
                    changes = page.changes_cursor if first else state.changes_cursor
                    if page.has_more:
                        state = SyncState(name, source, "snapshot", page.next_cursor, changes)
                    else:  # snapshot complete: follow the change feed from its first page
                        state = SyncState(name, source, "changes", changes, changes)
                    self._store.save_sync_state(state)
                    continue
                state = SyncState(name, source, "changes", page.next_cursor, state.changes_cursor)
                self._store.save_sync_state(state)
                if not page.has_more:
                    break
        except RemoteSourceError as exc:
            report.error = str(exc)
        report.phase = state.phase
        report.waited_seconds = self._connector.waited_seconds
        report.seconds = time.perf_counter() - started
        return report

    def _retry_failed(self, source: str, report: SyncReport) -> None:
        """Downloads that failed before (broken link, server error) get another chance."""
        downloads = []
        for record, document in self._store.failed_documents(self._connector.name, source):
            known = self._store.entity(record.entity_id)
            target = self._download(source, record, document, None, report)
            if target is not None:
                downloads.append((record, document, target, known.abs_path if known else None))
        if downloads:
            self._ingest_downloads(source, downloads, report)

    # -- one page ---------------------------------------------------------------------------

    def _handle_page(
        self,
        source: str,
        page: FeedPage,
        since: date | None,
        report: SyncReport,
        progress: ProgressCallback | None,
    ) -> None:
        downloads: list[tuple[FeedRecord, RisDocument, Path, str | None]] = []
        for record in page.records:
            report.records += 1
            if progress:
                progress("sync", report.records, 0, record.entity_id)
            if record.op == "delete":
                self._delete(record, report)
                continue
            known = self._store.entity(record.entity_id)
            if known and known.content_hash == record.content_hash and known.status != "failed":
                report.unchanged += 1
                continue
            entity = self._connector.parse(record)
            if entity is None:
                continue  # a kind raadsinzicht does not keep (committee, person, ...)
            if isinstance(entity, RisMeeting):
                if not entity.complete:
                    details = self._connector.detail(entity)
                    entity = details[0] if isinstance(details[0], RisMeeting) else entity
                    self._store.store_related(source, details[1:])
                self._store.record_entity(self._connector.name, source, record, entity, status="ok")
                report.meetings += 1
            elif isinstance(entity, RisMotion):
                self._store.record_entity(self._connector.name, source, record, entity, status="ok")
                report.motions += 1
            elif isinstance(entity, RisDocument):
                target = self._download(source, record, entity, since, report)
                if target is not None:
                    downloads.append((record, entity, target, known.abs_path if known else None))
        if downloads:
            self._ingest_downloads(source, downloads, report)

    def _download(
        self,
        source: str,
        record: FeedRecord,
        document: RisDocument,
        since: date | None,
        report: SyncReport,
    ) -> Path | None:
        if since and document.date and document.date < since:
            report.skipped += 1
            return None
        if not document.url:
            details = self._connector.detail(document)
            document = details[0] if isinstance(details[0], RisDocument) else document
        if not document.url or not document.is_pdf:
            reason = "geen PDF" if document.url else "geen bestand bij de bron"
            self._store.record_entity(
                self._connector.name, source, record, document, status="skipped", error=reason
            )
            report.skipped += 1
            return None
        folder = self.folder(source)
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(record.entity_id.encode()).hexdigest()[:10]
        target = folder / f"{_slug(document.name)}-{digest}.pdf"
        partial = folder / f".{target.name}.download"
        try:
            self._connector.download(
                document.url, partial, max_bytes=self._settings.sources.max_download_mb << 20
            )
            with partial.open("rb") as handle:
                if handle.read(len(_PDF_MAGIC)) != _PDF_MAGIC:
                    raise RemoteSourceError(f"{document.url} is geen PDF-bestand")
            if target.exists():  # the indexed version, back if the new one fails to ingest
                target.replace(_previous(target))
            partial.replace(target)
        except RemoteSourceError as exc:
            partial.unlink(missing_ok=True)
            self._fail(source, record, document, str(exc), report)
            return None
        return target

    def _ingest_downloads(
        self,
        source: str,
        downloads: Sequence[tuple[FeedRecord, RisDocument, Path, str | None]],
        report: SyncReport,
    ) -> None:
        ingested = self._ingest([target for _, _, target, _ in downloads])
        problems = {failure.file: failure.error for failure in ingested.failed}
        for record, document, target, previous in downloads:
            stored = self._catalog.file(str(target))
            # The same path may still hold the previous version's record: compare content.
            if stored is None or not target.exists() or stored.doc_id != sha256_of(target):
                rel = target.relative_to(self._settings.ingest_dir.resolve()).as_posix()
                error = problems.get(rel) or problems.get(str(target)) or "niet geïndexeerd"
                if _previous(target).exists():
                    _previous(target).replace(target)  # what is indexed stays on disk
                else:
                    target.unlink(missing_ok=True)  # a file the index does not know
                self._fail(source, record, document, error, report)
                continue
            _previous(target).unlink(missing_ok=True)
            if previous and previous != str(target):
                self._remove([previous])  # renamed at the source: the old file goes
            self._store.record_entity(
                self._connector.name, source, record, document, status="ok", abs_path=str(target)
            )
            if previous:
                report.documents_updated += 1
            else:
                report.documents_added += 1

    def _fail(
        self, source: str, record: FeedRecord, document: RisDocument, error: str, report: SyncReport
    ) -> None:
        known = self._store.entity(record.entity_id)
        # An earlier version of the file stays indexed until a new one arrives.
        self._store.record_entity(
            self._connector.name,
            source,
            record,
            document,
            status="failed",
            abs_path=known.abs_path if known else None,
            error=error,
        )
        report.failed.append(SyncFailure(record.entity_id, document.name, error))

    def _delete(self, record: FeedRecord, report: SyncReport) -> None:
        known = self._store.forget_entity(record.entity_id)
        if known is None:
            return
        if known.abs_path:
            self._remove([known.abs_path])
        report.deleted += 1
