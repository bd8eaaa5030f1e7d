"""Ruby's ``Time``: parsing (the shapes ``Time.parse`` reads the same way every time),
``strftime``, ``rfc822`` and ``xmlschema``, and Psych timestamps as Times.

A text outside the shapes below returns None: ``Time.parse`` (Date._parse) is lenient in
ways the model does not guess at, so such a date is unknown, never approximated.
"""

from __future__ import annotations

import datetime as dt
import re

from epilint.feed.values import RubyTime
from epilint.read import yaml11

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ISO = re.compile(
    r"\s*(-?[0-9]{2,4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:(?:[Tt]|\s+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?)?"
    r"\s*(Z|UTC|GMT|[-+][0-9]{2}:?[0-9]{2}|[-+][0-9]{1,2})?\s*\Z",
    re.IGNORECASE,
)
_RFC2822 = re.compile(
    r"\s*(?:([A-Za-z]{3})[a-z]*,?\s+)?([0-9]{1,2})\s+([A-Za-z]{3})[a-z]*\s+([0-9]{4})"
    r"\s+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?"
    r"\s*(Z|UTC|GMT|UT|[-+][0-9]{4}|[-+][0-9]{2}:[0-9]{2})?\s*\Z",
    re.IGNORECASE,
)


_UTC_ZONE = re.compile(r"\A(?:-00:00|-0000|-00|UTC|Z|UT)\Z", re.IGNORECASE)


def _is_utc(text: str | None) -> bool:
    """time.rb ``zone_utc?``: these zone texts give a UTC Time (``GMT`` does not)."""
    return text is not None and bool(_UTC_ZONE.match(text))


def _offset(text: str | None) -> dt.timezone | None:
    if text is None:
        return None
    upper = text.upper()
    if upper in ("Z", "UTC", "GMT", "UT"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    body = text[1:].replace(":", "")
    hours = int(body[:2]) if len(body) >= 2 else int(body)
    minutes = int(body[2:4]) if len(body) >= 4 else 0
    if hours > 23 or minutes > 59:
        return None
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


class InvalidTime(ValueError):
    """``Time.parse`` raises ``ArgumentError`` (``mon out of range``...): Jekyll's
    ``InvalidDateError`` stops the build."""


def _civil(year: int, month: int, day: int) -> dt.date:
    """``Time.local``'s day rule: days 1..31 of any month, rolling over past its end."""
    if not 1 <= month <= 12:
        raise InvalidTime("mon out of range")
    if not 1 <= day <= 31:
        raise InvalidTime("argument out of range")
    return dt.date(year, month, 1) + dt.timedelta(days=day - 1)


def parse(text: str, zone: dt.tzinfo) -> RubyTime | None:
    """``Time.parse(text)`` for ISO 8601 / Psych / ``Time#to_s`` shapes and RFC 2822 dates;
    a text without an offset is a wall time in ``zone`` (the build's ``TZ``). None when
    the text is not one of those shapes (the model does not guess at Date._parse's other
    readings); InvalidTime when Ruby raises for it. A two-digit year is 19YY from 69 on,
    else 20YY (Date._parse's completion); days past a month's end roll over."""
    match = _ISO.match(text)
    try:
        if match is not None:
            year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
            if len(match.group(1).lstrip("-")) == 2:
                year += 1900 if year >= 69 else 2000
            hour = int(match.group(4) or 0)
            minute = int(match.group(5) or 0)
            second = int(match.group(6) or 0)
            fraction = match.group(7) or ""
            micro = int((fraction + "000000")[:6]) if fraction else 0
            tz = _offset(match.group(8))
            if match.group(8) is not None and tz is None:
                return None
            if year < 1:
                return None
            if hour > 23 or minute > 59 or second > 60:
                raise InvalidTime("argument out of range")
            civil = _civil(year, month, day)
            naive = dt.datetime(civil.year, civil.month, civil.day, hour, minute, min(second, 59), micro)
        else:
            match = _RFC2822.match(text)
            if match is None:
                return None
            month_name = match.group(3).lower()
            if month_name not in _MONTHS:
                return None
            if match.group(1) is not None and match.group(1).lower() not in _DAYS:
                return None
            tz = _offset(match.group(8))
            if match.group(8) is not None and tz is None:
                return None
            civil = _civil(int(match.group(4)), _MONTHS.index(month_name) + 1, int(match.group(2)))
            if int(match.group(5)) > 23 or int(match.group(6)) > 59 or int(match.group(7) or 0) > 59:
                raise InvalidTime("argument out of range")
            naive = dt.datetime(
                civil.year,
                civil.month,
                civil.day,
                int(match.group(5)),
                int(match.group(6)),
                int(match.group(7) or 0),
            )
        if tz is not None:
            return RubyTime(naive.replace(tzinfo=tz), utc=_is_utc(match.group(8)))
        return RubyTime(local_time(naive, zone))
    except InvalidTime:
        raise
    except (ValueError, OverflowError):
        return None


def names_zone(text: str) -> bool:
    """True when ``text`` (a shape ``parse`` reads) names its zone (an offset, ``Z``,
    ``UTC``, ``GMT``): its instant does not depend on the build's zone."""
    match = _ISO.match(text) or _RFC2822.match(text)
    return match is not None and match.group(8) is not None


def local_time(naive: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """``Time.local`` of a wall time in ``zone``: a time repeated when clocks go back is
    the later one; a time skipped when they go forward moves on by the gap (02:30 → 03:30)."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    chosen = first
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
        if round_trip == naive:  # repeated: both readings exist
            chosen = second
    return chosen.astimezone(dt.timezone.utc).astimezone(zone)


def from_psych(value: yaml11.PsychTime, zone: dt.tzinfo) -> RubyTime | None:
    """The Time Psych builds (psych/scalar_scanner.rb: ``parse_time``): with an offset, a
    Time in that offset; without one, ``Time.at`` of the UTC reading, so local time (the
    build's zone). ``Z`` gives a UTC Time; yaml11 records it as offset 0."""
    instant = value.to_datetime()
    if instant is None:
        return None
    if value.offset is None:
        try:
            return RubyTime(instant.astimezone(zone))
        except (OverflowError, ValueError):
            return None
    return RubyTime(instant)


def from_date(value: dt.date, zone: dt.tzinfo) -> RubyTime:
    """``Date#to_time``: local midnight of that day."""
    return RubyTime(local_time(dt.datetime(value.year, value.month, value.day), zone))


def rfc822(time: RubyTime) -> str:
    """``Time#rfc2822`` (alias ``rfc822``): ``%a, %d %b %Y %T`` and ``-0000`` for UTC."""
    zone = "-0000" if time.utc else time.instant.strftime("%z")
    return time.instant.strftime("%a, %d %b %Y %H:%M:%S ") + zone


def xmlschema(time: RubyTime) -> str:
    """``Time#xmlschema``: ``2022-09-10T00:00:00+09:00`` (``Z`` for UTC)."""
    base = time.instant.strftime("%Y-%m-%dT%H:%M:%S")
    if time.utc:
        return base + "Z"
    offset = time.instant.strftime("%z")
    return f"{base}{offset[:3]}:{offset[3:]}"


_DIRECTIVE = re.compile(r"%([-_0^#]*)([0-9]*)(:{0,2})([a-zA-Z%+])")
_ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def strftime(value: RubyTime | dt.date, fmt: str) -> str | None:
    """Ruby's ``strftime`` (flags ``-``, ``_``, ``0``, ``^``, ``#`` and widths), for a Time or
    a Date (a Date is midnight UTC to ``%z``). None for a directive the port lacks."""
    if isinstance(value, RubyTime):
        moment = value.instant
        utc = value.utc
    else:
        moment = dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
        utc = False
    failed = False

    def one(match: re.Match[str]) -> str:
        nonlocal failed
        flags, width_text, colons, code = match.groups()
        text, numeric, pad_width = _field(moment, code, colons, utc, value)
        if text is None:
            failed = True
            return ""
        width = int(width_text) if width_text else pad_width
        if "^" in flags:
            text = text.upper()
        if "#" in flags:
            text = text.swapcase()
        if "-" in flags:
            return text.lstrip("0") or "0" if numeric else text
        if numeric:
            fill = " " if "_" in flags or (code in "ekl" and "0" not in flags) else "0"
            sign = ""
            if text.startswith(("-", "+")) and code != "z":
                sign, text = text[0], text[1:]
            return sign + text.rjust(max(width - len(sign), 0), fill)
        fill = "0" if "0" in flags else " "
        return text.rjust(width, fill)

    out = _DIRECTIVE.sub(one, fmt)
    return None if failed else out


def _field(
    moment: dt.datetime, code: str, colons: str, utc: bool, value: RubyTime | dt.date
) -> tuple[str | None, bool, int]:
    """The text of one directive, whether it is a number, and its default width."""
    if colons and code != "z":
        return None, False, 0
    if code == "Y":
        return str(moment.year), True, 0
    if code == "C":
        return str(moment.year // 100), True, 2
    if code == "y":
        return str(moment.year % 100), True, 2
    if code == "m":
        return str(moment.month), True, 2
    if code == "d":
        return str(moment.day), True, 2
    if code == "e":
        return str(moment.day), True, 2
    if code == "j":
        return str(moment.timetuple().tm_yday), True, 3
    if code == "H":
        return str(moment.hour), True, 2
    if code == "k":
        return str(moment.hour), True, 2
    if code == "I":
        return str(moment.hour % 12 or 12), True, 2
    if code == "l":
        return str(moment.hour % 12 or 12), True, 2
    if code == "M":
        return str(moment.minute), True, 2
    if code == "S":
        return str(moment.second), True, 2
    if code == "L":
        return f"{moment.microsecond // 1000:03d}", False, 3
    if code == "N":
        return f"{moment.microsecond:06d}000", False, 9
    if code == "s":
        return str(int(moment.timestamp())), True, 0
    if code == "u":
        return str(moment.isoweekday()), True, 1
    if code == "w":
        return str(moment.isoweekday() % 7), True, 1
    if code == "a":
        return _ENGLISH_DAYS[moment.weekday()][:3], False, 0
    if code == "A":
        return _ENGLISH_DAYS[moment.weekday()], False, 0
    if code in "bh":
        return _ENGLISH_MONTHS[moment.month - 1][:3], False, 0
    if code == "B":
        return _ENGLISH_MONTHS[moment.month - 1], False, 0
    if code == "p":
        return ("PM" if moment.hour >= 12 else "AM"), False, 0
    if code == "P":
        return ("pm" if moment.hour >= 12 else "am"), False, 0
    if code == "G":
        return str(moment.isocalendar()[0]), True, 0
    if code == "g":
        return str(moment.isocalendar()[0] % 100), True, 2
    if code == "V":
        return str(moment.isocalendar()[1]), True, 2
    if code == "U":
        return moment.strftime("%U"), True, 2
    if code == "W":
        return moment.strftime("%W"), True, 2
    if code == "z":
        offset = moment.utcoffset() or dt.timedelta(0)
        total = int(offset.total_seconds())
        sign = "-" if total < 0 else "+"
        hours, minutes = divmod(abs(total) // 60, 60)
        if colons == ":":
            return f"{sign}{hours:02d}:{minutes:02d}", False, 0
        if colons == "::":
            return f"{sign}{hours:02d}:{minutes:02d}:00", False, 0
        return f"{sign}{hours:02d}{minutes:02d}", False, 0
    if code == "Z":
        if not isinstance(value, RubyTime):
            return "+00:00", False, 0
        if utc:
            return "UTC", False, 0
        if isinstance(moment.tzinfo, dt.timezone):
            return "", False, 0  # a Time with a fixed offset has no zone name
        name = moment.tzname()
        return (name or ""), False, 0
    if code == "%":
        return "%", False, 0
    if code == "n":
        return "\n", False, 0
    if code == "t":
        return "\t", False, 0
    if code == "F":
        return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}", False, 0
    if code == "T":
        return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}", False, 0
    if code == "R":
        return f"{moment.hour:02d}:{moment.minute:02d}", False, 0
    if code == "D":
        return f"{moment.month:02d}/{moment.day:02d}/{moment.year % 100:02d}", False, 0
    if code == "r":
        hour = moment.hour % 12 or 12
        half = "PM" if moment.hour >= 12 else "AM"
        return f"{hour:02d}:{moment.minute:02d}:{moment.second:02d} {half}", False, 0
    if code == "c":
        return moment.strftime("%a %b ") + f"{moment.day:>2}" + moment.strftime(" %H:%M:%S %Y"), False, 0
    if code == "x":
        return f"{moment.month:02d}/{moment.day:02d}/{moment.year % 100:02d}", False, 0
    if code == "X":
        return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}", False, 0
    if code == "+":
        return None, False, 0
    return None, False, 0
