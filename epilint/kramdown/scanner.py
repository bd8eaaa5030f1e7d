"""Ruby's ``StringScanner`` as kramdown uses it (``utils/string_scanner.rb``).

The scanner reads an ``MStr``'s text. Ruby's scanner matches as if its string started at
the scan position: ``^`` always matches there and a look-behind cannot see before it.
The patterns of ``patterns.py`` that are tried at the position (``check``, ``scan``) are
written without that leading ``^`` so Python's ``match`` behaves the same, including in
the middle of a line (kramdown goes on parsing blocks right after an HTML tag).
"""

from __future__ import annotations

import re
from typing import Protocol

from epilint.kramdown.mapped import MStr

Match = re.Match[str]


class Pattern(Protocol):
    """What the scanner tries at its position: a compiled pattern, or an object that
    matches like one (``patterns.Dual``, ``patterns.LazyLine``)."""

    def match(self, string: str, pos: int = ...) -> Match | None: ...


class Scanner:
    __slots__ = ("_last_close", "_next", "last", "mstr", "pos", "prev", "string")

    def __init__(self, mstr: MStr) -> None:
        self.mstr = mstr
        self.string = mstr.text
        self.pos = 0
        #: The last match (``@src[n]``, ``@src.matched``); None after a failed attempt.
        self.last: Match | None = None
        #: Where the last match began (``@src.pre_match`` is ``string[:prev]``).
        self.prev = 0
        self._last_close = -2
        self._next: dict[str, tuple[int, int]] = {}

    def eos(self) -> bool:
        return self.pos >= len(self.string)

    def check(self, pattern: Pattern) -> Match | None:
        found = pattern.match(self.string, self.pos)
        self.last = found
        if found is not None:
            self.prev = found.start()
        return found

    def scan(self, pattern: Pattern) -> Match | None:
        found = pattern.match(self.string, self.pos)
        self.last = found
        if found is not None:
            self.prev = found.start()
            self.pos = found.end()
        return found

    def scan_until(self, pattern: re.Pattern[str]) -> tuple[int, Match] | None:
        """Search from the position; on success move past the match and return where the
        skipped text began and the match (``scan_until`` returns that text and the match)."""
        found = pattern.search(self.string, self.pos)
        self.last = found
        if found is None:
            return None
        begin = self.pos
        self.prev = found.start()
        self.pos = found.end()
        return begin, found

    def getch(self) -> int:
        """Consume one character; returns its index."""
        index = self.pos
        self.pos += 1
        self.last = None
        return index

    def matched(self) -> str:
        return self.last.group(0) if self.last is not None else ""

    def group(self, index: int | str) -> str | None:
        if self.last is None:
            return None
        try:
            return self.last.group(index)
        except IndexError:
            return None

    def pre_match(self) -> str:
        return self.string[: self.prev]

    def last_close(self) -> int:
        """Index of the last ``]`` (-1 if none): a link cannot close after it."""
        if self._last_close == -2:
            self._last_close = self.string.rfind("]")
        return self._last_close

    def next_index(self, text: str, pos: int) -> int:
        """``string.find(text, pos)``, remembered: a later query between the last one's
        position and its answer has the same answer (so scanning forward costs one pass)."""
        known = self._next.get(text)
        if known is not None:
            since, found = known
            if since <= pos and (found < 0 or pos <= found):
                return found
        found = self.string.find(text, pos)
        self._next[text] = (pos, found)
        return found

    def terminate(self) -> None:
        self.pos = len(self.string)
