"""FIFOs and devices wherever epilint reads a file: reported, never read, never a hang.

A named pipe blocks whoever opens it for reading until a writer comes; ``/dev/zero`` never
ends (a symlink to it is committable). Each case runs the real command with a timeout
beside a good episode that must still be linted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import GOOD_EPISODE

GOOD = GOOD_EPISODE.replace('"01:02:03"', "45:30")
#: Where a special file is put, relative to the site (``posts`` ones are linted).
PLACES = [
    "_posts/2022-09-11-2.md",
    "_layouts/x.html",
    "_layouts/article.html",
    "_data/actors.yml",
    "_config.yml",
    "_actors/carol.md",
    "_posts/sub/2022-09-12-3.md",
    ".epilint_cache/store.sqlite3",
    "schema.json",
]
SPECIALS = ["fifo", "dev-zero", "dev-null-dir-link"]


def _make(path: Path, special: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    if special == "fifo":
        os.mkfifo(path)
    elif special == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to("/dev/null")


def _run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "epilint", "check", "--format", "json", *args],
        cwd=site, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "EPILINT_CACHE_DIR": ""},
    )  # fmt: skip


@pytest.mark.parametrize("special", SPECIALS)
@pytest.mark.parametrize("place", PLACES)
def test_special_files_are_never_read(make_site: Callable[..., Path], place: str, special: str) -> None:
    site = make_site(
        {
            "_posts/2022-09-10-1.md": GOOD,
            "_layouts/article.html": "{{ content }}",
            "_data/.keep": "",
            "schema.json": '{"type": "object"}',
        },
        config="timezone: Asia/Tokyo\ncollections: {actors: {}}\n",
    )
    _make(site / place, special)
    args = ["--schema", "schema.json"] if place == "schema.json" else []
    proc = _run(site, *args, "_posts")
    assert "Traceback" not in proc.stderr
    if place == "schema.json":  # the schema is configuration: exit 2, with a clear message
        assert proc.returncode == 2
        assert "not a regular file" in proc.stderr
        return
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)
    assert ("_posts/2022-09-10-1.md", "YT001") in {(f["path"], f["code"]) for f in found}
    if place.startswith("_posts/"):
        mine = [f for f in found if f["path"] == place]
        assert [f["code"] for f in mine] == ["FM004"]
        # a FIFO is not a regular file; a link to a device is, before that, a link out of the site
        assert "not a regular file" in mine[0]["message"] or "outside the site" in mine[0]["message"]


@pytest.mark.parametrize("special", SPECIALS)
def test_a_special_file_named_explicitly_is_fm004(tmp_path: Path, special: str) -> None:
    target = tmp_path / "episode.md"
    _make(target, special)
    proc = _run(tmp_path, "--no-cache", str(target))
    assert proc.returncode == 1, proc.stderr
    (finding,) = json.loads(proc.stdout)
    assert finding["code"] == "FM004"


@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
def test_a_special_config_file_is_a_configuration_error(tmp_path: Path, special: str) -> None:
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    _make(tmp_path / "epilint.toml", special)
    proc = _run(tmp_path, "--no-cache", "--config", "epilint.toml", "a.md")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_reads_are_bounded_and_typed(tmp_path: Path) -> None:
    from epilint import files

    big = tmp_path / "big"
    big.write_bytes(b"x" * 1000)
    with pytest.raises(files.TooLarge):
        files.read(big, 999)
    assert files.read(big, 10, head=True) == b"x" * 10
    assert files.read(big, 1000) == b"x" * 1000
    with pytest.raises(files.NotRegular):
        files.read("/dev/zero", 10)
    with pytest.raises(files.NotRegular):
        files.read(tmp_path, 10)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(files.NotRegular):
        files.read(fifo, 10)
