"""The editor's linting without the protocol: one unsaved text, as ``check`` lints the file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from epilint.editor.workspace import Workspace
from epilint.errors import ConfigError
from epilint.read import document
from tests.conftest import BAD_EPISODE, GOOD_EPISODE, episode, run_cli


def _site(make_site: Callable[..., Path], count: int) -> Path:
    return make_site(
        {
            f"_posts/2022-09-{day:02d}-{day}.md": episode(GOOD_EPISODE, day=f"2022-09-{day:02d}", number=day)
            for day in range(1, count + 1)
        }
    )


def _codes(workspace: Workspace, path: Path, text: str) -> list[str]:
    linted = workspace.lint(path, text)
    assert linted is not None
    return [v.code for v in linted.checked.result.violations]


def test_the_unsaved_text_gets_what_check_gives_the_saved_file(make_site: Callable[..., Path]) -> None:
    site = _site(make_site, 3)
    post = site / "_posts/2022-09-03-3.md"
    text = episode(BAD_EPISODE, day="2022-09-03", number=2)  # YT001, and episode 2 twice
    post.write_text(text, encoding="utf-8")
    checked = run_cli("check", "--no-cache", "--format", "json", post, cwd=site)
    on_disk = [(v["code"], v["line"], v["column"]) for v in checked.json()]
    post.write_text(episode(GOOD_EPISODE, day="2022-09-03", number=3), encoding="utf-8")
    linted = Workspace().lint(post, text)
    assert linted is not None
    result = linted.checked.result
    assert [(v.code, *result.positions.position(v.span.start)) for v in result.violations] == on_disk
    assert {"YT001", "CO005"} <= {code for code, _, _ in on_disk}


def test_other_posts_are_parsed_once_then_kept_while_unchanged(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(make_site, 20)
    post = site / "_posts/2022-09-20-20.md"
    text = post.read_text(encoding="utf-8")
    workspace = Workspace()
    parsed: list[str] = []
    original = document.Document.parse

    def counting(path: Path, text: str, *, bom: bool = False) -> document.Document:
        parsed.append(path.name)
        return original(path, text, bom=bom)

    monkeypatch.setattr(document.Document, "parse", counting)
    assert _codes(workspace, post, text) == []
    work = workspace.setup_for(post).summaries.work
    assert (work.parsed, work.kept) == (19, 0)
    parsed.clear()
    for _ in range(3):
        assert _codes(workspace, post, text.replace("Show notes.", "Show notes, edited.")) == []
    assert parsed == [post.name] * 3  # the buffer only
    assert (work.parsed, work.kept) == (19, 57)
    other = site / "_posts/2022-09-01-1.md"
    other.write_text(episode(GOOD_EPISODE, day="2022-09-01", number=20), encoding="utf-8")
    parsed.clear()
    assert sorted(_codes(workspace, post, text)) == ["CO002", "CO005"]  # number and audio of 20
    assert parsed == [post.name, other.name]  # the buffer, and the post that changed on disk
    assert work.parsed == 20


def test_summaries_come_from_the_results_cache_when_it_knows_the_files(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(make_site, 5)
    assert run_cli("check", cwd=site).code == 0  # fills the results cache
    post = site / "_posts/2022-09-05-5.md"
    workspace = Workspace()
    assert _codes(workspace, post, post.read_text(encoding="utf-8")) == []
    work = workspace.setup_for(post).summaries.work
    assert (work.parsed, work.cached) == (0, 4)


def test_a_changed_site_or_config_builds_a_new_setup(make_site: Callable[..., Path]) -> None:
    site = _site(make_site, 1)
    post = site / "_posts/2022-09-02-2.md"
    text = episode(GOOD_EPISODE, day="2022-09-02", number=2).replace("+0900", "")
    workspace = Workspace()
    linted = workspace.lint(post, text)
    assert linted is not None
    (yt004,) = linted.checked.result.violations
    assert "Asia/Tokyo" in yt004.message
    config = (site / "_config.yml").read_text(encoding="utf-8")
    (site / "_config.yml").write_text(config.replace("Asia/Tokyo", "Europe/Paris"), encoding="utf-8")
    linted = workspace.lint(post, text)
    assert linted is not None
    assert "Europe/Paris" in linted.checked.result.violations[0].message
    (site / "epilint.toml").write_text('ignore = ["YT004"]\n', encoding="utf-8")
    assert _codes(workspace, post, text) == []
    (site / "epilint.toml").write_text("ignore = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        workspace.lint(post, text)


def test_only_what_a_check_of_the_site_lints(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = _site(make_site, 1)
    workspace = Workspace()
    assert workspace.lint(site / "about.md", "no front matter\n") is None
    assert workspace.lint(site / "_posts/notes.txt", "x\n") is None
    assert workspace.lint(site / "_posts/2022-09-09-9.md", "no front matter\n") is not None  # unsaved, new
    (site / "epilint.toml").write_text('exclude = ["_posts/2022-09-09-*"]\n', encoding="utf-8")
    assert workspace.lint(site / "_posts/2022-09-09-9.md", "x\n") is None
    loose = tmp_path / "loose"
    loose.mkdir()
    assert workspace.lint(loose / "draft.md", GOOD_EPISODE) is not None  # outside a site: as check does


def test_bytes_a_file_could_not_hold_are_reported_not_raised(make_site: Callable[..., Path]) -> None:
    site = _site(make_site, 1)
    post = site / "_posts/2022-09-01-1.md"
    workspace = Workspace()
    assert _codes(workspace, post, "---\ntitle: \ud800\n---\n") == ["FM004"]
    assert _codes(workspace, post, "---\ntitle: a\x00\n---\n") == ["FM004"]
    bom = workspace.lint(post, "\ufeff" + episode(BAD_EPISODE, day="2022-09-01", number=1))
    assert bom is not None
    assert bom.shift == 1
    assert os.fspath(bom.path) == os.fspath(post)
