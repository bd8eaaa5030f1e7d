"""The human formats: layouts, --quiet, --color, --show-fixes, statistics in Actions, the
job summary, "did you mean", stdin, and no control character ever printed as is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BAD_EPISODE, GOOD_EPISODE, run_cli

TWO = BAD_EPISODE + "[a](http://example.com/a)\n"  # YT001 (safe fix) and LN006 (unsafe fix)


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "p.md"
    path.write_text(TWO, encoding="utf-8")
    return path


def text(post: Path, *args: str) -> str:
    result = run_cli("check", "--no-cache", post.name, *args, cwd=post.parent)
    assert result.code in (0, 1), result.err
    return result.out


def test_layouts(post: Path) -> None:
    full = text(post, "--output-format", "full")
    assert full == text(post)  # off a terminal, the default
    assert full.splitlines()[:2] == [
        "p.md:7:11: YT001 [error] `duration: 45:30` is the base-60 number 163800 (read as 45 h 30 min) to "
        'Jekyll, not the text "45:30": the feed will say <itunes:duration>163800</itunes:duration>',
        '  fix (safe): quote it: "45:30"',
    ]
    concise = text(post, "--output-format", "concise").splitlines()
    assert [line.split(": ", 1)[0] for line in concise[:2]] == ["p.md:7:11", "p.md:13:5"]
    assert not any(line.startswith("  fix") for line in concise)
    grouped = text(post, "--output-format", "grouped").splitlines()
    assert grouped[0] == "p.md:"
    assert grouped[1].startswith("  7:11 YT001 [error] ")
    assert grouped[2] == '       fix (safe): quote it: "45:30"'
    assert grouped[3].startswith("  13:5 LN006 [warning] ")


def test_grouped_by_default_on_a_terminal_for_many_findings(tmp_path: Path) -> None:
    import pty

    many = BAD_EPISODE + "".join(f"[a{n}](http://example.com/{n})\n" for n in range(30))
    (tmp_path / "p.md").write_text(many, encoding="utf-8")

    def on_tty(path: str) -> str:
        leader, follower = pty.openpty()
        env = {**os.environ, "NO_COLOR": "1"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "epilint", "check", "--no-cache", path],
            cwd=tmp_path, stdout=follower, stderr=subprocess.DEVNULL, env=env,
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
        return b"".join(chunks).decode().replace("\r\n", "\n")

    assert on_tty("p.md").startswith("p.md:\n  7:11 YT001")
    (tmp_path / "q.md").write_text(TWO, encoding="utf-8")
    assert on_tty("q.md").startswith("q.md:7:11: YT001")  # two findings: one line each


def test_quiet_and_color(post: Path) -> None:
    quiet = text(post, "--quiet")
    assert "Found" not in quiet
    assert quiet.count("\n") == 4
    assert "\033[" in text(post, "--color", "always")
    assert "\033[" not in text(post, "--color", "never")
    clean = post.with_name("clean.md")
    clean.write_text(GOOD_EPISODE, encoding="utf-8")
    assert text(clean, "--quiet") == ""


def test_show_fixes(post: Path) -> None:
    fixed = run_cli(
        "check", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", post.name, cwd=post.parent
    )
    assert (
        "Fixed 2 violations:\n- p.md:\n    1 × LN006 (insecure-link)\n    1 × YT001 (sexagesimal-number)\n"
        in fixed.out
    )
    post.write_text(TWO, encoding="utf-8")
    diff = run_cli("check", "--no-cache", "--diff", "--show-fixes", post.name, cwd=post.parent)
    assert (
        "epilint: Would fix 1 violation:\nepilint: - p.md:\nepilint:     1 × YT001 (sexagesimal-number)\n"
        in diff.err
    )
    alone = run_cli("check", "--show-fixes", post.name, cwd=post.parent)
    assert alone.code == 2


def test_statistics_and_the_job_summary_in_github_actions(
    post: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = post.with_name("summary.md")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    stats = run_cli("check", "--no-cache", "--statistics", post.name, cwd=post.parent)
    assert stats.out.splitlines()[:2] == [
        "1  LN006  insecure-link [warning]",
        "1  YT001  sexagesimal-number [error]  (1 fixable)",
    ]
    assert "::error" not in stats.out
    page = summary.read_text(encoding="utf-8")
    assert "| rule | name | severity | findings |" in page
    assert "| YT001 | sexagesimal-number | error | 1 |" in page
    assert "| <code>p.md</code> | 1 | 1 |" in page
    annotations = run_cli("check", "--no-cache", post.name, cwd=post.parent)
    assert annotations.out.startswith("::error file=p.md,line=7,col=11")
    assert summary.read_text(encoding="utf-8").count("## epilint") == 2  # appended, as GitHub expects


def test_did_you_mean(post: Path) -> None:
    flag = run_cli("check", "--satistics", post.name, cwd=post.parent)
    assert flag.code == 2
    assert "unrecognized arguments: --satistics (did you mean `--statistics` for `--satistics`?)" in flag.err
    command = run_cli("chekc", cwd=post.parent)
    assert command.code == 2
    assert "(did you mean `check`?)" in command.err
    code = run_cli("check", "--select", "YT01", post.name, cwd=post.parent)
    assert code.code == 2
    assert "`YT01` matches no rule code (did you mean `YT001`?" in code.err
    rule = run_cli("rule", "LN06")
    assert "did you mean `LN006`?" in rule.err


def test_stdin_is_judged_as_the_named_path(tmp_path: Path) -> None:
    from tests.conftest import SITE_CONFIG

    (tmp_path / "_config.yml").write_text(SITE_CONFIG, encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "audio").mkdir()  # the site keeps its audio: a missing file is EP008
    command = [
        sys.executable,
        "-m",
        "epilint",
        "check",
        "--no-cache",
        "-",
        "--stdin-filename",
        "_posts/2022-09-10-1.md",
    ]
    done = subprocess.run(
        command, input=TWO, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1, done.stderr
    # judged in its site: the audio file is missing there (EP008)
    assert done.stdout.startswith("_posts/2022-09-10-1.md:3:18: EP008 [error]")
    assert "_posts/2022-09-10-1.md:7:11: YT001" in done.stdout
    fixed = subprocess.run(
        [*command, "--fix"], input=TWO, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert fixed.stdout == TWO.replace("45:30", '"45:30"')
    assert not (tmp_path / "_posts/2022-09-10-1.md").exists()


INJECTED = "x\n::error file=a.md,line=1::forged\x1b]52;c;cHduZWQ=\x07\x1b[2K\u202eevil"


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    name = "bad\nname\x1b[31m.md"
    text = GOOD_EPISODE.replace("title: 1. Hello", f"title: '1. {INJECTED}'").replace(
        "Show notes.", "[x](http://example.com/\x1b]0;title\x07)"
    )
    (tmp_path / name).write_text(text.replace('duration: "01:02:03"', "duration: ''"), encoding="utf-8")
    for args in ([], ["--output-format", "concise"], ["--output-format", "grouped"], ["--statistics"]):
        result = run_cli("check", "--no-cache", name, *args, cwd=tmp_path)
        for stream in (result.out, result.err):
            for control in ("\x1b", "\x07", "\u202e"):
                assert control not in stream, args
            assert not any(line.startswith("::") for line in stream.splitlines()), args
    result = run_cli("check", "--no-cache", name, cwd=tmp_path)
    assert "bad\\nname\\x1b[31m.md:" in result.out
    missing = run_cli("check", "no\nsuch\x1b[2K.md", cwd=tmp_path)
    assert missing.code == 2
    assert "no\\nsuch\\x1b[2K.md" in missing.err
    assert "\x1b" not in missing.err
