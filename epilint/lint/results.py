"""The records a lint produces: one file's result, and a whole run's.

They cross every boundary above the linter (the results cache, the worker pool, the
collection phase, the report) and hold plain records only: no document, no YAML tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from epilint.model import Severity, Violation
from epilint.read.positions import NOWHERE, Positions
from epilint.read.suppressions import NONE, Suppressions
from epilint.site.summary import Summary


@dataclass(frozen=True)
class FileResult:
    """One file's findings and what the report needs to show them (no document)."""

    path: Path
    display: str
    violations: tuple[Violation, ...]
    #: Line and column of every offset the violations and the summary name.
    positions: Positions = NOWHERE
    #: The file's suppression comments, for violations the collection phase adds.
    suppressions: Suppressions = NONE
    #: What the post contributes to collection rules (None: not a post of a site).
    summary: Summary | None = None
    #: The suppression entries that suppressed a finding (of the file rules, then of the
    #: collection rules once they ran).
    used: frozenset[int] = frozenset()


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
    #: Site facts the result depends on, with their values (``Context.uses``).
    site_facts: tuple[tuple[str, str | None], ...] = ()
    #: An internal error (a bug) while linting the file: ``TypeError: …``. The result is
    #: then empty, never cached, and the run ends with the internal-error exit status.
    failure: str | None = None


def failure_text(exc: BaseException) -> str:
    """An internal error in one line for people: ``TypeError: unsupported operand …``."""
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:299] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def failed(path: Path, display: str, exc: BaseException) -> Linted:
    """The result of a file whose lint raised ``exc`` (a bug): no findings, the failure."""
    return Linted(FileResult(path, display, ()), failure=failure_text(exc))


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

    def failing(self, threshold: Severity) -> int:
        """Violations that fail the run: every one, or only errors (``--fail-on error``)."""
        if threshold is Severity.WARNING:
            return self.count
        return sum(1 for _, v in self.violations if v.severity is Severity.ERROR)
