"""The one path of every run: discover → (online phase) → lint or fix → collection → report.

``check``, ``--fix`` and ``--diff`` all go through ``run``: the same linter lints every
document (and, when fixing, every fixed text), with every run-level phase — the online
link check before linting, the collection rules after — in every mode. The CLI builds a
``Request`` from its flags and hands the report rendering in as a function, so this
module never imports the output formats.

The editor (``epilint/editor/``) lints one unsaved text at a time through the same
pieces: ``load_settings`` and ``load_schema`` (the config and schema ``check`` would use),
``Linter.create``, ``lint_unsaved`` (the file rules, then the collection phase with the
text's summary in place of the file's) and ``plan_document`` (the fix engine on one text).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from epilint.config import discovery as config_discovery
from epilint.config.settings import Settings
from epilint.errors import ConfigError
from epilint.fix import engine
from epilint.lint import registry
from epilint.lint.linter import Linter
from epilint.lint.registry import Rule
from epilint.lint.results import FileResult, Linted, RunResult, failed, failure_text
from epilint.model import Span, Violation
from epilint.read.document import Document, FrontMatterProblem
from epilint.read.source import decode_document, display_path, read_document
from epilint.read.suppressions import Suppressions
from epilint.run import baseline, collection, discovery, memo, pool, theme
from epilint.run.cache import ResultsCache
from epilint.run.posts import Posts
from epilint.schema.load import EpisodeSchema
from epilint.site.collection import Index
from epilint.site.jekyll import CONFIG_NAME, find_site_root
from epilint.site.sites import Sites
from epilint.site.summary import Summary

_T = TypeVar("_T", Path, Document)

if TYPE_CHECKING:  # imported by the feed phase, when a run predicts feeds
    from epilint.feed.view import PostFeed, SiteFeed


class Mode(str, Enum):
    CHECK = "check"
    FIX = "fix"
    DIFF = "diff"
    #: ``--add-suppressions``: a suppression comment for every finding.
    SUPPRESS = "suppress"


@dataclass(frozen=True)
class Request:
    """What the user asked for (the CLI's flags, merged with the config file)."""

    settings: Settings
    schema: EpisodeSchema
    paths: tuple[Path, ...] = ()
    mode: Mode = Mode.CHECK
    unsafe: bool = False
    since: str | None = None
    #: Show progress of the online checks (a terminal, the text format).
    progress: bool = False
    #: The output options that make two runs print different reports (format, colour …):
    #: part of the whole-run memo's key.
    report_options: tuple[object, ...] = ()
    #: ``-``: the text read from stdin, linted as ``paths[0]`` (``--stdin-filename``).
    stdin: bytes | None = None
    #: ``--write-baseline FILE``: record every finding there (and report them all).
    write_baseline: Path | None = None
    #: Whether the whole-run memo may answer (not when the report is not all the run
    #: writes, e.g. a GitHub job summary).
    memo: bool = True
    #: Built feed files (``--feed FILE``, or an RSS file given as a PATH): the FD rules
    #: judge their items instead of the predicted ones (``epilint/run/built.py``).
    feeds: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Outcome:
    result: RunResult
    #: ``--fix``: (violations, files) fixed.
    fixed: tuple[int, int] | None = None
    #: ``--diff``: the unified diff ("" when nothing would change).
    diff: str | None = None
    #: Warnings for stderr (files left untouched and why; stale baseline entries).
    notes: tuple[str, ...] = ()
    #: The rendered report, when the run rendered it (the memo answered, or stored it).
    report: str | None = None
    #: Violations that fail the run (``fail-on``; the memo's answer carries no result).
    violations: int = 0
    #: What the run covered beyond the obvious, for the report's summary and stderr: why
    #: ``--since`` lints more than the changed files, what the baseline hid, what was written.
    scope: tuple[str, ...] = ()
    #: ``--fix``: (displayed path, code, fix title) of every fix applied (``--show-fixes``).
    applied: tuple[tuple[str, str, str], ...] = ()
    #: ``-`` with ``--fix``: the fixed text (written to stdout instead of the report).
    fixed_text: str | None = None
    #: Internal errors (bugs) met on the way, for stderr: the run's results are incomplete
    #: and it ends with the internal-error exit status.
    internal: tuple[str, ...] = ()


Render = Callable[[Outcome], str]


def run(request: Request, render: Render | None = None) -> Outcome:
    """Run one request. With ``render`` the run may answer from, or store into, the
    whole-run memo (``epilint/run/memo.py``), and then returns the rendered report."""
    opened: list[ResultsCache] = []
    try:
        return _run(request, render, opened)
    finally:
        for cache in opened:
            cache.store.close()


def _run(request: Request, render: Render | None, opened: list[ResultsCache]) -> Outcome:
    settings = request.settings
    rules = registry.select(
        settings.select, settings.ignore, online=settings.online, levels=settings.severity_of
    )
    sites = Sites(settings.site_root)
    documents: dict[Path, Document] = {}
    scope: list[str] = []
    notes: list[str] = []
    refused: tuple[tuple[Path, str], ...] = ()
    paths, built_feeds = request.paths, request.feeds
    if request.stdin is None and paths:
        from epilint.feed.built import looks_like_feed

        given = [p for p in paths if looks_like_feed(p)]
        paths = tuple(p for p in paths if p not in given)
        built_feeds = (*built_feeds, *given)
    feeds_only = bool(built_feeds) and not paths
    if feeds_only:  # the feed check: the FD rules on the posts the feeds' items came from
        rules = tuple(r for r in rules if r.code.startswith("FD"))
    if request.stdin is not None:
        (path,) = request.paths
        files: tuple[Path, ...] = (path,)
        documents[path] = decode_document(path, request.stdin)
    else:
        found = discovery.discover(paths, settings, sites.real) if not feeds_only else discovery.Discovery(())
        if found.missing:
            raise ConfigError(f"no such file or folder: {found.missing[0]}")
        files = found.files
        refused = found.refused
        if found.excluded:
            scope.append(
                f"{len(found.excluded)} path{_s(len(found.excluded))} skipped by `exclude` (--force-exclude)"
            )
    inputs = site_inputs(rules)
    if request.since is not None:
        from epilint.run import git, since

        chosen = since.select(
            files,
            request.since,
            git.changes(request.since),
            sites.site_for,
            run_inputs=run_inputs(settings, request),
            site_inputs=inputs,
        )
        files = chosen.files
        scope.extend(chosen.reasons)
    linter = Linter(settings, request.schema, rules, sites)

    def fingerprint(path: Path) -> str:
        site = sites.site_for(path)
        return site.fingerprint(inputs) if site is not None else ""

    # The identity guard: a base ref (--since, else identity-base) and a rule that reads it.
    base_ref = request.since or settings.identity_base
    guarding = base_ref is not None and linter.reads_identity

    def feed_key(path: Path) -> str:
        view = linter.feed_of(path)
        found = linter.identity_of(path) if guarding else None
        return (view.key if view is not None else "") + (found.key if found is not None else "")

    cache: ResultsCache | None = None
    posts: Posts | None = None
    memo_key: str | None = None
    early: dict[str, memo.Stamp] = {}
    checks_theme = settings.schema is None and any(r.code == theme.CODE for r in rules)
    # Network answers, fixes and stdin bypass the caches.
    if settings.cache and not settings.online and request.mode is Mode.CHECK and not documents:
        from epilint.run import cache as cache_mod

        key = cache_mod.run_key(settings, request.schema, (r.code for r in rules))
        folder = cache_mod.location(settings)
        if folder is not None:  # None: the cache folder is a link out of the site, no cache

            def site_fact(path: Path, name: str) -> str | None:
                if name.startswith("site-output:"):  # what the site's build writes
                    view = linter.feed_of(path)
                    return view.site.fact(name) if view is not None else None
                site = sites.site_for(path)
                return site.fact(name) if site is not None else None

            def root_of(path: Path) -> str:
                site = sites.site_for(path)
                return os.fspath(site.root) if site is not None else ""

            cache = cache_mod.ResultsCache.open(
                folder, key, fingerprint, site_fact, root_of=root_of, feed_key=feed_key
            )
            opened.append(cache)
            posts = Posts(cache.store, key, settings, cache.started)
            # the guard reads git (the base commit, renames): no whole-run memo then
            if (
                render is not None
                and request.memo
                and request.write_baseline is None
                and not guarding
                and not built_feeds
                and _covers(files, sites, posts)
            ):
                prints = sorted(
                    {(str(s.root), s.fingerprint(inputs)) for s in map(sites.site_for, files) if s}
                )
                refused_now = [[os.fspath(p), why] for p, why in refused]
                identity = [
                    key, *request.report_options, settings.fail_on.value, os.getcwd(),
                    [os.fspath(p) for p in files], refused_now, prints, scope,
                    _baseline_stamp(settings.baseline),
                ]  # fmt: skip
                memo_key = memo.key(identity)
                remembered = memo.load(cache.store, memo_key)
                if remembered is not None:  # nothing changed since the same run: its report stands
                    return Outcome(
                        RunResult(()),
                        notes=remembered.notes,
                        report=remembered.output,
                        violations=remembered.violations,
                    )
                # Stamped before anything is read: a file edited while this run reads it keeps
                # the older stamp in the memo, so the next run sees the change.
                early = {p: memo.stamp(p) for p in _memo_inputs(files, sites, posts, every_post=True)}
    roots = list(dict.fromkeys(s.root for s in map(sites.site_for, files) if s is not None))
    if built_feeds:
        from epilint.run import built

        feed_sites = built.sites_of(built_feeds, sites)
        roots = list(dict.fromkeys([*roots, *feed_sites]))
    feeds: feed.Phase | None = None
    if linter.reads_feed and roots:
        from epilint.run import feed

        now = time.time()
        feeds = feed.Phase(_cache_folder(settings), now, identity=guarding)
        linter = linter.with_feeds(feeds(roots))
        if memo_key is not None:  # the predictions' inputs, stamped before the posts are linted
            for root in roots:
                for name in feeds.cache.inputs(root):
                    early.setdefault(name, memo.stamp(name))
        if guarding and base_ref is not None:
            from epilint.run import identity as identity_phase

            guard = identity_phase.Phase(
                _cache_folder(settings), now, base_ref,
                option="--since" if request.since is not None else "identity-base",
                strict=request.since is not None,
            )  # fmt: skip
            guarded_sites = guard(roots, feeds.snapshots)
            linter = linter.with_identities(guarded_sites)
            notes.extend(
                f"{display_path(r.root)}: identity guard: {p}"
                for r in guarded_sites.values()
                for p in r.problems
            )
    broken: tuple[tuple[Path, str, int], ...] = ()
    if built_feeds:
        checked = built.read(built_feeds, sites, linter.feeds or {}, time.time())
        linter = linter.with_feeds({**(linter.feeds or {}), **checked.views}, feed_files=checked.feed_files)
        files = (*files, *(p for p in checked.files if p not in files))
        broken = checked.broken
    if settings.online and any(r.reads_online for r in rules):
        from epilint.run import online

        documents = documents or {path: read_document(path) for path in files}
        phase = online.Phase(settings, online.Options(settings.online_settings), progress=request.progress)
        linter = linter.with_link_status(phase([linter.context(doc) for doc in documents.values()]))
        notes.extend(phase.notes)
    displays = [display_path(p) for p in files]
    outcome = Outcome(RunResult(()))
    internal: list[str] = []
    if request.mode in (Mode.CHECK, Mode.SUPPRESS):
        results = _lint_all(linter, files, displays, documents, cache, internal=internal)
    else:
        outcome = _fix(linter, files, documents, request, internal)
        results = outcome.result.files
    # Folders that cannot be read and symlinks out of the site: one FM004 each; a site
    # whose _config.yml cannot be used, or whose inputs link out of it: reported there.
    not_read = [*((p, why, "FM004") for p, why in refused), *_site_problems(sites, files, rules)]
    results = (*results, *(_refused(linter, path, reason, code) for path, reason, code in not_read))
    collection_rules = [r for r in rules if r.collection]

    def summarize(path: Path) -> Summary | None:
        known = cache.known_summary(path) if cache is not None else None
        if known is not None:
            return known[0]
        try:
            summary, expires, digest = linter.summarize_path(path)
            if cache is not None and digest is not None:
                cache.keep_summary(path, digest, summary, expires)
            return summary
        except ConfigError:
            raise
        except Exception as exc:  # a bug: this post is left out; the others go on
            internal.append(
                f"{display_path(path)}: {failure_text(exc)} (summarising it for the collection rules)"
            )
            return None

    judged = judge(linter, summarize, internal.append, posts)(results)
    if request.mode is not Mode.SUPPRESS:  # a template's faults: once, on the template file
        judged = (*judged, *linter.template_results(roots))
        judged = (*judged, *linter.identity_results(roots, files))
        judged = (*judged, *(r for path, why, line in broken if (r := linter.broken_feed(path, why, line))))
    if checks_theme:
        judged, _hinted = theme.hint(
            judged,
            request.schema,
            sites.site_for,
            lambda site: list(discovery.walk(site.root / "_posts", settings)),
        )

    def text_of(path: Path) -> str | None:
        doc = documents.get(path) or read_document(path)
        return None if doc.problem is not None and doc.problem.code == "FM004" else doc.text

    if request.mode is Mode.SUPPRESS:
        return _suppress(linter, judged, documents)
    if request.write_baseline is not None:
        count = baseline.write(request.write_baseline, judged, text_of)
        scope.append(f"wrote {count} finding{_s(count)} to the baseline {request.write_baseline}")
    elif settings.baseline is not None:
        applied = baseline.apply(settings.baseline, judged, text_of)
        judged = applied.files
        if applied.hidden:
            scope.append(f"{applied.hidden} finding{_s(applied.hidden)} in the baseline not shown")
        notes.extend(_stale(settings.baseline, applied.stale))
    for site in {id(s): s for s in map(sites.site_for, files) if s is not None}.values():
        if site.zone_problem is not None:
            notes.append(f"{site.root / CONFIG_NAME}: {site.zone_problem}")
    result = RunResult(judged)
    failing = result.failing(settings.fail_on)
    outcome = Outcome(
        result, outcome.fixed, outcome.diff, (*outcome.notes, *notes), violations=failing, scope=tuple(scope),
        applied=outcome.applied, fixed_text=outcome.fixed_text, internal=tuple(internal),
    )  # fmt: skip
    if internal:
        return outcome  # nothing of an incomplete run is remembered
    if cache is not None:
        rendered = None
        if memo_key is not None and render is not None:
            rendered = render(outcome)
            assert posts is not None
            _remember(
                memo_key,
                cache,
                sites,
                posts,
                files,
                report=memo.Report(rendered, failing, outcome.notes),
                collection_rules=bool(collection_rules) or checks_theme,
                early=early,
                feed_inputs=[p for root in roots for p in feeds.cache.inputs(root)] if feeds else [],
            )
        cache.save()  # the results, the summaries and the memo: one transaction
        if rendered is not None:
            return replace(outcome, report=rendered)
    return outcome


@dataclass(frozen=True)
class Preview:
    """One file of ``epilint feed``: its items as its site's feed template renders them."""

    path: Path
    display: str
    #: Its site's feeds (None outside a site).
    site: SiteFeed | None
    #: Its part of them (None outside a site).
    post: PostFeed | None


def preview(request: Request) -> tuple[tuple[Preview, ...], tuple[str, ...]]:
    """``epilint feed``: the predicted items of the files ``request`` names (found as
    ``check`` finds them, ``--since`` included), from the same feed phase and cache as a
    check; and the lines saying why more files than named are shown."""
    from epilint.run import feed

    settings = request.settings
    sites = Sites(settings.site_root)
    found = discovery.discover(request.paths, settings, sites.real)
    if found.missing:
        raise ConfigError(f"no such file or folder: {found.missing[0]}")
    files = found.files
    phase = feed.Phase(_cache_folder(settings), time.time())
    if not request.paths and settings.include is None:
        # the site's episodes too: a feed may loop over a collection (`_episodes/`)
        root = settings.site_root or find_site_root(Path.cwd())
        site = sites.load(root) if root is not None else None
        if site is not None:
            known = {sites.real.key(p) for p in files}
            extra = [site.root / name for name in sorted(phase([site.root])[site.root].episodes)]
            files = (*files, *(p for p in extra if sites.real.key(p) not in known))
    scope: tuple[str, ...] = ()
    if request.since is not None:
        from epilint.run import git, since

        chosen = since.select(
            files, request.since, git.changes(request.since), sites.site_for,
            run_inputs=run_inputs(settings, request),
        )  # fmt: skip
        files, scope = chosen.files, chosen.reasons
    roots = list(dict.fromkeys(s.root for s in map(sites.site_for, files) if s is not None))
    views = phase(roots)
    linter = Linter(settings, request.schema, (), sites, feeds=views)
    shown: list[Preview] = []
    for path in files:
        site = sites.site_for(path)
        ctx = linter.context(read_document(path))
        view = views.get(site.root) if site is not None else None
        shown.append(Preview(path, display_path(path), view, ctx.feed))
    return tuple(shown), scope


def load_settings(start: Path, config: Path | None = None) -> Settings:
    """The settings of a run started in the folder ``start``: the config file ``config``
    (which must exist), else the nearest one walking up from ``start``, else the
    defaults; rule codes in it must name rules. Raises ConfigError."""
    from epilint.config.settings import Codes

    codes = Codes(registry.known_prefix, registry.closest_code)
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"config file {config} does not exist")
        return config_discovery.load(config, explicit=True, codes=codes)
    return config_discovery.load(config_discovery.find_config(start), codes=codes)


def load_schema(settings: Settings) -> EpisodeSchema:
    """The schema ``settings`` name (a file, or a bundled schema's name), else the bundled
    one. Raises ConfigError."""
    from epilint.schema import load

    return load.load_schema(load.resolve(settings.schema) if settings.schema else load.bundled_schema())


def judge(
    linter: Linter,
    summarize: Callable[[Path], Summary | None],
    report: Callable[[str], None] = lambda problem: None,
    posts: Posts | None = None,
) -> collection.Judge:
    """The collection phase for ``linter``'s rules; ``summarize`` gives the summary of a
    post the run did not lint; ``report`` is told about an internal error in a rule;
    ``posts``: the sites' posts as the store knows them (their listing, and site indexes
    answered from the store). With the feed phase's views, only episodes count."""
    rules = [r for r in linter.rules if r.collection]

    def late(suppressions: Suppressions, used: set[int]) -> list[Violation]:
        return linter.directives(suppressions, used, late=True)

    def episode(path: Path) -> bool | None:
        view = linter.feed_of(path)
        if view is None:
            return None
        return False if view.left_out else True if view.episode else None

    stored = None
    if posts is not None:
        inputs = site_inputs(linter.rules)

        def stored(root: Path, fresh: Mapping[str, Summary | None]) -> Index | None:
            view = linter.feeds.get(root) if linter.feeds is not None else None
            left_out = _left_out(root, view) if view is not None else frozenset()
            fingerprint = linter.sites.load(root).fingerprint(inputs)
            return posts.index(root, fingerprint, fresh, summarize, left_out=left_out)

    return collection.Judge(
        rules, linter.sites, linter.schema, linter.settings, summarize, linter.finish,
        late if linter.directive_rules else None, report,
        episode if linter.feeds is not None else None, linter.feeds,
        posts.listing if posts is not None else None, stored,
    )  # fmt: skip


def lint_unsaved(
    linter: Linter, path: Path, text: str, display: str, summarize: Callable[[Path], Summary | None]
) -> engine.Checked:
    """Lint ``text`` as the contents of ``path`` (an editor's unsaved buffer): decoded as
    the file's bytes would be, the file rules through ``linter``, then the collection
    rules against the site's other posts (``summarize``), this text's summary replacing
    the one of the file on disk."""
    doc = decode_document(path, text.encode("utf-8", "surrogatepass"))
    result = linter.lint(doc, display).result
    (judged,) = judge(linter, summarize)([result])
    return engine.Checked(doc, judged)


def plan_document(linter: Linter, original: engine.Checked, *, unsafe: bool) -> engine.FilePlan:
    """What fixing one linted document would do (``engine.plan_file``), each fixed text
    linted again through ``linter``; nothing is written."""

    def lint(doc: Document, display: str) -> FileResult:
        return linter.lint(doc, display).result

    return engine.plan_file(lint, original, unsafe=unsafe)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _cache_folder(settings: Settings) -> Path | None:
    """Where the run keeps its caches (None with ``--no-cache``)."""
    if not settings.cache:
        return None
    from epilint.run import cache as cache_mod

    return cache_mod.location(settings)


def run_inputs(settings: Settings, request: Request) -> list[Path]:
    """Files every result of the run depends on: the config files, the schema and the
    files it references, the baseline (``--since`` lints everything when one changed)."""
    from epilint.schema.load import local_resources

    found = [*settings.config_files, request.schema.path]
    folder = request.schema.path.parent
    found.extend(folder / name for name in local_resources(request.schema.path, request.schema.raw))
    if settings.baseline is not None:
        found.append(settings.baseline)
    return found


def _baseline_stamp(path: Path | None) -> object:
    if path is None:
        return None
    return memo.stamp(os.fspath(path))


def _stale(path: Path, stale: Sequence[baseline.Entry], limit: int = 20) -> list[str]:
    """Lines listing the baseline entries that match nothing any more."""
    if not stale:
        return []
    lines = [
        f"{len(stale)} baseline entr{'y' if len(stale) == 1 else 'ies'} in {path} match nothing any more "
        f"(fixed, or the file is gone); `--write-baseline {path}` drops them:"
    ]
    lines.extend(f"  {e.path}: {e.code} {e.message}" for e in stale[:limit])
    if len(stale) > limit:
        lines.append(f"  … and {len(stale) - limit} more")
    return lines


def _refused(linter: Linter, path: Path, reason: str, code: str = "FM004") -> FileResult:
    """The report on a path that was not read: FM004 (or FM002: ``_config.yml`` is not
    valid YAML), through the linter, so selection and per-file ignores apply."""
    doc = Document.unreadable(path, reason)
    if code != "FM004":
        doc = replace(doc, problem=FrontMatterProblem(code, reason, Span(0, 0)))
    return linter.lint(doc, display_path(path)).result


def _site_problems(sites: Sites, files: Sequence[Path], rules: Sequence[Rule]) -> list[tuple[Path, str, str]]:
    """(path, why, code) for each site of the run: a ``_config.yml`` that cannot be used
    (and the rules that did not run for want of it), inputs that link out of the site."""
    found: list[tuple[Path, str, str]] = []
    skipped = ", ".join(sorted(r.code for r in rules if CONFIG_NAME in r.site_inputs))
    roots = {id(s): s for s in map(sites.site_for, files) if s is not None}
    for site in sorted(roots.values(), key=lambda s: s.root):
        if site.config_problem is not None:
            code = (
                "FM002"
                if "YAML" in site.config_problem or "epilint does not read" in site.config_problem
                else "FM004"
            )
            message = (
                f"{site.config_problem}; the site's settings (time zone, `future`, actors …) are unknown"
            )
            if skipped:
                message += f", so these rules were not run for its posts: {skipped}"
            found.append((site.root / CONFIG_NAME, message, code))
        found.extend((Path(path), why, "FM004") for path, why in sorted(site.refused.items()))
    return found


def guarded(
    lint_one: Callable[[_T, str], Linted], path_of: Callable[[_T], Path]
) -> Callable[[_T, str], Linted]:
    """``lint_one`` that turns an internal error (a bug) into a failed result for that
    file: one file's failure never ends the run (configuration errors still do)."""

    def lint(item: _T, display: str) -> Linted:
        try:
            return lint_one(item, display)
        except ConfigError:
            raise
        except Exception as exc:
            return failed(path_of(item), display, exc)

    return lint


def site_inputs(rules: Sequence[Rule]) -> tuple[str, ...]:
    """The site-wide inputs the rules declare (their union, sorted)."""
    return tuple(sorted({name for r in rules for name in r.site_inputs}))


def _lint_all(
    linter: Linter,
    paths: Sequence[Path],
    displays: Sequence[str],
    documents: dict[Path, Document],
    cache: ResultsCache | None,
    *,
    internal: list[str],
) -> tuple[FileResult, ...]:
    """Every file's result in order: cache hits here, the rest linted (in parallel when
    there are many, ``epilint/run/pool.py``) and stored in the cache. Internal errors
    (per file, or a worker that died) are added to ``internal``."""
    if documents:  # already read for the online phase: lint those, in this process
        lint = guarded(linter.lint, lambda doc: doc.path)
        done = [lint(documents[p], d) for p, d in zip(paths, displays, strict=True)]
        internal.extend(f"{d.result.display}: {d.failure}" for d in done if d.failure)
        return tuple(d.result for d in done)
    results: list[FileResult | None] = [None] * len(paths)
    todo: list[int] = []
    for index, path in enumerate(paths):
        hit = cache.lookup(path, displays[index]) if cache is not None else None
        if hit is not None:
            results[index] = hit
        else:
            todo.append(index)
    batch = pool.lint_all(
        guarded(linter.lint_path, Path),
        [paths[i] for i in todo],
        [displays[i] for i in todo],
        # A database connection must not cross the pool's fork: closed, opened again after.
        before_fork=cache.store.release if cache is not None else None,
    )
    internal.extend(batch.problems)
    encoded = batch.encoded or [None] * len(todo)
    for index, item, text in zip(todo, batch.results, encoded, strict=True):
        if item.failure is not None:
            internal.append(f"{item.result.display}: {item.failure}")
        elif cache is not None:
            cache.remember(item, text)
        results[index] = item.result
    return tuple(r for r in results if r is not None)


def _fix(
    linter: Linter,
    paths: Sequence[Path],
    documents: dict[Path, Document],
    request: Request,
    internal: list[str],
) -> Outcome:
    if request.stdin is not None:  # `-`: the fixed text goes to stdout, nothing is written
        planned = plan(linter, paths, unsafe=request.unsafe, documents=documents, internal=internal)
        done = engine.preview(planned)
        if request.mode is Mode.FIX:
            (item,) = planned.files
            fixed = (done.fixed, done.fixed_files)
            notes = tuple(f"{display}: {problem}" for display, problem in done.problems)
            return Outcome(
                RunResult(done.files), fixed, None, notes, applied=_applied(done), fixed_text=item.after
            )
        return Outcome(
            RunResult(done.files), done.counts, done.diff, tuple(done.notes), applied=_applied(done)
        )
    done = fix(
        linter,
        paths,
        unsafe=request.unsafe,
        write=request.mode is Mode.FIX,
        documents=documents,
        internal=internal,
    )
    return Outcome(RunResult(done.files), done.counts, done.diff, tuple(done.notes), applied=_applied(done))


def _applied(done: engine.Outcome) -> tuple[tuple[str, str, str], ...]:
    return tuple((display, v.code, v.fix.title if v.fix is not None else "") for display, v in done.applied)


def _suppress(linter: Linter, results: Sequence[FileResult], documents: dict[Path, Document]) -> Outcome:
    """``--add-suppressions``: write a comment for each finding of ``results``."""
    from epilint.fix import suppressions

    def lint(doc: Document, display: str) -> FileResult:
        return linter.lint(doc, display).result

    plans: list[engine.FilePlan] = []
    comments = 0
    for result in results:
        if not result.violations:
            continue
        doc = documents.get(result.path) or read_document(result.path)
        original = engine.Checked(doc, lint(doc, result.display))
        planned, added = suppressions.plan(lint, original, result)
        plans.append(planned)
        if planned.changed:
            comments += added
    done = engine.apply(engine.Plan(tuple(plans)))
    scope = (
        f"added {comments} suppression comment{_s(comments)} for {done.fixed} finding{_s(done.fixed)} "
        f"in {done.fixed_files} file{_s(done.fixed_files)}",
    )
    return Outcome(RunResult(tuple(results)), notes=tuple(done.notes), scope=scope)


def plan(
    linter: Linter,
    paths: Sequence[Path],
    *,
    unsafe: bool,
    documents: dict[Path, Document] | None = None,
    internal: list[str] | None = None,
) -> engine.Plan:
    """What fixing ``paths`` would do: each file linted and fixed in passes through
    ``linter`` (the run's own, online answers included); nothing is written. A file whose
    lint or fixing raises (a bug) is left as it is, with an empty result, and the error is
    added to ``internal``."""
    plans = []
    for path in paths:
        doc = (documents or {}).get(path) or read_document(path)
        display = display_path(path)
        try:
            original = engine.Checked(doc, linter.lint(doc, display).result)
            plans.append(plan_document(linter, original, unsafe=unsafe))
        except ConfigError:
            raise
        except Exception as exc:
            if internal is None:
                raise
            internal.append(f"{display}: {failure_text(exc)}")
            empty = engine.Checked(doc, failed(path, display, exc).result)
            plans.append(engine.FilePlan(empty, empty))
    return engine.Plan(tuple(plans))


def fix(
    linter: Linter,
    paths: Sequence[Path],
    *,
    unsafe: bool,
    write: bool,
    documents: dict[Path, Document] | None = None,
    internal: list[str] | None = None,
) -> engine.Outcome:
    """``--fix`` (``write``) or ``--diff``: plan every file, then write the changes or
    render them as a diff (nothing is written before every file is planned)."""
    planned = plan(linter, paths, unsafe=unsafe, documents=documents, internal=internal)
    return engine.apply(planned) if write else engine.preview(planned)


def _remember(
    key: str,
    cache: ResultsCache,
    sites: Sites,
    posts: Posts,
    files: Sequence[Path],
    *,
    report: memo.Report,
    collection_rules: bool,
    early: dict[str, memo.Stamp],
    feed_inputs: Sequence[str] = (),
) -> None:
    """Store the run's report with every file it depends on (``epilint/run/memo.py``), the
    inputs of the sites' feed predictions included, stamped as they were before the run
    read them (``early``) where known."""
    depends, expires, facts = cache.inputs(files)
    paths = _memo_inputs(files, sites, posts, every_post=collection_rules or facts)
    memo.store(cache.store, key, report, [*paths, *depends, *feed_inputs], expires, early=early)


def _left_out(root: Path, view: SiteFeed) -> frozenset[str]:
    """The posts of the site at ``root`` its feeds leave out (no episodes: the collection
    rules neither judge nor count them), as the paths the site's listing holds."""
    return frozenset(os.path.join(root, *name.split("/")) for name in view.skipped if view.leaves_out(name))


def _roots(files: Sequence[Path], sites: Sites) -> list[Path]:
    return sorted({s.root for s in map(sites.site_for, files) if s is not None})


def _covers(files: Sequence[Path], sites: Sites, posts: Posts) -> bool:
    """Whether the run lints at least half the posts of each of its sites: the whole-run
    memo is for such runs (its stamps cover every post). A run over a few posts of a
    large site is answered from the store's rows instead, without a stamp of every post
    for the memo."""
    counts: dict[Path, int] = {}
    for site in map(sites.site_for, files):
        if site is not None:
            counts[site.root] = counts.get(site.root, 0) + 1
    return all(2 * count >= len(posts.names(root)) for root, count in counts.items())


def _memo_inputs(files: Sequence[Path], sites: Sites, posts: Posts, *, every_post: bool) -> list[str]:
    """The linted files and, with ``every_post``, every post of their sites and the folders
    their listing was made from (collection rules and site facts see a post added or removed)."""
    paths = [os.path.abspath(p) for p in files]
    if every_post:
        for root in _roots(files, sites):
            paths.extend(posts.folders(root))
            paths.extend(posts.names(root))
    return paths


def progress_wanted(fmt: str) -> bool:
    """Online progress on stderr: only for the text format on a terminal."""
    return fmt == "text" and sys.stderr.isatty()
