"""FD rules: each episode's item as the site's own feed template renders it.

The items come from the run's feed phase (``ctx.feed``: the template rendered the way
Jekyll 4.3 renders it, see ``epilint/feed/``). A rule judges the item's elements and
attributes as rendered and reports on what made the value: the front-matter key it came
from (a key the template asked for and the post lacks: the end of the front matter; the
post's content: the body). What the template itself writes for every item — a literal
`type="audio/mp3"`, `<itunes:explicit>no</itunes:explicit>`, a guid made from
`site.github.url` — is FD050's, reported once on the template's line: the item rules
leave such values alone. A value the model cannot know (a plugin's filter) is never
judged; `epilint feed` says why it is unknown. An item is judged only while the post's
text is the one the prediction read (not an unsaved or fixed text).

Where a schema rule (FM/EP/YT) already reports the same value, it supersedes the FD
finding on that span: one problem, one finding.
"""

from __future__ import annotations

import email.utils
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from epilint.lint import facts
from epilint.lint.context import Context, TemplateContext
from epilint.lint.registry import FixAvailability, rule, template_rule
from epilint.model import Finding, Fix, Severity, Span
from epilint.schema.load import ROLE_KEY, FieldInfo

if TYPE_CHECKING:  # the feed's records are imported by the runs that predict a feed
    from epilint.feed.records import FeedElement, FeedItem, FeedValue
    from epilint.feed.view import FeedInfo

#: Enclosure types Apple Podcasts accepts (A Podcaster's Guide to RSS).
APPLE_TYPES = ("audio/mpeg", "audio/x-m4a", "video/mp4", "video/quicktime", "video/x-m4v", "application/pdf")
#: The types that agree with a file extension (Apple's, PSP-1's and common spellings).
EXTENSION_TYPES: dict[str, frozenset[str]] = {
    "mp3": frozenset({"audio/mpeg", "audio/mp3", "audio/mpeg3"}),
    "m4a": frozenset({"audio/x-m4a", "audio/m4a", "audio/mp4", "audio/aac"}),
    "mp4": frozenset({"video/mp4", "audio/mp4"}),
    "m4v": frozenset({"video/x-m4v", "video/m4v", "video/mp4"}),
    "mov": frozenset({"video/quicktime"}),
    "pdf": frozenset({"application/pdf"}),
}
#: The type to write for a file extension.
TYPE_FOR = {"mp3": "audio/mpeg", "m4a": "audio/x-m4a", "mp4": "video/mp4", "m4v": "video/x-m4v",
            "mov": "video/quicktime", "pdf": "application/pdf"}  # fmt: skip
DESCRIPTION_LIMIT = 4000
_ABSOLUTE = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+")
_RFC2822 = re.compile(
    r"(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([0-9]{4}) ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))? ([+-][0-9]{4}|UT|GMT|[ECMP][SD]T)\Z"
)
_DURATION = re.compile(r"(?:([0-9]+):)?([0-9]{1,2}):([0-9]{2})\Z")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKUP = re.compile(r"<[^>]{0,40}>?|&[#\w]{0,12};?")
#: The references XML knows without a DTD.
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);\Z")
DAY = 24 * 3600


# -- shared -----------------------------------------------------------------------------


def _items(ctx: Context) -> tuple[tuple[FeedInfo, FeedItem], ...]:
    return facts.feed_items(ctx) or ()


def _attr(element: FeedElement | None, name: str) -> FeedValue | None:
    return dict(element.attrs).get(name) if element is not None else None


def _known(value: FeedValue | None) -> str | None:
    """The value's text when the model knows it (not unknown, not a post's content)."""
    if value is None or value.unknown is not None or value.content is not None:
        return None
    return value.text


def template_level(value: FeedValue) -> bool:
    """The value does not come from the post: the template (or the site's config) writes
    it for every item alike, so it is FD050's, not the item's."""
    return not value.keys and not value.missing and not value.computed


def github_relative(value: FeedValue) -> bool:
    """A URL made from ``site.github.url`` that is not absolute: that variable is only
    filled by GitHub Pages' build (jekyll-github-metadata)."""
    text = _known(value)
    return "github" in value.site_keys and text is not None and _ABSOLUTE.match(text.strip()) is None


def _where(ctx: Context, feed: FeedInfo) -> str:
    """How a message names the feed: "the feed", or its file when the site has several."""
    feeds = ctx.feed.site.feeds if ctx.feed is not None else ()
    return "the feed" if len(feeds) <= 1 else f"`{feed.output}`"


def _line(value: FeedValue) -> str:
    return f"{value.template} line {value.line}"


def _quoted(text: str) -> str:
    shown = text if len(text) <= facts.SHOWN else text[: facts.SHOWN - 1] + "…"
    return shown.replace("\n", "\\n")


@dataclass
class _Found:
    """Findings of one rule, the same problem in several feeds said once."""

    items: dict[tuple[int, int, str], tuple[Finding, list[str]]]

    @staticmethod
    def new() -> _Found:
        return _Found({})

    def add(self, span: Span, message: str, fix: Fix | None, feed: FeedInfo) -> None:
        key = (span.start, span.end, message)
        if key in self.items:
            self.items[key][1].append(feed.output)
        else:
            self.items[key] = (Finding(message, span, fix), [feed.output])

    def __iter__(self) -> Iterator[Finding]:
        for finding, _ in self.items.values():
            yield finding


def _field_info(ctx: Context, key: str, role: str) -> FieldInfo:
    """The schema's field ``key``, else a field of that name playing ``role`` (for a
    measured fix written into a key the schema does not name)."""
    return ctx.schema.fields.get(key) or FieldInfo(key, {ROLE_KEY: role})


def _measurable(ctx: Context, item: FeedItem) -> bool:
    """The enclosure points at the audio file epilint measures (the post's audio-path
    field): measured values are the enclosure's."""
    audio = ctx.schema.field_for("audio-path")
    url = _attr(item.element("enclosure"), "url")
    return audio is not None and url is not None and audio.name in url.keys


def _key_of(ctx: Context, value: FeedValue) -> str | None:
    """The front-matter key a value's span is on (None: not a written key)."""
    return next((key for key in value.keys if key in ctx.doc.fields), None)


# -- FD001 ------------------------------------------------------------------------------


@rule("FD001", "feed-xml-broken", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def feed_xml_broken(ctx: Context) -> Iterator[Finding]:
    """A value the feed template inserts unescaped holds markup, a bare `&` or a character XML forbids.

    Why: a podcast feed is one XML document: a single `<br>`, `&` or control character
    (a backspace, U+0008) written into it unescaped makes the whole feed unreadable, and
    podcast apps stop showing new episodes. yattecast writes `description` into
    `<itunes:subtitle>` without `xml_escape`; attribute values such as the enclosure URL
    break on a bare `&` of a query string. Control characters break the XML even escaped.

    Example: `description: "Part 1<br>Part 2"` with yattecast's
    `<itunes:subtitle>{{ post.description }}</itunes:subtitle>`.

    Fix: suggestion: escape the output in the template (`| xml_escape`), or remove the
    markup or the character from the value.
    """
    found = _Found.new()
    seen: set[tuple[str, str, int, str]] = set()
    for feed, item in _items(ctx):
        for element in item.elements:
            for attr, value in _all_values(element):
                for unescaped in value.unescaped:
                    key = next((k for k in unescaped.keys if k in ctx.doc.fields), None)
                    if key is None:
                        continue  # not this post's value (the site's config, the template)
                    marker = (feed.output, unescaped.expression, unescaped.line, key)
                    if marker in seen:
                        continue
                    seen.add(marker)
                    where = element.name + (f" {attr}" if attr else "")
                    bad = _offending(unescaped.text)
                    illegal = bad.startswith("U+")
                    how = "inserts it" if illegal else "inserts it without escaping"
                    message = (
                        f"`{key}` holds {bad}, and {_where(ctx, feed)} {how} into <{where}> "
                        f"(`{{{{ {unescaped.expression} }}}}`, {unescaped.template} line {unescaped.line}): "
                        f"the whole feed is not well-formed XML (the XML parser: {unescaped.problem}) "
                        "and podcast apps reject it"
                    )
                    fix = Fix.suggestion(
                        f"remove the {bad} character from `{key}`"
                        if illegal
                        else f"escape it in the template (`{{{{ {unescaped.expression} | xml_escape }}}}`), "
                        f"or remove {bad} from `{key}`"
                    )
                    found.add(ctx.doc.fields[key].value.span, message, fix, feed)
    yield from found


def _all_values(element: FeedElement) -> list[tuple[str | None, FeedValue]]:
    values: list[tuple[str | None, FeedValue]] = [(name, value) for name, value in element.attrs]
    if element.text is not None:
        values.append((None, element.text))
    return values


def _offending(text: str) -> str:
    """The first thing in ``text`` that can break the XML, as messages show it."""
    illegal = _ILLEGAL.search(text)
    if illegal is not None:
        return f"U+{ord(illegal.group(0)):04X}"
    for found in _MARKUP.finditer(text):
        shown = found.group(0)
        if shown.startswith("<"):
            return f"`{shown}`"
        if not _ENTITY.match(shown):
            return f"`{shown}`" if shown.endswith(";") else "a bare `&`"
    if "]]>" in text:
        return "`]]>`"
    return '`"`' if '"' in text else "markup"


# -- FD002 ------------------------------------------------------------------------------


@rule("FD002", "enclosure-length", Severity.ERROR, fix=FixAvailability.SAFE, episodes_only=True)
def enclosure_length(ctx: Context) -> Iterator[Finding]:
    """The enclosure's `length`, as the template renders it, is not the file's size in bytes.

    Why: RSS 2.0 requires `length` to be the enclosure's size in bytes, a positive
    integer. Podcast apps show it as the download size and some check it: `length=""`,
    `length="0"`, `length="15.0MB"` or `length="4.3e+07"` (a Float printed by Liquid) are
    wrong sizes or a refused episode. When the audio file is in the site, the length must
    also be its measured size.

    Example: `audio_file_size: 19.5 MB` → `<enclosure length="19.5 MB">`.

    Fix: safe when the file is in the site: the measured size, written into the key the
    length comes from; otherwise a suggestion.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        length = _attr(item.element("enclosure"), "length")
        text = _known(length)
        if length is None or text is None or template_level(length):
            continue
        span = facts.value_span(ctx, length)
        key = _key_of(ctx, length) or (length.missing[0] if length.missing else None)
        measured = facts.audio_of(ctx) if _measurable(ctx, item) else None
        size = measured[1].size if measured is not None and measured[1] is not None else None
        clean = text.strip()
        if clean.isascii() and clean.isdigit() and int(clean) > 0:
            if size is None or int(clean) == size or key is None:
                continue
            problem = f"but the file `{measured[0].site_path}` is {size} bytes" if measured else ""
        else:
            problem = "which is not a size in bytes (a positive integer)"
        message = (
            f'{_where(ctx, feed)} will say <enclosure length="{_quoted(text)}"> ({_line(length)}), {problem}'
        )
        what = (
            f"write the audio file's size in bytes into `{key}`" if key else "write the file's size in bytes"
        )
        fix = Fix.suggestion(what)
        if key is not None and size is not None and key in ctx.doc.fields:
            fix = facts.measured_fix(ctx, _field_info(ctx, key, "audio-size"), span, what)
        elif key is not None and size is not None:
            fix = Fix.suggestion(
                f"add `{key}: {size}` (measured from `{measured[0].site_path}`)" if measured else what
            )
        found.add(span, message + ": podcast apps show a wrong size or refuse the episode", fix, feed)
    yield from found


# -- FD003 ------------------------------------------------------------------------------


@rule("FD003", "enclosure-url", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def enclosure_url(ctx: Context) -> Iterator[Finding]:
    """The enclosure URL, as rendered, is not an absolute http(s) URL, or another item uses it too.

    Why: podcast apps download the episode from the enclosure URL as it is written in the
    feed: a site-relative path (`/audio/57.mp3`) or an empty URL cannot be downloaded.
    Apple ignores an enclosure URL that another item of the feed already uses, so a
    copied post's audio hides one of the two episodes.

    Example: `audio_file_path: audio/57.mp3` in a template that writes the path alone.

    Fix: suggestion: write the full URL, or point the post at its own file.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        url = _attr(item.element("enclosure"), "url")
        text = _known(url)
        if url is None or text is None or template_level(url) or github_relative(url):
            continue
        span = facts.value_span(ctx, url)
        if _ABSOLUTE.match(text.strip()) is None:
            found.add(
                span,
                f'{_where(ctx, feed)} will say <enclosure url="{_quoted(text)}"> ({_line(url)}), '
                "not an absolute http(s) URL: podcast apps cannot download the episode",
                Fix.suggestion("make the enclosure URL absolute (https://…)"),
                feed,
            )
    for shared in ctx.feed.shared if ctx.feed is not None and _items(ctx) else ():
        if shared.element != "enclosure url":
            continue
        feed_info = ctx.feed.site.feed(shared.feed) if ctx.feed is not None else None
        pair = next(((f, i) for f, i in _items(ctx) if f.output == shared.feed), None)
        url = _attr(pair[1].element("enclosure"), "url") if pair is not None else None
        if feed_info is None or url is None:
            continue
        found.add(
            facts.value_span(ctx, url),
            f"the enclosure URL `{_quoted(shared.value)}` is also the enclosure of "
            f"{_listing(shared.others)} in {_where(ctx, feed_info)}: Apple ignores an enclosure URL "
            "another item already uses",
            Fix.suggestion("point the post at its own audio file"),
            feed_info,
        )
    yield from found


def _listing(paths: tuple[str, ...]) -> str:
    shown = ", ".join(f"`{p}`" for p in paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


# -- FD004 ------------------------------------------------------------------------------


def extension(url: str) -> str:
    """The lower-case extension of a URL's path (``mp3``), or ``""``."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return ""
    base = posixpath.basename(path)
    return base.rpartition(".")[2].lower() if "." in base else ""


@rule("FD004", "enclosure-type", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def enclosure_type(ctx: Context) -> Iterator[Finding]:
    """The enclosure's `type` is not one Apple accepts, or does not match the file.

    Why: Apple Podcasts accepts `audio/mpeg`, `audio/x-m4a`, `video/mp4`,
    `video/quicktime`, `video/x-m4v` and `application/pdf`; another type (`audio/mp3`)
    is refused or the episode treated as a document. A type that disagrees with the file
    (`audio/mpeg` for an `.m4a`) makes players pick the wrong decoder. A type the template
    writes for every item is FD050's.

    Example: `type="{{ post.audio_type }}"` with `audio_type: mp3`; an `.m4a` file in a
    template that always writes `audio/mpeg`.

    Fix: suggestion: the type of the file's format.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        enclosure = item.element("enclosure")
        kind, url = _attr(enclosure, "type"), _attr(enclosure, "url")
        kind_text, url_text = _known(kind), _known(url)
        if kind is None or kind_text is None:
            continue
        ext = extension(url_text) if url_text is not None else ""
        clean = kind_text.strip().lower()
        if not template_level(kind) and clean not in APPLE_TYPES:
            better = TYPE_FOR.get(ext)
            found.add(
                facts.value_span(ctx, kind),
                f'{_where(ctx, feed)} will say <enclosure type="{_quoted(kind_text)}"> ({_line(kind)}), '
                "not a type Apple Podcasts accepts",
                Fix.suggestion(f"write `{better}`" if better else f"use one of {', '.join(APPLE_TYPES)}"),
                feed,
            )
        elif url is not None and url_text is not None and ext in EXTENSION_TYPES:
            if clean in EXTENSION_TYPES[ext]:
                continue
            on = kind if not template_level(kind) else url
            if template_level(on):
                continue
            found.add(
                facts.value_span(ctx, on),
                f'{_where(ctx, feed)} will say <enclosure type="{_quoted(kind_text)}"> for the .{ext} file '
                f"`{_quoted(url_text)}` ({_line(kind)}): the type does not match the file, so players may "
                "pick the wrong decoder",
                Fix.suggestion(f"give the .{ext} file the type `{TYPE_FOR[ext]}`, or use a file of the type"),
                feed,
            )
    yield from found


# -- FD005 ------------------------------------------------------------------------------


@rule("FD005", "guid", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def guid(ctx: Context) -> Iterator[Finding]:
    """The item's `<guid>` is empty, not unique, or claims to be a permalink without being a URL.

    Why: apps identify an episode by its guid (Apple: unique, never changing,
    case-sensitive; "failing to comply may result in duplicate episodes"). An empty or
    shared guid merges or duplicates episodes. `isPermaLink` defaults to `true`, and then
    the guid must be an absolute URL.

    Example: a template `<guid>{{ post.guid }}</guid>` and a post without `guid:`; two
    posts with one `guid:`.

    Fix: suggestion: give each episode its own guid (an absolute URL, or set
    `isPermaLink="false"` in the template).
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        element = item.element("guid")
        value = element.text if element is not None else None
        text = _known(value)
        if element is None or value is None or text is None or template_level(value):
            continue
        span = facts.value_span(ctx, value)
        permalink = _known(_attr(element, "isPermaLink"))
        if not text.strip():
            found.add(
                span,
                f"{_where(ctx, feed)} will say <guid></guid> ({_line(value)}): an episode without an "
                "identity, which apps merge with others or show twice",
                Fix.suggestion("give the episode its own guid"),
                feed,
            )
        elif _claims_url(permalink) and not github_relative(value) and _ABSOLUTE.match(text.strip()) is None:
            found.add(
                span,
                f"{_where(ctx, feed)} will say <guid>{_quoted(text)}</guid> ({_line(value)})"
                + (' without isPermaLink="false"' if permalink is None else ' with isPermaLink="true"')
                + ": RSS then takes the guid for the episode's URL, and it is not an absolute URL",
                Fix.suggestion('make the guid an absolute URL, or write isPermaLink="false" in the template'),
                feed,
            )
    view = ctx.feed
    for shared in view.shared if view is not None and _items(ctx) else ():
        if shared.element != "guid":
            continue
        pair = next(((f, i) for f, i in _items(ctx) if f.output == shared.feed), None)
        element = pair[1].element("guid") if pair is not None else None
        if pair is None or element is None or element.text is None:
            continue
        found.add(
            facts.value_span(ctx, element.text),
            f"the guid `{_quoted(shared.value)}` is also the guid of {_listing(shared.others)} in "
            f"{_where(ctx, pair[0])}: apps take both items for one episode",
            Fix.suggestion("give each episode its own guid"),
            pair[0],
        )
    yield from found


def _claims_url(permalink: str | None) -> bool:
    """``isPermaLink`` absent (true by default) or ``true``."""
    return permalink is None or permalink.strip() == "true"


# -- FD006 ------------------------------------------------------------------------------


def rfc2822(text: str) -> bool:
    """An RFC 2822 date-time with a real date and, when given, the right weekday."""
    match = _RFC2822.match(text.strip())
    if match is None:
        return False
    try:
        moment = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return False
    if int(match.group(5)) > 23 or int(match.group(6)) > 59 or int(match.group(7) or 0) > 60:
        return False
    weekday = match.group(1)
    return weekday is None or weekday == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[moment.weekday()]


def date_from_post(value: FeedValue) -> bool:
    """The value prints the post's date (``post.date``: always a Time to Jekyll): its
    shape is the template's filter's, not the post's."""
    return "date" in value.computed


@rule("FD006", "pub-date", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def pub_date(ctx: Context) -> Iterator[Finding]:
    """The item's `<pubDate>`, as rendered, is not an RFC 2822 date.

    Why: RSS dates are RFC 822/2822 (`Wed, 15 Jun 2019 19:00:00 +0900`); apps order
    episodes by them and some reject an item whose date they cannot read. Jekyll's
    `date_to_rfc822` always writes one; a template that prints a front-matter text as
    the date writes whatever the post says. A date the template formats for every item
    (`post.date | date: "%Y-%m-%d"`) is FD050's.

    Example: `<pubDate>{{ post.published }}</pubDate>` with `published: 2022/09/10`.

    Fix: suggestion: write the date as `Sat, 10 Sep 2022 20:00:00 +0900`.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        element = item.element("pubDate")
        value = element.text if element is not None else None
        text = _known(value)
        if value is None or text is None or template_level(value) or date_from_post(value) or rfc2822(text):
            continue
        found.add(
            facts.value_span(ctx, value),
            f"{_where(ctx, feed)} will say <pubDate>{_quoted(text)}</pubDate> ({_line(value)}), not an "
            "RFC 2822 date: apps may misplace or reject the episode",
            Fix.suggestion("write the date as `Sat, 10 Sep 2022 20:00:00 +0900`"),
            feed,
        )
    yield from found


# -- FD007 ------------------------------------------------------------------------------


def duration_problem(text: str) -> str | None:
    """Why a rendered ``itunes:duration`` is wrong, or None."""
    clean = text.strip()
    if clean.isascii() and clean.isdigit():
        seconds = int(clean)
    else:
        match = _DURATION.match(clean)
        if match is None or not clean.isascii():
            return "not seconds or [H]H:MM:SS"
        hours, minutes, secs = int(match.group(1) or 0), int(match.group(2)), int(match.group(3))
        if secs > 59 or (match.group(1) is not None and minutes > 59):
            return "not seconds or [H]H:MM:SS"
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds > DAY:
        return f"{seconds / 3600:.1f} hours, more than a day"
    return None


@rule("FD007", "itunes-duration", Severity.ERROR, fix=FixAvailability.SAFE, episodes_only=True)
def itunes_duration(ctx: Context) -> Iterator[Finding]:
    """The item's `<itunes:duration>`, as rendered, is not a duration apps read, or is implausible.

    Why: Apple reads seconds (`3723`) or `[H]H:MM:SS`/`MM:SS`; anything else is shown as
    unknown. More than 24 hours is a mistake: an unquoted `45:30` in the front matter is
    the base-60 integer 163800 to Jekyll (45.5 hours).

    Example: `duration: 1h 2m` → `<itunes:duration>1h 2m</itunes:duration>`.

    Fix: safe when the audio file is in the site: the measured duration; otherwise a
    suggestion.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        element = item.element("itunes:duration")
        value = element.text if element is not None else None
        text = _known(value)
        if value is None or text is None or template_level(value):
            continue
        problem = duration_problem(text) if text.strip() else "empty"
        if problem is None:
            continue
        span = facts.value_span(ctx, value)
        key = _key_of(ctx, value)
        what = "write the episode's length as seconds or HH:MM:SS"
        fix = Fix.suggestion(what)
        if key is not None and _measurable(ctx, item):
            fix = facts.measured_fix(ctx, _field_info(ctx, key, "duration"), span, what)
        found.add(
            span,
            f"{_where(ctx, feed)} will say <itunes:duration>{_quoted(text)}</itunes:duration> "
            f"({_line(value)}): {problem}, so apps show a wrong length",
            fix,
            feed,
        )
    yield from found


# -- FD008 / FD009 / FD010 / FD011 -----------------------------------------------------------


def explicit_ok(text: str) -> bool:
    return text.strip() in ("true", "false")


@rule("FD008", "itunes-explicit", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def itunes_explicit(ctx: Context) -> Iterator[Finding]:
    """The item's `<itunes:explicit>`, as rendered from the post, is not `true` or `false`.

    Why: Apple and PSP-1 read `true` or `false` only; `yes`, `no` or `clean` fail the W3C
    validator and are non-conforming. A value the template writes for every item is
    FD050's.

    Example: `<itunes:explicit>{{ post.explicit }}</itunes:explicit>` with `explicit: 'no'`.

    Fix: suggestion: `true` or `false`.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        element = item.element("itunes:explicit")
        value = element.text if element is not None else None
        text = _known(value)
        if value is None or text is None or template_level(value) or explicit_ok(text):
            continue
        found.add(
            facts.value_span(ctx, value),
            f"{_where(ctx, feed)} will say <itunes:explicit>{_quoted(text)}</itunes:explicit> "
            f"({_line(value)}), but podcast apps read only `true` or `false`",
            Fix.suggestion("write `true` or `false`"),
            feed,
        )
    yield from found


@rule("FD009", "itunes-number", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def itunes_number(ctx: Context) -> Iterator[Finding]:
    """The item's `<itunes:episode>` or `<itunes:season>` is not a whole number above zero.

    Why: Apple orders and groups episodes by these numbers; a text, `0` or an empty
    element breaks the order (and `itunes:episode` is required in a serial show).

    Example: `episode: 5a` → `<itunes:episode>5a</itunes:episode>`.

    Fix: suggestion: a whole number from 1.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        for name in ("itunes:episode", "itunes:season"):
            element = item.element(name)
            value = element.text if element is not None else None
            text = _known(value)
            if value is None or text is None or template_level(value):
                continue
            clean = text.strip()
            if clean.isascii() and clean.isdigit() and int(clean) > 0:
                continue
            found.add(
                facts.value_span(ctx, value),
                f"{_where(ctx, feed)} will say <{name}>{_quoted(text)}</{name}> ({_line(value)}), not a "
                "whole number above zero: apps cannot order the episode",
                Fix.suggestion("write a whole number from 1"),
                feed,
            )
    yield from found


@rule("FD010", "item-title", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def item_title(ctx: Context) -> Iterator[Finding]:
    """The item's `<title>`, as rendered, is empty.

    Why: RSS requires a title or a description, Apple a title: an episode without one
    shows without a name, or is refused.

    Example: `title: ""`.

    Fix: suggestion: give the episode a title.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        element = item.element("title")
        value = element.text if element is not None else None
        text = _known(value)
        if value is None or text is None or template_level(value) or text.strip():
            continue
        found.add(
            facts.value_span(ctx, value),
            f"{_where(ctx, feed)} will say <title></title> ({_line(value)}): the episode shows "
            "without a name",
            Fix.suggestion("give the episode a title"),
            feed,
        )
    yield from found


@rule("FD011", "description-too-long", Severity.WARNING, episodes_only=True)
def description_too_long(ctx: Context) -> Iterator[Finding]:
    """The item's `<description>`, as rendered, is longer than 4,000 bytes.

    Why: Apple truncates episode notes beyond 4,000 bytes. Only a description whose text
    the model knows is judged: when it is the post's rendered content (yattecast's
    `post.content | xml_escape`) its exact length is not known and nothing is said.

    Example: `<description>{{ post.summary }}</description>` with a 5,000-byte summary.

    Fix: none; shorten the text.
    """
    found = _Found.new()
    for feed, item in _items(ctx):
        element = item.element("description")
        value = element.text if element is not None else None
        text = _known(value)
        if value is None or text is None or template_level(value):
            continue
        size = len(text.encode("utf-8"))
        if size <= DESCRIPTION_LIMIT:
            continue
        found.add(
            facts.value_span(ctx, value),
            f"{_where(ctx, feed)} will say a <description> of {size} bytes ({_line(value)}): Apple "
            f"truncates it after {DESCRIPTION_LIMIT}",
            None,
            feed,
        )
    yield from found


# -- FD050: the template's own faults ------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """Something the template writes wrong for every item."""

    template: str
    line: int
    #: Text of the line to point at (``type="audio/mp3"``), when it can be found.
    needle: str
    message: str
    fix: str


def template_faults(ctx: TemplateContext) -> list[Fault]:
    """The faults of every feed of the site, from each feed's first item."""
    faults: list[Fault] = []
    view = ctx.feed
    for feed in view.feeds:
        if feed.error is not None:
            continue
        sample = view.sample(feed)
        if sample is not None:
            faults.extend(_item_faults(feed, sample, len(view.feeds) > 1))
    return faults


def _item_faults(feed: FeedInfo, item: FeedItem, several: bool) -> Iterator[Fault]:
    name = f"`{feed.output}`" if several else "the feed"
    enclosure = item.element("enclosure")
    kind = _attr(enclosure, "type")
    kind_text = _known(kind)
    if (
        kind is not None
        and kind_text is not None
        and template_level(kind)
        and kind_text.strip() not in APPLE_TYPES
    ):
        yield Fault(
            kind.template, kind.line, f'type="{kind_text}"',
            f'the template writes type="{_quoted(kind_text)}" into every episode\'s <enclosure> in {name}: '
            "not a type Apple Podcasts accepts (audio/mpeg, audio/x-m4a, video/mp4, video/quicktime, "
            "video/x-m4v, application/pdf)",
            "write `audio/mpeg` for MP3 files (`audio/x-m4a` for M4A)",
        )  # fmt: skip
    explicit = item.element("itunes:explicit")
    value = explicit.text if explicit is not None else None
    text = _known(value)
    if value is not None and text is not None and template_level(value) and not explicit_ok(text):
        yield Fault(
            value.template, value.line, text.strip(),
            f"the template writes <itunes:explicit>{_quoted(text)}</itunes:explicit> into every item of "
            f"{name}: podcast apps read only `true` or `false` (W3C validator error, not PSP-1 conforming)",
            "write `false` (or `true`)",
        )  # fmt: skip
    for element_name, attr in (("guid", None), ("link", None), ("enclosure", "url")):
        element = item.element(element_name)
        found = _attr(element, attr) if attr else (element.text if element is not None else None)
        if found is None or not github_relative(found):
            continue
        shown = f"<{element_name} {attr}=…>" if attr else f"<{element_name}>"
        yield Fault(
            found.template, found.line, "site.github.url",
            f"the template builds every item's {shown} in {name} from `site.github.url`, which only "
            "GitHub Pages' build fills in (jekyll-github-metadata, not in the site's `plugins`): built "
            f'anywhere else the feed says "{_quoted(_known(found) or "")}", not an absolute URL'
            + (", and the guids change when the site moves" if element_name == "guid" else ""),
            "use `site.url` (set `url:` in _config.yml), or add jekyll-github-metadata to `plugins`",
        )  # fmt: skip
    pub = item.element("pubDate")
    date = pub.text if pub is not None else None
    date_text = _known(date)
    if date is not None and date_text is not None and date_from_post(date) and not rfc2822(date_text):
        yield Fault(
            date.template, date.line, "",
            f"the template writes every item's <pubDate> in {name} as `{_quoted(date_text)}`, "
            "not an RFC 2822 date: apps may misplace or reject the episodes",
            "format the date with `| date_to_rfc822`",
        )  # fmt: skip
    for required, why in (
        ("title", "the episodes show without a name"),
        ("guid", "Apple then tells episodes apart by their enclosure URL, so moving an audio file "
                 "duplicates the episode (PSP-1 requires a guid)"),
    ):  # fmt: skip
        if item.element(required) is None:
            yield Fault(
                item.template, item.line, "<item",
                f"the template writes no <{required}> in the items of {name}: {why}",
                f"add a <{required}> to the item",
            )  # fmt: skip
    if enclosure is not None:
        absent = [a for a in ("url", "length", "type") if _attr(enclosure, a) is None]
        if absent:
            yield Fault(
                enclosure.template, enclosure.line, "<enclosure",
                f"the template's <enclosure> in {name} has no {', '.join(absent)} attribute: RSS requires "
                "url, length and type, and podcast apps refuse the episode without them",
                f"add {', '.join(absent)} to the <enclosure>",
            )  # fmt: skip


@template_rule("FD050", "template-fault", Severity.ERROR, fix=FixAvailability.SUGGESTION)
def template_fault(ctx: TemplateContext) -> Iterator[Finding]:
    """The feed template writes something wrong into every item.

    Why: a literal the template writes for every episode — `type="audio/mp3"` (not a type
    Apple accepts), `<itunes:explicit>no</itunes:explicit>` (apps read `true`/`false`), a
    guid, link or enclosure URL built from `site.github.url` (only GitHub Pages' build
    fills it in: anywhere else every URL is relative and every guid changes), a `pubDate`
    format that is not RFC 2822, an item without `<title>` or `<guid>` — is one fault, not
    one per episode. It is reported once per run, on the template's line, as a result of
    the template file itself (`feed.xml:38:9`), for every site the run lints a post of;
    the item rules (FD002–FD011) leave such values alone.

    Example: yattecast's `<enclosure … type="audio/mp3"/>`.

    Fix: suggestion: the right literal in the template.
    """
    lines = ctx.doc.lines
    text = ctx.doc.text
    seen: set[tuple[int, str]] = set()
    for fault in template_faults(ctx):
        if fault.template != ctx.template or (fault.line, fault.message) in seen:
            continue
        seen.add((fault.line, fault.message))
        start = lines.offset(fault.line)
        end = lines.offset(fault.line + 1)
        line_text = text[start:end].rstrip("\r\n")
        at = line_text.find(fault.needle) if fault.needle else -1
        if at < 0:
            at = len(line_text) - len(line_text.lstrip())
            span = Span(start + at, start + len(line_text))
        else:
            span = Span(start + at, start + at + len(fault.needle))
        yield Finding(fault.message, span, Fix.suggestion(fault.fix))


# -- FD051 ------------------------------------------------------------------------------


@rule("FD051", "not-an-episode", Severity.WARNING, reads_feed=True)
def not_an_episode(ctx: Context) -> Iterator[Finding]:
    """A post the site's feed template leaves out: it is not an episode.

    Why: the episodes are the posts the feed's loop writes an item for; a post it skips
    (a blog category, beyond a `limit`, outside the collection it loops over) is on the
    site but not in any podcast app. epilint says so, and applies no episode rule to it
    (the schema checks, EP and CO rules, FD item rules), nor counts it among the site's
    episodes (duplicate numbers, gaps).

    Example: `categories: blog` in a site whose feed says
    `{% unless post.categories contains 'blog' %}`.

    Fix: none; if it is meant to be an episode, change what the template tests.
    """
    feed = ctx.feed
    if feed is None or feed.episode is not False or feed.skipped is None:
        return
    skip = feed.skipped
    span = Span(0, 0)
    for key in (*skip.keys, *_related(skip.keys)):
        pair = ctx.doc.fields.get(key)
        if pair is not None:
            span = pair.key.span
            break
    yield Finding(
        f"`{ctx.site_path}` is not in the feed: {skip.reason}; epilint applies no episode rule to it",
        span,
    )


def _related(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Front-matter keys Jekyll makes ``categories``/``tags`` from."""
    found: list[str] = []
    if "categories" in keys:
        found.append("category")
    if "tags" in keys:
        found.append("tag")
    return tuple(found)
