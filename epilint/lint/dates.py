"""How Jekyll reads a post's front-matter date, and whether it is what the author wrote.

Jekyll 4.3 (``Document#merge_date!``) turns whatever Psych read into text and parses it
again: ``Utils.parse_date(data["date"].to_s)``, i.e. ``Time.parse(text).localtime`` in the
build's zone (the site's ``timezone``), and an ``ArgumentError`` there stops the whole
build ("does not have a valid date"). So a Psych timestamp keeps its instant (``Time#to_s``
round-trips; one without an offset is UTC, YT004's case), a Date is local midnight, and a
quoted text is whatever ``Time.parse`` makes of it. ``epilint.feed.rubytime`` ports the
shapes ``Time.parse`` reads the same way every time (ISO 8601, Psych and ``Time#to_s``
texts, RFC 2822), proven against Ruby; for any other text the instant is not known and
nothing is guessed.

``read`` classifies the value: the instant Jekyll publishes, whether that instant is the
one the author wrote (``intended``: an explicit offset, or a wall time in a site with a
``timezone``), and what is wrong when it is not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from epilint.feed import rubytime
from epilint.read import yaml11
from epilint.site.posts import CANONICAL_DATE

#: ``YYYY-MM-DD[ T]HH:MM`` parts, to say what is out of range in a text Ruby rejects.
_DATE_FIELDS = re.compile(
    r"\s*(-?[0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt ]+([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2}))?)?"
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Verdict(str, Enum):
    """How Jekyll's reading of the date relates to what the author wrote."""

    #: Written ``YYYY-MM-DD HH:MM:SS +ZZZZ`` (or without the offset, YT004's case).
    CANONICAL = "canonical"
    #: Another shape, read as the instant the author wrote (a style matter).
    EXACT = "exact"
    #: No time, or no zone: Jekyll fills them in (midnight, the site's or machine's zone).
    COMPLETED = "completed"
    #: A day the month does not have: Ruby silently moves to the next month.
    ROLLED_OVER = "rolled-over"
    #: Ruby raises: the whole site fails to build.
    INVALID = "invalid"
    #: A text whose reading epilint does not know (Date._parse's lenient shapes).
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Reading:
    verdict: Verdict
    #: The instant Jekyll publishes, when it is known.
    instant: dt.datetime | None = None
    #: ``YYYY-MM-DD HH:MM:SS +ZZZZ`` of that instant in the offset the text names (or the
    #: site's), when rewriting the value to it changes nothing Jekyll reads.
    canonical: str | None = None
    #: For INVALID and UNKNOWN: what is wrong, for people.
    reason: str | None = None


def read(scalar: yaml11.Scalar, zone: dt.tzinfo | None) -> Reading:
    """How Jekyll reads the date value ``scalar`` in a site whose ``timezone`` is ``zone``
    (None: no ``timezone``, the build machine's zone, unknown here)."""
    value = scalar.value
    build_zone = zone or dt.timezone.utc
    if isinstance(value, yaml11.PsychTime):
        instant = value.to_datetime()
        if instant is not None:  # `Time#to_s` drops the fraction of a second: so does Jekyll
            instant = instant.replace(microsecond=0)
        if instant is None:
            return Reading(Verdict.UNKNOWN, reason="the year is outside what epilint can compute")
        if _rolled_over(scalar.text):
            return Reading(Verdict.ROLLED_OVER, instant)
        if CANONICAL_DATE.match(scalar.text) is not None:
            return Reading(Verdict.CANONICAL, instant)
        canonical = _canonical(instant) if value.has_offset else None
        return Reading(Verdict.EXACT if value.has_offset else Verdict.COMPLETED, instant, canonical)
    if isinstance(value, dt.date):
        try:
            midnight = rubytime.from_date(value, build_zone).instant
        except (OverflowError, ValueError):  # the zone's clock leaves years 1-9999
            return Reading(Verdict.UNKNOWN, reason="the day is at the end of the calendar")
        if _rolled_over(scalar.text):
            return Reading(Verdict.ROLLED_OVER, midnight)
        return Reading(Verdict.COMPLETED, midnight, _canonical(midnight) if zone is not None else None)
    text = _ruby_to_s(value).strip()
    try:
        parsed = rubytime.parse(text, build_zone)
    except rubytime.InvalidTime as exc:
        return Reading(Verdict.INVALID, reason=_impossible(text) or str(exc))
    if parsed is None:
        if not text:  # Ruby: "no time information in \"\""
            return Reading(Verdict.INVALID, reason="it is empty")
        return Reading(Verdict.UNKNOWN, reason=_impossible(text))
    instant = parsed.instant
    if _rolled_over(text):
        return Reading(Verdict.ROLLED_OVER, instant)
    named = rubytime.names_zone(text)
    if named and CANONICAL_DATE.match(text) is not None:
        return Reading(Verdict.CANONICAL, instant)
    if named:
        return Reading(Verdict.EXACT, instant, _canonical(instant))
    return Reading(Verdict.COMPLETED, instant, _canonical(instant) if zone is not None else None)


def _ruby_to_s(value: object) -> str:
    """``to_s`` of the Ruby value Psych built (what Jekyll hands to ``Time.parse``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _canonical(instant: dt.datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M:%S %z")


def _rolled_over(text: str) -> bool:
    """Day 29-31 of a month that lacks it: Ruby silently moves to the next month."""
    match = _DATE_FIELDS.match(text)
    if match is None:
        return False
    year, month, day = (int(g) for g in match.groups()[:3])
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day > (29 if month == 2 and leap else 28 if month == 2 else _DAYS[month - 1])


def _impossible(text: str) -> str | None:
    """Which part of a ``YYYY-MM-DD[ HH:MM[:SS]]`` text is out of range for Ruby's Time."""
    match = _DATE_FIELDS.match(text)
    if match is None:
        return None
    month, day = int(match.group(2)), int(match.group(3))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if not 1 <= day <= 31:
        return f"there is no day {day}"
    hour, minute, second = (int(g) if g else 0 for g in match.groups()[3:6])
    if hour > 24 or minute > 59 or second > 60:
        return "the time is out of range"
    return None
