"""The feed check: built feed files as the truth of their sites' feeds.

``epilint check _site/feed.xml`` (an RSS file given as a PATH) or ``--feed FILE`` reads
the feed a ``jekyll build`` wrote (``epilint/feed/built.py``: bounded, defusedxml, no
network) and puts its items in place of the predicted ones in its site's view: the FD
rules then judge the real items. Each item is mapped to the post that made it (its link,
else its guid, as a post's URL) and reported at that post's front-matter key where the
prediction says the value comes from; an item no post made is the feed file's own and is
reported at its line there. Given only feeds, a run lints the posts their items came
from (and the feed files holding items of their own), with the FD rules only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from epilint import files
from epilint.errors import ConfigError
from epilint.feed import built
from epilint.feed.view import SiteFeed
from epilint.site.sites import Sites


@dataclass(frozen=True)
class BuiltFeeds:
    """The sites' views with their built feeds, and what the run must lint for them."""

    views: dict[Path, SiteFeed]
    #: The posts the items came from, and the feed files holding items of their own.
    files: tuple[Path, ...]
    #: The feed files (absolute paths): linted with the FD rules only.
    feed_files: frozenset[str]
    #: Feeds that are not well-formed XML: (file, the parser's message, its line).
    broken: tuple[tuple[Path, str, int], ...] = ()


def sites_of(paths: Iterable[Path], sites: Sites) -> dict[Path, list[Path]]:
    """The built feeds by site root; a feed outside every site is a usage error."""
    found: dict[Path, list[Path]] = {}
    for path in paths:
        if not path.is_file():
            raise ConfigError(f"--feed: no such file: {path}")
        site = sites.site_for(path)
        if site is None:
            raise ConfigError(
                f"{path}: a built feed is checked against its site, and no folder above it holds "
                "a _config.yml (give the site with --site-root)"
            )
        found.setdefault(site.root, []).append(path)
    return found


def _destination(config: Mapping[str, object], root: Path) -> str:
    """The build's destination folder relative to the site (``destination``, ``_site``)."""
    value = config.get("destination")
    if not isinstance(value, str) or not value:
        return "_site"
    path = Path(value) if os.path.isabs(value) else root / value
    try:
        return Path(os.path.normpath(path)).relative_to(root).as_posix()
    except ValueError:
        return "_site"


def read(paths: Sequence[Path], sites: Sites, views: Mapping[Path, SiteFeed], now: float) -> BuiltFeeds:
    """Each built feed read and put in its site's view (``views``: the feed phase's)."""
    from epilint.feed.config import Config

    moment = dt.datetime.fromtimestamp(now, dt.timezone.utc)
    replaced: dict[Path, SiteFeed] = {}
    linted: list[Path] = []
    feed_files: set[str] = set()
    broken: list[tuple[Path, str, int]] = []
    for root, feeds in sites_of(paths, sites).items():
        config = Config.load(root).data
        parsed: list[tuple[str, built.BuiltFeed, str]] = []
        for path in feeds:
            try:
                data = files.read(path, built.MAX_BYTES)
            except OSError as exc:
                raise ConfigError(f"{path}: the feed cannot be read: {files.reason(exc)}") from None
            feed = built.parse_bytes(data, path)
            if not feed.rss:
                raise ConfigError(f"{path}: not an RSS feed ({feed.error})")
            feed_files.add(os.path.abspath(path))
            if feed.error is not None:
                broken.append((path, feed.error, feed.error_line))
                continue
            where = Path(os.path.abspath(path)).relative_to(root).as_posix()
            parsed.append((where, feed, files_digest(data)))
        view = views.get(root) or SiteFeed.empty(root)
        urls = built.post_urls(root, moment)
        found = built.site_view(view, parsed, urls, built.base_paths(config), _destination(config, root))
        replaced[root] = found
        for post in sorted(found.episodes):
            path = root / post
            if path.is_file():
                linted.append(path)
    return BuiltFeeds(replaced, tuple(dict.fromkeys(linted)), frozenset(feed_files), tuple(broken))


def files_digest(data: bytes) -> str:
    """The digest the feed view keeps of a document's bytes."""
    from epilint.feed.files import digest

    return digest(data)
