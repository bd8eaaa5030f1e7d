"""What a rule sees: the inputs of one lint, and nothing computed from them.

A file rule gets a ``Context``: the document, the schema, the settings, the site around
the file and (with ``--online``) what the run found for each URL. Analyses that several
rules share — dates, measured values, the page's links, schema findings, the collection
summary — are functions of the context in ``epilint/lint/facts.py`` (and
``schema_findings.py``), computed once per document through ``ctx.shared(fn)``; this
module imports none of them.

A collection rule gets a ``CollectionContext``: the post's summary, its site's index,
the site, the schema and the settings (collection rules never read a document).

When a selected rule reads the feed, the run's feed phase (``epilint/run/feed.py``) gives
each document ``feed``: its items in the site's feeds as the site's own template renders
them, whether the site has a feed template, whether the post is an episode
(``epilint.feed.view.PostFeed``); collection contexts get the site's view, and a
``TemplateContext`` is what a template rule (FD050) judges: one template file of a site.
With a base ref (``--since``, ``identity-base``), the identity guard's reports made at the
file are ``identity`` (``epilint.feed.identity.FileIdentity``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from epilint.config.settings import Settings
from epilint.links.status import LinkStatus
from epilint.read.document import Document
from epilint.read.suppressions import Suppressions
from epilint.schema.load import EpisodeSchema
from epilint.site.collection import Index
from epilint.site.jekyll import Site
from epilint.site.summary import Summary

if TYPE_CHECKING:  # the feed's records are imported by the runs that predict a feed
    from epilint.feed.identity import FileIdentity
    from epilint.feed.view import PostFeed, SiteFeed

T = TypeVar("T")


@dataclass(eq=False)
class Context:
    """The inputs of one file's lint, and what its rules declare while they run."""

    doc: Document
    schema: EpisodeSchema
    settings: Settings
    site: Site | None = None
    #: The file's path relative to the site root (posix), or its name outside a site.
    site_path: str = ""
    #: ``--online``: the run's answer for each URL (None when links are not checked).
    link_status: Mapping[str, LinkStatus] | None = None
    #: The document's part of its site's feeds (None when the run has no feed phase,
    #: or the file is outside a site).
    feed: PostFeed | None = None
    #: The identity guard's reports made at this file (None when the run compares no
    #: base ref, or the file is outside a site).
    identity: FileIdentity | None = None
    #: Files besides the document and the site-wide inputs that the results depend on
    #: (absolute paths), declared by rules and analyses through ``depends_on``.
    dependencies: set[str] = field(default_factory=set)
    #: When the results stop being true by the clock alone (POSIX time), if ever.
    expires: float | None = None
    #: Facts of the whole site the results depend on, with the value they had (the site's
    #: duration style, which other posts decide), declared through ``uses``.
    site_facts: dict[str, str | None] = field(default_factory=dict)
    _shared: dict[Callable[[Any], Any], Any] = field(default_factory=dict, repr=False)

    def shared(self, analysis: Callable[[Context], T]) -> T:
        """``analysis(self)``, computed once per document however many rules ask for it."""
        shared = self._shared
        if analysis in shared:
            return shared[analysis]  # type: ignore[no-any-return]
        found = shared[analysis] = analysis(self)
        return found

    def valid_until(self, when: float) -> None:
        """Declare that the results change at time ``when`` although no file does (a
        future-dated post stops being future): the results cache re-checks it then."""
        self.expires = when if self.expires is None else min(self.expires, when)

    def uses(self, fact: str, value: str | None) -> None:
        """Declare that the results depend on the site fact ``fact`` (``Site.fact``), which
        has ``value`` now: the results cache re-checks the document when it changes."""
        self.site_facts[fact] = value

    def depends_on(self, path: Path | str) -> None:
        """Declare that the results depend on ``path`` (an audio file, a linked file, the
        folder holding it): the results cache re-checks the document when that file
        changes, appears or disappears."""
        self.dependencies.add(str(path))


@dataclass(frozen=True)
class CollectionContext:
    """The inputs of a collection rule: one post's summary against its whole site."""

    summary: Summary
    index: Index
    site: Site
    schema: EpisodeSchema
    settings: Settings
    #: The site's feeds (None when the run has no feed phase).
    feed: SiteFeed | None = None


@dataclass(frozen=True)
class TemplateContext:
    """The inputs of a template rule: one template file of a site's feeds (a feed page,
    a layout or an include it is rendered with), parsed as a document so findings have
    positions in it, and the site's feeds."""

    #: The template file (``doc.path``) as the site names it (``_layouts/feed.xml``).
    template: str
    doc: Document
    feed: SiteFeed
    site: Site
    settings: Settings


@dataclass(frozen=True)
class DirectiveContext:
    """The inputs of a directive rule (EL): one file's suppression comments, which of
    their entries suppressed a finding, and which codes can be judged now.

    Directives are judged twice: after the file rules (``late`` False: every problem of
    the comments themselves, and codes only file rules report) and after the collection
    phase (``late`` True: codes that collection rules report too).
    """

    suppressions: Suppressions
    #: Indices into ``suppressions.entries`` that suppressed at least one finding.
    used: frozenset[int]
    #: Whether "suppresses nothing" can be said of a code in this phase (every rule it
    #: names ran, and reports in this phase).
    judged: Callable[[str], bool]
    late: bool = False
