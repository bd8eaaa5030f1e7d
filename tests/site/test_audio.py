"""Audio location and measurement against real files made by ffmpeg/lame."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from epilint.site import audio
from epilint.site.jekyll import Site
from tests.audio_files import make_audio


@pytest.fixture
def site(tmp_path: Path) -> Site:
    root = tmp_path / "site"
    root.mkdir()
    (root / "_config.yml").write_text("title: t\n", encoding="utf-8")
    return Site.load(root)


@pytest.mark.parametrize("kind", ["mp3", "m4a", "ogg", "wav"])
@pytest.mark.parametrize("seconds", [3, 65])
def test_measures_real_files_exactly(site: Site, kind: str, seconds: int) -> None:
    path = make_audio(site.root / "audio" / f"ep.{kind}", seconds)
    location = audio.locate(site, f"/audio/ep.{kind}")
    assert location.where is audio.Where.FOUND
    assert location.path == path.resolve()
    measured = audio.measure(location.path)
    assert measured.size == os.stat(path).st_size
    assert measured.duration is not None
    assert abs(measured.duration - seconds) <= 1
    assert measured.problem is None


def test_a_file_shared_by_several_posts_is_measured_once(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_audio(site.root / "audio" / "shared.mp3", 2)
    calls: list[str] = []
    real = audio._measure

    def counting(p: str, size: int) -> audio.Measurement:
        calls.append(p)
        return real(p, size)

    monkeypatch.setattr(audio, "_measure", counting)
    first = audio.measure(path.resolve())
    second = audio.measure(audio.locate(site, "audio/shared.mp3").path)  # type: ignore[arg-type]
    assert first == second
    assert calls == [str(path.resolve())]


def test_not_audio_gives_size_without_duration(site: Site) -> None:
    path = site.root / "audio" / "fake.mp3"
    path.parent.mkdir()
    path.write_bytes(b"not really audio at all" * 10)
    measured = audio.measure(path.resolve())
    assert measured.size == 230
    assert measured.duration is None
    assert measured.problem


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ("https://traffic.libsyn.com/x/57.mp3", audio.Where.REMOTE),
        ("//cdn.example.com/57.mp3", audio.Where.REMOTE),
        ("{{ site.audiourl }}/57.mp3", audio.Where.TEMPLATE),
        ("/audio/none.mp3", audio.Where.MISSING),
        ("/../../etc/passwd", audio.Where.OUTSIDE),
        ("/audio/../../../x", audio.Where.OUTSIDE),
        ("..%2F..%2Fetc%2Fpasswd", audio.Where.OUTSIDE),
    ],
)
def test_locate(site: Site, raw: str, where: audio.Where) -> None:
    assert audio.locate(site, raw).where is where


def test_symlink_pointing_outside_is_outside_and_never_opened(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(audio, "_measure", lambda p, size: opened.append(p))
    secret = tmp_path / "secret.mp3"
    make_audio(secret, 1)
    (site.root / "audio").mkdir()
    (site.root / "audio" / "link.mp3").symlink_to(secret)
    (site.root / "escape").symlink_to(tmp_path)
    for raw in ("/audio/link.mp3", "/escape/secret.mp3"):
        location = audio.locate(site, raw)
        assert location.where is audio.Where.OUTSIDE
        assert location.path is None
    assert opened == []


def test_symlink_inside_the_site_is_followed(site: Site) -> None:
    real = make_audio(site.root / "media" / "57.mp3", 1)
    (site.root / "audio").mkdir()
    (site.root / "audio" / "57.mp3").symlink_to(real)
    assert audio.locate(site, "/audio/57.mp3").path == real.resolve()


@pytest.mark.parametrize(
    ("seconds", "style", "text"),
    [
        (2730.4, "MM:SS", "45:30"),
        (2730.4, "HH:MM:SS", "00:45:30"),
        (2730.4, None, "00:45:30"),
        (3723, "MM:SS", "01:02:03"),
        (59.6, "MM:SS", "01:00"),
    ],
)
def test_format_duration(seconds: float, style: str | None, text: str) -> None:
    assert audio.format_duration(seconds, style) == text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("01:02:03", 3723), ("45:30", 2730), ("75:30", 4530), ("2730", 2730), ("1h 2m", None), ("", None)],
)
def test_parse_duration(text: str, seconds: int | None) -> None:
    assert audio.parse_duration(text) == seconds


def test_keeps_audio(site: Site) -> None:
    assert not audio.keeps_audio(site, "/audio/1.mp3")  # no audio/ folder: hosted elsewhere
    assert not audio.keeps_audio(site, "/1.mp3")  # root without audio files (a CDN site)
    (site.root / "audio").mkdir()
    assert audio.keeps_audio(site, "/audio/1.mp3")
    (site.root / "0.mp3").write_bytes(b"x")
    assert audio.keeps_audio(site, "/1.mp3")
