"""The whole-run memo: an identical run with nothing changed reprints the report; any
change to what the report depends on means a real run."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from epilint.run import cache
from tests import store_rows
from tests.conftest import BAD_EPISODE, GOOD_EPISODE, CliResult, episode, run_cli

SiteMaker = Callable[..., Path]


@pytest.fixture
def site(make_site: SiteMaker) -> Path:
    return make_site(
        {
            "_posts/2022-09-10-1.md": GOOD_EPISODE,
            "_posts/2022-09-11-2.md": episode(BAD_EPISODE, day="2022-09-11", number=2),
        }
    )


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file looked up in the per-file results cache (a memo hit looks up none)."""
    calls: list[Path] = []
    original = cache.ResultsCache.lookup

    def counting(self: cache.ResultsCache, path: Path, display: str) -> object:
        calls.append(path)
        return original(self, path, display)

    monkeypatch.setattr(cache.ResultsCache, "lookup", counting)
    return calls


def store_folder(site: Path) -> Path:
    """Where this run keeps its store (the tests give every test a cache folder of its own)."""
    folder = os.environ.get(cache.ENV_FOLDER)
    return Path(folder) if folder else site / cache.FOLDER


def memo_data(site: Path) -> dict[str, object]:
    """The memo's row: its data, with the report (kept compressed) as ``output``."""
    ((data, output),) = store_rows.rows(store_folder(site), "SELECT data, output FROM memo")
    return {**json.loads(data), "output": zlib.decompress(output).decode()}


def set_memo(site: Path, data: dict[str, object] | str) -> None:
    if isinstance(data, str):
        store_rows.execute(store_folder(site), "UPDATE memo SET data = ?", (data,))
        return
    rest = {k: v for k, v in data.items() if k != "output"}
    output = data["output"]
    blob = zlib.compress(output.encode()) if isinstance(output, str) else output
    store_rows.execute(store_folder(site), "UPDATE memo SET data = ?, output = ?", (json.dumps(rest), blob))


def check(site: Path, *args: str) -> CliResult:
    result = run_cli("check", *args, cwd=site)
    assert result.code in (0, 1), result.err
    return result


def test_an_identical_run_reprints_the_report(site: Path, opened: list[Path]) -> None:
    first = check(site)
    assert memo_data(site)["output"] == first.out
    opened.clear()
    again = check(site)
    assert again == first
    assert opened == []  # answered by the memo alone
    assert check(site, "--no-cache") == first


def test_other_output_options_are_other_runs(site: Path) -> None:
    text = check(site)
    stats = check(site, "--statistics")
    assert stats.out != text.out
    assert stats.out == check(site, "--no-cache", "--statistics").out
    assert check(site, "--format", "json").out == check(site, "--no-cache", "--format", "json").out


def test_exit_zero_and_output_file_from_the_memo(site: Path, tmp_path: Path) -> None:
    first = check(site)
    assert first.code == 1
    report = tmp_path / "report.txt"
    again = run_cli("check", "--exit-zero", "--output", report, cwd=site)
    assert (again.code, again.out) == (0, "")
    assert report.read_text(encoding="utf-8") == first.out


def test_same_size_same_mtime_edit_is_seen(site: Path) -> None:
    post = site / "_posts" / "2022-09-10-1.md"
    check(site)
    before = post.stat()
    post.write_text(GOOD_EPISODE.replace('"01:02:03"', '"01:02:0x"'), encoding="utf-8")  # same size
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime
    assert post.stat().st_size == before.st_size
    assert check(site) == check(site, "--no-cache")
    assert "FM013" in check(site).out


def test_a_new_post_changes_collection_findings_of_a_partial_run(site: Path) -> None:
    target = "_posts/2022-09-11-2.md"
    assert "CO005" not in check(site, target).out
    (site / "_posts" / "2022-09-12-3.md").write_text(
        episode(GOOD_EPISODE, day="2022-09-12", number=2), encoding="utf-8"
    )
    assert "CO005" in check(site, target).out


def test_site_inputs_and_audio_are_dependencies(site: Path) -> None:
    check(site)
    config = site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  bob:", "  robert:"), encoding="utf-8")
    assert "EP006" in check(site).out
    (site / "audio").mkdir()
    (site / "audio" / "001.mp3").write_bytes(b"not really audio")
    assert check(site) == check(site, "--no-cache")


def test_expired_or_damaged_memo_means_a_real_run(site: Path) -> None:
    first = check(site)
    data = memo_data(site)
    assert data["output"] == first.out  # what the memo holds, before it is damaged
    data["output"] = "stale report\n"
    data["expires"] = 1.0  # long past
    set_memo(site, data)
    assert check(site) == first
    set_memo(site, "\x00not json")
    assert check(site) == first
    data = memo_data(site)
    data["stamps"] = [["/nonexistent", 1, 2, 3, 4]]
    data["output"] = "stale report\n"
    set_memo(site, data)
    assert check(site) == first
    data = memo_data(site)
    data["output"] = 5  # not a report
    set_memo(site, data)
    assert check(site) == first


def test_an_explicit_site_root_is_part_of_the_run(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "drafts"
    outside.mkdir()
    (outside / "2022-09-12-3.md").write_text(
        episode(GOOD_EPISODE, day="2022-09-12", number=3), encoding="utf-8"
    )
    args = ("--site-root", str(site), str(outside / "2022-09-12-3.md"))
    assert "EP006" not in check(site, *args).out
    config = site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  bob:", "  robert:"), encoding="utf-8")
    assert "EP006" in check(site, *args).out
