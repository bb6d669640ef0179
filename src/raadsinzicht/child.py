"""One worker process, spawned on first use and reused: for work that holds Python's global
lock for long stretches (MuPDF parsing and OCR, page rendering), which in the web app would
stall every other request. ``ingest.ParsingProcess`` and ``render.RenderProcess`` each own
one."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.process import BaseProcess

__all__ = ["ChildProcess"]


class ChildProcess:
    """``initializer`` runs in the child when it starts (e.g. a lower CPU priority).
    Thread-safe: the web app's request threads share one."""

    def __init__(self, initializer: Callable[[], None] | None = None) -> None:
        self._initializer = initializer
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def pool(self) -> ProcessPoolExecutor:
        """The running child, started (spawned: no forked threads or locks) when there is
        none."""
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=self._initializer,
                )
            return self._pool

    def workers(self) -> list[BaseProcess]:
        """The child's process (none before the first use or after ``stop``)."""
        with self._lock:
            return _processes(self._pool)

    def stop(
        self, pool: ProcessPoolExecutor | None = None, *, kill: bool = False, wait: bool = True
    ) -> None:
        """Stop the child; the next ``pool`` starts a new one. ``pool``: only if the child is
        still that one (a crashed child another thread already replaced stays replaced).
        ``kill``: at once, without waiting for the task it runs."""
        with self._lock:
            if self._pool is None or (pool is not None and self._pool is not pool):
                return
            current, self._pool = self._pool, None
        if kill:
            for process in _processes(current):
                process.kill()
        current.shutdown(wait=wait and not kill, cancel_futures=True)


def _processes(pool: ProcessPoolExecutor | None) -> list[BaseProcess]:
    # The executor keeps its worker processes in a private mapping (no public accessor);
    # None until the first task starts one.
    workers = getattr(pool, "_processes", None) or {}
    return list(workers.values())
