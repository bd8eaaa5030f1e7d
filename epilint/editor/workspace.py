"""The editor's linting, without the protocol: one unsaved text at a time, as ``check`` would.

For a document the workspace finds what ``epilint check`` run in the document's folder
would use — the nearest config file (``pipeline.load_settings``), its schema, the site
around the file, the selected rules — and keeps it as a ``Setup`` while none of its
inputs changed on disk (the config file, the schema, the site's ``_config.yml`` and
site-wide inputs, by stamp); any change builds a new one. Each text is linted through
``pipeline.lint_unsaved``: the file rules, then the collection rules against the site's
other posts as they are on disk (``Summaries``), the text standing in for its own file.
When a selected rule reads the feed, the sites' feeds come from the feed phase's
prediction cache, checked again every two seconds (``run.feed.LiveFeeds``): the
unsaved text is judged as ``check`` judges a fixed text (values made from keys it
changed are unknown until it is saved).

Only files a ``check`` of their site would lint are linted: an episode extension, not
excluded, below ``_posts`` inside a site. Nothing is written: the results cache is only
read (for the other posts' summaries), since an unsaved text must not enter it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from epilint.config import discovery as config_discovery
from epilint.config.settings import Settings
from epilint.editor.summaries import Summaries
from epilint.fix.engine import Checked
from epilint.lint.linter import Linter
from epilint.read.source import display_path
from epilint.run import cache as cache_mod
from epilint.run import discovery, memo, pipeline
from epilint.run.cache import ResultsCache
from epilint.schema.load import EpisodeSchema


@dataclass
class Setup:
    """What linting under one config file needs, built once and kept while it holds."""

    config: Path | None
    settings: Settings
    schema: EpisodeSchema
    linter: Linter
    summaries: Summaries
    #: Stamps of the config file and the schema when the setup was built.
    stamps: tuple[memo.Stamp, ...]
    #: Stamps of each site's ``_config.yml`` and site-wide inputs, when first used.
    sites: dict[Path, tuple[memo.Stamp, ...]] = field(default_factory=dict)

    @staticmethod
    def build(folder: Path, config: Path | None) -> Setup:
        settings = pipeline.load_settings(folder, config)
        schema = pipeline.load_schema(settings)
        linter = Linter.create(settings, schema)
        # None: no cache, or the cache folder links out of the site
        location = cache_mod.location(settings, folder) if settings.cache else None
        if linter.reads_feed:  # the sites' feeds, predicted once and kept while their inputs hold
            from epilint.run import feed

            linter = linter.with_feeds(feed.LiveFeeds(feed.Phase(location, time.time())))
        cache = None
        if location is not None:
            key = cache_mod.run_key(settings, schema, (r.code for r in linter.rules))
            inputs = pipeline.site_inputs(linter.rules)

            def fingerprint(path: Path) -> str:
                site = linter.sites.site_for(path)
                return site.fingerprint(inputs) if site is not None else ""

            cache = ResultsCache.open(location, key, fingerprint)
        return Setup(config, settings, schema, linter, Summaries(linter, cache), _stamps(config, schema.path))

    def holds(self, path: Path) -> bool:
        """True while nothing this setup read from disk changed (checked per lint)."""
        if _stamps(self.config, self.schema.path) != self.stamps:
            return False
        site = self.linter.sites.site_for(path)
        if site is None:
            return True
        now = tuple(memo.stamp(p) for p in site.input_files(pipeline.site_inputs(self.linter.rules)))
        return self.sites.setdefault(site.root, now) == now


def _stamps(config: Path | None, schema: Path | None) -> tuple[memo.Stamp, ...]:
    return tuple(memo.stamp(os.fspath(p)) for p in (config, schema) if p is not None)


@dataclass(frozen=True)
class Linted:
    """One linted text: the document and its result, and the linter that produced them."""

    path: Path
    #: The text as the editor has it (a byte-order mark included, when there is one).
    text: str
    checked: Checked
    linter: Linter

    @property
    def shift(self) -> int:
        """What to add to the document's offsets to index ``text`` (its byte-order mark)."""
        return 1 if self.checked.document.bom else 0


class Workspace:
    """The setups of one editor session, by config file."""

    def __init__(self) -> None:
        self._setups: dict[Path | None, Setup] = {}

    def setup_for(self, path: Path) -> Setup:
        """The setup for a document at ``path``. Raises ConfigError (a broken config or schema)."""
        folder = path.parent
        config = config_discovery.find_config(folder)
        setup = self._setups.get(config)
        if setup is None or not setup.holds(path):
            setup = self._setups[config] = Setup.build(folder, config)
            setup.holds(path)  # remember the site's stamps as they were when it was built
        return setup

    def wanted(self, path: Path) -> bool:
        """True when a ``check`` of the site would lint ``path``. Raises ConfigError."""
        return discovery.is_episode(path, self.setup_for(path).settings)

    def lint(self, path: Path, text: str) -> Linted | None:
        """Lint ``text`` as the contents of ``path``; None when ``path`` is not an episode
        file a ``check`` would lint. Raises ConfigError."""
        setup = self.setup_for(path)
        if not discovery.is_episode(path, setup.settings):
            return None
        display = display_path(path, setup.settings.base_dir)
        checked = pipeline.lint_unsaved(setup.linter, path, text, display, setup.summaries)
        return Linted(path, text, checked, setup.linter)

    def setups(self) -> Iterable[Setup]:
        return self._setups.values()
