"""The web app's guards: Host and Origin checks, login sessions, throttled logins, security headers,
and the upload cap counted on the request stream itself.

CSRF: a state-changing request (POST, PUT, PATCH, DELETE) from a browser must come from this site:
its `Origin` (or, without one, `Sec-Fetch-Site`) is checked; requests without either (curl, scripts)
are not browser form posts and pass. In token mode the session cookie is also `SameSite=Strict`, so a
cross-site page cannot ride on a login.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

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


def foreign_request(method: str, headers: Any, hosts: set[str]) -> str | None:
    """Why a request is refused (Dutch), or None: a Host not ours, a cross-site state change."""
    host = headers.get("host", "")
    if host_of(host) not in hosts:
        return "onbekende host"
    if method not in UNSAFE:
        return None
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin) if origin != "null" else None
        if parts is None or parts.netloc.lower() != host.lower() or host_of(parts.netloc) not in hosts:
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
    for key, value in HEADERS.items():
        headers.setdefault(key, value)
    headers.setdefault("Content-Security-Policy", CSP_DOCS if path in ("/docs", "/redoc") else CSP)
    if not path.startswith("/static/"):
        headers.setdefault("Cache-Control", "no-store")  # children's data stays out of shared caches
    if https:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


ASGI = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]


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
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(send)
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
                    await self._refuse(send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Callable[[dict], Awaitable[None]]) -> None:
        body = (f'{{"detail": "{self.message}"}}').encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
