"""``--since REF`` against real git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BAD_EPISODE, SITE_CONFIG, git, git_site, require, run_cli, write_files


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A site in a git repo: `main` has three bad posts, a branch then changes things."""
    posts = {f"_posts/2022-01-0{n}-{n}.md": BAD_EPISODE for n in range(1, 5)}
    root = git_site(tmp_path / "repo", {**posts, ".gitignore": "_posts/ignored-*.md\n"})
    git(root, "checkout", "-q", "-b", "topic")
    return root


def linted(repo: Path, *args: str) -> set[str]:
    result = run_cli("check", "--no-cache", "--format", "json", *args, cwd=repo)
    assert result.code in (0, 1), result.err
    return {str(item["path"]) for item in result.json()}


def test_committed_staged_modified_and_untracked(repo: Path) -> None:
    # Committed on the branch: a new post and an edited one.
    write_files(repo, {"_posts/2022-02-01-5.md": BAD_EPISODE, "_posts/2022-01-01-1.md": BAD_EPISODE + "x\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "topic work")
    # Staged only.
    write_files(repo, {"_posts/2022-02-02-6.md": BAD_EPISODE})
    git(repo, "add", "_posts/2022-02-02-6.md")
    # Modified in the working tree, not staged.
    write_files(repo, {"_posts/2022-01-02-2.md": BAD_EPISODE + "y\n"})
    # Untracked, untracked but ignored, a deleted post, and a changed page outside _posts.
    write_files(
        repo,
        {
            "_posts/2022-02-03-7.md": BAD_EPISODE,
            "_posts/ignored-8.md": BAD_EPISODE,
            "about.md": BAD_EPISODE,
            "_posts/notes.txt": BAD_EPISODE,
        },
    )
    (repo / "_posts/2022-01-04-4.md").unlink()

    assert linted(repo, "--since", "main") == {
        "_posts/2022-01-01-1.md",
        "_posts/2022-01-02-2.md",
        "_posts/2022-02-01-5.md",
        "_posts/2022-02-02-6.md",
        "_posts/2022-02-03-7.md",
    }
    # Without --since, every post is linted (the untouched one too, the deleted one not).
    assert "_posts/2022-01-03-3.md" in linted(repo)
    # Explicit paths narrow the set further; a commit id works as well as a branch name.
    base = git(repo, "rev-parse", "main").strip()
    assert linted(repo, "--since", base, "_posts/2022-02-01-5.md", "_posts/2022-01-03-3.md") == {
        "_posts/2022-02-01-5.md"
    }


def test_merge_base_ignores_later_commits_on_the_base_branch(repo: Path) -> None:
    write_files(repo, {"_posts/2022-02-01-5.md": BAD_EPISODE})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "topic")
    git(repo, "checkout", "-q", "main")
    write_files(repo, {"_posts/2022-01-03-3.md": BAD_EPISODE + "changed on main\n"})
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "topic")
    assert linted(repo, "--since", "main") == {"_posts/2022-02-01-5.md"}


def test_nothing_changed_is_clean(repo: Path) -> None:
    result = run_cli("check", "--no-cache", "--since", "main", cwd=repo)
    assert result.code == 0
    assert "no violations in 0 files" in result.out


def test_site_in_a_subfolder_and_odd_names(tmp_path: Path) -> None:
    require("git")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"README.md": "hi\n", "site/_config.yml": SITE_CONFIG})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    name = "site/_posts/2022-01-01-日本 語,1.md"
    write_files(root, {name: BAD_EPISODE, "site/index.md": BAD_EPISODE})
    assert linted(root, "--since", "main") == {name}
    assert linted(root / "site", "--since", "main") == {"_posts/2022-01-01-日本 語,1.md"}


def test_unknown_ref_is_a_usage_error(repo: Path) -> None:
    result = run_cli("check", "--since", "no-such-branch", cwd=repo)
    assert result.code == 2
    assert "unknown git ref `no-such-branch`" in result.err
    assert "Traceback" not in result.err
    option_like = run_cli("check", "--since=--output=x", cwd=repo)
    assert option_like.code == 2
    assert not (repo / "x").exists()


def test_outside_a_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require("git")
    site = tmp_path / "site"
    write_files(site, {"_config.yml": SITE_CONFIG, "_posts/2022-01-01-1.md": BAD_EPISODE})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # even if /tmp were in a repo
    result = run_cli("check", "--since", "main", cwd=site)
    assert result.code == 2
    assert "needs a git repository" in result.err
    assert "Traceback" not in result.err
