"""Jekyll's rules for posts: which files in ``_posts/`` it publishes, and with what date.

Ported from Jekyll 4.3.1: ``Document::DATE_FILENAME_MATCHER`` (document.rb),
``PostReader#read_publishable`` (readers/post_reader.rb), ``EntryFilter#filter``
(entry_filter.rb), ``Document#modify_date`` / ``merge_date!`` and ``Publisher``.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from epilint import yaml11
from epilint.schema import CANONICAL_DATE

if TYPE_CHECKING:
    from epilint.context import Context
    from epilint.site import Site

POSTS_DIR = "_posts"

# DATE_FILENAME_MATCHER = %r!^(?>.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$!
# The atomic, lazy folder prefix can only consume everything up to the last `/`, so the
# pattern is exactly a match on the base name. Ruby's \d is ASCII-only.
POST_NAME = re.compile(r"([0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2})-([^/]*)(\.[^.]+)\Z")
# EntryFilter::SPECIAL_LEADING_CHAR_REGEX, and backup files ending in `~`.
_SPECIAL = ("_", ".", "#", "~")


@dataclass(frozen=True, slots=True)
class PostName:
    """The parts Jekyll takes from a post's file name."""

    date_text: str
    slug: str
    ext: str

    @property
    def date(self) -> dt.date | None:
        """The file-name date, or None when it names no real day (`2022-13-45`)."""
        year, month, day = (int(p) for p in self.date_text.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None


def post_entry(site_path: str) -> str | None:
    """The path below the nearest ``_posts`` folder (``sub/2022-10-01-x.md``), or None."""
    parts = site_path.split("/")
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] == POSTS_DIR:
            return "/".join(parts[index + 1 :])
    return None


def parse_post_name(entry: str) -> PostName | None:
    """``YYYY-MM-DD-slug.ext`` as Jekyll matches it, else None (the post is not read)."""
    match = POST_NAME.match(entry.rsplit("/", 1)[-1])
    if match is None:
        return None
    return PostName(*match.groups())


def skipped_reason(entry: str, include: Sequence[str] = ()) -> str | None:
    """Why Jekyll does not read the file at ``entry`` below ``_posts`` as a post, or None."""
    base = entry.rsplit("/", 1)[-1]
    included = any(fnmatch.fnmatchcase(entry, p) or fnmatch.fnmatchcase(base, p) for p in include)
    if not included and (entry.startswith(_SPECIAL) or base.startswith(_SPECIAL)):
        first = base[0] if base.startswith(_SPECIAL) else entry[0]
        return f"Jekyll ignores files and folders whose name starts with `{first}`"
    if not included and base.endswith("~"):
        return "Jekyll ignores backup files whose name ends with `~`"
    if parse_post_name(entry) is None:
        return "it is not named `YYYY-MM-DD-title.ext`, so Jekyll does not read it as a post"
    return None


@dataclass(frozen=True, slots=True)
class PostDate:
    """When Jekyll dates the post, and where that date came from."""

    instant: dt.datetime
    #: ``"front matter"`` or ``"file name"``.
    source: str
    #: The front-matter value node, when the date came from there.
    node: yaml11.Scalar | None = None


def in_zone(instant: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """``instant`` on ``zone``'s clock, or as it is when that clock would leave Python's
    years 1–9999 (``9999-12-31 23:00:00`` UTC is already year 10000 in Tokyo)."""
    try:
        return instant.astimezone(zone)
    except (OverflowError, ValueError):
        return instant


def on_site_clock(instant: dt.datetime, site: Site | None) -> dt.datetime:
    """``instant`` as the site's build sees it: on its ``timezone`` clock, else in the
    date's own offset (without a ``timezone`` Jekyll uses the machine's zone, unknown here)."""
    zone = site.zone if site is not None else None
    return in_zone(instant, zone) if zone is not None else instant


def site_zone(site: Site | None) -> dt.tzinfo:
    """The zone Jekyll builds in: ``timezone`` from ``_config.yml``, else UTC."""
    zone = site.zone if site is not None else None
    return zone or dt.timezone.utc


def front_matter_date(ctx: Context) -> PostDate | None:
    """The instant the front-matter date field means to Jekyll, when it can be known
    (worked out once per document, however many rules ask).

    A Psych timestamp is an instant (UTC when written without an offset); a Date or a
    quoted timestamp without an offset goes through ``Time.parse(...).localtime``, so it
    is midnight (or that wall time) in the site's zone.
    """
    return ctx.shared(_front_matter_date)


def _front_matter_date(ctx: Context) -> PostDate | None:
    found = ctx.field("date")
    scalar = found.scalar if found is not None else None
    if scalar is None:
        return None
    value = scalar.value
    zone = site_zone(ctx.site)
    instant: dt.datetime | None = None
    if isinstance(value, yaml11.PsychTime):
        instant = value.to_datetime()
    elif isinstance(value, dt.date):
        instant = dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    elif isinstance(value, str):
        instant = _parse_text(value.strip(), zone)
    return None if instant is None else PostDate(instant, "front matter", scalar)


def _parse_text(text: str, zone: dt.tzinfo) -> dt.datetime | None:
    match = CANONICAL_DATE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    try:
        if match.group(7) is None:
            return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)
        sign = -1 if match.group(7) == "-" else 1
        offset = dt.timedelta(hours=int(match.group(8)), minutes=int(match.group(9)))
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.timezone(sign * offset))
    except ValueError:
        return None


def file_name_date(ctx: Context) -> dt.date | None:
    """The date in the post's file name, when the file is a post with a real date."""
    entry = post_entry(ctx.site_path) if ctx.site is not None else None
    name = parse_post_name(entry) if entry is not None else None
    return name.date if name is not None else None


def publication_date(ctx: Context) -> PostDate | None:
    """The date Jekyll gives the post: the front-matter date, else the file-name date."""
    declared = front_matter_date(ctx)
    if declared is not None:
        return declared
    if ctx.field("date") is not None:
        return None  # present but unreadable: FM rules report it
    day = file_name_date(ctx)
    if day is None:
        return None
    return PostDate(dt.datetime(day.year, day.month, day.day, tzinfo=site_zone(ctx.site)), "file name")
