"""EP001-EP011 on temporary sites, with real audio files where the rule measures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.audio_files import make_audio
from tests.conftest import GOOD_EPISODE, SITE_CONFIG, run_cli, write_files

POST = "_posts/2022-09-10-1.md"


def episode(**changes: str) -> str:
    """GOOD_EPISODE with some `key: value` lines replaced (value "" deletes the line)."""
    lines = GOOD_EPISODE.splitlines(keepends=True)
    out = []
    for line in lines:
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] != "\0":
                out.append(f"{key}: {changes[key]}\n")
            continue
        out.append(line)
    return "".join(out)


def lint(site: Path, *paths: str, select: str = "EP") -> list[dict[str, Any]]:
    result = run_cli("check", "--format", "json", "--select", select, *(paths or ("_posts",)), cwd=site)
    assert result.code in (0, 1), result.err
    return result.json()


def codes(found: list[dict[str, Any]]) -> list[str]:
    return [v["code"] for v in found]


@pytest.fixture
def site(make_site):  # type: ignore[no-untyped-def]
    def build(files: dict[str, str | bytes], config: str = SITE_CONFIG) -> Path:
        return make_site(files, config)

    return build


def test_good_episode_is_clean(site) -> None:
    root = site({POST: GOOD_EPISODE})
    assert lint(root) == []


# --- EP001 ---------------------------------------------------------------------------


def test_ep001_placeholders_and_supersedes_fm013(site) -> None:
    root = site({POST: episode(duration='"00:00"', audio_file_size="0", title="1. TODO title")})
    found = lint(root, select="EP,FM")
    assert codes(found) == ["EP001", "EP001", "EP001"]
    assert all(v["fix"]["applicability"] == "suggestion" for v in found)
    messages = " ".join(v["message"] for v in found)
    assert '<enclosure length="0">' in messages
    assert "<itunes:duration>00:00</itunes:duration>" in messages
    assert "`TODO`" in messages


def test_ep001_fix_is_safe_with_measured_values(site) -> None:
    root = site({POST: episode(duration='"00:00"', audio_file_size="0")})
    path = make_audio(root / "audio" / "001.mp3", 3)
    found = lint(root)
    fixes = {v["fix"]["edits"][0]["content"] for v in found}
    assert fixes == {str(os.stat(path).st_size), '"00:00:03"'}
    assert all(v["fix"]["applicability"] == "safe" for v in found)


# --- EP002 ---------------------------------------------------------------------------


def test_ep002_future_date(site) -> None:
    root = site({"_posts/2099-01-01-1.md": episode(date="2099-01-01 10:00:00 +0900")})
    found = lint(root)
    assert codes(found) == ["EP002"]
    assert "has a future date" in found[0]["message"]
    assert found[0]["line"] == 5


def test_ep002_silent_with_future_true(site) -> None:
    root = site(
        {"_posts/2099-01-01-1.md": episode(date="2099-01-01 10:00:00 +0900")}, SITE_CONFIG + "future: true\n"
    )
    assert lint(root) == []


def test_ep002_silent_for_past_dates(site) -> None:
    root = site({"_posts/2001-01-01-1.md": episode(date="2001-01-01 10:00:00 +0900")})
    assert "EP002" not in codes(lint(root))


def test_ep002_from_the_file_name_when_there_is_no_date(site) -> None:
    root = site({"_posts/2099-01-01-1.md": episode(date="\0")})
    found = lint(root)
    assert codes(found) == ["EP002"]
    assert "(file name)" in found[0]["message"]


# --- EP003 ---------------------------------------------------------------------------


def test_ep003_date_only_name(site) -> None:
    root = site({"_posts/2022-10-01.md": episode(date="2022-10-01 00:00:00 +0900")})
    found = lint(root)
    assert codes(found) == ["EP003"]
    assert "never published" in found[0]["message"]
    assert found[0]["fix"]["description"] == "rename it to `_posts/2022-10-01-1.md`"


def test_ep003_no_date_in_name_uses_the_front_matter_date(site) -> None:
    root = site({"_posts/57.md": episode(title="57. x", date="2022-09-10 00:30:00 +0900")})
    found = lint(root, select="EP003")
    assert found[0]["fix"]["description"] == "rename it to `_posts/2022-09-10-57.md`"


def test_ep003_special_names_and_non_posts(site) -> None:
    root = site({"_posts/_2022-09-10-1.md": GOOD_EPISODE, "about.md": GOOD_EPISODE, POST: GOOD_EPISODE})
    found = lint(root, "_posts", "about.md")
    assert [(v["path"], v["code"]) for v in found] == [("_posts/_2022-09-10-1.md", "EP003")]


# --- EP004 ---------------------------------------------------------------------------


def test_ep004_file_name_and_date_disagree(site) -> None:
    root = site({"_posts/2022-10-01-1.md": episode(date="2022-10-08 20:00:00 +0900")})
    found = lint(root)
    assert codes(found) == ["EP004"]
    assert "2022-10-01" in found[0]["message"]
    assert "2022-10-08" in found[0]["message"]


def test_ep004_compares_in_the_site_time_zone(site) -> None:
    # 2022-09-30 20:00 UTC is 2022-10-01 05:00 in Tokyo: the same day as the file name.
    root = site({"_posts/2022-10-01-1.md": episode(date="2022-09-30 20:00:00 +0000")})
    assert lint(root) == []


_FEED = """---
---
<rss><channel>{% for post in site.posts LOOP %}
<item><title>{{ post.title | xml_escape }}</title><guid>{{ site.url }}{{ post.url }}</guid></item>
END{% endfor %}</channel></rss>
"""


@pytest.mark.parametrize(
    ("loop", "end", "judged"),
    [
        ("limit:1", "", True),  # older than the newest post the feed keeps: an episode all the same
        ("", "", True),
        ("%}{% unless post.categories contains 'blog'", "{% endunless %}", False),  # no episode
    ],
)
def test_ep004_judges_the_episodes_of_the_feed(site, loop: str, end: str, judged: bool) -> None:
    """An episode older than the newest N the feed keeps is still an episode (its page and
    its place in the episode list stand); a post the feed leaves out by its category is not."""
    feed = _FEED.replace("LOOP %}", (loop + " %}").replace("%} %}", "%}")).replace("END", end)
    root = site(
        {
            "feed.xml": feed,
            "_posts/2022-10-01-1.md": episode(date="2022-10-08 20:00:00 +0900").replace(
                "title:", "categories: blog\ntitle:", 1
            ),
            "_posts/2022-12-01-3.md": episode(date="2022-12-01 20:00:00 +0900"),
        }
    )
    found = lint(root)
    assert [(v["code"], v["path"]) for v in found] == (
        [("EP004", "_posts/2022-10-01-1.md")] if judged else []
    )


# --- EP005 ---------------------------------------------------------------------------


def _day(n: int) -> str:
    return f"2022-{1 + n // 28:02d}-{1 + n % 28:02d}"


def numbered_site(site, posts: list[tuple[str, str]]) -> Path:  # type: ignore[no-untyped-def]
    """A site whose posts have these (title, audio path) pairs, one a day."""
    files = {}
    for n, (title, path) in enumerate(posts, 1):
        day = _day(n)
        files[f"_posts/{day}-{n}.md"] = episode(
            title=title, audio_file_path=path, date=f"{day} 20:00:00 +0900"
        )
    return site(files)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("title", "path", "flagged"),
    [
        ("{n}. Stable Diffusion", "/audio/{n:03d}.mp3", True),
        ("第{n}回「x」", "/audio/xrfm_{n:03d}.mp3", True),
        ("{n}.5. Aftershow", "/audio/{n}_5.mp3", False),
        ("{n}-1. 序", "/audio/{n:03d}-1.mp3", False),
    ],
)
def test_ep005_in_a_site_whose_files_carry_the_title_numbers(
    site, title: str, path: str, flagged: bool
) -> None:
    # posts 1 and 2 agree; post 3's file has another number (or a sub part missing on one side)
    posts = [(title.format(n=n), path.format(n=n)) for n in (1, 2)]
    wrong = path.format(n=4).replace("_5.mp3", "_6.mp3") if flagged else path.format(n=3)
    root = numbered_site(site, [*posts, (title.format(n=3), wrong)])
    found = lint(root, select="EP005")
    assert codes(found) == (["EP005"] if flagged else [])
    if flagged:
        assert found[0]["path"].endswith("-3.md")
        assert "the site's other posts match: 2 of 2" in found[0]["message"]


@pytest.mark.parametrize(
    ("title", "path"),
    [
        ("57. Stable Diffusion", "/audio/057.mp3"),
        ("6-1. 序", "/audio/006.mp3"),  # a part number missing on one side: unsure
        ("2020 Goals", "/audio/2019.mp3"),  # not certain
        ("Estimating", "/audio/058.mp3"),
        ("57. Stable Diffusion", "/audio/058.mp3"),  # one post: the site shows nothing yet
    ],
)
def test_ep005_silent(site, title: str, path: str) -> None:
    root = site({POST: episode(title=title, audio_file_path=path)})
    assert lint(root, select="EP005") == []


def test_ep005_one_series_site_still_catches_a_wrong_file(site) -> None:
    posts = [(f"{n}. Episode", f"/audio/{n:03d}.mp3") for n in range(1, 57)]
    root = numbered_site(site, [*posts, ("57. Stable Diffusion", "/audio/058.mp3")])
    found = lint(root, select="EP005")
    assert codes(found) == ["EP005"]
    assert "episode 57" in found[0]["message"]
    assert "56 of 56" in found[0]["message"]


def test_ep005_side_show_and_specials_are_other_series(site) -> None:
    # a main series whose files carry its numbers, a side show numbered on its own
    # (`12.【ボタ山話#1】` → botayama001.mp3), specials (`sp001.mp3`), and a re-upload
    # (`138_2.mp3`, `_2` = second upload): none of them is a mismatch
    posts = [(f"{n}. 本編", f"/audio/{n:03d}.mp3") for n in range(1, 11)]
    posts += [(f"{n}.【ボタ山話#{n - 10}】", f"/audio/botayama{n - 10:03d}.mp3") for n in range(11, 14)]
    posts += [("特別編「春」", "/audio/sp001.mp3"), ("14. 再アップ", "/audio/014_2.mp3")]
    root = numbered_site(site, posts)
    assert lint(root, select="EP005") == []


def test_ep005_compares_the_id_field_only_when_the_site_shows_it(site) -> None:
    schema = """{"type": "object", "properties": {"title": {"type": "string", "x-epilint-role": "title"},
      "id": {"type": ["string", "integer"], "x-epilint-role": "episode-number"}}}"""
    files = {
        f"_posts/2022-01-0{n}-{n}.md": f"---\ntitle: {n}. Episode\nid: {n if n < 4 else 9}\n---\n"
        for n in range(1, 5)
    }
    root = site({**files, "schema.json": schema})
    found = run_cli(
        "check", "--format", "json", "--select", "EP005", "--schema", "schema.json", "_posts", cwd=root
    )
    assert [(v["code"], v["path"].rsplit("/", 1)[-1]) for v in found.json()] == [("EP005", "2022-01-04-4.md")]
    # ids numbered their own way (`sp001`, `138`): not compared
    files = {f"_posts/2022-01-0{n}-{n}.md": f"---\ntitle: {n}. Episode\nid: x{n}\n---\n" for n in range(1, 5)}
    root = site({**files, "schema.json": schema})
    found = run_cli(
        "check", "--format", "json", "--select", "EP005", "--schema", "schema.json", "_posts", cwd=root
    )
    assert found.json() == []


# --- EP006 ---------------------------------------------------------------------------


def test_ep006_unknown_actor_with_closest(site) -> None:
    root = site({POST: episode(actor_ids="[alice, bobb]")})
    found = lint(root)
    assert codes(found) == ["EP006"]
    assert "`bobb`" in found[0]["message"]
    assert "shows no one" in found[0]["message"]
    assert found[0]["fix"]["description"] == "did you mean `bob`?"


def test_ep006_actors_collection(site) -> None:
    config = "timezone: Asia/Tokyo\ncollections:\n  actors:\n    output: true\n"
    files = {"_actors/alice.md": "---\nactor_id: alice\n---\n", "_actors/b.md": "---\nactor_id: bob\n---\n"}
    root = site({**files, POST: GOOD_EPISODE}, config)
    assert lint(root) == []


def test_ep006_silent_when_the_site_defines_no_actors(site) -> None:
    root = site({POST: episode(actor_ids="[zed]")}, "timezone: Asia/Tokyo\n")
    assert lint(root) == []


# --- EP007 ---------------------------------------------------------------------------


def test_ep007_unknown_layout(site) -> None:
    root = site({"_layouts/article.html": "{{ content }}", POST: episode(layout="articel")})
    found = lint(root)
    assert codes(found) == ["EP007"]
    assert "does not exist" in found[0]["message"]
    assert found[0]["fix"]["description"] == "did you mean `article`?"


@pytest.mark.parametrize("config_extra", ["", "theme: minima\n"])
def test_ep007_silent_cases(site, config_extra: str) -> None:
    files = {POST: episode(layout="none"), "_posts/2022-09-11-2.md": episode(layout="article")}
    if not config_extra:
        files["_layouts/article.html"] = "x"
    else:
        files["_posts/2022-09-12-3.md"] = episode(layout="custom")
    root = site(files, SITE_CONFIG + config_extra)
    assert "EP007" not in codes(lint(root))


# --- EP008 ---------------------------------------------------------------------------


def test_ep008_missing_audio_in_a_site_that_keeps_audio(site) -> None:
    root = site({POST: episode(audio_file_path="/audio/002.mp3")})
    make_audio(root / "audio" / "001.mp3", 1)
    found = lint(root, select="EP008")
    assert codes(found) == ["EP008"]
    assert "404" in found[0]["message"]
    assert found[0]["fix"]["description"] == "did you mean `/audio/001.mp3`?"


def test_ep008_silent_when_audio_is_hosted_elsewhere(site) -> None:
    root = site(
        {
            POST: GOOD_EPISODE,  # /audio/001.mp3 but no audio/ folder
            "_posts/2022-09-11-2.md": episode(audio_file_path="/2.mp3", title="2. x"),  # a CDN site
            "_posts/2022-09-12-3.md": episode(
                audio_file_path="https://traffic.libsyn.com/3.mp3", title="3. x"
            ),
        }
    )
    assert lint(root, select="EP008") == []


# --- EP009 / EP010 -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mp3", "m4a", "ogg", "wav"])
def test_ep009_ep010_against_real_audio(site, kind: str) -> None:
    root = site({POST: episode(audio_file_path=f"/audio/001.{kind}")})
    path = make_audio(root / "audio" / f"001.{kind}", 4)
    size = os.stat(path).st_size
    found = lint(root)
    assert codes(found) == ["EP009", "EP010"]
    assert found[0]["fix"] == {
        "applicability": "safe",
        "description": f"set audio_file_size to {size} (measured)",
        "edits": [{"line": 4, "column": 18, "end_line": 4, "end_column": 26, "content": str(size)}],
    }
    assert found[1]["fix"]["applicability"] == "safe"
    assert found[1]["fix"]["edits"][0]["content"] == '"00:00:04"'


def test_ep009_ep010_silent_when_right(site) -> None:
    root = site({POST: episode(audio_file_size="0", duration='"00:05"')})
    path = make_audio(root / "audio" / "001.mp3", 5)
    text = (
        (root / POST)
        .read_text(encoding="utf-8")
        .replace("audio_file_size: 0", f"audio_file_size: {os.stat(path).st_size}")
    )
    (root / POST).write_text(text, encoding="utf-8")
    assert lint(root) == []


def test_ep010_keeps_the_sites_mm_ss_style(site) -> None:
    root = site(
        {
            POST: episode(duration='"45:30"'),
            "_posts/2022-09-11-2.md": episode(
                duration='"52:10"', audio_file_path="https://x.test/2.mp3", title="2. x"
            ),
        }
    )
    make_audio(root / "audio" / "001.mp3", 3)
    found = [v for v in lint(root) if v["code"] == "EP010"]
    assert found[0]["fix"]["edits"][0]["content"] == '"00:03"'


def test_fm_fixes_become_safe_with_measured_values(site) -> None:
    root = site({POST: episode(audio_file_size="", duration="1h 2m")})
    path = make_audio(root / "audio" / "001.mp3", 2)
    found = lint(root, select="FM")
    fixes = {v["code"]: v["fix"] for v in found}
    assert fixes["FM011"]["applicability"] == "safe"
    assert fixes["FM011"]["edits"][0]["content"] == str(os.stat(path).st_size)
    assert fixes["FM013"]["applicability"] == "safe"
    assert fixes["FM013"]["edits"][0]["content"] == '"00:00:02"'
    root2 = site({POST: episode(audio_file_size="19.5 MB")})
    fm012 = [v for v in lint(root2, select="FM") if v["code"] == "FM012"]
    assert fm012[0]["fix"]["applicability"] == "safe"


# --- EP011 ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/audio/../../../x", "/audio/link.mp3"])
def test_ep011_outside_the_site(site, tmp_path: Path, path: str) -> None:
    root = site({POST: episode(audio_file_path=path)})
    make_audio(tmp_path / "outside.mp3", 1)
    (root / "audio").mkdir()
    (root / "audio" / "link.mp3").symlink_to(tmp_path / "outside.mp3")
    found = lint(root)
    assert codes(found) == ["EP011"]
    assert "points outside the site" in found[0]["message"]
    assert found[0]["fix"] is None


# --- outside any site ------------------------------------------------------------------


def test_a_file_outside_any_site_gets_no_site_rules(tmp_path: Path, seed: Path) -> None:
    copy = tmp_path / "episode.txt"
    shutil.copyfile(seed, copy)
    write_files(
        tmp_path,
        {"future.txt": episode(date="2099-01-01 10:00:00 +0900", audio_file_path="/../../etc/passwd")},
    )
    result = run_cli(
        "check", "--format", "json", "--select", "EP", str(copy), str(tmp_path / "future.txt"), cwd=tmp_path
    )
    assert result.json() == []
