"""Before/after pairs for every rule with an applicable fix (pyupgrade style)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import GOOD_EPISODE, CliResult, run_cli


def fixed(folder: Path, text: str, *flags: str) -> tuple[str, CliResult]:
    """Write ``text`` as an episode in ``folder``, run ``check --fix``, return the new text."""
    path = folder / "_posts" / "2022-09-10-1.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    result = run_cli("check", "--fix", *flags, path, cwd=folder)
    return path.read_bytes().decode("utf-8"), result


def episode(old: str, new: str) -> str:
    assert old in GOOD_EPISODE
    return GOOD_EPISODE.replace(old, new)


CASES = [
    pytest.param(
        episode('duration: "01:02:03"', "duration: 45:30"),
        episode('duration: "01:02:03"', 'duration: "45:30"'),
        id="YT001-mm-ss",
    ),
    pytest.param(
        episode('duration: "01:02:03"', "duration: 01:02:03  # from the editor"),
        episode('duration: "01:02:03"', 'duration: "01:02:03"  # from the editor'),
        id="YT001-hh-mm-ss-keeps-comment",
    ),
    pytest.param(
        episode("layout: article\n", "layout: article\nlength: &len 45:30\n"),
        episode("layout: article\n", 'layout: article\nlength: &len "45:30"\n'),
        id="YT001-keeps-the-anchor",
    ),
    pytest.param(
        episode("layout: article\n", "layout: article\nepisode: 010\n"),
        episode("layout: article\n", 'layout: article\nepisode: "010"\n'),
        id="YT002-octal",
    ),
    pytest.param(
        episode("layout: article\n", "layout: article\nnumbers: [007, 12]\n"),
        episode("layout: article\n", 'layout: article\nnumbers: ["007", 12]\n'),
        id="YT002-in-a-flow-list",
    ),
    pytest.param(
        episode("title: 1. Hello", "title: 1"),
        episode("title: 1. Hello", 'title: "1"'),
        id="YT003-number-as-title",
    ),
    pytest.param(
        episode("actor_ids: [alice, bob]", "actor_ids: [alice, on]"),
        episode("actor_ids: [alice, bob]", 'actor_ids: [alice, "on"]'),
        id="YT003-boolean-in-list",
    ),
    pytest.param(
        episode("date: 2022-09-10 00:00:00 +0900", "date: 2019-04-08T18:00:00 -05:00"),
        episode("date: 2022-09-10 00:00:00 +0900", "date: 2019-04-08 18:00:00 -0500"),
        id="FM013-date-reformat",
    ),
    pytest.param(
        episode("title: 1. Hello", "title: 1. こんにちは、世界").replace(
            'duration: "01:02:03"', "duration: 1:02:03"
        ),
        episode("title: 1. Hello", "title: 1. こんにちは、世界").replace(
            'duration: "01:02:03"', 'duration: "1:02:03"'
        ),
        id="YT001-with-japanese-title",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_safe_fix(tmp_path: Path, before: str, after: str) -> None:
    text, result = fixed(tmp_path, before)
    assert text == after
    assert "Fixed 1 violation in 1 file." in result.out
    again, second = fixed(tmp_path, text)
    assert again == after
    assert "Fixed 0 violations in 0 files." in second.out


def test_yt004_appends_the_site_offset(make_site: Callable[..., Path]) -> None:
    before = episode("date: 2022-09-10 00:00:00 +0900", "date: 2022-09-20 20:00:00")
    site = make_site({"_posts/2022-09-20-1.md": before})
    result = run_cli("check", "--fix", "_posts", cwd=site)
    assert (site / "_posts/2022-09-20-1.md").read_text(encoding="utf-8") == episode(
        "date: 2022-09-10 00:00:00 +0900", "date: 2022-09-20 20:00:00 +0900"
    )
    assert result.code == 0, result.out
    assert "Fixed 1 violation in 1 file." in result.out


def test_yt004_in_summer_time_uses_that_dates_offset(make_site: Callable[..., Path]) -> None:
    before = episode("date: 2022-09-10 00:00:00 +0900", "date: 2022-07-01 09:30:00")
    site = make_site({"_posts/2022-07-01-1.md": before}, config="timezone: Europe/Berlin\n")
    run_cli("check", "--fix", "_posts", cwd=site)
    assert "date: 2022-07-01 09:30:00 +0200\n" in (site / "_posts/2022-07-01-1.md").read_text("utf-8")


def test_yt004_without_a_site_time_zone_is_only_a_suggestion(tmp_path: Path) -> None:
    before = episode("date: 2022-09-10 00:00:00 +0900", "date: 2022-09-20 20:00:00")
    text, result = fixed(tmp_path, before)
    assert text == before
    assert "YT004" in result.out
    assert result.code == 1


FM014_BEFORE = GOOD_EPISODE.replace('duration: "01:02:03"', 'durations: "01:02:03"')


def test_fm014_rename_is_unsafe(tmp_path: Path) -> None:
    text, result = fixed(tmp_path, FM014_BEFORE)
    assert text == FM014_BEFORE
    assert result.code == 1
    assert "FM014" in result.out
    assert "fix (unsafe): rename `durations` to `duration`" in result.out


def test_fm014_rename_with_unsafe_fixes(tmp_path: Path) -> None:
    text, result = fixed(tmp_path, FM014_BEFORE, "--unsafe-fixes")
    assert text == GOOD_EPISODE
    assert result.code == 0, result.out
    assert "Fixed 1 violation in 1 file." in result.out


def test_several_fixes_in_one_file(tmp_path: Path) -> None:
    before = (
        GOOD_EPISODE.replace('duration: "01:02:03"', "duration: 45:30")
        .replace("title: 1. Hello", "title: 1")
        .replace("layout: article\n", "layout: article\nepisode: 010\n")
    )
    after = (
        GOOD_EPISODE.replace('duration: "01:02:03"', 'duration: "45:30"')
        .replace("title: 1. Hello", 'title: "1"')
        .replace("layout: article\n", 'layout: article\nepisode: "010"\n')
    )
    text, result = fixed(tmp_path, before)
    assert text == after
    assert "Fixed 3 violations in 1 file." in result.out
    assert result.code == 0
