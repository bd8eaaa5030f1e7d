"""The collection phase: each post judged against every post of its site (CO rules).

The site's other posts are summarised on demand — from the results cache when it knows
them, else read and parsed once — so a run over one staged file still sees every episode
number. The collection rules read summaries only, never a document's text; what they find
is merged into each file's result through the linter's ``finish`` (superseding,
suppressions and per-file ignores apply as to any finding).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from epilint.lint.context import CollectionContext
from epilint.lint.linter import Linter
from epilint.lint.registry import Rule
from epilint.lint.results import FileResult
from epilint.read.source import read_document
from epilint.run.discovery import walk
from epilint.site.collection import Collections, Summary


def judge(
    files: Sequence[FileResult],
    linter: Linter,
    rules: Sequence[Rule],
    cached: Callable[[Path], Summary | None] = lambda path: None,
) -> tuple[FileResult, ...]:
    """``files`` with the collection rules' findings added. ``cached`` answers the summary
    of a post the run did not lint when the results cache still knows it."""
    if not rules:
        return tuple(files)
    sites = linter.sites

    def from_disk(path: Path) -> Summary | None:
        known = cached(path)
        return known if known is not None else linter.summary_of(read_document(path))

    collections = Collections(lambda root: walk(root, linter.settings), from_disk, sites.real.key)
    for item in files:
        collections.register(item.path, item.summary)
    out: list[FileResult] = []
    for item in files:
        summary = item.summary
        site = sites.site_for(item.path) if summary is not None else None
        if summary is None or site is None:
            out.append(item)
            continue
        ctx = CollectionContext(summary, collections.index(site.root), site, linter.schema, linter.settings)
        found = [v for r in rules for v in r.run_collection(ctx)]
        if not found:
            out.append(item)
            continue
        merged = linter.finish(item.display, [*item.violations, *found], item.suppressions, item.positions)
        out.append(replace(item, violations=merged))
    return tuple(out)
