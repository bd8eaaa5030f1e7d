"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists the rules that produced results (id, name, short
and full description, help URI into docs/rules.md); each result has a region in
code points (``columnKind``), and ``fixes`` when the violation carries edits.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from epilint import HOMEPAGE, RULES_DOC_URL, __version__
from epilint.lint import registry
from epilint.lint.results import FileResult
from epilint.model import Fix, Span, Violation
from epilint.output import Report, region
from epilint.output.docgen import anchor

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


def render(report: Report) -> str:
    rules = registry.load_rules()
    codes = sorted({v.code for _, v in report.result.violations})
    index = {code: i for i, code in enumerate(codes)}
    results = [_result(file, v, index[v.code]) for file, v in report.result.violations]
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "epilint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [_descriptor(code, rules.get(code)) for code in codes],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _descriptor(code: str, rule: registry.Rule | None) -> dict[str, object]:
    if rule is None:  # a code without a registered rule: describe it by its code only
        return {"id": code, "shortDescription": {"text": f"{code}."}}
    details = rule.doc.strip().split("\n", 1)
    full = details[1].strip() if len(details) > 1 else rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _sentence(rule.summary)},
        "fullDescription": {"text": _sentence(full)},
        "helpUri": f"{RULES_DOC_URL}#{anchor(rule)}",
        "help": {"text": rule.doc},
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {"fix": rule.fix.value},
    }


def _sentence(text: str) -> str:
    """SARIF viewers expect plain-text messages to end with a period."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _location(file: FileResult) -> dict[str, object]:
    if Path(file.display).is_absolute():
        return {"uri": Path(file.display).as_uri()}
    return {"uri": quote(file.display, safe="/"), "uriBaseId": SRCROOT}


def _region(file: FileResult, span: Span) -> dict[str, int]:
    at = region(file, span)
    return {
        "startLine": at.line,
        "startColumn": at.column,
        "endLine": at.end_line,
        "endColumn": at.end_column,
    }


def _result(file: FileResult, violation: Violation, rule_index: int) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": violation.code,
        "ruleIndex": rule_index,
        "level": violation.severity.value,
        "message": {"text": _sentence(violation.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _location(file),
                    "region": _region(file, violation.span),
                }
            }
        ],
    }
    if violation.fix is not None and violation.fix.edits:
        result["fixes"] = [_fix(file, violation.fix)]
    return result


def _fix(file: FileResult, fix: Fix) -> dict[str, object]:
    return {
        "description": {"text": _sentence(f"{fix.title} ({fix.applicability.value} fix)")},
        "artifactChanges": [
            {
                "artifactLocation": _location(file),
                "replacements": [
                    {"deletedRegion": _region(file, edit.span), "insertedContent": {"text": edit.content}}
                    for edit in fix.edits
                ],
            }
        ],
    }
