"""Which files a run lints: explicit paths, folders walked for episodes, or the config's
``include`` globs; and how each file's path is shown.

``include``, ``exclude`` and ``per-file-ignores`` are gitignore-style patterns relative
to the config file's folder (``config.settings.Globs``). ``exclude`` applies to what
folders and ``include`` yield; to files named on the command line only with
``--force-exclude`` (as ruff does), so pre-commit, which names every staged file,
skips them too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from epilint.config.settings import SKIP_DIRS, Globs, Settings, is_excluded
from epilint.site.jekyll import find_site_root
from epilint.site.realpaths import RealPaths


@dataclass(frozen=True)
class Discovery:
    files: tuple[Path, ...]
    missing: tuple[Path, ...] = field(default=())
    #: Files named on the command line and skipped by ``--force-exclude``.
    excluded: tuple[Path, ...] = field(default=())


def discover(paths: Sequence[Path], settings: Settings, real: RealPaths | None = None) -> Discovery:
    """Files to lint: explicit files whatever their extension; folders walked for episodes.

    ``real`` (the linter's) keeps the real paths found here for the rest of the run.
    """
    found: list[Path] = []
    missing: list[Path] = []
    excluded: list[Path] = []
    seen: set[str] = set()
    real = real or RealPaths()
    if not paths:
        if settings.include is not None:
            for path in included(settings.include, settings):
                _add(found, seen, path, real)
            return Discovery(tuple(found))
        root = settings.site_root or find_site_root(Path.cwd()) or Path.cwd()
        posts = root / "_posts"
        paths = [posts if posts.is_dir() else root]
    for path in paths:
        if path.is_dir():
            if settings.force_exclude and is_excluded(settings, path, folder=True):
                excluded.append(path)
                continue
            for file in walk(path, settings):
                _add(found, seen, file, real)
        elif path.exists():
            if settings.force_exclude and is_excluded(settings, path):
                excluded.append(path)
                continue
            _add(found, seen, path, real)
        else:
            missing.append(path)
    return Discovery(tuple(found), tuple(missing), tuple(excluded))


def _add(found: list[Path], seen: set[str], path: Path, real: RealPaths) -> None:
    key = real.key(path)
    if key not in seen:
        seen.add(key)
        found.append(path)


def included(include: Globs, settings: Settings) -> Iterator[Path]:
    """The files below the config's folder that ``include`` names and ``exclude`` does not,
    in sorted order (build output and caches skipped, symlink loops cut)."""
    base = include.base
    for here, names in _folders(base, settings):
        for name in names:
            path = here / name
            if include.matches(path) and not is_excluded(settings, path):
                yield path


def _folders(root: Path, settings: Settings) -> Iterator[tuple[Path, list[str]]]:
    """(folder, sorted file names) below ``root``; excluded folders are not entered."""
    visited: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        try:
            stat = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in visited:
            dirs[:] = []
            continue
        visited.add(key)
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if d not in SKIP_DIRS and not is_excluded(settings, here / d, folder=True)
        )
        yield here, sorted(files)


def walk(root: Path, settings: Settings) -> Iterator[Path]:
    """Episode files below ``root`` in sorted order; skips build output and symlink loops.

    Inside a Jekyll site (a folder with ``_config.yml`` above it) only posts are
    episodes: files in a ``_posts`` folder. Pages, ``_actors/`` documents, includes and
    READMEs are not linted unless named explicitly.
    """
    sites: dict[Path, Path | None] = {}
    for here, files in _folders(root, settings):
        if here not in sites:
            sites[here] = find_site_root(here)
        if not _holds_episodes(here, sites[here]):
            continue
        for name in files:
            if name.lower().endswith(settings.extensions):
                path = here / name
                if not is_excluded(settings, path):
                    yield path


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
