"""Which front-matter keys a value was read from, and which template line printed it.

While a ``{{ output }}`` is evaluated, every ``post.KEY`` lookup is recorded in the open
frames (a stack: captures and outputs nest). The output then writes its text between
*emission markers* that name an ``Emission`` (template, line, keys read); template text
is preceded by a *line marker* (template, line). ``predict`` strips both kinds from the
rendered page and keeps, for every offset of the clean text, where it came from.
"""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass, field

EMIT_OPEN = "\ue000"
EMIT_MID = "\ue001"
EMIT_CLOSE = "\ue002"
LINE_OPEN = "\ue003"
LINE_CLOSE = "\ue004"
_MARKERS = re.compile("\ue000[0-9]+\ue001|\ue002|\ue003[0-9]+\ue004")


@dataclass(frozen=True, slots=True)
class KeyRead:
    """``post.KEY`` read while computing a value: which document, which key."""

    document: str
    key: str


@dataclass(frozen=True, slots=True)
class Emission:
    """One ``{{ }}`` output: where it is and what it read."""

    template: str
    line: int
    reads: tuple[KeyRead, ...]
    #: The output's source text (``post.title | xml_escape``).
    expression: str
    #: The names of its filters, in order (``("xml_escape",)``).
    filters: tuple[str, ...] = ()


@dataclass
class Trace:
    """The emissions and template positions of one render."""

    emissions: list[Emission] = field(default_factory=list)
    lines: list[tuple[str, int]] = field(default_factory=list)
    frames: list[set[KeyRead]] = field(default_factory=list)
    unframed_clock: bool = False

    def read(self, document: str, key: str) -> None:
        if self.frames:
            entry = KeyRead(document, key)
            for frame in self.frames:
                frame.add(entry)

    def clock(self) -> None:
        """The build's clock was read (``site.time``, ``"now" | date``): a value being
        computed depends on it; outside any output (a tag's condition) the whole render
        does (``unframed_clock``)."""
        if self.frames:
            self.read("_config.yml", "time")
        else:
            self.unframed_clock = True

    def open_frame(self) -> set[KeyRead]:
        frame: set[KeyRead] = set()
        self.frames.append(frame)
        return frame

    def close_frame(self) -> None:
        self.frames.pop()

    def emit(self, emission: Emission, text: str) -> str:
        index = len(self.emissions)
        self.emissions.append(emission)
        return f"{EMIT_OPEN}{index}{EMIT_MID}{text}{EMIT_CLOSE}"

    def line_marker(self, template: str, line: int) -> str:
        self.lines.append((template, line))
        return f"{LINE_OPEN}{len(self.lines) - 1}{LINE_CLOSE}"


_TRACE: contextvars.ContextVar[Trace] = contextvars.ContextVar("epilint_feed_trace")


def current_trace() -> Trace:
    try:
        return _TRACE.get()
    except LookupError:
        trace = Trace()
        _TRACE.set(trace)
        return trace


def use_trace(trace: Trace) -> contextvars.Token[Trace]:
    return _TRACE.set(trace)


def reset_trace(token: contextvars.Token[Trace]) -> None:
    _TRACE.reset(token)


def strip_markers(text: str) -> tuple[str, set[int]]:
    """``text`` without emission and line markers, and the emissions it held."""
    found: set[int] = set()
    if EMIT_OPEN not in text and LINE_OPEN not in text and EMIT_CLOSE not in text:
        return text, found

    def drop(match: re.Match[str]) -> str:
        marker = match.group(0)
        if marker.startswith(EMIT_OPEN):
            found.add(int(marker[1:-1]))
        return ""

    return _MARKERS.sub(drop, text), found


class TracedStr(str):
    """A string (a ``capture``) that remembers the emissions and key reads it came from."""

    emissions: frozenset[int]
    reads: frozenset[KeyRead]

    def __new__(cls, text: str, emissions: frozenset[int], reads: frozenset[KeyRead]) -> TracedStr:
        made = super().__new__(cls, text)
        made.emissions = emissions
        made.reads = reads
        return made


@dataclass(frozen=True)
class Located:
    """Where each offset of the clean text came from."""

    text: str
    #: (start, end, emission index) of each emission's text in the clean text.
    spans: tuple[tuple[int, int, int], ...]
    #: (offset, template, line) at each line marker.
    anchors: tuple[tuple[int, str, int], ...]


def locate(rendered: str, trace: Trace) -> Located:
    """Strip the markers of ``rendered``, keeping emission spans and line anchors."""
    out: list[str] = []
    size = 0
    spans: list[tuple[int, int, int]] = []
    anchors: list[tuple[int, str, int]] = []
    stack: list[tuple[int, int]] = []
    last = 0
    for match in _MARKERS.finditer(rendered):
        chunk = rendered[last : match.start()]
        out.append(chunk)
        size += len(chunk)
        marker = match.group(0)
        if marker.startswith(EMIT_OPEN):
            stack.append((int(marker[1:-1]), size))
        elif marker == EMIT_CLOSE:
            if stack:
                index, start = stack.pop()
                spans.append((start, size, index))
        else:
            template, line = trace.lines[int(marker[1:-1])]
            anchors.append((size, template, line))
        last = match.end()
    out.append(rendered[last:])
    return Located("".join(out), tuple(sorted(spans)), tuple(anchors))
