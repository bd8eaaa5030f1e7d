"""What a rule sees: one parsed document, the schema, the site and the settings.

Analyses that several rules share (schema validation) are computed once per
document and cached here; rules never re-read or re-parse anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from epilint import yaml11
from epilint.document import Document
from epilint.model import Violation
from epilint.schema import EpisodeSchema, FieldInfo

if TYPE_CHECKING:
    from epilint.collection import SiteIndex, Summary
    from epilint.config import Settings
    from epilint.links import Link, LinkStatus
    from epilint.site import Site

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Measured:
    """A value epilint computed for a field (e.g. from the audio file), as YAML text."""

    yaml: str
    source: str


@dataclass(frozen=True, slots=True)
class RoleField:
    info: FieldInfo
    pair: yaml11.Pair

    @property
    def value(self) -> yaml11.Node:
        return self.pair.value

    @property
    def scalar(self) -> yaml11.Scalar | None:
        node = self.pair.value
        return node if isinstance(node, yaml11.Scalar) else None


@dataclass
class Context:
    doc: Document
    schema: EpisodeSchema
    settings: Settings
    site: Site | None = None
    #: The file's path relative to the site root (posix), or its name outside a site.
    site_path: str = ""
    #: ``--online``: the run's answer for each URL, set by the online phase.
    link_status: Mapping[str, LinkStatus] | None = None
    #: Collection rules: this post's summary and its whole site's index, set by the runner.
    summary: Summary | None = None
    site_index: SiteIndex | None = None
    #: Files besides the document and the site-wide inputs that the results depend on.
    dependencies: set[Path] = field(default_factory=set)

    #: When the results stop being true by the clock alone (POSIX time), if ever.
    expires: float | None = None
    _shared: dict[Callable[[Any], Any], Any] = field(default_factory=dict, repr=False, compare=False)
    _fields: dict[str, RoleField | None] = field(default_factory=dict, repr=False, compare=False)

    def shared(self, analysis: Callable[[Context], T]) -> T:
        """``analysis(self)``, computed once per document however many rules ask for it
        (e.g. the links the LN rules check, with their hosts)."""
        try:
            return self._shared[analysis]  # type: ignore[no-any-return]
        except KeyError:
            found = self._shared[analysis] = analysis(self)
            return found

    def valid_until(self, when: float) -> None:
        """Declare that the results change at time ``when`` although no file does (a
        future-dated post stops being future): the results cache re-checks it then."""
        self.expires = when if self.expires is None else min(self.expires, when)

    def depends_on(self, path: Path) -> Path:
        """Declare that a rule read ``path`` (an audio file): the results cache re-checks
        the document when that file changes, appears or disappears. Returns ``path``."""
        self.dependencies.add(path)
        return path

    def field(self, role: str) -> RoleField | None:
        """The front-matter pair of the schema field playing ``role``, when present."""
        try:
            return self._fields[role]
        except KeyError:
            info = self.schema.field_for(role)
            pair = self.doc.fields.get(info.name) if info is not None else None
            found = self._fields[role] = None if info is None or pair is None else RoleField(info, pair)
            return found

    def measured(self, role: str) -> Measured | None:
        """A computed value for the field playing ``role`` (audio size, duration), if any."""
        from epilint import measure

        return measure.value_for(self, role)

    @cached_property
    def schema_findings(self) -> tuple[Violation, ...]:
        from epilint.schema_errors import findings

        return tuple(findings(self))

    @cached_property
    def links(self) -> tuple[Link, ...]:
        """Every link in the body with the URL's span (``epilint/links.py``), parsed once."""
        from epilint.links import extract

        return extract(self.doc)
