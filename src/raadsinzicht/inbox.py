"""The inbox (``settings.ingest_dir``) as users fill and empty it: the rules for a file
added by upload (a safe base name, a real PDF within the size limit, a free name in the
collection's folder) and the trash that removed files move to, so that the next ingest of
the inbox does not add them back. Also: file names as they are shown to people (a name
need not be valid UTF-8, and may hold a newline).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = [
    "TRASH_DIR",
    "InboxEntry",
    "add_to_inbox",
    "display_name",
    "free_target",
    "move_to_trash",
    "pdf_problem",
    "sanitize_collection",
    "sanitize_filename",
]

TRASH_DIR = "prullenbak"  # under home: files removed from the inbox, recoverable
ROOT_COLLECTION = "algemeen"  # files directly in the inbox (ingest.py uses the same name)

_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(name: str) -> str:
    """``name`` safe to print on one line: bytes that are not UTF-8 (kept by Python as
    surrogates) and control characters such as a newline appear as escapes (\\xe9, \\n)."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def sanitize_filename(name: str) -> str | None:
    """A safe file name for an upload: base name only (no folders, no '..'), safe
    characters, '.pdf' extension; None when the name is not that of a PDF."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    base = "".join(ch for ch in base if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)
    stem, dot, extension = base.rpartition(".")
    if not dot or extension.lower() != "pdf":
        return None
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._-")
    stem = re.sub(r"_{2,}", "_", stem)[:120].rstrip(" ._-")
    return f"{stem or 'document'}.pdf"


def sanitize_collection(name: str | None) -> str:
    """A collection is one folder level under the inbox; '' means the inbox itself."""
    value = unicodedata.normalize("NFC", (name or "").strip())
    if not value or value.lower() == ROOT_COLLECTION:
        return ""
    value = _UNSAFE_NAME.sub("_", value.replace("/", "_").replace("\\", "_")).strip(" ._-")
    return value[:60]


def pdf_problem(source: Path, limit_mb: int, *, name: str | None = None) -> str | None:
    """Why a file offered by a user cannot be taken (Dutch), or None. ``name``: the name
    it was offered under (default: its own)."""
    if sanitize_filename(name or source.name) is None:
        return "alleen PDF-bestanden (.pdf) worden geaccepteerd"
    try:
        size = source.stat().st_size
        with source.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return "het bestand kon niet gelezen worden"
    if size > limit_mb * 1024 * 1024:
        return f"te groot ({size / 1048576:.1f} MB; maximaal {limit_mb} MB)"
    if size == 0:
        return "het bestand is leeg"
    if b"%PDF-" not in head:
        return "dit is geen PDF-bestand (de inhoud is geen PDF)"
    return None


def free_target(folder: Path, name: str, source: Path) -> Path:
    """``folder/name``, or ``name (2).pdf`` ... when another file already has that name.
    An identical file under the same name is reused (it is simply indexed again)."""
    target = folder / name
    stem = target.stem
    number = 2
    while target.exists():
        if target.stat().st_size == source.stat().st_size and _same_bytes(target, source):
            return target
        target = folder / f"{stem} ({number}).pdf"
        number += 1
    return target


def _same_bytes(a: Path, b: Path) -> bool:
    with a.open("rb") as first, b.open("rb") as second:
        while True:
            block = first.read(1 << 20)
            if block != second.read(1 << 20):
                return False
            if not block:
                return True


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One offered file: where it went, or why not."""

    name: str  # as offered (for the user)
    target: Path | None  # in the inbox; None when refused
    created: bool = False  # this call wrote the file (it was not there already)
    problem: str | None = None


def add_to_inbox(
    inbox: Path, files: Sequence[tuple[Path, str]], collection: str | None, *, limit_mb: int
) -> list[InboxEntry]:
    """Copy offered files ((temporary path, name offered)) into the collection's folder of
    the inbox under safe, free names; refused files get a Dutch reason."""
    folder_name = sanitize_collection(collection)
    folder = inbox / folder_name if folder_name else inbox
    entries: list[InboxEntry] = []
    for source, offered in files:
        problem = pdf_problem(source, limit_mb, name=offered)
        name = sanitize_filename(offered)
        if problem or name is None:
            entries.append(InboxEntry(offered, None, problem=problem))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = free_target(folder, name, source)
        created = not target.exists()
        if created:
            shutil.copyfile(source, target)
        entries.append(InboxEntry(offered, target, created=created))
    return entries


def move_to_trash(path: Path, home: Path) -> Path:
    """Move a removed file out of the inbox into ``<home>/prullenbak`` (time-stamped)."""
    trash = home / TRASH_DIR
    trash.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = trash / f"{stamp}-{path.name}"
    number = 2
    while target.exists():
        target = trash / f"{stamp}-{number}-{path.name}"
        number += 1
    shutil.move(path, target)
    return target
