"""Which files a run lints: explicit paths, folders walked for episodes, or the config's
``include`` globs; and how each file's path is shown."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from epilint import atomic
from epilint.config.settings import SKIP_DIRS, Settings
from epilint.site.jekyll import find_site_root
from epilint.site.realpaths import RealPaths


@dataclass(frozen=True)
class Discovery:
    files: tuple[Path, ...]
    missing: tuple[Path, ...] = field(default=())


def discover(paths: Sequence[Path], settings: Settings, real: RealPaths | None = None) -> Discovery:
    """Files to lint: explicit files whatever their extension; folders walked for episodes.

    ``real`` (the linter's) keeps the real paths found here for the rest of the run.
    """
    found: list[Path] = []
    missing: list[Path] = []
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
                        _add(found, seen, path, real)
            return Discovery(tuple(found))
        root = settings.site_root or find_site_root(Path.cwd()) or Path.cwd()
        posts = root / "_posts"
        paths = [posts if posts.is_dir() else root]
    for path in paths:
        if path.is_dir():
            for file in walk(path, settings):
                _add(found, seen, file, real)
        elif path.exists():
            _add(found, seen, path, real)
        else:
            missing.append(path)
    return Discovery(tuple(found), tuple(missing))


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


def walk(root: Path, settings: Settings) -> Iterator[Path]:
    """Episode files below ``root`` in sorted order; skips build output and symlink loops.

    Inside a Jekyll site (a folder with ``_config.yml`` above it) only posts are
    episodes: files in a ``_posts`` folder. Pages, ``_actors/`` documents, includes and
    READMEs are not linted unless named explicitly.
    """
    base = settings.base_dir
    visited: set[tuple[int, int]] = set()
    sites: dict[Path, Path | None] = {}
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
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        here = Path(folder)
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
                    yield path


def _parts_below(folder: Path, root: Path) -> tuple[str, ...]:
    try:
        return folder.resolve().relative_to(root).parts
    except ValueError:
        return ()
