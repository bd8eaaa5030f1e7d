"""Values of the store made by the feed model, one entry per name, kept between runs.

The feed phase's predictions (``feed_cache``) and the identity guard's base snapshots
(``baseref``) are both a dict of entries stored as one value of the store
(``epilint/run/store.py``), keyed by epilint's version and the stamps of the code that
makes them (``code_key``), so another epilint never reads them. An entry holds until
``expires`` (POSIX time, if any), and one made at an ``instant`` (its values read the
build's clock) holds at that instant only. A damaged or foreign value is ignored; a
folder that cannot be written means nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import epilint
from epilint.feed import files
from epilint.run import store

K = TypeVar("K", bound="Kept")


def code_key(sources: Iterable[Path]) -> str:
    """epilint's version and the stamps (size, modification time) of ``sources``."""
    package = Path(epilint.__file__).parent
    code = sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns) for p in sources)
    return files.digest(repr([epilint.__version__, code]).encode())


class Kept:
    """The entries of one stored value, read once and written back by ``save``."""

    #: The value's name in the store, its kind and version.
    FILE_NAME: ClassVar[str]
    FORMAT: ClassVar[str]
    VERSION: ClassVar[int]

    def __init__(self, path: Path | None, entries: dict[str, Any]) -> None:
        self.path = path
        self.entries = entries
        self.dirty = False

    @staticmethod
    def key() -> str:
        raise NotImplementedError

    @classmethod
    def open(cls: type[K], folder: Path | None) -> K:
        """The value in the store of ``folder`` (None: nothing is kept)."""
        if folder is None:
            return cls(None, {})
        data = store.load(folder / cls.FILE_NAME, cls.FORMAT, cls.VERSION, cls.key())
        return cls(folder / cls.FILE_NAME, data if isinstance(data, dict) else {})

    def current(self, name: str, now: float) -> Any | None:
        """The entry under ``name`` while it holds at ``now`` (not expired, made at this
        instant when it read the clock); None when missing, expired or damaged. Raises
        nothing: a damaged entry is a miss."""
        entry = self.entries.get(name)
        try:
            if entry is None:
                return None
            expires, instant = entry["expires"], entry["instant"]
            if expires is not None and now >= float(expires):
                return None
            if instant is not None and float(instant) != now:
                return None
        except (TypeError, ValueError, KeyError, IndexError):
            return None
        return entry

    def put(self, name: str, entry: dict[str, Any]) -> None:
        """Keep ``entry`` under ``name`` (it names its ``expires`` and ``instant``)."""
        if self.path is None:
            return
        self.entries.pop(name, None)
        self.entries[name] = entry
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        if store.store(self.path, self.FORMAT, self.VERSION, self.entries, self.key()):
            self.dirty = False
