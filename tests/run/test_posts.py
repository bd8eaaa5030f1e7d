"""A run over one post of a site answers the collection rules from the store, and sees every
change to the other posts: edited in place (even at the same size and modification
time), added, removed, renamed, in a new folder."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epilint.model import Span
from epilint.run import posts
from epilint.run.cache import ResultsCache
from epilint.run.store import Store
from epilint.site import episodes
from epilint.site.collection import SiteIndex
from epilint.site.summary import Numbered, Summary
from tests import store_rows
from tests.conftest import FIXTURES, GOOD_EPISODE, CliResult, episode, run_cli

POSTS = 40
TARGET = "_posts/2022-01-20-20.md"


def _name(number: int) -> str:
    return (
        f"_posts/2022-01-{number:02d}-{number}.md"
        if number <= 31
        else f"_posts/2022-02-{number - 31:02d}-{number}.md"
    )


@pytest.fixture
def site(make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site of 40 numbered posts, old enough (for a short margin) that their stamps are trusted."""
    monkeypatch.setattr(posts, "MARGIN_NS", 50_000_000)
    files = {}
    for number in range(1, POSTS + 1):
        day = _name(number).split("/")[1][:10]
        files[_name(number)] = episode(GOOD_EPISODE, day=day, number=number)
    made = make_site(files)
    time.sleep(0.15)
    return made


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Site indexes answered from the store (their count of fresh summaries)."""
    made: list[int] = []
    original = posts.StoredIndex.__init__

    def counting(self: posts.StoredIndex, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(len(kwargs["fresh"]))

    monkeypatch.setattr(posts.StoredIndex, "__init__", counting)
    return made


def check(site: Path, *args: str) -> CliResult:
    result = run_cli("check", "--format", "json", *args, cwd=site)
    assert result.code in (0, 1), result.err
    return result


def same_as_cold(site: Path, target: str = TARGET) -> list[dict[str, Any]]:
    warm = check(site, target)
    assert warm == check(site, "--no-cache", target)
    return warm.json()


def codes(found: list[dict[str, Any]]) -> list[str]:
    return sorted(v["code"] for v in found)


def rewrite(path: Path, old: str, new: str, *, keep_mtime: bool = False) -> None:
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_one_post_is_judged_from_the_store_and_every_change_is_seen(site: Path, stored: list[int]) -> None:
    check(site)  # a whole run fills the store
    time.sleep(0.1)
    assert codes(same_as_cold(site)) == []
    assert stored
    assert stored[-1] == 1  # only the linted post was summarised afresh
    # Edited in place, at the same size, with the old modification time: the change time moved.
    other = site / _name(7)
    rewrite(other, "title: 7. Hello", "title: 20 Hello", keep_mtime=True)
    found = same_as_cold(site)
    assert "CO005" in codes(found)
    assert stored[-1] == 2  # the linted post and the edited one
    rewrite(other, "title: 20 Hello", "title: 7. Hello", keep_mtime=True)
    assert "CO005" not in codes(same_as_cold(site))
    # Added: a post that reuses the number.
    (site / "_posts" / "2022-03-01-99.md").write_text(
        episode(GOOD_EPISODE, day="2022-03-01", number=20), encoding="utf-8"
    )
    assert "CO005" in codes(same_as_cold(site))
    # Renamed (a new site path for the same post), then removed.
    os.rename(site / "_posts" / "2022-03-01-99.md", site / "_posts" / "2022-03-02-99.md")
    found = same_as_cold(site)
    assert "2022-03-02-99" in json.dumps(found)
    (site / "_posts" / "2022-03-02-99.md").unlink()
    assert "CO005" not in codes(same_as_cold(site))
    # In a new folder below _posts.
    (site / "_posts" / "more").mkdir()
    (site / "_posts" / "more" / "2022-03-03-98.md").write_text(
        episode(GOOD_EPISODE, day="2022-03-03", number=20), encoding="utf-8"
    )
    assert "CO005" in codes(same_as_cold(site))
    # A gap made by removing the previous episode, and one post out of order.
    (site / "_posts" / "more" / "2022-03-03-98.md").unlink()
    (site / _name(19)).unlink()
    assert "CO003" in codes(same_as_cold(site))
    rewrite(site / _name(21), "date: 2022-01-21 ", "date: 2021-12-01 ")
    assert "CO004" in codes(same_as_cold(site))
    assert len(stored) >= 8


def test_posts_the_feed_leaves_out_are_not_counted_from_the_store(site: Path, stored: list[int]) -> None:
    """A blog post the site's feed template skips reuses the judged post's number: no
    episode, so no duplicate, whether the index is in memory or answered from the store."""
    fork = (FIXTURES / "feeds" / "fork.xml").read_text(encoding="utf-8")
    (site / "feed.xml").write_text(fork, encoding="utf-8")
    with (site / "_config.yml").open("a", encoding="utf-8") as config:
        config.write("url: https://example.org\n")
    blog = "---\ntitle: 20. A blog post\ncategories: blog\n---\nNews.\n"
    (site / "_posts" / "2022-03-01-news.md").write_text(blog, encoding="utf-8")
    time.sleep(0.15)  # its stamp trusted (the short margin)
    check(site)  # a whole run fills the store
    time.sleep(0.1)
    found = same_as_cold(site)
    assert stored  # answered from the store
    assert "CO005" not in codes(found)
    # The same post as an episode (no category the feed skips): a duplicate number.
    (site / "_posts" / "2022-03-01-news.md").write_text(
        blog.replace("categories: blog\n", ""), encoding="utf-8"
    )
    assert "CO005" in codes(same_as_cold(site))


def test_a_racy_stamp_is_not_trusted(site: Path, stored: list[int]) -> None:
    """An edit in the same clock tick as the stamp leaves the stamp as it was: a row whose
    stamp equals the file's but was taken too soon after the file last changed is checked
    again against the file's bytes."""
    check(site)
    time.sleep(0.1)
    folder = Path(os.environ["EPILINT_CACHE_DIR"])
    other = site / _name(7)
    rewrite(other, "title: 7. Hello", "title: 20 Hello")  # now a second episode 20 …
    now = other.stat()
    update = "UPDATE summaries SET size = ?, mtime = ?, ctime = ?, ino = ?, stamped = ? WHERE path = ?"
    stamp = (now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino)
    # … but its row's stamp is the file's own, as if the edit had not moved it.
    store_rows.execute(folder, update, (*stamp, now.st_ctime_ns + posts.MARGIN_NS // 2, os.fspath(other)))
    assert "CO005" in codes(same_as_cold(site))  # not trusted: the file's bytes were compared
    # The row now holds the summary of that text (title 20). Back to 7, with the row's stamp
    # again the file's own but taken long after the file changed: trusted, so the row (not
    # the file) answers — which is why a stamp must not be trusted too soon.
    rewrite(other, "title: 20 Hello", "title: 7. Hello")
    now = other.stat()
    stamp = (now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino)
    store_rows.execute(folder, update, (*stamp, now.st_ctime_ns + 2 * posts.MARGIN_NS, os.fspath(other)))
    assert "CO005" in codes(check(site, TARGET).json())
    assert "CO005" not in codes(check(site, "--no-cache", TARGET).json())


def test_damaged_summary_rows_are_summarised_again(site: Path, stored: list[int]) -> None:
    check(site)
    time.sleep(0.1)
    folder = Path(os.environ["EPILINT_CACHE_DIR"])
    store_rows.execute(folder, "UPDATE summaries SET summary = '{not json' WHERE path LIKE '%-2%'")
    store_rows.execute(folder, "UPDATE summaries SET title_main = 20 WHERE path LIKE '%-3%'")  # columns lie
    assert codes(same_as_cold(site)) == []
    assert codes(same_as_cold(site, _name(30))) == []


def test_a_listing_is_walked_again_when_a_folder_changes(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[Path] = []
    original = posts.Posts._walk

    def counting(self: posts.Posts, root: Path) -> Any:
        walked.append(root)
        return original(self, root)

    monkeypatch.setattr(posts.Posts, "_walk", counting)
    check(site)
    time.sleep(0.1)
    walked.clear()
    same_as_cold(site)
    assert walked == []  # kept: no folder changed
    (site / "_posts" / "notes.txt").write_text("not a post", encoding="utf-8")
    same_as_cold(site)
    assert len(walked) >= 1
    walked.clear()
    (site / "_posts" / "link.md").symlink_to(site / _name(3))
    same_as_cold(site)
    walked.clear()
    same_as_cold(site)
    assert walked  # a folder holding a symbolic link is never taken as unchanged


def test_stamps_are_trusted_only_when_older_than_the_margin() -> None:
    stamp = (10, 1_000, 5 * 10**9, 7)
    assert posts.trusted(list(stamp), stamp, 5 * 10**9 + posts.MARGIN_NS + 1)
    assert not posts.trusted(list(stamp), stamp, 5 * 10**9 + posts.MARGIN_NS)
    assert not posts.trusted(list(stamp), (11, 1_000, 5 * 10**9, 7), 10**12)
    assert not posts.trusted(list(stamp), None, 10**12)
    assert not posts.trusted(list(stamp), stamp, "later")


# -- the stored index answers as the index in memory does ------------------------------------


def _numbered(rng: random.Random, series: str = "") -> Numbered | None:
    if rng.random() < 0.2:
        return None
    sub = rng.choice([None, None, None, 1, 2])
    return Numbered(episodes.EpisodeNumber(rng.randint(1, 9), sub), Span(0, 1), "x", series)


def _summaries(seed: int, count: int) -> list[Summary]:
    rng = random.Random(seed)
    found = []
    for index in range(count):
        audio = rng.choice([None, "", "a.mp3", "b.mp3", "c.mp3"])
        found.append(
            Summary(
                f"_posts/{rng.randint(0, 10**6):07d}-{index}.md",
                _numbered(rng),
                _numbered(rng) if rng.random() < 0.5 else None,
                _numbered(rng, rng.choice(["", "sp"])) if audio else None,
                audio,
                Span(2, 3) if audio else None,
                rng.choice([None, 1.0e9 + rng.randint(0, 10**6)]),
                None,
            )
        )
    return found


def _answers(index: Any, summaries: list[Summary]) -> Iterator[object]:
    keys = [(main, sub) for main in range(11) for sub in (None, 1, 2)]
    for summary in summaries:
        yield ("has", index.has(summary.site_path))
        yield ("audio", index.audio_agreement(summary), index.field_agreement(summary))
    yield ("has", index.has("_posts/none.md"))
    for key in keys:
        yield ("titled", key, list(index.titled(key)))
        yield ("numbered", key, list(index.numbered(key)))
    for audio in ("a.mp3", "b.mp3", "c.mp3", "d.mp3"):
        yield ("shared", audio, list(index.sharing_audio(audio)))
    for main in range(11):
        yield ("first", main, index.first_of(main), index.previous_main(main), index.next_main(main))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 30), st.integers(0, 6), st.integers(0, 5))
def test_the_stored_index_answers_as_the_index_in_memory(
    seed: int, count: int, fresh: int, gone: int
) -> None:
    import tempfile

    everything = _summaries(seed, count + fresh + gone)
    rows, own, removed = everything[:count], everything[count : count + fresh], everything[count + fresh :]
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp))
        cache = ResultsCache(store, "run", lambda path: "print", root_of=lambda path: "/site")
        replaced = {}
        for summary in [*rows, *removed]:
            cache.keep_summary(Path("/site") / summary.site_path, "d", summary, None)
        for summary in own:  # a fresh summary, in place of a row that says something else
            path = Path("/site") / summary.site_path
            if rng.random() < 0.5:
                cache.keep_summary(path, "d", _summaries(seed + 1, 1)[0], None)
            replaced[os.fspath(path)] = summary
        assert store.commit({"results": "run"})
        gone_paths = {os.fspath(Path("/site") / s.site_path) for s in removed}
        index = posts.StoredIndex(
            store, "run", "/site", "print", fresh=dict(replaced), gone=gone_paths, summarize=lambda p: None
        )
        memory = SiteIndex([*rows, *own])
        assert list(_answers(index, [*rows, *own])) == list(_answers(memory, [*rows, *own]))
        store.close()
