"""The Jekyll site around the linted files: ``_config.yml`` and what the site holds.

A site is loaded once per run and shared by every file below its root.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from epilint import yaml11

CONFIG_NAME = "_config.yml"
#: Site-wide inputs that rules may read (config, data, layouts, the actors collection).
#: Their contents make up ``Site.fingerprint``; a rule reading another site-wide file adds
#: it here, and a rule reading a file for one episode (its audio) calls ``ctx.depends_on``.
SITE_INPUTS = (CONFIG_NAME, "_data", "_layouts", "_actors")
#: Larger inputs are fingerprinted by size and modification time instead of contents.
_HASH_LIMIT = 1024 * 1024


def find_site_root(path: Path) -> Path | None:
    """The nearest ancestor of ``path`` (a file or folder) that holds ``_config.yml``."""
    current = path.resolve()
    if not current.is_dir():
        current = current.parent
    for folder in (current, *current.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


@dataclass(frozen=True)
class Site:
    root: Path
    config: dict[str, object] = field(default_factory=dict)
    #: Why ``_config.yml`` could not be read, when it could not.
    config_problem: str | None = None

    @staticmethod
    def load(root: Path) -> Site:
        path = root / CONFIG_NAME
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            return Site(root, {}, f"cannot read {CONFIG_NAME}: {exc}")
        try:
            data = yaml11.to_json(yaml11.compose(text))
        except (yaml11.YamlError, yaml11.ExpansionTooLarge) as exc:
            return Site(root, {}, f"{CONFIG_NAME} is not valid YAML: {exc}")
        return Site(root, data if isinstance(data, dict) else {})

    @cached_property
    def fingerprint(self) -> str:
        """A digest of every site-wide input: changes when any of them changes."""
        digest = hashlib.blake2b(digest_size=16)
        for name in SITE_INPUTS:
            for path in _input_files(self.root / name):
                relative = os.path.relpath(path, self.root)
                digest.update(os.fsencode(relative) + b"\0")
                digest.update(_file_digest(path))
        return digest.hexdigest()

    @property
    def timezone(self) -> str | None:
        value = self.config.get("timezone")
        return value if isinstance(value, str) and value else None

    def utc_offset(self, when: dt.datetime) -> str | None:
        """The site's offset (``+0900``) at the wall-clock time ``when``, from ``timezone``."""
        name = self.timezone
        if name is None:
            return None
        zone = _zone(name)
        if zone is None:
            return None
        delta = when.replace(tzinfo=zone).utcoffset()
        if delta is None:
            return None
        minutes = int(delta.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _input_files(path: Path) -> list[str]:
    """``path`` itself when it is a file, else the files below it in a stable order."""
    if path.is_file():
        return [str(path)]
    found: list[str] = []
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        found.extend(os.path.join(folder, name) for name in sorted(files))
    return found


def _file_digest(path: str) -> bytes:
    try:
        stat = os.stat(path)
        if stat.st_size > _HASH_LIMIT:
            return f"{stat.st_size}:{stat.st_mtime_ns}".encode()
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return b"unreadable"


@lru_cache(maxsize=32)
def _zone(name: str) -> dt.tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
