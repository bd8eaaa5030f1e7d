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
