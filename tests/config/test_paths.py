"""Paths in the config mean paths relative to the config file, whatever the current folder.

``include``, ``exclude`` and ``per-file-ignores`` are gitignore-style patterns (pathspec)
relative to the folder of the config file that wrote them; absolute, empty and climbing
patterns are configuration errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BAD_EPISODE, SITE_CONFIG, run_cli, write_files


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write_files(
        root,
        {
            "site/_config.yml": SITE_CONFIG,
            "site/_posts/2016-01-01-1.md": BAD_EPISODE,
            "site/_posts/2022-01-01-2.md": BAD_EPISODE,
            "site/_posts/legacy/2015-01-01-3.md": BAD_EPISODE,
            "site/_drafts/draft.md": BAD_EPISODE,
            "other/README.md": "hi\n",
            "epilint.toml": (
                'include = ["site/_posts/**/*.md", "site/_drafts/*.md"]\n'
                'exclude = ["legacy/", "site/_drafts/"]\n'
                "[per-file-ignores]\n"
                '"site/_posts/2016-*" = ["YT001"]\n'
            ),
        },
    )
    return root


def findings(cwd: Path, *args: str) -> set[tuple[str, str]]:
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "YT001", *args, cwd=cwd)
    assert result.code in (0, 1), result.err
    return {(Path(str(v["path"])).name, str(v["code"])) for v in result.json()}


def test_the_same_check_from_three_folders(project: Path) -> None:
    want = {("2022-01-01-2.md", "YT001")}
    assert findings(project) == want  # the config's own folder
    assert findings(project / "site" / "_posts") == want  # below it: the config is found walking up
    assert findings(project / "other", "--config", "../epilint.toml") == want  # beside it, named
    # Explicit paths: per-file-ignores still match relative to the config file.
    posts = project / "site" / "_posts"
    assert findings(posts, "2016-01-01-1.md", "2022-01-01-2.md") == want
    assert findings(project / "other", "--config", "../epilint.toml", str(posts)) == want


def test_gitignore_semantics(project: Path) -> None:
    (project / "epilint.toml").write_text(
        'include = ["*.md", "!README.md"]\nexclude = ["_drafts/", "site/_posts/2016-*"]\n', encoding="utf-8"
    )
    # `*.md` matches at any depth; `!` re-includes/excludes; `_drafts/` is a folder anywhere.
    assert {name for name, _ in findings(project)} == {"2022-01-01-2.md", "2015-01-01-3.md"}


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('include = ["/abs/*.md"]', "pattern `/abs/*.md` is absolute"),
        ('exclude = [""]', "`exclude` has an empty pattern"),
        ('include = ["  "]', "`include` has an empty pattern"),
        ('exclude = ["C:\\\\posts\\\\*.md"]', "is absolute"),
        ('include = ["../elsewhere/*.md"]', "climbs out of the config file's folder"),
        (
            '[per-file-ignores]\n"/site/*" = ["YT001"]',
            "`per-file-ignores./site/*` pattern `/site/*` is absolute",
        ),
    ],
)
def test_absolute_empty_and_climbing_patterns_are_configuration_errors(
    project: Path, line: str, fragment: str
) -> None:
    (project / "epilint.toml").write_text(line + "\n", encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.code == 2, result.out
    assert fragment in result.err
    assert "Traceback" not in result.err


def test_force_exclude_applies_exclude_to_named_files(project: Path) -> None:
    posts = project / "site" / "_posts"
    named = ("2022-01-01-2.md", "legacy/2015-01-01-3.md")
    assert {n for n, _ in findings(posts, *named)} == {"2022-01-01-2.md", "2015-01-01-3.md"}
    assert {n for n, _ in findings(posts, "--force-exclude", *named)} == {"2022-01-01-2.md"}
    (project / "epilint.toml").write_text('exclude = ["legacy/"]\nforce-exclude = true\n', encoding="utf-8")
    assert {n for n, _ in findings(posts, *named)} == {"2022-01-01-2.md"}
    assert {n for n, _ in findings(posts, "--no-force-exclude", *named)} == {
        "2022-01-01-2.md",
        "2015-01-01-3.md",
    }
    result = run_cli("check", "--no-cache", "legacy/2015-01-01-3.md", cwd=posts)
    assert result.code == 0
    assert "1 path skipped by `exclude` (--force-exclude)" in result.out
