"""Loading the name recogniser: raw deduce against ``privacy.load_detector``, in one run.

    python eval/bench_deduce.py [--cold] [--json]

Each variant runs in a fresh process (loading is per process) and is measured from start
to exit, because freeing deduce's structures at exit is part of what a CLI command costs:
wall seconds, CPU seconds and peak RSS. ``--cold`` gives each variant an empty cache
folder (XDG_CACHE_HOME), so deduce builds its lookup cache first, as on a new machine
(about a minute and a half of CPU per variant); otherwise both read the cache in
``~/.cache/raadsinzicht`` (build it once first, e.g. with a warm run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

# The raw library with the same configuration and cache folder as raadsinzicht.
RAW = """
import importlib.metadata, logging
from pathlib import Path
import deduce
from raadsinzicht.privacy import _deduce_config, _deduce_data_dir
package = Path(deduce.__file__).parent
data = _deduce_data_dir(package / "data" / "lookup", importlib.metadata.version("deduce"))
deduce.Deduce(load_base_config=False, config=_deduce_config(package),
              lookup_data_path=data, cache_path=data)
"""
OURS = "from raadsinzicht.privacy import load_detector; load_detector()"


def run(code: str, *, cold: bool) -> dict[str, float]:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="bench-deduce-") as cache:
        if cold:
            env["XDG_CACHE_HOME"] = cache
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code], env=env)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource usage
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"variant failed with exit code {child.returncode}")
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="build deduce's cache first")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    raw = run(RAW, cold=args.cold)
    ours = run(OURS, cold=args.cold)
    report: dict[str, Any] = {
        "cache": "cold" if args.cold else "warm",
        "load_avg_1min": round(os.getloadavg()[0], 2),
        "raw_deduce": raw,
        "load_detector": ours,
        "cpu_ratio": round(ours["cpu_s"] / raw["cpu_s"], 3),
        "wall_ratio": round(ours["wall_s"] / raw["wall_s"], 3),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name in ("raw_deduce", "load_detector"):
        item = report[name]
        print(f"{name:14} {item['wall_s']:7.1f} s wall {item['cpu_s']:7.1f} s CPU "
              f"{item['peak_rss_mb']:6} MB")  # fmt: skip
    print(f"ratio (ours/raw): CPU {report['cpu_ratio']}, wall {report['wall_ratio']} "
          f"({report['cache']} cache, load {report['load_avg_1min']})")  # fmt: skip


if __name__ == "__main__":
    main()
