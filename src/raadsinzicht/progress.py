"""Progress of long actions (ingest, embed, summarise, eval, sync) with an estimate of the
time left, for every shell: the library reports ``(stage, done, total, detail)``;
``ProgressTracker`` turns that into a ``ProgressStatus`` (Dutch label, fraction, seconds
left) that the CLI renders with Rich (``console_progress``) and the web interface can show
as it is (``status.describe()``, ``status.fraction``).

The estimate is the stage's average pace so far: (items left) / (items done per second
since the stage started), shown once at least one item is done and a second has passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from babel.dates import format_timedelta
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

__all__ = [
    "STAGE_LABELS",
    "ProgressReporter",
    "ProgressStatus",
    "ProgressTracker",
    "console_progress",
    "remaining_text",
]

STAGE_LABELS: dict[str, str] = {
    "parse": "Lezen en knippen",
    "embed": "Vectoren berekenen",
    "map": "Delen samenvatten",
    "sync": "Synchroniseren",
}
_MIN_SECONDS = 1.0  # no estimate before this much time has passed in a stage
_LOG_EVERY = 30.0  # seconds between lines when stderr is not a terminal


class ProgressReporter(Protocol):
    """What long actions call: ingest/embed/eval pass a detail (file name, item), a
    summary only the numbers."""

    def __call__(self, stage: str, done: int, total: int, detail: str = "") -> None: ...


def remaining_text(seconds: float | None) -> str:
    """'nog ongeveer 3 minuten' (Dutch, rounded as people say it)."""
    if seconds is None:
        return "resterende tijd nog onbekend"
    if seconds < 1:
        return "bijna klaar"
    return "nog ongeveer " + format_timedelta(timedelta(seconds=seconds), locale="nl")


@dataclass(frozen=True, slots=True)
class ProgressStatus:
    stage: str
    label: str  # Dutch
    done: int
    total: int
    detail: str
    elapsed: float  # seconds since the stage started
    remaining: float | None  # estimated seconds left; None until it can be estimated

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def fraction(self) -> float:
        return min(self.done / self.total, 1.0) if self.total > 0 else 0.0

    def describe(self) -> str:
        """One Dutch line, e.g. 'Lezen en knippen: 3 van 10 — nog ongeveer 2 minuten'."""
        if self.total <= 0:  # not known in advance (a change feed): the count only
            return f"{self.label}: {self.done}"
        left = "klaar" if self.finished else remaining_text(self.remaining)
        return f"{self.label}: {self.done} van {self.total} — {left}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "label": self.label,
            "done": self.done,
            "total": self.total,
            "detail": self.detail,
            "elapsed": round(self.elapsed, 1),
            "remaining": None if self.remaining is None else round(self.remaining, 1),
            "text": self.describe(),
        }


class ProgressTracker:
    """Keeps the start of each stage and estimates the time left from its pace."""

    def __init__(
        self,
        label: Callable[[str], str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._label = label or (lambda stage: STAGE_LABELS.get(stage, stage))
        self._clock = clock
        self._starts: dict[str, tuple[float, int]] = {}  # stage -> (time, done at start)

    def update(self, stage: str, done: int, total: int, detail: str = "") -> ProgressStatus:
        now = self._clock()
        started, done_at_start = self._starts.setdefault(stage, (now, done))
        elapsed = now - started
        progressed = done - done_at_start
        remaining = None
        if progressed > 0 and elapsed >= _MIN_SECONDS:
            remaining = max(total - done, 0) * elapsed / progressed
        return ProgressStatus(stage, self._label(stage), done, total, detail, elapsed, remaining)


@contextmanager
def console_progress(
    console: Console, *, label: Callable[[str], str] | None = None
) -> Iterator[ProgressReporter]:
    """A reporter for the CLI: a Rich bar per stage with the time left on a terminal,
    otherwise one line per stage every 30 s and when it finishes (readable in the log
    file of a background run)."""
    tracker = ProgressTracker(label)
    if console.is_terminal:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[left]}"),
            TextColumn("[dim]{task.fields[detail]}"),
            console=console,
        ) as bar:
            tasks: dict[str, Any] = {}

            def update(stage: str, done: int, total: int, detail: str = "") -> None:
                status = tracker.update(stage, done, total, detail)
                known = total if total > 0 else None  # 0: not known in advance
                if stage not in tasks:
                    tasks[stage] = bar.add_task(status.label, total=known, left="", detail="")
                left = "" if status.finished or not known else remaining_text(status.remaining)
                bar.update(
                    tasks[stage], completed=done, total=known, left=left, detail=detail[-50:]
                )

            yield update
        return

    last: dict[str, float] = {}

    def log(stage: str, done: int, total: int, detail: str = "") -> None:
        status = tracker.update(stage, done, total, detail)
        now = time.monotonic()
        if last.get(stage) == -1.0 or (
            not status.finished and now - last.get(stage, 0.0) < _LOG_EVERY
        ):
            return
        last[stage] = -1.0 if status.finished else now
        console.print(
            f"{time.strftime('%H:%M:%S')} {status.describe()} {detail[-60:]}".rstrip(),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )

    yield log
