"""The on-disk cache of online link results: ``.epilint_cache/links.json`` at the site root.

Only answers that stay true for a while are stored (successes, permanent redirects,
404/410); the online checker decides. Entries older than ``cache-ttl`` are ignored. A
corrupt or foreign file is treated as empty (``epilint/run/envelope.py``); a folder that
cannot be written (a read-only checkout) silently means no cache. ``--no-cache`` turns
it off.

The file decides which links are reported dead or moved (and which URLs are offered as
fixes) without a request, so it is keyed to the run like the results cache: epilint's
code (as installed here), the online settings and the file's own real path. A file
written by hand, committed to the repository or copied from elsewhere does not match and
is ignored; entries that are not what the checker stores (another URL, an outcome it never
caches, a redirect to a non-web address, a time in the future) are dropped one by one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epilint import __version__
from epilint.config.settings import Settings
from epilint.links import urls
from epilint.links.status import LinkStatus
from epilint.run import envelope

FILE_NAME = "links.json"
FORMAT = "epilint-link-cache"
VERSION = 2


@dataclass
class LinkCache:
    path: Path | None
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
        folder = envelope.folder_in(root)
        if folder is None:
            return LinkCache(None, ttl)
        path = folder / FILE_NAME
        key = run_key(path, settings)
        return LinkCache(path, ttl, _entries(envelope.load(path, FORMAT, VERSION, key)), key=key)

    def get(self, url: str, now: float | None = None) -> LinkStatus | None:
        entry = self.entries.get(url)
        if entry is None:
            return None
        checked, status = entry
        current = time.time() if now is None else now
        return status if 0 <= current - checked <= self.ttl else None

    def put(self, url: str, status: LinkStatus, now: float | None = None) -> None:
        if self.path is None:
            return
        self.entries[url] = (time.time() if now is None else now, status)
        self.changed = True

    def save(self) -> None:
        """Write the cache atomically; any failure to write means no cache, silently."""
        if self.path is None or not self.changed:
            return
        data = {url: {"checked": t, "status": s.to_json()} for url, (t, s) in self.entries.items()}
        if envelope.store(self.path, FORMAT, VERSION, data, self.key):
            self.changed = False


def run_key(path: Path, settings: Settings) -> str:
    """What a stored answer is only good for: this epilint, these online settings, this
    file (``envelope.code_stamp``)."""
    import hashlib
    import json
    import os

    online = settings.online_settings
    parts = [__version__, envelope.code_stamp(), online.allow_private, online.timeout, os.path.realpath(path)]
    return hashlib.blake2b(json.dumps(parts).encode(), digest_size=16).hexdigest()


def _entries(data: Any) -> dict[str, tuple[float, LinkStatus]]:
    if not isinstance(data, dict):
        return {}
    found: dict[str, tuple[float, LinkStatus]] = {}
    now = time.time()
    for url, entry in data.items():
        if not isinstance(entry, dict):
            continue
        checked = entry.get("checked")
        status = LinkStatus.from_json(entry.get("status"))
        if not isinstance(checked, (int, float)) or isinstance(checked, bool) or not checked <= now:
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
