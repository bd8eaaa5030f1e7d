"""Every "Jekyll does X" claim of the EP/YT/FM messages, checked against a real Jekyll build.

The fixture site in ``tests/jekyll/site`` (own ``_layouts/article.html`` and a
``feed.xml`` emitting ``<enclosure length>``, ``<itunes:duration>`` and ``<pubDate>`` per
post, like yattecast's) is built with the real ``jekyll build`` into a temporary folder,
once per variant. For each behaviour the test asserts that Jekyll really does it, and
that epilint flags exactly the posts where it happens: no more, no fewer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import require, run_cli

pytestmark = pytest.mark.jekyll

SITE = Path(__file__).resolve().parent / "site"
_ITEM = re.compile(r"<item>(.*?)</item>", re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Build:
    source: Path
    returncode: int
    log: str
    #: Feed items by post path (`_posts/…`): the text of each feed element.
    items: dict[str, dict[str, str]]

    def posts(self) -> set[str]:
        return {p.relative_to(self.source).as_posix() for p in (self.source / "_posts").iterdir()}


def jekyll_build(source: Path, dest: Path) -> Build:
    jekyll = require("jekyll")
    # --safe: no plugins; no disk cache in the source; everything stays in tmp folders.
    done = subprocess.run(
        [jekyll, "build", "--safe", "--disable-disk-cache", "-s", str(source), "-d", str(dest)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    items: dict[str, dict[str, str]] = {}
    feed = dest / "feed.xml"
    if done.returncode == 0 and feed.is_file():
        for body in _ITEM.findall(feed.read_text(encoding="utf-8")):
            fields = dict(re.findall(r"<([\w:]+)>(.*?)</\1>", body))
            fields["length"] = re.search(r'length="([^"]*)"', body).group(1)  # type: ignore[union-attr]
            items[fields["source"]] = fields
    return Build(source, done.returncode, _ANSI.sub("", done.stdout + done.stderr), items)


def copy_site(tmp: Path, edit: Callable[[Path], None] | None = None) -> Path:
    source = tmp / "src"
    shutil.copytree(SITE, source)
    if edit is not None:
        edit(source)
    return source


def flagged(source: Path, code: str, field: str | None = None) -> set[str]:
    """Posts epilint flags with ``code`` (optionally only on the line of ``field``)."""
    result = run_cli("check", "--format", "json", "--select", code, "_posts", cwd=source)
    assert result.code in (0, 1), result.err
    found = set()
    for item in result.json():
        path = str(item["path"])
        if field is not None:
            line = (source / path).read_text(encoding="utf-8").splitlines()[int(item["line"]) - 1]  # type: ignore[call-overload]
            if not line.startswith(f"{field}:"):
                continue
        found.add(path)
    return found


def front_matter(source: Path, post: str, key: str) -> str:
    text = (source / post).read_text(encoding="utf-8")
    match = re.search(rf"^{key}:[ ]?(.*)$", text, re.MULTILINE)
    assert match is not None
    return match.group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    tmp = tmp_path_factory.mktemp("oracle")
    source = copy_site(tmp)
    build = jekyll_build(source, tmp / "_site")
    assert build.returncode == 0, build.log
    return build


def test_future_post_is_skipped(site: Build) -> None:
    skipped = set(re.findall(r"Skipping: (\S+) has a future date", site.log))
    assert skipped == {"_posts/2099-01-01-2.md"}
    assert not skipped & site.items.keys()
    assert flagged(site.source, "EP002") == skipped


def test_future_true_publishes_it_and_epilint_is_silent(tmp_path: Path) -> None:
    def future(source: Path) -> None:
        with (source / "_config.yml").open("a", encoding="utf-8") as handle:
            handle.write("future: true\n")

    source = copy_site(tmp_path, future)
    build = jekyll_build(source, tmp_path / "_site")
    assert build.returncode == 0, build.log
    assert "_posts/2099-01-01-2.md" in build.items
    assert "has a future date" not in build.log
    assert flagged(source, "EP002") == set()


def test_badly_named_post_is_silently_not_published(site: Build) -> None:
    future = set(re.findall(r"Skipping: (\S+) has a future date", site.log))
    unpublished = site.posts() - site.items.keys() - future
    assert unpublished == {"_posts/2022-10-01.md"}
    assert "2022-10-01.md" not in site.log  # silently: no warning at all
    assert flagged(site.source, "EP003") == unpublished


def test_unquoted_duration_is_a_base_60_number(site: Build) -> None:
    changed = {
        post
        for post, item in site.items.items()
        if item["itunes:duration"] != front_matter(site.source, post, "duration").strip('"')
    }
    assert changed == {"_posts/2022-09-11-4.md"}
    assert site.items["_posts/2022-09-11-4.md"]["itunes:duration"] == "163800"
    assert flagged(site.source, "YT001", "duration") == changed


def test_empty_size_gives_an_empty_enclosure_length(site: Build) -> None:
    empty = {post for post, item in site.items.items() if item["length"] == ""}
    assert empty == {"_posts/2022-09-12-5.md"}
    assert flagged(site.source, "FM011", "audio_file_size") == empty


def test_date_without_offset_is_read_as_utc_and_shifted(site: Build) -> None:
    shifted = set()
    for post, item in site.items.items():
        written = front_matter(site.source, post, "date")[:19]  # wall time as written
        published = _wall_time(item["pubDate"])
        if published != written:
            shifted.add(post)
    assert shifted == {"_posts/2022-09-20-6.md"}
    assert site.items["_posts/2022-09-20-6.md"]["pubDate"] == "Wed, 21 Sep 2022 05:00:00 +0900"
    assert flagged(site.source, "YT004") == shifted


def test_unknown_layout_is_warned_and_rendered_without_layout(site: Build) -> None:
    warned = set(re.findall(r"Layout '\w+' requested in (\S+) does not exist\.", site.log))
    assert warned == {"_posts/2022-09-13-7.md"}
    dest = site.source.parent / "_site"
    assert "<audio" not in (dest / "episode" / "7.html").read_text(encoding="utf-8")  # no player
    assert "<audio" in (dest / "episode" / "1.html").read_text(encoding="utf-8")
    assert flagged(site.source, "EP007") == warned


def test_front_matter_date_overrides_the_file_name_date(site: Build) -> None:
    differs = {post for post, item in site.items.items() if _day(item["pubDate"]) != post.split("/")[-1][:10]}
    # post 8 names 2022-10-01 but says 2022-10-08; post 6 lacks an offset and lands on the 21st
    assert differs == {"_posts/2022-10-01-8.md", "_posts/2022-09-20-6.md"}
    assert site.items["_posts/2022-10-01-8.md"]["pubDate"].startswith("Sat, 08 Oct 2022")
    assert flagged(site.source, "EP004") == differs


def test_invalid_date_fails_the_whole_build(tmp_path: Path) -> None:
    def broken(source: Path) -> None:
        text = (source / "_posts" / "2022-09-10-1.md").read_text(encoding="utf-8")
        bad = text.replace("date: 2022-09-10 20:00:00 +0900", "date: 2022-13-45 10:00:00 +0900")
        (source / "_posts" / "2022-09-14-9.md").write_text(bad.replace("1.", "9."), encoding="utf-8")

    source = copy_site(tmp_path, broken)
    build = jekyll_build(source, tmp_path / "_site")
    assert build.returncode != 0
    assert "does not have a valid date" in build.log
    assert not (tmp_path / "_site" / "feed.xml").exists()
    assert flagged(source, "FM013", "date") == {"_posts/2022-09-14-9.md"}


def test_epilint_reports_nothing_else_on_the_fixture_site(site: Build) -> None:
    result = run_cli("check", "--format", "json", "_posts", cwd=site.source)
    found = {(str(v["path"]), str(v["code"])) for v in result.json()}
    assert found == {
        ("_posts/2099-01-01-2.md", "EP002"),
        ("_posts/2022-10-01.md", "EP003"),
        ("_posts/2022-09-11-4.md", "YT001"),
        ("_posts/2022-09-12-5.md", "FM011"),
        ("_posts/2022-09-20-6.md", "YT004"),
        ("_posts/2022-09-20-6.md", "EP004"),
        ("_posts/2022-09-13-7.md", "EP007"),
        ("_posts/2022-10-01-8.md", "EP004"),
        ("_posts/2022-09-11-4.md", "CO003"),
        ("_posts/2022-09-20-6.md", "CO004"),
        # the fixture's feed writes no <guid> (Apple then tells episodes apart by their
        # enclosure URL): a fault of the template, reported once, on the template
        ("feed.xml", "FD050"),
    }


def _feed_numbers(site: Build) -> list[int]:
    """Episode numbers in feed order (``site.posts``), from the item titles."""
    return [int(item["title"].split(".")[0]) for item in site.items.values()]


def test_unpublished_posts_leave_a_gap_in_the_numbering(site: Build) -> None:
    # episode 2 is future-dated and episode 3 misnamed: Jekyll publishes neither
    numbers = _feed_numbers(site)
    assert sorted(numbers) == [1, 4, 5, 6, 7, 8]
    assert flagged(site.source, "CO003") == {"_posts/2022-09-11-4.md"}


def test_feed_orders_episodes_by_date_not_number(site: Build) -> None:
    # episode 6 has no offset: read as UTC, it is dated 2022-09-21 05:00 +0900, after 7
    numbers = _feed_numbers(site)
    assert numbers.index(6) < numbers.index(7), numbers  # newest first: 6 is presented as newer
    assert flagged(site.source, "CO004") == {"_posts/2022-09-20-6.md"}


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


def _wall_time(rfc822: str) -> str:
    _, day, month, year, clock, _ = rfc822.replace(",", "").split()
    return f"{year}-{_MONTHS[month]:02d}-{int(day):02d} {clock}"


def _day(rfc822: str) -> str:
    return _wall_time(rfc822)[:10]
