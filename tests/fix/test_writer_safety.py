"""``--fix`` never loses a save and keeps what a file is (README, "Fixing").

An editor's save between epilint's read and its rename is detected just before the rename
and the file is left as the editor wrote it ("changed on disk"). Read-only and hard-linked
posts are not rewritten; extended attributes, owner, mode and set-ID bits are kept;
temporary files of a killed run are never linted and are cleaned by a later run.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from epilint import atomic
from tests.conftest import BAD_EPISODE, run_cli

POST = "_posts/2022-09-10-1.md"
FIXED = BAD_EPISODE.replace("duration: 45:30", 'duration: "45:30"')


def _site(make_site: Callable[..., Path]) -> Path:
    return make_site({POST: BAD_EPISODE})


def test_a_save_between_the_check_and_the_rename_is_never_lost(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(make_site)
    post = site / POST
    saved = BAD_EPISODE.replace("Show notes.", "Show notes, saved by the editor.")
    real_fsync = os.fsync

    def editor_saves(fd: int) -> None:  # the temporary file is written: the editor saves now
        real_fsync(fd)
        post.write_text(saved, encoding="utf-8")

    monkeypatch.setattr(atomic.os, "fsync", editor_saves)
    for _ in range(5):
        post.write_text(BAD_EPISODE, encoding="utf-8")
        result = run_cli("check", "--no-cache", "--fix", POST, cwd=site)
        assert post.read_text(encoding="utf-8") == saved
        assert "changed on disk" in result.err
        assert "Fixed 0 violations" in result.out
        assert not [p for p in post.parent.iterdir() if atomic.is_temporary(p.name)]


def test_a_read_only_post_is_not_rewritten(make_site: Callable[..., Path]) -> None:
    site = _site(make_site)
    post = site / POST
    post.chmod(0o444)
    result = run_cli("check", "--no-cache", "--fix", POST, cwd=site)
    assert post.read_text(encoding="utf-8") == BAD_EPISODE
    assert "read-only" in result.err
    assert stat.S_IMODE(post.stat().st_mode) == 0o444


def test_a_hard_linked_post_is_not_split_from_its_other_name(make_site: Callable[..., Path]) -> None:
    site = _site(make_site)
    post = site / POST
    other = site / "backup.md"
    os.link(post, other)
    result = run_cli("check", "--no-cache", "--fix", POST, cwd=site)
    assert "hard links" in result.err
    assert post.stat().st_ino == other.stat().st_ino
    assert post.read_text(encoding="utf-8") == BAD_EPISODE


def test_extended_attributes_mode_and_set_id_bits_are_kept(make_site: Callable[..., Path]) -> None:
    site = _site(make_site)
    post = site / POST
    os.setxattr(post, "user.epilint.test", b"kept")
    post.chmod(0o6640)
    before = post.stat()
    result = run_cli("check", "--no-cache", "--fix", POST, cwd=site)
    assert "Fixed 1 violation" in result.out, result.err
    assert post.read_text(encoding="utf-8") == FIXED
    after = post.stat()
    assert after.st_ino != before.st_ino  # replaced atomically
    assert os.getxattr(post, "user.epilint.test") == b"kept"
    assert stat.S_IMODE(after.st_mode) == 0o6640
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_files_of_a_killed_run_are_never_linted_and_cleaned_later(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({POST: FIXED})
    (site / "epilint.toml").write_text(
        'include = ["_posts/**/*"]\nextensions = [".md", ".tmp"]\n', encoding="utf-8"
    )
    stale = site / "_posts" / f".2022-09-10-1.md.epilint-{_dead_pid()}-0123abcd.tmp"
    stale.write_text(BAD_EPISODE, encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    live = site / "_posts" / f".2022-09-11-2.md.epilint-{os.getpid()}-89abcdef.tmp"
    live.write_text(BAD_EPISODE, encoding="utf-8")
    os.utime(live, (old, old))
    for args in (("_posts",), ()):
        result = run_cli("check", "--no-cache", "--format", "json", *args, cwd=site)
        assert [v["path"] for v in result.json()] == [], result.out
    walked = run_cli("check", "--no-cache", "_posts/", cwd=site)
    assert walked.code == 0
    assert not stale.exists()  # its run is gone: cleaned
    assert live.exists()  # a running process's file is never touched
