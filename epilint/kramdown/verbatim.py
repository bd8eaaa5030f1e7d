"""``<a href>`` and ``<img src>`` in HTML that kramdown writes out verbatim.

Almost all of kramdown's output is its own serialisation (tags it parsed, escaped
text), but a few elements go out as written: ``{::nomarkdown}`` bodies
(``converter/html.rb: convert_raw``), ``{::comment}`` bodies inside ``<!-- -->``,
comments and processing instructions. Those are read with the standard library's HTML
tokenizer, the same one the oracle test reads kramdown's whole output with. Each piece is
read on its own: a piece that leaves a comment or tag open does not hide what follows.
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

    def feed_text(self, text: str) -> None:
        pos = text.find("\n")
        while pos >= 0:
            self._lines.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self.feed(text)
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
    if "<" not in html:
        return []
    finder = _Finder()
    finder.feed_text(html)
    return finder.found
