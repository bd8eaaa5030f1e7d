"""Hostile servers for --online: huge headers, endless bodies, many slow answers.

Each answer is bounded: the checker reports and moves on. The server is a real HTTP
server on 127.0.0.1 (``tests/test_online.py``'s); nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from tests.run.test_online import Server, _time_bound, check

__all__ = ["_time_bound"]  # the 30-second bound applies to every test here too


class HostileServer(Server):
    def __init__(self) -> None:
        super().__init__()
        self.body_bytes_sent = 0

    def answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        path = handler.path
        self.hits[path] += 1
        if path == "/huge-headers":
            handler.send_response(200)
            for i in range(400):
                handler.send_header(f"X-Filler-{i}", "x" * 1000)
            handler.end_headers()
        elif path == "/endless":
            if method == "HEAD":
                handler.send_response(405)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            handler.send_response(200)
            handler.send_header("Content-Length", str(1 << 30))
            handler.end_headers()
            chunk = b"z" * 65536
            with contextlib.suppress(OSError):
                for _ in range(16384):  # up to 1 GiB, unless the client hangs up first
                    handler.wfile.write(chunk)
                    self.body_bytes_sent += len(chunk)
        elif path.startswith("/slow?"):
            time.sleep(3)
            with contextlib.suppress(OSError):
                handler.send_response(200)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
        else:
            super().answer(handler, method)


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    running = HostileServer()
    yield running
    running.close()


def test_huge_headers_are_a_dead_link_not_a_crash(hostile: HostileServer) -> None:
    url = hostile.url("/huge-headers")
    result = check([url])[url]
    assert result.status.outcome == "dead"
    assert result.status.reason


def test_an_endless_body_is_not_read(hostile: HostileServer) -> None:
    url = hostile.url("/endless")
    result = check([url])[url]
    assert result.status.outcome == "ok"
    time.sleep(0.2)  # let the server notice the closed connection
    assert hostile.body_bytes_sent < 64 << 20  # the client hung up long before 1 GiB


def test_the_online_phase_is_bounded_by_timeouts(hostile: HostileServer) -> None:
    # six slow answers on one host, two in flight at a time, one second each at most
    urls = [hostile.url(f"/slow?{i}") for i in range(6)]
    started = time.monotonic()
    results = check(urls, timeout=1.0)
    elapsed = time.monotonic() - started
    assert {r.status.outcome for r in results.values()} == {"dead"}
    assert all("timed out" in r.status.reason or "timeout" in r.status.reason for r in results.values())
    assert elapsed < 3 * 1.0 * 2 + 3  # rounds × timeout × (HEAD, then GET) + slack
