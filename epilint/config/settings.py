"""The settings of a run: the frozen ``Settings`` record, its defaults, and the flags.

Every default lives here once: the config file's parser (``config/file.py``) and the
online checker take theirs from these records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

#: Every rule (the empty prefix matches every code); ``--select``/``select`` narrow it.
DEFAULT_SELECT = ("",)
DEFAULT_EXTENSIONS = (".md", ".markdown")
SKIP_DIRS = frozenset({"_site", ".git", "node_modules", "vendor", ".jekyll-cache", ".epilint_cache"})


@dataclass(frozen=True)
class LinkSettings:
    tracking_params: tuple[str, ...] = ()
    shorteners: tuple[str, ...] = ()
    ignore_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class OnlineSettings:
    timeout: float = 10.0
    concurrency: int = 16
    cache_ttl: int = 86400
    allow_private: bool = False
    #: Seconds for the whole online phase; links not checked by then are LN102.
    time_budget: float = 600.0


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, after the config file and the flags are merged."""

    config_path: Path | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    schema: Path | None = None
    select: tuple[str, ...] = DEFAULT_SELECT
    ignore: tuple[str, ...] = ()
    site_root: Path | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    links: LinkSettings = field(default_factory=LinkSettings)
    online_settings: OnlineSettings = field(default_factory=OnlineSettings)
    online: bool = False
    cache: bool = True

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths in the config are resolved against."""
        return self.config_path.parent if self.config_path else Path.cwd()


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    """A copy of ``settings`` with the non-None ``changes`` applied (command-line flags)."""
    return replace(settings, **{k: v for k, v in changes.items() if v is not None})


def split_codes(values: Sequence[str] | str | None) -> tuple[str, ...] | None:
    """``"LN,FM011"`` or ``["LN", "FM011"]`` → normalised prefixes; ``ALL`` is every rule."""
    if values is None:
        return None
    items = values.split(",") if isinstance(values, str) else list(values)
    out: list[str] = []
    for item in items:
        for part in item.split(","):
            code = part.strip().upper()
            if code:
                out.append("" if code == "ALL" else code)
    return tuple(out)


def ignores_for(settings: Settings, relative: str) -> tuple[str, ...]:
    """Codes ignored for a file by ``per-file-ignores`` (glob patterns, relative paths)."""
    from fnmatch import fnmatchcase

    found: list[str] = []
    for pattern, codes in settings.per_file_ignores:
        if fnmatchcase(relative, pattern) or fnmatchcase(Path(relative).name, pattern):
            found.extend(codes)
    return tuple(found)


def as_mapping(settings: Settings) -> Mapping[str, object]:
    """A stable, JSON-able view of the settings that change results (for cache keys)."""
    return {
        "select": settings.select,
        "ignore": settings.ignore,
        "per_file_ignores": settings.per_file_ignores,
        "links": [settings.links.tracking_params, settings.links.shorteners, settings.links.ignore_urls],
        "online": settings.online,
        "schema": str(settings.schema),
    }
