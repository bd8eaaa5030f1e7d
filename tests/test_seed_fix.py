"""The user's seed episode inside a real site with its audio file: --fix end to end."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

from tests.conftest import require, run_cli

SITE_CONFIG = """\
title: 白金鉱業.FM
timezone: Asia/Tokyo
actors:
  ysdyt: {name: ysdyt}
  にのぴら: {name: にのぴら}
  Daigo: {name: Daigo}
"""


def make_seed_site(seed: Path, root: Path) -> Path:
    ffmpeg = require("ffmpeg")
    (root / "_posts").mkdir(parents=True)
    (root / "audio").mkdir()
    (root / "_config.yml").write_text(SITE_CONFIG, encoding="utf-8")
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=330:duration=65",
         "-ac", "1", "-codec:a", "libmp3lame", "-b:a", "32k", str(root / "audio" / "057.mp3")],
        check=True, timeout=120,
    )  # fmt: skip
    post = root / "_posts" / "2022-09-10-57.md"
    post.write_bytes(seed.read_bytes())
    return post


def test_seed_fix_fills_audio_fields_and_cleans_links_only(seed: Path, tmp_path: Path) -> None:
    post = make_seed_site(seed, tmp_path / "site")
    before = post.read_text(encoding="utf-8")
    size = (tmp_path / "site" / "audio" / "057.mp3").stat().st_size

    first = run_cli("check", post, "--fix", "--format", "json", cwd=tmp_path / "site")
    after = post.read_text(encoding="utf-8")
    changed = [
        (i + 1, new)
        for i, (old, new) in enumerate(zip(before.splitlines(), after.splitlines(), strict=True))
        if old != new
    ]
    assert [line for line, _ in changed] == [7, 10, 29, 30, 31, 33], difflib.unified_diff(
        before.splitlines(), after.splitlines()
    )
    lines = dict(changed)
    assert lines[7] == f"audio_file_size: {size}"
    assert lines[10] == 'duration: "00:01:05"'  # no other post shows a style: HH:MM:SS
    assert lines[29].endswith("(https://twitter.com/yamkaz/status/1562495638440251392)")
    assert lines[33].endswith("(https://twitter.com/Akatsuki_No9/status/1562832781599965184)")
    assert "stabilityai.us.auth0.com/u/login?state=" in after
    assert "https://gigaz.in/3Q5ncKl" in after

    remaining = {(v["code"], v["line"]) for v in first.json()}
    assert ("LN005", 26) in remaining
    assert ("LN004", 35) in remaining
    assert not any(code in ("FM011", "LN002", "LN003") for code, _ in remaining)

    second = run_cli("check", post, "--fix", cwd=tmp_path / "site")
    assert post.read_text(encoding="utf-8") == after
    assert "Fixed 0 violations in 0 files." in second.out
