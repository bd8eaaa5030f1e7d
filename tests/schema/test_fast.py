"""The schema fast path answers exactly what jsonschema answers (differential test)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epilint.schema import fast as schema_check
from epilint.schema import load as schema
from epilint.schema.load import FORMATS, _validator

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# -- instances: what front matter turns into (JSON-ish values, NaN and infinities too) ---

KEYS = st.sampled_from(["title", "duration", "date", "tags", "size", "x", ""])
TEXT = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["45:30", "1:02:03", "61:00", "2022-09-10 08:00:00 +0900", "2022-02-30 08:00:00", "a b"]),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, -1.0, 2.5]),
    TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=12,
)

# -- schemas: every keyword of the subset, nested --------------------------------------

TYPES = st.sampled_from(["null", "boolean", "integer", "number", "string", "array", "object"])
NUMBERS = st.one_of(st.integers(-3, 3), st.sampled_from([0.5, -1.5, 2.0]))


def _keywords(sub: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "type": st.one_of(TYPES, st.lists(TYPES, min_size=1, max_size=3, unique=True)),
            "enum": st.lists(SCALARS, min_size=1, max_size=3),
            "const": VALUES,
            "required": st.lists(KEYS, max_size=3, unique=True),
            "properties": st.dictionaries(KEYS, sub, max_size=3),
            "additionalProperties": sub,
            "items": sub,
            "minItems": st.integers(0, 3),
            "maxItems": st.integers(0, 3),
            "minLength": st.integers(0, 4),
            "maxLength": st.integers(0, 4),
            "pattern": st.sampled_from(["^[0-9]+$", "a", ":", "^$", "[ぁ-ん]"]),
            "format": st.sampled_from(sorted(FORMATS)),
            "minimum": NUMBERS,
            "maximum": NUMBERS,
            "exclusiveMinimum": NUMBERS,
            "exclusiveMaximum": NUMBERS,
            "description": st.just("annotations never change validity"),
            "x-epilint-role": st.just("title"),
        },
    )


SCHEMAS: st.SearchStrategy[Any] = st.recursive(st.one_of(st.booleans(), st.just({})), _keywords, max_leaves=6)


def jsonschema_says(raw: Any, instance: Any) -> bool:
    return bool(_validator(Path("generated.schema.json"), raw, {}).is_valid(instance))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMAS, st.lists(VALUES, min_size=1, max_size=5))
def test_fast_path_agrees_with_jsonschema(sub: Any, instances: list[Any]) -> None:
    raw = {"$schema": DRAFT, **sub} if isinstance(sub, dict) else {"$schema": DRAFT, "allOf": [sub]}
    check = schema_check.compile(raw, FORMATS)
    if check is None:  # allOf (for a boolean top level) is outside the subset
        assert "allOf" in raw
        return
    validator = _validator(Path("generated.schema.json"), raw, {})
    for instance in instances:
        assert check(instance) == validator.is_valid(instance), (json.dumps(raw), instance)


@pytest.mark.parametrize("name", ["episode.schema.json", "mobileandbeer.schema.json"])
def test_bundled_schemas_take_the_fast_path_and_are_valid(name: str) -> None:
    raw = json.loads(schema.bundled_schema(name).read_text(encoding="utf-8"))
    # Loading a bundled schema skips meta-validation: that is only sound while this holds.
    jsonschema.validators.validator_for(raw).check_schema(raw)
    assert schema_check.compile(raw, FORMATS) is not None


@pytest.mark.parametrize(
    "raw",
    [
        {"$ref": "#/$defs/a", "$defs": {"a": {}}},
        {"anyOf": [{"type": "string"}]},
        {"patternProperties": {"^x": {}}},
        {"properties": {"a": {"format": "email"}}},
        {"items": [{"type": "string"}]},
        {"$schema": "http://json-schema.org/draft-04/schema#", "type": "string"},
        {"minLength": 1.0},
        {"unevaluatedProperties": False},
    ],
)
def test_anything_outside_the_subset_is_left_to_jsonschema(raw: dict[str, Any]) -> None:
    assert schema_check.compile(raw, FORMATS) is None


def test_nan_and_booleans_follow_jsonschema() -> None:
    raw = {"properties": {"n": {"minimum": 0}, "e": {"enum": [1, "a"]}, "c": {"const": [0]}}}
    check = schema_check.compile(raw, FORMATS)
    assert check is not None
    for instance in ({"n": math.nan}, {"n": -1}, {"e": True}, {"e": 1.0}, {"c": [False]}, {"c": [0.0]}):
        assert check(instance) == jsonschema_says(raw, instance), instance


def test_a_valid_document_never_imports_jsonschema(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import GOOD_EPISODE

    post = tmp_path / "episode.md"
    post.write_text(GOOD_EPISODE, encoding="utf-8")
    code = (
        "import sys\n"
        "from epilint.cli import main\n"
        f"status = main(['check', '--no-cache', '--select', 'FM', {str(post)!r}])\n"
        "assert 'jsonschema' not in sys.modules, 'jsonschema was imported'\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
