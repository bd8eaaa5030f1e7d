"""``check --watch``: what to watch, and the changes below it as batches (``watchfiles``).

``watchfiles`` (Rust ``notify``: inotify, FSEvents, ReadDirectoryChangesW, polling where
none works, ``WATCHFILES_FORCE_POLLING=1``) collects events in a thread of its own from
the moment it starts, also while a report is being made, so no change between two reports
is lost, and it groups a burst of events (an editor's save: write, rename, chmod) into one
batch. ``changes`` yields an empty batch first, once the watcher is running: a caller that
makes its first report then misses no change made after the report started.

Watched: the folders of the paths the run lints (a file's folder, since editors save by
renaming over the file), the sites around them (``_config.yml``, ``_data/``, layouts,
audio), and the folders of the config file and the schema. Ignored: epilint's
``SKIP_DIRS`` (build output, ``.git``, the results cache), watchfiles' editor temporaries
(``*.swp``, ``*~``, ``.#…``) and any ``ignore`` path (the cache folder, a ``--output`` file,
whose writing would otherwise start the next run).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from epilint.config.settings import SKIP_DIRS, Settings
from epilint.site.jekyll import find_site_root

#: How long (ms) the first wait lasts before the watcher says it is running; later waits
#: that end without a change are not reported.
_READY_MS = 200


def targets(paths: Sequence[Path], settings: Settings) -> tuple[Path, ...]:
    """The folders to watch (recursively) for a run over ``paths`` under ``settings``."""
    found: list[Path] = []
    if paths:
        starts = [p if p.is_dir() else p.parent for p in paths]
    elif settings.include:
        starts = [settings.base_dir]
    else:
        starts = [settings.site_root or find_site_root(Path.cwd()) or Path.cwd()]
    for start in starts:
        found.append(start)
        site = settings.site_root or find_site_root(start)
        if site is not None:
            found.append(site)
    for extra in (settings.config_path, settings.schema):
        if extra is not None:
            found.append(extra.parent)
    return _outermost(p.resolve() for p in found if p.is_dir())


def _outermost(folders: Iterable[Path]) -> tuple[Path, ...]:
    """Folders not inside another one of them (a recursive watch covers those)."""
    kept: list[Path] = []
    for folder in sorted(set(folders), key=lambda p: (len(p.parts), str(p))):
        if not any(folder == k or k in folder.parents for k in kept):
            kept.append(folder)
    return tuple(kept)


def changes(folders: Sequence[Path], ignore: Sequence[Path] = ()) -> Iterator[frozenset[Path]]:
    """Batches of changed paths below ``folders``: first an empty batch once the watcher
    runs, then one per burst of changes. Ends with KeyboardInterrupt on Ctrl-C."""
    import watchfiles

    watch_filter = watchfiles.DefaultFilter(
        ignore_dirs=(*watchfiles.DefaultFilter.ignore_dirs, *sorted(SKIP_DIRS)),
        ignore_paths=[os.fspath(p) for p in ignore],
    )
    ready = False
    for batch in watchfiles.watch(
        *folders,
        watch_filter=watch_filter,
        rust_timeout=_READY_MS,
        yield_on_timeout=True,
        raise_interrupt=True,
    ):
        if batch:
            ready = True
            yield frozenset(Path(path) for _change, path in batch)
        elif not ready:
            ready = True
            yield frozenset()
