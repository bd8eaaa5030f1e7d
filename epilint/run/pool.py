"""Lint many files on every core: a pool of forked worker processes.

A run over a whole site is CPU-bound Python, so large runs (``MIN_FILES`` or more
files needing work) are split into chunks linted by one worker process per core. The
workers are forked from the run's process, so they start with the lint function (and
the linter behind it: settings, compiled schema, loaded sites, rules) already built and
nothing is re-read or pickled on the way in; each worker sends back, per file, only the
plain-data result of ``epilint/run/codec.py`` (violations, positions, suppressions,
collection summary) and what the results cache needs. The parent keeps the file order, so the output is
byte-identical to a serial run. The collection phase, the results cache and the
report stay in the parent.

Where ``fork`` is not available (Windows, and macOS where it is unsafe) the run stays
serial.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epilint.lint.results import Linted
from epilint.run.codec import dump_result, load_result

#: Lints one file from its path: ``(path, displayed path) -> Linted``.
LintOne = Callable[[Path, str], Linted]

#: Fewer files than this are linted in the run's own process: forking and collecting
#: results would cost more than a second core saves.
MIN_FILES = 200
#: Files per chunk handed to a worker: small enough to balance the cores, large enough
#: that the per-chunk messages cost nothing.
MAX_CHUNK = 200

#: The parent's run, inherited by the forked workers (set only while a pool is running).
_job: tuple[LintOne, Sequence[Path], Sequence[str]] | None = None


def workers(files: int) -> int:
    """How many worker processes a run over ``files`` files uses (0: stay serial)."""
    if files < MIN_FILES or not _can_fork():
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - platforms without affinity masks
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


def _can_fork() -> bool:
    import multiprocessing

    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class Batch:
    """The results of ``lint_all``, in order, and what went wrong on the way."""

    results: list[Linted]
    #: For people: worker processes that died (their files were linted again here).
    problems: tuple[str, ...] = ()


def lint_all(
    lint_one: LintOne,
    paths: Sequence[Path],
    displays: Sequence[str],
    *,
    before_fork: Callable[[], None] | None = None,
) -> Batch:
    """``lint_one`` of every file, in order; in worker processes when worth it
    (``before_fork`` is called first then: what must not be inherited is closed there).

    A worker that dies (the OOM killer, ``kill -9``) does not hang the run: the files of
    every chunk that did not come back are linted again in this process, and the death is
    reported in ``Batch.problems``.
    """
    if not paths:
        return Batch([])
    count = workers(len(paths))
    if not count:
        return Batch([lint_one(path, display) for path, display in zip(paths, displays, strict=True)])
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if before_fork is not None:
        before_fork()
    global _job
    size = max(1, min(MAX_CHUNK, len(paths) // (count * 4)))
    chunks = [(start, min(start + size, len(paths))) for start in range(0, len(paths), size)]
    _job = (lint_one, paths, displays)
    gc.freeze()  # the workers share the parent's objects: no copy-on-write by the collector
    # Linting makes no cyclic garbage worth collecting, but millions of short-lived objects
    # (links, spans, violations) that would trigger thousands of collector passes in the
    # workers (which inherit this) and in the parent while it reads their results.
    collecting = gc.isenabled()
    gc.disable()
    out: list[Linted] = []
    lost = 0
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(count, mp_context=context) as executor:
            futures = [executor.submit(_lint_chunk, chunk) for chunk in chunks]
            for (start, end), future in zip(chunks, futures, strict=True):
                try:
                    encoded = future.result()
                except BrokenProcessPool:  # a worker died: lint the chunk here instead
                    lost += end - start
                    out.extend(lint_one(paths[i], displays[i]) for i in range(start, end))
                    continue
                for index, item in enumerate(encoded, start):
                    out.append(_decode(paths[index], displays[index], item))
    finally:
        _job = None
        gc.unfreeze()
        if collecting:
            gc.enable()
    problems: tuple[str, ...] = ()
    if lost:
        problems = (
            f"a worker process died while linting (killed, or out of memory); {lost} "
            f"file{'' if lost == 1 else 's'} were linted again in the main process",
        )
    return Batch(out, problems)


def _lint_chunk(bounds: tuple[int, int]) -> list[list[Any]]:
    """In a worker: lint files ``start:end`` of the inherited job, as plain data."""
    assert _job is not None
    lint_one, paths, displays = _job
    return [_encode(lint_one(paths[i], displays[i])) for i in range(*bounds)]


def _encode(linted: Linted) -> list[Any]:
    return [
        dump_result(linted.result),
        linted.digest,
        list(linted.dependencies),
        linted.expires,
        [list(item) for item in linted.site_facts],
        linted.failure,
    ]


def _decode(path: Path, display: str, data: list[Any]) -> Linted:
    result, digest, dependencies, expires, facts, failure = data
    site_facts = tuple((name, value) for name, value in facts)
    return Linted(
        load_result(path, display, result), digest, tuple(dependencies), expires, site_facts, failure
    )
