"""Dossier link precision on hand-checked links, and the true links it misses.

    python eval/dossiers.py --corpus ../shared/corpus --home HOME [--json]

Indexes the corpus and the generated documents of other councils
(``tests/municipal_fixtures.py``) into ``HOME`` (keyword index only; reuse a home whose
``cache/`` holds the corpus OCR, or OCR takes half an hour), builds the dossier of every
document and compares the document pairs it links with ``eval/dossier_links.jsonl``:

- ``correct`` true/false: a link a person checked (evidence and both documents read);
- ``missed``: a true link the rules do not make.

Splits: ``tune`` — corpus links, inspected while the rules were written (the title fallback
and the hub rule were tightened after a first look at them); ``heldout`` — links among the
generated documents, written after the rules and checked once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.municipal_fixtures

from tests.municipal_fixtures import write_documents  # noqa: E402

from raadsinzicht.engine import build_engine  # noqa: E402
from raadsinzicht.settings import load_settings  # noqa: E402

LABELS = Path(__file__).with_name("dossier_links.jsonl")


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def evaluate(corpus: Path, home: Path) -> dict[str, Any]:
    engine = build_engine(
        load_settings(home=home / "home", ingest_dir=home / "inbox", cache_dir=home / "cache")
    )
    fixtures = home / "fixtures"
    write_documents(fixtures)
    try:
        engine.ingest([corpus, fixtures], embed=False)
        produced: dict[tuple[str, str], set[str]] = {}
        for document in engine.documents():
            dossier = engine.dossier(document.file)
            for entry in dossier.entries:
                if entry.start:
                    continue
                names = [f if "/" in f else f"fixture:{f}" for f in (document.file, entry.file)]
                key = _key(names[0], names[1])
                produced.setdefault(key, set()).update(link.type for link in entry.links)
    finally:
        engine.close()
    labels = [json.loads(line) for line in LABELS.read_text("utf-8").splitlines()]
    judged = {_key(r["a"], r["b"]): r for r in labels if "correct" in r}
    missed_labels = {_key(r["a"], r["b"]): r for r in labels if r.get("missed")}
    report: dict[str, Any] = {}
    for split in ("tune", "heldout"):
        in_split = [k for k in produced if ("fixture:" in k[0]) == (split == "heldout")]
        correct = [k for k in in_split if k in judged and judged[k]["correct"]]
        wrong = [k for k in in_split if k in judged and not judged[k]["correct"]]
        unjudged = [k for k in in_split if k not in judged]
        true_links = [k for k, r in judged.items() if r["correct"] and r["split"] == split]
        true_links += [k for k, r in missed_labels.items() if r["split"] == split]
        missed = [k for k in true_links if k not in produced]
        report[split] = {
            "links": len(in_split),
            "correct": len(correct),
            "wrong": len(wrong),
            "unjudged": [" <-> ".join(k) for k in unjudged],
            "precision": round(len(correct) / len(in_split), 3) if in_split else None,
            "true_links_known": len(true_links),
            "missed": [" <-> ".join(k) for k in missed],
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = evaluate(args.corpus, args.home)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    for split, part in report.items():
        print(
            f"{split}: {part['links']} koppelingen, {part['correct']} juist, {part['wrong']} fout, "
            f"{len(part['unjudged'])} niet beoordeeld; precisie {part['precision']}; "
            f"{len(part['missed'])} van {part['true_links_known']} bekende ware koppelingen gemist"
        )
        for pair in part["unjudged"]:
            print(f"  niet beoordeeld: {pair}")
        for pair in part["missed"]:
            print(f"  gemist: {pair}")


if __name__ == "__main__":
    main()
