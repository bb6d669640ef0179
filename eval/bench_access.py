"""What access per collection costs a search, on the corpus's evaluation index, in one run.

    python eval/bench_access.py --home /tmp/me-evalhome --corpus ../shared/corpus --json

(``--engine DIR``: an evaluation engine directory built by another version, e.g.
``/tmp/me-evalhome/eval/<key>/engine``, used as it is.)

The questions of ``eval/dev.jsonl`` are searched (keyword and hybrid, top 10), question by
question in turn, by three users of one engine: with no access rules at all (the
baseline), by a member of a group that may see every restricted collection, and by a user
for whom ``bezwaar`` and ``woo`` (29 of the 104 documents) are closed. Reported per user
and mode: p50/p95 in ms and the ratio to the baseline, and, as a check, how many hits of
the closed collections reached the restricted user (must be 0). The index is only read
(copy it first; the audit log of the copy receives nothing: ``audit=False``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from raadsinzicht.access import AccessPolicy
from raadsinzicht.engine import build_engine
from raadsinzicht.evaluate import evaluation_settings, load_dataset, percentile
from raadsinzicht.settings import AccessSettings, load_settings

REPO = Path(__file__).resolve().parents[1]
CLOSED = ("bezwaar", "woo")
RULES = AccessSettings(
    groups={"juristen": ["jansen"]}, collections={name: ["juristen"] for name in CLOSED}
)


def run(home: Path, corpus: Path, repeats: int, engine_home: Path | None) -> dict[str, Any]:
    settings = evaluation_settings(load_settings(home=home), corpus)
    if engine_home is not None:
        settings = settings.model_copy(update={"home": engine_home})
    if not (settings.home / "catalog.sqlite3").is_file():
        raise SystemExit(f"geen evaluatie-index in {settings.home} (`raadsinzicht eval`)")
    questions = [q.question for q in load_dataset(REPO / "eval" / "dev.jsonl")]
    engine = build_engine(settings)
    report: dict[str, Any] = {"questions": len(questions), "repeats": repeats, "runs": {}}
    try:
        users = (
            ("zonder regels", None, AccessPolicy(AccessSettings())),
            ("lid (alles zichtbaar)", "jansen", AccessPolicy(RULES)),
            ("beperkt (bezwaar, woo dicht)", "raadslid", AccessPolicy(RULES)),
        )
        for mode in ("keyword", "hybrid"):
            engine.search(questions[0], mode=mode, audit=False)  # warm: models, indexes
            times: dict[str, list[float]] = {label: [] for label, _, _ in users}
            leaked = 0
            # Interleaved, question by question: a shared machine's load hits all alike.
            for _ in range(repeats):
                for question in questions:
                    for label, user, policy in users:
                        engine.access = policy
                        started = time.perf_counter()
                        hits = engine.search(question, mode=mode, user=user, audit=False)
                        times[label].append((time.perf_counter() - started) * 1000)
                        if user == "raadslid":
                            leaked += sum(hit.file.split("/", 1)[0] in CLOSED for hit in hits)
            for label, user, _ in users:
                report["runs"][f"{mode} / {label}"] = {
                    "p50_ms": round(statistics.median(times[label]), 1),
                    "p95_ms": round(percentile(times[label], 95), 1),
                    "closed_hits": leaked if user == "raadslid" else None,
                }
        for mode in ("keyword", "hybrid"):
            base = report["runs"][f"{mode} / zonder regels"]
            for key, run_ in report["runs"].items():
                if key.startswith(mode):
                    run_["ratio_p50"] = round(run_["p50_ms"] / base["p50_ms"], 2)
    finally:
        engine.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="(a copy of) the eval home")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--engine", type=Path, help="an evaluation engine directory as it is")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args.home, args.corpus, args.repeats, args.engine)
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return
    for key, values in report["runs"].items():
        print(f"{key:45} p50 {values['p50_ms']:7.1f} ms  p95 {values['p95_ms']:7.1f} ms  "
              f"x{values['ratio_p50']:.2f}  dicht: {values['closed_hits']}")  # fmt: skip


if __name__ == "__main__":
    main()
