"""The audit log (EU AI Act: logging and human oversight): every question and summary is
appended to ``<home>/audit.sqlite3``. The application only appends; SQLite triggers refuse
updates and deletes so a mistake in code cannot rewrite history."""

from .log import Activity, AuditLog, AuditRecord, Feedback, PurgeCounts

__all__ = ["Activity", "AuditLog", "AuditRecord", "Feedback", "PurgeCounts"]
