"""The rule contract: rules say what, the registry says who; declarations live on the rule."""

from __future__ import annotations

from pathlib import Path

from epilint.config.settings import Settings
from epilint.lint import registry
from epilint.lint.context import Context
from epilint.lint.registry import FixAvailability, Rule
from epilint.model import Finding, Severity, Span
from epilint.read.document import Document
from epilint.schema.load import bundled_schema, load_schema


def test_the_registry_stamps_code_name_and_severity() -> None:
    def check(ctx: Context) -> list[Finding]:
        return [Finding("bad", Span(1, 2))]

    rule = Rule("ZZ001", "zz-rule", Severity.WARNING, FixAvailability.NONE, "Doc.", file_check=check)
    ctx = Context(Document(Path("a.md"), "abc"), load_schema(bundled_schema()), Settings())
    (violation,) = rule.run(ctx)
    assert (violation.code, violation.rule, violation.severity, violation.message) == (
        "ZZ001",
        "zz-rule",
        Severity.WARNING,
        "bad",
    )
    assert violation.span == Span(1, 2)


def test_no_rule_module_looks_itself_up_by_code() -> None:
    rules_dir = Path(registry.__file__).resolve().parent.parent / "rules"
    for module in rules_dir.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "registry.get(" not in text, module.name
        assert ".violation(" not in text, module.name


def test_declarations_are_on_the_rules() -> None:
    rules = registry.load_rules()
    assert {code for code, r in rules.items() if r.online} == {"LN100", "LN101", "LN102"}
    assert {code for code, r in rules.items() if r.reads_online} == {"LN004", "LN100", "LN101", "LN102"}
    assert rules["EP007"].site_inputs == ("_config.yml", "_layouts")
    assert set(rules["EP006"].site_inputs) == {"_config.yml", "_data", "_actors"}
    reads_config = {code for code, r in rules.items() if "_config.yml" in r.site_inputs}
    assert reads_config == {
        "EP002",
        "EP003",
        "EP004",
        "EP006",
        "EP007",
        "LN010",
        "LN012",
        "YT004",
        *(c for c in rules if c.startswith("CO")),
    }
    collection = {code for code, r in rules.items() if r.collection}
    assert collection == {code for code in rules if code.startswith("CO")} | {"EP005"}


def test_selection_leaves_out_online_rules_unless_online() -> None:
    offline = {r.code for r in registry.select(("",), (), online=False)}
    online = {r.code for r in registry.select(("",), (), online=True)}
    assert online - offline == {"LN100", "LN101", "LN102"}
    assert {r.code for r in registry.select(("LN",), ("LN00",), online=False)} == {
        "LN010",
        "LN011",
        "LN012",
        "LN013",
        "LN014",
    }


def test_every_rule_documents_what_why_example_fix() -> None:
    for code, rule in registry.load_rules().items():
        for part in ("Why:", "Example:", "Fix:"):
            assert part in rule.doc, f"{code} lacks {part}"
