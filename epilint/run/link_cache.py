"""The cache of online link results: the ``links`` table of the store at the site root
(``.epilint_cache/store.sqlite3``, ``epilint/run/store.py``).

Only answers that stay true for a while are stored (successes, permanent redirects,
404/410); the online checker decides. Entries older than ``cache-ttl`` are ignored. A
corrupt or foreign store is rebuilt (``store``); a folder that cannot be written (a
read-only checkout) silently means no cache. ``--no-cache`` turns it off.

The rows decide which links are reported dead or moved (and which URLs are offered as
fixes) without a request, so they are keyed to the run like the results: epilint's code
(as installed here), the online settings and the store's own real path. A store written
by hand, committed to the repository or copied from elsewhere does not match and is
ignored; rows that are not what the checker stores (another URL, an outcome it never
caches, a redirect to a non-web address, a time in the future) are dropped one by one.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epilint import __version__
from epilint.config.settings import Settings
from epilint.links import urls
from epilint.links.status import LinkStatus
from epilint.run import store as store_mod
from epilint.run.store import Store

#: The layout of a row's answer (part of the key).
VERSION = 3


@dataclass
class LinkCache:
    store: Store | None
    ttl: float
    entries: dict[str, tuple[float, LinkStatus]] = field(default_factory=dict)
    changed: bool = False

    key: str | None = None

    @staticmethod
    def open(root: Path, settings: Settings) -> LinkCache:
        """The cache of the site at ``root`` (disabled by ``--no-cache``)."""
        ttl = float(settings.online_settings.cache_ttl)
        if not settings.cache or ttl <= 0:
            return LinkCache(None, ttl)
        folder = store_mod.folder_in(root)
        if folder is None:
            return LinkCache(None, ttl)
        store = Store.open(folder)
        key = run_key(store.path, settings)
        rows = store.rows("SELECT url, checked, status FROM links WHERE run = ?", (key,))
        return LinkCache(store, ttl, _entries(rows), key=key)

    def get(self, url: str, now: float | None = None) -> LinkStatus | None:
        entry = self.entries.get(url)
        if entry is None:
            return None
        checked, status = entry
        current = time.time() if now is None else now
        return status if 0 <= current - checked <= self.ttl else None

    def put(self, url: str, status: LinkStatus, now: float | None = None) -> None:
        if self.store is None:
            return
        checked = time.time() if now is None else now
        self.entries[url] = (checked, status)
        self.store.stage(
            "links", (self.key, url, checked, json.dumps(status.to_json(), separators=(",", ":")))
        )
        self.changed = True

    def save(self) -> None:
        """Write the new answers in one transaction; any failure means no cache, silently."""
        if self.store is None:
            return
        if self.changed and self.key is not None and self.store.commit({"links": self.key}):
            self.changed = False
        self.store.close()


def run_key(path: Path, settings: Settings) -> str:
    """What a stored answer is only good for: this epilint, these online settings, this
    store (``store.code_stamp``)."""
    import hashlib
    import os

    online = settings.online_settings
    parts = [
        VERSION,
        __version__,
        store_mod.code_stamp(),
        online.allow_private,
        online.timeout,
        os.path.realpath(path),
    ]
    return hashlib.blake2b(json.dumps(parts).encode(), digest_size=16).hexdigest()


def _entries(rows: Any) -> dict[str, tuple[float, LinkStatus]]:
    """The rows (url, checked, answer) that are answers the checker stores."""
    found: dict[str, tuple[float, LinkStatus]] = {}
    now = time.time()
    for row in rows:
        try:
            url, checked, text = row
            status = LinkStatus.from_json(json.loads(text))
        except (TypeError, ValueError, RecursionError):
            continue
        if not isinstance(url, str) or not isinstance(checked, (int, float)) or isinstance(checked, bool):
            continue
        if not checked <= now:
            continue
        if status is not None and _plausible(url, status):
            found[url] = (float(checked), status)
    return found


_STORED_DEAD = frozenset({"the server answers 404 Not Found", "the server answers 410 Gone"})


def _plausible(url: str, status: LinkStatus) -> bool:
    """Whether ``status`` is an answer the checker stores for ``url`` (see ``online``)."""
    if status.url != url or status.outcome == "unverifiable":
        return False
    if status.outcome == "dead" and status.reason not in _STORED_DEAD:
        return False  # only 404 and 410 are stored; other failures are checked again
    if status.outcome == "moved" and status.moved_to is None:
        return False
    return all(
        target is None or (urls.scheme(target) in ("http", "https") and len(target) <= 8192)
        for target in (status.moved_to, status.final_url)
    )
