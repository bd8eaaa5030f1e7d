"""The cache of feed predictions: one value of the store, one entry per site.

An entry holds the site's feed view (``epilint.feed.view.site_data``) and everything
the reading that made it depended on (``epilint.feed.files.recording``): the digest of
every file it read — the config, the feed pages, layouts and includes, ``_data``,
``_plugins``, every post and document — or that it found none there, and a stamp (size,
modification and change times, inode) of every file it only probed for front matter
and of every folder it listed (a file added or removed changes its folder's stamp). The
entry is used only while all of them are unchanged, and before ``expires``: the date of
the first post left out for being in the future (it joins the feed then). A view whose
items read the build's clock (``site.time`` in an item, ``"now" | date``) holds for the
instant it was made only. The value's key is epilint's version and the feed code's
stamps, so another epilint never reads it. It is kept in the store
(``epilint/run/store.py``, a value named ``feeds.json``): a damaged or foreign value is
ignored, a folder that cannot be written means no cache.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import epilint
from epilint.feed import files
from epilint.run.kept import Kept, code_key

FILE_NAME = "feeds.json"
FORMAT = "epilint-feeds"
VERSION = 1

Stamp = list[Any]  # [path, size, mtime_ns, ctime_ns, inode]; size -1 when absent


def stamp(path: str) -> Stamp:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return [path, -1, -1, -1, -1]
    return [path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class FeedCache(Kept):
    """The entries of one cache value, looked up and updated during one run."""

    FILE_NAME = FILE_NAME
    FORMAT = FORMAT
    VERSION = VERSION

    @staticmethod
    def key() -> str:
        """epilint's version and the stamps of the code a view is made by."""
        package = Path(epilint.__file__).parent
        return code_key([*(package / "feed").glob("*.py"), package / "run" / "feed.py", Path(__file__)])

    def lookup(self, root: Path, now: float) -> Any | None:
        """The stored view data of the site at ``root`` (``None`` for a site without a
        feed template is stored as ``{}``), when every input is unchanged; else None."""
        entry = self.current(os.fspath(root), now)
        try:
            if entry is None:
                return None
            for item in entry["looked"]:
                if list(item) != stamp(str(item[0])):
                    return None
            for path, digest in entry["read"].items():
                data = files.read_unrecorded(path)
                if ("" if data is None else files.digest(data)) != digest:
                    return None
            return entry["view"]
        except (TypeError, ValueError, KeyError, IndexError):
            return None  # a damaged entry is a miss

    def store(
        self, root: Path, view: Any, inputs: files.Inputs, expires: float | None, instant: float | None
    ) -> None:
        """Remember the view of the site at ``root`` with what it was made from."""
        self.put(
            os.fspath(root),
            {
                "view": view,
                "read": dict(sorted(inputs.read.items())),
                "looked": [stamp(p) for p in sorted(inputs.looked)],
                "expires": expires,
                "instant": instant,
            },
        )

    def inputs(self, root: Path) -> list[str]:
        """Every file and folder the stored view of ``root`` depends on (for the memo)."""
        entry = self.entries.get(os.fspath(root))
        if not isinstance(entry, dict):
            return []
        try:
            return [*entry["read"], *(str(item[0]) for item in entry["looked"])]
        except (TypeError, KeyError, IndexError):
            return []
