"""The Jekyll site around the linted files: ``_config.yml`` and what the site holds.

A site is loaded once per run and shared by every file below its root.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from epilint import yaml11

CONFIG_NAME = "_config.yml"


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


@lru_cache(maxsize=32)
def _zone(name: str) -> dt.tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
