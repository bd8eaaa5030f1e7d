"""The schema's regular expressions (``pattern``, ``patternProperties``), bounded in time.

jsonschema matches them with Python's ``re``, which backtracks: a user's ``^(a+)+$``
against forty ``a`` and a ``!`` never ends. epilint matches them with the ``regex``
module instead — in ``VERSION0`` mode it reads the same syntax and gives the same
answers as ``re`` (``bench/patterns.py`` compares it with ``re`` and ``google-re2``), and
its ``timeout`` stops a runaway match. A match that takes longer than ``TIMEOUT`` is
"too slow": the value is reported (FM013) and the run goes on. Once ``BUDGET`` seconds of
a run have gone to such matches, later ones get only ``LAST_TIMEOUT`` each, so a post
with thousands of hostile values stays bounded too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

TIMEOUT = 0.25
BUDGET = 2.0
LAST_TIMEOUT = 0.01

_spent = 0.0


def too_slow(pattern: str) -> str:
    """The reason given for a value the pattern could not be matched against in time."""
    return (
        f"the pattern `{pattern}` is too slow for this value (it backtracks without end); "
        "it was not checked: simplify the pattern"
    )


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> Any:
    import regex

    return regex.compile(pattern, flags=regex.VERSION0)


def compiles(pattern: str) -> bool:
    """True when the engine reads ``pattern``."""
    import regex

    try:
        _compiled(pattern)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError):
        return False
    return True


@lru_cache(maxsize=4096)
def search(pattern: str, text: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``text`` (``re.search``); None when the
    match did not end within the time bound. ``pattern`` must compile (``compiles``)."""
    global _spent
    limit = TIMEOUT if _spent < BUDGET else LAST_TIMEOUT
    try:
        return _compiled(pattern).search(text, timeout=limit) is not None
    except TimeoutError:
        _spent += limit
        return None


# -- jsonschema's keywords that match regular expressions, with the bounded matcher -------


def keywords() -> dict[str, Any]:
    """``pattern``, ``patternProperties`` and ``additionalProperties`` for
    ``jsonschema.validators.extend``: jsonschema's own, matched by ``search``. A match that
    is too slow is an error (``too_slow``) at that value; nothing else changes."""
    from jsonschema import ValidationError, _keywords

    additional_properties: Any = _keywords.additionalProperties

    def slow(pattern: str) -> Any:
        error = ValidationError(too_slow(pattern))
        error.too_slow = True  # type: ignore[attr-defined]
        return error

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "string"):
            return
        found = search(patrn, instance)
        if found is None:
            yield slow(patrn)
        elif not found:
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    def pattern_properties(validator: Any, properties: Any, instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "object"):
            return
        for patrn, subschema in properties.items():
            for key, value in instance.items():
                found = search(patrn, key)
                if found is None:
                    yield slow(patrn)
                elif found:
                    yield from validator.descend(value, subschema, path=key, schema_path=patrn)

    def additional(validator: Any, allowed: Any, instance: Any, schema: Any) -> Any:
        joined = "|".join(schema.get("patternProperties", {}))
        if not joined or not validator.is_type(instance, "object"):
            yield from additional_properties(validator, allowed, instance, schema)
            return
        known = schema.get("properties", {})
        extras = set()
        for key in instance:
            if key in known:
                continue
            found = search(joined, key)
            if found is None:
                yield slow(joined)
                return
            if not found:
                extras.add(key)
        if validator.is_type(allowed, "object"):
            for extra in extras:
                yield from validator.descend(instance[extra], allowed, path=extra)
        elif not allowed and extras:
            verb = "does" if len(extras) == 1 else "do"
            names = ", ".join(repr(each) for each in sorted(extras))
            listed = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            yield ValidationError(f"{names} {verb} not match any of the regexes: {listed}")

    return {"pattern": pattern, "patternProperties": pattern_properties, "additionalProperties": additional}
