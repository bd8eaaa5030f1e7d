"""Shared analyses: computed once per document, and they declare what they read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from epilint.config.settings import Settings
from epilint.lint import facts
from epilint.lint.linter import Linter
from epilint.read.source import read_document
from epilint.schema.load import bundled_schema, load_schema
from tests.conftest import GOOD_EPISODE


def test_an_analysis_runs_once_per_document(make_site: Callable[..., Path]) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE})
    linter = Linter.create(Settings(), load_schema(bundled_schema()))
    ctx = linter.context(read_document(site / "_posts" / "2022-09-10-1.md"))
    calls: list[int] = []

    def analysis(c: object) -> int:
        calls.append(1)
        return len(calls)

    assert ctx.shared(analysis) == ctx.shared(analysis) == 1
    assert facts.links(ctx) is facts.links(ctx)


def test_locating_the_audio_declares_the_file_and_its_folder(make_site: Callable[..., Path]) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE})  # names /audio/001.mp3, absent
    linter = Linter.create(Settings(), load_schema(bundled_schema()))
    ctx = linter.context(read_document(site / "_posts" / "2022-09-10-1.md"))
    located = facts.audio_of(ctx)
    assert located is not None
    assert located[1] is None
    real = site.resolve()
    assert ctx.dependencies == {str(real / "audio" / "001.mp3"), str(real / "audio")}


def test_measured_values_only_for_measurable_roles(make_site: Callable[..., Path]) -> None:
    from tests.audio_files import make_audio

    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE})
    make_audio(site / "audio" / "001.mp3", 2)
    linter = Linter.create(Settings(), load_schema(bundled_schema()))
    ctx = linter.context(read_document(site / "_posts" / "2022-09-10-1.md"))
    size = facts.measured(ctx, "audio-size")
    assert size is not None
    assert size.yaml == str((site / "audio" / "001.mp3").stat().st_size)
    assert facts.measured(ctx, "title") is None
    assert set(facts.MEASURERS) == {"audio-size", "duration"}
