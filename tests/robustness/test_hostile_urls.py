"""``--online`` against hostile URLs and answers: every link and every hop gets an answer.

Invalid host names, numeric hosts, huge ports, 100 kB URLs, redirects to ``javascript:``,
odd ``Retry-After`` values, addresses that are not globally routable (directly, after a
redirect, after DNS), a total time budget, and no network at all. The server is the real
HTTP server on 127.0.0.1 of ``tests/run/test_online.py``; DNS answers are monkeypatched;
nothing leaves the machine.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests import store_rows
from tests.conftest import CliResult
from tests.run.test_online import Server, _time_bound, check, sent_hosts

__all__ = ["_time_bound", "sent_hosts"]

BAD_URLS = {
    "emoji-host": "http://💩.la/",
    "huge-port": "http://example.com:99999999999999999999/",
    "ipvfuture": "http://[v1.x]/",
    "long": "http://example.com/" + "a" * 100_000,
    "bad-ipv6": "http://[::1::2]/",
    "empty-host": "http:///path",
}
NOT_GLOBAL = {
    "cgnat": "http://100.100.100.200/latest/meta-data/",
    "site-local": "http://[fec0::1]/",
    "mapped": "http://[::ffff:10.0.0.1]/",
    "nat64": "http://[64:ff9b::a00:1]/",
    "6to4": "http://[2002:a00:1::1]/",
    "octal-loopback": "http://0177.0.0.1/",
    "decimal-loopback": "http://2130706433/",
    "hex-loopback": "http://0x7f.1/",
    "benchmark": "http://198.18.0.1/",
    "documentation": "http://[2001:db8::1]/",
}


class HostileAnswers(Server):
    def route(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        hops = {
            "/to-js": "javascript:alert(document.cookie)",
            "/to-emoji": "http://💩.la/".encode().decode("latin-1"),  # the UTF-8 bytes, as servers send them
            "/to-port": "http://example.com:123456789012345678901/",
            "/to-v1x": "http://[v1.x]/",
            "/to-long": "http://example.com/" + "b" * 10_000,
            "/to-cgnat": "http://100.100.100.200/",
            "/to-site-local": "http://[fec0::2]/x",
            "/to-data": "data:text/html,hi",
            "/to-spaces": "   ",
        }
        if path in hops:
            return 302, {"Location": hops[path]}, b""
        if path == "/to-octal-self":  # 0177.0.0.1 is 127.0.0.1: allowed in these tests
            return 302, {"Location": f"http://0177.0.0.1:{self.port}/ok"}, b""
        if path == "/superscript-retry":
            return 429, {"Retry-After": "²"}, b""
        if path == "/huge-retry":
            return 429, {"Retry-After": "9" * 5000}, b""
        return super().route(method, path)


@pytest.fixture
def hostile() -> Iterator[HostileAnswers]:
    running = HostileAnswers()
    yield running
    running.close()


@pytest.mark.parametrize("name", sorted(BAD_URLS))
def test_a_url_that_cannot_be_requested_is_unverified_with_the_reason(
    name: str, sent_hosts: list[str]
) -> None:
    url = BAD_URLS[name]
    result = check([url])[url]
    assert result.status.outcome == "unverifiable"
    assert result.status.reason.startswith("not checked: ")
    assert len(result.status.reason) < 400
    assert not result.cacheable
    assert sent_hosts == []


@pytest.mark.parametrize("name", sorted(NOT_GLOBAL))
def test_addresses_that_are_not_global_are_never_contacted(name: str, sent_hosts: list[str]) -> None:
    url = NOT_GLOBAL[name]
    result = check([url], allow_addresses=frozenset())[url]
    assert result.status.outcome == "unverifiable"
    assert "not contacted" in result.status.reason
    assert sent_hosts == []


@pytest.mark.parametrize(
    "path",
    ["/to-js", "/to-emoji", "/to-port", "/to-v1x", "/to-long", "/to-cgnat", "/to-site-local", "/to-data"],
)
def test_every_hop_gets_an_answer(hostile: HostileAnswers, path: str, sent_hosts: list[str]) -> None:
    url = hostile.url(path)
    result = check([url])[url]
    assert result.status.outcome == "dead", result.status
    assert "redirects to" in result.status.reason
    assert set(sent_hosts) == {"127.0.0.1"}  # only the test server, never the target


def test_a_full_width_host_is_the_host_browsers_reach(
    sent_hosts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def fake(host: str, *args: object, **kwargs: object) -> object:
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "unknown")

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    url = "http://ｅｘａｍｐｌｅ.com/"
    result = check([url], allow_addresses=frozenset())[url]
    assert asked == ["example.com"]  # UTS #46, as browsers map it
    assert "example.com" in result.status.reason


def test_a_numeric_host_is_the_address_browsers_read(hostile: HostileAnswers) -> None:
    url = hostile.url("/to-octal-self")
    assert check([url])[url].status.outcome == "ok"


@pytest.mark.parametrize("path", ["/superscript-retry", "/huge-retry"])
def test_odd_retry_after_values_never_make_a_link_dead(hostile: HostileAnswers, path: str) -> None:
    url = hostile.url(path)
    started = time.monotonic()
    result = check([url])[url]
    assert result.status.outcome == "unverifiable"
    assert "429" in result.status.reason
    assert time.monotonic() - started < 5


def test_a_public_name_resolving_to_a_shared_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, sent_hosts: list[str]
) -> None:
    def fake(host: str, *args: object, **kwargs: object) -> object:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("100.64.0.7", 80))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    url = "http://podcast.example/x"
    result = check([url], allow_addresses=frozenset())[url]
    assert result.status.outcome == "unverifiable"
    assert "100.64.0.7" in result.status.reason
    assert sent_hosts == []


class Slow(Server):
    def answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        time.sleep(1.0)
        super().answer(handler, method)


def test_the_time_budget_bounds_the_whole_phase() -> None:
    slow = Slow()
    try:
        urls = [slow.url(f"/moved?{i}") for i in range(12)]  # each: HEAD, redirect, HEAD
        started = time.monotonic()
        results = check(urls, timeout=5.0, time_budget=2.5, concurrency=16)
        elapsed = time.monotonic() - started
    finally:
        slow.close()
    assert elapsed < 6
    budget = [r for r in results.values() if "time budget" in r.status.reason]
    assert budget
    assert all(r.status.outcome == "unverifiable" and not r.cacheable for r in budget)


def test_without_a_network_links_are_unverified_and_it_is_said_once(
    monkeypatch: pytest.MonkeyPatch, make_site: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    def no_network(host: str, *args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    body = "[a](https://example.org/a) [b](https://example.net/b) [c](https://example.com/c)"
    site = make_site({"_posts/2022-01-01-1.md": f"---\ntitle: 1. One\n---\n\n{body}\n"})
    result = cli("check", "_posts", "--online", "--select", "LN1", "--format", "json", cwd=site)
    assert result.code == 1
    assert [v["code"] for v in result.json()] == ["LN102"] * 3
    assert result.err.count("network seems unreachable") == 1
    stored = site / ".epilint_cache" / "store.sqlite3"
    assert not stored.exists() or not store_rows.rows(stored.parent, "SELECT url FROM links")


def test_the_time_budget_is_configurable(tmp_path: Path) -> None:
    from epilint.config import discovery

    (tmp_path / "epilint.toml").write_text("[online]\ntime-budget = 30\n", encoding="utf-8")
    assert discovery.load(tmp_path / "epilint.toml").online_settings.time_budget == 30.0


def _crafted(site: Path, url: str, status: dict[str, object], key: str | None) -> None:
    """A links row written into a real store of the site, under ``key``."""
    import json

    from epilint.run.store import Store

    store = Store.open(site / ".epilint_cache")
    store.stage("links", (key or "", url, time.time() - 10, json.dumps(status)))
    assert store.commit()
    store.close()


@pytest.mark.parametrize("key", [None, "forged", "copied"])
def test_a_crafted_link_cache_never_makes_a_dead_link_good(
    server: Server, make_site: Callable[..., Path], cli: Callable[..., CliResult], key: str | None
) -> None:
    dead = server.url("/missing")
    body = f"[a]({dead}) [b]({server.url('/moved')})"
    site = make_site({"_posts/2022-01-01-1.md": f"---\ntitle: 1. One\n---\n\n{body}\n"})
    (site / "epilint.toml").write_text("[online]\nallow-private = true\ntimeout = 1.0\n", encoding="utf-8")
    args = ("check", "_posts", "--online", "--select", "LN1", "--format", "json")
    if key == "copied":  # a real cache file, made by a run in another checkout and copied here
        first = cli(*args, cwd=site)
        assert {v["code"] for v in first.json()} == {"LN100", "LN101"}
        import shutil

        elsewhere = site.parent / "elsewhere"
        shutil.copytree(site, elsewhere)
        import json

        folder = elsewhere / ".epilint_cache"
        good = json.dumps({"url": dead, "outcome": "ok", "reason": "200 OK"})
        store_rows.execute(folder, "UPDATE links SET status = ? WHERE url = ?", (good, dead))
        ((moved,),) = store_rows.rows(
            folder, "SELECT status FROM links WHERE url = ?", (server.url("/moved"),)
        )
        hijacked = {**json.loads(moved), "moved_to": "https://attacker.example/"}
        store_rows.execute(
            folder, "UPDATE links SET status = ? WHERE url = ?", (json.dumps(hijacked), server.url("/moved"))
        )
        site = elsewhere
    else:
        _crafted(site, dead, {"url": dead, "outcome": "ok", "reason": "200 OK"}, key)
    hits = server.hits["/missing"]
    result = cli(*args, cwd=site)
    codes = {(v["code"], v["message"].split("`")[1]) for v in result.json()}
    assert ("LN100", dead) in codes
    assert server.hits["/missing"] > hits  # asked again, not taken from the file
    assert "attacker.example" not in result.out


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


@pytest.mark.parametrize(
    "status",
    [
        {"url": "http://other.example/", "outcome": "ok", "reason": "200 OK"},
        {"url": "U", "outcome": "unverifiable", "reason": "x"},
        {"url": "U", "outcome": "dead", "reason": "DNS lookup for `x` failed"},
        {"url": "U", "outcome": "moved", "reason": "301", "moved_to": "javascript:alert(1)"},
        {"url": "U", "outcome": "moved", "reason": "301"},
    ],
)
def test_entries_the_checker_never_stores_are_dropped(status: dict[str, object]) -> None:
    from epilint.run import link_cache

    url = "http://podcast.example/x"
    status = {k: (url if v == "U" else v) for k, v in status.items()}
    assert link_cache._entries([(url, time.time() - 5, json.dumps(status))]) == {}
    future = json.dumps({"url": url, "outcome": "ok", "reason": "200 OK"})
    assert link_cache._entries([(url, time.time() + 3600, future)]) == {}
    assert link_cache._entries([(url, "yesterday", future), (url, time.time() - 5, "{not json")]) == {}
    assert link_cache._entries([(url, time.time() - 5, future)]) != {}


def test_the_suite_refuses_connections_beyond_loopback() -> None:
    """The guard in ``tests/conftest.py``: a connection to a global address fails at once
    (no packet leaves), loopback stays open."""
    import socket

    from tests.conftest import ConnectionRefusedByTests

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(ConnectionRefusedByTests):
        sock.connect(("93.184.216.34", 80))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        sock.connect_ex(("127.0.0.1", 9))  # loopback passes the guard (whatever the port answers)
