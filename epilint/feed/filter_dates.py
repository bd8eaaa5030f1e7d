"""Jekyll's date filters (jekyll-4.3.1 ``filters/date_filters.rb``: ``date_to_rfc822``,
``date_to_xmlschema``, ``date_to_string``, ``date_to_long_string``, ``time``) and Liquid's
``date`` (liquid-5.4.0 ``standardfilters.rb``, ``utils.rb`` ``to_date``)."""

from __future__ import annotations

import datetime as dt
import re

from epilint.feed import rubytime
from epilint.feed.errors import FilterError
from epilint.feed.tracing import current_trace
from epilint.feed.values import RubyTime, ruby_inspect, to_s, unknown


class DateFilters:
    """Date filters bound to the build's zone (``ENV["TZ"]`` = the site's ``timezone``)."""

    def __init__(self, zone: dt.tzinfo, now: RubyTime) -> None:
        self.zone = zone
        self.now = now

    def to_date(self, value: object) -> RubyTime | dt.date | None:
        """liquid/utils.rb ``to_date``: a Time or Date as is; ``now``/``today``; digits
        as ``Time.at``; another String through ``Time.parse`` (nil when it raises). A
        String ``Time.parse`` may read in ways the model does not follow raises _Unparsed."""
        if isinstance(value, (RubyTime, dt.date)):
            return value
        if isinstance(value, str):
            text = value
            if text == "" or text.strip() == "":
                return None
            if text.lower() in ("now", "today"):
                current_trace().clock()
                return self.now.localtime(self.zone)
            if re.fullmatch(r"\d+", text):
                return RubyTime(dt.datetime.fromtimestamp(int(text), self.zone))
            try:
                parsed = rubytime.parse(text, self.zone)
            except rubytime.InvalidTime:
                return None  # ArgumentError, rescued: nil
            if parsed is None:
                raise _Unparsed(text)
            return parsed
        if isinstance(value, int) and not isinstance(value, bool):
            return RubyTime(dt.datetime.fromtimestamp(value, self.zone))
        return None

    def time(self, value: object) -> RubyTime:
        """date_filters.rb ``time``: ``to_date(input).to_time.dup.localtime``; nil raises
        ``InvalidDateError`` (the build stops)."""
        date = self.to_date(value)
        if date is None:
            raise FilterError(f"Invalid Date: '{ruby_inspect(value)}' is not a valid datetime.")
        if isinstance(date, RubyTime):
            return date.localtime(self.zone)
        return rubytime.from_date(date, self.zone)

    def date(self, value: object, fmt: object = None) -> object:
        """standardfilters.rb ``date``: empty format → input; no date → input."""
        if fmt is None or to_s(fmt) == "":
            return value
        try:
            date = self.to_date(value)
        except _Unparsed as exc:
            return unknown(f"Time.parse of `{exc}`")
        if date is None:
            return value
        out = rubytime.strftime(date, to_s(fmt))
        return out if out is not None else unknown(f"strftime `{to_s(fmt)}`")

    def rfc822(self, value: object) -> object:
        if to_s(value) == "":
            return value
        try:
            return rubytime.rfc822(self.time(value))
        except _Unparsed as exc:
            return unknown(f"Time.parse of `{exc}`")

    def xmlschema(self, value: object) -> object:
        if to_s(value) == "":
            return value
        try:
            return rubytime.xmlschema(self.time(value))
        except _Unparsed as exc:
            return unknown(f"Time.parse of `{exc}`")

    def stringify(self, value: object, month: str, kind: object = None, style: object = None) -> object:
        if to_s(value) == "":
            return value
        try:
            time = self.time(value)
        except _Unparsed as exc:
            return unknown(f"Time.parse of `{exc}`")
        if kind == "ordinal":
            day = time.instant.day
            ordinal = f"{day}{_ordinal(day)}"
            fmt = f"{month} {ordinal}, %Y" if style == "US" else f"{ordinal} {month} %Y"
        else:
            fmt = f"%d {month} %Y"
        return rubytime.strftime(time, fmt)


class _Unparsed(Exception):
    pass


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
