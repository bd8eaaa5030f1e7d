"""Large runs use worker processes; what they print is exactly what a serial run prints."""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import fields
from pathlib import Path
from types import ModuleType

import pytest

from epilint.config.settings import Settings
from epilint.lint.linter import Linter
from epilint.lint.results import FileResult
from epilint.read.document import Document
from epilint.read.positions import Positions
from epilint.read.source import read_document
from epilint.run import codec as records
from epilint.run import pool as parallel
from epilint.schema import load as schema
from tests.conftest import bench_module, run_cli

BENCH = Path(__file__).resolve().parent.parent.parent / "bench"
POSTS = 60


def _generator() -> ModuleType:
    return bench_module("gen_corpus")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated yattecast site: links, defects and episode numbers for every rule family."""
    gen = _generator()
    root = tmp_path_factory.mktemp("parallel") / "site"
    gen.generate(gen.Options(POSTS, root, 11))
    # A suppression comment and a duplicate episode number (a collection finding).
    first = root / "_posts" / "1998-01-01-1.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n<!-- epilint-disable LN -->\n", encoding="utf-8")
    second = root / "_posts" / "1998-01-02-2.md"
    second.write_text(second.read_text(encoding="utf-8").replace("title: 2.", "title: 3."), encoding="utf-8")
    return root


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Force the pool (2 workers, tiny chunks) for any number of files; record its use."""
    used: list[int] = []

    def count(files: int) -> int:
        used.append(files)
        return 2

    monkeypatch.setattr(parallel, "workers", count)
    monkeypatch.setattr(parallel, "MAX_CHUNK", 7)
    return used


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda files: 0)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_parallel_output_is_identical_to_serial(
    site: Path, fmt: str, workers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    pooled = run_cli("check", "--no-cache", "--format", fmt, "_posts", cwd=site)
    assert workers == [POSTS]
    _serial(monkeypatch)
    serial = run_cli("check", "--no-cache", "--format", fmt, "_posts", cwd=site)
    assert pooled == serial
    assert pooled.code == 1
    if fmt == "text":
        assert "CO005" in pooled.out  # the collection phase saw every worker's summary


def test_parallel_runs_fill_and_use_the_results_cache(
    site: Path, workers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = run_cli("check", "_posts", cwd=site)
    warm = run_cli("check", "_posts", cwd=site)
    assert workers == [POSTS]  # the warm run found every file in the cache
    _serial(monkeypatch)
    assert run_cli("check", "--no-cache", "_posts", cwd=site) == cold == warm


def test_results_keep_no_document(site: Path) -> None:
    linter = Linter.create(Settings(), schema.load_schema(schema.bundled_schema()))
    path = site / "_posts" / "1998-01-05-5.md"
    result = linter.lint_file(path)
    assert result.violations
    assert not any(isinstance(getattr(result, f.name), Document) for f in fields(FileResult))
    # Only the offsets the report names are kept, with the text's line and column.
    lines = read_document(path).lines
    for violation in result.violations:
        for offset in (violation.span.start, violation.span.end):
            assert result.positions.position(offset) == lines.position(offset)
    with pytest.raises(KeyError):
        result.positions.position(10**9)


def test_results_survive_their_plain_data_form(site: Path) -> None:
    linter = Linter.create(Settings(), schema.load_schema(schema.bundled_schema()))
    for path in sorted((site / "_posts").iterdir())[:10]:
        result = linter.lint_file(path)
        assert result.summary is not None
        again = records.load_result(result.path, result.display, records.dump_result(result))
        assert again == result


@pytest.mark.parametrize("damaged", [[1, 2], [3, 1, 1, 2, 1, 1], [0, 1, True], "x"])
def test_damaged_positions_are_refused(damaged: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        Positions.from_json(damaged)


# -- a loaded machine: the main process never waits for workers that get no CPU --------------


def _lint_stub(parent: int, stall: bool) -> parallel.LintOne:
    from epilint.lint.results import Linted

    def lint_one(path: Path, display: str) -> Linted:
        if stall and os.getpid() != parent:
            time.sleep(600)  # a worker that gets no CPU at all
        return Linted(FileResult(path, display, ()), digest=f"{path.name}:{os.getpid() == parent}")

    return lint_one


@pytest.mark.parametrize("stall", [True, False])
def test_the_main_process_lints_whatever_the_workers_do_not(
    monkeypatch: pytest.MonkeyPatch, stall: bool
) -> None:
    monkeypatch.setattr(parallel, "workers", lambda files: 2)
    paths = [Path(f"/nowhere/{n}.md") for n in range(300)]
    displays = [p.name for p in paths]
    started = time.monotonic()
    batch = parallel.lint_all(_lint_stub(os.getpid(), stall), paths, displays)
    assert [item.result.path for item in batch.results] == paths  # in order, each once
    assert batch.problems == ()
    here = sum(item.digest is not None and item.digest.endswith(":True") for item in batch.results)
    assert here == batch.here
    if stall:
        # Not a second spent waiting for the stalled workers: the main process did it all,
        # and the workers were ended (the run did not wait 600 s for them).
        assert batch.here == len(paths)
        assert time.monotonic() - started < 60
    else:
        assert 0 < batch.here <= len(paths)


def test_without_the_main_process_helping_the_workers_do_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda files: 2)
    monkeypatch.setattr(parallel, "PARENT_HELPS", False)
    paths = [Path(f"/nowhere/{n}.md") for n in range(300)]
    batch = parallel.lint_all(_lint_stub(os.getpid(), False), paths, [p.name for p in paths])
    assert [item.result.path for item in batch.results] == paths
    assert batch.here == 0


@pytest.mark.parametrize(("files", "count"), [(1, 2), (200, 2), (10_000, 2), (10_000, 8), (999, 3)])
def test_chunks_shrink_towards_the_end_and_cover_every_file(files: int, count: int) -> None:
    chunks = parallel.plan(files, count)
    assert chunks[0][0] == 0
    assert chunks[-1][1] == files
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))
    sizes = [end - start for start, end in chunks]
    assert all(a >= b for a, b in itertools.pairwise(sizes[:-1]))  # the last one may be cut short
    assert max(sizes) <= parallel.MAX_CHUNK
    assert all(size >= parallel.MIN_CHUNK for size in sizes[:-1])
