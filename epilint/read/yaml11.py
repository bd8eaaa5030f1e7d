"""Read YAML front matter the way Jekyll does.

Jekyll 4.3 reads front matter with ``Psych.safe_load(yaml, permitted_classes:
[Date, Time], aliases: true)``. Psych resolves plain scalars with its own
``ScalarScanner#tokenize``, which differs from PyYAML (and from the YAML 1.1
spec) in ways that matter for podcast feeds: ``10:06`` is the base-60 integer
36360, ``1e3`` stays a string, ``nUlL`` is null, ``2022-9-10`` is a Date.

This module parses with PyYAML's event stream (the LibYAML C parser when it is
installed) and builds frozen nodes that keep their source spans; scalars are
resolved by a port of Psych 4.0's tokenizer. Aliases are kept as alias nodes,
never expanded, so hostile documents cannot blow up memory.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import sys
from dataclasses import dataclass
from typing import Any, Union

import yaml
from yaml import events

from epilint.model import Span

try:  # LibYAML is much faster; the pure-Python parser yields identical events.
    from yaml._yaml import CParser as _Parser  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.loader import BaseLoader as _Parser  # type: ignore[assignment,unused-ignore]


@dataclass(frozen=True, slots=True)
class PsychTime:
    """A Ruby ``Time`` as Psych builds it from a timestamp scalar.

    ``epoch`` and ``usec`` give the instant; ``offset`` is the written UTC
    offset in seconds, or ``None`` when the text had no offset (Psych then reads
    the time as UTC).
    """

    epoch: int
    usec: int
    offset: int | None

    @property
    def has_offset(self) -> bool:
        return self.offset is not None

    def wall(self) -> tuple[int, int, int, int, int, int]:
        """(year, month, day, hour, minute, second) on the clock of the written offset (UTC
        without one), for any year Ruby's Time holds (Python's datetime stops at 1–9999)."""
        local = self.epoch + (self.offset or 0)
        days, rest = divmod(local, 86400)
        year, month, day = _civil_from_days(days)
        return year, month, day, rest // 3600, rest % 3600 // 60, rest % 60

    def to_datetime(self) -> _dt.datetime | None:
        """The instant as an aware datetime, or None outside Python's year range."""
        tz = _dt.timezone(_dt.timedelta(seconds=self.offset or 0))
        try:
            base = _dt.datetime.fromtimestamp(self.epoch, tz)
        except (OverflowError, OSError, ValueError):
            return None
        return base.replace(microsecond=self.usec)


class Unloadable(str):
    """A plain scalar that makes Psych ``safe_load`` raise; Jekyll then drops the front matter."""

    reason = "Psych raises an error reading it"


class PsychSymbol(Unloadable):
    """A scalar Psych would turn into a Ruby Symbol, which ``safe_load`` refuses."""

    reason = "it is a Ruby symbol to Psych, which Jekyll's safe YAML loader refuses"


Value = Union[None, bool, int, float, str, PsychTime, _dt.date]  # noqa: UP007 (a runtime alias)


@dataclass(frozen=True, slots=True)
class Scalar:
    span: Span
    text: str
    style: str | None
    tag: str | None
    value: Value
    anchor: str | None = None

    @property
    def plain(self) -> bool:
        return self.style is None


@dataclass(frozen=True, slots=True)
class Pair:
    key: Node
    value: Node


@dataclass(frozen=True, slots=True)
class Mapping:
    span: Span
    pairs: tuple[Pair, ...]
    tag: str | None
    flow: bool
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Sequence:
    span: Span
    items: tuple[Node, ...]
    tag: str | None
    flow: bool
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    span: Span
    name: str
    target: Node


Node = Union[Scalar, Mapping, Sequence, Alias]  # noqa: UP007 (a runtime alias)


class YamlError(Exception):
    """The front matter is not YAML Jekyll can read; carries the best position."""

    def __init__(self, message: str, offset: int, *, limit: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        #: True when the text may be valid YAML but exceeds a safety limit of epilint's.
        self.limit = limit


# --- Psych 4.0 ScalarScanner, ported --------------------------------------------------

#: Psych reads integers of any size (Ruby has bignums); epilint reads those of at most this
#: many decimal digits and reports larger ones as a safety limit: Python converts integers
#: to and from decimal text in quadratic time and refuses beyond 4300 digits.
MAX_INT_DIGITS = min(4300, sys.get_int_max_str_digits() or 4300)
_INT_BOUND = 10**MAX_INT_DIGITS


class IntegerTooLarge(Exception):
    """A plain scalar that Psych reads as an integer of more than ``MAX_INT_DIGITS`` digits."""


def whole_number(digits: str) -> int | None:
    """``int(digits)`` for ASCII digits, or None when there are too many of them to convert."""
    return int(digits) if len(digits) <= MAX_INT_DIGITS else None


def _bounded(number: int) -> int:
    if abs(number) >= _INT_BOUND:
        raise IntegerTooLarge(f"an integer of more than {MAX_INT_DIGITS} digits")
    return number


_RUBY_SPACE = " \t\n\v\f\r"
_STRINGLIKE = re.compile(
    r"[^0-9.:\-]?(?:[^\W\d]|[" + re.escape(_RUBY_SPACE + "!@#$%^&*(){}<>|/\\~;=") + r"])+"
)
_TIME = re.compile(
    r"-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t\n\v\f\r]+)[0-9]{1,2}:[0-9][0-9]:[0-9][0-9]"
    r"(?:\.[0-9]*)?(?:[ \t\n\v\f\r]*(?:Z|[-+][0-9]{1,2}:?(?:[0-9][0-9])?))?\Z"
)
_DATE = re.compile(r"[0-9]{4}-(?:1[012]|0[0-9]|[0-9])-(?:[12][0-9]|3[01]|0[0-9]|[0-9])\Z")
_POS_INF = re.compile(r"\+?\.inf\Z", re.IGNORECASE)
_NEG_INF = re.compile(r"-\.inf\Z", re.IGNORECASE)
_NAN = re.compile(r"\.nan\Z", re.IGNORECASE)
_SEXA_INT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\Z")
_SEXA_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?\Z")
_INTEGER = re.compile(
    r"(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)"
    r"|[-+]?0x[0-9a-fA-F_,]+)\Z"
)
_RUBY_INT_BODY = re.compile(r"([-+]?)(0[bB][01]+|0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0|[1-9][0-9]*)\Z")
_TIME_PARTS = re.compile(
    r"([0-9]+:[0-9]+:[0-9]+)(?:\.([0-9]*))?[ \t\n\v\f\r]*(Z|[-+][0-9]+(?::[0-9][0-9])?)?"
)
_TZ = re.compile(r"([+\-]?[0-9]{1,2}):?([0-9]{1,2})?\Z")


def tokenize(text: str) -> Value:
    """Resolve an untagged plain scalar exactly as Psych's ``ScalarScanner#tokenize``."""
    if not text:
        return None
    if _STRINGLIKE.match(text) or "\n" in text:
        if len(text) > 5:
            return text
        lower = text.lower()
        if lower[0] not in "ytonf~":
            return text
        if text == "~" or lower == "null":
            return None
        if lower in ("yes", "true", "on"):
            return True
        if lower in ("no", "false", "off"):
            return False
        return text
    if _TIME.match(text):
        return _parse_time(text)
    if _DATE.match(text):
        year, month, day = (int(part) for part in text.split("-"))
        try:
            return _dt.date(year, month, day)
        except ValueError:
            return text
    if _POS_INF.match(text):
        return math.inf
    if _NEG_INF.match(text):
        return -math.inf
    if _NAN.match(text):
        return math.nan
    if len(text) > 1 and text[0] == ":":
        return PsychSymbol(text)
    if _SEXA_INT.match(text):
        total: int = sum(_ruby_to_i(part) * 60 ** abs(i - 2) for i, part in enumerate(text.split(":")))
        return _bounded(total)
    if _SEXA_FLOAT.match(text):
        seconds = 0.0  # Ruby adds Floats one part at a time; so must we, to round the same way
        for i, part in enumerate(text.split(":")):
            seconds += _ruby_to_f(part) * 60 ** abs(i - 2)
        return seconds
    if _FLOAT.match(text):
        if re.fullmatch(r"[-+]?\.", text):
            return text
        cleaned = re.sub(r"\.([Ee]|$)", r"\1", text.replace(",", "").replace("_", ""))
        try:
            return float(cleaned)
        except ValueError:  # Ruby's Float() raises too (".e+3"), and Psych does not rescue it
            return Unloadable(text)
    if _INTEGER.match(text):
        number = _ruby_integer(text.replace(",", "").replace("_", ""))
        return Unloadable(text) if number is None else _bounded(number)  # Psych lets Integer() raise
    return text


def _ruby_to_i(text: str) -> int:
    """Ruby ``String#to_i``: the leading integer, underscores between digits allowed."""
    match = re.match(r"[-+]?[0-9]+(?:_[0-9]+)*", text)
    if match is None:
        return 0
    digits = match.group(0).replace("_", "")
    if len(digits.lstrip("+-")) > MAX_INT_DIGITS:
        raise IntegerTooLarge(f"an integer of more than {MAX_INT_DIGITS} digits")
    return int(digits)


def _ruby_to_f(text: str) -> float:
    """Ruby ``String#to_f``: the leading decimal number, underscores between digits allowed."""
    match = re.match(r"[-+]?[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?", text)
    return float(match.group(0).replace("_", "")) if match else 0.0


def _ruby_integer(text: str) -> int | None:
    """Ruby ``Integer(str)``: a leading ``0`` means octal; invalid input is None."""
    match = _RUBY_INT_BODY.match(text)
    if match is None:
        return None
    sign, body = match.groups()
    lowered = body.lower()
    if lowered.startswith("0b"):
        number = int(lowered[2:], 2)
    elif lowered.startswith("0x"):
        number = int(lowered[2:], 16)
    elif lowered.startswith("0o"):
        number = int(lowered[2:], 8)
    elif len(lowered) > 1 and lowered.startswith("0"):
        number = int(lowered[1:], 8)
    else:
        if len(lowered) > MAX_INT_DIGITS:
            raise IntegerTooLarge(f"an integer of more than {MAX_INT_DIGITS} digits")
        number = int(lowered)
    return -number if sign == "-" else number


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (any year)."""
    year -= month <= 2
    era = year // 400  # floor division: no adjustment for negative years
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """The inverse of ``_days_from_civil``: (year, month, day) of a day number."""
    days += 719468
    era = days // 146097  # floor division: no adjustment for negative days
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def _parse_time(text: str) -> Value:
    """Psych's ``parse_time``: the text itself where Ruby's ``Time`` raises ArgumentError
    (Psych rescues that), Unloadable where Psych's own parsing raises (it does not)."""
    pieces = re.split(r"[ tT]", text, maxsplit=1)
    if len(pieces) != 2:  # a tab between date and time: Psych calls a method on nil
        return Unloadable(text)
    date_part, time_part = pieces
    dmatch = re.match(r"(-?[0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", date_part)
    tmatch = _TIME_PARTS.search(time_part)
    if dmatch is None or tmatch is None:
        return Unloadable(text)
    year, month, day = (int(x) for x in dmatch.groups())
    hour, minute, second = (int(x) for x in tmatch.group(1).split(":"))
    # Ruby keeps the exact fraction (a Rational); its whole microseconds are its first six
    # digits, however many follow (no big number is built from them).
    usec = int((tmatch.group(2) or "").ljust(6, "0")[:6])
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 60):
        return text
    if hour > 24 or (hour == 24 and (minute or second or usec)):
        return text
    days = _days_from_civil(year, month, day)
    local = days * 86400 + hour * 3600 + minute * 60 + second
    zone = tmatch.group(3)
    if zone is None:
        return PsychTime(local, usec, None)
    if zone == "Z":
        return PsychTime(local, usec, 0)
    zmatch = _TZ.match(zone)
    if zmatch is None:  # Psych indexes into a nil match
        return Unloadable(text)
    hours = int(zmatch.group(1))
    minutes = int(zmatch.group(2) or 0)
    offset = hours * 3600 + (-minutes * 60 if hours * 3600 < 0 else minutes * 60)
    if not -86400 < offset < 86400:
        return text
    return PsychTime(local - offset, usec, offset)


# --- tags ----------------------------------------------------------------------------

_STR_TAGS = re.compile(r"(?:!(?:str|ruby/string)(?::.*)?|tag:yaml\.org,2002:str)\Z")
_FLOAT_TAGS = ("!float", "tag:yaml.org,2002:float")
_BINARY_TAGS = ("!binary", "tag:yaml.org,2002:binary")


def refused_tag(tag: str | None) -> str | None:
    """Why Psych's safe loader refuses a tag (a Ruby class Jekyll will not build), if it does."""
    if tag is None:
        return None
    for prefix in ("!ruby/", "tag:ruby.yaml.org,2002:"):
        if tag.startswith(prefix) and not _STR_TAGS.match(tag):
            return f"the tag `{tag}` asks for a Ruby object, which Jekyll's safe YAML loader refuses"
    return None


def resolve_scalar(text: str, style: str | None, tag: str | None) -> Value:
    """The Ruby value of one scalar event, as Psych ``safe_load`` builds it.

    Psych only keeps quoted text as-is when the scalar has no tag: an explicit tag makes
    LibYAML report the scalar as not implicitly quoted, so ``!!null ''`` is nil and
    ``!!int "12"`` is 12. A bare ``!`` is ignored like any unknown tag.
    """
    if tag is None:
        return text if style else tokenize(text)
    if _STR_TAGS.match(tag):
        return text
    if tag in _BINARY_TAGS:
        import base64
        import binascii

        try:
            return base64.b64decode(text, validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return text
    if tag in _FLOAT_TAGS:
        token = tokenize(text)
        if isinstance(token, (int, float)) and not isinstance(token, bool):
            try:
                return float(token)
            except OverflowError:  # Ruby's Float() of a bignum beyond the float range
                return math.inf if token > 0 else -math.inf
        return Unloadable(text)  # Ruby's Float() raises on anything else
    return tokenize(text)


# --- composing ------------------------------------------------------------------------

#: Upper bound on nodes in one front matter block; beyond it the file is hostile.
MAX_NODES = 1_000_000
#: Upper bound on nesting depth (LibYAML itself has no limit).
MAX_DEPTH = 500


def _index(event: Any) -> int:
    """Code-point offset where an event starts (both parsers count code points)."""
    return int(event.start_mark.index)


class _Composer:
    """Turn a parser's event stream into frozen nodes with spans; aliases stay aliases."""

    def __init__(self, text: str, base: int) -> None:
        self._text = text
        self._parser: Any = _Parser(text)
        self._base = base
        self._anchors: dict[str, Node] = {}
        self._count = 0

    def _span(self, start: Any, end: Any) -> Span:  # events: the C and Python parsers differ
        return Span(self._base + start.start_mark.index, self._base + end.end_mark.index)

    def _empty_value_span(self, index: int) -> Span:
        """An empty value sits after the key's ``: `` (LibYAML marks the colon's end)."""
        text = self._text
        while index < len(text) and text[index] in " \t":
            index += 1
        return Span(self._base + index, self._base + index)

    def document(self) -> Node | None:
        parser = self._parser
        parser.get_event()  # StreamStart
        if parser.check_event(events.StreamEndEvent):
            return None
        parser.get_event()  # DocumentStart
        node = self._node(parser.get_event(), 0)
        parser.get_event()  # DocumentEnd
        if not parser.check_event(events.StreamEndEvent):
            event = parser.peek_event()
            raise YamlError(
                "a second YAML document starts here; front matter holds exactly one",
                self._base + _index(event),
            )
        return node

    def _node(self, event: Any, depth: int) -> Node:
        """The node that starts with ``event`` (already taken from the parser)."""
        if depth > MAX_DEPTH:
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", self._base + _index(event), limit=True)
        self._count += 1
        if self._count > MAX_NODES:
            raise YamlError(f"more than {MAX_NODES} YAML nodes", self._base + _index(event), limit=True)
        if type(event) is events.AliasEvent:  # not isinstance: keeps the event typed Any
            name: str = event.anchor or ""
            target = self._anchors.get(name)
            if target is None:
                raise YamlError(
                    f"the alias `*{name}` names no anchor defined before it",
                    self._base + _index(event),
                )
            return Alias(self._span(event, event), name, target)
        node: Node
        if type(event) is events.ScalarEvent:
            tag = None if event.implicit[0] and event.tag is None else event.tag
            style = event.style or None
            span = self._span(event, event)
            if style is None and not event.value:
                span = self._empty_value_span(_index(event))
            try:
                value = resolve_scalar(event.value, style, tag)
            except IntegerTooLarge as exc:
                raise YamlError(str(exc), span.start, limit=True) from None
            node = Scalar(span, event.value, style, tag, value, event.anchor)
        elif type(event) is events.SequenceStartEvent:
            items: list[Node] = []
            get = self._parser.get_event
            end = get()
            while type(end) is not events.SequenceEndEvent:
                items.append(self._node(end, depth + 1))
                end = get()
            node = Sequence(
                self._span(event, end), tuple(items), event.tag, bool(event.flow_style), event.anchor
            )
        else:
            pairs: list[Pair] = []
            get = self._parser.get_event
            end = get()
            while type(end) is not events.MappingEndEvent:
                key = self._node(end, depth + 1)
                pairs.append(Pair(key, self._node(get(), depth + 1)))
                end = get()
            node = Mapping(
                self._span(event, end), tuple(pairs), event.tag, bool(event.flow_style), event.anchor
            )
        if event.anchor is not None:
            self._anchors[event.anchor] = node
        return node


def compose(text: str, base: int = 0) -> Node | None:
    """Parse one YAML document; spans are offset by ``base``. Raises YamlError."""
    composer = _Composer(text, base)
    try:
        return composer.document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # A construct left open is noticed only at the end of the block; point at its start.
        if exc.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
            mark = exc.context_mark
        offset = base + (mark.index if mark is not None else 0)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        raise YamlError(problem, offset) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).splitlines()[0] if str(exc) else "invalid YAML", base) from None
    except RecursionError:
        raise YamlError("nesting too deep to read", base, limit=True) from None


# --- the value Jekyll sees, as JSON -----------------------------------------------------


class ExpansionTooLarge(Exception):
    """Resolving aliases would build more than the allowed number of values."""


def to_json(node: Node | None, limit: int = 100_000) -> object:
    """The front matter as Jekyll's Ruby hash, mapped to JSON-compatible Python values.

    Times and dates are presented as their source text (the schema checks them with
    the ``jekyll-date`` format); keys are strings; merge keys (``<<``) are applied the
    way Psych applies them. Aliases are followed, but copying more than ``limit`` values
    through aliases raises ExpansionTooLarge instead of expanding a "billion laughs"
    document (values written out in the text do not count against the limit), and so
    does a value nested deeper than ``MAX_DEPTH`` once aliases are expanded. Built with
    an explicit stack: no depth of nesting reaches Python's recursion limit.
    """
    if node is None:
        return None
    budget = limit

    def start(item: Node, copied: bool, depth: int) -> tuple[object, _Building | None]:
        nonlocal budget
        while True:
            if copied:
                budget -= 1
                if budget < 0:
                    raise ExpansionTooLarge(f"expanding aliases builds more than {limit} values")
            if not isinstance(item, Alias):
                break
            item, copied = item.target, True
        if isinstance(item, Scalar):
            value = item.value
            return (item.text if isinstance(value, (PsychTime, _dt.date)) else value), None
        if depth > MAX_DEPTH:
            raise ExpansionTooLarge(
                f"the values nest deeper than {MAX_DEPTH} levels once aliases are expanded"
            )
        if isinstance(item, Sequence):
            return None, _Building(item, copied, depth, [])
        return None, _Building(item, copied, depth, {})

    value, frame = start(node, False, 0)
    if frame is None:
        return value
    stack = [frame]
    while True:
        top = stack[-1]
        child = top.next_child()
        if child is not None:
            value, sub = start(child, top.copied, top.depth + 1)
            if sub is None:
                top.deliver(value)
            else:
                stack.append(sub)
            continue
        stack.pop()
        if not stack:
            return top.result
        stack[-1].deliver(top.result)


class _Building:
    """One sequence or mapping of ``to_json`` being filled, child by child."""

    __slots__ = ("copied", "depth", "index", "node", "result")

    def __init__(
        self, node: Sequence | Mapping, copied: bool, depth: int, result: list[object] | dict[str, object]
    ):
        self.node = node
        self.copied = copied
        self.depth = depth
        self.result = result
        self.index = 0

    def next_child(self) -> Node | None:
        node = self.node
        if isinstance(node, Sequence):
            children: tuple[Node, ...] | tuple[Pair, ...] = node.items
        else:
            children = node.pairs
        if self.index >= len(children):
            return None
        child = children[self.index]
        self.index += 1
        return child.value if isinstance(child, Pair) else child

    def deliver(self, value: object) -> None:
        result = self.result
        if isinstance(result, list):
            result.append(value)
            return
        assert isinstance(self.node, Mapping)
        pair = self.node.pairs[self.index - 1]
        key = pair.key.target if isinstance(pair.key, Alias) else pair.key
        if isinstance(key, Scalar) and key.plain and key.text == "<<":
            sources = value if isinstance(value, list) else [value]
            if all(isinstance(source, dict) for source in sources):
                for source in sources:
                    assert isinstance(source, dict)
                    result.update(source)
                return
        result[key_text(pair.key)] = value


def key_text(node: Node) -> str:
    """A mapping key as the string Liquid templates would use to look it up."""
    target = node.target if isinstance(node, Alias) else node
    if isinstance(target, Scalar):
        value = target.value
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return ""
        if isinstance(value, (int, float)):
            return str(value)  # at most MAX_INT_DIGITS digits (larger ones are refused)
        return target.text
    return "<complex key>"


def iter_values(root: Node | None) -> list[tuple[tuple[str | int, ...], Scalar]]:
    """Every scalar in value position with its JSON path, in source order (aliases not followed)."""
    found: list[tuple[tuple[str | int, ...], Scalar]] = []
    stack: list[tuple[tuple[str | int, ...], Node]] = [] if root is None else [((), root)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, Scalar):
            found.append((path, node))
        elif isinstance(node, Sequence):
            stack.extend(((*path, i), item) for i, item in reversed(list(enumerate(node.items))))
        elif isinstance(node, Mapping):
            stack.extend(((*path, key_text(p.key)), p.value) for p in reversed(node.pairs))
    return found


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (the safe way to force a string)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def find_node(
    root: Node | None, path: tuple[str | int, ...], index: dict[int, dict[str, Pair]] | None = None
) -> tuple[Node | None, Node | None]:
    """The (key node, value node) at a JSON path in the YAML tree; last duplicate wins.

    ``index`` (kept by the caller for one tree) remembers each mapping's keys, so looking
    up many paths costs one pass over each mapping instead of one per path."""
    key: Node | None = None
    node = root
    for part in path:
        while isinstance(node, Alias):
            node = node.target
        if isinstance(node, Mapping) and isinstance(part, str):
            match = None
            if index is not None:
                keys = index.get(id(node))
                if keys is None:
                    keys = index[id(node)] = {key_text(pair.key): pair for pair in node.pairs}
                match = keys.get(part)
            else:
                for pair in node.pairs:
                    if key_text(pair.key) == part:
                        match = pair
            if match is None:
                return key, node
            key, node = match.key, match.value
        elif isinstance(node, Sequence) and isinstance(part, int) and part < len(node.items):
            key, node = None, node.items[part]
        else:
            return key, node
    return key, node
