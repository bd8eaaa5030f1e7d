"""Analyses that several rules share: functions of a ``Context``, each computed once.

Every function here takes the context and returns a value derived from its inputs; the
expensive ones are memoised per document through ``ctx.shared(fn)``, so whichever rule
asks first pays and the others reuse the answer. The context imports nothing from here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from epilint.links import extract as link_extract
from epilint.links import urls
from epilint.links.extract import Link, LinkKind, Page
from epilint.links.status import LinkStatus
from epilint.lint.context import Context
from epilint.model import Fix, Span
from epilint.read import yaml11
from epilint.schema import patterns
from epilint.schema.load import FEED_KEY, FieldInfo
from epilint.site import audio, episodes, posts
from epilint.site.collection import Numbered, Summary, normalise_audio
from epilint.site.values import rendered

if TYPE_CHECKING:  # the feed's records are imported by the runs that predict a feed
    from epilint.feed.records import FeedElement, FeedItem, FeedValue
    from epilint.feed.view import FeedInfo

# -- fields by role -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoleField:
    """The front-matter pair of the schema field playing a role."""

    info: FieldInfo
    pair: yaml11.Pair

    @property
    def value(self) -> yaml11.Node:
        return self.pair.value

    @property
    def scalar(self) -> yaml11.Scalar | None:
        node = self.pair.value
        return node if isinstance(node, yaml11.Scalar) else None


def field(ctx: Context, role: str) -> RoleField | None:
    """The front-matter pair of the schema field playing ``role``, when present."""
    return ctx.shared(_role_fields).get(role)


def _role_fields(ctx: Context) -> dict[str, RoleField]:
    found: dict[str, RoleField] = {}
    fields = ctx.doc.fields
    for role, info in ctx.schema.roles.items():
        pair = fields.get(info.name)
        if pair is not None:
            found[role] = RoleField(info, pair)
    return found


def role_scalar(ctx: Context, role: str) -> yaml11.Scalar | None:
    """The scalar value of the field playing ``role`` (None for lists, maps, absence)."""
    found = field(ctx, role)
    return found.scalar if found is not None else None


def feed_phrase(info: FieldInfo | None, value: object) -> str:
    """``": the feed will say …"`` for a field whose schema says what the site renders
    from it (``x-epilint-feed``), else ``""``: what ``feed_says`` falls back to when the
    site's own feed template is not known."""
    feed = info.feed(rendered(value)) if info is not None else None
    return f": {feed}" if feed else ""


# -- the feed as the site's own template renders it -------------------------------------


def feed_items(ctx: Context) -> tuple[tuple[FeedInfo, FeedItem], ...] | None:
    """The post's predicted items, when the prediction speaks for this text: the site has
    a feed template, the feeds have an item for the post, and the text is the one the
    prediction read (not an unsaved or fixed text). None: the schema's phrase stands."""
    feed = ctx.feed
    if feed is None or not feed.has_template or not feed.fresh or feed.episode is not True:
        return None
    return feed.items


@dataclass(frozen=True, slots=True)
class FieldInFeed:
    """Where a front-matter field lands in one predicted item."""

    feed: FeedInfo
    #: The field's name.
    name: str
    element: FeedElement
    #: The attribute it fills (None: the element's text).
    attr: str | None
    value: FeedValue
    #: Whether the value read the field (present, or asked for and absent); False: the
    #: element the schema says the field makes, filled from something else.
    reads: bool

    @property
    def filled(self) -> bool:
        """The element has a value without this field: another key, or a default."""
        text = self.value.text
        if not self.reads:
            return text is None or bool(text.strip())
        defaulted = self.name in self.value.missing and _defaulted(self.value)
        return defaulted and text is not None and bool(text.strip())


_DEFAULT = re.compile(r"\|\s*default\b")
_SLOT = re.compile(r"<([A-Za-z_][\w:.-]*)(?:[^>]*?\s([\w:.-]+)=\"\{value\}\")?")


def _defaulted(value: FeedValue) -> bool:
    return any(_DEFAULT.search(expression) for expression in value.expressions)


def _values(element: FeedElement) -> list[tuple[str | None, FeedValue]]:
    found: list[tuple[str | None, FeedValue]] = [(name, value) for name, value in element.attrs]
    if element.text is not None:
        found.append((None, element.text))
    return found


def _slot(info: FieldInfo | None) -> tuple[str, str | None] | None:
    """The element (and attribute) the schema's ``x-epilint-feed`` phrase names."""
    phrase = info.schema.get(FEED_KEY) if info is not None else None
    match = _SLOT.search(phrase) if isinstance(phrase, str) and "{value}" in phrase else None
    return None if match is None else (match.group(1), match.group(2))


def field_in_feed(ctx: Context, name: str, info: FieldInfo | None = None) -> tuple[FieldInFeed, ...] | None:
    """Where the field ``name`` lands in each of the post's predicted items: the first
    value that read it, else the element the schema names for it (``info``); None when
    the prediction cannot say (``feed_items``); ``()`` when the items have neither."""
    items = feed_items(ctx)
    if items is None:
        return None
    found: list[FieldInFeed] = []
    slot = _slot(info)
    for feed, item in items:
        hit = next(
            (
                FieldInFeed(feed, name, element, attr, value, True)
                for element in item.elements
                for attr, value in _values(element)
                if name in value.keys or name in value.missing
            ),
            None,
        )
        if hit is None and slot is not None:
            element = item.element(slot[0])
            value = None
            if element is not None:
                value = dict(element.attrs).get(slot[1]) if slot[1] else element.text
            if element is not None and value is not None:
                hit = FieldInFeed(feed, name, element, slot[1], value, False)
        if hit is not None:
            found.append(hit)
    return tuple(found)


def feed_says(ctx: Context, info: FieldInfo | None, value: object, name: str | None = None) -> str:
    """``": the feed will say <enclosure url="…" length="" type="audio/mp3">"`` — the
    element the site's feed template makes from the field (``name``, else ``info``'s),
    as predicted; ``""`` when the template does not use the field; the schema's
    ``x-epilint-feed`` phrase when the site's template is not known. The one way
    messages say what the feed does with a field. A schema phrase that names no feed
    element (``the episode page shows no one``) is about the page, and stays."""
    key = name or (info.name if info is not None else None)
    found = field_in_feed(ctx, key, info) if key is not None else None
    if found is None:
        return feed_phrase(info, value)
    hits = [f for f in found if f.reads]
    if not hits:  # the template does not use it: nothing to say about the feed
        return feed_phrase(info, value) if _slot(info) is None else ""
    first = hits[0]
    feeds = ctx.feed.site.feeds if ctx.feed is not None else ()
    who = "the feed" if len(feeds) <= 1 else f"`{first.feed.output}`"
    return f": {who} will say {shown_element(first.element)}"


def feed_fills(ctx: Context, name: str, info: FieldInfo | None) -> bool:
    """Whether every predicted item has the element the field ``name`` is for without
    it: the template takes another key (``audio_file_url`` when present) or a default."""
    found = field_in_feed(ctx, name, info)
    return bool(found) and all(f.filled for f in found or ())


#: How much of a value messages quote.
SHOWN = 80


def shown_value(value: FeedValue) -> str:
    """A predicted value as messages quote it (long texts cut, unknown said so)."""
    if value.unknown is not None:
        return f"(unknown: {value.unknown})"
    if value.content is not None:
        content = value.content
        return f"{content.prefix}(the post's rendered {content.field}){content.suffix}"
    text = value.text or ""
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def shown_element(element: FeedElement) -> str:
    """``<enclosure url="…" length="" type="audio/mp3">``, ``<itunes:duration>36360</itunes:duration>``."""
    attrs = "".join(f' {name}="{shown_value(value)}"' for name, value in element.attrs)
    text = element.text
    if text is None or (element.attrs and text.text == ""):
        return f"<{element.name}{attrs}>"
    return f"<{element.name}{attrs}>{shown_value(text)}</{element.name}>"


def value_span(ctx: Context, value: FeedValue) -> Span:
    """Where a predicted value comes from in the document: the first of its front-matter
    keys written there, else (a key it asked for and did not find) the end of the front
    matter, else (the post's content) the body, else the start of the file (the URL made
    from the file name)."""
    fields = ctx.doc.fields
    for key in value.keys:
        pair = fields.get(key)
        if pair is not None:
            return pair.value.span
    if value.missing and ctx.doc.yaml_span is not None:
        return Span(ctx.doc.yaml_span.end, ctx.doc.yaml_span.end)
    if "content" in value.computed or "excerpt" in value.computed:
        return Span(ctx.doc.body.start, ctx.doc.body.start)
    return Span(0, 0)


# -- the audio file and measured values -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Measured:
    """A value epilint computed for a field (e.g. from the audio file), as YAML text."""

    yaml: str
    source: str


def audio_of(ctx: Context) -> tuple[audio.Location, audio.Measurement | None] | None:
    """Where the episode's audio is and, when it is in the site, its measurement (located
    once per document). The result depends on that file and its folder: both are
    declared (``ctx.depends_on``), whether or not the file exists."""
    return ctx.shared(_audio_of)


def _audio_of(ctx: Context) -> tuple[audio.Location, audio.Measurement | None] | None:
    site = ctx.site
    scalar = role_scalar(ctx, "audio-path")
    if site is None or scalar is None or not isinstance(scalar.value, str) or not scalar.value.strip():
        return None
    location = audio.locate(site, scalar.value)
    if location.where in (audio.Where.FOUND, audio.Where.MISSING):
        # Only a stamp (size, time) is taken, never the contents; stay inside the site.
        root = os.fspath(site.root)
        target = os.path.normpath(os.path.join(root, location.site_path.lstrip("/")))
        if os.path.commonpath([root, target]) == root:
            ctx.depends_on(target)
            ctx.depends_on(os.path.dirname(target))  # EP008 asks whether the site keeps audio there
    if location.where is not audio.Where.FOUND or location.path is None:
        return location, None
    return location, audio.measure(location.path)


def _measured_size(ctx: Context, measurement: audio.Measurement) -> str | None:
    return str(measurement.size)


def _measured_duration(ctx: Context, measurement: audio.Measurement) -> str | None:
    if measurement.duration is None:
        return None
    return yaml11.double_quoted(duration_text(ctx, measurement.duration))


#: The roles whose value epilint can measure, and how (the audio file's size, duration).
MEASURERS: dict[str, Callable[[Context, audio.Measurement], str | None]] = {
    "audio-size": _measured_size,
    "duration": _measured_duration,
}


def measured(ctx: Context, role: str) -> Measured | None:
    """The computed YAML value for the field playing ``role``, or None when unknown."""
    measure = MEASURERS.get(role)
    located = audio_of(ctx) if measure is not None else None
    if measure is None or located is None:
        return None
    location, measurement = located
    if measurement is None:
        return None
    value = measure(ctx, measurement)
    return None if value is None else Measured(value, f"`{location.site_path}`")


def measured_fix(ctx: Context, info: FieldInfo | None, span: Span, what: str) -> Fix:
    """A safe fix writing the measured value of ``info``'s field at ``span``, else the
    suggestion ``what``: the one measured-value-or-suggestion fix."""
    found = measured(ctx, info.role) if info is not None and info.role else None
    if found is None or info is None:
        return Fix.suggestion(what)
    text = ctx.doc.text
    value = found.yaml
    if span.start == span.end:  # filling an empty value
        if span.start > 0 and text[span.start - 1] == ":":
            value = f" {value}"  # `duration:` with nothing after the colon
        if text.startswith("#", span.end):
            value = f"{value} "  # `duration:  # note`: the comment stays apart from the value
    return Fix.replace(f"set {info.name} to {found.yaml} (measured from {found.source})", span, value)


def duration_text(ctx: Context, seconds: float) -> str:
    """The measured duration written in the site's style (``MM:SS`` under an hour, if used)."""
    info = ctx.schema.field_for("duration")
    style = None
    if ctx.site is not None and info is not None:
        style = ctx.site.duration_style(info.name)  # what the site's other posts say
        ctx.uses(f"duration-style:{info.name}", style)
    if style is None:
        own = role_scalar(ctx, "duration")
        text = own.text if own is not None else ""
        if text.count(":") == 1 and audio.parse_duration(text):
            style = "MM:SS"
    return audio.format_duration(seconds, style)


# -- dates ----------------------------------------------------------------------------


def front_matter_date(ctx: Context) -> posts.PostDate | None:
    """The instant the front-matter date field means to Jekyll, when it can be known
    (``posts.scalar_instant``), worked out once per document."""
    return ctx.shared(_front_matter_date)


def _front_matter_date(ctx: Context) -> posts.PostDate | None:
    scalar = role_scalar(ctx, "date")
    if scalar is None:
        return None
    if isinstance(scalar.value, str):  # a text goes through Ruby's Time.parse
        from epilint.lint import dates

        reading = dates.read(scalar, ctx.site.zone if ctx.site is not None else None)
        instant = (
            reading.instant if reading.verdict not in (dates.Verdict.INVALID, dates.Verdict.UNKNOWN) else None
        )
    else:
        instant = posts.scalar_instant(scalar, posts.site_zone(ctx.site))
    return None if instant is None else posts.PostDate(instant, "front matter", scalar)


def file_name_date(ctx: Context) -> dt.date | None:
    """The date in the post's file name, when the file is a post of a site with a real date."""
    return posts.file_name_date(ctx.site_path) if ctx.site is not None else None


def publication_date(ctx: Context) -> posts.PostDate | None:
    """The date Jekyll gives the post: the front-matter date, else the file-name date."""
    declared = front_matter_date(ctx)
    if declared is not None:
        return declared
    if field(ctx, "date") is not None:
        return None  # present but unreadable: FM rules report it
    day = file_name_date(ctx)
    if day is None:
        return None
    return posts.PostDate(
        dt.datetime(day.year, day.month, day.day, tzinfo=posts.site_zone(ctx.site)), "file name"
    )


def post_entry(ctx: Context) -> str | None:
    """The path below ``_posts`` when the file is in a site's ``_posts`` folder."""
    return posts.post_entry(ctx.site_path) if ctx.site is not None else None


# -- links ----------------------------------------------------------------------------


def page(ctx: Context) -> Page:
    """The body as kramdown renders it (``epilint/links/extract.py``), read once: its links,
    its bare URLs and the link syntax it shows as text."""
    return ctx.shared(_page)


def _page(ctx: Context) -> Page:
    return link_extract.extract(ctx.doc)


def links(ctx: Context) -> tuple[Link, ...]:
    """Every link of the page with the URL's span."""
    return page(ctx).links


def checked_links(ctx: Context) -> tuple[Link, ...]:
    """The page's links whose URL is written here, is not Liquid, is not empty and is not
    in ``ignore-urls`` (found once per document, whichever rule asks first)."""
    return ctx.shared(_checked_links)


def _checked_links(ctx: Context) -> tuple[Link, ...]:
    return _not_ignored(
        ctx, [link for link in links(ctx) if link.written and not link.liquid and link.url.strip()]
    )


def bare_urls(ctx: Context) -> tuple[Link, ...]:
    """The URLs the page shows as plain text (not Liquid, not in ``ignore-urls``)."""
    return ctx.shared(_bare_urls)


def _bare_urls(ctx: Context) -> tuple[Link, ...]:
    return _not_ignored(ctx, [link for link in page(ctx).bare if not link.liquid])


def _not_ignored(ctx: Context, found: list[Link]) -> tuple[Link, ...]:
    ignored = [p for p in ctx.settings.links.ignore_urls if patterns.compiles(p)]
    if not ignored:
        return tuple(found)
    # bounded in time like the schema's patterns: a pattern too slow for a URL does not
    # ignore it (the link is checked as usual)
    return tuple(link for link in found if not any(patterns.search(p, link.target) for p in ignored))


def notes_in_feed(ctx: Context) -> bool | None:
    """Whether the site's feed carries this post's notes (an item of it holds the post's
    content, which podcast apps show with its URLs linked): None when that is not known
    (no feed phase, no feed template, a feed the model could not render)."""
    return ctx.shared(_notes_in_feed)


def _notes_in_feed(ctx: Context) -> bool | None:
    view = ctx.feed
    if view is None or not view.has_template:
        return None
    if view.items:
        return any(_holds_content(item) for _feed, item in view.items)
    if view.episode is False:
        return False  # the feeds leave the post out
    return None


def _holds_content(item: FeedItem) -> bool:
    for element in item.elements:
        values = [value for _name, value in element.attrs]
        if element.text is not None:
            values.append(element.text)
        if any(value.content is not None for value in values):
            return True
    return False


def app_linked(ctx: Context) -> tuple[Link, ...]:
    """The bare URLs a listener can still click: podcast apps link the URLs of the episode
    notes the feed carries (the stock template's ``description`` is the rendered page).
    None of them when the feed does not carry the post's notes; all when that is unknown."""
    return bare_urls(ctx) if notes_in_feed(ctx) is not False else ()


def shown_as(ctx: Context, link: Link) -> str:
    """What a hygiene finding adds for a bare URL: the page shows it unlinked, the apps
    that show the notes link it (or may: the feed is not known)."""
    if link.kind is not LinkKind.BARE:
        return ""
    if notes_in_feed(ctx):
        return " (plain text on the page, but podcast apps link URLs in the episode notes the feed carries)"
    return " (plain text on the page; podcast apps link URLs in episode notes, if the feed carries them)"


#: ``http(s)://`` and a plain ASCII host: the scheme and host of most links in one match
#: (no IGNORECASE: ``ſ`` must not pass for ``s``; escapes and entities cannot occur in it).
_WEB_HOST = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9.\-]+)(?=[/?#]|\Z)")


def _START(link: Link) -> int:
    return link.span.start


def web_links(ctx: Context) -> tuple[tuple[Link, str], ...]:
    """Checked ``http(s)://`` links of the page, and the bare URLs podcast apps link, with
    their lower-case host (once per document)."""
    return ctx.shared(_web_links)


def _web_links(ctx: Context) -> tuple[tuple[Link, str], ...]:
    found: list[tuple[Link, str]] = []
    web_host = _WEB_HOST.match
    for link in sorted((*checked_links(ctx), *app_linked(ctx)), key=_START):
        plain = web_host(link.url)
        if plain is not None:
            found.append((link, plain.group(1).lower()))
        elif urls.scheme(link.url) in ("http", "https"):
            host = urls.host(link.target)
            if host:
                found.append((link, host))
    return tuple(found)


def online_status(ctx: Context, link: Link) -> LinkStatus | None:
    """The online result for ``link`` when the run checked links over the network."""
    results = ctx.link_status
    return None if results is None else results.get(link.target)


# -- plain YAML values ------------------------------------------------------------------

YamlPath = tuple[str | int, ...]


def plain_values(ctx: Context) -> tuple[tuple[YamlPath, yaml11.Scalar], ...]:
    """Untagged plain scalars with their paths (found once per document for the YT rules)."""
    return ctx.shared(_plain_values)


def _plain_values(ctx: Context) -> tuple[tuple[YamlPath, yaml11.Scalar], ...]:
    if not ctx.doc.readable:
        return ()
    return tuple(
        (path, scalar)
        for path, scalar in yaml11.iter_values(ctx.doc.root)
        if scalar.plain and scalar.tag is None and scalar.text
    )


# -- the collection summary -------------------------------------------------------------


def summary(ctx: Context) -> Summary | None:
    """The post's summary for the collection rules, or None when the post will not be on
    the site: outside a site, unusable front matter, a file Jekyll does not read as a post
    (misnamed, ignored), ``published: false``, or a future date Jekyll skips (the answer
    then expires at that date). Such posts neither claim a number nor fill a gap."""
    return ctx.shared(_summary)


def _summary(ctx: Context) -> Summary | None:
    site = ctx.site
    if site is None or not ctx.doc.readable or ctx.doc.data.get("published") is False:
        return None
    entry = posts.post_entry(ctx.site_path)
    if entry is None or posts.skipped_reason(entry, site.include) is not None:
        return None
    date = publication_date(ctx)
    if date is not None and not site.future:
        when = date.instant.timestamp()
        if when > time.time():
            ctx.valid_until(when)
            return None
    title = _numbered(role_scalar(ctx, "title"), episodes.from_title)
    field = _numbered(role_scalar(ctx, "episode-number"), episodes.from_field)
    audio_path = audio_span = audio_number = None
    path = role_scalar(ctx, "audio-path")
    if path is not None and isinstance(path.value, str):
        audio_path = normalise_audio(path.value)
        audio_span = path.span if audio_path else None
        found = episodes.audio_number(path.value)
        if found is not None:
            audio_number = Numbered(found.number, path.span, path.text, found.series)
    published = date.instant.timestamp() if date is not None else None
    date_span = date.node.span if date is not None and date.node is not None else None
    return Summary(
        ctx.site_path, title, field, audio_number, audio_path or None, audio_span, published, date_span
    )


def _numbered(
    scalar: yaml11.Scalar | None, read: Callable[[object], episodes.EpisodeNumber | None]
) -> Numbered | None:
    number = read(scalar.value) if scalar is not None else None
    return None if number is None or scalar is None else Numbered(number, scalar.span, scalar.text)
