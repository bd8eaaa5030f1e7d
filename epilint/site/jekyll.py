"""The Jekyll site around the linted files: ``_config.yml`` and what the site holds.

A site is loaded once per run and shared by every file below its root.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from epilint import files
from epilint.read import yaml11
from epilint.site.realpaths import RealPaths, escapes

CONFIG_NAME = "_config.yml"
ACTORS_COLLECTION = "actors"
#: Data files Jekyll reads into ``site.data.actors``.
ACTORS_DATA = ("actors.yml", "actors.yaml", "actors.json")
# EntryFilter: names starting with these characters are not read.
_SPECIAL = ("_", ".", "#", "~")
_DURATION_LINE = re.compile(
    r"(?m)^([A-Za-z0-9_-]+)[ \t]*:[ \t]*[\"']?([0-9]{1,6}):([0-9]{2})(?::([0-9]{2}))?[\"']?[ \t]*$"
)
#: Larger inputs are fingerprinted by size and modification time instead of contents.
_HASH_LIMIT = 1024 * 1024


def find_site_root(path: Path) -> Path | None:
    """The nearest ancestor of ``path`` (a file or folder) that holds ``_config.yml``."""
    current = path.resolve()
    try:
        if not stat.S_ISDIR(os.stat(current).st_mode):
            current = current.parent
    except OSError:
        current = current.parent
    for folder in (current, *current.parents):
        if _holds_config(folder):
            return folder
    return None


def _holds_config(folder: Path) -> bool:
    """``_config.yml`` is there (a file, or something that is not a folder: a FIFO or a
    device is a site whose configuration cannot be read, and is reported as such)."""
    try:
        return not stat.S_ISDIR(os.stat(folder / CONFIG_NAME).st_mode)
    except OSError:  # absent, or a folder on the way that cannot be searched
        return False


@dataclass(frozen=True)
class Site:
    """One Jekyll site: its configuration and what its folders hold, read lazily once."""

    root: Path
    config: dict[str, object] = field(default_factory=dict)
    #: Why ``_config.yml`` could not be read, when it could not.
    config_problem: str | None = None
    #: ``resolve_inside`` answers of this run: the site's folders do not move during a run.
    _inside: dict[str, Path | None] = field(default_factory=dict, compare=False, repr=False)
    _real: RealPaths = field(default_factory=RealPaths, compare=False, repr=False)
    _prints: dict[tuple[str, ...], str] = field(default_factory=dict, compare=False, repr=False)
    #: Site inputs that are symbolic links out of the site: never read (path → why).
    refused: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def load(root: Path) -> Site:
        """The site at ``root``; its inputs that link out of the site are found now (and
        never read), so every process of a run agrees on them."""
        real = os.path.realpath(root)
        refused = {p: why for p in _site_inputs(root) if (why := escapes(p, real)) is not None}
        config = os.fspath(root / CONFIG_NAME)
        if config in refused:
            return Site(root, {}, f"{CONFIG_NAME}: {refused.pop(config)}", refused=refused)
        data, problem = read_yaml(root / CONFIG_NAME)
        return Site(root, data if isinstance(data, dict) else {}, problem, refused=refused)

    def readable(self, path: Path | str) -> bool:
        """False for a site input that links out of the site, or lies in a folder that
        does (``refused``)."""
        if not self.refused:
            return True
        current = os.fspath(path)
        root = os.fspath(self.root)
        while current.startswith(root) and current != root:
            if current in self.refused:
                return False
            current = os.path.dirname(current)
        return True

    def fingerprint(self, inputs: tuple[str, ...] = ()) -> str:
        """A digest of ``_config.yml`` and the site-wide ``inputs`` (files or folders below
        the root, as rules declare them): it changes when any of them changes."""
        found = self._prints.get(inputs)
        if found is None:
            import hashlib

            digest = hashlib.blake2b(digest_size=16)
            for path in self.input_files(inputs):
                relative = os.path.relpath(path, self.root)
                digest.update(os.fsencode(relative) + b"\0")
                digest.update(_file_digest(path) if self.readable(path) else b"outside the site")
            found = self._prints[inputs] = digest.hexdigest()
        return found

    def input_files(self, inputs: tuple[str, ...] = ()) -> list[str]:
        """``_config.yml`` and the files below the site-wide ``inputs``, in a stable order:
        what the fingerprint is made of, as they are on disk now."""
        names = dict.fromkeys((CONFIG_NAME, *inputs))
        return [path for name in names for path in _input_files(self.root / name)]

    @property
    def timezone(self) -> str | None:
        value = self.config.get("timezone")
        return value if isinstance(value, str) and value else None

    @property
    def zone(self) -> dt.tzinfo | None:
        """The ``timezone`` as a tzinfo, or None when absent or unknown."""
        return _zone(self.timezone) if self.timezone else None

    @property
    def zone_problem(self) -> str | None:
        """Why the site's ``timezone`` cannot be used (None when it can, or is not set)."""
        name = self.timezone
        if name is None or self.zone is not None:
            return None
        return zone_problem(name)

    @property
    def future(self) -> bool:
        """``future: true``: Jekyll publishes posts dated after the build."""
        return self.config.get("future") is True

    @property
    def include(self) -> tuple[str, ...]:
        value = self.config.get("include")
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    @property
    def has_theme(self) -> bool:
        """A gem or remote theme supplies layouts epilint cannot see."""
        return bool(self.config.get("theme") or self.config.get("remote_theme"))

    @cached_property
    def real_root(self) -> Path:
        return self.root.resolve()

    @cached_property
    def root_prefix(self) -> str:
        """``root`` as a string ending in the path separator, to test paths inside it."""
        text = os.fspath(self.root)
        return text if text.endswith(os.sep) else text + os.sep

    # --- files ----------------------------------------------------------------------

    def resolve_inside(self, site_path: str) -> Path | None:
        """The real path of ``site_path`` (``/audio/1.mp3`` or ``audio/1.mp3``) when it stays
        inside the site after resolving ``..`` and symlinks; None when it climbs out."""
        if site_path not in self._inside:
            self._inside[site_path] = self._resolve_inside(site_path)
        return self._inside[site_path]

    def _resolve_inside(self, site_path: str) -> Path | None:
        root = os.fspath(self.real_root)
        try:
            real = self._real.key(os.path.join(root, site_path.lstrip("/")))
        except (OSError, ValueError, RuntimeError):
            return None
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):  # both resolved
            return Path(real)
        return None

    def has_file(self, site_path: str) -> bool:
        """True when ``site_path`` is a file inside the site (never outside it)."""
        found = self.resolve_inside(site_path)
        try:
            return found is not None and found.is_file()
        except (OSError, ValueError):
            return False

    def nearest_file(self, site_path: str, suffixes: tuple[str, ...] = ()) -> str | None:
        """The existing file in ``site_path``'s folder whose name is closest to its name
        (``/audio/057.mp3`` for a missing ``/audio/058.mp3``), as a site path; optionally
        only files with one of ``suffixes``."""
        from epilint.similar import closest

        folder, _, name = site_path.strip("/").rpartition("/")
        real = self.resolve_inside(folder)
        try:
            names = sorted(
                p.name
                for p in (real.iterdir() if real is not None else ())
                if p.is_file() and (not suffixes or p.suffix.lower() in suffixes)
            )
        except OSError:
            return None
        near = closest(name, names, limit=max(2, len(name) // 3))
        return None if near is None else f"/{folder}/{near}" if folder else f"/{near}"

    # --- layouts and actors ---------------------------------------------------------------

    @cached_property
    def layouts(self) -> frozenset[str] | None:
        """Layout names in ``_layouts/`` (``article`` for ``article.html``); None without one."""
        folder = self.root / "_layouts"
        if not folder.is_dir():
            return None
        names: set[str] = set()
        for relative in _walk_files(folder):
            if relative.split("/")[-1].startswith(_SPECIAL) or relative.endswith("~"):
                continue
            # LayoutReader#layout_name: everything before the last extension.
            names.add(relative.rsplit(".", 1)[0] if "." in relative.split("/")[-1] else relative)
        return frozenset(names)

    @cached_property
    def actors(self) -> frozenset[str] | None:
        """Actor ids the site defines, or None when it defines none anywhere.

        Three places real sites use: the ``actors:`` map in ``_config.yml`` (yattecast),
        ``_data/actors.yml``, and an ``actors`` collection of ``_actors/*.md`` documents
        whose ``actor_id`` (else the file name) is the id.
        """
        found: set[str] = set()
        defined = False
        configured = self.config.get("actors")
        if isinstance(configured, (dict, list)):
            defined = True
            found.update(_ids(configured))
        for name in ACTORS_DATA:
            path = self.root / "_data" / name
            if path.is_file() and self.readable(path):
                defined = True
                found.update(_ids(_read_data(path)))
        collection = self._collection_folder(ACTORS_COLLECTION)
        if collection is not None and self.readable(collection):
            defined = True
            found.update(_collection_ids(collection, os.path.realpath(self.root)))
        return frozenset(found) if defined else None

    def _collection_folder(self, name: str) -> Path | None:
        collections = self.config.get("collections")
        if not (isinstance(collections, dict) and name in collections) and not (
            isinstance(collections, list) and name in collections
        ):
            return None
        base = self.config.get("collections_dir")
        folder = self.root / (base if isinstance(base, str) else "") / f"_{name}"
        return folder if folder.is_dir() else None

    # --- house style ----------------------------------------------------------------------

    def duration_style(self, key: str) -> str | None:
        """How the site writes durations under an hour in ``key``: ``"MM:SS"``, ``"HH:MM:SS"``,
        or None when its posts do not say (placeholders like ``00:00`` do not count)."""
        return self._duration_styles.get(key)

    #: Site facts (``fact``) that results may depend on: name prefix → how to know it now.
    FACTS = ("duration-style:",)

    def fact(self, name: str) -> str | None:
        """The current value of a site fact a result declared (``Context.uses``)."""
        if name.startswith("duration-style:"):
            return self.duration_style(name.split(":", 1)[1])
        raise KeyError(name)

    @cached_property
    def _duration_styles(self) -> dict[str, str]:
        votes: dict[str, dict[str, int]] = {}
        folder = self.root / "_posts"
        if not folder.is_dir():
            return {}
        real = os.path.realpath(self.root)
        for relative in _walk_files(folder):
            if escapes(folder / relative, real) is not None:
                continue  # reported where the posts are walked
            try:  # the front matter's first lines are enough to see how a post writes it
                text = files.read(folder / relative, 4096, head=True).decode("utf-8-sig", "replace")
            except OSError:
                continue
            head = text.split("\n---", 1)[0]
            for match in _DURATION_LINE.finditer(head):
                key, first, second, third = match.groups()
                if third is None:
                    minutes = int(first)
                    if (minutes == 0 and int(second) == 0) or minutes >= 60:
                        continue
                    style = "MM:SS"
                else:
                    if int(first) != 0 or (int(second) == 0 and int(third) == 0):
                        continue
                    style = "HH:MM:SS"
                counts = votes.setdefault(key, {})
                counts[style] = counts.get(style, 0) + 1
        return {key: max(counts, key=lambda s: (counts[s], s == "HH:MM:SS")) for key, counts in votes.items()}

    def utc_offset(self, when: dt.datetime) -> str | None:
        """The site's offset (``+0900``) at the wall-clock time ``when``, from ``timezone``."""
        name = self.timezone
        if name is None:
            return None
        zone = _zone(name)
        if zone is None:
            return None
        delta = when.replace(tzinfo=zone).utcoffset()
        if delta is None:
            return None
        minutes = int(delta.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _input_files(path: Path) -> list[str]:
    """``path`` itself when it is a file, else the files below it in a stable order."""
    if path.is_file():
        return [str(path)]
    found: list[str] = []
    for folder, dirs, names in os.walk(path):
        dirs.sort()
        found.extend(os.path.join(folder, name) for name in sorted(names))
    return found


def _file_digest(path: str) -> bytes:
    """The contents' digest; for a large file its size and time; for a FIFO or device
    (never opened) what it is."""
    import hashlib

    try:
        info = os.stat(path)
        what = files.kind(info.st_mode)
        if what is not None:
            return f"special:{info.st_mode}:{info.st_rdev}".encode()
        if info.st_size > _HASH_LIMIT:
            return f"{info.st_size}:{info.st_mtime_ns}".encode()
        return hashlib.blake2b(files.read(path, _HASH_LIMIT), digest_size=16).digest()
    except OSError:
        return b"unreadable"


def zone_problem(name: str) -> str:
    """Why ``ZoneInfo(name)`` fails: no time zone database at all, or an unknown name."""
    import zoneinfo

    from epilint.similar import closest

    known = zoneinfo.available_timezones()
    if not known:
        return (
            f"`timezone: {name}` cannot be used: this system has no time zone database "
            "(install the `tzdata` package); dates are judged without the site's zone"
        )
    near = closest(name, sorted(known))
    hint = f" (did you mean `{near}`?)" if near else ""
    return f"`timezone: {name}` is not a time zone name{hint}; dates are judged without the site's zone"


@lru_cache(maxsize=32)
def _zone(name: str) -> dt.tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _walk_files(folder: Path) -> Iterator[str]:
    """Files below ``folder`` as posix paths relative to it, sorted, without following loops."""
    for current, dirs, names in os.walk(folder):
        dirs.sort()
        here = Path(current).relative_to(folder)
        for name in sorted(names):
            yield (here / name).as_posix()


def _ids(data: object) -> Iterator[str]:
    """Actor ids in a data value: the keys of a mapping, or ``id``/``actor_id`` of list items."""
    if isinstance(data, dict):
        yield from (str(k) for k in data)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                for key in ("actor_id", "id"):
                    if isinstance(item.get(key), (str, int)):
                        yield str(item[key])
                        break
            elif isinstance(item, str):
                yield item


#: Larger site files (``_config.yml``, data, documents) are reported instead of read.
MAX_SITE_FILE = 16 * 1024 * 1024


def read_yaml(path: Path) -> tuple[object, str | None]:
    """A site YAML (or JSON) file as Psych (Ruby's JSON) reads it, and why it could not be
    read when it could not: unreadable, not a regular file, too large, invalid."""
    name = path.name
    try:
        text = files.read_text(path, MAX_SITE_FILE)
    except OSError as exc:
        return None, f"cannot read {name}: {files.reason(exc)}"
    except UnicodeDecodeError:
        return None, f"{name} is not UTF-8 text"
    if path.suffix == ".json":
        import json

        try:
            return json.loads(text), None
        except (ValueError, RecursionError) as exc:
            return None, f"{name} is not valid JSON: {exc}"
    try:
        return yaml11.to_json(yaml11.compose(text)), None
    except yaml11.YamlError as exc:
        kind = "epilint does not read it" if exc.limit else "it is not valid YAML"
        return None, f"{name}: {kind}: {exc.message}"
    except yaml11.ExpansionTooLarge as exc:
        return None, f"{name}: epilint does not read it: {exc}"


def _read_data(path: Path) -> object:
    return read_yaml(path)[0]


def _site_inputs(root: Path) -> Iterator[str]:
    """The files a site's rules may read besides its posts: ``_config.yml``, ``_data/``,
    ``_layouts/`` and collection folders (``_name/``) — symlinks among them are checked."""
    yield os.fspath(root / CONFIG_NAME)
    try:
        names = sorted(e.name for e in os.scandir(root) if e.name.startswith("_") and e.name != "_posts")
    except OSError:
        return
    for name in names:
        folder = root / name
        if os.path.islink(folder):
            yield os.fspath(folder)
        elif folder.is_dir() and name not in ("_site",):
            for current, dirs, entries in os.walk(folder):
                yield from (
                    os.path.join(current, d) for d in dirs if os.path.islink(os.path.join(current, d))
                )
                yield from (os.path.join(current, e) for e in entries)


def _collection_ids(folder: Path, boundary: str) -> Iterator[str]:
    from epilint.read.document import Document

    for relative in _walk_files(folder):
        name = relative.rsplit("/", 1)[-1]
        if name.startswith(_SPECIAL):
            continue
        path = folder / relative
        if escapes(path, boundary) is not None:
            continue
        try:
            text = files.read_text(path, MAX_SITE_FILE)
        except (OSError, UnicodeDecodeError):
            continue
        doc = Document.parse(path, text)
        actor_id = doc.data.get("actor_id")
        if isinstance(actor_id, (str, int)) and not isinstance(actor_id, bool) and str(actor_id).strip():
            yield str(actor_id).strip()
        else:
            yield name.rsplit(".", 1)[0]
