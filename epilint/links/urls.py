"""Reading URLs as written, and editing them surgically.

Nothing here re-serialises a URL (no ``urlunsplit``): percent-encoding, raw Unicode
(``https://ja.wikipedia.org/wiki/アリスとボブ``), parameter order and separators stay as
the author wrote them; an edit removes exactly the characters it names.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
#: A web URL whose authority is a plain ASCII host name: no user, port or brackets.
_PLAIN_HOST = re.compile(r"https?://([A-Za-z0-9.\-]+)(?=[/?#]|\Z)", re.IGNORECASE)
#: ``&`` or its HTML spelling inside an attribute or a Markdown source.
_SEPARATOR = re.compile(r"&amp;|&")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Param:
    """One ``name=value`` of a query: its decoded name and its place in the URL string."""

    name: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def scheme(url: str) -> str | None:
    """The URL's scheme in lower case, or None for a relative reference."""
    match = _SCHEME.match(url)
    return match.group(0)[:-1].lower() if match else None


def host(url: str) -> str | None:
    """The lower-case host of an absolute URL (no port, no brackets), or None."""
    plain = _PLAIN_HOST.match(url)
    if plain is not None:  # what urlsplit finds, without its general machinery
        return plain.group(1).lower()
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def host_matches(hostname: str, suffixes: Iterable[str]) -> bool:
    """True when ``hostname`` is one of ``suffixes`` or a subdomain of one (``www.``)."""
    return any(hostname == s or hostname.endswith("." + s) for s in suffixes)


@lru_cache(maxsize=4096)
def query_params(url: str) -> tuple[Param, ...]:
    """The query's parameters in order, with their positions in ``url`` (once per
    distinct URL: LN003 and LN005 both read them)."""
    start = url.find("?")
    if start < 0:
        return ()
    end = url.find("#", start)
    end = len(url) if end < 0 else end
    params: list[Param] = []
    pos = start + 1
    for separator in [*_SEPARATOR.finditer(url, pos, end), None]:
        stop = separator.start() if separator is not None else end
        if stop > pos:
            name = url[pos:stop].split("=", 1)[0]
            if "%" in name or "+" in name:
                name = unquote(name.replace("+", " "))
            params.append(Param(name, pos, stop))
        pos = separator.end() if separator is not None else end
    return tuple(params)


def remove_params(url: str, drop: Callable[[Param], bool]) -> tuple[str, tuple[Param, ...]]:
    """``url`` without the parameters ``drop`` picks, and the ones removed.

    Kept parameters keep their text, order and the separator written before them; the
    ``?`` goes when nothing is left, and a ``#fragment`` stays.
    """
    params = query_params(url)
    dropped = [drop(p) for p in params]
    if not any(dropped):
        return url, ()
    removed = tuple(p for p, gone in zip(params, dropped, strict=True) if gone)
    question = url.find("?")
    fragment = url.find("#", question)
    end = len(url) if fragment < 0 else fragment
    kept = [p for p, gone in zip(params, dropped, strict=True) if not gone]
    query = ""
    for index, param in enumerate(kept):
        if index:
            query += "&amp;" if url.endswith("&amp;", 0, param.start) else "&"
        query += url[param.start : param.end]
    rebuilt = url[:question] + (f"?{query}" if query else "") + url[end:]
    return rebuilt, removed


def ip_literal(hostname: str) -> IPAddress | None:
    """The address when ``hostname`` is an IP literal: ``127.0.0.1``, ``[::1]``, and the
    numeric forms browsers read as IPv4 too (``0177.0.0.1``, ``0x7f.1``, ``2130706433``)."""
    try:
        return ipaddress.ip_address(hostname.strip("[]"))
    except ValueError:
        return ipv4_number(hostname)


_NUMERIC_LABEL = re.compile(r"(?:0[xX][0-9A-Fa-f]*|[0-9]+)\Z")


def ipv4_number(hostname: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a browser (the WHATWG URL standard) reads from a host whose last
    label is a number: 1–4 parts, each decimal, octal (``0…``) or hex (``0x…``)."""
    labels = hostname.rstrip(".").split(".") if hostname else []
    if not labels or len(labels) > 4 or not _NUMERIC_LABEL.match(labels[-1]):
        return None
    numbers: list[int] = []
    for label in labels:
        if not _NUMERIC_LABEL.match(label) or len(label) > 40:
            return None
        if label[:2] in ("0x", "0X"):
            numbers.append(int(label[2:] or "0", 16))
        elif len(label) > 1 and label.startswith("0"):
            if not all(c in "01234567" for c in label):
                return None
            numbers.append(int(label, 8))
        else:
            numbers.append(int(label))
    *front, last = numbers
    if any(n > 255 for n in front) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(front):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to be reached through (mapped, 6to4,
    Teredo, NAT64 ``64:ff9b::/96``), when it carries one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def address_problem(address: IPAddress) -> str | None:
    """Why an address is not on the public internet, or None for a globally routable one.

    ``is_global`` decides (the IANA special-purpose registries, not a hand list: private
    networks, carrier-grade NAT ``100.64.0.0/10``, documentation and benchmark ranges …);
    IPv6 site-local ``fec0::/10`` is refused too, and so is an IPv6 address whose embedded
    IPv4 address (mapped, 6to4, Teredo, NAT64) is not global."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = embedded_ipv4(address)
        if embedded is not None:
            problem = address_problem(embedded)
            if problem is not None:
                return problem
        if address.is_site_local:
            return "a site-local address"
    if address.is_loopback:
        return "a loopback address (the reader's own computer)"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast or address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private-network address"
    if not address.is_global:
        return "an address that is not globally routable"
    return None


@lru_cache(maxsize=4096)
def local_host_problem(hostname: str) -> str | None:
    """Why a host name cannot be reached by listeners (``localhost``, private IPs), or None."""
    name = hostname.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return "`localhost` (the reader's own computer)"
    if name.endswith((".local", ".internal", ".lan", ".home.arpa")):
        return f"the local-network name `{name}`"
    address = ip_literal(name)
    return address_problem(address) if address is not None else None


_DOT = re.compile(r"\.|%2[eE]")
_DOUBLE_DOT = re.compile(r"(?:\.|%2[eE]){2}")


def resolve_path(base: str, reference: str) -> str:
    """The path a browser requests for the path-relative ``reference`` (no scheme, not
    starting with ``/``, ``?`` or ``#``) on the page at path ``base``: the query and
    fragment cut off, ``\\`` read as ``/`` (WHATWG, special schemes), joined to ``base``'s
    folder, ``.`` and ``..`` segments (also ``%2e``) removed. Empty segments stay."""
    reference = re.split(r"[?#]", reference.replace("\\", "/"), maxsplit=1)[0]
    segments = base.split("/")[:-1] + reference.split("/")
    path: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if _DOUBLE_DOT.fullmatch(segment):
            if len(path) > 1:
                path.pop()
            if last:
                path.append("")
        elif _DOT.fullmatch(segment):
            if last:
                path.append("")
        else:
            path.append(segment)
    return "/".join(path) if path and path[0] == "" else "/" + "/".join(path)
