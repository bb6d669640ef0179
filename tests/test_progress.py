"""Progress with an estimate of the time left, shared by the CLI and the web interface."""

from __future__ import annotations

import io

from rich.console import Console

from raadsinzicht.progress import ProgressTracker, console_progress, remaining_text


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_estimate_follows_the_pace_of_the_stage() -> None:
    clock = _Clock()
    tracker = ProgressTracker(clock=clock)
    assert tracker.update("parse", 0, 10, "a.pdf").remaining is None  # nothing done yet
    clock.now += 10
    status = tracker.update("parse", 2, 10, "b.pdf")
    assert status.remaining == 40.0 and status.label == "Lezen en knippen"
    assert status.describe() == "Lezen en knippen: 2 van 10 — nog ongeveer 40 seconden"
    # A stage that resumes half-way (embed after an interruption) is timed from there.
    clock.now += 5
    assert tracker.update("embed", 50, 100).remaining is None
    clock.now += 20
    resumed = tracker.update("embed", 60, 100)
    assert resumed.remaining == 80.0 and resumed.fraction == 0.6
    clock.now += 600
    done = tracker.update("parse", 10, 10)
    assert done.finished and done.describe().endswith("klaar")
    assert done.to_dict()["remaining"] == 0.0


def test_remaining_text_is_dutch() -> None:
    assert remaining_text(None) == "resterende tijd nog onbekend"
    assert remaining_text(0.2) == "bijna klaar"
    assert remaining_text(200) == "nog ongeveer 3 minuten"
    assert remaining_text(2 * 3600) == "nog ongeveer 2 uur"


def test_console_progress_without_a_terminal_logs_start_and_end() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=200)
    with console_progress(console) as report:
        for done in range(5):
            report("embed", done, 4)
        report("map", 0, 2)  # a summary reports without a detail
        report("map", 2, 2)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 4, lines  # each stage: a line when it starts and when it is done
    assert "Vectoren berekenen: 0 van 4" in lines[0] and lines[1].endswith("4 van 4 — klaar")
    assert "Delen samenvatten: 2 van 2 — klaar" in lines[3]
