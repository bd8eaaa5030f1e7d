"""Fuzzing the whole pipeline with hypothesis: any text in, violations out, never a crash.

The budget is fixed (``max_examples``) so CI time is bounded; failures shrink to a minimal
file. An atheris harness for longer runs lives in fuzz/ (see fuzz/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epilint.config.settings import Settings
from epilint.fix import engine as fixer
from epilint.lint.linter import Linter
from epilint.read.document import Document
from epilint.read.source import decode_document
from epilint.schema import load as schema

#: Control characters (C0, DEL, C1) and the line and paragraph separators, in any field.
CONTROL = st.one_of(
    st.text(alphabet=st.characters(categories=["Cc"]), min_size=1, max_size=8),
    st.sampled_from(["\u2028", "\u2029", "\x1b[2J", "\x1b]52;c;Zm9v\x07", "\r::error::forged"]),
)
#: Numbers past Python's 4,300-digit int/str limit, in every form Psych reads.
HUGE = st.builds(
    lambda form, digits: form.format("9" * digits, "1" * digits),
    st.sampled_from(["{0}", "-{0}", "0b{1}", "0x{0}", "0{1}", "{0}:00", "1:{0}", "{0}.5",
                     "2022-01-01 00:00:00.{0}", "!!float {0}", "{0}_9", "+{0}:00:00"]),
    st.integers(4000, 6000),
)  # fmt: skip
#: Flow nesting around the depth limit, with and without aliases.
DEEP = st.builds(
    lambda depth, kind: ("[" * depth + "]" * depth) if kind else ("{a: " * depth + "x" + "}" * depth),
    st.integers(1, 700),
    st.booleans(),
)
SCALARS = st.one_of(
    st.sampled_from(
        ["45:30", "010", "008", "yes", "~", "", "2022-09-20 20:00:00", "2022-13-45 1:00:00 +0900",
         "19.5 MB", "[a, b", "{x: 1}", "&a x", "*a", "!ruby/object:X {}", ":sym", "'q'", '"d"',
         "|\n  block", "- item", "1e3", ".inf", "0x1F", "第57回", "https://t.co/x?utm_source=a",
         "9999-12-31 23:00:00", "0001-01-01", "0001-01-01 00:00:00 +1400", "/audio/../../x.mp3"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    HUGE,
    DEEP,
    st.builds(lambda c: f'"a{c!r}b"', CONTROL),
    CONTROL.map(lambda c: c.replace("\n", "")),
)  # fmt: skip
KEYS = st.one_of(
    st.sampled_from(
        ["title", "duration", "date", "audio_file_size", "audio_file_path", "actor_ids", "layout",
         "description", "durations", "x", "<<", "? complex", "- list"]
    ),
    st.builds(lambda c: f'"{c!r}"', CONTROL),
)  # fmt: skip


@st.composite
def episodes(draw: st.DrawFn) -> str:
    lines = [f"{draw(KEYS)}: {draw(SCALARS)}" for _ in range(draw(st.integers(0, 12)))]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    body = draw(
        st.lists(
            st.one_of(
                st.text(max_size=40),
                st.builds(lambda t, u: f"[{t}]({u})", st.text(max_size=10), SCALARS),
                st.builds(lambda t, u: f"[{t}](https://example.com/{u})", CONTROL, CONTROL),
                st.builds(lambda n: "[same](https://example.com/a) " * n, st.integers(1, 300)),
                st.sampled_from(
                    ["```\ncode [x](y)\n```", "<a href='http://x'>x</a>", "<!-- epilint-disable -->"]
                ),
            ),
            max_size=6,
        )
    )
    opening = draw(st.sampled_from(["---", "---  ", "+++", ""]))
    closing = draw(st.sampled_from(["---", "...", ""]))
    text = newline.join([opening, *lines, closing, *body])
    return ("\ufeff" if draw(st.booleans()) else "") + text


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter.create(Settings(select=("",)), schema.load_schema(schema.bundled_schema()))


@pytest.fixture(scope="module")
def site_post(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A post's path in a site with a time zone, so the site-aware rules run too."""
    site = tmp_path_factory.mktemp("fuzz-site")
    (site / "_config.yml").write_text("timezone: Asia/Tokyo\nactors: {alice: {name: A}}\n", encoding="utf-8")
    (site / "_posts").mkdir()
    (site / "audio").mkdir()
    return site / "_posts" / "2022-09-10-1.md"


def _lint(linter: Linter) -> fixer.Lint:
    return lambda doc, display: linter.lint(doc, display).result


def _checked(linter: Linter, doc: Document) -> fixer.Checked:
    return fixer.Checked(doc, linter.lint(doc, "fuzz.md").result)


def _check(linter: Linter, raw: bytes, path: Path = Path("fuzz.md")) -> None:
    doc = decode_document(path, raw)
    violations = linter.lint(doc, "fuzz.md").result.violations
    for violation in violations:
        assert 0 <= violation.span.start <= violation.span.end <= len(doc.text)
        line, column = doc.lines.position(violation.span.start)
        assert line >= 1
        assert column >= 1
        if violation.fix is not None:
            for edit in violation.fix.edits:
                assert 0 <= edit.span.start <= edit.span.end <= len(doc.text)
    # the fix engine, with unsafe fixes too: never raises; a changed text still parses the
    # same way and fixing it again changes nothing
    planned = fixer.plan_file(_lint(linter), _checked(linter, doc), unsafe=True)
    if planned.changed:
        again = decode_document(path, planned.after.encode("utf-8", "surrogatepass"))
        assert (again.front_matter is None) == (doc.front_matter is None)
        second = fixer.plan_file(_lint(linter), _checked(linter, again), unsafe=True)
        assert not second.changed


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(episodes())
def test_generated_episodes_never_crash(linter: Linter, text: str) -> None:
    _check(linter, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(episodes())
def test_generated_episodes_in_a_site_never_crash(linter: Linter, site_post: Path, text: str) -> None:
    _check(linter, text.encode("utf-8", "surrogatepass"), site_post)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(linter: Linter, raw: bytes) -> None:
    _check(linter, b"---\n" + raw)


#: Where a special file is put in a site, and what it is.
PLACES = st.sampled_from(
    ["_posts/2022-09-11-2.md", "_posts/sub", "_config.yml", "_data/actors.yml", "_layouts/x.html",
     "_actors/a.md", ".epilint_cache", ".epilint_cache/store.sqlite3", "_posts/.x.md.epilint-1-0123abcd.tmp"]
)  # fmt: skip
SPECIAL = st.sampled_from(["fifo", "/dev/zero", "/dev/null", "/", "..", "outside", "folder", "empty"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PLACES, SPECIAL, st.sampled_from(["check", "fix"]))
def test_special_files_anywhere_never_crash_or_hang(
    tmp_path_factory: pytest.TempPathFactory, place: str, special: str, mode: str
) -> None:
    import os
    import signal

    from tests.conftest import GOOD_EPISODE, run_cli

    site = tmp_path_factory.mktemp("special") / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("timezone: Asia/Tokyo\ncollections: {actors: {}}\n", encoding="utf-8")
    (site / "_posts" / "2022-09-10-1.md").write_text(
        GOOD_EPISODE.replace('"01:02:03"', "45:30"), encoding="utf-8"
    )
    target = site / place
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_dir():
        target.unlink()
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text("---\ntitle: SECRET\n---\n", encoding="utf-8")
    if special == "fifo":
        os.mkfifo(target)
    elif special == "folder":
        target.mkdir(exist_ok=True)
    elif special == "empty":
        target.write_bytes(b"")
    else:
        link = {"outside": outside, "..": site.parent}.get(special, Path(special))
        target.symlink_to(link)

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("the run hung")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(30)
    try:
        result = run_cli("check", "--format", "json", *(("--fix",) if mode == "fix" else ()), cwd=site)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result.code in (0, 1), result.err
    assert "SECRET" not in result.out
    if mode == "check":
        assert ("_posts/2022-09-10-1.md", "YT001") in {(v["path"], v["code"]) for v in result.json()}
