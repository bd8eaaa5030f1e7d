"""The site's edges: symlinks out of it, folders that cannot be read, a broken _config.yml.

A symbolic link (a post, a folder in ``_posts/``, a site input, the cache folder) that leads
out of the site is never followed: it is reported once (FM004) and skipped, so no file of
another project is linted, quoted or rewritten. A folder that cannot be read is reported,
never a silent "All checks passed". An invalid or unreadable ``_config.yml`` is reported
on ``_config.yml``, naming the rules that could not run.

Tests run as root (CI does), which ignores permission bits: unreadable folders are
simulated where the kernel would refuse (``os.scandir`` / ``os.stat`` raise EACCES).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BAD_EPISODE, GOOD_EPISODE, episode, run_cli

GOOD = episode(GOOD_EPISODE, day="2022-09-10", number=1)


@pytest.fixture
def other_project(tmp_path: Path) -> Path:
    other = tmp_path / "other-project"
    (other / "notes").mkdir(parents=True)
    (other / "notes" / "secret.md").write_text(BAD_EPISODE.replace("Hello", "SECRET"), encoding="utf-8")
    return other


def _codes(result_json: list[dict[str, object]]) -> set[tuple[object, object]]:
    return {(v["path"], v["code"]) for v in result_json}


@pytest.mark.parametrize("target", ["other", "root", "parent"])
def test_a_folder_symlink_out_of_the_site_is_reported_once_and_not_followed(
    make_site: Callable[..., Path], other_project: Path, target: str
) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD})
    link = site / "_posts" / "archive"
    link.symlink_to({"other": other_project / "notes", "root": Path("/"), "parent": site.parent}[target])
    before = (other_project / "notes" / "secret.md").read_bytes()
    for flags in ((), ("--fix", "--unsafe-fixes")):
        result = run_cli("check", "--no-cache", "--format", "json", *flags, cwd=site)
        assert result.code == 1, result.err
        found = result.json()
        assert [v["path"] for v in found if v["code"] == "FM004"] == ["_posts/archive"]
        assert "SECRET" not in result.out
        assert {str(v["path"]) for v in found} <= {"_posts/2022-09-10-1.md", "_posts/archive"}
    assert (other_project / "notes" / "secret.md").read_bytes() == before


def test_a_post_symlinked_out_of_the_site_is_never_read(
    make_site: Callable[..., Path], other_project: Path
) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD})
    (site / "_posts" / "2022-09-11-2.md").symlink_to(other_project / "notes" / "secret.md")
    for args in (("_posts",), ("_posts/2022-09-11-2.md",)):  # walked, or passed by pre-commit
        result = run_cli("check", "--no-cache", "--format", "json", *args, cwd=site)
        assert ("_posts/2022-09-11-2.md", "FM004") in _codes(result.json())
        assert "SECRET" not in result.out
        assert "YT001" not in result.out


def test_symlinks_inside_the_site_are_followed(make_site: Callable[..., Path]) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD, "drafts/2022-09-12-3.md": GOOD})
    (site / "_posts" / "drafts").symlink_to(site / "drafts")
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "FM004", cwd=site)
    assert result.code == 0, result.out


@pytest.mark.parametrize("where", ["_data/actors.yml", "_config.yml", "_layouts/article.html", "_actors"])
def test_site_inputs_linking_out_of_the_site_are_never_read(
    make_site: Callable[..., Path], tmp_path: Path, where: str
) -> None:
    secret = tmp_path / "secrets"
    secret.mkdir()
    (secret / "actors.yml").write_text("root: {name: x}\ndaemon: {name: y}\n", encoding="utf-8")
    (secret / "carol.md").write_text("---\nactor_id: topsecret\n---\n", encoding="utf-8")
    site = make_site({"_posts/2022-09-10-1.md": GOOD.replace("actor_ids: [alice, bob]", "actor_ids: [zed]")})
    (site / "_config.yml").write_text("timezone: Asia/Tokyo\ncollections: {actors: {}}\n", encoding="utf-8")
    target = site / where
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    target.symlink_to(secret if where == "_actors" else secret / "actors.yml")
    result = run_cli("check", "--no-cache", "--format", "json", "_posts", cwd=site)
    assert (where, "FM004") in _codes(result.json())
    assert "daemon" not in result.out
    assert "topsecret" not in result.out


def test_a_cache_folder_linking_out_of_the_site_is_not_written(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EPILINT_CACHE_DIR")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = make_site({"_posts/2022-09-10-1.md": GOOD})
    (site / ".epilint_cache").symlink_to(elsewhere)
    for _ in range(2):
        assert run_cli("check", "_posts", cwd=site).code == 0
    assert list(elsewhere.iterdir()) == []


def _refuse(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """The kernel's answer for a folder without read/search permission (root ignores it)."""
    real_scandir, real_stat = os.scandir, os.stat
    prefix = os.fspath(folder)

    def denied(path: object) -> bool:
        text = os.path.abspath(os.fspath(path))  # type: ignore[call-overload]
        return text == prefix or text.startswith(prefix + os.sep)

    def scandir(path: object = ".") -> object:
        if denied(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))  # type: ignore[call-overload]
        return real_scandir(path)  # type: ignore[call-overload]

    def stat(path: object, *args: object, **kwargs: object) -> object:
        if denied(path) and os.path.abspath(os.fspath(path)) != prefix:  # type: ignore[call-overload]
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))  # type: ignore[call-overload]
        return real_stat(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)


@pytest.mark.parametrize("folder", ["_posts", "_posts/2023"])
def test_an_unreadable_folder_is_reported_not_passed(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD, "_posts/2023/2023-01-01-2.md": GOOD})
    _refuse(monkeypatch, site / folder)
    result = run_cli("check", "--no-cache", "--format", "json", cwd=site)
    assert result.code == 1, result.err
    unreadable = [v for v in result.json() if v["code"] == "FM004"]
    assert [v["path"] for v in unreadable] == [folder]
    assert "Permission denied" in str(unreadable[0]["message"])


def test_an_explicit_post_in_an_unreadable_folder_is_fm004(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"_posts/2023/2023-01-01-2.md": GOOD})
    _refuse(monkeypatch, site / "_posts" / "2023")
    result = run_cli("check", "--no-cache", "--format", "json", "_posts/2023/2023-01-01-2.md", cwd=site)
    assert "Traceback" not in result.err
    assert result.code == 1, result.err
    assert [v["code"] for v in result.json()] == ["FM004"]


@pytest.mark.parametrize(
    ("config", "code"),
    [("timezone: [Asia/Tokyo\n", "FM002"), (b"\xff\xfe", "FM004"), ("fifo", "FM004"), ("big", "FM002")],
    ids=["invalid-yaml", "not-utf8", "fifo", "huge-integer"],
)
def test_a_broken_config_is_reported_with_the_rules_that_did_not_run(
    make_site: Callable[..., Path], config: str | bytes, code: str
) -> None:
    future = GOOD.replace("date: 2022-09-10 00:00:00 +0900", "date: 2999-01-01 00:00:00 +0900")
    site = make_site({"_posts/2999-01-01-1.md": future})
    path = site / "_config.yml"
    if config == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif config == "big":
        path.write_text("timezone: Asia/Tokyo\nbig: " + "9" * 5000 + "\n", encoding="utf-8")
    else:
        path.write_bytes(config if isinstance(config, bytes) else config.encode())
    result = run_cli("check", "--no-cache", "--format", "json", "_posts", cwd=site)
    assert result.code == 1, result.err
    mine = [v for v in result.json() if v["path"] == "_config.yml"]
    assert [v["code"] for v in mine] == [code]
    assert "EP002" in str(mine[0]["message"])  # named as not run
    assert "EP002" not in {v["code"] for v in result.json()}  # and indeed not run
