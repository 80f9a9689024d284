"""The web app's guards: Host and Origin checks, login sessions, throttled logins, security headers,
and the upload cap counted on the request stream itself.

CSRF: a state-changing request (POST, PUT, PATCH, DELETE) from a browser must come from this site:
its `Origin` (or, without one, `Sec-Fetch-Site`) is checked; requests without either (curl, scripts)
are not browser form posts and pass. In token mode the session cookie is also `SameSite=Strict`, so a
cross-site page cannot ride on a login.
"""

from __future__ import annotations

import html
import json
import math
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "planner_session"
MIN_TOKEN = 16
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# /docs and /redoc load Swagger UI / ReDoc as FastAPI ships them (from a CDN, with an inline script)
CSP_DOCS = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
           "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Resource-Policy": "same-origin",
           "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}


MAX_UPLOAD_MB = 1024.0  # a workbook of a whole region is a few MB; beyond 1 GB is a typo
MAX_JOBS, MAX_QUEUE, MAX_KEEP_DAYS = 256, 10_000, 3650.0


def serve_problems(port: int, max_upload_mb: float, max_jobs: int | None, queue: int,
                   keep_days: float) -> list[str]:
    """One Dutch line per `planner serve` option out of range (empty when all are usable): port 1-65535,
    upload cap finite in (0, MAX_UPLOAD_MB], max-jobs 1-MAX_JOBS, queue 0-MAX_QUEUE, keep-days finite
    in (0, MAX_KEEP_DAYS]. NaN and infinity are refused like any other nonsense value."""
    out = []
    if not 1 <= port <= 65535:
        out.append(f"--port moet een geheel getal van 1 tot 65535 zijn (nu {port})")
    if not (math.isfinite(max_upload_mb) and 0 < max_upload_mb <= MAX_UPLOAD_MB):
        out.append(f"--max-upload-mb moet een getal groter dan 0 en hoogstens {MAX_UPLOAD_MB:g} zijn "
                   f"(nu {max_upload_mb})")
    if max_jobs is not None and not 1 <= max_jobs <= MAX_JOBS:
        out.append(f"--max-jobs moet een geheel getal van 1 tot {MAX_JOBS} zijn (nu {max_jobs})")
    if not 0 <= queue <= MAX_QUEUE:
        out.append(f"--queue moet een geheel getal van 0 tot {MAX_QUEUE} zijn (nu {queue})")
    if not (math.isfinite(keep_days) and 0 < keep_days <= MAX_KEEP_DAYS):
        out.append(f"--keep-days moet een getal groter dan 0 en hoogstens {MAX_KEEP_DAYS:g} zijn (nu {keep_days})")
    return out


def bearer(header: str) -> str | None:
    """The credentials of an `Authorization: Bearer <token>` header; the scheme is case-insensitive
    (RFC 7235 section 2.1). None for another scheme or an empty token."""
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def wants_html(headers: Any, path: str) -> bool:
    """A browser page (Accept: text/html) rather than a program or the API: answer errors as HTML."""
    return "text/html" in headers.get("accept", "") and not path.startswith(("/api/", "/openapi.json"))


def error_page(message: str) -> bytes:
    """A small self-contained Dutch error page (for answers made outside the templates)."""
    text = html.escape(message)
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fout — roosterplanner jeugdhulp'
            f'</title><link rel="stylesheet" href="/static/style.css"></head><body><main><h1>Dat lukte niet</h1>'
            f'<p class="error" id="error">{text}</p><p><a href="/">Terug</a></p></main></body></html>').encode()


def check_token(token: str | None) -> None:
    """Raise ValueError for a token too short to guess-proof the app (fewer than MIN_TOKEN characters)."""
    if token is not None and len(token) < MIN_TOKEN:
        raise ValueError(f"--token moet minstens {MIN_TOKEN} tekens hebben (nu {len(token)})")


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> set[str]:
    """Host names a request may carry: the bound address, localhost (both loopback forms), and `extra`."""
    hosts = {"localhost", "127.0.0.1", "::1", bound.strip("[]").lower()}
    hosts.update(h.strip().lower() for h in extra if h.strip())
    hosts.discard("0.0.0.0")
    hosts.discard("::")
    return hosts


def host_of(value: str) -> str:
    """`example.org:8000` -> `example.org`, `[::1]:80` -> `::1`; '' when it cannot be parsed."""
    try:
        return (urlsplit("//" + value).hostname or "").lower()
    except ValueError:
        return ""


def _origin(scheme: str, netloc: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in; port None when unparseable."""
    parts = urlsplit(f"{scheme}://{netloc}")
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme.lower())
    except ValueError:
        port = None
    return scheme.lower(), (parts.hostname or "").lower(), port


def foreign_request(method: str, headers: Any, hosts: set[str], scheme: str = "http") -> str | None:
    """Why a request is refused (Dutch), or None: a Host not ours, a cross-site state change. The
    `Origin` must equal this server's own origin: scheme (`scheme` of the request, after uvicorn's
    --behind-proxy has applied X-Forwarded-Proto), host and port (RFC 6454)."""
    host = headers.get("host", "")
    if host_of(host) not in hosts:
        return "onbekende host"
    if method not in UNSAFE:
        return None
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin) if origin != "null" else None
        if (parts is None or not parts.scheme or _origin(parts.scheme, parts.netloc)[2] is None
                or _origin(parts.scheme, parts.netloc) != _origin(scheme, host)
                or host_of(parts.netloc) not in hosts):
            return "verzoek van een andere website"
        return None
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "verzoek van een andere website"
    return None


class Sessions:
    """Login sessions: a random id (never the token) mapped to its expiry, in memory only."""

    def __init__(self, hours: float):
        self.seconds = hours * 3600
        self.expiry: dict[str, float] = {}

    def new(self) -> str:
        self.expiry = {k: v for k, v in self.expiry.items() if v > time.time()}
        sid = secrets.token_urlsafe(32)
        self.expiry[sid] = time.time() + self.seconds
        return sid

    def valid(self, sid: str) -> bool:
        return self.expiry.get(sid, 0.0) > time.time()

    def drop(self, sid: str) -> None:
        self.expiry.pop(sid, None)


class Throttle:
    """At most `attempts` failed logins per client per `window` seconds; then 429 until one ages out."""

    def __init__(self, attempts: int = 5, window: float = 60.0):
        self.attempts, self.window = attempts, window
        self.failures: dict[str, deque[float]] = {}

    def retry_after(self, client: str) -> int | None:
        seen = self.failures.get(client)
        now = time.time()
        while seen and seen[0] < now - self.window:
            seen.popleft()
        if not seen or len(seen) < self.attempts:
            return None
        return max(1, int(seen[0] + self.window - now) + 1)

    def fail(self, client: str) -> None:
        self.failures.setdefault(client, deque()).append(time.time())

    def clear(self, client: str) -> None:
        self.failures.pop(client, None)


def secure_headers(headers: Any, path: str, https: bool) -> None:
    """Add the security headers a response lacks (a Starlette header object or a dict)."""
    for key, value in HEADERS.items():
        headers.setdefault(key, value)
    headers.setdefault("Content-Security-Policy", CSP_DOCS if path in ("/docs", "/redoc") else CSP)
    if not path.startswith("/static/"):
        headers.setdefault("Cache-Control", "no-store")  # children's data stays out of shared caches
    if https:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


ASGI = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]


class SecureHeaders:
    """ASGI middleware around the whole app: every answer, also a 413/400 from BodyLimit, a 403 or 429
    of the guard and a 500, carries the security headers (those a response sets itself win)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.decode("latin-1").lower(): v for k, v in message.get("headers", [])}
                extra: dict[str, str] = {}
                secure_headers(extra, scope.get("path", ""), scope.get("scheme") == "https")
                message = {**message, "headers": [*message.get("headers", []), *(
                    (k.lower().encode(), v.encode()) for k, v in extra.items() if k.lower() not in have)]}
            await send(message)

        await self.app(scope, receive, sending)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: count the request body as it arrives (chunked or not) and answer 413 as soon
    as it passes `limit` bytes; the rest is never read, so at most `limit` bytes are ever stored."""

    def __init__(self, app: ASGI, limit: int, message: str):
        self.app, self.limit, self.message = app, limit, message

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0
        over = False
        started = False
        length = dict(scope.get("headers", [])).get(b"content-length", b"")
        page = wants_html({k.decode("latin-1").lower(): v.decode("latin-1")
                           for k, v in scope.get("headers", [])}, scope.get("path", ""))
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(send, page)
            return

        async def counted() -> dict:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded(message: dict) -> None:
            nonlocal started
            if over:  # whatever the app made of the broken-off body, the answer is 413
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(send, page)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, page)

    async def _refuse(self, send: Callable[[dict], Awaitable[None]], page: bool) -> None:
        """413: a small Dutch HTML page for a browser (Accept: text/html), else JSON."""
        body = error_page(self.message) if page else json.dumps({"detail": self.message}).encode()
        kind = b"text/html; charset=utf-8" if page else b"application/json"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind), (b"connection", b"close"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
