"""The second bundled schema (link/length/duration keys): EP rules follow the roles only."""

from __future__ import annotations

import os
from pathlib import Path

from epilint.schema.load import bundled_schema, load_schema
from tests.audio_files import make_audio
from tests.conftest import run_cli, write_files

SCHEMA = bundled_schema("mobileandbeer.schema.json")

POST = """\
---
layout: post
title: "פרק 12 - אנלטיקס"
date: 2013-11-30 13:39:58 +0200
tags: episode ios
duration: "{duration}"
length: {length}
link: {link}
beer: "מרדסו"
---

Show notes.
"""


def site(tmp_path: Path, **values: str) -> Path:
    root = tmp_path / "site"
    write_files(
        root,
        {
            "_config.yml": "title: Mobile\ntimezone: Asia/Jerusalem\n",
            "_layouts/post.html": "{{ content }}",
            "_posts/2013-11-30-analytics.markdown": POST.format(**values),
        },
    )
    return root


def lint(root: Path, select: str = "EP,FM") -> list[dict[str, object]]:
    result = run_cli(
        "check", "--format", "json", "--schema", str(SCHEMA), "--select", select, "_posts", cwd=root
    )
    assert result.code in (0, 1), result.err
    return result.json()


def test_schema_loads_with_the_roles() -> None:
    schema = load_schema(SCHEMA)
    assert {r: schema.field_for(r).name for r in ("audio-path", "audio-size", "duration")} == {  # type: ignore[union-attr]
        "audio-path": "link",
        "audio-size": "length",
        "duration": "duration",
    }


def test_ep009_ep010_on_the_other_keys_with_real_audio(tmp_path: Path) -> None:
    root = site(tmp_path, duration="40:46", length="58709390", link="/audio/MobileAndBeer_Ep12.m4a")
    path = make_audio(root / "audio" / "MobileAndBeer_Ep12.m4a", 6)
    found = lint(root)
    assert [v["code"] for v in found] == ["EP010", "EP009"]
    by_code = {v["code"]: v for v in found}
    size = os.stat(path).st_size
    assert by_code["EP009"]["fix"]["edits"][0]["content"] == str(size)  # type: ignore[index]
    assert "`length: 58709390`" in str(by_code["EP009"]["message"])
    assert by_code["EP010"]["fix"]["edits"][0]["content"] == '"00:06"'  # type: ignore[index]
    assert '`duration: "40:46"`' in str(by_code["EP010"]["message"])


def test_right_values_are_clean_and_placeholders_are_measured(tmp_path: Path) -> None:
    root = site(tmp_path, duration="00:00", length="0", link="/audio/12.mp3")
    path = make_audio(root / "audio" / "12.mp3", 3)
    found = lint(root)
    assert [v["code"] for v in found] == ["EP001", "EP001"]
    contents = {v["fix"]["edits"][0]["content"] for v in found}  # type: ignore[index]
    # a placeholder says nothing about the site's style: HH:MM:SS
    assert contents == {'"00:00:03"', str(os.stat(path).st_size)}
    (root / "_posts/2013-11-30-analytics.markdown").write_text(
        POST.format(duration="00:03", length=os.stat(path).st_size, link="/audio/12.mp3"), encoding="utf-8"
    )
    assert lint(root) == []


def test_remote_links_are_not_measured_and_episode_numbers_compare(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        duration="40:46",
        length="58709390",
        link="https://s3.amazonaws.com/MobileAndBeer/MobileAndBeer_Ep13.mp3",
    )
    # the site's other episodes show that the file names carry the episode numbers
    for number in (10, 11):
        other = (
            POST.format(
                duration="40:46",
                length="58709390",
                link=f"https://s3.amazonaws.com/MobileAndBeer/MobileAndBeer_Ep{number}.mp3",
            )
            .replace("פרק 12", f"פרק {number}")
            .replace("2013-11-30", f"2013-11-{number}")
        )
        (root / f"_posts/2013-11-{number}-episode.markdown").write_text(other, encoding="utf-8")
    found = lint(root)
    assert [v["code"] for v in found] == ["EP005"]
    assert "episode 12" in str(found[0]["message"])
    assert "episode 13" in str(found[0]["message"])
