"""Loading deduce leaves the process as it found it: logging unconfigured (no library's
debug output on stdout), the warning filters as they were and the garbage collector
running. Run in a fresh interpreter:
pytest configures logging itself."""

from __future__ import annotations

import subprocess
import sys

SCENARIO = """
import gc, logging, warnings
from raadsinzicht import privacy
chatty = logging.getLogger("een.bibliotheek")
chatty.setLevel(logging.DEBUG)
with privacy._root_logging_kept():
    logging.basicConfig(level=logging.DEBUG)   # what deduce does on import
    logging.info("lookup-structuren bouwen")    # ... and while it builds its cache
    chatty.debug("debug van een bibliotheek tijdens het laden")
    logging.getLogger("x").warning("waarschuwing tijdens het laden")
chatty.debug("debug van een bibliotheek daarna")
root = logging.getLogger()
print("root", len(root.handlers), logging.getLevelName(root.level))
if LOAD:
    filters = list(warnings.filters)
    privacy.load_detector()
    print("filters kept", warnings.filters == filters)
    chatty.debug("debug na deduce")
    found = [e.type for e in privacy.find_personal_data("Brief van Jan Jansen.")]
    print("na laden", len(root.handlers), logging.getLevelName(root.level), gc.isenabled(), found)
"""


def _run(load: bool) -> subprocess.CompletedProcess[str]:
    code = SCENARIO.replace("LOAD", str(load))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600
    )


def test_deduce_style_logging_calls_change_nothing() -> None:
    result = _run(load=False)
    assert result.stdout.splitlines() == ["root 0 WARNING"]
    assert "bibliotheek" not in result.stderr and "lookup" not in result.stderr
    assert "waarschuwing tijdens het laden" in result.stderr  # warnings still show


def test_load_detector_keeps_logging_and_the_collector() -> None:
    result = _run(load=True)
    assert result.stdout.splitlines()[-2:] == [
        "filters kept True",
        "na laden 0 WARNING True ['PERSOON']",
    ]
    assert "debug" not in result.stdout + result.stderr
