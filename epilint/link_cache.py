"""The on-disk cache of online link results: ``.epilint_cache/links.json`` at the site root.

Only answers that stay true for a while are stored (successes, permanent redirects,
404/410); the online checker decides. Entries older than ``cache-ttl`` are ignored. A
corrupt or foreign file is treated as empty; a folder that cannot be written (a
read-only checkout) silently means no cache. ``--no-cache`` turns it off.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from epilint.config import Settings
from epilint.links import LinkStatus

CACHE_DIR = ".epilint_cache"
FILE_NAME = "links.json"
FORMAT = "epilint-link-cache"
VERSION = 1


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
        path = root / CACHE_DIR / FILE_NAME
        return LinkCache(path, ttl, _read(path))

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
        folder = self.path.parent
        data = {
            "format": FORMAT,
            "version": VERSION,
            "entries": {url: {"checked": t, "status": s.to_json()} for url, (t, s) in self.entries.items()},
        }
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".links-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return
        self.changed = False


def _read(path: Path) -> dict[str, tuple[float, LinkStatus]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        return {}
    entries = data.get("entries")
    if not isinstance(entries, dict):
        return {}
    found: dict[str, tuple[float, LinkStatus]] = {}
    for url, entry in entries.items():
        if not isinstance(entry, dict):
            continue
        checked = entry.get("checked")
        status = LinkStatus.from_json(entry.get("status"))
        if isinstance(checked, (int, float)) and not isinstance(checked, bool) and status is not None:
            found[url] = (float(checked), status)
    return found
