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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from epilint import files
from epilint.feed.records import FeedElement, FeedItem, FeedValue

if TYPE_CHECKING:
    from epilint.feed.view import FeedInfo, SiteFeed

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
    except DefusedXmlException as exc:  # an entity declared (never expanded), an external reference
        expat = getattr(parser, "_parser", None)
        line = int(getattr(expat, "CurrentLineNumber", 0) or 0)
        name = getattr(exc, "name", None)
        what = f"declares the XML entity {name!r}" if name else f"holds {type(exc).__name__}"
        return BuiltFeed(path, (), (), f"refused: it {what}, which is never expanded", line)
    except (xml.sax.SAXException, ValueError, RecursionError) as exc:
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


def post_urls(
    root: Path, now: dt.datetime, config_files: tuple[Path, ...] | None = None
) -> dict[str, tuple[str, ...]]:
    """Each published document's URL and id (normalised) → the documents that have it
    (site-relative paths, in Jekyll's order: two posts can share a URL)."""
    from epilint.feed.permalink import PermalinkError
    from epilint.feed.reader import read_site

    site = read_site(root, now, config_files=config_files)
    found: dict[str, list[str]] = {}
    for docs in site.collections.values():
        for doc in docs:
            try:
                forms = (doc.url, doc.id)
            except PermalinkError:
                continue
            for form in dict.fromkeys(_normal(f) for f in forms):
                found.setdefault(form, []).append(doc.relative_path)
    return {url: tuple(posts) for url, posts in found.items()}


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


def _texts(item: FeedItem, names: Iterable[tuple[str, str | None]]) -> list[str]:
    found: list[str] = []
    for name, attr in names:
        element = item.element(name)
        if element is None:
            continue
        value = dict(element.attrs).get(attr) if attr else element.text
        if value is not None and value.text is not None and value.text.strip():
            found.append(value.text.strip())
    return found


def url_candidates(
    item: FeedItem, urls: Mapping[str, Sequence[str]], prefixes: Iterable[str] = ()
) -> list[str]:
    """The posts whose URL the item's link (else guid) names, in Jekyll's order."""
    found: list[str] = []
    for text in _texts(item, (("link", None), ("guid", None))):
        path = urlsplit(text).path
        candidates = [path]
        for prefix in prefixes:
            if path.startswith(prefix + "/") or path == prefix:
                candidates.append(path[len(prefix) :] or "/")
        for candidate in candidates:
            found.extend(urls.get(_normal(candidate), ()))
    return list(dict.fromkeys(found))


def map_posts(
    feed: BuiltFeed,
    urls: Mapping[str, Sequence[str]],
    prefixes: Iterable[str] = (),
    identities: Mapping[str, Sequence[str]] | None = None,
) -> BuiltFeed:
    """``feed`` with each item's ``post`` set: the post whose URL its link (else guid)
    names; else (a feed whose links are not the pages') the post whose predicted item has
    its guid or enclosure URL (``identities``). Posts sharing a URL are taken in order,
    each once."""
    prefixes = tuple(prefixes)
    used: set[str] = set()
    items: list[FeedItem] = []
    for item in feed.items:
        candidates = url_candidates(item, urls, prefixes)
        if not any(c not in used for c in candidates) and identities is not None:
            texts = _texts(item, (("guid", None), ("enclosure", "url")))
            candidates = [p for text in texts for p in identities.get(text, ())]
        post = next((c for c in candidates if c not in used), None)
        if post is not None:
            used.add(post)
        items.append(replace(item, post=post))
    return replace(feed, items=tuple(items))


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


# -- the site's view with the built items -----------------------------------------------


def own(item: FeedItem, where: str) -> FeedItem:
    """An item nothing predicted: each value is the built file's own (``built``), at its
    line in ``where`` (the feed file, site-relative)."""

    def mark(value: FeedValue) -> FeedValue:
        return replace(value, template=where, built=True)

    elements = tuple(
        replace(
            e,
            attrs=tuple((name, mark(value)) for name, value in e.attrs),
            text=None if e.text is None else mark(e.text),
            template=where,
        )
        for e in item.elements
    )
    return replace(item, elements=elements, template=where)


def _matching(view: SiteFeed, where: str, destination: str) -> FeedInfo | None:
    """The predicted feed a built file is (its path below the destination folder, else its
    name, else the site's only feed)."""
    lead = destination.strip("/") + "/"
    output = where[len(lead) :] if where.startswith(lead) else None
    found = next((f for f in view.feeds if f.output == output), None)
    if found is None:
        name = where.rsplit("/", 1)[-1]
        named = [f for f in view.feeds if f.output.rsplit("/", 1)[-1] == name]
        found = named[0] if len(named) == 1 else None
    if found is None and len(view.feeds) == 1:
        found = view.feeds[0]
    return found


def site_view(
    view: SiteFeed,
    feeds: Sequence[tuple[str, BuiltFeed, str]],
    urls: Mapping[str, Sequence[str]],
    prefixes: Iterable[str],
    destination: str = "_site",
) -> SiteFeed:
    """The site's view with its feeds as built: each built file ``(site-relative path,
    feed, digest of its bytes)`` replaces the predicted feed it is, its items mapped to
    posts (``urls``, ``prefixes``) and given the predicted provenance; items that map to no
    post are the file's own (``own``: linted as the feed file's items). Which posts the
    feed skips is not said (a built file may be older than the posts)."""
    from epilint.feed.records import FeedPrediction, PredictedFeed
    from epilint.feed.view import SiteFeed, site_data

    prefixes = tuple(prefixes)
    root = view.root
    predicted: list[PredictedFeed] = []
    digests = {str(root / d): found for d in view.documents if (found := view.digest(d))}
    documents = set(view.documents)
    for where, feed, digest in feeds:
        info = _matching(view, where, destination)
        identities: dict[str, list[str]] = {}
        if info is not None:
            for post in sorted(view.episodes):
                for found_feed, predicted_item in view.items_for(post):
                    if found_feed.output != info.output:
                        continue
                    for text in _texts(predicted_item, (("guid", None), ("enclosure", "url"))):
                        identities.setdefault(text, []).append(post)
        items: list[FeedItem] = []
        for item in map_posts(feed, urls, prefixes, identities).items:
            twin = None
            if item.post is not None and info is not None:
                twin = next((i for f, i in view.items_for(item.post) if f.output == info.output), None)
            if item.post is None:
                items.append(replace(own(item, where), post=where))
            elif twin is None:
                items.append(replace(own(item, where), post=item.post))
            else:
                items.append(provenance(item, twin))
        if any(i.post == where for i in items):
            documents.add(where)
            digests[str(root / where)] = digest
        for post in {i.post for i in items if i.post is not None and i.post not in documents}:
            found = _digest_of(root / post)  # a post the prediction did not read (no template)
            if found is not None:
                documents.add(post)
                digests[str(root / post)] = found
        predicted.append(
            PredictedFeed(
                info.page if info is not None else where,
                info.output if info is not None else where,
                feed.channel,
                tuple(items),
                None,
                (),
                info.templates if info is not None else (),
            )
        )
    prediction = FeedPrediction(root, tuple(predicted), view.problems, (), tuple(sorted(documents)))
    data = site_data(prediction, digests, lambda relative: None)
    data["skipped"] = {}
    data["built"] = True
    return SiteFeed.from_data(root, data)


def _digest_of(path: Path) -> str | None:
    """The digest the feed view keeps of a document's bytes (None: not read)."""
    from epilint.feed.files import MAX_FILE, digest

    try:
        return digest(files.read(path, MAX_FILE))
    except OSError:
        return None


#: How much of a file is read to tell a feed from a post.
_PROBE = 64 * 1024


def looks_like_feed(path: Path) -> bool:
    """An RSS file given as a PATH: a regular file without front matter whose start holds
    ``<rss`` (a post, a page or a feed template starts with ``---``)."""
    try:
        head = files.read(path, _PROBE, head=True)
    except OSError:
        return False
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return not text.startswith(b"---") and text.startswith(b"<") and b"<rss" in text
