"""Hovers on front-matter values: what Jekyll reads, the feed slot, the measured value."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from epilint.config.settings import Settings
from epilint.editor import hover
from epilint.lint.linter import Linter
from epilint.read.document import Document
from epilint.read.source import read_document
from epilint.schema.load import bundled_schema, load_schema
from tests.conftest import FIXTURES

SITE = FIXTURES / "site"
POST = SITE / "_posts" / "2022-09-01-1.md"


def _hover(text: str, needle: str, path: Path = POST, nth: int = 0) -> str | None:
    linter = Linter.create(Settings(), load_schema(bundled_schema()))
    doc = Document.parse(path, text)
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    target = hover.target_at(linter.context(doc), offset + 1)
    return None if target is None else hover.hover_text(target)


def _post(**changes: str) -> str:
    text = read_document(POST).text
    for key, value in changes.items():
        head, _, rest = text.partition(f"\n{key}:")
        _old, _, tail = rest.partition("\n")
        text = f"{head}\n{key}: {value}\n{tail}"
    return text


@pytest.mark.parametrize(
    ("value", "reads"),
    [
        ("45:30", "Psych reads the integer 163800 (45 h 30 min).\n\nLiquid prints `163800`."),
        ("1:26:19", "Psych reads the integer 5179 (1 h 26 min 19 s)."),
        ('"45:30"', 'Psych reads the text "45:30".'),
        ("010", "Psych reads the octal integer 8 (not 10)."),
        ("001", "Psych reads the integer 1 (the leading zeros are dropped)."),
        ("008", 'Psych reads the text "008" (not octal, so not a number, unlike `007`).'),
        ("yes", "Psych reads the boolean true.\n\nLiquid prints `true`."),
        ("~", "Psych reads null (no value; Liquid prints nothing).\n\nLiquid prints nothing."),
        ("1e3", 'Psych reads the text "1e3".'),
        ("1.5", "Psych reads the float 1.5."),
        (".inf", "Psych reads the float Infinity."),
        (":sym", "Psych reads no value: it is a Ruby symbol to Psych, which Jekyll's safe YAML loader"),
    ],
)
def test_what_psych_reads(value: str, reads: str) -> None:
    text = _post(description=value)
    found = _hover(text, "description:")
    assert found is not None
    assert found.startswith(f"**What Jekyll reads**\n\n{reads}")


def test_dates_are_instants_in_the_site_zone() -> None:
    date = _hover(_post(date="2022-09-20 20:00:00"), "2022-09-20")
    assert date is not None
    assert "Psych reads the time 2022-09-20 20:00:00 UTC (no offset is written, so UTC)." in date
    assert "As the post's date: 2022-09-21 05:00:00 +0900 (Asia/Tokyo)." in date
    day = _hover(_post(date="2022-09-20"), "2022-09-20")
    assert day is not None
    assert "Psych reads the Date 2022-09-20." in day
    assert "As the post's date: 2022-09-20 00:00:00 +0900 (Asia/Tokyo)." in day
    other = _hover(_post(description="2022-09-20 20:00:00 +0200"), "2022-09-20")
    assert other is not None
    assert "On the site's clock (Asia/Tokyo): 2022-09-21 03:00:00 +0900." in other


def test_aliases_keys_and_lists() -> None:
    text = _post(description="&d 45:30", title="*d")
    assert "the integer 163800" in (_hover(text, "title: *d") or "")
    assert "the integer 163800" in (_hover(text, "description") or "")  # on the key
    listed = _hover(_post(actor_ids="[alice, on]"), "on]")
    assert listed is not None
    assert "Psych reads the boolean true." in listed
    assert _hover(_post(), "actor_ids") is None  # a list: nothing to say yet
    assert _hover(_post(), "\n\nThe first episode.") is None  # the body


def test_the_measured_audio_value() -> None:
    found = _hover(_post(duration='"12:00"'), "12:00")
    assert found is not None
    reads, measured = found.split("\n\n---\n\n")
    assert reads.startswith('**What Jekyll reads**\n\nPsych reads the text "12:00".')
    audio = "`/audio/001.mp3`"
    assert measured == f'**Measured from the audio file**\n\n`duration: "00:03"` (measured from {audio})'
    size = _hover(_post(audio_file_size="1"), "audio_file_size")
    assert size is not None
    assert "`audio_file_size: 6315` (measured from `/audio/001.mp3`)" in size


def _feed_hover(text: str, needle: str) -> str | None:
    """The hover with the fixture site's feed predicted (its stock yattecast ``feed.xml``)."""
    from epilint.run import feed

    linter = Linter.create(Settings(), load_schema(bundled_schema()))
    linter = linter.with_feeds(feed.LiveFeeds(feed.Phase(None, time.time())))
    target = hover.target_at(linter.context(Document.parse(POST, text)), text.index(needle) + 1)
    return None if target is None else hover.hover_text(target)


def test_the_feed_item_element_as_the_site_template_writes_it() -> None:
    saved = read_document(POST).text
    shown = _feed_hover(saved, "duration:")
    assert shown is not None
    sections = [section.split("\n\n")[0] for section in shown.split("\n\n---\n\n")]
    assert sections == [
        "**What Jekyll reads**",
        "**The feed item element**",
        "**Measured from the audio file**",
    ]
    line = next(
        n
        for n, text in enumerate((SITE / "feed.xml").read_text().splitlines(), 1)
        if "itunes:duration" in text
    )
    assert f"The feed writes `<itunes:duration>00:03</itunes:duration>` (`feed.xml` line {line})." in shown
    size = _feed_hover(saved, "audio_file_size:")
    assert size is not None
    assert 'length="6315"' in size
    # an unsaved change of the value: the element is not known until the text is saved
    changed = _feed_hover(_post(duration="45:30"), "duration:")
    assert changed is not None
    assert "The feed writes `<itunes:duration>(unknown:" in changed
    # a field the template does not read
    unread = _feed_hover(saved, "layout:")
    assert unread is not None
    assert "The feed template does not read `layout`." in unread


def test_no_feed_no_feed_slot() -> None:
    """Without the feed phase (or a template) the slot stays out: nothing is made up."""
    shown = _hover(read_document(POST).text, "duration:")
    assert shown is not None
    assert "The feed item element" not in shown
