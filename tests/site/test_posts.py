"""Jekyll 4.3.1's post naming (DATE_FILENAME_MATCHER, EntryFilter) and post dates."""

from __future__ import annotations

import datetime as dt

import pytest

from epilint.site.posts import parse_post_name, post_entry, skipped_reason


@pytest.mark.parametrize(
    ("entry", "parts"),
    [
        ("2022-10-01-57.md", ("2022-10-01", "57", ".md")),
        ("2020-10-3-5.md", ("2020-10-3", "5", ".md")),  # fumufumu: 1-digit day is fine
        ("22-1-1-x.markdown", ("22-1-1", "x", ".markdown")),
        ("2018-03-18-4_5.md", ("2018-03-18", "4_5", ".md")),
        ("2022-10-01-57.5.md", ("2022-10-01", "57.5", ".md")),
        ("sub/dir/2022-10-01-a.md", ("2022-10-01", "a", ".md")),
        ("2022-10-01-.md", ("2022-10-01", "", ".md")),
    ],
)
def test_jekyll_reads_these_names(entry: str, parts: tuple[str, str, str]) -> None:
    name = parse_post_name(entry)
    assert name is not None
    assert (name.date_text, name.slug, name.ext) == parts
    assert skipped_reason(entry) is None


@pytest.mark.parametrize(
    "entry",
    [
        "2022-10-01.md",  # no title part
        "57.md",
        "2022-10-01-57",  # no extension
        "20221001-57.md",
        "12345-10-01-x.md",
        "2022-10-01-a/b",  # the date is in a folder name only
        "２０２２-10-01-x.md",  # Ruby's \d is ASCII
    ],
)
def test_jekyll_does_not_read_these_names(entry: str) -> None:
    assert parse_post_name(entry) is None
    assert "YYYY-MM-DD-title.ext" in (skipped_reason(entry) or "")


@pytest.mark.parametrize(
    "entry", ["_2022-10-01-x.md", ".2022-10-01-x.md", "#2022-10-01-x.md", "_old/2022-10-01-x.md"]
)
def test_special_names_are_skipped(entry: str) -> None:
    assert "starts with" in (skipped_reason(entry) or "")


def test_backup_and_include() -> None:
    assert "~" in (skipped_reason("2022-10-01-x.md~") or "")
    assert skipped_reason("_old/2022-10-01-x.md", include=("_old/*",)) is None
    # the name itself must still start with the date, included or not
    assert skipped_reason("_2022-10-01-x.md", include=("_2022-*",)) is not None


def test_post_entry_and_dates() -> None:
    assert post_entry("_posts/2022-10-01-x.md") == "2022-10-01-x.md"
    assert post_entry("blog/_posts/a/2022-10-01-x.md") == "a/2022-10-01-x.md"
    assert post_entry("about.md") is None
    assert post_entry("_posts") is None
    name = parse_post_name("2022-02-30-x.md")
    assert name is not None
    assert name.date is None
    name = parse_post_name("2020-10-3-5.md")
    assert name is not None
    assert name.date == dt.date(2020, 10, 3)
