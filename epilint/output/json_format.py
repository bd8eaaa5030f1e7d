"""``--format json``: a JSON array, one object per violation (see the CLI contract)."""

from __future__ import annotations

import json

from epilint.output import Report, region


def render(report: Report) -> str:
    items: list[dict[str, object]] = []
    for file, violation in report.result.violations:
        where = region(file, violation.span)
        fix: dict[str, object] | None = None
        if violation.fix is not None:
            edits = []
            for edit in violation.fix.edits:
                at = region(file, edit.span)
                edits.append(
                    {
                        "line": at.line,
                        "column": at.column,
                        "end_line": at.end_line,
                        "end_column": at.end_column,
                        "content": edit.content,
                    }
                )
            fix = {
                "applicability": violation.fix.applicability.value,
                "description": violation.fix.title,
                "edits": edits,
            }
        items.append(
            {
                "path": file.display,
                "line": where.line,
                "column": where.column,
                "end_line": where.end_line,
                "end_column": where.end_column,
                "code": violation.code,
                "rule": violation.rule,
                "severity": violation.severity.value,
                "message": violation.message,
                "fix": fix,
            }
        )
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
