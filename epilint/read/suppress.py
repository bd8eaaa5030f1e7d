"""Inline suppression comments, as written: what each one covers, and what looks like one.

Front matter: ``# epilint: disable=LN003,FM014`` on a line suppresses those codes on
that line; ``# epilint: disable-file=CODE`` anywhere in the front matter suppresses
them for the whole file. Body: ``<!-- epilint-disable-next-line LN004 -->`` and
``<!-- epilint-disable LN004 -->`` … ``<!-- epilint-enable LN004 -->``; an HTML
directive without codes applies to every rule. ``ALL`` names every rule. Codes match by
prefix (``LN`` covers LN003); EL findings (about the directives) only by naming EL.

A ``disable=``/``disable-file=`` that names nothing, an ``enable`` that ends no
``disable``, and comments that look like a directive but are not one (``# epilnt:
disable=…``, ``# epilint disable=…``, ``<!-- epilint-disable-nextline … -->``) suppress
nothing: they are recorded with their problem, for EL001 to report. Every directive
keeps its span and what deleting it (or one of its codes) would delete.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from epilint.model import Span
from epilint.read.document import Document

#: The empty prefix matches every code.
ALL: tuple[str, ...] = ("",)
#: The family of the rules about directives.
OWN_FAMILY = "EL"
#: The last line of a file-wide entry.
_END = 1 << 62

YAML_KINDS = ("disable", "disable-file")
HTML_KINDS = ("disable-next-line", "disable", "enable")

YAML_DIRECTIVE = re.compile(r"#[ \t]*epilint:[ \t]*(disable-file|disable)[ \t]*=[ \t]*([A-Za-z0-9_, \t]*)")
HTML_DIRECTIVE = re.compile(
    r"<!--[ \t]*epilint-(disable-next-line|disable|enable)(?![\w-])([A-Za-z0-9_, \t]*)-->"
)
# Comments that name epilint (or a word close to it): candidates for a misspelt directive.
_YAML_LOOKALIKE = re.compile(
    r"#[ \t]*([A-Za-z]{5,9})([ \t]*[:-])?[ \t]*([A-Za-z][A-Za-z-]*)?[ \t]*(=)?[^\n]*"
)
_HTML_LOOKALIKE = re.compile(
    r"<!--[ \t]*([A-Za-z]{5,9})[ \t]*[-:]?[ \t]*([A-Za-z][A-Za-z-]*)?[^\n]*?(?:-->|$)", re.M
)
_CODE = re.compile(r"[A-Za-z0-9_]+")

#: Directive problems (EL001 says each in its own words).
EMPTY = "empty"
MISSPELT = "misspelt"
ORPHAN = "orphan-enable"


def line_comment(codes: Iterable[str]) -> str:
    """The front-matter comment that suppresses ``codes`` on its line."""
    return f"# epilint: disable={','.join(codes)}"


def next_line_comment(codes: Iterable[str]) -> str:
    """The body comment that suppresses ``codes`` on the line after it."""
    return f"<!-- epilint-disable-next-line {' '.join(codes)} -->"


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


def prefix(code: str) -> str:
    """A directive's code as a prefix: ``ALL`` is every rule."""
    return "" if code == "ALL" else code


def parse(doc: Document) -> Suppressions:
    text = doc.text
    head = text[: doc.front_matter.end] if doc.front_matter is not None else ""
    if "epilint" not in text and "<!--" not in text and "#" not in head:
        return NONE
    found = _Parser(doc)
    if doc.front_matter is not None:
        found.front_matter(text[: doc.front_matter.end])
    found.body(doc.body.start)
    return Suppressions(tuple(found.directives), tuple(found.entries))


class _Parser:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.directives: list[Directive] = []
        self.entries: list[Entry] = []

    def line(self, offset: int) -> int:
        return self.doc.lines.position(offset)[0]

    def add(self, directive: Directive, covers: bool = True) -> int:
        index = len(self.directives)
        self.directives.append(directive)
        if covers and directive.problem is None:
            for number, code in enumerate(directive.codes):
                self.entries.append((directive.first, directive.last, prefix(code), index, number))
        return index

    # -- front matter -------------------------------------------------------------

    def front_matter(self, block: str) -> None:
        taken: list[tuple[int, int]] = []
        for match in YAML_DIRECTIVE.finditer(block):
            kind = match.group(1)
            codes, spans = _codes(match.group(2), match.start(2))
            span = Span(match.start(), self._directive_end(match))
            line = self.line(match.start())
            first, last = (1, _END) if kind == "disable-file" else (line, line)
            self.add(
                Directive(kind, codes, spans, span, self.removal(span), first, last, None if codes else EMPTY)
            )
            taken.append((match.start(), match.end()))
        self._lookalikes(_YAML_LOOKALIKE.finditer(block), taken, _yaml_meant)

    def _directive_end(self, match: re.Match[str]) -> int:
        """The end of a YAML directive without the blanks after its last code."""
        return match.start() + len(match.group(0).rstrip(" \t,"))

    # -- body ---------------------------------------------------------------------

    def body(self, start: int) -> None:
        text = self.text
        open_ranges: dict[str, tuple[int, int, int]] = {}  # code → (line, directive, code index)
        taken: list[tuple[int, int]] = []
        last_line = self.doc.lines.line_count
        for match in HTML_DIRECTIVE.finditer(text, start):
            taken.append((match.start(), match.end()))
            kind = match.group(1)
            codes, spans = _codes(match.group(2), match.start(2))
            span = Span(match.start(), match.end())
            line = self.line(match.start())
            end_line = self.line(match.end())
            listed = codes or ("ALL",)
            if kind == "disable-next-line":
                self.add(
                    Directive(
                        kind, listed, spans or (span,), span, self.removal(span), end_line + 1, end_line + 1
                    )
                )
            elif kind == "disable":
                index = self.add(
                    Directive(kind, listed, spans or (span,), span, self.removal(span), line, last_line),
                    False,
                )
                for number, code in enumerate(listed):
                    open_ranges.setdefault(code, (line, index, number))
            else:
                closed = False
                for code in listed:
                    if code == "ALL" and "ALL" not in open_ranges:
                        for open_code, opened in list(open_ranges.items()):
                            self._close(opened, open_code, line)
                            closed = True
                        open_ranges.clear()
                    elif code in open_ranges:
                        self._close(open_ranges.pop(code), code, line)
                        closed = True
                self.add(
                    Directive(kind, listed, spans or (span,), span, self.removal(span), line, line,
                              None if closed else ORPHAN),
                    False,
                )  # fmt: skip
        for code, opened in open_ranges.items():
            self._close(opened, code, last_line)
        self._lookalikes(_HTML_LOOKALIKE.finditer(text, start), taken, _html_meant)

    def _lookalikes(
        self,
        matches: Iterator[re.Match[str]],
        taken: list[tuple[int, int]],
        meant_by: Callable[[re.Match[str]], str | None],
    ) -> None:
        """Comments that look like a misspelt directive (outside the real ones, ``taken``)."""
        for match in matches:
            if any(a <= match.start() < b for a, b in taken):
                continue
            meant = meant_by(match)
            if meant is None:
                continue
            span = Span(match.start(), match.start() + len(match.group(0).rstrip()))
            line = self.line(match.start())
            self.add(
                Directive("disable", (), (), span, self.removal(span), line, line, MISSPELT, meant), False
            )

    def _close(self, opened: tuple[int, int, int], code: str, line: int) -> None:
        start, index, number = opened
        self.entries.append((start, line, prefix(code), index, number))
        directive = self.directives[index]
        if directive.last != line:  # the range's end, for messages
            self.directives[index] = _with_last(directive, max(line, directive.first))

    # -- spans --------------------------------------------------------------------

    def removal(self, span: Span) -> Span:
        """What deleting a directive deletes: its line when nothing else is on it, else
        the comment and the blanks before it (the blanks after it when text follows)."""
        text = self.text
        line_start = text.rfind("\n", 0, span.start) + 1
        line_end = text.find("\n", span.end)
        line_end = len(text) if line_end < 0 else line_end
        before, after = text[line_start : span.start], text[span.end : line_end]
        if not before.strip() and not after.strip():
            return Span(line_start, min(line_end + 1, len(text)))
        if not after.strip():
            start = span.start
            while start > line_start and text[start - 1] in " \t":
                start -= 1
            return Span(start, line_end - (1 if text[line_end - 1 : line_end] == "\r" else 0))
        end = span.end
        while end < line_end and text[end] in " \t":
            end += 1
        return Span(span.start, end)


def _with_last(directive: Directive, last: int) -> Directive:
    from dataclasses import replace

    return replace(directive, last=last)


def _codes(text: str, offset: int) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    codes: list[str] = []
    spans: list[Span] = []
    for match in _CODE.finditer(text):
        codes.append(match.group().upper())
        spans.append(Span(offset + match.start(), offset + match.end()))
    return tuple(codes), tuple(spans)


def _near(word: str, target: str) -> bool:
    from epilint.similar import edit_distance

    return edit_distance(word.lower(), target, 2) <= 2


def _yaml_meant(match: re.Match[str]) -> str | None:
    """The directive a front-matter comment that is not one probably meant, if any."""
    word, colon, kind, equals = match.group(1), match.group(2), match.group(3), match.group(4)
    if not _near(word, "epilint") or not (colon or equals):
        return None
    from epilint.similar import closest

    name = (kind or "").lower()
    meant = name if name in YAML_KINDS else closest(name, YAML_KINDS)
    if meant is None:
        if not equals:
            return None
        meant = "disable"
    last = next(g for g in (4, 3, 2, 1) if match.group(g) is not None)
    rest = match.string[match.end(last) : match.end()]
    codes = ",".join(c.upper() for c in _CODE.findall(rest.split("#")[0]))
    return f"# epilint: {meant}={codes}"


def _html_meant(match: re.Match[str]) -> str | None:
    word, kind = match.group(1), match.group(2) or ""
    if not _near(word, "epilint"):
        return None
    from epilint.similar import closest

    name = kind.lower()
    meant = closest(name, HTML_KINDS, limit=3)
    if meant is None:
        return None
    rest = match.string[match.end(2) : match.end()] if match.group(2) else ""
    codes = " ".join(c.upper() for c in _CODE.findall(rest.replace("-->", "")))
    return f"<!-- epilint-{meant} {codes} -->" if codes else f"<!-- epilint-{meant} -->"
