"""A site's posts as the store knows them, so a run over one post does not read the site.

The collection rules judge a post against every post of its site. A run over one post of
a 10,000-post site must not walk the site, read every post or decode every summary; it:

1. takes the site's **listing** (which files are posts) from the store's ``sites`` row
   while none of the folders the walk looked into changed — adding, removing or
   renaming an entry changes its folder's stamp (size, modification and change times,
   inode), and nothing else changes what the walk finds, unless a folder holds a
   symbolic link or could not be read (such a listing is never kept); else it walks;
2. **stamps every post** (one ``stat`` each: an edit made in place changes no folder, so
   no check that reads less than every post's stamp can see it) and compares the stamp
   with the one kept beside the post's summary in the ``summaries`` table;
3. summarises afresh only the posts whose stamp differs, whose row is missing, expired,
   for other site inputs, or not trusted yet (below), and the posts it lints;
4. answers the collection rules' questions (``Index``) with queries on the indexed
   columns of the summaries, the fresh summaries standing in for their rows.

A stamp is trusted only when the file's change time was at least ``MARGIN_NS`` before
the run that kept it started: file times are coarse (a clock tick), so an edit made in
the same tick as the stamp could leave it unchanged, but any edit after the run started
gives a change time after that run's start minus a tick. Change times cannot be set back
by users (``touch -d`` sets the modification time only). A folder's stamp is trusted the
same way. A run over many posts of a site (more than ``STORED_LIMIT`` needing a fresh
summary) builds the index in memory as before (``SiteIndex``), which gives the same answers
(``tests/run/test_posts.py`` compares them).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epilint.config.settings import Settings
from epilint.run import discovery
from epilint.run.store import Store
from epilint.site.collection import Agreement, agrees, rank
from epilint.site.summary import Summary

#: Change times this close to (or after) the start of the run that stamped them are not trusted.
MARGIN_NS = 2_000_000_000
#: A site index is answered from the store while at most this many of the site's posts
#: need a fresh summary (the run's own, changed ones, rows that do not answer).
STORED_LIMIT = 64
#: The layout of a ``sites`` row.
LISTING_VERSION = 1

Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stamp_of(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def trusted(kept: Sequence[Any], now: Stamp | None, stamped: object) -> bool:
    """Whether the ``kept`` stamp (size, mtime, ctime, inode) still stands for the file:
    equal to its stamp ``now`` and made well after the file last changed."""
    return now is not None and tuple(kept) == now and type(stamped) is int and now[2] < stamped - MARGIN_NS


@dataclass
class _Listing:
    names: tuple[str, ...]
    folders: tuple[str, ...]
    #: Whether the store keeps it (no symbolic link in its folders, every folder read).
    kept: bool
    paths: tuple[Path, ...] | None = None


class Posts:
    """One run's knowledge of its sites' posts from the store (run key ``run``)."""

    def __init__(self, store: Store, run: str, settings: Settings, started: int | None = None) -> None:
        self.store = store
        self.run = run
        self.settings = settings
        #: When the run started (ns): what its stamps are trusted against.
        self.started = time.time_ns() if started is None else started
        self._listings: dict[Path, _Listing] = {}
        #: For tests and the bench: folders walked, posts stamped, summaries made afresh.
        self.walked = 0
        self.stamped = 0

    # -- which files are posts ------------------------------------------------------

    def listing(self, root: Path) -> tuple[Path, ...]:
        """The posts of the site at ``root`` (``discovery.walk``), from the store when its
        folders did not change."""
        found = self._listing(root)
        if found.paths is None:
            found.paths = tuple(Path(name) for name in found.names)
        return found.paths

    def names(self, root: Path) -> tuple[str, ...]:
        """``listing`` as strings."""
        return self._listing(root).names

    def folders(self, root: Path) -> tuple[str, ...]:
        """The folders the listing of ``root`` was made from (their stamps change with it)."""
        return self._listing(root).folders

    def cacheable(self, root: Path) -> bool:
        """Whether the listing of ``root`` is kept (no symbolic link, every folder read)."""
        return self._listing(root).kept

    def _listing(self, root: Path) -> _Listing:
        found = self._listings.get(root)
        if found is None:
            found = self._kept(root) or self._walk(root)
            self._listings[root] = found
        return found

    def _kept(self, root: Path) -> _Listing | None:
        row = self.store.row("SELECT data FROM sites WHERE run = ? AND root = ?", (self.run, os.fspath(root)))
        if row is None:
            return None
        try:
            data = json.loads(row[0])
            if data["version"] != LISTING_VERSION:
                return None
            stamped = data["recorded"]
            folders = []
            for name, *kept in data["folders"]:
                if not isinstance(name, str) or not trusted(kept, stamp_of(name), stamped):
                    return None
                folders.append(name)
            prefix = os.fspath(root) + os.sep
            names = tuple(prefix + name for name in data["posts"] if isinstance(name, str))
            if len(names) != len(data["posts"]):
                return None
        except (TypeError, ValueError, KeyError, RecursionError):
            return None
        return _Listing(names, tuple(folders), kept=True)

    def _walk(self, root: Path) -> _Listing:
        self.walked += 1
        found = discovery.listing(root, self.settings)
        names = tuple(os.fspath(p) for p in found.posts)
        folders = tuple(os.fspath(f) for f in found.folders)
        walked = _Listing(names, folders, kept=False, paths=found.posts)
        prefix = os.fspath(root) + os.sep
        if found.links or not all(name.startswith(prefix) for name in names):
            return walked
        stamps = []
        for folder in folders:
            stamp = stamp_of(folder)
            if stamp is None:
                return walked
            stamps.append([folder, *stamp])
        data = {
            "version": LISTING_VERSION,
            "recorded": self.started,
            "folders": stamps,
            "posts": [name.removeprefix(prefix) for name in names],
        }
        self.store.stage("sites", (self.run, os.fspath(root), json.dumps(data, separators=(",", ":"))))
        walked.kept = True
        return walked

    # -- the site index ---------------------------------------------------------------

    def index(
        self,
        root: Path,
        fingerprint: str,
        fresh: Mapping[str, Summary | None],
        summarize: Callable[[Path], Summary | None],
        *,
        left_out: frozenset[str] = frozenset(),
    ) -> StoredIndex | None:
        """The index of the site at ``root`` answered from the store, with ``fresh``
        (path → summary: the run's own) standing in for their rows; None when the store
        cannot answer (a listing that is not kept, too many posts to summarise afresh):
        the caller builds the index in memory. ``summarize`` gives a post's summary
        (checked by its digest, else parsed) and keeps it in the store. The posts named in
        ``left_out`` (no episodes: the site's feed leaves them out) are not part of it."""
        if not self.store.usable or not self.cacheable(root):
            return None
        posts = [name for name in self.names(root) if name not in left_out]
        listed = set(posts)
        fresh = {name: summary for name, summary in fresh.items() if name in listed}
        if len(fresh) > STORED_LIMIT:
            return None
        rows = self.store.rows(
            "SELECT path, size, mtime, ctime, ino, stamped, expires FROM summaries"
            " INDEXED BY summaries_stamps WHERE run = ? AND root = ? AND fingerprint = ?",
            (self.run, os.fspath(root), fingerprint),
        )
        kept = {row[0]: row for row in rows}
        now = time.time()
        stale: list[str] = []
        for name in posts:
            if name in fresh:
                continue
            row = kept.get(name)
            self.stamped += 1
            expires = row[6] if row is not None else None
            if (
                row is None
                or not trusted(row[1:5], stamp_of(name), row[5])
                or (expires is not None and (type(expires) not in (int, float) or now >= expires))
            ):
                stale.append(name)
                if len(fresh) + len(stale) > STORED_LIMIT:
                    return None
        gone = {name for name in kept if name not in listed}
        if len(gone) > STORED_LIMIT:
            return None
        own = dict(fresh)
        for name in stale:
            own[name] = summarize(Path(name))
        return StoredIndex(
            self.store, self.run, os.fspath(root), fingerprint, fresh=own, gone=gone, summarize=summarize
        )


_SUMMARY_COLUMNS = (
    "path, summary, site_path, title_main, title_sub, field_main, field_sub, audio, series, audio_main"
)


class StoredIndex:
    """``Index`` over the store's summaries of one site: the rows of its posts (whose
    stamps the run checked), with the run's fresh summaries in place of their rows and
    the rows of posts no longer listed left out. A row that does not decode, or whose
    columns disagree with its summary, is summarised afresh from its file."""

    def __init__(
        self,
        store: Store,
        run: str,
        root: str,
        fingerprint: str,
        *,
        fresh: dict[str, Summary | None],
        gone: set[str],
        summarize: Callable[[Path], Summary | None],
    ) -> None:
        self._store = store
        #: The rows of this site's posts (a row whose summary is None has no numbers either).
        self._where = ("run = ? AND root = ? AND fingerprint = ?", (run, root, fingerprint))
        self._fresh = fresh
        self._gone = gone
        self._summarize = summarize
        self._decoded: dict[str, Summary] = {}

    def _skip(self) -> set[str]:
        return self._gone | self._fresh.keys()

    def _select(self, index: str, condition: str, params: tuple[Any, ...]) -> list[Summary]:
        """The stored summaries matching ``condition``, found through ``index`` (in no
        order: the callers sort)."""
        where, base = self._where
        rows = self._store.rows(
            f"SELECT {_SUMMARY_COLUMNS} FROM summaries INDEXED BY {index}"
            f" WHERE {where} AND summary IS NOT NULL AND {condition}",
            (*base, *params),
        )
        found: list[Summary] = []
        skip = self._skip()
        for row in rows:
            if row[0] in skip:
                continue
            summary = self._decode(row)
            if summary is not None:
                found.append(summary)
        return found

    def _decode(self, row: tuple[Any, ...]) -> Summary | None:
        """The row's summary, or None when it was replaced by a fresh one (damaged)."""
        path = row[0]
        summary = self._decoded.get(path)
        if summary is not None:
            return summary
        try:
            summary = Summary.from_json(json.loads(row[1]))
            if _columns(summary) != tuple(row[2:]):
                raise ValueError("the row's columns disagree with its summary")
        except (TypeError, ValueError, KeyError, IndexError, RecursionError):
            self._fresh[path] = self._summarize(Path(path))  # stands in for the row from now on
            return None
        self._decoded[path] = summary
        return summary

    def _fresh_summaries(self) -> list[Summary]:
        return [s for s in self._fresh.values() if s is not None]

    def _merged(self, stored: list[Summary], keep: Callable[[Summary], bool]) -> list[Summary]:
        found = stored + [s for s in self._fresh_summaries() if keep(s)]
        found.sort(key=lambda s: s.site_path)
        return found

    # -- the questions ---------------------------------------------------------------------

    def has(self, site_path: str) -> bool:
        if any(s.site_path == site_path for s in self._fresh_summaries()):
            return True
        return bool(self._select("summaries_site_path", "site_path = ?", (site_path,)))

    def titled(self, number: tuple[int, int | None]) -> Sequence[Summary]:
        stored = self._select("summaries_title", "title_main = ? AND title_sub IS ?", number)
        return self._merged(stored, lambda s: s.title is not None and _key(s.title.number) == number)

    def numbered(self, number: tuple[int, int | None]) -> Sequence[Summary]:
        stored = self._select("summaries_field", "field_main = ? AND field_sub IS ?", number)
        return self._merged(stored, lambda s: s.field is not None and _key(s.field.number) == number)

    def sharing_audio(self, audio: str) -> Sequence[Summary]:
        if not audio:
            return []
        stored = self._select("summaries_audio", "audio = ?", (audio,))
        return self._merged(stored, lambda s: s.audio == audio)

    def first_of(self, main: int) -> Summary | None:
        candidates = self._merged(
            self._select("summaries_title", "title_main = ?", (main,)),
            lambda s: s.title is not None and s.title.number.main == main,
        )
        return min(candidates, key=rank, default=None)

    def previous_main(self, main: int) -> int | None:
        return self._neighbour(main, below=True)

    def next_main(self, main: int) -> int | None:
        return self._neighbour(main, below=False)

    def _neighbour(self, main: int, *, below: bool) -> int | None:
        where, base = self._where
        skip = self._skip()
        rows = self._store.rows(
            f"SELECT path, title_main FROM summaries INDEXED BY summaries_title"
            f" WHERE {where} AND title_main {'<' if below else '>'} ?"
            f" ORDER BY title_main {'DESC' if below else 'ASC'} LIMIT ?",
            (*base, main, len(skip) + 1),
        )
        stored = next((int(row[1]) for row in rows if row[0] not in skip), None)
        mains = [
            s.title.number.main
            for s in self._fresh_summaries()
            if s.title is not None and (s.title.number.main < main if below else s.title.number.main > main)
        ]
        if stored is not None:
            mains.append(stored)
        if not mains:
            return None
        return max(mains) if below else min(mains)

    def audio_agreement(self, summary: Summary) -> Agreement:
        audio = summary.audio_number
        if audio is None:
            return Agreement()
        series = audio.series

        def counts(s: Summary) -> bool:
            return s.title is not None and s.audio_number is not None and s.audio_number.series == series

        total = self._agreement(
            "summaries_series",
            "series = ? AND title_main IS NOT NULL AND audio_main IS NOT NULL",
            (series,),
            "title_main = audio_main",
            counts=counts,
            agree=lambda s: (
                s.title is not None and s.audio_number is not None and agrees(s.title, s.audio_number)
            ),
        )
        title = summary.title
        return total.without(title is not None, title is not None and agrees(title, audio))

    def field_agreement(self, summary: Summary) -> Agreement:
        title, field = summary.title, summary.field
        total = self._agreement(
            "summaries_field",
            "field_main IS NOT NULL AND title_main IS NOT NULL",
            (),
            "title_main = field_main",
            counts=lambda s: s.title is not None and s.field is not None,
            agree=lambda s: s.title is not None and s.field is not None and agrees(s.title, s.field),
        )
        both = title is not None and field is not None
        return total.without(both, both and title is not None and field is not None and agrees(title, field))

    def _agreement(
        self,
        index: str,
        condition: str,
        params: tuple[Any, ...],
        agreeing: str,
        *,
        counts: Callable[[Summary], bool],
        agree: Callable[[Summary], bool],
    ) -> Agreement:
        """Pairs and agreeing pairs: the store's count, less its skipped rows, plus the fresh summaries."""
        where, base = self._where
        row = self._store.row(
            f"SELECT count(*), total({agreeing}) FROM summaries INDEXED BY {index}"
            f" WHERE {where} AND {condition}",
            (*base, *params),
        )
        pairs, agreeing_pairs = (int(row[0]), int(row[1])) if row is not None else (0, 0)
        skip = sorted(self._skip())
        for start in range(0, len(skip), 500):
            chunk = skip[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            row = self._store.row(
                f"SELECT count(*), total({agreeing}) FROM summaries WHERE {where} AND {condition}"
                f" AND path IN ({marks})",
                (*base, *params, *chunk),
            )
            if row is not None:
                pairs -= int(row[0])
                agreeing_pairs -= int(row[1])
        for summary in self._fresh_summaries():
            if counts(summary):
                pairs += 1
                agreeing_pairs += agree(summary)
        return Agreement(pairs, agreeing_pairs)


def _key(number: Any) -> tuple[int, int | None]:
    return (number.main, number.sub)


def _columns(summary: Summary | None) -> tuple[Any, ...]:
    """The indexed columns of a summary's row (``summaries``: site_path … audio_main)."""
    if summary is None:
        return (None,) * 8
    title, field, audio = summary.title, summary.field, summary.audio_number
    return (
        summary.site_path,
        None if title is None else title.number.main,
        None if title is None else title.number.sub,
        None if field is None else field.number.main,
        None if field is None else field.number.sub,
        summary.audio,
        None if audio is None else audio.series,
        None if audio is None else audio.number.main,
    )


columns = _columns
