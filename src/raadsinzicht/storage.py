"""Personal data never lands world-readable on disk: the data directory is 0700 and its
files 0600, and the processes that write into it (the CLI, the web server) create files
for their own account only (umask 077).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["PRIVATE_UMASK", "make_private", "restrict_umask"]

PRIVATE_UMASK = 0o077


def restrict_umask() -> None:
    """New files and folders of this process: owner only (0600/0700)."""
    os.umask(PRIVATE_UMASK)


def make_private(directory: Path) -> None:
    """Create ``directory`` owner-only, or make an existing one so: 0700, and 0600 for
    every file under it (an older install's catalog was 0644). A shared folder (sticky
    or world-writable, like /tmp) is left alone: it was never ours to close."""
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True)
        return
    mode = directory.stat().st_mode
    if mode & (stat.S_ISVTX | stat.S_IWOTH):
        return
    for root, folders, files in os.walk(directory):
        for name in folders + files:
            _owner_only(Path(root) / name)
    _owner_only(directory)


def _owner_only(path: Path) -> None:
    """Drop the group and other permission bits (0644 -> 0600, 0755 -> 0700)."""
    try:
        current = path.lstat().st_mode
        if not stat.S_ISLNK(current) and stat.S_IMODE(current) & 0o077:
            os.chmod(path, stat.S_IMODE(current) & 0o700)
    except OSError:  # removed meanwhile, or not ours: nothing to close
        return
