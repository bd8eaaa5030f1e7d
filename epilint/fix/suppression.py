"""The edit that suppresses one violation on its line, written in ``read/suppress.py``'s syntax.

In the front matter the line gets ``# epilint: disable=CODE`` at its end (or the code is
added to the directive already there); in the body a ``<!-- epilint-disable-next-line
CODE -->`` line goes above it (or the code joins the one already there). An HTML comment
is not shown on the page (kramdown passes it through), except that a comment line splits
a kramdown table: lines with a ``|`` next to the insertion get no body comment.

The edit is offered only when it is proven harmless and effective: the new text keeps its
front matter where it was, every front-matter value reads the same to Jekyll, the body's
links are the same, and the suppression comments of the new text silence the violation.
A violation that is the document's own problem (no front matter, unreadable YAML or bytes)
is about the whole file and gets no line suppression.
"""

from __future__ import annotations

import re

from epilint.fix.engine import apply_edits, newline_of
from epilint.links.extract import extract
from epilint.model import Edit, Span, Violation
from epilint.read import suppress
from epilint.read.document import Document

#: kramdown's ``TABLE_PIPE_CHECK``: a line with an unescaped ``|`` may be a table row.
_TABLE_PIPE = re.compile(r"(?:\||.*?[^\\\n]\|)")


def suppression(doc: Document, violation: Violation) -> Edit | None:
    """The edit suppressing ``violation`` on its line, or None when no line comment can."""
    if doc.problem is not None and doc.problem.span == violation.span and doc.problem.code == violation.code:
        return None
    text = doc.text
    offset = min(violation.span.start, len(text))
    start, end = line_bounds(text, offset)
    in_front_matter = doc.front_matter is not None and offset < doc.front_matter.end
    if in_front_matter:
        edit = front_matter_edit(text, start, end, [violation.code])
        moved = offset
    else:
        found = body_edit(text, start, end, [violation.code], newline_of(text))
        if found is None:
            return None
        edit, moved = found
        moved = offset + moved
    after = Document.parse(doc.path, apply_edits(text, [edit]), bom=doc.bom)
    if not _harmless(doc, after, edit):
        return None
    line = after.lines.position(moved)[0]
    suppressed = next(suppress.parse(after).matching(violation.code, line), None) is not None
    return edit if suppressed else None


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """The start of the line holding ``offset`` and the end of its text (before the break)."""
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    ends = [i for i in (text.find("\n", offset), text.find("\r", offset)) if i >= 0]
    return start, min(ends) if ends else len(text)


def front_matter_edit(text: str, start: int, end: int, codes: list[str]) -> Edit:
    """The edit that suppresses ``codes`` on the front-matter line ``start:end``: the codes
    join a ``disable=`` directive already on the line, else the line gets one at its end."""
    line = text[start:end]
    for match in suppress.YAML_DIRECTIVE.finditer(line):
        if match.group(1) == "disable":
            at = start + match.start(2) + len(match.group(2).rstrip())
            present = {c.strip().upper() for c in match.group(2).split(",")}
            added = [c for c in codes if c not in present]
            return Edit(Span(at, at), "".join(f",{c}" for c in added))
    at = start + len(line.rstrip(" \t"))
    return Edit(Span(at, end), f"  {suppress.line_comment(codes)}")


def body_edit(text: str, start: int, end: int, codes: list[str], newline: str) -> tuple[Edit, int] | None:
    """The edit that suppresses ``codes`` on the body line ``start:end`` (a
    ``disable-next-line`` comment above it, indented like it, or the codes joining the one
    there), and how far it moves the line; None next to a possible table row, which a
    comment line would split."""
    if _TABLE_PIPE.match(text[start:end]):
        return None
    if start > 0:
        before_start, before_end = line_bounds(text, start - 1)
        previous = text[before_start:before_end]
        for match in suppress.HTML_DIRECTIVE.finditer(previous):
            if match.group(1) == "disable-next-line":
                at = before_start + match.start(2) + len(match.group(2).rstrip())
                present = set(match.group(2).split())
                added = "".join(f" {c}" for c in codes if c not in present)
                return Edit(Span(at, at), added), len(added)
        if _TABLE_PIPE.match(previous):
            return None
    line = text[start:end]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    inserted = f"{indent}{suppress.next_line_comment(codes)}{newline}"
    if start == len(text) and text and not text.endswith(("\n", "\r")):
        inserted = newline + inserted
    return Edit(Span(start, start), inserted), len(inserted)


def _harmless(before: Document, after: Document, edit: Edit) -> bool:
    """The new text keeps its front matter in place, reads the same, and renders the same
    links (and bare URLs, and lost link syntax)."""
    if (before.front_matter is None) != (after.front_matter is None):
        return False
    if before.front_matter is not None and after.front_matter is not None:
        grown = len(edit.content) - (edit.span.end - edit.span.start)
        expected = before.front_matter.end + (grown if edit.span.start < before.front_matter.end else 0)
        if after.front_matter.end != expected:
            return False
    if (before.problem is None) != (after.problem is None) or before.readable != after.readable:
        return False
    if repr(before.data) != repr(after.data):
        return False
    return _shape(before) == _shape(after)


def _shape(doc: Document) -> tuple[list[str], list[str], list[str]]:
    """What the page links, shows as bare URLs and shows as lost link syntax."""
    page = extract(doc)
    return (
        [link.target for link in page.links],
        [url.url for url in page.bare],
        [lost.text for lost in page.lost],
    )
