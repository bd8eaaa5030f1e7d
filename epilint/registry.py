"""The rule contract, the ``@rule`` decorator and select/ignore resolution.

A rule is one decorated function: ``check(ctx) -> Iterable[Violation]`` whose
docstring (What / Why / Example / Fix) feeds ``epilint rule CODE`` and
``docs/rules.md``. Rules register themselves when their module is imported;
``load_rules()`` imports every module in ``epilint.rules``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from epilint.model import Fix, Severity, Span, Violation

if TYPE_CHECKING:
    from epilint.context import Context


class FixAvailability(str, Enum):
    """The best fix a rule can offer, shown by ``epilint rules``."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    SUGGESTION = "suggestion"
    NONE = "none"


class Scope(str, Enum):
    FILE = "file"
    COLLECTION = "collection"


class Check(Protocol):
    def __call__(self, ctx: Context, /) -> Iterable[Violation]: ...


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    fix: FixAvailability
    check: Check
    doc: str
    scope: Scope = Scope.FILE
    #: Codes this rule explains better: on the same span, their violations are dropped.
    supersedes: tuple[str, ...] = ()
    #: Needs the network (only runs with ``--online``).
    online: bool = False

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name

    def violation(self, message: str, span: Span, fix: Fix | None = None) -> Violation:
        return Violation(self.code, self.name, message, span, self.severity, fix)


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    fix: FixAvailability = FixAvailability.NONE,
    scope: Scope = Scope.FILE,
    supersedes: Sequence[str] = (),
    online: bool = False,
) -> Callable[[Check], Check]:
    """Register ``check`` as rule ``code``; its docstring is the rule's documentation."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        doc = inspect.cleandoc(getattr(check, "__doc__", None) or "")
        RULES[code] = Rule(code, name, severity, fix, check, doc, scope, tuple(supersedes), online)
        return check

    return register


_loaded = False


def load_rules() -> dict[str, Rule]:
    """Import every rule module once; returns the registry sorted by code."""
    global _loaded
    if not _loaded:
        from epilint import rules as package

        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            importlib.import_module(f"{package.__name__}.{info.name}")
        _loaded = True
        ordered = dict(sorted(RULES.items(), key=lambda item: _order(item[0])))
        RULES.clear()
        RULES.update(ordered)
    return RULES


#: Families in the order the catalogue presents them.
FAMILIES = ("FM", "YT", "EP", "LN", "CO")


def _order(code: str) -> tuple[int, str]:
    family = code[:2]
    return (FAMILIES.index(family) if family in FAMILIES else len(FAMILIES), code)


def get(code: str) -> Rule:
    return load_rules()[code]


def is_selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Ruff-style resolution: the longest matching prefix decides; ties go to ignore."""
    best_select = max((len(p) for p in select if code.startswith(p)), default=-1)
    best_ignore = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return best_select > best_ignore


def known_prefix(prefix: str) -> bool:
    """True when at least one rule code starts with ``prefix`` (``ALL`` selects all)."""
    return prefix == "ALL" or any(code.startswith(prefix) for code in load_rules())
