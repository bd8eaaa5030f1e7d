"""Shared test helpers: the CLI run in-process, temporary sites, the shared corpus."""

from __future__ import annotations

import importlib.util
import io
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from epilint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed" / "000_19696031952245e7.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Subprocesses (`python -m epilint`, hooks) import this checkout's package too.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> list[dict[str, object]]:
        data = json.loads(self.out)
        assert isinstance(data, list)
        return data


def run_cli(*args: str | os.PathLike[str], cwd: Path | None = None) -> CliResult:
    """Run ``epilint`` in-process and capture what it prints and returns."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse: --version, usage errors
                code = int(exc.code or 0)
    finally:
        os.chdir(old)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True)
def _own_results_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets an empty results cache of its own, never one inside ../shared."""
    monkeypatch.setenv("EPILINT_CACHE_DIR", str(tmp_path_factory.mktemp("epilint-cache")))


class ConnectionRefusedByTests(OSError):
    """A test process tried to reach an address other than loopback."""


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if not isinstance(host, str):
        return  # a Unix socket path, or an address family without a host
    try:
        loopback = ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ConnectionRefusedByTests(f"tests reach only 127.0.0.1 and ::1, not {host}")


def _connect(self: socket.socket, address: object) -> None:
    _loopback_only(address)
    _real_connect(self, address)  # type: ignore[arg-type]


def _connect_ex(self: socket.socket, address: object) -> int:
    _loopback_only(address)
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_address_but_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test, whatever it runs in-process (httpx, asyncio, the online phase), can open
    connections to loopback only: a request for any other address fails the test."""
    monkeypatch.setattr(socket.socket, "connect", _connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _connect_ex)


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_cli


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))


GOOD_EPISODE = """\
---
actor_ids: [alice, bob]
audio_file_path: /audio/001.mp3
audio_file_size: 48211456
date: 2022-09-10 00:00:00 +0900
description: The first episode.
duration: "01:02:03"
layout: article
title: 1. Hello
---

Show notes.
"""


def episode(text: str, *, day: str, number: int) -> str:
    """``text`` (GOOD_EPISODE or BAD_EPISODE) as episode ``number`` of a post named for ``day``.

    The date, title number and audio file agree with a post file ``_posts/DAY-NUMBER.md``,
    so that only the defects a test means are reported.
    """
    return (
        text.replace("date: 2022-09-10 ", f"date: {day} ")
        .replace("title: 1. Hello", f"title: {number}. Hello")
        .replace("/audio/001.mp3", f"/audio/{number:03d}.mp3")
    )


#: GOOD_EPISODE with one safely fixable error: `duration: 45:30` (YT001, line 7, column 11).
BAD_EPISODE = GOOD_EPISODE.replace('duration: "01:02:03"', "duration: 45:30")

SITE_CONFIG = """\
title: Test FM
timezone: Asia/Tokyo
actors:
  alice:
    name: Alice
  bob:
    name: Bob
"""


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """A temporary Jekyll site: ``make_site({"_posts/2022-09-10-1.md": "..."})``."""

    def build(files: Mapping[str, str | bytes] | None = None, config: str = SITE_CONFIG) -> Path:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        (site / "_config.yml").write_text(config, encoding="utf-8")
        write_files(site, files or {})
        return site

    return build


@pytest.fixture
def corpus() -> Path:
    """The shared corpus of real podcast sites; tests using it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def seed() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared/seed is not present")
    return SEED


def require(command: str) -> str:
    """The path of an external command; skip when absent locally, fail in CI.

    ``.ci/run`` installs every command the tests use, so in CI (``CI=true``) a missing
    command is a broken install, never a reason to skip.
    """
    found = shutil.which(command)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"`{command}` is missing in CI; .ci/run must install it")
        pytest.skip(f"`{command}` is not installed (.ci/run installs it)")
    return found


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no user or system configuration."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "epilint tests",
        "GIT_AUTHOR_EMAIL": "tests@example.org",
        "GIT_COMMITTER_NAME": "epilint tests",
        "GIT_COMMITTER_EMAIL": "tests@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def git_site(folder: Path, files: Mapping[str, str | bytes], *, commit: bool = True) -> Path:
    """A site (``_config.yml`` + ``files``) in a new git repository on branch ``main``."""
    require("git")
    folder.mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    write_files(folder, {"_config.yml": SITE_CONFIG, **files})
    git(folder, "add", "-A")
    if commit:
        git(folder, "commit", "-q", "-m", "base")
    return folder


def bench_module(name: str) -> ModuleType:
    """A script of bench/ loaded as a module (the generator, the import-graph checker …)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module
