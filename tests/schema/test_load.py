"""Schema loading (safe, offline) and the translation of schema errors into FM violations."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from epilint.config.settings import Settings
from epilint.errors import ConfigError
from epilint.lint.linter import Linter
from epilint.schema import load as schema
from tests.conftest import GOOD_EPISODE, run_cli


def lint(tmp_path: Path, text: str, schema_path: Path | None = None) -> list[tuple[str, int, str]]:
    path = tmp_path / "episode.md"
    path.write_text(text, encoding="utf-8")
    loaded = schema.load_schema(schema_path or schema.bundled_schema())
    result = Linter.create(Settings(), loaded).lint_file(path)
    return [(v.code, result.positions.position(v.span.start)[0], v.message) for v in result.violations]


def test_bundled_schema_names_every_role() -> None:
    loaded = schema.load_schema(schema.bundled_schema())
    roles = {info.role for info in loaded.fields.values()}
    assert {"audio-path", "audio-size", "duration", "date", "title", "actors", "layout"} <= roles
    assert loaded.field_for("duration") is not None
    assert loaded.field_for("duration").name == "duration"  # type: ignore[union-attr]


def test_a_good_episode_is_clean(tmp_path: Path) -> None:
    assert lint(tmp_path, GOOD_EPISODE) == []


def test_missing_field_is_reported_on_the_closing_line(tmp_path: Path) -> None:
    text = GOOD_EPISODE.replace('duration: "01:02:03"\n', "")
    found = lint(tmp_path, text)
    assert [(c, line) for c, line, _ in found] == [("FM010", 9)]
    assert "<itunes:duration></itunes:duration>" in found[0][2]


def test_nested_type_error_points_at_the_item(tmp_path: Path) -> None:
    text = GOOD_EPISODE.replace("actor_ids: [alice, bob]", "actor_ids:\n  - alice\n  - [bob]")
    found = lint(tmp_path, text)
    assert [(c, line) for c, line, _ in found] == [("FM012", 4)]
    assert "`actor_ids[1]` is a list, not text" in found[0][2]


def test_messages_are_not_raw_validator_dumps(tmp_path: Path) -> None:
    text = GOOD_EPISODE.replace("audio_file_size: 48211456", "audio_file_size: 19.5 MB")
    ((code, line, message),) = lint(tmp_path, text)
    assert (code, line) == ("FM012", 4)
    assert message == (
        '`audio_file_size` is the text "19.5 MB", not a whole number: the feed will say '
        '<enclosure length="19.5 MB">'
    )


def test_closed_schema_reports_every_unknown_key(tmp_path: Path) -> None:
    raw = json.loads(schema.bundled_schema().read_text(encoding="utf-8"))
    raw["additionalProperties"] = False
    closed = tmp_path / "closed.schema.json"
    closed.write_text(json.dumps(raw), encoding="utf-8")
    text = GOOD_EPISODE.replace("layout: article", "layout: article\ntags: [a]\nmusic: x")
    found = lint(tmp_path, text, closed)
    assert [(c, line) for c, line, _ in found] == [("FM014", 9), ("FM014", 10)]


def test_other_field_names_work_by_editing_the_schema(tmp_path: Path) -> None:
    raw = json.loads(schema.bundled_schema().read_text(encoding="utf-8"))
    raw["properties"]["podcast_duration"] = raw["properties"].pop("duration")
    raw["required"] = [r if r != "duration" else "podcast_duration" for r in raw["required"]]
    custom = tmp_path / "theme.schema.json"
    custom.write_text(json.dumps(raw), encoding="utf-8")
    loaded = schema.load_schema(custom)
    assert loaded.field_for("duration").name == "podcast_duration"  # type: ignore[union-attr]
    text = GOOD_EPISODE.replace('duration: "01:02:03"', "podcast_duration: 45:30")
    assert [(c, line) for c, line, _ in lint(tmp_path, text, custom)] == [("YT001", 7)]


def test_local_ref_in_the_same_folder_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "defs.json").write_text(json.dumps({"type": "string", "minLength": 1}), encoding="utf-8")
    main = tmp_path / "main.json"
    main.write_text(
        json.dumps({"type": "object", "properties": {"title": {"$ref": "defs.json"}}}), encoding="utf-8"
    )
    loaded = schema.load_schema(main)
    assert list(loaded.iter_errors({"title": 5}))


@pytest.mark.parametrize(
    ("contents", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"type": 12}', "not a valid JSON Schema"),
        ('{"properties": {"a": {"$ref": "https://example.com/s.json"}}}', "no network"),
        ('{"properties": {"a": {"$ref": "/etc/passwd"}}}', "no network"),
        ('{"properties": {"a": {"$ref": "../outside.json"}}}', "outside"),
        ('{"properties": {"a": {"$ref": "#/$defs/missing"}}}', "cannot be resolved"),
    ],
)
def test_bad_schemas_are_configuration_errors(tmp_path: Path, contents: str, fragment: str) -> None:
    folder = tmp_path / "schemas"
    folder.mkdir()
    path = folder / "bad.json"
    path.write_text(contents, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(")):
        schema.load_schema(path)
    assert time.monotonic() - started < 5


def test_bad_schema_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"properties": {"a": {"$ref": "http://127.0.0.1:9/x.json"}}}', encoding="utf-8")
    post = tmp_path / "p.md"
    post.write_text(GOOD_EPISODE, encoding="utf-8")
    result = run_cli("check", "--schema", bad, post)
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err


def test_custom_formats() -> None:
    assert schema.is_duration("01:02:03")
    assert schema.is_duration("75:30")
    assert not schema.is_duration("1:2")
    assert not schema.is_duration("1h")
    assert schema.is_jekyll_date("2022-09-10 00:00:00 +0900")
    assert schema.is_jekyll_date("2022-09-10 00:00:00")
    assert not schema.is_jekyll_date("2022-02-30 00:00:00 +0900")
    assert not schema.is_jekyll_date("2022-9-10 00:00:00 +0900")
    assert schema.is_jekyll_date(5)  # types are the `type` keyword's business
