"""Human-readable output: one line per violation, a fix hint, a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from epilint.lint import registry
from epilint.model import Applicability, Severity, Violation
from epilint.output import Report

_RESET = "\033[0m"
_BOLD = "\033[1m"
_RED = "\033[31m"
_YELLOW = "\033[33m"
_CYAN = "\033[36m"
_DIM = "\033[2m"


def render(report: Report) -> str:
    return "".join(stream(report))


def stream(report: Report) -> Iterator[str]:
    """The report in pieces (one per file), so a large run is never one huge string."""
    if report.statistics:
        yield _statistics(report)
    else:
        yield from _violations(report)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(path: str) -> str:
    """A path on one line: control characters (a newline in a file name) are escaped."""
    if path.isprintable():
        return path
    return "".join(
        _ESCAPES.get(ch, f"\\x{ord(ch):02x}") if not ch.isprintable() and ch != " " else ch for ch in path
    )


def _paint(text: str, code: str, on: bool) -> str:
    return f"{code}{text}{_RESET}" if on else text


def _violations(report: Report) -> Iterator[str]:
    color = report.color
    # ``code [severity]`` and ``  fix (applicability): `` as printed, made once per kind.
    heads: dict[tuple[str, Severity], str] = {}
    fix_heads = {a: f"{_CYAN if color else ''}  fix ({a.value}): " for a in Applicability}
    fix_end = (_RESET if color else "") + "\n"
    for file in report.result.files:
        if not file.violations:
            continue
        out: list[str] = []
        shown = _paint(printable(file.display), _BOLD, color)
        position = file.positions.position  # only the start is shown
        for violation in file.violations:
            line, column = position(violation.span.start)
            key = (violation.code, violation.severity)
            head = heads.get(key)
            if head is None:
                tint = _RED if violation.severity is Severity.ERROR else _YELLOW
                code = _paint(violation.code, tint + _BOLD, color)
                head = heads[key] = f"{code} [{_paint(violation.severity.value, tint, color)}] "
            out.append(f"{shown}:{line}:{column}: {head}{violation.message}\n")
            fix = violation.fix
            if fix is not None:
                out.append(f"{fix_heads[fix.applicability]}{fix.title}{fix_end}")
        yield "".join(out)
    yield summary(report) + "\n"


def summary(report: Report) -> str:
    result = report.result
    total = result.count
    files = sum(1 for f in result.files if f.violations)
    fixes = Counter(_applicability(v) for _, v in result.violations)
    safe, unsafe = fixes[Applicability.SAFE], fixes[Applicability.UNSAFE]
    lines: list[str] = []
    if report.fixed is not None:
        fixed, fixed_files = report.fixed
        lines.append(f"Fixed {fixed} violation{_s(fixed)} in {fixed_files} file{_s(fixed_files)}.")
    if total == 0:
        lines.append(f"All checks passed: no violations in {len(result.files)} file{_s(len(result.files))}.")
    else:
        lines.append(
            f"Found {total} violation{_s(total)} in {files} file{_s(files)} "
            f"({safe} fixable with --fix{f', {unsafe} more with --unsafe-fixes' if unsafe else ''})."
        )
    return "\n".join(lines)


def _applicability(violation: Violation) -> Applicability | None:
    return violation.fix.applicability if violation.fix is not None else None


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _statistics(report: Report) -> str:
    counts = Counter(v.code for _, v in report.result.violations)
    fixable = Counter(v.code for _, v in report.result.violations if _applicability(v) is Applicability.SAFE)
    rules = registry.load_rules()
    out = []
    width = max((len(str(n)) for n in counts.values()), default=1)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = rules.get(code)
        name = rule.name if rule else ""
        severity = rule.severity.value if rule else ""
        marker = f"  ({fixable[code]} fixable)" if fixable[code] else ""
        out.append(f"{count:>{width}}  {code}  {name} [{severity}]{marker}")
    out.append(summary(report))
    return "\n".join(out) + "\n"
