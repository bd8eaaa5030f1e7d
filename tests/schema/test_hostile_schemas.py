"""Hostile schemas: configuration errors (exit 2, one clear line), never a traceback or hang.

Reference cycles, ``"$ref": "#"``, an ``https://`` ``$id`` that turns relative references
into network addresses, nesting beyond any real schema; and user ``pattern`` keywords
that backtrack without end, which are reported per value (FM013) while the run goes on.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import GOOD_EPISODE


def _deep(levels: int) -> str:
    return '{"properties": {"title": ' + '{"items": ' * levels + "{}" + "}" * levels + "}}"


HTTPS_ID = {"$id": "https://example.com/s.json", "properties": {"title": {"$ref": "other.json"}}}
BAD_SCHEMAS: dict[str, tuple[dict[str, str], str]] = {
    "ref-cycle": (
        {"s.json": json.dumps({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
                               "properties": {"title": {"$ref": "#/$defs/a"}}})},
        "reference cycle",
    ),
    "ref-root": ({"s.json": json.dumps({"$ref": "#", "properties": {"title": {"type": "string"}}})}, "cycle"),
    "ref-self-in-allof": (
        {"s.json": json.dumps({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"})},
        "cycle",
    ),
    "ref-cycle-across-files": (
        {"s.json": json.dumps({"$ref": "other.json", "properties": {"title": {"type": "string"}}}),
         "other.json": json.dumps({"anyOf": [{"$ref": "s.json"}]})},
        "cycle",
    ),
    "https-id-relative-ref": (
        {"s.json": json.dumps(HTTPS_ID),
         "other.json": '{"type": "string"}'},
        "network address",
    ),
    "deep-100000": ({"s.json": _deep(100_000)}, "nests deeper"),
    "deep-900": ({"s.json": _deep(900)}, "nests deeper"),
    "not-json": ({"s.json": "{"}, "not valid JSON"),
}  # fmt: skip


def _run(site: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "epilint", "check", "--no-cache", "--format", "json", *args],
        cwd=site, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD_SCHEMAS))
def test_hostile_schemas_are_configuration_errors(make_site: Callable[..., Path], name: str) -> None:
    files, words = BAD_SCHEMAS[name]
    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE, **files})
    proc = _run(site, "--schema", "s.json", "_posts")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("epilint: error: ")
    assert words in proc.stderr


def test_an_https_id_with_same_document_references_still_works(make_site: Callable[..., Path]) -> None:
    schema = {"$id": "https://example.com/s.json", "$defs": {"t": {"type": "integer"}},
              "properties": {"title": {"$ref": "#/$defs/t"}}}  # fmt: skip
    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE, "s.json": json.dumps(schema)})
    proc = _run(site, "--schema", "s.json", "_posts")
    assert proc.returncode == 1, proc.stderr
    assert [f["code"] for f in json.loads(proc.stdout)] == ["FM012"]


@pytest.mark.parametrize(
    ("pattern", "where"),
    [("^(a|a)+$", "pattern"), ("^(a|aa)+$", "pattern"), ("^(a|a)+$", "patternProperties"),
     ("^(a|a)+$", "propertyNames")],
)  # fmt: skip
def test_a_catastrophic_pattern_is_fm013_too_slow_and_the_run_goes_on(
    make_site: Callable[..., Path], pattern: str, where: str
) -> None:
    hostile = "a" * 60 + "!"
    if where == "pattern":
        schema = {"properties": {"title": {"type": "string", "pattern": pattern}}}
    elif where == "patternProperties":
        schema = {"patternProperties": {pattern: {"type": "integer"}}, "additionalProperties": False}
    else:
        schema = {"propertyNames": {"pattern": pattern}}
    posts = {
        f"_posts/2022-09-{10 + i}-{i + 1}.md": f"---\ntitle: {hostile}\n{hostile}: 1\n---\n"
        for i in range(20)
    }
    site = make_site({**posts, "s.json": json.dumps(schema)})
    started = time.monotonic()
    proc = _run(site, "--schema", "s.json", "_posts", timeout=120)
    assert time.monotonic() - started < 60
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)
    slow = [f for f in found if f["code"] == "FM013" and "too slow" in f["message"]]
    assert {f["path"] for f in slow} == set(posts)


def test_a_deep_value_against_a_recursive_schema_is_a_finding(make_site: Callable[..., Path]) -> None:
    schema = {"properties": {"k": {"items": {"$ref": "#/properties/k"}}}}
    post = "---\nk: " + "[" * 499 + "]" * 499 + "\n---\n"
    site = make_site({"_posts/2022-09-10-1.md": post, "s.json": json.dumps(schema)})
    proc = _run(site, "--schema", "s.json", "_posts")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert any("nests too deeply" in f["message"] for f in json.loads(proc.stdout))


def test_a_catastrophic_ignore_urls_pattern_does_not_hang(make_site: Callable[..., Path]) -> None:
    links = " ".join(f"[x{i}]({'a' * 60}!{i})" for i in range(20))
    site = make_site({"_posts/2022-09-10-1.md": f"{GOOD_EPISODE}\n{links}\n"})
    (site / "epilint.toml").write_text('[links]\nignore-urls = ["^(a|a)+$", "^b"]\n', encoding="utf-8")
    started = time.monotonic()
    proc = _run(site, "_posts", timeout=120)
    assert time.monotonic() - started < 60
    assert proc.returncode in (0, 1), proc.stderr
