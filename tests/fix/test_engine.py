"""The fix engine: choice of fixes, passes, verification, writing, --diff and reporting."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from epilint.config.settings import Settings
from epilint.fix import engine as fixer
from epilint.lint import registry
from epilint.lint.context import Context
from epilint.lint.linter import Linter
from epilint.model import Applicability, Edit, Finding, Fix, Severity, Span, Violation
from epilint.run import pipeline
from epilint.schema import load as schema
from tests.conftest import GOOD_EPISODE, run_cli

YT001_BEFORE = GOOD_EPISODE.replace('duration: "01:02:03"', "duration: 45:30")
YT001_AFTER = GOOD_EPISODE.replace('duration: "01:02:03"', 'duration: "45:30"')


def write(folder: Path, text: str | bytes, name: str = "ep.md") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# --- choosing the fixes of a pass -----------------------------------------------------


def violation(code: str, start: int, end: int, content: str, kind: Applicability) -> Violation:
    fix = Fix(f"{code} fix", (Edit(Span(start, end), content),), kind)
    return Violation(code, "test", "message", Span(start, end), Severity.ERROR, fix)


SAFE, UNSAFE, SUGGESTION = Applicability.SAFE, Applicability.UNSAFE, Applicability.SUGGESTION


def test_choose_keeps_the_first_of_overlapping_fixes() -> None:
    later = violation("B", 5, 9, "x", SAFE)
    first = violation("A", 2, 6, "y", SAFE)
    apart = violation("C", 9, 9, "z", SAFE)  # an insertion right after B's span: no overlap
    chosen = fixer.choose([later, apart, first], 20, unsafe=False)
    assert [c.violations for c in chosen] == [(first,), (apart,)]


def test_choose_insertions_at_one_point_overlap() -> None:
    one, two = violation("A", 4, 4, "x", SAFE), violation("B", 4, 4, "y", SAFE)
    assert [c.violations for c in fixer.choose([one, two], 10, unsafe=False)] == [(one,)]


def test_choose_merges_identical_fixes() -> None:
    one, two = violation("A", 1, 3, "x", SAFE), violation("B", 1, 3, "x", SAFE)
    chosen = fixer.choose([one, two], 10, unsafe=False)
    assert len(chosen) == 1
    assert chosen[0].violations == (one, two)


def test_choose_by_applicability() -> None:
    safe, unsafe = violation("A", 0, 1, "x", SAFE), violation("B", 2, 3, "y", UNSAFE)
    suggestion = Violation("C", "t", "m", Span(4, 5), Severity.ERROR, Fix.suggestion("look"))
    with_edits = violation("D", 6, 7, "z", SUGGESTION)
    items = [safe, unsafe, suggestion, with_edits]
    assert [c.fix for c in fixer.choose(items, 10, unsafe=False)] == [safe.fix]
    assert [c.fix for c in fixer.choose(items, 10, unsafe=True)] == [safe.fix, unsafe.fix]


def test_choose_skips_malformed_fixes() -> None:
    outside = violation("A", 5, 50, "x", SAFE)
    inner = Fix("t", (Edit(Span(0, 3), "a"), Edit(Span(2, 4), "b")), SAFE)
    clashing = Violation("B", "t", "m", Span(0, 4), Severity.ERROR, inner)
    assert fixer.choose([outside, clashing], 10, unsafe=False) == []


def test_apply_edits_in_reverse_order_semantics() -> None:
    text = "abcdefgh"
    edits = [Edit(Span(6, 8), ""), Edit(Span(0, 0), ">"), Edit(Span(2, 4), "XYZ"), Edit(Span(4, 4), "+")]
    assert fixer.apply_edits(text, edits) == ">abXYZ+ef"


def test_crlf_content_is_adapted() -> None:
    assert fixer.newline_of("a\r\nb\n") == "\r\n"
    assert fixer.newline_of("a\nb\r\n") == "\n"
    edit = fixer.adapt(Edit(Span(0, 0), "x: 1\ny: 2\r\n"), "\r\n")
    assert edit.content == "x: 1\r\ny: 2\r\n"


# --- a test double of the rule set: rules whose fixes misbehave ----------------------


def linter_with(*extra: registry.Rule) -> Linter:
    settings = Settings()
    rules = registry.select(settings.select, settings.ignore, online=False)
    return Linter(settings, schema.load_schema(schema.bundled_schema()), [*rules, *extra], pipeline.Sites())


def make_rule(code: str, check: Callable[[Context], Iterator[Finding]]) -> registry.Rule:
    return registry.Rule(
        code, "test-rule", Severity.ERROR, registry.FixAvailability.SAFE, "Test.", file_check=check
    )


def on_field(name: str, content: Callable[[str], str]) -> Callable[[Context], Iterator[Finding]]:
    """A check that proposes replacing the value of top-level ``name``."""

    def check(ctx: Context) -> Iterator[Finding]:
        pair = ctx.doc.fields.get(name)
        if pair is None:
            return
        span = pair.value.span
        new = content(ctx.doc.text[span.start : span.end])
        if new != ctx.doc.text[span.start : span.end]:
            yield Finding("test", span, Fix.replace("t", span, new))

    return check


def fix_with(path: Path, *rules: registry.Rule) -> fixer.Outcome:
    return pipeline.fix(linter_with(*rules), [path], unsafe=False, write=True)


def test_fix_that_breaks_the_yaml_is_not_written(tmp_path: Path) -> None:
    path = write(tmp_path, YT001_BEFORE)
    outcome = fix_with(path, make_rule("ZZ901", on_field("title", lambda _: "[unclosed")))
    assert path.read_text("utf-8") == YT001_BEFORE  # the good YT001 fix is not written either
    (display, problem), *_ = outcome.problems
    assert display.endswith("ep.md")
    assert "would not parse (FM002" in problem
    assert "left untouched" in problem
    assert outcome.fixed == 0
    assert [v.code for v in outcome.files[0].violations] == ["YT001", "ZZ901"]


def test_fix_that_changes_an_untouched_key_is_not_written(tmp_path: Path) -> None:
    # Quoting the anchored value would also change `other`, which reads it through an alias.
    text = GOOD_EPISODE.replace("layout: article\n", "layout: article\nbase: &b 45:30\nother: *b\n")
    path = write(tmp_path, text)
    outcome = pipeline.fix(linter_with(), [path], unsafe=False, write=True)
    assert path.read_text("utf-8") == text
    assert len(outcome.problems) == 1
    assert "would change how Jekyll reads `other`" in outcome.problems[0][1]


def test_fix_that_introduces_a_violation_is_not_written(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_EPISODE)
    outcome = fix_with(path, make_rule("ZZ901", on_field("audio_file_size", lambda _: "19.5 MB")))
    assert path.read_text("utf-8") == GOOD_EPISODE
    assert "would introduce FM012 on `audio_file_size`" in outcome.problems[0][1]


def test_fix_that_removes_the_closing_line_is_not_written(tmp_path: Path) -> None:
    def check(ctx: Context) -> Iterator[Finding]:
        end = ctx.doc.text.find("\n---\n") + 1
        span = Span(end, end + 3)
        if end:
            yield Finding("t", span, Fix.replace("t", span, "..."))

    path = write(tmp_path, GOOD_EPISODE)
    fix_with(path, make_rule("ZZ901", check))
    # `...` also closes front matter: the same boundary, so this one is allowed ...
    assert path.read_text("utf-8") == GOOD_EPISODE.replace("title: 1. Hello\n---", "title: 1. Hello\n...")

    def drop(ctx: Context) -> Iterator[Finding]:
        end = ctx.doc.text.index("\n---\n") + 1
        span = Span(end, end + 4)
        yield Finding("t", span, Fix.replace("t", span, ""))

    path = write(tmp_path, GOOD_EPISODE)
    outcome = fix_with(path, make_rule("ZZ902", drop))
    assert path.read_text("utf-8") == GOOD_EPISODE  # ... but deleting it is not
    assert "front matter" in outcome.problems[0][1]


def test_fixes_that_never_settle_hit_the_bound(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_EPISODE)
    outcome = fix_with(path, make_rule("ZZ901", on_field("description", lambda v: v + "!")))
    assert path.read_text("utf-8") == GOOD_EPISODE
    problem = outcome.problems[0][1]
    assert f"did not settle after {fixer.MAX_PASSES} passes (still proposing ZZ901)" in problem


def test_a_fix_can_wait_for_the_next_pass(tmp_path: Path) -> None:
    # Two fixes on the same value: the first by position (YT001) wins pass 1, the test rule
    # sees the quoted value in pass 2 and applies then.
    before = YT001_BEFORE
    path = write(tmp_path, before)

    def check(ctx: Context) -> Iterator[Finding]:
        span = ctx.doc.fields["duration"].value.span
        value = ctx.doc.text[span.start : span.end]
        if not ctx.doc.text[span.end :].startswith("  # checked"):
            yield Finding("t", span, Fix.replace("t", span, value + "  # checked"))

    planned = pipeline.plan(linter_with(make_rule("ZZ901", check)), [path], unsafe=False)
    item = planned.files[0]
    assert item.after == YT001_AFTER.replace('"45:30"', '"45:30"  # checked')
    assert item.passes == 2
    assert {v.code for v in item.applied} == {"YT001", "ZZ901"}


def test_inserted_lines_follow_crlf(tmp_path: Path) -> None:
    def check(ctx: Context) -> Iterator[Finding]:
        if "extra" in ctx.doc.fields:
            return
        at = ctx.doc.fields["layout"].key.span.start
        yield Finding("t", Span(at, at), Fix.replace("t", Span(at, at), "extra: 1\n"))

    crlf = GOOD_EPISODE.replace("\n", "\r\n")
    path = write(tmp_path, crlf)
    fix_with(path, make_rule("ZZ901", check))
    assert path.read_bytes() == crlf.replace("layout:", "extra: 1\r\nlayout:").encode()


# --- writing ----------------------------------------------------------------------------


def test_crlf_file(tmp_path: Path) -> None:
    path = write(tmp_path, YT001_BEFORE.replace("\n", "\r\n"))
    run_cli("check", "--fix", path)
    assert path.read_bytes() == YT001_AFTER.replace("\n", "\r\n").encode()


def test_bom_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + YT001_BEFORE.encode())
    result = run_cli("check", "--fix", path)
    assert path.read_bytes() == b"\xef\xbb\xbf" + YT001_AFTER.encode()
    assert result.code == 0


def test_bom_crlf_japanese_without_final_newline(tmp_path: Path) -> None:
    before = YT001_BEFORE.replace("Show notes.\n", "番組ノート。").replace("\n", "\r\n")
    path = write(tmp_path, b"\xef\xbb\xbf" + before.encode())
    run_cli("check", "--fix", path)
    after = YT001_AFTER.replace("Show notes.\n", "番組ノート。").replace("\n", "\r\n")
    assert path.read_bytes() == b"\xef\xbb\xbf" + after.encode()


def test_permissions_are_kept_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    path = write(tmp_path, YT001_BEFORE)
    path.chmod(0o640)
    before = path.stat()
    run_cli("check", "--fix", path)
    after = path.stat()
    assert path.read_text("utf-8") == YT001_AFTER
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert after.st_ino != before.st_ino  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.md"]


def test_a_symlink_stays_a_symlink(tmp_path: Path) -> None:
    target = write(tmp_path, YT001_BEFORE, "real.md")
    link = tmp_path / "link.md"
    link.symlink_to(target.name)
    run_cli("check", "--fix", link)
    assert link.is_symlink()
    assert target.read_text("utf-8") == YT001_AFTER


def test_a_file_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path, YT001_BEFORE)
    planned = pipeline.plan(linter_with(), [path], unsafe=False)
    edited = YT001_BEFORE.replace("Show notes.", "Show notes, edited meanwhile.")
    path.write_text(edited, encoding="utf-8")
    outcome = fixer.apply(planned)
    assert path.read_text("utf-8") == edited
    assert outcome.fixed == outcome.fixed_files == 0
    assert "changed on disk" in outcome.problems[0][1]
    assert [v.code for v in outcome.files[0].violations] == ["YT001"]


def test_a_file_that_is_not_utf8_is_never_written(tmp_path: Path) -> None:
    raw = YT001_BEFORE.replace("Show notes.", "Café").encode("latin-1")
    path = write(tmp_path, raw)
    result = run_cli("check", "--fix", path)
    assert path.read_bytes() == raw
    assert "FM004" in result.out
    assert result.code == 1


def test_a_failed_write_is_reported_and_leaves_no_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    path = write(tmp_path, YT001_BEFORE)
    monkeypatch.setattr(os, "replace", refuse)
    result = run_cli("check", "--fix", path)
    assert path.read_text("utf-8") == YT001_BEFORE
    assert "not fixed: cannot write the file: Read-only file system" in result.err
    assert "Fixed 0 violations in 0 files." in result.out
    assert result.code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.md"]


# --- the command line -------------------------------------------------------------------


def test_fix_reports_what_remains(tmp_path: Path) -> None:
    text = YT001_BEFORE.replace("audio_file_size: 48211456", "audio_file_size: 19.5 MB")
    write(tmp_path, text)
    result = run_cli("check", "--fix", "ep.md", cwd=tmp_path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("ep.md:4:18: FM012 [error]")
    assert lines[-2:] == [
        "Fixed 1 violation in 1 file.",
        "Found 1 violation in 1 file (0 fixable with --fix).",
    ]


def test_fix_json_lists_only_the_remaining_violations(tmp_path: Path) -> None:
    text = YT001_BEFORE.replace("audio_file_size: 48211456", "audio_file_size: 19.5 MB")
    write(tmp_path, text)
    result = run_cli("check", "--fix", "--format", "json", "ep.md", cwd=tmp_path)
    assert [item["code"] for item in result.json()] == ["FM012"]
    assert result.code == 1
    write(tmp_path, YT001_BEFORE)
    clean = run_cli("check", "--fix", "--format", "json", "ep.md", cwd=tmp_path)
    assert (clean.code, json.loads(clean.out)) == (0, [])


def test_second_fix_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, YT001_BEFORE)
    first = run_cli("check", "--fix", path)
    once = path.read_bytes()
    second = run_cli("check", "--fix", path)
    assert path.read_bytes() == once
    assert "Fixed 1 violation in 1 file." in first.out
    assert "Fixed 0 violations in 0 files." in second.out


def test_diff_prints_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, YT001_BEFORE)
    result = run_cli("check", "--diff", "ep.md", cwd=tmp_path)
    assert path.read_text("utf-8") == YT001_BEFORE
    assert result.code == 1
    assert result.out == (
        "--- a/ep.md\n"
        "+++ b/ep.md\n"
        "@@ -4,7 +4,7 @@\n"
        " audio_file_size: 48211456\n"
        " date: 2022-09-10 00:00:00 +0900\n"
        " description: The first episode.\n"
        "-duration: 45:30\n"
        '+duration: "45:30"\n'
        " layout: article\n"
        " title: 1. Hello\n"
        " ---\n"
    )
    assert result.err == "epilint: Would fix 1 violation in 1 file.\n"


def test_diff_applies_with_patch(tmp_path: Path) -> None:
    import shutil
    import subprocess

    patch = shutil.which("patch")
    if patch is None:
        pytest.skip("`patch` is not installed")
    text = YT001_BEFORE.replace("Show notes.\n", "番組ノート。").replace("\n", "\r\n")
    path = write(tmp_path, text)
    diff = run_cli("check", "--diff", "ep.md", cwd=tmp_path).out
    assert "\\ No newline at end of file" not in diff  # the change is far from the end
    subprocess.run([patch, "-p1", "-s"], input=diff.encode(), cwd=tmp_path, check=True)
    assert (
        path.read_bytes()
        == YT001_AFTER.replace("Show notes.\n", "番組ノート。").replace("\n", "\r\n").encode()
    )


def test_diff_marks_a_missing_final_newline() -> None:
    from epilint.fix.textdiff import unified

    assert unified("a\nb", "a\nc", "x.md") == (
        "--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
        "+c\n\\ No newline at end of file\n"
    )


def test_diff_without_changes_exits_zero(tmp_path: Path) -> None:
    write(tmp_path, GOOD_EPISODE.replace("audio_file_size: 48211456", "audio_file_size: 19.5 MB"))
    result = run_cli("check", "--diff", "ep.md", cwd=tmp_path)
    assert (result.code, result.out) == (0, "")


def test_diff_with_unsafe_fixes(tmp_path: Path) -> None:
    write(tmp_path, GOOD_EPISODE.replace('duration: "01:02:03"', 'durations: "01:02:03"'))
    assert run_cli("check", "--diff", "ep.md", cwd=tmp_path).code == 0
    result = run_cli("check", "--diff", "--unsafe-fixes", "ep.md", cwd=tmp_path)
    assert result.code == 1
    assert '-durations: "01:02:03"\n+duration: "01:02:03"\n' in result.out


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path, YT001_BEFORE)
    result = run_cli("check", "--unsafe-fixes", path)
    assert result.code == 2
    assert "--unsafe-fixes only takes effect with --fix or --diff" in result.err
    assert path.read_text("utf-8") == YT001_BEFORE


def test_diff_wins_over_fix(tmp_path: Path) -> None:
    path = write(tmp_path, YT001_BEFORE)
    result = run_cli("check", "--fix", "--diff", "ep.md", cwd=tmp_path)
    assert result.code == 1
    assert result.out.startswith("--- a/ep.md\n+++ b/ep.md\n")
    assert path.read_text("utf-8") == YT001_BEFORE
