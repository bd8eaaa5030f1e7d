"""EL rules: epilint's own directives (suppression comments) must mean what they say."""

from __future__ import annotations

from collections.abc import Iterator

from epilint.lint.context import DirectiveContext
from epilint.lint.registry import FixAvailability, closest_code, directive_rule, known_prefix
from epilint.model import Applicability, Edit, Finding, Fix, Severity
from epilint.read.suppress import prefix
from epilint.read.suppressions import EMPTY, MISSPELT, ORPHAN, Directive


@directive_rule("EL001", "unused-suppression", Severity.WARNING, fix=FixAvailability.SAFE)
def unused_suppression(ctx: DirectiveContext) -> Iterator[Finding]:
    """A suppression comment that suppresses nothing: unknown code, misspelt, or unused.

    Why: a suppression that does nothing fails silently. `# epilint: disable=YT01` (a
    code no rule has), `# epilnt: disable=YT001` or `<!-- epilint-disable-nextline -->`
    (not a directive at all), `# epilint: disable=` (no code) and an `epilint-enable`
    that ends no `epilint-disable` leave every finding in place, and a suppression whose
    finding was fixed long ago hides the next real one on that line. Like ruff's RUF100.
    A code is judged unused only when every rule it names ran (online rules need
    `--online`; `--select` narrows what is judged).

    Example: `duration: "01:02:03"  # epilint: disable=YT001` once the value is quoted.

    Fix: safe: delete the comment (or just the unused code). Unsafe for a code no rule
    has (it may be a typo of the one meant); for a misspelt directive, unsafe: write it
    as the directive it looks like. Unused suppressions of collection rules (CO) are
    found after the whole-site phase: their removal is shown, not applied.
    """
    for index, directive in enumerate(ctx.suppressions.directives):
        if not ctx.late:
            yield from _malformed(directive)
        if directive.problem is not None or directive.kind == "enable":
            continue
        yield from _unused(ctx, index, directive)


def _quoted(text: str) -> str:
    return f"`{text.strip()}`"


def _malformed(directive: Directive) -> Iterator[Finding]:
    shown = _quoted_span(directive)
    if directive.problem == EMPTY:
        yield Finding(
            f"{shown} names no code, so it suppresses nothing: name the codes, or `ALL` for every rule",
            directive.span,
            Fix.replace("delete the comment", directive.removal, ""),
        )
    elif directive.problem == MISSPELT:
        meant = directive.meant or ""
        yield Finding(
            f"{shown} is not an epilint directive, so it suppresses nothing; did you mean `{meant}`?",
            directive.span,
            Fix.replace(f"write it as `{meant}`", directive.span, meant, safe=False),
        )
    elif directive.problem == ORPHAN:
        codes = " ".join(directive.codes)
        yield Finding(
            f"{shown} ends no `epilint-disable {codes}` above it: it does nothing",
            directive.span,
            Fix.replace("delete the comment", directive.removal, ""),
        )
    if directive.problem is not None:
        return
    for number, code in enumerate(directive.codes):
        if not known_prefix(prefix(code)):
            near = closest_code(code)
            hint = f" (did you mean `{near}`?)" if near else ""
            yield Finding(
                f"`{code}` in {shown} matches no rule{hint}: it suppresses nothing",
                directive.code_spans[number] if directive.code_spans else directive.span,
                Fix.replace(f"delete `{code}`", directive.code_removal(number), "", safe=False),
            )


def _quoted_span(directive: Directive) -> str:
    return f"this `{directive.kind}` directive" if directive.problem is None else "the comment"


def _unused(ctx: DirectiveContext, index: int, directive: Directive) -> Iterator[Finding]:
    used = {e[4] for n, e in enumerate(ctx.suppressions.entries) if e[3] == index and n in ctx.used}
    unused = [
        number
        for number, code in enumerate(directive.codes)
        if number not in used and known_prefix(prefix(code)) and ctx.judged(prefix(code))
    ]
    if not unused:
        return
    where = _scope(directive)
    whole = len(unused) == len(directive.codes)
    for number in unused[:1] if whole else unused:
        codes = [directive.codes[n] for n in unused] if whole else [directive.codes[number]]
        span = directive.removal if whole else directive.code_removal(number)
        title = "delete the comment" if whole else f"delete `{codes[0]}`"
        fix = Fix.suggestion(title) if ctx.late else Fix(title, (Edit(span, ""),), Applicability.SAFE)
        named = ", ".join(f"`{c}`" for c in codes)
        what = "no finding" if codes == ["ALL"] else f"no {', '.join(codes)} finding"
        yield Finding(
            f"{named} suppress{'es' if len(codes) == 1 else ''} nothing: there is {what} {where}",
            directive.code_spans[number] if directive.code_spans else directive.span,
            fix,
        )


def _scope(directive: Directive) -> str:
    if directive.file_wide:
        return "in this file"
    if directive.first == directive.last:
        return f"on line {directive.first}"
    return f"on lines {directive.first}–{directive.last}"
