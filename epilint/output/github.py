"""``--format github``: GitHub Actions workflow commands, one annotation per violation.

``::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::MESSAGE``
(``::warning`` for warnings). Escaping follows the Actions toolkit (``command.ts``):
the message escapes ``%``, ``\\r`` and ``\\n``; property values also ``:`` and ``,``.
With ``--statistics`` the log gets the count per rule instead (as the text format prints
it). ``job_summary`` is the Markdown the CLI appends to ``$GITHUB_STEP_SUMMARY``: a table
per rule and one per file, every value HTML-escaped.
"""

from __future__ import annotations

from collections import Counter

from epilint.model import Severity
from epilint.output import Report, region
from epilint.output.escape import printable


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    if report.statistics:  # a count per rule in the log, as in a terminal (text escapes it)
        from epilint.output.text import statistics

        return statistics(report)
    out: list[str] = []
    for file, violation in report.result.violations:
        at = region(file, violation.span)
        command = "error" if violation.severity is Severity.ERROR else "warning"
        properties = (
            ("file", file.display),
            ("line", str(at.line)),
            ("col", str(at.column)),
            ("endLine", str(at.end_line)),
            ("endColumn", str(at.end_column)),
            ("title", f"{violation.code} {violation.rule}"),
        )
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
        out.append(f"::{command} {joined}::{escape_data(violation.message)}\n")
    return "".join(out)


#: Rows of the job summary's file table beyond which the rest are counted, not listed.
SUMMARY_FILES = 100


def _cell(text: str) -> str:
    """A table cell's text: no Markdown, HTML or line break can come from a value."""
    escaped = printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("|", "&#124;").replace("`", "&#96;").replace("[", "&#91;").replace("*", "&#42;")


def job_summary(report: Report) -> str:
    """The run as Markdown for the job's summary page: totals, per rule, per file."""
    from epilint.lint import registry
    from epilint.output.text import summary

    result = report.result
    lines = ["## epilint", "", _cell(summary(report)), ""]
    lines.extend(f"- {_cell(line)}" for line in report.scope)
    if report.scope:
        lines.append("")
    if not result.count:
        return "\n".join(lines) + "\n"
    rules = registry.load_rules()
    per_rule = Counter((v.code, v.severity.value) for _, v in result.violations)
    lines += ["| rule | name | severity | findings |", "|---|---|---|---:|"]
    for (code, severity), count in sorted(per_rule.items(), key=lambda item: (-item[1], item[0])):
        rule = rules.get(code)
        lines.append(f"| {code} | {rule.name if rule else ''} | {severity} | {count} |")
    lines += ["", "| file | errors | warnings |", "|---|---:|---:|"]
    files = [f for f in result.files if f.violations]
    for file in files[:SUMMARY_FILES]:
        errors = sum(1 for v in file.violations if v.severity is Severity.ERROR)
        lines.append(f"| <code>{_cell(file.display)}</code> | {errors} | {len(file.violations) - errors} |")
    if len(files) > SUMMARY_FILES:
        lines.append(f"| … and {len(files) - SUMMARY_FILES} more files | | |")
    return "\n".join(lines) + "\n"
