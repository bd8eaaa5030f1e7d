"""A built feed (``_site/feed.xml`` after ``jekyll build``) as the records a prediction makes.

The file is read through ``epilint.files`` (a regular file, at most ``MAX_BYTES``) and
parsed with defusedxml's SAX reader: no DTD entity is expanded, nothing external is
loaded, nothing touches the network. Each element keeps the line its start tag is on;
values are the text an XML parser gives (entities decoded, CDATA unwrapped).

Each item is mapped back to the post that made it: its ``<link>``, else its ``<guid>``,
read as a URL whose path (below the site's ``baseurl``) is a post's URL or id as the
feed model computes them (``Document#url``: permalink, URL template, the post's date
and slug). ``provenance`` then gives each value the keys, site keys and template line
that made it, from the predicted item of the same post and element: rules report
the built value where the prediction says it comes from (the post's front-matter line);
a value without a predicted counterpart keeps the built feed's own line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from epilint import files
from epilint.feed.records import FeedElement, FeedItem, FeedValue

#: A larger file is not read (a feed of a thousand episodes with their notes is ~20 MB).
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class BuiltFeed:
    """A feed file as built: its channel elements and items (``post`` None until mapped)."""

    #: The file, as given.
    path: Path
    channel: tuple[FeedElement, ...]
    items: tuple[FeedItem, ...]
    #: Why the file could not be read as a feed (not XML, no ``<channel>``, too large...).
    error: str | None = None
    #: 1-based line of the error, when the parser said.
    error_line: int = 0
    #: Whether it is RSS (has ``<rss>`` or ``<channel>``).
    rss: bool = True


# -- parsing ----------------------------------------------------------------------------


@dataclass
class _Node:
    name: str
    line: int
    attrs: list[tuple[str, str]]
    children: list[_Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    cdata: bool = False


def _handler() -> tuple[object, list[_Node]]:
    from xml.sax.handler import ContentHandler
    from xml.sax.xmlreader import AttributesImpl

    roots: list[_Node] = []

    class Handler(ContentHandler):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[_Node] = []
            self.locator: object = None

        def setDocumentLocator(self, locator: object) -> None:
            self.locator = locator

        def _line(self) -> int:
            getter = getattr(self.locator, "getLineNumber", None)
            line = getter() if callable(getter) else 0
            return line if isinstance(line, int) else 0

        def startElement(self, name: str, attrs: AttributesImpl[str]) -> None:
            node = _Node(name, self._line(), [(k, attrs[k]) for k in attrs.keys()])  # noqa: SIM118
            if self.stack:
                self.stack[-1].children.append(node)
            else:
                roots.append(node)
            self.stack.append(node)

        def endElement(self, name: str) -> None:
            if self.stack:
                self.stack.pop()

        def characters(self, content: str) -> None:
            if self.stack:
                self.stack[-1].text.append(content)

        # LexicalHandler: which text sits in a CDATA section
        def startCDATA(self) -> None:
            if self.stack:
                self.stack[-1].cdata = True

        def endCDATA(self) -> None:
            pass

        def comment(self, content: str) -> None:
            pass

        def startDTD(self, name: str, public_id: str, system_id: str) -> None:
            pass

        def endDTD(self) -> None:
            pass

    return Handler(), roots


def parse_bytes(data: bytes, path: Path) -> BuiltFeed:
    """The feed in ``data`` (the file at ``path``)."""
    import io
    import xml.sax

    from defusedxml import DefusedXmlException  # type: ignore[import-untyped,unused-ignore]
    from defusedxml.expatreader import DefusedExpatParser  # type: ignore[import-untyped,unused-ignore]

    handler, roots = _handler()
    parser = DefusedExpatParser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(handler)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    with contextlib.suppress(xml.sax.SAXException):  # without it CDATA reads as text all the same
        parser.setProperty(xml.sax.handler.property_lexical_handler, handler)
    source = xml.sax.xmlreader.InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except xml.sax.SAXParseException as exc:
        return BuiltFeed(path, (), (), f"not well-formed XML: {exc.getMessage()}", exc.getLineNumber() or 0)
    except (DefusedXmlException, xml.sax.SAXException, ValueError, RecursionError) as exc:
        return BuiltFeed(path, (), (), f"refused: {exc}")
    root = roots[0] if roots else None
    channel = _find(root, "channel") if root is not None else None
    if channel is None:
        return BuiltFeed(path, (), (), "no <channel> element (not an RSS feed)", rss=False)
    shown = path.as_posix()
    items = tuple(
        FeedItem(None, tuple(_elements(child, "", shown)), shown, child.line)
        for child in channel.children
        if child.name == "item"
    )
    shell = _Node("channel", channel.line, [], [c for c in channel.children if c.name != "item"])
    return BuiltFeed(path, tuple(_elements(shell, "", shown)), items)


def read(path: Path) -> BuiltFeed:
    """The feed file at ``path``, never an exception."""
    try:
        data = files.read(path, MAX_BYTES)
    except OSError as exc:
        return BuiltFeed(path, (), (), f"not read: {files.reason(exc)}")
    return parse_bytes(data, path)


def _find(node: _Node, name: str) -> _Node | None:
    if node.name == name:
        return node
    return next((c for c in node.children if c.name == name), None)


def _value(text: str, template: str, line: int, cdata: bool = False) -> FeedValue:
    return FeedValue(text, None, None, (), (), template, line, in_cdata=cdata)


def _elements(node: _Node, prefix: str, template: str) -> list[FeedElement]:
    out: list[FeedElement] = []
    for child in node.children:
        path = f"{prefix}{child.name}"
        attrs = tuple((name, _value(value, template, child.line)) for name, value in child.attrs)
        joined = "".join(child.text)
        text = (
            _value(joined, template, child.line, child.cdata)
            if not child.children or joined.strip()
            else None
        )
        out.append(FeedElement(path, child.name, attrs, text, template, child.line))
        out.extend(_elements(child, path + "/", template))
    return out


# -- mapping items to posts -------------------------------------------------------------


def _normal(path: str) -> str:
    """A URL path as compared: percent-decoded, ``index.html`` and trailing ``/`` dropped."""
    text = unquote(path)
    if text.endswith("/index.html"):
        text = text[: -len("index.html")]
    text = posixpath.normpath(text) if text else "/"
    return "/" + text.strip("/")


def post_urls(root: Path, now: dt.datetime, config_files: tuple[Path, ...] | None = None) -> dict[str, str]:
    """Each published document's URL and id (normalised) → its site-relative path."""
    from epilint.feed.permalink import PermalinkError
    from epilint.feed.reader import read_site

    site = read_site(root, now, config_files=config_files)
    found: dict[str, str] = {}
    for docs in site.collections.values():
        for doc in docs:
            try:
                forms = (doc.url, doc.id)
            except PermalinkError:
                continue
            for form in forms:
                found.setdefault(_normal(form), doc.relative_path)
    return found


def base_paths(config: Mapping[str, object]) -> tuple[str, ...]:
    """URL path prefixes the site's pages live below (``baseurl``, the path of ``url``)."""
    found: list[str] = []
    for key in ("baseurl", "url"):
        value = config.get(key)
        if isinstance(value, str) and value:
            path = urlsplit(value).path if key == "url" else value
            if path.strip("/"):
                found.append("/" + path.strip("/"))
    return tuple(dict.fromkeys(found))


def post_of(item: FeedItem, urls: Mapping[str, str], prefixes: Iterable[str] = ()) -> str | None:
    """The post an item was made from: its link's (else guid's) path is a post's URL."""
    for name in ("link", "guid"):
        element = item.element(name)
        text = element.text.text if element is not None and element.text is not None else None
        if not text or not text.strip():
            continue
        path = urlsplit(text.strip()).path
        candidates = [path]
        for prefix in prefixes:
            if path.startswith(prefix + "/") or path == prefix:
                candidates.append(path[len(prefix) :] or "/")
        for candidate in candidates:
            post = urls.get(_normal(candidate))
            if post is not None:
                return post
    return None


def map_posts(feed: BuiltFeed, urls: Mapping[str, str], prefixes: Iterable[str] = ()) -> BuiltFeed:
    """``feed`` with each item's ``post`` set where its link or guid names one."""
    prefixes = tuple(prefixes)
    items = tuple(replace(item, post=post_of(item, urls, prefixes)) for item in feed.items)
    return replace(feed, items=items)


# -- provenance from the prediction -----------------------------------------------------


def _occurrences(elements: Iterable[FeedElement]) -> dict[tuple[str, int], FeedElement]:
    seen: Counter[str] = Counter()
    found: dict[tuple[str, int], FeedElement] = {}
    for element in elements:
        found[(element.path, seen[element.path])] = element
        seen[element.path] += 1
    return found


def _with(built: FeedValue, predicted: FeedValue | None) -> FeedValue:
    if predicted is None:
        return built
    return replace(
        predicted,
        text=built.text,
        unknown=None,
        content=None,
        in_cdata=built.in_cdata,
        raw=None,
        unescaped=(),
    )


def provenance(built: FeedItem, predicted: FeedItem | None) -> FeedItem:
    """The built item's values with the predicted item's keys, site keys, expressions and
    template lines (element by element: same path, same occurrence); elements the
    prediction lacks keep the built feed's line."""
    if predicted is None:
        return built
    known = _occurrences(predicted.elements)
    seen: Counter[str] = Counter()
    elements: list[FeedElement] = []
    for element in built.elements:
        twin = known.get((element.path, seen[element.path]))
        seen[element.path] += 1
        if twin is None:
            elements.append(element)
            continue
        attrs = dict(twin.attrs)
        elements.append(
            FeedElement(
                element.path,
                element.name,
                tuple((name, _with(value, attrs.get(name))) for name, value in element.attrs),
                None if element.text is None else _with(element.text, twin.text),
                twin.template,
                twin.line,
            )
        )
    return FeedItem(built.post, tuple(elements), predicted.template, predicted.line)
