"""The web app's guards: Host and Origin, the login session, throttling, security headers, the upload
cap on a chunked stream, and a server that keeps answering while a big workbook is validated."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest
import uvicorn
from fastapi.testclient import TestClient

from planner.web.app import create_app
from planner.web.security import COOKIE
from tests.conftest import EXAMPLE
from tests.e2e.test_web import BASE, MODEL, WORKBOOK, case

TOKEN = "een-lange-geheime-toegangscode"


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """The app on a free loopback port in a thread (uvicorn, as `planner serve` runs it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(tmp_path / "web", scenarios_dir=EXAMPLE.parent.parent), base_url=BASE) as c:
        yield c


def test_foreign_host_is_refused(client):
    """fuzz-23: DNS rebinding: a page on attacker.example resolving to 127.0.0.1 must not read jobs."""
    case("fuzz-23-web-hygiene")
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 403
    assert client.get("/api/jobs/" + "0" * 32, headers={"Host": "attacker.example:8000"}).status_code == 403
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    with TestClient(create_app(client.app.state.store.root, host="10.1.2.3", token=TOKEN,
                               allow_hosts=("planner.zorg.example",))) as c:  # host "testserver" is not ours
        assert c.get("/login").status_code == 403
        assert c.get("/login", headers={"Host": "10.1.2.3:8000"}).status_code == 200
        assert c.get("/login", headers={"Host": "planner.zorg.example"}).status_code == 200


def test_cross_site_post_is_refused(client):
    """fuzz-23: any web page could start solves by posting to the loopback server."""
    case("fuzz-23-web-hygiene")
    data = {"scenario": "voorbeeld", "time_limit": "1"}
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": "http://localhost:9999"}):
        r = client.post("/api/plan", data=data, headers=headers)
        assert r.status_code == 403, headers
        assert client.post("/opdrachten", data=data, headers=headers).status_code == 403
    assert list(client.app.state.store.root.iterdir()) == []  # nothing was started
    ok = client.post("/api/plan", data={**data, "time_limit": "abc"}, headers={"Origin": BASE})
    assert ok.status_code == 422  # same origin passes the guard (and then meets the time-limit check)


def test_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin" and headers["cache-control"] == "no-store"


def test_token_login_is_a_session_not_the_token(tmp_path):
    """fuzz-23: the cookie held the raw token, had no expiry and no Secure flag."""
    case("fuzz-23-web-hygiene")
    with pytest.raises(ValueError, match="16"):
        create_app(tmp_path / "web", token="kort")
    with TestClient(create_app(tmp_path / "web", token=TOKEN), base_url=BASE) as c:
        assert c.get("/api/jobs/" + "0" * 32).status_code == 401
        assert c.get("/openapi.json").status_code == 401
        assert c.get("/", follow_redirects=False).headers["location"] == "/login"
        assert c.get("/api/jobs/" + "0" * 32, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404
        r = c.post("/login", data={"token": TOKEN}, follow_redirects=False)
        assert r.status_code == 303
        cookie = r.headers["set-cookie"]
        assert TOKEN not in cookie and cookie.startswith(f"{COOKIE}=")
        session = c.cookies[COOKIE]
        assert len(session) >= 40 and session != TOKEN
        low = cookie.lower()
        assert "httponly" in low and "samesite=strict" in low and "max-age=28800" in low
        assert "secure" not in low.replace("httponly", "")  # plain http on loopback
        assert c.get("/").status_code == 200  # the session cookie
        c.post("/logout")
        assert c.get("/", follow_redirects=False).status_code == 303  # the session is gone
    with TestClient(create_app(tmp_path / "web", token=TOKEN), base_url="https://localhost") as tls:
        cookie = tls.post("/login", data={"token": TOKEN}, follow_redirects=False).headers["set-cookie"]
        assert "; secure" in cookie.lower()


def test_failed_logins_are_throttled(tmp_path):
    with TestClient(create_app(tmp_path / "web", token=TOKEN), base_url=BASE) as c:
        for _ in range(5):
            assert c.post("/login", data={"token": "fout-fout-fout-fout"}).status_code == 401
        r = c.post("/login", data={"token": TOKEN})
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1  # even the right one, for a while
        assert c.get("/api/jobs/" + "0" * 32, headers={"Authorization": "Bearer fout"}).status_code == 429


def _chunked_upload(address: str, total: int) -> tuple[int, bytes]:
    """POST a multipart body of `total` bytes with Transfer-Encoding: chunked over a raw socket;
    the bytes sent before the server answered, and its answer."""
    host, port = address.split(":")
    boundary = "grens"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n{MODEL}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    sent = 0
    with socket.create_connection((host, int(port))) as s:
        s.sendall((f"POST /api/plan HTTP/1.1\r\nHost: {address}\r\nTransfer-Encoding: chunked\r\n"
                   f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n").encode())
        s.settimeout(0.05)
        block = b"\0" * 65536
        pieces = [head] + [block] * (total // len(block))
        answer = b""
        for piece in pieces:
            try:
                s.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            except OSError:
                break
            sent += len(piece)
            try:
                answer += s.recv(65536)
            except (TimeoutError, BlockingIOError):
                continue
            except OSError:
                break
            if answer:
                break
        s.settimeout(30)
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in answer and (more := s.recv(65536)):
                answer += more
    return sent, answer


def test_chunked_upload_stops_at_the_cap(tmp_path):
    """fuzz-22: a chunked 50 MB upload with a 1 MB cap is refused after a few MB at most."""
    case("fuzz-22-web-chunked-upload-spooled")
    app = create_app(tmp_path / "web", max_upload_mb=1)
    with serving(app) as address:
        sent, answer = _chunked_upload(address, 50 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 8 * 1024 * 1024, sent  # the server stopped reading at ~1 MB; the rest is socket buffers
    assert list((tmp_path / "web").iterdir()) == []


def _big_workbook(path: Path, rows: int) -> Path:
    """The example workbook with `rows` extra children: a workbook that takes a while to validate."""
    wb = openpyxl.load_workbook(WORKBOOK)
    ws = wb["children"]
    first = [c.value for c in ws[2]]
    for i in range(rows):
        ws.append([f"X{i:06d}", *first[1:]])
    wb.save(path)
    return path


def test_page_answers_while_a_big_workbook_is_validated(tmp_path):
    """fuzz-21: validation ran on the event loop and froze every page. The test asserts only that
    GET / answers while the validation process runs (benchmarks/web_stall.py measures the delay)."""
    case("fuzz-21-web-event-loop-blocked")
    big = _big_workbook(tmp_path / "groot.xlsx", 20000)
    app = create_app(tmp_path / "web")
    root = tmp_path / "web"
    with serving(app) as address:
        result: dict[str, int] = {}

        def upload() -> None:
            with big.open("rb") as fh:
                r = httpx.post(f"http://{address}/api/plan", data={"model": MODEL, "time_limit": "1"},
                               files={"file": ("groot.xlsx", fh)}, timeout=600)
            result["status"] = r.status_code

        thread = threading.Thread(target=upload)
        thread.start()
        deadline = time.monotonic() + 300
        while not any((p / "invoer.xlsx").exists() for p in root.iterdir()):  # upload in, validation started
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.02)
        page = httpx.get(f"http://{address}/", timeout=60)
        assert page.status_code == 200 and thread.is_alive()  # answered while the upload was being checked
        thread.join(timeout=600)
        assert result["status"] in (202, 422)
        for p in root.iterdir():
            app.state.jobs.stop(p.name)


SECURITY = ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy")


def _secured(r: httpx.Response) -> bool:
    return all(k in r.headers for k in SECURITY) and r.headers.get("cache-control") == "no-store"


def test_while_throttled_no_token_is_compared(tmp_path):
    """User test of issue 17 (fuzz-23 kind): wrong Bearer tokens were answered 429 but the right one was
    still served, so guessing was never slowed and 429 vs 404 told right from wrong."""
    case("fuzz-23-web-hygiene")
    job = "/api/jobs/" + "0" * 32
    with TestClient(create_app(tmp_path / "web", token=TOKEN), base_url=BASE) as c:
        for i in range(5):
            assert c.get(job, headers={"Authorization": f"Bearer fout-{i:020d}"}).status_code == 401
        for given in (f"Bearer {TOKEN}", f"bearer {TOKEN}", "Bearer fout-fout-fout-fout"):
            r = c.get(job, headers={"Authorization": given})
            assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1, given
        assert c.post("/login", data={"token": TOKEN}).status_code == 429
        assert c.get("/", follow_redirects=False).status_code == 429  # a page: the Dutch error page
        assert COOKIE not in c.cookies


def test_bearer_scheme_is_case_insensitive(tmp_path):
    """User test of issue 17: `Authorization: bearer <token>` was refused (RFC 7235: scheme is case-insensitive)."""
    job = "/api/jobs/" + "0" * 32
    with TestClient(create_app(tmp_path / "web", token=TOKEN), base_url=BASE) as c:
        for scheme in ("Bearer", "bearer", "BEARER", "BeArEr"):
            assert c.get(job, headers={"Authorization": f"{scheme} {TOKEN}"}).status_code == 404, scheme
        for given in (f"Basic {TOKEN}", f"Bearer{TOKEN}", "Bearer ", TOKEN):
            assert c.get(job, headers={"Authorization": given}).status_code == 401, given


def test_origin_must_match_scheme_host_and_port(client):
    """User test of issue 17: `Origin: https://...` was accepted by a plain-http server (another origin)."""
    case("fuzz-23-web-hygiene")
    data = {"scenario": "voorbeeld", "time_limit": "abc"}  # a passing guard meets the time-limit check: 422
    for origin in ("https://localhost", "https://localhost:80", "ftp://localhost", "http://localhost:443",
                   "http://localhost:99999", "localhost"):
        assert client.post("/api/plan", data=data, headers={"Origin": origin}).status_code == 403, origin
    for origin in ("http://localhost", "http://localhost:80", "HTTP://LOCALHOST"):
        assert client.post("/api/plan", data=data, headers={"Origin": origin}).status_code == 422, origin
    with TestClient(client.app, base_url="https://localhost") as tls:  # what --behind-proxy makes of X-Forwarded-Proto
        assert tls.post("/api/plan", data=data, headers={"Origin": "https://localhost"}).status_code == 422
        assert tls.post("/api/plan", data=data, headers={"Origin": "http://localhost"}).status_code == 403


def test_every_answer_carries_the_security_headers(tmp_path):
    """User test of issue 17: the 413 of the upload cap (made below the app) had none of the headers."""
    case("fuzz-22-web-chunked-upload-spooled")
    big = b"x" * 400_000
    with TestClient(create_app(tmp_path / "web", max_upload_mb=0.1), base_url=BASE) as c:
        r = c.post("/api/plan", data={"model": MODEL}, files={"file": ("a.xlsx", big)})
        assert r.status_code == 413 and r.json()["detail"].startswith("upload groter") and _secured(r)
        page = c.post("/opdrachten", data={"model": MODEL}, files={"file": ("a.xlsx", big)},
                      headers={"Accept": "text/html,*/*;q=0.8"})
        assert page.status_code == 413 and page.headers["content-type"].startswith("text/html") and _secured(page)
        assert "upload groter dan 0.1 MB" in page.text and "<h1>Dat lukte niet</h1>" in page.text
        foreign = c.post("/opdrachten", headers={"Origin": "http://evil.example", "Accept": "text/html"})
        assert foreign.status_code == 403 and "andere website" in foreign.text and _secured(foreign)
        assert "text/html" in foreign.headers["content-type"]
        for r in (c.get("/api/jobs/" + "0" * 32), c.get("/", headers={"Host": "evil.example"}),
                  c.post("/api/plan", data={"scenario": "voorbeeld", "time_limit": "0"}), c.get("/geen-pagina")):
            assert r.status_code in (403, 404, 422) and _secured(r), r.status_code
    with TestClient(create_app(tmp_path / "web2", token=TOKEN), base_url=BASE) as c:
        r = c.get("/api/jobs/x")
        assert r.status_code == 401 and _secured(r)


def test_login_page_shows_no_logout_button(tmp_path):
    """User test of issue 17: `Uitloggen` was shown while nobody was logged in."""
    with TestClient(create_app(tmp_path / "web", token=TOKEN), base_url=BASE) as c:
        assert 'id="logout"' not in c.get("/login").text
        c.post("/login", data={"token": TOKEN})
        assert 'id="logout"' in c.get("/").text
