"""Warm runs print what cold runs print, whatever changes while or between runs.

Every input a result depends on is part of its key: the site's duration style (decided by
the other posts) for a measured duration's fix text; and the whole-run memo stamps its
inputs before reading them, so a post edited while a run is in flight is linted again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from epilint.lint.linter import Linter
from tests.audio_files import make_audio
from tests.conftest import BAD_EPISODE, GOOD_EPISODE, episode, run_cli


def _post(number: int, duration: str) -> str:
    text = episode(GOOD_EPISODE, day=f"2022-09-{9 + number:02d}", number=number)
    return text.replace('duration: "01:02:03"', f"duration: {duration}").replace(
        "audio_file_size: 48211456\n", ""
    )


def _fixes(site: Path, *flags: str) -> list[object]:
    result = run_cli(
        "check", "--format", "json", "--select", "EP010", *flags, "_posts/2022-09-10-1.md", cwd=site
    )
    return [v["fix"] for v in result.json()]


def test_a_fix_that_depends_on_other_posts_follows_them(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "_posts/2022-09-10-1.md": _post(1, '"00:10:00"'),
            "_posts/2022-09-11-2.md": _post(2, '"12:34"'),
            "_posts/2022-09-12-3.md": _post(3, '"23:45"'),
        }
    )
    make_audio(site / "audio" / "001.mp3", 3)
    cold = _fixes(site)
    assert "00:03" in str(cold)
    assert _fixes(site) == cold  # warm
    for name, value in (("2022-09-11-2.md", '"00:12:34"'), ("2022-09-12-3.md", '"00:23:45"')):
        path = site / "_posts" / name
        path.write_text(
            path.read_text(encoding="utf-8").replace(value.replace("00:", "", 1), value), encoding="utf-8"
        )
    warm = _fixes(site)
    assert warm == _fixes(site, "--no-cache")
    assert "00:00:03" in str(warm)


def test_a_post_edited_while_a_run_reads_it_is_linted_again(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE})
    post = site / "_posts" / "2022-09-10-1.md"
    old = time.time() - 600
    os.utime(post, (old, old))
    original = Linter.lint_path
    edited: list[Path] = []

    def lint_then_editor_saves(self: Linter, path: Path, display: str) -> object:
        linted = original(self, path, display)
        if not edited:  # the editor saves right after epilint read the file
            path.write_text(BAD_EPISODE, encoding="utf-8")
            edited.append(path)
        return linted

    monkeypatch.setattr(Linter, "lint_path", lint_then_editor_saves)
    first = run_cli("check", "_posts", cwd=site)
    assert first.code == 0  # it read the good text
    monkeypatch.setattr(Linter, "lint_path", original)  # (undo() would also drop the cache folder)
    second = run_cli("check", "_posts", cwd=site)
    assert second.code == 1, "the memo reprinted the stale report"
    assert "YT001" in second.out
