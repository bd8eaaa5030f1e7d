"""Generate ``docs/rules.md`` from the rule registry: ``python -m epilint.output.docgen``."""

from __future__ import annotations

import sys

from epilint.lint import registry

HEADER = """\
# epilint rules

Generated from the rule registry by `python -m epilint.output.docgen > docs/rules.md`; do not edit
by hand (a test fails when this page is out of date). `epilint rule CODE` prints the same
text for one rule.

Fix safety: **safe** fixes are applied by `--fix`; **unsafe** ones need `--unsafe-fixes`;
**suggestion** fixes are shown and never applied.
"""


def anchor(rule: registry.Rule) -> str:
    """The rule's heading anchor on the generated page (``fm011-empty-field``)."""
    return f"{rule.code.lower()}-{rule.name}"


def render() -> str:
    rules = registry.load_rules()
    out = [HEADER, "| code | name | severity | fix |", "|---|---|---|---|"]
    for rule in rules.values():
        link = f"[{rule.code}](#{anchor(rule)})"
        out.append(f"| {link} | {rule.name} | {rule.severity.value} | {rule.fix.value} |")
    for rule in rules.values():
        out.append("")
        out.append(f"## {rule.code} {rule.name}")
        out.append("")
        scope = " · runs with `--online` only" if rule.online else ""
        out.append(f"Severity: {rule.severity.value} · fix: {rule.fix.value}{scope}")
        out.append("")
        out.append(rule.doc)
    return "\n".join(out) + "\n"


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
