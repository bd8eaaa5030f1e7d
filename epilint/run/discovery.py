"""Which files a run lints: explicit paths, folders walked for episodes, or the config's
``include`` globs; and how each file's path is shown."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from epilint import atomic
from epilint.config.settings import SKIP_DIRS, Settings
from epilint.site.jekyll import find_site_root
from epilint.site.realpaths import RealPaths, escapes


@dataclass(frozen=True)
class Discovery:
    files: tuple[Path, ...]
    missing: tuple[Path, ...] = field(default=())
    #: Paths that are not linted, and why: folders that cannot be read, symbolic links
    #: that lead out of the site (each reported once, as FM004, and never followed).
    refused: tuple[tuple[Path, str], ...] = field(default=())


def discover(paths: Sequence[Path], settings: Settings, real: RealPaths | None = None) -> Discovery:
    """Files to lint: explicit files whatever their extension; folders walked for episodes.

    ``real`` (the linter's) keeps the real paths found here for the rest of the run.
    """
    found: list[Path] = []
    missing: list[Path] = []
    refused: dict[Path, str] = {}
    seen: set[str] = set()
    real = real or RealPaths()
    base = settings.base_dir
    if not paths:
        if settings.include:
            for pattern in settings.include:
                for path in sorted(base.glob(pattern)):
                    if atomic.is_temporary(path.name):
                        continue
                    if path.is_file() and not _excluded(path, settings, base):
                        outside = escapes(path, _boundary(path.parent))
                        if outside is not None:
                            refused.setdefault(path, outside)
                            continue
                        _add(found, seen, path, real)
            return Discovery(tuple(found), (), tuple(refused.items()))
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
        outside = escapes(path, _boundary(path.parent))
        if outside is not None:
            refused.setdefault(path, outside)
        elif stat.S_ISDIR(info.st_mode):
            for file in walk(path, settings, refused):
                _add(found, seen, file, real)
        else:
            _add(found, seen, path, real)
    return Discovery(tuple(found), tuple(missing), tuple(refused.items()))


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


def _add(found: list[Path], seen: set[str], path: Path, real: RealPaths) -> None:
    key = real.key(path)
    if key not in seen:
        seen.add(key)
        found.append(path)


def _excluded(path: Path, settings: Settings, base: Path) -> bool:
    if not settings.exclude:
        return False
    try:
        relative = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(fnmatch.fnmatchcase(relative, pattern) for pattern in settings.exclude)


def walk(root: Path, settings: Settings, refused: dict[Path, str] | None = None) -> Iterator[Path]:
    """Episode files below ``root`` in sorted order; skips build output and symlink loops.

    Inside a Jekyll site (a folder with ``_config.yml`` above it) only posts are
    episodes: files in a ``_posts`` folder. Pages, ``_actors/`` documents, includes and
    READMEs are not linted unless named explicitly. Symbolic links (to files or folders)
    are followed only while they stay inside the site (outside any site: inside
    ``root``); the others, and folders that cannot be read, are added to ``refused``.
    """
    base = settings.base_dir
    visited: set[tuple[int, int]] = set()
    sites: dict[Path, Path | None] = {}
    boundary = _boundary(root)
    problems = refused if refused is not None else {}

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
            outside = escapes(here / name, boundary)
            if outside is None:
                kept.append(name)
            elif _posts_below(here / name, sites) or _is_post_folder(here, sites):
                problems.setdefault(here / name, outside)
        dirs[:] = kept
        if here not in sites:
            sites[here] = find_site_root(here)
        site = sites[here]
        if site is not None and "_posts" not in _parts_below(here, site):
            continue
        if any(atomic.is_temporary(name) for name in files):
            atomic.clean_stale(here)  # left by a killed --fix; a live run's stay
        for name in sorted(files):
            if atomic.is_temporary(name):
                continue  # never an episode, whatever the extensions say
            if name.lower().endswith(settings.extensions):
                path = here / name
                if not _excluded(path, settings, base):
                    outside = escapes(path, boundary)
                    if outside is not None:
                        problems.setdefault(path, outside)
                        continue
                    yield path


def _is_post_folder(folder: Path, sites: dict[Path, Path | None]) -> bool:
    """True when ``folder``'s files are episodes (outside any site, or below ``_posts``)."""
    if folder not in sites:
        sites[folder] = find_site_root(folder)
    site = sites[folder]
    return site is None or "_posts" in _parts_below(folder, site)


def _posts_below(folder: Path, sites: dict[Path, Path | None]) -> bool:
    """A symlinked folder named ``_posts`` (or inside posts) is worth reporting."""
    return folder.name == "_posts"


def _parts_below(folder: Path, root: Path) -> tuple[str, ...]:
    try:
        return folder.resolve().relative_to(root).parts
    except ValueError:
        return ()
