"""``--add-suppressions``: a suppression comment for every finding (ruff's ``--add-noqa``).

For a finding on a front-matter line the line gets ``# epilint: disable=CODE`` (the codes
joined to a directive already there); on the ``---`` lines (a missing field sits on the
closing one) or on a line that cannot carry a comment (inside a multi-line value) the
front matter gets ``# epilint: disable-file=CODE`` as its first line; in the body the
finding's line gets ``<!-- epilint-disable-next-line CODE -->`` above it, indented like
it — unless a comment line there would split a kramdown table, when the code is
suppressed for the file instead. The comments are written by ``fix/suppression.py``, as
the editor's "suppress on this line" writes them. The new text must read the same (every
front-matter value unchanged) and, linted again, must have none of the file's findings
left and nothing new; otherwise the file is left as it was, and the reason is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from epilint.fix.engine import Checked, FilePlan, Lint, apply_edits, newline_of
from epilint.fix.suppression import body_edit, front_matter_edit
from epilint.lint.results import FileResult
from epilint.model import Edit, Span, Violation
from epilint.read.document import Document, LineIndex

#: Findings on suppression comments are not suppressed by more comments.
SKIP_FAMILY = "EL"


def plan(lint: Lint, original: Checked, result: FileResult) -> tuple[FilePlan, int]:
    """The file with a comment for each finding of ``result`` (the run's final result for
    it, collection findings included); and how many comments were added."""
    doc = original.document
    wanted = [v for v in result.violations if not v.code.startswith(SKIP_FAMILY)]
    if not wanted or (doc.problem is not None and doc.problem.code == "FM004"):
        return FilePlan(original, original), 0
    lines = doc.lines
    for file_wide in (False, True):
        edits, count = _edits(doc, lines, wanted, file_wide=file_wide)
        text = apply_edits(doc.text, edits)
        fixed = Document.parse(doc.path, text, bom=doc.bom)
        if _reads_the_same(doc, fixed):
            break
    else:
        return _untouched(original, "a comment would change how Jekyll reads the front matter"), 0
    checked = Checked(fixed, lint(fixed, original.result.display))
    before = {(v.code, v.message) for v in original.result.violations if v.code.startswith(SKIP_FAMILY)}
    left = [v for v in checked.result.violations if (v.code, v.message) not in before]
    if left:
        first = left[0]
        return _untouched(original, f"the comments would not suppress {first.code} (or would add one)"), 0
    return FilePlan(original, checked, tuple(wanted), 1), count


def _untouched(original: Checked, reason: str) -> FilePlan:
    return FilePlan(
        original, original, problem=f"no suppressions added: {reason}; the file is left untouched"
    )


def _reads_the_same(before: Document, after: Document) -> bool:
    if (before.front_matter is None) != (after.front_matter is None):
        return False
    if (before.problem is None) != (after.problem is None):
        return False
    return before.problem is not None or before.data == after.data


def _edits(
    doc: Document, lines: LineIndex, wanted: Sequence[Violation], *, file_wide: bool
) -> tuple[list[Edit], int]:
    """The insertions for ``wanted``; with ``file_wide``, every front-matter finding gets
    a file-wide directive (the fallback when a line comment would change a value)."""
    text = doc.text
    newline = newline_of(text)
    line_codes: dict[int, list[str]] = defaultdict(list)
    body_codes: dict[int, list[str]] = defaultdict(list)
    file_codes: list[str] = []
    fm = doc.front_matter
    closing = lines.position(doc.yaml_span.end)[0] if fm is not None and doc.yaml_span is not None else 0
    for v in wanted:
        line = lines.position(v.span.start)[0]
        if fm is not None and v.span.start < fm.end:
            if file_wide or line <= 1 or line >= closing:
                _append(file_codes, v.code)
            else:
                _append(line_codes[line], v.code)
        else:
            _append(body_codes[line], v.code)
    edits: list[Edit] = []
    for line, codes in line_codes.items():
        start, end = _line_bounds(text, lines, line)
        edits.append(front_matter_edit(text, start, end, codes))
    for line, codes in body_codes.items():
        start, end = _line_bounds(text, lines, line)
        found = body_edit(text, start, end, codes, newline)
        if found is None:  # next to a table row: suppressed for the file
            for code in codes:
                _append(file_codes, code)
        else:
            edits.append(found[0])
    if file_codes:
        at = text.find("\n") + 1
        edits.append(Edit(Span(at, at), f"# epilint: disable-file={','.join(file_codes)}{newline}"))
    count = len(line_codes) + len(body_codes) + bool(file_codes)
    return [e for e in edits if e.content], count


def _append(codes: list[str], code: str) -> None:
    if code not in codes:
        codes.append(code)


def _line_bounds(text: str, lines: LineIndex, line: int) -> tuple[int, int]:
    """Start and end (before the line break) of 1-based ``line``."""
    start = lines.offset(line)
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end
