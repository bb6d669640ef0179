"""A polite HTTP client for public APIs: a token bucket paces requests to the API host,
``RateLimit-Remaining`` headers correct the bucket, and a 429 (or a 503) waits for
``Retry-After`` and tries again. Clock and sleep are injectable, so tests check the
pacing without waiting for it.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import RemoteSourceError

__all__ = ["PoliteClient", "TokenBucket", "repair_url"]

_RETRY_STATUSES = {429, 502, 503, 504}


class TokenBucket:
    """``capacity`` tokens, refilled continuously at ``per_minute`` a minute."""

    def __init__(
        self,
        per_minute: float,
        *,
        capacity: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = per_minute / 60.0
        self.capacity = capacity if capacity is not None else per_minute
        self.tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        self.tokens = min(self.capacity, self.tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def acquire(self, cost: float = 1.0) -> float:
        """Take ``cost`` tokens, sleeping until they are there; returns seconds slept."""
        self._refill()
        waited = 0.0
        if self.tokens < cost:
            waited = (cost - self.tokens) / self.rate
            self._sleep(waited)
            self._refill()
        self.tokens -= cost
        return waited

    def observe(self, remaining: float | None) -> None:
        """The server's count is the truth when it is lower than ours (other clients, restarts)."""
        if remaining is not None:
            self._refill()
            self.tokens = min(self.tokens, remaining)

    def drain(self) -> None:
        self._refill()
        self.tokens = min(self.tokens, 0.0)


_DOUBLE_SCHEME = re.compile(r"^(?:https?:?/*)+(?=https?://)", re.IGNORECASE)
_GLUED_SCHEME = re.compile(r"^(https?)(?:https?)+(:?/*)", re.IGNORECASE)


def repair_url(url: str | None) -> str | None:
    """A usable absolute http(s) URL from what a source system published, or None.

    Repairs the forms seen in RIS exports: a doubled scheme (``httphttp://``,
    ``http://https://``), a missing slash (``https:/host``), surrounding whitespace and
    protocol-relative links (``//host/path``)."""
    if not url:
        return None
    url = url.strip().replace(" ", "%20")
    url = _DOUBLE_SCHEME.sub("", url)
    url = _GLUED_SCHEME.sub(lambda m: f"{m.group(1)}://", url)
    url = re.sub(r"^(https?):/*", r"\1://", url, flags=re.IGNORECASE)
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _retry_after(response: httpx.Response, clock: Callable[[], float]) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date), else from the
    JSON body's ``retry_after_seconds`` (OpenBesluitvorming sends both)."""
    value = response.headers.get("Retry-After")
    if value:
        value = value.strip()
        if re.fullmatch(r"\d+(?:\.\d+)?", value):
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    seconds = body.get("retry_after_seconds") if isinstance(body, dict) else None
    return float(seconds) if isinstance(seconds, int | float) else None


def _header_number(headers: Mapping[str, str], name: str) -> float | None:
    value = headers.get(name)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class PoliteClient:
    """GET requests with pacing and retries. Requests to ``api_host`` spend tokens from
    the bucket; every host's 429/503 is honoured. Errors after the retries are one-line
    Dutch ``RemoteSourceError``s."""

    def __init__(
        self,
        *,
        base_url: str,
        per_minute: float,
        max_retries: int,
        timeout: float,
        user_agent: str,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_host = urlsplit(self.base_url).netloc
        self.bucket = TokenBucket(per_minute, clock=clock, sleep=sleep)
        self.max_retries = max_retries
        self.slept: list[float] = []  # every wait, in order (for reports and tests)
        self._sleep = sleep
        self._clock = clock
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": user_agent},
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.slept.append(seconds)
            self._sleep(seconds)

    @contextmanager
    def _request(self, url: str, params: Mapping[str, Any] | None) -> Iterator[httpx.Response]:
        paced = urlsplit(url).netloc == self.api_host
        for attempt in range(self.max_retries + 1):
            if paced:
                waited = self.bucket.acquire()
                if waited:
                    self.slept.append(waited)
            try:
                request = self._http.build_request("GET", url, params=params)
                response = self._http.send(request, stream=True)
            except httpx.HTTPError as exc:
                if attempt < self.max_retries and isinstance(exc, httpx.TransportError):
                    self._wait(min(2.0**attempt, 30.0))
                    continue
                raise RemoteSourceError(f"{_short(url)} is niet bereikbaar: {exc}") from exc
            if paced:
                self.bucket.observe(_header_number(response.headers, "RateLimit-Remaining"))
            if response.status_code in _RETRY_STATUSES and attempt < self.max_retries:
                response.read()
                delay = _retry_after(response, self._clock)
                response.close()
                if paced and response.status_code == 429:
                    self.bucket.drain()
                self._wait(delay if delay is not None else min(2.0**attempt, 30.0))
                continue
            try:
                if response.status_code >= 400:
                    response.read()
                    raise RemoteSourceError(_error_line(url, response))
                yield response
            finally:
                response.close()
            return
        raise RemoteSourceError(
            f"{_short(url)}: te veel verzoeken, ook na {self.max_retries} pogingen"
        )

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        with self._request(url, params) as response:
            response.read()
            try:
                return response.json()
            except ValueError as exc:
                raise RemoteSourceError(f"{_short(url)} gaf geen geldige JSON") from exc

    def get_lines(
        self, url: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], httpx.Headers]:
        """The non-empty lines of an NDJSON response and its headers."""
        with self._request(url, params) as response:
            response.read()
            return [ln for ln in response.text.splitlines() if ln.strip()], response.headers

    def download(self, url: str, target: Path, *, max_bytes: int) -> int:
        """Stream ``url`` into ``target`` (written whole or not at all); returns its size."""
        partial = target.with_name(target.name + ".part")
        size = 0
        try:
            with self._request(url, None) as response, partial.open("wb") as out:
                for block in response.iter_bytes(1 << 16):
                    size += len(block)
                    if size > max_bytes:
                        raise RemoteSourceError(
                            f"{_short(url)} is groter dan {max_bytes // (1 << 20)} MB"
                        )
                    out.write(block)
            partial.replace(target)
        except httpx.HTTPError as exc:
            raise RemoteSourceError(f"{_short(url)}: download afgebroken ({exc})") from exc
        finally:
            partial.unlink(missing_ok=True)
        return size


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."


def _error_line(url: str, response: httpx.Response) -> str:
    detail = ""
    try:
        body = response.json()
        if isinstance(body, dict):
            detail = str(body.get("code") or body.get("error") or "")
    except (ValueError, UnicodeDecodeError):
        detail = ""
    return f"{_short(url)} gaf HTTP {response.status_code}" + (f" ({detail})" if detail else "")
