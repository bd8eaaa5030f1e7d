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
from epilint.feed.liquid_env import (
    JekyllEnvironment,
    MarkedText,
    NotModelled,
    file_writing_plugins,
    plugin_sources,
    scan_plugins,
)
from epilint.feed.reader import read_site
from epilint.feed.records import (
    ContentValue,
    FeedElement,
    FeedItem,
    FeedPrediction,
    FeedValue,
    PredictedFeed,
    Unescaped,
)
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
    plugins = plugin_sources(site.root, to_s(site.config.get("plugins_dir")) or "_plugins")
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
    reads_clock = False
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
        feed, clock = _predict_feed(
            site,
            template,
            plugins,
            jekyll_env=jekyll_env,
            pages_repo_nwo=pages_repo_nwo,
            origin_remote=origin_remote,
        )
        reads_clock = reads_clock or clock
        if feed is not None:
            feeds.append(feed)
    documents = sorted(doc.relative_path for docs in site.collections.values() for doc in docs)
    urls, outputs = site.addresses()
    writers = tuple(gems) + file_writing_plugins(plugins)
    return FeedPrediction(
        root,
        tuple(feeds),
        tuple(problems),
        tuple(d.relative_path for d in site.posts),
        tuple(documents),
        site.next_change,
        reads_clock,
        tuple(gems),
        tuple(sorted(urls.items())),
        tuple(outputs),
        writers,
        dates=tuple(
            (doc.relative_path, doc.date.instant.timestamp())
            for docs in site.collections.values()
            for doc in docs
            if doc.date_unknown is None
        ),
        left_out=tuple(sorted(site.left_out.items())),
    )


def _environment(
    site: Site, page: Page, github: GitHubModel, plugins: list[tuple[str, str]]
) -> JekyllEnvironment:
    plugin_filters, plugin_tags = scan_plugins(plugins)
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
    plugins: list[tuple[str, str]],
    *,
    jekyll_env: str,
    pages_repo_nwo: str | None,
    origin_remote: str | None,
) -> tuple[PredictedFeed | None, bool]:
    """The feed a page renders (None when its output is no feed), and whether its items
    (their values, or which there are) read the build's clock."""
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
    env = _environment(site, page, github, plugins)
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
            ), trace.unframed_clock
        located = locate(output, trace)
        if "<rss" not in located.text and "<enclosure" not in located.text:
            return None, False
        documents = {doc.relative_path: doc for docs in site.collections.values() for doc in docs}
        channel, items = _extract(located, trace, documents)
        clock = trace.unframed_clock or any(
            "time" in value.site_keys for item in items for value in _values(item.elements)
        )
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
        ), clock
    finally:
        reset_trace(trace_token)
        reset_tape(tape_token)


def _values(elements: tuple[FeedElement, ...]) -> list[FeedValue]:
    found = [value for element in elements for _, value in element.attrs]
    found.extend(element.text for element in elements if element.text is not None)
    return found


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

    def spans_in(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(start, end, emission index) of the emissions whose text overlaps
        ``[start, end)`` (or empty ones inside it)."""
        found: list[tuple[int, int, int]] = []
        spans = self.located.spans
        position = bisect.bisect_left(self.span_ends, start)
        while position < len(spans):
            span_start, span_end, _index = spans[position]
            if span_start > end:
                break
            overlaps = span_start < end and span_end > start
            if overlaps or (span_start == span_end and start <= span_start <= end):
                found.append(spans[position])
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


#: Filters after which an output cannot hold markup or a bare ``&``.
ESCAPES = frozenset({"xml_escape", "escape", "escape_once", "cgi_escape", "url_encode"})
#: Characters that can make text not well-formed XML where they sit.
_XML_RISK = re.compile('[<&>"\\]\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')
#: Characters XML 1.0 does not allow at all, escaped or not.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def fragment_problem(raw: str, attribute: bool) -> str | None:
    """The XML parser's message when ``raw`` is not well-formed as an element's content
    (or, with ``attribute``, as an attribute value), else None. Namespaces are not
    processed (a fragment does not declare its prefixes); no DTD can be declared inside
    an element, so no entity is ever expanded."""
    if not _XML_RISK.search(raw):
        return None
    import xml.parsers.expat

    document = '<x a="' + raw.replace('"', "&quot;") + '"/>' if attribute else f"<x>{raw}</x>"
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(document.encode("utf-8", "surrogatepass"), True)
    except xml.parsers.expat.ExpatError as exc:
        return xml.parsers.expat.ErrorString(exc.code) or str(exc)
    except (ValueError, RecursionError) as exc:
        return str(exc)
    return None


def _breaks(printed: str, filters: tuple[str, ...], attribute: bool, cdata: bool) -> bool:
    """Whether an output's text can be what makes its value not well-formed."""
    if _XML_ILLEGAL.search(printed):
        return True  # escaping does not help: XML 1.0 has no such characters
    if any(name in ESCAPES for name in filters):
        return False
    if cdata:
        return "]]>" in printed
    return any(c in printed for c in ("<", "&")) or (attribute and '"' in printed)


def _value(
    index_: _Index,
    parts: list[tuple[str, int, int, bool]],
    documents_by_path: dict[str, Document],
    raw: tuple[str, bool] | None = None,
) -> tuple[FeedValue, set[str]]:
    """A FeedValue from (raw, start, end, cdata) parts; also the documents read.
    ``raw`` is the value's exact XML text and whether it is an attribute's."""
    from epilint.feed.xmlscan import decode

    text_parts: list[str] = []
    unknown_reason: str | None = None
    content: tuple[ContentPiece, bool, int] | None = None
    reads: set[KeyRead] = set()
    expressions: list[str] = []
    chains: list[tuple[str, ...]] = []
    first_emission: tuple[str, int] | None = None
    start_offset = parts[0][1] if parts else 0
    outputs: list[tuple[int, int, int, bool]] = []
    for raw_part, start, end, cdata in parts:
        for span_start, span_end, index in index_.spans_in(start, end):
            emission = index_.trace.emissions[index]
            reads.update(emission.reads)
            expressions.append(emission.expression)
            chains.append(emission.filters)
            outputs.append((span_start, span_end, index, cdata))
            if first_emission is None:
                first_emission = (emission.template, emission.line)
        for piece in split_pieces(raw_part):
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
    exact: str | None = None
    unescaped: list[Unescaped] = []
    if raw is not None and unknown_reason is None and content is None:
        exact, attribute = raw
        problem = fragment_problem(exact, attribute)
        if problem is not None:
            seen: set[int] = set()
            for span_start, span_end, index, cdata in outputs:
                emission = index_.trace.emissions[index]
                printed = index_.located.text[span_start:span_end]
                if index in seen or not _breaks(printed, emission.filters, attribute, cdata):
                    continue
                seen.add(index)
                own = _classify(set(emission.reads), documents_by_path)[0]
                unescaped.append(
                    Unescaped(
                        own, emission.expression, emission.template, emission.line,
                        printed[: Unescaped.LIMIT], problem,
                    )
                )  # fmt: skip
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
        exact,
        tuple(unescaped),
    )
    return value, documents


def _inner(text: str, element: Element) -> str:
    """An element's content as written (between its start tag and its end tag)."""
    if element.inner_start < 0 or element.inner_start >= element.end:
        return ""
    inner = text[element.inner_start : element.end]
    close = re.search(r"</" + re.escape(element.name) + r"\s*>\Z", inner)
    return inner[: close.start()] if close else inner


def _elements(
    index_: _Index, element: Element, prefix: str, docs: dict[str, Document]
) -> tuple[list[FeedElement], Counter[str]]:
    out: list[FeedElement] = []
    documents: Counter[str] = Counter()
    for child in element.children:
        path = f"{prefix}{child.name}"
        attrs: list[tuple[str, FeedValue]] = []
        for attr in child.attrs:
            value, found = _value(index_, [(attr.raw, attr.start, attr.end, False)], docs, (attr.raw, True))
            documents.update(found)
            attrs.append((attr.name, value))
        text: FeedValue | None = None
        if not child.children or any(c.raw.strip() for c in child.chunks):
            parts = [(c.raw, c.start, c.end, c.cdata) for c in child.chunks]
            if not parts:
                at = child.inner_start if child.inner_start >= 0 else child.end
                parts = [("", at, at, False)]
            text, found = _value(index_, parts, docs, (_inner(index_.located.text, child), False))
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
