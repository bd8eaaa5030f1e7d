"""The composite GitHub Action: its metadata, and its lint step's script run for real.

GitHub's runner is not available here, so the test runs the step's bash script the way
the runner does (``bash -e``, the step's ``env``, a ``GITHUB_OUTPUT`` file) with an
``epilint`` command that runs this checkout, in a real git repository.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import BAD_EPISODE, GOOD_EPISODE, ROOT, episode, git, git_site, write_files


def action() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_metadata() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    for name, spec in data["inputs"].items():
        assert spec["description"], name
        assert "default" in spec, name
    for step in data["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            # Inputs reach scripts through env only: no ${{ }} expansion inside shell code.
            assert "${{" not in step["run"], step["name"]
    documented = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for name in data["inputs"]:
        assert f"`{name}`" in documented, name


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A repo whose base commit has one bad post; the branch adds another bad post."""
    repo = git_site(
        tmp_path / "site",
        {
            "_posts/2022-01-01-1.md": episode(BAD_EPISODE, day="2022-01-01", number=1),
            "_posts/2022-01-02-2.md": episode(GOOD_EPISODE, day="2022-01-02", number=2),
        },
    )
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "topic")
    write_files(repo, {"_posts/2022-02-01-3.md": episode(BAD_EPISODE, day="2022-02-01", number=3)})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "new episode")
    return repo, base


def run_step(
    repo: Path, tmp_path: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    (step,) = [s for s in action()["runs"]["steps"] if s.get("id") == "lint"]
    shim = tmp_path / "bin" / "epilint"
    shim.parent.mkdir(exist_ok=True)
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m epilint "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env = {
        **os.environ,
        "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(outputs),
    }
    defaults = {name: str(spec["default"]) for name, spec in action()["inputs"].items()}
    values = {**defaults, **{k.replace("_", "-"): v for k, v in inputs.items()}}
    for name, template in step["env"].items():
        expression = template.strip("${} ")
        if expression.startswith("inputs."):
            env[name] = values[expression.removeprefix("inputs.")]
        else:
            env[name] = inputs.get(name.lower(), "")
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    pairs = (line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return done, dict(pairs)


def sarif_uris(repo: Path) -> set[str]:
    sarif = json.loads((repo / "epilint.sarif").read_text(encoding="utf-8"))
    return {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    }


def test_pull_request_annotations_and_sarif(pull_request: tuple[Path, str], tmp_path: Path) -> None:
    repo, base = pull_request
    done, outputs = run_step(
        repo, tmp_path, pr_base_sha=base, sarif_file="epilint.sarif", event_name="pull_request"
    )
    assert done.returncode == 1, done.stderr
    annotations = done.stdout.splitlines()
    assert annotations
    assert all(line.startswith("::error file=_posts/2022-02-01-3.md,") for line in annotations), annotations
    assert outputs == {"exit-code": "1", "sarif-file": "epilint.sarif", "sarif-category": "epilint"}
    # Code scanning closes the alerts an upload leaves out: the SARIF covers every episode.
    assert sarif_uris(repo) == {"_posts/2022-01-01-1.md", "_posts/2022-02-01-3.md"}


def test_partial_sarif_gets_its_own_category_but_never_on_the_default_branch(
    pull_request: tuple[Path, str], tmp_path: Path
) -> None:
    repo, base = pull_request
    common = {"sarif_file": "epilint.sarif", "sarif_all_files": "false", "default_branch": "main"}
    done, outputs = run_step(repo, tmp_path, pr_base_sha=base, event_name="pull_request", **common)
    assert done.returncode == 1, done.stderr
    assert outputs["sarif-category"] == "epilint-changed"
    assert sarif_uris(repo) == {"_posts/2022-02-01-3.md"}
    # A push to the default branch: annotations for the pushed commits, SARIF for everything.
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "topic")
    done, outputs = run_step(
        repo, tmp_path, push_before=base, event_name="push", git_ref="refs/heads/main", **common
    )
    assert done.returncode == 1, done.stderr
    assert {line.split(",", 1)[0] for line in done.stdout.splitlines()} == {
        "::error file=_posts/2022-02-01-3.md"
    }
    assert outputs["sarif-category"] == "epilint"
    assert sarif_uris(repo) == {"_posts/2022-01-01-1.md", "_posts/2022-02-01-3.md"}


def test_all_files_and_not_failing(pull_request: tuple[Path, str], tmp_path: Path) -> None:
    repo, base = pull_request
    done, outputs = run_step(repo, tmp_path, pr_base_sha=base, all_files="true", fail_on_violations="false")
    assert done.returncode == 0, done.stderr
    assert outputs["exit-code"] == "1"
    files = {line.split(",", 1)[0] for line in done.stdout.splitlines()}
    assert files == {"::error file=_posts/2022-01-01-1.md", "::error file=_posts/2022-02-01-3.md"}


def test_a_configuration_error_always_fails(pull_request: tuple[Path, str], tmp_path: Path) -> None:
    repo, _base = pull_request
    done, outputs = run_step(repo, tmp_path, since="no-such-ref", fail_on_violations="false")
    assert done.returncode == 2
    assert "unknown git ref" in done.stderr
    assert outputs["exit-code"] == "2"
