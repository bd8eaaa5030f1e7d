"""Inline suppression comments in front matter and body."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import GOOD_EPISODE, run_cli


def codes(tmp_path: Path, text: str) -> list[tuple[str, int]]:
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    result = run_cli("check", "p.md", "--format", "json", cwd=tmp_path)
    return [(str(v["code"]), int(v["line"])) for v in result.json()]  # type: ignore[call-overload]


def test_line_disable_in_front_matter(tmp_path: Path) -> None:
    text = GOOD_EPISODE.replace('duration: "01:02:03"', "duration: 45:30  # epilint: disable=YT001")
    assert codes(tmp_path, text) == []
    other = GOOD_EPISODE.replace('duration: "01:02:03"', "duration: 45:30  # epilint: disable=FM014")
    assert codes(tmp_path, other) == [("YT001", 7), ("EL001", 7)]  # FM014 suppresses nothing there


def test_disable_file_by_prefix(tmp_path: Path) -> None:
    text = GOOD_EPISODE.replace(
        'duration: "01:02:03"', "duration: 45:30\n# epilint: disable-file=YT\nepisode: 010"
    )
    assert codes(tmp_path, text) == []


def test_body_next_line_and_ranges(tmp_path: Path) -> None:
    body = (
        "<!-- epilint-disable-next-line FM -->\n"
        "text\n"
        "<!-- epilint-disable YT001 -->\n"
        "more\n"
        "<!-- epilint-enable YT001 -->\n"
    )
    text = GOOD_EPISODE.replace('duration: "01:02:03"', "duration: 45:30") + body
    # the body directives do not reach the front matter lines (and suppress nothing: EL001)
    assert codes(tmp_path, text) == [("YT001", 7), ("EL001", 13), ("EL001", 15)]


def test_suppression_only_in_comments(tmp_path: Path) -> None:
    text = GOOD_EPISODE.replace(
        "description: The first episode.", "description: 'epilint: disable=YT001'"
    ).replace('duration: "01:02:03"', "duration: 45:30")
    assert ("YT001", 7) in codes(tmp_path, text)


def test_body_directives_suppress_link_findings(tmp_path: Path) -> None:
    body = (
        "- [a](https://bit.ly/one)\n"
        "<!-- epilint-disable-next-line LN004 -->\n"
        "- [b](https://bit.ly/two)\n"
        "<!-- epilint-disable LN -->\n"
        "- [c](http://example.com/three)\n"
        "<!-- epilint-enable LN -->\n"
        "- [d](http://example.com/four)\n"
    )
    found = codes(tmp_path, GOOD_EPISODE + body)
    assert found == [("LN004", 13), ("LN006", 19)]
