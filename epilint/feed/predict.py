"""Predict a site's feeds: every channel element and every ``<item>`` with its values,
the front-matter keys each value came from and the template line that emitted it.

``predict_site(root, now)`` reads the site as Jekyll would at the instant ``now``, finds
its feed pages (``templates``), renders each with its layouts (Jekyll's ``Renderer``:
the page's Liquid, then each layout with ``content`` and ``layout``), and splits the
output with ``xmlscan``. A page that cannot be rendered (a Liquid error: Jekyll's build
would stop) gives a feed with ``error`` set and no items, never an exception.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from liquid.exceptions import ContextDepthError, LiquidError, LiquidSyntaxError, ResourceLimitError

from epilint.feed import filters as filter_mod
from epilint.feed.drops import PageDrop, SiteDrop, jekyll_drop
from epilint.feed.filter_dates import DateFilters
from epilint.feed.filter_urls import UrlFilters
from epilint.feed.github import GitHubModel, NoRepositoryError, model_for
from epilint.feed.jekyll_site import Document, Page, Site
from epilint.feed.liquid_env import JekyllEnvironment, MarkedText, NotModelled, scan_plugins
from epilint.feed.reader import read_site
from epilint.feed.templates import FeedTemplate, find_feed_templates
from epilint.feed.tracing import KeyRead, Located, Trace, locate, reset_trace, use_trace
from epilint.feed.values import (
    ContentPiece,
    Tape,
    UnknownPiece,
    reset_tape,
    split_pieces,
    to_s,
    unknown,
    use_tape,
)
from epilint.feed.xmlscan import Element, scan, well_formed

#: Tags gem plugins add: their output is unknown (the model does not render them).
GEM_TAGS: dict[str, tuple[str, ...]] = {"jekyll-feed": ("feed_meta",), "jekyll-seo-tag": ("seo",)}
#: Gem plugins whose Liquid the model knows (filters/tags they add, or none at all).
MODELLED_GEMS = frozenset(
    {"jekyll-github-metadata", "jekyll-paginate", "jekyll-sitemap", "jekyll-feed", "jekyll-seo-tag"}
)


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


def predict_site(
    root: Path,
    now: dt.datetime,
    *,
    machine_zone: dt.tzinfo = dt.timezone.utc,
    jekyll_env: str = "development",
    pages_repo_nwo: str | None = None,
    origin_remote: str | None = None,
    config_files: tuple[Path, ...] | None = None,
) -> FeedPrediction:
    """Every feed of the site at ``root`` as ``jekyll build`` at instant ``now`` writes it.

    ``machine_zone`` is the build machine's zone (used when the site sets no
    ``timezone``); ``jekyll_env`` is ``JEKYLL_ENV``; ``pages_repo_nwo`` is
    ``PAGES_REPO_NWO`` and ``origin_remote`` the git ``origin`` URL of the folder the build
    runs in (both for jekyll-github-metadata); ``config_files`` are ``--config`` files
    (default ``_config.yml``). ``_plugins`` is never run: what its filters and tags print
    is an unknown value.
    """
    site = read_site(root, now, machine_zone, config_files)
    problems = list(site.problems)
    for docs in site.collections.values():
        problems.extend(f"{doc.relative_path}: {doc.date_unknown}" for doc in docs if doc.date_unknown)
        problems.extend(f"{doc.relative_path}: {doc.problem}" for doc in docs if doc.problem)
    gems = [g for g in site.config.plugins if g not in MODELLED_GEMS]
    if gems:
        problems.append(
            f"gem plugins not modelled: {', '.join(gems)} (what their generators add to pages and "
            "posts is missing; their filters print unknown values)"
        )
    theme = _theme(site)
    if theme is not None:
        problems.append(f"theme `{theme}`: its layouts and includes are not read")
    feeds: list[PredictedFeed] = []
    for template in find_feed_templates(site):
        if site.fatal is not None:
            page = template.page
            feeds.append(
                PredictedFeed(
                    page.relative_path,
                    page.destination,
                    (),
                    (),
                    f"the build stops: {site.fatal}",
                    (),
                    (),
                    "site",
                )
            )
            continue
        feed = _predict_feed(site, template, jekyll_env, pages_repo_nwo, origin_remote)
        if feed is not None:
            feeds.append(feed)
    return FeedPrediction(root, tuple(feeds), tuple(problems), tuple(d.relative_path for d in site.posts))


def _environment(site: Site, page: Page, github: GitHubModel) -> JekyllEnvironment:
    plugins_dir = to_s(site.config.get("plugins_dir")) or "_plugins"
    plugin_filters, plugin_tags = scan_plugins(site.root, plugins_dir)
    for gem, tags in GEM_TAGS.items():
        if gem in site.config.plugins:
            plugin_tags.update(dict.fromkeys(tags, False))
    gems = tuple(g for g in site.config.plugins if g not in MODELLED_GEMS)
    dates = DateFilters(site.zone, site.time)
    url: object = site.config.get("url")
    baseurl: object = site.config.get("baseurl")
    try:
        found, value = github.config_fallback("url", site.config.data)
        url = value if found else url
        found, value = github.config_fallback("baseurl", site.config.data)
        baseurl = value if found else baseurl
    except NoRepositoryError:
        url = unknown("site.url from jekyll-github-metadata with no repository (the build fails)")
    urls = UrlFilters(url, baseurl)
    return JekyllEnvironment(
        site.root,
        includes_dir=to_s(site.config.get("includes_dir")) or "_includes",
        filters=filter_mod.standard_filters(dates, urls),
        plugin_filters=plugin_filters,
        plugin_tags=plugin_tags,
        unmodelled_gems=gems,
        page_dir=page.dir,
        theme=_theme(site),
    )


def _theme(site: Site) -> str | None:
    for key in ("theme", "remote_theme"):
        value = site.config.get(key)
        if value:
            return to_s(value)
    return None


def _predict_feed(
    site: Site,
    template: FeedTemplate,
    jekyll_env: str,
    pages_repo_nwo: str | None,
    origin_remote: str | None,
) -> PredictedFeed | None:
    page = template.page
    github = model_for(
        site.config.plugins,
        site.config.data,
        env_nwo=pages_repo_nwo,
        origin_remote=origin_remote,
        jekyll_env=jekyll_env,
    )
    site_drop = SiteDrop(site, github)
    tape, trace = Tape(), Trace()
    tape_token, trace_token = use_tape(tape), use_trace(trace)
    env = _environment(site, page, github)
    names = (page.relative_path, *(layout.relative_path for layout in template.layouts))
    try:
        try:
            theme = _theme(site)
            if template.missing_layout is not None and theme is not None:
                raise NotModelled(
                    f"the layout `{template.missing_layout}` may come from the theme gem `{theme}`"
                )
            output = _render_page(env, site_drop, page, template, jekyll_env)
        except (LiquidError, NoRepositoryError, RecursionError, ValueError, TypeError, KeyError) as exc:
            if isinstance(exc, LiquidSyntaxError):
                kind = "syntax"
            elif isinstance(exc, (ResourceLimitError, ContextDepthError, RecursionError, NotModelled)):
                kind = "model"
            elif isinstance(exc, (LiquidError, NoRepositoryError)):
                kind = "render"
            else:
                kind = "model"
            return PredictedFeed(
                page.relative_path,
                page.destination,
                (),
                (),
                f"Liquid error: {exc}" if kind != "model" else f"not modelled: {type(exc).__name__}: {exc}",
                tuple(sorted(env.undefined_filters)),
                names,
                kind,
            )
        located = locate(output, trace)
        if "<rss" not in located.text and "<enclosure" not in located.text:
            return None
        documents = {doc.relative_path: doc for docs in site.collections.values() for doc in docs}
        channel, items = _extract(located, trace, documents)
        return PredictedFeed(
            page.relative_path,
            page.destination,
            channel,
            items,
            None,
            tuple(sorted(env.undefined_filters)),
            names + tuple(sorted(env.included)),
            None,
            *_well_formed(located.text),
            not any(doc.date_unknown for doc in documents.values()),
        )
    finally:
        reset_trace(trace_token)
        reset_tape(tape_token)


def _well_formed(text: str) -> tuple[bool | None, str | None]:
    """The rendered feed through an XML parser (defusedxml: no DTD entities), each post's
    content standing in as one letter: escaped or in CDATA it cannot break the XML (except
    a ``]]>`` inside CDATA: the linter's business); raw or unknown, nothing can be told."""
    parts: list[str] = []
    for piece in split_pieces(text):
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, UnknownPiece):
            return None, None
        elif piece.transforms and piece.transforms[-1] in ("xml_escape", "escape"):
            parts.append("x")
        else:
            parts.append("\ue100")  # raw or CDATA: decided by where it sits
    joined = "".join(parts)
    if "\ue100" in joined:
        outside = re.sub(r"<!\[CDATA\[.*?\]\]>", "", joined, flags=re.DOTALL)
        if "\ue100" in outside:
            return None, None
        joined = joined.replace("\ue100", "x")
    message = well_formed(joined)
    return message is None, message


def _render_page(
    env: JekyllEnvironment, site_drop: SiteDrop, page: Page, template: FeedTemplate, jekyll_env: str
) -> str:
    """``Renderer#render_document`` for a page: Liquid, (no converter for XML pages), then
    ``place_in_layouts``."""
    page_drop = PageDrop(page)
    jekyll = {**jekyll_drop(), "environment": jekyll_env}
    globals_: dict[str, object] = {
        "site": site_drop,
        "page": page_drop,
        "jekyll": jekyll,
        "paginator": None,
        "layout": None,
        "content": None,
    }
    body = page.body
    if page.output_ext == ".html" and page.ext.lower() in site_drop.site.config.markdown_exts:
        raise ValueError("a Markdown feed page (kramdown conversion is not modelled)")
    env.line_offsets[page.relative_path] = page.body_line - 1
    compiled = env.from_string(body, name=page.relative_path, path=page.relative_path)
    output = compiled.render(**globals_)
    layout_data: dict[str, object] = {}
    for layout in template.layouts:
        layout_data = {**layout.data, **layout_data}
        env.line_offsets[layout.relative_path] = layout.body_line - 1
        layout_template = env.from_string(layout.body, name=layout.relative_path, path=layout.relative_path)
        namespace = {**globals_, "content": MarkedText(output), "layout": layout_data}
        output = layout_template.render(**namespace)
    return output


# --- from rendered text to records -------------------------------------------------------


class _Index:
    """Lookups into a located render: the line at an offset, the emissions in a range.
    Emission spans never nest (an output strips the markers of what it prints), so they
    are sorted by start and by end alike and bisection finds them."""

    def __init__(self, located: Located, trace: Trace) -> None:
        self.located = located
        self.trace = trace
        self.anchor_offsets = [anchor[0] for anchor in located.anchors]
        self.span_ends = [span[1] for span in located.spans]

    def spans_in(self, start: int, end: int) -> list[int]:
        """Emission indexes whose text overlaps ``[start, end)`` (or empty ones inside it)."""
        found: list[int] = []
        spans = self.located.spans
        position = bisect.bisect_left(self.span_ends, start)
        while position < len(spans):
            span_start, span_end, index = spans[position]
            if span_start > end:
                break
            overlaps = span_start < end and span_end > start
            if overlaps or (span_start == span_end and start <= span_start <= end):
                found.append(index)
            position += 1
        return found

    def line_at(self, offset: int) -> tuple[str, int]:
        """Template and line of the clean text at ``offset``: the last line marker before
        it, plus the template newlines between (not those inside printed values)."""
        position = bisect.bisect_right(self.anchor_offsets, offset) - 1
        if position < 0:
            return ("", 0)
        start, template, line = self.located.anchors[position]
        text = self.located.text
        newlines = text.count("\n", start, offset)
        spans = self.located.spans
        cursor = bisect.bisect_right(self.span_ends, start)
        while cursor < len(spans) and spans[cursor][0] < offset:
            span_start, span_end, _ = spans[cursor]
            newlines -= text.count("\n", max(span_start, start), min(span_end, offset))
            cursor += 1
        return template, line + max(newlines, 0)


#: Document fields Jekyll computes (drops/document_drop.rb), and the front-matter keys
#: each depends on when the post has them.
COMPUTED: dict[str, tuple[str, ...]] = {
    "url": (),  # Document.url_keys: from the URL template in use
    "id": (),
    "date": ("date",),
    "content": (),
    "excerpt": ("excerpt", "excerpt_separator"),
    "output": (),
    "path": (),
    "relative_path": (),
    "collection": (),
    "name": ("name",),
    "next": (),
    "previous": (),
}


def _classify(
    reads: set[KeyRead], documents: dict[str, Document]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(front-matter keys, computed fields, missing keys) of the document reads."""
    keys: set[str] = set()
    computed: set[str] = set()
    missing: set[str] = set()
    for read in reads:
        doc = documents.get(read.document)
        if doc is None:
            continue
        written = doc.own_keys | doc.default_keys
        if read.key in ("url", "id"):
            computed.add(read.key)
            keys.update(doc.url_keys())
            if read.key == "id" and "slug" in written:
                keys.add("slug")
        elif read.key in COMPUTED:
            computed.add(read.key)
            keys.update(k for k in COMPUTED[read.key] if k in written)
        elif read.key in written:
            keys.add(read.key)
        elif read.key in doc.data:
            computed.add(read.key)  # title/slug/ext/categories/tags Jekyll filled in
            if read.key in ("categories", "tags"):
                keys.update(k for k in ("category", "categories", "tag", "tags") if k in written)
        else:
            missing.add(read.key)
    return tuple(sorted(keys)), tuple(sorted(computed)), tuple(sorted(missing))


def _value(
    index_: _Index,
    parts: list[tuple[str, int, int, bool]],
    documents_by_path: dict[str, Document],
) -> tuple[FeedValue, set[str]]:
    """A FeedValue from (raw, start, end, cdata) parts; also the documents read."""
    from epilint.feed.xmlscan import decode

    text_parts: list[str] = []
    unknown_reason: str | None = None
    content: tuple[ContentPiece, bool, int] | None = None
    reads: set[KeyRead] = set()
    expressions: list[str] = []
    chains: list[tuple[str, ...]] = []
    first_emission: tuple[str, int] | None = None
    start_offset = parts[0][1] if parts else 0
    for raw, start, end, cdata in parts:
        for index in index_.spans_in(start, end):
            emission = index_.trace.emissions[index]
            reads.update(emission.reads)
            expressions.append(emission.expression)
            chains.append(emission.filters)
            if first_emission is None:
                first_emission = (emission.template, emission.line)
        for piece in split_pieces(raw):
            if isinstance(piece, str):
                text_parts.append(piece if cdata else decode(piece))
            elif isinstance(piece, UnknownPiece):
                unknown_reason = unknown_reason or piece.reason
            elif isinstance(piece, ContentPiece):
                if content is None:
                    content = (piece, cdata, len("".join(text_parts)))
                else:
                    unknown_reason = unknown_reason or "two rendered contents in one value"
    joined = "".join(text_parts)
    template, line = first_emission if first_emission is not None else index_.line_at(start_offset)
    documents = {r.document for r in reads if r.document != "_config.yml"}
    content_value = None
    if content is not None and unknown_reason is None:
        piece, cdata, at = content
        content_value = ContentValue(
            piece.post, piece.field, piece.transforms, cdata, joined[:at], joined[at:]
        )
    keys, computed, missing = _classify(reads, documents_by_path)
    value = FeedValue(
        None if (unknown_reason or content_value) else joined,
        unknown_reason,
        content_value,
        keys,
        tuple(sorted({r.key for r in reads if r.document == "_config.yml"})),
        template,
        line,
        tuple(dict.fromkeys(expressions)),
        computed,
        missing,
        tuple(sorted(reads, key=lambda r: (r.document, r.key))),
        tuple(chains),
        any(cdata for _, _, _, cdata in parts),
    )
    return value, documents


def _elements(
    index_: _Index, element: Element, prefix: str, docs: dict[str, Document]
) -> tuple[list[FeedElement], Counter[str]]:
    out: list[FeedElement] = []
    documents: Counter[str] = Counter()
    for child in element.children:
        path = f"{prefix}{child.name}"
        attrs: list[tuple[str, FeedValue]] = []
        for attr in child.attrs:
            value, found = _value(index_, [(attr.raw, attr.start, attr.end, False)], docs)
            documents.update(found)
            attrs.append((attr.name, value))
        text: FeedValue | None = None
        if not child.children or any(c.raw.strip() for c in child.chunks):
            parts = [(c.raw, c.start, c.end, c.cdata) for c in child.chunks]
            if not parts:
                at = child.inner_start if child.inner_start >= 0 else child.end
                parts = [("", at, at, False)]
            text, found = _value(index_, parts, docs)
            documents.update(found)
        template, line = index_.line_at(child.start)
        out.append(FeedElement(path, child.name, tuple(attrs), text, template, line))
        inner, docs_inner = _elements(index_, child, path + "/", docs)
        out.extend(inner)
        documents.update(docs_inner)
    return out, documents


def _extract(
    located: Located, trace: Trace, docs: dict[str, Document]
) -> tuple[tuple[FeedElement, ...], tuple[FeedItem, ...]]:
    index_ = _Index(located, trace)
    root = scan(located.text)
    channel = root.find("channel")
    if channel is None:
        return (), ()
    channel_elements: list[FeedElement] = []
    items: list[FeedItem] = []
    shell = Element("channel", channel.start, channel.end)
    for child in channel.children:
        if child.name == "item":
            elements, documents = _elements(index_, child, "", docs)
            post = documents.most_common(1)[0][0] if documents else None
            template, line = index_.line_at(child.start)
            items.append(FeedItem(post, tuple(elements), template, line))
        else:
            shell.children.append(child)
    channel_elements, _ = _elements(index_, shell, "", docs)
    return tuple(channel_elements), tuple(items)


@dataclass(frozen=True)
class RenderedText:
    """A template rendered outside any feed: its text, and the unknown parts' reasons."""

    text: str
    unknown: tuple[str, ...]
    error: str | None


def render_text(
    source: str,
    variables: dict[str, object],
    *,
    zone: dt.tzinfo = dt.timezone.utc,
    now: dt.datetime | None = None,
    url: str | None = None,
    baseurl: str | None = None,
    site_root: Path | None = None,
) -> RenderedText:
    """``source`` rendered with the model's Liquid (Jekyll's filters and tags, Ruby
    printing), with plain Python values as variables (Ruby Times as ``RubyTime``).
    Unknown parts print as ``<unknown>``; a Liquid error gives ``error``."""
    from epilint.feed.values import RubyTime

    moment = now or dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    dates = DateFilters(zone, RubyTime(moment.astimezone(zone)))
    env = JekyllEnvironment(
        site_root or Path("."),
        includes_dir="_includes",
        filters=filter_mod.standard_filters(dates, UrlFilters(url, baseurl)),
        plugin_filters={},
        plugin_tags={},
        unmodelled_gems=(),
    )
    tape, trace = Tape(), Trace()
    tape_token, trace_token = use_tape(tape), use_trace(trace)
    try:
        try:
            output = env.from_string(source, name="<text>").render(**variables)
        except (LiquidError, RecursionError, ValueError, TypeError, KeyError) as exc:
            return RenderedText("", (), str(exc))
        clean = locate(output, trace).text
        reasons: list[str] = []
        parts: list[str] = []
        for piece in split_pieces(clean):
            if isinstance(piece, str):
                parts.append(piece)
            elif isinstance(piece, UnknownPiece):
                reasons.append(piece.reason)
                parts.append("<unknown>")
            else:
                parts.append(f"<content of {piece.post}>")
        return RenderedText("".join(parts), tuple(reasons), None)
    finally:
        reset_trace(trace_token)
        reset_tape(tape_token)
