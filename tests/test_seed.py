"""The episode the user started from (../shared/seed) and what RULES.md says it must give."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli


def test_seed_empty_fields_are_fm011_on_lines_7_and_10(seed: Path) -> None:
    result = run_cli("check", seed, "--format", "json")
    assert result.code == 1
    fm011 = [v for v in result.json() if v["code"] == "FM011"]
    assert [(v["line"], v["column"]) for v in fm011] == [(7, 18), (10, 11)]
    size, duration = fm011
    assert size["message"] == '`audio_file_size` is empty: the feed will say <enclosure length="">'
    assert duration["message"] == (
        "`duration` is empty: the feed will say <itunes:duration></itunes:duration>"
    )
    for item in fm011:
        assert item["rule"] == "empty-field"
        assert item["severity"] == "error"
        assert item["end_line"] == item["line"]
        assert isinstance(item["fix"], dict)


def test_seed_outside_a_site_gets_no_site_rules(seed: Path) -> None:
    result = run_cli("check", seed, "--format", "json")
    assert not [v for v in result.json() if str(v["code"]).startswith(("EP", "CO"))]
