"""``--format junit``: JUnit XML for CI test reports (GitLab, Jenkins, Azure).

One ``<testsuite>``, one ``<testcase>`` per linted file, one ``<failure>`` per
violation. Text is escaped for XML 1.0, including characters XML cannot carry at
all (control characters, U+FFFE/U+FFFF), which are written as ``\\xNN`` escapes.
"""

from __future__ import annotations

import re

from epilint.output import Report, region

# Characters XML 1.0 forbids outright (tab, LF and CR are allowed).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}
)


def _visible(text: str) -> str:
    return _FORBIDDEN.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def text(value: str) -> str:
    """Element content: markup and CR escaped (so a parser gives back the same text)."""
    return _visible(value).translate(_TEXT)


def attribute(value: str) -> str:
    """A double-quoted attribute value; whitespace escaped so parsers keep it."""
    return _visible(value).translate(_ATTRIBUTE)


def render(report: Report) -> str:
    files = report.result.files
    failed = sum(1 for f in files if f.violations)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="epilint" tests="{len(files)}" failures="{failed}" errors="0">',
        f'  <testsuite name="epilint" tests="{len(files)}" failures="{failed}" errors="0" skipped="0">',
    ]
    for file in files:
        name = attribute(file.display)
        opening = f'    <testcase classname="epilint" name="{name}" file="{name}"'
        if not file.violations:
            out.append(f"{opening}/>")
            continue
        out.append(f"{opening}>")
        for violation in file.violations:
            at = region(file, violation.span)
            where = f"{file.display}:{at.line}:{at.column}"
            detail = f"{where}: {violation.code} [{violation.severity.value}] {violation.message}"
            if violation.fix is not None:
                detail += f"\nfix ({violation.fix.applicability.value}): {violation.fix.title}"
            out.append(
                f'      <failure type="{attribute(f"{violation.code} {violation.rule}")}" '
                f'message="{attribute(f"{at.line}:{at.column}: {violation.message}")}">'
                f"{text(detail)}</failure>"
            )
        out.append("    </testcase>")
    out.extend(["  </testsuite>", "</testsuites>"])
    return "\n".join(out) + "\n"
