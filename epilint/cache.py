"""The results cache: skip re-linting files whose inputs have not changed.

A run reads ONE cache file (``.epilint_cache/results.json`` at the site root, else
the current folder, or in ``$EPILINT_CACHE_DIR``) and writes it back once, atomically, when something changed.
A file's cached violations are reused only when all of these are unchanged:

- the run key: epilint's version and code, the effective settings, the schema's
  contents (and the files it references) and the selected rules;
- the file's bytes (a BLAKE2 digest: far cheaper than parsing) and displayed path;
- the site's fingerprint (``Site.fingerprint``: ``_config.yml``, ``_data/``,
  ``_layouts/``, ``_actors/``);
- the files the rules declared through ``ctx.depends_on`` (and the file the
  ``audio-path`` field names), by size and modification time, or their absence;
- the clock, when a rule said its answer expires (``ctx.valid_until``).

Violations are stored as plain JSON and rebuilt as the same frozen records, so a
warm run prints exactly what a cold run prints. A missing, corrupt or foreign cache
file is ignored; a folder that cannot be written (a read-only checkout) means no
cache, silently. Concurrent runs each replace the file atomically (last writer
wins); a reader never sees a half-written file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from epilint import __version__
from epilint.collection import Summary
from epilint.records import dump_result, load_result
from epilint.runner import read_bytes

if TYPE_CHECKING:
    from epilint.config import Settings
    from epilint.context import Context
    from epilint.runner import FileResult, Linted, Linter
    from epilint.schema import EpisodeSchema

FOLDER = ".epilint_cache"
FILE_NAME = "results.json"
FORMAT = "epilint-results"
FORMAT_VERSION = 4
#: Schema roles whose value names a file of the site that rules may read.
FILE_ROLES = ("audio-path",)
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# epilint results cache\n"

Stamp = list[Any]  # [path, size, mtime_ns]; size -1 when the file does not exist
# [display, digest, site fingerprint, [Stamp, ...], result (``records.dump_result``), expires]
Entry = list[Any]


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


#: Environment variable naming the cache folder itself (tests, unusual layouts).
ENV_FOLDER = "EPILINT_CACHE_DIR"


def location(settings: Settings) -> Path:
    """The cache folder: ``$EPILINT_CACHE_DIR``, else ``.epilint_cache`` at the site root
    (``--site-root``, or the site around the current folder), else in the current folder."""
    from epilint.site import find_site_root

    override = os.environ.get(ENV_FOLDER)
    if override:
        return Path(override)
    cwd = Path.cwd()
    return (settings.site_root or find_site_root(cwd) or cwd) / FOLDER


def run_key(settings: Settings, schema: EpisodeSchema, codes: Iterable[str]) -> str:
    """Everything that changes every file's results: version, code, settings, schema, rules."""
    from epilint import config
    from epilint.schema import _local_resources

    package = Path(__file__).parent
    code = sorted(
        (str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns) for p in package.rglob("*.py")
    )
    key = {
        "epilint": __version__,
        "code": code,
        "settings": config.as_mapping(settings),
        "extensions": settings.extensions,
        "schema": schema.raw,
        "schema_refs": _local_resources(schema.path, schema.raw),
        "rules": sorted(codes),
    }
    return digest(json.dumps(key, sort_keys=True, default=str).encode())


class ResultsCache:
    """The entries of one cache file, looked up and updated during one run."""

    def __init__(self, folder: Path, key: str, entries: dict[str, Entry]) -> None:
        self.folder = folder
        self.key = key
        self.entries = entries
        self.dirty = False
        self._stamps: dict[str, Stamp] = {}

    @classmethod
    def open(cls, folder: Path, key: str) -> ResultsCache:
        """Read the cache file in ``folder``; anything unusable starts an empty cache."""
        return cls(folder, key, _load(folder / FILE_NAME, key))

    # -- one file -----------------------------------------------------------------

    def lookup(self, linter: Linter, path: Path, display: str) -> FileResult | None:
        """The file's cached result when its bytes, site and dependencies are unchanged."""
        name = os.path.abspath(path)
        entry = self.entries.get(name)
        if entry is None or entry[0] != display:
            return None
        raw = read_bytes(path)
        if not isinstance(raw, bytes) or entry[1] != digest(raw):
            return None
        site = linter.site_for(path)
        if entry[2] != (site.fingerprint if site is not None else ""):
            return None
        try:
            if entry[5] is not None and time.time() >= entry[5]:
                return None
            if any(self._stamp(stamp[0]) != stamp for stamp in entry[3]):
                return None
            return load_result(path, display, entry[4])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError):
            return None  # a damaged entry is a miss

    def store(self, linter: Linter, linted: Linted) -> None:
        """Remember a file's fresh result (``linted.digest`` is of the bytes it was linted from)."""
        result = linted.result
        site = linter.site_for(result.path)
        self.entries[os.path.abspath(result.path)] = [
            result.display,
            linted.digest,
            site.fingerprint if site is not None else "",
            [self._stamp(p) for p in linted.dependencies],
            dump_result(result),
            linted.expires,
        ]
        self.dirty = True

    def summary(self, path: Path, site_print: str) -> Summary | None:
        """A post's collection summary when its cache entry still matches its bytes and site."""
        entry = self.entries.get(os.path.abspath(path))
        if entry is None or entry[2] != site_print:
            return None
        raw = read_bytes(path)
        if not isinstance(raw, bytes) or entry[1] != digest(raw):
            return None
        try:
            data = entry[4][3]
            return None if data is None else Summary.from_json(data)
        except (TypeError, ValueError, IndexError):
            return None

    def inputs(self, paths: Iterable[Path]) -> tuple[list[str], float | None]:
        """The files the results of ``paths`` depend on, and when the first expires."""
        depends: list[str] = []
        expires: float | None = None
        for path in paths:
            entry = self.entries.get(os.path.abspath(path))
            if entry is None:
                continue
            depends.extend(str(item[0]) for item in entry[3])
            if entry[5] is not None:
                expires = entry[5] if expires is None else min(expires, entry[5])
        return depends, expires

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

    # -- the cache file -----------------------------------------------------------

    def save(self) -> None:
        """Write the cache file atomically when entries changed; give up silently on errors."""
        if not self.dirty:
            return
        payload = json.dumps(
            {"format": FORMAT, "version": FORMAT_VERSION, "run": self.key, "files": self.entries},
            separators=(",", ":"),
        ).encode("ascii")
        temp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_markers(self.folder)
            temp = str(self.folder / f".{FILE_NAME}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(temp, self.folder / FILE_NAME)
            temp = None
            self.dirty = False
        except OSError:
            pass  # read-only tree, full disk, a file where the folder should be: no cache
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)


def _write_markers(folder: Path) -> None:
    for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
        marker = folder / name
        if not marker.exists():
            marker.write_text(text, encoding="ascii")


def _load(path: Path, key: str) -> dict[str, Entry]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("version") != FORMAT_VERSION
        or data.get("run") != key
        or not isinstance(data.get("files"), dict)
    ):
        return {}
    files: dict[str, Any] = data["files"]
    return {
        name: entry
        for name, entry in files.items()
        if isinstance(entry, list)
        and len(entry) == 6
        and isinstance(entry[3], list)
        and all(isinstance(s, list) and len(s) == 3 and isinstance(s[0], str) for s in entry[3])
        and isinstance(entry[4], list)
        and len(entry[4]) == 4
        and (entry[5] is None or type(entry[5]) in (int, float))
    }


def dependencies_of(ctx: Context) -> tuple[str, ...]:
    """The files and folders besides the document and the site-wide inputs that its result
    depends on (a folder's stamp changes when files are added to or removed from it)."""
    found = {os.path.abspath(p) for p in ctx.dependencies}
    site = ctx.site
    if site is None:
        return tuple(sorted(found))
    root = str(site.root)
    for role in FILE_ROLES:
        field = ctx.field(role)
        scalar = field.scalar if field is not None else None
        value = scalar.value if scalar is not None else None
        if not isinstance(value, str) or not value.strip() or "://" in value or value.startswith("//"):
            continue
        # Only a stamp (size, time) is taken, never the contents; stay inside the site.
        target = os.path.normpath(os.path.join(root, value.strip().lstrip("/")))
        if os.path.commonpath([root, target]) == root:
            found.add(target)
            found.add(os.path.dirname(target))  # EP008 asks whether the site keeps audio there
    return tuple(sorted(found))
