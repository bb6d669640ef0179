"""The guard in front of the web app (ASGI middleware around Gradio's FastAPI app).

Gradio only limits cross-origin requests when the Host is localhost, never expires a
login, logs out with a GET, throttles nothing and lists its API on the login page. The
guard, for every request:

1. **Host pinned** (DNS rebinding): only localhost, this machine's name, IP addresses and
   ``web.allowed_hosts`` are answered; any other ``Host`` gets 400.
2. **Origin pinned** (credentialed cross-origin reads, CSRF): a request whose ``Origin``
   is neither the app's own (scheme, host and port of the ``Host`` it was sent to) nor in
   ``web.allowed_origins`` gets 403, as does a cross-site request that is not a top-level
   navigation (``Sec-Fetch-Site``). So a page on another intranet host can neither read
   responses with a logged-in user's cookie nor trigger actions.
3. **Login** (when ``web.users`` is set): whoever is not logged in gets the Dutch login
   page (no script, nothing of the app) or 401; wrong passwords are counted per user name
   and per client, ``web.login_attempts`` of them lock both out for
   ``web.lockout_minutes``; every attempt is audited; a session ends
   ``web.session_hours`` after login; logging out is a POST (a GET gets 405); the
   session cookies are ``SameSite=Lax``.
4. **Headers**: a Content-Security-Policy on HTML (images, media and connections from
   the app itself only: no external image can carry data out of the page; no framing),
   ``nosniff``, ``Referrer-Policy: same-origin``.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from ..audit import AuditRecord
from ..settings import WebSettings

__all__ = ["Guard", "GuardPolicy", "LoginThrottle", "Sessions", "host_name"]

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
# On the app's own HTML (Gradio's page): images, media and fetches from the app only.
APP_CSP = (
    "img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
LOGIN_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_LOGIN_PATHS = ("/login", "/login/")
_LOGOUT_PATHS = ("/logout", "/logout/")
_STARTUP_PATH = "/gradio_api/startup-events"
LOOPBACK = ("127.0.0.1", "::1")
_MAX_LOGIN_BODY = 64 * 1024


def host_name(host: str) -> str:
    """The name in a ``Host`` header or URL netloc, without port or IPv6 brackets, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    name, colon, port = host.rpartition(":")
    return name if colon and port.isdigit() and ":" not in name else host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


# -- login throttling and sessions -----------------------------------------------------------


@dataclass(slots=True)
class _Count:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class LoginThrottle:
    """Wrong passwords counted per key (a user name, a client address): ``attempts``
    failures within ``lockout`` seconds lock the key for ``lockout`` seconds."""

    def __init__(
        self, attempts: int, lockout: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.attempts = attempts
        self.lockout = lockout
        self._clock = clock
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def locked_for(self, *keys: str) -> float:
        """Seconds until the last of ``keys`` is unlocked (0: none is locked)."""
        now = self._clock()
        with self._lock:
            return max(
                (max(0.0, c.locked_until - now) for k in keys if (c := self._counts.get(k))),
                default=0.0,
            )

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._counts) > 10_000:  # guessed user names must not fill memory
                self._forget_old(now)
            for key in keys:
                count = self._counts.setdefault(key, _Count())
                count.failures = [t for t in count.failures if now - t < self.lockout] + [now]
                if len(count.failures) >= self.attempts:
                    count.locked_until = now + self.lockout
                    count.failures = []

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._counts.pop(key, None)

    def _forget_old(self, now: float) -> None:
        self._counts = {
            key: count
            for key, count in self._counts.items()
            if count.locked_until > now or any(now - t < self.lockout for t in count.failures)
        }


class Sessions:
    """When each login token was issued; a token older than ``hours`` (or one the guard
    never saw issued) is expired."""

    def __init__(self, hours: float, clock: Callable[[], float] = time.time) -> None:
        self.seconds = hours * 3600
        self._clock = clock
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()

    def issued(self, token: str) -> None:
        with self._lock:
            self._issued[token] = self._clock()

    def expired(self, token: str) -> bool:
        with self._lock:
            issued = self._issued.get(token)
        return issued is None or self._clock() - issued > self.seconds

    def end(self, token: str) -> None:
        with self._lock:
            self._issued.pop(token, None)


# -- the policy and the middleware ----------------------------------------------------------


class GuardPolicy:
    """What the guard enforces, from ``[web]`` settings; ``audit`` appends a record (the
    Engine's audit log); ``login_page`` renders the login page (message, user name)."""

    def __init__(
        self,
        settings: WebSettings,
        *,
        audit: Callable[[AuditRecord], Any],
        login_page: Callable[[str, str], str],
        extra_hosts: tuple[str, ...] = (),
    ) -> None:
        self.settings = settings
        self.login_required = bool(settings.users)
        # This machine's own name (no DNS lookup: it may hang offline); a full domain
        # name colleagues use goes into web.allowed_hosts.
        names = {*LOCAL_HOSTS, socket.gethostname(), *extra_hosts}
        names |= set(settings.allowed_hosts)
        self.hosts = {host_name(n) for n in names if n}
        self.origins = {o.strip().rstrip("/").lower() for o in settings.allowed_origins}
        self.throttle = LoginThrottle(settings.login_attempts, settings.lockout_minutes * 60)
        self.sessions = Sessions(settings.session_hours)
        self.audit = audit
        self.login_page = login_page

    def host_allowed(self, host: str | None) -> bool:
        if not host:
            return False
        name = host_name(host)
        return name in self.hosts or _is_ip(name)

    def origin_allowed(self, origin: str, host: str) -> bool:
        """The app's own origin (the Host the request was sent to), or a listed one."""
        origin = origin.strip().rstrip("/").lower()
        if origin in self.origins:
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc == host.strip().lower()

    def record_login(self, name: str, client: str, outcome: str | None) -> None:
        """An attempt in the audit log (``outcome``: None = logged in, else why not)."""
        self.audit(
            AuditRecord(
                action="login",
                input=name[:200],
                filters={"client": client},
                user=name[:200] if outcome is None else None,
                refused=outcome is not None,
                error=outcome,
            )
        )


class Guard:
    """The ASGI middleware (``Middleware(Guard, policy=...)``) in front of Gradio's app."""

    def __init__(self, app: ASGIApp, *, policy: GuardPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host = headers.get("host", "")
        policy = self.policy
        if not policy.host_allowed(host):
            log.warning("geweigerd: %s %s voor host %s", scope["method"], scope["path"], host)
            await _plain(send, 400, "Onbekende hostnaam; voeg hem toe aan web.allowed_hosts.")
            return
        origin = headers.get("origin")
        own = origin is not None and policy.origin_allowed(origin, host)
        cross_site = headers.get("sec-fetch-site") in ("cross-site", "same-site")
        navigation = headers.get("sec-fetch-mode") == "navigate" and scope["method"] == "GET"
        if (origin is not None and not own) or (cross_site and not own and not navigation):
            session = bool(_session_token(headers, getattr(scope.get("app"), "cookie_id", "")))
            log.warning(
                "geweigerd: %s %s vanaf %s (%s sessiecookie)",
                scope["method"],
                scope["path"],
                origin or headers.get("sec-fetch-site"),
                "met" if session else "zonder",
            )
            await _plain(send, 403, "Verzoek vanaf een andere website geweigerd.")
            return
        send = _with_security_headers(send)
        if not policy.login_required:
            await self.app(scope, receive, send)
            return
        await self._with_login(scope, receive, send, headers)

    async def _with_login(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]
    ) -> None:
        path, method = scope["path"], scope["method"]
        app = scope.get("app")
        tokens: dict[str, str] = getattr(app, "tokens", {})
        token = _session_token(headers, getattr(app, "cookie_id", ""))
        if token and token in tokens and self.policy.sessions.expired(token):
            tokens.pop(token, None)  # Gradio's own check now finds no login either
            self.policy.sessions.end(token)
        user = tokens.get(token) if token else None
        if path in _LOGOUT_PATHS:
            if method != "POST":
                await _plain(send, 405, "Uitloggen gaat met de knop Uitloggen (POST).")
                return
            if token:
                tokens.pop(token, None)
                self.policy.sessions.end(token)
            await _logout_response(send, getattr(app, "cookie_id", ""))
            return
        if path in _LOGIN_PATHS and method == "POST":
            await self._login(scope, receive, send, headers)
            return
        if path == _STARTUP_PATH and _client(scope) in LOOPBACK:
            await self.app(scope, receive, send)  # Gradio's launch() calls it, not logged in
            return
        if user is None:
            if method == "GET" and (path == "/" or "text/html" in headers.get("accept", "")):
                await self._send_login_page(send, 200, "", "")
            else:
                await _json(send, 401, {"detail": "Niet ingelogd"})
            return
        await self.app(scope, receive, send)

    async def _login(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]
    ) -> None:
        policy = self.policy
        body = await _read_body(receive)
        if body is None:
            await _json(send, 413, {"detail": "Verzoek te groot"})
            return
        name = (await _form(scope, body)).get("username", "").strip()
        client = _client(scope)
        keys = (f"naam:{name}", f"adres:{client}")
        from_form = "text/html" in headers.get("accept", "")
        wait = policy.throttle.locked_for(*keys)
        if wait:
            minutes = max(1, round(wait / 60))
            message = f"Te veel mislukte pogingen; probeer het over {minutes} minuten opnieuw."
            policy.record_login(name, client, "geweigerd: te veel mislukte pogingen")
            if from_form:
                await self._send_login_page(send, 429, message, name)
            else:
                await _json(send, 429, {"detail": message})
            return
        status, cookies, response = await _call_capturing(self.app, scope, body, send)
        if status == 200:
            for token in _issued_tokens(cookies):
                policy.sessions.issued(token)
            tokens: dict[str, str] = getattr(scope.get("app"), "tokens", {})
            for token in [t for t in tokens if policy.sessions.expired(t)]:
                tokens.pop(token, None)  # expired sessions that were never used again
                policy.sessions.end(token)
            policy.throttle.succeeded(*keys)
            policy.record_login(name, client, None)
            if from_form:
                await _redirect(send, "./", cookies)
            else:
                await response()
            return
        policy.throttle.failed(*keys)
        policy.record_login(name, client, "onjuiste gebruikersnaam of wachtwoord")
        if from_form:
            await self._send_login_page(send, 400, "Gebruikersnaam of wachtwoord onjuist.", name)
        else:
            await response()

    async def _send_login_page(self, send: Send, status: int, message: str, name: str) -> None:
        await _respond(
            send,
            status,
            self.policy.login_page(message, name).encode("utf-8"),
            b"text/html; charset=utf-8",
            [(b"content-security-policy", LOGIN_CSP.encode()), (b"cache-control", b"no-store")],
        )


# -- ASGI helpers ---------------------------------------------------------------------------


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "onbekend"


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _session_token(headers: dict[str, str], cookie_id: str) -> str | None:
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header: no session
        return None
    for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
        if name in cookie:
            return cookie[name].value
    return None


def _issued_tokens(cookies: list[bytes]) -> set[str]:
    tokens = set()
    for line in cookies:
        name, _, rest = line.decode("latin-1").partition("=")
        if name.startswith("access-token-"):
            tokens.add(rest.split(";", 1)[0])
    return tokens


def _lax(cookie: bytes) -> bytes:
    """A session cookie is not sent along with cross-site subrequests."""
    text = cookie.decode("latin-1")
    parts = [p for p in text.split(";") if not p.strip().lower().startswith("samesite")]
    return ("; ".join(p.strip() for p in parts) + "; SameSite=Lax").encode("latin-1")


def _with_security_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
            extra = [
                (b"x-content-type-options", b"nosniff"),
                (b"referrer-policy", b"same-origin"),
            ]
            if content_type.startswith(b"text/html"):
                extra += [(b"content-security-policy", APP_CSP.encode()),
                          (b"x-frame-options", b"DENY")]  # fmt: skip
            headers = [(k, _lax(v) if k.lower() == b"set-cookie" else v) for k, v in headers] + [
                (k, v) for k, v in extra if k not in names
            ]
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _read_body(receive: Receive) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > _MAX_LOGIN_BODY:
            return None
        if not message.get("more_body"):
            return body


async def _form(scope: Scope, body: bytes) -> dict[str, str]:
    from starlette.requests import Request

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, replay).form()
    except Exception:  # not a form: no user name
        return {}
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def _call_capturing(
    app: ASGIApp, scope: Scope, body: bytes, send: Send
) -> tuple[int, list[bytes], Callable[[], Awaitable[None]]]:
    """Run ``app`` on the replayed ``body``; return its status, Set-Cookie headers and a
    function that sends its response on (for callers that keep it)."""
    messages: list[Message] = []

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def capture(message: Message) -> None:
        messages.append(message)

    await app(scope, replay, capture)
    start = next((m for m in messages if m["type"] == "http.response.start"), {})
    cookies = [v for k, v in start.get("headers", []) if k.lower() == b"set-cookie"]

    async def forward() -> None:
        for message in messages:
            await send(message)

    return int(start.get("status", 500)), cookies, forward


async def _respond(
    send: Send,
    status: int,
    body: bytes,
    content_type: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _plain(send: Send, status: int, text: str) -> None:
    await _respond(send, status, text.encode("utf-8"), b"text/plain; charset=utf-8")


async def _json(send: Send, status: int, data: dict[str, Any]) -> None:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    await _respond(send, status, body, b"application/json")


async def _redirect(send: Send, location: str, cookies: list[bytes]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [(b"location", location.encode()), (b"content-length", b"0")]
            + [(b"set-cookie", cookie) for cookie in cookies],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _logout_response(send: Send, cookie_id: str) -> None:
    expired = "=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
    cookies = [
        f"access-token-{cookie_id}{expired}; Secure".encode(),
        f"access-token-unsecure-{cookie_id}{expired}".encode(),
    ]
    await _redirect(send, "./", cookies)
