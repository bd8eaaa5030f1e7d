"""The online link checker against a real HTTP server on 127.0.0.1 started by each test."""

from __future__ import annotations

import asyncio
import contextlib
import io
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from epilint.config.settings import OnlineSettings
from epilint.links.status import LinkStatus
from epilint.run import online
from tests import store_rows

if TYPE_CHECKING:
    from tests.conftest import CliResult

LOCAL = frozenset({ip_address("127.0.0.1")})


@pytest.fixture(autouse=True)
def _time_bound() -> Iterator[None]:
    """Every test here ends within 30 s, whatever the network code does."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("online test took longer than 30 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(30)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Server:
    """Routes: path → (status, headers) for HEAD and GET; counts every request."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.methods: list[tuple[str, str]] = []
        self.busy_left = 1
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                server.answer(self, "HEAD")

            def do_GET(self) -> None:
                server.answer(self, "GET")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        path = handler.path
        self.hits[path] += 1
        self.methods.append((method, path))
        status, headers, body = self.route(method, path)
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if method == "GET":
            with contextlib.suppress(OSError):
                handler.wfile.write(body)

    def route(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        ok = (200, {}, b"hello" * 1000)
        if path == "/ok":
            return ok
        if path == "/moved":
            return 301, {"Location": "/ok"}, b""
        if path == "/moved-308":
            return 308, {"Location": self.url("/ok")}, b""
        if path == "/temporary":
            return 302, {"Location": "/ok"}, b""
        if path == "/missing":
            return 404, {}, b""
        if path == "/gone":
            return 410, {}, b""
        if path == "/forbidden":
            return 403, {}, b""
        if path == "/no-head":
            return (405, {}, b"") if method == "HEAD" else ok
        if path == "/busy":
            if self.busy_left > 0:
                self.busy_left -= 1
                return 429, {"Retry-After": "1"}, b""
            return ok
        if path == "/always-busy":
            return 429, {"Retry-After": "1"}, b""
        if path == "/error":
            return 500, {}, b""
        if path == "/slow":
            time.sleep(3)
            return ok
        if path == "/loop-a":
            return 301, {"Location": "/loop-b"}, b""
        if path == "/loop-b":
            return 301, {"Location": "/loop-a"}, b""
        if path == "/to-private":
            return 302, {"Location": "http://10.0.0.1/admin"}, b""
        if path == "/to-link-local":
            return 301, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""
        if path == "/to-ftp":
            return 301, {"Location": "ftp://example.com/file"}, b""
        return 404, {}, b""

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


def check(urls: list[str], **options: object) -> dict[str, online.Result]:
    allow = options.pop("allow_addresses", LOCAL)
    extra = {k: options.pop(k) for k in ("max_retry_after",) if k in options}
    settings = OnlineSettings(**{"timeout": 1.0, **options})  # type: ignore[arg-type]
    checker = online.Checker(online.Options(settings, allow, **extra))  # type: ignore[arg-type]
    return asyncio.run(asyncio.wait_for(checker.check_all(urls), 25))


def status(server: Server, path: str, **options: object) -> LinkStatus:
    return check([server.url(path)], **options)[server.url(path)].status


def test_200_is_ok_and_uses_head_only(server: Server) -> None:
    result = check([server.url("/ok")])[server.url("/ok")]
    assert result.status.outcome == "ok"
    assert result.cacheable
    assert server.methods == [("HEAD", "/ok")]


def test_permanent_redirect_gives_the_final_url(server: Server) -> None:
    for path in ("/moved", "/moved-308"):
        found = status(server, path)
        assert found.outcome == "moved"
        assert found.moved_to == server.url("/ok")
        assert found.reason.startswith(("301", "308"))


def test_temporary_redirect_is_fine(server: Server) -> None:
    found = status(server, "/temporary")
    assert found.outcome == "ok"
    assert found.final_url == server.url("/ok")


@pytest.mark.parametrize(("path", "reason"), [("/missing", "404 Not Found"), ("/gone", "410 Gone")])
def test_404_and_410_are_dead_and_cached(server: Server, path: str, reason: str) -> None:
    result = check([server.url(path)])[server.url(path)]
    assert result.status.outcome == "dead"
    assert reason in result.status.reason
    assert result.cacheable
    # HEAD is not trusted for a 404: the GET confirms it.
    assert [m for m, _ in server.methods] == ["HEAD", "GET"]


def test_405_on_head_falls_back_to_get(server: Server) -> None:
    assert status(server, "/no-head").outcome == "ok"
    assert server.methods == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_429_waits_for_retry_after_then_succeeds(server: Server) -> None:
    start = time.monotonic()
    assert status(server, "/busy").outcome == "ok"
    assert time.monotonic() - start >= 0.9
    assert server.hits["/busy"] == 2


def test_429_forever_is_unverifiable_and_bounded(server: Server) -> None:
    result = check([server.url("/always-busy")])[server.url("/always-busy")]
    assert result.status.outcome == "unverifiable"
    assert "429" in result.status.reason
    assert not result.cacheable
    assert server.hits["/always-busy"] == online.MAX_ATTEMPTS_429


def test_retry_after_beyond_the_bound_is_not_waited_for(server: Server) -> None:
    start = time.monotonic()
    found = status(server, "/always-busy", max_retry_after=0.5)
    assert found.outcome == "unverifiable"
    assert time.monotonic() - start < 1
    assert server.hits["/always-busy"] == 1


def test_403_is_unverifiable(server: Server) -> None:
    result = check([server.url("/forbidden")])[server.url("/forbidden")]
    assert result.status.outcome == "unverifiable"
    assert "403" in result.status.reason
    assert not result.cacheable


def test_500_is_dead_and_not_cached(server: Server) -> None:
    result = check([server.url("/error")])[server.url("/error")]
    assert result.status.outcome == "dead"
    assert "500" in result.status.reason
    assert not result.cacheable


def test_slow_endpoint_times_out(server: Server) -> None:
    start = time.monotonic()
    result = check([server.url("/slow")], timeout=0.5)[server.url("/slow")]
    assert time.monotonic() - start < 2.5
    assert result.status.outcome == "dead"
    assert "timed out" in result.status.reason
    assert not result.cacheable


def test_redirect_loop_is_dead(server: Server) -> None:
    found = status(server, "/loop-a")
    assert found.outcome == "dead"
    assert "loop" in found.reason
    assert server.hits["/loop-a"] == 1
    assert server.hits["/loop-b"] == 1


def test_redirect_to_another_scheme_is_not_followed(server: Server) -> None:
    found = status(server, "/to-ftp")
    assert found.outcome == "dead"
    assert "not a web address" in found.reason


@pytest.fixture
def sent_hosts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Hosts httpx was asked to connect to (proves a refused address is never contacted)."""
    hosts: list[str] = []
    original = httpx.AsyncClient.send

    async def send(self: httpx.AsyncClient, request: httpx.Request, **kwargs: object) -> httpx.Response:
        hosts.append(request.url.host)
        return await original(self, request, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.AsyncClient, "send", send)
    return hosts


@pytest.mark.parametrize(
    ("path", "address"), [("/to-private", "10.0.0.1"), ("/to-link-local", "169.254.169.254")]
)
def test_redirect_to_a_private_address_is_refused_before_connecting(
    server: Server, sent_hosts: list[str], path: str, address: str
) -> None:
    found = status(server, path)
    assert found.outcome == "dead"
    assert address in found.reason
    assert sent_hosts == ["127.0.0.1"]


def test_a_public_name_resolving_to_a_private_address_is_refused(
    server: Server, sent_hosts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def fake(host: str, *args: object, **kwargs: object) -> object:
        if host == "podcast.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    found = check(["http://podcast.example/x"])["http://podcast.example/x"].status
    assert found.outcome == "unverifiable"
    assert "10.1.2.3" in found.reason
    assert sent_hosts == []


def test_loopback_is_refused_unless_allowed(server: Server, sent_hosts: list[str]) -> None:
    found = check([server.url("/ok")], allow_addresses=frozenset())[server.url("/ok")].status
    assert found.outcome == "unverifiable"
    assert "loopback" in found.reason
    assert sent_hosts == []
    assert status(server, "/ok", allow_addresses=frozenset(), allow_private=True).outcome == "ok"


def test_at_most_two_requests_per_host_in_flight(server: Server) -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()
    original = server.route

    def slow_route(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.2)
        with lock:
            in_flight -= 1
        return original(method, "/ok")

    server.route = slow_route  # type: ignore[method-assign]
    urls = [server.url(f"/ok?n={n}") for n in range(6)]
    results = check(urls, concurrency=16)
    assert all(r.status.outcome == "ok" for r in results.values())
    assert peak == online.PER_HOST


# -- through the command line: one check per URL, the cache, the progress bar -------------


def _site(make_site: Callable[..., Path], server: Server, body: str, ttl: int = 3600) -> Path:
    episode = "---\ntitle: 1. One\n---\n\n" + body + "\n"
    site = make_site({"_posts/2022-01-01-1.md": episode, "_posts/2022-01-02-2.md": episode})
    (site / "epilint.toml").write_text(
        f"[online]\nallow-private = true\ntimeout = 1.0\ncache-ttl = {ttl}\n", encoding="utf-8"
    )
    return site


def _run(cli: Callable[..., CliResult], site: Path, *flags: str) -> list[dict[str, object]]:
    result = cli("check", "_posts", "--online", "--select", "LN1", "--format", "json", *flags, cwd=site)
    assert result.code in (0, 1), result.err
    assert result.err == ""  # no progress bar when stderr is not a terminal
    return result.json()


def test_each_url_is_checked_once_per_run_and_then_cached(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    body = f"[a]({server.url('/ok')}) [b]({server.url('/missing')}) [c]({server.url('/moved')})"
    site = _site(make_site, server, body)
    first = _run(cli, site)
    assert sorted(v["code"] for v in first) == ["LN100", "LN100", "LN101", "LN101"]
    moved = next(v for v in first if v["code"] == "LN101")
    assert moved["fix"]["applicability"] == "unsafe"  # type: ignore[index]
    assert moved["fix"]["edits"][0]["content"] == server.url("/ok")  # type: ignore[index]
    counted = dict(server.hits)
    assert counted == {"/ok": 2, "/missing": 2, "/moved": 1}  # /ok: direct and after /moved
    cache = site / ".epilint_cache"
    assert (cache / ".gitignore").read_text(encoding="utf-8") == "*\n"
    second = _run(cli, site)
    assert second == first
    assert dict(server.hits) == counted  # answered from the cache
    third = _run(cli, site, "--no-cache")
    assert third == first
    assert sum(server.hits.values()) > sum(counted.values())


def test_transient_failures_are_checked_again(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    site = _site(make_site, server, f"[a]({server.url('/error')}) [b]({server.url('/forbidden')})")
    first = _run(cli, site)
    assert sorted(v["code"] for v in first) == ["LN100", "LN100", "LN102", "LN102"]
    hits = sum(server.hits.values())
    assert _run(cli, site) == first
    assert sum(server.hits.values()) == 2 * hits


def test_expired_entries_are_checked_again(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    site = _site(make_site, server, f"[a]({server.url('/ok')})", ttl=3600)
    _run(cli, site)
    store_rows.execute(site / ".epilint_cache", "UPDATE links SET checked = checked - 7200")
    _run(cli, site)
    assert server.hits["/ok"] == 2


@pytest.mark.parametrize(
    "content",
    [b"not a database {", b"SQLite format 3\x00" + b"\x01" * 84, b""],
)
def test_corrupt_or_foreign_cache_is_ignored(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult], content: bytes
) -> None:
    site = _site(make_site, server, f"[b]({server.url('/missing')})")
    (site / ".epilint_cache").mkdir()
    (site / ".epilint_cache" / "store.sqlite3").write_bytes(content)
    assert [v["code"] for v in _run(cli, site)] == ["LN100", "LN100"]
    hits = server.hits["/missing"]
    assert [v["code"] for v in _run(cli, site)] == ["LN100", "LN100"]
    assert server.hits["/missing"] == hits  # the store was rebuilt by the first run, and answers


def test_rows_of_other_settings_are_not_read(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    site = _site(make_site, server, f"[b]({server.url('/missing')})")
    _run(cli, site)
    hits = server.hits["/missing"]
    store_rows.execute(site / ".epilint_cache", "UPDATE links SET run = 'another'")
    _run(cli, site)
    assert server.hits["/missing"] > hits


def test_unwritable_cache_folder_means_no_cache(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    # A file where the folder should be: writing fails for every user, root included
    # (a read-only checkout behaves the same way).
    site = _site(make_site, server, f"[b]({server.url('/missing')})")
    (site / ".epilint_cache").write_text("not a folder", encoding="utf-8")
    for _ in range(2):
        result = cli("check", "_posts", "--online", "--select", "LN1", cwd=site)
        assert result.code == 1
        assert result.err == ""
    assert (site / ".epilint_cache").read_text(encoding="utf-8") == "not a folder"
    assert server.hits["/missing"] == 4  # HEAD + GET, twice: nothing was cached


def test_shortener_gets_the_destination_as_an_unsafe_fix(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    site = _site(make_site, server, f"[short]({server.url('/temporary')})")
    config = site / "epilint.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '[links]\nshorteners = ["127.0.0.1"]\n', encoding="utf-8"
    )
    result = cli(
        "check", "_posts/2022-01-01-1.md", "--online", "--select", "LN004", "--format", "json", cwd=site
    )
    (found,) = result.json()
    assert found["fix"]["applicability"] == "unsafe"  # type: ignore[index]
    assert found["fix"]["edits"][0]["content"] == server.url("/ok")  # type: ignore[index]


def test_without_online_nothing_is_contacted(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    site = _site(make_site, server, f"[b]({server.url('/missing')})")
    result = cli("check", "_posts", "--select", "LN1", cwd=site)
    assert result.code == 0
    assert not server.hits


def test_progress_bar_on_a_terminal_only(server: Server, make_site: Callable[..., Path]) -> None:
    from epilint.config.settings import Settings
    from epilint.lint.linter import Linter
    from epilint.read.source import read_document
    from epilint.run.discovery import discover
    from epilint.schema.load import bundled_schema, load_schema

    site = _site(make_site, server, f"[a]({server.url('/ok')}) [b]({server.url('/missing')})")
    settings = Settings(
        select=("LN1",), online=True, cache=False, online_settings=OnlineSettings(1.0, 4, 0, True)
    )
    linter = Linter.create(settings, load_schema(bundled_schema()))
    stream = io.StringIO()
    phase = online.Phase(settings, online.Options(settings.online_settings), progress=True, stream=stream)
    docs = [read_document(p) for p in discover([site / "_posts"], settings).files]
    statuses = phase([linter.context(doc) for doc in docs])
    assert sorted(s.outcome for s in statuses.values()) == ["dead", "ok"]
    shown = stream.getvalue()
    assert "2/2, 1 failed" in shown
    assert shown.endswith("\r\x1b[2K")


def test_local_links_are_left_to_ln009(make_site: Callable[..., Path], cli: Callable[..., CliResult]) -> None:
    site = make_site({"_posts/2022-01-01-1.md": "---\ntitle: 1. One\n---\n[a](http://localhost:9/x)\n"})
    result = cli("check", "_posts", "--online", "--select", "LN", "--format", "json", cwd=site)
    assert [v["code"] for v in result.json()] == ["LN009"]


def test_offline_runs_never_import_the_network_stack(seed: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys; from epilint.cli import main; main(['check', sys.argv[1]]); "
        "print(sorted(m for m in ('httpx', 'epilint.run.online', 'asyncio') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(seed)], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


# -- the one lint path: fixing and diffing see the online phase ---------------------------


def _fix_site(make_site: Callable[..., Path], server: Server) -> Path:
    episode = (
        "---\ntitle: 1. One\nduration: 45:30\n---\n\n"
        f"[a]({server.url('/moved')}) [b]({server.url('/missing')}) [c]({server.url('/forbidden')})\n"
    )
    site = make_site({"_posts/2022-01-01-1.md": episode})
    (site / "epilint.toml").write_text("[online]\nallow-private = true\ntimeout = 1.0\n", encoding="utf-8")
    return site


def test_online_fix_keeps_the_online_findings(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    site = _fix_site(make_site, server)
    post = site / "_posts" / "2022-01-01-1.md"
    result = cli("check", "--online", "--fix", "--format", "json", "_posts", cwd=site)
    assert 'duration: "45:30"' in post.read_text(encoding="utf-8")  # the offline safe fix
    codes = sorted(str(v["code"]) for v in result.json())
    assert {"LN100", "LN101", "LN102"} <= set(codes), codes
    # --unsafe-fixes also takes LN101's fix (the URL the redirect leads to), which only the
    # online phase knows; LN100 and LN102 stay, on the fixed text
    result = cli("check", "--online", "--fix", "--unsafe-fixes", "--format", "json", "_posts", cwd=site)
    text = post.read_text(encoding="utf-8")
    assert f"[a]({server.url('/ok')})" in text
    remaining = {str(v["code"]) for v in result.json()}
    assert {"LN100", "LN102"} <= remaining
    assert "LN101" not in remaining


def test_online_diff_shows_the_online_fixes(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    site = _fix_site(make_site, server)
    post = site / "_posts" / "2022-01-01-1.md"
    before = post.read_bytes()
    result = cli("check", "--online", "--diff", "--unsafe-fixes", "_posts", cwd=site)
    assert result.code == 1
    assert f"+[a]({server.url('/ok')})" in result.out  # LN101's fix, known only online
    assert '+duration: "45:30"' in result.out
    assert post.read_bytes() == before
    offline = cli("check", "--diff", "--unsafe-fixes", "_posts", cwd=site)
    assert server.url("/ok") not in offline.out
