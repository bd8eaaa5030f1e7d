"""The records of a feed prediction: plain frozen data, without python-liquid.

``predict.predict_site`` makes them; the linter, the results of ``epilint feed`` and the
cache of predictions (``codec``) read them without importing the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from epilint.feed.tracing import KeyRead


@dataclass(frozen=True)
class Unescaped:
    """An output the template inserts without XML escaping whose text, where it sits,
    is not well-formed XML (markup, a bare ``&``, an XML-illegal control character): the
    whole feed then fails to parse."""

    #: Front-matter keys of the item's post that the output read.
    keys: tuple[str, ...]
    #: The output's source text (``post.description``).
    expression: str
    template: str
    line: int
    #: What the output inserted (at most ``Unescaped.LIMIT`` characters).
    text: str
    #: The XML parser's message for the value it sits in.
    problem: str

    LIMIT = 200


@dataclass(frozen=True)
class ContentValue:
    """A post's rendered HTML inside a value: which post and field, how it was inserted
    (``cdata``, or escaped when ``xml_escape`` is among ``transforms``, else raw), and the
    exact text around it."""

    post: str
    field: str
    transforms: tuple[str, ...]
    cdata: bool
    prefix: str
    suffix: str

    @property
    def mode(self) -> str:
        """``cdata``, ``escaped`` or ``raw``."""
        if self.cdata:
            return "cdata"
        if "xml_escape" in self.transforms or "escape" in self.transforms:
            return "escaped"
        return "raw"


@dataclass(frozen=True)
class FeedValue:
    """One element text or attribute value as the template renders it."""

    #: The exact text, or None when unknown or holding a post's content.
    text: str | None
    #: Why the text is unknown (a plugin filter, a date shape...), when it is.
    unknown: str | None
    content: ContentValue | None
    #: Front-matter keys (written in the post, or front-matter defaults) it came from,
    #: including those Jekyll's computed fields use (``url`` ← ``permalink``, ``slug``...).
    keys: tuple[str, ...]
    #: ``site.X`` keys read to make it.
    site_keys: tuple[str, ...]
    #: Template file and 1-based line of the output that made it (or of its text).
    template: str
    line: int
    #: The Liquid expressions that made it (``post.title | xml_escape``).
    expressions: tuple[str, ...] = ()
    #: Fields Jekyll computes that it read (``url``, ``date`` from the file name,
    #: ``title`` from the slug, ``content``...).
    computed: tuple[str, ...] = ()
    #: Keys it read that the post does not have (printed as nothing).
    missing: tuple[str, ...] = ()
    #: Every (document, key) lookup behind it.
    reads: tuple[KeyRead, ...] = ()
    #: The filter chain of each output that made it (``(("xml_escape",), ())``): a chain
    #: without ``xml_escape``/``escape``/``cdata_escape`` inserted its value raw.
    filters: tuple[tuple[str, ...], ...] = ()
    #: The text (or part of it) sits in a CDATA section.
    in_cdata: bool = False
    #: The value as written in the rendered XML (entities and CDATA markers as they
    #: are), when no part of it is unknown or a post's content.
    raw: str | None = None
    #: Outputs inserted unescaped that make this value not well-formed XML.
    unescaped: tuple[Unescaped, ...] = ()


@dataclass(frozen=True)
class FeedElement:
    """An element inside the channel or an item: ``path`` names it below its parent
    (``enclosure``, ``itunes:owner/itunes:name``); ``text`` is None when it has children
    only."""

    path: str
    name: str
    attrs: tuple[tuple[str, FeedValue], ...]
    text: FeedValue | None
    template: str
    line: int


@dataclass(frozen=True)
class FeedItem:
    """One predicted ``<item>``."""

    #: The post (site-relative path) the item was made from, when it read one.
    post: str | None
    elements: tuple[FeedElement, ...]
    template: str
    line: int

    def element(self, path: str) -> FeedElement | None:
        return next((e for e in self.elements if e.path == path), None)

    @property
    def identity(self) -> str | None:
        """guid, else link, else enclosure url (as rendered), when known."""
        for path, attr in (("guid", None), ("link", None), ("enclosure", "url")):
            found = self.element(path)
            if found is None:
                continue
            value = dict(found.attrs).get(attr) if attr else found.text
            if value is not None and value.text is not None and value.text.strip():
                return value.text.strip()
        return None


@dataclass(frozen=True)
class PredictedFeed:
    """One feed page of the site."""

    page: str
    #: The file ``jekyll build`` writes, relative to the destination folder.
    output: str
    channel: tuple[FeedElement, ...]
    items: tuple[FeedItem, ...]
    #: Why the feed could not be rendered, when it could not (see ``error_kind``).
    error: str | None
    #: Filters defined nowhere (Liquid returns their input unchanged).
    undefined_filters: tuple[str, ...]
    templates: tuple[str, ...]
    #: ``site``: the build stops while reading the site (an invalid date); ``render``:
    #: Liquid raises while rendering (``render!``: the build stops); ``syntax``: the
    #: template does not parse strictly: Jekyll then either stops (a block never closed,
    #: an unknown tag) or, with ``error_mode: warn``, reads it with Liquid's lax parser
    #: (``{{ x | }}`` prints ``x`` with a warning), which the model does not follow;
    #: ``model``: the model itself could not go on (a bound or an unported case).
    error_kind: str | None = None
    #: Whether the whole feed is well-formed XML; None when it cannot be told (a value is
    #: unknown, or a post's HTML is inserted raw).
    well_formed: bool | None = None
    #: The XML parser's message when it is not.
    xml_error: str | None = None
    #: False when a document's date is unknown: then the order of ``site.posts`` (and
    #: of collections), so which posts a ``limit`` keeps, is not known either; ``items``
    #: are in an assumed order (that post dated as the build's "now").
    order_known: bool = True


@dataclass(frozen=True)
class FeedPrediction:
    root: Path
    feeds: tuple[PredictedFeed, ...]
    #: Site-wide reading problems (files not read, dates not modelled, config errors).
    problems: tuple[str, ...]
    #: Posts that ``site.posts`` holds, newest first (site-relative paths).
    posts: tuple[str, ...]
    #: Every document Jekyll publishes at that instant, posts and other collections
    #: (site-relative paths, sorted).
    documents: tuple[str, ...] = ()
    #: When a document left out for its future date joins the site (POSIX time): the
    #: prediction holds until then (``future`` not set), if ever.
    next_change: float | None = None
    #: Whether rendering an item, or choosing the items, read the build's clock
    #: (``site.time``, ``"now" | date``): then the items hold for that instant only.
    clock: bool = False
    #: Gem plugins the model does not know: what their generators add (pages, posts,
    #: pagination) is missing, so which items a feed has is not certain.
    unmodelled_gems: tuple[str, ...] = ()
    #: The URL of each document the build writes (site-relative path, URL).
    urls: tuple[tuple[str, str], ...] = ()
    #: Every URL path the build writes (documents, pages, static files), sorted; what
    #: generator plugins add is not in it.
    outputs: tuple[str, ...] = ()
    #: What else may add files to the build (unmodelled gems, ``_plugins`` files that
    #: generate): when not empty, ``outputs`` may miss pages the site has.
    other_writers: tuple[str, ...] = ()

    def items_for(self, post: str) -> list[tuple[PredictedFeed, FeedItem]]:
        """Every item made from the post at ``post`` (site-relative), in every feed."""
        return [(feed, item) for feed in self.feeds for item in feed.items if item.post == post]

    def skipped_posts(self, feed: PredictedFeed) -> tuple[str, ...]:
        """Posts of ``site.posts`` that ``feed`` has no item for (a filter, a category
        test, a ``limit``...), newest first; empty when the feed could not be rendered."""
        if feed.error is not None:
            return ()
        made = {item.post for item in feed.items}
        return tuple(post for post in self.posts if post not in made)
