"""The schema's verdict on a document: jsonschema errors as findings, placed on the node
and said for people.

One schema error becomes one finding, of one ``Problem`` kind; the FM010–FM014 rules each
report their kind. Empty fields (null, blank, an empty list or mapping, when the
field's schema does not accept that value) are ``EMPTY`` (and nothing else); a key that looks like a
misspelt schema field is ``UNKNOWN`` and takes the place of the ``MISSING`` for the field
it probably meant. Computed once per document (``schema_findings``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
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
from epilint.schema.load import FieldInfo
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
    errors = () if schema.is_valid(data) else sorted(schema.iter_errors(data), key=_error_order)
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


def _place(ctx: Context, path: tuple[str | int, ...]) -> tuple[Span, yaml11.Node | None]:
    key, node = find_node(ctx.doc.root, path)
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
        message = (
            f"{name} {shown} is not a duration in HH:MM:SS or MM:SS"
            f"{_feed(ctx, info, value, path)}, which podcast apps cannot read"
        )
        fix = measured_fix(ctx, info, span, 'write the length as "HH:MM:SS"')
    elif kind == "format" and error.validator_value == "jekyll-date":
        message, fix = _date_problem(ctx, name, node, shown, span)
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
    elif kind == "pattern":
        message = f"{name} {shown} does not match the pattern `{error.validator_value}`"
    elif kind in ("minLength", "maxLength", "minItems", "maxItems", "uniqueItems"):
        message = f"{name} breaks the schema's `{kind}: {error.validator_value}`"
    elif kind == "required":
        message = f"{name} {error.message}"
    else:
        message = f"{name} does not match the schema ({kind}): {error.message}"
    return _found(Problem.INVALID, message, span, fix or Fix.suggestion("correct the value"))


_DATE_FIELDS = re.compile(
    r"\s*(-?[0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt ]+([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2}))?)?"
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _impossible(text: str) -> str | None:
    """Which part of a ``YYYY-MM-DD[ HH:MM[:SS]]`` text is out of range for Ruby's Time.parse."""
    match = _DATE_FIELDS.match(text)
    if match is None:
        return None if re.search(r"[0-9]", text) else "there is no date in it"
    month, day = int(match.group(2)), int(match.group(3))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if not 1 <= day <= 31:
        return f"there is no day {day}"
    hour, minute, second = (int(g) if g else 0 for g in match.groups()[3:6])
    if hour > 24 or minute > 59 or second > 60:
        return "the time is out of range"
    return None


def _rolled_over(text: str) -> bool:
    """Day 29-31 of a month that lacks it: Ruby silently moves to the next month."""
    match = _DATE_FIELDS.match(text)
    if match is None:
        return False
    year, month, day = (int(g) for g in match.groups()[:3])
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day > (29 if month == 2 and leap else 28 if month == 2 else _DAYS[month - 1])


def _date_problem(
    ctx: Context, name: str, node: yaml11.Node | None, shown: str, span: Span
) -> tuple[str, Fix]:
    expected = "`YYYY-MM-DD HH:MM:SS +ZZZZ`"
    suggestion = Fix.suggestion(f"write the date as {expected}")
    value = node.value if isinstance(node, yaml11.Scalar) else None
    text = node.text if isinstance(node, yaml11.Scalar) else str(shown)
    if isinstance(value, (yaml11.PsychTime, dt.date)) and _rolled_over(text):
        moved = canonical_time(value) if isinstance(value, yaml11.PsychTime) else value.isoformat()
        return (
            f"{name} {shown} is not a real date; Jekyll silently rolls it over to {moved}",
            suggestion,
        )
    if isinstance(value, yaml11.PsychTime):
        canonical = canonical_time(value)
        return (
            f"{name} {shown} is a valid time written in a non-standard way (Jekyll reads it as "
            f"{canonical}); the schema expects {expected}",
            Fix.replace(f"rewrite it as {canonical}", span, canonical, safe=True),
        )
    if isinstance(value, dt.date):
        return (
            f"{name} {shown} has no time; Jekyll publishes it at midnight in the site's time zone",
            suggestion,
        )
    reason = _impossible(text)
    if reason is not None:
        return (
            f"{name} {shown} is not a date Jekyll can read ({reason}): the build stops with "
            '"does not have a valid date" and the whole site fails to build',
            suggestion,
        )
    return (
        f"{name} {shown} is not in the form {expected}; Jekyll hands it to Ruby's lenient "
        "Time.parse, which guesses the missing parts (in the site's time zone)",
        suggestion,
    )


def canonical_time(value: yaml11.PsychTime) -> str:
    """``YYYY-MM-DD HH:MM:SS +ZZZZ`` for a time with a written offset (else without one)."""
    offset = value.offset or 0
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=value.epoch + offset)
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    if value.offset is None:
        return text
    sign = "-" if offset < 0 else "+"
    minutes = abs(offset) // 60
    return f"{text} {sign}{minutes // 60:02d}{minutes % 60:02d}"


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
