"""Ruby values as Jekyll's Liquid sees them, and how Liquid prints them.

Psych gives front matter Ruby Integers, Floats, Strings, Times, Dates, nil, true and
false; Jekyll adds Times of its own (post dates, ``site.time``). Liquid 5.4 prints a value
with ``Variable#render_obj_to_output`` (liquid/variable.rb): nil prints nothing, an Array
prints its items one after the other (recursively), anything else prints ``to_s``.

Values the model cannot know travel inside strings as *opaque tokens*: a private-use
character pair around an index into the render's ``Tape``. An opaque token is either the
rendered HTML of a post (``ContentPiece``: which post, which field, the filters applied to
it) or an unknown value (``UnknownPiece``: why). String filters that only concatenate
(``append``, ``prepend``) carry tokens along untouched, so the template's own text around a
post's content stays exact.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Opaque tokens: ``OPEN index CLOSE`` (Unicode private-use characters, never in real text
#: the model renders: a template or front matter holding them makes the value unknown).
OPEN = "\ue010"
CLOSE = "\ue011"
_TOKEN = re.compile("\ue010([0-9]+)\ue011")
_PRIVATE = re.compile("[\ue000-\ue01f]")


@dataclass(frozen=True, slots=True)
class RubyTime:
    """A Ruby ``Time``: an instant with the UTC offset it is shown in.

    ``utc`` is Ruby's ``Time#utc?`` (Psych builds UTC times from timestamps without an
    offset; ``Time#localtime`` never is): it prints ``UTC`` instead of ``+0000``.
    """

    instant: dt.datetime
    utc: bool = False

    def to_s(self) -> str:
        """``Time#to_s``: ``2022-09-10 00:00:00 +0900`` (``... UTC`` for UTC times)."""
        zone = "UTC" if self.utc else self.instant.strftime("%z")
        return f"{self.instant.strftime('%Y-%m-%d %H:%M:%S')} {zone}"

    @property
    def epoch(self) -> int:
        """``Time#to_i``."""
        return math.floor(self.instant.timestamp())

    def __liquid__(self) -> float:
        """What Liquid conditions compare (``Time#<=>``: the instant); python-liquid's
        ``<``/``==`` only know numbers and strings."""
        return self.instant.timestamp()

    def localtime(self, zone: dt.tzinfo) -> RubyTime:
        """``Time#localtime`` in the build's zone (ENV["TZ"] is the site's ``timezone``)."""
        try:
            return RubyTime(self.instant.astimezone(zone), False)
        except (OverflowError, ValueError):
            return RubyTime(self.instant, False)


@dataclass(frozen=True, slots=True)
class ContentPiece:
    """A post's rendered HTML (or excerpt): known to exist, unknown in its exact text."""

    post: str
    field: str
    #: Filters applied to it, in order (``xml_escape``, ``strip_html``, ``cdata_escape``...).
    transforms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UnknownPiece:
    """A value the model does not compute, and why (never a guess)."""

    reason: str


Piece = ContentPiece | UnknownPiece


@dataclass
class Tape:
    """The opaque pieces of one render, addressed by the index inside their token."""

    pieces: list[Piece] = field(default_factory=list)
    _index: dict[Piece, int] = field(default_factory=dict)

    def token(self, piece: Piece) -> str:
        index = self._index.get(piece)
        if index is None:
            index = len(self.pieces)
            self.pieces.append(piece)
            self._index[piece] = index
        return f"{OPEN}{index}{CLOSE}"

    def piece(self, index: int) -> Piece:
        return self.pieces[index]


_TAPE: contextvars.ContextVar[Tape] = contextvars.ContextVar("epilint_feed_tape")


def current_tape() -> Tape:
    """The tape of the render in progress (a fresh one outside any render)."""
    try:
        return _TAPE.get()
    except LookupError:
        tape = Tape()
        _TAPE.set(tape)
        return tape


def use_tape(tape: Tape) -> contextvars.Token[Tape]:
    return _TAPE.set(tape)


def reset_tape(token: contextvars.Token[Tape]) -> None:
    _TAPE.reset(token)


def unknown(reason: str) -> str:
    """An unknown value, as a string token that filters and output carry along."""
    return current_tape().token(UnknownPiece(reason))


def pieces_in(text: str) -> Iterator[tuple[int, int, Piece]]:
    """``(start, end, piece)`` of each opaque token in ``text``."""
    tape = current_tape()
    for match in _TOKEN.finditer(text):
        yield match.start(), match.end(), tape.piece(int(match.group(1)))


def has_pieces(text: str) -> bool:
    return OPEN in text


def map_content(text: str, transform: str) -> str:
    """``text`` with ``transform`` recorded on every content piece inside it."""
    if OPEN not in text:
        return text
    tape = current_tape()

    def swap(match: re.Match[str]) -> str:
        piece = tape.piece(int(match.group(1)))
        if isinstance(piece, ContentPiece):
            return tape.token(ContentPiece(piece.post, piece.field, (*piece.transforms, transform)))
        return match.group(0)

    return _TOKEN.sub(swap, text)


def split_pieces(text: str) -> list[str | Piece]:
    """``text`` as literal runs and pieces, in order."""
    parts: list[str | Piece] = []
    last = 0
    for start, end, piece in pieces_in(text):
        if start > last:
            parts.append(text[last:start])
        parts.append(piece)
        last = end
    if last < len(text):
        parts.append(text[last:])
    return parts


def sanitize_input(text: str) -> str:
    """Site text with the marker characters the model reserves removed (kept out of
    tokens: a template or front matter cannot forge them)."""
    return _PRIVATE.sub("\ufffd", text) if _PRIVATE.search(text) else text


# --- printing ----------------------------------------------------------------------------


def ruby_float(value: float) -> str:
    """``Float#to_s``: the shortest round-trip digits, ``e`` notation below 1e-4 and from
    1e15 on (``1.0e+15``, ``1.0e-05``), ``Infinity`` and ``NaN``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    digits, exponent = _shortest(abs(value))
    sign = "-" if value < 0 else ""
    decimal_exponent = exponent + len(digits)  # value = 0.digits * 10**decimal_exponent
    if -4 < decimal_exponent <= 15:  # Ruby: 123456789012345.0 but 1.0e+15
        if decimal_exponent <= 0:
            text = "0." + "0" * (-decimal_exponent) + digits
        elif decimal_exponent >= len(digits):
            text = digits + "0" * (decimal_exponent - len(digits)) + ".0"
        else:
            text = digits[:decimal_exponent] + "." + digits[decimal_exponent:]
        return sign + text
    mantissa = digits[0] + "." + (digits[1:] or "0")
    power = decimal_exponent - 1
    return f"{sign}{mantissa}e{'+' if power >= 0 else '-'}{abs(power):02d}"


def _shortest(value: float) -> tuple[str, int]:
    """Shortest digits ``d`` and exponent ``e`` with ``value == int(d) * 10**e``."""
    text = repr(value)
    mantissa, _, exp = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0") or "0"
    exponent = (int(exp) if exp else 0) - len(frac)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    return stripped or "0", exponent


def ruby_inspect(value: object) -> str:
    """``inspect`` of a Ruby value (Ruby 3.1): how a Hash prints inside output."""
    if value is None:
        return "nil"
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        escaped = escaped.replace("\t", "\\t").replace("\r", "\\r").replace("#{", "\\#{")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(ruby_inspect(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{ruby_inspect(k)}=>{ruby_inspect(v)}" for k, v in value.items()) + "}"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"#<Date: {value.isoformat()}>"
    return to_s(value)


def to_s(value: object) -> str:
    """Ruby ``to_s`` of a value (what ``append``, ``join`` and friends use)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ruby_float(value)
    if isinstance(value, RubyTime):
        return value.to_s()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ruby_inspect(value)
    if isinstance(value, dict):
        return ruby_inspect(value)
    to_liquid_s = getattr(value, "liquid_to_s", None)
    if callable(to_liquid_s):
        result = to_liquid_s()
        if isinstance(result, str):
            return result
    return unknown(f"how Ruby prints a {type(value).__name__}")


def output_text(value: object) -> str:
    """What ``{{ value }}`` prints: ``Variable#render_obj_to_output`` (liquid/variable.rb):
    nil → nothing; an Array → its items printed one after another; else ``to_s``."""
    if value is None or _is_undefined(value):
        return ""
    if isinstance(value, (list, tuple)):
        return "".join(output_text(item) for item in value)
    return to_s(value)


def _is_undefined(value: object) -> bool:
    from liquid import Undefined

    return isinstance(value, Undefined)
