"""Jekyll's URL filters (jekyll-4.3.1 ``filters/url_filters.rb``: ``absolute_url``,
``relative_url``) and the part of ``Addressable::URI#normalize`` they rely on."""

from __future__ import annotations

import contextlib
import re

from epilint.feed.permalink import percent_encode
from epilint.feed.values import to_s

_ABSOLUTE = re.compile(r"\A[A-Za-z][A-Za-z0-9+.-]*:")


class UrlFilters:
    def __init__(self, url: object, baseurl: object) -> None:
        self.url = url
        self.baseurl = baseurl

    def relative_url(self, value: object) -> object:
        """url_filters.rb ``relative_url``."""
        if value is None:
            return None
        text = to_s(value)
        if _ABSOLUTE.match(text):
            return text
        base = "" if self.baseurl is None else to_s(self.baseurl).removesuffix("/")
        parts = "".join(p if not p or p.startswith("/") else "/" + p for p in (base, text))
        return normalize_uri(parts)

    def absolute_url(self, value: object) -> object:
        """url_filters.rb ``absolute_url``: ``site.url`` + ``relative_url``, normalized."""
        if value is None:
            return None
        text = to_s(value)
        if _ABSOLUTE.match(text):
            return text
        site_url = self.url
        relative = self.relative_url(text)
        if site_url is None or site_url == "":
            return relative
        return normalize_uri(to_s(site_url) + to_s(relative))


_NORMAL_PATH = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%")
_URI = re.compile(r"\A(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?\Z", re.DOTALL)


def normalize_uri(text: str) -> str:
    """``Addressable::URI.parse(text).normalize.to_s`` for http(s) and path-only URLs:
    scheme and host lowercased, an IDN host in punycode, the default port dropped, an
    empty http(s) path as ``/``, non-URI characters percent-encoded."""
    match = _URI.match(text)
    if match is None:
        return text
    scheme, authority, path, query, fragment = match.groups()
    out = ""
    if scheme:
        scheme = scheme.lower()
        out += scheme + ":"
    if authority is not None:
        userinfo, _, hostport = authority.rpartition("@")
        host, _, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
        host = host.lower().rstrip(".") if host.endswith(".") and len(host) > 1 else host.lower()
        if not host.isascii():
            with contextlib.suppress(UnicodeError):
                host = host.encode("idna").decode("ascii")
        if (scheme, port) in (("http", "80"), ("https", "443")):
            port = ""
        out += "//" + (userinfo + "@" if userinfo else "") + host + (":" + port if port else "")
        if not path and scheme in ("http", "https"):
            path = "/"
    out += percent_encode(path, _NORMAL_PATH)
    if query:
        out += percent_encode(query, _NORMAL_PATH | set("?"))
    if fragment:
        out += percent_encode(fragment, _NORMAL_PATH | set("?#"))
    return out
