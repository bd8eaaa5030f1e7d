"""Checks a fixed text must pass before it may replace the original.

``structure`` compares one pass's input and output: the front matter is still there
and ends where the edits moved it, it parses the same way, every top-level key no edit
touched reads the same (Psych values via ``yaml11.to_json``), the final newline and
the CRLF line breaks are kept. ``introduced`` compares the first and last text: no
violation appears that was not there before (by code and the field it is on, so that
moving text does not count as a new finding). Each returns a reason, or None.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import accumulate

from epilint.model import Edit, Span, Violation
from epilint.read import yaml11
from epilint.read.document import Document

#: A line feed that is not part of a CRLF.
BARE_LF = re.compile(r"(?<!\r)\n")
_MISSING = object()


def structure(before: Document, after: Document, edits: Sequence[Edit]) -> str | None:
    if (before.front_matter is None) != (after.front_matter is None):
        return (
            "the fixed text would lose its front matter block"
            if after.front_matter is None
            else "the fixed text would gain a front matter block"
        )
    old_problem = before.problem.code if before.problem else None
    new_problem = after.problem.code if after.problem else None
    if old_problem != new_problem:
        assert after.problem is not None or before.problem is not None
        if after.problem is not None:
            return f"the fixed front matter would not parse ({after.problem.code}: {after.problem.message})"
        return "the fixes would change whether the front matter parses"
    if before.front_matter is not None and after.front_matter is not None:
        moved = shifted(before.front_matter.end, edits)
        if moved != after.front_matter.end:
            return "the fixes would move the end of the front matter"
    changed = _changed_keys(before, after, edits)
    if changed:
        names = ", ".join(f"`{name}`" for name in changed)
        return f"the fixes would change how Jekyll reads {names}, which no fix touched"
    if _ends_with_newline(before.text) != _ends_with_newline(after.text):
        return "the fixes would change whether the file ends with a line break"
    if "\r\n" in before.text and not BARE_LF.search(before.text) and BARE_LF.search(after.text):
        return "the fixes would put LF line breaks into a CRLF file"
    return None


def shifted(offset: int, edits: Sequence[Edit]) -> int | None:
    """Where ``offset`` lands after ``edits``; None when an edit spans it.

    An insertion exactly at ``offset`` goes after it (it belongs to what follows).
    """
    moved = offset
    for edit in edits:
        start, end = edit.span.start, edit.span.end
        if start < offset < end:
            return None
        if end < offset or (end == offset and start < offset):
            moved += len(edit.content) - (end - start)
    return moved


def new_spans(edits: Sequence[Edit]) -> list[Span]:
    """Where each edit's content sits in the edited text."""
    spans: list[Span] = []
    delta = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        start = edit.span.start + delta
        spans.append(Span(start, start + len(edit.content)))
        delta += len(edit.content) - (edit.span.end - edit.span.start)
    return spans


def _changed_keys(before: Document, after: Document, edits: Sequence[Edit]) -> list[str]:
    if not before.readable or not after.readable:
        return []
    touched = _touched(before, [e.span for e in edits]) | _touched(after, new_spans(edits))
    old, new = before.data, after.data
    names = [name for name in dict.fromkeys([*old, *new]) if name not in touched]
    return [name for name in names if repr(old.get(name, _MISSING)) != repr(new.get(name, _MISSING))]


def _touched(doc: Document, spans: Iterable[Span]) -> set[str]:
    """Top-level keys whose key or value an edit reaches (touching counts: insertions)."""
    root = doc.root
    if not isinstance(root, yaml11.Mapping):
        return set()
    ordered = sorted(spans)
    starts = [span.start for span in ordered]
    # the largest end among the spans starting at or before each index: a pair is touched
    # when a span starting at or before its end ends at or after its start
    reach = list(accumulate((span.end for span in ordered), max))
    names: set[str] = set()
    for pair in root.pairs:
        start, end = pair.key.span.start, max(pair.key.span.end, pair.value.span.end)
        count = bisect.bisect_right(starts, end)
        if count and reach[count - 1] >= start:
            names.add(yaml11.key_text(pair.key))
    return names


def _ends_with_newline(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def introduced(
    before: Document, old: Sequence[Violation], after: Document, new: Sequence[Violation]
) -> str | None:
    """A violation the fixes created: its code on a field (or in the body) more often than before."""
    extra = _keys(after, new) - _keys(before, old)
    if not extra:
        return None
    (code, where), _ = sorted(extra.items())[0]
    return f"the fixes would introduce {code} {where}"


def _keys(doc: Document, violations: Sequence[Violation]) -> Counter[tuple[str, str]]:
    where = _Places(doc)
    return Counter((v.code, where(v.span)) for v in violations)


def place(doc: Document, span: Span) -> str:
    """A position-independent name for where ``span`` is: a top-level field, or the body."""
    return _Places(doc)(span)


class _Places:
    """``place`` for many spans of one document: the top-level pairs are in source order,
    so the pair holding a span is found by bisection."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        root = doc.root
        self._pairs = root.pairs if isinstance(root, yaml11.Mapping) else ()
        self._starts = [pair.key.span.start for pair in self._pairs]

    def __call__(self, span: Span) -> str:
        doc = self._doc
        if doc.front_matter is None or span.start >= doc.front_matter.end:
            return "in the body"
        index = bisect.bisect_right(self._starts, span.start) - 1
        if index >= 0:
            pair = self._pairs[index]
            if span.end <= max(pair.key.span.end, pair.value.span.end):
                return f"on `{yaml11.key_text(pair.key)}`"
        return "in the front matter"
