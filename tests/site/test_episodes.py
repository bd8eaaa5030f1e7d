"""Episode numbers in titles, audio file names and id fields, as real sites write them."""

from __future__ import annotations

import pytest

from epilint.site.episodes import EpisodeNumber, from_audio_path, from_field, from_title

N = EpisodeNumber


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("57. Stable Diffusionってどうやって画像生成してるの？", N(57)),
        ("57 Stable Diffusion", N(57)),
        ("第26回「花譜不可解」", N(26)),
        ("ep.57 hello", N(57)),
        ("EP57", N(57)),
        ("Episode 39: Hi Josh!", N(39)),
        ("#12 something", N(12)),
        ("4.5. Aftershow マッチョイズムについて", N(4, 5)),
        ("10.5 AfterShow おっさんが", N(10, 5)),
        ("2-1. 金融庁の官僚の仕事", N(2, 1)),
        ("6-3. シン・エヴァンゲリオン感想", N(6, 3)),
        ("０. 全角", N(0)),
        ("פרק 11 - טסטים על נגב", N(11)),
        ("12: colon", N(12)),
    ],
)
def test_title_numbers(title: str, number: EpisodeNumber) -> None:
    assert from_title(title) == number


@pytest.mark.parametrize(
    "title",
    [
        "2020 Goals",  # a year
        "2.5D声優の話",  # a word starting with digits
        "1.5倍速で聞く",
        "Apple переизобрела колесо",
        "פרק ראשון - סירי",  # the number is a word
        "Estimating",
        "",
        None,
        57,
    ],
)
def test_titles_without_a_certain_number(title: object) -> None:
    assert from_title(title) is None


@pytest.mark.parametrize(
    ("path", "number"),
    [
        ("/audio/057.mp3", N(57)),
        ("/audio/0.m4a", N(0)),
        ("/audio/4_5.mp3", N(4, 5)),
        ("/audio/006-1.mp3", N(6, 1)),
        ("/audio/2-1.mp3", N(2, 1)),
        ("/audio/xrfm_026.mp3", N(26)),
        ("/audio/gaikiyokufm-0001.mp3", N(1)),
        ("https://s3.amazonaws.com/MobileAndBeer/MobileAndBeer_Ep01.mp3", N(1)),
        ("https://s3.amazonaws.com/MobileAndBeer/MobileAndBeer02.mp3", N(2)),
        ("IT-posidelki-002.mp3", N(2)),
        ("/audio/57.mp3?dl=1", N(57)),
    ],
)
def test_audio_numbers(path: str, number: EpisodeNumber) -> None:
    assert from_audio_path(path) == number


@pytest.mark.parametrize(
    "path",
    [
        "inspectfm-30-2020-goals",
        "/audio/2021-01-03.mp3",
        "/audio/show-2021.mp3",
        "{{ site.x }}/1.mp3",
        "",
        None,
    ],
)
def test_audio_names_without_a_certain_number(path: object) -> None:
    assert from_audio_path(path) is None


@pytest.mark.parametrize(
    ("value", "number"),
    [(57, N(57)), ("057", N(57)), ("4.5", N(4, 5)), ("2-1", N(2, 1)), (True, None), ("x1", None), (-1, None)],
)
def test_field_numbers(value: object, number: EpisodeNumber | None) -> None:
    assert from_field(value) == number


def test_conflicts_only_when_certainly_different() -> None:
    assert N(57).conflicts(N(58))
    assert N(6, 1).conflicts(N(6, 2))
    assert not N(6, 1).conflicts(N(6))
    assert not N(4, 5).conflicts(N(4, 5))
    assert N(4, 5).conflicts(N(5))
