"""Every link in a page's body, with the position of the URL itself.

The Markdown structure comes from pyromark (pulldown-cmark, CommonMark with tables and
footnotes): it tells links from code spans, fenced and indented code, and HTML blocks,
and reports each link's source range. Inside that range a small scanner following the
CommonMark destination grammar finds the URL's own span, so a fix edits only the URL.
``bench/links_parsers.py`` measures the parsers that were considered. Bodies simple
enough that one regular expression finds exactly the same links (most show notes: lists
of ``[text](url)``) skip the parser: ``epilint/links/simple.py``.

Found: inline links and images, autolinks ``<…>``, reference definitions and the links
that use them, bare ``http(s)://`` URLs in text, ``href`` of raw HTML ``<a>`` tags (kind
HTML) and ``src`` of ``<img>`` tags (kind IMAGE) — except inside embed code pasted from a
platform (``<blockquote class="twitter-tweet">``). Spans are code-point offsets into the
whole file text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from epilint.links import simple
from epilint.model import Span

if TYPE_CHECKING:
    from epilint.read.document import Document


class LinkKind(str, Enum):
    INLINE = "inline"
    IMAGE = "image"
    AUTOLINK = "autolink"
    #: ``[label]: url`` — the URL is written here.
    DEFINITION = "definition"
    #: ``[text][label]`` — uses a definition's URL (``span`` is the definition's URL).
    REFERENCE = "reference"
    BARE = "bare"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class Link:
    """One link: its URL as written in the source, and where it is."""

    kind: LinkKind
    url: str
    span: Span
    #: The link text between ``[`` and ``]``, or inside ``<a>…</a>`` (without tags).
    text: str | None = None
    text_span: Span | None = None
    #: Inline links and images: everything between ``(`` and ``)``.
    target_span: Span | None = None

    @property
    def written(self) -> bool:
        """False for reference uses: their URL is written (and checked) at the definition."""
        return self.kind is not LinkKind.REFERENCE

    @property
    def target(self) -> str:
        """The URL a browser gets: entities and backslash escapes resolved."""
        url = self.url
        if "\\" not in url and ("&" not in url or ";" not in url):
            return url
        return _unescaped(url)

    @property
    def liquid(self) -> bool:
        """A Liquid target (``{{ site.url }}/x``, ``{% link … %}``) is not a URL yet."""
        return "{{" in self.url or "{%" in self.url


def _unescaped(url: str) -> str:
    """CommonMark's reading of a destination: backslash escapes and entity references
    (which end in ``;``: ``?a=1&t=2`` has none, ``&amp;`` is ``&``), in one pass."""
    return _ESCAPE_OR_ENTITY.sub(_resolve, url)


def _resolve(match: re.Match[str]) -> str:
    escaped, entity = match.group(1, 2)
    if escaped is not None:
        return escaped
    if entity.startswith("#"):
        import html

        return html.unescape(match.group(0))
    from html.entities import html5

    return html5.get(f"{entity};", match.group(0))


def extract(doc: Document) -> tuple[Link, ...]:
    """Every link in ``doc``'s body (empty for unreadable files)."""
    return extract_text(doc.body_text, doc.body.start)


#: No link syntax at all: most front-matter-only pages and many plain paragraphs.
_MAYBE_LINK = re.compile(r"[\[<]|://")


def extract_text(body: str, offset: int = 0) -> tuple[Link, ...]:
    """Links of a Markdown ``body`` whose first character is at ``offset`` in the file."""
    if not _MAYBE_LINK.search(body):
        return ()
    found_simple = simple.scan(body)
    if found_simple is None:
        return _parsed(body, offset)
    found = []
    for match in found_simple:
        start = match.start()
        text_start, text_end = match.span(1)
        url_start, url_end = match.span(2)
        span = Span(url_start + offset, url_end + offset)
        kind = LinkKind.IMAGE if start and body[start - 1] == "!" else LinkKind.INLINE
        text_span = Span(text_start + offset, text_end + offset)
        found.append(Link(kind, match.group(2), span, match.group(1), text_span, span))
    return tuple(found)


def parsed_text(body: str, offset: int = 0) -> tuple[Link, ...]:
    """``extract_text`` through the Markdown parser, for any body (simple ones included)."""
    return _parsed(body, offset) if _MAYBE_LINK.search(body) else ()


def _parsed(body: str, offset: int) -> tuple[Link, ...]:
    return tuple(sorted(_Extractor(body, offset).run(), key=_ORDER))


#: Links in source order; at one offset by kind (a ``str`` enum compares as its value).
_ORDER = attrgetter("span.start", "kind")


# CommonMark ASCII punctuation that a backslash escapes.
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ESCAPE_OR_ENTITY = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});"
)
_BARE = re.compile(r"https?://[^\s<>\"'`（）「」『』【】、。，！？]+", re.IGNORECASE)
_BARE_TRAILING = ".,:;!?*_~'\""
_HTML_ATTR = re.compile(
    r"<(?P<tag>a|img)\b[^>]*?\s(?P<attr>href|src)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s\"'=<>`]+))",
    re.IGNORECASE,
)
_PLAIN_DEST = re.compile(r"[^\s()\\\x00-\x1f]*")
#: Embed code pasted from a platform (tweets, Instagram, TikTok …): its links are the
#: platform's (``t.co`` …), not the author's, and are left alone.
_EMBED = re.compile(
    r"<blockquote\b[^>]*\bclass\s*=\s*[\"'][^\"']*\b"
    r"(?:twitter-tweet|twitter-video|instagram-media|tiktok-embed|bluesky-embed|text-post-media)\b"
    r".*?(?:</blockquote\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
#: The rest of an ``<a …>`` tag and its content up to ``</a>``.
_ANCHOR_TEXT = re.compile(r"[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_ANCHOR_OPEN = re.compile(r"<a\b", re.IGNORECASE)
_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


class _Offsets:
    """UTF-8 byte offsets (pyromark) → code-point offsets, memoised for in-order queries."""

    def __init__(self, text: str) -> None:
        self._ascii = text.isascii()
        self._text = text
        self._raw = b"" if self._ascii else text.encode("utf-8")
        self._bytes = [0]
        self._chars = [0]

    def has(self, needle: str, start: int, end: int) -> bool:
        """Whether ASCII ``needle`` occurs between two byte offsets (no conversion needed:
        in UTF-8 an ASCII byte is never part of another character)."""
        if self._ascii:
            return self._text.find(needle, start, end) >= 0
        return self._raw.find(needle.encode("ascii"), start, end) >= 0

    def __call__(self, byte: int) -> int:
        if self._ascii:
            return byte
        known = self._bytes
        last = known[-1]
        if byte >= last:  # the usual, in-order query: no search
            char = self._chars[-1] + len(self._raw[last:byte].decode("utf-8", "replace"))
            if byte > last:
                known.append(byte)
                self._chars.append(char)
            return char
        i = bisect.bisect_right(known, byte) - 1
        base_byte = known[i]
        return self._chars[i] + len(self._raw[base_byte:byte].decode("utf-8", "replace"))


@dataclass
class _Open:
    """A link or image whose End event has not been seen yet."""

    info: dict[str, Any]
    image: bool
    start: int
    end: int
    #: Offsets: UTF-8 bytes until the End event, then code points.
    #: End of the last event inside the link text.
    inner_end: int


class _Extractor:
    def __init__(self, body: str, offset: int) -> None:
        self.body = body
        self.offset = offset
        self.char = _Offsets(body)
        self.found: list[Link] = []
        self.definitions: dict[str, Span] = {}

    def span(self, start: int, end: int) -> Span:
        return Span(start + self.offset, end + self.offset)

    def run(self) -> list[Link]:
        import pyromark

        options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
        if "]:" in self.body:
            self._definitions(pyromark.reference_definitions(self.body, options=options))
        stack: list[_Open] = []
        code_depth = 0
        html_block: int | None = None
        in_anchor = False
        run: tuple[int, int] | None = None  # a stretch of plain text outside links and code
        char = self.char
        flush = self._flush
        for event, where in pyromark.events_with_range(self.body, options=options):
            # ``where`` holds byte offsets, read only by the events that need them and
            # converted to code points only where a link needs them.
            if isinstance(event, str):  # SoftBreak, HardBreak, Rule …
                if run is not None:
                    run = flush(run, None)
                if stack:
                    stack[-1].inner_end = where["end"]
                continue
            if "Text" in event and not stack and not code_depth and not in_anchor:
                start, end = where["start"], where["end"]
                if run is not None and (run[1] == start or (start == run[1] + 1 and self._backslash(run[1]))):
                    run = (run[0], end)
                else:
                    run = flush(run, (start, end))
                continue
            if run is not None:
                run = flush(run, None)
            if "End" in event:
                closed = event["End"]
                if closed in ("Link", "Image") and stack:
                    self._link(stack.pop())
                elif closed == "CodeBlock":
                    code_depth = max(0, code_depth - 1)
                elif closed == "HtmlBlock" and html_block is not None:
                    self._html(html_block, char(where["end"]))
                    html_block = None
                continue
            if stack and where["end"] > stack[-1].inner_end:
                stack[-1].inner_end = where["end"]
            if "Start" in event:
                opened = event["Start"]
                if isinstance(opened, dict):
                    if "Link" in opened or "Image" in opened:
                        image = "Image" in opened
                        info: Any = opened["Image"] if image else opened["Link"]  # type: ignore[typeddict-item]
                        start = where["start"]
                        stack.append(_Open(info, image, start, where["end"], start + (2 if image else 1)))
                    elif "CodeBlock" in opened:
                        code_depth += 1
                elif opened == "HtmlBlock":
                    html_block = char(where["start"])
            elif "InlineHtml" in event:
                html_start = char(where["start"])
                html_end = char(where["end"])
                self._html(html_start, html_end)
                source = self.body[html_start:html_end]
                if _ANCHOR_OPEN.match(source):
                    in_anchor = True
                elif _ANCHOR_CLOSE.match(source):
                    in_anchor = False
        self._flush(run, None)
        return self.found

    # -- links and images ---------------------------------------------------------------

    def _backslash(self, byte: int) -> bool:
        return self.char.has("\\", byte, byte + 1)

    def _link(self, item: _Open) -> None:
        kind_name = item.info.get("link_type", "")
        body = self.body
        char = self.char
        start, inner_end, end = char(item.start), char(item.inner_end), char(item.end)
        if kind_name in ("Autolink",):
            inside = (start + 1, end - 1)
            self._add(LinkKind.AUTOLINK, inside)
            return
        if kind_name not in ("Inline", "Reference", "Collapsed", "Shortcut"):
            return  # e-mail autolinks, wiki links, unresolved references
        close = _closing_bracket(body, inner_end, end)
        if close is None:
            return
        offset = self.offset
        text_start = start + (2 if item.image else 1)
        text = body[text_start:close]
        text_span = Span(text_start + offset, close + offset)
        if kind_name == "Inline":
            if close + 1 >= end or body[close + 1] != "(":
                return
            dest = _destination(body, close + 2, end - 1)
            if dest is None:
                return
            kind = LinkKind.IMAGE if item.image else LinkKind.INLINE
            url_start, url_end = dest
            self.found.append(
                Link(
                    kind,
                    body[url_start:url_end],
                    Span(url_start + offset, url_end + offset),
                    text,
                    text_span,
                    Span(close + 2 + offset, end - 1 + offset),
                )
            )
            return
        label = item.info.get("id", "") or text
        definition = self.definitions.get(_label(label))
        if definition is not None and not item.image:
            url = body[definition.start - offset : definition.end - offset]
            self.found.append(Link(LinkKind.REFERENCE, url, definition, text, text_span))

    def _definitions(self, definitions: dict[str, Any]) -> None:
        to_char = _Offsets(self.body)
        for label, info in definitions.items():
            start, end = to_char(info["span"]["start"]), to_char(info["span"]["end"])
            colon = self.body.find("]:", start, end)
            if colon < 0:
                continue
            dest = _destination(self.body, colon + 2, end)
            if dest is None:
                continue
            self.definitions[_label(label)] = self.span(*dest)
            self._add(LinkKind.DEFINITION, dest)

    def _add(
        self,
        kind: LinkKind,
        dest: tuple[int, int],
        text: tuple[str, Span] | None = None,
        target: Span | None = None,
    ) -> None:
        start, end = dest
        self.found.append(
            Link(
                kind,
                self.body[start:end],
                self.span(start, end),
                text[0] if text else None,
                text[1] if text else None,
                target,
            )
        )

    # -- raw HTML and bare URLs ---------------------------------------------------------

    def _html(self, start: int, end: int) -> None:
        source = self.body[start:end]
        if "<" not in source:
            return
        embeds = [m.span() for m in _EMBED.finditer(source)] if "blockquote" in source else []
        for match in _HTML_ATTR.finditer(source):
            if any(a <= match.start() < b for a, b in embeds):
                continue
            group = next(g for g in ("dq", "sq", "uq") if match.group(g) is not None)
            value_start = start + match.start(group)
            dest = (value_start, start + match.end(group))
            if match.group("tag").lower() != "a":
                self._add(LinkKind.IMAGE, dest)
                continue
            inner = _ANCHOR_TEXT.match(source, match.end())
            if inner is None:
                self._add(LinkKind.HTML, dest)
                continue
            text = _TAG.sub("", inner.group(1))
            self._add(LinkKind.HTML, dest, (text, self.span(start + inner.start(1), start + inner.end(1))))

    def _flush(self, run: tuple[int, int] | None, new: tuple[int, int] | None) -> tuple[int, int] | None:
        if run is not None and self.char.has("://", run[0], run[1]):
            start, end = self.char(run[0]), self.char(run[1])
            for url_start, url_end in bare_urls(self.body[start:end]):
                self._add(LinkKind.BARE, (start + url_start, start + url_end))
        return new


def bare_urls(text: str) -> Iterator[tuple[int, int]]:
    """Spans of ``http(s)://`` URLs in plain text, with GFM's trailing-punctuation rules."""
    for match in _BARE.finditer(text):
        start, end = match.span()
        while end > start:
            last = text[end - 1]
            unbalanced = last == ")" and text.count("(", start, end) < text.count(")", start, end)
            if last in _BARE_TRAILING or unbalanced:
                end -= 1
            else:
                break
        if text.find("://", start, end) + 3 < end:
            yield start, end


def _label(label: str) -> str:
    """CommonMark label matching: case-insensitive, inner whitespace collapsed."""
    return " ".join(label.split()).casefold()


def _closing_bracket(text: str, start: int, limit: int) -> int | None:
    """The ``]`` that ends a link text, searching from the end of its last inner event."""
    pos = start
    while pos < limit:
        char = text[pos]
        if char == "\\" and pos + 1 < limit and text[pos + 1] in _ESCAPABLE:
            pos += 2
            continue
        if char == "]":
            return pos
        pos += 1
    return None


def _destination(text: str, start: int, limit: int) -> tuple[int, int] | None:
    """The span of a CommonMark link destination starting at or after ``start``.

    Leading spaces, tabs and one line ending are skipped. ``<…>`` destinations give the
    span inside the brackets; raw ones run to whitespace with balanced parentheses.
    """
    pos = start
    while pos < limit and text[pos] in " \t\r\n":
        pos += 1
    if pos >= limit:
        return (pos, pos)
    if text[pos] == "<":
        end = pos + 1
        while end < limit and text[end] not in "<>\n":
            end += 2 if text[end] == "\\" and end + 1 < limit else 1
        if end < limit and text[end] == ">":
            return (pos + 1, end)
        return None
    plain = _PLAIN_DEST.match(text, pos, limit)
    end = plain.end() if plain else pos
    if end >= limit or text[end] not in "()\\":
        return (pos, end)
    depth = 0
    while end < limit:
        char = text[end]
        if char == "\\" and end + 1 < limit and text[end + 1] in _ESCAPABLE:
            end += 2
            continue
        if char.isspace() or ord(char) < 0x20:
            break
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    return (pos, end)
