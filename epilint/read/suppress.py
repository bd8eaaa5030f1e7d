"""Inline suppression comments.

Front matter: ``# epilint: disable=LN003,FM014`` on a line suppresses those codes on
that line; ``# epilint: disable-file=CODE`` anywhere in the front matter suppresses
them for the whole file. Body: ``<!-- epilint-disable-next-line LN004 -->`` and
``<!-- epilint-disable LN004 -->`` … ``<!-- epilint-enable LN004 -->``. A directive
without codes applies to every rule. Codes match by prefix (``LN`` covers LN003).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from epilint.model import Violation
from epilint.read.document import Document

_YAML_DIRECTIVE = re.compile(r"#\s*epilint:\s*(disable|disable-file)\s*=\s*([A-Za-z0-9_, ]*)")
_HTML_DIRECTIVE = re.compile(r"<!--\s*epilint-(disable-next-line|disable|enable)\b([A-Za-z0-9_, ]*)-->")

#: The empty prefix matches every code.
ALL: tuple[str, ...] = ("",)


def _codes(text: str) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in re.split(r"[,\s]+", text) if c.strip())
    return codes or ALL


@dataclass(frozen=True)
class Suppressions:
    file_codes: tuple[str, ...] = ()
    #: (first line, last line, codes), 1-based and inclusive.
    ranges: tuple[tuple[int, int, tuple[str, ...]], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.file_codes or self.ranges)

    def allows(self, violation: Violation, line: int) -> bool:
        if _matches(violation.code, self.file_codes):
            return False
        return not any(
            first <= line <= last and _matches(violation.code, codes) for first, last, codes in self.ranges
        )

    def allowed(self, items: Sequence[tuple[str, int]]) -> list[bool]:
        """``allows`` for many (code, line) pairs at once, in O((n + r) log r): one sweep
        over the lines with the ranges open there counted by code prefix (a page with
        thousands of ranges and violations never compares every pair)."""
        import heapq

        ranges = sorted(self.ranges, key=lambda r: r[0])
        order = sorted(range(len(items)), key=lambda i: items[i][1])
        answers = [True] * len(items)
        open_ranges: list[tuple[int, int]] = []  # (last, index into ranges)
        counts: dict[str, int] = {}
        taken = 0
        for index in order:
            code, line = items[index]
            while taken < len(ranges) and ranges[taken][0] <= line:
                heapq.heappush(open_ranges, (ranges[taken][1], taken))
                for prefix in ranges[taken][2]:
                    counts[prefix] = counts.get(prefix, 0) + 1
                taken += 1
            while open_ranges and open_ranges[0][0] < line:
                _last, closed = heapq.heappop(open_ranges)
                for prefix in ranges[closed][2]:
                    counts[prefix] -= 1
            if _matches(code, self.file_codes) or any(counts.get(code[:k]) for k in range(len(code) + 1)):
                answers[index] = False
        return answers

    def to_json(self) -> list[Any] | None:
        """Plain data (results cache, worker results); None for no suppressions at all."""
        if not self:
            return None
        return [list(self.file_codes), [[first, last, list(codes)] for first, last, codes in self.ranges]]

    @staticmethod
    def from_json(data: Any) -> Suppressions:
        """The inverse of ``to_json``; raises TypeError/ValueError on damaged data."""
        if data is None:
            return NONE
        file_codes, ranges = data
        loaded = tuple((int(first), int(last), _strings(codes)) for first, last, codes in ranges)
        return Suppressions(_strings(file_codes), loaded)


NONE = Suppressions()


def _strings(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise TypeError("damaged suppressions")
    return tuple(items)


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


def parse(doc: Document) -> Suppressions:
    text = doc.text
    if "epilint" not in text:
        return NONE
    lines = doc.lines
    file_codes: list[str] = []
    ranges: list[tuple[int, int, tuple[str, ...]]] = []
    if doc.front_matter is not None:
        block = text[: doc.front_matter.end]
        for match in _YAML_DIRECTIVE.finditer(block):
            codes = _codes(match.group(2))
            if match.group(1) == "disable-file":
                file_codes.extend(codes)
            else:
                line = lines.position(match.start())[0]
                ranges.append((line, line, codes))
    open_ranges: dict[str, int] = {}
    last_line = lines.line_count
    for match in _HTML_DIRECTIVE.finditer(text, doc.body.start):
        kind, codes = match.group(1), _codes(match.group(2))
        line = lines.position(match.start())[0]
        end_line = lines.position(match.end())[0]
        if kind == "disable-next-line":
            ranges.append((end_line + 1, end_line + 1, codes))
        elif kind == "disable":
            for code in codes:
                open_ranges.setdefault(code, line)
        else:
            for code in codes:
                if code == "":
                    for open_code, start in list(open_ranges.items()):
                        ranges.append((start, line, (open_code,)))
                    open_ranges.clear()
                elif code in open_ranges:
                    ranges.append((open_ranges.pop(code), line, (code,)))
    for code, start in open_ranges.items():
        ranges.append((start, last_line, (code,)))
    return Suppressions(tuple(file_codes), tuple(ranges))
