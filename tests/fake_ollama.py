"""A deterministic fake Ollama HTTP server on 127.0.0.1 so the real ``ollama`` client code
path is exercised without an Ollama binary.

Endpoints, formatted as Ollama formats them: ``GET /api/version``, ``GET /api/tags``,
``POST /api/show`` (``model_info`` with ``gemma3.context_length``), ``/api/embed``,
``/api/chat`` and ``/api/generate`` (NDJSON stream of ``"done": false`` chunks and a final
``"done": true`` chunk with eval counts over HTTP/1.1 chunked encoding, or one JSON object
with ``"stream": false``). Unknown models get Ollama's 404 ``model 'x' not found``.

Embeddings are hashed bag-of-words vectors: texts sharing words get similar vectors, which
is enough to test retrieval plumbing.

Scripting (set attributes before or between requests)::

    with FakeOllama(models=("gemma3:4b",)) as fake:
        fake.reply = "Vaste tekst [1]."        # fixed answer; None = use fake.responder
        fake.responder = lambda body: "..."    # gets the request body (dict), returns text
        fake.fail_mode = "drop_mid_stream"     # None | "drop_mid_stream" | "slow"
                                               # | "context_too_long" | "server_error"
                                               # (chat/generate only)
        fake.error_text = "..."                # the "server_error" text (HTTP 500)
        fake.context_length = 8192             # model_info "gemma3.context_length"
        fake.requests                          # [(path, body), ...] every request, in order
        fake.generation_requests()             # only the /api/chat and /api/generate ones

The default responder answers from the first passage of the prompt's ``<context>`` block
(``[1] (bestand.pdf, p. 3)\\n<text>``): its first sentence plus `` [1].``; without a passage
it says ``Dit staat niet in de geïndexeerde documenten.`` ``num_predict`` limits the answer
to that many pieces (words), with ``done_reason`` "length".
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import chain
from typing import Any

EMBED_DIM = 64
NOT_FOUND_ANSWER = "Dit staat niet in de geïndexeerde documenten."
# Ollama's runner text for a prompt that does not fit num_ctx (with truncation off); the
# server relays it with the runner's status (400 in current Ollama, 500 in older ones).
CONTEXT_TOO_LONG_ERROR = "the input length exceeds the context length"
# What Ollama says when the runner dies loading the model (out of memory).
RUNNER_ERROR = "llama runner process has terminated: error loading model: failed to create context"
FAIL_MODES = (None, "drop_mid_stream", "slow", "context_too_long", "server_error")

_CONTEXT_BLOCK = re.compile(r"<context>(.*?)</context>", re.DOTALL)
_PASSAGE = re.compile(r"^\[(\d+)\][^\n]*\n(.*?)(?=^\[\d+\]|\Z)", re.DOTALL | re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def hashed_embedding(text: str, dim: int = EMBED_DIM) -> list[float]:
    vector = [0.0] * dim
    for word in re.findall(r"\w+", text.lower()):
        digest = hashlib.sha1(word.encode()).digest()
        vector[digest[0] % dim] += 1.0 if digest[1] % 2 else -1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


def prompt_text(body: dict[str, Any]) -> str:
    """Everything the model would read: all chat messages, or generate's system + prompt."""
    if "messages" in body:
        return "\n\n".join(str(m.get("content") or "") for m in body.get("messages") or [])
    return "\n\n".join(str(body.get(key) or "") for key in ("system", "prompt"))


def default_responder(body: dict[str, Any]) -> str:
    """First sentence of the first context passage, cited; else the not-found answer."""
    text = prompt_text(body)
    block = _CONTEXT_BLOCK.search(text)
    for match in _PASSAGE.finditer(block.group(1).strip() if block else text):
        passage = " ".join(match.group(2).split())
        if passage:
            sentence = _SENTENCE_END.split(passage, maxsplit=1)[0].rstrip(".!?;:, ")
            return f"{sentence} [{match.group(1)}]."
    return NOT_FOUND_ANSWER


def _pieces(text: str) -> list[str]:
    """Split like a tokenizer would stream: words with their trailing whitespace."""
    return re.findall(r"\S+\s*|\s+", text)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up (timeouts, dropped streams) are expected; bugs in a scripted
        # responder are not and still print their traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class FakeOllama:
    def __init__(self, models: tuple[str, ...] = ("bge-m3",)) -> None:
        self.models = list(models)
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.reply: str | None = None
        self.responder: Callable[[dict[str, Any]], str] = default_responder
        self.fail_mode: str | None = None
        self.context_length = 131072
        self.context_error_status = 400  # current Ollama relays the runner's 400
        self.error_text = RUNNER_ERROR
        self.slow_seconds = 3.0  # "slow": longer than the tiny timeouts tests configure
        self.chunks_before_drop = 2  # "drop_mid_stream": pieces sent before the hang-up
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.1 like Ollama: streams are chunked, so a dropped connection is an
            # incomplete body for the client, not a normal end of the response.
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, lines: Iterable[dict[str, Any]], *, end: bool = True) -> None:
                """NDJSON over chunked encoding; ``end=False`` leaves the body unfinished."""
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for line in lines:
                    data = json.dumps(line).encode() + b"\n"
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()
                if end:
                    self.wfile.write(b"0\r\n\r\n")

            def _hang_up(self) -> None:
                """Close the socket abruptly, mid-body (Ollama crashing, OOM-killed)."""
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

            def do_GET(self) -> None:
                server.requests.append((self.path, {}))
                if self.path == "/api/version":
                    self._send(200, {"version": "0.12.0-fake"})
                elif self.path == "/api/tags":
                    self._send(200, {"models": [server._tag(m) for m in server.models]})
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append((self.path, body))
                model = str(body.get("model", ""))
                if self.path == "/api/embed":
                    if not server.has_model(model):
                        self._send(
                            404, {"error": f'model "{model}" not found, try pulling it first'}
                        )
                        return
                    inputs = body.get("input", [])
                    inputs = [inputs] if isinstance(inputs, str) else inputs
                    self._send(
                        200,
                        {"model": model, "embeddings": [hashed_embedding(t) for t in inputs]},
                    )
                elif self.path == "/api/show":
                    if not server.has_model(model):
                        self._send(404, {"error": f"model '{model}' not found"})
                    else:
                        self._send(200, server._show(model))
                elif self.path in ("/api/chat", "/api/generate"):
                    self._generate(body, chat=self.path == "/api/chat")
                else:
                    self._send(404, {"error": "not found"})

            def _generate(self, body: dict[str, Any], *, chat: bool) -> None:
                model = str(body.get("model", ""))
                if not server.has_model(model):
                    self._send(404, {"error": f"model '{model}' not found"})
                    return
                mode = server.fail_mode
                if mode == "slow":
                    server._stopping.wait(server.slow_seconds)
                if mode == "context_too_long":
                    self._send(server.context_error_status, {"error": CONTEXT_TOO_LONG_ERROR})
                    return
                if mode == "server_error":
                    self._send(500, {"error": server.error_text})
                    return
                text = server.reply if server.reply is not None else server.responder(body)
                pieces = _pieces(text)
                limit = int((body.get("options") or {}).get("num_predict") or -1)
                done_reason = "stop"
                if 0 <= limit < len(pieces):
                    pieces, done_reason = pieces[:limit], "length"
                final = server._final(body, pieces, done_reason)

                def chunk(content: str) -> dict[str, Any]:
                    line: dict[str, Any] = {"model": model, "created_at": _now()}
                    if chat:
                        line["message"] = {"role": "assistant", "content": content}
                    else:
                        line["response"] = content
                    line["done"] = False
                    return line

                if body.get("stream") is False:
                    whole = chunk("".join(pieces)) | final
                    self._send(200, whole)
                    return
                if mode == "drop_mid_stream":
                    head = pieces[: server.chunks_before_drop]
                    try:
                        self._stream((chunk(p) for p in head), end=False)
                        time.sleep(0.05)  # let the client read the pieces before the hang-up
                    finally:
                        self._hang_up()
                    return
                self._stream(chain((chunk(p) for p in pieces), [chunk("") | final]))

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- scripting helpers ---------------------------------------------------------------

    def has_model(self, model: str) -> bool:
        return model in self.models or f"{model}:latest" in self.models

    def generation_requests(self) -> list[tuple[str, dict[str, Any]]]:
        """The requests that reached the model: /api/chat and /api/generate, in order."""
        return [(p, b) for p, b in self.requests if p in ("/api/chat", "/api/generate")]

    # -- response bodies -----------------------------------------------------------------

    def _tag(self, model: str) -> dict[str, Any]:
        return {
            "name": model,
            "model": model,
            "modified_at": "2025-01-01T00:00:00Z",
            "size": 3_338_801_804,
            "digest": hashlib.sha256(model.encode()).hexdigest(),
            "details": {"format": "gguf", "family": "gemma3", "quantization_level": "Q4_K_M"},
        }

    def _show(self, model: str) -> dict[str, Any]:
        return {
            "modelfile": f"FROM {model}\n",
            "parameters": 'stop "<end_of_turn>"',
            "template": "{{ .Prompt }}",
            "details": {"format": "gguf", "family": "gemma3", "quantization_level": "Q4_K_M"},
            "model_info": {
                "general.architecture": "gemma3",
                "gemma3.context_length": self.context_length,
            },
            "capabilities": ["completion"],
            "modified_at": "2025-01-01T00:00:00Z",
        }

    def _final(self, body: dict[str, Any], pieces: list[str], reason: str) -> dict[str, Any]:
        prompt_tokens = len(re.findall(r"\w+|[^\w\s]", prompt_text(body)))
        extra: dict[str, Any] = {}
        if "messages" not in body:
            extra["context"] = list(range(prompt_tokens + len(pieces)))
        return {
            "done": True,
            "done_reason": reason,
            **extra,
            "total_duration": 5_000_000,
            "load_duration": 1_000_000,
            "prompt_eval_count": prompt_tokens,
            "prompt_eval_duration": 2_000_000,
            "eval_count": len(pieces),
            "eval_duration": 2_000_000,
        }

    def __enter__(self) -> FakeOllama:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()  # wake "slow" handlers
        self._httpd.shutdown()
        self._httpd.server_close()
