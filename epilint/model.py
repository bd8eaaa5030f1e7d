"""Frozen records shared by every module: spans, edits, fixes and violations.

Positions inside epilint are 0-based code-point offsets into the decoded file text
(without a BOM). Line/column numbers are computed only at the output edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How bad a violation is: errors break the site or feed, warnings are fragile."""

    ERROR = "error"
    WARNING = "warning"


class Applicability(str, Enum):
    """How safe a fix is to apply without a person looking at it."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    SUGGESTION = "suggestion"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of code-point offsets into a file's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        """True when two edits at these spans could not both be applied in one pass."""
        return (self.start < other.end and other.start < self.end) or self.start == other.start


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` with ``content``: empty content deletes, an empty span inserts."""

    span: Span
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A titled group of edits that must be applied together, or not at all."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability

    @staticmethod
    def suggestion(title: str) -> Fix:
        return Fix(title, (), Applicability.SUGGESTION)

    @staticmethod
    def replace(title: str, span: Span, content: str, *, safe: bool = True) -> Fix:
        applicability = Applicability.SAFE if safe else Applicability.UNSAFE
        return Fix(title, (Edit(span, content),), applicability)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: the message, where, and how to fix it. The registry turns a
    finding into a ``Violation`` by adding the rule's code, name and severity."""

    message: str
    span: Span
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding of one rule in one file."""

    code: str
    rule: str
    message: str
    span: Span
    severity: Severity
    fix: Fix | None = None
