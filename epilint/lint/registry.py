"""The rule contract, the registry and select/ignore resolution.

A rule is one decorated function whose docstring (What / Why / Example / Fix) feeds
``epilint rule CODE`` and ``docs/rules.md``. The function says *what* is wrong: it
yields ``Finding(message, span, fix)`` records; the registry says *who*: it stamps each
finding with the rule's code, name and severity (``Rule.run``). Everything the engine
must know about a rule is declared here, on the rule: whether it needs the network,
reads the online results, reads the feed (so the run predicts the site's feeds), applies
to episodes only (the posts the feed template emits an item for), or reads site-wide
inputs (which make up the site's fingerprint in the results cache). Rules register
themselves when their module is imported; ``load_rules()`` imports every module of
``epilint/rules``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from epilint.lint.context import CollectionContext, Context, DirectiveContext, TemplateContext
from epilint.model import Finding, Severity, Violation


class FixAvailability(str, Enum):
    """The best fix a rule can offer, shown by ``epilint rules``."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    SUGGESTION = "suggestion"
    NONE = "none"


FileCheck = Callable[[Context], Iterable[Finding]]
CollectionCheck = Callable[[CollectionContext], Iterable[Finding]]
DirectiveCheck = Callable[[DirectiveContext], Iterable[Finding]]
TemplateCheck = Callable[[TemplateContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    fix: FixAvailability
    doc: str
    #: Exactly one of the checks is set: a file rule, a collection rule, a directive
    #: rule (which judges the suppression comments once the other rules have run), or a
    #: template rule (which judges a site's feed template files, once per run).
    file_check: FileCheck | None = None
    collection_check: CollectionCheck | None = None
    directive_check: DirectiveCheck | None = None
    template_check: TemplateCheck | None = None
    #: Codes this rule explains better: on the same span, their violations are dropped.
    supersedes: tuple[str, ...] = ()
    #: Needs the network: only runs with ``--online``.
    online: bool = False
    #: Reads the online phase's answers when there are any (so ``--online`` checks links
    #: when this rule is selected).
    reads_online: bool = False
    #: Site-wide inputs the rule reads (paths relative to the site root: ``_layouts``);
    #: their contents are part of the site's fingerprint in the results cache.
    site_inputs: tuple[str, ...] = ()
    #: Reads the site's predicted feeds (``ctx.feed``): the run runs the feed phase when
    #: this rule is selected.
    reads_feed: bool = False
    #: Applies to episodes only: skipped for a post the site's feed template leaves out
    #: (FD051 says so instead). Implies ``reads_feed``.
    episodes_only: bool = False

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name

    @property
    def collection(self) -> bool:
        return self.collection_check is not None

    @property
    def directive(self) -> bool:
        return self.directive_check is not None

    @property
    def template(self) -> bool:
        return self.template_check is not None

    def stamp(self, findings: Iterable[Finding]) -> Iterator[Violation]:
        """The rule's findings as violations: its code, name and severity added."""
        for found in findings:
            yield Violation(self.code, self.name, found.message, found.span, self.severity, found.fix)

    def run(self, ctx: Context) -> Iterator[Violation]:
        assert self.file_check is not None, f"{self.code} is a collection rule"
        return self.stamp(self.file_check(ctx))

    def run_collection(self, ctx: CollectionContext) -> Iterator[Violation]:
        assert self.collection_check is not None, f"{self.code} is a file rule"
        return self.stamp(self.collection_check(ctx))

    def run_directives(self, ctx: DirectiveContext) -> Iterator[Violation]:
        assert self.directive_check is not None, f"{self.code} is not a directive rule"
        return self.stamp(self.directive_check(ctx))

    def run_template(self, ctx: TemplateContext) -> Iterator[Violation]:
        assert self.template_check is not None, f"{self.code} is not a template rule"
        return self.stamp(self.template_check(ctx))


RULES: dict[str, Rule] = {}


def _register(code: str, make: Callable[[str], Rule]) -> None:
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    RULES[code] = make(code)


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    fix: FixAvailability = FixAvailability.NONE,
    supersedes: Sequence[str] = (),
    online: bool = False,
    reads_online: bool = False,
    site_inputs: Sequence[str] = (),
    reads_feed: bool = False,
    episodes_only: bool = False,
) -> Callable[[FileCheck], FileCheck]:
    """Register ``check(ctx)`` as file rule ``code``; its docstring is the rule's documentation."""

    def register(check: FileCheck) -> FileCheck:
        _register(
            code,
            lambda c: Rule(
                c, name, severity, fix, _doc(check), file_check=check, supersedes=tuple(supersedes),
                online=online, reads_online=reads_online or online, site_inputs=tuple(site_inputs),
                reads_feed=reads_feed or episodes_only, episodes_only=episodes_only,
            ),
        )  # fmt: skip
        return check

    return register


def collection_rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    fix: FixAvailability = FixAvailability.NONE,
    site_inputs: Sequence[str] = (),
    supersedes: Sequence[str] = (),
) -> Callable[[CollectionCheck], CollectionCheck]:
    """Register ``check(ctx)`` as collection rule ``code``: it judges one post's summary
    against every post of its site (``CollectionContext``). Collection rules judge
    episodes only: a post the feed template leaves out is neither judged nor counted."""

    def register(check: CollectionCheck) -> CollectionCheck:
        _register(
            code,
            lambda c: Rule(
                c, name, severity, fix, _doc(check), collection_check=check,
                site_inputs=tuple(site_inputs), supersedes=tuple(supersedes),
                reads_feed=True, episodes_only=True,
            ),
        )  # fmt: skip
        return check

    return register


def template_rule(
    code: str, name: str, severity: Severity, *, fix: FixAvailability = FixAvailability.NONE
) -> Callable[[TemplateCheck], TemplateCheck]:
    """Register ``check(ctx)`` as template rule ``code``: it judges one template file of
    a site's feeds (``TemplateContext``), once per run for each site the run lints a
    document of; its findings are the template file's result, at the template's lines."""

    def register(check: TemplateCheck) -> TemplateCheck:
        _register(
            code,
            lambda c: Rule(c, name, severity, fix, _doc(check), template_check=check, reads_feed=True),
        )
        return check

    return register


def directive_rule(
    code: str, name: str, severity: Severity, *, fix: FixAvailability = FixAvailability.NONE
) -> Callable[[DirectiveCheck], DirectiveCheck]:
    """Register ``check(ctx)`` as directive rule ``code``: it judges a file's suppression
    comments (``DirectiveContext``) after the other rules ran."""

    def register(check: DirectiveCheck) -> DirectiveCheck:
        _register(code, lambda c: Rule(c, name, severity, fix, _doc(check), directive_check=check))
        return check

    return register


def _doc(check: Callable[..., object]) -> str:
    return inspect.cleandoc(getattr(check, "__doc__", None) or "")


_loaded = False


def load_rules() -> dict[str, Rule]:
    """Import every rule module once (the one intended upward import: rule discovery);
    returns the registry in catalogue order."""
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
FAMILIES = ("FM", "YT", "EP", "LN", "CO", "FD", "EL")


def _order(code: str) -> tuple[int, str]:
    family = code[:2]
    return (FAMILIES.index(family) if family in FAMILIES else len(FAMILIES), code)


def is_selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Ruff-style resolution: the longest matching prefix decides; ties go to ignore."""
    best_select = max((len(p) for p in select if code.startswith(p)), default=-1)
    best_ignore = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return best_select > best_ignore


def known_prefix(prefix: str) -> bool:
    """True when at least one rule code starts with ``prefix`` (``ALL`` selects all)."""
    return prefix == "ALL" or any(code.startswith(prefix) for code in load_rules())


#: A rule's severity as the settings give it (None: ``off``), from its code and default.
Levels = Callable[[str, Severity], "Severity | None"]


def select(
    select: Sequence[str], ignore: Sequence[str], *, online: bool, levels: Levels | None = None
) -> tuple[Rule, ...]:
    """The rules a run uses, in catalogue order (online-only rules only with ``online``),
    each with the severity ``levels`` gives it (``[severity]``; ``off`` drops the rule)."""
    chosen: list[Rule] = []
    for r in load_rules().values():
        if not is_selected(r.code, select, ignore) or (r.online and not online):
            continue
        level = r.severity if levels is None else levels(r.code, r.severity)
        if level is None:
            continue
        chosen.append(r if level is r.severity else replace(r, severity=level))
    return tuple(chosen)


def closest_code(code: str) -> str | None:
    """The rule code or family a misspelt ``code`` probably meant ("did you mean")."""
    from epilint.similar import closest

    rules = load_rules()
    candidates = [*rules, *dict.fromkeys(c[:2] for c in rules)]
    return closest(code.upper(), candidates, limit=2 if len(code) > 3 else 1)
