"""What the linter knows of a site's feeds: the view the feed phase gives each document.

``site_data(prediction)`` reduces a prediction to what rules read, as JSON data (the
form the prediction cache keeps): each feed's figures, which documents are episodes
(the feed's loop emits an item for them) and why the others are not, the values two
items share (guid, enclosure URL), each post's items, one item per feed for the
template's own faults, and the digest of each post as it was read. ``SiteFeed`` reads
that data back, decoding a post's items only when asked for them, so a one-file run in
a large site decodes one post's items. ``PostFeed`` is one document's part (``ctx.feed``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:  # decoding needs them; a run whose posts have no items does not
    from epilint.feed.loops import Condition
    from epilint.feed.records import FeedItem, FeedPrediction, FeedValue, PredictedFeed

VERSION = 2


@dataclass(frozen=True)
class FeedInfo:
    """One feed page of the site, without its items: what a post's results may read of
    it (part of each post's ``key``; the figures that change with other posts are in
    ``FeedFigures``)."""

    page: str
    #: The file the build writes (``feed.xml``): how messages name the feed.
    output: str
    error: str | None
    error_kind: str | None
    order_known: bool
    undefined_filters: tuple[str, ...]
    templates: tuple[str, ...]


@dataclass(frozen=True)
class FeedFigures:
    """A feed's figures over all its items (``epilint feed``; no rule reads them)."""

    items: int
    well_formed: bool | None
    xml_error: str | None


@dataclass(frozen=True)
class Skip:
    """Why the feeds have no item for a document Jekyll publishes."""

    #: "feed.xml skips category `blog` (`{% unless … %}`, line 24)".
    reason: str
    #: The document's keys the deciding condition reads (where to report it).
    keys: tuple[str, ...] = ()
    #: Left out only for being older than the newest posts the feed keeps (``limit:``):
    #: an episode all the same, which the feed carried when it was new.
    aged: bool = False


@dataclass(frozen=True)
class Shared:
    """A value of this post's item that other items of the same feed have too."""

    feed: str
    #: ``guid`` or ``enclosure url``.
    element: str
    value: str
    others: tuple[str, ...]


#: The front-matter keys a document's URL is made of (``Document#url_placeholders``).
URL_KEYS = frozenset({"permalink", "date", "slug", "categories", "category", "published"})


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# -- building ---------------------------------------------------------------------------


def site_data(
    prediction: FeedPrediction, digests: Mapping[str, str], read_template: Callable[[str], str | None]
) -> dict[str, Any]:
    """The view of ``prediction`` as JSON data. ``digests`` are the digests of the
    files the prediction read (absolute paths); ``read_template`` gives a template's text
    (site-relative path) for the reasons a feed skips a post."""
    from epilint.feed import codec

    root = prediction.root
    feeds = prediction.feeds
    items: dict[str, list[Any]] = {}
    samples: dict[str, str] = {}
    shared: list[list[Any]] = []
    for feed in feeds:
        for item in feed.items:
            if item.post is not None:
                items.setdefault(item.post, []).append([feed.output, codec.dump_item(item)])
        if feed.items:
            samples[feed.output] = _dumps(codec.dump_item(feed.items[0]))
        shared.extend(_shared(feed))
    episodes = sorted(items)
    certain = (
        bool(feeds)
        and all(f.error is None and f.order_known for f in feeds)
        and not prediction.unmodelled_gems
    )
    skipped: dict[str, list[Any]] = {}
    if certain:
        for document in prediction.documents:
            if document not in items:
                skip = _skip(prediction, document, read_template)
                skipped[document] = [skip.reason, list(skip.keys), skip.aged]
    posts = {
        document: digests.get(str(root / document), "")
        for document in prediction.documents
        if str(root / document) in digests
    }
    return {
        "version": VERSION,
        "feeds": [_info(feed) for feed in feeds],
        "problems": list(prediction.problems),
        "documents": list(prediction.documents),
        "episodes": episodes,
        "skipped": skipped,
        "shared": shared,
        "items": {post: _dumps(found) for post, found in items.items()},
        "samples": samples,
        "digests": posts,
        "next_change": prediction.next_change,
        "clock": prediction.clock,
        "urls": dict(prediction.urls),
        "outputs": list(prediction.outputs),
        "writers": list(prediction.other_writers),
    }


def failed(pages: tuple[str, ...], reason: str) -> dict[str, Any]:
    """The view data of a site whose feed pages could not be predicted at all: each page
    a feed with that error, so no post is judged by an item or called no episode."""
    feeds = [[page, page, reason, "model", False, [], [page], [0, None, None]] for page in pages]
    return {
        "version": VERSION, "feeds": feeds, "problems": [reason], "documents": [], "episodes": [],
        "skipped": {}, "shared": [], "items": {}, "samples": {}, "digests": {}, "next_change": None,
        "clock": False, "urls": {}, "outputs": [], "writers": [],
    }  # fmt: skip


def _info(feed: PredictedFeed) -> list[Any]:
    return [
        feed.page, feed.output, feed.error, feed.error_kind, feed.order_known,
        list(feed.undefined_filters), list(feed.templates),
        [len(feed.items), feed.well_formed, feed.xml_error],
    ]  # fmt: skip


def _shared(feed: PredictedFeed) -> list[list[Any]]:
    """Values (guid, enclosure URL) that several posts' items of ``feed`` carry."""
    found: list[list[Any]] = []
    for element, attr in (("guid", None), ("enclosure", "url")):
        by_value: dict[str, list[str]] = {}
        for item in feed.items:
            node = item.element(element)
            if node is None or item.post is None:
                continue
            value = dict(node.attrs).get(attr) if attr else node.text
            if value is None or value.text is None or not value.text.strip():
                continue
            by_value.setdefault(value.text.strip(), []).append(item.post)
        name = f"{element} {attr}" if attr else element
        for text, posts in by_value.items():
            if len(set(posts)) > 1:
                found.append([feed.output, name, text, sorted(set(posts))])
    return found


def _skip(prediction: FeedPrediction, document: str, read_template: Callable[[str], str | None]) -> Skip:
    reasons: list[str] = []
    keys: list[str] = []
    aged = True
    for feed in prediction.feeds:
        reason, found, by_limit = _feed_skip(prediction, feed, document, read_template)
        reasons.append(reason)
        keys.extend(found)
        aged = aged and by_limit
    return Skip("; ".join(dict.fromkeys(reasons)), tuple(dict.fromkeys(keys)), aged and bool(reasons))


def _item_site(feed: PredictedFeed, read_template: Callable[[str], str | None]) -> tuple[str, int] | None:
    """Where the feed's template writes ``<item>``: (template, line)."""
    if feed.items:
        return feed.items[0].template, feed.items[0].line
    for template in feed.templates:
        text = read_template(template)
        if text is not None and "<item" in text:
            return template, text.count("\n", 0, text.index("<item")) + 1
    return None


def _feed_skip(
    prediction: FeedPrediction,
    feed: PredictedFeed,
    document: str,
    read_template: Callable[[str], str | None],
) -> tuple[str, tuple[str, ...], bool]:
    from epilint.feed import loops

    name = f"`{feed.output}`"
    site = _item_site(feed, read_template)
    text = read_template(site[0]) if site is not None else None
    if site is None or text is None:
        return f"{name} has no item for it", (), False
    template, line = site
    found = loops.around(text, line)
    loop = found.loop
    where = f"`{template}`" if template != feed.output else name
    if loop is None:
        return f"{name} has no item for it", (), False
    variable = loop.variable
    is_post = document in prediction.posts
    if loop.collection == "site.posts" and is_post and loop.limit is not None:
        index = prediction.posts.index(document)
        if not loop.offset <= index < loop.offset + loop.limit:
            return (
                f"{name} keeps only the {loop.limit} newest posts"
                + (f" after the {loop.offset} newest" if loop.offset else "")
                + f" (`{loop.tag.source}`, {where} line {loop.tag.line})",
                ("date",),  # the date orders the posts, so decides which are the newest
                not found.conditions,  # an episode that aged out, unless a condition leaves it out too
            )
    if found.conditions:
        phrases = [loops.condition_phrase(c, variable) for c in found.conditions]
        lines = ", ".join(_tag_line(c, where) for c in found.conditions)
        keys = tuple(k for c in found.conditions for k in loops.condition_keys(c, variable))
        return f"{name} {' and '.join(phrases)} ({lines})", keys, False
    if is_post and loop.collection.startswith("site.") and loop.collection != "site.posts":
        return (
            f"{name} loops over `{loop.collection}`, not the posts "
            f"(`{loop.tag.source}`, {where} line {loop.tag.line})",
            (),
            False,
        )
    if found.assigned is not None:
        return (
            f"{name} loops over `{loop.collection}`, which leaves it out "
            f"(`{found.assigned.source}`, {where} line {found.assigned.line})",
            (),
            False,
        )
    return f"{name} has no item for it (`{loop.tag.source}`, {where} line {loop.tag.line})", (), False


def _tag_line(condition: Condition, where: str) -> str:
    shown = f"`{condition.tag.source}`, {where} line {condition.tag.line}"
    branch = condition.branch
    return shown + (f", `{branch.source}` line {branch.line}" if branch is not None else "")


def _stale(item: FeedItem, changed: frozenset[str]) -> FeedItem:
    """``item`` with the values made from the ``changed`` keys unknown."""
    if not changed:
        return item

    def value(found: FeedValue) -> FeedValue:
        touched = sorted(changed.intersection((*found.keys, *found.missing)))
        if not touched:
            return found
        names = ", ".join(f"`{k}`" for k in touched)
        return replace(
            found, text=None, content=None, raw=None, unescaped=(),
            unknown=f"{names} changed since the feed was predicted",
        )  # fmt: skip

    elements = tuple(
        replace(
            element,
            attrs=tuple((name, value(v)) for name, v in element.attrs),
            text=None if element.text is None else value(element.text),
        )
        for element in item.elements
    )
    return replace(item, elements=elements)


# -- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PostFeed:
    """One document's part of its site's feeds (``ctx.feed``)."""

    site: SiteFeed
    #: The document's path in the site (posix).
    path: str
    #: Its items, with the feed each is in (empty when the feeds have none for it).
    items: tuple[tuple[FeedInfo, FeedItem], ...]
    #: True when a feed has an item for it; False when the feeds leave out a document
    #: Jekyll publishes (``skipped`` says why); None when that cannot be told (no feed,
    #: a feed the model could not render, a document Jekyll does not publish).
    episode: bool | None
    skipped: Skip | None
    #: Whether ``items`` speak for the document's text: it is the text the prediction
    #: read, or (a fixed or unsaved text) the values made from front-matter keys that
    #: changed since are unknown now. False: the items say nothing about this text.
    fresh: bool
    #: Values of its items that other items of the same feed carry too.
    shared: tuple[Shared, ...] = ()
    #: The document's URL (``page.url``, without ``baseurl``) when the build writes it
    #: and its text is the one the prediction read (or changed no key the URL is made of).
    url: str | None = None

    @property
    def has_template(self) -> bool:
        return self.site.has_template

    @property
    def left_out(self) -> bool:
        """The feeds leave the document out, and not only for its age: it is no episode
        (a post older than the newest N a feed keeps is an episode all the same)."""
        return self.site.leaves_out(self.path)

    @property
    def key(self) -> str:
        """A digest of everything this view holds, for the results cache (with the
        file's own digest, which the cache compares anyway, it says ``fresh`` too)."""
        return self.site.post_key(self.path)


@dataclass(eq=False)
class SiteFeed:
    """A site's feeds as the linter sees them (read from ``site_data``'s data)."""

    root: Path
    feeds: tuple[FeedInfo, ...]
    figures: tuple[FeedFigures, ...]
    problems: tuple[str, ...]
    documents: frozenset[str]
    episodes: frozenset[str]
    skipped: Mapping[str, Skip]
    next_change: float | None
    clock: bool
    _items: Mapping[str, str]
    _samples: Mapping[str, str]
    _digests: Mapping[str, str]
    _shared: Mapping[str, tuple[Shared, ...]]
    _decoded: dict[str, tuple[tuple[FeedInfo, FeedItem], ...]] = field(default_factory=dict)
    #: Each written document's URL (site-relative path → ``page.url``).
    urls: Mapping[str, str] = field(default_factory=dict)
    #: Every URL path the build writes, percent-decoded (documents, pages, static files,
    #: the modelled gems' files).
    outputs: frozenset[str] = frozenset()
    #: What else may add files to the build (unmodelled gems, generating ``_plugins``):
    #: when not empty, a path missing from ``outputs`` may still exist.
    writers: tuple[str, ...] = ()
    #: The feeds are built files (``epilint/feed/built.py``), not predicted ones.
    built: bool = False

    @property
    def has_template(self) -> bool:
        """Whether the site has a feed template (a page whose output is a feed)."""
        return bool(self.feeds)

    @staticmethod
    def empty(root: Path) -> SiteFeed:
        """The view of a site without a feed template."""
        return SiteFeed(root, (), (), (), frozenset(), frozenset(), {}, None, False, {}, {}, {}, {})

    @staticmethod
    def from_data(root: Path, data: Any) -> SiteFeed:
        """The view from ``site_data``'s data; raises ValueError/TypeError/KeyError on
        damaged data."""
        if data.get("version") != VERSION:
            raise ValueError("another version of the view")
        feeds = tuple(
            FeedInfo(
                str(page), str(output), _optional(error), _optional(kind), bool(order),
                tuple(map(str, undefined)), tuple(map(str, templates)),
            )
            for page, output, error, kind, order, undefined, templates, _figures in data["feeds"]
        )  # fmt: skip
        figures = tuple(
            FeedFigures(int(count), None if well is None else bool(well), _optional(message))
            for *_, (count, well, message) in data["feeds"]
        )
        shared: dict[str, list[Shared]] = {}
        for feed, element, value, posts in data["shared"]:
            for post in posts:
                others = tuple(str(p) for p in posts if p != post)
                shared.setdefault(str(post), []).append(Shared(str(feed), str(element), str(value), others))
        items = data["items"]
        samples = data["samples"]
        digests = data["digests"]
        if not all(isinstance(v, str) for m in (items, samples, digests) for v in m.values()):
            raise ValueError("damaged view")
        return SiteFeed(
            root,
            feeds,
            figures,
            tuple(map(str, data["problems"])),
            frozenset(map(str, data["documents"])),
            frozenset(map(str, data["episodes"])),
            {
                str(k): Skip(str(r), tuple(map(str, keys)), bool(aged))
                for k, (r, keys, aged) in data["skipped"].items()
            },
            None if data["next_change"] is None else float(data["next_change"]),
            bool(data["clock"]),
            items,
            samples,
            digests,
            {post: tuple(found) for post, found in shared.items()},
            urls={str(k): str(v) for k, v in data["urls"].items()},
            outputs=frozenset(unquote(str(p)) for p in data["outputs"]),
            writers=tuple(map(str, data["writers"])),
            built=data.get("built") is True,
        )

    def has_output(self, path: str) -> bool:
        """Whether the build writes the URL path ``path`` (percent-decoded), as a server
        answers it: the file itself, ``path/`` (a folder's ``index.html``), ``path.html``
        (as GitHub Pages serves it), and ``x.html`` for an extension-less URL ``x``."""
        outputs = self.outputs
        if path.endswith("/index.html") and path[: -len("index.html")] in outputs:
            return True
        if path.endswith(".html") and path[: -len(".html")] in outputs:
            return True  # Jekyll writes the extension-less URL ``/a/b`` as ``a/b.html``
        if path.endswith("/"):
            return path in outputs or path + "index.html" in outputs or path[:-1] + ".html" in outputs
        return path in outputs or path + "/" in outputs or path + ".html" in outputs

    def fact(self, name: str) -> str | None:
        """The current value of a site fact a result declared (``Context.uses``):
        ``site-output:PATH`` is ``"1"`` when the build writes ``PATH``."""
        if name.startswith("site-output:"):
            return "1" if self.has_output(name.split(":", 1)[1]) else "0"
        raise KeyError(name)

    def feed(self, output: str) -> FeedInfo | None:
        return next((f for f in self.feeds if f.output == output), None)

    def items_for(self, post: str) -> tuple[tuple[FeedInfo, FeedItem], ...]:
        """The items made from the document ``post`` (site-relative), decoded once."""
        found = self._decoded.get(post)
        if found is None:
            from epilint.feed import codec

            encoded = self._items.get(post)
            found = ()
            if encoded is not None:
                pairs = []
                for output, item in json.loads(encoded):
                    info = self.feed(output)
                    if info is not None:
                        pairs.append((info, codec.load_item(item)))
                found = tuple(pairs)
            self._decoded[post] = found
        return found

    def sample(self, feed: FeedInfo) -> FeedItem | None:
        """The feed's first item (what the template writes for every item)."""
        from epilint.feed import codec

        encoded = self._samples.get(feed.output)
        return None if encoded is None else codec.load_item(json.loads(encoded))

    def episode(self, post: str) -> bool | None:
        if post in self.episodes:
            return True
        if post in self.skipped:
            return False
        return None

    def leaves_out(self, post: str) -> bool:
        """Whether the feeds leave the document ``post`` out, and not only for its age
        (``PostFeed.left_out``)."""
        skip = self.skipped.get(post)
        return self.episode(post) is False and not (skip is not None and skip.aged)

    def digest(self, post: str) -> str | None:
        """The digest of the document's bytes as the prediction read them."""
        return self._digests.get(post)

    def for_post(self, path: str, text_digest: str | None, changed: frozenset[str] | None = None) -> PostFeed:
        """The view of the document at ``path`` whose bytes have digest ``text_digest``.
        When that is not the text the prediction read, ``changed`` names the front-matter
        keys whose values differ from it (None: not known): values made from them are
        unknown in the view's items."""
        items = self.items_for(path) if self.feeds else ()
        fresh = text_digest is not None and self._digests.get(path) == text_digest
        if not fresh and changed is not None:
            items = tuple((feed, _stale(item, changed)) for feed, item in items)
            fresh = True
        exact = text_digest is not None and self._digests.get(path) == text_digest
        url = self.urls.get(path) if exact or (changed is not None and not changed & URL_KEYS) else None
        return PostFeed(
            self,
            path,
            items,
            self.episode(path),
            self.skipped.get(path),
            fresh,
            self._shared.get(path, ()),
            url,
        )

    def post_key(self, path: str) -> str:
        """A digest of what the view of the document at ``path`` holds, and of its bytes
        as the prediction read them."""
        if not self.feeds:
            return ""
        parts = [
            VERSION,
            [list(f.__dict__.values()) for f in self.feeds],
            self._items.get(path),
            self.episode(path),
            None if path not in self.skipped else list(self.skipped[path].__dict__.values()),
            [list(s.__dict__.values()) for s in self._shared.get(path, ())],
            self._digests.get(path),
            self.urls.get(path),
            self.built,
        ]
        return _digest(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8"))
