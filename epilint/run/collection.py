"""The collection phase: each post judged against every post of its site (CO rules).

The site's other posts are summarised on demand — from the results cache when it knows
them, else read and parsed once — so a run over one staged file still sees every episode
number. The collection rules read summaries only, never a document's text; what they find
is merged into each file's result through the linter's ``finish`` (superseding,
suppressions and per-file ignores apply as to any finding).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from epilint.config.settings import Settings
from epilint.lint.context import CollectionContext
from epilint.lint.registry import Rule
from epilint.lint.results import FileResult, failure_text
from epilint.model import Violation
from epilint.read.positions import Locator
from epilint.read.suppress import Suppressions
from epilint.run.discovery import walk
from epilint.schema.load import EpisodeSchema
from epilint.site.collection import Collections, Summary
from epilint.site.jekyll import CONFIG_NAME
from epilint.site.sites import Sites

#: Merges findings into a file's result: ``(display, violations, suppressions, positions)``.
Finish = Callable[[str, Sequence[Violation], Suppressions, Locator], tuple[Violation, ...]]


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
    #: Told about an internal error (a bug) in a collection rule; that post keeps the
    #: findings of its other rules and the run goes on.
    report: Callable[[str], None] = lambda problem: None

    def __call__(self, files: Sequence[FileResult]) -> tuple[FileResult, ...]:
        """``files`` with the collection rules' findings added."""
        if not self.rules:
            return tuple(files)
        sites = self.sites
        collections = Collections(lambda root: walk(root, self.settings), self.summarize, sites.real.key)
        for item in files:
            collections.register(item.path, item.summary)
        out: list[FileResult] = []
        for item in files:
            summary = item.summary
            site = sites.site_for(item.path) if summary is not None else None
            if summary is None or site is None:
                out.append(item)
                continue
            ctx = CollectionContext(summary, collections.index(site.root), site, self.schema, self.settings)
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
            merged = self.finish(item.display, [*item.violations, *found], item.suppressions, item.positions)
            out.append(replace(item, violations=merged))
        return tuple(out)
