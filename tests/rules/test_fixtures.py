"""Fixture-driven rule tests (sphinx-lint style), each fixture a post of a real site.

``tests/fixtures/rules/CODE/*.md``: every line carrying ``# expect: CODE`` (front matter) or
``<!-- expect: CODE -->`` (body) must get exactly one CODE violation on that line, and no
other line may get one; ``expect@N: CODE`` names line N instead (the first line, or a
closing ``---`` that cannot carry a comment). ``pass-*`` files have no markers and must stay clean of CODE.
Each fixture is linted through the run's pipeline as a post of ``tests/fixtures/site`` (a
small Jekyll site with a time zone, actors, a layout, real MP3 files and two episodes), so
EP, LN and CO rules are exercised as in a real site; every rule is selected, so
superseding is exercised too.

Placement: ``_posts/2022-09-10-3.md`` unless the file says otherwise with a
``# fixture-path: _posts/…`` comment; ``# fixture-schema: NAME`` lints it against
``tests/fixtures/schemas/NAME`` instead of the bundled schema. The site's feed template
is the stock yattecast ``feed.xml``; ``# fixture-feed: NAME`` replaces it with
``tests/fixtures/feeds/NAME`` (FD rules judge the item a template makes). Links to
``http://online.test/…`` go to a real HTTP server on 127.0.0.1 started for the online
rules (LN100–LN102), which run with ``--online``.

A template rule (FD050) reports on the site's ``feed.xml``: its expectations are marked
in the feed template the fixture brings (``<!-- expect: FD050 -->``).

Before/after: ``fail-NAME.fixed.md`` is what ``--fix`` makes of ``fail-NAME.md`` when only
CODE is selected (with ``--unsafe-fixes`` when CODE's best fix is unsafe). Every rule has a
fixture folder with a ``pass-`` and a ``fail-`` file, and every rule with an applicable fix
has at least one before/after pair.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from epilint.config.settings import OnlineSettings, Settings
from epilint.lint import registry
from epilint.lint.registry import FixAvailability
from epilint.run import pipeline
from epilint.schema.load import bundled_schema, load_schema
from tests.run.test_online import Server

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RULES = FIXTURES / "rules"
SITE = FIXTURES / "site"
MARKER = re.compile(r"(?:#|<!--)\s*expect(?:@([0-9]+))?:\s*([A-Z]{2}[0-9]{3})")
PLACEMENT = re.compile(r"(?:#|<!--)\s*fixture-path:\s*(\S+)")
SCHEMA = re.compile(r"(?:#|<!--)\s*fixture-schema:\s*(\S+)")
FEED = re.compile(r"(?:#|<!--)\s*fixture-feed:\s*(\S+)")
DEFAULT_PLACE = "_posts/2022-09-10-3.md"
ONLINE_HOST = "http://online.test"
CASES = sorted(p for p in RULES.glob("*/*.md") if not p.name.endswith(".fixed.md"))


def expected_lines(text: str, code: str) -> list[int]:
    lines = text.splitlines()
    found = [
        int(m.group(1) or i)
        for i, line in enumerate(lines, 1)
        for m in MARKER.finditer(line)
        if m.group(2) == code
    ]
    return sorted(found)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


def _settings(code: str, select: tuple[str, ...]) -> Settings:
    online = code.startswith("LN1")
    return Settings(
        select=select,
        cache=False,
        online=online,
        online_settings=OnlineSettings(timeout=2.0, cache_ttl=0, allow_private=True),
    )


def _place(path: Path, tmp_path: Path, server: Server) -> tuple[Path, Path, str]:
    """Copy the fixture site and put the fixture in it; (site, post, the text placed)."""
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    raw = path.read_bytes()
    text = raw.decode("utf-8", "replace")
    raw = raw.replace(ONLINE_HOST.encode(), server.url("").encode())
    feed = FEED.search(text)
    if feed is not None:
        shutil.copyfile(FIXTURES / "feeds" / feed.group(1), site / "feed.xml")
    found = PLACEMENT.search(text)
    post = site / (found.group(1) if found else DEFAULT_PLACE)
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_bytes(raw)
    return site, post, text


def _run(code: str, post: Path, *, select: tuple[str, ...] = ("",), mode: pipeline.Mode = pipeline.Mode.CHECK,
         unsafe: bool = False) -> pipeline.Outcome:  # fmt: skip
    named = SCHEMA.search(post.read_bytes().decode("utf-8", "replace"))
    schema = FIXTURES / "schemas" / named.group(1) if named else bundled_schema()
    request = pipeline.Request(_settings(code, select), load_schema(schema), (post,), mode, unsafe=unsafe)
    return pipeline.run(request)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path, tmp_path: Path, server: Server) -> None:
    code = path.parent.name
    assert code in registry.load_rules(), f"fixture folder {code} names no rule"
    site, post, text = _place(path, tmp_path, server)
    files = _run(code, post).result.files
    if registry.load_rules()[code].template:
        # a template rule reports on the template file: its expectations are marked there
        target = site / "feed.xml"
        text = target.read_text(encoding="utf-8")
        found = [f for f in files if f.path == target]
        result = found[0] if found else None
    else:
        (result,) = [f for f in files if f.path == post]
    violations = result.violations if result is not None else ()
    got = (
        sorted(result.positions.position(v.span.start)[0] for v in violations if v.code == code)
        if result
        else []
    )
    want = expected_lines(text, code)
    assert got == want, [v.message for v in violations if v.code == code]
    if path.name.startswith("pass-"):
        assert want == [], "pass fixtures carry no expectations"
    else:
        assert want, "fail fixtures must expect at least one violation"


FIXED = sorted(RULES.glob("*/*.fixed.md"))


@pytest.mark.parametrize("fixed", FIXED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_before_after(fixed: Path, tmp_path: Path, server: Server) -> None:
    code = fixed.parent.name
    before = fixed.with_name(fixed.name.replace(".fixed.md", ".md"))
    assert before.is_file(), f"{fixed.name} has no {before.name}"
    rule = registry.load_rules()[code]
    _site, post, _text = _place(before, tmp_path, server)
    outcome = _run(
        code, post, select=(code,), mode=pipeline.Mode.FIX, unsafe=rule.fix is FixAvailability.UNSAFE
    )
    assert outcome.notes == (), outcome.notes
    after = post.read_text(encoding="utf-8").replace(server.url(""), ONLINE_HOST)
    assert after == fixed.read_text(encoding="utf-8")
    assert not [
        v for f in outcome.result.files for v in f.violations if v.code == code and v.fix and v.fix.edits
    ]


def test_every_rule_has_a_fixture_pair_and_fixable_rules_a_before_after() -> None:
    folders = {p.name: p for p in RULES.iterdir() if p.is_dir()}
    for code, rule in registry.load_rules().items():
        folder = folders.get(code)
        assert folder is not None, f"{code} has no fixture folder"
        names = [p.name for p in folder.glob("*.md")]
        assert any(n.startswith("fail-") and not n.endswith(".fixed.md") for n in names), code
        assert any(n.startswith("pass-") for n in names), code
        if rule.fix in (FixAvailability.SAFE, FixAvailability.UNSAFE):
            assert any(n.endswith(".fixed.md") for n in names), f"{code} has a fix but no before/after"
    assert set(folders) <= set(registry.load_rules()), set(folders) - set(registry.load_rules())


def test_yt_rules_and_fm012_do_not_double_report(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(
        "---\nduration: 45:30\ntitle: 57\nepisode: 010\naudio_file_size: 010\n---\n", encoding="utf-8"
    )
    (result,) = _run("YT001", path).result.files
    by_span: dict[tuple[int, int], list[str]] = {}
    for v in result.violations:
        if v.code == "FM010":  # missing fields all sit on the closing line
            continue
        by_span.setdefault((v.span.start, v.span.end), []).append(v.code)
    assert all(len(codes) == 1 for codes in by_span.values()), by_span
    codes = sorted(c for cs in by_span.values() for c in cs)
    assert codes == ["YT001", "YT002", "YT002", "YT003"]
