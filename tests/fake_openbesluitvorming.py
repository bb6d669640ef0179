"""A fake OpenBesluitvorming API on 127.0.0.1 (port 0) that answers in the recorded shapes of
github.com/ontola/openbesluitvorming (API.md, schemas/, the export log's compact payloads):

- ``GET /api/export/snapshot?source=&cursor=&limit=``: NDJSON of the latest upsert per
  entity, ordered by ``entity_id``; the cursor is the last entity id of the page; headers
  ``X-Next-Cursor``, ``X-Has-More`` and ``X-Changes-Cursor`` (the change log's head).
- ``GET /api/export/changes?source=&cursor=&limit=``: NDJSON of the change log from ``seq``
  ``cursor``; ``X-Next-Cursor`` is the next seq.
- ``GET /api/entities/{id}``: entity detail (a meeting with ``agenda`` and ``motions``, a
  document with ``downloadUrl``/``pdfUrl``/``contentType``).
- ``GET /files/{name}``: the file bytes.

Every ``/api/`` response carries ``RateLimit-Limit/Remaining/Reset`` from a token bucket of
60 a minute on the test's clock; an empty bucket answers 429 with ``Retry-After`` and the
API's JSON body. Scripting::

    fake.upsert(entity_id, entity_type, payload)   # a new record (new content_hash)
    fake.delete(entity_id)                          # a tombstone
    fake.files["x.pdf"] = b"%PDF-..."               # downloadable bytes
    fake.broken_files.add("y.pdf")                  # answers 500
    fake.storm(5, retry_after=3)                    # the next 5 API calls get 429
    fake.fail_paths["/api/export/snapshot"] = 2     # the 2nd call of that path and later: 500
    fake.requests                                   # [(path, query dict, status), ...]
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class FakeClock:
    """Time that passes only when someone sleeps: the client's pacing and the server's
    bucket agree without a test waiting for real."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class FakeOpenBesluitvorming:
    LIMIT = 60

    def __init__(self, clock: Callable[[], float] | None = None, source: str = "testgemeente"):
        self.source = source
        self.clock = clock or FakeClock()
        self.log: list[dict[str, Any]] = []  # the change log, seq = index
        self.details: dict[str, dict[str, Any]] = {}  # extra fields of /api/entities/{id}
        self.files: dict[str, bytes] = {}
        self.broken_files: set[str] = set()
        self.requests: list[tuple[str, dict[str, str], int]] = []
        self.fail_paths: dict[str, int] = {}
        self._storm = 0
        self._retry_after = 1
        self._tokens = float(self.LIMIT)
        self._stamp = self.clock()
        self._calls: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeOpenBesluitvorming:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- scripting ---------------------------------------------------------------------------

    def upsert(self, entity_id: str, entity_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, sort_keys=True).encode()
        record = {
            "seq": len(self.log),
            "op": "upsert",
            "time": "2026-07-10T12:00:00.000Z",
            "entity_id": entity_id,
            "entity_type": entity_type,
            "source_key": self.source,
            "supplier": "notubiz",
            "commit_id": f"commit:{entity_id}:{hashlib.sha1(body).hexdigest()[:12]}",
            "content_hash": "sha256:" + hashlib.sha256(body).hexdigest(),
            "schema_version": "v1alpha1",
            "payload": {"type": entity_type, **payload},
        }
        self.log.append(record)
        return record

    def delete(self, entity_id: str) -> None:
        kind = next(r["entity_type"] for r in self.log if r["entity_id"] == entity_id)
        self.log.append(
            {
                "seq": len(self.log),
                "op": "delete",
                "time": "2026-07-11T12:00:00.000Z",
                "entity_id": entity_id,
                "entity_type": kind,
                "source_key": self.source,
                "supplier": "notubiz",
            }
        )

    def storm(self, count: int, *, retry_after: int = 1) -> None:
        self._storm, self._retry_after = count, retry_after

    def file_url(self, name: str) -> str:
        return f"{self.url}/files/{name}"

    def count(self, path: str, status: int | None = None) -> int:
        """Requests of ``path`` (a path ending in "/" counts every path under it)."""
        return sum(
            1
            for p, _, s in self.requests
            if (p.startswith(path) if path.endswith("/") else p == path)
            and (status is None or s == status)
        )

    # -- state -------------------------------------------------------------------------------

    def _snapshot_state(self) -> list[dict[str, Any]]:
        latest: dict[str, dict[str, Any]] = {}
        for record in self.log:
            latest[record["entity_id"]] = record
        return [latest[k] for k in sorted(latest) if latest[k]["op"] == "upsert"]

    def _take_token(self) -> bool:
        now = self.clock()
        self._tokens = min(self.LIMIT, self._tokens + (now - self._stamp) * self.LIMIT / 60)
        self._stamp = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(
                self, status: int, body: bytes, content_type: str, headers: dict[str, str]
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                path = unquote(parts.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                status, body, ctype, headers = fake._respond(path, query)
                with fake._lock:
                    fake.requests.append((path, query, status))
                self._send(status, body, ctype, headers)

        return Handler

    def _respond(self, path: str, query: dict[str, str]) -> tuple[int, bytes, str, dict[str, str]]:
        with self._lock:
            api = path.startswith("/api/")
            key = "/api/entities" if path.startswith("/api/entities/") else path
            self._calls[key] = self._calls.get(key, 0) + 1
            limited = False
            if api and self._storm > 0:
                self._storm -= 1
                limited = True
            elif api and not self._take_token():
                limited = True
            headers = {}
            if api:
                headers = {
                    "RateLimit-Limit": str(self.LIMIT),
                    "RateLimit-Remaining": str(int(max(self._tokens, 0))),
                    "RateLimit-Reset": str(
                        int((self.LIMIT - max(self._tokens, 0)) * 60 / self.LIMIT)
                    ),
                }
            if limited:
                headers["Retry-After"] = str(self._retry_after)
                body = {
                    "code": "rate_limited",
                    "error": f"Te veel verzoeken. Probeer het over {self._retry_after} "
                    "seconde(n) opnieuw.",
                    "limit_per_minute": self.LIMIT,
                    "retry_after_seconds": self._retry_after,
                }
                return 429, json.dumps(body).encode(), "application/json", headers
            failing_from = self.fail_paths.get(key)
            if failing_from is not None and self._calls[key] >= failing_from:
                body = {"code": "export_failed", "error": "Export pagina ophalen mislukt"}
                return 500, json.dumps(body).encode(), "application/json", headers
        if path in ("/api/export/snapshot", "/api/export/changes"):
            return self._export(path, query, headers)
        if path.startswith("/api/entities/"):
            return self._entity(path[len("/api/entities/") :], headers)
        if path.startswith("/files/"):
            name = path[len("/files/") :]
            if name in self.broken_files:
                return 500, b"Internal Server Error", "text/plain", {}
            if name not in self.files:
                return 404, b"Not Found", "text/plain", {}
            ctype = "application/pdf" if name.endswith(".pdf") else "application/octet-stream"
            return 200, self.files[name], ctype, {}
        return 404, b'{"code": "not_found"}', "application/json", headers

    def _export(
        self, path: str, query: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, bytes, str, dict[str, str]]:
        if query.get("source") != self.source:
            body = {"code": "unknown_export_source", "error": "Onbekende bron."}
            return 400, json.dumps(body).encode(), "application/json", headers
        limit = max(1, min(int(query.get("limit", "500")), 1000))
        cursor = query.get("cursor") or ""
        if path.endswith("snapshot"):
            rows = [r for r in self._snapshot_state() if r["entity_id"] > cursor]
            page, has_more = rows[:limit], len(rows) > limit
            headers = {
                **headers,
                "X-Next-Cursor": page[-1]["entity_id"] if page else cursor,
                "X-Has-More": "true" if has_more else "false",
                "X-Changes-Cursor": str(len(self.log)),
            }
        else:
            start = int(cursor or 0)
            page = self.log[start : start + limit]
            next_seq = page[-1]["seq"] + 1 if page else start
            headers = {
                **headers,
                "X-Next-Cursor": str(next_seq),
                "X-Has-More": "true" if next_seq < len(self.log) else "false",
            }
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in page).encode()
        return 200, body, "application/x-ndjson", headers

    def _entity(
        self, entity_id: str, headers: dict[str, str]
    ) -> tuple[int, bytes, str, dict[str, str]]:
        latest = next(
            (r for r in reversed(self.log) if r["entity_id"] == entity_id and r["op"] == "upsert"),
            None,
        )
        if latest is None:
            body = {"code": "entity_not_found", "error": "Entiteit niet gevonden."}
            return 404, json.dumps(body).encode(), "application/json", headers
        payload = latest["payload"]
        detail: dict[str, Any] = {
            "entityId": entity_id,
            "entityType": latest["entity_type"],
            "title": payload.get("name"),
            "organization": "Testgemeente",
            "sortDate": payload.get("start_date") or payload.get("last_discussed_at"),
        }
        detail.update(self.details.get(entity_id, {}))
        return 200, json.dumps(detail).encode(), "application/json", headers
