"""Corpus round trip: ``--fix`` a copy of the real sites; only lines with a safe fix change."""

from __future__ import annotations

import difflib
import shutil
import stat
from collections import defaultdict
from pathlib import Path

from epilint.read.source import read_document
from tests.conftest import run_cli


def test_fix_the_corpus(corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy, symlinks=True)
    for path in copy.rglob("*"):  # a working copy: writable (the shared corpus is read-only)
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file() and not p.is_symlink()}

    report = run_cli("check", "--format", "json", ".", cwd=copy).json()
    safe_lines: dict[str, set[int]] = defaultdict(set)
    safe = 0
    for item in report:
        fix = item["fix"]
        if isinstance(fix, dict) and fix["applicability"] == "safe" and fix["edits"]:
            safe += 1
            for edit in fix["edits"]:
                assert isinstance(edit, dict)
                safe_lines[str(item["path"])].update(range(int(edit["line"]), int(edit["end_line"]) + 1))

    fixed = run_cli("check", "--fix", ".", cwd=copy)
    assert fixed.err == ""  # no file was refused
    summary = next(line for line in fixed.out.splitlines() if line.startswith("Fixed "))

    changed = {p for p, raw in before.items() if p.read_bytes() != raw}
    assert changed, "the corpus has safe fixes"
    assert summary == f"Fixed {safe} violations in {len(changed)} files."
    for path in changed:
        display = path.relative_to(copy).as_posix()
        old = before[path].decode("utf-8-sig").splitlines(keepends=True)
        new = path.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if tag != "equal":
                touched = set(range(i1 + 1, i2 + 1)) or {i1, i1 + 1}
                assert touched <= safe_lines[display], f"{display}: lines {sorted(touched)} had no safe fix"
        doc = read_document(path)
        assert doc.problem is None, f"{display} no longer parses"
        assert before[path].startswith(b"\xef\xbb\xbf") == path.read_bytes().startswith(b"\xef\xbb\xbf")

    once = {p: p.read_bytes() for p in before}
    again = run_cli("check", "--fix", ".", cwd=copy)
    assert "Fixed 0 violations in 0 files." in again.out
    assert all(p.read_bytes() == raw for p, raw in once.items())
    assert list(copy.rglob("*.tmp")) == []
    print(f"corpus --fix: {safe} violations fixed in {len(changed)} of {len(before)} files")
