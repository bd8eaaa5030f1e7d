"""The schema's verdict on a document: jsonschema errors as findings, placed on the node
and said for people.

One schema error becomes one finding, of one ``Problem`` kind; the FM010–FM014 rules each
report their kind. Empty fields (null, blank, an empty list or mapping, when the
field's schema does not accept that value) are ``EMPTY`` (and nothing else); a key that looks like a
misspelt schema field is ``UNKNOWN`` and takes the place of the ``MISSING`` for the field
it probably meant. Computed once per document (``schema_findings``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any

from epilint.lint.context import Context
from epilint.lint.facts import (
    feed_fills,
    feed_items,
    feed_phrase,
    feed_says,
    field_in_feed,
    measured,
    measured_fix,
)
from epilint.model import Finding, Fix, Span
from epilint.read import yaml11
from epilint.read.yaml11 import find_node
from epilint.schema.load import FieldInfo, is_duration
from epilint.similar import edit_distance
from epilint.site.values import rendered

if TYPE_CHECKING:
    import jsonschema


class Problem(str, Enum):
    """What kind of schema error a finding is (each FM01x rule reports one kind)."""

    MISSING = "missing"  # FM010
    EMPTY = "empty"  # FM011
    WRONG_TYPE = "wrong-type"  # FM012
    INVALID = "invalid"  # FM013
    UNKNOWN = "unknown"  # FM014
    STYLE = "style"  # FM015


Found = tuple[Problem, Finding]


def schema_findings(ctx: Context) -> tuple[Found, ...]:
    """Every schema finding of the document, computed once however many rules ask."""
    return ctx.shared(_all)


def of_kind(ctx: Context, problem: Problem) -> Iterator[Finding]:
    """The schema findings of one kind, in document order."""
    return (found for kind, found in schema_findings(ctx) if kind is problem)


def _all(ctx: Context) -> tuple[Found, ...]:
    return tuple(findings(ctx))


_JSON_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


def findings(ctx: Context) -> Iterator[Found]:
    doc = ctx.doc
    if not doc.readable or doc.yaml_span is None:
        return
    data = doc.data
    schema = ctx.schema
    # Empty as the schema sees it: a blank value the field's schema does not accept (a
    # field that may be null or "" is not "empty", it is valid).
    empty = {
        name
        for name, value in data.items()
        if name in schema.fields and is_empty(value) and not schema.accepts(name, value)
    }
    for name in sorted(empty, key=lambda n: doc.fields[n].value.span.start if n in doc.fields else 0):
        yield _empty(ctx, name)
    near = dict(_near_misses(ctx))
    for key, target in near.items():
        yield _misspelt(ctx, key, target)
    reported_missing: set[str] = set()
    closing = Span(doc.yaml_span.end, doc.yaml_span.end)
    try:
        errors = () if schema.is_valid(data) else sorted(schema.iter_errors(data), key=_error_order)
    except RecursionError:  # a recursive schema ($ref) meeting a deeply nested value
        start = doc.yaml_span.start
        yield _found(
            Problem.INVALID,
            "the front matter nests too deeply for the schema's recursive references to check it; "
            "its values were not checked against the schema",
            Span(start, start + 3),
            Fix.suggestion("flatten the nested values"),
        )
        return
    for error in errors:
        path = tuple(error.absolute_path)
        if path and path[0] in empty:
            continue
        if error.validator == "required":
            if path:
                yield _generic(ctx, error, path)
                continue
            for name in schema.required:
                if name in data or name in reported_missing or name in near.values():
                    continue
                reported_missing.add(name)
                if feed_fills(ctx, name, schema.fields.get(name)):
                    continue  # the feed template takes another key, or a default
                yield _missing(ctx, name, closing)
        elif error.validator in ("additionalProperties", "unevaluatedProperties") and not path:
            for name in data:
                if name not in schema.fields and name not in near:
                    yield _unknown(ctx, name)
        elif error.validator == "type":
            yield _wrong_type(ctx, error, path)
        else:
            yield _generic(ctx, error, path)


def is_empty(value: object) -> bool:
    return value is None or value in ("", [], {}) or (isinstance(value, str) and not value.strip())


def _error_order(error: jsonschema.ValidationError) -> tuple[str, ...]:
    return tuple(str(p) for p in error.absolute_path)


def _node_index(ctx: Context) -> dict[int, dict[str, yaml11.Pair]]:
    return {}


def _place(ctx: Context, path: tuple[str | int, ...]) -> tuple[Span, yaml11.Node | None]:
    key, node = find_node(ctx.doc.root, path, ctx.shared(_node_index))
    target = node if node is not None else key
    if target is None and ctx.doc.yaml_span is not None:
        return Span(ctx.doc.yaml_span.start, ctx.doc.yaml_span.start + 3), None
    assert target is not None
    return target.span, node


def _field(ctx: Context, path: tuple[str | int, ...]) -> FieldInfo | None:
    return ctx.schema.fields.get(path[0]) if path and isinstance(path[0], str) else None


def _name(path: tuple[str | int, ...]) -> str:
    if not path:
        return "the front matter"
    text = str(path[0])
    for part in path[1:]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return f"`{text}`"


def _empty(ctx: Context, name: str) -> Found:
    pair = ctx.doc.fields[name]
    info = ctx.schema.fields[name]
    span = pair.value.span
    message = f"`{name}` is empty{feed_says(ctx, info, '')}"
    fix = measured_fix(ctx, info, span, f"fill in `{name}`")
    return _found(Problem.EMPTY, message, span, fix)


def _missing(ctx: Context, name: str, closing: Span) -> Found:
    info = ctx.schema.fields.get(name)
    value = measured(ctx, info.role) if info is not None and info.role else None
    consequence = feed_says(ctx, info, "", name)
    if value is not None:
        fix = Fix.suggestion(f"add `{name}: {value.yaml}` (measured from {value.source})")
    else:
        fix = Fix.suggestion(f"add `{name}:` with a value to the front matter")
    return _found(Problem.MISSING, f"required field `{name}` is missing{consequence}", closing, fix)


def _wrong_type(ctx: Context, error: jsonschema.ValidationError, path: tuple[str | int, ...]) -> Found:
    span, node = _place(ctx, path)
    info = _field(ctx, path)
    expected: Any = error.validator_value
    wanted = [expected] if isinstance(expected, str) else list(expected)
    words = " or ".join(_JSON_TYPES.get(w, w) for w in wanted)
    actual = _describe(node, error.instance)
    message = f"{_name(path)} is {actual}, not {words}{_feed(ctx, info, error.instance, path)}"
    fix = measured_fix(ctx, info, span, f"write {_name(path)} as {words}")
    return _found(Problem.WRONG_TYPE, message, span, fix)


def _describe(node: yaml11.Node | None, value: object) -> str:
    if isinstance(node, yaml11.Scalar):
        resolved = node.value
        if isinstance(resolved, yaml11.PsychTime):
            return f"the timestamp {node.text}"
        if isinstance(resolved, bool):
            return f"the boolean {rendered(resolved)} (written `{node.text}`)"
        if isinstance(resolved, int):
            if str(resolved) != node.text:
                return f"the integer {resolved} (written `{node.text}`)"
            return f"the integer {resolved}"
        if isinstance(resolved, float):
            return f"the number {rendered(resolved)}"
        if resolved is None:
            return "null"
        return f"the text {json.dumps(node.text, ensure_ascii=False)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return json.dumps(value, ensure_ascii=False)


def _generic(ctx: Context, error: jsonschema.ValidationError, path: tuple[str | int, ...]) -> Found:
    span, node = _place(ctx, path)
    info = _field(ctx, path)
    name = _name(path)
    value = error.instance
    shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, (dict, list)) else ""
    kind = error.validator
    fix: Fix | None = None
    if kind == "format" and error.validator_value == "duration":
        trimmed = value.strip() if isinstance(value, str) else ""
        if trimmed != value and is_duration(trimmed):
            message = (
                f"{name} {shown} has spaces around the length{feed_phrase(info, value)}; "
                "podcast apps that do not trim the text cannot read it"
            )
            quoted = json.dumps(trimmed, ensure_ascii=False)
            trim = Fix.replace(f"write {quoted}", span, quoted, safe=True)
            return _found(Problem.INVALID, message, span, trim)
        message = (
            f"{name} {shown} is not a duration in HH:MM:SS or MM:SS"
            f"{_feed(ctx, info, value, path)}, which podcast apps cannot read"
        )
        fix = measured_fix(ctx, info, span, 'write the length as "HH:MM:SS"')
    elif kind == "format" and error.validator_value == "jekyll-date":
        return _date_problem(ctx, name, node, shown, span)
    elif kind == "format":
        message = f"{name} {shown} is not a valid {error.validator_value}"
    elif kind == "enum":
        options: Any = error.validator_value
        choices = ", ".join(json.dumps(c, ensure_ascii=False) for c in options)
        message = f"{name} {shown} is not one of {choices}"
        fix = Fix.suggestion(f"use one of {choices}")
    elif kind == "const":
        message = f"{name} must be {json.dumps(error.validator_value, ensure_ascii=False)}"
    elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        symbol = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[kind]
        feed = _feed(ctx, info, value, path)
        message = f"{name} is {shown}; it must be {symbol} {error.validator_value}{feed}"
        fix = measured_fix(ctx, info, span, f"set {name} to a value {symbol} {error.validator_value}")
    elif kind == "pattern" and getattr(error, "too_slow", False):
        message = f"{name} could not be checked: {error.message}"
    elif kind == "pattern":
        message = f"{name} {shown} does not match the pattern `{error.validator_value}`"
    elif kind in ("minLength", "maxLength", "minItems", "maxItems", "uniqueItems"):
        message = f"{name} breaks the schema's `{kind}: {error.validator_value}`"
    elif kind == "required":
        message = f"{name} {error.message}"
    else:
        message = f"{name} does not match the schema ({kind}): {error.message}"
    return _found(Problem.INVALID, message, span, fix or Fix.suggestion("correct the value"))


def _date_problem(ctx: Context, name: str, node: yaml11.Node | None, shown: str, span: Span) -> Found:
    """A date the schema's ``jekyll-date`` format rejects, judged by what Jekyll makes of it
    (``epilint/lint/dates.py``): an error only when that changes what is published (a day
    the month lacks, a date Ruby rejects); a warning (FM015) when Jekyll reads the instant
    the author wrote, or fills in what is missing, in another shape."""
    from epilint.lint import dates  # Ruby's Time.parse, only for a date that needs it

    expected = "`YYYY-MM-DD HH:MM:SS +ZZZZ`"
    suggestion = Fix.suggestion(f"write the date as {expected}")
    if not isinstance(node, yaml11.Scalar):
        return _found(Problem.INVALID, f"{name} is not a date", span, suggestion)
    site = ctx.site
    reading = dates.read(node, site.zone if site is not None else None)
    verdict = reading.verdict
    if verdict is dates.Verdict.ROLLED_OVER and reading.instant is not None:
        moved = reading.instant.strftime("%Y-%m-%d %H:%M:%S %z")
        message = f"{name} {shown} is not a real date; Jekyll silently rolls it over to {moved}"
        return _found(Problem.INVALID, message, span, suggestion)
    if verdict is dates.Verdict.INVALID:
        return _found(
            Problem.INVALID,
            f"{name} {shown} is not a date Jekyll can read ({reading.reason}): the build stops with "
            '"does not have a valid date" and the whole site fails to build',
            span,
            suggestion,
        )
    if verdict is dates.Verdict.UNKNOWN:
        return _found(
            Problem.STYLE,
            f"{name} {shown} is not in the form {expected}; Jekyll hands it to Ruby's Time.parse, "
            "whose reading of this shape epilint does not know",
            span,
            suggestion,
        )
    fix = suggestion
    if reading.canonical is not None:
        fix = Fix.replace(f"rewrite it as {reading.canonical}", span, reading.canonical, safe=True)
    if verdict is dates.Verdict.EXACT:
        message = f"{name} {shown} is read by Jekyll as the instant written ({reading.canonical}), "
    elif site is not None and site.zone is not None and reading.canonical is not None:
        message = (
            f"{name} {shown} has no time or no UTC offset; Jekyll completes it in {site.timezone}: "
            f"{reading.canonical}, "
        )
    else:
        message = (
            f"{name} {shown} has no time or no UTC offset; Jekyll completes it in the build "
            "machine's time zone (the site sets no `timezone`), "
        )
    return _found(Problem.STYLE, f"{message}but it is not written {expected}", span, fix)


def _unknown(ctx: Context, name: str) -> Found:
    pair = ctx.doc.fields[name]
    return _found(
        Problem.UNKNOWN,
        f"`{name}` is not a field of this schema; Jekyll passes it to the layout, which ignores it",
        pair.key.span,
        Fix.suggestion(f"remove `{name}` or add it to the schema"),
    )


def _misspelt(ctx: Context, name: str, target: str) -> Found:
    pair = ctx.doc.fields[name]
    info = ctx.schema.fields[target]
    consequence = feed_says(ctx, info, "", target)
    return _found(
        Problem.UNKNOWN,
        f"`{name}` is not a field of this schema; did you mean `{target}`? As written, "
        f"`{target}` is {'empty' if target in ctx.doc.data else 'missing'}{consequence}",
        pair.key.span,
        Fix.suggestion(f"move the value of `{name}` into `{target}`")
        if target in ctx.doc.data
        else Fix.replace(f"rename `{name}` to `{target}`", pair.key.span, target, safe=False),
    )


def _near_misses(ctx: Context) -> Iterator[tuple[str, str]]:
    """Unknown keys a small typo away from a schema field the document lacks or leaves empty."""
    fields = ctx.schema.fields
    present = {name for name, value in ctx.doc.data.items() if not is_empty(value)}
    for name in ctx.doc.fields:
        if name in fields or len(name) < 4 or _template_reads(ctx, name):
            continue
        best: tuple[int, str] | None = None
        for known in fields:
            if known in present:
                continue
            distance = edit_distance(name, known, limit=2)
            if distance <= 2 and distance * 2 < len(known) and (best is None or distance < best[0]):
                best = (distance, known)
        if best is not None:
            yield name, best[1]


def _template_reads(ctx: Context, name: str) -> bool:
    """The site's feed template reads the key: it is a field of the site, not a typo."""
    found = field_in_feed(ctx, name)
    return bool(found) and any(f.reads for f in found or ())


def _feed(ctx: Context, info: FieldInfo | None, value: object, path: tuple[str | int, ...]) -> str:
    """What the feed says of the value at ``path`` (a top-level field's only)."""
    if len(path) != 1 or not isinstance(path[0], str):  # inside a field: the schema's phrase
        return feed_phrase(info, value) if feed_items(ctx) is None else ""
    return feed_says(ctx, info, value, path[0])


def _found(problem: Problem, message: str, span: Span, fix: Fix | None = None) -> Found:
    return problem, Finding(message, span, fix)
