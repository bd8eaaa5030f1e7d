"""The command line: exit codes, formats (golden files), rules and rule explanations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from epilint import __version__
from epilint.lint import registry
from tests.conftest import GOOD_EPISODE, ROOT, run_cli

GOLDEN = Path(__file__).resolve().parent / "output" / "golden"
UPDATE = os.environ.get("EPILINT_UPDATE_GOLDEN") == "1"


def check_golden(name: str, text: str) -> None:
    """Compare with tests/output/golden/NAME; ``EPILINT_UPDATE_GOLDEN=1`` rewrites the file."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_examples_output_matches_golden(fmt: str) -> None:
    result = run_cli("check", "examples", "--format", fmt, cwd=ROOT)
    assert result.code == 1
    assert result.err == ""
    check_golden(f"examples.{fmt}", result.out)


def test_statistics_golden() -> None:
    result = run_cli("check", "examples", "--statistics", cwd=ROOT)
    assert result.code == 1
    check_golden("examples.statistics.txt", result.out)


def test_clean_file_exits_0(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(GOOD_EPISODE, encoding="utf-8")
    result = run_cli("check", "p.md", cwd=tmp_path)
    assert result.code == 0
    assert result.out == "All checks passed: no violations in 1 file.\n"


def test_exit_zero_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_cli("check", "examples", "--format", "json", "--output", out, "--exit-zero", cwd=ROOT)
    assert result.code == 0
    assert result.out == ""
    assert out.read_text(encoding="utf-8") == run_cli("check", "examples", "--format", "json", cwd=ROOT).out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "yaml"],
        ["check", "--bogus"],
        ["check", "no/such/file.md"],
        ["rule", "ZZ999"],
        [],
    ],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert result.code == 2
    assert "Traceback" not in result.err


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"epilint {__version__}"


def test_rules_lists_every_rule() -> None:
    result = run_cli("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == len(registry.load_rules())
    assert lines[0].split()[:3] == ["FM001", "missing-front-matter", "error"]


def test_rule_explains_what_why_example_fix() -> None:
    result = run_cli("rule", "yt001")
    assert result.code == 0
    assert result.out.startswith("YT001 sexagesimal-number [error] (fix: safe)")
    for part in ("Why:", "Example:", "Fix:", "36360"):
        assert part in result.out


def test_every_rule_doc_has_the_outline() -> None:
    for rule in registry.load_rules().values():
        for part in ("Why:", "Example:", "Fix:"):
            assert part in rule.doc, f"{rule.code} lacks {part}"


def test_text_paths_are_relative_to_cwd_and_colour_is_off_when_piped() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "epilint", "check", "examples"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert "\033[" not in proc.stdout
    assert proc.stdout.splitlines()[0].startswith("examples/_posts/")
    assert proc.stderr == ""


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_the_command_exits_quickly_without_losing_output(fmt: str, tmp_path: Path) -> None:
    """``python -m epilint`` ends with ``os._exit``: everything is still written, to a pipe
    and to a file, with the same exit code as ``main``."""
    command = [sys.executable, "-m", "epilint", "check", "--no-cache", "--format", fmt, "examples"]
    expected = run_cli("check", "--no-cache", "--format", fmt, "examples", cwd=ROOT)
    piped = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert (piped.returncode, piped.stdout, piped.stderr) == (expected.code, expected.out, "")
    target = tmp_path / "report"
    with target.open("w") as handle:
        code = subprocess.run(command, cwd=ROOT, stdout=handle, timeout=60, check=False).returncode
    assert (code, target.read_text()) == (expected.code, expected.out)


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    """`epilint check | head`: the reader goes away while a long report is written."""
    posts = tmp_path / "_posts"
    posts.mkdir()
    bad = (
        GOOD_EPISODE.replace('duration: "01:02:03"', "duration: 45:30")
        + "[a](http://example.com/?utm_source=x)\n"
    )
    for number in range(1, 301):  # ≈ 200 KB of report: more than a pipe holds
        (posts / f"2022-09-10-{number}.md").write_text(bad, encoding="utf-8")
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {sys.executable} -m epilint check --no-cache _posts | head -c 1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.stdout == "_"
    assert proc.stderr == ""
    assert proc.returncode == 0


def test_entry_exits_normally_under_a_tracer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Coverage and profilers hook ``sys.settrace``/``setprofile`` and save at exit."""
    from epilint import cli

    monkeypatch.setattr(sys, "argv", ["epilint", "rules"])
    monkeypatch.setattr(cli.os, "_exit", lambda code: pytest.fail("os._exit under a tracer"))
    previous = sys.gettrace()
    sys.settrace(lambda *args: None)
    try:
        with pytest.raises(SystemExit) as exited:
            cli.entry()
    finally:
        sys.settrace(previous)
    assert exited.value.code == 0


def test_json_fields_match_the_contract(seed: Path) -> None:
    result = run_cli("check", seed, "--format", "json")
    item = result.json()[0]
    assert list(item) == [
        "path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "fix",
    ]  # fmt: skip
    fix = item["fix"]
    assert isinstance(fix, dict)
    assert list(fix) == ["applicability", "description", "edits"]


def test_colour_only_on_a_terminal_without_no_color() -> None:
    import pty

    def run_on_tty(extra_env: dict[str, str]) -> str:
        leader, follower = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | extra_env
        proc = subprocess.Popen(
            [sys.executable, "-m", "epilint", "check", "examples"],
            cwd=ROOT, stdout=follower, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=60)
        os.close(leader)
        return b"".join(chunks).decode()

    assert "\033[" in run_on_tty({})
    assert "\033[" not in run_on_tty({"NO_COLOR": "1"})
