"""Speaker attribution on hand-labelled passages of the corpus minutes.

    python eval/speakers.py --corpus ../shared/corpus [--split heldout] [--json]

``eval/speaker_turns.jsonl`` holds 167 passages (a line of the minutes, found by its first
characters on a physical page) with the speaker and party a reader attributes them to. The
passage's chunk, as the ingest pipeline makes it, must record that speaker and party for
the turn at the passage's position in its text (a chunk holds several turns).

Labelling conventions (see eval/README.md): the speaker is who the minutes give the word
to ("Lesley Arp (SP)." -> Lesley Arp, SP; "Wethouder Balster (PvdA)." -> Balster, PvdA;
"De heer Roos (L)." -> Roos, no party: an inspreker on agenda item L; "De voorzitter." ->
De voorzitter). Text the chair reads into the minutes (a submitted motion) belongs to the
chair's turn. Narration ("In stemming komt ...", the attendance list, the agenda) and
reported speech in third person ("Tijs de Bree geeft aan dat ...") have no speaker.
``split`` is "tune" (rules were developed on these files) or "heldout" (other files, never
looked at while writing the rules: denhaag 2024-12-19, denhaag 2025-06-12, overijssel
2024-07-10).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from raadsinzicht.ingest import prepare_document
from raadsinzicht.settings import load_settings

LABELS = Path(__file__).with_name("speaker_turns.jsonl")


def _normalised(text: str) -> tuple[str, list[int]]:
    """Text with runs of whitespace as one space, and the original offset of each char."""
    out, where = [], []
    previous_space = False
    for i, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            out.append(" ")
            previous_space = True
        else:
            out.append(char)
            previous_space = False
        where.append(i)
    return "".join(out), where


def locate(page_text: str, anchor: str) -> int | None:
    """Offset in ``page_text`` where the labelled line starts."""
    flat, where = _normalised(page_text)
    key = re.sub(r"\s+", " ", anchor).strip()
    for length in (len(key), 40, 25):
        found = flat.find(key[:length])
        if found >= 0:
            return where[found]
    return None


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold().strip() == (b or "").casefold().strip()


def evaluate(corpus: Path, split: str | None = None) -> dict[str, Any]:
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    if split:
        labels = [item for item in labels if item["split"] == split]
    settings = load_settings(home=Path("/nonexistent-raadsinzicht-eval-home"))
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in labels:
        by_file[item["file"]].append(item)
    rows = []
    for file, items in sorted(by_file.items()):
        prepared = prepare_document(corpus / file, settings)
        turns = prepared.turns
        for item in items:
            page = prepared.parsed.pages[item["page"] - 1]
            offset = locate(page.text, item["anchor"])
            chunk, segment_index = None, -1
            if offset is not None:
                for candidate in prepared.chunks:
                    inside = any(
                        s.page == page.number and s.start <= offset < s.end for s in candidate.spans
                    )
                    at = locate(candidate.text, item["anchor"]) if inside else None
                    if at is not None:
                        chunk = candidate
                        # The turn recorded at the passage's position in the chunk text.
                        segment_index = max(
                            (s for s in candidate.segments if s[0] <= at), default=(0, -1)
                        )[1]
                        break
            turn = turns[segment_index] if chunk and 0 <= segment_index < len(turns) else None
            speaker = turn.speaker if turn else None
            party = turn.party if turn else None
            rows.append(
                {
                    **item,
                    "found": chunk is not None,
                    "predicted_speaker": speaker,
                    "predicted_party": party,
                    "speaker_ok": _same(speaker, item["speaker"]),
                    "party_ok": _same(party, item["party"]),
                }
            )

    def share(subset: list[dict[str, Any]], key: str) -> float:
        return round(sum(r[key] for r in subset) / len(subset), 3) if subset else 0.0

    for row in rows:
        row["both_ok"] = row["speaker_ok"] and row["party_ok"]
    report: dict[str, Any] = {"n": len(rows), "not_found": sum(not r["found"] for r in rows)}
    for name in ("tune", "heldout"):
        subset = [r for r in rows if r["split"] == name]
        with_speaker = [r for r in subset if r["speaker"]]
        report[name] = {
            "n": len(subset),
            "with_speaker": len(with_speaker),
            "speaker_accuracy": share(subset, "speaker_ok"),
            "party_accuracy": share(subset, "party_ok"),
            "speaker_and_party_accuracy": share(subset, "both_ok"),
            "speaker_and_party_accuracy_on_turns": share(with_speaker, "both_ok"),
        }
    report["errors"] = [
        {
            k: r[k]
            for k in (
                "file",
                "page",
                "anchor",
                "speaker",
                "party",
                "predicted_speaker",
                "predicted_party",
                "split",
            )
        }
        for r in rows
        if not r["both_ok"]
    ]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--split", choices=("tune", "heldout"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = evaluate(args.corpus, args.split)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    for name in ("tune", "heldout"):
        part = report[name]
        if part["n"]:
            print(
                f"{name}: n={part['n']} (met spreker {part['with_speaker']}), spreker "
                f"{part['speaker_accuracy']:.3f}, partij {part['party_accuracy']:.3f}, beide "
                f"{part['speaker_and_party_accuracy']:.3f} (op beurten "
                f"{part['speaker_and_party_accuracy_on_turns']:.3f})"
            )
    for error in report["errors"]:
        print(
            f"  fout [{error['split']}] {error['file']} p{error['page']}: verwacht "
            f"{error['speaker']}/{error['party']}, kreeg {error['predicted_speaker']}/"
            f"{error['predicted_party']} — {error['anchor'][:50]}"
        )


if __name__ == "__main__":
    main()
