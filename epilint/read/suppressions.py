"""The records of a file's suppression comments, without the parser (a leaf: it imports
only ``model``): each ``Directive`` as written, and the file's ``Suppressions`` — which
codes are suppressed on which lines. ``read/suppress.py`` finds them in a document; the
result records, the results cache and the rules read them from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from epilint.model import Span

#: The family of the rules about directives.
OWN_FAMILY = "EL"

#: Directive problems (EL001 says each in its own words).
EMPTY = "empty"
MISSPELT = "misspelt"
ORPHAN = "orphan-enable"


@dataclass(frozen=True, slots=True)
class Directive:
    """One suppression comment (or something written as one)."""

    kind: str
    #: The codes as written (upper case; ``ALL`` for every rule), and each one's span.
    codes: tuple[str, ...]
    code_spans: tuple[Span, ...]
    #: The comment's text, and what deleting it deletes (its line, when it is alone there).
    span: Span
    removal: Span
    #: Lines it covers (1-based, inclusive); for an ``enable``, its own line.
    first: int
    last: int
    problem: str | None = None
    #: For a misspelt directive: the text it probably meant.
    meant: str | None = None

    @property
    def file_wide(self) -> bool:
        return self.kind == "disable-file"

    def code_removal(self, index: int) -> Span:
        """The span deleting code ``index`` alone (with its comma) deletes."""
        spans = self.code_spans
        if len(spans) == 1:
            return self.removal
        if index + 1 < len(spans):
            return Span(spans[index].start, spans[index + 1].start)
        return Span(spans[index - 1].end, spans[index].end)

    def to_json(self) -> list[Any]:
        return [
            self.kind, list(self.codes), [[s.start, s.end] for s in self.code_spans],
            [self.span.start, self.span.end], [self.removal.start, self.removal.end],
            self.first, self.last, self.problem, self.meant,
        ]  # fmt: skip

    @staticmethod
    def from_json(data: Any) -> Directive:
        kind, codes, code_spans, span, removal, first, last, problem, meant = data
        return Directive(
            _text(kind), _strings(codes), tuple(_span(s) for s in code_spans), _span(span), _span(removal),
            _int(first), _int(last), _optional(problem), _optional(meant),
        )  # fmt: skip


#: (first line, last line, prefix, directive index, code index) of one suppressing code.
Entry = tuple[int, int, str, int, int]


@dataclass(frozen=True)
class Suppressions:
    directives: tuple[Directive, ...] = ()
    entries: tuple[Entry, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.directives)

    def matching(self, code: str, line: int) -> Iterator[int]:
        """Indices of the entries that suppress ``code`` on ``line``."""
        return iter(self.matching_many([(code, line)])[0])

    def matching_many(self, items: Sequence[tuple[str, int]]) -> list[list[int]]:
        """For each (code, line), the indices of the entries that suppress it, in
        O((n + r) log r) for n items and r entries: one sweep over the lines, with the
        entries open there grouped by code prefix (a page with thousands of comments and
        findings never compares every pair). Findings about the directives themselves
        (``EL``) are suppressed only by naming them: ``ALL`` or ``E`` would otherwise hide
        the report that they suppress nothing."""
        import heapq

        entries = self.entries
        starts = sorted(range(len(entries)), key=lambda i: entries[i][0])
        order = sorted(range(len(items)), key=lambda i: items[i][1])
        answers: list[list[int]] = [[] for _ in items]
        open_heap: list[tuple[int, int]] = []  # (last line, entry index)
        by_prefix: dict[str, set[int]] = {}
        taken = 0
        for index in order:
            code, line = items[index]
            while taken < len(starts) and entries[starts[taken]][0] <= line:
                entry = starts[taken]
                heapq.heappush(open_heap, (entries[entry][1], entry))
                by_prefix.setdefault(entries[entry][2], set()).add(entry)
                taken += 1
            while open_heap and open_heap[0][0] < line:
                _last, closed = heapq.heappop(open_heap)
                by_prefix[entries[closed][2]].discard(closed)
            own = code.startswith(OWN_FAMILY)
            found: list[int] = []
            for k in range(len(code) + 1):
                prefix = code[:k]
                if own and not prefix.startswith(OWN_FAMILY):
                    continue
                found.extend(by_prefix.get(prefix, ()))
            answers[index] = sorted(found)
        return answers

    def spans(self) -> Iterator[Span]:
        """Every span a report about these directives may name."""
        for directive in self.directives:
            yield directive.span
            yield directive.removal
            yield from directive.code_spans
            for index in range(len(directive.codes)):
                yield directive.code_removal(index)

    def to_json(self) -> list[Any] | None:
        """Plain data (results cache, worker results); None for no directives at all."""
        if not self:
            return None
        return [[d.to_json() for d in self.directives], [list(e) for e in self.entries]]

    @staticmethod
    def from_json(data: Any) -> Suppressions:
        """The inverse of ``to_json``; raises TypeError/ValueError on damaged data."""
        if data is None:
            return NONE
        directives, entries = data
        loaded = tuple(Directive.from_json(d) for d in directives)
        rows = tuple((_int(a), _int(b), _text(p), _int(d), _int(c)) for a, b, p, d, c in entries)
        if any(d >= len(loaded) or c >= len(loaded[d].codes) for *_x, d, c in rows):
            raise ValueError("damaged suppressions")
        return Suppressions(loaded, rows)


NONE = Suppressions()


def _strings(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise TypeError("damaged suppressions")
    return tuple(items)


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("damaged suppressions")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _text(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("damaged suppressions")
    return value


def _span(value: Any) -> Span:
    start, end = value
    return Span(_int(start), _int(end))
