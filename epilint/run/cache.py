"""The results cache: skip re-linting files whose inputs have not changed.

A run reads ONE cache file (``.epilint_cache/results.json`` at the site root, else the
current folder, or in ``$EPILINT_CACHE_DIR``) and writes it back once, atomically, when
something changed. A file's cached violations are reused only when all of these are
unchanged:

- the run key: epilint's version and code, the effective settings, the schema's
  contents (and the files it references) and the selected rules;
- the file's bytes (a BLAKE2 digest: far cheaper than parsing) and displayed path;
- the site's fingerprint (``_config.yml`` and the site-wide inputs the selected rules
  declare: ``_data/``, ``_layouts/``, ``_actors/``);
- the files the rules and analyses declared through ``ctx.depends_on`` (the audio file
  and its folder, linked files), by size and modification time, or their absence;
- the clock, when a rule said its answer expires (``ctx.valid_until``);
- the site facts the result used (``ctx.uses``: the site's duration style, which the other
  posts decide), recomputed and compared on every lookup.
- when the run predicted the sites' feeds, what the file's result read of them: a digest
  of its view (``PostFeed.key``: its items, whether it is an episode and why not, the
  values it shares with other items). A post's summary does not depend on it.

Violations are stored as plain JSON (``epilint/run/codec.py``) and rebuilt as the same
frozen records, so a warm run prints exactly what a cold run prints. A missing, corrupt
or foreign cache file is ignored; a folder that cannot be written (a read-only checkout)
means no cache, silently. Concurrent runs each replace the file atomically (last writer
wins); a reader never sees a half-written file.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from epilint import __version__
from epilint.config.settings import Settings, as_mapping
from epilint.lint.linter import digest
from epilint.lint.results import FileResult, Linted
from epilint.read.source import read_bytes
from epilint.run import envelope
from epilint.run.codec import dump_result, load_result
from epilint.schema.load import EpisodeSchema, local_resources
from epilint.site.collection import Summary
from epilint.site.jekyll import find_site_root

FILE_NAME = "results.json"
FORMAT = "epilint-results"
FORMAT_VERSION = 8
#: Environment variable naming the cache folder itself (tests, unusual layouts).
ENV_FOLDER = "EPILINT_CACHE_DIR"

Stamp = list[Any]  # [path, size, mtime_ns]; size -1 when the file does not exist
# [display, digest, site fingerprint, [Stamp, ...], result (``codec.dump_result``), expires,
#  [[site fact, value], ...], feed key]
Entry = list[Any]
#: A file's site fingerprint ("" outside a site), as the run computes it; also what
#: the file's result reads of the feed phase ("" without one).
Fingerprint = Callable[[Path], str]
#: The current value of a site fact for a file's site (``Site.fact``).
SiteFact = Callable[[Path, str], "str | None"]


def _no_facts(path: Path, name: str) -> str | None:
    raise KeyError(name)


def location(settings: Settings, start: Path | None = None) -> Path | None:
    """The cache folder of a run started in ``start`` (the current folder):
    ``$EPILINT_CACHE_DIR``, else ``.epilint_cache`` at the site root (``--site-root``, or
    the site around ``start``), else in ``start``; None (no cache) when that
    ``.epilint_cache`` is a symbolic link out of the site."""
    override = os.environ.get(ENV_FOLDER)
    if override:
        return Path(override)
    here = start or Path.cwd()
    return envelope.folder_in(settings.site_root or find_site_root(here) or here)


def run_key(settings: Settings, schema: EpisodeSchema, codes: Iterable[str]) -> str:
    """Everything that changes every file's results: version, code, settings, schema, rules."""
    key = {
        "epilint": __version__,
        "code": envelope.code_stamp(),
        "settings": as_mapping(settings),
        "extensions": settings.extensions,
        "schema": schema.raw,
        "schema_refs": local_resources(schema.path, schema.raw),
        "rules": sorted(codes),
    }
    return digest(json.dumps(key, sort_keys=True, default=str).encode())


class ResultsCache:
    """The entries of one cache file, looked up and updated during one run."""

    def __init__(
        self,
        folder: Path,
        key: str,
        fingerprint: Fingerprint,
        entries: dict[str, Entry],
        *,
        site_fact: SiteFact = _no_facts,
        feed_key: Fingerprint | None = None,
    ) -> None:
        self.folder = folder
        self.key = key
        self.entries = entries
        self.dirty = False
        self._fingerprint = fingerprint
        self._site_fact = site_fact
        self._feed_key = feed_key or (lambda _path: "")
        self._stamps: dict[str, Stamp] = {}

    @classmethod
    def open(
        cls,
        folder: Path,
        key: str,
        fingerprint: Fingerprint,
        site_fact: SiteFact = _no_facts,
        feed_key: Fingerprint | None = None,
    ) -> ResultsCache:
        """Read the cache file in ``folder``; anything unusable starts an empty cache."""
        entries = _entries(envelope.load(folder / FILE_NAME, FORMAT, FORMAT_VERSION, key))
        return cls(folder, key, fingerprint, entries, site_fact=site_fact, feed_key=feed_key)

    # -- one file -----------------------------------------------------------------

    def lookup(self, path: Path, display: str) -> FileResult | None:
        """The file's cached result when its bytes, site and dependencies are unchanged."""
        entry = self.entries.get(os.path.abspath(path))
        if entry is None or entry[0] != display:
            return None
        raw = read_bytes(path)
        if not isinstance(raw, bytes) or entry[1] != digest(raw):
            return None
        if entry[2] != self._fingerprint(path) or entry[7] != self._feed_key(path):
            return None
        try:
            if entry[5] is not None and time.time() >= entry[5]:
                return None
            if any(self._stamp(stamp[0]) != stamp for stamp in entry[3]):
                return None
            if any(self._site_fact(path, name) != value for name, value in entry[6]):
                return None
            return load_result(path, display, entry[4])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError):
            return None  # a damaged entry is a miss

    def store(self, linted: Linted) -> None:
        """Remember a file's fresh result (``linted.digest`` is of the bytes it was linted from)."""
        if linted.digest is None:
            return
        result = linted.result
        self.entries[os.path.abspath(result.path)] = [
            result.display,
            linted.digest,
            self._fingerprint(result.path),
            [self._stamp(p) for p in linted.dependencies],
            dump_result(result),
            linted.expires,
            [[name, value] for name, value in linted.site_facts],
            self._feed_key(result.path),
        ]
        self.dirty = True

    def summary(self, path: Path) -> Summary | None:
        """A post's collection summary when its cache entry still matches its bytes and site."""
        known = self.known_summary(path)
        return known[0] if known is not None else None

    def known_summary(self, path: Path) -> tuple[Summary | None, float | None] | None:
        """A post's collection summary (None: the post is not on the site) and when it
        expires, when its cache entry still matches its bytes, site and the clock; None
        when the cache cannot say."""
        entry = self.entries.get(os.path.abspath(path))
        if entry is None or entry[2] != self._fingerprint(path):
            return None
        raw = read_bytes(path)
        if not isinstance(raw, bytes) or entry[1] != digest(raw):
            return None
        try:
            expires = entry[5]
            if expires is not None and time.time() >= expires:
                return None  # a future post's date has come: it joins the site now
            data = entry[4][3]
            return (None if data is None else Summary.from_json(data)), expires
        except (TypeError, ValueError, IndexError):
            return None

    def inputs(self, paths: Iterable[Path]) -> tuple[list[str], float | None, bool]:
        """The files the results of ``paths`` depend on, when the first expires, and
        whether any of them used a site fact (which the site's posts decide)."""
        depends: list[str] = []
        expires: float | None = None
        facts = False
        for path in paths:
            entry = self.entries.get(os.path.abspath(path))
            if entry is None:
                continue
            facts = facts or bool(entry[6])
            depends.extend(str(item[0]) for item in entry[3])
            if entry[5] is not None:
                expires = entry[5] if expires is None else min(expires, entry[5])
        return depends, expires, facts

    def _stamp(self, path: str) -> Stamp:
        stamp = self._stamps.get(path)
        if stamp is None:
            try:
                stat = os.stat(path)
                stamp = [path, stat.st_size, stat.st_mtime_ns]
            except (OSError, ValueError):
                stamp = [path, -1, -1]
            self._stamps[path] = stamp
        return stamp

    def save(self) -> None:
        """Write the cache file atomically when entries changed; give up silently on errors."""
        if self.dirty and envelope.store(
            self.folder / FILE_NAME, FORMAT, FORMAT_VERSION, self.entries, self.key
        ):
            self.dirty = False


def _entries(data: Any) -> dict[str, Entry]:
    if not isinstance(data, dict):
        return {}
    return {
        name: entry
        for name, entry in data.items()
        if isinstance(entry, list)
        and len(entry) == 8
        and isinstance(entry[6], list)
        and all(isinstance(f, list) and len(f) == 2 and isinstance(f[0], str) for f in entry[6])
        and isinstance(entry[3], list)
        and all(isinstance(s, list) and len(s) == 3 and isinstance(s[0], str) for s in entry[3])
        and isinstance(entry[4], list)
        and len(entry[4]) == 5
        and (entry[5] is None or type(entry[5]) in (int, float))
        and isinstance(entry[7], str)
    }
