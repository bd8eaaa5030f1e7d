"""The collection summaries of a site's posts on disk, kept while their files stay unchanged.

The collection rules judge an edited post against every other post of its site. A server
that re-lints on each keystroke must not read and parse the site each time: each post's
summary is kept with the file's stamp (size, modification and change times, inode) and
reused while the stamp holds and the clock has not reached the summary's expiry (a
future-dated post joins the site at its date). A summary not kept yet comes from the
results cache when it knows the file's bytes, else from reading and parsing the file.
The counters say how much work each lint did (``bench/lsp_latency.py`` reports them).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from epilint.lint.linter import Linter
from epilint.read.source import read_document
from epilint.run.cache import ResultsCache
from epilint.site.summary import Summary

Stamp = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class _Kept:
    stamp: Stamp
    summary: Summary | None
    expires: float | None


@dataclass
class Work:
    """What the store did: summaries reused, taken from the results cache, or parsed."""

    kept: int = 0
    cached: int = 0
    parsed: int = 0


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class Summaries:
    """``summarize(path)`` for ``pipeline.judge``: one summary per post file, kept."""

    def __init__(self, linter: Linter, cache: ResultsCache | None = None) -> None:
        self._linter = linter
        self._cache = cache
        self._kept: dict[str, _Kept] = {}
        self.work = Work()

    def __call__(self, path: Path) -> Summary | None:
        key = os.path.abspath(path)
        stamp = _stamp(path)
        if stamp is None:
            self._kept.pop(key, None)
            return None
        kept = self._kept.get(key)
        if kept is not None and kept.stamp == stamp and (kept.expires is None or time.time() < kept.expires):
            self.work.kept += 1
            return kept.summary
        known = self._cache.known_summary(path) if self._cache is not None else None
        if known is not None:
            self.work.cached += 1
            summary, expires = known
        else:
            self.work.parsed += 1
            summary, expires = self._linter.summarize_document(read_document(path))
        self._kept[key] = _Kept(stamp, summary, expires)
        return summary
