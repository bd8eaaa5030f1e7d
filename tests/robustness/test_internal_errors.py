"""Internal errors: one file's failure never spreads, and a bug is never read as a result.

A bug while linting one file leaves the other files' results intact; the run prints one
clear line per error and exits 3 — also with ``--exit-zero`` — so CI never mistakes a
crashed run for "violations found" or "clean". A worker process that dies does not hang
the run: its files are linted again in the main process.
"""

from __future__ import annotations

import dataclasses
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from epilint.lint import registry
from epilint.lint.context import Context
from epilint.model import Finding
from epilint.run import pool
from tests.conftest import BAD_EPISODE, GOOD_EPISODE, CliResult, episode, run_cli


def _break_rule(monkeypatch: pytest.MonkeyPatch, code: str, when: Callable[[Context], bool]) -> None:
    rules = registry.load_rules()
    original = rules[code]
    assert original.file_check is not None
    check = original.file_check

    def broken(ctx: Context) -> Iterator[Finding]:
        if when(ctx):
            raise ZeroDivisionError("division by zero")
        yield from check(ctx)

    monkeypatch.setitem(rules, code, dataclasses.replace(original, file_check=broken))


def _site(make_site: Callable[..., Path], count: int = 3) -> Path:
    return make_site(
        {f"_posts/2022-09-{10 + n}-{n + 1}.md": episode(BAD_EPISODE, day=f"2022-09-{10 + n}", number=n + 1)
         for n in range(count)}
    )  # fmt: skip


def _one_line_each(result: CliResult) -> None:
    assert "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if "internal error" in line]
    assert lines, result.err
    assert all(line.startswith("epilint: ") for line in result.err.splitlines())


@pytest.mark.parametrize("flags", [(), ("--exit-zero",), ("--fix",), ("--diff",), ("--format", "json")])
def test_a_bug_in_one_file_exits_3_and_the_others_are_reported(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...]
) -> None:
    site = _site(make_site)
    _break_rule(monkeypatch, "FM010", lambda ctx: ctx.doc.path.name.endswith("-2.md"))
    result = run_cli("check", "--no-cache", *flags, "_posts", cwd=site)
    assert result.code == 3
    _one_line_each(result)
    assert "_posts/2022-09-11-2.md: ZeroDivisionError: division by zero" in result.err
    if "--fix" not in flags and "--diff" not in flags:
        assert "2022-09-10-1.md" in result.out
        assert "2022-09-12-3.md" in result.out


def test_a_failed_file_is_not_cached_and_the_run_not_remembered(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(make_site)
    original = registry.load_rules()["FM010"]
    _break_rule(monkeypatch, "FM010", lambda ctx: ctx.doc.path.name.endswith("-2.md"))
    assert run_cli("check", "_posts", cwd=site).code == 3
    assert run_cli("check", "_posts", cwd=site).code == 3  # not answered from any cache
    monkeypatch.setitem(registry.load_rules(), "FM010", original)
    assert run_cli("check", "_posts", cwd=site).code == 1


def test_a_crash_outside_any_file_is_one_line_and_exit_3(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from epilint.run import pipeline

    def boom(*args: object, **kwargs: object) -> object:
        raise KeyError("/tmp/x")

    monkeypatch.setattr(pipeline, "run", boom)
    result = run_cli("check", "--exit-zero", "_posts", cwd=_site(make_site))
    assert result.code == 3
    assert result.err.count("\n") == 1
    assert result.err.startswith("epilint: internal error: KeyError: '/tmp/x'")
    monkeypatch.setenv("EPILINT_TRACEBACK", "1")
    assert "Traceback" in run_cli("check", "_posts", cwd=_site(make_site)).err


@pytest.mark.parametrize(
    "broken",
    [
        b"---\ntitle: 9. x\nbig: " + b"9" * 5000 + b"\n---\n",
        b"---\ntitle: 9. x\nk: " + b"[" * 499 + b"]" * 499 + b"\n---\n",
        b"---\ntitle: 9. x\ndate: 0000-01-01 00:00:00\n---\n",
        "fifo",
        "bug",
    ],
    ids=["huge-integer", "deep", "year-zero", "fifo", "bug"],
)
def test_a_broken_post_elsewhere_never_spreads_to_a_good_one(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, broken: bytes | str
) -> None:
    """pre-commit passes only the good post; the collection phase reads the others."""
    good = episode(GOOD_EPISODE, day="2022-09-10", number=1)
    site = make_site({"_posts/2022-09-10-1.md": good, "audio/001.mp3": b""})
    other = site / "_posts" / "2022-09-11-9.md"
    if broken == "fifo":
        os.mkfifo(other)
    elif broken == "bug":
        other.write_text(episode(GOOD_EPISODE, day="2022-09-11", number=9), encoding="utf-8")
        from epilint.lint.linter import Linter

        def summarize_path(self: Linter, path: object) -> object:
            raise MemoryError("out of memory")

        monkeypatch.setattr(Linter, "summarize_path", summarize_path)
    else:
        assert isinstance(broken, bytes)
        other.write_bytes(broken)
    result = run_cli("check", "--no-cache", "--select", "CO,FM", "_posts/2022-09-10-1.md", cwd=site)
    assert "Traceback" not in result.err
    if broken == "bug":  # a bug is said, and exits 3; the good post is still reported
        assert result.code == 3
        assert "2022-09-11-9.md: MemoryError: out of memory" in result.err
    else:
        assert result.code in (0, 1), result.err
        assert result.err == ""


@pytest.mark.parametrize("helps", [False, True])
def test_a_dead_worker_neither_hangs_nor_loses_files(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, helps: bool
) -> None:
    site = _site(make_site, count=12)
    parent = os.getpid()
    monkeypatch.setattr(pool, "workers", lambda files: 2)
    monkeypatch.setattr(pool, "MAX_CHUNK", 2)
    monkeypatch.setattr(pool, "MIN_CHUNK", 2)
    # Without the main process's help the chunk always reaches the worker that dies; with
    # it, the main process may have linted that chunk first (then no worker dies).
    monkeypatch.setattr(pool, "PARENT_HELPS", helps)

    def die(ctx: Context) -> bool:
        if os.getpid() != parent and ctx.doc.path.name.endswith("-5.md"):
            os.kill(os.getpid(), signal.SIGKILL)  # the OOM killer's way
        return False

    _break_rule(monkeypatch, "FM010", die)
    result = run_cli("check", "--no-cache", "--format", "json", "_posts", cwd=site)
    if not helps or result.code == 3:
        assert result.code == 3
        assert "a worker process died" in result.err
    assert len({v["path"] for v in result.json()}) == 12  # every file was still linted
    monkeypatch.setattr(pool, "workers", lambda files: 0)
    serial = run_cli("check", "--no-cache", "--format", "json", "_posts", cwd=site)
    assert serial.json() == result.json()
