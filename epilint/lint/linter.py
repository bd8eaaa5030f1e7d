"""Linting one document: its context, the selected file rules, and what is kept of them.

``Linter.lint`` is the one way a document is linted, whether the run checks, fixes
(``epilint/fix/engine.py`` re-lints each fixed text through it) or prints a diff. The
collection rules and the online phase are run-level (``epilint/run/``); what they
produced reaches each document as an input (``link_status``) or is merged afterwards
with ``finish``, so every mode sees every phase.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from epilint.config.settings import Settings, ignores_for
from epilint.links.status import LinkStatus
from epilint.lint import facts
from epilint.lint.context import Context, DirectiveContext
from epilint.lint.registry import Rule
from epilint.lint.results import FileResult, Linted
from epilint.model import Violation
from epilint.read import suppress
from epilint.read.document import Document
from epilint.read.positions import NOWHERE, Locator, Positions, offsets
from epilint.read.source import decode_document, display_path, read_bytes
from epilint.read.suppress import Suppressions
from epilint.schema.load import EpisodeSchema
from epilint.site.collection import Summary
from epilint.site.jekyll import CONFIG_NAME
from epilint.site.sites import Sites


def digest(data: bytes) -> str:
    """The digest the results cache keys a file's bytes on."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Linter:
    """One run's file-level linting: settings, schema, sites, the selected rules, and the
    online answers when the run checked links (all given at construction)."""

    def __init__(
        self,
        settings: Settings,
        schema: EpisodeSchema,
        rules: Sequence[Rule],
        sites: Sites,
        link_status: Mapping[str, LinkStatus] | None = None,
    ) -> None:
        self.settings = settings
        self.schema = schema
        self.sites = sites
        self.link_status = link_status
        self.rules = tuple(rules)
        self.file_rules = tuple(r for r in self.rules if not r.collection and not r.directive)
        self.directive_rules = tuple(r for r in self.rules if r.directive)
        self.summarize = any(r.collection for r in self.rules)
        self._judged: dict[tuple[str, bool], bool] = {}
        self.supersedes = {r.code: r.supersedes for r in self.rules if r.supersedes}

    @classmethod
    def create(cls, settings: Settings, schema: EpisodeSchema, sites: Sites | None = None) -> Linter:
        """A linter with the rules ``settings`` select (the editor, tests and tools use it)."""
        from epilint.lint import registry

        rules = registry.select(
            settings.select, settings.ignore, online=settings.online, levels=settings.severity_of
        )
        return cls(settings, schema, rules, sites or Sites(settings.site_root))

    def with_link_status(self, link_status: Mapping[str, LinkStatus]) -> Linter:
        """The same linter, with the online phase's answers as an input."""
        return Linter(self.settings, self.schema, self.rules, self.sites, link_status)

    def context(self, doc: Document) -> Context:
        site = self.sites.site_for(doc.path)
        return Context(
            doc, self.schema, self.settings, site, self.sites.site_path(doc.path, site), self.link_status
        )

    def lint(self, doc: Document, display: str) -> Linted:
        """Run the file rules on one document; summarise it for the collection rules."""
        ctx = self.context(doc)
        found: list[Violation] = []
        # Without a readable _config.yml the site's settings are unknown: the rules that
        # read them are not run (the run reports the config file and names them).
        broken = ctx.site is not None and ctx.site.config_problem is not None
        for rule in self.file_rules:
            if broken and CONFIG_NAME in rule.site_inputs:
                continue
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
