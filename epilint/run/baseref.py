"""A site's feeds at a base commit: the commit's tree written to a temporary folder,
predicted there, reduced to its identity (``epilint.feed.identity.Snapshot``) and kept
by commit id.

Nothing touches the user's working tree, index or branches: the commit's files are read
with ``git ls-tree`` and ``git cat-file --batch`` (no ``git archive``: its
``export-ignore``/``export-subst`` attributes would change what is read) and written
below a temporary folder (``/dev/shm`` when it can be written), removed afterwards. What
is written is bounded: symbolic links and submodules are left out (the feed model never
follows a link), at most ``MAX_FILES`` entries and ``MAX_BYTES`` in all; a file the
model would only look at (no front matter, outside the ``_`` folders — audio, images)
is written as a sparse file of its size holding its first bytes, so folder listings,
sizes and front-matter probes are those of the commit without its bytes.

The snapshot is cached in the store (``epilint/run/store.py``, the value named
``identity.json``) by commit id and the site's folder in the repository, keyed by
epilint's version and its feed code, while
no future post of the commit has joined the feed (``FeedPrediction.next_change``); a
prediction whose items read the build's clock holds for its instant only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import epilint
from epilint import files
from epilint.feed import identity
from epilint.feed.files import MAX_FILE
from epilint.run import git, store
from epilint.run.kept import Kept, code_key

FILE_NAME = "identity.json"
FORMAT = "epilint-identity"
VERSION = 1
#: Snapshots kept (one per base commit and site; older ones are dropped first).
KEEP = 16
MAX_FILES = 50_000
MAX_BYTES = 256 * 1024 * 1024
#: Bytes kept of a file written as a placeholder (the model probes 512 for front matter).
HEAD = 1024
#: Files below this size are written whole whatever they are.
SMALL = 64 * 1024


@dataclass(frozen=True)
class BaseFeeds:
    """The identity of a site's feeds at the base commit."""

    commit: str
    #: None when it could not be had (``problem`` says why).
    snapshot: identity.Snapshot | None
    problem: str | None = None
    #: Whether the snapshot came from the cache.
    cached: bool = False


def prefix_of(site_root: Path, top: Path) -> str | None:
    """The site's folder in the repository (posix, "" for the top), None when outside."""
    try:
        return Path(os.path.realpath(site_root)).relative_to(top).as_posix().strip(".")
    except ValueError:
        return None


def scratch() -> Path:
    """A new temporary folder (in memory when ``/dev/shm`` can be written)."""
    shm = Path("/dev/shm")
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="epilint-base-", dir=where))


def _safe(path: str) -> bool:
    parts = path.split("/")
    return all(p not in ("", ".", "..") for p in parts) and "\0" not in path and ".git" not in parts


def _needs_bytes(path: str) -> bool:
    """Whether the model may read the file whole: inside a ``_`` folder (posts,
    collections, layouts, includes, data, plugins) or a ``_``-file (``_config.yml``)."""
    return any(part.startswith("_") for part in path.split("/"))


def export(base: git.Base, prefix: str, dest: Path, option: str = "--since") -> str | None:
    """Write the commit's tree below ``prefix`` into ``dest``; the problem, when the tree
    is too large to write (then nothing is predicted)."""
    entries = git.tree(base, prefix, option)
    if len(entries) > MAX_FILES:
        return f"the site at {base.commit[:12]} has more than {MAX_FILES} files"
    blobs = [e for e in entries if e.mode in ("100644", "100755") and _safe(e.path)]
    total = sum(e.size for e in blobs if e.size <= MAX_FILE and (_needs_bytes(e.path) or e.size <= SMALL))
    if total > MAX_BYTES:
        return f"the site's text files at {base.commit[:12]} hold more than {MAX_BYTES // 2**20} MiB"
    for entry in entries:
        if entry.mode == "160000" and _safe(entry.path):  # a submodule: an empty folder
            (dest / entry.path).mkdir(parents=True, exist_ok=True)
    small = [e for e in blobs if 0 <= e.size <= MAX_FILE]
    large = [e for e in blobs if e.size > MAX_FILE]
    paths: dict[str, list[git.TreeEntry]] = {}
    for entry in small:
        paths.setdefault(entry.sha, []).append(entry)

    def sink(sha: str, data: bytes) -> None:
        for entry in paths.get(sha, []):
            whole = entry.size <= SMALL or _needs_bytes(entry.path) or data.startswith(b"---")
            _write(dest / entry.path, data if whole else data[:HEAD], len(data))

    git.read_blobs(base, list(paths), sink, option)
    for entry in large:
        _write(dest / entry.path, git.blob_head(base, entry.sha, HEAD), entry.size)
    return None


#: Folders of a working tree never copied (git's, epilint's own cache).
_NOT_COPIED = (".git", store.FOLDER)


def copy_site(root: Path, dest: Path) -> str | None:
    """Copy the site at ``root`` into ``dest`` as ``export`` writes a commit: regular
    files only (no link is followed), placeholders for files the model only looks at,
    within the same bounds; the problem, when the site is too large."""
    count = 0
    total = 0
    stack = [""]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(root / folder if folder else root))
        except OSError:
            continue
        for entry in entries:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            count += 1
            if count > MAX_FILES:
                return f"the site has more than {MAX_FILES} files"
            if entry.is_symlink() or (not folder and entry.name in _NOT_COPIED):
                continue
            if entry.is_dir(follow_symlinks=False):
                (dest / relative).mkdir(parents=True, exist_ok=True)
                stack.append(relative)
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            size = entry.stat(follow_symlinks=False).st_size
            try:
                head = files.read(entry.path, HEAD, head=True)
                wanted = size <= SMALL or _needs_bytes(relative) or head.startswith(b"---")
                whole = size <= MAX_FILE and wanted
                data = files.read(entry.path, MAX_FILE) if whole else head
            except OSError:
                continue
            total += len(data)
            if total > MAX_BYTES:
                return f"the site's text files hold more than {MAX_BYTES // 2**20} MiB"
            _write(dest / relative, data, size)
    return None


def _write(path: Path, data: bytes, size: int) -> None:
    """``data`` at ``path``, extended with a hole to ``size`` bytes (a placeholder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        if size > len(data):
            handle.truncate(size)


class SnapshotCache(Kept):
    """The snapshots of one cache value, read and written during one run."""

    FILE_NAME = FILE_NAME
    FORMAT = FORMAT
    VERSION = VERSION

    @staticmethod
    def key() -> str:
        """epilint's version and the stamps of the code a snapshot is made by."""
        return code_key([*(Path(epilint.__file__).parent / "feed").glob("*.py"), Path(__file__)])

    def lookup(self, name: str, now: float) -> identity.Snapshot | None:
        entry = self.current(name, now)
        try:
            return None if entry is None else identity.from_data(entry["snapshot"])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return None  # damaged: made again

    def store(self, name: str, data: dict[str, Any], expires: float | None, instant: float | None) -> None:
        self.put(name, {"snapshot": data, "expires": expires, "instant": instant})
        while len(self.entries) > KEEP:
            self.entries.pop(next(iter(self.entries)))


class Predictor:
    """The base snapshots of one run (``counts``: cache hits, exports, predictions)."""

    def __init__(self, cache: SnapshotCache, now: float, option: str = "--since") -> None:
        self.cache = cache
        self.now = now
        self.option = option
        self.counts: Counter[str] = Counter()

    def site(self, base: git.Base, prefix: str) -> BaseFeeds:
        name = f"{base.commit}:{prefix}"
        found = self.cache.lookup(name, self.now)
        if found is not None:
            self.counts["cache hits"] += 1
            return BaseFeeds(base.commit, found, cached=True)
        folder = scratch()
        try:
            self.counts["exports"] += 1
            problem = export(base, prefix, folder, self.option)
            if problem is not None:
                return BaseFeeds(base.commit, None, problem)
            if not (folder / "_config.yml").is_file():
                return BaseFeeds(base.commit, None, f"the site has no _config.yml at {base.commit[:12]}")
            from epilint.feed.predict import predict_site

            self.counts["predictions"] += 1
            moment = dt.datetime.fromtimestamp(self.now, dt.timezone.utc)
            prediction = predict_site(folder, moment)
            data = identity.to_data(identity.read_snapshot(prediction, folder))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self.cache.store(name, data, prediction.next_change, self.now if prediction.clock else None)
        return BaseFeeds(base.commit, identity.from_data(json.loads(json.dumps(data))))
