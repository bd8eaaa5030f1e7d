"""Fixture-driven rule tests (sphinx-lint style).

``tests/fixtures/rules/CODE/*.md``: each line carrying ``# expect: CODE`` (front matter) or
``<!-- expect: CODE -->`` (body) must get exactly one CODE violation on that line, and no
other line of the file may get one. ``pass-*`` files have no markers: they must stay clean
of CODE. Files are linted with every rule selected, so superseding is exercised too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from epilint.config.settings import Settings
from epilint.lint import registry
from epilint.lint.linter import Linter
from epilint.schema import load as schema

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
MARKER = re.compile(r"(?:#|<!--)\s*expect:\s*([A-Z]{2}[0-9]{3})")
CASES = sorted(FIXTURES.glob("*/*.md"))


def expected_lines(path: Path, code: str) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [i for i, line in enumerate(lines, 1) for m in MARKER.finditer(line) if m.group(1) == code]


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter.create(Settings(select=("",)), schema.load_schema(schema.bundled_schema()))


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path, linter: Linter) -> None:
    code = path.parent.name
    assert code in registry.load_rules(), f"fixture folder {code} names no rule"
    result = linter.lint_file(path)
    got = sorted(result.positions.position(v.span.start)[0] for v in result.violations if v.code == code)
    want = expected_lines(path, code)
    assert got == want, [v.message for v in result.violations]
    if path.name.startswith("pass-"):
        assert want == [], "pass fixtures carry no expectations"
    else:
        assert want, "fail fixtures must expect at least one violation"


def test_every_fixture_folder_has_pass_and_fail() -> None:
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        names = [p.name for p in folder.glob("*.md")]
        assert any(n.startswith("fail-") for n in names), folder
        assert any(n.startswith("pass-") for n in names), folder


def test_yt_rules_and_fm012_do_not_double_report(linter: Linter, tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(
        "---\nduration: 45:30\ntitle: 57\nepisode: 010\naudio_file_size: 010\n---\n", encoding="utf-8"
    )
    result = linter.lint_file(path)
    by_span: dict[tuple[int, int], list[str]] = {}
    for v in result.violations:
        if v.code == "FM010":  # missing fields all sit on the closing line
            continue
        by_span.setdefault((v.span.start, v.span.end), []).append(v.code)
    assert all(len(codes) == 1 for codes in by_span.values()), by_span
    codes = sorted(c for cs in by_span.values() for c in cs)
    assert codes == ["YT001", "YT002", "YT002", "YT003"]
