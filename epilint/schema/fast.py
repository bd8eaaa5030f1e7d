"""A fast "is this front matter valid?" for the common subset of JSON Schema.

jsonschema walks a schema afresh for every instance and costs ~40 ms to import; most
front matter is valid, and then nothing about it needs explaining. ``compile`` turns a
schema that uses only the keywords below into nested closures answering exactly what
``jsonschema``'s ``is_valid`` answers (with epilint's format checkers); jsonschema is
then asked only to explain an invalid document (``schema_errors``). A schema using
anything else (``$ref``, ``anyOf``, ``patternProperties``, other formats, other drafts
…) compiles to None and is always validated by jsonschema.

Supported (draft-07, 2019-09 and 2020-12 agree on them): ``type``, ``enum``, ``const``,
``required``, ``properties``, ``additionalProperties``, ``items`` (one schema),
``minItems``/``maxItems``, ``minLength``/``maxLength``, ``pattern``,
``minimum``/``maximum``/``exclusiveMinimum``/``exclusiveMaximum`` (numbers), ``format``
(``duration``, ``jekyll-date``), boolean schemas, and annotations. The equivalence is
proven by a differential test against jsonschema (``tests/test_schema_check.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from epilint.schema import patterns

Check = Callable[[Any], bool]
Builder = Callable[[Any, dict[str, Any], Mapping[str, Check]], Check]

#: ``$schema`` values whose validators share the semantics above (with or without ``#``).
DRAFTS = frozenset(
    {
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "http://json-schema.org/draft-07/schema",
    }
)
#: Keywords that never affect validity (documentation, epilint's own annotations).
ANNOTATIONS = frozenset(
    {"title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly", "$id"}
)


class Unsupported(Exception):
    """The schema uses something outside the subset: jsonschema decides."""


def compile(schema: Mapping[str, Any], formats: Mapping[str, Check]) -> Check | None:
    """A validity check equivalent to jsonschema's for ``schema``, or None (unsupported)."""
    draft = schema.get("$schema")
    if draft is not None and (not isinstance(draft, str) or draft.rstrip("#") not in DRAFTS):
        return None
    try:
        return _compile({k: v for k, v in schema.items() if k != "$schema"}, formats)
    except Unsupported:
        return None


def _compile(schema: object, formats: Mapping[str, Check]) -> Check:
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise Unsupported("not a schema")
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in ANNOTATIONS or keyword.startswith("x-"):
            continue
        build = _KEYWORDS.get(keyword)
        if build is None:
            raise Unsupported(keyword)
        checks.append(build(value, schema, formats))
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    all_checks = tuple(checks)
    return lambda instance: all(check(instance) for check in all_checks)


def _always(instance: object) -> bool:
    return True


def _never(instance: object) -> bool:
    return False


# -- types (jsonschema's draft 6+ type checker) -------------------------------------------


def _is_integer(instance: object) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, float):
        return instance.is_integer()
    return isinstance(instance, int)


def _is_number(instance: object) -> bool:
    return isinstance(instance, (int, float)) and not isinstance(instance, bool)


_TYPES: dict[str, Check] = {
    "null": lambda instance: instance is None,
    "boolean": lambda instance: isinstance(instance, bool),
    "integer": _is_integer,
    "number": _is_number,
    "string": lambda instance: isinstance(instance, str),
    "array": lambda instance: isinstance(instance, list),
    "object": lambda instance: isinstance(instance, dict),
}


def _type(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n in _TYPES for n in names):
        raise Unsupported("type")
    tests = tuple(_TYPES[n] for n in names)
    if len(tests) == 1:
        return tests[0]
    return lambda instance: any(test(instance) for test in tests)


# -- equality (jsonschema's ``_utils.equal``: booleans are not numbers) ----------------


def equal(one: object, two: object) -> bool:
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(i, j) for i, j in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and equal(v, two[k]) for k, v in one.items())
    return _unbool(one) == _unbool(two)


_TRUE, _FALSE = object(), object()


def _unbool(element: object) -> object:
    if element is True:
        return _TRUE
    if element is False:
        return _FALSE
    return element


def _enum(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    if not isinstance(value, list):
        raise Unsupported("enum")
    return lambda instance: any(equal(each, instance) for each in value)


def _const(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    return lambda instance: equal(instance, value)


# -- objects ------------------------------------------------------------------------------


def _required(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise Unsupported("required")
    names = tuple(value)
    return lambda instance: not isinstance(instance, dict) or all(name in instance for name in names)


def _properties(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    if not isinstance(value, dict):
        raise Unsupported("properties")
    checks = {name: _compile(sub, formats) for name, sub in value.items()}

    def properties(instance: object) -> bool:
        if not isinstance(instance, dict):
            return True
        return all(check(instance[name]) for name, check in checks.items() if name in instance)

    return properties


def _additional(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    known = schema.get("properties", {})
    if not isinstance(known, dict):
        raise Unsupported("properties")
    check = _compile(value, formats)

    def additional(instance: object) -> bool:
        if not isinstance(instance, dict):
            return True
        return all(check(item) for name, item in instance.items() if name not in known)

    return additional


# -- arrays -------------------------------------------------------------------------------


def _items(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    check = _compile(value, formats)  # a list (draft-07 tuple form) is Unsupported there
    return lambda instance: not isinstance(instance, list) or all(check(item) for item in instance)


# -- strings ------------------------------------------------------------------------------


def _size(kind: type[str] | type[list[Any]], fails: Callable[[int, int], bool]) -> Builder:
    """A bound on the length of strings or arrays (other instances always pass)."""

    def build(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
        bound = _count(value)

        def check(instance: object) -> bool:
            return not isinstance(instance, kind) or not fails(len(instance), bound)

        return check

    return build


def _pattern(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    if not isinstance(value, str):
        raise Unsupported("pattern")
    try:
        re.compile(value)  # what jsonschema's meta-schema accepts
    except (re.error, RecursionError, OverflowError):
        raise Unsupported("pattern") from None
    if not patterns.compiles(value):
        raise Unsupported("pattern")
    # A match too slow to finish is not valid: jsonschema (with the same matcher) then
    # explains it as "too slow".
    return lambda instance: not isinstance(instance, str) or patterns.search(value, instance) is True


def _format(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
    check = formats.get(value) if isinstance(value, str) else None
    if check is None:  # jsonschema's own format checkers, or an unknown format
        raise Unsupported("format")
    return check


def _count(value: object) -> int:
    if type(value) is not int:  # jsonschema also accepts 1.0; leave such schemas to it
        raise Unsupported("count")
    return value


# -- numbers ------------------------------------------------------------------------------


def _bound(fails: Callable[[Any, Any], bool]) -> Builder:
    """A numeric bound, failing exactly when jsonschema's comparison does (NaN passes)."""

    def build(value: object, schema: dict[str, Any], formats: Mapping[str, Check]) -> Check:
        if not _is_number(value):
            raise Unsupported("bound")
        return lambda instance: not _is_number(instance) or not fails(instance, value)

    return build


_KEYWORDS: dict[str, Builder] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "items": _items,
    "minItems": _size(list, lambda length, bound: length < bound),
    "maxItems": _size(list, lambda length, bound: length > bound),
    "minLength": _size(str, lambda length, bound: length < bound),
    "maxLength": _size(str, lambda length, bound: length > bound),
    "pattern": _pattern,
    "format": _format,
    "minimum": _bound(lambda instance, bound: instance < bound),
    "maximum": _bound(lambda instance, bound: instance > bound),
    "exclusiveMinimum": _bound(lambda instance, bound: instance <= bound),
    "exclusiveMaximum": _bound(lambda instance, bound: instance >= bound),
}
