"""Retention: removing audit records, their feedback and pseudonyms once they are older
than the configured periods (``[retention]``), never anything younger.

The audit log's own triggers refuse to delete a record younger than the retention period
stored in the database, so this module cannot remove young records even by mistake; it
asks for no more than the settings allow and reports what it did. Each purge is itself
appended to the audit log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .audit import AuditLog, AuditRecord
from .errors import RaadsinzichtError
from .privacy import Pseudonymizer
from .settings import Settings

__all__ = ["PurgeReport", "purge_expired"]


@dataclass(frozen=True, slots=True)
class PurgeReport:
    requested_before: date | None  # the date asked for (None: everything expired)
    audit_before: datetime  # what was removed from the audit log is older than this
    pseudonyms_before: datetime
    audit_days: int
    pseudonym_days: int
    records: int
    feedback: int
    pseudonyms: int

    @property
    def limited(self) -> bool:
        """Did the retention periods hold back part of what was asked for?"""
        if self.requested_before is None:
            return False
        return min(self.audit_before, self.pseudonyms_before).date() < self.requested_before

    def summary(self) -> str:
        return (
            f"{self.records} auditrecords en {self.feedback} beoordelingen van vóór "
            f"{self.audit_before.date().isoformat()}, {self.pseudonyms} pseudoniemen van vóór "
            f"{self.pseudonyms_before.date().isoformat()} verwijderd"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "requested_before": self.requested_before.isoformat()
            if self.requested_before
            else None,
            "audit_before": self.audit_before.isoformat(timespec="seconds"),
            "pseudonyms_before": self.pseudonyms_before.isoformat(timespec="seconds"),
            "audit_days": self.audit_days,
            "pseudonym_days": self.pseudonym_days,
            "records": self.records,
            "feedback": self.feedback,
            "pseudonyms": self.pseudonyms,
            "limited": self.limited,
        }


def purge_expired(
    settings: Settings,
    audit: AuditLog,
    pseudonymizer: Pseudonymizer,
    *,
    before: date | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> PurgeReport:
    """Remove what is older than ``before`` (a local date; default: everything expired)
    *and* older than its retention period. Logged as a ``purge`` audit record."""
    now = now or datetime.now(UTC)
    retention = settings.retention
    zone = ZoneInfo(settings.impact.timezone)
    requested = datetime.combine(before, time(), zone) if before else None

    def cutoff(days: int) -> datetime:
        expired = now - timedelta(days=days)
        return min(requested, expired) if requested else expired

    audit_before = cutoff(retention.audit_days)
    pseudonyms_before = cutoff(retention.pseudonym_days)
    try:
        counts = audit.purge(before=audit_before, retention_days=retention.audit_days)
    except sqlite3.DatabaseError as exc:  # the triggers refused: nothing was removed
        raise RaadsinzichtError(f"Opschonen van het auditlog geweigerd: {exc}") from exc
    pseudonyms = pseudonymizer.purge(before=pseudonyms_before)
    report = PurgeReport(
        requested_before=before,
        audit_before=audit_before,
        pseudonyms_before=pseudonyms_before,
        audit_days=retention.audit_days,
        pseudonym_days=retention.pseudonym_days,
        records=counts.records,
        feedback=counts.feedback,
        pseudonyms=pseudonyms,
    )
    audit.append(
        AuditRecord(
            action="purge",
            input=f"vóór {before.isoformat()}" if before else "alles buiten de bewaartermijn",
            filters=report.to_dict(),
            answer=report.summary(),
            user=user,
            settings_fingerprint=settings.index_fingerprint(),
        )
    )
    return report
