"""Before/after pairs for the fixes that need a site: measured audio values and links."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.audio_files import make_audio
from tests.conftest import GOOD_EPISODE, run_cli

POST = "_posts/2022-09-10-1.md"
HTTP = "[h](http://example.com/)\n"


@pytest.fixture
def site_with_audio(make_site: Callable[..., Path]) -> Path:
    site = make_site({})
    make_audio(site / "audio" / "001.mp3", 65)
    return site


def fix(site: Path, text: str, *flags: str) -> str:
    path = site / POST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--fix", *flags, POST, cwd=site)
    assert "Traceback" not in result.err
    return path.read_text(encoding="utf-8")


def sized(site: Path) -> int:
    return (site / "audio" / "001.mp3").stat().st_size


def test_empty_size_and_duration_get_measured_values(site_with_audio: Path) -> None:
    before = GOOD_EPISODE.replace("audio_file_size: 48211456", "audio_file_size:").replace(
        'duration: "01:02:03"', "duration:"
    )
    after = fix(site_with_audio, before)
    assert after == GOOD_EPISODE.replace("48211456", str(sized(site_with_audio))).replace(
        '"01:02:03"', '"00:01:05"'
    )


def test_size_with_units_becomes_the_byte_count(site_with_audio: Path) -> None:
    before = GOOD_EPISODE.replace("48211456", "19.5 MB")
    after = fix(site_with_audio, before.replace('"01:02:03"', '"00:01:05"'))
    assert f"audio_file_size: {sized(site_with_audio)}\n" in after


def test_placeholders_are_replaced_by_measurements(site_with_audio: Path) -> None:
    before = GOOD_EPISODE.replace("48211456", "0").replace('"01:02:03"', '"00:00"')
    after = fix(site_with_audio, before)
    assert f"audio_file_size: {sized(site_with_audio)}\n" in after
    assert 'duration: "00:01:05"\n' in after


def test_wrong_size_and_duration_are_corrected(site_with_audio: Path) -> None:
    after = fix(site_with_audio, GOOD_EPISODE)  # 48211456 bytes, 1 h 2 min: both wrong
    assert after == GOOD_EPISODE.replace("48211456", str(sized(site_with_audio))).replace(
        '"01:02:03"', '"00:01:05"'
    )
    assert fix(site_with_audio, after) == after


@pytest.mark.parametrize(
    ("body", "expected", "flags"),
    [
        pytest.param(
            "[t](https://twitter.com/a/status/1?s=12&t=abc)\n",
            "[t](https://twitter.com/a/status/1)\n",
            (),
            id="LN003-twitter-share-params",
        ),
        pytest.param(
            "[w](https://example.com/記事?utm_source=x&id=7&fbclid=y#top)\n",
            "[w](https://example.com/記事?id=7#top)\n",
            (),
            id="LN003-keeps-other-params-and-unicode",
        ),
        pytest.param("[p]( https://example.com/a )\n", "[p](https://example.com/a)\n", (), id="LN002-trim"),
        pytest.param(
            "[h](http://example.com/)\n", "[h](http://example.com/)\n", (), id="LN006-safe-run-leaves-it"
        ),
        pytest.param(
            "[h](http://example.com/)\n",
            "[h](https://example.com/)\n",
            ("--unsafe-fixes",),
            id="LN006-unsafe",
        ),
    ],
)
def test_link_fixes(make_site: Callable[..., Path], body: str, expected: str, flags: tuple[str, ...]) -> None:
    site = make_site({})
    after = fix(site, GOOD_EPISODE + body, *flags)
    assert after == GOOD_EPISODE + expected


def test_offset_fix_that_would_move_the_post_off_its_file_name_day_is_unsafe(
    make_site: Callable[..., Path],
) -> None:
    """15:00 UTC is the 10th in Tokyo, the day the file name gives: ``+0900`` would make
    it the 9th (EP004), so appending the offset is offered, not applied."""
    site = make_site({})
    utc = GOOD_EPISODE.replace("date: 2022-09-10 00:00:00 +0900", "date: 2022-09-09 15:00:00")
    assert fix(site, utc) == utc
    result = run_cli("check", POST, cwd=site)
    assert "the day its file name gives (2022-09-10)" in result.out
    assert (
        "fix (unsafe): append the site's offset: 2022-09-09 15:00:00 +0900 (moves the post to 2022-09-09)"
        in result.out
    )
    assert "EP004" not in result.out
    local = GOOD_EPISODE.replace("date: 2022-09-10 00:00:00 +0900", "date: 2022-09-10 09:00:00")
    assert fix(site, local) == local.replace("09:00:00", "09:00:00 +0900")  # same day either way: safe
