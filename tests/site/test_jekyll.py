"""The site model: actors from three places, layouts, files inside the root, house style."""

from __future__ import annotations

from pathlib import Path

import pytest

from epilint.site.jekyll import Site
from tests.conftest import write_files


def load(root: Path, files: dict[str, str], config: str = "title: t\n") -> Site:
    write_files(root, {"_config.yml": config, **files})
    return Site.load(root)


def test_actors_from_config_map(tmp_path: Path) -> None:
    site = load(tmp_path, {}, "actors:\n  alice:\n    name: A\n  bob:\n    name: B\n")
    assert site.actors == {"alice", "bob"}


def test_actors_from_data_file(tmp_path: Path) -> None:
    site = load(tmp_path, {"_data/actors.yml": "carol:\n  name: C\n"})
    assert site.actors == {"carol"}


def test_actors_from_data_list(tmp_path: Path) -> None:
    site = load(tmp_path, {"_data/actors.yml": "- id: dave\n- actor_id: erin\n"})
    assert site.actors == {"dave", "erin"}


def test_actors_from_collection_use_actor_id_else_file_name(tmp_path: Path) -> None:
    site = load(
        tmp_path,
        {
            "_actors/hashedrock.md": "---\nactor_id: hashedrock \ntitle: x\n---\n",
            "_actors/other-file.md": "---\nactor_id: trkw\n---\n",
            "_actors/noid.md": "---\ntitle: x\n---\n",
            "_actors/_draft.md": "---\nactor_id: hidden\n---\n",
        },
        "collections:\n  actors:\n    output: true\n",
    )
    assert site.actors == {"hashedrock", "trkw", "noid"}


def test_actors_folder_without_collection_is_not_read(tmp_path: Path) -> None:
    site = load(tmp_path, {"_actors/a.md": "---\nactor_id: a\n---\n"})
    assert site.actors is None


def test_all_three_places_combine(tmp_path: Path) -> None:
    site = load(
        tmp_path,
        {"_data/actors.yml": "b: {}\n", "_actors/c.md": "---\nactor_id: c\n---\n"},
        "actors:\n  a: {}\ncollections: [actors]\n",
    )
    assert site.actors == {"a", "b", "c"}


def test_no_actors_anywhere_is_none(tmp_path: Path) -> None:
    assert load(tmp_path, {}).actors is None


def test_layouts(tmp_path: Path) -> None:
    site = load(
        tmp_path, {"_layouts/article.html": "x", "_layouts/post.min.html": "x", "_layouts/.hidden.html": "x"}
    )
    assert site.layouts == {"article", "post.min"}
    assert Site.load(tmp_path / "nowhere").layouts is None


def test_config_values(tmp_path: Path) -> None:
    site = load(tmp_path, {}, "timezone: Asia/Tokyo\nfuture: true\ntheme: minima\ninclude: [_x]\n")
    assert site.future is True
    assert site.has_theme
    assert site.include == ("_x",)
    assert site.zone is not None
    assert load(tmp_path / "b", {}).future is False


def test_resolve_inside_refuses_climbing_out(tmp_path: Path) -> None:
    root = tmp_path / "site"
    site = load(root, {"audio/1.mp3": "x"})
    assert site.resolve_inside("/audio/1.mp3") == (root / "audio" / "1.mp3").resolve()
    assert site.has_file("/audio/1.mp3")
    assert site.has_file("audio/1.mp3")
    assert not site.has_file("/audio/2.mp3")
    for path in ("/../../etc/passwd", "/audio/../../../x", "../site2/x"):
        assert site.resolve_inside(path) is None
        assert not site.has_file(path)
    assert site.resolve_inside("bad\x00name") is None


def test_symlinks_are_resolved_before_the_containment_check(tmp_path: Path) -> None:
    root = tmp_path / "site"
    site = load(root, {"inside.txt": "x"})
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (root / "out").symlink_to(tmp_path / "outside.txt")
    (root / "in").symlink_to(root / "inside.txt")
    assert site.resolve_inside("/out") is None
    assert not site.has_file("/out")
    assert site.has_file("/in")


@pytest.mark.parametrize(
    ("durations", "style"),
    [
        (['"45:30"', '"58:37"', '"01:02:03"'], "MM:SS"),
        (['"00:45:30"', '"01:02:03"'], "HH:MM:SS"),
        (['"00:00"', '"00:00"'], None),  # placeholders say nothing
        (["45:30", '"00:40:00"', '"00:41:00"'], "HH:MM:SS"),
    ],
)
def test_duration_style(tmp_path: Path, durations: list[str], style: str | None) -> None:
    posts = {
        f"_posts/2022-01-0{i + 1}-{i}.md": f"---\nduration: {d}\n---\nbody\n" for i, d in enumerate(durations)
    }
    site = load(tmp_path, posts)
    assert site.duration_style("duration") == style
    assert site.duration_style("length") is None
