"""Undecodable, odd and hostile files: each is a clear violation, the run goes on.

Every case runs the real command in a subprocess together with a good episode, with a
hard timeout: exit 1, no traceback, the good file still linted, a violation with a code.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_EPISODE

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")

CASES: dict[str, tuple[bytes, str]] = {
    "invalid-utf8": (b"---\ntitle: caf\xe9\n---\n", "FM004"),
    "utf16": ("---\ntitle: x\n---\n".encode("utf-16"), "FM004"),
    "png": (PNG, "FM004"),
    "nul": (b"---\ntitle: a\x00b\n---\n", "FM004"),
    "empty": (b"", "FM001"),
    "dashes-only": (b"---", "FM001"),
    "unterminated": (b"---\ntitle: x\nduration: 1\n", "FM001"),
    "lone-cr": (GOOD_EPISODE.replace("\n", "\r").encode(), "FM001"),
    "mixed-endings": (
        GOOD_EPISODE.replace('duration: "01:02:03"\n', "duration: 45:30\r\n").encode(),
        "YT001",
    ),
    "two-megabyte-line": (GOOD_EPISODE.encode() + b"x" * 2_000_000 + b"\n", ""),
    "hundred-thousand-keys": (
        ("---\n" + "".join(f"k{i}: v\n" for i in range(100_000)) + "---\n").encode(),
        "FM010",
    ),
    "deep-brackets": (("---\nk: " + "[" * 20_000 + "]" * 20_000 + "\n---\n").encode(), "FM002"),
    "billion-laughs": (
        (
            "---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12))
            + "---\n"
        ).encode(),
        "FM002",
    ),
    "ruby-object-tag": (b"---\ntitle: !ruby/object:Gem::Installer {i: x}\n---\n", "FM002"),
    "python-tag": (b"---\ntitle: !!python/object/apply:os.system ['touch PWNED']\n---\n", "FM012"),
    "merge-keys": (b"---\nbase: &b {layout: article}\npost:\n  <<: *b\n---\n", "FM010"),
    "yaml-stream": (b"---\ntitle: a\n---\n--- \ntitle: b\n---\n", "FM010"),
}


def run(paths: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "epilint", "check", "--format", "json", *map(str, paths)],
        cwd=cwd, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_a_violation_and_the_run_goes_on(name: str, tmp_path: Path) -> None:
    raw, code = CASES[name]
    bad = tmp_path / f"{name}.md"
    bad.write_bytes(raw)
    good = tmp_path / "zz-good.md"
    good.write_text(GOOD_EPISODE.replace('"01:02:03"', "45:30"), encoding="utf-8")
    proc = run([bad, good], tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    found = json.loads(proc.stdout)
    assert ("zz-good.md", "YT001") in {(f["path"], f["code"]) for f in found}, "the good file was linted"
    mine = [f for f in found if f["path"] == bad.name]
    if code:
        assert code in {f["code"] for f in mine}, mine
        assert proc.returncode == 1
        assert all(f["line"] >= 1 and f["column"] >= 1 for f in mine)
    assert not (tmp_path / "PWNED").exists()


def test_positions_of_undecodable_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\ntitle: ok\n\xff\n---\n")
    (finding,) = json.loads(run([bad], tmp_path).stdout)
    assert (finding["code"], finding["line"], finding["column"]) == ("FM004", 3, 1)


def test_a_directory_symlink_loop_terminates(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text(GOOD_EPISODE, encoding="utf-8")
    (posts / "loop").symlink_to(posts, target_is_directory=True)
    proc = run([posts], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_unreadable_file_is_fm004(tmp_path: Path) -> None:
    target = tmp_path / "dir.md"
    target.mkdir()  # reading a directory as a file fails with an OSError
    proc = run([target / "..", target], tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1, 2)
