"""Checking links over the network: imported only with ``--online``.

A run-level phase (``Phase``) collects the web links of every file to lint, checks each
distinct URL once — HEAD first, a streamed GET when HEAD is refused or looks unreliable,
redirects followed by hand — and answers ``{url: LinkStatus}``, which the linter gives
every document as an input (for the rules that read online results: LN004, LN100–LN102).

Being polite and safe: a global limit on requests in flight and at most two per host;
``Retry-After`` honoured for 429 up to a bound; only http(s) redirects, at most
``MAX_REDIRECTS``. Every host is resolved here and the request goes to the resolved
address (with the original Host header and TLS server name), so a loopback, private or
link-local address is refused before any connection is made — also after a redirect,
and also when a public name resolves to a private address.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from epilint import __version__
from epilint.config.settings import OnlineSettings, Settings
from epilint.links import urls
from epilint.links.status import LinkStatus
from epilint.lint.context import Context
from epilint.lint.facts import web_links
from epilint.run.link_cache import LinkCache

MAX_REDIRECTS = 10
PER_HOST = 2
#: 429 handling: wait at most this long for one ``Retry-After``, and try this many times.
MAX_RETRY_AFTER = 10.0
MAX_ATTEMPTS_429 = 3
#: HEAD answers that are often wrong (servers that dislike HEAD): confirm with GET.
HEAD_UNRELIABLE = frozenset({400, 403, 404, 405, 406, 410, 500, 501, 502, 503})
USER_AGENT = f"epilint/{__version__} (link checker; +https://github.com/epilint/epilint)"
_PERMANENT = frozenset({301, 308})
_REDIRECT = frozenset({301, 302, 303, 307, 308})
_REASONS = {404: "404 Not Found", 410: "410 Gone", 403: "403 Forbidden", 429: "429 Too Many Requests"}


@dataclass(frozen=True)
class Options:
    """How the checker behaves: the ``[online]`` settings, plus what tests may widen."""

    settings: OnlineSettings = field(default_factory=OnlineSettings)
    #: Addresses contacted even when private (tests allow their 127.0.0.1 server only).
    allow_addresses: frozenset[urls.IPAddress] = frozenset()
    max_retry_after: float = MAX_RETRY_AFTER

    @property
    def timeout(self) -> float:
        return self.settings.timeout

    @property
    def concurrency(self) -> int:
        return self.settings.concurrency

    @property
    def allow_private(self) -> bool:
        return self.settings.allow_private


@dataclass(frozen=True)
class Result:
    status: LinkStatus
    #: Successes and 404/410 are reused for ``cache-ttl``; transient failures are not.
    cacheable: bool


_T = TypeVar("_T")


class Refused(Exception):
    """The checker will not contact this address (private, loopback …)."""


# -- the run-level phase ----------------------------------------------------------------


@dataclass
class Phase:
    """Checks every web link of the run's documents once; ``__call__`` answers the
    status of each URL."""

    settings: Settings
    options: Options
    progress: bool = False
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    #: How many requests were sent (for tests and the report).
    requests: int = 0

    def __call__(self, contexts: Sequence[Context]) -> dict[str, LinkStatus]:
        wanted: dict[str, set[Path]] = {}
        for ctx in contexts:
            for link, host in web_links(ctx):
                if urls.local_host_problem(host) and not self.options.allow_private:
                    continue  # LN009 already says listeners cannot reach it
                wanted.setdefault(link.target, set()).add(_cache_root(ctx))
        caches = {
            root: LinkCache.open(root, self.settings) for root in {r for s in wanted.values() for r in s}
        }
        results: dict[str, LinkStatus] = {}
        pending: list[str] = []
        for url, roots in wanted.items():
            cached = next((s for s in (caches[r].get(url) for r in roots) if s is not None), None)
            if cached is not None:
                results[url] = cached
            else:
                pending.append(url)
        bar = Progress(self.stream, len(pending)) if self.progress and pending else None
        checker = Checker(self.options)
        checked = asyncio.run(checker.check_all(pending, bar.update if bar else None))
        self.requests += checker.requests
        if bar is not None:
            bar.close()
        for url, result in checked.items():
            results[url] = result.status
            if result.cacheable:
                for root in wanted[url]:
                    caches[root].put(url, result.status)
        for cache in caches.values():
            cache.save()
        return results


def _cache_root(ctx: Context) -> Path:
    if ctx.site is not None:
        return ctx.site.root
    return ctx.settings.site_root or Path.cwd()


class Progress:
    """``checking links [#####     ] 12/40, 2 failed`` on one terminal line (stderr)."""

    WIDTH = 24

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self.total = total
        self.done = 0
        self.failed = 0
        self.update(None)

    def update(self, result: Result | None) -> None:
        if result is not None:
            self.done += 1
            self.failed += result.status.outcome in ("dead", "unverifiable")
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + " " * (self.WIDTH - filled)
        self.stream.write(f"\rchecking links [{bar}] {self.done}/{self.total}, {self.failed} failed")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\x1b[2K")
        self.stream.flush()


# -- the checker ------------------------------------------------------------------------


class Checker:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.requests = 0
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def check_all(
        self, targets: Iterable[str], done: Callable[[Result], None] | None = None
    ) -> dict[str, Result]:
        limit = asyncio.Semaphore(self.options.concurrency)
        timeout = httpx.Timeout(self.options.timeout)
        limits = httpx.Limits(max_connections=self.options.concurrency)
        headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
        # No proxies from the environment: a proxy would resolve (and reach) the host itself,
        # bypassing the address check done in ``_resolve``.
        async with httpx.AsyncClient(
            timeout=timeout, limits=limits, headers=headers, follow_redirects=False, trust_env=False
        ) as client:

            async def one(url: str) -> tuple[str, Result]:
                async with limit:
                    result = await self.check(client, url)
                if done is not None:
                    done(result)
                return url, result

            pairs = await asyncio.gather(*(one(u) for u in dict.fromkeys(targets)))
        return dict(pairs)

    async def check(self, client: httpx.AsyncClient, url: str) -> Result:
        """Follow ``url`` to its final answer and classify it."""
        current = url
        seen = {url}
        moved_to: str | None = None
        permanent_so_far = True
        first_reason = ""
        for hop in range(MAX_REDIRECTS + 1):
            try:
                status, location = await self._answer(client, current)
            except Refused as exc:
                if hop == 0:
                    return Result(LinkStatus(url, "unverifiable", f"not contacted: {exc}"), False)
                return _dead(url, f"redirects to `{current}`, but {exc}", cacheable=False)
            except httpx.TimeoutException:
                return _dead(url, f"no answer within {self.options.timeout:g} s (timed out)", cacheable=False)
            except socket.gaierror:
                return _dead(url, f"DNS lookup for `{urlsplit(current).hostname}` failed", cacheable=False)
            except httpx.ConnectError as exc:
                return _dead(url, _connect_reason(exc), cacheable=False)
            except (httpx.HTTPError, OSError, ValueError) as exc:
                return _dead(url, f"request failed ({type(exc).__name__}: {exc})", cacheable=False)
            if status in _REDIRECT and location is not None:
                target = urljoin(current, location)
                if urls.scheme(target) not in ("http", "https"):
                    return _dead(url, f"redirects to `{target}`, which is not a web address", cacheable=False)
                if target in seen:
                    return _dead(url, "the redirects loop back to an earlier URL", cacheable=False)
                if not first_reason:
                    first_reason = f"{status} {_phrase(status)}"
                permanent_so_far = permanent_so_far and status in _PERMANENT
                if permanent_so_far:
                    moved_to = target
                seen.add(target)
                current = target
                continue
            final = current if current != url else None
            return _classify(url, status, moved_to, final, first_reason)
        return _dead(url, f"more than {MAX_REDIRECTS} redirects", cacheable=False)

    async def _answer(self, client: httpx.AsyncClient, url: str) -> tuple[int, str | None]:
        """Status and Location for ``url``: HEAD, then GET when HEAD looks unreliable."""
        status, location = await self._request(client, "HEAD", url)
        if status in HEAD_UNRELIABLE:
            status, location = await self._request(client, "GET", url)
        return status, location

    async def _request(self, client: httpx.AsyncClient, method: str, url: str) -> tuple[int, str | None]:
        host = (urlsplit(url).hostname or "").lower()
        semaphore = self._hosts.setdefault(host, asyncio.Semaphore(PER_HOST))
        waited = 0.0
        for attempt in range(MAX_ATTEMPTS_429):
            async with semaphore:
                status, location, retry_after = await self._send(client, method, url)
            if status != 429 or attempt == MAX_ATTEMPTS_429 - 1:
                return status, location
            if retry_after is None or waited + retry_after > self.options.max_retry_after:
                return status, location
            waited += retry_after
            await asyncio.sleep(retry_after)
        return 429, None  # pragma: no cover - the loop always returns

    async def _send(
        self, client: httpx.AsyncClient, method: str, url: str
    ) -> tuple[int, str | None, float | None]:
        request = await self._pinned(client, method, url)
        self.requests += 1

        async def exchange() -> tuple[int, str | None, float | None]:
            response = await client.send(request, stream=True)
            try:
                return (
                    response.status_code,
                    response.headers.get("location"),
                    _retry_after(response.headers.get("retry-after")),
                )
            finally:
                await response.aclose()  # the body is never read

        return await _bounded(exchange(), self.options.timeout)

    async def _pinned(self, client: httpx.AsyncClient, method: str, url: str) -> httpx.Request:
        """A request to the checked, resolved address of ``url``'s host (never a private one)."""
        parts = httpx.URL(url)
        host = parts.host
        address = await self._resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        pinned = parts.copy_with(host=str(address))
        headers = {"Host": parts.netloc.decode("ascii")}
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        return client.build_request(method, pinned, headers=headers, extensions=extensions)

    async def _resolve(self, host: str, port: int) -> urls.IPAddress:
        literal = urls.ip_literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            loop = asyncio.get_running_loop()
            infos = await _bounded(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), self.options.timeout
            )
            addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
        if not addresses:
            raise socket.gaierror(f"no address for {host}")
        for address in addresses:
            problem = urls.address_problem(address)
            if problem and not self.options.allow_private and address not in self.options.allow_addresses:
                shown = host if urls.ip_literal(host) is not None else f"{host} ({address})"
                raise Refused(f"`{shown}` is {problem}, which listeners cannot reach")
        return addresses[0]


async def _bounded(awaitable: Awaitable[_T], seconds: float) -> _T:
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except asyncio.TimeoutError:
        raise httpx.TimeoutException("timed out") from None


def _classify(url: str, status: int, moved_to: str | None, final: str | None, first: str) -> Result:
    reason = _REASONS.get(status) or f"{status} {_phrase(status)}"
    if 200 <= status < 300:
        if moved_to is not None:
            return Result(LinkStatus(url, "moved", first, moved_to, final), True)
        return Result(LinkStatus(url, "ok", reason, None, final), True)
    if status in (404, 410):
        return Result(LinkStatus(url, "dead", f"the server answers {reason}", None, final), True)
    if status >= 500 or status == 451:
        return _dead(url, f"the server answers {reason}", cacheable=False)
    if status == 429:
        return Result(LinkStatus(url, "unverifiable", f"{reason}, still after waiting", None, final), False)
    return Result(LinkStatus(url, "unverifiable", f"the server answers {reason}", None, final), False)


def _dead(url: str, reason: str, *, cacheable: bool) -> Result:
    return Result(LinkStatus(url, "dead", reason), cacheable)


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _connect_reason(exc: Exception) -> str:
    text = str(exc)
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper() or "TLS" in text.upper():
        return f"TLS error ({text})"
    if "refused" in text.lower():
        return "the connection was refused"
    return f"cannot connect ({text or type(exc).__name__})"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
