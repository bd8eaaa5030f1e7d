"""The settings of a run: the frozen ``Settings`` record, its defaults, and the flags.

Every default lives here once: the config file's parser (``config/file.py``), the CLI
and the online checker take theirs from these records.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from epilint.errors import ConfigError
from epilint.model import Severity

if TYPE_CHECKING:
    import pathspec

#: Every rule (the empty prefix matches every code); ``--select``/``select`` narrow it.
DEFAULT_SELECT = ("",)
DEFAULT_EXTENSIONS = (".md", ".markdown")
SKIP_DIRS = frozenset({"_site", ".git", "node_modules", "vendor", ".jekyll-cache", ".epilint_cache"})
#: ``fail-on``: the least severe finding that makes the run exit 1.
DEFAULT_FAIL_ON = Severity.WARNING
#: What a ``[severity]`` entry may say: a severity, or ``off`` (the rule does not run).
SEVERITY_OFF = "off"
SEVERITY_CHOICES = (Severity.ERROR.value, Severity.WARNING.value, SEVERITY_OFF)
#: ``--output-format`` layouts of the text report (``full``: each finding and its fix).
TEXT_LAYOUTS = ("concise", "grouped", "full")
DEFAULT_LAYOUT = "full"
#: On a terminal, more findings than this are grouped by file unless a layout is chosen.
GROUP_ABOVE = 20
#: ``--color`` choices; ``auto``: colour only on a terminal, and not with ``NO_COLOR``.
COLOR_CHOICES = ("auto", "always", "never")


@dataclass(frozen=True)
class Globs:
    """Gitignore-style patterns (``pathspec``) relative to one folder: the config file's.

    A path matches when its path relative to ``base`` does; paths outside ``base``
    match nothing.
    """

    base: Path
    patterns: tuple[str, ...]

    @cached_property
    def _spec(self) -> pathspec.GitIgnoreSpec:
        import pathspec

        return pathspec.GitIgnoreSpec.from_lines(self.patterns)

    def relative(self, path: Path | str) -> str | None:
        """``path`` relative to ``base`` (posix), or None when it is not below it."""
        for candidate, base in (
            (os.path.abspath(path), os.path.abspath(self.base)),
            (os.path.realpath(path), os.path.realpath(self.base)),
        ):
            relative = os.path.relpath(candidate, base)
            if (
                relative != os.curdir
                and not relative.startswith(os.pardir + os.sep)
                and relative != os.pardir
            ):
                return relative.replace(os.sep, "/")
        return None

    def matches(self, path: Path | str, *, folder: bool = False) -> bool:
        relative = self.relative(path)
        if relative is None:
            return False
        return bool(self._spec.match_file(relative + "/" if folder else relative))

    def __str__(self) -> str:
        return f"{self.base}:{list(self.patterns)}"


@dataclass(frozen=True)
class LinkSettings:
    tracking_params: tuple[str, ...] = ()
    shorteners: tuple[str, ...] = ()
    ignore_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class OnlineSettings:
    timeout: float = 10.0
    concurrency: int = 16
    cache_ttl: int = 86400
    allow_private: bool = False
    #: Seconds for the whole online phase; links not checked by then are LN102.
    time_budget: float = 600.0


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, after the config file and the flags are merged."""

    config_path: Path | None = None
    #: Every config file the settings were read from (``extend`` chains), child first.
    config_files: tuple[Path, ...] = ()
    include: Globs | None = None
    exclude: Globs | None = None
    #: Apply ``exclude`` to files named on the command line too (pre-commit hands them over).
    force_exclude: bool = False
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    schema: Path | None = None
    select: tuple[str, ...] = DEFAULT_SELECT
    ignore: tuple[str, ...] = ()
    #: ``[severity]``: (code or prefix, ``error``/``warning``/``off``); the longest prefix wins.
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: Severity = DEFAULT_FAIL_ON
    site_root: Path | None = None
    per_file_ignores: tuple[tuple[Globs, tuple[str, ...]], ...] = ()
    #: Findings recorded by ``--write-baseline``: only new ones are reported.
    baseline: Path | None = None
    #: ``identity-base``: the git ref whose published episodes must keep their identity
    #: (``--since REF`` overrides it); None: the identity guard runs only with ``--since``.
    identity_base: str | None = None
    links: LinkSettings = field(default_factory=LinkSettings)
    online_settings: OnlineSettings = field(default_factory=OnlineSettings)
    online: bool = False
    cache: bool = True

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths in the config are resolved against."""
        return self.config_path.parent if self.config_path else Path.cwd()

    def severity_of(self, code: str, default: Severity) -> Severity | None:
        """The severity ``[severity]`` gives ``code`` (None: ``off``), else ``default``."""
        best = max(((len(p), level) for p, level in self.severity if code.startswith(p)), default=None)
        if best is None:
            return default
        return None if best[1] == SEVERITY_OFF else Severity(best[1])


@dataclass(frozen=True)
class Codes:
    """What the caller knows of the rules: is a code or prefix known, and what a
    misspelt one probably meant (config itself knows no rule)."""

    known: Callable[[str], bool] = lambda code: True
    hint: Callable[[str], str | None] = lambda code: None

    def check(self, path: Path, key: str, codes: tuple[str, ...]) -> None:
        for code in codes:
            if code and not self.known(code):
                near = self.hint(code)
                also = f" (did you mean `{near}`?)" if near else ""
                raise ConfigError(f"{path}: `{key}` names `{code}`, which matches no rule{also}")


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    """A copy of ``settings`` with the non-None ``changes`` applied (command-line flags)."""
    return replace(settings, **{k: v for k, v in changes.items() if v is not None})


def split_codes(values: Sequence[str] | str | None) -> tuple[str, ...] | None:
    """``"LN,FM011"`` or ``["LN", "FM011"]`` → normalised prefixes; ``ALL`` is every rule."""
    if values is None:
        return None
    items = values.split(",") if isinstance(values, str) else list(values)
    out: list[str] = []
    for item in items:
        for part in item.split(","):
            code = part.strip().upper()
            if code:
                out.append("" if code == "ALL" else code)
    return tuple(out)


def ignores_for(settings: Settings, path: Path | str) -> tuple[str, ...]:
    """Codes ``per-file-ignores`` ignores for the file at ``path`` (patterns relative to
    the folder of the config file that wrote them)."""
    found: list[str] = []
    for globs, codes in settings.per_file_ignores:
        if globs.matches(path):
            found.extend(codes)
    return tuple(found)


def is_excluded(settings: Settings, path: Path | str, *, folder: bool = False) -> bool:
    """Whether ``exclude`` matches ``path`` (a file, or a folder to skip whole)."""
    return settings.exclude is not None and settings.exclude.matches(path, folder=folder)


def as_mapping(settings: Settings) -> Mapping[str, object]:
    """A stable, JSON-able view of the settings that change results (for cache keys)."""
    return {
        "select": settings.select,
        "ignore": settings.ignore,
        "severity": settings.severity,
        "per_file_ignores": [(str(g), codes) for g, codes in settings.per_file_ignores],
        "links": [settings.links.tracking_params, settings.links.shorteners, settings.links.ignore_urls],
        "online": settings.online,
        "schema": str(settings.schema),
    }
