"""The results cache: skip re-linting files whose inputs have not changed.

Results live in the store (``epilint/run/store.py``: ``.epilint_cache/store.sqlite3`` at
the site root, else the current folder, or in ``$EPILINT_CACHE_DIR``), one row per file:
a run reads the rows of the files it looks up, and writes the rows of the files it
linted, in the run's one transaction. A file's cached violations are reused only when
all of these are unchanged:

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
frozen records, so a warm run prints exactly what a cold run prints; a row that does not
decode is a miss. Each file's collection summary is also kept on its own (the
``summaries`` table: compact, with the numbers the collection rules ask about as
columns), for runs that only need to know the other posts.
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
from epilint.run import posts
from epilint.run import store as store_mod
from epilint.run.codec import dump_result, load_result
from epilint.run.store import Store
from epilint.schema.load import EpisodeSchema, local_resources
from epilint.site.jekyll import find_site_root
from epilint.site.summary import Summary

#: Environment variable naming the cache folder itself (tests, unusual layouts).
ENV_FOLDER = "EPILINT_CACHE_DIR"
FOLDER = store_mod.FOLDER
FILE_NAME = store_mod.FILE_NAME

Stamp = list[Any]  # [path, size, mtime_ns]; size -1 when the file does not exist
#: A file's site fingerprint ("" outside a site), as the run computes it; also what
#: the file's result reads of the feed phase ("" without one).
Fingerprint = Callable[[Path], str]
#: The current value of a site fact for a file's site (``Site.fact``).
SiteFact = Callable[[Path, str], "str | None"]
#: The root of a file's site ("" outside a site).
RootOf = Callable[[Path], str]

_RESULT = (
    "SELECT display, digest, fingerprint, depends, result, expires, facts, feed"
    " FROM results WHERE run = ? AND path = ?"
)
_SUMMARY = "SELECT digest, fingerprint, summary, expires FROM summaries WHERE run = ? AND path = ?"


def _no_facts(path: Path, name: str) -> str | None:
    raise KeyError(name)


def _no_root(path: Path) -> str:
    return ""


def location(settings: Settings, start: Path | None = None) -> Path | None:
    """The cache folder of a run started in ``start`` (the current folder):
    ``$EPILINT_CACHE_DIR``, else ``.epilint_cache`` at the site root (``--site-root``, or
    the site around ``start``), else in ``start``; None (no cache) when that
    ``.epilint_cache`` is a symbolic link out of the site."""
    override = os.environ.get(ENV_FOLDER)
    if override:
        return Path(override)
    here = start or Path.cwd()
    return store_mod.folder_in(settings.site_root or find_site_root(here) or here)


def run_key(settings: Settings, schema: EpisodeSchema, codes: Iterable[str]) -> str:
    """Everything that changes every file's results: version, code, settings, schema, rules."""
    key = {
        "epilint": __version__,
        "code": store_mod.code_stamp(),
        "settings": as_mapping(settings),
        "extensions": settings.extensions,
        "schema": schema.raw,
        "schema_refs": local_resources(schema.path, schema.raw),
        "rules": sorted(codes),
    }
    return digest(json.dumps(key, sort_keys=True, default=str).encode())


class ResultsCache:
    """The results rows of one run key in one store, looked up and written during one run."""

    def __init__(
        self,
        store: Store,
        key: str,
        fingerprint: Fingerprint,
        site_fact: SiteFact = _no_facts,
        *,
        root_of: RootOf = _no_root,
        started: int | None = None,
        feed_key: Fingerprint | None = None,
    ) -> None:
        self.store = store
        #: When the run started (ns): the stamps it keeps are trusted against this.
        self.started = time.time_ns() if started is None else started
        self.key = key
        self._fingerprint = fingerprint
        self._site_fact = site_fact
        self._root_of = root_of
        self._feed_key = feed_key or (lambda _path: "")
        self._stamps: dict[str, Stamp] = {}
        #: What the memo needs of each file looked up or stored: (dependencies, expiry, facts used).
        self._inputs: dict[str, tuple[tuple[str, ...], float | None, bool]] = {}

    @classmethod
    def open(
        cls,
        folder: Path,
        key: str,
        fingerprint: Fingerprint,
        site_fact: SiteFact = _no_facts,
        *,
        root_of: RootOf = _no_root,
        started: int | None = None,
        feed_key: Fingerprint | None = None,
    ) -> ResultsCache:
        """The results in the store in ``folder``; an unusable store answers nothing."""
        store = Store.open(folder)
        return cls(store, key, fingerprint, site_fact, root_of=root_of, started=started, feed_key=feed_key)

    @property
    def folder(self) -> Path:
        return self.store.folder

    # -- one file -----------------------------------------------------------------

    def lookup(self, path: Path, display: str) -> FileResult | None:
        """The file's cached result when its bytes, site and dependencies are unchanged."""
        name = os.path.abspath(path)
        row = self.store.row(_RESULT, (self.key, name))
        if row is None or row[0] != display:
            return None
        raw = read_bytes(path)
        if not isinstance(raw, bytes) or row[1] != digest(raw):
            return None
        if row[2] != self._fingerprint(path) or row[7] != self._feed_key(path):
            return None
        try:
            expires = _time(row[5])
            if expires is not None and time.time() >= expires:
                return None
            depends = _stamps(json.loads(row[3]))
            if any(self._stamp(stamp[0]) != stamp for stamp in depends):
                return None
            facts = _facts(json.loads(row[6]))
            if any(self._site_fact(path, fact) != value for fact, value in facts):
                return None
            result = load_result(path, display, json.loads(row[4]))
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, RecursionError):
            return None  # a damaged row is a miss
        self._inputs[name] = (tuple(str(s[0]) for s in depends), expires, bool(facts))
        return result

    def remember(self, linted: Linted, encoded: str | None = None) -> None:
        """Remember a file's fresh result (``linted.digest`` is of the bytes it was linted
        from); ``encoded``: the result as JSON text already (``codec.dump_result``)."""
        if linted.digest is None:
            return
        result = linted.result
        name = os.path.abspath(result.path)
        print_ = self._fingerprint(result.path)
        self.store.stage(
            "results",
            (
                self.key,
                name,
                result.display,
                linted.digest,
                print_,
                _json([self._stamp(p) for p in linted.dependencies]),
                _json(dump_result(result)) if encoded is None else encoded,
                linted.expires,
                _json([[fact, value] for fact, value in linted.site_facts]),
                self._feed_key(result.path),
            ),
        )
        self.keep_summary(result.path, linted.digest, result.summary, linted.expires, print_)
        self._inputs[name] = (linted.dependencies, linted.expires, bool(linted.site_facts))

    def keep_summary(
        self,
        path: Path,
        digest_: str,
        summary: Summary | None,
        expires: float | None,
        print_: str | None = None,
    ) -> None:
        """Remember a post's collection summary (None: not a post of the site) for these
        bytes, with the file's stamp (trusted from ``started`` on: ``epilint/run/posts.py``)."""
        stamp = posts.stamp_of(os.fspath(path)) or (None, None, None, None)
        self.store.stage(
            "summaries",
            (
                self.key,
                os.path.abspath(path),
                self._root_of(path),
                digest_,
                self._fingerprint(path) if print_ is None else print_,
                None if summary is None else _json(summary.to_json()),
                expires,
                *stamp,
                self.started,
                *posts.columns(summary),
            ),
        )

    def summary(self, path: Path) -> Summary | None:
        """A post's collection summary when its row still matches its bytes and site."""
        known = self.known_summary(path)
        return known[0] if known is not None else None

    def known_summary(self, path: Path) -> tuple[Summary | None, float | None] | None:
        """A post's collection summary (None: the post is not on the site) and when it
        expires, when its row still matches its bytes, site and the clock; None when the
        store cannot say."""
        row = self.store.row(_SUMMARY, (self.key, os.path.abspath(path)))
        if row is None or row[1] != self._fingerprint(path):
            return None
        raw = read_bytes(path)
        if not isinstance(raw, bytes) or row[0] != digest(raw):
            return None
        try:
            expires = _time(row[3])
            if expires is not None and time.time() >= expires:
                return None  # a future post's date has come: it joins the site now
            return (None if row[2] is None else Summary.from_json(json.loads(row[2]))), expires
        except (TypeError, ValueError, IndexError, RecursionError):
            return None

    def inputs(self, paths: Iterable[Path]) -> tuple[list[str], float | None, bool]:
        """The files the results of ``paths`` depend on, when the first expires, and
        whether any of them used a site fact (which the site's posts decide)."""
        depends: list[str] = []
        expires: float | None = None
        facts = False
        for path in paths:
            known = self._inputs.get(os.path.abspath(path))
            if known is None:
                continue
            files, until, used = known
            facts = facts or used
            depends.extend(files)
            if until is not None:
                expires = until if expires is None else min(expires, until)
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

    def save(self) -> bool:
        """Write this run's rows (and whatever else was staged in the store) in one
        transaction; gives up silently on errors."""
        return self.store.commit({"results": self.key})


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _time(value: object) -> float | None:
    if value is None:
        return None
    if type(value) not in (int, float):
        raise TypeError("bad expiry")
    return float(value)  # type: ignore[arg-type]


def _stamps(data: Any) -> list[Stamp]:
    if not isinstance(data, list) or not all(
        isinstance(s, list) and len(s) == 3 and isinstance(s[0], str) for s in data
    ):
        raise TypeError("bad dependency stamps")
    return data


def _facts(data: Any) -> list[tuple[str, str | None]]:
    if not isinstance(data, list) or not all(
        isinstance(f, list) and len(f) == 2 and isinstance(f[0], str) for f in data
    ):
        raise TypeError("bad site facts")
    return [(f[0], f[1]) for f in data]
