"""Loading the name recogniser: raw deduce against ``privacy.load_detector``, in one run.

    python eval/bench_deduce.py [--cold] [--text FILE] [--json]

Each variant runs in a fresh process (loading is per process) and is measured from start
to exit, because freeing deduce's structures at exit is part of what a CLI command costs:
wall seconds, CPU seconds and peak RSS. Raw deduce gets the same configuration (names and
addresses) with all of its lookup lists; ``load_detector`` leaves out the lists that
configuration never uses. ``--text`` has both find names and addresses in a UTF-8 text
file and reports whether they found the same. ``--cold`` gives each variant an empty
cache folder (XDG_CACHE_HOME), so deduce builds its lookup cache first, as on a new
machine (one to two minutes of CPU per variant); otherwise both read their cache in
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

# The raw library with raadsinzicht's configuration and all of deduce's lookup lists, copied
# once into the same cache folder (deduce writes its cache beside the lists).
RAW = """
import importlib.metadata, shutil
from pathlib import Path
import deduce
from raadsinzicht.privacy import _deduce_config, cache_folder
package = Path(deduce.__file__).parent
version = importlib.metadata.version("deduce")
data = cache_folder() / f"bench-deduce-{version}-all-lists"
if not data.is_dir():
    shutil.copytree(package / "data" / "lookup" / "src", data / "src")
detector = deduce.Deduce(load_base_config=False, config=_deduce_config(package),
                         lookup_data_path=data, cache_path=data)
"""
OURS = "from raadsinzicht.privacy import load_detector; detector = load_detector()"
# What each variant found in --text, printed as JSON for the comparison.
FIND = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as handle:
    found = detector.deidentify(handle.read()).annotations
print(json.dumps(sorted([int(a.start_char), int(a.end_char), a.tag] for a in found)))
"""


def run(code: str, *, cold: bool, text: str | None) -> tuple[dict[str, float], list[Any]]:
    env = dict(os.environ)
    command = [sys.executable, "-c", code + (FIND if text else ""), *([text] if text else [])]
    with (
        tempfile.TemporaryDirectory(prefix="bench-deduce-") as cache,
        tempfile.TemporaryFile("w+") as output,
    ):
        if cold:
            env["XDG_CACHE_HOME"] = cache
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=output)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource usage
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        lines = output.read().splitlines()
    if child.returncode:
        raise SystemExit(f"variant failed with exit code {child.returncode}")
    measured = {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
    }
    return measured, json.loads(lines[-1]) if text else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="build deduce's cache first")
    parser.add_argument("--text", help="a UTF-8 text file both variants search")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    raw, raw_found = run(RAW, cold=args.cold, text=args.text)
    ours, ours_found = run(OURS, cold=args.cold, text=args.text)
    report: dict[str, Any] = {
        "cache": "cold" if args.cold else "warm",
        "load_avg_1min": round(os.getloadavg()[0], 2),
        "raw_deduce": raw,
        "load_detector": ours,
        "cpu_ratio": round(ours["cpu_s"] / raw["cpu_s"], 3),
        "wall_ratio": round(ours["wall_s"] / raw["wall_s"], 3),
        "rss_ratio": round(ours["peak_rss_mb"] / raw["peak_rss_mb"], 3),
    }
    if args.text:
        report["found"] = {"raw_deduce": len(raw_found), "load_detector": len(ours_found)}
        report["same_findings"] = raw_found == ours_found
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name in ("raw_deduce", "load_detector"):
        item = report[name]
        print(f"{name:14} {item['wall_s']:7.1f} s wall {item['cpu_s']:7.1f} s CPU "
              f"{item['peak_rss_mb']:6} MB")  # fmt: skip
    print(f"ratio (ours/raw): CPU {report['cpu_ratio']}, wall {report['wall_ratio']}, "
          f"RSS {report['rss_ratio']} ({report['cache']} cache, "
          f"load {report['load_avg_1min']})")  # fmt: skip
    if args.text:
        print(f"found {report['found']}, the same: {report['same_findings']}")


if __name__ == "__main__":
    main()
