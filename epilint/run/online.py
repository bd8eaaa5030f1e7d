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
import math
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar
from urllib.parse import urljoin

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

    @property
    def budget(self) -> float:
        return self.settings.time_budget


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
    #: Lines for stderr about the whole phase (the network is unreachable, the time budget).
    notes: list[str] = field(default_factory=list)

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
        self.notes.extend(checker.notes)
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


#: Longer URLs are not sent (servers refuse beyond about 8 KB anyway).
MAX_URL_LENGTH = 8192


class Checker:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.requests = 0
        self.notes: list[str] = []
        self._hosts: dict[str, asyncio.Semaphore] = {}
        #: Host names that resolved, and those whose lookup failed (to tell "no network").
        self._resolved = 0
        self._unresolved = 0

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
            timeout=timeout,
            limits=limits,
            headers=headers,
            follow_redirects=False,
            trust_env=False,
            event_hooks={"response": [_answered]},
        ) as client:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.options.budget
            over_budget: list[str] = []

            async def one(url: str) -> tuple[str, Result]:
                async with limit:
                    left = deadline - loop.time()
                    try:
                        if left <= 0:
                            raise asyncio.TimeoutError
                        result = await asyncio.wait_for(self.check(client, url), left)
                    except asyncio.TimeoutError:
                        over_budget.append(url)
                        result = Result(LinkStatus(url, "unverifiable", _budget_reason(self.options)), False)
                    except Exception as exc:  # a library's surprise: this link is unverified, the run goes on
                        reason = f"not checked: the check failed ({type(exc).__name__}: {exc})"
                        result = Result(LinkStatus(url, "unverifiable", reason[:300]), False)
                if done is not None:
                    done(result)
                return url, result

            pairs = await asyncio.gather(*(one(u) for u in dict.fromkeys(targets)))
        results = dict(pairs)
        if over_budget:
            self.notes.append(
                f"the online time budget ({self.options.budget:g} s, `[online] time-budget`) ran out: "
                f"{len(over_budget)} link{'' if len(over_budget) == 1 else 's'} not checked (LN102)"
            )
        if self._unresolved and not self._resolved:
            self.notes.append(
                "no host name could be resolved: the network seems unreachable, so the links are "
                "reported as not verified (LN102), not as dead"
            )
            for url, result in results.items():
                if result.status.outcome == "dead" and result.status.reason.startswith(_NO_NETWORK):
                    reason = f"not checked: {result.status.reason} (no network?)"
                    results[url] = Result(LinkStatus(url, "unverifiable", reason), False)
        return results

    async def check(self, client: httpx.AsyncClient, url: str) -> Result:
        """Follow ``url`` to its final answer and classify it."""
        current = url
        seen = {url}
        moved_to: str | None = None
        permanent_so_far = True
        first_reason = ""
        for hop in range(MAX_REDIRECTS + 1):
            parsed = target_url(current)
            if isinstance(parsed, str):
                if hop == 0:
                    return Result(LinkStatus(url, "unverifiable", f"not checked: {parsed}"), False)
                shown = _short(current)
                return _dead(
                    url, f"redirects to `{shown}`, which is not a valid URL ({parsed})", cacheable=False
                )
            try:
                status, location = await self._answer(client, parsed)
            except Refused as exc:
                if hop == 0:
                    return Result(LinkStatus(url, "unverifiable", f"not contacted: {exc}"), False)
                return _dead(url, f"redirects to `{_short(current)}`, but {exc}", cacheable=False)
            except httpx.TimeoutException:
                return _dead(url, f"no answer within {self.options.timeout:g} s (timed out)", cacheable=False)
            except socket.gaierror:
                return _dead(url, f"{_NO_NETWORK} `{parsed.host}` failed", cacheable=False)
            except httpx.ConnectError as exc:
                return _dead(url, _connect_reason(exc), cacheable=False)
            except (
                httpx.HTTPError,
                httpx.InvalidURL,
                OSError,
                ValueError,
                UnicodeError,
                OverflowError,
            ) as exc:
                return _dead(url, f"request failed ({type(exc).__name__}: {exc})"[:300], cacheable=False)
            if status in _REDIRECT and location is not None:
                try:
                    target = urljoin(current, location.strip())
                except ValueError:
                    target = location
                if urls.scheme(target) not in ("http", "https"):
                    return _dead(
                        url, f"redirects to `{_short(target)}`, which is not a web address", cacheable=False
                    )
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

    async def _answer(self, client: httpx.AsyncClient, url: httpx.URL) -> tuple[int, str | None]:
        """Status and Location for ``url``: HEAD, then GET when HEAD looks unreliable."""
        status, location = await self._request(client, "HEAD", url)
        if status in HEAD_UNRELIABLE:
            status, location = await self._request(client, "GET", url)
        return status, location

    async def _request(
        self, client: httpx.AsyncClient, method: str, url: httpx.URL
    ) -> tuple[int, str | None]:
        host = url.host.lower()
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
        self, client: httpx.AsyncClient, method: str, url: httpx.URL
    ) -> tuple[int, str | None, float | None]:
        request = await self._pinned(client, method, url)
        self.requests += 1

        async def exchange() -> tuple[int, str | None, float | None]:
            try:
                response = await client.send(request, stream=True)
            except _Answer as answer:  # the usual way: the headers, before httpx parses Location
                return answer.status, answer.location, _retry_after(answer.retry_after)
            try:  # pragma: no cover - the response hook always answers first
                return (
                    response.status_code,
                    response.headers.get("location"),
                    _retry_after(response.headers.get("retry-after")),
                )
            finally:
                await response.aclose()  # the body is never read

        return await _bounded(exchange(), self.options.timeout)

    async def _pinned(self, client: httpx.AsyncClient, method: str, parts: httpx.URL) -> httpx.Request:
        """A request to the checked, resolved address of ``url``'s host (never a private one)."""
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
            try:
                infos = await _bounded(
                    loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), self.options.timeout
                )
            except socket.gaierror:
                self._unresolved += 1
                raise
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
            if not addresses:
                self._unresolved += 1
                raise socket.gaierror(f"no address for {host}")
            self._resolved += 1
        for address in addresses:
            problem = urls.address_problem(address)
            if problem and not self.options.allow_private and address not in self.options.allow_addresses:
                shown = host if urls.ip_literal(host) is not None else f"{host} ({address})"
                raise Refused(f"`{shown}` is {problem}, which listeners cannot reach")
        return addresses[0]


_NO_NETWORK = "DNS lookup for"


class _Answer(Exception):
    """A server's answer, taken from the response as soon as its headers arrive.

    httpx parses a redirect's ``Location`` into a URL before ``send`` returns and raises on
    one it cannot parse (``javascript:…``, ``http://[v1.x]/``); taking the headers in a
    response hook keeps every answer, and the body is never read.
    """

    def __init__(self, status: int, location: str | None, retry_after: str | None) -> None:
        super().__init__(status)
        self.status = status
        self.location = location
        self.retry_after = retry_after


async def _answered(response: httpx.Response) -> None:
    headers = response.headers
    raise _Answer(response.status_code, headers.get("location"), headers.get("retry-after"))


def _budget_reason(options: Options) -> str:
    return f"not checked: time budget ({options.budget:g} s for all links) used up"


def _short(url: str) -> str:
    return url if len(url) <= 200 else url[:199] + "…"


def target_url(url: str) -> httpx.URL | str:
    """``url`` parsed for a request, or why it cannot be requested: too long, not http(s),
    no host, an invalid (IDNA) host name or IPv6 literal, a port outside 1–65535. A host
    that browsers read as an IPv4 number (``0177.0.0.1``) is requested as that address, so
    the address check sees what a browser would reach."""
    if len(url) > MAX_URL_LENGTH:
        return f"the URL is longer than {MAX_URL_LENGTH:,} characters"
    try:
        parts = httpx.URL(url)
        if parts.scheme not in ("http", "https"):
            return f"`{parts.scheme}:` is not a web address"
        host = parts.host
        port = parts.port
    except (httpx.InvalidURL, ValueError, UnicodeError, TypeError) as exc:
        # what a browser reaches instead: the IPv4 number, or the host mapped as UTS #46
        # maps it (full-width letters, upper case); else the URL cannot be requested
        written = _written_host(url)
        replacement = _browser_host(written) if written else None
        if written is None or replacement is None:
            return f"it cannot be parsed ({' '.join(str(exc).split())[:200]})"
        try:
            parts = httpx.URL(url.replace(written, replacement, 1))
        except (httpx.InvalidURL, ValueError, UnicodeError, TypeError):
            return f"it cannot be parsed ({' '.join(str(exc).split())[:200]})"
        host, port = parts.host, parts.port
    if not host:
        return "it has no host name"
    if port is not None and not 0 < port < 65536:
        return f"the port {str(port)[:20]} is outside 1–65535"
    numeric = urls.ipv4_number(host)
    if numeric is not None and str(numeric) != host:
        parts = parts.copy_with(host=str(numeric))
    return parts


def _written_host(url: str) -> str | None:
    """The host as written in ``url`` (case kept), or None when there is none."""
    after = url.split("://", 1)[1] if "://" in url else ""
    authority = after.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    host = (
        authority
        if authority.startswith("[")
        else authority.rsplit(":", 1)[0]
        if ":" in authority
        else authority
    )
    return host or None


def _browser_host(host: str) -> str | None:
    """The host a browser would look up for ``host`` httpx refuses: the dotted IPv4
    address of a number (``0177.0.0.1``), or its UTS #46 mapping (``ｅｘａｍｐｌｅ.com``)."""
    number = urls.ipv4_number(host)
    if number is not None:
        return str(number)
    try:
        import idna

        mapped: str = idna.encode(host, uts46=True).decode("ascii")
    except (UnicodeError, ValueError):
        return None
    return mapped if mapped != host else None


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
    """Seconds from a ``Retry-After`` header (ASCII digits or an HTTP date); None for
    anything else (``²`` is a digit to Python, not to HTTP)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value) if len(value) < 12 else math.inf
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
