"""Line and column numbers of the offsets a file's report names.

Inside epilint every position is a code-point offset (``model.Span``); people and tools
read 1-based lines and columns. They are looked up while the text is at hand, for just
the offsets a report can show (violations, their fix edits, the collection summary's
spans), so a finished file result holds neither the text nor a whole line index: a run
over thousands of files keeps no documents in memory.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from epilint.model import Span, Violation


class Locator(Protocol):
    """Anything that turns an offset into a 1-based (line, column): a ``LineIndex`` or
    a ``Positions`` table."""

    def position(self, offset: int) -> tuple[int, int]: ...


@dataclass(frozen=True, slots=True)
class Positions:
    """(line, column) of each offset a file's report names; asking for another is a bug.

    Three parallel arrays of machine integers, sorted by offset: a few hundred bytes
    per file however many thousand files a run holds.
    """

    offsets: array[int]
    lines: array[int]
    columns: array[int]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self.offsets, offset)
        if index == len(self.offsets) or self.offsets[index] != offset:
            raise KeyError(offset)
        return self.lines[index], self.columns[index]

    @staticmethod
    def of(lines: Locator, offsets: Iterable[int]) -> Positions:
        known = sorted(set(offsets))
        found = [lines.position(offset) for offset in known]
        return Positions(
            array("q", known), array("q", (f[0] for f in found)), array("q", (f[1] for f in found))
        )

    def to_json(self) -> list[int]:
        """Flat ``[offset, line, column, …]``, the plain-data form (cache, worker results)."""
        return [n for triple in zip(self.offsets, self.lines, self.columns, strict=True) for n in triple]

    @staticmethod
    def from_json(data: Any) -> Positions:
        """The inverse of ``to_json``; raises TypeError/ValueError on damaged data."""
        if not isinstance(data, list) or len(data) % 3 or not {*map(type, data)} <= {int}:
            raise TypeError("damaged positions")
        known = data[0::3]
        if known != sorted(set(known)):  # strictly increasing
            raise ValueError("positions out of order")
        return Positions(array("q", known), array("q", data[1::3]), array("q", data[2::3]))


NOWHERE = Positions(array("q"), array("q"), array("q"))


def offsets(violations: Iterable[Violation], spans: Iterable[Span] = ()) -> Iterator[int]:
    """Every offset a report or the collection phase may ask ``Positions`` about: the
    violations' and their fixes', and ``spans`` (those a collection summary names)."""
    for violation in violations:
        yield from _ends(violation.span)
        if violation.fix is not None:
            for edit in violation.fix.edits:
                yield from _ends(edit.span)
    for span in spans:
        yield from _ends(span)


def _ends(span: Span) -> tuple[int, int]:
    return span.start, span.end
