"""Find the files, read each once, run the selected rules, and collect the results.

Nothing here prints; the CLI hands the results to a formatter.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from epilint import config as config_mod
from epilint import registry, suppress
from epilint.config import Settings
from epilint.context import Context
from epilint.document import Document
from epilint.model import Violation
from epilint.positions import NOWHERE, Locator, Positions, offsets
from epilint.realpaths import RealPaths
from epilint.schema import EpisodeSchema
from epilint.site import Site, find_site_root
from epilint.suppress import Suppressions

if TYPE_CHECKING:
    from epilint.cache import ResultsCache
    from epilint.collection import Summary

#: Larger files are reported (FM004) instead of parsed: no episode page is this big.
MAX_FILE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class FileResult:
    """One file's findings and what the report needs to show them (no document)."""

    path: Path
    display: str
    violations: tuple[Violation, ...]
    #: Line and column of every offset the violations and the summary name.
    positions: Positions = NOWHERE
    #: The file's suppression comments, for violations the collection phase adds.
    suppressions: Suppressions = suppress.NONE
    #: What the post contributes to collection rules (None: not a post of a site).
    summary: Summary | None = None

    @staticmethod
    def of(
        doc: Document, display: str, violations: tuple[Violation, ...], summary: Summary | None = None
    ) -> FileResult:
        """The result for ``doc``, its positions looked up while the text is at hand."""
        positions = NOWHERE
        if violations or summary is not None:
            positions = Positions.of(doc.lines, offsets(violations, summary))
        return FileResult(doc.path, display, violations, positions, suppress.parse(doc), summary)


@dataclass(frozen=True)
class Linted:
    """A file linted from its bytes, with what the results cache keys the result on."""

    result: FileResult
    #: Digest of the bytes linted; None when the file could not be read (not cached).
    digest: str | None = None
    #: Files besides the document and the site-wide inputs the result depends on.
    dependencies: tuple[str, ...] = ()
    #: When the result stops being true by the clock alone (POSIX time), if ever.
    expires: float | None = None


@dataclass(frozen=True)
class RunResult:
    files: tuple[FileResult, ...]

    @property
    def violations(self) -> Iterator[tuple[FileResult, Violation]]:
        for result in self.files:
            for violation in result.violations:
                yield result, violation

    @property
    def count(self) -> int:
        return sum(len(r.violations) for r in self.files)


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to the current directory when below it, with ``/`` separators."""
    if not path.is_absolute():  # (cwd / path).relative_to(cwd), without the detour
        return path.as_posix()
    base = cwd or Path.cwd()
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def read_document(path: Path) -> Document:
    """Read and split one file; every failure becomes an FM004/FM001/FM002 document."""
    raw = read_bytes(path)
    return raw if isinstance(raw, Document) else decode_document(path, raw)


def read_bytes(path: Path) -> bytes | Document:
    """The file's bytes, or an FM004 document when it cannot be read or is too big."""
    try:
        with path.open("rb") as handle:
            # Sized by the file: ``read(MAX_FILE_BYTES + 1)`` alone allocates that much.
            expected = os.fstat(handle.fileno()).st_size
            raw = handle.read(min(expected, MAX_FILE_BYTES) + 1)
            if len(raw) > expected:  # it grew, or is not a regular file: read on to the limit
                raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
    except OSError as exc:
        return Document.unreadable(path, f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > MAX_FILE_BYTES:
        return Document.unreadable(
            path, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not an episode page"
        )
    return raw


def split_bom(raw: bytes) -> tuple[bytes, bool]:
    """The bytes after a UTF-8 byte order mark, and whether there was one."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    return (raw[3:] if bom else raw), bom


def decode_document(path: Path, raw: bytes) -> Document:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Document.unreadable(
            path, "the file is UTF-16, not UTF-8; Jekyll reads posts as UTF-8 and shows garbage"
        )
    body, bom = split_bom(raw)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = body[: exc.start].decode("utf-8", "replace")
        kind = "binary data" if b"\x00" in body[:8192] else "not valid UTF-8"
        return Document.unreadable(
            path,
            f"the file is {kind} (byte 0x{body[exc.start]:02x} at byte {exc.start + (3 if bom else 0)}); "
            "Jekyll reads posts as UTF-8",
            len(prefix),
            body.decode("utf-8", "replace"),
        )
    nul = text.find("\x00")
    if nul >= 0:
        return Document.unreadable(
            path, "the file contains NUL bytes (binary data); Jekyll reads posts as UTF-8 text", nul, text
        )
    return Document.parse(path, text, bom=bom)


class Linter:
    """One run's shared state: settings, the compiled schema, sites, selected rules."""

    def __init__(
        self,
        settings: Settings,
        schema: EpisodeSchema,
        cache: ResultsCache | None = None,
        real: RealPaths | None = None,
    ) -> None:
        self.settings = settings
        self.schema = schema
        #: Results of earlier runs (``epilint/cache.py``); None runs every file.
        self.cache = cache
        self._sites: dict[Path, Site | None] = {}
        self._folder_sites: dict[str, Site | None] = {}
        #: Real paths, shared with discovery (``discover(..., real=linter.real)``).
        self.real = real or RealPaths()
        rules = registry.load_rules()
        self.rules = [
            r
            for r in rules.values()
            if registry.is_selected(r.code, settings.select, settings.ignore)
            and (settings.online or not r.online)
        ]
        self.file_rules = [r for r in self.rules if r.scope is registry.Scope.FILE]
        self.collection_rules = [r for r in self.rules if r.scope is registry.Scope.COLLECTION]
        self._supersedes = {r.code: r.supersedes for r in rules.values() if r.supersedes}
        #: Run-level phases: each sees every file's context before the file rules run
        #: (``--online`` gathers all URLs there, so each URL is fetched once per run).
        self.phases: list[Callable[[Sequence[Context]], None]] = []

    def site_for(self, path: Path) -> Site | None:
        root = self.settings.site_root
        if root is None:
            folder = self.real.folder(path)
            try:
                return self._folder_sites[folder]
            except KeyError:
                found = find_site_root(Path(folder))
                site = self._folder_sites[folder] = self._site(found) if found else None
                return site
        return self._site(root)

    def _site(self, root: Path) -> Site:
        site = self._sites.get(root)
        if site is None:
            site = Site.load(root.resolve())
            self._sites[root] = self._sites[site.root] = site
        return site

    def context(self, doc: Document) -> Context:
        site = self.site_for(doc.path)
        site_path = doc.path.name
        if site is not None:
            real = self.real.key(doc.path)
            root = site.root_prefix
            if real.startswith(root):
                site_path = real[len(root) :].replace(os.sep, "/")
        return Context(doc, self.schema, self.settings, site, site_path)

    def check(self, doc: Document, display: str) -> tuple[Violation, ...]:
        """All selected file-rule violations of one document, filtered and sorted."""
        return self.lint_context(self.context(doc), display).result.violations

    def lint_document(self, doc: Document, display: str) -> Linted:
        return self.lint_context(self.context(doc), display)

    def lint_context(self, ctx: Context, display: str) -> Linted:
        """Run the file rules on one document; summarise it for the collection rules."""
        found: list[Violation] = []
        for rule in self.file_rules:
            found.extend(rule.check(ctx))
        summary = None
        if self.collection_rules:
            from epilint.collection import summarize

            summary = summarize(ctx)
        doc = ctx.doc
        violations = self.finish(display, found, suppress.parse(doc), doc.lines)
        dependencies: tuple[str, ...] = ()
        if self.cache is not None:
            from epilint.cache import dependencies_of

            dependencies = dependencies_of(ctx)
        return Linted(FileResult.of(doc, display, violations, summary), None, dependencies, ctx.expires)

    def finish(
        self, display: str, found: Iterable[Violation], suppressions: Suppressions, lines: Locator
    ) -> tuple[Violation, ...]:
        """Drop superseded, suppressed and per-file-ignored violations; sort the rest."""
        items = list(found)
        if not items:
            return ()
        items = _drop_superseded(items, self._supersedes)
        ignored = config_mod.ignores_for(self.settings, display)
        kept = [
            v
            for v in items
            if not any(v.code.startswith(prefix) for prefix in ignored)
            and (not suppressions or suppressions.allows(v, lines.position(v.span.start)[0]))
        ]
        kept.sort(key=lambda v: (v.span.start, v.code, v.span.end))
        return tuple(_unique(kept))

    def lint_path(self, path: Path, display: str) -> Linted:
        """Read, parse and lint one file (the results cache is not consulted)."""
        raw = read_bytes(path)
        if isinstance(raw, Document):  # unreadable: nothing to key a cache entry on
            return self.lint_document(raw, display)
        doc = decode_document(path, raw)
        linted = self.lint_document(doc, display)
        if self.cache is None or (doc.problem is not None and doc.problem.code == "FM004"):
            return linted
        from epilint.cache import digest

        return replace(linted, digest=digest(raw))

    def lint_file(self, path: Path) -> FileResult:
        """One file's result (from the results cache when still valid), without the
        collection rules, which need the whole run (``lint``)."""
        return self._lint_all((path,))[0]

    def lint(self, paths: Sequence[Path]) -> RunResult:
        if not self.phases:
            result = RunResult(self._lint_all(paths))
        else:
            cwd = Path.cwd()
            contexts = [self.context(read_document(p)) for p in paths]
            for phase in self.phases:
                phase(contexts)
            result = RunResult(
                tuple(self.lint_context(ctx, display_path(ctx.doc.path, cwd)).result for ctx in contexts)
            )
        result = self.with_collection(result)
        if self.cache is not None:
            self.cache.save()
        return result

    def _lint_all(self, paths: Sequence[Path]) -> tuple[FileResult, ...]:
        """Every file's result in order: cache hits here, the rest linted (in parallel
        when there are many, ``epilint/parallel.py``) and stored in the cache."""
        from epilint import parallel

        cwd = Path.cwd()
        displays = [display_path(p, cwd) for p in paths]
        results: list[FileResult | None] = [None] * len(paths)
        todo: list[int] = []
        cache = self.cache
        for index, path in enumerate(paths):
            hit = cache.lookup(self, path, displays[index]) if cache is not None else None
            if hit is not None:
                results[index] = hit
            else:
                todo.append(index)
        linted = parallel.lint_all(self, [paths[i] for i in todo], [displays[i] for i in todo])
        for index, item in zip(todo, linted, strict=True):
            if cache is not None and item.digest is not None:
                cache.store(self, item)
            results[index] = item.result
        return tuple(r for r in results if r is not None)

    def with_collection(self, result: RunResult) -> RunResult:
        """Add the collection rules' findings: each post judged against its whole site.

        The site's other posts are summarised on demand (from the results cache when it
        knows them), so a run over one staged file still sees every episode number.
        """
        if not self.collection_rules:
            return result
        from epilint.collection import Collections

        collections = Collections(
            lambda root: _walk(root, self.settings), self._summary_from_disk, self.real.key
        )
        for item in result.files:
            collections.register(item.path, item.summary)
        files = []
        for item in result.files:
            summary = item.summary
            site = self.site_for(item.path) if summary is not None else None
            if summary is None or site is None:
                files.append(item)
                continue
            # Collection rules read the summaries only, never the document's text.
            ctx = Context(Document(item.path, ""), self.schema, self.settings, site, summary.site_path)
            ctx.summary, ctx.site_index = summary, collections.index(site.root)
            found = [v for r in self.collection_rules for v in r.check(ctx)]
            if not found:
                files.append(item)
                continue
            merged = self.finish(item.display, [*item.violations, *found], item.suppressions, item.positions)
            files.append(replace(item, violations=merged))
        return RunResult(tuple(files))

    def _summary_from_disk(self, path: Path) -> Summary | None:
        """The summary of a post this run did not lint (cached, else read and parsed)."""
        site = self.site_for(path)
        if self.cache is not None and site is not None:
            cached = self.cache.summary(path, site.fingerprint)
            if cached is not None:
                return cached
        from epilint.collection import summarize

        return summarize(self.context(read_document(path)))


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


@dataclass(frozen=True)
class Discovery:
    files: tuple[Path, ...]
    missing: tuple[Path, ...] = field(default=())


def discover(paths: Sequence[Path], settings: Settings, real: RealPaths | None = None) -> Discovery:
    """Files to lint: explicit files whatever their extension; folders walked for episodes.

    ``real`` (the linter's) keeps the real paths found here for the rest of the run.
    """
    found: list[Path] = []
    missing: list[Path] = []
    seen: set[str] = set()
    real = real or RealPaths()
    base = settings.base_dir
    if not paths:
        if settings.include:
            for pattern in settings.include:
                for path in sorted(base.glob(pattern)):
                    if path.is_file() and not _excluded(path, settings, base):
                        _add(found, seen, path, real)
            return Discovery(tuple(found))
        root = settings.site_root or find_site_root(Path.cwd()) or Path.cwd()
        posts = root / "_posts"
        paths = [posts if posts.is_dir() else root]
    for path in paths:
        if path.is_dir():
            for file in _walk(path, settings):
                _add(found, seen, file, real)
        elif path.exists():
            _add(found, seen, path, real)
        else:
            missing.append(path)
    return Discovery(tuple(found), tuple(missing))


def _add(found: list[Path], seen: set[str], path: Path, real: RealPaths) -> None:
    key = real.key(path)
    if key not in seen:
        seen.add(key)
        found.append(path)


def _excluded(path: Path, settings: Settings, base: Path) -> bool:
    if not settings.exclude:
        return False
    try:
        relative = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(fnmatch.fnmatchcase(relative, pattern) for pattern in settings.exclude)


def _walk(root: Path, settings: Settings) -> Iterator[Path]:
    """Episode files below ``root`` in sorted order; skips build output and symlink loops.

    Inside a Jekyll site (a folder with ``_config.yml`` above it) only posts are
    episodes: files in a ``_posts`` folder. Pages, ``_actors/`` documents, includes and
    READMEs are not linted unless named explicitly.
    """
    base = settings.base_dir
    visited: set[tuple[int, int]] = set()
    sites: dict[Path, Path | None] = {}
    for folder, dirs, files in os.walk(root, followlinks=True):
        try:
            stat = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in visited:
            dirs[:] = []
            continue
        visited.add(key)
        dirs[:] = sorted(d for d in dirs if d not in config_mod.SKIP_DIRS)
        here = Path(folder)
        if here not in sites:
            sites[here] = find_site_root(here)
        site = sites[here]
        if site is not None and "_posts" not in _parts_below(here, site):
            continue
        for name in sorted(files):
            if name.lower().endswith(settings.extensions):
                path = here / name
                if not _excluded(path, settings, base):
                    yield path


def _parts_below(folder: Path, root: Path) -> tuple[str, ...]:
    try:
        return folder.resolve().relative_to(root).parts
    except ValueError:
        return ()
