"""Which files a run lints: explicit paths, folders walked for episodes, or the config's
``include`` globs; and how each file's path is shown.

``include``, ``exclude`` and ``per-file-ignores`` are gitignore-style patterns relative
to the config file's folder (``config.settings.Globs``). ``exclude`` applies to what
folders and ``include`` yield; to files named on the command line only with
``--force-exclude`` (as ruff does), so pre-commit, which names every staged file,
skips them too.

Symbolic links (to files or folders) are followed only while they stay inside the site
(outside any site: inside the walked folder); the others, folders that cannot be read and
paths that cannot be searched are ``refused`` (each reported once, as FM004, never
followed). The temporary files a killed ``--fix`` left are never linted, and cleaned.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from epilint import atomic
from epilint.config.settings import SKIP_DIRS, Globs, Settings, is_excluded
from epilint.site.jekyll import find_site_root
from epilint.site.realpaths import RealPaths, escapes


@dataclass(frozen=True)
class Discovery:
    files: tuple[Path, ...]
    missing: tuple[Path, ...] = field(default=())
    #: Files named on the command line and skipped by ``--force-exclude``.
    excluded: tuple[Path, ...] = field(default=())
    #: Paths that are not linted, and why: folders that cannot be read, symbolic links
    #: that lead out of the site.
    refused: tuple[tuple[Path, str], ...] = field(default=())


def discover(paths: Sequence[Path], settings: Settings, real: RealPaths | None = None) -> Discovery:
    """Files to lint: explicit files whatever their extension; folders walked for episodes.

    ``real`` (the linter's) keeps the real paths found here for the rest of the run.
    """
    found: list[Path] = []
    missing: list[Path] = []
    excluded: list[Path] = []
    refused: dict[Path, str] = {}
    seen: set[str] = set()
    real = real or RealPaths()
    if not paths:
        if settings.include is not None:
            for path in included(settings.include, settings, refused):
                _add(found, seen, path, real)
            return Discovery(tuple(found), (), (), tuple(refused.items()))
        root = settings.site_root or find_site_root(Path.cwd()) or Path.cwd()
        posts = root / "_posts"
        paths = [posts if _is_dir(posts) else root]
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            missing.append(path)
            continue
        except OSError as exc:  # a folder on the way cannot be searched, a symlink loop …
            refused.setdefault(path, f"cannot read it: {exc.strerror or exc}")
            continue
        folder = stat.S_ISDIR(info.st_mode)
        if settings.force_exclude and is_excluded(settings, path, folder=folder):
            excluded.append(path)
            continue
        outside = escapes(path, _boundary(path.parent))
        if outside is not None:
            refused.setdefault(path, outside)
        elif folder:
            for file in walk(path, settings, refused):
                _add(found, seen, file, real)
        else:
            _add(found, seen, path, real)
    return Discovery(tuple(found), tuple(missing), tuple(excluded), tuple(refused.items()))


def _add(found: list[Path], seen: set[str], path: Path, real: RealPaths) -> None:
    key = real.key(path)
    if key not in seen:
        seen.add(key)
        found.append(path)


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return os.path.lexists(path)  # there but unreadable: walked, and reported there


def _boundary(folder: Path) -> str:
    """The real path a symlink found in ``folder`` must stay inside: its site's root, or
    outside any site the folder itself."""
    try:
        site = find_site_root(folder)
        return os.path.realpath(site if site is not None else folder)
    except OSError:
        return os.path.realpath(folder)


def included(include: Globs, settings: Settings, refused: dict[Path, str] | None = None) -> Iterator[Path]:
    """The files below the config's folder that ``include`` names and ``exclude`` does not,
    in sorted order (build output and caches skipped, symlink loops cut)."""
    for here, names in _folders(include.base, settings, refused):
        for name in names:
            path = here / name
            if include.matches(path) and not is_excluded(settings, path):
                yield path


def _folders(
    root: Path, settings: Settings, refused: dict[Path, str] | None = None
) -> Iterator[tuple[Path, list[str]]]:
    """(folder, sorted file names) below ``root``: excluded folders are not entered, nor
    symbolic links out of the site; the file names are those that stay inside it and are
    not a killed run's temporary files. Refusals are added to ``refused``."""
    problems = refused if refused is not None else {}
    visited: set[tuple[int, int]] = set()
    sites: dict[Path, Path | None] = {}
    boundary = _boundary(root)

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        problems.setdefault(
            where, f"cannot read the folder: {error.strerror or error}; its posts were not linted"
        )

    for folder, dirs, files in os.walk(root, followlinks=True, onerror=unreadable):
        try:
            info = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        key = (info.st_dev, info.st_ino)
        if key in visited:
            dirs[:] = []
            continue
        visited.add(key)
        here = Path(folder)
        kept = []
        for name in sorted(d for d in dirs if d not in SKIP_DIRS):
            if is_excluded(settings, here / name, folder=True):
                continue
            outside = escapes(here / name, boundary)
            if outside is None:
                kept.append(name)
            elif name == "_posts" or _holds_episodes(here, _site(here, sites)):
                problems.setdefault(here / name, outside)  # worth saying: posts may be there
        dirs[:] = kept
        if any(atomic.is_temporary(name) for name in files):
            atomic.clean_stale(here)  # left by a killed --fix; a live run's stay
        names = []
        for name in sorted(files):
            if atomic.is_temporary(name):
                continue  # never an episode, whatever the extensions say
            outside = escapes(here / name, boundary)
            if outside is not None:
                if name.lower().endswith(settings.extensions) and _holds_episodes(here, _site(here, sites)):
                    problems.setdefault(here / name, outside)
                continue
            names.append(name)
        yield here, names


def _site(folder: Path, sites: dict[Path, Path | None]) -> Path | None:
    if folder not in sites:
        sites[folder] = find_site_root(folder)
    return sites[folder]


def walk(
    root: Path, settings: Settings, refused: dict[Path, str] | None = None, folders: list[Path] | None = None
) -> Iterator[Path]:
    """Episode files below ``root`` in sorted order; skips build output and symlink loops.

    Inside a Jekyll site (a folder with ``_config.yml`` above it) only posts are
    episodes: files in a ``_posts`` folder. Pages, ``_actors/`` documents, includes and
    READMEs are not linted unless named explicitly. ``folders``: every folder looked
    into is added there.
    """
    sites: dict[Path, Path | None] = {}
    for here, files in _folders(root, settings, refused):
        if folders is not None:
            folders.append(here)
        if not _holds_episodes(here, _site(here, sites)):
            continue
        for name in files:
            if name.lower().endswith(settings.extensions):
                path = here / name
                if not is_excluded(settings, path):
                    yield path


@dataclass(frozen=True)
class Listing:
    """``walk`` of a site, with what tells whether it is still true."""

    posts: tuple[Path, ...]
    #: Every folder the walk looked into: adding, removing or renaming an entry in one of
    #: them changes its stamp, and nothing else changes the walk …
    folders: tuple[Path, ...]
    #: … unless an entry of one of them is a symbolic link (its target may change alone),
    #: or a folder could not be read.
    links: bool


def listing(root: Path, settings: Settings) -> Listing:
    """The episode files below ``root`` (``walk``) and the folders it looked into."""
    folders: list[Path] = []
    problems: dict[Path, str] = {}
    posts = tuple(walk(root, settings, problems, folders))
    links = bool(problems)  # a folder that could not be read: never taken as unchanged
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                links = any(entry.is_symlink() for entry in entries)
        except OSError:
            links = True  # cannot say: never taken as unchanged
        if links:
            break
    return Listing(posts, tuple(folders), links)


def is_episode(path: Path, settings: Settings) -> bool:
    """True when walking a folder above ``path`` lints it (the file need not exist yet):
    an episode extension, not excluded, and inside a site only below ``_posts``."""
    if not path.name.lower().endswith(settings.extensions) or is_excluded(settings, path):
        return False
    return _holds_episodes(path.parent, find_site_root(path.parent))


def _holds_episodes(folder: Path, site: Path | None) -> bool:
    """Whether the episodes of a walk may be in ``folder``: anywhere outside a site, only
    below ``_posts`` inside one."""
    return site is None or "_posts" in _parts_below(folder, site)


def _parts_below(folder: Path, root: Path) -> tuple[str, ...]:
    try:
        return folder.resolve().relative_to(root).parts
    except ValueError:
        return ()
