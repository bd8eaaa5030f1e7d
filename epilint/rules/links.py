"""LN rules: the links in the show notes (offline LN001–LN014, ``--online`` LN100–LN102).

Every rule reads the page as kramdown renders it through ``epilint/lint/facts.py`` (read
once per document by ``epilint/links/extract.py``): its links, the URLs it shows as plain
text, the link syntax it shows as text. The online rules read the answers the run's online
phase gave the context.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

from epilint.links import lists as link_lists
from epilint.links import urls
from epilint.links.extract import Link, LinkKind
from epilint.links.status import LinkStatus
from epilint.lint import facts
from epilint.lint.context import Context
from epilint.lint.facts import checked_links, online_status, shown_as, web_links
from epilint.lint.registry import FixAvailability, rule
from epilint.model import Applicability, Edit, Finding, Fix, Severity, Span
from epilint.site.audio import is_remote
from epilint.site.jekyll import CONFIG_NAME as CONFIG

#: Schemes a podcast page may reasonably link with.
KNOWN_SCHEMES = frozenset(
    {
        "http", "https", "mailto", "tel", "sms", "ftp", "ftps", "sftp", "data", "irc", "ircs",
        "magnet", "feed", "podcast", "pcast", "itpc", "itms", "itms-apps", "itms-podcasts",
        "spotify", "line", "skype", "slack", "discord", "steam", "geo", "webcal", "javascript",
        "file", "urn", "news", "git", "ssh", "twitter", "fb", "zoommtg", "x-apple-reminder",
    }
)  # fmt: skip
#: Extensions of files Jekyll copies as they are: a missing one is a 404 on the site.
STATIC_EXTENSIONS = frozenset(
    {
        ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac", ".mp4", ".m4v",
        ".webm", ".mov", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".ico",
        ".bmp", ".pdf", ".zip", ".epub", ".csv", ".key", ".pptx",
    }
)  # fmt: skip
_HOST_CHARS = re.compile(r"[\w.\-~%]+|\[[0-9A-Fa-f:.]+\]")
_WINDOWS_PATH = re.compile(r"[A-Za-z]:[\\/]")
_SPACE = re.compile(r"\s")
_REPEATED_SCHEME = re.compile(r"https?://", re.IGNORECASE)
#: A web URL whose host is a plain ASCII domain name (no port, no user): nothing to report.
_PLAIN_WEB_URL = re.compile(
    r"https?://[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+(?=[/?#]|\Z)", re.IGNORECASE
)
_SHOWN = 60
#: C0 controls and space: what a browser's URL parser strips from both ends.
_URL_PADDING = "".join(map(chr, range(0x21)))
#: A ``%`` that does not start a percent-escape (``%E5%A %A2``).
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2}).{0,2}", re.DOTALL)


def _shown(url: str) -> str:
    """A URL short enough for a message."""
    return url if len(url) <= _SHOWN else url[: _SHOWN - 1] + "…"


# -- LN001 -----------------------------------------------------------------------------


#: A URL that passes every LN001 check: a plain web URL (see ``_PLAIN_WEB_URL``) with no
#: whitespace, no brackets, no backslash and no broken ``%`` escape. No IGNORECASE: ``ſ``
#: and ``K`` (Kelvin) must not pass for ``s`` and ``k`` in the scheme. ``test_links`` proves
#: the shortcut exact.
_CLEAN_WEB_URL = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+"
    r"(?:[/?#](?:[^\s()\[\]\\%]|%[0-9A-Fa-f]{2})*)?\Z"
)


@lru_cache(maxsize=8192)
def malformed(url: str) -> tuple[str, str | None] | None:
    """Why ``url`` is malformed and, when obvious, the corrected URL (once per distinct URL)."""
    if _CLEAN_WEB_URL.match(url):
        return None  # most links
    return _malformed(url)


def _malformed(url: str) -> tuple[str, str | None] | None:
    # A browser drops tabs and line ends, and C0 controls and spaces at the ends: only the
    # whitespace it keeps (and percent-encodes) changes the request.
    url = _parsed_form(url)
    if _SPACE.search(url):  # ``\s`` is exactly ``str.isspace``
        encoded: str | None = _SPACE.sub(lambda m: "%20" if m.group(0) == " " else "", url.strip())
        if encoded is not None and _BAD_ESCAPE.search(encoded):
            encoded = None  # a broken escape around the space: what was meant is not known
        return (
            f"contains {_whitespace(url)}, which kramdown keeps in the link: the browser requests "
            f"`{_shown(_requested(url))}`",
            encoded,
        )
    if _WINDOWS_PATH.match(url):
        return "is a Windows file path: it exists only on the author's computer", None
    scheme = urls.scheme(url)
    if scheme is None:
        return _unbalanced(url)
    if scheme not in KNOWN_SCHEMES:
        if _near_http(scheme):
            rest = url[len(scheme) + 1 :].lstrip("/")
            return (
                f"has the misspelled scheme `{scheme}:`: the browser does not know it and the link "
                "does nothing",
                f"https://{rest}",
            )
        return None
    if scheme in ("http", "https"):
        return _web_problem(url, scheme) or _unbalanced(url)
    return _unbalanced(url)


def _whitespace(url: str) -> str:
    """The kinds of whitespace ``url`` holds, for a message."""
    names = []
    for char in dict.fromkeys(_SPACE.findall(url)):
        names.append(
            "a space"
            if char == " "
            else f"U+{ord(char):04X} ({unicodedata.name(char, 'whitespace').lower()})"
        )
    return " and ".join(names)


def _parsed_form(url: str) -> str:
    """What a browser's URL parser reads of ``url``: leading and trailing C0 controls and
    spaces removed, tabs and line ends removed."""
    return url.strip(_URL_PADDING).translate(_TAB_AND_NEWLINE)


def _requested(url: str) -> str:
    """The URL a browser requests for ``url`` as far as whitespace goes: ``_parsed_form``,
    with any other whitespace percent-encoded (UTF-8)."""
    return _SPACE.sub(lambda found: quote(found.group(0), safe=""), _parsed_form(url))


_TAB_AND_NEWLINE = {ord("\t"): None, ord("\n"): None, ord("\r"): None}


def _near_http(scheme: str) -> bool:
    from difflib import SequenceMatcher

    return any(SequenceMatcher(None, scheme, known).ratio() >= 0.75 for known in ("http", "https"))


def _web_problem(url: str, scheme: str) -> tuple[str, str | None] | None:
    after = url[len(scheme) + 1 :]
    if not after.startswith("//"):
        return (
            f"needs two slashes after `{scheme}:`: browsers read `{_shown(url)}` as a path",
            f"{scheme}://{after.lstrip('/')}",
        )
    if _REPEATED_SCHEME.match(after):
        return "repeats the scheme (`https://https://…`)", after
    if "\\" in url:
        turned = url.replace("\\", "/")
        return (
            f"has backslashes, which kramdown keeps in the link and browsers read as `/`: it opens "
            f"`{_shown(turned)}`",
            url.replace("\\", ""),
        )
    bad_escape = _BAD_ESCAPE.search(url)
    if bad_escape is not None:
        return (
            f"has `{bad_escape.group(0)}`, a `%` not followed by two hexadecimal digits: the link "
            "keeps it, and many servers refuse such a request (400 Bad Request)",
            None,
        )
    if _PLAIN_WEB_URL.match(url):
        return None  # the common case, and every check below would pass
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"cannot be parsed ({exc})", None
    host = parts.hostname
    if not host:
        return "has no host name", None
    authority = parts.netloc.rpartition("@")[2]
    written = authority[: authority.find("]") + 1] if authority.startswith("[") else authority.split(":")[0]
    if not _HOST_CHARS.fullmatch(written):
        return f"has characters that are not allowed in the host name `{host}`", None
    if "." not in host and ":" not in host and host != "localhost":
        return f"has the host `{host}`, which is not a domain name (no dot)", None
    if ".." in host or host.startswith((".", "-")):
        return f"has the invalid host name `{host}`", None
    return None


def _unbalanced(url: str) -> tuple[str, str | None] | None:
    for open_, close in (("(", ")"), ("[", "]")):
        if url.count(open_) != url.count(close):
            return f"has unbalanced `{open_}{close}`: part of it is probably missing or extra", None
    return None


@rule("LN001", "malformed-url", Severity.ERROR, fix=FixAvailability.SUGGESTION)
def malformed_url(ctx: Context) -> Iterator[Finding]:
    """A URL that cannot work as written: bad scheme, spaces inside, unbalanced brackets.

    Why: kramdown copies the link target into `href` as written. `htps://` or `https:/`
    are not web links at all, a space or a broken `%` escape changes the address the
    browser requests, and a stray bracket cuts the URL short. (A target without a scheme,
    `www.example.com`, is a path on the site: LN012.)

    Example: `[x](htps://example.com/)`, `[x](<https://example.com/a b>)`.

    Fix: suggestion: the corrected URL when it is obvious (`https://`, `%20` for a space).
    """
    for link in checked_links(ctx):
        if _path_relative(link.url):
            continue  # a path on this site, or not an address at all: LN012 judges it
        problem = malformed(link.url)
        if problem is None or _reaches_site_file(ctx, link):
            continue
        reason, corrected = problem
        fix = Fix.suggestion(f"link {corrected}" if corrected else "correct the URL")
        yield Finding(f"`{_shown(link.url)}` {reason}", link.span, fix)


def _reaches_site_file(ctx: Context, link: Link) -> bool:
    """A site-relative link to a file the site has: the browser's ``%20`` finds it."""
    relative = _site_path(ctx, link.target)
    if relative is None or ctx.site is None:
        return False
    ctx.depends_on(ctx.site.root / relative)
    return ctx.site.has_file(relative)


# -- LN002 -----------------------------------------------------------------------------


@rule("LN002", "padded-url", Severity.WARNING, fix=FixAvailability.SAFE)
def padded_url(ctx: Context) -> Iterator[Finding]:
    """Whitespace inside the link parentheses, around the URL: `(https://… )`.

    Why: kramdown (Jekyll) drops spaces, tabs and line ends there, so the page's link works;
    but other tools that read the Markdown itself (editors' previews, other generators,
    copy-paste) may take the padding into the URL, where `…&s=19 ` becomes a different URL.
    Other whitespace (U+3000 ideographic space) kramdown keeps in the link: that is LN001.

    Example: `[cat](https://twitter.com/a/status/1?t=x&s=19 )`.

    Fix: safe: delete the whitespace.
    """
    text = ctx.doc.text
    for link in checked_links(ctx):
        target = link.target_span
        if target is None:
            continue
        before = text[target.start : link.span.start]
        after = text[link.span.end : target.end]
        edits = []
        if before and before.isspace():
            edits.append(Edit(Span(target.start, link.span.start), ""))
        if after and after.isspace():
            edits.append(Edit(Span(link.span.end, target.end), ""))
        if not edits:
            continue
        where = " and ".join(w for w, pad in (("before", before), ("after", after)) if pad and pad.isspace())
        yield Finding(
            f"the link target has whitespace {where} the URL `{_shown(link.url)}`: kramdown drops it, "
            "but other readers of the Markdown may keep it as part of the URL",
            target,
            Fix("delete the whitespace around the URL", tuple(edits), Applicability.SAFE),
        )


# -- LN003 -----------------------------------------------------------------------------


def _tracking_names(host: str, configured: tuple[str, ...]) -> tuple[str, ...]:
    """The parameter names (and ``prefix*`` patterns) that are tracking on ``host``."""
    names = [*link_lists.TRACKING_PARAMS, *configured]
    for suffix, params in link_lists.HOST_TRACKING_PARAMS.items():
        if urls.host_matches(host, (suffix,)):
            names.extend(params)
    return tuple(names)


@lru_cache(maxsize=4096)
def _host_tracking_test(host: str, configured: tuple[str, ...]) -> Callable[[urls.Param], bool]:
    """Whether a parameter is tracking on ``host`` (built once per host)."""
    return _tracking_test(_tracking_names(host, configured))


def _tracking_test(patterns: tuple[str, ...]) -> Callable[[urls.Param], bool]:
    """Whether a parameter matches ``patterns`` (names, or prefixes ending in ``*``), any case."""
    exact = frozenset(p.lower() for p in patterns if not p.endswith("*"))
    prefixes = tuple(p[:-1].lower() for p in patterns if p.endswith("*"))

    def is_tracking(param: urls.Param) -> bool:
        lowered = param.name.lower()
        return lowered in exact or lowered.startswith(prefixes)

    return is_tracking


@rule("LN003", "tracking-params", Severity.WARNING, fix=FixAvailability.SAFE, reads_feed=True)
def tracking_params(ctx: Context) -> Iterator[Finding]:
    """Tracking parameters in a URL: `utm_*`, `fbclid`, `gclid`, share ids like `?s=12&t=…`.

    Why: they only tell the platform who shared or clicked the link; the page is the same
    without them. Twitter/X share links carry `s` and `t`, YouTube and Spotify shares `si`.
    The list is built in and extended by `[links] tracking-params` in the config.

    Example: `https://twitter.com/yamkaz/status/1562495638440251392?s=12&t=wlQam8kY1j3ndW1TI4SgNw`.

    Fix: safe: remove those parameters; every other parameter keeps its place and encoding.
    """
    for link, host in web_links(ctx):
        if "?" not in link.url:
            continue
        cleaned, removed = urls.remove_params(
            link.url, _host_tracking_test(host, ctx.settings.links.tracking_params)
        )
        if not removed:
            continue
        listed = ", ".join(f"`{p.name}`" for p in removed)
        plural = "are tracking parameters" if len(removed) > 1 else "is a tracking parameter"
        yield Finding(
            f"{listed} in `{_shown(link.url)}` {plural}: they only record who shared the link, "
            f"the page is the same without them{shown_as(ctx, link)}",
            link.span,
            link.replace(f"remove {listed}", cleaned),
        )


# -- LN004 -----------------------------------------------------------------------------


def _is_shortener(ctx: Context, host: str) -> bool:
    return _shortener_host(host, ctx.settings.links.shorteners)


@lru_cache(maxsize=4096)
def _shortener_host(host: str, configured: tuple[str, ...]) -> bool:
    return urls.host_matches(host, (*link_lists.SHORTENERS, *(s.lower() for s in configured)))


@rule(
    "LN004",
    "url-shortener",
    Severity.WARNING,
    fix=FixAvailability.SUGGESTION,
    reads_online=True,
    reads_feed=True,
)
def url_shortener(ctx: Context) -> Iterator[Finding]:
    """A link through a URL shortener (bit.ly, t.co, amzn.to, gigaz.in …).

    Why: listeners cannot see where the link leads, and it breaks when the shortener shuts
    down or expires it (goo.gl links stopped working in 2025). The list is built in and
    extended by `[links] shorteners` in the config.

    Example: `[gigazine](https://gigaz.in/3Q5ncKl)`.

    Fix: suggestion: link the destination. With `--online`, epilint follows the redirects and
    offers the destination as an unsafe fix.
    """
    for link, host in web_links(ctx):
        if not _is_shortener(ctx, host):
            continue
        status = online_status(ctx, link)
        final = status.final_url if status is not None else None
        if final and final != link.target:
            fix = link.replace(f"link the destination {final}", final, safe=False)
        else:
            fix = Fix.suggestion("link the destination (`epilint check --online` finds it)")
        yield Finding(
            f"`{_shown(link.url)}` goes through the URL shortener `{host}`: listeners cannot see where "
            f"it leads, and it dies with the shortener{shown_as(ctx, link)}",
            link.span,
            fix,
        )


# -- LN005 -----------------------------------------------------------------------------


_SESSION_PATH = re.compile("|".join(map(re.escape, link_lists.SESSION_PATHS)))


@lru_cache(maxsize=8192)
def session_marker(url: str) -> str | None:
    """The parameter or path that makes ``url`` a login/session URL, or None (once per
    distinct URL)."""
    lowered = url.lower()
    path_end = len(url)
    for mark in "?#":
        found = lowered.find(mark, 0, path_end)
        if found >= 0:
            path_end = found
    if _SESSION_PATH.search(lowered, 0, path_end):  # one pass for "any of them"
        for fragment in link_lists.SESSION_PATHS:
            if fragment in lowered[:path_end]:
                return f"`{fragment}`"
    for param in urls.query_params(url) if "?" in url else ():
        if param.name.lower() in link_lists.SESSION_PARAMS and "=" in url[param.start : param.end]:
            value = url[param.start : param.end].split("=", 1)[1]
            if value:
                return f"`{param.name}=`"
    return None


@rule("LN005", "session-url", Severity.ERROR, fix=FixAvailability.SUGGESTION, reads_feed=True)
def session_url(ctx: Context) -> Iterator[Finding]:
    """A URL carrying the author's login or session state: `state=`, `token=`, `/u/login`.

    Why: the URL was copied from a login page or a signed-in session. For listeners the
    state is expired or belongs to someone else: they land on an error or a login prompt,
    not the page that was meant.

    Example: `[DreamStudio](https://stabilityai.us.auth0.com/u/login?state=hKFo2SBq…)`.

    Fix: suggestion: link the public page instead.
    """
    for link, _host in web_links(ctx):
        marker = session_marker(link.url)
        if marker is None:
            continue
        yield Finding(
            f"`{_shown(link.url)}` is a login/session URL ({marker}): listeners get an expired login "
            f"or an error, not the page{shown_as(ctx, link)}",
            link.span,
            Fix.suggestion("link the public page instead"),
        )


# -- LN006 -----------------------------------------------------------------------------


@rule("LN006", "insecure-link", Severity.WARNING, fix=FixAvailability.UNSAFE, reads_feed=True)
def insecure_link(ctx: Context) -> Iterator[Finding]:
    """A plain `http://` link.

    Why: the page is fetched unencrypted: browsers mark it "Not secure", HTTPS-only modes
    stop at a warning, and from an `https` site some browsers block it. Most sites answer on
    `https://` today.

    Example: `[blog](http://example.com/post)`.

    Fix: unsafe: `https://` (a site without HTTPS would then fail; `--online` can tell).
    """
    for link, host in web_links(ctx):
        if urls.scheme(link.url) != "http" or urls.local_host_problem(host):
            continue
        secure = "https" + link.url[4:]
        yield Finding(
            f"`{_shown(link.url)}` is not encrypted (`http://`): browsers show it as not secure"
            f"{shown_as(ctx, link)}",
            link.span,
            link.replace("use https://", secure, safe=False),
        )


# -- LN007 -----------------------------------------------------------------------------

#: Links with a text a listener reads (an image's alt is not one; a bare URL is no link).
_CLICKABLE = frozenset({LinkKind.INLINE, LinkKind.AUTOLINK, LinkKind.HTML, LinkKind.REFERENCE})


@lru_cache(maxsize=8192)
def _same_target(url: str) -> str:
    """One key for the ways of writing one URL (host case, a final ``/``); ``http://`` and
    ``https://`` stay apart (linking both is deliberate)."""
    scheme = urls.scheme(url)
    if scheme in ("http", "https"):
        rest = url[len(scheme) + 3 :]
        host, slash, path = rest.partition("/")
        return f"{scheme}://{host.lower()}{slash}{path}".rstrip("/")
    return url


_TIMESTAMP = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_DIGITS = re.compile(r"\d+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_OPEN_PAREN = frozenset("(（[［")


def _core(text: str) -> str:
    """A link text without timestamps (chapter lists) and without anything but letters
    and digits."""
    return _NOT_ALNUM.sub("", _TIMESTAMP.sub("", text))


def _same_page(ctx: Context, first_text: str, first: Link, text: str, link: Link) -> bool:
    """Two different texts of one URL that name the same page (see LN007's docstring)."""
    a, b = _core(first_text), _core(text)
    if not a or not b:
        return True  # punctuation linked around a title
    numbers_a, numbers_b = set(_DIGITS.findall(a)), set(_DIGITS.findall(b))
    in_url = set(_DIGITS.findall(link.target))
    if numbers_a & numbers_b & in_url:
        return True  # `ep31` and `31. Title` of `/31/`
    if _DIGITS.sub("", a) == _DIGITS.sub("", b) and not in_url & (numbers_a ^ numbers_b):
        return True  # `Show #5`, `Show #6` of the show's page
    name = _url_name(link.target)
    if name and name in a.lower() and name in b.lower():
        return True  # both name what the URL names (`EM.FM - ep10…` → anchor.fm/em-fm)
    if min(len(first_text), len(text)) >= 10:
        from difflib import SequenceMatcher

        if SequenceMatcher(None, first_text, text).ratio() >= 0.8:
            return True  # one title written twice
    return _alias(ctx.doc.text, first, link)


def _url_name(url: str) -> str | None:
    """What a URL names: its last path segment without an extension, else its host's
    first label; letters and digits only, lower case, at least four of them."""
    rest = url.split("://", 1)[-1]
    rest = re.split(r"[?#]", rest, maxsplit=1)[0]
    parts = [part for part in rest.split("/") if part]
    if not parts:
        return None
    last = parts[-1] if len(parts) > 1 else parts[0].split(".")[0]
    name = _NOT_ALNUM.sub("", last.rsplit(".", 1)[0] if len(parts) > 1 else last).lower()
    return name if len(name) >= 4 else None


def _alias(text: str, first: Link, link: Link) -> bool:
    """``[A](u)（[B](u)）``: the second link, in parentheses right after the first, gives
    another name for it."""
    if first.target_span is None or link.text_span is None:
        return False
    between = text[first.target_span.end + 1 : link.text_span.start - 1].strip()
    return len(between) == 1 and between in _OPEN_PAREN


@rule("LN007", "duplicate-link", Severity.WARNING, fix=FixAvailability.SUGGESTION)
def duplicate_link(ctx: Context) -> Iterator[Finding]:
    """The same URL linked twice in one page under different link texts.

    Why: in show notes a URL repeated under another title is usually a copy-paste slip:
    the second link was meant to point somewhere else (`[#21](/episode/21/)
    [#22](/episode/21/)`), and that page is now missing from the notes. Repeats that name
    the same page are deliberate and not reported: the same text, one text inside the other
    (`Codepen` / `Codepen.io`, a chapter list's `12:34 Topic` and `Topic`), nearly the same
    title, the same number in both texts and the URL (`ep31` and `31. …`), a series'
    page under its episodes' names (`Show #5`, `Show #6` → the show's page), an alias in
    parentheses (`[A](u)（[B](u)）`), punctuation linked around a title (`[『](u)[title](u)[』](u)`),
    `http://` and `https://` of one page; nor are uses of one reference definition.

    Example: `[Part 1](https://example.com/part-1) and [Part 2](https://example.com/part-1)`.

    Fix: suggestion: link the intended page, or keep one link.
    """
    lines = ctx.doc.lines
    # Per URL, the first link of each distinct text, in order; and per (URL, line) the same
    # for that line. A slip depends on a link only through its text, target and line, so
    # the earliest slip is found among these first occurrences: each new link is compared
    # with at most MAX_TEXTS of them, never with every earlier copy (20,000 copies of one
    # link are 20,000 steps, not 200 million).
    by_url: dict[str, list[tuple[str, Link]]] = {}
    by_line: dict[tuple[str, int], list[tuple[str, Link]]] = {}
    for link in checked_links(ctx):
        if link.kind not in _CLICKABLE or not link.text or not link.text.strip():
            continue
        key = _same_target(link.target)
        line = lines.position(link.span.start)[0]
        text = _normalised(link.text)
        candidates: list[Link] = []
        if not _names_url(text, link.target) and _core(text):
            for earlier_text, earlier in by_url.get(key, ()):
                unrelated = earlier_text not in text and text not in earlier_text  # so not equal
                if (
                    unrelated
                    and not _names_url(earlier_text, earlier.target)
                    and not _same_page(ctx, earlier_text, earlier, text, link)
                ):
                    candidates.append(earlier)
                    break
            for earlier_text, earlier in by_line.get((key, line), ()):
                if (
                    earlier_text != text
                    and not _names_url(earlier_text, earlier.target)
                    and not _same_page(ctx, earlier_text, earlier, text, link)
                ):
                    candidates.append(earlier)
                    break
        _remember(by_url.setdefault(key, []), text, link)
        _remember(by_line.setdefault((key, line), []), text, link)
        if not candidates:
            continue
        slip = min(candidates, key=lambda e: e.span.start)
        earlier_line = lines.position(slip.span.start)[0]
        yield Finding(
            f"`{_shown(link.url)}` is already linked on line {earlier_line} as {_quoted(slip.text)}, here as "
            f"{_quoted(link.text)}: one of them probably meant another page",
            link.span,
            Fix.suggestion("link the intended page, or keep only one link"),
        )


#: How many distinct texts of one URL LN007 remembers (a page never has more).
MAX_TEXTS = 64


def _remember(firsts: list[tuple[str, Link]], text: str, link: Link) -> None:
    if len(firsts) < MAX_TEXTS and all(known != text for known, _ in firsts):
        firsts.append((text, link))


def _normalised(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _quoted(text: str | None) -> str:
    shown = " ".join((text or "").split())
    return f"“{shown if len(shown) <= 40 else shown[:39] + '…'}”"


def _names_url(text: str, url: str) -> bool:
    """A link text that is the URL or its domain (`reactiveconf.com`) names no other page."""
    return bool(text) and not any(c.isspace() for c in text) and text in url.casefold()


# -- LN008 -----------------------------------------------------------------------------


@rule("LN008", "empty-link-text", Severity.WARNING, fix=FixAvailability.SUGGESTION)
def empty_link_text(ctx: Context) -> Iterator[Finding]:
    """A link with no text: `[](url)` or `[ ](url)`.

    Why: Jekyll renders `<a href="url"></a>`: there is nothing to see or click, and screen
    readers announce only "link". A link given a title (`[](url "Twitter")`) or attributes
    (`[](url){:.icon-twitter}`, an icon drawn by the site's CSS) is a deliberate hidden or
    icon link and is not reported.

    Example: `[](https://example.com)`.

    Fix: suggestion: write the page's title as the link text.
    """
    text = ctx.doc.text
    for link in facts.links(ctx):
        if link.kind not in (LinkKind.INLINE, LinkKind.REFERENCE) or link.text_span is None:
            continue
        if link.text is None or link.text.strip() or not link.target.strip(_URL_PADDING):
            continue  # the empty target is LN011's
        if _dressed(text, link):
            continue
        span = Span(link.text_span.start - 1, link.text_span.end + 1)
        yield Finding(
            f"the link to `{_shown(link.url)}` has no text: the page shows an empty, unclickable link",
            span,
            Fix.suggestion("write the linked page's title between the brackets"),
        )


def _dressed(text: str, link: Link) -> bool:
    """The link has a title (``(url "title")``) or an attribute list right after it
    (``{:.class}``): it is styled or explained on purpose."""
    if link.target_span is None:
        return False
    if text[link.span.end : link.target_span.end].strip():
        return True  # a title after the URL
    return text.startswith("{:", link.target_span.end + 1)


# -- LN009 -----------------------------------------------------------------------------


@rule("LN009", "local-address", Severity.ERROR, fix=FixAvailability.SUGGESTION, reads_feed=True)
def local_address(ctx: Context) -> Iterator[Finding]:
    """A link to `localhost`, a loopback or private address, or a `file://` path.

    Why: the address works only on the author's computer or network. For listeners
    `localhost` is their own machine and `192.168.x.x` their own router: the link fails.

    Example: `[preview](http://localhost:4000/2022/09/10/57.html)`.

    Fix: suggestion: link the public address.
    """
    found = [
        (link, "a file on the author's computer (`file://`)")
        for link in checked_links(ctx)
        if urls.scheme(link.url) == "file"
    ]
    found.extend((link, reason) for link, host in web_links(ctx) if (reason := urls.local_host_problem(host)))
    for link, reason in found:
        yield Finding(
            f"`{_shown(link.url)}` points at {reason}: listeners cannot reach it{shown_as(ctx, link)}",
            link.span,
            Fix.suggestion("link the public address"),
        )


# -- LN010 -----------------------------------------------------------------------------


def _site_path(ctx: Context, url: str) -> str | None:
    """``/audio/058.mp3`` → ``audio/058.mp3`` for a site-relative link to a static file."""
    if not url.startswith("/") or is_remote(url):
        return None
    path = unquote(re.split(r"[?#]", url, maxsplit=1)[0])
    if PurePosixPath(path).suffix.lower() not in STATIC_EXTENSIONS:
        return None
    site = ctx.site
    baseurl = site.config.get("baseurl") if site is not None else None
    if isinstance(baseurl, str) and baseurl.strip("/") and path.startswith(baseurl.rstrip("/") + "/"):
        path = path[len(baseurl.rstrip("/")) :]
    return path.lstrip("/")


@rule("LN010", "broken-site-link", Severity.ERROR, fix=FixAvailability.SUGGESTION, site_inputs=(CONFIG,))
def broken_site_link(ctx: Context) -> Iterator[Finding]:
    """A site-relative link (`/audio/058.mp3`, `/images/x.png`) to a file the site does not have.

    Why: Jekyll copies static files as they are; a link to a file that is not in the site
    is a 404 on the published page. Files in folders starting with `_` or `.` exist in the
    source but are not published. Only links to static files (audio, images, documents) are
    checked, and only when their folder exists in the site (a site whose `images/` live
    elsewhere is not flagged); pages get their URLs from permalinks.

    Example: `[download](/audio/058.mp3)` when the site has only `audio/057.mp3`.

    Fix: suggestion: the closest existing file in that folder.
    """
    site = ctx.site
    if site is None:
        return
    for link in checked_links(ctx):
        relative = _site_path(ctx, link.target)
        if relative is None:
            continue
        hidden = any(part.startswith(("_", ".")) for part in PurePosixPath(relative).parts)
        # the answer changes when the file, or its folder (existence, listing), changes
        target = site.root / relative
        ctx.depends_on(target)
        ctx.depends_on(target.parent)
        if not hidden and site.has_file(relative):
            continue
        folder = site.resolve_inside(PurePosixPath(relative).parent.as_posix())
        if folder is None or not folder.is_dir():
            continue  # the site keeps no such files here (hosted elsewhere, or deployed apart)
        if hidden:
            message = (
                f"`{_shown(link.url)}` is not published: Jekyll skips folders and files "
                "starting with `_` or `.`"
            )
            fix = Fix.suggestion("move the file to a published folder")
        else:
            message = f"`{_shown(link.url)}` does not exist in the site (no `{relative}`): the link is a 404"
            near = site.nearest_file(relative)
            fix = Fix.suggestion(f"did you mean `{near}`?" if near else "link an existing file")
        yield Finding(message, link.span, fix)


# -- LN011 -----------------------------------------------------------------------------


@rule("LN011", "empty-link-target", Severity.ERROR, fix=FixAvailability.SUGGESTION)
def empty_link_target(ctx: Context) -> Iterator[Finding]:
    """A link or image with an empty target: `[text]()`, `<a href="">`, `![alt]()`.

    Why: kramdown renders `[text]()` as `<a href="">`, and a browser resolves an empty URL to
    the page itself: the link "works" but only reloads the episode page. An image with an
    empty `src` is a broken image (the browser fetches the page as the picture).

    Example: `[the paper]()`.

    Fix: suggestion: write the URL between the parentheses (the link text, when it is a URL).
    """
    for link in facts.links(ctx):
        if not link.written or link.kind is LinkKind.AUTOLINK or link.target.strip(_URL_PADDING):
            continue
        text = (link.text or "").strip()
        if link.kind is LinkKind.IMAGE:
            message = 'the image has an empty source: kramdown renders `<img src="">`, a broken image'
        else:
            message = (
                f'the link {_quoted(link.text)} has an empty target: kramdown renders `<a href="">`, '
                "a link back to this episode's page"
            )
        wanted = (
            f"link {text}" if urls.scheme(text) in ("http", "https") else "write the URL of the page meant"
        )
        yield Finding(message, _whole(ctx, link), Fix.suggestion(wanted))


def _whole(ctx: Context, link: Link) -> Span:
    """``[text](target)`` from its ``[`` (or ``![``) to its ``)``, when the link has both."""
    if link.text_span is None or link.target_span is None:
        return link.span
    start = link.text_span.start - 1
    if link.kind is LinkKind.IMAGE and start > 0 and ctx.doc.text[start - 1] == "!":
        start -= 1
    return Span(max(start, 0), link.target_span.end + 1)


# -- LN012 -----------------------------------------------------------------------------

#: A host written without a scheme: ``www.…``, or dotted labels ending in a top-level
#: domain (the group) followed by a path, a port or nothing.
_HOST_LIKE = re.compile(r"(?i)(?:www\.[^/\s]+|(?:[a-z0-9-]+\.)+([a-z]{2,63}))(?=[/:?#]|\Z)")
#: File extensions, which a relative file name ends with where a host has its domain.
_FILE_SUFFIXES = frozenset(
    [
        "html",
        "htm",
        "xhtml",
        "php",
        "md",
        "markdown",
        "txt",
        "xml",
        "rss",
        "json",
        "csv",
        "pdf",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "ico",
        "mp3",
        "m4a",
        "ogg",
        "opus",
        "wav",
        "flac",
        "mp4",
        "mov",
        "webm",
        "zip",
        "gz",
        "css",
        "js",
    ]
)
_INNER_WEB_URL = re.compile(r"https?://[^\s()\[\]<>]+", re.IGNORECASE)
_NESTED_LINK = re.compile(r"\[[^\]]*\]\(\s*([^\s()]+)\s*\)")


def _path_relative(url: str) -> bool:
    """Whether a browser reads ``url`` as a path relative to the page: no scheme, and not
    starting with ``/``, ``\\``, ``?`` or ``#`` (nor a Windows path, LN001's)."""
    url = _parsed_form(url)
    return bool(url) and not (
        url.startswith(("/", "\\", "?", "#")) or urls.scheme(url) is not None or _WINDOWS_PATH.match(url)
    )


def _meant(url: str) -> str | None:
    """The address a path-relative ``url`` was meant to be, when it can be read off: the
    second URL of a nested link, the web URL written after some text, ``https://`` before
    a host (``https//…`` mended)."""
    nested = _NESTED_LINK.fullmatch(url.strip())
    if nested is not None and urls.scheme(nested.group(1)) in ("http", "https"):
        return nested.group(1)
    lowered = url.lower()
    for prefix in ("https//", "http//"):
        if lowered.startswith(prefix):
            return f"{prefix[:-2]}://{url[len(prefix) :]}"
    inner = _INNER_WEB_URL.search(url)
    if inner is not None:
        return inner.group(0)
    host = _HOST_LIKE.match(url)
    if host is not None and (host.group(1) or "").lower() not in _FILE_SUFFIXES and not _SPACE.search(url):
        return f"https://{url}"
    return None


def _opened(ctx: Context, parsed: str) -> str | None:
    """The path (percent-decoded, without ``baseurl``) the browser opens for the
    path-relative target ``parsed`` (its parsed form) on this page, when the page's URL
    is known."""
    view = ctx.feed
    if view is None or view.url is None or not view.site.outputs:
        return None
    return unquote(urls.resolve_path(view.url, parsed))


@rule(
    "LN012", "link-to-nowhere", Severity.ERROR, fix=FixAvailability.SUGGESTION, reads_feed=True,
    site_inputs=(CONFIG,),
)  # fmt: skip
def link_to_nowhere(ctx: Context) -> Iterator[Finding]:
    """A link whose target is not a URL and, read relative to the post's own URL, opens a
    page the site does not have.

    Why: kramdown copies any target into `href`; a browser reads one without a scheme as a
    path relative to the page. `[t]([u](v))`, `[t](some words https://…)` and
    `[t](example.com/x)` all open `/2022/09/10/…` under the episode's URL: a 404. The
    post's URL comes from its permalink as Jekyll makes it, and the site's pages, posts and
    files from the feed phase's model of the build; a site whose plugins add pages
    (unmodelled gems, `_plugins` generators) is judged only on targets that cannot be a
    path (spaces, `://`, `](`, a host name).

    Example: `[Next.js](ISRに魅力 https://nextjs.org/)`, `[paper](www.example.com/paper)`.

    Fix: suggestion: the intended URL when it can be read off (the inner URL, `https://`
    before a host).
    """
    for link in checked_links(ctx):
        url = link.url
        if not _path_relative(url):
            continue
        meant = _meant(url)
        text = (link.text or "").strip()
        if meant is None and urls.scheme(text) in ("http", "https") and not _SPACE.search(text):
            meant = text  # the URL written as the text, the words as the target
        parsed = _parsed_form(url)
        clear = meant is not None or "](" in url or _SPACE.search(parsed) is not None
        opened = _opened(ctx, parsed)
        what = "the image" if link.kind is LinkKind.IMAGE else "the link"
        if opened is not None and ctx.feed is not None:
            site = ctx.feed.site
            fact = f"site-output:{opened}"
            written = site.fact(fact)
            ctx.uses(fact, written)
            if written == "1" or (site.writers and not clear):
                continue
            baseurl = ctx.site.config.get("baseurl") if ctx.site is not None else None
            prefix = baseurl.rstrip("/") if isinstance(baseurl, str) else ""
            address = quote(prefix + opened, safe="/:@!$&'()*+,;=[]~%|^")
            address = address if len(address) <= 2 * _SHOWN else address[: 2 * _SHOWN - 1] + "…"
            unsure = f" (unless {', '.join(site.writers)} adds it)" if site.writers else ""
            said = f"`{_shown(url)}` is not a URL: {what} opens" if clear else f"{what} `{_shown(url)}` opens"
            message = f"{said} `{address}` relative to this page, which the site does not have{unsure}: a 404"
            if meant is None and site.has_output(unquote(urls.resolve_path("/", parsed))):
                meant = f"{prefix}/{parsed}"  # the path written as if from the site's root
        elif clear:
            message = (
                f"`{_shown(url)}` is not a URL: {what} opens it as a path relative to this page's "
                "address (a 404; epilint could not tell the page's URL)"
            )
        else:
            continue
        fix = Fix.suggestion(f"link {meant}" if meant else "write the full URL, or a path the site has")
        yield Finding(message, link.span, fix)


# -- LN013 -----------------------------------------------------------------------------

_LOST = {
    "table": (
        "a `|` on this line makes kramdown render it as a table row: the page shows the link's "
        "pieces as table cells, no link",
        "write the `|` of the link text as `\\|` (or `&#124;`), or remove it",
    ),
    "nested": (
        "link syntax inside another link's text: kramdown renders the outer link only and shows this as text",
        "move the inner link out of the brackets",
    ),
    "html": (
        "link syntax inside an HTML block, where kramdown does not read Markdown: the page shows it as text",
        'write `<a href="…">…</a>`, or add `markdown="1"` to the HTML element',
    ),
    "space": (
        "a space between `]` and `(`: kramdown looks for a reference definition, finds none, and the "
        "page shows the brackets and the URL as text",
        "remove the space between `]` and `(`",
    ),
    "text": (
        "`](` with no matching `[`: kramdown shows it as text, no link",
        "write the link as `[text](url)`",
    ),
}


@rule("LN013", "link-lost-on-page", Severity.ERROR, fix=FixAvailability.SUGGESTION)
def link_lost_on_page(ctx: Context) -> Iterator[Finding]:
    """Link syntax that kramdown does not render as a link: the page shows it as text.

    Why: kramdown (GFM input) reads a line with an unescaped `|` as a table row, even inside
    a list item, so `- [A | B](https://…)` becomes a table whose cells hold `[A` and
    `B](https://…)`; a `[` missing before `](`, a link inside another link's text, a space
    between `]` and `(`, or Markdown inside an HTML block leave the syntax as text too.

    Example: `- [新型コロナ | STORIA法律事務所](https://storialaw.jp/blog/8820)`.

    Fix: suggestion: what would make it a link (escape the `|`, add the `[` …).
    """
    for lost in facts.page(ctx).lost:
        message, suggestion = _LOST.get(lost.reason, _LOST["text"])
        yield Finding(f"{_quoted(lost.text)}: {message}", lost.span, Fix.suggestion(suggestion))


# -- LN014 -----------------------------------------------------------------------------


#: What LN014 adds on podcast apps, by whether the feed carries the post's notes.
_in_apps = {
    True: " (podcast apps link it in the notes the feed carries)",
    None: " (podcast apps may link it, if the feed carries the notes)",
}


@rule("LN014", "bare-url", Severity.WARNING, fix=FixAvailability.SAFE, reads_feed=True)
def bare_url(ctx: Context) -> Iterator[Finding]:
    """A URL written as plain text: kramdown (Jekyll) does not link it.

    Why: unlike GitHub, kramdown does not turn bare URLs into links (its autolinks need
    `<…>`), so the episode page shows the URL as text that cannot be clicked. Podcast apps
    usually link URLs in the episode notes, so the same URL works there and not on the site.

    Example: `see https://example.com/x`.

    Fix: safe: write it as an autolink, `<https://example.com/x>` (a URL inside an HTML
    block, where Markdown is not read, gets a suggestion to write `<a href>`).
    """
    notes = facts.notes_in_feed(ctx)
    for url in facts.bare_urls(ctx):
        message = (
            f"`{_shown(url.url)}` is plain text on the page: kramdown does not link bare URLs, so "
            f"listeners cannot click it there{_in_apps.get(notes, '')}"
        )
        if url.in_html or not url.url.startswith(("http://", "https://")):
            fix = Fix.suggestion(f'write `<a href="{_shown(url.url)}">…</a>`')
        else:
            edits = (
                Edit(Span(url.span.start, url.span.start), "<"),
                Edit(Span(url.span.end, url.span.end), ">"),
            )
            fix = Fix("write it as a link: `<…>` around it", edits, Applicability.SAFE)
        yield Finding(message, url.span, fix)


# -- LN100–LN102 (--online) ------------------------------------------------------------


def _statuses(ctx: Context, outcome: str) -> Iterator[tuple[Link, str, LinkStatus]]:
    for link, host in web_links(ctx):
        status = online_status(ctx, link)
        if status is None or status.outcome != outcome:
            continue
        if outcome == "moved" and _is_shortener(ctx, host):
            continue  # LN004 offers the destination
        yield link, host, status


@rule("LN100", "dead-link", Severity.ERROR, online=True, reads_feed=True)
def dead_link(ctx: Context) -> Iterator[Finding]:
    """`--online`: the link is dead: 404/410, a server error, DNS failure, TLS error or timeout.

    Why: listeners clicking it get an error page. The message says what happened. A 404/410
    answer is cached for `cache-ttl`; server errors and timeouts are checked again next run.

    Example: `[old post](https://example.com/removed)` answering 404 Not Found.

    Fix: none: find where the page went (or an archived copy) and link that.
    """
    for link, _host, status in _statuses(ctx, "dead"):
        yield Finding(f"`{_shown(link.url)}` is dead: {status.reason}", link.span)


@rule("LN101", "redirected-link", Severity.WARNING, fix=FixAvailability.UNSAFE, online=True, reads_feed=True)
def redirected_link(ctx: Context) -> Iterator[Finding]:
    """`--online`: the link is permanently redirected (301/308) to another URL.

    Why: the server says the page has moved for good; the old URL works only as long as the
    redirect is kept. Temporary redirects (302/307, e.g. to a login or a language version)
    are fine and not reported.

    Example: `http://example.com/a` answering `301 Moved Permanently` to `https://example.com/a`.

    Fix: unsafe: the URL the permanent redirects lead to.
    """
    for link, _host, status in _statuses(ctx, "moved"):
        target = status.moved_to or ""
        yield Finding(
            f"`{_shown(link.url)}` is permanently redirected ({status.reason}) to `{_shown(target)}`",
            link.span,
            link.replace(f"link {target}", target, safe=False) if target else None,
        )


@rule("LN102", "unverifiable-link", Severity.WARNING, online=True, reads_feed=True)
def unverifiable_link(ctx: Context) -> Iterator[Finding]:
    """`--online`: the server refused to answer the checker (403, or 429 after waiting).

    Why: many sites block automated requests or rate-limit them; this is not proof the link
    is dead, only that epilint could not tell. It is checked again on the next run.

    Example: a site answering `403 Forbidden` to every non-browser client.

    Fix: none: open the link in a browser once.
    """
    for link, _host, status in _statuses(ctx, "unverifiable"):
        yield Finding(
            f"`{_shown(link.url)}` could not be verified: {status.reason} (not proof it is dead)", link.span
        )
