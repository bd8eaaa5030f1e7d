"""The on-disk cache of online link results: ``.epilint_cache/links.json`` at the site root.

Only answers that stay true for a while are stored (successes, permanent redirects,
404/410); the online checker decides. Entries older than ``cache-ttl`` are ignored. A
corrupt or foreign file is treated as empty (``epilint/run/envelope.py``); a folder that
cannot be written (a read-only checkout) silently means no cache. ``--no-cache`` turns
it off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epilint.config.settings import Settings
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

    @staticmethod
    def open(root: Path, settings: Settings) -> LinkCache:
        """The cache of the site at ``root`` (disabled by ``--no-cache``)."""
        ttl = float(settings.online_settings.cache_ttl)
        if not settings.cache or ttl <= 0:
            return LinkCache(None, ttl)
        path = root / envelope.FOLDER / FILE_NAME
        return LinkCache(path, ttl, _entries(envelope.load(path, FORMAT, VERSION)))

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
        if envelope.store(self.path, FORMAT, VERSION, data):
            self.changed = False


def _entries(data: Any) -> dict[str, tuple[float, LinkStatus]]:
    if not isinstance(data, dict):
        return {}
    found: dict[str, tuple[float, LinkStatus]] = {}
    for url, entry in data.items():
        if not isinstance(entry, dict):
            continue
        checked = entry.get("checked")
        status = LinkStatus.from_json(entry.get("status"))
        if isinstance(checked, (int, float)) and not isinstance(checked, bool) and status is not None:
            found[url] = (float(checked), status)
    return found
