"""One worker process, spawned on first use and reused: for work that holds Python's global
lock for long stretches (MuPDF parsing and OCR, page rendering), which in the web app would
stall every other request. ``ingest.ParsingProcess`` and ``render.RenderProcess`` each own
one."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
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
                    initializer=partial(_start_child, os.getpid(), self._initializer),
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


# How often a child checks that the process that started it still runs.
PARENT_CHECK_SECONDS = 1.0


def _start_child(parent: int, initializer: Callable[[], None] | None) -> None:
    """In the child: end it when ``parent`` ends, then run ``initializer``. A pool's worker
    holds both ends of its own task pipe, so it never sees its parent go: after a killed
    app (``kill -9``, the OOM killer) each child stayed, idle, with 180 MB, until reboot."""
    threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()
    if initializer is not None:
        initializer()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)  # nothing to clean up: its work was for the parent
