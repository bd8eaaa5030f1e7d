"""Code actions for a linted text: each fix, "fix all safe", and a line suppression.

- every safe or unsafe fix of a violation in the requested range is a quick fix with the
  fix's edits (line breaks in the file's style); unsafe ones say so in the title, and only
  safe ones are preferred (what an editor applies with one key);
- "Fix all safe epilint problems" (``source.fixAll.epilint``) runs the fix engine on the
  text — passes, re-linting and verification, exactly as ``--fix`` — and offers the result
  as one edit; when verification refuses the fixes the action is shown disabled, with the
  reason;
- "Suppress CODE on this line" inserts the comment ``read/suppress.py`` reads
  (``fix/suppression.py`` proves it harmless and effective first).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lsprotocol import types

from epilint.editor.diagnostics import diagnostic, lsp_range
from epilint.editor.positions import TextPositions
from epilint.editor.workspace import Linted
from epilint.fix import engine
from epilint.fix.suppression import suppression
from epilint.model import Applicability, Edit, Span, Violation
from epilint.run import pipeline

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.epilint"
FIX_ALL_TITLE = "Fix all safe epilint problems"


def code_actions(
    linted: Linted,
    positions: TextPositions,
    uri: str,
    wanted: types.Range,
    only: Sequence[str] | None = None,
) -> list[types.CodeAction]:
    """The actions for the violations touching ``wanted``, and "fix all safe" for the file."""
    found: list[types.CodeAction] = []
    if _allowed(types.CodeActionKind.QuickFix.value, only):
        shift = linted.shift
        first = positions.offset(wanted.start.line, wanted.start.character) - shift
        last = positions.offset(wanted.end.line, wanted.end.character) - shift
        for violation in linted.checked.result.violations:
            if violation.span.start <= last and first <= violation.span.end:
                found.extend(_for_violation(linted, positions, uri, violation))
    if _allowed(FIX_ALL, only):
        fix_all = _fix_all(linted, positions, uri)
        if fix_all is not None:
            found.append(fix_all)
    return found


def _allowed(kind: str, only: Sequence[str] | None) -> bool:
    """LSP kinds are hierarchical: ``source.fixAll`` asks for ``source.fixAll.epilint``."""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _for_violation(
    linted: Linted, positions: TextPositions, uri: str, violation: Violation
) -> Iterator[types.CodeAction]:
    shown = diagnostic(violation, positions, linted.shift)
    fix = violation.fix
    doc = linted.checked.document
    if fix is not None and fix.edits and fix.applicability is not Applicability.SUGGESTION:
        safe = fix.applicability is Applicability.SAFE
        newline = engine.newline_of(doc.text)
        edits = [engine.adapt(edit, newline) for edit in fix.edits]
        yield types.CodeAction(
            title=f"Fix {violation.code}: {fix.title}" + ("" if safe else " (unsafe fix)"),
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[shown],
            is_preferred=safe,
            edit=_edit(uri, positions, edits, linted.shift),
        )
    edit = suppression(doc, violation)
    if edit is not None:
        yield types.CodeAction(
            title=f"Suppress {violation.code} on this line",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[shown],
            edit=_edit(uri, positions, [edit], linted.shift),
        )


def _edit(uri: str, positions: TextPositions, edits: Sequence[Edit], shift: int) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(
        changes={uri: [types.TextEdit(lsp_range(positions, e.span, shift), e.content) for e in edits]}
    )


def _fix_all(linted: Linted, positions: TextPositions, uri: str) -> types.CodeAction | None:
    plan = pipeline.plan_document(linted.linter, linted.checked, unsafe=False)
    if plan.problem is not None:
        return types.CodeAction(
            title=FIX_ALL_TITLE, kind=FIX_ALL, disabled=types.CodeActionDisabled(reason=plan.problem)
        )
    if not plan.changed:
        return None
    after = linted.text[: linted.shift] + plan.after
    return types.CodeAction(
        title=FIX_ALL_TITLE,
        kind=FIX_ALL,
        edit=_edit(uri, positions, [replacement(linted.text, after)], 0),
    )


def replacement(before: str, after: str) -> Edit:
    """One edit turning ``before`` into ``after``: the differing middle, so the editor
    keeps the cursor, folds and marks of the untouched text."""
    limit = min(len(before), len(after))
    start = 0
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    if 0 < start < len(before) and before[start - 1 : start + 1] == "\r\n":
        start -= 1  # never between the two characters of a CRLF (no LSP position there)
    stop = len(before) - end
    if end and stop > 0 and before[stop - 1 : stop + 1] == "\r\n":
        end -= 1
    return Edit(Span(start, len(before) - end), after[start : len(after) - end])
