"""Line and column numbers of the offsets a file's report names.

Inside epilint every position is a code-point offset (``model.Span``); people and tools
read 1-based lines and columns. They are looked up while the text is at hand, for just
the offsets a report can show (violations, their fix edits, the collection summary's
spans), so a finished file result holds neither the text nor a whole line index: a run
over thousands of files keeps no documents in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from epilint.model import Span, Violation

if TYPE_CHECKING:
    from epilint.collection import Summary


class Locator(Protocol):
    """Anything that turns an offset into a 1-based (line, column): a ``LineIndex`` or
    a ``Positions`` table."""

    def position(self, offset: int) -> tuple[int, int]: ...


@dataclass(frozen=True, slots=True)
class Positions:
    """(line, column) of each offset a file's report names; asking for another is a bug."""

    table: dict[int, tuple[int, int]]

    def position(self, offset: int) -> tuple[int, int]:
        return self.table[offset]

    @staticmethod
    def of(lines: Locator, offsets: Iterable[int]) -> Positions:
        return Positions({offset: lines.position(offset) for offset in offsets})

    def to_json(self) -> list[int]:
        """Flat ``[offset, line, column, …]``, the plain-data form (cache, worker results)."""
        return [n for offset, (line, column) in self.table.items() for n in (offset, line, column)]

    @staticmethod
    def from_json(data: Any) -> Positions:
        """The inverse of ``to_json``; raises TypeError/ValueError on damaged data."""
        if not isinstance(data, list) or len(data) % 3 or not all(type(n) is int for n in data):
            raise TypeError("damaged positions")
        it = iter(data)
        return Positions({offset: (line, column) for offset, line, column in zip(it, it, it, strict=True)})


NOWHERE = Positions({})


def offsets(violations: Iterable[Violation], summary: Summary | None = None) -> Iterator[int]:
    """Every offset a report or the collection phase may ask ``Positions`` about."""
    for violation in violations:
        yield from _ends(violation.span)
        if violation.fix is not None:
            for edit in violation.fix.edits:
                yield from _ends(edit.span)
    if summary is not None:
        for span in (summary.number_span, summary.audio_span, summary.date_span):
            if span is not None:
                yield from _ends(span)


def _ends(span: Span) -> tuple[int, int]:
    return span.start, span.end
