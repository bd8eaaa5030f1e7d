"""``_config.yml`` as Jekyll reads it: merged over ``Configuration::DEFAULTS``, with
``add_default_collections`` (jekyll-4.3.1 configuration.rb) and the build's zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from epilint.feed import permalink
from epilint.feed.files import read_text
from epilint.feed.rubyyaml import TooLarge, load
from epilint.feed.values import to_s
from epilint.read import yaml11

#: Configuration::DEFAULTS, the keys the feed model reads.
DEFAULTS: dict[str, object] = {
    "collections_dir": "",
    "plugins_dir": "_plugins",
    "layouts_dir": "_layouts",
    "data_dir": "_data",
    "includes_dir": "_includes",
    "collections": {},
    "include": [".htaccess"],
    "exclude": [],
    "markdown_ext": "markdown,mkdown,mkdn,mkd,md",
    "show_drafts": None,
    "limit_posts": 0,
    "future": False,
    "unpublished": False,
    "plugins": [],
    "markdown": "kramdown",
    "excerpt_separator": "\n\n",
    "baseurl": None,
    "permalink": "date",
    "paginate_path": "/page:num",
    "timezone": None,
    "defaults": [],
    "liquid": {"error_mode": "warn", "strict_filters": False, "strict_variables": False},
}
#: Configuration#config_files defaults: what Jekyll excludes besides the site's own list.
_ALWAYS_EXCLUDED = ("_site",)


def deep_merge(base: dict[str, object], other: dict[str, object]) -> dict[str, object]:
    """``Utils.deep_merge_hashes`` (utils.rb ``merge_values``): nested hashes merged; a nil
    over an existing key keeps the old value (``layout: null`` over a default keeps the
    default); anything else replaced."""
    merged = dict(base)
    for key, value in other.items():
        if key in merged and value is None:
            continue
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class Config:
    """``_config.yml`` merged over Jekyll's defaults, as ``site.config``."""

    data: dict[str, object]
    zone: dt.tzinfo
    problem: str | None = None

    @staticmethod
    def load(
        root: Path, machine_zone: dt.tzinfo = dt.timezone.utc, files: tuple[Path, ...] | None = None
    ) -> Config:
        """The configuration files (``jekyll build --config a,b``; ``_config.yml`` by
        default) deep-merged in order over the defaults (``read_config_files``). They are
        read before Jekyll sets ``TZ`` from ``timezone``: their Times are in the machine's
        zone."""
        problems: list[str] = []
        data = dict(DEFAULTS)
        for path in files if files is not None else (root / "_config.yml",):
            text = read_text(path)
            if text is None:
                problems.append(f"{path.name} is missing or unreadable")
                continue
            try:
                own = load(text, machine_zone)
            except (yaml11.YamlError, TooLarge) as exc:
                problems.append(f"{path.name} is not YAML Jekyll reads: {exc}")
                continue
            if isinstance(own, dict):
                data = deep_merge(data, own)
        zone = _zone(data.get("timezone")) or machine_zone
        return Config(_add_default_collections(data), zone, "; ".join(problems) or None)

    def get(self, key: str) -> object:
        return self.data.get(key)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if isinstance(value, list):
            return tuple(to_s(v) for v in value if v is not None)
        return ()

    @property
    def plugins(self) -> tuple[str, ...]:
        """Gem plugins named in ``plugins``: Jekyll 4.3 loads only those (``Site#gems`` is
        ``config["plugins"]``; the old ``gems`` key is not read)."""
        return self.strings("plugins")

    @property
    def collections(self) -> dict[str, dict[str, object]]:
        value = self.data.get("collections")
        if not isinstance(value, dict):
            return {}
        return {k: (v if isinstance(v, dict) else {}) for k, v in value.items()}

    @property
    def markdown_exts(self) -> tuple[str, ...]:
        return tuple("." + e.strip().lower() for e in to_s(self.data.get("markdown_ext")).split(","))


def _zone(name: object) -> dt.tzinfo | None:
    if not isinstance(name, str) or not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _add_default_collections(data: dict[str, object]) -> dict[str, object]:
    """``Configuration#add_default_collections``: ``posts`` always exists and outputs;
    its permalink comes from the ``permalink`` style."""
    collections = data.get("collections")
    if collections is None:
        return data
    if isinstance(collections, list):
        collections = {to_s(name): {} for name in collections}
    if not isinstance(collections, dict):
        collections = {}
    merged = deep_merge({"posts": {}}, collections)
    posts = merged.get("posts")
    posts = dict(posts) if isinstance(posts, dict) else {}
    posts["output"] = True
    if data.get("permalink") and not posts.get("permalink"):
        posts["permalink"] = permalink.style_to_permalink(data.get("permalink"))
    merged["posts"] = posts
    return {**data, "collections": merged}
