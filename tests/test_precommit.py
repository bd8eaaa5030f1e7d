"""The pre-commit hooks, run by the real ``pre-commit`` on a real git repository.

``pre-commit try-repo`` installs this repository (copied and committed, so the test
does not depend on the working tree being clean) into a fresh virtualenv from the
package index, exactly as a podcast site's ``.pre-commit-config.yaml`` would, and runs
the hook on the files given.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BAD_EPISODE, GOOD_EPISODE, ROOT, episode, git, git_site, write_files

pytestmark = pytest.mark.slow

_COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    "tools",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".epilint_cache",
    "*.egg-info",
)


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """This repository, committed in a temporary git repo, and pre-commit's environment."""
    from tests.conftest import require

    require("git")
    if importlib.util.find_spec("pre_commit") is None:
        require("pre-commit")  # fails in CI; skips locally when pre-commit is missing
    base = tmp_path_factory.mktemp("hooks")
    repo = base / "epilint"
    shutil.copytree(ROOT, repo, ignore=_COPY_IGNORE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "epilint under test")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "EPILINT_CACHE_DIR") and not k.startswith("GIT_")
    }
    env.update(
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),  # hook environments of this test only
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        NO_COLOR="1",
    )
    return repo, env


@pytest.fixture
def podcast(tmp_path: Path) -> Path:
    posts = {
        "_posts/2022-09-10-1.md": GOOD_EPISODE,
        "_posts/2022-09-11-2.md": episode(BAD_EPISODE, day="2022-09-11", number=2),
    }
    return git_site(tmp_path / "podcast", posts, commit=False)


def try_repo(
    hooks: tuple[Path, dict[str, str]], site: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    repo, env = hooks
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(repo),
            hook,
            "--color",
            "never",
            "--files",
            *files,
        ],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_a_bad_post_blocks_the_commit(hooks: tuple[Path, dict[str, str]], podcast: Path) -> None:
    done = try_repo(hooks, podcast, "epilint", "_posts/2022-09-11-2.md")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "epilint" in done.stdout
    assert "Failed" in done.stdout
    assert "_posts/2022-09-11-2.md:7:11: YT001 [error]" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_good_post_passes(hooks: tuple[Path, dict[str, str]], podcast: Path) -> None:
    done = try_repo(hooks, podcast, "epilint", "_posts/2022-09-10-1.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
    # The hook left its results cache at the site root, invisible to git.
    assert (podcast / ".epilint_cache" / "store.sqlite3").is_file()
    assert ".epilint_cache" not in git(podcast, "status", "--porcelain", "--untracked-files=all")


def test_files_outside_posts_are_not_passed_to_the_hook(
    hooks: tuple[Path, dict[str, str]], podcast: Path
) -> None:
    write_files(podcast, {"about.md": BAD_EPISODE})
    git(podcast, "add", "about.md")
    done = try_repo(hooks, podcast, "epilint", "about.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(no files to check)Skipped" in done.stdout


def test_exclude_applies_to_the_files_pre_commit_names(
    hooks: tuple[Path, dict[str, str]], podcast: Path
) -> None:
    """The hooks run with --force-exclude: an excluded post is skipped although pre-commit
    names it, and the other staged posts are still linted."""
    write_files(podcast, {"epilint.toml": 'exclude = ["_posts/2022-09-11-*"]\n'})
    git(podcast, "add", "-A")
    done = try_repo(hooks, podcast, "epilint", "_posts/2022-09-11-2.md", "_posts/2022-09-10-1.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
    for hook in ("epilint", "epilint-fix"):
        (podcast / "epilint.toml").write_text('exclude = ["_posts/2022-09-10-*"]\n', encoding="utf-8")
        still = try_repo(hooks, podcast, hook, "_posts/2022-09-11-2.md", "_posts/2022-09-10-1.md")
        assert still.returncode == 1, still.stdout + still.stderr


def test_epilint_fix_repairs_a_fixable_post(hooks: tuple[Path, dict[str, str]], podcast: Path) -> None:
    post = podcast / "_posts/2022-09-11-2.md"
    done = try_repo(hooks, podcast, "epilint-fix", "_posts/2022-09-11-2.md")
    assert done.returncode == 1, done.stdout + done.stderr  # files were modified
    fixed = GOOD_EPISODE.replace('"01:02:03"', '"45:30"')
    assert post.read_text(encoding="utf-8") == episode(fixed, day="2022-09-11", number=2)
    again = try_repo(hooks, podcast, "epilint-fix", "_posts/2022-09-11-2.md")
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_hook_files_are_valid(hooks: tuple[Path, dict[str, str]]) -> None:
    repo, env = hooks
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, name],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_this_repositorys_examples_hook(hooks: tuple[Path, dict[str, str]]) -> None:
    repo, env = hooks
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "run",
            "epilint-examples",
            "--all-files",
            "--verbose",
            "--color",
            "never",
        ],
        cwd=repo,
        env={**env, "PYTHONPATH": str(repo)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "YT001 [error]" in done.stdout  # it really linted the examples
