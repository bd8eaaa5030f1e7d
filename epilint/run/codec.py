"""File results as plain data (lists, strings, numbers), and back.

Two places carry results outside the objects that made them: the results cache (JSON on
disk) and the worker processes of a parallel run (``epilint/run/pool.py``). Both use
these forms, so a result read back from either is built of the same frozen records a
serial run builds, and prints the same. Loading checks the shape and raises
TypeError/ValueError on damaged data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from epilint.lint.results import FileResult
from epilint.model import Applicability, Edit, Fix, Severity, Span, Violation
from epilint.read.positions import Positions
from epilint.read.suppressions import Suppressions
from epilint.site.summary import Summary

#: ``Severity(value)`` / ``Applicability(value)`` without the Enum call machinery.
_SEVERITIES = {s.value: s for s in Severity}
_APPLICABILITIES = {a.value: a for a in Applicability}


def dump_result(result: FileResult) -> list[Any]:
    """``[violations, positions, suppressions, summary, used]`` of one file."""
    summary = result.summary
    return [
        dump_violations(result.violations),
        result.positions.to_json(),
        result.suppressions.to_json(),
        None if summary is None else summary.to_json(),
        sorted(result.used),
    ]


def load_result(path: Path, display: str, data: Any) -> FileResult:
    violations, positions, suppressions, summary, used = data
    if not isinstance(used, list) or not all(type(n) is int for n in used):
        raise TypeError("bad suppression use")
    return FileResult(
        path,
        display,
        load_violations(violations),
        Positions.from_json(positions),
        Suppressions.from_json(suppressions),
        None if summary is None else Summary.from_json(summary),
        frozenset(used),
    )


def dump_violations(violations: Sequence[Violation]) -> list[Any]:
    out: list[Any] = []
    for v in violations:
        fix = None
        if v.fix is not None:
            edits = [[e.span.start, e.span.end, e.content] for e in v.fix.edits]
            fix = [v.fix.title, v.fix.applicability.value, edits]
        out.append([v.code, v.rule, v.message, v.span.start, v.span.end, v.severity.value, fix])
    return out


def load_violations(items: Any) -> tuple[Violation, ...]:
    """Rebuild the frozen records; any malformed item raises (TypeError/ValueError)."""
    out: list[Violation] = []
    for code, rule, message, start, end, severity, fix in items:
        if not (type(code) is str and type(rule) is str and type(message) is str):
            raise TypeError("bad violation")
        loaded_fix = None
        if fix is not None:
            title, applicability, edits = fix
            if type(title) is not str:
                raise TypeError("bad fix")
            loaded = [Edit(_span(s, e), _text(c)) for s, e, c in edits]
            loaded_fix = Fix(title, tuple(loaded), _APPLICABILITIES[applicability])
        out.append(Violation(code, rule, message, _span(start, end), _SEVERITIES[severity], loaded_fix))
    return tuple(out)


def _span(start: object, end: object) -> Span:
    if type(start) is not int or type(end) is not int:
        raise TypeError("bad span")
    return Span(start, end)


def _text(value: object) -> str:
    if type(value) is not str:
        raise TypeError("bad text")
    return value
