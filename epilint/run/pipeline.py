"""The one path of every run: discover → (online phase) → lint or fix → collection → report.

``check``, ``--fix`` and ``--diff`` all go through ``run``: the same linter lints every
document (and, when fixing, every fixed text), with every run-level phase — the online
link check before linting, the collection rules after — in every mode. The CLI builds a
``Request`` from its flags and hands the report rendering in as a function, so this
module never imports the output formats.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import TypeVar

from epilint.config.settings import Settings
from epilint.errors import ConfigError
from epilint.fix import engine
from epilint.lint import registry
from epilint.lint.linter import Linter
from epilint.lint.registry import Rule
from epilint.lint.results import FileResult, Linted, RunResult, failed, failure_text
from epilint.model import Span
from epilint.read.document import Document, FrontMatterProblem
from epilint.read.source import display_path, read_document
from epilint.run import collection, discovery, pool
from epilint.run.cache import ResultsCache
from epilint.schema.load import EpisodeSchema
from epilint.site.collection import Summary
from epilint.site.jekyll import CONFIG_NAME
from epilint.site.sites import Sites

_T = TypeVar("_T", Path, Document)


class Mode(str, Enum):
    CHECK = "check"
    FIX = "fix"
    DIFF = "diff"


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


@dataclass(frozen=True)
class Outcome:
    result: RunResult
    #: ``--fix``: (violations, files) fixed.
    fixed: tuple[int, int] | None = None
    #: ``--diff``: the unified diff ("" when nothing would change).
    diff: str | None = None
    #: Lines for stderr (files left untouched and why; ``--diff``'s count).
    notes: tuple[str, ...] = ()
    #: The rendered report, when the run rendered it (the memo answered, or stored it).
    report: str | None = None
    #: Violations in the report (the memo's answer carries no result).
    violations: int = 0
    #: Internal errors (bugs) met on the way, for stderr: the run's results are incomplete
    #: and it ends with the internal-error exit status.
    internal: tuple[str, ...] = ()


Render = Callable[[RunResult, "tuple[int, int] | None"], str]


def run(request: Request, render: Render | None = None) -> Outcome:
    """Run one request. With ``render`` the run may answer from, or store into, the
    whole-run memo (``epilint/run/memo.py``), and then returns the rendered report."""
    settings = request.settings
    rules = registry.select(settings.select, settings.ignore, online=settings.online)
    sites = Sites(settings.site_root)
    found = discovery.discover(request.paths, settings, sites.real)
    if found.missing:
        raise ConfigError(f"no such file or folder: {found.missing[0]}")
    files = found.files
    if request.since is not None:
        from epilint.run import git

        files = git.keep_changed(files, git.changed_files(request.since))
    linter = Linter(settings, request.schema, rules, sites)
    inputs = site_inputs(rules)

    def fingerprint(path: Path) -> str:
        site = sites.site_for(path)
        return site.fingerprint(inputs) if site is not None else ""

    cache: ResultsCache | None = None
    memo_key: str | None = None
    early: dict[str, tuple[str, int, int, int, int]] = {}
    # Network answers and fixes bypass the caches.
    if settings.cache and not settings.online and request.mode is Mode.CHECK:
        from epilint.run import cache as cache_mod
        from epilint.run import memo

        key = cache_mod.run_key(settings, request.schema, (r.code for r in rules))
        folder = cache_mod.location(settings)
        if folder is not None:  # None: the cache folder is a link out of the site, no cache
            if render is not None:
                prints = sorted(
                    {(str(s.root), s.fingerprint(inputs)) for s in map(sites.site_for, files) if s}
                )
                refused = [[os.fspath(p), why] for p, why in found.refused]
                identity = [
                    key,
                    *request.report_options,
                    os.getcwd(),
                    [os.fspath(p) for p in files],
                    refused,
                    prints,
                ]
                memo_key = memo.key(identity)
                remembered = memo.load(folder, memo_key)
                if remembered is not None:  # nothing changed since the same run: its report stands
                    return Outcome(RunResult(()), report=remembered.output, violations=remembered.violations)
                # Stamped before anything is read: a file edited while this run reads it keeps
                # the older stamp in the memo, so the next run sees the change.
                early = {p: memo.stamp(p) for p in _memo_inputs(files, sites, posts=True)}

            def site_fact(path: Path, name: str) -> str | None:
                site = sites.site_for(path)
                return site.fact(name) if site is not None else None

            cache = cache_mod.ResultsCache.open(folder, key, fingerprint, site_fact)
    documents: dict[Path, Document] = {}
    phase_notes: list[str] = []
    if settings.online and any(r.reads_online for r in rules):
        from epilint.run import online

        documents = {path: read_document(path) for path in files}
        phase = online.Phase(settings, online.Options(settings.online_settings), progress=request.progress)
        linter = linter.with_link_status(phase([linter.context(doc) for doc in documents.values()]))
        phase_notes = phase.notes
    displays = [display_path(p) for p in files]
    outcome = Outcome(RunResult(()))
    internal: list[str] = []
    if request.mode is Mode.CHECK:
        results = _lint_all(linter, files, displays, documents, cache, internal=internal)
    else:
        outcome = _fix(linter, files, documents, request, internal)
        results = outcome.result.files
    # Folders that cannot be read and symlinks out of the site: one FM004 each; a site
    # whose _config.yml cannot be used, or whose inputs link out of it: reported there.
    not_read = [*((p, why, "FM004") for p, why in found.refused), *_site_problems(sites, files, rules)]
    results = (*results, *(_refused(linter, path, reason, code) for path, reason, code in not_read))
    collection_rules = [r for r in rules if r.collection]

    def summarize(path: Path) -> Summary | None:
        known = cache.summary(path) if cache is not None else None
        if known is not None:
            return known
        try:
            return linter.summary_of(read_document(path))
        except ConfigError:
            raise
        except Exception as exc:  # a bug: this post is left out; the others go on
            internal.append(
                f"{display_path(path)}: {failure_text(exc)} (summarising it for the collection rules)"
            )
            return None

    judge = collection.Judge(
        collection_rules, sites, request.schema, settings, summarize, linter.finish, internal.append
    )
    result = RunResult(judge(results))
    outcome = Outcome(
        result,
        outcome.fixed,
        outcome.diff,
        (*phase_notes, *outcome.notes),
        violations=result.count,
        internal=tuple(internal),
    )
    if internal:
        return outcome  # nothing of an incomplete run is remembered
    if cache is not None:
        cache.save()
        if memo_key is not None and render is not None:
            rendered = render(result, None)
            _remember(
                memo_key,
                cache,
                sites,
                files,
                (rendered, result.count),
                collection_rules=bool(collection_rules),
                early=early,
            )
            return Outcome(result, report=rendered, violations=result.count)
    return outcome


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


def site_inputs(rules: Sequence[Rule]) -> tuple[str, ...]:
    """The site-wide inputs the rules declare (their union, sorted)."""
    return tuple(sorted({name for r in rules for name in r.site_inputs}))


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
        guarded(linter.lint_path, Path), [paths[i] for i in todo], [displays[i] for i in todo]
    )
    internal.extend(batch.problems)
    for index, item in zip(todo, batch.results, strict=True):
        if item.failure is not None:
            internal.append(f"{item.result.display}: {item.failure}")
        elif cache is not None:
            cache.store(item)
        results[index] = item.result
    return tuple(r for r in results if r is not None)


def _fix(
    linter: Linter,
    paths: Sequence[Path],
    documents: dict[Path, Document],
    request: Request,
    internal: list[str],
) -> Outcome:
    done = fix(
        linter,
        paths,
        unsafe=request.unsafe,
        write=request.mode is Mode.FIX,
        documents=documents,
        internal=internal,
    )
    return Outcome(RunResult(done.files), done.counts, done.diff, tuple(done.notes))


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

    def lint(doc: Document, display: str) -> FileResult:
        return linter.lint(doc, display).result

    plans = []
    for path in paths:
        doc = (documents or {}).get(path) or read_document(path)
        display = display_path(path)
        try:
            original = engine.Checked(doc, lint(doc, display))
            plans.append(engine.plan_file(lint, original, unsafe=unsafe))
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
    files: Sequence[Path],
    report: tuple[str, int],
    *,
    collection_rules: bool,
    early: dict[str, tuple[str, int, int, int, int]],
) -> None:
    """Store the run's report with every file it depends on (``epilint/run/memo.py``),
    stamped as they were before the run read them (``early``) where known."""
    from epilint.run import memo

    depends, expires, facts = cache.inputs(files)
    paths = _memo_inputs(files, sites, posts=collection_rules or facts)
    memo.store(cache.folder, key, memo.Report(*report), [*paths, *depends], expires, early=early)


def _memo_inputs(files: Sequence[Path], sites: Sites, *, posts: bool) -> list[str]:
    """The linted files and, with ``posts``, every post of their sites and the folders
    holding them (collection rules and site facts see a post added or removed)."""
    paths = [os.path.abspath(p) for p in files]
    if posts:
        for root in sorted({s.root for s in map(sites.site_for, files) if s is not None}):
            for folder, _dirs, names in os.walk(root / "_posts"):
                paths.append(folder)
                paths.extend(os.path.join(folder, name) for name in names)
    return paths


def progress_wanted(fmt: str) -> bool:
    """Online progress on stderr: only for the text format on a terminal."""
    return fmt == "text" and sys.stderr.isatty()
