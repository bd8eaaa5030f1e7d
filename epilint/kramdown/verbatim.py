"""How an HTML parser reads kramdown's output, as far as links go.

Almost all of kramdown's output is its own serialisation (tags it parsed, escaped
text), but a few elements go out as written: ``{::nomarkdown}`` bodies
(``converter/html.rb: convert_raw``), a script's or style's content, ``{::comment}``
bodies inside ``<!-- -->``, comments and processing instructions. Those are read with the
standard library's HTML tokenizer, the same one the oracle test reads kramdown's whole
output with. Between them, ``Reader`` keeps what decides whether a tag is seen at all:
inside a raw-text element (``<textarea>``, ``<script>`` …) everything up to its closing
tag is text, even the tags kramdown wrote there, and a comment a verbatim piece leaves
open hides everything up to ``-->``.
"""

from __future__ import annotations

#: ``html.parser``'s own tag and attribute patterns, to find where a raw value sits.
from html.parser import HTMLParser, attrfind_tolerant, tagfind_tolerant  # type: ignore[attr-defined]

#: Elements whose content an HTML parser does not read as tags (HTML's raw text, RCDATA
#: and script data elements; ``noscript`` as with scripting on, as browsers have it).
RAW_TEXT_ELEMENTS = (
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
)


class _Finder(HTMLParser):
    CDATA_CONTENT_ELEMENTS = RAW_TEXT_ELEMENTS  # type: ignore[misc]

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, int]] = []
        self._lines: list[int] = [0]

    def feed_text(self, text: str, *, close: bool = True) -> None:
        pos = text.find("\n")
        while pos >= 0:
            self._lines.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self.feed(text)
        if close:
            self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag)

    def _tag(self, tag: str) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        if wanted is None:
            return
        raw = self.get_starttag_text() or ""
        line, column = self.getpos()
        start = self._lines[line - 1] + column
        for name, value, at in raw_attributes(raw):
            if name == wanted:
                self.found.append((tag, value, start + at))
                return


def raw_attributes(tag: str) -> list[tuple[str, str, int]]:
    """The attributes of a start tag as ``html.parser`` reads them (``parse_starttag``),
    but with the raw value: lower-cased name, value without quotes and with its entity
    references, and the value's index in ``tag``."""
    found: list[tuple[str, str, int]] = []
    name = tagfind_tolerant.match(tag, 1)
    if name is None:
        return found
    pos = name.end()
    while pos < len(tag):
        match = attrfind_tolerant.match(tag, pos)
        if match is None:
            break
        attr, rest, value = match.group(1, 2, 3)
        if not rest:
            found.append((attr.lower(), "", match.end(1)))
        else:
            at = match.start(3)
            if len(value) >= 2 and value[:1] in ("'", '"') and value[:1] == value[-1:]:
                value, at = value[1:-1], at + 1
            found.append((attr.lower(), value, at))
        pos = match.end()
    return found


def links(html: str) -> list[tuple[str, str, int]]:
    """``(tag, raw value, index of the value)`` of each ``<a href>``/``<img src>``."""
    return Reader().verbatim(html)


class Reader:
    """The reader's state between the pieces of kramdown's output."""

    __slots__ = ("comment", "raw")

    def __init__(self) -> None:
        #: The raw-text element being read (its content is text up to ``</name>``).
        self.raw: str | None = None
        #: A comment is open.
        self.comment = False

    def visible(self) -> bool:
        """A tag written now is read as a tag."""
        return self.raw is None and not self.comment

    def open(self, name: str) -> None:
        """kramdown writes ``<name …>``."""
        name = name.lower()
        if self.visible() and name in RAW_TEXT_ELEMENTS:
            self.raw = name

    def close(self, name: str) -> None:
        """kramdown writes ``</name>``."""
        if not self.comment and self.raw == name.lower():
            self.raw = None

    def verbatim(self, html: str) -> list[tuple[str, str, int]]:
        """Read a piece written as it is; returns ``(tag, raw value, index of the value)``
        of each ``<a href>``/``<img src>`` seen."""
        if "<" not in html and self.visible():
            return []
        finder = _Finder()
        shift = 0
        if self.comment:
            html, shift = "<!--" + html, 4
        elif self.raw is not None:
            finder.set_cdata_mode(self.raw)
        finder.feed_text(html, close=False)
        self.raw = finder.cdata_elem
        # What the tokenizer keeps back is an unfinished construct; in raw text it is text.
        self.comment = self.raw is None and finder.rawdata.startswith("<!--")
        finder.close()
        return [(tag, value, at - shift) for tag, value, at in finder.found if at >= shift]
