"""The collection phase: each post judged against every post of its site (CO rules).

The site's other posts are summarised on demand — from the results cache when it knows
them, else read and parsed once — so a run over one staged file still sees every episode
number. When the run predicted the sites' feeds, only episodes count: a post the feed
template leaves out is neither judged nor part of its site's index. The collection rules
read summaries only, never a document's text; what they find is merged into each file's
result through the linter's ``finish`` (superseding, suppressions and per-file ignores
apply as to any finding).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from epilint.config.settings import Settings
from epilint.lint.context import CollectionContext
from epilint.lint.registry import Rule
from epilint.lint.results import FileResult, failure_text
from epilint.model import Violation
from epilint.read.positions import Locator
from epilint.read.suppressions import Suppressions
from epilint.run.discovery import walk
from epilint.schema.load import EpisodeSchema
from epilint.site.collection import Collections, Stored
from epilint.site.jekyll import CONFIG_NAME
from epilint.site.sites import Sites
from epilint.site.summary import Summary

if TYPE_CHECKING:
    from epilint.feed.view import SiteFeed

#: Merges findings into a file's result: ``(path, violations, suppressions, positions,
#: used)``; the suppression entries that dropped one are added to ``used``.
Finish = Callable[
    [Path, Sequence[Violation], Suppressions, Locator, "set[int] | None"], tuple[Violation, ...]
]
#: The directive rules' late findings on a file's comments, given the entries used.
Directives = Callable[[Suppressions, "set[int]"], list[Violation]]


@dataclass(frozen=True)
class Judge:
    """The collection phase's collaborators, given as values and functions."""

    rules: Sequence[Rule]
    sites: Sites
    schema: EpisodeSchema
    settings: Settings
    #: The summary of a post the run did not lint (cached, else read and parsed).
    summarize: Callable[[Path], Summary | None]
    finish: Finish
    #: Judges the suppression comments once the collection rules have run (EL001).
    directives: Directives | None = None
    #: Told about an internal error (a bug) in a collection rule; that post keeps the
    #: findings of its other rules and the run goes on.
    report: Callable[[str], None] = lambda problem: None
    #: Whether the post at a path is an episode (False: its site's feed leaves it out);
    #: None when the run has no feed phase.
    episode: Callable[[Path], bool | None] | None = None
    #: The feed phase's views, by site root.
    feeds: Mapping[Path, SiteFeed] | None = None
    #: The posts of the site at a root (default: walked), and a site's index from the
    #: store (``epilint/run/posts.py``) when it can answer.
    posts_of: Callable[[Path], Iterable[Path]] | None = None
    stored: Stored | None = None

    def __call__(self, files: Sequence[FileResult]) -> tuple[FileResult, ...]:
        """``files`` with the collection rules' findings added, and the directive rules'
        on the comments whose codes name collection rules."""
        if not self.rules:
            return tuple(files)
        judged = self._collection(files)
        if self.directives is None:
            return judged
        return tuple(self._directives(item, set(item.used)) for item in judged)

    def _directives(self, item: FileResult, used: set[int]) -> FileResult:
        if not item.suppressions or self.directives is None:
            return item
        found = self.directives(item.suppressions, used)
        if not found:
            return item
        merged = self.finish(item.path, [*item.violations, *found], item.suppressions, item.positions, used)
        return replace(item, violations=merged, used=frozenset(used))

    def _collection(self, files: Sequence[FileResult]) -> tuple[FileResult, ...]:
        sites = self.sites
        episode = self.episode
        keep = None if episode is None else (lambda path: episode(path) is not False)
        posts_of = self.posts_of or (lambda root: walk(root, self.settings))
        collections = Collections(posts_of, self.summarize, sites.real.key, keep, self.stored)
        for item in files:
            collections.register(item.path, item.summary)
        out: list[FileResult] = []
        for item in files:
            summary = item.summary
            site = sites.site_for(item.path) if summary is not None else None
            if summary is None or site is None or (keep is not None and not keep(item.path)):
                out.append(item)
                continue
            feed = self.feeds.get(site.root) if self.feeds is not None else None
            index = collections.index(site.root)
            ctx = CollectionContext(summary, index, site, self.schema, self.settings, feed)
            found: list[Violation] = []
            for rule in self.rules:
                if site.config_problem is not None and CONFIG_NAME in rule.site_inputs:
                    continue  # the site's settings are unknown (see the report on _config.yml)
                try:
                    found.extend(rule.run_collection(ctx))
                except Exception as exc:  # a bug in one rule: report it, keep the rest
                    self.report(f"{item.display}: {failure_text(exc)} (in {rule.code})")
            if not found:
                out.append(item)
                continue
            used = set(item.used)
            merged = self.finish(
                item.path, [*item.violations, *found], item.suppressions, item.positions, used
            )
            out.append(replace(item, violations=merged, used=frozenset(used)))
        return tuple(out)
