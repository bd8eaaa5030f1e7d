"""The identity guard against real git repositories: tiny sites, real commits, each change
reported exactly as intended (``epilint/run/identity.py``, ``epilint/feed/identity.py``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from epilint.feed import identity
from epilint.run import baseref
from epilint.run import git as gitmod
from epilint.run.identity import Phase, SiteIdentity
from tests.conftest import git, require, write_files

NOW = time.time()

#: A feed whose guid reads the post's `guid` key, else its URL (the pin is provable).
FEED_PIN = """\
---
---
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{{ site.title }}</title>
{% for post in site.posts %}
<item>
<title>{{ post.title | xml_escape }}</title>
<link>{{ site.url }}{{ post.url }}</link>
<guid isPermaLink="false">{{ post.guid | default: post.url }}</guid>
<pubDate>{{ post.date | date_to_rfc822 }}</pubDate>
<enclosure url="{{ site.url }}{{ post.audio_file_path }}"
 length="{{ post.audio_file_size }}" type="audio/mpeg"/>
</item>
{% endfor %}
</channel></rss>
"""
#: yattecast's shape: the guid is the page's absolute URL, no `guid` key is read.
FEED_URL = FEED_PIN.replace(
    '<guid isPermaLink="false">{{ post.guid | default: post.url }}</guid>',
    '<guid isPermaLink="true">{{ site.url }}{{ post.url }}</guid>',
)


def post(n: int, extra: str = "", title: str | None = None) -> str:
    return (
        f"---\ntitle: {title or f'Episode {n}'}\naudio_file_path: /audio/{n}.mp3\n"
        f"audio_file_size: {1000 + n}\n{extra}---\nShow notes {n}.\n"
    )


def make_repo(tmp_path: Path, feed: str = FEED_PIN, config: str = "", posts: int = 5) -> Path:
    require("git")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    files = {f"_posts/2024-01-0{n}-ep{n}.md": post(n) for n in range(1, posts + 1)}
    write_files(
        root, {"_config.yml": f"title: T\nurl: https://example.org\n{config}", "feed.xml": feed, **files}
    )
    commit(root, "base")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def guard(root: Path, ref: str = "main", cache: Path | None = None) -> tuple[SiteIdentity, Phase]:
    phase = Phase(cache, NOW, ref)
    found = phase.site(root)
    phase.cache.save()
    return found, phase


def summary(found: SiteIdentity) -> list[tuple[str, str, str, str | None, int, int]]:
    """(code, cause kind, path, key, line, episodes) of each report."""
    return [(r.code, r.cause.kind, r.cause.path, r.cause.key, r.cause.line, r.count) for r in found.reports]


def test_rename_is_one_finding_on_the_renamed_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    git(root, "mv", "_posts/2024-01-01-ep1.md", "_posts/2024-01-01-episode-one.md")
    found, _ = guard(root)
    # the guid (FD100) and the page's address (FD101), both on the renamed file
    assert summary(found) == [
        ("FD100", "rename", "_posts/2024-01-01-episode-one.md", None, 0, 1),
        ("FD101", "rename", "_posts/2024-01-01-episode-one.md", None, 0, 1),
    ]
    guid, link = found.reports
    assert guid.cause.old_path == "_posts/2024-01-01-ep1.md"
    assert [(c.element, c.old, c.new, c.identity) for c in guid.changes] == [
        ("guid", "/2024/01/01/ep1.html", "/2024/01/01/episode-one.html", True),
    ]
    assert [(c.element, c.old, c.new, c.identity) for c in link.changes] == [
        (
            "link",
            "https://example.org/2024/01/01/ep1.html",
            "https://example.org/2024/01/01/episode-one.html",
            False,
        ),
    ]
    # the template reads `post.guid`: pinning the old guid is proven to give it back
    assert found.pins == {"_posts/2024-01-01-episode-one.md": "/2024/01/01/ep1.html"}
    assert found.outcome is not None
    assert (found.outcome.published, found.outcome.matched) == (5, 5)


def test_rename_not_yet_known_to_git_is_paired_by_its_audio(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    os.rename(root / "_posts/2024-01-01-ep1.md", root / "_posts/2024-01-01-episode-one.md")
    found, _ = guard(root)
    assert [s[:3] for s in summary(found)] == [
        ("FD100", "rename", "_posts/2024-01-01-episode-one.md"),
        ("FD101", "rename", "_posts/2024-01-01-episode-one.md"),
    ]


def test_permalink_edit_is_reported_on_the_key(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write_files(root, {"_posts/2024-01-03-ep3.md": post(3, "permalink: /three/\n")})
    commit(root, "permalink")
    found, _ = guard(root, "HEAD~1")
    assert summary(found) == [
        ("FD100", "key", "_posts/2024-01-03-ep3.md", "permalink", 0, 1),
        ("FD101", "key", "_posts/2024-01-03-ep3.md", "permalink", 0, 1),
    ]
    assert found.pins == {"_posts/2024-01-03-ep3.md": "/2024/01/03/ep3.html"}


def test_site_url_change_is_one_finding_with_every_episode(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FEED_URL)
    write_files(root, {"_config.yml": "title: T\nurl: https://podcast.example.org\n"})
    found, _ = guard(root)
    # guid, link and enclosure all move: ONE finding per code on `url`, each with the five
    # episodes (the guid: FD100; the link and the audio URL: FD101)
    assert summary(found) == [
        ("FD100", "config", "_config.yml", "url", 0, 5),
        ("FD101", "config", "_config.yml", "url", 0, 5),
    ]
    guid, urls = found.reports
    assert {c.element for c in guid.changes} == {"guid"}
    assert {c.element for c in urls.changes} == {"link", "enclosure url"}
    assert found.pins == {}  # a shared cause: no pin per post


def test_site_url_change_moves_links_only_when_the_guid_is_relative(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write_files(root, {"_config.yml": "title: T\nurl: https://podcast.example.org\n"})
    found, _ = guard(root)
    assert summary(found) == [("FD101", "config", "_config.yml", "url", 0, 5)]


def test_template_guid_change_is_one_finding_on_the_template_line(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FEED_URL)
    changed = FEED_URL.replace("{{ site.url }}{{ post.url }}</guid>", "{{ post.id }}</guid>")
    write_files(root, {"feed.xml": changed})
    found, _ = guard(root)
    assert summary(found) == [("FD100", "template", "feed.xml", None, 9, 5)]


def test_lines_added_above_do_not_make_a_template_cause(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FEED_URL)
    write_files(
        root,
        {
            "feed.xml": FEED_URL.replace(
                "<title>{{ site.title }}</title>", "<title>{{ site.title }}</title>\n<language>en</language>"
            )
        },
    )
    found, _ = guard(root)
    assert found.reports == ()


def test_pinned_guid_keeps_a_renamed_episode_silent(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write_files(root, {"_posts/2024-01-01-ep1.md": post(1, 'guid: "urn:episode:1"\npermalink: /ep1/\n')})
    commit(root, "pinned")
    git(root, "mv", "_posts/2024-01-01-ep1.md", "_posts/2024-01-01-renamed.md")
    found, _ = guard(root)
    assert found.reports == ()


def test_deleted_posts_are_one_warning_on_the_feed(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "_posts/2024-01-02-ep2.md").unlink()
    git(root, "rm", "-q", "_posts/2024-01-04-ep4.md")
    found, _ = guard(root)
    assert summary(found) == [("FD102", "deleted", "feed.xml", None, 6, 2)]


def test_unpublished_and_future_posts_are_reported_on_their_keys(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write_files(
        root,
        {
            "_posts/2024-01-02-ep2.md": post(2, "published: false\n"),
            "_posts/2024-01-03-ep3.md": post(3, "date: 2999-01-01\n"),
        },
    )
    found, _ = guard(root)
    assert summary(found) == [
        ("FD102", "unpublished", "_posts/2024-01-02-ep2.md", "published", 0, 1),
        ("FD102", "future", "_posts/2024-01-03-ep3.md", "date", 0, 1),
    ]


def test_moved_to_the_future_by_renaming(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    git(root, "mv", "_posts/2024-01-02-ep2.md", "_posts/2999-01-02-ep2.md")
    found, _ = guard(root)
    assert summary(found) == [("FD102", "future", "_posts/2999-01-02-ep2.md", "date", 0, 1)]


def test_fine_changes_are_silent(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write_files(
        root,
        {
            "_posts/2024-02-01-ep6.md": post(6),  # a new episode
            "_posts/2024-01-03-ep3.md": post(3, "description: better notes\n", title="Episode 3 (edited)"),
            "about.md": "---\ntitle: About\n---\nAbout us.\n",
        },
    )
    commit(root, "new episode, edited description")
    found, _ = guard(root, "HEAD~1")
    assert found.reports == ()
    assert found.outcome is not None
    assert found.outcome.matched == 5


def test_an_episode_falling_out_of_a_limited_feed_is_not_removed(tmp_path: Path) -> None:
    limited = FEED_PIN.replace("{% for post in site.posts %}", "{% for post in site.posts limit: 3 %}")
    root = make_repo(tmp_path, limited)
    write_files(root, {"_posts/2024-02-01-ep6.md": post(6)})
    found, _ = guard(root)
    assert found.reports == ()


def test_a_scheduled_episode_was_never_published(tmp_path: Path) -> None:
    root = make_repo(tmp_path, config="future: true\n")
    write_files(root, {"_posts/2999-01-01-later.md": post(9)})
    commit(root, "scheduled")
    (root / "_posts/2999-01-01-later.md").unlink()
    found, _ = guard(root, "HEAD")
    assert found.reports == ()
    # a published one removed is reported
    (root / "_posts/2024-01-01-ep1.md").unlink()
    found, _ = guard(root, "HEAD")
    assert summary(found) == [("FD102", "deleted", "feed.xml", None, 6, 1)]


def test_a_category_filter_added_to_the_template_removes_episodes_there(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    filtered = FEED_PIN.replace("<item>", "{% if post.categories contains 'audio' %}<item>").replace(
        "</item>", "</item>{% endif %}"
    )
    write_files(root, {"feed.xml": filtered})
    found, _ = guard(root)
    assert summary(found) == [("FD102", "template", "feed.xml", None, 6, 5)]


def test_the_pin_fix_makes_the_guard_silent_for_the_guid(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    git(root, "mv", "_posts/2024-01-01-ep1.md", "_posts/2024-01-01-episode-one.md")
    found, _ = guard(root)
    (pinned,) = found.pins.items()
    path = root / pinned[0]
    text = path.read_text(encoding="utf-8")
    from epilint.run.identity import pin_for

    edit = pin_for(path, text, pinned[1])
    assert edit is not None
    path.write_text(text[: edit.span.start] + edit.content + text[edit.span.end :], encoding="utf-8")
    assert 'guid: "/2024/01/01/ep1.html"\n---' in path.read_text(encoding="utf-8")
    found, _ = guard(root)
    # the guid is the old one again; the page's address did move: FD101 says so
    assert summary(found) == [("FD101", "rename", "_posts/2024-01-01-episode-one.md", None, 0, 1)]
    # keeping the old address as well (`permalink:`) leaves nothing to report
    write_files(root, {pinned[0]: path.read_text(encoding="utf-8").replace("---\nShow", "---\nShow", 1)})
    text = path.read_text(encoding="utf-8").replace("title:", "permalink: /2024/01/01/ep1.html\ntitle:", 1)
    path.write_text(text, encoding="utf-8")
    found, _ = guard(root)
    assert found.reports == ()


def test_a_template_that_does_not_read_guid_offers_no_pin(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FEED_URL)
    git(root, "mv", "_posts/2024-01-01-ep1.md", "_posts/2024-01-01-episode-one.md")
    found, _ = guard(root)
    assert summary(found)[0] == ("FD100", "rename", "_posts/2024-01-01-episode-one.md", None, 0, 1)
    assert found.pins == {}


def test_a_pin_the_template_transforms_is_not_proven(tmp_path: Path) -> None:
    prefixed = FEED_PIN.replace(
        "{{ post.guid | default: post.url }}", "{{ site.url }}{{ post.guid | default: post.url }}"
    )
    root = make_repo(tmp_path, prefixed)
    git(root, "mv", "_posts/2024-01-01-ep1.md", "_posts/2024-01-01-episode-one.md")
    found, _ = guard(root)
    assert summary(found)[0][:2] == ("FD100", "rename")
    assert found.pins == {}  # `guid: "https://example.org/…"` would print the site's URL twice


def test_the_base_prediction_is_cached_by_commit(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    cache = tmp_path / "cache"
    write_files(root, {"_posts/2024-01-03-ep3.md": post(3, "permalink: /three/\n")})
    first, phase = guard(root, cache=cache)
    assert phase.counts["exports"] == 1
    assert phase.counts["predictions"] == 1
    second, phase = guard(root, cache=cache)
    assert phase.counts["cache hits"] == 1
    assert phase.counts["exports"] == 0
    assert second.cached
    assert summary(second) == summary(first)
    # another base commit is another entry
    commit(root, "next")
    third, phase = guard(root, "HEAD", cache=cache)
    assert phase.counts["exports"] == 1
    assert third.reports == ()


def test_a_damaged_cache_is_made_again(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    cache = tmp_path / "cache"
    guard(root, cache=cache)
    import sqlite3

    from epilint.run import store

    # the snapshots are a value of the store: damage what it holds
    with sqlite3.connect(cache / store.FILE_NAME) as db:
        (text,) = db.execute("SELECT data FROM kv_values WHERE name = ?", (baseref.FILE_NAME,)).fetchone()
        assert '"episodes":[' in text
        damaged = text.replace('"episodes":[', '"episodes":[[1],')
        db.execute("UPDATE kv_values SET data = ? WHERE name = ?", (damaged, baseref.FILE_NAME))
    found, phase = guard(root, cache=cache)
    assert phase.counts["exports"] == 1
    assert found.reports == ()


def test_the_working_tree_and_the_index_are_never_touched(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write_files(root, {"_posts/2024-01-03-ep3.md": post(3, "permalink: /three/\n"), "new.md": "x"})
    git(root, "add", "new.md")
    before = (git(root, "status", "--porcelain"), git(root, "stash", "list"), git(root, "rev-parse", "HEAD"))
    left = set(Path("/dev/shm").glob("epilint-base-*")) if Path("/dev/shm").is_dir() else set()
    guard(root)
    assert (
        git(root, "status", "--porcelain"),
        git(root, "stash", "list"),
        git(root, "rev-parse", "HEAD"),
    ) == before
    now = set(Path("/dev/shm").glob("epilint-base-*")) if Path("/dev/shm").is_dir() else set()
    assert now <= left, "temporary folders were left behind"


def test_a_site_in_a_folder_of_the_repository(tmp_path: Path) -> None:
    require("git")
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    files = {f"docs/_posts/2024-01-0{n}-ep{n}.md": post(n) for n in range(1, 4)}
    write_files(
        top,
        {
            "docs/_config.yml": "title: T\nurl: https://example.org\n",
            "docs/feed.xml": FEED_PIN,
            **files,
            "README": "x",
        },
    )
    commit(top, "base")
    git(top, "mv", "docs/_posts/2024-01-02-ep2.md", "docs/_posts/2024-01-02-two.md")
    found, _ = guard(top / "docs")
    assert summary(found)[0] == ("FD100", "rename", "_posts/2024-01-02-two.md", None, 0, 1)


def test_export_writes_no_link_and_placeholders_for_large_files(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    os.symlink(outside, root / "_posts" / "link.md")
    big = b"ID3" + b"\0" * (5 * 1024 * 1024)
    write_files(root, {"audio/1.mp3": big, "images/a.png": b"\x89PNG" + b"x" * 100_000})
    commit(root, "assets")
    base = gitmod.resolve("HEAD", root)
    dest = tmp_path / "out"
    dest.mkdir()
    assert baseref.export(base, "", dest) is None
    assert not (dest / "_posts" / "link.md").exists()
    assert (dest / "audio/1.mp3").stat().st_size == len(big)
    assert (dest / "audio/1.mp3").read_bytes()[:3] == b"ID3"
    # a placeholder: the size is the file's, the bytes beyond the head are a hole
    assert (dest / "images/a.png").stat().st_size == 100_004
    assert (dest / "images/a.png").read_bytes()[baseref.HEAD :].strip(b"\0") == b""
    assert (dest / "_posts/2024-01-01-ep1.md").read_text(encoding="utf-8") == post(1)


def test_outside_a_git_checkout_a_configured_base_is_a_note(tmp_path: Path) -> None:
    require("git")
    site = tmp_path / "site"
    write_files(site, {"_config.yml": "title: T\n", "feed.xml": FEED_PIN})
    found = Phase(None, NOW, "origin/main", option="identity-base", strict=False).site(site)
    assert found.commit is None
    assert "identity-base needs a git repository" in found.problems[0]


def test_snapshot_round_trip(tmp_path: Path) -> None:
    import datetime as dt

    from epilint.feed.predict import predict_site

    root = make_repo(tmp_path)
    shot = identity.read_snapshot(predict_site(root, dt.datetime.fromtimestamp(NOW, dt.timezone.utc)), root)
    data = identity.to_data(shot)
    again = identity.from_data(data)
    assert again.episodes == shot.episodes
    assert dict(again.posts) == {k: dict(v) for k, v in shot.posts.items()}
    with pytest.raises((ValueError, TypeError, KeyError)):
        identity.from_data({**data, "version": 0})


def test_absolute_url_reads_the_site_url(tmp_path: Path) -> None:
    # Jekyll's absolute_url reads site.config["url"]: the model records that read
    feed = FEED_URL.replace("{{ site.url }}{{ post.url }}</guid>", "{{ post.url | absolute_url }}</guid>")
    root = make_repo(tmp_path, feed)
    write_files(root, {"_config.yml": "title: T\nurl: https://podcast.example.org\n"})
    found, _ = guard(root)
    assert summary(found)[0] == ("FD100", "config", "_config.yml", "url", 0, 5)
    write_files(root, {"_config.yml": "title: T\nurl: https://example.org\nbaseurl: /podcast\n"})
    found, _ = guard(root)
    assert summary(found) == [("FD100", "config", "_config.yml", "baseurl", 0, 5)]
