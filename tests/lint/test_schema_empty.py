"""FM011 obeys the schema: a field the schema allows to be null or empty is not "empty"."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import GOOD_EPISODE, ROOT, run_cli


def test_a_field_the_schema_allows_to_be_empty_is_valid(tmp_path: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "episode.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["description"] = {"type": ["string", "null"], "x-epilint-role": "description"}
    schema["properties"]["title"] = {"type": "string", "x-epilint-role": "title"}  # no minLength
    (tmp_path / "s.json").write_text(json.dumps(schema), encoding="utf-8")
    text = GOOD_EPISODE.replace("description: The first episode.", "description:").replace(
        "title: 1. Hello", "title: ''"
    )
    (tmp_path / "p.md").write_text(text.replace('"01:02:03"', ""), encoding="utf-8")
    result = run_cli(
        "check",
        "--no-cache",
        "--schema",
        "s.json",
        "--select",
        "FM",
        "--format",
        "json",
        "p.md",
        cwd=tmp_path,
    )
    assert [(v["code"], v["line"]) for v in result.json()] == [("FM011", 7)]  # only `duration:` is empty
    bundled = run_cli("check", "--no-cache", "--select", "FM", "--format", "json", "p.md", cwd=tmp_path)
    assert [(v["code"], v["line"]) for v in bundled.json()] == [("FM011", 6), ("FM011", 7), ("FM011", 9)]
