"""CO rules: each post judged against the whole site, also when one file is linted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import GOOD_EPISODE, CliResult, episode, run_cli

SiteMaker = Callable[..., Path]


def post(number: str, day: str, *, audio: str | None = None, title: str | None = None) -> str:
    main = int(number.split("-", maxsplit=1)[0].split(".", maxsplit=1)[0])
    text = episode(GOOD_EPISODE, day=day, number=main)
    if title is not None or number != str(main):
        text = text.replace(f"title: {main}. Hello", f"title: {title or number + '. Hello'}")
    if audio is not None:
        text = text.replace(f"/audio/{main:03d}.mp3", audio)
    return text


def codes(result: CliResult) -> list[tuple[str, str, int]]:
    return [(str(v["path"]), str(v["code"]), int(v["line"])) for v in result.json()]  # type: ignore[call-overload]


def check(site: Path, *paths: str, extra: tuple[str, ...] = ()) -> CliResult:
    return run_cli("check", "--select", "CO", "--format", "json", *extra, *paths, cwd=site)


@pytest.fixture
def numbered(make_site: SiteMaker) -> Path:
    return make_site(
        {
            "_posts/2022-01-01-1.md": post("1", "2022-01-01"),
            "_posts/2022-01-08-2.md": post("2", "2022-01-08"),
            "_posts/2022-01-15-3.md": post("3", "2022-01-15"),
        }
    )


def test_a_clean_site_has_no_collection_findings(numbered: Path) -> None:
    assert check(numbered, "_posts").json() == []


def test_new_post_reusing_a_number_is_reported_on_a_partial_run(numbered: Path) -> None:
    new = "_posts/2022-01-22-4.md"
    (numbered / new).write_text(post("4", "2022-01-22", title="2. Copied title"), encoding="utf-8")
    result = check(numbered, new)
    assert codes(result) == [(new, "CO005", 9)]
    message = str(result.json()[0]["message"])
    assert "so does the title of `_posts/2022-01-08-2.md`" in message
    # the whole site sees both sides
    both = {(p, c) for p, c, _ in codes(check(numbered, "_posts"))}
    assert {(new, "CO005"), ("_posts/2022-01-08-2.md", "CO005")} <= both


def test_shared_audio_file(numbered: Path) -> None:
    new = "_posts/2022-01-22-4.md"
    (numbered / new).write_text(post("4", "2022-01-22", audio="/audio/003.mp3"), encoding="utf-8")
    result = check(numbered, new)
    assert codes(result) == [(new, "CO002", 3)]
    assert "`audio/003.mp3` is also the audio of `_posts/2022-01-15-3.md`" in str(result.json()[0]["message"])


def test_gap_is_reported_once_on_the_post_after_it(make_site: SiteMaker) -> None:
    site = make_site(
        {
            "_posts/2022-01-01-1.md": post("1", "2022-01-01"),
            "_posts/2022-01-08-2-1.md": post("2-1", "2022-01-08", audio="/audio/002-1.mp3"),
            "_posts/2022-01-09-2-2.md": post("2-2", "2022-01-09", audio="/audio/002-2.mp3"),
            "_posts/2022-01-10-2_5.md": post(
                "2", "2022-01-10", title="2.5. After show", audio="/audio/2_5.mp3"
            ),
            "_posts/2022-02-01-5.md": post("5", "2022-02-01"),
        }
    )
    result = check(site, "_posts")
    assert codes(result) == [("_posts/2022-02-01-5.md", "CO003", 9)]
    assert "episodes 3–4 are missing: the numbering jumps from 2 to 5" in str(result.json()[0]["message"])


def test_episode_dated_after_the_next_one(numbered: Path) -> None:
    late = "_posts/2022-01-08-2.md"
    (numbered / late).write_text(
        post("2", "2022-01-08").replace("date: 2022-01-08 00:00:00", "date: 2022-01-20 00:00:00"),
        encoding="utf-8",
    )
    result = check(numbered, late)
    assert codes(result) == [(late, "CO004", 5)]
    message = str(result.json()[0]["message"])
    assert "episode 2 is dated 2022-01-20 00:00 +0900, after episode 3" in message


def test_collection_findings_survive_the_results_cache(numbered: Path) -> None:
    new = "_posts/2022-01-22-4.md"
    (numbered / new).write_text(post("4", "2022-01-22", title="3. Again"), encoding="utf-8")
    cold = check(numbered, "_posts")
    warm = check(numbered, "_posts")
    assert cold.out == warm.out
    assert ("_posts/2022-01-15-3.md", "CO005", 9) in codes(warm)
    # renumbering the other post (not linted this time) clears the duplicate on this one,
    # although this file's own results come from the cache; the new order is reported
    (numbered / "_posts/2022-01-15-3.md").write_text(post("3", "2022-01-15", title="4. Renumbered"))
    after = check(numbered, new)
    assert codes(after) == [(new, "CO004", 5)]
    assert "episode 3 is dated 2022-01-22 00:00 +0900, after episode 4" in after.out


def test_suppression_applies_to_collection_findings_on_cache_hits(numbered: Path) -> None:
    new = "_posts/2022-01-22-4.md"
    text = post("4", "2022-01-22", title="2. Copied  # epilint: disable=CO005")
    (numbered / new).write_text(text, encoding="utf-8")
    assert check(numbered, new).json() == []
    assert check(numbered, new).json() == []  # warm


def test_outside_a_site_collection_rules_are_silent(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD_EPISODE, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD_EPISODE, encoding="utf-8")
    assert check(tmp_path, "a.md", "b.md").json() == []


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("template", "effect"),
    [
        (None, ": two episodes numbered 2"),
        ("site/feed.xml", "the feed writes no episode number (its template has no `itunes:episode`)"),
        (
            "feeds/fork.xml",
            "the feed gives both items `<itunes:episode>2</itunes:episode>` in `feed.xml`: podcast apps",
        ),
    ],
)
def test_co001_says_what_the_feed_shows(make_site: SiteMaker, template: str | None, effect: str) -> None:
    """Whether two posts' episode field is two episodes numbered N in podcast apps depends on
    the site's feed template writing it as ``itunes:episode``."""
    files = {
        "_posts/2022-01-01-1.md": post("1", "2022-01-01").replace("title:", "episode: 2\ntitle:", 1),
        "_posts/2022-01-08-2.md": post("2", "2022-01-08").replace("title:", "episode: 2\ntitle:", 1),
    }
    if template is not None:
        files["feed.xml"] = (FIXTURES / template).read_text(encoding="utf-8")
    site = make_site(files)
    schema = str(FIXTURES / "schemas" / "numbered.schema.json")
    found = check(site, "_posts/2022-01-08-2.md", extra=("--select", "CO001", "--schema", schema)).json()
    assert [v["code"] for v in found] == ["CO001"]
    assert effect in str(found[0]["message"]), found[0]["message"]
