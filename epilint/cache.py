"""The results cache: skip re-linting files whose inputs have not changed.

A run reads ONE cache file (``.epilint_cache/results.json`` at the site root, else
the current folder, or in ``$EPILINT_CACHE_DIR``) and writes it back once, atomically, when something changed.
A file's cached violations are reused only when all of these are unchanged:

- the run key: epilint's version and code, the effective settings, the schema's
  contents (and the files it references) and the selected rules;
- the file's bytes (a BLAKE2 digest: far cheaper than parsing) and displayed path;
- the site's fingerprint (``Site.fingerprint``: ``_config.yml``, ``_data/``,
  ``_layouts/``, ``_actors/``);
- the files the rules declared through ``ctx.depends_on`` (and the file the
  ``audio-path`` field names), by size and modification time, or their absence;
- the clock, when a rule said its answer expires (``ctx.valid_until``).

Violations are stored as plain JSON and rebuilt as the same frozen records, so a
warm run prints exactly what a cold run prints. A missing, corrupt or foreign cache
file is ignored; a folder that cannot be written (a read-only checkout) means no
cache, silently. Concurrent runs each replace the file atomically (last writer
wins); a reader never sees a half-written file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from epilint import __version__
from epilint.document import Document
from epilint.model import Applicability, Edit, Fix, Severity, Span, Violation

if TYPE_CHECKING:
    from epilint.collection import Summary
    from epilint.config import Settings
    from epilint.context import Context
    from epilint.runner import FileResult, Linter
    from epilint.schema import EpisodeSchema

FOLDER = ".epilint_cache"
FILE_NAME = "results.json"
FORMAT = "epilint-results"
FORMAT_VERSION = 3
#: Schema roles whose value names a file of the site that rules may read.
FILE_ROLES = ("audio-path",)
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# epilint results cache\n"

Stamp = list[Any]  # [path, size, mtime_ns]; size -1 when the file does not exist
# [display, digest, site fingerprint, [Stamp, ...], [violation, ...], expires, summary]
Entry = list[Any]


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


#: Environment variable naming the cache folder itself (tests, unusual layouts).
ENV_FOLDER = "EPILINT_CACHE_DIR"


def location(settings: Settings) -> Path:
    """The cache folder: ``$EPILINT_CACHE_DIR``, else ``.epilint_cache`` at the site root
    (``--site-root``, or the site around the current folder), else in the current folder."""
    from epilint.site import find_site_root

    override = os.environ.get(ENV_FOLDER)
    if override:
        return Path(override)
    cwd = Path.cwd()
    return (settings.site_root or find_site_root(cwd) or cwd) / FOLDER


def run_key(settings: Settings, schema: EpisodeSchema, codes: Iterable[str]) -> str:
    """Everything that changes every file's results: version, code, settings, schema, rules."""
    from epilint import config
    from epilint.schema import _local_resources

    package = Path(__file__).parent
    code = sorted(
        (str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns) for p in package.rglob("*.py")
    )
    key = {
        "epilint": __version__,
        "code": code,
        "settings": config.as_mapping(settings),
        "extensions": settings.extensions,
        "schema": schema.raw,
        "schema_refs": _local_resources(schema.path, schema.raw),
        "rules": sorted(codes),
    }
    return digest(json.dumps(key, sort_keys=True, default=str).encode())


class ResultsCache:
    """The entries of one cache file, looked up and updated during one run."""

    def __init__(self, folder: Path, key: str, entries: dict[str, Entry]) -> None:
        self.folder = folder
        self.key = key
        self.entries = entries
        self.dirty = False
        self._stamps: dict[str, Stamp] = {}

    @classmethod
    def open(cls, folder: Path, key: str) -> ResultsCache:
        """Read the cache file in ``folder``; anything unusable starts an empty cache."""
        return cls(folder, key, _load(folder / FILE_NAME, key))

    # -- one file -----------------------------------------------------------------

    def lint_file(self, linter: Linter, path: Path, display: str) -> FileResult:
        """The file's result from the cache when still valid, else linted and stored."""
        from epilint.runner import FileResult, decode_document, read_bytes, split_bom

        raw = read_bytes(path)
        if isinstance(raw, Document):  # unreadable: cheap to redo, nothing to key on
            return FileResult(path, display, raw, linter.check(raw, display))
        name = os.path.abspath(path)
        content = digest(raw)
        site = linter.site_for(path)
        site_print = site.fingerprint if site is not None else ""
        hit = self._lookup(name, display, content, site_print)
        if hit is not None:
            body, bom = split_bom(raw)
            if linter.collection_rules:
                linter.summaries[path.resolve()] = _load_summary(self.entries[name][6])
            return FileResult(path, display, Document.split(path, body.decode("utf-8"), bom=bom), hit)
        doc = decode_document(path, raw)
        ctx = linter.context(doc)
        violations = linter.run_rules(ctx, display)
        if doc.problem is None or doc.problem.code != "FM004":
            stamps = [self._stamp(p) for p in sorted(_dependencies(ctx))]
            summary = linter.summaries.get(path.resolve())
            self.entries[name] = [
                display,
                content,
                site_print,
                stamps,
                _dump(violations),
                ctx.expires,
                None if summary is None else summary.to_json(),
            ]
            self.dirty = True
        return FileResult(path, display, doc, violations)

    def summary(self, path: Path, site_print: str) -> Summary | None:
        """A post's collection summary when its cache entry still matches its bytes and site."""
        from epilint.runner import read_bytes

        entry = self.entries.get(os.path.abspath(path))
        if entry is None or entry[6] is None or entry[2] != site_print:
            return None
        raw = read_bytes(path)
        if isinstance(raw, Document) or entry[1] != digest(raw):
            return None
        return _load_summary(entry[6])

    def _lookup(self, name: str, display: str, content: str, site: str) -> tuple[Violation, ...] | None:
        entry = self.entries.get(name)
        try:
            if entry is None or entry[:3] != [display, content, site]:
                return None
            if entry[5] is not None and time.time() >= entry[5]:
                return None
            if any(self._stamp(stamp[0]) != stamp for stamp in entry[3]):
                return None
            return _load_violations(entry[4])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return None  # a damaged entry is a miss

    def _stamp(self, path: str) -> Stamp:
        stamp = self._stamps.get(path)
        if stamp is None:
            try:
                stat = os.stat(path)
                stamp = [path, stat.st_size, stat.st_mtime_ns]
            except (OSError, ValueError):
                stamp = [path, -1, -1]
            self._stamps[path] = stamp
        return stamp

    # -- the cache file -----------------------------------------------------------

    def save(self) -> None:
        """Write the cache file atomically when entries changed; give up silently on errors."""
        if not self.dirty:
            return
        payload = json.dumps(
            {"format": FORMAT, "version": FORMAT_VERSION, "run": self.key, "files": self.entries},
            separators=(",", ":"),
        ).encode("ascii")
        temp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_markers(self.folder)
            temp = str(self.folder / f".{FILE_NAME}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(temp, self.folder / FILE_NAME)
            temp = None
            self.dirty = False
        except OSError:
            pass  # read-only tree, full disk, a file where the folder should be: no cache
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)


def _write_markers(folder: Path) -> None:
    for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
        marker = folder / name
        if not marker.exists():
            marker.write_text(text, encoding="ascii")


def _load(path: Path, key: str) -> dict[str, Entry]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("version") != FORMAT_VERSION
        or data.get("run") != key
        or not isinstance(data.get("files"), dict)
    ):
        return {}
    files: dict[str, Any] = data["files"]
    return {
        name: entry
        for name, entry in files.items()
        if isinstance(entry, list)
        and len(entry) == 7
        and isinstance(entry[3], list)
        and all(isinstance(s, list) and len(s) == 3 and isinstance(s[0], str) for s in entry[3])
        and isinstance(entry[4], list)
        and (entry[5] is None or type(entry[5]) in (int, float))
    }


def _dependencies(ctx: Context) -> set[str]:
    found = {os.path.abspath(p) for p in ctx.dependencies}
    site = ctx.site
    if site is None:
        return found
    root = str(site.root)
    for role in FILE_ROLES:
        field = ctx.field(role)
        scalar = field.scalar if field is not None else None
        value = scalar.value if scalar is not None else None
        if not isinstance(value, str) or not value.strip() or "://" in value or value.startswith("//"):
            continue
        # Only a stamp (size, time) is taken, never the contents; stay inside the site.
        target = os.path.normpath(os.path.join(root, value.strip().lstrip("/")))
        if os.path.commonpath([root, target]) == root:
            found.add(target)
    return found


# -- violations as plain JSON -----------------------------------------------------


def _load_summary(data: Any) -> Summary | None:
    from epilint.collection import Summary

    try:
        return None if data is None else Summary.from_json(data)
    except (TypeError, ValueError):
        return None


def _dump(violations: Sequence[Violation]) -> list[Any]:
    out: list[Any] = []
    for v in violations:
        fix = None
        if v.fix is not None:
            edits = [[e.span.start, e.span.end, e.content] for e in v.fix.edits]
            fix = [v.fix.title, v.fix.applicability.value, edits]
        out.append([v.code, v.rule, v.message, v.span.start, v.span.end, v.severity.value, fix])
    return out


def _load_violations(items: list[Any]) -> tuple[Violation, ...]:
    """Rebuild the frozen records; any malformed item raises (TypeError/ValueError)."""
    out: list[Violation] = []
    for code, rule, message, start, end, severity, fix in items:
        if not all(isinstance(x, str) for x in (code, rule, message)):
            raise TypeError("bad violation")
        loaded_fix = None
        if fix is not None:
            title, applicability, edits = fix
            if not isinstance(title, str):
                raise TypeError("bad fix")
            loaded_fix = Fix(
                title,
                tuple(Edit(_span(s, e), _text(c)) for s, e, c in edits),
                Applicability(applicability),
            )
        out.append(Violation(code, rule, message, _span(start, end), Severity(severity), loaded_fix))
    return tuple(out)


def _span(start: object, end: object) -> Span:
    if type(start) is not int or type(end) is not int:
        raise TypeError("bad span")
    return Span(start, end)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("bad text")
    return value
