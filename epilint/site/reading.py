"""What Jekyll reads from one front-matter scalar, in words.

One wording for the YT rules' messages and the editor's hover: a base-60 number's hours
and minutes, a leading zero's octal or dropped digits, and "the integer 163800 (45 h
30 min)" for any value as Psych ``safe_load`` builds it (``read/yaml11.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import re

from epilint.read import yaml11
from epilint.site.values import rendered

_BASE60_UNITS = ("h", "min", "s")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+\Z")


def base60_units(text: str) -> str:
    """``45:30`` as Psych counts it, ``45 h 30 min``; ``1:26:19`` → ``1 h 26 min 19 s``."""
    parts = text.split(":")
    parts[0] = parts[0].lstrip("+-")
    return " ".join(f"{part} {unit}" for part, unit in zip(parts, _BASE60_UNITS, strict=False))


def leading_zeros(text: str, value: yaml11.Value) -> str:
    """What a number written with leading zeros (``010``, ``001``, ``008``) is to Psych."""
    if isinstance(value, int) and not isinstance(value, bool):
        digits = text.replace("_", "")
        unsigned = digits.lstrip("+-")
        decimal = yaml11.whole_number(unsigned) if unsigned.isdigit() else None
        if decimal is not None and abs(decimal) != abs(value):
            return f"the octal integer {value} (not {decimal})"
        return f"the integer {value} (the leading zeros are dropped)"
    return f'the text "{text}" (not octal, so not a number, unlike `007`)'


def has_leading_zeros(text: str) -> bool:
    """``010``, ``-007``, ``0_1``: digits after a leading zero."""
    return _LEADING_ZERO.match(text) is not None


def value(scalar: yaml11.Scalar) -> str:
    """The value Psych builds for ``scalar``, in words: ``the integer 163800 (45 h 30 min)``."""
    found = scalar.value
    text = scalar.text
    plain = scalar.plain and scalar.tag is None
    if isinstance(found, yaml11.Unloadable):
        return f"no value: {found.reason}, so Jekyll drops the whole front matter"
    if found is None:
        return "null (no value; Liquid prints nothing)"
    if isinstance(found, bool):
        return f"the boolean {rendered(found)}"
    if isinstance(found, (int, float)):
        kind = "integer" if isinstance(found, int) else "float"
        if plain and ":" in text:
            return f"the {kind} {rendered(found)} ({base60_units(text)})"
        if plain and has_leading_zeros(text):
            return leading_zeros(text, found)
        if isinstance(found, float) and not math.isfinite(found):
            return f"the float {rendered(found)}"
        return f"the {kind} {rendered(found)}"
    if isinstance(found, yaml11.PsychTime):
        moment = found.to_datetime()
        if moment is None:
            return "a time outside the years epilint can show"
        if not found.has_offset:
            return f"the time {moment:%Y-%m-%d %H:%M:%S} UTC (no offset is written, so UTC)"
        return f"the time {moment:%Y-%m-%d %H:%M:%S %z}"
    if isinstance(found, dt.date):
        return f"the Date {found.isoformat()}"
    if plain and has_leading_zeros(text):
        return leading_zeros(text, found)
    return f'the text "{found}"'
