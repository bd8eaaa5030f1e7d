"""Human-readable output: the findings in one of three layouts, fixes applied, a summary.

``full`` (the default off a terminal): one line per violation, then its fix hint;
``concise``: one line per violation; ``grouped``: the file's path once, then its
violations indented (chosen on a terminal when there are many). Everything taken from
the files — paths, values in messages, fix titles — goes through ``printable``, so no
control character reaches the terminal or a CI log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from epilint.lint import registry
from epilint.lint.results import FileResult
from epilint.model import Applicability, Severity, Violation
from epilint.output import Report
from epilint.output.escape import printable

__all__ = ["fixes", "printable", "render", "statistics", "stream", "summary"]

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
        yield statistics(report)
    else:
        yield from _violations(report)


def _paint(text: str, code: str, on: bool) -> str:
    return f"{code}{text}{_RESET}" if on else text


class _Heads:
    """``code [severity]`` and ``fix (applicability): `` as printed, made once per kind."""

    def __init__(self, color: bool) -> None:
        self.color = color
        self._codes: dict[tuple[str, Severity], str] = {}
        self.fix = {a: f"fix ({a.value}): " for a in Applicability}
        self.tint = _CYAN if color else ""
        self.fix_end = (_RESET if color else "") + "\n"

    def code(self, violation: Violation) -> str:
        key = (violation.code, violation.severity)
        head = self._codes.get(key)
        if head is None:
            tint = _RED if violation.severity is Severity.ERROR else _YELLOW
            code = _paint(violation.code, tint + _BOLD, self.color)
            head = self._codes[key] = f"{code} [{_paint(violation.severity.value, tint, self.color)}] "
        return head


def _violations(report: Report) -> Iterator[str]:
    heads = _Heads(report.color)
    layout = report.layout
    for file in report.result.files:
        if not file.violations:
            continue
        if layout == "grouped":
            yield _grouped(file, heads)
        else:
            yield _lines(file, heads, hints=layout != "concise")
    if report.show_fixes and report.applied:
        yield fixes(report.applied, would=report.fixed is None)
    if not report.quiet:
        yield "".join(f"{printable(line)}\n" for line in report.scope)
        yield summary(report) + "\n"


def _lines(file: FileResult, heads: _Heads, *, hints: bool) -> str:
    out: list[str] = []
    shown = _paint(printable(file.display), _BOLD, heads.color)
    position = file.positions.position  # only the start is shown
    for violation in file.violations:
        line, column = position(violation.span.start)
        out.append(f"{shown}:{line}:{column}: {heads.code(violation)}{printable(violation.message)}\n")
        fix = violation.fix
        if hints and fix is not None:
            out.append(f"{heads.tint}  {heads.fix[fix.applicability]}{printable(fix.title)}{heads.fix_end}")
    return "".join(out)


def _grouped(file: FileResult, heads: _Heads) -> str:
    out = [f"{_paint(printable(file.display), _BOLD, heads.color)}:\n"]
    position = file.positions.position
    located = [(position(v.span.start), v) for v in file.violations]
    width = max(len(f"{line}:{column}") for (line, column), _ in located)
    for (line, column), violation in located:
        where = f"{line}:{column}"
        out.append(f"  {where:<{width}} {heads.code(violation)}{printable(violation.message)}\n")
        fix = violation.fix
        if fix is not None:
            pad = " " * (width + 3)
            out.append(
                f"{heads.tint}{pad}{heads.fix[fix.applicability]}{printable(fix.title)}{heads.fix_end}"
            )
    out.append("\n")
    return "".join(out)


def fixes(applied: Sequence[tuple[str, str, str]], *, would: bool) -> str:
    """``--show-fixes``: what ``--fix`` changed (``would``: ``--diff`` would), per file and rule."""
    rules = registry.load_rules()
    per_file: dict[str, Counter[str]] = {}
    for display, code, _title in applied:
        per_file.setdefault(display, Counter())[code] += 1
    total = len(applied)
    verb = "Would fix" if would else "Fixed"
    out = [f"{verb} {total} violation{_s(total)}:\n"]
    for display, counts in per_file.items():
        out.append(f"- {printable(display)}:\n")
        for code, count in sorted(counts.items()):
            rule = rules.get(code)
            out.append(f"    {count} × {code} ({rule.name if rule else code})\n")
    return "".join(out)


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


def statistics(report: Report) -> str:
    """A count per rule (most frequent first), then the summary."""
    counts = Counter(v.code for _, v in report.result.violations)
    fixable = Counter(v.code for _, v in report.result.violations if _applicability(v) is Applicability.SAFE)
    levels = {v.code: v.severity.value for _, v in report.result.violations}
    rules = registry.load_rules()
    out = []
    width = max((len(str(n)) for n in counts.values()), default=1)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = rules.get(code)
        name = rule.name if rule else ""
        marker = f"  ({fixable[code]} fixable)" if fixable[code] else ""
        out.append(f"{count:>{width}}  {code}  {name} [{levels[code]}]{marker}")
    if not report.quiet:
        out.extend(printable(line) for line in report.scope)
        out.append(summary(report))
    return "\n".join(out) + "\n" if out else ""
