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
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epilint.lint.results import Linted
from epilint.run.codec import dump_result, load_result

#: Lints one file from its path: ``(path, displayed path) -> Linted``.
LintOne = Callable[[Path, str], Linted]

#: Fewer files than this are linted in the run's own process: forking and collecting
#: results would cost more than a second core saves.
MIN_FILES = 200
#: Files per chunk handed to a worker: the first chunks are this large (the per-chunk
#: messages cost nothing), later ones smaller down to ``MIN_CHUNK`` (``plan``), so that
#: the end of the run is shared finely.
MAX_CHUNK = 200
MIN_CHUNK = 8
#: Whether the run's own process lints too, instead of waiting for the workers (below).
PARENT_HELPS = True

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


def plan(files: int, count: int) -> list[tuple[int, int]]:
    """The chunks (start, end) of a run over ``files`` files with ``count`` workers: each
    a share of what is left (guided scheduling), at most ``MAX_CHUNK``, at least ``MIN_CHUNK``."""
    chunks = []
    start = 0
    while start < files:
        size = max(min(MIN_CHUNK, MAX_CHUNK), min(MAX_CHUNK, (files - start) // (4 * (count + 1))))
        chunks.append((start, min(start + size, files)))
        start += size
    return chunks


@dataclass(frozen=True)
class Batch:
    """The results of ``lint_all``, in order, and what went wrong on the way."""

    results: list[Linted]
    #: For people: worker processes that died (their files were linted again here).
    problems: tuple[str, ...] = ()
    #: How many files the run's own process linted (the rest came from the workers).
    here: int = 0
    #: Per result, its JSON text (``codec.dump_result``) when it came from a worker.
    encoded: list[str | None] = field(default_factory=list)


def lint_all(
    lint_one: LintOne,
    paths: Sequence[Path],
    displays: Sequence[str],
    *,
    before_fork: Callable[[], None] | None = None,
) -> Batch:
    """``lint_one`` of every file, in order; in worker processes when worth it
    (``before_fork`` is called first then: what must not be inherited is closed there).

    The run's own process never just waits (``PARENT_HELPS``): while the next chunk in
    order is not back from its worker, it lints the last chunk no worker has taken yet,
    and once every chunk is taken, the chunk it waits for (a worker's late answer is then
    dropped). However little CPU the workers get on a loaded machine, the run is never
    slower than linting every file here, one after the other; with idle cores the
    workers do most of the work. Results are kept in file order whoever linted them.

    A worker that dies (the OOM killer, ``kill -9``) does not hang the run: the files of
    every chunk that did not come back are linted again in this process, and the death is
    reported in ``Batch.problems``.
    """
    if not paths:
        return Batch([])
    count = workers(len(paths))
    if not count:
        return Batch(
            [lint_one(path, display) for path, display in zip(paths, displays, strict=True)], here=len(paths)
        )
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if before_fork is not None:
        before_fork()
    global _job
    chunks = plan(len(paths), count)
    _job = (lint_one, paths, displays)
    gc.freeze()  # the workers share the parent's objects: no copy-on-write by the collector
    # Linting makes no cyclic garbage worth collecting, but millions of short-lived objects
    # (links, spans, violations) that would trigger thousands of collector passes in the
    # workers (which inherit this) and in the parent while it reads their results.
    collecting = gc.isenabled()
    gc.disable()
    done: list[list[Linted] | None] = [None] * len(chunks)
    texts: list[list[str] | None] = [None] * len(chunks)
    lost = here = 0

    def lint_here(index: int) -> None:
        nonlocal here
        start, end = chunks[index]
        done[index] = [lint_one(paths[i], displays[i]) for i in range(start, end)]
        here += end - start

    try:
        context = multiprocessing.get_context("fork")
        executor = ProcessPoolExecutor(count, mp_context=context)
        futures: dict[int, Future[list[list[Any]]]] = {}
        front, back = 0, len(chunks)  # chunks[front:back] are not taken yet
        broken = False
        try:
            for index in range(len(chunks)):
                while not broken and front < back and sum(not f.done() for f in futures.values()) < 2 * count:
                    try:
                        futures[front] = executor.submit(_lint_chunk, chunks[front])
                    except BrokenProcessPool:  # a worker died: the chunks left are linted here
                        broken = True
                        break
                    front += 1
                while done[index] is None:
                    future = futures.get(index)
                    if future is None or (PARENT_HELPS and not future.done() and front >= back):
                        lint_here(index)  # this process's own chunk, or no other work left
                    elif PARENT_HELPS and not future.done():
                        back -= 1  # the last chunk nobody has taken: this process's
                        lint_here(back)
                    else:
                        start, end = chunks[index]
                        try:
                            encoded = future.result()
                        except BrokenProcessPool:  # a worker died: lint the chunk here instead
                            lost += end - start
                            lint_here(index)
                            continue
                        decoded = [
                            _decode(paths[i], displays[i], item) for i, item in enumerate(encoded, start)
                        ]
                        done[index] = [linted for linted, _ in decoded]
                        texts[index] = [text for _, text in decoded]
                futures.pop(index, None)
        finally:
            _stop(executor)
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
    results = [item for chunk in done if chunk is not None for item in chunk]
    texts_in_order: list[str | None] = []
    for chunk, text in zip(done, texts, strict=True):
        texts_in_order.extend(text if text is not None else [None] * len(chunk or ()))
    return Batch(results, problems, here, texts_in_order)


def _stop(executor: Any) -> None:
    """Shut the pool down without waiting for chunks whose answers are no longer needed
    (this process linted them): their workers are ended."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)


def _lint_chunk(bounds: tuple[int, int]) -> list[list[Any]]:
    """In a worker: lint files ``start:end`` of the inherited job, as plain data."""
    assert _job is not None
    lint_one, paths, displays = _job
    return [_encode(lint_one(paths[i], displays[i])) for i in range(*bounds)]


def _encode(linted: Linted) -> list[Any]:
    # The result as JSON text: what the results cache stores, so the main process (the
    # busiest one) decodes it once and never encodes it again.
    return [
        json.dumps(dump_result(linted.result), ensure_ascii=False, separators=(",", ":")),
        linted.digest,
        list(linted.dependencies),
        linted.expires,
        [list(item) for item in linted.site_facts],
        linted.failure,
    ]


def _decode(path: Path, display: str, data: list[Any]) -> tuple[Linted, str]:
    """The worker's result, and its JSON text (``codec.dump_result``)."""
    text, digest, dependencies, expires, facts, failure = data
    site_facts = tuple((name, value) for name, value in facts)
    result = load_result(path, display, json.loads(text))
    return Linted(result, digest, tuple(dependencies), expires, site_facts, failure), text
