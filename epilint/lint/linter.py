"""Linting one document: its context, the selected file rules, and what is kept of them.

``Linter.lint`` is the one way a document is linted, whether the run checks, fixes
(``epilint/fix/engine.py`` re-lints each fixed text through it) or prints a diff. The
collection rules, the online phase and the feed phase are run-level (``epilint/run/``);
what they produced reaches each document as an input (``link_status``, ``feeds``) or is
merged afterwards with ``finish``, so every mode sees every phase. A post the site's
feed template leaves out is not an episode: the rules that apply to episodes only are
not run on it. ``template_results`` runs the template rules on the feed templates of
the sites given: their findings are results of the template files themselves.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from epilint.config.settings import Settings, ignores_for
from epilint.links.status import LinkStatus
from epilint.lint import facts
from epilint.lint.context import Context, DirectiveContext, TemplateContext
from epilint.lint.registry import Rule
from epilint.lint.results import FileResult, Linted
from epilint.model import Finding, Fix, Span, Violation
from epilint.read import suppress
from epilint.read.document import Document
from epilint.read.positions import NOWHERE, Locator, Positions, offsets
from epilint.read.source import decode_document, display_path, read_bytes, read_document
from epilint.read.suppressions import Suppressions
from epilint.schema.load import EpisodeSchema
from epilint.site.jekyll import CONFIG_NAME, Site
from epilint.site.sites import Sites
from epilint.site.summary import Summary

if TYPE_CHECKING:  # the feed's records are imported by the runs that predict a feed
    from epilint.feed.identity import FileIdentity, SiteReport
    from epilint.feed.view import PostFeed, SiteFeed

_ABSENT = object()


def digest(data: bytes) -> str:
    """The digest the results cache keys a file's bytes on."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Linter:
    """One run's file-level linting: settings, schema, sites, the selected rules, the
    online answers when the run checked links and the sites' feeds when it predicted
    them (all given at construction)."""

    def __init__(
        self,
        settings: Settings,
        schema: EpisodeSchema,
        rules: Sequence[Rule],
        sites: Sites,
        link_status: Mapping[str, LinkStatus] | None = None,
        *,
        feeds: Mapping[Path, SiteFeed] | None = None,
        identities: Mapping[Path, SiteReport] | None = None,
        feed_files: frozenset[str] = frozenset(),
    ) -> None:
        self.settings = settings
        self.schema = schema
        self.sites = sites
        self.link_status = link_status
        self.feeds = feeds
        self.identities = identities
        #: Built feed files the run lints as documents (absolute paths): FD rules only.
        self.feed_files = feed_files
        self.rules = tuple(rules)
        self.file_rules = tuple(
            r for r in self.rules if not r.collection and not r.directive and not r.template
        )
        self.template_rules = tuple(r for r in self.rules if r.template)
        self.directive_rules = tuple(r for r in self.rules if r.directive)
        self.summarize = any(r.collection for r in self.rules)
        self._judged: dict[tuple[str, bool], bool] = {}
        self._references: dict[tuple[str, str], dict[str, object] | None] = {}
        self.supersedes = {r.code: r.supersedes for r in self.rules if r.supersedes}

    @classmethod
    def create(cls, settings: Settings, schema: EpisodeSchema, sites: Sites | None = None) -> Linter:
        """A linter with the rules ``settings`` select (the editor, tests and tools use it)."""
        from epilint.lint import registry

        rules = registry.select(
            settings.select, settings.ignore, online=settings.online, levels=settings.severity_of
        )
        return cls(settings, schema, rules, sites or Sites(settings.site_root))

    @property
    def reads_feed(self) -> bool:
        """Whether a selected rule reads the sites' feeds (the run predicts them)."""
        return any(r.reads_feed for r in self.rules)

    def with_link_status(self, link_status: Mapping[str, LinkStatus]) -> Linter:
        """The same linter, with the online phase's answers as an input."""
        return Linter(
            self.settings, self.schema, self.rules, self.sites, link_status,
            feeds=self.feeds, identities=self.identities, feed_files=self.feed_files,
        )  # fmt: skip

    def with_feeds(
        self, feeds: Mapping[Path, SiteFeed], *, feed_files: frozenset[str] | None = None
    ) -> Linter:
        """The same linter, with the feed phase's views (by site root) as an input;
        ``feed_files``: built feed files it lints as documents."""
        return Linter(
            self.settings, self.schema, self.rules, self.sites, self.link_status,
            feeds=feeds, identities=self.identities,
            feed_files=self.feed_files if feed_files is None else feed_files,
        )  # fmt: skip

    @property
    def reads_identity(self) -> bool:
        """Whether a selected rule reads the identity guard's reports."""
        return any(r.reads_identity for r in self.rules)

    def with_identities(self, identities: Mapping[Path, SiteReport]) -> Linter:
        """The same linter, with the identity guard's reports (by site root) as an input."""
        return Linter(
            self.settings, self.schema, self.rules, self.sites, self.link_status,
            feeds=self.feeds, identities=identities, feed_files=self.feed_files,
        )  # fmt: skip

    def identity_of(self, path: Path) -> FileIdentity | None:
        """The guard's reports at the file at ``path`` (None without a guard, outside a site)."""
        site = self.sites.site_for(path)
        found = self.identities.get(site.root) if self.identities is not None and site is not None else None
        if found is None or site is None:
            return None
        return found.for_file(self.sites.site_path(path, site))

    def context(self, doc: Document) -> Context:
        site = self.sites.site_for(doc.path)
        site_path = self.sites.site_path(doc.path, site)
        feed = self._feed(doc, site, site_path)
        report = self.identities.get(site.root) if self.identities is not None and site is not None else None
        identity = report.for_file(site_path) if report is not None else None
        return Context(doc, self.schema, self.settings, site, site_path, self.link_status, feed, identity)

    def _feed(self, doc: Document, site: Site | None, site_path: str) -> PostFeed | None:
        view = self.feeds.get(site.root) if self.feeds is not None and site is not None else None
        if view is None:
            return None
        if not view.has_template or (doc.problem is not None and doc.problem.code == "FM004"):
            return view.for_post(site_path, None)
        bom = b"\xef\xbb\xbf" if doc.bom else b""
        text = digest(bom + doc.text.encode("utf-8", "surrogatepass"))
        predicted = view.digest(site_path)
        changed: frozenset[str] | None = None
        if text != predicted and predicted is not None and doc.readable:
            # a fixed, unsaved or piped text: what changed since the text the feed read
            reference = self._reference(doc.path, predicted)
            if reference is not None:
                current = doc.data
                names = reference.keys() | current.keys()
                changed = frozenset(k for k in names if reference.get(k, _ABSENT) != current.get(k, _ABSENT))
        return view.for_post(site_path, text, changed)

    def _reference(self, path: Path, predicted: str) -> dict[str, object] | None:
        """The front matter of the text the feed prediction read, when the file on disk
        is still that text (read once per run)."""
        key = (str(path), predicted)  # a newer prediction read another text
        if key not in self._references:
            raw = read_bytes(path)
            found: dict[str, object] | None = None
            if isinstance(raw, bytes) and digest(raw) == predicted:
                doc = decode_document(path, raw)
                found = dict(doc.data) if doc.readable else None
            self._references[key] = found
        return self._references[key]

    def feed_of(self, path: Path) -> PostFeed | None:
        """The feed view of the post at ``path`` as read from disk (the collection phase
        asks which posts are episodes without reading them)."""
        site = self.sites.site_for(path)
        root = site.root if site is not None else None
        view = self.feeds.get(root) if self.feeds is not None and root is not None else None
        if view is None or site is None:
            return None
        return view.for_post(self.sites.site_path(path, site), None)

    def lint(self, doc: Document, display: str) -> Linted:
        """Run the file rules on one document; summarise it for the collection rules.
        A post the feed leaves out is not an episode: episode rules are not run on it."""
        ctx = self.context(doc)
        found: list[Violation] = []
        # Without a readable _config.yml the site's settings are unknown: the rules that
        # read them are not run (the run reports the config file and names them). A post
        # the feed leaves out (not only for its age) gets no episode rules.
        broken = ctx.site is not None and ctx.site.config_problem is not None
        skipped = ctx.feed is not None and ctx.feed.left_out
        built_feed = bool(self.feed_files) and os.path.abspath(doc.path) in self.feed_files
        for rule in self.file_rules:
            if (broken and CONFIG_NAME in rule.site_inputs) or (skipped and rule.episodes_only):
                continue
            if built_feed and not rule.reads_feed:
                continue  # a built feed file: only what the feed rules say of its items
            found.extend(rule.run(ctx))
        summary = facts.summary(ctx) if self.summarize else None
        suppressions = suppress.parse(doc)
        used: set[int] = set()
        violations = self.finish(doc.path, found, suppressions, doc.lines, used)
        if suppressions and self.directive_rules:
            judged = self.directives(suppressions, used, late=False)
            if judged:
                violations = self.finish(doc.path, [*violations, *judged], suppressions, doc.lines, used)
        result = file_result(
            doc, display, violations, summary=summary, suppressions=suppressions, used=frozenset(used)
        )
        facts_used = tuple(sorted(ctx.site_facts.items()))
        return Linted(result, None, tuple(sorted(ctx.dependencies)), ctx.expires, facts_used)

    def directives(self, suppressions: Suppressions, used: set[int], *, late: bool) -> list[Violation]:
        """The directive rules' findings on a file's suppression comments: after the file
        rules (``late`` False) or after the collection phase (``late`` True)."""
        context = DirectiveContext(
            suppressions, frozenset(used), lambda code: self.judged(code, late=late), late
        )
        return [v for r in self.directive_rules for v in r.run_directives(context)]

    def judged(self, code: str, *, late: bool) -> bool:
        """Whether a suppression of ``code`` that suppressed nothing is unused, in this phase:
        every rule the code names ran in this run (online rules only count online), and
        the phase is the last in which they report (collection rules: ``late``)."""
        key = (code, late)
        found = self._judged.get(key)
        if found is None:
            from epilint.lint import registry

            named = [
                r
                for r in registry.load_rules().values()
                if r.code.startswith(code) and not r.directive and (self.settings.online or not r.online)
            ]
            ran = {r.code for r in self.rules}
            found = bool(named) and all(r.code in ran for r in named)
            found = found and any(r.collection for r in named) == late
            self._judged[key] = found
        return found

    def lint_path(self, path: Path, display: str) -> Linted:
        """Read, decode and lint one file; the result carries the digest of its bytes
        (None when it could not be read: nothing to key a cached result on)."""
        raw = read_bytes(path)
        if isinstance(raw, Document):
            return self.lint(raw, display)
        doc = decode_document(path, raw)
        linted = self.lint(doc, display)
        if doc.problem is not None and doc.problem.code == "FM004":
            return linted
        return Linted(linted.result, digest(raw), linted.dependencies, linted.expires, linted.site_facts)

    def lint_file(self, path: Path) -> FileResult:
        """One file's result, read from disk (tools and tests; runs use the pipeline)."""
        return self.lint_path(path, display_path(path)).result

    def finish(
        self,
        path: Path,
        found: Iterable[Violation],
        suppressions: Suppressions,
        lines: Locator,
        used: set[int] | None = None,
    ) -> tuple[Violation, ...]:
        """Drop superseded, suppressed and per-file-ignored violations; sort the rest.
        The suppression entries that dropped a violation are added to ``used``."""
        items = list(found)
        if not items:
            return ()
        items = _drop_superseded(items, self.supersedes)
        ignored = ignores_for(self.settings, path)
        kept = [v for v in items if not any(v.code.startswith(prefix) for prefix in ignored)]
        if suppressions:
            matched = suppressions.matching_many([(v.code, lines.position(v.span.start)[0]) for v in kept])
            unsuppressed = []
            for violation, entries in zip(kept, matched, strict=True):
                if entries:
                    if used is not None:
                        used.update(entries)
                    continue
                unsuppressed.append(violation)
            kept = unsuppressed
        kept.sort(key=lambda v: (v.span.start, v.code, v.span.end))
        return tuple(_unique(kept))

    def summarize_path(self, path: Path) -> tuple[Summary | None, float | None, str | None]:
        """``summarize_document`` of the file at ``path``, with the digest of the bytes it
        was made from (None when the file could not be read: nothing to key it on)."""
        raw = read_bytes(path)
        if isinstance(raw, Document):
            return (*self.summarize_document(raw), None)
        doc = decode_document(path, raw)
        unread = doc.problem is not None and doc.problem.code == "FM004"
        return (*self.summarize_document(doc), None if unread else digest(raw))

    def template_results(self, roots: Iterable[Path]) -> list[FileResult]:
        """The template rules' findings on the feed templates of the sites at ``roots``:
        one result per template file with findings, whatever the number of documents of
        that site the run linted (a template's fault is reported once per run)."""
        if not self.template_rules or self.feeds is None:
            return []
        results: list[FileResult] = []
        for root in dict.fromkeys(roots):
            view = self.feeds.get(root)
            site = self.sites.load(root) if view is not None and view.has_template else None
            if view is None or site is None:
                continue
            names = dict.fromkeys(name for feed in view.feeds for name in feed.templates)
            for name in names:
                path = root / name
                doc = read_document(path)
                if doc.problem is not None and doc.problem.code == "FM004":
                    continue
                ctx = TemplateContext(name, doc, view, site, self.settings)
                found = [v for r in self.template_rules for v in r.run_template(ctx)]
                if not found:
                    continue
                suppressions = suppress.parse(doc)
                violations = self.finish(path, found, suppressions, doc.lines)
                if violations:
                    shown = display_path(path)
                    results.append(file_result(doc, shown, violations, suppressions=suppressions))
        return results

    def identity_results(self, roots: Iterable[Path], linted: Iterable[Path]) -> list[FileResult]:
        """The identity rules' findings at the files of the sites at ``roots`` that hold
        the guard's reports and that the run did not lint (``linted``): ``_config.yml``,
        feed templates, posts outside the walked folders. Once per run, like a template's
        faults; a file that is gone is left out."""
        rules = tuple(r for r in self.file_rules if r.reads_identity)
        if not rules or self.identities is None:
            return []
        done = {os.path.abspath(p) for p in linted}
        results: list[FileResult] = []
        for root in dict.fromkeys(roots):
            report = self.identities.get(root)
            if report is None:
                continue
            for name in report.paths():
                path = root / name
                if os.path.abspath(path) in done or not path.is_file():
                    continue
                done.add(os.path.abspath(path))
                doc = read_document(path)
                if doc.problem is not None and doc.problem.code == "FM004":
                    continue
                ctx = self.context(doc)
                found = [v for r in rules for v in r.run(ctx)]
                if not found:
                    continue
                suppressions = suppress.parse(doc)
                violations = self.finish(path, found, suppressions, doc.lines)
                if violations:
                    results.append(
                        file_result(doc, display_path(path), violations, suppressions=suppressions)
                    )
        return results

    def broken_feed(self, path: Path, message: str, line: int) -> FileResult | None:
        """FD001 on a built feed that is not well-formed XML, at the parser's line."""
        rule = next((r for r in self.rules if r.code == "FD001"), None)
        if rule is None:
            return None
        doc = read_document(path)
        offset = doc.lines.offset(line) if line else 0
        found = Finding(
            f"the built feed is {message}: "
            + (
                "podcast apps reject the whole feed"
                if message.startswith("not well-formed")
                else "none of its items is read"
            ),
            Span(offset, offset),
            Fix.suggestion(
                "escape the value the template inserts there (`| xml_escape`)"
                if message.startswith("not well-formed")
                else "remove the DOCTYPE's entity declarations from the template"
            ),
        )
        suppressions = suppress.parse(doc)
        violations = self.finish(path, rule.stamp([found]), suppressions, doc.lines)
        return (
            file_result(doc, display_path(path), violations, suppressions=suppressions)
            if violations
            else None
        )

    def summarize_document(self, doc: Document) -> tuple[Summary | None, float | None]:
        """The collection summary of ``doc`` and when it stops being true by the clock
        alone (a future-dated post joins the site at its date), if ever."""
        ctx = self.context(doc)
        return facts.summary(ctx), ctx.expires


def file_result(
    doc: Document,
    display: str,
    violations: tuple[Violation, ...],
    *,
    summary: Summary | None = None,
    suppressions: Suppressions | None = None,
    used: frozenset[int] = frozenset(),
) -> FileResult:
    """The result for ``doc``, its positions looked up while the text is at hand (those
    of its suppression comments too: the collection phase may report on them)."""
    found = suppress.parse(doc) if suppressions is None else suppressions
    positions = NOWHERE
    if violations or summary is not None or found:
        spans = [*(summary.spans if summary is not None else ()), *found.spans()]
        positions = Positions.of(doc.lines, offsets(violations, spans))
    return FileResult(doc.path, display, violations, positions, found, summary, used)


def _drop_superseded(items: list[Violation], supersedes: dict[str, tuple[str, ...]]) -> list[Violation]:
    if not supersedes:
        return items
    covered = {(code, v.span) for v in items for code in supersedes.get(v.code, ())}
    return [v for v in items if (v.code, v.span) not in covered]


def _unique(items: list[Violation]) -> Iterator[Violation]:
    seen: set[tuple[str, int, int, str]] = set()
    for v in items:
        key = (v.code, v.span.start, v.span.end, v.message)
        if key not in seen:
            seen.add(key)
            yield v
