"""``--format github``: GitHub Actions workflow commands, one annotation per violation.

``::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::MESSAGE``
(``::warning`` for warnings). Escaping follows the Actions toolkit (``command.ts``):
the message escapes ``%``, ``\\r`` and ``\\n``; property values also ``:`` and ``,``.
"""

from __future__ import annotations

from epilint.model import Severity
from epilint.output import Report, region


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
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
