"""Property tests: generated episodes with random defects, fixed through the whole engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from epilint.config.settings import Settings
from epilint.fix import engine as fixer
from epilint.lint.linter import Linter
from epilint.model import Edit
from epilint.read.source import read_document
from epilint.run import pipeline
from epilint.schema import load as schema
from tests.conftest import SITE_CONFIG

BOM = b"\xef\xbb\xbf"
KANA = "あいうえおかきくけこさしすせそ番組音声日本語漢字テストー "
japanese = st.text(alphabet=KANA, min_size=1, max_size=14).map(str.strip).filter(bool)


@st.composite
def episodes(draw: st.DrawFn) -> tuple[bytes, str]:
    """(file bytes, newline) of an episode with a random mix of fixable defects."""
    h, m, s = draw(st.integers(0, 3)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    day, hour = draw(st.integers(1, 28)), draw(st.integers(0, 23))
    duration = draw(
        st.sampled_from(
            [f"{m:02d}:{s:02d}", f'"{m:02d}:{s:02d}"', f"{h:02d}:{m:02d}:{s:02d}", f"'{h}:{m:02d}:{s:02d}'"]
        )
    )
    if draw(st.booleans()):
        duration += "  # " + draw(japanese)
    stamp = f"2022-09-{day:02d}"
    date = draw(
        st.sampled_from(
            [
                f"{stamp} {hour:02d}:00:00",  # YT004 (the site has a time zone)
                f"{stamp} {hour:02d}:00:00 +0900",
                f"{stamp}T{hour:02d}:00:00+09:00",  # FM013 re-format
            ]
        )
    )
    title = draw(st.one_of(japanese, st.sampled_from(["1", "yes", "1.5"]), japanese.map(lambda t: f'"{t}"')))
    fields = {
        "actor_ids": draw(st.sampled_from(["[alice, bob]", "[alice, on]", "\n  - alice\n  - 'bob'"])),
        "audio_file_path": "/audio/001.mp3",
        "audio_file_size": "48211456",
        "date": date,
        "description": draw(japanese),
        "duration": duration,
        "episode": draw(st.sampled_from(["010", "007", "0012", '"010"', "12"])),
        "layout": "article",
        "title": title,
    }
    order = draw(st.permutations(sorted(fields)))
    lines = [
        "---",
        *(f"{key}: {fields[key]}" for key in order),
        "---",
        "",
        *draw(st.lists(japanese, max_size=4)),
    ]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join("\n".join(lines).split("\n"))
    if draw(st.booleans()):
        text += newline
    raw = text.encode("utf-8")
    return (BOM + raw if draw(st.booleans()) else raw), newline


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "_config.yml").write_text(SITE_CONFIG, encoding="utf-8")
    (root / "_posts").mkdir()
    return root


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter.create(Settings(), schema.load_schema(schema.bundled_schema()))


def applied_by_hand(text: str, edits: list[Edit]) -> str:
    """The edits applied one by one from the last, independently of the engine."""
    for edit in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: edit.span.start] + edit.content + text[edit.span.end :]
    return text


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(episodes())
def test_fix_changes_only_the_fixed_spans(site: Path, linter: Linter, case: tuple[bytes, str]) -> None:
    raw, newline = case
    path = site / "_posts" / "2022-09-10-1.md"
    path.write_bytes(raw)
    before = linter.lint_file(path)
    original = read_document(path)
    assert original.readable
    edits = [e for v in before.violations if fixer.applies(v.fix, unsafe=False) for e in v.fix.edits]  # type: ignore[union-attr]
    event(f"{len(edits)} fixed spans")

    outcome = pipeline.fix(linter, [path], unsafe=False, write=True)
    assert outcome.problems == ()
    new = path.read_bytes()
    # BOM, line breaks, final newline and encoding are kept.
    assert new.startswith(BOM) == raw.startswith(BOM)
    body = new.removeprefix(BOM).decode("utf-8")
    old = raw.removeprefix(BOM).decode("utf-8")
    if newline == "\r\n":
        assert "\n" not in body.replace("\r\n", "")
    else:
        assert "\r" not in body
    assert body.endswith(newline) == old.endswith(newline)
    # Every byte outside the reported spans is identical: the result is exactly the edits.
    assert body == applied_by_hand(old, edits)
    # It still parses, with the same keys, and nothing fixable is left.
    after = read_document(path)
    assert after.problem is None
    assert list(after.data) == list(original.data)
    assert not any(fixer.applies(v.fix, unsafe=False) for f in outcome.files for v in f.violations)
    # A second run changes nothing.
    again = pipeline.fix(linter, [path], unsafe=False, write=True)
    assert (again.fixed, again.fixed_files) == (0, 0)
    assert path.read_bytes() == new
