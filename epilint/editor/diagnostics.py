"""A linted text's violations as LSP diagnostics: code, severity, message, range, rule link."""

from __future__ import annotations

from lsprotocol import types

from epilint import RULES_DOC_URL
from epilint.editor.positions import TextPositions
from epilint.lint import registry
from epilint.model import Applicability, Severity, Span, Violation
from epilint.output.docgen import anchor

SOURCE = "epilint"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}


def lsp_range(positions: TextPositions, span: Span, shift: int = 0) -> types.Range:
    """The LSP range of a span of the document (``shift``: a byte-order mark before it)."""
    start = positions.position(span.start + shift)
    end = positions.position(span.end + shift)
    return types.Range(types.Position(*start), types.Position(*end))


def rule_link(code: str) -> str | None:
    """The rule's section of docs/rules.md (None for a code no rule has)."""
    rule = registry.load_rules().get(code)
    return None if rule is None else f"{RULES_DOC_URL}#{anchor(rule)}"


def diagnostic(violation: Violation, positions: TextPositions, shift: int = 0) -> types.Diagnostic:
    message = violation.message
    fix = violation.fix
    if fix is not None and (fix.applicability is Applicability.SUGGESTION or not fix.edits):
        message = f"{message}\nsuggestion: {fix.title}"  # no edit to offer as a code action
    link = rule_link(violation.code)
    return types.Diagnostic(
        range=lsp_range(positions, violation.span, shift),
        message=message,
        severity=_SEVERITY[violation.severity],
        code=violation.code,
        code_description=types.CodeDescription(href=link) if link else None,
        source=SOURCE,
    )


def problem(message: str) -> types.Diagnostic:
    """One diagnostic at the top of the file for what kept epilint from linting it."""
    start = types.Position(0, 0)
    return types.Diagnostic(
        range=types.Range(start, start),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )
