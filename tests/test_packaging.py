"""The wheel carries the schemas and works from any directory; docs and README stay true."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from epilint.output import docgen
from tests.conftest import GOOD_EPISODE, ROOT


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_lints_from_elsewhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (wheel,) = dist.glob("epilint-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, timeout=600
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    post = elsewhere / "post.md"
    post.write_text(GOOD_EPISODE.replace('"01:02:03"', "45:30"), encoding="utf-8")
    clean_env = {"PATH": str(env_dir / "bin"), "HOME": str(tmp_path)}
    proc = subprocess.run(
        [str(env_dir / "bin" / "epilint"), "check", "post.md", "--format", "json"],
        cwd=elsewhere, capture_output=True, text=True, timeout=60, env=clean_env, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert [v["code"] for v in json.loads(proc.stdout)] == ["YT001"]
    where = subprocess.run(
        [str(python), "-c", "from epilint.schema import load; print(load.bundled_schema())"],
        cwd=elsewhere, capture_output=True, text=True, timeout=60, env=clean_env, check=True,
    )  # fmt: skip
    bundled = Path(where.stdout.strip())
    assert bundled.is_file()
    assert env_dir in bundled.parents


def test_docs_rules_page_is_up_to_date() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == docgen.render(), "run: python -m epilint.output.docgen > docs/rules.md"


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.DOTALL)
    install_and_run, install_and_test = blocks[0], blocks[1]
    assert "epilint check examples" in install_and_run
    assert "pytest" in install_and_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci
    # the two commands come before any other section
    assert readme.index(install_and_test) < readme.index("\n## ")


def test_every_documented_install_works_without_pypi() -> None:
    """epilint is not on PyPI: every `pip install` in the docs names the repository (a git
    URL at a tag) or a checkout, never a bare `epilint` requirement."""
    commands = []
    for page in (ROOT / "README.md", ROOT / "docs" / "ci.md", ROOT / "action.yml"):
        commands += [line for line in page.read_text(encoding="utf-8").splitlines() if "pip install" in line]
    assert commands
    for line in commands:
        arguments = re.split(r"&&|;|\|", line.split("pip install", 1)[1])[0].split()
        requirements = [a.strip("\"'") for a in arguments if not a.startswith("-")]
        assert not any(re.fullmatch(r"epilint([=<>~!].*)?", r) for r in requirements), line


def test_tzdata_where_the_system_has_no_zone_database() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "\"tzdata; sys_platform == 'win32'\"" in text


@pytest.mark.parametrize("with_tzdata", [True, False])
def test_a_sites_time_zone_never_silently_disappears(tmp_path: Path, with_tzdata: bool) -> None:
    """As on Windows: no system zone database. With tzdata the zone is read from it; without
    it, epilint says so instead of judging dates in UTC without a word."""
    pytest.importorskip("tzdata")
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    (site / "_posts" / "2022-09-10-1.md").write_text(
        GOOD_EPISODE.replace("00:00:00 +0900", "20:00:00"), encoding="utf-8"
    )
    block = "" if with_tzdata else "import sys; sys.modules['tzdata'] = None; "
    run = "raise SystemExit(main(['check', '--no-cache', '--select', 'YT004']))"
    code = f"{block}from epilint.cli import main; {run}"
    env = {**__import__("os").environ, "PYTHONTZPATH": str(tmp_path / "no-zones")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    if with_tzdata:
        assert "fix (safe): append the site's offset: 2022-09-10 20:00:00 +0900" in done.stdout
        assert done.stderr == ""
    else:
        assert "this system has no time zone database (install the `tzdata` package)" in done.stderr


@pytest.mark.slow
def test_the_documented_git_install_works(tmp_path: Path) -> None:
    """`pip install "git+…@TAG"` (the docs' command) with a local clone for the URL."""
    from tests.conftest import git, require

    require("git")
    repo = tmp_path / "epilint"
    import shutil

    shutil.copytree(
        ROOT, repo, ignore=shutil.ignore_patterns(".git", "tools", "__pycache__", ".*_cache", "*.egg-info")
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "release")
    git(repo, "tag", "v0.1.0")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    url = f"git+{repo.as_uri()}@v0.1.0"
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", url],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    done = subprocess.run(
        [str(env_dir / "bin" / "epilint"), "schema", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.startswith("episode  (default)")
