"""The one fix engine: choose non-overlapping fixes, apply them, re-lint, repeat, verify.

Rules only return ``Fix`` data; nothing else in epilint changes a file. A run is two
steps so that nothing is written before every file has been judged:

``plan_file`` takes a linted document, applies the fixes allowed by the requested
applicability in passes (each pass takes the non-overlapping fixes, first by position,
and re-lints the new text through the same lint function the run uses, as ruff's
``lint_fix`` re-lints through ``check_path``) until nothing is left to apply, and
verifies the result (``verify``). ``apply`` then writes the files whose text changed
(``writer``), or ``diff`` renders what would change. A file whose fixes fail verification, do not settle,
or changed on disk meanwhile is left exactly as it was, and the reason is reported.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from epilint.fix import verify, writer
from epilint.lint.results import FileResult
from epilint.model import Applicability, Edit, Fix, Span, Violation
from epilint.read.document import Document

#: Lints one document as the run does: ``(document, displayed path) -> result``.
Lint = Callable[[Document, str], FileResult]

#: Fixes that keep producing new fixes after this many passes are a rule conflict.
MAX_PASSES = 10


def applies(fix: Fix | None, *, unsafe: bool) -> bool:
    """True when ``fix`` is applied: SAFE always, UNSAFE with ``unsafe``, SUGGESTION never."""
    if fix is None or not fix.edits:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


@dataclass(frozen=True)
class Chosen:
    """One fix picked for a pass, and every violation it resolves (identical fixes merge)."""

    fix: Fix
    violations: tuple[Violation, ...]


def choose(violations: Iterable[Violation], length: int, *, unsafe: bool) -> list[Chosen]:
    """The fixes of one pass: applicable, well-formed, and not overlapping an earlier one.

    Fixes are taken in order of their first edit; a fix that overlaps one already taken
    waits for the next pass (all of its edits, or none). A fix identical to a taken one
    (two rules proposing the same edits) is applied once and resolves both violations.
    """
    candidates = [v for v in violations if applies(v.fix, unsafe=unsafe) and _well_formed(v.fix, length)]
    candidates.sort(key=_order)
    chosen: list[tuple[Fix, list[Violation]]] = []
    by_edits: dict[tuple[Edit, ...], list[Violation]] = {}
    taken = _Taken()
    for violation in candidates:
        fix = violation.fix
        assert fix is not None
        same = by_edits.get(fix.edits)
        if same is not None:
            same.append(violation)
            continue
        if any(taken.overlaps(e.span) for e in fix.edits):
            continue
        group = [violation]
        chosen.append((fix, group))
        by_edits[fix.edits] = group
        for edit in fix.edits:
            taken.add(edit.span)
    return [Chosen(fix, tuple(group)) for fix, group in chosen]


class _Taken:
    """The spans of the edits taken in a pass, sorted, to ask "does this span overlap one
    of them?" in O(log n) (``Span.overlaps``: intersecting, or starting at the same offset).

    The taken spans never overlap each other, so sorted by start they are sorted by end
    too; a span can only overlap its neighbours in that order."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._spans: list[Span] = []

    def overlaps(self, span: Span) -> bool:
        index = bisect.bisect_left(self._starts, span.start)
        return any(
            self._spans[i].overlaps(span) for i in (index - 1, index, index + 1) if 0 <= i < len(self._spans)
        )

    def add(self, span: Span) -> None:
        index = bisect.bisect_left(self._starts, span.start)
        self._starts.insert(index, span.start)
        self._spans.insert(index, span)


def _order(violation: Violation) -> tuple[int, int, str]:
    assert violation.fix is not None
    edits = violation.fix.edits
    return (min(e.span.start for e in edits), max(e.span.end for e in edits), violation.code)


def _well_formed(fix: Fix | None, length: int) -> bool:
    """Edits inside the text that do not overlap each other (a rule bug otherwise)."""
    if fix is None:
        return False
    spans = sorted(e.span for e in fix.edits)
    if any(span.end > length for span in spans):
        return False
    return not any(a.overlaps(b) for a, b in pairwise(spans))


def newline_of(text: str) -> str:
    """The file's line break: CRLF when its first line break is CRLF, else LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def adapt(edit: Edit, newline: str) -> Edit:
    """``edit`` with its line breaks written in the file's style (no bare LF in CRLF files)."""
    if newline == "\n" or "\n" not in edit.content:
        return edit
    return Edit(edit.span, verify.BARE_LF.sub("\r\n", edit.content))


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied.

    Each edit's span indexes the original text; building the result left to right from
    the untouched slices is the same as applying the edits in reverse order.
    """
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        pieces.append(text[position : edit.span.start])
        pieces.append(edit.content)
        position = edit.span.end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass(frozen=True)
class Checked:
    """A document and its lint result, kept together while the fixer rewrites the text."""

    document: Document
    result: FileResult


@dataclass(frozen=True)
class FilePlan:
    """What fixing one file would do; ``after`` is the original text when it stays untouched."""

    original: Checked
    #: The fixed text and its result (the original when nothing changes).
    fixed: Checked
    applied: tuple[Violation, ...] = ()
    passes: int = 0
    #: Why the file is left untouched although fixes were available.
    problem: str | None = None

    @property
    def result(self) -> FileResult:
        return self.fixed.result

    @property
    def changed(self) -> bool:
        return self.problem is None and self.fixed.document.text != self.original.document.text

    @property
    def before(self) -> str:
        return self.original.document.text

    @property
    def after(self) -> str:
        return self.fixed.document.text if self.changed else self.before


def plan_file(lint: Lint, original: Checked, *, unsafe: bool) -> FilePlan:
    """Apply the fixes of an already linted file in passes until none is left (nothing
    is written); each fixed text is linted again with ``lint``."""
    doc = original.document
    if doc.problem is not None and doc.problem.code == "FM004":
        return FilePlan(original, original)  # never rewrite what could not be read as UTF-8
    newline = newline_of(doc.text)
    display = original.result.display
    current = original
    applied: list[Violation] = []
    for passes in range(MAX_PASSES + 1):
        chosen = choose(current.result.violations, len(current.document.text), unsafe=unsafe)
        if not chosen:
            break
        if passes == MAX_PASSES:
            return _untouched(
                original,
                f"the fixes did not settle after {MAX_PASSES} passes (still proposing {_codes(chosen)})",
            )
        edits = [adapt(edit, newline) for c in chosen for edit in c.fix.edits]
        text = apply_edits(current.document.text, edits)
        if text == current.document.text:
            break
        fixed = Document.parse(doc.path, text, bom=doc.bom)
        problem = verify.structure(current.document, fixed, edits)
        if problem is not None:
            return _untouched(original, f"{problem} (after fixing {_codes(chosen)})")
        current = Checked(fixed, lint(fixed, display))
        applied.extend(v for c in chosen for v in c.violations)
    if not applied:
        return FilePlan(original, original)
    problem = verify.introduced(
        original.document, original.result.violations, current.document, current.result.violations
    )
    if problem is not None:
        return _untouched(original, problem)
    return FilePlan(original, current, tuple(applied), passes)


def _untouched(original: Checked, problem: str) -> FilePlan:
    return FilePlan(original, original, problem=f"not fixed: {problem}; the file is left untouched")


def _codes(chosen: Sequence[Chosen]) -> str:
    return ", ".join(sorted({v.code for c in chosen for v in c.violations}))


@dataclass(frozen=True)
class Plan:
    files: tuple[FilePlan, ...]

    @property
    def changed(self) -> tuple[FilePlan, ...]:
        return tuple(f for f in self.files if f.changed)

    @property
    def problems(self) -> tuple[tuple[str, str], ...]:
        """(display path, reason) for each file left untouched although fixes existed."""
        return tuple((f.original.result.display, f.problem) for f in self.files if f.problem)


@dataclass(frozen=True)
class Outcome:
    """A finished fix run: what remains, how much was (or would be) fixed, what could not be."""

    files: tuple[FileResult, ...]
    fixed: int
    fixed_files: int
    problems: tuple[tuple[str, str], ...]
    #: The unified diff, for ``--diff`` runs (None when files were written).
    diff: str | None = None
    #: (displayed path, violation) of every fix applied (or that would be).
    applied: tuple[tuple[str, Violation], ...] = ()

    @property
    def counts(self) -> tuple[int, int] | None:
        """``(violations, files)`` fixed, for the ``Fixed N violations in M files.`` line."""
        return None if self.diff is not None else (self.fixed, self.fixed_files)

    @property
    def notes(self) -> list[str]:
        """Lines for stderr: each file left untouched and why; for ``--diff`` the would-fix count."""
        lines = [f"{display}: {problem}" for display, problem in self.problems]
        if self.diff is not None:
            fixed, files = self.fixed, self.fixed_files
            lines.append(f"Would fix {fixed} violation{_s(fixed)} in {files} file{_s(files)}.")
        return lines


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def apply(planned: Plan) -> Outcome:
    """Write every changed file (atomically, only if unchanged on disk since it was read)."""
    results: list[FileResult] = []
    problems = list(planned.problems)
    applied: list[tuple[str, Violation]] = []
    fixed = fixed_files = 0
    for item in planned.files:
        if not item.changed:
            results.append(item.result)
            continue
        doc = item.original.document
        failure = writer.replace_text(doc.path, encode(doc, item.before), encode(doc, item.after))
        if failure is not None:
            problems.append((item.original.result.display, f"not fixed: {failure}"))
            results.append(item.original.result)
            continue
        results.append(item.result)
        fixed += len(item.applied)
        fixed_files += 1
        applied.extend((item.original.result.display, v) for v in item.applied)
    return Outcome(tuple(results), fixed, fixed_files, tuple(problems), applied=tuple(applied))


def encode(doc: Document, text: str) -> bytes:
    """The bytes of ``text`` as the file stores it: UTF-8, with the BOM it had."""
    return (b"\xef\xbb\xbf" if doc.bom else b"") + text.encode("utf-8")


def diff(planned: Plan) -> str:
    """A unified diff (``a/PATH``/``b/PATH``) of every file the fixes would change."""
    from epilint.fix.textdiff import unified

    return "".join(unified(f.before, f.after, f.original.result.display) for f in planned.changed)


def preview(planned: Plan) -> Outcome:
    """``--diff``: what ``apply`` would do, as a unified diff; nothing is written."""
    changed = planned.changed
    return Outcome(
        tuple(f.result for f in planned.files),
        sum(len(f.applied) for f in changed),
        len(changed),
        planned.problems,
        diff(planned),
        tuple((f.original.result.display, v) for f in changed for v in f.applied),
    )
