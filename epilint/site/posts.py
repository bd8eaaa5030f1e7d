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

from epilint.read import yaml11
from epilint.site.jekyll import Site

POSTS_DIR = "_posts"
#: ``YYYY-MM-DD HH:MM:SS`` with an optional `` +ZZZZ``: the canonical shape of a post date.
CANONICAL_DATE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?: ([+-])([0-9]{2})([0-9]{2}))?\Z"
)

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


def scalar_instant(scalar: yaml11.Scalar, zone: dt.tzinfo) -> dt.datetime | None:
    """The instant a front-matter date value means to Jekyll, when it can be known.

    A Psych timestamp is an instant (UTC when written without an offset); a Date or a
    quoted timestamp without an offset goes through ``Time.parse(...).localtime``, so it
    is midnight (or that wall time) in the site's zone ``zone``.
    """
    value = scalar.value
    if isinstance(value, yaml11.PsychTime):
        return value.to_datetime()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if isinstance(value, str):
        return _parse_text(value.strip(), zone)
    return None


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


def file_name_date(site_path: str) -> dt.date | None:
    """The date in a post's file name, when ``site_path`` is a post with a real date."""
    entry = post_entry(site_path)
    name = parse_post_name(entry) if entry is not None else None
    return name.date if name is not None else None
